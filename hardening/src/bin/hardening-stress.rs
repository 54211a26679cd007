//! Stress and fault tests of the gnl_foobar_xmpl family: concurrent echoes, concurrent and
//! abandoned dumps, a reader too slow for a long dump, network namespaces, and rmmod/insmod
//! cycles under load. Run in the guest as root, with the module loaded.
//!
//! Usage: hardening-stress [--long] [TEST...]
//!   TEST: echo, dumps, abandon, slow, netns, reload (default: all, in that order; reload
//!   last because it unloads the module). --long (or GNL_LONG=1) uses the long figures.

use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use gnl_hardening::dump::{read_dump, DumpSpec, DumpVerdict};
use gnl_hardening::family::{self, FamilyError};
use gnl_hardening::kmsg::KmsgWatch;
use gnl_hardening::parse::{self, Reply};
use gnl_hardening::proto::*;
use gnl_hardening::report::Report;
use gnl_hardening::rng::Rng;
use gnl_hardening::sock::{NlSocket, RECV_BUF};
use gnl_hardening::{drain, echo_round_trip, errno_label, join_errors, msg, recv_msgs};

const MODULE_NAME: &str = "gnl_foobar_xmpl";
const TIMEOUT: Duration = Duration::from_secs(20);

/// The figures of one run.
struct Figures {
    echo_threads: usize,
    echoes_per_thread: u32,
    dump_sockets: usize,
    dump_count: u32,
    abandoned: usize,
    slow_count: u32,
    reload_cycles: usize,
}

const DEFAULT: Figures = Figures {
    echo_threads: 16,
    echoes_per_thread: 10_000,
    dump_sockets: 64,
    dump_count: 1_000,
    abandoned: 1_000,
    slow_count: 100_000,
    reload_cycles: 50,
};

const LONG: Figures = Figures {
    dump_count: 20_000,
    reload_cycles: 200,
    ..DEFAULT
};

fn open(timeout: Duration) -> Result<NlSocket, String> {
    let s = NlSocket::open().map_err(|e| format!("netlink socket: {e}"))?;
    s.set_timeout(timeout)
        .map_err(|e| format!("SO_RCVTIMEO: {e}"))?;
    Ok(s)
}

/// One echo round trip on a fresh socket.
fn echo_once(family: u16, text: &[u8]) -> Result<(), String> {
    echo_round_trip(&open(TIMEOUT)?, family, text)
}

// ---------------------------------------------------------------------------------------
// 16 threads x 10,000 echoes with unique payloads

/// One thread's echoes: up to `window` requests in flight on its own socket; every reply
/// is matched to its request by seq and payload. Returns the number matched.
fn echo_worker(family: u16, thread_no: usize, n: u32, window: u32) -> Result<u32, String> {
    let sock = open(TIMEOUT)?;
    let mut rng = Rng::new(0xec40 + thread_no as u64);
    let payloads: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            let pad = rng.below(48) as usize;
            let mut p = format!("t{thread_no:02} i{i:05} {:016x} ", rng.next_u64()).into_bytes();
            p.extend(rng.text(pad));
            p
        })
        .collect();
    let mut matched = vec![false; n as usize];
    let (mut sent, mut got) = (0u32, 0u32);
    let mut buf = vec![0u8; RECV_BUF];
    while got < n {
        while sent < n && sent - got < window {
            sock.send_all(&msg::echo(
                family,
                NLM_F_REQUEST,
                sent + 1,
                &payloads[sent as usize],
            ))
            .map_err(|e| format!("thread {thread_no}: send {sent}: {e}"))?;
            sent += 1;
        }
        let msgs = match recv_msgs(&sock, &mut buf, true) {
            Ok(m) => m.unwrap_or_default(),
            Err(e) => {
                return Err(format!(
                    "thread {thread_no}: {e} after {got} of {sent} replies ({} lost)",
                    sent - got
                ))
            }
        };
        for m in msgs {
            let idx = m.hdr.seq.wrapping_sub(1) as usize;
            let ok_msg = match parse::classify(&m.view(), family) {
                Ok(Reply::Echo { msg }) => msg,
                other => return Err(format!("thread {thread_no}: seq {}: {other:?}", m.hdr.seq)),
            };
            match matched.get(idx) {
                None => {
                    return Err(format!(
                        "thread {thread_no}: reply to unknown seq {}",
                        m.hdr.seq
                    ))
                }
                Some(true) => {
                    return Err(format!(
                        "thread {thread_no}: duplicate reply to seq {}",
                        m.hdr.seq
                    ))
                }
                Some(false) if ok_msg != payloads[idx] => {
                    return Err(format!(
                        "thread {thread_no}: seq {} carries another payload",
                        m.hdr.seq
                    ))
                }
                Some(false) => {
                    matched[idx] = true;
                    got += 1;
                }
            }
        }
    }
    // Nothing more may come: no duplicate arrives late.
    let late = drain(&sock, &mut buf, usize::MAX).map_err(|e| e.to_string())?;
    if !late.is_empty() {
        return Err(format!(
            "thread {thread_no}: {} messages after the last reply",
            late.len()
        ));
    }
    Ok(got)
}

fn test_echo(r: &mut Report, family: u16, f: &Figures) -> u64 {
    let started = Instant::now();
    let handles: Vec<_> = (0..f.echo_threads)
        .map(|t| {
            let n = f.echoes_per_thread;
            thread::spawn(move || echo_worker(family, t, n, 32))
        })
        .collect();
    let mut matched = 0u64;
    let mut errors = Vec::new();
    for h in handles {
        match h.join() {
            Ok(Ok(n)) => matched += u64::from(n),
            Ok(Err(e)) => errors.push(e),
            Err(_) => errors.push("a thread panicked".into()),
        }
    }
    let total = f.echo_threads as u64 * u64::from(f.echoes_per_thread);
    r.note(&format!(
        "{matched} of {total} echoes matched in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    r.check(
        &format!(
            "{} threads x {} echoes: every reply matched to its request, none lost or duplicated",
            f.echo_threads, f.echoes_per_thread
        ),
        if errors.is_empty() && matched == total {
            Ok(())
        } else {
            Err(errors.join("\n"))
        },
    );
    if errors.is_empty() {
        matched
    } else {
        0
    }
}

// ---------------------------------------------------------------------------------------
// 64 sockets dumping at once

fn test_dumps(r: &mut Report, family: u16, f: &Figures) {
    let started = Instant::now();
    let barrier = Arc::new(Barrier::new(f.dump_sockets));
    let handles: Vec<_> = (0..f.dump_sockets)
        .map(|t| {
            let barrier = Arc::clone(&barrier);
            let count = f.dump_count;
            thread::spawn(move || -> Result<(), String> {
                let sock = open(TIMEOUT)?;
                let text = format!("dumper {t}");
                barrier.wait();
                sock.send_all(&msg::dump(family, 7, Some(count), Some(text.as_bytes())))
                    .map_err(|e| format!("socket {t}: send: {e}"))?;
                let spec = DumpSpec {
                    family,
                    seq: 7,
                    port: sock.port(),
                    msg: text.as_bytes(),
                };
                match read_dump(&mut &sock, &spec, RECV_BUF) {
                    DumpVerdict::Complete { count: c } if c == count => Ok(()),
                    v => Err(format!("socket {t}: {v:?}")),
                }
            })
        })
        .collect();
    let errors = join_errors(handles, "a thread");
    r.note(&format!(
        "concurrent dumps took {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    r.check(
        &format!(
            "{} sockets dumping {} messages at once: each dump complete and in order",
            f.dump_sockets, f.dump_count
        ),
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        },
    );
}

// ---------------------------------------------------------------------------------------
// 1,000 dumps abandoned in the middle

fn abandon_one(family: u16, i: usize, buf: &mut [u8]) -> Result<(), String> {
    let sock = open(TIMEOUT)?;
    sock.send_all(&msg::dump(
        family,
        3,
        Some(DUMP_MAX_COUNT),
        Some(b"abandoned"),
    ))
    .map_err(|e| format!("dump {i}: send: {e}"))?;
    let msgs = recv_msgs(&sock, buf, true)
        .map_err(|e| format!("dump {i}: {e}"))?
        .unwrap_or_default();
    match msgs.first().map(|m| parse::classify(&m.view(), family)) {
        Some(Ok(Reply::DumpItem { index: 0, .. })) => Ok(()),
        other => Err(format!("dump {i}: first message {other:?}")),
    }
    // Dropping the socket here closes it with the dump in the middle.
}

fn module_refcnt() -> Result<u64, String> {
    let path = format!("/sys/module/{MODULE_NAME}/refcnt");
    let s = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    s.trim().parse().map_err(|_| format!("{path}: {s:?}"))
}

/// A running dump pins the module (netlink takes a reference on the family's module). A
/// closed socket's dump is finished off asynchronously -- after an RCU grace period, from
/// a workqueue (netlink_sock_destruct) -- and userspace has no event to wait for, so this
/// polls the module's reference count until it is back to 0, within a deadline. A dump
/// that leaked its reference would fail here, and keep the module from ever unloading.
fn wait_refcnt_zero(deadline: Duration) -> Result<Duration, String> {
    let started = Instant::now();
    loop {
        let n = module_refcnt()?;
        if n == 0 {
            return Ok(started.elapsed());
        }
        if started.elapsed() > deadline {
            return Err(format!("refcnt still {n} after {deadline:?}"));
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// While a dump runs, netlink holds a reference on the family's module (that is what keeps
/// rmmod away from a dump in progress); the reference count is how the test below sees
/// that abandoned dumps were cleaned up.
fn dump_pins_module(family: u16) -> Result<u64, String> {
    let sock = open(TIMEOUT)?;
    let mut buf = vec![0u8; RECV_BUF];
    sock.send_all(&msg::dump(family, 3, Some(DUMP_MAX_COUNT), None))
        .map_err(|e| format!("send: {e}"))?;
    recv_msgs(&sock, &mut buf, true).map_err(|e| e.to_string())?;
    match module_refcnt()? {
        0 => Err("refcnt is 0 while a dump is running".into()),
        n => Ok(n),
    }
}

fn test_abandon(r: &mut Report, family: u16, f: &Figures) {
    r.check(
        "a running dump holds a reference on the module",
        dump_pins_module(family).map(drop),
    );
    let started = Instant::now();
    let threads = 4;
    let per = f.abandoned.div_ceil(threads);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let n = per.min(f.abandoned.saturating_sub(t * per));
            thread::spawn(move || -> Result<(), String> {
                let mut buf = vec![0u8; RECV_BUF];
                for i in 0..n {
                    abandon_one(family, t * per + i, &mut buf)?;
                }
                Ok(())
            })
        })
        .collect();
    let errors = join_errors(handles, "a thread");
    r.note(&format!(
        "abandoning dumps took {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    r.check(
        &format!(
            "{} dumps of {DUMP_MAX_COUNT} messages abandoned after their first datagram",
            f.abandoned
        ),
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        },
    );
    r.check(
        "the module answers an echo after the abandoned dumps",
        echo_once(family, b"after abandoned dumps"),
    );
    let released = wait_refcnt_zero(Duration::from_secs(30));
    if let Ok(d) = &released {
        r.note(&format!(
            "module reference count back to 0 after {:.2} s",
            d.as_secs_f64()
        ));
    }
    r.check(
        "abandoned dumps release their module references (refcnt back to 0)",
        released.map(drop),
    );
}

// ---------------------------------------------------------------------------------------
// A receiver too slow for a 100,000-message dump

fn test_slow(r: &mut Report, family: u16, f: &Figures) {
    // A tiny receive queue is the slowest reader the kernel can see: it never holds more
    // than about one skb of the dump. Flow control (netlink_dump only runs when the queue
    // has room) makes the dump wait for the reader instead of dropping anything, so the
    // truth to assert is a complete dump.
    let result = (|| -> Result<String, String> {
        let sock = open(TIMEOUT)?;
        sock.set_rcvbuf(4096)
            .map_err(|e| format!("SO_RCVBUF: {e}"))?;
        let rcvbuf = sock.rcvbuf().map_err(|e| format!("SO_RCVBUF: {e}"))?;
        let started = Instant::now();
        sock.send_all(&msg::dump(family, 11, Some(f.slow_count), Some(b"slow")))
            .map_err(|e| format!("send: {e}"))?;
        let spec = DumpSpec {
            family,
            seq: 11,
            port: sock.port(),
            msg: b"slow",
        };
        match read_dump(&mut &sock, &spec, RECV_BUF) {
            DumpVerdict::Complete { count } if count == f.slow_count => Ok(format!(
                "{count} messages through a {rcvbuf}-byte receive buffer in {:.1} s",
                started.elapsed().as_secs_f64()
            )),
            v => Err(format!("{v:?}")),
        }
    })();
    if let Ok(n) = &result {
        r.note(n);
    }
    r.check(
        &format!(
            "a {}-message dump to a tiny receive buffer arrives complete and in order",
            f.slow_count
        ),
        result.map(drop),
    );

    // Loss the reader must notice. 1: a receive buffer smaller than the datagram: the
    // kernel copies what fits, sets MSG_TRUNC and discards the rest of the datagram.
    let truncated = (|| -> Result<(), String> {
        let sock = open(TIMEOUT)?;
        sock.send_all(&msg::dump(family, 12, Some(1000), Some(b"truncated")))
            .map_err(|e| format!("send: {e}"))?;
        let spec = DumpSpec {
            family,
            seq: 12,
            port: sock.port(),
            msg: b"truncated",
        };
        match read_dump(&mut &sock, &spec, 256) {
            DumpVerdict::Incomplete { why, .. } if why.contains("MSG_TRUNC") => Ok(()),
            v => Err(format!("the reader said {v:?}")),
        }
    })();
    r.check(
        "a datagram cut by a small buffer (MSG_TRUNC) makes the reader report the dump incomplete",
        truncated,
    );

    // 2: replies that find the queue full are dropped, and the next recvmsg fails with
    // ENOBUFS. Echo replies queued behind a dump's first skb overflow a tiny queue.
    let overrun = (|| -> Result<(), String> {
        let sock = open(TIMEOUT)?;
        sock.set_rcvbuf(4096)
            .map_err(|e| format!("SO_RCVBUF: {e}"))?;
        sock.send_all(&msg::dump(family, 13, Some(1000), Some(b"overrun")))
            .map_err(|e| format!("send: {e}"))?;
        let filler = vec![b'x'; 1000];
        for i in 0..64 {
            sock.send_all(&msg::echo(family, NLM_F_REQUEST, 100 + i, &filler))
                .map_err(|e| format!("send: {e}"))?;
        }
        let spec = DumpSpec {
            family,
            seq: 13,
            port: sock.port(),
            msg: b"overrun",
        };
        match read_dump(&mut &sock, &spec, RECV_BUF) {
            DumpVerdict::Incomplete { why, .. } if why.contains("ENOBUFS") => Ok(()),
            v => Err(format!("the reader said {v:?}")),
        }
    })();
    r.check(
        "replies dropped by a full queue (ENOBUFS) make the reader report the dump incomplete",
        overrun,
    );
}

// ---------------------------------------------------------------------------------------
// Network namespaces

/// A socket created in a new network namespace (unshare(CLONE_NEWNET) in a thread of its
/// own: namespaces belong to the task, and a socket stays in the namespace it was created
/// in), bound to `port`, and the family's id as nlctrl of that namespace reports it.
fn socket_in_new_netns(port: u32) -> Result<(NlSocket, u16), String> {
    thread::spawn(move || -> Result<(NlSocket, u16), String> {
        // SAFETY: plain syscall; affects only this thread.
        if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
            return Err(format!(
                "unshare(CLONE_NEWNET): {}",
                io::Error::last_os_error()
            ));
        }
        let id = family::resolve(FAMILY_NAME).map_err(|e| format!("in the new namespace: {e}"))?;
        let sock =
            NlSocket::open_bound(port).map_err(|e| format!("bind port {port} there: {e}"))?;
        sock.set_timeout(TIMEOUT).map_err(|e| e.to_string())?;
        Ok((sock, id))
    })
    .join()
    .map_err(|_| "the namespace thread panicked".to_string())?
}

/// Exactly one echo reply, with `text`, addressed to `port`, and nothing else queued.
fn expect_only_echo(sock: &NlSocket, family: u16, port: u32, text: &[u8]) -> Result<(), String> {
    let mut buf = vec![0u8; RECV_BUF];
    let first = recv_msgs(sock, &mut buf, true)
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    let rest = drain(sock, &mut buf, usize::MAX).map_err(|e| e.to_string())?;
    if first.len() != 1 || !rest.is_empty() {
        return Err(format!(
            "{} messages instead of one",
            first.len() + rest.len()
        ));
    }
    let m = &first[0];
    match parse::classify(&m.view(), family) {
        Ok(Reply::Echo { msg }) if msg == text && m.hdr.portid == port => Ok(()),
        other => Err(format!("got {other:?} for port {}", m.hdr.portid)),
    }
}

fn test_netns(r: &mut Report, family: u16) {
    let port = 0x7000_0000 | (std::process::id() & 0x00ff_ffff);
    let made = socket_in_new_netns(port);
    let (ns_sock, ns_id) = match made {
        Ok(x) => x,
        Err(e) => {
            r.fail(
                "resolve and use the family from a new network namespace",
                &e,
            );
            return;
        }
    };
    r.check(
        "nlctrl in a new network namespace knows the family, under the same id",
        if ns_id == family {
            Ok(())
        } else {
            Err(format!("id {ns_id}, not {family}"))
        },
    );
    r.check(
        "echo from a new network namespace",
        (|| {
            ns_sock
                .send_all(&msg::echo(family, NLM_F_REQUEST, 1, b"netns alone"))
                .map_err(|e| e.to_string())?;
            expect_only_echo(&ns_sock, family, port, b"netns alone")
        })(),
    );
    r.check(
        "dump from a new network namespace",
        (|| {
            ns_sock
                .send_all(&msg::dump(family, 2, Some(5), Some(b"netns dump")))
                .map_err(|e| e.to_string())?;
            let spec = DumpSpec {
                family,
                seq: 2,
                port,
                msg: b"netns dump",
            };
            match read_dump(&mut &ns_sock, &spec, RECV_BUF) {
                DumpVerdict::Complete { count: 5 } => Ok(()),
                v => Err(format!("{v:?}")),
            }
        })(),
    );
    // The same port in both namespaces: each reply goes to the socket of the namespace its
    // request came from, never across.
    r.check(
        "same nl_pid bound in two namespaces: each gets its own reply only",
        (|| {
            let init_sock = NlSocket::open_bound(port)
                .map_err(|e| format!("bind port {port} in the first namespace: {e}"))?;
            init_sock.set_timeout(TIMEOUT).map_err(|e| e.to_string())?;
            init_sock
                .send_all(&msg::echo(
                    family,
                    NLM_F_REQUEST,
                    5,
                    b"from the first namespace",
                ))
                .map_err(|e| e.to_string())?;
            ns_sock
                .send_all(&msg::echo(
                    family,
                    NLM_F_REQUEST,
                    5,
                    b"from the new namespace",
                ))
                .map_err(|e| e.to_string())?;
            expect_only_echo(&init_sock, family, port, b"from the first namespace")
                .map_err(|e| format!("first namespace: {e}"))?;
            expect_only_echo(&ns_sock, family, port, b"from the new namespace")
                .map_err(|e| format!("new namespace: {e}"))
        })(),
    );
}

// ---------------------------------------------------------------------------------------
// rmmod + insmod while clients are sending

fn delete_module(name: &str) -> io::Result<()> {
    let c = CString::new(name).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    // SAFETY: a NUL-terminated name and flags; O_NONBLOCK fails instead of waiting for users.
    let r = unsafe { libc::syscall(libc::SYS_delete_module, c.as_ptr(), libc::O_NONBLOCK) };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn load_module(ko: &Path) -> io::Result<()> {
    let f = File::open(ko)?;
    let params = CString::default();
    // SAFETY: an open file descriptor, a NUL-terminated parameter string, no flags.
    let r = unsafe { libc::syscall(libc::SYS_finit_module, f.as_raw_fd(), params.as_ptr(), 0) };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[derive(Default)]
struct ClientCounts {
    replies: AtomicU64,
    ctrl_enoent: AtomicU64,
    stale_id: AtomicU64,
}

/// A client that resolves the family and echoes, over and over, until told to stop. The
/// family may vanish at any moment: nlctrl then answers ENOENT, and a request to the id
/// it had answers ENOENT (no family with that id any more) or EOPNOTSUPP. Anything else
/// -- another errno, a wrong payload, silence -- is a failure.
fn reload_client(c: usize, stop: Arc<AtomicBool>, counts: Arc<ClientCounts>) -> Result<(), String> {
    let sock = open(TIMEOUT)?;
    let mut buf = vec![0u8; RECV_BUF];
    let mut seq: u32 = 0;
    let mut id = None;
    while !stop.load(Ordering::Relaxed) {
        seq = seq.wrapping_add(2);
        if id.is_none() || seq % 16 == 0 {
            match family::resolve_on(&sock, FAMILY_NAME, seq) {
                Ok(i) => id = Some(i),
                Err(FamilyError::Errno(libc::ENOENT)) => {
                    counts.ctrl_enoent.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                Err(e) => return Err(format!("client {c}: {e}")),
            }
        }
        let Some(fam) = id else { continue };
        let text = format!("client {c} seq {seq}");
        sock.send_all(&msg::echo(fam, NLM_F_REQUEST, seq + 1, text.as_bytes()))
            .map_err(|e| format!("client {c}: send: {e}"))?;
        let msgs = recv_msgs(&sock, &mut buf, true)
            .map_err(|e| format!("client {c}: {e}"))?
            .unwrap_or_default();
        let Some(m) = msgs.first() else {
            return Err(format!("client {c}: empty datagram"));
        };
        if msgs.len() != 1 || m.hdr.seq != seq + 1 {
            return Err(format!(
                "client {c}: {} messages, first seq {}",
                msgs.len(),
                m.hdr.seq
            ));
        }
        match m.hdr.nl_type {
            NLMSG_ERROR => {
                let e = parse::parse_error(&m.view()).map_err(|e| format!("client {c}: {e}"))?;
                if e.errno == libc::ENOENT || e.errno == libc::EOPNOTSUPP {
                    counts.stale_id.fetch_add(1, Ordering::Relaxed);
                    id = None;
                } else {
                    return Err(format!(
                        "client {c}: echo failed with {}",
                        errno_label(e.errno)
                    ));
                }
            }
            _ => match parse::classify(&m.view(), fam) {
                Ok(Reply::Echo { msg }) if msg == text.as_bytes() => {
                    counts.replies.fetch_add(1, Ordering::Relaxed);
                }
                other => return Err(format!("client {c}: {other:?}")),
            },
        }
    }
    Ok(())
}

fn test_reload(r: &mut Report, f: &Figures) {
    let ko = match std::env::var("GNL_FOOBAR_XMPL_KO") {
        Ok(k) if !k.is_empty() => k,
        _ => {
            r.fail(
                "rmmod/insmod cycles",
                "GNL_FOOBAR_XMPL_KO is not set (the guest sets it)",
            );
            return;
        }
    };
    let ko = Path::new(&ko);
    // Abandoned dumps from earlier tests must have let go of the module.
    if let Err(e) = wait_refcnt_zero(Duration::from_secs(30)) {
        r.fail("the module is unused before the rmmod/insmod cycles", &e);
        return;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let counts = Arc::new(ClientCounts::default());
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let stop = Arc::clone(&stop);
            let counts = Arc::clone(&counts);
            thread::spawn(move || reload_client(c, stop, counts))
        })
        .collect();
    let started = Instant::now();
    let mut cycle_error = None;
    let mut loaded = true;
    for cycle in 0..f.reload_cycles {
        if let Err(e) = delete_module(MODULE_NAME) {
            cycle_error = Some(format!("cycle {cycle}: delete_module: {e}"));
            break;
        }
        loaded = false;
        if let Err(e) = load_module(ko) {
            cycle_error = Some(format!(
                "cycle {cycle}: finit_module({}): {e}",
                ko.display()
            ));
            break;
        }
        loaded = true;
    }
    stop.store(true, Ordering::Relaxed);
    let client_errors = join_errors(clients, "a client");
    if !loaded {
        // Leave the module loaded for whatever runs next, whatever happened.
        if let Err(e) = load_module(ko) {
            r.fail("reload the module after a failed cycle", &e.to_string());
        }
    }
    r.note(&format!(
        "{} cycles in {:.1} s; clients: {} echoes answered, {} ENOENT from nlctrl, {} errors for a stale id",
        f.reload_cycles,
        started.elapsed().as_secs_f64(),
        counts.replies.load(Ordering::Relaxed),
        counts.ctrl_enoent.load(Ordering::Relaxed),
        counts.stale_id.load(Ordering::Relaxed)
    ));
    r.check(
        &format!("{} cycles of rmmod + insmod under load", f.reload_cycles),
        cycle_error.map_or(Ok(()), Err),
    );
    r.check(
        "clients see only echoes or clean errors (ENOENT, EOPNOTSUPP) while the module comes and goes",
        if client_errors.is_empty() { Ok(()) } else { Err(client_errors.join("\n")) },
    );
    let after = family::resolve(FAMILY_NAME)
        .map_err(|e| e.to_string())
        .and_then(|id| echo_once(id, b"after the last insmod"));
    r.check("the module works after the last insmod", after);
}

// ---------------------------------------------------------------------------------------

fn main() -> ExitCode {
    let mut long = std::env::var("GNL_LONG").as_deref() == Ok("1");
    let mut tests = Vec::new();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--long" => long = true,
            "echo" | "dumps" | "abandon" | "slow" | "netns" | "reload" => tests.push(a),
            _ => {
                eprintln!("hardening-stress: unknown argument {a}");
                return ExitCode::from(2);
            }
        }
    }
    if tests.is_empty() {
        tests = ["echo", "dumps", "abandon", "slow", "netns", "reload"]
            .map(String::from)
            .to_vec();
    }
    let f = if long { &LONG } else { &DEFAULT };
    let mut r = Report::new("stress");
    let Some(family) = family::resolve_reported(&mut r, FAMILY_NAME) else {
        return r.finish();
    };
    let mut kmsg = KmsgWatch::start_reported(&mut r);
    let mut matched = 0;
    for t in &tests {
        let started = Instant::now();
        match t.as_str() {
            "echo" => matched = test_echo(&mut r, family, f),
            "dumps" => test_dumps(&mut r, family, f),
            "abandon" => test_abandon(&mut r, family, f),
            "slow" => test_slow(&mut r, family, f),
            "netns" => test_netns(&mut r, family),
            _ => test_reload(&mut r, f),
        }
        eprintln!(
            "hardening-stress: {t} took {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(k) = kmsg.as_mut() {
        let result = match k.new_splats() {
            Ok(s) if s.is_empty() => Ok(()),
            Ok(s) => Err(s.join("\n")),
            Err(e) => Err(format!("reading /dev/kmsg: {e}")),
        };
        r.check("no kernel splat during the stress tests", result);
    }
    println!("stress echoes matched: {matched}");
    r.finish()
}
