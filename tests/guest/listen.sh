#!/bin/sh
# Cross-client tests of the config group: the three clients' listeners (Rust `listen`,
# `user-c-pure listen`, `user-c-libnl listen`) against sets made by all three. Every
# listener gets every notification in order, also with the group's id above 32; a listener
# that stops reading reports what it lost (ENOBUFS) and re-reads the config; unloading the
# module under a listener ends it with one clear line; privileges and namespaces through
# each client's set. Runs in the guest, as root, from the repository root; reloads the
# module, loads and unloads the test module gnl_filler (tests/kmod/), and leaves the
# initial namespace's config at the defaults.
#
#   sh tests/guest/listen.sh [TEST...]
set -eu
. tests/guest/lib.sh

CLIENTS="rust c-pure c-libnl"
DEFAULT_COUNT=$(protocol_value GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT)
DEFAULT_MSG=$(protocol_value GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG)
MSG_MAX_LEN=$(protocol_value GNL_FOOBAR_XMPL_MSG_MAX_LEN)
MODULE=gnl_foobar_xmpl
KO=${GNL_FOOBAR_XMPL_KO:?is not set: run this suite through vm/vm run}
SCRATCH=$(mktemp -d)
NETNS=gnl-listen-test
# A hang guard for every listener: one that misses a notification fails its test instead
# of hanging the guest; generous, as an emulated guest on a busy host is slow.
LISTEN_TIMEOUT=600
# Sets one sender makes back to back while a listener reads (test_stream).
STREAM_SETS=2000
# tests/kmod/gnl_filler.ko, built with the module by vm/vm for the same kernel: 32
# families of one multicast group each, which fill every free group id below 33, so that
# the module loaded after it gets a group id above 32 (more than a bind() mask or neli's
# group bitmask can name). Ids come from one bitmap in net/netlink/genetlink.c, lowest
# free run first. A test module rather than other families' modules: the debug kernel has
# none, and the result does not depend on what a distribution builds.
FILLER_KO=${GNL_FILLER_KO:?is not set: run this suite through vm/vm run}

progress() {
	printf 'listen: %s\n' "$*" >&2
}

# prefix_of CLIENT: the client's line prefix.
prefix_of() {
	case "$1" in
	rust) printf '%s' '[User-Rust]: ' ;;
	c-pure) printf '%s' '[User-C-Pure]: ' ;;
	c-libnl) printf '%s' '[User-C-libnl]: ' ;;
	esac
}

# client_argv CLIENT get|set|listen [DIR]: the command line of that operation of that
# client, words for the shell to split (for commands run through capsh, setpriv and the
# like), with the binaries in DIR (default $GNL_BIN_DIR).
client_argv() {
	bin=${3:-$GNL_BIN_DIR}
	case "$1" in
	rust)
		case "$2" in
		get) printf '%s' "$bin/config_get" ;;
		set) printf '%s' "$bin/config_set" ;;
		listen) printf '%s' "$bin/listen" ;;
		esac
		;;
	c-pure) printf '%s %s' "$bin/user-c-pure" "$2" ;;
	c-libnl) printf '%s %s' "$bin/user-c-libnl" "$2" ;;
	esac
}

# client CLIENT get|set|listen [ARGS...]: runs that operation of that client.
client() {
	argv=$(client_argv "$1" "$2")
	shift 2
	# shellcheck disable=SC2086 # the command's words
	$argv "$@"
}

# without_family_line: stdin without the "Generic family id: N" line the C clients print
# first for every operation (their output before the config's own lines).
without_family_line() {
	grep -v "^\[User-[A-Za-z-]*\]: Generic family id: [0-9]*$" || true
}

# client_out CLIENT OP [ARGS...]: run_cmd of the operation, $OUT without the family line.
client_out() {
	run_cmd client "$@"
	OUT=$(printf '%s\n' "$OUT" | without_family_line)
}

# config_line CLIENT WORDS COUNT MSG: a line of the client's config output, e.g.
# "[User-Rust]: config set: dump-count 5, dump-msg 'x'" for WORDS "config set".
config_line() {
	printf "%s%s: dump-count %s, dump-msg '%s'" "$(prefix_of "$1")" "$2" "$3" "$4"
}

# as_nobody CMD...: CMD as user nobody, no capabilities, in the initial namespaces.
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

set_defaults() {
	client c-pure set --count "$DEFAULT_COUNT" --msg "$DEFAULT_MSG" >/dev/null
}

# expect_defaults NAME: the initial namespace's config is the header's defaults.
expect_defaults() {
	client_out c-pure get
	expect_equal "$1" "$OUT" "$(config_line c-pure config "$DEFAULT_COUNT" "$DEFAULT_MSG")"
}

cleanup() {
	ip netns del "$NETNS" 2>/dev/null || true
	# PUBLIC: test_privileges's copies (public_dir), if a failure ended it early.
	rm -rf "$SCRATCH" ${PUBLIC:+"$PUBLIC"}
}
trap cleanup EXIT

# controller_group_id: the id of the module's group "config", as the controller reports it
# (iproute2's genl, independent of the clients under test).
controller_group_id() {
	hex=$(genl ctrl get name "$MODULE" | sed -n 's/.*ID-\(0x[0-9a-fA-F]*\) *name: config *$/\1/p')
	[ -n "$hex" ] || return 1
	printf '%d\n' "$hex"
}

# start_listener NAME CLIENT [ARGS...]: CLIENT's listener (in $IN_NETNS when set), its
# stdout in $SCRATCH/NAME.out, its process id in $SCRATCH/NAME.pid; returns once it has
# printed its first line after the family id (the "listening" line, once it has joined),
# left in $FIRST.
start_listener() {
	name=$1
	lc=$2
	shift 2
	rm -f "$SCRATCH/$name.pipe" "$SCRATCH/$name.ready"
	mkfifo "$SCRATCH/$name.pipe" "$SCRATCH/$name.ready"
	# The inner sh leaves its process id, then becomes the listener: that is the process
	# to stop and to look up in /proc, not timeout's.
	# shellcheck disable=SC2046 # the command's words
	${IN_NETNS:+ip netns exec "$IN_NETNS"} timeout "$LISTEN_TIMEOUT" \
		sh -c 'echo $$ >"$0"; exec "$@"' "$SCRATCH/$name.pid" $(client_argv "$lc" listen) "$@" \
		>"$SCRATCH/$name.pipe" 2>"$SCRATCH/$name.err" &
	eval "LISTENER_$(var_of "$name")=\$!"
	# The copier hands the first line over and keeps draining the rest, so that the
	# listener never blocks on its stdout.
	{
		: >"$SCRATCH/$name.out"
		while IFS= read -r first; do
			printf '%s\n' "$first" >>"$SCRATCH/$name.out"
			[ -n "$(printf '%s\n' "$first" | without_family_line)" ] && break
		done || first=
		printf '%s\n' "$first" >"$SCRATCH/$name.ready"
		cat >>"$SCRATCH/$name.out"
	} <"$SCRATCH/$name.pipe" &
	eval "COPIER_$(var_of "$name")=\$!"
	FIRST=$(cat "$SCRATCH/$name.ready")
}

# var_of NAME: NAME as part of a shell variable's name.
var_of() {
	printf '%s' "$1" | tr -c 'A-Za-z0-9_' _
}

# listener_pid NAME
listener_pid() {
	cat "$SCRATCH/$1.pid"
}

# wait_listener NAME: waits for the listener to exit; $OUT, $ERR, $RC as run_cmd leaves them.
wait_listener() {
	RC=0
	eval "wait \$LISTENER_$(var_of "$1")" || RC=$?
	eval "wait \$COPIER_$(var_of "$1")" || true
	OUT=$(without_family_line <"$SCRATCH/$1.out")
	ERR=$(cat "$SCRATCH/$1.err")
}

# poll_until DESCRIPTION CMD...: runs CMD until it succeeds, up to a minute apart from its
# own run time; a state polled, not a delay guessed. Fails the suite's check otherwise.
poll_until() {
	what=$1
	shift
	tries=0
	until "$@"; do
		tries=$((tries + 1))
		if [ "$tries" -ge 1200 ]; then
			fail "$what" "still not the case after 1200 polls"
			return 1
		fi
		sleep 0.05
	done
}

# process_state PID: the one-letter state of /proc/PID/stat (the field after the
# parenthesised name, which may itself hold spaces).
process_state() {
	sed -n 's/^.*) \([A-Za-z]\) .*$/\1/p' "/proc/$1/stat" 2>/dev/null
}

is_stopped() {
	[ "$(process_state "$1")" = T ]
}

# socket_drops PID: the sum of the Drops column of /proc/net/netlink over the netlink
# sockets process PID holds (matched by inode, as the listeners themselves do).
socket_drops() {
	inodes=$(ls -l "/proc/$1/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p')
	# Columns: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode.
	awk -v inodes=" $(echo $inodes) " 'NR > 1 && index(inodes, " " $10 " ") { d += $9 }
		END { print d + 0 }' "/proc/$1/net/netlink"
}

# output_has NAME PATTERN: the listener's output so far has a line matching the BRE.
output_has() {
	grep -q -- "$2" "$SCRATCH/$1.out"
}

# listening_id CLIENT: the group id in $FIRST, the "listening" line, or nothing.
listening_id() {
	printf '%s\n' "$FIRST" |
		sed -n "s/^$(P=$(prefix_of "$1") prefix_pattern)listening to group 'config' (id \([0-9]*\))$/\1/p"
}

# notifications CLIENT: the notification lines of $OUT without their sender part.
notifications() {
	P=$(prefix_of "$1")
	printf '%s\n' "$OUT" |
		sed -n "s/^\($(prefix_pattern)notification: .*\) (set by port [0-9]*, seq [0-9]*)$/\1/p"
}

# senders CLIENT: "PORT SEQ" of each notification line of $OUT.
senders() {
	P=$(prefix_of "$1")
	printf '%s\n' "$OUT" |
		sed -n "s/^$(prefix_pattern)notification: .* (set by port \([0-9]*\), seq \([0-9]*\))$/\1 \2/p"
}

# A set of the n-th change by a client, for the tests' sequences of sets.
nth_count() {
	echo $((10 + $1))
}

nth_msg() {
	printf 'set %d' "$1"
}

# long_msg N: the longest msg the kernel takes, starting with "set N ", so that the
# notifications fill a receive queue quickly and say which set they announce.
long_msg() {
	printf 'set %d %s' "$1" "$(digits "$MSG_MAX_LEN")" | cut -c1-"$MSG_MAX_LEN"
}

# every_listener_in_order LABEL: one listener per client, all at once, then sets made by
# the three clients in turn (one of them changing nothing); each listener must print every
# set's notification, in the order made, with the same sender port and seq as the others.
every_listener_in_order() {
	label=$1
	sets=7
	for lc in $CLIENTS; do
		start_listener "order_$lc" "$lc" --count "$sets"
		id=$(listening_id "$lc")
		expect_equal "$label: $lc listener joined the config group" "${id:+joined}" joined
		if [ -n "$id" ]; then
			expect_equal "$label: $lc listener resolved the controller's group id" "$id" \
				"$(controller_group_id)"
		else
			fail "$label: $lc listener's first line" "got: $FIRST" "$(cat "$SCRATCH/order_$lc.err")"
		fi
	done

	expected=""
	i=1
	while [ "$i" -le "$sets" ]; do
		# The clients in turn; the 5th set repeats the 4th: every set is announced.
		setter=$(echo $CLIENTS | cut -d' ' -f$(((i - 1) % 3 + 1)))
		n=$i
		[ "$i" -ne 5 ] || n=4
		client_out "$setter" set --count "$(nth_count "$n")" --msg "$(nth_msg "$n")"
		expect_equal "$label: set $i by $setter prints the echoed notification" "$OUT" \
			"$(config_line "$setter" "config set" "$(nth_count "$n")" "$(nth_msg "$n")")"
		expected="$expected$(nth_count "$n") $(nth_msg "$n")
"
		i=$((i + 1))
	done

	first_senders=""
	for lc in $CLIENTS; do
		wait_listener "order_$lc"
		expect_rc "$label: $lc listener exits 0 after $sets notifications" 0
		P=$(prefix_of "$lc")
		want=$(printf '%s' "$expected" | while read -r count msg; do
			config_line "$lc" notification "$count" "$msg"
			echo
		done)
		expect_equal "$label: $lc listener printed every notification, in order" \
			"$(notifications "$lc")" "$want"
		expect_equal "$label: $lc listener's last line" "$(printf '%s\n' "$OUT" | tail -n 1)" \
			"${P}listen done: $sets received, 0 lost"
		expect_silent_stderr "$label: $lc listener: nothing on stderr"
		s=$(senders "$lc")
		if [ -z "$first_senders" ]; then
			first_senders=$s
			distinct=$(printf '%s\n' "$s" | sort -u | grep -c .) || true
			expect_equal "$label: $lc listener: each notification names its own set's port and seq" \
				"$distinct" "$sets"
		else
			expect_equal "$label: $lc listener: the same ports and seqs as the first listener" \
				"$s" "$first_senders"
		fi
	done
	set_defaults
}

test_cross_client_get_set() {
	prev=c-libnl
	for c in $CLIENTS; do
		client_out "$c" set --count 42 --msg "from $c"
		expect_rc "get/set: $c set succeeds" 0
		client_out "$prev" get
		expect_equal "get/set: $prev reads what $c set" "$OUT" \
			"$(config_line "$prev" config 42 "from $c")"
		prev=$c
	done
	set_defaults
}

test_listeners_in_order() {
	every_listener_in_order "listeners (group id $(controller_group_id))"
}

test_group_id_above_32() {
	# The module's own id must not be the lowest free one when it registers again.
	rmmod "$MODULE"
	run_cmd insmod "$FILLER_KO"
	expect_rc "insmod gnl_filler (32 families of one group each)" 0
	insmod "$KO"
	[ "$RC" -eq 0 ] || return 0
	id=$(controller_group_id) || id=0
	if [ "$id" -gt 32 ]; then
		pass "group id above 32: the controller reports $id"
	else
		fail "group id above 32: the controller reports $id"
	fi
	every_listener_in_order "listeners (group id $id)"
	# The module keeps its group id; the next suites do not depend on which it is.
	run_cmd rmmod gnl_filler
	expect_rc "rmmod gnl_filler" 0
}

# enobufs_for CLIENT: CLIENT's listener stopped (SIGSTOP) right after joining, sets of the
# longest msg until the kernel counts drops on its socket and a few more, then SIGCONT: it
# must print what it received (the first sets, in order), the loss, the config of the last
# set, and go on listening.
enobufs_for() {
	lc=$1
	P=$(prefix_of "$lc")
	start_listener "enobufs_$lc" "$lc"
	pid=$(listener_pid "enobufs_$lc")
	kill -STOP "$pid"
	poll_until "ENOBUFS $lc: the listener is stopped" is_stopped "$pid" || return 0
	sets=0
	extra=0
	# The kernel drops every notification from the first one that does not fit until the
	# socket's queue is read empty; 3 more sets after that make the last one a lost one.
	while [ "$extra" -lt 3 ]; do
		sets=$((sets + 1))
		client c-pure set --count "$sets" --msg "$(long_msg "$sets")" >/dev/null
		if [ "$extra" -gt 0 ] || [ "$(socket_drops "$pid")" -gt 0 ]; then
			extra=$((extra + 1))
		fi
		if [ "$sets" -ge 5000 ]; then
			fail "ENOBUFS $lc: the listener's queue overflows" "no drop after $sets sets"
			kill -CONT "$pid"
			kill "$pid"
			wait_listener "enobufs_$lc"
			return 0
		fi
	done
	kill -CONT "$pid"
	# Recovered: the config re-read after the loss has been printed.
	poll_until "ENOBUFS $lc: the listener prints the config after the loss" \
		output_has "enobufs_$lc" "^$(prefix_pattern)config now: " || true
	# Still listening: one more set is seen.
	client c-pure set --count 1 --msg "after the loss" >/dev/null
	poll_until "ENOBUFS $lc: the listener goes on listening" \
		output_has "enobufs_$lc" "^$(prefix_pattern)notification: dump-count 1, dump-msg 'after the loss'" || true
	kill "$pid"
	wait_listener "enobufs_$lc"

	received=$(printf '%s\n' "$OUT" | grep -c "^$(prefix_pattern)notification: ") || true
	received=$((received - 1))
	lost=$(printf '%s\n' "$OUT" |
		sed -n "s/^$(prefix_pattern)lost \([0-9]*\) notifications: the receive queue overflowed (ENOBUFS)$/\1/p")
	expect_equal "ENOBUFS $lc: one loss reported" "$(printf '%s\n' "$lost" | grep -c .)" 1
	expect_equal "ENOBUFS $lc: received + lost = sets ($sets)" "$((received + ${lost:-0}))" "$sets"
	expect_equal "ENOBUFS $lc: some were received before the loss" "$((received > 0))" 1
	want=$(numbers_below "$received" | while read -r n; do
		n=$((n + 1))
		config_line "$lc" notification "$n" "$(long_msg "$n")"
		echo
	done)
	expect_equal "ENOBUFS $lc: the received ones are the first sets, in order" \
		"$(notifications "$lc" | head -n "$received")" "$want"
	expect_equal "ENOBUFS $lc: then the loss, then the config of the last set" \
		"$(printf '%s\n' "$OUT" | grep -A1 "^$(prefix_pattern)lost " | tail -n 1)" \
		"$(config_line "$lc" "config now" "$sets" "$(long_msg "$sets")")"
	set_defaults
}

test_enobufs() {
	for lc in $CLIENTS; do
		enobufs_for "$lc"
	done
}

# stream_for CLIENT: CLIENT's listener while one sender makes STREAM_SETS + 1 sets back to
# back (user-c-pure bench set: one untimed, then STREAM_SETS). Whether the listener keeps
# up or overflows depends on the scheduler (libnl's 32 KiB receive buffer overflows
# soonest), so either is fine; what must hold is the accounting: the listener ends by
# itself at --count, having received or reported lost every notification up to it,
# never waiting for one it was not told it lost.
stream_for() {
	lc=$1
	P=$(prefix_of "$lc")
	start_listener "stream_$lc" "$lc" --count "$STREAM_SETS"
	run_cmd "$GNL_BIN_DIR/user-c-pure" bench set --iterations "$STREAM_SETS"
	expect_rc "stream $lc: the sender's $((STREAM_SETS + 1)) sets succeed" 0
	wait_listener "stream_$lc"
	expect_rc "stream $lc: the listener ends by itself at --count $STREAM_SETS" 0
	done_line=$(printf '%s\n' "$OUT" | tail -n 1)
	received=$(printf '%s\n' "$done_line" | sed -n "s/^$(prefix_pattern)listen done: \([0-9]*\) received, \([0-9]*\) lost$/\1/p")
	lost=$(printf '%s\n' "$done_line" | sed -n "s/^$(prefix_pattern)listen done: \([0-9]*\) received, \([0-9]*\) lost$/\2/p")
	total=$((${received:-0} + ${lost:-0}))
	expect_equal "stream $lc: received + lost reaches --count, and at most every set made" \
		"$((total >= STREAM_SETS && total <= STREAM_SETS + 1))" 1
	expect_equal "stream $lc: one notification line for each received" \
		"$(printf '%s\n' "$OUT" | grep -c "^$(prefix_pattern)notification: ")" "${received:-0}"
	progress "stream $lc: ${received:-?} received, ${lost:-?} lost"
	set_defaults
}

test_stream() {
	for lc in $CLIENTS; do
		stream_for "$lc"
	done
}

# The core's GENL_UNS_ADMIN_PERM check, through each client's set: the one-line error.
test_privileges() {
	# What nobody and the root of a user namespace run: copies of the clients, outside the
	# checkout (see public_dir).
	public_dir "$GNL_BIN_DIR/config_get" "$GNL_BIN_DIR/config_set" "$GNL_BIN_DIR/user-c-pure" \
		"$GNL_BIN_DIR/user-c-libnl"
	for c in $CLIENTS; do
		P=$(prefix_of "$c")
		eperm="${P}error: config_set failed: kernel replied with error EPERM (1): Operation not permitted"
		client_out "$c" set --count 7
		expect_rc "privileges $c: root may set" 0

		run_cmd /usr/sbin/capsh --drop=cap_net_admin -- -c "$(client_argv "$c" set) --count 8"
		expect_rc "privileges $c: root without CAP_NET_ADMIN: exit 1" 1
		expect_equal "privileges $c: root without CAP_NET_ADMIN: EPERM" "$ERR" "$eperm"

		# shellcheck disable=SC2046 # the command's words
		run_cmd as_nobody $(client_argv "$c" set "$PUBLIC") --count 8
		expect_rc "privileges $c: nobody: exit 1" 1
		expect_equal "privileges $c: nobody: EPERM" "$ERR" "$eperm"

		# shellcheck disable=SC2046 # the command's words
		run_cmd as_nobody $(client_argv "$c" get "$PUBLIC")
		OUT=$(printf '%s\n' "$OUT" | without_family_line)
		expect_equal "privileges $c: nobody may get" "$OUT" "$(config_line "$c" config 7 "$DEFAULT_MSG")"

		# shellcheck disable=SC2046 # the command's words
		run_cmd /usr/bin/python3 tests/guest/userns-run.py --cwd "$PUBLIC" nobody \
			$(client_argv "$c" set "$PUBLIC") --count 8
		expect_equal "privileges $c: root of its own user namespace, initial network namespace: EPERM" \
			"$ERR" "$eperm"

		run_cmd /usr/bin/python3 tests/guest/userns-run.py --net --cwd "$PUBLIC" nobody sh -c \
			"$(client_argv "$c" set "$PUBLIC") --count 9 && $(client_argv "$c" get "$PUBLIC")"
		OUT=$(printf '%s\n' "$OUT" | without_family_line)
		expect_rc "privileges $c: root of its own user and network namespace may set there" 0
		expect_equal "privileges $c: ... and sees its own namespace's config" "$OUT" \
			"$(config_line "$c" "config set" 9 "$DEFAULT_MSG")
$(config_line "$c" config 9 "$DEFAULT_MSG")"

		client_out "$c" get
		expect_equal "privileges $c: the initial namespace's config is root's set only" "$OUT" \
			"$(config_line "$c" config 7 "$DEFAULT_MSG")"
	done
	rm -rf "$PUBLIC"
	set_defaults
}

# A listener in another namespace sees that namespace's sets only, and the other way round.
test_namespaces() {
	ip netns add "$NETNS"
	for lc in $CLIENTS; do
		P=$(prefix_of "$lc")
		IN_NETNS=$NETNS start_listener "netns_$lc" "$lc" --count 1
		start_listener "init_$lc" "$lc" --count 1
		ip netns exec "$NETNS" $(client_argv "$lc" set) --count 21 --msg there >/dev/null
		client "$lc" set --count 22 --msg here >/dev/null
		wait_listener "netns_$lc"
		expect_equal "namespaces $lc: the other namespace's listener saw its own set only" \
			"$(notifications "$lc")" "$(config_line "$lc" notification 21 there)"
		wait_listener "init_$lc"
		expect_equal "namespaces $lc: the initial namespace's listener saw its own set only" \
			"$(notifications "$lc")" "$(config_line "$lc" notification 22 here)"
	done
	ip netns del "$NETNS"
	set_defaults
}

# Namespaces that had their own config and listeners are destroyed: no module reference
# stays, the initial namespace's config is untouched, the module unloads and comes back.
test_namespace_exit() {
	client c-pure set --count 77 --msg "initial namespace" >/dev/null
	for c in $CLIENTS; do
		ip netns add "$NETNS"
		IN_NETNS=$NETNS start_listener "gone_$c" "$c" --count 1
		ip netns exec "$NETNS" $(client_argv "$c" set) --count 5 --msg gone >/dev/null
		wait_listener "gone_$c"
		expect_rc "namespace exit $c: the namespace's listener got its set" 0
		ip netns del "$NETNS"
	done
	client_out c-pure get
	expect_equal "namespace exit: the initial namespace's config unchanged" "$OUT" \
		"$(config_line c-pure config 77 "initial namespace")"
	set_defaults
	expect_equal "namespace exit: no module reference left" "$(cat "/sys/module/$MODULE/refcnt")" 0
	run_cmd rmmod "$MODULE"
	expect_rc "namespace exit: rmmod succeeds" 0
	run_cmd insmod "$KO"
	expect_rc "namespace exit: insmod succeeds" 0
	expect_defaults "namespace exit: reloaded with the defaults"
}

# The module unloaded under a running listener of each client: the controller's
# CTRL_CMD_DELFAMILY ends it with one line and exit 1.
test_unload_under_listener() {
	for lc in $CLIENTS; do
		P=$(prefix_of "$lc")
		start_listener "unload_$lc" "$lc"
		expect_equal "unload $lc: listening" "${FIRST%% (id *}" "${P}listening to group 'config'"
	done
	run_cmd rmmod "$MODULE"
	expect_rc "unload: rmmod under three listeners succeeds" 0
	for lc in $CLIENTS; do
		P=$(prefix_of "$lc")
		wait_listener "unload_$lc"
		expect_rc "unload $lc: the listener exits 1" 1
		expect_equal "unload $lc: one clear line" "$ERR" \
			"${P}error: listen failed: family $MODULE went away (CTRL_CMD_DELFAMILY)"
	done
	run_cmd insmod "$KO"
	expect_rc "unload: insmod succeeds" 0
	expect_defaults "unload: reloaded with the defaults"
}

TESTS=${*:-test_cross_client_get_set test_listeners_in_order test_privileges test_namespaces
	test_enobufs test_stream test_group_id_above_32 test_namespace_exit test_unload_under_listener}
set_defaults
for t in $TESTS; do
	progress "$t"
	"$t"
done
set_defaults
expect_defaults "the initial namespace's config is back at the defaults"
finish listen
