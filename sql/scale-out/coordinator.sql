-- carbon_ledger scale-out: the objects of the coordinator.
--
-- Run once in the coordinator's database, after
-- CREATE EXTENSION postgres_fdw and CREATE EXTENSION carbon_ledger (the same
-- version, in the same schema, as on the shards):
--
--     psql -d national -f sql/scale-out/coordinator.sql
--
-- then, for each shard, CREATE SERVER ... OPTIONS (..., extensions
-- 'carbon_ledger'), CREATE USER MAPPING, and
--
--     SELECT national.attach_shard('shard_a', '540000', '540400');
--
-- Schema national holds one table per ledger table, partitioned by
-- region_code; every partition is a postgres_fdw foreign table on a shard.
-- See docs/scale-out.md.

CREATE SCHEMA national;
COMMENT ON SCHEMA national IS
	'carbon_ledger scale-out: ledger tables partitioned by region across shard servers';

-- The ledger tables the coordinator exposes: where each lives on a shard,
-- whether its region comes from its parent row (through a scale_out view),
-- and which of its columns the shard's ledger fills in itself (identities,
-- balances, derived credits and amounts, booking times). Those become
-- generated columns here, so that postgres_fdw sends DEFAULT for them and
-- the shard computes them as it does for a local client.
CREATE TABLE national.ledger_table (
	table_name	text PRIMARY KEY,
	remote_schema text NOT NULL,
	remote_table text NOT NULL,
	region_from_parent boolean NOT NULL,
	kept_by_shard text[] NOT NULL
);
COMMENT ON TABLE national.ledger_table IS
	'ledger tables of the coordinator and the shard relation behind each';
INSERT INTO national.ledger_table VALUES
	('account', 'carbon_ledger', 'account', false, '{balance,closed_at}'),
	('activity', 'scale_out', 'activity', true,
	 '{activity_id,credits,credits_uncapped,booked_at}'),
	('redemption', 'scale_out', 'redemption', true,
	 '{redemption_id,booked_at}'),
	('green_loan', 'carbon_ledger', 'green_loan', false,
	 '{attributed_reduction,refinance_amount,refinance_rate,refinance_maturity,booked_at}'),
	('loan_repayment', 'scale_out', 'loan_repayment', true,
	 '{repayment_id,booked_at}'),
	('loan_book', 'carbon_ledger', 'loan_book', false, '{}');

-- create_tables(): create national.<table> for every row of
-- national.ledger_table, with the columns of the coordinator's own
-- carbon_ledger.<table> (the extension is the same version everywhere),
-- plus region_code where the shard's view adds it, partitioned by range of
-- region_code. postgres_fdw sends every column of an INSERT, NULL for one
-- the client left out: the scale_out views drop NULLs so that the shard's
-- defaults apply (evaluated by the shard, on its clock), while for a table
-- reached directly the default is copied here. No constraint is copied:
-- the shard enforces them.
CREATE FUNCTION national.create_tables()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t			record;
	columns		text;
BEGIN
	FOR t IN SELECT * FROM national.ledger_table ORDER BY table_name LOOP
		IF EXISTS (SELECT FROM unnest(t.kept_by_shard) AS k(name)
				   WHERE NOT EXISTS (SELECT FROM pg_attribute AS a
									 WHERE a.attrelid = format('carbon_ledger.%I', t.table_name)::regclass
										 AND a.attname = k.name
										 AND NOT a.attisdropped)) THEN
			RAISE EXCEPTION 'carbon_ledger.% has no column of national.ledger_table.kept_by_shard %',
				t.table_name, t.kept_by_shard
				USING ERRCODE = 'undefined_column',
				HINT = 'Bring national.ledger_table in line with the installed carbon_ledger version.';
		END IF;
		SELECT string_agg(
				   format('%I %s', a.attname,
						  format_type(a.atttypid, a.atttypmod)) ||
				   CASE
					   WHEN a.attidentity <> ''
						   OR a.attname = ANY (t.kept_by_shard)
					   THEN format(' GENERATED ALWAYS AS (NULL::%s) STORED',
								   format_type(a.atttypid, a.atttypmod))
					   WHEN d.adbin IS NOT NULL AND NOT t.region_from_parent
					   THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid)
					   ELSE ''
				   END,
				   ', ' ORDER BY a.attnum)
			INTO columns
			FROM pg_attribute AS a
				LEFT JOIN pg_attrdef AS d
				ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE a.attrelid = format('carbon_ledger.%I', t.table_name)::regclass
				AND a.attnum > 0
				AND NOT a.attisdropped;
		IF t.region_from_parent THEN
			columns := columns || ', region_code text NOT NULL';
		END IF;
		EXECUTE format('CREATE TABLE national.%I (%s) PARTITION BY RANGE (region_code)',
					   t.table_name, columns);
	END LOOP;
END
$$;
COMMENT ON FUNCTION national.create_tables() IS
	'creates the partitioned tables of schema national from the extension''s ledger tables';

-- attach_shard(server, region_from, region_to): make the shard behind the
-- foreign server hold the region codes from region_from (included) to
-- region_to (excluded) of every national table.
CREATE FUNCTION national.attach_shard(server name, region_from text,
									  region_to text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t			record;
BEGIN
	FOR t IN SELECT * FROM national.ledger_table ORDER BY table_name LOOP
		EXECUTE format('CREATE FOREIGN TABLE national.%I PARTITION OF national.%I '
					   'FOR VALUES FROM (%L) TO (%L) SERVER %I '
					   'OPTIONS (schema_name %L, table_name %L)',
					   t.table_name || '_' || server, t.table_name,
					   region_from, region_to, server,
					   t.remote_schema, t.remote_table);
	END LOOP;
END
$$;
COMMENT ON FUNCTION national.attach_shard(name, text, text) IS
	'creates the foreign partitions of every national table for the region codes a shard holds';

SELECT national.create_tables();
