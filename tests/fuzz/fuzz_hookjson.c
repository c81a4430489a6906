/*
 * fuzz_hookjson.c - the hook's payload -> audit line (hookjson.c, with
 * the redactor inside).  Oracles: the line is one valid JSON object
 * followed by "\n", in both modes; --minimal's program name keeps to its
 * character set and bound.
 */
#include "fuzz.h"
#include "hookjson.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hookjson_in in;
	struct buf b;
	char prog[32];
	size_t n, k;
	int minimal;

	for (minimal = 0; minimal <= 1; minimal++) {
		memset(&in, 0, sizeof(in));
		in.ts = "2026-11-21T09:10:11.123Z";
		in.host = "h\x01st";
		in.user = "us\"er";
		in.payload = (const char *)data;
		in.payload_len = size;
		in.minimal = minimal;
		in.max_response = size > 0 ? data[0] : 0;
		buf_init(&b, 64 * size + 4096);
		FUZZ_CHECK(hookjson_line(&b, &in) == 0, "line fits");
		FUZZ_CHECK(b.len > 0 && b.p[b.len - 1] == '\n', "ends in newline");
		FUZZ_CHECK(memchr(b.p, '\n', b.len - 1) == NULL, "one line");
		FUZZ_CHECK(jsonl_is_object(b.p, b.len - 1), "line is a JSON object");
		buf_free(&b);
	}
	n = hookjson_program((const char *)data, size, prog, sizeof(prog));
	FUZZ_CHECK(n < sizeof(prog) && strlen(prog) == n, "program bounded");
	for (k = 0; k < n; k++)
		FUZZ_CHECK(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._+-", prog[k]) != NULL, "program charset");
	return 0;
}
