/*-------------------------------------------------------------------------
 *
 * carbon_ledger.c
 *	  Module entry point of the carbon_ledger extension.
 *
 * The types live in tco2e.c and carbon_credit.c, the validators in
 * validators.c, the ledger rules in ledger.c and the audit trail in audit*.c;
 * this file marks the library as a PostgreSQL module and initialises it.
 *
 * src/carbon_ledger.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#include "audit.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * Library load: register the audit trail's settings and, when the library
 * is preloaded, its background sealer.
 */
void
_PG_init(void)
{
	cl_audit_worker_init();
}
