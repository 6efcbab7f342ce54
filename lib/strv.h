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

#endif
