//! Errors of the client: every failure is a value whose Display is one line a
//! person can act on, e.g. `kernel said EINVAL (22): GNL_FOOBAR_XMPL_A_MSG is required`.

use std::fmt;
use std::io;

use crate::proto::FAMILY_NAME;
use crate::wire::{NlHeader, NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_HDRLEN};

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

    /// `nla_type` of the attribute that `offset` points at, read from the echoed
    /// request; `None` without an offset, or when the request was capped.
    pub fn offending_attr_type(&self) -> Option<u16> {
        let off = usize::try_from(self.offset?).ok()?;
        if off < NLMSG_HDRLEN {
            return None;
        }
        let end = off.checked_add(NLA_HDRLEN)?;
        let hdr = self.request.get(off..end)?;
        Some(u16::from_ne_bytes([hdr[2], hdr[3]]) & NLA_TYPE_MASK)
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.errno == 0 {
            write!(f, "kernel acknowledged the request")?;
        } else {
            match self.errno_name() {
                Some(name) => write!(f, "kernel said {name} ({})", self.errno)?,
                None => write!(f, "kernel said errno {}", self.errno)?,
            }
        }
        if let Some(msg) = &self.message {
            write!(f, ": {msg}")?;
        } else if let Some(t) = self.missing_type {
            write!(f, ": attribute type {t} is missing")?;
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
                "generic netlink family '{FAMILY_NAME}' not found: load the module with \
                 `sudo insmod kernel-mod/gnl_foobar_xmpl.ko` or run in the VM with \
                 `sh vm/vm run -- <cmd>`"
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
