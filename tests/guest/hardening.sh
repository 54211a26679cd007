#!/bin/sh
# Hardening suite, run in the guest with the module loaded: the bad-input catalogue, the
# seeded fuzzer and the stress/fault tests (hardening/src/bin/), then the whole kernel log
# checked for splats, and one summary line for this kernel.
#
#   sh tests/guest/hardening.sh [--long]    # or GNL_LONG=1: the long figures
set -eu
. tests/guest/lib.sh

MODULE=gnl_foobar_xmpl
DYNDBG=/sys/kernel/debug/dynamic_debug/control
# The harness's own list of kernel problems (fixed strings, one a line).
SPLAT_PATTERNS=vm/kernel-problems.txt
OUTPUT=$(mktemp)

LONG=${GNL_LONG:-0}
for arg in "$@"; do
	case "$arg" in
	--long) LONG=1 ;;
	*)
		printf 'hardening.sh: unknown argument %s (usage: [--long])\n' "$arg" >&2
		exit 2
		;;
	esac
done
LONG_ARG=
if [ "$LONG" = 1 ]; then
	LONG_ARG=--long
fi

progress() {
	printf 'hardening: %s\n' "$*" >&2
}

# set_module_debug +p|-p: switches the module's pr_debug lines on or off. The guest turns
# them on; one line per request would flood the log (and the serial console) here.
set_module_debug() {
	if [ -w "$DYNDBG" ] && grep -q "\[$MODULE\]" "$DYNDBG"; then
		echo "module $MODULE $1" >"$DYNDBG" || progress "could not set $MODULE's pr_debug to $1"
	fi
}

restore_module_debug() {
	set_module_debug +p || true
	rm -f "$OUTPUT"
}

# count_from FILE LABEL: the number after "LABEL: " in FILE, or 0.
count_from() {
	sed -n "s/^$2: \([0-9][0-9]*\)$/\1/p" "$1" | tail -n 1 | grep . || echo 0
}

# run_binary [--own-netns] NAME ARGS...: runs one hardening binary (with --own-netns in a
# new network namespace, whose config it may change freely), shows its output and adds
# its closing "SUITE: N passed, N failed" line to this suite's totals. A binary that exits
# non-zero without reporting a failure (a crash, a missing binary) counts as one failure.
run_binary() {
	netns=
	if [ "$1" = --own-netns ]; then
		netns="unshare -n"
		shift
	fi
	name=$1
	shift
	progress "running $name $* (kernel $KERNEL_LABEL)${netns:+, in a network namespace of its own}"
	start=$(date +%s)
	rc=0
	$netns "$GNL_BIN_DIR/$name" "$@" >"$OUTPUT" 2>&1 || rc=$?
	cat "$OUTPUT"
	line=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed$' "$OUTPUT" | tail -n 1) || true
	p=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, .*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*, \([0-9]*\) failed$/\1/p')
	T_PASS=$((T_PASS + ${p:-0}))
	T_FAIL=$((T_FAIL + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		fail "$name exited with status $rc"
	fi
	progress "$name took $(($(date +%s) - start)) s"
}

trap restore_module_debug EXIT
suite_start=$(date +%s)
set_module_debug -p

run_binary hardening-bad-input ${LONG_ARG:+"$LONG_ARG"}
cases=$(count_from "$OUTPUT" "bad_input cases")
# Its config-sets must not reach the initial namespace's config, which other suites read.
run_binary --own-netns hardening-fuzz ${LONG_ARG:+"$LONG_ARG"}
fuzzed=$(count_from "$OUTPUT" "fuzz messages")
# Last: its rmmod/insmod cycles reload the module.
run_binary hardening-stress ${LONG_ARG:+"$LONG_ARG"}
echoes=$(count_from "$OUTPUT" "stress echoes matched")

progress "checking the kernel log since boot"
splat_lines=$(dmesg | grep -F -f "$SPLAT_PATTERNS") || true
splats=$(printf '%s' "$splat_lines" | grep -c .) || true
if [ "$splats" -eq 0 ]; then
	pass "kernel log free of splats since boot"
else
	fail "kernel log free of splats since boot" "$splat_lines"
fi

progress "the suite took $(($(date +%s) - suite_start)) s"
printf 'hardening summary %s: %s cases, %s messages fuzzed, %s echoes matched, %s splats\n' \
	"$KERNEL_LABEL" "$cases" "$fuzzed" "$echoes" "$splats"
finish hardening
