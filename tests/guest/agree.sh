#!/bin/sh
# The three clients agree: the same request gives the same output from Rust/neli,
# raw-socket C and libnl C, prefix aside: echo, dump (messages and summary), the error
# operation with and without --msg, and the one-line failures. Runs in the guest.
set -eu
. tests/guest/lib.sh

MSG='agree: same bytes through three clients'
DUMP_DEFAULT_MSG=$(protocol_value GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG)
DUMP_DEFAULT_COUNT=$(protocol_value GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT)
ALWAYS_FAILS='GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails'

# strip_prefix: the lines without the client's "[User-...]: " prefix.
strip_prefix() {
	sed 's/^\[User-[A-Za-z-]*\]: //'
}

# payload_lines: only what the kernel sent, echoed text and dump messages, unprefixed.
payload_lines() {
	sed -n -e "s/^\[User-[A-Za-z-]*\]: \(Received from kernel: .*\)$/\1/p" \
		-e "s/^\[User-[A-Za-z-]*\]: \(dump message .*\)$/\1/p"
}

# run_three NAME STATUS RUST_PROGRAM C_OPERATION ARGS...: runs the Rust program and the
# two C clients' C_OPERATION with the same ARGS, checks that each exits with STATUS, and
# leaves their unprefixed stdout in RUST_OUT PURE_OUT LIBNL_OUT, stderr in *_ERR.
run_three() {
	name=$1
	status=$2
	rust_program=$3
	c_operation=$4
	shift 4
	run_cmd "$GNL_BIN_DIR/$rust_program" "$@"
	expect_rc "$name: rust exits $status" "$status"
	RUST_OUT=$(printf '%s\n' "$OUT" | strip_prefix)
	RUST_ERR=$(printf '%s\n' "$ERR" | strip_prefix)
	run_cmd "$GNL_BIN_DIR/user-c-pure" "$c_operation" "$@"
	expect_rc "$name: c-pure exits $status" "$status"
	PURE_OUT=$(printf '%s\n' "$OUT" | strip_prefix)
	PURE_ERR=$(printf '%s\n' "$ERR" | strip_prefix)
	run_cmd "$GNL_BIN_DIR/user-c-libnl" "$c_operation" "$@"
	expect_rc "$name: c-libnl exits $status" "$status"
	LIBNL_OUT=$(printf '%s\n' "$OUT" | strip_prefix)
	LIBNL_ERR=$(printf '%s\n' "$ERR" | strip_prefix)
}

# expect_three_agree NAME: the last run_three printed the same stdout and stderr.
expect_three_agree() {
	expect_equal "$1: c-pure's stdout is rust's" "$PURE_OUT" "$RUST_OUT"
	expect_equal "$1: c-libnl's stdout is rust's" "$LIBNL_OUT" "$RUST_OUT"
	expect_equal "$1: c-pure's stderr is rust's" "$PURE_ERR" "$RUST_ERR"
	expect_equal "$1: c-libnl's stderr is rust's" "$LIBNL_ERR" "$RUST_ERR"
}

test_echo() {
	run_three "echo" 0 echo echo --msg "$MSG"
	expect_equal "echo: rust sent the message and got it back" \
		"$(after_family_line "$RUST_OUT")" "Sending to kernel: '$MSG'
Received from kernel: '$MSG'"
	expect_equal "echo: c-libnl's payload line, prefix stripped, is the request's" \
		"$(printf '%s\n' "$OUT" | payload_lines)" "Received from kernel: '$MSG'"
	expect_equal "echo: nothing on stderr" "$RUST_ERR" ""
	expect_three_agree "echo"
}

# The same messages in the same order, and the same summary, with and without a count.
test_dump() {
	for count in default 1 7; do
		if [ "$count" = default ]; then
			set -- --msg "$MSG"
			lines=3
		else
			set -- --msg "$MSG" --count "$count"
			lines=$count
		fi
		run_three "dump $count" 0 echo_with_dump_flag dump "$@"
		expect_equal "dump $count: rust got $lines messages" \
			"$(printf '%s\n' "$RUST_OUT" | grep -c "^dump message [0-9]*: '$MSG'$")" "$lines"
		if [ "$lines" -eq 1 ]; then summary='dump done, 1 message'; else summary="dump done, $lines messages"; fi
		expect_equal "dump $count: rust's summary" \
			"$(printf '%s\n' "$RUST_OUT" | tail -n 1)" "$summary"
		expect_three_agree "dump $count"
	done

	run_three "dump, the kernel's text" 0 echo_with_dump_flag dump
	expect_equal "dump, the kernel's text: rust's lines" "$(after_family_line "$RUST_OUT")" \
		"$(dump_lines "" "$DUMP_DEFAULT_COUNT" "$DUMP_DEFAULT_MSG")"
	expect_three_agree "dump, the kernel's text"
}

test_error() {
	run_three "error" 0 reply_with_error error
	expect_equal "error: rust prints the errno and the message, nothing blamed" \
		"$(after_family_line "$RUST_OUT")" "Kernel replied with error EINVAL (22): $ALWAYS_FAILS"
	expect_three_agree "error"

	run_three "error --msg" 0 reply_with_error error --msg "$MSG"
	expect_equal "error --msg: rust also prints what the extended ACK points at" \
		"$(after_family_line "$RUST_OUT")" "Kernel replied with error EINVAL (22): $ALWAYS_FAILS
The extended ACK points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request"
	expect_three_agree "error --msg"
}

# The one line on stderr of a failing operation.
test_failures() {
	run_three "dump --count 0" 1 echo_with_dump_flag dump --count 0
	expect_contains "dump --count 0: rust's line" "$RUST_ERR" \
		"error: dump failed: kernel replied with error ERANGE (34): "
	expect_contains "dump --count 0: rust names the attribute" "$RUST_ERR" \
		" (points at GNL_FOOBAR_XMPL_A_DUMP_COUNT, byte 20 of the request)"
	expect_equal "dump --count 0: one line" "$(printf '%s\n' "$RUST_ERR" | grep -c .)" 1
	expect_three_agree "dump --count 0"

	run_three "echo --no-msg" 1 echo echo --no-msg
	if kernel_has_miss_type; then
		blame=' (names the missing attribute GNL_FOOBAR_XMPL_A_MSG)'
	else
		blame=''
	fi
	expect_equal "echo --no-msg: rust's line" "$RUST_ERR" \
		"error: echo failed: kernel replied with error EINVAL (22): GNL_FOOBAR_XMPL_A_MSG is required$blame"
	expect_three_agree "echo --no-msg"
}

printf 'agree: echo\n' >&2
test_echo
printf 'agree: dump\n' >&2
test_dump
printf 'agree: error\n' >&2
test_error
printf 'agree: failures\n' >&2
test_failures

finish agree
