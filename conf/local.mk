# conf/: XML object models shared by hypervisor drivers (libevirt_conf.la)
noinst_LTLIBRARIES += libevirt_conf.la
EVIRT_LAYERS += libevirt_conf.la
libevirt_conf_la_SOURCES = \
	conf/domain_conf.c \
	conf/domain_conf.h \
	conf/domain_conf_priv.h \
	conf/domain_format.c \
	conf/units.c \
	conf/uuid.c \
	conf/xml_util.c \
	conf/xml_util.h
libevirt_conf_la_CFLAGS = $(LAYER_CFLAGS) $(LIBXML_CFLAGS)
libevirt_conf_la_LIBADD = $(LIBXML_LIBS)

EXTRA_DIST += \
	tests/data/domain-xml/rich.xml \
	tests/data/domain-xml/test-default.xml

if HAVE_CMOCKA
check_PROGRAMS += tests/test-domain-xml
TESTS += tests/test-domain-xml
tests_test_domain_xml_SOURCES = tests/test-domain-xml.c
tests_test_domain_xml_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_domain_xml_LDADD = libevirt_conf.la libevirt_base.la \
	$(CMOCKA_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)
endif
