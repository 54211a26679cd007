//! Errors of the client: every failure is a value whose Display is one line a
//! person can act on, e.g. `kernel replied with error EINVAL (22): GNL_FOOBAR_XMPL_A_MSG
//! is required (names the missing attribute GNL_FOOBAR_XMPL_A_MSG)`; the C clients
//! word the kernel's errors the same way.

use std::ffi::CStr;
use std::fmt;
use std::io;

use crate::proto::{Attr, FAMILY_NAME};
use crate::wire::{self, NlHeader, GENL_HDRLEN, NLMSG_HDRLEN};

/// `GENL_ID_CTRL`: requests of this type went to the controller, not to the family.
const GENL_ID_CTRL: u16 = 0x10;

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
        let attrs = self.request.get(first..)?;
        let mut pos = first;
        for attr in wire::attrs(attrs) {
            let (ty, payload) = attr.ok()?;
            let end = pos + wire::NLA_HDRLEN + payload.len();
            if (pos..end).contains(&off) {
                return Some(ty);
            }
            pos = wire::align4(end);
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

/// Everything that can go wrong talking to the family.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The genl controller does not know the family: the module is not loaded.
    FamilyNotFound,
    /// A socket call failed.
    Io {
        /// The call, e.g. `"recvfrom"`.
        op: &'static str,
        /// What the C library reported.
        source: io::Error,
    },
    /// The kernel answered with an `NLMSG_ERROR` (or a failed `NLMSG_DONE`).
    Kernel(KernelError),
    /// A reply that does not parse: lengths out of bounds, missing terminator, ...
    Malformed(String),
    /// A well-formed reply that is not the answer to our request.
    Unexpected(String),
    /// A datagram larger than the receive buffer; the kernel dropped its tail.
    Truncated {
        /// Size of the datagram.
        len: usize,
        /// Size of the receive buffer.
        capacity: usize,
    },
    /// The caller asked for something netlink cannot carry.
    InvalidInput(String),
    /// neli could not serialize a request.
    Encode(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::FamilyNotFound => write!(
                f,
                "Generic Netlink family '{FAMILY_NAME}' not found: load the module \
                 (sudo insmod kernel-mod/gnl_foobar_xmpl.ko) or run in the VM \
                 (sh vm/vm run -- <command>)"
            ),
            Error::Io { op, source } => write!(f, "{op} failed: {source}"),
            Error::Kernel(k) => write!(f, "{k}"),
            Error::Malformed(what) => write!(f, "malformed reply from the kernel: {what}"),
            Error::Unexpected(what) => write!(f, "unexpected reply from the kernel: {what}"),
            Error::Truncated { len, capacity } => write!(
                f,
                "a {len}-byte datagram did not fit the {capacity}-byte receive buffer"
            ),
            Error::InvalidInput(what) => write!(f, "invalid input: {what}"),
            Error::Encode(what) => write!(f, "could not encode the request: {what}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    /// The kernel's error, if that is what this is.
    pub fn kernel(&self) -> Option<&KernelError> {
        match self {
            Error::Kernel(k) => Some(k),
            _ => None,
        }
    }

    /// The kernel's errno, if the kernel reported the error.
    pub fn errno(&self) -> Option<i32> {
        self.kernel().map(|k| k.errno)
    }
}

/// Symbolic name of a Linux errno, for the errors a netlink family can return.
pub fn errno_name(errno: i32) -> Option<&'static str> {
    Some(match errno {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::ESRCH => "ESRCH",
        libc::EINTR => "EINTR",
        libc::EIO => "EIO",
        libc::ENXIO => "ENXIO",
        libc::E2BIG => "E2BIG",
        libc::EBADF => "EBADF",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EACCES => "EACCES",
        libc::EFAULT => "EFAULT",
        libc::EBUSY => "EBUSY",
        libc::EEXIST => "EEXIST",
        libc::ENODEV => "ENODEV",
        libc::EINVAL => "EINVAL",
        libc::ENOSPC => "ENOSPC",
        libc::ERANGE => "ERANGE",
        libc::ENOSYS => "ENOSYS",
        libc::ENODATA => "ENODATA",
        libc::EPROTO => "EPROTO",
        libc::EBADMSG => "EBADMSG",
        libc::EOVERFLOW => "EOVERFLOW",
        libc::EMSGSIZE => "EMSGSIZE",
        libc::ENOPROTOOPT => "ENOPROTOOPT",
        libc::EPROTONOSUPPORT => "EPROTONOSUPPORT",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        libc::EAFNOSUPPORT => "EAFNOSUPPORT",
        libc::ENOBUFS => "ENOBUFS",
        libc::ECONNREFUSED => "ECONNREFUSED",
        libc::ETIMEDOUT => "ETIMEDOUT",
        libc::EALREADY => "EALREADY",
        libc::EINPROGRESS => "EINPROGRESS",
        // Kernel-internal, but it does leak out through netlink.
        524 => "ENOTSUPP",
        _ => return None,
    })
}
