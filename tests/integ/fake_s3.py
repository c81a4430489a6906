#!/usr/bin/env python3
"""A small S3 (path-style) plus EC2 IMDSv2 and ECS credential endpoints, on
127.0.0.1, for what Ceph RGW does not enforce or cannot do on demand.

usage: fake_s3.py --port P --access-key AK --secret-key SK [--bucket B]...
                  [--lock-bucket B]... [--ecs-token TOKEN] [--sink]

Speaks the real wire protocol: SigV4 is verified (SignatureDoesNotMatch,
InvalidAccessKeyId, x-amz-security-token of temporary credentials), errors
are S3 XML documents, ETags are MD5s (md5-of-md5s-N for multipart).  Unlike
RGW it enforces what AWS does and the tests rely on:
  - every PutObject and UploadPart carries Content-MD5 or
    x-amz-checksum-sha256 (checked against the body; BadDigest), and lock
    headers without one are refused (InvalidRequest) -- violations counted;
  - x-amz-content-sha256 matches the body (XAmzContentSHA256Mismatch);
  - If-None-Match: * on an existing key answers 412 PreconditionFailed
    (PutObject and CompleteMultipartUpload);
  - lock headers on CreateMultipartUpload are applied, like AWS.
Credentials:
  PUT /latest/api/token, GET /latest/meta-data/iam/security-credentials/[ROLE]
  (IMDSv2: the token is required) and GET /ecs/creds (Authorization must be
  --ecs-token) issue temporary keys that S3 then accepts.
Test controls (POST JSON to /_admin/config): slowdown (the next N S3
requests answer 503 SlowDown with Retry-After: 1), slow_bps (read bodies at
this rate), head_404 (HEAD of an object answers 404 N times), expire_after
(temporary keys answer ExpiredToken after N requests), creds_ttl (seconds),
hold (1: every S3 PUT/POST is held after its body is read, counted in
counters.held, and never answered nor stored; 0 releases the held ones,
which then drop their connection: a deterministic "slow phase" a test can
kill a client in, instead of a timing bet), hold_after_parts (N > 0: hold
likewise once N parts are stored), parts_gate (N >= 0: an UploadPart is
stored, then its answer waits until fewer than N parts were answered --
raise N to release parts one by one; counters.parts_waiting /
parts_answered; -1, the default: no gate).
GET /_admin/answered: the bytes of the latest upload's parts 1..k that were
answered, in order (what the client was told is stored).
PUT /_admin/put?bucket=B&key=K[&checksum=1] stores the body (an overwrite by
someone else; with checksum=1 as if put with its x-amz-checksum-sha256).
POST /_admin/checksum?bucket=B&key=K with a body: the object's stored
x-amz-checksum-sha256 becomes that value (empty: none), as a tampering step.
Checksums are stored as AWS does: a PutObject with x-amz-checksum-sha256
keeps it (full object); a multipart upload created with
x-amz-checksum-algorithm SHA256 keeps the composite (base64 of the SHA-256
of the parts' digests, "-N"); HEAD and GET return it as
x-amz-checksum-sha256 (+ x-amz-checksum-type) only with
x-amz-checksum-mode: ENABLED.  ListObjectsV2 (list-type=2: prefix,
delimiter, max-keys, continuation-token) lists a bucket.  Every GetObject
is counted per key (state "gets"), every HEAD likewise ("heads").
POST /_admin/hold?bucket=B&key=K with ON or OFF: the object's legal hold.
GET /_admin/state: JSON of objects, versions, open uploads, counters.
GET /_admin/object?key=K: the object's bytes.  --sink keeps only digests
(for benchmarks: memory stays flat).
"""
import argparse, base64, datetime, hashlib, hmac, http.server, json, socketserver
import threading, time, urllib.parse, uuid

LOCK = threading.Lock()
HOLD = threading.Condition(LOCK)
S = {
    "objects": {},       # (bucket, key) -> dict
    "versions": {},      # (bucket, key) -> count of versions written
    "uploads": {},       # upload id -> dict
    "creds": {},         # access key -> {"secret", "token", "uses"}
    "counters": {"requests": 0, "puts": 0, "parts": 0, "completes": 0,
                 "aborts": 0, "412": 0, "503": 0, "checksum_violations": 0,
                 "imds_token": 0, "imds_creds": 0, "ecs_creds": 0,
                 "expired": 0, "bad_signature": 0, "held": 0,
                 "parts_waiting": 0, "parts_answered": 0},
    "cfg": {"slowdown": 0, "slow_bps": 0, "head_404": 0, "expire_after": 0,
            "creds_ttl": 3600, "hold": 0, "hold_after_parts": 0,
            "parts_gate": -1},
    "imds_tokens": set(),
    "requests_log": [],
    "gets": {},          # "bucket/key" -> GetObject count
    "heads": {},         # "bucket/key" -> HeadObject count
    "answered": {},      # part number -> body, of the latest upload answered
}
ARGS = None


def holding():
    """With LOCK held: are writes held now (cfg hold, hold_after_parts)?"""
    c = S["cfg"]
    return bool(c["hold"]) or (c["hold_after_parts"] > 0 and
                               S["counters"]["parts"] >= c["hold_after_parts"])


def now_iso(delta=0):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def issue(prefix):
    ak = prefix + uuid.uuid4().hex[:12].upper()
    rec = {"secret": uuid.uuid4().hex + "Sec", "token": "TOK" + uuid.uuid4().hex, "uses": 0}
    with LOCK:
        S["creds"][ak] = rec
    return {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": ak,
            "SecretAccessKey": rec["secret"], "Token": rec["token"],
            "Expiration": now_iso(S["cfg"]["creds_ttl"]),
            "LastUpdated": now_iso()}


def sigv4_check(method, raw_path, query, headers, payload_hash):
    """Verify the Authorization header; return (code, message) or None."""
    auth = headers.get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return ("AccessDenied", "no SigV4 Authorization")
    parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    ak, date, region, service, term = parts["Credential"].split("/")
    signed = parts["SignedHeaders"].split(";")
    with LOCK:
        rec = S["creds"].get(ak)
    if rec is None:
        return ("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    if rec["token"] is not None and headers.get("x-amz-security-token") != rec["token"]:
        return ("InvalidToken", "The provided token is malformed or otherwise invalid.")
    for h in ("host", "x-amz-date", "x-amz-content-sha256"):
        if h not in signed:
            return ("AccessDenied", "%s not signed" % h)
    pairs = []
    for p in query.split("&") if query else []:
        if not p:
            continue
        k, _, v = p.partition("=")
        pairs.append((urllib.parse.quote(urllib.parse.unquote(k), safe="-_.~"),
                      urllib.parse.quote(urllib.parse.unquote(v), safe="-_.~")))
    cq = "&".join("%s=%s" % kv for kv in sorted(pairs))
    ch = "".join("%s:%s\n" % (h, " ".join(headers.get(h, "").split())) for h in signed)
    creq = "\n".join([method, raw_path, cq, ch, ";".join(signed), payload_hash])
    amzdate = headers.get("x-amz-date", "")
    sts = "\n".join(["AWS4-HMAC-SHA256", amzdate, "/".join([date, region, service, term]),
                     hashlib.sha256(creq.encode()).hexdigest()])
    k = ("AWS4" + rec["secret"]).encode()
    for m in (date, region, service, term):
        k = hmac.new(k, m.encode(), hashlib.sha256).digest()
    if hmac.new(k, sts.encode(), hashlib.sha256).hexdigest() != parts["Signature"]:
        S["counters"]["bad_signature"] += 1
        return ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
    try:
        t = datetime.datetime.strptime(amzdate, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        if abs((datetime.datetime.now(datetime.timezone.utc) - t).total_seconds()) > 900:
            return ("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
    except ValueError:
        return ("AccessDenied", "bad x-amz-date")
    with LOCK:
        rec["uses"] += 1
        if rec["token"] is not None and S["cfg"]["expire_after"] and rec["uses"] > S["cfg"]["expire_after"]:
            S["counters"]["expired"] += 1
            return ("ExpiredToken", "The provided token has expired.")
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    # -- plumbing
    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.command != "HEAD" or "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def error(self, status, code, message, extra=None):
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code>"
                "<Message>%s</Message><RequestId>fake</RequestId></Error>" % (code, message)).encode()
        self.reply(status, body if self.command != "HEAD" else b"",
                   dict({"Content-Type": "application/xml"}, **(extra or {})))

    def read_body(self):
        n = int(self.headers.get("Content-Length", "0"))
        bps = S["cfg"]["slow_bps"]
        chunks, got = [], 0
        while got < n:
            c = self.rfile.read(min(65536, n - got))
            if not c:
                break
            chunks.append(c)
            got += len(c)
            if bps:
                time.sleep(len(c) / bps)
        return b"".join(chunks)

    def hdrs(self):
        return {k.lower(): v for k, v in self.headers.items()}

    # -- dispatch
    def do_GET(self):
        self.route()

    def do_PUT(self):
        self.route()

    def do_POST(self):
        self.route()

    def do_HEAD(self):
        self.route()

    def do_DELETE(self):
        self.route()

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        if u.path.startswith("/_admin/"):
            return self.admin(u)
        if u.path.startswith("/latest/"):
            return self.imds(u)
        if u.path == "/ecs/creds":
            return self.ecs()
        return self.s3(u)

    def admin(self, u):
        if u.path == "/_admin/config" and self.command == "POST":
            with LOCK:
                S["cfg"].update(json.loads(self.read_body() or b"{}"))
                HOLD.notify_all()
            return self.reply(200, b"{}")
        if u.path == "/_admin/state":
            with LOCK:
                doc = {"objects": {"%s/%s" % k: {kk: vv for kk, vv in o.items() if kk != "data"}
                                   for k, o in S["objects"].items()},
                       "versions": {"%s/%s" % k: v for k, v in S["versions"].items()},
                       "open_uploads": len(S["uploads"]),
                       # secrets handed out, so tests can prove none is printed
                       "issued": [[r["secret"], r["token"]] for r in S["creds"].values() if r["token"]],
                       "imds_tokens": sorted(S["imds_tokens"]),
                       "counters": S["counters"], "cfg": S["cfg"],
                       "gets": S["gets"], "heads": S["heads"]}
            return self.reply(200, json.dumps(doc).encode(), {"Content-Type": "application/json"})
        if u.path == "/_admin/object":
            q = urllib.parse.parse_qs(u.query)
            o = S["objects"].get((q["bucket"][0], q["key"][0]))
            if o is None:
                return self.reply(404)
            return self.reply(200, o.get("data", b""))
        if u.path in ("/_admin/checksum", "/_admin/hold") and self.command == "POST":
            # an object's stored checksum, or its legal hold (ON/OFF): a
            # change the tests make behind auditship's back
            q = urllib.parse.parse_qs(u.query)
            val = self.read_body().decode()
            with LOCK:
                o = S["objects"].get((q["bucket"][0], q["key"][0]))
                if o is not None and u.path == "/_admin/checksum":
                    o["checksum"] = val or None
                elif o is not None:
                    o["lock"]["x-amz-object-lock-legal-hold"] = val
            return self.reply(200 if o is not None else 404)
        if u.path == "/_admin/answered":
            with LOCK:
                data, n = b"", 1
                while n in S["answered"]:
                    data += S["answered"][n]
                    n += 1
            return self.reply(200, data)
        if u.path == "/_admin/put" and self.command == "PUT":
            q = urllib.parse.parse_qs(u.query)
            data = self.read_body()
            self.store(q["bucket"][0], q["key"][0], data, hashlib.md5(data).hexdigest(), {},
                       checksum=base64.b64encode(hashlib.sha256(data).digest()).decode()
                       if "checksum" in q else None)
            return self.reply(200)
        self.reply(404)

    def imds(self, u):
        h = self.hdrs()
        if u.path == "/latest/api/token":
            if self.command != "PUT" or "x-aws-ec2-metadata-token-ttl-seconds" not in h:
                return self.reply(400 if self.command == "PUT" else 405)
            self.read_body()
            tok = "IMDS" + uuid.uuid4().hex
            with LOCK:
                S["imds_tokens"].add(tok)
                S["counters"]["imds_token"] += 1
            return self.reply(200, tok.encode(), {"Content-Type": "text/plain"})
        if h.get("x-aws-ec2-metadata-token") not in S["imds_tokens"]:
            return self.reply(401)
        base = "/latest/meta-data/iam/security-credentials/"
        if u.path == base:
            return self.reply(200, b"auditship-role", {"Content-Type": "text/plain"})
        if u.path == base + "auditship-role":
            with LOCK:
                S["counters"]["imds_creds"] += 1
            return self.reply(200, json.dumps(issue("ASIAIMDS")).encode(), {"Content-Type": "text/plain"})
        self.reply(404)

    def ecs(self):
        if ARGS.ecs_token is None or self.headers.get("Authorization") != ARGS.ecs_token:
            return self.reply(403)
        with LOCK:
            S["counters"]["ecs_creds"] += 1
        d = issue("ASIAECS")
        del d["Code"], d["Type"], d["LastUpdated"]
        d["RoleArn"] = "arn:aws:iam::123456789012:role/auditship"
        self.reply(200, json.dumps(d).encode(), {"Content-Type": "application/json"})

    # -- S3
    def store(self, bucket, key, data, etag, meta, lock=None, checksum=None):
        with LOCK:
            o = {"size": len(data), "etag": etag, "meta": meta, "lock": lock or {},
                 "sha256": hashlib.sha256(data).hexdigest(), "checksum": checksum}
            if not ARGS.sink:
                o["data"] = data
            S["objects"][(bucket, key)] = o
            S["versions"][(bucket, key)] = S["versions"].get((bucket, key), 0) + 1

    def s3(self, u):
        h = self.hdrs()
        with LOCK:
            S["counters"]["requests"] += 1
        body = self.read_body() if self.command in ("PUT", "POST") else b""
        if self.command in ("PUT", "POST"):
            with LOCK:
                if holding():
                    S["counters"]["held"] += 1
                    while holding():
                        HOLD.wait()
                    held = True
                else:
                    held = False
            if held:
                self.close_connection = True
                return
        with LOCK:
            if S["cfg"]["slowdown"] > 0:
                S["cfg"]["slowdown"] -= 1
                S["counters"]["503"] += 1
                burst = True
            else:
                burst = False
        if burst:
            return self.error(503, "SlowDown", "Please reduce your request rate.", {"Retry-After": "1"})
        phash = h.get("x-amz-content-sha256", "")
        bad = sigv4_check(self.command, u.path, u.query, h, phash)
        if bad:
            status = 400 if bad[0] in ("ExpiredToken",) else 403
            return self.error(status, *bad)
        if phash != "UNSIGNED-PAYLOAD" and phash != hashlib.sha256(body).hexdigest():
            return self.error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
        segs = u.path.lstrip("/").split("/", 1)
        bucket = urllib.parse.unquote(segs[0])
        key = urllib.parse.unquote(segs[1]) if len(segs) > 1 else ""
        q = urllib.parse.parse_qs(u.query, keep_blank_values=True)
        if bucket not in ARGS.bucket and bucket not in ARGS.lock_bucket:
            return self.error(404, "NoSuchBucket", "The specified bucket does not exist")
        if not key:
            if self.command == "HEAD":
                return self.reply(200)
            if "object-lock" in q:
                if bucket in ARGS.lock_bucket:
                    return self.reply(200, b"<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>")
                return self.error(404, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket")
            if self.command == "GET" and q.get("list-type") == ["2"]:
                return self.list_v2(bucket, q)
            return self.error(400, "InvalidRequest", "not implemented")
        if self.command in ("HEAD", "GET") and "uploadId" not in q:
            with LOCK:
                n = "heads" if self.command == "HEAD" else "gets"
                S[n][bucket + "/" + key] = S[n].get(bucket + "/" + key, 0) + 1
        if self.command == "HEAD":
            with LOCK:
                if S["cfg"]["head_404"] > 0:
                    S["cfg"]["head_404"] -= 1
                    return self.error(404, "NoSuchKey", "")
                o = S["objects"].get((bucket, key))
            if o is None:
                return self.error(404, "NoSuchKey", "")
            hd = {"ETag": '"%s"' % o["etag"], "Content-Length": str(o["size"])}
            hd.update({"x-amz-meta-" + k: v for k, v in o["meta"].items()})
            hd.update(o["lock"])
            hd.update(self.checksum_headers(h, o))
            return self.reply(200, b"", hd)
        if self.command == "GET" and "uploadId" in q:
            up = S["uploads"].get(q["uploadId"][0])
            if up is None:
                return self.error(404, "NoSuchUpload", "The specified upload does not exist.")
            marker = int(q.get("part-number-marker", ["0"])[0] or 0)
            nums = [n for n in sorted(up["parts"]) if n > marker]
            page, more = nums[:1000], len(nums) > 1000
            xml = "".join("<Part><PartNumber>%d</PartNumber><ETag>&quot;%s&quot;</ETag><Size>%d</Size></Part>"
                          % (n, up["parts"][n][0], up["parts"][n][2]) for n in page)
            with LOCK:
                S["counters"]["list_parts"] = S["counters"].get("list_parts", 0) + 1
            return self.reply(200, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                                    "<Bucket>%s</Bucket><Key>%s</Key><UploadId>%s</UploadId><PartNumberMarker>%d</PartNumberMarker>"
                                    "<NextPartNumberMarker>%d</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>%s</IsTruncated>%s</ListPartsResult>"
                                    % (bucket, key, q["uploadId"][0], marker, page[-1] if page else 0,
                                       "true" if more else "false", xml)).encode())
        if self.command == "GET":
            o = S["objects"].get((bucket, key))
            if o is None:
                return self.error(404, "NoSuchKey", "The specified key does not exist.")
            hd = {"ETag": '"%s"' % o["etag"]}
            hd.update(self.checksum_headers(h, o))
            return self.reply(200, o.get("data", b""), hd)
        if self.command == "PUT" and ("retention" in q or "legal-hold" in q):
            if "content-md5" not in h:
                return self.error(400, "InvalidRequest", "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters")
            with LOCK:
                S["counters"]["lock_puts"] = S["counters"].get("lock_puts", 0) + 1
                o = S["objects"].get((bucket, key))
                if o is None:
                    return self.error(404, "NoSuchKey", "")
                txt = body.decode()
                if "retention" in q:
                    o["lock"]["x-amz-object-lock-mode"] = txt.split("<Mode>")[1].split("<")[0]
                    o["lock"]["x-amz-object-lock-retain-until-date"] = txt.split("<RetainUntilDate>")[1].split("<")[0]
                else:
                    o["lock"]["x-amz-object-lock-legal-hold"] = txt.split("<Status>")[1].split("<")[0]
            return self.reply(200)
        if self.command == "PUT" and "partNumber" in q:
            up = S["uploads"].get(q["uploadId"][0])
            if up is None:
                return self.error(404, "NoSuchUpload", "The specified upload does not exist.")
            err = self.checksum(h, body, True)
            if err:
                return self.error(400, *err)
            etag = hashlib.md5(body).hexdigest()
            with LOCK:
                S["counters"]["parts"] += 1
                up["parts"][int(q["partNumber"][0])] = (etag, body if not ARGS.sink else b"", len(body),
                                                        hashlib.sha256(body).digest())
                S["counters"]["parts_waiting"] += 1
                while 0 <= S["cfg"]["parts_gate"] <= S["counters"]["parts_answered"]:
                    HOLD.wait()
                S["counters"]["parts_waiting"] -= 1
                S["counters"]["parts_answered"] += 1
                if S.get("answered_upload") != q["uploadId"][0]:
                    S["answered_upload"] = q["uploadId"][0]
                    S["answered"] = {}
                S["answered"][int(q["partNumber"][0])] = body
            return self.reply(200, b"", {"ETag": '"%s"' % etag})
        if self.command == "PUT":
            lock = {k: v for k, v in h.items() if k.startswith("x-amz-object-lock-")}
            err = self.checksum(h, body, True)
            if err:
                return self.error(400, *err)
            if lock and bucket not in ARGS.lock_bucket:
                return self.error(400, "InvalidRequest", "Bucket is missing Object Lock Configuration")
            with LOCK:
                exists = (bucket, key) in S["objects"]
            if h.get("if-none-match") == "*" and exists:
                S["counters"]["412"] += 1
                return self.error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
            etag = hashlib.md5(body).hexdigest()
            meta = {k[len("x-amz-meta-"):]: v for k, v in h.items() if k.startswith("x-amz-meta-")}
            self.store(bucket, key, body, etag, meta, lock, h.get("x-amz-checksum-sha256"))
            S["counters"]["puts"] += 1
            return self.reply(200, b"", {"ETag": '"%s"' % etag})
        if self.command == "POST" and "uploads" in q:
            uid = "up-" + uuid.uuid4().hex
            with LOCK:
                S["uploads"][uid] = {"bucket": bucket, "key": key, "parts": {},
                                     "meta": {k[len("x-amz-meta-"):]: v for k, v in h.items() if k.startswith("x-amz-meta-")},
                                     "lock": {k: v for k, v in h.items() if k.startswith("x-amz-object-lock-")},
                                     "sha256": h.get("x-amz-checksum-algorithm", "").upper() == "SHA256"}
            return self.reply(200, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>%s</Bucket><Key>%s</Key><UploadId>%s</UploadId></InitiateMultipartUploadResult>" % (bucket, key, uid)).encode())
        if self.command == "POST" and "uploadId" in q:
            uid = q["uploadId"][0]
            up = S["uploads"].get(uid)
            if up is None:
                return self.error(404, "NoSuchUpload", "The specified upload does not exist.")
            with LOCK:
                exists = (bucket, key) in S["objects"]
            if h.get("if-none-match") == "*" and exists:
                S["counters"]["412"] += 1
                return self.error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
            txt = body.decode()
            listed = [(int(p.split("<PartNumber>")[1].split("<")[0]), p.split("<ETag>")[1].split("<")[0].strip('"'))
                      for p in txt.split("<Part>")[1:]]
            if [n for n, _ in listed] != sorted(up["parts"]) or any(up["parts"][n][0] != e for n, e in listed):
                return self.error(400, "InvalidPart", "One or more of the specified parts could not be found.")
            for n, _ in listed[:-1]:
                if up["parts"][n][2] < 5 * 1024 * 1024:
                    return self.error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")
            data = b"".join(up["parts"][n][1] for n, _ in listed)
            etag = hashlib.md5(b"".join(bytes.fromhex(e) for _, e in listed)).hexdigest() + "-%d" % len(listed)
            composite = None
            if up["sha256"]:
                composite = base64.b64encode(hashlib.sha256(b"".join(
                    up["parts"][n][3] for n, _ in listed)).digest()).decode() + "-%d" % len(listed)
            self.store(bucket, key, data, etag, up["meta"], up["lock"], composite)
            with LOCK:
                del S["uploads"][uid]
                S["counters"]["completes"] += 1
            return self.reply(200, ("<CompleteMultipartUploadResult><Bucket>%s</Bucket><Key>%s</Key><ETag>\"%s\"</ETag></CompleteMultipartUploadResult>" % (bucket, key, etag)).encode())
        if self.command == "DELETE" and "uploadId" in q:
            with LOCK:
                up = S["uploads"].pop(q["uploadId"][0], None)
                S["counters"]["aborts"] += 1
            if up is None:
                return self.error(404, "NoSuchUpload", "The specified upload does not exist.")
            return self.reply(204)
        return self.error(400, "InvalidRequest", "not implemented here")

    @staticmethod
    def checksum_headers(h, o):
        if h.get("x-amz-checksum-mode", "").upper() != "ENABLED" or not o.get("checksum"):
            return {}
        return {"x-amz-checksum-sha256": o["checksum"],
                "x-amz-checksum-type": "COMPOSITE" if "-" in o["checksum"] else "FULL_OBJECT"}

    def list_v2(self, bucket, q):
        prefix = q.get("prefix", [""])[0]
        delim = q.get("delimiter", [""])[0]
        maxk = int(q.get("max-keys", ["1000"])[0] or 1000)
        after = q.get("continuation-token", [""])[0]
        if after:
            after = base64.urlsafe_b64decode(after.encode()).decode()
        with LOCK:
            keys = sorted(k for b, k in S["objects"] if b == bucket and k.startswith(prefix))
        entries, seen = [], set()
        for k in keys:
            name, is_pre = k, False
            if delim:
                i = k.find(delim, len(prefix))
                if i >= 0:
                    name, is_pre = k[:i + len(delim)], True
            if name <= after or name in seen:
                continue
            seen.add(name)
            entries.append((name, is_pre))
        page, more = entries[:maxk], len(entries) > maxk
        esc = lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        xml = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">",
               "<Name>%s</Name><Prefix>%s</Prefix><KeyCount>%d</KeyCount><MaxKeys>%d</MaxKeys><IsTruncated>%s</IsTruncated>"
               % (esc(bucket), esc(prefix), len(page), maxk, "true" if more else "false")]
        if more:
            xml.append("<NextContinuationToken>%s</NextContinuationToken>"
                       % base64.urlsafe_b64encode(page[-1][0].encode()).decode())
        for name, is_pre in page:
            if is_pre:
                xml.append("<CommonPrefixes><Prefix>%s</Prefix></CommonPrefixes>" % esc(name))
            else:
                o = S["objects"][(bucket, name)]
                xml.append("<Contents><Key>%s</Key><Size>%d</Size><ETag>&quot;%s&quot;</ETag></Contents>"
                           % (esc(name), o["size"], o["etag"]))
        xml.append("</ListBucketResult>")
        return self.reply(200, "".join(xml).encode(), {"Content-Type": "application/xml"})

    def checksum(self, h, body, required):
        md5 = h.get("content-md5")
        sha = h.get("x-amz-checksum-sha256")
        if md5 is None and sha is None:
            if required:
                with LOCK:
                    S["counters"]["checksum_violations"] += 1
                return ("InvalidRequest", "Content-MD5 OR x-amz-checksum- HTTP header is required")
            return None
        if md5 is not None and md5 != base64.b64encode(hashlib.md5(body).digest()).decode():
            with LOCK:
                S["counters"]["checksum_violations"] += 1
            return ("BadDigest", "The Content-MD5 you specified did not match what we received.")
        if sha is not None and sha != base64.b64encode(hashlib.sha256(body).digest()).decode():
            with LOCK:
                S["counters"]["checksum_violations"] += 1
            return ("BadDigest", "The SHA256 you specified did not match the calculated checksum.")
        return None


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--access-key", required=True)
    ap.add_argument("--secret-key", required=True)
    ap.add_argument("--bucket", action="append", default=[])
    ap.add_argument("--lock-bucket", action="append", default=[])
    ap.add_argument("--ecs-token")
    ap.add_argument("--sink", action="store_true")
    ARGS = ap.parse_args()
    S["creds"][ARGS.access_key] = {"secret": ARGS.secret_key, "token": None, "uses": 0}
    Server(("127.0.0.1", ARGS.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
