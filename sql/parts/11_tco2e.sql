-- carbon_ledger install script, part 11: what only tco2e has.
--
-- The type and its generic surface are created in part 10; here are the
-- conversions to and from grams and to any accepted unit.  See
-- docs/types.md.

CREATE FUNCTION @extschema@.tco2e_grams(@extschema@.tco2e)
	RETURNS pg_catalog.int8 AS 'MODULE_PATHNAME', 'fixedpoint_int8_identity'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.tco2e_grams(@extschema@.tco2e) IS
	'the mass as a whole number of grams';

CREATE FUNCTION @extschema@.tco2e_from_grams(pg_catalog.int8)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'fixedpoint_int8_identity'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.tco2e_from_grams(pg_catalog.int8) IS
	'a tco2e of the given number of grams';

CREATE FUNCTION @extschema@.tco2e_in_unit(@extschema@.tco2e, pg_catalog.text)
	RETURNS pg_catalog.numeric AS 'MODULE_PATHNAME', 'tco2e_in_unit'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tco2e_in_unit(@extschema@.tco2e, pg_catalog.text) IS
	'the exact mass in the given unit (any unit tco2e input accepts)';
