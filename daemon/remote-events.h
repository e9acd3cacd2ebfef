/*
 * daemon/remote-events.h - evirtd's event procedures: a client registers
 * for domain, network or storage pool events, evirtd registers a callback
 * on the client's evirt_conn and forwards every event to the client as a
 * MESSAGE with libvirt's procedure number and body (rpc-facts §4).
 *
 * Procedures (libvirt's numbers):
 *   105/106  legacy domain lifecycle register/deregister   (events: 107)
 *   167/168  legacy domain register/deregister by event id (IDs 0-15)
 *   313/314  network callback register/deregister          (events: 315)
 *   316/317  domain callback register/deregister    (events: 318, 319)
 *   368/369  storage pool callback register/deregister (events: 370, 373)
 * The callback forms hand the client a callbackID (0, 1, ... per client)
 * that starts every event message.  Domain event ids libvirt knows but
 * evirt never emits (RTC change, watchdog, ...) are accepted, as libvirtd
 * accepts them for drivers that never raise them: no message ever comes.
 *
 * Everything here runs on the daemon's loop thread.
 */
#ifndef EVIRTD_REMOTE_EVENTS_H
#define EVIRTD_REMOTE_EVENTS_H

#include <stddef.h>
#include "rpc/server.h"

/* One client's registrations. */
typedef struct evirtd_events evirtd_events;

/* The procedures above, for the remote program's table. */
extern const evirt_rpc_proc evirtd_event_procs[];
extern const size_t evirtd_event_nprocs;

/*
 * Removes every registration of the client (from its evirt_conn too) and
 * frees ev; no message is sent for it afterwards.  Must run while the
 * client's connection is still held (before it is released).  NULL is
 * fine.
 */
void evirtd_events_free(evirtd_events *ev);

/*
 * Provided by daemon/remote.c: the slot in the client's state where its
 * evirtd_events lives (created with the client state on first use), or
 * NULL when memory runs out.
 */
evirtd_events **evirtd_client_events_slot(evirt_rpc_server_client *client);

#endif
