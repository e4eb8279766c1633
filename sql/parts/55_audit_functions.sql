-- carbon_ledger install script, part 55: the audit trail's functions.
--
-- All are C (src/audit.c, src/audit_chain.c).  Functions that read the HMAC
-- keys or write the chain run as the extension owner (SECURITY DEFINER) and
-- are not executable by PUBLIC: grant them to the roles that need them.

-- No SET clause: a function-level SET makes every call go through
-- fmgr_security_definer (a GUC nest level per row, a tenth of the trigger's
-- cost).  The trigger needs none: it runs no SQL, finds the trail's
-- relations by schema name (cl_audit_relid), writes them through the heap,
-- and its canonical text depends on no search_path (reg* values are
-- written as OIDs).  It is not SECURITY DEFINER either: it needs no
-- privilege on the trail's tables, which it writes without the executor.
CREATE FUNCTION carbon_ledger.audit_trigger()
	RETURNS trigger
	LANGUAGE C
	AS 'MODULE_PATHNAME', 'cl_audit_trigger';
COMMENT ON FUNCTION carbon_ledger.audit_trigger() IS
	'Audit trigger: records each row change (and TRUNCATE) in carbon_ledger.audit_log';

CREATE FUNCTION carbon_ledger.audit_enable(regclass)
	RETURNS void
	LANGUAGE C STRICT VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_enable';
COMMENT ON FUNCTION carbon_ledger.audit_enable(regclass) IS
	'Start auditing a table (recorded in the chain)';

CREATE FUNCTION carbon_ledger.audit_disable(regclass)
	RETURNS void
	LANGUAGE C STRICT VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_disable';
COMMENT ON FUNCTION carbon_ledger.audit_disable(regclass) IS
	'Stop auditing a table (recorded in the chain)';

CREATE FUNCTION carbon_ledger.audit_seal()
	RETURNS bigint
	LANGUAGE C STRICT VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_seal';
COMMENT ON FUNCTION carbon_ledger.audit_seal() IS
	'Link every committed, unsealed audit record into the chain; returns the number of records sealed';

CREATE FUNCTION carbon_ledger.audit_verify()
	RETURNS carbon_ledger.audit_verify_result
	LANGUAGE C STRICT VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_verify';
COMMENT ON FUNCTION carbon_ledger.audit_verify() IS
	'Recompute every record hash, Merkle root and block link of the audit trail';

-- Not STRICT: a NULL digest is an error (22004), not a row of NULLs that
-- a monitor testing "NOT valid" would take for success.
CREATE FUNCTION carbon_ledger.audit_verify(digest carbon_ledger.audit_chain_digest)
	RETURNS carbon_ledger.audit_verify_result
	LANGUAGE C VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_verify_digest';
COMMENT ON FUNCTION carbon_ledger.audit_verify(carbon_ledger.audit_chain_digest) IS
	'Verify the audit trail and that it still extends a digest saved earlier';

CREATE FUNCTION carbon_ledger.audit_digest()
	RETURNS carbon_ledger.audit_chain_digest
	LANGUAGE C STRICT VOLATILE SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_digest';
COMMENT ON FUNCTION carbon_ledger.audit_digest() IS
	'Head of the audit chain (block number and hash) and the identity of its database';

CREATE FUNCTION carbon_ledger.audit_set_key(key bytea)
	RETURNS integer
	LANGUAGE C STRICT VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_set_key';
COMMENT ON FUNCTION carbon_ledger.audit_set_key(bytea) IS
	'Superuser only: HMAC-SHA-256 key for the blocks sealed from now on; returns its id';

CREATE FUNCTION carbon_ledger.audit_restore_key(key_id integer, key bytea)
	RETURNS void
	LANGUAGE C STRICT VOLATILE
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_restore_key';
COMMENT ON FUNCTION carbon_ledger.audit_restore_key(integer, bytea) IS
	'Superuser only: reinstall an HMAC key after pg_restore (keys are never dumped)';

CREATE FUNCTION carbon_ledger.audit_canonical_record(id bigint)
	RETURNS bytea
	LANGUAGE C STRICT STABLE
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_canonical_record';
COMMENT ON FUNCTION carbon_ledger.audit_canonical_record(bigint) IS
	'Canonical bytes of an audit record rebuilt from its columns (its leaf hash is sha256(''\x00'' || these bytes))';

-- Called by audit_verify() for every record, possibly in parallel workers:
-- PARALLEL SAFE, and no SET clause (it runs no SQL).  Takes the columns of
-- audit_log (leaf_hash excepted), not the whole row, which the executor
-- would copy for every call.
CREATE FUNCTION carbon_ledger.audit_record_leaf(id bigint,
	xid pg_catalog.xid8, ordinal integer, table_name text, operation text,
	row_key jsonb, old_row jsonb, new_row jsonb, session_user_name text,
	current_user_name text, xact_start timestamptz, stmt_time timestamptz,
	format_version integer)
	RETURNS bytea
	LANGUAGE C STABLE PARALLEL SAFE COST 100
	AS 'MODULE_PATHNAME', 'cl_audit_stored_leaf';
COMMENT ON FUNCTION carbon_ledger.audit_record_leaf(bigint, pg_catalog.xid8,
	integer, text, text, jsonb, jsonb, jsonb, text, text, timestamptz,
	timestamptz, integer) IS
	'Leaf hash of an audit record recomputed from the columns of its audit_log row (NULL if it is not a record the trigger writes)';

CREATE FUNCTION carbon_ledger.audit_merkle_root(leaves bytea[])
	RETURNS bytea
	LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'cl_audit_merkle_root';
COMMENT ON FUNCTION carbon_ledger.audit_merkle_root(bytea[]) IS
	'RFC 6962 Merkle Tree Hash (SHA-256) over leaf inputs';

CREATE FUNCTION carbon_ledger.audit_protect()
	RETURNS trigger
	LANGUAGE C
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_protect';
COMMENT ON FUNCTION carbon_ledger.audit_protect() IS
	'Refuses UPDATE, DELETE and TRUNCATE of the audit trail''s tables';

CREATE FUNCTION carbon_ledger.audit_guard()
	RETURNS event_trigger
	LANGUAGE C
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'cl_audit_guard';
COMMENT ON FUNCTION carbon_ledger.audit_guard() IS
	'Refuses disabling, renaming or dropping audit triggers outside audit_disable()';

REVOKE ALL ON FUNCTION carbon_ledger.audit_enable(regclass),
	carbon_ledger.audit_disable(regclass), carbon_ledger.audit_seal(),
	carbon_ledger.audit_verify(),
	carbon_ledger.audit_verify(carbon_ledger.audit_chain_digest),
	carbon_ledger.audit_digest(), carbon_ledger.audit_set_key(bytea),
	carbon_ledger.audit_restore_key(integer, bytea) FROM PUBLIC;
