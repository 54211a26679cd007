#!/bin/sh
# Measures the three clients: builds release binaries, runs every benchmark and strace
# count in ONE boot of a QEMU guest, and writes the results into measurements/results/:
# RESULTS.md, the summary in docs/clients.md, the scaling plot, the strace logs and callgrind profiles.
#
#   sh measurements/run.sh [--kernel K]   # a guest kernel of vm/kernels (its default)
#   sh measurements/run.sh --quick        # tiny counts, to try the pipeline; writes
#                                         # under target/measurements/quick/ only
#
# Prints each target's PASS/MISS at the end; targets are reported, never asserted.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=vm/kernels.sh
. "$ROOT/vm/kernels.sh"
BIN_DIR=$ROOT/target/measurements/bin
# The guest can only write under target/vm/scratch (vm/README.md).
RAW_DIR=$ROOT/target/vm/scratch/measurements

log() {
	printf 'measurements: %s\n' "$*" >&2
}

die() {
	log "error: $*"
	exit 1
}

usage() {
	sed -n '6,8s/^#   //p' "$0" >&2
	exit 2
}

parse_args() {
	KERNEL=$(kernel_default)
	PLAN=full
	while [ $# -gt 0 ]; do
		case "$1" in
		--kernel)
			[ $# -ge 2 ] || usage
			KERNEL=$2
			shift
			;;
		--quick) PLAN=quick ;;
		-h | --help) usage ;;
		*)
			log "unknown argument: $1"
			usage
			;;
		esac
		shift
	done
	if [ "$PLAN" = quick ]; then
		OUT_DIR=$ROOT/target/measurements/quick
	else
		OUT_DIR=$ROOT/measurements/results
	fi
}

# make_c_client DIR: builds the C client with its own Makefile (-O2, as a reader
# builds it) and keeps a copy; the in-tree build output is removed again.
make_c_client() {
	make -s -C "$1" clean
	make -s -C "$1" CC=gcc
	cp "$1/$1" "$BIN_DIR/$1"
	make -s -C "$1" clean
}

# The C clients are measured as plain-make builds: cargo's build of the same C
# links Rust's std, whose unwinder makes the loader map libgcc_s (one of the
# whole-run rows shows that build: user-c-pure-cargo).
build_binaries() {
	log "building release binaries (cargo build --release, make)"
	cargo build --release -q -p gnl-foobar-xmpl -p user-c-pure --bins
	rm -rf "$BIN_DIR"
	mkdir -p "$BIN_DIR"
	cp target/release/bench target/release/echo target/release/listen "$BIN_DIR/"
	cp target/release/user-c-pure "$BIN_DIR/user-c-pure-cargo"
	make_c_client user-c-pure
	make_c_client user-c-libnl
	log "building the module for kernel $KERNEL"
	sh vm/vm build-module --kernel "$KERNEL" >/dev/null
}

# Runs measurements/guest.sh in one boot, showing its progress lines and keeping
# vm/vm's own (they name the accelerator) in $RAW_DIR/vm.log. One vCPU: with two,
# the guest kernel finds the TCG vCPUs' TSCs unsynchronized and falls back to the
# HPET clocksource, on which clock_gettime() is a real system call instead of a vDSO
# read; that would slow every timed sample and add a syscall to every round trip.
run_guest() {
	rm -rf "$RAW_DIR"
	mkdir -p "$RAW_DIR"
	fifo=$RAW_DIR/vm-stderr.fifo
	mkfifo "$fifo"
	tee "$RAW_DIR/vm.log" <"$fifo" >&2 &
	tee_pid=$!
	rc=0
	sh vm/vm run --kernel "$KERNEL" --cpus 1 --timeout 3600 -- \
		sh measurements/guest.sh "$RAW_DIR" "$BIN_DIR" "$PLAN" 2>"$fifo" || rc=$?
	wait "$tee_pid" || true
	rm -f "$fifo"
	[ "$rc" -eq 0 ] || die "the guest run failed (status $rc); kernel log: target/vm/$KERNEL/kernel.log"
}

# The commit measured, marked when the clients, the module or the header differ from it.
source_version() {
	version=$(git rev-parse --short HEAD 2>/dev/null) || version=unknown
	if ! git diff --quiet HEAD -- user-rust user-c-pure user-c-libnl c-common kernel-mod include \
		2>/dev/null; then
		version="$version with uncommitted changes"
	fi
	printf '%s\n' "$version"
}

main() {
	parse_args "$@"
	cd "$ROOT"
	started=$(date +%s)
	build_binaries
	built=$(date +%s)
	run_guest
	finished=$(date +%s)
	mkdir -p "$OUT_DIR"
	log "writing $OUT_DIR/RESULTS.md"
	python3 measurements/report.py --raw "$RAW_DIR" --out "$OUT_DIR" --source "$(source_version)" \
		--build-seconds "$((built - started))" --guest-seconds "$((finished - built))"
}

main "$@"
