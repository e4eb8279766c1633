/*-------------------------------------------------------------------------
 *
 * ledger_core.h
 *	  Server-independent arithmetic of the ledger's bookings: a programme's
 *	  credit rate, the credits an activity earns within its daily cap, and
 *	  how a redemption takes its credits from lots.
 *
 * Amounts are int64 counts of grams (tco2e) and of thousandths of a
 * credit (carbon_credit), as the types hold them.  The glue in
 * src/ledger.c reads them from the rows and raises the errors.
 *
 * src/core/ledger_core.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LEDGER_CORE_H
#define LEDGER_CORE_H

#include "cl_port.h"

/* outcome of a ledger computation */
typedef enum ClLedgerStatus
{
	CL_LEDGER_OK = 0,
	CL_LEDGER_OUT_OF_RANGE,		/* a result beyond int64 */
	CL_LEDGER_UNREPRESENTABLE,	/* rate not exact as int64 / 10^scale */
	CL_LEDGER_SYNTAX			/* rate text is not a plain decimal */
} ClLedgerStatus;

/* most decimals of a rate held exactly; more go the slow, numeric way */
#define CL_RATE_MAX_SCALE 18

/* a programme's credits per tonne: digits / 10^scale, exactly */
typedef struct ClRate
{
	int64		digits;			/* >= 0 */
	int			scale;			/* 0 .. CL_RATE_MAX_SCALE */
} ClRate;

extern ClLedgerStatus cl_rate_parse(const char *str, size_t len,
									ClRate *rate);
extern ClLedgerStatus cl_credits_for_grams(const ClRate *rate, int64 grams,
										   int64 *thousandths);
extern int64 cl_cap_eligible(int64 grams, bool capped, int64 cap,
							 int64 used);
extern ClLedgerStatus cl_activity_credits(const ClRate *rate, int64 grams,
										  int64 eligible, int64 balance,
										  int64 *earned, int64 *uncapped);
extern int64 cl_lot_take(int64 remaining, int64 want, int64 taken);

/*
 * A credit lot of an account as a redemption sees it: times are
 * TimestampTz values (microseconds), remaining is in thousandths (earned,
 * less allocations, less write-offs); take is what the redemption takes.
 */
typedef struct ClLot
{
	int64		lot_id;
	int64		expires_at;
	int64		earned_at;
	int64		remaining;
	int64		take;
} ClLot;

extern void cl_lots_sort_by_id(ClLot *lots, size_t n);
extern ClLot *cl_lots_find(ClLot *lots, size_t n, int64 lot_id);
extern bool cl_lots_need_sweep(const ClLot *lots, size_t n, int64 now);
extern int64 cl_lots_allocate(ClLot *lots, size_t n, int64 now,
							  int64 redeemed_at, int64 want);

/*
 * What keeps an activity kind (UTF-8) from being one that daily caps can
 * be matched against: a kind that looks like another to a person but
 * differs in its bytes would escape the other's cap.  Case is checked by
 * the glue (with the database's lower()), the rest here.
 */
typedef enum ClKindProblem
{
	CL_KIND_OK = 0,
	CL_KIND_EMPTY,				/* no characters at all */
	CL_KIND_EDGE_SPACE,			/* a space at the start or the end */
	CL_KIND_SPACE_RUN,			/* two spaces in a row */
	CL_KIND_INVISIBLE,			/* control, format or non-ASCII space */
	CL_KIND_FULLWIDTH,			/* a full-width form of an ASCII character */
	CL_KIND_BAD_UTF8			/* not UTF-8 */
} ClKindProblem;

extern ClKindProblem cl_kind_check(const char *s, size_t len,
								   uint32 *offending);

#endif							/* LEDGER_CORE_H */
