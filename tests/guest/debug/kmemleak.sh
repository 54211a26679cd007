#!/bin/sh
# The kmemleak check of a debug kernel's guest, run last by tests/guest/run.sh: a scan after
# every suite, then one after unloading the module; a suspected leak fails the suite with
# kmemleak's report (the object, its allocation backtrace) in the output. It loads the
# module again at the end: run.sh checks after every suite that the module is loaded with
# the default config.
set -eu
. tests/guest/lib.sh

KMEMLEAK=/sys/kernel/debug/kmemleak
MODULE=gnl_foobar_xmpl
KO=${GNL_FOOBAR_XMPL_KO:?is not set: run this suite through vm/vm run}
# kmemleak reports an object only when it is older than 5 s (MSECS_MIN_AGE) and its
# contents did not change since the previous scan (a changed object is painted grey for
# one more scan). So the check is two scans with a pause longer than that minimum age
# between them, as the netdev CI does: the pause is kmemleak's own aging rule, not a wait
# for anything to settle.
KMEMLEAK_MIN_AGE_PAUSE=6

progress() {
	printf 'kmemleak: %s\n' "$*" >&2
}

# check_no_leaks NAME: scans twice, passes NAME when kmemleak reports nothing, else fails
# it with the report; then clears the report so the next check shows only new leaks.
check_no_leaks() {
	started=$(date +%s)
	echo scan >"$KMEMLEAK"
	sleep "$KMEMLEAK_MIN_AGE_PAUSE"
	echo scan >"$KMEMLEAK"
	report=$(cat "$KMEMLEAK")
	progress "two scans took $(($(date +%s) - started)) s"
	if [ -z "$report" ]; then
		pass "$1"
	else
		# One "not ok" line, the whole report (each object with its backtrace) under it.
		fail "$1" "kmemleak reports:"
		printf '%s\n' "$report" | sed 's/^/#   /'
	fi
	echo clear >"$KMEMLEAK"
}

# give_up NAME DETAIL: a check without which nothing else can run failed.
give_up() {
	fail "$1" "$2"
	finish kmemleak || true
	exit 1
}

[ -w "$KMEMLEAK" ] ||
	give_up "kmemleak is on" "no $KMEMLEAK (CONFIG_DEBUG_KMEMLEAK, and not kmemleak=off)"
[ -d "/sys/module/$MODULE" ] ||
	give_up "the module is loaded after the suites" "no /sys/module/$MODULE"

progress "scanning after the suites"
check_no_leaks "no leak after every suite (module still loaded)"
run_cmd rmmod "$MODULE"
expect_rc "rmmod $MODULE" 0
progress "scanning after rmmod"
check_no_leaks "no leak after unloading the module"
run_cmd insmod "$KO"
expect_rc "insmod $MODULE after the scans" 0
finish kmemleak
