//! Changes the config of this network namespace (GNL_FOOBAR_XMPL_CMD_CONFIG_SET, which
//! needs CAP_NET_ADMIN over it) and prints the config the kernel announced for the
//! change, as it echoed it back (NLM_F_ECHO).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{self, Failure, PREFIX};
use gnl_foobar_xmpl::FoobarClient;

/// Change the dump defaults of this network namespace (GNL_FOOBAR_XMPL_CMD_CONFIG_SET):
/// one or both of --count and --msg.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// New default count of a dump (the kernel accepts 1..=1000000; any u32 is sent).
    #[arg(long, value_name = "N")]
    count: Option<u32>,
    /// New default text of a dump's messages, may be empty: no NUL, at most 16384
    /// bytes sent; the kernel accepts 4096.
    #[arg(long, value_name = "TEXT")]
    msg: Option<String>,
}

fn config_set(args: Args, out: &mut dyn Write) -> Result<(), Failure> {
    if args.count.is_none() && args.msg.is_none() {
        return Err(Failure::Usage(
            "nothing to set: give --count, --msg or both".into(),
        ));
    }
    cli::check_msg_len(args.msg.as_deref())?;
    let mut client = FoobarClient::connect()?;
    let set = client
        .config_set(args.count, args.msg.as_deref())
        .map_err(Failure::op("config_set"))?;
    writeln!(out, "{PREFIX}config set: {}", set.config)?;
    Ok(())
}

fn main() -> ExitCode {
    cli::run(config_set)
}
