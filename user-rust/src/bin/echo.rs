//! Sends one message to the gnl_foobar_xmpl family and prints what the kernel echoes.

use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{fail, parse_args, PREFIX};
use gnl_foobar_xmpl::FoobarClient;

/// Echo a message through the gnl_foobar_xmpl kernel module (GNL_FOOBAR_XMPL_CMD_ECHO_MSG).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Message to send; at most 4096 bytes, no NUL.
    #[arg(long, value_name = "TEXT", default_value = "Hello from Rust")]
    msg: String,
}

fn main() -> ExitCode {
    let args = match parse_args::<Args>() {
        Ok(args) => args,
        Err(code) => return code,
    };
    let mut client = match FoobarClient::connect() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    println!("{PREFIX}Generic family id: {}", client.family_id());
    println!("{PREFIX}Sending to kernel: '{}'", args.msg);
    match client.echo(&args.msg) {
        Ok(reply) => {
            println!("{PREFIX}Received from kernel: '{reply}'");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
