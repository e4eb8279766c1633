/*-------------------------------------------------------------------------
 *
 * fixedpoint_type.c
 *	  Shared glue of the tco2e and carbon_credit types: text and binary
 *	  input and output, numeric and double precision arithmetic, casts,
 *	  and the errors they raise.
 *
 * The exact work is done by src/core/fixedpoint.c; this file turns its
 * status codes into ereport calls and does the numeric-argument arithmetic
 * with the server's numeric type, so that it stays exact.
 *
 * src/fixedpoint_type.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "fixedpoint_type.h"

/*
 * Raise the error of a failed arithmetic step or conversion.
 */
void
fp_raise(const FpKind *kind, FpStatus status)
{
	if (status == FP_DIVISION_BY_ZERO)
		ereport(ERROR,
				(errcode(ERRCODE_DIVISION_BY_ZERO),
				 errmsg("division by zero")));
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s out of range", kind->typname)));
}

/*
 * Raise the error of a failed text input, naming the input.
 */
static void
fp_raise_parse(const FpKind *kind, FpStatus status, const char *str,
			   const FpParseError *err)
{
	switch (status)
	{
		case FP_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value \"%s\" is out of range for type %s",
							str, kind->typname)));
			break;
		case FP_TOO_FINE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("%s value \"%s\" is finer than %s",
							kind->typname, str, kind->finest),
					 errdetail("Text input is never rounded."),
					 errhint("Round the value explicitly, or cast a numeric value, which rounds half away from zero.")));
			break;
		case FP_NOT_FINITE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							kind->typname, str),
					 errdetail("Type %s cannot hold NaN or infinity.",
							   kind->typname)));
			break;
		case FP_UNKNOWN_UNIT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							kind->typname, str),
					 errdetail("Unit \"%.*s\" is not recognised.",
							   (int) err->unit_len, err->unit),
					 errhint("Accepted units are %s.", kind->unit_list)));
			break;
		case FP_AMBIGUOUS_UNIT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							kind->typname, str),
					 errdetail("Unit \"%.*s\" is not accepted: %s",
							   (int) err->unit_len, err->unit,
							   err->match->rejected),
					 errhint("Accepted units are %s.", kind->unit_list)));
			break;
		case FP_WRONG_CASE_UNIT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							kind->typname, str),
					 errdetail("Unit \"%.*s\" is not recognised: units are case-sensitive.",
							   (int) err->unit_len, err->unit),
					 errhint("Did you mean \"%s\"?  Accepted units are %s.",
							 err->match->name, kind->unit_list)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							kind->typname, str),
					 errdetail("Expected an optional sign, a number and an optional unit.")));
	}
}

/*
 * The text as UTF-8, which the unit table is written in: converted from
 * the database encoding when that is neither UTF-8 nor SQL_ASCII.
 */
const char *
fp_to_utf8(const char *str)
{
	if (GetDatabaseEncoding() != PG_UTF8 &&
		GetDatabaseEncoding() != PG_SQL_ASCII)
		return pg_server_to_any(str, strlen(str), PG_UTF8);
	return str;
}

/*
 * Text input.  Units are matched as UTF-8; in a database with another
 * encoding the input is converted first, so that the Chinese units work
 * whatever the server encoding.
 */
int64
fp_text_in(const FpKind *kind, const char *str)
{
	const char *utf8 = fp_to_utf8(str);
	int64		result = 0;
	FpParseError err;
	FpStatus	status;

	status = fp_parse(kind, utf8, strlen(utf8), &result, &err);
	if (status != FP_OK)
		fp_raise_parse(kind, status, str, &err);
	return result;
}

/* Text output: the exact value with the fewest digits, never an exponent */
char *
fp_text_out(const FpKind *kind, int64 value)
{
	char	   *buf = palloc(FP_FORMAT_MAX);

	fp_format(kind, value, buf);
	return buf;
}

/*
 * Binary input: exactly 8 bytes, a big-endian int64.  Every int64 is a
 * value that text input also accepts.
 */
int64
fp_binary_recv(const FpKind *kind, StringInfo buf)
{
	int			remaining = buf->len - buf->cursor;

	if (remaining != 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary representation of type %s",
						kind->typname),
				 errdetail("A %s value is 8 bytes, but %d bytes were received.",
						   kind->typname, remaining)));
	return pq_getmsgint64(buf);
}

/* Compare a numeric with zero: -1, 0 or 1 */
static int
fp_numeric_sign(Numeric num)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp,
											 NumericGetDatum(num),
											 NumericGetDatum(int64_to_numeric(0))));
}

/* Reject a NaN or infinite numeric argument */
static void
fp_check_finite(const FpKind *kind, Numeric num)
{
	if (numeric_is_nan(num))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot use NaN in %s arithmetic", kind->typname)));
	if (numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot use infinity in %s arithmetic",
						kind->typname)));
}

/*
 * Convert an integral numeric to an int64 count, raising the type's out of
 * range error rather than bigint's.
 */
static int64
fp_integral_numeric_to_int64(const FpKind *kind, Numeric num)
{
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
										  NumericGetDatum(int64_to_numeric(PG_INT64_MIN)))) < 0 ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
										  NumericGetDatum(int64_to_numeric(PG_INT64_MAX)))) > 0)
		fp_raise(kind, FP_OUT_OF_RANGE);
	return DatumGetInt64(DirectFunctionCall1(numeric_int8,
											 NumericGetDatum(num)));
}

/* Round a numeric half away from zero to an int64 count */
static int64
fp_round_numeric(const FpKind *kind, Numeric num)
{
	Datum		rounded = DirectFunctionCall2(numeric_round,
											  NumericGetDatum(num),
											  Int32GetDatum(0));

	return fp_integral_numeric_to_int64(kind, DatumGetNumeric(rounded));
}

/*
 * value * factor, computed exactly and rounded half away from zero to the
 * unit of account.
 */
int64
fp_mul_numeric(const FpKind *kind, int64 value, Numeric factor)
{
	Datum		product;

	fp_check_finite(kind, factor);
	product = DirectFunctionCall2(numeric_mul,
								  NumericGetDatum(int64_to_numeric(value)),
								  NumericGetDatum(factor));
	return fp_round_numeric(kind, DatumGetNumeric(product));
}

/*
 * value / divisor rounded half away from zero to the unit of account.  The
 * truncated quotient and its remainder are exact, so the rounding is too
 * (no intermediate rounding at numeric_div's display scale).
 */
int64
fp_div_numeric(const FpKind *kind, int64 value, Numeric divisor)
{
	Numeric		dividend = int64_to_numeric(value);
	Numeric		quotient;
	Numeric		remainder;
	Datum		twice_abs_rem;
	Datum		abs_div;
	int			dsign;

	fp_check_finite(kind, divisor);
	dsign = fp_numeric_sign(divisor);
	if (dsign == 0)
		fp_raise(kind, FP_DIVISION_BY_ZERO);

	quotient = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc,
												   NumericGetDatum(dividend),
												   NumericGetDatum(divisor)));
	remainder = DatumGetNumeric(DirectFunctionCall2(numeric_sub,
													NumericGetDatum(dividend),
													DirectFunctionCall2(numeric_mul,
																		NumericGetDatum(quotient),
																		NumericGetDatum(divisor))));
	twice_abs_rem = DirectFunctionCall2(numeric_mul,
										DirectFunctionCall1(numeric_abs,
															NumericGetDatum(remainder)),
										NumericGetDatum(int64_to_numeric(2)));
	abs_div = DirectFunctionCall1(numeric_abs, NumericGetDatum(divisor));

	if (fp_numeric_sign(remainder) != 0 &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, twice_abs_rem,
										  abs_div)) >= 0)
	{
		int			step = ((value < 0) != (dsign < 0)) ? -1 : 1;

		quotient = DatumGetNumeric(DirectFunctionCall2(numeric_add,
													   NumericGetDatum(quotient),
													   NumericGetDatum(int64_to_numeric(step))));
	}
	return fp_integral_numeric_to_int64(kind, quotient);
}

/*
 * A double precision factor or divisor, as numeric.  The conversion is
 * PostgreSQL's own float8-to-numeric cast (15 significant digits), so that
 * 0.1 means one tenth; NaN, infinity and a zero divisor are rejected.
 */
Numeric
fp_float8_to_numeric(const FpKind *kind, float8 f, bool is_divisor)
{
	if (isnan(f))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot use NaN in %s arithmetic", kind->typname)));
	if (isinf(f))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot use infinity in %s arithmetic",
						kind->typname)));
	if (is_divisor && f == 0.0)
		fp_raise(kind, FP_DIVISION_BY_ZERO);
	return DatumGetNumeric(DirectFunctionCall1(float8_numeric,
											   Float8GetDatum(f)));
}

/* The exact value in the output unit (tonnes, credits) as numeric */
Numeric
fp_to_numeric(const FpKind *kind, int64 value)
{
	return int64_div_fast_to_numeric(value, kind->scale);
}

/*
 * A numeric in the output unit (tonnes, credits), rounded half away from
 * zero to the unit of account.
 */
int64
fp_from_numeric(const FpKind *kind, Numeric num)
{
	int64		scale = 1;

	if (numeric_is_nan(num))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot convert NaN to %s", kind->typname)));
	if (numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot convert infinity to %s", kind->typname)));
	for (int i = 0; i < kind->scale; i++)
		scale *= 10;
	return fp_mul_numeric(kind, scale, num);
}
