/*-------------------------------------------------------------------------
 *
 * fixedpoint_agg.c
 *	  sum and avg of tco2e and carbon_credit: transition, inverse,
 *	  combine, serialise and deserialise functions shared by both types,
 *	  and the final functions called by each type's wrappers.
 *
 * The running state (FpSumState) is a row count and a 128-bit sum, like
 * core's sum(int8): no sum of int64 values can overflow it, so only a
 * final result outside int64 is an error.  It lives in the aggregate's
 * memory context and is passed as "internal"; its serialised form (for
 * parallel aggregation) is 24 bytes, see fp_sum_state_serialize().
 *
 * src/fixedpoint_agg.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "fixedpoint_type.h"

PG_FUNCTION_INFO_V1(fp_sum_accum);
PG_FUNCTION_INFO_V1(fp_sum_accum_inv);
PG_FUNCTION_INFO_V1(fp_sum_combine);
PG_FUNCTION_INFO_V1(fp_sum_serialize);
PG_FUNCTION_INFO_V1(fp_sum_deserialize);

/* A zeroed state in the aggregate's memory context */
static FpSumState *
fp_state_new(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "aggregate function called in non-aggregate context");
	return (FpSumState *) MemoryContextAllocZero(aggcontext,
												 sizeof(FpSumState));
}

/* Argument n as a state, or NULL */
static inline FpSumState *
fp_state_or_null(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : (FpSumState *) PG_GETARG_POINTER(n);
}

/* The state argument, created on first use */
static inline FpSumState *
fp_state_arg(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		return fp_state_new(fcinfo);
	return (FpSumState *) PG_GETARG_POINTER(0);
}

/*
 * Transition function of sum and avg (also their moving-aggregate
 * transition): adds a non-null value to the running state.
 */
Datum
fp_sum_accum(PG_FUNCTION_ARGS)
{
	FpSumState *state = fp_state_arg(fcinfo);

	if (!PG_ARGISNULL(1))
	{
		state->count++;
		state->sum += PG_GETARG_INT64(1);
	}
	PG_RETURN_POINTER(state);
}

/*
 * Inverse transition of sum and avg: removes a value that left a moving
 * window frame, so that running totals cost one step per row.
 */
Datum
fp_sum_accum_inv(PG_FUNCTION_ARGS)
{
	FpSumState *state = fp_state_arg(fcinfo);

	if (!PG_ARGISNULL(1))
	{
		state->count--;
		state->sum -= PG_GETARG_INT64(1);
	}
	PG_RETURN_POINTER(state);
}

/* Combine function: merges two partial states (parallel aggregation) */
Datum
fp_sum_combine(PG_FUNCTION_ARGS)
{
	FpSumState *s1 = fp_state_or_null(fcinfo, 0);
	FpSumState *s2 = fp_state_or_null(fcinfo, 1);

	if (s2 == NULL)
	{
		if (s1 == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s1);
	}
	if (s1 == NULL)
	{
		s1 = fp_state_new(fcinfo);
		*s1 = *s2;
		PG_RETURN_POINTER(s1);
	}
	s1->count += s2->count;
	s1->sum += s2->sum;
	PG_RETURN_POINTER(s1);
}

/* Serialise a state into a bytea (sent from parallel workers) */
Datum
fp_sum_serialize(PG_FUNCTION_ARGS)
{
	FpSumState *state;
	bytea	   *result;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "aggregate function called in non-aggregate context");
	state = (FpSumState *) PG_GETARG_POINTER(0);
	result = (bytea *) palloc(VARHDRSZ + FP_SUM_STATE_BYTES);
	SET_VARSIZE(result, VARHDRSZ + FP_SUM_STATE_BYTES);
	fp_sum_state_serialize(state, (unsigned char *) VARDATA(result));
	PG_RETURN_BYTEA_P(result);
}

/*
 * Deserialise a state; a bytea of the wrong length or with a negative
 * count is an error, never a crash.
 */
Datum
fp_sum_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data;
	FpSumState *state;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "aggregate function called in non-aggregate context");
	data = PG_GETARG_BYTEA_PP(0);
	state = (FpSumState *) palloc(sizeof(FpSumState));
	if (!fp_sum_state_deserialize((const unsigned char *) VARDATA_ANY(data),
								  VARSIZE_ANY_EXHDR(data), state))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serialised sum state"),
				 errdetail("The state is %d bytes long; %d bytes with a non-negative count were expected.",
						   (int) VARSIZE_ANY_EXHDR(data),
						   FP_SUM_STATE_BYTES)));
	PG_RETURN_POINTER(state);
}

/*
 * Raise the error of a sum or average whose result the type cannot hold,
 * naming the exact total (kept in 128 bits) and the number of values.
 */
static void
total_out_of_range(const FpKind *kind, const char *agg, int128 sum,
				   int64 count)
{
	char		buf[FP_FORMAT128_MAX];

	fp_format128(kind, sum, buf);
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s out of range", kind->typname),
			 errdetail("The %s of %lld values totals %s, beyond what %s can hold.",
					   agg, (long long) count, buf, kind->typname)));
}

/* Final function of sum: NULL for no rows, an error outside int64 */
Datum
fp_sum_final(const FpKind *kind, FunctionCallInfo fcinfo)
{
	FpSumState *state = fp_state_or_null(fcinfo, 0);
	int64		result = 0;
	FpStatus	status;

	if (state == NULL || state->count == 0)
		PG_RETURN_NULL();
	status = fp_sum_result(state, &result);
	if (status == FP_OUT_OF_RANGE)
		total_out_of_range(kind, "sum", state->sum, state->count);
	PG_RETURN_INT64(fp_check(kind, status, &result));
}

/*
 * Final function of avg: NULL for no rows, else the mean rounded half away
 * from zero to the unit of account.
 */
Datum
fp_avg_final(const FpKind *kind, FunctionCallInfo fcinfo)
{
	FpSumState *state = fp_state_or_null(fcinfo, 0);
	int64		result = 0;
	FpStatus	status;

	if (state == NULL || state->count == 0)
		PG_RETURN_NULL();
	status = fp_avg_result(state, &result);
	if (status == FP_OUT_OF_RANGE)
		total_out_of_range(kind, "avg", state->sum, state->count);
	PG_RETURN_INT64(fp_check(kind, status, &result));
}
