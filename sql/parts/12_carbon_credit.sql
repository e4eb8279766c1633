-- carbon_ledger install script, part 12: what only carbon_credit has.
--
-- The type and its generic surface are created in part 10; here are the
-- conversions to and from thousandths and the assignment casts from
-- integer and bigint (a whole number of credits).  See docs/types.md.

CREATE FUNCTION @extschema@.carbon_credit_thousandths(@extschema@.carbon_credit)
	RETURNS pg_catalog.int8 AS 'MODULE_PATHNAME', 'fixedpoint_int8_identity'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.carbon_credit_thousandths(@extschema@.carbon_credit) IS
	'the quantity as a whole number of thousandths of a credit';

CREATE FUNCTION @extschema@.carbon_credit_from_thousandths(pg_catalog.int8)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'fixedpoint_int8_identity'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.carbon_credit_from_thousandths(pg_catalog.int8) IS
	'a carbon_credit of the given number of thousandths of a credit';

CREATE FUNCTION @extschema@.carbon_credit(pg_catalog.int8)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_from_int8'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit(pg_catalog.int4)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_from_int4'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (pg_catalog.int8 AS @extschema@.carbon_credit)
	WITH FUNCTION @extschema@.carbon_credit(pg_catalog.int8) AS ASSIGNMENT;
COMMENT ON CAST (pg_catalog.int8 AS @extschema@.carbon_credit) IS
	'a whole number of credits';
CREATE CAST (pg_catalog.int4 AS @extschema@.carbon_credit)
	WITH FUNCTION @extschema@.carbon_credit(pg_catalog.int4) AS ASSIGNMENT;
COMMENT ON CAST (pg_catalog.int4 AS @extschema@.carbon_credit) IS
	'a whole number of credits';
