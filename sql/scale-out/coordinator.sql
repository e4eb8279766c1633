-- carbon_ledger scale-out: the objects of the coordinator.
--
-- Run once in the coordinator's database (named "ledger" in
-- docs/scale-out.md, like the shards'), after CREATE EXTENSION postgres_fdw
-- and CREATE EXTENSION carbon_ledger (the same version, in the same schema,
-- as on the shards):
--
--     psql -d ledger -f sql/scale-out/coordinator.sql
--
-- then, for each shard, CREATE SERVER ... OPTIONS (..., extensions
-- 'carbon_ledger'), CREATE USER MAPPING, and
--
--     SELECT national.attach_shard('shard_a', '540000', '540400');
--
-- Schema national holds one table per ledger table, partitioned by
-- region_code; every partition is a postgres_fdw foreign table on a shard.
-- national.regional_summary() is the national regional report, aggregated
-- on the shards. Run the script with the extension's schema on the
-- search_path (as by default for "public"). See docs/scale-out.md.

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
	 '{attributed_reduction,refinance_amount,refinance_rate,'
	 'refinance_maturity,repaid,booked_at}'),
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
-- the shard enforces them. Each table gets the trigger keep_region
-- (below), which its foreign partitions inherit.
CREATE FUNCTION national.create_tables()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t			record;
	source		regclass;
	missing		text;
	columns		text;
BEGIN
	FOR t IN SELECT * FROM national.ledger_table ORDER BY table_name LOOP
		source := format('carbon_ledger.%I', t.table_name)::regclass;
		SELECT string_agg(k.name, ', ') INTO missing
			FROM unnest(t.kept_by_shard) AS k(name)
			WHERE NOT EXISTS (SELECT FROM pg_attribute AS a
							  WHERE a.attrelid = source
								  AND a.attname = k.name
								  AND NOT a.attisdropped);
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION 'table % has no column %', source, missing
				USING ERRCODE = 'undefined_column',
				DETAIL = 'national.ledger_table.kept_by_shard names it.',
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
			WHERE a.attrelid = source
				AND a.attnum > 0
				AND NOT a.attisdropped;
		IF t.region_from_parent THEN
			columns := columns || ', region_code text NOT NULL';
		END IF;
		EXECUTE format('CREATE TABLE national.%I (%s) '
					   'PARTITION BY RANGE (region_code)',
					   t.table_name, columns);
		EXECUTE format('CREATE TRIGGER keep_region '
					   'AFTER UPDATE OF region_code ON national.%I '
					   'FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM '
					   'NEW.region_code) '
					   'EXECUTE FUNCTION national.keep_region()',
					   t.table_name);
	END LOOP;
END
$$;
COMMENT ON FUNCTION national.create_tables() IS
	'creates the partitioned tables of schema national from the extension''s ledger tables';

-- attach_shard(server, region_from, region_to): make the shard behind the
-- foreign server hold the region codes from region_from (included) to
-- region_to (excluded) of every national table. The shard must run
-- carbon_ledger at the version and in the schema it has here: remote SQL
-- names the extension's functions by schema, and both sides must mean the
-- same definitions by them (checked through two foreign tables on the
-- shard's catalogs, dropped again).
CREATE FUNCTION national.attach_shard(server name, region_from text,
									  region_to text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t			record;
	here		text;
	there		text;
BEGIN
	-- a server holds one range: attaching it again is a mistake to name
	SELECT pg_get_expr(c.relpartbound, c.oid) INTO there
	FROM pg_foreign_table f
	JOIN pg_class c ON c.oid = f.ftrelid
	JOIN pg_foreign_server s ON s.oid = f.ftserver
	WHERE s.srvname = server AND c.relispartition
	  AND c.relnamespace = 'national'::regnamespace
	LIMIT 1;
	IF there IS NOT NULL THEN
		RAISE EXCEPTION 'server "%" is already attached', server
			USING ERRCODE = 'duplicate_object',
			DETAIL = format('Its partitions hold the region codes %s.', there),
			HINT = 'A server holds one range of codes; give another range its own database and server.';
	END IF;

	SELECT e.extversion || ' in schema ' || n.nspname INTO STRICT here
	FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
	WHERE e.extname = 'carbon_ledger';
	EXECUTE format('CREATE FOREIGN TABLE national.shard_extension '
				   '(extname name, extversion text, extnamespace oid) '
				   'SERVER %I OPTIONS (schema_name %L, table_name %L)',
				   server, 'pg_catalog', 'pg_extension');
	EXECUTE format('CREATE FOREIGN TABLE national.shard_namespace '
				   '(oid oid, nspname name) '
				   'SERVER %I OPTIONS (schema_name %L, table_name %L)',
				   server, 'pg_catalog', 'pg_namespace');
	SELECT e.extversion || ' in schema ' || n.nspname INTO there
	FROM national.shard_extension e
	JOIN national.shard_namespace n ON n.oid = e.extnamespace
	WHERE e.extname = 'carbon_ledger';
	DROP FOREIGN TABLE national.shard_extension, national.shard_namespace;
	IF there IS DISTINCT FROM here THEN
		RAISE EXCEPTION 'server "%" does not run carbon_ledger % as this database does',
			server, here
			USING ERRCODE = 'object_not_in_prerequisite_state',
			DETAIL = format('The shard has %s.',
							coalesce('carbon_ledger ' || there,
									 'no carbon_ledger extension')),
			HINT = 'Install or update the extension on the shard to the same version, in the same schema.';
	END IF;

	FOR t IN SELECT * FROM national.ledger_table ORDER BY table_name LOOP
		EXECUTE format('CREATE FOREIGN TABLE national.%I '
					   'PARTITION OF national.%I '
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

-- check_placement(): for every foreign partition, how many of the rows it
-- returns lie outside its bounds. postgres_fdw does not check bounds on
-- read: a row written on a shard directly, with the region of another
-- shard, would be counted under the wrong shard and missed by queries
-- pruned to its region. The counts run on the shards.
CREATE FUNCTION national.check_placement()
RETURNS TABLE (partition_name regclass, misplaced bigint)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p			record;
BEGIN
	FOR p IN
		SELECT c.oid::regclass AS part,
			   pg_get_partition_constraintdef(c.oid) AS bounds
		FROM national.ledger_table t
		JOIN pg_inherits i
			ON i.inhparent = format('national.%I', t.table_name)::regclass
		JOIN pg_class c ON c.oid = i.inhrelid
		ORDER BY c.relname
	LOOP
		partition_name := p.part;
		EXECUTE format('SELECT count(*) FROM %s WHERE NOT (%s)',
					   p.part, p.bounds)
			INTO misplaced;
		RETURN NEXT;
	END LOOP;
END
$$;
COMMENT ON FUNCTION national.check_placement() IS
	'rows of each foreign partition that lie outside its region bounds (should all be 0)';

-- keep_region(): AFTER UPDATE row trigger of every national table, cloned
-- onto each foreign partition. PostgreSQL checks a partition's bounds
-- only for local partitions: postgres_fdw sends an UPDATE of region_code
-- to the shard as it is, and the row would stay on its shard with a
-- region of another shard's range (counted under the wrong shard, missed
-- by queries pruned to its region). The trigger refuses a new region_code
-- outside the bounds of the partition that holds the row; raised after
-- the shard's own UPDATE, the error rolls back the remote transaction with
-- the local one. A change of region within the shard's range goes through.
-- An AFTER trigger, not a BEFORE one: with a BEFORE UPDATE row trigger,
-- postgres_fdw sends every column, those the shard keeps included.
CREATE FUNCTION national.keep_region()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	inside		boolean;
	bounds		text;
	server		name;
	parent		name;
BEGIN
	EXECUTE format('SELECT %s FROM (SELECT ($1).*) AS r',
				   pg_get_partition_constraintdef(TG_RELID))
		INTO inside
		USING NEW;
	IF inside IS NOT TRUE THEN
		SELECT pg_get_expr(c.relpartbound, c.oid), s.srvname
			INTO bounds, server
			FROM pg_class c
			JOIN pg_foreign_table f ON f.ftrelid = c.oid
			JOIN pg_foreign_server s ON s.oid = f.ftserver
			WHERE c.oid = TG_RELID;
		SELECT p.relname INTO parent
			FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
			WHERE i.inhrelid = TG_RELID;
		RAISE EXCEPTION 'cannot move a row of national.% to another shard',
			parent
			USING ERRCODE = 'check_violation',
			DETAIL = format('The row of region_code "%s" is stored on server "%s", '
							'whose partition %s is %s; region_code "%s" is not in it.',
							OLD.region_code, server, TG_RELID::regclass,
							bounds, NEW.region_code),
			HINT = CASE parent
				WHEN 'account' THEN 'Rows do not move between shards: close the account and open a new one in the new region.'
				WHEN 'green_loan' THEN 'Rows do not move between shards: book the loan anew under the new region (a new loan_no) and settle the old one.'
				ELSE 'Rows do not move between shards: insert the row anew with the new region.'
			END;
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION national.keep_region() IS
	'trigger of the national tables: refuses an UPDATE of region_code that leaves the bounds of the row''s partition';

SELECT national.create_tables();

-- regional_summary(period_start, period_end, time_zone): the national
-- counterpart of carbon_ledger.regional_summary(), with the same columns:
-- one row per prefecture-level region and a total row (region_code NULL).
-- Every aggregate over the ledger tables is grouped by region_code, the
-- partition key, so that each shard computes it for its own regions and
-- the coordinator only adds counties up into prefectures. Days are those
-- of time_zone (carbon_ledger.regional_summary takes each account's
-- programme's; the two agree when the programmes share one time zone).
CREATE FUNCTION national.regional_summary(period_start date,
										  period_end date,
										  time_zone text
										  DEFAULT 'Asia/Shanghai')
RETURNS TABLE (
	region_code text,
	region_name text,
	region_name_en text,
	accounts	bigint,
	new_accounts bigint,
	activities	bigint,
	reduction	tco2e,
	credits_earned carbon_credit,
	credits_redeemed carbon_credit,
	green_loan_balance numeric,
	green_loan_balance_year_before numeric,
	green_loan_yoy_growth numeric,
	total_loan_balance numeric,
	green_loan_share numeric,
	carbon_reduction_loan_balance numeric,
	carbon_reduction_attributed tco2e
)
LANGUAGE plpgsql
STABLE
STRICT		/* a NULL bound or zone gives no rows, as regional_summary() */
SET search_path = pg_catalog, pg_temp
SET enable_partitionwise_aggregate = on
AS $$
DECLARE
	ext			text;
	t0			timestamptz;
	t1			timestamptz;
	before		date;
BEGIN
	IF period_start > period_end THEN
		RAISE EXCEPTION USING ERRCODE = '22023',
			MESSAGE = 'period_start must not be after period_end',
			DETAIL = format('The period runs from %s to %s.',
							period_start, period_end);
	END IF;
	-- as the extension's own regional_summary(): the ends of the date
	-- type have no time or next day
	IF period_start NOT BETWEEN '0001-01-01' AND '9999-12-31'
		AND isfinite(period_start)
		OR period_end NOT BETWEEN '0001-01-01' AND '9999-12-31'
		AND isfinite(period_end) THEN
		RAISE EXCEPTION USING ERRCODE = '22008',
			MESSAGE = 'report period out of range',
			DETAIL = format('The period runs from %s to %s.',
							period_start, period_end),
			HINT = 'Give dates from 0001-01-01 to 9999-12-31, or -infinity and infinity.';
	END IF;
	before := (period_end - interval '1 year')::date;
	SELECT quote_ident(n.nspname) INTO STRICT ext
	FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
	WHERE e.extname = 'carbon_ledger';
	t0 := period_start::timestamp AT TIME ZONE time_zone;
	t1 := (period_end + 1)::timestamp AT TIME ZONE time_zone;

	/*
	 * %1$L, %2$L: the period's bounds; %3$L, %4$L: its last day and the
	 * same day a year before; %5$s: the extension's schema. Balances keep
	 * the scale of carbon_ledger.loan_balance() (0.00, not 0), so that
	 * growth and shares come out digit for digit the same.
	 */
	RETURN QUERY EXECUTE format($q$
WITH acc AS (
	SELECT a.region_code,
		   count(*) FILTER (WHERE a.opened_at < %2$L
							AND (a.closed_at IS NULL
								 OR a.closed_at >= %2$L)) AS accounts,
		   count(*) FILTER (WHERE a.opened_at >= %1$L
							AND a.opened_at < %2$L) AS new_accounts
	FROM national.account a GROUP BY a.region_code
), act AS (
	SELECT x.region_code, count(*) AS activities,
		   sum(%5$s.tco2e_grams(x.reduction)) AS grams,
		   sum(%5$s.carbon_credit_thousandths(x.credits)) AS earned
	FROM national.activity x
	WHERE x.occurred_at >= %1$L AND x.occurred_at < %2$L
	GROUP BY x.region_code
), red AS (
	SELECT x.region_code,
		   sum(CASE WHEN x.reverses IS NULL THEN 1 ELSE -1 END
			   * %5$s.carbon_credit_thousandths(x.credits)) AS redeemed
	FROM national.redemption x
	WHERE x.redeemed_at >= %1$L AND x.redeemed_at < %2$L
	GROUP BY x.region_code
), lent AS (
	SELECT g.region_code,
		   sum(CASE WHEN g.issue_date <= %3$L
				THEN g.principal ELSE 0.00 END) AS bal,
		   sum(CASE WHEN g.issue_date <= %4$L
				THEN g.principal ELSE 0.00 END) AS bal_before,
		   sum(CASE WHEN g.issue_date <= %3$L
				THEN g.principal ELSE 0.00 END)
			   FILTER (WHERE g.carbon_reduction_loan) AS cr_bal
	FROM national.green_loan g GROUP BY g.region_code
), repaid AS (
	SELECT r.region_code, r.loan_no,
		   sum(r.amount) FILTER (WHERE r.repaid_on <= %3$L) AS repaid,
		   sum(r.amount) FILTER (WHERE r.repaid_on <= %4$L) AS repaid_before
	FROM national.loan_repayment r GROUP BY r.region_code, r.loan_no
), per_loan AS (
	SELECT g.region_code, g.carbon_reduction_loan, g.attributed_reduction,
		   g.issue_date <= %3$L
		   AND g.principal - coalesce(p.repaid, 0) > 0 AS outstanding,
		   coalesce(p.repaid, 0) AS repaid,
		   coalesce(p.repaid_before, 0) AS repaid_before
	FROM national.green_loan g
	LEFT JOIN repaid p
		ON p.region_code = g.region_code AND p.loan_no = g.loan_no
), per_region AS (
	SELECT l.region_code, sum(l.repaid) AS repaid,
		   sum(l.repaid_before) AS repaid_before,
		   sum(l.repaid) FILTER (WHERE l.carbon_reduction_loan) AS cr_repaid,
		   sum(%5$s.tco2e_grams(l.attributed_reduction))
			   FILTER (WHERE l.carbon_reduction_loan
					   AND l.outstanding) AS cr_grams
	FROM per_loan l GROUP BY l.region_code
), loans AS (
	SELECT l.region_code, l.bal - r.repaid AS bal,
		   l.bal_before - r.repaid_before AS bal_before,
		   l.cr_bal - coalesce(r.cr_repaid, 0) AS cr_bal, r.cr_grams
	FROM lent l JOIN per_region r USING (region_code)
), book AS (
	-- as in carbon_ledger.regional_summary(): per group (today's
	-- prefecture, or the province of a province-level code), the figures
	-- of the latest date on or before period_end among all the codes
	-- reported there, so that a retired code's older figure does not add
	-- to its successor's
	SELECT b.pref, sum(b.total_loan_balance) AS total
	FROM (SELECT m.pref, b.as_of, b.total_loan_balance,
				 max(b.as_of) OVER (PARTITION BY m.pref) AS latest
		  FROM national.loan_book b
		  CROSS JOIN LATERAL
			  (SELECT coalesce(carbon_ledger.report_prefecture(b.region_code),
							   substr(b.region_code, 1, 2) || '0000') AS pref) m
		  WHERE b.as_of <= %3$L) b
	WHERE b.as_of = b.latest
	GROUP BY b.pref
), codes AS (
	SELECT acc.region_code FROM acc
	UNION SELECT lent.region_code FROM lent
	UNION SELECT b.region_code FROM national.loan_book b
), joined AS (
	-- as in carbon_ledger.regional_summary(): today's prefecture, or the
	-- province of a province-level code, which has no row of its own
	SELECT coalesce(m.pref, m.prov) AS pref, m.pref IS NOT NULL AS is_region,
		   substr(coalesce(m.pref, m.prov), 1, 2) || '0000' AS prov,
		   coalesce(acc.accounts, 0) AS accounts,
		   coalesce(acc.new_accounts, 0) AS new_accounts,
		   coalesce(act.activities, 0) AS activities,
		   coalesce(act.grams, 0) AS grams,
		   coalesce(act.earned, 0) AS earned,
		   coalesce(red.redeemed, 0) AS redeemed,
		   loans.bal, loans.bal_before, loans.cr_bal, loans.cr_grams
	FROM codes c
	CROSS JOIN LATERAL
		(SELECT carbon_ledger.report_prefecture(c.region_code) AS pref,
				substr(c.region_code, 1, 2) || '0000' AS prov) m
	LEFT JOIN acc USING (region_code)
	LEFT JOIN act USING (region_code)
	LEFT JOIN red USING (region_code)
	LEFT JOIN loans USING (region_code)
), by_pref AS (
	SELECT pref, is_region, prov, sum(accounts) AS accounts,
		   sum(new_accounts) AS new_accounts,
		   sum(activities) AS activities, sum(grams) AS grams,
		   sum(earned) AS earned, sum(redeemed) AS redeemed,
		   coalesce(sum(bal), 0.00) AS bal,
		   coalesce(sum(bal_before), 0.00) AS bal_before,
		   max(book.total) AS total,	/* one row per pref, or none */
		   coalesce(sum(cr_bal), 0.00) AS cr_bal,
		   coalesce(sum(cr_grams), 0) AS cr_grams
	FROM joined LEFT JOIN book USING (pref)
	GROUP BY pref, is_region, prov
), prov_book AS (
	-- per province: its own loan book figure, or else its prefectures'
	SELECT p.prov,
		   coalesce(max(p.total) FILTER (WHERE NOT p.is_region),
					sum(p.total) FILTER (WHERE p.is_region)) AS total,
		   max(p.total) FILTER (WHERE NOT p.is_region) IS NOT NULL AS whole
	FROM by_pref p GROUP BY p.prov
), rollup AS (
	SELECT p.pref, p.accounts, p.new_accounts, p.activities, p.grams,
		   p.earned, p.redeemed, p.bal, p.bal_before, p.total, p.cr_bal,
		   p.cr_grams, false AS is_total, true AS covered
	FROM by_pref p WHERE p.is_region
	UNION ALL
	-- the total row is there even when no region is: zeros, not NULLs
	-- (the loan book total stays NULL when there is none); its share
	-- only when every green balance has a loan book figure over it
	SELECT NULL, coalesce(sum(accounts), 0), coalesce(sum(new_accounts), 0),
		   coalesce(sum(activities), 0), coalesce(sum(grams), 0),
		   coalesce(sum(earned), 0), coalesce(sum(redeemed), 0),
		   coalesce(sum(bal), 0.00), coalesce(sum(bal_before), 0.00),
		   (SELECT sum(b.total) FROM prov_book b),
		   coalesce(sum(cr_bal), 0.00), coalesce(sum(cr_grams), 0), true,
		   coalesce(bool_and(p.bal = 0 OR p.total IS NOT NULL OR
							 (SELECT b.whole FROM prov_book b
							  WHERE b.prov = p.prov)), true)
	FROM by_pref p
), named AS (
	SELECT r.*, g.name, g.name_en
	FROM rollup r
	LEFT JOIN LATERAL (SELECT g.name, g.name_en
					   FROM carbon_ledger.region g WHERE g.code = r.pref
					   ORDER BY g.first_year DESC LIMIT 1) g ON true
)
SELECT n.pref,
	   CASE WHEN n.is_total THEN 'total' ELSE n.name END,
	   CASE WHEN n.is_total THEN 'total' ELSE n.name_en END,
	   n.accounts::bigint, n.new_accounts::bigint, n.activities::bigint,
	   %5$s.tco2e_from_grams(n.grams::bigint),
	   %5$s.carbon_credit_from_thousandths(n.earned::bigint),
	   %5$s.carbon_credit_from_thousandths(n.redeemed::bigint),
	   n.bal, n.bal_before,
	   CASE WHEN n.bal_before > 0
		   THEN (n.bal - n.bal_before) / n.bal_before END,
	   n.total,
	   CASE WHEN n.covered AND n.total > 0 THEN n.bal / n.total END,
	   n.cr_bal, %5$s.tco2e_from_grams(n.cr_grams::bigint)
FROM named n
ORDER BY n.is_total, n.pref
$q$, t0, t1, period_end, before, ext);
END
$$;
COMMENT ON FUNCTION national.regional_summary(date, date, text) IS
	'carbon_ledger.regional_summary() over all shards, aggregated on the shards per region';

-- Privileges of the extension's roles on the coordinator: the national
-- tables, as their carbon_ledger counterparts on a single server (the
-- columns the shards keep are generated columns here, which nobody can
-- write). The coordinator's own carbon_ledger tables stay empty: the roles
-- lose every write on them, so that a client that forgets "national." is
-- refused instead of booking on the coordinator. Reading them stays
-- (regional_summary() reads carbon_ledger.region). Granting a role to a
-- login role is not enough: each login role that uses the national tables
-- needs a user mapping on every shard's server (docs/scale-out.md,
-- "Roles and privileges").
GRANT USAGE ON SCHEMA national TO carbon_ledger_reader, carbon_ledger_booker,
	carbon_ledger_manager, carbon_ledger_auditor;
GRANT SELECT ON national.account, national.activity, national.redemption,
	national.green_loan, national.loan_repayment, national.loan_book
	TO carbon_ledger_reader, carbon_ledger_manager, carbon_ledger_auditor;
GRANT SELECT, INSERT ON national.activity, national.redemption
	TO carbon_ledger_booker;
GRANT SELECT ON national.account TO carbon_ledger_booker;
GRANT INSERT, UPDATE ON national.account, national.green_loan
	TO carbon_ledger_manager;
GRANT INSERT ON national.loan_repayment, national.loan_book
	TO carbon_ledger_manager;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA carbon_ledger
	FROM carbon_ledger_reader, carbon_ledger_booker, carbon_ledger_manager,
	carbon_ledger_auditor;
REVOKE ALL ON FUNCTION national.create_tables(),
	national.attach_shard(name, text, text), national.check_placement()
	FROM PUBLIC;
