-- tco2e operators, functions and casts: comparison, arithmetic with every
-- operand type, rounding half away from zero, overflow (22003), division by
-- zero (22012), NaN and infinity arguments, tco2e_in_unit and numeric casts.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY verbose

-- comparison across units
SELECT '1 t'::tco2e = '1000 kg' AS eq, '1 t'::tco2e <> '1000000 g' AS ne,
       '999 kg'::tco2e < '1 t' AS lt, '1 t'::tco2e <= '1 t' AS le,
       '1 万吨'::tco2e > '9999 t' AS gt, '-1 g'::tco2e >= '-1 g' AS ge,
       '1 Gt'::tco2e = '1000 Mt' AND '1 Mt'::tco2e = '1000 kt' AND
       '1 百万吨'::tco2e = '1 Mt' AND '1 亿吨'::tco2e = '100 Mt' AND
       '1 千吨'::tco2e = '1 kt' AND '1 公斤'::tco2e = '1 千克' AS chinese;
SELECT x FROM unnest(ARRAY['1 t', '-5 kg', '0', '999999 g', '-9223372036854775808 g',
                           '9223372036854775807 g']::tco2e[]) AS x ORDER BY x;

-- + - and unary -
SELECT '1 t'::tco2e + '1 g' AS plus, '1 t'::tco2e - '1 kg' AS minus,
       -'2.5 t'::tco2e AS neg, -'0'::tco2e AS neg_zero;
SELECT '9223372036854775807 g'::tco2e + '1 g';
SELECT '-9223372036854775808 g'::tco2e - '1 g';
SELECT -'-9223372036854775808 g'::tco2e;
SELECT abs('-3 kg'::tco2e), abs('3 kg'::tco2e), abs('-9223372036854775807 g'::tco2e);
SELECT abs('-9223372036854775808 g'::tco2e);

-- * with integer, bigint, numeric and double precision, on either side
SELECT '1.5 kg'::tco2e * 3 AS int4, 3 * '1.5 kg'::tco2e AS int4_l,
       '1.5 kg'::tco2e * 3::bigint AS int8, 3::bigint * '1.5 kg'::tco2e AS int8_l,
       '1 t'::tco2e * 2.5 AS num, 2.5 * '1 t'::tco2e AS num_l,
       '1 t'::tco2e * 0.5::float8 AS flt, 0.5::float8 * '1 t'::tco2e AS flt_l;
-- products are rounded half away from zero to the gram
SELECT '1 g'::tco2e * 0.5 AS half_up, '-1 g'::tco2e * 0.5 AS half_down,
       '1 g'::tco2e * 0.49999999999999999999 AS below_half,
       '5 g'::tco2e * 0.3::float8 AS float_decimal, '3 g'::tco2e * -0.5 AS neg_half;
SELECT '9223372036854775807 g'::tco2e * 2;
SELECT '9223372036854775807 g'::tco2e * 1.0000000001;
SELECT '-9223372036854775808 g'::tco2e * -1::bigint;
SELECT '1 g'::tco2e * 'NaN'::numeric;
SELECT '1 g'::tco2e * 'Infinity'::float8;
SELECT '1 g'::tco2e * 'NaN'::float8;
SELECT '1 g'::tco2e * '-Infinity'::numeric;

-- / by integer, bigint, numeric, double precision, rounded half away from 0
SELECT '3 g'::tco2e / 2 AS "2", '-3 g'::tco2e / 2 AS "-2", '5 g'::tco2e / 3::bigint AS "2b",
       '1 t'::tco2e / 3 AS third, '2 g'::tco2e / 4.0 AS "1", '-2 g'::tco2e / 4.0 AS "-1",
       '1 g'::tco2e / 3.0 AS "0", '10 g'::tco2e / 0.4::float8 AS "25",
       '-9223372036854775808 g'::tco2e / 2 AS half_min;
SELECT '1 g'::tco2e / 0.000000000000000000000000000002 AS huge;
SELECT '-9223372036854775808 g'::tco2e / -1;
SELECT '1 t'::tco2e / 0;
SELECT '1 t'::tco2e / 0::bigint;
SELECT '1 t'::tco2e / 0.0;
SELECT '1 t'::tco2e / 0::float8;
SELECT '1 t'::tco2e / 'NaN'::float8;
SELECT '1 t'::tco2e / 'Infinity'::numeric;
-- tco2e / tco2e is a numeric ratio
SELECT '1 t'::tco2e / '250 kg'::tco2e AS "4", '1 g'::tco2e / '3 g'::tco2e AS third,
       pg_typeof('1 t'::tco2e / '1 t'::tco2e);
SELECT '1 t'::tco2e / '0 g'::tco2e;

-- grams, tco2e_in_unit and casts
SELECT tco2e_grams('2.68 t'), tco2e_from_grams(2680000), tco2e_grams(tco2e_from_grams(-9223372036854775808));
SELECT u, tco2e_in_unit('24.29 万吨', u)
  FROM unnest(ARRAY['g', 'kg', 't', 'kt', 'Mt', 'Gt', 'tCO2e', 'kg CO2e',
                    'tonnes', '吨', '万吨', '亿吨', ' t ']) AS u;
SELECT tco2e_in_unit('-9223372036854775808 g', 'g'), tco2e_in_unit('-9223372036854775808 g', 'Gt');
SELECT tco2e_in_unit('1 t', 'ton');
SELECT tco2e_in_unit('1 t', 'KG');
SELECT tco2e_in_unit('1 t', 'Kg  co2E');
SELECT tco2e_in_unit('1 t', 'stone');
SELECT tco2e_in_unit('1 t', '');
SELECT '2.68 t'::tco2e::numeric, '-1 g'::tco2e::numeric,
       '9223372036854775807 g'::tco2e::numeric, '-9223372036854775808 g'::tco2e::numeric;
SELECT 2.68::tco2e, 1.0000005::tco2e AS half_up, (-1.0000005)::tco2e AS half_down,
       1.00000049999999::tco2e AS below, (-9223372036854.775808)::tco2e AS min;
SELECT 9223372036854.775808::tco2e;
SELECT 9223372036854.7758075::tco2e;
SELECT 'NaN'::numeric::tco2e;
SELECT 'Infinity'::numeric::tco2e;
-- the numeric casts are explicit only, and there is no cast from integers
SELECT castcontext FROM pg_cast
 WHERE castsource = 'tco2e'::regtype OR casttarget = 'tco2e'::regtype ORDER BY 1;
-- a parser error: show its SQLSTATE, not the server's source location
\set VERBOSITY sqlstate
SELECT tco2e_grams(1.5);
SELECT 5::tco2e;
\set VERBOSITY verbose
-- tco2e and carbon_credit never mix
-- a parser error: show its SQLSTATE, not the server's source location
\set VERBOSITY sqlstate
SELECT '1 t'::tco2e + '1'::carbon_credit;
SELECT '1 t'::tco2e = '1'::carbon_credit;
\set VERBOSITY verbose
