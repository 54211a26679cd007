//! A listener of the family's "config" multicast group: the group's id resolved from
//! the controller, joined with NETLINK_ADD_MEMBERSHIP, notifications received by
//! reading the socket directly, overflows (ENOBUFS) counted and recovered from, and
//! the family's removal (nlctrl's CTRL_CMD_DELFAMILY) reported.
//!
//! Why not neli's `NlRouter`: it sorts what arrives by the group bitmask of the
//! sender's address (`nl_groups` of recvfrom()), and the kernel puts a group there
//! only if its id is 32 or less; for a higher id the mask is 0 and the router drops
//! the notification. Group ids are handed out in registration order across all
//! families, so ours is above 32 on a machine with enough of them.

use std::io;
use std::mem::size_of;
use std::ops::Range;
use std::os::unix::io::AsRawFd;

use neli::consts::socket::NlFamily;
use neli::socket::NlSocket;
use neli::utils::Groups;

use gnl_proto::config::{self, Config};
use gnl_proto::ctrl;
use gnl_proto::family::{Command, FAMILY_NAME, MCGRP_CONFIG};
use gnl_proto::netlink::{CTRL_CMD_DELFAMILY, GENL_CTRL_MCGRP_NOTIFY, GENL_CTRL_NAME};
use gnl_proto::procnet::{self, PROC_NET_NETLINK};
use gnl_proto::wire::{self, NlHeader};

use crate::client::{ConfigNotification, FoobarClient};
use crate::error::Error;
use crate::rx::RxBuf;

/// The receive buffer: a notification of ours is below 4.2 KiB, but the controller's
/// notifications describe whole families (their ops, their groups) in one message
/// of up to a page; 32 KiB holds the largest with room to spare.
const RX_LEN: usize = 32 * 1024;

/// What [`ConfigListener::next_event`] returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenEvent {
    /// A `GNL_FOOBAR_XMPL_CMD_CONFIG_NTF`.
    Notification(ConfigNotification),
    /// The receive queue overflowed: the kernel dropped `lost` messages for this
    /// socket (the increase of its drops counter; it counts every message dropped,
    /// so also nlctrl's). `config` is the config read afresh after that.
    Overflow {
        /// Messages dropped since the last overflow reported.
        lost: u32,
        /// The namespace's config, read with `CONFIG_GET` once the queue was empty.
        config: Config,
    },
}

/// Listens to the family's config group in the network namespace it was created in.
pub struct ConfigListener {
    /// Joined to the config group and to nlctrl's notify group; never sends.
    sock: NlSocket,
    /// A second connection, for the controller's queries and the `CONFIG_GET` after
    /// an overflow: its replies never mix with the notifications.
    control: FoobarClient,
    family_id: u16,
    ctrl_id: u16,
    group_id: u32,
    notify_group_id: u32,
    /// The socket's inode: its row in the netlink table of procfs.
    inode: u64,
    /// The port id notifications come from: the kernel's, 0 (a fake in unit tests).
    kernel_portid: u32,
    /// The socket's drops counter when the last overflow was reported.
    drops_reported: u32,
    /// After ENOBUFS: reading what is still queued, without blocking, before
    /// counting what was lost (see `next_event`).
    draining: bool,
    rx: RxBuf,
}

/// What one receive got.
enum Received {
    Datagram,
    /// recvmsg() failed with ENOBUFS: messages were dropped since the last receive.
    Overflowed,
    /// Nothing queued (only when draining, which does not block).
    Empty,
}

fn io_err(op: &'static str) -> impl FnOnce(io::Error) -> Error {
    move |source| Error::Io { op, source }
}

impl ConfigListener {
    /// Resolves the family, its config group and nlctrl's notify group, and joins both
    /// groups. Fails with [`Error::FamilyNotFound`] when the module is not loaded.
    pub fn connect() -> Result<ConfigListener, Error> {
        let mut control = FoobarClient::connect()?;
        let ctrl = control.family_info(GENL_CTRL_NAME)?;
        let notify_group_id = ctrl.group_id(GENL_CTRL_MCGRP_NOTIFY).ok_or_else(|| {
            Error::Unexpected(format!(
                "nlctrl lists no multicast group '{GENL_CTRL_MCGRP_NOTIFY}'"
            ))
        })?;

        let sock = NlSocket::new(NlFamily::Generic)
            .map_err(io_err("socket(AF_NETLINK, NETLINK_GENERIC)"))?;
        // No groups in bind(): its nl_groups is a 32-bit mask, group n being bit
        // n - 1, so it cannot name a group above 32.
        sock.bind(None, Groups::empty()).map_err(io_err("bind"))?;
        // neli 0.7's add_mcast_membership() calls setsockopt(SOL_NETLINK,
        // NETLINK_ADD_MEMBERSHIP) with each group's number, which takes any id.
        let join = |id: u32| {
            sock.add_mcast_membership(Groups::new_groups(&[id]))
                .map_err(io_err("setsockopt(NETLINK_ADD_MEMBERSHIP)"))
        };
        // The notify group first, the family after: if the module unloads from
        // here on, this socket hears its CTRL_CMD_DELFAMILY.
        join(notify_group_id)?;
        let family = control.family_info(FAMILY_NAME)?;
        if family.id != control.family_id() {
            return Err(Error::Unexpected(format!(
                "family {FAMILY_NAME} was registered again while the listener started"
            )));
        }
        let group_id = family.group_id(MCGRP_CONFIG).ok_or_else(|| {
            Error::Unexpected(format!(
                "family {FAMILY_NAME} has no multicast group '{MCGRP_CONFIG}'"
            ))
        })?;
        join(group_id)?;
        ConfigListener::with_parts(sock, control, ctrl.id, group_id, notify_group_id, 0)
    }

    /// A listener on `sock`, already joined to its groups, for the family `control`
    /// is connected to.
    fn with_parts(
        sock: NlSocket,
        control: FoobarClient,
        ctrl_id: u16,
        group_id: u32,
        notify_group_id: u32,
        kernel_portid: u32,
    ) -> Result<ConfigListener, Error> {
        // SAFETY: fstat() fills the zeroed struct it is given, of the right type.
        let inode = unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            if libc::fstat(sock.as_raw_fd(), &mut st) != 0 {
                return Err(io_err("fstat")(io::Error::last_os_error()));
            }
            st.st_ino
        };
        Ok(ConfigListener {
            sock,
            family_id: control.family_id(),
            control,
            ctrl_id,
            group_id,
            notify_group_id,
            inode,
            kernel_portid,
            // A new socket has dropped nothing.
            drops_reported: 0,
            draining: false,
            rx: RxBuf::new(RX_LEN),
        })
    }

    /// The id of the family's config group, as the controller assigned it.
    pub fn group_id(&self) -> u32 {
        self.group_id
    }

    /// The id of nlctrl's notify group, joined to hear the family go away.
    pub fn notify_group_id(&self) -> u32 {
        self.notify_group_id
    }

    /// The family's id.
    pub fn family_id(&self) -> u16 {
        self.family_id
    }

    /// Sets the socket's receive buffer (`SO_RCVBUF`, which the kernel doubles):
    /// how much may queue before the kernel drops notifications.
    pub fn set_receive_buffer(&self, bytes: usize) -> Result<(), Error> {
        self.sock
            .set_recv_buffer_size(bytes)
            .map_err(io_err("setsockopt(SO_RCVBUF)"))
    }

    /// Waits for the next notification or overflow. Fails with
    /// [`Error::FamilyGone`] when the controller announces the family's removal.
    ///
    /// On ENOBUFS it first reads, without blocking, what is still queued: those
    /// messages came before the ones dropped, and returning them first keeps the
    /// events in the order things happened. Once the queue is empty the kernel
    /// delivers again (it stops while the socket is marked congested, counting
    /// each message it drops), so the drops counter read then covers the whole
    /// gap; the config read after it is the state the dropped messages led to.
    pub fn next_event(&mut self) -> Result<ListenEvent, Error> {
        loop {
            if self.rx.is_read() {
                match self.fill()? {
                    Received::Datagram => {}
                    Received::Overflowed => {
                        self.draining = true;
                        continue;
                    }
                    Received::Empty => {
                        self.draining = false;
                        return self.overflow_event();
                    }
                }
            }
            let (hdr, range) = self.rx.next_message()?;
            if let Some(ntf) = self.notification(hdr, range)? {
                return Ok(ListenEvent::Notification(ntf));
            }
        }
    }

    /// The event after an overflow: the messages lost, then the config as it is now.
    fn overflow_event(&mut self) -> Result<ListenEvent, Error> {
        let drops = self.read_drops()?;
        // A 32-bit counter: the difference is right across a wrap.
        let lost = drops.wrapping_sub(self.drops_reported);
        self.drops_reported = drops;
        // Only the drops counter says how many: a module that could not build a
        // notification makes the kernel report ENOBUFS (genl_set_err()) without
        // counting a drop. The fresh config covers that case too.
        let config = self.control.config_get()?;
        Ok(ListenEvent::Overflow { lost, config })
    }

    /// The socket's drops counter, from the netlink table of its network namespace.
    fn read_drops(&self) -> Result<u32, Error> {
        // The table lists the sockets of the namespace of whoever reads it:
        // /proc/self is the process's main thread, which may be in another
        // namespace than the thread that made this socket; thread-self is this
        // thread (the same thing for a single-threaded program).
        let path = PROC_NET_NETLINK.replacen("/self/", "/thread-self/", 1);
        let table = std::fs::read_to_string(&path).map_err(io_err("reading the netlink table"))?;
        procnet::drops_by_inode(&table, self.inode)?.ok_or_else(|| {
            Error::Unexpected(format!("{path} has no row for socket inode {}", self.inode))
        })
    }

    /// Receives one datagram into `rx`; while draining, without blocking.
    fn fill(&mut self) -> Result<Received, Error> {
        let mut flags = libc::MSG_TRUNC;
        if self.draining {
            flags |= libc::MSG_DONTWAIT;
        }
        loop {
            // recvfrom() itself, not neli's recv(): the source's port id tells a
            // message from the kernel (0) from one another process sent to our port
            // id, which any local process may do.
            // SAFETY: zeroed is a valid sockaddr_nl; the buffer and the address are
            // valid for the lengths given.
            let space = self.rx.space();
            let (n, src) = unsafe {
                let mut addr: libc::sockaddr_nl = std::mem::zeroed();
                let mut addr_len = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
                let n = libc::recvfrom(
                    self.sock.as_raw_fd(),
                    space.as_mut_ptr().cast(),
                    space.len(),
                    flags,
                    (&mut addr as *mut libc::sockaddr_nl).cast(),
                    &mut addr_len,
                );
                (n, addr.nl_pid)
            };
            let Ok(n) = usize::try_from(n) else {
                let e = io::Error::last_os_error();
                match e.raw_os_error() {
                    Some(libc::EINTR) => continue,
                    Some(libc::ENOBUFS) => return Ok(Received::Overflowed),
                    Some(libc::EAGAIN) if self.draining => return Ok(Received::Empty),
                    _ => return Err(io_err("recvfrom")(e)),
                }
            };
            if src != self.kernel_portid {
                continue;
            }
            self.rx.received(n)?;
            return Ok(Received::Datagram);
        }
    }

    /// Decodes one message: a notification of ours, nothing for nlctrl's news
    /// about other families, an error for the end of ours or anything else.
    fn notification(
        &self,
        hdr: NlHeader,
        range: Range<usize>,
    ) -> Result<Option<ConfigNotification>, Error> {
        let payload = &self.rx[range];
        match hdr.nl_type {
            t if t == self.family_id => {
                let genl = wire::parse_genl(payload)?;
                if Command::from(genl.cmd) != Command::ConfigNtf {
                    return Err(Error::Unexpected(format!(
                        "message with command {} on the config group",
                        genl.cmd
                    )));
                }
                Ok(Some(ConfigNotification {
                    config: config::parse_config(genl.attrs)?,
                    portid: hdr.portid,
                    seq: hdr.seq,
                }))
            }
            t if t == self.ctrl_id => {
                let genl = wire::parse_genl(payload)?;
                if genl.cmd == CTRL_CMD_DELFAMILY
                    && ctrl::parse_family_id(genl.attrs)? == self.family_id
                {
                    return Err(Error::FamilyGone);
                }
                Ok(None)
            }
            t => Err(Error::Unexpected(format!(
                "message of type {t} on the listening socket"
            ))),
        }
    }
}

#[cfg(test)]
#[path = "listener_tests.rs"]
mod tests;
