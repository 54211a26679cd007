#!/bin/sh
# All the tests: host checks (YNL spec and generated files, format, lints, unit tests, C
# builds under gcc and clang), then per guest kernel: the module's W=1 build and the
# in-guest suites (tests/guest/run.sh) with the module loaded in Debian's kernel in QEMU.
#
#   sh test.sh                      # every kernel of the matrix (vm/kernels)
#   sh test.sh --kernel 6.1         # one kernel of vm/kernels (repeatable)
#   sh test.sh --debug-kernel       # the matrix, then the debug kernel(s): KASAN, lockdep...
#   sh test.sh --long               # the long fuzzing and stress figures (hours, not CI)
#
# Installs what it needs first (scripts/install-deps.sh). Ends with one line,
# "total: N passed, N failed", and exits non-zero when anything failed.
set -eu

ROOT=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=vm/kernels.sh
. "$ROOT/vm/kernels.sh"
RESULTS_DIR="$ROOT/target/test-results"

log() {
	printf 'test.sh: %s\n' "$*" >&2
}

usage() {
	sed -n '6,9s/^#   //p' "$0" >&2
	exit 2
}

parse_args() {
	KERNELS=""
	DEBUG_KERNELS=""
	GUEST_TIMEOUT=2400
	while [ $# -gt 0 ]; do
		case "$1" in
		--kernel)
			[ $# -ge 2 ] || usage
			kernel_known "$2" || {
				log "unknown kernel '$2' (vm/kernels has $(kernel_names_text))"
				exit 2
			}
			KERNELS="$KERNELS $2"
			shift 2
			;;
		--debug-kernel)
			DEBUG_KERNELS=$(kernel_debug_names)
			shift
			;;
		--long)
			# Passed into the guest like every GNL_* variable.
			GNL_LONG=1
			export GNL_LONG
			GUEST_TIMEOUT=86400
			shift
			;;
		-h | --help) usage ;;
		*)
			log "unknown argument: $1"
			usage
			;;
		esac
	done
	KERNELS="${KERNELS:-$(kernel_matrix)} $DEBUG_KERNELS"
}

# run_logged LOG CMD...: runs CMD with its output shown and kept in LOG; returns
# CMD's own status (a plain pipe into tee would return tee's).
run_logged() {
	log_file=$1
	shift
	{
		rc=0
		"$@" 2>&1 || rc=$?
		echo "$rc" >"$log_file.rc"
	} | tee "$log_file"
	rc=$(cat "$log_file.rc")
	rm -f "$log_file.rc"
	return "$rc"
}

# Host checks: the spec and its generated files, formatting, lints, unit tests and the C
# clients' plain-make builds.
# Called as a condition, where set -e does not apply: every step says || return 1.
run_host_checks() {
	log "host: the YNL spec against its schema, and the files generated from it up to date"
	sh scripts/ynl-regen.sh --check || return 1
	log "host: cargo fmt --check"
	cargo fmt --all -- --check || return 1
	log "host: cargo clippy -D warnings"
	cargo clippy --workspace --all-targets -q -- -D warnings || return 1
	log "host: cargo test (unit tests; the module's tests run in the guest below)"
	run_logged "$RESULTS_DIR/host-cargo-test.log" cargo test --workspace -q || return 1
	for cc in gcc clang; do
		for dir in user-c-pure user-c-libnl; do
			log "host: make -C $dir CC=$cc (-Wall -Wextra -Werror)"
			make -s -C "$dir" clean || return 1
			make -s -C "$dir" CC="$cc" || return 1
		done
	done
	log "host: every relative link in the Markdown files resolves"
	python3 scripts/check-links.py || return 1
	for dir in user-c-pure user-c-libnl; do
		log "host: make -C $dir check (parsers on crafted replies)"
		make -s -C "$dir" check CC=gcc || return 1
		make -s -C "$dir" clean || return 1
	done
}

# Builds every binary the guest runs and lists the Rust integration test binaries
# (cargo prints "Executable tests/NAME.rs (target/debug/deps/NAME-HASH)").
build_guest_binaries() {
	log "host: cargo build (clients and test binaries)"
	cargo build --workspace -q || return 1
	mkdir -p target/vm-tests
	if ! cargo test -p gnl-foobar-xmpl --no-run >target/vm-tests/build.log 2>&1; then
		cat target/vm-tests/build.log >&2
		return 1
	fi
	sed -n 's/^ *Executable tests\/[^ ]* (\(.*\))$/\1/p' target/vm-tests/build.log \
		>target/vm-tests/rust-tests.list
	if [ ! -s target/vm-tests/rust-tests.list ]; then
		log "found no Rust integration test binary"
		return 1
	fi
}

# run_guest_tests K: builds the module for kernel K and runs the guest suites there.
# Prints the guest's closing line; returns the guest's status.
run_guest_tests() {
	kernel=$1
	timeout=$GUEST_TIMEOUT
	if [ "$(kernel_role "$kernel")" = debug ]; then
		# Built here from source the first time (vm/vm prints its progress), and KASAN,
		# lockdep and kmemleak slow every suite down several times under TCG.
		log "kernel $kernel: building the debug kernel (cached after the first build)"
		if ! sh vm/vm fetch --kernel "$kernel"; then
			printf 'guest %s: 0 passed, 1 failed\n' "$kernel" >"$RESULTS_DIR/guest-$kernel.summary"
			return 1
		fi
		timeout=$((GUEST_TIMEOUT * 3))
	fi
	log "kernel $kernel: building the module (W=1, warnings are errors)"
	if ! sh vm/vm build-module --kernel "$kernel" >"$RESULTS_DIR/build-$kernel.log" 2>&1; then
		cat "$RESULTS_DIR/build-$kernel.log" >&2
		printf 'guest %s: 0 passed, 1 failed\n' "$kernel" >"$RESULTS_DIR/guest-$kernel.summary"
		return 1
	fi
	log "kernel $kernel: running the in-guest suites"
	rc=0
	run_logged "$RESULTS_DIR/guest-$kernel.log" \
		sh vm/vm run --kernel "$kernel" --timeout "$timeout" \
		--log "$RESULTS_DIR/kernel-$kernel.log" -- sh tests/guest/run.sh || rc=$?
	summary=$(grep "^guest $kernel: " "$RESULTS_DIR/guest-$kernel.log" | tail -n 1)
	# A guest that died (timeout, panic) before its closing line still counts.
	[ -n "$summary" ] || summary="guest $kernel: 0 passed, 1 failed"
	printf '%s\n' "$summary" >"$RESULTS_DIR/guest-$kernel.summary"
	return "$rc"
}

# run_docs_check: records the docs' exchanges and demo output again in a guest and fails
# when the committed text differs (scripts/capture.sh --check).
run_docs_check() {
	log "docs: the captured bytes and outputs in README.md and docs/ are current"
	if sh scripts/capture.sh --check >"$RESULTS_DIR/docs.log" 2>&1; then
		echo "docs: 1 passed, 0 failed" >"$RESULTS_DIR/docs.summary"
	else
		cat "$RESULTS_DIR/docs.log" >&2
		echo "docs: 0 passed, 1 failed" >"$RESULTS_DIR/docs.summary"
		return 1
	fi
}

main() {
	parse_args "$@"
	cd "$ROOT"
	sh scripts/install-deps.sh
	mkdir -p "$RESULTS_DIR"
	rm -f "$RESULTS_DIR"/*.summary

	if ! run_host_checks || ! build_guest_binaries; then
		log "FAILED on the host, before any guest ran"
		printf 'total: 0 passed, 1 failed\n'
		exit 1
	fi

	failed_kernels=""
	for kernel in $KERNELS; do
		run_guest_tests "$kernel" || failed_kernels="$failed_kernels $kernel"
	done
	# The docs' captured bytes and outputs come from the default kernel.
	case " $KERNELS " in
	*" $(kernel_default) "*) run_docs_check || failed_kernels="$failed_kernels docs" ;;
	esac

	host_passed=$(sed -n 's/^test result: [a-z]*\. \([0-9]*\) passed.*/\1/p' \
		"$RESULTS_DIR/host-cargo-test.log" | awk '{ s += $1 } END { print s + 0 }')
	printf '\n=== summary ===\nhost: %d passed, 0 failed\n' "$host_passed"
	cat "$RESULTS_DIR"/*.summary
	# "guest K: N passed, N failed" and "docs: N passed, N failed": the last four fields.
	awk -v hp="$host_passed" '
		{ p += $(NF - 3); f += $(NF - 1) }
		END { printf "total: %d passed, %d failed\n", p + hp, f }' "$RESULTS_DIR"/*.summary
	if [ -n "$failed_kernels" ]; then
		log "FAILED on kernel(s):$failed_kernels (logs in target/test-results/)"
		exit 1
	fi
}

main "$@"
