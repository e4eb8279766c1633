-- CVE-2018-1058 in the schema the extension is installed in: hostile
-- objects in public (where any role may have created them on servers
-- before PostgreSQL 15) and temporary tables that shadow the ledger's
-- names, created before and after installation, with the default
-- search_path.  No call of the extension may reach them: every trap below
-- raises "hijacked" when called.  Runs in a database of its own.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '
\set VERBOSITY sqlstate

SELECT current_database() AS main_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS carbon_ledger_search_path;
RESET client_min_messages;
CREATE DATABASE carbon_ledger_search_path;
\c carbon_ledger_search_path
SHOW search_path;

-- traps: look-alike functions that match an unqualified call better than
-- the built-in (exact types where the built-in is variadic or takes
-- "any"), an operator on text and unknown, and tables shadowing names
CREATE FUNCTION public.trap_text(text, varchar) RETURNS boolean
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE FUNCTION public.format(text, text) RETURNS text
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE FUNCTION public.format(text, text, text) RETURNS text
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE FUNCTION public.jsonb_build_object(text, text) RETURNS jsonb
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE FUNCTION public.coalesce_hijack(bigint) RETURNS bigint
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE FUNCTION public.substr(varchar, integer, integer) RETURNS text
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE FUNCTION public.date_part(text, date) RETURNS double precision
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE FUNCTION public.round(numeric) RETURNS numeric
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = varchar,
						  FUNCTION = public.trap_text);
CREATE TABLE public.region (code text, name text);
INSERT INTO public.region VALUES ('999999', 'nowhere');
CREATE TABLE public.account (account_no text, balance bigint);

-- an object with the very signature of one of the extension's makes
-- CREATE EXTENSION fail: the script never adopts an existing object
CREATE FUNCTION public.uscc_is_valid(text) RETURNS boolean
	LANGUAGE sql AS 'SELECT true';
CREATE EXTENSION carbon_ledger;
DROP FUNCTION public.uscc_is_valid(text);

SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
RESET client_min_messages;

-- nothing of the extension depends on an object outside pg_catalog and
-- the extension itself (defaults, constraints, triggers, indexes,
-- operators, casts, aggregates, domains)
SELECT pg_describe_object(m.classid, m.objid, m.objsubid) AS object,
	   pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) AS depends_on
  FROM pg_depend m
  JOIN pg_extension e ON e.oid = m.refobjid AND e.extname = 'carbon_ledger'
  JOIN pg_depend d ON d.classid = m.classid AND d.objid = m.objid
 WHERE m.deptype = 'e' AND d.deptype = 'n'
   AND pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
	   NOT LIKE '%pg_catalog%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend x
				   WHERE x.classid = d.refclassid AND x.objid = d.refobjid
					 AND x.refobjid = e.oid AND x.deptype = 'e')
   AND d.refobjid >= 16384
   AND NOT (d.refclassid = 'pg_namespace'::regclass
			AND d.refobjid IN ('public'::regnamespace,
							   'carbon_ledger'::regnamespace))
   AND NOT (d.refclassid = 'pg_class'::regclass
			AND d.refobjid IN (SELECT c.oid FROM pg_class c
							   WHERE c.relnamespace = 'carbon_ledger'::regnamespace))
   AND NOT (d.refclassid = 'pg_type'::regclass
			AND d.refobjid IN (SELECT t.oid FROM pg_type t
							   WHERE t.typnamespace = 'carbon_ledger'::regnamespace));

-- more traps after installation: operators on the extension's own types,
-- and temporary tables with the ledger's and the trail's names (pg_temp is
-- the last schema of every pinned search_path)
CREATE FUNCTION public.trap_cc(carbon_credit, integer) RETURNS boolean
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE OPERATOR public.<> (LEFTARG = carbon_credit, RIGHTARG = integer,
						   FUNCTION = public.trap_cc);
CREATE OPERATOR public.< (LEFTARG = carbon_credit, RIGHTARG = integer,
						  FUNCTION = public.trap_cc);
CREATE FUNCTION public.trap_t(tco2e, bigint) RETURNS boolean
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE OPERATOR public.> (LEFTARG = tco2e, RIGHTARG = bigint,
						  FUNCTION = public.trap_t);
CREATE TEMP TABLE account (account_no text, status text, balance bigint);
INSERT INTO account VALUES ('SP-1', 'frozen', 999);
CREATE TEMP TABLE programme (programme_id text);
CREATE TEMP TABLE request (request_id text);
INSERT INTO request VALUES ('sp-1');
CREATE TEMP TABLE credit_lot (lot_id bigint);
CREATE TEMP TABLE activity (account_no text);
CREATE TEMP TABLE audit_log (id bigint);
CREATE TEMP TABLE audit_block (block_no bigint);
CREATE TEMP TABLE audit_pending (id bigint);
SHOW search_path;

-- the whole surface, under the default search_path
SELECT uscc_is_valid('91350100M000100Y43') AS uscc,
	   gb2260_is_valid('999999') AS unknown_code,
	   gb2260_is_valid('540422', '2020-06-01') AS old_county,
	   gb2260_prefecture('540102') AS prefecture,
	   gb2260_province('540102') AS province;
SELECT '2680 kg'::tco2e AS t, sum(x), avg(x), max(x)
  FROM (VALUES ('1 t'::tco2e), ('2 t')) v(x);
SELECT '12.5'::carbon_credit AS c, 3::carbon_credit AS from_int;
INSERT INTO carbon_ledger.programme (programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('SP', 'search path', 1000, '10 years');
INSERT INTO carbon_ledger.programme_activity_cap VALUES ('SP', 'bus', '5 kg');
INSERT INTO carbon_ledger.account (account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('SP-1', 'h1', 'SP', '540102', '2024-01-01');
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('SP-1', 'bus', '4 kg', '2024-02-01 09:00+08', 'sp-1'),
	   ('SP-1', 'bus', '4 kg', '2024-02-01 10:00+08', 'sp-2');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('SP-1', 2, 'tea', 'sp-3');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('SP-1', 100, 'tea', 'sp-4');
INSERT INTO carbon_ledger.green_loan (loan_no, borrower_uscc, region_code,
	green_category, principal, issue_date, maturity_date, rate,
	project_investment, project_annual_reduction)
VALUES ('SP-L1', '91350100M000100Y43', '540102', 'clean energy', 1000,
		'2024-01-01', '2026-01-01', 3.45, 4000, '100 t');
INSERT INTO carbon_ledger.loan_repayment (loan_no, amount, repaid_on)
VALUES ('SP-L1', 250, '2024-06-01');
SELECT account_no, credits FROM carbon_ledger.activity ORDER BY activity_id;
SELECT account_no, balance, status FROM carbon_ledger.account;
SELECT loan_no, attributed_reduction FROM carbon_ledger.green_loan;
SELECT * FROM carbon_ledger.check_balances();
SELECT count(*) AS expired FROM carbon_ledger.expire_credits();
SELECT region_code, accounts, activities, credits_earned, credits_redeemed,
	   green_loan_balance
  FROM carbon_ledger.regional_summary('2024-01-01', '2024-12-31');
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, records_checked > 0 AS checked, unsealed_records, reason
  FROM carbon_ledger.audit_verify();
SELECT valid FROM carbon_ledger.audit_verify(carbon_ledger.audit_digest());
-- the temporary look-alikes are untouched
SELECT * FROM account;
SELECT count(*) FROM audit_log;

\c :main_db
DROP DATABASE carbon_ledger_search_path;
