#!/bin/sh
# Tests of the kernel's own generic client, the ynl CLI (tools/net/ynl/cli.py of the
# pinned linux-source, see scripts/ynl-fetch.sh), talking to the loaded module through
# nothing but spec/gnl_foobar_xmpl.yaml: echo, dump, the error path with its extended
# ACK, and attributes an operation does not accept. Runs in the guest, as root, from the
# repository root.
set -eu
. tests/guest/lib.sh

TREE=target/ynl/tree
SPEC=spec/gnl_foobar_xmpl.yaml
DUMP_DEFAULT_MSG=$(protocol_value GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG)
ALWAYS_FAILS='GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails'

# ynl ARGS...: the CLI on our spec, replies printed as JSON (one line), with Debian's
# python3 (where python3-yaml is). --no-schema: test.sh validated the spec on the host,
# and jsonschema's start-up would double each call's time under emulation.
ynl() {
	/usr/bin/python3 "$TREE/tools/net/ynl/cli.py" --spec "$SPEC" --no-schema --output-json "$@"
}

# dump_json COUNT MSG: the JSON the CLI prints for a dump of COUNT messages carrying MSG.
dump_json() {
	awk -v n="$1" -v msg="$2" 'BEGIN {
		printf "["
		for (i = 0; i < n; i++)
			printf "%s{\"dump-index\": %d, \"msg\": \"%s\"}", (i ? ", " : ""), i, msg
		print "]"
	}'
}

# expect_refused NAME MESSAGE: the last run failed with the kernel's EINVAL-class error
# and the extended ACK MESSAGE, as the CLI prints them (on stdout, status 1).
expect_refused() {
	expect_rc "$1: exits with status 1" 1
	expect_contains "$1: the kernel's error" "$OUT" "Netlink error: $2"
}

test_tools_present() {
	if [ -f "$TREE/tools/net/ynl/cli.py" ]; then
		pass "the ynl CLI is unpacked in $TREE"
	else
		fail "the ynl CLI is unpacked in $TREE" "run sh scripts/ynl-fetch.sh on the host (test.sh does)"
	fi
}

test_echo() {
	run_cmd ynl --do echo-msg --json '{"msg": "Hello from ynl"}'
	expect_rc "echo: succeeds" 0
	expect_equal "echo: prints the kernel's reply" "$OUT" '{"msg": "Hello from ynl"}'
	expect_silent_stderr "echo: nothing on stderr"

	msg=$(digits 4096)
	run_cmd ynl --do echo-msg --json "{\"msg\": \"$msg\"}"
	expect_rc "echo 4096 bytes: succeeds" 0
	expect_equal "echo 4096 bytes: echoed whole" "$OUT" "{\"msg\": \"$msg\"}"
}

test_echo_without_msg() {
	run_cmd ynl --do echo-msg
	expect_refused "echo without msg" "Invalid argument"
	expect_contains "echo without msg: the module's extended ACK message" "$OUT" \
		"'msg': 'GNL_FOOBAR_XMPL_A_MSG is required'"
	if kernel_has_miss_type; then
		# The CLI turns NLMSGERR_ATTR_MISS_TYPE's number into the spec's name.
		expect_contains "echo without msg: the missing attribute, by its spec name" "$OUT" \
			"'miss-type': 'msg'"
	fi
}

test_dump() {
	run_cmd ynl --dump echo-msg
	expect_rc "dump: succeeds" 0
	expect_equal "dump: the default count of default messages, each with its index" \
		"$OUT" "$(dump_json 3 "$DUMP_DEFAULT_MSG")"

	run_cmd ynl --dump echo-msg --json '{"dump-count": 7, "msg": "seven"}'
	expect_rc "dump of 7: succeeds" 0
	expect_equal "dump of 7: indexes 0 to 6 in order, each with the request's msg" \
		"$OUT" "$(dump_json 7 seven)"
	expect_silent_stderr "dump of 7: nothing on stderr"
}

test_dump_count_range() {
	for count in 0 1000001; do
		run_cmd ynl --dump echo-msg --json "{\"dump-count\": $count}"
		expect_refused "dump of $count" "Numerical result out of range"
		expect_contains "dump of $count: the policy's range check" "$OUT" \
			"'msg': 'integer out of range'"
		expect_contains "dump of $count: points at dump-count" "$OUT" "'bad-attr': '.dump-count'"
	done
}

test_reply_with_error() {
	run_cmd ynl --do reply-with-nlmsg-err --json '{"msg": "Fail, please"}'
	expect_refused "reply-with-nlmsg-err" "Invalid argument"
	expect_contains "reply-with-nlmsg-err: the extended ACK message" "$OUT" "'msg': '$ALWAYS_FAILS'"
	# The CLI turns NLMSGERR_ATTR_OFFS into the attribute's path in the request.
	expect_contains "reply-with-nlmsg-err: points at msg" "$OUT" "'bad-attr': '.msg'"
	expect_silent_stderr "reply-with-nlmsg-err: nothing on stderr"
}

# The CLI encodes any attribute of the spec's set; the per-operation policies refuse
# the ones an operation does not take, with the same message on every kernel.
test_attribute_refused() {
	run_cmd ynl --do echo-msg --json '{"msg": "x", "dump-count": 2}'
	expect_refused "echo with dump-count" "Invalid argument"
	expect_contains "echo with dump-count: refused by the do policy" "$OUT" \
		"'msg': 'Unknown attribute type'"
	expect_contains "echo with dump-count: points at it" "$OUT" "'bad-attr': '.dump-count'"

	run_cmd ynl --dump echo-msg --json '{"dump-index": 0}'
	expect_refused "dump with dump-index" "Invalid argument"
	expect_contains "dump with dump-index: refused by the dump policy" "$OUT" \
		"'msg': 'Unknown attribute type'"
	expect_contains "dump with dump-index: points at it" "$OUT" "'bad-attr': '.dump-index'"
}

test_tools_present
test_echo
test_echo_without_msg
test_dump
test_dump_count_range
test_reply_with_error
test_attribute_refused
finish ynl
