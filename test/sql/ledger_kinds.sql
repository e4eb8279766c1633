-- Activity kinds are in normal form (lowercase, no surrounding spaces, not
-- empty), so that a daily cap on "bus" cannot be escaped by reporting
-- "Bus" or "bus ": such an activity is rejected (LD031), and a cap on a
-- kind that no activity could match is refused by a check constraint.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE FUNCTION pg_temp.try(stmt text,
	OUT state text, OUT message text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		hint = PG_EXCEPTION_HINT;
END
$$;
\pset format unaligned
\pset fieldsep ' | '

INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('KND', 'kinds test', 1000, '10 years');
INSERT INTO carbon_ledger.programme_activity_cap VALUES ('KND', 'bus', '5 kg');
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.programme_activity_cap
	VALUES ('KND', 'Metro', '5 kg')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.programme_activity_cap
	VALUES ('KND', ' metro', '5 kg')$$);
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('KND-1', 'h1', 'KND', '540102', '2024-01-01');

INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('KND-1', 'bus', '5 kg', '2024-06-01 08:00+08', 'knd-a1');
-- the cap is used up: "Bus", "BUS", "bus " and "" are refused, not
-- credited beyond the cap
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('KND-1', 'Bus', '5 kg', '2024-06-01 09:00+08', 'knd-x1')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('KND-1', 'BUS', '5 kg', '2024-06-01 09:00+08', 'knd-x2')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('KND-1', 'bus ', '5 kg', '2024-06-01 09:00+08', 'knd-x3')$$);
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
	VALUES ('KND-1', '', '5 kg', '2024-06-01 09:00+08', 'knd-x4')$$);
-- look-alikes of "bus" that differ in their bytes: a tab, a no-break
-- space, a zero-width space, a soft hyphen, a byte order mark, an
-- ideographic space, full-width letters, two spaces in a row; each is
-- refused with a hint naming the character at fault
SELECT k.label, t.state, t.hint
FROM (VALUES ('tab', E'bus\t'),
			 ('no-break space', E'bus\u00a0'),
			 ('zero-width space', E'bu\u200bs'),
			 ('soft hyphen', E'b\u00adus'),
			 ('byte order mark', E'\ufeffbus'),
			 ('ideographic space', E'bus\u3000'),
			 ('full-width letters', E'\uff42\uff55\uff53'),
			 ('two spaces', 'city  bus')) AS k(label, kind),
	 LATERAL pg_temp.try(format($$INSERT INTO carbon_ledger.activity
		(account_no, kind, reduction, occurred_at, request_id)
		VALUES ('KND-1', %L, '5 kg', '2024-06-01 09:00+08', %L)$$,
		k.kind, 'knd-' || k.label)) t;
-- nor can a cap be set on such a kind
SELECT * FROM pg_temp.try($$INSERT INTO carbon_ledger.programme_activity_cap
	VALUES ('KND', E'metro\u200b', '5 kg')$$);
-- kinds of several words, and in other scripts, are fine
SELECT carbon_ledger.kind_is_normal(k) AS normal, k
FROM unnest(ARRAY['public transport', '公交', 'café', 'Café', 'bus ', '']) k;
-- "bus" itself is clipped at the cap
INSERT INTO carbon_ledger.activity (account_no, kind, reduction, occurred_at, request_id)
VALUES ('KND-1', 'bus', '5 kg', '2024-06-01 09:00+08', 'knd-a2');
SELECT request_id, kind, credits, credits_uncapped FROM carbon_ledger.activity
WHERE account_no = 'KND-1' ORDER BY activity_id;
SELECT account_no, balance FROM carbon_ledger.account WHERE account_no = 'KND-1';
