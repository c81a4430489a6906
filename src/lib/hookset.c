/*
 * hookset.c - see hookset.h.
 */
#include <string.h>

#include "hookset.h"

const char *const hookset_events[] = {
	"SessionStart", "SessionEnd", "UserPromptSubmit", "PreToolUse",
	"PostToolUse", "PostToolUseFailure", "PermissionDenied",
	"SubagentStart", "SubagentStop", "Stop", "PreCompact", "Notification",
	"ConfigChange", NULL
};

/* Events whose hooks are chosen by a tool-name matcher: ours matches all. */
static int
hookset_tool_event(const char *ev)
{
	return strcmp(ev, "PreToolUse") == 0 || strcmp(ev, "PostToolUse") == 0 ||
	    strcmp(ev, "PostToolUseFailure") == 0 ||
	    strcmp(ev, "PermissionDenied") == 0;
}

/* The next shell word of *s (quotes and backslashes as sh reads them). */
static int
hookset_word(const char **s, char *out, size_t outsz)
{
	const char *p = *s;
	size_t k = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return -1;
	for (; *p != '\0' && *p != ' ' && *p != '\t'; p++) {
		if (*p == '\'') {
			for (p++; *p != '\0' && *p != '\''; p++)
				if (k + 1 < outsz)
					out[k++] = *p;
			if (*p == '\0')
				return -1;
			continue;
		}
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				if (k + 1 < outsz)
					out[k++] = *p;
			}
			if (*p == '\0')
				return -1;
			continue;
		}
		if (*p == '\\' && p[1] != '\0')
			p++;
		if (k + 1 < outsz)
			out[k++] = *p;
	}
	out[k] = '\0';
	*s = p;
	return 0;
}

int
hookset_is_ours(const char *command)
{
	char w[4096];
	const char *base, *p = command;

	if (hookset_word(&p, w, sizeof(w)) == -1)
		return 0;
	base = strrchr(w, '/');
	base = base != NULL ? base + 1 : w;
	if (strcmp(base, "auditship-hook") == 0)
		return 1;
	if (strcmp(base, "auditship") != 0)
		return 0;
	/* auditship [-c FILE] hook ... */
	while (hookset_word(&p, w, sizeof(w)) == 0) {
		if (strcmp(w, "hook") == 0)
			return 1;
		if (strcmp(w, "-c") == 0 || strcmp(w, "--config") == 0) {
			if (hookset_word(&p, w, sizeof(w)) == -1)
				return 0;
			continue;
		}
		if (strcmp(w, "-v") != 0)
			return 0;
	}
	return 0;
}

int
hookset_quote(struct buf *out, const char *word)
{
	const char *p;
	int plain = word[0] != '\0';

	for (p = word; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._-+=:,@%", *p) != NULL))
			plain = 0;
	if (plain)
		return buf_adds(out, word);
	if (buf_addc(out, '\'') == -1)
		return -1;
	for (p = word; *p != '\0'; p++)
		if (*p == '\'' ? buf_adds(out, "'\\''") == -1 :
		    buf_addc(out, *p) == -1)
			return -1;
	return buf_addc(out, '\'');
}

int
hookset_check(const struct sj *root, struct err *e)
{
	const struct sj *hooks, *ev, *g, *h;

	if (root->type != SJ_OBJ)
		return err_set(e, "the top level is not a JSON object");
	if ((hooks = sj_get(root, "hooks")) == NULL)
		return 0;
	if (hooks->type != SJ_OBJ)
		return err_set(e, "\"hooks\" is not an object");
	for (ev = hooks->child; ev != NULL; ev = ev->next) {
		if (ev->type != SJ_ARR)
			return err_set(e, "hooks.%s is not a list", ev->key);
		for (g = ev->child; g != NULL; g = g->next) {
			if (g->type != SJ_OBJ)
				return err_set(e, "hooks.%s holds an entry that "
				    "is not {\"matcher\", \"hooks\": [...]}",
				    ev->key);
			if ((h = sj_get(g, "hooks")) != NULL && h->type != SJ_ARR)
				return err_set(e, "hooks.%s: \"hooks\" of an "
				    "entry is not a list", ev->key);
		}
	}
	return 0;
}

/* A command hook running the appender (a hook object of ours). */
static int
hookset_node_ours(const struct sj *h)
{
	char type[32], cmd[8192];

	if (h->type != SJ_OBJ ||
	    sj_string(sj_get(h, "type"), type, sizeof(type)) == -1 ||
	    strcmp(type, "command") != 0 ||
	    sj_string(sj_get(h, "command"), cmd, sizeof(cmd)) == -1)
		return 0;
	return hookset_is_ours(cmd);
}

static struct sj *
hookset_entry(const char *command)
{
	struct sj *h = sj_new(SJ_OBJ);

	if (h == NULL || sj_add(h, "type", sj_str("command")) == -1 ||
	    sj_add(h, "command", sj_str(command)) == -1 ||
	    sj_add(h, "timeout", sj_num(HOOKSET_TIMEOUT)) == -1) {
		sj_free(h);
		return NULL;
	}
	return h;
}

int
hookset_has_ours(const struct sj *root)
{
	const struct sj *hooks = sj_get(root, "hooks"), *ev, *g, *h;

	if (hooks == NULL || hooks->type != SJ_OBJ)
		return 0;
	for (ev = hooks->child; ev != NULL; ev = ev->next)
		for (g = ev->type == SJ_ARR ? ev->child : NULL; g != NULL;
		    g = g->next)
			for (h = sj_get(g, "hooks") ? sj_get(g, "hooks")->child :
			    NULL; h != NULL; h = h->next)
				if (hookset_node_ours(h))
					return 1;
	return 0;
}

/* Our entries of one event list: update or remove; 1 when one is left. */
static int
hookset_event(struct sj *list, const char *command, struct err *e)
{
	struct sj *g, *gn, *hl, *h, *hn, *fresh;
	int placed = 0, mine;

	for (g = list->child; g != NULL; g = gn) {
		gn = g->next;
		if ((hl = sj_get(g, "hooks")) == NULL)
			continue;
		mine = 0;
		for (h = hl->child; h != NULL; h = hn) {
			hn = h->next;
			if (!hookset_node_ours(h))
				continue;
			mine = 1;
			if (command == NULL || placed) {
				sj_remove(hl, h);
				continue;
			}
			placed = 1;
			if ((fresh = hookset_entry(command)) == NULL)
				return err_set(e, "out of memory");
			if (!sj_equal(h, fresh)) {
				/* Same place in the list, our members. */
				struct sj *old = h->child;

				h->child = fresh->child;
				fresh->child = old;
			}
			sj_free(fresh);
		}
		if (mine && hl->child == NULL)
			sj_remove(list, g);	/* a group only we filled */
	}
	return placed;
}

int
hookset_apply(struct sj *root, const char *command, struct err *e)
{
	struct sj *hooks, *list, *g, *hl;
	const char *const *ev;
	int placed, made_hooks = 0, had, was_empty;

	if (hookset_check(root, e) == -1)
		return -1;
	if ((hooks = sj_get(root, "hooks")) == NULL) {
		if (command == NULL)
			return 0;
		if ((hooks = sj_new(SJ_OBJ)) == NULL ||
		    sj_add(root, "hooks", hooks) == -1) {
			sj_free(hooks);
			return err_set(e, "out of memory");
		}
		made_hooks = 1;
	}
	was_empty = hooks->child == NULL;
	for (ev = hookset_events; *ev != NULL; ev++) {
		list = sj_get(hooks, *ev);
		had = list != NULL && list->child != NULL;
		placed = 0;
		if (list != NULL && (placed = hookset_event(list, command, e)) == -1)
			return -1;
		if (command != NULL && !placed) {
			if (list == NULL && ((list = sj_new(SJ_ARR)) == NULL ||
			    sj_add(hooks, *ev, list) == -1)) {
				sj_free(list);
				return err_set(e, "out of memory");
			}
			if ((g = sj_new(SJ_OBJ)) == NULL ||
			    sj_add(list, NULL, g) == -1) {
				sj_free(g);
				return err_set(e, "out of memory");
			}
			if ((hookset_tool_event(*ev) &&
			    sj_add(g, "matcher", sj_str("")) == -1) ||
			    (hl = sj_new(SJ_ARR)) == NULL ||
			    sj_add(g, "hooks", hl) == -1 ||
			    sj_add(hl, NULL, hookset_entry(command)) == -1)
				return err_set(e, "out of memory");
		}
		if (list != NULL && list->child == NULL && had)
			sj_remove(hooks, list);	/* only ours were there */
	}
	if (command == NULL && hooks->child == NULL && !made_hooks && !was_empty)
		sj_remove(root, hooks);
	return 0;
}
