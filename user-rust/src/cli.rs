//! What the three programs in src/bin/ share: argument parsing that fails in one
//! line, and the `[User-Rust]: ` prefix of everything they print.

use std::fmt::Display;
use std::process::ExitCode;

use clap::Parser;

/// Starts every line the programs print, like the C clients' `[User-C-...]: `.
pub const PREFIX: &str = "[User-Rust]: ";

/// Parses the command line. `--help` and `--version` print and exit 0; a bad
/// argument is reported in one line on stderr and exits 2.
pub fn parse_args<T: Parser>() -> Result<T, ExitCode> {
    match T::try_parse() {
        Ok(args) => Ok(args),
        Err(e) if e.use_stderr() => {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("{PREFIX}error: {first} (see --help)");
            Err(ExitCode::from(2))
        }
        Err(e) => {
            // --help or --version: clap prints them to stdout.
            if let Err(e) = e.print() {
                eprintln!("{PREFIX}error: writing the help failed: {e}");
                return Err(ExitCode::FAILURE);
            }
            Err(ExitCode::SUCCESS)
        }
    }
}

/// Reports a failure in one line on stderr; returns the exit code to end with.
pub fn fail(e: impl Display) -> ExitCode {
    eprintln!("{PREFIX}error: {e}");
    ExitCode::FAILURE
}
