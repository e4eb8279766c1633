/*-------------------------------------------------------------------------
 *
 * test_ledger_core.c
 *	  cmocka unit tests of src/core/ledger_core.c: reading a programme's
 *	  rate, credits from rate and grams truncated to a thousandth, the
 *	  daily cap, the range checks and taking credits from lots.
 *
 * test/unit/test_ledger_core.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ledger_core.h"

#define PARSE(s, r) cl_rate_parse((s), strlen(s), (r))

/* Rates as numeric writes them, held exactly (or reported not to be). */
static void
test_rate_parse(void **state)
{
	static const struct
	{
		const char *text;
		ClLedgerStatus status;
		int64		digits;
		int			scale;
	}			cases[] = {
		{"1000", CL_LEDGER_OK, 1000, 0},
		{"0.125", CL_LEDGER_OK, 125, 3},
		/* trailing zeros after the point change nothing */
		{"12.500", CL_LEDGER_OK, 125, 1},
		{"7.000", CL_LEDGER_OK, 7, 0},
		/* but zeros of the integer part count */
		{"1000.0", CL_LEDGER_OK, 1000, 0},
		/* eighteen decimals are held, nineteen are not */
		{"0.000000000000000001", CL_LEDGER_OK, 1, 18},
		{"0.0000000000000000001", CL_LEDGER_UNREPRESENTABLE, 0, 0},
		{"0.00000000000000000010", CL_LEDGER_UNREPRESENTABLE, 0, 0},
		/* int64 digits are held, more are not */
		{"9223372036854775807", CL_LEDGER_OK, PG_INT64_MAX, 0},
		{"9223372036854775808", CL_LEDGER_UNREPRESENTABLE, 0, 0},
		{"922337203685477580.8", CL_LEDGER_UNREPRESENTABLE, 0, 0},
		{"100000000000000000000000000000", CL_LEDGER_UNREPRESENTABLE, 0, 0},
	};
	size_t		i;

	for (i = 0; i < lengthof(cases); i++)
	{
		ClRate		r = {-1, -1};

		assert_int_equal(PARSE(cases[i].text, &r), cases[i].status);
		if (cases[i].status != CL_LEDGER_OK)
			continue;
		assert_int_equal(r.digits, cases[i].digits);
		assert_int_equal(r.scale, cases[i].scale);
	}
}

/* What numeric can write that is not a plain positive decimal. */
static void
test_rate_parse_rejects(void **state)
{
	ClRate		r;

	assert_int_equal(PARSE("", &r), CL_LEDGER_SYNTAX);
	assert_int_equal(PARSE(".", &r), CL_LEDGER_SYNTAX);
	assert_int_equal(PARSE("NaN", &r), CL_LEDGER_SYNTAX);
	assert_int_equal(PARSE("Infinity", &r), CL_LEDGER_SYNTAX);
	assert_int_equal(PARSE("-1", &r), CL_LEDGER_SYNTAX);
	assert_int_equal(PARSE("+1", &r), CL_LEDGER_SYNTAX);
	assert_int_equal(PARSE("1e3", &r), CL_LEDGER_SYNTAX);
	assert_int_equal(PARSE("1.2.3", &r), CL_LEDGER_SYNTAX);
	assert_int_equal(PARSE(" 1", &r), CL_LEDGER_SYNTAX);
	/* an embedded NUL is not a digit */
	assert_int_equal(cl_rate_parse("1\0" "2", 3, &r), CL_LEDGER_SYNTAX);
	/* a syntax error after too many digits is still a syntax error */
	assert_int_equal(PARSE("99999999999999999999x", &r), CL_LEDGER_SYNTAX);
}

/* trunc(rate x grams / 1000) thousandths, never rounded up. */
static void
test_credits_for_grams(void **state)
{
	ClRate		r;
	int64		t;

	/* 1000 credits per tonne: 2 kg earn 2 credits */
	PARSE("1000", &r);
	assert_int_equal(cl_credits_for_grams(&r, 2000, &t), CL_LEDGER_OK);
	assert_int_equal(t, 2000);
	/* 250.5 per tonne: 3 kg earn 0.7515, truncated to 0.751 */
	PARSE("250.5", &r);
	assert_int_equal(cl_credits_for_grams(&r, 3000, &t), CL_LEDGER_OK);
	assert_int_equal(t, 751);
	/* 1 per tonne: 999 g earn 0.000999, that is 0 thousandths */
	PARSE("1", &r);
	assert_int_equal(cl_credits_for_grams(&r, 999, &t), CL_LEDGER_OK);
	assert_int_equal(t, 0);
	assert_int_equal(cl_credits_for_grams(&r, 1000, &t), CL_LEDGER_OK);
	assert_int_equal(t, 1);
	assert_int_equal(cl_credits_for_grams(&r, 0, &t), CL_LEDGER_OK);
	assert_int_equal(t, 0);
	/* a rate of eighteen decimals times the most grams: exact */
	PARSE("0.000000000000000003", &r);
	assert_int_equal(cl_credits_for_grams(&r, PG_INT64_MAX, &t),
					 CL_LEDGER_OK);
	/* 3 x 9223372036854775807 / 10^21 = 0.0276... */
	assert_int_equal(t, 0);
	PARSE("1000000", &r);
	assert_int_equal(cl_credits_for_grams(&r, 3000000000000LL, &t),
					 CL_LEDGER_OK);
	assert_int_equal(t, 3000000000000000LL);
}

/* Credits beyond int64 are reported, never wrapped. */
static void
test_credits_out_of_range(void **state)
{
	ClRate		r;
	int64		t;
	int64		earned;
	int64		uncapped;

	PARSE("9223372036854775807", &r);
	assert_int_equal(cl_credits_for_grams(&r, PG_INT64_MAX, &t),
					 CL_LEDGER_OUT_OF_RANGE);
	/* the overflow test's figures: 9e12 t at 1000 per tonne fit... */
	PARSE("1000", &r);
	assert_int_equal(cl_activity_credits(&r, 9000000000000000000LL,
										 9000000000000000000LL, 0,
										 &earned, &uncapped), CL_LEDGER_OK);
	assert_int_equal(earned, 9000000000000000000LL);
	/* ... twice do not, on the balance */
	assert_int_equal(cl_activity_credits(&r, 9000000000000000000LL,
										 9000000000000000000LL,
										 9000000000000000000LL,
										 &earned, &uncapped),
					 CL_LEDGER_OUT_OF_RANGE);
	/* at 2000 per tonne the activity itself is beyond range */
	PARSE("2000", &r);
	assert_int_equal(cl_activity_credits(&r, 9000000000000000000LL,
										 9000000000000000000LL, 0,
										 &earned, &uncapped),
					 CL_LEDGER_OUT_OF_RANGE);
	/* the uncapped credits count even when the cap leaves nothing */
	assert_int_equal(cl_activity_credits(&r, 9000000000000000000LL, 0, 0,
										 &earned, &uncapped),
					 CL_LEDGER_OUT_OF_RANGE);
	/* the largest balance takes nothing more, but 0 credits are fine */
	PARSE("1", &r);
	assert_int_equal(cl_activity_credits(&r, 999, 999, PG_INT64_MAX,
										 &earned, &uncapped), CL_LEDGER_OK);
	assert_int_equal(earned, 0);
	assert_int_equal(cl_activity_credits(&r, 1000, 1000, PG_INT64_MAX,
										 &earned, &uncapped),
					 CL_LEDGER_OUT_OF_RANGE);
}

/* The part of a reduction within the daily cap. */
static void
test_cap_eligible(void **state)
{
	assert_int_equal(cl_cap_eligible(2000, false, 0, 0), 2000);
	/* 5 kg a day: 2 kg after 2 kg all count, after 4 kg only 1 kg */
	assert_int_equal(cl_cap_eligible(2000, true, 5000, 2000), 2000);
	assert_int_equal(cl_cap_eligible(2000, true, 5000, 4000), 1000);
	assert_int_equal(cl_cap_eligible(2000, true, 5000, 5000), 0);
	/* a cap of 0 grants nothing */
	assert_int_equal(cl_cap_eligible(2000, true, 0, 0), 0);
	/* extremes do not overflow */
	assert_int_equal(cl_cap_eligible(PG_INT64_MAX, true, PG_INT64_MAX, 0),
					 PG_INT64_MAX);
	assert_int_equal(cl_cap_eligible(PG_INT64_MAX, true, PG_INT64_MAX,
									 PG_INT64_MAX), 0);
}

/* Lots give what they have, until the redemption has enough. */
static void
test_lot_take(void **state)
{
	const int64 lots[] = {300, 0, -5, 1000, 700};
	const int64 expect[] = {300, 0, 0, 900, 0};
	int64		taken = 0;
	size_t		i;

	for (i = 0; i < lengthof(lots); i++)
	{
		int64		take = cl_lot_take(lots[i], 1200, taken);

		assert_int_equal(take, expect[i]);
		taken += take;
	}
	assert_int_equal(taken, 1200);
	/* not enough anywhere: all of every lot */
	assert_int_equal(cl_lot_take(500, 1200, 0), 500);
	assert_int_equal(cl_lot_take(PG_INT64_MAX, PG_INT64_MAX, 0),
					 PG_INT64_MAX);
	assert_int_equal(cl_lot_take(1, PG_INT64_MAX, PG_INT64_MAX), 0);
}

/* Lots found by id, swept when expired with credits left, spent in order. */
static void
test_lots(void **state)
{
	/* now = 100; lot 7 expired with credits, lot 3 expired empty */
	ClLot		lots[] = {
		{.lot_id = 9, .expires_at = 300, .earned_at = 10, .remaining = 500},
		{.lot_id = 7, .expires_at = 100, .earned_at = 5, .remaining = 40},
		{.lot_id = 3, .expires_at = 50, .earned_at = 1, .remaining = 0},
		{.lot_id = 5, .expires_at = 300, .earned_at = 20, .remaining = 200},
		{.lot_id = 4, .expires_at = 200, .earned_at = 90, .remaining = 100},
		{.lot_id = 8, .expires_at = 200, .earned_at = 95, .remaining = 1000},
	};
	size_t		n = lengthof(lots);
	ClLot	   *found;
	int64		taken;

	cl_lots_sort_by_id(lots, n);
	found = cl_lots_find(lots, n, 7);
	assert_non_null(found);
	assert_int_equal(found->remaining, 40);
	assert_null(cl_lots_find(lots, n, 6));
	assert_null(cl_lots_find(lots, 0, 7));

	assert_true(cl_lots_need_sweep(lots, n, 100));
	found->remaining = 0;		/* written off */
	assert_false(cl_lots_need_sweep(lots, n, 100));

	/*
	 * redeemed at 92: lot 8 (earned at 95) is out of reach; lot 4 expires
	 * first, then lots 5 and 9 (same expiry, lower id first)
	 */
	taken = cl_lots_allocate(lots, n, 100, 92, 350);
	assert_int_equal(taken, 350);
	assert_int_equal(lots[0].lot_id, 3);
	assert_int_equal(lots[1].lot_id, 7);
	assert_int_equal(lots[2].lot_id, 4);
	assert_int_equal(lots[2].take, 100);
	assert_int_equal(lots[3].lot_id, 8);
	assert_int_equal(lots[3].take, 0);
	assert_int_equal(lots[4].lot_id, 5);
	assert_int_equal(lots[4].take, 200);
	assert_int_equal(lots[5].lot_id, 9);
	assert_int_equal(lots[5].take, 50);

	/* not enough: everything within reach, and the shortfall reported */
	taken = cl_lots_allocate(lots, n, 100, 92, 2000);
	assert_int_equal(taken, 800);
	/* at the expiry instant a lot is no longer spendable */
	taken = cl_lots_allocate(lots, n, 300, 1000, 2000);
	assert_int_equal(taken, 0);
	assert_int_equal(cl_lots_allocate(NULL, 0, 0, 0, 1), 0);
}

/* the look-alikes of a kind are refused, ordinary kinds accepted */
static void
test_kind_check(void **state)
{
	static const struct
	{
		const char *kind;
		ClKindProblem problem;
		uint32		offending;
	}			cases[] = {
		{"bus", CL_KIND_OK, 0},
		{"public transport", CL_KIND_OK, 0},
		{"green_commute-2", CL_KIND_OK, 0},
		{"\xe5\x85\xac\xe4\xba\xa4", CL_KIND_OK, 0},	/* 公交 */
		{"caf" "\xc3\xa9", CL_KIND_OK, 0},	/* café */
		{"", CL_KIND_EMPTY, 0},
		{" bus", CL_KIND_EDGE_SPACE, ' '},
		{"bus ", CL_KIND_EDGE_SPACE, ' '},
		{" ", CL_KIND_EDGE_SPACE, ' '},
		{"public  transport", CL_KIND_SPACE_RUN, ' '},
		{"bus\t", CL_KIND_INVISIBLE, '\t'},
		{"b\x7fus", CL_KIND_INVISIBLE, 0x7F},
		{"bus\xc2\xa0", CL_KIND_INVISIBLE, 0xA0},	/* no-break space */
		{"b\xc2\xadus", CL_KIND_INVISIBLE, 0xAD},	/* soft hyphen */
		{"bus\xe2\x80\x8b", CL_KIND_INVISIBLE, 0x200B},	/* zero width */
		{"\xe2\x80\x8e" "bus", CL_KIND_INVISIBLE, 0x200E},	/* LRM */
		{"bus\xe2\x81\xa0", CL_KIND_INVISIBLE, 0x2060},	/* word joiner */
		{"\xef\xbb\xbf" "bus", CL_KIND_INVISIBLE, 0xFEFF},	/* BOM */
		{"bus\xe3\x80\x80", CL_KIND_INVISIBLE, 0x3000},	/* ideographic space */
		{"bus\xef\xb8\x8f", CL_KIND_INVISIBLE, 0xFE0F},	/* selector */
		{"bus\xf3\xa0\x80\x81", CL_KIND_INVISIBLE, 0xE0001},	/* tag */
		{"\xef\xbd\x82" "us", CL_KIND_FULLWIDTH, 0xFF42},	/* full-width b */
		{"bus\xef\xbc\x91", CL_KIND_FULLWIDTH, 0xFF11},	/* full-width 1 */
		{"bus\xc3", CL_KIND_BAD_UTF8, 0},
		{"bus\xc0\xa0", CL_KIND_BAD_UTF8, 0},	/* overlong */
		{"\xed\xa0\x80", CL_KIND_BAD_UTF8, 0},	/* surrogate */
		{"\xf4\x90\x80\x80", CL_KIND_BAD_UTF8, 0},	/* beyond U+10FFFF */
		{"\xff", CL_KIND_BAD_UTF8, 0},
	};

	for (size_t i = 0; i < lengthof(cases); i++)
	{
		uint32		offending = 12345;
		ClKindProblem got = cl_kind_check(cases[i].kind,
										  strlen(cases[i].kind),
										  &offending);

		if (got != cases[i].problem ||
			(got != CL_KIND_BAD_UTF8 && offending != cases[i].offending))
			fail_msg("kind case %zu: problem %d offending U+%04X, expected %d U+%04X",
					 i, (int) got, (unsigned) offending,
					 (int) cases[i].problem, (unsigned) cases[i].offending);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_parse),
		cmocka_unit_test(test_rate_parse_rejects),
		cmocka_unit_test(test_credits_for_grams),
		cmocka_unit_test(test_credits_out_of_range),
		cmocka_unit_test(test_cap_eligible),
		cmocka_unit_test(test_lot_take),
		cmocka_unit_test(test_lots),
		cmocka_unit_test(test_kind_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
