/*
 * parse.c - pure value parsers for the configuration (SPEC §2).
 *
 * Every integer the configuration holds goes through parse_uint(), one
 * bounded parser in the spirit of OpenBSD's strtonum(3), so there is a
 * single place that knows about overflow.  Nothing here touches the
 * environment or the file system: lookups are parameters (STYLE §6.1).
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

/* Longest bit of user text quoted back in an error message. */
#define PARSE_QUOTE_MAX	40

/*
 * Digits of s[0..len) into *out.  Returns 0, -1 when there is no digit or
 * a non-digit, -2 on overflow.
 */
static int
parse_digits(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -2;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int
parse_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
parse_all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    struct err *e)
{
	uint64_t v = 0;
	int rc;

	rc = parse_digits(s, strlen(s), &v);
	if (rc == -1)
		return err_set(e, "\"%.*s\" is not a whole number",
		    PARSE_QUOTE_MAX, s);
	if (rc == -2 || v < min || v > max)
		return err_set(e, "%.*s is out of range (%llu to %llu)",
		    PARSE_QUOTE_MAX, s, (unsigned long long)min,
		    (unsigned long long)max);
	*out = v;
	return 0;
}

int64_t
parse_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* A unit suffix and what it multiplies by (bytes, milliseconds). */
struct parse_unit {
	const char	*name;
	uint64_t	 mult;
};

int
parse_size(const char *s, uint64_t *out, struct err *e)
{
	/* K/M/G and KiB/MiB/GiB are binary, KB/MB/GB decimal (SPEC §2):
	 * Datadog's "5MB" is 5,000,000 bytes. */
	static const struct parse_unit units[] = {
		{ "", 1 },
		{ "K", 1ull << 10 }, { "KB", 1000 }, { "KiB", 1ull << 10 },
		{ "M", 1ull << 20 }, { "MB", 1000000 }, { "MiB", 1ull << 20 },
		{ "G", 1ull << 30 }, { "GB", 1000000000 }, { "GiB", 1ull << 30 },
	};
	size_t n, i;
	uint64_t v;
	int rc;

	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
		;
	rc = parse_digits(s, n, &v);
	if (rc == 0) {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			/* The multiplier letter may be lower case ("5m"); the
			 * "iB"/"B" tail is written as shown. */
			if (strlen(units[i].name) != strlen(s + n))
				continue;
			if (units[i].name[0] != '\0' &&
			    (toupper((unsigned char)s[n]) != units[i].name[0] ||
			    strcmp(s + n + 1, units[i].name + 1) != 0))
				continue;
			if (v > UINT64_MAX / units[i].mult)
				return err_set(e, "size %.*s is too large",
				    PARSE_QUOTE_MAX, s);
			*out = v * units[i].mult;
			return 0;
		}
	}
	if (rc == -2)
		return err_set(e, "size %.*s is too large", PARSE_QUOTE_MAX, s);
	return err_set(e, "\"%.*s\" is not a size (a number with an optional "
	    "K, M or G suffix, e.g. 512K, 5M)", PARSE_QUOTE_MAX, s);
}

int
parse_duration(const char *s, uint64_t *out_ms, struct err *e)
{
	static const struct parse_unit units[] = {
		/* "ms" before "m" so the longer unit wins. */
		{ "ms", 1 },
		{ "s", 1000 },
		{ "m", 60 * 1000 },
		{ "h", 60 * 60 * 1000 },
		{ "d", 24 * 60 * 60 * 1000 },
	};
	const char *p = s;
	uint64_t total = 0, v;
	size_t n, i, ulen;
	int rc;

	if (*p == '\0')
		goto bad;
	while (*p != '\0') {
		for (n = 0; p[n] >= '0' && p[n] <= '9'; n++)
			;
		if ((rc = parse_digits(p, n, &v)) == -2)
			goto big;
		if (rc == -1)
			goto bad;
		p += n;
		if (*p == '\0') {
			/* A bare number means seconds, as in systemd, but only
			 * on its own: "1h30" is more likely a typo. */
			if (p - n != s)
				goto bad;
			if (v > UINT64_MAX / 1000)
				goto big;
			*out_ms = v * 1000;
			return 0;
		}
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			ulen = strlen(units[i].name);
			if (strncmp(p, units[i].name, ulen) == 0 &&
			    !(p[ulen] >= 'a' && p[ulen] <= 'z'))
				break;
		}
		if (i == sizeof(units) / sizeof(units[0]))
			goto bad;
		p += ulen;
		if (v > UINT64_MAX / units[i].mult ||
		    total > UINT64_MAX - v * units[i].mult)
			goto big;
		total += v * units[i].mult;
	}
	*out_ms = total;
	return 0;
big:
	return err_set(e, "duration %.*s is too large", PARSE_QUOTE_MAX, s);
bad:
	return err_set(e, "\"%.*s\" is not a duration (a number with a unit "
	    "ms, s, m, h or d, e.g. 30s, 5m, 1h30m)", PARSE_QUOTE_MAX, s);
}

int
parse_bool(const char *s, int *out, struct err *e)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return err_set(e, "\"%.*s\" is not a boolean (true/false, yes/no, "
	    "on/off, 1/0)", PARSE_QUOTE_MAX, s);
}

int
parse_enum(const char *s, const char *choices, struct err *e)
{
	const char *p = choices, *bar;
	size_t len, slen = strlen(s);
	int idx = 0;

	for (;;) {
		bar = strchr(p, '|');
		len = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (len == slen && strncmp(p, s, len) == 0)
			return idx;
		if (bar == NULL)
			break;
		p = bar + 1;
		idx++;
	}
	/* The list is ours, from conf_keys.c, and short. */
	err_set(e, "\"%.*s\" must be one of: %s", PARSE_QUOTE_MAX, s, choices);
	return -1;
}

static int
parse_var_start(int c)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int
parse_var_char(int c)
{
	return parse_var_start(c) || (c >= '0' && c <= '9');
}

/* Length of the NAME in "${NAME}" at s (s points past "${"), or 0. */
static size_t
parse_var_name(const char *s)
{
	size_t n;

	if (!parse_var_start((unsigned char)s[0]))
		return 0;
	for (n = 1; parse_var_char((unsigned char)s[n]); n++)
		;
	return s[n] == '}' ? n : 0;
}

int
parse_is_var_ref(const char *s)
{
	size_t n;

	if (s[0] != '$' || s[1] != '{')
		return 0;
	n = parse_var_name(s + 2);
	return n > 0 && s[2 + n + 1] == '\0';
}

int
parse_expand_vars(struct buf *out, const char *s, parse_getenv_fn get,
    void *ctx, struct err *e)
{
	char name[256];
	const char *p = s, *dollar, *val;
	size_t n;

	while ((dollar = strstr(p, "${")) != NULL) {
		if (buf_add(out, p, (size_t)(dollar - p)) == -1)
			goto full;
		n = parse_var_name(dollar + 2);
		if (n == 0) {
			if (strchr(dollar + 2, '}') == NULL)
				return err_set(e, "unterminated \"${\"");
			return err_set(e, "bad variable reference (use "
			    "${NAME}, NAME of letters, digits and _)");
		}
		if (n >= sizeof(name))
			return err_set(e, "variable name too long");
		memcpy(name, dollar + 2, n);
		name[n] = '\0';
		if ((val = get(ctx, name)) == NULL)
			return err_set(e, "environment variable %s is not set",
			    name);
		if (buf_adds(out, val) == -1)
			goto full;
		p = dollar + 2 + n + 1;
	}
	if (buf_adds(out, p) == -1)
		goto full;
	return 0;
full:
	return err_set(e, "value too long after ${VAR} expansion (max %zu "
	    "bytes)", out->max);
}

int
parse_expand_home(struct buf *out, const char *s, const char *home,
    struct err *e)
{
	if (s[0] == '~' && (s[1] == '\0' || s[1] == '/')) {
		if (home == NULL || home[0] == '\0')
			return err_set(e, "cannot expand \"~\": HOME is not "
			    "set");
		if (buf_adds(out, home) == -1)
			goto full;
		s++;
	}
	if (buf_adds(out, s) == -1)
		goto full;
	return 0;
full:
	return err_set(e, "path too long (max %zu bytes)", out->max);
}
