//! GNL_FOOBAR_XMPL_CMD_ECHO_MSG with NLM_F_DUMP against the real module: counts,
//! messages, order, big dumps, concurrent and abandoned dumps.

mod common;

use common::connect;
use gnl_foobar_xmpl::proto::{DUMP_DEFAULT_COUNT, DUMP_DEFAULT_MSG, DUMP_MAX_COUNT, MSG_MAX_LEN};
use gnl_foobar_xmpl::{Attr, Command, DumpEntry, NlmF, RawAttr, RawBody, RawRequest};

fn entries(count: u32, msg: &str) -> Vec<DumpEntry> {
    (0..count)
        .map(|index| DumpEntry {
            index,
            msg: msg.to_owned(),
        })
        .collect()
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn default_dump_is_three_default_messages() {
    let mut c = connect();
    assert_eq!(
        c.dump(None, None).unwrap(),
        entries(DUMP_DEFAULT_COUNT, DUMP_DEFAULT_MSG)
    );
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn count_and_msg_are_honoured() {
    let mut c = connect();
    assert_eq!(c.dump(Some(7), Some("seven")).unwrap(), entries(7, "seven"));
    assert_eq!(c.dump(Some(1), None).unwrap(), entries(1, DUMP_DEFAULT_MSG));
    assert_eq!(
        c.dump(None, Some("only msg")).unwrap(),
        entries(DUMP_DEFAULT_COUNT, "only msg")
    );
    assert_eq!(c.dump(Some(2), Some("")).unwrap(), entries(2, ""));
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn maximal_messages_fill_many_batches() {
    let mut c = connect();
    let max = "M".repeat(MSG_MAX_LEN);
    assert_eq!(c.dump(Some(50), Some(&max)).unwrap(), entries(50, &max));
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn large_dump_has_every_index_once_in_order() {
    const COUNT: u32 = 100_000;
    let mut c = connect();
    let mut next = 0u32;
    for entry in c.dump_iter(Some(COUNT), None).unwrap() {
        let entry = entry.unwrap();
        assert_eq!(entry.index, next);
        assert_eq!(entry.msg, DUMP_DEFAULT_MSG);
        next += 1;
    }
    assert_eq!(next, COUNT);
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn every_dump_message_answers_the_request() {
    let mut c = connect();
    let req = RawRequest::new(Command::EchoMsg)
        .flags(NlmF::DUMP)
        .attr(RawAttr::u32(Attr::DumpCount, 300));
    let seq = c.send_raw(&req).unwrap();
    let mut parts = 0;
    loop {
        // recv_raw checks nothing: these asserts are about what the kernel sent.
        let m = c.recv_raw().unwrap();
        assert_eq!(m.header.seq, seq);
        assert_eq!(m.header.portid, c.portid());
        assert_ne!(m.header.flags & 0x2, 0, "NLM_F_MULTI on every part");
        match m.body {
            RawBody::Genl { cmd, .. } => {
                assert_eq!(cmd, Command::EchoMsg);
                parts += 1;
            }
            RawBody::Done(status) => {
                assert_eq!(status.errno, 0);
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(parts, 300);
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn largest_count_is_accepted() {
    let mut c = connect();
    let mut dump = c.dump_iter(Some(DUMP_MAX_COUNT), None).unwrap();
    assert_eq!(dump.next().unwrap().unwrap().index, 0);
    // Dropping the socket ends the dump without reading the rest.
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn two_sockets_dump_interleaved() {
    const COUNT: u32 = 5_000;
    let (mut a, mut b) = (connect(), connect());
    let mut da = a.dump_iter(Some(COUNT), Some("from a")).unwrap();
    let mut db = b.dump_iter(Some(COUNT), Some("from b")).unwrap();
    for i in 0..COUNT {
        let (ea, eb) = (da.next().unwrap().unwrap(), db.next().unwrap().unwrap());
        assert_eq!((ea.index, ea.msg.as_str()), (i, "from a"));
        assert_eq!((eb.index, eb.msg.as_str()), (i, "from b"));
    }
    assert!(da.next().is_none());
    assert!(db.next().is_none());
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn socket_closed_mid_dump_leaves_the_module_usable() {
    {
        let mut c = connect();
        let mut dump = c
            .dump_iter(Some(DUMP_MAX_COUNT), Some("abandoned"))
            .unwrap();
        // One batch arrives; the rest would wait for us to read it.
        assert_eq!(dump.next().unwrap().unwrap().index, 0);
        // Dropping the client closes the socket: the core ends the dump.
    }
    let mut fresh = connect();
    assert_eq!(fresh.echo("still alive").unwrap(), "still alive");
    assert_eq!(
        fresh.dump(Some(2), None).unwrap(),
        entries(2, DUMP_DEFAULT_MSG)
    );
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn abandoned_dump_does_not_confuse_the_next_request() {
    let mut c = connect();
    {
        let mut dump = c.dump_iter(Some(20_000), Some("left behind")).unwrap();
        for i in 0..10 {
            assert_eq!(dump.next().unwrap().unwrap().index, i);
        }
    }
    // The rest of that dump is still on its way; the client skips it.
    assert_eq!(c.echo("next").unwrap(), "next");
    assert_eq!(c.dump(Some(3), Some("again")).unwrap(), entries(3, "again"));
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn second_dump_on_a_busy_socket_is_refused() {
    let mut c = connect();
    let first = RawRequest::new(Command::EchoMsg)
        .flags(NlmF::DUMP)
        .attr(RawAttr::u32(Attr::DumpCount, 100_000));
    let first_seq = c.send_raw(&first).unwrap();
    // Read one batch, so the first dump is running and not finished.
    assert_eq!(c.recv_raw().unwrap().header.seq, first_seq);
    let second = RawRequest::new(Command::EchoMsg).flags(NlmF::DUMP);
    let second_seq = c.send_raw(&second).unwrap();
    // The core allows one dump per socket at a time; the answer to the second
    // request waits behind what the first dump has already queued.
    loop {
        let m = c.recv_raw().unwrap();
        if m.header.seq == second_seq {
            match m.body {
                RawBody::Error(e) => {
                    assert_eq!(e.errno, libc::EBUSY, "{e}");
                    break;
                }
                other => panic!("expected EBUSY, got {other:?}"),
            }
        }
        assert_eq!(m.header.seq, first_seq);
    }
}
