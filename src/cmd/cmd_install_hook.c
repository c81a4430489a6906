/*
 * cmd_install_hook.c - `auditship install-hook` (SPEC §6): register the
 * appender auditship-hook for every audit event in Claude Code's settings
 * (~/.claude/settings.json, --settings FILE, or with --managed the
 * system-wide policy drop-in), or take it out again with --uninstall.
 *
 * The tree work is hookset.c/sjson.c (pure, unit-tested); this file finds
 * the appender, reads and writes the file:
 * - the file is written through a symlink (the link stays a link), by
 *   temp file + fsync + rename, keeping its mode (managed: 0644);
 * - before the first change that adds our entries to an existing file,
 *   its bytes are kept as FILE.auditship-backup; --uninstall puts those
 *   bytes back when what is left equals them (nothing else changed), and
 *   removes a file that only auditship had created;
 * - a file that is not JSON, or not shaped as Claude Code reads it, is
 *   refused (exit 2) and left alone; so is a missing appender.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "err.h"
#include "fsutil.h"
#include "hookset.h"
#include "log.h"
#include "sjson.h"

#define IH_MANAGED_DIR	"/etc/claude-code/managed-settings.d"
#define IH_MANAGED_FILE	"50-auditship.json"
#define IH_BACKUP	".auditship-backup"

static const char ih_usage[] =
    "usage: auditship install-hook [--settings FILE | --managed [--root DIR]]\n"
    "                              [--minimal] [--dir AUDIT_DIR]"
    " [--day-boundary utc|local]\n"
    "                              [--hook PATH] [--dry-run] [--uninstall]\n"
    "  Register auditship-hook for every audit event of Claude Code\n"
    "  (matcher \"\", \"timeout\": 5) in ~/.claude/settings.json, in FILE, or\n"
    "  with --managed in " IH_MANAGED_DIR "/" IH_MANAGED_FILE "\n"
    "  (under DIR with --root).  --uninstall removes exactly those entries.\n"
    "  --hook PATH  the appender to register (default: auditship-hook beside\n"
    "               this binary, else on PATH, else /usr/bin/auditship-hook)\n"
    "  --dry-run    print the resulting settings, write nothing\n";

struct ih_opts {
	const char	*settings, *root, *dir, *hook;
	int		 managed, minimal, uninstall, dry_run;
	int		 day_local;	/* -1: not given */
};

static int
ih_parse(int argc, char **argv, struct ih_opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(ih_usage, stdout);
			return 1;
		} else if (strcmp(a, "--managed") == 0)
			o->managed = 1;
		else if (strcmp(a, "--minimal") == 0)
			o->minimal = 1;
		else if (strcmp(a, "--uninstall") == 0)
			o->uninstall = 1;
		else if (strcmp(a, "--dry-run") == 0)
			o->dry_run = 1;
		else if (strcmp(a, "--settings") == 0)
			slot = &o->settings;
		else if (strcmp(a, "--root") == 0)
			slot = &o->root;
		else if (strcmp(a, "--dir") == 0)
			slot = &o->dir;
		else if (strcmp(a, "--hook") == 0)
			slot = &o->hook;
		else if (strcmp(a, "--day-boundary") == 0) {
			if (i + 1 >= argc || (strcmp(argv[i + 1], "utc") != 0 &&
			    strcmp(argv[i + 1], "local") != 0)) {
				log_error("install-hook: --day-boundary takes "
				    "utc or local");
				return -1;
			}
			o->day_local = strcmp(argv[++i], "local") == 0;
		} else {
			log_error("install-hook: unknown option %s (see "
			    "auditship install-hook --help)", a);
			return -1;
		}
		if (slot != NULL) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0') {
				log_error("install-hook: %s needs a value", a);
				return -1;
			}
			*slot = argv[++i];
		}
	}
	if (o->managed && o->settings != NULL) {
		log_error("install-hook: --settings and --managed exclude each "
		    "other");
		return -1;
	}
	if (o->root != NULL && !o->managed) {
		log_error("install-hook: --root only applies to --managed");
		return -1;
	}
	return 0;
}

/* An executable regular file. */
static int
ih_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* The absolute path of the appender into out, or -1 (and why). */
static int
ih_find_hook(const char *given, char *out, size_t outsz, struct err *e)
{
	char self[PATH_MAX], cand[PATH_MAX + 32], *slash;
	const char *path, *p, *colon;
	ssize_t n;
	int k;

	if (given != NULL) {
		if (!ih_executable(given))
			return err_set(e, "%s does not exist or is not an "
			    "executable file", given);
		if (realpath(given, self) == NULL)
			return err_sys(e, "%s", given);
		if (strlen(self) >= outsz)
			return err_set(e, "%s: path too long", given);
		memcpy(out, self, strlen(self) + 1);
		return 0;
	}
	/* Beside the running binary (a build tree, or /usr/bin). */
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			k = snprintf(cand, sizeof(cand), "%s/auditship-hook",
			    self);
			if (k > 0 && (size_t)k < outsz && ih_executable(cand)) {
				memcpy(out, cand, (size_t)k + 1);
				return 0;
			}
		}
	}
	if ((path = getenv("PATH")) != NULL)
		for (p = path; *p != '\0'; p = *colon ? colon + 1 : colon) {
			colon = strchr(p, ':');
			if (colon == NULL)
				colon = p + strlen(p);
			if (colon - p == 0 || p[0] != '/')
				continue;	/* only absolute PATH entries */
			k = snprintf(cand, sizeof(cand), "%.*s/auditship-hook",
			    (int)(colon - p), p);
			if (k > 0 && (size_t)k < outsz && ih_executable(cand)) {
				memcpy(out, cand, (size_t)k + 1);
				return 0;
			}
		}
	if (ih_executable("/usr/bin/auditship-hook")) {
		snprintf(out, outsz, "/usr/bin/auditship-hook");
		return 0;
	}
	return err_set(e, "the appender auditship-hook is not installed (looked "
	    "beside this binary, on PATH and in /usr/bin); install it or name "
	    "it with --hook PATH");
}

/* Read all of path (at most LIM_SJSON_FILE); *exists = 0 when absent. */
static int
ih_read(const char *path, struct buf *out, int *exists, mode_t *mode,
    struct err *e)
{
	struct stat st;
	char chunk[8192];
	ssize_t n;
	int fd;

	*exists = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		return err_sys(e, "open %s", path);
	}
	*exists = 1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, "%s is not a regular file", path);
	}
	*mode = st.st_mode & 07777;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_sys(e, "read %s", path);
			close(fd);
			return -1;
		}
		if (buf_add(out, chunk, (size_t)n) == -1) {
			close(fd);
			return err_set(e, "%s is larger than %u bytes", path,
			    LIM_SJSON_FILE);
		}
	}
	close(fd);
	return 0;
}

/* Replace path with data, durably, with exactly mode (not umask's). */
static int
ih_write(const char *path, const struct buf *data, mode_t mode,
    struct err *e)
{
	if (fs_atomic_write(path, data->p, data->len, (int)mode, e) == -1)
		return -1;
	if (chmod(path, mode) == -1)
		return err_sys(e, "chmod %s", path);
	return 0;
}

/* Only whitespace: a settings file someone emptied counts as {}. */
static int
ih_blank(const struct buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (!strchr(" \t\r\n", b->p[i]))
			return 0;
	return 1;
}

static int
ih_parse_file(const char *path, const struct buf *text, struct sj **root,
    struct err *e)
{
	struct err pe = { 0, "" };

	if (ih_blank(text)) {
		*root = sj_new(SJ_OBJ);
		return *root != NULL ? 0 : err_set(e, "out of memory");
	}
	if (sj_parse(text->p, text->len, root, &pe) == -1)
		return err_set(e, "%s is not valid JSON (%s); refusing to "
		    "touch it", path, pe.msg);
	if (hookset_check(*root, &pe) == -1) {
		sj_free(*root);
		*root = NULL;
		return err_set(e, "%s: %s; refusing to touch it", path, pe.msg);
	}
	return 0;
}

/* The command line Claude Code will run. */
static int
ih_command(const struct ih_opts *o, const char *hook, struct buf *cmd,
    struct err *e)
{
	char abs[PATH_MAX];

	if (hookset_quote(cmd, hook) == -1 ||
	    (o->minimal && buf_adds(cmd, " --minimal") == -1))
		return err_set(e, "command too long");
	if (o->dir != NULL) {
		/* Hooks run in the project's directory: a relative --dir
		 * would scatter audit files across projects. */
		if (o->dir[0] == '/')
			snprintf(abs, sizeof(abs), "%s", o->dir);
		else if (getcwd(abs, sizeof(abs)) == NULL ||
		    strlen(abs) + 1 + strlen(o->dir) >= sizeof(abs))
			return err_set(e, "--dir: cannot make %s absolute",
			    o->dir);
		else {
			size_t l = strlen(abs);

			abs[l] = '/';
			memcpy(abs + l + 1, o->dir, strlen(o->dir) + 1);
		}
		if (buf_adds(cmd, " --dir ") == -1 ||
		    hookset_quote(cmd, abs) == -1)
			return err_set(e, "command too long");
	}
	/* auditship-hook reads no config: pass the calendar it must use. */
	if (o->day_local == 1 && buf_adds(cmd, " --day-boundary local") == -1)
		return err_set(e, "command too long");
	return 0;
}

int
cmd_install_hook(int argc, char **argv, int day_local)
{
	struct ih_opts o = { .day_local = -1 };
	char hook[PATH_MAX], given[PATH_MAX], target[PATH_MAX],
	    backup[PATH_MAX + 32], *home;
	struct buf text, out, cmd, btext;
	struct sj *root = NULL, *broot = NULL;
	struct stat lst;
	struct err e = { 0, "" };
	mode_t mode = 0600, bmode;
	int exists = 0, bexists = 0, had_ours, rc = EXIT_USAGE, k;

	buf_init(&text, LIM_SJSON_FILE);
	buf_init(&out, 2 * LIM_SJSON_FILE);
	buf_init(&cmd, 16384);
	buf_init(&btext, LIM_SJSON_FILE);
	if ((k = ih_parse(argc, argv, &o)) != 0) {
		rc = k == 1 ? EXIT_OK : EXIT_USAGE;
		goto done;
	}
	if (o.day_local == -1)
		o.day_local = day_local;

	if (o.managed)
		k = snprintf(given, sizeof(given), "%s%s/%s", o.root != NULL ?
		    o.root : "", IH_MANAGED_DIR, IH_MANAGED_FILE);
	else if (o.settings != NULL)
		k = snprintf(given, sizeof(given), "%s", o.settings);
	else if ((home = getenv("HOME")) != NULL && home[0] == '/')
		k = snprintf(given, sizeof(given), "%s/.claude/settings.json",
		    home);
	else {
		log_error("install-hook: no $HOME; name the file with "
		    "--settings FILE");
		goto done;
	}
	if (k < 0 || (size_t)k >= sizeof(given)) {
		log_error("install-hook: settings path too long");
		goto done;
	}
	/* Written through a symlink: the link's target is the file. */
	if (lstat(given, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		if (realpath(given, target) == NULL) {
			log_error("install-hook: %s is a symlink to nothing "
			    "(%s); refusing to guess", given, strerror(errno));
			goto done;
		}
	} else
		memcpy(target, given, strlen(given) + 1);
	snprintf(backup, sizeof(backup), "%s%s", target, IH_BACKUP);

	if (!o.uninstall) {
		if (ih_find_hook(o.hook, hook, sizeof(hook), &e) == -1) {
			log_error("install-hook: %s; nothing written", e.msg);
			goto done;
		}
		if (ih_command(&o, hook, &cmd, &e) == -1) {
			log_error("install-hook: %s", e.msg);
			goto done;
		}
	}
	if (ih_read(target, &text, &exists, &mode, &e) == -1 ||
	    ih_parse_file(target, &text, &root, &e) == -1) {
		log_error("install-hook: %s", e.msg);
		goto done;
	}
	if (o.managed)
		mode = 0644;	/* every user's Claude Code reads it */
	had_ours = hookset_has_ours(root);
	if (sj_write(root, &btext) == -1 ||
	    hookset_apply(root, o.uninstall ? NULL : cmd.p, &e) == -1 ||
	    sj_write(root, &out) == -1) {
		log_error("install-hook: %s: %s", target, e.msg[0] ? e.msg :
		    "too large");
		goto done;
	}
	if (o.dry_run) {
		fwrite(out.p, 1, out.len, stdout);
		rc = EXIT_OK;
		goto done;
	}
	if (exists && out.len == btext.len &&
	    memcmp(out.p, btext.p, out.len) == 0) {
		printf("install-hook: %s %s; nothing to do\n", target,
		    o.uninstall ? "holds no auditship hook" : "already runs");
		rc = EXIT_OK;
		goto done;
	}
	if (!exists && o.uninstall) {
		printf("install-hook: %s does not exist; nothing to do\n",
		    target);
		rc = EXIT_OK;
		goto done;
	}

	if (o.uninstall) {
		buf_reset(&btext);
		if (ih_read(backup, &btext, &bexists, &bmode, &e) == 0 &&
		    bexists && !ih_blank(&btext) &&
		    sj_parse(btext.p, btext.len, &broot, &e) == 0 &&
		    sj_equal(root, broot)) {
			/* Nothing else changed: the original bytes back. */
			if (ih_write(target, &btext, mode, &e) == -1) {
				log_error("install-hook: %s", e.msg);
				goto done;
			}
			(void)unlink(backup);
			printf("install-hook: removed the auditship hooks from "
			    "%s (its original bytes restored)\n", target);
			rc = EXIT_OK;
			goto done;
		}
		if (!bexists && root->child == NULL) {
			/* auditship created it: nothing of anyone else's. */
			if (unlink(target) == -1) {
				log_error("install-hook: unlink %s: %s", target,
				    strerror(errno));
				goto done;
			}
			printf("install-hook: removed %s (only the auditship "
			    "hooks were in it)\n", target);
			rc = EXIT_OK;
			goto done;
		}
	} else if (exists && !had_ours) {
		/* The file as it was before auditship: kept for --uninstall. */
		if (ih_write(backup, &text, mode, &e) == -1) {
			log_error("install-hook: backup: %s; nothing written",
			    e.msg);
			goto done;
		}
	}
	if (!exists && fs_mkdirs(target, o.managed ? 0755 : 0700,
	    FS_MKDIR_EXACT, &e) == -1) {
		log_error("install-hook: %s", e.msg);
		goto done;
	}
	if (o.managed) {
		/* The policy directory must be readable by every user. */
		char d[PATH_MAX], *slash;

		memcpy(d, target, strlen(target) + 1);
		if ((slash = strrchr(d, '/')) != NULL && slash != d) {
			*slash = '\0';
			if (chmod(d, 0755) == -1)
				log_warn("install-hook: chmod 0755 %s: %s", d,
				    strerror(errno));
		}
	}
	if (ih_write(target, &out, mode, &e) == -1) {
		log_error("install-hook: %s", e.msg);
		goto done;
	}
	if (o.uninstall)
		printf("install-hook: removed the auditship hooks from %s\n",
		    target);
	else {
		printf("install-hook: %s %s", exists ? "updated" : "wrote",
		    target);
		if (exists && !had_ours)
			printf(" (the previous file is kept as %s)", backup);
		for (k = 0; hookset_events[k] != NULL; k++)
			;
		printf("\ninstall-hook: hook command: %s (%d events)\n", cmd.p,
		    k);
	}
	rc = EXIT_OK;
done:
	sj_free(root);
	sj_free(broot);
	buf_free(&text);
	buf_free(&out);
	buf_free(&cmd);
	buf_free(&btext);
	return rc;
}
