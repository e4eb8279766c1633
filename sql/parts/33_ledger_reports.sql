-- carbon_ledger install script, part 33: regional totals and the balance
-- check.

-- total_int8(value, what, whose): a total (grams or thousandths, summed as
-- numeric) as bigint for the types' from-functions; a total beyond bigint
-- raises 22003 naming the total, whose it is and the number, instead of a
-- bare "bigint out of range".
CREATE FUNCTION carbon_ledger.total_int8(p_value pg_catalog.numeric,
										 p_what pg_catalog.text,
										 p_whose pg_catalog.text)
RETURNS pg_catalog.int8
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF p_value > 9223372036854775807 OR p_value < -9223372036854775808 THEN
		RAISE EXCEPTION USING ERRCODE = '22003',
			MESSAGE = format('%s out of range', p_what),
			DETAIL = format('The %s of %s is %s, beyond what the type can hold (-9223372036854775808 to 9223372036854775807).',
							p_what, p_whose, p_value);
	END IF;
	RETURN p_value;
END
$$;

-- loan_balance(loan_no, on_date): outstanding principal of a green loan at
-- the end of a day: 0 before issue, principal less repayments up to then.
CREATE FUNCTION carbon_ledger.loan_balance(p_loan pg_catalog.text,
										   p_on pg_catalog.date)
RETURNS pg_catalog.numeric
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN (SELECT CASE WHEN g.issue_date > p_on THEN 0.00::pg_catalog.numeric
			ELSE g.principal - coalesce((
				SELECT sum(r.amount) FROM carbon_ledger.loan_repayment r
				WHERE r.loan_no = g.loan_no AND r.repaid_on <= p_on), 0) END
		FROM carbon_ledger.green_loan g WHERE g.loan_no = p_loan);
END
$$;
COMMENT ON FUNCTION carbon_ledger.loan_balance(pg_catalog.text, pg_catalog.date) IS
	'outstanding principal of a green loan at the end of a day (yuan)';

-- region_successor(code): where a retired code's area is today: the code
-- itself while in use (or when its fate is unknown or split), otherwise
-- its single successor, followed from period to period (542321 日喀则县 ->
-- 542301 日喀则市 -> 540202 桑珠孜区).  At most twenty steps, so that a
-- cycle in rows a bank added cannot loop.
CREATE FUNCTION carbon_ledger.region_successor(p_code pg_catalog.text)
RETURNS pg_catalog.text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cur			pg_catalog.text := p_code;
	heirs		pg_catalog.text[];
	retired		pg_catalog.int4;
BEGIN
	FOR hop IN 1 .. 20 LOOP
		SELECT r.retired_year, r.replaced_by INTO retired, heirs
		FROM carbon_ledger.region r WHERE r.code = cur
		ORDER BY r.first_year DESC LIMIT 1;
		EXIT WHEN NOT FOUND OR retired IS NULL
			OR pg_catalog.cardinality(heirs) IS DISTINCT FROM 1;
		cur := heirs[1];
	END LOOP;
	RETURN cur;
END
$$;
COMMENT ON FUNCTION carbon_ledger.region_successor(pg_catalog.text) IS
	'the code in use today for the area of a GB/T 2260 code (the code itself when in use, unknown or split)';

-- report_prefecture(code): the prefecture-level region a code is reported
-- under today: the prefecture of its successor (so that a loan booked in
-- 2013 under 542301 counts in 540200 日喀则市, not in the retired 542300
-- 日喀则地区); a retired prefecture with no successor of its own goes
-- where its counties went, when they all went to one prefecture.  NULL
-- for a province-level code (a municipality is its own prefecture).
CREATE FUNCTION carbon_ledger.report_prefecture(p_code pg_catalog.text)
RETURNS pg_catalog.text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	pref		pg_catalog.text;
	heirs		pg_catalog.text[];
BEGIN
	pref := @extschema@.gb2260_prefecture(carbon_ledger.region_successor(p_code));
	IF pref IS NULL OR @extschema@.gb2260_is_valid(pref) THEN
		RETURN pref;
	END IF;
	-- the counties it had when it was retired, and where each went
	SELECT pg_catalog.array_agg(DISTINCT h.pref) INTO heirs
	FROM (SELECT @extschema@.gb2260_prefecture(
					 carbon_ledger.region_successor(c.code)) AS pref
		  FROM carbon_ledger.region c
		  JOIN carbon_ledger.region p
			ON p.code = pref AND p.retired_year = c.retired_year
		  WHERE c.parent = pref AND c.code <> pref) h
	WHERE @extschema@.gb2260_is_valid(h.pref);
	IF pg_catalog.cardinality(heirs) = 1 THEN
		RETURN heirs[1];
	END IF;
	RETURN pref;
END
$$;
COMMENT ON FUNCTION carbon_ledger.report_prefecture(pg_catalog.text) IS
	'the prefecture-level region regional_summary reports a GB/T 2260 code under (NULL for a province)';

-- regional_summary(period_start, period_end): one row per prefecture-level
-- region (report_prefecture of the account, loan or loan book region)
-- plus a total row (region_code NULL), present with zeros even for an
-- empty ledger.  What is booked at province level has no row of its own:
-- it counts in the total row only.  A group's loan book figure is that of
-- the latest date on or before period_end among the codes reported there
-- (a retired code's older figure does not add to its successor's).  The
-- total row's loan book is, province by province, the province's own
-- figure or else the sum of its prefectures'; its green share is NULL
-- unless every green loan balance has a loan book figure over it.
-- Days are those of each account's programme time zone, so the result
-- never depends on the session's TimeZone.  STRICT: a NULL bound gives no
-- rows rather than a row of meaningless zeros.
CREATE FUNCTION carbon_ledger.regional_summary(period_start pg_catalog.date,
											   period_end pg_catalog.date)
RETURNS TABLE (
	region_code pg_catalog.text,
	region_name pg_catalog.text,
	region_name_en pg_catalog.text,
	accounts	pg_catalog.int8,
	new_accounts pg_catalog.int8,
	activities	pg_catalog.int8,
	reduction	@extschema@.tco2e,
	credits_earned @extschema@.carbon_credit,
	credits_redeemed @extschema@.carbon_credit,
	green_loan_balance pg_catalog.numeric,
	green_loan_balance_year_before pg_catalog.numeric,
	green_loan_yoy_growth pg_catalog.numeric,
	total_loan_balance pg_catalog.numeric,
	green_loan_share pg_catalog.numeric,
	carbon_reduction_loan_balance pg_catalog.numeric,
	carbon_reduction_attributed @extschema@.tco2e
)
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
-- The per-loan balance calls make the planner's estimate large enough for
-- JIT compilation, which then took seconds and cannot be cancelled
-- (test/sql/security_cancel.sql); the query gains nothing from it.
SET jit = off
AS $$
#variable_conflict use_column
BEGIN
	IF period_start > period_end THEN
		RAISE EXCEPTION USING ERRCODE = '22023',
			MESSAGE = 'period_start must not be after period_end',
			DETAIL = format('The period runs from %s to %s.',
							period_start, period_end);
	END IF;
	-- the period's bounds become times of each programme's zone, and the
	-- balance a year before its end is read: dates near the ends of the
	-- date type have neither
	IF period_start NOT BETWEEN '0001-01-01' AND '9999-12-31'
		AND pg_catalog.isfinite(period_start)
		OR period_end NOT BETWEEN '0001-01-01' AND '9999-12-31'
		AND pg_catalog.isfinite(period_end) THEN
		RAISE EXCEPTION USING ERRCODE = '22008',
			MESSAGE = 'report period out of range',
			DETAIL = format('The period runs from %s to %s.',
							period_start, period_end),
			HINT = 'Give dates from 0001-01-01 to 9999-12-31, or -infinity and infinity.';
	END IF;

	RETURN QUERY
WITH codes AS (
	SELECT a.region_code AS code FROM carbon_ledger.account a
	UNION SELECT g.region_code FROM carbon_ledger.green_loan g
	UNION SELECT b.region_code FROM carbon_ledger.loan_book b
), map AS (
	-- pref: the group (a prefecture, or the province of a province-level
	-- code); is_region: the group has a row of its own
	SELECT c.code,
		   coalesce(x.pref, x.prov) AS pref,
		   x.pref IS NOT NULL AS is_region,
		   pg_catalog.substr(coalesce(x.pref, x.prov), 1, 2) || '0000' AS prov
	FROM codes c,
		 LATERAL (SELECT carbon_ledger.report_prefecture(c.code) AS pref,
						 pg_catalog.substr(c.code, 1, 2) || '0000' AS prov) x
), acc AS (
	SELECT a.account_no, m.pref, a.opened_at, a.closed_at,
		   (period_start::pg_catalog.timestamp AT TIME ZONE p.time_zone) AS t0,
		   ((period_end + 1)::pg_catalog.timestamp AT TIME ZONE p.time_zone) AS t1
	FROM carbon_ledger.account a
	JOIN carbon_ledger.programme p USING (programme_id)
	JOIN map m ON m.code = a.region_code
), acc_sum AS (
	SELECT acc.pref,
		   count(*) FILTER (WHERE acc.opened_at < acc.t1
							AND (acc.closed_at IS NULL OR acc.closed_at >= acc.t1)) AS accounts,
		   count(*) FILTER (WHERE acc.opened_at >= acc.t0 AND acc.opened_at < acc.t1) AS new_accounts
	FROM acc GROUP BY acc.pref
), act_sum AS (
	SELECT acc.pref, count(*) AS activities,
		   sum(@extschema@.tco2e_grams(x.reduction)) AS grams,
		   sum(@extschema@.carbon_credit_thousandths(x.credits)) AS earned
	FROM carbon_ledger.activity x JOIN acc USING (account_no)
	WHERE x.occurred_at >= acc.t0 AND x.occurred_at < acc.t1
	GROUP BY acc.pref
), red_sum AS (
	SELECT acc.pref,
		   sum(CASE WHEN x.reverses IS NULL THEN 1 ELSE -1 END
			   * @extschema@.carbon_credit_thousandths(x.credits)) AS redeemed
	FROM carbon_ledger.redemption x JOIN acc USING (account_no)
	WHERE x.redeemed_at >= acc.t0 AND x.redeemed_at < acc.t1
	GROUP BY acc.pref
), loans AS (
	SELECT m.pref, g.carbon_reduction_loan, g.attributed_reduction,
		   carbon_ledger.loan_balance(g.loan_no, period_end) AS bal,
		   carbon_ledger.loan_balance(g.loan_no,
			   (period_end - '1 year'::pg_catalog.interval)::pg_catalog.date) AS bal_before
	FROM carbon_ledger.green_loan g JOIN map m ON m.code = g.region_code
), loan_sum AS (
	SELECT l.pref, sum(l.bal) AS bal, sum(l.bal_before) AS bal_before,
		   sum(l.bal) FILTER (WHERE l.carbon_reduction_loan) AS cr_bal,
		   sum(@extschema@.tco2e_grams(l.attributed_reduction))
			   FILTER (WHERE l.carbon_reduction_loan AND l.bal > 0) AS cr_grams
	FROM loans l GROUP BY l.pref
), book_sum AS (
	-- per group, the figures of the latest date on or before period_end
	-- among all the codes reported there: a retired code's figure is the
	-- same area's as its successor's, and an older one must not add to a
	-- newer one
	SELECT b.pref, sum(b.total_loan_balance) AS total
	FROM (SELECT m.pref, b.as_of, b.total_loan_balance,
				 max(b.as_of) OVER (PARTITION BY m.pref) AS latest
		  FROM carbon_ledger.loan_book b
		  JOIN map m ON m.code = b.region_code
		  WHERE b.as_of <= period_end) b
	WHERE b.as_of = b.latest
	GROUP BY b.pref
), prefs AS (
	SELECT DISTINCT m.pref, m.is_region, m.prov FROM map m
), joined AS (
	SELECT p.pref, p.is_region, p.prov,
		   coalesce(a.accounts, 0) AS accounts,
		   coalesce(a.new_accounts, 0) AS new_accounts,
		   coalesce(x.activities, 0) AS activities,
		   coalesce(x.grams, 0) AS grams,
		   coalesce(x.earned, 0) AS earned,
		   coalesce(r.redeemed, 0) AS redeemed,
		   coalesce(l.bal, 0.00) AS bal,
		   coalesce(l.bal_before, 0.00) AS bal_before,
		   b.total,
		   coalesce(l.cr_bal, 0.00) AS cr_bal,
		   coalesce(l.cr_grams, 0) AS cr_grams
	FROM prefs p
	LEFT JOIN acc_sum a USING (pref)
	LEFT JOIN act_sum x USING (pref)
	LEFT JOIN red_sum r USING (pref)
	LEFT JOIN loan_sum l USING (pref)
	LEFT JOIN book_sum b USING (pref)
), prov_book AS (
	-- per province: its own loan book figure, or else its prefectures'
	SELECT j.prov,
		   coalesce(max(j.total) FILTER (WHERE NOT j.is_region),
					sum(j.total) FILTER (WHERE j.is_region)) AS total,
		   max(j.total) FILTER (WHERE NOT j.is_region) IS NOT NULL AS whole
	FROM joined j GROUP BY j.prov
), rollup AS (
	SELECT j.pref, false AS is_total, j.accounts, j.new_accounts, j.activities,
		   j.grams, j.earned, j.redeemed, j.bal, j.bal_before, j.total,
		   j.cr_bal, j.cr_grams, true AS covered
	FROM joined j
	WHERE j.is_region
	UNION ALL
	-- the total row is there even when no region is: zeros, not NULLs
	-- (the loan book total stays NULL when there is none)
	SELECT NULL, true, coalesce(sum(j.accounts), 0),
		   coalesce(sum(j.new_accounts), 0), coalesce(sum(j.activities), 0),
		   coalesce(sum(j.grams), 0), coalesce(sum(j.earned), 0),
		   coalesce(sum(j.redeemed), 0), coalesce(sum(j.bal), 0.00),
		   coalesce(sum(j.bal_before), 0.00),
		   (SELECT sum(b.total) FROM prov_book b),
		   coalesce(sum(j.cr_bal), 0.00), coalesce(sum(j.cr_grams), 0),
		   coalesce(bool_and(j.bal = 0 OR j.total IS NOT NULL OR
							 (SELECT b.whole FROM prov_book b
							  WHERE b.prov = j.prov)), true)
	FROM joined j
)
SELECT r.pref,
	   CASE WHEN r.is_total THEN 'total' ELSE
		   (SELECT g.name FROM carbon_ledger.region g WHERE g.code = r.pref
			ORDER BY g.first_year DESC LIMIT 1) END,
	   CASE WHEN r.is_total THEN 'total' ELSE
		   (SELECT g.name_en FROM carbon_ledger.region g WHERE g.code = r.pref
			ORDER BY g.first_year DESC LIMIT 1) END,
	   r.accounts::pg_catalog.int8, r.new_accounts::pg_catalog.int8,
	   r.activities::pg_catalog.int8,
	   @extschema@.tco2e_from_grams(carbon_ledger.total_int8(r.grams,
		   'reduction in grams', coalesce('region ' || r.pref, 'all regions'))),
	   @extschema@.carbon_credit_from_thousandths(carbon_ledger.total_int8(r.earned,
		   'credits earned in thousandths', coalesce('region ' || r.pref, 'all regions'))),
	   @extschema@.carbon_credit_from_thousandths(carbon_ledger.total_int8(r.redeemed,
		   'credits redeemed in thousandths', coalesce('region ' || r.pref, 'all regions'))),
	   r.bal, r.bal_before,
	   CASE WHEN r.bal_before > 0 THEN (r.bal - r.bal_before) / r.bal_before END,
	   r.total,
	   CASE WHEN r.covered AND r.total > 0 THEN r.bal / r.total END,
	   r.cr_bal,
	   @extschema@.tco2e_from_grams(carbon_ledger.total_int8(r.cr_grams,
		   'attributed reduction in grams', coalesce('region ' || r.pref, 'all regions')))
FROM rollup r
ORDER BY r.is_total, r.pref;
END
$$;
COMMENT ON FUNCTION carbon_ledger.regional_summary(pg_catalog.date, pg_catalog.date) IS
	'per prefecture-level region and in total: accounts, activities, reduction, credits, green loan balance, growth and share, carbon-reduction loans';

-- check_balances(): recomputes every account's balance from the ledger
-- rows (credits earned, less redeemed, plus reversed, less written off)
-- and returns the accounts where the kept balance differs.
CREATE FUNCTION carbon_ledger.check_balances()
RETURNS TABLE (account_no pg_catalog.text,
			   balance @extschema@.carbon_credit,
			   recomputed @extschema@.carbon_credit)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	WITH moves AS (
		SELECT x.account_no,
			   @extschema@.carbon_credit_thousandths(x.credits) AS th
		FROM carbon_ledger.activity x
		UNION ALL
		SELECT x.account_no,
			   CASE WHEN x.reverses IS NULL THEN -1 ELSE 1 END
			   * @extschema@.carbon_credit_thousandths(x.credits)
		FROM carbon_ledger.redemption x
		UNION ALL
		SELECT x.account_no, - @extschema@.carbon_credit_thousandths(x.credits)
		FROM carbon_ledger.credit_expiry x
	), sums AS (
		SELECT m.account_no, sum(m.th) AS th FROM moves m GROUP BY m.account_no
	)
	SELECT a.account_no, a.balance,
		   @extschema@.carbon_credit_from_thousandths(carbon_ledger.total_int8(
			   coalesce(s.th, 0), 'recomputed balance in thousandths',
			   'account "' || a.account_no || '"'))
	FROM carbon_ledger.account a LEFT JOIN sums s USING (account_no)
	WHERE @extschema@.carbon_credit_thousandths(a.balance)
		  <> coalesce(s.th, 0)
	ORDER BY a.account_no
$$;
COMMENT ON FUNCTION carbon_ledger.check_balances() IS
	'accounts whose kept balance differs from the one recomputed from the ledger rows';
