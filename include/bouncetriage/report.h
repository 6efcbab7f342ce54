/* report.h: what a bounce says, one record per recipient.
 *
 * A bt_report_t is the result of parsing one message.  It owns every string
 * it and its records point to (they live in the report's string chunk, or are
 * static): they stay valid until bt_report_free.  Never free them one by one;
 * set them with bt_report_strdup / bt_record_set so the report owns them. */
#ifndef BT_REPORT_H
#define BT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

/* The per-recipient fields, in output order.  One table (bt_record_fields)
 * names them for JSON, message properties and tests. */
typedef enum {
	BT_F_RECIPIENT,
	BT_F_ORIGINAL_RECIPIENT,
	BT_F_ACTION,          /* failed, delayed, delivered, relayed, expanded */
	BT_F_STATUS,          /* RFC 3463 x.y.z */
	BT_F_REPLYCODE,       /* RFC 5321 three digits */
	BT_F_COMMAND,         /* CONN, HELO, EHLO, MAIL, RCPT, DATA, "." */
	BT_F_DIAGNOSTIC,      /* unfolded text */
	BT_F_DIAGNOSTIC_TYPE, /* SMTP, X-Unix, X-Postfix... */
	BT_F_REMOTE_MTA,
	BT_F_REPORTING_MTA,
	BT_F_LAST_ATTEMPT,
	BT_F_FEEDBACK_TYPE,   /* ARF Feedback-Type: abuse, fraud... */
	BT_F_EXTENSIONS,      /* extension fields kept verbatim, "Name: value" lines */
	BT_F_COUNT
} bt_field_t;

typedef struct {
	const char *name;     /* JSON key and property suffix */
} bt_field_info_t;

extern const bt_field_info_t bt_record_fields[BT_F_COUNT];

/* How a reason was decided, weakest last. */
typedef enum {
	BT_RULE_NONE = 0,
	BT_RULE_ENGINE,      /* the engine that read the bounce knew */
	BT_RULE_TEXT,        /* a text pattern over the diagnostic */
	BT_RULE_STATUS,      /* the status code */
	BT_RULE_REPLYCODE,   /* the SMTP reply code */
	BT_RULE_DEFAULT,     /* nothing matched: onhold/undefined */
} bt_rule_t;

typedef struct {
	const char *f[BT_F_COUNT];   /* each NULL or a non-empty string */

	/* True when the report gave no status and f[BT_F_STATUS] was derived
	 * (from the text or the reply code): the classifier may refine it from
	 * the reason it finds. */
	bool status_derived;

	/* Set by the engine when its MTA's own codes name a reason (static). */
	const char *reason_hint;

	/* Filled by the classifier. */
	const char *reason;          /* identifier from reason.h (static) */
	bool hard;
	const char *kb;              /* knowledge-base entry id, owned by the kb */
	bt_rule_t rule;              /* which rule decided */
	const char *evidence;        /* the matched span or value */
} bt_record_t;

typedef enum {
	BT_LANE_NONE = 0,   /* not a bounce */
	BT_LANE_FAILURE,
	BT_LANE_DELAY,
	BT_LANE_VACATION,
	BT_LANE_FEEDBACK,
	BT_LANE_DELIVERED,
} bt_lane_t;

typedef struct {
	const char *file;            /* path or name given to the parser */
	const char *engine;          /* static name of the engine that read it */

	/* The bounce itself. */
	const char *message_id, *date, *from, *subject;

	/* The original message, when the bounce carries it. */
	const char *orig_message_id, *orig_from, *orig_to, *orig_subject, *orig_date;

	bool truncated;              /* input was larger than the parse limit */
	GPtrArray *records;          /* of bt_record_t *, owned */
	GStringChunk *strings;       /* storage of every string above */
} bt_report_t;

/* A new empty report; free with bt_report_free. */
bt_report_t *bt_report_new (const char *file);
void bt_report_free (bt_report_t *report);

/* Copy s (len bytes, or up to NUL when len < 0) into the report, trimmed of
 * surrounding white space, invalid UTF-8 replaced (U+FFFD); returns NULL
 * for NULL or an all-blank string. */
const char *bt_report_strdup (bt_report_t *report, const char *s, gssize len);

/* Append a new zeroed record and return it (owned by the report). */
bt_record_t *bt_report_add (bt_report_t *report);

/* Set field of rec to a copy of s (as bt_report_strdup), unfolding line
 * breaks into single spaces. */
void bt_record_set (bt_report_t *report, bt_record_t *rec, bt_field_t field,
		    const char *s, gssize len);

/* Record with the given recipient (case-insensitive), or NULL. */
bt_record_t *bt_report_find (const bt_report_t *report, const char *recipient);

/* The lane of one record, and of the message (its most urgent record). */
bt_lane_t bt_record_lane (const bt_record_t *rec);
bt_lane_t bt_report_lane (const bt_report_t *report);
const char *bt_lane_name (bt_lane_t lane);

#endif
