/*-------------------------------------------------------------------------
 *
 * fuzz_validators.c
 *	  libFuzzer target for the validators of src/core/cl_validators.c: any
 *	  byte string goes through every validator, which must return without
 *	  reading outside it.  A valid USCC must still be valid after its check
 *	  character is recomputed, and invalid once it is changed.
 *
 * test/fuzz/fuzz_validators.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include "cl_validators.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * LLVMFuzzerTestOneInput
 *		Run every validator over an exact-size copy of the input (so that
 *		ASan sees any over-read) and check the USCC invariants.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size ? size : 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);

	(void) cl_resident_id_is_valid(s, size);
	(void) cl_gb2260_is_wellformed(s, size);
	(void) cl_luhn_is_valid(s, size);
	(void) cl_orgcode_is_valid(s, size);
	if (cl_uscc_is_valid(s, size))
	{
		char		c = cl_uscc_check_char(s);

		if (c != s[17])
			abort();
		s[17] = (s[17] == '0') ? '1' : '0';
		if (cl_uscc_is_valid(s, size))
			abort();
	}
	free(s);
	return 0;
}
