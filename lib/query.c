/* query.c: quoting mail-derived strings for notmuch's query syntax.
 *
 * Xapian's query parser (which notmuch's infix syntax is) reads a double
 * quote after a prefix as the start of a quoted term or phrase that ends at
 * the next lone double quote; two double quotes in a row stand for one
 * literal double quote.  Nothing else is special inside the quotes, so
 * doubling the quotes is all the escaping there is. */
#include "config.h"

#include <string.h>
#include <glib.h>
#include "bouncetriage/query.h"

#define BT_QUERY_RECIPIENT_PROPERTY "bouncetriage.recipient"

static void
query_append_quoted (GString *out, const char *s)
{
	char *valid = g_utf8_make_valid (s ? s : "", -1);

	g_string_append_c (out, '"');
	for (const char *p = valid; *p; p++) {
		if (*p == '"')
			g_string_append_c (out, '"');
		g_string_append_c (out, *p);
	}
	g_string_append_c (out, '"');
	g_free (valid);
}

char *
bt_query_quote (const char *s)
{
	GString *out = g_string_new (NULL);

	query_append_quoted (out, s);
	return g_string_free (out, FALSE);
}

char *
bt_query_term (const char *prefix, const char *value)
{
	GString *out = g_string_new (prefix);

	g_string_append_c (out, ':');
	query_append_quoted (out, value);
	return g_string_free (out, FALSE);
}

char *
bt_query_address_key (const char *address)
{
	char *valid = g_utf8_make_valid (address ? address : "", -1);
	/* ASCII only, as the store lower-cases what it caches (store.c). */
	char *key = g_ascii_strdown (g_strstrip (valid), -1);

	g_free (valid);
	return key;
}

char *
bt_query_recipient (const char *address)
{
	char *key = bt_query_address_key (address);
	char *value = g_strconcat (BT_QUERY_RECIPIENT_PROPERTY "=", key, NULL);
	char *term = bt_query_term ("property", value);

	g_free (value);
	g_free (key);
	return term;
}
