//! A raw NETLINK_GENERIC socket through libc, with extended ACKs switched on, that sends
//! exactly the bytes it is given and reports a truncated receive instead of hiding it.

use std::io;
use std::mem;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

/// What one recvmsg returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    /// Bytes copied into the buffer.
    pub len: usize,
    /// The datagram was longer than the buffer: the rest of it is gone (MSG_TRUNC).
    pub truncated: bool,
}

pub struct NlSocket {
    fd: OwnedFd,
    port: u32,
}

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

fn setsockopt_int(
    fd: &OwnedFd,
    level: libc::c_int,
    name: libc::c_int,
    v: libc::c_int,
) -> io::Result<()> {
    // SAFETY: passes a pointer to a live c_int and its exact size.
    check(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&v as *const libc::c_int).cast(),
            mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    })
    .map(drop)
}

impl NlSocket {
    /// A socket bound to a port the kernel picks, with NETLINK_EXT_ACK on.
    pub fn open() -> io::Result<Self> {
        Self::open_bound(0)
    }

    /// A socket bound to `port` (0: the kernel picks one), with NETLINK_EXT_ACK on.
    pub fn open_bound(port: u32) -> io::Result<Self> {
        // SAFETY: plain syscall; the result is checked before it is wrapped.
        let raw = check(unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_GENERIC,
            )
        })?;
        // SAFETY: `raw` is a fresh descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        setsockopt_int(&fd, libc::SOL_NETLINK, libc::NETLINK_EXT_ACK, 1)?;
        let mut sa = Self::kernel_addr();
        sa.nl_pid = port;
        // SAFETY: sa is a valid sockaddr_nl and the length is its size.
        check(unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&sa as *const libc::sockaddr_nl).cast(),
                mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        })?;
        let mut got = Self::kernel_addr();
        let mut len = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: got and len are valid for writing, len holds got's size.
        check(unsafe {
            libc::getsockname(
                fd.as_raw_fd(),
                (&mut got as *mut libc::sockaddr_nl).cast(),
                &mut len,
            )
        })?;
        Ok(NlSocket {
            fd,
            port: got.nl_pid,
        })
    }

    fn kernel_addr() -> libc::sockaddr_nl {
        // SAFETY: sockaddr_nl is plain data; all-zero is a valid value (the kernel's address).
        let mut sa: libc::sockaddr_nl = unsafe { mem::zeroed() };
        sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        sa
    }

    /// The port id (nl_pid) the socket is bound to: replies carry it.
    pub fn port(&self) -> u32 {
        self.port
    }

    /// SO_RCVBUF (the kernel doubles the value and applies its minimum).
    pub fn set_rcvbuf(&self, bytes: usize) -> io::Result<()> {
        let v = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
        setsockopt_int(&self.fd, libc::SOL_SOCKET, libc::SO_RCVBUF, v)
    }

    /// SO_RCVBUFFORCE: past net.core.rmem_max, which needs CAP_NET_ADMIN (the guest is root).
    pub fn force_rcvbuf(&self, bytes: usize) -> io::Result<()> {
        let v = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
        setsockopt_int(&self.fd, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, v)
    }

    /// Joins multicast group `id` with NETLINK_ADD_MEMBERSHIP, which takes any id (the
    /// `nl_groups` mask of bind() names only 1 to 32).
    pub fn add_membership(&self, id: u32) -> io::Result<()> {
        let v = libc::c_int::try_from(id)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "group id above INT_MAX"))?;
        setsockopt_int(&self.fd, libc::SOL_NETLINK, libc::NETLINK_ADD_MEMBERSHIP, v)
    }

    /// The receive buffer size the kernel actually uses.
    pub fn rcvbuf(&self) -> io::Result<usize> {
        let mut v: libc::c_int = 0;
        let mut len = mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: v and len are valid for writing, len holds v's size.
        check(unsafe {
            libc::getsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&mut v as *mut libc::c_int).cast(),
                &mut len,
            )
        })?;
        Ok(v.max(0) as usize)
    }

    /// A receive timeout, so a missing answer fails the test instead of hanging it.
    pub fn set_timeout(&self, t: Duration) -> io::Result<()> {
        let tv = libc::timeval {
            tv_sec: t.as_secs() as libc::time_t,
            tv_usec: t.subsec_micros() as libc::suseconds_t,
        };
        // SAFETY: passes a pointer to a live timeval and its exact size.
        check(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&tv as *const libc::timeval).cast(),
                mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        })
        .map(drop)
    }

    /// Sends `bytes` as one datagram to the kernel; returns what sendto returned.
    pub fn send(&self, bytes: &[u8]) -> io::Result<usize> {
        let sa = Self::kernel_addr();
        // SAFETY: the buffer and the address are valid for the given lengths.
        let n = unsafe {
            libc::sendto(
                self.fd.as_raw_fd(),
                bytes.as_ptr().cast(),
                bytes.len(),
                0,
                (&sa as *const libc::sockaddr_nl).cast(),
                mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if n < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(n as usize)
        }
    }

    /// Sends and insists that every byte went.
    pub fn send_all(&self, bytes: &[u8]) -> io::Result<()> {
        let n = self.send(bytes)?;
        if n != bytes.len() {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!("sent {n} of {} bytes", bytes.len()),
            ));
        }
        Ok(())
    }

    /// One recvmsg into `buf`. With `wait` false it does not block (EAGAIN: nothing queued).
    pub fn recv(&self, buf: &mut [u8], wait: bool) -> io::Result<Received> {
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        let mut sa = Self::kernel_addr();
        // SAFETY: msghdr is plain data; zero is valid before the fields are set.
        let mut mh: libc::msghdr = unsafe { mem::zeroed() };
        mh.msg_name = (&mut sa as *mut libc::sockaddr_nl).cast();
        mh.msg_namelen = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        mh.msg_iov = &mut iov;
        mh.msg_iovlen = 1;
        let flags = if wait { 0 } else { libc::MSG_DONTWAIT };
        // SAFETY: mh points at iov and sa, both alive and sized for the call.
        let n = unsafe { libc::recvmsg(self.fd.as_raw_fd(), &mut mh, flags) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Received {
            len: (n as usize).min(buf.len()),
            truncated: mh.msg_flags & libc::MSG_TRUNC != 0,
        })
    }
}

/// Receive buffer big enough for any datagram the kernel sends us: an error echoing a
/// 64 KiB request, or a dump skb (at most 32 KiB on these kernels).
pub const RECV_BUF: usize = 128 * 1024;
