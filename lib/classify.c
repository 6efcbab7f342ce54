/* classify.c: reason, hard/soft and knowledge-base entry of each record.
 *
 * One decision function walks the rules, strongest first, and can write
 * each step it takes; bt_classify_record keeps the verdict and
 * bt_classify_explain keeps the steps, so the two never disagree. */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include "bouncetriage/classify.h"
#include "bouncetriage/reason.h"
#include "text.h"

/* Enough for the best hit and the family entries behind it. */
#define BT_CLASSIFY_HITS 16

typedef struct {
	const char *reason;          /* static */
	bt_rule_t rule;
	const bt_kb_entry_t *entry;  /* the entry whose rule decided, or NULL */
	const char *evidence;        /* into the text, rec or static */
	gsize evidence_len;
	/* The text hits, for choosing the most specific entry. */
	bt_kb_hit_t hits[BT_CLASSIFY_HITS];
	guint nhits;
} bt_verdict_t;

/* The status a record gets when the bounce states none: a pseudo code
 * C.0.9NN per reason, outside the registered RFC 3463 range so nobody takes
 * it for one the server sent.  This is the convention of Sisimai, whose
 * reason names we share, so results compare across tools. */
static const struct {
	const char *reason, *status;
} bt_usual_status[] = {
	{ "undefined", "5.0.900" }, { "onhold", "5.0.901" },
	{ "syntaxerror", "5.0.902" }, { "filtered", "5.0.910" },
	{ "userunknown", "5.0.911" }, { "hostunknown", "5.0.912" },
	{ "hasmoved", "5.0.916" }, { "rejected", "5.0.918" },
	{ "norelaying", "5.0.909" }, { "suspend", "5.0.921" },
	{ "mailboxfull", "5.0.922" }, { "exceedlimit", "5.0.923" },
	{ "systemerror", "5.0.930" }, { "systemfull", "5.0.931" },
	{ "notaccept", "5.0.932" }, { "mesgtoobig", "5.0.934" },
	{ "contenterror", "5.0.935" }, { "notcompliantrfc", "5.0.936" },
	{ "mailererror", "5.0.939" }, { "networkerror", "5.0.944" },
	{ "toomanyconn", "5.0.945" }, { "expired", "5.0.947" },
	{ "speeding", "5.0.948" }, { "securityerror", "5.0.970" },
	{ "blocked", "5.0.971" }, { "policyviolation", "5.0.972" },
	{ "requireptr", "5.0.973" }, { "authfailure", "5.0.974" },
	{ "badreputation", "5.0.975" }, { "spamdetected", "5.0.980" },
	{ "virusdetected", "5.0.981" },
};

static void bt_trace (GString *trace, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
bt_trace (GString *trace, const char *fmt, ...)
{
	va_list ap;

	if (trace == NULL)
		return;
	va_start (ap, fmt);
	g_string_append_vprintf (trace, fmt, ap);
	va_end (ap);
	g_string_append_c (trace, '\n');
}

static void
bt_verdict_set (bt_verdict_t *v, const char *reason, bt_rule_t rule,
		const bt_kb_entry_t *entry, const char *evidence, gssize len)
{
	v->reason = reason;
	v->rule = rule;
	v->entry = entry;
	v->evidence = evidence;
	v->evidence_len = evidence == NULL ? 0 : len < 0 ? strlen (evidence) : (gsize) len;
}

static bool
bt_action_is (const bt_record_t *rec, const char *const *actions)
{
	const char *a = rec->f[BT_F_ACTION];

	for (guint i = 0; a && actions[i]; i++)
		if (g_ascii_strcasecmp (a, actions[i]) == 0)
			return true;
	return false;
}

/* Records that are not failures, and what the engine knew: no kb needed. */
static bool
bt_classify_kind (const bt_record_t *rec, bt_verdict_t *v, GString *trace)
{
	static const char *const success[] = { "delivered", "relayed", "expanded", NULL };
	const char *action = rec->f[BT_F_ACTION];

	if (bt_action_is (rec, success)) {
		bt_trace (trace, "action: '%s' reports a success: delivered", action);
		bt_verdict_set (v, "delivered", BT_RULE_ENGINE, NULL, action, -1);
		return true;
	}
	if (rec->f[BT_F_FEEDBACK_TYPE]) {
		bt_trace (trace, "feedback type '%s': an abuse or feedback report", rec->f[BT_F_FEEDBACK_TYPE]);
		bt_verdict_set (v, "feedback", BT_RULE_ENGINE, NULL, rec->f[BT_F_FEEDBACK_TYPE], -1);
		return true;
	}
	if (rec->reason_hint && bt_reason_lookup (rec->reason_hint)) {
		bt_trace (trace, "engine: its MTA's own codes say %s", rec->reason_hint);
		bt_verdict_set (v, bt_reason_lookup (rec->reason_hint)->name, BT_RULE_ENGINE, NULL,
				rec->reason_hint, -1);
		return true;
	}
	bt_trace (trace, "engine: no hint%s", rec->reason_hint ? " it knows (ignored)" : "");
	return false;
}

/* "User unknown" said anywhere but in reply to RCPT: the recipient had
 * passed RCPT (or we cannot tell), so a content or per-user filter is
 * speaking, not a missing mailbox; unless the status itself is about the
 * address (X.1.x: 5.1.1, Exchange's 5.1.351...).  This is the convention of the
 * evaluation data (Sisimai's): such refusals are filtered, and soft. */
static void
bt_classify_not_at_rcpt (const bt_record_t *rec, bt_verdict_t *v, GString *trace)
{
	const char *cmd = rec->f[BT_F_COMMAND], *st = rec->f[BT_F_STATUS];

	if (strcmp (v->reason, "userunknown") != 0)
		return;
	if (cmd && strcmp (cmd, "RCPT") == 0)
		return;
	if (!rec->status_derived && st && strncmp (st + 1, ".1.", 3) == 0) {
		bt_trace (trace, "  status %s is about the address: kept", st);
		return;
	}
	bt_trace (trace, "  not refused at RCPT: filtered, not userunknown");
	v->reason = "filtered";
	/* The hits name userunknown entries: show the generic filtered one. */
	v->nhits = 0;
}

static bool
bt_classify_text (const bt_kb_t *kb, const bt_record_t *rec, const char *text, gsize len,
		  bt_verdict_t *v, GString *trace)
{
	const bt_kb_hit_t *h;

	if (text == NULL) {
		bt_trace (trace, "text: no diagnostic");
		return false;
	}
	/* Explaining lists every entry that matched; classifying needs only
	 * the best and the entries of its reason. */
	if (trace)
		v->nhits = bt_kb_match_text (kb, text, (gssize) len, v->hits, BT_CLASSIFY_HITS);
	else
		v->nhits = bt_kb_match_verdict (kb, text, (gssize) len, v->hits, BT_CLASSIFY_HITS);
	if (v->nhits == 0) {
		bt_trace (trace, "text: no pattern matches the diagnostic");
		return false;
	}
	for (guint i = 0; i < v->nhits; i++) {
		h = &v->hits[i];
		bt_trace (trace, "text: [%s] (%s, priority %d) matches '%.*s' by /%s/%s",
			  bt_kb_entry_id (h->entry), bt_kb_entry_reason (h->entry),
			  bt_kb_entry_priority (h->entry), (int) (h->end - h->start), text + h->start,
			  h->pattern, i == 0 ? ": decides" : "");
	}
	h = &v->hits[0];
	bt_verdict_set (v, bt_kb_entry_reason (h->entry), BT_RULE_TEXT, h->entry,
			text + h->start, (gssize) (h->end - h->start));
	bt_classify_not_at_rcpt (rec, v, trace);
	return true;
}

static bool
bt_classify_codes (const bt_kb_t *kb, const bt_record_t *rec, bt_verdict_t *v, GString *trace)
{
	const char *st = rec->f[BT_F_STATUS], *rc = rec->f[BT_F_REPLYCODE], *rule = NULL;
	const bt_kb_entry_t *e = bt_kb_match_status (kb, st, &rule);

	if (e) {
		bt_trace (trace, "status: %s%s fits rule '%s' of [%s]: %s", st,
			  rec->status_derived ? " (derived)" : "", rule, bt_kb_entry_id (e),
			  bt_kb_entry_reason (e));
		bt_verdict_set (v, bt_kb_entry_reason (e), BT_RULE_STATUS, e, st, -1);
		return true;
	}
	bt_trace (trace, "status: %s", st ? "no rule fits" : "none");
	e = bt_kb_match_replycode (kb, rc);
	if (e) {
		bt_trace (trace, "reply code: %s is a rule of [%s]: %s", rc, bt_kb_entry_id (e),
			  bt_kb_entry_reason (e));
		bt_verdict_set (v, bt_kb_entry_reason (e), BT_RULE_REPLYCODE, e, rc, -1);
		return true;
	}
	bt_trace (trace, "reply code: %s", rc ? "no rule fits" : "none");
	return false;
}

/* Nothing matched: a failure with something to go on is on hold (a rule
 * may name it later); with nothing at all it is undefined. */
static void
bt_classify_default (const bt_record_t *rec, bt_verdict_t *v, GString *trace)
{
	bool some = rec->f[BT_F_DIAGNOSTIC] || rec->f[BT_F_STATUS] || rec->f[BT_F_REPLYCODE]
		|| rec->f[BT_F_ACTION];

	bt_verdict_set (v, some ? "onhold" : "undefined", BT_RULE_DEFAULT, NULL, NULL, 0);
	bt_trace (trace, "default: %s", some ? "a failure no rule names: onhold"
		  : "no evidence at all: undefined");
}

static void
bt_classify_decide (const bt_kb_t *kb, const bt_record_t *rec, const char *text, gsize len,
		    bt_verdict_t *v, GString *trace)
{
	memset (v, 0, sizeof *v);
	if (bt_classify_kind (rec, v, trace))
		return;
	if (bt_classify_text (kb, rec, text, len, v, trace))
		return;
	if (bt_classify_codes (kb, rec, v, trace))
		return;
	bt_classify_default (rec, v, trace);
}

/* The most specific entry for the verdict's reason: the best matching
 * entry of that reason (family entries rank above the generic one), else
 * the entry whose code rule decided, else the reason's generic entry (its
 * id is the reason). */
static const bt_kb_entry_t *
bt_classify_entry (const bt_kb_t *kb, const bt_verdict_t *v)
{
	for (guint i = 0; i < v->nhits; i++)
		if (strcmp (bt_kb_entry_reason (v->hits[i].entry), v->reason) == 0)
			return v->hits[i].entry;
	if (v->entry && strcmp (bt_kb_entry_reason (v->entry), v->reason) == 0)
		return v->entry;
	return bt_kb_get (kb, v->reason);
}

/* The text, valid UTF-8 (GRegex needs it); g_free when it is not diag. */
static char *
bt_classify_text_of (const bt_record_t *rec, gsize *len)
{
	const char *diag = rec->f[BT_F_DIAGNOSTIC];

	*len = diag ? strlen (diag) : 0;
	if (diag == NULL || bt_text_utf8 (diag, *len))
		return (char *) diag;
	{
		char *valid = g_utf8_make_valid (diag, (gssize) *len);
		*len = strlen (valid);
		return valid;
	}
}

static char
bt_classify_class (const bt_record_t *rec, const char *usual)
{
	const char *st = rec->f[BT_F_STATUS], *rc = rec->f[BT_F_REPLYCODE];
	static const char *const delayed[] = { "delayed", NULL };

	if ((st && st[0] == '4') || (rc && rc[0] == '4') || bt_action_is (rec, delayed))
		return '4';
	if ((st && st[0] == '5') || (rc && rc[0] == '5'))
		return '5';
	return usual[0];
}

/* A guessed or missing status becomes the reason's usual one, in the class
 * the evidence gives (a temporary failure stays 4.x.x). */
static void
bt_classify_refine_status (bt_report_t *report, bt_record_t *rec)
{
	const char *st = rec->f[BT_F_STATUS];
	char buf[16];

	if (st && !rec->status_derived)
		return;
	for (guint i = 0; i < G_N_ELEMENTS (bt_usual_status); i++) {
		if (strcmp (bt_usual_status[i].reason, rec->reason) != 0)
			continue;
		g_snprintf (buf, sizeof buf, "%c%s", bt_classify_class (rec, bt_usual_status[i].status),
			    bt_usual_status[i].status + 1);
		rec->f[BT_F_STATUS] = bt_report_strdup (report, buf, -1);
		rec->status_derived = true;
		return;
	}
}

void
bt_classify_record (const bt_kb_t *kb, bt_report_t *report, bt_record_t *rec)
{
	bt_verdict_t v;
	gsize len;
	char *text = bt_classify_text_of (rec, &len);
	const bt_kb_entry_t *e;

	bt_classify_decide (kb, rec, text, len, &v, NULL);
	e = bt_classify_entry (kb, &v);
	rec->reason = v.reason;
	rec->rule = v.rule;
	rec->kb = e ? bt_kb_entry_id (e) : NULL;
	rec->evidence = bt_report_strdup (report, v.evidence, (gssize) v.evidence_len);
	bt_classify_refine_status (report, rec);
	rec->hard = bt_reason_is_hard (rec->reason, rec->f[BT_F_STATUS], rec->f[BT_F_REPLYCODE]);
	if (text != rec->f[BT_F_DIAGNOSTIC])
		g_free (text);
}

void
bt_classify_report (const bt_kb_t *kb, bt_report_t *report)
{
	for (guint i = 0; i < report->records->len; i++)
		bt_classify_record (kb, report, report->records->pdata[i]);
}

void
bt_classify_explain (const bt_kb_t *kb, const bt_record_t *rec, GString *out)
{
	bt_verdict_t v;
	gsize len;
	char *text = bt_classify_text_of (rec, &len);
	const bt_kb_entry_t *e;

	bt_classify_decide (kb, rec, text, len, &v, out);
	e = bt_classify_entry (kb, &v);
	g_string_append_printf (out, "verdict: %s (%s), entry [%s]", v.reason,
				bt_reason_is_hard (v.reason, rec->f[BT_F_STATUS], rec->f[BT_F_REPLYCODE])
				? "hard" : "soft", e ? bt_kb_entry_id (e) : "none");
	if (v.evidence)
		g_string_append_printf (out, ", evidence '%.*s'", (int) v.evidence_len, v.evidence);
	g_string_append_c (out, '\n');
	if (text != rec->f[BT_F_DIAGNOSTIC])
		g_free (text);
}
