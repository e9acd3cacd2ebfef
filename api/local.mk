# api/: objects, ops, the sync layer, events, the driver registry, and the
# code generated from api/evirt.api.
include $(srcdir)/api/errlog.mk

GEN_API = $(PYTHON) $(top_srcdir)/scripts/gen-api.py
API_DESC = $(top_srcdir)/api/evirt.api

include/evirt/api.h: $(API_DESC) $(top_srcdir)/scripts/gen-api.py
	$(AM_V_GEN)$(MKDIR_P) include/evirt && $(GEN_API) header $(API_DESC) > $@-t && mv $@-t $@
api/api-gen.c: $(API_DESC) $(top_srcdir)/scripts/gen-api.py
	$(AM_V_GEN)$(MKDIR_P) api && $(GEN_API) source $(API_DESC) > $@-t && mv $@-t $@
api/driver-gen.h: $(API_DESC) $(top_srcdir)/scripts/gen-api.py
	$(AM_V_GEN)$(MKDIR_P) api && $(GEN_API) driver $(API_DESC) > $@-t && mv $@-t $@

API_GENERATED = include/evirt/api.h api/api-gen.c api/driver-gen.h
BUILT_SOURCES += $(API_GENERATED)
CLEANFILES += $(API_GENERATED)
EXTRA_DIST += api/evirt.api scripts/gen-api.py scripts/gen-enums.py
nodist_evirtinclude_HEADERS += include/evirt/api.h

noinst_LTLIBRARIES += libevirt_api.la
EVIRT_LAYERS += libevirt_api.la
libevirt_api_la_SOURCES = \
	api/api-support.c api/api-support.h \
	api/conn.c \
	api/domain.c \
	api/driver.h \
	api/events.c api/events.h \
	api/handles.c api/handles-private.h \
	api/object-private.h \
	api/op.c api/op-private.h \
	api/registry.c
nodist_libevirt_api_la_SOURCES = api/api-gen.c api/driver-gen.h
libevirt_api_la_CFLAGS = $(LAYER_CFLAGS) $(LIBXML_CFLAGS)

if HAVE_CMOCKA
check_PROGRAMS += tests/test-op
TESTS += tests/test-op
tests_test_op_SOURCES = tests/test-op.c
tests_test_op_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML_CFLAGS)
tests_test_op_LDADD = $(EVIRT_TEST_LIBS)
endif
