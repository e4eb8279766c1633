/*-------------------------------------------------------------------------
 *
 * audit_core.c
 *	  Canonical serialisation, RFC 6962 Merkle hashing and block hashing of
 *	  the audit trail (specified byte for byte in docs/audit-format.md).
 *
 * A field is a 4-byte big-endian length followed by that many bytes; SQL
 * NULL is the length 0xFFFFFFFF with no bytes.  Numbers are written as
 * decimal text fields, hashes as 32-byte fields.  A row image is a 4-byte
 * column count followed by (name, value) field pairs in strictly ascending
 * byte order of the names; a record without an image has the count
 * 0xFFFFFFFF.  Length prefixes make ('a|b','c') and ('a','b|c') differ, and
 * NULL, '' and a missing column are three different byte strings.
 *
 * SHA-256 and HMAC-SHA-256 come from OpenSSL's EVP interface.  The digest
 * context is created once per process and reset for every hash; nothing in
 * this file can raise a server error, so no context is left half-used.
 *
 * src/core/audit_core.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include <openssl/evp.h>
#include <openssl/core_names.h>

#include "audit_core.h"

static EVP_MD *sha256_md = NULL;
static EVP_MD_CTX *sha256_ctx = NULL;
static EVP_MAC *hmac_mac = NULL;

/*
 * Sink that feeds the shared digest context, through a buffer: a record is
 * written in many pieces of a few bytes, and one digest update per piece
 * would cost more than the hashing itself.
 */
typedef struct HashSinkState
{
	EVP_MD_CTX *ctx;
	bool		failed;
	size_t		len;
	uint8		buf[4096];
} HashSinkState;

/*
 * Prepare the process-wide SHA-256 context (fetched once: fetching an
 * algorithm per hash costs more than hashing a short record).
 */
static bool
sha256_ready(void)
{
	if (sha256_md == NULL)
		sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (sha256_md != NULL && sha256_ctx == NULL)
		sha256_ctx = EVP_MD_CTX_new();
	return sha256_md != NULL && sha256_ctx != NULL;
}

/* Pass the buffered bytes to the digest, remembering any failure. */
static void
hash_sink_flush(HashSinkState *st)
{
	if (st->len > 0 && !st->failed &&
		EVP_DigestUpdate(st->ctx, st->buf, st->len) != 1)
		st->failed = true;
	st->len = 0;
}

/* Sink callback: add bytes to the digest. */
static void
hash_sink_write(void *arg, const void *data, size_t len)
{
	HashSinkState *st = (HashSinkState *) arg;

	if (st->len + len > sizeof(st->buf))
	{
		hash_sink_flush(st);
		if (len > sizeof(st->buf))
		{
			if (!st->failed && EVP_DigestUpdate(st->ctx, data, len) != 1)
				st->failed = true;
			return;
		}
	}
	memcpy(st->buf + st->len, data, len);
	st->len += len;
}

/* Write a 4-byte big-endian unsigned integer. */
static void
put_u32(ClSink *sink, uint32 v)
{
	uint8		b[4];

	b[0] = (uint8) (v >> 24);
	b[1] = (uint8) (v >> 16);
	b[2] = (uint8) (v >> 8);
	b[3] = (uint8) v;
	sink->write(sink->arg, b, 4);
}

/* Write one field: length prefix and bytes, or the NULL marker. */
static int
put_field(ClSink *sink, const char *data, size_t len)
{
	if (data == NULL)
	{
		put_u32(sink, CL_AUDIT_NULL_LEN);
		return CL_AUDIT_OK;
	}
	if (len >= CL_AUDIT_NULL_LEN)
		return CL_AUDIT_ETOOLONG;
	put_u32(sink, (uint32) len);
	if (len > 0)
		sink->write(sink->arg, data, len);
	return CL_AUDIT_OK;
}

/* Write a NUL-terminated string as a field (NULL pointer: SQL NULL). */
static int
put_cstring(ClSink *sink, const char *s)
{
	return put_field(sink, s, s ? strlen(s) : 0);
}

/*
 * Write an integer as a decimal text field (sign, then digits without
 * leading zeros).  Formatted here: the port's snprintf is not linked into
 * the standalone tests.
 */
static void
put_decimal(ClSink *sink, bool negative, uint64 magnitude)
{
	char		buf[24];
	int			pos = sizeof(buf);

	do
	{
		buf[--pos] = (char) ('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude > 0);
	if (negative)
		buf[--pos] = '-';
	put_field(sink, buf + pos, sizeof(buf) - pos);
}

/* Write a signed integer as a decimal text field. */
static void
put_int64(ClSink *sink, int64 v)
{
	put_decimal(sink, v < 0, v < 0 ? (uint64) 0 - (uint64) v : (uint64) v);
}

/* Write an unsigned integer as a decimal text field. */
static void
put_uint64(ClSink *sink, uint64 v)
{
	put_decimal(sink, false, v);
}

/* Compare two column names as byte strings (shorter prefix first). */
static int
column_cmp(const void *a, const void *b)
{
	const ClAuditColumn *ca = (const ClAuditColumn *) a;
	const ClAuditColumn *cb = (const ClAuditColumn *) b;
	size_t		n = Min(ca->name_len, cb->name_len);
	int			c = memcmp(ca->name, cb->name, n);

	if (c != 0)
		return c;
	if (ca->name_len != cb->name_len)
		return ca->name_len < cb->name_len ? -1 : 1;
	return 0;
}

/*
 * Sort an image's columns into canonical (byte) order of their names, so
 * that the physical column order of the table never matters.  Two columns
 * with one name cannot be told apart and are an error.
 */
int
cl_audit_sort_columns(ClAuditColumn *cols, int ncols)
{
	/* Shell sort (gaps 3k+1): no libc qsort in the standalone build */
	int			gap = 1;

	while (gap < ncols / 3)
		gap = 3 * gap + 1;
	for (; gap > 0; gap /= 3)
		for (int i = gap; i < ncols; i++)
		{
			ClAuditColumn tmp = cols[i];
			int			j = i;

			while (j >= gap && column_cmp(&cols[j - gap], &tmp) > 0)
			{
				cols[j] = cols[j - gap];
				j -= gap;
			}
			cols[j] = tmp;
		}
	for (int i = 1; i < ncols; i++)
		if (column_cmp(&cols[i - 1], &cols[i]) == 0)
			return CL_AUDIT_EDUPCOL;
	return CL_AUDIT_OK;
}

/* Write a row image (sorted columns), or the marker of an absent one. */
static int
put_image(ClSink *sink, const ClAuditImage *img)
{
	if (img == NULL)
	{
		put_u32(sink, CL_AUDIT_NULL_LEN);
		return CL_AUDIT_OK;
	}
	put_u32(sink, (uint32) img->ncols);
	for (int i = 0; i < img->ncols; i++)
	{
		const ClAuditColumn *c = &img->cols[i];

		if (i > 0 && column_cmp(&img->cols[i - 1], c) >= 0)
			return CL_AUDIT_EDUPCOL;
		if (put_field(sink, c->name, c->name_len) != CL_AUDIT_OK ||
			put_field(sink, c->value, c->value_len) != CL_AUDIT_OK)
			return CL_AUDIT_ETOOLONG;
	}
	return CL_AUDIT_OK;
}

/*
 * Write the canonical bytes of one record (docs/audit-format.md, "Record").
 * The leaf hash is SHA-256 over a 0x00 byte followed by these bytes.
 */
int
cl_audit_serialise_record(const ClAuditRecord *rec, ClSink *sink)
{
	int			rc;

	put_int64(sink, rec->version);
	put_int64(sink, rec->id);
	put_uint64(sink, rec->xid);
	put_int64(sink, rec->ordinal);
	if ((rc = put_cstring(sink, rec->table_name)) != CL_AUDIT_OK ||
		(rc = put_cstring(sink, rec->operation)) != CL_AUDIT_OK ||
		(rc = put_cstring(sink, rec->session_user_name)) != CL_AUDIT_OK ||
		(rc = put_cstring(sink, rec->current_user_name)) != CL_AUDIT_OK ||
		(rc = put_cstring(sink, rec->xact_start)) != CL_AUDIT_OK ||
		(rc = put_cstring(sink, rec->stmt_time)) != CL_AUDIT_OK ||
		(rc = put_image(sink, rec->key)) != CL_AUDIT_OK ||
		(rc = put_image(sink, rec->old_row)) != CL_AUDIT_OK ||
		(rc = put_image(sink, rec->new_row)) != CL_AUDIT_OK)
		return rc;
	return CL_AUDIT_OK;
}

/*
 * Start an RFC 6962 leaf hash (the 0x00 prefix) and point a sink at it.
 */
static bool
leaf_begin(HashSinkState *st, ClSink *sink)
{
	static const uint8 leaf_prefix = 0x00;

	if (!sha256_ready() ||
		EVP_DigestInit_ex2(sha256_ctx, sha256_md, NULL) != 1 ||
		EVP_DigestUpdate(sha256_ctx, &leaf_prefix, 1) != 1)
		return false;
	st->ctx = sha256_ctx;
	st->failed = false;
	st->len = 0;
	sink->write = hash_sink_write;
	sink->arg = st;
	return true;
}

/* Finish a leaf hash started by leaf_begin. */
static bool
leaf_end(HashSinkState *st, uint8 *out)
{
	unsigned int outlen = 0;

	hash_sink_flush(st);
	return EVP_DigestFinal_ex(sha256_ctx, out, &outlen) == 1 &&
		!st->failed && outlen == CL_HASH_LEN;
}

/* Compute a record's RFC 6962 leaf hash: SHA-256(0x00 || record). */
int
cl_audit_record_leaf(const ClAuditRecord *rec, uint8 *out)
{
	HashSinkState st;
	ClSink		sink;
	int			rc;

	if (!leaf_begin(&st, &sink))
		return CL_AUDIT_ECRYPTO;
	rc = cl_audit_serialise_record(rec, &sink);
	if (!leaf_end(&st, out))
		return CL_AUDIT_ECRYPTO;
	return rc;
}

/* SHA-256 of a byte string. */
int
cl_sha256(const void *data, size_t len, uint8 *out)
{
	unsigned int outlen = 0;

	if (!sha256_ready() ||
		EVP_DigestInit_ex2(sha256_ctx, sha256_md, NULL) != 1 ||
		EVP_DigestUpdate(sha256_ctx, data, len) != 1 ||
		EVP_DigestFinal_ex(sha256_ctx, out, &outlen) != 1 ||
		outlen != CL_HASH_LEN)
		return CL_AUDIT_ECRYPTO;
	return CL_AUDIT_OK;
}

/* HMAC-SHA-256 of a byte string; the MAC context is freed on every path. */
int
cl_hmac_sha256(const uint8 *key, size_t keylen, const void *data, size_t len,
			   uint8 *out)
{
	EVP_MAC_CTX *ctx;
	OSSL_PARAM	params[2];
	size_t		outlen = 0;
	int			ok;

	if (hmac_mac == NULL)
		hmac_mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (hmac_mac == NULL || (ctx = EVP_MAC_CTX_new(hmac_mac)) == NULL)
		return CL_AUDIT_ECRYPTO;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
												 (char *) "SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = EVP_MAC_init(ctx, key, keylen, params) == 1 &&
		EVP_MAC_update(ctx, data, len) == 1 &&
		EVP_MAC_final(ctx, out, &outlen, CL_HASH_LEN) == 1 &&
		outlen == CL_HASH_LEN;
	EVP_MAC_CTX_free(ctx);
	return ok ? CL_AUDIT_OK : CL_AUDIT_ECRYPTO;
}

/* RFC 6962 leaf hash: SHA-256(0x00 || data). */
int
cl_merkle_leaf_hash(const void *data, size_t len, uint8 *out)
{
	static const uint8 leaf_prefix = 0x00;
	unsigned int outlen = 0;

	if (!sha256_ready() ||
		EVP_DigestInit_ex2(sha256_ctx, sha256_md, NULL) != 1 ||
		EVP_DigestUpdate(sha256_ctx, &leaf_prefix, 1) != 1 ||
		(len > 0 && EVP_DigestUpdate(sha256_ctx, data, len) != 1) ||
		EVP_DigestFinal_ex(sha256_ctx, out, &outlen) != 1)
		return CL_AUDIT_ECRYPTO;
	return CL_AUDIT_OK;
}

/* RFC 6962 interior node: SHA-256(0x01 || left || right). */
int
cl_merkle_node_hash(const uint8 *left, const uint8 *right, uint8 *out)
{
	uint8		buf[1 + 2 * CL_HASH_LEN];

	buf[0] = 0x01;
	memcpy(buf + 1, left, CL_HASH_LEN);
	memcpy(buf + 1 + CL_HASH_LEN, right, CL_HASH_LEN);
	return cl_sha256(buf, sizeof(buf), out);
}

/*
 * RFC 6962 Merkle Tree Hash over n leaf hashes (each already
 * SHA-256(0x00 || leaf)), 32 bytes each, consecutive.  The RFC splits a list
 * at the largest power of two below its length; pairing neighbours level by
 * level and carrying an unpaired last node up unchanged builds the same
 * tree.  The array is overwritten.  The hash of the empty tree is
 * SHA-256 of the empty string.
 */
int
cl_merkle_root(uint8 *hashes, size_t n, uint8 *out)
{
	if (n == 0)
		return cl_sha256("", 0, out);
	while (n > 1)
	{
		size_t		half = 0;

		for (size_t i = 0; i + 1 < n; i += 2)
		{
			if (cl_merkle_node_hash(hashes + i * CL_HASH_LEN,
									hashes + (i + 1) * CL_HASH_LEN,
									hashes + half * CL_HASH_LEN) != CL_AUDIT_OK)
				return CL_AUDIT_ECRYPTO;
			half++;
		}
		if (n % 2 == 1)
		{
			memmove(hashes + half * CL_HASH_LEN,
					hashes + (n - 1) * CL_HASH_LEN, CL_HASH_LEN);
			half++;
		}
		n = half;
	}
	memcpy(out, hashes, CL_HASH_LEN);
	return CL_AUDIT_OK;
}

/*
 * Write a transaction entry of a block: its transaction id and start time
 * (together they name a transaction even across a restore into another
 * cluster, whose transaction ids start again), its number of records and
 * the Merkle root over its records' leaf hashes.
 */
void
cl_audit_serialise_txn(uint64 xid, const char *xact_start, int64 n_records,
					   const uint8 *root, ClSink *sink)
{
	put_uint64(sink, xid);
	put_cstring(sink, xact_start);
	put_int64(sink, n_records);
	put_field(sink, (const char *) root, CL_HASH_LEN);
}

/* A transaction entry's leaf hash in its block's Merkle tree. */
int
cl_audit_txn_leaf(uint64 xid, const char *xact_start, int64 n_records,
				  const uint8 *root, uint8 *out)
{
	HashSinkState st;
	ClSink		sink;

	if (!leaf_begin(&st, &sink))
		return CL_AUDIT_ECRYPTO;
	cl_audit_serialise_txn(xid, xact_start, n_records, root, &sink);
	if (!leaf_end(&st, out))
		return CL_AUDIT_ECRYPTO;
	return CL_AUDIT_OK;
}

/* Write a block header (docs/audit-format.md, "Block"). */
void
cl_audit_serialise_block(const ClAuditBlock *blk, ClSink *sink)
{
	put_int64(sink, blk->version);
	put_int64(sink, blk->block_no);
	put_field(sink, (const char *) blk->prev_hash, CL_HASH_LEN);
	put_field(sink, (const char *) blk->merkle_root, CL_HASH_LEN);
	put_int64(sink, blk->n_transactions);
	put_int64(sink, blk->n_records);
	put_uint64(sink, blk->system_identifier);
	put_uint64(sink, blk->database_oid);
	if (blk->key_id == 0)
		put_field(sink, NULL, 0);
	else
		put_int64(sink, blk->key_id);
}

/* Sink that copies into a fixed buffer (a block header is short). */
typedef struct FixedBuf
{
	uint8		data[512];
	size_t		len;
	bool		overflow;
} FixedBuf;

static void
fixed_write(void *arg, const void *data, size_t len)
{
	FixedBuf   *b = (FixedBuf *) arg;

	if (b->len + len > sizeof(b->data))
	{
		b->overflow = true;
		return;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

/*
 * A block's hash: SHA-256 of its header, or HMAC-SHA-256 with the key when
 * the block is keyed.
 */
int
cl_audit_block_hash(const ClAuditBlock *blk, const uint8 *key, size_t keylen,
					uint8 *out)
{
	FixedBuf	buf;
	ClSink		sink;

	buf.len = 0;
	buf.overflow = false;
	sink.write = fixed_write;
	sink.arg = &buf;
	cl_audit_serialise_block(blk, &sink);
	if (buf.overflow)
		return CL_AUDIT_ETOOLONG;
	if (key != NULL)
		return cl_hmac_sha256(key, keylen, buf.data, buf.len, out);
	return cl_sha256(buf.data, buf.len, out);
}

/* Reader over canonical bytes for cl_audit_check_record. */
typedef struct Reader
{
	const uint8 *p;
	size_t		left;
} Reader;

/* Read a 4-byte big-endian integer. */
static bool
get_u32(Reader *r, uint32 *v)
{
	if (r->left < 4)
		return false;
	*v = ((uint32) r->p[0] << 24) | ((uint32) r->p[1] << 16) |
		((uint32) r->p[2] << 8) | (uint32) r->p[3];
	r->p += 4;
	r->left -= 4;
	return true;
}

/* Read one field; *data is NULL for the NULL marker. */
static bool
get_field(Reader *r, const char **data, size_t *len)
{
	uint32		n;

	if (!get_u32(r, &n))
		return false;
	if (n == CL_AUDIT_NULL_LEN)
	{
		*data = NULL;
		*len = 0;
		return true;
	}
	if (n > r->left)
		return false;
	*data = (const char *) r->p;
	*len = n;
	r->p += n;
	r->left -= n;
	return true;
}

/* Read a decimal text field made of digits only (optionally signed). */
static bool
get_number(Reader *r, bool allow_sign)
{
	const char *d;
	size_t		n;

	if (!get_field(r, &d, &n) || d == NULL || n == 0 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++)
	{
		if (i == 0 && allow_sign && d[i] == '-' && n > 1)
			continue;
		if (d[i] < '0' || d[i] > '9')
			return false;
	}
	return true;
}

/*
 * Check that bytes are a well-formed canonical record of this format
 * version (what an external verifier parses) and write them back out
 * through the sink field by field, so a caller can check the round trip.
 * Returns CL_AUDIT_EPARSE on malformed or non-canonical input.
 */
int
cl_audit_check_record(const uint8 *data, size_t len, ClSink *sink)
{
	Reader		r;
	const char *d;
	size_t		n;

	r.p = data;
	r.left = len;
	if (!get_field(&r, &d, &n) || d == NULL || n != 1 || d[0] != '1')
		return CL_AUDIT_EPARSE;
	if (!get_number(&r, true) || !get_number(&r, false) ||
		!get_number(&r, true))
		return CL_AUDIT_EPARSE;
	for (int i = 0; i < 6; i++)
		if (!get_field(&r, &d, &n) || (i < 2 && d == NULL))
			return CL_AUDIT_EPARSE;
	for (int img = 0; img < 3; img++)
	{
		uint32		ncols;
		const char *prev = NULL;
		size_t		prev_len = 0;

		if (!get_u32(&r, &ncols))
			return CL_AUDIT_EPARSE;
		if (ncols == CL_AUDIT_NULL_LEN)
			continue;
		if (ncols > r.left / 8)
			return CL_AUDIT_EPARSE;
		for (uint32 c = 0; c < ncols; c++)
		{
			const char *v;
			size_t		vlen;
			ClAuditColumn a,
						b;

			if (!get_field(&r, &d, &n) || d == NULL ||
				!get_field(&r, &v, &vlen))
				return CL_AUDIT_EPARSE;
			if (prev != NULL)
			{
				a.name = prev;
				a.name_len = prev_len;
				b.name = d;
				b.name_len = n;
				if (column_cmp(&a, &b) >= 0)
					return CL_AUDIT_EPARSE;
			}
			prev = d;
			prev_len = n;
		}
	}
	if (r.left != 0)
		return CL_AUDIT_EPARSE;
	if (sink != NULL)
		sink->write(sink->arg, data, len);
	return CL_AUDIT_OK;
}

/* Lower-case hexadecimal of a byte string; out holds 2 * len + 1 bytes. */
void
cl_hex(const uint8 *bytes, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++)
	{
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0x0f];
	}
	out[2 * len] = '\0';
}
