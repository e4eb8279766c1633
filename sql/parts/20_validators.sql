-- carbon_ledger install script, part 20: check-digit validators.
--
-- Created in the extension's schema beside the types.  All are STRICT,
-- IMMUTABLE and PARALLEL SAFE and return false, never an error, for
-- malformed text (see docs/ledger.md, "Validators").

CREATE FUNCTION @extschema@.uscc_is_valid(pg_catalog.text)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'uscc_is_valid'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.uscc_is_valid(pg_catalog.text) IS
	'whether the text is a Unified Social Credit Code (GB 32100-2015) with valid check characters';

CREATE FUNCTION @extschema@.cn_resident_id_is_valid(pg_catalog.text)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'cn_resident_id_is_valid'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cn_resident_id_is_valid(pg_catalog.text) IS
	'whether the text is an 18-character resident identity number (GB 11643) with a real birth date and a valid check character';

CREATE FUNCTION @extschema@.luhn_is_valid(pg_catalog.text)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'luhn_is_valid'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.luhn_is_valid(pg_catalog.text) IS
	'whether the text is a bank card number of 8 to 19 digits (ISO/IEC 7812-1) passing the Luhn check';

-- A Unified Social Credit Code.  The ledger itself accepts, for loans, a
-- code that is valid or listed in carbon_ledger.uscc_exception; the domain
-- is the strict form for columns that want only valid codes.
CREATE DOMAIN @extschema@.uscc AS pg_catalog.text
	CONSTRAINT uscc_check CHECK (@extschema@.uscc_is_valid(VALUE));
COMMENT ON DOMAIN @extschema@.uscc IS
	'Unified Social Credit Code (GB 32100-2015), check characters verified';

-- Codes that fail the check but are legal (issued by early pilot regions).
-- Maintained by the bank; rows survive pg_dump (configuration table).
CREATE TABLE carbon_ledger.uscc_exception (
	uscc		pg_catalog.text PRIMARY KEY
		CHECK (uscc OPERATOR(pg_catalog.~) '^[0-9A-Z]{18}$'),
	reason		pg_catalog.text NOT NULL,
	added_at	pg_catalog.timestamptz NOT NULL
		DEFAULT pg_catalog.statement_timestamp(),
	added_by	pg_catalog.name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE carbon_ledger.uscc_exception IS
	'USCCs that fail the GB 32100 check but are legal (early pilot regions); maintained by the bank';
SELECT pg_catalog.pg_extension_config_dump('carbon_ledger.uscc_exception', '');
