//! The gnl_foobar_xmpl family: name, version, limits, commands and attributes, generated
//! at build time from include/gnl_foobar_xmpl.h (build.rs), never typed here. A new
//! `#define` or enumerator in the header appears here under its C name without the
//! `GNL_FOOBAR_XMPL_` prefix (`GNL_FOOBAR_XMPL_A_MSG` is [`A_MSG`] and [`Attr::Msg`]).

/// A Rust enum for a C enum of the protocol, with the value of every member and an
/// `UnrecognizedConst` for values the header does not name (what the kernel may send
/// once the protocol grows, or what a test sends on purpose), as neli's enums have.
macro_rules! protocol_enum {
    (
        $(#[$doc:meta])*
        $name:ident: $ty:ty { $( $variant:ident = $value:ident $cname:literal, )* }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                #[doc = concat!("`", $cname, "`.")]
                $variant,
            )*
            /// A value the header does not name.
            UnrecognizedConst($ty),
        }

        impl $name {
            /// Every member of the C enum, in the header's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value on the wire.
            pub const fn value(self) -> $ty {
                match self {
                    $($name::$variant => $value,)*
                    $name::UnrecognizedConst(v) => v,
                }
            }

            /// The C name, as in the header; `None` for an unrecognized value.
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $($name::$variant => Some($cname),)*
                    $name::UnrecognizedConst(_) => None,
                }
            }
        }

        impl From<$ty> for $name {
            fn from(v: $ty) -> $name {
                match v {
                    $($value => $name::$variant,)*
                    v => $name::UnrecognizedConst(v),
                }
            }
        }

        impl From<$name> for $ty {
            fn from(v: $name) -> $ty {
                v.value()
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/header.rs"));

#[cfg(test)]
mod header_check {
    //! The one check of the generated values: build.rs also compiled every name it read
    //! into a C table; the C compiler's values must be the ones build.rs parsed.

    use std::collections::BTreeMap;
    use std::ffi::{c_char, c_longlong, CStr};

    use super::*;

    #[repr(C)]
    struct CInt {
        name: *const c_char,
        value: c_longlong,
    }

    #[repr(C)]
    struct CStrValue {
        name: *const c_char,
        value: *const c_char,
    }

    extern "C" {
        fn gnl_proto_ints(len: *mut usize) -> *const CInt;
        fn gnl_proto_strs(len: *mut usize) -> *const CStrValue;
    }

    /// # Safety
    /// `p` must point at a NUL-terminated string that lives for the whole program.
    unsafe fn string(p: *const c_char) -> String {
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }

    #[test]
    fn generated_values_are_the_c_compilers() {
        let (mut n_ints, mut n_strs) = (0usize, 0usize);
        // SAFETY: each function returns a static array and writes its length; every
        // string in them is a literal.
        let (c_ints, c_strs) = unsafe {
            let ints = std::slice::from_raw_parts(gnl_proto_ints(&mut n_ints), n_ints);
            let strs = std::slice::from_raw_parts(gnl_proto_strs(&mut n_strs), n_strs);
            (
                ints.iter()
                    .map(|e| (string(e.name), e.value))
                    .collect::<BTreeMap<_, _>>(),
                strs.iter()
                    .map(|e| (string(e.name), string(e.value)))
                    .collect::<BTreeMap<_, _>>(),
            )
        };
        let ints: BTreeMap<_, _> = HEADER_INTS
            .iter()
            .map(|(n, v)| (n.to_string(), *v))
            .collect();
        let strs: BTreeMap<_, _> = HEADER_STRS
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(ints, c_ints);
        assert_eq!(strs, c_strs);
    }

    #[test]
    fn enums_round_trip_and_end_at_max() {
        for &c in Command::ALL {
            assert_eq!(Command::from(c.value()), c);
        }
        for &a in Attr::ALL {
            assert_eq!(Attr::from(a.value()), a);
        }
        assert_eq!(Command::ALL.iter().map(|c| c.value()).max(), Some(CMD_MAX));
        assert_eq!(Attr::ALL.iter().map(|a| a.value()).max(), Some(A_MAX));
        assert_eq!(Attr::Msg.name(), Some("GNL_FOOBAR_XMPL_A_MSG"));
        assert_eq!(Command::from(200), Command::UnrecognizedConst(200));
    }
}
