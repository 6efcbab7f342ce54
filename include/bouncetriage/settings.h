/* settings.h: bouncetriage's own settings ($XDG_CONFIG_HOME/bouncetriage/config).
 *
 * Every setting is described once, in bt_settings_table: name, type,
 * default, help.  The parser, `bouncetriage config` and the man page all
 * read that table.  Names are "group.key" and map to the GKeyFile
 * group [group], key key:
 *
 *     [query]
 *     bounces = from:mailer-daemon or tag:bounce
 *     [tags]
 *     triaged = +bounce/triaged -inbox -unread
 *
 * lib/ never looks up the file itself: the caller passes the path
 * (tui/ builds it from $XDG_CONFIG_HOME).  Notmuch's own configuration
 * (database path, maildir flag sync...) is not here: it is read through
 * libnotmuch, see store.h. */
#ifndef BT_SETTINGS_H
#define BT_SETTINGS_H

#include <stdbool.h>
#include <glib.h>
#include "bouncetriage/error.h"

typedef enum {
	BT_SETTING_STRING,   /* any text */
	BT_SETTING_QUERY,    /* a notmuch query (not validated here) */
	BT_SETTING_TAGS,     /* tag changes: "+tag -tag ..." (validated) */
	BT_SETTING_INT,      /* a whole number in [min, max] */
	BT_SETTING_BOOL,     /* true/false, yes/no, 1/0 */
	BT_SETTING_COLOR,    /* "FG[,BG][,bold|underline|reverse]"; curses colour names or 0-255 */
	BT_SETTING_COMMAND,  /* a command line, split like a shell would (no shell runs it) */
	BT_SETTING_PATH,     /* a file name; "~/" is expanded by the reader */
} bt_setting_type_t;

typedef struct {
	const char *name;        /* "group.key" */
	bt_setting_type_t type;
	const char *def;         /* default, as it would be written in the file */
	int min, max;            /* BT_SETTING_INT only */
	const char *help;        /* one or two sentences */
} bt_setting_info_t;

/* The table, terminated by an entry whose name is NULL.  Static. */
extern const bt_setting_info_t bt_settings_table[];

/* Entry named name, or NULL. */
const bt_setting_info_t *bt_settings_info (const char *name);

/* Name of a type, for `config` and the man page ("string", "tags"...). Static. */
const char *bt_setting_type_name (bt_setting_type_t type);

typedef struct bt_settings bt_settings_t;

/* Settings holding every default.  Free with bt_settings_free. */
bt_settings_t *bt_settings_new (void);
void bt_settings_free (bt_settings_t *s);

/* Read path over the current values.  A missing file is not an error (the
 * defaults stay).  Unknown keys and invalid values are reported as
 * "PATH:LINE: message" strings appended to problems (if non-NULL; g_malloc'd,
 * the caller sets the free function) and the setting keeps its previous
 * value; the result is then BT_ERR_PARSE, but the valid settings are
 * applied.  A file that cannot be read or is not a key file: BT_ERR_IO or
 * BT_ERR_PARSE with *error set. */
bt_status_t bt_settings_load (bt_settings_t *s, const char *path,
			      GPtrArray *problems, GError **error);

/* Set one value (validated as the parser does).  BT_ERR_NOTFOUND for an
 * unknown name, BT_ERR_INVALID for a bad value; *error says which. */
bt_status_t bt_settings_set (bt_settings_t *s, const char *name, const char *value,
			     GError **error);

/* The current value as text (the default when unset).  Owned by s: valid
 * until the setting changes or bt_settings_free.  NULL for an unknown name. */
const char *bt_settings_get (const bt_settings_t *s, const char *name);
int bt_settings_get_int (const bt_settings_t *s, const char *name);
bool bt_settings_get_bool (const bt_settings_t *s, const char *name);

/* True when name was set by the file or bt_settings_set. */
bool bt_settings_is_set (const bt_settings_t *s, const char *name);

/* The file last loaded (NULL if none).  Owned by s. */
const char *bt_settings_path (const bt_settings_t *s);

/* The query that lists bounces to triage: "(query.bounces) and not
 * (query.hide)", or just query.bounces when query.hide is empty.  When
 * extra is non-NULL and non-empty it is and-ed in: "(...) and (extra)".
 * g_free the result. */
char *bt_settings_bounce_query (const bt_settings_t *s, const char *extra);

/* A parsed BT_SETTING_COLOR: fg and bg are -1 (terminal default) or a
 * colour number 0-255 (0-7: black red green yellow blue magenta cyan
 * white). */
enum { BT_ATTR_BOLD = 1, BT_ATTR_UNDERLINE = 2, BT_ATTR_REVERSE = 4, BT_ATTR_DIM = 8 };
typedef struct {
	int fg, bg;
	unsigned attrs;   /* BT_ATTR_* bits */
} bt_color_t;

/* Parse "FG[,BG][,ATTR...]" ("red", "white,blue,bold", "default,236").
 * False with *error for anything else. */
bool bt_settings_parse_color (const char *text, bt_color_t *out, GError **error);
/* The colour setting name (e.g. "colors.hard"); false for an unknown name. */
bool bt_settings_get_color (const bt_settings_t *s, const char *name, bt_color_t *out);

/* Split a BT_SETTING_TAGS value ("+a -b") into tags to add and to remove
 * (NULL-terminated, g_strfreev).  Returns false with *error set when a
 * word has no + or - or names an empty tag. */
bool bt_settings_parse_tags (const char *changes, char ***add, char ***remove, GError **error);

/* Text of `bouncetriage config`: for every setting "name = value" (marked
 * when it differs from the default), then its type, default and help,
 * indented.  Appended to out. */
void bt_settings_describe (const bt_settings_t *s, GString *out);

/* The man page section (troff, starting with ".SH SETTINGS") describing
 * every setting: doc/bouncetriage.1 is regenerated from it.  Appended to out. */
void bt_settings_man (GString *out);

#endif
