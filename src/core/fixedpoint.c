/*-------------------------------------------------------------------------
 *
 * fixedpoint.c
 *	  Exact parsing, formatting and arithmetic of fixed-point quantities
 *	  (tco2e in grams, carbon_credit in thousandths).
 *
 * The parser reads "[sign] number [unit]" exactly: it never converts
 * through binary floating point, accepts digit strings of any length and
 * exponents of any size, and reports a value finer than the unit of
 * account or outside int64 instead of rounding or wrapping.  It depends on
 * no locale: white space, digits and letters are ASCII, units are compared
 * byte for byte as UTF-8.
 *
 * src/core/fixedpoint.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include <string.h>

#include "fixedpoint.h"

/* A unit table entry; the length is computed at compile time */
#define FP_UNIT(name, exp10, rejected) {name, sizeof(name) - 1, exp10, rejected}

/*
 * Units of tco2e, in grams.  Symbols and words are case-sensitive.  The
 * rejected entries exist so that the error can say why they are refused.
 */
static const FpUnit tco2e_units[] = {
	FP_UNIT("g", 0, NULL),
	FP_UNIT("kg", 3, NULL),
	FP_UNIT("t", 6, NULL),
	FP_UNIT("kt", 9, NULL),
	FP_UNIT("Mt", 12, NULL),
	FP_UNIT("Gt", 15, NULL),
	FP_UNIT("gram", 0, NULL),
	FP_UNIT("grams", 0, NULL),
	FP_UNIT("kilogram", 3, NULL),
	FP_UNIT("kilograms", 3, NULL),
	FP_UNIT("tonne", 6, NULL),
	FP_UNIT("tonnes", 6, NULL),
	FP_UNIT("\xe5\x85\x8b", 0, NULL),	/* 克 */
	FP_UNIT("\xe5\x8d\x83\xe5\x85\x8b", 3, NULL),	/* 千克 */
	FP_UNIT("\xe5\x85\xac\xe6\x96\xa4", 3, NULL),	/* 公斤 */
	FP_UNIT("\xe5\x90\xa8", 6, NULL),	/* 吨 */
	FP_UNIT("\xe5\x8d\x83\xe5\x90\xa8", 9, NULL),	/* 千吨 */
	FP_UNIT("\xe4\xb8\x87\xe5\x90\xa8", 10, NULL),	/* 万吨 */
	FP_UNIT("\xe7\x99\xbe\xe4\xb8\x87\xe5\x90\xa8", 12, NULL),	/* 百万吨 */
	FP_UNIT("\xe4\xba\xbf\xe5\x90\xa8", 14, NULL),	/* 亿吨 */
	FP_UNIT("ton", 0, "\"ton\" is ambiguous: it may mean a short ton (907.18474 kg), a long ton (1016.0469088 kg) or a tonne (1000 kg)."),
	FP_UNIT("tons", 0, "\"tons\" is ambiguous: it may mean short tons (907.18474 kg), long tons (1016.0469088 kg) or tonnes (1000 kg)."),
	FP_UNIT("mt", 0, "\"mt\" is ambiguous: it may mean a metric ton (t) or a megatonne (Mt)."),
	FP_UNIT("MT", 0, "\"MT\" is ambiguous: it may mean a metric ton (t) or a megatonne (Mt)."),
	FP_UNIT("lb", 0, "\"lb\" (pound) is not a metric unit of mass."),
	FP_UNIT("lbs", 0, "\"lbs\" (pounds) is not a metric unit of mass."),
	{NULL, 0, 0, NULL}
};

/* Units of carbon_credit, in thousandths of a credit */
static const FpUnit credit_units[] = {
	FP_UNIT("cr", 3, NULL),
	FP_UNIT("credit", 3, NULL),
	FP_UNIT("credits", 3, NULL),
	{NULL, 0, 0, NULL}
};

const FpKind fp_tco2e_kind = {
	"tco2e", 6, 6, true, " tCO2e", 5, tco2e_units,
	"g, kg, t, kt, Mt, Gt (each optionally followed by CO2e), gram(s), "
	"kilogram(s), tonne(s), \xe5\x85\x8b, \xe5\x8d\x83\xe5\x85\x8b, "
	"\xe5\x85\xac\xe6\x96\xa4, \xe5\x90\xa8, \xe5\x8d\x83\xe5\x90\xa8, "
	"\xe4\xb8\x87\xe5\x90\xa8 (10^4 t), "
	"\xe7\x99\xbe\xe4\xb8\x87\xe5\x90\xa8 (10^6 t) and "
	"\xe4\xba\xbf\xe5\x90\xa8 (10^8 t); no unit means tonnes",
	"one gram", false
};

const FpKind fp_credit_kind = {
	"carbon_credit", 3, 3, false, "", 0, credit_units,
	"cr, credit and credits; no unit means credits",
	"one thousandth of a credit", true
};

/* Exponents beyond this are clamped: they are out of range anyway */
#define FP_EXP_CLAMP 1000000000

/* Returns true for the ASCII white space characters */
static inline bool
fp_isspace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

/* Returns true for an ASCII digit */
static inline bool
fp_isdigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Returns the ASCII lower-case form of c */
static inline unsigned char
fp_tolower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Does str[0..len) equal word, ignoring ASCII case? */
static bool
fp_equal_nocase(const char *str, size_t len, const char *word)
{
	size_t		wlen = strlen(word);

	if (len != wlen)
		return false;
	for (size_t i = 0; i < len; i++)
		if (fp_tolower((unsigned char) str[i]) !=
			fp_tolower((unsigned char) word[i]))
			return false;
	return true;
}

/*
 * Does str[0..len) spell unit u, optionally followed (after optional white
 * space) by "CO2e" when the kind allows it?  With nocase, letters are
 * compared ignoring ASCII case (used only to explain a rejection).
 */
static bool
fp_unit_matches(const FpKind *kind, const FpUnit *u, const char *str,
				size_t len, bool nocase)
{
	size_t		ulen = u->len;
	size_t		pos;

	if (len < ulen)
		return false;
	if (!nocase && str[0] != u->name[0])
		return false;			/* the common case, without a call */
	if (nocase ? !fp_equal_nocase(str, ulen, u->name)
		: memcmp(str, u->name, ulen) != 0)
		return false;
	if (len == ulen)
		return true;
	if (!kind->co2e_suffix)
		return false;
	pos = ulen;
	while (pos < len && fp_isspace((unsigned char) str[pos]))
		pos++;
	return nocase ? fp_equal_nocase(str + pos, len - pos, "co2e")
		: (len - pos == 4 && memcmp(str + pos, "CO2e", 4) == 0);
}

/*
 * Record in err that str[0..len) matched unit u, possibly in another case,
 * and how the CO2e suffix that may follow it is properly written, so that
 * a hint can name the whole unit meant ("kg CO2e" for "KG co2e").
 */
static void
fp_note_match(FpParseError *err, const FpUnit *u, const char *str,
			  size_t len)
{
	err->match = u;
	if (len == u->len)
		err->suffix = "";
	else
		err->suffix = fp_isspace((unsigned char) str[u->len]) ?
			" CO2e" : "CO2e";
}

/*
 * Look up the unit written in str[0..len) (no surrounding white space).
 * Sets *exp10 on success; on failure fills err and says why.
 */
static FpStatus
fp_lookup_unit(const FpKind *kind, const char *str, size_t len,
			   int *exp10, FpParseError *err)
{
	const FpUnit *u;

	err->unit = str;
	err->unit_len = len;
	err->match = NULL;
	err->suffix = "";

	for (u = kind->units; u->name != NULL; u++)
	{
		if (fp_unit_matches(kind, u, str, len, false))
		{
			if (u->rejected)
			{
				fp_note_match(err, u, str, len);
				return FP_AMBIGUOUS_UNIT;
			}
			*exp10 = u->exp10;
			return FP_OK;
		}
	}

	/*
	 * Not accepted as written.  In another case it may be a rejected unit
	 * ("Tons", "mT": explain the ambiguity rather than suggest "Mt"), or an
	 * accepted one with a case mistake.
	 */
	for (u = kind->units; u->name != NULL; u++)
	{
		if (u->rejected && fp_unit_matches(kind, u, str, len, true))
		{
			fp_note_match(err, u, str, len);
			return FP_AMBIGUOUS_UNIT;
		}
	}
	for (u = kind->units; u->name != NULL; u++)
	{
		if (fp_unit_matches(kind, u, str, len, true))
		{
			fp_note_match(err, u, str, len);
			return FP_WRONG_CASE_UNIT;
		}
	}
	return FP_UNKNOWN_UNIT;
}

/*
 * Public unit lookup (for tco2e_in_unit): the unit may be surrounded by
 * white space, and must not be empty.
 */
FpStatus
fp_unit_exp10(const FpKind *kind, const char *str, size_t len, int *exp10,
			  FpParseError *err)
{
	size_t		start = 0;

	while (start < len && fp_isspace((unsigned char) str[start]))
		start++;
	while (len > start && fp_isspace((unsigned char) str[len - 1]))
		len--;
	err->unit = str + start;
	err->unit_len = len - start;
	err->match = NULL;
	err->suffix = "";
	if (len == start)
		return FP_UNKNOWN_UNIT;
	return fp_lookup_unit(kind, str + start, len - start, exp10, err);
}

/*
 * The significant digits of a number being read: those up to the last
 * non-zero digit (leading zeros dropped), accumulated while there are at
 * most 19 of them, and the zeros seen after the last non-zero digit.
 */
typedef struct FpDigits
{
	uint64		mant;			/* the first (up to) 19 significant digits */
	int64		nsig;			/* number of significant digits */
	int64		pending_zeros;	/* zeros after the last non-zero digit */
} FpDigits;

/* Add one decimal digit c ('0'..'9') to d */
static inline void
fp_add_digit(FpDigits *d, char c)
{
	if (c == '0')
	{
		if (d->nsig > 0)
			d->pending_zeros++;
		return;
	}
	/* a non-zero digit: the pending zeros become significant */
	for (; d->pending_zeros > 0; d->pending_zeros--)
	{
		if (d->nsig < 19)
			d->mant *= 10;
		d->nsig++;
	}
	if (d->nsig < 19)
		d->mant = d->mant * 10 + (uint64) (c - '0');
	d->nsig++;
}

/*
 * Parse "[sign] number [unit]" from str[0..len) (which need not be
 * terminated) into *result units of account.
 *
 * The number is read as a digit string M (leading zeros dropped, trailing
 * zeros counted separately) times a power of ten E, so that its value is
 * exact whatever its length.  Only the first 19 significant digits are
 * accumulated: a value with more can never be a whole int64 count.
 */
FpStatus
fp_parse(const FpKind *kind, const char *str, size_t len, int64 *result,
		 FpParseError *err)
{
	size_t		pos = 0;
	bool		negative = false;
	bool		any_digit;
	FpDigits	digits;
	size_t		start;
	int64		nfrac = 0;		/* digits after the decimal point */
	int64		exp10 = 0;
	int			unit_exp10;
	size_t		end;
	uint64		mant;

	memset(err, 0, sizeof(*err));
	err->suffix = "";

	while (pos < len && fp_isspace((unsigned char) str[pos]))
		pos++;
	if (pos < len && (str[pos] == '+' || str[pos] == '-'))
	{
		negative = (str[pos] == '-');
		pos++;
		while (pos < len && fp_isspace((unsigned char) str[pos]))
			pos++;
	}

	/* NaN and infinity are named so that the error can say so */
	end = len;
	while (end > pos && fp_isspace((unsigned char) str[end - 1]))
		end--;
	if (pos < end && (fp_tolower((unsigned char) str[pos]) == 'n' ||
					  fp_tolower((unsigned char) str[pos]) == 'i') &&
		(fp_equal_nocase(str + pos, end - pos, "nan") ||
		 fp_equal_nocase(str + pos, end - pos, "inf") ||
		 fp_equal_nocase(str + pos, end - pos, "infinity")))
		return FP_NOT_FINITE;

	/* digits, an optional decimal point, more digits */
	digits.mant = 0;
	digits.nsig = 0;
	digits.pending_zeros = 0;
	start = pos;
	while (pos < len && fp_isdigit((unsigned char) str[pos]))
		fp_add_digit(&digits, str[pos++]);
	any_digit = (pos > start);
	if (pos < len && str[pos] == '.')
	{
		pos++;
		start = pos;
		while (pos < len && fp_isdigit((unsigned char) str[pos]))
			fp_add_digit(&digits, str[pos++]);
		nfrac = (int64) (pos - start);
		any_digit = any_digit || nfrac > 0;
	}
	if (!any_digit)
		return FP_SYNTAX;

	/* an optional exponent: e or E, an optional sign, digits */
	if (pos < len && (str[pos] == 'e' || str[pos] == 'E'))
	{
		size_t		p = pos + 1;
		bool		exp_negative = false;

		if (p < len && (str[p] == '+' || str[p] == '-'))
		{
			exp_negative = (str[p] == '-');
			p++;
		}
		if (p < len && fp_isdigit((unsigned char) str[p]))
		{
			for (; p < len && fp_isdigit((unsigned char) str[p]); p++)
			{
				if (exp10 < FP_EXP_CLAMP)
					exp10 = exp10 * 10 + (str[p] - '0');
			}
			if (exp10 > FP_EXP_CLAMP)
				exp10 = FP_EXP_CLAMP;
			if (exp_negative)
				exp10 = -exp10;
			pos = p;
		}
	}

	/*
	 * The unit: whatever is left, without surrounding white space.  The
	 * number holds no white space, so it ended at or before "end".
	 */
	while (pos < end && fp_isspace((unsigned char) str[pos]))
		pos++;
	if (pos >= end)
		unit_exp10 = kind->default_exp10;
	else
	{
		unsigned char c = (unsigned char) str[pos];
		FpStatus	st;

		/* a unit starts with a letter or a non-ASCII character */
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80))
			return FP_SYNTAX;
		/* the unit of the output ("tCO2e"), as COPY reads it back, is fast */
		if (end - pos == kind->out_unit_len &&
			memcmp(str + pos, kind->out_suffix + 1, kind->out_unit_len) == 0)
			unit_exp10 = kind->default_exp10;
		else
		{
			st = fp_lookup_unit(kind, str + pos, end - pos, &unit_exp10, err);
			if (st != FP_OK)
				return st;
		}
	}

	/*
	 * A kind with strict decimals refuses a number written beyond its unit
	 * of account ("1.0000" credits), whatever the digits: a literal with
	 * more decimals than the type holds is a mistake of the writer even
	 * when they are zeros.  The exponent counts: "1.0000e1" is 10.000.
	 */
	if (kind->strict_decimals && nfrac - exp10 - unit_exp10 > 0)
		return FP_TOO_MANY_DECIMALS;

	if (digits.nsig == 0)
	{
		*result = 0;
		return FP_OK;
	}

	/*
	 * value = mant * 10^e, mant has nsig digits and no trailing zero, so it
	 * is a whole number of units of account iff e >= 0, and below 10^19 iff
	 * nsig + e <= 19.
	 */
	mant = digits.mant;
	exp10 += digits.pending_zeros - nfrac + unit_exp10;
	if (digits.nsig + exp10 > 19)
		return FP_OUT_OF_RANGE;
	if (exp10 < 0)
		return FP_TOO_FINE;
	for (; exp10 > 0; exp10--)
		mant *= 10;				/* stays below 10^19 < 2^64 */

	if (negative)
	{
		if (mant > (uint64) PG_INT64_MAX + 1)
			return FP_OUT_OF_RANGE;
		*result = (int64) (0 - mant);
	}
	else
	{
		if (mant > (uint64) PG_INT64_MAX)
			return FP_OUT_OF_RANGE;
		*result = (int64) mant;
	}
	return FP_OK;
}

/*
 * Write (negative ? -mag : mag) / 10^scale as a plain decimal with the
 * fewest digits that are exact (no exponent, no trailing zeros, no point
 * for whole numbers) into buf.  Returns the length.
 */
static size_t
fp_format_magnitude(bool negative, uint128 mag, int scale, char *buf)
{
	char		digits[48];
	int			ndigits = 0;
	size_t		n = 0;
	int			frac_end;

	do
	{
		digits[ndigits++] = '0' + (char) (mag % 10);
		mag /= 10;
	} while (mag > 0);
	/* pad so that there is at least one integer digit */
	while (ndigits <= scale)
		digits[ndigits++] = '0';

	if (negative)
		buf[n++] = '-';
	for (int i = ndigits - 1; i >= scale; i--)
		buf[n++] = digits[i];

	/* fraction digits are digits[scale-1 .. 0]; drop trailing zeros */
	frac_end = 0;
	while (frac_end < scale && digits[frac_end] == '0')
		frac_end++;
	if (frac_end < scale)
	{
		buf[n++] = '.';
		for (int i = scale - 1; i >= frac_end; i--)
			buf[n++] = digits[i];
	}
	buf[n] = '\0';
	return n;
}

/*
 * Write value / 10^scale as a plain decimal with the fewest digits that
 * are exact into buf, which has room for FP_FORMAT_MAX bytes.  Returns
 * the length.
 */
size_t
fp_format_plain(int64 value, int scale, char *buf)
{
	return fp_format_magnitude(value < 0,
							   value < 0 ? (uint64) 0 - (uint64) value :
							   (uint64) value,
							   scale, buf);
}

/*
 * Format a 128-bit count of units of account (a running sum) like
 * fp_format, into buf, which has room for FP_FORMAT128_MAX bytes: for
 * the messages of a total out of range.  Returns the length.
 */
size_t
fp_format128(const FpKind *kind, int128 value, char *buf)
{
	size_t		n;
	size_t		slen = strlen(kind->out_suffix);

	n = fp_format_magnitude(value < 0,
							value < 0 ? (uint128) 0 - (uint128) value :
							(uint128) value,
							kind->scale, buf);
	memcpy(buf + n, kind->out_suffix, slen + 1);
	return n + slen;
}

/*
 * Format a value of the given kind for output: the plain number in the
 * output unit followed by the kind's suffix.  Returns the length.
 */
size_t
fp_format(const FpKind *kind, int64 value, char *buf)
{
	size_t		n = fp_format_plain(value, kind->scale, buf);
	size_t		slen = strlen(kind->out_suffix);

	memcpy(buf + n, kind->out_suffix, slen + 1);
	return n + slen;
}

/* a + b, or FP_OUT_OF_RANGE */
FpStatus
fp_add(int64 a, int64 b, int64 *result)
{
	return pg_add_s64_overflow(a, b, result) ? FP_OUT_OF_RANGE : FP_OK;
}

/* a - b, or FP_OUT_OF_RANGE */
FpStatus
fp_sub(int64 a, int64 b, int64 *result)
{
	return pg_sub_s64_overflow(a, b, result) ? FP_OUT_OF_RANGE : FP_OK;
}

/* -a, or FP_OUT_OF_RANGE for the most negative value */
FpStatus
fp_neg(int64 a, int64 *result)
{
	return pg_sub_s64_overflow(0, a, result) ? FP_OUT_OF_RANGE : FP_OK;
}

/* |a|, or FP_OUT_OF_RANGE for the most negative value */
FpStatus
fp_abs(int64 a, int64 *result)
{
	if (a >= 0)
	{
		*result = a;
		return FP_OK;
	}
	return fp_neg(a, result);
}

/* a * b, or FP_OUT_OF_RANGE */
FpStatus
fp_mul(int64 a, int64 b, int64 *result)
{
	return pg_mul_s64_overflow(a, b, result) ? FP_OUT_OF_RANGE : FP_OK;
}

/* a * 10^exp10 (exp10 >= 0), or FP_OUT_OF_RANGE */
FpStatus
fp_scale_up(int64 a, int exp10, int64 *result)
{
	for (; exp10 > 0; exp10--)
		if (pg_mul_s64_overflow(a, 10, &a))
			return FP_OUT_OF_RANGE;
	*result = a;
	return FP_OK;
}

/*
 * n / d rounded half away from zero, in 128 bits; d must not be zero.
 */
static int128
fp_div_round128(int128 n, int128 d)
{
	int128		q = n / d;
	int128		r = n % d;
	int128		ar = r < 0 ? -r : r;
	int128		ad = d < 0 ? -d : d;

	/* |r| < |d| <= 2^64, so 2|r| cannot overflow */
	if (ar * 2 >= ad)
		q += ((n < 0) != (d < 0)) ? -1 : 1;
	return q;
}

/* Returns FP_OK and sets *result when v fits in int64 */
static FpStatus
fp_from_int128(int128 v, int64 *result)
{
	if (v < PG_INT64_MIN || v > PG_INT64_MAX)
		return FP_OUT_OF_RANGE;
	*result = (int64) v;
	return FP_OK;
}

/* a / b rounded half away from zero */
FpStatus
fp_div_round(int64 a, int64 b, int64 *result)
{
	if (b == 0)
		return FP_DIVISION_BY_ZERO;
	return fp_from_int128(fp_div_round128(a, b), result);
}

/* The sum held in a running state, if it fits */
FpStatus
fp_sum_result(const FpSumState *state, int64 *result)
{
	return fp_from_int128(state->sum, result);
}

/* The average of a running state (count > 0), rounded half away from 0 */
FpStatus
fp_avg_result(const FpSumState *state, int64 *result)
{
	if (state->count == 0)
		return FP_DIVISION_BY_ZERO;
	return fp_from_int128(fp_div_round128(state->sum, state->count), result);
}

/* Store v big-endian in 8 bytes */
static void
fp_put_u64(unsigned char *buf, uint64 v)
{
	for (int i = 7; i >= 0; i--)
	{
		buf[i] = (unsigned char) (v & 0xff);
		v >>= 8;
	}
}

/* Read 8 big-endian bytes */
static uint64
fp_get_u64(const unsigned char *buf)
{
	uint64		v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | buf[i];
	return v;
}

/*
 * Serialise a running state into FP_SUM_STATE_BYTES bytes: the count, then
 * the high and low halves of the sum, each big-endian.
 */
void
fp_sum_state_serialize(const FpSumState *state, unsigned char *buf)
{
	uint128		sum = (uint128) state->sum;

	fp_put_u64(buf, (uint64) state->count);
	fp_put_u64(buf + 8, (uint64) (sum >> 64));
	fp_put_u64(buf + 16, (uint64) sum);
}

/*
 * Read back a serialised running state; false when buf does not have the
 * exact length or holds a negative count.
 */
bool
fp_sum_state_deserialize(const unsigned char *buf, size_t len,
						 FpSumState *state)
{
	uint128		sum;

	if (len != FP_SUM_STATE_BYTES)
		return false;
	state->count = (int64) fp_get_u64(buf);
	if (state->count < 0)
		return false;
	sum = ((uint128) fp_get_u64(buf + 8) << 64) | fp_get_u64(buf + 16);
	state->sum = (int128) sum;
	return true;
}
