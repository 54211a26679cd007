#!/bin/sh
# The three clients agree: the same request gives the same echoed payload and the
# same dump contents from Rust/neli, raw-socket C and libnl C. Runs in the guest.
set -eu
. tests/guest/lib.sh

MSG='agree: same bytes through three clients'

# payload_lines: keeps what the kernel sent, without the client's "[User-...]: " prefix.
payload_lines() {
	sed -n "s/^\[User-[A-Za-z-]*\]: \(Received from kernel: .*\|dump message .*\)$/\1/p"
}

# echo: one line each, identical once the prefix is gone.
run_cmd "$GNL_BIN_DIR/echo" --msg "$MSG"
expect_rc "echo: rust succeeds" 0
rust=$(printf '%s\n' "$OUT" | payload_lines)
run_cmd "$GNL_BIN_DIR/user-c-pure" echo --msg "$MSG"
expect_rc "echo: c-pure succeeds" 0
pure=$(printf '%s\n' "$OUT" | payload_lines)
run_cmd "$GNL_BIN_DIR/user-c-libnl" echo --msg "$MSG"
expect_rc "echo: c-libnl succeeds" 0
libnl=$(printf '%s\n' "$OUT" | payload_lines)
expect_equal "echo: rust payload is the request's" "$rust" "Received from kernel: '$MSG'"
expect_equal "echo: c-pure agrees with rust" "$pure" "$rust"
expect_equal "echo: c-libnl agrees with rust" "$libnl" "$rust"

# dump: the same messages, in the same order, with the default count and with one.
for count in default 7; do
	if [ "$count" = default ]; then
		set --
		lines=3
	else
		set -- --count "$count"
		lines=$count
	fi
	run_cmd "$GNL_BIN_DIR/echo_with_dump_flag" --msg "$MSG" "$@"
	expect_rc "dump $count: rust succeeds" 0
	rust=$(printf '%s\n' "$OUT" | payload_lines)
	run_cmd "$GNL_BIN_DIR/user-c-pure" dump --msg "$MSG" "$@"
	expect_rc "dump $count: c-pure succeeds" 0
	pure=$(printf '%s\n' "$OUT" | payload_lines)
	run_cmd "$GNL_BIN_DIR/user-c-libnl" dump --msg "$MSG" "$@"
	expect_rc "dump $count: c-libnl succeeds" 0
	libnl=$(printf '%s\n' "$OUT" | payload_lines)
	expect_equal "dump $count: rust got $lines messages" \
		"$(printf '%s\n' "$rust" | grep -c "^dump message [0-9]*: '$MSG'$")" "$lines"
	expect_equal "dump $count: c-pure agrees with rust" "$pure" "$rust"
	expect_equal "dump $count: c-libnl agrees with rust" "$libnl" "$rust"
done

finish agree
