#!/bin/sh
# The demo that build_and_run.sh runs where the module is loaded (in the VM, or on the
# host with --host): every operation through each of the three clients, the config with a
# listener (scripts/demo-config.sh), one echo through the kernel's ynl CLI, then the
# module's own kernel log lines.
#
#   sh scripts/demo.sh [BIN_DIR]     # BIN_DIR defaults to target/debug
set -eu

BIN_DIR=${1:-target/debug}

# step TITLE CMD...: prints a heading and runs one client call.
step() {
	printf '\n--- %s\n' "$1"
	shift
	"$@"
}

step "Rust (neli): echo" "$BIN_DIR/echo" --msg "Hello from Rust"
step "Rust (neli): dump" "$BIN_DIR/echo_with_dump_flag"
step "Rust (neli): reply with error" "$BIN_DIR/reply_with_error" --msg "Fail, please"

step "C (raw AF_NETLINK): echo" "$BIN_DIR/user-c-pure" echo --msg "Hello from pure C"
step "C (raw AF_NETLINK): dump" "$BIN_DIR/user-c-pure" dump
step "C (raw AF_NETLINK): reply with error" "$BIN_DIR/user-c-pure" error --msg "Fail, please"

step "C (libnl-genl-3): echo" "$BIN_DIR/user-c-libnl" echo --msg "Hello from libnl"
step "C (libnl-genl-3): dump" "$BIN_DIR/user-c-libnl" dump
step "C (libnl-genl-3): reply with error" "$BIN_DIR/user-c-libnl" error --msg "Fail, please"

# The config, its notifications and a listener, in a network namespace of its own: it
# starts with the default config and nothing done there outlives it. Setting the config
# needs CAP_NET_ADMIN (the guest runs as root; on the host, sudo).
if [ "$(id -u)" -eq 0 ]; then
	unshare --net sh scripts/demo-config.sh "$BIN_DIR"
else
	sudo unshare --net sh scripts/demo-config.sh "$BIN_DIR"
fi

# The kernel's own generic client, which knows the family only from its YNL spec
# (tools/net/ynl/cli.py, unpacked by scripts/ynl-fetch.sh).
step "ynl CLI (spec/gnl_foobar_xmpl.yaml): echo" /usr/bin/python3 target/ynl/tree/tools/net/ynl/cli.py \
	--spec spec/gnl_foobar_xmpl.yaml --no-schema --do echo-msg --json '{"msg": "Hello from ynl"}'

# The module logs each request with pr_debug (dynamic debug, switched on when it was
# loaded), so an unprivileged sender cannot flood the log by default.
printf '\n--- kernel log of the module (dmesg)\n'
if [ "$(id -u)" -eq 0 ]; then
	dmesg | grep gnl_foobar_xmpl || true
else
	sudo dmesg | grep gnl_foobar_xmpl || true
fi
