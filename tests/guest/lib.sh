# Helpers shared by the in-guest shell tests (sourced, not run). Each check prints
# "ok - NAME" or "not ok - NAME" with the evidence, and finish prints the suite's
# "N passed, N failed" line and returns non-zero when anything failed.
#
# Conventions: tests run as root inside the guest (vm/vm run), from the repository
# root; client binaries are found in $GNL_BIN_DIR (default target/debug).

GNL_BIN_DIR=${GNL_BIN_DIR:-target/debug}
# The harness's name for the guest's kernel (vm/kernels: "6.1", one day maybe
# "6.12-debug"), for output lines only: a name is not a version. Tests that depend on
# the kernel ask kernel_at_least, which reads the running kernel's own version.
KERNEL_LABEL=${GNL_FOOBAR_XMPL_KERNEL:-$(cat /proc/sys/kernel/osrelease)}
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

# kernel_at_least MAJOR.MINOR: whether the running kernel is that version or newer,
# read from /proc/sys/kernel/osrelease (e.g. "6.1.0-50-amd64").
kernel_at_least() {
	awk -v want="$1" '{
		split($0, have, /[.-]/); split(want, w, ".")
		exit !(have[1] > w[1] || (have[1] == w[1] && have[2] >= w[2]))
	}' /proc/sys/kernel/osrelease
}

# public_dir SRC...: makes $PUBLIC, a new directory of the guest's tmpfs that every user
# may enter and read (mode 0755), with a copy of each SRC (a file or a directory) in it
# under its own name. For what the suites run as user nobody or as root of an
# unprivileged user namespace: the checkout may be closed to other users (a clone into
# `mktemp -d` is mode 0700). The caller removes it (rm -rf "$PUBLIC").
public_dir() {
	PUBLIC=$(mktemp -d)
	chmod 755 "$PUBLIC"
	for src in "$@"; do
		cp -R -- "$src" "$PUBLIC/" || {
			printf 'lib.sh: cannot copy %s into %s\n' "$src" "$PUBLIC" >&2
			exit 1
		}
	done
	# Readable by everyone whatever the umask.
	chmod -R a+rX "$PUBLIC"
}

# protocol_value NAME: macro NAME of include/gnl_foobar_xmpl.h as the C compiler sees
# it: a string without its quotes, or a number. Fails the suite if there is no such
# macro, so that a renamed constant cannot turn a check into a comparison with "".
protocol_value() {
	value=$(printf '#include "gnl_foobar_xmpl.h"\n%s\n' "$1" | cpp -P -Iinclude - | sed '/^$/d' |
		tail -n 1)
	case "$value" in
	"$1" | "")
		printf 'lib.sh: %s is not a macro of include/gnl_foobar_xmpl.h\n' "$1" >&2
		exit 1
		;;
	\"*\")
		value=${value#\"}
		printf '%s\n' "${value%\"}"
		;;
	*) printf '%s\n' "$((value))" ;;
	esac
}

# The helpers below serve the suites of one client (c-client.sh). They read $P, the
# client's line prefix such as '[User-C-Pure]: ', and $OUT of the last run_cmd.

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

# dump_lines PREFIX COUNT TEXT: what a client prints after the family id for a dump of
# COUNT messages carrying TEXT, each line starting with PREFIX.
dump_lines() {
	numbers_below "$2" |
		awk -v p="$1" -v m="$3" '{ printf "%sdump message %d: '\''%s'\''\n", p, $1, m }'
	if [ "$2" -eq 1 ]; then
		printf '%sdump done, 1 message\n' "$1"
	else
		printf '%sdump done, %d messages\n' "$1" "$2"
	fi
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
	kernel_at_least 6.0
}

# finish SUITE: prints the suite's closing line; returns non-zero if anything failed.
finish() {
	rm -f "$T_ERRFILE"
	printf '%s: %d passed, %d failed\n' "$1" "$T_PASS" "$T_FAIL"
	[ "$T_FAIL" -eq 0 ]
}
