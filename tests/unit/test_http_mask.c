/*
 * test_http_mask.c - http_mask_userinfo(): passwords in URLs that
 * libcurl's verbose text prints (proxy variables) never reach a log.
 */
#include <string.h>

#include "http.h"
#include "test.h"

static const struct {
	const char	*name;
	const char	*in;
	const char	*want;
} cases[] = {
	{ "proxy-env", "Uses proxy env variable https_proxy == 'http://auditor:px-secret@127.0.0.1:3128'",
	  "Uses proxy env variable https_proxy == 'http://auditor:****@127.0.0.1:3128'" },
	{ "at-in-password", "http://u:p@ss@w0rd@proxy:8080/x", "http://u:****@proxy:8080/x" },
	{ "user-only", "http://auditor@proxy:3128", "http://auditor@proxy:3128" },
	{ "no-userinfo", "https://127.0.0.1:443/api/v2/logs?a=b@c", "https://127.0.0.1:443/api/v2/logs?a=b@c" },
	{ "port-not-password", "connect to http://proxy:3128/ failed", "connect to http://proxy:3128/ failed" },
	{ "short-password", "http://u:ab@h", "http://u:**@h" },
	{ "four", "http://u:abcd@h", "http://u:****@h" },
	{ "empty-password", "http://u:@h", "http://u:@h" },
	{ "two-urls", "a http://x:secret1@h1 b socks5://y:secret22@h2/ c",
	  "a http://x:****@h1 b socks5://y:****@h2/ c" },
	{ "already-masked", "http://u:****@h", "http://u:****@h" },
	{ "quoted-end", "\"http://u:pw12345@h\"", "\"http://u:****@h\"" },
	{ "bare-scheme", "://", "://" },
	{ "no-url", "plain text with user:pass@host", "plain text with user:pass@host" },
};

int
main(void)
{
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strcpy(buf, cases[i].in);
		http_mask_userinfo(buf);
		T_CHECK(strcmp(buf, cases[i].want) == 0, cases[i].name);
		if (strcmp(buf, cases[i].want) != 0)
			fprintf(stderr, "  got  [%s]\n  want [%s]\n", buf, cases[i].want);
	}
	return t_done("http_mask");
}
