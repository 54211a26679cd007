#!/bin/sh
# In the guest (scripts/capture.sh starts it through vm/vm run): runs the demo into
# OUT_DIR/demo.txt, then records one echo, one dump and one error of the raw-socket
# client through an nlmon device into OUT_DIR/exchange.pcap.
#
#   sh scripts/capture-guest.sh OUT_DIR [BIN_DIR]
set -eu

OUT_DIR=${1:?usage: capture-guest.sh OUT_DIR [BIN_DIR]}
BIN_DIR=${2:-target/debug}
KERNELS_ROOT=target/kernels/${GNL_FOOBAR_XMPL_KERNEL:?is not set: run this through vm/vm run}/root

log() {
	printf 'capture: %s\n' "$*" >&2
}

# nlmon is a module in Debian's kernels (CONFIG_NLMON=m), built in elsewhere. The guest
# sees the host's /lib/modules, not its own: modprobe -d points it at the unpacked
# kernel package, whose modules live under lib/ or, merged, under usr/lib/.
load_nlmon() {
	[ -d /sys/module/nlmon ] && return 0
	for base in "$KERNELS_ROOT" "$KERNELS_ROOT/usr"; do
		if [ -d "$base/lib/modules/$(uname -r)" ]; then
			modprobe -d "$base" nlmon
			return 0
		fi
	done
	log "no modules for $(uname -r) under $KERNELS_ROOT"
	return 1
}

mkdir -p "$OUT_DIR"
# The demo first: its last part is the module's kernel log, which should hold its own
# requests only.
log "the demo (scripts/demo.sh)"
sh scripts/demo.sh "$BIN_DIR" >"$OUT_DIR/demo.txt" 2>&1

load_nlmon
ip link add nlmon0 type nlmon
ip link set nlmon0 up

# The capturer says "ready" once its socket is bound, and stops by itself after the
# error reply that ends the last exchange below.
fifo=$(mktemp -u)
mkfifo "$fifo"
python3 scripts/nlmon-capture.py --out "$OUT_DIR/exchange.pcap" --errors 1 >"$fifo" &
capturer=$!
exec 3<"$fifo"
read -r ready <&3 || ready=
rm -f "$fifo"
[ "$ready" = ready ] || {
	log "the capturer did not start"
	exit 1
}

log "echo, dump and error through user-c-pure, captured on nlmon0"
if ! {
	"$BIN_DIR/user-c-pure" echo --msg "Hello, kernel" &&
		"$BIN_DIR/user-c-pure" dump --count 2 &&
		"$BIN_DIR/user-c-pure" error --msg "Fail, please"
} >"$OUT_DIR/clients.txt"; then
	# The error reply the capturer waits for may never have come.
	kill "$capturer"
	log "a client failed: $(cat "$OUT_DIR/clients.txt")"
	exit 1
fi
wait "$capturer"
exec 3<&-
ip link del nlmon0
