#!/usr/bin/env python3
"""A strict OTLP/HTTP logs receiver for the tests (python3 stdlib only).

POST /v1/logs   ExportLogsServiceRequest as OTLP/JSON (Content-Type
                application/json) or binary protobuf (application/x-protobuf),
                optionally gzip (Content-Encoding: gzip).
GET  /ready     200: the test's readiness check.

The request is decoded strictly, stricter than a collector (which ignores
unknown fields): OTLP/JSON keys must be the lowerCamelCase names of
opentelemetry-proto's fields, 64-bit integers (timeUnixNano, intValue)
decimal strings, enums numbers, an AnyValue exactly one of its kinds; a
protobuf body must use the declared field numbers and wire types, shortest
varints, valid UTF-8 in strings, and nothing after the last field.  Any
violation is answered 400 with the reason and recorded as "violation".

Every accepted log record is appended to --record as one JSON line:
  {"host","user","service","res","scope","file","offset","body","body_kind",
   "time","observed","sev","sevtext","event","attrs"}
(body: the string, or the decoded kvlist as a JSON value for body = json;
res: the resource's attributes; file: the resource's auditship.file and
offset the record's auditship.offset, the SPEC 3.2 identity with the
resource's auditship.host and auditship.user).
Every request to --record.requests: status, records, content type, gzip,
the headers named by --log-header, and with --keep-first the first
request's headers and raw body in --record.first (for SigV4 checks).

Answers, from --script JSON (a list consumed one request at a time;
"count" repeats a step, default 1), else 200 {}:
  {"status": 503, "retry_after": "1"}      an error (429, 400, 401, ...)
  {"partial": 2, "message": "too old"}     200 with partialSuccess: the
                                           first 2 records are rejected
                                           (not recorded)
"""
import argparse
import gzip
import json
import math
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Bad(Exception):
    pass


# ---- OTLP/JSON ----

def want_keys(obj, allowed, where):
    if not isinstance(obj, dict):
        raise Bad("%s: not an object" % where)
    for k in obj:
        if k not in allowed:
            raise Bad("%s: unknown key %r" % (where, k))


def j_u64(v, where):
    if not isinstance(v, str) or not v.isdigit() or int(v) >= 1 << 64:
        raise Bad("%s: want a decimal string, got %r" % (where, v))
    return int(v)


def j_str(v, where):
    if not isinstance(v, str):
        raise Bad("%s: want a string" % where)
    return v


def j_any(v, where):
    want_keys(v, {"stringValue", "boolValue", "intValue", "doubleValue",
                  "arrayValue", "kvlistValue", "bytesValue"}, where)
    if len(v) > 1:
        raise Bad("%s: AnyValue with %d kinds" % (where, len(v)))
    if not v:
        return ("empty", None)
    (k, x), = v.items()
    if k == "stringValue":
        return ("string", j_str(x, where))
    if k == "boolValue":
        if not isinstance(x, bool):
            raise Bad("%s: boolValue not a bool" % where)
        return ("bool", x)
    if k == "intValue":
        if not isinstance(x, str) or not (x.lstrip("-").isdigit()) or x.startswith("+"):
            raise Bad("%s: intValue not a decimal string: %r" % (where, x))
        n = int(x)
        if not -(1 << 63) <= n < (1 << 63):
            raise Bad("%s: intValue out of int64" % where)
        return ("int", n)
    if k == "doubleValue":
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise Bad("%s: doubleValue not a number" % where)
        return ("double", float(x))
    if k == "arrayValue":
        want_keys(x, {"values"}, where + ".arrayValue")
        return ("array", [j_any(e, where + "[]") for e in x.get("values", [])])
    if k == "kvlistValue":
        want_keys(x, {"values"}, where + ".kvlistValue")
        return ("kvlist", [j_kv(e, where + ".kv") for e in x.get("values", [])])
    raise Bad("%s: bytesValue not expected" % where)


def j_kv(v, where):
    want_keys(v, {"key", "value"}, where)
    return (j_str(v.get("key"), where + ".key"), j_any(v.get("value", {}), where + "." + str(v.get("key"))))


def decode_json(raw):
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise Bad("not JSON: %s" % e)
    want_keys(doc, {"resourceLogs"}, "request")
    out = []
    for rl in doc.get("resourceLogs", []):
        want_keys(rl, {"resource", "scopeLogs", "schemaUrl"}, "resourceLogs[]")
        res = rl.get("resource", {})
        want_keys(res, {"attributes", "droppedAttributesCount"}, "resource")
        rattrs = [j_kv(a, "resource.attributes[]") for a in res.get("attributes", [])]
        for sl in rl.get("scopeLogs", []):
            want_keys(sl, {"scope", "logRecords", "schemaUrl"}, "scopeLogs[]")
            sc = sl.get("scope", {})
            want_keys(sc, {"name", "version", "attributes", "droppedAttributesCount"}, "scope")
            scope = (sc.get("name", ""), sc.get("version", ""))
            for lr in sl.get("logRecords", []):
                want_keys(lr, {"timeUnixNano", "observedTimeUnixNano", "severityNumber",
                               "severityText", "body", "attributes", "droppedAttributesCount",
                               "flags", "traceId", "spanId", "eventName"}, "logRecord")
                sev = lr.get("severityNumber", 0)
                if isinstance(sev, bool) or not isinstance(sev, int) or not 0 <= sev <= 24:
                    raise Bad("severityNumber: want an integer 0..24, got %r" % (sev,))
                rec = {
                    "time": j_u64(lr["timeUnixNano"], "timeUnixNano") if "timeUnixNano" in lr else 0,
                    "observed": j_u64(lr["observedTimeUnixNano"], "observedTimeUnixNano")
                    if "observedTimeUnixNano" in lr else 0,
                    "sev": sev,
                    "sevtext": j_str(lr.get("severityText", ""), "severityText"),
                    "event": j_str(lr.get("eventName", ""), "eventName"),
                    "body": j_any(lr.get("body", {}), "body"),
                    "attrs": [j_kv(a, "attributes[]") for a in lr.get("attributes", [])],
                }
                out.append((rattrs, scope, rec))
    return out


# ---- protobuf ----

class PB:
    def __init__(self, b, where):
        self.b, self.i, self.where = b, 0, where

    def varint(self):
        v = shift = 0
        start = self.i
        while True:
            if self.i >= len(self.b):
                raise Bad("%s: truncated varint" % self.where)
            c = self.b[self.i]
            self.i += 1
            v |= (c & 0x7f) << shift
            shift += 7
            if not c & 0x80:
                break
            if shift >= 70:
                raise Bad("%s: varint too long" % self.where)
        if self.i - start > 1 and self.b[self.i - 1] == 0:
            raise Bad("%s: varint not in its shortest form" % self.where)
        return v

    def fields(self):
        while self.i < len(self.b):
            tag = self.varint()
            f, w = tag >> 3, tag & 7
            if f == 0:
                raise Bad("%s: field number 0" % self.where)
            if w == 0:
                yield f, w, self.varint()
            elif w == 1:
                if self.i + 8 > len(self.b):
                    raise Bad("%s: truncated fixed64" % self.where)
                yield f, w, self.b[self.i:self.i + 8]
                self.i += 8
            elif w == 2:
                n = self.varint()
                if self.i + n > len(self.b):
                    raise Bad("%s: length %d past the end" % (self.where, n))
                yield f, w, self.b[self.i:self.i + n]
                self.i += n
            elif w == 5:
                if self.i + 4 > len(self.b):
                    raise Bad("%s: truncated fixed32" % self.where)
                yield f, w, self.b[self.i:self.i + 4]
                self.i += 4
            else:
                raise Bad("%s: wire type %d" % (self.where, w))


def pb_msg(b, where, spec):
    """spec: {field: (name, wire)}; returns {name: [values]}."""
    out = {}
    for f, w, v in PB(b, where).fields():
        if f not in spec:
            raise Bad("%s: unknown field %d" % (where, f))
        name, wire = spec[f]
        if w != wire:
            raise Bad("%s: field %d (%s) with wire type %d, want %d" % (where, f, name, w, wire))
        out.setdefault(name, []).append(v)
    return out


def pb_str(v, where):
    try:
        return bytes(v).decode("utf-8")
    except UnicodeDecodeError:
        raise Bad("%s: string is not UTF-8" % where)


def one(m, name, where, default=None):
    v = m.get(name)
    if v is None:
        return default
    if len(v) != 1:
        raise Bad("%s: %s repeated" % (where, name))
    return v[0]


def p_any(b, where):
    m = pb_msg(b, where, {1: ("s", 2), 2: ("b", 0), 3: ("i", 0), 4: ("d", 1),
                          5: ("a", 2), 6: ("kv", 2), 7: ("bytes", 2)})
    if sum(len(v) for v in m.values()) > 1:
        raise Bad("%s: AnyValue with more than one kind" % where)
    if not m:
        return ("empty", None)
    (k, (v,)), = m.items()
    if k == "s":
        return ("string", pb_str(v, where))
    if k == "b":
        if v > 1:
            raise Bad("%s: bool %d" % (where, v))
        return ("bool", bool(v))
    if k == "i":
        return ("int", v - (1 << 64) if v >= 1 << 63 else v)
    if k == "d":
        return ("double", struct.unpack("<d", v)[0])
    if k == "a":
        am = pb_msg(v, where + ".arrayValue", {1: ("values", 2)})
        return ("array", [p_any(x, where + "[]") for x in am.get("values", [])])
    if k == "kv":
        km = pb_msg(v, where + ".kvlistValue", {1: ("values", 2)})
        return ("kvlist", [p_kv(x, where + ".kv") for x in km.get("values", [])])
    raise Bad("%s: bytesValue not expected" % where)


def p_kv(b, where):
    m = pb_msg(b, where, {1: ("key", 2), 2: ("value", 2)})
    return (pb_str(one(m, "key", where, b""), where), p_any(one(m, "value", where, b""), where))


def decode_pb(raw):
    out = []
    req = pb_msg(raw, "request", {1: ("rl", 2)})
    for rl in req.get("rl", []):
        m = pb_msg(rl, "resourceLogs", {1: ("resource", 2), 2: ("sl", 2), 3: ("schema", 2)})
        res = pb_msg(one(m, "resource", "resourceLogs", b""), "resource",
                     {1: ("attrs", 2), 2: ("dropped", 0)})
        rattrs = [p_kv(a, "resource.attributes[]") for a in res.get("attrs", [])]
        for sl in m.get("sl", []):
            sm = pb_msg(sl, "scopeLogs", {1: ("scope", 2), 2: ("lr", 2), 3: ("schema", 2)})
            sc = pb_msg(one(sm, "scope", "scopeLogs", b""), "scope",
                        {1: ("name", 2), 2: ("version", 2), 3: ("attrs", 2), 4: ("dropped", 0)})
            scope = (pb_str(one(sc, "name", "scope", b""), "scope.name"),
                     pb_str(one(sc, "version", "scope", b""), "scope.version"))
            for lr in sm.get("lr", []):
                r = pb_msg(lr, "logRecord", {1: ("time", 1), 2: ("sev", 0), 3: ("sevtext", 2),
                                             5: ("body", 2), 6: ("attrs", 2), 7: ("dropped", 0),
                                             8: ("flags", 5), 9: ("trace", 2), 10: ("span", 2),
                                             11: ("observed", 1), 12: ("event", 2)})
                sev = one(r, "sev", "logRecord", 0)
                if sev > 24:
                    raise Bad("severity_number %d" % sev)
                rec = {
                    "time": struct.unpack("<Q", one(r, "time", "logRecord", b"\0" * 8))[0],
                    "observed": struct.unpack("<Q", one(r, "observed", "logRecord", b"\0" * 8))[0],
                    "sev": sev,
                    "sevtext": pb_str(one(r, "sevtext", "logRecord", b""), "severity_text"),
                    "event": pb_str(one(r, "event", "logRecord", b""), "event_name"),
                    "body": p_any(one(r, "body", "logRecord", b""), "body"),
                    "attrs": [p_kv(a, "attributes[]") for a in r.get("attrs", [])],
                }
                out.append((rattrs, scope, rec))
    return out


# ---- records ----

def plain(v):
    """An AnyValue as a JSON value (kvlist -> object, in order)."""
    kind, x = v
    if kind == "array":
        return [plain(e) for e in x]
    if kind == "kvlist":
        return {k: plain(e) for k, e in x}
    if kind == "double" and (math.isinf(x) or math.isnan(x)):
        return str(x)
    return x


def flatten(rattrs, scope, rec):
    ra = {k: plain(v) for k, v in rattrs}
    attrs = {}
    for k, v in rec["attrs"]:
        if k in attrs:
            raise Bad("attribute %s twice" % k)
        attrs[k] = plain(v)
    body_kind = rec["body"][0]
    return {
        "host": ra.get("host.name"), "user": ra.get("user.name"),
        "service": ra.get("service.name"), "scope": list(scope),
        "res": ra,
        "file": ra.get("auditship.file"), "offset": attrs.get("auditship.offset"),
        "body": plain(rec["body"]), "body_kind": body_kind,
        "time": rec["time"], "observed": rec["observed"], "sev": rec["sev"],
        "sevtext": rec["sevtext"], "event": rec["event"], "attrs": attrs,
    }


class State:
    def __init__(self, a):
        self.a = a
        self.lock = threading.Lock()
        self.script = json.loads(a.script) if a.script else []
        self.rec = open(a.record, "a", encoding="utf-8")
        self.reqlog = open(a.record + ".requests", "a", encoding="utf-8")
        self.first = a.keep_first

    def take(self):
        with self.lock:
            if not self.script:
                return None
            st = self.script[0]
            n = st.get("count", 1)
            if n <= 1:
                self.script.pop(0)
            else:
                st["count"] = n - 1
            return st


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "otlp-receiver/1"

    def log_message(self, fmt, *a):
        pass

    def answer(self, status, body, ctype="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/ready":
            return self.answer(200, b"{}")
        self.answer(404, b"{}")

    def do_POST(self):
        st = self.server.state
        clen = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(clen) if clen else b""
        ctype = self.headers.get("Content-Type", "")
        info = {"path": self.path, "ctype": ctype,
                "gzip": self.headers.get("Content-Encoding") == "gzip", "wire": len(raw),
                "headers": {h: self.headers.get(h) for h in st.a.log_header}}
        with st.lock:
            if st.first:
                st.first = False
                with open(st.a.record + ".first", "w", encoding="utf-8") as f:
                    json.dump({"method": "POST", "path": self.path,
                               "headers": [[k, v] for k, v in self.headers.items()],
                               "body_hex": raw.hex()}, f)
        pb = ctype == "application/x-protobuf"
        try:
            if self.path != "/v1/logs":
                raise Bad("path %s, want /v1/logs" % self.path)
            if ctype not in ("application/json", "application/x-protobuf"):
                raise Bad("Content-Type %r" % ctype)
            body = gzip.decompress(raw) if info["gzip"] else raw
            recs = decode_pb(body) if pb else decode_json(body)
            flat = [flatten(*r) for r in recs]
        except Exception as e:
            info.update(status=400, violation=str(e))
            self.log_req(info)
            msg = str(e)
            if pb:
                m = msg.encode()
                return self.answer(400, bytes([0x12, len(m[:100])]) + m[:100], "application/x-protobuf")
            return self.answer(400, json.dumps({"code": 3, "message": msg}).encode())
        info["records"] = len(flat)
        step = st.take()
        if step is not None and step.get("status", 200) != 200:
            info["status"] = step["status"]
            self.log_req(info)
            hdr = {"Retry-After": step["retry_after"]} if "retry_after" in step else None
            msg = step.get("body", "scripted %d" % step["status"])
            return self.answer(step["status"], json.dumps({"code": 14, "message": msg}).encode(),
                               headers=hdr)
        rejected = step.get("partial", 0) if step else 0
        with st.lock:
            for r in flat[rejected:]:
                st.rec.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
            st.rec.flush()
        info.update(status=200, rejected=rejected)
        self.log_req(info)
        if rejected:
            msg = step.get("message", "rejected")
            if pb:
                m = msg.encode()
                inner = bytes([0x08]) + varint(rejected) + bytes([0x12]) + varint(len(m)) + m
                return self.answer(200, bytes([0x0a]) + varint(len(inner)) + inner,
                                   "application/x-protobuf")
            return self.answer(200, json.dumps({"partialSuccess": {
                "rejectedLogRecords": str(rejected), "errorMessage": msg}}).encode())
        if pb:
            return self.answer(200, b"", "application/x-protobuf")
        self.answer(200, b"{}")

    def log_req(self, info):
        st = self.server.state
        with st.lock:
            st.reqlog.write(json.dumps(info) + "\n")
            st.reqlog.flush()


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--script", default="")
    ap.add_argument("--log-header", action="append", default=[])
    ap.add_argument("--keep-first", action="store_true")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.state = State(a)
    srv.serve_forever()


if __name__ == "__main__":
    main()
