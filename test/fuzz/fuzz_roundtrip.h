/*-------------------------------------------------------------------------
 *
 * fuzz_roundtrip.h
 *	  The property the fixed-point parser fuzzers check: any input either
 *	  fails cleanly or parses to a value whose output parses back to the
 *	  same value, and output fits its buffer.
 *
 * test/fuzz/fuzz_roundtrip.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FUZZ_ROUNDTRIP_H
#define FUZZ_ROUNDTRIP_H

#include "cl_port.h"

#include <stdlib.h>
#include <string.h>

#include "fixedpoint.h"

/* Parse data; if it is a value, check that its output reads back */
static inline void
fuzz_roundtrip(const FpKind *kind, const uint8_t *data, size_t size)
{
	char		buf[FP_FORMAT_MAX + 1];
	int64		value;
	int64		back;
	size_t		n;
	FpParseError err;
	FpStatus	st;

	/* the parser gets exactly the input bytes, no terminator */
	st = fp_parse(kind, (const char *) data, size, &value, &err);
	if (st != FP_OK)
	{
		/* a unit error points inside the input */
		if ((st == FP_UNKNOWN_UNIT || st == FP_AMBIGUOUS_UNIT ||
			 st == FP_WRONG_CASE_UNIT) &&
			(err.unit < (const char *) data ||
			 err.unit + err.unit_len > (const char *) data + size))
			abort();
		return;
	}

	n = fp_format(kind, value, buf);
	if (n >= FP_FORMAT_MAX || strlen(buf) != n)
		abort();
	if (fp_parse(kind, buf, n, &back, &err) != FP_OK || back != value)
		abort();
}

#endif							/* FUZZ_ROUNDTRIP_H */
