/*
 * fuzz_net.c - syslog address parsing (net.c, pure part).  Oracles: an
 * address that parses prints as text that parses back to the same host,
 * port and family; strings stay terminated in their arrays.
 */
#include "fuzz.h"
#include "net.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size), text[NET_HOST_MAX + NET_PATH_MAX + 16];
	struct net_addr a, b;
	struct err e = { 0, "" };
	int unix_path = size > 0 && data[0] == '/';

	if (net_addr_parse(s, unix_path, 6514, &a, &e) == 0) {
		FUZZ_CHECK(memchr(a.host, '\0', sizeof(a.host)) != NULL, "host terminated");
		FUZZ_CHECK(memchr(a.path, '\0', sizeof(a.path)) != NULL, "path terminated");
		net_addr_text(&a, text, sizeof(text));
		if (!unix_path) {
			FUZZ_CHECK(net_addr_parse(text, 0, 1, &b, &e) == 0, "text parses back");
			FUZZ_CHECK(strcmp(a.host, b.host) == 0 && a.port == b.port &&
			    a.v6 == b.v6, "same address");
		}
		(void)net_host_is_ip(a.host);
	}
	free(s);
	return 0;
}
