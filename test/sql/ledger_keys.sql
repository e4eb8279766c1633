-- Citus distributes a table by one column and requires every primary key,
-- unique constraint, unique index and foreign key between distributed
-- tables to include it (docs/scale-out.md, "Citus").  The ledger's tables
-- that follow an account are distributed by account_no, those that follow
-- a loan by loan_no: this test fails if a key of theirs leaves that column
-- out, or if one has no primary key.  The other tables of the schema are
-- small reference tables.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;

CREATE TEMP TABLE distribution (tbl regclass, col name);
INSERT INTO distribution VALUES
	('carbon_ledger.account', 'account_no'),
	('carbon_ledger.activity', 'account_no'),
	('carbon_ledger.redemption', 'account_no'),
	('carbon_ledger.credit_lot', 'account_no'),
	('carbon_ledger.credit_allocation', 'account_no'),
	('carbon_ledger.credit_expiry', 'account_no'),
	('carbon_ledger.green_loan', 'loan_no'),
	('carbon_ledger.loan_repayment', 'loan_no'),
	-- distributed by its own key, in a colocation group of its own
	('carbon_ledger.request', 'request_id');

-- every table of the schema is either distributed above or a reference
-- table below: a new table must be placed in one of the two lists
SELECT c.oid::regclass AS unplaced_table
FROM pg_class c
WHERE c.relnamespace = 'carbon_ledger'::regnamespace AND c.relkind IN ('r', 'p')
  AND c.oid NOT IN (SELECT tbl FROM distribution)
  AND c.relname NOT IN ('programme', 'programme_activity_cap', 'region',
						'uscc_exception', 'loan_book')
  -- one audit chain per node: the trail's tables stay local
  AND c.relname NOT LIKE 'audit\_%'
ORDER BY 1;

-- every distributed table has a primary key: Citus moves a shard by
-- logical replication (citus.shard_transfer_mode 'auto'), which refuses a
-- table with neither a primary key nor a replica identity
SELECT d.tbl AS distributed_table_without_primary_key
FROM distribution d
WHERE NOT EXISTS (SELECT 1 FROM pg_index i
				  WHERE i.indrelid = d.tbl AND i.indisprimary)
ORDER BY 1;

-- the identity sequences of those keys are dumped with the extension's
-- data (pg_extension_config_dump), so that a restored ledger numbers on
-- from where it was instead of repeating ids
SELECT s.oid::regclass AS identity_sequence_not_dumped
FROM distribution d
JOIN pg_depend p ON p.refclassid = 'pg_class'::regclass
	AND p.refobjid = d.tbl AND p.deptype = 'i'
JOIN pg_class s ON s.oid = p.objid AND s.relkind = 'S'
WHERE s.oid <> ALL ((SELECT e.extconfig FROM pg_extension e
					 WHERE e.extname = 'carbon_ledger')::oid[])
ORDER BY 1;

-- the keys and unique indexes of the distributed tables, with the column
-- each must contain: none may be missing it
SELECT d.tbl, i.indexrelid::regclass AS key_without_distribution_column
FROM distribution d
JOIN pg_index i ON i.indrelid = d.tbl AND i.indisunique
WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
				  WHERE a.attrelid = d.tbl AND a.attname = d.col
					AND a.attnum = ANY (i.indkey))
ORDER BY 1, 2;

-- foreign keys between distributed tables must link the distribution
-- columns of colocated tables
SELECT d.tbl, c.conname AS foreign_key_without_distribution_column
FROM distribution d
JOIN pg_constraint c ON c.conrelid = d.tbl AND c.contype = 'f'
JOIN distribution r ON r.tbl = c.confrelid
WHERE NOT EXISTS (SELECT 1
				  FROM unnest(c.conkey, c.confkey) AS k(fk, pk)
				  JOIN pg_attribute fa ON fa.attrelid = d.tbl AND fa.attnum = k.fk
				  JOIN pg_attribute pa ON pa.attrelid = r.tbl AND pa.attnum = k.pk
				  WHERE fa.attname = d.col AND pa.attname = r.col)
ORDER BY 1, 2;

-- what the keys are, for the reader
SELECT i.indrelid::regclass AS tbl, pg_get_indexdef(i.indexrelid) AS key
FROM distribution d JOIN pg_index i ON i.indrelid = d.tbl AND i.indisunique
ORDER BY 1, 2;

-- The key a Citus deployment gives request (docs/scale-out.md): with
-- (account_no, request_id) instead of (request_id), the booking triggers'
-- claims (ON CONFLICT with no target) still book once and refuse a
-- replay with LD006.
BEGIN;
ALTER TABLE carbon_ledger.request DROP CONSTRAINT request_pkey,
	ADD PRIMARY KEY (account_no, request_id);
INSERT INTO carbon_ledger.programme
	(programme_id, name, credits_per_tonne, credit_lifetime)
VALUES ('KEYS', 'keys test', 1000, '10 years');
INSERT INTO carbon_ledger.account
	(account_no, holder_ref, programme_id, region_code, opened_at)
VALUES ('KEYS-1', 'k1', 'KEYS', '540102', '2024-01-01');
INSERT INTO carbon_ledger.activity
	(account_no, kind, reduction, occurred_at, request_id)
VALUES ('KEYS-1', 'bus', '2 kg', '2024-02-01', 'keys-r1');
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('KEYS-1', 1, 'tea', 'keys-r2');
\set VERBOSITY sqlstate
INSERT INTO carbon_ledger.redemption (account_no, credits, item, request_id)
VALUES ('KEYS-1', 1, 'tea', 'keys-r2');
\set VERBOSITY default
ROLLBACK;
