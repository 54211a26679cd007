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

# The helpers below serve the suites of one client (c-pure.sh, c-libnl.sh). They read
# $P, the client's line prefix such as '[User-C-Pure]: ', and $OUT of the last run_cmd.

# digits N: prints N characters "0123456789012...", so that a cut-off shows.
digits() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%d", i % 10 }'
}

# numbers_below N: prints 0 to N-1, one a line.
numbers_below() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print i }'
}

# prefix_pattern: $P as a sed pattern, its brackets and other special characters escaped.
prefix_pattern() {
	printf '%s' "$P" | sed 's/[][\\.*^$/]/\\&/g'
}

# dump_indexes: the indexes of the dump lines of $OUT, in the order printed.
dump_indexes() {
	printf '%s\n' "$OUT" | sed -n "s/^$(prefix_pattern)dump message \([0-9]*\): '.*'$/\1/p"
}

# dump_texts: the distinct texts of the dump lines of $OUT.
dump_texts() {
	printf '%s\n' "$OUT" | sed -n "s/^$(prefix_pattern)dump message [0-9]*: '\(.*\)'$/\1/p" |
		sort -u
}

# after_family_line [TEXT]: TEXT (default $OUT) without its first line, the family id.
after_family_line() {
	printf '%s\n' "${1-$OUT}" | sed -n '2,$p'
}

# expect_family_line NAME: the last run printed the family id, a positive number, first.
expect_family_line() {
	id=$(printf '%s\n' "$OUT" | sed -n "1s/^$(prefix_pattern)Generic family id: \([0-9]*\)$/\1/p")
	if [ -n "$id" ] && [ "$id" -gt 0 ]; then
		pass "$1"
	else
		fail "$1" "no 'Generic family id: N' first line" "stdout: $OUT"
	fi
}

# expect_silent_stderr NAME
expect_silent_stderr() {
	expect_equal "$1" "$ERR" ""
}

# expect_echoed NAME TEXT: the last run sent TEXT and printed the kernel's echo of it.
expect_echoed() {
	expect_equal "$1" "$(after_family_line)" "${P}Sending to kernel: '$2'
${P}Received from kernel: '$2'"
}

# kernel_has_miss_type: whether the running kernel reports NLMSGERR_ATTR_MISS_TYPE (6.0+).
# Its version comes from the kernel: $KERNEL is the harness's name for it ("unstable").
kernel_has_miss_type() {
	[ "$(cut -d . -f 1 /proc/sys/kernel/osrelease)" -ge 6 ]
}

# finish SUITE: prints the suite's closing line; returns non-zero if anything failed.
finish() {
	rm -f "$T_ERRFILE"
	printf '%s: %d passed, %d failed\n' "$1" "$T_PASS" "$T_FAIL"
	[ "$T_FAIL" -eq 0 ]
}
