#!/bin/sh
# Installs what building, running and testing this project needs on a Debian machine:
# Debian packages through apt-get (with sudo when not root) and the Rust toolchain's
# rustfmt/clippy components. Fast when everything is there already; called by
# build_and_run.sh, test.sh and .ci/run.
set -eu

# Debian packages, and the command (or file) that tells whether each is installed.
PACKAGES="
qemu-system-x86:qemu-system-x86_64
busybox-static:/bin/busybox
strace:strace
valgrind:valgrind
time:/usr/bin/time
libnl-3-dev:/usr/include/libnl3/netlink/netlink.h
libnl-genl-3-dev:/usr/include/libnl3/netlink/genl/genl.h
pkg-config:pkg-config
dwarves:pahole
gcc:gcc
clang:clang
make:make
kmod:depmod
cpio:cpio
xz-utils:xz
zstd:zstd
python3:python3
python3-yaml:/usr/lib/python3/dist-packages/yaml/__init__.py
python3-jsonschema:/usr/lib/python3/dist-packages/jsonschema/__init__.py
tshark:tshark
debian-archive-keyring:/usr/share/keyrings/debian-archive-keyring.gpg
util-linux:flock
libcap2-bin:/usr/sbin/capsh
iproute2:/usr/sbin/ip
libelf1:/usr/lib/x86_64-linux-gnu/libelf.so.1
mmdebstrap:mmdebstrap
flex:flex
bison:bison
bc:bc
libelf-dev:/usr/include/libelf.h
libssl-dev:/usr/include/openssl/ssl.h
"

log() {
	printf 'install-deps: %s\n' "$*" >&2
}

# as_root CMD...: runs CMD as root, through sudo when we are not root already.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

is_present() {
	case "$1" in
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

install_debian_packages() {
	missing=""
	for entry in $PACKAGES; do
		if ! is_present "${entry#*:}"; then
			missing="$missing ${entry%%:*}"
		fi
	done
	[ -n "$missing" ] || return 0
	log "installing Debian packages:$missing"
	as_root apt-get update -q >&2
	# shellcheck disable=SC2086 # one word per package
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2
}

install_rust_components() {
	if ! command -v cargo >/dev/null 2>&1; then
		log "cargo not found: install a Rust toolchain (https://rustup.rs) and run again"
		exit 1
	fi
	if command -v rustup >/dev/null 2>&1; then
		for component in rustfmt clippy; do
			if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
				log "adding the Rust component $component"
				rustup component add "$component" >&2
			fi
		done
	fi
}

install_debian_packages
install_rust_components
