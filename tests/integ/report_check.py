#!/usr/bin/env python3
"""report_check.py EXPECT.json REPORT.json [--sealed-from ARCHIVE]

Compare `auditship report --format json` with the figures report_gen.py
wrote.  Every difference is printed; exit 1 when there is one.
"""
import json
import sys


def main():
    exp = json.load(open(sys.argv[1]))
    got = json.load(open(sys.argv[2]))
    sealed = None
    if len(sys.argv) > 4 and sys.argv[3] == "--sealed":
        sealed = json.loads(sys.argv[4])      # {"date": true/false}
    bad = []

    def eq(what, g, e):
        if g != e:
            bad.append("%s: got %r, want %r" % (what, g, e))

    for key in ("from", "to", "days", "tools", "unmatched_calls", "open_sessions",
                "denials", "risky", "redactions", "invalid_lines", "resets",
                "other_events"):
        if key not in got:
            bad.append("missing key " + key)
    days = {d["date"]: d for d in got.get("days", [])}
    eq("day rows", sorted(days), sorted(d["date"] for d in exp["days"]))
    for d in exp["days"]:
        g = days.get(d["date"], {})
        for k in ("gap", "events", "sessions", "tool_calls", "failures"):
            eq("%s %s" % (d["date"], k), g.get(k), d[k])
        want_sealed = None if sealed is None else sealed.get(d["date"], False)
        eq("%s sealed" % d["date"], g.get("sealed"), want_sealed)
        for k in ("date", "user", "host", "events", "sessions", "tool_calls", "failures",
                  "gap", "sealed"):
            if k not in g:
                bad.append("%s: no key %s" % (d["date"], k))
    eq("tool names", sorted(got.get("tools", {})), sorted(exp["tools"]))
    for name, t in exp["tools"].items():
        g = got.get("tools", {}).get(name, {})
        for k in ("calls", "failures", "p50_ms", "p95_ms"):
            eq("tool %s %s" % (name, k), g.get(k), t[k])
    eq("unmatched_calls", got["unmatched_calls"]["count"], exp["unmatched_calls"])
    eq("unmatched first", len(got["unmatched_calls"]["first"]), exp["unmatched_calls"])
    eq("open_sessions", got["open_sessions"]["count"], exp["open_sessions"])
    eq("open_sessions first", len(got["open_sessions"]["first"]), exp["open_sessions"])
    eq("denials", got["denials"], exp["denials"])
    risky = {r["rule"]: r for r in got["risky"]}
    for rule, n in exp["risky"].items():
        r = risky.get(rule, {"count": None, "first": []})
        eq("risky %s" % rule, r["count"], n)
        eq("risky %s first" % rule, len(r["first"]), n)
    eq("redactions", got["redactions"], exp["redactions"])
    eq("invalid_lines", got["invalid_lines"], exp["invalid_lines"])
    eq("truncated_lines", got.get("truncated_lines"), exp["truncated_lines"])
    eq("other_events", got["other_events"], exp["other_events"])
    eq("resets", got["resets"], 0)
    for b in bad:
        print("MISMATCH " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
