#!/bin/sh
# The guest half of measurements/run.sh: runs inside one VM boot (vm/vm run), as root,
# from the repository root, and leaves raw results in OUTDIR for report.py.
#
#   sh measurements/guest.sh OUTDIR BINDIR full|quick
#
# OUTDIR/env.txt       key=value lines: kernel, clocksource, CPU, date, iterations
# OUTDIR/bench.txt     "rep=R exp=NAME " + each benchmark line, or a FAIL line
# OUTDIR/strace/*.txt  strace logs (whole runs, steady-state runs, failed runs)
# OUTDIR/callgrind-*   callgrind's counts of the echo functions
# OUTDIR/notify.txt    "rep=R client=C count=N received=R lost=L ns=T cpu_ms=M" per
#                      listener run (M: the listener's user + system CPU time)
#
# The notification runs need a network namespace of their own (their config changes
# must not change the other experiments' dumps): main runs them as
#   unshare --net sh measurements/guest.sh --notify OUTDIR BINDIR PLAN REP
set -eu

CLIENTS="rust c-pure c-libnl-fast c-libnl-defaults"
# Every client's listener; libnl's has one configuration for it.
LISTENERS="rust c-pure c-libnl"
PAYLOAD_SIZES="16 64 256 1024 4096"
DUMP_COUNTS="3 100 10000 100000"
BATCH_SIZES="1 8 64"

log() {
	printf 'measurements: %s\n' "$*" >&2
}

# Iteration counts, scaled to what TCG on a 2-core machine runs in minutes (the
# classic figure used 100,000 full cycles). "quick" only checks the pipeline.
# shellcheck disable=SC2034 # N_DUMP_* and N_BATCH_* are read by iterations_for
set_plan() {
	case "$PLAN" in
	full)
		REPS=7 N_CYCLE=20000 N_ECHO=100000 N_PAYLOAD=10000
		N_DUMP_3=20000 N_DUMP_100=2000 N_DUMP_10000=40 N_DUMP_100000=5
		N_BATCH_1=10000 N_BATCH_8=1250 N_BATCH_64=160
		N_STRACE=1000 N_CALLGRIND=2000 N_CALLGRIND_CYCLE=500 N_NOTIFY=20000
		;;
	quick)
		REPS=2 N_CYCLE=50 N_ECHO=200 N_PAYLOAD=50
		N_DUMP_3=50 N_DUMP_100=5 N_DUMP_10000=1 N_DUMP_100000=1
		N_BATCH_1=50 N_BATCH_8=10 N_BATCH_64=2
		N_STRACE=50 N_CALLGRIND=50 N_CALLGRIND_CYCLE=20 N_NOTIFY=200
		;;
	*)
		log "unknown plan '$PLAN': full or quick"
		exit 2
		;;
	esac
}

# run_client CLIENT ARGS...: runs CLIENT's benchmark mode with ARGS (the mode first);
# under strace -f -c when $COUNT_TO names its output, under strace -f when $TRACE_TO
# does, under callgrind (options $CALLGRIND_TOGGLES) when $CALLGRIND_TO does.
run_client() {
	client=$1
	shift
	case "$client" in
	rust) set -- "$BIN/bench" "$@" ;;
	c-pure) set -- "$BIN/user-c-pure" bench "$@" ;;
	c-libnl-fast) set -- "$BIN/user-c-libnl" bench "$@" --fast ;;
	c-libnl-defaults) set -- "$BIN/user-c-libnl" bench "$@" --libnl-defaults ;;
	*)
		log "unknown client $client"
		return 2
		;;
	esac
	if [ -n "${COUNT_TO:-}" ]; then
		strace -f -c -o "$COUNT_TO" "$@"
	elif [ -n "${TRACE_TO:-}" ]; then
		strace -f -o "$TRACE_TO" "$@"
	elif [ -n "${CALLGRIND_TO:-}" ]; then
		# shellcheck disable=SC2086 # one --toggle-collect=FUNCTION word each
		valgrind -q --tool=callgrind --collect-atstart=no $CALLGRIND_TOGGLES \
			--callgrind-out-file="$CALLGRIND_TO" "$@"
	else
		"$@"
	fi
}

# trace_whole_run CLIENT: one complete run of CLIENT's echo program, as a user runs
# it, traced twice: the full trace (report.py splits it) and strace -c's table. The
# output goes to a file, as from a script: stdio buffers it fully, no tty ioctl.
trace_whole_run() {
	client=$1
	case "$client" in
	rust) set -- "$BIN/echo" ;;
	c-pure) set -- "$BIN/user-c-pure" echo ;;
	c-pure-cargo) set -- "$BIN/user-c-pure-cargo" echo ;;
	c-libnl-fast) set -- "$BIN/user-c-libnl" echo --fast ;;
	c-libnl-defaults) set -- "$BIN/user-c-libnl" echo --libnl-defaults ;;
	esac
	strace -f -o "$OUT/strace/whole-run-$client.txt" "$@" >"$OUT/whole-run.out"
	strace -f -c -o "$OUT/strace/whole-run-$client.count.txt" "$@" >"$OUT/whole-run.out"
}

# Syscalls per steady-state round trip: strace -c over N and 2N echoes on one socket.
trace_steady_runs() {
	for client in $CLIENTS; do
		for n in "$N_STRACE" "$((N_STRACE * 2))"; do
			log "strace: $n steady echo round trips of $client"
			COUNT_TO="$OUT/strace/steady-$client-$n.count.txt" \
				run_client "$client" echo --iterations "$n" >/dev/null
		done
	done
}

# User-space instructions per echo round trip and per full cycle, counted by
# callgrind inside the client's own functions only (the benchmark's loop and clock
# reads excluded; for the cycle: opening the socket, resolving the family and the
# echo, not the close). Exact and repeatable, unlike times under TCG: they show
# where a time ratio comes from.
count_instructions() {
	for client in $CLIENTS; do
		case "$client" in
		rust)
			echo_fns='gnl_foobar_xmpl::client::FoobarClient::echo'
			cycle_fns="gnl_foobar_xmpl::client::FoobarClient::connect $echo_fns"
			;;
		*)
			# Both C clients: client.c names its functions alike.
			echo_fns=client_echo
			cycle_fns="client_open client_resolve_family client_echo"
			;;
		esac
		# shellcheck disable=SC2086 # lists of function names
		profile "$client" echo "$N_CALLGRIND" $echo_fns
		# shellcheck disable=SC2086
		profile "$client" cycle "$N_CALLGRIND_CYCLE" $cycle_fns
	done
}

# profile CLIENT MODE N FUNCTION...: callgrind over N operations of CLIENT's benchmark
# MODE, collecting inside the FUNCTIONs only.
profile() {
	client=$1
	mode=$2
	n=$3
	shift 3
	toggles=""
	for fn in "$@"; do
		toggles="$toggles --toggle-collect=$fn"
	done
	log "callgrind: $n operations of $client $mode"
	CALLGRIND_TO="$OUT/callgrind-$client-$mode.out" CALLGRIND_TOGGLES=$toggles \
		run_client "$client" "$mode" --iterations "$n" >/dev/null
}

# rotate N WORDS...: the words, starting from the ((N - 1) mod count)-th.
rotate() {
	steps=$((($1 - 1) % ($# - 1)))
	shift
	while [ "$steps" -gt 0 ]; do
		first=$1
		shift
		set -- "$@" "$first"
		steps=$((steps - 1))
	done
	echo "$@"
}

# bench_all REP EXP ARGS...: experiment EXP (benchmark ARGS) once per client; each
# repetition starts with another client, so that a slow spell of the host does not
# always hit the same one. A failure is recorded with the client's error line.
bench_all() {
	rep=$1
	exp=$2
	shift 2
	log "rep $rep/$REPS: $exp"
	# shellcheck disable=SC2086 # CLIENTS is a list of words
	for client in $(rotate "$rep" $CLIENTS); do
		if line=$(run_client "$client" "$@" 2>"$OUT/stderr"); then
			printf 'rep=%s exp=%s %s\n' "$rep" "$exp" "$line" >>"$OUT/bench.txt"
		else
			printf 'rep=%s exp=%s FAIL client=%s args=%s error=%s\n' "$rep" "$exp" \
				"$client" "$(echo "$@" | tr ' ' '_')" "$(head -n 1 "$OUT/stderr")" \
				>>"$OUT/bench.txt"
		fi
	done
}

# iterations_for NAME VALUE: the plan's N_NAME_VALUE, e.g. N_DUMP_100.
iterations_for() {
	eval "echo \"\$N_$1_$2\""
}

run_repetition() {
	rep=$1
	bench_all "$rep" cycle cycle --iterations "$N_CYCLE"
	bench_all "$rep" echo echo --iterations "$N_ECHO"
	for size in $PAYLOAD_SIZES; do
		bench_all "$rep" "payload-$size" echo --iterations "$N_PAYLOAD" --size "$size"
	done
	for count in $DUMP_COUNTS; do
		bench_all "$rep" "dump-$count" dump --count "$count" \
			--iterations "$(iterations_for DUMP "$count")"
	done
	for k in $BATCH_SIZES; do
		bench_all "$rep" "batch-$k" batch --batch "$k" \
			--iterations "$(iterations_for BATCH "$k")"
	done
}

# listener_command CLIENT: CLIENT's listen operation (it takes --count after this).
listener_command() {
	case "$1" in
	rust) echo "$BIN/listen" ;;
	c-pure) echo "$BIN/user-c-pure listen" ;;
	c-libnl) echo "$BIN/user-c-libnl listen" ;;
	esac
}

# notify_one REP CLIENT: one listener of CLIENT receives N_NOTIFY notifications, made
# as fast as one sender can (user-c-pure bench set: config-sets back to back, each
# waiting for its ACK). Timed from the sender's start to the listener's exit, so the
# figure is notifications delivered per second end to end; the listener reports what
# it lost (ENOBUFS), which is recorded beside it. Its output is drained as it comes,
# so that a full pipe never slows it.
notify_one() {
	rep=$1
	client=$2
	# Not under OUT: the 9p share takes no FIFOs.
	fifo=$SCRATCH/listener.fifo
	rm -f "$fifo"
	mkfifo "$fifo"
	# GNU time: the listener's own CPU time (user + system), what a notification costs it
	# whatever the sender's pace.
	# shellcheck disable=SC2046 # the command's words
	/usr/bin/time -f '%U %S' -o "$SCRATCH/cpu" $(listener_command "$client") \
		--count "$N_NOTIFY" >"$fifo" 2>"$OUT/stderr" &
	listener=$!
	exec 3<"$fifo"
	# Once it says it listens it has joined the group: then the sender may start.
	joined=
	while IFS= read -r line <&3; do
		case $line in
		*"listening to group"*)
			joined=1
			break
			;;
		esac
	done
	if [ -z "$joined" ]; then
		exec 3<&-
		wait "$listener" || true
		printf 'rep=%s client=%s FAIL error=%s\n' "$rep" "$client" \
			"$(head -n 1 "$OUT/stderr")" >>"$OUT/notify.txt"
		return 0
	fi
	cat <&3 >"$SCRATCH/listener.out" &
	drain=$!
	started=$(date +%s%N)
	if ! "$BIN/user-c-pure" bench set --iterations "$N_NOTIFY" >/dev/null 2>>"$OUT/stderr"; then
		kill "$listener" 2>/dev/null || true
	fi
	rc=0
	wait "$listener" || rc=$?
	finished=$(date +%s%N)
	wait "$drain" || true
	exec 3<&-
	done_line=$(tail -n 1 "$SCRATCH/listener.out")
	received=$(printf '%s\n' "$done_line" | sed -n 's/.*listen done: \([0-9]*\) received, \([0-9]*\) lost$/\1/p')
	lost=$(printf '%s\n' "$done_line" | sed -n 's/.*listen done: \([0-9]*\) received, \([0-9]*\) lost$/\2/p')
	if [ "$rc" -ne 0 ] || [ -z "$received" ]; then
		printf 'rep=%s client=%s FAIL error=%s\n' "$rep" "$client" \
			"$(head -n 1 "$OUT/stderr")" >>"$OUT/notify.txt"
		return 0
	fi
	cpu_ms=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$SCRATCH/cpu")
	printf 'rep=%s client=%s count=%s received=%s lost=%s ns=%s cpu_ms=%s\n' "$rep" \
		"$client" "$N_NOTIFY" "$received" "$lost" "$((finished - started))" "$cpu_ms" \
		>>"$OUT/notify.txt"
}

# notify_rates REP: one listener run per client, in this (fresh) network namespace.
notify_rates() {
	log "rep $1/$REPS: notifications to one listener"
	# shellcheck disable=SC2086 # LISTENERS is a list of words
	SCRATCH=$(mktemp -d)
	for client in $(rotate "$1" $LISTENERS); do
		notify_one "$1" "$client"
	done
	rm -rf "$SCRATCH"
}

# Every experiment that failed, once more, one iteration, under a full strace: the
# evidence of why (e.g. ENOBUFS when a receive buffer overflows).
trace_failures() {
	sed -n 's/^rep=[0-9]* exp=\([^ ]*\) FAIL client=\([^ ]*\) args=\([^ ]*\) .*/\1 \2 \3/p' \
		"$OUT/bench.txt" | sort -u | while read -r exp client args; do
		log "strace: the failing $exp of $client"
		args=$(echo "$args" | sed 's/--iterations_[0-9]*/--iterations_1/')
		# shellcheck disable=SC2046 # the recorded arguments, one word each
		TRACE_TO="$OUT/strace/failed-$exp-$client.txt" \
			run_client "$client" $(echo "$args" | tr '_' ' ') >/dev/null 2>&1 || true
	done
}

# vm/vm loads the module with its pr_debug lines on, and lets them reach the serial
# console: each echo and each dump would then also print a line through an emulated
# UART, which costs more than the netlink work measured. Off, as a user loads it.
quiet_module() {
	control=/sys/kernel/debug/dynamic_debug/control
	if [ -w "$control" ]; then
		echo "module gnl_foobar_xmpl -p" >"$control"
	fi
	if grep -q '\[gnl_foobar_xmpl\].* =p ' "$control" 2>/dev/null; then
		log "cannot switch off the module's pr_debug lines"
		exit 1
	fi
}

clocksource() {
	cat /sys/devices/system/clocksource/clocksource0/current_clocksource
}

record_env() {
	{
		echo "kernel=$(cat /proc/sys/kernel/osrelease)"
		echo "clocksource_start=$(clocksource)"
		echo "cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
		echo "guest_cpus=$(grep -c '^processor' /proc/cpuinfo)"
		echo "module_pr_debug=off"
		echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "plan=$PLAN"
		echo "reps=$REPS"
		for var in N_CYCLE N_ECHO N_PAYLOAD N_DUMP_3 N_DUMP_100 N_DUMP_10000 \
			N_DUMP_100000 N_BATCH_1 N_BATCH_8 N_BATCH_64 N_STRACE N_CALLGRIND N_CALLGRIND_CYCLE \
			N_NOTIFY; do
			eval "echo \"$var=\$$var\""
		done
	} >"$OUT/env.txt"
}

main() {
	if [ "$1" = --notify ]; then
		OUT=$2
		BIN=$3
		PLAN=$4
		set_plan
		notify_rates "$5"
		return 0
	fi
	OUT=$1
	BIN=$2
	PLAN=$3
	set_plan
	mkdir -p "$OUT/strace"
	: >"$OUT/bench.txt"
	: >"$OUT/notify.txt"
	quiet_module
	record_env
	for client in $CLIENTS c-pure-cargo; do
		log "strace: one whole echo run of $client"
		trace_whole_run "$client"
	done
	trace_steady_runs
	count_instructions
	rep=1
	while [ "$rep" -le "$REPS" ]; do
		run_repetition "$rep"
		unshare --net sh "$0" --notify "$OUT" "$BIN" "$PLAN" "$rep"
		rep=$((rep + 1))
	done
	trace_failures
	echo "clocksource_end=$(clocksource)" >>"$OUT/env.txt"
	rm -f "$OUT/stderr" "$OUT/whole-run.out"
	log "done"
}

main "$@"
