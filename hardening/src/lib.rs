//! Shared pieces of the hardening tests of gnl_foobar_xmpl: raw netlink sockets, a byte-level
//! message builder, a parser that never trusts what it reads, a seeded PRNG, a dump reader
//! that notices loss, a kernel-log watcher, and the "ok - / not ok -" reporting the guest
//! test runner counts.

pub mod dump;
pub mod family;
pub mod fuzzgen;
pub mod kmsg;
pub mod msg;
pub mod parse;
pub mod proto;
pub mod report;
pub mod rng;
pub mod sock;

use std::io;

use parse::{NlHdr, NlMsg};
use sock::NlSocket;

/// The symbolic name of an errno (positive), for messages a person reads.
pub fn errno_name(e: i32) -> String {
    let name = match e {
        0 => "0",
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::EINTR => "EINTR",
        libc::E2BIG => "E2BIG",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EFAULT => "EFAULT",
        libc::EBUSY => "EBUSY",
        libc::EEXIST => "EEXIST",
        libc::ENODEV => "ENODEV",
        libc::EINVAL => "EINVAL",
        libc::ENOSPC => "ENOSPC",
        libc::ERANGE => "ERANGE",
        libc::EMSGSIZE => "EMSGSIZE",
        libc::EPROTONOSUPPORT => "EPROTONOSUPPORT",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        libc::ENOBUFS => "ENOBUFS",
        libc::ENODATA => "ENODATA",
        libc::ECONNREFUSED => "ECONNREFUSED",
        libc::ETIMEDOUT => "ETIMEDOUT",
        _ => return format!("errno {e}"),
    };
    name.to_string()
}

/// Which kernel the tests run on: the running kernel's version, named for people as
/// GNL_FOOBAR_XMPL_KERNEL (set by the VM harness: "6.1", "unstable") or else as uname says
/// it. Expectations that changed between kernels key on the version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kernel {
    pub major: u32,
    pub minor: u32,
    /// The harness's name for the kernel, or its release as uname says it.
    pub label: String,
}

impl Kernel {
    pub fn detect() -> Kernel {
        let release = uname_release();
        // The harness's name is a label only ("unstable"): the version is the kernel's own.
        let label = std::env::var("GNL_FOOBAR_XMPL_KERNEL")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| release.clone());
        match Self::parse(&release) {
            Some(k) => Kernel { label, ..k },
            None => Kernel {
                major: 0,
                minor: 0,
                label,
            },
        }
    }

    /// "6.1", "6.12.9+bpo-amd64", "5.10.0-30-amd64" -> major and minor.
    pub fn parse(s: &str) -> Option<Kernel> {
        let mut it = s.split(|c: char| !c.is_ascii_digit());
        let major = it.next()?.parse().ok()?;
        let minor = it.next()?.parse().ok()?;
        Some(Kernel {
            major,
            minor,
            label: format!("{major}.{minor}"),
        })
    }

    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }
}

fn uname_release() -> String {
    // SAFETY: utsname is plain data; uname fills it with NUL-terminated strings.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: u is valid for writing.
    if unsafe { libc::uname(&mut u) } != 0 {
        return "unknown".into();
    }
    let bytes: Vec<u8> = u
        .release
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A received message, copied out of the receive buffer.
#[derive(Clone, Debug)]
pub struct Incoming {
    pub hdr: NlHdr,
    pub payload: Vec<u8>,
}

impl Incoming {
    pub fn view(&self) -> NlMsg<'_> {
        NlMsg {
            hdr: self.hdr,
            payload: &self.payload,
        }
    }
}

/// Why receiving failed.
#[derive(Debug)]
pub enum RecvError {
    Io(io::Error),
    /// A datagram was larger than the buffer (MSG_TRUNC): part of it was lost.
    Truncated,
    Malformed(parse::Malformed),
}

impl std::fmt::Display for RecvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecvError::Io(e) => write!(f, "recvmsg: {e}"),
            RecvError::Truncated => f.write_str("datagram truncated (MSG_TRUNC)"),
            RecvError::Malformed(m) => write!(f, "malformed datagram: {m}"),
        }
    }
}

/// Receives one datagram and splits it into messages. `wait` false: returns Ok(None) when
/// nothing is queued.
pub fn recv_msgs(
    sock: &NlSocket,
    buf: &mut [u8],
    wait: bool,
) -> Result<Option<Vec<Incoming>>, RecvError> {
    let got = match sock.recv(buf, wait) {
        Ok(g) => g,
        Err(e) if !wait && e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
        Err(e) => return Err(RecvError::Io(e)),
    };
    if got.truncated {
        return Err(RecvError::Truncated);
    }
    let msgs = parse::split(&buf[..got.len]).map_err(RecvError::Malformed)?;
    Ok(Some(
        msgs.iter()
            .map(|m| Incoming {
                hdr: m.hdr,
                payload: m.payload.to_vec(),
            })
            .collect(),
    ))
}

/// Everything queued on the socket right now, without waiting. Requests to a kernel
/// netlink socket are processed inside sendmsg, and each recvmsg refills a running dump
/// before it returns, so after a send this collects every answer there is (for a dump, up
/// to its NLMSG_DONE) -- no sleeping, no guessing.
pub fn drain(sock: &NlSocket, buf: &mut [u8], limit: usize) -> Result<Vec<Incoming>, RecvError> {
    let mut out = Vec::new();
    while out.len() < limit {
        match recv_msgs(sock, buf, false)? {
            Some(mut msgs) => out.append(&mut msgs),
            None => break,
        }
    }
    Ok(out)
}

/// One echo of `text` on `sock`, checked: the first answer must be an echo of the same
/// bytes.
pub fn echo_round_trip(sock: &NlSocket, family: u16, text: &[u8]) -> Result<(), String> {
    sock.send_all(&msg::echo(family, proto::NLM_F_REQUEST, 1, text))
        .map_err(|e| format!("send: {e}"))?;
    let mut buf = vec![0u8; sock::RECV_BUF];
    let msgs = recv_msgs(sock, &mut buf, true)
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    match msgs.first().map(|m| parse::classify(&m.view(), family)) {
        Some(Ok(parse::Reply::Echo { msg })) if msg == text => Ok(()),
        other => Err(format!("echo got {other:?}")),
    }
}

/// Waits for every thread of `handles` and returns their errors, a panic counting as
/// "`who` panicked".
pub fn join_errors(
    handles: Vec<std::thread::JoinHandle<Result<(), String>>>,
    who: &str,
) -> Vec<String> {
    handles
        .into_iter()
        .filter_map(|h| match h.join() {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some(format!("{who} panicked")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_labels_and_releases_parse() {
        let k = Kernel::parse("6.1").unwrap();
        assert_eq!((k.major, k.minor), (6, 1));
        let k = Kernel::parse("6.12.9+bpo-amd64").unwrap();
        assert_eq!((k.major, k.minor, k.label.as_str()), (6, 12, "6.12"));
        let k = Kernel::parse("5.10.0-30-amd64").unwrap();
        assert!(k.at_least(5, 10) && !k.at_least(6, 0));
        assert!(Kernel::parse("6.12").unwrap().at_least(6, 1));
        assert!(Kernel::parse("host").is_none());
    }

    #[test]
    fn errno_names() {
        assert_eq!(errno_name(libc::EOPNOTSUPP), "EOPNOTSUPP");
        assert_eq!(errno_name(4000), "errno 4000");
    }
}
