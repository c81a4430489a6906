/*
 * dest.c - the table of destination types (see dest.h).
 */
#include <string.h>

#include "dest.h"

static const struct dest_ops *const dest_table[] = {
	&dest_dir_ops,
	&dest_syslog_ops,
	&dest_http_ops,
	&dest_s3_ops,
	&dest_otlp_ops,
	&dest_relp_ops,
};

const struct dest_ops *
dest_find(const char *type)
{
	size_t i;

	if (type == NULL)
		return NULL;
	for (i = 0; i < sizeof(dest_table) / sizeof(dest_table[0]); i++)
		if (strcmp(dest_table[i]->type, type) == 0)
			return dest_table[i];
	return NULL;
}
