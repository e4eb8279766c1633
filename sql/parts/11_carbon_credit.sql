-- carbon_ledger install script, part 11: the carbon_credit type.
--
-- carbon_credit is an exact quantity of carbon credits: an 8-byte,
-- pass-by-value count of thousandths of a credit (LIKE int8).  It has the
-- same surface as tco2e (part 10) and the same C implementation
-- (src/carbon_credit.c, src/fixedpoint_*.c), plus assignment casts from
-- integer and bigint; no operator mixes it with tco2e.  See docs/types.md.

CREATE TYPE @extschema@.carbon_credit;

CREATE FUNCTION @extschema@.carbon_credit_in(pg_catalog.cstring)
	RETURNS @extschema@.carbon_credit
	AS 'MODULE_PATHNAME', 'carbon_credit_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.carbon_credit_out(@extschema@.carbon_credit)
	RETURNS pg_catalog.cstring
	AS 'MODULE_PATHNAME', 'carbon_credit_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.carbon_credit_recv(pg_catalog.internal)
	RETURNS @extschema@.carbon_credit
	AS 'MODULE_PATHNAME', 'carbon_credit_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.carbon_credit_send(@extschema@.carbon_credit)
	RETURNS pg_catalog.bytea
	AS 'int8send'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.carbon_credit (
	INPUT = @extschema@.carbon_credit_in,
	OUTPUT = @extschema@.carbon_credit_out,
	RECEIVE = @extschema@.carbon_credit_recv,
	SEND = @extschema@.carbon_credit_send,
	LIKE = pg_catalog.int8
);
COMMENT ON TYPE @extschema@.carbon_credit IS
	'exact quantity of carbon credits, stored as a whole number of thousandths';

-- Comparison: the int8 functions, on the count of thousandths.

CREATE FUNCTION @extschema@.carbon_credit_eq(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS pg_catalog.bool AS 'int8eq'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_ne(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS pg_catalog.bool AS 'int8ne'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_lt(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS pg_catalog.bool AS 'int8lt'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_le(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS pg_catalog.bool AS 'int8le'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_gt(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS pg_catalog.bool AS 'int8gt'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_ge(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS pg_catalog.bool AS 'int8ge'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_cmp(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS pg_catalog.int4 AS 'btint8cmp'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_sortsupport(pg_catalog.internal)
	RETURNS pg_catalog.void AS 'btint8sortsupport'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_hash(@extschema@.carbon_credit)
	RETURNS pg_catalog.int4 AS 'hashint8'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_hash_extended(@extschema@.carbon_credit, pg_catalog.int8)
	RETURNS pg_catalog.int8 AS 'hashint8extended'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_smaller(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'int8smaller'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.carbon_credit_larger(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'int8larger'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS @extschema@.carbon_credit_ops
	DEFAULT FOR TYPE @extschema@.carbon_credit USING btree AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 @extschema@.carbon_credit_cmp(@extschema@.carbon_credit, @extschema@.carbon_credit),
		FUNCTION 2 @extschema@.carbon_credit_sortsupport(pg_catalog.internal);

CREATE OPERATOR CLASS @extschema@.carbon_credit_hash_ops
	DEFAULT FOR TYPE @extschema@.carbon_credit USING hash AS
		OPERATOR 1 @extschema@.=,
		FUNCTION 1 @extschema@.carbon_credit_hash(@extschema@.carbon_credit),
		FUNCTION 2 @extschema@.carbon_credit_hash_extended(@extschema@.carbon_credit, pg_catalog.int8);

CREATE OPERATOR CLASS @extschema@.carbon_credit_minmax_ops
	DEFAULT FOR TYPE @extschema@.carbon_credit USING brin AS
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
-- quotients with a fraction are rounded half away from zero to the
-- thousandth.

CREATE FUNCTION @extschema@.carbon_credit_pl(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_pl'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_mi(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_mi'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_um(@extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_um'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_mul_int8(@extschema@.carbon_credit, pg_catalog.int8)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_mul_int8'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_int8_mul(pg_catalog.int8, @extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_int8_mul'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_mul_int4(@extschema@.carbon_credit, pg_catalog.int4)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_mul_int4'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_int4_mul(pg_catalog.int4, @extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_int4_mul'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_mul_numeric(@extschema@.carbon_credit, pg_catalog.numeric)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_mul_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_numeric_mul(pg_catalog.numeric, @extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_numeric_mul'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_mul_float8(@extschema@.carbon_credit, pg_catalog.float8)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_mul_float8'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_float8_mul(pg_catalog.float8, @extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_float8_mul'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_div_int8(@extschema@.carbon_credit, pg_catalog.int8)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_div_int8'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_div_int4(@extschema@.carbon_credit, pg_catalog.int4)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_div_int4'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_div_numeric(@extschema@.carbon_credit, pg_catalog.numeric)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_div_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_div_float8(@extschema@.carbon_credit, pg_catalog.float8)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_div_float8'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_div(@extschema@.carbon_credit, @extschema@.carbon_credit)
	RETURNS pg_catalog.numeric AS 'MODULE_PATHNAME', 'carbon_credit_div'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_pl, COMMUTATOR = OPERATOR(@extschema@.+)
);
CREATE OPERATOR @extschema@.- (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_mi
);
CREATE OPERATOR @extschema@.- (
	RIGHTARG = @extschema@.carbon_credit, FUNCTION = @extschema@.carbon_credit_um
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = pg_catalog.int8,
	FUNCTION = @extschema@.carbon_credit_mul_int8, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = pg_catalog.int8, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_int8_mul, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = pg_catalog.int4,
	FUNCTION = @extschema@.carbon_credit_mul_int4, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = pg_catalog.int4, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_int4_mul, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = pg_catalog.numeric,
	FUNCTION = @extschema@.carbon_credit_mul_numeric, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = pg_catalog.numeric, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_numeric_mul, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = pg_catalog.float8,
	FUNCTION = @extschema@.carbon_credit_mul_float8, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@.* (
	LEFTARG = pg_catalog.float8, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_float8_mul, COMMUTATOR = OPERATOR(@extschema@.*)
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = pg_catalog.int8,
	FUNCTION = @extschema@.carbon_credit_div_int8
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = pg_catalog.int4,
	FUNCTION = @extschema@.carbon_credit_div_int4
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = pg_catalog.numeric,
	FUNCTION = @extschema@.carbon_credit_div_numeric
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = pg_catalog.float8,
	FUNCTION = @extschema@.carbon_credit_div_float8
);
CREATE OPERATOR @extschema@./ (
	LEFTARG = @extschema@.carbon_credit, RIGHTARG = @extschema@.carbon_credit,
	FUNCTION = @extschema@.carbon_credit_div
);

-- Functions and casts.

CREATE FUNCTION @extschema@.abs(@extschema@.carbon_credit)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_abs'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.abs(@extschema@.carbon_credit) IS
	'absolute value of a carbon_credit';

CREATE FUNCTION @extschema@.carbon_credit_thousandths(@extschema@.carbon_credit)
	RETURNS pg_catalog.int8 AS 'int8up'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.carbon_credit_thousandths(@extschema@.carbon_credit) IS
	'the quantity as a whole number of thousandths of a credit';

CREATE FUNCTION @extschema@.carbon_credit_from_thousandths(pg_catalog.int8)
	RETURNS @extschema@.carbon_credit AS 'int8up'
	LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.carbon_credit_from_thousandths(pg_catalog.int8) IS
	'a carbon_credit of the given number of thousandths of a credit';

CREATE FUNCTION @extschema@.carbon_credit(pg_catalog.numeric)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_from_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_to_numeric(@extschema@.carbon_credit)
	RETURNS pg_catalog.numeric AS 'MODULE_PATHNAME', 'carbon_credit_to_numeric'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (pg_catalog.numeric AS @extschema@.carbon_credit)
	WITH FUNCTION @extschema@.carbon_credit(pg_catalog.numeric);
COMMENT ON CAST (pg_catalog.numeric AS @extschema@.carbon_credit) IS
	'credits, rounded half away from zero to the thousandth';
CREATE CAST (@extschema@.carbon_credit AS pg_catalog.numeric)
	WITH FUNCTION @extschema@.carbon_credit_to_numeric(@extschema@.carbon_credit);
COMMENT ON CAST (@extschema@.carbon_credit AS pg_catalog.numeric) IS
	'exact number of credits';

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

-- Aggregates.  sum and avg use tco2e's combine, serialise and deserialise
-- functions (part 10): the running state is the same.

CREATE FUNCTION @extschema@.carbon_credit_sum_accum(pg_catalog.internal, @extschema@.carbon_credit)
	RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_sum_accum_inv(pg_catalog.internal, @extschema@.carbon_credit)
	RETURNS pg_catalog.internal AS 'MODULE_PATHNAME', 'fp_sum_accum_inv'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_sum_final(pg_catalog.internal)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_sum_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.carbon_credit_avg_final(pg_catalog.internal)
	RETURNS @extschema@.carbon_credit AS 'MODULE_PATHNAME', 'carbon_credit_avg_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.sum(@extschema@.carbon_credit) (
	SFUNC = @extschema@.carbon_credit_sum_accum,
	STYPE = pg_catalog.internal,
	SSPACE = 24,
	FINALFUNC = @extschema@.carbon_credit_sum_final,
	COMBINEFUNC = @extschema@.fixedpoint_sum_combine,
	SERIALFUNC = @extschema@.fixedpoint_sum_serialize,
	DESERIALFUNC = @extschema@.fixedpoint_sum_deserialize,
	MSFUNC = @extschema@.carbon_credit_sum_accum,
	MINVFUNC = @extschema@.carbon_credit_sum_accum_inv,
	MSTYPE = pg_catalog.internal,
	MSSPACE = 24,
	MFINALFUNC = @extschema@.carbon_credit_sum_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sum(@extschema@.carbon_credit) IS
	'exact sum of carbon_credit values (128-bit running state)';

CREATE AGGREGATE @extschema@.avg(@extschema@.carbon_credit) (
	SFUNC = @extschema@.carbon_credit_sum_accum,
	STYPE = pg_catalog.internal,
	SSPACE = 24,
	FINALFUNC = @extschema@.carbon_credit_avg_final,
	COMBINEFUNC = @extschema@.fixedpoint_sum_combine,
	SERIALFUNC = @extschema@.fixedpoint_sum_serialize,
	DESERIALFUNC = @extschema@.fixedpoint_sum_deserialize,
	MSFUNC = @extschema@.carbon_credit_sum_accum,
	MINVFUNC = @extschema@.carbon_credit_sum_accum_inv,
	MSTYPE = pg_catalog.internal,
	MSSPACE = 24,
	MFINALFUNC = @extschema@.carbon_credit_avg_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.avg(@extschema@.carbon_credit) IS
	'mean of carbon_credit values, rounded half away from zero to the thousandth';

CREATE AGGREGATE @extschema@.min(@extschema@.carbon_credit) (
	SFUNC = @extschema@.carbon_credit_smaller,
	STYPE = @extschema@.carbon_credit,
	COMBINEFUNC = @extschema@.carbon_credit_smaller,
	SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.carbon_credit) IS
	'smallest carbon_credit value';

CREATE AGGREGATE @extschema@.max(@extschema@.carbon_credit) (
	SFUNC = @extschema@.carbon_credit_larger,
	STYPE = @extschema@.carbon_credit,
	COMBINEFUNC = @extschema@.carbon_credit_larger,
	SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.max(@extschema@.carbon_credit) IS
	'largest carbon_credit value';
