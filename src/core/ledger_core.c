/*-------------------------------------------------------------------------
 *
 * ledger_core.c
 *	  Server-independent arithmetic of the ledger's bookings.
 *
 * An activity earns trunc(credits_per_tonne x grams / 1000) thousandths
 * of a credit (grams / 10^6 tonnes, credits in thousandths), for the part
 * of its reduction within the daily cap of its kind; a redemption takes
 * its credits from lots in the order the glue reads them (soonest to
 * expire first).  Everything is exact: the rate is held as an integer and
 * a power of ten, products in 128 bits, and any result beyond int64 is
 * reported, never wrapped or rounded.
 *
 * src/core/ledger_core.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include "ledger_core.h"

/* port.h maps qsort to libpgport's, which unit tests and fuzzers lack */
#ifdef CARBON_LEDGER_STANDALONE
#undef qsort
#endif

/*
 * cl_rate_parse: reads a rate as numeric's output writes it ("1000",
 * "0.125", "12.50"): digits, optionally a point and more digits, nothing
 * else.  A rate with more than CL_RATE_MAX_SCALE decimals (trailing zeros
 * do not count) or more than int64 digits is CL_LEDGER_UNREPRESENTABLE
 * (the glue then computes with numeric); anything else that is not such a
 * decimal (a sign, NaN, Infinity, an exponent, an empty string) is
 * CL_LEDGER_SYNTAX.
 */
ClLedgerStatus
cl_rate_parse(const char *str, size_t len, ClRate *rate)
{
	int64		digits = 0;
	int			scale = 0;
	bool		any = false;
	bool		point = false;
	bool		too_big = false;
	size_t		i;
	size_t		end = len;

	/* trailing zeros after a point change nothing: drop them */
	if (memchr(str, '.', len) != NULL)
	{
		while (end > 0 && str[end - 1] == '0')
			end--;
		if (end > 0 && str[end - 1] == '.')
			end--;
	}

	for (i = 0; i < len; i++)
	{
		char		c = str[i];

		if (c == '.' && !point)
		{
			point = true;
			continue;
		}
		if (c < '0' || c > '9')
			return CL_LEDGER_SYNTAX;
		any = true;
		if (i >= end || too_big)
			continue;
		if (point)
			scale++;
		if (scale > CL_RATE_MAX_SCALE ||
			pg_mul_s64_overflow(digits, 10, &digits) ||
			pg_add_s64_overflow(digits, c - '0', &digits))
			too_big = true;
	}
	if (!any)
		return CL_LEDGER_SYNTAX;
	if (too_big)
		return CL_LEDGER_UNREPRESENTABLE;
	rate->digits = digits;
	rate->scale = scale;
	return CL_LEDGER_OK;
}

/*
 * cl_credits_for_grams: thousandths of a credit earned by grams at rate,
 * truncated: trunc(digits x grams / 10^(scale + 3)).  grams must not be
 * negative.  CL_LEDGER_OUT_OF_RANGE when the result exceeds int64.
 */
ClLedgerStatus
cl_credits_for_grams(const ClRate *rate, int64 grams, int64 *thousandths)
{
	int128		product = (int128) rate->digits * (int128) grams;
	int128		divisor = 1000;
	int			i;

	Assert(grams >= 0 && rate->digits >= 0);
	for (i = 0; i < rate->scale; i++)
		divisor *= 10;
	product /= divisor;
	if (product > (int128) PG_INT64_MAX)
		return CL_LEDGER_OUT_OF_RANGE;
	*thousandths = (int64) product;
	return CL_LEDGER_OK;
}

/*
 * cl_cap_eligible: the grams of an activity that earn credits under a
 * daily cap, given the grams already used that day (the glue passes
 * least(used, cap), so that the difference cannot overflow): all of them
 * when uncapped, else least(grams, greatest(cap - used, 0)).
 */
int64
cl_cap_eligible(int64 grams, bool capped, int64 cap, int64 used)
{
	int64		room;

	if (!capped)
		return grams;
	if (used >= cap)
		return 0;
	room = cap - used;
	return grams < room ? grams : room;
}

/*
 * cl_activity_credits: the credits of an activity (earned, for the
 * eligible grams) and what the whole reduction would have earned
 * (uncapped); CL_LEDGER_OUT_OF_RANGE when either exceeds int64 or the
 * earned credits would take balance beyond it.
 */
ClLedgerStatus
cl_activity_credits(const ClRate *rate, int64 grams, int64 eligible,
					int64 balance, int64 *earned, int64 *uncapped)
{
	int64		sum;

	if (cl_credits_for_grams(rate, grams, uncapped) != CL_LEDGER_OK ||
		cl_credits_for_grams(rate, eligible, earned) != CL_LEDGER_OK ||
		pg_add_s64_overflow(balance, *earned, &sum))
		return CL_LEDGER_OUT_OF_RANGE;
	return CL_LEDGER_OK;
}

/*
 * cl_lot_take: what a redemption wanting want thousandths, of which taken
 * are already found, takes from a lot with remaining left: nothing from an
 * empty lot, else as much as it has up to what is still wanted.
 */
int64
cl_lot_take(int64 remaining, int64 want, int64 taken)
{
	int64		still = want - taken;

	if (remaining <= 0 || still <= 0)
		return 0;
	return remaining < still ? remaining : still;
}

/* qsort comparators: by lot_id; by expiry, then lot_id */
static int
lot_id_cmp(const void *a, const void *b)
{
	const ClLot *x = a;
	const ClLot *y = b;

	return (x->lot_id > y->lot_id) - (x->lot_id < y->lot_id);
}

static int
lot_expiry_cmp(const void *a, const void *b)
{
	const ClLot *x = a;
	const ClLot *y = b;

	if (x->expires_at != y->expires_at)
		return (x->expires_at > y->expires_at) - (x->expires_at < y->expires_at);
	return lot_id_cmp(a, b);
}

/* cl_lots_sort_by_id: sorts lots by lot_id, for cl_lots_find */
void
cl_lots_sort_by_id(ClLot *lots, size_t n)
{
	if (n > 1)
		qsort(lots, n, sizeof(ClLot), lot_id_cmp);
}

/* cl_lots_find: the lot of lots (sorted by lot_id) with lot_id, or NULL */
ClLot *
cl_lots_find(ClLot *lots, size_t n, int64 lot_id)
{
	ClLot		key;

	if (n == 0)
		return NULL;
	key.lot_id = lot_id;
	return bsearch(&key, lots, n, sizeof(ClLot), lot_id_cmp);
}

/*
 * cl_lots_need_sweep: whether a lot has expired by now with credits left
 * in it, which the redemption must write off first.
 */
bool
cl_lots_need_sweep(const ClLot *lots, size_t n, int64 now)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (lots[i].expires_at <= now && lots[i].remaining > 0)
			return true;
	return false;
}

/*
 * cl_lots_allocate: takes want thousandths from the lots earned by
 * redeemed_at and not expired by now, the soonest to expire first (then
 * the oldest lot), as much of each as it has; sets each lot's take and
 * leaves lots sorted in that order; returns what was found (less than
 * want when the lots do not suffice: the glue then refuses).
 */
int64
cl_lots_allocate(ClLot *lots, size_t n, int64 now, int64 redeemed_at,
				 int64 want)
{
	int64		taken = 0;
	size_t		i;

	if (n > 1)
		qsort(lots, n, sizeof(ClLot), lot_expiry_cmp);
	for (i = 0; i < n; i++)
	{
		lots[i].take = 0;
		if (lots[i].expires_at <= now || lots[i].earned_at > redeemed_at)
			continue;
		lots[i].take = cl_lot_take(lots[i].remaining, want, taken);
		taken += lots[i].take;
	}
	return taken;
}

/*
 * utf8_next: decodes the code point at s[*i] (len bytes in all) and moves
 * *i past it; false for a malformed, overlong or surrogate sequence.
 */
static bool
utf8_next(const unsigned char *s, size_t len, size_t *i, uint32 *cp)
{
	unsigned char c = s[*i];
	int			n;
	uint32		v;
	uint32		min;

	if (c < 0x80)
	{
		*cp = c;
		(*i)++;
		return true;
	}
	if ((c & 0xE0) == 0xC0)
		n = 1, v = c & 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		n = 2, v = c & 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		n = 3, v = c & 0x07, min = 0x10000;
	else
		return false;
	if (len - *i <= (size_t) n)
		return false;
	for (int k = 1; k <= n; k++)
	{
		unsigned char cc = s[*i + k];

		if ((cc & 0xC0) != 0x80)
			return false;
		v = (v << 6) | (cc & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return false;
	*cp = v;
	*i += n + 1;
	return true;
}

/*
 * invisible: whether a code point is one a person reading a kind would
 * not see, or would see as an ordinary space: C0 and C1 controls, DEL,
 * Unicode's white space other than the ASCII space, and its default
 * ignorable and format characters (soft hyphen, zero-width space and
 * joiners, directional marks, word joiner, byte order mark, Hangul
 * fillers, variation selectors, tags).
 */
static bool
invisible(uint32 c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD ||
		c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 ||
		c == 0x1680 || c == 0x17B4 || c == 0x17B5 ||
		(c >= 0x180B && c <= 0x180F) ||
		(c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
		(c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0x3164 ||
		(c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0xFFA0 ||
		(c >= 0xFFF0 && c <= 0xFFFB) || (c >= 0xE0000 && c <= 0xE0FFF);
}

/*
 * cl_kind_check: whether an activity kind of len bytes is free of what
 * would let a look-alike escape a daily cap: empty, a space at either end
 * or two in a row, an invisible character (above), or a full-width form
 * of an ASCII character (U+FF01 to U+FF5E, which read as the ASCII ones).
 * Spaces inside a kind ("public transport") are fine.  *offending is set
 * to the code point at fault where there is one.
 */
ClKindProblem
cl_kind_check(const char *s, size_t len, uint32 *offending)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0;
	uint32		prev = 0;

	*offending = 0;
	if (len == 0)
		return CL_KIND_EMPTY;
	while (i < len)
	{
		uint32		c;

		if (!utf8_next(u, len, &i, &c))
			return CL_KIND_BAD_UTF8;
		*offending = c;
		if (invisible(c))
			return CL_KIND_INVISIBLE;
		if (c >= 0xFF01 && c <= 0xFF5E)
			return CL_KIND_FULLWIDTH;
		if (c == ' ' && (prev == 0 || i == len))
			return CL_KIND_EDGE_SPACE;
		if (c == ' ' && prev == ' ')
			return CL_KIND_SPACE_RUN;
		prev = c;
	}
	*offending = 0;
	return CL_KIND_OK;
}
