/*
 * evirt/common.h - macros shared by every public header.
 */
#ifndef EVIRT_COMMON_H
#define EVIRT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
# define EVIRT_BEGIN_DECLS extern "C" {
# define EVIRT_END_DECLS }
#else
# define EVIRT_BEGIN_DECLS
# define EVIRT_END_DECLS
#endif

/* Marks what libevirt.so exports; everything else is hidden. */
#if defined(EVIRT_BUILDING_LIBRARY) && defined(__GNUC__)
# define EVIRT_API __attribute__((visibility("default")))
#else
# define EVIRT_API
#endif

#if defined(__GNUC__)
# define EVIRT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
# define EVIRT_PRINTF(fmt, args)
#endif

/* evirt's own version, encoded as libvirt encodes its: major*1e6+minor*1e3+micro */
#define EVIRT_VERSION_MAJOR 0
#define EVIRT_VERSION_MINOR 1
#define EVIRT_VERSION_MICRO 0

#define EVIRT_UUID_BUFLEN 16
#define EVIRT_UUID_STRING_BUFLEN 37

#endif
