/*
 * fuzz_source.c - day-file name matching (source.c, pure part).  Input:
 * pattern NUL name.  Oracles: a name that matches renders back from its
 * date (plus ".gz"), and the date is a YYYY-MM-DD.
 */
#include "fuzz.h"
#include "source.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *part[2], *mem, date[11], back[4200];
	int gz = 0;

	fuzz_split(data, size, part, 2, &mem);
	if (source_match(part[0], part[1], date, &gz) == 1) {
		FUZZ_CHECK(strlen(date) == 10 && date[4] == '-' && date[7] == '-',
		    "date shape");
		FUZZ_CHECK(source_name_for(part[0], date, back, sizeof(back) - 3) == 0,
		    "name renders");
		if (gz)
			memcpy(back + strlen(back), ".gz", 4);
		FUZZ_CHECK(strcmp(back, part[1]) == 0, "match renders back");
	}
	free(mem);
	return 0;
}
