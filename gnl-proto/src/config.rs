//! Checked decoding of a namespace's config as the family sends it: the attributes of
//! a `GNL_FOOBAR_XMPL_CMD_CONFIG_GET` reply and of a `GNL_FOOBAR_XMPL_CMD_CONFIG_NTF`
//! notification, which are the same two. Both must be there, within the limits the
//! kernel's policy enforces on the way in: a client holds the kernel to them too.

use std::fmt;

use crate::family::{
    Attr, A_CONFIG_DUMP_COUNT, A_CONFIG_DUMP_MSG, DUMP_MAX_COUNT, DUMP_MIN_COUNT, MSG_MAX_LEN,
};
use crate::wire::{attrs, parse_u32, Malformed};

/// The config of one network namespace: the defaults of a dump request that leaves
/// out `GNL_FOOBAR_XMPL_A_DUMP_COUNT` or `GNL_FOOBAR_XMPL_A_MSG`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT`, in `DUMP_MIN_COUNT..=DUMP_MAX_COUNT`.
    pub dump_count: u32,
    /// `GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG`, at most `MSG_MAX_LEN` bytes; may be empty.
    pub dump_msg: String,
}

/// `dump-count 3, dump-msg 'Hello'`: how the three clients print a config.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "dump-count {}, dump-msg '{}'",
            self.dump_count, self.dump_msg
        )
    }
}

/// Decodes the attributes (after the `genlmsghdr`) of a config reply or
/// notification. Each of the two attributes must appear exactly once; others, which
/// a later version of the family may add, are skipped.
pub fn parse_config(block: &[u8]) -> Result<Config, Malformed> {
    let (mut count, mut msg) = (None, None);
    for attr in attrs(block) {
        let (ty, payload) = attr?;
        let name = Attr::from(ty).name().unwrap_or_default();
        let seen = match ty {
            A_CONFIG_DUMP_COUNT => count.replace(parse_count(payload)?).is_some(),
            A_CONFIG_DUMP_MSG => msg.replace(parse_msg(payload)?).is_some(),
            _ => false,
        };
        if seen {
            return Err(Malformed(format!("{name} appears twice")));
        }
    }
    match (count, msg) {
        (Some(dump_count), Some(dump_msg)) => Ok(Config {
            dump_count,
            dump_msg,
        }),
        (None, _) => Err(Malformed(
            "config without GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT".into(),
        )),
        (_, None) => Err(Malformed(
            "config without GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG".into(),
        )),
    }
}

fn parse_count(payload: &[u8]) -> Result<u32, Malformed> {
    let count = parse_u32(payload)?;
    if !(DUMP_MIN_COUNT..=DUMP_MAX_COUNT).contains(&count) {
        return Err(Malformed(format!(
            "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT {count} is outside \
             {DUMP_MIN_COUNT}..={DUMP_MAX_COUNT}"
        )));
    }
    Ok(count)
}

/// The kernel stores the text with exactly one NUL, at its end, and sends that: a
/// payload without it, or with a NUL before it, is not what the kernel sends.
fn parse_msg(payload: &[u8]) -> Result<String, Malformed> {
    let Some((0, text)) = payload.split_last() else {
        return Err(Malformed(
            "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG does not end with a NUL".into(),
        ));
    };
    if text.contains(&0) {
        return Err(Malformed(
            "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG has a NUL before its end".into(),
        ));
    }
    if text.len() > MSG_MAX_LEN {
        return Err(Malformed(format!(
            "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG of {} bytes, more than {MSG_MAX_LEN}",
            text.len()
        )));
    }
    String::from_utf8(text.to_vec())
        .map_err(|_| Malformed("GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG is not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::A_MSG;
    use crate::testutil::{nla, nlattr_u32};

    fn count(v: u32) -> Vec<u8> {
        nlattr_u32(A_CONFIG_DUMP_COUNT, v)
    }

    fn msg(bytes: &[u8]) -> Vec<u8> {
        nla(A_CONFIG_DUMP_MSG, bytes)
    }

    #[test]
    fn reads_both_attributes_in_either_order() {
        let want = Config {
            dump_count: 3,
            dump_msg: "Hello".into(),
        };
        assert_eq!(
            parse_config(&[count(3), msg(b"Hello\0")].concat()),
            Ok(want.clone())
        );
        assert_eq!(
            parse_config(&[msg(b"Hello\0"), count(3)].concat()),
            Ok(want)
        );
    }

    #[test]
    fn prints_as_the_clients_do() {
        let c = Config {
            dump_count: 5,
            dump_msg: "x".into(),
        };
        assert_eq!(c.to_string(), "dump-count 5, dump-msg 'x'");
    }

    #[test]
    fn accepts_the_limits_and_the_empty_text() {
        let longest = [vec![b'm'; MSG_MAX_LEN], vec![0]].concat();
        for (n, text) in [(DUMP_MIN_COUNT, &b"\0"[..]), (DUMP_MAX_COUNT, &longest)] {
            let c = parse_config(&[count(n), msg(text)].concat()).unwrap();
            assert_eq!(c.dump_count, n);
            assert_eq!(c.dump_msg.len(), text.len() - 1);
        }
    }

    #[test]
    fn skips_attributes_it_does_not_know() {
        let block = [nla(A_MSG, b"other\0"), count(2), msg(b"a\0"), nla(99, &[1])].concat();
        assert_eq!(parse_config(&block).unwrap().dump_count, 2);
    }

    #[test]
    fn refuses_what_the_kernel_never_sends() {
        let too_long = [vec![b'm'; MSG_MAX_LEN + 1], vec![0]].concat();
        let cases: [(&str, Vec<u8>); 12] = [
            ("nothing", vec![]),
            ("no count", msg(b"a\0")),
            ("no msg", count(3)),
            ("count 0", [count(0), msg(b"a\0")].concat()),
            (
                "count above the maximum",
                [count(DUMP_MAX_COUNT + 1), msg(b"a\0")].concat(),
            ),
            (
                "a 2-byte count",
                [nla(A_CONFIG_DUMP_COUNT, &[3, 0]), msg(b"a\0")].concat(),
            ),
            ("msg without NUL", [count(3), msg(b"abc")].concat()),
            ("empty msg payload", [count(3), msg(b"")].concat()),
            ("NUL inside msg", [count(3), msg(b"a\0b\0")].concat()),
            ("msg too long", [count(3), msg(&too_long)].concat()),
            ("msg not UTF-8", [count(3), msg(b"\xff\0")].concat()),
            ("count twice", [count(3), msg(b"a\0"), count(4)].concat()),
        ];
        for (what, block) in cases {
            assert!(parse_config(&block).is_err(), "{what}");
        }
    }

    #[test]
    fn truncated_configs_never_panic() {
        let full = [count(3), msg(b"Hello from the dump\0")].concat();
        for len in 0..full.len() {
            assert!(parse_config(&full[..len]).is_err(), "cut at {len}");
        }
    }
}
