//! The benchmark behind the `bench` program: times the client's operations with
//! [`Instant`] (CLOCK_MONOTONIC) inside the program and summarizes them in one
//! machine-readable line, the same in the three clients:
//!
//! ```text
//! bench client=rust mode=echo iterations=N size=S count=C batch=K total_ns=T
//!       mean_ns=M p50_ns=P p99_ns=Q min_ns=A max_ns=B item_ns=X.X
//! ```
//!
//! One untimed operation runs first (page faults, first-use allocations), then N
//! timed ones. The clock is read once before the first and once after each
//! operation, so each sample includes one clock read, as does `total_ns`, the sum
//! of the samples. `mean_ns` = `total_ns / N`; p50/p99 are nearest-rank
//! percentiles; `item_ns` = `total_ns / (N * items per operation)`, an item being a
//! round trip (cycle, echo), a dump message (dump) or an echo (batch).

use std::fmt;
use std::time::Instant;

use crate::{Error, FoobarClient};

/// What one timed operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// Open a socket, resolve the family, echo `size` bytes, close.
    Cycle { size: u32 },
    /// One echo round trip of `size` bytes on an open socket.
    Echo { size: u32 },
    /// One dump of `count` messages (the kernel's text) on an open socket.
    Dump { count: u32 },
    /// `batch` echo requests of `size` bytes in one datagram, then their replies.
    Batch { size: u32, batch: u32 },
}

impl Workload {
    fn name(self) -> &'static str {
        match self {
            Workload::Cycle { .. } => "cycle",
            Workload::Echo { .. } => "echo",
            Workload::Dump { .. } => "dump",
            Workload::Batch { .. } => "batch",
        }
    }

    /// Round trips, dump messages or echoes per operation.
    fn items(self) -> u32 {
        match self {
            Workload::Dump { count } => count,
            Workload::Batch { batch, .. } => batch,
            Workload::Cycle { .. } | Workload::Echo { .. } => 1,
        }
    }
}

/// The samples of one run, summarized.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub total_ns: u64,
    pub mean_ns: u64,
    pub p50_ns: u64,
    pub p99_ns: u64,
    pub min_ns: u64,
    pub max_ns: u64,
    /// `total_ns` per item (round trip, dump message or echo).
    pub item_ns: f64,
}

/// Sorts `samples` (nanoseconds, one per operation, at least one) and summarizes
/// them; `items` is the number of items per operation.
pub fn summarize(samples: &mut [u64], items: u32) -> Summary {
    samples.sort_unstable();
    let n = samples.len() as u64;
    let total: u64 = samples.iter().sum();
    // Nearest rank: the ceil(pct / 100 * n)-th smallest sample.
    let percentile = |pct: u64| {
        let rank = (pct * n).div_ceil(100).max(1);
        samples[(rank - 1) as usize]
    };
    Summary {
        total_ns: total,
        mean_ns: total / n,
        p50_ns: percentile(50),
        p99_ns: percentile(99),
        min_ns: samples[0],
        max_ns: samples[samples.len() - 1],
        item_ns: total as f64 / (n as f64 * f64::from(items)),
    }
}

/// A finished run: what ran and how long it took. Its Display is the output line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Report {
    pub workload: Workload,
    pub iterations: u32,
    pub summary: Summary,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (size, count, batch) = match self.workload {
            Workload::Cycle { size } | Workload::Echo { size } => (size, 0, 1),
            Workload::Dump { count } => (0, count, 1),
            Workload::Batch { size, batch } => (size, 0, batch),
        };
        let s = &self.summary;
        write!(
            f,
            "bench client=rust mode={} iterations={} size={size} count={count} batch={batch} \
             total_ns={} mean_ns={} p50_ns={} p99_ns={} min_ns={} max_ns={} item_ns={:.1}",
            self.workload.name(),
            self.iterations,
            s.total_ns,
            s.mean_ns,
            s.p50_ns,
            s.p99_ns,
            s.min_ns,
            s.max_ns,
            s.item_ns
        )
    }
}

/// The echo payload of `size` bytes: "0123456789012...", so that a cut-off shows.
pub fn payload(size: u32) -> String {
    (0..size)
        .map(|i| char::from(b'0' + (i % 10) as u8))
        .collect()
}

/// One workload's state: the open socket (none for cycles) and the payload.
struct Bench {
    workload: Workload,
    client: Option<FoobarClient>,
    payload: String,
}

fn check_echo(sent: &str, echoed: &str) -> Result<(), Error> {
    if echoed == sent {
        Ok(())
    } else {
        Err(Error::Unexpected(
            "the kernel echoed a different message than it was sent".into(),
        ))
    }
}

impl Bench {
    fn new(workload: Workload) -> Result<Bench, Error> {
        let size = match workload {
            Workload::Cycle { size } | Workload::Echo { size } | Workload::Batch { size, .. } => {
                size
            }
            Workload::Dump { .. } => 0,
        };
        let client = match workload {
            Workload::Cycle { .. } => None,
            _ => Some(FoobarClient::connect()?),
        };
        Ok(Bench {
            workload,
            client,
            payload: payload(size),
        })
    }

    /// One operation, every reply checked.
    fn run_once(&mut self) -> Result<(), Error> {
        let msg = self.payload.as_str();
        match (self.workload, self.client.as_mut()) {
            (Workload::Cycle { .. }, _) => {
                // Dropping the client closes the socket.
                let echoed = FoobarClient::connect()?.echo(msg)?;
                check_echo(msg, &echoed)
            }
            (Workload::Echo { .. }, Some(client)) => check_echo(msg, &client.echo(msg)?),
            (Workload::Dump { count }, Some(client)) => {
                let mut received = 0u32;
                for entry in client.dump_iter(Some(count), None)? {
                    let entry = entry?;
                    if entry.index != received {
                        return Err(Error::Unexpected(format!(
                            "dump message {} arrived where {received} was expected",
                            entry.index
                        )));
                    }
                    received += 1;
                }
                if received != count {
                    return Err(Error::Unexpected(format!(
                        "the dump ended after {received} messages, expected {count}"
                    )));
                }
                Ok(())
            }
            (Workload::Batch { batch, .. }, Some(client)) => {
                let msgs = vec![msg; batch as usize];
                for echoed in client.echo_batch(&msgs)? {
                    check_echo(msg, &echoed)?;
                }
                Ok(())
            }
            (_, None) => Err(Error::InvalidInput("no socket open".into())),
        }
    }
}

/// Runs `workload`: one untimed operation, then `iterations` (at least one) timed.
pub fn run(workload: Workload, iterations: u32) -> Result<Report, Error> {
    if iterations == 0 {
        return Err(Error::InvalidInput("at least one iteration".into()));
    }
    let mut bench = Bench::new(workload)?;
    let mut samples = vec![0u64; iterations as usize];
    bench.run_once()?;
    let mut before = Instant::now();
    for sample in samples.iter_mut() {
        bench.run_once()?;
        let after = Instant::now();
        // u64 nanoseconds last 584 years.
        *sample = u64::try_from(after.duration_since(before).as_nanos()).unwrap_or(u64::MAX);
        before = after;
    }
    Ok(Report {
        workload,
        iterations,
        summary: summarize(&mut samples, workload.items()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut samples: Vec<u64> = (1..=200).rev().collect();
        let s = summarize(&mut samples, 1);
        assert_eq!((s.p50_ns, s.p99_ns), (100, 198));
        assert_eq!((s.min_ns, s.max_ns), (1, 200));
        assert_eq!(s.total_ns, 200 * 201 / 2);
        assert_eq!(s.mean_ns, 100); // 100.5, truncated
    }

    #[test]
    fn one_sample_is_every_percentile() {
        let s = summarize(&mut [7], 4);
        assert_eq!((s.p50_ns, s.p99_ns, s.min_ns, s.max_ns), (7, 7, 7, 7));
        assert_eq!(s.item_ns, 1.75);
    }

    #[test]
    fn line_has_every_field_in_order() {
        let report = Report {
            workload: Workload::Dump { count: 100 },
            iterations: 2,
            summary: summarize(&mut [300, 100], 100),
        };
        assert_eq!(
            report.to_string(),
            "bench client=rust mode=dump iterations=2 size=0 count=100 batch=1 total_ns=400 \
             mean_ns=200 p50_ns=100 p99_ns=300 min_ns=100 max_ns=300 item_ns=2.0"
        );
    }

    #[test]
    fn payload_counts_digits() {
        assert_eq!(payload(0), "");
        assert_eq!(payload(12), "012345678901");
    }
}
