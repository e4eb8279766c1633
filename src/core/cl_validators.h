/*-------------------------------------------------------------------------
 *
 * cl_validators.h
 *	  Check-digit validators of the identifiers a bank handles: the Unified
 *	  Social Credit Code (GB 32100-2015) with its embedded organisation code
 *	  (GB 11714), the resident identity number (GB 11643), the shape of an
 *	  administrative division code (GB/T 2260) and the Luhn check of bank
 *	  card numbers.
 *
 * Every function takes a byte string and its length (it need not be
 * NUL-terminated) and returns false for anything malformed: wrong length,
 * lowercase, non-ASCII bytes, embedded spaces or control characters.
 *
 * src/core/cl_validators.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CL_VALIDATORS_H
#define CL_VALIDATORS_H

#include "cl_port.h"

#define CL_USCC_LEN			18
#define CL_ORGCODE_LEN		9
#define CL_RESIDENT_ID_LEN	18
#define CL_GB2260_LEN		6
#define CL_LUHN_MIN_LEN		8	/* ISO/IEC 7812-1: 8 to 19 digits */
#define CL_LUHN_MAX_LEN		19

/* value of a character of the USCC alphabet, or -1 */
extern int	cl_uscc_char_value(char c);

/* check character of the first 17 characters of a USCC, or '\0' */
extern char cl_uscc_check_char(const char *s);

/* check character of the first 8 characters of an organisation code */
extern char cl_orgcode_check_char(const char *s);

/* check character of the first 17 digits of a resident ID, or '\0' */
extern char cl_resident_id_check_char(const char *s);

extern bool cl_uscc_is_valid(const char *s, size_t len);
extern bool cl_orgcode_is_valid(const char *s, size_t len);
extern bool cl_resident_id_is_valid(const char *s, size_t len);
extern bool cl_gb2260_is_wellformed(const char *s, size_t len);
extern bool cl_luhn_is_valid(const char *s, size_t len);
extern bool cl_date_is_valid(int year, int month, int day);

#endif							/* CL_VALIDATORS_H */
