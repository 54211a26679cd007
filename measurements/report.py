#!/usr/bin/env python3
"""Turns the raw results of measurements/guest.sh into RESULTS.md, scaling.svg,
README-section.md and the strace logs beside them; prints each target's PASS/MISS.

    python3 measurements/report.py --raw DIR --out DIR [--build-seconds S] [--guest-seconds S]

Standard library only. Every figure in the output is computed here from DIR's files;
nothing is typed in by hand.
"""

import argparse
import math
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

CLIENTS = ["rust", "c-pure", "c-libnl-fast", "c-libnl-defaults"]
NAMES = {
    "rust": "Rust/neli",
    "c-pure": "pure C",
    "c-libnl-fast": "C/libnl, fast",
    "c-libnl-defaults": "C/libnl, defaults",
    "c-pure-cargo": "pure C, cargo build",
}
WHOLE_RUN_CLIENTS = CLIENTS + ["c-pure-cargo"]
PAYLOAD_SIZES = [16, 64, 256, 1024, 4096]
DUMP_COUNTS = [3, 100, 10000, 100000]
BATCH_SIZES = [1, 8, 64]
SEND_CALLS = {"sendto", "sendmsg"}
RECV_CALLS = {"recvfrom", "recvmsg"}

# Targets (ratios within one run), from the measurements issue.
RUST_STEADY_MAX = 1.15
RUST_WHOLE_RUN_SYSCALLS_MAX = 1.2
LIBNL_FAST_STEADY_MAX = 1.3
DUMP_FLATNESS_MAX = 1.5
DUMP_FLAT_COUNTS = [100, 10000, 100000]


# ---- Reading the raw results ----


def read_env(raw):
    env = {}
    for line in (raw / "env.txt").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            env[key] = value
    return env


def read_accelerator(raw):
    log = raw / "vm.log"
    text = log.read_text() if log.exists() else ""
    match = re.search(r"booting \S+(?: \([^)]*\))? under (\w+)", text)
    return match.group(1) if match else "unknown"


def parse_fields(text):
    fields = {}
    for word in text.split():
        key, sep, value = word.partition("=")
        if sep:
            fields[key] = value
    return fields


def read_bench(raw):
    """Returns ({(exp, client): [record...]}, [failure...]); a record is a dict of
    the benchmark line's fields, numbers converted."""
    runs, failures = {}, []
    for line in (raw / "bench.txt").read_text().splitlines():
        head, _, rest = line.partition(" FAIL ")
        if rest:
            fields = parse_fields(head + " " + rest.split(" error=")[0])
            fields["error"] = rest.partition(" error=")[2]
            failures.append(fields)
            continue
        fields = parse_fields(line)
        record = {}
        for key, value in fields.items():
            if key in ("exp", "client", "mode"):
                record[key] = value
            elif key == "item_ns":
                record[key] = float(value)
            else:
                record[key] = int(value)
        # The median operation's time per item: a round trip, a dump message, an echo.
        items = {"dump": record["count"], "batch": record["batch"]}.get(record["mode"], 1)
        record["p50_item_ns"] = record["p50_ns"] / items
        runs.setdefault((record["exp"], record["client"]), []).append(record)
    return runs, failures


LISTENERS = ["rust", "c-pure", "c-libnl"]
LISTENER_NAMES = {"rust": "Rust/neli", "c-pure": "pure C", "c-libnl": "C/libnl"}


def read_notify(raw):
    """notify.txt: ({client: [record...]}, [failure...]); a record has count, received,
    lost and ns (the sender's start to the listener's exit)."""
    runs, failures = {}, []
    path = raw / "notify.txt"
    if not path.exists():
        return runs, failures
    for line in path.read_text().splitlines():
        head, _, rest = line.partition(" FAIL ")
        if rest:
            fields = parse_fields(head)
            fields["error"] = rest.partition("error=")[2]
            failures.append(fields)
            continue
        fields = parse_fields(line)
        record = {k: int(v) for k, v in fields.items() if k != "client"}
        record["per_s"] = record["received"] / (record["ns"] / 1e9)
        # GNU time's 10 ms resolution: at least one tick.
        record["cpu_us_per"] = max(record["cpu_ms"], 10) * 1000 / max(record["received"], 1)
        runs.setdefault(fields["client"], []).append(record)
    return runs, failures


def read_strace_count(path):
    """strace -c's table: {syscall: calls}, and the total."""
    calls, total = {}, None
    for line in path.read_text().splitlines():
        tokens = line.split()
        if len(tokens) < 5 or not re.match(r"^[\d.]+$", tokens[0]):
            continue
        if tokens[-1] == "total":
            total = int(tokens[3])
        else:
            calls[tokens[-1]] = int(tokens[3])
    if total is None:
        raise ValueError(f"{path}: no total line")
    return calls, total


TRACE_LINE = re.compile(r"^(?:\d+\s+)?([a-z_][a-z0-9_]*)\((.*)$")


def split_whole_run(path):
    """Sorts the system calls of a full `strace -f` trace into phases, by this rule:
    start-up = everything before socket(AF_NETLINK, ...); netlink = that socket()
    and every call on its file descriptor up to its close(); between = the other
    calls made while the socket is open (stdio's buffer, libnl's getpid()); exit =
    everything after the close() except exit_group(), which never returns and which
    strace -c does not count either. Returns {phase: {syscall: calls}}."""
    phases = {p: {} for p in ("start-up", "netlink", "between", "exit")}
    phase, fd = "start-up", None
    for line in path.read_text().splitlines():
        match = TRACE_LINE.match(line)
        if not match:
            continue
        name, args = match.groups()
        if name == "exit_group":
            continue
        first_arg = re.match(r"\s*([^,)]*)", args).group(1).strip()
        if phase == "start-up" and name == "socket" and args.startswith("AF_NETLINK"):
            fd = line.rsplit("=", 1)[1].strip().split()[0]
            phase = "between"
            this = "netlink"
        elif phase == "between" and first_arg == fd:
            this = "netlink"
            if name == "close":
                phase = "exit"
        else:
            this = phase
        phases[this][name] = phases[this].get(name, 0) + 1
    return phases


def read_callgrind_total(path):
    """The instructions (Ir) callgrind collected: its "summary:" or "totals:" line."""
    for line in path.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError(f"{path}: no summary line")


ANNOTATE_LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*?)\s+\[(.*)\]$")


def top_functions(path, calls, limit):
    """The `limit` functions with the most instructions of their own in a callgrind
    profile, per call of the profiled function: [(instructions, function, object)].
    Uses callgrind_annotate (valgrind); [] without it."""
    try:
        text = subprocess.run(["callgrind_annotate", "--inclusive=no", str(path)],
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    rows = []
    for line in text.split("file:function", 1)[-1].splitlines():
        match = ANNOTATE_LINE.match(line)
        if match:
            count, where, obj = match.groups()
            function = where.partition(":")[2] or where
            rows.append((int(count.replace(",", "")) / calls, function, Path(obj).name))
    return rows[:limit]


def total(calls):
    return sum(calls.values())


def count_matching(calls, names):
    return sum(n for name, n in calls.items() if name in names)


# ---- Statistics ----


def med(values):
    return statistics.median(values) if values else None


def summary(runs, exp, client, key):
    values = [r[key] for r in runs.get((exp, client), [])]
    return (min(values), med(values)) if values else (None, None)


def ratio(value, base):
    if value is None or base in (None, 0):
        return None
    return value / base


def fmt_us(ns):
    return "—" if ns is None else f"{ns / 1000:.1f}"


def fmt_ns(ns):
    return "—" if ns is None else f"{ns:.0f}"


def fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}x"


def fmt_count(x):
    if x is None:
        return "—"
    return f"{x:.0f}" if abs(x - round(x)) < 1e-9 else f"{x:.2f}"


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


# ---- The measurements, one section each ----


class Report:
    def __init__(self, raw, out, build_seconds, guest_seconds):
        self.raw, self.out = raw, out
        self.env = read_env(raw)
        self.accel = read_accelerator(raw)
        self.runs, self.failures = read_bench(raw)
        self.notify, self.notify_failures = read_notify(raw)
        self.build_seconds, self.guest_seconds = build_seconds, guest_seconds
        self.targets = []  # (PASS/MISS, text)
        self.source = "unknown"
        self.whole = {c: self.whole_run(c) for c in WHOLE_RUN_CLIENTS}
        self.steady = {c: self.steady_syscalls(c) for c in CLIENTS}
        # The untimed warm-up operation runs through the same functions: N + 1 calls.
        self.instructions, self.hot = {}, {}
        for mode, key in (("echo", "N_CALLGRIND"), ("cycle", "N_CALLGRIND_CYCLE")):
            ops = self.n(key) + 1
            for c in CLIENTS:
                path = raw / f"callgrind-{c}-{mode}.out"
                self.instructions[c, mode] = read_callgrind_total(path) / ops
                if c != "c-libnl-defaults":
                    self.hot[c, mode] = top_functions(path, ops, 10 if mode == "echo" else 4)

    def n(self, key):
        return int(self.env.get(key, "0"))

    def failed(self, exp, client):
        return [f for f in self.failures if f["exp"] == exp and f["client"] == client]

    def check(self, ok, text):
        self.targets.append(("PASS" if ok else "MISS", text))

    # Syscalls

    def whole_run(self, client):
        strace = self.raw / "strace"
        calls, tot = read_strace_count(strace / f"whole-run-{client}.count.txt")
        phases = split_whole_run(strace / f"whole-run-{client}.txt")
        return {"calls": calls, "total": tot, "phases": phases}

    def steady_syscalls(self, client):
        n = self.n("N_STRACE")
        small, _ = read_strace_count(self.raw / "strace" / f"steady-{client}-{n}.count.txt")
        big, _ = read_strace_count(self.raw / "strace" / f"steady-{client}-{2 * n}.count.txt")
        per = {}
        for name in set(small) | set(big):
            diff = big.get(name, 0) - small.get(name, 0)
            if diff:
                per[name] = diff / n
        return per

    def section_syscalls(self):
        lines = ["## System calls", ""]
        lines.append(
            "One complete run of each client's echo program (the family query, then one echo; "
            "stdout to a file), counted with `strace -f -c` in the guest. The split comes from "
            "the full `strace -f` trace of the same run, by this rule: **start-up** is "
            "everything before `socket(AF_NETLINK, ...)` (the dynamic loader, libc and the "
            "language runtime, argument parsing); **netlink** is that `socket()` and every "
            "call on its file descriptor, up to its `close()`; **between** is whatever else "
            "runs while the socket is open (stdio allocating its buffer, libnl's `getpid()`); "
            "**exit** is what follows the `close()` (the `write()` of the output, runtime "
            "teardown). `exit_group()` never returns and `strace -c` does not count it, so "
            "neither does the split. Logs: `strace/whole-run-CLIENT.txt` (full trace) and "
            "`strace/whole-run-CLIENT.count.txt` (`-c` table)."
        )
        lines.append("")
        base = self.whole["c-pure"]["total"]
        rows = []
        for c in WHOLE_RUN_CLIENTS:
            w = self.whole[c]
            ph = {p: total(v) for p, v in w["phases"].items()}
            nl = w["phases"]["netlink"]
            split_sum = sum(ph.values())
            note = "" if split_sum == w["total"] else f" (split sums to {split_sum})"
            rows.append([
                NAMES[c], f"{w['total']}{note}", fmt_ratio(ratio(w["total"], base)),
                ph["start-up"], ph["netlink"], ph["between"], ph["exit"],
                f"{count_matching(nl, SEND_CALLS)} / {count_matching(nl, RECV_CALLS)}",
            ])
        lines.append(table(
            ["client", "total", "vs pure C", "start-up", "netlink", "between", "exit",
             "sends / receives"], rows))
        lines.append("")
        lines += self.startup_difference()
        lines += self.steady_table()
        return lines

    def startup_difference(self):
        names = sorted(set().union(*(self.whole[c]["phases"]["start-up"]
                                     for c in ("rust", "c-pure", "c-pure-cargo"))))
        rows = []
        for name in names:
            counts = [self.whole[c]["phases"]["start-up"].get(name, 0)
                      for c in ("c-pure", "c-pure-cargo", "rust")]
            if len(set(counts)) > 1:
                rows.append([f"`{name}`"] + counts)
        exit_names = sorted(set(self.whole["rust"]["phases"]["exit"])
                            | set(self.whole["c-pure"]["phases"]["exit"]))
        exit_rows = [[f"`{n}`", self.whole["c-pure"]["phases"]["exit"].get(n, 0),
                      self.whole["rust"]["phases"]["exit"].get(n, 0)] for n in exit_names]
        return [
            "### Where Rust's extra system calls are",
            "",
            "Start-up calls whose counts differ between pure C (plain make build), the same C "
            "built by cargo, and Rust/neli (calls every client makes the same number of times "
            "are left out):",
            "",
            table(["start-up call", "pure C", "pure C, cargo build", "Rust/neli"], rows),
            "",
            "What they are, read off `strace/whole-run-rust.txt`:",
            "",
            "- **The loader maps `libgcc_s.so.1`** (`openat`, `read`, `newfstatat`, 4 `mmap`, "
            "`close`, `mprotect`): Rust's std links the unwinder. The cargo build of the C "
            "client shows the same calls, so they come from linking std, not from running it.",
            "- **std's runtime start-up** (`std::rt::init`, before `main`): `poll()` on fds 0-2 "
            "(std reopens /dev/null over a closed one); `rt_sigaction(SIGPIPE, SIG_IGN)`; the "
            "stack-overflow handler: glibc's `pthread_getattr_np()` for the main thread's "
            "stack (`openat`/`read`/`close` of /proc/self/maps, `prlimit64`, "
            "`sched_getaffinity`), then `sigaltstack` + `mmap` + `mprotect` (an alternate "
            "signal stack with a guard page), `gettid`, and `rt_sigaction` query + install "
            "for SIGSEGV and SIGBUS.",
            "- **glibc's malloc setting up its heap** on the first allocation (`brk` twice, "
            "`getrandom`): Rust allocates before `main`, C only when stdio first prints "
            "(counted under \"between\" for it, with stdio's `newfstatat`).",
            "- At exit std removes the alternate stack again (`sigaltstack`, `munmap`):",
            "",
            table(["exit call", "pure C", "Rust/neli"], exit_rows),
            "",
            "None of this is netlink work, and none of it is avoidable in an idiomatic Rust "
            "program (`panic = \"abort\"` changes neither the unwinder's link nor the "
            "stack-overflow handler). The netlink columns of the table above are what the "
            "clients themselves do.",
            "",
        ]

    def steady_table(self):
        n = self.n("N_STRACE")
        rows = []
        for c in CLIENTS:
            per = self.steady[c]
            detail = ", ".join(f"{fmt_count(v)} `{k}`" for k, v in sorted(per.items()))
            rows.append([NAMES[c], fmt_count(sum(per.values())),
                         fmt_count(count_matching(per, SEND_CALLS)),
                         fmt_count(count_matching(per, RECV_CALLS)), detail])
        return [
            "### Per round trip, steady state",
            "",
            f"`strace -f -c` over the echo benchmark on one socket, {n} and {2 * n} round trips "
            f"(each after the same start-up and one untimed echo); (calls at {2 * n} - calls at "
            f"{n}) / {n}. Logs: `strace/steady-CLIENT-N.count.txt`.",
            "",
            table(["client", "syscalls", "sends", "receives", "which"], rows),
            "",
        ]

    def section_instructions(self):
        base = self.instructions["c-pure", "echo"]
        rows = [[NAMES[c], f"{self.instructions[c, 'echo']:.0f}",
                 fmt_ratio(ratio(self.instructions[c, "echo"], base))] for c in CLIENTS]
        return [
            "### User-space instructions per round trip",
            "",
            f"`valgrind --tool=callgrind` over {self.n('N_CALLGRIND')} echoes of the benchmark, "
            "collecting only inside the client's echo function (`FoobarClient::echo`, "
            "`client_echo()` of both C clients), everything it calls included, the "
            "kernel excluded: instructions per round trip. Exact and repeatable, unlike times "
            "under TCG; the kernel's part of a round trip is the same for every client, so "
            "these are where the time ratios above come from.",
            "",
            table(["client", "instructions", "vs pure C"], rows),
            "",
        ] + self.hot_functions()

    def hot_table(self, client, mode):
        return table(["instructions", "function", "in"],
                     [[f"{n:.0f}", f"`{fn}`", obj] for n, fn, obj in self.hot[client, mode]])

    def hot_functions(self):
        if not all(self.hot.values()):
            return []
        lines = [
            "Where they go: the functions with the most instructions of their own, per round "
            "trip (callgrind_annotate of `callgrind/CLIENT-echo.out`; names as the linker "
            "left them, so identical functions folded into one carry one name: Rust's "
            "`<f32 as neli::ToBytes>` also serializes the u32s).",
            "",
        ]
        for c in ("rust", "c-pure", "c-libnl-fast"):
            lines += [f"{NAMES[c]}:", "", self.hot_table(c, "echo"), ""]
        lines += [
            "- **Rust/neli**: neli builds each request through its builders (`NlattrBuilder` "
            "copies the payload into a zeroed `Buffer`), serializes it field by field "
            "through an `io::Cursor` (`<i8/i16/f32 as ToBytes>`), and `NlSocket::recv()` "
            "turns the sender's `nl_groups` bitmask into a `Vec` of group numbers for every "
            "datagram (`Groups::new_bitmask()`, the `SpecFromIterNested::from_iter` line: "
            "32 bits tested even when the mask is 0). The client's own decoding "
            "(`next_message`, `echo_reply`, `parse_string` into the returned `String`) is "
            "a few hundred instructions, like pure C's. Going under that would mean "
            "bypassing neli for the socket I/O and the serialization.",
            "- **C/libnl, fast**: mostly malloc: `nl_recv()` mallocs a receive buffer of the "
            "socket's message size (32 KiB here) for every datagram and frees it again (a "
            "request that large makes malloc consolidate its free lists first: "
            "`malloc_consolidate`), `nlmsg_convert()` copies each received message into a "
            "newly allocated `nl_msg` (two `calloc()`s), and each request is an `nl_msg` of "
            "its own. These are libnl's, whatever the configuration.",
            "",
        ]
        return lines

    def cycle_instructions(self):
        base = self.instructions["c-pure", "cycle"]
        rows = [[NAMES[c], f"{self.instructions[c, 'cycle']:.0f}",
                 fmt_ratio(ratio(self.instructions[c, "cycle"], base))] for c in CLIENTS]
        lines = [
            "User-space instructions per cycle, without the close (callgrind over "
            f"{self.n('N_CALLGRIND_CYCLE')} cycles, inside `FoobarClient::connect` + `echo`, "
            "`client_open()` + `client_resolve_family()` + `client_echo()` of both C "
            "clients):",
            "",
            table(["client", "instructions", "vs pure C"], rows),
            "",
        ]
        if all(self.hot.values()):
            for c in ("rust", "c-pure", "c-libnl-fast"):
                lines += [f"{NAMES[c]}, the most expensive functions per cycle:", "",
                          self.hot_table(c, "cycle"), ""]
            lines += [
                "Rust's `FoobarClient::connect()` allocates a zeroed receive buffer the size "
                "of the family's largest message (about 4 KiB; neli's `recv()` takes only an "
                "initialised buffer), grown to 32 KiB by a connection's first dump: glibc "
                "clears it with `rep stosb`, which callgrind counts once per byte and TCG "
                "also executes a byte at a time. Pure C clears nothing (its buffers live in the client "
                "structure, reused from cycle to cycle); libnl's allocations are `calloc()`s "
                "(the socket, callback sets, messages, the family object "
                "`genl_ctrl_resolve()` builds), a few KiB cleared per cycle, while its "
                "32 KiB receive buffer is malloc'ed uncleared.",
                "",
            ]
        return lines

    # Times

    def best(self, exp, client, key="p50_ns"):
        """The fastest run's `key`: the judged figure (see the header of RESULTS.md)."""
        return summary(self.runs, exp, client, key)[0]

    def time_row(self, exp, client, key="p50_ns", fmt=fmt_us):
        """min and median over the runs of `key`, and both ratios to pure C's."""
        lo, mid = summary(self.runs, exp, client, key)
        if mid is None:
            err = self.failed(exp, client)
            return [f"failed: {err[0]['error']}" if err else "—", "", "", ""]
        base_lo, base_mid = summary(self.runs, exp, "c-pure", key)
        return [fmt(lo), fmt(mid), fmt_ratio(ratio(lo, base_lo)),
                fmt_ratio(ratio(mid, base_mid))]

    def section_cycle(self):
        exp = "cycle"
        rows = []
        for c in CLIENTS:
            p50 = self.time_row(exp, c)
            mean = self.time_row(exp, c, key="mean_ns")
            _, p99 = summary(self.runs, exp, c, "p99_ns")
            rows.append([NAMES[c]] + p50 + [fmt_us(p99)] + mean[:2])
        return [
            "## Full cycle: open, resolve the family, echo, close",
            "",
            f"{self.n('N_CYCLE')} cycles per run (the classic figure used 100,000; scaled down "
            "for TCG). µs per cycle: min and median over the runs of each run's p50, p99 and "
            "mean; ratios to pure C of the fastest runs and of the median runs.",
            "",
            table(["client", "p50 min", "p50 median", "ratio (min)", "ratio (median)",
                   "p99 median", "mean min", "mean median"], rows),
            "",
        ] + self.cycle_instructions()

    def section_steady(self):
        exp = "echo"
        rows = []
        for c in CLIENTS:
            p50 = self.time_row(exp, c)
            mean = self.time_row(exp, c, key="mean_ns")
            _, p99 = summary(self.runs, exp, c, "p99_ns")
            rows.append([NAMES[c]] + p50 + [fmt_us(p99)] + mean)
        return [
            "## Steady state: echo round trips on one socket",
            "",
            f"{self.n('N_ECHO')} round trips of a 16-byte message per run. µs per round trip: "
            "min and median over the runs of each run's p50, p99 and mean, with the ratios "
            "to pure C.",
            "",
            table(["client", "p50 min", "p50 median", "ratio (min)", "ratio (median)",
                   "p99 median", "mean min", "mean median", "mean ratio (min)",
                   "mean ratio (median)"], rows),
            "",
        ]

    def section_payload(self):
        rows = []
        for size in PAYLOAD_SIZES:
            row = [size]
            for c in CLIENTS:
                lo, mid = summary(self.runs, f"payload-{size}", c, "p50_ns")
                base = self.best(f"payload-{size}", "c-pure")
                cell = "—" if lo is None else f"{fmt_us(lo)} / {fmt_us(mid)}"
                if c != "c-pure" and lo is not None:
                    cell += f" ({fmt_ratio(ratio(lo, base))})"
                row.append(cell)
            rows.append(row)
        return [
            "## Payload scaling: echo of 16 B to 4096 B (GNL_FOOBAR_XMPL_MSG_MAX_LEN)",
            "",
            f"{self.n('N_PAYLOAD')} round trips per run. µs per round trip, min / median over "
            "the runs of each run's p50 (ratio of the fastest runs to pure C's). Plotted in "
            "`scaling.svg`.",
            "",
            table(["MSG bytes"] + [NAMES[c] for c in CLIENTS], rows),
            "",
        ]

    def dump_spread(self, client):
        values = [self.best(f"dump-{n}", client, "p50_item_ns") for n in DUMP_FLAT_COUNTS]
        return None if None in values else max(values) / min(values)

    def section_dump(self):
        rows = []
        for count in DUMP_COUNTS:
            row = [f"{count:,}", self.n(f"N_DUMP_{count}")]
            for c in CLIENTS:
                lo, mid = summary(self.runs, f"dump-{count}", c, "p50_item_ns")
                base = self.best(f"dump-{count}", "c-pure", "p50_item_ns")
                cell = f"{fmt_ns(lo)} / {fmt_ns(mid)}" if lo is not None else "—"
                if c != "c-pure" and lo is not None:
                    cell += f" ({fmt_ratio(ratio(lo, base))})"
                row.append(cell)
            rows.append(row)
        flat = [[NAMES[c], fmt_ratio(self.dump_spread(c))] for c in CLIENTS]
        marginal = []
        for c in CLIENTS:
            per_msg = {n: self.best(f"dump-{n}", c, "p50_item_ns") for n in DUMP_COUNTS}
            if None in per_msg.values():
                continue
            t3 = per_msg[3] * 3
            slopes = [(per_msg[n] * n - t3) / (n - 3) for n in DUMP_FLAT_COUNTS]
            marginal.append([NAMES[c], fmt_us(t3)] + [fmt_ns(m) for m in slopes]
                            + [f"{max(slopes) / min(slopes):.2f}x"])
        return [
            "## Dump scaling: one dump of 3 to 100,000 messages",
            "",
            "ns per dump message: each run's median dump time / its messages, min / median "
            "over the runs (ratio of the fastest runs to pure C's). Each dump message carries "
            "the kernel's default text (35 bytes). Plotted in `scaling.svg`.",
            "",
            table(["messages", "dumps per run"] + [NAMES[c] for c in CLIENTS], rows),
            "",
            "Flatness, the largest / smallest cost per message (fastest runs) from 100 to "
            "100,000 messages:",
            "",
            table(["client", "spread"], flat),
            "",
            "The cost per message includes each dump's fixed cost (the request, starting "
            "the dump in the kernel, its first 32 KiB skb, NLMSG_DONE), which a dump of 100 "
            "messages shares among few. Taking that out, with the dump of 3 as the fixed cost: "
            "T(N) = the time of one dump of N (fastest run's median); marginal cost per "
            "message = (T(N) - T(3)) / (N - 3):",
            "",
            table(["client", "T(3), µs", "marginal, ns: 100", "10,000", "100,000", "spread"],
                  marginal),
            "",
        ]

    def section_batch(self):
        rows = []
        for k in BATCH_SIZES:
            row = [k, self.n(f"N_BATCH_{k}")]
            for c in CLIENTS:
                lo, mid = summary(self.runs, f"batch-{k}", c, "p50_item_ns")
                one = self.best("batch-1", c, "p50_item_ns")
                if lo is None:
                    err = self.failed(f"batch-{k}", c)
                    row.append(f"failed: {err[0]['error']}" if err else "—")
                    continue
                row.append(f"{fmt_us(lo)} / {fmt_us(mid)} ({fmt_ratio(ratio(lo, one))} of K=1)")
            rows.append(row)
        lines = [
            "## Batching: K echo requests in one datagram",
            "",
            "One `sendto()`/`sendmsg()` carries K requests; the kernel runs them in order "
            "(`netlink_rcv_skb()`) and answers each in a datagram of its own, read one by one. "
            "µs per echo (each run's median batch / K), min / median over the runs (the "
            "fastest run relative to the same client's K=1).",
            "",
            table(["K", "batches per run"] + [NAMES[c] for c in CLIENTS], rows),
            "",
        ]
        failed = sorted({(f["exp"], f["client"]) for f in self.failures})
        for exp, client in failed:
            runs = len([f for f in self.failures if f["exp"] == exp and f["client"] == client])
            lines.append(
                f"{NAMES[client]} failed `{exp}` in {runs} of {self.env.get('reps', '?')} runs "
                f"with \"{self.failed(exp, client)[0]['error']}\"; "
                f"`strace/failed-{exp}-{client}.txt` shows why.")
        if failed:
            lines += [
                "",
                "With libnl's defaults each request is answered by its reply *and* an ACK, so "
                "a batch of 64 queues 128 datagrams, and libnl sets the socket's receive buffer "
                "to 32 KiB, below the system's default (`setsockopt(SO_RCVBUF, 32768)` in "
                "`nl_connect()`): the "
                "kernel drops the answers that do not fit and `recvmsg()` fails with "
                "`ENOBUFS`, which libnl reports as \"Out of memory\". The fast configuration "
                "halves the datagrams and fits.",
                "",
            ]
        return lines

    def notify_rate(self, client):
        """(fastest, median) notifications per second delivered to one listener."""
        rates = [r["per_s"] for r in self.notify.get(client, [])]
        return (max(rates), med(rates)) if rates else (None, None)

    def notify_rows(self):
        base, base_mid = self.notify_rate("c-pure")
        rows = []
        for c in LISTENERS:
            best, mid = self.notify_rate(c)
            lost = sum(r["lost"] for r in self.notify.get(c, []))
            sent = sum(r["count"] for r in self.notify.get(c, []))
            failed = [f for f in self.notify_failures if f.get("client") == c]
            if best is None:
                rows.append([LISTENER_NAMES[c], "failed: " + (failed[0]["error"] if failed
                                                               else "no run"), "", "", "", "",
                             ""])
                continue
            cpu = [r["cpu_us_per"] for r in self.notify.get(c, [])]
            base_cpu = [r["cpu_us_per"] for r in self.notify.get("c-pure", [])]
            rows.append([LISTENER_NAMES[c], f"{best:,.0f}", f"{mid:,.0f}",
                         fmt_ratio(ratio(best, base)), f"{min(cpu):.1f}",
                         fmt_ratio(ratio(min(cpu), min(base_cpu) if base_cpu else None)),
                         f"{lost:,} of {sent:,}"
                         + (f"; {len(failed)} runs failed" if failed else "")])
        return rows

    def section_notify(self):
        return [
            "## Notifications to one listener",
            "",
            f"Each client's `listen --count {self.env.get('N_NOTIFY')}` joined to the config "
            "group, in a network namespace of its own, while `user-c-pure bench set` makes "
            f"{self.env.get('N_NOTIFY')} config-sets back to back (each waiting for its ACK). "
            "Notifications delivered per second, from the sender's start to the listener's "
            "exit, fastest and median of the runs (the listener prints a line for each "
            "notification, into a pipe drained as it goes, as a user's listener would); "
            "ratio of the fastest to pure C's; the notifications the listener lost "
            "(`ENOBUFS`: its queue overflowed; it reports them from the socket's drop "
            "counter and re-reads the config) over all runs. With one vCPU the sender and "
            "the listener share it, and the sender's config-set round trips set the pace "
            "as long as the listener keeps up: then the rates are alike, and what tells "
            "the listeners apart is their own CPU time per notification (user + system, "
            "GNU time; the fastest run), which includes printing each one.",
            "",
            table(["listener", "per s (fastest)", "per s (median)", "vs pure C",
                   "listener CPU µs per notification", "vs pure C", "lost"],
                  self.notify_rows()),
            "",
        ]

    # Targets

    def evaluate_targets(self):
        per = self.steady["c-pure"]
        self.check(
            count_matching(per, SEND_CALLS) == 1 and count_matching(per, RECV_CALLS) == 1
            and abs(sum(per.values()) - 2) < 1e-9,
            "pure C at the protocol's floor: exactly 1 send + 1 receive per steady round trip "
            f"(measured {fmt_count(sum(per.values()))} syscalls)")
        nl = self.whole["c-pure"]["phases"]["netlink"]
        self.check(
            count_matching(nl, SEND_CALLS) == 2 and count_matching(nl, RECV_CALLS) == 2,
            "pure C whole run: 2 sends + 2 receives (family query, echo), no ACK, no peek "
            f"(measured {count_matching(nl, SEND_CALLS)} + {count_matching(nl, RECV_CALLS)})")

        def steady_ratios(client):
            (lo, mid), (base_lo, base_mid) = (summary(self.runs, "echo", c, "p50_ns")
                                              for c in (client, "c-pure"))
            return ratio(lo, base_lo), ratio(mid, base_mid)

        r, r_mid = steady_ratios("rust")
        self.check(r is not None and r <= RUST_STEADY_MAX,
                   f"Rust/neli steady round trip <= {RUST_STEADY_MAX}x pure C "
                   f"({fmt_ratio(r)}; median runs: {fmt_ratio(r_mid)})")

        rw, cw = self.whole["rust"], self.whole["c-pure"]
        r = ratio(rw["total"], cw["total"])
        r_nl = ratio(total(rw["phases"]["netlink"]), total(cw["phases"]["netlink"]))
        self.check(r is not None and r <= RUST_WHOLE_RUN_SYSCALLS_MAX,
                   f"Rust/neli whole-run syscalls <= {RUST_WHOLE_RUN_SYSCALLS_MAX}x pure C "
                   f"({rw['total']} vs {cw['total']}: {fmt_ratio(r)}; netlink part alone: "
                   f"{fmt_ratio(r_nl)}; the rest is std's start-up and libgcc_s, see RESULTS.md)")

        r, r_mid = steady_ratios("c-libnl-fast")
        d, d_mid = steady_ratios("c-libnl-defaults")
        self.check(r is not None and r <= LIBNL_FAST_STEADY_MAX,
                   f"C/libnl fast steady round trip <= {LIBNL_FAST_STEADY_MAX}x pure C "
                   f"({fmt_ratio(r)}; median runs: {fmt_ratio(r_mid)}; libnl defaults: "
                   f"{fmt_ratio(d)}, median runs {fmt_ratio(d_mid)})")

        for c in CLIENTS:
            spread = self.dump_spread(c)
            self.check(spread is not None and spread <= DUMP_FLATNESS_MAX,
                       f"{NAMES[c]} dump cost per message within {DUMP_FLATNESS_MAX}x "
                       f"from 100 to 100,000 messages ({fmt_ratio(spread)})")

    # Output

    def header(self):
        env = self.env
        clock = env.get("clocksource_start", "?")
        clock_end = env.get("clocksource_end", "?")
        clock_note = "" if clock == clock_end else f" (at the end: {clock_end})"
        lines = [
            "# Measurements",
            "",
            "Written by `sh measurements/run.sh` (measurements/report.py); do not edit by hand.",
            "",
            table(["", ""], [
                ["date", env.get("date", "?")],
                ["source", f"commit {self.source}"],
                ["guest kernel", f"{env.get('kernel', '?')} (Debian), 1 vCPU"],
                ["accelerator", self.accel],
                ["guest CPU", env.get("cpu_model", "?")],
                ["guest clocksource", clock + clock_note],
                ["runs per figure", env.get("reps", "?")],
                ["run.sh", f"{self.build_seconds} s build + {self.guest_seconds} s in the guest"
                           " (boot, strace, benchmarks)"],
            ]),
            "",
        ]
        if self.accel != "KVM":
            lines += [
                f"**Under {self.accel}, absolute times mean little**: every guest instruction "
                "is emulated, so the µs below are QEMU's cost of running the code, not a "
                "machine's, and the host (shared with other work) adds noise. Only **ratios "
                "between clients measured in the same run** are meaningful; they stand next to "
                "the absolute figures. System-call counts are exact anywhere.",
                "",
            ]
        if clock not in ("tsc", "kvm-clock"):
            lines += [
                f"**Warning**: the guest's clocksource was {clock}, on which clock_gettime() "
                "is a system call, not a vDSO read: every sample includes it.",
                "",
            ]
        lines += [
            "How the clients are timed: each runs its `bench` mode (`bench` for Rust, "
            "`user-c-pure bench`, `user-c-libnl bench [--fast|--libnl-defaults]`), which does "
            "one untimed operation, then N timed ones, reading CLOCK_MONOTONIC "
            "(`clock_gettime()` / `std::time::Instant`) once before the first and after each "
            "one; every reply is checked (sequence number, echoed text, dump order) as in the "
            "normal programs. Each run of a figure is a new process; the clients take turns, "
            "each repetition starting with another one. The guest has one vCPU: with two, its "
            "kernel finds the TCG vCPUs' TSCs unsynchronized and falls back to HPET, on which "
            "every clock read is a system call.",
            "",
            "Which figure is judged: each run's **p50** (its median operation, which the "
            "host's brief preemptions do not move), and of the runs the **fastest** (min): "
            "the host is shared, and other work there only ever adds time, sometimes for a "
            "whole run, so each client's fastest run is its least disturbed one. The median "
            "runs, and the means, are shown beside it. The C clients are the plain `make` "
            "builds (-O2), Rust is `cargo build --release`.",
            "",
            "Clients: **pure C** = user-c-pure (raw socket); **C/libnl, fast** = user-c-libnl "
            "`--fast` (`nl_socket_disable_auto_ack()`, `nl_socket_disable_msg_peek()` with a "
            "32 KiB buffer); **C/libnl, defaults** = user-c-libnl `--libnl-defaults` "
            "(NLM_F_ACK on every request, MSG_PEEK before every read); **Rust/neli** = "
            "user-rust (neli 0.7's synchronous `NlSocket`).",
            "",
        ]
        return lines

    def disturbed(self, threshold=1.2):
        """The figures whose median run was more than `threshold` times the fastest."""
        out = []
        for (exp, client), records in sorted(self.runs.items()):
            lo, mid = summary(self.runs, exp, client, "p50_ns")
            if lo and mid / lo > threshold:
                out.append(f"{exp} ({NAMES[client]}: {mid / lo:.2f}x)")
        return out

    def targets_section(self):
        lines = ["## Targets", ""]
        noisy = self.disturbed()
        if noisy:
            lines += [
                "The host was busy during part of this run: in these figures the median run's "
                "p50 exceeds the fastest run's by more than 20%: " + ", ".join(noisy) + ".",
                "",
            ]
        lines += [f"- **{verdict}** {text}" for verdict, text in self.targets]
        return lines + [""]

    def iterations_section(self):
        env = self.env
        return [
            "## Iterations",
            "",
            table(["figure", "operations per run"], [
                ["full cycle", env.get("N_CYCLE")],
                ["steady echo", env.get("N_ECHO")],
                ["payload scaling (each size)", env.get("N_PAYLOAD")],
                ["dump of 3 / 100 / 10,000 / 100,000", " / ".join(
                    env.get(f"N_DUMP_{n}", "?") for n in DUMP_COUNTS)],
                ["batch K = 1 / 8 / 64 (batches)", " / ".join(
                    env.get(f"N_BATCH_{k}", "?") for k in BATCH_SIZES)],
                ["strace steady state (N and 2N)", env.get("N_STRACE")],
                ["callgrind echoes / cycles", f"{env.get('N_CALLGRIND')} / "
                                              f"{env.get('N_CALLGRIND_CYCLE')}"],
                ["notifications to one listener", env.get("N_NOTIFY")],
            ]),
            "",
        ]

    def results_md(self):
        lines = self.header()
        lines += self.targets_section()
        lines += self.section_cycle()
        lines += self.section_steady()
        lines += self.section_instructions()
        lines += self.section_syscalls()
        lines += self.section_payload()
        lines += self.section_dump()
        lines += self.section_batch()
        lines += self.section_notify()
        lines += self.iterations_section()
        return "\n".join(lines)

    def readme_section(self):
        base_cycle = self.best("cycle", "c-pure")
        base_rt = self.best("echo", "c-pure")
        rows_time, rows_sys = [], []
        for c in CLIENTS:
            cyc = self.best("cycle", c)
            rt = self.best("echo", c)
            rows_time.append([NAMES[c], fmt_us(cyc), fmt_ratio(ratio(cyc, base_cycle)),
                              fmt_us(rt), fmt_ratio(ratio(rt, base_rt))])
            w = self.whole[c]
            per = self.steady[c]
            rows_sys.append([NAMES[c], w["total"], total(w["phases"]["start-up"]),
                             total(w["phases"]["netlink"]), fmt_count(sum(per.values()))])
        rw, cw = self.whole["rust"], self.whole["c-pure"]
        lf, ld = self.whole["c-libnl-fast"], self.whole["c-libnl-defaults"]
        phase_totals = {c: {p: total(v) for p, v in self.whole[c]["phases"].items()}
                        for c in ("rust", "c-pure", "c-pure-cargo")}
        rp, cp = phase_totals["rust"], phase_totals["c-pure"]
        ir = {k: f"{v:,.0f}" for k, v in self.instructions.items()}
        memset = sum(n for n, fn, _ in self.hot.get(("rust", "cycle"), []) if "memset" in fn)
        return "\n".join([
            "## What each abstraction costs",
            "",
            f"Measured by `sh measurements/run.sh` in a {self.accel} guest "
            f"(Linux {self.env.get('kernel', '?')}, {self.env.get('date', '?')}); "
            "details, min/median of "
            f"{self.env.get('reps', '?')} runs per figure, payload and dump scaling, batching "
            "and the raw strace logs are in "
            "[measurements/results/RESULTS.md](../measurements/results/RESULTS.md)."
            + (" Under TCG every instruction is emulated: read the ratios, not the µs." if
               self.accel != "KVM" else ""),
            "",
            f"Time, µs (full cycle: open, resolve the family, echo, close; median of "
            f"{self.env.get('N_CYCLE')} cycles. Round trip: one echo on an open socket, "
            f"median of {self.env.get('N_ECHO')}. Each the fastest of "
            f"{self.env.get('reps', '?')} runs):",
            "",
            table(["client", "full cycle", "vs pure C", "round trip", "vs pure C"], rows_time),
            "",
            "System calls (one whole run of the echo program; the netlink part is the "
            "`socket()` and every call on it):",
            "",
            table(["client", "whole run", "start-up", "netlink", "per round trip"], rows_sys),
            "",
            f"Notifications delivered per second to one listener ({self.env.get('N_NOTIFY')} "
            "config-sets made back to back by one sender, which sets the pace; the "
            "listener printing each; fastest of the runs), the listener's own CPU time "
            "per notification, and the notifications lost over all runs:",
            "",
            table(["listener", "per s", "median run", "vs pure C", "listener CPU µs each",
                   "vs pure C", "lost"], self.notify_rows()),
            "",
            "Where the extra cost comes from:",
            "",
            f"- **pure C** is the protocol's floor: 1 `sendto()` + 1 `recvmsg()` per request, "
            "no ACK (the reply with the request's sequence number ends a doit's answer), no "
            "MSG_PEEK (the 32 KiB buffer holds any datagram the kernel builds for it).",
            f"- **Rust/neli** does exactly the same netlink work ({rp['netlink']} calls, as "
            f"pure C's {cp['netlink']}). The difference is process start-up: {rp['start-up']} "
            f"calls before `socket()` against pure C's {cp['start-up']}: the loader mapping "
            f"libgcc_s.so.1 for std's unwinder ({phase_totals['c-pure-cargo']['start-up'] - cp['start-up']} "
            "calls; the cargo build of the C client pays them too), and std's runtime start-up before `main` (fd 0-2 `poll()`, SIGPIPE "
            "ignored, the main thread's stack bounds read from /proc/self/maps, an alternate "
            "signal stack with a guard page for the stack-overflow handler, malloc's heap set "
            f"up earlier than C's); {rp['exit']} calls at exit against {cp['exit']} (std "
            "removes the alternate stack). `measurements/results/strace/whole-run-rust.txt` shows "
            "each one. Per round trip, neli is at the floor: 1 `sendto()` + 1 `recvfrom()`. "
            f"Its time per round trip is user space: {ir['rust', 'echo']} instructions "
            f"against pure C's {ir['c-pure', 'echo']} (callgrind), mostly neli's builders and "
            "serializer and its `recv()` converting the sender's group bitmask into a `Vec` "
            f"for every datagram. Its full cycle pays {ir['rust', 'cycle']} instructions "
            f"against {ir['c-pure', 'cycle']}, {memset:,.0f} of them clearing the client's "
            "fresh receive buffer (about 4 KiB, zeroed: neli's `recv()` takes only an "
            "initialised one), which emulation makes slow.",
            f"- **C/libnl** with `--fast` sends `sendmsg()` and reads with one `recvmsg()`, as "
            f"pure C does ({total(lf['phases']['netlink'])} netlink calls); it adds two "
            "`setsockopt()`s (libnl sets 32 KiB socket buffers) and a `getpid()` for its port "
            "id, plus loading libnl-3 and libnl-genl-3. With libnl's **defaults** every "
            "request also asks for an ACK (one more datagram) and every datagram is read "
            "twice, MSG_PEEK first to size the buffer: "
            f"{count_matching(ld['phases']['netlink'], RECV_CALLS)} `recvmsg()` instead of "
            f"{count_matching(lf['phases']['netlink'], RECV_CALLS)}, "
            f"{fmt_count(count_matching(self.steady['c-libnl-defaults'], RECV_CALLS))} per "
            "round trip instead of 1. In time, even the fast configuration pays for "
            f"libnl's allocations: {ir['c-libnl-fast', 'echo']} user-space instructions per "
            f"round trip against pure C's {ir['c-pure', 'echo']}, most of them in malloc "
            "(a 32 KiB receive buffer per datagram, a copy of each received message, an "
            "`nl_msg` per request).",
            "- **Listening**, the listeners of pure C and Rust cost about the same per "
            "notification (a `recvmsg()`, a check, a printed line); libnl's costs more "
            "(its receive path copies each message into an allocated `nl_msg`) and loses the "
            "most notifications when a sender goes fast: `nl_connect()` sets its receive buffer "
            "to 32 KiB, about a sixth of the default, so its queue overflows first. A listener "
            "that must lose none raises it (`nl_socket_set_buffer_size()`); these report "
            "each loss and re-read the config instead.",
            "",
        ])


# ---- The plot ----


COLORS = {"rust": "#b7410e", "c-pure": "#1f5fa8", "c-libnl-fast": "#2e8b57",
          "c-libnl-defaults": "#8a8a8a"}


def nice_ceiling(value):
    """1, 2 or 5 times a power of ten, at least `value`."""
    if value <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * exp >= value:
            return m * exp
    return 10 * exp


def svg_panel(x0, y0, w, h, title, xlabel, ylabel, xs, series, xlabels, log_y=False):
    """One line chart with a log x axis (xs) and a y axis from 0 (linear) or over
    the decades the values span (log_y)."""
    values = [v for vals in series.values() for v in vals if v is not None and v > 0]
    lx, hx = math.log(xs[0]), math.log(xs[-1])
    if log_y:
        lo = math.floor(math.log10(min(values, default=1)))
        hi = max(math.ceil(math.log10(max(values, default=10))), lo + 1)
        ticks = [10 ** e for e in range(lo, hi + 1)]
    else:
        top = nice_ceiling(max(values, default=1))
        ticks = [top * i / 5 for i in range(6)]

    def px(x):
        return x0 + (math.log(x) - lx) / (hx - lx) * w

    def py(y):
        if log_y:
            return y0 + h - (math.log10(y) - lo) / (hi - lo) * h
        return y0 + h - y / top * h

    out = [f'<text x="{x0 + w / 2}" y="{y0 - 14}" text-anchor="middle" '
           f'font-size="15" font-weight="bold">{title}</text>',
           f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#444"/>']
    for y in ticks:
        out.append(f'<line x1="{x0}" y1="{py(y):.1f}" x2="{x0 + w}" y2="{py(y):.1f}" '
                   'stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 6}" y="{py(y) + 4:.1f}" text-anchor="end" '
                   f'font-size="11">{y:g}</text>')
    for x, label in zip(xs, xlabels):
        out.append(f'<line x1="{px(x):.1f}" y1="{y0 + h}" x2="{px(x):.1f}" y2="{y0 + h + 5}" '
                   'stroke="#444"/>')
        out.append(f'<text x="{px(x):.1f}" y="{y0 + h + 18}" text-anchor="middle" '
                   f'font-size="11">{label}</text>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 38}" text-anchor="middle" '
               f'font-size="12">{xlabel}</text>')
    out.append(f'<text x="{x0 - 48}" y="{y0 + h / 2}" text-anchor="middle" font-size="12" '
               f'transform="rotate(-90 {x0 - 48} {y0 + h / 2})">{ylabel}</text>')
    for client, vals in series.items():
        points = [(px(x), py(v)) for x, v in zip(xs, vals) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{COLORS[client]}" '
                       'stroke-width="2"/>')
        for x, y in points:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLORS[client]}"/>')
    return out


def scaling_svg(report):
    runs = report.runs
    payload = {c: [summary(runs, f"payload-{s}", c, "p50_ns")[0] for s in PAYLOAD_SIZES]
               for c in CLIENTS}
    payload = {c: [None if v is None else v / 1000 for v in vals] for c, vals in payload.items()}
    dump = {c: [summary(runs, f"dump-{n}", c, "p50_item_ns")[0] for n in DUMP_COUNTS]
            for c in CLIENTS}
    width, height = 980, 430
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    out += svg_panel(80, 50, 360, 270, "Echo round trip by payload", "MSG bytes",
                     f"µs per round trip ({report.accel})", PAYLOAD_SIZES, payload,
                     [str(s) for s in PAYLOAD_SIZES])
    out += svg_panel(580, 50, 360, 270, "Dump: cost per message", "messages in the dump",
                     f"ns per message, log scale ({report.accel})", DUMP_COUNTS, dump,
                     ["3", "100", "10k", "100k"], log_y=True)
    for i, c in enumerate(CLIENTS):
        x = 120 + i * 200
        out.append(f'<line x1="{x}" y1="{height - 30}" x2="{x + 24}" y2="{height - 30}" '
                   f'stroke="{COLORS[c]}" stroke-width="3"/>')
        out.append(f'<text x="{x + 30}" y="{height - 26}" font-size="12">{NAMES[c]}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", default="unknown")
    parser.add_argument("--build-seconds", type=int, default=0)
    parser.add_argument("--guest-seconds", type=int, default=0)
    args = parser.parse_args()

    report = Report(args.raw, args.out, args.build_seconds, args.guest_seconds)
    report.source = args.source
    report.evaluate_targets()
    for name in ("strace", "callgrind"):
        if (args.out / name).exists():
            shutil.rmtree(args.out / name)
    shutil.copytree(args.raw / "strace", args.out / "strace")
    (args.out / "callgrind").mkdir()
    for path in args.raw.glob("callgrind-*.out"):
        shutil.copy(path, args.out / "callgrind" / path.name.removeprefix("callgrind-"))
    (args.out / "RESULTS.md").write_text(report.results_md())
    write_docs_section(args.out, report.readme_section())
    (args.out / "scaling.svg").write_text(scaling_svg(report))
    for verdict, text in report.targets:
        print(f"{verdict} {text}")
    return 0


def write_docs_section(out, section):
    """The summary goes into docs/clients.md, between its performance markers, when the
    results are the committed ones; a trial run (--quick) leaves it beside its results."""
    root = Path(__file__).resolve().parent.parent
    docs = root / "docs" / "clients.md"
    if out.resolve() != (root / "measurements" / "results").resolve():
        (out / "docs-section.md").write_text(section)
        return
    text = docs.read_text()
    begin, end = "<!-- generated: performance -->\n", "<!-- end generated -->"
    start = text.index(begin) + len(begin)
    stop = text.index(end, start)
    docs.write_text(text[:start] + section.rstrip("\n") + "\n" + text[stop:])


if __name__ == "__main__":
    sys.exit(main())
