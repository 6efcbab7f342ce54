/* bt-gmime-floor: the part of `bouncetriage classify` that is GMime's.
 *
 *     bt-gmime-floor FOLDER...
 *
 * Reads every file under each folder (its subfolders too: a maildir's cur
 * and new) as classify does (bt_parse_read), has GMime parse it as classify
 * does (bt_parse_init's registrations, g_mime_parser_construct_part), walks
 * the tree to every leaf's content and frees it all.  No engine, no
 * classification, no output but one count line.  run-bench times it beside
 * classify, alternately, so the ratio of the two holds on a machine whose
 * speed drifts: what classify costs beyond this floor is ours. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bouncetriage/parse.h"
#include "mail.h"

typedef struct {
	unsigned long files, parts, failed;
} floor_count_t;

static void
floor_walk (GMimeObject *obj, floor_count_t *n)
{
	if (GMIME_IS_MULTIPART (obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART (obj);
		int count = g_mime_multipart_get_count (mp);
		for (int i = 0; i < count; i++)
			floor_walk (g_mime_multipart_get_part (mp, i), n);
	} else if (GMIME_IS_PART (obj) && g_mime_part_get_content (GMIME_PART (obj)) != NULL) {
		n->parts++;
	}
}

static void
floor_file (int fd, const char *path, bool regular, floor_count_t *n)
{
	GError *error = NULL;
	bool truncated = false;
	GByteArray *buf = bt_parse_read (fd, path, regular, &truncated, &error);
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeObject *top;

	close (fd);
	if (buf == NULL) {
		fprintf (stderr, "bt-gmime-floor: %s\n", error->message);
		g_error_free (error);
		n->failed++;
		return;
	}
	/* The stream takes the array over, as in parse.c. */
	stream = g_mime_stream_mem_new_with_byte_array (buf);
	parser = g_mime_parser_new_with_stream (stream);
	top = g_mime_parser_construct_part (parser, NULL);
	n->files++;
	if (top != NULL) {
		floor_walk (top, n);
		g_object_unref (top);
	}
	g_object_unref (parser);
	g_object_unref (stream);
}

static void
floor_dir (int dirfd, const char *path, floor_count_t *n)
{
	DIR *dir = fdopendir (dirfd);
	struct dirent *e;

	if (dir == NULL) {
		fprintf (stderr, "bt-gmime-floor: %s: %s\n", path, g_strerror (errno));
		close (dirfd);
		n->failed++;
		return;
	}
	while ((e = readdir (dir)) != NULL) {
		struct stat st;
		bool is_dir = e->d_type == DT_DIR, regular = e->d_type == DT_REG;
		char *sub;
		int fd;
		if (e->d_name[0] == '.')
			continue;
		/* Where the listing gives no type, as source.c does. */
		if ((e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) && fstatat (dirfd, e->d_name, &st, 0) == 0) {
			is_dir = S_ISDIR (st.st_mode);
			regular = S_ISREG (st.st_mode);
		}
		sub = g_build_filename (path, e->d_name, NULL);
		fd = openat (dirfd, e->d_name, O_RDONLY | O_CLOEXEC | (is_dir ? O_DIRECTORY : 0));
		if (fd < 0) {
			fprintf (stderr, "bt-gmime-floor: %s: %s\n", sub, g_strerror (errno));
			n->failed++;
		} else if (is_dir) {
			floor_dir (fd, sub, n);
		} else {
			floor_file (fd, sub, regular, n);
		}
		g_free (sub);
	}
	closedir (dir);
}

int
main (int argc, char **argv)
{
	floor_count_t n = { 0, 0, 0 };

	if (argc < 2) {
		fprintf (stderr, "usage: bt-gmime-floor FOLDER...\n");
		return 2;
	}
	bt_parse_init ();
	for (int i = 1; i < argc; i++) {
		int fd = open (argv[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			fprintf (stderr, "bt-gmime-floor: %s: %s\n", argv[i], g_strerror (errno));
			n.failed++;
			continue;
		}
		floor_dir (fd, argv[i], &n);
	}
	printf ("%lu files, %lu leaf parts, %lu unreadable\n", n.files, n.parts, n.failed);
	bt_parse_shutdown ();
	return n.failed ? 1 : 0;
}
