/*-------------------------------------------------------------------------
 *
 * audit.c
 *	  The audit trail's row trigger, its canonical text of values, the
 *	  enable and disable functions, and the triggers that protect the trail.
 *
 * The trigger turns every audited row change into one record: the row
 * images as jsonb whose values are canonical text (independent of every
 * session setting), the leaf hash SHA-256(0x00 || canonical record) of
 * docs/audit-format.md, and an entry in the pending queue that
 * audit_seal() (audit_chain.c) later links into the chain.  It touches no
 * shared state beyond the id sequence, so concurrent writers never wait for
 * one another.  Both rows go straight into the heap (no SPI, no permission
 * check): ordinary roles have no privilege on the trail's tables at all.
 *
 * src/audit.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "parser/parse_func.h"
#include "pgtime.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/bytea.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/float.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/relcache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/xid8.h"

#include "audit.h"

PG_FUNCTION_INFO_V1(cl_audit_trigger);
PG_FUNCTION_INFO_V1(cl_audit_enable);
PG_FUNCTION_INFO_V1(cl_audit_disable);
PG_FUNCTION_INFO_V1(cl_audit_protect);
PG_FUNCTION_INFO_V1(cl_audit_guard);

/* True while audit_disable() (or audit_enable(), replacing look-alikes) drops audit triggers. */
bool		cl_audit_in_disable = false;

/* true while audit_enable() creates the audit triggers (see the guard) */
bool		cl_audit_in_enable = false;

/* Ordinal of the next record of the current top-level transaction. */
static FullTransactionId ordinal_fxid = {0};
static int32 next_ordinal = 0;

/*
 * The pending-queue entries the current top-level transaction has made
 * (docs/audit.md, "Design"): one per transaction, plus one more whenever a
 * record's id is below every id registered so far (a sequence set back),
 * so that every record of a transaction has an id at least the lowest id
 * registered.  Each entry remembers the subtransaction that made it: when
 * that subtransaction aborts, its queue row is gone and so is the entry;
 * when it commits, the entry passes to its parent.
 */
typedef struct PendingReg
{
	SubTransactionId subid;
	int64		id;
} PendingReg;

static FullTransactionId reg_fxid = {0};
static PendingReg *regs = NULL;
static int	nregs = 0;
static int	regs_cap = 0;

/* How a type's values become canonical text. */
typedef enum CanonKind
{
	CANON_OUTPUT,				/* its output function, settings forced */
	CANON_MONEY,				/* the integer count of minor units */
	CANON_OID,					/* reg* types: the OID, not a search_path
								 * dependent name */
	CANON_ARRAY,				/* elements recursively */
	CANON_COMPOSITE				/* fields recursively */
} CanonKind;

typedef struct CanonType
{
	Oid			typid;			/* hash key */
	CanonKind	kind;
	Oid			base;			/* base type, domains resolved */
	Oid			elem;			/* array element type */
	int16		elmlen;
	bool		elmbyval;
	char		elmalign;
	FmgrInfo	out;
} CanonType;

static HTAB *canon_types = NULL;
static pg_tz *utc_tz = NULL;

/*
 * Find (once per backend and type) how a type's values are canonicalised.
 */
static CanonType *
canon_type(Oid typid)
{
	CanonType  *ct;
	bool		found;

	if (canon_types == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(CanonType);
		ctl.hcxt = TopMemoryContext;
		canon_types = hash_create("carbon_ledger canonical types", 64, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	ct = hash_search(canon_types, &typid, HASH_ENTER, &found);
	if (!found)
	{
		Oid			base = getBaseType(typid);
		Oid			outfn;
		bool		isvarlena;

		ct->base = base;
		ct->elem = get_element_type(base);
		if (base == CASHOID)
			ct->kind = CANON_MONEY;
		else if (base == REGPROCOID || base == REGPROCEDUREOID ||
				 base == REGOPEROID || base == REGOPERATOROID ||
				 base == REGCLASSOID || base == REGTYPEOID ||
				 base == REGCONFIGOID || base == REGDICTIONARYOID ||
				 base == REGNAMESPACEOID || base == REGROLEOID ||
				 base == REGCOLLATIONOID)
			ct->kind = CANON_OID;
		else if (OidIsValid(ct->elem))
		{
			ct->kind = CANON_ARRAY;
			get_typlenbyvalalign(ct->elem, &ct->elmlen, &ct->elmbyval,
								 &ct->elmalign);
		}
		else if (get_typtype(base) == TYPTYPE_COMPOSITE)
			ct->kind = CANON_COMPOSITE;
		else
			ct->kind = CANON_OUTPUT;
		getTypeOutputInfo(base, &outfn, &isvarlena);
		fmgr_info_cxt(outfn, &ct->out, TopMemoryContext);
	}
	return ct;
}

/*
 * The UTC zone the canonical text of times is written in.
 */
static pg_tz *
canon_utc(void)
{
	if (utc_tz == NULL)
		utc_tz = pg_tzset("UTC");
	if (utc_tz == NULL)
		elog(ERROR, "time zone \"UTC\" is not available");
	return utc_tz;
}

/*
 * Force the settings that output functions read (DateStyle, IntervalStyle,
 * TimeZone, bytea_output, extra_float_digits) to the canonical ones.  The
 * caller restores them with cl_canon_leave, in a PG_FINALLY block.
 */
void
cl_canon_enter(ClCanonSettings *saved)
{
	pg_tz	   *utc = canon_utc();

	saved->date_style = DateStyle;
	saved->date_order = DateOrder;
	saved->interval_style = IntervalStyle;
	saved->bytea_output = bytea_output;
	saved->extra_float_digits = extra_float_digits;
	saved->timezone = session_timezone;
	DateStyle = USE_ISO_DATES;
	DateOrder = DATEORDER_YMD;
	IntervalStyle = INTSTYLE_ISO_8601;
	bytea_output = BYTEA_OUTPUT_HEX;
	extra_float_digits = 1;
	session_timezone = utc;
}

/* Put back the settings saved by cl_canon_enter. */
void
cl_canon_leave(const ClCanonSettings *saved)
{
	DateStyle = saved->date_style;
	DateOrder = saved->date_order;
	IntervalStyle = saved->interval_style;
	bytea_output = saved->bytea_output;
	extra_float_digits = saved->extra_float_digits;
	session_timezone = (pg_tz *) saved->timezone;
}

/* Append text between double quotes, escaping quotes and backslashes. */
static void
append_quoted(StringInfo buf, const char *s)
{
	appendStringInfoChar(buf, '"');
	for (; *s; s++)
	{
		if (*s == '"' || *s == '\\')
			appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, *s);
	}
	appendStringInfoChar(buf, '"');
}

/*
 * Canonical text of an array: the dimensions as array_out writes them when
 * a lower bound is not 1, then nested braces; every element is its own
 * canonical text between double quotes, NULL elements are NULL.
 */
static char *
canon_array(Datum value, CanonType *ct)
{
	ArrayType  *arr = DatumGetArrayTypeP(value);
	int			ndim = ARR_NDIM(arr);
	int		   *dims = ARR_DIMS(arr);
	int		   *lbs = ARR_LBOUND(arr);
	int			nitems = ArrayGetNItems(ndim, dims);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			idx[MAXDIM];
	StringInfoData buf;
	bool		need_dims = false;

	initStringInfo(&buf);
	if (nitems == 0)
	{
		appendStringInfoString(&buf, "{}");
		return buf.data;
	}
	for (int d = 0; d < ndim; d++)
		if (lbs[d] != 1)
			need_dims = true;
	if (need_dims)
	{
		for (int d = 0; d < ndim; d++)
			appendStringInfo(&buf, "[%d:%d]", lbs[d], lbs[d] + dims[d] - 1);
		appendStringInfoChar(&buf, '=');
	}
	deconstruct_array(arr, ct->elem, ct->elmlen, ct->elmbyval, ct->elmalign,
					  &elems, &nulls, &n);
	for (int d = 0; d < ndim; d++)
	{
		idx[d] = 0;
		appendStringInfoChar(&buf, '{');
	}
	for (int i = 0; i < n; i++)
	{
		int			d;

		if (i > 0)
		{
			/* close the dimensions that just ended, open them again */
			int			closed = 0;

			for (d = ndim - 1; d >= 0; d--)
			{
				idx[d]++;
				if (idx[d] < dims[d])
					break;
				idx[d] = 0;
				closed++;
			}
			for (int c = 0; c < closed; c++)
				appendStringInfoChar(&buf, '}');
			appendStringInfoChar(&buf, ',');
			for (int c = 0; c < closed; c++)
				appendStringInfoChar(&buf, '{');
		}
		if (nulls[i])
			appendStringInfoString(&buf, "NULL");
		else
			append_quoted(&buf, cl_canon_value(elems[i], ct->elem));
	}
	for (int d = 0; d < ndim; d++)
		appendStringInfoChar(&buf, '}');
	return buf.data;
}

/*
 * Canonical text of a composite value: fields in attribute order between
 * parentheses, each its canonical text in double quotes, NULL fields empty.
 */
static char *
canon_composite(Datum value)
{
	HeapTupleHeader th = DatumGetHeapTupleHeader(value);
	TupleDesc	desc;
	HeapTupleData tuple;
	Datum	   *values;
	bool	   *nulls;
	StringInfoData buf;
	bool		first = true;

	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th),
								  HeapTupleHeaderGetTypMod(th));
	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	values = palloc(desc->natts * sizeof(Datum));
	nulls = palloc(desc->natts * sizeof(bool));
	heap_deform_tuple(&tuple, desc, values, nulls);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		if (!first)
			appendStringInfoChar(&buf, ',');
		first = false;
		if (!nulls[i])
			append_quoted(&buf, cl_canon_value(values[i], att->atttypid));
	}
	appendStringInfoChar(&buf, ')');
	ReleaseTupleDesc(desc);
	return buf.data;
}

/*
 * Canonical text of a non-null value of any type (docs/audit-format.md,
 * "Values").  Must run between cl_canon_enter and cl_canon_leave.
 */
char *
cl_canon_value(Datum value, Oid typid)
{
	CanonType  *ct = canon_type(typid);

	switch (ct->kind)
	{
		case CANON_MONEY:
			return psprintf(INT64_FORMAT, DatumGetInt64(value));
		case CANON_OID:
			return psprintf("%u", DatumGetObjectId(value));
		case CANON_ARRAY:
			return canon_array(value, ct);
		case CANON_COMPOSITE:
			return canon_composite(value);
		case CANON_OUTPUT:
			break;
	}
	return OutputFunctionCall(&ct->out, value);
}

/*
 * Canonical text of a timestamp with time zone (ISO 8601, UTC): exactly
 * what timestamptz_out writes under DateStyle ISO and TimeZone UTC, but
 * built here with the zone passed explicitly, so that it needs no forced
 * settings (the trigger, the sealer and verification call it for every
 * record or transaction).
 */
char *
cl_canon_timestamptz(TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	const char *tzn;
	char		buf[MAXDATELEN + 1];

	if (TIMESTAMP_NOT_FINITE(ts))
		EncodeSpecialTimestamp(ts, buf);
	else if (timestamp2tm(ts, &tz, &tm, &fsec, &tzn, canon_utc()) == 0)
		EncodeDateTime(&tm, fsec, true, tz, tzn, USE_ISO_DATES, buf);
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return pstrdup(buf);
}

/*
 * Canonical text of a timestamptz, remembering the last one of a field
 * (one cache per field, so that one record's two times never share a
 * buffer).  The trigger and verification format each time once per
 * transaction or statement instead of once per record.
 */
const char *
cl_canon_timestamptz_cached(ClTsCache *cache, TimestampTz ts)
{
	char	   *text;

	if (cache->valid && cache->ts == ts)
		return cache->text;
	text = cl_canon_timestamptz(ts);
	if (strlen(text) > MAXDATELEN)
		return text;
	strcpy(cache->text, text);
	pfree(text);
	cache->ts = ts;
	cache->valid = true;
	return cache->text;
}

/*
 * The UTF-8 bytes of server-encoded text (the hashed form); no copy when
 * the server encoding is UTF-8 or SQL_ASCII.
 */
const char *
cl_to_utf8(const char *s, size_t *len)
{
	const char *res = s;

	if (GetDatabaseEncoding() != PG_UTF8 &&
		GetDatabaseEncoding() != PG_SQL_ASCII)
		res = (const char *) pg_server_to_any(s, (int) strlen(s), PG_UTF8);
	*len = strlen(res);
	return res;
}

/* Sink callback appending to a StringInfo. */
static void
stringinfo_write(void *arg, const void *data, size_t len)
{
	appendBinaryStringInfo((StringInfo) arg, data, (int) len);
}

/* A sink that appends to buf. */
void
cl_audit_sink_stringinfo(ClSink *sink, StringInfo buf)
{
	sink->write = stringinfo_write;
	sink->arg = buf;
}

/* Raise the error a core result code stands for. */
void
cl_audit_check_rc(int rc)
{
	switch (rc)
	{
		case CL_AUDIT_OK:
			return;
		case CL_AUDIT_ECRYPTO:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("could not compute an audit hash"),
					 errdetail("OpenSSL could not initialise or run SHA-256.")));
			break;
		case CL_AUDIT_EDUPCOL:
			ereport(ERROR,
					(errcode(ERRCODE_CL_AUDIT_RECORD),
					 errmsg("audit row image has two columns with the same name")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_CL_AUDIT_RECORD),
					 errmsg("audit record field is too long to serialise")));
	}
}

/*
 * The canonical column order of one set of jsonb keys.  Verification
 * rebuilds millions of images whose tables have a handful of column sets,
 * so the order found by sorting is remembered, keyed by the exact key
 * entries and key bytes of the jsonb object (equal keys, equal order).
 */
typedef struct KeyOrder
{
	int			ncols;
	uint32		keys_len;		/* bytes of entries and key text */
	char	   *keys;			/* key JEntries, then the key text */
	int		   *order;			/* order[i]: jsonb position of column i */
} KeyOrder;

#define KEY_ORDER_SLOTS 8

static KeyOrder key_orders[KEY_ORDER_SLOTS];
static int	key_order_next = 0;

/* The remembered order of a jsonb object's keys, or NULL. */
static const int *
key_order_find(int ncols, const char *entries, const char *text,
			   uint32 text_len)
{
	uint32		elen = (uint32) ncols * sizeof(JEntry);

	for (int i = 0; i < KEY_ORDER_SLOTS; i++)
	{
		KeyOrder   *ko = &key_orders[i];

		if (ko->keys != NULL && ko->ncols == ncols &&
			ko->keys_len == elen + text_len &&
			memcmp(ko->keys, entries, elen) == 0 &&
			memcmp(ko->keys + elen, text, text_len) == 0)
			return ko->order;
	}
	return NULL;
}

/*
 * Remember the canonical order of a jsonb object's keys: sorted holds the
 * columns in canonical order, starts[k] the offset of the k-th key's text.
 */
static void
key_order_remember(int ncols, const char *entries, const char *text,
				   uint32 text_len, const ClAuditColumn *sorted,
				   const uint32 *starts)
{
	KeyOrder   *ko = &key_orders[key_order_next];
	uint32		elen = (uint32) ncols * sizeof(JEntry);
	int		   *order;

	order = MemoryContextAlloc(TopMemoryContext, Max(ncols, 1) * sizeof(int));
	for (int i = 0; i < ncols; i++)
	{
		order[i] = -1;
		for (int k = 0; k < ncols; k++)
			if (sorted[i].name == text + starts[k] &&
				sorted[i].name_len == (k + 1 < ncols ? starts[k + 1] :
									   text_len) - starts[k])
				order[i] = k;
		if (order[i] < 0)
		{
			pfree(order);
			return;
		}
	}
	key_order_next = (key_order_next + 1) % KEY_ORDER_SLOTS;
	if (ko->keys != NULL)
		pfree(ko->keys);
	if (ko->order != NULL)
		pfree(ko->order);
	ko->order = order;
	ko->keys = MemoryContextAlloc(TopMemoryContext, elen + text_len);
	memcpy(ko->keys, entries, elen);
	memcpy(ko->keys + elen, text, text_len);
	ko->ncols = ncols;
	ko->keys_len = elen + text_len;
}

/*
 * Rebuild a row image from its stored jsonb (an object whose values are
 * strings or nulls), columns sorted canonically.  Returns false when the
 * jsonb is not such an object: the record cannot have been written so.
 *
 * The object is read in place, straight from its entries (keys first,
 * then values, each an end offset or a length: see utils/jsonb.h), with
 * every offset checked against the datum's size; verification calls this
 * for every stored image, and jsonb's iterator would copy each entry.
 */
bool
cl_image_from_jsonb(Jsonb *jb, ClAuditImage *img)
{
	const JsonbContainer *jc = &jb->root;
	const char *end = (const char *) jb + VARSIZE(jb);
	const char *data;
	int			n;
	uint32		off = 0;
	uint32		key_end = 0;
	const int  *order;
	ClAuditColumn *cols;
	uint32	   *starts;

	if ((const char *) jc + sizeof(uint32) > end || !JsonContainerIsObject(jc) ||
		JsonContainerIsScalar(jc))
		return false;
	n = (int) JsonContainerSize(jc);
	data = (const char *) &jc->children[2 * n];
	if (n < 0 || data > end)
		return false;
	cols = palloc(Max(n, 1) * sizeof(ClAuditColumn));
	starts = palloc(Max(n, 1) * sizeof(uint32));
	for (int i = 0; i < 2 * n; i++)
	{
		JEntry		je = jc->children[i];
		uint32		next = JBE_HAS_OFF(je) ? JBE_OFFLENFLD(je) :
		off + JBE_OFFLENFLD(je);
		ClAuditColumn *c = &cols[i % n];

		if (next < off || next > (uint32) (end - data))
			return false;
		if (i < n)
		{
			if (!JBE_ISSTRING(je))
				return false;
			c->name = data + off;
			c->name_len = next - off;
			starts[i] = off;
			key_end = next;
		}
		else if (JBE_ISNULL(je))
		{
			c->value = NULL;
			c->value_len = 0;
		}
		else if (JBE_ISSTRING(je))
		{
			c->value = data + off;
			c->value_len = next - off;
		}
		else
			return false;
		off = next;
	}
	img->ncols = n;
	order = key_order_find(n, (const char *) jc->children, data, key_end);
	if (order != NULL)
	{
		img->cols = palloc(Max(n, 1) * sizeof(ClAuditColumn));
		for (int i = 0; i < n; i++)
			img->cols[i] = cols[order[i]];
		pfree(cols);
		pfree(starts);
		return true;
	}
	img->cols = cols;
	if (cl_audit_sort_columns(cols, n) != CL_AUDIT_OK)
		return false;
	key_order_remember(n, (const char *) jc->children, data, key_end, cols,
					   starts);
	pfree(starts);
	return true;
}

/* OID of one of the trail's relations in schema carbon_ledger. */
Oid
cl_audit_relid(const char *relname, bool missing_ok)
{
	Oid			nsp = get_namespace_oid(CL_AUDIT_SCHEMA, true);
	Oid			relid = InvalidOid;

	if (OidIsValid(nsp))
		relid = get_relname_relid(relname, nsp);
	if (!OidIsValid(relid) && !missing_ok)
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_NOT_INSTALLED),
				 errmsg("relation \"%s.%s\" of the audit trail does not exist",
						CL_AUDIT_SCHEMA, relname),
				 errhint("Install the extension with CREATE EXTENSION carbon_ledger.")));
	return relid;
}

/*
 * Order of jsonb object keys: shorter first, then bytewise (what jsonb
 * itself keeps, see lengthCompareJsonbStringValue).
 */
static int
jsonb_key_cmp(const JsonbValue *ka, const JsonbValue *kb)
{
	if (ka->val.string.len != kb->val.string.len)
		return ka->val.string.len < kb->val.string.len ? -1 : 1;
	return memcmp(ka->val.string.val, kb->val.string.val,
				  ka->val.string.len);
}

/*
 * Sort an object's pairs into jsonb key order.  An insertion sort: rows
 * have a handful of columns, for which qsort's set-up costs more than the
 * sorting.
 */
static void
sort_jsonb_pairs(JsonbPair *pairs, int n)
{
	for (int i = 1; i < n; i++)
	{
		JsonbPair	p = pairs[i];
		int			j = i;

		while (j > 0 && jsonb_key_cmp(&pairs[j - 1].key, &p.key) > 0)
		{
			pairs[j] = pairs[j - 1];
			j--;
		}
		pairs[j] = p;
	}
}

/*
 * Turn a row into an image: every live column (or only those in cols, when
 * given), as canonical text, plus the jsonb stored in the log.  The jsonb
 * object is built directly from its sorted pairs (column names are
 * unique), which gives the bytes pushJsonbValue would give without its
 * per-value copying.
 */
static Jsonb *
build_image(Relation rel, HeapTuple tuple, Bitmapset *cols, ClAuditImage *img)
{
	TupleDesc	desc = RelationGetDescr(rel);
	JsonbPair  *pairs = palloc(Max(desc->natts, 1) * sizeof(JsonbPair));
	JsonbValue	obj;
	int			n = 0;

	img->cols = palloc(Max(desc->natts, 1) * sizeof(ClAuditColumn));
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		ClAuditColumn *c = &img->cols[n];
		JsonbPair  *p = &pairs[n];
		bool		isnull;
		Datum		d;

		if (att->attisdropped)
			continue;
		if (cols != NULL &&
			!bms_is_member(att->attnum - FirstLowInvalidHeapAttributeNumber,
						   cols))
			continue;
		d = heap_getattr(tuple, att->attnum, desc, &isnull);
		c->name = cl_to_utf8(NameStr(att->attname), &c->name_len);
		if (isnull)
		{
			c->value = NULL;
			c->value_len = 0;
			p->value.type = jbvNull;
		}
		else
		{
			char	   *text = cl_canon_value(d, att->atttypid);

			c->value = cl_to_utf8(text, &c->value_len);
			p->value.type = jbvString;
			p->value.val.string.val = text;
			p->value.val.string.len = (int) strlen(text);
		}
		p->key.type = jbvString;
		p->key.val.string.val = NameStr(att->attname);
		p->key.val.string.len = (int) strlen(NameStr(att->attname));
		p->order = n;
		n++;
	}
	img->ncols = n;
	cl_audit_check_rc(cl_audit_sort_columns(img->cols, n));
	sort_jsonb_pairs(pairs, n);
	obj.type = jbvObject;
	obj.val.object.nPairs = n;
	obj.val.object.pairs = pairs;
	return JsonbValueToJsonb(&obj);
}

/*
 * Insert a row straight into the heap and indexes of one of the trail's
 * tables (no executor, no permission check: only this module writes).
 */
static void
insert_row(Oid relid, int natts, Datum *values, bool *nulls)
{
	Relation	rel = table_open(relid, RowExclusiveLock);

	if (RelationGetDescr(rel)->natts != natts)
		elog(ERROR, "relation \"%s\" has %d columns, expected %d",
			 RelationGetRelationName(rel), RelationGetDescr(rel)->natts, natts);
	CatalogTupleInsert(rel, heap_form_tuple(RelationGetDescr(rel), values, nulls));
	table_close(rel, RowExclusiveLock);
}

/*
 * What the trigger looks up for every record and what rarely changes: the
 * OIDs of the trail's relations, the names of the session and current
 * users, and the qualified name of the last audited table.  Each is
 * forgotten when the catalogs say it may have changed (relation, role or
 * schema invalidations), so the cache never outlives a rename or a
 * reinstallation.
 */
typedef struct TriggerCache
{
	bool		rels_valid;
	Oid			log_relid;
	Oid			pending_relid;
	Oid			seq_relid;
	Oid			session_id;		/* InvalidOid: name not cached */
	char		session_name[NAMEDATALEN];
	Oid			current_id;
	char		current_name[NAMEDATALEN];
	Oid			table_relid;	/* InvalidOid: name not cached */
	char	   *table_name;		/* in TopMemoryContext */
} TriggerCache;

static TriggerCache tcache;
static bool tcache_callbacks = false;

/* Forget the table name (and the trail's OIDs, when one of them changed). */
static void
tcache_relcache_cb(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == tcache.log_relid ||
		relid == tcache.pending_relid || relid == tcache.seq_relid)
		tcache.rels_valid = false;
	if (relid == InvalidOid || relid == tcache.table_relid)
		tcache.table_relid = InvalidOid;
}

/* Forget the cached names after a change to roles or schemas. */
static void
tcache_syscache_cb(Datum arg, int cacheid, uint32 hashvalue)
{
	tcache.session_id = InvalidOid;
	tcache.current_id = InvalidOid;
	tcache.table_relid = InvalidOid;
	if (cacheid == NAMESPACEOID)
		tcache.rels_valid = false;
}

/*
 * Subtransaction end: forget the queue entries an aborted subtransaction
 * made, hand those of a committed one to its parent.
 */
static void
pending_subxact_cb(SubXactEvent event, SubTransactionId mySubid,
				   SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		int			kept = 0;

		for (int i = 0; i < nregs; i++)
			if (regs[i].subid != mySubid)
				regs[kept++] = regs[i];
		nregs = kept;
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		for (int i = 0; i < nregs; i++)
			if (regs[i].subid == mySubid)
				regs[i].subid = parentSubid;
	}
}

/*
 * Whether a record with this id needs a pending-queue entry: the first of
 * its top-level transaction still alive, or one whose id is below every
 * id registered.
 */
static bool
pending_needed(FullTransactionId fxid, int64 id)
{
	if (!FullTransactionIdEquals(fxid, reg_fxid))
	{
		reg_fxid = fxid;
		nregs = 0;
	}
	for (int i = 0; i < nregs; i++)
		if (regs[i].id <= id)
			return false;
	return true;
}

/* Remember a pending-queue entry made by the current subtransaction. */
static void
pending_remember(int64 id)
{
	if (nregs >= regs_cap)
	{
		int			cap = Max(regs_cap * 2, 4);

		regs = regs == NULL ?
			MemoryContextAlloc(TopMemoryContext, cap * sizeof(PendingReg)) :
			repalloc(regs, cap * sizeof(PendingReg));
		regs_cap = cap;
	}
	regs[nregs].subid = GetCurrentSubTransactionId();
	regs[nregs].id = id;
	nregs++;
}

/* Register the invalidation callbacks, once per backend. */
static void
tcache_init(void)
{
	if (tcache_callbacks)
		return;
	RegisterSubXactCallback(pending_subxact_cb, NULL);
	CacheRegisterRelcacheCallback(tcache_relcache_cb, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, tcache_syscache_cb, (Datum) 0);
	CacheRegisterSyscacheCallback(NAMESPACEOID, tcache_syscache_cb, (Datum) 0);
	tcache_callbacks = true;
}

/* The OIDs of the relations the trigger writes. */
static void
tcache_rels(Oid *log_relid, Oid *pending_relid, Oid *seq_relid)
{
	tcache_init();
	if (!tcache.rels_valid)
	{
		tcache.log_relid = cl_audit_relid("audit_log", false);
		tcache.pending_relid = cl_audit_relid("audit_pending", false);
		tcache.seq_relid = cl_audit_relid("audit_log_id_seq", false);
		tcache.rels_valid = true;
	}
	*log_relid = tcache.log_relid;
	*pending_relid = tcache.pending_relid;
	*seq_relid = tcache.seq_relid;
}

/* A role's name, remembered in one of the cache's two slots. */
static const char *
tcache_role_name(Oid roleid, Oid *slot_id, char *slot_name)
{
	tcache_init();
	if (*slot_id != roleid || !OidIsValid(roleid))
	{
		strlcpy(slot_name, GetUserNameFromId(roleid, false), NAMEDATALEN);
		*slot_id = roleid;
	}
	return slot_name;
}

/*
 * Write one audit record: the log row and its pending-queue entry, both
 * straight into the heap.  Images may be NULL (absent).
 */
static void
write_record(const char *table_name, const char *operation,
			 ClAuditImage *key, Jsonb *key_jb,
			 ClAuditImage *old_img, Jsonb *old_jb,
			 ClAuditImage *new_img, Jsonb *new_jb)
{
	static ClTsCache start_cache;
	static ClTsCache stmt_cache;
	Oid			log_relid;
	Oid			pending_relid;
	Oid			seq_relid;
	FullTransactionId fxid = GetTopFullTransactionId();
	TimestampTz xact_start = GetCurrentTransactionStartTimestamp();
	TimestampTz stmt_time = GetCurrentStatementStartTimestamp();
	ClAuditRecord rec;
	uint8		leaf[CL_HASH_LEN];
	bytea	   *leaf_bytes;
	Datum		values[AL_NATTS];
	bool		nulls[AL_NATTS];
	Datum		pvalues[AP_NATTS];
	bool		pnulls[AP_NATTS];
	const char *session_name = tcache_role_name(GetSessionUserId(),
												&tcache.session_id,
												tcache.session_name);
	const char *current_name = tcache_role_name(GetUserId(),
												&tcache.current_id,
												tcache.current_name);
	size_t		len;

	tcache_rels(&log_relid, &pending_relid, &seq_relid);
	if (!FullTransactionIdEquals(fxid, ordinal_fxid))
	{
		ordinal_fxid = fxid;
		next_ordinal = 0;
	}

	memset(&rec, 0, sizeof(rec));
	rec.version = CL_AUDIT_FORMAT_VERSION;
	rec.id = nextval_internal(seq_relid, false);
	rec.xid = U64FromFullTransactionId(fxid);
	rec.ordinal = ++next_ordinal;
	rec.table_name = cl_to_utf8(table_name, &len);
	rec.operation = operation;
	rec.session_user_name = cl_to_utf8(session_name, &len);
	rec.current_user_name = cl_to_utf8(current_name, &len);
	rec.xact_start = cl_canon_timestamptz_cached(&start_cache, xact_start);
	rec.stmt_time = stmt_time == xact_start ? rec.xact_start :
		cl_canon_timestamptz_cached(&stmt_cache, stmt_time);
	rec.key = key;
	rec.old_row = old_img;
	rec.new_row = new_img;
	cl_audit_check_rc(cl_audit_record_leaf(&rec, leaf));

	leaf_bytes = palloc(VARHDRSZ + CL_HASH_LEN);
	SET_VARSIZE(leaf_bytes, VARHDRSZ + CL_HASH_LEN);
	memcpy(VARDATA(leaf_bytes), leaf, CL_HASH_LEN);

	memset(nulls, 0, sizeof(nulls));
	values[AL_ID] = Int64GetDatum(rec.id);
	values[AL_XID] = FullTransactionIdGetDatum(fxid);
	values[AL_ORDINAL] = Int32GetDatum(rec.ordinal);
	values[AL_TABLE] = CStringGetTextDatum(table_name);
	values[AL_OPERATION] = CStringGetTextDatum(operation);
	values[AL_KEY] = PointerGetDatum(key_jb);
	nulls[AL_KEY] = (key_jb == NULL);
	values[AL_OLD] = PointerGetDatum(old_jb);
	nulls[AL_OLD] = (old_jb == NULL);
	values[AL_NEW] = PointerGetDatum(new_jb);
	nulls[AL_NEW] = (new_jb == NULL);
	values[AL_SESSION_USER] = CStringGetTextDatum(session_name);
	values[AL_CURRENT_USER] = CStringGetTextDatum(current_name);
	values[AL_XACT_START] = TimestampTzGetDatum(xact_start);
	values[AL_STMT_TIME] = TimestampTzGetDatum(stmt_time);
	values[AL_VERSION] = Int32GetDatum(CL_AUDIT_FORMAT_VERSION);
	values[AL_LEAF] = PointerGetDatum(leaf_bytes);

	insert_row(log_relid, AL_NATTS, values, nulls);

	/* the transaction's entry in the pending queue, once */
	if (pending_needed(fxid, rec.id))
	{
		memset(pnulls, 0, sizeof(pnulls));
		pvalues[0] = FullTransactionIdGetDatum(fxid);
		pvalues[1] = TimestampTzGetDatum(xact_start);
		pvalues[2] = Int32GetDatum(rec.ordinal);
		pvalues[3] = Int64GetDatum(rec.id);
		pvalues[4] = PointerGetDatum(leaf_bytes);
		insert_row(pending_relid, AP_NATTS, pvalues, pnulls);
		pending_remember(rec.id);
	}
}

/* Schema-qualified, quoted name of a relation. */
static char *
qualified_name(Relation rel)
{
	return quote_qualified_identifier(
									  get_namespace_name(RelationGetNamespace(rel)),
									  RelationGetRelationName(rel));
}

/*
 * Qualified name of an audited table, remembered for the last table (a
 * statement writes many rows of one table).
 */
static const char *
table_qualified_name(Relation rel)
{
	tcache_init();
	if (tcache.table_relid != RelationGetRelid(rel))
	{
		char	   *name = qualified_name(rel);

		if (tcache.table_name != NULL)
			pfree(tcache.table_name);
		tcache.table_name = MemoryContextStrdup(TopMemoryContext, name);
		tcache.table_relid = RelationGetRelid(rel);
	}
	return tcache.table_name;
}

/* The images of one row change. */
typedef struct ChangeImages
{
	HeapTuple	old_tup;
	HeapTuple	new_tup;
	bool		has_key;
	ClAuditImage key_img;
	ClAuditImage old_img;
	ClAuditImage new_img;
	Jsonb	   *key_jb;
	Jsonb	   *old_jb;
	Jsonb	   *new_jb;
} ChangeImages;

/*
 * Build the key, old and new images of a change.  Must run between
 * cl_canon_enter and cl_canon_leave.
 */
static void
build_change_images(Relation rel, ChangeImages *ci)
{
	HeapTuple	key_tup = ci->old_tup ? ci->old_tup : ci->new_tup;

	if (key_tup != NULL)
	{
		Bitmapset  *key_cols;

		key_cols = RelationGetIndexAttrBitmap(rel,
											  INDEX_ATTR_BITMAP_IDENTITY_KEY);
		if (key_cols != NULL)
		{
			ci->key_jb = build_image(rel, key_tup, key_cols, &ci->key_img);
			ci->has_key = true;
		}
	}
	if (ci->old_tup != NULL)
		ci->old_jb = build_image(rel, ci->old_tup, NULL, &ci->old_img);
	if (ci->new_tup != NULL)
		ci->new_jb = build_image(rel, ci->new_tup, NULL, &ci->new_img);
}

/*
 * The audit trigger: AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW, and
 * AFTER TRUNCATE FOR EACH STATEMENT.  Records the change; returns nothing.
 */
Datum
cl_audit_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TriggerEvent ev;
	Relation	rel;
	const char *op;
	ChangeImages ci;
	ClCanonSettings saved;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("carbon_ledger.audit_trigger() must be called as a trigger")));
	ev = td->tg_event;
	if (!TRIGGER_FIRED_AFTER(ev) ||
		(TRIGGER_FIRED_BY_TRUNCATE(ev) ? !TRIGGER_FIRED_FOR_STATEMENT(ev)
		 : !TRIGGER_FIRED_FOR_ROW(ev)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("carbon_ledger.audit_trigger() must fire AFTER each row, or AFTER TRUNCATE for each statement"),
				 errhint("Attach it with carbon_ledger.audit_enable().")));
	rel = td->tg_relation;

	memset(&ci, 0, sizeof(ci));
	if (TRIGGER_FIRED_BY_INSERT(ev))
	{
		op = "INSERT";
		ci.new_tup = td->tg_trigtuple;
	}
	else if (TRIGGER_FIRED_BY_UPDATE(ev))
	{
		op = "UPDATE";
		ci.old_tup = td->tg_trigtuple;
		ci.new_tup = td->tg_newtuple;
	}
	else if (TRIGGER_FIRED_BY_DELETE(ev))
	{
		op = "DELETE";
		ci.old_tup = td->tg_trigtuple;
	}
	else
		op = "TRUNCATE";

	cl_canon_enter(&saved);
	PG_TRY();
	{
		build_change_images(rel, &ci);
	}
	PG_FINALLY();
	{
		cl_canon_leave(&saved);
	}
	PG_END_TRY();

	write_record(table_qualified_name(rel), op,
				 ci.has_key ? &ci.key_img : NULL, ci.key_jb,
				 ci.old_tup ? &ci.old_img : NULL, ci.old_jb,
				 ci.new_tup ? &ci.new_img : NULL, ci.new_jb);
	return PointerGetDatum(NULL);
}

/*
 * OID of a trigger function of the audit trail, carbon_ledger.NAME(), found
 * in the catalogs without a permission check: the DDL guard runs as
 * whoever issued the command, and a role without USAGE on schema
 * carbon_ledger must still create and alter its own tables.
 */
static Oid
audit_function_oid(const char *name)
{
	Oid			nsp = get_namespace_oid(CL_AUDIT_SCHEMA, false);
	oidvector  *noargs = buildoidvector(NULL, 0);
	Oid			fn;

	fn = GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid,
						 CStringGetDatum(name),
						 PointerGetDatum(noargs), ObjectIdGetDatum(nsp));
	if (!OidIsValid(fn))
		elog(ERROR, "function carbon_ledger.%s() does not exist", name);
	return fn;
}

/* OID of carbon_ledger.audit_trigger() (see audit_function_oid). */
static Oid
audit_trigger_oid(void)
{
	return audit_function_oid("audit_trigger");
}

/*
 * The tgtype of the row-level audit trigger audit_enable() creates: AFTER
 * INSERT OR UPDATE OR DELETE FOR EACH ROW (AFTER is the zero bit).  The
 * TRUNCATE one is TRIGGER_TYPE_TRUNCATE alone: AFTER, FOR EACH STATEMENT.
 */
#define CL_AUDIT_ROW_TGTYPE \
	(TRIGGER_TYPE_ROW | TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | \
	 TRIGGER_TYPE_DELETE)

/*
 * Is a table audited: does it carry the triggers audit_enable() creates,
 * CL_AUDIT_TRIGGER_NAME (AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW) and
 * CL_AUDIT_TRUNC_TRIGGER (AFTER TRUNCATE FOR EACH STATEMENT), both calling
 * audit_trigger(), ENABLE ALWAYS, without WHEN condition, column list or
 * constraint?  Any trigger merely calling audit_trigger() is not enough:
 * one that misses an event, or fires for a few columns or rows only, lets
 * changes go unrecorded.  A partition is audited by the row trigger cloned
 * from its parent's (statement triggers are not cloned; a TRUNCATE through
 * the parent is recorded by the parent's).
 *
 * Reads pg_trigger with the catalog snapshot: the callers lock the table
 * first and call InvalidateCatalogSnapshot(), so that the answer includes
 * whatever committed while they waited, at any isolation level.
 */
static bool
is_audited(Oid relid)
{
	Oid			fn = audit_trigger_oid();
	Relation	tgrel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		row = false;
	bool		row_cloned = false;
	bool		truncate = false;

	tgrel = table_open(TriggerRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_trigger_tgrelid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(relid));
	scan = systable_beginscan(tgrel, TriggerRelidNameIndexId, true,
							  NULL, 1, &key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_trigger tg = (Form_pg_trigger) GETSTRUCT(tup);

		if (tg->tgfoid != fn ||
			tg->tgenabled != TRIGGER_FIRES_ALWAYS ||
			OidIsValid(tg->tgconstraint) ||
			tg->tgattr.dim1 != 0 ||
			!heap_attisnull(tup, Anum_pg_trigger_tgqual,
							RelationGetDescr(tgrel)))
			continue;
		if (strcmp(NameStr(tg->tgname), CL_AUDIT_TRIGGER_NAME) == 0 &&
			tg->tgtype == CL_AUDIT_ROW_TGTYPE)
		{
			row = true;
			row_cloned = OidIsValid(tg->tgparentid);
		}
		else if (strcmp(NameStr(tg->tgname), CL_AUDIT_TRUNC_TRIGGER) == 0 &&
				 tg->tgtype == TRIGGER_TYPE_TRUNCATE)
			truncate = true;
	}
	systable_endscan(scan);
	table_close(tgrel, AccessShareLock);
	return row && (truncate || row_cloned);
}

/*
 * Names of the triggers on a table that call audit_trigger(), whatever
 * they look like.  audit_enable() replaces them: on a table that is not
 * audited they are look-alikes (see is_audited), which would record some
 * changes twice, or keep the reserved names from being used.
 */
static List *
audit_trigger_names(Oid relid)
{
	Oid			fn = audit_trigger_oid();
	Relation	tgrel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	List	   *names = NIL;

	tgrel = table_open(TriggerRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_trigger_tgrelid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(relid));
	scan = systable_beginscan(tgrel, TriggerRelidNameIndexId, true,
							  NULL, 1, &key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_trigger tg = (Form_pg_trigger) GETSTRUCT(tup);

		if (tg->tgfoid == fn)
			names = lappend(names, pstrdup(NameStr(tg->tgname)));
	}
	systable_endscan(scan);
	table_close(tgrel, AccessShareLock);
	return names;
}

/*
 * The first inheritance parent (in inhseqno order) of a table that is
 * audited, or InvalidOid.  A partition has none to speak of: its parent's
 * row trigger is cloned to it.  Reads pg_inherits with the catalog
 * snapshot, like is_audited.
 */
static Oid
audited_inheritance_parent(Oid relid)
{
	Relation	inhrel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			found = InvalidOid;

	if (get_rel_relispartition(relid))
		return InvalidOid;
	inhrel = table_open(InheritsRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_inherits_inhrelid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(relid));
	scan = systable_beginscan(inhrel, InheritsRelidSeqnoIndexId, true,
							  NULL, 1, &key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Oid			parent = ((Form_pg_inherits) GETSTRUCT(tup))->inhparent;

		if (is_audited(parent))
		{
			found = parent;
			break;
		}
	}
	systable_endscan(scan);
	table_close(inhrel, AccessShareLock);
	return found;
}

/* A relation's name as regclass prints it: qualified unless visible. */
static char *
regclass_name(Oid relid)
{
	return DatumGetCString(DirectFunctionCall1(regclassout,
											   ObjectIdGetDatum(relid)));
}

/*
 * Run the audit triggers' own DDL (SPI connected) with *flag set, so that
 * the DDL guard lets it through, and cleared again however it ends.
 */
static void
run_trigger_ddl(const char *sql, bool *flag, const char *failure)
{
	*flag = true;
	PG_TRY();
	{
		if (SPI_execute(sql, false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "%s", failure);
	}
	PG_FINALLY();
	{
		*flag = false;
	}
	PG_END_TRY();
}

/* 42P01 for an OID that names no relation (a regclass given as a number) */
static void
require_relation(Oid relid)
{
	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
}

/*
 * Lock a table for audit_enable() or audit_disable(), after checking that
 * the user owns it, as the ALTER TABLE and DROP TRIGGER commands they run
 * will require: nobody can lock a table he could not change that way.
 * ShareRowExclusiveLock, which CREATE TRIGGER takes anyway, conflicts with
 * the ShareUpdateExclusiveLock that CREATE TABLE ... INHERITS and ALTER
 * TABLE ... INHERIT take on the parent and with the AccessExclusiveLock
 * ALTER TABLE ... INHERIT takes on the child: the inheritance of the table
 * cannot change under the checks that follow, and a change in progress is
 * waited for.  The catalog snapshot is then dropped, so that the checks
 * see what committed while we waited (creating or dropping a trigger may
 * send only a relcache invalidation, which does not reset it).
 */
static void
lock_for_audit(Oid relid)
{
	require_relation(relid);
	if (!pg_class_ownercheck(relid, GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER,
					   get_relkind_objtype(get_rel_relkind(relid)),
					   get_rel_name(relid));
	LockRelationOid(relid, ShareRowExclusiveLock);
	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid),
				 errdetail("It was dropped while waiting for its lock.")));
	InvalidateCatalogSnapshot();
}


/* Check that a relation can be audited: a plain or partitioned table. */
static void
check_auditable(Oid relid)
{
	char		kind;

	require_relation(relid);
	kind = get_rel_relkind(relid);

	if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", get_rel_name(relid)),
				 errdetail("Only tables can be audited.")));
	if (get_rel_persistence(relid) == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_CANNOT_AUDIT),
				 errmsg("temporary table \"%s\" cannot be audited",
						get_rel_name(relid)),
				 errdetail("A temporary table is dropped with its session, without a record in the audit trail."),
				 errhint("Audit a permanent table.")));
	if (get_rel_namespace(relid) == get_namespace_oid(CL_AUDIT_SCHEMA, false) &&
		strncmp(get_rel_name(relid), "audit_", 6) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_CANNOT_AUDIT),
				 errmsg("table \"%s\" belongs to the audit trail and cannot be audited",
						get_rel_name(relid)),
				 errdetail("The audit trail's own tables are protected by the chain itself.")));
}

/* Record an enable or disable of auditing on a table. */
static void
write_admin_record(Oid relid, const char *operation)
{
	Relation	rel = table_open(relid, AccessShareLock);
	char	   *name = qualified_name(rel);

	table_close(rel, AccessShareLock);
	write_record(name, operation, NULL, NULL, NULL, NULL, NULL, NULL);
}

/*
 * Warn when the records of a table will carry no row key: it has neither a
 * primary key nor a replica identity index.  Its changes are still
 * recorded in full (the row images name them), but a reader cannot match
 * the records of one row by key.
 */
static void
warn_if_keyless(Oid relid)
{
	Relation	rel = table_open(relid, AccessShareLock);
	Bitmapset  *key_cols;

	key_cols = RelationGetIndexAttrBitmap(rel, INDEX_ATTR_BITMAP_IDENTITY_KEY);
	if (key_cols == NULL)
		ereport(WARNING,
				(errmsg("table \"%s\" has no primary key or replica identity index",
						RelationGetRelationName(rel)),
				 errdetail("Its audit records will have no row key; their row images still record every change in full."),
				 errhint("Add a primary key, or name a unique index with ALTER TABLE ... REPLICA IDENTITY USING INDEX.")));
	bms_free(key_cols);
	table_close(rel, AccessShareLock);
}

/*
 * Refuse to audit a table with an inheritance child (at any depth) that is
 * not audited.  A table's row triggers do not fire for the rows of its
 * inheritance children, which an UPDATE or DELETE of the parent reaches:
 * those changes would go unrecorded.  (Partitions are not concerned: the
 * row trigger of a partitioned table is cloned to each of them, and
 * neither a partitioned table nor a partition can have inheritance
 * children.)  The guard keeps it so afterwards (cl_audit_guard).
 *
 * The table is locked already (lock_for_audit); each child is locked in
 * turn, ShareRowExclusiveLock like the table, before its own children are
 * read, so that no child can be added, attached or stop being audited
 * (audit_disable() takes the same lock on it) until we commit.  pg_inherits
 * and pg_trigger are read with a catalog snapshot taken after each lock,
 * not with the transaction snapshot: under REPEATABLE READ that one can
 * predate a child committed while we waited.
 */
static void
check_children_audited(Oid relid)
{
	List	   *rels;
	ListCell   *lc;

	if (get_rel_relkind(relid) != RELKIND_RELATION ||
		get_rel_relispartition(relid))
		return;

	/* like find_all_inheritors(), with a fresh catalog snapshot per level */
	rels = list_make1_oid(relid);
	foreach(lc, rels)
	{
		List	   *children;

		InvalidateCatalogSnapshot();
		children = find_inheritance_children(lfirst_oid(lc),
											 ShareRowExclusiveLock);
		/* appending to the list being walked is fine, as there */
		rels = list_concat_unique_oid(rels, children);
	}
	InvalidateCatalogSnapshot();

	for_each_from(lc, rels, 1)
	{
		Oid			child = lfirst_oid(lc);

		if (get_rel_relispartition(child) || is_audited(child))
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_INHERITANCE),
				 errmsg("table \"%s\" has an inheritance child \"%s\" that is not audited",
						regclass_name(relid), regclass_name(child)),
				 errdetail("The audit triggers of a table do not fire for its inheritance children: changes made through \"%s\" to rows of \"%s\" would not be recorded.",
						   regclass_name(relid), regclass_name(child)),
				 get_rel_relkind(child) == RELKIND_FOREIGN_TABLE ?
				 errhint("A foreign table cannot be audited: remove it from the inheritance tree with ALTER FOREIGN TABLE ... NO INHERIT first.") :
				 errhint("Call carbon_ledger.audit_enable() on \"%s\" first.",
						 regclass_name(child))));
	}
}

/*
 * audit_enable(regclass): attach the audit triggers (ENABLE ALWAYS, so that
 * they fire under session_replication_role = replica too) and record it.
 * The table and its inheritance children are locked before anything is
 * checked (lock_for_audit, check_children_audited).  Triggers calling
 * audit_trigger() that do not make the table audited (is_audited) are
 * dropped first: they are not what audit_enable() creates, and would
 * otherwise keep the reserved names, or record some changes twice.
 */
Datum
cl_audit_enable(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	char	   *qname;
	char	   *sql;
	List	   *lookalikes;
	ListCell   *lc;
	StringInfoData drops;

	check_auditable(relid);
	lock_for_audit(relid);
	if (is_audited(relid))
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_ALREADY_AUDITED),
				 errmsg("table \"%s\" is already audited", get_rel_name(relid))));
	check_children_audited(relid);
	qname = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
									   get_rel_name(relid));
	lookalikes = audit_trigger_names(relid);
	initStringInfo(&drops);
	foreach(lc, lookalikes)
	{
		char	   *tgname = (char *) lfirst(lc);

		ereport(NOTICE,
				(errmsg("dropping trigger \"%s\" on table \"%s\"",
						tgname, get_rel_name(relid)),
				 errdetail("It calls carbon_ledger.audit_trigger() but is not one of the audit triggers carbon_ledger.audit_enable() creates.")));
		appendStringInfo(&drops, "DROP TRIGGER %s ON %s;",
						 quote_identifier(tgname), qname);
	}
	SPI_connect();
	if (drops.len > 0)
	{
		/* the guard lets audit_disable() and audit_enable() drop them */
		run_trigger_ddl(drops.data, &cl_audit_in_disable, "could not drop the look-alike audit triggers");
	}
	sql = psprintf("CREATE TRIGGER " CL_AUDIT_TRIGGER_NAME
				   " AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW"
				   " EXECUTE FUNCTION carbon_ledger.audit_trigger();"
				   " CREATE TRIGGER " CL_AUDIT_TRUNC_TRIGGER
				   " AFTER TRUNCATE ON %s FOR EACH STATEMENT"
				   " EXECUTE FUNCTION carbon_ledger.audit_trigger();"
				   " ALTER TABLE %s ENABLE ALWAYS TRIGGER " CL_AUDIT_TRIGGER_NAME ","
				   " ENABLE ALWAYS TRIGGER " CL_AUDIT_TRUNC_TRIGGER,
				   qname, qname, qname);
	run_trigger_ddl(sql, &cl_audit_in_enable, "could not attach the audit triggers");
	SPI_finish();
	write_admin_record(relid, "AUDIT ENABLE");
	warn_if_keyless(relid);
	PG_RETURN_VOID();
}

/*
 * Refuse to stop auditing an inheritance child of an audited table: the
 * parent's changes to its rows would go unrecorded (check_children_audited
 * refuses the same state from the other side).  A partition's triggers are
 * its parent's, which PostgreSQL does not let it drop on its own.  The
 * table is locked already (lock_for_audit): no parent can be attached
 * until we commit, and audit_enable() of a parent waits for us while it
 * locks its children.
 */
static void
check_parents_not_audited(Oid relid)
{
	Oid			parent = audited_inheritance_parent(relid);

	if (OidIsValid(parent))
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_INHERITANCE),
				 errmsg("table \"%s\" inherits from audited table \"%s\"",
						regclass_name(relid), regclass_name(parent)),
				 errdetail("The audit triggers of a table do not fire for its inheritance children: changes made through \"%s\" to rows of \"%s\" would no longer be recorded.",
						   regclass_name(parent), regclass_name(relid)),
				 errhint("Remove it from the parent with ALTER TABLE ... NO INHERIT, or call carbon_ledger.audit_disable() on \"%s\" first.",
						 regclass_name(parent))));
}

/*
 * audit_disable(regclass): record the end of auditing, then detach the
 * triggers (the guard lets this function, and audit_enable() replacing
 * look-alikes, drop them).  The table is locked before anything is checked
 * (lock_for_audit).
 */
Datum
cl_audit_disable(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	char	   *qname;
	char	   *sql;

	lock_for_audit(relid);
	if (!is_audited(relid))
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_NOT_AUDITED),
				 errmsg("table \"%s\" is not audited", get_rel_name(relid))));
	check_parents_not_audited(relid);
	SPI_connect();
	write_admin_record(relid, "AUDIT DISABLE");
	qname = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
									   get_rel_name(relid));
	sql = psprintf("DROP TRIGGER " CL_AUDIT_TRIGGER_NAME " ON %s;"
				   " DROP TRIGGER " CL_AUDIT_TRUNC_TRIGGER " ON %s",
				   qname, qname);
	run_trigger_ddl(sql, &cl_audit_in_disable, "could not detach the audit triggers");
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * Trigger on the trail's own tables: UPDATE, DELETE and TRUNCATE are
 * refused, whoever asks.
 */
Datum
cl_audit_protect(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	const char *op = "change";

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("carbon_ledger.audit_protect() must be called as a trigger")));
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		op = "UPDATE";
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		op = "DELETE";
	else if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		op = "TRUNCATE";
	ereport(ERROR,
			(errcode(ERRCODE_CL_AUDIT_APPEND_ONLY),
			 errmsg("%s of \"%s\" is not allowed", op,
					RelationGetRelationName(td->tg_relation)),
			 errdetail("The audit trail is append-only."),
			 errhint("Changes to audited data are new records; sealing is done by carbon_ledger.audit_seal().")));
	PG_RETURN_NULL();
}

/*
 * Is a trigger name one of the audit trail's own: the two audit_enable()
 * gives, or the audit_<table>_append_only of the trail's protection
 * triggers.
 */
static bool
audit_reserved_name(const char *name)
{
	static const char prefix[] = "audit_";
	static const char suffix[] = "_append_only";
	size_t		len = strlen(name);
	size_t		plen = sizeof(prefix) - 1;
	size_t		slen = sizeof(suffix) - 1;

	if (strcmp(name, CL_AUDIT_TRIGGER_NAME) == 0 ||
		strcmp(name, CL_AUDIT_TRUNC_TRIGGER) == 0)
		return true;
	if (len <= plen + slen ||
		strncmp(name, prefix, plen) != 0 ||
		strcmp(name + len - slen, suffix) != 0)
		return false;
	for (size_t i = plen; i < len - slen; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_'))
			return false;
	return true;
}

/*
 * Check one trigger the command made or changed, or one on a table it
 * made or changed: audit triggers are made by audit_enable() only (and by
 * pg_restore, which recreates them from a dump), so one created, replaced
 * (CREATE OR REPLACE TRIGGER) or renamed by hand under the audit trail's
 * names, or calling audit_trigger(), is refused (own_trigger: the command
 * made or changed this trigger); an audit or protection trigger must stay
 * ENABLE ALWAYS under its own name, or changes would go unrecorded.
 */
static void
guard_one_trigger(Form_pg_trigger tg, bool own_trigger, Oid audit_fn,
				  Oid protect_fn)
{
	const char *name = NameStr(tg->tgname);

	if (own_trigger &&
		(strcmp(name, CL_AUDIT_TRIGGER_NAME) == 0 ||
		 strcmp(name, CL_AUDIT_TRUNC_TRIGGER) == 0 ||
		 tg->tgfoid == audit_fn))
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_TRIGGER_GUARD),
				 errmsg("trigger \"%s\" on \"%s\" cannot be made by hand",
						name, regclass_name(tg->tgrelid)),
				 errdetail("The names \"%s\" and \"%s\" and the function carbon_ledger.audit_trigger() belong to the audit trail's own triggers.",
						   CL_AUDIT_TRIGGER_NAME, CL_AUDIT_TRUNC_TRIGGER),
				 errhint("Call carbon_ledger.audit_enable() to audit a table; name other triggers otherwise.")));

	if ((tg->tgfoid == audit_fn || tg->tgfoid == protect_fn) &&
		(tg->tgenabled != TRIGGER_FIRES_ALWAYS || !audit_reserved_name(name)))
		ereport(ERROR,
				(errcode(ERRCODE_CL_AUDIT_TRIGGER_GUARD),
				 errmsg("audit trigger \"%s\" on \"%s\" must stay enabled always under its own name",
						name, regclass_name(tg->tgrelid)),
				 errdetail("Disabling or renaming an audit trigger would let changes go unrecorded."),
				 errhint("Call carbon_ledger.audit_disable() to stop auditing a table; that is itself recorded.")));
}

/*
 * Refuse a table that is an inheritance child of an audited table without
 * being audited itself (LA011): the parent's row triggers do not fire for
 * its rows.  Reads the catalogs with the catalog snapshot (see is_audited).
 */
static void
guard_inheritance_child(Oid child)
{
	char		kind = get_rel_relkind(child);
	Oid			parent;

	/*
	 * only tables and foreign tables can be inheritance children; most
	 * tables have no audited parent, the cheaper question
	 */
	if (kind != RELKIND_RELATION && kind != RELKIND_FOREIGN_TABLE)
		return;
	parent = audited_inheritance_parent(child);
	if (!OidIsValid(parent) || is_audited(child))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CL_AUDIT_INHERITANCE),
			 errmsg("table \"%s\" cannot inherit from audited table \"%s\"",
					regclass_name(child), regclass_name(parent)),
			 errdetail("The audit triggers of a table do not fire for its inheritance children: changes made through \"%s\" to rows of \"%s\" would not be recorded.",
					   regclass_name(parent), regclass_name(child)),
			 kind == RELKIND_FOREIGN_TABLE ?
			 errhint("A foreign table cannot be audited.") :
			 errhint("Call carbon_ledger.audit_enable() on \"%s\" first; create a new table without INHERITS, audit it, then use ALTER TABLE ... INHERIT.",
					 regclass_name(child))));
}

/*
 * Does a trigger calling audit_trigger() have the shape audit_enable()
 * gives its triggers (see is_audited), whoever made it?
 */
static bool
audit_trigger_shape(HeapTuple tup, TupleDesc tgdesc)
{
	Form_pg_trigger tg = (Form_pg_trigger) GETSTRUCT(tup);

	if (OidIsValid(tg->tgconstraint) || tg->tgattr.dim1 != 0 ||
		!heap_attisnull(tup, Anum_pg_trigger_tgqual, tgdesc))
		return false;
	return (strcmp(NameStr(tg->tgname), CL_AUDIT_TRIGGER_NAME) == 0 &&
			tg->tgtype == CL_AUDIT_ROW_TGTYPE) ||
		(strcmp(NameStr(tg->tgname), CL_AUDIT_TRUNC_TRIGGER) == 0 &&
		 tg->tgtype == TRIGGER_TYPE_TRUNCATE);
}

/*
 * The guard's checks over the whole database, for a command that reported
 * no objects: PostgreSQL does not collect the commands run inside REFRESH
 * MATERIALIZED VIEW (the view's query may call functions that run DDL, as
 * the view's owner), so the objects they changed are unknown.  Every
 * audit and protection trigger must be enabled always under its own name,
 * every trigger calling audit_trigger() must have the shape audit_enable()
 * gives it, and every inheritance child of an audited table must be
 * audited.  Reads pg_trigger and pg_inherits whole: rare, and only then.
 */
static void
guard_whole_database(Oid audit_fn, Oid protect_fn)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	List	   *children = NIL;
	ListCell   *lc;

	rel = table_open(TriggerRelationId, AccessShareLock);
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 0, NULL);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_trigger tg = (Form_pg_trigger) GETSTRUCT(tup);

		guard_one_trigger(tg, false, audit_fn, protect_fn);
		if (tg->tgfoid == audit_fn && !audit_trigger_shape(tup, RelationGetDescr(rel)))
			guard_one_trigger(tg, true, audit_fn, protect_fn);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);

	rel = table_open(InheritsRelationId, AccessShareLock);
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 0, NULL);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
		children = list_append_unique_oid(children,
										  ((Form_pg_inherits) GETSTRUCT(tup))->inhrelid);
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	foreach(lc, children)
		guard_inheritance_child(lfirst_oid(lc));
}

/*
 * The DDL guard's checks of the triggers a command made or changed and of
 * those on the tables it made or changed (see guard_one_trigger), read
 * through pg_trigger's indexes so that a command costs the same however
 * many triggers the database holds.  commands are the (classid, objid)
 * pairs of pg_event_trigger_ddl_commands() in SPI's result.
 */
static void
guard_audit_triggers(SPITupleTable *commands, uint64 ncommands,
					 Oid audit_fn, Oid protect_fn)
{
	Relation	tgrel;

	tgrel = table_open(TriggerRelationId, AccessShareLock);
	for (uint64 i = 0; i < ncommands; i++)
	{
		bool		isnull;
		Oid			classid = DatumGetObjectId(SPI_getbinval(commands->vals[i],
															 commands->tupdesc,
															 1, &isnull));
		Oid			objid = DatumGetObjectId(SPI_getbinval(commands->vals[i],
														   commands->tupdesc,
														   2, &isnull));
		ScanKeyData key;
		SysScanDesc scan;
		HeapTuple	tup;
		bool		own = classid == TriggerRelationId;

		if (own)
		{
			ScanKeyInit(&key, Anum_pg_trigger_oid, BTEqualStrategyNumber,
						F_OIDEQ, ObjectIdGetDatum(objid));
			scan = systable_beginscan(tgrel, TriggerOidIndexId, true,
									  NULL, 1, &key);
		}
		else
		{
			ScanKeyInit(&key, Anum_pg_trigger_tgrelid, BTEqualStrategyNumber,
						F_OIDEQ, ObjectIdGetDatum(objid));
			scan = systable_beginscan(tgrel, TriggerRelidNameIndexId, true,
									  NULL, 1, &key);
		}
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
			guard_one_trigger((Form_pg_trigger) GETSTRUCT(tup), own,
							  audit_fn, protect_fn);
		systable_endscan(scan);
	}
	table_close(tgrel, AccessShareLock);
}

/*
 * Event trigger guarding the audit triggers.  At ddl_command_end of ALTER
 * TABLE and ALTER TRIGGER it refuses any audit or protection trigger left
 * in another state than ENABLE ALWAYS, or renamed; at ddl_command_end of
 * CREATE TABLE, CREATE FOREIGN TABLE, ALTER TABLE, ALTER FOREIGN TABLE,
 * CREATE SCHEMA (whose CREATE TABLE elements are collected under its tag)
 * and IMPORT FOREIGN SCHEMA (likewise, for the CREATE FOREIGN TABLE
 * commands a wrapper returns) it refuses a table that is not audited (see
 * is_audited) as an inheritance child of an audited table (INHERITS,
 * INHERIT), whose changes made through the parent would go unrecorded; at
 * sql_drop it refuses dropping one (which DROP
 * TABLE of an audited table does) unless audit_disable() or DROP EXTENSION
 * is doing it.  Commands run inside REFRESH MATERIALIZED VIEW report no
 * objects (PostgreSQL does not collect them): they are checked against
 * the whole database.  A restore (cl_restoring) is not checked at
 * ddl_command_end.
 */
Datum
cl_audit_guard(PG_FUNCTION_ARGS)
{
	EventTriggerData *ed;
	char	   *sql;
	uint64		processed;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("carbon_ledger.audit_guard() must be called as an event trigger")));
	ed = (EventTriggerData *) fcinfo->context;
	/* make the command's own catalog changes visible */
	CommandCounterIncrement();
	SPI_connect();
	if (strcmp(ed->event, "sql_drop") == 0)
	{
		if (cl_audit_in_disable)
		{
			SPI_finish();
			PG_RETURN_VOID();
		}
		sql = "SELECT object_identity FROM pg_catalog.pg_event_trigger_dropped_objects() d "
			"WHERE d.object_type OPERATOR(pg_catalog.=) 'trigger' "
			"AND (d.object_identity OPERATOR(pg_catalog.~~) '" CL_AUDIT_TRIGGER_NAME " on %' "
			"OR d.object_identity OPERATOR(pg_catalog.~~) '" CL_AUDIT_TRUNC_TRIGGER " on %' "
			"OR d.object_identity OPERATOR(pg_catalog.~~) 'audit\\_%\\_append\\_only on carbon\\_ledger.%') "
			"AND NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger_dropped_objects() e "
			"WHERE e.object_type OPERATOR(pg_catalog.=) 'extension' "
			"AND e.object_identity OPERATOR(pg_catalog.=) 'carbon_ledger')";
		if (SPI_execute(sql, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read the dropped objects");
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_CL_AUDIT_DROP_GUARD),
					 errmsg("cannot drop audit trigger %s",
							SPI_getvalue(SPI_tuptable->vals[0],
										 SPI_tuptable->tupdesc, 1)),
					 errdetail("Dropping an audit trigger, or an audited table, would end its audit trail without a record."),
					 errhint("Call carbon_ledger.audit_disable() on the table first.")));
	}
	else
	{
		/*
		 * The tables and triggers the command made or changed.  Read the
		 * catalogs about them with a fresh catalog snapshot: for the
		 * inheritance check below, the command holds
		 * ShareUpdateExclusiveLock on the parents and a stronger lock on
		 * the child, which audit_enable() and audit_disable() wait for, and
		 * waited for any of them in progress; the fresh catalog snapshot
		 * sees those that committed, where the transaction snapshot, under
		 * REPEATABLE READ, can predate them.  Only the list of the
		 * command's objects is taken from SPI.
		 */
		sql = "SELECT DISTINCT c.classid, c.objid, "
			"CASE WHEN c.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
			"THEN c.objid::pg_catalog.regclass::pg_catalog.text END AS relname "
			"FROM pg_catalog.pg_event_trigger_ddl_commands() c "
			"WHERE c.classid OPERATOR(pg_catalog.=) ANY (ARRAY['pg_catalog.pg_class'::pg_catalog.regclass, "
			"'pg_catalog.pg_trigger'::pg_catalog.regclass]::pg_catalog.oid[]) "
			"ORDER BY relname, c.objid";
		if (SPI_execute(sql, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read the command's objects");
		processed = SPI_processed;
		InvalidateCatalogSnapshot();

		/*
		 * A restore recreates the audit triggers from the dump, table
		 * after table, each from its CREATE TRIGGER and ALTER TABLE ...
		 * ENABLE ALWAYS, after the tables and their inheritance: none of
		 * the checks holds until it is done.
		 */
		if (cl_restoring() || cl_audit_in_enable)
			processed = 0;
		else
		{
			Oid			audit_fn = audit_trigger_oid();
			Oid			protect_fn = audit_function_oid("audit_protect");

			/*
			 * nothing collected: inside REFRESH MATERIALIZED VIEW, a
			 * security-restricted operation, see guard_whole_database;
			 * elsewhere the command changed nothing (CREATE TABLE IF NOT
			 * EXISTS of a table that exists, and the like)
			 */
			if (processed == 0 && InSecurityRestrictedOperation())
				guard_whole_database(audit_fn, protect_fn);
			else
				guard_audit_triggers(SPI_tuptable, processed,
									 audit_fn, protect_fn);
		}

		/*
		 * An audited table's row triggers do not fire for the rows of its
		 * inheritance children (partitions get them cloned): a table the
		 * command made a child of an audited table must be audited itself.
		 */
		for (uint64 i = 0; i < processed; i++)
		{
			bool		isnull;
			Oid			classid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
																 SPI_tuptable->tupdesc,
																 1, &isnull));

			if (classid == RelationRelationId)
				guard_inheritance_child(DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
																	   SPI_tuptable->tupdesc,
																	   2, &isnull)));
		}
	}
	SPI_finish();
	PG_RETURN_VOID();
}
