# drivers/test/: the in-memory hypervisor (test:///default, test:///file.xml).
noinst_LTLIBRARIES += libevirt_driver_test.la
EVIRT_LAYERS += libevirt_driver_test.la
libevirt_driver_test_la_SOURCES = \
	drivers/test/test-config.c \
	drivers/test/test-default.c \
	drivers/test/test-domain-lifecycle.c \
	drivers/test/test-domain-ops.h \
	drivers/test/test-domain-query.c \
	drivers/test/test-domain-save.c \
	drivers/test/test-domain-stats.c \
	drivers/test/test-driver.c \
	drivers/test/test-host.c \
	drivers/test/test-ops.h \
	drivers/test/test-state.c \
	drivers/test/test-state.h
libevirt_driver_test_la_CFLAGS = $(LAYER_CFLAGS) $(LIBXML_CFLAGS)

if HAVE_CMOCKA
# testdom: the lifecycle / save / stats / block job entries on test:///default.
check_PROGRAMS += tests/test-driver-lifecycle
TESTS += tests/test-driver-lifecycle
tests_test_driver_lifecycle_SOURCES = tests/test-driver-lifecycle.c
tests_test_driver_lifecycle_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_driver_lifecycle_LDADD = $(EVIRT_TEST_LIBS)
endif

EXTRA_DIST += \
	tests/data/testdriver/node.xml \
	tests/data/testdriver/dom-fv0.xml \
	tests/data/testdriver/dom-broken.xml \
	tests/data/testdriver/bad-missing-file.xml \
	tests/data/testdriver/bad-not-wellformed.xml \
	tests/data/testdriver/bad-domain-file.xml \
	tests/data/testdriver/bad-root.xml \
	tests/data/testdriver/bad-cpu.xml \
	tests/data/testdriver/bad-runstate.xml

if HAVE_CMOCKA
check_PROGRAMS += tests/test-driver-host tests/test-driver-domain-query
TESTS += tests/test-driver-host tests/test-driver-domain-query
TEST_DRIVER_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_driver_host_SOURCES = tests/test-driver-host.c
tests_test_driver_host_CFLAGS = $(TEST_DRIVER_TEST_CFLAGS)
tests_test_driver_host_LDADD = $(EVIRT_TEST_LIBS)
tests_test_driver_domain_query_SOURCES = tests/test-driver-domain-query.c
tests_test_driver_domain_query_CFLAGS = $(TEST_DRIVER_TEST_CFLAGS)
tests_test_driver_domain_query_LDADD = $(EVIRT_TEST_LIBS)
endif
