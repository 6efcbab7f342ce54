/* nm-count.c: count messages in a test's notmuch database, read-only, as a
 * person would check the result of a tag change. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <notmuch.h>
#include "nm-count.h"

guint
bt_test_nm_count (const char *config, const char *query)
{
	notmuch_database_t *db = NULL;
	notmuch_query_t *q;
	unsigned int n = 0;
	char *msg = NULL;

	assert_int_equal (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_ONLY,
							     config, NULL, &db, &msg), NOTMUCH_STATUS_SUCCESS);
	q = notmuch_query_create (db, query);
	assert_int_equal (notmuch_query_count_messages (q, &n), NOTMUCH_STATUS_SUCCESS);
	notmuch_query_destroy (q);
	notmuch_database_destroy (db);
	free (msg);
	return n;
}
