#!/bin/sh
# Tests of the libnl client (user-c-libnl) against the loaded module: every operation,
# its failure paths, both socket configurations, syscall counts, valgrind and the message
# when the family is missing. Runs in the guest, as root, from the repository root.
set -eu
. tests/guest/lib.sh

BIN="$GNL_BIN_DIR/user-c-libnl"
P='[User-C-libnl]: '
DUMP_DEFAULT_MSG='Hello from the gnl_foobar_xmpl dump'
ALWAYS_FAILS='GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails'
TRACE=$(mktemp)
# The guest's kernel, e.g. 5.10 or 6.1: vm/vm run sets it.
KERNEL=${GNL_FOOBAR_XMPL_KERNEL:?is not set: run this suite through vm/vm run}

test_echo_default() {
	run_cmd "$BIN" echo
	expect_rc "echo: succeeds" 0
	expect_family_line "echo: prints the family id"
	expect_echoed "echo: prints exactly the family id, the message sent and the reply" \
		"Hello from User-C-libnl"
	expect_silent_stderr "echo: nothing on stderr"
}

test_echo_msg() {
	run_cmd "$BIN" echo --msg "  spaces, 'quotes' and UTF-8: é  "
	expect_rc "echo --msg: succeeds" 0
	expect_echoed "echo --msg: the kernel echoes the text unchanged" \
		"  spaces, 'quotes' and UTF-8: é  "

	run_cmd "$BIN" echo --msg ""
	expect_rc "echo --msg '': succeeds" 0
	expect_echoed "echo --msg '': the kernel echoes an empty string" ""
}

test_echo_without_msg() {
	run_cmd "$BIN" echo --no-msg
	expect_fail "echo --no-msg: fails with one line"
	expect_contains "echo --no-msg: the kernel requires GNL_FOOBAR_XMPL_A_MSG" "$ERR" \
		"${P}error: echo failed: kernel replied with error EINVAL (22): GNL_FOOBAR_XMPL_A_MSG is required"
	expect_equal "echo --no-msg: prints no Sending line" "$(after_family_line)" ""
	# NLMSGERR_ATTR_MISS_TYPE, which names the missing attribute, came with Linux 6.0.
	if kernel_has_miss_type; then
		expect_contains "echo --no-msg: the extended ACK names the missing attribute" "$ERR" \
			"is required (names the missing attribute GNL_FOOBAR_XMPL_A_MSG)"
	else
		expect_equal "echo --no-msg: no missing-attribute TLV before Linux 6.0" \
			"$(printf '%s\n' "$ERR" | grep -c 'missing')" 0
	fi
}

test_echo_longest_msg() {
	longest=$(digits 4096)
	run_cmd "$BIN" echo --msg "$longest"
	expect_rc "echo 4096 bytes: succeeds" 0
	expect_echoed "echo 4096 bytes: all of them come back" "$longest"
}

test_echo_too_long_msg() {
	run_cmd "$BIN" echo --msg "$(digits 4097)"
	expect_fail "echo 4097 bytes: fails with one line"
	expect_contains "echo 4097 bytes: the kernel rejects GNL_FOOBAR_XMPL_A_MSG" "$ERR" \
		"${P}error: echo failed: kernel replied with error EINVAL (22): "
	expect_contains "echo 4097 bytes: the extended ACK points at the attribute" "$ERR" \
		"(points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request)"
	expect_equal "echo 4097 bytes: no reply printed" \
		"$(printf '%s\n' "$OUT" | grep -c 'Received from kernel')" 0

	# The largest --msg sent: the error carries all of it back, and the 32 KiB
	# receive buffer of --fast (no MSG_PEEK to size it) must still hold it.
	run_cmd "$BIN" echo --fast --msg "$(digits 16384)"
	expect_fail "echo 16384 bytes: fails with one line"
	expect_contains "echo 16384 bytes: the whole error is read" "$ERR" \
		"${P}error: echo failed: kernel replied with error EINVAL (22): "

	run_cmd "$BIN" echo --msg "$(digits 16385)"
	expect_rc "echo 16385 bytes: refused as a bad command line" 2
	expect_fail "echo 16385 bytes: one line on stderr"
	expect_equal "echo 16385 bytes: says the limit" "$ERR" \
		"${P}error: --msg takes at most 16384 bytes, not 16385; the kernel itself accepts 4096 (see --help)"
}

test_echo_libnl_defaults() {
	run_cmd "$BIN" echo --libnl-defaults --msg "with NLM_F_ACK"
	expect_rc "echo --libnl-defaults: succeeds" 0
	expect_echoed "echo --libnl-defaults: same reply, ACK consumed silently" "with NLM_F_ACK"
	expect_silent_stderr "echo --libnl-defaults: nothing on stderr"
}

# check_dump NAME COUNT TEXT: the last run was a successful dump of COUNT messages
# carrying TEXT, indexed 0 to COUNT-1 in order.
check_dump() {
	expect_rc "$1: succeeds" 0
	expect_equal "$1: indexes 0 to $(($2 - 1)) in order" "$(dump_indexes)" "$(numbers_below "$2")"
	expect_equal "$1: every message carries '$3'" "$(dump_texts)" "$3"
	if [ "$2" -eq 1 ]; then done_line="${P}dump done, 1 message"; else done_line="${P}dump done, $2 messages"; fi
	expect_equal "$1: reports the end of the dump last" \
		"$(printf '%s\n' "$OUT" | tail -n 1)" "$done_line"
	expect_silent_stderr "$1: nothing on stderr"
}

test_dump() {
	run_cmd "$BIN" dump
	check_dump "dump" 3 "$DUMP_DEFAULT_MSG"
	expect_equal "dump: the exact lines" "$(printf '%s\n' "$OUT" | sed -n '2,$p')" \
		"$(printf "%sdump message %d: '%s'\n" "$P" 0 "$DUMP_DEFAULT_MSG" \
			"$P" 1 "$DUMP_DEFAULT_MSG" "$P" 2 "$DUMP_DEFAULT_MSG"; printf '%sdump done, 3 messages' "$P")"

	run_cmd "$BIN" dump --count 1
	check_dump "dump --count 1" 1 "$DUMP_DEFAULT_MSG"

	run_cmd "$BIN" dump --count 1000 --msg "many"
	check_dump "dump --count 1000" 1000 "many"

	run_cmd "$BIN" dump --libnl-defaults --count 1000
	check_dump "dump --libnl-defaults --count 1000" 1000 "$DUMP_DEFAULT_MSG"
}

# check_count_rejected COUNT: the kernel's policy refuses DUMP_COUNT=COUNT.
check_count_rejected() {
	run_cmd "$BIN" dump --count "$1"
	expect_fail "dump --count $1: fails with one line"
	expect_contains "dump --count $1: ERANGE from the kernel's policy" "$ERR" \
		"${P}error: dump failed: kernel replied with error ERANGE (34): "
	expect_contains "dump --count $1: the extended ACK points at the count" "$ERR" \
		"(points at GNL_FOOBAR_XMPL_A_DUMP_COUNT, byte 20 of the request)"
	expect_equal "dump --count $1: no message printed" \
		"$(printf '%s\n' "$OUT" | grep -c 'dump message')" 0
}

test_dump_bad_counts() {
	check_count_rejected 0
	check_count_rejected 1000001
}

test_error() {
	run_cmd "$BIN" error
	expect_rc "error: exits 0 when the kernel fails the request" 0
	expect_equal "error: prints errno and extended ACK message, no offset" \
		"$(printf '%s\n' "$OUT" | sed -n '2,$p')" \
		"${P}Kernel replied with error EINVAL (22): $ALWAYS_FAILS"
	expect_silent_stderr "error: nothing on stderr"

	run_cmd "$BIN" error --msg "point at me"
	expect_rc "error --msg: exits 0" 0
	expect_equal "error --msg: the extended ACK points at GNL_FOOBAR_XMPL_A_MSG" \
		"$(after_family_line)" "${P}Kernel replied with error EINVAL (22): $ALWAYS_FAILS
${P}The extended ACK points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request"
}

# NETLINK_CAP_ACK: the kernel leaves the request out of the error (NLM_F_CAPPED),
# so the TLVs start right after struct nlmsgerr. Same result expected.
test_error_capped() {
	run_cmd "$BIN" error --cap-ack --msg "point at me"
	expect_rc "error --cap-ack: exits 0" 0
	expect_equal "error --cap-ack: same extended ACK found without the request" \
		"$(after_family_line)" "${P}Kernel replied with error EINVAL (22): $ALWAYS_FAILS
${P}The extended ACK points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request"

	run_cmd "$BIN" error --libnl-defaults
	expect_rc "error --libnl-defaults: exits 0" 0
	expect_contains "error --libnl-defaults: same error" "$OUT" \
		"${P}Kernel replied with error EINVAL (22): $ALWAYS_FAILS"
}

test_bad_command_lines() {
	for args in "" "frobnicate" "echo --count 3" "dump --count -1" "dump --count 12x" \
		"dump --count 4294967296" "echo --msg" "echo dump" "echo --bogus" "echo --msg x --no-msg" \
		"error --no-msg" "dump --no-msg"; do
		# shellcheck disable=SC2086 # each case is a list of words
		run_cmd "$BIN" $args
		expect_rc "bad command line '$args': exit status 2" 2
		expect_fail "bad command line '$args': one line on stderr"
		expect_contains "bad command line '$args': points at --help" "$ERR" "(see --help)"
	done
	run_cmd "$BIN" --help
	expect_rc "--help: exits 0" 0
	expect_contains "--help: shows the usage" "$OUT" "Usage: user-c-libnl echo|dump|error"
}

# count_syscalls NAME: how many times the last traced run called NAME.
count_syscalls() {
	grep -c "^$1(" "$TRACE" || true
}

# The two socket configurations, told apart by what reaches the kernel. Each run
# resolves the family (CTRL_CMD_GETFAMILY) and then does one echo: with --fast, one
# sendmsg() and one recvmsg() each; with libnl's defaults, each request also gets an
# ACK and each of the two datagrams is read twice (MSG_PEEK first).
test_syscall_counts() {
	run_cmd strace -o "$TRACE" -e trace=sendmsg,recvmsg,sendto,recvfrom "$BIN" echo --fast
	expect_rc "strace echo --fast: succeeds" 0
	expect_equal "echo --fast: 2 sendmsg (resolve, echo)" "$(count_syscalls sendmsg)" 2
	expect_equal "echo --fast: 2 recvmsg (one per reply)" "$(count_syscalls recvmsg)" 2
	expect_equal "echo --fast: no MSG_PEEK" "$(grep -c MSG_PEEK "$TRACE" || true)" 0

	run_cmd strace -o "$TRACE" -e trace=sendmsg,recvmsg,sendto,recvfrom "$BIN" echo --libnl-defaults
	expect_rc "strace echo --libnl-defaults: succeeds" 0
	expect_equal "echo --libnl-defaults: 2 sendmsg" "$(count_syscalls sendmsg)" 2
	expect_equal "echo --libnl-defaults: 8 recvmsg (2 replies + 2 ACKs, each peeked)" \
		"$(count_syscalls recvmsg)" 8
	expect_equal "echo --libnl-defaults: 4 of them MSG_PEEK" \
		"$(grep -c MSG_PEEK "$TRACE" || true)" 4
}

# check_valgrind NAME STATUS ARGS...: the client run with ARGS exits with STATUS under
# memcheck (99 would be valgrind's own verdict), with no memory error and no definite or
# indirect leak; valgrind adds nothing to stderr. libnl keeps no process-lifetime
# allocation that memcheck would show here, not even as "still reachable".
check_valgrind() {
	name=$1
	status=$2
	shift 2
	run_cmd valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=definite,indirect "$BIN" "$@"
	expect_rc "valgrind $name: exit status $status, no memory error or leak" "$status"
}

test_valgrind() {
	check_valgrind "echo 4096 bytes" 0 echo --msg "$(digits 4096)"
	expect_silent_stderr "valgrind echo 4096 bytes: no report"
	check_valgrind "echo --libnl-defaults" 0 echo --libnl-defaults
	expect_silent_stderr "valgrind echo --libnl-defaults: no report"
	check_valgrind "dump --count 100" 0 dump --count 100
	expect_silent_stderr "valgrind dump --count 100: no report"
	check_valgrind "error --msg" 0 error --msg "x"
	expect_silent_stderr "valgrind error --msg: no report"
	check_valgrind "dump --count 0" 1 dump --count 0
	expect_fail "valgrind dump --count 0: only the client's one line on stderr"
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

	for config in --fast --libnl-defaults; do
		run_cmd "$BIN" echo "$config"
		expect_fail "family missing: echo $config fails with one line"
		expect_equal "family missing: echo $config says so and how to load the module" "$ERR" \
			"${P}error: Generic Netlink family 'gnl_foobar_xmpl' not found: load the module (sudo insmod kernel-mod/gnl_foobar_xmpl.ko) or run in the VM (sh vm/vm run -- <command>)"
		expect_equal "family missing: echo $config prints nothing on stdout" "$OUT" ""
	done

	run_cmd insmod "$GNL_FOOBAR_XMPL_KO" dyndbg=+p
	expect_rc "family missing: insmod the module again" 0
	run_cmd "$BIN" echo
	expect_rc "family missing: echo works again after insmod" 0
	expect_echoed "family missing: the echo comes back after insmod" "Hello from User-C-libnl"
}

printf 'c-libnl: testing %s\n' "$BIN" >&2
test_echo_default
test_echo_msg
test_echo_without_msg
test_echo_longest_msg
test_echo_too_long_msg
test_echo_libnl_defaults
test_dump
test_dump_bad_counts
test_error
test_error_capped
test_bad_command_lines
printf 'c-libnl: syscall counts (strace)\n' >&2
test_syscall_counts
printf 'c-libnl: valgrind memcheck\n' >&2
test_valgrind
printf 'c-libnl: family missing (rmmod, insmod)\n' >&2
test_family_missing
rm -f "$TRACE"
finish c-libnl
