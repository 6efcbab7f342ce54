/* nm-count.h: what the database-backed tests share. */
#ifndef BT_TEST_NM_COUNT_H
#define BT_TEST_NM_COUNT_H

#include <glib.h>

/* How many messages of the notmuch database that config names match query
 * (a cmocka failure when the database cannot be read). */
guint bt_test_nm_count (const char *config, const char *query);

#endif
