/*
 * conf/storage_units.c - storage sizes (<capacity unit='GiB'>...) to
 * bytes, with the limit and error codes libvirt's storage XML has.
 */
#include <config.h>

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "api/error-private.h"
#include "conf/storage_conf.h"

/* Bytes per unit, 0 when unknown.  A letter alone or with "iB" counts in
 * 1024s, with "B" in 1000s. */
static unsigned long long
byte_scale(const char *unit)
{
    if (!unit || !*unit)
        return 1;
    if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
        strcasecmp(unit, "bytes") == 0)
        return 1;
    static const char letters[] = "kmgtpe";
    const char *l = strchr(letters, tolower((unsigned char)unit[0]));
    if (!unit[0] || !l)
        return 0;
    unsigned long long base;
    if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
        base = 1024;
    else if (strcasecmp(unit + 1, "B") == 0)
        base = 1000;
    else
        return 0;
    unsigned long long scale = 1;
    for (int i = 0; i <= l - letters; i++)
        scale *= base;
    return scale;
}

int
evirt_parse_scaled_bytes(const char *value, const char *unit,
                         unsigned long long *bytes, evirt_error *err)
{
    /* strtoull's rules without its sign: leading blanks only. */
    const char *p = value ? value : "";
    while (isspace((unsigned char)*p))
        p++;
    const char *digits = p;
    unsigned long long v = 0;
    bool too_big = false;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (ULLONG_MAX - d) / 10)
            too_big = true;
        else
            v = v * 10 + d;
    }
    if (p == digits || *p || too_big) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "invalid size '%s'", value ? value : "");
        return -1;
    }
    unsigned long long scale = byte_scale(unit);
    if (scale == 0) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_INVALID_ARG,
                        "unknown suffix '%s'", unit);
        return -1;
    }
    /* off_t is signed: nothing stored can be larger than this */
    if (v > (unsigned long long)LLONG_MAX / scale) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_OVERFLOW,
                        "value too large: %llu%s", v, unit ? unit : "");
        return -1;
    }
    *bytes = v * scale;
    return 0;
}
