//! Asks the gnl_foobar_xmpl family for a dump (ECHO_MSG with NLM_F_DUMP) and prints
//! every message as it arrives, so even the largest dump needs little memory.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{self, Failure, PREFIX};
use gnl_foobar_xmpl::FoobarClient;

/// Dump messages from the gnl_foobar_xmpl kernel module (GNL_FOOBAR_XMPL_CMD_ECHO_MSG + NLM_F_DUMP).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// How many messages to dump (the kernel accepts 1..=1000000); the kernel's
    /// default (3) if not given.
    #[arg(long, value_name = "N")]
    count: Option<u32>,
    /// Text of every message; the kernel's default text if not given. At most
    /// 16384 bytes sent; the kernel accepts 4096.
    #[arg(long, value_name = "TEXT")]
    msg: Option<String>,
}

fn dump(args: Args, out: &mut dyn Write) -> Result<(), Failure> {
    cli::check_msg_len(args.msg.as_deref())?;
    let mut client = FoobarClient::connect()?;
    writeln!(out, "{PREFIX}Generic family id: {}", client.family_id())?;
    let mut received = 0u32;
    let entries = client
        .dump_iter(args.count, args.msg.as_deref())
        .map_err(Failure::op("dump"))?;
    // The iterator checks the order and the count; this only prints.
    for entry in entries {
        let entry = entry.map_err(Failure::op("dump"))?;
        writeln!(out, "{PREFIX}dump message {}: '{}'", entry.index, entry.msg)?;
        received += 1;
    }
    let plural = if received == 1 { "" } else { "s" };
    writeln!(out, "{PREFIX}dump done, {received} message{plural}")?;
    Ok(())
}

fn main() -> ExitCode {
    cli::run(dump)
}
