/*-------------------------------------------------------------------------
 *
 * test_audit_core.c
 *	  cmocka unit tests of src/core/audit_core.c: RFC 6962 Merkle roots
 *	  against the published vectors, the canonical record bytes, and the
 *	  properties the format promises (distinct NULL, '' and missing column;
 *	  length prefixes; column order independence).
 *
 * test/unit/test_audit_core.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "audit_core.h"

/* A growable byte buffer for the sink. */
typedef struct Buf
{
	uint8		data[4096];
	size_t		len;
} Buf;

static void
buf_write(void *arg, const void *data, size_t len)
{
	Buf		   *b = arg;

	assert_true(b->len + len <= sizeof(b->data));
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

/* Hex of a 32-byte hash. */
static const char *
hex32(const uint8 *h)
{
	static char out[65];

	cl_hex(h, 32, out);
	return out;
}

/* Decode a hex string into bytes; returns the length. */
static size_t
unhex(const char *s, uint8 *out)
{
	size_t		n = 0;

	while (s[0] && s[1])
	{
		unsigned int v;

		sscanf(s, "%2x", &v);
		out[n++] = (uint8) v;
		s += 2;
	}
	return n;
}

/* The RFC 6962 test vectors, from test/data/rfc6962-merkle-vectors.txt. */
static void
test_rfc6962_vectors(void **state)
{
	static const char *leaves[] = {"", "00", "10", "2021", "3031",
		"40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
	FILE	   *f = fopen("test/data/rfc6962-merkle-vectors.txt", "r");
	char		line[256];
	int			checked = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
	{
		int			n;
		char		want[65];
		uint8		hashes[8 * 32];
		uint8		root[32];

		if (line[0] == '#' || sscanf(line, "%d %64s", &n, want) != 2)
			continue;
		for (int i = 0; i < n; i++)
		{
			uint8		data[32];
			size_t		len = unhex(leaves[i], data);

			assert_int_equal(cl_merkle_leaf_hash(data, len, hashes + i * 32),
							 CL_AUDIT_OK);
		}
		assert_int_equal(cl_merkle_root(hashes, (size_t) n, root), CL_AUDIT_OK);
		assert_string_equal(hex32(root), want);
		checked++;
	}
	fclose(f);
	assert_int_equal(checked, 9);
}

/* A small record with one new image. */
static void
leaf_of(ClAuditColumn *cols, int ncols, uint8 *out)
{
	ClAuditImage img = {ncols, cols};
	ClAuditRecord rec;

	memset(&rec, 0, sizeof(rec));
	rec.version = 1;
	rec.id = 1;
	rec.xid = 740;
	rec.ordinal = 1;
	rec.table_name = "public.t";
	rec.operation = "INSERT";
	rec.session_user_name = "alice";
	rec.current_user_name = "alice";
	rec.xact_start = "2025-01-01 00:00:00+00";
	rec.stmt_time = "2025-01-01 00:00:00+00";
	rec.new_row = &img;
	assert_int_equal(cl_audit_sort_columns(cols, ncols), CL_AUDIT_OK);
	assert_int_equal(cl_audit_record_leaf(&rec, out), CL_AUDIT_OK);
}

/* ('a|b','c') and ('a','b|c') hash differently. */
static void
test_length_prefixes(void **state)
{
	ClAuditColumn x[2] = {{"a", 1, "a|b", 3}, {"b", 1, "c", 1}};
	ClAuditColumn y[2] = {{"a", 1, "a", 1}, {"b", 1, "b|c", 3}};
	uint8		hx[32],
				hy[32];

	leaf_of(x, 2, hx);
	leaf_of(y, 2, hy);
	assert_memory_not_equal(hx, hy, 32);
}

/* NULL, empty string and a missing column are three different records. */
static void
test_null_empty_missing(void **state)
{
	ClAuditColumn n[2] = {{"a", 1, "1", 1}, {"b", 1, NULL, 0}};
	ClAuditColumn e[2] = {{"a", 1, "1", 1}, {"b", 1, "", 0}};
	ClAuditColumn m[1] = {{"a", 1, "1", 1}};
	uint8		hn[32],
				he[32],
				hm[32];

	leaf_of(n, 2, hn);
	leaf_of(e, 2, he);
	leaf_of(m, 1, hm);
	assert_memory_not_equal(hn, he, 32);
	assert_memory_not_equal(hn, hm, 32);
	assert_memory_not_equal(he, hm, 32);
}

/* Column order of the table does not matter; names sort as bytes. */
static void
test_column_order(void **state)
{
	ClAuditColumn x[3] = {{"b", 1, "2", 1}, {"a", 1, "1", 1}, {"ab", 2, "3", 1}};
	ClAuditColumn y[3] = {{"ab", 2, "3", 1}, {"a", 1, "1", 1}, {"b", 1, "2", 1}};
	ClAuditColumn d[2] = {{"a", 1, "1", 1}, {"a", 1, "2", 1}};
	uint8		hx[32],
				hy[32];

	leaf_of(x, 3, hx);
	leaf_of(y, 3, hy);
	assert_memory_equal(hx, hy, 32);
	assert_string_equal(x[0].name, "a");
	assert_string_equal(x[1].name, "ab");
	assert_string_equal(x[2].name, "b");
	assert_int_equal(cl_audit_sort_columns(d, 2), CL_AUDIT_EDUPCOL);
}

/*
 * The bytes of a record are those docs/audit-format.md specifies, and they
 * parse back as a canonical record.
 */
static void
test_record_bytes(void **state)
{
	ClAuditColumn cols[2] = {{"id", 2, "1", 1}, {"note", 4, NULL, 0}};
	ClAuditImage img = {2, cols};
	ClAuditRecord rec;
	Buf			b = {{0}, 0};
	ClSink		sink = {buf_write, &b};
	static const uint8 head[] = {0, 0, 0, 1, '1', 0, 0, 0, 2, '4', '2'};
	uint8		leaf[32];
	uint8		direct[4097];

	memset(&rec, 0, sizeof(rec));
	rec.version = 1;
	rec.id = 42;
	rec.xid = 740;
	rec.ordinal = 1;
	rec.table_name = "public.t";
	rec.operation = "DELETE";
	rec.session_user_name = "alice";
	rec.current_user_name = "bob";
	rec.xact_start = "2025-01-01 00:00:00+00";
	rec.stmt_time = "2025-01-01 00:00:00.5+00";
	rec.key = &img;
	rec.old_row = &img;
	assert_int_equal(cl_audit_serialise_record(&rec, &sink), CL_AUDIT_OK);
	assert_memory_equal(b.data, head, sizeof(head));
	/* the absent new image is the last four bytes */
	assert_memory_equal(b.data + b.len - 4, "\xff\xff\xff\xff", 4);
	assert_int_equal(cl_audit_check_record(b.data, b.len, NULL), CL_AUDIT_OK);
	assert_int_equal(cl_audit_check_record(b.data, b.len - 1, NULL),
					 CL_AUDIT_EPARSE);

	/* leaf = SHA-256(0x00 || bytes) */
	direct[0] = 0;
	memcpy(direct + 1, b.data, b.len);
	assert_int_equal(cl_audit_record_leaf(&rec, leaf), CL_AUDIT_OK);
	{
		uint8		h[32];

		assert_int_equal(cl_sha256(direct, b.len + 1, h), CL_AUDIT_OK);
		assert_memory_equal(h, leaf, 32);
	}
}

/* Blocks: the hash covers every field; HMAC differs from plain SHA-256. */
static void
test_block_hash(void **state)
{
	ClAuditBlock blk;
	uint8		h1[32],
				h2[32],
				h3[32];
	static const uint8 key[32] = {1, 2, 3};

	memset(&blk, 0, sizeof(blk));
	blk.version = 1;
	blk.block_no = 1;
	blk.n_transactions = 1;
	blk.n_records = 1;
	blk.system_identifier = UINT64CONST(7412345678901234567);
	blk.database_oid = 16384;
	assert_int_equal(cl_audit_block_hash(&blk, NULL, 0, h1), CL_AUDIT_OK);
	blk.database_oid = 16385;
	assert_int_equal(cl_audit_block_hash(&blk, NULL, 0, h2), CL_AUDIT_OK);
	assert_memory_not_equal(h1, h2, 32);
	blk.key_id = 1;
	assert_int_equal(cl_audit_block_hash(&blk, key, 32, h3), CL_AUDIT_OK);
	assert_memory_not_equal(h2, h3, 32);
	/* RFC 4231 test case 2: HMAC-SHA-256("Jefe", "what do ya want ...") */
	assert_int_equal(cl_hmac_sha256((const uint8 *) "Jefe", 4,
									"what do ya want for nothing?", 28, h1),
					 CL_AUDIT_OK);
	assert_string_equal(hex32(h1),
						"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6962_vectors),
		cmocka_unit_test(test_length_prefixes),
		cmocka_unit_test(test_null_empty_missing),
		cmocka_unit_test(test_column_order),
		cmocka_unit_test(test_record_bytes),
		cmocka_unit_test(test_block_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
