/*-------------------------------------------------------------------------
 *
 * fuzz_ledger_rate.c
 *	  libFuzzer target for the rate reader of src/core/ledger_core.c: any
 *	  byte string goes through cl_rate_parse, which must not read outside
 *	  it; a rate it accepts is a plain decimal whose credits for any grams
 *	  agree with a long-hand computation (truncated, never above the exact
 *	  product) or are reported out of range.
 *
 * test/fuzz/fuzz_ledger_rate.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include "ledger_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * LLVMFuzzerTestOneInput
 *		Check the input as an activity kind, then parse an exact-size copy
 *		of it as a rate; for an accepted rate, check
 *		the credits of a few amounts of grams (the first eight bytes of the
 *		input among them) against digits x grams / 10^(scale + 3).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size ? size : 1);
	ClRate		r;
	int64		grams[4] = {0, 1, 1000, PG_INT64_MAX};
	size_t		i;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	if (size >= 8)
	{
		uint64		g;

		memcpy(&g, data, 8);
		grams[0] = (int64) (g & (uint64) PG_INT64_MAX);
	}

	/*
	 * The same bytes as an activity kind: the check must read only within
	 * them, and a kind it accepts has no space at either end.
	 */
	{
		uint32		offending;

		if (cl_kind_check(s, size, &offending) == CL_KIND_OK &&
			(s[0] == ' ' || s[size - 1] == ' '))
			abort();
	}

	if (cl_rate_parse(s, size, &r) == CL_LEDGER_OK)
	{
		if (r.digits < 0 || r.scale < 0 || r.scale > CL_RATE_MAX_SCALE)
			abort();
		for (i = 0; i < lengthof(grams); i++)
		{
			int64		t;
			int128		exact = (int128) r.digits * grams[i];
			int128		divisor = 1000;
			int			k;

			for (k = 0; k < r.scale; k++)
				divisor *= 10;
			if (cl_credits_for_grams(&r, grams[i], &t) == CL_LEDGER_OK)
			{
				/* t = floor(exact / divisor) */
				if (t < 0 || (int128) t * divisor > exact ||
					((int128) t + 1) * divisor <= exact)
					abort();
			}
			else if (exact / divisor <= (int128) PG_INT64_MAX)
				abort();
		}
	}
	free(s);
	return 0;
}
