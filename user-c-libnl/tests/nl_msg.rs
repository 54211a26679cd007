//! Runs the C unit tests of src/nl_msg.c, the receive callbacks fed crafted
//! answers (tests/nl_msg_test.c), which build.rs compiles and links into this
//! test binary, and those of the shared ../c-common/proc_netlink.c.

use std::os::raw::c_int;

extern "C" {
    /// Runs every check, prints a "not ok" line per failed one and returns how many failed.
    fn run_nl_msg_tests() -> c_int;
    /// The same for ../c-common/proc_netlink.c (../c-common/proc_netlink_test.c).
    fn run_proc_netlink_tests() -> c_int;
}

#[test]
fn nl_msg_callbacks_accept_and_reject_crafted_answers() {
    // SAFETY: a C function without arguments that touches only its own memory.
    let failures = unsafe { run_nl_msg_tests() };
    assert_eq!(
        failures, 0,
        "{failures} nl_msg checks failed (see the lines above)"
    );
}

#[test]
fn proc_netlink_reads_drops_and_rejects_broken_rows() {
    // SAFETY: a C function without arguments that touches only its own memory.
    let failures = unsafe { run_proc_netlink_tests() };
    assert_eq!(
        failures, 0,
        "{failures} proc_netlink checks failed (see the lines above)"
    );
}
