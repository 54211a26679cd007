//! Fault injection of every allocation on the module's paths: for each operation of the
//! gnl_foobar_xmpl family, fails the 1st, 2nd, ... Nth kernel allocation of each system call
//! the client makes (/proc/thread-self/fail-nth, CONFIG_FAULT_INJECTION) until the operation
//! runs with no failure injected, and checks that each failure ends in a clean error.
//!
//! Runs in the guest of a debug kernel (vm/kernels' role "debug") as root, with the module
//! loaded; it fails, never skips, where the fault-injection knobs are missing. It works in
//! a network namespace of its own, which starts with the default config and is destroyed
//! (its config freed: kmemleak sees it) when the program ends.
//!
//! Usage: hardening-failnth [OPERATION...]
//!   OPERATION: echo, dump-one, dump-default, dump-multi-skb, dump-max-msg,
//!   reply-with-error, config-get, config-set (default: all, in that order).

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::process::ExitCode;
use std::time::Duration;

use gnl_hardening::family;
use gnl_hardening::kmsg::KmsgWatch;
use gnl_hardening::parse::{self, Reply};
use gnl_hardening::proto::*;
use gnl_hardening::report::Report;
use gnl_hardening::sock::{NlSocket, RECV_BUF};
use gnl_hardening::{echo_round_trip, errno_label, msg};

const MODULE_NAME: &str = "gnl_foobar_xmpl";
const ALWAYS_FAILS: &str = "GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails";
/// More receive calls than any operation below needs: past it the dump never ends.
const MAX_SYSCALLS: usize = 200;
/// More allocations than one system call of these operations makes: past it the counter
/// is not being consumed the way this tool assumes.
const MAX_FAILURE_POINTS: u32 = 500;
/// A check echo that does not come back within this fails instead of hanging the suite.
const ECHO_TIMEOUT: Duration = Duration::from_secs(20);

/// The knobs that make every allocation a failure point, and the values this tool sets.
/// failslab and fail_page_alloc skip allocations that may sleep unless ignore-gfp-wait is
/// off (GFP_KERNEL ones: most of netlink's); fail_page_alloc skips order-0 pages unless
/// min-order is 0. verbose 1 logs one line a failure, without the call trace of 2.
const KNOBS: &[(&str, &str)] = &[
    ("/sys/kernel/debug/failslab/ignore-gfp-wait", "N"),
    ("/sys/kernel/debug/failslab/verbose", "1"),
    ("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N"),
    ("/sys/kernel/debug/fail_page_alloc/min-order", "0"),
    ("/sys/kernel/debug/fail_page_alloc/verbose", "1"),
];

/// The calling thread's fail-nth file. Writing N makes the Nth fault-injection point the
/// thread reaches from then on fail; reading gives what is left of the count, 0 once the
/// failure was injected. It must be armed by the thread that sends, right before the
/// system call: anything in between (an exec, a page fault) would consume the count.
struct FailNth {
    file: File,
}

impl FailNth {
    fn open() -> io::Result<Self> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open("/proc/thread-self/fail-nth")?;
        Ok(FailNth { file })
    }

    fn arm(&self, nth: u32) -> io::Result<()> {
        self.file.write_at(nth.to_string().as_bytes(), 0).map(drop)
    }

    /// Disarms the counter; returns whether the armed failure was injected.
    fn disarm(&self) -> io::Result<bool> {
        let mut buf = [0u8; 16];
        let n = self.file.read_at(&mut buf, 0)?;
        let left: u32 = std::str::from_utf8(&buf[..n])
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| io::Error::other(format!("fail-nth reads {:?}", &buf[..n])))?;
        if left != 0 {
            self.file.write_at(b"0", 0)?;
        }
        Ok(left == 0)
    }
}

/// What a correct answer to an operation is.
#[derive(Clone, Copy)]
enum Expect {
    Echo,
    Dump {
        count: u32,
    },
    Error {
        errno: i32,
    },
    /// The namespace's config, as a CONFIG_GET reply.
    ConfigGet,
    /// A CONFIG_SET of the run's count and the operation's text, with NLM_F_ECHO: the
    /// echoed CONFIG_NTF, then the ACK. A listener of the config group watches each run.
    ConfigSet,
}

struct Operation {
    name: &'static str,
    text: Vec<u8>,
    expect: Expect,
}

/// A namespace's config: dump count and message.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Config {
    count: u32,
    msg: Vec<u8>,
}

impl Operation {
    /// The request; `count` is what a config-set sets (a new value every run).
    fn request(&self, family: u16, count: u32) -> Vec<u8> {
        match self.expect {
            Expect::Echo => msg::echo(family, NLM_F_REQUEST, 1, &self.text),
            Expect::Dump { count } => msg::dump(family, 1, Some(count), Some(&self.text)),
            Expect::Error { .. } => {
                msg::Msg::genl(family, CMD_REPLY_WITH_NLMSG_ERR, NLM_F_REQUEST, 1)
                    .attr_str(A_MSG, &self.text)
                    .finish()
            }
            Expect::ConfigGet => msg::Msg::genl(family, CMD_CONFIG_GET, NLM_F_REQUEST, 1).finish(),
            Expect::ConfigSet => msg::Msg::genl(
                family,
                CMD_CONFIG_SET,
                NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO,
                1,
            )
            .attr_u32(A_CONFIG_DUMP_COUNT, count)
            .attr_str(A_CONFIG_DUMP_MSG, &self.text)
            .finish(),
        }
    }

    fn is_config(&self) -> bool {
        matches!(self.expect, Expect::ConfigGet | Expect::ConfigSet)
    }
}

/// The operations, each dump size class one of them: one message, the default three,
/// enough to need several skbs, and maximal messages (their min_dump_alloc sizes the skb).
fn operations() -> Vec<Operation> {
    let max_msg = vec![b'm'; MSG_MAX_LEN - 1];
    vec![
        Operation {
            name: "echo",
            text: b"fail-nth echo".to_vec(),
            expect: Expect::Echo,
        },
        Operation {
            name: "dump-one",
            text: b"fail-nth dump".to_vec(),
            expect: Expect::Dump { count: 1 },
        },
        Operation {
            name: "dump-default",
            text: DUMP_DEFAULT_MSG.as_bytes().to_vec(),
            expect: Expect::Dump {
                count: DUMP_DEFAULT_COUNT,
            },
        },
        Operation {
            name: "dump-multi-skb",
            text: b"fail-nth dump".to_vec(),
            expect: Expect::Dump { count: 2000 },
        },
        Operation {
            name: "dump-max-msg",
            text: max_msg,
            expect: Expect::Dump { count: 4 },
        },
        Operation {
            name: "reply-with-error",
            text: b"fail-nth error".to_vec(),
            expect: Expect::Error {
                errno: libc::EINVAL,
            },
        },
        Operation {
            name: "config-get",
            text: Vec::new(),
            expect: Expect::ConfigGet,
        },
        Operation {
            name: "config-set",
            text: b"fail-nth set".to_vec(),
            expect: Expect::ConfigSet,
        },
    ]
}

/// How an operation ended.
#[derive(Debug)]
enum Outcome {
    /// The correct answer, complete.
    Complete,
    /// An allocation-failure errno, where the client sees it.
    CleanError(String),
}

/// One run of an operation.
struct Run {
    outcome: Outcome,
    injected: bool,
    /// System calls made: the sendmsg, then each recvmsg.
    syscalls: usize,
}

/// The errnos an allocation failure may surface as: ENOBUFS from netlink_sendmsg(), from
/// netlink_ack() (as a socket error) or from a dump's skb, ENOMEM from everything else.
fn is_alloc_errno(e: i32) -> bool {
    e == libc::ENOMEM || e == libc::ENOBUFS
}

/// Follows the answer message by message; Some(outcome) once it has ended.
struct AnswerCheck<'a> {
    op: &'a Operation,
    items: u32,
    /// Config operations: what a get must answer (the config before the run), or what
    /// a set's echo must carry.
    config: Option<Config>,
}

impl<'a> AnswerCheck<'a> {
    fn new(op: &'a Operation, config: Option<Config>) -> Self {
        AnswerCheck {
            op,
            items: 0,
            config,
        }
    }

    fn is_config(&self, cmd: u8, count: u32, msg: &[u8]) -> bool {
        self.config
            .as_ref()
            .is_some_and(|c| c.count == count && c.msg == msg)
            && cmd
                == match self.op.expect {
                    Expect::ConfigSet => CMD_CONFIG_NTF,
                    _ => CMD_CONFIG_GET,
                }
    }

    fn take(&mut self, reply: Reply) -> Result<Option<Outcome>, String> {
        let text = &self.op.text;
        match (self.op.expect, reply) {
            (Expect::ConfigGet, Reply::Config { cmd, count, msg })
                if self.is_config(cmd, count, &msg) =>
            {
                Ok(Some(Outcome::Complete))
            }
            // items counts the echoed notification: the ACK must follow exactly one.
            (Expect::ConfigSet, Reply::Config { cmd, count, msg })
                if self.items == 0 && self.is_config(cmd, count, &msg) =>
            {
                self.items = 1;
                Ok(None)
            }
            (Expect::ConfigSet, Reply::Ack(_)) if self.items == 1 => Ok(Some(Outcome::Complete)),
            (Expect::ConfigSet, Reply::Ack(_)) => Err(
                "the ACK of a config-set with NLM_F_ECHO came without the echoed notification"
                    .into(),
            ),
            (_, Reply::Error(e)) if is_alloc_errno(e.errno) => Ok(Some(Outcome::CleanError(
                format!("NLMSG_ERROR {} after {} items", errno_label(e.errno), self.items),
            ))),
            (Expect::Echo, Reply::Echo { msg }) if msg == *text => Ok(Some(Outcome::Complete)),
            (Expect::Error { errno }, Reply::Error(e))
                if e.errno == errno && e.message.as_deref() == Some(ALWAYS_FAILS) =>
            {
                Ok(Some(Outcome::Complete))
            }
            (Expect::Dump { .. }, Reply::DumpItem { index, msg })
                if index == self.items && msg == *text =>
            {
                self.items += 1;
                Ok(None)
            }
            (Expect::Dump { count }, Reply::Done { status: 0, .. }) if self.items == count => {
                Ok(Some(Outcome::Complete))
            }
            (Expect::Dump { count }, Reply::Done { status: 0, .. }) => Err(format!(
                "NLMSG_DONE with status 0 after {} of {count} items: a partial dump passed for complete",
                self.items
            )),
            (Expect::Dump { .. }, Reply::Done { status, .. }) if is_alloc_errno(-status) => {
                Ok(Some(Outcome::CleanError(format!(
                    "NLMSG_DONE {} after {} items",
                    errno_label(-status),
                    self.items
                ))))
            }
            (_, other) => Err(format!("unexpected {other:?} after {} items", self.items)),
        }
    }
}

/// Where to inject: the `nth` allocation of system call `syscall` (0: the sendmsg).
#[derive(Clone, Copy)]
struct Arm {
    syscall: usize,
    nth: u32,
}

/// Runs `op` once on a fresh socket, injecting the failure `arm` names. Every answer is
/// queued by the time the system call that produced it returns (the kernel handles a
/// request inside sendmsg(), and refills a dump inside recvmsg()), so a non-blocking
/// recvmsg that finds nothing before the answer has ended is a lost answer: the client
/// would wait forever. A config operation is checked against the config before it, and
/// afterwards against what the namespace holds and what a listener heard.
fn run_once(
    op: &Operation,
    ctx: &Context,
    fail: &FailNth,
    arm: Option<Arm>,
    run_no: u32,
) -> Result<Run, String> {
    let family = ctx.family;
    // A new value every run, so that an old notification cannot pass for this one.
    let set_count = DUMP_MIN_COUNT + run_no % 1000;
    let before = if op.is_config() {
        Some(config_now(family)?)
    } else {
        None
    };
    let listener = match op.expect {
        Expect::ConfigSet => Some(listen(ctx.config_group)?),
        _ => None,
    };
    let expected = match op.expect {
        Expect::ConfigSet => Some(Config {
            count: set_count,
            msg: op.text.clone(),
        }),
        _ => before.clone(),
    };
    let run = exchange(op, family, fail, arm, set_count, expected.clone())?;
    if let (Some(before), Some(listener)) = (before, listener) {
        // Only a set changes anything; expected is then the new config.
        if let Some(set) = expected {
            check_set_effects(&run.outcome, &before, &set, &listener, family)?;
        }
    }
    Ok(run)
}

/// The config of the calling thread's namespace, read on a socket of its own.
fn config_now(family: u16) -> Result<Config, String> {
    let sock = NlSocket::open().map_err(|e| format!("socket: {e}"))?;
    sock.set_timeout(ECHO_TIMEOUT)
        .map_err(|e| format!("SO_RCVTIMEO: {e}"))?;
    sock.send_all(&msg::Msg::genl(family, CMD_CONFIG_GET, NLM_F_REQUEST, 1).finish())
        .map_err(|e| format!("config-get: {e}"))?;
    let mut buf = vec![0u8; RECV_BUF];
    let got = sock
        .recv(&mut buf, true)
        .map_err(|e| format!("config-get: {e}"))?;
    let msgs = parse::split(&buf[..got.len]).map_err(|e| format!("config-get: {}", e.0))?;
    match msgs.first().map(|m| parse::classify(m, family)) {
        Some(Ok(Reply::Config {
            cmd: CMD_CONFIG_GET,
            count,
            msg,
        })) => Ok(Config { count, msg }),
        other => Err(format!("config-get got {other:?}")),
    }
}

/// A socket joined to the config group, before the run: it hears what the run announces.
fn listen(group: u32) -> Result<NlSocket, String> {
    let sock = NlSocket::open().map_err(|e| format!("listener socket: {e}"))?;
    sock.add_membership(group)
        .map_err(|e| format!("join group {group}: {e}"))?;
    Ok(sock)
}

/// What a listener found queued after a run: the notifications, and whether its socket
/// reported losing some (ENOBUFS, e.g. when the kernel could not clone one for it).
fn heard(listener: &NlSocket, family: u16) -> Result<(Vec<Config>, bool), String> {
    let mut buf = vec![0u8; RECV_BUF];
    let (mut configs, mut lost) = (Vec::new(), false);
    loop {
        let got = match listener.recv(&mut buf, false) {
            Ok(g) => g,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok((configs, lost)),
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                lost = true;
                continue;
            }
            Err(e) => return Err(format!("listener: {e}")),
        };
        for m in parse::split(&buf[..got.len]).map_err(|e| format!("listener: {}", e.0))? {
            match parse::classify(&m, family) {
                Ok(Reply::Config {
                    cmd: CMD_CONFIG_NTF,
                    count,
                    msg,
                }) => configs.push(Config { count, msg }),
                other => return Err(format!("listener got {other:?}")),
            }
        }
    }
}

/// A set changes the config and announces it, or does neither: never a change nobody
/// heard of, nor an announcement of a change not made. Whatever the client saw, the
/// namespace holds either the old config or the new one, and the listener heard exactly
/// the new one (or was told it lost it, ENOBUFS) if and only if it is the new one; after
/// a complete answer it must be the new one.
fn check_set_effects(
    outcome: &Outcome,
    before: &Config,
    set: &Config,
    listener: &NlSocket,
    family: u16,
) -> Result<(), String> {
    let now = config_now(family)?;
    let (configs, lost) = heard(listener, family)?;
    let changed = if now == *set {
        true
    } else if now == *before {
        false
    } else {
        return Err(format!(
            "the config is {now:?}: neither the old {before:?} nor the set {set:?}"
        ));
    };
    if matches!(outcome, Outcome::Complete) && !changed {
        return Err("a complete set left the config unchanged".into());
    }
    match (changed, configs.as_slice(), lost) {
        (true, [one], false) if one == set => Ok(()),
        (true, [], true) => Ok(()),
        (false, [], false) => Ok(()),
        _ => Err(format!(
            "config changed: {changed}; the listener heard {configs:?}, lost: {lost}"
        )),
    }
}

/// Sends `op`'s request with the failure `arm` names and follows the answer.
fn exchange(
    op: &Operation,
    family: u16,
    fail: &FailNth,
    arm: Option<Arm>,
    set_count: u32,
    expected: Option<Config>,
) -> Result<Run, String> {
    let sock = NlSocket::open().map_err(|e| format!("socket: {e}"))?;
    let request = op.request(family, set_count);
    let mut buf = vec![0u8; RECV_BUF];
    let mut injected = false;
    let armed_at = |syscall: usize| arm.filter(|a| a.syscall == syscall);

    if let Some(a) = armed_at(0) {
        fail.arm(a.nth).map_err(|e| format!("arm fail-nth: {e}"))?;
    }
    let sent = sock.send(&request);
    if armed_at(0).is_some() {
        injected |= fail.disarm().map_err(|e| format!("disarm fail-nth: {e}"))?;
    }
    match sent {
        Ok(n) if n == request.len() => {}
        Ok(n) => return Err(format!("sendmsg sent {n} of {} bytes", request.len())),
        Err(e) if injected && e.raw_os_error().is_some_and(is_alloc_errno) => {
            return Ok(Run {
                outcome: Outcome::CleanError(format!(
                    "sendmsg {}",
                    errno_label(e.raw_os_error().unwrap_or(0))
                )),
                injected,
                syscalls: 1,
            });
        }
        Err(e) => return Err(format!("sendmsg: {e} (failure injected: {injected})")),
    }

    let mut check = AnswerCheck::new(op, expected);
    for syscall in 1..=MAX_SYSCALLS {
        if let Some(a) = armed_at(syscall) {
            fail.arm(a.nth).map_err(|e| format!("arm fail-nth: {e}"))?;
        }
        let got = sock.recv(&mut buf, false);
        if armed_at(syscall).is_some() {
            injected |= fail.disarm().map_err(|e| format!("disarm fail-nth: {e}"))?;
        }
        let got = match got {
            Ok(g) => g,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                return Err(format!(
                    "recvmsg {syscall}: nothing queued after {} items and no error: a lost answer",
                    check.items
                ))
            }
            // netlink_ack() or a dump refill could not allocate: the socket's error.
            Err(e) if e.raw_os_error().is_some_and(is_alloc_errno) => {
                return Ok(Run {
                    outcome: Outcome::CleanError(format!(
                        "recvmsg {} after {} items",
                        errno_label(e.raw_os_error().unwrap_or(0)),
                        check.items
                    )),
                    injected,
                    syscalls: syscall + 1,
                })
            }
            Err(e) => return Err(format!("recvmsg {syscall}: {e}")),
        };
        if got.truncated {
            return Err(format!("recvmsg {syscall}: datagram truncated"));
        }
        let msgs =
            parse::split(&buf[..got.len]).map_err(|e| format!("recvmsg {syscall}: {}", e.0))?;
        for m in &msgs {
            let reply =
                parse::classify(m, family).map_err(|e| format!("recvmsg {syscall}: {}", e.0))?;
            if let Some(outcome) = check.take(reply)? {
                return Ok(Run {
                    outcome,
                    injected,
                    syscalls: syscall + 1,
                });
            }
        }
    }
    Err(format!(
        "no end of the answer after {MAX_SYSCALLS} recvmsg calls"
    ))
}

/// The id of the family's config group, from the controller's CTRL_ATTR_MCAST_GROUPS.
fn config_group_id() -> Result<u32, String> {
    let sock = NlSocket::open().map_err(|e| format!("socket: {e}"))?;
    sock.set_timeout(ECHO_TIMEOUT)
        .map_err(|e| format!("SO_RCVTIMEO: {e}"))?;
    sock.send_all(&msg::get_family(FAMILY_NAME, 1))
        .map_err(|e| format!("CTRL_CMD_GETFAMILY: {e}"))?;
    let mut buf = vec![0u8; RECV_BUF];
    let got = sock
        .recv(&mut buf, true)
        .map_err(|e| format!("CTRL_CMD_GETFAMILY: {e}"))?;
    let msgs = parse::split(&buf[..got.len]).map_err(|e| e.0)?;
    let m = msgs.first().ok_or("an empty answer")?;
    if m.hdr.nl_type != GENL_ID_CTRL {
        return Err(format!("answer of type {:#x}", m.hdr.nl_type));
    }
    let info = m
        .payload
        .get(GENL_HDRLEN..)
        .ok_or("a short answer")
        .map_err(str::to_string)
        .and_then(|attrs| gnl_proto::ctrl::parse_family(attrs).map_err(|e| e.0))?;
    info.group_id(MCGRP_CONFIG)
        .ok_or_else(|| format!("no group {MCGRP_CONFIG} in {:?}", info.mcast_groups))
}

fn module_refcnt() -> Result<u64, String> {
    let path = format!("/sys/module/{MODULE_NAME}/refcnt");
    let s = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    s.trim().parse().map_err(|_| format!("{path}: {s:?}"))
}

/// After a run's socket is closed: no dump holds the module (netlink_release() drops a
/// running dump's reference before close() returns), a correct echo works, and the kernel
/// logged no splat.
fn check_after(family: u16, kmsg: &mut KmsgWatch) -> Result<(), String> {
    match module_refcnt()? {
        0 => {}
        n => return Err(format!("module refcnt {n} after the socket was closed")),
    }
    let sock = NlSocket::open().map_err(|e| format!("socket: {e}"))?;
    sock.set_timeout(ECHO_TIMEOUT)
        .map_err(|e| format!("SO_RCVTIMEO: {e}"))?;
    echo_round_trip(&sock, family, b"echo after a failure")
        .map_err(|e| format!("echo after: {e}"))?;
    let splats = kmsg.new_splats().map_err(|e| format!("/dev/kmsg: {e}"))?;
    if !splats.is_empty() {
        return Err(format!("kernel log:\n{}", splats.join("\n")));
    }
    Ok(())
}

/// Failure points of one operation, by how the client saw them.
#[derive(Default)]
struct Tally {
    errors: u32,
    tolerated: u32,
}

/// What every run needs: the family's id and its config group's.
struct Context {
    family: u16,
    config_group: u32,
}

/// Injects every failure point of `op`, system call by system call; the count of
/// allocations a call makes is found by going on until one run sees no failure injected.
fn inject_all(
    op: &Operation,
    ctx: &Context,
    fail: &FailNth,
    kmsg: &mut KmsgWatch,
) -> Result<Tally, String> {
    let family = ctx.family;
    let mut run_no = 0;
    let clean = run_once(op, ctx, fail, None, run_no)?;
    if !matches!(clean.outcome, Outcome::Complete) || clean.injected {
        return Err("the operation fails with no failure injected".into());
    }
    check_after(family, kmsg)?;
    let mut tally = Tally::default();
    for syscall in 0..clean.syscalls {
        for nth in 1..=MAX_FAILURE_POINTS + 1 {
            if nth > MAX_FAILURE_POINTS {
                return Err(format!(
                    "system call {syscall}: still injecting at failure {nth}"
                ));
            }
            let at = format!("failure {nth} of system call {syscall}");
            run_no += 1;
            let run = run_once(op, ctx, fail, Some(Arm { syscall, nth }), run_no)
                .map_err(|e| format!("{at}: {e}"))?;
            check_after(family, kmsg).map_err(|e| format!("{at}: {e}"))?;
            match (run.injected, run.outcome) {
                (false, Outcome::Complete) => break,
                (false, Outcome::CleanError(what)) => {
                    return Err(format!("{at}: {what} with no failure injected"))
                }
                (true, Outcome::Complete) => tally.tolerated += 1,
                (true, Outcome::CleanError(_)) => tally.errors += 1,
            }
        }
    }
    Ok(tally)
}

/// Sets the knobs; returns their previous values, to be put back.
fn set_knobs() -> Result<Vec<(&'static str, String)>, String> {
    let mut saved = Vec::new();
    for &(path, value) in KNOBS {
        let old = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        std::fs::write(path, value).map_err(|e| format!("{path}: {e}"))?;
        saved.push((path, old.trim().to_string()));
    }
    Ok(saved)
}

fn main() -> ExitCode {
    let all = operations();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(bad) = args
        .iter()
        .find(|a| !all.iter().any(|o| o.name == a.as_str()))
    {
        let names: Vec<&str> = all.iter().map(|o| o.name).collect();
        eprintln!(
            "hardening-failnth: unknown operation {bad} (known: {})",
            names.join(", ")
        );
        return ExitCode::from(2);
    }
    let mut r = Report::new("failnth");
    let saved = match set_knobs() {
        Ok(s) => s,
        Err(e) => {
            r.fail(
                "fault-injection knobs (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, debugfs)",
                &e,
            );
            return r.finish();
        }
    };
    let fail = match FailNth::open() {
        Ok(f) => f,
        Err(e) => {
            r.fail(
                "open /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)",
                &e.to_string(),
            );
            return r.finish();
        }
    };
    // A namespace of its own: the default config to start from, and the machine's
    // config untouched. Its config is freed when the program ends and the namespace
    // with it, which the kmemleak scans after the suites see.
    // SAFETY: plain syscall, made before this program starts any thread.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        r.fail(
            "a network namespace of its own (unshare CLONE_NEWNET)",
            &io::Error::last_os_error().to_string(),
        );
        return r.finish();
    }
    let Some(family) = family::resolve_reported(&mut r, FAMILY_NAME) else {
        return r.finish();
    };
    let config_group = match config_group_id() {
        Ok(id) => id,
        Err(e) => {
            r.fail("the config group's id from the controller", &e);
            return r.finish();
        }
    };
    let ctx = Context {
        family,
        config_group,
    };
    let Some(mut kmsg) = KmsgWatch::start_reported(&mut r) else {
        return r.finish();
    };
    let mut summary = Vec::new();
    for op in all
        .iter()
        .filter(|o| args.is_empty() || args.iter().any(|a| a == o.name))
    {
        match inject_all(op, &ctx, &fail, &mut kmsg) {
            Ok(t) => {
                let points = t.errors + t.tolerated;
                r.pass(&format!(
                    "{}: each of {points} injected allocation failures ends cleanly ({} clean errors, {} tolerated), refcnt 0 and an echo after each",
                    op.name, t.errors, t.tolerated
                ));
                summary.push(format!("{} {points}", op.name));
            }
            Err(e) => r.fail(
                &format!(
                    "{}: every injected allocation failure ends cleanly",
                    op.name
                ),
                &e,
            ),
        }
    }
    for (path, old) in saved {
        if let Err(e) = std::fs::write(path, &old) {
            r.fail(&format!("restore {path}"), &e.to_string());
        }
    }
    println!("failnth failure points: {}", summary.join(", "));
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gnl_proto::ack::{decode_error, KernelError};
    use gnl_proto::netlink::{NLMSGERR_ATTR_MSG, NLM_F_ACK_TLVS, NLM_F_CAPPED};

    /// A capped NLMSG_ERROR payload as the kernel builds it (error, the request's
    /// header, then the extended ACK's message), decoded by gnl-proto.
    fn kernel_error(errno: i32, msg: Option<&str>) -> KernelError {
        let mut payload = (-errno).to_ne_bytes().to_vec();
        for field in [16u32, 0x20 | (1 << 16), 1, 0] {
            payload.extend_from_slice(&field.to_ne_bytes());
        }
        let mut flags = NLM_F_CAPPED;
        if let Some(text) = msg {
            let len = 4 + text.len() + 1;
            payload.extend_from_slice(&(len as u16).to_ne_bytes());
            payload.extend_from_slice(&NLMSGERR_ATTR_MSG.to_ne_bytes());
            payload.extend_from_slice(text.as_bytes());
            payload.push(0);
            payload.resize(payload.len() + (4 - len % 4) % 4, 0);
            flags |= NLM_F_ACK_TLVS;
        }
        decode_error(flags, &payload).expect("a well-formed error")
    }

    fn error(errno: i32, msg: Option<&str>) -> Reply {
        Reply::Error(kernel_error(errno, msg))
    }

    fn dump_op(count: u32) -> Operation {
        Operation {
            name: "dump",
            text: b"t".to_vec(),
            expect: Expect::Dump { count },
        }
    }

    fn item(index: u32) -> Reply {
        Reply::DumpItem {
            index,
            msg: b"t".to_vec(),
        }
    }

    fn done(status: i32) -> Reply {
        Reply::Done {
            status,
            extack: kernel_error(0, None),
        }
    }

    #[test]
    fn a_complete_dump_completes() {
        let op = dump_op(2);
        let mut c = AnswerCheck::new(&op, None);
        assert!(c.take(item(0)).unwrap().is_none());
        assert!(c.take(item(1)).unwrap().is_none());
        assert!(matches!(c.take(done(0)), Ok(Some(Outcome::Complete))));
    }

    #[test]
    fn a_partial_dump_ending_in_done_0_fails() {
        let op = dump_op(3);
        let mut c = AnswerCheck::new(&op, None);
        c.take(item(0)).unwrap();
        assert!(c.take(done(0)).unwrap_err().contains("partial dump"));
    }

    #[test]
    fn allocation_errors_are_clean_and_others_are_not() {
        let op = dump_op(3);
        let mut c = AnswerCheck::new(&op, None);
        c.take(item(0)).unwrap();
        assert!(matches!(
            c.take(done(-libc::ENOBUFS)),
            Ok(Some(Outcome::CleanError(_)))
        ));
        let mut c = AnswerCheck::new(&op, None);
        assert!(matches!(
            c.take(error(libc::ENOMEM, None)),
            Ok(Some(Outcome::CleanError(_)))
        ));
        let mut c = AnswerCheck::new(&op, None);
        assert!(c.take(error(libc::EMSGSIZE, None)).is_err());
        let mut c = AnswerCheck::new(&op, None);
        assert!(c.take(done(-libc::EINVAL)).is_err());
    }

    #[test]
    fn a_skipped_or_wrong_dump_item_fails() {
        let op = dump_op(3);
        let mut c = AnswerCheck::new(&op, None);
        assert!(c.take(item(1)).is_err());
        let mut c = AnswerCheck::new(&op, None);
        assert!(c
            .take(Reply::DumpItem {
                index: 0,
                msg: b"u".to_vec()
            })
            .is_err());
    }

    #[test]
    fn reply_with_error_needs_its_errno_and_message() {
        let op = Operation {
            name: "e",
            text: b"t".to_vec(),
            expect: Expect::Error {
                errno: libc::EINVAL,
            },
        };
        let mut c = AnswerCheck::new(&op, None);
        assert!(matches!(
            c.take(error(libc::EINVAL, Some(ALWAYS_FAILS))),
            Ok(Some(Outcome::Complete))
        ));
        let mut c = AnswerCheck::new(&op, None);
        assert!(c.take(error(libc::EINVAL, None)).is_err());
    }

    fn config_reply(cmd: u8, count: u32) -> Reply {
        Reply::Config {
            cmd,
            count,
            msg: b"t".to_vec(),
        }
    }

    fn config_op(expect: Expect) -> Operation {
        Operation {
            name: "config",
            text: b"t".to_vec(),
            expect,
        }
    }

    fn config(count: u32) -> Option<Config> {
        Some(Config {
            count,
            msg: b"t".to_vec(),
        })
    }

    #[test]
    fn a_set_completes_with_its_echo_then_the_ack_only() {
        let op = config_op(Expect::ConfigSet);
        let mut c = AnswerCheck::new(&op, config(7));
        assert!(c.take(config_reply(CMD_CONFIG_NTF, 7)).unwrap().is_none());
        assert!(matches!(
            c.take(Reply::Ack(kernel_error(0, None))),
            Ok(Some(Outcome::Complete))
        ));
        // The ACK alone: the echo was lost.
        let mut c = AnswerCheck::new(&op, config(7));
        assert!(c.take(Reply::Ack(kernel_error(0, None))).is_err());
        // Another run's value, or a get's reply, is not this set's echo.
        let mut c = AnswerCheck::new(&op, config(7));
        assert!(c.take(config_reply(CMD_CONFIG_NTF, 6)).is_err());
        let mut c = AnswerCheck::new(&op, config(7));
        assert!(c.take(config_reply(CMD_CONFIG_GET, 7)).is_err());
        // Out of memory before the change: a clean error.
        let mut c = AnswerCheck::new(&op, config(7));
        assert!(matches!(
            c.take(error(libc::ENOMEM, None)),
            Ok(Some(Outcome::CleanError(_)))
        ));
    }

    #[test]
    fn a_get_must_answer_the_config_it_had() {
        let op = config_op(Expect::ConfigGet);
        let mut c = AnswerCheck::new(&op, config(3));
        assert!(matches!(
            c.take(config_reply(CMD_CONFIG_GET, 3)),
            Ok(Some(Outcome::Complete))
        ));
        let mut c = AnswerCheck::new(&op, config(3));
        assert!(c.take(config_reply(CMD_CONFIG_GET, 4)).is_err());
    }

    #[test]
    fn an_echo_needs_its_own_text() {
        let op = Operation {
            name: "echo",
            text: b"t".to_vec(),
            expect: Expect::Echo,
        };
        let mut c = AnswerCheck::new(&op, None);
        assert!(matches!(
            c.take(Reply::Echo { msg: b"t".to_vec() }),
            Ok(Some(Outcome::Complete))
        ));
        let mut c = AnswerCheck::new(&op, None);
        assert!(c.take(Reply::Echo { msg: b"x".to_vec() }).is_err());
    }
}
