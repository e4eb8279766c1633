/*-------------------------------------------------------------------------
 *
 * fixedpoint.h
 *	  Exact fixed-point quantities: parsing, formatting and arithmetic
 *	  shared by the tco2e and carbon_credit types.
 *
 * A quantity is an int64 count of "units of account" (grams for tco2e,
 * thousandths of a credit for carbon_credit).  An FpKind describes one
 * such type: how many decimals its output unit has, which units its text
 * input accepts and how to name them in messages.  Everything here is pure
 * C: failures are returned as FpStatus codes, never raised.
 *
 * src/core/fixedpoint.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FIXEDPOINT_H
#define FIXEDPOINT_H

#include "cl_port.h"

/* Outcome of parsing or of an arithmetic step */
typedef enum FpStatus
{
	FP_OK = 0,
	FP_SYNTAX,					/* not of the form [sign] number [unit] */
	FP_NOT_FINITE,				/* NaN or infinity */
	FP_UNKNOWN_UNIT,			/* a unit word that is not accepted */
	FP_AMBIGUOUS_UNIT,			/* ton, tons, mt, lb: rejected with a reason */
	FP_WRONG_CASE_UNIT,			/* an accepted unit in the wrong case */
	FP_TOO_FINE,				/* finer than one unit of account */
	FP_TOO_MANY_DECIMALS,		/* more decimals written than the kind
								 * allows, even zeros */
	FP_OUT_OF_RANGE,			/* outside int64 units of account */
	FP_DIVISION_BY_ZERO
} FpStatus;

/* One accepted (or explicitly rejected) unit word */
typedef struct FpUnit
{
	const char *name;			/* as written, UTF-8, case-sensitive */
	size_t		len;			/* strlen(name) */
	int			exp10;			/* the unit is 10^exp10 units of account */
	const char *rejected;		/* non-NULL: not accepted, and why */
} FpUnit;

/* Description of one fixed-point type */
typedef struct FpKind
{
	const char *typname;		/* SQL name, for messages */
	int			scale;			/* decimals of the output unit */
	int			default_exp10;	/* exp10 of a number written without unit */
	bool		co2e_suffix;	/* units may be followed by "CO2e" */
	const char *out_suffix;		/* appended to the output: "" or a space
								 * and a unit of default_exp10 */
	size_t		out_unit_len;	/* length of that unit (0 for none) */
	const FpUnit *units;		/* NULL-name-terminated table */
	const char *unit_list;		/* accepted units, for hints */
	const char *finest;			/* "one gram", for messages */
	bool		strict_decimals;	/* no digit may be written finer than
									 * one unit of account, not even a zero */
} FpKind;

extern const FpKind fp_tco2e_kind;
extern const FpKind fp_credit_kind;

/* Details of a failed parse, for the error message */
typedef struct FpParseError
{
	const char *unit;			/* the offending unit word (not terminated) */
	size_t		unit_len;
	const FpUnit *match;		/* rejected or wrong-case unit it matched */
	const char *suffix;			/* "", "CO2e" or " CO2e": how the CO2e that
								 * followed match is written, for hints */
} FpParseError;

/* Longest output of fp_format, terminating zero included */
#define FP_FORMAT_MAX 48

extern FpStatus fp_parse(const FpKind *kind, const char *str, size_t len,
						 int64 *result, FpParseError *err);
extern FpStatus fp_unit_exp10(const FpKind *kind, const char *str,
							  size_t len, int *exp10, FpParseError *err);
extern size_t fp_format(const FpKind *kind, int64 value, char *buf);
extern size_t fp_format_plain(int64 value, int scale, char *buf);

/* Longest output of fp_format128, terminating zero included */
#define FP_FORMAT128_MAX 64
extern size_t fp_format128(const FpKind *kind, int128 value, char *buf);

/* Exact arithmetic on units of account */
extern FpStatus fp_add(int64 a, int64 b, int64 *result);
extern FpStatus fp_sub(int64 a, int64 b, int64 *result);
extern FpStatus fp_neg(int64 a, int64 *result);
extern FpStatus fp_abs(int64 a, int64 *result);
extern FpStatus fp_mul(int64 a, int64 b, int64 *result);
extern FpStatus fp_div_round(int64 a, int64 b, int64 *result);
extern FpStatus fp_scale_up(int64 a, int exp10, int64 *result);

/* Running state of sum and avg: a count and a 128-bit sum */
typedef struct FpSumState
{
	int64		count;
	int128		sum;
} FpSumState;

#define FP_SUM_STATE_BYTES 24

extern FpStatus fp_sum_result(const FpSumState *state, int64 *result);
extern FpStatus fp_avg_result(const FpSumState *state, int64 *result);
extern void fp_sum_state_serialize(const FpSumState *state,
								   unsigned char *buf);
extern bool fp_sum_state_deserialize(const unsigned char *buf, size_t len,
									 FpSumState *state);

#endif							/* FIXEDPOINT_H */
