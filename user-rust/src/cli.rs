//! What the three programs in src/bin/ share: argument parsing that fails in one
//! line, buffered output, and one line on stderr plus a non-zero exit on failure.

use std::fmt::{self, Display};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::Error;

/// Starts every line the programs print, like the C clients' `[User-C-...]: `.
pub const PREFIX: &str = "[User-Rust]: ";

/// Why a program failed.
#[derive(Debug)]
pub enum Failure {
    /// Talking to the kernel failed.
    Netlink(Error),
    /// Writing to stdout failed (e.g. a closed pipe).
    Stdout(io::Error),
    /// The kernel answered, but not as it should have.
    Wrong(String),
}

impl Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Netlink(e) => write!(f, "{e}"),
            Failure::Stdout(e) => write!(f, "writing to stdout failed: {e}"),
            Failure::Wrong(what) => write!(f, "{what}"),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Netlink(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Stdout(e)
    }
}

/// Parses the command line into `T`, then runs `body` with a buffered stdout (one
/// write for a short run, like C's stdio). `--help` and `--version` print and exit
/// 0; a bad argument or a failure prints one line on stderr and exits non-zero.
pub fn run<T, F>(body: F) -> ExitCode
where
    T: Parser,
    F: FnOnce(T, &mut dyn Write) -> Result<(), Failure>,
{
    let args = match T::try_parse() {
        Ok(args) => args,
        Err(e) => return clap_exit(&e),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let result = body(args, &mut out);
    // Flush first, so what was printed before a failure comes before its line.
    let flushed = out.flush();
    match (result, flushed) {
        (Err(e), _) => fail(e),
        (Ok(()), Err(e)) => fail(Failure::Stdout(e)),
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
    }
}

fn clap_exit(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        // --help or --version: clap prints them to stdout.
        return match e.print() {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => fail(Failure::Stdout(err)),
        };
    }
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or("invalid arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!("{PREFIX}error: {first} (see --help)");
    ExitCode::from(2)
}

fn fail(e: Failure) -> ExitCode {
    eprintln!("{PREFIX}error: {e}");
    ExitCode::FAILURE
}
