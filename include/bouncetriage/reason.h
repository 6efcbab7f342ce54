/* reason.h: the reason vocabulary of ../shared/reasons.md, as one table.
 *
 * All strings returned here are static: never free them. */
#ifndef BT_REASON_H
#define BT_REASON_H

#include <stdbool.h>

typedef enum {
	BT_HARD_NEVER,     /* always soft */
	BT_HARD_ALWAYS,    /* the address is bad: suppress it */
	BT_HARD_IF_5XX,    /* hard when the refusal is permanent (5.x.x or 5xx) */
	BT_HARD_NA,        /* not a failure: delivered, vacation, feedback */
} bt_hardness_t;

typedef struct {
	const char *name;        /* identifier, e.g. "userunknown" */
	bt_hardness_t hardness;
	const char *meaning;     /* one line, for help and kb list */
} bt_reason_t;

/* The table, terminated by an entry whose name is NULL. */
extern const bt_reason_t bt_reasons[];

/* The entry named name, or NULL when name is not a reason identifier. */
const bt_reason_t *bt_reason_lookup (const char *name);

/* Hard/soft verdict for reason with the given status ("5.1.1", may be NULL or
 * "") and SMTP reply code ("550", may be NULL or ""). */
bool bt_reason_is_hard (const char *reason, const char *status, const char *replycode);

#endif
