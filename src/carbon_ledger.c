/*-------------------------------------------------------------------------
 *
 * carbon_ledger.c
 *	  Module entry point of the carbon_ledger extension.
 *
 * The types live in tco2e.c and carbon_credit.c, the validators in
 * validators.c, the ledger rules in ledger.c and the audit trail in audit*.c;
 * this file only marks the library as a PostgreSQL module.
 *
 * src/carbon_ledger.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
