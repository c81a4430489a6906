#!/usr/bin/env python3
"""Run a command on a pseudo-terminal and parse auditship's progress line.

usage: pty_progress.py OUT.json [--live LIVE.jsonl] -- COMMAND ARGS...

Everything the command writes to the terminal is split at "\\r" and "\\n"
(a progress line is complete at its closing ESC [K already); each piece
with "shipped X of Y MiB" is one update, timed on arrival.
Writes {"rc":…, "updates":[{"t":…, "dest":…, "done":X, "total":Y}, …],
"text":…} to OUT.json.  With --live, each update is also appended to
LIVE.jsonl (one JSON object a line, flushed) as it arrives, for a test
that watches the line while the command runs.
"""
import json
import os
import pty
import re
import sys
import time

PROG = re.compile(r"auditship: (?:dest (\S+) \(\d+ of \d+\): )?shipped ([\d.]+) of ([\d.]+) MiB")


def main():
    out = sys.argv[1]
    opts = sys.argv[2:sys.argv.index("--")]
    live = open(opts[opts.index("--live") + 1], "a") if "--live" in opts else None
    cmd = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    t0 = time.monotonic()
    buf = b""
    updates = []
    text = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        now = time.monotonic() - t0
        text += data
        buf += data
        parts = re.split(rb"[\r\n]", buf)
        buf = parts.pop()
        if buf.endswith(b"\x1b[K"):  # a drawn line ends at its ESC [K
            parts.append(buf)
            buf = b""
        for p in parts:
            m = PROG.search(p.decode("utf-8", "replace"))
            if m:
                updates.append({"t": round(now, 3), "dest": m.group(1),
                                "done": float(m.group(2)), "total": float(m.group(3))})
                if live is not None:
                    live.write(json.dumps(updates[-1]) + "\n")
                    live.flush()
    m = PROG.search(buf.decode("utf-8", "replace"))
    if m:
        updates.append({"t": round(time.monotonic() - t0, 3), "dest": m.group(1),
                        "done": float(m.group(2)), "total": float(m.group(3))})
    _, status = os.waitpid(pid, 0)
    rc = os.waitstatus_to_exitcode(status)
    with open(out, "w") as f:
        json.dump({"rc": rc, "updates": updates, "text": text.decode("utf-8", "replace")}, f)


if __name__ == "__main__":
    main()
