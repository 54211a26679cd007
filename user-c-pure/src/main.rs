//! Cargo's name for the user-c-pure program, which is written in C: build.rs
//! compiles the C files of src/ (the command line, the protocol code, the
//! benchmark and the message helpers) and links them into this binary.

// Why `no_main`: the C file defines `main`, and the C runtime's startup code
// (crt1.o) calls it directly. Rust emits no `main` of its own, so no Rust
// runtime setup (`lang_start`: SIGPIPE disposition, stack guard, checks of
// fds 0-2) runs before or after it, and the program's system calls are those
// of the make-built C program. The one difference is at load time: std is
// still linked in, and its unwinder makes the dynamic loader map
// libgcc_s.so.1 too (nine more system calls before `main`); none of its
// code runs. Dropping std (`no_std`) would need panic="abort" for the whole
// workspace and a core built for it.
#![no_main]
