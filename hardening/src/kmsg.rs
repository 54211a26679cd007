//! Watching the kernel log (/dev/kmsg) for splats while a test runs: warnings, BUGs, oopses,
//! refcount and lockdep reports, sanitizer reports. Ordinary lines -- such as netlink's
//! rate-limited "attribute type N has an invalid length" notes that malformed requests
//! cause on purpose -- are not splats.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::OpenOptionsExt;

use crate::report::Report;

/// Substrings that mark a kernel splat, one a line: the VM harness's own list, which fails a
/// run whose kernel log shows any of them.
const SPLAT_MARKERS: &str = include_str!("../../vm/kernel-problems.txt");

pub fn is_splat(line: &str) -> bool {
    SPLAT_MARKERS
        .lines()
        .filter(|m| !m.is_empty())
        .any(|m| line.contains(m))
}

/// The text of one /dev/kmsg record ("PRI,SEQ,TIME,FLAGS;TEXT\n KEY=VALUE\n...").
pub fn record_text(record: &str) -> &str {
    let text = record.split_once(';').map_or(record, |(_, t)| t);
    text.split('\n').next().unwrap_or("")
}

/// Reads the records logged after `start` was called.
pub struct KmsgWatch {
    file: File,
}

impl KmsgWatch {
    /// Opens /dev/kmsg positioned after the last record logged so far.
    pub fn start() -> io::Result<Self> {
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open("/dev/kmsg")?;
        // SEEK_END on /dev/kmsg moves past every record already in the ring buffer.
        file.seek(SeekFrom::End(0))?;
        Ok(KmsgWatch { file })
    }

    /// Starts watching, or reports the failure as a failed check and returns None: the
    /// suite still runs, without the splat check.
    pub fn start_reported(r: &mut Report) -> Option<Self> {
        match Self::start() {
            Ok(k) => Some(k),
            Err(e) => {
                r.fail("watch the kernel log (/dev/kmsg)", &e.to_string());
                None
            }
        }
    }

    /// Every record logged since `start` (or the last call), as text lines.
    pub fn new_lines(&mut self) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            // Each read returns exactly one record.
            match self.file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let rec = String::from_utf8_lossy(&buf[..n]);
                    out.push(record_text(&rec).to_string());
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                // EPIPE: records were overwritten before we read them; carry on with the
                // oldest one left (a splat flood would show in what remains).
                Err(e) if e.raw_os_error() == Some(libc::EPIPE) => {
                    out.push("(kmsg: some records were overwritten before being read)".into());
                }
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// The splat lines logged since the last call.
    pub fn new_splats(&mut self) -> io::Result<Vec<String>> {
        Ok(self
            .new_lines()?
            .into_iter()
            .filter(|l| is_splat(l))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_splats_and_ignores_notes() {
        assert!(is_splat(
            "WARNING: CPU: 0 PID: 1 at net/netlink/genetlink.c:1 x"
        ));
        assert!(is_splat("BUG: KASAN: slab-out-of-bounds in nla_validate"));
        assert!(is_splat("refcount_t: underflow; use-after-free."));
        assert!(is_splat(
            "general protection fault, probably for non-canonical address"
        ));
        assert!(!is_splat(
            "netlink: 'hardening-fuzz': attribute type 2 has an invalid length."
        ));
        assert!(!is_splat("gnl_foobar_xmpl: loaded"));
        // The debug kernel's lockdep reports, and its boot banner that is not one.
        assert!(is_splat(
            "WARNING: possible circular locking dependency detected"
        ));
        assert!(is_splat("WARNING: inconsistent lock state"));
        assert!(!is_splat("rcu: \tRCU lockdep checking is enabled."));
    }

    #[test]
    fn record_text_strips_prefix_and_dictionary() {
        assert_eq!(
            record_text("6,812,4215134,-;hello world\n SUBSYSTEM=net\n"),
            "hello world"
        );
        assert_eq!(record_text("no prefix"), "no prefix");
    }
}
