#!/bin/sh
# Tests of the three clients' benchmark modes against the loaded module: each mode runs
# and prints one well-formed line, bad command lines are refused, and the system calls
# per round trip, per batch and per dump are exactly the protocol's. Times are never
# asserted. Runs in the guest, as root, from the repository root.
set -eu
. tests/guest/lib.sh

CLIENTS="rust c-pure c-libnl-fast c-libnl-defaults"
# --size takes what the kernel echoes: at most the protocol's longest message.
MSG_MAX_LEN=$(protocol_value GNL_FOOBAR_XMPL_MSG_MAX_LEN)
COUNT_SMALL=$(mktemp)
COUNT_BIG=$(mktemp)

# run_bench CLIENT ARGS...: CLIENT's benchmark mode with ARGS (the mode first), through
# run_cmd; under strace -f -c writing to $STRACE_TO when that is set.
run_bench() {
	client=$1
	shift
	case "$client" in
	rust) set -- "$GNL_BIN_DIR/bench" "$@" ;;
	c-pure) set -- "$GNL_BIN_DIR/user-c-pure" bench "$@" ;;
	c-libnl-fast) set -- "$GNL_BIN_DIR/user-c-libnl" bench "$@" --fast ;;
	c-libnl-defaults) set -- "$GNL_BIN_DIR/user-c-libnl" bench "$@" --libnl-defaults ;;
	esac
	if [ -n "${STRACE_TO:-}" ]; then
		run_cmd strace -f -c -o "$STRACE_TO" "$@"
	else
		run_cmd "$@"
	fi
}

# field NAME: the value of NAME=... in the last run's output line.
field() {
	printf '%s\n' "$OUT" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# expect_line NAME CLIENT MODE N SIZE COUNT BATCH: the last run printed one line of the
# shared format, naming what ran, with statistics that agree with each other.
expect_line() {
	name=$1
	pattern="^bench client=$2 mode=$3 iterations=$4 size=$5 count=$6 batch=$7"
	pattern="$pattern total_ns=[0-9]+ mean_ns=[0-9]+ p50_ns=[0-9]+ p99_ns=[0-9]+"
	pattern="$pattern min_ns=[0-9]+ max_ns=[0-9]+ item_ns=[0-9]+\.[0-9]$"
	if [ "$RC" -ne 0 ] || [ -n "$ERR" ]; then
		fail "$name: runs" "exit status $RC" "stderr: $ERR"
		return
	fi
	pass "$name: runs"
	if ! printf '%s\n' "$OUT" | grep -Eq "$pattern" || [ "$(printf '%s\n' "$OUT" | wc -l)" -ne 1 ]; then
		fail "$name: one well-formed line" "got: $OUT" "expected: $pattern"
		return
	fi
	pass "$name: one well-formed line"
	items=1
	[ "$3" = dump ] && items=$6
	[ "$3" = batch ] && items=$7
	# min <= p50 <= p99 <= max, mean = total / N, item = total / (N * items).
	if awk -v n="$4" -v items="$items" -v t="$(field total_ns)" -v m="$(field mean_ns)" \
		-v p50="$(field p50_ns)" -v p99="$(field p99_ns)" -v lo="$(field min_ns)" \
		-v hi="$(field max_ns)" -v item="$(field item_ns)" 'BEGIN {
			ok = lo + 0 <= p50 + 0 && p50 + 0 <= p99 + 0 && p99 + 0 <= hi + 0 &&
			     m == int(t / n) && t + 0 >= lo * n && t + 0 <= hi * n &&
			     (item - t / (n * items))^2 < 0.01
			exit !ok }'; then
		pass "$name: statistics agree"
	else
		fail "$name: statistics agree" "got: $OUT"
	fi
}

test_modes() {
	for client in $CLIENTS; do
		run_bench "$client" cycle --iterations 3 --size 100
		expect_line "$client cycle" "$client" cycle 3 100 0 1
		run_bench "$client" echo --iterations 5 --size "$MSG_MAX_LEN"
		expect_line "$client echo $MSG_MAX_LEN bytes" "$client" echo 5 "$MSG_MAX_LEN" 0 1
		run_bench "$client" echo --iterations 5 --size 0
		expect_line "$client echo 0 bytes" "$client" echo 5 0 0 1
		run_bench "$client" dump --iterations 2 --count 1000
		expect_line "$client dump" "$client" dump 2 0 1000 1
		run_bench "$client" batch --iterations 2 --batch 4
		expect_line "$client batch" "$client" batch 2 16 0 4
	done
}

test_defaults() {
	for client in $CLIENTS; do
		run_bench "$client" echo
		expect_line "$client echo, defaults" "$client" echo 1000 16 0 1
	done
}

# expect_usage_error CLIENT ARGS...: CLIENT's benchmark mode refuses ARGS.
expect_usage_error() {
	client=$1
	shift
	run_bench "$client" "$@"
	expect_fail "$client bench $*: one line on stderr"
	expect_rc "$client bench $*: usage status" 2
	expect_equal "$client bench $*: nothing on stdout" "$OUT" ""
}

test_command_line() {
	for client in $CLIENTS; do
		expect_usage_error "$client" frobnicate
		expect_usage_error "$client" echo --iterations 0
		expect_usage_error "$client" echo --size "$((MSG_MAX_LEN + 1))"
		expect_usage_error "$client" echo --count 3
		expect_usage_error "$client" dump --size 16
		expect_usage_error "$client" dump --count 0
		expect_usage_error "$client" batch --batch 0
		expect_usage_error "$client" cycle --batch 2
	done
	for client in rust c-pure c-libnl-fast; do
		expect_usage_error "$client"
	done
}

# counts FILE: "syscall calls" lines of an strace -c table.
counts() {
	awk '$1 ~ /^[0-9.]+$/ && $NF != "total" { print $NF, $4 }' "$1" | sort
}

# per_operation N: the syscalls that one operation adds, from strace -c tables of N
# ($COUNT_SMALL) and 2N ($COUNT_BIG) operations, as "name=calls" words in name order.
# clock_gettime is left out: it is the benchmark's clock, a vDSO call that becomes a
# system call when the guest's clocksource is the HPET (two TCG vCPUs).
per_operation() {
	counts "$COUNT_SMALL" >"$COUNT_SMALL.calls"
	counts "$COUNT_BIG" >"$COUNT_BIG.calls"
	join -a 1 -a 2 -e 0 -o 0,1.2,2.2 "$COUNT_SMALL.calls" "$COUNT_BIG.calls" |
		awk -v n="$1" '$1 != "clock_gettime" && $3 != $2 {
			printf "%s%s=%g", sep, $1, ($3 - $2) / n; sep = " " }'
	rm -f "$COUNT_SMALL.calls" "$COUNT_BIG.calls"
}

# expect_syscalls NAME CLIENT N EXPECTED ARGS...: what one operation of CLIENT's
# benchmark ARGS costs in system calls is exactly EXPECTED ("name=calls ...").
expect_syscalls() {
	name=$1
	client=$2
	n=$3
	expected=$4
	shift 4
	STRACE_TO=$COUNT_SMALL run_bench "$client" "$@" --iterations "$n"
	small_rc=$RC
	STRACE_TO=$COUNT_BIG run_bench "$client" "$@" --iterations "$((n * 2))"
	if [ "$small_rc" -ne 0 ] || [ "$RC" -ne 0 ]; then
		fail "$name" "a traced run failed: $ERR"
		return
	fi
	expect_equal "$name" "$(per_operation "$n")" "$expected"
}

test_syscalls() {
	# One echo round trip: one send, one receive; libnl's defaults add an ACK and
	# read each of the two datagrams twice (MSG_PEEK first).
	expect_syscalls "rust: per echo, 1 sendto + 1 recvfrom" rust 20 \
		"recvfrom=1 sendto=1" echo
	expect_syscalls "c-pure: per echo, 1 sendto + 1 recvmsg" c-pure 20 \
		"recvmsg=1 sendto=1" echo
	expect_syscalls "c-libnl-fast: per echo, 1 sendmsg + 1 recvmsg" c-libnl-fast 20 \
		"recvmsg=1 sendmsg=1" echo
	expect_syscalls "c-libnl-defaults: per echo, 1 sendmsg + 4 recvmsg" c-libnl-defaults 20 \
		"recvmsg=4 sendmsg=1" echo

	# A batch of 8: one send for all, one datagram per reply.
	expect_syscalls "rust: per batch of 8, 1 sendto + 8 recvfrom" rust 5 \
		"recvfrom=8 sendto=1" batch --batch 8
	expect_syscalls "c-pure: per batch of 8, 1 sendto + 8 recvmsg" c-pure 5 \
		"recvmsg=8 sendto=1" batch --batch 8
	expect_syscalls "c-libnl-fast: per batch of 8, 1 sendto + 8 recvmsg" c-libnl-fast 5 \
		"recvmsg=8 sendto=1" batch --batch 8
	expect_syscalls "c-libnl-defaults: per batch of 8, 1 sendto + 32 recvmsg" \
		c-libnl-defaults 5 "recvmsg=32 sendto=1" batch --batch 8

	# A dump of 100 messages (about 7 KiB) and its NLMSG_DONE: one datagram.
	expect_syscalls "rust: per dump of 100, 1 sendto + 1 recvfrom" rust 5 \
		"recvfrom=1 sendto=1" dump --count 100
	expect_syscalls "c-pure: per dump of 100, 1 sendto + 1 recvmsg" c-pure 5 \
		"recvmsg=1 sendto=1" dump --count 100
	expect_syscalls "c-libnl-fast: per dump of 100, 1 sendmsg + 1 recvmsg" c-libnl-fast 5 \
		"recvmsg=1 sendmsg=1" dump --count 100
	expect_syscalls "c-libnl-defaults: per dump of 100, 1 sendmsg + 2 recvmsg" \
		c-libnl-defaults 5 "recvmsg=2 sendmsg=1" dump --count 100
}

# The C benchmarks allocate their samples, and libnl's batch a request per echo and
# one datagram for all: memcheck finds no error and no leak there (the clients'
# own suites run memcheck over everything else).
test_valgrind() {
	for client in c-pure c-libnl; do
		run_cmd valgrind --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect \
			"$GNL_BIN_DIR/user-$client" bench batch --iterations 2 --batch 4
		expect_rc "valgrind $client bench batch: exit status 0" 0
		expect_contains "valgrind $client bench batch: no memory error" "$ERR" \
			"ERROR SUMMARY: 0 errors"
	done
}

printf 'bench: every mode of every client\n' >&2
test_modes
test_defaults
printf 'bench: command lines\n' >&2
test_command_line
printf 'bench: system calls per operation (strace)\n' >&2
test_syscalls
printf 'bench: valgrind memcheck\n' >&2
test_valgrind

rm -f "$COUNT_SMALL" "$COUNT_BIG"
finish bench
