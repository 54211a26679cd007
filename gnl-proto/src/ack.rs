//! The kernel's answers about a request rather than to it: `NLMSG_ERROR` (an error, or
//! an ACK when its code is 0) and the status `NLMSG_DONE` ends a dump with, each with
//! the extended ACK (message, offending attribute, missing attribute) decoded into a
//! [`KernelError`]. Every length is checked, as in wire.rs.

use std::ffi::CStr;
use std::fmt;

use crate::errno::errno_name;
use crate::family::Attr;
use crate::netlink::{
    align4, GENL_HDRLEN, GENL_ID_CTRL, NLA_HDRLEN, NLMSGERR_ATTR_MISS_NEST,
    NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY,
    NLMSG_HDRLEN, NLM_F_ACK_TLVS, NLM_F_CAPPED,
};
use crate::wire::{attrs, parse_u32, Malformed, NlHeader};

/// `MAX_ERRNO` (include/linux/err.h): no errno is larger.
const MAX_ERRNO: i32 = 4095;

/// An `NLMSG_ERROR` (or the status of an `NLMSG_DONE`) decoded with its extended ACK.
///
/// `errno` is positive (the kernel sends it negated); 0 means an ACK, which the
/// raw API can receive too.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct KernelError {
    /// Positive errno, e.g. 22 for EINVAL; 0 for an ACK.
    pub errno: i32,
    /// `NLMSGERR_ATTR_MSG`: the human-readable reason set with `NL_SET_ERR_MSG*()`.
    pub message: Option<String>,
    /// `NLMSGERR_ATTR_OFFS`: byte offset, from the start of the request's
    /// `nlmsghdr`, of the attribute the kernel blames.
    pub offset: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_TYPE` (Linux 6.0+): type of a required attribute that was missing.
    pub missing_type: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_NEST` (Linux 6.0+): offset of the nest that lacked it.
    pub missing_nest: Option<u32>,
    /// `NLMSGERR_ATTR_POLICY` was present (the policy of the rejected attribute).
    pub has_policy: bool,
    /// `NLM_F_CAPPED`: the kernel echoed only the request's header, not its payload.
    pub capped: bool,
    /// The request as the kernel echoed it: its `nlmsghdr`, plus its payload
    /// unless `capped`. Empty for the status of an `NLMSG_DONE`.
    pub request: Vec<u8>,
}

impl KernelError {
    fn new(errno: i32, capped: bool, request: &[u8]) -> KernelError {
        KernelError {
            errno,
            message: None,
            offset: None,
            missing_type: None,
            missing_nest: None,
            has_policy: false,
            capped,
            request: request.to_vec(),
        }
    }

    /// Symbolic name of `errno`, e.g. `"EINVAL"`.
    pub fn errno_name(&self) -> Option<&'static str> {
        errno_name(self.errno)
    }

    /// The header of the request the error answers, as the kernel echoed it.
    pub fn request_header(&self) -> Option<NlHeader> {
        NlHeader::parse(&self.request)
    }

    /// `nla_type` of the top-level attribute of the echoed request that covers
    /// byte `offset`; `None` without an offset, when no attribute covers it, or
    /// when the request was capped (only its header was echoed).
    pub fn offending_attr_type(&self) -> Option<u16> {
        let off = usize::try_from(self.offset?).ok()?;
        let first = NLMSG_HDRLEN + GENL_HDRLEN;
        let block = self.request.get(first..)?;
        let mut pos = first;
        for attr in attrs(block) {
            let (ty, payload) = attr.ok()?;
            let end = pos + NLA_HDRLEN + payload.len();
            if (pos..end).contains(&off) {
                return Some(ty);
            }
            pos = align4(end);
        }
        None
    }

    /// `"EINVAL (22): <the extended ACK message, or strerror()>"`.
    pub fn status(&self) -> String {
        let name = self.errno_name().unwrap_or("unknown errno");
        let text = match &self.message {
            Some(msg) => msg.clone(),
            None => strerror(self.errno),
        };
        format!("{name} ({}): {text}", self.errno)
    }

    /// What the extended ACK blames, e.g. `"points at GNL_FOOBAR_XMPL_A_MSG, byte
    /// 20 of the request"` or `"names the missing attribute GNL_FOOBAR_XMPL_A_MSG"`;
    /// `None` if it blames nothing.
    pub fn blame(&self) -> Option<String> {
        if let Some(offset) = self.offset {
            return Some(match self.offending_attr_type() {
                Some(t) => format!(
                    "points at {}, byte {offset} of the request",
                    self.attr_name(u32::from(t))
                ),
                None => format!("points at byte {offset} of the request"),
            });
        }
        self.missing_type
            .map(|t| format!("names the missing attribute {}", self.attr_name(t)))
    }

    /// The family's name for attribute `t`, or `"attribute type N"` (always for a
    /// request that went to the controller, whose attributes are not the family's).
    fn attr_name(&self, t: u32) -> String {
        let to_ctrl = self
            .request_header()
            .is_some_and(|h| h.nl_type == GENL_ID_CTRL);
        match u16::try_from(t).ok().filter(|_| !to_ctrl) {
            Some(t16) => match Attr::from(t16).name() {
                Some(name) => name.to_owned(),
                None => format!("attribute type {t}"),
            },
            None => format!("attribute type {t}"),
        }
    }
}

/// The C library's text for `errno`, e.g. "Invalid argument".
fn strerror(errno: i32) -> String {
    let mut buf = [0 as libc::c_char; 128];
    // SAFETY: the buffer is valid for its length; the XSI strerror_r (which the libc
    // crate binds on Linux) always NUL-terminates what it writes, and we zeroed it.
    let rc = unsafe { libc::strerror_r(errno, buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return format!("Unknown error {errno}");
    }
    // SAFETY: NUL-terminated, see above; the last byte is never written over.
    unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.errno == 0 {
            return write!(f, "kernel acknowledged the request");
        }
        write!(f, "kernel replied with error {}", self.status())?;
        if let Some(blame) = self.blame() {
            write!(f, " ({blame})")?;
        }
        Ok(())
    }
}

/// The errno of `struct nlmsgerr.error` or of the `int` in `NLMSG_DONE`, made positive.
fn errno_from(raw: &[u8]) -> Result<i32, Malformed> {
    let b: [u8; 4] = raw
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Malformed(format!("{}-byte error payload", raw.len())))?;
    let code = i32::from_ne_bytes(b);
    // The kernel sends 0 or -errno, and errnos end at MAX_ERRNO (include/linux/err.h).
    match code.checked_neg() {
        Some(errno @ 0..=MAX_ERRNO) => Ok(errno),
        _ => Err(Malformed(format!(
            "error code {code}, not 0 or a negative errno"
        ))),
    }
}

/// Fills `err` from the extended ACK attributes in `tlvs`.
fn decode_ext_ack(tlvs: &[u8], err: &mut KernelError) -> Result<(), Malformed> {
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

/// An `NLMSG_ERROR` payload cut into its parts, before the extended ACK is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NlmsgErr<'a> {
    /// Positive errno; 0 for an ACK.
    pub errno: i32,
    /// The request as echoed: its header, and its payload unless `NLM_F_CAPPED`.
    pub request: &'a [u8],
    /// What follows the request (aligned): the extended ACK attributes when the
    /// message has `NLM_F_ACK_TLVS`, else nothing.
    pub tlvs: &'a [u8],
}

/// Cuts the payload of an `NLMSG_ERROR` whose header carried `flags`: `struct
/// nlmsgerr` (error + the request's header), the rest of the request unless
/// `NLM_F_CAPPED` (the kernel sets it on every ACK, and on errors to sockets with
/// `NETLINK_CAP_ACK`), then the attributes.
pub fn split_error(flags: u16, payload: &[u8]) -> Result<NlmsgErr<'_>, Malformed> {
    let errno = errno_from(payload)?;
    let Some(req_hdr) = NlHeader::parse(payload.get(4..).unwrap_or_default()) else {
        return Err(Malformed(format!(
            "{}-byte NLMSG_ERROR, too short for struct nlmsgerr",
            payload.len()
        )));
    };
    let req_end = if flags & NLM_F_CAPPED != 0 {
        4 + NLMSG_HDRLEN
    } else {
        let req_len = usize::try_from(req_hdr.len).unwrap_or(usize::MAX);
        if req_len < NLMSG_HDRLEN || req_len > payload.len() - 4 {
            return Err(Malformed(format!(
                "NLMSG_ERROR echoes a {}-byte request in {} bytes",
                req_hdr.len,
                payload.len() - 4
            )));
        }
        4 + req_len
    };
    Ok(NlmsgErr {
        errno,
        request: &payload[4..req_end],
        tlvs: payload.get(align4(req_end)..).unwrap_or_default(),
    })
}

/// Decodes the payload of an `NLMSG_ERROR` whose header carried `flags`, extended
/// ACK included when the header has `NLM_F_ACK_TLVS`.
pub fn decode_error(flags: u16, payload: &[u8]) -> Result<KernelError, Malformed> {
    let parts = split_error(flags, payload)?;
    let mut err = KernelError::new(parts.errno, flags & NLM_F_CAPPED != 0, parts.request);
    if flags & NLM_F_ACK_TLVS != 0 {
        decode_ext_ack(parts.tlvs, &mut err)?;
    }
    Ok(err)
}

/// Decodes the payload of an `NLMSG_DONE`: the dump's status (0 or a negative
/// errno), then extended ACK attributes if `NLM_F_ACK_TLVS`. A DONE too short
/// for its `int` is malformed: the kernel always sends the status, and without
/// it a dump that failed could not be told from one that ended.
pub fn decode_done(flags: u16, payload: &[u8]) -> Result<KernelError, Malformed> {
    if payload.len() < 4 {
        return Err(Malformed(format!(
            "{}-byte NLMSG_DONE, too short for its status",
            payload.len()
        )));
    }
    let mut err = KernelError::new(errno_from(payload)?, false, &[]);
    if flags & NLM_F_ACK_TLVS != 0 {
        decode_ext_ack(&payload[4..], &mut err)?;
    }
    Ok(err)
}

#[cfg(test)]
#[path = "ack_tests.rs"]
mod tests;
