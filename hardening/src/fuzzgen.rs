//! The fuzzer's generator: batches of requests for every operation, some valid (with the
//! exact answer they must get), some built at random from the protocol's pieces, some valid
//! ones mutated byte by byte. Batch `b` of seed `s` depends on (s, b) alone, so a failing
//! batch is replayed without running the ones before it.
//!
//! Mutations never touch a message's nlmsg_type except to choose among safe values (this
//! family, netlink's control types, an unregistered id): a random type could reach another
//! Generic Netlink family of the guest and change its state as root. They never touch
//! nlmsg_seq either, so each answer can be tied to its request -- unless a message's
//! nlmsg_len no longer matches its bytes, in which case the kernel reads the next header
//! from inside it, and the batch is marked `misframed`.

use crate::msg::{self, batch, Msg};
use crate::proto::*;
use crate::rng::Rng;

/// One exactly expected answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exp {
    Echo(Vec<u8>),
    Ack,
    /// NLMSG_ERROR: -errno, extended-ACK text substring, offset.
    Err {
        errno: i32,
        text: &'static str,
        offs: Option<u32>,
    },
    /// `count` items carrying `msg`, then NLMSG_DONE.
    Dump {
        count: u32,
        msg: Vec<u8>,
    },
    /// A config message (a CONFIG_GET reply or an echoed CONFIG_NTF) of command `cmd`.
    Config {
        cmd: u8,
        count: u32,
        msg: Vec<u8>,
    },
}

pub const ALWAYS_FAILS: &str = "GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails";

#[derive(Clone, Debug)]
pub struct GenMsg {
    pub bytes: Vec<u8>,
    pub seq: u32,
    /// The exact answers of a valid request; None for random and mutated ones.
    pub exact: Option<Vec<Exp>>,
    /// How it was made, for failure reports.
    pub origin: &'static str,
    /// Its exact answers assume the config every batch starts with (the defaults).
    pub reads_config: bool,
}

impl GenMsg {
    /// The kernel frames this message as its author meant: nlmsg_len is its true length.
    pub fn frames_cleanly(&self) -> bool {
        frames_cleanly(&self.bytes)
    }

    /// The kernel may take it as a config-set (as far as the headers tell): it may change
    /// the namespace's config, which dumps without a count or msg and gets depend on.
    pub fn may_set_config(&self, family: u16) -> bool {
        let h = crate::parse::NlHeader::parse(&self.bytes);
        h.is_some_and(|h| h.nl_type == family && h.flags & NLM_F_REQUEST != 0)
            && self.bytes.get(NLMSG_HDRLEN) == Some(&CMD_CONFIG_SET)
    }

    /// The kernel would start a dump for it (as far as the header tells).
    pub fn is_dump(&self, family: u16) -> bool {
        match crate::parse::NlHeader::parse(&self.bytes) {
            Some(h) => {
                h.nl_type == family
                    && h.flags & NLM_F_REQUEST != 0
                    && h.flags & NLM_F_DUMP == NLM_F_DUMP
            }
            None => false,
        }
    }
}

pub fn frames_cleanly(b: &[u8]) -> bool {
    b.len() >= NLMSG_HDRLEN
        && b.get(..4)
            .map(|l| u32::from_ne_bytes([l[0], l[1], l[2], l[3]]))
            == Some(b.len() as u32)
}

/// A batch: the messages and the datagram that carries them.
#[derive(Clone, Debug)]
pub struct Batch {
    pub msgs: Vec<GenMsg>,
    pub datagram: Vec<u8>,
}

impl Batch {
    /// Some message's nlmsg_len lies, so the kernel may read headers out of payloads.
    /// A message of the batch may have changed the config (a misframed batch may hold a
    /// config-set the kernel reads from inside another message).
    pub fn may_set_config(&self, family: u16) -> bool {
        self.misframed() || self.msgs.iter().any(|m| m.may_set_config(family))
    }

    pub fn misframed(&self) -> bool {
        self.msgs.iter().any(|m| !m.frames_cleanly())
    }
}

/// Mixes a seed and a batch number into the batch's own PRNG seed.
pub fn batch_seed(seed: u64, batch_no: u64) -> u64 {
    let mut r = Rng::new(seed ^ batch_no.wrapping_mul(0xd6e8_feb8_6659_fd93));
    r.next_u64()
}

/// Batch `batch_no` of `seed`; its messages use seq numbers first_seq, first_seq + 1, ...
pub fn gen_batch(seed: u64, batch_no: u64, family: u16, first_seq: u32) -> Batch {
    let mut rng = Rng::new(batch_seed(seed, batch_no));
    let n = if rng.chance(1, 2) {
        1
    } else {
        rng.range(2, 8) as usize
    };
    let mut msgs = Vec::with_capacity(n);
    for j in 0..n {
        let seq = first_seq.wrapping_add(j as u32);
        msgs.push(gen_msg(&mut rng, family, seq));
    }
    downgrade_after_surprises(&mut msgs, family);
    let datagram = batch(&msgs.iter().map(|m| m.bytes.clone()).collect::<Vec<_>>());
    Batch { msgs, datagram }
}

/// A valid request keeps its exact expectation only if nothing before it in the datagram
/// can change its fate: a message with a lying nlmsg_len (the kernel may stop, or misread
/// what follows) or, for a dump, an earlier request that may have left a dump running on
/// the socket (the next dump then gets EBUSY).
fn downgrade_after_surprises(msgs: &mut [GenMsg], family: u16) {
    let mut misframe = false;
    let mut dump_may_run = false;
    let mut config_may_change = false;
    for m in msgs.iter_mut() {
        if misframe || (dump_may_run && m.is_dump(family)) || (config_may_change && m.reads_config)
        {
            m.exact = None;
        }
        if m.may_set_config(family) {
            config_may_change = true;
        }
        if !m.frames_cleanly() {
            misframe = true;
        }
        // Exact dumps are small enough to end inside their first skb.
        if m.is_dump(family) && m.exact.is_none() {
            dump_may_run = true;
        }
    }
}

fn gen_msg(rng: &mut Rng, family: u16, seq: u32) -> GenMsg {
    match rng.below(100) {
        0..=16 => valid_echo(rng, family, seq),
        17..=24 => valid_dump(rng, family, seq),
        25..=28 => valid_reply_with_err(rng, family, seq),
        29..=31 => valid_config_get(rng, family, seq),
        32..=34 => valid_config_set(rng, family, seq),
        35..=64 => structured(rng, family, seq),
        _ => mutated(rng, family, seq),
    }
}

/// A MSG length: mostly short, sometimes around the maximum.
fn msg_len(rng: &mut Rng) -> usize {
    match rng.below(10) {
        0..=6 => rng.below(48) as usize,
        7 | 8 => rng.below(600) as usize,
        _ => rng.range(MSG_MAX_LEN as u64 - 8, MSG_MAX_LEN as u64) as usize,
    }
}

fn valid_echo(rng: &mut Rng, family: u16, seq: u32) -> GenMsg {
    let flags = NLM_F_REQUEST | *rng.pick(&[0, NLM_F_ACK, NLM_F_ECHO, NLM_F_ACK | NLM_F_ECHO]);
    let len = msg_len(rng);
    let text = rng.text(len);
    let mut exact = vec![Exp::Echo(text.clone())];
    if flags & NLM_F_ACK != 0 {
        exact.push(Exp::Ack);
    }
    GenMsg {
        bytes: msg::echo(family, flags, seq, &text),
        seq,
        exact: Some(exact),
        origin: "valid echo",
        reads_config: false,
    }
}

fn valid_dump(rng: &mut Rng, family: u16, seq: u32) -> GenMsg {
    let flags = NLM_F_REQUEST | NLM_F_DUMP | *rng.pick(&[0, NLM_F_ACK]);
    let count = if rng.chance(1, 4) {
        None
    } else {
        Some(rng.range(1, 16) as u32)
    };
    let len = rng.below(64) as usize;
    let text = if rng.chance(1, 4) {
        None
    } else {
        Some(rng.text(len))
    };
    let mut m = Msg::genl(family, CMD_ECHO_MSG, flags, seq);
    // Either order of the attributes is valid.
    let count_first = rng.chance(1, 2);
    if let (Some(c), true) = (count, count_first) {
        m = m.attr_u32(A_DUMP_COUNT, c);
    }
    if let Some(t) = &text {
        m = m.attr_str(A_MSG, t);
    }
    if let (Some(c), false) = (count, count_first) {
        m = m.attr_u32(A_DUMP_COUNT, c);
    }
    GenMsg {
        bytes: m.finish(),
        seq,
        exact: Some(vec![Exp::Dump {
            count: count.unwrap_or(DUMP_DEFAULT_COUNT),
            msg: text.unwrap_or_else(|| DUMP_DEFAULT_MSG.as_bytes().to_vec()),
        }]),
        origin: "valid dump",
        reads_config: true,
    }
}

fn valid_reply_with_err(rng: &mut Rng, family: u16, seq: u32) -> GenMsg {
    let flags = NLM_F_REQUEST | *rng.pick(&[0, NLM_F_ACK]);
    let mut m = Msg::genl(family, CMD_REPLY_WITH_NLMSG_ERR, flags, seq);
    let with_msg = rng.chance(1, 2);
    if with_msg {
        let len = msg_len(rng);
        m = m.attr_str(A_MSG, &rng.text(len));
    }
    GenMsg {
        bytes: m.finish(),
        seq,
        exact: Some(vec![Exp::Err {
            errno: libc::EINVAL,
            text: ALWAYS_FAILS,
            offs: with_msg.then_some((NLMSG_HDRLEN + GENL_HDRLEN) as u32),
        }]),
        origin: "valid reply_with_nlmsg_err",
        reads_config: false,
    }
}

/// A config-get: the defaults every batch starts with, unless a set came before it.
fn valid_config_get(rng: &mut Rng, family: u16, seq: u32) -> GenMsg {
    let flags = NLM_F_REQUEST | *rng.pick(&[0, NLM_F_ACK]);
    let mut exact = vec![Exp::Config {
        cmd: CMD_CONFIG_GET,
        count: DUMP_DEFAULT_COUNT,
        msg: DUMP_DEFAULT_MSG.as_bytes().to_vec(),
    }];
    if flags & NLM_F_ACK != 0 {
        exact.push(Exp::Ack);
    }
    GenMsg {
        bytes: Msg::genl(family, CMD_CONFIG_GET, flags, seq).finish(),
        seq,
        exact: Some(exact),
        origin: "valid config-get",
        reads_config: true,
    }
}

/// A config-set of both values (so that its echo does not depend on the config before
/// it); NLM_F_ECHO gets the notification back before the ACK.
fn valid_config_set(rng: &mut Rng, family: u16, seq: u32) -> GenMsg {
    let flags = NLM_F_REQUEST | *rng.pick(&[0, NLM_F_ACK, NLM_F_ECHO, NLM_F_ACK | NLM_F_ECHO]);
    let count = rng.range(u64::from(DUMP_MIN_COUNT), 64) as u32;
    let len = msg_len(rng);
    let text = rng.text(len);
    let mut exact = Vec::new();
    if flags & NLM_F_ECHO != 0 {
        exact.push(Exp::Config {
            cmd: CMD_CONFIG_NTF,
            count,
            msg: text.clone(),
        });
    }
    if flags & NLM_F_ACK != 0 {
        exact.push(Exp::Ack);
    }
    GenMsg {
        bytes: Msg::genl(family, CMD_CONFIG_SET, flags, seq)
            .attr_u32(A_CONFIG_DUMP_COUNT, count)
            .attr_str(A_CONFIG_DUMP_MSG, &text)
            .finish(),
        seq,
        exact: Some(exact),
        origin: "valid config-set",
        reads_config: false,
    }
}

const SAFE_TYPES: &[u16] = &[
    NLMSG_NOOP,
    NLMSG_ERROR,
    NLMSG_DONE,
    NLMSG_OVERRUN,
    0,
    0xfff0,
];

fn safe_type(rng: &mut Rng, family: u16) -> u16 {
    if rng.chance(19, 20) {
        family
    } else {
        *rng.pick(SAFE_TYPES)
    }
}

fn random_flags(rng: &mut Rng) -> u16 {
    const R: u16 = NLM_F_REQUEST;
    const SETS: &[u16] = &[
        R,
        R | NLM_F_ACK,
        R | NLM_F_ECHO,
        R | NLM_F_DUMP,
        R | NLM_F_DUMP | NLM_F_ACK,
        0,
        NLM_F_ACK,
        R | NLM_F_MULTI,
        R | NLM_F_ROOT,
        R | NLM_F_MATCH,
        R | NLM_F_DUMP | NLM_F_ATOMIC,
        R | NLM_F_DUMP_INTR,
    ];
    if rng.chance(1, 10) {
        rng.next_u32() as u16
    } else {
        *rng.pick(SETS)
    }
}

fn interesting_u32(rng: &mut Rng) -> u32 {
    let small = rng.below(40) as u32;
    let any = rng.next_u32();
    *rng.pick(&[
        0,
        1,
        2,
        3,
        16,
        DUMP_MAX_COUNT,
        DUMP_MAX_COUNT + 1,
        u32::MAX,
        0x8000_0000,
        small,
        any,
    ])
}

/// One attribute built from the protocol's pieces, valid or not.
fn random_attr(rng: &mut Rng, m: Msg) -> Msg {
    let mut ty = *rng.pick(&[
        A_UNSPEC,
        A_MSG,
        A_MSG,
        A_DUMP_COUNT,
        A_DUMP_COUNT,
        A_DUMP_INDEX,
        A_CONFIG_DUMP_COUNT,
        A_CONFIG_DUMP_COUNT,
        A_CONFIG_DUMP_MSG,
        A_CONFIG_DUMP_MSG,
        9,
    ]);
    if rng.chance(1, 20) {
        ty = rng.next_u32() as u16;
    }
    if rng.chance(1, 10) {
        ty |= *rng.pick(&[NLA_F_NESTED, NLA_F_NET_BYTEORDER]);
    }
    match rng.below(10) {
        0 | 1 => {
            let len = msg_len(rng);
            m.attr_str(ty, &rng.text(len))
        }
        2 => {
            let len = rng.below(16) as usize;
            m.attr(ty, &rng.text(len))
        }
        3 => m.attr(ty, &[]),
        4 | 5 => m.attr_u32(ty, interesting_u32(rng)),
        6 => {
            if rng.chance(1, 2) {
                m.attr_u16(ty, rng.next_u32() as u16)
            } else {
                m.attr_u64(ty, u64::from(interesting_u32(rng)))
            }
        }
        7 => {
            let inner = rng.range(0, 2);
            let mut inner_attrs = Vec::new();
            for _ in 0..inner {
                inner_attrs.push((A_MSG + rng.below(3) as u16, rng.text(3)));
            }
            m.nested(ty, |mut n| {
                for (t, v) in &inner_attrs {
                    n = n.attr_str(*t, v);
                }
                n
            })
        }
        8 => {
            let len = rng.below(12) as usize;
            let payload = rng.bytes(len);
            m.attr(ty, &payload)
        }
        _ => {
            // nla_len disagreeing with what follows.
            let claimed = *rng.pick(&[0u16, 1, 3, 4, 5, 8, 200, u16::MAX]);
            let len = rng.below(8) as usize;
            m.attr_hdr(claimed, ty).raw(&rng.bytes(len))
        }
    }
}

fn structured(rng: &mut Rng, family: u16, seq: u32) -> GenMsg {
    let ty = safe_type(rng, family);
    let flags = random_flags(rng);
    let any_cmd = rng.next_u32() as u8;
    let cmd = *rng.pick(&[
        CMD_UNSPEC,
        CMD_ECHO_MSG,
        CMD_ECHO_MSG,
        CMD_ECHO_MSG,
        CMD_REPLY_WITH_NLMSG_ERR,
        CMD_REPLY_WITH_NLMSG_ERR,
        CMD_CONFIG_GET,
        CMD_CONFIG_GET,
        CMD_CONFIG_SET,
        CMD_CONFIG_SET,
        CMD_CONFIG_SET,
        CMD_CONFIG_NTF,
        CMD_MAX + 1,
        any_cmd,
    ]);
    let version = if rng.chance(4, 5) {
        FAMILY_VERSION
    } else {
        rng.next_u32() as u8
    };
    let reserved = if rng.chance(9, 10) {
        0
    } else {
        rng.next_u32() as u16
    };
    let mut m = Msg::genl_full(ty, cmd, version, reserved, flags, seq);
    for _ in 0..rng.below(5) {
        m = random_attr(rng, m);
    }
    if rng.chance(1, 20) {
        let n = rng.range(1, 3) as usize;
        m = m.raw(&rng.bytes(n));
    }
    GenMsg {
        bytes: m.finish(),
        seq,
        exact: None,
        origin: "structured random",
        reads_config: false,
    }
}

/// Offsets a byte mutation may touch: not nlmsg_type (4..6) nor nlmsg_seq (8..12).
fn mutable_offset(rng: &mut Rng, len: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    for _ in 0..8 {
        let p = rng.below(len as u64) as usize;
        if !(4..6).contains(&p) && !(8..12).contains(&p) {
            return Some(p);
        }
    }
    None
}

fn set_len(b: &mut [u8], len: u32) {
    if b.len() >= 4 {
        b[..4].copy_from_slice(&len.to_ne_bytes());
    }
}

fn mutated(rng: &mut Rng, family: u16, seq: u32) -> GenMsg {
    let base = match rng.below(5) {
        0 => valid_echo(rng, family, seq),
        1 => valid_dump(rng, family, seq),
        2 => valid_config_get(rng, family, seq),
        3 => valid_config_set(rng, family, seq),
        _ => valid_reply_with_err(rng, family, seq),
    };
    let mut b = base.bytes;
    for _ in 0..rng.range(1, 4) {
        match rng.below(10) {
            0 | 1 => {
                if let Some(p) = mutable_offset(rng, b.len()) {
                    b[p] ^= 1 << rng.below(8);
                }
            }
            2 => {
                if let Some(p) = mutable_offset(rng, b.len()) {
                    b[p] = rng.next_u32() as u8;
                }
            }
            3 => {
                let cut = rng.below(b.len() as u64 + 1) as usize;
                b.truncate(cut);
                if rng.chance(1, 2) {
                    set_len(&mut b, cut as u32);
                }
            }
            4 => {
                let n = rng.range(1, 16) as usize;
                b.extend_from_slice(&rng.bytes(n));
                if rng.chance(1, 2) {
                    let l = b.len() as u32;
                    set_len(&mut b, l);
                }
            }
            5 => {
                let l = b.len() as u32;
                let v = *rng.pick(&[0, 8, 15, 16, 17, 19, 20, l.saturating_sub(1), l + 1, l + 4]);
                set_len(&mut b, v);
            }
            6 => {
                // The first attribute's nla_len.
                if b.len() >= 22 {
                    let v = rng.next_u32() as u16;
                    b[20..22].copy_from_slice(&v.to_ne_bytes());
                }
            }
            7 => {
                // Every attribute twice.
                if b.len() > 20 {
                    let attrs = b[20..].to_vec();
                    b.resize(align4(b.len()), 0);
                    b.extend_from_slice(&attrs);
                    let l = b.len() as u32;
                    set_len(&mut b, l);
                }
            }
            8 => {
                if b.len() >= 8 {
                    let t = safe_type(rng, family);
                    b[4..6].copy_from_slice(&t.to_ne_bytes());
                    let f = random_flags(rng);
                    b[6..8].copy_from_slice(&f.to_ne_bytes());
                }
            }
            _ => {
                // The genetlink header: cmd, version, reserved.
                if b.len() >= 20 {
                    let p = 16 + rng.below(4) as usize;
                    b[p] = rng.next_u32() as u8;
                }
            }
        }
    }
    // A cut followed by an extension can leave random bytes where the type and seq were:
    // put them back, keeping the promises above.
    if b.len() >= 6 {
        let ty = u16::from_ne_bytes([b[4], b[5]]);
        if ty != family && !SAFE_TYPES.contains(&ty) {
            b[4..6].copy_from_slice(&family.to_ne_bytes());
        }
    }
    if b.len() >= 12 {
        b[8..12].copy_from_slice(&seq.to_ne_bytes());
    }
    GenMsg {
        bytes: b,
        seq,
        exact: None,
        origin: "mutated",
        reads_config: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    const FAM: u16 = 0x1d;

    #[test]
    fn same_seed_and_batch_same_bytes() {
        for b in 0..200 {
            let x = gen_batch(7, b, FAM, 100);
            let y = gen_batch(7, b, FAM, 100);
            assert_eq!(x.datagram, y.datagram);
        }
        assert_ne!(
            gen_batch(7, 0, FAM, 1).datagram,
            gen_batch(8, 0, FAM, 1).datagram
        );
    }

    #[test]
    fn valid_messages_parse_as_built() {
        let mut rng = Rng::new(11);
        for i in 0..2000 {
            let m = match i % 3 {
                0 => valid_echo(&mut rng, FAM, i),
                1 => valid_dump(&mut rng, FAM, i),
                _ => valid_reply_with_err(&mut rng, FAM, i),
            };
            assert!(m.frames_cleanly());
            let msgs = parse::split(&m.bytes).unwrap();
            assert_eq!(msgs.len(), 1);
            assert_eq!(msgs[0].hdr.seq, i);
            assert!(parse::attrs(&msgs[0].payload[GENL_HDRLEN..]).is_ok());
            assert!(m.exact.is_some());
        }
    }

    #[test]
    fn mutations_keep_type_and_seq_safe() {
        let mut rng = Rng::new(12);
        for i in 0..5000 {
            let m = mutated(&mut rng, FAM, i);
            if let Some(h) = parse::NlHeader::parse(&m.bytes) {
                assert!(
                    h.nl_type == FAM || SAFE_TYPES.contains(&h.nl_type),
                    "type {:#x}",
                    h.nl_type
                );
                assert_eq!(h.seq, i);
            }
        }
    }

    #[test]
    fn exactness_is_dropped_after_a_lying_length() {
        let mut rng = Rng::new(13);
        let mut liar = valid_echo(&mut rng, FAM, 1);
        set_len(&mut liar.bytes, 8);
        liar.exact = None;
        let after = valid_echo(&mut rng, FAM, 2);
        let mut msgs = vec![liar, after];
        downgrade_after_surprises(&mut msgs, FAM);
        assert!(msgs[1].exact.is_none());
    }

    #[test]
    fn a_dump_after_a_possibly_running_dump_is_not_exact() {
        let mut rng = Rng::new(14);
        let unknown = GenMsg {
            bytes: msg::dump(FAM, 1, Some(DUMP_MAX_COUNT), None),
            seq: 1,
            exact: None,
            origin: "test",
            reads_config: false,
        };
        let echo = valid_echo(&mut rng, FAM, 2);
        let dump = valid_dump(&mut rng, FAM, 3);
        let mut msgs = vec![unknown, echo, dump];
        downgrade_after_surprises(&mut msgs, FAM);
        assert!(msgs[1].exact.is_some());
        assert!(msgs[2].exact.is_none());
    }

    #[test]
    fn every_kind_is_generated() {
        let mut seen = std::collections::BTreeSet::new();
        for b in 0..500 {
            for m in gen_batch(3, b, FAM, 0).msgs {
                seen.insert(m.origin);
            }
        }
        assert_eq!(seen.len(), 7, "{seen:?}");
    }

    #[test]
    fn what_reads_the_config_after_a_possible_set_is_not_exact() {
        let mut rng = Rng::new(15);
        let set = valid_config_set(&mut rng, FAM, 1);
        assert!(set.may_set_config(FAM));
        let echo = valid_echo(&mut rng, FAM, 2);
        let get = valid_config_get(&mut rng, FAM, 3);
        let dump = valid_dump(&mut rng, FAM, 4);
        let mut msgs = vec![set, echo, get, dump];
        downgrade_after_surprises(&mut msgs, FAM);
        assert!(msgs[0].exact.is_some());
        assert!(msgs[1].exact.is_some());
        assert!(msgs[2].exact.is_none());
        assert!(msgs[3].exact.is_none());
    }

    #[test]
    fn a_get_before_any_set_stays_exact() {
        let mut rng = Rng::new(16);
        let get = valid_config_get(&mut rng, FAM, 1);
        let set = valid_config_set(&mut rng, FAM, 2);
        assert!(!get.may_set_config(FAM));
        let mut msgs = vec![get, set];
        downgrade_after_surprises(&mut msgs, FAM);
        assert!(msgs[0].exact.is_some());
    }
}
