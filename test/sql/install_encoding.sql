-- The install script is UTF-8 (region names, Chinese units) and the control
-- file says so: in a database whose encoding cannot hold those characters
-- CREATE EXTENSION fails with 22P05 instead of installing garbled names.
-- UTF8 databases (this one) and SQL_ASCII ones install.  (The background
-- sealer may be visiting a database: hence WITH (FORCE).)
\set VERBOSITY sqlstate
SELECT current_database() AS home \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS carbon_ledger_latin1 WITH (FORCE);
DROP DATABASE IF EXISTS carbon_ledger_sql_ascii WITH (FORCE);
CREATE DATABASE carbon_ledger_latin1 ENCODING 'LATIN1'
	LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
CREATE DATABASE carbon_ledger_sql_ascii ENCODING 'SQL_ASCII'
	LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c carbon_ledger_latin1
CREATE EXTENSION carbon_ledger;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'carbon_ledger';
\c carbon_ledger_sql_ascii
SET client_min_messages = warning;
CREATE EXTENSION carbon_ledger;
SELECT name, name_en FROM carbon_ledger.region WHERE code = '540102'
ORDER BY first_year;
SELECT '24.29 万吨'::tco2e AS wan_tonnes;
\c :home
SET client_min_messages = warning;
DROP DATABASE carbon_ledger_latin1 WITH (FORCE);
DROP DATABASE carbon_ledger_sql_ascii WITH (FORCE);
