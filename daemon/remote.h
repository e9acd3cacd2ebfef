/*
 * daemon/remote.h - evirtd's side of the remote program (0x20008086 v1).
 *
 * Three parts make the program's procedure table:
 *  - the generated dispatch, daemon/remote-dispatch.c (scripts/gen-remote.py,
 *    see daemon/remote-dispatch.h): one handler per API call, finding the
 *    client's connection through evirt_daemon_call_conn() (defined here);
 *  - the hand-written procedures in daemon/remote.c, which always win over
 *    a generated entry with the same number: CONNECT_OPEN (1),
 *    CONNECT_CLOSE (2), CONNECT_SUPPORTS_FEATURE (60), AUTH_LIST (66),
 *    CONNECT_GET_URI (110), CONNECT_REGISTER_CLOSE_CALLBACK (360),
 *    CONNECT_UNREGISTER_CLOSE_CALLBACK (361).
 *  - the event procedures in daemon/remote-events.c (105/106, 167/168,
 *    313/314, 316/317, 368/369), which also win over generated entries.
 * Procedures in none of them get libvirtd's "unknown procedure" error.
 *
 * Everything here runs on the daemon's loop thread.
 */
#ifndef EVIRTD_REMOTE_H
#define EVIRTD_REMOTE_H

#include <evirt/evirt.h>
#include "rpc/server.h"

#define EVIRTD_REMOTE_PROGRAM 0x20008086u
#define EVIRTD_REMOTE_VERSION 1u

/*
 * Registers the remote program on srv; opened connections run on loop.
 * Returns 0 or -1.
 */
int evirtd_remote_register(evirt_rpc_server *srv, evirt_loop *loop);

/* Drops the connections shared between clients (at shutdown). */
void evirtd_remote_shutdown(void);

/*
 * evirt_daemon_call_conn() (declared in daemon/remote-dispatch.h) is
 * defined in remote.c: the connection the calling client opened with
 * CONNECT_OPEN, valid until the call is answered, or NULL (nothing is
 * answered then: the caller does it).
 */

/*
 * A slot for the generated dispatch's per-client state (event callback
 * registrations, stream bookkeeping...).  free_fn runs when the client
 * goes, BEFORE its connection is released, so registrations can be
 * undone there.  set replaces (and frees) any previous data.
 */
void *evirtd_client_dispatch_data(evirt_rpc_server_client *client);
void evirtd_client_set_dispatch_data(evirt_rpc_server_client *client,
                                     void *data, void (*free_fn)(void *));

#endif
