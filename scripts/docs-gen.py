#!/usr/bin/env python3
"""Turns a real capture into the parts of the docs that must not drift.

Input: the pcap and the demo output that scripts/capture-guest.sh wrote in a guest.
Output: the annotated exchanges in docs/walkthrough.md, the message picture
docs/message-layout.svg, the demo's output in docs/clients.md and an excerpt of it in
README.md, each between
"<!-- generated: NAME -->" and "<!-- end generated -->" markers (the SVG whole).
Field names come from the kernel's uAPI headers and include/gnl_foobar_xmpl.h, never
from a list kept here; field values come from the bytes. Values that change from run
to run (port ids, the family id the kernel assigns, timestamps) are masked.

  docs-gen.py --write --pcap F --demo F --kernel K    # rewrite the generated parts
  docs-gen.py --check --pcap F --demo F --kernel K    # fail if any of them is stale
"""
import argparse
import html
import re
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UAPI = Path("/usr/include/linux")
FAMILY_HEADER = ROOT / "include" / "gnl_foobar_xmpl.h"
WALKTHROUGH = ROOT / "docs" / "walkthrough.md"
README = ROOT / "README.md"
CLIENTS = ROOT / "docs" / "clients.md"
SVG = ROOT / "docs" / "message-layout.svg"

NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL = 0x10
NLM_F_REQUEST = 1
NLA_F_NESTED = 1 << 15
NLA_TYPE_MASK = ~((1 << 15) | (1 << 14)) & 0xFFFF
MASK = "<masked>"
# How to show the family's attributes: the header says their types only in comments.
FAMILY_KINDS = {"GNL_FOOBAR_XMPL_A_MSG": "string", "GNL_FOOBAR_XMPL_A_DUMP_COUNT": "u32",
                "GNL_FOOBAR_XMPL_A_DUMP_INDEX": "u32"}


# ---------------------------------------------------------------------------------
# Names, read from the C headers
# ---------------------------------------------------------------------------------

def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


def enum_containing(path, member):
    """The enum of `path` that has `member`, as {value: name} (explicit `= N` honoured)."""
    text = strip_comments(Path(path).read_text())
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, flags=re.S):
        names = {}
        value = 0
        for item in body.split(","):
            m = re.match(r"\s*(\w+)\s*(?:=\s*(\w+))?\s*$", item)
            if not m:
                continue
            if m.group(2):
                try:
                    value = int(m.group(2), 0)
                except ValueError:
                    continue  # "= __X_MAX - 1" and the like: not a wire value
            if not m.group(1).startswith("__"):
                names[value] = m.group(1)
            value += 1
        if member in names.values():
            return names
    raise SystemExit(f"docs-gen: no enum with {member} in {path}")


def defines(path, prefix):
    """The `#define PREFIXNAME value` lines of `path` with an integer value."""
    found = {}
    for name, value in re.findall(rf"#define\s+({prefix}\w+)\s+(0x[0-9a-fA-F]+|\d+)",
                                  Path(path).read_text()):
        found[name] = int(value, 0)
    return found


def string_define(path, name):
    m = re.search(rf'#define\s+{name}\s+"([^"]*)"', Path(path).read_text())
    if not m:
        raise SystemExit(f"docs-gen: no {name} in {path}")
    return m.group(1)


class Names:
    def __init__(self):
        genl = UAPI / "genetlink.h"
        self.ctrl_cmd = enum_containing(genl, "CTRL_CMD_GETFAMILY")
        self.ctrl_attr = enum_containing(genl, "CTRL_ATTR_FAMILY_ID")
        self.ctrl_op = enum_containing(genl, "CTRL_ATTR_OP_ID")
        self.ctrl_grp = enum_containing(genl, "CTRL_ATTR_MCAST_GRP_ID")
        self.errattr = enum_containing(UAPI / "netlink.h", "NLMSGERR_ATTR_MSG")
        self.flags = defines(UAPI / "netlink.h", "NLM_F_")
        self.family = string_define(FAMILY_HEADER, "GNL_FOOBAR_XMPL_FAMILY_NAME")
        self.cmd = enum_containing(FAMILY_HEADER, "GNL_FOOBAR_XMPL_CMD_ECHO_MSG")
        self.attr = enum_containing(FAMILY_HEADER, "GNL_FOOBAR_XMPL_A_MSG")

    def flag_text(self, flags, context):
        """NLM_F_* names of `flags`; the upper byte means different things per context."""
        low = ["REQUEST", "MULTI", "ACK", "ECHO", "DUMP_INTR", "DUMP_FILTERED"]
        high = {"request": ["ROOT", "MATCH", "ATOMIC"], "ack": ["CAPPED", "ACK_TLVS"],
                "reply": []}[context]
        parts, left = [], flags
        # NLM_F_DUMP is not a bit of its own: it is NLM_F_ROOT | NLM_F_MATCH.
        dump = self.flags["NLM_F_ROOT"] | self.flags["NLM_F_MATCH"]
        if context == "request" and flags & dump == dump:
            parts.append("NLM_F_DUMP")
            left &= ~dump
        for name in low + high:
            bit = self.flags["NLM_F_" + name]
            if left & bit:
                parts.append("NLM_F_" + name)
                left &= ~bit
        if left:
            parts.append(f"0x{left:x}")
        return " | ".join(parts) or "none"


# ---------------------------------------------------------------------------------
# The capture
# ---------------------------------------------------------------------------------

def read_pcap(path):
    """Yields (frame number, payload) of a LINKTYPE_NETLINK pcap file."""
    data = Path(path).read_bytes()
    magic, _, _, _, _, _, linktype = struct.unpack_from("=IHHiIII", data)
    if magic != 0xA1B2C3D4 or linktype != 253:
        raise SystemExit(f"docs-gen: {path} is not a netlink pcap file")
    off, number = 24, 0
    while off < len(data):
        _, _, caplen, _ = struct.unpack_from("=IIII", data, off)
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        number += 1
        yield number, frame[16:]


def split_messages(payload):
    off = 0
    while off + 16 <= len(payload):
        length = struct.unpack_from("=I", payload, off)[0]
        if length < 16 or off + length > len(payload):
            raise SystemExit("docs-gen: a captured message has a bad nlmsg_len")
        yield payload[off:off + length]
        off += (length + 3) & ~3


# ---------------------------------------------------------------------------------
# Annotation: one row per field, (offset, bytes shown, field, meaning)
# ---------------------------------------------------------------------------------

class Annotator:
    def __init__(self, names):
        self.n = names
        self.family_id = None

    def hexb(self, raw, masked=False):
        return " ".join("xx" if masked else f"{b:02x}" for b in raw)

    def row(self, rows, off, raw, field, meaning, masked=False):
        rows.append((off, self.hexb(raw, masked), field, meaning))

    def header(self, rows, msg, base, to_kernel, prefix=""):
        length, mtype, flags, seq, pid = struct.unpack_from("=IHHII", msg)
        self.row(rows, base, msg[0:4], prefix + "nlmsg_len", f"{length}: the whole message, headers included")
        ours = mtype == self.family_id and mtype is not None
        if mtype == GENL_ID_CTRL:
            what = f"{mtype} = GENL_ID_CTRL: the controller, nlctrl"
        elif ours:
            what = f"{MASK}: the id of {self.n.family}, assigned by the kernel when the module registered it"
        else:
            what = {NLMSG_ERROR: "2 = NLMSG_ERROR: an error or an ACK",
                    NLMSG_DONE: "3 = NLMSG_DONE: the end of a dump"}.get(mtype, str(mtype))
        self.row(rows, base + 4, msg[4:6], prefix + "nlmsg_type", what, masked=ours)
        context = "request" if to_kernel or prefix else ("ack" if mtype == NLMSG_ERROR else "reply")
        self.row(rows, base + 6, msg[6:8], prefix + "nlmsg_flags",
                 f"0x{flags:04x} = {self.n.flag_text(flags, context)}")
        if to_kernel or prefix:
            self.row(rows, base + 8, msg[8:12], prefix + "nlmsg_seq", f"{seq}: chosen by the client; every answer carries it")
        else:
            self.row(rows, base + 8, msg[8:12], prefix + "nlmsg_seq", f"{seq}: the request's, copied")
        if pid == 0:
            meaning = "0: the kernel fills in the sender's port id" if to_kernel or prefix else "0"
            self.row(rows, base + 12, msg[12:16], prefix + "nlmsg_pid", meaning)
        else:
            self.row(rows, base + 12, msg[12:16], prefix + "nlmsg_pid",
                     f"{MASK}: the client socket's port id", masked=True)
        return mtype

    def genl_header(self, rows, msg, base, cmds, prefix=""):
        cmd, version = msg[16], msg[17]
        self.row(rows, base + 16, msg[16:17], prefix + "genlmsghdr.cmd", f"{cmd} = {cmds.get(cmd, '?')}")
        self.row(rows, base + 17, msg[17:18], prefix + "genlmsghdr.version", str(version))
        self.row(rows, base + 18, msg[18:20], prefix + "genlmsghdr.reserved", "0")

    def attrs(self, rows, data, base, names, kinds, depth=0, prefix=""):
        """Annotates the attributes in `data` (at absolute offset `base`)."""
        off = 0
        indent = prefix + "  " * depth
        while off + 4 <= len(data):
            nla_len, nla_type = struct.unpack_from("=HH", data, off)
            atype = nla_type & NLA_TYPE_MASK
            if isinstance(names, str):  # the entries of a list nest are numbered
                name = f"{names} {atype}"
            else:
                name = names.get(atype, f"attribute {atype}")
            nested = " | NLA_F_NESTED" if nla_type & NLA_F_NESTED else ""
            self.row(rows, base + off, data[off:off + 2], indent + "nla_len",
                     f"{nla_len}: header and payload, padding not counted")
            self.row(rows, base + off + 2, data[off + 2:off + 4], indent + "nla_type",
                     f"{atype} = {name}{nested}")
            payload = data[off + 4:off + nla_len]
            self.value(rows, payload, base + off + 4, name, kinds, depth, prefix)
            pad = ((nla_len + 3) & ~3) - nla_len
            if pad and off + nla_len + pad <= len(data):
                self.row(rows, base + off + nla_len, data[off + nla_len:off + nla_len + pad],
                         indent + "padding", f"{pad} byte{'s' * (pad > 1)}: the next attribute starts 4-byte aligned")
            off += (nla_len + 3) & ~3

    def value(self, rows, payload, base, name, kinds, depth, prefix=""):
        indent = (prefix or "  " * (depth + 1))
        kind = kinds.get(name, "binary")
        if isinstance(kind, tuple):  # nested: (names of the inner level, their kinds)
            self.attrs(rows, payload, base, kind[0], kind[1], depth + 1)
        elif kind == "string":
            for i in range(0, len(payload), 8):
                chunk = payload[i:i + 8]
                text = chunk.rstrip(b"\0").decode("ascii", "replace")
                meaning = f'"{text}"' + (" + NUL" if chunk.endswith(b"\0") else "")
                self.row(rows, base + i, chunk, indent + ("value" if i == 0 else ""), meaning)
        elif kind in ("u16", "u32", "masked-u16", "masked-u32"):
            fmt = "=H" if kind.endswith("16") else "=I"
            (v,) = struct.unpack_from(fmt, payload)
            masked = kind.startswith("masked")
            self.row(rows, base, payload, indent + "value", MASK if masked else str(v), masked=masked)
        else:
            self.row(rows, base, payload, indent + "value", f"{len(payload)} bytes")

    def message(self, msg, to_kernel):
        """Rows for one message, and a one-line title."""
        rows = []
        mtype = self.header(rows, msg, 0, to_kernel)
        n = self.n
        if mtype == GENL_ID_CTRL:
            self.genl_header(rows, msg, 0, n.ctrl_cmd)
            op_kinds = {"CTRL_ATTR_OP_ID": "u32", "CTRL_ATTR_OP_FLAGS": "u32"}
            grp_kinds = {"CTRL_ATTR_MCAST_GRP_NAME": "string", "CTRL_ATTR_MCAST_GRP_ID": "masked-u32"}
            # The lists (operations, groups) are nests of nests numbered 1, 2, ...
            kinds = {"CTRL_ATTR_FAMILY_ID": "masked-u16", "CTRL_ATTR_FAMILY_NAME": "string",
                     "CTRL_ATTR_VERSION": "u32", "CTRL_ATTR_HDRSIZE": "u32", "CTRL_ATTR_MAXATTR": "u32",
                     "CTRL_ATTR_OPS": ("operation", ListKinds((n.ctrl_op, op_kinds))),
                     "CTRL_ATTR_MCAST_GROUPS": ("group", ListKinds((n.ctrl_grp, grp_kinds)))}
            self.attrs(rows, msg[20:], 20, n.ctrl_attr, kinds)
            title = f"{n.ctrl_cmd.get(msg[16])} (nlctrl)"
            if msg[16] == 1:
                ids = self.find_attr(msg[20:], 1)
                if ids is not None:
                    self.family_id = struct.unpack_from("=H", ids)[0]
        elif mtype == NLMSG_ERROR:
            (err,) = struct.unpack_from("=i", msg, 16)
            self.row(rows, 16, msg[16:20], "nlmsgerr.error", f"{err}" + (" = -EINVAL" if err == -22 else ": an ACK" if err == 0 else ""))
            flags = struct.unpack_from("=H", msg, 6)[0]
            self.header(rows, msg[20:36], 20, True, prefix="nlmsgerr.msg.")
            orig_len = struct.unpack_from("=I", msg, 20)[0]
            end = 36 if flags & n.flags["NLM_F_CAPPED"] else 20 + ((orig_len + 3) & ~3)
            if end > 36:
                # The request's own payload, copied back: the same fields as it had.
                self.genl_header(rows, msg[20:], 20, n.cmd, prefix="nlmsgerr.msg.")
                self.attrs(rows, msg[40:end], 40, n.attr, FAMILY_KINDS, depth=0, prefix="nlmsgerr.msg.")
            kinds = {"NLMSGERR_ATTR_MSG": "string", "NLMSGERR_ATTR_OFFS": "u32",
                     "NLMSGERR_ATTR_MISS_TYPE": "u32", "NLMSGERR_ATTR_MISS_NEST": "u32"}
            self.attrs(rows, msg[end:], end, n.errattr, kinds)
            title = "NLMSG_ERROR" + (" (an ACK)" if err == 0 else f" ({err})")
        elif mtype == NLMSG_DONE:
            (err,) = struct.unpack_from("=i", msg, 16)
            self.row(rows, 16, msg[16:20], "error", f"{err}: the dump ended without an error" if err == 0 else str(err))
            title = "NLMSG_DONE"
        else:
            self.genl_header(rows, msg, 0, n.cmd)
            self.attrs(rows, msg[20:], 20, n.attr, FAMILY_KINDS)
            title = f"{n.cmd.get(msg[16], '?')} ({n.family})"
        return title, rows

    @staticmethod
    def find_attr(data, wanted):
        off = 0
        while off + 4 <= len(data):
            nla_len, nla_type = struct.unpack_from("=HH", data, off)
            if nla_len < 4:
                return None
            if nla_type & NLA_TYPE_MASK == wanted:
                return data[off + 4:off + nla_len]
            off += (nla_len + 3) & ~3
        return None


class ListKinds(dict):
    """The kinds of a list nest's entries: each numbered entry is the same kind of nest."""

    def __init__(self, entry):
        super().__init__()
        self.entry = entry

    def get(self, _name, _default=None):
        return self.entry


def render_rows(rows):
    lines = ["offset  bytes                    field                              meaning"]
    for off, hexs, field, meaning in rows:
        lines.append(f"{off:6d}  {hexs:<23}  {field:<33}  {meaning}".rstrip())
    return "\n".join(lines)


# ---------------------------------------------------------------------------------
# The generated blocks
# ---------------------------------------------------------------------------------

# The client runs capture-guest.sh records, in order: each is one block of walkthrough.md.
EXCHANGES = ("echo", "dump", "error")


def exchanges(pcap, names):
    """Groups the captured messages per client run: each starts with a family query."""
    ann = Annotator(names)
    runs = []
    for number, payload in read_pcap(pcap):
        for msg in split_messages(payload):
            mtype, flags = struct.unpack_from("=HH", msg, 4)
            # nlmon marks every copy as outgoing (it transmits them); what was sent to
            # the kernel is what carries NLM_F_REQUEST.
            to_kernel = bool(flags & NLM_F_REQUEST)
            if to_kernel and mtype == GENL_ID_CTRL:
                runs.append([])
            if not runs:
                raise SystemExit("docs-gen: the capture does not start with a family query")
            title, rows = ann.message(msg, to_kernel)
            runs[-1].append((number, to_kernel, title, rows, msg))
    if len(runs) != len(EXCHANGES):
        raise SystemExit(f"docs-gen: expected {len(EXCHANGES)} client runs in the capture, found {len(runs)}")
    return runs


def exchange_block(run, with_query):
    out = []
    per_frame = {}
    for number, *_ in run:
        per_frame[number] = per_frame.get(number, 0) + 1
    seen = {}
    for number, to_kernel, title, rows, msg in run:
        seen[number] = seen.get(number, 0) + 1
        if not with_query and title.endswith("(nlctrl)"):
            continue
        arrow = "client -> kernel" if to_kernel else "kernel -> client"
        where = f"frame {number}"
        if per_frame[number] > 1:
            where += f", message {seen[number]} of {per_frame[number]} in one recvmsg()"
        out.append(f"{where}, {arrow}: {title}, {len(msg)} bytes\n")
        out.append(render_rows(rows) + "\n\n")
    return "```\n" + "".join(out).rstrip("\n") + "\n```\n"


def tshark_block(pcap, frame):
    """tshark's own decoding of one frame, volatile values masked."""
    text = subprocess.run(["tshark", "-r", str(pcap), "-n", "-V", "-Y", f"frame.number == {frame}"],
                          check=True, capture_output=True, text=True).stdout
    out, keep = [], False
    for line in text.splitlines():
        if line.startswith("Linux netlink") or line.startswith("Linux Generic"):
            keep = True
        if not keep:
            continue
        line = re.sub(r"(Port ID: )\d+", rf"\1{MASK}", line)
        line = re.sub(r"(Family ID: )0x[0-9a-f]+ \((?!nlctrl)([^)]*)\)", rf"\1{MASK} (\2)", line)
        line = re.sub(r"(Family ID: )0x[0-9a-f]+$", rf"\1{MASK}", line)
        line = re.sub(r"(Netlink message header \(type: )0x[0-9a-f]+(\))",
                      lambda m: m.group(0) if m.group(0).endswith("0x0010)") else f"{m.group(1)}{MASK}{m.group(2)}", line)
        out.append(line)
    return "```\n" + "\n".join(out) + "\n```\n"



def tshark_fields(pcap):
    """(frame, nlmsg_len, nlmsg_seq) per message, as tshark reads them: a cross-check."""
    text = subprocess.run(["tshark", "-r", str(pcap), "-n", "-T", "fields", "-E", "occurrence=a",
                           "-E", "aggregator=,", "-e", "frame.number", "-e", "netlink.hdr_len",
                           "-e", "netlink.hdr_seq"], check=True, capture_output=True, text=True).stdout
    seen = []
    for line in text.splitlines():
        frame, lens, seqs = (line.split("\t") + ["", ""])[:3]
        for length, seq in zip(lens.split(","), seqs.split(",")):
            seen.append((int(frame), int(length), int(seq)))
    return seen


def mask_demo(text):
    text = re.sub(r"^\[ *\d+\.\d+\] ", "[    <time>] ", text, flags=re.M)
    text = re.sub(r"(family id:? )\d+", rf"\1{MASK}", text, flags=re.I)
    text = re.sub(r"(family gnl_foobar_xmpl, id )\d+", rf"\1{MASK}", text)
    text = re.sub(r"(portid )\d+", rf"\1{MASK}", text)
    # Group ids are handed out as families register, port ids as sockets bind.
    text = re.sub(r"(listening to group '[^']*' \(id )\d+", rf"\1{MASK}", text)
    text = re.sub(r"(set by port )\d+", rf"\1{MASK}", text)
    # libnl starts its sequence numbers at the time of day; the others at 1.
    text = re.sub(r"(seq )\d{4,}", rf"\1{MASK}", text)
    return text


def demo_excerpt(demo):
    """The README's excerpt of the demo: the Rust client's echo and error, a listener
    joining the config group, the Rust client's set, and what the listener printed."""
    parts = re.split(r"(?m)^(?=--- )", demo)
    keep = [p for p in parts
            if p.startswith(("--- Rust (neli): echo", "--- Rust (neli): reply with error",
                             "--- C (raw AF_NETLINK): listen", "--- Rust (neli): config_set",
                             "--- what the listener printed"))]
    return "".join(keep).strip("\n") + "\n"


def svg_of(msg, rows):
    """The echo request as 32-bit words, one field a box, bytes from the capture."""
    col_w, left, row_h, top = 150, 60, 58, 44
    width = 4 * col_w
    # First match wins: "" (a string's continuation rows) must come last.
    colours = {"nlmsg": "#cfe2f3", "genl": "#d9ead3", "nla_": "#fce5cd", "padding": "#e6e6e6",
               "value": "#fff2cc", "": "#fff2cc"}
    words = (len(msg) + 3) // 4
    height = top + words * row_h + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 230}" height="{height}" '
           f'font-family="monospace" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="18" font-size="14">An echo request as captured: {len(msg)} bytes, '
           f'4 a row, offsets on the left</text>']
    for b in range(4):
        out.append(f'<text x="{left + b * col_w + col_w // 2}" y="{top - 8}" text-anchor="middle">+{b}</text>')
    for off, hexs, field, meaning in rows:
        size = len(hexs.split())
        label = field.strip()
        colour = colours[next(k for k in colours if label.startswith(k))]
        short = meaning.split(":")[0].replace("GNL_FOOBAR_XMPL_CMD_", "").replace("GNL_FOOBAR_XMPL_", "")
        label = label.replace("genlmsghdr.", "")
        # A field longer than a row (the string) is drawn a row piece at a time.
        pos, end = off, off + size
        while pos < end:
            row, col = divmod(pos, 4)
            span = min(end - pos, 4 - col)
            x, y = left + col * col_w, top + row * row_h
            raw = msg[pos:pos + span]
            if not label or label == "value":
                text = '"' + "".join(chr(c) if 32 <= c < 127 else "\\0" for c in raw) + '"'
                name = "MSG payload"
            else:
                text, name = short, label
            out.append(f'<rect x="{x}" y="{y}" width="{span * col_w}" height="{row_h}" fill="{colour}" stroke="#555"/>')
            middle = x + span * col_w // 2
            out.append(f'<text x="{middle}" y="{y + 17}" text-anchor="middle">{html.escape(name)}</text>')
            out.append(f'<text x="{middle}" y="{y + 33}" text-anchor="middle">{html.escape(text)}</text>')
            hexes = " ".join("xx" if "xx" in hexs else f"{b:02x}" for b in raw)
            out.append(f'<text x="{middle}" y="{y + 49}" text-anchor="middle" fill="#777">{hexes}</text>')
            pos += span
    for row in range(words):
        out.append(f'<text x="{left - 8}" y="{top + row * row_h + 33}" text-anchor="end">{row * 4}</text>')
    legend = [("nlmsghdr, 16 bytes", colours["nlmsg"]), ("genlmsghdr, 4 bytes", colours["genl"]),
              ("nlattr header, 4 bytes", colours["nla_"]), ("attribute payload", colours["value"]),
              ("padding to 4 bytes", colours["padding"])]
    for i, (text, colour) in enumerate(legend):
        y = top + i * 24
        out.append(f'<rect x="{left + width + 20}" y="{y}" width="16" height="16" fill="{colour}" stroke="#555"/>')
        out.append(f'<text x="{left + width + 42}" y="{y + 13}">{text}</text>')
    out.append(f'<text x="{left}" y="{height - 14}">xx: the family id, assigned when the module '
               f'registered (masked). Drawn by scripts/docs-gen.py.</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def replace_block(text, name, body, path):
    pattern = re.compile(rf"(<!-- generated: {re.escape(name)} -->\n)(.*?)(<!-- end generated -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"docs-gen: {path} has no '<!-- generated: {name} -->' block")
    return pattern.sub(lambda m: m.group(1) + body + m.group(3), text, count=1)


def main():
    parser = argparse.ArgumentParser()
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    parser.add_argument("--pcap", required=True)
    parser.add_argument("--demo", required=True)
    parser.add_argument("--kernel", required=True)
    args = parser.parse_args()

    names = Names()
    runs = exchanges(args.pcap, names)
    # Cross-check the decoding here with tshark's: same messages, lengths and seqs.
    # tshark also counts the request header that an NLMSG_ERROR carries back.
    ours = []
    for run in runs:
        for n, _, _, _, m in run:
            ours.append((n, len(m), struct.unpack_from("=I", m, 8)[0]))
            if struct.unpack_from("=H", m, 4)[0] == NLMSG_ERROR:
                ours.append((n, struct.unpack_from("=I", m, 20)[0], struct.unpack_from("=I", m, 28)[0]))
    theirs = tshark_fields(args.pcap)
    if ours != theirs:
        raise SystemExit(f"docs-gen: tshark reads the capture differently:\n ours   {ours}\n tshark {theirs}")

    blocks = {"capture-kernel": f"These bytes were captured on Debian's {args.kernel} kernel "
                                f"(`sh scripts/capture.sh` records them again).\n"}
    blocks["query"] = exchange_block([m for m in runs[0] if m[2].endswith("(nlctrl)")], True)
    for name, run in zip(EXCHANGES, runs):
        blocks[name] = exchange_block(run, False)
    echo_request = next(m for m in runs[0] if m[1] and not m[2].endswith("(nlctrl)"))
    blocks["tshark-query"] = tshark_block(args.pcap, runs[0][0][0])
    svg = svg_of(echo_request[4], echo_request[3])
    demo = mask_demo(Path(args.demo).read_text())

    stale = []
    targets = {WALKTHROUGH: blocks,
               CLIENTS: {"demo": "```\n" + demo.strip("\n") + "\n```\n"},
               README: {"demo-excerpt": "```\n" + demo_excerpt(demo) + "```\n"}}
    for path, updates in targets.items():
        old = path.read_text()
        new = old
        for name, body in updates.items():
            new = replace_block(new, name, body, path)
        if new != old:
            stale.append(path)
            if args.write:
                path.write_text(new)
    old_svg = SVG.read_text() if SVG.exists() else ""
    if svg != old_svg:
        stale.append(SVG)
        if args.write:
            SVG.write_text(svg)
    for path in stale:
        rel = path.relative_to(ROOT)
        if args.check:
            print(f"docs-gen: {rel} differs from what the project prints now: "
                  f"run sh scripts/capture.sh and commit the result", file=sys.stderr)
        else:
            print(f"docs-gen: rewrote {rel}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
