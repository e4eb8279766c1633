-- The extension installs into a fresh database and creates its schema.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS carbon_ledger;
RESET client_min_messages;

SELECT extname, extversion, extrelocatable
  FROM pg_extension WHERE extname = 'carbon_ledger';
SELECT nspname FROM pg_namespace WHERE nspname = 'carbon_ledger';
