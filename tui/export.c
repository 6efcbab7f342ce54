/* export.c: CSV of recipients (export.h). */
#include "config.h"

#include <string.h>
#include "export.h"
#include "feed.h"
#include "sanitize.h"

typedef struct {
	const bt_row_t *last;
	guint count;
} export_entry_t;

/* Fields are sanitised too: a CSV is often shown with cat. */
static void
export_field (GString *out, const char *s)
{
	char *clean = bt_sanitize (s, -1, BT_SANITIZE_LINE);
	const char *v = clean;
	bool quote = strpbrk (v, ",\"\r\n") != NULL;

	if (quote)
		g_string_append_c (out, '"');
	if (strchr ("=+-@", v[0]) && v[0])
		g_string_append_c (out, '\'');
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			g_string_append_c (out, '"');
		g_string_append_c (out, *p);
	}
	if (quote)
		g_string_append_c (out, '"');
	g_free (clean);
}

static char *
export_date (gint64 t)
{
	GDateTime *dt;
	char *s;

	if (t <= 0)
		return g_strdup ("");
	dt = g_date_time_new_from_unix_utc (t);
	if (dt == NULL)
		return g_strdup ("");
	s = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref (dt);
	return s;
}

guint
bt_export_csv (GPtrArray *rows, GString *out)
{
	GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	GPtrArray *order = g_ptr_array_new ();
	guint n;

	for (guint i = 0; i < rows->len; i++) {
		const bt_row_t *r = rows->pdata[i];
		char *key = g_utf8_strdown (r->recipient ? r->recipient : "", -1);
		export_entry_t *e = g_hash_table_lookup (seen, key);

		if (e == NULL) {
			e = g_new0 (export_entry_t, 1);
			g_hash_table_insert (seen, key, e);
			g_ptr_array_add (order, key);
		} else {
			g_free (key);
		}
		e->count++;
		if (e->last == NULL || r->msg->date >= e->last->msg->date)
			e->last = r;
	}
	g_string_append (out, "address,reason,status,date,count\r\n");
	for (guint i = 0; i < order->len; i++) {
		export_entry_t *e = g_hash_table_lookup (seen, order->pdata[i]);
		char *date = export_date (e->last->msg->date);

		export_field (out, order->pdata[i]);
		g_string_append_c (out, ',');
		export_field (out, e->last->reason);
		g_string_append_c (out, ',');
		export_field (out, e->last->status);
		g_string_append_c (out, ',');
		export_field (out, date);
		g_string_append_printf (out, ",%u\r\n", e->count);
		g_free (date);
	}
	n = order->len;
	g_ptr_array_free (order, TRUE);
	g_hash_table_destroy (seen);
	return n;
}

bt_status_t
bt_export_csv_file (GPtrArray *rows, const char *path, guint *count, GError **error)
{
	GString *out = g_string_new (NULL);
	GError *io = NULL;
	bt_status_t st = BT_OK;

	*count = bt_export_csv (rows, out);
	if (!g_file_set_contents (path, out->str, (gssize) out->len, &io)) {
		st = bt_error_set (error, BT_ERR_IO, "%s", io->message);
		g_error_free (io);
	}
	g_string_free (out, TRUE);
	return st;
}
