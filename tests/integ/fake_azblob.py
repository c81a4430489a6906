#!/usr/bin/env python3
"""A small Azure Blob Storage server for what Azurite does not do:
version-level immutability policies and legal hold.

Speaks the real REST protocol strictly, for one account and its containers:
  - every request must carry x-ms-date and x-ms-version and a valid Shared
    Key signature (verified here with Python's hmac, a third implementation
    beside ours and the Azure SDK's); else 403 AuthenticationFailed;
  - errors are Azure's XML <Error><Code/><Message/></Error> with the
    x-ms-error-code header (HEAD answers carry only the header);
  - Put Blob, Put Block, Put Block List (Content-MD5 checked: 400
    Md5Mismatch), Get Block List, Get Blob Properties, Get Blob, Delete
    Blob, Set Blob Immutability Policy, Set Blob Legal Hold, Get Container
    Properties, List Blobs;
  - If-None-Match: * on an existing blob: 409 BlobAlreadyExists;
  - a blob under an unexpired policy or a legal hold refuses overwrite and
    delete with 409 BlobImmutableDueToPolicy; a Locked policy cannot be
    shortened or unlocked (409).

usage: fake_azblob.py --port P --account A --key B64 --container C...
       [--log FILE]     append every request (method, url, headers) as JSON
GET /_admin/state (no auth): {"uploads": [...], "counters": {...}}
POST /_admin/fail?n=N&status=S[&op=put|blocklist]: the next N uploads (of
that kind) answer S (503 ServerBusy, 500 InternalError).
POST /_admin/gate?n=N: N >= 0: a Put Block is stored, then its answer waits
until fewer than N blocks were answered (raise N to release them one by
one; counters blocks_waiting, blocks_answered); -1 (the default): no gate.
GET /_admin/answered: the answered blocks' bytes, in the order answered.
"""
import argparse, base64, calendar, email.utils, hashlib, hmac, json, re, sys, threading, time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
GATE = threading.Condition(LOCK)
ST = {"containers": {}, "uploads": [], "counters": {"requests": 0, "auth_failures": 0, "uploads": 0,
      "blocks": 0, "md5_mismatches": 0, "conflicts": 0, "immutable_refusals": 0, "injected": 0,
      "blocks_waiting": 0, "blocks_answered": 0}, "gate": -1, "answered": []}
FAIL = {"n": 0, "status": 503, "op": None}


def canon_headers(h):
    xs = sorted((k.lower(), " ".join(v.split())) for k, v in h.items() if k.lower().startswith("x-ms-"))
    return "".join("%s:%s\n" % kv for kv in xs)


def canon_resource(account, path, query):
    out = "/" + account + path
    params = {}
    for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True):
        params.setdefault(k.lower(), []).append(v)
    for k in sorted(params):
        out += "\n%s:%s" % (k, ",".join(sorted(params[k])))
    return out


def string_to_sign(method, h, account, path, query):
    def g(n):
        return h.get(n, "")
    cl = g("Content-Length")
    if cl == "0":
        cl = ""
    parts = [method, g("Content-Encoding"), g("Content-Language"), cl, g("Content-MD5"), g("Content-Type"),
             g("Date"), g("If-Modified-Since"), g("If-Match"), g("If-None-Match"), g("If-Unmodified-Since"),
             g("Range")]
    return "\n".join(parts) + "\n" + canon_headers(h) + canon_resource(account, path, query)


def rfc1123(t):
    return email.utils.formatdate(t, usegmt=True)


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def err(self, status, code, msg=""):
        body = b"" if self.command == "HEAD" else (
            '<?xml version="1.0" encoding="utf-8"?><Error><Code>%s</Code><Message>%s</Message></Error>'
            % (code, msg or code)).encode()
        self.send_response(status)
        self.send_header("x-ms-error-code", code)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)) if body else "0")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def ok(self, status, headers=None, body=b""):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        return self.rfile.read(n) if n else b""

    def admin(self, u):
        if self.command == "GET" and u.path == "/_admin/state":
            with LOCK:
                doc = {"uploads": ST["uploads"], "counters": ST["counters"],
                       "blobs": {c: {n: {k: v for k, v in b.items() if k not in ("data", "pending")}
                                     for n, b in bl.items()}
                                 for c, bl in ST["containers"].items()}}
            return self.ok(200, {"Content-Type": "application/json"}, json.dumps(doc).encode())
        if self.command == "POST" and u.path == "/_admin/gate":
            self.body()
            with LOCK:
                ST["gate"] = int(dict(urllib.parse.parse_qsl(u.query)).get("n", "-1"))
                GATE.notify_all()
            return self.ok(200)
        if self.command == "GET" and u.path == "/_admin/answered":
            with LOCK:
                data = b"".join(ST["answered"])
            return self.ok(200, {}, data)
        if self.command == "POST" and u.path == "/_admin/fail":
            q = dict(urllib.parse.parse_qsl(u.query))
            FAIL["n"] = int(q.get("n", "1"))
            FAIL["status"] = int(q.get("status", "503"))
            FAIL["op"] = q.get("op")
            self.body()
            return self.ok(200)
        return self.err(404, "ResourceNotFound")

    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        if u.path.startswith("/_admin/"):
            return self.admin(u)
        data = self.body() if self.command in ("PUT", "POST") else b""
        hdrs = {k: v for k, v in self.headers.items()}
        if self.server.log is not None:
            with LOCK:
                self.server.log.write(json.dumps({"method": self.command,
                    "url": "http://%s%s" % (self.headers.get("Host"), self.path),
                    "headers": {k.lower(): v for k, v in hdrs.items()}}) + "\n")
                self.server.log.flush()
        with LOCK:
            ST["counters"]["requests"] += 1
        if "x-ms-version" not in {k.lower() for k in hdrs} or "x-ms-date" not in {k.lower() for k in hdrs}:
            return self.err(400, "MissingRequiredHeader")
        auth = self.headers.get("Authorization", "")
        want = "SharedKey %s:%s" % (self.server.account, base64.b64encode(hmac.new(
            self.server.key, string_to_sign(self.command, self.headers, self.server.account,
                                            u.path, u.query).encode(), hashlib.sha256).digest()).decode())
        if not hmac.compare_digest(auth, want):
            with LOCK:
                ST["counters"]["auth_failures"] += 1
            return self.err(403, "AuthenticationFailed",
                            "Server failed to authenticate the request.")
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        parts = u.path.lstrip("/").split("/", 1)
        cont = parts[0]
        name = urllib.parse.unquote(parts[1]) if len(parts) > 1 else None
        with LOCK:
            if cont not in ST["containers"]:
                return self.err(404, "ContainerNotFound", "The specified container does not exist.")
            blobs = ST["containers"][cont]
            if name is None:
                return self.container(q, blobs)
            return self.blob(q, blobs, name, data, cont)

    def container(self, q, blobs):
        if self.command == "GET" and q.get("restype") == "container" and q.get("comp") == "list":
            prefix = q.get("prefix", "")
            items = "".join("<Blob><Name>%s</Name><Properties><Content-Length>%d</Content-Length>"
                            "<Content-MD5>%s</Content-MD5></Properties></Blob>" % (
                                n, len(b["data"]), b["md5"]) for n, b in sorted(blobs.items())
                            if n.startswith(prefix))
            body = ('<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>%s</Blobs>'
                    '<NextMarker /></EnumerationResults>' % items).encode()
            return self.ok(200, {"Content-Type": "application/xml"}, body)
        if self.command in ("GET", "HEAD") and q.get("restype") == "container":
            return self.ok(200, {"x-ms-immutable-storage-with-versioning-enabled": "true"})
        return self.err(400, "UnsupportedHttpVerb")

    def immutable(self, b):
        if b is None:
            return False
        return b.get("hold") or (b.get("until") is not None and b["until"] > time.time())

    def props(self, b):
        h = {"Content-Length": str(len(b["data"])), "Content-MD5": b["md5"],
             "Content-Type": b.get("type", "application/octet-stream"), "x-ms-blob-type": "BlockBlob",
             "x-ms-legal-hold": "true" if b.get("hold") else "false"}
        if b.get("until") is not None:
            h["x-ms-immutability-policy-until-date"] = rfc1123(b["until"])
            h["x-ms-immutability-policy-mode"] = b["mode"].lower()
        for k, v in b["meta"].items():
            h["x-ms-meta-" + k] = v
        return h

    def inject(self, op):
        if FAIL["n"] > 0 and FAIL["op"] in (None, op):
            FAIL["n"] -= 1
            ST["counters"]["injected"] += 1
            self.err(FAIL["status"], "ServerBusy" if FAIL["status"] == 503 else "InternalError",
                     "injected")
            return True
        return False

    def policy_from(self, h):
        until = h.get("x-ms-immutability-policy-until-date")
        mode = h.get("x-ms-immutability-policy-mode")
        if (until is None) != (mode is None):
            return "bad", None, None
        if until is None:
            return None, None, None
        t = email.utils.parsedate_to_datetime(until)
        if t.tzinfo is None or mode not in ("Unlocked", "Locked"):
            return "bad", None, None
        return "ok", calendar.timegm(t.utctimetuple()), mode

    def commit(self, blobs, name, data, md5, kind, cont):
        """Shared by Put Blob and Put Block List: conditions, policy."""
        h = self.headers
        old = blobs.get(name)
        if old is not None and old.get("data") is None:
            old = None      # only uncommitted blocks: no blob yet
        if old is not None and h.get("If-None-Match") == "*":
            ST["counters"]["conflicts"] += 1
            return self.err(409, "BlobAlreadyExists", "The specified blob already exists.")
        if self.immutable(old):
            ST["counters"]["immutable_refusals"] += 1
            return self.err(409, "BlobImmutableDueToPolicy",
                            "This operation is not permitted as the blob is immutable due to a policy.")
        pol, until, mode = self.policy_from(h)
        if pol == "bad":
            return self.err(400, "InvalidHeaderValue", "immutability policy headers")
        hold = h.get("x-ms-legal-hold")
        if hold not in (None, "true", "false"):
            return self.err(400, "InvalidHeaderValue", "x-ms-legal-hold")
        meta = {k[10:].lower(): v for k, v in h.items() if k.lower().startswith("x-ms-meta-")}
        blobs[name] = {"data": data, "md5": md5, "meta": meta, "until": until, "mode": mode,
                       "hold": hold == "true", "type": h.get("Content-Type") if kind == "put" else
                       h.get("x-ms-blob-content-type", "application/octet-stream"), "blocks": {}}
        ST["counters"]["uploads"] += 1
        ST["uploads"].append({"container": cont, "name": name, "kind": kind, "mode": mode, "until": until,
                              "hold": hold, "if_none_match": h.get("If-None-Match"),
                              "md5": md5, "bytes": len(data)})
        return self.ok(201, {"Content-MD5": md5} if kind == "put" else {})

    def blob(self, q, blobs, name, data, cont):
        comp = q.get("comp")
        b = blobs.get(name)
        m = self.command
        if m in ("HEAD", "GET") and comp is None:
            if b is None or b.get("data") is None:
                return self.err(404, "BlobNotFound", "The specified blob does not exist.")
            return self.ok(200, self.props(b), b["data"])
        if m == "GET" and comp == "blocklist":
            pend = (b or {}).get("pending") or {}
            if b is None:
                return self.err(404, "BlobNotFound")
            items = "".join("<Block><Name>%s</Name><Size>%d</Size></Block>" % (i, len(d))
                            for i, d in pend.items())
            body = ('<?xml version="1.0" encoding="utf-8"?><BlockList><CommittedBlocks />'
                    '<UncommittedBlocks>%s</UncommittedBlocks></BlockList>' % items).encode()
            return self.ok(200, {"Content-Type": "application/xml"}, body)
        if m == "PUT" and comp is None:
            if self.headers.get("x-ms-blob-type") != "BlockBlob":
                return self.err(400, "MissingRequiredHeader", "x-ms-blob-type")
            md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
            if self.headers.get("Content-MD5") not in (None, md5):
                ST["counters"]["md5_mismatches"] += 1
                return self.err(400, "Md5Mismatch")
            if self.inject("put"):
                return
            return self.commit(blobs, name, data, md5, "put", cont)
        if m == "PUT" and comp == "block":
            md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
            if self.headers.get("Content-MD5") not in (None, md5):
                ST["counters"]["md5_mismatches"] += 1
                return self.err(400, "Md5Mismatch")
            entry = blobs.setdefault(name, {"data": None, "md5": "", "meta": {}, "until": None,
                                            "mode": None, "hold": False})
            entry.setdefault("pending", {})[q["blockid"]] = data
            ST["counters"]["blocks"] += 1
            ST["counters"]["blocks_waiting"] += 1
            while 0 <= ST["gate"] <= ST["counters"]["blocks_answered"]:
                GATE.wait()
            ST["counters"]["blocks_waiting"] -= 1
            ST["counters"]["blocks_answered"] += 1
            ST["answered"].append(data)
            return self.ok(201, {"Content-MD5": md5})
        if m == "PUT" and comp == "blocklist":
            ids = re.findall(r"<(?:Latest|Uncommitted)>([^<]*)</", data.decode())
            pend = (b or {}).get("pending") or {}
            if any(i not in pend for i in ids):
                return self.err(400, "InvalidBlockList")
            if self.inject("blocklist"):
                return
            whole = b"".join(pend[i] for i in ids)
            md5 = self.headers.get("x-ms-blob-content-md5") or ""
            return self.commit(blobs, name, whole, md5, "blocks", cont)
        if m == "PUT" and comp == "immutabilityPolicies":
            if b is None or b.get("data") is None:
                return self.err(404, "BlobNotFound")
            pol, until, mode = self.policy_from(self.headers)
            if pol != "ok":
                return self.err(400, "InvalidHeaderValue")
            if b.get("mode") == "Locked" and (mode != "Locked" or until < b["until"]):
                return self.err(409, "ImmutabilityPolicyLocked")
            b["until"], b["mode"] = until, mode
            return self.ok(200)
        if m == "PUT" and comp == "legalhold":
            if b is None or b.get("data") is None:
                return self.err(404, "BlobNotFound")
            b["hold"] = self.headers.get("x-ms-legal-hold") == "true"
            return self.ok(200, {"x-ms-legal-hold": "true" if b["hold"] else "false"})
        if m == "DELETE" and comp is None:
            if b is None or b.get("data") is None:
                return self.err(404, "BlobNotFound")
            if self.immutable(b):
                ST["counters"]["immutable_refusals"] += 1
                return self.err(409, "BlobImmutableDueToPolicy",
                                "This operation is not permitted as the blob is immutable due to a policy.")
            del blobs[name]
            return self.ok(202)
        return self.err(400, "UnsupportedHttpVerb")

    do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = handle_any


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--account", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--container", action="append", default=[])
    ap.add_argument("--log")
    a = ap.parse_args()
    for c in a.container:
        ST["containers"][c] = {}
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
    srv.account = a.account
    srv.key = base64.b64decode(a.key)
    srv.log = open(a.log, "a") if a.log else None
    srv.serve_forever()


if __name__ == "__main__":
    main()
