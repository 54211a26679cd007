#!/bin/sh
# Runs every in-guest test suite, inside the VM (vm/vm run), from the repository root:
# the Rust client's integration tests (listed by test.sh in $GNL_RUST_TESTS) and the
# shell suites of tests/guest/, c-client.sh once per C client. Prints each suite's
# output and one closing line, "guest KERNEL: N passed, N failed" (KERNEL: the
# harness's name for the kernel); exits non-zero when anything failed.
set -eu

KERNEL=${GNL_FOOBAR_XMPL_KERNEL:-$(cat /proc/sys/kernel/osrelease)}
RUST_TESTS=${GNL_RUST_TESTS:-target/vm-tests/rust-tests.list}
OUT=$(mktemp)
PASSED=0
FAILED=0

# count_rust_results FILE: adds libtest's "test result:" figures to the totals.
count_rust_results() {
	eval "$(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed;.*/p=\1 f=\2/p' "$1" |
		awk -F'[ =]' '{ p += $2; f += $4 } END { printf "p=%d f=%d\n", p, f }')"
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
}

# count_shell_results FILE: adds a shell suite's "NAME: N passed, N failed" line.
count_shell_results() {
	line=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1) || true
	p=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, .*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*, \([0-9]*\) failed$/\1/p')
	PASSED=$((PASSED + ${p:-0}))
	FAILED=$((FAILED + ${f:-0}))
}

# The initial namespace's config every suite must leave behind: the dumps of the suites
# after it expect the header's defaults. Read through the ynl CLI, no client under test.
DEFAULT_CONFIG=$(printf '#include "gnl_foobar_xmpl.h"\n{"config-dump-count": GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT, "config-dump-msg": GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG}\n' |
	cpp -P -Iinclude - | sed '/^$/d' | tail -n 1)

ynl_config() {
	/usr/bin/python3 target/ynl/tree/tools/net/ynl/cli.py --spec spec/gnl_foobar_xmpl.yaml \
		--no-schema --output-json "$@"
}

# check_config_after NAME: one failure when suite NAME left the module unloaded or the
# initial namespace's config changed; puts both back for the suites after it.
check_config_after() {
	config=$(ynl_config --do config-get 2>&1) || true
	[ "$config" != "$DEFAULT_CONFIG" ] || return 0
	printf 'not ok - %s left the initial namespace with another config than the defaults\n' "$1"
	printf '#   got:      %s\n#   expected: %s\n' "$config" "$DEFAULT_CONFIG"
	FAILED=$((FAILED + 1))
	[ -d /sys/module/gnl_foobar_xmpl ] || insmod "$GNL_FOOBAR_XMPL_KO" || true
	ynl_config --do config-set --json "$DEFAULT_CONFIG" >/dev/null || true
}

# run_suite KIND NAME CMD...: runs one suite, shows its output, adds up its results,
# then checks the config it left. A suite that exits non-zero without reporting a failure
# (a crash, a missing binary) still counts as one failure.
run_suite() {
	kind=$1
	name=$2
	shift 2
	printf '\n=== %s (kernel %s) ===\n' "$name" "$KERNEL"
	started=$(date +%s)
	rc=0
	"$@" >"$OUT" 2>&1 || rc=$?
	cat "$OUT"
	printf '=== %s: %d s\n' "$name" "$(($(date +%s) - started))"
	before=$FAILED
	"count_${kind}_results" "$OUT"
	if [ "$rc" -ne 0 ] && [ "$FAILED" -eq "$before" ]; then
		printf 'not ok - %s exited with status %d\n' "$name" "$rc"
		FAILED=$((FAILED + 1))
	fi
	check_config_after "$name"
}

if [ ! -f "$RUST_TESTS" ]; then
	printf 'run.sh: %s is missing: run the tests through test.sh\n' "$RUST_TESTS" >&2
	exit 1
fi

# On a debug kernel (vm/kernels role "debug", GNL_DEBUG_KERNEL=1 from vm/vm) the
# benchmarks are skipped, fault injection runs after the other suites and kmemleak last.
DEBUG_KERNEL=${GNL_DEBUG_KERNEL:-0}

# The module reload test goes last: it unloads the module the others need.
for bin in $(grep -v '/reload-' "$RUST_TESTS"); do
	run_suite rust "rust $(basename "$bin")" "$bin" --include-ignored
done
for suite in tests/guest/*.sh; do
	case "$suite" in
	*/lib.sh | */run.sh) continue ;;
	*/c-client.sh)
		for client in c-pure c-libnl; do
			run_suite shell "c-client $client" sh "$suite" "$client"
		done
		;;
	*/bench.sh)
		if [ "$DEBUG_KERNEL" = 1 ]; then
			printf '\n=== bench (kernel %s): skipped, KASAN and lockdep make timings meaningless ===\n' "$KERNEL"
		else
			run_suite shell bench sh "$suite"
		fi
		;;
	*) run_suite shell "$(basename "$suite" .sh)" sh "$suite" ;;
	esac
done
if [ "$DEBUG_KERNEL" = 1 ]; then
	run_suite shell "fault injection" "${GNL_BIN_DIR:-target/debug}/hardening-failnth"
fi
for bin in $(grep '/reload-' "$RUST_TESTS"); do
	run_suite rust "rust $(basename "$bin")" "$bin" --include-ignored --test-threads=1
done
if [ "$DEBUG_KERNEL" = 1 ]; then
	run_suite shell kmemleak sh tests/guest/debug/kmemleak.sh
fi

rm -f "$OUT"
printf '\nguest %s: %d passed, %d failed\n' "$KERNEL" "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
