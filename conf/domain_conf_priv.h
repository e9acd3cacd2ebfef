/*
 * conf/domain_conf_priv.h - what the domain reader and writer share.
 */
#ifndef EVIRT_CONF_DOMAIN_CONF_PRIV_H
#define EVIRT_CONF_DOMAIN_CONF_PRIV_H

#include <libxml/tree.h>

/*
 * The known elements of <domain> and of <devices>, in the order they are
 * written.  An unknown element is written after the known one it followed
 * in the input (its "anchor", -1 = before all of them).
 */
enum {
    EVIRT_TOP_SLOT_NAME, EVIRT_TOP_SLOT_UUID, EVIRT_TOP_SLOT_TITLE,
    EVIRT_TOP_SLOT_DESCRIPTION, EVIRT_TOP_SLOT_MEMORY,
    EVIRT_TOP_SLOT_CURRENT_MEMORY, EVIRT_TOP_SLOT_VCPU, EVIRT_TOP_SLOT_OS,
    EVIRT_TOP_SLOT_FEATURES, EVIRT_TOP_SLOT_CLOCK, EVIRT_TOP_SLOT_ON_POWEROFF,
    EVIRT_TOP_SLOT_ON_REBOOT, EVIRT_TOP_SLOT_ON_CRASH, EVIRT_TOP_SLOT_DEVICES,
    EVIRT_TOP_SLOT_COUNT
};
extern const char *const evirt_domain_top_slots[];

enum {
    EVIRT_DEV_SLOT_EMULATOR, EVIRT_DEV_SLOT_DISK, EVIRT_DEV_SLOT_INTERFACE,
    EVIRT_DEV_SLOT_SERIAL, EVIRT_DEV_SLOT_CONSOLE, EVIRT_DEV_SLOT_INPUT,
    EVIRT_DEV_SLOT_GRAPHICS, EVIRT_DEV_SLOT_HOSTDEV, EVIRT_DEV_SLOT_COUNT
};
extern const char *const evirt_domain_device_slots[];

/* The <source> attribute holding a disk's path for this disk type
 * (file, dev, dir), or NULL when the model does not read the source. */
const char *evirt_disk_source_attr(const char *disk_type);
/* The <source> attribute naming an interface's source, or NULL. */
const char *evirt_net_source_attr(const char *net_type);

#endif
