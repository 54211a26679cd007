//! Numbers of the wire protocol: netlink's own (from <linux/netlink.h> and
//! <linux/genetlink.h>) and the family's (mirrored from include/gnl_foobar_xmpl.h; the unit
//! test `header_agrees` fails if the two drift apart).

// --- include/gnl_foobar_xmpl.h ---
pub const FAMILY_NAME: &str = "gnl_foobar_xmpl";
pub const FAMILY_VERSION: u8 = 1;
pub const MSG_MAX_LEN: usize = 4096;
pub const DUMP_DEFAULT_COUNT: u32 = 3;
pub const DUMP_MIN_COUNT: u32 = 1;
pub const DUMP_MAX_COUNT: u32 = 1_000_000;
pub const DUMP_DEFAULT_MSG: &str = "Hello from the gnl_foobar_xmpl dump";

pub const CMD_UNSPEC: u8 = 0;
pub const CMD_ECHO_MSG: u8 = 1;
pub const CMD_REPLY_WITH_NLMSG_ERR: u8 = 2;
pub const CMD_MAX: u8 = 2;

pub const A_UNSPEC: u16 = 0;
pub const A_MSG: u16 = 1;
pub const A_DUMP_COUNT: u16 = 2;
pub const A_DUMP_INDEX: u16 = 3;
pub const A_MAX: u16 = 3;

// --- <linux/netlink.h> ---
pub const NLMSG_HDRLEN: usize = 16;
pub const NLA_HDRLEN: usize = 4;
pub const NLMSG_NOOP: u16 = 1;
pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;
pub const NLMSG_OVERRUN: u16 = 4;
/// Types below this are netlink's own control messages, never handed to a family.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

pub const NLM_F_REQUEST: u16 = 0x01;
pub const NLM_F_MULTI: u16 = 0x02;
pub const NLM_F_ACK: u16 = 0x04;
pub const NLM_F_ECHO: u16 = 0x08;
pub const NLM_F_DUMP_INTR: u16 = 0x10;
pub const NLM_F_ROOT: u16 = 0x100;
pub const NLM_F_MATCH: u16 = 0x200;
pub const NLM_F_ATOMIC: u16 = 0x400;
/// A dump needs both bits: the kernel tests `(flags & NLM_F_DUMP) == NLM_F_DUMP`.
pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
/// On an NLMSG_ERROR: the request's payload was left out of the echoed message.
pub const NLM_F_CAPPED: u16 = 0x100;
/// On an NLMSG_ERROR or NLMSG_DONE: extended-ACK TLVs follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

pub const NLMSGERR_ATTR_MSG: u16 = 1;
pub const NLMSGERR_ATTR_OFFS: u16 = 2;
pub const NLMSGERR_ATTR_COOKIE: u16 = 3;
pub const NLMSGERR_ATTR_POLICY: u16 = 4;
pub const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;
pub const NLMSGERR_ATTR_MISS_NEST: u16 = 6;

pub const NLA_F_NESTED: u16 = 0x8000;
pub const NLA_F_NET_BYTEORDER: u16 = 0x4000;
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

// --- <linux/genetlink.h> ---
pub const GENL_HDRLEN: usize = 4;
pub const GENL_ID_CTRL: u16 = 0x10;
pub const CTRL_CMD_GETFAMILY: u8 = 3;
pub const CTRL_VERSION: u8 = 2;
pub const CTRL_ATTR_FAMILY_ID: u16 = 1;
pub const CTRL_ATTR_FAMILY_NAME: u16 = 2;

/// Rounds a length up to netlink's 4-byte alignment (NLMSG_ALIGN and NLA_ALIGN agree).
pub const fn align4(len: usize) -> usize {
    (len + 3) & !3
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = include_str!("../../include/gnl_foobar_xmpl.h");

    /// The value of `#define NAME VALUE` in the header, as written.
    fn define(name: &str) -> String {
        HEADER
            .lines()
            .filter_map(|l| l.strip_prefix("#define "))
            .find_map(|l| {
                let mut it = l.split_whitespace();
                (it.next() == Some(name)).then(|| it.collect::<Vec<_>>().join(" "))
            })
            .unwrap_or_else(|| panic!("no #define {name} in the header"))
    }

    /// The enumerators of `enum NAME { ... }`, in order (their values are their positions).
    fn enumerators(name: &str) -> Vec<String> {
        let start = HEADER
            .find(&format!("enum {name} {{"))
            .unwrap_or_else(|| panic!("no enum {name} in the header"));
        let body = &HEADER[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
        body.lines()
            .map(|l| l.split("/*").next().unwrap_or("").trim())
            .filter(|l| !l.is_empty() && !l.starts_with('*'))
            .map(|l| l.trim_end_matches(',').to_string())
            .collect()
    }

    #[test]
    fn header_agrees() {
        assert_eq!(
            define("GNL_FOOBAR_XMPL_FAMILY_NAME"),
            format!("\"{FAMILY_NAME}\"")
        );
        assert_eq!(
            define("GNL_FOOBAR_XMPL_FAMILY_VERSION"),
            FAMILY_VERSION.to_string()
        );
        assert_eq!(
            define("GNL_FOOBAR_XMPL_MSG_MAX_LEN"),
            MSG_MAX_LEN.to_string()
        );
        assert_eq!(
            define("GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT"),
            DUMP_DEFAULT_COUNT.to_string()
        );
        assert_eq!(
            define("GNL_FOOBAR_XMPL_DUMP_MIN_COUNT"),
            DUMP_MIN_COUNT.to_string()
        );
        assert_eq!(
            define("GNL_FOOBAR_XMPL_DUMP_MAX_COUNT"),
            DUMP_MAX_COUNT.to_string()
        );
        assert_eq!(
            define("GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG"),
            format!("\"{DUMP_DEFAULT_MSG}\"")
        );
        let cmds = enumerators("gnl_foobar_xmpl_cmd");
        assert_eq!(cmds[CMD_UNSPEC as usize], "GNL_FOOBAR_XMPL_CMD_UNSPEC");
        assert_eq!(cmds[CMD_ECHO_MSG as usize], "GNL_FOOBAR_XMPL_CMD_ECHO_MSG");
        assert_eq!(
            cmds[CMD_REPLY_WITH_NLMSG_ERR as usize],
            "GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR"
        );
        assert_eq!(cmds[CMD_MAX as usize + 1], "__GNL_FOOBAR_XMPL_CMD_MAX");
        let attrs = enumerators("gnl_foobar_xmpl_attr");
        assert_eq!(attrs[A_UNSPEC as usize], "GNL_FOOBAR_XMPL_A_UNSPEC");
        assert_eq!(attrs[A_MSG as usize], "GNL_FOOBAR_XMPL_A_MSG");
        assert_eq!(attrs[A_DUMP_COUNT as usize], "GNL_FOOBAR_XMPL_A_DUMP_COUNT");
        assert_eq!(attrs[A_DUMP_INDEX as usize], "GNL_FOOBAR_XMPL_A_DUMP_INDEX");
        assert_eq!(attrs[A_MAX as usize + 1], "__GNL_FOOBAR_XMPL_A_MAX");
    }

    #[test]
    fn align4_rounds_up() {
        assert_eq!(align4(0), 0);
        assert_eq!(align4(1), 4);
        assert_eq!(align4(4), 4);
        assert_eq!(align4(4097), 4100);
    }
}
