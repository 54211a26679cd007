//! Compiles csrc/header_values.c against the protocol header, so the unit test in
//! src/header_check.rs can compare the C values with the Rust mirror in src/proto.rs.

use std::path::PathBuf;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let include_dir = manifest_dir.join("../include");

    println!("cargo:rerun-if-changed=csrc/header_values.c");
    println!(
        "cargo:rerun-if-changed={}",
        include_dir.join("gnl_foobar_xmpl.h").display()
    );

    cc::Build::new()
        .file("csrc/header_values.c")
        .include(&include_dir)
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .compile("gnl_xmpl_header_values");
}
