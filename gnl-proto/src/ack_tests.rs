//! Decoding of crafted errors, ACKs and dump statuses, including malformed ones the
//! kernel never sends.

use super::*;
use crate::netlink::NLM_F_ACK_TLVS;
use crate::testutil::{genl, nla, nlattr_u32, nlmsg, nlmsgerr, Rng};
use crate::wire::{parse_genl, parse_string, split_message};

/// A request as the client sends it: echo with MSG "hi", seq 7, port id 99.
fn request() -> Vec<u8> {
    nlmsg(0x22, 1, 7, 99, &genl(1, 1, &[nla(1, b"hi\0")]))
}

#[test]
fn error_with_full_request_and_ext_ack() {
    let req = request();
    let payload = nlmsgerr(
        libc::EINVAL,
        &req,
        false,
        &[
            nla(NLMSGERR_ATTR_MSG, b"GNL_FOOBAR_XMPL_A_MSG is required\0"),
            nlattr_u32(NLMSGERR_ATTR_OFFS, 20),
            nlattr_u32(NLMSGERR_ATTR_MISS_TYPE, 1),
            nlattr_u32(NLMSGERR_ATTR_MISS_NEST, 0),
            nla(NLMSGERR_ATTR_POLICY | 0x8000, &nlattr_u32(1, 4)),
            nla(3, b"cookie"),
            nla(99, b"from a future kernel"),
        ],
    );
    let e = decode_error(NLM_F_ACK_TLVS, &payload).unwrap();
    assert_eq!(e.errno, libc::EINVAL);
    assert_eq!(
        e.message.as_deref(),
        Some("GNL_FOOBAR_XMPL_A_MSG is required")
    );
    assert_eq!(e.offset, Some(20));
    assert_eq!(e.missing_type, Some(1));
    assert_eq!(e.missing_nest, Some(0));
    assert!(e.has_policy);
    assert!(!e.capped);
    assert_eq!(e.request, req);
    assert_eq!(e.request_header().map(|h| h.seq), Some(7));
    assert_eq!(e.offending_attr_type(), Some(1));
    // The offset wins over the missing type when the kernel sends both.
    assert_eq!(
        e.to_string(),
        "kernel replied with error EINVAL (22): GNL_FOOBAR_XMPL_A_MSG is required \
         (points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request)"
    );
}

#[test]
fn capped_error_has_only_the_request_header() {
    let req = request();
    let payload = nlmsgerr(
        libc::ERANGE,
        &req,
        true,
        &[
            nla(NLMSGERR_ATTR_MSG, b"out of range\0"),
            nlattr_u32(NLMSGERR_ATTR_OFFS, 20),
        ],
    );
    let e = decode_error(NLM_F_CAPPED | NLM_F_ACK_TLVS, &payload).unwrap();
    assert!(e.capped);
    assert_eq!(e.request, req[..16]);
    assert_eq!(e.message.as_deref(), Some("out of range"));
    assert_eq!(e.offset, Some(20));
    // The attribute is not in the capped echo, so it cannot be named.
    assert_eq!(e.offending_attr_type(), None);
    assert_eq!(
        e.to_string(),
        "kernel replied with error ERANGE (34): out of range (points at byte 20 of the request)"
    );
}

#[test]
fn tlvs_are_ignored_without_ack_tlvs() {
    let mut payload = nlmsgerr(libc::EOPNOTSUPP, &request(), false, &[]);
    payload.extend([0xff; 7]); // would be malformed as TLVs
    let e = decode_error(0, &payload).unwrap();
    assert_eq!(e.errno, libc::EOPNOTSUPP);
    assert_eq!(e.message, None);
    // No extended ACK message: the C library's text stands in for it.
    assert_eq!(
        e.to_string(),
        "kernel replied with error EOPNOTSUPP (95): Operation not supported"
    );
}

#[test]
fn ack_and_unknown_errno_display() {
    let ack = decode_error(NLM_F_CAPPED, &nlmsgerr(0, &request(), true, &[])).unwrap();
    assert_eq!(ack.errno, 0);
    assert_eq!(ack.to_string(), "kernel acknowledged the request");
    let odd = decode_error(0, &nlmsgerr(4000, &request(), false, &[])).unwrap();
    assert_eq!(
        odd.to_string(),
        "kernel replied with error unknown errno (4000): Unknown error 4000"
    );
    let miss = decode_error(
        NLM_F_ACK_TLVS,
        &nlmsgerr(
            libc::EINVAL,
            &request(),
            false,
            &[nlattr_u32(NLMSGERR_ATTR_MISS_TYPE, 1)],
        ),
    )
    .unwrap();
    assert_eq!(
        miss.to_string(),
        "kernel replied with error EINVAL (22): Invalid argument \
         (names the missing attribute GNL_FOOBAR_XMPL_A_MSG)"
    );
    assert_eq!(
        miss.blame().as_deref(),
        Some("names the missing attribute GNL_FOOBAR_XMPL_A_MSG")
    );
}

#[test]
fn attributes_are_named_by_the_family_or_by_type() {
    let unknown = nlmsg(0x22, 1, 7, 99, &genl(1, 1, &[nla(99, b"x")]));
    let e = decode_error(
        NLM_F_ACK_TLVS,
        &nlmsgerr(
            libc::EINVAL,
            &unknown,
            false,
            &[nlattr_u32(NLMSGERR_ATTR_OFFS, 20)],
        ),
    )
    .unwrap();
    assert_eq!(
        e.blame().as_deref(),
        Some("points at attribute type 99, byte 20 of the request")
    );
    // A family query's attributes are the controller's, not the family's.
    let to_ctrl = nlmsg(0x10, 1, 7, 99, &genl(3, 1, &[nla(2, b"x\0")]));
    let e = decode_error(
        NLM_F_ACK_TLVS,
        &nlmsgerr(
            libc::EINVAL,
            &to_ctrl,
            false,
            &[nlattr_u32(NLMSGERR_ATTR_OFFS, 20)],
        ),
    )
    .unwrap();
    assert_eq!(
        e.blame().as_deref(),
        Some("points at attribute type 2, byte 20 of the request")
    );
}

#[test]
fn message_without_nul_or_utf8_is_kept() {
    let payload = nlmsgerr(
        libc::EINVAL,
        &request(),
        false,
        &[nla(NLMSGERR_ATTR_MSG, b"bad \xff")],
    );
    let e = decode_error(NLM_F_ACK_TLVS, &payload).unwrap();
    assert_eq!(e.message.as_deref(), Some("bad \u{fffd}"));
}

#[test]
fn control_characters_in_the_message_are_replaced() {
    let payload = nlmsgerr(
        libc::EINVAL,
        &request(),
        false,
        &[nla(NLMSGERR_ATTR_MSG, b"two\nlines\x1b[0m\x7f\0")],
    );
    let e = decode_error(NLM_F_ACK_TLVS, &payload).unwrap();
    assert_eq!(e.message.as_deref(), Some("two?lines?[0m?"));
}

#[test]
fn malformed_errors_are_errors() {
    let req = request();
    assert!(decode_error(0, &[]).is_err(), "empty");
    assert!(
        decode_error(0, &(-22i32).to_ne_bytes()).is_err(),
        "no request header"
    );
    assert!(
        decode_error(0, &i32::MIN.to_ne_bytes()).is_err(),
        "i32::MIN"
    );
    // The echoed request claims more bytes than there are.
    let mut long = nlmsgerr(libc::EINVAL, &req, false, &[]);
    long[4..8].copy_from_slice(&1000u32.to_ne_bytes());
    assert!(decode_error(0, &long).is_err());
    // ... or fewer than a header.
    let mut short = nlmsgerr(libc::EINVAL, &req, false, &[]);
    short[4..8].copy_from_slice(&8u32.to_ne_bytes());
    assert!(decode_error(0, &short).is_err());
    // Wrong-size OFFS.
    let bad_offs = nlmsgerr(
        libc::EINVAL,
        &req,
        false,
        &[nla(NLMSGERR_ATTR_OFFS, &[1, 2])],
    );
    assert!(decode_error(NLM_F_ACK_TLVS, &bad_offs).is_err());
    // TLV running past the end.
    let mut bad_tlv = nlmsgerr(libc::EINVAL, &req, false, &[nla(NLMSGERR_ATTR_MSG, b"x\0")]);
    let at = bad_tlv.len() - 8;
    bad_tlv[at..at + 2].copy_from_slice(&200u16.to_ne_bytes());
    assert!(decode_error(NLM_F_ACK_TLVS, &bad_tlv).is_err());
}

#[test]
fn offending_attr_type_stays_in_bounds() {
    let req = request();
    let mut e = decode_error(0, &nlmsgerr(libc::EINVAL, &req, false, &[])).unwrap();
    // The request is 28 bytes: headers (20), then MSG "hi\0" (7) and a byte of padding.
    for (off, want) in [
        (20, Some(1)),
        (26, Some(1)),
        (27, None),
        (28, None),
        (0, None),
        (15, None),
        (u32::MAX, None),
    ] {
        e.offset = Some(off);
        assert_eq!(e.offending_attr_type(), want, "offset {off}");
    }
}

#[test]
fn done_status_and_ext_ack() {
    assert_eq!(decode_done(0, &0i32.to_ne_bytes()).unwrap().errno, 0);
    let mut payload = (-libc::ENOBUFS).to_ne_bytes().to_vec();
    payload.extend(nla(NLMSGERR_ATTR_MSG, b"no room\0"));
    let d = decode_done(NLM_F_ACK_TLVS, &payload).unwrap();
    assert_eq!(d.errno, libc::ENOBUFS);
    assert_eq!(
        d.to_string(),
        "kernel replied with error ENOBUFS (105): no room"
    );
}

#[test]
fn done_too_short_for_its_status_is_malformed() {
    for len in 0..4 {
        let e = decode_done(0, &vec![0; len]).unwrap_err();
        assert!(e.0.contains("too short"), "{len} bytes: {e}");
    }
}

/// Random damage to valid replies must give `Ok` or `Err`, never a panic.
#[test]
fn mutated_replies_never_panic() {
    let req = request();
    let samples = [
        nlmsgerr(
            libc::EINVAL,
            &req,
            false,
            &[
                nla(NLMSGERR_ATTR_MSG, b"msg\0"),
                nlattr_u32(NLMSGERR_ATTR_OFFS, 20),
            ],
        ),
        nlmsgerr(
            libc::EINVAL,
            &req,
            true,
            &[nla(NLMSGERR_ATTR_MSG, b"msg\0")],
        ),
        genl(1, 1, &[nlattr_u32(3, 0), nla(1, b"Hello\0")]),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..20_000 {
        let mut p = samples[round % samples.len()].clone();
        rng.mutate(&mut p);
        let flags = (rng.next_u64() as u16) & (NLM_F_CAPPED | NLM_F_ACK_TLVS);
        if let Ok(e) = decode_error(flags, &p) {
            let _ = e.offending_attr_type();
            let _ = e.to_string();
        }
        let _ = decode_done(flags, &p);
        if let Ok(g) = parse_genl(&p) {
            for a in attrs(g.attrs).flatten() {
                let _ = parse_string(a.1);
                let _ = parse_u32(a.1);
            }
        }
        let dgram = nlmsg(0x22, 2, 1, 1, &p);
        let mut rest = &dgram[..];
        let mut d = dgram.clone();
        rng.mutate(&mut d);
        for buf in [&mut rest, &mut &d[..]] {
            while let Ok((_, _, used)) = split_message(buf) {
                *buf = &buf[used..];
                if buf.is_empty() {
                    break;
                }
            }
        }
    }
}
