//! Sends GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR, which the kernel always fails, and
//! prints the decoded error. Exits 0 only if the kernel failed it with EINVAL.

use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{fail, parse_args, PREFIX};
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
    let msg = (!args.no_msg).then_some(args.msg.as_str());
    let err = match client.reply_with_error(msg) {
        Ok(err) => err,
        Err(e) => return fail(e),
    };
    if err.errno != libc::EINVAL {
        return fail(format_args!(
            "expected EINVAL (22) from the kernel, got: {err}"
        ));
    }
    let name = err.errno_name().unwrap_or("errno");
    match &err.message {
        Some(text) => println!(
            "{PREFIX}Kernel replied with error {name} ({}): {text}",
            err.errno
        ),
        None => println!("{PREFIX}Kernel replied with error {name} ({})", err.errno),
    }
    if let Some(offset) = err.offset {
        let attr = err
            .offending_attr_type()
            .and_then(|t| Attr::from(t).name())
            .unwrap_or("an unknown attribute");
        println!("{PREFIX}The error points at {attr} (offset {offset} in the request)");
    }
    ExitCode::SUCCESS
}
