/* rfc3464.c: message/delivery-status (RFC 3464) and its UTF-8 form
 * message/global-delivery-status (RFC 6533), read field by field. */
#include "config.h"

#include <string.h>
#include "engine.h"

/* One "Name: value" field, value unfolded by bt_record_set later. */
typedef struct {
	const char *name;
	size_t name_len;
	GString *value;
} field_t;

/* Which record field a DSN field fills, and whether the value has a
 * "type;" prefix (address-type, diagnostic-type, mta-name-type). */
static const struct {
	const char *name;
	bt_field_t field;
	bool typed;
} dsn_fields[] = {
	{ "Final-Recipient", BT_F_RECIPIENT, true },
	{ "Original-Recipient", BT_F_ORIGINAL_RECIPIENT, true },
	{ "Action", BT_F_ACTION, false },
	{ "Status", BT_F_STATUS, false },
	{ "Diagnostic-Code", BT_F_DIAGNOSTIC, true },
	{ "Remote-MTA", BT_F_REMOTE_MTA, true },
	{ "Reporting-MTA", BT_F_REPORTING_MTA, true },
	{ "Last-Attempt-Date", BT_F_LAST_ATTEMPT, false },
};

/* Decode RFC 3461 xtext ("+40") and RFC 6533 "\x{40}" escapes in place. */
static void
dsn_unescape (GString *s)
{
	GString *out = g_string_sized_new (s->len);

	for (size_t i = 0; i < s->len; i++) {
		const char *p = s->str + i;
		/* xtext: only the escapes a plain address can never hold by
		 * chance ("+2B" for '+', "+3D" for '='); "user+ab@" stays. */
		if (*p == '+' && (strncmp (p + 1, "2B", 2) == 0 || strncmp (p + 1, "3D", 2) == 0)) {
			g_string_append_c (out, p[1] == '2' ? '+' : '=');
			i += 2;
			continue;
		}
		if (*p == '\\' && p[1] == 'x' && p[2] == '{') {
			const char *end = strchr (p + 3, '}');
			if (end && end - p <= 9) {
				gunichar c = (gunichar) g_ascii_strtoull (p + 3, NULL, 16);
				if (g_unichar_validate (c) && c != 0) {
					g_string_append_unichar (out, c);
					i += (size_t) (end - p);
					continue;
				}
			}
		}
		g_string_append_c (out, *p);
	}
	g_string_assign (s, out->str);
	g_string_free (out, TRUE);
}

/* The value after "type;" and the type itself. */
static const char *
dsn_split_type (const char *v, char *type, size_t type_size)
{
	const char *semi = strchr (v, ';');
	size_t n;

	type[0] = '\0';
	if (semi == NULL)
		return v;
	n = (size_t) (semi - v);
	/* A type is a short atom; "550 5.1.1 foo; bar" is not typed. */
	for (size_t i = 0; i < n; i++)
		if (!(g_ascii_isalnum (v[i]) || v[i] == '-' || v[i] == '_' || v[i] == ' '))
			return v;
	if (n >= type_size)
		return v;
	memcpy (type, v, n);
	type[n] = '\0';
	g_strstrip (type);
	return semi + 1;
}

/* The host of an MTA field, without the comments some MTAs add
 * ("mx.example.net (TCP|192.0.2.1|25) (ESMTP)") or an address literal's
 * brackets.  Returns buf (size bytes) or v itself. */
static const char *
dsn_mta_name (const char *v, char *buf, size_t size)
{
	size_t n;

	while (*v == ' ' || *v == '\t' || *v == '[')
		v++;
	n = strcspn (v, " \t([]");
	while (n > 1 && v[n - 1] == '.')     /* the DNS root: "mx.example.org." */
		n--;
	if (n == 0 || n >= size)
		return v;
	memcpy (buf, v, n);
	buf[n] = '\0';
	return buf;
}

static void
dsn_set (bt_report_t *report, bt_record_t *rec, const field_t *f, GString *ext)
{
	char type[32];

	for (size_t i = 0; i < G_N_ELEMENTS (dsn_fields); i++) {
		const char *v;
		if (strlen (dsn_fields[i].name) != f->name_len
		    || g_ascii_strncasecmp (f->name, dsn_fields[i].name, f->name_len) != 0)
			continue;
		v = dsn_fields[i].typed ? dsn_split_type (f->value->str, type, sizeof type) : f->value->str;
		if (dsn_fields[i].field == BT_F_RECIPIENT || dsn_fields[i].field == BT_F_ORIGINAL_RECIPIENT) {
			char *a = bt_text_address (v, -1);
			if (a != NULL)
				bt_record_set (report, rec, dsn_fields[i].field, a, -1);
			g_free (a);
		} else if (dsn_fields[i].field == BT_F_STATUS) {
			char code[16];
			const char *open = strchr (v, '('), *close = open ? strrchr (open, ')') : NULL;
			if (bt_text_status (v, -1, code))
				bt_record_set (report, rec, BT_F_STATUS, code, -1);
			/* "Status: 4.4.7 (unable to deliver this message after 1
			 * day)": the comment is all the explanation some MTAs give. */
			if (close != NULL && rec->f[BT_F_DIAGNOSTIC] == NULL)
				bt_record_set (report, rec, BT_F_DIAGNOSTIC, open + 1, close - open - 1);
		} else if (dsn_fields[i].field == BT_F_REMOTE_MTA || dsn_fields[i].field == BT_F_REPORTING_MTA) {
			char host[256];
			bt_record_set (report, rec, dsn_fields[i].field, dsn_mta_name (v, host, sizeof host), -1);
		} else {
			if (dsn_fields[i].field == BT_F_DIAGNOSTIC && type[0])
				bt_record_set (report, rec, BT_F_DIAGNOSTIC_TYPE, type, -1);
			bt_record_set (report, rec, dsn_fields[i].field, v, -1);
		}
		return;
	}
	if (f->name_len > 2 && (f->name[0] == 'X' || f->name[0] == 'x') && f->name[1] == '-') {
		g_string_append_len (ext, f->name, (gssize) f->name_len);
		g_string_append (ext, ": ");
		g_string_append (ext, f->value->str);
		g_string_append_c (ext, '\n');
	}
}

/* Per-message fields apply to every record of the report. */
typedef struct {
	const char *reporting_mta;
	GString *ext;
} permsg_t;

static bool
field_is (const field_t *f, const char *name)
{
	return strlen (name) == f->name_len && g_ascii_strncasecmp (f->name, name, f->name_len) == 0;
}

static void
dsn_finish (bt_report_t *report, bt_record_t *rec, GString *ext, const permsg_t *pm)
{
	if (rec == NULL)
		return;
	if (rec->f[BT_F_REPORTING_MTA] == NULL && pm->reporting_mta)
		rec->f[BT_F_REPORTING_MTA] = pm->reporting_mta;
	if (pm->ext->len || ext->len) {
		GString *all = g_string_new (pm->ext->str);
		g_string_append (all, ext->str);
		rec->f[BT_F_EXTENSIONS] = bt_report_strdup (report, all->str, (gssize) all->len);
		g_string_free (all, TRUE);
	}
	g_string_truncate (ext, 0);
}

static void
dsn_field (bt_report_t *report, field_t *f, bt_record_t **rec, GString *ext, permsg_t *pm)
{
	char type[32];

	dsn_unescape (f->value);
	if (strstr (f->value->str, "=?") != NULL) {
		char *dec = g_mime_utils_header_decode_text (NULL, f->value->str);
		g_string_assign (f->value, dec);
		g_free (dec);
	}
	/* A new Final-Recipient (or an Original-Recipient before any) starts
	 * a record: some MTAs leave out the blank line between recipients. */
	if (field_is (f, "Final-Recipient") && (*rec == NULL || (*rec)->f[BT_F_RECIPIENT])) {
		dsn_finish (report, *rec, ext, pm);
		*rec = bt_report_add (report);
	} else if (field_is (f, "Original-Recipient") && (*rec == NULL || (*rec)->f[BT_F_ORIGINAL_RECIPIENT])) {
		dsn_finish (report, *rec, ext, pm);
		*rec = bt_report_add (report);
	}
	if (*rec == NULL) {
		if (field_is (f, "Reporting-MTA")) {
			char host[256];
			pm->reporting_mta = bt_report_strdup (report, dsn_mta_name (dsn_split_type (f->value->str, type, sizeof type),
										     host, sizeof host), -1);
		}
		else if (f->name_len > 2 && f->name[1] == '-' && (f->name[0] == 'X' || f->name[0] == 'x'))
			g_string_append_printf (pm->ext, "%.*s: %s\n", (int) f->name_len, f->name, f->value->str);
		return;
	}
	dsn_set (report, *rec, f, ext);
}

int
bt_rfc3464_read (bt_mail_t *mail, bt_report_t *report, const char *dsn)
{
	size_t pos = 0, len, dsn_len = strlen (dsn);
	const char *line;
	field_t f = { NULL, 0, g_string_new (NULL) };
	GString *ext = g_string_new (NULL);
	permsg_t pm = { NULL, g_string_new (NULL) };
	bt_record_t *rec = NULL;
	guint before = report->records->len;
	bool have = false;

	(void) mail;
	while (bt_text_next_line (dsn, dsn_len, &pos, &line, &len)) {
		const char *colon;
		if (len > 0 && (line[0] == ' ' || line[0] == '\t') && have) {
			g_string_append_c (f.value, ' ');
			g_string_append_len (f.value, line, (gssize) len);
			continue;
		}
		if (have)
			dsn_field (report, &f, &rec, ext, &pm);
		have = false;
		colon = len ? memchr (line, ':', len) : NULL;
		if (colon == NULL || colon == line)
			continue;
		f.name = line;
		f.name_len = (size_t) (colon - line);
		g_string_assign (f.value, "");
		for (colon++; colon < line + len && (*colon == ' ' || *colon == '\t'); colon++)
			;
		g_string_append_len (f.value, colon, (gssize) (len - (size_t) (colon - line)));
		have = true;
	}
	if (have)
		dsn_field (report, &f, &rec, ext, &pm);
	dsn_finish (report, rec, ext, &pm);

	/* Drop records that name nobody (a stray Original-Recipient alone
	 * keeps its address as the recipient). */
	for (guint i = report->records->len; i > before; i--) {
		bt_record_t *r = report->records->pdata[i - 1];
		if (r->f[BT_F_RECIPIENT] == NULL && r->f[BT_F_ORIGINAL_RECIPIENT])
			r->f[BT_F_RECIPIENT] = r->f[BT_F_ORIGINAL_RECIPIENT];
		if (r->f[BT_F_RECIPIENT] == NULL)
			g_ptr_array_remove_index (report->records, i - 1);
	}
	g_string_free (f.value, TRUE);
	g_string_free (ext, TRUE);
	g_string_free (pm.ext, TRUE);
	return (int) (report->records->len - before);
}

bool
bt_engine_rfc3464 (bt_mail_t *mail, bt_report_t *report)
{
	int n = 0;

	for (guint i = 0; i < mail->dsn->len; i++)
		n += bt_rfc3464_read (mail, report, mail->dsn->pdata[i]);
	if (n == 0 && mail->dsn->len == 0)
		n = bt_rfc3464_read_body (mail, report);
	return n > 0;
}

/* A delivery-status block written into the text body: from the line that
 * starts it (Reporting-MTA, or the first Final-Recipient) to the next MIME
 * boundary, with "> " quoting removed. */
int
bt_rfc3464_read_body (bt_mail_t *mail, bt_report_t *report)
{
	const char *body = mail->body, *m, *start, *line;
	size_t pos, len, blen;
	GString *dsn;
	int n;

	m = bt_text_find (body, mail->body_len, "final-recipient:");
	if (m == NULL)
		return 0;
	start = bt_text_find (body, (size_t) (m - body), "reporting-mta:");
	if (start == NULL)
		start = m;
	while (start > body && start[-1] != '\n')
		start--;
	blen = mail->body_len - (size_t) (start - body);
	dsn = g_string_sized_new (blen);
	pos = 0;
	while (bt_text_next_line (start, blen, &pos, &line, &len)) {
		if (len >= 2 && line[0] == '-' && line[1] == '-')
			break;
		while (len > 0 && line[0] == '>') {
			line++;
			len--;
			if (len > 0 && line[0] == ' ') {
				line++;
				len--;
			}
		}
		g_string_append_len (dsn, line, (gssize) len);
		g_string_append_c (dsn, '\n');
	}
	n = bt_rfc3464_read (mail, report, dsn->str);
	g_string_free (dsn, TRUE);
	return n;
}
