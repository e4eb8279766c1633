-- carbon_credit: text input and output, thousandths, the int64 limits,
-- operators, functions, casts (integer and bigint by assignment), and
-- every error with its SQLSTATE.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY verbose

SELECT '12.500'::carbon_credit AS "12.5", '12.5 cr'::carbon_credit AS cr,
       '12.5credits'::carbon_credit AS credits, ' - 0.001 credit '::carbon_credit AS credit,
       '1e3'::carbon_credit AS exp, '.25'::carbon_credit, '7.'::carbon_credit,
       '1.0000e1'::carbon_credit AS exp_counts, '-0'::carbon_credit,
       ' 5 '::carbon_credit AS trailing_space;
SELECT '9223372036854775.807'::carbon_credit AS max, '-9223372036854775.808'::carbon_credit AS min,
       '-9223372036854775.808'::carbon_credit::text::carbon_credit
         = carbon_credit_from_thousandths(-9223372036854775808) AS min_reads_back,
       carbon_credit_thousandths('9223372036854775.807') AS max_thousandths;
SELECT carbon_credit_from_thousandths(t) AS v,
       carbon_credit_from_thousandths(t)::text::carbon_credit = carbon_credit_from_thousandths(t) AS reads_back
  FROM unnest(ARRAY[0, 1, -1, 10, 100, 1000, 1001, 12500, -999, 1000000000000000000]::bigint[]) AS t;

-- errors
SELECT '1.2345'::carbon_credit;
-- more than three decimals is an error even when they are zeros
SELECT '1.0000'::carbon_credit;
SELECT '1.000000000000000000000'::carbon_credit;
SELECT '0.0005 cr'::carbon_credit;
SELECT '9223372036854775.808'::carbon_credit;
SELECT '-9223372036854775.809'::carbon_credit;
SELECT '1e20'::carbon_credit;
SELECT '5 kg'::carbon_credit;
SELECT '5 CR'::carbon_credit;
SELECT '5 cr CO2e'::carbon_credit;
SELECT 'NaN'::carbon_credit;
SELECT ''::carbon_credit;
SELECT '-'::carbon_credit;
SELECT '12,5'::carbon_credit;

-- operators and functions
SELECT '1.5'::carbon_credit + '2.25' AS plus, '1'::carbon_credit - '2.5' AS minus,
       -'3'::carbon_credit AS neg, abs('-3.001'::carbon_credit) AS abs,
       '1.5'::carbon_credit * 3 AS times3, 2::bigint * '0.001'::carbon_credit AS times2,
       '10'::carbon_credit * 0.0005 AS half_up, '10'::carbon_credit * 0.00005::float8 AS half_float,
       '1'::carbon_credit / 3 AS third, '-2'::carbon_credit / 3.0 AS neg_two_thirds,
       '1'::carbon_credit / '8'::carbon_credit AS ratio;
SELECT '1'::carbon_credit = '1.000' AS eq, '1'::carbon_credit < '1.001' AS lt,
       '2'::carbon_credit >= '-2' AS ge, '0.001'::carbon_credit <> '0' AS ne,
       '5'::carbon_credit > '5' AS gt, '5'::carbon_credit <= '4.999' AS le;
SELECT '9223372036854775.807'::carbon_credit + '0.001';
SELECT '-9223372036854775.808'::carbon_credit * -1;
SELECT '1'::carbon_credit / 0;
SELECT '1'::carbon_credit / '0'::carbon_credit;
SELECT '1'::carbon_credit * 'NaN'::float8;

-- casts: integer and bigint by assignment, numeric explicit both ways
CREATE TEMP TABLE credit_cast_t (c carbon_credit);
INSERT INTO credit_cast_t VALUES (5), (5::bigint), (-2147483648), (9223372036854775::bigint);
INSERT INTO credit_cast_t VALUES (12.5::numeric::carbon_credit), (0.0005::carbon_credit), ((-0.0005)::carbon_credit);
SELECT c FROM credit_cast_t;
INSERT INTO credit_cast_t VALUES (9223372036854776::bigint);
-- a parser error: show its SQLSTATE, not the server's source location
\set VERBOSITY sqlstate
INSERT INTO credit_cast_t VALUES (12.5);
\set VERBOSITY verbose
SELECT 3::carbon_credit, 3::bigint::carbon_credit, '1.234'::carbon_credit::numeric,
       '-9223372036854775.808'::carbon_credit::numeric;
SELECT 'NaN'::numeric::carbon_credit;
SELECT 9223372036854775.8075::carbon_credit;
SELECT c.castsource::regtype, c.casttarget::regtype, c.castcontext
  FROM pg_cast c
 WHERE c.castsource = 'carbon_credit'::regtype OR c.casttarget = 'carbon_credit'::regtype
 ORDER BY c.castsource::regtype::text, c.casttarget::regtype::text;
-- there is no cast to tco2e and no operator mixing the two types
-- a parser error: show its SQLSTATE, not the server's source location
\set VERBOSITY sqlstate
SELECT '1'::carbon_credit::tco2e;
SELECT '1'::carbon_credit * '1 t'::tco2e;
\set VERBOSITY verbose
SELECT count(*) AS mixed_operators FROM pg_operator
 WHERE (oprleft = 'tco2e'::regtype AND oprright = 'carbon_credit'::regtype)
    OR (oprleft = 'carbon_credit'::regtype AND oprright = 'tco2e'::regtype);
