//! Asks the gnl_foobar_xmpl family for a dump (ECHO_MSG with NLM_F_DUMP) and prints
//! every message as it arrives, so even the largest dump needs little memory.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{fail, parse_args, PREFIX};
use gnl_foobar_xmpl::{Error, FoobarClient};

/// Dump messages from the gnl_foobar_xmpl kernel module (GNL_FOOBAR_XMPL_CMD_ECHO_MSG + NLM_F_DUMP).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// How many messages to dump (1..=1000000); the kernel's default (3) if not given.
    #[arg(long, value_name = "N")]
    count: Option<u32>,
    /// Text of every message; the kernel's default text if not given.
    #[arg(long, value_name = "TEXT")]
    msg: Option<String>,
}

/// Why printing the dump stopped.
enum Failure {
    Netlink(Error),
    Stdout(io::Error),
}

fn print_dump(client: &mut FoobarClient, args: &Args) -> Result<u64, Failure> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut received = 0u64;
    let dump = client
        .dump_iter(args.count, args.msg.as_deref())
        .map_err(Failure::Netlink)?;
    for entry in dump {
        let entry = entry.map_err(Failure::Netlink)?;
        writeln!(out, "{PREFIX}dump message {}: '{}'", entry.index, entry.msg)
            .map_err(Failure::Stdout)?;
        received += 1;
    }
    out.flush().map_err(Failure::Stdout)?;
    Ok(received)
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
    match print_dump(&mut client, &args) {
        Ok(n) => {
            println!("{PREFIX}Dump done: {n} messages");
            ExitCode::SUCCESS
        }
        Err(Failure::Netlink(e)) => fail(e),
        Err(Failure::Stdout(e)) => fail(format_args!("writing to stdout failed: {e}")),
    }
}
