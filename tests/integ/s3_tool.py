#!/usr/bin/python3
"""Client side of the S3 integration tests, with Debian's boto3 (an
implementation independent of ours).

usage (S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION in the env):
  s3_tool.py mkbucket NAME [--lock]      create a bucket (Object Lock on)
  s3_tool.py fetch BUCKET DIR            download every object to DIR/KEY
  s3_tool.py inspect BUCKET              one JSON line per object: key,
                                         size, etag, versions, lock mode,
                                         retain-until (epoch s), legal hold,
                                         metadata
  s3_tool.py put BUCKET KEY FILE         upload FILE as KEY (no lock)
  s3_tool.py putmany BUCKET STEM N FILE  upload FILE as STEM01.jsonl.gz ...
  s3_tool.py hold BUCKET KEY ON|OFF      PutObjectLegalHold, then print the
                                         hold GetObjectLegalHold reads back
"""
import json, os, sys

import boto3
from botocore.config import Config


def client():
    return boto3.client(
        "s3", endpoint_url=os.environ["S3_ENDPOINT"],
        aws_access_key_id=os.environ["S3_ACCESS_KEY"],
        aws_secret_access_key=os.environ["S3_SECRET_KEY"],
        region_name=os.environ.get("S3_REGION", "us-east-1"),
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


def objects(s3, bucket):
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            yield o


def main():
    s3 = client()
    cmd = sys.argv[1]
    if cmd == "mkbucket":
        kw = {"ObjectLockEnabledForBucket": True} if "--lock" in sys.argv else {}
        s3.create_bucket(Bucket=sys.argv[2], **kw)
    elif cmd == "fetch":
        bucket, root = sys.argv[2], sys.argv[3]
        for o in objects(s3, bucket):
            path = os.path.join(root, o["Key"])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read())
    elif cmd == "inspect":
        bucket = sys.argv[2]
        versions = {}
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            for v in page.get("Versions", []):
                versions[v["Key"]] = versions.get(v["Key"], 0) + 1
        for o in objects(s3, bucket):
            h = s3.head_object(Bucket=bucket, Key=o["Key"])
            rec = {"key": o["Key"], "size": o["Size"], "etag": h["ETag"].strip('"'),
                   "versions": versions.get(o["Key"], 0), "meta": h.get("Metadata", {})}
            try:
                r = s3.get_object_retention(Bucket=bucket, Key=o["Key"])["Retention"]
                rec["mode"] = r["Mode"]
                rec["until"] = int(r["RetainUntilDate"].timestamp())
            except s3.exceptions.ClientError:
                rec["mode"] = None
            try:
                rec["hold"] = s3.get_object_legal_hold(Bucket=bucket, Key=o["Key"])["LegalHold"]["Status"]
            except s3.exceptions.ClientError:
                rec["hold"] = None
            print(json.dumps(rec, sort_keys=True))
    elif cmd == "put":
        with open(sys.argv[4], "rb") as f:
            s3.put_object(Bucket=sys.argv[2], Key=sys.argv[3], Body=f.read())
    elif cmd == "putmany":
        body = open(sys.argv[5], "rb").read()
        for i in range(1, int(sys.argv[4]) + 1):
            s3.put_object(Bucket=sys.argv[2], Key="%s%02d.jsonl.gz" % (sys.argv[3], i), Body=body)
    elif cmd == "hold":
        s3.put_object_legal_hold(Bucket=sys.argv[2], Key=sys.argv[3],
                                 LegalHold={"Status": sys.argv[4]})
        print(s3.get_object_legal_hold(Bucket=sys.argv[2], Key=sys.argv[3])["LegalHold"]["Status"])
    elif cmd == "delete":
        # Delete every version of KEY (a plain DELETE on a versioned bucket
        # only adds a marker): exit 3 when the server refuses.
        bucket, key = sys.argv[2], sys.argv[3]
        refused = 0
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key):
            for v in page.get("Versions", []):
                if v["Key"] != key:
                    continue
                try:
                    s3.delete_object(Bucket=bucket, Key=key, VersionId=v["VersionId"])
                except s3.exceptions.ClientError as e:
                    print("refused:", e.response["Error"]["Code"])
                    refused = 1
        sys.exit(3 if refused else 0)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
