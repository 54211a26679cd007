//! Builders of netlink messages byte by byte, the way the kernel lays them out, and a
//! small deterministic generator for mutation tests: for unit tests of this crate and,
//! with the `test-util` feature, of the clients built on it.

use crate::netlink::align4;

/// One attribute: `nlattr` header, payload, padding.
pub fn nla(ty: u16, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(4 + payload.len()).expect("test attribute too long");
    let mut v = Vec::new();
    v.extend_from_slice(&len.to_ne_bytes());
    v.extend_from_slice(&ty.to_ne_bytes());
    v.extend_from_slice(payload);
    v.resize(align4(v.len()), 0);
    v
}

/// A `genlmsghdr` followed by already encoded attributes.
pub fn genl(cmd: u8, version: u8, attrs: &[Vec<u8>]) -> Vec<u8> {
    let mut v = vec![cmd, version, 0, 0];
    for a in attrs {
        v.extend_from_slice(a);
    }
    v
}

/// One netlink message: `nlmsghdr` (with `nlmsg_len` unpadded), payload, padding.
pub fn nlmsg(ty: u16, flags: u16, seq: u32, portid: u32, payload: &[u8]) -> Vec<u8> {
    let len = u32::try_from(16 + payload.len()).expect("test message too long");
    let mut v = Vec::new();
    v.extend_from_slice(&len.to_ne_bytes());
    v.extend_from_slice(&ty.to_ne_bytes());
    v.extend_from_slice(&flags.to_ne_bytes());
    v.extend_from_slice(&seq.to_ne_bytes());
    v.extend_from_slice(&portid.to_ne_bytes());
    v.extend_from_slice(payload);
    v.resize(align4(v.len()), 0);
    v
}

/// The payload of an `NLMSG_ERROR`: `-errno`, the request (whole, or only its
/// header when `capped`), then extended ACK attributes.
pub fn nlmsgerr(errno: i32, request: &[u8], capped: bool, tlvs: &[Vec<u8>]) -> Vec<u8> {
    let mut v = (-errno).to_ne_bytes().to_vec();
    if capped {
        v.extend_from_slice(&request[..16]);
    } else {
        v.extend_from_slice(request);
        v.resize(align4(v.len()), 0);
    }
    for t in tlvs {
        v.extend_from_slice(t);
    }
    v
}

/// xorshift64: deterministic, so a failing mutation test fails the same way again.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Overwrites a few random bytes of `v` or cuts it short.
    pub fn mutate(&mut self, v: &mut Vec<u8>) {
        if v.is_empty() {
            return;
        }
        if self.below(4) == 0 {
            let len = self.below(v.len());
            v.truncate(len);
            return;
        }
        for _ in 0..=self.below(3) {
            let i = self.below(v.len());
            v[i] = self.next_u64() as u8;
        }
    }
}

/// A u32 attribute.
pub fn nlattr_u32(ty: u16, v: u32) -> Vec<u8> {
    nla(ty, &v.to_ne_bytes())
}
