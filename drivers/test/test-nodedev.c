/*
 * drivers/test/test-nodedev.c - node (host) devices of the test driver.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/random.h>

#include <libxml/tree.h>

#include "drivers/test/test-nodedev.h"
#include "drivers/test/test-ops.h"
#include "api/error-private.h"
#include "api/handles-private.h"
#include "conf/nodedev_conf.h"
#include "conf/xml_util.h"

#define EVIRT_LOG_CATEGORY "evirt.test.nodedev"
#include "api/log-private.h"

/* What a detached PCI device is bound to (libvirt's default stub). */
#define TEST_STUB_DRIVER "vfio-pci"
/* The name libvirt gives a device being created before it has one. */
#define TEST_NEW_DEVICE_NAME "new device"

typedef struct test_nodedev {
    evirt_nodedev_def *def;
    bool detached;        /* bound to the stub driver */
    char *host_driver;    /* def->driver before detaching (may be NULL) */
} test_nodedev;

struct test_nodedevs {
    test_nodedev *list;   /* in definition order */
    size_t n, cap;
};

/* libvirt's test:///default devices, as its test driver shows them. */
static const char *const test_default_devices[] = {
    "<device>"
    "  <name>computer</name>"
    "  <capability type='system'>"
    "    <hardware>"
    "      <vendor>Libvirt</vendor>"
    "      <version>Test driver</version>"
    "      <serial>123456</serial>"
    "      <uuid>11111111-2222-3333-4444-555555555555</uuid>"
    "    </hardware>"
    "    <firmware>"
    "      <vendor>Libvirt</vendor>"
    "      <version>Test Driver</version>"
    "      <release_date>01/22/2007</release_date>"
    "    </firmware>"
    "  </capability>"
    "</device>",

    "<device>"
    "  <name>scsi_host1</name>"
    "  <parent>computer</parent>"
    "  <capability type='scsi_host'>"
    "    <host>1</host>"
    "    <unique_id>0</unique_id>"
    "    <capability type='fc_host'>"
    "      <wwnn>2000000012341234</wwnn>"
    "      <wwpn>1000000012341234</wwpn>"
    "      <fabric_wwn>2000000043214321</fabric_wwn>"
    "    </capability>"
    "    <capability type='vport_ops'>"
    "      <max_vports>0</max_vports>"
    "      <vports>0</vports>"
    "    </capability>"
    "  </capability>"
    "</device>",

    "<device>"
    "  <name>scsi_host2</name>"
    "  <parent>computer</parent>"
    "  <capability type='scsi_host'>"
    "    <host>2</host>"
    "    <unique_id>1</unique_id>"
    "    <capability type='fc_host'>"
    "      <wwnn>2000000056785678</wwnn>"
    "      <wwpn>1000000056785678</wwpn>"
    "      <fabric_wwn>2000000087658765</fabric_wwn>"
    "    </capability>"
    "    <capability type='vport_ops'>"
    "      <max_vports>0</max_vports>"
    "      <vports>0</vports>"
    "    </capability>"
    "  </capability>"
    "</device>",

    "<device>"
    "  <name>scsi_host11</name>"
    "  <parent>scsi_host1</parent>"
    "  <capability type='scsi_host'>"
    "    <host>11</host>"
    "    <unique_id>10</unique_id>"
    "    <capability type='fc_host'>"
    "      <wwnn>2000000034563456</wwnn>"
    "      <wwpn>1000000034563456</wwpn>"
    "      <fabric_wwn>2000000043214321</fabric_wwn>"
    "    </capability>"
    "  </capability>"
    "</device>",
};

/* libvirt's list-all capability flags and the types they select. */
static const struct {
    unsigned int flag;
    const char *type;
} test_cap_flags[] = {
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM, "system" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV, "pci" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV, "usb_device" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_USB_INTERFACE, "usb" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_NET, "net" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST, "scsi_host" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_TARGET, "scsi_target" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_SCSI, "scsi" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_STORAGE, "storage" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST, "fc_host" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS, "vports" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_GENERIC, "scsi_generic" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_DRM, "drm" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES, "mdev_types" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_MDEV, "mdev" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_CCW_DEV, "ccw" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_CSS_DEV, "css" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_VDPA, "vdpa" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_AP_CARD, "ap_card" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_AP_QUEUE, "ap_queue" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_AP_MATRIX, "ap_matrix" },
    { EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_VPD, "vpd" },
};

#define NCAP_FLAGS (sizeof(test_cap_flags) / sizeof(test_cap_flags[0]))

/* ---------------------------------------------------------------- state */

static void nodedev_clear(test_nodedev *nd)
{
    evirt_nodedev_def_free(nd->def);
    free(nd->host_driver);
}

void test_nodedevs_free(test_nodedevs *devs)
{
    if (!devs)
        return;
    for (size_t i = 0; i < devs->n; i++)
        nodedev_clear(&devs->list[i]);
    free(devs->list);
    free(devs);
}

static size_t devs_count(const test_state *st)
{
    return st->nodedevs ? st->nodedevs->n : 0;
}

static test_nodedev *dev_at(test_state *st, size_t i)
{
    return &st->nodedevs->list[i];
}

static test_nodedev *dev_find(test_state *st, const char *name)
{
    for (size_t i = 0; i < devs_count(st); i++)
        if (strcmp(dev_at(st, i)->def->name, name) == 0)
            return dev_at(st, i);
    return NULL;
}

/*
 * Stores def (taken) under its name: replaces an existing device's
 * definition (as libvirt does; a detached state is forgotten) or appends
 * a new device.  NULL when out of memory (def left to the caller).
 */
static test_nodedev *dev_assign(test_state *st, evirt_nodedev_def *def)
{
    test_nodedev *nd = dev_find(st, def->name);
    if (nd) {
        nodedev_clear(nd);
        memset(nd, 0, sizeof(*nd));
        nd->def = def;
        return nd;
    }
    if (!st->nodedevs && !(st->nodedevs = calloc(1, sizeof(*st->nodedevs))))
        return NULL;
    test_nodedevs *devs = st->nodedevs;
    if (devs->n == devs->cap) {
        size_t ncap = devs->cap ? devs->cap * 2 : 8;
        test_nodedev *p = realloc(devs->list, ncap * sizeof(*p));
        if (!p)
            return NULL;
        devs->list = p;
        devs->cap = ncap;
    }
    nd = &devs->list[devs->n++];
    memset(nd, 0, sizeof(*nd));
    nd->def = def;
    return nd;
}

static void dev_remove(test_state *st, test_nodedev *nd)
{
    test_nodedevs *devs = st->nodedevs;
    size_t idx = (size_t)(nd - devs->list);
    nodedev_clear(nd);
    memmove(&devs->list[idx], &devs->list[idx + 1],
            (devs->n - idx - 1) * sizeof(*devs->list));
    devs->n--;
}

int test_nodedevs_load_xml(test_state *st, const char *xml, const char *where,
                           evirt_error *err)
{
    evirt_nodedev_def *def = evirt_nodedev_def_parse_string(xml, 0, err);
    if (!def) {
        if (err && err->code) {
            char *detail = strdup(err->str2 ? err->str2
                                  : err->message ? err->message : "");
            int domain = err->domain, code = err->code;
            evirt_error_set(err, domain, code, "%s: %s", where,
                            detail ? detail : "");
            free(detail);
        }
        return -1;
    }
    if (!dev_assign(st, def)) {
        evirt_nodedev_def_free(def);
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    return 0;
}

int test_nodedevs_load_default(test_state *st, evirt_error *err)
{
    for (size_t i = 0;
         i < sizeof(test_default_devices) / sizeof(test_default_devices[0]); i++)
        if (test_nodedevs_load_xml(st, test_default_devices[i], "(test driver)",
                                   err) < 0)
            return -1;
    return 0;
}

/* ------------------------------------------------------------- helpers */

static void free_plain(void *p, int n)
{
    (void)n;
    free(p);
}

static void free_strings(void *p, int n)
{
    evirt_string_list_free(p, n);
}

static void free_handle(void *p, int n)
{
    (void)n;
    evirt_nodedev_unref(p);
}

static void free_handles(void *p, int n)
{
    evirt_nodedev_list_free(p, n);
}

static void return_handle(evirt_op *op, evirt_conn *c, const test_nodedev *nd)
{
    evirt_nodedev *h = evirt_nodedev_new_handle(c, nd->def->name, NULL, NULL,
                                                NULL);
    if (!h)
        test_fail_oom(op);
    else
        evirt_op_return_ptr(op, h, 0, free_handle);
}

static void fail_no_dev(evirt_op *op, const char *name)
{
    evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_NODE_DEVICE,
                  "no node device with matching name '%s'", name);
}

/* The device a handle names, or NULL with op failed. */
static test_nodedev *dev_from_handle(evirt_op *op, evirt_nodedev *d)
{
    test_nodedev *nd = dev_find(test_state_of(d->h.conn), d->h.name);
    if (!nd)
        fail_no_dev(op, d->h.name);
    return nd;
}

/* ------------------------------------------ reading scsi_host details */

/* The <capability type=type> child of node, or NULL. */
static xmlNodePtr cap_child(xmlNodePtr node, const char *type)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next) {
        if (!evirt_xml_is(c, "capability"))
            continue;
        char *t = evirt_xml_prop(c, "type");
        bool match = t && strcmp(t, type) == 0;
        free(t);
        if (match)
            return c;
    }
    return NULL;
}

/* Text of the child element name of node (malloc'd), or NULL. */
static char *child_text(xmlNodePtr node, const char *name)
{
    xmlNodePtr c = node ? evirt_xml_child(node, name) : NULL;
    return c ? evirt_xml_text(c) : NULL;
}

/* The fields of a scsi_host capability drivers look at. */
typedef struct hba_info {
    char *unique_id;
    char *wwnn, *wwpn, *fabric_wwn;
    bool fc_host;
} hba_info;

static void hba_info_clear(hba_info *hi)
{
    free(hi->unique_id);
    free(hi->wwnn);
    free(hi->wwpn);
    free(hi->fabric_wwn);
    memset(hi, 0, sizeof(*hi));
}

static void hba_info_read(xmlNodePtr device, hba_info *hi)
{
    memset(hi, 0, sizeof(*hi));
    xmlNodePtr host = cap_child(device, "scsi_host");
    if (!host)
        return;
    hi->unique_id = child_text(host, "unique_id");
    xmlNodePtr fc = cap_child(host, "fc_host");
    if (!fc)
        return;
    hi->fc_host = true;
    hi->wwnn = child_text(fc, "wwnn");
    hi->wwpn = child_text(fc, "wwpn");
    hi->fabric_wwn = child_text(fc, "fabric_wwn");
}

/* The scsi_host details of a stored device (read from its XML form, which
 * keeps what the model does not have fields for).  -1 when out of memory. */
static int dev_hba_info(const test_nodedev *nd, hba_info *hi)
{
    memset(hi, 0, sizeof(*hi));
    if (!evirt_nodedev_def_has_cap(nd->def, "scsi_host"))
        return 0;
    char *xml = evirt_nodedev_def_format(nd->def, 0);
    if (!xml)
        return -1;
    xmlDocPtr doc = evirt_xml_read(xml, "device_definition", EVIRT_FROM_NODEDEV,
                                   NULL);
    free(xml);
    if (!doc)
        return -1;
    hba_info_read(xmlDocGetRootElement(doc), hi);
    xmlFreeDoc(doc);
    return 0;
}

static const evirt_nodedev_cap *def_cap(const evirt_nodedev_def *def,
                                        const char *type)
{
    for (size_t i = 0; i < def->ncaps; i++)
        if (def->caps[i].type && strcmp(def->caps[i].type, type) == 0)
            return &def->caps[i];
    return NULL;
}

/* ------------------------------------------------------ lookups, lists */

void test_nodedev_lookup_by_name(evirt_op *op, evirt_conn *c, const char *name)
{
    test_nodedev *nd = dev_find(test_state_of(c), name);
    if (!nd) {
        fail_no_dev(op, name);
        return;
    }
    return_handle(op, c, nd);
}

/* cap NULL matches every device. */
static bool cap_match(const test_nodedev *nd, const char *cap)
{
    return !cap || evirt_nodedev_def_has_cap(nd->def, cap);
}

void test_nodedev_num_of_devices(evirt_op *op, evirt_conn *c, const char *cap,
                                 unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_state *st = test_state_of(c);
    int n = 0;
    for (size_t i = 0; i < devs_count(st); i++)
        n += cap_match(dev_at(st, i), cap);
    evirt_op_return_int(op, n);
}

void test_nodedev_list_devices(evirt_op *op, evirt_conn *c, const char *cap,
                               unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_state *st = test_state_of(c);
    char **names = calloc(devs_count(st) + 1, sizeof(*names));
    if (!names) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < devs_count(st); i++) {
        if (!cap_match(dev_at(st, i), cap))
            continue;
        if (!(names[n] = strdup(dev_at(st, i)->def->name))) {
            evirt_string_list_free(names, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, names, n, free_strings);
}

static bool list_all_match(const test_nodedev *nd, unsigned int flags)
{
    unsigned int caps = 0;
    bool has_any = false;
    for (size_t i = 0; i < NCAP_FLAGS; i++) {
        if (!(flags & test_cap_flags[i].flag))
            continue;
        caps |= test_cap_flags[i].flag;
        if (evirt_nodedev_def_has_cap(nd->def, test_cap_flags[i].type))
            has_any = true;
    }
    if (caps && !has_any)
        return false;
    /* Every device here exists on the host: all are active. */
    unsigned int state = flags & (EVIRT_CONNECT_LIST_NODE_DEVICES_ACTIVE |
                                  EVIRT_CONNECT_LIST_NODE_DEVICES_INACTIVE);
    if (state && !(state & EVIRT_CONNECT_LIST_NODE_DEVICES_ACTIVE))
        return false;
    return true;
}

void test_conn_list_all_nodedevs(evirt_op *op, evirt_conn *c, unsigned int flags)
{
    unsigned int allowed = EVIRT_CONNECT_LIST_NODE_DEVICES_ACTIVE |
                           EVIRT_CONNECT_LIST_NODE_DEVICES_INACTIVE;
    for (size_t i = 0; i < NCAP_FLAGS; i++)
        allowed |= test_cap_flags[i].flag;
    TEST_CHECK_FLAGS(op, flags, allowed);
    test_state *st = test_state_of(c);
    evirt_nodedev **list = calloc(devs_count(st) + 1, sizeof(*list));
    if (!list) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < devs_count(st); i++) {
        test_nodedev *nd = dev_at(st, i);
        if (!list_all_match(nd, flags))
            continue;
        if (!(list[n] = evirt_nodedev_new_handle(c, nd->def->name, NULL, NULL,
                                                 NULL))) {
            evirt_nodedev_list_free(list, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, list, n, free_handles);
}

/* --------------------------------------------------------------- facts */

void test_nodedev_get_xml_desc(evirt_op *op, evirt_nodedev *d, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_nodedev *nd = dev_from_handle(op, d);
    if (!nd)
        return;
    char *xml = evirt_nodedev_def_format(nd->def, 0);
    if (!xml) {
        test_fail_oom(op);
        return;
    }
    evirt_op_return_string(op, xml);
}

void test_nodedev_get_parent(evirt_op *op, evirt_nodedev *d)
{
    test_nodedev *nd = dev_from_handle(op, d);
    if (!nd)
        return;
    /* The root has no parent: NULL, and that is no error. */
    char *parent = NULL;
    if (nd->def->parent && !(parent = strdup(nd->def->parent))) {
        test_fail_oom(op);
        return;
    }
    /* (return_string would take NULL for an allocation failure) */
    evirt_op_return_ptr(op, parent, 0, free_plain);
}

void test_nodedev_num_of_caps(evirt_op *op, evirt_nodedev *d)
{
    test_nodedev *nd = dev_from_handle(op, d);
    if (nd)
        evirt_op_return_int(op, (long long)nd->def->ncaps);
}

void test_nodedev_list_caps(evirt_op *op, evirt_nodedev *d)
{
    test_nodedev *nd = dev_from_handle(op, d);
    if (!nd)
        return;
    char **names;
    int n = evirt_nodedev_def_cap_names(nd->def, &names);
    if (n < 0) {
        test_fail_oom(op);
        return;
    }
    evirt_op_return_ptr(op, names, n, free_strings);
}

/* ------------------------------------------------- PCI detach / reset */

/* The device as a PCI device, or NULL with op failed (as libvirt's
 * hypervisor drivers answer for anything else). */
static test_nodedev *pci_from_handle(evirt_op *op, evirt_nodedev *d)
{
    test_nodedev *nd = dev_from_handle(op, d);
    if (nd && !def_cap(nd->def, "pci")) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "device %s is not a PCI device", nd->def->name);
        return NULL;
    }
    return nd;
}

void test_nodedev_detach_flags(evirt_op *op, evirt_nodedev *d, const char *driver,
                               unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    if (driver && strcmp(driver, "vfio") != 0) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "unknown driver name '%s'", driver);
        return;
    }
    test_nodedev *nd = pci_from_handle(op, d);
    if (!nd)
        return;
    if (!nd->detached) {
        char *stub = strdup(TEST_STUB_DRIVER);
        if (!stub) {
            test_fail_oom(op);
            return;
        }
        nd->host_driver = nd->def->driver;
        nd->def->driver = stub;
        nd->detached = true;
    }
    evirt_op_return_void(op);
}

void test_nodedev_reattach(evirt_op *op, evirt_nodedev *d)
{
    test_nodedev *nd = pci_from_handle(op, d);
    if (!nd)
        return;
    if (nd->detached) {
        free(nd->def->driver);
        nd->def->driver = nd->host_driver;
        nd->host_driver = NULL;
        nd->detached = false;
    }
    evirt_op_return_void(op);
}

void test_nodedev_reset(evirt_op *op, evirt_nodedev *d)
{
    /* Nothing to reset in memory; the checks are the behaviour. */
    if (pci_from_handle(op, d))
        evirt_op_return_void(op);
}

/* ---------------------------------------------------- vHBA create/destroy */

/* libvirt's WWN check: 16 hex digits, after an optional 0x. */
static bool wwn_valid(const char *wwn)
{
    if (strncasecmp(wwn, "0x", 2) == 0)
        wwn += 2;
    size_t i;
    for (i = 0; wwn[i]; i++)
        if (!isxdigit((unsigned char)wwn[i]))
            return false;
    return i == 16;
}

/* A new random WWN as libvirt makes them (NAA 5, QEMU's OUI). */
static char *wwn_generate(void)
{
    unsigned long long bits = 0;
    if (getrandom(&bits, sizeof(bits), GRND_NONBLOCK) != (ssize_t)sizeof(bits))
        bits = (unsigned long long)time(NULL) * 2654435761ULL ^ (unsigned long long)rand();
    char *out = NULL;
    if (asprintf(&out, "5001a4a%09llx", bits & 0xfffffffffULL) < 0)
        return NULL;
    return out;
}

/* A device able to host vHBAs: a scsi_host with vport_ops. */
static bool vport_capable(const test_nodedev *nd)
{
    return evirt_nodedev_def_has_cap(nd->def, "vports");
}

/* Which existing device would carry a new vHBA, as libvirt picks it:
 * named by <parent>, by its wwnn+wwpn or fabric_wwn attributes, or the
 * first vport capable device.  NULL with err set. */
static test_nodedev *vhba_parent(test_state *st, xmlNodePtr parent_node,
                                 const char *devname, evirt_error *err)
{
    char *name = parent_node ? evirt_xml_text(parent_node) : NULL;
    char *pwwnn = parent_node ? evirt_xml_prop(parent_node, "wwnn") : NULL;
    char *pwwpn = parent_node ? evirt_xml_prop(parent_node, "wwpn") : NULL;
    char *pfabric = parent_node ? evirt_xml_prop(parent_node, "fabric_wwn") : NULL;
    test_nodedev *found = NULL;

    if (name && *name) {
        found = dev_find(st, name);
        if (!found) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_INTERNAL_ERROR,
                            "Could not find parent device for '%s'", devname);
            goto out;
        }
    } else if ((pwwnn && pwwpn) || pfabric) {
        for (size_t i = 0; i < devs_count(st) && !found; i++) {
            hba_info hi;
            if (dev_hba_info(dev_at(st, i), &hi) < 0) {
                evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
                goto out;
            }
            bool match;
            if (pwwnn && pwwpn)
                match = hi.wwnn && hi.wwpn && strcasecmp(hi.wwnn, pwwnn) == 0 &&
                        strcasecmp(hi.wwpn, pwwpn) == 0;
            else
                match = hi.fabric_wwn && strcasecmp(hi.fabric_wwn, pfabric) == 0;
            /* Only a vport capable HBA can be meant. */
            if (match && vport_capable(dev_at(st, i)))
                found = dev_at(st, i);
            hba_info_clear(&hi);
        }
        if (!found) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_INTERNAL_ERROR,
                            "Could not find parent device for '%s'", devname);
            goto out;
        }
    } else {
        for (size_t i = 0; i < devs_count(st) && !found; i++)
            if (vport_capable(dev_at(st, i)))
                found = dev_at(st, i);
        if (!found) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_INTERNAL_ERROR,
                            "Could not find any vport capable device");
            goto out;
        }
    }
    if (!vport_capable(found)) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_INTERNAL_ERROR,
                        "Parent device %s is not capable of vport operations",
                        found->def->name);
        found = NULL;
    }
out:
    free(name);
    free(pwwnn);
    free(pwwpn);
    free(pfabric);
    return found;
}

/*
 * Checks a create-xml document with the model's parser.  libvirt's
 * parser, when creating, names the device "new device" and needs no SCSI
 * host number (the kernel gives one), so those are supplied first.
 */
static int create_doc_check(xmlDocPtr doc, evirt_error *err)
{
    xmlDocPtr copy = xmlCopyDoc(doc, 1);
    xmlNodePtr root = copy ? xmlDocGetRootElement(copy) : NULL;
    if (!root) {
        xmlFreeDoc(copy);
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    if (evirt_xml_is(root, "device")) {
        if (!evirt_xml_child(root, "name")) {
            xmlNodePtr name = xmlNewDocNode(copy, NULL, BAD_CAST "name",
                                            BAD_CAST TEST_NEW_DEVICE_NAME);
            if (name && root->children)
                xmlAddPrevSibling(root->children, name);
            else if (name)
                xmlAddChild(root, name);
        }
        xmlNodePtr host = cap_child(root, "scsi_host");
        if (host && !evirt_xml_child(host, "host"))
            xmlNewTextChild(host, NULL, BAD_CAST "host", BAD_CAST "0");
    }
    xmlChar *mem = NULL;
    int len = 0;
    xmlDocDumpMemory(copy, &mem, &len);
    xmlFreeDoc(copy);
    if (!mem) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    evirt_nodedev_def *def = evirt_nodedev_def_parse_string((const char *)mem, 0,
                                                            err);
    xmlFree(mem);
    if (!def)
        return -1;
    evirt_nodedev_def_free(def);
    return 0;
}

/* The device XML of a new vHBA. */
static char *vhba_xml(const char *name, const char *parent, unsigned int host,
                      unsigned long long unique_id, const char *wwnn,
                      const char *wwpn, const char *fabric)
{
    evirt_buf b = { 0 };
    evirt_buf_adds(&b, "<device>\n");
    evirt_buf_text_elem(&b, 1, "name", name);
    evirt_buf_text_elem(&b, 1, "parent", parent);
    evirt_buf_adds(&b, "  <capability type='scsi_host'>\n");
    evirt_buf_printf(&b, "    <host>%u</host>\n", host);
    evirt_buf_printf(&b, "    <unique_id>%llu</unique_id>\n", unique_id);
    evirt_buf_adds(&b, "    <capability type='fc_host'>\n");
    evirt_buf_text_elem(&b, 3, "wwnn", wwnn);
    evirt_buf_text_elem(&b, 3, "wwpn", wwpn);
    evirt_buf_text_elem(&b, 3, "fabric_wwn", fabric);
    evirt_buf_adds(&b, "    </capability>\n  </capability>\n</device>\n");
    return evirt_buf_steal(&b);
}

/*
 * Makes the vHBA: reads the request from doc, checks it and adds the new
 * device.  Returns it, or NULL with err set (nothing changed).
 */
static test_nodedev *vhba_create(test_state *st, xmlDocPtr doc, evirt_error *err)
{
    test_nodedev *ret = NULL;
    hba_info req = { 0 }, parent_info = { 0 };
    char *name = NULL, *xml = NULL;
    evirt_nodedev_def *def = NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);

    hba_info_read(root, &req);
    if (!req.fc_host) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_INTERNAL_ERROR,
                        "Device is not a fibre channel HBA");
        goto out;
    }
    const char *wwns[2] = { req.wwnn, req.wwpn };
    for (int i = 0; i < 2; i++) {
        if (wwns[i] && !wwn_valid(wwns[i])) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                            "Malformed wwn: %s", wwns[i]);
            goto out;
        }
    }
    if ((!req.wwnn && !(req.wwnn = wwn_generate())) ||
        (!req.wwpn && !(req.wwpn = wwn_generate()))) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        goto out;
    }

    /* While being created the device is "new device", whatever <name>
     * says (libvirt ignores it too). */
    test_nodedev *parent = vhba_parent(st, evirt_xml_child(root, "parent"),
                                       TEST_NEW_DEVICE_NAME, err);
    if (!parent)
        goto out;

    /* The kernel numbers the new host past every existing one. */
    unsigned int host = 0;
    unsigned long long unique_id = 0;
    for (size_t i = 0; i < devs_count(st); i++) {
        test_nodedev *nd = dev_at(st, i);
        const evirt_nodedev_cap *cap = def_cap(nd->def, "scsi_host");
        if (!cap)
            continue;
        hba_info hi;
        if (dev_hba_info(nd, &hi) < 0) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
            goto out;
        }
        if (cap->u.scsi_host.host >= host)
            host = cap->u.scsi_host.host + 1;
        if (hi.unique_id) {
            unsigned long long u = strtoull(hi.unique_id, NULL, 10);
            if (u >= unique_id)
                unique_id = u + 1;
        }
        bool same = hi.wwnn && hi.wwpn && strcasecmp(hi.wwnn, req.wwnn) == 0 &&
                    strcasecmp(hi.wwpn, req.wwpn) == 0;
        if (same) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                            "a fibre channel HBA with wwnn '%s' and wwpn '%s' "
                            "already exists: '%s'", req.wwnn, req.wwpn,
                            nd->def->name);
            hba_info_clear(&hi);
            goto out;
        }
        if (nd == parent) {
            parent_info = hi;
            memset(&hi, 0, sizeof(hi));
        }
        hba_info_clear(&hi);
    }
    for (;; host++) {
        free(name);
        if (asprintf(&name, "scsi_host%u", host) < 0) {
            name = NULL;
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
            goto out;
        }
        if (!dev_find(st, name))
            break;
    }
    xml = vhba_xml(name, parent->def->name, host, unique_id, req.wwnn, req.wwpn,
                   parent_info.fabric_wwn);
    if (!xml) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        goto out;
    }
    if (!(def = evirt_nodedev_def_parse_string(xml, 0, err)))
        goto out;
    if (!(ret = dev_assign(st, def))) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        goto out;
    }
    def = NULL;
    EVIRT_DEBUG("created vHBA %s on %s", name, ret->def->parent);
out:
    evirt_nodedev_def_free(def);
    hba_info_clear(&req);
    hba_info_clear(&parent_info);
    free(name);
    free(xml);
    return ret;
}

void test_nodedev_create_xml(evirt_op *op, evirt_conn *c, const char *xml,
                             unsigned int flags)
{
    /* VALIDATE: there is no schema here; the parser's checks stand in. */
    TEST_CHECK_FLAGS(op, flags, EVIRT_NODE_DEVICE_CREATE_XML_VALIDATE);
    evirt_error err = { 0 };
    xmlDocPtr doc = evirt_xml_read(xml, "device_definition", EVIRT_FROM_NODEDEV,
                                   &err);
    if (!doc || create_doc_check(doc, &err) < 0) {
        xmlFreeDoc(doc);
        evirt_op_fail_error(op, &err);
        return;
    }
    test_nodedev *nd = vhba_create(test_state_of(c), doc, &err);
    xmlFreeDoc(doc);
    if (!nd) {
        evirt_op_fail_error(op, &err);
        return;
    }
    return_handle(op, c, nd);
}

void test_nodedev_destroy(evirt_op *op, evirt_nodedev *d)
{
    test_nodedev *nd = dev_from_handle(op, d);
    if (!nd)
        return;
    test_state *st = test_state_of(d->h.conn);
    if (!evirt_nodedev_def_has_cap(nd->def, "fc_host")) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INTERNAL_ERROR,
                      "Device is not a fibre channel HBA");
        return;
    }
    /* A physical HBA (parent not vport capable) cannot be deleted. */
    test_nodedev *parent = nd->def->parent ? dev_find(st, nd->def->parent) : NULL;
    if (!parent || !vport_capable(parent)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "device '%s' is not a vHBA: only virtual HBAs can be "
                      "destroyed", nd->def->name);
        return;
    }
    EVIRT_DEBUG("destroying vHBA %s", nd->def->name);
    dev_remove(st, nd);
    evirt_op_return_void(op);
}
