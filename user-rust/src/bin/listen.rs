//! Listens to the family's "config" multicast group and prints every notification
//! (GNL_FOOBAR_XMPL_CMD_CONFIG_NTF) as it arrives; also what was lost when the
//! receive queue overflowed, and the config read again after that.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gnl_foobar_xmpl::cli::{self, Failure, PREFIX};
use gnl_foobar_xmpl::proto::MCGRP_CONFIG;
use gnl_foobar_xmpl::{ConfigListener, ListenEvent};

/// Print the config changes of this network namespace as the kernel announces them
/// (the gnl_foobar_xmpl family's "config" multicast group).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Stop once N notifications were received or lost; without it, listen until
    /// killed or until the module is unloaded.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    count: Option<u64>,
}

fn listen(args: Args, out: &mut dyn Write) -> Result<(), Failure> {
    let mut listener = ConfigListener::connect()?;
    // Printed once joined: a set made after this line is seen.
    writeln!(
        out,
        "{PREFIX}listening to group '{MCGRP_CONFIG}' (id {})",
        listener.group_id()
    )?;
    out.flush()?;
    let (mut received, mut lost) = (0u64, 0u64);
    while args.count.is_none_or(|n| received + lost < n) {
        match listener.next_event().map_err(Failure::op("listen"))? {
            ListenEvent::Notification(ntf) => {
                received += 1;
                writeln!(
                    out,
                    "{PREFIX}notification: {} (set by port {}, seq {})",
                    ntf.config, ntf.portid, ntf.seq
                )?;
            }
            ListenEvent::Overflow {
                lost: dropped,
                config,
            } => {
                lost += u64::from(dropped);
                writeln!(
                    out,
                    "{PREFIX}lost {dropped} notifications: the receive queue overflowed (ENOBUFS)"
                )?;
                writeln!(out, "{PREFIX}config now: {config}")?;
            }
        }
        // Each line as it happens, also into a pipe.
        out.flush()?;
    }
    writeln!(out, "{PREFIX}listen done: {received} received, {lost} lost")?;
    Ok(())
}

fn main() -> ExitCode {
    cli::run(listen)
}
