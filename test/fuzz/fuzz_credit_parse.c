/*-------------------------------------------------------------------------
 *
 * fuzz_credit_parse.c
 *	  libFuzzer target: carbon_credit text input never crashes or reads past its
 *	  input, and every value it accepts formats and parses back equal.
 *
 * test/fuzz/fuzz_credit_parse.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz_roundtrip.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One fuzz input: the round-trip property for carbon_credit */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_roundtrip(&fp_credit_kind, data, size);
	return 0;
}
