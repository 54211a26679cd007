#!/bin/sh
# Tests of the raw AF_NETLINK client (user-c-pure) against the loaded module: every
# operation with its failure paths, the command line, syscall counts, valgrind memcheck
# and the message when the family is missing. Runs in the guest, as root, from the repo root.
set -eu
. tests/guest/lib.sh

BIN="$GNL_BIN_DIR/user-c-pure"
P='[User-C-Pure]: '
DUMP_DEFAULT_MSG='Hello from the gnl_foobar_xmpl dump'
ALWAYS_FAILS='GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails'
TRACE=$(mktemp)
# The guest's kernel, e.g. 5.10 or 6.1: vm/vm run sets it.
KERNEL=${GNL_FOOBAR_XMPL_KERNEL:?is not set: run this suite through vm/vm run}

# received_lines: how many "Received from kernel" lines the last run printed.
received_lines() {
	printf '%s\n' "$OUT" | grep -c 'Received from kernel' || true
}

test_echo_default() {
	run_cmd "$BIN" echo
	expect_rc "echo: succeeds" 0
	expect_family_line "echo: prints the family id first"
	expect_echoed "echo: prints the default message sent and echoed" "Hello from User-C-Pure"
	expect_silent_stderr "echo: nothing on stderr"
}

test_echo_msg() {
	run_cmd "$BIN" echo --msg "  spaces, 'quotes' and UTF-8: é  "
	expect_rc "echo --msg: succeeds" 0
	expect_echoed "echo --msg: prints the message sent and echoed" \
		"  spaces, 'quotes' and UTF-8: é  "

	run_cmd "$BIN" echo --msg ""
	expect_rc "echo --msg '': succeeds" 0
	expect_echoed "echo --msg '': echoes the empty string" ""
}

test_echo_longest_msg() {
	msg=$(digits 4096)
	run_cmd "$BIN" echo --msg "$msg"
	expect_rc "echo 4096 bytes: succeeds" 0
	expect_echoed "echo 4096 bytes: echoed whole" "$msg"
}

test_echo_too_long() {
	run_cmd "$BIN" echo --msg "$(digits 4097)"
	expect_fail "echo 4097 bytes: fails with one line"
	expect_contains "echo 4097 bytes: the kernel's EINVAL" "$ERR" \
		"${P}error: echo failed: kernel replied with error EINVAL (22): "
	expect_contains "echo 4097 bytes: names the bad attribute" "$ERR" \
		"(points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request)"
	expect_equal "echo 4097 bytes: no reply printed" "$(received_lines)" 0

	# The longest --msg sent: the kernel's error carries all of it back, and the
	# 32 KiB receive buffer must hold it.
	run_cmd "$BIN" echo --msg "$(digits 16384)"
	expect_fail "echo 16384 bytes: fails with one line"
	expect_contains "echo 16384 bytes: the kernel's error, read whole" "$ERR" \
		"${P}error: echo failed: kernel replied with error EINVAL (22): "

	run_cmd "$BIN" echo --msg "$(digits 16385)"
	expect_fail "echo 16385 bytes: fails with one line"
	expect_rc "echo 16385 bytes: refused as a bad command line" 2
	expect_equal "echo 16385 bytes: says the limit" "$ERR" \
		"${P}error: --msg takes at most 16384 bytes, not 16385; the kernel itself accepts 4096 (see --help)"
	expect_equal "echo 16385 bytes: nothing sent, nothing printed" "$OUT" ""
}

test_echo_without_msg() {
	run_cmd "$BIN" echo --no-msg
	expect_fail "echo --no-msg: fails with one line"
	expect_contains "echo --no-msg: the module's extended ACK message" "$ERR" \
		"${P}error: echo failed: kernel replied with error EINVAL (22): GNL_FOOBAR_XMPL_A_MSG is required"
	expect_equal "echo --no-msg: prints no Sending line" "$(after_family_line)" ""
	if kernel_has_miss_type; then
		expect_contains "echo --no-msg: NLMSGERR_ATTR_MISS_TYPE names the attribute" \
			"$ERR" "is required (names the missing attribute GNL_FOOBAR_XMPL_A_MSG)"
	else
		expect_equal "echo --no-msg: no NLMSGERR_ATTR_MISS_TYPE before Linux 6.0" \
			"$(printf '%s\n' "$ERR" | grep -c 'missing')" "0"
	fi
}

test_dump_default() {
	run_cmd "$BIN" dump
	expect_rc "dump: succeeds" 0
	expect_family_line "dump: prints the family id first"
	expect_equal "dump: three messages with the default text, in order, then done" \
		"$(after_family_line)" \
		"${P}dump message 0: '$DUMP_DEFAULT_MSG'
${P}dump message 1: '$DUMP_DEFAULT_MSG'
${P}dump message 2: '$DUMP_DEFAULT_MSG'
${P}dump done, 3 messages"
	expect_silent_stderr "dump: nothing on stderr"
}

test_dump_counts() {
	run_cmd "$BIN" dump --count 1 --msg "just one"
	expect_rc "dump --count 1: succeeds" 0
	expect_equal "dump --count 1: one message with --msg, then done" \
		"$(after_family_line)" "${P}dump message 0: 'just one'
${P}dump done, 1 message"

	run_cmd "$BIN" dump --count 1000
	expect_rc "dump --count 1000: succeeds" 0
	expect_equal "dump --count 1000: indexes 0 to 999 in order" \
		"$(dump_indexes)" "$(numbers_below 1000)"
	expect_equal "dump --count 1000: all with the default text" "$(dump_texts)" "$DUMP_DEFAULT_MSG"
	expect_contains "dump --count 1000: done line" "$OUT" "${P}dump done, 1000 messages"

	# About 4 KiB each: several messages per datagram, several datagrams.
	msg=$(digits 4096)
	run_cmd "$BIN" dump --count 20 --msg "$msg"
	expect_rc "dump 20 x 4096 bytes: succeeds" 0
	expect_equal "dump 20 x 4096 bytes: indexes 0 to 19 in order" \
		"$(dump_indexes)" "$(numbers_below 20)"
	expect_equal "dump 20 x 4096 bytes: every message whole" "$(dump_texts)" "$msg"
}

test_dump_count_out_of_range() {
	for count in 0 1000001; do
		run_cmd "$BIN" dump --count "$count"
		expect_fail "dump --count $count: fails with one line"
		expect_contains "dump --count $count: the kernel's ERANGE on DUMP_COUNT" "$ERR" \
			"${P}error: dump failed: kernel replied with error ERANGE (34): "
		expect_contains "dump --count $count: names the bad attribute" "$ERR" \
			"(points at GNL_FOOBAR_XMPL_A_DUMP_COUNT, byte 20 of the request)"
		expect_equal "dump --count $count: no dump line" "$(dump_indexes)" ""
	done
}

test_error() {
	run_cmd "$BIN" error
	expect_rc "error: exits 0 when the kernel answers with an error" 0
	expect_family_line "error: prints the family id first"
	expect_equal "error: prints the errno and the extended ACK message, no attribute" \
		"$(after_family_line)" "${P}Kernel replied with error EINVAL (22): $ALWAYS_FAILS"
	expect_silent_stderr "error: nothing on stderr"

	run_cmd "$BIN" error --msg "blame me"
	expect_rc "error --msg: exits 0" 0
	expect_equal "error --msg: the extended ACK also points at GNL_FOOBAR_XMPL_A_MSG" \
		"$(after_family_line)" "${P}Kernel replied with error EINVAL (22): $ALWAYS_FAILS
${P}The extended ACK points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request"
}

# expect_usage_error ARGS...: the client refuses ARGS before talking to the kernel.
expect_usage_error() {
	run_cmd "$BIN" "$@"
	expect_fail "command line '$*': fails with one line"
	expect_rc "command line '$*': usage status" 2
	expect_contains "command line '$*': points at --help" "$ERR" "(see --help)"
}

test_command_line() {
	run_cmd "$BIN" --help
	expect_rc "--help: succeeds" 0
	expect_contains "--help: prints the usage" "$OUT" "usage: user-c-pure echo|dump|error"
	expect_silent_stderr "--help: nothing on stderr"

	expect_usage_error
	expect_usage_error bogus
	expect_usage_error echo dump
	expect_usage_error --frobnicate echo
	expect_usage_error echo --msg
	expect_usage_error dump --count
	expect_usage_error dump --count ten
	expect_usage_error dump --count -1
	expect_usage_error dump --count 4294967296
	expect_usage_error echo --count 3
	expect_usage_error error --no-msg
	expect_usage_error dump --no-msg
	expect_usage_error echo --no-msg --msg x
}

# count_calls NAME: how many NAME( lines the last strace wrote to $TRACE.
count_calls() {
	grep -c "^$1(" "$TRACE" || true
}

test_syscall_counts() {
	# The protocol's floor: each request is one sendto(), and the family query and
	# the echo, sent without NLM_F_ACK, are each answered by one datagram, the reply.
	run_cmd strace -o "$TRACE" -e trace=sendto,recvmsg "$BIN" echo
	expect_rc "strace echo: succeeds" 0
	expect_equal "strace echo: 2 sendto" "$(count_calls sendto)" 2
	expect_equal "strace echo: 2 recvmsg" "$(count_calls recvmsg)" 2

	# The always-failing command (sent with NLM_F_ACK) is answered by its error alone.
	run_cmd strace -o "$TRACE" -e trace=sendto,recvmsg "$BIN" error
	expect_rc "strace error: succeeds" 0
	expect_equal "strace error: 2 sendto" "$(count_calls sendto)" 2
	expect_equal "strace error: 2 recvmsg" "$(count_calls recvmsg)" 2
}

# check_valgrind NAME STATUS ARGS...: the client run with ARGS exits with STATUS under
# memcheck (99 would be valgrind's own verdict), with no memory error and no leak of any kind.
check_valgrind() {
	name=$1
	status=$2
	shift 2
	run_cmd valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all \
		"$BIN" "$@"
	expect_rc "valgrind $name: exit status $status" "$status"
	expect_contains "valgrind $name: no memory error" "$ERR" "ERROR SUMMARY: 0 errors"
	expect_contains "valgrind $name: every heap block freed" "$ERR" "All heap blocks were freed"
}

test_valgrind() {
	check_valgrind "echo 4096 bytes" 0 echo --msg "$(digits 4096)"
	check_valgrind "dump --count 100" 0 dump --count 100
	check_valgrind "error --msg" 0 error --msg "x"
	check_valgrind "dump --count 0" 1 dump --count 0
}

# Last, as it unloads the module (and loads it again): without the family, the client
# says how to load it. Needs GNL_FOOBAR_XMPL_KO, which vm/vm run sets.
test_family_missing() {
	if [ -z "${GNL_FOOBAR_XMPL_KO:-}" ]; then
		fail "family missing: GNL_FOOBAR_XMPL_KO names the module to reload" \
			"GNL_FOOBAR_XMPL_KO is not set: run this suite through vm/vm run"
		return
	fi
	run_cmd rmmod gnl_foobar_xmpl
	expect_rc "family missing: rmmod gnl_foobar_xmpl" 0

	run_cmd "$BIN" echo
	expect_fail "family missing: echo fails with one line"
	expect_contains "family missing: says the family is not found" "$ERR" \
		"Generic Netlink family 'gnl_foobar_xmpl' not found"
	expect_contains "family missing: says how to load the module" "$ERR" \
		"sudo insmod kernel-mod/gnl_foobar_xmpl.ko"
	expect_contains "family missing: says how to run in the VM" "$ERR" \
		"(sh vm/vm run -- <command>)"

	run_cmd insmod "$GNL_FOOBAR_XMPL_KO" dyndbg=+p
	expect_rc "family missing: insmod the module again" 0
	run_cmd "$BIN" echo
	expect_rc "family missing: echo works again after insmod" 0
}

printf 'c-pure: echo\n' >&2
test_echo_default
test_echo_msg
test_echo_longest_msg
test_echo_too_long
test_echo_without_msg
printf 'c-pure: dump\n' >&2
test_dump_default
test_dump_counts
test_dump_count_out_of_range
printf 'c-pure: error\n' >&2
test_error
printf 'c-pure: command line\n' >&2
test_command_line
printf 'c-pure: syscall counts (strace)\n' >&2
test_syscall_counts
printf 'c-pure: valgrind memcheck\n' >&2
test_valgrind
printf 'c-pure: family missing (rmmod, insmod)\n' >&2
test_family_missing

rm -f "$TRACE"
finish c-pure
