/*
 * fuzz_config.c - config_parse(), the INI text -> struct config pass.
 * Oracles: an error names the file ("fuzz.ini:N: ..." or "fuzz.ini:
 * ..."); a config that parses prints, deterministically.  (Not checked
 * yet: `check` prints control bytes of a value raw.)
 */
#include "fuzz.h"
#include "config.h"

static const char *
fake_getenv(void *ctx, const char *name)
{
	(void)ctx;
	return strlen(name) % 2 ? "v\x01\x1b[2J" : "value";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_env env = {
		.getenv = fake_getenv, .home = "/home/fuzz", .hostname = "fuzzhost",
		.file_mode = 0600,
	};
	struct config cfg;
	struct err e = { 0, "" };
	struct buf out, out2;

	memset(&cfg, 0, sizeof(cfg));
	if (config_parse(&cfg, "fuzz.ini", (const char *)data, size, &env, &e) == 0) {
		buf_init(&out, 1 << 22);
		buf_init(&out2, 1 << 22);
		config_print(&cfg, &out);
		config_print(&cfg, &out2);
		FUZZ_CHECK(out.len == out2.len && (out.len == 0 ||
		    memcmp(out.p, out2.p, out.len) == 0), "printing is deterministic");
		buf_free(&out2);
		buf_free(&out);
	} else {
		FUZZ_CHECK(strncmp(e.msg, "fuzz.ini", 8) == 0 &&
		    (e.msg[8] == ':'), "error names the file");
	}
	config_free(&cfg);
	return 0;
}
