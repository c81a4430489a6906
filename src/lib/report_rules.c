/*
 * report_rules.c - the risky-action rule table (see report_rules.h).
 *
 * Command rules look at shell words: a word starts the text or follows a
 * separator (space, tab, newline, ; | & ( ` " ' / =) and ends at a space,
 * a separator or the end; a simple command's arguments run to the next
 * ; | & newline or ).  This is a reading aid for an auditor, not a shell
 * parser: it errs towards flagging.
 */
#include <stddef.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "report_rules.h"

static int
is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' ||
	    c == '&' || c == '(' || c == '`' || c == '"' || c == '\'' ||
	    c == '/' || c == '=' || c == '$' || c == '{';
}

static int
is_end(char c)
{
	return c == ';' || c == '|' || c == '&' || c == '\n' || c == ')' ||
	    c == '`';
}

static int
word_at_n(const char *s, size_t len, size_t i, const char *w, size_t n)
{
	if (s[i] != w[0] || i + n > len || memcmp(s + i, w, n) != 0)
		return 0;
	if (i > 0 && !is_sep(s[i - 1]))
		return 0;
	return i + n == len || s[i + n] == ' ' || s[i + n] == '\t' ||
	    is_end(s[i + n]) || s[i + n] == '"' || s[i + n] == '\'';
}

/* word_at(s, len, i, "literal"): the literal word starts at s[i]. */
#define word_at(s, len, i, w)	word_at_n(s, len, i, w, sizeof(w) - 1)

/* Next word of a simple command starting at *i: sets [*a, *b) and returns
 * 1, 0 at the end of the simple command. */
static int
next_arg(const char *s, size_t len, size_t *i, size_t *a, size_t *b)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '"' ||
	    s[*i] == '\''))
		(*i)++;
	if (*i >= len || is_end(s[*i]))
		return 0;
	*a = *i;
	while (*i < len && s[*i] != ' ' && s[*i] != '\t' && !is_end(s[*i]) &&
	    s[*i] != '"' && s[*i] != '\'')
		(*i)++;
	*b = *i;
	return 1;
}

static int
tok_is(const char *s, size_t a, size_t b, const char *t)
{
	return b - a == strlen(t) && memcmp(s + a, t, b - a) == 0;
}

/* A short option cluster ("-rf") holding one of chars. */
static int
short_opt_has(const char *s, size_t a, size_t b, const char *chars)
{
	size_t i;

	if (b - a < 2 || s[a] != '-' || s[a + 1] == '-')
		return 0;
	for (i = a + 1; i < b; i++)
		if (strchr(chars, s[i]) != NULL)
			return 1;
	return 0;
}

/*
 * The first occurrence of needle[0..nl) in s[0..n) at or after s, NULL
 * when none: memchr for needle[at], a byte that is rare in commands and
 * paths, then one compare around each hit (memmem's set-up costs more
 * than the short texts the rules look at).
 */
static const char *
find_at(const char *s, size_t n, const char *needle, size_t nl, size_t at)
{
	const char *p, *stop, *q;

	if (n < nl)
		return NULL;
	p = s + at;
	stop = s + n - (nl - 1 - at);	/* past the last place for needle[at] */
	while (p < stop && (q = memchr(p, needle[at], (size_t)(stop - p))) != NULL) {
		if (q[-(ptrdiff_t)at] == needle[0] && memcmp(q - at, needle, nl) == 0)
			return q - at;
		p = q + 1;
	}
	return NULL;
}

/* contains(s, len, "literal", at): find_at anchored on literal[at]. */
#define contains(s, len, lit, at)	\
	(find_at(s, len, lit, sizeof(lit) - 1, at) != NULL)

/* The next position >= i where word w may start (its first byte), or len. */
static size_t
next_cand(const char *s, size_t len, size_t i, char c)
{
	const char *p;

	if (i >= len)
		return len;
	p = memchr(s + i, c, len - i);
	return p != NULL ? (size_t)(p - s) : len;
}

static int
m_rm_recursive(const char *c, size_t n, const char *p, size_t pl)
{
	size_t i, j, a, b;

	(void)p, (void)pl;
	if (!contains(c, n, "rm", 1))	/* most commands: one memchr */
		return 0;
	for (i = next_cand(c, n, 0, 'r'); i < n; i = next_cand(c, n, i + 1, 'r')) {
		if (!word_at(c, n, i, "rm"))
			continue;
		j = i + 2;
		while (next_arg(c, n, &j, &a, &b))
			if (short_opt_has(c, a, b, "rR") ||
			    tok_is(c, a, b, "--recursive"))
				return 1;
	}
	return 0;
}

static int
m_force_push(const char *c, size_t n, const char *p, size_t pl)
{
	size_t i, j, a, b;
	int push;

	(void)p, (void)pl;
	if (!contains(c, n, "push", 3))	/* no push, no force push */
		return 0;
	for (i = next_cand(c, n, 0, 'g'); i < n; i = next_cand(c, n, i + 1, 'g')) {
		if (!word_at(c, n, i, "git"))
			continue;
		j = i + 3;
		push = 0;
		while (next_arg(c, n, &j, &a, &b)) {
			if (tok_is(c, a, b, "push"))
				push = 1;
			else if (push && (short_opt_has(c, a, b, "f") ||
			    tok_is(c, a, b, "--force") ||
			    (b - a > 18 && memcmp(c + a, "--force-with-lease", 18) == 0) ||
			    tok_is(c, a, b, "--force-with-lease") ||
			    (b - a > 1 && c[a] == '+')))
				return 1;
		}
	}
	return 0;
}

static int
m_curl_sh(const char *c, size_t n, const char *p, size_t pl)
{
	static const char *const shells[] = { "sh", "bash", "zsh", "dash",
		"ksh", "fish", NULL };
	size_t i, j, a, b, k;
	int fetch = 0;

	(void)p, (void)pl;
	if (n == 0 || memchr(c, '|', n) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (word_at(c, n, i, "curl") || word_at(c, n, i, "wget"))
			fetch = 1;
		if (!fetch || c[i] != '|' || (i + 1 < n && c[i + 1] == '|') ||
		    (i > 0 && c[i - 1] == '|'))
			continue;
		j = i + 1;
		if (!next_arg(c, n, &j, &a, &b))
			continue;
		if (tok_is(c, a, b, "sudo") && !next_arg(c, n, &j, &a, &b))
			continue;
		/* "/bin/sh" counts as "sh" */
		for (k = b; k > a && c[k - 1] != '/'; k--)
			;
		for (const char *const *sh = shells; *sh != NULL; sh++)
			if (tok_is(c, k, b, *sh))
				return 1;
	}
	return 0;
}

static int
m_chmod_777(const char *c, size_t n, const char *p, size_t pl)
{
	size_t i, j, a, b;

	(void)p, (void)pl;
	for (i = next_cand(c, n, 0, 'c'); i < n; i = next_cand(c, n, i + 1, 'c')) {
		if (!word_at(c, n, i, "chmod"))
			continue;
		j = i + 5;
		while (next_arg(c, n, &j, &a, &b))
			if (tok_is(c, a, b, "777") || tok_is(c, a, b, "0777") ||
			    tok_is(c, a, b, "a+rwx") ||
			    tok_is(c, a, b, "ugo+rwx") ||
			    tok_is(c, a, b, "o+w") || tok_is(c, a, b, "a+w"))
				return 1;
	}
	return 0;
}

static int
m_sudo(const char *c, size_t n, const char *p, size_t pl)
{
	size_t i;

	(void)p, (void)pl;
	for (i = 0; i < n; i++) {
		const char *q = memchr(c + i, 'o', n - i);

		/* "sudo" holds its 'o' at offset 3, "doas" at 1 */
		if (q == NULL)
			return 0;
		i = (size_t)(q - c);
		if ((i >= 3 && word_at(c, n, i - 3, "sudo")) ||
		    (i >= 1 && word_at(c, n, i - 1, "doas")))
			return 1;
	}
	return 0;
}

/*
 * The names the file rules look for all hold a '.', most start with one:
 * each such rule walks the dots of a text once (memchr) and checks what
 * may stand around each, rather than searching the text once per name.
 */
typedef int	(*dot_check)(const char *s, size_t n, size_t i);

/* 1 when at(s, n, i) holds for some '.' at s[i]. */
static inline int
some_dot(const char *s, size_t n, dot_check at)
{
	const char *p = s, *end = s + n;

	while (p < end && (p = memchr(p, '.', (size_t)(end - p))) != NULL) {
		if (at(s, n, (size_t)(p - s)))
			return 1;
		p++;
	}
	return 0;
}

/* The literal lit starts at s[i]. */
#define lit_at(s, n, i, lit)	((n) - (i) >= sizeof(lit) - 1 && \
	memcmp((s) + (i), lit, sizeof(lit) - 1) == 0)

/* One of names (each starting with '.', NULL-terminated) at s[i]. */
static int
names_at(const char *s, size_t n, size_t i, const char *const *names)
{
	const char *const *c;

	for (c = names; *c != NULL; c++) {
		size_t l = strlen(*c);

		if (n - i >= l && s[i + 1] == (*c)[1] && memcmp(s + i, *c, l) == 0)
			return 1;
	}
	return 0;
}

/* ".env" as a file name: ".env" or ".env.<x>" at a path component start,
 * not ".envrc" or ".environment". */
static int
dotenv_at(const char *s, size_t n, size_t i)
{
	if (!lit_at(s, n, i, ".env") || (i > 0 && !is_sep(s[i - 1])))
		return 0;
	return i + 4 == n || s[i + 4] == '.' || s[i + 4] == ' ' ||
	    is_end(s[i + 4]) || s[i + 4] == '"' || s[i + 4] == '\'' ||
	    s[i + 4] == '/';
}

/* Credential file names besides .env. */
static const char *const cred_names[] = { ".ssh/", ".aws/credentials",
	".netrc", ".pgpass", ".git-credentials", ".docker/config.json",
	".kube/config", ".npmrc", ".pypirc", NULL };

static int
cred_at(const char *s, size_t n, size_t i)
{
	return dotenv_at(s, n, i) || names_at(s, n, i, cred_names);
}

static int
m_credentials(const char *c, size_t n, const char *p, size_t pl)
{
	return some_dot(c, n, cred_at) || some_dot(p, pl, cred_at);
}

static const char *const hook_dot_names[] = { ".claude/settings.json",
	".claude/settings.local.json", ".git/hooks/", NULL };

/* A hook name at the dot s[i], or "core.hooksPath" around it. */
static int
hooks_at(const char *s, size_t n, size_t i)
{
	return names_at(s, n, i, hook_dot_names) ||
	    (i >= 4 && lit_at(s, n, i - 4, "core.hooksPath"));
}

static int
hooks_in(const char *s, size_t n)
{
	return some_dot(s, n, hooks_at) || contains(s, n, "managed-settings", 6);
}

static int
m_hooks(const char *c, size_t n, const char *p, size_t pl)
{
	return hooks_in(c, n) || hooks_in(p, pl);
}

/* ".claude/audit" as a path or a path's start (not ".claude/auditor"). */
static int
audit_at(const char *s, size_t n, size_t i)
{
	if (!lit_at(s, n, i, ".claude/audit"))
		return 0;
	return i + 13 == n || s[i + 13] == '/' || s[i + 13] == ' ' ||
	    s[i + 13] == '"' || s[i + 13] == '\'' || is_end(s[i + 13]);
}

static int
audit_in(const char *s, size_t n)
{
	return some_dot(s, n, audit_at);
}

static int
m_audit(const char *c, size_t n, const char *p, size_t pl)
{
	return audit_in(c, n) || audit_in(p, pl);
}

/*
 * A cheap first look, so that most texts run no rule at all: every rule
 * needs one of a few byte pairs or bytes to be present (its gate_cmd and
 * gate_path in the table below), and one pass finds which are.  A gate only ever lets
 * through what the rule itself then decides; it never matches.
 */
enum {
	G_RM = 1 << 0,		/* "rm" */
	G_PU = 1 << 1,		/* "pu" of "push" */
	G_PIPE = 1 << 2,	/* '|' */
	G_HM = 1 << 3,		/* "hm" of "chmod" */
	G_DO = 1 << 4,		/* "do" of "sudo", "doas" */
	G_DOT = 1 << 5,		/* '.': every file rule's names but one */
	G_DDASH = 1 << 6,	/* "d-" of "managed-settings" */
	G_ALL = (1 << 7) - 1
};

const struct report_rule report_rules[] = {
	{ "rm-recursive", "recursive delete (rm -r, -R, -rf, --recursive)",
	  m_rm_recursive, "rm -rf build/", "",
	  "rm -f notes.txt; ls -R", "", G_RM, 0 },
	{ "force-push", "git push with --force, -f, --force-with-lease or +refspec",
	  m_force_push, "git push --force origin main", "",
	  "git push origin main --follow-tags", "", G_PU, 0 },
	{ "curl-pipe-sh", "a download piped into a shell (curl|wget ... | sh)",
	  m_curl_sh, "curl -fsSL https://get.example.com/i.sh | sudo bash", "",
	  "curl -s https://api.example.com/v1 | shasum", "", G_PIPE, 0 },
	{ "chmod-777", "world-writable permissions (chmod 777, a+rwx, o+w)",
	  m_chmod_777, "chmod -R 777 /srv/app", "",
	  "chmod 755 deploy.sh", "", G_HM, 0 },
	{ "sudo", "a command run as root (sudo, doas)",
	  m_sudo, "sudo systemctl restart nginx", "",
	  "echo sudoku pseudo", "", G_DO, 0 },
	{ "credential-file", "a credential file read or written (.env, ~/.ssh/, "
	  "~/.aws/credentials, .netrc, .pgpass, .git-credentials, .npmrc, "
	  ".pypirc, .docker/config.json, .kube/config)",
	  m_credentials, "", "/home/dev/shop/.env",
	  "cat src/environment.ts", "/home/dev/shop/.envrc", G_DOT, G_DOT },
	{ "hooks-settings", "agent hooks or settings changed (.claude/settings"
	  "[.local].json, managed-settings, .git/hooks/, core.hooksPath; "
	  "a ConfigChange event)",
	  m_hooks, "", "/home/dev/.claude/settings.json",
	  "git config core.editor vim", "/home/dev/docs/settings.md",
	  G_DOT | G_DDASH, G_DOT | G_DDASH },
	{ "audit-trail", "the audit trail itself touched (.claude/audit)",
	  m_audit, "rm ~/.claude/audit/2026-11-20.jsonl", "",
	  "cat .claude/auditor-notes.md", "", G_DOT, G_DOT },
};

const size_t report_nrules = sizeof(report_rules) / sizeof(report_rules[0]);

#if defined(__SSE2__)
/* The G_* bits present in s[0..n): 16 bytes at a time, a pair found by
 * shifting its first byte's mask onto the second's (the last byte of a
 * block carried into the next). */
static unsigned
gates_of(const char *s, size_t n)
{
	const __m128i cr = _mm_set1_epi8('r'), cm = _mm_set1_epi8('m');
	const __m128i cp = _mm_set1_epi8('p'), cu = _mm_set1_epi8('u');
	const __m128i ch = _mm_set1_epi8('h'), cd = _mm_set1_epi8('d');
	const __m128i co = _mm_set1_epi8('o'), cdash = _mm_set1_epi8('-');
	const __m128i cpipe = _mm_set1_epi8('|'), cdot = _mm_set1_epi8('.');
	unsigned rm = 0, pu = 0, hm = 0, d_o = 0, dd = 0, pipe = 0, dot = 0;
	unsigned carry_r = 0, carry_p = 0, carry_h = 0, carry_d = 0;
	size_t i;

	for (i = 0; i < n; i += 16) {
		unsigned char tail[16];
		const void *at = s + i;
		__m128i v;
		unsigned r, p, h, d, m;

		if (n - i < 16 && n >= 16) {
			/* the last 16 bytes: what they repeat of the block
			 * before is found twice, harmlessly, and a pair across
			 * their first byte lies inside that block */
			at = s + n - 16;
			carry_r = carry_p = carry_h = carry_d = 0;
		} else if (n - i < 16) {	/* never read past the text */
			memset(tail, 0, sizeof(tail));
			memcpy(tail, s + i, n - i);
			at = tail;
		}
		v = _mm_loadu_si128((const __m128i *)at);
#define MASK(c)	((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)))
		r = MASK(cr) << 1 | carry_r;
		p = MASK(cp) << 1 | carry_p;
		h = MASK(ch) << 1 | carry_h;
		d = MASK(cd) << 1 | carry_d;
		m = MASK(cm);
		rm |= r & m;
		hm |= h & m;
		pu |= p & MASK(cu);
		d_o |= d & MASK(co);
		dd |= d & MASK(cdash);
		pipe |= MASK(cpipe);
		dot |= MASK(cdot);
#undef MASK
		carry_r = r >> 16;
		carry_p = p >> 16;
		carry_h = h >> 16;
		carry_d = d >> 16;
	}
	return (rm ? G_RM : 0) | (pu ? G_PU : 0) | (pipe ? G_PIPE : 0) |
	    (hm ? G_HM : 0) | (d_o ? G_DO : 0) | (dot ? G_DOT : 0) |
	    (dd ? G_DDASH : 0);
}
#else
static unsigned
gates_of(const char *s, size_t n)
{
	(void)s;
	return n > 0 ? G_ALL : 0;	/* every rule runs */
}
#endif

unsigned
report_rules_match(const char *cmd, size_t clen, const char *path,
    size_t plen)
{
	unsigned m = 0, gc = gates_of(cmd, clen), gp = gates_of(path, plen);
	size_t i;

	if ((gc | gp) == 0)	/* most commands and paths */
		return 0;
	for (i = 0; i < report_nrules; i++)
		if (((report_rules[i].gate_cmd & gc) ||
		    (report_rules[i].gate_path & gp)) &&
		    report_rules[i].match(cmd, clen, path, plen))
			m |= 1u << i;
	return m;
}
