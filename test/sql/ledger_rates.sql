-- Credits from a programme's rate and an activity's grams are exact:
-- trunc(credits_per_tonne x grams / 1000) thousandths, for rates held in
-- 64 bits (up to 18 decimals) and for rates that are not (more decimals,
-- computed with numeric), never rounded up.  A rate that is not a finite
-- number is refused with the programme (23514): NaN and Infinity are
-- greater than zero in numeric's order, so "> 0" alone let them in.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY sqlstate
\pset format unaligned
\pset fieldsep ' | '

BEGIN;
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('RATE-A', 'three decimals', 333.333, '1 year'),
	   ('RATE-B', 'eighteen decimals', 0.333333333333333333, '1 year'),
	   ('RATE-C', 'twenty-two decimals', 333.3333333333333333333333, '1 year');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
SELECT 'RATE-' || p, 'h', 'RATE-' || p, '540102', now() - interval '1 day'
FROM unnest(ARRAY['A', 'B', 'C']) p;
-- 333.333 x 3000 g / 1000 = 999.999 thousandths: 0.999 credits
-- 0.333333333333333333 x 3000000 g / 1000 = 999.999999999999999: 0.999
-- 333.3333333333333333333333 x 3000 g / 1000 = 999.9999999999999999999999:
-- 0.999, and x 3 t (1000 x more) 999999.99...: 999.999
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('RATE-A', 'walk', '3 kg', now() - interval '1 hour', 'rate-a1'),
	   ('RATE-B', 'walk', '3 t', now() - interval '1 hour', 'rate-b1'),
	   ('RATE-C', 'walk', '3 kg', now() - interval '1 hour', 'rate-c1'),
	   ('RATE-C', 'walk', '3 t', now() - interval '1 hour', 'rate-c2')
RETURNING account_no, reduction, credits, credits_uncapped;
ROLLBACK;
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('RATE-D', 'not a number', 'NaN', '1 year');
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('RATE-E', 'infinite', 'Infinity', '1 year');
