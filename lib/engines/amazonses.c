/* amazonses.c: Amazon SES, sending side.  Two shapes:
 *
 * - a multipart/report from MAILER-DAEMON@...amazonses.com whose text says
 *   "An error occurred while trying to deliver the mail to the following
 *   recipients:" (or "The following message to <a@b> was undeliverable.");
 *   the remote server's answer is quoted inside SES's own summary
 *   ("5.1.0 - Unknown address error 550-'5.7.1 ... Access denied'"), so the
 *   last codes in the diagnostic are the ones that tell;
 * - an Amazon SNS notification e-mail whose body is the JSON event
 *   ({"notificationType":"Bounce"|"Complaint"|"Delivery", ...}), either bare
 *   or wrapped in the SNS envelope's "Message" string. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include "services-util.h"

static const char *const ses_markers[] = {
	"An error occurred while trying to deliver the mail to the following recipients",
	"was undeliverable.", NULL,
};

static const char *
ses_str (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;

	return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
		? json_node_get_string (n) : NULL;
}

static JsonObject *
ses_obj (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;

	return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* Element i of a when it is an object, else NULL (mail is hostile). */
static JsonObject *
ses_elem (JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element (a, i);

	return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
ses_arr (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;

	return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* "dsn; host" -> "host" */
static const char *
ses_untype (const char *v)
{
	const char *semi = v ? strchr (v, ';') : NULL;

	return semi ? semi + 1 : v;
}

static JsonParser *
ses_parse (const char *text, gssize len)
{
	JsonParser *p = json_parser_new ();

	if (!json_parser_load_from_data (p, text, len, NULL) || json_parser_get_root (p) == NULL
	    || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p))) {
		g_object_unref (p);
		return NULL;
	}
	return p;
}

static void
ses_add (bt_report_t *report, const char *addr, const char *action, const char *status,
	 const char *diag, const char *mta, const char *feedback)
{
	bt_record_t *rec = addr ? bt_engine_add (report, addr, -1, NULL, 0) : NULL;
	char code[16];

	if (rec == NULL)
		return;
	if (diag != NULL)
		bt_record_set (report, rec, BT_F_DIAGNOSTIC, ses_untype (diag), -1);
	if (action != NULL)
		bt_record_set (report, rec, BT_F_ACTION, action, -1);
	if (status != NULL && bt_text_status (status, -1, code))
		bt_record_set (report, rec, BT_F_STATUS, code, -1);
	if (mta != NULL)
		bt_record_set (report, rec, BT_F_REPORTING_MTA, ses_untype (mta), -1);
	if (feedback != NULL)
		bt_record_set (report, rec, BT_F_FEEDBACK_TYPE, feedback, -1);
	/* SES says outright what a complaint or a delivery event is. */
	if (feedback != NULL)
		rec->reason_hint = "feedback";
	else if (g_strcmp0 (action, "delivered") == 0)
		rec->reason_hint = "delivered";
}

static int
ses_event (bt_report_t *report, JsonObject *ev)
{
	const char *type = ses_str (ev, "notificationType");
	JsonObject *o;
	JsonArray *a;
	guint before = report->records->len;

	if (type == NULL)
		type = ses_str (ev, "eventType");
	if (type == NULL)
		return 0;
	if (strcmp (type, "Bounce") == 0 && (o = ses_obj (ev, "bounce")) && (a = ses_arr (o, "bouncedRecipients"))) {
		bool transient = g_strcmp0 (ses_str (o, "bounceType"), "Transient") == 0;
		for (guint i = 0; i < json_array_get_length (a); i++) {
			JsonObject *r = ses_elem (a, i);
			const char *action = ses_str (r, "action");
			ses_add (report, ses_str (r, "emailAddress"), action ? action : transient ? "delayed" : "failed",
				 ses_str (r, "status"), ses_str (r, "diagnosticCode"), ses_str (o, "reportingMTA"), NULL);
		}
	} else if (strcmp (type, "Complaint") == 0 && (o = ses_obj (ev, "complaint"))
		   && (a = ses_arr (o, "complainedRecipients"))) {
		const char *fb = ses_str (o, "complaintFeedbackType");
		for (guint i = 0; i < json_array_get_length (a); i++)
			ses_add (report, ses_str (ses_elem (a, i), "emailAddress"), NULL, NULL,
				 NULL, NULL, fb ? fb : "abuse");
	} else if (strcmp (type, "Delivery") == 0 && (o = ses_obj (ev, "delivery")) && (a = ses_arr (o, "recipients"))) {
		for (guint i = 0; i < json_array_get_length (a); i++) {
			JsonNode *n = json_array_get_element (a, i);
			const char *addr = JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
				? json_node_get_string (n) : NULL;
			const char *resp = ses_str (o, "smtpResponse");
			ses_add (report, addr, "delivered", resp, resp, ses_str (o, "reportingMTA"), NULL);
		}
	}
	return (int) (report->records->len - before);
}

/* SNS wraps long lines of the JSON with "!\n " in the e-mail body. */
static char *
ses_unwrap (const char *body, size_t len)
{
	const char *start = memchr (body, '{', len);
	GString *s;

	if (start == NULL)
		return NULL;
	s = g_string_sized_new (len);
	for (const char *p = start; p < body + len; p++) {
		if (p[0] == '!' && p + 2 < body + len && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		if (p[0] == '\n' && p + 3 < body + len && p[1] == '-' && p[2] == '-' && p[3] == '\n')
			break;
		g_string_append_c (s, *p);
	}
	return g_string_free (s, FALSE);
}

static bool
ses_json (bt_mail_t *mail, bt_report_t *report)
{
	char *text;
	JsonParser *p, *inner = NULL;
	JsonObject *root;
	const char *msg;
	int n = 0;

	if (!svc_has (mail->from, "@sns.amazonaws.com") || !svc_body_has (mail, "notificationType"))
		return false;
	if ((text = ses_unwrap (mail->body, mail->body_len)) == NULL)
		return false;
	if ((p = ses_parse (text, -1)) != NULL) {
		root = json_node_get_object (json_parser_get_root (p));
		/* The SNS envelope carries the event as a JSON string. */
		if ((msg = ses_str (root, "Message")) != NULL && (inner = ses_parse (msg, -1)) != NULL)
			root = json_node_get_object (json_parser_get_root (inner));
		n = ses_event (report, root);
		if (inner)
			g_object_unref (inner);
		g_object_unref (p);
	}
	g_free (text);
	return n > 0;
}

bool
bt_engine_amazonses (bt_mail_t *mail, bt_report_t *report)
{
	if (ses_json (mail, report)) {
		svc_done (report);
		return true;
	}
	g_ptr_array_set_size (report->records, 0);
	if (!svc_has (mail->from, "amazonses.com") || svc_header_has (mail, "X-Mailer", "Amazon WorkMail"))
		return false;
	if (!svc_has_any (mail->body, ses_markers) || svc_read_dsn (mail, report) == 0)
		return false;
	svc_prefer_quoted_codes (report, 0);
	svc_done (report);
	return true;
}
