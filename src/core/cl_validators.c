/*-------------------------------------------------------------------------
 *
 * cl_validators.c
 *	  Check-digit validators: USCC (GB 32100-2015) and its embedded
 *	  organisation code (GB 11714), resident identity number (GB 11643,
 *	  ISO 7064 MOD 11-2), the shape of a GB/T 2260 division code, and the
 *	  Luhn check of bank card numbers.
 *
 * Pure functions over (pointer, length): no allocation, no server calls.
 * Anything malformed is simply invalid; nothing here can fail otherwise.
 *
 * src/core/cl_validators.c
 *
 *-------------------------------------------------------------------------
 */
#include "cl_port.h"

#include "cl_validators.h"

/*
 * The 31 characters of GB 32100-2015, in value order: the digits, then the
 * capital letters without I, O, S, V and Z.
 */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Weights of positions 1 to 17 of a USCC: 3^(i-1) mod 31. */
static const int uscc_weights[17] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};

/* Weights of positions 1 to 8 of an organisation code (GB 11714). */
static const int orgcode_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* Weights of positions 1 to 17 of a resident ID (ISO 7064 MOD 11-2). */
static const int resident_weights[17] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
};

/*
 * Registration authorities of GB 32100-2015 (position 1) and, for each, the
 * organisation types it registers (position 2).
 */
static const struct
{
	char		authority;
	const char *types;
}			uscc_authorities[] = {
	{'1', "1239"},				/* institutional establishment */
	{'2', "19"},				/* foreign affairs */
	{'3', "1234569"},			/* judicial administration */
	{'4', "19"},				/* culture */
	{'5', "1239"},				/* civil affairs */
	{'6', "129"},				/* tourism */
	{'7', "129"},				/* religious affairs */
	{'8', "19"},				/* trade unions */
	{'9', "123"},				/* industry and commerce */
	{'A', "19"},				/* the armed forces */
	{'N', "1239"},				/* agriculture */
	{'Y', "1"},					/* other authorities */
};

/*
 * cl_uscc_char_value
 *		Value 0..30 of a character of the USCC alphabet, -1 for any other
 *		byte (lowercase, I O S V Z, punctuation, non-ASCII).
 */
int
cl_uscc_char_value(char c)
{
	int			i;

	for (i = 0; i < 31; i++)
		if (uscc_alphabet[i] == c)
			return i;
	return -1;
}

/*
 * cl_uscc_check_char
 *		The check character (position 18) of the 17 characters at s, or '\0'
 *		if one of them is outside the alphabet.
 */
char
cl_uscc_check_char(const char *s)
{
	int			sum = 0;
	int			i;

	for (i = 0; i < 17; i++)
	{
		int			v = cl_uscc_char_value(s[i]);

		if (v < 0)
			return '\0';
		sum += v * uscc_weights[i];
	}
	return uscc_alphabet[(31 - sum % 31) % 31];
}

/*
 * orgcode_char_value
 *		Value of a character of an organisation code body: digits 0..9,
 *		capital letters A=10 to Z=35; -1 otherwise.
 */
static int
orgcode_char_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

/*
 * cl_orgcode_check_char
 *		The check character (position 9) of the 8 characters at s: 11 minus
 *		the weighted sum mod 11, written 'X' for 10 and '0' for 11; '\0' if
 *		a character is not a digit or capital letter.
 */
char
cl_orgcode_check_char(const char *s)
{
	int			sum = 0;
	int			i;
	int			c;

	for (i = 0; i < 8; i++)
	{
		int			v = orgcode_char_value(s[i]);

		if (v < 0)
			return '\0';
		sum += v * orgcode_weights[i];
	}
	c = 11 - sum % 11;
	if (c == 10)
		return 'X';
	if (c == 11)
		return '0';
	return (char) ('0' + c);
}

/*
 * cl_orgcode_is_valid
 *		A 9-character organisation code (GB 11714) with a correct check
 *		character.
 */
bool
cl_orgcode_is_valid(const char *s, size_t len)
{
	char		c;

	if (len != CL_ORGCODE_LEN)
		return false;
	c = cl_orgcode_check_char(s);
	return c != '\0' && c == s[8];
}

/*
 * uscc_type_is_valid
 *		Whether position 1 names a registration authority and position 2 an
 *		organisation type that authority registers.
 */
static bool
uscc_type_is_valid(char authority, char type)
{
	size_t		i;

	for (i = 0; i < lengthof(uscc_authorities); i++)
		if (uscc_authorities[i].authority == authority)
			return type != '\0' &&
				strchr(uscc_authorities[i].types, type) != NULL;
	return false;
}

/*
 * cl_uscc_is_valid
 *		An 18-character Unified Social Credit Code: alphabet, registration
 *		authority and organisation type, six-digit region field, the
 *		organisation code's own check and the MOD 31 check character.
 */
bool
cl_uscc_is_valid(const char *s, size_t len)
{
	size_t		i;

	if (len != CL_USCC_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (cl_uscc_char_value(s[i]) < 0)
			return false;
	if (!uscc_type_is_valid(s[0], s[1]))
		return false;
	if (!cl_gb2260_is_wellformed(s + 2, CL_GB2260_LEN))
		return false;
	if (!cl_orgcode_is_valid(s + 8, CL_ORGCODE_LEN))
		return false;
	return cl_uscc_check_char(s) == s[17];
}

/*
 * cl_date_is_valid
 *		Whether year-month-day is a date of the Gregorian calendar.
 */
bool
cl_date_is_valid(int year, int month, int day)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			last;

	if (month < 1 || month > 12 || day < 1)
		return false;
	last = mdays[month - 1];
	if (month == 2 &&
		((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		last = 29;
	return day <= last;
}

/*
 * digits_value
 *		Value of the n ASCII digits at s, or -1 if one is not a digit.
 */
static int
digits_value(const char *s, int n)
{
	int			v = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * cl_resident_id_check_char
 *		ISO 7064 MOD 11-2 check character of the 17 digits at s ('X' for
 *		10), or '\0' if one is not a digit.
 */
char
cl_resident_id_check_char(const char *s)
{
	static const char checks[] = "10X98765432";
	int			sum = 0;
	int			i;

	for (i = 0; i < 17; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return '\0';
		sum += (s[i] - '0') * resident_weights[i];
	}
	return checks[sum % 11];
}

/*
 * cl_resident_id_is_valid
 *		An 18-character resident identity number: six-digit region field
 *		whose province part names a province-level division, a real birth
 *		date (YYYYMMDD, years 1800 to 9999), a sequence number and the
 *		MOD 11-2 check character (uppercase X only).
 */
bool
cl_resident_id_is_valid(const char *s, size_t len)
{
	static const int provinces[] = {
		11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
		41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
		71, 81, 82, 83
	};
	int			province;
	int			year;
	int			month;
	int			day;
	bool		known = false;
	size_t		i;
	char		c;

	if (len != CL_RESIDENT_ID_LEN)
		return false;
	c = cl_resident_id_check_char(s);
	if (c == '\0' || c != s[17])
		return false;

	province = digits_value(s, 2);
	for (i = 0; i < lengthof(provinces); i++)
		if (provinces[i] == province)
			known = true;
	if (!known || digits_value(s + 2, 4) < 0)
		return false;

	year = digits_value(s + 6, 4);
	month = digits_value(s + 10, 2);
	day = digits_value(s + 12, 2);
	if (year < 1800)
		return false;
	return cl_date_is_valid(year, month, day);
}

/*
 * cl_gb2260_is_wellformed
 *		Six ASCII digits (the shape of a division code; whether the code
 *		exists is a question for the region table).
 */
bool
cl_gb2260_is_wellformed(const char *s, size_t len)
{
	return len == CL_GB2260_LEN && digits_value(s, CL_GB2260_LEN) >= 0;
}

/*
 * cl_luhn_is_valid
 *		A bank card number: 8 to 19 ASCII digits (the lengths ISO/IEC 7812-1
 *		allows a primary account number) passing the Luhn (mod 10) check.
 *		No spaces or dashes are accepted.
 */
bool
cl_luhn_is_valid(const char *s, size_t len)
{
	int			sum = 0;
	size_t		i;

	if (len < CL_LUHN_MIN_LEN || len > CL_LUHN_MAX_LEN)
		return false;
	for (i = 0; i < len; i++)
	{
		char		ch = s[len - 1 - i];
		int			d;

		if (ch < '0' || ch > '9')
			return false;
		d = ch - '0';
		if (i % 2 == 1)
		{
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}
