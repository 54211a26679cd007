//! Errors of the client: every failure is a value whose Display is one line a
//! person can act on, e.g. `kernel replied with error EINVAL (22): GNL_FOOBAR_XMPL_A_MSG
//! is required (names the missing attribute GNL_FOOBAR_XMPL_A_MSG)`; the C clients
//! word the kernel's errors the same way. The kernel's own errors are
//! [`KernelError`]s, decoded by gnl-proto.

use std::fmt;
use std::io;

use gnl_proto::family::FAMILY_NAME;
use gnl_proto::{KernelError, Malformed};

/// Everything that can go wrong talking to the family.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The genl controller does not know the family: the module is not loaded.
    FamilyNotFound,
    /// The controller announced the family's removal (`CTRL_CMD_DELFAMILY`): the
    /// module was unloaded under a listener.
    FamilyGone,
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
            Error::FamilyGone => write!(f, "family {FAMILY_NAME} went away (CTRL_CMD_DELFAMILY)"),
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

impl From<Malformed> for Error {
    fn from(m: Malformed) -> Error {
        Error::Malformed(m.0)
    }
}
