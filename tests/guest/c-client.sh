#!/bin/sh
# Tests of one C client against the loaded module: every operation with its failure
# paths (the config's get, set and listen too), the command line, syscall counts,
# valgrind memcheck and the message when the family is missing. Both clients must pass the same checks; the few about libnl's
# socket configurations are marked "libnl only". Runs in the guest, as root, from the
# repository root:
#
#   sh tests/guest/c-client.sh c-pure|c-libnl
set -eu
. tests/guest/lib.sh

CLIENT=${1:-}
case "$CLIENT" in
c-pure)
	BIN="$GNL_BIN_DIR/user-c-pure"
	P='[User-C-Pure]: '
	DEFAULT_ECHO='Hello from User-C-Pure'
	USAGE='usage: user-c-pure echo|dump|error'
	# Each request leaves with one sendto() (the socket is not connected).
	SEND_CALL=sendto
	;;
c-libnl)
	BIN="$GNL_BIN_DIR/user-c-libnl"
	P='[User-C-libnl]: '
	DEFAULT_ECHO='Hello from User-C-libnl'
	USAGE='Usage: user-c-libnl echo|dump|error'
	# nl_send_auto() ends in sendmsg().
	SEND_CALL=sendmsg
	;;
*)
	printf 'usage: sh tests/guest/c-client.sh c-pure|c-libnl\n' >&2
	exit 2
	;;
esac

# The protocol's numbers, from the header the clients and the module are built with.
MSG_MAX_LEN=$(protocol_value GNL_FOOBAR_XMPL_MSG_MAX_LEN)
DUMP_DEFAULT_COUNT=$(protocol_value GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT)
DUMP_MIN_COUNT=$(protocol_value GNL_FOOBAR_XMPL_DUMP_MIN_COUNT)
DUMP_MAX_COUNT=$(protocol_value GNL_FOOBAR_XMPL_DUMP_MAX_COUNT)
DUMP_DEFAULT_MSG=$(protocol_value GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG)
# The longest --msg the three clients send: longer than the kernel takes, so that the
# kernel's own check can be seen (CLIENT_MSG_ARG_MAX in the C clients).
MSG_ARG_MAX=$((4 * MSG_MAX_LEN))
ALWAYS_FAILS='GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails'
TRACE=$(mktemp)

# received_lines: how many "Received from kernel" lines the last run printed.
received_lines() {
	printf '%s\n' "$OUT" | grep -c 'Received from kernel' || true
}

test_echo_default() {
	run_cmd "$BIN" echo
	expect_rc "echo: succeeds" 0
	expect_family_line "echo: prints the family id first"
	expect_echoed "echo: prints the default message sent and echoed" "$DEFAULT_ECHO"
	expect_silent_stderr "echo: nothing on stderr"
}

test_echo_msg() {
	run_cmd "$BIN" echo --msg "  spaces, 'quotes' and UTF-8: é  "
	expect_rc "echo --msg: succeeds" 0
	expect_echoed "echo --msg: the kernel echoes the text unchanged" \
		"  spaces, 'quotes' and UTF-8: é  "

	run_cmd "$BIN" echo --msg ""
	expect_rc "echo --msg '': succeeds" 0
	expect_echoed "echo --msg '': echoes the empty string" ""
}

test_echo_longest_msg() {
	msg=$(digits "$MSG_MAX_LEN")
	run_cmd "$BIN" echo --msg "$msg"
	expect_rc "echo $MSG_MAX_LEN bytes: succeeds" 0
	expect_echoed "echo $MSG_MAX_LEN bytes: echoed whole" "$msg"
}

test_echo_too_long() {
	n=$((MSG_MAX_LEN + 1))
	run_cmd "$BIN" echo --msg "$(digits "$n")"
	expect_fail "echo $n bytes: fails with one line"
	expect_contains "echo $n bytes: the kernel's EINVAL" "$ERR" \
		"${P}error: echo failed: kernel replied with error EINVAL (22): "
	expect_contains "echo $n bytes: the extended ACK points at the attribute" "$ERR" \
		"(points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request)"
	expect_equal "echo $n bytes: no reply printed" "$(received_lines)" 0

	# The longest --msg sent: the kernel's error carries all of it back, and the
	# 32 KiB receive buffer (libnl: of --fast, the default, with no MSG_PEEK to size
	# it) must hold it.
	run_cmd "$BIN" echo --msg "$(digits "$MSG_ARG_MAX")"
	expect_fail "echo $MSG_ARG_MAX bytes: fails with one line"
	expect_contains "echo $MSG_ARG_MAX bytes: the kernel's error, read whole" "$ERR" \
		"${P}error: echo failed: kernel replied with error EINVAL (22): "

	n=$((MSG_ARG_MAX + 1))
	run_cmd "$BIN" echo --msg "$(digits "$n")"
	expect_fail "echo $n bytes: fails with one line"
	expect_rc "echo $n bytes: refused as a bad command line" 2
	expect_equal "echo $n bytes: says the limit" "$ERR" \
		"${P}error: --msg takes at most $MSG_ARG_MAX bytes, not $n; the kernel itself accepts $MSG_MAX_LEN (see --help)"
	expect_equal "echo $n bytes: nothing sent, nothing printed" "$OUT" ""
}

test_echo_without_msg() {
	run_cmd "$BIN" echo --no-msg
	expect_fail "echo --no-msg: fails with one line"
	expect_contains "echo --no-msg: the module's extended ACK message" "$ERR" \
		"${P}error: echo failed: kernel replied with error EINVAL (22): GNL_FOOBAR_XMPL_A_MSG is required"
	expect_equal "echo --no-msg: prints no Sending line" "$(after_family_line)" ""
	# NLMSGERR_ATTR_MISS_TYPE, which names the missing attribute, came with Linux 6.0.
	if kernel_has_miss_type; then
		expect_contains "echo --no-msg: NLMSGERR_ATTR_MISS_TYPE names the attribute" \
			"$ERR" "is required (names the missing attribute GNL_FOOBAR_XMPL_A_MSG)"
	else
		expect_equal "echo --no-msg: no NLMSGERR_ATTR_MISS_TYPE before Linux 6.0" \
			"$(printf '%s\n' "$ERR" | grep -c 'missing')" "0"
	fi
}

# libnl only: its default socket asks for an ACK after every reply.
test_echo_libnl_defaults() {
	run_cmd "$BIN" echo --libnl-defaults --msg "with NLM_F_ACK"
	expect_rc "libnl only: echo --libnl-defaults: succeeds" 0
	expect_echoed "libnl only: echo --libnl-defaults: same reply, ACK consumed silently" \
		"with NLM_F_ACK"
	expect_silent_stderr "libnl only: echo --libnl-defaults: nothing on stderr"
}

# check_dump NAME COUNT TEXT: the last run was a successful dump of COUNT messages
# carrying TEXT, indexed 0 to COUNT-1 in order.
check_dump() {
	expect_rc "$1: succeeds" 0
	expect_equal "$1: indexes 0 to $(($2 - 1)) in order" "$(dump_indexes)" \
		"$(numbers_below "$2")"
	expect_equal "$1: every message carries the text" "$(dump_texts)" "$3"
	expect_equal "$1: reports the end of the dump last" \
		"$(printf '%s\n' "$OUT" | tail -n 1)" "$(dump_lines "$P" "$2" "$3" | tail -n 1)"
	expect_silent_stderr "$1: nothing on stderr"
}

test_dump_default() {
	run_cmd "$BIN" dump
	check_dump "dump" "$DUMP_DEFAULT_COUNT" "$DUMP_DEFAULT_MSG"
	expect_family_line "dump: prints the family id first"
	expect_equal "dump: the exact lines" "$(after_family_line)" \
		"$(dump_lines "$P" "$DUMP_DEFAULT_COUNT" "$DUMP_DEFAULT_MSG")"
}

test_dump_counts() {
	run_cmd "$BIN" dump --count 1 --msg "just one"
	check_dump "dump --count 1" 1 "just one"
	expect_equal "dump --count 1: one message with --msg, then done" \
		"$(after_family_line)" "$(dump_lines "$P" 1 "just one")"

	run_cmd "$BIN" dump --count 1000
	check_dump "dump --count 1000" 1000 "$DUMP_DEFAULT_MSG"

	run_cmd "$BIN" dump --count 1000 --msg "many"
	check_dump "dump --count 1000 --msg" 1000 "many"

	# About 4 KiB each: several messages per datagram, several datagrams.
	msg=$(digits "$MSG_MAX_LEN")
	run_cmd "$BIN" dump --count 20 --msg "$msg"
	check_dump "dump 20 x $MSG_MAX_LEN bytes" 20 "$msg"
}

# libnl only: with MSG_PEEK, each dump datagram is sized before it is read.
test_dump_libnl_defaults() {
	run_cmd "$BIN" dump --libnl-defaults --count 1000
	check_dump "libnl only: dump --libnl-defaults --count 1000" 1000 "$DUMP_DEFAULT_MSG"
}

test_dump_count_out_of_range() {
	for count in $((DUMP_MIN_COUNT - 1)) $((DUMP_MAX_COUNT + 1)); do
		run_cmd "$BIN" dump --count "$count"
		expect_fail "dump --count $count: fails with one line"
		expect_contains "dump --count $count: the kernel's ERANGE on DUMP_COUNT" "$ERR" \
			"${P}error: dump failed: kernel replied with error ERANGE (34): "
		expect_contains "dump --count $count: the extended ACK points at the count" "$ERR" \
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

# libnl only. NETLINK_CAP_ACK: the kernel leaves the request out of the error
# (NLM_F_CAPPED), so the TLVs start right after struct nlmsgerr. Same result expected.
test_error_libnl_options() {
	run_cmd "$BIN" error --cap-ack --msg "blame me"
	expect_rc "libnl only: error --cap-ack: exits 0" 0
	expect_equal "libnl only: error --cap-ack: same extended ACK found without the request" \
		"$(after_family_line)" "${P}Kernel replied with error EINVAL (22): $ALWAYS_FAILS
${P}The extended ACK points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request"

	run_cmd "$BIN" error --libnl-defaults
	expect_rc "libnl only: error --libnl-defaults: exits 0" 0
	expect_contains "libnl only: error --libnl-defaults: same error" "$OUT" \
		"${P}Kernel replied with error EINVAL (22): $ALWAYS_FAILS"
}

# The config operations. The suite starts with the default config (the suites before
# it restore it) and restores it at the end, for the suites after it.

# expect_config_line NAME LINE COUNT MSG: the last run succeeded, printed the family
# id first and then exactly LINE ("config" or "config set") with COUNT and MSG.
expect_config_line() {
	expect_rc "$1: succeeds" 0
	expect_family_line "$1: prints the family id first"
	expect_equal "$1: prints the config" "$(after_family_line)" \
		"${P}$2: dump-count $3, dump-msg '$4'"
	expect_silent_stderr "$1: nothing on stderr"
}

test_config_get_default() {
	run_cmd "$BIN" get
	expect_config_line "get" config "$DUMP_DEFAULT_COUNT" "$DUMP_DEFAULT_MSG"
}

test_config_set() {
	run_cmd "$BIN" set --count 5 --msg x
	expect_config_line "set --count 5 --msg x: the echoed notification" "config set" 5 x
	run_cmd "$BIN" get
	expect_config_line "get after set --count 5 --msg x" config 5 x

	run_cmd "$BIN" set --count 7
	expect_config_line "set --count 7: dump-msg kept" "config set" 7 x
	run_cmd "$BIN" set --msg "  spaces, 'quotes' and UTF-8: é  "
	expect_config_line "set --msg: dump-count kept, the text unchanged" "config set" 7 \
		"  spaces, 'quotes' and UTF-8: é  "
	run_cmd "$BIN" set --msg ""
	expect_config_line "set --msg '': the empty text" "config set" 7 ""
	run_cmd "$BIN" get
	expect_config_line "get after set --count 7 and --msg ''" config 7 ""

	# A dump request without DUMP_COUNT and MSG takes them from the config.
	run_cmd "$BIN" dump
	check_dump "dump after set" 7 ""

	msg=$(digits "$MSG_MAX_LEN")
	run_cmd "$BIN" set --msg "$msg"
	expect_config_line "set --msg of $MSG_MAX_LEN bytes: echoed whole" "config set" 7 "$msg"
}

test_config_set_refused() {
	for count in $((DUMP_MIN_COUNT - 1)) $((DUMP_MAX_COUNT + 1)); do
		run_cmd "$BIN" set --count "$count"
		expect_fail "set --count $count: fails with one line"
		expect_contains "set --count $count: the kernel's ERANGE and extended ACK message" \
			"$ERR" "${P}error: config_set failed: kernel replied with error ERANGE (34): integer out of range"
		expect_contains "set --count $count: the extended ACK points at the count" "$ERR" \
			"(points at GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, byte 20 of the request)"
		expect_equal "set --count $count: no config line" "$(after_family_line)" ""
	done

	run_cmd "$BIN" set --msg "$(digits $((MSG_MAX_LEN + 1)))"
	expect_fail "set --msg of $((MSG_MAX_LEN + 1)) bytes: fails with one line"
	expect_contains "set --msg of $((MSG_MAX_LEN + 1)) bytes: EINVAL on the message" "$ERR" \
		"${P}error: config_set failed: kernel replied with error EINVAL (22): "
	expect_contains "set --msg of $((MSG_MAX_LEN + 1)) bytes: points at the message" "$ERR" \
		"(points at GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, byte 20 of the request)"

	run_cmd "$BIN" get
	expect_config_line "get: refused sets changed nothing" config 7 "$(digits "$MSG_MAX_LEN")"
}

# start_listener ARGS...: starts "$BIN" listen ARGS in the background, its stdout
# coming through a fifo on fd 3, and reads its first two lines (the family id, then
# "listening to group ..."): once they are read, the listener has joined, so what
# follows needs no sleep. timeout(1) only turns a listener that never stops into a
# failure instead of a hung suite. Sets LISTENER, LISTEN_JOINED and LISTEN_GROUP.
start_listener() {
	LISTEN_FIFO=$(mktemp -u)
	LISTEN_ERRFILE=$(mktemp)
	mkfifo "$LISTEN_FIFO"
	timeout 120 "$BIN" listen "$@" >"$LISTEN_FIFO" 2>"$LISTEN_ERRFILE" &
	LISTENER=$!
	exec 3<"$LISTEN_FIFO"
	LISTEN_FIRST=""
	LISTEN_JOINED=""
	IFS= read -r LISTEN_FIRST <&3 || true
	IFS= read -r LISTEN_JOINED <&3 || true
	LISTEN_GROUP=$(printf '%s\n' "$LISTEN_JOINED" |
		sed -n "s/^$(prefix_pattern)listening to group 'config' (id \([0-9]*\))$/\1/p")
}

# expect_listener_joined NAME: the listener's second line named the group and its id.
expect_listener_joined() {
	if [ -n "$LISTEN_GROUP" ] && [ "$LISTEN_GROUP" -gt 0 ]; then
		pass "$1"
	else
		fail "$1" "line 1: $LISTEN_FIRST" "line 2: $LISTEN_JOINED" \
			"stderr: $(cat "$LISTEN_ERRFILE")"
	fi
}

# collect_listener: waits for the listener; sets LISTEN_REST (its stdout after the
# first two lines), LISTEN_ERR and LISTEN_RC.
collect_listener() {
	LISTEN_REST=$(cat <&3)
	exec 3<&-
	LISTEN_RC=0
	wait "$LISTENER" || LISTEN_RC=$?
	LISTEN_ERR=$(cat "$LISTEN_ERRFILE")
	rm -f "$LISTEN_FIFO" "$LISTEN_ERRFILE"
}

# listen --count 1 hears the set another process makes.
test_listen_hears_set() {
	start_listener --count 1
	expect_listener_joined "listen: says it joined group 'config' and its id"

	run_cmd "$BIN" set --count 4 --msg "heard"
	expect_config_line "listen: the set made meanwhile" "config set" 4 heard

	collect_listener
	expect_equal "listen --count 1: exits 0 after one notification" "$LISTEN_RC" 0
	expect_equal "listen --count 1: prints the notification with the set's port and seq, then done" \
		"$(printf '%s\n' "$LISTEN_REST" |
			sed "s/(set by port [0-9][0-9]*, seq [0-9][0-9]*)$/(set by port P, seq S)/")" \
		"${P}notification: dump-count 4, dump-msg 'heard' (set by port P, seq S)
${P}listen done: 1 received, 0 lost"
	expect_equal "listen: nothing on stderr" "$LISTEN_ERR" ""
}

test_config_command_line() {
	expect_usage_error set
	expect_usage_error set --count
	expect_usage_error set --count x
	expect_usage_error set --count 4294967296
	expect_usage_error set --msg
	expect_usage_error set --no-msg
	expect_usage_error get --count 3
	expect_usage_error get --msg x
	expect_usage_error listen --msg x
	expect_usage_error listen --count -1
}

# Back to the defaults, which the suites after this one expect.
test_config_restore() {
	run_cmd "$BIN" set --count "$DUMP_DEFAULT_COUNT" --msg "$DUMP_DEFAULT_MSG"
	expect_config_line "set back to the defaults" "config set" "$DUMP_DEFAULT_COUNT" \
		"$DUMP_DEFAULT_MSG"
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
	expect_contains "--help: prints the usage" "$OUT" "$USAGE"
	expect_silent_stderr "--help: nothing on stderr"

	expect_usage_error
	expect_usage_error bogus
	expect_usage_error echo dump
	expect_usage_error --frobnicate echo
	expect_usage_error echo --bogus
	expect_usage_error echo --msg
	expect_usage_error dump --count
	expect_usage_error dump --count ten
	expect_usage_error dump --count 12x
	expect_usage_error dump --count -1
	expect_usage_error dump --count 4294967296
	expect_usage_error echo --count 3
	expect_usage_error error --no-msg
	expect_usage_error dump --no-msg
	expect_usage_error echo --no-msg --msg x
	expect_usage_error echo --msg x --no-msg
}

# count_calls NAME: how many NAME( lines the last strace wrote to $TRACE.
count_calls() {
	grep -c "^$1(" "$TRACE" || true
}

# The protocol's floor: each request is one send, and the family query and the echo,
# sent without NLM_F_ACK, are each answered by one datagram, the reply, read once.
test_syscall_counts() {
	calls=sendto,sendmsg,recvmsg,recvfrom
	run_cmd strace -o "$TRACE" -e trace="$calls" "$BIN" echo
	expect_rc "strace echo: succeeds" 0
	expect_equal "strace echo: 2 $SEND_CALL" "$(count_calls "$SEND_CALL")" 2
	expect_equal "strace echo: 2 recvmsg" "$(count_calls recvmsg)" 2
	expect_equal "strace echo: no MSG_PEEK" "$(grep -c MSG_PEEK "$TRACE" || true)" 0

	# The always-failing command is answered by its error alone.
	run_cmd strace -o "$TRACE" -e trace="$calls" "$BIN" error
	expect_rc "strace error: succeeds" 0
	expect_equal "strace error: 2 $SEND_CALL" "$(count_calls "$SEND_CALL")" 2
	expect_equal "strace error: 2 recvmsg" "$(count_calls recvmsg)" 2
}

# libnl only: with its defaults, each request also gets an ACK and each of the four
# datagrams is read twice (MSG_PEEK first, to size the buffer).
test_syscall_counts_libnl_defaults() {
	run_cmd strace -o "$TRACE" -e trace=sendto,sendmsg,recvmsg,recvfrom "$BIN" echo \
		--libnl-defaults
	expect_rc "libnl only: strace echo --libnl-defaults: succeeds" 0
	expect_equal "libnl only: echo --libnl-defaults: 2 sendmsg" "$(count_calls sendmsg)" 2
	expect_equal "libnl only: echo --libnl-defaults: 8 recvmsg (2 replies + 2 ACKs, each peeked)" \
		"$(count_calls recvmsg)" 8
	expect_equal "libnl only: echo --libnl-defaults: 4 of them MSG_PEEK" \
		"$(grep -c MSG_PEEK "$TRACE" || true)" 4
}

# check_valgrind NAME STATUS ARGS...: the client run with ARGS exits with STATUS under
# memcheck (99 would be valgrind's own verdict), with no memory error, no leak of any
# kind, and nothing on stderr but valgrind's own lines and, on failure, the client's one.
check_valgrind() {
	name=$1
	status=$2
	shift 2
	run_cmd valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=all "$BIN" "$@"
	expect_rc "valgrind $name: exit status $status" "$status"
	expect_contains "valgrind $name: no memory error" "$ERR" "ERROR SUMMARY: 0 errors"
	expect_contains "valgrind $name: every heap block freed" "$ERR" "All heap blocks were freed"
	ERR=$(printf '%s\n' "$ERR" | grep -v '^==[0-9]*==') || true
	if [ "$status" -eq 0 ]; then
		expect_silent_stderr "valgrind $name: nothing else on stderr"
	else
		expect_fail "valgrind $name: only the client's one line besides valgrind's"
	fi
}

test_valgrind() {
	check_valgrind "echo $MSG_MAX_LEN bytes" 0 echo --msg "$(digits "$MSG_MAX_LEN")"
	check_valgrind "dump --count 100" 0 dump --count 100
	check_valgrind "error --msg" 0 error --msg "x"
	check_valgrind "get" 0 get
	check_valgrind "set to the defaults" 0 set --count "$DUMP_DEFAULT_COUNT" \
		--msg "$DUMP_DEFAULT_MSG"
	check_valgrind "set --count $((DUMP_MIN_COUNT - 1))" 1 set --count "$((DUMP_MIN_COUNT - 1))"
	check_valgrind "dump --count $((DUMP_MIN_COUNT - 1))" 1 dump --count "$((DUMP_MIN_COUNT - 1))"
	if [ "$CLIENT" = c-libnl ]; then
		check_valgrind "libnl only: echo --libnl-defaults" 0 echo --libnl-defaults
	fi
}

# expect_family_missing NAME ARGS...: the client run with ARGS fails with the one line
# that says how to load the module, and prints nothing on stdout.
expect_family_missing() {
	name=$1
	shift
	run_cmd "$BIN" "$@"
	expect_fail "$name: fails with one line"
	expect_equal "$name: says the family is not found and how to load the module" "$ERR" \
		"${P}error: Generic Netlink family 'gnl_foobar_xmpl' not found: load the module (sudo insmod kernel-mod/gnl_foobar_xmpl.ko) or run in the VM (sh vm/vm run -- <command>)"
	expect_equal "$name: prints nothing on stdout" "$OUT" ""
}

# Last, as it unloads the module (and loads it again): without the family, the client
# says how to load it. Needs GNL_FOOBAR_XMPL_KO, which vm/vm run sets.
test_family_missing() {
	if [ -z "${GNL_FOOBAR_XMPL_KO:-}" ]; then
		fail "family missing: GNL_FOOBAR_XMPL_KO names the module to reload" \
			"GNL_FOOBAR_XMPL_KO is not set: run this suite through vm/vm run"
		return
	fi
	# A listener sees the family go: the controller announces CTRL_CMD_DELFAMILY.
	start_listener
	expect_listener_joined "family missing: a listener joined before rmmod"
	run_cmd rmmod gnl_foobar_xmpl
	expect_rc "family missing: rmmod gnl_foobar_xmpl" 0
	collect_listener
	expect_equal "family missing: the listener exits 1" "$LISTEN_RC" 1
	expect_equal "family missing: the listener says the family went away, on one line" \
		"$LISTEN_ERR" \
		"${P}error: listen failed: family gnl_foobar_xmpl went away (CTRL_CMD_DELFAMILY)"
	expect_equal "family missing: the listener printed no notification" "$LISTEN_REST" ""

	expect_family_missing "family missing: echo" echo
	if [ "$CLIENT" = c-libnl ]; then
		expect_family_missing "libnl only: family missing: echo --libnl-defaults" \
			echo --libnl-defaults
	fi

	run_cmd insmod "$GNL_FOOBAR_XMPL_KO" dyndbg=+p
	expect_rc "family missing: insmod the module again" 0
	run_cmd "$BIN" echo
	expect_rc "family missing: echo works again after insmod" 0
	expect_echoed "family missing: the echo comes back after insmod" "$DEFAULT_ECHO"
}

printf '%s: echo\n' "$CLIENT" >&2
test_echo_default
test_echo_msg
test_echo_longest_msg
test_echo_too_long
test_echo_without_msg
printf '%s: dump\n' "$CLIENT" >&2
test_dump_default
test_dump_counts
test_dump_count_out_of_range
printf '%s: error\n' "$CLIENT" >&2
test_error
printf '%s: config get, set, listen\n' "$CLIENT" >&2
test_config_get_default
test_config_set
test_config_set_refused
test_listen_hears_set
test_config_command_line
test_config_restore
printf '%s: command line\n' "$CLIENT" >&2
test_command_line
printf '%s: syscall counts (strace)\n' "$CLIENT" >&2
test_syscall_counts
if [ "$CLIENT" = c-libnl ]; then
	printf '%s: libnl only: its default socket, NETLINK_CAP_ACK\n' "$CLIENT" >&2
	test_echo_libnl_defaults
	test_dump_libnl_defaults
	test_error_libnl_options
	test_syscall_counts_libnl_defaults
fi
printf '%s: valgrind memcheck\n' "$CLIENT" >&2
test_valgrind
printf '%s: family missing (rmmod, insmod)\n' "$CLIENT" >&2
test_family_missing

rm -f "$TRACE"
finish "$CLIENT"
