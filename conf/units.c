/*
 * conf/units.c - scaled sizes (<memory unit='MiB'>...) to KiB.
 */
#include <config.h>

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "api/error-private.h"
#include "conf/domain_conf.h"

/* Bytes per unit; 0 when the unit is unknown.  The letter alone or with
 * "iB" is a power of 1024, with "B" a power of 1000, as libvirt reads it. */
static unsigned long long
unit_scale(const char *unit)
{
    if (!unit || !*unit)
        return 1024;
    if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "bytes") == 0)
        return 1;
    static const char letters[] = "kmgtpe";
    const char *l = strchr(letters, tolower((unsigned char)unit[0]));
    if (!l)
        return 0;
    int power = (int)(l - letters) + 1;
    unsigned long long base;
    if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
        base = 1024;
    else if (strcasecmp(unit + 1, "B") == 0)
        base = 1000;
    else
        return 0;
    unsigned long long scale = 1;
    for (int i = 0; i < power; i++)
        scale *= base;
    return scale;
}

int
evirt_parse_scaled_kib(const char *value, const char *unit,
                       unsigned long long *kib, evirt_error *err)
{
    const char *p = value ? value : "";
    while (isspace((unsigned char)*p))
        p++;
    const char *digits = p;
    unsigned long long v = 0;
    bool overflow = false;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (ULLONG_MAX - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
    }
    const char *end = p;
    while (isspace((unsigned char)*p))
        p++;
    if (end == digits || *p) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "invalid size '%s': expected a non-negative integer",
                        value ? value : "");
        return -1;
    }
    unsigned long long scale = unit_scale(unit);
    if (scale == 0) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_INVALID_ARG,
                        "unknown suffix '%s'", unit);
        return -1;
    }
    if (overflow || (scale > 1 && v > ULLONG_MAX / scale)) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_OVERFLOW,
                        "value too large: %s%s", value, unit ? unit : "");
        return -1;
    }
    unsigned long long bytes = v * scale;
    /* a partial KiB still needs a whole one */
    *kib = bytes / 1024 + (bytes % 1024 ? 1 : 0);
    return 0;
}
