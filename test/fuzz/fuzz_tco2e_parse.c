/*-------------------------------------------------------------------------
 *
 * fuzz_tco2e_parse.c
 *	  libFuzzer target: tco2e text input never crashes or reads past its
 *	  input, and every value it accepts formats and parses back equal.
 *
 * test/fuzz/fuzz_tco2e_parse.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz_roundtrip.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One fuzz input: the round-trip property for tco2e */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_roundtrip(&fp_tco2e_kind, data, size);
	return 0;
}
