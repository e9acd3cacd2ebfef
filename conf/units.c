/*
 * conf/units.c - scaled sizes: domain sizes (<memory unit='MiB'>...) to
 * KiB, storage sizes (<capacity unit='GiB'>...) to bytes, each with the
 * default unit, limit and error codes libvirt's XML has for it.
 */
#include <config.h>

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "api/error-private.h"
#include "conf/domain_conf.h"
#include "conf/storage_conf.h"

/* Bytes per unit named by a letter (k m g t p e): alone or with "iB" it
 * counts in 1024s, with "B" in 1000s, as libvirt reads it; 0 otherwise. */
static unsigned long long
letter_scale(const char *unit)
{
    static const char letters[] = "kmgtpe";
    if (!unit[0])
        return 0;
    const char *l = strchr(letters, tolower((unsigned char)unit[0]));
    if (!l)
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

/* strtoull's rules without its sign: leading blanks, then decimal digits.
 * Returns where the digits end (== *digits when there are none); *v is
 * the value and *overflow says it did not fit. */
static const char *
read_digits(const char *value, const char **digits, unsigned long long *v,
            bool *overflow)
{
    const char *p = value ? value : "";
    while (isspace((unsigned char)*p))
        p++;
    *digits = p;
    *v = 0;
    *overflow = false;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (*v > (ULLONG_MAX - d) / 10)
            *overflow = true;
        else
            *v = *v * 10 + d;
    }
    return p;
}

/* Domain sizes: no unit means KiB; "b" and "bytes" are bytes. */
static unsigned long long
kib_unit_scale(const char *unit)
{
    if (!unit || !*unit)
        return 1024;
    if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "bytes") == 0)
        return 1;
    return letter_scale(unit);
}

int
evirt_parse_scaled_kib(const char *value, const char *unit,
                       unsigned long long *kib, evirt_error *err)
{
    const char *digits;
    unsigned long long v;
    bool overflow;
    const char *end = read_digits(value, &digits, &v, &overflow);
    const char *p = end;
    while (isspace((unsigned char)*p))
        p++;
    if (end == digits || *p) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "invalid size '%s': expected a non-negative integer",
                        value ? value : "");
        return -1;
    }
    unsigned long long scale = kib_unit_scale(unit);
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

/* Storage sizes: no unit means bytes; "b", "byte" and "bytes" too. */
static unsigned long long
byte_unit_scale(const char *unit)
{
    if (!unit || !*unit)
        return 1;
    if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
        strcasecmp(unit, "bytes") == 0)
        return 1;
    return letter_scale(unit);
}

int
evirt_parse_scaled_bytes(const char *value, const char *unit,
                         unsigned long long *bytes, evirt_error *err)
{
    const char *digits;
    unsigned long long v;
    bool too_big;
    const char *end = read_digits(value, &digits, &v, &too_big);
    if (end == digits || *end || too_big) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "invalid size '%s'", value ? value : "");
        return -1;
    }
    unsigned long long scale = byte_unit_scale(unit);
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
