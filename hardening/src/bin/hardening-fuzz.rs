//! Seeded fuzzer of the gnl_foobar_xmpl family: sends generated batches (see fuzzgen) and
//! holds every answer to the protocol -- well-formed, addressed to us, tied to a request,
//! in a legal order, with an errno from the expected set -- and valid requests to their
//! exact answers. Afterwards the module must still echo, and the kernel log stay clean.
//! Run in the guest as root, in a network namespace of its own (tests/guest/hardening.sh):
//! its config-sets change that namespace's config, which it puts back to the defaults
//! after every batch that may have changed it, so that each batch starts from them.
//!
//! Usage: hardening-fuzz [--seed N] [--count N] [--from-batch N] [--long]
//!   --count  messages to send (default 100000; 5000000 with --long or GNL_LONG=1)
//!   --seed   default 1 (or GNL_FUZZ_SEED); a failure prints the seed and batch to replay
//!   --print  prints each batch's messages (origin, seq, bytes in hex) as it sends them

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use gnl_hardening::fuzzgen::{gen_batch, Batch, Exp};
use gnl_hardening::kmsg::KmsgWatch;
use gnl_hardening::msg::Msg;
use gnl_hardening::parse::{self, Reply};
use gnl_hardening::proto::*;
use gnl_hardening::report::Report;
use gnl_hardening::sock::{NlSocket, RECV_BUF};
use gnl_hardening::{echo_round_trip, errno_label, family, recv_msgs, RecvError};

/// A dump still running after this many items is abandoned (its socket closed): the
/// generator's valid dumps are at most 16 items; longer ones come from random counts.
const ABANDON_AFTER: usize = 2048;

/// Errnos a request may legitimately get: validation (EINVAL, ERANGE), unknown command
/// or operation (EOPNOTSUPP), unknown family id (ENOENT), a dump already running on the
/// socket (EBUSY).
const LEGAL_ERRNOS: &[i32] = &[
    libc::EINVAL,
    libc::ERANGE,
    libc::EOPNOTSUPP,
    libc::ENOENT,
    libc::EBUSY,
];

struct Args {
    seed: u64,
    count: u64,
    from_batch: u64,
    print: bool,
}

fn parse_args() -> Result<Args, String> {
    let long = std::env::var("GNL_LONG").as_deref() == Ok("1");
    let mut seed = match std::env::var("GNL_FUZZ_SEED") {
        Ok(s) => s
            .parse()
            .map_err(|_| format!("GNL_FUZZ_SEED={s} is not a number"))?,
        Err(_) => 1,
    };
    let mut count = None;
    let mut long_arg = false;
    let mut from_batch = 0;
    let mut print = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            let v = it.next().ok_or_else(|| format!("{name} needs a value"))?;
            v.parse().map_err(|_| format!("{name} {v}: not a number"))
        };
        match a.as_str() {
            "--seed" => seed = value("--seed")?,
            "--count" => count = Some(value("--count")?),
            "--from-batch" => from_batch = value("--from-batch")?,
            "--long" => long_arg = true,
            "--print" => print = true,
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    let count = count.unwrap_or(if long || long_arg { 5_000_000 } else { 100_000 });
    Ok(Args {
        seed,
        count,
        from_batch,
        print,
    })
}

/// Replies counted by kind.
#[derive(Default)]
struct Tally {
    messages: u64,
    batches: u64,
    exact_checked: u64,
    echo: u64,
    ack: u64,
    dump_items: u64,
    done: u64,
    configs: u64,
    config_restores: u64,
    errors: BTreeMap<i32, u64>,
    unanswered: u64,
    abandoned_dumps: u64,
    misframed_batches: u64,
}

/// A batch's answers (seq, what it is), and the seq of a dump abandoned midway, if any.
type Collected = (Vec<(u32, Reply)>, Option<u32>);

struct Fuzzer {
    family: u16,
    sock: NlSocket,
    buf: Vec<u8>,
}

fn open_socket() -> Result<NlSocket, String> {
    let s = NlSocket::open().map_err(|e| format!("netlink socket: {e}"))?;
    // A batch's answers must all fit in the queue: a drop would show as ENOBUFS.
    s.force_rcvbuf(4 << 20)
        .map_err(|e| format!("SO_RCVBUFFORCE: {e}"))?;
    s.set_timeout(Duration::from_secs(10))
        .map_err(|e| format!("SO_RCVTIMEO: {e}"))?;
    Ok(s)
}

impl Fuzzer {
    /// Sends one batch and reads every answer; Err describes the first broken rule.
    fn run_batch(&mut self, b: &Batch, t: &mut Tally) -> Result<(), String> {
        match self.sock.send(&b.datagram) {
            Ok(n) if n == b.datagram.len() && !b.datagram.is_empty() => {}
            // An empty datagram (every message truncated to nothing) is refused.
            Err(e) if b.datagram.is_empty() && e.raw_os_error() == Some(libc::ENODATA) => {}
            Ok(n) => return Err(format!("sent {n} of {} bytes", b.datagram.len())),
            Err(e) => return Err(format!("send of {} bytes: {e}", b.datagram.len())),
        }
        let port = self.sock.port();
        let (answers, abandoned) = self.collect(port)?;
        if let Some(seq) = abandoned {
            t.abandoned_dumps += 1;
            // Closing the socket abandons the dump; the kernel cleans up after it.
            self.sock = open_socket()?;
            judge(b, &answers, Some(seq), t)
        } else {
            judge(b, &answers, None, t)
        }
    }

    /// Everything the kernel queued for the batch: requests are processed inside sendmsg,
    /// and each recvmsg refills a running dump, so reading until EAGAIN sees every answer.
    /// Returns the seq of a dump abandoned for running too long, if any.
    fn collect(&mut self, port: u32) -> Result<Collected, String> {
        let mut out = Vec::new();
        let mut items: BTreeMap<u32, usize> = BTreeMap::new();
        loop {
            let msgs = match recv_msgs(&self.sock, &mut self.buf, false) {
                Ok(Some(m)) => m,
                Ok(None) => return Ok((out, None)),
                Err(RecvError::Io(e)) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                    return Err("answers were dropped: the receive queue overran (ENOBUFS)".into())
                }
                Err(e) => return Err(e.to_string()),
            };
            for m in msgs {
                if m.hdr.portid != port {
                    return Err(format!("answer for port {} on port {port}", m.hdr.portid));
                }
                let r = parse::classify(&m.view(), self.family)
                    .map_err(|e| format!("malformed answer to seq {}: {e}", m.hdr.seq))?;
                if let Reply::Error(e) | Reply::Ack(e) = &r {
                    let echoed = e.request_header().map(|h| h.seq);
                    if echoed != Some(m.hdr.seq) {
                        return Err(format!(
                            "error with seq {} echoes seq {echoed:?}",
                            m.hdr.seq
                        ));
                    }
                }
                if matches!(r, Reply::DumpItem { .. }) {
                    let n = items.entry(m.hdr.seq).or_insert(0);
                    *n += 1;
                    if *n > ABANDON_AFTER {
                        out.push((m.hdr.seq, r));
                        return Ok((out, Some(m.hdr.seq)));
                    }
                }
                out.push((m.hdr.seq, r));
            }
        }
    }
}

/// Holds one batch's answers to the rules; counts them.
fn judge(
    b: &Batch,
    answers: &[(u32, Reply)],
    abandoned: Option<u32>,
    t: &mut Tally,
) -> Result<(), String> {
    let misframed = b.misframed();
    if misframed {
        t.misframed_batches += 1;
    }
    let mut by_seq: BTreeMap<u32, Vec<&Reply>> = BTreeMap::new();
    for (seq, r) in answers {
        tally(r, t);
        if let Reply::Error(e) = r {
            if !LEGAL_ERRNOS.contains(&e.errno) {
                return Err(format!(
                    "seq {seq}: unexpected errno {}",
                    errno_label(e.errno)
                ));
            }
        }
        if let Reply::Done { status, .. } = r {
            if *status != 0 {
                return Err(format!("seq {seq}: dump ended with status {status}"));
            }
        }
        by_seq.entry(*seq).or_default().push(r);
    }
    if !misframed {
        if let Some(seq) = by_seq.keys().find(|s| !b.msgs.iter().any(|m| m.seq == **s)) {
            return Err(format!(
                "answers with seq {seq}, which no request of the batch has: {}",
                show(&by_seq[seq])
            ));
        }
    }
    for m in &b.msgs {
        let got = by_seq.get(&m.seq).map(Vec::as_slice).unwrap_or(&[]);
        if got.is_empty() {
            t.unanswered += 1;
        }
        let cut_short = abandoned == Some(m.seq);
        let verdict = match &m.exact {
            Some(exp) if !cut_short => {
                t.exact_checked += 1;
                exact(got, exp)
            }
            _ if misframed => Ok(()),
            _ => legal_shape(got, cut_short),
        };
        verdict.map_err(|e| format!("seq {} ({}): {e}", m.seq, m.origin))?;
    }
    Ok(())
}

fn tally(r: &Reply, t: &mut Tally) {
    match r {
        Reply::Echo { .. } => t.echo += 1,
        Reply::Ack(_) => t.ack += 1,
        Reply::DumpItem { .. } => t.dump_items += 1,
        Reply::Done { .. } => t.done += 1,
        Reply::Config { .. } => t.configs += 1,
        Reply::Error(e) => *t.errors.entry(e.errno).or_insert(0) += 1,
    }
}

fn show(got: &[&Reply]) -> String {
    let parts: Vec<String> = got
        .iter()
        .take(6)
        .map(|r| match r {
            Reply::Error(e) => format!("error {} {:?}", errno_label(e.errno), e.message),
            Reply::DumpItem { index, .. } => format!("item {index}"),
            other => other.kind().to_string(),
        })
        .collect();
    format!(
        "[{}{}]",
        parts.join(", "),
        if got.len() > 6 { ", ..." } else { "" }
    )
}

/// A valid request's answers, exactly.
fn exact(got: &[&Reply], exp: &[Exp]) -> Result<(), String> {
    let mut i = 0usize;
    let mismatch = |what: &str| format!("expected {what}, got {}", show(got));
    for e in exp {
        match e {
            Exp::Echo(text) => match got.get(i) {
                Some(Reply::Echo { msg }) if msg == text => i += 1,
                _ => return Err(mismatch(&format!("the echo of {} bytes", text.len()))),
            },
            Exp::Ack => match got.get(i) {
                Some(Reply::Ack(a)) if a.message.is_none() => i += 1,
                _ => return Err(mismatch("an ACK")),
            },
            Exp::Err { errno, text, offs } => match got.get(i) {
                Some(Reply::Error(x))
                    if x.errno == *errno
                        && x.message.as_deref().is_some_and(|m| m.contains(text))
                        && x.offset == *offs =>
                {
                    i += 1
                }
                _ => {
                    return Err(mismatch(&format!(
                        "{} {text:?} at {offs:?}",
                        errno_label(*errno)
                    )))
                }
            },
            Exp::Config { cmd, count, msg } => match got.get(i) {
                Some(Reply::Config {
                    cmd: c,
                    count: n,
                    msg: m,
                }) if c == cmd && n == count && m == msg => i += 1,
                _ => return Err(mismatch(&format!("config (cmd {cmd}) count {count}"))),
            },
            Exp::Dump { count, msg } => {
                for idx in 0..*count {
                    match got.get(i) {
                        Some(Reply::DumpItem { index, msg: m }) if *index == idx && m == msg => {
                            i += 1
                        }
                        _ => return Err(mismatch(&format!("dump item {idx} of {count}"))),
                    }
                }
                match got.get(i) {
                    Some(Reply::Done { .. }) => i += 1,
                    _ => return Err(mismatch("NLMSG_DONE")),
                }
            }
        }
    }
    if i != got.len() {
        return Err(mismatch("nothing more"));
    }
    Ok(())
}

/// Any request's answers must take one of the protocol's shapes: nothing; an echo or a
/// config (a get's reply, a set's echoed notification), perhaps followed by its ACK; an
/// ACK; an error; or dump items 0, 1, ... with one MSG, then NLMSG_DONE (no DONE when we
/// abandoned the dump).
fn legal_shape(got: &[&Reply], abandoned: bool) -> Result<(), String> {
    let ok = match got {
        []
        | [Reply::Echo { .. }]
        | [Reply::Echo { .. }, Reply::Ack(_)]
        | [Reply::Config { .. }]
        | [Reply::Config { .. }, Reply::Ack(_)]
        | [Reply::Ack(_)]
        | [Reply::Error(_)] => true,
        [first, ..] if matches!(first, Reply::DumpItem { .. }) => {
            let (items, tail) = if abandoned {
                (got, &[][..])
            } else {
                got.split_at(got.len() - 1)
            };
            let first_msg = match first {
                Reply::DumpItem { msg, .. } => msg,
                _ => unreachable!("matched above"),
            };
            let in_order = items.iter().enumerate().all(|(i, r)| {
                matches!(r, Reply::DumpItem { index, msg } if *index as usize == i && msg == first_msg)
            });
            in_order && (abandoned || matches!(tail, [Reply::Done { .. }]))
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("answers in no legal shape: {}", show(got)))
    }
}

fn print_batch(batch_no: u64, b: &Batch) {
    println!("# batch {batch_no}: {} messages", b.msgs.len());
    for m in &b.msgs {
        let hex: Vec<String> = m.bytes.iter().map(|x| format!("{x:02x}")).collect();
        println!(
            "#   seq {} {} ({} bytes): {}",
            m.seq,
            m.origin,
            m.bytes.len(),
            hex.join("")
        );
    }
}

/// The seq of the config-sets that put the defaults back: batches use 8n+1.. from 1.
const RESTORE_SEQ: u32 = u32::MAX;

impl Fuzzer {
    /// Sets the namespace's config back to the defaults, checked through its ACK.
    fn restore_config(&mut self) -> Result<(), String> {
        let req = Msg::genl(
            self.family,
            CMD_CONFIG_SET,
            NLM_F_REQUEST | NLM_F_ACK,
            RESTORE_SEQ,
        )
        .attr_u32(A_CONFIG_DUMP_COUNT, DUMP_DEFAULT_COUNT)
        .attr_str(A_CONFIG_DUMP_MSG, DUMP_DEFAULT_MSG.as_bytes())
        .finish();
        self.sock
            .send_all(&req)
            .map_err(|e| format!("restoring the config: send: {e}"))?;
        let msgs = recv_msgs(&self.sock, &mut self.buf, true)
            .map_err(|e| format!("restoring the config: {e}"))?
            .unwrap_or_default();
        match msgs.as_slice() {
            [m] if m.hdr.seq == RESTORE_SEQ => match parse::classify(&m.view(), self.family) {
                Ok(Reply::Ack(_)) => Ok(()),
                other => Err(format!("restoring the config: got {other:?}")),
            },
            _ => Err(format!(
                "restoring the config: {} messages instead of its ACK",
                msgs.len()
            )),
        }
    }
}

fn check_echo(family: u16) -> Result<(), String> {
    echo_round_trip(&open_socket()?, family, b"still alive after fuzzing")
}

fn run(args: &Args) -> ExitCode {
    let mut report = Report::new("fuzz");
    let Some(family) = family::resolve_reported(&mut report, FAMILY_NAME) else {
        return report.finish();
    };
    let mut kmsg = KmsgWatch::start_reported(&mut report);
    let sock = match open_socket() {
        Ok(s) => s,
        Err(e) => {
            report.fail("open a netlink socket", &e);
            return report.finish();
        }
    };
    let mut fz = Fuzzer {
        family,
        sock,
        buf: vec![0u8; RECV_BUF],
    };
    report.note(&format!(
        "seed {}, {} messages from batch {}",
        args.seed, args.count, args.from_batch
    ));
    let started = Instant::now();
    let mut t = Tally::default();
    let mut failures = Vec::new();
    let mut batch_no = args.from_batch;
    while t.messages < args.count && failures.len() < 5 {
        // At most 8 messages a batch: batch n uses seq 8n+1.., so a replay sends the same bytes.
        let seq = (batch_no.wrapping_mul(8) as u32).wrapping_add(1);
        let b = gen_batch(args.seed, batch_no, family, seq);
        let first_index = t.messages;
        if args.print {
            print_batch(batch_no, &b);
        }
        if let Err(e) = fz.run_batch(&b, &mut t) {
            if batch_no > 0 {
                let prev_seq = ((batch_no - 1).wrapping_mul(8) as u32).wrapping_add(1);
                print_batch(
                    batch_no - 1,
                    &gen_batch(args.seed, batch_no - 1, family, prev_seq),
                );
            }
            print_batch(batch_no, &b);
            failures.push(format!(
                "batch {batch_no} (messages {first_index}..{}): {e}\nreplay: hardening-fuzz --seed {} --from-batch {batch_no} --count {}",
                first_index + b.msgs.len() as u64,
                args.seed,
                b.msgs.len()
            ));
            // Start over on a clean socket: the failed batch may have left anything queued.
            match open_socket() {
                Ok(s) => fz.sock = s,
                Err(e) => {
                    failures.push(e);
                    break;
                }
            }
        }
        if b.may_set_config(family) {
            t.config_restores += 1;
            if let Err(e) = fz.restore_config() {
                failures.push(format!("after batch {batch_no}: {e}"));
                break;
            }
        }
        t.messages += b.msgs.len() as u64;
        t.batches += 1;
        batch_no += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    let errors: Vec<String> = t
        .errors
        .iter()
        .map(|(e, n)| format!("{} {n}", errno_label(*e)))
        .collect();
    report.note(&format!(
        "{} messages in {} batches ({} misframed on purpose) in {secs:.1} s",
        t.messages, t.batches, t.misframed_batches
    ));
    report.note(&format!(
        "answers: {} echoes, {} configs, {} ACKs, {} dump items, {} NLMSG_DONE, errors: {}; {} requests unanswered, {} dumps abandoned; the config put back {} times",
        t.echo,
        t.configs,
        t.ack,
        t.dump_items,
        t.done,
        if errors.is_empty() { "none".into() } else { errors.join(", ") },
        t.unanswered,
        t.abandoned_dumps,
        t.config_restores
    ));
    let name = format!(
        "{} fuzzed messages (seed {}): every answer well-formed and legal",
        t.messages, args.seed
    );
    report.check(
        &name,
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n"))
        },
    );
    report.check(
        &format!(
            "{} valid requests among them got exactly their answers",
            t.exact_checked
        ),
        if t.exact_checked > 0 {
            Ok(())
        } else {
            Err("no valid request was checked".into())
        },
    );
    report.check(
        "the module still answers a correct echo",
        check_echo(family),
    );
    if let Some(k) = kmsg.as_mut() {
        let result = match k.new_splats() {
            Ok(s) if s.is_empty() => Ok(()),
            Ok(s) => Err(s.join("\n")),
            Err(e) => Err(format!("reading /dev/kmsg: {e}")),
        };
        report.check("no kernel splat while fuzzing", result);
    }
    println!("fuzz messages: {}", t.messages);
    report.finish()
}

fn main() -> ExitCode {
    match parse_args() {
        Ok(args) => run(&args),
        Err(e) => {
            eprintln!("hardening-fuzz: {e}");
            ExitCode::from(2)
        }
    }
}
