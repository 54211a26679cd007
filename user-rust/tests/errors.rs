//! Requests the module must refuse, and the errors it answers with: errno, extended
//! ACK message, offset. Where kernels differ, the test says which does what.

mod common;

use common::connect;
use gnl_foobar_xmpl::proto::{CMD_MAX, DUMP_MAX_COUNT, DUMP_MIN_COUNT, MSG_MAX_LEN};
use gnl_foobar_xmpl::{Attr, Command, Error, KernelError, NlmF, RawAttr, RawRequest};

/// Sends `req` and returns the kernel's error; fails if the kernel accepted it.
fn refused(req: RawRequest) -> KernelError {
    let mut c = connect();
    match c.request(&req) {
        Err(Error::Kernel(e)) => e,
        other => panic!("the kernel did not refuse {req:?}: {other:?}"),
    }
}

fn echo_do() -> RawRequest {
    RawRequest::new(Command::EchoMsg)
}

fn echo_dump() -> RawRequest {
    RawRequest::new(Command::EchoMsg).flags(NlmF::DUMP)
}

/// Offset of the first attribute: after the nlmsghdr (16) and genlmsghdr (4).
const FIRST_ATTR: u32 = 20;
/// Offset of the second attribute when the first is a u32 or a 1-3 byte string.
const SECOND_ATTR: u32 = 28;

/// The running kernel's (major, minor), from its release in /proc/sys/kernel/osrelease,
/// the one place every test reads it (GNL_FOOBAR_XMPL_KERNEL is only a label).
fn kernel_version() -> (u32, u32) {
    const OSRELEASE: &str = "/proc/sys/kernel/osrelease";
    let release = std::fs::read_to_string(OSRELEASE)
        .unwrap_or_else(|e| panic!("cannot read {OSRELEASE}: {e}"));
    let mut parts = release
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .map(str::parse);
    match (parts.next(), parts.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => (major, minor),
        _ => panic!(
            "{OSRELEASE} says '{}', not a kernel version",
            release.trim()
        ),
    }
}

/// Asserts the kernel core's policy validation refused the attribute at `offset`.
/// Its message (e.g. "invalid attribute length") comes from lib/nlattr.c; the
/// same on 5.10, 6.1 and 6.12, but not part of any ABI, so only its presence is
/// asserted.
fn assert_policy_error(e: &KernelError, errno: i32, offset: u32, attr: Attr) {
    assert_eq!(e.errno, errno, "{e}");
    assert_eq!(e.offset, Some(offset), "{e:?}");
    assert_eq!(e.offending_attr_type(), Some(u16::from(attr)), "{e:?}");
    assert!(e.message.as_deref().is_some_and(|m| !m.is_empty()), "{e:?}");
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn missing_msg_is_einval_with_its_name() {
    let e = refused(echo_do());
    assert_eq!(e.errno, libc::EINVAL, "{e}");
    assert_eq!(
        e.message.as_deref(),
        Some("GNL_FOOBAR_XMPL_A_MSG is required")
    );
    assert_eq!(e.offset, None);
    // GENL_REQ_ATTR_CHECK() also names the missing type (NLMSGERR_ATTR_MISS_TYPE)
    // since 6.0; the module's fallback for 5.10 can only check.
    let want = (kernel_version() >= (6, 0)).then_some(u32::from(u16::from(Attr::Msg)));
    assert_eq!(e.missing_type, want, "{e:?}");
    assert_eq!(e.missing_nest, None, "{e:?}");
    // The request is echoed whole: we did not set NETLINK_CAP_ACK.
    assert!(!e.capped);
    assert_eq!(e.request.len(), 20);
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn over_long_msg_is_refused_by_the_policy() {
    let mut c = connect();
    let e = c.echo(&"x".repeat(MSG_MAX_LEN + 1)).unwrap_err();
    let e = e
        .kernel()
        .unwrap_or_else(|| panic!("not a kernel error: {e}"));
    // EINVAL, not ERANGE, on 5.10, 6.1 and 6.12 ("Attribute failed policy validation").
    assert_policy_error(e, libc::EINVAL, FIRST_ATTR, Attr::Msg);
    assert!(e.has_policy, "the ACK carries the violated policy: {e:?}");
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn msg_without_nul_is_refused() {
    let e = refused(echo_do().attr(RawAttr::bytes(Attr::Msg, b"no terminator".to_vec())));
    assert_policy_error(&e, libc::EINVAL, FIRST_ATTR, Attr::Msg);
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn unknown_commands_are_eopnotsupp() {
    for cmd in [
        Command::Unspec,
        // The first number the header does not name yet.
        Command::UnrecognizedConst(CMD_MAX + 1),
        Command::UnrecognizedConst(255),
    ] {
        let e = refused(RawRequest::new(cmd).attr(RawAttr::string(Attr::Msg, "x")));
        assert_eq!(e.errno, libc::EOPNOTSUPP, "{cmd:?}: {e}");
        assert_eq!(e.offset, None, "{cmd:?}: {e:?}");
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn dump_of_a_do_only_command_is_eopnotsupp() {
    let e = refused(RawRequest::new(Command::ReplyWithNlmsgErr).flags(NlmF::DUMP));
    assert_eq!(e.errno, libc::EOPNOTSUPP, "{e}");
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn dump_count_out_of_range_is_erange() {
    for count in [DUMP_MIN_COUNT - 1, DUMP_MAX_COUNT + 1, u32::MAX] {
        let mut c = connect();
        let e = c.dump(Some(count), None).unwrap_err();
        let e = e.kernel().unwrap_or_else(|| panic!("count {count}: {e}"));
        // "integer out of range", from the policy's NLA_POLICY_FULL_RANGE().
        assert_policy_error(e, libc::ERANGE, FIRST_ATTR, Attr::DumpCount);
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn dump_count_of_the_wrong_width_is_einval() {
    for width in [1usize, 2, 8] {
        let e = refused(echo_dump().attr(RawAttr::bytes(Attr::DumpCount, vec![1; width])));
        // "invalid attribute length": an NLA_U32 has exactly 4 bytes.
        assert_policy_error(&e, libc::EINVAL, FIRST_ATTR, Attr::DumpCount);
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn attributes_beyond_the_operation_are_refused() {
    // DUMP_COUNT means nothing to the do operation, DUMP_INDEX to any request,
    // and 99 to the family: strict validation refuses them all.
    // "Unknown attribute type", pointing at the attribute.
    let cases = [
        (
            echo_do()
                .attr(RawAttr::string(Attr::Msg, "x"))
                .attr(RawAttr::u32(Attr::DumpCount, 1)),
            SECOND_ATTR,
            Attr::DumpCount,
        ),
        (
            echo_dump().attr(RawAttr::u32(Attr::DumpIndex, 1)),
            FIRST_ATTR,
            Attr::DumpIndex,
        ),
        (
            echo_do()
                .attr(RawAttr::string(Attr::Msg, "x"))
                .attr(RawAttr::u32(Attr::UnrecognizedConst(99), 1)),
            SECOND_ATTR,
            Attr::UnrecognizedConst(99),
        ),
    ];
    for (req, offset, attr) in cases {
        assert_policy_error(&refused(req), libc::EINVAL, offset, attr);
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn reply_with_error_without_msg() {
    let mut c = connect();
    let e = c.reply_with_error(None).unwrap();
    assert_eq!(e.errno, libc::EINVAL);
    assert_eq!(
        e.message.as_deref(),
        Some("GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails")
    );
    assert_eq!(e.offset, None);
    assert_eq!(
        e.to_string(),
        "kernel replied with error EINVAL (22): GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails"
    );
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn reply_with_error_points_at_msg() {
    let mut c = connect();
    let e = c.reply_with_error(Some("look here")).unwrap();
    assert_eq!(e.errno, libc::EINVAL);
    assert_eq!(
        e.message.as_deref(),
        Some("GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails")
    );
    assert_eq!(e.offset, Some(FIRST_ATTR));
    assert_eq!(e.offending_attr_type(), Some(u16::from(Attr::Msg)));
    // The echoed request is ours: same seq, and MSG where the offset says.
    let hdr = e.request_header().unwrap();
    assert_eq!(hdr.portid, c.portid());
    assert_eq!(&e.request[24..34], b"look here\0");
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn error_answers_the_request_seq() {
    let mut c = connect();
    let seq = c.send_raw(&echo_do()).unwrap();
    let m = c.recv_raw().unwrap();
    assert_eq!(m.header.seq, seq);
    assert_eq!(m.header.portid, c.portid());
    match m.body {
        gnl_foobar_xmpl::RawBody::Error(e) => {
            assert_eq!(e.request_header().map(|h| h.seq), Some(seq));
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn client_stays_usable_after_errors() {
    let mut c = connect();
    assert!(c.echo(&"x".repeat(MSG_MAX_LEN + 1)).is_err());
    assert!(c.reply_with_error(None).is_ok());
    assert!(c.dump(Some(0), None).is_err());
    assert_eq!(c.echo("fine").unwrap(), "fine");
}
