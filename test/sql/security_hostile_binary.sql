-- Hostile binary messages: every line of test/hostile/binary.txt (name,
-- shape, hex) becomes a COPY (FORMAT binary) file and is read into a
-- tco2e, a carbon_credit, a tco2e[] and a carbon_credit[] column.  Shapes:
-- "field" wraps the bytes as the one field of one tuple; "tuple" puts them
-- after the file header as a tuple (field count, lengths) of their own;
-- "raw" is the whole file; "array" makes them the one element of a
-- one-dimensional array (with the element type's OID of this database).
-- A receive function must accept exactly 8 bytes and refuse anything else
-- with 22P03; COPY's own framing errors are 22P04.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\pset format unaligned
\pset fieldsep ' | '

CREATE SCHEMA hostile_bin;
CREATE TABLE hostile_bin.message (n serial, name text, shape text, payload text);
\copy hostile_bin.message (name, shape, payload) FROM 'test/hostile/binary.txt'
CREATE TABLE hostile_bin.t (v tco2e);
CREATE TABLE hostile_bin.c (v carbon_credit);
CREATE TABLE hostile_bin.ta (v tco2e[]);
CREATE TABLE hostile_bin.ca (v carbon_credit[]);

-- the COPY file for a message whose column has type typ
CREATE FUNCTION hostile_bin.file(shape text, payload bytea, typ regtype)
RETURNS bytea LANGUAGE sql AS $$
	SELECT CASE shape
		WHEN 'raw' THEN payload
		ELSE '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea ||
			CASE shape
				WHEN 'tuple' THEN payload
				WHEN 'field' THEN '\x0001'::bytea || int4send(length(payload)) || payload
				WHEN 'array' THEN
					-- ndim 1, no nulls, element type, 1 element from 1
					'\x0001'::bytea || int4send(20 + 4 + length(payload)) ||
					int4send(1) || int4send(0) ||
					int4send((SELECT typelem FROM pg_type WHERE oid = typ)::int4) ||
					int4send(1) || int4send(1) ||
					int4send(length(payload)) || payload
			END || '\xffff'::bytea
	END
$$;

-- try_copy(table, file bytes): the values read, or the SQLSTATE
CREATE FUNCTION hostile_bin.try_copy(tab regclass, content bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	lo		oid;
	path	text := '/tmp/carbon_ledger_hostile_' || pg_backend_pid() || '.bin';
	result	text;
BEGIN
	lo := lo_from_bytea(0, content);
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	EXECUTE format('TRUNCATE %s', tab);
	BEGIN
		EXECUTE format('COPY %s FROM %L (FORMAT binary)', tab, path);
	EXCEPTION WHEN OTHERS THEN
		RETURN SQLSTATE;
	END;
	EXECUTE format('SELECT coalesce(string_agg(coalesce(v::text, ''NULL''), '', ''), ''no rows'') FROM %s', tab)
		INTO result;
	RETURN result;
END
$$;

SELECT n, name,
	   CASE WHEN shape = 'array' THEN hostile_bin.try_copy('hostile_bin.ta',
			hostile_bin.file(shape, decode(payload, 'hex'), 'tco2e[]'))
			ELSE hostile_bin.try_copy('hostile_bin.t',
			hostile_bin.file(shape, decode(payload, 'hex'), 'tco2e')) END AS tco2e,
	   CASE WHEN shape = 'array' THEN hostile_bin.try_copy('hostile_bin.ca',
			hostile_bin.file(shape, decode(payload, 'hex'), 'carbon_credit[]'))
			ELSE hostile_bin.try_copy('hostile_bin.c',
			hostile_bin.file(shape, decode(payload, 'hex'), 'carbon_credit')) END
		   AS carbon_credit
  FROM hostile_bin.message ORDER BY n;

-- the 22P03 errors say what was wrong
\set VERBOSITY default
SELECT lo_from_bytea(0, hostile_bin.file('field', '\x000000000000000100', 'tco2e')) AS lo \gset
SELECT lo_export(:lo, '/tmp/carbon_ledger_hostile_9.bin');
SELECT lo_unlink(:lo);
COPY hostile_bin.t FROM '/tmp/carbon_ledger_hostile_9.bin' (FORMAT binary);

DROP SCHEMA hostile_bin CASCADE;
