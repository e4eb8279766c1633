-- carbon_ledger demo, part of tools/demo/demo.sql: the audit trail.  Seals
-- what is committed, verifies the whole chain and prints its head (the
-- digest a bank anchors outside the database).
\echo
\echo '== audit trail: audit_seal(), audit_verify(), audit_digest()'
SELECT format('   audit_seal(): %s committed record(s) linked into the chain just now',
			  carbon_ledger.audit_seal()) AS " "
\g (tuples_only=on format=unaligned)
SELECT * FROM carbon_ledger.audit_verify() \gx
SELECT * FROM carbon_ledger.audit_digest() \gx
