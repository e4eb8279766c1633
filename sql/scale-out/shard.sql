-- carbon_ledger scale-out: the objects a shard server needs.
--
-- Run once in the shard's database, after CREATE EXTENSION carbon_ledger:
--
--     psql -d ledger -f sql/scale-out/shard.sql
--
-- The coordinator partitions every ledger table by region_code. account,
-- green_loan and loan_book carry region_code themselves, so the
-- coordinator's foreign partitions point at them directly. activity,
-- redemption and loan_repayment do not: the views of schema scale_out
-- below add the region of the account (or loan) they belong to, and route
-- an INSERT into the ledger table, where the extension's rule and audit
-- triggers fire as for any other client. See docs/scale-out.md.

CREATE SCHEMA scale_out;
COMMENT ON SCHEMA scale_out IS
	'carbon_ledger scale-out: ledger tables as seen by the coordinator';

-- insert_routed(): INSTEAD OF INSERT trigger of the scale_out views.
--
-- Arguments: the ledger table to insert into, the column naming the parent
-- row, and the parent table holding region_code. The region the
-- coordinator routed the row by must be the parent's region (a row routed
-- to the wrong shard finds no parent here, and the ledger rejects it as it
-- rejects any row naming a missing account or loan). Columns that arrive
-- NULL are left out of the INSERT, so that the ledger's own defaults,
-- identities and triggers fill them exactly as for a local client.
CREATE FUNCTION scale_out.insert_routed()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	target		regclass := TG_ARGV[0]::regclass;
	parent_key	text := TG_ARGV[1];
	parent		regclass := TG_ARGV[2]::regclass;
	fields		jsonb := to_jsonb(NEW) - 'region_code';
	parent_region text;
	columns		text;
	inserted	jsonb;
BEGIN
	EXECUTE format('SELECT region_code FROM %s '
				   'WHERE %I OPERATOR(pg_catalog.=) $1',
				   parent, parent_key)
		INTO parent_region
		USING fields ->> parent_key;
	IF parent_region IS DISTINCT FROM NEW.region_code
		AND parent_region IS NOT NULL THEN
		RAISE EXCEPTION 'row of % routed by region_code "%" belongs to region "%"',
			target, NEW.region_code, parent_region
			USING ERRCODE = 'check_violation',
			DETAIL = format('%s "%s" is in region "%s".',
							parent_key, fields ->> parent_key, parent_region),
			HINT = 'Give the region_code of the account or loan the row belongs to.';
	END IF;

	fields := jsonb_strip_nulls(fields);
	SELECT string_agg(quote_ident(k), ', ')
		INTO columns
		FROM jsonb_object_keys(fields) AS k;
	EXECUTE format('INSERT INTO %s AS t (%s) SELECT %s FROM '
				   'pg_catalog.jsonb_populate_record(NULL::%s, $1) '
				   'RETURNING pg_catalog.to_jsonb(t.*)',
				   target, columns, columns, target)
		INTO inserted
		USING fields;

	NEW := jsonb_populate_record(NEW, inserted);
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION scale_out.insert_routed() IS
	'INSTEAD OF INSERT trigger of the scale_out views: checks the region and inserts into the ledger table';

-- expose(ledger_table, parent_key, parent): create the view
-- scale_out.<ledger_table> (its rows with the region_code of the parent row
-- they name) and its INSTEAD OF INSERT trigger.
CREATE FUNCTION scale_out.expose(ledger_table name, parent_key name,
								 parent name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	EXECUTE format('CREATE VIEW scale_out.%1$I AS '
				   'SELECT t.*, p.region_code '
				   'FROM carbon_ledger.%1$I AS t JOIN carbon_ledger.%3$I AS p '
				   'ON p.%2$I OPERATOR(pg_catalog.=) t.%2$I',
				   ledger_table, parent_key, parent);
	EXECUTE format('CREATE TRIGGER insert_routed INSTEAD OF INSERT '
				   'ON scale_out.%1$I FOR EACH ROW '
				   'EXECUTE FUNCTION scale_out.insert_routed(%2$L, %3$L, %4$L)',
				   ledger_table, 'carbon_ledger.' || quote_ident(ledger_table),
				   parent_key, 'carbon_ledger.' || quote_ident(parent));
	EXECUTE format('COMMENT ON VIEW scale_out.%1$I IS %2$L',
				   ledger_table,
				   format('carbon_ledger.%s with the region_code of its %s',
						  ledger_table, parent));
END
$$;
COMMENT ON FUNCTION scale_out.expose(name, name, name) IS
	'creates the scale_out view of a ledger table that has no region_code of its own';

SELECT scale_out.expose('activity', 'account_no', 'account');
SELECT scale_out.expose('redemption', 'account_no', 'account');
SELECT scale_out.expose('loan_repayment', 'loan_no', 'green_loan');

-- Privileges of the extension's roles on the shard, for the roles the
-- coordinator's user mappings name (grant those login roles the
-- extension's roles). The views are read and written as the ledger tables
-- they show: the INSTEAD OF trigger inserts as the calling role, with its
-- privileges on the ledger table.
GRANT USAGE ON SCHEMA scale_out TO carbon_ledger_reader, carbon_ledger_booker,
	carbon_ledger_manager, carbon_ledger_auditor;
GRANT SELECT ON scale_out.activity, scale_out.redemption,
	scale_out.loan_repayment
	TO carbon_ledger_reader, carbon_ledger_manager, carbon_ledger_auditor;
GRANT SELECT, INSERT ON scale_out.activity, scale_out.redemption
	TO carbon_ledger_booker;
GRANT INSERT ON scale_out.loan_repayment TO carbon_ledger_manager;
-- postgres_fdw names every column in an INSERT, DEFAULT for the columns the
-- shard keeps, so opening an account through the coordinator needs INSERT
-- on account.balance as well. The account guard still refuses any balance
-- but zero on INSERT (LD014), and UPDATE of balance stays ungranted.
GRANT INSERT (balance) ON carbon_ledger.account TO carbon_ledger_manager;
