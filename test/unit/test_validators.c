/*-------------------------------------------------------------------------
 *
 * test_validators.c
 *	  cmocka unit tests of src/core/cl_validators.c: USCC, organisation
 *	  code, resident ID, GB/T 2260 shape and Luhn, with real codes and
 *	  every kind of corruption (one character changed, transposition,
 *	  wrong length, lowercase, excluded letters, non-ASCII, embedded NUL).
 *
 * test/unit/test_validators.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cl_validators.h"

#define V(f, s) f((s), strlen(s))

/* Published codes of registered enterprises, all valid. */
static const char *const real_usccs[] = {
	"91350100M000100Y43",		/* the example of the standard's guides */
	"91110000600037341L",
	"911100001000128855",
	"91440300708461136T",
	"914403001922038216",
	"9144030071526726XG",		/* check character X of the org code */
	"91330100716105852F",
	"51100000500010993L",		/* civil affairs, social organisation */
};

/* Real codes pass, and so does a code we constructed. */
static void
test_uscc_valid(void **state)
{
	size_t		i;

	for (i = 0; i < lengthof(real_usccs); i++)
		assert_true(V(cl_uscc_is_valid, real_usccs[i]));
	assert_int_equal(cl_uscc_check_char("91350100M000100Y4"), '3');
	assert_int_equal(cl_orgcode_check_char("M000100Y"), '4');
}

/* Changing any single character to any other alphabet character fails. */
static void
test_uscc_single_substitution(void **state)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	size_t		i;
	size_t		k;

	for (i = 0; i < lengthof(real_usccs); i++)
	{
		int			pos;

		for (pos = 0; pos < 18; pos++)
			for (k = 0; k < 31; k++)
			{
				char		buf[19];

				memcpy(buf, real_usccs[i], 19);
				if (buf[pos] == alphabet[k])
					continue;
				buf[pos] = alphabet[k];
				assert_false(cl_uscc_is_valid(buf, 18));
			}
	}
}

/* Adjacent transpositions of different characters are caught. */
static void
test_uscc_transposition(void **state)
{
	size_t		i;
	int			pos;

	for (i = 0; i < lengthof(real_usccs); i++)
		for (pos = 0; pos < 17; pos++)
		{
			char		buf[19];
			char		t;

			memcpy(buf, real_usccs[i], 19);
			if (buf[pos] == buf[pos + 1])
				continue;
			t = buf[pos];
			buf[pos] = buf[pos + 1];
			buf[pos + 1] = t;
			assert_false(cl_uscc_is_valid(buf, 18));
		}
}

/* Malformed input of every kind is false, never a crash. */
static void
test_uscc_malformed(void **state)
{
	assert_false(V(cl_uscc_is_valid, ""));
	assert_false(V(cl_uscc_is_valid, "91350100M000100Y4"));
	assert_false(V(cl_uscc_is_valid, "91350100M000100Y433"));
	assert_false(V(cl_uscc_is_valid, "91350100m000100y43"));
	assert_false(V(cl_uscc_is_valid, " 91350100M000100Y43"));
	assert_false(V(cl_uscc_is_valid, "91350100M000100Y43 "));
	assert_false(V(cl_uscc_is_valid, "9135010 M000100Y43"));
	assert_false(V(cl_uscc_is_valid, "91350100\xe2\x80\x8bM000100Y4"));
	assert_false(cl_uscc_is_valid("91350100M00\0" "100Y43", 18));
	/* excluded letters I O S V Z, even where the sums would agree */
	assert_false(V(cl_uscc_is_valid, "91350100M000100I43"));
	assert_false(V(cl_uscc_is_valid, "91350100MOOO100Y43"));
	/* unknown registration authority and organisation type */
	assert_false(V(cl_uscc_is_valid, "B1350100M000100Y43"));
	assert_false(V(cl_uscc_is_valid, "94350100M000100Y43"));
	/* a region field with a letter */
	assert_false(V(cl_uscc_is_valid, "913501A0M000100Y43"));
}

/*
 * A code whose MOD 31 check is right but whose embedded organisation code
 * check is wrong is rejected: the two checks are independent.
 */
static void
test_uscc_orgcode_check(void **state)
{
	char		buf[19];
	char		c;

	memcpy(buf, "91350100M000100Y53", 19);
	c = cl_uscc_check_char(buf);
	buf[17] = c;
	assert_false(cl_orgcode_is_valid(buf + 8, 9));
	assert_false(cl_uscc_is_valid(buf, 18));

	/* check value 10 is written X, 11 is written 0 */
	assert_int_equal(cl_orgcode_check_char("00000000"), '0');
	assert_int_equal(cl_orgcode_check_char("00000001"), '9');
	assert_int_equal(cl_orgcode_check_char("00000006"), 'X');
	assert_true(V(cl_orgcode_is_valid, "00000006X"));
	assert_true(V(cl_orgcode_is_valid, "000000000"));
	assert_false(V(cl_orgcode_is_valid, "M000100Y"));
	assert_false(V(cl_orgcode_is_valid, "m000100y4"));
}

/* Resident IDs: the standard's examples, leap days, corruptions. */
static void
test_resident_id(void **state)
{
	assert_true(V(cl_resident_id_is_valid, "11010519491231002X"));
	assert_true(V(cl_resident_id_is_valid, "440524188001010014"));
	assert_true(V(cl_resident_id_is_valid, "540102199001011233"));
	assert_true(V(cl_resident_id_is_valid, "540422200002290016"));
	assert_true(V(cl_resident_id_is_valid, "540102202402291234"));

	/* lowercase x, wrong check, wrong length */
	assert_false(V(cl_resident_id_is_valid, "11010519491231002x"));
	assert_false(V(cl_resident_id_is_valid, "110105194912310021"));
	assert_false(V(cl_resident_id_is_valid, "11010519491231002"));
	assert_false(V(cl_resident_id_is_valid, "11010519491231002XX"));
	/* 1900-02-29 does not exist (check digit right) */
	assert_false(V(cl_resident_id_is_valid, "540102190002290018"));
	/* unknown province 99 */
	assert_false(V(cl_resident_id_is_valid, "990102199001011238"));
	assert_false(V(cl_resident_id_is_valid, "5401021990010112\xc3\xa9"));
	assert_false(V(cl_resident_id_is_valid, ""));
}

/* Calendar dates, including the Gregorian leap year rules. */
static void
test_dates(void **state)
{
	assert_true(cl_date_is_valid(2000, 2, 29));
	assert_true(cl_date_is_valid(2024, 2, 29));
	assert_false(cl_date_is_valid(1900, 2, 29));
	assert_false(cl_date_is_valid(2023, 2, 29));
	assert_false(cl_date_is_valid(2023, 4, 31));
	assert_false(cl_date_is_valid(2023, 13, 1));
	assert_false(cl_date_is_valid(2023, 0, 1));
	assert_false(cl_date_is_valid(2023, 1, 0));
	assert_true(cl_date_is_valid(2023, 12, 31));
}

/* Luhn: card test numbers, single-digit errors, length bounds. */
static void
test_luhn(void **state)
{
	assert_true(V(cl_luhn_is_valid, "4111111111111111"));
	assert_true(V(cl_luhn_is_valid, "6212345678901232"));
	assert_true(V(cl_luhn_is_valid, "5555555555554444"));
	assert_true(V(cl_luhn_is_valid, "378282246310005"));
	assert_false(V(cl_luhn_is_valid, "4111111111111112"));
	assert_false(V(cl_luhn_is_valid, "6212345678901223"));
	/* ISO/IEC 7812-1 card numbers have 8 to 19 digits */
	assert_true(V(cl_luhn_is_valid, "79927398713"));
	assert_false(V(cl_luhn_is_valid, "79927398710"));
	assert_true(V(cl_luhn_is_valid, "12345674"));
	assert_false(V(cl_luhn_is_valid, "1234566"));
	assert_true(V(cl_luhn_is_valid, "6228480402564890018"));
	assert_false(V(cl_luhn_is_valid, "4111 1111 1111 1111"));
	assert_false(V(cl_luhn_is_valid, "41111111111111111111"));
	assert_false(V(cl_luhn_is_valid, ""));
}

/* GB/T 2260 shape: six ASCII digits. */
static void
test_gb2260_shape(void **state)
{
	assert_true(V(cl_gb2260_is_wellformed, "540102"));
	assert_false(V(cl_gb2260_is_wellformed, "54010"));
	assert_false(V(cl_gb2260_is_wellformed, "5401021"));
	assert_false(V(cl_gb2260_is_wellformed, "54010a"));
	assert_false(V(cl_gb2260_is_wellformed, "\xef\xbc\x95" "40102"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uscc_valid),
		cmocka_unit_test(test_uscc_single_substitution),
		cmocka_unit_test(test_uscc_transposition),
		cmocka_unit_test(test_uscc_malformed),
		cmocka_unit_test(test_uscc_orgcode_check),
		cmocka_unit_test(test_resident_id),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_luhn),
		cmocka_unit_test(test_gb2260_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
