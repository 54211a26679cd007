//! The receive buffer of the client and the listener: one datagram at a time, walked
//! message by message.

use std::ops::{Index, Range};

use gnl_proto::netlink::NLMSG_HDRLEN;
use gnl_proto::wire::{self, NlHeader};

use crate::error::Error;

/// One received datagram, of which `buf[pos..len]` is not read yet.
pub(crate) struct RxBuf {
    buf: Vec<u8>,
    pos: usize,
    len: usize,
}

impl RxBuf {
    pub(crate) fn new(capacity: usize) -> Self {
        RxBuf {
            buf: vec![0; capacity],
            pos: 0,
            len: 0,
        }
    }

    /// How large a datagram fits.
    pub(crate) fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// Makes room for a datagram of `need` bytes; only the new bytes are cleared.
    pub(crate) fn reserve(&mut self, need: usize) {
        if self.buf.len() < need {
            self.buf.resize(need, 0);
        }
    }

    /// Whether every message of the datagram has been read.
    pub(crate) fn is_read(&self) -> bool {
        self.pos >= self.len
    }

    /// Forgets the datagram and lends the whole buffer to a receive.
    pub(crate) fn space(&mut self) -> &mut [u8] {
        self.pos = 0;
        self.len = 0;
        &mut self.buf
    }

    /// Takes the result of a receive with MSG_TRUNC (the datagram's real size):
    /// an error if it did not fit, or if it was empty.
    pub(crate) fn received(&mut self, n: usize) -> Result<(), Error> {
        let capacity = self.capacity();
        if n > capacity {
            return Err(Error::Truncated { len: n, capacity });
        }
        if n == 0 {
            return Err(Error::Malformed("empty datagram".into()));
        }
        self.len = n;
        Ok(())
    }

    /// The next message of the datagram: its header and where its payload is.
    pub(crate) fn next_message(&mut self) -> Result<(NlHeader, Range<usize>), Error> {
        let start = self.pos;
        match wire::split_message(&self.buf[start..self.len]) {
            Ok((hdr, payload, used)) => {
                self.pos = start + used;
                let first = start + NLMSG_HDRLEN;
                Ok((hdr, first..first + payload.len()))
            }
            Err(e) => {
                // The rest of this datagram cannot be walked: drop it.
                self.pos = self.len;
                Err(e.into())
            }
        }
    }
}

impl Index<Range<usize>> for RxBuf {
    type Output = [u8];

    fn index(&self, range: Range<usize>) -> &[u8] {
        &self.buf[range]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_datagram_larger_than_the_buffer_is_truncated() {
        let mut rx = RxBuf::new(16);
        assert!(matches!(
            rx.received(17),
            Err(Error::Truncated {
                len: 17,
                capacity: 16
            })
        ));
    }

    #[test]
    fn an_empty_datagram_is_malformed() {
        let mut rx = RxBuf::new(16);
        assert!(matches!(rx.received(0), Err(Error::Malformed(_))));
    }

    #[test]
    fn a_bad_message_drops_the_rest_of_the_datagram() {
        let mut rx = RxBuf::new(64);
        // nlmsg_len 8: shorter than a header.
        rx.space()[..4].copy_from_slice(&8u32.to_ne_bytes());
        rx.received(32).unwrap();
        assert!(rx.next_message().is_err());
        assert!(rx.is_read());
    }
}
