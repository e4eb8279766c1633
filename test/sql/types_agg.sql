-- sum, avg, min and max of tco2e and carbon_credit: exact results, the
-- 128-bit running state (intermediate overflow never fails a sum whose
-- result fits), NULL for no rows, rounding of avg, and the catalog
-- properties (PARALLEL SAFE, combine, serialise, inverse functions).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY verbose

CREATE TEMP TABLE agg_t (g int, m tco2e, c carbon_credit);
INSERT INTO agg_t VALUES
  (1, '1 t', '1.5'), (1, '250 kg', '0.001'), (1, NULL, NULL),
  (2, '9223372036854775807 g', '9223372036854775.807'),
  (2, '9223372036854775807 g', '9223372036854775.807'),
  (2, '-9223372036854775808 g', '-9223372036854775.808'),
  (2, '-9223372036854775807 g', '-9223372036854775.807'),
  (3, '1 g', '0.001'), (3, '2 g', '0.002'),
  (4, '-1 g', '-0.001'), (4, '-2 g', '-0.002'),
  (5, NULL, NULL);
SELECT g, sum(m), avg(m), min(m), max(m), sum(c), avg(c), min(c), max(c), count(m)
  FROM agg_t GROUP BY g ORDER BY g;
-- no rows: NULL, not zero
SELECT sum(m), avg(m), min(m), max(m), sum(c), avg(c) FROM agg_t WHERE false;
-- a final sum outside int64 is 22003 (after the state went further)
SELECT sum(m) FROM agg_t WHERE m > '0';
SELECT sum(c) FROM agg_t WHERE c > '0';
SELECT sum(m) FROM agg_t WHERE m < '0' AND g = 2;
-- avg of the int64 extremes stays in range
SELECT avg(m), avg(c) FROM agg_t WHERE g = 2 AND m > '0';
-- avg rounds half away from zero: 1.5 g -> 2 g, -1.5 g -> -2 g, 1/3 -> 0
SELECT avg(x) FROM (VALUES ('1 g'::tco2e), ('2 g')) v(x);
SELECT avg(x) FROM (VALUES ('-1 g'::tco2e), ('-2 g')) v(x);
SELECT avg(x) FROM (VALUES ('1 g'::tco2e), ('0 g'), ('0 g')) v(x);
SELECT avg(x) FROM (VALUES ('0.001'::carbon_credit), ('0.002')) v(x);

-- every aggregate is PARALLEL SAFE with a combine function; sum and avg
-- have serialise/deserialise and moving-aggregate (inverse) functions
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.proparallel,
       a.aggcombinefn <> 0 AS combine, a.aggserialfn <> 0 AS serial,
       a.aggdeserialfn <> 0 AS deserial, a.aggminvtransfn <> 0 AS inverse,
       a.aggsortop <> 0 AS sortop
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
 WHERE p.proargtypes[0] IN ('tco2e'::regtype, 'carbon_credit'::regtype)
 ORDER BY 1, 2;
-- every function of the two types says how it may be used
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.provolatile, p.proparallel,
       p.proisstrict, p.proleakproof
  FROM pg_proc p
  JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'carbon_ledger'
 WHERE p.prokind = 'f'
   AND (p.prorettype IN ('tco2e'::regtype, 'carbon_credit'::regtype)
        OR 'tco2e'::regtype = ANY (p.proargtypes::oid[])
        OR 'carbon_credit'::regtype = ANY (p.proargtypes::oid[])
        OR p.proname LIKE 'fixedpoint%')
 ORDER BY 1, 2;
