//! Sends one message to the gnl_foobar_xmpl family and prints what the kernel echoes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{self, Failure, PREFIX};
use gnl_foobar_xmpl::{Command, Error, FoobarClient, RawRequest};

/// Echo a message through the gnl_foobar_xmpl kernel module (GNL_FOOBAR_XMPL_CMD_ECHO_MSG).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Message to send (default "Hello from Rust"): no NUL, at most 16384 bytes
    /// sent; the kernel accepts 4096.
    #[arg(long, value_name = "TEXT")]
    msg: Option<String>,
    /// Send no GNL_FOOBAR_XMPL_A_MSG, to see the kernel refuse the request.
    #[arg(long, conflicts_with = "msg")]
    no_msg: bool,
}

const DEFAULT_MSG: &str = "Hello from Rust";

fn echo(args: Args, out: &mut dyn Write) -> Result<(), Failure> {
    cli::check_msg_len(args.msg.as_deref())?;
    let mut client = FoobarClient::connect()?;
    writeln!(out, "{PREFIX}Generic family id: {}", client.family_id())?;
    if args.no_msg {
        // The kernel must refuse this: MSG is required. The typed API cannot
        // leave it out, the raw one can.
        client
            .request(&RawRequest::new(Command::EchoMsg))
            .map_err(Failure::op("echo"))?;
        return Err(Failure::Op(
            "echo",
            Error::Unexpected("the kernel accepted an echo request without a message".into()),
        ));
    }
    let msg = args.msg.as_deref().unwrap_or(DEFAULT_MSG);
    writeln!(out, "{PREFIX}Sending to kernel: '{msg}'")?;
    let reply = client.echo(msg).map_err(Failure::op("echo"))?;
    writeln!(out, "{PREFIX}Received from kernel: '{reply}'")?;
    Ok(())
}

fn main() -> ExitCode {
    cli::run(echo)
}
