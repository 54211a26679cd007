//! The client against a fake kernel: two NETLINK_USERSOCK sockets connected to each
//! other, so a test can queue crafted replies and read the exact request bytes.
//! Replies are queued before the client sends (the client's first seq is 1), so no
//! test needs a second thread.

use std::os::unix::io::AsRawFd;

use neli::consts::socket::NlFamily;
use neli::socket::NlSocket;
use neli::utils::Groups;

use super::*;
use gnl_proto::netlink::{
    NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_ECHO,
    NLM_F_REQUEST,
};
use gnl_proto::testutil::{genl, nla, nlattr_u32, nlmsg, nlmsgerr, Rng};

pub(crate) const FAMILY: u16 = 0x22;
pub(crate) const CTRL: u16 = 0x10;

pub(crate) struct FakeKernel {
    pub(crate) sock: NlSocket,
    client_portid: u32,
}

/// Makes `sock` send to `portid` by default, as a request goes to the kernel.
pub(crate) fn connect_to(sock: &NlSocket, portid: u32) {
    // SAFETY: a zeroed sockaddr_nl is valid; we pass its exact size.
    let rc = unsafe {
        let mut addr: libc::sockaddr_nl = std::mem::zeroed();
        addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        addr.nl_pid = portid;
        libc::connect(
            sock.as_raw_fd(),
            &addr as *const libc::sockaddr_nl as *const libc::sockaddr,
            std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "connect: {}", io::Error::last_os_error());
}

/// A failing test must not hang: the client gives up waiting after 5 s.
pub(crate) fn recv_timeout(sock: &NlSocket) {
    let tv = libc::timeval {
        tv_sec: 5,
        tv_usec: 0,
    };
    // SAFETY: tv outlives the call; we pass its exact size.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            &tv as *const libc::timeval as *const libc::c_void,
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "SO_RCVTIMEO: {}", io::Error::last_os_error());
}

pub(crate) fn pair() -> (FoobarClient, FakeKernel) {
    let kernel = NlSocket::connect(NlFamily::Usersock, None, Groups::empty()).unwrap();
    let sock = NlSocket::connect(NlFamily::Usersock, None, Groups::empty()).unwrap();
    connect_to(&sock, kernel.pid().unwrap());
    recv_timeout(&sock);
    recv_timeout(&kernel);
    let client = FoobarClient::with_socket(sock, FAMILY).unwrap();
    connect_to(&kernel, client.portid());
    let client_portid = client.portid();
    (
        client,
        FakeKernel {
            sock: kernel,
            client_portid,
        },
    )
}

impl FakeKernel {
    pub(crate) fn send(&self, dgram: &[u8]) {
        assert_eq!(self.sock.send(dgram, Msg::empty()).unwrap(), dgram.len());
    }

    /// Queues one datagram holding one message addressed to the client.
    pub(crate) fn reply(&self, ty: u16, flags: u16, seq: u32, payload: &[u8]) {
        self.send(&nlmsg(ty, flags, seq, self.client_portid, payload));
    }

    fn echo_reply(&self, seq: u32, msg: &[u8]) {
        self.reply(FAMILY, 0, seq, &genl(1, 1, &[nla(1, msg)]));
    }

    fn dump_entry(&self, seq: u32, index: u32, msg: &[u8]) -> Vec<u8> {
        nlmsg(
            FAMILY,
            NLM_F_MULTI,
            seq,
            self.client_portid,
            &genl(1, 1, &[nlattr_u32(3, index), nla(1, msg)]),
        )
    }

    fn done(&self, seq: u32) -> Vec<u8> {
        nlmsg(
            NLMSG_DONE,
            NLM_F_MULTI,
            seq,
            self.client_portid,
            &0i32.to_ne_bytes(),
        )
    }

    /// The next request the client sent.
    pub(crate) fn request(&self) -> Vec<u8> {
        let mut buf = vec![0u8; 65536];
        let (n, _) = self.sock.recv(&mut buf[..], Msg::empty()).unwrap();
        buf.truncate(n);
        buf
    }
}

#[test]
fn echo_sends_one_request_and_reads_the_reply() {
    let (mut c, k) = pair();
    k.echo_reply(1, b"hi\0");
    assert_eq!(c.echo("hi").unwrap(), "hi");
    let portid = c.portid().to_ne_bytes();
    let mut want = vec![28, 0, 0, 0, 0x22, 0, 1, 0, 1, 0, 0, 0];
    want.extend(portid);
    want.extend([1, 1, 0, 0, 7, 0, 1, 0, b'h', b'i', 0, 0]);
    assert_eq!(
        k.request(),
        want,
        "nlmsghdr, genlmsghdr, MSG \"hi\\0\" + padding"
    );
}

#[test]
fn echo_of_the_empty_string_sends_just_the_nul() {
    let (mut c, k) = pair();
    k.echo_reply(1, b"\0");
    assert_eq!(c.echo("").unwrap(), "");
    assert_eq!(&k.request()[20..], &[5, 0, 1, 0, 0, 0, 0, 0]);
}

#[test]
fn every_request_gets_the_next_seq() {
    let (mut c, k) = pair();
    for seq in 1..=3 {
        k.echo_reply(seq, b"x\0");
        assert_eq!(c.echo("x").unwrap(), "x");
        let req = k.request();
        assert_eq!(NlHeader::parse(&req).unwrap().seq, seq);
    }
}

#[test]
fn echo_batch_sends_one_datagram_and_reads_every_reply() {
    let (mut c, k) = pair();
    k.echo_reply(1, b"a\0");
    k.echo_reply(2, b"bcd\0");
    k.echo_reply(3, b"\0");
    assert_eq!(c.echo_batch(&["a", "bcd", ""]).unwrap(), ["a", "bcd", ""]);
    let dgram = k.request();
    let mut seqs = Vec::new();
    let mut rest = &dgram[..];
    while !rest.is_empty() {
        let (hdr, _, used) = wire::split_message(rest).unwrap();
        seqs.push(hdr.seq);
        rest = &rest[used..];
    }
    assert_eq!(seqs, [1, 2, 3], "three requests, in one datagram, in order");
}

#[test]
fn echo_batch_checks_each_reply_seq() {
    let (mut c, k) = pair();
    k.echo_reply(1, b"a\0");
    k.echo_reply(3, b"b\0");
    let e = c.echo_batch(&["a", "b"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unexpected reply from the kernel: reply with seq 3 to the request with seq 2"
    );
}

#[test]
fn echo_batch_of_nothing_sends_nothing() {
    let (mut c, _k) = pair();
    assert!(c.echo_batch(&[]).unwrap().is_empty());
}

#[test]
fn reply_with_another_seq_is_rejected() {
    let (mut c, k) = pair();
    k.echo_reply(2, b"x\0"); // seq + 1, as the older example replied
    let e = c.echo("x").unwrap_err();
    assert!(matches!(e, Error::Unexpected(_)), "{e}");
    assert_eq!(
        e.to_string(),
        "unexpected reply from the kernel: reply with seq 2 to the request with seq 1"
    );
}

#[test]
fn reply_to_another_port_is_rejected() {
    let (mut c, k) = pair();
    k.send(&nlmsg(
        FAMILY,
        0,
        1,
        k.client_portid + 1,
        &genl(1, 1, &[nla(1, b"x\0")]),
    ));
    let e = c.echo("x").unwrap_err();
    assert!(e.to_string().contains("port id"), "{e}");
}

#[test]
fn kernel_error_is_decoded_with_its_ext_ack() {
    let (mut c, k) = pair();
    let req = nlmsg(FAMILY, 1, 1, k.client_portid, &genl(1, 1, &[]));
    k.reply(
        NLMSG_ERROR,
        NLM_F_ACK_TLVS,
        1,
        &nlmsgerr(
            libc::EINVAL,
            &req,
            false,
            &[nla(
                NLMSGERR_ATTR_MSG,
                b"GNL_FOOBAR_XMPL_A_MSG is required\0",
            )],
        ),
    );
    let e = c.echo("x").unwrap_err();
    assert_eq!(e.errno(), Some(libc::EINVAL));
    assert_eq!(
        e.to_string(),
        "kernel replied with error EINVAL (22): GNL_FOOBAR_XMPL_A_MSG is required"
    );
}

/// Queues a reply on the fake kernel.
type Queue = fn(&FakeKernel);

#[test]
fn echo_rejects_odd_replies() {
    let cases: [(&str, Queue); 6] = [
        ("ACK", |k| {
            let req = nlmsg(FAMILY, 1, 1, 0, &genl(1, 1, &[]));
            k.reply(NLMSG_ERROR, 0x100, 1, &nlmsgerr(0, &req, true, &[]))
        }),
        ("no MSG", |k| k.reply(FAMILY, 0, 1, &genl(1, 1, &[]))),
        ("MSG without NUL", |k| k.echo_reply(1, b"x")),
        ("other command", |k| {
            k.reply(FAMILY, 0, 1, &genl(2, 1, &[nla(1, b"x\0")]))
        }),
        ("other type", |k| {
            k.reply(0x23, 0, 1, &genl(1, 1, &[nla(1, b"x\0")]))
        }),
        ("short genl", |k| k.reply(FAMILY, 0, 1, &[1, 1])),
    ];
    for (what, queue) in cases {
        let (mut c, k) = pair();
        queue(&k);
        let e = c.echo("x");
        assert!(
            matches!(e, Err(Error::Unexpected(_)) | Err(Error::Malformed(_))),
            "{what}: {e:?}"
        );
    }
}

#[test]
fn nul_inside_the_message_is_refused_before_sending() {
    let (mut c, _k) = pair();
    assert!(matches!(c.echo("a\0b"), Err(Error::InvalidInput(_))));
}

#[test]
fn oversized_attribute_is_refused_before_sending() {
    let (mut c, _k) = pair();
    let huge = "x".repeat(70_000);
    assert!(matches!(c.echo(&huge), Err(Error::InvalidInput(_))));
}

#[test]
fn datagram_larger_than_the_buffer_is_reported() {
    let (mut c, k) = pair();
    k.send(&vec![0u8; 40_000]);
    let e = c.echo("x").unwrap_err();
    assert!(matches!(e, Error::Truncated { len: 40_000, .. }), "{e}");
}

/// A connection starts with a buffer for the family's largest message, not the
/// 32 KiB of a dump batch; the first dump grows it once.
#[test]
fn receive_buffer_starts_at_the_largest_message_and_grows_for_dumps() {
    let (mut c, k) = pair();
    assert_eq!(c.rx.capacity(), RX_MIN);
    let longest = vec![b'x'; MSG_MAX_LEN];
    let entry = k.dump_entry(1, 0, &[longest.as_slice(), b"\0"].concat());
    assert_eq!(
        entry.len(),
        RX_MIN,
        "the largest dump entry fills the buffer"
    );
    k.echo_reply(1, &[longest.as_slice(), b"\0"].concat());
    assert_eq!(c.echo("x").unwrap().len(), MSG_MAX_LEN);
    k.send(&dump_datagram(&k, 2, &[0, 1, 2]));
    assert_eq!(c.dump(None, None).unwrap().len(), 3);
    assert_eq!(c.rx.capacity(), RX_DUMP);
}

#[test]
fn malformed_datagram_is_an_error_and_the_next_one_is_read() {
    let (mut c, k) = pair();
    let mut bad = nlmsg(
        FAMILY,
        0,
        1,
        k.client_portid,
        &genl(1, 1, &[nla(1, b"x\0")]),
    );
    bad[..4].copy_from_slice(&1000u32.to_ne_bytes());
    k.send(&bad);
    assert!(matches!(c.echo("x"), Err(Error::Malformed(_))));
    k.echo_reply(2, b"y\0");
    assert_eq!(c.echo("y").unwrap(), "y");
}

#[test]
fn dump_reads_batches_until_done() {
    let (mut c, k) = pair();
    let mut first = k.dump_entry(1, 0, b"m\0");
    first.extend(k.dump_entry(1, 1, b"m\0"));
    let mut second = k.dump_entry(1, 2, b"m\0");
    second.extend(k.done(1));
    k.send(&first);
    k.send(&second);
    let got = c.dump(Some(3), Some("m")).unwrap();
    let want: Vec<_> = (0..3)
        .map(|index| DumpEntry {
            index,
            msg: "m".into(),
        })
        .collect();
    assert_eq!(got, want);
    let req = k.request();
    let hdr = NlHeader::parse(&req).unwrap();
    assert_eq!(hdr.flags, 0x301, "NLM_F_REQUEST | NLM_F_DUMP");
    assert_eq!(
        &req[20..],
        &[&nlattr_u32(2, 3)[..], &nla(1, b"m\0")].concat()[..]
    );
}

/// A dump of `indexes` for request `seq`, all in one datagram, then `NLMSG_DONE`.
fn dump_datagram(k: &FakeKernel, seq: u32, indexes: &[u32]) -> Vec<u8> {
    let mut dgram = Vec::new();
    for &i in indexes {
        dgram.extend(k.dump_entry(seq, i, b"m\0"));
    }
    dgram.extend(k.done(seq));
    dgram
}

#[test]
fn dump_without_count_or_msg_sends_no_attributes() {
    let (mut c, k) = pair();
    k.send(&dump_datagram(&k, 1, &[0, 1, 2]));
    assert_eq!(c.dump(None, None).unwrap().len(), 3);
    assert_eq!(k.request().len(), 20);
}

#[test]
fn dump_indexes_must_count_up_from_zero() {
    for (indexes, want) in [
        (
            &[1, 2, 3][..],
            "dump message 1 arrived where 0 was expected",
        ),
        (
            &[0, 2, 3][..],
            "dump message 2 arrived where 1 was expected",
        ),
        (
            &[0, 0, 1][..],
            "dump message 0 arrived where 1 was expected",
        ),
        (
            &[0, 1, 1][..],
            "dump message 1 arrived where 2 was expected",
        ),
    ] {
        let (mut c, k) = pair();
        k.send(&dump_datagram(&k, 1, indexes));
        let mut it = c.dump_iter(Some(3), None).unwrap();
        let e = it.by_ref().find_map(Result::err).unwrap();
        assert_eq!(
            e.to_string(),
            format!("unexpected reply from the kernel: {want}"),
            "{indexes:?}"
        );
        assert!(it.next().is_none(), "fused after the error");
    }
}

#[test]
fn dump_must_have_the_count_asked_for() {
    for (count, indexes, want) in [
        (
            Some(3),
            &[0, 1][..],
            "the dump ended after 2 messages, expected 3",
        ),
        (
            Some(2),
            &[0, 1, 2][..],
            "the dump ended after 3 messages, expected 2",
        ),
    ] {
        let (mut c, k) = pair();
        k.send(&dump_datagram(&k, 1, indexes));
        let e = c.dump(count, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("unexpected reply from the kernel: {want}"),
            "count {count:?}, {indexes:?}"
        );
    }
}

#[test]
fn dump_without_a_count_takes_what_the_namespace_config_says() {
    for indexes in [&[0, 1, 2, 3][..], &[0][..]] {
        let (mut c, k) = pair();
        k.send(&dump_datagram(&k, 1, indexes));
        assert_eq!(c.dump(None, None).unwrap().len(), indexes.len());
    }
}

#[test]
fn dump_done_without_its_status_is_rejected() {
    for status in [&[][..], &[0, 0][..]] {
        let (mut c, k) = pair();
        let mut dgram = k.dump_entry(1, 0, b"m\0");
        dgram.extend(nlmsg(NLMSG_DONE, NLM_F_MULTI, 1, k.client_portid, status));
        k.send(&dgram);
        let e = c.dump(Some(1), None).unwrap_err();
        assert!(matches!(e, Error::Malformed(_)), "{e}");
    }
}

#[test]
fn dump_error_in_done_is_returned() {
    let (mut c, k) = pair();
    let mut payload = (-libc::ERANGE).to_ne_bytes().to_vec();
    payload.extend(nla(NLMSGERR_ATTR_MSG, b"too many\0"));
    let mut dgram = k.dump_entry(1, 0, b"m\0");
    dgram.extend(nlmsg(
        NLMSG_DONE,
        NLM_F_MULTI | NLM_F_ACK_TLVS,
        1,
        k.client_portid,
        &payload,
    ));
    k.send(&dgram);
    let mut it = c.dump_iter(None, None).unwrap();
    assert!(it.next().unwrap().is_ok());
    let e = it.next().unwrap().unwrap_err();
    assert_eq!(
        e.to_string(),
        "kernel replied with error ERANGE (34): too many"
    );
    assert!(it.next().is_none(), "fused after the error");
}

#[test]
fn dump_rejects_entries_without_multi_or_index() {
    let (mut c, k) = pair();
    k.reply(
        FAMILY,
        0,
        1,
        &genl(1, 1, &[nlattr_u32(3, 0), nla(1, b"m\0")]),
    );
    assert!(matches!(c.dump(None, None), Err(Error::Unexpected(_))));
    let (mut c, k) = pair();
    k.reply(FAMILY, NLM_F_MULTI, 1, &genl(1, 1, &[nla(1, b"m\0")]));
    assert!(matches!(c.dump(None, None), Err(Error::Unexpected(_))));
    let (mut c, k) = pair();
    k.reply(
        FAMILY,
        NLM_F_MULTI | NLM_F_DUMP_INTR,
        1,
        &genl(1, 1, &[nlattr_u32(3, 0), nla(1, b"m\0")]),
    );
    assert!(matches!(c.dump(None, None), Err(Error::Unexpected(_))));
}

#[test]
fn abandoned_dump_is_skipped_by_the_next_request() {
    let (mut c, k) = pair();
    let mut first = k.dump_entry(1, 0, b"m\0");
    first.extend(k.dump_entry(1, 1, b"m\0"));
    let mut second = k.dump_entry(1, 2, b"m\0");
    second.extend(k.done(1));
    k.send(&first);
    k.send(&second);
    k.echo_reply(2, b"after\0");
    {
        let mut it = c.dump_iter(None, None).unwrap();
        assert_eq!(it.next().unwrap().unwrap().index, 0);
    }
    assert_eq!(c.echo("after").unwrap(), "after");
    assert!(
        c.abandoned_dumps.is_empty(),
        "DONE of the abandoned dump was seen"
    );
}

#[test]
fn new_dump_first_drains_an_abandoned_one() {
    let (mut c, k) = pair();
    k.send(&k.dump_entry(1, 0, b"m\0"));
    let mut rest = k.dump_entry(1, 1, b"m\0");
    rest.extend(k.done(1));
    k.send(&rest);
    let mut second = k.dump_entry(2, 0, b"n\0");
    second.extend(k.done(2));
    k.send(&second);
    {
        let mut it = c.dump_iter(None, None).unwrap();
        assert_eq!(it.next().unwrap().unwrap().index, 0);
    }
    // The new dump reads the old one up to its DONE before it starts.
    let got = c.dump(Some(1), Some("n")).unwrap();
    assert_eq!(
        got,
        vec![DumpEntry {
            index: 0,
            msg: "n".into()
        }]
    );
    assert!(c.abandoned_dumps.is_empty());
}

#[test]
fn reply_with_error_returns_the_error_and_asks_for_an_ack() {
    let (mut c, k) = pair();
    let req = nlmsg(
        FAMILY,
        5,
        1,
        k.client_portid,
        &genl(2, 1, &[nla(1, b"x\0")]),
    );
    k.reply(
        NLMSG_ERROR,
        NLM_F_ACK_TLVS,
        1,
        &nlmsgerr(
            libc::EINVAL,
            &req,
            false,
            &[
                nla(NLMSGERR_ATTR_MSG, b"always fails\0"),
                nlattr_u32(NLMSGERR_ATTR_OFFS, 20),
            ],
        ),
    );
    let e = c.reply_with_error(Some("x")).unwrap();
    assert_eq!((e.errno, e.offset), (libc::EINVAL, Some(20)));
    assert_eq!(e.offending_attr_type(), Some(u16::from(Attr::Msg)));
    let hdr = NlHeader::parse(&k.request()).unwrap();
    assert_eq!(hdr.flags, 5, "NLM_F_REQUEST | NLM_F_ACK");
}

#[test]
fn reply_with_error_that_succeeds_is_an_error() {
    let req = nlmsg(FAMILY, 5, 1, 0, &genl(2, 1, &[]));
    let (mut c, k) = pair();
    k.reply(NLMSG_ERROR, 0x100, 1, &nlmsgerr(0, &req, true, &[]));
    assert!(matches!(
        c.reply_with_error(None),
        Err(Error::Unexpected(_))
    ));
    let (mut c, k) = pair();
    k.echo_reply(1, b"x\0");
    assert!(matches!(
        c.reply_with_error(None),
        Err(Error::Unexpected(_))
    ));
}

#[test]
fn family_is_resolved_through_nlctrl() {
    let (mut c, k) = pair();
    k.reply(
        CTRL,
        0,
        1,
        &genl(
            1,
            2,
            &[
                nla(2, b"gnl_foobar_xmpl\0"),
                nla(1, &0x2au16.to_ne_bytes()),
                nlattr_u32(3, 1),
            ],
        ),
    );
    assert_eq!(c.resolve_family().unwrap(), (0x2a, 1));
    let req = k.request();
    let hdr = NlHeader::parse(&req).unwrap();
    assert_eq!((hdr.nl_type, hdr.flags), (CTRL, 1));
    assert_eq!(&req[16..20], &[3, 1, 0, 0], "CTRL_CMD_GETFAMILY, version 1");
    assert_eq!(&req[20..], &nla(2, b"gnl_foobar_xmpl\0")[..]);
}

#[test]
fn missing_family_says_how_to_load_it() {
    let (mut c, k) = pair();
    let req = nlmsg(CTRL, 1, 1, 0, &genl(3, 2, &[]));
    k.reply(NLMSG_ERROR, 0, 1, &nlmsgerr(libc::ENOENT, &req, false, &[]));
    let e = c.resolve_family().unwrap_err();
    assert!(matches!(e, Error::FamilyNotFound));
    assert_eq!(
        e.to_string(),
        "Generic Netlink family 'gnl_foobar_xmpl' not found: load the module \
         (sudo insmod kernel-mod/gnl_foobar_xmpl.ko) or run in the VM (sh vm/vm run -- <command>)"
    );
}

#[test]
fn raw_request_with_ack_collects_reply_and_ack() {
    let (mut c, k) = pair();
    let req = nlmsg(FAMILY, 5, 1, 0, &genl(1, 1, &[]));
    let mut dgram = nlmsg(
        FAMILY,
        0,
        1,
        k.client_portid,
        &genl(1, 1, &[nla(1, b"x\0")]),
    );
    dgram.extend(nlmsg(
        NLMSG_ERROR,
        0x100,
        1,
        k.client_portid,
        &nlmsgerr(0, &req, true, &[]),
    ));
    k.send(&dgram);
    let got = c
        .request(
            &RawRequest::new(Command::EchoMsg)
                .flags(NlmF::ACK)
                .attr(RawAttr::string(Attr::Msg, "x")),
        )
        .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[0].body,
        RawBody::Genl {
            cmd: Command::EchoMsg,
            version: 1,
            attrs: vec![RawAttr::bytes(Attr::Msg, b"x\0".to_vec())]
        }
    );
    assert!(matches!(got[1].body, RawBody::Ack(ref a) if a.errno == 0));
}

#[test]
fn raw_request_sends_attributes_verbatim() {
    let (mut c, k) = pair();
    k.reply(
        NLMSG_ERROR,
        0,
        1,
        &nlmsgerr(libc::EINVAL, &nlmsg(FAMILY, 1, 1, 0, &[0; 4]), false, &[]),
    );
    let req = RawRequest::new(Command::UnrecognizedConst(9))
        .attr(RawAttr::bytes(Attr::DumpCount, vec![1]))
        .attr(RawAttr::bytes(Attr::UnrecognizedConst(77), b"ab".to_vec()));
    assert_eq!(c.request(&req).unwrap_err().errno(), Some(libc::EINVAL));
    let sent = k.request();
    assert_eq!(&sent[16..20], &[9, 1, 0, 0]);
    assert_eq!(
        &sent[20..],
        &[&nla(2, &[1])[..], &nla(77, b"ab")].concat()[..]
    );
}

/// Damaged dump datagrams end the dump with `Err` or `None`, never a panic or a hang.
#[test]
fn mutated_dump_datagrams_never_panic() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..300 {
        let (mut c, k) = pair();
        let mut dgram = k.dump_entry(1, 0, b"abc\0");
        dgram.extend(k.dump_entry(1, 1, b"abc\0"));
        rng.mutate(&mut dgram);
        if !dgram.is_empty() {
            k.send(&dgram);
        }
        // If the damage left the dump open, this ends it.
        k.send(&k.done(1));
        for entry in c.dump_iter(None, None).unwrap() {
            let _ = entry;
        }
    }
}

/// The attributes of a config as the kernel sends them.
pub(crate) fn config_attrs(count: u32, msg: &[u8]) -> Vec<Vec<u8>> {
    vec![nlattr_u32(4, count), nla(5, msg)]
}

#[test]
fn config_get_sends_no_attributes_and_decodes_the_reply() {
    let (mut c, k) = pair();
    k.reply(FAMILY, 0, 1, &genl(3, 1, &config_attrs(3, b"Hello\0")));
    let got = c.config_get().unwrap();
    assert_eq!((got.dump_count, got.dump_msg.as_str()), (3, "Hello"));
    let req = k.request();
    let hdr = NlHeader::parse(&req).unwrap();
    assert_eq!((hdr.nl_type, hdr.flags, hdr.seq), (FAMILY, 1, 1));
    assert_eq!(
        &req[16..],
        &[3, 1, 0, 0],
        "CONFIG_GET, version 1, nothing else"
    );
}

#[test]
fn config_get_refuses_a_config_the_kernel_never_sends() {
    for (what, attrs) in [
        ("no msg", vec![nlattr_u32(4, 3)]),
        ("count 0", config_attrs(0, b"x\0")),
        ("msg without NUL", config_attrs(3, b"x")),
    ] {
        let (mut c, k) = pair();
        k.reply(FAMILY, 0, 1, &genl(3, 1, &attrs));
        assert!(matches!(c.config_get(), Err(Error::Malformed(_))), "{what}");
    }
    let (mut c, k) = pair();
    k.reply(FAMILY, 0, 1, &genl(5, 1, &config_attrs(3, b"x\0")));
    assert!(
        matches!(c.config_get(), Err(Error::Unexpected(_))),
        "a notification in place of the reply"
    );
}

/// The echoed notification and the ACK of config-set `seq`, in one datagram each.
fn queue_echo_and_ack(k: &FakeKernel, seq: u32, count: u32, msg: &[u8]) {
    k.reply(FAMILY, 0, seq, &genl(5, 1, &config_attrs(count, msg)));
    let req = nlmsg(FAMILY, 0x0d, seq, k.client_portid, &genl(4, 1, &[]));
    k.reply(
        NLMSG_ERROR,
        NLM_F_CAPPED,
        seq,
        &nlmsgerr(0, &req, true, &[]),
    );
}

#[test]
fn config_set_asks_for_an_ack_and_the_echo_and_returns_the_echo() {
    let (mut c, k) = pair();
    queue_echo_and_ack(&k, 1, 5, b"x\0");
    let set = c.config_set(Some(5), Some("x")).unwrap();
    assert_eq!(
        (
            set.config.dump_count,
            set.config.dump_msg.as_str(),
            set.portid,
            set.seq
        ),
        (5, "x", c.portid(), 1)
    );
    let req = k.request();
    let hdr = NlHeader::parse(&req).unwrap();
    assert_eq!(
        hdr.flags,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO,
        "request, ACK, echo"
    );
    let mut want = genl(4, 1, &[nlattr_u32(4, 5), nla(5, b"x\0")]);
    want.truncate(req.len() - 16);
    assert_eq!(&req[16..], &want[..]);
}

#[test]
fn config_set_sends_only_what_it_is_given() {
    let (mut c, k) = pair();
    queue_echo_and_ack(&k, 1, 3, b"\0");
    c.config_set(None, Some("")).unwrap();
    assert_eq!(&k.request()[16..], &genl(4, 1, &[nla(5, b"\0")])[..]);
    assert!(matches!(
        c.config_set(None, None),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn config_set_needs_the_echo_before_the_ack() {
    let (mut c, k) = pair();
    let req = nlmsg(FAMILY, 0x0d, 1, k.client_portid, &genl(4, 1, &[]));
    k.reply(NLMSG_ERROR, NLM_F_CAPPED, 1, &nlmsgerr(0, &req, true, &[]));
    let e = c.config_set(Some(5), None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unexpected reply from the kernel: the ACK came without the echoed \
         GNL_FOOBAR_XMPL_CMD_CONFIG_NTF"
    );
}

#[test]
fn config_set_refuses_an_echo_of_another_request() {
    let (mut c, k) = pair();
    queue_echo_and_ack(&k, 7, 5, b"x\0");
    let e = c.config_set(Some(5), None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unexpected reply from the kernel: reply with seq 7 to the request with seq 1"
    );
}

#[test]
fn config_set_needs_the_ack_after_the_echo() {
    let (mut c, k) = pair();
    let ntf = nlmsg(
        FAMILY,
        0,
        1,
        k.client_portid,
        &genl(5, 1, &config_attrs(5, b"x\0")),
    );
    k.send(&[ntf.clone(), ntf].concat());
    assert!(matches!(
        c.config_set(Some(5), None),
        Err(Error::Unexpected(_))
    ));
}

#[test]
fn config_set_returns_the_kernels_refusal() {
    let (mut c, k) = pair();
    let req = nlmsg(FAMILY, 0x0d, 1, 0, &genl(4, 1, &[nlattr_u32(4, 0)]));
    k.reply(
        NLMSG_ERROR,
        NLM_F_ACK_TLVS,
        1,
        &nlmsgerr(
            libc::ERANGE,
            &req,
            false,
            &[
                nla(NLMSGERR_ATTR_MSG, b"integer out of range\0"),
                nlattr_u32(NLMSGERR_ATTR_OFFS, 20),
            ],
        ),
    );
    let e = c.config_set(Some(0), None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "kernel replied with error ERANGE (34): integer out of range \
         (points at GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, byte 20 of the request)"
    );
}

#[test]
fn family_info_lists_the_multicast_groups() {
    let (mut c, k) = pair();
    let group = |i: u16, name: &[u8], id: u32| nla(i, &[nla(1, name), nlattr_u32(2, id)].concat());
    k.reply(
        CTRL,
        0,
        1,
        &genl(
            1,
            2,
            &[
                nla(2, b"nlctrl\0"),
                nla(1, &0x10u16.to_ne_bytes()),
                nla(
                    7,
                    &[group(1, b"notify\0", 0x10), group(2, b"late\0", 33)].concat(),
                ),
            ],
        ),
    );
    let info = c.family_info("nlctrl").unwrap();
    assert_eq!(info.group_id("notify"), Some(0x10));
    assert_eq!(info.group_id("late"), Some(33));
    let e = {
        let (mut c, k) = pair();
        let req = nlmsg(CTRL, 1, 1, 0, &genl(3, 2, &[]));
        k.reply(NLMSG_ERROR, 0, 1, &nlmsgerr(libc::ENOENT, &req, false, &[]));
        c.family_info("other").unwrap_err()
    };
    assert_eq!(
        e.errno(),
        Some(libc::ENOENT),
        "not our family: the kernel's error"
    );
}
