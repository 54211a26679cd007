//! The listener against a fake kernel on NETLINK_USERSOCK sockets: notifications sent
//! to the listener's port id, or multicast to a usersock group (which any user may
//! send to and join) to overflow a small queue for real; the control connection is the
//! client tests' fake pair.

use neli::consts::socket::{Msg, NlFamily};

use super::*;
use crate::client::tests::{config_attrs, connect_to, pair, recv_timeout, FakeKernel, FAMILY};
use gnl_proto::netlink::{CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, GENL_ID_CTRL};
use gnl_proto::testutil::{genl, nla, nlmsg};

struct Fixture {
    listener: ConfigListener,
    /// Sends what the kernel would multicast, from the port id the listener trusts.
    kernel: NlSocket,
    /// The fake behind the listener's control connection.
    control: FakeKernel,
}

/// A listener; `unicast`: the fake kernel sends to its port id by default (a
/// connected socket cannot also send to itself, as a multicast does; see below).
fn fixture_with(unicast: bool) -> Fixture {
    let (control_client, control) = pair();
    let kernel = NlSocket::connect(NlFamily::Usersock, None, Groups::empty()).unwrap();
    let sock = NlSocket::connect(NlFamily::Usersock, None, Groups::empty()).unwrap();
    recv_timeout(&sock);
    if unicast {
        connect_to(&kernel, sock.pid().unwrap());
    }
    let kernel_portid = kernel.pid().unwrap();
    let listener =
        ConfigListener::with_parts(sock, control_client, GENL_ID_CTRL, 1, 2, kernel_portid)
            .unwrap();
    Fixture {
        listener,
        kernel,
        control,
    }
}

fn fixture() -> Fixture {
    fixture_with(true)
}

fn ntf(seq: u32, portid: u32, count: u32, msg: &[u8]) -> Vec<u8> {
    nlmsg(
        FAMILY,
        0,
        seq,
        portid,
        &genl(5, 1, &config_attrs(count, msg)),
    )
}

fn ctrl(cmd: u8, family_id: u16, name: &[u8]) -> Vec<u8> {
    let attrs = [
        nla(CTRL_ATTR_FAMILY_NAME, name),
        nla(CTRL_ATTR_FAMILY_ID, &family_id.to_ne_bytes()),
    ];
    nlmsg(GENL_ID_CTRL, 0, 0, 0, &genl(cmd, 2, &attrs))
}

fn send(sock: &NlSocket, dgram: &[u8]) {
    assert_eq!(sock.send(dgram, Msg::empty()).unwrap(), dgram.len());
}

fn notification(seq: u32, portid: u32, count: u32, msg: &str) -> ListenEvent {
    ListenEvent::Notification(ConfigNotification {
        config: Config {
            dump_count: count,
            dump_msg: msg.into(),
        },
        portid,
        seq,
    })
}

#[test]
fn notifications_carry_the_setters_port_id_and_seq() {
    let mut f = fixture();
    send(&f.kernel, &ntf(9, 4242, 5, b"x\0"));
    // Two in one datagram, as the kernel may batch them.
    send(
        &f.kernel,
        &[ntf(10, 4242, 6, b"\0"), ntf(1, 77, 7, b"y\0")].concat(),
    );
    assert_eq!(
        f.listener.next_event().unwrap(),
        notification(9, 4242, 5, "x")
    );
    assert_eq!(
        f.listener.next_event().unwrap(),
        notification(10, 4242, 6, "")
    );
    assert_eq!(
        f.listener.next_event().unwrap(),
        notification(1, 77, 7, "y")
    );
}

#[test]
fn news_of_other_families_is_skipped_and_our_removal_ends_it() {
    let mut f = fixture();
    send(&f.kernel, &ctrl(1, 0x30, b"other\0"));
    send(&f.kernel, &ctrl(2, 0x30, b"other\0"));
    // CTRL_CMD_DELMCAST_GRP about our family is not its end.
    send(&f.kernel, &ctrl(8, FAMILY, b"gnl_foobar_xmpl\0"));
    send(&f.kernel, &ntf(3, 1, 5, b"x\0"));
    assert_eq!(f.listener.next_event().unwrap(), notification(3, 1, 5, "x"));
    send(&f.kernel, &ctrl(2, FAMILY, b"gnl_foobar_xmpl\0"));
    let e = f.listener.next_event().unwrap_err();
    assert!(matches!(e, Error::FamilyGone), "{e}");
    assert_eq!(
        e.to_string(),
        "family gnl_foobar_xmpl went away (CTRL_CMD_DELFAMILY)"
    );
}

#[test]
fn messages_from_other_processes_are_skipped() {
    let mut f = fixture();
    let stranger = NlSocket::connect(NlFamily::Usersock, None, Groups::empty()).unwrap();
    connect_to(&stranger, f.listener.sock.pid().unwrap());
    send(&stranger, &ntf(1, 0, 1, b"forged\0"));
    send(&stranger, &ctrl(2, FAMILY, b"gnl_foobar_xmpl\0"));
    send(&f.kernel, &ntf(2, 0, 2, b"real\0"));
    assert_eq!(
        f.listener.next_event().unwrap(),
        notification(2, 0, 2, "real")
    );
}

#[test]
fn malformed_notifications_are_errors() {
    let cases: [(&str, Vec<u8>); 5] = [
        (
            "no msg",
            nlmsg(FAMILY, 0, 1, 0, &genl(5, 1, &config_attrs(3, b"x\0")[..1])),
        ),
        ("count out of range", ntf(1, 0, 0, b"x\0")),
        ("msg without NUL", ntf(1, 0, 3, b"x")),
        ("no genl header", nlmsg(FAMILY, 0, 1, 0, &[5, 1])),
        (
            "a message of another type",
            nlmsg(0x40, 0, 1, 0, &genl(5, 1, &[])),
        ),
    ];
    for (what, dgram) in cases {
        let mut f = fixture();
        send(&f.kernel, &dgram);
        assert!(f.listener.next_event().is_err(), "{what}");
    }
    let mut f = fixture();
    send(
        &f.kernel,
        &nlmsg(FAMILY, 0, 1, 0, &genl(1, 1, &config_attrs(3, b"x\0"))),
    );
    let e = f.listener.next_event().unwrap_err();
    assert_eq!(
        e.to_string(),
        "unexpected reply from the kernel: message with command 1 on the config group"
    );
}

/// Usersock group the overflow test multicasts to (usersock has 32).
const GROUP: u32 = 5;

/// Multicasts `dgram` to usersock group `GROUP`. The datagram also goes, unicast,
/// to the sender's own port id (netlink_sendmsg() unicasts to the address's
/// port id after the broadcast, and the broadcast skips that port).
fn multicast(sock: &NlSocket, dgram: &[u8]) {
    let own = sock.pid().unwrap();
    // SAFETY: a zeroed sockaddr_nl is valid; the pointers are valid for the lengths.
    let n = unsafe {
        let mut addr: libc::sockaddr_nl = std::mem::zeroed();
        addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        addr.nl_pid = own;
        addr.nl_groups = 1 << (GROUP - 1);
        libc::sendto(
            sock.as_raw_fd(),
            dgram.as_ptr().cast(),
            dgram.len(),
            0,
            (&addr as *const libc::sockaddr_nl).cast(),
            size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    };
    assert_eq!(n, dgram.len() as isize, "{}", io::Error::last_os_error());
}

#[test]
fn an_overflow_is_reported_after_what_was_queued_with_the_drops_and_a_fresh_config() {
    let mut f = fixture_with(false);
    f.listener
        .sock
        .add_mcast_membership(Groups::new_groups(&[GROUP]))
        .unwrap();
    f.listener.set_receive_buffer(0).unwrap();
    // The multicasting socket reads back its own copies: room for them all.
    f.kernel.set_recv_buffer_size(1 << 20).unwrap();
    const SENT: u32 = 100;
    for seq in 1..=SENT {
        multicast(&f.kernel, &ntf(seq, 1, seq, b"x\0"));
    }
    // What the control connection reads after the overflow.
    f.control
        .reply(FAMILY, 0, 1, &genl(3, 1, &config_attrs(SENT, b"x\0")));
    let mut received = Vec::new();
    let (lost, config) = loop {
        match f.listener.next_event().unwrap() {
            ListenEvent::Notification(n) => received.push(n.seq),
            ListenEvent::Overflow { lost, config } => break (lost, config),
        }
    };
    assert!(
        !received.is_empty() && lost > 0,
        "{received:?}, {lost} lost"
    );
    let want: Vec<u32> = (1..=SENT).take(received.len()).collect();
    assert_eq!(received, want, "the queued ones first, in order");
    assert_eq!(received.len() as u32 + lost, SENT, "every drop counted");
    assert_eq!(config.dump_count, SENT);
    assert_eq!(&f.control.request()[16..20], &[3, 1, 0, 0], "a CONFIG_GET");
    // Recovered: the next one arrives as usual.
    multicast(&f.kernel, &ntf(SENT + 1, 1, 1, b"x\0"));
    assert_eq!(
        f.listener.next_event().unwrap(),
        notification(SENT + 1, 1, 1, "x")
    );
}
