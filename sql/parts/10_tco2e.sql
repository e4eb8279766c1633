-- carbon_ledger install script, part 10: the tco2e type.
--
-- tco2e is an exact mass of CO2-equivalent: an 8-byte, pass-by-value count
-- of grams (LIKE int8).  Its arithmetic, text and binary input and the
-- aggregate states are in C (src/tco2e.c, src/fixedpoint_*.c); comparison,
-- hashing, sorting and binary output reuse the server's int8 functions,
-- which work on the same 8-byte representation.  See docs/types.md.

CREATE TYPE @extschema@.tco2e;

CREATE FUNCTION @extschema@.tco2e_in(pg_catalog.cstring)
	RETURNS @extschema@.tco2e
	AS 'MODULE_PATHNAME', 'tco2e_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.tco2e_out(@extschema@.tco2e)
	RETURNS pg_catalog.cstring
	AS 'MODULE_PATHNAME', 'tco2e_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.tco2e_recv(pg_catalog.internal)
	RETURNS @extschema@.tco2e
	AS 'MODULE_PATHNAME', 'tco2e_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.tco2e_send(@extschema@.tco2e)
	RETURNS pg_catalog.bytea
	AS 'int8send'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.tco2e (
	INPUT = @extschema@.tco2e_in,
	OUTPUT = @extschema@.tco2e_out,
	RECEIVE = @extschema@.tco2e_recv,
	SEND = @extschema@.tco2e_send,
	LIKE = pg_catalog.int8
);
COMMENT ON TYPE @extschema@.tco2e IS
	'exact mass of CO2-equivalent, stored as a whole number of grams';

-- Comparison: the int8 functions, on the gram count.

CREATE FUNCTION @extschema@.tco2e_eq(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS pg_catalog.bool AS 'int8eq'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_ne(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS pg_catalog.bool AS 'int8ne'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_lt(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS pg_catalog.bool AS 'int8lt'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_le(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS pg_catalog.bool AS 'int8le'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_gt(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS pg_catalog.bool AS 'int8gt'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_ge(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS pg_catalog.bool AS 'int8ge'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_cmp(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS pg_catalog.int4 AS 'btint8cmp'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_sortsupport(pg_catalog.internal)
	RETURNS pg_catalog.void AS 'btint8sortsupport'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_hash(@extschema@.tco2e)
	RETURNS pg_catalog.int4 AS 'hashint8'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_hash_extended(@extschema@.tco2e, pg_catalog.int8)
	RETURNS pg_catalog.int8 AS 'hashint8extended'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_smaller(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'int8smaller'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tco2e_larger(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'int8larger'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.tco2e, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.tco2e, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.tco2e, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.tco2e, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.tco2e, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.tco2e, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS @extschema@.tco2e_ops
	DEFAULT FOR TYPE @extschema@.tco2e USING btree AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 @extschema@.tco2e_cmp(@extschema@.tco2e, @extschema@.tco2e),
		FUNCTION 2 @extschema@.tco2e_sortsupport(pg_catalog.internal);

CREATE OPERATOR CLASS @extschema@.tco2e_hash_ops
	DEFAULT FOR TYPE @extschema@.tco2e USING hash AS
		OPERATOR 1 @extschema@.=,
		FUNCTION 1 @extschema@.tco2e_hash(@extschema@.tco2e),
		FUNCTION 2 @extschema@.tco2e_hash_extended(@extschema@.tco2e, pg_catalog.int8);

CREATE OPERATOR CLASS @extschema@.tco2e_minmax_ops
	DEFAULT FOR TYPE @extschema@.tco2e USING brin AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 pg_catalog.brin_minmax_opcinfo(pg_catalog.internal),
		FUNCTION 2 pg_catalog.brin_minmax_add_value(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal, pg_catalog.internal),
		FUNCTION 3 pg_catalog.brin_minmax_consistent(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal),
		FUNCTION 4 pg_catalog.brin_minmax_union(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal);

-- Arithmetic.  Overflow is 22003, division by zero 22012; products and
-- quotients with a fraction are rounded half away from zero to the gram.

CREATE FUNCTION @extschema@.tco2e_pl(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_pl'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_mi(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_mi'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_um(@extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_um'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_mul_int8(@extschema@.tco2e, pg_catalog.int8)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_mul_int8'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_int8_mul(pg_catalog.int8, @extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_int8_mul'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_mul_int4(@extschema@.tco2e, pg_catalog.int4)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_mul_int4'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_int4_mul(pg_catalog.int4, @extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_int4_mul'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_mul_numeric(@extschema@.tco2e, pg_catalog.numeric)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_mul_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_numeric_mul(pg_catalog.numeric, @extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_numeric_mul'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_mul_float8(@extschema@.tco2e, pg_catalog.float8)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_mul_float8'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_float8_mul(pg_catalog.float8, @extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_float8_mul'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_div_int8(@extschema@.tco2e, pg_catalog.int8)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_div_int8'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_div_int4(@extschema@.tco2e, pg_catalog.int4)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_div_int4'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_div_numeric(@extschema@.tco2e, pg_catalog.numeric)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_div_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_div_float8(@extschema@.tco2e, pg_catalog.float8)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_div_float8'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_div(@extschema@.tco2e, @extschema@.tco2e)
	RETURNS pg_catalog.numeric AS 'MODULE_PATHNAME', 'tco2e_div'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.tco2e, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_pl, COMMUTATOR = OPERATOR(@extschema@.+)
);
CREATE OPERATOR @extschema@.- (
	LEFTARG = @extschema@.tco2e, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_mi
);
CREATE OPERATOR @extschema@.- (
	RIGHTARG = @extschema@.tco2e, FUNCTION = @extschema@.tco2e_um
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = @extschema@.tco2e, RIGHTARG = pg_catalog.int8,
	FUNCTION = @extschema@.tco2e_mul_int8, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = pg_catalog.int8, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_int8_mul, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = @extschema@.tco2e, RIGHTARG = pg_catalog.int4,
	FUNCTION = @extschema@.tco2e_mul_int4, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = pg_catalog.int4, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_int4_mul, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = @extschema@.tco2e, RIGHTARG = pg_catalog.numeric,
	FUNCTION = @extschema@.tco2e_mul_numeric, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = pg_catalog.numeric, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_numeric_mul, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = @extschema@.tco2e, RIGHTARG = pg_catalog.float8,
	FUNCTION = @extschema@.tco2e_mul_float8, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = pg_catalog.float8, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_float8_mul, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.tco2e, RIGHTARG = pg_catalog.int8,
	FUNCTION = @extschema@.tco2e_div_int8
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.tco2e, RIGHTARG = pg_catalog.int4,
	FUNCTION = @extschema@.tco2e_div_int4
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.tco2e, RIGHTARG = pg_catalog.numeric,
	FUNCTION = @extschema@.tco2e_div_numeric
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.tco2e, RIGHTARG = pg_catalog.float8,
	FUNCTION = @extschema@.tco2e_div_float8
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.tco2e, RIGHTARG = @extschema@.tco2e,
	FUNCTION = @extschema@.tco2e_div
);

-- Functions and casts.

CREATE FUNCTION @extschema@.abs(@extschema@.tco2e)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_abs'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.abs(@extschema@.tco2e) IS
	'absolute value of a tco2e';

CREATE FUNCTION @extschema@.tco2e_grams(@extschema@.tco2e)
	RETURNS pg_catalog.int8 AS 'int8up'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.tco2e_grams(@extschema@.tco2e) IS
	'the mass as a whole number of grams';

CREATE FUNCTION @extschema@.tco2e_from_grams(pg_catalog.int8)
	RETURNS @extschema@.tco2e AS 'int8up'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.tco2e_from_grams(pg_catalog.int8) IS
	'a tco2e of the given number of grams';

CREATE FUNCTION @extschema@.tco2e_in_unit(@extschema@.tco2e, pg_catalog.text)
	RETURNS pg_catalog.numeric AS 'MODULE_PATHNAME', 'tco2e_in_unit'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tco2e_in_unit(@extschema@.tco2e, pg_catalog.text) IS
	'the exact mass in the given unit (any unit tco2e input accepts)';

CREATE FUNCTION @extschema@.tco2e(pg_catalog.numeric)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_from_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_to_numeric(@extschema@.tco2e)
	RETURNS pg_catalog.numeric AS 'MODULE_PATHNAME', 'tco2e_to_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (pg_catalog.numeric AS @extschema@.tco2e)
	WITH FUNCTION @extschema@.tco2e(pg_catalog.numeric);
COMMENT ON CAST (pg_catalog.numeric AS @extschema@.tco2e) IS
	'tonnes, rounded half away from zero to the gram';
CREATE CAST (@extschema@.tco2e AS pg_catalog.numeric)
	WITH FUNCTION @extschema@.tco2e_to_numeric(@extschema@.tco2e);
COMMENT ON CAST (@extschema@.tco2e AS pg_catalog.numeric) IS
	'exact number of tonnes';

-- Aggregates.  sum and avg share one running state (count and 128-bit
-- sum, src/fixedpoint_agg.c) with carbon_credit.

CREATE FUNCTION @extschema@.tco2e_sum_accum(pg_catalog.internal, @extschema@.tco2e)
	RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_sum_accum_inv(pg_catalog.internal, @extschema@.tco2e)
	RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_accum_inv'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.fixedpoint_sum_combine(pg_catalog.internal, pg_catalog.internal)
	RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.fixedpoint_sum_serialize(pg_catalog.internal)
	RETURNS pg_catalog.bytea AS 'MODULE_PATHNAME', 'fp_sum_serialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.fixedpoint_sum_deserialize(pg_catalog.bytea, pg_catalog.internal)
	RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_deserialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_sum_final(pg_catalog.internal)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_sum_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.tco2e_avg_final(pg_catalog.internal)
	RETURNS @extschema@.tco2e AS 'MODULE_PATHNAME', 'tco2e_avg_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.sum(@extschema@.tco2e) (
	SFUNC = @extschema@.tco2e_sum_accum,
	STYPE = pg_catalog.internal,
	SSPACE = 24,
	FINALFUNC = @extschema@.tco2e_sum_final,
	COMBINEFUNC = @extschema@.fixedpoint_sum_combine,
	SERIALFUNC = @extschema@.fixedpoint_sum_serialize,
	DESERIALFUNC = @extschema@.fixedpoint_sum_deserialize,
	MSFUNC = @extschema@.tco2e_sum_accum,
	MINVFUNC = @extschema@.tco2e_sum_accum_inv,
	MSTYPE = pg_catalog.internal,
	MSSPACE = 24,
	MFINALFUNC = @extschema@.tco2e_sum_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sum(@extschema@.tco2e) IS
	'exact sum of tco2e values (128-bit running state)';

CREATE AGGREGATE @extschema@.avg(@extschema@.tco2e) (
	SFUNC = @extschema@.tco2e_sum_accum,
	STYPE = pg_catalog.internal,
	SSPACE = 24,
	FINALFUNC = @extschema@.tco2e_avg_final,
	COMBINEFUNC = @extschema@.fixedpoint_sum_combine,
	SERIALFUNC = @extschema@.fixedpoint_sum_serialize,
	DESERIALFUNC = @extschema@.fixedpoint_sum_deserialize,
	MSFUNC = @extschema@.tco2e_sum_accum,
	MINVFUNC = @extschema@.tco2e_sum_accum_inv,
	MSTYPE = pg_catalog.internal,
	MSSPACE = 24,
	MFINALFUNC = @extschema@.tco2e_avg_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.avg(@extschema@.tco2e) IS
	'mean of tco2e values, rounded half away from zero to the gram';

CREATE AGGREGATE @extschema@.min(@extschema@.tco2e) (
	SFUNC = @extschema@.tco2e_smaller,
	STYPE = @extschema@.tco2e,
	COMBINEFUNC = @extschema@.tco2e_smaller,
	SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.tco2e) IS
	'smallest tco2e value';

CREATE AGGREGATE @extschema@.max(@extschema@.tco2e) (
	SFUNC = @extschema@.tco2e_larger,
	STYPE = @extschema@.tco2e,
	COMBINEFUNC = @extschema@.tco2e_larger,
	SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.max(@extschema@.tco2e) IS
	'largest tco2e value';
