/*-------------------------------------------------------------------------
 *
 * audit_core.h
 *	  Server-independent hashing of the audit trail: the canonical record
 *	  serialisation, RFC 6962 Merkle trees and the block chain.
 *
 * Everything an auditor needs to recompute a hash outside the database is
 * here and in docs/audit-format.md, which specifies the same bytes.  The
 * functions write through a caller-supplied sink and never allocate, so the
 * backend glue, the unit tests and the fuzzers share them unchanged.
 *
 * src/core/audit_core.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef AUDIT_CORE_H
#define AUDIT_CORE_H

#include "cl_port.h"

#define CL_AUDIT_FORMAT_VERSION	1
#define CL_HASH_LEN				32
#define CL_AUDIT_NULL_LEN		0xFFFFFFFFu

/* Result codes of the functions below. */
#define CL_AUDIT_OK				0
#define CL_AUDIT_ECRYPTO		1	/* OpenSSL failed (out of memory) */
#define CL_AUDIT_EDUPCOL		2	/* two columns share a name */
#define CL_AUDIT_ETOOLONG		3	/* a field longer than 4 GB - 2 */
#define CL_AUDIT_EPARSE			4	/* malformed canonical bytes */

/* Where serialised bytes go: a buffer, a hash, or nowhere (counting). */
typedef struct ClSink
{
	void		(*write) (void *arg, const void *data, size_t len);
	void	   *arg;
} ClSink;

/* One column of a row image; value NULL is SQL NULL. */
typedef struct ClAuditColumn
{
	const char *name;
	size_t		name_len;
	const char *value;
	size_t		value_len;
} ClAuditColumn;

/* A row image: columns sorted by cl_audit_sort_columns. */
typedef struct ClAuditImage
{
	int			ncols;
	ClAuditColumn *cols;
} ClAuditImage;

/*
 * One audit record.  Text fields are NUL-terminated UTF-8; an image pointer
 * of NULL means the record has no such image (no old row for an INSERT).
 */
typedef struct ClAuditRecord
{
	int			version;
	int64		id;
	uint64		xid;
	int32		ordinal;
	const char *table_name;
	const char *operation;
	const char *session_user_name;
	const char *current_user_name;
	const char *xact_start;
	const char *stmt_time;
	const ClAuditImage *key;
	const ClAuditImage *old_row;
	const ClAuditImage *new_row;
} ClAuditRecord;

/* One block of the chain; key_id 0 means unkeyed (plain SHA-256). */
typedef struct ClAuditBlock
{
	int			version;
	int64		block_no;
	uint8		prev_hash[CL_HASH_LEN];
	uint8		merkle_root[CL_HASH_LEN];
	int64		n_transactions;
	int64		n_records;
	uint64		system_identifier;
	uint32		database_oid;
	int32		key_id;
} ClAuditBlock;

extern int	cl_audit_sort_columns(ClAuditColumn *cols, int ncols);
extern int	cl_audit_serialise_record(const ClAuditRecord *rec, ClSink *sink);
extern int	cl_audit_record_leaf(const ClAuditRecord *rec, uint8 *out);

extern int	cl_sha256(const void *data, size_t len, uint8 *out);
extern int	cl_hmac_sha256(const uint8 *key, size_t keylen,
						   const void *data, size_t len, uint8 *out);
extern int	cl_merkle_leaf_hash(const void *data, size_t len, uint8 *out);
extern int	cl_merkle_node_hash(const uint8 *left, const uint8 *right,
								uint8 *out);
extern int	cl_merkle_root(uint8 *leaf_hashes, size_t n, uint8 *out);

extern void cl_audit_serialise_txn(uint64 xid, const char *xact_start,
								   int64 n_records, const uint8 *root,
								   ClSink *sink);
extern int	cl_audit_txn_leaf(uint64 xid, const char *xact_start,
							  int64 n_records, const uint8 *root, uint8 *out);
extern void cl_audit_serialise_block(const ClAuditBlock *blk, ClSink *sink);
extern int	cl_audit_block_hash(const ClAuditBlock *blk, const uint8 *key,
								size_t keylen, uint8 *out);

extern int	cl_audit_check_record(const uint8 *data, size_t len,
								  ClSink *sink);
extern void cl_hex(const uint8 *bytes, size_t len, char *out);

#endif							/* AUDIT_CORE_H */
