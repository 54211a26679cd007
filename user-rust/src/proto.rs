//! The gnl_foobar_xmpl protocol, mirrored from include/gnl_foobar_xmpl.h.
//! The unit test in header_check.rs fails if the two ever drift apart.

use neli::neli_enum;

/// Name under which the module registers the family with the genl controller.
pub const FAMILY_NAME: &str = "gnl_foobar_xmpl";
/// Goes into `genlmsghdr.version` of every request.
pub const FAMILY_VERSION: u8 = 1;
/// Longest `GNL_FOOBAR_XMPL_A_MSG` string in bytes, not counting its NUL.
pub const MSG_MAX_LEN: usize = 4096;
/// Messages in a dump when the request carries no `GNL_FOOBAR_XMPL_A_DUMP_COUNT`.
pub const DUMP_DEFAULT_COUNT: u32 = 3;
/// Smallest accepted `GNL_FOOBAR_XMPL_A_DUMP_COUNT` (inclusive).
pub const DUMP_MIN_COUNT: u32 = 1;
/// Largest accepted `GNL_FOOBAR_XMPL_A_DUMP_COUNT` (inclusive).
pub const DUMP_MAX_COUNT: u32 = 1_000_000;
/// `GNL_FOOBAR_XMPL_A_MSG` of each dump message when the request had none.
pub const DUMP_DEFAULT_MSG: &str = "Hello from the gnl_foobar_xmpl dump";

/// `enum gnl_foobar_xmpl_cmd`: the `cmd` byte of the generic netlink header.
///
/// `neli_enum` adds `UnrecognizedConst(u8)`, which the tests use to send
/// commands the kernel does not know.
#[neli_enum(serialized_type = "u8")]
pub enum Command {
    Unspec = 0,
    /// Echo `MSG` back (doit), or dump `DUMP_COUNT` messages with `NLM_F_DUMP`.
    EchoMsg = 1,
    /// Always answered with an `NLMSG_ERROR` carrying `-EINVAL` and an extended ACK.
    ReplyWithNlmsgErr = 2,
}

impl neli::consts::genl::Cmd for Command {}

/// `GNL_FOOBAR_XMPL_CMD_MAX`: the highest command the family knows.
pub const CMD_MAX: Command = Command::ReplyWithNlmsgErr;

impl Command {
    /// Every command of the header, in order.
    pub const ALL: [Command; 3] = [
        Command::Unspec,
        Command::EchoMsg,
        Command::ReplyWithNlmsgErr,
    ];

    /// The C name of the command, as in the header.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Command::Unspec => Some("GNL_FOOBAR_XMPL_CMD_UNSPEC"),
            Command::EchoMsg => Some("GNL_FOOBAR_XMPL_CMD_ECHO_MSG"),
            Command::ReplyWithNlmsgErr => Some("GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR"),
            Command::UnrecognizedConst(_) => None,
        }
    }
}

/// `enum gnl_foobar_xmpl_attr`: the `nla_type` of the family's attributes.
#[neli_enum(serialized_type = "u16")]
pub enum Attr {
    Unspec = 0,
    /// NUL-terminated string, at most [`MSG_MAX_LEN`] bytes plus the NUL.
    Msg = 1,
    /// u32, dump requests only: how many messages to dump.
    DumpCount = 2,
    /// u32, dump replies only: 0-based position of the message in the dump.
    DumpIndex = 3,
}

impl neli::consts::genl::NlAttrType for Attr {}

/// `GNL_FOOBAR_XMPL_A_MAX`: the highest attribute the family knows.
pub const ATTR_MAX: Attr = Attr::DumpIndex;

impl Attr {
    /// Every attribute of the header, in order.
    pub const ALL: [Attr; 4] = [Attr::Unspec, Attr::Msg, Attr::DumpCount, Attr::DumpIndex];

    /// The C name of the attribute, as in the header.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Attr::Unspec => Some("GNL_FOOBAR_XMPL_A_UNSPEC"),
            Attr::Msg => Some("GNL_FOOBAR_XMPL_A_MSG"),
            Attr::DumpCount => Some("GNL_FOOBAR_XMPL_A_DUMP_COUNT"),
            Attr::DumpIndex => Some("GNL_FOOBAR_XMPL_A_DUMP_INDEX"),
            Attr::UnrecognizedConst(_) => None,
        }
    }
}
