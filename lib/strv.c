/* strv.c: NULL-terminated string vectors. */
#include "config.h"

#include <string.h>
#include "strv.h"

int
bt_strv_cmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

bool
bt_strv_has (char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (strcmp (*v, s) == 0)
			return true;
	return false;
}
