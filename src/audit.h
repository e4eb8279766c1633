/*-------------------------------------------------------------------------
 *
 * audit.h
 *	  Shared declarations of the audit trail's backend glue: audit.c (the
 *	  trigger, canonical values, enable/disable and the guards),
 *	  audit_chain.c (seal, verify, digest, keys) and audit_worker.c (the
 *	  background sealer).
 *
 * src/audit.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CL_AUDIT_H
#define CL_AUDIT_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"

#include "audit_core.h"

/* SQLSTATEs of class LA (docs/errors.md, "Audit"). */
#define ERRCODE_CL_AUDIT_APPEND_ONLY		MAKE_SQLSTATE('L','A','0','0','1')
#define ERRCODE_CL_AUDIT_TRIGGER_GUARD		MAKE_SQLSTATE('L','A','0','0','2')
#define ERRCODE_CL_AUDIT_DROP_GUARD			MAKE_SQLSTATE('L','A','0','0','3')
#define ERRCODE_CL_AUDIT_ALREADY_AUDITED	MAKE_SQLSTATE('L','A','0','0','4')
#define ERRCODE_CL_AUDIT_NOT_AUDITED		MAKE_SQLSTATE('L','A','0','0','5')
#define ERRCODE_CL_AUDIT_CANNOT_AUDIT		MAKE_SQLSTATE('L','A','0','0','6')
#define ERRCODE_CL_AUDIT_BAD_KEY			MAKE_SQLSTATE('L','A','0','0','7')
#define ERRCODE_CL_AUDIT_SEAL_ISOLATION		MAKE_SQLSTATE('L','A','0','0','8')
#define ERRCODE_CL_AUDIT_RECORD				MAKE_SQLSTATE('L','A','0','0','9')
#define ERRCODE_CL_AUDIT_NOT_INSTALLED		MAKE_SQLSTATE('L','A','0','1','0')
#define ERRCODE_CL_AUDIT_INHERITANCE		MAKE_SQLSTATE('L','A','0','1','1')
#define ERRCODE_CL_AUDIT_KEY_MISSING		MAKE_SQLSTATE('L','A','0','1','2')

#define CL_AUDIT_SCHEMA			"carbon_ledger"
#define CL_AUDIT_TRIGGER_NAME	"carbon_ledger_audit"
#define CL_AUDIT_TRUNC_TRIGGER	"carbon_ledger_audit_truncate"

/* Number of columns of carbon_ledger.audit_log and audit_pending. */
#define AL_NATTS		14
#define AL_ID			0
#define AL_XID			1
#define AL_ORDINAL		2
#define AL_TABLE		3
#define AL_OPERATION	4
#define AL_KEY			5
#define AL_OLD			6
#define AL_NEW			7
#define AL_SESSION_USER	8
#define AL_CURRENT_USER	9
#define AL_XACT_START	10
#define AL_STMT_TIME	11
#define AL_VERSION		12
#define AL_LEAF			13
#define AP_NATTS		5

/* Settings forced while values are turned into canonical text. */
typedef struct ClCanonSettings
{
	int			date_style;
	int			date_order;
	int			interval_style;
	int			bytea_output;
	int			extra_float_digits;
	void	   *timezone;
} ClCanonSettings;

/*
 * The last timestamptz a field held and its canonical text: the records of
 * one transaction share their start time, and often their statement time.
 */
typedef struct ClTsCache
{
	bool		valid;
	TimestampTz ts;
	char		text[MAXDATELEN + 1];
} ClTsCache;

extern void cl_canon_enter(ClCanonSettings *saved);
extern void cl_canon_leave(const ClCanonSettings *saved);
extern char *cl_canon_value(Datum value, Oid typid);
extern char *cl_canon_timestamptz(TimestampTz ts);
extern const char *cl_canon_timestamptz_cached(ClTsCache *cache,
											   TimestampTz ts);
extern const char *cl_to_utf8(const char *s, size_t *len);

extern bool cl_image_from_jsonb(Jsonb *jb, ClAuditImage *img);
extern void cl_audit_sink_stringinfo(ClSink *sink, StringInfo buf);
extern void cl_audit_check_rc(int rc);

extern Oid	cl_audit_relid(const char *relname, bool missing_ok);
extern bool cl_audit_in_disable;
extern bool cl_audit_in_enable;

/* ledger.c: whether rows are being restored from a dump (pg_restore) */
extern bool cl_restoring(void);

extern void cl_audit_worker_init(void);

#endif							/* CL_AUDIT_H */
