-- tco2e text input and output: every unit, exact parsing, boundary values
-- and every input error with its SQLSTATE.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY verbose

-- the SPEC's examples
SELECT '2680 kg'::tco2e AS "2.68", '-1 g'::tco2e AS "-0.000001";

-- every unit, checked in grams
SELECT u, tco2e_grams(('1 ' || u)::tco2e) AS grams
  FROM unnest(ARRAY['g', 'kg', 't', 'kt', 'Mt', 'Gt',
                    'gCO2e', 'kgCO2e', 'tCO2e', 'ktCO2e', 'MtCO2e', 'GtCO2e',
                    'g CO2e', 'kg CO2e', 't CO2e', 'kt CO2e', 'Mt CO2e',
                    'Gt CO2e', 'gram', 'grams', 'kilogram', 'kilograms',
                    'tonne', 'tonnes', '克', '千克', '公斤', '吨', '千吨',
                    '万吨', '百万吨', '亿吨']) AS u;
-- no unit means tonnes; units need no space; white space around parts
-- (trailing white space after a number without unit was once misread)
SELECT '5 '::tco2e, E' 5\t\n'::tco2e, '-.5 '::tco2e, '1e3  '::tco2e;
SELECT '3'::tco2e, '3t'::tco2e, '24.29万吨'::tco2e, '  +  7.5   kg  '::tco2e,
       E'\t-\n2\tkg CO2e\r'::tco2e, '0.5 Mt'::tco2e;

-- number forms: .digits, digits., exponents, long digit strings
SELECT '.5'::tco2e, '5.'::tco2e, '2.5e3 kg'::tco2e, '2.5E+3kg'::tco2e,
       '25e-1 t'::tco2e, '1e-6'::tco2e, '1E6 g'::tco2e;
SELECT '1.000000000000000000000000 t'::tco2e,
       '0000000000000000000000000000000000000001 g'::tco2e,
       '1000000000000000000000000000e-27 t'::tco2e,
       '0.000000000000000000000000000000000000000e999999999999999999999 g'::tco2e,
       '0e-999999999999999999999'::tco2e, '-0'::tco2e, '+0.000 kg'::tco2e;

-- int64 limits in grams, and their output read back
SELECT '9223372036854775807 g'::tco2e AS max, '-9223372036854775808 g'::tco2e AS min;
SELECT '9223372036854.775807'::tco2e = '9223372036854775807 g'::tco2e AS max_reads_back,
       '-9223372036854.775808 tCO2e'::tco2e = '-9223372036854775808 g'::tco2e AS min_reads_back,
       '-9223372036854775808 g'::tco2e::text AS min_text,
       tco2e_from_grams(-9223372036854775808)::text::tco2e = tco2e_from_grams(-9223372036854775808) AS text_round_trip;
SELECT '92233.72036854775807 亿吨'::tco2e, '-9223.372036854775808 Gt'::tco2e;
-- output never uses an exponent and has the fewest exact digits
SELECT tco2e_from_grams(g) AS v, tco2e_from_grams(g)::text::tco2e = tco2e_from_grams(g) AS reads_back
  FROM unnest(ARRAY[0, 1, -1, 10, 100000, 1000000, 1000001, -1000000,
                    120000000000, 123456789, -999999, 1000000000000000000]::bigint[]) AS g;

-- out of range: 22003
SELECT '9223372036854775808 g'::tco2e;
SELECT '-9223372036854775809 g'::tco2e;
SELECT '9223372036854.775808 t'::tco2e;
SELECT '1e99999999999999999999999999 g'::tco2e;
SELECT '100000 亿吨'::tco2e;
SELECT '99999999999999999999999999999999999999.5 g'::tco2e;

-- finer than one gram: 22P02, never rounded
SELECT '0.5 g'::tco2e;
SELECT '1.0000001'::tco2e;
SELECT '1e-7 t'::tco2e;
SELECT '0.0000000000000000000000000000000000001 kg'::tco2e;
SELECT '1e-999999999999999999999 g'::tco2e;

-- units that are ambiguous, unknown or in the wrong case: 22P02 with a hint
SELECT '5 ton'::tco2e;
SELECT '5 tons'::tco2e;
SELECT '5 mt'::tco2e;
SELECT '5 lb'::tco2e;
SELECT '5 mT'::tco2e;
SELECT '5 Tons'::tco2e;
SELECT '5 KG'::tco2e;
SELECT '5 Tonnes'::tco2e;
-- the hint names the whole unit meant, CO2e included
SELECT '5 kg co2e'::tco2e;
SELECT '5 TCO2E'::tco2e;
SELECT '5 furlongs'::tco2e;
SELECT '5 CO2e'::tco2e;
SELECT '5 kg CO2'::tco2e;
SELECT '5 kg kg'::tco2e;
SELECT '5e'::tco2e;

-- not a number at all: 22P02 naming the input
SELECT ''::tco2e;
SELECT '   '::tco2e;
SELECT '-'::tco2e;
SELECT '+ kg'::tco2e;
SELECT '.'::tco2e;
SELECT '.e5'::tco2e;
SELECT 'NaN'::tco2e;
SELECT '-Infinity'::tco2e;
SELECT 'inf'::tco2e;
SELECT '1.2.3'::tco2e;
SELECT '1,5 t'::tco2e;
SELECT '1 2 t'::tco2e;
SELECT '--1'::tco2e;
SELECT '0x10'::tco2e;
SELECT '5 kg;'::tco2e;
SELECT '['::tco2e;
