/*
 * test_net_addr.c - syslog address parsing (SPEC §2.3 address): host:port,
 * [v6]:port, host names, socket paths, default ports.
 */
#include <string.h>

#include "net.h"
#include "test.h"

static void
test_parse(void)
{
	static const struct {
		const char *name, *in;
		int unix_path;
		int ok;
		const char *host;	/* or path */
		unsigned port;
		int v6;
		const char *text;
	} cases[] = {
		{ "v4-port", "127.0.0.1:514", 0, 1, "127.0.0.1", 514, 0,
		  "127.0.0.1:514" },
		{ "v4-default-port", "10.1.2.3", 0, 1, "10.1.2.3", 6514, 0,
		  "10.1.2.3:6514" },
		{ "name-port", "logs.example.com:1514", 0, 1, "logs.example.com",
		  1514, 0, "logs.example.com:1514" },
		{ "name-default", "localhost", 0, 1, "localhost", 6514, 0,
		  "localhost:6514" },
		{ "name-underscore", "my_host-1.lan:10", 0, 1, "my_host-1.lan",
		  10, 0, "my_host-1.lan:10" },
		{ "v6-brackets-port", "[::1]:6514", 0, 1, "::1", 6514, 1,
		  "[::1]:6514" },
		{ "v6-brackets-default", "[2001:db8::5]", 0, 1, "2001:db8::5",
		  6514, 1, "[2001:db8::5]:6514" },
		{ "v6-bare", "fe80::1", 0, 1, "fe80::1", 6514, 1,
		  "[fe80::1]:6514" },
		{ "v6-zone", "[fe80::1%eth0]:514", 0, 1, "fe80::1%eth0", 514, 1,
		  "[fe80::1%eth0]:514" },
		{ "v6-mapped-v4", "[::ffff:127.0.0.1]:514", 0, 1,
		  "::ffff:127.0.0.1", 514, 1, "[::ffff:127.0.0.1]:514" },
		{ "port-max", "h:65535", 0, 1, "h", 65535, 0, "h:65535" },
		{ "unix-path", "/dev/log", 1, 1, "/dev/log", 0, 0, "/dev/log" },
		{ "unix-colon-in-path", "/run/a:b/sock", 1, 1, "/run/a:b/sock", 0,
		  0, "/run/a:b/sock" },
		{ "port-zero", "h:0", 0, 0, NULL, 0, 0, NULL },
		{ "port-too-big", "h:65536", 0, 0, NULL, 0, 0, NULL },
		{ "port-letters", "h:http", 0, 0, NULL, 0, 0, NULL },
		{ "port-empty", "h:", 0, 0, NULL, 0, 0, NULL },
		{ "port-sign", "h:+514", 0, 0, NULL, 0, 0, NULL },
		{ "port-long", "h:0000514", 0, 0, NULL, 0, 0, NULL },
		{ "empty", "", 0, 0, NULL, 0, 0, NULL },
		{ "empty-host", ":514", 0, 0, NULL, 0, 0, NULL },
		{ "v6-no-close", "[::1:514", 0, 0, NULL, 0, 0, NULL },
		{ "v6-bad", "[::g]:514", 0, 0, NULL, 0, 0, NULL },
		{ "v6-junk-after", "[::1]x514", 0, 0, NULL, 0, 0, NULL },
		{ "v4-in-brackets", "[127.0.0.1]:514", 0, 0, NULL, 0, 0, NULL },
		{ "v6-bare-with-port", "::1:514x", 0, 0, NULL, 0, 0, NULL },
		{ "space-in-host", "log host:514", 0, 0, NULL, 0, 0, NULL },
		{ "double-dot", "a..b:514", 0, 0, NULL, 0, 0, NULL },
		{ "scheme", "tcp://h:514", 0, 0, NULL, 0, 0, NULL },
		{ "unix-empty", "", 1, 0, NULL, 0, 0, NULL },
		{ "unix-too-long",
		  "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  1, 0, NULL, 0, 0, NULL },
	};
	struct net_addr a;
	struct err e;
	char text[NET_ADDR_TEXT];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		rc = net_addr_parse(cases[i].in, cases[i].unix_path, 6514, &a,
		    &e);
		if (!cases[i].ok) {
			T_CHECK(rc == -1 && e.msg[0] != '\0', cases[i].name);
			continue;
		}
		T_CHECK(rc == 0, cases[i].name);
		if (rc != 0)
			continue;
		if (cases[i].unix_path) {
			T_CHECK(a.kind == NET_UNIX, cases[i].name);
			T_STREQ(a.path, cases[i].host, cases[i].name);
		} else {
			T_CHECK(a.kind == NET_INET, cases[i].name);
			T_STREQ(a.host, cases[i].host, cases[i].name);
			T_CHECK(a.port == cases[i].port, cases[i].name);
			T_CHECK(a.v6 == cases[i].v6, cases[i].name);
		}
		net_addr_text(&a, text, sizeof(text));
		T_STREQ(text, cases[i].text, cases[i].name);
	}
}

static void
test_is_ip(void)
{
	static const struct {
		const char *in;
		int want;
	} cases[] = {
		{ "127.0.0.1", 1 }, { "::1", 1 }, { "fe80::1%eth0", 1 },
		{ "localhost", 0 }, { "logs.example.com", 0 }, { "1.2.3", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_CHECK(net_host_is_ip(cases[i].in) == cases[i].want,
		    cases[i].in);
}

int
main(void)
{
	test_parse();
	test_is_ip();
	return t_done("net_addr");
}
