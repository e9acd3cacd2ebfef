# loop/: the event-loop object, the libevent default, the glib adapter.
noinst_LTLIBRARIES += libevirt_loop.la
EVIRT_LAYERS += libevirt_loop.la
libevirt_loop_la_SOURCES = \
	loop/loop.c \
	loop/loop-private.h \
	loop/libevent.c
libevirt_loop_la_CFLAGS = $(LAYER_CFLAGS) $(LIBEVENT_CFLAGS)
libevirt_loop_la_LIBADD = $(LIBEVENT_LIBS) $(PTHREAD_LIBS)

if HAVE_GLIB
# A library of its own so that libevirt.so does not depend on GLib.  Only
# public API is used, so it links against the installed libevirt.
lib_LTLIBRARIES += libevirt-glib.la
evirtinclude_HEADERS += include/evirt/loop-glib.h
libevirt_glib_la_SOURCES = loop/glib.c
libevirt_glib_la_CFLAGS = $(LAYER_CFLAGS) $(GLIB_CFLAGS)
libevirt_glib_la_LIBADD = libevirt.la $(GLIB_LIBS)
libevirt_glib_la_LDFLAGS = -version-info 0:0:0 -no-undefined
else
EXTRA_DIST += include/evirt/loop-glib.h loop/glib.c
endif

if HAVE_CMOCKA
# One suite, run on each implementation.
check_PROGRAMS += tests/test-loop
TESTS += tests/test-loop
tests_test_loop_SOURCES = tests/test-loop.c
tests_test_loop_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBEVENT_CFLAGS)
tests_test_loop_LDADD = libevirt_loop.la $(CMOCKA_LIBS) $(LIBEVENT_LIBS) \
	$(PTHREAD_LIBS)

if HAVE_GLIB
check_PROGRAMS += tests/test-loop-glib
TESTS += tests/test-loop-glib
# glib.c compiled in: the test needs only the loop layer, not libevirt.so.
tests_test_loop_glib_SOURCES = tests/test-loop.c loop/glib.c
tests_test_loop_glib_CPPFLAGS = $(AM_CPPFLAGS) -DEVIRT_TEST_GLIB
tests_test_loop_glib_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(LIBEVENT_CFLAGS) $(GLIB_CFLAGS)
tests_test_loop_glib_LDADD = libevirt_loop.la $(CMOCKA_LIBS) \
	$(LIBEVENT_LIBS) $(GLIB_LIBS) $(PTHREAD_LIBS)
endif
endif
