/*
 * fuzz_retry_after.c - Retry-After values (http.c, pure part).  Oracles:
 * the delay is -1 or within [0, one day]; delay-seconds of up to 9
 * digits is exactly that many seconds (capped at a day); an HTTP-date
 * comes closer as time passes.
 */
#include "fuzz.h"
#include "http.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	long long ms, now = 1795000000;
	size_t k;
	int digits = size > 0 && size <= 9;

	ms = http_retry_after_ms(s, now);
	FUZZ_CHECK(ms >= -1 && ms <= 86400000, "-1 or a delay of at most a day");
	for (k = 0; k < size; k++)
		digits &= data[k] >= '0' && data[k] <= '9';
	if (digits)
		FUZZ_CHECK(ms == (strtoll(s, NULL, 10) > 86400 ? 86400 :
		    strtoll(s, NULL, 10)) * 1000, "delay-seconds exact");
	FUZZ_CHECK(http_retry_after_ms(s, now + 10) == -1 || ms == -1 || digits ||
	    http_retry_after_ms(s, now + 10) <= ms, "a date comes closer as time passes");
	free(s);
	return 0;
}
