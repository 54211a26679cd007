//! Compiles user-c-pure's C sources with the `cc` crate, warnings as errors, into
//! static archives that cargo links: the binary's entry point is the C `main`.

use std::path::Path;

/// Sources of the program; the unit tests reuse src/nl_msg.c and proc_netlink.c from its archive.
const PROGRAM_SOURCES: &[&str] = &[
    "src/user-c-pure.c",
    "src/client.c",
    "src/bench.c",
    "../c-common/bench_common.c",
    "../c-common/proc_netlink.c",
    "src/nl_msg.c",
];
const TEST_SOURCES: &[&str] = &["tests/nl_msg_test.c", "../c-common/proc_netlink_test.c"];
const HEADERS: &[&str] = &[
    "src/nl_msg.h",
    "src/client.h",
    "src/bench.h",
    "../c-common/bench_common.h",
    "../c-common/proc_netlink.h",
    "../include/gnl_foobar_xmpl.h",
];

fn c_build(sources: &[&str]) -> cc::Build {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut build = cc::Build::new();
    build
        .files(sources.iter().map(|source| dir.join(source)))
        .include(dir.join("src"))
        .include(dir.join("../include"))
        // The bench mode's options, timing and statistics, shared with user-c-libnl.
        .include(dir.join("../c-common"))
        .std("c11")
        // -Wall -Wextra -Werror, as in the Makefile.
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true);
    build
}

fn main() {
    for path in PROGRAM_SOURCES.iter().chain(TEST_SOURCES).chain(HEADERS) {
        println!("cargo:rerun-if-changed={path}");
    }
    // The linker searches archives in the order given and only for symbols still
    // missing: the test archive must come first, as it needs nl_msg.o and
    // proc_netlink.o from the program's archive. The binary never references
    // the tests, so they stay out.
    c_build(TEST_SOURCES).compile("user_c_pure_tests");
    c_build(PROGRAM_SOURCES).compile("user_c_pure");
}
