//! Compiles the C client into a static library and links it with libnl-genl-3,
//! with the same warnings-as-errors flags as the Makefile.

fn main() {
    println!("cargo:rerun-if-changed=src/user_c_libnl.c");
    println!("cargo:rerun-if-changed=src/bench.c");
    println!("cargo:rerun-if-changed=src/bench.h");
    println!("cargo:rerun-if-changed=../measurements/bench-common/bench_common.c");
    println!("cargo:rerun-if-changed=../measurements/bench-common/bench_common.h");
    println!("cargo:rerun-if-changed=../include/gnl_foobar_xmpl.h");

    // Only the include paths here: the link flags are printed after the static
    // library, so that the linker sees the library that needs libnl before libnl.
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

    cc::Build::new()
        .file("src/user_c_libnl.c")
        .file("src/bench.c")
        // The bench mode's options, timing and statistics, shared with user-c-pure.
        .file("../measurements/bench-common/bench_common.c")
        .include("../include")
        .include("../measurements/bench-common")
        .includes(&libnl.include_paths)
        .warnings(true) // -Wall
        .extra_warnings(true) // -Wextra
        .warnings_into_errors(true) // -Werror
        // -O2 whatever the cargo profile, so that cargo and make build the same program.
        .opt_level(2)
        .compile("user_c_libnl");

    for path in &libnl.link_paths {
        println!("cargo:rustc-link-search=native={}", path.display());
    }
    for lib in &libnl.libs {
        println!("cargo:rustc-link-lib={lib}");
    }
}
