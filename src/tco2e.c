/*-------------------------------------------------------------------------
 *
 * tco2e.c
 *	  SQL-callable functions of the tco2e type (a mass of CO2-equivalent,
 *	  held as an int64 count of grams).
 *
 * The generic functions come from FP_TYPE_FUNCTIONS (fixedpoint_type.h);
 * this file adds those only tco2e has: grams and unit conversions.
 *
 * src/tco2e.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "fixedpoint_type.h"

FP_TYPE_FUNCTIONS(tco2e, &fp_tco2e_kind)

PG_FUNCTION_INFO_V1(tco2e_in_unit);

/*
 * tco2e_in_unit(tco2e, unit text): the exact mass expressed in any unit
 * that text input accepts, as numeric with the fewest digits.
 */
Datum
tco2e_in_unit(PG_FUNCTION_ARGS)
{
	int64		grams = PG_GETARG_INT64(0);
	text	   *unit = PG_GETARG_TEXT_PP(1);
	char	   *ustr = text_to_cstring(unit);
	const char *utf8 = fp_to_utf8(ustr);
	FpParseError err;
	FpStatus	status;
	int			exp10 = 0;

	status = fp_unit_exp10(&fp_tco2e_kind, utf8, strlen(utf8), &exp10, &err);
	if (status == FP_WRONG_CASE_UNIT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit \"%s\" is not recognised", ustr),
				 errdetail("Units are case-sensitive."),
				 errhint("Did you mean \"%s%s\"?  Accepted units are %s.",
						 err.match->name, err.suffix, fp_tco2e_kind.unit_list)));
	else if (status == FP_AMBIGUOUS_UNIT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit \"%s\" is not accepted", ustr),
				 errdetail("%s", err.match->rejected),
				 errhint("Accepted units are %s.", fp_tco2e_kind.unit_list)));
	else if (status != FP_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit \"%s\" is not recognised", ustr),
				 errhint("Accepted units are %s.", fp_tco2e_kind.unit_list)));

	PG_RETURN_NUMERIC(fp_scaled_numeric(grams, exp10));
}
