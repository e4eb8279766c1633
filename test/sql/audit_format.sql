-- The canonical serialisation (docs/audit-format.md): the worked example,
-- independence from session settings, distinct bytes for NULL / '' /
-- missing column, ('a|b','c') / ('a','b|c') and 1.0 / 1.00, and the
-- RFC 6962 Merkle tree vectors.  Stands alone; uses schema audit_format.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY sqlstate

-- The worked example of docs/audit-format.md, written by hand into the log
-- (rolled back) under an unusual TimeZone and DateStyle: its canonical
-- bytes and leaf hash are those the document shows.
BEGIN;
SET LOCAL TimeZone = 'Asia/Shanghai';
SET LOCAL DateStyle = 'SQL, DMY';
INSERT INTO carbon_ledger.audit_log VALUES
	(900000001, '750', 1, 'public.account', 'INSERT',
	 '{"account_no": "XZ0001"}', NULL,
	 '{"account_no": "XZ0001", "balance": "12.5", "holder": null, "region_code": "540102"}',
	 'alice', 'teller', '2025-03-31 16:00:00+08', '2025-03-31 16:00:00.25+08',
	 1, '\x00');
SELECT encode(carbon_ledger.audit_canonical_record(900000001), 'hex') AS canonical;
SELECT encode(sha256('\x00'::bytea || carbon_ledger.audit_canonical_record(900000001)), 'hex') AS leaf_hash;
ROLLBACK;

-- NULL, '' and a missing column; ('a|b','c') and ('a','b|c'); 1.0 and
-- 1.00: the records differ only in their new image, and their bytes after
-- the id field (bytes 12 on) all differ.
BEGIN;
INSERT INTO carbon_ledger.audit_log
SELECT -i, '750', 1, 'public.t', 'INSERT', NULL, NULL, img::jsonb,
       'alice', 'alice', '2025-03-31 00:00:00+00', '2025-03-31 00:00:00+00', 1, '\x00'
  FROM (VALUES (2, '{"a": null}'), (3, '{"a": ""}'), (4, '{}'),
               (5, '{"a": "a|b", "b": "c"}'), (6, '{"a": "a", "b": "b|c"}'),
               (7, '{"n": "1.0"}'), (8, '{"n": "1.00"}')) v(i, img);
SELECT -id AS i, encode(substr(carbon_ledger.audit_canonical_record(id), 12), 'hex') AS bytes_after_id
  FROM carbon_ledger.audit_log WHERE id BETWEEN -8 AND -2 ORDER BY id DESC;
SELECT count(DISTINCT substr(carbon_ledger.audit_canonical_record(id), 12)) AS distinct_records
  FROM carbon_ledger.audit_log WHERE id BETWEEN -8 AND -2;
ROLLBACK;

-- Canonical text of values does not depend on session settings: the same
-- row inserted under different settings gives the same image, and every
-- record's bytes rebuild identically under other settings.
CREATE SCHEMA audit_format;
CREATE TYPE audit_format.pair AS (label text, at timestamptz, amount money);
CREATE DOMAIN audit_format.stamp AS timestamptz;
CREATE TABLE audit_format.v (
	id int PRIMARY KEY,
	tz timestamptz, ts timestamp, d date, t time, ttz timetz, iv interval,
	f4 real, f8 double precision, n numeric, b bytea, m money,
	arr int[], tzarr timestamptz[], r tstzrange, c audit_format.pair,
	dom audit_format.stamp, j jsonb, ok boolean, u uuid, p point,
	nul text, empty text, big text
);
SELECT carbon_ledger.audit_enable('audit_format.v');
CREATE FUNCTION audit_format.put(k int) RETURNS void LANGUAGE sql AS $$
	INSERT INTO audit_format.v VALUES (k,
		'2025-03-31 16:00:00.5+08', '2025-03-31 16:00:00', '2025-03-31',
		'16:00:01.25', '16:00:00+08', '1 year 2 months 3 days 04:05:06.5',
		0.1, 0.1, 1.10, '\x00ff10', 12.34,
		'[0:1][1:2]={{1,2},{3,NULL}}', ARRAY['2025-01-01 00:00+00'::timestamptz],
		'[2025-01-01 08:00+08, 2025-02-01 08:00+08)',
		ROW('a "quoted", \ label', '2025-01-01 00:00+00', 5.5),
		'2025-03-31 16:00:00+08', '{"b": 1.50, "a": [true, null]}', true,
		'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '(0.1,2e-300)',
		NULL, '', repeat('碳', 40000));
$$;
SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres';
SET extra_float_digits = 1; SET bytea_output = 'hex';
SELECT audit_format.put(1);
SET TimeZone = 'America/St_Johns'; SET DateStyle = 'German, DMY'; SET IntervalStyle = 'sql_standard';
SET extra_float_digits = -15; SET bytea_output = 'escape'; SET lc_monetary = 'C';
SELECT audit_format.put(2);
SET TimeZone = 'Pacific/Chatham'; SET DateStyle = 'SQL, YMD'; SET IntervalStyle = 'iso_8601';
SET extra_float_digits = 3; SET client_encoding = 'GB18030';
SELECT audit_format.put(3);
RESET client_encoding;
SET TimeZone = 'Asia/Kathmandu'; SET DateStyle = 'Postgres, DMY'; SET IntervalStyle = 'postgres_verbose';
SELECT audit_format.put(4);
SELECT count(*) AS records,
       count(DISTINCT new_row - 'id') AS distinct_images,
       count(DISTINCT xact_start) AS distinct_starts
  FROM carbon_ledger.audit_log WHERE table_name = 'audit_format.v' AND operation = 'INSERT';
-- the canonical text of each type (one record, as JSON strings; the long text by size)
SELECT key, CASE WHEN key = 'big' THEN 'length ' || length(value->>0) ELSE value::text END AS canonical_json
  FROM carbon_ledger.audit_log l, jsonb_each(l.new_row)
 WHERE table_name = 'audit_format.v' AND operation = 'INSERT' AND new_row->>'id' = '1'
 ORDER BY key COLLATE "C";
-- rebuilt under yet other settings, every record still hashes to its leaf
SET TimeZone = 'Asia/Tokyo'; SET DateStyle = 'SQL, DMY'; SET extra_float_digits = 0;
SELECT count(*) FILTER (WHERE sha256('\x00'::bytea || carbon_ledger.audit_canonical_record(id)) = leaf_hash) AS matching,
       count(*) AS records
  FROM carbon_ledger.audit_log WHERE table_name = 'audit_format.v';
RESET TimeZone; RESET DateStyle; RESET IntervalStyle; RESET extra_float_digits;
RESET bytea_output; RESET lc_monetary;

-- column order does not matter, and adding a nullable column later leaves
-- the old records verifying
CREATE TABLE audit_format.w1 (a int PRIMARY KEY, b text);
CREATE TABLE audit_format.w2 (b text, a int PRIMARY KEY);
SELECT carbon_ledger.audit_enable('audit_format.w1');
SELECT carbon_ledger.audit_enable('audit_format.w2');
INSERT INTO audit_format.w1 VALUES (1, 'x');
INSERT INTO audit_format.w2 VALUES ('x', 1);
SELECT count(*) AS records,
       count(DISTINCT new_row) AS distinct_images
  FROM carbon_ledger.audit_log WHERE table_name IN ('audit_format.w1', 'audit_format.w2') AND operation = 'INSERT';
ALTER TABLE audit_format.w1 ADD COLUMN c text;
INSERT INTO audit_format.w1 VALUES (2, 'y');
SELECT new_row FROM carbon_ledger.audit_log
 WHERE table_name = 'audit_format.w1' AND operation = 'INSERT' ORDER BY id;
SELECT carbon_ledger.audit_seal() >= 0 AS sealed;
SELECT valid, unsealed_records, reason FROM carbon_ledger.audit_verify();

-- RFC 6962 section 2.1 Merkle Tree Hash, the published vectors
-- (test/data/rfc6962-merkle-vectors.txt): roots of the trees of 0 to 8 leaves
WITH leaves(l) AS (SELECT ARRAY['\x'::bytea, '\x00', '\x10', '\x2021', '\x3031',
		'\x40414243', '\x5051525354555657',
		'\x606162636465666768696a6b6c6d6e6f']),
	vectors(n, root) AS (VALUES
		(0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
		(1, '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'),
		(2, 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'),
		(3, 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77'),
		(4, 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'),
		(5, '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4'),
		(6, '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef'),
		(7, 'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c'),
		(8, '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'))
SELECT n, encode(carbon_ledger.audit_merkle_root(
		CASE WHEN n = 0 THEN '{}'::bytea[] ELSE l[1:n] END), 'hex') = root AS matches_rfc6962
  FROM leaves, vectors ORDER BY n;
-- a leaf is SHA-256(0x00 || data), a node SHA-256(0x01 || left || right)
SELECT carbon_ledger.audit_merkle_root(ARRAY['\x616263'::bytea]) = sha256('\x00616263') AS leaf_rule,
       carbon_ledger.audit_merkle_root(ARRAY['\x61'::bytea, '\x62']) =
         sha256('\x01'::bytea || sha256('\x0061') || sha256('\x0062')) AS node_rule;
SELECT carbon_ledger.audit_merkle_root(ARRAY[NULL::bytea]);

SELECT carbon_ledger.audit_disable('audit_format.v');
SELECT carbon_ledger.audit_disable('audit_format.w1');
SELECT carbon_ledger.audit_disable('audit_format.w2');
DROP SCHEMA audit_format CASCADE;
