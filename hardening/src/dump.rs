//! Reading a dump without ever calling a short one complete.
//!
//! Netlink dumps are flow-controlled: the kernel fills the next skb only when the reader's
//! queue has room (netlink_dump runs from recvmsg once the queue is under half of
//! SO_RCVBUF), so a slow reader makes the dump slow, not lossy. Loss still happens around
//! it: a receive buffer smaller than the datagram cuts it (MSG_TRUNC), and unicast replies
//! that find the queue full are dropped and reported by the next recvmsg failing with
//! ENOBUFS. The reader below stops at the first sign of any of this, or of a gap or repeat
//! in DUMP_INDEX, and says the dump is incomplete.

use std::io;

use crate::parse::{self, Reply};
use crate::sock::{NlSocket, Received};

/// Where datagrams come from: a socket, or a scripted list in unit tests.
pub trait DatagramSource {
    fn recv_datagram(&mut self, buf: &mut [u8]) -> io::Result<Received>;
}

impl DatagramSource for &NlSocket {
    fn recv_datagram(&mut self, buf: &mut [u8]) -> io::Result<Received> {
        self.recv(buf, true)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DumpVerdict {
    /// Every index from 0 to count-1, in order, each carrying the expected MSG, then
    /// NLMSG_DONE with status 0.
    Complete { count: u32 },
    /// The dump cannot be trusted; `items` messages were read before the reader stopped.
    Incomplete { items: u32, why: String },
}

/// What the dump must look like.
pub struct DumpSpec<'a> {
    pub family: u16,
    pub seq: u32,
    pub port: u32,
    /// Each item's MSG.
    pub msg: &'a [u8],
}

/// Reads the dump answering `spec.seq` up to its NLMSG_DONE, with a receive buffer of
/// `buf_len` bytes. Messages for other sequence numbers (replies to other requests on the
/// same socket) are skipped.
pub fn read_dump<S: DatagramSource>(
    src: &mut S,
    spec: &DumpSpec<'_>,
    buf_len: usize,
) -> DumpVerdict {
    let mut buf = vec![0u8; buf_len];
    let mut next: u32 = 0;
    let incomplete = |items: u32, why: String| DumpVerdict::Incomplete { items, why };
    loop {
        let got = match src.recv_datagram(&mut buf) {
            Ok(g) => g,
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                return incomplete(
                    next,
                    "receive queue overrun (ENOBUFS): messages were dropped".into(),
                )
            }
            Err(e) => return incomplete(next, format!("recvmsg: {e}")),
        };
        if got.truncated {
            return incomplete(
                next,
                format!("datagram truncated (MSG_TRUNC) by a {buf_len}-byte buffer"),
            );
        }
        let msgs = match parse::split(&buf[..got.len]) {
            Ok(m) => m,
            Err(e) => return incomplete(next, format!("malformed datagram: {e}")),
        };
        for m in &msgs {
            if m.hdr.seq != spec.seq {
                continue;
            }
            if m.hdr.portid != spec.port {
                return incomplete(
                    next,
                    format!("message for port {} on port {}", m.hdr.portid, spec.port),
                );
            }
            match parse::classify(m, spec.family) {
                Ok(Reply::DumpItem { index, msg }) => {
                    if index != next {
                        return incomplete(next, format!("index {index} where {next} was due"));
                    }
                    if msg != spec.msg {
                        return incomplete(next, format!("index {index} carries another MSG"));
                    }
                    next += 1;
                }
                Ok(Reply::Done { status: 0, .. }) => return DumpVerdict::Complete { count: next },
                Ok(Reply::Done { status, .. }) => {
                    return incomplete(next, format!("NLMSG_DONE with status {status}"))
                }
                Ok(Reply::Error(e)) => {
                    return incomplete(next, format!("error {}", crate::errno_label(e.errno)))
                }
                Ok(other) => {
                    return incomplete(next, format!("unexpected {} in a dump", other.kind()))
                }
                Err(e) => return incomplete(next, format!("malformed message: {e}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg::{batch, Msg};
    use crate::proto::*;
    use std::collections::VecDeque;

    const FAM: u16 = 0x21;
    const SEQ: u32 = 77;
    const PORT: u32 = 1234;

    /// Scripted datagrams: Ok(bytes) or Err(errno).
    struct Script(VecDeque<Result<Vec<u8>, i32>>);

    impl DatagramSource for Script {
        fn recv_datagram(&mut self, buf: &mut [u8]) -> io::Result<Received> {
            match self.0.pop_front() {
                None => Err(io::Error::from_raw_os_error(libc::EAGAIN)),
                Some(Err(e)) => Err(io::Error::from_raw_os_error(e)),
                Some(Ok(d)) => {
                    let n = d.len().min(buf.len());
                    buf[..n].copy_from_slice(&d[..n]);
                    Ok(Received {
                        len: n,
                        truncated: d.len() > buf.len(),
                    })
                }
            }
        }
    }

    fn item(i: u32) -> Vec<u8> {
        let mut m = Msg::genl(FAM, CMD_ECHO_MSG, NLM_F_MULTI, SEQ)
            .attr_u32(A_DUMP_INDEX, i)
            .attr_str(A_MSG, b"m")
            .finish();
        m[12..16].copy_from_slice(&PORT.to_ne_bytes());
        m
    }

    fn done() -> Vec<u8> {
        let mut m = Msg::new(NLMSG_DONE, NLM_F_MULTI, SEQ, PORT)
            .raw(&0i32.to_ne_bytes())
            .finish();
        m[12..16].copy_from_slice(&PORT.to_ne_bytes());
        m
    }

    fn run(script: Vec<Result<Vec<u8>, i32>>, buf_len: usize) -> DumpVerdict {
        let spec = DumpSpec {
            family: FAM,
            seq: SEQ,
            port: PORT,
            msg: b"m",
        };
        read_dump(&mut Script(script.into()), &spec, buf_len)
    }

    #[test]
    fn complete_dump_over_several_datagrams() {
        let v = run(
            vec![
                Ok(batch(&[item(0), item(1)])),
                Ok(batch(&[item(2), done()])),
            ],
            4096,
        );
        assert_eq!(v, DumpVerdict::Complete { count: 3 });
    }

    #[test]
    fn a_gap_is_incomplete() {
        let v = run(vec![Ok(batch(&[item(0), item(2), done()]))], 4096);
        assert!(
            matches!(v, DumpVerdict::Incomplete { items: 1, .. }),
            "{v:?}"
        );
    }

    #[test]
    fn a_repeat_is_incomplete() {
        let v = run(vec![Ok(batch(&[item(0), item(0), done()]))], 4096);
        assert!(
            matches!(v, DumpVerdict::Incomplete { items: 1, .. }),
            "{v:?}"
        );
    }

    #[test]
    fn a_lost_datagram_is_incomplete() {
        let v = run(vec![Ok(batch(&[item(0), item(1)])), Ok(done())], 4096);
        assert_eq!(v, DumpVerdict::Complete { count: 2 });
        let v = run(
            vec![
                Ok(batch(&[item(0), item(1)])),
                Ok(batch(&[item(3), done()])),
            ],
            4096,
        );
        assert!(
            matches!(v, DumpVerdict::Incomplete { items: 2, .. }),
            "{v:?}"
        );
    }

    #[test]
    fn truncation_and_overrun_are_incomplete() {
        let v = run(vec![Ok(batch(&[item(0), item(1), done()]))], 40);
        assert!(
            matches!(&v, DumpVerdict::Incomplete { why, .. } if why.contains("MSG_TRUNC")),
            "{v:?}"
        );
        let v = run(vec![Ok(item(0)), Err(libc::ENOBUFS)], 4096);
        assert!(
            matches!(&v, DumpVerdict::Incomplete { items: 1, why } if why.contains("ENOBUFS")),
            "{v:?}"
        );
    }

    #[test]
    fn no_done_is_incomplete() {
        let v = run(vec![Ok(batch(&[item(0), item(1)]))], 4096);
        assert!(
            matches!(v, DumpVerdict::Incomplete { items: 2, .. }),
            "{v:?}"
        );
    }

    #[test]
    fn other_sequences_are_skipped() {
        let mut other = Msg::genl(FAM, CMD_ECHO_MSG, 0, SEQ + 1)
            .attr_str(A_MSG, b"x")
            .finish();
        other[12..16].copy_from_slice(&PORT.to_ne_bytes());
        let v = run(vec![Ok(batch(&[item(0), other, item(1), done()]))], 4096);
        assert_eq!(v, DumpVerdict::Complete { count: 2 });
    }
}
