#!/usr/bin/env bash
# auditship report --format html opened in a real browser (headless
# Chromium): the page is one self-contained file (no http(s) reference,
# no src=, no url(), no script), Chromium loads it making no network
# request (its net log lists file:// only), prints it to PDF and a
# screenshot; the screenshot is not blank and pdftotext of the PDF holds
# the figures of report --format json.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
D=(); for i in 6 5 4 3 2; do D+=("$(utc_day "$i days ago")"); done
python3 "$SRC_DIR/tests/integ/report_gen.py" trail "$SRC" --days "$(IFS=,; echo "${D[*]}")" \
	--skip "${D[2]}" --expect "$T/expect.json"
for f in "$SRC"/*; do backdate "$f"; done

run "$AUDITSHIP" -c "$CONF" report --from "${D[0]}" --to "${D[4]}" --format html -o "$T/r.html"
assert_eq "$RC" 0 "report html ($ERR)"
run "$AUDITSHIP" -c "$CONF" report --from "${D[0]}" --to "${D[4]}" --format json -o "$T/r.json"
assert_eq "$RC" 0 "report json ($ERR)"
for bad in 'http://' 'https://' 'src=' 'url(' '<script' '<link' '@import' '<img' '<iframe'; do
	! grep -qiF -- "$bad" "$T/r.html" || fail "the page holds $bad"
done
grep -q '<svg' "$T/r.html" || fail "no inline chart"
grep -q '@media print' "$T/r.html" || fail "no print stylesheet"
pass "self-contained: no network reference, inline svg, print css"

# chr PROFILE ARGS...: one headless Chromium run with its own profile dir.
chr() {
	local profile=$1
	shift
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-default-apps --disable-extensions --user-data-dir="$T/$profile" "$@"
}
chr chr --log-net-log="$T/net.json" --print-to-pdf="$T/r.pdf" \
	--no-pdf-header-footer "file://$T/r.html" >"$T/chr.out" 2>&1 || fail "chromium pdf: $(tail -5 "$T/chr.out")"
chr chr --screenshot="$T/r.png" --window-size=1200,1400 \
	"file://$T/r.html" >>"$T/chr.out" 2>&1 || fail "chromium screenshot: $(tail -5 "$T/chr.out")"
[ -s "$T/r.pdf" ] && [ -s "$T/r.png" ] || fail "chromium wrote no pdf/png: $(tail -5 "$T/chr.out")"

# Requests the page made carry the file:// page as their network isolation
# key; Chromium's own (update checks, accounts) have initiator "not an
# origin" and are not the page's doing.  A control page with one <img> at
# a closed local port proves the net log shows a page's request.
page_requests() {
	python3 - "$1" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    line = line.strip().rstrip(",")
    try:
        ev = json.loads(line)
    except ValueError:
        continue
    p = ev.get("params") or {}
    if "url" in p and "file://" in str(p.get("network_isolation_key", "")):
        print(p["url"])
PY
}
printf '<html><body><img src="http://127.0.0.1:9/x.png"><p>control</p></body></html>' >"$T/ctl.html"
chr chr-ctl --log-net-log="$T/net-ctl.json" \
	--print-to-pdf="$T/ctl.pdf" "file://$T/ctl.html" >>"$T/chr.out" 2>&1 || fail "chromium control"
assert_contains "$(page_requests "$T/net-ctl.json")" "http://127.0.0.1:9/x.png" "the net log shows a page's request"
got=$(page_requests "$T/net.json")
assert_eq "$got" "" "requests made by the report page"
python3 "$SRC_DIR/tests/integ/report_png.py" "$T/r.png" || fail "blank screenshot"
pdftotext -layout "$T/r.pdf" "$T/r.txt"
python3 - "$T/r.json" "$T/r.txt" <<'PY' || fail "pdf lacks figures of the json"
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
words = re.findall(r"[^\s]+", text)
missing = []
def need(s):
    if s not in words and s not in text:
        missing.append(s)
for r in d["days"]:
    need(r["date"])
    if not r["gap"]:
        for k in ("events", "sessions", "tool_calls", "failures"):
            need(str(r[k]))
for name, t in d["tools"].items():
    need(name); need(str(t["calls"])); need(str(t["failures"]))
    if t["p95_ms"] is not None:
        need(str(t["p50_ms"])); need(str(t["p95_ms"]))
for r in d["risky"]:
    need(r["rule"])
need(str(d["denials"])); need(str(d["unmatched_calls"]["count"]))
need(str(d["invalid_lines"]))
for k in d["redactions"]:
    need(k)
need(str(sum(r["events"] for r in d["days"])))
if missing:
    print("missing from the pdf:", missing)
    sys.exit(1)
PY
pages=$(pdfinfo "$T/r.pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 1 ] || fail "pdf pages"
pass "chromium: no request, screenshot not blank, pdf ($pages pages) holds the json's figures"
