/*-------------------------------------------------------------------------
 *
 * validators.c
 *	  SQL-callable validators: uscc_is_valid, cn_resident_id_is_valid and
 *	  luhn_is_valid.  The check-digit logic is in src/core/cl_validators.c;
 *	  this file only hands it the bytes of a text argument.
 *
 * The functions are STRICT, IMMUTABLE and PARALLEL SAFE, and return false
 * (never an error) for malformed text.  The region validators read the
 * table carbon_ledger.region and are written in SQL (sql/parts/21_*.sql).
 *
 * src/validators.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "cl_validators.h"

PG_FUNCTION_INFO_V1(uscc_is_valid);
PG_FUNCTION_INFO_V1(cn_resident_id_is_valid);
PG_FUNCTION_INFO_V1(luhn_is_valid);

/*
 * uscc_is_valid
 *		Whether the text is a Unified Social Credit Code (GB 32100-2015).
 */
Datum
uscc_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(cl_uscc_is_valid(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

/*
 * cn_resident_id_is_valid
 *		Whether the text is an 18-character resident identity number
 *		(GB 11643) with a real birth date and a correct check character.
 */
Datum
cn_resident_id_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(cl_resident_id_is_valid(VARDATA_ANY(t),
										   VARSIZE_ANY_EXHDR(t)));
}

/*
 * luhn_is_valid
 *		Whether the text is a bank card number of 8 to 19 digits passing
 *		the Luhn check.
 */
Datum
luhn_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(cl_luhn_is_valid(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}
