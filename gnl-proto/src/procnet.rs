//! The table of netlink sockets in /proc/self/net/netlink (one row per socket of the
//! reader's network namespace, `netlink_seq_show()` in net/netlink/af_netlink.c): how
//! a listener learns how many messages its socket dropped when recvmsg() reported
//! `ENOBUFS`, which says only that some were.
//!
//! ```text
//! sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
//! 00000000a1b2c3d4 16  4123       00000000 0        0        0     2        17       31337
//! ```
//!
//! Columns are found by their names in the header line, not by position, so a kernel
//! that adds one does not shift what is read.

use crate::wire::Malformed;

/// Where the table is: the net namespace of the process reading it.
pub const PROC_NET_NETLINK: &str = "/proc/self/net/netlink";

/// The "Drops" column of the row whose "Inode" is `inode` (the socket's `st_ino`,
/// from fstat()): how many messages the kernel could not queue to that socket since
/// it was created (`sk_drops`, counted by `netlink_overrun()`). It is a 32-bit
/// counter that wraps: compare two readings with `wrapping_sub`.
///
/// `Ok(None)` when no row has that inode (not a netlink socket of this namespace).
pub fn drops_by_inode(table: &str, inode: u64) -> Result<Option<u32>, Malformed> {
    let mut lines = table.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| Malformed(format!("no \"{name}\" column in the netlink table")))
    };
    let (drops_at, inode_at) = (column("Drops")?, column("Inode")?);
    for line in lines {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let (Some(row_inode), Some(drops)) = (fields.get(inode_at), fields.get(drops_at)) else {
            return Err(Malformed(format!(
                "netlink table row of {} columns, {} in the header",
                fields.len(),
                header.len()
            )));
        };
        let row_inode: u64 = row_inode
            .parse()
            .map_err(|_| Malformed(format!("netlink table inode \"{row_inode}\"")))?;
        if row_inode == inode {
            return drops
                .parse()
                .map(Some)
                .map_err(|_| Malformed(format!("netlink table drops \"{drops}\"")));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n";

    fn table(rows: &[&str]) -> String {
        let mut t = HEADER.to_owned();
        for r in rows {
            t.push_str(r);
            t.push('\n');
        }
        t
    }

    #[test]
    fn finds_the_row_of_the_inode() {
        let t = table(&[
            "0000000000000000 0   0          00000000 0        0        0     2        0        1001",
            "00000000a1b2c3d4 16  4123       00000000 4352     0        0     2        17       31337",
            "00000000a1b2c3d5 16  4124       00000000 0        0        0     2        4294967295 31338",
        ]);
        assert_eq!(drops_by_inode(&t, 31337), Ok(Some(17)));
        assert_eq!(drops_by_inode(&t, 1001), Ok(Some(0)));
        assert_eq!(drops_by_inode(&t, 31338), Ok(Some(u32::MAX)));
        assert_eq!(drops_by_inode(&t, 7), Ok(None));
    }

    #[test]
    fn columns_are_found_by_name() {
        let t = "Inode Drops Extra\n42 5 x\n";
        assert_eq!(drops_by_inode(t, 42), Ok(Some(5)));
    }

    #[test]
    fn an_empty_table_has_no_row() {
        assert_eq!(drops_by_inode(HEADER, 1), Ok(None));
        assert_eq!(drops_by_inode(&table(&[""]), 1), Ok(None));
    }

    #[test]
    fn malformed_tables_are_errors() {
        let cases = [
            ("no header", String::new()),
            ("no Drops column", "sk Inode\n0 1\n".to_owned()),
            ("no Inode column", "sk Drops\n0 1\n".to_owned()),
            ("a short row", table(&["0000000000000000 16 4123"])),
            (
                "an inode that is not a number",
                table(&["0 16 1 0 0 0 0 2 0 x"]),
            ),
            (
                "drops that are not a number",
                table(&["0 16 1 0 0 0 0 2 -1 5"]),
            ),
            (
                "drops above 32 bits",
                table(&["0 16 1 0 0 0 0 2 4294967296 5"]),
            ),
        ];
        for (what, t) in cases {
            assert!(drops_by_inode(&t, 5).is_err(), "{what}");
        }
    }
}
