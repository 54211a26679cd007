//! Prints the config of this network namespace (GNL_FOOBAR_XMPL_CMD_CONFIG_GET): the
//! dump-count and dump-msg a dump request that leaves them out gets.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{self, Failure, PREFIX};
use gnl_foobar_xmpl::FoobarClient;

/// Print the dump defaults of this network namespace (GNL_FOOBAR_XMPL_CMD_CONFIG_GET).
#[derive(Parser)]
#[command(version)]
struct Args {}

fn config_get(_args: Args, out: &mut dyn Write) -> Result<(), Failure> {
    let mut client = FoobarClient::connect()?;
    let config = client.config_get().map_err(Failure::op("config_get"))?;
    writeln!(out, "{PREFIX}config: {config}")?;
    Ok(())
}

fn main() -> ExitCode {
    cli::run(config_get)
}
