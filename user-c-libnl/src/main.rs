//! Entry point of the cargo-built user-c-libnl: there is none on the Rust side.
//!
//! The program is the C files that build.rs compiles into a static library, and
//! its `main` is the program's `main`. `#![no_main]` stops rustc from emitting a
//! `main` of its own (the one that runs Rust's runtime setup, then `fn main`),
//! so the C runtime calls the C `main` directly: the startup, the system calls
//! and the exit path are those of the C program built by the Makefile, which is
//! what the timing and syscall-count comparisons of the clients rely on.
//!
//! What remains of Rust is link-time only. rustc still links its standard
//! library, whose unwinder needs libgcc_s.so.1: under `strace -f` the cargo
//! build differs from the make build only in the dynamic loader mapping that
//! library before `main` (openat, read, newfstatat, 4 mmap, close, mprotect).
//! std's one constructor, which records argc/argv, makes no system call.
#![no_main]
