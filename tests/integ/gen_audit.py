#!/usr/bin/env python3
"""Generate realistic Claude Code audit lines (one JSON object per line).

Deterministic for a given --seed.  Shapes follow what Claude Code's hooks
send (PreToolUse / PostToolUse with tool_input and tool_response), with a
median around 400 bytes and a few percent of 4-20 KiB lines.  Used by the
integration tests and by bench/ship to build its corpus.
"""
import argparse, json, random, sys

TOOLS = ["Bash", "Read", "Edit", "Write", "Grep", "Glob", "WebFetch", "Task"]
CMDS = ["git status", "npm test", "make -j2", "ls -la src", "pytest -q tests/",
        "cargo build --release", "grep -rn TODO src", "docker ps", "kubectl get pods -n prod"]
WORDS = ("the quick brown fox jumps over lazy dog error warning build passed failed "
         "module function return value config deploy request response token").split()

def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))

def event(rng, i, day):
    tool = rng.choice(TOOLS)
    ev = rng.choice(["PreToolUse", "PostToolUse"])
    sec = (i * 7) % 86400
    ts = "%sT%02d:%02d:%02d.%03dZ" % (day, sec // 3600, sec // 60 % 60, sec % 60, i % 1000)
    tin = {"command": rng.choice(CMDS)} if tool == "Bash" else {"file_path": "/home/dev/proj/src/m%d.c" % rng.randrange(100)}
    sid = "%08x-%04x-4%03x-a%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48))
    o = {"ts": ts, "host": "devbox", "user": "dev", "session_id": sid,
         "transcript_path": "/home/dev/.claude/projects/-home-dev-proj/%s.jsonl" % sid,
         "cwd": "/home/dev/proj",
         "hook_event_name": ev, "tool_name": tool, "tool_input": tin}
    if ev == "PostToolUse":
        # About 6% of responses (3% of all lines) are large outputs.
        big = rng.random() < 0.06
        o["tool_response"] = {"stdout": text(rng, rng.randrange(600, 3000) if big else rng.randrange(2, 20)),
                              "stderr": "", "interrupted": False, "exit_code": rng.choice([0, 0, 0, 1])}
    return json.dumps(o, separators=(",", ":"))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=0)
    ap.add_argument("--bytes", type=int, default=0, help="stop after this many bytes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--day", default="2026-11-20")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    out = sys.stdout
    n = total = 0
    while (a.lines and n < a.lines) or (a.bytes and total < a.bytes):
        line = event(rng, n, a.day) + "\n"
        out.write(line)
        total += len(line)
        n += 1

main()
