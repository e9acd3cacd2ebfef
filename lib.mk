# libevirt.so: every layer's convenience library, linked into one shared
# library that exports only what EVIRT_API marks (-fvisibility=hidden).
# (libevirt.la is first in lib_LTLIBRARIES, in Makefile.am: libraries that
# link it, such as libevirt-glib.la, must be installed after it.)
libevirt_la_SOURCES =
libevirt_la_LIBADD = $(EVIRT_LAYERS) $(LIBEVENT_LIBS) $(LIBXML_LIBS) $(TIRPC_LIBS) $(PTHREAD_LIBS)
libevirt_la_LDFLAGS = -version-info 0:0:0 -no-undefined

# The same layers as one static archive, for unit tests that reach inside
# (one archive, so the linker resolves between layers in any order).
noinst_LTLIBRARIES += libevirt_internal.la
libevirt_internal_la_SOURCES =
libevirt_internal_la_LIBADD = $(EVIRT_LAYERS)
EVIRT_TEST_LIBS = libevirt_internal.la $(CMOCKA_LIBS) $(LIBEVENT_LIBS) \
	$(LIBXML_LIBS) $(TIRPC_LIBS) $(PTHREAD_LIBS)

TESTS += tests/test-exports.sh
EXTRA_DIST += tests/test-exports.sh
AM_TESTS_ENVIRONMENT = top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)'; export top_builddir top_srcdir;
