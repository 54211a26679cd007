//! What the programs in src/bin/ share: argument parsing that fails in one
//! line, buffered output, and one line on stderr plus a non-zero exit on failure.
//! Their output reads like the C clients' (tests/guest/agree.sh compares them):
//! `[User-Rust]: error: dump failed: kernel replied with error ERANGE (34): ...`.

use std::fmt::{self, Display};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::proto::MSG_MAX_LEN;
use crate::{Error, KernelError};

/// Starts every line the programs print, like the C clients' `[User-C-...]: `.
pub const PREFIX: &str = "[User-Rust]: ";

/// The longest `--msg` sent, in bytes. The kernel accepts [`MSG_MAX_LEN`];
/// longer texts up to this still go out, so that the kernel's own policy error
/// can be seen. The three clients share the limit, which keeps every request
/// and the error that carries it back well inside a 32 KiB receive buffer.
pub const MSG_ARG_MAX: usize = 4 * MSG_MAX_LEN;

/// Why a program failed.
#[derive(Debug)]
pub enum Failure {
    /// A bad command line found after parsing (exit status 2).
    Usage(String),
    /// Talking to the kernel failed before the operation: socket, family query.
    Netlink(Error),
    /// The operation (`"echo"`, `"dump"`, `"reply_with_error"`, `"config_get"`,
    /// `"config_set"`, `"listen"`) failed.
    Op(&'static str, Error),
    /// Writing to stdout failed (e.g. a closed pipe).
    Stdout(io::Error),
}

impl Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(what) => write!(f, "{what} (see --help)"),
            Failure::Netlink(e) => write!(f, "{e}"),
            Failure::Op(op, e) => write!(f, "{op} failed: {e}"),
            Failure::Stdout(e) => write!(f, "writing to stdout failed: {e}"),
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

impl Failure {
    /// For `map_err`: operation `op` failed with `e`.
    pub fn op(op: &'static str) -> impl FnOnce(Error) -> Failure {
        move |e| Failure::Op(op, e)
    }
}

/// Refuses a `--msg` longer than [`MSG_ARG_MAX`], as a usage error.
pub fn check_msg_len(msg: Option<&str>) -> Result<(), Failure> {
    match msg {
        Some(m) if m.len() > MSG_ARG_MAX => Err(Failure::Usage(format!(
            "--msg takes at most {MSG_ARG_MAX} bytes, not {}; the kernel itself accepts {MSG_MAX_LEN}",
            m.len()
        ))),
        _ => Ok(()),
    }
}

/// The lines the `error` operation prints for the kernel's error, the same in
/// the three clients: the status, then what the extended ACK blames, if anything.
pub fn write_kernel_error(out: &mut dyn Write, err: &KernelError) -> io::Result<()> {
    writeln!(out, "{PREFIX}Kernel replied with error {}", err.status())?;
    if let Some(blame) = err.blame() {
        writeln!(out, "{PREFIX}The extended ACK {blame}")?;
    }
    Ok(())
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
    match e {
        Failure::Usage(_) => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}
