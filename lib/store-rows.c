/* store-rows.c: the list cache file: a scan's rows kept outside Xapian.
 *
 * A warm scan that reads each verdict from message properties pays for
 * libnotmuch loading every document's whole term list; a list read back
 * from one file pays for none.  The file is only a cache: anything wrong
 * with it (missing, other key, incomplete, malformed) means "scan the
 * database", never an error.  Its strings came from mail and are as
 * hostile as the mail.
 *
 * Format: text lines, fields separated by tabs; in a field, backslash,
 * tab, CR and LF are written \\ \t \r \n.  An empty field is NULL.
 *   bouncetriage-rows 1
 *   KEY                      what the rows answer (query, sort, version)
 *   UUID REVISION            the database and the revision they were read at
 *   b ID FILE DATE FROM SUBJECT ORIGID ORIGSUBJECT ORIGTO LANE NTAGS TAG...
 *     NRCPT (RECIPIENT DOMAIN REASON STATUS REPLYCODE KB MTA HARD LANE)...
 *   n ID                     a message of the query that is not a bounce
 *   end COUNT                the rows written: the file is complete */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store-private.h"

#define ROWS_MAGIC "bouncetriage-rows 1"
#define RCPT_FIELDS 9
/* b, id, file, date, from, subject, origid, origsubject, origto, lane, ntags */
#define TOP_FIELDS 11

struct bt_rows {
	FILE *fp;
	char *line;
	size_t cap;
	ssize_t len;
	guint lineno;
	const char *path;
	GString *scratch;
	/* The current line's fields: start and length. */
	GArray *fields;
};

struct bt_rows_writer {
	FILE *fp;
	char *path, *tmp;
	GString *line;
	guint count;
	bool failed;
};

static void
escape (GString *out, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '\\': g_string_append (out, "\\\\"); break;
		case '\t': g_string_append (out, "\\t"); break;
		case '\n': g_string_append (out, "\\n"); break;
		case '\r': g_string_append (out, "\\r"); break;
		default: g_string_append_c (out, *s);
		}
}

/* s[0..n) unescaped into out (cleared first); false on a bad escape. */
static bool
unescape (GString *out, const char *s, size_t n)
{
	g_string_truncate (out, 0);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			g_string_append_c (out, s[i]);
			continue;
		}
		if (++i == n)
			return false;
		switch (s[i]) {
		case '\\': g_string_append_c (out, '\\'); break;
		case 't': g_string_append_c (out, '\t'); break;
		case 'n': g_string_append_c (out, '\n'); break;
		case 'r': g_string_append_c (out, '\r'); break;
		default: return false;
		}
	}
	return true;
}

/* ---- reading ---- */

typedef struct {
	guint start, len;
} field_t;

/* Read the next line into r->line without its newline; false at the end
 * or on a line without one (the file was cut). */
static bool
read_line (bt_rows_t *r)
{
	r->len = getline (&r->line, &r->cap, r->fp);
	if (r->len <= 0 || r->line[r->len - 1] != '\n')
		return false;
	r->line[--r->len] = '\0';
	r->lineno++;
	return true;
}

/* The COUNT of the last line, "end COUNT\n"; false when there is none. */
static bool
read_trailer (FILE *fp, guint *count)
{
	struct stat st;
	char tail[40];
	ssize_t n;
	char *nl, *end;
	unsigned long v;

	if (fstat (fileno (fp), &st) != 0 || !S_ISREG (st.st_mode) || st.st_size < 8)
		return false;
	n = pread (fileno (fp), tail, sizeof tail - 1,
		   st.st_size > (off_t) sizeof tail - 1 ? st.st_size - (off_t) (sizeof tail - 1) : 0);
	if (n < 8 || tail[n - 1] != '\n')
		return false;
	tail[n - 1] = '\0';
	nl = strrchr (tail, '\n');
	if (nl == NULL || strncmp (nl + 1, "end ", 4) != 0)
		return false;
	errno = 0;
	v = strtoul (nl + 5, &end, 10);
	if (errno || *end || end == nl + 5 || v > G_MAXUINT)
		return false;
	*count = (guint) v;
	return true;
}

/* The header matches key and uuid: *rev read from it. */
static bool
read_header (bt_rows_t *r, const char *key, const char *uuid, unsigned long *rev)
{
	GString *k = g_string_new (NULL);
	size_t ul = strlen (uuid);
	char *end;
	bool ok;

	escape (k, key);
	ok = read_line (r) && strcmp (r->line, ROWS_MAGIC) == 0
		&& read_line (r) && strcmp (r->line, k->str) == 0
		&& read_line (r) && strncmp (r->line, uuid, ul) == 0 && r->line[ul] == ' ';
	if (ok) {
		errno = 0;
		*rev = strtoul (r->line + ul + 1, &end, 10);
		ok = errno == 0 && *end == '\0' && end != r->line + ul + 1;
	}
	g_string_free (k, TRUE);
	return ok;
}

bt_rows_t *
bt_rows_open (const char *path, const char *key, const char *uuid, unsigned long *rev,
	      guint *count)
{
	bt_rows_t *r;
	FILE *fp = fopen (path, "re");

	if (fp == NULL)
		return NULL;
	if (!read_trailer (fp, count)) {
		fclose (fp);
		return NULL;
	}
	r = g_new0 (bt_rows_t, 1);
	r->fp = fp;
	r->path = path;
	r->scratch = g_string_new (NULL);
	r->fields = g_array_new (FALSE, FALSE, sizeof (field_t));
	if (!read_header (r, key, uuid ? uuid : "", rev)) {
		bt_rows_close (r);
		return NULL;
	}
	return r;
}

void
bt_rows_close (bt_rows_t *r)
{
	if (r == NULL)
		return;
	fclose (r->fp);
	free (r->line);
	g_string_free (r->scratch, TRUE);
	g_array_unref (r->fields);
	g_free (r);
}

/* Split the current line at its tabs. */
static void
split_fields (bt_rows_t *r)
{
	const char *s = r->line, *end = r->line + r->len;

	g_array_set_size (r->fields, 0);
	for (;;) {
		const char *tab = memchr (s, '\t', (size_t) (end - s));
		field_t f = { (guint) (s - r->line), (guint) ((tab ? tab : end) - s) };

		g_array_append_val (r->fields, f);
		if (tab == NULL)
			break;
		s = tab + 1;
	}
}

static const char *
field (const bt_rows_t *r, guint i, size_t *len)
{
	const field_t *f = &g_array_index (r->fields, field_t, i);

	*len = f->len;
	return r->line + f->start;
}

/* Field i unescaped, in r->scratch (valid until the next call); NULL when
 * it has a bad escape. */
static const char *
field_str (bt_rows_t *r, guint i)
{
	size_t n;
	const char *s = field (r, i, &n);

	return unescape (r->scratch, s, n) ? r->scratch->str : NULL;
}

static bool
field_uint (const bt_rows_t *r, guint i, guint max, guint *out)
{
	size_t n;
	const char *s = field (r, i, &n);
	guint v = 0;

	if (n == 0 || n > 10)
		return false;
	for (size_t k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return false;
		v = v * 10 + (guint) (s[k] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* The shape of a b row: its counts agree with its number of fields. */
static bool
bounce_shape (const bt_rows_t *r, guint *ntags, guint *nrcpt)
{
	guint nf = r->fields->len;

	return nf > TOP_FIELDS
		&& field_uint (r, TOP_FIELDS - 1, nf, ntags)
		&& TOP_FIELDS + *ntags < nf
		&& field_uint (r, TOP_FIELDS + *ntags, nf, nrcpt)
		&& nf == TOP_FIELDS + *ntags + 1 + *nrcpt * RCPT_FIELDS;
}

bt_row_kind_t
bt_rows_next (bt_rows_t *r, const char **id)
{
	guint ntags, nrcpt;

	if (!read_line (r))
		return BT_ROW_END;
	if (strncmp (r->line, "end ", 4) == 0)
		return BT_ROW_END;
	split_fields (r);
	if (r->line[0] == 'n' && r->line[1] == '\t' && r->fields->len == 2) {
		*id = field_str (r, 1);
		return *id && **id ? BT_ROW_NOT_BOUNCE : BT_ROW_BAD;
	}
	if (r->line[0] != 'b' || r->line[1] != '\t' || !bounce_shape (r, &ntags, &nrcpt))
		return BT_ROW_BAD;
	*id = field_str (r, 1);
	return *id && **id ? BT_ROW_BOUNCE : BT_ROW_BAD;
}



static gint64
row_date (const bt_rows_t *r)
{
	size_t n;
	const char *s = field (r, 3, &n);

	return g_ascii_strtoll (s, NULL, 10);
}

/* Field i into b's strings; false on a bad escape. */
static bool
bounce_field (bt_rows_t *r, bt_bounce_t *b, guint i, const char **out)
{
	const char *s = field_str (r, i);

	if (s == NULL)
		return false;
	*out = *s ? g_string_chunk_insert_len (b->strings, s, (gssize) r->scratch->len) : NULL;
	return true;
}

/* A lane by name; "none" only where none_ok (a recipient's). */
static bool
bounce_lane (bt_rows_t *r, guint i, bool none_ok, bt_lane_t *lane)
{
	const char *s = field_str (r, i);

	*lane = bt_store_lane_from_name (s);
	return *lane != BT_LANE_NONE || (none_ok && s && strcmp (s, "none") == 0);
}

static bool
bounce_rcpt (bt_rows_t *r, bt_bounce_t *b, guint f, bt_bounce_rcpt_t *d)
{
	size_t n;
	const char *hard;

	if (!bounce_field (r, b, f, &d->recipient) || !bounce_field (r, b, f + 1, &d->domain)
	    || !bounce_field (r, b, f + 2, &d->reason) || !bounce_field (r, b, f + 3, &d->status)
	    || !bounce_field (r, b, f + 4, &d->replycode) || !bounce_field (r, b, f + 5, &d->kb)
	    || !bounce_field (r, b, f + 6, &d->remote_mta) || !bounce_lane (r, f + 8, true, &d->lane))
		return false;
	hard = field (r, f + 7, &n);
	d->hard = n == 1 && hard[0] == '1';
	return n == 1 && (hard[0] == '0' || hard[0] == '1');
}

bt_bounce_t *
bt_rows_bounce (bt_rows_t *r)
{
	bt_bounce_t *b = bt_bounce_new ();
	guint ntags, nrcpt, f;
	const char *date;
	size_t n;
	bool ok;

	if (!bounce_shape (r, &ntags, &nrcpt))
		goto bad;
	date = field (r, 3, &n);
	b->date = row_date (r);
	ok = n > 0 && (date[0] == '-' || g_ascii_isdigit (date[0]))
		&& bounce_field (r, b, 1, &b->message_id) && bounce_field (r, b, 2, &b->filename)
		&& bounce_field (r, b, 4, &b->from) && bounce_field (r, b, 5, &b->subject)
		&& bounce_field (r, b, 6, &b->orig_message_id) && bounce_field (r, b, 7, &b->orig_subject)
		&& bounce_field (r, b, 8, &b->orig_to) && bounce_lane (r, 9, false, &b->lane);
	if (!ok || b->message_id == NULL)
		goto bad;
	b->tags = g_new0 (char *, ntags + 1);
	for (guint i = 0; i < ntags; i++) {
		const char *t = field_str (r, TOP_FIELDS + i);
		if (t == NULL)
			goto bad;
		b->tags[i] = g_strdup (t);
	}
	b->n_rcpt = nrcpt;
	b->rcpt = g_new0 (bt_bounce_rcpt_t, nrcpt ? nrcpt : 1);
	f = TOP_FIELDS + ntags + 1;
	for (guint i = 0; i < nrcpt; i++, f += RCPT_FIELDS)
		if (!bounce_rcpt (r, b, f, &b->rcpt[i]))
			goto bad;
	b->from_cache = true;
	return b;
bad:
	bt_bounce_free (b);
	return NULL;
}

/* ---- writing ---- */

bt_rows_writer_t *
bt_rows_create (const char *path, const char *key, const char *uuid, unsigned long rev)
{
	bt_rows_writer_t *w;
	char *dir = g_path_get_dirname (path);
	char *tmp = g_strdup_printf ("%s.XXXXXX", path);
	int fd = -1;

	if (g_mkdir_with_parents (dir, 0700) == 0)
		fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
	g_free (dir);
	if (fd < 0) {
		g_free (tmp);
		return NULL;
	}
	w = g_new0 (bt_rows_writer_t, 1);
	w->fp = fdopen (fd, "w");
	if (w->fp == NULL) {
		close (fd);
		unlink (tmp);
		g_free (tmp);
		g_free (w);
		return NULL;
	}
	w->tmp = tmp;
	w->path = g_strdup (path);
	w->line = g_string_sized_new (1024);
	g_string_append (w->line, ROWS_MAGIC "\n");
	escape (w->line, key);
	g_string_append_printf (w->line, "\n%s %lu\n", uuid, rev);
	w->failed = fwrite (w->line->str, 1, w->line->len, w->fp) != w->line->len;
	return w;
}

static void
put_line (bt_rows_writer_t *w)
{
	g_string_append_c (w->line, '\n');
	if (!w->failed && fwrite (w->line->str, 1, w->line->len, w->fp) != w->line->len)
		w->failed = true;
	w->count++;
}

static void
put_field (GString *out, const char *s)
{
	g_string_append_c (out, '\t');
	escape (out, s);
}

void
bt_rows_put_bounce (bt_rows_writer_t *w, const bt_bounce_t *b)
{
	GString *l = w->line;
	guint ntags = b->tags ? g_strv_length (b->tags) : 0;

	g_string_assign (l, "b");
	put_field (l, b->message_id);
	put_field (l, b->filename);
	g_string_append_printf (l, "\t%" G_GINT64_FORMAT, (gint64) b->date);
	put_field (l, b->from);
	put_field (l, b->subject);
	put_field (l, b->orig_message_id);
	put_field (l, b->orig_subject);
	put_field (l, b->orig_to);
	put_field (l, bt_lane_name (b->lane));
	g_string_append_printf (l, "\t%u", ntags);
	for (guint i = 0; i < ntags; i++)
		put_field (l, b->tags[i]);
	g_string_append_printf (l, "\t%u", b->n_rcpt);
	for (guint i = 0; i < b->n_rcpt; i++) {
		const bt_bounce_rcpt_t *rc = &b->rcpt[i];
		put_field (l, rc->recipient);
		put_field (l, rc->domain);
		put_field (l, rc->reason);
		put_field (l, rc->status);
		put_field (l, rc->replycode);
		put_field (l, rc->kb);
		put_field (l, rc->remote_mta);
		put_field (l, rc->hard ? "1" : "0");
		put_field (l, bt_lane_name (rc->lane));
	}
	put_line (w);
}

void
bt_rows_put_not_bounce (bt_rows_writer_t *w, const char *message_id)
{
	g_string_assign (w->line, "n");
	put_field (w->line, message_id);
	put_line (w);
}


static void
writer_free (bt_rows_writer_t *w)
{
	g_string_free (w->line, TRUE);
	g_free (w->path);
	g_free (w->tmp);
	g_free (w);
}

void
bt_rows_abort (bt_rows_writer_t *w)
{
	if (w == NULL)
		return;
	fclose (w->fp);
	unlink (w->tmp);
	writer_free (w);
}

bool
bt_rows_commit (bt_rows_writer_t *w)
{
	bool ok = !w->failed && fprintf (w->fp, "end %u\n", w->count) > 0;

	ok = fclose (w->fp) == 0 && ok && rename (w->tmp, w->path) == 0;
	if (!ok)
		unlink (w->tmp);
	writer_free (w);
	return ok;
}
