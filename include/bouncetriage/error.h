/* error.h: status codes and the GError domain of the core.
 *
 * Functions that can fail return a bt_status_t and, when given a non-NULL
 * GError **, fill it with a message a user can act on (naming the file,
 * message or line).  The caller frees the GError with g_error_free (or
 * g_clear_error).  The GError's code is the bt_status_t. */
#ifndef BT_ERROR_H
#define BT_ERROR_H

#include <glib.h>

typedef enum {
	BT_OK = 0,
	BT_ERR_IO,       /* a file or folder could not be read or written */
	BT_ERR_PARSE,    /* input was not what it should be (mail, key file, keymap) */
	BT_ERR_INVALID,  /* a value or argument is out of range or malformed */
	BT_ERR_NOTFOUND, /* the thing asked for does not exist */
	BT_ERR_DB,       /* the notmuch database refused */
	BT_ERR_LOCKED,   /* the database is locked by another writer */
} bt_status_t;

#define BT_ERROR bt_error_quark ()
GQuark bt_error_quark (void);

/* Sets *error (if error is non-NULL) and returns status, so a caller can write
 * `return bt_error_set (error, BT_ERR_IO, "%s: %s", path, strerror (errno));`. */
bt_status_t bt_error_set (GError **error, bt_status_t status, const char *fmt, ...)
	G_GNUC_PRINTF (3, 4);

#endif
