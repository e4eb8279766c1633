/*-------------------------------------------------------------------------
 *
 * audit_worker.c
 *	  The background sealer: links committed audit records into the chain
 *	  every carbon_ledger.seal_interval, without anyone calling audit_seal().
 *
 * When carbon_ledger is in shared_preload_libraries, a launcher worker
 * (connected to no database) wakes every seal_interval, lists the databases
 * named by carbon_ledger.seal_databases ('*': every database that accepts
 * connections), and starts one short-lived worker per database in turn; that
 * worker calls carbon_ledger.audit_seal() if the extension is installed
 * there, and exits.  Without preloading, schedule audit_seal() with cron or
 * pg_cron instead (docs/audit.md, "Routine sealing").
 *
 * src/audit_worker.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/varlena.h"

#include "audit.h"

PGDLLEXPORT void cl_audit_launcher_main(Datum arg);
PGDLLEXPORT void cl_audit_sealer_main(Datum arg);

static int	seal_interval = 10;
static char *seal_databases = NULL;

/*
 * Register the settings and, when preloading, the launcher.  Called from
 * _PG_init.
 */
void
cl_audit_worker_init(void)
{
	BackgroundWorker worker;

	DefineCustomIntVariable("carbon_ledger.seal_interval",
							"Seconds between two runs of the background audit sealer.",
							"0 turns the background sealer off.",
							&seal_interval, 10, 0, 86400,
							PGC_SIGHUP, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomStringVariable("carbon_ledger.seal_databases",
							   "Databases whose audit trail the background sealer seals.",
							   "A comma-separated list of database names, or * for every database that accepts connections.",
							   &seal_databases, "*",
							   PGC_SIGHUP, GUC_LIST_INPUT, NULL, NULL, NULL);
	MarkGUCPrefixReserved("carbon_ledger");

	if (!process_shared_preload_libraries_in_progress)
		return;
	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS |
		BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 10;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "carbon_ledger");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "cl_audit_launcher_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "carbon_ledger audit sealer launcher");
	snprintf(worker.bgw_type, BGW_MAXLEN, "carbon_ledger audit sealer");
	RegisterBackgroundWorker(&worker);
}

/* Whether a database is named by carbon_ledger.seal_databases. */
static bool
database_wanted(const char *datname)
{
	char	   *raw;
	List	   *names;
	ListCell   *lc;
	bool		res = false;

	raw = pstrdup(seal_databases ? seal_databases : "");
	if (!SplitIdentifierString(raw, ',', &names))
		return false;
	foreach(lc, names)
	{
		const char *n = lfirst(lc);

		if (strcmp(n, "*") == 0 || strcmp(n, datname) == 0)
			res = true;
	}
	return res;
}

/* OIDs of the databases to seal now. */
static List *
databases_to_seal(void)
{
	List	   *res = NIL;
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;
	MemoryContext outer = CurrentMemoryContext;

	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	rel = table_open(DatabaseRelationId, AccessShareLock);
	scan = table_beginscan_catalog(rel, 0, NULL);
	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		Form_pg_database db = (Form_pg_database) GETSTRUCT(tup);

		if (!db->datallowconn || db->datistemplate ||
			!database_wanted(NameStr(db->datname)))
			continue;
		{
			MemoryContext old = MemoryContextSwitchTo(outer);

			res = lappend_oid(res, db->oid);
			MemoryContextSwitchTo(old);
		}
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	PopActiveSnapshot();
	CommitTransactionCommand();
	return res;
}

/* Start the sealer for one database and wait for it to finish. */
static void
seal_database(Oid dboid)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	pid_t		pid;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS |
		BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "carbon_ledger");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "cl_audit_sealer_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "carbon_ledger audit sealer %u", dboid);
	snprintf(worker.bgw_type, BGW_MAXLEN, "carbon_ledger audit sealer");
	worker.bgw_main_arg = ObjectIdGetDatum(dboid);
	worker.bgw_notify_pid = MyProcPid;
	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
		return;					/* no free slot: try again next round */
	if (WaitForBackgroundWorkerStartup(handle, &pid) != BGWH_STARTED)
		return;
	WaitForBackgroundWorkerShutdown(handle);
}

/* The launcher's main loop. */
void
cl_audit_launcher_main(Datum arg)
{
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);

	for (;;)
	{
		int			wait_s = seal_interval > 0 ? seal_interval : 3600;
		List	   *dbs;
		ListCell   *lc;

		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 wait_s * 1000L, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		if (seal_interval <= 0)
			continue;
		dbs = databases_to_seal();
		foreach(lc, dbs)
		{
			CHECK_FOR_INTERRUPTS();
			seal_database(lfirst_oid(lc));
		}
		list_free(dbs);
	}
}

/*
 * A per-database sealer: seal once if the extension is installed.
 *
 * The sealer waits for a lock at most 500 ms, less than the default
 * deadlock_timeout: a session that takes the trail's tables in another
 * order (DROP EXTENSION, a DBA's LOCK TABLE) would otherwise deadlock with
 * it and could be the one cancelled.  The round is given up (an error in
 * the server log) and the next one seals.
 */
void
cl_audit_sealer_main(Datum arg)
{
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(DatumGetObjectId(arg),
											  InvalidOid, 0);
	SetConfigOption("lock_timeout", "500", PGC_SUSET, PGC_S_OVERRIDE);
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "carbon_ledger.audit_seal()");
	if (OidIsValid(get_extension_oid("carbon_ledger", true)))
	{
		SPI_connect();
		if (SPI_execute("SELECT carbon_ledger.audit_seal()", false, 0)
			!= SPI_OK_SELECT)
			elog(ERROR, "carbon_ledger.audit_seal() failed");
		SPI_finish();
	}
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	proc_exit(0);
}
