/*-------------------------------------------------------------------------
 *
 * fixedpoint_type.h
 *	  fmgr glue shared by the tco2e and carbon_credit types.
 *
 * Both types are an int64 count of units of account described by an
 * FpKind (src/core/fixedpoint.h).  The helpers below do the work and raise
 * the errors; FP_TYPE_FUNCTIONS() expands into the SQL-callable functions
 * of one type, which only pass the type's FpKind along, so that the two
 * types share one implementation.  Comparison, hashing and send use the
 * server's int8 functions directly (see sql/parts/10_tco2e.sql).
 *
 * src/fixedpoint_type.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FIXEDPOINT_TYPE_H
#define FIXEDPOINT_TYPE_H

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/numeric.h"

#include "fixedpoint.h"

extern const char *fp_to_utf8(const char *str);
extern void fp_raise(const FpKind *kind, FpStatus status);
extern int64 fp_text_in(const FpKind *kind, const char *str);
extern char *fp_text_out(const FpKind *kind, int64 value);
extern int64 fp_binary_recv(const FpKind *kind, StringInfo buf);
extern int64 fp_mul_numeric(const FpKind *kind, int64 value, Numeric factor);
extern int64 fp_div_numeric(const FpKind *kind, int64 value, Numeric divisor);
extern Numeric fp_float8_to_numeric(float8 f);
extern Numeric fp_scaled_numeric(int64 value, int exp10);
extern Numeric fp_to_numeric(const FpKind *kind, int64 value);
extern int64 fp_from_numeric(const FpKind *kind, Numeric num);
extern Datum fp_sum_final(const FpKind *kind, FunctionCallInfo fcinfo);
extern Datum fp_avg_final(const FpKind *kind, FunctionCallInfo fcinfo);

/*
 * Returns the result of an arithmetic step, raising its error if any.  The
 * result is passed by address so that it is read only after the step that
 * sets it has run (argument evaluation order is unspecified).
 */
static inline int64
fp_check(const FpKind *kind, FpStatus status, const int64 *result)
{
	if (unlikely(status != FP_OK))
		fp_raise(kind, status);
	return *result;
}

/* Declares and defines one SQL-callable function of a fixed-point type */
#define FP_FN(name, body) \
	PG_FUNCTION_INFO_V1(name); \
	Datum name(PG_FUNCTION_ARGS) { body }

/* A binary operator computed by an FpStatus step */
#define FP_STEP_FN(name, kind, step, a, b) \
	FP_FN(name, \
		  int64 r_ = 0; \
		  FpStatus st_ = step(a, b, &r_); \
		  PG_RETURN_INT64(fp_check(kind, st_, &r_));)

/* A unary operator or function computed by an FpStatus step */
#define FP_UNARY_FN(name, kind, step, a) \
	FP_FN(name, \
		  int64 r_ = 0; \
		  FpStatus st_ = step(a, &r_); \
		  PG_RETURN_INT64(fp_check(kind, st_, &r_));)

/*
 * The SQL-callable functions of one fixed-point type P with FpKind K:
 * text and binary input/output, arithmetic with itself and with integer,
 * bigint, numeric and double precision, numeric casts, and the final
 * functions of sum and avg.
 */
#define FP_TYPE_FUNCTIONS(P, K) \
	FP_FN(P##_in, PG_RETURN_INT64(fp_text_in(K, PG_GETARG_CSTRING(0)));) \
	FP_FN(P##_out, PG_RETURN_CSTRING(fp_text_out(K, PG_GETARG_INT64(0)));) \
	FP_FN(P##_recv, \
		  PG_RETURN_INT64(fp_binary_recv(K, \
										 (StringInfo) PG_GETARG_POINTER(0)));) \
	FP_STEP_FN(P##_pl, K, fp_add, PG_GETARG_INT64(0), PG_GETARG_INT64(1)) \
	FP_STEP_FN(P##_mi, K, fp_sub, PG_GETARG_INT64(0), PG_GETARG_INT64(1)) \
	FP_UNARY_FN(P##_um, K, fp_neg, PG_GETARG_INT64(0)) \
	FP_UNARY_FN(P##_abs, K, fp_abs, PG_GETARG_INT64(0)) \
	FP_STEP_FN(P##_mul_int8, K, fp_mul, \
			   PG_GETARG_INT64(0), PG_GETARG_INT64(1)) \
	FP_STEP_FN(P##_int8_mul, K, fp_mul, \
			   PG_GETARG_INT64(1), PG_GETARG_INT64(0)) \
	FP_STEP_FN(P##_mul_int4, K, fp_mul, \
			   PG_GETARG_INT64(0), PG_GETARG_INT32(1)) \
	FP_STEP_FN(P##_int4_mul, K, fp_mul, \
			   PG_GETARG_INT64(1), PG_GETARG_INT32(0)) \
	FP_STEP_FN(P##_div_int8, K, fp_div_round, PG_GETARG_INT64(0), \
			   PG_GETARG_INT64(1)) \
	FP_STEP_FN(P##_div_int4, K, fp_div_round, PG_GETARG_INT64(0), \
			   PG_GETARG_INT32(1)) \
	FP_FN(P##_mul_numeric, \
		  PG_RETURN_INT64(fp_mul_numeric(K, PG_GETARG_INT64(0), \
										 PG_GETARG_NUMERIC(1)));) \
	FP_FN(P##_numeric_mul, \
		  PG_RETURN_INT64(fp_mul_numeric(K, PG_GETARG_INT64(1), \
										 PG_GETARG_NUMERIC(0)));) \
	FP_FN(P##_div_numeric, \
		  PG_RETURN_INT64(fp_div_numeric(K, PG_GETARG_INT64(0), \
										 PG_GETARG_NUMERIC(1)));) \
	FP_FN(P##_mul_float8, \
		  PG_RETURN_INT64(fp_mul_numeric(K, PG_GETARG_INT64(0), \
				fp_float8_to_numeric(PG_GETARG_FLOAT8(1))));) \
	FP_FN(P##_float8_mul, \
		  PG_RETURN_INT64(fp_mul_numeric(K, PG_GETARG_INT64(1), \
				fp_float8_to_numeric(PG_GETARG_FLOAT8(0))));) \
	FP_FN(P##_div_float8, \
		  PG_RETURN_INT64(fp_div_numeric(K, PG_GETARG_INT64(0), \
				fp_float8_to_numeric(PG_GETARG_FLOAT8(1))));) \
	FP_FN(P##_div, \
		  if (PG_GETARG_INT64(1) == 0) \
			  fp_raise(K, FP_DIVISION_BY_ZERO); \
		  return DirectFunctionCall2(numeric_div, \
				NumericGetDatum(int64_to_numeric(PG_GETARG_INT64(0))), \
				NumericGetDatum(int64_to_numeric(PG_GETARG_INT64(1))));) \
	FP_FN(P##_to_numeric, \
		  PG_RETURN_NUMERIC(fp_to_numeric(K, PG_GETARG_INT64(0)));) \
	FP_FN(P##_from_numeric, \
		  PG_RETURN_INT64(fp_from_numeric(K, PG_GETARG_NUMERIC(0)));) \
	FP_FN(P##_sum_final, return fp_sum_final(K, fcinfo);) \
	FP_FN(P##_avg_final, return fp_avg_final(K, fcinfo);)

#endif							/* FIXEDPOINT_TYPE_H */
