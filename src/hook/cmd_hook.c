/*
 * cmd_hook.c - `auditship hook`: the appender Claude Code runs on every
 * tool call (SPEC §6).
 *
 * It reads the hook's JSON payload from stdin (bounded), builds one line
 * with hookjson_line() (redacted, tool_response cut), and appends it to
 * DIR/<day>.jsonl with a single write(2) on an O_APPEND descriptor.  It
 * always returns 0: a hook that fails must never get in the agent's way,
 * so every failure is one line on stderr and the call ends.
 *
 * It deliberately does not read the configuration itself (main.c passes
 * the one setting it needs, day_boundary), take locks, fsync, call NSS, or
 * allocate more than the payload and the line: Claude Code waits for it on
 * every action.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "err.h"
#include "fsutil.h"
#include "hookjson.h"
#include "caps.h"
#include "log.h"

/* Stop waiting for the end of a payload after this long in all: the hook
 * must not hang the agent on a writer that keeps stdin open. */
#define HOOK_STDIN_TIMEOUT_MS	10000

static int64_t
hook_now_ms(void)
{
	struct timespec t;

	if (clock_gettime(CLOCK_MONOTONIC, &t) == -1)
		return 0;
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct hook_opts {
	const char	*dir;		/* NULL: ~/.claude/audit */
	int		 day_local;	/* day_boundary = local (SPEC §2.1) */
	int		 minimal;
	size_t		 max_response;
	size_t		 max_payload;
};

static void
hook_usage(void)
{
	static const char text[] =
	    "usage: auditship hook [--dir DIR] [--minimal] [--max-response N]"
	    " [--max-payload N] [--day-boundary utc|local]\n"
	    "Append the Claude Code hook payload on stdin to DIR/YYYY-MM-DD.jsonl"
	    " (default ~/.claude/audit).\n"
	    "  --minimal         keep only event, session, tool, program and"
	    " exit status\n"
	    "  --max-response N  cut tool_response past N bytes (default 16K;"
	    " 0: never)\n"
	    "  --max-payload N   read at most N bytes of stdin (default 8M)\n"
	    "  --day-boundary B  name the file by the utc or local calendar day"
	    " (auditship hook: default the config's day_boundary, else utc;\n"
	    "                    auditship-hook reads no config: default utc)\n"
	    "  --version         print the version\n"
	    "Only a payload on stdin is ever recorded: --help and --version"
	    " read nothing and write nothing.\n";

	(void)!write(STDOUT_FILENO, text, sizeof(text) - 1);
}

static void
hook_version(void)
{
	static const char text[] = "auditship-hook " AUDITSHIP_VERSION "\n";

	(void)!write(STDOUT_FILENO, text, sizeof(text) - 1);
}

/* "16384", "16K", "8M", "1G": bytes, bounded. */
static int
hook_parse_size(const char *s, size_t *out)
{
	unsigned long long v = 0, mult = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > (1ull << 40))
			return -1;
	}
	switch (*p) {
	case '\0': break;
	case 'k': case 'K': mult = 1ull << 10; p++; break;
	case 'm': case 'M': mult = 1ull << 20; p++; break;
	case 'g': case 'G': mult = 1ull << 30; p++; break;
	default: return -1;
	}
	if (*p != '\0' || v * mult > (1ull << 40))
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

/*
 * Options.  A bad option is reported but does not stop the call: the
 * event is still recorded with the defaults (never lose an event to a
 * typo in settings.json).  Returns 1 when --help was asked, 2 for
 * --version: both print and end the call without reading stdin.
 */
static int
hook_parse_args(int argc, char **argv, struct hook_opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		size_t n;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		if (strcmp(a, "--version") == 0)
			return 2;
		if (strcmp(a, "--minimal") == 0) {
			o->minimal = 1;
			continue;
		}
		if (strncmp(a, "--dir=", 6) == 0) {
			o->dir = a + 6;
			continue;
		}
		if (strcmp(a, "--dir") == 0 && i + 1 < argc) {
			o->dir = argv[++i];
			continue;
		}
		if (strncmp(a, "--day-boundary", 14) == 0) {
			/* --day-boundary=B or --day-boundary B */
			if (a[14] == '=')
				val = a + 15;
			else if (a[14] == '\0' && i + 1 < argc)
				val = argv[++i];
			if (val != NULL && strcmp(val, "utc") == 0)
				o->day_local = 0;
			else if (val != NULL && strcmp(val, "local") == 0)
				o->day_local = 1;
			else
				log_warn("hook: --day-boundary must be utc or "
				    "local (default kept)");
			continue;
		}
		if (strncmp(a, "--max-response=", 15) == 0)
			val = a + 15;
		else if (strncmp(a, "--max-payload=", 14) == 0)
			val = a + 14;
		else if ((strcmp(a, "--max-response") == 0 ||
		    strcmp(a, "--max-payload") == 0) && i + 1 < argc)
			val = argv[++i];
		if (val == NULL) {
			log_warn("hook: unknown option %s (ignored)", a);
			continue;
		}
		if (hook_parse_size(val, &n) == -1) {
			log_warn("hook: %s: not a size: %s (default kept)",
			    a, val);
			continue;
		}
		if (a[6] == 'r')	/* --max-response */
			o->max_response = n;
		else if (n > 0)
			o->max_payload = n;
	}
	return 0;
}

/*
 * Read at most max bytes of stdin into b.  Sets *truncated when more was
 * there (the rest is left unread: the read is bounded by design) or when
 * the writer stalled past HOOK_STDIN_TIMEOUT_MS.
 */
static int
hook_read_stdin(struct buf *b, size_t max, int *truncated, struct err *e)
{
	struct stat st;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	size_t want;
	ssize_t n;
	int is_file;
	int64_t deadline = 0, left;

	*truncated = 0;
	is_file = fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode);
	/* One allocation for the usual payload; doubling past it. */
	want = is_file && (uint64_t)st.st_size < max ? (size_t)st.st_size + 1 :
	    (64u << 10);
	if (want > max + 1)
		want = max + 1;
	if (buf_reserve(b, want) == -1)
		return err_set(e, "read stdin: out of memory");
	for (;;) {
		if (b->len > max) {
			*truncated = 1;
			buf_truncate(b, max);
			return 0;
		}
		if (b->cap - b->len < 2 &&
		    buf_reserve(b, b->cap < max + 1 - b->len ? b->cap :
		    max + 1 - b->len) == -1)
			return err_set(e, "read stdin: out of memory");
		if (!is_file) {
			int r;

			if (deadline == 0)
				deadline = hook_now_ms() + HOOK_STDIN_TIMEOUT_MS;
			left = deadline - hook_now_ms();
			r = left <= 0 ? 0 : poll(&pfd, 1, (int)left);
			if (r == 0) {
				*truncated = 1;
				return err_set(e, "read stdin: no end of "
				    "payload after %d s; recording %zu bytes",
				    HOOK_STDIN_TIMEOUT_MS / 1000, b->len);
			}
			if (r < 0 && errno != EINTR)
				return err_sys(e, "poll stdin");
		}
		want = b->cap - 1 - b->len;
		if (want > max + 1 - b->len)
			want = max + 1 - b->len;
		n = read(STDIN_FILENO, b->p + b->len, want);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return err_sys(e, "read stdin");
		}
		b->len += (size_t)n;
		b->p[b->len] = '\0';
	}
}

/* mkdir -p for the audit directory: every level created 0700. */
static int
hook_mkdirs(const char *dir, struct err *e)
{
	size_t len = strlen(dir);

	if (len == 0 || len >= LIM_PATH)
		return err_set(e, "audit directory name too long");
	return fs_mkdirs(dir, 0700, FS_MKDIR_WHOLE, e);
}

/*
 * A short write (disk full, RLIMIT_FSIZE) left the first n bytes of our
 * line at the end of the file.  Left there, the next hook's line would be
 * glued to it and both would be lost to the shipper.  Our fd's offset is
 * the end of our fragment (O_APPEND moved it there under the inode lock);
 * when the file still ends there, nobody appended after us and the
 * fragment is cut off again.  Only if another writer slipped in between
 * fstat and ftruncate (it would need the space we could not get) is the
 * fragment left, to be reported by the shipper as one invalid line.
 */
static void
hook_drop_fragment(int fd, size_t n)
{
	struct stat st;
	off_t end;

	if (n == 0 || (end = lseek(fd, 0, SEEK_CUR)) == (off_t)-1 ||
	    (uint64_t)end < n || fstat(fd, &st) == -1 || st.st_size != end)
		return;
	(void)!ftruncate(fd, end - (off_t)n);
}

/*
 * Append line to DIR/<day> with exactly one write(2).
 *
 * Why lines never interleave, whatever their size: on Linux, write(2) to
 * a regular file opened with O_APPEND takes the inode lock (i_rwsem) for
 * the whole call, moves the offset to end-of-file under it and copies the
 * entire buffer before releasing it (generic_file_write_iter and the
 * ext4/xfs/btrfs/tmpfs write paths).  Two appenders are therefore
 * serialised per call, not per PIPE_BUF chunk: PIPE_BUF (4096) is the
 * atomicity limit of pipes and FIFOs only.  What can still break a line:
 * a short write when the disk or RLIMIT_FSIZE runs out (reported, and the
 * fragment removed again: hook_drop_fragment), and network file systems
 * (NFS emulates O_APPEND client-side): keep the audit directory on a local
 * disk.
 * tests/integ/hook_concurrent.sh runs 50 writers with lines of 100 KiB.
 */
static int
hook_append(const char *dir, const char *day, const struct buf *line,
    struct err *e)
{
	char path[LIM_PATH];
	ssize_t n;
	int fd = -1, rc = -1, k;

	k = snprintf(path, sizeof(path), "%s/%s", dir, day);
	if (k < 0 || (size_t)k >= sizeof(path))
		return err_set(e, "audit file name too long: %s/%s", dir, day);
	/* O_NONBLOCK: a FIFO planted under the day's name must not hang the
	 * agent (SPEC §6: the hook never blocks); anything but a regular
	 * file is refused. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY |
	    O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd == -1 && errno == ENOENT) {
		/* First call of all, or the directory was removed. */
		if (hook_mkdirs(dir, e) == -1)
			goto fail;
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
		    O_NOCTTY | O_NOFOLLOW | O_NONBLOCK, 0600);
	}
	if (fd == -1 && errno == ENXIO) {
		err_set(e, "%s: not a regular file (a FIFO); event not recorded", path);
		goto fail;
	}
	if (fd == -1) {
		err_sys(e, "open %s", path);
		goto fail;
	}
	{
		struct stat sb;
		int fl;

		if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
			err_set(e, "%s: not a regular file; event not recorded", path);
			goto fail;
		}
		if ((fl = fcntl(fd, F_GETFL)) != -1)
			(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	n = write(fd, line->p, line->len);
	if (n < 0) {
		err_sys(e, "write %s (%zu bytes)", path, line->len);
		goto fail;
	}
	if ((size_t)n != line->len) {
		hook_drop_fragment(fd, (size_t)n);
		err_set(e, "write %s: short write, %zd of %zu bytes (disk full "
		    "or file size limit?); event not recorded", path, n,
		    line->len);
		goto fail;
	}
	rc = 0;
fail:
	if (fd != -1 && close(fd) == -1 && rc == 0)
		rc = err_sys(e, "close %s", path);
	return rc;
}

/*
 * A hook started with fd 0, 1 or 2 closed would otherwise get its audit
 * file as that descriptor, and a diagnostic written to "stderr" would land
 * in the audit trail.  Plug the holes with /dev/null.
 */
static void
hook_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) == -1)
			return;
}

/*
 * The login name of uid, read from /etc/passwd directly rather than with
 * getpwuid(3): NSS may ask nscd, sssd or LDAP, which can take seconds on
 * a laptop off the corporate network, and the hook must never make the
 * agent wait.  Users that only a directory service knows fall back to
 * $USER / $LOGNAME (set by login), then to the numeric uid.
 */
static void
hook_user(uid_t uid, char *out, size_t outsz)
{
	struct buf pw;
	const char *line, *end, *nl, *c1, *c2, *c3, *env;
	char num[24];
	size_t nlen;
	ssize_t n;
	int fd, k;

	buf_init(&pw, 1u << 20);
	if ((fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC)) != -1) {
		while (buf_reserve(&pw, 16384) == 0 &&
		    (n = read(fd, pw.p + pw.len, pw.cap - 1 - pw.len)) > 0)
			pw.len += (size_t)n;
		close(fd);
	}
	k = snprintf(num, sizeof(num), "%u", (unsigned)uid);
	if (k < 0 || (size_t)k >= sizeof(num))
		num[0] = '\0';
	/* name:password:UID:GID:gecos:home:shell */
	for (line = pw.p, end = pw.p + pw.len; line != NULL && line < end;
	    line = nl != NULL ? nl + 1 : NULL) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if ((c1 = memchr(line, ':', (size_t)((nl ? nl : end) - line))) ==
		    NULL || (c2 = memchr(c1 + 1, ':', (size_t)((nl ? nl : end) -
		    c1 - 1))) == NULL || (c3 = memchr(c2 + 1, ':', (size_t)((nl ?
		    nl : end) - c2 - 1))) == NULL)
			continue;
		nlen = (size_t)(c1 - line);
		if ((size_t)(c3 - c2 - 1) == strlen(num) &&
		    memcmp(c2 + 1, num, strlen(num)) == 0 && nlen > 0 &&
		    nlen < outsz) {
			memcpy(out, line, nlen);
			out[nlen] = '\0';
			buf_free(&pw);
			return;
		}
	}
	buf_free(&pw);
	if (((env = getenv("USER")) != NULL && env[0] != '\0') ||
	    ((env = getenv("LOGNAME")) != NULL && env[0] != '\0')) {
		if (strlen(env) < outsz) {
			memcpy(out, env, strlen(env) + 1);
			return;
		}
	}
	if (strlen(num) < outsz)
		memcpy(out, num, strlen(num) + 1);
	else
		out[0] = '\0';
}

static const char *
hook_default_dir(char *buf, size_t size)
{
	const char *home = getenv("HOME");
	struct passwd *pw;
	int n;

	if (home == NULL || home[0] == '\0') {
		if ((pw = getpwuid(getuid())) == NULL)
			return NULL;
		home = pw->pw_dir;
	}
	n = snprintf(buf, size, "%s/.claude/audit", home);
	if (n < 0 || (size_t)n >= size)
		return NULL;
	return buf;
}

int
cmd_hook(int argc, char **argv, int day_local)
{
	struct hook_opts o = {
		.day_local = day_local,
		.max_response = LIM_HOOK_RESPONSE,
		.max_payload = LIM_HOOK_PAYLOAD,
	};
	struct hookjson_in in;
	struct buf payload, line;
	struct err e = { 0 };
	struct timespec now;
	char ts[32], day[32], host[256], user[64], dirbuf[LIM_PATH];
	const char *dir;
	int truncated = 0;

	buf_init(&payload, o.max_payload + 1);
	buf_init(&line, LIM_HOOK_LINE);
	/* A full disk under RLIMIT_FSIZE must be an error, not a kill; a
	 * closed stderr must not kill us either. */
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	hook_std_fds();

	switch (hook_parse_args(argc, argv, &o)) {
	case 1:
		hook_usage();
		goto done;
	case 2:
		hook_version();
		goto done;
	}
	/* A payload comes from Claude Code through a pipe; on a terminal
	 * nobody is sending one (someone typed the command to try it):
	 * say so instead of waiting, and record nothing. */
	if (isatty(STDIN_FILENO)) {
		log_error("hook: stdin is a terminal; the hook reads a Claude "
		    "Code hook payload on stdin (see --help); nothing recorded");
		goto done;
	}
	payload.max = o.max_payload + 1;
	/* The clock is read before stdin: ts is when the hook fired. */
	if (clock_gettime(CLOCK_REALTIME, &now) == -1) {
		now.tv_sec = time(NULL);
		now.tv_nsec = 0;
	}
	if (hook_read_stdin(&payload, o.max_payload, &truncated, &e) == -1) {
		log_error("hook: %s", e.msg);
		err_clear(&e);
	}

	if (gethostname(host, sizeof(host)) == -1)
		memcpy(host, "unknown", 8);
	host[sizeof(host) - 1] = '\0';
	hook_user(geteuid(), user, sizeof(user));

	hookjson_ts(now.tv_sec, now.tv_nsec / 1000000, ts);
	if (hookjson_day_file(now.tv_sec, o.day_local, day) == -1) {
		log_error("hook: cannot compute today's file name");
		goto done;
	}
	memset(&in, 0, sizeof(in));
	in.ts = ts;
	in.host = host;
	in.user = user;
	in.payload = payload.p != NULL ? payload.p : "";
	in.payload_len = payload.len;
	in.payload_truncated = truncated;
	in.minimal = o.minimal;
	in.max_response = o.max_response;
	if (hookjson_line(&line, &in) == -1) {
		/* Only a payload that escapes past LIM_HOOK_LINE gets here:
		 * record the event without it rather than not at all. */
		in.payload_len = 0;
		in.payload_truncated = 1;
		if (hookjson_line(&line, &in) == -1) {
			log_error("hook: out of memory building the line");
			goto done;
		}
	}
	dir = o.dir != NULL ? o.dir : hook_default_dir(dirbuf, sizeof(dirbuf));
	if (dir == NULL) {
		log_error("hook: no home directory for the default "
		    "~/.claude/audit; use --dir");
		goto done;
	}
	if (hook_append(dir, day, &line, &e) == -1)
		log_error("hook: %s", e.msg);
done:
	buf_free_secret(&payload);
	buf_free(&line);
	return 0;
}
