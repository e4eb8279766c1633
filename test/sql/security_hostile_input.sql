-- Hostile text input: every line of test/hostile/inputs.txt (COPY text
-- format: one input per line, backslash escapes) goes through both types'
-- input functions, tco2e_in_unit() as a unit name and every validator.
-- Input functions either return a value that reads back or raise 22P02 or
-- 22003 (never another error, never a crash); validators return a boolean
-- for everything.  Then what a client can send beyond that file: NUL bytes
-- and invalid UTF-8 (refused before any of our functions see them in a
-- UTF-8 database, reaching them in a SQL_ASCII one).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

CREATE SCHEMA hostile;
CREATE TABLE hostile.input (n serial, input text);
\copy hostile.input (input) FROM 'test/hostile/inputs.txt'

-- try_in(type, text): the value as text and whether it reads back, or the
-- SQLSTATE of the error
CREATE FUNCTION hostile.try_in(typ text, s text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	out		text;
	back	boolean;
BEGIN
	EXECUTE format('SELECT $1::%1$s::text, $1::%1$s::text::%1$s = $1::%1$s', typ)
		INTO out, back USING s;
	RETURN out || CASE WHEN back THEN '' ELSE ' (DOES NOT READ BACK)' END;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;
CREATE FUNCTION hostile.try_unit(s text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	RETURN tco2e_in_unit('1 t', s)::text;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

-- validators: u = uscc, r = resident id, l = luhn, g = gb2260, p =
-- prefecture known; '-' where false
SELECT n, replace(replace(replace(input, E'\t', '<TAB>'), E'\n', '<LF>'),
				  E'\r', '<CR>') AS input,
	   hostile.try_in('tco2e', input) AS tco2e,
	   hostile.try_in('carbon_credit', input) AS carbon_credit,
	   hostile.try_unit(input) AS as_unit,
	   CASE WHEN uscc_is_valid(input) THEN 'u' ELSE '-' END ||
	   CASE WHEN cn_resident_id_is_valid(input) THEN 'r' ELSE '-' END ||
	   CASE WHEN luhn_is_valid(input) THEN 'l' ELSE '-' END ||
	   CASE WHEN gb2260_is_valid(input) THEN 'g' ELSE '-' END ||
	   CASE WHEN gb2260_is_valid(input, '2000-01-01') THEN 'g' ELSE '-' END ||
	   CASE WHEN gb2260_prefecture(input) IS NOT NULL THEN 'p' ELSE '-' END ||
	   CASE WHEN gb2260_province(input) IS NOT NULL THEN 'p' ELSE '-' END
		   AS validators
  FROM hostile.input ORDER BY n;

-- no input raised anything but 22P02 or 22003
SELECT count(*) AS inputs,
	   count(*) FILTER (WHERE hostile.try_in('tco2e', input) ~ '^[0-9A-Z]{5}$'
						AND hostile.try_in('tco2e', input) NOT IN ('22P02', '22003'))
		   AS other_tco2e_errors,
	   count(*) FILTER (WHERE hostile.try_in('carbon_credit', input) ~ '^[0-9A-Z]{5}$'
						AND hostile.try_in('carbon_credit', input) NOT IN ('22P02', '22003'))
		   AS other_credit_errors
  FROM hostile.input;

-- NUL bytes: text cannot hold them, so no input function ever sees one;
-- the client's attempts fail in the server's own conversions
\set VERBOSITY sqlstate
SELECT convert_from('\x31006b67'::bytea, 'UTF8')::tco2e;
SELECT chr(0)::tco2e;
SELECT E'1\0 kg'::tco2e;
SELECT uscc_is_valid(convert_from('\x393133353031303000'::bytea, 'UTF8'));
-- invalid UTF-8 is refused at the door of a UTF-8 database
SELECT convert_from('\x3120e590'::bytea, 'UTF8')::tco2e;
SELECT convert_from('\xff'::bytea, 'UTF8')::carbon_credit;
SELECT uscc_is_valid(convert_from('\xc0af'::bytea, 'UTF8'));
\set VERBOSITY default

-- In a SQL_ASCII database, bytes above 127 reach the input functions as
-- they are: truncated and overlong UTF-8 sequences, lone continuation
-- bytes, a surrogate and bytes that are never UTF-8 are rejected (22P02)
-- or, for validators, false.
SELECT current_database() AS main_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS carbon_ledger_hostile_ascii;
RESET client_min_messages;
CREATE DATABASE carbon_ledger_hostile_ascii ENCODING 'SQL_ASCII'
	LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c carbon_ledger_hostile_ascii
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
RESET client_min_messages;
CREATE FUNCTION pg_temp.try_in(typ text, s text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	out		text;
BEGIN
	EXECUTE format('SELECT $1::%s::text', typ) INTO out USING s;
	RETURN out;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;
SELECT encode(b, 'hex') AS bytes,
	   pg_temp.try_in('tco2e', convert_from(b, 'SQL_ASCII')) AS tco2e,
	   pg_temp.try_in('carbon_credit', convert_from(b, 'SQL_ASCII')) AS carbon_credit,
	   uscc_is_valid(convert_from(b, 'SQL_ASCII')) AS uscc,
	   luhn_is_valid(convert_from(b, 'SQL_ASCII')) AS luhn,
	   cn_resident_id_is_valid(convert_from(b, 'SQL_ASCII')) AS resident_id
  FROM (VALUES ('\x3120e590'::bytea),          -- 1 and a truncated 吨
			   ('\x3120e590a8'),               -- 1 吨, valid
			   ('\x3120c0ae'),                 -- overlong "."
			   ('\x31e590a8'),                 -- 1吨, valid
			   ('\x31208067'),                 -- lone continuation byte
			   ('\x3120eda080'),               -- a UTF-16 surrogate
			   ('\x3120ff'),                   -- never UTF-8
			   ('\x3120f4908080'),             -- beyond U+10FFFF
			   ('\x3120e590a8e590'),           -- valid then truncated
			   ('\x393133353031303080'),       -- a USCC prefix and 0x80
			   ('\xb9b1b3b5b0b1b0b0cdb0b0b0b1b0b0d9b4b3')) v(b);
\c :main_db
DROP DATABASE carbon_ledger_hostile_ascii;

-- Huge inputs: each runs in time linear in its length (the statement
-- timeout would stop a quadratic parse of these sizes long before the end;
-- the limit leaves room for a slow machine or valgrind).  Errors name the
-- offending text, so only their SQLSTATE and size are shown.
SET statement_timeout = '60s';
CREATE FUNCTION hostile.err(s text, typ text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	out		text;
BEGIN
	EXECUTE format('SELECT $1::%s::text', typ) INTO out USING s;
	RETURN 'ok ' || out;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ' (message of ' || length(SQLERRM) || ' characters)';
END
$$;
SELECT what, hostile.err(s, 'tco2e') AS tco2e,
	   hostile.err(s, 'carbon_credit') AS carbon_credit,
	   uscc_is_valid(s) OR luhn_is_valid(s) OR cn_resident_id_is_valid(s)
		   OR gb2260_is_valid(s) AS any_validator
  FROM (VALUES
	('1 MB of nines', repeat('9', 1000000)),
	('1 MB of zeros then 1 g', repeat('0', 1000000) || '1 g'),
	('1 MB of fraction zeros then 1', '0.' || repeat('0', 1000000) || '1'),
	('1 MB of fraction zeros', '1.' || repeat('0', 1000000)),
	('10 MB exponent', '1e' || repeat('9', 10000000)),
	('10 MB negative exponent', '0e-' || repeat('9', 10000000)),
	('1 MB of spaces then 1', repeat(' ', 1000000) || '1'),
	('1 MB of spaces after 1', '1' || repeat(' ', 1000000)),
	('1 MB unit', '1 ' || repeat('k', 1000000)),
	('1 MB of 吨', '1 ' || repeat('吨', 333333)),
	('1 MB of signs', repeat('-', 1000000) || '1')) v(what, s);
RESET statement_timeout;

DROP SCHEMA hostile CASCADE;
