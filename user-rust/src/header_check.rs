//! Fails if src/proto.rs and include/gnl_foobar_xmpl.h disagree: build.rs compiles
//! csrc/header_values.c, which exports every value of the header by its C name.

use std::collections::BTreeMap;
use std::ffi::{c_char, c_longlong, CStr};

use crate::proto::*;

#[repr(C)]
struct HdrInt {
    name: *const c_char,
    value: c_longlong,
}

#[repr(C)]
struct HdrStr {
    name: *const c_char,
    value: *const c_char,
}

extern "C" {
    fn gnl_xmpl_hdr_ints(len: *mut usize) -> *const HdrInt;
    fn gnl_xmpl_hdr_strs(len: *mut usize) -> *const HdrStr;
}

/// # Safety
/// `p` must point at a NUL-terminated string that lives for the whole program.
unsafe fn c_str(p: *const c_char) -> String {
    CStr::from_ptr(p).to_string_lossy().into_owned()
}

fn c_ints() -> BTreeMap<String, i64> {
    let mut len = 0usize;
    // SAFETY: the C side returns a static array of `len` entries whose strings are
    // string literals.
    unsafe {
        let p = gnl_xmpl_hdr_ints(&mut len);
        std::slice::from_raw_parts(p, len)
            .iter()
            .map(|e| (c_str(e.name), e.value))
            .collect()
    }
}

fn c_strs() -> BTreeMap<String, String> {
    let mut len = 0usize;
    // SAFETY: as in c_ints().
    unsafe {
        let p = gnl_xmpl_hdr_strs(&mut len);
        std::slice::from_raw_parts(p, len)
            .iter()
            .map(|e| (c_str(e.name), c_str(e.value)))
            .collect()
    }
}

fn rust_ints() -> BTreeMap<String, i64> {
    let mut m: BTreeMap<String, i64> = [
        ("GNL_FOOBAR_XMPL_FAMILY_VERSION", i64::from(FAMILY_VERSION)),
        ("GNL_FOOBAR_XMPL_MSG_MAX_LEN", MSG_MAX_LEN as i64),
        (
            "GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT",
            DUMP_DEFAULT_COUNT.into(),
        ),
        ("GNL_FOOBAR_XMPL_DUMP_MIN_COUNT", DUMP_MIN_COUNT.into()),
        ("GNL_FOOBAR_XMPL_DUMP_MAX_COUNT", DUMP_MAX_COUNT.into()),
        ("GNL_FOOBAR_XMPL_CMD_MAX", u8::from(CMD_MAX).into()),
        ("GNL_FOOBAR_XMPL_A_MAX", u16::from(ATTR_MAX).into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for c in Command::ALL {
        if let Some(name) = c.name() {
            m.insert(name.to_owned(), u8::from(c).into());
        }
    }
    for a in Attr::ALL {
        if let Some(name) = a.name() {
            m.insert(name.to_owned(), u16::from(a).into());
        }
    }
    m
}

fn rust_strs() -> BTreeMap<String, String> {
    [
        ("GNL_FOOBAR_XMPL_FAMILY_NAME", FAMILY_NAME),
        ("GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG", DUMP_DEFAULT_MSG),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[test]
fn integer_values_match_the_c_header() {
    assert_eq!(rust_ints(), c_ints());
}

#[test]
fn string_values_match_the_c_header() {
    assert_eq!(rust_strs(), c_strs());
}

#[test]
fn enums_are_dense_and_end_at_max() {
    // The C enums count up from 0 without gaps; ALL must list every value once.
    for (i, c) in Command::ALL.iter().enumerate() {
        assert_eq!(usize::from(u8::from(*c)), i);
    }
    for (i, a) in Attr::ALL.iter().enumerate() {
        assert_eq!(usize::from(u16::from(*a)), i);
    }
    assert_eq!(Command::ALL.last(), Some(&CMD_MAX));
    assert_eq!(Attr::ALL.last(), Some(&ATTR_MAX));
}
