//! Sends GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR, which the kernel always fails, and
//! prints the decoded error. Exits 0 only if the kernel failed it with EINVAL.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{self, Failure, PREFIX};
use gnl_foobar_xmpl::{Error, FoobarClient};

/// Ask the gnl_foobar_xmpl kernel module for an error with an extended ACK.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Message to attach (none by default); the kernel's error then points at it
    /// (NLMSGERR_ATTR_OFFS). At most 16384 bytes sent; the kernel accepts 4096.
    #[arg(long, value_name = "TEXT")]
    msg: Option<String>,
}

fn reply_with_error(args: Args, out: &mut dyn Write) -> Result<(), Failure> {
    cli::check_msg_len(args.msg.as_deref())?;
    let mut client = FoobarClient::connect()?;
    writeln!(out, "{PREFIX}Generic family id: {}", client.family_id())?;
    let err = client
        .reply_with_error(args.msg.as_deref())
        .map_err(Failure::op("reply_with_error"))?;
    if err.errno != libc::EINVAL {
        return Err(Failure::Op(
            "reply_with_error",
            Error::Unexpected(format!("expected EINVAL (22), got: {err}")),
        ));
    }
    cli::write_kernel_error(out, &err)?;
    Ok(())
}

fn main() -> ExitCode {
    cli::run(reply_with_error)
}
