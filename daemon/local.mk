# daemon/: evirtd, the daemon that serves evirt's drivers over libvirt's RPC.
# Links the static layers (it uses internal logging/errors and the server
# core, which libevirt.so does not export).
sbin_PROGRAMS = daemon/evirtd
daemon_evirtd_SOURCES = \
	daemon/evirtd.c \
	daemon/config.c daemon/config.h \
	daemon/remote.c daemon/remote.h \
	daemon/remote-events.c daemon/remote-events.h
daemon_evirtd_CPPFLAGS = $(AM_CPPFLAGS) \
	-DEVIRTD_CONF_FILE='"$(sysconfdir)/evirt/evirtd.conf"'
daemon_evirtd_CFLAGS = $(AM_CFLAGS) $(TIRPC_CFLAGS)
daemon_evirtd_LDADD = libevirt_remote_dispatch.la libevirt_rpc_server.la \
	libevirt_internal.la \
	$(TIRPC_LIBS) $(LIBEVENT_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)

evirtdconfdir = $(sysconfdir)/evirt
evirtdconf_DATA = daemon/evirtd.conf

systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = daemon/evirtd.service
daemon/evirtd.service: $(srcdir)/daemon/evirtd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) daemon && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' $(srcdir)/daemon/evirtd.service.in > $@-t && \
	mv $@-t $@
CLEANFILES += daemon/evirtd.service
EXTRA_DIST += daemon/evirtd.conf daemon/evirtd.service.in

if HAVE_CMOCKA
check_PROGRAMS += tests/test-daemon-config
TESTS += tests/test-daemon-config
tests_test_daemon_config_SOURCES = tests/test-daemon-config.c daemon/config.c
tests_test_daemon_config_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_daemon_config_LDADD = libevirt_base.la $(CMOCKA_LIBS) $(LIBXML_LIBS) \
	$(PTHREAD_LIBS)
endif

if HAVE_CMOCKA
# Tests with evirtd's procedures on a server inside the test program:
# the daemon's remote files, a raw-socket helper, the server layer.
DAEMON_TEST_SOURCES = tests/rpc-raw.c tests/rpc-raw.h daemon/remote.c \
	daemon/remote.h daemon/remote-events.c daemon/remote-events.h
DAEMON_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(TIRPC_CFLAGS)
DAEMON_TEST_LDADD = libevirt_remote_dispatch.la libevirt_rpc_server.la \
	$(EVIRT_TEST_LIBS)

# The hand-written procedures (daemon/remote.c) in raw bytes.
check_PROGRAMS += tests/test-daemon-remote
TESTS += tests/test-daemon-remote
tests_test_daemon_remote_SOURCES = tests/test-daemon-remote.c $(DAEMON_TEST_SOURCES)
tests_test_daemon_remote_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_test_daemon_remote_LDADD = $(DAEMON_TEST_LDADD)

# Event registration and forwarding (daemon/remote-events.c).
check_PROGRAMS += tests/test-daemon-events
TESTS += tests/test-daemon-events
tests_test_daemon_events_SOURCES = tests/test-daemon-events.c $(DAEMON_TEST_SOURCES)
tests_test_daemon_events_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_test_daemon_events_LDADD = $(DAEMON_TEST_LDADD)

# Closing remote connections: nothing left behind, on an application's
# loop and on the sync API's default loop.
check_PROGRAMS += tests/test-remote-close
TESTS += tests/test-remote-close
tests_test_remote_close_SOURCES = tests/test-remote-close.c $(DAEMON_TEST_SOURCES)
tests_test_remote_close_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_test_remote_close_LDADD = $(DAEMON_TEST_LDADD)
endif

# Interoperability: virsh and python3-libvirt against evirtd, compared with
# a private libvirtd (tests/interop-daemons.sh starts both).
TESTS += tests/test-interop-virsh.sh tests/test-interop-python.sh
EXTRA_DIST += tests/test-interop-virsh.sh tests/test-interop-python.sh \
	tests/test-interop-python.py tests/interop-daemons.sh

# virsh (libvirt's client) against evirtd: events, list, dominfo.
TESTS += tests/test-daemon-events.sh
EXTRA_DIST += tests/test-daemon-events.sh
