//! Sends GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR, which the kernel always fails, and
//! prints the decoded error. Exits 0 only if the kernel failed it with EINVAL.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{self, Failure, PREFIX};
use gnl_foobar_xmpl::{Attr, FoobarClient};

/// Ask the gnl_foobar_xmpl kernel module for an error with an extended ACK.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Message to attach; the kernel's error then points at it (NLMSGERR_ATTR_OFFS).
    #[arg(long, value_name = "TEXT", default_value = "Hello from Rust")]
    msg: String,
    /// Send no message at all.
    #[arg(long, conflicts_with = "msg")]
    no_msg: bool,
}

fn reply_with_error(args: Args, out: &mut dyn Write) -> Result<(), Failure> {
    let mut client = FoobarClient::connect()?;
    writeln!(out, "{PREFIX}Generic family id: {}", client.family_id())?;
    let msg = (!args.no_msg).then_some(args.msg.as_str());
    let err = client.reply_with_error(msg)?;
    if err.errno != libc::EINVAL {
        return Err(Failure::Wrong(format!(
            "expected EINVAL (22) from the kernel, got: {err}"
        )));
    }
    let name = err.errno_name().unwrap_or("errno");
    write!(
        out,
        "{PREFIX}Kernel replied with error {name} ({})",
        err.errno
    )?;
    match &err.message {
        Some(text) => writeln!(out, ": {text}")?,
        None => writeln!(out)?,
    }
    if let Some(offset) = err.offset {
        let attr = err
            .offending_attr_type()
            .and_then(|t| Attr::from(t).name())
            .unwrap_or("an unknown attribute");
        writeln!(
            out,
            "{PREFIX}The error points at {attr} (offset {offset} in the request)"
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    cli::run(reply_with_error)
}
