#!/usr/bin/env python3
"""Check a dir/S3-layout archive against the source daily files.

usage: verify_archive.py ARCHIVE_ROOT SOURCE_DIR [--expect-complete] [--host H] [--user U]

For every object NAME.START-END.jsonl.gz under ARCHIVE_ROOT/HOST/USER/YYYY/MM/DD
it checks that the objects of one day never overlap (SPEC 3.1), start at 0
and follow each other without holes, and that their gunzipped bytes are
exactly bytes START..END of the source file (read through gzip when the
source is NAME.gz).  Daily objects (DATE.jsonl.gz) must equal the whole file.
With --expect-complete every source day must be covered up to its last
newline (or its end, for a closed day with a fragment).  Prints one line per
day and exits 1 on the first mismatch.
"""
import gzip, os, re, sys

def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = {}
    it = iter(sys.argv[1:])
    for a in it:
        if a.startswith("--") and a in ("--host", "--user"):
            opts[a] = next(it)
            if opts[a] in args:
                args.remove(opts[a])
        elif a.startswith("--"):
            opts[a] = True
    root, src = args[0], args[1]
    chunk_re = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{12})-(\d{12})\.jsonl\.gz$")
    daily_re = re.compile(r"^(\d{4}-\d{2}-\d{2})\.jsonl\.gz$")
    objs = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if ".tmp." in f and not opts.get("--allow-tmp"):
                print("FAIL: temp file left behind: %s" % os.path.join(dirpath, f)); return 1
            m = chunk_re.match(f)
            if m:
                objs.setdefault(m.group(1), []).append((int(m.group(2)), int(m.group(3)), os.path.join(dirpath, f)))
                continue
            m = daily_re.match(f)
            if m:
                objs.setdefault(m.group(1), []).append((0, None, os.path.join(dirpath, f)))
    rc = 0
    for name in sorted(os.listdir(src)):
        m = re.match(r"^(\d{4}-\d{2}-\d{2})\.jsonl(\.gz)?$", name)
        if not m:
            continue
        day = m.group(1)
        path = os.path.join(src, name)
        data = gzip.open(path, "rb").read() if name.endswith(".gz") else open(path, "rb").read()
        chunks = sorted(objs.get(day, []))
        pos = 0
        for start, end, p in chunks:
            body = gzip.open(p, "rb").read()
            if end is None:
                end = len(body)
            if start != pos:
                print("FAIL: %s: object %s starts at %d, expected %d (overlap or hole)" % (day, p, start, pos)); return 1
            if len(body) != end - start or body != data[start:end]:
                print("FAIL: %s: object %s does not hold bytes %d-%d of %s" % (day, p, start, end, path)); return 1
            pos = end
        last_nl = data.rfind(b"\n") + 1
        if opts.get("--expect-complete") and pos not in (last_nl, len(data)):
            print("FAIL: %s: archive covers %d bytes, file has %d complete" % (day, pos, last_nl)); return 1
        print("ok %s: %d objects, %d of %d bytes" % (day, len(chunks), pos, len(data)))
    return rc

sys.exit(main())
