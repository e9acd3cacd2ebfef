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
	conf/xml_preserve.c \
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
tests_test_domain_xml_SOURCES = tests/test-domain-xml.c \
	tests/xml-test-util.c tests/xml-test-util.h
tests_test_domain_xml_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_domain_xml_LDADD = libevirt_conf.la libevirt_base.la \
	$(CMOCKA_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)
endif

# network model (network_conf.*)
libevirt_conf_la_SOURCES += \
	conf/network_conf.c \
	conf/network_conf.h \
	conf/network_format.c
EXTRA_DIST += \
	tests/data/network-xml/test-default.xml \
	tests/data/network-xml/rich.xml
if HAVE_CMOCKA
check_PROGRAMS += tests/test-network-xml
TESTS += tests/test-network-xml
tests_test_network_xml_SOURCES = tests/test-network-xml.c \
	tests/xml-test-util.c tests/xml-test-util.h
tests_test_network_xml_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_network_xml_LDADD = libevirt_conf.la libevirt_base.la \
	$(CMOCKA_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)
endif

# host interface and node device models (helper ifxml)
libevirt_conf_la_SOURCES += \
	conf/interface_conf.c \
	conf/interface_conf.h \
	conf/nodedev_conf.c \
	conf/nodedev_conf.h
EXTRA_DIST += \
	tests/data/interface-xml/bond-miimon.libvirt.xml \
	tests/data/interface-xml/bond-miimon.xml \
	tests/data/interface-xml/bridge-nested.libvirt.xml \
	tests/data/interface-xml/bridge-nested.xml \
	tests/data/interface-xml/eth1.libvirt.xml \
	tests/data/interface-xml/guide-bond.libvirt.xml \
	tests/data/interface-xml/guide-bond.xml \
	tests/data/interface-xml/guide-bridge.libvirt.xml \
	tests/data/interface-xml/guide-bridge.xml \
	tests/data/interface-xml/guide-ethernet.libvirt.xml \
	tests/data/interface-xml/guide-ethernet.xml \
	tests/data/interface-xml/guide-vlan.libvirt.xml \
	tests/data/interface-xml/guide-vlan.xml \
	tests/data/interface-xml/ipv6-link.libvirt.xml \
	tests/data/interface-xml/ipv6-link.xml \
	tests/data/nodedev-xml/computer.xml \
	tests/data/nodedev-xml/drm_renderD128.xml \
	tests/data/nodedev-xml/mdev_i915.xml \
	tests/data/nodedev-xml/net_eth0.xml \
	tests/data/nodedev-xml/pci_0000_00_1f_1.xml \
	tests/data/nodedev-xml/scsi_0_0_0_0.xml \
	tests/data/nodedev-xml/scsi_host1.xml \
	tests/data/nodedev-xml/scsi_host11.xml \
	tests/data/nodedev-xml/scsi_host2.xml \
	tests/data/nodedev-xml/scsi_target0_0_0.xml \
	tests/data/nodedev-xml/storage_cd.xml \
	tests/data/nodedev-xml/storage_sda.xml \
	tests/data/nodedev-xml/usb_1_5_3.xml \
	tests/data/nodedev-xml/usb_usb1.xml
if HAVE_CMOCKA
check_PROGRAMS += tests/test-interface-xml tests/test-nodedev-xml
TESTS += tests/test-interface-xml tests/test-nodedev-xml
tests_test_interface_xml_SOURCES = tests/test-interface-xml.c \
	tests/xml-test-util.c tests/xml-test-util.h
tests_test_interface_xml_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_interface_xml_LDADD = libevirt_conf.la libevirt_base.la \
	$(CMOCKA_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)
tests_test_nodedev_xml_SOURCES = tests/test-nodedev-xml.c \
	tests/xml-test-util.c tests/xml-test-util.h
tests_test_nodedev_xml_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_nodedev_xml_LDADD = libevirt_conf.la libevirt_base.la \
	$(CMOCKA_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)
endif

# storage pool and volume model (storage_*)
libevirt_conf_la_SOURCES += \
	conf/storage_conf.h \
	conf/storage_conf_priv.h \
	conf/storage_common.c \
	conf/storage_pool_conf.c \
	conf/storage_vol_conf.c
EXTRA_DIST += \
	tests/data/storage-xml/default-pool-vol.xml \
	tests/data/storage-xml/default-pool.xml \
	tests/data/storage-xml/pool-disk.in.xml \
	tests/data/storage-xml/pool-disk.out.xml \
	tests/data/storage-xml/pool-features.in.xml \
	tests/data/storage-xml/pool-features.out.xml \
	tests/data/storage-xml/pool-gluster.in.xml \
	tests/data/storage-xml/pool-gluster.out.xml \
	tests/data/storage-xml/pool-iscsi.in.xml \
	tests/data/storage-xml/pool-iscsi.out.xml \
	tests/data/storage-xml/pool-logical.in.xml \
	tests/data/storage-xml/pool-logical.out.xml \
	tests/data/storage-xml/pool-netfs.in.xml \
	tests/data/storage-xml/pool-netfs.out.xml \
	tests/data/storage-xml/pool-rbd.in.xml \
	tests/data/storage-xml/pool-rbd.out.xml \
	tests/data/storage-xml/pool-scsi-legacy.in.xml \
	tests/data/storage-xml/pool-scsi-legacy.out.xml \
	tests/data/storage-xml/pool-scsi.in.xml \
	tests/data/storage-xml/pool-scsi.out.xml \
	tests/data/storage-xml/pool-zfs.in.xml \
	tests/data/storage-xml/pool-zfs.out.xml \
	tests/data/storage-xml/vol-disk.in.xml \
	tests/data/storage-xml/vol-disk.out.xml \
	tests/data/storage-xml/vol-logical.in.xml \
	tests/data/storage-xml/vol-logical.out.xml \
	tests/data/storage-xml/vol-qcow2.in.xml \
	tests/data/storage-xml/vol-qcow2.out.xml
if HAVE_CMOCKA
check_PROGRAMS += tests/test-storage-xml
TESTS += tests/test-storage-xml
tests_test_storage_xml_SOURCES = tests/test-storage-xml.c \
	tests/xml-test-util.c tests/xml-test-util.h
tests_test_storage_xml_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_srcdir)/tests/data\"
tests_test_storage_xml_LDADD = libevirt_conf.la libevirt_base.la \
	$(CMOCKA_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)
endif
