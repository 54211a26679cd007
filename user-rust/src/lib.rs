//! Rust client of the `gnl_foobar_xmpl` Generic Netlink family, built on neli 0.7.
//!
//! ```no_run
//! use gnl_foobar_xmpl::FoobarClient;
//!
//! let mut client = FoobarClient::connect()?; // resolves the family id
//! assert_eq!(client.echo("Hello from Rust")?, "Hello from Rust");
//! for entry in client.dump_iter(Some(5), None)? {
//!     let entry = entry?;
//!     println!("{}: {}", entry.index, entry.msg);
//! }
//! let err = client.reply_with_error(None)?; // the kernel always fails this one
//! println!("{err}"); // kernel replied with error EINVAL (22): ...
//! # Ok::<(), gnl_foobar_xmpl::Error>(())
//! ```
//!
//! The protocol (commands, attributes, limits, generated from
//! include/gnl_foobar_xmpl.h) and the checked decoding of replies come from the
//! gnl-proto crate, re-exported here as [`proto`] and [`wire`].

pub mod bench;
pub mod cli;
mod client;
mod error;

pub use gnl_proto::family as proto;
pub use gnl_proto::wire;

pub use client::{DumpEntry, DumpIter, FoobarClient, RawAttr, RawBody, RawMessage, RawRequest};
pub use error::Error;
pub use gnl_proto::{errno_name, Attr, Command, KernelError, NlHeader};
pub use neli::consts::nl::NlmF;
