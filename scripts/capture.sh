#!/bin/sh
# Captures one echo, one dump and one error in a guest through nlmon (real bytes), then
# regenerates from them the annotated exchanges and the message picture in docs/, and
# the demo output in README.md. With --check, changes nothing and fails when the
# committed text differs from what the project prints now (test.sh runs that).
#
#   sh scripts/capture.sh [--kernel K]            # rewrite docs/ and README.md
#   sh scripts/capture.sh --check [--kernel K]    # compare only
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=vm/kernels.sh
. "$ROOT/vm/kernels.sh"
OUT_DIR=$ROOT/target/vm/scratch/capture

log() {
	printf 'capture: %s\n' "$*" >&2
}

usage() {
	sed -n '7,8s/^#   //p' "$0" >&2
	exit 2
}

parse_args() {
	MODE=--write
	# The committed bytes come from the default kernel: dumps pack messages and the
	# controller describes families slightly differently from one kernel to the next.
	KERNEL=$(kernel_default)
	while [ $# -gt 0 ]; do
		case "$1" in
		--check) MODE=--check ;;
		--kernel)
			[ $# -ge 2 ] || usage
			KERNEL=$2
			shift
			;;
		-h | --help) usage ;;
		*)
			log "unknown argument: $1"
			usage
			;;
		esac
		shift
	done
}

main() {
	parse_args "$@"
	cd "$ROOT"
	command -v tshark >/dev/null || {
		log "tshark is missing: run sh scripts/install-deps.sh"
		exit 1
	}
	log "building the clients and the module for $KERNEL"
	cargo build --workspace -q
	# The demo's fourth client, the kernel's ynl CLI.
	sh scripts/ynl-fetch.sh >/dev/null
	rm -rf "$OUT_DIR"
	mkdir -p "$OUT_DIR"
	sh vm/vm build-module --kernel "$KERNEL" >"$OUT_DIR/build.log" 2>&1 || {
		cat "$OUT_DIR/build.log" >&2
		exit 1
	}
	log "capturing in a guest booting $KERNEL"
	sh vm/vm run --kernel "$KERNEL" -- sh scripts/capture-guest.sh "$OUT_DIR"
	log "decoding with tshark and regenerating the documents ($MODE)"
	python3 scripts/docs-gen.py "$MODE" --pcap "$OUT_DIR/exchange.pcap" \
		--demo "$OUT_DIR/demo.txt" --kernel "$KERNEL"
}

main "$@"
