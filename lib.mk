# libevirt.so: every layer's convenience library, linked into one shared
# library that exports only what EVIRT_API marks (-fvisibility=hidden).
lib_LTLIBRARIES += libevirt.la
libevirt_la_SOURCES =
libevirt_la_LIBADD = $(EVIRT_LAYERS) $(LIBEVENT_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)
libevirt_la_LDFLAGS = -version-info 0:0:0 -no-undefined
