-- carbon_ledger install script, part 21: the GB/T 2260 region table and
-- the validators and roll-ups that read it.
--
-- carbon_ledger.region holds every county-level-and-above code since 1981
-- (loaded by part 22, generated from data/gb2260/).  A code may have
-- several periods of use (a code retired and later reassigned), hence the
-- key (code, first_year).  Rows a bank adds (shipped = false) survive
-- pg_dump as extension configuration data.
--
-- The validators and roll-ups below live in the extension's schema, where
-- every role can call them, while carbon_ledger and its tables are open
-- to the extension's roles only: they are SECURITY DEFINER, so that they
-- read the table as its owner and answer any caller.  They compare codes
-- under the "C" collation, whatever collation the argument comes with: a
-- nondeterministic one could take a full-width digit for an ASCII one.

CREATE TABLE carbon_ledger.region (
	code		pg_catalog.text NOT NULL
		CHECK (code OPERATOR(pg_catalog.~) '^[0-9]{6}$'),
	first_year	pg_catalog.int4 NOT NULL
		CHECK (first_year OPERATOR(pg_catalog.>=) 1949),
	retired_year pg_catalog.int4
		CHECK (retired_year OPERATOR(pg_catalog.>) first_year),
	last_year	pg_catalog.int4 GENERATED ALWAYS AS
		(retired_year OPERATOR(pg_catalog.-) 1) STORED,
	name		pg_catalog.text NOT NULL,
	name_en		pg_catalog.text,
	level		pg_catalog.text NOT NULL
		CHECK (level OPERATOR(pg_catalog.=) ANY
			   (ARRAY['province', 'prefecture', 'county'])),
	parent		pg_catalog.text
		CHECK (parent OPERATOR(pg_catalog.~) '^[0-9]{6}$'),
	replaced_by pg_catalog.text[],
	shipped		pg_catalog.bool NOT NULL DEFAULT false,
	PRIMARY KEY (code, first_year),
	CHECK ((level OPERATOR(pg_catalog.=) 'province') OPERATOR(pg_catalog.=)
		   (parent IS NULL))
);
COMMENT ON TABLE carbon_ledger.region IS
	'GB/T 2260 administrative division codes since 1981, one row per period of use';
COMMENT ON COLUMN carbon_ledger.region.first_year IS
	'first year the code was in use (inclusive)';
COMMENT ON COLUMN carbon_ledger.region.retired_year IS
	'first year whose list no longer holds the code (it was in use until the change, some day of that year); NULL while in use';
COMMENT ON COLUMN carbon_ledger.region.last_year IS
	'last year the code was in use; NULL while in use';
COMMENT ON COLUMN carbon_ledger.region.parent IS
	'the prefecture (for a county under one) or the province';
COMMENT ON COLUMN carbon_ledger.region.replaced_by IS
	'codes that took over the area when this one was retired or changed';
COMMENT ON COLUMN carbon_ledger.region.shipped IS
	'true for the rows installed with the extension; rows a bank adds are dumped by pg_dump';
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.region',
										   'WHERE NOT shipped');

-- gb2260_is_valid(code): the code is in use today (a period not retired).
CREATE FUNCTION @extschema@.gb2260_is_valid(code pg_catalog.text)
RETURNS pg_catalog.bool
LANGUAGE sql STRICT STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT EXISTS (SELECT 1 FROM carbon_ledger.region r
				   WHERE r.code OPERATOR(pg_catalog.=) ($1 COLLATE pg_catalog."C")
					 AND r.retired_year IS NULL)
$$;
COMMENT ON FUNCTION @extschema@.gb2260_is_valid(pg_catalog.text) IS
	'whether the text is a GB/T 2260 division code in use today (per carbon_ledger.region)';

-- gb2260_is_valid(code, on_date): the code was in use on that date.  The
-- table knows years, not days: a code is in use from the start of its
-- first year to the end of the year it was retired in.  In the year of a
-- change both the old and the new code are accepted, since the yearly
-- lists do not say on which day of that year the change took effect, and
-- refusing either would reject rows a bank booked correctly.
CREATE FUNCTION @extschema@.gb2260_is_valid(code pg_catalog.text,
											on_date pg_catalog.date)
RETURNS pg_catalog.bool
LANGUAGE sql STRICT STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT EXISTS (
		SELECT 1 FROM carbon_ledger.region r
		WHERE r.code OPERATOR(pg_catalog.=) ($1 COLLATE pg_catalog."C")
		  AND r.first_year OPERATOR(pg_catalog.<=)
			  pg_catalog.date_part('year', $2)
		  AND (r.retired_year IS NULL OR
			   pg_catalog.date_part('year', $2) OPERATOR(pg_catalog.<=)
			   r.retired_year))
$$;
COMMENT ON FUNCTION @extschema@.gb2260_is_valid(pg_catalog.text, pg_catalog.date) IS
	'whether the text was a GB/T 2260 division code in use on the date (by year: in a year of change both codes are)';

-- gb2260_prefecture(code): the prefecture-level unit a code belongs to.
-- A county under a municipality (Beijing, Tianjin, Shanghai, Chongqing)
-- rolls up to the municipality, which acts at prefecture level; a
-- county-level unit directly under a province (419001, 469001...) is its
-- own prefecture-level unit; a province is NULL except a municipality,
-- which is its own.  Unknown codes are NULL.  The latest period of the
-- code decides.
CREATE FUNCTION @extschema@.gb2260_prefecture(code pg_catalog.text)
RETURNS pg_catalog.text
LANGUAGE sql STRICT STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE
		WHEN r.level OPERATOR(pg_catalog.=) 'prefecture' THEN r.code
		WHEN r.level OPERATOR(pg_catalog.=) 'county' THEN
			CASE
				WHEN r.parent OPERATOR(pg_catalog.!~) '0000$' THEN r.parent
				WHEN r.parent OPERATOR(pg_catalog.=) ANY
					(ARRAY['110000', '120000', '310000', '500000']) THEN r.parent
				ELSE r.code
			END
		WHEN r.code OPERATOR(pg_catalog.=) ANY
			(ARRAY['110000', '120000', '310000', '500000']) THEN r.code
	END
	FROM carbon_ledger.region r
	WHERE r.code OPERATOR(pg_catalog.=) ($1 COLLATE pg_catalog."C")
	ORDER BY r.first_year DESC
	LIMIT 1
$$;
COMMENT ON FUNCTION @extschema@.gb2260_prefecture(pg_catalog.text) IS
	'the prefecture-level division of a GB/T 2260 code (NULL when unknown)';

-- gb2260_province(code): the province-level division of a known code.
CREATE FUNCTION @extschema@.gb2260_province(code pg_catalog.text)
RETURNS pg_catalog.text
LANGUAGE sql STRICT STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT p.code
	FROM carbon_ledger.region p
	WHERE p.code OPERATOR(pg_catalog.=)
		  (pg_catalog.substr($1, 1, 2) OPERATOR(pg_catalog.||) '0000'
		   COLLATE pg_catalog."C")
	  AND p.level OPERATOR(pg_catalog.=) 'province'
	  AND EXISTS (SELECT 1 FROM carbon_ledger.region r
				  WHERE r.code OPERATOR(pg_catalog.=) ($1 COLLATE pg_catalog."C"))
	ORDER BY p.first_year DESC
	LIMIT 1
$$;
COMMENT ON FUNCTION @extschema@.gb2260_province(pg_catalog.text) IS
	'the province-level division of a GB/T 2260 code (NULL when unknown)';
