//! The judge of whatever the kernel sends back. gnl-proto decodes (every length checked,
//! nothing panics, as for the client); on top, this holds each reply to the protocol as
//! documented, stricter than a client needs to be, and reports a reply that breaks a rule
//! as `Malformed` with the reason. The fuzzer relies on it to judge the kernel's replies.

use gnl_proto::ack::{self, KernelError};
use gnl_proto::family::*;
use gnl_proto::netlink::*;
use gnl_proto::wire::{self, parse_u16, parse_u32};
pub use gnl_proto::wire::{Malformed, NlHeader};

fn bad<T>(why: impl Into<String>) -> Result<T, Malformed> {
    Err(Malformed(why.into()))
}

/// One message of a datagram: its header and the payload nlmsg_len covers.
#[derive(Clone, Copy, Debug)]
pub struct NlMsg<'a> {
    pub hdr: NlHeader,
    pub payload: &'a [u8],
}

/// Splits a received datagram into messages. The kernel never sends a partial message, so
/// any length that does not fit, and any trailing bytes, are errors.
pub fn split(datagram: &[u8]) -> Result<Vec<NlMsg<'_>>, Malformed> {
    let mut out = Vec::new();
    let mut rest = datagram;
    while !rest.is_empty() {
        let (hdr, payload, used) = wire::split_message(rest)?;
        out.push(NlMsg { hdr, payload });
        rest = &rest[used..];
    }
    Ok(out)
}

/// One attribute: its type (without NLA_F_NESTED / NLA_F_NET_BYTEORDER) and payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    pub ty: u16,
    pub payload: &'a [u8],
}

impl Attr<'_> {
    pub fn kind(&self) -> u16 {
        self.ty
    }

    pub fn u32(&self) -> Option<u32> {
        parse_u32(self.payload).ok()
    }

    pub fn u16(&self) -> Option<u16> {
        parse_u16(self.payload).ok()
    }

    /// The payload of a NUL-terminated string, without its NUL; None if the last byte is
    /// not a NUL or a NUL comes earlier.
    pub fn nul_string(&self) -> Option<&[u8]> {
        let (last, body) = self.payload.split_last()?;
        (*last == 0 && !body.contains(&0)).then_some(body)
    }
}

/// Splits a block of attributes; every attribute must fit exactly, padding included (the
/// last one's padding may be absent).
pub fn attrs(block: &[u8]) -> Result<Vec<Attr<'_>>, Malformed> {
    wire::attrs(block)
        .map(|a| a.map(|(ty, payload)| Attr { ty, payload }))
        .collect()
}

/// The rules of the extended ACK that the shared decoder (which serves clients, and so
/// forgives) does not enforce: the message is one NUL-terminated string, the policy is
/// well-formed attributes, and no attribute is one netlink does not define.
fn check_ext_ack(tlvs: &[u8]) -> Result<(), Malformed> {
    for a in attrs(tlvs)? {
        match a.ty {
            NLMSGERR_ATTR_MSG if a.nul_string().is_none() => {
                return bad("NLMSGERR_ATTR_MSG is not a NUL-terminated string")
            }
            NLMSGERR_ATTR_POLICY => {
                attrs(a.payload)?;
            }
            NLMSGERR_ATTR_MSG
            | NLMSGERR_ATTR_OFFS
            | NLMSGERR_ATTR_COOKIE
            | NLMSGERR_ATTR_MISS_TYPE
            | NLMSGERR_ATTR_MISS_NEST => {}
            other => return bad(format!("unknown extended-ACK attribute {other}")),
        }
    }
    Ok(())
}

/// The extended-ACK block after an error's request or a DONE's status: checked when
/// NLM_F_ACK_TLVS says it is there, and required empty when not.
fn check_tail(flags: u16, tail: &[u8], what: &str) -> Result<(), Malformed> {
    if flags & NLM_F_ACK_TLVS != 0 {
        check_ext_ack(tail)
    } else if !tail.is_empty() {
        bad(format!(
            "{} bytes after {what} but no NLM_F_ACK_TLVS",
            tail.len()
        ))
    } else {
        Ok(())
    }
}

/// Decodes an NLMSG_ERROR (gnl-proto's decoder) and holds it to the strict rules.
pub fn parse_error(m: &NlMsg<'_>) -> Result<KernelError, Malformed> {
    let parts = ack::split_error(m.hdr.flags, m.payload)?;
    check_tail(m.hdr.flags, parts.tlvs, "the echoed request")?;
    ack::decode_error(m.hdr.flags, m.payload)
}

/// What one message of a reply is, after the checks of `classify`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// NLMSG_ERROR with error 0.
    Ack(KernelError),
    /// NLMSG_ERROR with a negative errno.
    Error(KernelError),
    /// NLMSG_DONE closing a dump, with the dump's status (0, or -errno if it failed
    /// midway) and its extended ACK.
    Done { status: i32, extack: KernelError },
    /// A doit reply: ECHO_MSG carrying MSG.
    Echo { msg: Vec<u8> },
    /// One message of a dump.
    DumpItem { index: u32, msg: Vec<u8> },
    /// A namespace's config: the reply to CONFIG_GET, or the CONFIG_NTF a config-set with
    /// NLM_F_ECHO gets back (`cmd` says which). The msg is bytes: a set may store any.
    Config { cmd: u8, count: u32, msg: Vec<u8> },
}

impl Reply {
    pub fn kind(&self) -> &'static str {
        match self {
            Reply::Ack(_) => "ack",
            Reply::Error(_) => "error",
            Reply::Done { .. } => "done",
            Reply::Echo { .. } => "echo",
            Reply::DumpItem { .. } => "dump item",
            Reply::Config { .. } => "config",
        }
    }
}

/// Checks one message against the protocol and says what it is. `family` is the family's
/// id. Anything else -- another type, a reply with a wrong command, version or attribute, a
/// missing attribute -- is Malformed.
pub fn classify(m: &NlMsg<'_>, family: u16) -> Result<Reply, Malformed> {
    match m.hdr.nl_type {
        NLMSG_ERROR => {
            let e = parse_error(m)?;
            if e.errno == 0 {
                Ok(Reply::Ack(e))
            } else {
                Ok(Reply::Error(e))
            }
        }
        NLMSG_DONE => {
            if m.hdr.flags & NLM_F_MULTI == 0 {
                return bad("NLMSG_DONE without NLM_F_MULTI");
            }
            let extack = ack::decode_done(m.hdr.flags, m.payload)?;
            check_tail(m.hdr.flags, &m.payload[4..], "NLMSG_DONE's status")?;
            let status = -extack.errno;
            Ok(Reply::Done { status, extack })
        }
        t if t == family => classify_genl(m),
        t => bad(format!(
            "message of type {t:#x}, neither the family's nor an ACK/DONE"
        )),
    }
}

fn classify_genl(m: &NlMsg<'_>) -> Result<Reply, Malformed> {
    let Some(hdr) = m.payload.get(..GENL_HDRLEN) else {
        return bad(format!(
            "family message of {} bytes has no genl header",
            m.payload.len()
        ));
    };
    let (cmd, version, reserved) = (hdr[0], hdr[1], u16::from_ne_bytes([hdr[2], hdr[3]]));
    let config = cmd == CMD_CONFIG_GET || cmd == CMD_CONFIG_NTF;
    if version == FAMILY_VERSION && reserved == 0 && config {
        return classify_config(m, cmd);
    }
    if cmd != CMD_ECHO_MSG || version != FAMILY_VERSION || reserved != 0 {
        return bad(format!(
            "genl header cmd {cmd} version {version} reserved {reserved}"
        ));
    }
    let mut msg = None;
    let mut index = None;
    for a in attrs(&m.payload[GENL_HDRLEN..])? {
        match a.ty {
            A_MSG if msg.is_none() => match a.nul_string() {
                Some(s) if s.len() <= MSG_MAX_LEN => msg = Some(s.to_vec()),
                _ => return bad("MSG is not a NUL-terminated string of at most the maximum"),
            },
            A_DUMP_INDEX if index.is_none() => match a.u32() {
                Some(v) => index = Some(v),
                None => return bad("DUMP_INDEX is not a u32"),
            },
            t => {
                return bad(format!(
                    "unexpected or repeated attribute type {t:#x} in a reply"
                ))
            }
        }
    }
    let Some(msg) = msg else {
        return bad("reply without MSG");
    };
    let multi = m.hdr.flags & NLM_F_MULTI != 0;
    match (multi, index) {
        (true, Some(index)) => Ok(Reply::DumpItem { index, msg }),
        (false, None) => Ok(Reply::Echo { msg }),
        (true, None) => bad("dump message (NLM_F_MULTI) without DUMP_INDEX"),
        (false, Some(_)) => bad("DUMP_INDEX in a reply without NLM_F_MULTI"),
    }
}

/// A config reply or notification: both attributes once, within the policy's limits, and
/// never part of a dump.
fn classify_config(m: &NlMsg<'_>, cmd: u8) -> Result<Reply, Malformed> {
    if m.hdr.flags & NLM_F_MULTI != 0 {
        return bad(format!("config message (cmd {cmd}) with NLM_F_MULTI"));
    }
    let mut count = None;
    let mut msg = None;
    for a in attrs(&m.payload[GENL_HDRLEN..])? {
        match a.ty {
            A_CONFIG_DUMP_COUNT if count.is_none() => match a.u32() {
                Some(v) if (DUMP_MIN_COUNT..=DUMP_MAX_COUNT).contains(&v) => count = Some(v),
                _ => return bad("CONFIG_DUMP_COUNT is not a u32 within the policy's range"),
            },
            A_CONFIG_DUMP_MSG if msg.is_none() => match a.nul_string() {
                Some(s) if s.len() <= MSG_MAX_LEN => msg = Some(s.to_vec()),
                _ => {
                    return bad(
                        "CONFIG_DUMP_MSG is not a NUL-terminated string of at most the maximum",
                    )
                }
            },
            t => {
                return bad(format!(
                    "unexpected or repeated attribute type {t:#x} in a config message"
                ))
            }
        }
    }
    match (count, msg) {
        (Some(count), Some(msg)) => Ok(Reply::Config { cmd, count, msg }),
        _ => bad("config message without both CONFIG_DUMP_COUNT and CONFIG_DUMP_MSG"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg::Msg;
    use crate::rng::Rng;

    const FAM: u16 = 0x22;

    fn error_msg(flags: u16, error: i32, orig: &[u8], tlvs: &[u8]) -> Vec<u8> {
        let mut m = Msg::new(NLMSG_ERROR, flags, 9, 4242)
            .raw(&error.to_ne_bytes())
            .raw(orig);
        m = m.pad().raw(tlvs);
        m.finish()
    }

    #[test]
    fn split_rejects_lengths_that_do_not_fit() {
        let a = Msg::new(NLMSG_DONE, NLM_F_MULTI, 1, 0)
            .raw(&0i32.to_ne_bytes())
            .finish();
        assert_eq!(split(&a).unwrap().len(), 1);
        let two = crate::msg::batch(&[a.clone(), a.clone()]);
        assert_eq!(split(&two).unwrap().len(), 2);
        assert!(split(&a[..10]).is_err());
        let mut long = a.clone();
        long[0] = 200;
        assert!(split(&long).is_err());
        let mut short = a;
        short[0] = 8;
        assert!(split(&short).is_err());
    }

    #[test]
    fn error_with_echoed_request_and_tlvs() {
        let req = crate::msg::echo(FAM, NLM_F_REQUEST, 9, b"hello");
        let tlvs = Msg::new(0, 0, 0, 0)
            .attr_str(NLMSGERR_ATTR_MSG, b"bad thing")
            .attr_u32(NLMSGERR_ATTR_OFFS, 20)
            .attr_u32(NLMSGERR_ATTR_MISS_TYPE, 1)
            .finish();
        let raw = error_msg(NLM_F_ACK_TLVS, -22, &req, &tlvs[16..]);
        let msgs = split(&raw).unwrap();
        let Reply::Error(e) = classify(&msgs[0], FAM).unwrap() else {
            panic!("not an error")
        };
        assert_eq!(e.errno, 22);
        assert_eq!(e.request_header().map(|h| h.seq), Some(9));
        assert_eq!(e.message.as_deref(), Some("bad thing"));
        assert_eq!(e.offset, Some(20));
        assert_eq!(e.missing_type, Some(1));
    }

    #[test]
    fn capped_error_and_plain_ack() {
        let req = crate::msg::echo(FAM, NLM_F_REQUEST, 9, b"hello");
        let capped = error_msg(NLM_F_CAPPED, -95, &req[..16], &[]);
        let msgs = split(&capped).unwrap();
        assert!(matches!(classify(&msgs[0], FAM), Ok(Reply::Error(e)) if e.errno == 95));
        // The kernel flags every ACK NLM_F_CAPPED: it never echoes a request's payload.
        let ack = error_msg(NLM_F_CAPPED, 0, &req[..16], &[]);
        let msgs = split(&ack).unwrap();
        assert!(matches!(classify(&msgs[0], FAM), Ok(Reply::Ack(_))));
        // An error that claims to echo the whole request but does not carry it.
        let short = error_msg(0, -22, &req[..16], &[]);
        assert!(classify(&split(&short).unwrap()[0], FAM).is_err());
        // A positive "errno".
        let pos = error_msg(0, 5, &req[..16], &[]);
        assert!(classify(&split(&pos).unwrap()[0], FAM).is_err());
    }

    #[test]
    fn echo_and_dump_item_replies() {
        let echo = Msg::genl(FAM, CMD_ECHO_MSG, 0, 3)
            .attr_str(A_MSG, b"hi")
            .finish();
        let r = classify(&split(&echo).unwrap()[0], FAM).unwrap();
        assert_eq!(
            r,
            Reply::Echo {
                msg: b"hi".to_vec()
            }
        );
        let item = Msg::genl(FAM, CMD_ECHO_MSG, NLM_F_MULTI, 3)
            .attr_u32(A_DUMP_INDEX, 7)
            .attr_str(A_MSG, b"hi")
            .finish();
        let r = classify(&split(&item).unwrap()[0], FAM).unwrap();
        assert_eq!(
            r,
            Reply::DumpItem {
                index: 7,
                msg: b"hi".to_vec()
            }
        );
    }

    #[test]
    fn replies_breaking_the_protocol_are_malformed() {
        let cases = [
            // no MSG
            Msg::genl(FAM, CMD_ECHO_MSG, 0, 3).finish(),
            // MSG without NUL
            Msg::genl(FAM, CMD_ECHO_MSG, 0, 3)
                .attr(A_MSG, b"hi")
                .finish(),
            // wrong command
            Msg::genl(FAM, 2, 0, 3).attr_str(A_MSG, b"hi").finish(),
            // index outside a dump
            Msg::genl(FAM, CMD_ECHO_MSG, 0, 3)
                .attr_str(A_MSG, b"hi")
                .attr_u32(A_DUMP_INDEX, 1)
                .finish(),
            // dump item without index
            Msg::genl(FAM, CMD_ECHO_MSG, NLM_F_MULTI, 3)
                .attr_str(A_MSG, b"hi")
                .finish(),
            // unknown attribute
            Msg::genl(FAM, CMD_ECHO_MSG, 0, 3)
                .attr_str(A_MSG, b"hi")
                .attr_u32(9, 1)
                .finish(),
            // another type
            Msg::genl(FAM + 1, CMD_ECHO_MSG, 0, 3)
                .attr_str(A_MSG, b"hi")
                .finish(),
            // DONE without MULTI
            Msg::new(NLMSG_DONE, 0, 1, 0)
                .raw(&0i32.to_ne_bytes())
                .finish(),
        ];
        for (i, c) in cases.iter().enumerate() {
            let msgs = split(c).unwrap();
            assert!(classify(&msgs[0], FAM).is_err(), "case {i} accepted");
        }
    }

    /// The parser's promise: no input makes it panic or read out of bounds.
    #[test]
    fn random_and_mutated_bytes_never_panic() {
        let mut rng = Rng::new(0x5eed);
        let req = crate::msg::echo(FAM, NLM_F_REQUEST, 9, b"hello");
        let tlvs = Msg::new(0, 0, 0, 0)
            .attr_str(NLMSGERR_ATTR_MSG, b"x")
            .attr_u32(NLMSGERR_ATTR_OFFS, 20)
            .finish();
        let seed = error_msg(NLM_F_ACK_TLVS, -22, &req, &tlvs[16..]);
        for _ in 0..20_000 {
            let mut b = if rng.chance(1, 2) {
                let n = rng.below(96) as usize;
                (0..n).map(|_| rng.next_u32() as u8).collect::<Vec<u8>>()
            } else {
                seed.clone()
            };
            for _ in 0..rng.below(4) {
                if !b.is_empty() {
                    let i = rng.below(b.len() as u64) as usize;
                    b[i] = rng.next_u32() as u8;
                }
            }
            if rng.chance(1, 4) {
                let cut = rng.below(b.len() as u64 + 1) as usize;
                b.truncate(cut);
            }
            if let Ok(msgs) = split(&b) {
                for m in &msgs {
                    let _ = classify(m, FAM);
                    let _ = parse_error(m);
                    let _ = attrs(m.payload);
                }
            }
        }
    }

    fn config_msg(cmd: u8, flags: u16, count: Option<u32>, text: Option<&[u8]>) -> Vec<u8> {
        let mut m = Msg::genl(FAM, cmd, flags, 3);
        if let Some(c) = count {
            m = m.attr_u32(A_CONFIG_DUMP_COUNT, c);
        }
        if let Some(t) = text {
            m = m.attr_str(A_CONFIG_DUMP_MSG, t);
        }
        m.finish()
    }

    fn classify_bytes(b: &[u8]) -> Result<Reply, Malformed> {
        classify(&split(b).unwrap()[0], FAM)
    }

    #[test]
    fn config_replies_and_notifications() {
        let get = config_msg(CMD_CONFIG_GET, 0, Some(3), Some(b"\xffbytes"));
        assert_eq!(
            classify_bytes(&get).unwrap(),
            Reply::Config {
                cmd: CMD_CONFIG_GET,
                count: 3,
                msg: b"\xffbytes".to_vec()
            }
        );
        let ntf = config_msg(CMD_CONFIG_NTF, 0, Some(DUMP_MAX_COUNT), Some(b""));
        assert!(matches!(
            classify_bytes(&ntf),
            Ok(Reply::Config {
                cmd: CMD_CONFIG_NTF,
                ..
            })
        ));
    }

    #[test]
    fn config_messages_breaking_the_rules() {
        for bad_msg in [
            config_msg(CMD_CONFIG_GET, 0, Some(3), None),
            config_msg(CMD_CONFIG_GET, 0, None, Some(b"x")),
            config_msg(CMD_CONFIG_GET, 0, Some(0), Some(b"x")),
            config_msg(CMD_CONFIG_GET, 0, Some(DUMP_MAX_COUNT + 1), Some(b"x")),
            config_msg(CMD_CONFIG_NTF, NLM_F_MULTI, Some(3), Some(b"x")),
            config_msg(CMD_CONFIG_SET, 0, Some(3), Some(b"x")),
            Msg::genl(FAM, CMD_CONFIG_GET, 0, 3)
                .attr_u32(A_CONFIG_DUMP_COUNT, 3)
                .attr(A_CONFIG_DUMP_MSG, b"no nul")
                .finish(),
            Msg::genl(FAM, CMD_CONFIG_GET, 0, 3)
                .attr_u16(A_CONFIG_DUMP_COUNT, 3)
                .attr_str(A_CONFIG_DUMP_MSG, b"x")
                .finish(),
            Msg::genl(FAM, CMD_CONFIG_GET, 0, 3)
                .attr_u32(A_CONFIG_DUMP_COUNT, 3)
                .attr_str(A_CONFIG_DUMP_MSG, b"x")
                .attr_str(A_CONFIG_DUMP_MSG, b"y")
                .finish(),
            Msg::genl(FAM, CMD_CONFIG_GET, 0, 3)
                .attr_u32(A_CONFIG_DUMP_COUNT, 3)
                .attr_str(A_CONFIG_DUMP_MSG, &vec![b'a'; MSG_MAX_LEN + 1])
                .finish(),
        ] {
            assert!(classify_bytes(&bad_msg).is_err(), "{bad_msg:?}");
        }
    }
}
