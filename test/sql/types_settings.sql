-- tco2e and carbon_credit text input and output do not depend on
-- DateStyle, extra_float_digits, lc_numeric or lc_monetary: the same
-- literals give the same text under every setting, and output reads back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY verbose

CREATE TEMP TABLE settings_lit (lit text, kind text);
INSERT INTO settings_lit VALUES
  ('2680 kg', 'tco2e'), ('-1 g', 'tco2e'), ('24.29 万吨', 'tco2e'),
  ('2.5e3 kg', 'tco2e'), ('-9223372036854775808 g', 'tco2e'),
  ('9223372036854775807 g', 'tco2e'), ('0.1 t', 'tco2e'), ('1.000001', 'tco2e'),
  ('12.500', 'carbon_credit'), ('-9223372036854775.808', 'carbon_credit'),
  ('0.001 cr', 'carbon_credit'), ('1e3', 'carbon_credit');

-- render every literal (and its numeric cast and a float product) as text
CREATE FUNCTION pg_temp.render() RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(
           CASE kind
             WHEN 'tco2e' THEN lit::tco2e::text || ' | ' || lit::tco2e::numeric::text
                               || ' | ' || (lit::tco2e * 0.1::float8)::text
                               || ' | ' || (lit::tco2e::text::tco2e = lit::tco2e)::text
             ELSE lit::carbon_credit::text || ' | ' || lit::carbon_credit::numeric::text
                  || ' | ' || (lit::carbon_credit * 0.1::float8)::text
                  || ' | ' || (lit::carbon_credit::text::carbon_credit = lit::carbon_credit)::text
           END, E'\n' ORDER BY lit, kind)
    FROM settings_lit
$$;

SELECT pg_temp.render() AS reference \gset
\echo :reference

SET extra_float_digits = -15;
SELECT pg_temp.render() = :'reference' AS same_with_efd_minus_15;
SET extra_float_digits = 3;
SELECT pg_temp.render() = :'reference' AS same_with_efd_3;
RESET extra_float_digits;
SET DateStyle = 'German, DMY';
SELECT pg_temp.render() = :'reference' AS same_with_german_datestyle;
SET DateStyle = 'SQL, MDY';
SELECT pg_temp.render() = :'reference' AS same_with_sql_datestyle;
RESET DateStyle;
SET lc_numeric = 'C.UTF-8';
SELECT pg_temp.render() = :'reference' AS same_with_lc_numeric_c_utf8;
SET lc_numeric = 'POSIX';
SELECT pg_temp.render() = :'reference' AS same_with_lc_numeric_posix;
SET lc_monetary = 'POSIX';
SELECT pg_temp.render() = :'reference' AS same_with_lc_monetary_posix;
RESET lc_numeric;
RESET lc_monetary;
SET TimeZone = 'Asia/Shanghai';
SET IntervalStyle = 'sql_standard';
SELECT pg_temp.render() = :'reference' AS same_with_timezone_and_intervalstyle;
RESET TimeZone;
RESET IntervalStyle;

-- the types are immutable: input and output functions are IMMUTABLE, so
-- expression indexes and constraints may use them
SELECT p.proname, p.provolatile
  FROM pg_type t JOIN pg_proc p ON p.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend)
 WHERE t.typname IN ('tco2e', 'carbon_credit')
 ORDER BY 1;
