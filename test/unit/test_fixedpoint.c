/*-------------------------------------------------------------------------
 *
 * test_fixedpoint.c
 *	  cmocka unit tests of src/core/fixedpoint.c: parsing of every unit,
 *	  exactness, boundaries, errors, formatting, arithmetic and the
 *	  aggregate state.
 *
 * Built with AddressSanitizer and UBSan by tools/unit.sh; inputs are
 * copied into buffers of their exact length so that any read past the end
 * is caught.
 *
 * test/unit/test_fixedpoint.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixedpoint.h"

/* Parse str (copied to an unterminated buffer of its exact length) */
static FpStatus
parse(const FpKind *kind, const char *str, int64 *result)
{
	size_t		len = strlen(str);
	char	   *buf = malloc(len > 0 ? len : 1);
	FpParseError err;
	FpStatus	st;

	memcpy(buf, str, len);
	*result = -42;
	st = fp_parse(kind, buf, len, result, &err);
	free(buf);
	return st;
}

/* Assert that str parses as a tco2e of the given grams */
static void
assert_grams(const char *str, int64 grams)
{
	int64		v;

	assert_int_equal(parse(&fp_tco2e_kind, str, &v), FP_OK);
	assert_true(v == grams);
}

/* Assert that str fails to parse as a tco2e with the given status */
static void
assert_tco2e_status(const char *str, FpStatus expected)
{
	int64		v;

	assert_int_equal(parse(&fp_tco2e_kind, str, &v), expected);
}

/* Format a value and compare with the expected text */
static void
assert_format(const FpKind *kind, int64 value, const char *expected)
{
	char		buf[FP_FORMAT_MAX];
	size_t		n = fp_format(kind, value, buf);

	assert_string_equal(buf, expected);
	assert_int_equal(n, strlen(expected));
}

static void
test_units(void **state)
{
	assert_grams("1 g", 1);
	assert_grams("1 kg", 1000);
	assert_grams("1 t", 1000000);
	assert_grams("1 kt", INT64CONST(1000000000));
	assert_grams("1 Mt", INT64CONST(1000000000000));
	assert_grams("1 Gt", INT64CONST(1000000000000000));
	assert_grams("1 tCO2e", 1000000);
	assert_grams("1 kg CO2e", 1000);
	assert_grams("1GtCO2e", INT64CONST(1000000000000000));
	assert_grams("2 grams", 2);
	assert_grams("1 gram", 1);
	assert_grams("3 kilograms", 3000);
	assert_grams("1 kilogram", 1000);
	assert_grams("1 tonne", 1000000);
	assert_grams("2 tonnes", 2000000);
	assert_grams("5 \xe5\x85\x8b", 5);	/* 克 */
	assert_grams("5 \xe5\x8d\x83\xe5\x85\x8b", 5000);	/* 千克 */
	assert_grams("5 \xe5\x85\xac\xe6\x96\xa4", 5000);	/* 公斤 */
	assert_grams("5\xe5\x90\xa8", 5000000);	/* 吨 */
	assert_grams("5 \xe5\x8d\x83\xe5\x90\xa8", INT64CONST(5000000000));	/* 千吨 */
	assert_grams("24.29\xe4\xb8\x87\xe5\x90\xa8", INT64CONST(242900000000));	/* 万吨 */
	assert_grams("1 \xe7\x99\xbe\xe4\xb8\x87\xe5\x90\xa8", INT64CONST(1000000000000));	/* 百万吨 */
	assert_grams("1 \xe4\xba\xbf\xe5\x90\xa8", INT64CONST(100000000000000));	/* 亿吨 */
	assert_grams("7", 7000000);
	assert_grams("7 ", 7000000);
	assert_grams(" 7\t\n", 7000000);
}

static void
test_numbers(void **state)
{
	assert_grams("2680 kg", 2680000);
	assert_grams("-1 g", -1);
	assert_grams(" + 2.5e3 kg ", 2500000);
	assert_grams("\t-\n.5\r", -500000);
	assert_grams("5.", 5000000);
	assert_grams("25E-1", 2500000);
	assert_grams("1.000000000000000000000000 t", 1000000);
	assert_grams("0000000000000000000000000000000000000000001 g", 1);
	assert_grams("100000000000000000000000000000e-29 t", 1000000);
	assert_grams("0e99999999999999999999999", 0);
	assert_grams("0.000000000000e-99999999999999 g", 0);
	assert_grams("-0", 0);
	assert_grams("9223372036854775807 g", PG_INT64_MAX);
	assert_grams("-9223372036854775808 g", PG_INT64_MIN);
	assert_grams("9223372036854.775807", PG_INT64_MAX);
	assert_grams("-9223372036854.775808 tCO2e", PG_INT64_MIN);
	assert_grams("-92233.72036854775808 \xe4\xba\xbf\xe5\x90\xa8", PG_INT64_MIN);
}

static void
test_errors(void **state)
{
	assert_tco2e_status("9223372036854775808 g", FP_OUT_OF_RANGE);
	assert_tco2e_status("-9223372036854775809 g", FP_OUT_OF_RANGE);
	assert_tco2e_status("10000000000000000000 g", FP_OUT_OF_RANGE);
	assert_tco2e_status("1e999999999999999999999999 g", FP_OUT_OF_RANGE);
	assert_tco2e_status("1e19 g", FP_OUT_OF_RANGE);
	assert_tco2e_status("0.5 g", FP_TOO_FINE);
	assert_tco2e_status("1.0000001", FP_TOO_FINE);
	assert_tco2e_status("1e-99999999999999999999 t", FP_TOO_FINE);
	assert_tco2e_status("12345678901234567890.5 g", FP_OUT_OF_RANGE);
	assert_tco2e_status("1234567890123456.5 g", FP_TOO_FINE);
	assert_tco2e_status("5 ton", FP_AMBIGUOUS_UNIT);
	assert_tco2e_status("5 tons", FP_AMBIGUOUS_UNIT);
	assert_tco2e_status("5 mt", FP_AMBIGUOUS_UNIT);
	assert_tco2e_status("5 Ton", FP_AMBIGUOUS_UNIT);
	assert_tco2e_status("5 mT", FP_AMBIGUOUS_UNIT);
	assert_tco2e_status("5 TONS", FP_AMBIGUOUS_UNIT);
	assert_tco2e_status("5 lb", FP_AMBIGUOUS_UNIT);
	assert_tco2e_status("5 KG", FP_WRONG_CASE_UNIT);
	assert_tco2e_status("5 kg co2e", FP_WRONG_CASE_UNIT);
	assert_tco2e_status("5 furlongs", FP_UNKNOWN_UNIT);
	assert_tco2e_status("5 CO2e", FP_UNKNOWN_UNIT);
	assert_tco2e_status("5 kg CO2", FP_UNKNOWN_UNIT);
	assert_tco2e_status("5e", FP_UNKNOWN_UNIT);
	assert_tco2e_status("5 \xe5", FP_UNKNOWN_UNIT);	/* truncated UTF-8 */
	assert_tco2e_status("NaN", FP_NOT_FINITE);
	assert_tco2e_status("-infinity", FP_NOT_FINITE);
	assert_tco2e_status("inf", FP_NOT_FINITE);
	assert_tco2e_status("", FP_SYNTAX);
	assert_tco2e_status(" ", FP_SYNTAX);
	assert_tco2e_status("-", FP_SYNTAX);
	assert_tco2e_status("+", FP_SYNTAX);
	assert_tco2e_status(".", FP_SYNTAX);
	assert_tco2e_status("e5", FP_SYNTAX);
	assert_tco2e_status("1.2.3", FP_SYNTAX);
	assert_tco2e_status("1,5", FP_SYNTAX);
	assert_tco2e_status("--1", FP_SYNTAX);
	assert_tco2e_status("1 2", FP_SYNTAX);
	assert_tco2e_status("[", FP_SYNTAX);
}

static void
test_error_details(void **state)
{
	FpParseError err;
	int64		v;

	assert_int_equal(fp_parse(&fp_tco2e_kind, "5 KG", 4, &v, &err),
					 FP_WRONG_CASE_UNIT);
	assert_string_equal(err.match->name, "kg");
	assert_string_equal(err.suffix, "");
	assert_int_equal(err.unit_len, 2);
	assert_memory_equal(err.unit, "KG", 2);
	/* the hint's spelling of a CO2e suffix keeps the space, or its absence */
	assert_int_equal(fp_parse(&fp_tco2e_kind, "5 Kg co2e", 9, &v, &err),
					 FP_WRONG_CASE_UNIT);
	assert_string_equal(err.match->name, "kg");
	assert_string_equal(err.suffix, " CO2e");
	assert_int_equal(fp_parse(&fp_tco2e_kind, "5 TCO2E", 7, &v, &err),
					 FP_WRONG_CASE_UNIT);
	assert_string_equal(err.match->name, "t");
	assert_string_equal(err.suffix, "CO2e");
	assert_int_equal(fp_parse(&fp_tco2e_kind, "5 ton ", 6, &v, &err),
					 FP_AMBIGUOUS_UNIT);
	assert_non_null(err.match->rejected);
	assert_int_equal(err.unit_len, 3);
}

static void
test_credits(void **state)
{
	int64		v;

	assert_int_equal(parse(&fp_credit_kind, "12.500", &v), FP_OK);
	assert_true(v == 12500);
	assert_int_equal(parse(&fp_credit_kind, "-0.001 cr", &v), FP_OK);
	assert_true(v == -1);
	assert_int_equal(parse(&fp_credit_kind, "2 credits", &v), FP_OK);
	assert_true(v == 2000);
	assert_int_equal(parse(&fp_credit_kind, "-9223372036854775.808", &v), FP_OK);
	assert_true(v == PG_INT64_MIN);
	/* more than three decimals written is refused, even zeros */
	assert_int_equal(parse(&fp_credit_kind, "1.2345", &v),
					 FP_TOO_MANY_DECIMALS);
	assert_int_equal(parse(&fp_credit_kind, "1.0000", &v),
					 FP_TOO_MANY_DECIMALS);
	assert_int_equal(parse(&fp_credit_kind, "-0.0000 cr", &v),
					 FP_TOO_MANY_DECIMALS);
	assert_int_equal(parse(&fp_credit_kind, "0.01e-2", &v),
					 FP_TOO_MANY_DECIMALS);
	/* the exponent counts */
	assert_int_equal(parse(&fp_credit_kind, "1.0000e1", &v), FP_OK);
	assert_true(v == 10000);
	assert_int_equal(parse(&fp_credit_kind, "0.1e-2", &v), FP_OK);
	assert_true(v == 1);
	assert_int_equal(parse(&fp_credit_kind, "0.000", &v), FP_OK);
	assert_true(v == 0);
	assert_int_equal(parse(&fp_credit_kind, "9223372036854775.808", &v),
					 FP_OUT_OF_RANGE);
	assert_int_equal(parse(&fp_credit_kind, "5 kg", &v), FP_UNKNOWN_UNIT);
	assert_int_equal(parse(&fp_credit_kind, "5 cr CO2e", &v), FP_UNKNOWN_UNIT);
	assert_int_equal(parse(&fp_credit_kind, "5 CR", &v), FP_WRONG_CASE_UNIT);
	assert_format(&fp_credit_kind, 12500, "12.5");
	assert_format(&fp_credit_kind, 3000, "3");
	assert_format(&fp_credit_kind, -1, "-0.001");
	assert_format(&fp_credit_kind, PG_INT64_MIN, "-9223372036854775.808");
	assert_format(&fp_credit_kind, PG_INT64_MAX, "9223372036854775.807");
}

static void
test_format128(void **state)
{
	char		buf[FP_FORMAT128_MAX];
	int128		big = (int128) PG_INT64_MAX * 4;
	int128		min = -((int128) 1 << 126) * 2;	/* -2^127 */

	fp_format128(&fp_tco2e_kind, (int128) 2680000, buf);
	assert_string_equal(buf, "2.68 tCO2e");
	fp_format128(&fp_tco2e_kind, big, buf);
	assert_string_equal(buf, "36893488147419.103228 tCO2e");
	fp_format128(&fp_credit_kind, -big - 1, buf);
	assert_string_equal(buf, "-36893488147419103.229");
	fp_format128(&fp_tco2e_kind, min, buf);
	assert_string_equal(buf,
						"-170141183460469231731687303715884.105728 tCO2e");
	assert_true(strlen(buf) < FP_FORMAT128_MAX);
}

static void
test_format(void **state)
{
	assert_format(&fp_tco2e_kind, 2680000, "2.68 tCO2e");
	assert_format(&fp_tco2e_kind, -1, "-0.000001 tCO2e");
	assert_format(&fp_tco2e_kind, 0, "0 tCO2e");
	assert_format(&fp_tco2e_kind, 1000000, "1 tCO2e");
	assert_format(&fp_tco2e_kind, INT64CONST(242900000000), "242900 tCO2e");
	assert_format(&fp_tco2e_kind, PG_INT64_MIN, "-9223372036854.775808 tCO2e");
	assert_format(&fp_tco2e_kind, PG_INT64_MAX, "9223372036854.775807 tCO2e");
}

/* Every formatted value parses back to itself (a deterministic sample) */
static void
test_round_trip(void **state)
{
	uint64		x = UINT64CONST(0x9E3779B97F4A7C15);
	const FpKind *kinds[] = {&fp_tco2e_kind, &fp_credit_kind};

	for (int i = 0; i < 200000; i++)
	{
		const FpKind *kind = kinds[i % 2];
		char		buf[FP_FORMAT_MAX];
		int64		value;
		int64		back;
		FpParseError err;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* mix magnitudes: small, medium and full-range values */
		value = (int64) (i % 3 == 0 ? x : (i % 3 == 1 ? x >> 40 : x >> 60));
		if (i % 5 == 0)
			value = -value;
		fp_format(kind, value, buf);
		assert_int_equal(fp_parse(kind, buf, strlen(buf), &back, &err), FP_OK);
		assert_true(back == value);
	}
}

static void
test_arithmetic(void **state)
{
	int64		r;

	assert_int_equal(fp_add(PG_INT64_MAX, 1, &r), FP_OUT_OF_RANGE);
	assert_int_equal(fp_add(PG_INT64_MAX, -1, &r), FP_OK);
	assert_int_equal(fp_sub(PG_INT64_MIN, 1, &r), FP_OUT_OF_RANGE);
	assert_int_equal(fp_neg(PG_INT64_MIN, &r), FP_OUT_OF_RANGE);
	assert_int_equal(fp_neg(PG_INT64_MAX, &r), FP_OK);
	assert_true(r == -PG_INT64_MAX);
	assert_int_equal(fp_abs(PG_INT64_MIN, &r), FP_OUT_OF_RANGE);
	assert_int_equal(fp_abs(-5, &r), FP_OK);
	assert_true(r == 5);
	assert_int_equal(fp_mul(PG_INT64_MAX, 2, &r), FP_OUT_OF_RANGE);
	assert_int_equal(fp_mul(PG_INT64_MIN, -1, &r), FP_OUT_OF_RANGE);
	assert_int_equal(fp_scale_up(9223372036854775, 3, &r), FP_OK);
	assert_true(r == INT64CONST(9223372036854775000));
	assert_int_equal(fp_scale_up(9223372036854776, 3, &r), FP_OUT_OF_RANGE);

	/* division rounds half away from zero */
	assert_int_equal(fp_div_round(3, 2, &r), FP_OK);
	assert_true(r == 2);
	assert_int_equal(fp_div_round(-3, 2, &r), FP_OK);
	assert_true(r == -2);
	assert_int_equal(fp_div_round(3, -2, &r), FP_OK);
	assert_true(r == -2);
	assert_int_equal(fp_div_round(5, 3, &r), FP_OK);
	assert_true(r == 2);
	assert_int_equal(fp_div_round(4, 3, &r), FP_OK);
	assert_true(r == 1);
	assert_int_equal(fp_div_round(PG_INT64_MIN, 2, &r), FP_OK);
	assert_true(r == PG_INT64_MIN / 2);
	assert_int_equal(fp_div_round(PG_INT64_MAX, PG_INT64_MIN, &r), FP_OK);
	assert_true(r == -1);
	assert_int_equal(fp_div_round(PG_INT64_MIN, -1, &r), FP_OUT_OF_RANGE);
	assert_int_equal(fp_div_round(1, 0, &r), FP_DIVISION_BY_ZERO);
}

static void
test_sum_state(void **state)
{
	FpSumState s = {0, 0};
	FpSumState back;
	unsigned char buf[FP_SUM_STATE_BYTES];
	int64		r;

	/* the state goes beyond int64 and comes back */
	for (int i = 0; i < 3; i++)
	{
		s.count++;
		s.sum += PG_INT64_MAX;
	}
	assert_int_equal(fp_sum_result(&s, &r), FP_OUT_OF_RANGE);
	assert_int_equal(fp_avg_result(&s, &r), FP_OK);
	assert_true(r == PG_INT64_MAX);

	fp_sum_state_serialize(&s, buf);
	assert_true(fp_sum_state_deserialize(buf, sizeof(buf), &back));
	assert_true(back.count == s.count && back.sum == s.sum);
	assert_false(fp_sum_state_deserialize(buf, sizeof(buf) - 1, &back));
	assert_false(fp_sum_state_deserialize(buf, 0, &back));

	s.count = 2;
	s.sum = -(int128) PG_INT64_MAX - 2;
	fp_sum_state_serialize(&s, buf);
	assert_true(fp_sum_state_deserialize(buf, sizeof(buf), &back));
	assert_true(back.sum == s.sum);
	assert_int_equal(fp_sum_result(&back, &r), FP_OUT_OF_RANGE);
	assert_int_equal(fp_avg_result(&back, &r), FP_OK);
	/* -9223372036854775809 / 2 = -4611686018427387904.5, away from zero */
	assert_true(r == INT64CONST(-4611686018427387905));

	/* a negative count is rejected */
	buf[0] = 0x80;
	assert_false(fp_sum_state_deserialize(buf, sizeof(buf), &back));

	/* avg rounds half away from zero; no rows is not a division */
	s.count = 2;
	s.sum = -3;
	assert_int_equal(fp_avg_result(&s, &r), FP_OK);
	assert_true(r == -2);
	s.count = 0;
	s.sum = 0;
	assert_int_equal(fp_avg_result(&s, &r), FP_DIVISION_BY_ZERO);
}

static void
test_unit_lookup(void **state)
{
	FpParseError err;
	int			e;

	assert_int_equal(fp_unit_exp10(&fp_tco2e_kind, " kg ", 4, &e, &err), FP_OK);
	assert_int_equal(e, 3);
	assert_int_equal(fp_unit_exp10(&fp_tco2e_kind, "Mt CO2e", 7, &e, &err), FP_OK);
	assert_int_equal(e, 12);
	assert_int_equal(fp_unit_exp10(&fp_tco2e_kind, "\xe4\xb8\x87\xe5\x90\xa8", 6, &e, &err), FP_OK);
	assert_int_equal(e, 10);
	assert_int_equal(fp_unit_exp10(&fp_tco2e_kind, "", 0, &e, &err), FP_UNKNOWN_UNIT);
	assert_int_equal(fp_unit_exp10(&fp_tco2e_kind, "ton", 3, &e, &err), FP_AMBIGUOUS_UNIT);
	assert_int_equal(fp_unit_exp10(&fp_tco2e_kind, "Kg", 2, &e, &err), FP_WRONG_CASE_UNIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_details),
		cmocka_unit_test(test_credits),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format128),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_sum_state),
		cmocka_unit_test(test_unit_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
