/*
 * drivers/test/test-driver.h - switches of the test driver that its
 * embedders (evirtd) use; not part of the public API.
 */
#ifndef EVIRT_TEST_DRIVER_H
#define EVIRT_TEST_DRIVER_H

/*
 * Shared mode.  Off (the default, and libvirt's behaviour for an
 * in-process test:///default): every open of test:///default gets a fresh
 * host.  On (what evirtd turns on at start, as libvirtd does): every open
 * of test:///default made on the same loop attaches to one process-wide
 * host, whatever its read-only flag, so each connection sees the others'
 * changes and receives their events; the host is freed when the last of
 * them closes, and the next open starts afresh.  Config-file URIs
 * (test:///path.xml) always get their own host.
 *
 * Affects opens made after the call; connections already open keep what
 * they have.  Callable from any thread.  Returns the previous setting.
 * One process-wide shared host at a time: an open on another loop while
 * it lives gets a private host (states are only touched from one loop).
 */
int evirt_test_driver_set_shared(int on);

#endif
