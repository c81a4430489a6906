#!/usr/bin/env bash
# otlp destination with auth = sigv4 (CloudWatch Logs' OTLP endpoint): the
# request the receiver got is signed again by botocore (Debian's
# python3-botocore, an independent SigV4) from the same headers, body,
# credentials and x-amz-date; the Authorization headers must be equal.
# Also: the session token is sent and signed, and no secret is printed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/otlp_env.bash"
/usr/bin/python3 -c 'import botocore' || fail "python3-botocore is missing (scripts/test installs it)"

export AWS_ACCESS_KEY_ID=AKIDEXAMPLEOTLP12345
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=abc

for enc in json protobuf; do
	[ -n "${OTLP_PID:-}" ] && otlp_stop
	otlp_start --keep-first
	otlp_setup 300 "auth = sigv4" "region = eu-west-3" "credentials = env" \
		"encoding = $enc" "header.x-aws-log-group = /audit/claude" \
		"header.x-aws-log-stream = testhost"
	run "$AUDITSHIP" -c "$CONF" ship
	assert_eq "$RC" 0 "$enc: ship ($ERR)"
	run otlp_check
	assert_eq "$RC" 0 "$enc: delivered: $OUT"
	run /usr/bin/python3 - "$OTLP_REC.first" "$OTLP_PORT" <<'PY'
import json, os, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

rq = json.load(open(sys.argv[1]))
hdrs = {k.lower(): v for k, v in rq["headers"]}
auth = hdrs["authorization"]
signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
for must in ("host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
             "content-type", "content-encoding", "x-aws-log-group", "x-aws-log-stream"):
    assert must in signed, "%s not signed: %s" % (must, signed)
assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLEOTLP12345/"), auth
assert "/eu-west-3/logs/aws4_request" in auth, auth
body = bytes.fromhex(rq["body_hex"])
req = AWSRequest(method="POST", url="http://127.0.0.1:%s%s" % (sys.argv[2], rq["path"]),
                 headers={h: hdrs[h] for h in signed}, data=body)
signer = SigV4Auth(Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"],
                               os.environ["AWS_SESSION_TOKEN"]), "logs", "eu-west-3")
req.context["timestamp"] = hdrs["x-amz-date"]
creq = signer.canonical_request(req)
sts = signer.string_to_sign(req, creq)
theirs = "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s" % (
    signer.scope(req), signer.signed_headers(signer.headers_to_sign(req)), signer.signature(sts, req))
if theirs != auth:
    sys.exit("ours  %s\nboto  %s\ncreq:\n%s" % (auth, theirs, creq))
print("botocore agrees: " + auth.split("Signature=")[0] + "Signature=...")
PY
	echo "$OUT"
	assert_eq "$RC" 0 "$enc: botocore's signature ($ERR)"
	assert_contains "$OUT" "botocore agrees" "$enc: oracle ran"
	run "$AUDITSHIP" -c "$CONF" -v ship
	assert_not_contains "$OUT$ERR" "$AWS_SECRET_ACCESS_KEY" "$enc: secret key never printed"
	assert_not_contains "$OUT$ERR" "$AWS_SESSION_TOKEN" "$enc: token never printed"
	pass "$enc: SigV4 (service logs) exactly as botocore signs it"
done

# No credentials anywhere: a clear error, exit 1, nothing sent.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
otlp_setup 10 "auth = sigv4" "region = eu-west-3" "credentials = env"
: >"$OTLP_REC.requests"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "no credentials"
assert_eq "$(wc -l <"$OTLP_REC.requests")" 0 "nothing sent without credentials"
pass "no credentials: exit 1, nothing sent"
