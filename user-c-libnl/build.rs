//! Compiles user-c-libnl's C sources with the `cc` crate, warnings as errors, into
//! static archives that cargo links with libnl-genl-3 (found through pkg-config):
//! the binary's entry point is the C `main`.

use std::path::Path;

/// Sources of the program; the unit tests reuse src/nl_msg.c and proc_netlink.c from its archive.
const PROGRAM_SOURCES: &[&str] = &[
    "src/user-c-libnl.c",
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

fn c_build(sources: &[&str], libnl: &pkg_config::Library) -> cc::Build {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut build = cc::Build::new();
    build
        .files(sources.iter().map(|source| dir.join(source)))
        .include(dir.join("src"))
        .include(dir.join("../include"))
        // The bench mode's options, timing and statistics, shared with user-c-pure.
        .include(dir.join("../c-common"))
        .includes(&libnl.include_paths)
        // -Wall -Wextra -Werror, as in the Makefile.
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        // -O2 whatever the cargo profile, so that cargo and make build the same program.
        .opt_level(2);
    build
}

fn main() {
    for path in PROGRAM_SOURCES.iter().chain(TEST_SOURCES).chain(HEADERS) {
        println!("cargo:rerun-if-changed={path}");
    }

    // Only the include paths here: the link flags are printed after the static
    // libraries, so that the linker sees the archives that need libnl before libnl.
    let libnl = match pkg_config::Config::new()
        .cargo_metadata(false)
        .probe("libnl-genl-3.0")
    {
        Ok(lib) => lib,
        Err(err) => {
            eprintln!("libnl-genl-3.0 not found (apt-get install libnl-genl-3-dev): {err}");
            std::process::exit(1);
        }
    };

    // The linker searches archives in the order given and only for symbols still
    // missing: the test archive must come first, as it needs nl_msg.o and
    // proc_netlink.o from the program's archive. The binary never references
    // the tests, so they stay out.
    c_build(TEST_SOURCES, &libnl).compile("user_c_libnl_tests");
    c_build(PROGRAM_SOURCES, &libnl).compile("user_c_libnl");

    for path in &libnl.link_paths {
        println!("cargo:rustc-link-search=native={}", path.display());
    }
    for lib in &libnl.libs {
        println!("cargo:rustc-link-lib={lib}");
    }
}
