//! Rust client of the `gnl_foobar_xmpl` Generic Netlink family, built on neli 0.7.
//!
//! ```no_run
//! use gnl_foobar_xmpl::{ConfigListener, FoobarClient, ListenEvent};
//!
//! let mut client = FoobarClient::connect()?; // resolves the family id
//! assert_eq!(client.echo("Hello from Rust")?, "Hello from Rust");
//! for entry in client.dump_iter(Some(5), None)? {
//!     let entry = entry?;
//!     println!("{}: {}", entry.index, entry.msg);
//! }
//! let err = client.reply_with_error(None)?; // the kernel always fails this one
//! println!("{err}"); // kernel replied with error EINVAL (22): ...
//!
//! println!("{}", client.config_get()?); // dump-count 3, dump-msg '...'
//! let mut listener = ConfigListener::connect()?; // joins the "config" group
//! let set = client.config_set(Some(5), None)?; // needs CAP_NET_ADMIN
//! match listener.next_event()? {
//!     ListenEvent::Notification(ntf) => assert_eq!(ntf.seq, set.seq),
//!     ListenEvent::Overflow { lost, config } => println!("lost {lost}, now {config}"),
//! }
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
mod listener;
mod rx;

pub use gnl_proto::family as proto;
pub use gnl_proto::wire;

pub use client::{
    ConfigNotification, DumpEntry, DumpIter, FoobarClient, RawAttr, RawBody, RawMessage, RawRequest,
};
pub use error::Error;
pub use gnl_proto::{errno_name, Attr, Command, Config, FamilyInfo, KernelError, NlHeader};
pub use listener::{ConfigListener, ListenEvent};
pub use neli::consts::nl::NlmF;
