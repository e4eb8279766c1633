/*-------------------------------------------------------------------------
 *
 * audit_chain.c
 *	  Sealing, verification, digests and HMAC keys of the audit chain.
 *
 * audit_seal() takes a short lock on the chain (a lock writers never ask
 * for), empties the committed part of the pending queue, computes each
 * transaction's RFC 6962 Merkle root over its records' leaf hashes, and
 * appends one block that hashes the previous block, the Merkle root of its
 * transactions, its number and the database identity.  audit_verify()
 * rebuilds every record's canonical bytes from the stored columns and checks
 * every leaf, every transaction root, every block root and every link, in
 * one snapshot.  See docs/audit.md for the design and its guarantees.
 *
 * src/audit_chain.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/transam.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/xid8.h"

#include "audit.h"

PG_FUNCTION_INFO_V1(cl_audit_seal);
PG_FUNCTION_INFO_V1(cl_audit_verify);
PG_FUNCTION_INFO_V1(cl_audit_verify_digest);
PG_FUNCTION_INFO_V1(cl_audit_digest);
PG_FUNCTION_INFO_V1(cl_audit_set_key);
PG_FUNCTION_INFO_V1(cl_audit_restore_key);
PG_FUNCTION_INFO_V1(cl_audit_canonical_record);
PG_FUNCTION_INFO_V1(cl_audit_stored_leaf);
PG_FUNCTION_INFO_V1(cl_audit_merkle_root);

/* Most transactions one block takes, so a long backlog makes many blocks. */
#define SEAL_BATCH_XACTS	10000
/* Most transactions one read of the log collects (blocks of the above). */
#define SEAL_SCAN_XACTS		100000
#define FETCH_ROWS			2000
#define MIN_KEY_BYTES		32

static const uint8 zero_hash[CL_HASH_LEN] = {0};

/* A pending record as the sealer reads it. */
typedef struct SealRec
{
	uint64		xid;
	TimestampTz xact_start;
	int32		ordinal;
	int64		id;
	uint8		leaf[CL_HASH_LEN];
} SealRec;

/* A transaction being sealed (hash key: padding zeroed). */
typedef struct SealXact
{
	uint64		xid;
	TimestampTz xact_start;
} SealXact;

/* An HMAC key. */
typedef struct AuditKey
{
	int32		key_id;
	int64		first_block;
	bytea	   *key;
} AuditKey;

/* The result of a verification, filled as it goes. */
typedef struct VerifyState
{
	int64		records;
	int64		blocks;
	int64		unsealed;
	bool		bad;
	int64		bad_id;			/* 0: none */
	int64		bad_block;		/* 0: none */
	char	   *reason;
	MemoryContext cxt;
} VerifyState;

/* Read a 32-byte hash out of a bytea datum (false if not 32 bytes). */
static bool
datum_hash(Datum d, uint8 *out)
{
	bytea	   *b = DatumGetByteaPP(d);

	if (VARSIZE_ANY_EXHDR(b) != CL_HASH_LEN)
		return false;
	memcpy(out, VARDATA_ANY(b), CL_HASH_LEN);
	return true;
}

/* A bytea datum holding a 32-byte hash. */
static Datum
hash_datum(const uint8 *h)
{
	bytea	   *b = palloc(VARHDRSZ + CL_HASH_LEN);

	SET_VARSIZE(b, VARHDRSZ + CL_HASH_LEN);
	memcpy(VARDATA(b), h, CL_HASH_LEN);
	return PointerGetDatum(b);
}

/* The system identifier as numeric(20,0) (it does not fit in bigint). */
static Datum
sysid_datum(uint64 sysid)
{
	return DirectFunctionCall3(numeric_in,
							   CStringGetDatum(psprintf(UINT64_FORMAT, sysid)),
							   ObjectIdGetDatum(InvalidOid),
							   Int32GetDatum(-1));
}

/* Parse a system identifier out of its numeric text. */
static uint64
sysid_from_text(const char *s)
{
	return strtou64(s, NULL, 10);
}

/* Column value of the current SPI row; *isnull set. */
static Datum
spi_col(HeapTuple tup, int col, bool *isnull)
{
	return SPI_getbinval(tup, SPI_tuptable->tupdesc, col, isnull);
}

/*
 * Load all HMAC keys, ordered by first block (few rows).  fresh: take a new
 * snapshot (sealing, after the chain lock) rather than the caller's.
 */
static List *
load_keys(bool fresh)
{
	List	   *keys = NIL;
	MemoryContext oldcxt;

	if (SPI_execute("SELECT key_id, first_block, key FROM carbon_ledger.audit_key "
					"ORDER BY first_block, key_id", !fresh, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit keys");
	oldcxt = MemoryContextSwitchTo(SPI_tuptable->tuptabcxt->parent);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		AuditKey   *k = palloc(sizeof(AuditKey));
		bool		isnull;

		k->key_id = DatumGetInt32(spi_col(SPI_tuptable->vals[i], 1, &isnull));
		k->first_block = DatumGetInt64(spi_col(SPI_tuptable->vals[i], 2, &isnull));
		k->key = DatumGetByteaPCopy(spi_col(SPI_tuptable->vals[i], 3, &isnull));
		keys = lappend(keys, k);
	}
	MemoryContextSwitchTo(oldcxt);
	return keys;
}

/* The key blocks from block_no on must use (NULL: unkeyed). */
static AuditKey *
key_for_block(List *keys, int64 block_no)
{
	AuditKey   *res = NULL;
	ListCell   *lc;

	foreach(lc, keys)
	{
		AuditKey   *k = lfirst(lc);

		if (k->first_block <= block_no)
			res = k;
	}
	return res;
}

/* A key by id (NULL if not installed). */
static AuditKey *
key_by_id(List *keys, int32 key_id)
{
	ListCell   *lc;

	foreach(lc, keys)
	{
		AuditKey   *k = lfirst(lc);

		if (k->key_id == key_id)
			return k;
	}
	return NULL;
}

/* Fill in this database's identity in a block header. */
static void
set_identity(ClAuditBlock *blk)
{
	blk->system_identifier = GetSystemIdentifier();
	blk->database_oid = MyDatabaseId;
}

/* The transaction named by columns 1 (xid) and 2 (xact_start) of a row. */
static void
spi_xact(HeapTuple t, SealXact *k)
{
	bool		isnull;

	memset(k, 0, sizeof(*k));
	k->xid = U64FromFullTransactionId(DatumGetFullTransactionId(spi_col(t, 1, &isnull)));
	k->xact_start = DatumGetTimestampTz(spi_col(t, 2, &isnull));
}

/* Compare the transactions (id, start) of two pending records. */
static int
sealrec_cmp_xact(const SealRec *x, const SealRec *y)
{
	if (x->xid != y->xid)
		return x->xid < y->xid ? -1 : 1;
	if (x->xact_start != y->xact_start)
		return x->xact_start < y->xact_start ? -1 : 1;
	return 0;
}

/* Order pending records by transaction (id, start), then ordinal. */
static int
sealrec_cmp(const void *a, const void *b)
{
	const SealRec *x = a;
	const SealRec *y = b;
	int			c = sealrec_cmp_xact(x, y);

	if (c != 0)
		return c;
	if (x->ordinal != y->ordinal)
		return x->ordinal < y->ordinal ? -1 : 1;
	return 0;
}

/* Read the chain head (block 0 and the zero hash when empty). */
static int64
read_head(uint8 *hash)
{
	bool		isnull;

	/* not read-only: a fresh snapshot, taken after the chain lock */
	if (SPI_execute("SELECT block_no, block_hash FROM carbon_ledger.audit_block "
					"ORDER BY block_no DESC LIMIT 1", false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit chain head");
	if (SPI_processed == 0)
	{
		memcpy(hash, zero_hash, CL_HASH_LEN);
		return 0;
	}
	if (!datum_hash(spi_col(SPI_tuptable->vals[0], 2, &isnull), hash))
		memcpy(hash, zero_hash, CL_HASH_LEN);
	return DatumGetInt64(spi_col(SPI_tuptable->vals[0], 1, &isnull));
}

/*
 * Append one block made of n records, sorted by transaction and ordinal,
 * of at most SEAL_BATCH_XACTS transactions.  Returns n.
 */
static int64
seal_block(List *keys, SealRec *recs, uint64 n)
{
	int			nxacts = 0;
	uint8	   *xact_leaves;
	uint8	   *scratch;
	Datum	   *xids,
			   *starts,
			   *counts,
			   *roots,
			   *positions;
	ClAuditBlock blk;
	uint8		block_hash[CL_HASH_LEN];
	AuditKey   *key;
	Oid			bargtypes[11] = {INT8OID, BYTEAOID, BYTEAOID, INT8OID, INT8OID,
		NUMERICOID, OIDOID, TEXTOID, INT4OID, INT4OID, BYTEAOID};
	Datum		bargs[11];
	char		bnulls[12];
	Oid			xargtypes[6] = {INT8OID, INT4ARRAYOID, XID8ARRAYOID,
		TIMESTAMPTZARRAYOID, INT8ARRAYOID, BYTEAARRAYOID};
	Datum		xargs[6];

	for (uint64 i = 0; i < n; i++)
		if (i == 0 || sealrec_cmp_xact(&recs[i], &recs[i - 1]) != 0)
			nxacts++;
	xact_leaves = palloc_extended((Size) nxacts * CL_HASH_LEN, MCXT_ALLOC_HUGE);
	scratch = palloc_extended(n * CL_HASH_LEN, MCXT_ALLOC_HUGE);
	xids = palloc(nxacts * sizeof(Datum));
	starts = palloc(nxacts * sizeof(Datum));
	counts = palloc(nxacts * sizeof(Datum));
	roots = palloc(nxacts * sizeof(Datum));
	positions = palloc(nxacts * sizeof(Datum));

	for (uint64 i = 0, x = 0; i < n; x++)
	{
		uint64		j = i;
		uint8		root[CL_HASH_LEN];

		while (j < n && sealrec_cmp_xact(&recs[j], &recs[i]) == 0)
		{
			memcpy(scratch + (j - i) * CL_HASH_LEN, recs[j].leaf, CL_HASH_LEN);
			j++;
		}
		cl_audit_check_rc(cl_merkle_root(scratch, j - i, root));
		cl_audit_check_rc(cl_audit_txn_leaf(recs[i].xid,
											cl_canon_timestamptz(recs[i].xact_start),
											(int64) (j - i), root,
											xact_leaves + x * CL_HASH_LEN));
		xids[x] = FullTransactionIdGetDatum(FullTransactionIdFromU64(recs[i].xid));
		starts[x] = TimestampTzGetDatum(recs[i].xact_start);
		counts[x] = Int64GetDatum((int64) (j - i));
		roots[x] = hash_datum(root);
		positions[x] = Int32GetDatum((int32) x);
		CHECK_FOR_INTERRUPTS();
		i = j;
	}

	memset(&blk, 0, sizeof(blk));
	blk.version = CL_AUDIT_FORMAT_VERSION;
	blk.block_no = read_head(blk.prev_hash) + 1;
	cl_audit_check_rc(cl_merkle_root(xact_leaves, nxacts, blk.merkle_root));
	blk.n_transactions = nxacts;
	blk.n_records = (int64) n;
	set_identity(&blk);
	key = key_for_block(keys, blk.block_no);
	blk.key_id = key ? key->key_id : 0;
	cl_audit_check_rc(cl_audit_block_hash(&blk,
										  key ? (uint8 *) VARDATA_ANY(key->key) : NULL,
										  key ? VARSIZE_ANY_EXHDR(key->key) : 0,
										  block_hash));

	memset(bnulls, ' ', sizeof(bnulls));
	bnulls[11] = '\0';
	bargs[0] = Int64GetDatum(blk.block_no);
	bargs[1] = hash_datum(blk.prev_hash);
	bargs[2] = hash_datum(blk.merkle_root);
	bargs[3] = Int64GetDatum(blk.n_transactions);
	bargs[4] = Int64GetDatum(blk.n_records);
	bargs[5] = sysid_datum(blk.system_identifier);
	bargs[6] = ObjectIdGetDatum(blk.database_oid);
	bargs[7] = CStringGetTextDatum(get_database_name(MyDatabaseId));
	bargs[8] = Int32GetDatum(blk.key_id);
	if (key == NULL)
		bnulls[8] = 'n';
	bargs[9] = Int32GetDatum(CL_AUDIT_FORMAT_VERSION);
	bargs[10] = hash_datum(block_hash);
	if (SPI_execute_with_args("INSERT INTO carbon_ledger.audit_block VALUES "
							  "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
							  "pg_catalog.statement_timestamp())",
							  11, bargtypes, bargs, bnulls, false, 0)
		!= SPI_OK_INSERT)
		elog(ERROR, "could not append the audit block");

	xargs[0] = Int64GetDatum(blk.block_no);
	xargs[1] = PointerGetDatum(construct_array(positions, nxacts, INT4OID, 4,
											   true, TYPALIGN_INT));
	xargs[2] = PointerGetDatum(construct_array(xids, nxacts, XID8OID, 8,
											   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	xargs[3] = PointerGetDatum(construct_array(starts, nxacts, TIMESTAMPTZOID, 8,
											   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	xargs[4] = PointerGetDatum(construct_array(counts, nxacts, INT8OID, 8,
											   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	xargs[5] = PointerGetDatum(construct_array(roots, nxacts, BYTEAOID, -1,
											   false, TYPALIGN_INT));
	if (SPI_execute_with_args("INSERT INTO carbon_ledger.audit_block_xact "
							  "(block_no, position, xid, xact_start, n_records, merkle_root) "
							  "SELECT $1, u.p, u.x, u.s, u.n, u.r FROM "
							  "ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), "
							  "pg_catalog.unnest($4), pg_catalog.unnest($5), "
							  "pg_catalog.unnest($6)) AS u(p, x, s, n, r)",
							  6, xargtypes, xargs, NULL, false, 0)
		!= SPI_OK_INSERT)
		elog(ERROR, "could not append the transactions of the audit block");
	return (int64) n;
}

/*
 * Seal the committed pending transactions, up to SEAL_SCAN_XACTS of them:
 * take their queue entries, read their records from the log in one pass,
 * and append them as blocks of at most SEAL_BATCH_XACTS transactions.
 * Returns false when the queue had nothing committed; sets *sealed to the
 * number of records sealed.
 */
static bool
seal_batch(List *keys, int64 *sealed)
{
	FullTransactionId own = GetTopFullTransactionIdIfAny();
	Oid			argtypes[2] = {XID8OID, XID8OID};
	Datum		args[2];
	bool		bounded = false;
	Oid			idtypes[1] = {INT8OID};
	Datum		ids[1];
	HASHCTL		ctl;
	HTAB	   *batch;
	int64		min_id = 0;
	uint64		n = 0;
	uint64		cap = 1024;
	SealRec    *recs;
	Portal		portal;

	/*
	 * Take the queue entries of the committed transactions (one entry per
	 * transaction, or a few: see docs/audit.md); the own transaction is
	 * still open, its records wait for its commit.  At most about
	 * SEAL_SCAN_XACTS of them: the queue entry that many places into xid
	 * order bounds the batch, and every entry up to and including its xid
	 * is taken, so that a transaction is never split and the batch is never
	 * empty.
	 *
	 * Both statements read the queue alone, with no join: the queue swings
	 * between empty and large, so its statistics are often stale, and a
	 * join planned on them (a nested loop over a "one-row" queue) took time
	 * quadratic in its length.
	 */
	args[0] = FullTransactionIdGetDatum(own);
	if (SPI_execute_with_args("SELECT xid FROM carbon_ledger.audit_pending "
							  "WHERE xid OPERATOR(pg_catalog.<>) $1 "
							  "ORDER BY xid OFFSET "
							  CppAsString2(SEAL_SCAN_XACTS) " LIMIT 1",
							  1, argtypes, args, NULL, false, 1)
		!= SPI_OK_SELECT)
		elog(ERROR, "could not read the pending audit records");
	if (SPI_processed == 0)
		args[1] = FullTransactionIdGetDatum(InvalidFullTransactionId);
	else
	{
		bool		isnull;

		args[1] = spi_col(SPI_tuptable->vals[0], 1, &isnull);
		bounded = true;
	}
	if (SPI_execute_with_args(bounded ?
							  "DELETE FROM carbon_ledger.audit_pending "
							  "WHERE xid OPERATOR(pg_catalog.<>) $1 "
							  "AND xid OPERATOR(pg_catalog.<=) $2 "
							  "RETURNING xid, xact_start, id" :
							  "DELETE FROM carbon_ledger.audit_pending "
							  "WHERE xid OPERATOR(pg_catalog.<>) $1 "
							  "RETURNING xid, xact_start, id",
							  bounded ? 2 : 1, argtypes, args, NULL, false, 0)
		!= SPI_OK_DELETE_RETURNING)
		elog(ERROR, "could not read the pending audit records");
	if (SPI_processed == 0)
		return false;

	/* the transactions taken, and the lowest id any of their records has */
	ctl.keysize = sizeof(SealXact);
	ctl.entrysize = sizeof(SealXact);
	ctl.hcxt = CurrentMemoryContext;
	batch = hash_create("audit seal batch", 1024, &ctl,
						HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		bool		isnull;
		SealXact	k;
		int64		id;

		spi_xact(t, &k);
		id = DatumGetInt64(spi_col(t, 3, &isnull));
		hash_search(batch, &k, HASH_ENTER, NULL);
		if (i == 0 || id < min_id)
			min_id = id;
	}
	SPI_freetuptable(SPI_tuptable);

	/*
	 * Their records: every record of a transaction has an id at least the
	 * lowest id its queue entries hold.  The records are committed (their
	 * transactions' queue entries were visible), so this later snapshot
	 * sees them all.  A cursor keeps only theirs in memory.
	 */
	ids[0] = Int64GetDatum(min_id);
	portal = SPI_cursor_open_with_args(NULL,
									   "SELECT xid, xact_start, ordinal, id, leaf_hash "
									   "FROM carbon_ledger.audit_log "
									   "WHERE id OPERATOR(pg_catalog.>=) $1",
									   1, idtypes, ids, NULL, false, 0);
	recs = palloc_extended(cap * sizeof(SealRec), MCXT_ALLOC_HUGE);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	t = SPI_tuptable->vals[i];
			bool		isnull;
			SealXact	k;
			SealRec    *r;

			spi_xact(t, &k);
			if (hash_search(batch, &k, HASH_FIND, NULL) == NULL)
				continue;
			if (n >= cap)
			{
				cap *= 2;
				recs = repalloc_huge(recs, cap * sizeof(SealRec));
			}
			r = &recs[n++];
			r->xid = k.xid;
			r->xact_start = k.xact_start;
			r->ordinal = DatumGetInt32(spi_col(t, 3, &isnull));
			r->id = DatumGetInt64(spi_col(t, 4, &isnull));
			if (!datum_hash(spi_col(t, 5, &isnull), r->leaf))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("audit record %lld has a malformed leaf hash",
								(long long) r->id)));
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	hash_destroy(batch);

	/* blocks of at most SEAL_BATCH_XACTS transactions each */
	qsort(recs, n, sizeof(SealRec), sealrec_cmp);
	*sealed = 0;
	for (uint64 i = 0; i < n;)
	{
		uint64		j = i;
		int			nxacts = 0;

		while (j < n)
		{
			if (j == i || sealrec_cmp_xact(&recs[j], &recs[j - 1]) != 0)
			{
				if (nxacts == SEAL_BATCH_XACTS)
					break;
				nxacts++;
			}
			j++;
		}
		*sealed += seal_block(keys, recs + i, j - i);
		i = j;
	}
	pfree(recs);
	return true;
}

/*
 * Refuse to seal on without the key the chain was last sealed with: after
 * a restore (the keys are not dumped) the head block is keyed and its key
 * is not installed until audit_restore_key().  Blocks sealed meanwhile
 * would be plain SHA-256, or HMAC under an older key reinstalled first,
 * where the head's key is expected, which verification reports as a
 * mismatch, for good: the chain is append-only.  A key set after the head
 * (audit_set_key(), for a key that is lost) lets sealing go on.  Called
 * under the chain lock, with the keys read after it.
 */
static void
require_chain_key(List *keys)
{
	bool		isnull;
	int64		head;
	int32		key_id;
	AuditKey   *want;

	if (SPI_execute("SELECT block_no, key_id FROM carbon_ledger.audit_block "
					"ORDER BY block_no DESC LIMIT 1", false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit chain");
	if (SPI_processed == 0)
		return;
	head = DatumGetInt64(spi_col(SPI_tuptable->vals[0], 1, &isnull));
	key_id = DatumGetInt32(spi_col(SPI_tuptable->vals[0], 2, &isnull));
	if (isnull)
		key_id = 0;
	want = key_for_block(keys, head + 1);
	if (want == NULL ? key_id == 0 :
		(want->key_id == key_id || want->first_block > head))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CL_AUDIT_KEY_MISSING),
			 errmsg("cannot seal the audit trail: HMAC key %d is not installed",
					key_id),
			 errdetail("Block %lld, the head of the chain, was sealed with HMAC key %d; blocks sealed without it would not verify.",
					   (long long) head, key_id),
			 errhint("After a restore, reinstall the key with carbon_ledger.audit_restore_key(%d, key); if it is lost, set a new one with carbon_ledger.audit_set_key().",
					 key_id)));
}

/*
 * audit_seal(): link every committed, unsealed record into the chain.
 * Returns the number of records sealed.
 */
Datum
cl_audit_seal(PG_FUNCTION_ARGS)
{
	int64		total = 0;
	int64		n;
	List	   *keys;

	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_SEAL_ISOLATION),
				 errmsg("carbon_ledger.audit_seal() must run at the READ COMMITTED isolation level"),
				 errdetail("Sealing must see every transaction committed before it takes the chain lock.")));
	SPI_connect();
	if (SPI_execute("LOCK TABLE carbon_ledger.audit_block IN SHARE ROW EXCLUSIVE MODE",
					false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not lock the audit chain");
	keys = load_keys(true);
	require_chain_key(keys);
	while (seal_batch(keys, &n))
	{
		total += n;
		CHECK_FOR_INTERRUPTS();
	}
	SPI_finish();
	PG_RETURN_INT64(total);
}

/* Remember the first problem found. */
static void
note_bad(VerifyState *vs, int64 id, int64 block_no, const char *fmt,...)
{
	va_list		ap;
	MemoryContext oldcxt;
	char		buf[1024];

	if (vs->bad)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	oldcxt = MemoryContextSwitchTo(vs->cxt);
	vs->bad = true;
	vs->bad_id = id;
	vs->bad_block = block_no;
	vs->reason = pstrdup(buf);
	MemoryContextSwitchTo(oldcxt);
}

/* Text of a text column as UTF-8 (NULL for SQL NULL). */
static const char *
text_value(Datum d, bool isnull)
{
	size_t		len;

	if (isnull)
		return NULL;
	return cl_to_utf8(TextDatumGetCString(d), &len);
}

/* Canonical text of a timestamptz column (NULL for SQL NULL). */
static const char *
cached_timestamptz(ClTsCache *cache, Datum d, bool isnull)
{
	if (isnull)
		return NULL;
	return cl_canon_timestamptz_cached(cache, DatumGetTimestampTz(d));
}

/*
 * Rebuild a record from the columns of a row of carbon_ledger.audit_log
 * (values and nulls in table order, the leaf hash not needed).  Returns
 * false when the format version or a stored image is not one the trigger
 * writes.
 */
static bool
record_from_values(const Datum *v, const bool *n, ClAuditRecord *rec,
				   ClAuditImage *imgs)
{
	static ClTsCache start_cache;
	static ClTsCache stmt_cache;
	const ClAuditImage **slots[3];

	memset(rec, 0, sizeof(*rec));
	rec->id = DatumGetInt64(v[AL_ID]);
	rec->xid = U64FromFullTransactionId(DatumGetFullTransactionId(v[AL_XID]));
	rec->ordinal = DatumGetInt32(v[AL_ORDINAL]);
	rec->table_name = text_value(v[AL_TABLE], n[AL_TABLE]);
	rec->operation = text_value(v[AL_OPERATION], n[AL_OPERATION]);
	rec->session_user_name = text_value(v[AL_SESSION_USER], n[AL_SESSION_USER]);
	rec->current_user_name = text_value(v[AL_CURRENT_USER], n[AL_CURRENT_USER]);
	rec->xact_start = cached_timestamptz(&start_cache, v[AL_XACT_START],
										 n[AL_XACT_START]);
	rec->stmt_time = cached_timestamptz(&stmt_cache, v[AL_STMT_TIME],
										n[AL_STMT_TIME]);
	rec->version = DatumGetInt32(v[AL_VERSION]);
	slots[0] = &rec->key;
	slots[1] = &rec->old_row;
	slots[2] = &rec->new_row;
	for (int i = 0; i < 3; i++)
	{
		if (n[AL_KEY + i])
			continue;
		if (!cl_image_from_jsonb(DatumGetJsonbP(v[AL_KEY + i]), &imgs[i]))
			return false;
		*slots[i] = &imgs[i];
	}
	return rec->version == CL_AUDIT_FORMAT_VERSION;
}

/*
 * Rebuild a record from a row of carbon_ledger.audit_log, and copy its
 * stored leaf hash (all bytes 0xff when malformed: it then matches no
 * hash).  Returns what record_from_values returns.
 */
static bool
record_from_row(HeapTuple t, TupleDesc desc, ClAuditRecord *rec,
				ClAuditImage *imgs, uint8 *stored_leaf)
{
	Datum		v[AL_NATTS];
	bool		n[AL_NATTS];

	if (desc->natts != AL_NATTS)
		elog(ERROR, "audit log row has %d columns, expected %d",
			 desc->natts, AL_NATTS);
	heap_deform_tuple(t, desc, v, n);
	if (n[AL_LEAF] || !datum_hash(v[AL_LEAF], stored_leaf))
		memset(stored_leaf, 0xff, CL_HASH_LEN);
	return record_from_values(v, n, rec, imgs);
}

#define AUDIT_LOG_COLUMNS \
	"id, xid, ordinal, table_name, operation, row_key, old_row, new_row, " \
	"session_user_name, current_user_name, xact_start, stmt_time, " \
	"format_version, leaf_hash"

/*
 * audit_record_leaf(id, xid, ..., format_version): the leaf hash of a
 * stored record, recomputed from its columns (the columns of audit_log in
 * table order, leaf_hash excepted); NULL when its format version or an
 * image is not one the trigger writes.  PARALLEL SAFE: audit_verify()
 * calls it in the query that reads the log, so that parallel workers share
 * the rebuilding and hashing of records.  It takes columns rather than the
 * whole row, which the executor would copy and flatten for every call.
 */
Datum
cl_audit_stored_leaf(PG_FUNCTION_ARGS)
{
	Datum		v[AL_NATTS];
	bool		n[AL_NATTS];
	ClAuditRecord rec;
	ClAuditImage imgs[3];
	uint8		leaf[CL_HASH_LEN];

	if (PG_NARGS() != AL_LEAF)
		elog(ERROR, "audit_record_leaf() takes %d arguments", AL_LEAF);
	for (int i = 0; i < AL_LEAF; i++)
	{
		v[i] = PG_GETARG_DATUM(i);
		n[i] = PG_ARGISNULL(i);
	}
	if (n[AL_ID] || n[AL_XID] || n[AL_ORDINAL] || n[AL_VERSION] ||
		!record_from_values(v, n, &rec, imgs))
		PG_RETURN_NULL();
	cl_audit_check_rc(cl_audit_record_leaf(&rec, leaf));
	PG_RETURN_DATUM(hash_datum(leaf));
}

/* A transaction: its id and start time (ids restart in another cluster). */
typedef struct XactKey
{
	uint64		xid;
	int64		xact_start;
} XactKey;

/* Order transactions by id, then start time. */
static int
xactkey_cmp(const XactKey *a, const XactKey *b)
{
	if (a->xid != b->xid)
		return a->xid < b->xid ? -1 : 1;
	if (a->xact_start != b->xact_start)
		return a->xact_start < b->xact_start ? -1 : 1;
	return 0;
}

/* One row of audit_block_xact, read in order through a cursor. */
typedef struct XactRow
{
	bool		valid;
	uint64		xid;
	TimestampTz xact_start;
	int64		block_no;
	int32		position;
	int64		n_records;
	uint8		root[CL_HASH_LEN];
	bool		root_ok;
} XactRow;

/* Cursor over audit_block_xact with a one-batch buffer. */
typedef struct XactCursor
{
	Portal		portal;
	SPITupleTable *tab;
	uint64		n;
	uint64		pos;
} XactCursor;

/*
 * Next row of an audit_block_xact cursor (columns: xid, block_no,
 * position, n_records, merkle_root, xact_start).
 */
static void
xact_next(XactCursor *c, XactRow *row)
{
	HeapTuple	t;
	bool		isnull;

	if (c->pos >= c->n)
	{
		if (c->tab)
			SPI_freetuptable(c->tab);
		SPI_cursor_fetch(c->portal, true, FETCH_ROWS);
		c->tab = SPI_tuptable;
		c->n = SPI_processed;
		c->pos = 0;
		if (c->n == 0)
		{
			row->valid = false;
			return;
		}
	}
	t = c->tab->vals[c->pos++];
	row->valid = true;
	row->xid = U64FromFullTransactionId(DatumGetFullTransactionId(SPI_getbinval(t, c->tab->tupdesc, 1, &isnull)));
	row->block_no = DatumGetInt64(SPI_getbinval(t, c->tab->tupdesc, 2, &isnull));
	row->position = DatumGetInt32(SPI_getbinval(t, c->tab->tupdesc, 3, &isnull));
	row->n_records = DatumGetInt64(SPI_getbinval(t, c->tab->tupdesc, 4, &isnull));
	row->root_ok = datum_hash(SPI_getbinval(t, c->tab->tupdesc, 5, &isnull), row->root);
	row->xact_start = DatumGetTimestampTz(SPI_getbinval(t, c->tab->tupdesc, 6, &isnull));
}

/* Open a cursor over audit_block_xact in the given order. */
static void
xact_open(XactCursor *c, const char *order)
{
	c->portal = SPI_cursor_open_with_args(NULL,
										  psprintf("SELECT xid, block_no, position, n_records, merkle_root, xact_start "
												   "FROM carbon_ledger.audit_block_xact ORDER BY %s", order),
										  0, NULL, NULL, NULL, true, 0);
	c->tab = NULL;
	c->n = 0;
	c->pos = 0;
}

/* Close such a cursor. */
static void
xact_close(XactCursor *c)
{
	if (c->tab)
		SPI_freetuptable(c->tab);
	SPI_cursor_close(c->portal);
}

/*
 * Pass 1 and 2 in one stream: the log sorted by transaction, each record
 * with its stored and its recomputed leaf (docs/audit.md, "Verification").
 * The rows arrive in a DestReceiver, so the query runs once to completion
 * and may use parallel workers (a parallel sequential scan computing
 * audit_record_leaf(), sorting in each worker, under a Gather Merge);
 * audit_block_xact is walked alongside through its (xid, xact_start)
 * index.  Every sealed transaction must have exactly its records, in
 * order, with the Merkle root the block holds; every other record must be
 * waiting in the pending queue.
 */
typedef struct VerifyReceiver
{
	DestReceiver pub;
	VerifyState *vs;			/* problems of pass 2 */
	int64		bad_id;			/* lowest id whose leaf does not match */
	HTAB	   *pending;		/* transactions in the pending queue */
	Relation	xrel;			/* audit_block_xact */
	Relation	xidx;			/* its (xid, xact_start) index */
	SysScanDesc xscan;
	XactRow		bx;				/* the next sealed transaction */
	bool		in_xact;		/* gathering a transaction's records */
	XactKey		key;
	int64		first_id;
	int64		prev_id;
	int32		prev_ord;
	bool		ordered;
	Size		n;
	Size		cap;
	uint8	   *leaves;
	MemoryContext cxt;
} VerifyReceiver;

/* The next row of audit_block_xact in (xid, xact_start) order. */
static void
xact_index_next(VerifyReceiver *r)
{
	HeapTuple	t = systable_getnext_ordered(r->xscan, ForwardScanDirection);
	TupleDesc	desc = RelationGetDescr(r->xrel);
	Datum		v[6];
	bool		n[6];

	if (t == NULL)
	{
		r->bx.valid = false;
		return;
	}
	if (desc->natts != 6)
		elog(ERROR, "audit_block_xact has %d columns, expected 6", desc->natts);
	heap_deform_tuple(t, desc, v, n);
	r->bx.valid = true;
	r->bx.block_no = DatumGetInt64(v[0]);
	r->bx.position = DatumGetInt32(v[1]);
	r->bx.xid = U64FromFullTransactionId(DatumGetFullTransactionId(v[2]));
	r->bx.xact_start = DatumGetTimestampTz(v[3]);
	r->bx.n_records = DatumGetInt64(v[4]);
	r->bx.root_ok = !n[5] && datum_hash(v[5], r->bx.root);
}

/* The key of the next sealed transaction. */
static XactKey
bx_key(const XactRow *bx)
{
	XactKey		k;

	memset(&k, 0, sizeof(k));
	k.xid = bx->xid;
	k.xact_start = bx->xact_start;
	return k;
}

/* Report the sealed transactions ordered before key (all, if NULL). */
static void
skip_sealed_before(VerifyReceiver *r, const XactKey *key)
{
	while (r->bx.valid)
	{
		XactKey		bkey = bx_key(&r->bx);

		if (key != NULL && xactkey_cmp(&bkey, key) >= 0)
			break;
		note_bad(r->vs, 0, r->bx.block_no,
				 "missing record: all %lld records of transaction %llu in block %lld are missing",
				 (long long) r->bx.n_records, (unsigned long long) r->bx.xid,
				 (long long) r->bx.block_no);
		xact_index_next(r);
	}
}

/*
 * A transaction's records are all in: check them against its entry in a
 * block, or find it in the pending queue.
 */
static void
finish_xact(VerifyReceiver *r)
{
	XactKey		bkey = bx_key(&r->bx);

	if (r->bx.valid && xactkey_cmp(&bkey, &r->key) == 0)
	{
		uint8		root[CL_HASH_LEN];

		if ((int64) r->n < r->bx.n_records)
			note_bad(r->vs, r->first_id, r->bx.block_no,
					 "missing record: transaction %llu has %zu of the %lld records sealed in block %lld",
					 (unsigned long long) r->key.xid, r->n,
					 (long long) r->bx.n_records, (long long) r->bx.block_no);
		else if ((int64) r->n > r->bx.n_records)
			note_bad(r->vs, r->first_id, r->bx.block_no,
					 "inserted record: transaction %llu has %zu records, block %lld sealed %lld",
					 (unsigned long long) r->key.xid, r->n,
					 (long long) r->bx.block_no, (long long) r->bx.n_records);
		cl_audit_check_rc(cl_merkle_root(r->leaves, r->n, root));
		if (!r->bx.root_ok || memcmp(root, r->bx.root, CL_HASH_LEN) != 0)
			note_bad(r->vs, r->first_id, r->bx.block_no,
					 "hash mismatch: the records of transaction %llu do not match its Merkle root in block %lld",
					 (unsigned long long) r->key.xid, (long long) r->bx.block_no);
		xact_index_next(r);
	}
	else if (hash_search(r->pending, &r->key, HASH_FIND, NULL) != NULL)
		r->vs->unsealed += r->n;
	else
		note_bad(r->vs, r->first_id, 0,
				 "inserted record: record %lld belongs to transaction %llu, which is neither sealed nor pending",
				 (long long) r->first_id, (unsigned long long) r->key.xid);
	r->in_xact = false;
}

/*
 * One record (columns: xid, xact_start, ordinal, id, leaf_hash, and
 * whether the leaf recomputed from the record equals leaf_hash), in
 * transaction and ordinal order.
 */
static bool
verify_receive(TupleTableSlot *slot, DestReceiver *self)
{
	VerifyReceiver *r = (VerifyReceiver *) self;
	XactKey		k;
	int32		ordinal;
	int64		id;
	uint8	   *leaf;

	CHECK_FOR_INTERRUPTS();
	slot_getallattrs(slot);
	memset(&k, 0, sizeof(k));
	k.xid = U64FromFullTransactionId(DatumGetFullTransactionId(slot->tts_values[0]));
	k.xact_start = DatumGetTimestampTz(slot->tts_values[1]);
	ordinal = DatumGetInt32(slot->tts_values[2]);
	id = DatumGetInt64(slot->tts_values[3]);
	r->vs->records++;

	if (!r->in_xact || xactkey_cmp(&k, &r->key) != 0)
	{
		if (r->in_xact)
			finish_xact(r);
		skip_sealed_before(r, &k);
		r->key = k;
		r->first_id = id;
		r->prev_id = -1;
		r->prev_ord = -1;
		r->ordered = true;
		r->n = 0;
		r->in_xact = true;
	}
	if (r->n >= r->cap)
	{
		r->cap *= 2;
		r->leaves = repalloc_huge(r->leaves, r->cap * CL_HASH_LEN);
	}

	/*
	 * The leaf: the stored one, which the query compared with the leaf
	 * recomputed from the record (NULL when the record cannot be rebuilt:
	 * a mismatch too).  A malformed stored leaf is all bytes 0xff.
	 */
	leaf = r->leaves + r->n * CL_HASH_LEN;
	if (slot->tts_isnull[4] || !datum_hash(slot->tts_values[4], leaf))
		memset(leaf, 0xff, CL_HASH_LEN);
	if ((slot->tts_isnull[5] || !DatumGetBool(slot->tts_values[5])) &&
		(r->bad_id == 0 || id < r->bad_id))
		r->bad_id = id;

	if (ordinal <= r->prev_ord || id <= r->prev_id)
	{
		if (r->ordered)
			note_bad(r->vs, id, 0,
					 "reordered record: record %lld is out of order in transaction %llu",
					 (long long) id, (unsigned long long) r->key.xid);
		r->ordered = false;
	}
	r->prev_ord = ordinal;
	r->prev_id = id;
	r->n++;
	return true;
}

/* DestReceiver callbacks with nothing to do. */
static void
verify_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
verify_shutdown(DestReceiver *self)
{
}

static void
verify_destroy(DestReceiver *self)
{
}

/*
 * Passes 1 and 2: every record's leaf hash recomputed, every transaction's
 * records against its block entry or the pending queue.  The first
 * mismatching leaf (lowest id) is reported before any problem of pass 2,
 * as when the passes ran one after the other.
 */
static void
verify_records(VerifyState *vs)
{
	VerifyReceiver r;
	VerifyState pass2;
	HASHCTL		ctl;
	SPIExecuteOptions opts;
	Snapshot	snap;
	int			nest;
	char		wm[32];

	memset(&r, 0, sizeof(r));
	memset(&pass2, 0, sizeof(pass2));
	pass2.cxt = vs->cxt;
	r.vs = &pass2;
	r.pub.receiveSlot = verify_receive;
	r.pub.rStartup = verify_startup;
	r.pub.rShutdown = verify_shutdown;
	r.pub.rDestroy = verify_destroy;
	r.pub.mydest = DestNone;
	r.cap = 1024;
	r.leaves = palloc(r.cap * CL_HASH_LEN);

	/* the transactions waiting in the pending queue */
	ctl.keysize = sizeof(XactKey);
	ctl.entrysize = sizeof(XactKey);
	ctl.hcxt = CurrentMemoryContext;
	r.pending = hash_create("audit pending transactions", 256, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	if (SPI_execute("SELECT DISTINCT xid, xact_start FROM carbon_ledger.audit_pending",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the pending audit records");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		XactKey		k;

		memset(&k, 0, sizeof(k));
		k.xid = U64FromFullTransactionId(DatumGetFullTransactionId(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)));
		k.xact_start = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));
		hash_search(r.pending, &k, HASH_ENTER, NULL);
	}
	SPI_freetuptable(SPI_tuptable);

	/* the sealed transactions, in the order of the records' sort */
	snap = RegisterSnapshot(GetActiveSnapshot());
	r.xrel = table_open(cl_audit_relid("audit_block_xact", false),
						AccessShareLock);
	r.xidx = index_open(cl_audit_relid("audit_block_xact_xid_key", false),
						AccessShareLock);
	r.xscan = systable_beginscan_ordered(r.xrel, r.xidx, snap, 0, NULL);
	xact_index_next(&r);

	/*
	 * The sort may use maintenance_work_mem in each participant, as the
	 * tuplesort of earlier versions did.  No JIT: the query's cost, high on
	 * a large log, would have every participant compile, optimise and
	 * inline its expressions (tens to hundreds of milliseconds each) for a
	 * plan whose time goes into audit_record_leaf().
	 */
	nest = NewGUCNestLevel();
	snprintf(wm, sizeof(wm), "%d", maintenance_work_mem);
	(void) set_config_option("work_mem", wm, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	memset(&opts, 0, sizeof(opts));
	opts.read_only = true;
	opts.dest = &r.pub;
	/* SPI says SPI_OK_UTILITY for a SELECT whose rows go to DestNone */
	/*
	 * The comparison of the leaves is made in the scan, so that the sort
	 * carries a flag rather than a second hash.
	 */
	if (SPI_execute_extended("SELECT l.xid, l.xact_start, l.ordinal, l.id, l.leaf_hash, "
							 "carbon_ledger.audit_record_leaf(l.id, l.xid, l.ordinal, "
							 "l.table_name, l.operation, l.row_key, l.old_row, l.new_row, "
							 "l.session_user_name, l.current_user_name, l.xact_start, "
							 "l.stmt_time, l.format_version) "
							 "OPERATOR(pg_catalog.=) l.leaf_hash "
							 "FROM carbon_ledger.audit_log l "
							 "ORDER BY l.xid, l.xact_start, l.ordinal",
							 &opts) < 0)
		elog(ERROR, "could not read the audit log");
	AtEOXact_GUC(true, nest);
	if (r.in_xact)
		finish_xact(&r);
	skip_sealed_before(&r, NULL);

	systable_endscan_ordered(r.xscan);
	index_close(r.xidx, AccessShareLock);
	table_close(r.xrel, AccessShareLock);
	UnregisterSnapshot(snap);
	hash_destroy(r.pending);
	pfree(r.leaves);

	vs->records = pass2.records;
	vs->unsealed = pass2.unsealed;
	if (r.bad_id != 0)
		note_bad(vs, r.bad_id, 0,
				 "hash mismatch: record %lld does not match its leaf hash",
				 (long long) r.bad_id);
	if (pass2.bad)
		note_bad(vs, pass2.bad_id, pass2.bad_block, "%s", pass2.reason);
}

/*
 * Pass 3: every block in number order: its transactions' Merkle root, its
 * link to the previous block, its hash (or HMAC).
 */
static void
verify_blocks(VerifyState *vs, List *keys)
{
	Portal		portal;
	XactCursor	cur;
	XactRow		bx;
	int64		expect = 1;
	uint8		prev[CL_HASH_LEN];
	Size		cap = 1024;
	uint8	   *leaves = palloc(cap * CL_HASH_LEN);

	memcpy(prev, zero_hash, CL_HASH_LEN);
	xact_open(&cur, "block_no, position");
	xact_next(&cur, &bx);
	portal = SPI_cursor_open_with_args(NULL,
									   "SELECT block_no, prev_hash, merkle_root, n_transactions, n_records, "
									   "system_identifier::text, database_oid, key_id, format_version, block_hash "
									   "FROM carbon_ledger.audit_block ORDER BY block_no",
									   0, NULL, NULL, NULL, true, 0);
	for (;;)
	{
		SPITupleTable *tab;

		SPI_cursor_fetch(portal, true, 100);
		if (SPI_processed == 0)
			break;
		tab = SPI_tuptable;
		for (uint64 i = 0; i < tab->numvals; i++)
		{
			HeapTuple	t = tab->vals[i];
			TupleDesc	desc = tab->tupdesc;
			ClAuditBlock blk;
			bool		isnull;
			bool		key_null;
			uint8		stored_hash[CL_HASH_LEN];
			uint8		root[CL_HASH_LEN];
			uint8		hash[CL_HASH_LEN];
			uint8		stored_root[CL_HASH_LEN];
			Size		n = 0;
			int64		nrec = 0;
			AuditKey   *want;
			AuditKey   *have = NULL;

			CHECK_FOR_INTERRUPTS();
			memset(&blk, 0, sizeof(blk));
			blk.version = DatumGetInt32(SPI_getbinval(t, desc, 9, &isnull));
			blk.block_no = DatumGetInt64(SPI_getbinval(t, desc, 1, &isnull));
			if (!datum_hash(SPI_getbinval(t, desc, 2, &isnull), blk.prev_hash))
				memset(blk.prev_hash, 0xff, CL_HASH_LEN);
			if (!datum_hash(SPI_getbinval(t, desc, 3, &isnull), stored_root))
				memset(stored_root, 0xff, CL_HASH_LEN);
			blk.n_transactions = DatumGetInt64(SPI_getbinval(t, desc, 4, &isnull));
			blk.n_records = DatumGetInt64(SPI_getbinval(t, desc, 5, &isnull));
			blk.system_identifier = sysid_from_text(TextDatumGetCString(SPI_getbinval(t, desc, 6, &isnull)));
			blk.database_oid = DatumGetObjectId(SPI_getbinval(t, desc, 7, &isnull));
			blk.key_id = DatumGetInt32(SPI_getbinval(t, desc, 8, &key_null));
			if (key_null)
				blk.key_id = 0;
			if (!datum_hash(SPI_getbinval(t, desc, 10, &isnull), stored_hash))
				memset(stored_hash, 0xff, CL_HASH_LEN);
			vs->blocks++;

			if (blk.block_no != expect)
				note_bad(vs, 0, blk.block_no,
						 "broken link: block %lld follows block %lld",
						 (long long) blk.block_no, (long long) (expect - 1));
			if (memcmp(blk.prev_hash, prev, CL_HASH_LEN) != 0)
				note_bad(vs, 0, blk.block_no,
						 "broken link: block %lld does not hash the block before it",
						 (long long) blk.block_no);

			/* the block's transactions, in position order */
			while (bx.valid && bx.block_no < blk.block_no)
			{
				note_bad(vs, 0, bx.block_no,
						 "broken link: transaction %llu belongs to block %lld, which does not exist",
						 (unsigned long long) bx.xid, (long long) bx.block_no);
				xact_next(&cur, &bx);
			}
			while (bx.valid && bx.block_no == blk.block_no)
			{
				if (n >= cap)
				{
					cap *= 2;
					leaves = repalloc_huge(leaves, cap * CL_HASH_LEN);
				}
				if (bx.position != (int32) n)
					note_bad(vs, 0, blk.block_no,
							 "reordered record: transaction %llu is at position %d of block %lld, expected %zu",
							 (unsigned long long) bx.xid, bx.position,
							 (long long) blk.block_no, n);
				cl_audit_check_rc(cl_audit_txn_leaf(bx.xid, cl_canon_timestamptz(bx.xact_start),
													bx.n_records, bx.root,
													leaves + n * CL_HASH_LEN));
				nrec += bx.n_records;
				n++;
				xact_next(&cur, &bx);
			}
			cl_audit_check_rc(cl_merkle_root(leaves, n, root));
			memcpy(blk.merkle_root, root, CL_HASH_LEN);
			if (memcmp(root, stored_root, CL_HASH_LEN) != 0 ||
				(int64) n != blk.n_transactions || nrec != blk.n_records)
				note_bad(vs, 0, blk.block_no,
						 "hash mismatch: the transactions of block %lld do not match its Merkle root",
						 (long long) blk.block_no);

			/* the block hash, keyed when a key covers this block */
			want = key_for_block(keys, blk.block_no);
			if (blk.key_id != 0)
				have = key_by_id(keys, blk.key_id);
			if (blk.key_id != 0 && have == NULL)
				note_bad(vs, 0, blk.block_no,
						 "key missing: block %lld was sealed with HMAC key %d, which is not installed",
						 (long long) blk.block_no, blk.key_id);
			else if (want != NULL && want != have)
				note_bad(vs, 0, blk.block_no,
						 "hash mismatch: block %lld is not hashed with HMAC key %d",
						 (long long) blk.block_no, want->key_id);
			else
			{
				cl_audit_check_rc(cl_audit_block_hash(&blk,
													  have ? (uint8 *) VARDATA_ANY(have->key) : NULL,
													  have ? VARSIZE_ANY_EXHDR(have->key) : 0,
													  hash));
				if (memcmp(hash, stored_hash, CL_HASH_LEN) != 0)
					note_bad(vs, 0, blk.block_no,
							 "hash mismatch: block %lld does not match its hash",
							 (long long) blk.block_no);
			}
			memcpy(prev, stored_hash, CL_HASH_LEN);
			expect = blk.block_no + 1;
		}
		SPI_freetuptable(tab);
	}
	while (bx.valid)
	{
		note_bad(vs, 0, bx.block_no,
				 "broken link: transaction %llu belongs to block %lld, which does not exist",
				 (unsigned long long) bx.xid, (long long) bx.block_no);
		xact_next(&cur, &bx);
	}
	SPI_cursor_close(portal);
	xact_close(&cur);
	pfree(leaves);
}

/* Run the passes, in one snapshot (read-only SPI). */
static void
verify_chain(VerifyState *vs)
{
	List	   *keys;

	memset(vs, 0, sizeof(*vs));
	vs->cxt = CurrentMemoryContext;
	cl_audit_relid("audit_log", false);

	SPI_connect();
	keys = load_keys(false);
	verify_records(vs);
	verify_blocks(vs, keys);
	SPI_finish();
}

/* Build the audit_verify_result row. */
static Datum
verify_result(FunctionCallInfo fcinfo, VerifyState *vs)
{
	TupleDesc	desc;
	Datum		values[7];
	bool		nulls[7] = {false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	values[0] = BoolGetDatum(!vs->bad);
	values[1] = Int64GetDatum(vs->records);
	values[2] = Int64GetDatum(vs->blocks);
	values[3] = Int64GetDatum(vs->unsealed);
	values[4] = Int64GetDatum(vs->bad_id);
	nulls[4] = (vs->bad_id == 0);
	values[5] = Int64GetDatum(vs->bad_block);
	nulls[5] = (vs->bad_block == 0);
	if (vs->reason)
		values[6] = CStringGetTextDatum(vs->reason);
	else
		nulls[6] = true;
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/* audit_verify(): check the whole trail. */
Datum
cl_audit_verify(PG_FUNCTION_ARGS)
{
	VerifyState vs;

	verify_chain(&vs);
	return verify_result(fcinfo, &vs);
}

/* Read a field of a digest (composite) argument. */
static Datum
digest_field(HeapTupleHeader h, const char *name, bool *isnull)
{
	return GetAttributeByName(h, name, isnull);
}

/*
 * audit_verify(digest): check the whole trail, and that it still contains
 * the block the digest names, with the same hash and the same database
 * identity.
 */
Datum
cl_audit_verify_digest(PG_FUNCTION_ARGS)
{
	HeapTupleHeader dg;
	VerifyState vs;
	bool		n1,
				n2,
				n3,
				n4;
	int64		block_no;
	Datum		hashd;
	Datum		sysd;
	Oid			dboid;
	uint8		want[CL_HASH_LEN];
	uint64		sysid = 0;

	/* a NULL digest would otherwise give a row of NULLs, valid included */
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("digest must not be null"),
				 errhint("Call carbon_ledger.audit_verify() without an argument to verify the chain alone.")));
	dg = PG_GETARG_HEAPTUPLEHEADER(0);
	block_no = DatumGetInt64(digest_field(dg, "block_no", &n1));
	hashd = digest_field(dg, "block_hash", &n2);
	sysd = digest_field(dg, "system_identifier", &n3);
	dboid = DatumGetObjectId(digest_field(dg, "database_oid", &n4));

	verify_chain(&vs);
	if (n1 || n2 || n3 || n4 || !datum_hash(hashd, want) || block_no < 0)
	{
		vs.bad = false;
		if (n1 || n2 || n3 || n4)
			note_bad(&vs, 0, 0, "digest not in chain: the digest has no %s",
					 n1 ? "block_no" : n2 ? "block_hash" :
					 n3 ? "system_identifier" : "database_oid");
		else if (block_no < 0)
			note_bad(&vs, 0, 0,
					 "digest not in chain: the digest's block_no %lld is negative",
					 (long long) block_no);
		else
			note_bad(&vs, 0, 0,
					 "digest not in chain: the digest's block_hash has length %d, not %d",
					 (int) VARSIZE_ANY_EXHDR(DatumGetByteaPP(hashd)),
					 CL_HASH_LEN);
		return verify_result(fcinfo, &vs);
	}
	sysid = sysid_from_text(DatumGetCString(DirectFunctionCall1(numeric_out, sysd)));

	SPI_connect();
	{
		Oid			argt[1] = {INT8OID};
		Datum		argv[1];
		bool		isnull;

		argv[0] = Int64GetDatum(block_no == 0 ? 1 : block_no);
		if (SPI_execute_with_args("SELECT block_hash, system_identifier::text, database_oid "
								  "FROM carbon_ledger.audit_block WHERE block_no OPERATOR(pg_catalog.=) $1",
								  1, argt, argv, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read the audit chain");
		if (block_no == 0)
		{
			/* the empty chain: extended by any chain of this database */
			uint64		bsys = GetSystemIdentifier();
			Oid			boid = MyDatabaseId;

			if (SPI_processed > 0)
			{
				bsys = sysid_from_text(TextDatumGetCString(spi_col(SPI_tuptable->vals[0], 2, &isnull)));
				boid = DatumGetObjectId(spi_col(SPI_tuptable->vals[0], 3, &isnull));
			}
			if (memcmp(want, zero_hash, CL_HASH_LEN) != 0 ||
				bsys != sysid || boid != dboid)
				note_bad(&vs, 0, 0,
						 "digest not in chain: the empty chain of database " UINT64_FORMAT "/%u is not this chain's start",
						 sysid, dboid);
		}
		else if (SPI_processed == 0)
			note_bad(&vs, 0, block_no,
					 "digest not in chain: block %lld does not exist",
					 (long long) block_no);
		else
		{
			uint8		have[CL_HASH_LEN];
			HeapTuple	t = SPI_tuptable->vals[0];
			uint64		bsys = sysid_from_text(TextDatumGetCString(spi_col(t, 2, &isnull)));
			Oid			boid = DatumGetObjectId(spi_col(t, 3, &isnull));

			if (bsys != sysid || boid != dboid)
				note_bad(&vs, 0, block_no,
						 "digest not in chain: the digest belongs to database " UINT64_FORMAT "/%u, block %lld to database " UINT64_FORMAT "/%u",
						 sysid, dboid, (long long) block_no, bsys, boid);
			else if (!datum_hash(spi_col(t, 1, &isnull), have) ||
					 memcmp(have, want, CL_HASH_LEN) != 0)
				note_bad(&vs, 0, block_no,
						 "digest not in chain: block %lld has another hash",
						 (long long) block_no);
		}
	}
	SPI_finish();
	return verify_result(fcinfo, &vs);
}

/*
 * audit_digest(): the head block (number and hash) and the identity of the
 * database that sealed it; block 0 and a zero hash for an empty chain.
 */
Datum
cl_audit_digest(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[5];
	bool		nulls[5] = {false};
	bool		isnull;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	SPI_connect();
	if (SPI_execute("SELECT block_no, block_hash, system_identifier, database_oid, database_name "
					"FROM carbon_ledger.audit_block ORDER BY block_no DESC LIMIT 1",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit chain head");
	if (SPI_processed == 0)
	{
		values[0] = Int64GetDatum(0);
		values[1] = hash_datum(zero_hash);
		values[2] = sysid_datum(GetSystemIdentifier());
		values[3] = ObjectIdGetDatum(MyDatabaseId);
		values[4] = CStringGetTextDatum(get_database_name(MyDatabaseId));
	}
	else
	{
		HeapTuple	t = SPI_tuptable->vals[0];

		for (int i = 0; i < 5; i++)
			values[i] = SPI_datumTransfer(spi_col(t, i + 1, &isnull),
										  TupleDescAttr(SPI_tuptable->tupdesc, i)->attbyval,
										  TupleDescAttr(SPI_tuptable->tupdesc, i)->attlen);
	}
	SPI_finish();
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/* Refuse non-superusers, and keys too short to resist guessing. */
static void
check_key_call(bytea *key, const char *fn)
{
	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for function %s", fn),
				 errdetail("Only a superuser can set audit HMAC keys.")));
	if (VARSIZE_ANY_EXHDR(key) < MIN_KEY_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_BAD_KEY),
				 errmsg("audit HMAC key is too short"),
				 errdetail("The key has %d bytes; at least %d are required.",
						   (int) VARSIZE_ANY_EXHDR(key), MIN_KEY_BYTES),
				 errhint("Use 32 bytes from a key manager, or decode() the output of \"openssl rand -hex 32\".")));
}

/*
 * audit_set_key(key): a new HMAC key for every block sealed from now on
 * (key rotation).  Returns the new key's id.
 */
Datum
cl_audit_set_key(PG_FUNCTION_ARGS)
{
	bytea	   *key = PG_GETARG_BYTEA_PP(0);
	uint8		head[CL_HASH_LEN];
	int64		first_block;
	int32		key_id;
	bool		isnull;
	Oid			argt[3] = {INT4OID, BYTEAOID, INT8OID};
	Datum		argv[3];

	check_key_call(key, "audit_set_key");
	/* the head must be read after the lock, as audit_seal() reads it */
	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_SEAL_ISOLATION),
				 errmsg("carbon_ledger.audit_set_key() must run at the READ COMMITTED isolation level"),
				 errdetail("The key's first block follows the head of the chain as sealed when it takes the chain lock.")));
	SPI_connect();
	if (SPI_execute("LOCK TABLE carbon_ledger.audit_block IN SHARE ROW EXCLUSIVE MODE",
					false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not lock the audit chain");
	first_block = read_head(head) + 1;

	/*
	 * A new id, also above the ids of the blocks: after a restore the keys
	 * are not installed, and one of their ids reused would stand for two
	 * keys, the older of which could never be put back.
	 */
	if (SPI_execute("SELECT GREATEST("
					"(SELECT pg_catalog.max(key_id) FROM carbon_ledger.audit_key), "
					"(SELECT pg_catalog.max(key_id) FROM carbon_ledger.audit_block), 0) "
					"OPERATOR(pg_catalog.+) 1", false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit keys");
	key_id = DatumGetInt32(spi_col(SPI_tuptable->vals[0], 1, &isnull));
	argv[0] = Int32GetDatum(key_id);
	argv[1] = PointerGetDatum(key);
	argv[2] = Int64GetDatum(first_block);
	if (SPI_execute_with_args("INSERT INTO carbon_ledger.audit_key (key_id, key, first_block) "
							  "VALUES ($1, $2, $3)", 3, argt, argv, NULL, false, 0)
		!= SPI_OK_INSERT)
		elog(ERROR, "could not store the audit key");
	SPI_finish();
	PG_RETURN_INT32(key_id);
}

/*
 * audit_restore_key(key_id, key): put back a key after pg_restore (keys are
 * never dumped).  The key must reproduce the hash of a block sealed with it.
 */
Datum
cl_audit_restore_key(PG_FUNCTION_ARGS)
{
	int32		key_id = PG_GETARG_INT32(0);
	bytea	   *key = PG_GETARG_BYTEA_PP(1);
	Oid			argt[3] = {INT4OID, BYTEAOID, INT8OID};
	Datum		argv[3];
	bool		isnull;
	HeapTuple	t;
	TupleDesc	desc;
	ClAuditBlock blk;
	uint8		stored[CL_HASH_LEN];
	uint8		hash[CL_HASH_LEN];

	check_key_call(key, "audit_restore_key");
	SPI_connect();
	argv[0] = Int32GetDatum(key_id);
	if (SPI_execute_with_args("SELECT FROM carbon_ledger.audit_key "
							  "WHERE key_id OPERATOR(pg_catalog.=) $1",
							  1, argt, argv, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit keys");
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_BAD_KEY),
				 errmsg("audit HMAC key %d is already installed", key_id)));
	if (SPI_execute_with_args("SELECT block_no, prev_hash, merkle_root, n_transactions, n_records, "
							  "system_identifier::text, database_oid, format_version, block_hash "
							  "FROM carbon_ledger.audit_block WHERE key_id OPERATOR(pg_catalog.=) $1 "
							  "ORDER BY block_no LIMIT 1", 1, argt, argv, NULL, true, 1)
		!= SPI_OK_SELECT)
		elog(ERROR, "could not read the audit chain");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_BAD_KEY),
				 errmsg("no audit block was sealed with HMAC key %d", key_id),
				 errhint("Use carbon_ledger.audit_set_key() to start using a new key.")));
	t = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	memset(&blk, 0, sizeof(blk));
	blk.block_no = DatumGetInt64(SPI_getbinval(t, desc, 1, &isnull));
	datum_hash(SPI_getbinval(t, desc, 2, &isnull), blk.prev_hash);
	datum_hash(SPI_getbinval(t, desc, 3, &isnull), blk.merkle_root);
	blk.n_transactions = DatumGetInt64(SPI_getbinval(t, desc, 4, &isnull));
	blk.n_records = DatumGetInt64(SPI_getbinval(t, desc, 5, &isnull));
	blk.system_identifier = sysid_from_text(TextDatumGetCString(SPI_getbinval(t, desc, 6, &isnull)));
	blk.database_oid = DatumGetObjectId(SPI_getbinval(t, desc, 7, &isnull));
	blk.version = DatumGetInt32(SPI_getbinval(t, desc, 8, &isnull));
	blk.key_id = key_id;
	datum_hash(SPI_getbinval(t, desc, 9, &isnull), stored);
	cl_audit_check_rc(cl_audit_block_hash(&blk, (uint8 *) VARDATA_ANY(key),
										  VARSIZE_ANY_EXHDR(key), hash));
	if (memcmp(hash, stored, CL_HASH_LEN) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_BAD_KEY),
				 errmsg("audit HMAC key %d does not match the chain", key_id),
				 errdetail("Block %lld, the first sealed with key %d, has another HMAC under this key.",
						   (long long) blk.block_no, key_id)));
	argv[1] = PointerGetDatum(key);
	argv[2] = Int64GetDatum(blk.block_no);
	if (SPI_execute_with_args("INSERT INTO carbon_ledger.audit_key (key_id, key, first_block) "
							  "VALUES ($1, $2, $3)", 3, argt, argv, NULL, false, 0)
		!= SPI_OK_INSERT)
		elog(ERROR, "could not store the audit key");
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * audit_canonical_record(id): the canonical bytes of a stored record, as
 * rebuilt from its columns; SHA-256 of 0x00 and these bytes is its leaf.
 */
Datum
cl_audit_canonical_record(PG_FUNCTION_ARGS)
{
	int64		id = PG_GETARG_INT64(0);
	Oid			argt[1] = {INT8OID};
	Datum		argv[1];
	StringInfoData buf;
	ClSink		sink;
	ClAuditRecord rec;
	ClAuditImage imgs[3];
	ClCanonSettings saved;
	bytea	   *res;
	volatile bool ok = false;
	MemoryContext outer = CurrentMemoryContext;

	argv[0] = Int64GetDatum(id);
	SPI_connect();
	if (SPI_execute_with_args("SELECT " AUDIT_LOG_COLUMNS " FROM carbon_ledger.audit_log "
							  "WHERE id OPERATOR(pg_catalog.=) $1",
							  1, argt, argv, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit log");
	if (SPI_processed == 0)
	{
		SPI_finish();
		PG_RETURN_NULL();
	}
	cl_canon_enter(&saved);
	PG_TRY();
	{
		uint8		stored[CL_HASH_LEN];

		ok = record_from_row(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
							 &rec, imgs, stored);
	}
	PG_FINALLY();
	{
		cl_canon_leave(&saved);
	}
	PG_END_TRY();
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_RECORD),
				 errmsg("audit record %lld cannot be serialised", (long long) id),
				 errdetail("Its format version or a row image is not one the audit trigger writes.")));
	{
		MemoryContext spicxt = MemoryContextSwitchTo(outer);

		initStringInfo(&buf);
		MemoryContextSwitchTo(spicxt);
	}
	cl_audit_sink_stringinfo(&sink, &buf);
	cl_audit_check_rc(cl_audit_serialise_record(&rec, &sink));
	SPI_finish();
	res = palloc(VARHDRSZ + buf.len);
	SET_VARSIZE(res, VARHDRSZ + buf.len);
	memcpy(VARDATA(res), buf.data, buf.len);
	PG_RETURN_BYTEA_P(res);
}

/*
 * audit_merkle_root(leaves bytea[]): RFC 6962 Merkle Tree Hash over the
 * given leaf inputs (not hashes), as used for transactions and blocks.
 */
Datum
cl_audit_merkle_root(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	uint8	   *hashes;
	uint8		root[CL_HASH_LEN];

	deconstruct_array(arr, BYTEAOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	hashes = palloc_extended((Size) Max(n, 1) * CL_HASH_LEN, MCXT_ALLOC_HUGE);
	for (int i = 0; i < n; i++)
	{
		bytea	   *b;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("Merkle tree leaves cannot be null")));
		b = DatumGetByteaPP(elems[i]);
		cl_audit_check_rc(cl_merkle_leaf_hash(VARDATA_ANY(b),
											  VARSIZE_ANY_EXHDR(b),
											  hashes + (Size) i * CL_HASH_LEN));
	}
	cl_audit_check_rc(cl_merkle_root(hashes, n, root));
	PG_RETURN_BYTEA_P(DatumGetByteaPP(hash_datum(root)));
}
