/*
 * conf/uuid.c - UUIDs and MAC addresses: parse, format, generate.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "conf/domain_conf.h"

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int
evirt_uuid_parse(const char *str, unsigned char uuid[16])
{
    if (!str)
        return -1;
    const char *p = str;
    while (is_blank(*p))
        p++;
    /* Dashes may sit between any two bytes, never inside one. */
    for (int i = 0; i < 16; i++) {
        while (*p == '-')
            p++;
        int hi = hexval(p[0]);
        int lo = hi < 0 ? -1 : hexval(p[1]);
        if (hi < 0 || lo < 0)
            return -1;
        uuid[i] = (unsigned char)(hi << 4 | lo);
        p += 2;
    }
    while (is_blank(*p))
        p++;
    return *p ? -1 : 0;
}

void
evirt_uuid_format(const unsigned char uuid[16], char buf[37])
{
    snprintf(buf, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5],
             uuid[6], uuid[7], uuid[8], uuid[9], uuid[10], uuid[11],
             uuid[12], uuid[13], uuid[14], uuid[15]);
}

static int
random_bytes(unsigned char *out, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(out + got, len - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

int
evirt_uuid_generate(unsigned char uuid[16])
{
    if (random_bytes(uuid, 16) < 0)
        return -1;
    uuid[6] = (unsigned char)((uuid[6] & 0x0f) | 0x40); /* version 4 */
    uuid[8] = (unsigned char)((uuid[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    return 0;
}

int
evirt_mac_parse(const char *str, unsigned char mac[6])
{
    if (!str)
        return -1;
    const char *p = str;
    for (int i = 0; i < 6; i++) {
        int v = hexval(*p);
        if (v < 0)
            return -1;
        p++;
        int lo = hexval(*p);
        if (lo >= 0) {
            v = v << 4 | lo;
            p++;
        }
        mac[i] = (unsigned char)v;
        if (i < 5) {
            if (*p != ':')
                return -1;
            p++;
        }
    }
    return *p ? -1 : 0;
}

void
evirt_mac_format(const unsigned char mac[6], char buf[18])
{
    snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void
evirt_mac_generate(unsigned char mac[6])
{
    mac[0] = 0x52;
    mac[1] = 0x54;
    mac[2] = 0x00;
    if (random_bytes(mac + 3, 3) < 0) {
        /* Not worth failing a define for: any local address will do. */
        unsigned long v = (unsigned long)time(NULL) ^ (unsigned long)getpid();
        mac[3] = (unsigned char)v;
        mac[4] = (unsigned char)(v >> 8);
        mac[5] = (unsigned char)(v >> 16);
    }
}
