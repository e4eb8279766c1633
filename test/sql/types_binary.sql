-- Binary send and receive of tco2e and carbon_credit: 8 bytes in network
-- order, COPY (FORMAT binary) round trips of the int64 limits, and short or
-- long messages rejected with 22P03.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY verbose

-- send: the count of grams / thousandths, big-endian
SELECT tco2e_send('1 g'), tco2e_send('-1 g'), tco2e_send('-9223372036854775808 g'),
       carbon_credit_send('1'), carbon_credit_send('9223372036854775.807');

-- COPY (FORMAT binary) round trip of boundary values
CREATE TABLE binary_t (id int, m tco2e, c carbon_credit);
INSERT INTO binary_t VALUES
  (1, '-9223372036854775808 g', '-9223372036854775.808'),
  (2, '9223372036854775807 g', '9223372036854775.807'),
  (3, '0', '0'), (4, '-1 g', '-0.001'), (5, '24.29 万吨', '12.5'), (6, NULL, NULL);
COPY binary_t TO '/tmp/carbon_ledger_types_binary.bin' (FORMAT binary);
CREATE TABLE binary_back (LIKE binary_t);
COPY binary_back FROM '/tmp/carbon_ledger_types_binary.bin' (FORMAT binary);
SELECT b.* FROM binary_back b ORDER BY id;
SELECT count(*) AS identical
  FROM binary_t a JOIN binary_back b USING (id)
 WHERE a.m IS NOT DISTINCT FROM b.m AND a.c IS NOT DISTINCT FROM b.c;

-- text COPY round trip too
COPY binary_t TO '/tmp/carbon_ledger_types_text.txt';
TRUNCATE binary_back;
COPY binary_back FROM '/tmp/carbon_ledger_types_text.txt';
SELECT count(*) AS identical
  FROM binary_t a JOIN binary_back b USING (id)
 WHERE a.m IS NOT DISTINCT FROM b.m AND a.c IS NOT DISTINCT FROM b.c;

-- a binary COPY file whose tco2e field is 4 or 12 bytes long: 22P03.
-- The file is built by hand: signature, flags, header extension length,
-- then one tuple of 1 field (length, bytes) and the trailer.
CREATE TABLE binary_one (m tco2e);
CREATE TABLE binary_one_c (c carbon_credit);
CREATE FUNCTION pg_temp.copy_file(field bytea) RETURNS bytea LANGUAGE sql AS $$
  SELECT '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
         || '\x0001'::bytea || int4send(length(field)) || field || '\xffff'::bytea
$$;
-- bytea goes to a file through lo_export of a large object
SELECT lo_from_bytea(0, pg_temp.copy_file('\x0000000000000001')) AS lo_ok \gset
SELECT lo_export(:lo_ok, '/tmp/carbon_ledger_types_ok.bin');
SELECT lo_from_bytea(0, pg_temp.copy_file('\x00000001')) AS lo_short \gset
SELECT lo_export(:lo_short, '/tmp/carbon_ledger_types_short.bin');
SELECT lo_from_bytea(0, pg_temp.copy_file('\x000000000000000100000000')) AS lo_long \gset
SELECT lo_export(:lo_long, '/tmp/carbon_ledger_types_long.bin');
SELECT lo_from_bytea(0, pg_temp.copy_file('\x')) AS lo_empty \gset
SELECT lo_export(:lo_empty, '/tmp/carbon_ledger_types_empty.bin');
COPY binary_one FROM '/tmp/carbon_ledger_types_ok.bin' (FORMAT binary);
SELECT m, tco2e_grams(m) FROM binary_one;
COPY binary_one FROM '/tmp/carbon_ledger_types_short.bin' (FORMAT binary);
COPY binary_one FROM '/tmp/carbon_ledger_types_long.bin' (FORMAT binary);
COPY binary_one FROM '/tmp/carbon_ledger_types_empty.bin' (FORMAT binary);
COPY binary_one_c FROM '/tmp/carbon_ledger_types_ok.bin' (FORMAT binary);
SELECT c, carbon_credit_thousandths(c) FROM binary_one_c;
COPY binary_one_c FROM '/tmp/carbon_ledger_types_short.bin' (FORMAT binary);
COPY binary_one_c FROM '/tmp/carbon_ledger_types_long.bin' (FORMAT binary);
SELECT lo_unlink(:lo_ok), lo_unlink(:lo_short), lo_unlink(:lo_long), lo_unlink(:lo_empty);

DROP TABLE binary_t, binary_back, binary_one, binary_one_c;
