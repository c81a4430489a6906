#!/usr/bin/python3
"""Sign random S3 requests with botocore and with our signer; compare.

usage: sigv4_oracle.py TEST_SIGV4_BINARY [COUNT] [SEED]

botocore (Debian's python3-botocore, run under /usr/bin/python3) is an
independent SigV4 implementation.  For each random request -- random
keys with reserved, unicode and percent characters, random query strings
(valueless parameters, repeated names, '=' and '&' in values), extra
headers with runs of blanks, random regions, ports, dates and session
tokens -- both produce the Authorization header; they must be equal.
Our side runs as `test_sigv4 --oracle` (see tests/unit/test_sigv4.c for
the block format).  Prints one line per mismatch and a summary; exit 1 on
any mismatch.
"""
import datetime, hashlib, random, subprocess, sys
from urllib.parse import quote

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

KEY_CHARS = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
             + list(" !$&'()*+,;=:@%~-_.") + ["é", "日本", "ü", "\u00a0", "😀", "/"])
Q_CHARS = list("abcXYZ019-_.~ !*'()+/:=&?@$,;%") + ["é", "漢"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"]
HOSTS = ["examplebucket.s3.amazonaws.com", "s3.eu-west-1.amazonaws.com",
         "127.0.0.1:9000", "localhost:43697", "bucket.localhost:8080"]


def rstr(rng, chars, lo, hi):
    return "".join(rng.choice(chars) for _ in range(rng.randint(lo, hi)))


def random_request(rng):
    method = rng.choice(["GET", "PUT", "POST", "HEAD", "DELETE"])
    key = rstr(rng, KEY_CHARS, 0, 30)
    path = "/" + rng.choice(["", "bucket/", "my.bucket/"]) + key
    params = []
    for _ in range(rng.randint(0, 6)):
        name = rng.choice(["uploads", "uploadId", "partNumber", "prefix",
                           "max-keys", "object-lock", "retention", "x-id",
                           rstr(rng, Q_CHARS, 1, 8)])
        if rng.random() < 0.25:
            params.append(quote(name, safe="-_.~"))
        else:
            params.append(quote(name, safe="-_.~") + "=" +
                          quote(rstr(rng, Q_CHARS, 0, 12), safe="-_.~"))
    body = rstr(rng, KEY_CHARS, 0, 64).encode() if method in ("PUT", "POST") else b""
    headers = []
    for _ in range(rng.randint(0, 4)):
        name = rng.choice(["x-amz-meta-a", "X-Amz-Meta-Note", "Content-MD5",
                           "Content-Type", "x-amz-storage-class",
                           "If-None-Match", "x-amz-object-lock-mode"])
        if any(n.lower() == name.lower() for n, _ in headers):
            continue
        val = rng.choice([" ", "", "  "]) + rstr(rng, list("abc XYZ09*=+/:"), 1, 20) + rng.choice(["", " ", "   "])
        if val.strip() == "":
            val = "v"
        headers.append((name, val))
    token = rstr(rng, list("ABCDEFabcdef0123456789+/="), 20, 60) if rng.random() < 0.3 else None
    when = datetime.datetime(2013, 5, 24) + datetime.timedelta(seconds=rng.randint(0, 10**9))
    return {
        "method": method, "path": path, "query": "&".join(params),
        "headers": headers, "body": body, "token": token,
        "ak": "AKIA" + rstr(rng, list("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 16, 16),
        "sk": rstr(rng, list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"), 40, 40),
        "region": rng.choice(REGIONS), "host": rng.choice(HOSTS),
        "date": when.strftime("%Y%m%dT%H%M%SZ"),
    }


def botocore_auth(r):
    url = "https://" + r["host"] + quote(r["path"], safe="/-_.~")
    if r["query"]:
        url += "?" + r["query"]
    headers = dict(r["headers"])
    req = AWSRequest(method=r["method"], url=url, headers=headers, data=r["body"])
    # Port 443 would be dropped from an https URL's host; keep ours verbatim.
    req.headers["Host"] = r["host"]
    signer = S3SigV4Auth(Credentials(r["ak"], r["sk"], r["token"]), "s3", r["region"])
    # add_auth() with a fixed clock: the same steps, our timestamp.
    req.context["timestamp"] = r["date"]
    signer._modify_request_before_signing(req)
    creq = signer.canonical_request(req)
    sts = signer.string_to_sign(req, creq)
    signer._inject_signature_to_request(req, signer.signature(sts, req))
    return req.headers["Authorization"], creq


def block(r):
    sha = hashlib.sha256(r["body"]).hexdigest()
    lines = ["method\t" + r["method"], "path\t" + r["path"].encode().hex(),
             "query\t" + r["query"], "header\thost\t" + r["host"],
             "header\tx-amz-date\t" + r["date"],
             "header\tx-amz-content-sha256\t" + sha]
    if r["token"]:
        lines.append("header\tx-amz-security-token\t" + r["token"])
    for n, v in r["headers"]:
        lines.append("header\t%s\t%s" % (n, v))
    lines += ["payload\t" + sha, "date\t" + r["date"],
              "key\t%s\t%s\t%s" % (r["ak"], r["sk"], r["region"]), "end"]
    return "\n".join(lines) + "\n"


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else random.randrange(1 << 30)
    rng = random.Random(seed)
    reqs = [random_request(rng) for _ in range(count)]
    out = subprocess.run([binary, "--oracle"], input="".join(block(r) for r in reqs),
                         capture_output=True, text=True, check=True).stdout.splitlines()
    if len(out) != count:
        sys.exit("oracle: %d answers for %d requests" % (len(out), count))
    bad = 0
    for r, ours in zip(reqs, out):
        theirs, creq = botocore_auth(r)
        if ours != theirs:
            bad += 1
            if bad <= 5:
                print("MISMATCH %r\n  ours   %s\n  boto   %s\n  creq:\n%s" % (
                    {k: r[k] for k in ("method", "path", "query", "headers")},
                    ours, theirs, creq))
    print("sigv4 oracle (seed %d): %d requests, %d mismatches" % (seed, count, bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
