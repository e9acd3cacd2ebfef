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
	drivers/test/test-domain-seclabel.c drivers/test/test-domain-seclabel.h \
	drivers/test/test-domain-stats.c \
	drivers/test/test-driver.c drivers/test/test-driver.h \
	drivers/test/test-host.c \
	drivers/test/test-ops.h \
	drivers/test/test-network.c \
	drivers/test/test-network.h \
	drivers/test/test-network-state.c \
	drivers/test/test-state.c \
	drivers/test/test-storage.h drivers/test/test-storage-state.c \
	drivers/test/test-storage-load.c drivers/test/test-storage-pool.c \
	drivers/test/test-storage-vol.c \
	drivers/test/test-interface.c drivers/test/test-interface.h \
	drivers/test/test-nodedev.c drivers/test/test-nodedev.h \
	drivers/test/test-index.c drivers/test/test-index.h \
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

# testifdev: host interfaces and node devices.
EXTRA_DIST += \
	tests/data/testdriver/ifdev.xml \
	tests/data/testdriver/iface-br0.xml \
	tests/data/testdriver/dev-pci.xml \
	tests/data/testdriver/bad-iface.xml \
	tests/data/testdriver/bad-device.xml \
	tests/data/testdriver/bad-device-file.xml

if HAVE_CMOCKA
check_PROGRAMS += tests/test-driver-interface
TESTS += tests/test-driver-interface
tests_test_driver_interface_SOURCES = tests/test-driver-interface.c
tests_test_driver_interface_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_driver_interface_LDADD = $(EVIRT_TEST_LIBS)
check_PROGRAMS += tests/test-driver-nodedev
TESTS += tests/test-driver-nodedev
tests_test_driver_nodedev_SOURCES = tests/test-driver-nodedev.c
tests_test_driver_nodedev_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_driver_nodedev_LDADD = $(EVIRT_TEST_LIBS)
endif

# testnet: virtual networks.
EXTRA_DIST += \
	tests/data/testdriver/networks.xml \
	tests/data/testdriver/net-isolated.xml \
	tests/data/testdriver/bad-network-dup.xml

if HAVE_CMOCKA
check_PROGRAMS += tests/test-driver-network
TESTS += tests/test-driver-network
tests_test_driver_network_SOURCES = tests/test-driver-network.c
tests_test_driver_network_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_driver_network_LDADD = $(EVIRT_TEST_LIBS)
endif

# teststor: storage pools and volumes.
EXTRA_DIST += \
	tests/data/testdriver/storage.xml \
	tests/data/testdriver/storage-pool.xml \
	tests/data/testdriver/storage-vol.xml \
	tests/data/testdriver/bad-storage-vol.xml \
	tests/data/testdriver/bad-storage-dupvol.xml \
	tests/data/testdriver/bad-storage-volfile.xml

if HAVE_CMOCKA
check_PROGRAMS += tests/test-driver-storage
TESTS += tests/test-driver-storage
tests_test_driver_storage_SOURCES = tests/test-driver-storage.c
tests_test_driver_storage_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_driver_storage_LDADD = $(EVIRT_TEST_LIBS)
endif

if HAVE_CMOCKA
# shared test:///default (evirtd's mode): one host for many connections.
check_PROGRAMS += tests/test-driver-shared
TESTS += tests/test-driver-shared
tests_test_driver_shared_SOURCES = tests/test-driver-shared.c
tests_test_driver_shared_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_driver_shared_LDADD = $(EVIRT_TEST_LIBS)
endif
