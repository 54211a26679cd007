#!/bin/sh
# Tests of the per-namespace config (config-get, config-set, the config group's
# config-ntf), through the kernel's ynl CLI and the YNL library (tests/guest/ynl-state.py):
# the round trip, refused values with their extended ACK, the dump's defaults, who may
# set (GENL_UNS_ADMIN_PERM), that namespaces see neither each other's config nor events,
# NLM_F_ECHO and subscribers, and that namespaces gone and a module reload leave nothing.
# Runs in the guest, as root, from the repository root; restores the defaults at the end.
#
#   sh tests/guest/state.sh [TEST...]
set -eu
. tests/guest/lib.sh

TREE=target/ynl/tree
SPEC=spec/gnl_foobar_xmpl.yaml
DEFAULT_MSG='Hello from the gnl_foobar_xmpl dump'
DEFAULTS="{\"config-dump-count\": 3, \"config-dump-msg\": \"$DEFAULT_MSG\"}"
KERNEL=${GNL_FOOBAR_XMPL_KERNEL:?is not set: run this suite through vm/vm run}
SCRATCH=$(mktemp -d)
# What nobody and the root of a user namespace run: the CLI and our spec, outside the
# checkout (see public_dir).
public_dir "$TREE/tools/net/ynl" "$SPEC"
PUBLIC_CLI=$PUBLIC/ynl/cli.py
PUBLIC_SPEC=$PUBLIC/${SPEC##*/}
NETNS=gnl-state-test
YNL_SERVER=

# ynl_cli ARGS...: the CLI on our spec, replies as JSON (see tests/guest/ynl.sh), in a
# process of its own: for requests made as another user or in another namespace.
ynl_cli() {
	/usr/bin/python3 "$TREE/tools/net/ynl/cli.py" --spec "$SPEC" --no-schema --output-json "$@"
}

# The requests made as root in the initial namespaces go to one ynl-state.py server, which
# runs them the way the CLI does and prints what it prints: a Python start-up per request
# would cost seconds each in an emulated guest. Its requests and answers go through two
# FIFOs held open on descriptors 7 and 8.
start_ynl_server() {
	rm -f "$SCRATCH/ynl.in" "$SCRATCH/ynl.out"
	mkfifo "$SCRATCH/ynl.in" "$SCRATCH/ynl.out"
	/usr/bin/python3 tests/guest/ynl-state.py serve <"$SCRATCH/ynl.in" >"$SCRATCH/ynl.out" &
	YNL_SERVER=$!
	exec 7>"$SCRATCH/ynl.in" 8<"$SCRATCH/ynl.out"
}

# The server resolves the family's id once: after a module reload it needs a new one.
stop_ynl_server() {
	[ -n "$YNL_SERVER" ] || return 0
	exec 7>&- 8<&-
	wait "$YNL_SERVER" || true
	YNL_SERVER=
}

# ynl_request ARGS...: one request to the server; its output, and its exit status.
ynl_request() {
	printf '%d\n' $# >&7
	for arg in "$@"; do
		printf '%s\n' "$arg" >&7
	done
	while IFS= read -r line <&8; do
		case "$line" in
		"@@ynl-state rc "*) return "${line#@@ynl-state rc }" ;;
		esac
		printf '%s\n' "$line"
	done
	printf 'state.sh: the ynl-state.py server is gone\n' >&2
	return 125
}

# ynl ARGS...: as ynl_cli, as root in the initial namespaces, through the server.
ynl() {
	ynl_request ynl --spec "$SPEC" --no-schema --output-json "$@"
}

ynl_state() {
	ynl_request "$@"
}

# as_nobody CMD...: CMD as user nobody, no capabilities, in the initial namespaces.
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

set_defaults() {
	ynl --do config-set --json "{\"config-dump-count\": 3, \"config-dump-msg\": \"$DEFAULT_MSG\"}" >/dev/null
}

cleanup() {
	stop_ynl_server
	ip netns del "$NETNS" 2>/dev/null || true
	rm -rf "$SCRATCH" "$PUBLIC"
}
trap cleanup EXIT

# expect_refused NAME ERRNO-TEXT: the last run failed, as the CLI prints it.
expect_refused() {
	expect_rc "$1: exits with status 1" 1
	expect_contains "$1: the kernel's error" "$OUT" "Netlink error: $2"
}

# start_listener NAME COUNT [ip netns exec NS]: a listener joined to the config group,
# printing COUNT notifications into $SCRATCH/NAME; returns once it has joined.
start_listener() {
	name=$1
	count=$2
	shift 2
	mkfifo "$SCRATCH/$name.ready"
	# timeout: a listener that never gets its notifications fails the test instead of
	# hanging it; generous, as an emulated guest on a busy host is slow.
	"$@" timeout 900 /usr/bin/python3 tests/guest/ynl-state.py listen "$count" \
		"$SCRATCH/$name.ready" >"$SCRATCH/$name" 2>&1 &
	eval "LISTENER_$name=\$!"
	if ! timeout 900 head -n 1 "$SCRATCH/$name.ready" >/dev/null; then
		fail "listener $name joined the config group" "$(cat "$SCRATCH/$name")"
	fi
}

# wait_listener NAME: waits for the listener to exit; its output is then in $OUT.
wait_listener() {
	RC=0
	eval "wait \$LISTENER_$1" || RC=$?
	OUT=$(cat "$SCRATCH/$1")
	ERR=
}

test_get_defaults() {
	run_cmd ynl --do config-get
	expect_rc "get: succeeds" 0
	expect_equal "get: a new namespace's config is the header's defaults" "$OUT" "$DEFAULTS"

	run_cmd as_nobody /usr/bin/python3 "$PUBLIC_CLI" --spec "$PUBLIC_SPEC" \
		--no-schema --output-json --do config-get
	expect_rc "get as nobody: anyone may read the config" 0
	expect_equal "get as nobody: the same config" "$OUT" "$DEFAULTS"
}

test_set_round_trip() {
	run_cmd ynl --do config-set --json '{"config-dump-count": 5, "config-dump-msg": "five"}'
	expect_rc "set both: succeeds" 0
	expect_equal "set both: no reply but the ACK" "$OUT" "null"
	run_cmd ynl --do config-get
	expect_equal "set both: get returns them" "$OUT" \
		'{"config-dump-count": 5, "config-dump-msg": "five"}'

	run_cmd ynl --do config-set --json '{"config-dump-count": 2}'
	run_cmd ynl --do config-get
	expect_equal "set count only: the msg stays" "$OUT" \
		'{"config-dump-count": 2, "config-dump-msg": "five"}'

	run_cmd ynl --do config-set --json '{"config-dump-msg": ""}'
	expect_rc "set an empty msg: succeeds" 0
	run_cmd ynl --do config-get
	expect_equal "set msg only: the count stays, the msg may be empty" "$OUT" \
		'{"config-dump-count": 2, "config-dump-msg": ""}'

	msg=$(digits 4096)
	run_cmd ynl --do config-set --json "{\"config-dump-count\": 1000000, \"config-dump-msg\": \"$msg\"}"
	expect_rc "set the largest values: succeeds" 0
	run_cmd ynl --do config-get
	expect_equal "set the largest values: get returns them whole" "$OUT" \
		"{\"config-dump-count\": 1000000, \"config-dump-msg\": \"$msg\"}"
	set_defaults
}

test_dump_uses_config() {
	ynl --do config-set --json '{"config-dump-count": 2, "config-dump-msg": "from the config"}' >/dev/null
	run_cmd ynl --dump echo-msg
	expect_equal "dump: the namespace's count and msg" "$OUT" \
		'[{"dump-index": 0, "msg": "from the config"}, {"dump-index": 1, "msg": "from the config"}]'
	run_cmd ynl --dump echo-msg --json '{"dump-count": 1, "msg": "mine"}'
	expect_equal "dump: the request's own values win" "$OUT" '[{"dump-index": 0, "msg": "mine"}]'
	set_defaults

	# A dump holds the config it started with: a set half-way changes none of its messages.
	run_cmd ynl_state dump-across-set "set during the dump"
	expect_rc "dump across a set: succeeds" 0
	expect_equal "dump across a set: every message has the config of the dump's start" \
		"$OUT" "texts [\"$DEFAULT_MSG\"]"
	run_cmd ynl --do config-get
	expect_equal "dump across a set: the set took effect" "$OUT" \
		'{"config-dump-count": 3, "config-dump-msg": "set during the dump"}'
	set_defaults
}

test_bad_values() {
	for count in 0 1000001; do
		run_cmd ynl --do config-set --json "{\"config-dump-count\": $count}"
		expect_refused "set count $count" "Numerical result out of range"
		expect_contains "set count $count: the policy's range check" "$OUT" \
			"'msg': 'integer out of range'"
		expect_contains "set count $count: points at config-dump-count" "$OUT" \
			"'bad-attr': '.config-dump-count'"
	done

	run_cmd ynl --do config-set --json "{\"config-dump-msg\": \"$(digits 4097)\"}"
	expect_refused "set a 4097-byte msg" "Invalid argument"
	expect_contains "set a 4097-byte msg: points at config-dump-msg" "$OUT" \
		"'bad-attr': '.config-dump-msg'"

	run_cmd ynl --do config-set
	expect_refused "set nothing" "Invalid argument"
	expect_contains "set nothing: the module's extended ACK message" "$OUT" \
		"'msg': 'GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT or GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG is required'"

	run_cmd ynl --do config-set --json '{"msg": "not a config attribute"}'
	expect_refused "set with msg" "Invalid argument"
	expect_contains "set with msg: points at it" "$OUT" "'bad-attr': '.msg'"

	run_cmd ynl --do config-get --json '{"config-dump-count": 4}'
	expect_refused "get with an attribute" "Invalid argument"
	if { kernel_at_least 6.1 && ! kernel_at_least 6.2; } || kernel_at_least 7.0; then
		# On 6.1 the module's compat code hands the core a folded struct genl_ops, to
		# which the core gives its reject-all policy (one NLA_REJECT attribute): the core
		# refuses the request before the module sees it. From 6.2 the split table goes in
		# as it is and, as on 5.10, the core parses nothing for an operation without a
		# policy; by 7.2 (unstable) the core gives such split operations the reject-all
		# policy too.
		expect_contains "get with an attribute: the core's reject-all policy" "$OUT" \
			"'msg': 'Unknown attribute type'"
		expect_contains "get with an attribute: points at it" "$OUT" \
			"'bad-attr': '.config-dump-count'"
	else
		expect_contains "get with an attribute: the module's extended ACK message" "$OUT" \
			"'msg': 'GNL_FOOBAR_XMPL_CMD_CONFIG_GET takes no attributes'"
		expect_contains "get with an attribute: the module points at it" "$OUT" \
			"'bad-attr': '.config-dump-count'"
	fi

	run_cmd ynl --do config-get
	expect_equal "refused sets change nothing" "$OUT" "$DEFAULTS"
}

test_privileges() {
	# The core's GENL_UNS_ADMIN_PERM check: EPERM, without an extended ACK message.
	run_cmd /usr/sbin/capsh --drop=cap_net_admin -- -c \
		"/usr/bin/python3 $TREE/tools/net/ynl/cli.py --spec $SPEC --no-schema --do config-set --json '{\"config-dump-count\": 7}'"
	expect_refused "set as root without CAP_NET_ADMIN" "Operation not permitted"

	run_cmd as_nobody /usr/bin/python3 "$PUBLIC_CLI" --spec "$PUBLIC_SPEC" --no-schema \
		--do config-set --json '{"config-dump-count": 7}'
	expect_refused "set as nobody" "Operation not permitted"

	# Root of its own user namespace, still in the initial network namespace, which the
	# initial user namespace owns: no.
	run_cmd /usr/bin/python3 tests/guest/userns-run.py --cwd "$PUBLIC" nobody /usr/bin/python3 \
		"$PUBLIC_CLI" --spec "$PUBLIC_SPEC" --no-schema \
		--do config-set --json '{"config-dump-count": 7}'
	expect_refused "set as root of an unprivileged user namespace, initial network namespace" \
		"Operation not permitted"

	# Root of its own user namespace, in a network namespace that user namespace owns: yes.
	run_cmd /usr/bin/python3 tests/guest/userns-run.py --net --cwd "$PUBLIC" nobody sh -c "
		/usr/bin/python3 $PUBLIC_CLI --spec $PUBLIC_SPEC --no-schema --output-json \
			--do config-set --json '{\"config-dump-count\": 7}' &&
		/usr/bin/python3 $PUBLIC_CLI --spec $PUBLIC_SPEC --no-schema --output-json \
			--do config-get"
	expect_rc "set as root of an unprivileged user and network namespace: succeeds" 0
	expect_equal "set as root of an unprivileged user and network namespace: its own config changed" \
		"$OUT" "null
{\"config-dump-count\": 7, \"config-dump-msg\": \"$DEFAULT_MSG\"}"

	run_cmd ynl --do config-get
	expect_equal "no set above changed the initial namespace's config" "$OUT" "$DEFAULTS"
}

test_namespaces() {
	ip netns add "$NETNS"
	run_cmd ip netns exec "$NETNS" /usr/bin/python3 "$TREE/tools/net/ynl/cli.py" --spec "$SPEC" \
		--no-schema --output-json --do config-get
	expect_equal "namespaces: a new one starts with the defaults" "$OUT" "$DEFAULTS"

	ynl --do config-set --json '{"config-dump-count": 4}' >/dev/null
	run_cmd ip netns exec "$NETNS" /usr/bin/python3 "$TREE/tools/net/ynl/cli.py" --spec "$SPEC" \
		--no-schema --output-json --dump echo-msg
	expect_equal "namespaces: a set in the initial one leaves the other's dump alone" \
		"$(printf '%s\n' "$OUT" | grep -o dump-index | wc -l)" 3

	ip netns exec "$NETNS" /usr/bin/python3 "$TREE/tools/net/ynl/cli.py" --spec "$SPEC" \
		--no-schema --do config-set --json '{"config-dump-msg": "other"}' >/dev/null
	run_cmd ynl --do config-get
	expect_equal "namespaces: a set in the other leaves the initial one's config alone" "$OUT" \
		"{\"config-dump-count\": 4, \"config-dump-msg\": \"$DEFAULT_MSG\"}"

	# Notifications are delivered before the set's ACK: a listener whose first event is
	# the second set's never got the first's.
	start_listener initial 1
	ip netns exec "$NETNS" /usr/bin/python3 "$TREE/tools/net/ynl/cli.py" --spec "$SPEC" \
		--no-schema --do config-set --json '{"config-dump-msg": "elsewhere"}' >/dev/null
	ynl --do config-set --json '{"config-dump-msg": "here"}' >/dev/null
	wait_listener initial
	expect_rc "namespaces: the initial namespace's listener ends" 0
	expect_equal "namespaces: it sees its own namespace's event only" "$OUT" \
		'config-ntf {"config-dump-count": 4, "config-dump-msg": "here"}'

	start_listener other 1 ip netns exec "$NETNS"
	ynl --do config-set --json '{"config-dump-msg": "initial again"}' >/dev/null
	ip netns exec "$NETNS" /usr/bin/python3 "$TREE/tools/net/ynl/cli.py" --spec "$SPEC" \
		--no-schema --do config-set --json '{"config-dump-count": 9}' >/dev/null
	wait_listener other
	expect_rc "namespaces: the other namespace's listener ends" 0
	expect_equal "namespaces: the other namespace's listener sees its own event only" "$OUT" \
		'config-ntf {"config-dump-count": 9, "config-dump-msg": "elsewhere"}'
	ip netns del "$NETNS"
	set_defaults
}

test_notifications() {
	run_cmd ynl --subscribe config --do config-set --json '{"config-dump-count": 6}'
	expect_rc "subscribed set: succeeds" 0
	expect_equal "subscribed set: the ACK, then the notification on the socket's group" "$OUT" \
		"null
[{\"name\": \"config-ntf\", \"msg\": {\"config-dump-count\": 6, \"config-dump-msg\": \"$DEFAULT_MSG\"}}]"

	run_cmd ynl_state set-echo '{"config-dump-msg": "echoed"}'
	expect_rc "NLM_F_ECHO: succeeds" 0
	expect_equal "NLM_F_ECHO: the notification, with the request's seq and port id, then the ACK" \
		"$OUT" 'config-ntf request-seq-and-portid {"config-dump-count": 6, "config-dump-msg": "echoed"}
ack error=0'

	run_cmd ynl_state set-quiet '{"config-dump-msg": "quiet"}'
	expect_equal "no NLM_F_ECHO, not subscribed: the ACK alone" "$OUT" "ack error=0"

	# Every successful set is announced, in order, also one that changes no value.
	start_listener ordered 3
	ynl --do config-set --json '{"config-dump-count": 1}' >/dev/null
	ynl --do config-set --json '{"config-dump-count": 1}' >/dev/null
	ynl --do config-set --json '{"config-dump-msg": "last"}' >/dev/null
	wait_listener ordered
	expect_rc "listener: ends after 3 notifications" 0
	expect_equal "listener: every set's notification, in order" "$OUT" \
		'config-ntf {"config-dump-count": 1, "config-dump-msg": "quiet"}
config-ntf {"config-dump-count": 1, "config-dump-msg": "quiet"}
config-ntf {"config-dump-count": 1, "config-dump-msg": "last"}'

	start_listener refused 1
	ynl --do config-set --json '{"config-dump-count": 0}' >/dev/null 2>&1 || true
	ynl --do config-set --json '{"config-dump-count": 2}' >/dev/null
	wait_listener refused
	expect_rc "listener: ends after the accepted set's notification" 0
	expect_equal "listener: a refused set announces nothing" "$OUT" \
		'config-ntf {"config-dump-count": 2, "config-dump-msg": "last"}'
	set_defaults
}

# Namespaces with changed config (and one with a listener) are destroyed; the module
# must then be unloadable and come back with the defaults. Goes last: it reloads.
test_namespace_exit_and_reload() {
	for i in 1 2 3; do
		unshare -n /usr/bin/python3 "$TREE/tools/net/ynl/cli.py" --spec "$SPEC" --no-schema \
			--do config-set --json "{\"config-dump-count\": $i, \"config-dump-msg\": \"gone $i\"}" \
			>/dev/null
	done
	ip netns add "$NETNS"
	ip netns exec "$NETNS" /usr/bin/python3 "$TREE/tools/net/ynl/cli.py" --spec "$SPEC" \
		--no-schema --do config-set --json '{"config-dump-msg": "deleted"}' >/dev/null
	ip netns del "$NETNS"
	set_defaults

	expect_equal "module: no reference left once the namespaces are gone" \
		"$(cat /sys/module/gnl_foobar_xmpl/refcnt)" 0
	run_cmd rmmod gnl_foobar_xmpl
	expect_rc "module: rmmod succeeds" 0
	run_cmd insmod "${GNL_FOOBAR_XMPL_KO:?is not set: run this suite through vm/vm run}"
	expect_rc "module: insmod succeeds" 0
	stop_ynl_server
	start_ynl_server
	run_cmd ynl --do config-get
	expect_equal "module: reloaded with the defaults" "$OUT" "$DEFAULTS"
}

# Arguments name tests to run (e.g. test_privileges); none: all, in this order.
TESTS=${*:-test_get_defaults test_set_round_trip test_dump_uses_config test_bad_values
	test_privileges test_namespaces test_notifications test_namespace_exit_and_reload}
start_ynl_server
set_defaults
for t in $TESTS; do
	"$t"
done
set_defaults
finish state
