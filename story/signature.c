/* story/signature.c: a signature's fixed little-endian encoding, as the store keeps it. */

#include <string.h>

#include "story/story.h"

/* Layout: exact (8 bytes), shingles (4), hashes (64 x 4), all little-endian,
 * so a state directory moves between machines. */
_Static_assert(STORY_SIGNATURE_BYTES == 8 + 4 + 64 * 4,
    "STORY_SIGNATURE_BYTES is the encoded layout");

/* Writes the low bytes of v, least significant first. */
static uint8_t *
signature_put(uint8_t *p, uint64_t v, size_t bytes)
{
	size_t i;

	for (i = 0; i < bytes; i++)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

/* Reads bytes bytes, least significant first. */
static uint64_t
signature_get(const uint8_t **pp, size_t bytes)
{
	const uint8_t	*p = *pp;
	uint64_t	 v = 0;
	size_t		 i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	*pp = p + bytes;
	return v;
}

void
story_signature_encode(const struct story_signature *sig, uint8_t *out)
{
	size_t i;

	out = signature_put(out, sig->exact, 8);
	out = signature_put(out, sig->shingles, 4);
	for (i = 0; i < 64; i++)
		out = signature_put(out, sig->hashes[i], 4);
}

int
story_signature_decode(const uint8_t *buf, size_t len,
    struct story_signature *out)
{
	size_t i;

	if (buf == NULL || len != STORY_SIGNATURE_BYTES)
		return -1;
	out->exact = signature_get(&buf, 8);
	out->shingles = (uint32_t)signature_get(&buf, 4);
	for (i = 0; i < 64; i++)
		out->hashes[i] = (uint32_t)signature_get(&buf, 4);
	return 0;
}
