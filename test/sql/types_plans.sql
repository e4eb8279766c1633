-- tco2e and carbon_credit in query plans: hash joins and hash aggregation
-- agree with sort-based plans (equal values in different units hash
-- alike), parallel aggregation agrees with serial aggregation and shows a
-- Partial Aggregate, window running sums agree with plain sums (moving
-- frames use the inverse transition), and btree, hash and BRIN indexes are
-- used.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY verbose

CREATE TABLE plans_t (id int, g int, m tco2e, c carbon_credit);
INSERT INTO plans_t
  SELECT i, i % 7,
         tco2e_from_grams(((i * 7919) % 100003 - 50000)::bigint * 1000),
         carbon_credit_from_thousandths(((i * 104729) % 10007)::bigint)
    FROM generate_series(1, 20000) AS i;
-- the same masses written in other units
CREATE TABLE plans_u (m tco2e, written text);
INSERT INTO plans_u
  SELECT ((tco2e_grams(m) / 1000)::text || ' kg')::tco2e, 'kg' FROM plans_t WHERE id % 3 = 0
  UNION ALL
  SELECT (tco2e_in_unit(m, '万吨')::text || ' 万吨')::tco2e, '万吨' FROM plans_t WHERE id % 3 = 1;
SELECT written, count(*) FROM plans_u GROUP BY written ORDER BY written;
ANALYZE plans_t, plans_u;

-- equal values in different units hash alike
SELECT count(*) AS all_units_hash_alike
  FROM (VALUES ('1 t'::tco2e, '1000 kg'::tco2e), ('1 t', '0.0001 万吨'), ('1 t', '1000000 g'),
               ('2.5 Mt', '250 万吨'), ('-1 kg', '-1000 g'), ('0', '-0 t')) v(a, b)
 WHERE tco2e_hash(a) = tco2e_hash(b) AND tco2e_hash_extended(a, 42) = tco2e_hash_extended(b, 42)
   AND a = b;
SELECT carbon_credit_hash('12.500') = carbon_credit_hash('12.5 cr') AS credit_hash_alike;

-- join plans: hash, merge and nested loop give the same answer
CREATE TEMP TABLE join_results (plan text, n bigint, total tco2e);
SET enable_mergejoin = off; SET enable_nestloop = off; SET enable_hashjoin = on;
EXPLAIN (COSTS OFF) SELECT count(*) FROM plans_t t JOIN plans_u u ON t.m = u.m;
INSERT INTO join_results SELECT 'hash', count(*), sum(t.m) FROM plans_t t JOIN plans_u u ON t.m = u.m;
SET enable_hashjoin = off; SET enable_mergejoin = on;
EXPLAIN (COSTS OFF) SELECT count(*) FROM plans_t t JOIN plans_u u ON t.m = u.m;
INSERT INTO join_results SELECT 'merge', count(*), sum(t.m) FROM plans_t t JOIN plans_u u ON t.m = u.m;
RESET enable_mergejoin; RESET enable_nestloop; RESET enable_hashjoin;
SELECT plan, n, total FROM join_results ORDER BY plan;
SELECT count(DISTINCT (n, total)) = 1 AS join_plans_agree FROM join_results;

-- grouping plans: hash aggregation and sorted grouping agree
CREATE TEMP TABLE group_results (plan text, grp tco2e, n bigint, total carbon_credit);
SET enable_sort = off; SET enable_hashagg = on;
EXPLAIN (COSTS OFF) SELECT m, count(*), sum(c) FROM plans_t GROUP BY m;
INSERT INTO group_results SELECT 'hash', m, count(*), sum(c) FROM plans_t GROUP BY m;
SET enable_sort = on; SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT m, count(*), sum(c) FROM plans_t GROUP BY m;
INSERT INTO group_results SELECT 'sort', m, count(*), sum(c) FROM plans_t GROUP BY m;
RESET enable_sort; RESET enable_hashagg;
SELECT (SELECT count(*) FROM group_results WHERE plan = 'hash') AS hash_groups,
       (SELECT count(*) FROM group_results WHERE plan = 'sort') AS sort_groups,
       NOT EXISTS (
         (SELECT grp, n, total FROM group_results WHERE plan = 'hash'
          EXCEPT SELECT grp, n, total FROM group_results WHERE plan = 'sort')
         UNION ALL
         (SELECT grp, n, total FROM group_results WHERE plan = 'sort'
          EXCEPT SELECT grp, n, total FROM group_results WHERE plan = 'hash')) AS grouping_plans_agree;
-- hashed DISTINCT over different spellings of one value
SELECT count(DISTINCT m) AS one_value FROM (VALUES ('1 t'::tco2e), ('1000 kg'), ('1 吨'), ('0.001 kt')) v(m);
SET enable_sort = off;
SELECT count(*) AS one_group FROM (SELECT m FROM (VALUES ('1 t'::tco2e), ('1000 kg'), ('1 吨'), ('0.001 kt')) v(m) GROUP BY m) s;
RESET enable_sort;

-- parallel aggregation agrees with serial aggregation
CREATE TEMP TABLE serial_result AS
  SELECT g, sum(m) AS sm, avg(m) AS am, min(m) AS mn, max(m) AS mx,
         sum(c) AS sc, avg(c) AS ac, min(c) AS mnc, max(c) AS mxc
    FROM plans_t GROUP BY g;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
  SELECT g, sum(m), avg(m), min(m), max(m), sum(c), avg(c), min(c), max(c)
    FROM plans_t GROUP BY g;
CREATE TEMP TABLE parallel_result AS
  SELECT g, sum(m) AS sm, avg(m) AS am, min(m) AS mn, max(m) AS mx,
         sum(c) AS sc, avg(c) AS ac, min(c) AS mnc, max(c) AS mxc
    FROM plans_t GROUP BY g;
EXPLAIN (COSTS OFF) SELECT sum(m), avg(m), sum(c), avg(c) FROM plans_t;
SELECT sum(m), avg(m), min(m), max(m), sum(c), avg(c) FROM plans_t;
RESET enable_hashagg;
RESET force_parallel_mode;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
SELECT sum(m), avg(m), min(m), max(m), sum(c), avg(c) FROM plans_t;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE s.sm = p.sm AND s.am = p.am AND s.mn = p.mn AND s.mx = p.mx
                          AND s.sc = p.sc AND s.ac = p.ac AND s.mnc = p.mnc AND s.mxc = p.mxc)
         AS parallel_agrees
  FROM serial_result s JOIN parallel_result p USING (g);
-- a parallel sum whose partial states overflow int64 but whose total fits
CREATE TABLE plans_big (m tco2e);
INSERT INTO plans_big
  SELECT CASE WHEN i <= 5000 THEN '9223372036854775807 g'::tco2e ELSE '-9223372036854775807 g' END
    FROM generate_series(1, 10000) AS i;
INSERT INTO plans_big VALUES ('1 g');
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET force_parallel_mode = on;
SELECT sum(m), avg(m) FROM plans_big;
RESET ALL;
SELECT sum(m), avg(m) FROM plans_big;

-- window sums: running totals and moving frames agree with plain sums
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE running = (SELECT sum(m) FROM plans_t t2 WHERE t2.id <= w.id))
         AS running_agrees
  FROM (SELECT id, sum(m) OVER (ORDER BY id) AS running FROM plans_t WHERE id <= 300) w;
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE moving_sum IS NOT DISTINCT FROM
                          (SELECT sum(m) FROM plans_t t2 WHERE t2.id BETWEEN w.id - 4 AND w.id))
         AS moving_sum_agrees,
       count(*) FILTER (WHERE moving_avg IS NOT DISTINCT FROM
                          (SELECT avg(c) FROM plans_t t2 WHERE t2.id BETWEEN w.id - 4 AND w.id))
         AS moving_avg_agrees
  FROM (SELECT id, sum(m) OVER (ORDER BY id ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS moving_sum,
               avg(c) OVER (ORDER BY id ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS moving_avg
          FROM plans_t WHERE id <= 300) w;
-- a moving frame that becomes empty gives NULL (inverse back to no rows)
SELECT x, sum(x) OVER w, avg(x) OVER w
  FROM (VALUES (1, '1 t'::tco2e), (2, '2 t'), (3, NULL), (4, NULL), (5, '5 kg')) v(i, x)
WINDOW w AS (ORDER BY i ROWS BETWEEN CURRENT ROW AND CURRENT ROW)
 ORDER BY i;
-- a frame whose total is out of range is an error (22003) ...
SELECT i, sum(x) OVER w
  FROM (VALUES (1, '9223372036854775807 g'::tco2e), (2, '9223372036854775807 g'),
               (3, '-9223372036854775807 g'), (4, '1 g')) v(i, x)
WINDOW w AS (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
 ORDER BY i;
-- ... while frames whose totals fit are exact at the int64 limits
SELECT i, sum(x) OVER w
  FROM (VALUES (1, '9223372036854775807 g'::tco2e), (2, '-9223372036854775807 g'),
               (3, '9223372036854775807 g'), (4, '-1 g')) v(i, x)
WINDOW w AS (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
 ORDER BY i;

-- indexes: btree (also for min/max), hash and BRIN
CREATE INDEX plans_t_m_btree ON plans_t (m);
CREATE INDEX plans_t_c_hash ON plans_t USING hash (c);
CREATE TABLE plans_brin AS
  SELECT tco2e_from_grams(i::bigint * 1000) AS m, carbon_credit_from_thousandths(i) AS c
    FROM generate_series(1, 100000) AS i;
CREATE INDEX plans_brin_m ON plans_brin USING brin (m) WITH (pages_per_range = 4);
CREATE INDEX plans_brin_c ON plans_brin USING brin (c) WITH (pages_per_range = 4);
ANALYZE plans_t, plans_brin;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM plans_t WHERE m = '1 kt';
EXPLAIN (COSTS OFF) SELECT max(m) FROM plans_t;
SELECT max(m), min(m) FROM plans_t;
EXPLAIN (COSTS OFF) SELECT count(*) FROM plans_t WHERE c = '5.5';
SELECT count(*) FROM plans_t WHERE c = '5.5';
RESET enable_seqscan;
SET enable_seqscan = off; SET enable_indexscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM plans_brin WHERE m BETWEEN '10 t' AND '20 t';
SELECT count(*) FROM plans_brin WHERE m BETWEEN '10 t' AND '20 t';
EXPLAIN (COSTS OFF) SELECT count(*) FROM plans_brin WHERE c > '99.99';
SELECT count(*) FROM plans_brin WHERE c > '99.99';
RESET enable_seqscan; RESET enable_indexscan;

-- selectivity estimators give row estimates from statistics
SELECT o.oprname, o.oprrest, o.oprjoin
  FROM pg_operator o
 WHERE o.oprleft = 'tco2e'::regtype AND o.oprright = 'tco2e'::regtype
   AND o.oprresult = 'bool'::regtype
 ORDER BY 1;
CREATE FUNCTION pg_temp.estimate(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO plan;
  RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END $$;
SELECT pg_temp.estimate($$SELECT * FROM plans_brin WHERE m < '10 t'$$) BETWEEN 5000 AND 15000 AS lt_estimate_close,
       pg_temp.estimate($$SELECT * FROM plans_brin WHERE m > '90 t'$$) BETWEEN 5000 AND 15000 AS gt_estimate_close,
       pg_temp.estimate($$SELECT * FROM plans_brin WHERE m = '10 t'$$) < 10 AS eq_estimate_small,
       pg_temp.estimate($$SELECT * FROM plans_brin WHERE m <> '10 t'$$) > 90000 AS ne_estimate_large;

DROP TABLE plans_t, plans_u, plans_big, plans_brin;
