# Helpers shared by the in-guest shell tests (sourced, not run). Each check prints
# "ok - NAME" or "not ok - NAME" with the evidence, and finish prints the suite's
# "N passed, N failed" line and returns non-zero when anything failed.
#
# Conventions: tests run as root inside the guest (vm/vm run), from the repository
# root; client binaries are found in $GNL_BIN_DIR (default target/debug).

GNL_BIN_DIR=${GNL_BIN_DIR:-target/debug}
T_PASS=0
T_FAIL=0
T_ERRFILE=$(mktemp)

pass() {
	T_PASS=$((T_PASS + 1))
	printf 'ok - %s\n' "$1"
}

# fail NAME [DETAIL...]: records a failure, with each DETAIL on its own line.
fail() {
	T_FAIL=$((T_FAIL + 1))
	printf 'not ok - %s\n' "$1"
	shift
	for detail in "$@"; do
		printf '#   %s\n' "$detail"
	done
}

# run_cmd CMD ARGS...: runs a command, leaving its stdout in $OUT, its stderr in
# $ERR and its exit status in $RC. Never fails by itself.
run_cmd() {
	RC=0
	OUT=$("$@" 2>"$T_ERRFILE") || RC=$?
	ERR=$(cat "$T_ERRFILE")
}

# expect_rc NAME EXPECTED: checks the status of the last run_cmd.
expect_rc() {
	if [ "$RC" -eq "$2" ]; then
		pass "$1"
	else
		fail "$1" "exit status $RC, expected $2" "stdout: $OUT" "stderr: $ERR"
	fi
}

# expect_fail NAME: checks that the last run_cmd failed with a non-zero status and
# one line on stderr.
expect_fail() {
	lines=$(printf '%s\n' "$ERR" | grep -c .) || true
	if [ "$RC" -ne 0 ] && [ "$lines" -eq 1 ]; then
		pass "$1"
	else
		fail "$1" "exit status $RC and $lines stderr lines, expected non-zero and 1" \
			"stdout: $OUT" "stderr: $ERR"
	fi
}

# expect_contains NAME TEXT NEEDLE: checks that TEXT contains NEEDLE (a fixed string).
expect_contains() {
	case "$2" in
	*"$3"*) pass "$1" ;;
	*) fail "$1" "expected to find: $3" "in: $2" ;;
	esac
}

# expect_equal NAME ACTUAL EXPECTED
expect_equal() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got:      $2" "expected: $3"
	fi
}

# finish SUITE: prints the suite's closing line; returns non-zero if anything failed.
finish() {
	rm -f "$T_ERRFILE"
	printf '%s: %d passed, %d failed\n' "$1" "$T_PASS" "$T_FAIL"
	[ "$T_FAIL" -eq 0 ]
}
