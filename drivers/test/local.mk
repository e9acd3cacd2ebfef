# drivers/test/: the in-memory hypervisor (test:///default, test:///file.xml).
noinst_LTLIBRARIES += libevirt_driver_test.la
EVIRT_LAYERS += libevirt_driver_test.la
libevirt_driver_test_la_SOURCES = drivers/test/test-driver.c
libevirt_driver_test_la_CFLAGS = $(LAYER_CFLAGS) $(LIBXML_CFLAGS)
