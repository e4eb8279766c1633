-- Validators: real codes pass, corrupted and malformed ones are false,
-- never an error; region validity by date; roll-ups; the uscc domain.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY sqlstate

-- USCC: published codes, then corruptions of the first one
SELECT c, uscc_is_valid(c) FROM (VALUES
	('91350100M000100Y43'),		-- valid
	('91110000600037341L'),		-- valid
	('911100001000128855'),		-- valid
	('91440300708461136T'),		-- valid
	('914403001922038216'),		-- valid
	('9144030071526726XG'),		-- valid, organisation check X
	('51100000500010993L'),		-- valid, a social organisation
	('91350100M000100Y44'),		-- check character changed
	('91350100M000100Y34'),		-- last two transposed
	('91350100M000101Y43'),		-- organisation code body changed
	('91350100m000100y43'),		-- lowercase
	('91350100M000100Y4'),		-- too short
	('91350100M000100Y433'),	-- too long
	(' 91350100M000100Y43'),	-- leading space
	('91350100M000100I43'),		-- excluded letter I
	('91350100M000100O43'),		-- excluded letter O
	('94350100M000100Y43'),		-- no such organisation type for 9
	('B1350100M000100Y43'),		-- no such registration authority
	('913501A0M000100Y43'),		-- letter in the region field
	('9135０100M000100Y43'),	-- full-width digit
	(''),
	(E'91350100M000100Y4\t')
) AS t(c);
SELECT uscc_is_valid(NULL) IS NULL AS strict_null;

-- a code with a right MOD 31 character but a wrong organisation check:
-- 91350100M000100Y5 plus its MOD 31 check character
SELECT count(*) AS endings,
	   count(*) FILTER (WHERE uscc_is_valid('91350100M000100Y5' || ch)) AS valid
FROM regexp_split_to_table('0123456789ABCDEFGHJKLMNPQRTUWXY', '') ch;

-- the domain
SELECT '91350100M000100Y43'::uscc;
SELECT '91350100M000100Y44'::uscc;

-- resident identity numbers (GB 11643)
SELECT c, cn_resident_id_is_valid(c) FROM (VALUES
	('11010519491231002X'),		-- the standard's example
	('440524188001010014'),		-- the standard's other example
	('540422200002290016'),		-- born on a leap day
	('540102202402291234'),		-- leap day 2024
	('11010519491231002x'),		-- lowercase x
	('110105194912310021'),		-- wrong check
	('540102190002290018'),		-- 1900-02-29 does not exist
	('540102199013011237'),		-- month 13
	('990102199001011238'),		-- no province 99
	('11010519491231002'),		-- too short
	('11010519491231002XX'),	-- too long
	('1101051949123100２X')		-- full-width digit
) AS t(c);

-- bank card numbers (Luhn; ISO/IEC 7812-1 card numbers have 8 to 19
-- digits)
SELECT c, luhn_is_valid(c) FROM (VALUES
	('4111111111111111'),
	('6212345678901232'),
	('378282246310005'),
	('6228480402564890018'),	-- 19 digits, the longest
	('4111111111111112'),
	('79927398713'),			-- the usual Luhn example, 11 digits
	('79927398710'),			-- the same with a wrong check digit
	('12345674'),				-- 8 digits, the shortest
	('1234566'),				-- passes Luhn, 7 digits: too short
	('4111 1111 1111 1111'),
	('41111111111111111111'),
	('')
) AS t(c);

-- regions: in use today, in use on a date
SELECT gb2260_is_valid('540422') AS milin_county_today,
	   gb2260_is_valid('540422', '2020-06-01') AS milin_county_2020,
	   gb2260_is_valid('540481') AS milin_city_today,
	   gb2260_is_valid('540481', '2020-06-01') AS milin_city_2020,
	   gb2260_is_valid('540102') AS chengguan,
	   gb2260_is_valid('540171') AS dev_zone,
	   gb2260_is_valid('54010') AS short,
	   gb2260_is_valid('５40102') AS fullwidth,
	   gb2260_is_valid('542100', '2013-12-31') AS chamdo_pref_2013,
	   gb2260_is_valid('542100', '2014-12-31') AS chamdo_pref_2014,
	   gb2260_is_valid('542100', '2015-01-01') AS chamdo_pref_2015;

-- in the year of a change both the retired and the new code are in use:
-- the yearly lists behind the table do not say on which day it changed
-- (那曲县 542421 became 色尼区 540602 in 2017, 米林县 540422 became
-- 米林市 540481 in 2023)
SELECT d, gb2260_is_valid('542421', d) AS naqu_county,
	   gb2260_is_valid('540602', d) AS seni_district,
	   gb2260_is_valid('540422', d) AS milin_county,
	   gb2260_is_valid('540481', d) AS milin_city
FROM unnest('{2016-12-31, 2017-06-01, 2018-01-01, 2022-12-31, 2023-03-01,
			  2023-12-31, 2024-01-01}'::date[]) AS d;

-- under a nondeterministic collation that takes full-width digits for
-- ASCII ones, a full-width code is still no code (codes compare under "C")
CREATE COLLATION regress_validators_ci
	(provider = icu, locale = 'und-u-ks-level1', deterministic = false);
SELECT gb2260_is_valid('５４０１０２' COLLATE regress_validators_ci) AS today,
	   gb2260_is_valid('５４０１０２' COLLATE regress_validators_ci,
					   '2020-01-01') AS on_date,
	   gb2260_prefecture('５４０１０２' COLLATE regress_validators_ci) AS prefecture,
	   gb2260_province('５４０１０２' COLLATE regress_validators_ci) AS province,
	   gb2260_is_valid('540102' COLLATE regress_validators_ci) AS ascii;
DROP COLLATION regress_validators_ci;

-- the validators that read carbon_ledger.region answer any role, not only
-- the extension's roles (they read the table as its owner)
CREATE ROLE regress_validators_plain;
SET ROLE regress_validators_plain;
SELECT gb2260_is_valid('540102') AS today,
	   gb2260_is_valid('540422', '2020-06-01') AS on_date,
	   gb2260_prefecture('540102') AS prefecture,
	   gb2260_province('540102') AS province,
	   uscc_is_valid('91350100M000100Y43') AS uscc;
SELECT count(*) FROM carbon_ledger.region;	-- the table itself stays closed
RESET ROLE;
DROP ROLE regress_validators_plain;

-- roll-ups
SELECT c, gb2260_prefecture(c) AS prefecture, gb2260_province(c) AS province
FROM (VALUES ('540102'), ('540100'), ('540000'), ('540422'), ('540481'),
	  ('542521'), ('110101'), ('110000'), ('419001'), ('469001'),
	  ('542121'), ('540171'), ('abc'), ('')) AS t(c);

-- the table: every code since 1981, 3,213 in use (the 2024 list)
SELECT count(*) AS periods, count(DISTINCT code) AS codes,
	   count(*) FILTER (WHERE retired_year IS NULL) AS in_use
FROM carbon_ledger.region;
SELECT level, count(*) FROM carbon_ledger.region
WHERE code LIKE '54%' AND retired_year IS NULL GROUP BY level ORDER BY level;
SELECT code, name, name_en, level, parent, first_year, last_year, replaced_by
FROM carbon_ledger.region WHERE code IN ('540422', '540481', '540600', '542400')
ORDER BY code;
-- a code with two periods of use
SELECT code, name, first_year, retired_year FROM carbon_ledger.region
WHERE code = '120110' ORDER BY first_year;

-- both are extension configuration tables
SELECT c.relname, u.cond
FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS u(reloid, cond),
	 pg_class c
WHERE c.oid = u.reloid
  AND e.extname = 'carbon_ledger' AND c.relname IN ('region', 'uscc_exception')
ORDER BY 1;

-- volatility and parallel safety as documented
SELECT p.oid::regprocedure, p.provolatile, p.proparallel, p.proisstrict
FROM pg_proc p
WHERE p.proname IN ('uscc_is_valid', 'cn_resident_id_is_valid', 'luhn_is_valid',
					'gb2260_is_valid', 'gb2260_prefecture', 'gb2260_province')
ORDER BY 1::text;
