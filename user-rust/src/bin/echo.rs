//! Sends one message to the gnl_foobar_xmpl family and prints what the kernel echoes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{self, Failure, PREFIX};
use gnl_foobar_xmpl::FoobarClient;

/// Echo a message through the gnl_foobar_xmpl kernel module (GNL_FOOBAR_XMPL_CMD_ECHO_MSG).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Message to send; at most 4096 bytes, no NUL.
    #[arg(long, value_name = "TEXT", default_value = "Hello from Rust")]
    msg: String,
}

fn echo(args: Args, out: &mut dyn Write) -> Result<(), Failure> {
    let mut client = FoobarClient::connect()?;
    writeln!(out, "{PREFIX}Generic family id: {}", client.family_id())?;
    writeln!(out, "{PREFIX}Sending to kernel: '{}'", args.msg)?;
    let reply = client.echo(&args.msg)?;
    writeln!(out, "{PREFIX}Received from kernel: '{reply}'")?;
    Ok(())
}

fn main() -> ExitCode {
    cli::run(echo)
}
