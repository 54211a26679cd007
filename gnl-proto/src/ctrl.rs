//! Checked decoding of what the genl controller (nlctrl) says about a family: the
//! attributes of its `CTRL_CMD_GETFAMILY` reply and of the `CTRL_CMD_NEWFAMILY` /
//! `CTRL_CMD_DELFAMILY` notifications, including the table of multicast groups a
//! listener needs to find a group's id by its name.

use crate::netlink::{
    CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_ID,
    CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_VERSION,
};
use crate::wire::{attrs, parse_string, parse_u16, parse_u32, Malformed};

/// One multicast group of a family, as the controller lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct McastGroup {
    /// `CTRL_ATTR_MCAST_GRP_NAME`, e.g. `"config"`.
    pub name: String,
    /// `CTRL_ATTR_MCAST_GRP_ID`: what `NETLINK_ADD_MEMBERSHIP` takes. The kernel
    /// numbers groups globally, in registration order, so it can be above 32.
    pub id: u32,
}

/// A family as the controller describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FamilyInfo {
    /// `CTRL_ATTR_FAMILY_ID`: the `nlmsg_type` of the family's messages.
    pub id: u16,
    /// `CTRL_ATTR_FAMILY_NAME`.
    pub name: String,
    /// `CTRL_ATTR_VERSION`: the version the family registered with (0 if absent).
    pub version: u32,
    /// `CTRL_ATTR_MCAST_GROUPS`, in the controller's order; empty without groups.
    pub mcast_groups: Vec<McastGroup>,
}

impl FamilyInfo {
    /// The id of the family's group `name`, if it has one of that name.
    pub fn group_id(&self, name: &str) -> Option<u32> {
        self.mcast_groups
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.id)
    }
}

/// Decodes the attributes (after the `genlmsghdr`) of a controller message that
/// describes a family. The id and the name are required, as the kernel always sends
/// them; each group needs a name and a non-zero id. Attributes the controller adds
/// and this does not use (ops, policies) are skipped, their lengths still checked.
pub fn parse_family(block: &[u8]) -> Result<FamilyInfo, Malformed> {
    let (mut id, mut name, mut version, mut groups) = (None, None, 0, Vec::new());
    for attr in attrs(block) {
        let (ty, payload) = attr?;
        match ty {
            CTRL_ATTR_FAMILY_ID => id = Some(parse_u16(payload)?),
            CTRL_ATTR_FAMILY_NAME => name = Some(parse_string(payload)?),
            CTRL_ATTR_VERSION => version = parse_u32(payload)?,
            CTRL_ATTR_MCAST_GROUPS => groups = parse_mcast_groups(payload)?,
            _ => {}
        }
    }
    let Some(id) = id else {
        return Err(Malformed(
            "nlctrl message without CTRL_ATTR_FAMILY_ID".into(),
        ));
    };
    let Some(name) = name else {
        return Err(Malformed(
            "nlctrl message without CTRL_ATTR_FAMILY_NAME".into(),
        ));
    };
    Ok(FamilyInfo {
        id,
        name,
        version,
        mcast_groups: groups,
    })
}

/// Only `CTRL_ATTR_FAMILY_ID` of a controller message: enough to tell whether a
/// `CTRL_CMD_DELFAMILY` is about a given family, without holding the rest of the
/// message (which describes some other family, most of the time) to this crate's rules.
pub fn parse_family_id(block: &[u8]) -> Result<u16, Malformed> {
    let mut id = None;
    for attr in attrs(block) {
        let (ty, payload) = attr?;
        if ty == CTRL_ATTR_FAMILY_ID {
            id = Some(parse_u16(payload)?);
        }
    }
    id.ok_or_else(|| Malformed("nlctrl message without CTRL_ATTR_FAMILY_ID".into()))
}

/// The payload of `CTRL_ATTR_MCAST_GROUPS`: one nest per group, whose type is only
/// its position (1, 2, ...), holding the group's name and id.
fn parse_mcast_groups(table: &[u8]) -> Result<Vec<McastGroup>, Malformed> {
    let mut groups = Vec::new();
    for entry in attrs(table) {
        let (_, nest) = entry?;
        let (mut name, mut id) = (None, None);
        for attr in attrs(nest) {
            let (ty, payload) = attr?;
            match ty {
                CTRL_ATTR_MCAST_GRP_NAME => name = Some(parse_string(payload)?),
                CTRL_ATTR_MCAST_GRP_ID => id = Some(parse_u32(payload)?),
                _ => {}
            }
        }
        match (name, id) {
            // Group 0 does not exist: setsockopt() refuses it, bind()'s mask cannot say it.
            (Some(_), Some(0)) => {
                return Err(Malformed("multicast group with id 0".into()));
            }
            (Some(name), Some(id)) => groups.push(McastGroup { name, id }),
            _ => {
                return Err(Malformed(format!(
                    "multicast group {} without CTRL_ATTR_MCAST_GRP_NAME or CTRL_ATTR_MCAST_GRP_ID",
                    groups.len() + 1
                )))
            }
        }
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::NLA_F_NESTED;
    use crate::testutil::{nla, nlattr_u32};

    fn group(index: u16, name: &[u8], id: u32) -> Vec<u8> {
        let mut body = nla(CTRL_ATTR_MCAST_GRP_NAME, name);
        body.extend(nlattr_u32(CTRL_ATTR_MCAST_GRP_ID, id));
        nla(index | NLA_F_NESTED, &body)
    }

    fn family(groups: &[Vec<u8>]) -> Vec<u8> {
        let mut v = nla(CTRL_ATTR_FAMILY_NAME, b"gnl_foobar_xmpl\0");
        v.extend(nla(CTRL_ATTR_FAMILY_ID, &0x25u16.to_ne_bytes()));
        v.extend(nlattr_u32(CTRL_ATTR_VERSION, 1));
        // CTRL_ATTR_HDRSIZE: one the decoder has no use for.
        v.extend(nlattr_u32(4, 0));
        if !groups.is_empty() {
            v.extend(nla(CTRL_ATTR_MCAST_GROUPS, &groups.concat()));
        }
        v
    }

    #[test]
    fn reads_id_name_version_and_every_group() {
        let info = parse_family(&family(&[
            group(1, b"config\0", 7),
            group(2, b"echo\0", 40),
        ]))
        .unwrap();
        assert_eq!(info.id, 0x25);
        assert_eq!(info.name, "gnl_foobar_xmpl");
        assert_eq!(info.version, 1);
        assert_eq!(info.group_id("config"), Some(7));
        assert_eq!(info.group_id("echo"), Some(40), "an id above 32");
        assert_eq!(info.group_id("notify"), None);
    }

    #[test]
    fn group_ids_take_all_32_bits() {
        let info = parse_family(&family(&[group(1, b"config\0", u32::MAX)])).unwrap();
        assert_eq!(info.group_id("config"), Some(u32::MAX));
    }

    #[test]
    fn family_without_groups_has_an_empty_table() {
        let info = parse_family(&family(&[])).unwrap();
        assert!(info.mcast_groups.is_empty());
        let empty_table = [family(&[]), nla(CTRL_ATTR_MCAST_GROUPS, &[])].concat();
        assert!(parse_family(&empty_table).unwrap().mcast_groups.is_empty());
    }

    #[test]
    fn id_and_name_are_required() {
        let no_id = nla(CTRL_ATTR_FAMILY_NAME, b"x\0");
        assert!(parse_family(&no_id).is_err());
        let no_name = nla(CTRL_ATTR_FAMILY_ID, &5u16.to_ne_bytes());
        assert!(parse_family(&no_name).is_err());
        assert_eq!(parse_family_id(&no_name), Ok(5));
        assert!(parse_family_id(&no_id).is_err());
    }

    #[test]
    fn malformed_group_tables_are_refused() {
        let base = family(&[]);
        let with_table = |table: &[u8]| [base.clone(), nla(CTRL_ATTR_MCAST_GROUPS, table)].concat();
        let no_id = nla(1, &nla(CTRL_ATTR_MCAST_GRP_NAME, b"config\0"));
        let no_name = nla(1, &nlattr_u32(CTRL_ATTR_MCAST_GRP_ID, 3));
        let short_id = nla(
            1,
            &[
                nla(CTRL_ATTR_MCAST_GRP_NAME, b"config\0"),
                nla(CTRL_ATTR_MCAST_GRP_ID, &[3, 0]),
            ]
            .concat(),
        );
        let name_without_nul = group(1, b"config", 3);
        let id_zero = group(1, b"config\0", 0);
        // A nest whose nla_len runs past the table.
        let mut overlong = group(1, b"config\0", 3);
        overlong[0] = 200;
        // Bytes inside a group's nest that are not a whole attribute.
        let stray = nla(
            1,
            &[nla(CTRL_ATTR_MCAST_GRP_NAME, b"c\0"), vec![1, 2]].concat(),
        );
        for (what, table) in [
            ("no id", no_id),
            ("no name", no_name),
            ("a 2-byte id", short_id),
            ("a name without NUL", name_without_nul),
            ("id 0", id_zero),
            ("a nest longer than the table", overlong),
            ("stray bytes in a nest", stray),
            ("a table of 3 bytes", vec![8, 0, 1]),
        ] {
            assert!(parse_family(&with_table(&table)).is_err(), "{what}");
        }
    }

    #[test]
    fn family_id_of_the_wrong_width_is_refused() {
        let v = nla(CTRL_ATTR_FAMILY_ID, &5u32.to_ne_bytes());
        assert!(parse_family_id(&v).is_err());
    }

    #[test]
    fn truncated_family_messages_never_panic() {
        let full = family(&[group(1, b"config\0", 7), group(2, b"echo\0", 40)]);
        for len in 0..full.len() {
            let _ = parse_family(&full[..len]);
            let _ = parse_family_id(&full[..len]);
        }
    }
}
