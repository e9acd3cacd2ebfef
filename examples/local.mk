# examples/: small programs a user copies from; built by `make`, run by
# tests/test-examples.sh.
noinst_PROGRAMS += examples/sync-list examples/async-monitor
examples_sync_list_SOURCES = examples/sync-list.c
examples_sync_list_LDADD = libevirt.la
examples_async_monitor_SOURCES = examples/async-monitor.c
examples_async_monitor_LDADD = libevirt.la

if HAVE_GLIB
noinst_PROGRAMS += examples/glib-loop
examples_glib_loop_SOURCES = examples/glib-loop.c
examples_glib_loop_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)
examples_glib_loop_LDADD = libevirt-glib.la libevirt.la $(GLIB_LIBS)
else
EXTRA_DIST += examples/glib-loop.c
endif

TESTS += tests/test-examples.sh
EXTRA_DIST += tests/test-examples.sh
