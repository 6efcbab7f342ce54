/* journal.c: append-only JSON Lines record of tag changes, for exact undo.
 *
 * A line is written and fsync'd before its change is applied; a write
 * that fails is rolled back (truncated) so no half line is left for the
 * next reader. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-glib/json-glib.h>
#include "bouncetriage/journal.h"
#include "strv.h"

void
bt_journal_change_free (bt_journal_change_t *c)
{
	if (c == NULL)
		return;
	g_free (c->message_id);
	g_strfreev (c->before);
	g_strfreev (c->after);
	g_free (c);
}

static char *
journal_new_id (void)
{
	GDateTime *now = g_date_time_new_now_utc ();
	char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
	char *id = g_strdup_printf ("%s.%06dZ-%08x", stamp, g_date_time_get_microsecond (now),
				    g_random_int ());

	g_free (stamp);
	g_date_time_unref (now);
	return id;
}

bt_journal_entry_t *
bt_journal_entry_new (const char *kind, const char *label)
{
	bt_journal_entry_t *e = g_new0 (bt_journal_entry_t, 1);

	e->id = journal_new_id ();
	e->time = g_get_real_time () / G_USEC_PER_SEC;
	e->kind = g_strdup (kind ? kind : "tag");
	e->label = g_strdup (label ? label : "");
	e->undoes = g_new0 (char *, 1);
	e->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_change_free);
	return e;
}

void
bt_journal_entry_free (bt_journal_entry_t *e)
{
	if (e == NULL)
		return;
	g_free (e->id);
	g_free (e->kind);
	g_free (e->label);
	g_strfreev (e->undoes);
	g_ptr_array_unref (e->changes);
	g_free (e);
}

void
bt_journal_entry_add (bt_journal_entry_t *e, const char *message_id,
		      const char *const *before, const char *const *after)
{
	bt_journal_change_t *c = g_new0 (bt_journal_change_t, 1);

	c->message_id = g_strdup (message_id);
	c->before = bt_strv_edit ((char *const *) before, NULL, NULL);
	c->after = bt_strv_edit ((char *const *) after, NULL, NULL);
	g_ptr_array_add (e->changes, c);
}

/* ---- writing ---- */

static void
add_strv (JsonBuilder *b, const char *name, char *const *v)
{
	json_builder_set_member_name (b, name);
	json_builder_begin_array (b);
	for (; v && *v; v++)
		json_builder_add_string_value (b, *v);
	json_builder_end_array (b);
}

static char *
journal_line (const bt_journal_entry_t *e)
{
	JsonBuilder *b = json_builder_new ();
	JsonGenerator *gen = json_generator_new ();
	JsonNode *root;
	char *text;

	json_builder_begin_object (b);
	json_builder_set_member_name (b, "v");
	json_builder_add_int_value (b, 1);
	json_builder_set_member_name (b, "id");
	json_builder_add_string_value (b, e->id);
	json_builder_set_member_name (b, "time");
	json_builder_add_int_value (b, e->time);
	json_builder_set_member_name (b, "kind");
	json_builder_add_string_value (b, e->kind);
	json_builder_set_member_name (b, "label");
	json_builder_add_string_value (b, e->label ? e->label : "");
	add_strv (b, "undoes", e->undoes);
	json_builder_set_member_name (b, "messages");
	json_builder_begin_array (b);
	for (guint i = 0; i < e->changes->len; i++) {
		const bt_journal_change_t *c = e->changes->pdata[i];
		json_builder_begin_object (b);
		json_builder_set_member_name (b, "id");
		json_builder_add_string_value (b, c->message_id);
		add_strv (b, "before", c->before);
		add_strv (b, "after", c->after);
		json_builder_end_object (b);
	}
	json_builder_end_array (b);
	json_builder_end_object (b);
	root = json_builder_get_root (b);
	json_generator_set_root (gen, root);
	text = json_generator_to_data (gen, NULL);
	json_node_unref (root);
	g_object_unref (gen);
	g_object_unref (b);
	return text;
}

static int
journal_open (const char *path, GError **error)
{
	char *dir;
	int fd;

	if (path == NULL || *path == '\0') {
		bt_error_set (error, BT_ERR_IO, "no journal file: tag changes are refused");
		return -1;
	}
	dir = g_path_get_dirname (path);
	if (g_mkdir_with_parents (dir, 0700) != 0) {
		bt_error_set (error, BT_ERR_IO, "journal folder %s: %s", dir, g_strerror (errno));
		g_free (dir);
		return -1;
	}
	g_free (dir);
	fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		bt_error_set (error, BT_ERR_IO, "journal %s: %s", path, g_strerror (errno));
	return fd;
}

bt_status_t
bt_journal_check_writable (const char *path, GError **error)
{
	int fd = journal_open (path, error);

	if (fd < 0)
		return BT_ERR_IO;
	close (fd);
	return BT_OK;
}

/* A previous crash may have left a line without its newline: start on a
 * fresh line so ours stays readable. */
static void
start_fresh_line (const char *path, off_t size, GString *line)
{
	char last = '\n';
	int rfd;

	if (size == 0)
		return;
	rfd = open (path, O_RDONLY | O_CLOEXEC);
	if (rfd < 0)
		return;
	if (pread (rfd, &last, 1, size - 1) == 1 && last != '\n')
		g_string_prepend_c (line, '\n');
	close (rfd);
}

/* All of line to fd; how much was written goes to *off. */
static bt_status_t
write_all (int fd, const char *path, const GString *line, size_t *off, GError **error)
{
	while (*off < line->len) {
		ssize_t n = write (fd, line->str + *off, line->len - *off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return bt_error_set (error, BT_ERR_IO, "journal %s: %s", path,
					     n < 0 ? g_strerror (errno) : "short write");
		*off += (size_t) n;
	}
	return BT_OK;
}

/* A new file: its name must survive a crash too. */
static void
sync_folder (const char *path)
{
	char *dir = g_path_get_dirname (path);
	int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd >= 0) {
		if (fsync (dfd) != 0) {
			/* Some file systems cannot sync a folder: the line is safe. */
		}
		close (dfd);
	}
	g_free (dir);
}

bt_status_t
bt_journal_append (const char *path, const bt_journal_entry_t *e, GError **error)
{
	char *text = NULL;
	GString *line;
	struct stat st;
	size_t off = 0;
	bt_status_t status;
	int fd = journal_open (path, error);

	if (fd < 0)
		return BT_ERR_IO;
	text = journal_line (e);
	line = g_string_new (text);
	g_string_append_c (line, '\n');
	if (fstat (fd, &st) != 0) {
		status = bt_error_set (error, BT_ERR_IO, "journal %s: %s", path, g_strerror (errno));
		goto done;
	}
	start_fresh_line (path, st.st_size, line);
	status = write_all (fd, path, line, &off, error);
	if (status == BT_OK && fsync (fd) != 0)
		status = bt_error_set (error, BT_ERR_IO, "journal %s: fsync: %s", path, g_strerror (errno));
	if (status == BT_OK && st.st_size == 0)
		sync_folder (path);
	if (status != BT_OK && off > 0) {
		if (ftruncate (fd, st.st_size) != 0) {
			/* Nothing more we can do: the reader skips a bad line. */
		}
	}
done:
	close (fd);
	g_free (text);
	g_string_free (line, TRUE);
	return status;
}

/* ---- reading ---- */

static char **
read_strv (JsonObject *o, const char *name, bool *ok)
{
	JsonNode *n = json_object_get_member (o, name);
	JsonArray *a;
	GPtrArray *v;

	if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n)) {
		*ok = false;
		return NULL;
	}
	a = json_node_get_array (n);
	v = g_ptr_array_new ();
	for (guint i = 0; i < json_array_get_length (a); i++) {
		JsonNode *s = json_array_get_element (a, i);
		if (!JSON_NODE_HOLDS_VALUE (s) || json_node_get_value_type (s) != G_TYPE_STRING) {
			*ok = false;
			continue;
		}
		g_ptr_array_add (v, g_strdup (json_node_get_string (s)));
	}
	g_ptr_array_add (v, NULL);
	return (char **) g_ptr_array_free (v, FALSE);
}

static const char *
read_str (JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member (o, name);

	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (n);
}

/* The "messages" array into e->changes; false when one is malformed. */
static bool
read_changes (JsonArray *msgs, bt_journal_entry_t *e)
{
	bool ok = true;

	for (guint i = 0; ok && i < json_array_get_length (msgs); i++) {
		JsonNode *m = json_array_get_element (msgs, i);
		JsonObject *mo;
		bt_journal_change_t *c;

		if (!JSON_NODE_HOLDS_OBJECT (m) || read_str (json_node_get_object (m), "id") == NULL)
			return false;
		mo = json_node_get_object (m);
		c = g_new0 (bt_journal_change_t, 1);
		c->message_id = g_strdup (read_str (mo, "id"));
		c->before = read_strv (mo, "before", &ok);
		c->after = read_strv (mo, "after", &ok);
		g_ptr_array_add (e->changes, c);
	}
	return ok;
}

/* One line to an entry, or NULL with *why (static text). */
static bt_journal_entry_t *
journal_parse_line (JsonParser *parser, const char *line, gsize len, const char **why)
{
	JsonNode *root, *msgs, *t;
	JsonObject *o;
	bt_journal_entry_t *e;
	const char *id, *kind, *label;
	bool ok = true;

	if (!json_parser_load_from_data (parser, line, (gssize) len, NULL)) {
		*why = "not valid JSON";
		return NULL;
	}
	root = json_parser_get_root (parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
		*why = "not a JSON object";
		return NULL;
	}
	o = json_node_get_object (root);
	id = read_str (o, "id");
	kind = read_str (o, "kind");
	label = read_str (o, "label");
	msgs = json_object_get_member (o, "messages");
	t = json_object_get_member (o, "time");
	if (id == NULL || kind == NULL || msgs == NULL || !JSON_NODE_HOLDS_ARRAY (msgs)) {
		*why = "id, kind or messages missing";
		return NULL;
	}
	e = g_new0 (bt_journal_entry_t, 1);
	e->id = g_strdup (id);
	e->kind = g_strdup (kind);
	e->label = g_strdup (label ? label : "");
	e->time = t && JSON_NODE_HOLDS_VALUE (t) ? json_node_get_int (t) : 0;
	e->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_change_free);
	if (json_object_has_member (o, "undoes"))
		e->undoes = read_strv (o, "undoes", &ok);
	else
		e->undoes = g_new0 (char *, 1);
	if (!ok || !read_changes (json_node_get_array (msgs), e)) {
		*why = "a message entry is malformed";
		bt_journal_entry_free (e);
		return NULL;
	}
	return e;
}

bt_status_t
bt_journal_read (const char *path, GPtrArray *entries, GPtrArray *problems, GError **error)
{
	char *text = NULL;
	gsize len;
	GError *e = NULL;
	JsonParser *parser;
	guint lineno = 0;

	if (!g_file_get_contents (path, &text, &len, &e)) {
		bt_status_t status = BT_OK;
		if (!g_error_matches (e, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			status = bt_error_set (error, BT_ERR_IO, "journal: %s", e->message);
		g_error_free (e);
		return status;
	}
	parser = json_parser_new ();
	for (char *line = text; line < text + len;) {
		char *nl = memchr (line, '\n', (size_t) (text + len - line));
		gsize l = nl ? (gsize) (nl - line) : (gsize) (text + len - line);
		const char *why = NULL;
		bt_journal_entry_t *entry;

		lineno++;
		if (l > 0) {
			entry = journal_parse_line (parser, line, l, &why);
			if (entry) {
				entry->lineno = lineno;
				g_ptr_array_add (entries, entry);
			} else if (problems)
				g_ptr_array_add (problems, g_strdup_printf ("%s:%u: %s; line skipped",
									    path, lineno, why));
		}
		line += l + 1;
	}
	g_object_unref (parser);
	g_free (text);
	return BT_OK;
}

void
bt_journal_undoable (GPtrArray *entries, guint n, GPtrArray *out)
{
	GHashTable *undone = g_hash_table_new (g_str_hash, g_str_equal);

	for (guint i = 0; i < entries->len; i++) {
		bt_journal_entry_t *e = entries->pdata[i];
		for (char **u = e->undoes; u && *u; u++)
			g_hash_table_add (undone, *u);
	}
	for (guint i = entries->len; i > 0 && n > 0; i--) {
		bt_journal_entry_t *e = entries->pdata[i - 1];
		if (strcmp (e->kind, "undo") == 0 || g_hash_table_contains (undone, e->id))
			continue;
		g_ptr_array_add (out, e);
		n--;
	}
	g_hash_table_unref (undone);
}

void
bt_journal_change_reverse (const bt_journal_change_t *c, char ***add, char ***remove)
{
	/* Undo adds back what the action removed and removes what it added. */
	*add = bt_strv_minus (c->before, c->after);
	*remove = bt_strv_minus (c->after, c->before);
}
