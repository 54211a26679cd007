//! Entry point of the cargo-built user-c-libnl: there is none on the Rust side.
//!
//! The program is the C file that build.rs compiles into a static library, and
//! its `main` is the program's `main`. `#![no_main]` stops rustc from emitting a
//! `main` of its own (the one that runs Rust's runtime setup and then `fn main`),
//! so the C runtime calls the C `main` directly: the startup, the system calls
//! and the exit path are those of the C program built by the Makefile, which is
//! what the timing and syscall-count comparisons of the clients rely on.
#![no_main]
