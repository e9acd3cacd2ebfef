/*
 * evirt/evirt.h - the whole public API of evirt.
 *
 * evirt is an event-driven virtualization management library: every
 * operation is a request that completes through a callback on an explicit
 * event loop (evirt/loop.h, evirt/op.h); the sync API sits on top.
 */
#ifndef EVIRT_H
#define EVIRT_H

#include <evirt/common.h>
#include <evirt/loop.h>
#include <evirt/error.h>
#include <evirt/op.h>
#include <evirt/log.h>
#include <evirt/enums.h>
#include <evirt/types.h>
#include <evirt/conn.h>
#include <evirt/domain.h>
#include <evirt/handles.h>
#include <evirt/api.h>

#endif
