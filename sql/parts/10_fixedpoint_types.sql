-- carbon_ledger install script, part 10: the two fixed-point types.
--
-- tco2e (an exact mass of CO2-equivalent, in grams) and carbon_credit (an
-- exact quantity of credits, in thousandths) are both an 8-byte,
-- pass-by-value int64 count (LIKE int8) with the same SQL surface: text and
-- binary I/O, comparison operators with selectivity estimators, btree, hash
-- and BRIN minmax operator classes, arithmetic, numeric casts and sum, avg,
-- min and max.  That surface is written once, below, and created for each
-- type by substituting {T} (the type name, which is also the prefix of its
-- C functions, see FP_TYPE_FUNCTIONS in src/fixedpoint_type.h) and the
-- words of its comments ({DESC}, {OUT}, {UNIT}).  Parts 11
-- and 12 add what only one of the types has.  Comparison, hashing, sorting
-- and binary output reuse the server's int8 functions, which work on the
-- same representation.  No operator mixes the two types.  See docs/types.md.

-- The running state of sum and avg is the same for both types.

CREATE FUNCTION @extschema@.fixedpoint_sum_combine(pg_catalog.internal, pg_catalog.internal)
	RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.fixedpoint_sum_serialize(pg_catalog.internal)
	RETURNS pg_catalog.bytea AS 'MODULE_PATHNAME', 'fp_sum_serialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.fixedpoint_sum_deserialize(pg_catalog.bytea, pg_catalog.internal)
	RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_deserialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

DO $fixedpoint$
DECLARE
	t record;
BEGIN
	FOR t IN
		SELECT *
		  FROM (VALUES
				('tco2e',
				 'exact mass of CO2-equivalent, stored as a whole number of grams',
				 'tonnes', 'the gram'),
				('carbon_credit',
				 'exact quantity of carbon credits, stored as a whole number of thousandths',
				 'credits', 'the thousandth')) AS v(typname, descr, out_unit, unit)
	LOOP
		EXECUTE pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
			pg_catalog.replace($template$
	CREATE TYPE @extschema@.{T};

	CREATE FUNCTION @extschema@.{T}_in(pg_catalog.cstring)
		RETURNS @extschema@.{T}
		AS 'MODULE_PATHNAME', '{T}_in'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

	CREATE FUNCTION @extschema@.{T}_out(@extschema@.{T})
		RETURNS pg_catalog.cstring
		AS 'MODULE_PATHNAME', '{T}_out'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

	CREATE FUNCTION @extschema@.{T}_recv(pg_catalog.internal)
		RETURNS @extschema@.{T}
		AS 'MODULE_PATHNAME', '{T}_recv'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

	CREATE FUNCTION @extschema@.{T}_send(@extschema@.{T})
		RETURNS pg_catalog.bytea
		AS 'MODULE_PATHNAME', 'fixedpoint_send'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

	CREATE TYPE @extschema@.{T} (
		INPUT = @extschema@.{T}_in,
		OUTPUT = @extschema@.{T}_out,
		RECEIVE = @extschema@.{T}_recv,
		SEND = @extschema@.{T}_send,
		LIKE = pg_catalog.int8
	);
	COMMENT ON TYPE @extschema@.{T} IS '{DESC}';

	-- Comparison: the int8 functions, on the int64 count, under this
	-- module's names (src/fixedpoint_type.c says why not LANGUAGE internal).

	CREATE FUNCTION @extschema@.{T}_eq(@extschema@.{T}, @extschema@.{T})
		RETURNS pg_catalog.bool AS 'MODULE_PATHNAME', 'fixedpoint_eq'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_ne(@extschema@.{T}, @extschema@.{T})
		RETURNS pg_catalog.bool AS 'MODULE_PATHNAME', 'fixedpoint_ne'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_lt(@extschema@.{T}, @extschema@.{T})
		RETURNS pg_catalog.bool AS 'MODULE_PATHNAME', 'fixedpoint_lt'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_le(@extschema@.{T}, @extschema@.{T})
		RETURNS pg_catalog.bool AS 'MODULE_PATHNAME', 'fixedpoint_le'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_gt(@extschema@.{T}, @extschema@.{T})
		RETURNS pg_catalog.bool AS 'MODULE_PATHNAME', 'fixedpoint_gt'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_ge(@extschema@.{T}, @extschema@.{T})
		RETURNS pg_catalog.bool AS 'MODULE_PATHNAME', 'fixedpoint_ge'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_cmp(@extschema@.{T}, @extschema@.{T})
		RETURNS pg_catalog.int4 AS 'MODULE_PATHNAME', 'fixedpoint_cmp'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_sortsupport(pg_catalog.internal)
		RETURNS pg_catalog.void AS 'MODULE_PATHNAME', 'fixedpoint_sortsupport'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_hash(@extschema@.{T})
		RETURNS pg_catalog.int4 AS 'MODULE_PATHNAME', 'fixedpoint_hash'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_hash_extended(@extschema@.{T}, pg_catalog.int8)
		RETURNS pg_catalog.int8 AS 'MODULE_PATHNAME', 'fixedpoint_hash_extended'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_smaller(@extschema@.{T}, @extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', 'fixedpoint_smaller'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
	CREATE FUNCTION @extschema@.{T}_larger(@extschema@.{T}, @extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', 'fixedpoint_larger'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

	CREATE OPERATOR @extschema@.= (
		LEFTARG = @extschema@.{T}, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_eq,
		COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
		RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
		HASHES, MERGES
	);
	CREATE OPERATOR @extschema@.<> (
		LEFTARG = @extschema@.{T}, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_ne,
		COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
		RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
	);
	CREATE OPERATOR @extschema@.< (
		LEFTARG = @extschema@.{T}, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_lt,
		COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
		RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
	);
	CREATE OPERATOR @extschema@.<= (
		LEFTARG = @extschema@.{T}, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_le,
		COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
		RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
	);
	CREATE OPERATOR @extschema@.> (
		LEFTARG = @extschema@.{T}, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_gt,
		COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
		RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
	);
	CREATE OPERATOR @extschema@.>= (
		LEFTARG = @extschema@.{T}, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_ge,
		COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
		RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
	);

	CREATE OPERATOR CLASS @extschema@.{T}_ops
		DEFAULT FOR TYPE @extschema@.{T} USING btree AS
			OPERATOR 1 @extschema@.<,
			OPERATOR 2 @extschema@.<=,
			OPERATOR 3 @extschema@.=,
			OPERATOR 4 @extschema@.>=,
			OPERATOR 5 @extschema@.>,
			FUNCTION 1 @extschema@.{T}_cmp(@extschema@.{T}, @extschema@.{T}),
			FUNCTION 2 @extschema@.{T}_sortsupport(pg_catalog.internal);

	CREATE OPERATOR CLASS @extschema@.{T}_hash_ops
		DEFAULT FOR TYPE @extschema@.{T} USING hash AS
			OPERATOR 1 @extschema@.=,
			FUNCTION 1 @extschema@.{T}_hash(@extschema@.{T}),
			FUNCTION 2 @extschema@.{T}_hash_extended(@extschema@.{T}, pg_catalog.int8);

	CREATE OPERATOR CLASS @extschema@.{T}_minmax_ops
		DEFAULT FOR TYPE @extschema@.{T} USING brin AS
			OPERATOR 1 @extschema@.<,
			OPERATOR 2 @extschema@.<=,
			OPERATOR 3 @extschema@.=,
			OPERATOR 4 @extschema@.>=,
			OPERATOR 5 @extschema@.>,
			FUNCTION 1 pg_catalog.brin_minmax_opcinfo(pg_catalog.internal),
			FUNCTION 2 pg_catalog.brin_minmax_add_value(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal, pg_catalog.internal),
			FUNCTION 3 pg_catalog.brin_minmax_consistent(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal),
			FUNCTION 4 pg_catalog.brin_minmax_union(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal);

	COMMENT ON OPERATOR @extschema@.=(@extschema@.{T}, @extschema@.{T}) IS 'equal';
	COMMENT ON OPERATOR @extschema@.<>(@extschema@.{T}, @extschema@.{T}) IS 'not equal';
	COMMENT ON OPERATOR @extschema@.<(@extschema@.{T}, @extschema@.{T}) IS 'less than';
	COMMENT ON OPERATOR @extschema@.<=(@extschema@.{T}, @extschema@.{T}) IS 'less than or equal';
	COMMENT ON OPERATOR @extschema@.>(@extschema@.{T}, @extschema@.{T}) IS 'greater than';
	COMMENT ON OPERATOR @extschema@.>=(@extschema@.{T}, @extschema@.{T}) IS 'greater than or equal';
	COMMENT ON OPERATOR CLASS @extschema@.{T}_ops USING btree IS
		'default btree operator class for {T}';
	COMMENT ON OPERATOR CLASS @extschema@.{T}_hash_ops USING hash IS
		'default hash operator class for {T} (equal values hash alike)';
	COMMENT ON OPERATOR CLASS @extschema@.{T}_minmax_ops USING brin IS
		'BRIN minmax operator class for {T}';

	-- Arithmetic.  Overflow is 22003, division by zero 22012; products and
	-- quotients with a fraction are rounded half away from zero to the unit of
	-- account.

	CREATE FUNCTION @extschema@.{T}_pl(@extschema@.{T}, @extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_pl'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_mi(@extschema@.{T}, @extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_mi'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_um(@extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_um'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_mul_int8(@extschema@.{T}, pg_catalog.int8)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_mul_int8'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_int8_mul(pg_catalog.int8, @extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_int8_mul'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_mul_int4(@extschema@.{T}, pg_catalog.int4)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_mul_int4'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_int4_mul(pg_catalog.int4, @extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_int4_mul'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_mul_numeric(@extschema@.{T}, pg_catalog.numeric)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_mul_numeric'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_numeric_mul(pg_catalog.numeric, @extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_numeric_mul'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_mul_float8(@extschema@.{T}, pg_catalog.float8)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_mul_float8'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_float8_mul(pg_catalog.float8, @extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_float8_mul'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_div_int8(@extschema@.{T}, pg_catalog.int8)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_div_int8'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_div_int4(@extschema@.{T}, pg_catalog.int4)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_div_int4'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_div_numeric(@extschema@.{T}, pg_catalog.numeric)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_div_numeric'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_div_float8(@extschema@.{T}, pg_catalog.float8)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_div_float8'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_div(@extschema@.{T}, @extschema@.{T})
		RETURNS pg_catalog.numeric AS 'MODULE_PATHNAME', '{T}_div'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

	CREATE OPERATOR @extschema@.+ (
		LEFTARG = @extschema@.{T}, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_pl, COMMUTATOR = OPERATOR(@extschema@.+)
	);
	CREATE OPERATOR @extschema@.- (
		LEFTARG = @extschema@.{T}, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_mi
	);
	CREATE OPERATOR @extschema@.- (
		RIGHTARG = @extschema@.{T}, FUNCTION = @extschema@.{T}_um
	);
	CREATE OPERATOR @extschema@.* (
		LEFTARG = @extschema@.{T}, RIGHTARG = pg_catalog.int8,
		FUNCTION = @extschema@.{T}_mul_int8, COMMUTATOR = OPERATOR(@extschema@.*)
	);
	CREATE OPERATOR @extschema@.* (
		LEFTARG = pg_catalog.int8, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_int8_mul, COMMUTATOR = OPERATOR(@extschema@.*)
	);
	CREATE OPERATOR @extschema@.* (
		LEFTARG = @extschema@.{T}, RIGHTARG = pg_catalog.int4,
		FUNCTION = @extschema@.{T}_mul_int4, COMMUTATOR = OPERATOR(@extschema@.*)
	);
	CREATE OPERATOR @extschema@.* (
		LEFTARG = pg_catalog.int4, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_int4_mul, COMMUTATOR = OPERATOR(@extschema@.*)
	);
	CREATE OPERATOR @extschema@.* (
		LEFTARG = @extschema@.{T}, RIGHTARG = pg_catalog.numeric,
		FUNCTION = @extschema@.{T}_mul_numeric, COMMUTATOR = OPERATOR(@extschema@.*)
	);
	CREATE OPERATOR @extschema@.* (
		LEFTARG = pg_catalog.numeric, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_numeric_mul, COMMUTATOR = OPERATOR(@extschema@.*)
	);
	CREATE OPERATOR @extschema@.* (
		LEFTARG = @extschema@.{T}, RIGHTARG = pg_catalog.float8,
		FUNCTION = @extschema@.{T}_mul_float8, COMMUTATOR = OPERATOR(@extschema@.*)
	);
	CREATE OPERATOR @extschema@.* (
		LEFTARG = pg_catalog.float8, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_float8_mul, COMMUTATOR = OPERATOR(@extschema@.*)
	);
	CREATE OPERATOR @extschema@./ (
		LEFTARG = @extschema@.{T}, RIGHTARG = pg_catalog.int8,
		FUNCTION = @extschema@.{T}_div_int8
	);
	CREATE OPERATOR @extschema@./ (
		LEFTARG = @extschema@.{T}, RIGHTARG = pg_catalog.int4,
		FUNCTION = @extschema@.{T}_div_int4
	);
	CREATE OPERATOR @extschema@./ (
		LEFTARG = @extschema@.{T}, RIGHTARG = pg_catalog.numeric,
		FUNCTION = @extschema@.{T}_div_numeric
	);
	CREATE OPERATOR @extschema@./ (
		LEFTARG = @extschema@.{T}, RIGHTARG = pg_catalog.float8,
		FUNCTION = @extschema@.{T}_div_float8
	);
	CREATE OPERATOR @extschema@./ (
		LEFTARG = @extschema@.{T}, RIGHTARG = @extschema@.{T},
		FUNCTION = @extschema@.{T}_div
	);

	COMMENT ON OPERATOR @extschema@.+(@extschema@.{T}, @extschema@.{T}) IS 'add (exact)';
	COMMENT ON OPERATOR @extschema@.-(@extschema@.{T}, @extschema@.{T}) IS 'subtract (exact)';
	COMMENT ON OPERATOR @extschema@.-(NONE, @extschema@.{T}) IS 'negate';
	COMMENT ON OPERATOR @extschema@.*(@extschema@.{T}, pg_catalog.int8) IS 'multiply (exact)';
	COMMENT ON OPERATOR @extschema@.*(pg_catalog.int8, @extschema@.{T}) IS 'multiply (exact)';
	COMMENT ON OPERATOR @extschema@.*(@extschema@.{T}, pg_catalog.int4) IS 'multiply (exact)';
	COMMENT ON OPERATOR @extschema@.*(pg_catalog.int4, @extschema@.{T}) IS 'multiply (exact)';
	COMMENT ON OPERATOR @extschema@.*(@extschema@.{T}, pg_catalog.numeric) IS
		'multiply, rounded half away from zero to {UNIT}';
	COMMENT ON OPERATOR @extschema@.*(pg_catalog.numeric, @extschema@.{T}) IS
		'multiply, rounded half away from zero to {UNIT}';
	COMMENT ON OPERATOR @extschema@.*(@extschema@.{T}, pg_catalog.float8) IS
		'multiply (factor taken as numeric), rounded half away from zero to {UNIT}';
	COMMENT ON OPERATOR @extschema@.*(pg_catalog.float8, @extschema@.{T}) IS
		'multiply (factor taken as numeric), rounded half away from zero to {UNIT}';
	COMMENT ON OPERATOR @extschema@./(@extschema@.{T}, pg_catalog.int8) IS
		'divide, rounded half away from zero to {UNIT}';
	COMMENT ON OPERATOR @extschema@./(@extschema@.{T}, pg_catalog.int4) IS
		'divide, rounded half away from zero to {UNIT}';
	COMMENT ON OPERATOR @extschema@./(@extschema@.{T}, pg_catalog.numeric) IS
		'divide, rounded half away from zero to {UNIT}';
	COMMENT ON OPERATOR @extschema@./(@extschema@.{T}, pg_catalog.float8) IS
		'divide (divisor taken as numeric), rounded half away from zero to {UNIT}';
	COMMENT ON OPERATOR @extschema@./(@extschema@.{T}, @extschema@.{T}) IS 'ratio, as numeric';

	-- Functions and casts.

	CREATE FUNCTION @extschema@.abs(@extschema@.{T})
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_abs'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	COMMENT ON FUNCTION @extschema@.abs(@extschema@.{T}) IS
		'absolute value of a {T}';

	CREATE FUNCTION @extschema@.{T}(pg_catalog.numeric)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_from_numeric'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_to_numeric(@extschema@.{T})
		RETURNS pg_catalog.numeric AS 'MODULE_PATHNAME', '{T}_to_numeric'
		LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

	CREATE CAST (pg_catalog.numeric AS @extschema@.{T})
		WITH FUNCTION @extschema@.{T}(pg_catalog.numeric);
	COMMENT ON CAST (pg_catalog.numeric AS @extschema@.{T}) IS
		'{OUT}, rounded half away from zero to {UNIT}';
	CREATE CAST (@extschema@.{T} AS pg_catalog.numeric)
		WITH FUNCTION @extschema@.{T}_to_numeric(@extschema@.{T});
	COMMENT ON CAST (@extschema@.{T} AS pg_catalog.numeric) IS
		'exact number of {OUT}';

	-- Aggregates.  sum and avg share one running state (count and 128-bit
	-- sum, src/fixedpoint_agg.c) and its combine, serialise and deserialise
	-- functions.

	CREATE FUNCTION @extschema@.{T}_sum_accum(pg_catalog.internal, @extschema@.{T})
		RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_accum'
		LANGUAGE C IMMUTABLE PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_sum_accum_inv(pg_catalog.internal, @extschema@.{T})
		RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_accum_inv'
		LANGUAGE C IMMUTABLE PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_sum_final(pg_catalog.internal)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_sum_final'
		LANGUAGE C IMMUTABLE PARALLEL SAFE;
	CREATE FUNCTION @extschema@.{T}_avg_final(pg_catalog.internal)
		RETURNS @extschema@.{T} AS 'MODULE_PATHNAME', '{T}_avg_final'
		LANGUAGE C IMMUTABLE PARALLEL SAFE;

	CREATE AGGREGATE @extschema@.sum(@extschema@.{T}) (
		SFUNC = @extschema@.{T}_sum_accum,
		STYPE = pg_catalog.internal,
		SSPACE = 24,
		FINALFUNC = @extschema@.{T}_sum_final,
		COMBINEFUNC = @extschema@.fixedpoint_sum_combine,
		SERIALFUNC = @extschema@.fixedpoint_sum_serialize,
		DESERIALFUNC = @extschema@.fixedpoint_sum_deserialize,
		MSFUNC = @extschema@.{T}_sum_accum,
		MINVFUNC = @extschema@.{T}_sum_accum_inv,
		MSTYPE = pg_catalog.internal,
		MSSPACE = 24,
		MFINALFUNC = @extschema@.{T}_sum_final,
		PARALLEL = SAFE
	);
	COMMENT ON AGGREGATE @extschema@.sum(@extschema@.{T}) IS
		'exact sum of {T} values (128-bit running state)';

	CREATE AGGREGATE @extschema@.avg(@extschema@.{T}) (
		SFUNC = @extschema@.{T}_sum_accum,
		STYPE = pg_catalog.internal,
		SSPACE = 24,
		FINALFUNC = @extschema@.{T}_avg_final,
		COMBINEFUNC = @extschema@.fixedpoint_sum_combine,
		SERIALFUNC = @extschema@.fixedpoint_sum_serialize,
		DESERIALFUNC = @extschema@.fixedpoint_sum_deserialize,
		MSFUNC = @extschema@.{T}_sum_accum,
		MINVFUNC = @extschema@.{T}_sum_accum_inv,
		MSTYPE = pg_catalog.internal,
		MSSPACE = 24,
		MFINALFUNC = @extschema@.{T}_avg_final,
		PARALLEL = SAFE
	);
	COMMENT ON AGGREGATE @extschema@.avg(@extschema@.{T}) IS
		'mean of {T} values, rounded half away from zero to {UNIT}';

	CREATE AGGREGATE @extschema@.min(@extschema@.{T}) (
		SFUNC = @extschema@.{T}_smaller,
		STYPE = @extschema@.{T},
		COMBINEFUNC = @extschema@.{T}_smaller,
		SORTOP = OPERATOR(@extschema@.<),
		PARALLEL = SAFE
	);
	COMMENT ON AGGREGATE @extschema@.min(@extschema@.{T}) IS
		'smallest {T} value';

	CREATE AGGREGATE @extschema@.max(@extschema@.{T}) (
		SFUNC = @extschema@.{T}_larger,
		STYPE = @extschema@.{T},
		COMBINEFUNC = @extschema@.{T}_larger,
		SORTOP = OPERATOR(@extschema@.>),
		PARALLEL = SAFE
	);
	COMMENT ON AGGREGATE @extschema@.max(@extschema@.{T}) IS
		'largest {T} value';
$template$, '{T}', t.typname), '{DESC}', t.descr),
			'{OUT}', t.out_unit), '{UNIT}', t.unit);
	END LOOP;
END
$fixedpoint$;
