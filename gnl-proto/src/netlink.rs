//! Netlink's own numbers, from <linux/netlink.h> and <linux/genetlink.h>: what every
//! Generic Netlink family shares, as opposed to the family's own (family.rs).

/// `sizeof(struct nlmsghdr)`.
pub const NLMSG_HDRLEN: usize = 16;
/// `sizeof(struct genlmsghdr)`.
pub const GENL_HDRLEN: usize = 4;
/// `sizeof(struct nlattr)`.
pub const NLA_HDRLEN: usize = 4;

/// `nlmsg_type` of a no-op message.
pub const NLMSG_NOOP: u16 = 1;
/// `nlmsg_type` of an error or ACK (`struct nlmsgerr` payload).
pub const NLMSG_ERROR: u16 = 2;
/// `nlmsg_type` that ends a dump (an `int` status payload).
pub const NLMSG_DONE: u16 = 3;
/// `nlmsg_type` of "data lost".
pub const NLMSG_OVERRUN: u16 = 4;
/// Types below this are netlink's own control messages, never handed to a family.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

/// A request (every message to the kernel).
pub const NLM_F_REQUEST: u16 = 0x01;
/// Part of a multipart message (every message of a dump).
pub const NLM_F_MULTI: u16 = 0x02;
/// Asks for an ACK even on success.
pub const NLM_F_ACK: u16 = 0x04;
/// Asks the kernel to echo the request to its sender.
pub const NLM_F_ECHO: u16 = 0x08;
/// The dump was interrupted by a change of the data being dumped.
pub const NLM_F_DUMP_INTR: u16 = 0x10;
/// GET modifier: return the whole table.
pub const NLM_F_ROOT: u16 = 0x100;
/// GET modifier: return all matching entries.
pub const NLM_F_MATCH: u16 = 0x200;
/// GET modifier: an atomic snapshot (no family here supports it).
pub const NLM_F_ATOMIC: u16 = 0x400;
/// A dump needs both bits: the kernel tests `(flags & NLM_F_DUMP) == NLM_F_DUMP`.
pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
/// In an `NLMSG_ERROR`: only the request's header was echoed, not its payload.
pub const NLM_F_CAPPED: u16 = 0x100;
/// In an `NLMSG_ERROR` or `NLMSG_DONE`: extended ACK attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

// Extended ACK attributes, `enum nlmsgerr_attrs`.
/// The error message (NUL-terminated string).
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// Offset of the offending attribute from the start of the request's `nlmsghdr` (u32).
pub const NLMSGERR_ATTR_OFFS: u16 = 2;
/// An opaque cookie some families return.
pub const NLMSGERR_ATTR_COOKIE: u16 = 3;
/// The policy of the rejected attribute (nested).
pub const NLMSGERR_ATTR_POLICY: u16 = 4;
/// Type of the missing required attribute (u32, Linux 6.0+).
pub const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;
/// Offset of the nest that lacks it (u32, Linux 6.0+).
pub const NLMSGERR_ATTR_MISS_NEST: u16 = 6;

/// `nla_type` flag: the payload is more attributes.
pub const NLA_F_NESTED: u16 = 0x8000;
/// `nla_type` flag: the payload is in network byte order.
pub const NLA_F_NET_BYTEORDER: u16 = 0x4000;
/// `nla_type` without `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER`.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// `GENL_ID_CTRL`: the `nlmsg_type` of the genl controller (nlctrl).
pub const GENL_ID_CTRL: u16 = 0x10;
/// `CTRL_CMD_GETFAMILY`: resolves a family's name to its id.
pub const CTRL_CMD_GETFAMILY: u8 = 3;
/// `CTRL_ATTR_FAMILY_ID` (u16).
pub const CTRL_ATTR_FAMILY_ID: u16 = 1;
/// `CTRL_ATTR_FAMILY_NAME` (string).
pub const CTRL_ATTR_FAMILY_NAME: u16 = 2;
/// `CTRL_ATTR_VERSION` (u32).
pub const CTRL_ATTR_VERSION: u16 = 3;
/// `CTRL_ATTR_MCAST_GROUPS`: a nest of nests, one per multicast group of the family,
/// each with [`CTRL_ATTR_MCAST_GRP_NAME`] and [`CTRL_ATTR_MCAST_GRP_ID`].
pub const CTRL_ATTR_MCAST_GROUPS: u16 = 7;
/// `CTRL_ATTR_MCAST_GRP_NAME` (string), inside a group's nest.
pub const CTRL_ATTR_MCAST_GRP_NAME: u16 = 1;
/// `CTRL_ATTR_MCAST_GRP_ID` (u32), inside a group's nest: the number to join with
/// `NETLINK_ADD_MEMBERSHIP`. Any value from 1 up: above 32 once enough families
/// registered groups, so it does not always fit bind()'s 32-bit `nl_groups` mask.
pub const CTRL_ATTR_MCAST_GRP_ID: u16 = 2;
/// `CTRL_CMD_NEWFAMILY`: sent to nlctrl's "notify" group when a family registers.
pub const CTRL_CMD_NEWFAMILY: u8 = 1;
/// `CTRL_CMD_DELFAMILY`: sent to nlctrl's "notify" group when a family unregisters
/// (its module unloads), with the family's id and name.
pub const CTRL_CMD_DELFAMILY: u8 = 2;
/// `GENL_CTRL_NAME`: the controller's own family name, resolved like any other.
pub const GENL_CTRL_NAME: &str = "nlctrl";
/// The name of the controller's multicast group announcing families coming and going.
pub const GENL_CTRL_MCGRP_NOTIFY: &str = "notify";

/// Netlink aligns every message and attribute to 4 bytes (`NLMSG_ALIGN`, `NLA_ALIGN`).
pub const fn align4(n: usize) -> usize {
    n.saturating_add(3) & !3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controller_numbers_are_the_c_librarys() {
        assert_eq!(i32::from(GENL_ID_CTRL), libc::GENL_ID_CTRL);
        assert_eq!(i32::from(CTRL_CMD_GETFAMILY), libc::CTRL_CMD_GETFAMILY);
        assert_eq!(i32::from(CTRL_CMD_NEWFAMILY), libc::CTRL_CMD_NEWFAMILY);
        assert_eq!(i32::from(CTRL_CMD_DELFAMILY), libc::CTRL_CMD_DELFAMILY);
        assert_eq!(i32::from(CTRL_ATTR_FAMILY_ID), libc::CTRL_ATTR_FAMILY_ID);
        assert_eq!(
            i32::from(CTRL_ATTR_FAMILY_NAME),
            libc::CTRL_ATTR_FAMILY_NAME
        );
        assert_eq!(i32::from(CTRL_ATTR_VERSION), libc::CTRL_ATTR_VERSION);
        assert_eq!(
            i32::from(CTRL_ATTR_MCAST_GROUPS),
            libc::CTRL_ATTR_MCAST_GROUPS
        );
        assert_eq!(
            i32::from(CTRL_ATTR_MCAST_GRP_NAME),
            libc::CTRL_ATTR_MCAST_GRP_NAME
        );
        assert_eq!(
            i32::from(CTRL_ATTR_MCAST_GRP_ID),
            libc::CTRL_ATTR_MCAST_GRP_ID
        );
    }

    #[test]
    fn align4_rounds_up_without_overflow() {
        assert_eq!(align4(0), 0);
        assert_eq!(align4(1), 4);
        assert_eq!(align4(4), 4);
        assert_eq!(align4(4097), 4100);
        assert_eq!(align4(usize::MAX), usize::MAX & !3);
    }
}
