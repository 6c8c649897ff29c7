/* parse/charset.h: deciding which charset a feed is written in and turning its bytes into UTF-8; private to parse/. */
#ifndef WW_PARSE_CHARSET_H
#define WW_PARSE_CHARSET_H

#include <stddef.h>

/* Longest charset name we keep ("windows-1251", "ISO-8859-15"...). */
#define CHARSET_NAME_MAX	40

/* What the bytes say about their charset, strongest evidence first: a
 * byte order mark, then the HTTP charset, then the layout of "<?xml" in
 * UTF-16/32, then the XML declaration, else UTF-8. */
struct charset_guess {
	char	 name[CHARSET_NAME_MAX];	/* as iconv spells it; "UTF-8" by default */
	size_t	 skip;		/* bytes of byte order mark to drop */
	int	 utf8;		/* the name is UTF-8 or ASCII: no conversion */
};

/* Fills g for the body buf (len bytes) served with content_type (or NULL). */
void	 charset_guess(const char *buf, size_t len, const char *content_type,
	    struct charset_guess *g);
/* Converts len bytes in charset to UTF-8, each byte sequence that is not
 * valid in it becoming U+FFFD. Returns the new buffer (NUL terminated,
 * its length in *outlen, the replacements in *nbad), or NULL when iconv
 * does not know the charset. */
char	*charset_to_utf8(const char *buf, size_t len, const char *charset,
	    size_t *outlen, size_t *nbad);
/* Repairs text that claims to be UTF-8 but is not: when it holds more
 * invalid bytes than valid multi-byte characters it is read as
 * windows-1252 (the usual truth behind such feeds), else each invalid
 * byte becomes U+FFFD. Returns the
 * new buffer and sets *as_1252 to which repair was made. */
char	*charset_repair_utf8(const char *buf, size_t len, size_t *outlen,
	    int *as_1252);
/* True when the len bytes at buf are valid UTF-8 with at least one
 * multi-byte character (so a Latin-1 label on them is wrong). */
int	 charset_is_utf8_text(const char *buf, size_t len);
/* True when iconv can read charset. */
int	 charset_known(const char *charset);
/* True when name is UTF-16 or UTF-32 (of either byte order) or UCS. */
int	 charset_is_wide(const char *name);
/* True when the len bytes at buf are valid UTF-8 (or plain ASCII). */
int	 charset_utf8_valid(const char *buf, size_t len);

#endif
