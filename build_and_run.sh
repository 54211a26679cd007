#!/bin/sh
# The main job: builds the module and the three clients, loads the module into a real
# kernel and shows every client doing every operation.
#
#   sh build_and_run.sh                  # in a QEMU guest booting the default kernel
#   sh build_and_run.sh --kernel 6.12    # another guest kernel of vm/kernels
#   sh build_and_run.sh --host           # into the running kernel instead (insmod, sudo)
#   sh build_and_run.sh --measure        # the measurements (measurements/run.sh)
#   sh build_and_run.sh --capture        # record and decode real bytes (scripts/capture.sh)
#
# Installs the Debian packages it needs first (scripts/install-deps.sh).
set -eu

ROOT=$(cd "$(dirname "$0")" && pwd)
MODULE=gnl_foobar_xmpl
# shellcheck source=vm/kernels.sh
. "$ROOT/vm/kernels.sh"

log() {
	printf 'build_and_run: %s\n' "$*" >&2
}

die() {
	log "$*"
	exit 1
}

usage() {
	sed -n '5,9s/^#   //p' "$0" >&2
	exit 2
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

parse_args() {
	MODE=vm
	KERNEL=$(kernel_default)
	while [ $# -gt 0 ]; do
		case "$1" in
		--host) MODE=host ;;
		--measure) MODE=measure ;;
		--capture) MODE=capture ;;
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

build_clients() {
	log "building the three clients (cargo build)"
	cargo build --workspace -q
	log "fetching the kernel's ynl CLI for the demo's fourth client (scripts/ynl-fetch.sh)"
	sh scripts/ynl-fetch.sh >/dev/null
}

# Loads the module into the running kernel, as the classic example did. dyndbg=+p
# switches on the module's pr_debug lines for this load only.
run_on_host() {
	[ -e /proc/modules ] ||
		die "the running kernel has no module support: run without --host to use the VM"
	kdir=/lib/modules/$(uname -r)/build
	if [ ! -d "$kdir" ]; then
		log "installing linux-headers-$(uname -r)"
		as_root apt-get install -y -q "linux-headers-$(uname -r)" >&2 ||
			die "no headers for the running kernel at $kdir"
	fi
	log "building the module against $kdir"
	make -s -C kernel-mod KDIR="$kdir"
	if grep -q "^$MODULE " /proc/modules; then
		log "unloading the module loaded before"
		as_root rmmod "$MODULE"
	fi
	log "loading kernel-mod/$MODULE.ko into the running kernel (sudo insmod)"
	as_root insmod "kernel-mod/$MODULE.ko" dyndbg=+p
	sh scripts/demo.sh
	log "the module stays loaded; unload it with: sudo rmmod $MODULE"
}

run_in_vm() {
	sh vm/vm build-module --kernel "$KERNEL"
	log "running the demo in a guest booting Debian's $KERNEL kernel"
	sh vm/vm run --kernel "$KERNEL" -- sh scripts/demo.sh
}

main() {
	parse_args "$@"
	cd "$ROOT"
	sh scripts/install-deps.sh
	case "$MODE" in
	measure) exec sh measurements/run.sh --kernel "$KERNEL" ;;
	capture) exec sh scripts/capture.sh --kernel "$KERNEL" ;;
	host)
		build_clients
		run_on_host
		;;
	vm)
		build_clients
		run_in_vm
		;;
	esac
}

main "$@"
