# drivers/remote/: the remote driver, the client side of libvirt's RPC.
# Its operations are the generated stubs (libevirt_remote_stubs.la, built
# by rpc/local.mk); this layer adds the open sequence, events and close.
noinst_LTLIBRARIES += libevirt_driver_remote.la
EVIRT_LAYERS += libevirt_driver_remote.la libevirt_remote_stubs.la
libevirt_driver_remote_la_SOURCES = \
	drivers/remote/remote-private.h \
	drivers/remote/remote-driver.c \
	drivers/remote/remote-open.c \
	drivers/remote/remote-events.c
libevirt_driver_remote_la_CFLAGS = $(LAYER_CFLAGS) $(TIRPC_CFLAGS)
# rpc/remote-xdr.h is generated; the sources include it.
drivers/remote/libevirt_driver_remote_la-remote-driver.lo \
drivers/remote/libevirt_driver_remote_la-remote-open.lo \
drivers/remote/libevirt_driver_remote_la-remote-events.lo: rpc/remote-xdr.h

# URI rules (no daemon needed).
if HAVE_CMOCKA
check_PROGRAMS += tests/test-remote-uri
TESTS += tests/test-remote-uri
tests_test_remote_uri_SOURCES = tests/test-remote-uri.c
tests_test_remote_uri_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(TIRPC_CFLAGS)
tests_test_remote_uri_LDADD = $(EVIRT_TEST_LIBS)
endif

# Against a private libvirtd (needs root, /usr/sbin/libvirtd and virsh;
# skipped otherwise).
if HAVE_CMOCKA
check_PROGRAMS += tests/test-remote-libvirtd
tests_test_remote_libvirtd_SOURCES = tests/test-remote-libvirtd.c
tests_test_remote_libvirtd_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(TIRPC_CFLAGS)
tests_test_remote_libvirtd_LDADD = $(EVIRT_TEST_LIBS)
TESTS += tests/test-remote-libvirtd.sh
endif
EXTRA_DIST += tests/test-remote-libvirtd.sh
