//! GNL_FOOBAR_XMPL_CMD_ECHO_MSG against the real module: payloads round-trip
//! unchanged, and every reply answers its request's seq and port id.

mod common;

use common::connect;
use gnl_foobar_xmpl::proto::{FAMILY_VERSION, MSG_MAX_LEN};
use gnl_foobar_xmpl::{Attr, Command, NlmF, RawAttr, RawBody, RawRequest};

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn payloads_round_trip_unchanged() {
    let mut c = connect();
    let max = "m".repeat(MSG_MAX_LEN);
    let almost = "a".repeat(MSG_MAX_LEN - 1);
    let payloads = [
        "Hello from Rust",
        "",
        "x",
        "xy",
        "xyz",  // with its NUL, fills the attribute to 4 bytes: no padding
        "wxyz", // 5 bytes with the NUL, 3 of padding
        "tab\tnewline\nquote' \"end\"",
        "ünïcødé ✓ 🦀",
        &almost,
        &max,
    ];
    for p in payloads {
        assert_eq!(c.echo(p).unwrap(), p, "a {}-byte payload", p.len());
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn reply_carries_the_request_seq_and_portid() {
    let mut c = connect();
    for i in 0..5 {
        let msg = format!("seq check {i}");
        let seq = c
            .send_raw(&RawRequest::new(Command::EchoMsg).attr(RawAttr::string(Attr::Msg, &msg)))
            .unwrap();
        // recv_raw checks nothing: this asserts what the kernel really sent.
        let reply = c.recv_raw().unwrap();
        assert_eq!(reply.header.seq, seq, "the request's seq, not seq + 1");
        assert_eq!(reply.header.portid, c.portid());
        assert_eq!(reply.header.nl_type, c.family_id());
        assert_eq!(reply.header.flags & 0x2, 0, "a do reply is not NLM_F_MULTI");
        assert_eq!(
            reply.body,
            RawBody::Genl {
                cmd: Command::EchoMsg,
                version: FAMILY_VERSION,
                attrs: vec![RawAttr::string(Attr::Msg, &msg)],
            }
        );
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn echo_with_ack_gets_the_reply_then_the_ack() {
    let mut c = connect();
    let got = c
        .request(
            &RawRequest::new(Command::EchoMsg)
                .flags(NlmF::ACK)
                .attr(RawAttr::string(Attr::Msg, "ack me")),
        )
        .unwrap();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(matches!(got[0].body, RawBody::Genl { .. }), "{got:?}");
    match &got[1].body {
        RawBody::Ack(ack) => {
            assert_eq!(ack.errno, 0);
            assert!(ack.capped, "an ACK echoes only the request header");
            assert_eq!(ack.request_header().map(|h| h.seq), Some(got[1].header.seq));
        }
        other => panic!("expected an ACK, got {other:?}"),
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn family_is_registered_with_the_header_version() {
    let c = connect();
    assert_eq!(c.family_version(), u32::from(FAMILY_VERSION));
    assert!(
        c.family_id() > 0x10,
        "0x10 is nlctrl, ids below are not genl"
    );
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn batch_of_requests_in_one_datagram_is_answered_in_order() {
    let mut c = connect();
    let msgs: Vec<String> = (0..64).map(|i| format!("batch {i}")).collect();
    let refs: Vec<&str> = msgs.iter().map(String::as_str).collect();
    assert_eq!(c.echo_batch(&refs).unwrap(), msgs);
    // The socket is in step afterwards: the next request gets its own reply.
    assert_eq!(c.echo("after the batch").unwrap(), "after the batch");
}
