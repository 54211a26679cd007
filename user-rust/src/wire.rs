//! Bounds-checked decoding of what the kernel sends: netlink messages, the generic
//! netlink header, attributes and (extended) ACKs. Every length read from a reply is
//! checked before it is used, so a malformed reply is an error, never a panic.
//! Requests are built with neli (client.rs); replies are decoded here because neli
//! 0.7 trusts the lengths it reads and knows neither NLM_F_CAPPED nor MISS_TYPE/NEST.

use crate::error::{Error, KernelError};

/// `sizeof(struct nlmsghdr)`.
pub const NLMSG_HDRLEN: usize = 16;
/// `sizeof(struct genlmsghdr)`.
pub const GENL_HDRLEN: usize = 4;
/// `sizeof(struct nlattr)`.
pub const NLA_HDRLEN: usize = 4;
/// `nla_type` without `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER`.
pub const NLA_TYPE_MASK: u16 = 0x3fff;

/// `nlmsg_type` of an error or ACK (`struct nlmsgerr` payload).
pub const NLMSG_ERROR: u16 = 2;
/// `nlmsg_type` that ends a dump (an `int` status payload).
pub const NLMSG_DONE: u16 = 3;

/// Part of a multipart message (every message of a dump).
pub const NLM_F_MULTI: u16 = 0x2;
/// The dump was interrupted by a change of the data being dumped.
pub const NLM_F_DUMP_INTR: u16 = 0x10;
/// In an `NLMSG_ERROR`: only the request's header was echoed, not its payload.
pub const NLM_F_CAPPED: u16 = 0x100;
/// In an `NLMSG_ERROR` or `NLMSG_DONE`: extended ACK attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

// Extended ACK attributes, `enum nlmsgerr_attrs` in <linux/netlink.h>.
/// The error message (string).
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// Offset of the offending attribute from the start of the request's `nlmsghdr` (u32).
pub const NLMSGERR_ATTR_OFFS: u16 = 2;
/// The policy of the rejected attribute (nested).
pub const NLMSGERR_ATTR_POLICY: u16 = 4;
/// Type of the missing required attribute (u32, Linux 6.0+).
pub const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;
/// Offset of the nest that lacks it (u32, Linux 6.0+).
pub const NLMSGERR_ATTR_MISS_NEST: u16 = 6;

/// Netlink aligns every message and attribute to 4 bytes.
pub const fn align4(n: usize) -> usize {
    n.saturating_add(3) & !3
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

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl NlHeader {
    /// Reads a header from the first 16 bytes of `b`; `None` if there are fewer.
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
pub fn split_message(buf: &[u8]) -> Result<(NlHeader, &[u8], usize), Error> {
    let hdr = NlHeader::parse(buf).ok_or_else(|| {
        Error::Malformed(format!(
            "{} bytes left, too short for a nlmsghdr",
            buf.len()
        ))
    })?;
    let len = usize::try_from(hdr.len).unwrap_or(usize::MAX);
    if len < NLMSG_HDRLEN || len > buf.len() {
        return Err(Error::Malformed(format!(
            "nlmsg_len {} with {} bytes left",
            hdr.len,
            buf.len()
        )));
    }
    Ok((hdr, &buf[NLMSG_HDRLEN..len], align4(len).min(buf.len())))
}

/// Iterator over the attributes of a payload: `(nla_type without flags, payload)`.
/// It stops after the first error.
pub struct Attrs<'a> {
    rest: &'a [u8],
}

/// Walks the attributes in `buf`, which must hold nothing else.
pub fn attrs(buf: &[u8]) -> Attrs<'_> {
    Attrs { rest: buf }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<(u16, &'a [u8]), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = std::mem::take(&mut self.rest);
        let (Some(len), Some(ty)) = (u16_at(rest, 0), u16_at(rest, 2)) else {
            return Some(Err(Error::Malformed(format!(
                "{} stray bytes after the last attribute",
                rest.len()
            ))));
        };
        let len = usize::from(len);
        if len < NLA_HDRLEN || len > rest.len() {
            return Some(Err(Error::Malformed(format!(
                "nla_len {len} of attribute {ty} with {} bytes left",
                rest.len()
            ))));
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
pub fn parse_genl(payload: &[u8]) -> Result<Genl<'_>, Error> {
    match payload {
        [cmd, version, _, _, attrs @ ..] => Ok(Genl {
            cmd: *cmd,
            version: *version,
            attrs,
        }),
        _ => Err(Error::Malformed(format!(
            "{}-byte payload, too short for a genlmsghdr",
            payload.len()
        ))),
    }
}

/// A NUL-terminated string attribute (`NLA_NUL_STRING`), without its NUL.
pub fn parse_string(payload: &[u8]) -> Result<String, Error> {
    let Some(nul) = payload.iter().position(|&b| b == 0) else {
        return Err(Error::Malformed("string attribute without a NUL".into()));
    };
    String::from_utf8(payload[..nul].to_vec())
        .map_err(|_| Error::Malformed("string attribute is not UTF-8".into()))
}

/// A u32 attribute: exactly 4 bytes in host byte order.
pub fn parse_u32(payload: &[u8]) -> Result<u32, Error> {
    let b: [u8; 4] = payload
        .try_into()
        .map_err(|_| Error::Malformed(format!("u32 attribute of {} bytes", payload.len())))?;
    Ok(u32::from_ne_bytes(b))
}

/// A u16 attribute: exactly 2 bytes in host byte order.
pub fn parse_u16(payload: &[u8]) -> Result<u16, Error> {
    let b: [u8; 2] = payload
        .try_into()
        .map_err(|_| Error::Malformed(format!("u16 attribute of {} bytes", payload.len())))?;
    Ok(u16::from_ne_bytes(b))
}

/// The errno of `struct nlmsgerr.error` or of the `int` in `NLMSG_DONE`, made positive.
fn errno_from(raw: &[u8]) -> Result<i32, Error> {
    let b: [u8; 4] = raw
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::Malformed(format!("{}-byte error payload", raw.len())))?;
    i32::from_ne_bytes(b)
        .checked_neg()
        .ok_or_else(|| Error::Malformed("error code i32::MIN".into()))
}

/// Fills `err` from the extended ACK attributes in `tlvs`.
fn decode_ext_ack(tlvs: &[u8], err: &mut KernelError) -> Result<(), Error> {
    for attr in attrs(tlvs) {
        let (ty, payload) = attr?;
        match ty {
            NLMSGERR_ATTR_MSG => {
                // A diagnostic for people: keep what is there even if it is not
                // clean UTF-8 or lacks its NUL, but on one line: control
                // characters become '?', as in the C clients.
                let end = payload
                    .iter()
                    .position(|&b| b == 0)
                    .unwrap_or(payload.len());
                let text = String::from_utf8_lossy(&payload[..end])
                    .chars()
                    .map(|c| if c.is_ascii_control() { '?' } else { c })
                    .collect();
                err.message = Some(text);
            }
            NLMSGERR_ATTR_OFFS => err.offset = Some(parse_u32(payload)?),
            NLMSGERR_ATTR_MISS_TYPE => err.missing_type = Some(parse_u32(payload)?),
            NLMSGERR_ATTR_MISS_NEST => err.missing_nest = Some(parse_u32(payload)?),
            NLMSGERR_ATTR_POLICY => err.has_policy = true,
            // COOKIE and whatever later kernels add.
            _ => {}
        }
    }
    Ok(())
}

/// Decodes the payload of an `NLMSG_ERROR` whose header carried `flags`:
/// `struct nlmsgerr` (error + the request's header), the rest of the request
/// unless `NLM_F_CAPPED`, then extended ACK attributes if `NLM_F_ACK_TLVS`.
pub fn decode_error(flags: u16, payload: &[u8]) -> Result<KernelError, Error> {
    let errno = errno_from(payload)?;
    let req_hdr = NlHeader::parse(payload.get(4..).unwrap_or_default()).ok_or_else(|| {
        Error::Malformed(format!(
            "{}-byte NLMSG_ERROR, too short for struct nlmsgerr",
            payload.len()
        ))
    })?;
    let capped = flags & NLM_F_CAPPED != 0;
    let req_end = if capped {
        4 + NLMSG_HDRLEN
    } else {
        let req_len = usize::try_from(req_hdr.len).unwrap_or(usize::MAX);
        if req_len < NLMSG_HDRLEN || req_len > payload.len() - 4 {
            return Err(Error::Malformed(format!(
                "NLMSG_ERROR echoes a {}-byte request in {} bytes",
                req_hdr.len,
                payload.len() - 4
            )));
        }
        4 + req_len
    };
    let mut err = KernelError {
        errno,
        message: None,
        offset: None,
        missing_type: None,
        missing_nest: None,
        has_policy: false,
        capped,
        request: payload[4..req_end].to_vec(),
    };
    if flags & NLM_F_ACK_TLVS != 0 {
        let tlvs = payload.get(align4(req_end)..).unwrap_or_default();
        decode_ext_ack(tlvs, &mut err)?;
    }
    Ok(err)
}

/// Decodes the payload of an `NLMSG_DONE`: the dump's status (0 or a negative
/// errno), then extended ACK attributes if `NLM_F_ACK_TLVS`. A DONE too short
/// for its `int` is malformed: the kernel always sends the status, and without
/// it a dump that failed could not be told from one that ended.
pub fn decode_done(flags: u16, payload: &[u8]) -> Result<KernelError, Error> {
    if payload.len() < 4 {
        return Err(Error::Malformed(format!(
            "{}-byte NLMSG_DONE, too short for its status",
            payload.len()
        )));
    }
    let errno = errno_from(payload)?;
    let mut err = KernelError {
        errno,
        message: None,
        offset: None,
        missing_type: None,
        missing_nest: None,
        has_policy: false,
        capped: false,
        request: Vec::new(),
    };
    if flags & NLM_F_ACK_TLVS != 0 {
        decode_ext_ack(payload.get(4..).unwrap_or_default(), &mut err)?;
    }
    Ok(err)
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
