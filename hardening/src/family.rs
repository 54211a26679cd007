//! Resolving a family name to its id through the controller (nlctrl, id 0x10), the way
//! every Generic Netlink client starts.

use std::fmt;
use std::time::Duration;

use crate::msg;
use crate::parse::{self, NlHeader};
use crate::proto::*;
use crate::report::Report;
use crate::sock::{NlSocket, RECV_BUF};

#[derive(Debug)]
pub enum FamilyError {
    /// The controller answered with this errno (ENOENT: no such family in this namespace).
    Errno(i32),
    /// The socket failed.
    Io(std::io::Error),
    /// The controller's answer made no sense.
    Bad(String),
}

impl fmt::Display for FamilyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FamilyError::Errno(e) => write!(
                f,
                "nlctrl answered {} ({})",
                crate::errno_label(*e),
                std::io::Error::from_raw_os_error(*e)
            ),
            FamilyError::Io(e) => write!(f, "netlink socket: {e}"),
            FamilyError::Bad(s) => write!(f, "bad answer from nlctrl: {s}"),
        }
    }
}

/// The family's id, asked on `sock` with sequence number `seq`. Other messages arriving on
/// the socket meanwhile are an error: call this on a quiet socket.
pub fn resolve_on(sock: &NlSocket, name: &str, seq: u32) -> Result<u16, FamilyError> {
    sock.send_all(&msg::get_family(name, seq))
        .map_err(FamilyError::Io)?;
    let mut buf = vec![0u8; RECV_BUF];
    let got = sock.recv(&mut buf, true).map_err(FamilyError::Io)?;
    if got.truncated {
        return Err(FamilyError::Bad("truncated datagram".into()));
    }
    let msgs = parse::split(&buf[..got.len]).map_err(|e| FamilyError::Bad(e.0))?;
    let Some(m) = msgs.first() else {
        return Err(FamilyError::Bad("empty datagram".into()));
    };
    if m.hdr.seq != seq {
        return Err(FamilyError::Bad(format!(
            "seq {} instead of {seq}",
            m.hdr.seq
        )));
    }
    match m.hdr.nl_type {
        NLMSG_ERROR => {
            let e = parse::parse_error(m).map_err(|e| FamilyError::Bad(e.0))?;
            Err(FamilyError::Errno(e.errno))
        }
        GENL_ID_CTRL => family_id(m.payload, &m.hdr),
        t => Err(FamilyError::Bad(format!("message type {t:#x}"))),
    }
}

fn family_id(payload: &[u8], hdr: &NlHeader) -> Result<u16, FamilyError> {
    let attrs = payload
        .get(GENL_HDRLEN..)
        .ok_or_else(|| FamilyError::Bad(format!("{}-byte reply", hdr.len)))?;
    let attrs = parse::attrs(attrs).map_err(|e| FamilyError::Bad(e.0))?;
    attrs
        .iter()
        .find(|a| a.kind() == CTRL_ATTR_FAMILY_ID)
        .and_then(|a| a.u16())
        .ok_or_else(|| FamilyError::Bad("no CTRL_ATTR_FAMILY_ID".into()))
}

/// The family's id, asked on a fresh socket (in the calling thread's network namespace).
pub fn resolve(name: &str) -> Result<u16, FamilyError> {
    let sock = NlSocket::open().map_err(FamilyError::Io)?;
    sock.set_timeout(Duration::from_secs(10))
        .map_err(FamilyError::Io)?;
    resolve_on(&sock, name, 1)
}

/// Resolves `name` as the first check of a suite: reports "ok - resolve family ..." with its
/// id, or the failure (then None: nothing else can run).
pub fn resolve_reported(r: &mut Report, name: &str) -> Option<u16> {
    match resolve(name) {
        Ok(id) => {
            r.pass(&format!("resolve family {name} (id {id})"));
            Some(id)
        }
        Err(e) => {
            r.fail(&format!("resolve family {name}"), &e.to_string());
            None
        }
    }
}
