/* mail.c: walk a message's MIME tree once and keep what engines read. */
#include "config.h"

/* memmem (glibc, the BSDs and macOS have it). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>
#include "mail.h"
#include "text.h"

/* Limits that keep hostile nesting bounded. */
#define MAIL_MAX_DEPTH 32
#define MAIL_MAX_PARTS 1000

typedef struct {
	bt_mail_t *mail;
	GString *plain;
	GString *html;
	int parts;
} walk_t;

const char *
bt_mail_keep (bt_mail_t *mail, char *s)
{
	if (s != NULL)
		g_ptr_array_add (mail->owned, s);
	return s;
}

/* True when the len bytes of s are valid UTF-8 without CR or NUL. */
static bool
mail_is_clean (const char *s, size_t len)
{
	return memchr (s, '\r', len) == NULL && bt_text_utf8 (s, len);
}

/* UTF-8 with LF line ends: CRLF and bare CR become LF (invalid UTF-8 is
 * replaced; NULs are kept out by the callers' C strings). */
static char *
mail_clean_text (const char *s, gssize len)
{
	char *valid, *out, *o;

	/* An empty GByteArray has no data pointer at all. */
	if (s == NULL || len == 0)
		return g_strdup ("");
	if (len < 0)
		len = (gssize) strlen (s);
	/* The common case, clean already, costs one validation and one copy. */
	if (mail_is_clean (s, (size_t) len))
		return g_strndup (s, (gsize) len);
	valid = g_utf8_make_valid (s, len);
	out = o = g_malloc (strlen (valid) + 1);
	for (const char *p = valid; *p; p++) {
		if (*p == '\r') {
			*o++ = '\n';
			if (p[1] == '\n')
				p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	g_free (valid);
	return out;
}

/* The decoded (transfer encoding removed) content of a leaf part, raw:
 * g_byte_array_unref it.  Content without a transfer encoding is read
 * straight from its stream (a window on the message GMime keeps); the
 * rest is decoded by GMime's filters. */
static GByteArray *
mail_part_raw (GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content (part);
	GMimeContentEncoding enc;
	GMimeStream *in, *mem;
	GByteArray *bytes;
	gint64 len;

	if (content == NULL)
		return g_byte_array_new ();
	enc = g_mime_data_wrapper_get_encoding (content);
	in = g_mime_data_wrapper_get_stream (content);
	if (in != NULL && (enc == GMIME_CONTENT_ENCODING_DEFAULT || enc == GMIME_CONTENT_ENCODING_7BIT
			   || enc == GMIME_CONTENT_ENCODING_8BIT || enc == GMIME_CONTENT_ENCODING_BINARY)
	    && (len = g_mime_stream_length (in)) >= 0
	    && len < G_MAXUINT && g_mime_stream_reset (in) == 0) {
		ssize_t got = 0, n;
		bytes = g_byte_array_sized_new ((guint) len + 1);
		g_byte_array_set_size (bytes, (guint) len);
		while ((gint64) got < len && (n = g_mime_stream_read (in, (char *) bytes->data + got, (size_t) (len - got))) > 0)
			got += n;
		g_byte_array_set_size (bytes, (guint) got);
		return bytes;
	}
	mem = g_mime_stream_mem_new ();
	g_mime_data_wrapper_write_to_stream (content, mem);
	/* Take the array over: the stream would free its data with it. */
	bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
	g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
	g_object_unref (mem);
	return bytes;
}

/* The content of a leaf part as clean UTF-8 text (no conversion); clean
 * content is kept as it is, not copied. */
static char *
mail_part_bytes (GMimePart *part)
{
	GByteArray *bytes = mail_part_raw (part);
	char *text;

	if (bytes->len > 0 && mail_is_clean ((const char *) bytes->data, bytes->len)) {
		g_byte_array_append (bytes, (const guint8 *) "", 1);
		return (char *) g_byte_array_free (bytes, FALSE);
	}
	text = mail_clean_text ((const char *) bytes->data, (gssize) bytes->len);
	g_byte_array_unref (bytes);
	return text;
}

/* Converters to UTF-8, opened once per charset: opening one costs more than
 * parsing a small bounce.  A converter is used by one thread at a time. */
static GMutex mail_iconv_lock;
static GHashTable *mail_iconv_cache;     /* iconv name -> GIConv, or -1 */

static void
mail_iconv_close (gpointer p)
{
	if ((GIConv) p != (GIConv) -1)
		g_iconv_close ((GIConv) p);
}

void
bt_mail_shutdown (void)
{
	g_mutex_lock (&mail_iconv_lock);
	g_clear_pointer (&mail_iconv_cache, g_hash_table_destroy);
	g_mutex_unlock (&mail_iconv_lock);
}

/* bytes converted from charset to UTF-8, or NULL when the charset is unknown
 * or the bytes are not valid in it. */
static char *
mail_convert (const char *charset, const GByteArray *bytes)
{
	const char *name = g_mime_charset_iconv_name (charset);
	gpointer cd;
	char *out = NULL;
	gsize written = 0;

	if (name == NULL)
		return NULL;
	g_mutex_lock (&mail_iconv_lock);
	if (mail_iconv_cache == NULL)
		mail_iconv_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, mail_iconv_close);
	if (!g_hash_table_lookup_extended (mail_iconv_cache, name, NULL, &cd)) {
		cd = (gpointer) g_iconv_open ("UTF-8", name);
		g_hash_table_insert (mail_iconv_cache, g_strdup (name), cd);
	}
	if ((GIConv) cd != (GIConv) -1) {
		g_iconv ((GIConv) cd, NULL, NULL, NULL, NULL);
		out = g_convert_with_iconv ((const char *) bytes->data, (gssize) bytes->len, (GIConv) cd,
					    NULL, &written, NULL);
	}
	g_mutex_unlock (&mail_iconv_lock);
	if (out != NULL) {
		char *clean = mail_clean_text (out, (gssize) written);
		g_free (out);
		out = clean;
	}
	return out;
}

/* Text of a text part in UTF-8. */
static char *
mail_part_text (GMimePart *part)
{
	const char *charset;
	GByteArray *bytes;
	char *text;

	if (!GMIME_IS_TEXT_PART (part))
		return mail_part_bytes (part);
	/* ASCII and UTF-8 need no conversion. */
	charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");
	if (charset == NULL || g_ascii_strcasecmp (charset, "us-ascii") == 0
	    || g_ascii_strcasecmp (charset, "utf-8") == 0 || g_ascii_strcasecmp (charset, "utf8") == 0)
		return mail_part_bytes (part);
	bytes = mail_part_raw (part);
	if (bytes->len == 0) {
		g_byte_array_unref (bytes);
		return g_strdup ("");
	}
	text = mail_convert (charset, bytes);
	if (text == NULL) {
		/* GMime's own reading replaces what cannot be converted. */
		char *raw = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
		text = raw ? mail_clean_text (raw, -1)
			: mail_clean_text ((const char *) bytes->data, (gssize) bytes->len);
		g_free (raw);
	}
	g_byte_array_unref (bytes);
	return text;
}

static void
mail_append (GString *s, const char *text)
{
	if (s->len > 0)
		g_string_append (s, "\n\n");
	g_string_append (s, text);
}

/* Crude but safe: drop tags, keep text, turn <br> and block ends into line
 * breaks; entities are left as they are. */
static char *
mail_strip_html (const char *html)
{
	GString *out = g_string_new (NULL);
	bool tag = false;

	for (const char *p = html; *p; p++) {
		if (*p == '<') {
			tag = true;
			if (g_ascii_strncasecmp (p, "<br", 3) == 0 || g_ascii_strncasecmp (p, "</p", 3) == 0
			    || g_ascii_strncasecmp (p, "</div", 5) == 0 || g_ascii_strncasecmp (p, "</tr", 4) == 0)
				g_string_append_c (out, '\n');
		} else if (*p == '>' && tag) {
			tag = false;
		} else if (!tag) {
			g_string_append_c (out, *p);
		}
	}
	return g_string_free (out, FALSE);
}

/* The subtypes of message/ that GMime would parse as a message (its
 * parser's is_rfc822): bt_parse_init has it keep them as leaf parts. */
static bool
mail_is_message (const char *sub)
{
	static const char *const subs[] = { "rfc822", "rfc2822", "global", "news" };

	for (size_t i = 0; i < G_N_ELEMENTS (subs); i++)
		if (g_ascii_strcasecmp (sub, subs[i]) == 0)
			return true;
	return false;
}

/* The header block of the len bytes of a message, as clean text: up to
 * the first empty line (LF or CRLF), or all of it when there is none. */
static char *
mail_header_block (const char *s, size_t len)
{
	const char *e;

	/* An empty attachment has no data pointer: no arithmetic on NULL. */
	if (s == NULL || len == 0)
		return g_strdup ("");
	e = s + len;
	for (const char *p = s; p < e;) {
		const char *nl = memchr (p, '\n', (size_t) (e - p));
		size_t n = nl ? (size_t) (nl - p) : (size_t) (e - p);
		if (n == 0 || (n == 1 && *p == '\r'))
			return mail_clean_text (s, p - s);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return mail_clean_text (s, (gssize) len);
}

static void
mail_walk_leaf (walk_t *w, GMimePart *part)
{
	GMimeContentType *ct = g_mime_object_get_content_type (GMIME_OBJECT (part));
	const char *type = ct ? g_mime_content_type_get_media_type (ct) : "text";
	const char *sub = ct ? g_mime_content_type_get_media_subtype (ct) : "plain";
	bt_mail_t *m = w->mail;
	char *text;

	if (type == NULL || sub == NULL)
		return;
	if (g_ascii_strcasecmp (type, "message") == 0
	    && (g_ascii_strcasecmp (sub, "delivery-status") == 0
		|| g_ascii_strcasecmp (sub, "global-delivery-status") == 0)) {
		g_ptr_array_add (m->dsn, (gpointer) bt_mail_keep (m, mail_part_bytes (part)));
	} else if (g_ascii_strcasecmp (type, "message") == 0 && g_ascii_strcasecmp (sub, "feedback-report") == 0) {
		if (m->feedback == NULL)
			m->feedback = bt_mail_keep (m, mail_part_bytes (part));
	} else if ((g_ascii_strcasecmp (type, "text") == 0 || g_ascii_strcasecmp (type, "message") == 0)
		   && (g_ascii_strcasecmp (sub, "rfc822-headers") == 0 || g_ascii_strcasecmp (sub, "global-headers") == 0)) {
		if (m->orig_headers == NULL)
			m->orig_headers = bt_mail_keep (m, mail_part_bytes (part));
	} else if (g_ascii_strcasecmp (type, "message") == 0 && mail_is_message (sub)) {
		/* The original: its headers now, the rest if it is needed. */
		if (m->orig_headers == NULL) {
			m->attached = mail_part_raw (part);
			m->orig_headers = bt_mail_keep (m, mail_header_block ((const char *) m->attached->data, m->attached->len));
		}
	} else if (g_ascii_strcasecmp (type, "text") == 0 && g_ascii_strcasecmp (sub, "html") == 0) {
		text = mail_part_text (part);
		mail_append (w->html, text);
		g_free (text);
	} else if (g_ascii_strcasecmp (type, "text") == 0) {
		/* Attached or inline, text is read: several MTAs attach their
		 * transcript, or the original, as text/plain. */
		text = mail_part_text (part);
		mail_append (w->plain, text);
		g_free (text);
	}
}

static void
mail_walk (walk_t *w, GMimeObject *obj, int depth)
{
	if (obj == NULL || depth > MAIL_MAX_DEPTH || ++w->parts > MAIL_MAX_PARTS)
		return;
	if (GMIME_IS_MULTIPART (obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART (obj);
		int n = g_mime_multipart_get_count (mp);
		for (int i = 0; i < n; i++)
			mail_walk (w, g_mime_multipart_get_part (mp, i), depth + 1);
		/* A boundary that never occurs (mangled by a relay) leaves every
		 * part in the prologue: read it as text. */
		if (n == 0 && g_mime_multipart_get_prologue (mp) != NULL) {
			char *text = mail_clean_text (g_mime_multipart_get_prologue (mp), -1);
			mail_append (w->plain, text);
			g_free (text);
		}
	} else if (GMIME_IS_PART (obj)) {
		mail_walk_leaf (w, GMIME_PART (obj));
	}
}

/* An ASCII-lower-case copy of the len bytes of s (and its NUL), eight
 * bytes at a time: byte by byte it was a third of bt_mail_new.  For each
 * byte b without its high bit, (b & 0x7f) + (0x80 - 'A') has the high bit
 * set when b >= 'A', (b & 0x7f) + (0x80 - 'Z' - 1) when b > 'Z'; the bytes
 * where only the first is set (and b itself is ASCII) get 0x20 added. */
static char *
mail_lower (const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80, low7 = ones * 0x7f;
	char *out = g_malloc (len + 1);
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w, h, upper;
		memcpy (&w, s + i, 8);
		h = w & low7;
		upper = ((h + ones * (0x80 - 'A')) ^ (h + ones * (0x80 - 'Z' - 1))) & ~w & high;
		w |= upper >> 2;
		memcpy (out + i, &w, 8);
	}
	for (; i < len; i++)
		out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char) (s[i] + 32) : s[i];
	out[len] = '\0';
	return out;
}

/* The body's 4-byte sequences are kept for every MAIL_GRAM_STRIDE-th
 * position only (a quarter of the stores), hashed into a set of about
 * eight bits a position: sparse enough that each test rules out much,
 * small enough to clear and to stay in the cache. */
#define MAIL_GRAM_STRIDE 4
#define MAIL_GRAM_MIN_BITS 10
#define MAIL_GRAM_MAX_BITS 20

static inline guint32
mail_gram_hash (const unsigned char *s, unsigned bits)
{
	guint32 x;

	memcpy (&x, s, 4);
	return (x * 0x9E3779B1u) >> (32 - bits);
}

static void
mail_grams (bt_mail_t *m)
{
	const unsigned char *p = (const unsigned char *) m->body_lc;
	size_t len = m->body_len;
	unsigned bits = MAIL_GRAM_MIN_BITS;
	guint64 *set;

	while (bits < MAIL_GRAM_MAX_BITS && ((size_t) 1 << bits) < 8 * (len / MAIL_GRAM_STRIDE))
		bits++;
	set = g_new0 (guint64, ((size_t) 1 << bits) / 64);
	for (size_t i = 0; i + 4 <= len; i += MAIL_GRAM_STRIDE) {
		guint32 h = mail_gram_hash (p + i, bits);
		set[h >> 6] |= (guint64) 1 << (h & 63);
	}
	m->grams = set;
	m->gram_bits = bits;
}

static inline bool
mail_gram_has (const bt_mail_t *mail, const unsigned char *s)
{
	guint32 h = mail_gram_hash (s, mail->gram_bits);

	return (mail->grams[h >> 6] & ((guint64) 1 << (h & 63))) != 0;
}

/* False when the body cannot hold needle (lower case, n bytes); true means
 * maybe.  Were the needle in the body, the kept positions inside it would
 * be j, j + stride, j + 2 * stride... for one j below the stride, and the
 * sequence at each of them in the set. */
static bool
mail_may_hold (const bt_mail_t *mail, const char *needle, size_t n)
{
	const unsigned char *p = (const unsigned char *) needle;

	for (size_t j = 0; j < MAIL_GRAM_STRIDE; j++) {
		size_t i = j;
		while (i + 4 <= n && mail_gram_has (mail, p + i))
			i += MAIL_GRAM_STRIDE;
		if (i + 4 > n)
			return true;
	}
	return false;
}

/* True when domain needs nothing from IDNA: lower-case letters, digits,
 * dots and hyphens, which idn2 gives back as they are. */
static bool
mail_plain_domain (const char *domain)
{
	if (*domain == '\0')
		return false;
	for (const char *p = domain; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return false;
	return true;
}

/* The From header as internet_address_list_to_string (list, NULL, FALSE)
 * gives it.  That asks libidn2 for the ASCII form of every domain (a
 * twentieth of the time of a whole bounce); the usual From, one mailbox on
 * a plain domain, is written here the same way without it. */
static char *
mail_from_string (InternetAddressList *list)
{
	InternetAddress *ia;
	const char *addr, *at, *name;
	char *quoted, *out;

	if (internet_address_list_length (list) != 1)
		return internet_address_list_to_string (list, NULL, FALSE);
	ia = internet_address_list_get_address (list, 0);
	if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
		return internet_address_list_to_string (list, NULL, FALSE);
	addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
	at = addr ? strrchr (addr, '@') : NULL;
	if (at == NULL || !mail_plain_domain (at + 1))
		return internet_address_list_to_string (list, NULL, FALSE);
	/* GMime gives "" for a mailbox without a name, and writes it bare. */
	name = internet_address_get_name (ia);
	if (name == NULL || *name == '\0')
		return g_strdup (addr);
	quoted = g_mime_utils_quote_string (name);
	out = g_strconcat (quoted, " <", addr, ">", NULL);
	g_free (quoted);
	return out;
}

/* From, Subject and Message-ID as a GMimeMessage reads them (the mailboxes
 * of every From header, the last Subject and Message-ID), from the header
 * list of a part parsed as the top of a message.  The list (NULL when
 * there is no From) is the caller's; *subject and *id are the headers'. */
static InternetAddressList *
mail_part_headers (GMimeObject *top, const char **subject, const char **id)
{
	GMimeHeaderList *list = g_mime_object_get_header_list (top);
	InternetAddressList *from = NULL;
	int n = g_mime_header_list_get_count (list);

	*subject = *id = NULL;
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at (list, i);
		const char *name = g_mime_header_get_name (h);
		if (g_ascii_strcasecmp (name, "From") == 0) {
			InternetAddressList *l = internet_address_list_parse (NULL, g_mime_header_get_raw_value (h));
			if (from == NULL) {
				from = l;
			} else if (l != NULL) {
				internet_address_list_append (from, l);
				g_object_unref (l);
			}
		} else if (g_ascii_strcasecmp (name, "Subject") == 0) {
			*subject = g_mime_header_get_value (h);
		} else if (g_ascii_strcasecmp (name, "Message-Id") == 0) {
			*id = g_mime_header_get_value (h);
		}
	}
	return from;
}

bt_mail_t *
bt_mail_new (GMimeObject *top)
{
	bt_mail_t *m = g_new0 (bt_mail_t, 1);
	walk_t w = { m, g_string_new (NULL), g_string_new (NULL), 0 };
	InternetAddressList *from;
	GMimeObject *root = top;
	const char *subject, *id;

	m->top = g_object_ref (top);
	m->owned = g_ptr_array_new_with_free_func (g_free);
	m->dsn = g_ptr_array_new ();

	if (GMIME_IS_MESSAGE (top)) {
		GMimeMessage *message = GMIME_MESSAGE (top);
		subject = g_mime_message_get_subject (message);
		m->message_id = g_mime_message_get_message_id (message);
		from = g_mime_message_get_from (message);
		if (from != NULL)
			g_object_ref (from);
		root = g_mime_message_get_mime_part (message);
	} else {
		from = mail_part_headers (top, &subject, &id);
		m->message_id = id ? bt_mail_keep (m, g_mime_utils_decode_message_id (id)) : NULL;
	}
	m->subject = subject ? bt_mail_keep (m, mail_clean_text (subject, -1)) : "";
	m->from = from ? bt_mail_keep (m, mail_from_string (from)) : NULL;
	if (m->from == NULL)
		m->from = "";
	g_clear_object (&from);

	mail_walk (&w, root, 0);
	if (w.plain->len == 0 && w.html->len > 0) {
		char *stripped = mail_strip_html (w.html->str);
		g_string_append (w.plain, stripped);
		g_free (stripped);
	}
	m->body_len = w.plain->len;
	m->body = bt_mail_keep (m, g_string_free (w.plain, FALSE));
	m->body_lc = bt_mail_keep (m, mail_lower (m->body, m->body_len));
	mail_grams (m);
	g_string_free (w.html, TRUE);
	return m;
}

void
bt_mail_free (bt_mail_t *mail)
{
	if (mail == NULL)
		return;
	g_object_unref (mail->top);
	if (mail->attached != NULL)
		g_byte_array_unref (mail->attached);
	g_ptr_array_free (mail->dsn, TRUE);
	g_ptr_array_free (mail->owned, TRUE);
	g_free (mail->grams);
	g_free (mail);
}

const char *
bt_mail_header (const bt_mail_t *mail, const char *name)
{
	return g_mime_object_get_header (mail->top, name);
}

const char *
bt_mail_find (const bt_mail_t *mail, size_t from, size_t len, const char *needle)
{
	char small[128], *lc = small;
	size_t n = strlen (needle);
	const char *hit;

	if (from > mail->body_len)
		return NULL;
	len = MIN (len, mail->body_len - from);
	/* Engines' needles are mostly written in lower case already: then the
	 * needle is searched as it is, without a folded copy. */
	{
		size_t i = 0;
		while (i < n && (unsigned char) (needle[i] - 'A') >= 26)
			i++;
		if (i == n) {
			if (!mail_may_hold (mail, needle, n))
				return NULL;
			hit = memmem (mail->body_lc + from, len, needle, n);
			return hit ? mail->body + (hit - mail->body_lc) : NULL;
		}
	}
	if (n >= sizeof small)
		lc = g_malloc (n + 1);
	for (size_t i = 0; i <= n; i++)
		lc[i] = needle[i] >= 'A' && needle[i] <= 'Z' ? (char) (needle[i] + 32) : needle[i];
	hit = mail_may_hold (mail, lc, n) ? memmem (mail->body_lc + from, len, lc, n) : NULL;
	if (lc != small)
		g_free (lc);
	return hit ? mail->body + (hit - mail->body_lc) : NULL;
}
