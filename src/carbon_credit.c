/*-------------------------------------------------------------------------
 *
 * carbon_credit.c
 *	  SQL-callable functions of the carbon_credit type (a quantity of
 *	  carbon credits, held as an int64 count of thousandths).
 *
 * The generic functions come from FP_TYPE_FUNCTIONS (fixedpoint_type.h);
 * this file adds the assignment casts from integer and bigint.
 *
 * src/carbon_credit.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "fixedpoint_type.h"

FP_TYPE_FUNCTIONS(carbon_credit, &fp_credit_kind)

PG_FUNCTION_INFO_V1(carbon_credit_from_int8);
PG_FUNCTION_INFO_V1(carbon_credit_from_int4);

/* A whole number of credits as thousandths, or the out of range error */
static int64
credits_to_thousandths(int64 credits)
{
	int64		result = 0;

	return fp_check(&fp_credit_kind,
					fp_scale_up(credits, fp_credit_kind.scale, &result),
					&result);
}

/* Cast from bigint: a whole number of credits */
Datum
carbon_credit_from_int8(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(credits_to_thousandths(PG_GETARG_INT64(0)));
}

/* Cast from integer: a whole number of credits */
Datum
carbon_credit_from_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(credits_to_thousandths(PG_GETARG_INT32(0)));
}
