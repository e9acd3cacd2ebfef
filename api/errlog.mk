# rules of api/: errors, logging, URIs (libevirt_base.la)
noinst_LTLIBRARIES += libevirt_base.la
EVIRT_LAYERS += libevirt_base.la
libevirt_base_la_SOURCES = \
	api/error.c \
	api/error-private.h \
	api/log.c \
	api/log-private.h \
	api/uri.c \
	api/uri.h
libevirt_base_la_CFLAGS = $(LAYER_CFLAGS) $(LIBXML_CFLAGS)
libevirt_base_la_LIBADD = $(LIBXML_LIBS) $(PTHREAD_LIBS)

evirtinclude_HEADERS += include/evirt/log.h

# test-error checks every EVIRT_ERR_*/EVIRT_FROM_* against libvirt's
# VIR_* number; the list of names is taken from our headers at build time
# so a code added there is checked without editing the test.
tests/error-numbers.inc: $(srcdir)/include/evirt/error-codes.h \
		$(srcdir)/include/evirt/error-domains.h
	$(AM_V_GEN)$(MKDIR_P) tests && \
	sed -n 's/^ *EVIRT_\([A-Z0-9_]*\) *= *[0-9][0-9]*,.*/EVIRT_NUMBER(\1)/p' \
		$(srcdir)/include/evirt/error-codes.h \
		$(srcdir)/include/evirt/error-domains.h > $@.tmp && \
	mv $@.tmp $@
CLEANFILES += tests/error-numbers.inc

if HAVE_CMOCKA
check_PROGRAMS += tests/test-error tests/test-log tests/test-uri
TESTS += tests/test-error tests/test-log tests/test-uri
BUILT_SOURCES += tests/error-numbers.inc

ERRLOG_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
ERRLOG_TEST_LDADD = libevirt_base.la $(CMOCKA_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)

tests_test_error_SOURCES = tests/test-error.c
nodist_tests_test_error_SOURCES = tests/error-numbers.inc
tests_test_error_CFLAGS = $(ERRLOG_TEST_CFLAGS)
tests_test_error_LDADD = $(ERRLOG_TEST_LDADD)

tests_test_log_SOURCES = tests/test-log.c
tests_test_log_CFLAGS = $(ERRLOG_TEST_CFLAGS)
tests_test_log_LDADD = $(ERRLOG_TEST_LDADD)

tests_test_uri_SOURCES = tests/test-uri.c
tests_test_uri_CFLAGS = $(ERRLOG_TEST_CFLAGS) $(LIBXML_CFLAGS)
tests_test_uri_LDADD = $(ERRLOG_TEST_LDADD)
endif
