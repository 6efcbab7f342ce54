/* query.h: mail-derived strings made safe for notmuch queries.
 *
 * A recipient address, a message id or a subject comes from a stranger's
 * mail: `"x" or tag:inbox`@example.com is a valid address.  Pasted into a
 * query it would change what the query means (and so which messages a tag
 * change touches).  Every such string goes through these functions, which
 * quote it the way notmuch's infix (Xapian) syntax does: the value in
 * double quotes, every double quote inside doubled (notmuch-search-terms(7),
 * "Quoting": tag:"""quoted tag""").  Quoted, a value is one boolean term
 * (after a boolean prefix such as property:, tag:, id:) or one phrase
 * (after a probabilistic prefix or none): parentheses, operators (and, or,
 * not, NEAR), wildcards and other prefixes inside it are plain text.
 *
 * Every function returns a new string: g_free it. */
#ifndef BT_QUERY_H
#define BT_QUERY_H

/* s in double quotes with inner double quotes doubled: a"b -> "a""b".
 * NULL is taken as "".  Invalid UTF-8 is replaced (U+FFFD) so the query
 * parser never sees a broken sequence. */
char *bt_query_quote (const char *s);

/* prefix:"value" (value quoted as bt_query_quote).  prefix is ours, never
 * from mail ("property", "id", "tag"...). */
char *bt_query_term (const char *prefix, const char *value);

/* The term for "all bounces for this recipient": an exact match of the
 * store's cached recipient property (store.h), which holds the address
 * lower case:  property:"bouncetriage.recipient=ADDRESS".  address is
 * lower-cased the same way (bt_query_address_key). */
char *bt_query_recipient (const char *address);

/* address as the recipient property stores it: valid UTF-8, ASCII letters
 * lower case (g_ascii_strdown, as the store does), surrounding white space
 * removed. */
char *bt_query_address_key (const char *address);

#endif
