//! The bad-input catalogue: malformed and unusual requests sent as raw bytes, each with the
//! exact answer the kernel must give (errno, extended-ACK text, offending-attribute offset,
//! missing-attribute type), per kernel where kernels differ. Run in the guest as root.
//!
//! Usage: hardening-bad-input [--long] [--list]
//!   --long  also reads the whole million-message dump at the count's upper bound
//!   --list  prints the cases with what each must get on every kernel of vm/kernels that
//!           vm/vm has fetched (its version is that kernel's release), and exits

use std::process::ExitCode;
use std::time::Duration;

use gnl_hardening::dump::{read_dump, DumpSpec, DumpVerdict};
use gnl_hardening::msg::{self, batch, Msg};
use gnl_hardening::parse::{self, Reply};
use gnl_hardening::proto::*;
use gnl_hardening::report::Report;
use gnl_hardening::sock::{NlSocket, RECV_BUF};
use gnl_hardening::{drain, errno_label, family, recv_msgs, Incoming, Kernel};

use libc::{EINVAL, ENOENT, EOPNOTSUPP, EPERM, ERANGE};

/// What a case's builder gets: the family's id, the first sequence number the case may use
/// (its messages use seq, seq + 1, ...) and the row's nlmsg_flags.
struct Ctx {
    family: u16,
    seq: u32,
    flags: u16,
}

/// What the expectation function gets.
struct Env {
    kernel: Kernel,
    long: bool,
}

/// Where the extended ACK must point.
#[derive(Clone, Copy, Debug)]
enum Offs {
    /// At the N-th top-level attribute of the (first) request message.
    Attr(usize),
}

/// The sequence number an answer must carry.
#[derive(Clone, Copy, Debug)]
enum Seq {
    /// The case's first sequence number plus this.
    Rel(u32),
    /// Exactly this.
    Abs(u32),
}

/// One expected answer, to the request with sequence number `seq`.
#[derive(Clone, Debug)]
enum Want {
    /// sendmsg itself fails with this errno (nothing reaches the family).
    SendErr(i32),
    /// A doit reply carrying this MSG.
    Reply { seq: Seq, msg: Vec<u8> },
    /// A dump: `count` items carrying `msg`, indexes 0.. in order, then NLMSG_DONE.
    Dump { seq: Seq, count: u32, msg: Vec<u8> },
    /// The first datagram of a dump, starting at index 0; the socket is then closed.
    DumpStart { seq: Seq, msg: Vec<u8> },
    /// NLMSG_ERROR with error 0.
    Ack { seq: Seq },
    /// NLMSG_ERROR with -errno and exactly these extended-ACK fields (None: absent).
    Err {
        seq: Seq,
        errno: i32,
        text: Option<&'static str>,
        offs: Option<Offs>,
        miss_type: Option<u32>,
    },
}

impl Want {
    fn with_seq(mut self, n: Seq) -> Want {
        match &mut self {
            Want::Reply { seq, .. }
            | Want::Dump { seq, .. }
            | Want::DumpStart { seq, .. }
            | Want::Ack { seq }
            | Want::Err { seq, .. } => *seq = n,
            Want::SendErr(_) => {}
        }
        self
    }

    /// For the case's n-th message (its seq is the case's first one plus n).
    fn seq(self, n: u32) -> Want {
        self.with_seq(Seq::Rel(n))
    }

    fn seq_abs(self, n: u32) -> Want {
        self.with_seq(Seq::Abs(n))
    }

    /// The extended ACK's message must contain `t`.
    fn text(mut self, t: &'static str) -> Want {
        if let Want::Err { text, .. } = &mut self {
            *text = Some(t);
        }
        self
    }

    /// The extended ACK's offset must point at the request's attribute number `i`.
    fn at(mut self, i: usize) -> Want {
        if let Want::Err { offs, .. } = &mut self {
            *offs = Some(Offs::Attr(i));
        }
        self
    }

    fn miss(mut self, t: u32) -> Want {
        if let Want::Err { miss_type, .. } = &mut self {
            *miss_type = Some(t);
        }
        self
    }
}

fn reply(msg: &[u8]) -> Want {
    Want::Reply {
        seq: Seq::Rel(0),
        msg: msg.to_vec(),
    }
}

fn dump(count: u32, msg: &[u8]) -> Want {
    Want::Dump {
        seq: Seq::Rel(0),
        count,
        msg: msg.to_vec(),
    }
}

fn ack() -> Want {
    Want::Ack { seq: Seq::Rel(0) }
}

fn err(errno: i32) -> Want {
    Want::Err {
        seq: Seq::Rel(0),
        errno,
        text: None,
        offs: None,
        miss_type: None,
    }
}

/// No answer at all.
fn silence() -> Vec<Want> {
    Vec::new()
}

// Extended-ACK texts of the kernel's attribute validation (lib/nlattr.c), of the 6.1+
// header check (net/netlink/genetlink.c, mirrored by the module's compat code on 5.10),
// and of the module itself.
const POLICY: &str = "Attribute failed policy validation";
const UNKNOWN_ATTR: &str = "Unknown attribute type";
const UNSUPPORTED_ATTR: &str = "Unsupported attribute";
const NESTED_NOT_EXPECTED: &str = "NLA_F_NESTED not expected";
const BAD_LEN: &str = "invalid attribute length";
const LEFTOVER: &str = "bytes leftover after parsing attributes";
const RANGE: &str = "integer out of range";
const RESERVED: &str = "genlmsghdr.reserved field is not 0";
const BAD_FLAGS: &str = "ambiguous or reserved bits set in nlmsg_flags";
const MSG_REQUIRED: &str = "GNL_FOOBAR_XMPL_A_MSG is required";
const ALWAYS_FAILS: &str = "GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails";
const GET_NO_ATTRS: &str = "GNL_FOOBAR_XMPL_CMD_CONFIG_GET takes no attributes";
const SET_NEEDS_ONE: &str =
    "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT or GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG is required";

/// A config-get carrying an attribute. CONFIG_GET has no policy. On 6.1 the module's
/// compat code hands the core a folded struct genl_ops, to which the core gives its
/// reject-all policy (one NLA_REJECT attribute, type 1): type 1 fails that policy and any
/// higher type is unknown, with an offset. From 6.2 the core takes the split table as it
/// is, and on 5.10 it has no reject-all policy: there the core parses nothing and the
/// module's own check answers, pointing at the first attribute too. Unstable's 7.2 gives
/// split operations without a policy the reject-all one too, every type "Unknown attribute
/// type" (6.12 does not: the change lies between them).
fn get_with_attr(k: &Kernel, ty: u16) -> Want {
    let text = if k.at_least(7, 0) {
        UNKNOWN_ATTR
    } else if !k.at_least(6, 1) || k.at_least(6, 2) {
        GET_NO_ATTRS
    } else if ty == 1 {
        POLICY
    } else {
        UNKNOWN_ATTR
    };
    // Every kernel points at the first attribute.
    err(EINVAL).text(text).at(0)
}

/// The missing MSG: 6.0+ also names the attribute in NLMSGERR_ATTR_MISS_TYPE.
fn msg_required(k: &Kernel) -> Want {
    let w = err(EINVAL).text(MSG_REQUIRED);
    if k.at_least(6, 0) {
        w.miss(A_MSG as u32)
    } else {
        w
    }
}

const R: u16 = NLM_F_REQUEST;
const RA: u16 = NLM_F_REQUEST | NLM_F_ACK;
const RD: u16 = NLM_F_REQUEST | NLM_F_DUMP;

fn config_get(c: &Ctx) -> Msg {
    Msg::genl(c.family, CMD_CONFIG_GET, c.flags, c.seq)
}

fn config_set(c: &Ctx) -> Msg {
    Msg::genl(c.family, CMD_CONFIG_SET, c.flags, c.seq)
}

fn echo_hdr(c: &Ctx) -> Msg {
    Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq)
}

fn echo_of(c: &Ctx, text: &[u8]) -> Vec<u8> {
    msg::echo(c.family, c.flags, c.seq, text)
}

fn text_of(n: usize) -> Vec<u8> {
    (0..n).map(|i| b'a' + (i % 26) as u8).collect()
}

/// One row of the catalogue.
struct Case {
    name: &'static str,
    flags: u16,
    build: fn(&Ctx) -> Vec<u8>,
    expect: fn(&Env) -> Vec<Want>,
    /// Sent without CAP_NET_ADMIN in the effective set (see `without_net_admin`).
    unprivileged: bool,
}

const fn case(
    name: &'static str,
    flags: u16,
    build: fn(&Ctx) -> Vec<u8>,
    expect: fn(&Env) -> Vec<Want>,
) -> Case {
    Case {
        name,
        flags,
        build,
        expect,
        unprivileged: false,
    }
}

const fn unprivileged_case(
    name: &'static str,
    flags: u16,
    build: fn(&Ctx) -> Vec<u8>,
    expect: fn(&Env) -> Vec<Want>,
) -> Case {
    Case {
        unprivileged: true,
        ..case(name, flags, build, expect)
    }
}

#[rustfmt::skip]
static CASES: &[Case] = &[
    // --- the netlink header: netlink_rcv_skb() drops, without any answer, a datagram
    // shorter than a header and every message from one whose nlmsg_len is below 16 or
    // beyond the datagram's end.
    case("nlmsghdr truncated to 12 bytes", R, |c| echo_of(c, b"x")[..12].to_vec(), |_| silence()),
    case("nlmsg_len 0", R, |c| echo_hdr(c).attr_str(A_MSG, b"x").finish_with_len(0), |_| silence()),
    case("nlmsg_len 8, below the header", R, |c| echo_hdr(c).attr_str(A_MSG, b"x").finish_with_len(8), |_| silence()),
    case("nlmsg_len 64 bytes beyond what was sent", R, |c| { let m = echo_hdr(c).attr_str(A_MSG, b"x"); let n = m.len() as u32 + 64; m.finish_with_len(n) }, |_| silence()),
    // netlink_sendmsg() refuses an empty datagram ("Zero length message leads to an empty
    // skb", logged once), on 5.10.y too.
    case("zero-length send", R, |_| Vec::new(), |_| vec![Want::SendErr(libc::ENODATA)]),
    case("netlink header only, no genl header", R, |c| Msg::new(c.family, c.flags, c.seq, 0).finish(), |_| vec![err(EINVAL)]),
    case("genl header truncated to 2 bytes", R, |c| Msg::new(c.family, c.flags, c.seq, 0).raw(&[CMD_ECHO_MSG, FAMILY_VERSION]).finish(), |_| vec![err(EINVAL)]),
    case("request without NLM_F_REQUEST", 0, |c| echo_of(c, b"x"), |_| silence()),
    case("NLM_F_ACK without NLM_F_REQUEST is acked unseen", NLM_F_ACK, |c| echo_of(c, b"x"), |_| vec![ack()]),
    case("NLMSG_NOOP control message with NLM_F_ACK", RA, |c| Msg::new(NLMSG_NOOP, c.flags, c.seq, 0).finish(), |_| vec![ack()]),
    case("unregistered family id 0xfff0", R, |c| Msg::genl(0xfff0, CMD_ECHO_MSG, c.flags, c.seq).attr_str(A_MSG, b"x").finish(), |_| vec![err(ENOENT)]),
    case("nlmsg_pid set to another port: the reply still comes here", R, |c| { let mut m = echo_of(c, b"pid"); m[12..16].copy_from_slice(&0x7fff_fff0u32.to_ne_bytes()); m }, |_| vec![reply(b"pid")]),
    case("seq 0xffffffff is answered unchanged", R, |c| msg::echo(c.family, c.flags, u32::MAX, b"max seq"), |_| vec![reply(b"max seq").seq_abs(u32::MAX)]),

    // --- the genetlink header
    case("command 0 (UNSPEC)", R, |c| Msg::genl(c.family, CMD_UNSPEC, c.flags, c.seq).attr_str(A_MSG, b"x").finish(), |_| vec![err(EOPNOTSUPP)]),
    case("command CMD_MAX + 1, the next one to be defined", R, |c| Msg::genl(c.family, CMD_MAX + 1, c.flags, c.seq).attr_str(A_MSG, b"x").finish(), |_| vec![err(EOPNOTSUPP)]),
    case("command 255", R, |c| Msg::genl(c.family, 255, c.flags, c.seq).attr_str(A_MSG, b"x").finish(), |_| vec![err(EOPNOTSUPP)]),
    case("version 0 (not checked by the core or the module)", R, |c| Msg::genl_full(c.family, CMD_ECHO_MSG, 0, 0, c.flags, c.seq).attr_str(A_MSG, b"v0").finish(), |_| vec![reply(b"v0")]),
    case("version 255", R, |c| Msg::genl_full(c.family, CMD_ECHO_MSG, 255, 0, c.flags, c.seq).attr_str(A_MSG, b"v255").finish(), |_| vec![reply(b"v255")]),
    case("reserved byte set on echo", R, |c| Msg::genl_full(c.family, CMD_ECHO_MSG, FAMILY_VERSION, 1, c.flags, c.seq).attr_str(A_MSG, b"x").finish(), |_| vec![err(EINVAL).text(RESERVED)]),
    // 5.10's module checks the header in pre_doit, after the core parsed the attributes.
    case("reserved byte set and an unknown attribute", R, |c| Msg::genl_full(c.family, CMD_ECHO_MSG, FAMILY_VERSION, 0x100, c.flags, c.seq).attr_str(A_MSG, b"x").attr_u32(9, 1).finish(), |e| if e.kernel.at_least(6, 1) { vec![err(EINVAL).text(RESERVED)] } else { vec![err(EINVAL).text(UNKNOWN_ATTR).at(1)] }),
    // 5.10 checks nothing on dump requests (no pre_doit for dumps there).
    case("reserved byte set on a dump", RD, |c| Msg::genl_full(c.family, CMD_ECHO_MSG, FAMILY_VERSION, 1, c.flags, c.seq).attr_u32(A_DUMP_COUNT, 2).finish(), |e| if e.kernel.at_least(6, 1) { vec![err(EINVAL).text(RESERVED)] } else { vec![dump(2, DUMP_DEFAULT_MSG.as_bytes())] }),
    case("reserved byte on an unknown command", R, |c| Msg::genl_full(c.family, 7, FAMILY_VERSION, 1, c.flags, c.seq).finish(), |e| if e.kernel.at_least(6, 1) { vec![err(EINVAL).text(RESERVED)] } else { vec![err(EOPNOTSUPP)] }),

    // --- nlmsg_flags
    case("NLM_F_ACK on echo: reply, then ACK", RA, |c| echo_of(c, b"acked"), |_| vec![reply(b"acked"), ack()]),
    case("NLM_F_ECHO on echo: one reply (ECHO only matters for notifications)", R | NLM_F_ECHO, |c| echo_of(c, b"echoed"), |_| vec![reply(b"echoed")]),
    case("NLM_F_ACK|NLM_F_ECHO on echo", RA | NLM_F_ECHO, |c| echo_of(c, b"both"), |_| vec![reply(b"both"), ack()]),
    case("NLM_F_ACK on an error: the error is the only answer", RA, |c| Msg::genl(c.family, CMD_REPLY_WITH_NLMSG_ERR, c.flags, c.seq).attr_str(A_MSG, b"x").finish(), |_| vec![err(EINVAL).text(ALWAYS_FAILS).at(0)]),
    case("NLM_F_ACK on a dump: no ACK after NLMSG_DONE", RD | NLM_F_ACK, |c| Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq).attr_u32(A_DUMP_COUNT, 2).attr_str(A_MSG, b"d").finish(), |_| vec![dump(2, b"d")]),
    case("NLM_F_MULTI on a request", R | NLM_F_MULTI, |c| echo_of(c, b"x"), |_| vec![err(EINVAL).text(BAD_FLAGS)]),
    case("NLM_F_ROOT alone (half a dump)", R | NLM_F_ROOT, |c| echo_of(c, b"x"), |_| vec![err(EINVAL).text(BAD_FLAGS)]),
    case("NLM_F_ATOMIC on a dump", RD | NLM_F_ATOMIC, |c| Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq).attr_u32(A_DUMP_COUNT, 1).finish(), |e| if e.kernel.at_least(6, 1) { vec![err(EINVAL).text(BAD_FLAGS)] } else { vec![dump(1, DUMP_DEFAULT_MSG.as_bytes())] }),

    // --- MSG
    case("echo without any attribute (missing MSG)", R, |c| echo_hdr(c).finish(), |e| vec![msg_required(&e.kernel)]),
    case("echo with NLM_F_ACK and no MSG: the error only", RA, |c| echo_hdr(c).finish(), |e| vec![msg_required(&e.kernel)]),
    case("MSG empty (zero-length attribute)", R, |c| echo_hdr(c).attr(A_MSG, b"").finish(), |_| vec![err(EINVAL).text(POLICY).at(0)]),
    case("MSG is just a NUL (empty string)", R, |c| echo_hdr(c).attr(A_MSG, b"\0").finish(), |_| vec![reply(b"")]),
    case("MSG without its NUL", R, |c| echo_hdr(c).attr(A_MSG, b"abc").finish(), |_| vec![err(EINVAL).text(POLICY).at(0)]),
    case("MSG with a NUL inside: echoed up to it", R, |c| echo_hdr(c).attr(A_MSG, b"ab\0cd\0").finish(), |_| vec![reply(b"ab")]),
    case("MSG of non-UTF-8 bytes", R, |c| echo_of(c, &[0xff, 0xfe, 0x80, 0x01]), |_| vec![reply(&[0xff, 0xfe, 0x80, 0x01])]),
    case("MSG at the maximum length", R, |c| echo_of(c, &text_of(MSG_MAX_LEN)), |_| vec![reply(&text_of(MSG_MAX_LEN))]),
    case("MSG one byte over the maximum", R, |c| echo_of(c, &text_of(MSG_MAX_LEN + 1)), |_| vec![err(EINVAL).text(POLICY).at(0)]),
    case("MSG far over the maximum (60000 bytes)", R, |c| echo_of(c, &text_of(60_000)), |_| vec![err(EINVAL).text(POLICY).at(0)]),
    case("MSG with NLA_F_NESTED set", R, |c| echo_hdr(c).attr_str(A_MSG | NLA_F_NESTED, b"x").finish(), |_| vec![err(EINVAL).text(NESTED_NOT_EXPECTED).at(0)]),
    case("MSG as a nest holding a MSG", R, |c| echo_hdr(c).nested(A_MSG, |n| n.attr_str(A_MSG, b"inner")).finish(), |_| vec![err(EINVAL).text(NESTED_NOT_EXPECTED).at(0)]),
    case("MSG with NLA_F_NET_BYTEORDER (ignored for strings)", R, |c| echo_hdr(c).attr_str(A_MSG | NLA_F_NET_BYTEORDER, b"be").finish(), |_| vec![reply(b"be")]),
    case("MSG twice: the last one wins", R, |c| echo_hdr(c).attr_str(A_MSG, b"first").attr_str(A_MSG, b"second").finish(), |_| vec![reply(b"second")]),
    case("MSG twice, the first one invalid", R, |c| echo_hdr(c).attr(A_MSG, b"no nul").attr_str(A_MSG, b"second").finish(), |_| vec![err(EINVAL).text(POLICY).at(0)]),

    // --- other attributes
    case("attribute type 0 (UNSPEC)", R, |c| echo_hdr(c).attr_str(A_MSG, b"x").attr_u32(A_UNSPEC, 1).finish(), |_| vec![err(EINVAL).text(UNKNOWN_ATTR).at(1)]),
    case("unknown attribute type 9", R, |c| echo_hdr(c).attr_str(A_MSG, b"x").attr_u32(9, 1).finish(), |_| vec![err(EINVAL).text(UNKNOWN_ATTR).at(1)]),
    case("DUMP_COUNT on a do request", R, |c| echo_hdr(c).attr_str(A_MSG, b"x").attr_u32(A_DUMP_COUNT, 2).finish(), |_| vec![err(EINVAL).text(UNKNOWN_ATTR).at(1)]),
    // Before 6.2 the module's compat code folds do and dump into one genl_ops, so the core
    // validates a do request against the dump policy first and the module rejects
    // DUMP_COUNT afterwards: an invalid DUMP_COUNT fails its policy check first there.
    case("DUMP_COUNT 0 on a do request", R, |c| echo_hdr(c).attr_str(A_MSG, b"x").attr_u32(A_DUMP_COUNT, 0).finish(), |e| if e.kernel.at_least(6, 2) { vec![err(EINVAL).text(UNKNOWN_ATTR).at(1)] } else { vec![err(ERANGE).text(RANGE).at(1)] }),
    case("DUMP_COUNT as a u16 on a do request", R, |c| echo_hdr(c).attr_str(A_MSG, b"x").attr_u16(A_DUMP_COUNT, 2).finish(), |e| if e.kernel.at_least(6, 2) { vec![err(EINVAL).text(UNKNOWN_ATTR).at(1)] } else { vec![err(EINVAL).text(BAD_LEN).at(1)] }),
    case("DUMP_INDEX (a reply-only attribute) in a dump request", RD, |c| Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq).attr_u32(A_DUMP_INDEX, 0).finish(), |_| vec![err(EINVAL).text(UNKNOWN_ATTR).at(0)]),
    case("attribute header with nla_len 2", R, |c| echo_hdr(c).attr_str(A_MSG, b"x").attr_hdr(2, A_MSG).finish(), |_| vec![err(EINVAL).text(LEFTOVER)]),
    case("attribute whose nla_len runs past the message", R, |c| echo_hdr(c).attr_hdr(200, A_MSG).raw(b"abc\0").finish(), |_| vec![err(EINVAL).text(LEFTOVER)]),
    case("two stray bytes after the attributes", R, |c| echo_hdr(c).attr_str(A_MSG, b"xyz").raw(&[1, 2]).finish(), |_| vec![err(EINVAL).text(LEFTOVER)]),

    // --- the dump and its count
    case("dump without attributes: default count and MSG", RD, |c| msg::dump(c.family, c.seq, None, None), |_| vec![dump(DUMP_DEFAULT_COUNT, DUMP_DEFAULT_MSG.as_bytes())]),
    case("dump with MSG only", RD, |c| msg::dump(c.family, c.seq, None, Some(b"mine")), |_| vec![dump(DUMP_DEFAULT_COUNT, b"mine")]),
    case("dump count 0", RD, |c| msg::dump(c.family, c.seq, Some(0), None), |_| vec![err(ERANGE).text(RANGE).at(0)]),
    case("dump count 1, the lower bound", RD, |c| msg::dump(c.family, c.seq, Some(DUMP_MIN_COUNT), None), |_| vec![dump(DUMP_MIN_COUNT, DUMP_DEFAULT_MSG.as_bytes())]),
    case("dump count at the upper bound", RD, |c| msg::dump(c.family, c.seq, Some(DUMP_MAX_COUNT), Some(b"max")), |e| if e.long { vec![dump(DUMP_MAX_COUNT, b"max")] } else { vec![Want::DumpStart { seq: Seq::Rel(0), msg: b"max".to_vec() }] }),
    case("dump count one past the upper bound", RD, |c| msg::dump(c.family, c.seq, Some(DUMP_MAX_COUNT + 1), None), |_| vec![err(ERANGE).text(RANGE).at(0)]),
    case("dump count 0xffffffff", RD, |c| msg::dump(c.family, c.seq, Some(u32::MAX), None), |_| vec![err(ERANGE).text(RANGE).at(0)]),
    case("dump count as a u16", RD, |c| Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq).attr_u16(A_DUMP_COUNT, 2).finish(), |_| vec![err(EINVAL).text(BAD_LEN).at(0)]),
    case("dump count as a u64", RD, |c| Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq).attr_u64(A_DUMP_COUNT, 2).finish(), |_| vec![err(EINVAL).text(BAD_LEN).at(0)]),
    case("dump count nested (length checked before the flag)", RD, |c| Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq).nested(A_DUMP_COUNT, |n| n.attr_u32(A_DUMP_COUNT, 2)).finish(), |_| vec![err(EINVAL).text(BAD_LEN).at(0)]),
    case("dump count nested, 4 bytes long", RD, |c| Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq).attr(A_DUMP_COUNT | NLA_F_NESTED, &[4, 0, 1, 0]).finish(), |_| vec![err(EINVAL).text(NESTED_NOT_EXPECTED).at(0)]),
    case("dump count with NLA_F_NET_BYTEORDER (ignored for u32)", RD, |c| Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq).attr_u32(A_DUMP_COUNT | NLA_F_NET_BYTEORDER, 2).finish(), |_| vec![dump(2, DUMP_DEFAULT_MSG.as_bytes())]),
    case("dump with MSG over the maximum", RD, |c| msg::dump(c.family, c.seq, Some(1), Some(&text_of(MSG_MAX_LEN + 1))), |_| vec![err(EINVAL).text(POLICY).at(1)]),
    case("dump with a maximal MSG (one message per skb)", RD, |c| msg::dump(c.family, c.seq, Some(4), Some(&text_of(MSG_MAX_LEN))), |_| vec![dump(4, &text_of(MSG_MAX_LEN))]),
    case("NLM_F_DUMP on REPLY_WITH_NLMSG_ERR (no dump there)", RD, |c| Msg::genl(c.family, CMD_REPLY_WITH_NLMSG_ERR, c.flags, c.seq).finish(), |_| vec![err(EOPNOTSUPP)]),
    case("NLM_F_DUMP on command 0", RD, |c| Msg::genl(c.family, CMD_UNSPEC, c.flags, c.seq).finish(), |_| vec![err(EOPNOTSUPP)]),

    // --- REPLY_WITH_NLMSG_ERR
    case("REPLY_WITH_NLMSG_ERR without MSG: no offset", R, |c| Msg::genl(c.family, CMD_REPLY_WITH_NLMSG_ERR, c.flags, c.seq).finish(), |_| vec![err(EINVAL).text(ALWAYS_FAILS)]),
    case("REPLY_WITH_NLMSG_ERR with MSG: offset of MSG", R, |c| Msg::genl(c.family, CMD_REPLY_WITH_NLMSG_ERR, c.flags, c.seq).attr_str(A_MSG, b"why").finish(), |_| vec![err(EINVAL).text(ALWAYS_FAILS).at(0)]),
    case("REPLY_WITH_NLMSG_ERR with DUMP_COUNT", R, |c| Msg::genl(c.family, CMD_REPLY_WITH_NLMSG_ERR, c.flags, c.seq).attr_u32(A_DUMP_COUNT, 1).finish(), |_| vec![err(EINVAL).text(UNKNOWN_ATTR).at(0)]),

    // --- CONFIG_GET: no attributes, do only
    case("config-get with CONFIG_DUMP_COUNT", R, |c| config_get(c).attr_u32(A_CONFIG_DUMP_COUNT, 4).finish(), |e| vec![get_with_attr(&e.kernel, A_CONFIG_DUMP_COUNT)]),
    case("config-get with MSG (type 1)", R, |c| config_get(c).attr_str(A_MSG, b"x").finish(), |e| vec![get_with_attr(&e.kernel, A_MSG)]),
    case("config-get with an unknown attribute type 9", R, |c| config_get(c).attr_u32(9, 1).finish(), |e| vec![get_with_attr(&e.kernel, 9)]),
    case("NLM_F_DUMP on config-get (no dump there)", RD, |c| config_get(c).finish(), |_| vec![err(EOPNOTSUPP)]),

    // --- CONFIG_SET: refused requests only, so that the catalogue leaves the config alone
    case("config-set with neither attribute", RA, |c| config_set(c).finish(), |_| vec![err(EINVAL).text(SET_NEEDS_ONE)]),
    case("config-set count 0", RA, |c| config_set(c).attr_u32(A_CONFIG_DUMP_COUNT, 0).finish(), |_| vec![err(ERANGE).text(RANGE).at(0)]),
    case("config-set count one past the upper bound", RA, |c| config_set(c).attr_u32(A_CONFIG_DUMP_COUNT, DUMP_MAX_COUNT + 1).finish(), |_| vec![err(ERANGE).text(RANGE).at(0)]),
    case("config-set count 0xffffffff", RA, |c| config_set(c).attr_u32(A_CONFIG_DUMP_COUNT, u32::MAX).finish(), |_| vec![err(ERANGE).text(RANGE).at(0)]),
    case("config-set count as a u16", RA, |c| config_set(c).attr_u16(A_CONFIG_DUMP_COUNT, 2).finish(), |_| vec![err(EINVAL).text(BAD_LEN).at(0)]),
    case("config-set count as a u64", RA, |c| config_set(c).attr_u64(A_CONFIG_DUMP_COUNT, 2).finish(), |_| vec![err(EINVAL).text(BAD_LEN).at(0)]),
    case("config-set count nested, 4 bytes long", RA, |c| config_set(c).attr(A_CONFIG_DUMP_COUNT | NLA_F_NESTED, &[4, 0, 1, 0]).finish(), |_| vec![err(EINVAL).text(NESTED_NOT_EXPECTED).at(0)]),
    case("config-set msg one byte over the maximum", RA, |c| config_set(c).attr_str(A_CONFIG_DUMP_MSG, &text_of(MSG_MAX_LEN + 1)).finish(), |_| vec![err(EINVAL).text(POLICY).at(0)]),
    case("config-set msg without its NUL", RA, |c| config_set(c).attr(A_CONFIG_DUMP_MSG, b"abc").finish(), |_| vec![err(EINVAL).text(POLICY).at(0)]),
    case("config-set msg as a u32 without a NUL", RA, |c| config_set(c).attr_u32(A_CONFIG_DUMP_MSG, 0x4141_4141).finish(), |_| vec![err(EINVAL).text(POLICY).at(0)]),
    case("config-set a valid count and an invalid msg", RA, |c| config_set(c).attr_u32(A_CONFIG_DUMP_COUNT, 5).attr(A_CONFIG_DUMP_MSG, b"no nul").finish(), |_| vec![err(EINVAL).text(POLICY).at(1)]),
    // Type 1 is within the set policy's maxattr, with no entry: strict validation refuses it.
    case("config-set with the echo's MSG", RA, |c| config_set(c).attr_str(A_MSG, b"x").finish(), |_| vec![err(EINVAL).text(UNSUPPORTED_ATTR).at(0)]),
    case("config-set with an unknown attribute type 9", RA, |c| config_set(c).attr_u32(A_CONFIG_DUMP_COUNT, 5).attr_u32(9, 1).finish(), |_| vec![err(EINVAL).text(UNKNOWN_ATTR).at(1)]),
    // GENL_UNS_ADMIN_PERM: the core refuses before any parsing, without a message.
    unprivileged_case("config-set without CAP_NET_ADMIN", RA, |c| config_set(c).attr_u32(A_CONFIG_DUMP_COUNT, 5).finish(), |_| vec![err(EPERM)]),
    case("NLM_F_DUMP on config-set (no dump there)", RD, |c| config_set(c).attr_u32(A_CONFIG_DUMP_COUNT, 5).finish(), |_| vec![err(EOPNOTSUPP)]),

    // --- CONFIG_NTF: the kernel's to send, no operation takes it
    case("CONFIG_NTF sent as a request", RA, |c| Msg::genl(c.family, CMD_CONFIG_NTF, c.flags, c.seq).attr_u32(A_CONFIG_DUMP_COUNT, 5).attr_str(A_CONFIG_DUMP_MSG, b"x").finish(), |_| vec![err(EOPNOTSUPP)]),
    case("NLM_F_DUMP on CONFIG_NTF", RD, |c| Msg::genl(c.family, CMD_CONFIG_NTF, c.flags, c.seq).finish(), |_| vec![err(EOPNOTSUPP)]),

    // --- several messages in one datagram: each is answered on its own, in order, until
    // one whose nlmsg_len does not fit ends the datagram's processing.
    case("three in one send, an unknown command in the middle", R, |c| batch(&[
            msg::echo(c.family, c.flags, c.seq, b"first"),
            Msg::genl(c.family, 9, c.flags, c.seq + 1).finish(),
            msg::echo(c.family, c.flags, c.seq + 2, b"third")]),
        |_| vec![reply(b"first"), err(EOPNOTSUPP).seq(1), reply(b"third").seq(2)]),
    case("three in one send, the middle one missing NLM_F_REQUEST", R, |c| batch(&[
            msg::echo(c.family, c.flags, c.seq, b"first"),
            msg::echo(c.family, 0, c.seq + 1, b"second"),
            msg::echo(c.family, c.flags, c.seq + 2, b"third")]),
        |_| vec![reply(b"first"), reply(b"third").seq(2)]),
    case("three in one send, an error and a dump after it", R, |c| batch(&[
            Msg::genl(c.family, CMD_REPLY_WITH_NLMSG_ERR, c.flags, c.seq).finish(),
            msg::dump(c.family, c.seq + 1, Some(2), Some(b"d")),
            msg::echo(c.family, c.flags, c.seq + 2, b"third")]),
        |_| vec![err(EINVAL).text(ALWAYS_FAILS), dump(2, b"d").seq(1), reply(b"third").seq(2)]),
    case("three in one send, the middle nlmsg_len past the end", R, |c| batch(&[
            msg::echo(c.family, c.flags, c.seq, b"first"),
            Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq + 1).attr_str(A_MSG, b"second").finish_with_len(4096),
            msg::echo(c.family, c.flags, c.seq + 2, b"third")]),
        |_| vec![reply(b"first")]),
    case("three in one send, the middle nlmsg_len 8", R, |c| batch(&[
            msg::echo(c.family, c.flags, c.seq, b"first"),
            Msg::genl(c.family, CMD_ECHO_MSG, c.flags, c.seq + 1).attr_str(A_MSG, b"second").finish_with_len(8),
            msg::echo(c.family, c.flags, c.seq + 2, b"third")]),
        |_| vec![reply(b"first")]),

    // --- size
    case("64 KiB request, MSG too long", R, |c| { let n = 65536 - NLMSG_HDRLEN - GENL_HDRLEN - NLA_HDRLEN - 1; echo_of(c, &text_of(n)) }, |_| vec![err(EINVAL).text(POLICY).at(0)]),
    case("64 KiB valid request: 16 MSGs, the last one wins", R, |c| {
            let mut m = echo_hdr(c);
            for _ in 0..15 { m = m.attr_str(A_MSG, &text_of(MSG_MAX_LEN)); }
            let last = 65536 - m.len() - NLA_HDRLEN - 1;
            m.attr_str(A_MSG, &text_of(last)).finish()
        }, |_| vec![reply(&text_of(65536 - 20 - 15 * 4104 - NLA_HDRLEN - 1))]),
];

/// Sends the probe (a valid echo) and reads up to its reply. Requests on one socket are
/// answered in order, so whatever arrives before the probe's reply belongs to the case --
/// and a case that must get no answer is proved silent when only the probe's reply comes.
fn probe(sock: &NlSocket, family: u16, seq: u32, buf: &mut [u8]) -> Result<Vec<Incoming>, String> {
    let text = format!("probe {seq}");
    sock.send_all(&msg::echo(family, NLM_F_REQUEST, seq, text.as_bytes()))
        .map_err(|e| format!("sending the probe: {e}"))?;
    let mut before = Vec::new();
    loop {
        let msgs = recv_msgs(sock, buf, true)
            .map_err(|e| format!("waiting for the probe's reply: {e}"))?
            .unwrap_or_default();
        for m in msgs {
            if m.hdr.seq != seq {
                before.push(m);
                continue;
            }
            return match parse::classify(&m.view(), family) {
                Ok(Reply::Echo { msg }) if msg == text.as_bytes() => Ok(before),
                other => Err(format!("the probe got {other:?}")),
            };
        }
    }
}

/// Checks the answers against the wants, in order.
fn judge(
    got: &[Incoming],
    wants: &[Want],
    sent: &[u8],
    base: u32,
    family: u16,
    port: u32,
) -> Result<(), String> {
    let mut i = 0usize;
    let describe = |m: &Incoming| match parse::classify(&m.view(), family) {
        Ok(r) => format!("seq {} {}", m.hdr.seq.wrapping_sub(base), show(&r)),
        Err(e) => format!("seq {} malformed: {e}", m.hdr.seq.wrapping_sub(base)),
    };
    let all = || got.iter().map(describe).collect::<Vec<_>>().join("; ");
    for w in wants.iter().filter(|w| !matches!(w, Want::SendErr(_))) {
        let next = |i: &mut usize| -> Result<(Reply, &Incoming), String> {
            let m = got
                .get(*i)
                .ok_or_else(|| format!("expected {w:?}, got only: [{}]", all()))?;
            *i += 1;
            if m.hdr.portid != port {
                return Err(format!(
                    "answer addressed to port {}, not {port}",
                    m.hdr.portid
                ));
            }
            let r =
                parse::classify(&m.view(), family).map_err(|e| format!("malformed answer: {e}"))?;
            Ok((r, m))
        };
        match w {
            Want::SendErr(_) => {}
            Want::Reply { seq, msg } => {
                let (r, m) = next(&mut i)?;
                expect_seq(m, base, *seq)?;
                match r {
                    Reply::Echo { msg: got } if &got == msg => {}
                    other => {
                        return Err(format!(
                            "expected the echo of {} bytes, got {}",
                            msg.len(),
                            show(&other)
                        ))
                    }
                }
            }
            Want::Dump { seq, count, msg } => {
                for idx in 0..*count {
                    let (r, m) = next(&mut i)?;
                    expect_seq(m, base, *seq)?;
                    match r {
                        Reply::DumpItem { index, msg: got } if index == idx && &got == msg => {}
                        other => return Err(format!("dump item {idx}: got {}", show(&other))),
                    }
                }
                let (r, m) = next(&mut i)?;
                expect_seq(m, base, *seq)?;
                match r {
                    Reply::Done { status: 0, .. } => {}
                    other => return Err(format!("after {count} items: got {}", show(&other))),
                }
            }
            Want::DumpStart { seq, msg } => {
                let (r, m) = next(&mut i)?;
                expect_seq(m, base, *seq)?;
                match r {
                    Reply::DumpItem { index: 0, msg: got } if &got == msg => {}
                    other => return Err(format!("first dump item: got {}", show(&other))),
                }
                // The rest of the datagram: the following items.
                let mut idx = 1;
                while let Some(m) = got.get(i) {
                    match parse::classify(&m.view(), family) {
                        Ok(Reply::DumpItem { index, .. }) if index == idx => idx += 1,
                        other => return Err(format!("dump item {idx}: got {other:?}")),
                    }
                    i += 1;
                }
            }
            Want::Ack { seq } => {
                let (r, m) = next(&mut i)?;
                expect_seq(m, base, *seq)?;
                match r {
                    Reply::Ack(e) if e.message.is_none() && e.offset.is_none() => {}
                    other => return Err(format!("expected a plain ACK, got {}", show(&other))),
                }
            }
            Want::Err {
                seq,
                errno,
                text,
                offs,
                miss_type,
            } => {
                let (r, m) = next(&mut i)?;
                expect_seq(m, base, *seq)?;
                let Reply::Error(e) = r else {
                    return Err(format!(
                        "expected {}, got {}",
                        errno_label(*errno),
                        show(&r)
                    ));
                };
                let echoed = e.request_header().map(|h| h.seq);
                if echoed != Some(m.hdr.seq) {
                    return Err(format!(
                        "the error echoes seq {echoed:?}, not {}",
                        m.hdr.seq
                    ));
                }
                if e.errno != *errno {
                    return Err(format!(
                        "expected {}, got {}",
                        errno_label(*errno),
                        show(&Reply::Error(e))
                    ));
                }
                match (text, &e.message) {
                    (None, None) => {}
                    (Some(t), Some(g)) if g.contains(t) => {}
                    (t, g) => return Err(format!("extack message {g:?}, expected {t:?}")),
                }
                let want_offs = offs.map(|Offs::Attr(n)| {
                    msg::attr_offsets(sent)
                        .get(n)
                        .map(|&o| o as u32)
                        .unwrap_or(u32::MAX)
                });
                if want_offs != e.offset {
                    return Err(format!(
                        "extack offset {:?}, expected {want_offs:?}",
                        e.offset
                    ));
                }
                if *miss_type != e.missing_type {
                    return Err(format!(
                        "extack missing type {:?}, expected {miss_type:?}",
                        e.missing_type
                    ));
                }
            }
        }
    }
    if i < got.len() {
        return Err(format!(
            "unexpected extra answers; all answers: [{}]",
            all()
        ));
    }
    Ok(())
}

fn expect_seq(m: &Incoming, base: u32, seq: Seq) -> Result<(), String> {
    let want = match seq {
        Seq::Rel(off) => base.wrapping_add(off),
        Seq::Abs(v) => v,
    };
    if m.hdr.seq != want {
        return Err(format!("answer with seq {}, expected {want}", m.hdr.seq));
    }
    Ok(())
}

fn show(r: &Reply) -> String {
    match r {
        Reply::Error(e) => format!(
            "error {} (msg {:?}, offs {:?}, miss_type {:?})",
            errno_label(e.errno),
            e.message,
            e.offset,
            e.missing_type
        ),
        Reply::Ack(_) => "ACK".into(),
        Reply::Done { status, .. } => format!("NLMSG_DONE status {status}"),
        Reply::Echo { msg } => format!("echo of {} bytes {:?}", msg.len(), preview(msg)),
        Reply::DumpItem { index, msg } => format!("dump item {index} {:?}", preview(msg)),
        Reply::Config { cmd, count, msg } => {
            format!("config (cmd {cmd}) count {count} msg {:?}", preview(msg))
        }
    }
}

fn preview(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(&b[..b.len().min(24)]).into_owned();
    if b.len() > 24 {
        s + "..."
    } else {
        s
    }
}

fn open_socket() -> Result<NlSocket, String> {
    let s = NlSocket::open().map_err(|e| format!("netlink socket: {e}"))?;
    s.set_timeout(Duration::from_secs(10))
        .map_err(|e| format!("SO_RCVTIMEO: {e}"))?;
    Ok(s)
}

/// A dump too long to keep in memory: checked as it streams by (DumpItem indexes, MSG,
/// NLMSG_DONE), then the probe must be the only thing left.
fn long_dump(
    sock: &NlSocket,
    family: u16,
    seq: u32,
    count: u32,
    text: &[u8],
    buf: &mut [u8],
) -> Result<(), String> {
    let spec = DumpSpec {
        family,
        seq,
        port: sock.port(),
        msg: text,
    };
    match read_dump(&mut &*sock, &spec, RECV_BUF) {
        DumpVerdict::Complete { count: n } if n == count => {}
        v => return Err(format!("{v:?}")),
    }
    let extra = probe(sock, family, seq.wrapping_add(500), buf)?;
    if extra.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} messages after the dump's NLMSG_DONE",
            extra.len()
        ))
    }
}

/// Runs one case on `sock`; returns whether the socket must be replaced (an abandoned dump).
fn run_case(
    sock: &NlSocket,
    c: &Case,
    env: &Env,
    family: u16,
    base: u32,
    buf: &mut [u8],
) -> (Result<(), String>, bool) {
    let ctx = Ctx {
        family,
        seq: base,
        flags: c.flags,
    };
    let bytes = (c.build)(&ctx);
    let wants = (c.expect)(env);
    let send_err = wants.iter().find_map(|w| match w {
        Want::SendErr(e) => Some(*e),
        _ => None,
    });
    let sent = if c.unprivileged {
        without_net_admin(|| sock.send(&bytes))
    } else {
        sock.send(&bytes)
    };
    match (sent, send_err) {
        (Ok(n), None) if n == bytes.len() => {}
        (Ok(n), None) => return (Err(format!("sent {n} of {} bytes", bytes.len())), false),
        (Err(e), Some(want)) if e.raw_os_error() == Some(want) => {}
        (Ok(n), Some(want)) => {
            return (
                Err(format!("sent {n} bytes, expected {}", errno_label(want))),
                false,
            )
        }
        (Err(e), _) => return (Err(format!("send: {e}")), false),
    }
    if let [Want::Dump {
        seq: Seq::Rel(0),
        count,
        msg,
    }] = wants.as_slice()
    {
        if *count > 10_000 {
            return (long_dump(sock, family, base, *count, msg, buf), false);
        }
    }
    let abandon = wants.iter().any(|w| matches!(w, Want::DumpStart { .. }));
    let got = if abandon {
        // Only the first datagram; closing the socket then abandons the dump.
        match recv_msgs(sock, buf, true) {
            Ok(m) => m.unwrap_or_default(),
            Err(e) => return (Err(e.to_string()), true),
        }
    } else {
        let mut got = match drain(sock, buf, usize::MAX) {
            Ok(g) => g,
            Err(e) => return (Err(e.to_string()), false),
        };
        match probe(sock, family, base.wrapping_add(500), buf) {
            Ok(mut more) => got.append(&mut more),
            Err(e) => return (Err(e), true),
        }
        got
    };
    (
        judge(&got, &wants, &bytes, base, family, sock.port()),
        abandon,
    )
}

/// The capability sets of this thread, as capget(2) and capset(2) take them.
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// capget(2) or capset(2) (`nr`) of this thread's sets, in the 64-bit layout
/// (_LINUX_CAPABILITY_VERSION_3: two `CapData`, the low and the high 32 capabilities).
fn cap_syscall(nr: libc::c_long, data: &mut [CapData; 2]) -> std::io::Result<()> {
    #[repr(C)]
    struct CapHeader {
        version: u32,
        pid: i32,
    }
    let mut hdr = CapHeader {
        version: 0x2008_0522,
        pid: 0,
    };
    // SAFETY: both structures have the kernel's layout and outlive the call.
    let rc = unsafe { libc::syscall(nr, &mut hdr as *mut CapHeader, data.as_mut_ptr()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Runs `f` with CAP_NET_ADMIN cleared from this thread's effective capabilities, then
/// raises it again (it stays in the permitted set). The core checks the capability of the
/// task sending the request (netlink_ns_capable()), so a request sent inside `f` is an
/// unprivileged one. The catalogue is single-threaded: capabilities are per thread.
fn without_net_admin<T>(f: impl FnOnce() -> std::io::Result<T>) -> std::io::Result<T> {
    const CAP_NET_ADMIN: u32 = 12;
    let mut data = [CapData::default(); 2];
    cap_syscall(libc::SYS_capget, &mut data)?;
    let mut saved = data;
    data[0].effective &= !(1 << CAP_NET_ADMIN);
    cap_syscall(libc::SYS_capset, &mut data)?;
    let result = f();
    cap_syscall(libc::SYS_capset, &mut saved)?;
    result
}

/// One expected answer, in a few words.
fn describe(w: &Want) -> String {
    let seq = |s: &Seq| match s {
        Seq::Rel(0) => String::new(),
        Seq::Rel(n) => format!("#{n} "),
        Seq::Abs(v) => format!("seq {v} "),
    };
    match w {
        Want::SendErr(e) => format!("sendmsg fails {}", errno_label(*e)),
        Want::Reply { seq: s, msg } => format!("{}echo {:?}", seq(s), preview(msg)),
        Want::Dump { seq: s, count, .. } => format!("{}dump of {count} + DONE", seq(s)),
        Want::DumpStart { seq: s, .. } => format!("{}dump starts (abandoned)", seq(s)),
        Want::Ack { seq: s } => format!("{}ACK", seq(s)),
        Want::Err {
            seq: s,
            errno,
            text,
            offs,
            miss_type,
        } => {
            let mut d = format!("{}{}", seq(s), errno_label(*errno));
            if let Some(t) = text {
                d += &format!(" {t:?}");
            }
            if let Some(Offs::Attr(n)) = offs {
                d += &format!(" @attr{n}");
            }
            if let Some(m) = miss_type {
                d += &format!(" miss_type={m}");
            }
            d
        }
    }
}

/// The kernels of vm/kernels with their versions. The names there are labels; a kernel's
/// version is in its release, which vm/vm writes to target/kernels/<name>/abi when it
/// fetches the kernel (the release of a Debian kernel is its ABI name).
fn listed_kernels() -> Result<Vec<Kernel>, String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let list = format!("{root}/vm/kernels");
    let text = std::fs::read_to_string(&list).map_err(|e| format!("{list}: {e}"))?;
    let mut kernels = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let Some(name) = line.split_whitespace().next() else {
            continue;
        };
        let abi = format!("{root}/target/kernels/{name}/abi");
        match std::fs::read_to_string(&abi) {
            Ok(release) => match Kernel::parse(release.trim()) {
                Some(k) => kernels.push(Kernel {
                    label: name.to_owned(),
                    ..k
                }),
                None => return Err(format!("{abi}: '{}' is no release", release.trim())),
            },
            Err(_) => eprintln!(
                "hardening-bad-input: kernel {name} left out: not fetched \
                 (sh vm/vm fetch --kernel {name})"
            ),
        }
    }
    Ok(kernels)
}

/// The catalogue as a table: each case and what it must get on each kernel of `kernels`.
fn print_table(kernels: &[Kernel], long: bool) {
    for c in CASES {
        let outcomes: Vec<(String, String)> = kernels
            .iter()
            .map(|k| {
                let env = Env {
                    kernel: k.clone(),
                    long,
                };
                let wants = (c.expect)(&env);
                let d = if wants.is_empty() {
                    "no answer".to_string()
                } else {
                    wants.iter().map(describe).collect::<Vec<_>>().join(", ")
                };
                (k.label.clone(), d)
            })
            .collect();
        if outcomes.iter().all(|(_, d)| *d == outcomes[0].1) {
            println!("{} | all: {}", c.name, outcomes[0].1);
        } else {
            let per: Vec<String> = outcomes.iter().map(|(k, d)| format!("{k}: {d}")).collect();
            println!("{} | {}", c.name, per.join(" | "));
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let long =
        args.iter().any(|a| a == "--long") || std::env::var("GNL_LONG").as_deref() == Ok("1");
    if args.iter().any(|a| a == "--list") {
        return match listed_kernels() {
            Ok(kernels) if !kernels.is_empty() => {
                print_table(&kernels, long);
                ExitCode::SUCCESS
            }
            Ok(_) => {
                eprintln!("hardening-bad-input: no kernel of vm/kernels is fetched yet");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("hardening-bad-input: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(a) = args.iter().find(|a| *a != "--long") {
        eprintln!("hardening-bad-input: unknown argument {a} (usage: [--long] [--list])");
        return ExitCode::from(2);
    }
    let mut report = Report::new("bad_input");
    let env = match Kernel::detect() {
        Ok(kernel) => Env { kernel, long },
        Err(e) => {
            report.fail("read the running kernel's version", &e);
            return report.finish();
        }
    };
    let Some(family) = family::resolve_reported(&mut report, FAMILY_NAME) else {
        return report.finish();
    };
    report.note(&format!(
        "kernel {}, {} cases",
        env.kernel.label,
        CASES.len()
    ));
    let mut sock = match open_socket() {
        Ok(s) => s,
        Err(e) => {
            report.fail("open a netlink socket", &e);
            return report.finish();
        }
    };
    let mut buf = vec![0u8; RECV_BUF];
    for (n, c) in CASES.iter().enumerate() {
        // Each case gets its own range of sequence numbers, so a late answer cannot pass
        // for another case's.
        let base = 1000 * (n as u32 + 1);
        let (result, replace) = run_case(&sock, c, &env, family, base, &mut buf);
        report.check(c.name, result);
        if replace {
            sock = match open_socket() {
                Ok(s) => s,
                Err(e) => {
                    report.fail("reopen the netlink socket", &e);
                    return report.finish();
                }
            };
        }
    }
    println!("bad_input cases: {}", CASES.len());
    report.finish()
}
