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
		case FP_TOO_MANY_DECIMALS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("%s value \"%s\" has more than %d decimals",
							kind->typname, str, kind->scale),
					 errdetail("Text input is never rounded, and decimals finer than %s are refused even when they are zeros.",
							   kind->finest),
					 errhint("Write at most %d digits after the decimal point, or cast a numeric value, which rounds half away from zero.",
							 kind->scale)));
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
					 errhint("Did you mean \"%s%s\"?  Accepted units are %s.",
							 err->match->name, err->suffix, kind->unit_list)));
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

/* a <op> b for a binary numeric function */
static inline Numeric
num_op(PGFunction fn, Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(fn, NumericGetDatum(a),
											   NumericGetDatum(b)));
}

/* Compare two numerics: -1, 0 or 1 */
static inline int
num_cmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(b)));
}

/* |a| */
static inline Numeric
num_abs(Numeric a)
{
	return DatumGetNumeric(DirectFunctionCall1(numeric_abs,
											   NumericGetDatum(a)));
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
	if (num_cmp(num, int64_to_numeric(PG_INT64_MIN)) < 0 ||
		num_cmp(num, int64_to_numeric(PG_INT64_MAX)) > 0)
		fp_raise(kind, FP_OUT_OF_RANGE);
	return DatumGetInt64(DirectFunctionCall1(numeric_int8,
											 NumericGetDatum(num)));
}

/*
 * value * factor, computed exactly and rounded half away from zero (as
 * numeric's round() does) to the unit of account.
 */
int64
fp_mul_numeric(const FpKind *kind, int64 value, Numeric factor)
{
	Numeric		product;
	Datum		rounded;

	fp_check_finite(kind, factor);
	product = num_op(numeric_mul, int64_to_numeric(value), factor);
	rounded = DirectFunctionCall2(numeric_round, NumericGetDatum(product),
								  Int32GetDatum(0));
	return fp_integral_numeric_to_int64(kind, DatumGetNumeric(rounded));
}

/*
 * value / divisor rounded half away from zero to the unit of account.  The
 * truncated quotient and its remainder are exact, so the rounding is too
 * (no intermediate rounding at numeric_div's display scale).
 */
int64
fp_div_numeric(const FpKind *kind, int64 value, Numeric divisor)
{
	Numeric		zero = int64_to_numeric(0);
	Numeric		dividend = int64_to_numeric(value);
	Numeric		quotient;
	Numeric		remainder;

	fp_check_finite(kind, divisor);
	if (num_cmp(divisor, zero) == 0)
		fp_raise(kind, FP_DIVISION_BY_ZERO);

	quotient = num_op(numeric_div_trunc, dividend, divisor);
	remainder = num_op(numeric_sub, dividend,
					   num_op(numeric_mul, quotient, divisor));

	/* |remainder| >= |divisor| / 2: one more step away from zero */
	if (num_cmp(remainder, zero) != 0 &&
		num_cmp(num_op(numeric_mul, num_abs(remainder), int64_to_numeric(2)),
				num_abs(divisor)) >= 0)
	{
		bool		negative = (value < 0) != (num_cmp(divisor, zero) < 0);
		int64		step = negative ? -1 : 1;

		quotient = num_op(numeric_add, quotient, int64_to_numeric(step));
	}
	return fp_integral_numeric_to_int64(kind, quotient);
}

/*
 * A double precision factor or divisor, as numeric, through PostgreSQL's
 * own float8-to-numeric cast (15 significant digits), so that 0.1 means
 * one tenth.  NaN and infinity become numeric NaN and infinity, which the
 * numeric arithmetic above rejects.
 */
Numeric
fp_float8_to_numeric(float8 f)
{
	return DatumGetNumeric(DirectFunctionCall1(float8_numeric,
											   Float8GetDatum(f)));
}

/*
 * value / 10^exp10 as an exact numeric with the fewest digits (no trailing
 * zeros after the point), as the text output writes it.
 */
Numeric
fp_scaled_numeric(int64 value, int exp10)
{
	Numeric		exact = int64_div_fast_to_numeric(value, exp10);

	return DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale,
											   NumericGetDatum(exact)));
}

/* The exact value in the output unit (tonnes, credits) as numeric */
Numeric
fp_to_numeric(const FpKind *kind, int64 value)
{
	return fp_scaled_numeric(value, kind->scale);
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

/*
 * The int8 functions under this module's own names.  The types' send,
 * comparison, hash and min/max support and the conversions to and from the
 * int64 count (tco2e_grams, carbon_credit_thousandths and their inverses)
 * are the int8 functions applied to the count.  Declared LANGUAGE internal
 * with the built-in's name, each would cost the function manager a linear
 * search of the server's table of built-in functions by name (some 3,000
 * string comparisons) whenever an expression or scan using it is set up,
 * that is at every execution of every statement that mentions it: the
 * ledger's booking triggers run several such statements per booking.  As C
 * functions of this module they are found through the function manager's
 * hash table of loaded C functions.
 */
#define FP_INT8_FUNCTION(name, int8_function) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return int8_function(fcinfo); \
}

FP_INT8_FUNCTION(fixedpoint_send, int8send)
FP_INT8_FUNCTION(fixedpoint_eq, int8eq)
FP_INT8_FUNCTION(fixedpoint_ne, int8ne)
FP_INT8_FUNCTION(fixedpoint_lt, int8lt)
FP_INT8_FUNCTION(fixedpoint_le, int8le)
FP_INT8_FUNCTION(fixedpoint_gt, int8gt)
FP_INT8_FUNCTION(fixedpoint_ge, int8ge)
FP_INT8_FUNCTION(fixedpoint_cmp, btint8cmp)
FP_INT8_FUNCTION(fixedpoint_sortsupport, btint8sortsupport)
FP_INT8_FUNCTION(fixedpoint_hash, hashint8)
FP_INT8_FUNCTION(fixedpoint_hash_extended, hashint8extended)
FP_INT8_FUNCTION(fixedpoint_smaller, int8smaller)
FP_INT8_FUNCTION(fixedpoint_larger, int8larger)

/* The count itself: tco2e_grams, tco2e_from_grams and their credit twins */
FP_INT8_FUNCTION(fixedpoint_int8_identity, int8up)
