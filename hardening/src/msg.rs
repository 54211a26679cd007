//! Building request bytes by hand: well-formed ones, and -- since these are hardening tests --
//! any malformed variant a test asks for (a wrong nlmsg_len, a stray byte, a bad attribute).
//!
//! Layout of one Generic Netlink request (every part 4-byte aligned):
//!   nlmsghdr (16: len, type, flags, seq, pid) | genlmsghdr (4: cmd, version, reserved u16)
//!   | attributes: nlattr (4: len, type) + payload + padding to 4.
//! nlmsg_len covers the attributes' padding; nla_len does not cover its own padding.

use crate::proto::*;

/// `genlmsghdr.version` of a family query: nlctrl's own version (2); the controller does
/// not check it.
const CTRL_VERSION: u8 = 2;

/// One netlink message under construction. `finish` writes nlmsg_len.
#[derive(Clone, Debug)]
pub struct Msg {
    buf: Vec<u8>,
}

impl Msg {
    /// A bare netlink header with no payload yet.
    pub fn new(nl_type: u16, flags: u16, seq: u32, pid: u32) -> Self {
        let mut buf = Vec::with_capacity(64);
        buf.extend_from_slice(&0u32.to_ne_bytes());
        buf.extend_from_slice(&nl_type.to_ne_bytes());
        buf.extend_from_slice(&flags.to_ne_bytes());
        buf.extend_from_slice(&seq.to_ne_bytes());
        buf.extend_from_slice(&pid.to_ne_bytes());
        Msg { buf }
    }

    /// A Generic Netlink request: netlink header plus genlmsghdr (reserved = 0).
    pub fn genl(family: u16, cmd: u8, flags: u16, seq: u32) -> Self {
        Self::genl_full(family, cmd, FAMILY_VERSION, 0, flags, seq)
    }

    /// A Generic Netlink request with every header field chosen by the caller.
    pub fn genl_full(
        family: u16,
        cmd: u8,
        version: u8,
        reserved: u16,
        flags: u16,
        seq: u32,
    ) -> Self {
        let mut m = Self::new(family, flags, seq, 0);
        m.buf.push(cmd);
        m.buf.push(version);
        m.buf.extend_from_slice(&reserved.to_ne_bytes());
        m
    }

    /// Appends bytes as they are, without alignment (for truncated or stray data).
    pub fn raw(mut self, bytes: &[u8]) -> Self {
        self.buf.extend_from_slice(bytes);
        self
    }

    /// Appends an attribute with the given payload, padded to 4 bytes.
    pub fn attr(self, ty: u16, payload: &[u8]) -> Self {
        let len = NLA_HDRLEN + payload.len();
        // nla_len is a u16: larger payloads are a caller bug, not a test case (use attr_hdr).
        let len16 = u16::try_from(len).expect("attribute longer than 65535 bytes");
        self.attr_hdr(len16, ty).raw(payload).pad()
    }

    /// Appends only an attribute header with any nla_len, true or not.
    pub fn attr_hdr(self, nla_len: u16, ty: u16) -> Self {
        let mut hdr = [0u8; 4];
        hdr[..2].copy_from_slice(&nla_len.to_ne_bytes());
        hdr[2..].copy_from_slice(&ty.to_ne_bytes());
        self.raw(&hdr)
    }

    /// A NUL-terminated string attribute (what NLA_NUL_STRING expects).
    pub fn attr_str(self, ty: u16, s: &[u8]) -> Self {
        let mut v = Vec::with_capacity(s.len() + 1);
        v.extend_from_slice(s);
        v.push(0);
        self.attr(ty, &v)
    }

    pub fn attr_u16(self, ty: u16, v: u16) -> Self {
        self.attr(ty, &v.to_ne_bytes())
    }

    pub fn attr_u32(self, ty: u16, v: u32) -> Self {
        self.attr(ty, &v.to_ne_bytes())
    }

    pub fn attr_u64(self, ty: u16, v: u64) -> Self {
        self.attr(ty, &v.to_ne_bytes())
    }

    /// A nested attribute (NLA_F_NESTED set) holding the attributes `inner` builds.
    pub fn nested(self, ty: u16, inner: impl FnOnce(Msg) -> Msg) -> Self {
        let body = inner(Msg { buf: Vec::new() }).buf;
        self.attr(ty | NLA_F_NESTED, &body)
    }

    /// Pads with zeroes to the next 4-byte boundary.
    pub fn pad(mut self) -> Self {
        self.buf.resize(align4(self.buf.len()), 0);
        self
    }

    /// Bytes so far (nlmsg_len not yet written).
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The message, with nlmsg_len = its true length.
    pub fn finish(self) -> Vec<u8> {
        let len = self.buf.len() as u32;
        self.finish_with_len(len)
    }

    /// The message, with any nlmsg_len the caller wants (for malformed cases).
    pub fn finish_with_len(mut self, nlmsg_len: u32) -> Vec<u8> {
        if self.buf.len() >= 4 {
            self.buf[..4].copy_from_slice(&nlmsg_len.to_ne_bytes());
        }
        self.buf
    }
}

/// Several messages for one sendmsg, each starting at a 4-byte boundary.
pub fn batch(msgs: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in msgs {
        out.resize(align4(out.len()), 0);
        out.extend_from_slice(m);
    }
    out
}

/// An echo request: ECHO_MSG with MSG = `text` + NUL.
pub fn echo(family: u16, flags: u16, seq: u32, text: &[u8]) -> Vec<u8> {
    Msg::genl(family, CMD_ECHO_MSG, flags, seq)
        .attr_str(A_MSG, text)
        .finish()
}

/// A dump request: ECHO_MSG with NLM_F_DUMP, optional DUMP_COUNT and MSG.
pub fn dump(family: u16, seq: u32, count: Option<u32>, text: Option<&[u8]>) -> Vec<u8> {
    let mut m = Msg::genl(family, CMD_ECHO_MSG, NLM_F_REQUEST | NLM_F_DUMP, seq);
    if let Some(c) = count {
        m = m.attr_u32(A_DUMP_COUNT, c);
    }
    if let Some(t) = text {
        m = m.attr_str(A_MSG, t);
    }
    m.finish()
}

/// nlctrl's CTRL_CMD_GETFAMILY for one family name.
pub fn get_family(name: &str, seq: u32) -> Vec<u8> {
    Msg::genl_full(
        GENL_ID_CTRL,
        CTRL_CMD_GETFAMILY,
        CTRL_VERSION,
        0,
        NLM_F_REQUEST,
        seq,
    )
    .attr_str(CTRL_ATTR_FAMILY_NAME, name.as_bytes())
    .finish()
}

/// Offsets (from the start of the message) of the top-level attributes of a request built
/// above, walking nla_len the way the kernel does; stops at the first one that does not fit.
/// Extended ACKs report an offending attribute by this offset (NLMSGERR_ATTR_OFFS).
pub fn attr_offsets(msg: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let end = match msg.get(..4) {
        Some(b) => (u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as usize).min(msg.len()),
        None => return out,
    };
    let mut off = NLMSG_HDRLEN + GENL_HDRLEN;
    while off + NLA_HDRLEN <= end {
        let nla_len = u16::from_ne_bytes([msg[off], msg[off + 1]]) as usize;
        if nla_len < NLA_HDRLEN || off + nla_len > end {
            break;
        }
        out.push(off);
        off += align4(nla_len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_layout_is_aligned_and_sized() {
        let m = echo(0x20, NLM_F_REQUEST, 7, b"abc");
        // 16 nlmsghdr + 4 genlhdr + 4 nlattr + "abc\0" = 28, already aligned.
        assert_eq!(m.len(), 28);
        assert_eq!(u32::from_ne_bytes(m[0..4].try_into().unwrap()), 28);
        assert_eq!(u16::from_ne_bytes(m[4..6].try_into().unwrap()), 0x20);
        assert_eq!(
            u16::from_ne_bytes(m[6..8].try_into().unwrap()),
            NLM_F_REQUEST
        );
        assert_eq!(u32::from_ne_bytes(m[8..12].try_into().unwrap()), 7);
        assert_eq!(&m[16..20], &[CMD_ECHO_MSG, FAMILY_VERSION, 0, 0]);
        assert_eq!(u16::from_ne_bytes(m[20..22].try_into().unwrap()), 8);
        assert_eq!(u16::from_ne_bytes(m[22..24].try_into().unwrap()), A_MSG);
        assert_eq!(&m[24..28], b"abc\0");
    }

    #[test]
    fn attribute_padding_is_counted_in_nlmsg_len_not_nla_len() {
        let m = Msg::genl(0x20, CMD_ECHO_MSG, NLM_F_REQUEST, 1)
            .attr_str(A_MSG, b"abcd")
            .finish();
        // nla_len = 4 + 5 = 9, padded to 12; nlmsg_len = 20 + 12.
        assert_eq!(u16::from_ne_bytes(m[20..22].try_into().unwrap()), 9);
        assert_eq!(m.len(), 32);
        assert_eq!(&m[29..32], &[0, 0, 0]);
    }

    #[test]
    fn nested_sets_the_flag_and_wraps_inner_attributes() {
        let m = Msg::genl(0x20, CMD_ECHO_MSG, NLM_F_REQUEST, 1)
            .nested(A_DUMP_COUNT, |n| n.attr_u32(A_DUMP_COUNT, 5))
            .finish();
        assert_eq!(u16::from_ne_bytes(m[20..22].try_into().unwrap()), 12);
        assert_eq!(
            u16::from_ne_bytes(m[22..24].try_into().unwrap()),
            A_DUMP_COUNT | NLA_F_NESTED
        );
        assert_eq!(u16::from_ne_bytes(m[24..26].try_into().unwrap()), 8);
        assert_eq!(u32::from_ne_bytes(m[28..32].try_into().unwrap()), 5);
    }

    #[test]
    fn finish_with_len_lies_on_purpose() {
        let m = Msg::new(0x20, 0, 0, 0).finish_with_len(9999);
        assert_eq!(u32::from_ne_bytes(m[0..4].try_into().unwrap()), 9999);
        assert_eq!(m.len(), 16);
    }

    #[test]
    fn batch_aligns_each_message() {
        let a = Msg::new(0x20, 0, 1, 0).raw(&[1]).finish(); // 17 bytes
        let b = Msg::new(0x20, 0, 2, 0).finish();
        let out = batch(&[a, b]);
        assert_eq!(out.len(), 20 + 16);
        assert_eq!(u32::from_ne_bytes(out[28..32].try_into().unwrap()), 2);
    }

    #[test]
    fn attr_offsets_walks_like_the_kernel() {
        let m = Msg::genl(0x20, CMD_ECHO_MSG, NLM_F_REQUEST, 1)
            .attr_str(A_MSG, b"abcd")
            .attr_u32(A_DUMP_COUNT, 1)
            .finish();
        assert_eq!(attr_offsets(&m), vec![20, 32]);
        // A lying nla_len stops the walk.
        let bad = Msg::genl(0x20, CMD_ECHO_MSG, NLM_F_REQUEST, 1)
            .attr_hdr(200, A_MSG)
            .raw(b"abcd")
            .finish();
        assert_eq!(attr_offsets(&bad), Vec::<usize>::new());
        assert_eq!(attr_offsets(&[1, 2]), Vec::<usize>::new());
    }
}
