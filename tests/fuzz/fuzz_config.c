/*
 * fuzz_config.c - config_parse(), the INI text -> struct config pass.
 * Oracles: an error names the file and a line ("fuzz.ini:N: ..." or
 * "fuzz.ini: ..."); a config that parses can be printed, and the printed
 * text never holds a secret's value (every ${VAR} here expands to one).
 */
#include "fuzz.h"
#include "config.h"

#define SECRET	"S3CR3T-fuzz-value-8c1f"

static const char *
fake_getenv(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return SECRET;
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
	struct buf out;

	memset(&cfg, 0, sizeof(cfg));
	if (config_parse(&cfg, "fuzz.ini", (const char *)data, size, &env, &e) == 0) {
		buf_init(&out, 1 << 22);
		config_print(&cfg, &out);
		FUZZ_CHECK(out.p == NULL || strstr(out.p, SECRET) == NULL ||
		    memmem(data, size, SECRET, strlen(SECRET)) != NULL,
		    "no expanded secret in the printed config");
		buf_free(&out);
	} else {
		FUZZ_CHECK(strncmp(e.msg, "fuzz.ini", 8) == 0 &&
		    (e.msg[8] == ':'), "error names the file");
	}
	config_free(&cfg);
	return 0;
}
