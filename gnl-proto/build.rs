//! Generates the family's constants from include/gnl_foobar_xmpl.h, so the header stays
//! the one source of truth: the C preprocessor (through `cc`) lists the header's macros
//! (`-dM`) and expands its enums; this script turns them into $OUT_DIR/header.rs, which
//! src/family.rs includes. It also writes a C file that exports every value as the C
//! compiler sees it, for the unit test that checks this script read the header right.

use std::fmt::Write as _;
use std::path::PathBuf;

/// Every name of the protocol starts with it; the generated Rust names drop it.
const PREFIX: &str = "GNL_FOOBAR_XMPL_";
/// Enumerators of `enum gnl_foobar_xmpl_cmd`: the `cmd` byte of the genl header.
const CMD_PREFIX: &str = "GNL_FOOBAR_XMPL_CMD_";
/// Enumerators of `enum gnl_foobar_xmpl_attr`: the `nla_type` of the attributes.
const ATTR_PREFIX: &str = "GNL_FOOBAR_XMPL_A_";

enum Value {
    Int(i64),
    Str(String),
}

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let include_dir = manifest_dir.join("../include");
    let source = manifest_dir.join("csrc/header.c");
    println!("cargo:rerun-if-changed={}", source.display());
    println!(
        "cargo:rerun-if-changed={}",
        include_dir.join("gnl_foobar_xmpl.h").display()
    );

    let preprocess = |extra: Option<&str>| {
        let mut build = cc::Build::new();
        build.file(&source).include(&include_dir);
        if let Some(flag) = extra {
            build.flag(flag);
        }
        let bytes = build
            .try_expand()
            .unwrap_or_else(|e| panic!("preprocessing {}: {e}", source.display()));
        String::from_utf8(bytes).expect("the preprocessed header is not UTF-8")
    };
    let macros = header_macros(&preprocess(Some("-dM")));
    let enumerators = header_enumerators(&preprocess(None));

    let commands = enum_members(&enumerators, CMD_PREFIX, u64::from(u8::MAX));
    let attrs = enum_members(&enumerators, ATTR_PREFIX, u64::from(u16::MAX));
    assert!(
        !commands.is_empty() && !attrs.is_empty(),
        "no {CMD_PREFIX}* or {ATTR_PREFIX}* enumerators in the header"
    );

    std::fs::write(
        out_dir.join("header.rs"),
        rust_source(&macros, &commands, &attrs),
    )
    .expect("writing header.rs");

    let c_check = out_dir.join("header_values.c");
    std::fs::write(&c_check, c_source(&macros, &commands, &attrs)).expect("header_values.c");
    cc::Build::new()
        .file(&c_check)
        .include(&include_dir)
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .compile("gnl_proto_header_values");
}

/// The protocol's `#define`s whose value is a literal: an integer or a plain string.
/// Expressions (`GNL_FOOBAR_XMPL_CMD_MAX`, computed from the enum) are left out.
fn header_macros(defines: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for line in defines.lines() {
        let Some(rest) = line.strip_prefix("#define ") else {
            continue;
        };
        let (name, value) = rest.split_once(' ').unwrap_or((rest, ""));
        let value = value.trim();
        if !name.starts_with(PREFIX) {
            continue;
        }
        if let Some(s) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            // Escapes would need translating to Rust's; the protocol has none.
            assert!(
                !s.contains(['\\', '"']),
                "{name}: escapes in a string macro are not supported"
            );
            out.push((name.to_owned(), Value::Str(s.to_owned())));
        } else if let Some(v) = c_integer(value) {
            out.push((name.to_owned(), Value::Int(v)));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A C integer literal: decimal or 0x hex, with any U/L suffix.
fn c_integer(s: &str) -> Option<i64> {
    let s = s.trim_end_matches(['u', 'U', 'l', 'L']);
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Every enumerator of every enum in the preprocessed header, with its value: the
/// explicit one (a literal, or `NAME`, `NAME + n`, `NAME - n` of an earlier one), else
/// one more than the previous enumerator's (0 for the first).
fn header_enumerators(expanded: &str) -> Vec<(String, i64)> {
    // Linemarkers ("# 1 file") are not C.
    let text: String = expanded
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out: Vec<(String, i64)> = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = find_keyword(rest, "enum") {
        rest = &rest[at + 4..];
        let (Some(open), semi) = (rest.find('{'), rest.find(';')) else {
            break;
        };
        // `enum name;` or `enum name x;`: no body.
        if semi.is_some_and(|s| s < open) {
            continue;
        }
        let close = rest[open..].find('}').expect("enum without '}'") + open;
        let mut next = 0i64;
        for item in rest[open + 1..close].split(',') {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let (name, value) = match item.split_once('=') {
                Some((n, expr)) => (n.trim(), enum_expr(expr, &out, n.trim())),
                None => (item, next),
            };
            out.push((name.to_owned(), value));
            next = value + 1;
        }
        rest = &rest[close..];
    }
    out
}

/// Where `word` appears as a whole C identifier in `s`.
fn find_keyword(s: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = s[from..].find(word).map(|i| i + from) {
        let before = s[..i].chars().next_back();
        let after = s[i + word.len()..].chars().next();
        if !before.is_some_and(is_ident) && !after.is_some_and(is_ident) {
            return Some(i);
        }
        from = i + word.len();
    }
    None
}

fn enum_expr(expr: &str, known: &[(String, i64)], name: &str) -> i64 {
    let expr = expr
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    if let Some(v) = c_integer(expr) {
        return v;
    }
    let lookup = |n: &str| {
        known
            .iter()
            .find(|(k, _)| k == n.trim())
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("{name} = {expr}: unsupported enumerator value"))
    };
    let offset = |n: &str| c_integer(n.trim()).unwrap_or_else(|| panic!("{name} = {expr}"));
    if let Some((base, n)) = expr.split_once('+') {
        lookup(base) + offset(n)
    } else if let Some((base, n)) = expr.split_once('-') {
        lookup(base) - offset(n)
    } else {
        lookup(expr)
    }
}

/// The enumerators named `prefix*` (not the `__*_MAX` count, nor a `*_MAX` alias), as
/// (C name, Rust variant name, value), in the header's order.
fn enum_members(all: &[(String, i64)], prefix: &str, max: u64) -> Vec<(String, String, i64)> {
    let max_alias = format!("{prefix}MAX");
    all.iter()
        .filter(|(n, _)| n.starts_with(prefix) && *n != max_alias)
        .map(|(n, v)| {
            assert!(
                u64::try_from(*v).is_ok_and(|v| v <= max),
                "{n} = {v} does not fit its field"
            );
            (n.clone(), camel_case(&n[prefix.len()..]), *v)
        })
        .collect()
}

/// "REPLY_WITH_NLMSG_ERR" -> "ReplyWithNlmsgErr".
fn camel_case(s: &str) -> String {
    s.split('_')
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + &cs.as_str().to_ascii_lowercase()
            })
        })
        .collect()
}

fn rust_source(
    macros: &[(String, Value)],
    commands: &[(String, String, i64)],
    attrs: &[(String, String, i64)],
) -> String {
    let mut s = String::from(
        "// Generated by gnl-proto/build.rs from include/gnl_foobar_xmpl.h: edit the header.\n\n",
    );
    for (name, value) in macros {
        let short = &name[PREFIX.len()..];
        // genlmsghdr.version is one byte; lengths (`*_LEN`) size buffers and strings;
        // every other number is as wide as the u32 attributes that carry counts.
        let ty = match short {
            "FAMILY_VERSION" => "u8",
            s if s.ends_with("_LEN") => "usize",
            _ => "u32",
        };
        let _ = match value {
            Value::Int(v) => writeln!(s, "/// `{name}`.\npub const {short}: {ty} = {v};"),
            Value::Str(v) => writeln!(s, "/// `{name}`.\npub const {short}: &str = \"{v}\";"),
        };
    }
    for (members, ty, enum_name, c_enum) in [
        (commands, "u8", "Command", "gnl_foobar_xmpl_cmd"),
        (attrs, "u16", "Attr", "gnl_foobar_xmpl_attr"),
    ] {
        for (name, _, v) in members {
            let _ = writeln!(
                s,
                "/// `{name}`.\npub const {}: {ty} = {v};",
                &name[PREFIX.len()..]
            );
        }
        let max = members.iter().map(|m| m.2).max().unwrap_or(0);
        let short_max = if ty == "u8" { "CMD_MAX" } else { "A_MAX" };
        let _ = writeln!(
            s,
            "/// `{PREFIX}{short_max}`: the highest value of `enum {c_enum}`.\n\
             pub const {short_max}: {ty} = {max};"
        );
        let _ = writeln!(
            s,
            "protocol_enum! {{\n    /// `enum {c_enum}`.\n    {enum_name}: {ty} {{"
        );
        for (name, variant, _) in members {
            let _ = writeln!(
                s,
                "        {variant} = {} \"{name}\",",
                &name[PREFIX.len()..]
            );
        }
        s.push_str("    }\n}\n");
    }
    s.push_str("\n/// Every integer read from the header, by its C name.\n#[cfg(test)]\n");
    s.push_str("pub(crate) const HEADER_INTS: &[(&str, i64)] = &[\n");
    let ints = macros.iter().filter_map(|(n, v)| match v {
        Value::Int(i) => Some((n.as_str(), *i)),
        Value::Str(_) => None,
    });
    let enums = commands
        .iter()
        .chain(attrs)
        .map(|(n, _, v)| (n.as_str(), *v));
    let maxes = [(commands, "CMD_MAX"), (attrs, "A_MAX")]
        .map(|(m, short)| (short, m.iter().map(|m| m.2).max().unwrap_or(0)));
    for (n, v) in ints.chain(enums) {
        let _ = writeln!(s, "    (\"{n}\", {v}),");
    }
    for (short, v) in maxes {
        let _ = writeln!(s, "    (\"{PREFIX}{short}\", {v}),");
    }
    s.push_str("];\n\n/// Every string read from the header, by its C name.\n#[cfg(test)]\n");
    s.push_str("pub(crate) const HEADER_STRS: &[(&str, &str)] = &[\n");
    for (n, v) in macros {
        if let Value::Str(v) = v {
            let _ = writeln!(s, "    (\"{n}\", \"{v}\"),");
        }
    }
    s.push_str("];\n");
    s
}

/// The same names as data the C compiler fills in: what the unit test compares with.
fn c_source(
    macros: &[(String, Value)],
    commands: &[(String, String, i64)],
    attrs: &[(String, String, i64)],
) -> String {
    let mut s = String::from(
        "/* Generated by gnl-proto/build.rs: every value build.rs read, as C sees it. */\n\
         #include <stddef.h>\n#include \"gnl_foobar_xmpl.h\"\n\n\
         struct gnl_proto_int { const char *name; long long value; };\n\
         struct gnl_proto_str { const char *name; const char *value; };\n\n\
         static const struct gnl_proto_int ints[] = {\n",
    );
    let ints = macros
        .iter()
        .filter(|(_, v)| matches!(v, Value::Int(_)))
        .map(|(n, _)| n.as_str());
    let maxes = [format!("{PREFIX}CMD_MAX"), format!("{PREFIX}A_MAX")];
    let enums = commands.iter().chain(attrs).map(|m| m.0.as_str());
    for n in ints.chain(enums).chain(maxes.iter().map(String::as_str)) {
        let _ = writeln!(s, "\t{{ \"{n}\", (long long)({n}) }},");
    }
    s.push_str("};\n\nstatic const struct gnl_proto_str strs[] = {\n");
    for (n, v) in macros {
        if matches!(v, Value::Str(_)) {
            let _ = writeln!(s, "\t{{ \"{n}\", {n} }},");
        }
    }
    s.push_str(
        "};\n\n\
         const struct gnl_proto_int *gnl_proto_ints(size_t *len);\n\
         const struct gnl_proto_str *gnl_proto_strs(size_t *len);\n\n\
         const struct gnl_proto_int *gnl_proto_ints(size_t *len)\n\
         {\n\t*len = sizeof(ints) / sizeof(ints[0]);\n\treturn ints;\n}\n\n\
         const struct gnl_proto_str *gnl_proto_strs(size_t *len)\n\
         {\n\t*len = sizeof(strs) / sizeof(strs[0]);\n\treturn strs;\n}\n",
    );
    s
}
