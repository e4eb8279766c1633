-- carbon_ledger demo: the main job, run by "make demo".
--
-- For now this loads the extension only; the reference data set, the
-- regional report and the audit check arrive with the ledger and the audit
-- trail (issues 3 to 5).
\set ON_ERROR_STOP on
CREATE EXTENSION carbon_ledger;
SELECT extname, extversion FROM pg_extension WHERE extname = 'carbon_ledger';
