/* engine.c: helpers every engine may use. */
#include "config.h"

#include <string.h>
#include "engine.h"

bt_record_t *
bt_engine_add (bt_report_t *report, const char *recipient, gssize rlen,
	       const char *diag, gssize dlen)
{
	char *addr = bt_text_address (recipient, rlen);
	bt_record_t *rec;

	if (addr == NULL)
		return NULL;
	rec = bt_report_add (report);
	bt_record_set (report, rec, BT_F_RECIPIENT, addr, -1);
	g_free (addr);
	if (diag != NULL)
		bt_record_set (report, rec, BT_F_DIAGNOSTIC, diag, dlen);
	return rec;
}

static const char *
engine_addresses (bt_report_t *report, InternetAddressList *list)
{
	char *s;
	const char *kept;

	if (list == NULL || internet_address_list_length (list) == 0)
		return NULL;
	s = internet_address_list_to_string (list, NULL, FALSE);
	kept = bt_report_strdup (report, s, -1);
	g_free (s);
	return kept;
}

void
bt_engine_original_headers (bt_report_t *report, const char *headers, gssize len)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	GByteArray *buf;
	const char *v;

	if (headers == NULL)
		return;
	if (len < 0)
		len = (gssize) strlen (headers);
	buf = g_byte_array_sized_new ((guint) len + 2);
	g_byte_array_append (buf, (const guint8 *) headers, (guint) len);
	g_byte_array_append (buf, (const guint8 *) "\n\n", 2);
	stream = g_mime_stream_mem_new_with_byte_array (buf);
	parser = g_mime_parser_new_with_stream (stream);
	msg = g_mime_parser_construct_message (parser, NULL);
	if (msg != NULL) {
		if (report->orig_message_id == NULL && (v = g_mime_message_get_message_id (msg)))
			report->orig_message_id = bt_report_strdup (report, v, -1);
		if (report->orig_subject == NULL && (v = g_mime_message_get_subject (msg)))
			report->orig_subject = bt_report_strdup (report, v, -1);
		if (report->orig_from == NULL)
			report->orig_from = engine_addresses (report, g_mime_message_get_from (msg));
		if (report->orig_to == NULL)
			report->orig_to = engine_addresses (report, g_mime_message_get_to (msg));
		if (report->orig_date == NULL && (v = g_mime_object_get_header (GMIME_OBJECT (msg), "Date")))
			report->orig_date = bt_report_strdup (report, v, -1);
		g_object_unref (msg);
	}
	g_object_unref (parser);
	g_object_unref (stream);
}

GPtrArray *
bt_engine_fields (const char *text, gssize slen, const char *name)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	size_t pos = 0, len, n = strlen (name), text_len;
	const char *line;
	GString *cur = NULL;

	if (text == NULL)
		return out;
	text_len = slen < 0 ? strlen (text) : (size_t) slen;
	while (bt_text_next_line (text, text_len, &pos, &line, &len)) {
		if (cur != NULL && len > 0 && (line[0] == ' ' || line[0] == '\t')) {
			g_string_append_c (cur, ' ');
			g_string_append_len (cur, line, (gssize) len);
			continue;
		}
		if (cur != NULL)
			g_ptr_array_add (out, g_strstrip (g_string_free (cur, FALSE)));
		cur = NULL;
		if (len > n && line[n] == ':' && g_ascii_strncasecmp (line, name, n) == 0)
			cur = g_string_new_len (line + n + 1, (gssize) (len - n - 1));
	}
	if (cur != NULL)
		g_ptr_array_add (out, g_strstrip (g_string_free (cur, FALSE)));
	return out;
}

char *
bt_engine_field (const char *text, gssize len, const char *name)
{
	GPtrArray *all = bt_engine_fields (text, len, name);
	char *v = all->len ? g_strdup (all->pdata[0]) : NULL;

	g_ptr_array_free (all, TRUE);
	return v;
}
