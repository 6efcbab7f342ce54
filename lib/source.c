/* source.c: messages from a file, an mbox, a maildir, a folder or stdin.
 *
 * Folders are walked depth first, each folder's entries in name order, one
 * folder listing in memory at a time; an mbox is read one message at a time
 * by GMime's mbox parser, so memory does not grow with the input. */
#include "config.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bouncetriage/parse.h"
#include "mail.h"

typedef struct {
	char *name;
	unsigned char type;     /* d_type: DT_UNKNOWN when the folder does not say */
} dir_entry_t;

typedef struct {
	char *path;
	int fd;                 /* the folder, for openat */
	dir_entry_t *entries;   /* sorted by name */
	guint n, next;
} dir_frame_t;

struct bt_source {
	char *path;
	GPtrArray *dirs;        /* stack of dir_frame_t * */
	char *single;           /* a lone file still to read */
	GMimeParser *mbox;      /* the mbox being read, or NULL */
	char *mbox_path;
	guint mbox_count;
	bt_report_t *stdin_report;  /* a single message read from stdin */
	bool stdin_pending;
	bool done;
};

static void
dir_frame_free (gpointer p)
{
	dir_frame_t *f = p;

	for (guint i = 0; i < f->n; i++)
		g_free (f->entries[i].name);
	g_free (f->entries);
	if (f->fd >= 0)
		close (f->fd);
	g_free (f->path);
	g_free (f);
}

static gint
source_cmp (gconstpointer a, gconstpointer b)
{
	return strcmp (((const dir_entry_t *) a)->name, ((const dir_entry_t *) b)->name);
}

/* Push the folder path, open as fd (taken over; -1 when it could not be
 * opened, errno set).  The listing keeps each entry's type, so that the
 * files of a maildir need no stat each: a file costs open, fstat, read and
 * close. */
static bool
source_push_dir (bt_source_t *src, const char *path, int fd, GError **error)
{
	DIR *dir = NULL;
	GArray *entries;
	struct dirent *d;
	dir_frame_t *f;
	int list_fd = fd >= 0 ? dup (fd) : -1;

	if (list_fd < 0 || (dir = fdopendir (list_fd)) == NULL) {
		bt_error_set (error, BT_ERR_IO, "%s: %s", path, g_strerror (errno));
		if (list_fd >= 0)
			close (list_fd);
		if (fd >= 0)
			close (fd);
		return false;
	}
	entries = g_array_new (FALSE, FALSE, sizeof (dir_entry_t));
	while ((d = readdir (dir)) != NULL)
		if (d->d_name[0] != '.' && strcmp (d->d_name, "tmp") != 0) {
			dir_entry_t e = { g_strdup (d->d_name), d->d_type };
			g_array_append_val (entries, e);
		}
	closedir (dir);
	g_array_sort (entries, source_cmp);
	f = g_new0 (dir_frame_t, 1);
	f->path = g_strdup (path);
	f->fd = fd;
	f->n = entries->len;
	f->entries = (dir_entry_t *) g_array_free (entries, FALSE);
	g_ptr_array_add (src->dirs, f);
	return true;
}

/* A stream filter that turns CRLF and bare CR into LF, so that an mbox
 * written with either still splits on "\nFrom " (GMime's mbox reader looks
 * for LF line ends only).  It streams: memory does not grow with input. */
typedef struct {
	GMimeFilter parent;
	gboolean last_cr;
} SourceCrFilter;

typedef struct {
	GMimeFilterClass parent_class;
} SourceCrFilterClass;

GType source_cr_filter_get_type (void);
G_DEFINE_TYPE (SourceCrFilter, source_cr_filter, GMIME_TYPE_FILTER)

static void
source_cr_run (GMimeFilter *filter, char *in, size_t len, size_t prespace,
	       char **out, size_t *outlen, size_t *outprespace)
{
	SourceCrFilter *cr = (SourceCrFilter *) filter;
	char *o;

	(void) prespace;
	g_mime_filter_set_size (filter, len, FALSE);
	o = filter->outbuf;
	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\r') {
			*o++ = '\n';
			cr->last_cr = TRUE;
			continue;
		}
		if (!(in[i] == '\n' && cr->last_cr))
			*o++ = in[i];
		cr->last_cr = FALSE;
	}
	*out = filter->outbuf;
	*outlen = (size_t) (o - filter->outbuf);
	*outprespace = filter->outpre;
}

static void
source_cr_reset (GMimeFilter *filter)
{
	((SourceCrFilter *) filter)->last_cr = FALSE;
}

static GMimeFilter *
source_cr_copy (GMimeFilter *filter)
{
	(void) filter;
	return g_object_new (source_cr_filter_get_type (), NULL);
}

static void
source_cr_filter_class_init (SourceCrFilterClass *klass)
{
	GMimeFilterClass *f = GMIME_FILTER_CLASS (klass);

	f->filter = source_cr_run;
	f->complete = source_cr_run;
	f->reset = source_cr_reset;
	f->copy = source_cr_copy;
}

static void
source_cr_filter_init (SourceCrFilter *cr)
{
	cr->last_cr = FALSE;
}

/* A parser for the mbox in stream (referenced), line ends made LF. */
static GMimeParser *
source_mbox_parser (GMimeStream *stream)
{
	GMimeStream *filtered = g_mime_stream_filter_new (stream);
	GMimeFilter *cr = g_object_new (source_cr_filter_get_type (), NULL);
	GMimeParser *parser;

	g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), cr);
	g_object_unref (cr);
	parser = g_mime_parser_new_with_stream (filtered);
	g_mime_parser_set_format (parser, GMIME_FORMAT_MBOX);
	g_object_unref (filtered);
	return parser;
}

static bool
source_open_mbox (bt_source_t *src, int fd, const char *path)
{
	GMimeStream *stream = g_mime_stream_fs_new (fd);

	src->mbox = source_mbox_parser (stream);
	g_object_unref (stream);
	src->mbox_path = g_strdup (path);
	src->mbox_count = 0;
	return true;
}

typedef struct {
	int out;
	size_t len;
	char head[8];
} relay_t;

static bool
relay_write (int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send (fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;   /* the reader is gone */
		buf += n;
		len -= (size_t) n;
	}
	return true;
}

static gpointer
relay_run (gpointer data)
{
	relay_t *r = data;
	char buf[65536];
	ssize_t n;

	if (relay_write (r->out, r->head, r->len))
		while ((n = read (STDIN_FILENO, buf, sizeof buf)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 || !relay_write (r->out, buf, (size_t) n))
				break;
		}
	close (r->out);
	g_free (r);
	return NULL;
}

/* A descriptor that reads head and then the rest of standard input; -1 with
 * errno set on failure.  The relay ends by itself at the end of input or
 * when the descriptor is closed. */
static int
source_relay_stdin (const char *head, size_t len)
{
	int sv[2];
	relay_t *r;

	if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	r = g_new0 (relay_t, 1);
	r->out = sv[1];
	r->len = MIN (len, sizeof r->head);
	memcpy (r->head, head, r->len);
	g_thread_unref (g_thread_new ("bt-stdin", relay_run, r));
	return sv[0];
}

/* Read fd to its end into bytes, keeping at most limit bytes (the rest is
 * read and dropped, and *truncated set).  False on a read error (errno). */
static bool
source_read_fd (int fd, GByteArray *bytes, gsize limit, bool *truncated)
{
	guint8 chunk[65536];
	ssize_t n;

	while ((n = read (fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		gsize take = MIN ((gsize) n, limit - MIN (bytes->len, limit));
		if (take < (gsize) n)
			*truncated = true;
		g_byte_array_append (bytes, chunk, (guint) take);
	}
	return true;
}

/* Standard input: an mbox is streamed; anything else is one message, read
 * whole (up to the parse limit). */
static bool
source_open_stdin (bt_source_t *src, GError **error)
{
	char head[5];
	ssize_t got = 0, n;
	while (got < (ssize_t) sizeof head && (n = read (STDIN_FILENO, head + got, sizeof head - (size_t) got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			bt_error_set (error, BT_ERR_IO, "<stdin>: %s", g_strerror (errno));
			return false;
		}
		got += n;
	}
	if (got == (ssize_t) sizeof head && memcmp (head, "From ", 5) == 0) {
		/* GMime's mbox parser streams the rest, one message in memory
		 * at a time.  It must see the 5 bytes read already, and a cat
		 * stream cannot hold a pipe (it seeks its sources): a thread
		 * relays the head and then standard input through a socket. */
		int fd = source_relay_stdin (head, (size_t) got);
		GMimeStream *in;
		if (fd < 0) {
			bt_error_set (error, BT_ERR_IO, "<stdin>: %s", g_strerror (errno));
			return false;
		}
		in = g_mime_stream_pipe_new (fd);
		src->mbox = source_mbox_parser (in);
		src->mbox_path = g_strdup ("<stdin>");
		g_object_unref (in);
	} else {
		GByteArray *bytes = g_byte_array_new ();
		bool truncated = false;
		g_byte_array_append (bytes, (const guint8 *) head, (guint) got);
		if (!source_read_fd (STDIN_FILENO, bytes, BT_PARSE_LIMIT, &truncated)) {
			bt_error_set (error, BT_ERR_IO, "<stdin>: %s", g_strerror (errno));
		} else {
			src->stdin_report = bt_parse_bytes ((const char *) bytes->data, bytes->len, "<stdin>", error);
			if (src->stdin_report)
				src->stdin_report->truncated = truncated;
		}
		g_byte_array_free (bytes, TRUE);
		src->stdin_pending = true;
	}
	return !(error && *error);
}

bt_source_t *
bt_source_open (const char *path, GError **error)
{
	bt_source_t *src = g_new0 (bt_source_t, 1);
	struct stat st;

	src->path = g_strdup (path);
	src->dirs = g_ptr_array_new_with_free_func (dir_frame_free);
	if (strcmp (path, "-") == 0) {
		if (!source_open_stdin (src, error))
			goto fail;
		return src;
	}
	if (stat (path, &st) != 0) {
		bt_error_set (error, BT_ERR_IO, "%s: %s", path, g_strerror (errno));
		goto fail;
	}
	if (S_ISDIR (st.st_mode)) {
		if (!source_push_dir (src, path, open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), error))
			goto fail;
	} else {
		src->single = g_strdup (path);
	}
	return src;
fail:
	bt_source_free (src);
	return NULL;
}

/* The next message of the open mbox, or NULL at its end. */
static bt_report_t *
source_next_mbox (bt_source_t *src, GError **error)
{
	GMimeMessage *msg;
	bt_report_t *report;
	char *name;

	if (g_mime_parser_eos (src->mbox) || (msg = g_mime_parser_construct_message (src->mbox, NULL)) == NULL) {
		g_clear_object (&src->mbox);
		g_clear_pointer (&src->mbox_path, g_free);
		return NULL;
	}
	src->mbox_count++;
	name = g_strdup_printf ("%s:%u", src->mbox_path, src->mbox_count);
	report = bt_parse_message (msg, name, error);
	g_object_unref (msg);
	g_free (name);
	return report;
}

/* Read name in the folder dirfd (path itself when dirfd is AT_FDCWD): a
 * message, or the start of an mbox.  The file is read once; an mbox, which
 * starts with a "From " line, is then streamed from its start instead.  A
 * folder's entries are regular files (source_next_path saw to it); a path
 * named by the user may be a pipe, and bt_parse_read looks. */
static bt_report_t *
source_read_file (bt_source_t *src, int dirfd, const char *name, const char *path, GError **error)
{
	int fd = openat (dirfd, name, O_RDONLY | O_CLOEXEC);
	bool truncated = false;
	GByteArray *buf;

	if (fd < 0) {
		bt_error_set (error, BT_ERR_IO, "%s: %s", path, g_strerror (errno));
		return NULL;
	}
	buf = bt_parse_read (fd, path, dirfd != AT_FDCWD, &truncated, error);
	if (buf && buf->len >= 5 && memcmp (buf->data, "From ", 5) == 0
	    && lseek (fd, 0, SEEK_SET) == 0) {
		g_byte_array_free (buf, TRUE);
		source_open_mbox (src, fd, path);
		return source_next_mbox (src, error);
	}
	close (fd);
	return buf ? bt_parse_array (buf, path, truncated, error) : NULL;
}

/* The next file from the folder stack: its path (g_free) and, in *dirfd and
 * *name, its folder and its name there (valid until the next call); NULL
 * at the end. */
static char *
source_next_path (bt_source_t *src, int *dirfd, const char **name, GError **error)
{
	while (src->dirs->len > 0) {
		dir_frame_t *f = src->dirs->pdata[src->dirs->len - 1];
		const dir_entry_t *e;
		char *path;
		struct stat st;

		if (f->next >= f->n) {
			g_ptr_array_remove_index (src->dirs, src->dirs->len - 1);
			continue;
		}
		e = &f->entries[f->next++];
		path = g_build_filename (f->path, e->name, NULL);
		st.st_mode = e->type == DT_DIR ? S_IFDIR : e->type == DT_REG ? S_IFREG : 0;
		if ((e->type == DT_UNKNOWN || e->type == DT_LNK) && fstatat (f->fd, e->name, &st, 0) != 0) {
			bt_error_set (error, BT_ERR_IO, "%s: %s", path, g_strerror (errno));
			g_free (path);
			return NULL;
		}
		if (S_ISDIR (st.st_mode)) {
			source_push_dir (src, path, openat (f->fd, e->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC), error);
			g_free (path);
			if (error && *error)
				return NULL;
			continue;
		}
		if (!S_ISREG (st.st_mode)) {
			/* A FIFO or device would block or never end. */
			bt_error_set (error, BT_ERR_IO, "%s: not a regular file", path);
			g_free (path);
			return NULL;
		}
		*dirfd = f->fd;
		*name = e->name;
		return path;
	}
	return NULL;
}

bt_report_t *
bt_source_next (bt_source_t *src, GError **error)
{
	bt_report_t *report;
	char *path;

	if (src->stdin_pending) {
		src->stdin_pending = false;
		src->done = true;
		return g_steal_pointer (&src->stdin_report);
	}
	while (!src->done) {
		if (src->mbox != NULL) {
			report = source_next_mbox (src, error);
			if (report || (error && *error))
				return report;
			continue;
		}
		int dirfd = AT_FDCWD;
		const char *name = NULL;
		if (src->single != NULL) {
			path = g_steal_pointer (&src->single);
		} else {
			path = source_next_path (src, &dirfd, &name, error);
			if (path == NULL && error && *error)
				return NULL;
		}
		if (path == NULL) {
			src->done = true;
			break;
		}
		report = source_read_file (src, dirfd, name ? name : path, path, error);
		g_free (path);
		if (report || (error && *error))
			return report;
	}
	return NULL;
}

bool
bt_source_done (const bt_source_t *src)
{
	return src->done;
}

void
bt_source_free (bt_source_t *src)
{
	if (src == NULL)
		return;
	g_clear_object (&src->mbox);
	g_clear_pointer (&src->stdin_report, bt_report_free);
	g_free (src->mbox_path);
	g_free (src->single);
	g_ptr_array_free (src->dirs, TRUE);
	g_free (src->path);
	g_free (src);
}
