/*-------------------------------------------------------------------------
 *
 * cl_port.h
 *	  Common base of carbon_ledger's server-independent code (src/core).
 *
 * The files in src/core hold the pure logic (parsing, formatting, exact
 * arithmetic, check digits, hashing, serialisation).  They are compiled both
 * into the extension and, with CARBON_LEDGER_STANDALONE defined, into unit
 * tests and fuzzers that run without a server.  They therefore never call
 * palloc, elog or any other backend function: they report failures through
 * return codes, and the fmgr glue in src/ turns those into ereport calls.
 *
 * src/core/cl_port.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CL_PORT_H
#define CL_PORT_H

#ifdef CARBON_LEDGER_STANDALONE
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include "common/int.h"

#endif							/* CL_PORT_H */
