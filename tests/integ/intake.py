#!/usr/bin/env python3
"""A test log intake that speaks the Datadog logs API v2 (python3 stdlib).

POST /api/v2/logs   JSON array (or one object; NDJSON when the Content-Type
                    is application/x-ndjson), optionally gzip
                    (Content-Encoding: gzip), key in DD-API-KEY.
GET  /api/v1/validate  {"valid":true} with a good key, 403 otherwise.
GET  /ready         200, no key: the test's readiness check.

Answers as the Datadog documentation describes: 202 "{}" on success, 400 on
a body that is not JSON, 401 without a key, 403 with a wrong key, 413 when
the uncompressed payload is over 5 MB (5,000,000 bytes) or holds more than
1000 entries; a single entry over 1 MB is accepted and truncated (recorded
with "intake_truncated": true).

Every accepted event is appended to --record as one JSON line; every request
(accepted or not) to --record.requests as one JSON line: status, number of
events, sizes, the client port (one per TCP connection, to see keep-alive).

Scripted failures, consumed one request at a time, from --script JSON or
from --control FILE (re-read when it changes; replaces the script):
  {"status": 503, "count": 3, "retry_after": "1", "body": "..."}
  {"action": "reset"}        read half the body, then close with RST
  {"action": "stall", "seconds": 30}   read the request, never answer
  {"action": "close"}        close without an answer (no RST)
  {"action": "delay", "seconds": 3}    answer normally, but late
  {"action": "hold", "match": "..."}  read the request, log it with status
                             "held", then wait (at most 60 s) for the file
                             CONTROL.release: "answer" in it answers (and
                             records) the request, anything else closes
                             the connection without an answer or record
                             (logged with status "dropped")
  {"action": "pass", "count": 4}       answer normally (to script "the 5th")
  {"status": 400, "match": "poison"}  only for payloads containing "poison"
A step with "match" applies to matching requests only and is not consumed
by others; "count" (default 1) is how many requests it answers; -1 forever.
"""
import argparse
import gzip
import io
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_PAYLOAD = 5_000_000
MAX_ENTRIES = 1000
MAX_ENTRY = 1_000_000


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.script = json.loads(args.script) if args.script else []
        self.control_mtime = None
        self.nreq = 0
        self.rec = open(args.record, "a", encoding="utf-8")
        self.reqlog = open(args.record + ".requests", "a", encoding="utf-8")

    def reload(self):
        c = self.args.control
        if not c:
            return
        try:
            m = os.stat(c).st_mtime_ns
        except FileNotFoundError:
            return
        if m != self.control_mtime:
            self.control_mtime = m
            with open(c, encoding="utf-8") as f:
                txt = f.read().strip()
            self.script = json.loads(txt) if txt else []

    def take(self, body, conditional):
        """Consume the next scripted step: unconditional ones (no "match")
        in order, or the first conditional one whose text is in body."""
        with self.lock:
            self.reload()
            for i, st in enumerate(self.script):
                m = st.get("match")
                if conditional != (m is not None):
                    continue
                if m is not None and (body is None or m.encode() not in body):
                    continue
                n = st.get("count", 1)
                if n != -1:
                    if n <= 1:
                        del self.script[i]
                    else:
                        st["count"] = n - 1
                return st
            return None

    def log_request(self, d):
        with self.lock:
            self.nreq += 1
            d["n"] = self.nreq
            self.reqlog.write(json.dumps(d) + "\n")
            self.reqlog.flush()

    def record(self, events):
        with self.lock:
            for ev in events:
                self.rec.write(json.dumps(ev, ensure_ascii=False, separators=(",", ":")) + "\n")
            self.rec.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "intake/1"

    def log_message(self, fmt, *a):
        if self.server.state.args.verbose:
            sys.stderr.write("intake: " + fmt % a + "\n")

    def answer(self, status, obj=None, headers=None, raw=None):
        body = raw if raw is not None else json.dumps(obj if obj is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def key_status(self):
        k = self.headers.get("DD-API-KEY")
        if not k:
            return 401
        if k != self.server.state.args.api_key:
            return 403
        return 0

    def do_GET(self):
        st = self.server.state
        if self.path == "/ready":
            return self.answer(200, {"ready": True})
        if self.path == "/api/v1/validate":
            ks = self.key_status()
            st.log_request({"path": self.path, "status": ks or 200, "conn": self.client_address[1]})
            if ks:
                return self.answer(403, {"errors": ["Forbidden"]})
            return self.answer(200, {"valid": True})
        self.answer(404, {"errors": ["Not found"]})

    def rst(self):
        # SO_LINGER {on, 0}: close() sends RST, as a crashing peer would.
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        try:
            sock = self.connection
            if isinstance(sock, ssl.SSLSocket):
                sock = socket.socket(fileno=sock.detach())
            sock.close()
        except OSError:
            pass
        self.close_connection = True

    def do_POST(self):
        st = self.server.state
        conn = self.client_address[1]
        clen = int(self.headers.get("Content-Length") or 0)
        info = {"path": self.path, "conn": conn, "wire": clen,
                "gzip": self.headers.get("Content-Encoding") == "gzip",
                "expect": self.headers.get("Expect"),
                "ctype": self.headers.get("Content-Type"),
                "x_test": self.headers.get("X-Test"),
                "ua": self.headers.get("User-Agent")}
        step = st.take(None, False)
        if step is not None and step.get("action") == "reset":
            # Mid-body: take half of what the client sends, then RST.
            self.rfile.read(clen // 2)
            info.update(status="reset")
            st.log_request(info)
            return self.rst()
        raw = self.rfile.read(clen) if clen else b""
        if step is None:
            try:
                plain = gzip.decompress(raw) if info["gzip"] else raw
            except Exception:
                plain = raw
            step = st.take(plain, True)
        if step is not None:
            act = step.get("action")
            if act == "stall":
                info.update(status="stall")
                st.log_request(info)
                time.sleep(step.get("seconds", 30))
                self.close_connection = True
                return
            if act == "pass":
                step = None     # answer this one normally
            elif act == "hold":
                info.update(status="held")
                st.log_request(dict(info))
                rel = (st.args.control or st.args.record) + ".release"
                for _ in range(1200):
                    if os.path.exists(rel):
                        break
                    time.sleep(0.05)
                with open(rel, encoding="utf-8") as f:
                    verdict = f.read().strip()
                info.update(released=verdict)
                if verdict != "answer":
                    info.update(status="dropped")
                    st.log_request(info)
                    self.close_connection = True
                    return
                step = None
            elif act == "delay":
                # Answer normally, late: the client may be gone by then.
                time.sleep(step.get("seconds", 3))
                step = None
            elif act == "close":
                info.update(status="close")
                st.log_request(info)
                self.close_connection = True
                return
        if step is not None:
            hdr = {}
            if "retry_after" in step:
                hdr["Retry-After"] = step["retry_after"]
            info.update(status=step["status"], scripted=True)
            st.log_request(info)
            return self.answer(step["status"], raw=step.get("body", '{"errors":["scripted"]}').encode(),
                               headers=hdr)
        if self.path != "/api/v2/logs":
            info.update(status=404)
            st.log_request(info)
            return self.answer(404, {"errors": ["Not found"]})
        ks = self.key_status()
        if ks:
            info.update(status=ks)
            st.log_request(info)
            return self.answer(ks, {"errors": ["Unauthorized" if ks == 401 else "Forbidden"]})
        if info["gzip"]:
            try:
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                body = d.decompress(raw, MAX_PAYLOAD + 1)
                if len(body) > MAX_PAYLOAD or not d.eof:
                    if len(body) > MAX_PAYLOAD:
                        info.update(status=413, bytes=len(body))
                        st.log_request(info)
                        return self.answer(413, {"errors": ["Request too large"]})
                    raise ValueError("truncated gzip")
            except Exception:
                info.update(status=400, why="gzip")
                st.log_request(info)
                return self.answer(400, {"errors": ["Bad Request: invalid gzip"]})
        else:
            body = raw
        info["bytes"] = len(body)
        if len(body) > MAX_PAYLOAD:
            info.update(status=413)
            st.log_request(info)
            return self.answer(413, {"errors": ["Request too large"]})
        try:
            text = body.decode("utf-8")
            if (info["ctype"] or "").startswith("application/x-ndjson"):
                if text and not text.endswith("\n"):
                    raise ValueError("ndjson without a final newline")
                events = [json.loads(ln) for ln in text.split("\n")[:-1]]
            else:
                doc = json.loads(text)
                events = doc if isinstance(doc, list) else [doc]
        except Exception as e:
            info.update(status=400, why="json: %s" % e)
            st.log_request(info)
            return self.answer(400, {"errors": ["Bad Request"]})
        if len(events) > MAX_ENTRIES:
            info.update(status=413, events=len(events))
            st.log_request(info)
            return self.answer(413, {"errors": ["Too many entries"]})
        if not all(isinstance(ev, dict) for ev in events):
            info.update(status=400, why="not objects")
            st.log_request(info)
            return self.answer(400, {"errors": ["Bad Request"]})
        for ev in events:
            size = len(json.dumps(ev, separators=(",", ":")).encode())
            if size > MAX_ENTRY:
                ev["intake_truncated"] = True
        st.record(events)
        info.update(status=202, events=len(events))
        st.log_request(info)
        self.answer(202, {})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--api-key", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--control")
    ap.add_argument("--script")
    ap.add_argument("--pidfile")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.state = State(a)
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        ctx.set_alpn_protocols(["http/1.1"])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    if a.pidfile:
        with open(a.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    srv.serve_forever()


if __name__ == "__main__":
    main()
