-- carbon_ledger install script, part 50: the audit trail's tables.
--
-- audit_log holds one row per audited change, written by the C trigger
-- (src/audit.c) straight into the heap; audit_pending is the queue of
-- committed records not yet linked into the chain; audit_block and
-- audit_block_xact are the chain.  audit_key holds the HMAC keys and is the
-- one table whose contents are never dumped.  The design is in
-- docs/audit.md, the hashed bytes in docs/audit-format.md.

CREATE SEQUENCE carbon_ledger.audit_log_id_seq;

CREATE TABLE carbon_ledger.audit_log (
	id bigint NOT NULL,
	xid pg_catalog.xid8 NOT NULL,
	ordinal integer NOT NULL,
	table_name text NOT NULL,
	operation text NOT NULL,
	row_key jsonb,
	old_row jsonb,
	new_row jsonb,
	session_user_name text NOT NULL,
	current_user_name text NOT NULL,
	xact_start timestamptz NOT NULL,
	stmt_time timestamptz NOT NULL,
	format_version integer NOT NULL,
	leaf_hash bytea NOT NULL
);
-- Not unique on purpose: a record is named by its transaction and ordinal
-- (which its hash covers); ids only order a transaction's records.  When
-- pg_restore loads audited extension tables before the log, their audit
-- triggers write records whose ids, from the fresh sequence, repeat ids of
-- the records restored afterwards; a unique index would reject the log.
CREATE INDEX audit_log_id_idx ON carbon_ledger.audit_log (id);
ALTER SEQUENCE carbon_ledger.audit_log_id_seq
	OWNED BY carbon_ledger.audit_log.id;
COMMENT ON TABLE carbon_ledger.audit_log IS
	'Append-only audit records: one per audited INSERT, UPDATE, DELETE, TRUNCATE, enable or disable';
COMMENT ON COLUMN carbon_ledger.audit_log.ordinal IS
	'Position of the record within its transaction';
COMMENT ON COLUMN carbon_ledger.audit_log.table_name IS
	'Schema-qualified, quoted name of the audited table when the change was made';
COMMENT ON COLUMN carbon_ledger.audit_log.row_key IS
	'Replica identity (normally primary key) columns of the row, as canonical text';
COMMENT ON COLUMN carbon_ledger.audit_log.leaf_hash IS
	'SHA-256(0x00 || canonical record), see docs/audit-format.md';

-- Committed transactions wait here until audit_seal() links their records
-- into a block: one row per transaction, written with its first record (or
-- again when its first row was rolled back with a savepoint).  No index:
-- writers only append, the sealer reads everything it can see.
CREATE TABLE carbon_ledger.audit_pending (
	xid pg_catalog.xid8 NOT NULL,
	xact_start timestamptz NOT NULL,
	ordinal integer NOT NULL,
	id bigint NOT NULL,
	leaf_hash bytea NOT NULL
);
COMMENT ON TABLE carbon_ledger.audit_pending IS
	'Transactions whose audit records are not yet sealed into a block (one entry per transaction, naming its first record)';

CREATE TABLE carbon_ledger.audit_block (
	block_no bigint NOT NULL,
	prev_hash bytea NOT NULL,
	merkle_root bytea NOT NULL,
	n_transactions bigint NOT NULL,
	n_records bigint NOT NULL,
	system_identifier numeric(20, 0) NOT NULL,
	database_oid oid NOT NULL,
	database_name text NOT NULL,
	key_id integer,
	format_version integer NOT NULL,
	block_hash bytea NOT NULL,
	sealed_at timestamptz NOT NULL,
	CONSTRAINT audit_block_pkey PRIMARY KEY (block_no)
);
COMMENT ON TABLE carbon_ledger.audit_block IS
	'The chain: each block hashes the previous block, the Merkle root of its transactions, its number and the database identity';

CREATE TABLE carbon_ledger.audit_block_xact (
	block_no bigint NOT NULL,
	position integer NOT NULL,
	xid pg_catalog.xid8 NOT NULL,
	xact_start timestamptz NOT NULL,
	n_records bigint NOT NULL,
	merkle_root bytea NOT NULL,
	CONSTRAINT audit_block_xact_pkey PRIMARY KEY (block_no, position),
	CONSTRAINT audit_block_xact_xid_key UNIQUE (xid, xact_start)
);
COMMENT ON TABLE carbon_ledger.audit_block_xact IS
	'The transactions of each block, in block order, with the Merkle root of their records';
COMMENT ON COLUMN carbon_ledger.audit_block_xact.xact_start IS
	'Start of the transaction: with xid, names it even after a restore into another cluster, whose transaction ids start again';

-- HMAC keys.  Not a configuration table: its rows never appear in pg_dump
-- output, and no role but a superuser can read it.
CREATE TABLE carbon_ledger.audit_key (
	key_id integer NOT NULL,
	key bytea NOT NULL,
	first_block bigint NOT NULL,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT audit_key_pkey PRIMARY KEY (key_id)
);
COMMENT ON TABLE carbon_ledger.audit_key IS
	'HMAC-SHA-256 keys of the keyed chain (superuser only, never dumped)';

REVOKE ALL ON carbon_ledger.audit_log, carbon_ledger.audit_pending,
	carbon_ledger.audit_block, carbon_ledger.audit_block_xact,
	carbon_ledger.audit_key, carbon_ledger.audit_log_id_seq FROM PUBLIC;

-- The trail is data: pg_dump keeps it (the keys excepted).
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.audit_log_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.audit_pending', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.audit_block', '');
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.audit_block_xact', '');

CREATE TYPE carbon_ledger.audit_chain_digest AS (
	block_no bigint,
	block_hash bytea,
	system_identifier numeric(20, 0),
	database_oid oid,
	database_name text
);
COMMENT ON TYPE carbon_ledger.audit_chain_digest IS
	'Head of the audit chain and the identity of its database, for anchoring outside it';

CREATE TYPE carbon_ledger.audit_verify_result AS (
	valid boolean,
	records_checked bigint,
	blocks_checked bigint,
	unsealed_records bigint,
	first_bad_id bigint,
	first_bad_block bigint,
	reason text
);
COMMENT ON TYPE carbon_ledger.audit_verify_result IS
	'Result of carbon_ledger.audit_verify()';
