//! The gnl_foobar_xmpl protocol for Rust, shared by the neli client (user-rust/) and the
//! raw-bytes hardening tests (hardening/).
//!
//! - [`family`]: the family's name, version, limits, commands and attributes, generated
//!   from include/gnl_foobar_xmpl.h at build time;
//! - [`netlink`]: netlink's own numbers (message types, flags, extended ACK attributes);
//! - [`wire`]: bounds-checked decoding of messages, the genl header and attributes;
//! - [`ack`]: errors, ACKs and dump statuses with their extended ACK, as [`KernelError`];
//! - [`ctrl`]: what the genl controller says about a family: id, multicast groups;
//! - [`config`]: a namespace's config, as a config-get reply or a config-ntf carries it;
//! - [`procnet`]: the drops counter of a socket, from /proc/self/net/netlink;
//! - [`errno`]: symbolic errno names for messages a person reads.
//!
//! Modules depend only on those listed before them, never the other way round.
//! Requests are not built here: the client builds them with neli, the hardening tests
//! byte by byte, malformed on purpose.

pub mod ack;
pub mod config;
pub mod ctrl;
pub mod errno;
pub mod family;
pub mod netlink;
pub mod procnet;
pub mod wire;

#[cfg(any(test, feature = "test-util"))]
pub mod testutil;

pub use ack::KernelError;
pub use config::Config;
pub use ctrl::{FamilyInfo, McastGroup};
pub use errno::errno_name;
pub use family::{Attr, Command};
pub use wire::{Malformed, NlHeader};
