//! Shared by the integration tests, which talk to the real module (inside the VM
//! through test.sh; on a host without it they are #[ignore]d).

use gnl_foobar_xmpl::FoobarClient;

/// A connected client. A missing family fails the test, with the fix in the message.
pub fn connect() -> FoobarClient {
    match FoobarClient::connect() {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}
