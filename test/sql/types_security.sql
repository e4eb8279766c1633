-- Installing the extension with hostile objects earlier in search_path:
-- the types' install script references everything schema-qualified, so
-- the functions, operators and casts it creates use the server's own
-- objects and the types behave normally.  Runs in a database of its own.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;
\set VERBOSITY verbose

SET client_min_messages = warning;
DROP DATABASE IF EXISTS carbon_ledger_types_security;
RESET client_min_messages;
CREATE DATABASE carbon_ledger_types_security;
\c carbon_ledger_types_security
CREATE SCHEMA evil;
-- look-alikes of what the script uses, returning wrong answers
CREATE FUNCTION evil.replace(text, text, text) RETURNS text
  LANGUAGE sql AS $$ SELECT 'SELECT 1/0' $$;
CREATE FUNCTION evil.int8eq(bigint, bigint) RETURNS boolean
  LANGUAGE sql AS $$ SELECT false $$;
CREATE FUNCTION evil.hashint8(bigint) RETURNS integer
  LANGUAGE sql AS $$ SELECT 0 $$;
CREATE FUNCTION evil.numeric(bigint) RETURNS numeric
  LANGUAGE sql AS $$ SELECT 0::numeric $$;
CREATE FUNCTION evil.evil_eq(numeric, numeric) RETURNS boolean
  LANGUAGE sql AS $$ SELECT false $$;
CREATE OPERATOR evil.= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.evil_eq);
SET search_path = evil, public;
CREATE EXTENSION carbon_ledger SCHEMA public;

SELECT '1 t'::public.tco2e OPERATOR(public.=) '1000 kg'::public.tco2e AS eq,
       public.tco2e_grams('2.68 t') AS grams,
       public.sum(x) AS total, public.avg(x) AS mean
  FROM (VALUES ('1 t'::public.tco2e), ('1 kg')) v(x);
SELECT '12.5'::public.carbon_credit::numeric AS credits, 1.5::public.tco2e AS cast_in;
-- every function of the types runs in the extension's schema or pg_catalog
SELECT count(*) AS functions_outside
  FROM pg_proc p
  JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'carbon_ledger'
 WHERE p.pronamespace <> 'public'::regnamespace
   AND p.pronamespace <> 'carbon_ledger'::regnamespace;
-- no object of the extension depends on anything in the hostile schema
SELECT count(*) AS evil_objects_used
  FROM pg_depend d
  JOIN pg_proc p ON d.refobjid = p.oid AND d.refclassid = 'pg_proc'::regclass
 WHERE p.pronamespace = 'evil'::regnamespace
   AND EXISTS (SELECT 1 FROM pg_depend m JOIN pg_extension e ON e.oid = m.refobjid
                WHERE e.extname = 'carbon_ledger' AND m.deptype = 'e'
                  AND m.classid = d.classid AND m.objid = d.objid);
SELECT count(*) AS operators_of_the_types
  FROM pg_depend m
  JOIN pg_extension e ON e.oid = m.refobjid
  JOIN pg_operator o ON o.oid = m.objid
 WHERE e.extname = 'carbon_ledger' AND m.deptype = 'e'
   AND m.classid = 'pg_operator'::regclass
   AND (o.oprleft IN ('public.tco2e'::regtype, 'public.carbon_credit'::regtype)
        OR o.oprright IN ('public.tco2e'::regtype, 'public.carbon_credit'::regtype));

\c contrib_regression
DROP DATABASE carbon_ledger_types_security;
