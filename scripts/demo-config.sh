#!/bin/sh
# The config part of the demo: a listener of one client joins the family's "config"
# group, the other clients read and change the config, and the listener prints each
# change with the port id and sequence number of the set that made it. scripts/demo.sh
# runs it in a network namespace of its own, which starts with the default config and
# takes every change with it when it ends: the machine's own config is left alone.
#
#   sh scripts/demo-config.sh [BIN_DIR]     # BIN_DIR defaults to target/debug
set -eu

BIN_DIR=${1:-target/debug}

# step TITLE CMD...: prints a heading and runs one client call.
step() {
	printf '\n--- %s\n' "$1"
	shift
	"$@"
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkfifo "$scratch/listener"

"$BIN_DIR/user-c-pure" listen --count 2 >"$scratch/listener" 2>&1 &
listener=$!
exec 3<"$scratch/listener"
# Once it says it listens, it has joined the group: no later change can pass it by.
printf '\n--- C (raw AF_NETLINK): listen --count 2, in the background\n'
while IFS= read -r line <&3; do
	printf '%s\n' "$line"
	case $line in
	*"listening to group"*) break ;;
	esac
done

step "Rust (neli): config_get" "$BIN_DIR/config_get"
step "Rust (neli): config_set" "$BIN_DIR/config_set" --count 2 --msg "Hello from the config"
step "C (libnl-genl-3): dump, taking the namespace's new defaults" "$BIN_DIR/user-c-libnl" dump
step "C (libnl-genl-3): set" "$BIN_DIR/user-c-libnl" set --count 1

printf '\n--- what the listener printed meanwhile\n'
cat <&3
exec 3<&-
wait "$listener"
