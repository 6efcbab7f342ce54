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

static bool
array_has (const GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp (a->pdata[i], s) == 0)
			return true;
	return false;
}

/* Copies of v's strings that are neither in except nor in a already. */
static void
add_new (GPtrArray *a, char *const *v, char *const *except)
{
	for (; v && *v; v++)
		if (!bt_strv_has (except, *v) && !array_has (a, *v))
			g_ptr_array_add (a, g_strdup (*v));
}

char **
bt_strv_edit (char *const *v, char *const *add, char *const *remove)
{
	GPtrArray *a = g_ptr_array_new ();

	add_new (a, v, remove);
	add_new (a, add, NULL);
	g_ptr_array_sort (a, bt_strv_cmp);
	g_ptr_array_add (a, NULL);
	return (char **) g_ptr_array_free (a, FALSE);
}

char **
bt_strv_minus (char *const *a, char *const *b)
{
	GPtrArray *r = g_ptr_array_new ();

	for (; a && *a; a++)
		if (!bt_strv_has (b, *a))
			g_ptr_array_add (r, g_strdup (*a));
	g_ptr_array_add (r, NULL);
	return (char **) g_ptr_array_free (r, FALSE);
}
