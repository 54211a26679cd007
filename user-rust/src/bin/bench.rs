//! Times the client's operations against the gnl_foobar_xmpl module and prints one
//! machine-readable line (see the `bench` module); measurements/run.sh runs it.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args as ClapArgs, Parser, Subcommand};
use gnl_foobar_xmpl::bench::{self, Workload};
use gnl_foobar_xmpl::cli::{self, Failure};
use gnl_foobar_xmpl::proto::{DUMP_MAX_COUNT, DUMP_MIN_COUNT, MSG_MAX_LEN};

/// Benchmark the Rust/neli client: N timed operations after one untimed one.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// Per operation: open a socket, resolve the family, echo, close.
    Cycle(EchoArgs),
    /// One socket: echo round trips back to back.
    Echo(EchoArgs),
    /// One socket: a dump of --count messages (the kernel's text).
    Dump(DumpArgs),
    /// One socket: --batch echo requests in one datagram, then their replies.
    Batch(BatchArgs),
}

#[derive(ClapArgs)]
struct Iterations {
    /// Timed operations.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    iterations: u32,
}

#[derive(ClapArgs)]
struct EchoArgs {
    #[command(flatten)]
    iterations: Iterations,
    /// GNL_FOOBAR_XMPL_A_MSG length in bytes, without its NUL.
    #[arg(long, value_name = "BYTES", default_value_t = 16,
          value_parser = clap::value_parser!(u32).range(0..=MSG_MAX_LEN as i64))]
    size: u32,
}

#[derive(ClapArgs)]
struct DumpArgs {
    #[command(flatten)]
    iterations: Iterations,
    /// Messages per dump.
    #[arg(long, value_name = "N", default_value_t = 100,
          value_parser = clap::value_parser!(u32)
              .range(i64::from(DUMP_MIN_COUNT)..=i64::from(DUMP_MAX_COUNT)))]
    count: u32,
}

#[derive(ClapArgs)]
struct BatchArgs {
    #[command(flatten)]
    echo: EchoArgs,
    /// Requests per datagram.
    #[arg(long, value_name = "K", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    batch: u32,
}

fn run_bench(args: Args, out: &mut dyn Write) -> Result<(), Failure> {
    let (workload, iterations) = match args.mode {
        Mode::Cycle(a) => (Workload::Cycle { size: a.size }, a.iterations),
        Mode::Echo(a) => (Workload::Echo { size: a.size }, a.iterations),
        Mode::Dump(a) => (Workload::Dump { count: a.count }, a.iterations),
        Mode::Batch(a) => (
            Workload::Batch {
                size: a.echo.size,
                batch: a.batch,
            },
            a.echo.iterations,
        ),
    };
    let report = bench::run(workload, iterations.iterations)?;
    writeln!(out, "{report}")?;
    Ok(())
}

fn main() -> ExitCode {
    cli::run(run_bench)
}
