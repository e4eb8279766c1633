/*-------------------------------------------------------------------------
 *
 * ledger.c
 *	  The ledger's booking triggers in C: activity_book and redemption_book
 *	  (reversals included), the booking flag the guard triggers read, and
 *	  the wrappers that run expire_credits() and the repayment rules with
 *	  that flag set.
 *
 * The rules are those of docs/ledger.md; the arithmetic (credits from rate
 * and grams, daily caps, lot allocation) is in src/core/ledger_core.c.
 * Each booking locks its account row and writes its credit lots and
 * allocations without the executor (lock_account_direct, direct_insert:
 * the statements that gain most from it and whose tables are not
 * audited), and runs its other statements through SPI plans prepared once
 * per backend (SPI_prepare + SPI_keepplan) with every table and extension
 * function named with its schema.  While a booking runs, and only then:
 *
 *	- the current user is the extension's owner (the owner of the trigger
 *	  function), set with SetUserIdAndSecContext and
 *	  SECURITY_LOCAL_USERID_CHANGE as a SECURITY DEFINER function would be,
 *	  so that a booking role needs INSERT on activity or redemption only;
 *	- the search path is pg_catalog alone (an override search path, so the
 *	  plans are analysed and kept under the same path whatever the
 *	  session's search_path);
 *	- enable_seqscan is off: every statement reads one account's rows
 *	  through an index, and a plan made while a table was empty must not
 *	  stay a sequential scan as it grows (docs/performance.md, "Ledger");
 *	- booking_active is true: carbon_ledger.booking() returns it to the
 *	  guard triggers of the bookkeeping tables and balances.  It is a
 *	  variable of this library, which no SQL can set.
 *
 * All four are restored when the booking returns or fails (PG_FINALLY),
 * which is cheaper than a function's SET clauses: no GUC nest level, no
 * search_path recomputation.  Rejections raise the SQLSTATEs of class LD
 * listed in docs/errors.md, with the messages the PL/pgSQL triggers had.
 *
 * src/ledger.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/index.h"
#include "catalog/pg_am.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/value.h"
#include "optimizer/cost.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/guc_tables.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/rls.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/fmgroids.h"

#include "audit.h"
#include "ledger_core.h"

PG_FUNCTION_INFO_V1(cl_booking);
PG_FUNCTION_INFO_V1(cl_activity_book);
PG_FUNCTION_INFO_V1(cl_redemption_book);
PG_FUNCTION_INFO_V1(cl_booking_trigger);
PG_FUNCTION_INFO_V1(cl_rule_trigger);
PG_FUNCTION_INFO_V1(cl_restoring_sql);
PG_FUNCTION_INFO_V1(cl_expire_credits);
PG_FUNCTION_INFO_V1(cl_kind_is_normal);
PG_FUNCTION_INFO_V1(cl_account_has_ledger_rows);
PG_FUNCTION_INFO_V1(cl_ledger_row_any);

/* true only while the ledger's own booking code runs (see above) */
static bool booking_active = false;

/*
 * Whether rows are being restored, as decided by the trigger or booking
 * that is running, in the context of the role that fired it (see
 * cl_restoring): 1 or 0, or -1 outside them.
 */
static int	restoring_decided = -1;

/* what a booking changes for its duration, to be restored */
typedef struct BookingScope
{
	Oid			save_user;
	int			save_sec;
	bool		save_active;
	bool		save_seqscan;
	int			save_restoring;
} BookingScope;

/* The statements of the booking path, prepared once per backend. */
typedef enum LedgerStmt
{
	ST_LOCK,
	ST_CLAIM_ACTIVITY,
	ST_PROGRAMME,
	ST_LOT,
	ST_BALANCE,
	ST_EXPIRED,
	ST_SWEEP,
	ST_CLAIM_REDEMPTION,
	ST_LOTS,
	ST_ALLOCATE,
	ST_ORIGINAL,
	ST_REVERSED,
	ST_GIVE_BACK,
	ST_COUNT
} LedgerStmt;

/*
 * The content of a request, as the replay check compares it (the same
 * expression in the claim and in the refusal).
 */
#define ACTIVITY_CONTENT \
	"pg_catalog.jsonb_build_object('kind', $3, 'grams', $4, " \
	"'occurred_at', EXTRACT(epoch FROM $5))"
#define REDEMPTION_CONTENT \
	"pg_catalog.jsonb_build_object('credits', $3, 'item', $4, " \
	"'reverses', $5)"

/*
 * Statement texts: %1$s is the (quoted) schema of the types, for their
 * conversion functions.  Argument types are letters: T text, I int8,
 * Z timestamptz, C carbon_credit, V interval.
 */
static const struct
{
	const char *sql;
	const char *args;
}			stmt_text[ST_COUNT] =
{
	[ST_LOCK] = {
		"SELECT a.status, a.opened_at, a.programme_id, a.balance, a.closed_at "
		"FROM carbon_ledger.account a WHERE a.account_no = $1 FOR UPDATE",
	"T"},
	/*
	 * The claims name no conflict target: the key of request is
	 * (request_id) as installed, and (account_no, request_id) where a
	 * Citus deployment colocates it with account (docs/scale-out.md).
	 */
	[ST_CLAIM_ACTIVITY] = {
		"INSERT INTO carbon_ledger.request "
		"(request_id, operation, account_no, content) "
		"VALUES ($1, 'activity', $2, " ACTIVITY_CONTENT ") "
		"ON CONFLICT DO NOTHING",
	"TTTIZ"},
	/* the rate, lifetime and zone, the cap and the grams used that day */
	[ST_PROGRAMME] = {
		"SELECT p.credits_per_tonne::pg_catalog.text, p.credit_lifetime, "
		"p.time_zone, c.daily_cap, "
		"CASE WHEN c.daily_cap IS NOT NULL THEN "
		"(SELECT LEAST(COALESCE(pg_catalog.sum(%1$s.tco2e_grams(a.reduction)), 0), "
		"%1$s.tco2e_grams(c.daily_cap))::pg_catalog.int8 "
		"FROM carbon_ledger.activity a "
		"WHERE a.account_no = $2 AND a.kind = $3 "
		"AND a.occurred_at >= (pg_catalog.date_trunc('day', $4 AT TIME ZONE p.time_zone) "
		"AT TIME ZONE p.time_zone) "
		"AND a.occurred_at < ((pg_catalog.date_trunc('day', $4 AT TIME ZONE p.time_zone) "
		"+ '1 day'::pg_catalog.interval) AT TIME ZONE p.time_zone)) END, "
		"p.credits_per_tonne "
		"FROM carbon_ledger.programme p "
		"LEFT JOIN carbon_ledger.programme_activity_cap c "
		"ON c.programme_id = p.programme_id AND c.kind = $3 "
		"WHERE p.programme_id = $1",
	"TTTZ"},
	/* returns whether the lot has expired already */
	[ST_LOT] = {
		"INSERT INTO carbon_ledger.credit_lot "
		"(lot_id, account_no, credits, earned_at, expires_at) "
		"VALUES ($1, $2, $3, $4, (($4 AT TIME ZONE $6) + $5) AT TIME ZONE $6) "
		"RETURNING expires_at <= pg_catalog.statement_timestamp()",
	"ITCZVT"},
	[ST_BALANCE] = {
		"UPDATE carbon_ledger.account SET balance = $2 WHERE account_no = $1",
	"TC"},
	[ST_EXPIRED] = {
		"SELECT 1 FROM carbon_ledger.credit_lot c WHERE c.account_no = $1 "
		"AND c.expires_at <= pg_catalog.statement_timestamp() LIMIT 1",
	"T"},
	[ST_SWEEP] = {
		"SELECT carbon_ledger.sweep_account($1, pg_catalog.statement_timestamp())",
	"T"},
	[ST_CLAIM_REDEMPTION] = {
		"INSERT INTO carbon_ledger.request "
		"(request_id, operation, account_no, content) "
		"VALUES ($1, 'redemption', $2, " REDEMPTION_CONTENT ") "
		"ON CONFLICT DO NOTHING",
	"TTITI"},
	/*
	 * The account's lots with what was taken from and written off each,
	 * as rows to add up (no aggregate, no correlated subquery: one index
	 * scan of each table).  Credits are carbon_credit, an int64 of
	 * thousandths.
	 */
	[ST_LOTS] = {
		"SELECT 0, l.lot_id, l.credits, l.expires_at, l.earned_at "
		"FROM carbon_ledger.credit_lot l WHERE l.account_no = $1 "
		"UNION ALL "
		"SELECT 1, a.lot_id, a.credits, NULL::pg_catalog.timestamptz, "
		"NULL::pg_catalog.timestamptz "
		"FROM carbon_ledger.credit_allocation a WHERE a.account_no = $1 "
		"UNION ALL "
		"SELECT 2, e.lot_id, e.credits, NULL::pg_catalog.timestamptz, "
		"NULL::pg_catalog.timestamptz "
		"FROM carbon_ledger.credit_expiry e WHERE e.account_no = $1",
	"T"},
	[ST_ALLOCATE] = {
		"INSERT INTO carbon_ledger.credit_allocation "
		"(redemption_id, lot_id, account_no, credits) VALUES ($1, $2, $3, $4)",
	"IITC"},
	[ST_ORIGINAL] = {
		"SELECT r.credits, r.reverses, r.redeemed_at "
		"FROM carbon_ledger.redemption r "
		"WHERE r.account_no = $1 AND r.redemption_id = $2",
	"TI"},
	[ST_REVERSED] = {
		"SELECT 1 FROM carbon_ledger.redemption r "
		"WHERE r.account_no = $1 AND r.reverses = $2 LIMIT 1",
	"TI"},
	[ST_GIVE_BACK] = {
		"INSERT INTO carbon_ledger.credit_allocation "
		"(redemption_id, lot_id, account_no, credits) "
		"SELECT $1, a.lot_id, a.account_no, "
		"%1$s.carbon_credit_from_thousandths(- %1$s.carbon_credit_thousandths(a.credits)) "
		"FROM carbon_ledger.credit_allocation a "
		"WHERE a.account_no = $2 AND a.redemption_id = $3",
	"ITI"},
};

static SPIPlanPtr stmt_plan[ST_COUNT];

/* the carbon_credit type the plans were made for, and its schema */
static Oid	plans_credit_type = InvalidOid;
static char *plans_schema = NULL;

/* The ledger's error codes. */
#define LD(a, b, c) MAKE_SQLSTATE('L', 'D', a, b, c)

/*
 * booking: whether the ledger's booking code is running in this backend;
 * the guard triggers let bookkeeping rows and balance updates through
 * only then.
 */
Datum
cl_booking(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(booking_active);
}

/*
 * latest_select: runs a query, prepared once into *kept, with the latest
 * snapshot rather than the transaction's, and leaves its rows in
 * SPI_tuptable (SPI must be connected).
 *
 * The account guard's checks read the ledger this way.  A booking locks
 * the account row but writes it only when the balance changes: an
 * activity that earns no credits leaves the row as it was, so a DELETE at
 * REPEATABLE READ or SERIALIZABLE that started before such a booking
 * committed meets no update conflict, and its snapshot does not show the
 * new activity; a TRUNCATE, which waits for every booking to finish, has
 * the same blind spot.  By the time the guard runs, the DELETE has waited
 * for the booking's row lock (the TRUNCATE for its table lock), so every
 * booking on the account has committed or aborted, and the latest
 * snapshot shows what it left.  PostgreSQL's foreign key checks read the
 * referencing table the same way (SPI_execute_snapshot), for the same
 * reason.
 */
static void
latest_select(SPIPlanPtr *kept, const char *sql, int nargs, Oid *types,
			  Datum *values)
{
	if (*kept == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, nargs, types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not prepare a ledger rows check: %s",
				 SPI_result_code_string(SPI_result));
		*kept = p;
	}
	if (SPI_execute_snapshot(*kept, values, NULL, GetLatestSnapshot(),
							 InvalidSnapshot, true, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "a ledger rows check failed");
}

/*
 * account_has_ledger_rows(account_no): whether an activity or a redemption
 * names the account, as the latest snapshot sees them (the account
 * guard's DELETE check; see latest_select).
 */
Datum
cl_account_has_ledger_rows(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr check = NULL;
	Datum		account_no = PG_GETARG_DATUM(0);
	Oid			type = TEXTOID;
	bool		found;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	latest_select(&check,
				  "SELECT 1 FROM carbon_ledger.activity x "
				  "WHERE x.account_no OPERATOR(pg_catalog.=) $1 "
				  "UNION ALL "
				  "SELECT 1 FROM carbon_ledger.redemption x "
				  "WHERE x.account_no OPERATOR(pg_catalog.=) $1 "
				  "LIMIT 1", 1, &type, &account_no);
	found = SPI_processed > 0;
	SPI_finish();
	PG_RETURN_BOOL(found);
}

/*
 * ledger_row_any(): some row of the tables that refer to accounts by
 * account_no, as {account_no, table name}, or NULL when they are all
 * empty, as the latest snapshot sees them (the account guard's TRUNCATE
 * check; see latest_select).
 */
Datum
cl_ledger_row_any(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr check = NULL;
	MemoryContext upper = CurrentMemoryContext;
	char	   *found[2] = {NULL, NULL};
	Datum		elems[2];

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	latest_select(&check,
				  "(SELECT a.account_no, 'activity' FROM carbon_ledger.activity a LIMIT 1) "
				  "UNION ALL (SELECT r.account_no, 'redemption' "
				  "FROM carbon_ledger.redemption r LIMIT 1) "
				  "UNION ALL (SELECT q.account_no, 'request' "
				  "FROM carbon_ledger.request q LIMIT 1) "
				  "UNION ALL (SELECT l.account_no, 'credit_lot' "
				  "FROM carbon_ledger.credit_lot l LIMIT 1) "
				  "UNION ALL (SELECT c.account_no, 'credit_allocation' "
				  "FROM carbon_ledger.credit_allocation c LIMIT 1) "
				  "UNION ALL (SELECT e.account_no, 'credit_expiry' "
				  "FROM carbon_ledger.credit_expiry e LIMIT 1) "
				  "LIMIT 1", 0, NULL, NULL);
	for (int i = 0; SPI_processed > 0 && i < 2; i++)
	{
		char	   *v = SPI_getvalue(SPI_tuptable->vals[0],
									 SPI_tuptable->tupdesc, i + 1);

		found[i] = MemoryContextStrdup(upper, v ? v : "");
	}
	SPI_finish();

	if (found[0] == NULL)
		PG_RETURN_NULL();
	elems[0] = CStringGetTextDatum(found[0]);
	elems[1] = CStringGetTextDatum(found[1]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, 2, TEXTOID, -1, false,
										  TYPALIGN_INT));
}

/*
 * cl_restoring: whether rows are being restored from a dump, as
 * carbon_ledger.restoring() says: the ledger's triggers then take rows as
 * they come, and the audit guard lets pg_restore recreate the audit
 * triggers.  That is a superuser session that turned row_security off
 * itself, as pg_restore and pg_dump's scripts do, whose statement is
 * issued by a superuser: not a session whose database has row_security
 * off by default, nor code of another role that such a session runs (a
 * SECURITY DEFINER function, a materialized view refreshed as its owner,
 * which is a security-restricted operation), which must not switch the
 * rules off.  The ledger's SECURITY DEFINER triggers run as the
 * extension's owner; their wrappers (carbon_ledger.rule_trigger(),
 * booking_trigger() and the C bookings) decide before the switch, as the
 * role that fired them, and the statements they run inherit the decision.
 */
bool
cl_restoring(void)
{
	static struct config_generic *rls = NULL;
	const char *su;

	if (restoring_decided >= 0)
		return restoring_decided == 1;
	if (row_security || InSecurityRestrictedOperation() || !superuser())
		return false;

	/*
	 * row_security off as the session asked for it (SET, or the client's
	 * connection options), not as a default of the database, which its
	 * owner may set for every session (ALTER DATABASE ... SET).  The
	 * setting's entry in the GUC table is a static one: found once.
	 */
	if (rls == NULL)
	{
		struct config_generic **vars = get_guc_variables();
		int			n = GetNumConfigOptions();

		for (int i = 0; i < n && rls == NULL; i++)
			if (strcmp(vars[i]->name, "row_security") == 0)
				rls = vars[i];
		if (rls == NULL)
			elog(ERROR, "setting \"row_security\" not found");
	}
	if (rls->source != PGC_S_SESSION && rls->source != PGC_S_CLIENT)
		return false;
	su = GetConfigOption("is_superuser", false, false);
	return su != NULL && strcmp(su, "on") == 0;
}

/* carbon_ledger.restoring(): cl_restoring() for the PL/pgSQL triggers. */
Datum
cl_restoring_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cl_restoring());
}

/*
 * function_owner: the owner of the called function (the extension's
 * owner), looked up once per statement that fires it.
 */
static Oid
function_owner(FunctionCallInfo fcinfo)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	HeapTuple	tp;
	Oid			owner;

	if (flinfo->fn_extra != NULL)
		return *(Oid *) flinfo->fn_extra;
	tp = SearchSysCache1(PROCOID, ObjectIdGetDatum(flinfo->fn_oid));
	if (!HeapTupleIsValid(tp))
		elog(ERROR, "cache lookup failed for function %u", flinfo->fn_oid);
	owner = ((Form_pg_proc) GETSTRUCT(tp))->proowner;
	ReleaseSysCache(tp);
	flinfo->fn_extra = MemoryContextAlloc(flinfo->fn_mcxt, sizeof(Oid));
	*(Oid *) flinfo->fn_extra = owner;
	return owner;
}

/*
 * booking_enter: become the owner (unless InvalidOid), pin the search path
 * to pg_catalog, turn sequential scans off, raise the booking flag and
 * record whether rows are being restored (restoring, decided by the
 * caller as the role that fired it: the statements of the booking inherit
 * it).  booking_leave undoes all of it; callers run the booking between
 * the two in PG_TRY with booking_leave in PG_FINALLY.
 */
static void
booking_enter(BookingScope *scope, Oid owner, bool restoring)
{
	OverrideSearchPath path = {NIL, true, false, 0};

	GetUserIdAndSecContext(&scope->save_user, &scope->save_sec);
	scope->save_active = booking_active;
	scope->save_seqscan = enable_seqscan;
	scope->save_restoring = restoring_decided;
	restoring_decided = restoring ? 1 : 0;
	PushOverrideSearchPath(&path);
	if (OidIsValid(owner))
		SetUserIdAndSecContext(owner,
							   scope->save_sec | SECURITY_LOCAL_USERID_CHANGE);
	enable_seqscan = false;
	booking_active = true;
}

static void
booking_leave(BookingScope *scope)
{
	booking_active = scope->save_active;
	enable_seqscan = scope->save_seqscan;
	restoring_decided = scope->save_restoring;
	SetUserIdAndSecContext(scope->save_user, scope->save_sec);
	PopOverrideSearchPath();
}

/*
 * check_plans: forget the kept plans when the extension's types are not
 * those they were made for (the extension was dropped and created again
 * in this session), and note the types' schema for new ones.
 */
static void
check_plans(Oid credit_type)
{
	HeapTuple	tp;
	Oid			nsp;
	int			i;

	if (credit_type == plans_credit_type)
		return;
	for (i = 0; i < ST_COUNT; i++)
	{
		if (stmt_plan[i] != NULL)
			SPI_freeplan(stmt_plan[i]);
		stmt_plan[i] = NULL;
	}
	tp = SearchSysCache1(TYPEOID, ObjectIdGetDatum(credit_type));
	if (!HeapTupleIsValid(tp))
		elog(ERROR, "cache lookup failed for type %u", credit_type);
	nsp = ((Form_pg_type) GETSTRUCT(tp))->typnamespace;
	ReleaseSysCache(tp);
	if (plans_schema != NULL)
		pfree(plans_schema);
	plans_schema = MemoryContextStrdup(TopMemoryContext,
									   quote_identifier(get_namespace_name(nsp)));
	plans_credit_type = credit_type;
}

/* plan: the kept plan of a statement, prepared at its first use */
static SPIPlanPtr
plan(LedgerStmt which)
{
	Oid			types[8];
	const char *args = stmt_text[which].args;
	int			n = strlen(args);
	int			i;
	SPIPlanPtr	p;

	if (stmt_plan[which] != NULL)
		return stmt_plan[which];
	for (i = 0; i < n; i++)
	{
		switch (args[i])
		{
			case 'T':
				types[i] = TEXTOID;
				break;
			case 'I':
				types[i] = INT8OID;
				break;
			case 'Z':
				types[i] = TIMESTAMPTZOID;
				break;
			case 'V':
				types[i] = INTERVALOID;
				break;
			default:
				types[i] = plans_credit_type;
				break;
		}
	}
	p = SPI_prepare(psprintf(stmt_text[which].sql, plans_schema), n, types);
	if (p == NULL)
		elog(ERROR, "SPI_prepare failed for ledger statement %d: %s",
			 (int) which, SPI_result_code_string(SPI_result));
	if (SPI_keepplan(p) != 0)
		elog(ERROR, "SPI_keepplan failed for ledger statement %d", (int) which);
	stmt_plan[which] = p;
	return p;
}

/* run: executes a kept statement; returns the rows it processed */
static uint64
run(LedgerStmt which, Datum *values, const char *nulls)
{
	int			rc = SPI_execute_plan(plan(which), values, nulls, false, 0);

	if (rc < 0)
		elog(ERROR, "ledger statement %d failed: %s", (int) which,
			 SPI_result_code_string(rc));
	return SPI_processed;
}

/* column: a column of the first row the last statement returned */
static Datum
column(int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col,
						 isnull);
}

/* text_of: a value as its type's output function writes it */
static char *
text_of(Datum value, Oid type)
{
	Oid			out;
	bool		varlena;

	getTypeOutputInfo(type, &out, &varlena);
	return OidOutputFunctionCall(out, value);
}

/* credits_text: thousandths of a credit as carbon_credit writes them */
static char *
credits_text(int64 thousandths)
{
	return text_of(Int64GetDatum(thousandths), plans_credit_type);
}

/* ts_text: a timestamp with time zone as the session writes it */
static char *
ts_text(TimestampTz ts)
{
	return text_of(TimestampTzGetDatum(ts), TIMESTAMPTZOID);
}

/* attnum: the number of a column of the trigger's table */
static int
attnum(TriggerData *td, const char *name)
{
	int			n = SPI_fnumber(td->tg_relation->rd_att, name);

	if (n <= 0)
		elog(ERROR, "column \"%s\" not found in \"%s\"", name,
			 RelationGetRelationName(td->tg_relation));
	return n;
}

/* new_value: a column of the row being inserted */
static Datum
new_value(TriggerData *td, const char *name, bool *isnull)
{
	return heap_getattr(td->tg_trigtuple, attnum(td, name),
						td->tg_relation->rd_att, isnull);
}

/* insert_trigger: the trigger data of a BEFORE ROW INSERT trigger */
static TriggerData *
insert_trigger(FunctionCallInfo fcinfo, const char *name)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) ||
		!TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be fired BEFORE INSERT FOR EACH ROW", name)));
	return td;
}

/* A column of a row to insert, by name, with the type it must have. */
typedef struct ColumnValue
{
	const char *name;
	Oid			type;
	Datum		value;
}			ColumnValue;

/* The tables direct_insert writes. */
typedef enum DirectTable
{
	DT_LOT,
	DT_ALLOCATION,
	DT_COUNT
} DirectTable;

static const char *const direct_table_name[DT_COUNT] = {
	[DT_LOT] = "credit_lot",
	[DT_ALLOCATION] = "credit_allocation",
};

/*
 * Whether each table may be written directly: the relation it was decided
 * for (InvalidOid: not decided) and the answer.  A relcache invalidation
 * of that relation (any ALTER TABLE, CREATE TRIGGER, RULE, POLICY or
 * INDEX on it) or of all relations forgets the answer.
 */
static struct
{
	Oid			relid;
	bool		direct;
}			direct_cache[DT_COUNT];
static bool direct_callback_registered = false;

/* direct_relcache_cb: forgets the answers about an invalidated relation */
static void
direct_relcache_cb(Datum arg, Oid relid)
{
	int			i;

	for (i = 0; i < DT_COUNT; i++)
		if (!OidIsValid(relid) || direct_cache[i].relid == relid)
			direct_cache[i].relid = InvalidOid;
}

/*
 * direct_allowed: whether a row of the given columns can be written into
 * rel without the executor, that is whether the relation is exactly what
 * direct_insert was written for, so that nothing the executor would do on
 * INSERT is skipped: a plain table (not partitioned, not a partition), no
 * rules, no row security, no foreign keys, no CHECK constraint (valid or
 * not), no generated column, every live column one of cols with exactly
 * the type given (not a domain over it), every index a plain btree on
 * columns (no predicate, no expression, no exclusion constraint, not
 * deferrable, ready), and no insert trigger but the guard, recognised by
 * its function carbon_ledger.bookkeeping_guard() (a BEFORE ROW trigger
 * with a WHEN clause: without one it would refuse the booking's row).
 */
static bool
direct_allowed(Relation rel, const ColumnValue *cols, int ncols)
{
	TupleDesc	desc = RelationGetDescr(rel);
	TriggerDesc *trig = rel->trigdesc;
	Oid			guard;
	List	   *indexes;
	ListCell   *lc;
	int			live = 0;
	int			i;
	bool		plain = true;

	if (rel->rd_rel->relkind != RELKIND_RELATION ||
		rel->rd_rel->relispartition ||
		rel->rd_rel->relhasrules || rel->rd_rules != NULL ||
		rel->rd_rel->relrowsecurity || rel->rd_rel->relforcerowsecurity ||
		rel->rd_rsdesc != NULL ||
		RelationGetFKeyList(rel) != NIL)
		return false;
	if (desc->constr != NULL &&
		(desc->constr->num_check > 0 ||
		 desc->constr->has_generated_stored))
		return false;

	/* every live column given, with its very type */
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		int			c;

		if (att->attisdropped)
			continue;
		live++;
		if (att->attgenerated)
			return false;
		for (c = 0; c < ncols; c++)
			if (strcmp(NameStr(att->attname), cols[c].name) == 0)
				break;
		if (c == ncols || att->atttypid != cols[c].type)
			return false;
	}
	if (live != ncols)
		return false;

	/* no insert trigger but the guard, by its function */
	guard = LookupFuncName(list_make2(makeString("carbon_ledger"),
									  makeString("bookkeeping_guard")),
						   0, NULL, true);
	for (i = 0; trig != NULL && i < trig->numtriggers; i++)
	{
		Trigger    *t = &trig->triggers[i];

		if (!TRIGGER_FOR_INSERT(t->tgtype))
			continue;
		if (!OidIsValid(guard) || t->tgfoid != guard ||
			!TRIGGER_FOR_ROW(t->tgtype) || !TRIGGER_FOR_BEFORE(t->tgtype) ||
			t->tgqual == NULL)
			return false;
	}

	/* every index a plain btree on columns */
	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Relation	idx = index_open(lfirst_oid(lc), AccessShareLock);
		IndexInfo  *info = BuildIndexInfo(idx);

		if (idx->rd_rel->relam != BTREE_AM_OID ||
			!idx->rd_index->indimmediate ||
			!idx->rd_index->indisready ||
			idx->rd_index->indisexclusion ||
			info->ii_ExclusionOps != NULL ||
			info->ii_Expressions != NIL ||
			info->ii_Predicate != NIL)
			plain = false;
		index_close(idx, NoLock);
		if (!plain)
			break;
	}
	list_free(indexes);
	return plain;
}

/*
 * direct_insert: inserts a row into a bookkeeping table of the schema
 * carbon_ledger (credit_lot, credit_allocation) without the executor: the
 * heap tuple, then every index entry, unique ones checked as the executor
 * checks them (a duplicate key raises 23505, a concurrent insert of the
 * same key is waited for).  Only while the table is exactly as the
 * extension created it (direct_allowed, decided once per relation and
 * again after any change to it): those tables are not audited and their
 * only insert trigger is the guard, which lets the booking through anyway.
 * Otherwise (a DBA enabled the audit trail on the table, added a
 * constraint, a rule, an index of another kind, changed a column's type)
 * it inserts nothing and returns false, and the caller runs its SQL
 * statement instead, which does all the executor does.  Saves the
 * executor start-up and the guard's WHEN clause of one statement per
 * booking.
 */
static bool
direct_insert(DirectTable table, const ColumnValue *cols, int ncols)
{
	Oid			relid;
	Relation	rel;
	TupleDesc	desc;
	Datum	   *values;
	bool	   *nulls;
	List	   *indexes;
	ListCell   *lc;
	HeapTuple	tuple;
	TupleTableSlot *slot;
	int			i;

	relid = get_relname_relid(direct_table_name[table],
							  get_namespace_oid("carbon_ledger", false));
	if (!OidIsValid(relid))
		return false;
	if (!direct_callback_registered)
	{
		CacheRegisterRelcacheCallback(direct_relcache_cb, (Datum) 0);
		direct_callback_registered = true;
	}
	/* the lock brings in the invalidations of any change made before it */
	rel = table_open(relid, RowExclusiveLock);
	desc = RelationGetDescr(rel);
	if (direct_cache[table].relid != relid)
	{
		bool		direct = direct_allowed(rel, cols, ncols);

		direct_cache[table].relid = relid;
		direct_cache[table].direct = direct;
	}
	if (!direct_cache[table].direct)
	{
		table_close(rel, NoLock);
		return false;
	}

	values = palloc0(sizeof(Datum) * desc->natts);
	nulls = palloc(sizeof(bool) * desc->natts);
	memset(nulls, true, sizeof(bool) * desc->natts);
	for (i = 0; i < ncols; i++)
	{
		int			n = SPI_fnumber(desc, cols[i].name);

		values[n - 1] = cols[i].value;
		nulls[n - 1] = false;
	}

	indexes = RelationGetIndexList(rel);
	tuple = heap_form_tuple(desc, values, nulls);
	simple_heap_insert(rel, tuple);
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsHeapTuple);
	ExecStoreHeapTuple(tuple, slot, false);
	foreach(lc, indexes)
	{
		Relation	idx = index_open(lfirst_oid(lc), RowExclusiveLock);
		IndexInfo  *info = BuildIndexInfo(idx);
		Datum		ivalues[INDEX_MAX_KEYS];
		bool		inulls[INDEX_MAX_KEYS];

		FormIndexDatum(info, slot, NULL, ivalues, inulls);
		index_insert(idx, ivalues, inulls, &tuple->t_self, rel,
					 idx->rd_index->indisunique ? UNIQUE_CHECK_YES : UNIQUE_CHECK_NO,
					 false, info);
		index_close(idx, NoLock);
	}
	ExecDropSingleTupleTableSlot(slot);
	list_free(indexes);
	table_close(rel, NoLock);
	return true;
}

/* The account a booking locked. */
typedef struct LockedAccount
{
	TimestampTz opened_at;
	char	   *programme_id;
	int64		balance;
	char	   *status;			/* active, frozen or closed */
	bool		closed_null;	/* closed_at is NULL */
	TimestampTz closed_at;
}			LockedAccount;

/* the columns of an account a booking reads, in ST_LOCK's order */
static const char *const account_columns[] = {
	"status", "opened_at", "programme_id", "balance", "closed_at"
};

/*
 * lock_account_direct: SELECT ... FOR UPDATE of one account row without
 * the executor: a look-up of its primary key with the statement's
 * snapshot (taken as SPI takes it: after a command counter increment, at
 * the current command), then the row lock, with the executor's rules for
 * a row updated or deleted concurrently: at READ COMMITTED the lock waits
 * and follows the update to the latest version; at REPEATABLE READ and
 * SERIALIZABLE it fails with 40001.  The index scan takes the predicate
 * locks SERIALIZABLE needs.  Sets values (the columns of account_columns)
 * and returns 1 if the row was locked, 0 if there is no such row, -1 if
 * it cannot look up (the key is not a one-column btree index on
 * account_no): the caller then runs ST_LOCK.
 */
static int
lock_account_direct(Datum account_no, Datum *values, bool *nulls)
{
	Oid			relid = get_relname_relid("account",
										  get_namespace_oid("carbon_ledger", false));
	Relation	rel;
	Relation	idx;
	Oid			pk;
	int			key_att;
	ScanKeyData key;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	Snapshot	snap;
	bool		found;
	int			result = 1;
	int			i;
	TM_Result	res;
	TM_FailureData tmfd;

	if (!OidIsValid(relid))
		return -1;
	rel = table_open(relid, RowShareLock);
	pk = RelationGetPrimaryKeyIndex(rel);
	key_att = SPI_fnumber(RelationGetDescr(rel), "account_no");
	if (!OidIsValid(pk))
	{
		table_close(rel, NoLock);
		return -1;
	}
	idx = index_open(pk, AccessShareLock);
	if (idx->rd_rel->relam != BTREE_AM_OID ||
		idx->rd_index->indnatts != 1 ||
		idx->rd_index->indkey.values[0] != key_att)
	{
		index_close(idx, NoLock);
		table_close(rel, NoLock);
		return -1;
	}

	CommandCounterIncrement();
	PushCopiedSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
	snap = GetActiveSnapshot();

	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   idx->rd_indcollation[0], F_TEXTEQ, account_no);
	slot = table_slot_create(rel, NULL);
	scan = index_beginscan(rel, idx, snap, 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, slot);
	index_endscan(scan);

	if (found)
	{
		ItemPointerData tid = slot->tts_tid;

		res = table_tuple_lock(rel, &tid, snap, slot,
							   GetCurrentCommandId(true), LockTupleExclusive,
							   LockWaitBlock,
							   IsolationUsesXactSnapshot() ? 0 :
							   TUPLE_LOCK_FLAG_FIND_LAST_VERSION,
							   &tmfd);
		switch (res)
		{
			case TM_Ok:
				break;
			case TM_SelfModified:
				/* changed by this very command: not there for it */
				result = 0;
				break;
			case TM_Updated:
				if (IsolationUsesXactSnapshot())
					ereport(ERROR,
							(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
							 errmsg("could not serialize access due to concurrent update")));
				elog(ERROR, "unexpected table_tuple_lock status: %u", res);
				break;
			case TM_Deleted:
				if (IsolationUsesXactSnapshot())
					ereport(ERROR,
							(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
							 errmsg("could not serialize access due to concurrent delete")));
				result = 0;
				break;
			default:
				elog(ERROR, "unexpected table_tuple_lock status: %u", res);
		}
	}
	else
		result = 0;

	if (result == 1)
	{
		bool		isnull;
		Datum		key_now = slot_getattr(slot, key_att, &isnull);

		/* the latest version must still be the account asked for */
		if (isnull || !DatumGetBool(DirectFunctionCall2Coll(texteq,
															idx->rd_indcollation[0],
															key_now, account_no)))
			result = 0;
		for (i = 0; result == 1 && i < (int) lengthof(account_columns); i++)
			values[i] = slot_getattr(slot,
									 SPI_fnumber(RelationGetDescr(rel),
												 account_columns[i]),
									 &nulls[i]);
		/* the text values outlive the slot */
		for (i = 0; result == 1 && i < (int) lengthof(account_columns); i++)
			if (!nulls[i] && !TupleDescAttr(RelationGetDescr(rel),
											SPI_fnumber(RelationGetDescr(rel),
														account_columns[i]) - 1)->attbyval)
				values[i] = PointerGetDatum(PG_DETOAST_DATUM_COPY(values[i]));
	}
	ExecDropSingleTupleTableSlot(slot);
	PopActiveSnapshot();
	index_close(idx, NoLock);
	table_close(rel, NoLock);
	return result;
}

/*
 * lock_account: locks the account row (the first lock of every booking)
 * and returns it; LD002 if it does not exist.  Its status is checked
 * later, by require_active(), once the request_id is claimed: a replay of
 * a request booked before the account was frozen or closed must still be
 * told it is a replay (LD006), so that the client's retry is safe.
 */
static void
lock_account(const char *operation, Datum account_no, LockedAccount *acc)
{
	char	   *account = TextDatumGetCString(account_no);
	Datum		values[lengthof(account_columns)];
	bool		nulls[lengthof(account_columns)];
	int			found = lock_account_direct(account_no, values, nulls);
	int			i;

	if (found < 0)
	{
		found = run(ST_LOCK, &account_no, NULL) > 0;
		for (i = 0; found && i < (int) lengthof(account_columns); i++)
			values[i] = column(i + 1, &nulls[i]);
	}
	if (!found)
		ereport(ERROR,
				(errcode(LD('0', '0', '2')),
				 errmsg("%s rejected: account \"%s\" does not exist",
						operation, account),
				 errdetail("No row of carbon_ledger.account has account_no \"%s\".",
						   account)));
	acc->status = TextDatumGetCString(values[0]);
	acc->opened_at = DatumGetTimestampTz(values[1]);
	acc->programme_id = TextDatumGetCString(values[2]);
	acc->balance = DatumGetInt64(values[3]);
	acc->closed_null = nulls[4];
	acc->closed_at = nulls[4] ? 0 : DatumGetTimestampTz(values[4]);
}

/*
 * require_active: LD003 if the locked account is frozen, LD004 if it is
 * closed.
 */
static void
require_active(const char *operation, const char *account,
			   const LockedAccount *acc)
{
	if (strcmp(acc->status, "frozen") == 0)
		ereport(ERROR,
				(errcode(LD('0', '0', '3')),
				 errmsg("%s rejected: account \"%s\" is frozen",
						operation, account),
				 errdetail("Account \"%s\" has status frozen; its balance is %s credits.",
						   account, credits_text(acc->balance)),
				 errhint("Unfreeze the account (status active) before booking on it.")));
	if (strcmp(acc->status, "active") != 0)
		ereport(ERROR,
				(errcode(LD('0', '0', '4')),
				 errmsg("%s rejected: account \"%s\" is closed",
						operation, account),
				 errdetail("Account \"%s\" was closed at %s.", account,
						   acc->closed_null ? "" : ts_text(acc->closed_at))));
}

/*
 * claim_request: claims the request_id (INSERT ... ON CONFLICT DO NOTHING
 * into carbon_ledger.request, which waits for a concurrent claim and, at
 * REPEATABLE READ or SERIALIZABLE, raises 40001 for an invisible
 * conflicting row); if it was seen before, refuse_request() raises LD006
 * (replay) or LD007 (reuse).  args are the claim's five arguments.
 */
static void
claim_request(LedgerStmt claim, const char *operation, const char *content,
			  Datum *args, const char *nulls)
{
	Oid			types[5];
	int			i;

	if (run(claim, args, nulls) > 0)
		return;
	for (i = 0; i < 5; i++)
		types[i] = SPI_getargtypeid(plan(claim), i);
	SPI_execute_with_args(psprintf("SELECT carbon_ledger.refuse_request($1, '%s', $2, %s)",
								   operation, content),
						  5, types, args, nulls, false, 0);
	elog(ERROR, "request_id of a %s could not be claimed", operation);
}

/* set_balance: writes the locked account's new balance */
static void
set_balance(Datum account_no, int64 balance)
{
	Datum		args[2] = {account_no, Int64GetDatum(balance)};

	run(ST_BALANCE, args, NULL);
}

/*
 * sweep_if_expired: writes off the lots of the locked account that have
 * expired by the time of booking (sweep_account(), whose write-offs lower
 * the balance); returns the thousandths written off.
 */
static int64
sweep_if_expired(Datum account_no)
{
	bool		isnull;

	if (run(ST_EXPIRED, &account_no, NULL) == 0)
		return 0;
	run(ST_SWEEP, &account_no, NULL);
	return DatumGetInt64(column(1, &isnull));
}

/*
 * activity_credits_numeric: the credits of an activity whose rate is not
 * exact in 64 bits, or whose credits are beyond range, computed with
 * numeric as the SQL trigger did; raises 22003 when out of range.  The
 * products are exact and div() truncates the exact quotient (trunc() of
 * "/" could round 0.999...9 up to 1 first); the thousandths are turned
 * into credits by an exact multiplication for the same reason.
 */
static void
activity_credits_numeric(Datum rate, int64 grams, int64 eligible,
						 int64 balance, const char *request,
						 const char *account, const char *reduction,
						 const char *rate_text, int64 *earned,
						 int64 *uncapped)
{
	Oid			types[4] = {NUMERICOID, INT8OID, INT8OID, INT8OID};
	Datum		args[4] = {rate, Int64GetDatum(grams), Int64GetDatum(eligible),
	Int64GetDatum(balance)};
	bool		isnull;

	if (SPI_execute_with_args(
							  "SELECT u > 9223372036854775807 OR e > 9223372036854775807 - $4, "
							  "pg_catalog.trim_scale(e * 0.001)::pg_catalog.text, "
							  "pg_catalog.trim_scale(u * 0.001)::pg_catalog.text, "
							  "CASE WHEN u <= 9223372036854775807 THEN u::pg_catalog.int8 END, "
							  "CASE WHEN e <= 9223372036854775807 THEN e::pg_catalog.int8 END "
							  "FROM (SELECT pg_catalog.div($1 * $2, 1000) AS u, "
							  "pg_catalog.div($1 * $3, 1000) AS e) n",
							  4, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not compute the credits of an activity");
	if (DatumGetBool(column(1, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("activity rejected: credits out of range"),
				 errdetail("Activity \"%s\" on account \"%s\": %s at %s credits per tonne earns %s credits (%s without the cap); the balance is %s; the most a balance or an activity can hold is 9223372036854775.807 credits.",
						   request, account, reduction, rate_text,
						   TextDatumGetCString(column(2, &isnull)),
						   TextDatumGetCString(column(3, &isnull)),
						   credits_text(balance))));
	*uncapped = DatumGetInt64(column(4, &isnull));
	*earned = DatumGetInt64(column(5, &isnull));
}

/*
 * kind_check: whether an activity kind is in normal form: not empty, no
 * space at either end or two in a row, no invisible or full-width
 * character (cl_kind_check), and lowercase in the given collation.  A
 * kind that a person would read as another must not escape that one's
 * daily cap.  With a request, a kind out of form raises LD031 naming the
 * request and account; without one (the check constraints) the result is
 * returned instead.
 */
static bool
kind_check(text *kind, Oid collation, const char *request,
		   const char *account)
{
	const char *bytes = VARDATA_ANY(kind);
	size_t		len = VARSIZE_ANY_EXHDR(kind);
	uint32		offending;
	ClKindProblem problem = cl_kind_check(bytes, len, &offending);
	text	   *lowered = NULL;
	char	   *kind_text;
	char	   *hint;

	if (problem == CL_KIND_OK)
	{
		lowered = DatumGetTextPP(DirectFunctionCall1Coll(lower, collation,
														 PointerGetDatum(kind)));
		if (VARSIZE_ANY_EXHDR(lowered) == len &&
			memcmp(VARDATA_ANY(lowered), bytes, len) == 0)
			return true;
	}
	if (request == NULL)
		return false;

	kind_text = text_to_cstring(kind);
	switch (problem)
	{
		case CL_KIND_OK:
			hint = psprintf("Use \"%s\".", text_to_cstring(lowered));
			break;
		case CL_KIND_EMPTY:
			hint = pstrdup("Give the activity a kind.");
			break;
		case CL_KIND_EDGE_SPACE:
		case CL_KIND_SPACE_RUN:
			{
				/* suggest the kind trimmed, single-spaced and lowercased */
				char	   *squeezed = palloc(len + 1);
				size_t		n = 0;
				text	   *suggestion;

				for (size_t i = 0; i < len; i++)
					if (bytes[i] != ' ' ||
						(n > 0 && squeezed[n - 1] != ' '))
						squeezed[n++] = bytes[i];
				while (n > 0 && squeezed[n - 1] == ' ')
					n--;
				suggestion = DatumGetTextPP(
					DirectFunctionCall1Coll(lower, collation,
											PointerGetDatum(cstring_to_text_with_len(squeezed, n))));
				if (n > 0 && kind_check(suggestion, collation, NULL, NULL))
					hint = psprintf("Use \"%s\".", text_to_cstring(suggestion));
				else
					hint = pstrdup("Give the activity a kind.");
			}
			break;
		case CL_KIND_INVISIBLE:
			hint = psprintf("Remove the invisible or space-like character U+%04X.",
							(unsigned) offending);
			break;
		case CL_KIND_FULLWIDTH:
			hint = psprintf("Write the full-width character U+%04X as its ASCII form.",
							(unsigned) offending);
			break;
		default:
			hint = pstrdup("Write the kind in UTF-8.");
			break;
	}
	ereport(ERROR,
			(errcode(LD('0', '3', '1')),
			 errmsg("activity rejected: kind \"%s\" is not in normal form",
					kind_text),
			 errdetail("Activity \"%s\" on account \"%s\" has kind \"%s\"; kinds are lowercase and not empty, without spaces at their ends or two in a row, and without invisible or full-width characters, so that the daily caps apply.",
					   request, account, kind_text),
			 errhint("%s", hint)));
	return false;				/* not reached */
}

/*
 * kind_is_normal(text): SQL face of kind_check for the check constraints
 * of activity and programme_activity_cap, in the column's collation.
 */
Datum
cl_kind_is_normal(PG_FUNCTION_ARGS)
{
	Oid			collation = PG_GET_COLLATION();

	PG_RETURN_BOOL(kind_check(PG_GETARG_TEXT_PP(0),
							  OidIsValid(collation) ? collation :
							  DEFAULT_COLLATION_OID,
							  NULL, NULL));
}

/*
 * activity_rules: the checks of an activity that need no table (LD011
 * reduction, LD031 kind, LD012 future); returns the grams.
 */
static int64
activity_rules(TriggerData *td, const char *request, const char *account,
			   Oid tco2e_type, TimestampTz occurred_at, Datum *kind)
{
	bool		isnull;
	Datum		reduction = new_value(td, "reduction", &isnull);
	int64		grams = DatumGetInt64(reduction);

	if (grams <= 0)
		ereport(ERROR,
				(errcode(LD('0', '1', '1')),
				 errmsg("activity rejected: reduction must be positive"),
				 errdetail("Activity \"%s\" on account \"%s\" reports a reduction of %s.",
						   request, account, text_of(reduction, tco2e_type))));

	*kind = new_value(td, "kind", &isnull);
	kind_check(DatumGetTextPP(*kind), DEFAULT_COLLATION_OID, request,
			   account);

	if (occurred_at > GetCurrentStatementStartTimestamp())
		ereport(ERROR,
				(errcode(LD('0', '1', '2')),
				 errmsg("activity rejected: it lies in the future"),
				 errdetail("Activity \"%s\" on account \"%s\" occurred at %s, after the current time %s.",
						   request, account, ts_text(occurred_at),
						   ts_text(GetCurrentStatementStartTimestamp()))));
	return grams;
}

/*
 * activity_book: books an activity: reduction positive, kind in normal
 * form, not in the future, account active, request_id new; credits at the
 * programme rate for the part of the reduction within the daily cap of
 * its kind (per account and local day of the programme's time zone, in
 * booking order), truncated to a thousandth; a credit lot expiring after
 * the programme's credit lifetime (written off at once if that has passed
 * already); the balance raised.  Sets credits, credits_uncapped and
 * booked_at of the new row.
 */
static HeapTuple
activity_book(TriggerData *td)
{
	TupleDesc	desc = td->tg_relation->rd_att;
	bool		isnull;
	Datum		account_no = new_value(td, "account_no", &isnull);
	Datum		request_id = new_value(td, "request_id", &isnull);
	char	   *account = TextDatumGetCString(account_no);
	char	   *request = TextDatumGetCString(request_id);
	TimestampTz occurred_at =
		DatumGetTimestampTz(new_value(td, "occurred_at", &isnull));
	Oid			tco2e_type = TupleDescAttr(desc, attnum(td, "reduction") - 1)->atttypid;
	Datum		kind;
	int64		grams;
	LockedAccount acc;
	Datum		args[6];
	char		nulls[6] = "      ";
	char	   *rate_text;
	Datum		rate;
	Datum		lifetime;
	Datum		tz;
	bool		capped;
	int64		cap;
	int64		used;
	int64		eligible;
	int64		earned;
	int64		uncapped;
	ClRate		r;
	ClLedgerStatus st;
	bool		expired = false;
	int			cols[3];
	Datum		values[3];
	bool		vnulls[3] = {false, false, false};

	grams = activity_rules(td, request, account, tco2e_type, occurred_at,
						   &kind);

	lock_account("activity", account_no, &acc);
	args[0] = request_id;
	args[1] = account_no;
	args[2] = kind;
	args[3] = Int64GetDatum(grams);
	args[4] = TimestampTzGetDatum(occurred_at);
	claim_request(ST_CLAIM_ACTIVITY, "activity", ACTIVITY_CONTENT, args, NULL);
	require_active("activity", account, &acc);
	if (occurred_at < acc.opened_at)
		ereport(ERROR,
				(errcode(LD('0', '2', '6')),
				 errmsg("activity rejected: it lies before the account was opened"),
				 errdetail("Activity \"%s\" occurred at %s; account \"%s\" opened at %s.",
						   request, ts_text(occurred_at), account,
						   ts_text(acc.opened_at))));

	args[0] = CStringGetTextDatum(acc.programme_id);
	args[1] = account_no;
	args[2] = kind;
	args[3] = TimestampTzGetDatum(occurred_at);
	if (run(ST_PROGRAMME, args, NULL) == 0)
		elog(ERROR, "programme \"%s\" of account \"%s\" not found",
			 acc.programme_id, account);
	rate_text = TextDatumGetCString(column(1, &isnull));
	lifetime = column(2, &isnull);
	tz = column(3, &isnull);
	cap = DatumGetInt64(column(4, &capped));
	capped = !capped;
	used = capped ? DatumGetInt64(column(5, &isnull)) : 0;
	rate = column(6, &isnull);

	eligible = cl_cap_eligible(grams, capped, cap, used);
	st = cl_rate_parse(rate_text, strlen(rate_text), &r);
	if (st == CL_LEDGER_OK)
		st = cl_activity_credits(&r, grams, eligible, acc.balance,
								 &earned, &uncapped);
	if (st != CL_LEDGER_OK)
		activity_credits_numeric(rate, grams, eligible, acc.balance, request,
								 account,
								 text_of(new_value(td, "reduction", &isnull),
										 tco2e_type),
								 rate_text, &earned, &uncapped);

	if (earned > 0)
	{
		/* expires_at: (occurred_at in the zone + lifetime) in the zone */
		TimestampTz expires = DatumGetTimestampTz(
			DirectFunctionCall2(timestamp_zone, tz,
								DirectFunctionCall2(timestamp_pl_interval,
													DirectFunctionCall2(timestamptz_zone, tz,
																		TimestampTzGetDatum(occurred_at)),
													lifetime)));
		ColumnValue lot[5] = {
			{"lot_id", INT8OID, new_value(td, "activity_id", &isnull)},
			{"account_no", TEXTOID, account_no},
			{"credits", plans_credit_type, Int64GetDatum(earned)},
			{"earned_at", TIMESTAMPTZOID, TimestampTzGetDatum(occurred_at)},
			{"expires_at", TIMESTAMPTZOID, TimestampTzGetDatum(expires)},
		};

		if (direct_insert(DT_LOT, lot, lengthof(lot)))
			expired = expires <= GetCurrentStatementStartTimestamp();
		else
		{
			args[0] = lot[0].value;
			args[1] = account_no;
			args[2] = Int64GetDatum(earned);
			args[3] = TimestampTzGetDatum(occurred_at);
			args[4] = lifetime;
			args[5] = tz;
			run(ST_LOT, args, nulls);
			expired = DatumGetBool(column(1, &isnull));
		}
		set_balance(account_no, acc.balance + earned);
		if (expired)
			/* reported after its credits expired: written off at once */
			run(ST_SWEEP, &account_no, NULL);
	}

	cols[0] = attnum(td, "credits");
	values[0] = Int64GetDatum(earned);
	cols[1] = attnum(td, "credits_uncapped");
	values[1] = Int64GetDatum(uncapped);
	cols[2] = attnum(td, "booked_at");
	values[2] = TimestampTzGetDatum(GetCurrentStatementStartTimestamp());
	return heap_modify_tuple_by_cols(td->tg_trigtuple, desc, 3, cols, values,
									 vnulls);
}

/*
 * account_lots: the lots of a locked account with what is left in each
 * (earned, less allocations, plus what reversals gave back, less
 * write-offs); *n is set to their number.
 */
static ClLot *
account_lots(Datum account_no, size_t *n)
{
	SPITupleTable *tt;
	uint64		rows;
	uint64		i;
	size_t		nlots = 0;
	ClLot	   *lots;
	bool		isnull;

	rows = run(ST_LOTS, &account_no, NULL);
	tt = SPI_tuptable;
	lots = palloc(sizeof(ClLot) * (rows + 1));
	for (i = 0; i < rows; i++)
	{
		HeapTuple	row = tt->vals[i];

		if (DatumGetInt32(SPI_getbinval(row, tt->tupdesc, 1, &isnull)) != 0)
			continue;
		lots[nlots].lot_id = DatumGetInt64(SPI_getbinval(row, tt->tupdesc, 2, &isnull));
		lots[nlots].remaining = DatumGetInt64(SPI_getbinval(row, tt->tupdesc, 3, &isnull));
		lots[nlots].expires_at = DatumGetTimestampTz(SPI_getbinval(row, tt->tupdesc, 4, &isnull));
		lots[nlots].earned_at = DatumGetTimestampTz(SPI_getbinval(row, tt->tupdesc, 5, &isnull));
		lots[nlots].take = 0;
		nlots++;
	}
	cl_lots_sort_by_id(lots, nlots);
	for (i = 0; i < rows; i++)
	{
		HeapTuple	row = tt->vals[i];
		ClLot	   *lot;

		if (DatumGetInt32(SPI_getbinval(row, tt->tupdesc, 1, &isnull)) == 0)
			continue;
		lot = cl_lots_find(lots, nlots,
						   DatumGetInt64(SPI_getbinval(row, tt->tupdesc, 2, &isnull)));
		/* rows of another account's lot cannot be; they would not count */
		if (lot != NULL)
			lot->remaining -= DatumGetInt64(SPI_getbinval(row, tt->tupdesc, 3, &isnull));
	}
	SPI_freetuptable(tt);
	*n = nlots;
	return lots;
}

/*
 * reversal_book: books a reversal: it names an earlier redemption of the
 * same account (LD008) with the same credits (LD009), not dated after it
 * (LD029), not reversed before (LD010); it gives back the same lots
 * (negative allocations) and raises the balance; lots expired by the time
 * of booking are written off at once.
 */
static void
reversal_book(TriggerData *td, Datum account_no, const char *account,
			  const char *request, int64 want, TimestampTz redeemed_at,
			  LockedAccount *acc)
{
	bool		isnull;
	Datum		reverses = new_value(td, "reverses", &isnull);
	int64		orig_id = DatumGetInt64(reverses);
	Datum		args[3] = {account_no, reverses};
	int64		orig_credits;
	TimestampTz orig_at;
	Datum		of;
	int64		balance;

	/*
	 * Looked up within the account only: a redemption of another account
	 * (which may live on another shard) is simply not found.
	 */
	if (run(ST_ORIGINAL, args, NULL) == 0)
		ereport(ERROR,
				(errcode(LD('0', '0', '8')),
				 errmsg("reversal rejected: it must name an earlier redemption of the same account"),
				 errdetail("Reversal \"%s\" names redemption " INT64_FORMAT ", which account \"%s\" does not have.",
						   request, orig_id, account)));
	of = column(2, &isnull);
	if (!isnull)
		ereport(ERROR,
				(errcode(LD('0', '0', '8')),
				 errmsg("reversal rejected: it must name an earlier redemption of the same account"),
				 errdetail("Reversal \"%s\" names " INT64_FORMAT ", itself a reversal of " INT64_FORMAT ".",
						   request, orig_id, DatumGetInt64(of))));
	orig_credits = DatumGetInt64(column(1, &isnull));
	orig_at = DatumGetTimestampTz(column(3, &isnull));
	if (orig_credits != want)
		ereport(ERROR,
				(errcode(LD('0', '0', '9')),
				 errmsg("reversal rejected: credits differ from the reversed redemption"),
				 errdetail("Reversal \"%s\" gives back %s credits; redemption " INT64_FORMAT " on account \"%s\" took %s.",
						   request, credits_text(want), orig_id, account,
						   credits_text(orig_credits))));
	if (redeemed_at < orig_at)
		ereport(ERROR,
				(errcode(LD('0', '2', '9')),
				 errmsg("reversal rejected: it is dated before the redemption it reverses"),
				 errdetail("Reversal \"%s\" on account \"%s\" is dated %s; redemption " INT64_FORMAT " was made at %s.",
						   request, account, ts_text(redeemed_at), orig_id,
						   ts_text(orig_at))));
	if (run(ST_REVERSED, args, NULL) > 0)
		ereport(ERROR,
				(errcode(LD('0', '1', '0')),
				 errmsg("reversal rejected: the redemption was already reversed"),
				 errdetail("Redemption " INT64_FORMAT " on account \"%s\" (%s credits) has already been reversed.",
						   orig_id, account, credits_text(orig_credits))));

	args[0] = new_value(td, "redemption_id", &isnull);
	args[1] = account_no;
	args[2] = reverses;
	run(ST_GIVE_BACK, args, NULL);
	if (pg_add_s64_overflow(acc->balance, want, &balance))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("reversal rejected: balance out of range"),
				 errdetail("Reversal \"%s\" gives back %s credits to account \"%s\", whose balance is %s.",
						   request, credits_text(want), account,
						   credits_text(acc->balance))));
	set_balance(account_no, balance);
	/* lots expired by the time of booking get nothing back to spend */
	sweep_if_expired(account_no);
}

/*
 * redemption_book: books a redemption or a reversal.  Credits positive,
 * not in the future, account active, request_id new.  A redemption first
 * writes off the account's lots expired by the time of booking (whatever
 * redeemed_at says), then takes its credits from the lots earned by
 * redeemed_at and not expired, the soonest to expire first, recording
 * each lot's share; more than that is LD005.  Sets booked_at of the new
 * row.
 */
static HeapTuple
redemption_book(TriggerData *td)
{
	TupleDesc	desc = td->tg_relation->rd_att;
	bool		isnull;
	bool		no_reverses;
	Datum		account_no = new_value(td, "account_no", &isnull);
	Datum		request_id = new_value(td, "request_id", &isnull);
	char	   *account = TextDatumGetCString(account_no);
	char	   *request = TextDatumGetCString(request_id);
	int64		want = DatumGetInt64(new_value(td, "credits", &isnull));
	TimestampTz redeemed_at =
		DatumGetTimestampTz(new_value(td, "redeemed_at", &isnull));
	Datum		reverses = new_value(td, "reverses", &no_reverses);
	LockedAccount acc;
	Datum		args[5];
	char		nulls[5] = "     ";
	int64		balance;
	int64		written_off = 0;
	int64		taken;
	ClLot	   *lots;
	size_t		nlots;
	size_t		i;
	TimestampTz now = GetCurrentStatementStartTimestamp();
	int			col = attnum(td, "booked_at");
	Datum		booked = TimestampTzGetDatum(GetCurrentStatementStartTimestamp());
	bool		bnull = false;

	if (want <= 0)
		ereport(ERROR,
				(errcode(LD('0', '0', '1')),
				 errmsg("redemption rejected: credits must be positive"),
				 errdetail("Redemption \"%s\" on account \"%s\" asks for %s credits.",
						   request, account, credits_text(want))));
	if (redeemed_at > GetCurrentStatementStartTimestamp())
		ereport(ERROR,
				(errcode(LD('0', '1', '2')),
				 errmsg("redemption rejected: it lies in the future"),
				 errdetail("Redemption \"%s\" on account \"%s\" is dated %s, after the current time %s.",
						   request, account, ts_text(redeemed_at),
						   ts_text(GetCurrentStatementStartTimestamp()))));

	lock_account("redemption", account_no, &acc);

	args[0] = request_id;
	args[1] = account_no;
	args[2] = Int64GetDatum(want);
	args[3] = new_value(td, "item", &isnull);
	args[4] = reverses;
	nulls[4] = no_reverses ? 'n' : ' ';
	claim_request(ST_CLAIM_REDEMPTION, "redemption", REDEMPTION_CONTENT, args,
				  nulls);
	require_active("redemption", account, &acc);

	if (!no_reverses)
	{
		reversal_book(td, account_no, account, request, want, redeemed_at,
					  &acc);
		return heap_modify_tuple_by_cols(td->tg_trigtuple, desc, 1, &col,
										 &booked, &bnull);
	}

	/*
	 * The account's lots and what is left in each.  Expiry is judged at
	 * the time of booking, not at redeemed_at: lots expired by now with
	 * credits left are written off first (sweep_account(), whose
	 * write-offs lower the balance), and a redemption dated before a lot
	 * expired but booked after cannot spend it (docs/ledger.md, "Backdated
	 * bookings").
	 */
	lots = account_lots(account_no, &nlots);
	balance = acc.balance;
	if (cl_lots_need_sweep(lots, nlots, now))
	{
		run(ST_SWEEP, &account_no, NULL);
		written_off = DatumGetInt64(column(1, &isnull));
		balance -= written_off;
	}

	/* lot by lot, soonest to expire first, until enough is found */
	taken = cl_lots_allocate(lots, nlots, now, redeemed_at, want);
	if (taken == want)
	{
		Datum		alloc[4];

		alloc[0] = new_value(td, "redemption_id", &isnull);
		alloc[2] = account_no;
		for (i = 0; i < nlots; i++)
		{
			ColumnValue share[4] = {
				{"redemption_id", INT8OID, alloc[0]},
				{"lot_id", INT8OID, Int64GetDatum(lots[i].lot_id)},
				{"account_no", TEXTOID, account_no},
				{"credits", plans_credit_type, Int64GetDatum(lots[i].take)},
			};

			if (lots[i].take == 0)
				continue;
			if (direct_insert(DT_ALLOCATION, share, lengthof(share)))
				continue;
			alloc[1] = share[1].value;
			alloc[3] = share[3].value;
			run(ST_ALLOCATE, alloc, NULL);
		}
	}

	/*
	 * LD005 says why the credits do not suffice: for a backdated
	 * redemption, the balance would do but less was earned by redeemed_at;
	 * or credits that expired just now would have done; or the balance is
	 * simply short.
	 */
	if (taken < want && want <= balance)
		ereport(ERROR,
				(errcode(LD('0', '0', '5')),
				 errmsg("redemption rejected: credits exceed the available balance"),
				 errdetail("Redemption \"%s\" on account \"%s\" asks for %s credits; of its balance of %s, %s were earned by %s, the date it carries.",
						   request, account, credits_text(want),
						   credits_text(balance), credits_text(taken),
						   ts_text(redeemed_at)),
				 errhint("A redemption spends only credits earned by its redeemed_at.")));
	if (taken < want && written_off > 0 && want <= balance + written_off)
		ereport(ERROR,
				(errcode(LD('0', '0', '5')),
				 errmsg("redemption rejected: credits exceed the available balance"),
				 errdetail("Redemption \"%s\" on account \"%s\" asks for %s credits; the balance is %s after %s expired credits were written off.",
						   request, account, credits_text(want),
						   credits_text(balance), credits_text(written_off)),
				 errhint("Expired credits cannot be redeemed: a credit that has expired by the time of booking is not available, whatever redeemed_at says.")));
	if (taken < want && written_off > 0)
		ereport(ERROR,
				(errcode(LD('0', '0', '5')),
				 errmsg("redemption rejected: credits exceed the available balance"),
				 errdetail("Redemption \"%s\" on account \"%s\" asks for %s credits; the balance is %s (%s more expired just now).",
						   request, account, credits_text(want),
						   credits_text(balance), credits_text(written_off))));
	if (taken < want)
		ereport(ERROR,
				(errcode(LD('0', '0', '5')),
				 errmsg("redemption rejected: credits exceed the available balance"),
				 errdetail("Redemption \"%s\" on account \"%s\" asks for %s credits; the balance is %s.",
						   request, account, credits_text(want),
						   credits_text(balance))));
	set_balance(account_no, balance - want);
	return heap_modify_tuple_by_cols(td->tg_trigtuple, desc, 1, &col,
									 &booked, &bnull);
}

/*
 * require_values: raises the executor's not-null error (23502) for the
 * first of the named columns that the new row leaves NULL.  The NOT NULL
 * constraints are checked only after BEFORE triggers, and the booking
 * reads these columns first; the columns the booking fills in itself
 * (credits of an activity, booked_at) are not named.
 */
static void
require_values(TriggerData *td, const char *const *names)
{
	Relation	rel = td->tg_relation;

	for (; *names != NULL; names++)
	{
		int			n = attnum(td, *names);

		if (heap_attisnull(td->tg_trigtuple, n, rel->rd_att))
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("null value in column \"%s\" of relation \"%s\" violates not-null constraint",
							*names, RelationGetRelationName(rel)),
					 errdetail("A row of %s.%s needs a value in column \"%s\".",
							   get_namespace_name(RelationGetNamespace(rel)),
							   RelationGetRelationName(rel), *names),
					 errtablecol(rel, n)));
	}
}

/*
 * fresh_identity: gives the new row a value of its identity column drawn
 * from the column's own sequence, whatever the INSERT supplied.  With
 * OVERRIDING SYSTEM VALUE a client can name an id that exists already;
 * with ON CONFLICT DO NOTHING the executor would then drop the row after
 * this trigger booked its credits, lot and balance.  A fresh id cannot
 * conflict, so a booked row is always inserted (or the statement fails).
 * The value the executor drew first is a gap in the sequence, as any
 * identity has.
 */
static void
fresh_identity(TriggerData *td, const char *column)
{
	static Oid	cached_rel[2];
	static Oid	cached_seq[2];
	Oid			rel = RelationGetRelid(td->tg_relation);
	int			col = attnum(td, column);
	int			slot = strcmp(column, "activity_id") == 0 ? 0 : 1;
	Datum		id;
	bool		isnull = false;

	if (cached_rel[slot] != rel)
	{
		cached_seq[slot] = getIdentitySequence(rel, col, false);
		cached_rel[slot] = rel;
	}
	id = Int64GetDatum(nextval_internal(cached_seq[slot], false));
	td->tg_trigtuple = heap_modify_tuple_by_cols(td->tg_trigtuple,
												 td->tg_relation->rd_att,
												 1, &col, &id, &isnull);
}

/*
 * book: runs a booking trigger as the function's owner with the booking
 * flag set, through SPI, once the columns it needs are known not to be
 * NULL and the row has a fresh id; returns the row to insert (the new
 * row as booked, or as it came when rows are being restored from a
 * dump).
 */
static Datum
book(FunctionCallInfo fcinfo, const char *name, const char *id_column,
	 const char *const *required, HeapTuple (*booking) (TriggerData *))
{
	TriggerData *td = insert_trigger(fcinfo, name);
	Oid			owner;
	BookingScope scope;
	volatile HeapTuple booked = NULL;
	HeapTuple	result;

	if (cl_restoring())
		return PointerGetDatum(td->tg_trigtuple);
	require_values(td, required);

	owner = function_owner(fcinfo);
	/* not restoring: restored rows returned above */
	booking_enter(&scope, owner, false);
	PG_TRY();
	{
		/* as the owner: the identity sequence is not granted to bookers */
		fresh_identity(td, id_column);
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		check_plans(TupleDescAttr(td->tg_relation->rd_att,
								  attnum(td, "credits") - 1)->atttypid);
		booked = booking(td);
		/* the row goes back to the executor, out of SPI's memory */
		result = SPI_copytuple(booked);
		if (SPI_finish() != SPI_OK_FINISH)
			elog(ERROR, "SPI_finish failed");
		booked = result;
	}
	PG_FINALLY();
	{
		booking_leave(&scope);
	}
	PG_END_TRY();
	return PointerGetDatum(booked);
}

/* activity_book trigger of carbon_ledger.activity */
Datum
cl_activity_book(PG_FUNCTION_ARGS)
{
	static const char *const required[] = {
		"account_no", "kind", "reduction", "occurred_at", "request_id", NULL
	};

	return book(fcinfo, "activity_book", "activity_id", required,
				activity_book);
}

/* redemption_book trigger of carbon_ledger.redemption */
Datum
cl_redemption_book(PG_FUNCTION_ARGS)
{
	static const char *const required[] = {
		"account_no", "credits", "item", "request_id", "redeemed_at", NULL
	};

	return book(fcinfo, "redemption_book", "redemption_id", required,
				redemption_book);
}

/*
 * The trigger function of the schema carbon_ledger that a wrapper trigger
 * (booking_trigger, rule_trigger) names by its one argument, looked up
 * once per trigger call site.
 */
static FmgrInfo *
wrapped_trigger(FunctionCallInfo fcinfo, const char *wrapper)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	FmgrInfo   *inner;

	if (!CALLED_AS_TRIGGER(fcinfo) || td->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be a trigger naming one function", wrapper)));
	inner = (FmgrInfo *) fcinfo->flinfo->fn_extra;
	if (inner == NULL)
	{
		List	   *name = list_make2(makeString("carbon_ledger"),
									  makeString(td->tg_trigger->tgargs[0]));
		Oid			fn = LookupFuncName(name, 0, NULL, false);

		inner = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
									   sizeof(FmgrInfo));
		fmgr_info_cxt(fn, inner, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = inner;
	}
	return inner;
}

/*
 * booking_trigger: runs the trigger function of the schema carbon_ledger
 * named by the trigger's argument with the booking flag set, as the
 * function itself says (it is SECURITY DEFINER where it must be).  For
 * the repayment rules, which raise green_loan.repaid under the loan's
 * lock.  Not executable by PUBLIC, so nobody can attach it to a table of
 * their own.
 */
Datum
cl_booking_trigger(PG_FUNCTION_ARGS)
{
	FmgrInfo   *inner = wrapped_trigger(fcinfo, "booking_trigger");
	LOCAL_FCINFO(call, 0);
	BookingScope scope;
	volatile Datum result = (Datum) 0;

	/* as the role that fired the trigger: restored repayments come as-is */
	booking_enter(&scope, InvalidOid, cl_restoring());
	PG_TRY();
	{
		InitFunctionCallInfoData(*call, inner, 0, InvalidOid,
								 fcinfo->context, NULL);
		result = FunctionCallInvoke(call);
	}
	PG_FINALLY();
	{
		booking_leave(&scope);
	}
	PG_END_TRY();
	return result;
}

/*
 * rule_trigger: runs the trigger function of the schema carbon_ledger
 * named by the trigger's argument, a SECURITY DEFINER rule, having first
 * decided, as the role that fired the trigger, whether rows are being
 * restored (cl_restoring): inside the function the current role is the
 * extension's owner, which would answer for everyone.  Not executable by
 * PUBLIC, so nobody can attach it to a table of their own.
 */
Datum
cl_rule_trigger(PG_FUNCTION_ARGS)
{
	FmgrInfo   *inner = wrapped_trigger(fcinfo, "rule_trigger");
	LOCAL_FCINFO(call, 0);
	int			save = restoring_decided;
	volatile Datum result = (Datum) 0;

	restoring_decided = cl_restoring() ? 1 : 0;
	PG_TRY();
	{
		InitFunctionCallInfoData(*call, inner, 0, InvalidOid,
								 fcinfo->context, NULL);
		result = FunctionCallInvoke(call);
	}
	PG_FINALLY();
	{
		restoring_decided = save;
	}
	PG_END_TRY();
	return result;
}

/*
 * expire_credits(as_of): runs carbon_ledger.expire_credits_run(as_of),
 * which writes off the credits expired by as_of on every account, with the
 * booking flag set, and returns its rows.  SECURITY DEFINER in SQL, with
 * EXECUTE granted to the roles that sweep.
 */
Datum
cl_expire_credits(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	BookingScope scope;
	Oid			type = TIMESTAMPTZOID;
	Datum		as_of = PG_GETARG_DATUM(0);

	InitMaterializedSRF(fcinfo, 0);

	/*
	 * A sweep books write-offs and lowers balances: never a restore, which
	 * brings write-offs and balances as they were (and, SECURITY DEFINER,
	 * it runs as the owner, who would answer for whoever called it).
	 */
	booking_enter(&scope, InvalidOid, false);
	PG_TRY();
	{
		uint64		i;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute_with_args("SELECT e.account_no, e.written_off "
								  "FROM carbon_ledger.expire_credits_run($1) e",
								  1, &type, &as_of, NULL, false, 0)
			!= SPI_OK_SELECT)
			elog(ERROR, "expire_credits_run failed");
		for (i = 0; i < SPI_processed; i++)
		{
			Datum		values[2];
			bool		nulls[2];

			values[0] = SPI_getbinval(SPI_tuptable->vals[i],
									  SPI_tuptable->tupdesc, 1, &nulls[0]);
			values[1] = SPI_getbinval(SPI_tuptable->vals[i],
									  SPI_tuptable->tupdesc, 2, &nulls[1]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values,
								 nulls);
		}
		if (SPI_finish() != SPI_OK_FINISH)
			elog(ERROR, "SPI_finish failed");
	}
	PG_FINALLY();
	{
		booking_leave(&scope);
	}
	PG_END_TRY();
	return (Datum) 0;
}
