/* strv.h: NULL-terminated string vectors (char **, g_strfreev), as tags
 * and journal entries hold them. */
#ifndef BT_STRV_H
#define BT_STRV_H

#include <stdbool.h>
#include <glib.h>

/* strcmp for g_ptr_array_sort of char *. */
int bt_strv_cmp (gconstpointer a, gconstpointer b);
/* True when v (NULL: empty) holds s. */
bool bt_strv_has (char *const *v, const char *s);
/* v - remove + add, sorted, without duplicates (g_strfreev).  Any of the
 * three may be NULL: bt_strv_edit (v, NULL, NULL) is a sorted copy. */
char **bt_strv_edit (char *const *v, char *const *add, char *const *remove);
/* The strings of a that are not in b, in a's order (g_strfreev). */
char **bt_strv_minus (char *const *a, char *const *b);

#endif
