#!/usr/bin/env bash
# hook_concurrent.sh - 50 hooks appending at once never tear or interleave
# a line (SPEC §6), including lines far larger than PIPE_BUF (4 KiB): one
# write(2) on an O_APPEND descriptor per line (see hook_append()).
. "$(dirname "$0")/lib.sh"

W=50		# concurrent writers
N=10		# lines each
A="$T/audit"
mkdir -p "$T/p"

# Payloads: writer w, line i; every 5th line is 256 KiB, the rest 1-8 KiB.
# The content is one letter repeated, so any interleaving shows.
python3 - "$T/p" "$W" "$N" <<'EOF'
import json, os, sys
d, W, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for w in range(W):
    for i in range(N):
        size = 256 << 10 if i % 5 == 0 else 1024 * (1 + (w * 7 + i) % 8)
        ch = "abcdefghijklmnopqrstuvwxyz"[(w + i) % 26]
        p = {"session_id": "w%d" % w, "hook_event_name": "PreToolUse",
             "tool_name": "Write", "tool_use_id": "w%d-i%d" % (w, i),
             "tool_input": {"file_path": "/tmp/f%d" % i, "content": ch * size}}
        with open(os.path.join(d, "%d-%d.json" % (w, i)), "w") as f:
            json.dump(p, f)
EOF

# All writers start together, released by one file appearing.
pids=()
for ((w = 0; w < W; w++)); do
	(
		while [ ! -e "$T/go" ]; do sleep 0.01; done
		for ((i = 0; i < N; i++)); do
			"$AUDITSHIP" hook --dir "$A" <"$T/p/$w-$i.json" 2>>"$T/err.$w" ||
				echo "exit $?" >>"$T/err.$w"
		done
	) &
	pids+=($!)
done
touch "$T/go"
for p in "${pids[@]}"; do wait "$p"; done
errs=$(cat "$T"/err.* 2>/dev/null || true)
assert_eq "$errs" "" "no writer reported an error"

# Every day file (a run across midnight UTC writes two) together.
cat "$A"/*.jsonl >"$T/all"
python3 - "$T/all" "$W" "$N" <<'EOF'
import json, sys
path, W, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seen = set()
with open(path, "rb") as f:
    data = f.read()
assert data.endswith(b"\n")
lines = data.split(b"\n")[:-1]
for n, raw in enumerate(lines):
    o = json.loads(raw)             # a torn line fails here
    c = o["tool_input"]["content"]
    w, i = o["tool_use_id"][1:].split("-i")
    w, i = int(w), int(i)
    size = 256 << 10 if i % 5 == 0 else 1024 * (1 + (w * 7 + i) % 8)
    ch = "abcdefghijklmnopqrstuvwxyz"[(w + i) % 26]
    assert c == ch * size, "line %d: content interleaved or cut" % n
    assert (w, i) not in seen, "duplicate %s" % o["tool_use_id"]
    seen.add((w, i))
assert len(seen) == W * N, "%d of %d lines" % (len(seen), W * N)
print("%d lines, %d bytes" % (len(lines), len(data)))
EOF
pass "$W concurrent writers x $N lines (every 5th 256 KiB): no torn or interleaved line"
