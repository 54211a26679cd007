#!/usr/bin/python3
# What tests/guest/state.sh needs beyond the ynl CLI, written on the same YNL library
# (tools/net/ynl/lib of the pinned linux-source) and spec: a listener that blocks until
# its notifications arrive, a config-set with NLM_F_ECHO whose echoed notification is
# matched to the request, a dump read across a config-set, and a server that runs many
# requests in one process (a Python start-up costs seconds in an emulated guest).
#
#   ynl-state.py listen COUNT READY    # join "config", write a line to READY, print COUNT
#   ynl-state.py set-echo JSON         # config-set with NLM_F_ECHO, print what came back
#   ynl-state.py set-quiet JSON        # config-set without it, print what came back
#   ynl-state.py dump-across-set MSG   # a dump, a set of MSG mid-way, the dump's texts
#   ynl-state.py serve                 # requests on stdin, answers on stdout (see serve())
import argparse
import contextlib
import io
import json
import os
import select
import sys

TREE = "target/ynl/tree"
SPEC = "spec/gnl_foobar_xmpl.yaml"
sys.path.insert(0, os.path.join(TREE, "tools/net/ynl"))

from lib import NlError, YnlFamily  # noqa: E402
from lib.ynl import NlMsgs  # noqa: E402

NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_ECHO = 0x8
NLM_F_DUMP = 0x300
# Any fixed number: the echoed notification must carry it back.
SEQ = 4242


class BytesAsHex(json.JSONEncoder):
    """The CLI's own encoder (cli.py's YnlEncoder): bytes as hex, sets as lists."""

    def default(self, o):
        if isinstance(o, bytes):
            return bytes.hex(o)
        if isinstance(o, set):
            return list(o)
        return json.JSONEncoder.default(self, o)


def family():
    return YnlFamily(SPEC, "")


def decoded_attrs(ynl, nl_msg):
    """(command name, attributes) of one genetlink message of our family."""
    msg = ynl.nlproto.decode(ynl, nl_msg, None)
    op = ynl.rsp_by_value[msg.cmd()]
    return op.name, ynl._decode(msg.raw_attrs, "attr")


def send(ynl, op_name, vals, flags):
    op = ynl.ops[op_name]
    # The library's own encoder, with our flags and sequence number.
    ynl.sock.send(ynl._encode_message(op, vals, flags, SEQ))


def print_replies_until_ack(ynl):
    """Prints each message answering our request, up to and including its ACK."""
    portid = ynl.sock.getsockname()[0]
    while True:
        for nl_msg in NlMsgs(ynl.sock.recv(65536)):
            if nl_msg.error or nl_msg.nl_type == 2:  # NLMSG_ERROR: the ACK or an error
                print(f"ack error={nl_msg.error}")
                return nl_msg.error
            name, attrs = decoded_attrs(ynl, nl_msg)
            mine = nl_msg.nl_seq == SEQ and nl_msg.nl_portid == portid
            print(f"{name} {'request-seq-and-portid' if mine else 'other-seq-or-portid'} "
                  f"{json.dumps(attrs)}")


def set_config(flags, vals):
    ynl = family()
    send(ynl, "config-set", json.loads(vals), flags)
    return 1 if print_replies_until_ack(ynl) else 0


def listen(count, ready):
    ynl = family()
    ynl.ntf_subscribe("config")
    # The group is joined: anything multicast from now on is queued on our socket.
    with open(ready, "w") as f:
        f.write("subscribed\n")
    seen = 0
    while seen < count:
        select.select([ynl.sock], [], [])
        for nl_msg in NlMsgs(ynl.sock.recv(65536)):
            name, attrs = decoded_attrs(ynl, nl_msg)
            print(f"{name} {json.dumps(attrs)}", flush=True)
            seen += 1
    return 0


def dump_across_set(msg):
    """A dump of many messages read one skb at a time; after the first, a config-set of
    MSG from another socket. Prints the distinct texts the dump carried."""
    dumper = family()
    send(dumper, "echo-msg", {"dump-count": 1000}, [NLM_F_DUMP])
    texts = set()
    first = True
    while True:
        done = False
        for nl_msg in NlMsgs(dumper.sock.recv(65536)):
            if nl_msg.error:
                print(f"dump failed: {nl_msg.error}")
                return 1
            if nl_msg.done:
                done = True
                break
            texts.add(decoded_attrs(dumper, nl_msg)[1]["msg"])
        if done:
            break
        if first:
            first = False
            setter = family()
            setter.do("config-set", {"config-dump-msg": msg})
    print("texts " + json.dumps(sorted(texts)))
    return 0


def cli_request(args, shared):
    """One ynl CLI command line (the options tests/guest/state.sh uses), run the way
    tools/net/ynl/cli.py runs it with --output-json, printing what it prints; returns
    its exit status. SHARED: a family whose socket serves plain requests; one that
    subscribes gets a socket of its own, as a CLI process would."""
    parser = argparse.ArgumentParser(prog="ynl", exit_on_error=False)
    parser.add_argument("--spec")
    parser.add_argument("--no-schema", action="store_true")
    parser.add_argument("--output-json", action="store_true")
    parser.add_argument("--json", dest="json_text")
    parser.add_argument("--subscribe", dest="ntf")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--do")
    group.add_argument("--dump")
    opts = parser.parse_args(args)
    if opts.spec != SPEC or not opts.no_schema or not opts.output_json:
        raise ValueError("serve: requests must carry --spec " + SPEC
                         + " --no-schema --output-json")
    attrs = json.loads(opts.json_text) if opts.json_text else {}
    ynl = family() if opts.ntf else shared
    if opts.ntf:
        ynl.ntf_subscribe(opts.ntf)
    try:
        if opts.do:
            print(json.dumps(ynl.do(opts.do, attrs), cls=BytesAsHex))
        if opts.dump:
            print(json.dumps(ynl.dump(opts.dump, attrs), cls=BytesAsHex))
    except NlError as e:
        print(e)
        return 1
    if opts.ntf:
        ynl.check_ntf()
        print(json.dumps(ynl.async_msg_queue, cls=BytesAsHex))
    return 0


def serve():
    """Runs requests read from stdin, each an argument count on one line and then one
    argument a line: either a ynl CLI command line or one of this script's own commands.
    Answers with the request's stdout and a line "@@ynl-state rc N", N its exit status."""
    shared = family()
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        args = [sys.stdin.readline().rstrip("\n") for _ in range(int(line))]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                rc = run(args) if args[:1] != ["ynl"] else cli_request(args[1:], shared)
            # Reported as the request's answer: the test expecting anything else fails.
            except (Exception, SystemExit) as e:  # noqa: BLE001
                print(f"ynl-state: {type(e).__name__}: {e}")
                rc = 1
        sys.stdout.write(out.getvalue())
        sys.stdout.write(f"@@ynl-state rc {rc}\n")
        sys.stdout.flush()


def run(argv):
    cmd = argv[0] if argv else ""
    if cmd == "listen" and len(argv) == 3:
        return listen(int(argv[1]), argv[2])
    if cmd == "set-echo" and len(argv) == 2:
        return set_config([NLM_F_ECHO], argv[1])
    if cmd == "set-quiet" and len(argv) == 2:
        return set_config([], argv[1])
    if cmd == "dump-across-set" and len(argv) == 2:
        return dump_across_set(argv[1])
    print("usage: ynl-state.py listen COUNT READY | set-echo JSON | set-quiet JSON"
          " | dump-across-set MSG | serve", file=sys.stderr)
    return 2


def main():
    if sys.argv[1:] == ["serve"]:
        return serve()
    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
