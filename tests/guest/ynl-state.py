#!/usr/bin/python3
# What tests/guest/state.sh needs beyond the ynl CLI, written on the same YNL library
# (tools/net/ynl/lib of the pinned linux-source) and spec: a listener that blocks until
# its notifications arrive, a config-set with NLM_F_ECHO whose echoed notification is
# matched to the request, and a dump read across a config-set.
#
#   ynl-state.py listen COUNT READY    # join "config", write a line to READY, print COUNT
#   ynl-state.py set-echo JSON         # config-set with NLM_F_ECHO, print what came back
#   ynl-state.py set-quiet JSON        # config-set without it, print what came back
#   ynl-state.py dump-across-set MSG   # a dump, a set of MSG mid-way, the dump's texts
import json
import os
import select
import sys

TREE = "target/ynl/tree"
SPEC = "spec/gnl_foobar_xmpl.yaml"
sys.path.insert(0, os.path.join(TREE, "tools/net/ynl"))

from lib import YnlFamily  # noqa: E402
from lib.ynl import NlMsgs  # noqa: E402

NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_ECHO = 0x8
NLM_F_DUMP = 0x300
# Any fixed number: the echoed notification must carry it back.
SEQ = 4242


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


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "listen" and len(sys.argv) == 4:
        return listen(int(sys.argv[2]), sys.argv[3])
    if cmd == "set-echo" and len(sys.argv) == 3:
        return set_config([NLM_F_ECHO], sys.argv[2])
    if cmd == "set-quiet" and len(sys.argv) == 3:
        return set_config([], sys.argv[2])
    if cmd == "dump-across-set" and len(sys.argv) == 3:
        return dump_across_set(sys.argv[2])
    print("usage: ynl-state.py listen COUNT READY | set-echo JSON | set-quiet JSON"
          " | dump-across-set MSG", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
