-- The ledger under a hostile search_path: objects that shadow built-ins
-- (an "=" on text that is always true, format(), sum(), jsonb_build_object,
-- trunc) are created first, in a fresh database, before the extension is
-- installed, and are first on the search_path while it is installed and
-- while bookings run.  Nothing of the extension may resolve to them.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

SELECT current_database() AS main_db \gset
CREATE DATABASE ledger_security_test;
\c ledger_security_test
CREATE SCHEMA evil;
CREATE FUNCTION evil.text_eq(text, text) RETURNS boolean
	LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, PROCEDURE = evil.text_eq);
CREATE FUNCTION evil.format(text, VARIADIC "any") RETURNS text
	LANGUAGE sql AS $$SELECT 'hijacked'::text$$;
CREATE FUNCTION evil.jsonb_build_object(VARIADIC "any") RETURNS jsonb
	LANGUAGE sql AS $$SELECT '{}'::jsonb$$;
CREATE FUNCTION evil.trunc(numeric) RETURNS numeric
	LANGUAGE sql AS 'SELECT 1000000::numeric';
CREATE FUNCTION evil.sum_acc(bigint, bigint) RETURNS bigint
	LANGUAGE sql AS 'SELECT 0::bigint';
CREATE AGGREGATE evil.sum(bigint) (SFUNC = evil.sum_acc, STYPE = bigint);
SET search_path = evil, public, pg_catalog;

SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger SCHEMA public;
RESET client_min_messages;

-- region lookups compare codes with the real "="
SELECT gb2260_is_valid('999999') AS unknown_code,
	   gb2260_prefecture('540102') AS prefecture;

INSERT INTO carbon_ledger.programme (programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('SEC', 'security', 1000, '100 years');
INSERT INTO carbon_ledger.programme_activity_cap VALUES ('SEC', 'bus', '5 kg');
INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('SEC-1', 'h1', 'SEC', '540102', '2024-01-01'),
	   ('SEC-2', 'h2', 'SEC', '540102', '2024-01-01');
-- the cap sums the day's reductions with the real sum(); credits use the
-- real trunc()
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('SEC-1', 'bus', '4 kg', '2024-02-01 09:00+08', 'sec-1'),
	   ('SEC-1', 'bus', '4 kg', '2024-02-01 10:00+08', 'sec-2');
SELECT request_id, credits FROM carbon_ledger.activity ORDER BY activity_id;
-- account lookups use the real "=": SEC-2 has nothing to redeem
\set VERBOSITY terse
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('SEC-2', 1, 'tea', 'sec-3');
\echo :LAST_ERROR_SQLSTATE
-- errors are formatted with the real format(); request contents compared
-- with the real jsonb_build_object
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('SEC-1', 2, 'tea', 'sec-4');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('SEC-1', 3, 'tea', 'sec-4');
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
SELECT account_no, balance FROM carbon_ledger.account ORDER BY 1;
SELECT * FROM carbon_ledger.check_balances();
SELECT region_code, accounts, activities, credits_earned
FROM carbon_ledger.regional_summary('2024-01-01', '2024-12-31');

RESET search_path;
\c :main_db
SET client_min_messages = warning;
DROP DATABASE ledger_security_test;
