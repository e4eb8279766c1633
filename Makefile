# Makefile for carbon_ledger (PGXS)
#
# The usual "make && make install && make installcheck" works for packagers.
# "make test" and "make demo" are the developer entry points: they install
# missing build dependencies, build with warnings as errors, install, start a
# throwaway cluster (or use PGHOST/PGPORT) and run everything.

EXTENSION = carbon_ledger
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" carbon_ledger.control)

MODULE_big = carbon_ledger
CORE_SRCS = $(sort $(wildcard src/core/*.c))
GLUE_SRCS = $(sort $(wildcard src/*.c))
OBJS = $(CORE_SRCS:.c=.o) $(GLUE_SRCS:.c=.o)

# The install script is assembled from the ordered parts in sql/parts/;
# upgrade scripts (carbon_ledger--A--B.sql) are kept as written.  One part,
# the GB/T 2260 region rows, is generated from the shipped data/gb2260/.
REGION_PART = sql/parts/22_region_data.sql
SQL_PARTS = $(sort $(wildcard sql/parts/*.sql) $(REGION_PART))
# The scale-out scripts (docs/scale-out.md) are installed beside the
# extension's, under names that are not extension scripts.
SCALE_OUT = sql/$(EXTENSION)_scale_out_shard.sql \
	sql/$(EXTENSION)_scale_out_coordinator.sql
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql $(SCALE_OUT)
DATA = $(wildcard sql/$(EXTENSION)--*--*.sql)

# Test suites: pg_regress in test/sql, isolation in test/specs, TAP in
# test/t; expected output for both pg_regress and isolation in expected/
# (test/expected is a link to it, as pg_regress wants it beside the input).
REGRESS = $(basename $(notdir $(sort $(wildcard test/sql/*.sql))))
REGRESS_OPTS = --inputdir=test
ISOLATION = $(basename $(notdir $(sort $(wildcard test/specs/*.spec))))
ISOLATION_OPTS = --inputdir=test
TAP_TESTS = 1
PROVE_TESTS = $(sort $(wildcard test/t/*.pl))

PG_CPPFLAGS = -I$(srcdir)/src -I$(srcdir)/src/core
# Warnings are errors, for this project's compilers; a packager whose
# compiler warns where these do not can build with "make WERROR=".
WERROR ?= -Werror
PG_CFLAGS = $(WERROR) -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK = -lcrypto

EXTRA_CLEAN = build $(REGION_PART)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

# On a fresh machine the server headers are not there yet: only the targets
# that install them (deps, test, demo) can run until they are.
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
endif

# PGXS does not track header dependencies by default: rebuild every object
# when any of the project's headers changes.
$(OBJS): $(wildcard src/*.h src/core/*.h)

sql/$(EXTENSION)_scale_out_%.sql: sql/scale-out/%.sql
	cp $< $@

sql/$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) carbon_ledger.control Makefile
	@printf '%s\n' '-- carbon_ledger $(EXTVERSION) install script, assembled from sql/parts/*.sql; do not edit' \
		'\echo Use "CREATE EXTENSION carbon_ledger" to load this file. \quit' > $@.tmp
	cat $(SQL_PARTS) >> $@.tmp
	mv $@.tmp $@

$(REGION_PART): data/gb2260/history.csv data/gb2260/codes-2024.txt tools/gb2260-sql.pl
	perl tools/gb2260-sql.pl data/gb2260 > $@.tmp
	mv $@.tmp $@

# Developer entry points; see README.md.
.PHONY: deps test demo unit fuzz sanitize

deps:
	@tools/deps.sh

test:
	@tools/deps.sh
	@tools/run-tests.sh

demo:
	@tools/deps.sh
	@tools/demo.sh

unit:
	@tools/unit.sh run

fuzz:
	@tools/deps.sh
	@tools/unit.sh fuzz

sanitize:
	@tools/deps.sh
	@tools/sanitize.sh
