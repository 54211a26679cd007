//! Bounds-checked decoding of what the kernel sends: netlink messages, the generic
//! netlink header and attributes. Every length read from a reply is checked before it
//! is used, so a malformed reply is a [`Malformed`] error, never a panic or a read past
//! the buffer. (The ACKs and errors built on these are in ack.rs.)

use std::fmt;

use crate::netlink::{align4, NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_HDRLEN};

/// Why bytes from the kernel do not decode: lengths out of bounds, a missing
/// terminator, a field of the wrong width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub String);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Malformed {}

fn malformed<T>(why: impl Into<String>) -> Result<T, Malformed> {
    Err(Malformed(why.into()))
}

/// A `struct nlmsghdr`, in host byte order like on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NlHeader {
    /// `nlmsg_len`: header plus payload, without trailing padding.
    pub len: u32,
    /// `nlmsg_type`: the family id, `NLMSG_ERROR` or `NLMSG_DONE`.
    pub nl_type: u16,
    /// `nlmsg_flags`.
    pub flags: u16,
    /// `nlmsg_seq`: the kernel copies the request's into every reply.
    pub seq: u32,
    /// `nlmsg_pid`: in a reply, the port id of the socket it is addressed to.
    pub portid: u32,
}

#[inline]
fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

#[inline]
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl NlHeader {
    /// Reads a header from the first 16 bytes of `b`; `None` if there are fewer.
    #[inline]
    pub fn parse(b: &[u8]) -> Option<NlHeader> {
        Some(NlHeader {
            len: u32_at(b, 0)?,
            nl_type: u16_at(b, 4)?,
            flags: u16_at(b, 6)?,
            seq: u32_at(b, 8)?,
            portid: u32_at(b, 12)?,
        })
    }
}

/// Splits the first netlink message off `buf`: its header, its payload and how many
/// bytes it takes including padding.
#[inline]
pub fn split_message(buf: &[u8]) -> Result<(NlHeader, &[u8], usize), Malformed> {
    let Some(hdr) = NlHeader::parse(buf) else {
        return malformed(format!(
            "{} bytes left, too short for a nlmsghdr",
            buf.len()
        ));
    };
    let len = usize::try_from(hdr.len).unwrap_or(usize::MAX);
    if len < NLMSG_HDRLEN || len > buf.len() {
        return malformed(format!(
            "nlmsg_len {} with {} bytes left",
            hdr.len,
            buf.len()
        ));
    }
    Ok((hdr, &buf[NLMSG_HDRLEN..len], align4(len).min(buf.len())))
}

/// Iterator over the attributes of a payload: `(nla_type without flags, payload)`.
/// It stops after the first error.
pub struct Attrs<'a> {
    rest: &'a [u8],
}

/// Walks the attributes in `buf`, which must hold nothing else.
#[inline]
pub fn attrs(buf: &[u8]) -> Attrs<'_> {
    Attrs { rest: buf }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<(u16, &'a [u8]), Malformed>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = std::mem::take(&mut self.rest);
        let (Some(len), Some(ty)) = (u16_at(rest, 0), u16_at(rest, 2)) else {
            return Some(malformed(format!(
                "{} stray bytes after the last attribute",
                rest.len()
            )));
        };
        let len = usize::from(len);
        if len < NLA_HDRLEN || len > rest.len() {
            return Some(malformed(format!(
                "nla_len {len} of attribute {ty} with {} bytes left",
                rest.len()
            )));
        }
        self.rest = &rest[align4(len).min(rest.len())..];
        Some(Ok((ty & NLA_TYPE_MASK, &rest[NLA_HDRLEN..len])))
    }
}

/// A generic netlink message: header fields and its attribute bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Genl<'a> {
    /// `genlmsghdr.cmd`.
    pub cmd: u8,
    /// `genlmsghdr.version`.
    pub version: u8,
    /// Everything after the `genlmsghdr`; walk it with [`attrs`].
    pub attrs: &'a [u8],
}

/// Splits a generic netlink payload into its header and attributes.
#[inline]
pub fn parse_genl(payload: &[u8]) -> Result<Genl<'_>, Malformed> {
    match payload {
        [cmd, version, _, _, attrs @ ..] => Ok(Genl {
            cmd: *cmd,
            version: *version,
            attrs,
        }),
        _ => malformed(format!(
            "{}-byte payload, too short for a genlmsghdr",
            payload.len()
        )),
    }
}

/// A NUL-terminated string attribute (`NLA_NUL_STRING`), without its NUL.
#[inline]
pub fn parse_string(payload: &[u8]) -> Result<String, Malformed> {
    let Some(nul) = payload.iter().position(|&b| b == 0) else {
        return malformed("string attribute without a NUL");
    };
    String::from_utf8(payload[..nul].to_vec())
        .map_err(|_| Malformed("string attribute is not UTF-8".into()))
}

/// A u32 attribute: exactly 4 bytes in host byte order.
#[inline]
pub fn parse_u32(payload: &[u8]) -> Result<u32, Malformed> {
    let b: [u8; 4] = payload
        .try_into()
        .map_err(|_| Malformed(format!("u32 attribute of {} bytes", payload.len())))?;
    Ok(u32::from_ne_bytes(b))
}

/// A u16 attribute: exactly 2 bytes in host byte order.
#[inline]
pub fn parse_u16(payload: &[u8]) -> Result<u16, Malformed> {
    let b: [u8; 2] = payload
        .try_into()
        .map_err(|_| Malformed(format!("u16 attribute of {} bytes", payload.len())))?;
    Ok(u16::from_ne_bytes(b))
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
