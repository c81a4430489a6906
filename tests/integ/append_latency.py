#!/usr/bin/env python3
"""Append one line every INTERVAL seconds to DAYFILE and time its arrival.

usage: append_latency.py DAYFILE RECORD FIRST COUNT INTERVAL MAX_LATENCY

Line n (FIRST <= n < FIRST+COUNT) is {"ts":…,"seq":n,"marker":"lat-n"}.
After each append, RECORD (the test intake's recorded events, one JSON per
line) is polled every 20 ms until an event with that seq appears; the time
from the append to then is its latency.  The next line goes INTERVAL
seconds after the previous one was appended (the workload's own pace, not
a wait for anything).  Prints the latencies; exits 1 when one is over
MAX_LATENCY seconds (it stops waiting then).
"""
import json
import sys
import time
from datetime import datetime, timezone


def main():
    day, record, first, count, interval, maxlat = sys.argv[1:7]
    first, count, interval, maxlat = int(first), int(count), float(interval), float(maxlat)
    seen = set()
    pos = 0
    lats = []

    def poll():
        nonlocal pos
        with open(record, "rb") as f:
            f.seek(pos)
            data = f.read()
        end = data.rfind(b"\n") + 1
        pos += end
        for ln in data[:end].splitlines():
            try:
                ev = json.loads(ln)
            except ValueError:
                continue
            if isinstance(ev.get("seq"), int):
                seen.add(ev["seq"])

    next_at = time.monotonic()
    for n in range(first, first + count):
        now = time.monotonic()
        if now < next_at:
            time.sleep(next_at - now)
        ts = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with open(day, "a") as f:
            f.write(json.dumps({"ts": ts, "seq": n, "marker": "lat-%d" % n}) + "\n")
        t0 = time.monotonic()
        next_at = t0 + interval
        while True:
            poll()
            lat = time.monotonic() - t0
            if n in seen:
                break
            if lat > maxlat:
                print("line %d not at the intake after %.1f s (latencies so far: %s)"
                      % (n, lat, " ".join("%.2f" % x for x in lats)))
                return 1
            time.sleep(0.02)
        lats.append(lat)
    print("latencies: " + " ".join("%.2f" % x for x in lats) + "; max %.2f s" % max(lats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
