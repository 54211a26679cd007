//! Decoding of crafted messages and attributes, including malformed ones the kernel
//! never sends.

use super::*;
use crate::netlink::NLMSG_DONE;
use crate::testutil::{genl, nla, nlmsg};

#[test]
fn split_message_walks_a_datagram_with_padding() {
    let mut dgram = nlmsg(0x22, 2, 1, 5, &[1, 2, 3]); // 19 bytes + 1 of padding
    dgram.extend(nlmsg(3, 2, 1, 5, &0i32.to_ne_bytes()));
    let (h1, p1, used) = split_message(&dgram).unwrap();
    assert_eq!(
        (h1.len, h1.nl_type, h1.flags, h1.seq, h1.portid),
        (19, 0x22, 2, 1, 5)
    );
    assert_eq!(p1, &[1, 2, 3]);
    assert_eq!(used, 20);
    let (h2, p2, used2) = split_message(&dgram[used..]).unwrap();
    assert_eq!(h2.nl_type, NLMSG_DONE);
    assert_eq!(p2, &0i32.to_ne_bytes());
    assert_eq!(used + used2, dgram.len());
}

#[test]
fn split_message_rejects_bad_lengths() {
    let good = nlmsg(0x22, 0, 1, 5, &[0; 8]);
    assert!(split_message(&good[..15]).is_err(), "shorter than a header");
    for bad_len in [0u32, 15, 25, u32::MAX] {
        let mut m = good.clone();
        m[..4].copy_from_slice(&bad_len.to_ne_bytes());
        assert!(split_message(&m).is_err(), "nlmsg_len {bad_len}");
    }
}

#[test]
fn split_message_accepts_a_last_message_without_its_padding() {
    let mut m = nlmsg(0x22, 0, 1, 5, &[9]);
    m.truncate(17);
    let (_, p, used) = split_message(&m).unwrap();
    assert_eq!((p, used), (&[9u8][..], 17));
}

#[test]
fn attrs_walks_and_masks_the_flag_bits() {
    let mut buf = nla(1, b"abc\0");
    buf.extend(nla(0x8000 | 2, &7u32.to_ne_bytes())); // NLA_F_NESTED set
    buf.extend(nla(3, b"x")); // 5 bytes, padded to 8
    let got: Vec<_> = attrs(&buf).collect::<Result<_, _>>().unwrap();
    assert_eq!(
        got,
        vec![
            (1, &b"abc\0"[..]),
            (2, &7u32.to_ne_bytes()[..]),
            (3, &b"x"[..])
        ]
    );
}

#[test]
fn attrs_rejects_bad_lengths_and_stray_bytes() {
    let a = nla(1, b"abcd");
    for bad in [0u16, 3, 9] {
        let mut m = a.clone();
        m[..2].copy_from_slice(&bad.to_ne_bytes());
        assert!(attrs(&m).any(|r| r.is_err()), "nla_len {bad}");
    }
    let mut stray = a.clone();
    stray.extend([0, 0]);
    let got: Vec<_> = attrs(&stray).collect();
    assert_eq!(got.len(), 2);
    assert!(got[0].is_ok() && got[1].is_err());
}

#[test]
fn typed_attribute_payloads() {
    assert_eq!(parse_string(b"hi\0").unwrap(), "hi");
    assert_eq!(parse_string(b"\0").unwrap(), "");
    assert_eq!(parse_string(b"hi\0\0\0").unwrap(), "hi");
    assert!(parse_string(b"hi").is_err(), "no NUL");
    assert!(parse_string(b"").is_err(), "no NUL");
    assert!(parse_string(b"\xff\0").is_err(), "not UTF-8");
    assert_eq!(parse_u32(&5u32.to_ne_bytes()).unwrap(), 5);
    assert!(parse_u32(&[1, 2, 3]).is_err());
    assert!(parse_u32(&[0; 8]).is_err());
    assert_eq!(parse_u16(&0x22u16.to_ne_bytes()).unwrap(), 0x22);
    assert!(parse_u16(&[0; 4]).is_err());
    assert!(parse_genl(&[1, 1, 0]).is_err());
    let m = genl(2, 1, &[nla(1, b"\0")]);
    let g = parse_genl(&m).unwrap();
    assert_eq!((g.cmd, g.version, g.attrs.len()), (2, 1, 8));
}
