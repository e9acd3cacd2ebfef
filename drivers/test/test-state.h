/*
 * drivers/test/test-state.h - the test driver's in-memory hypervisor:
 * the state of one connection (host facts, NUMA cells, domains) and the
 * helpers every test driver file shares.
 *
 * Each connection has its own state (conn->driver_data), made at open
 * from the built-in default or from a config file, and freed at close --
 * except in shared mode (evirt_test_driver_set_shared, test-driver.h, used
 * by evirtd): there every connection to test:///default on the same loop
 * attaches to one state, freed when the last of them closes.  A state
 * knows every connection attached to it, so an event reaches them all.
 * Everything here runs on the connections' loop thread only, so nothing
 * is locked.
 *
 * Ownership: the state owns its domains; a test_domain owns its defs and
 * block jobs.  Pointers returned by the find functions are borrowed and
 * stay valid until the domain is removed (test_state_remove_domain, or
 * test_domain_stop of a transient domain).
 *
 * Entries: each driver entry is named test_<op name> with the signature
 * of its evirt_driver_ops member.  The lifecycle/stats entries are
 * declared in test-domain-ops.h, which also defines TEST_DOMAIN_OPS (the
 * table's designated initializers for them) used by test-driver.c.
 */
#ifndef EVIRT_TEST_STATE_H
#define EVIRT_TEST_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "api/driver.h"
#include "conf/domain_conf.h"

#define TEST_MAX_CELLS 16
#define TEST_MAX_CPUS 128   /* CPUs per host (fits evirt_node_cpu_map) */

/* One NUMA cell of the fake host. */
typedef struct test_cell {
    unsigned long long mem_kib;  /* total memory of the cell */
    unsigned long long free_kib; /* reported as free */
    int ncpus;                   /* CPUs in the cell */
    int first_cpu;               /* id of its first CPU */
} test_cell;

/*
 * A block job on one disk (used by the lifecycle/stats half of the
 * driver).  Jobs form a singly linked list per domain.
 */
typedef struct test_block_job {
    char *disk;                  /* target dev (or path) as asked */
    int type;                    /* evirt_domain_block_job_type */
    unsigned long bandwidth;     /* MiB/s */
    unsigned long long cur, end;
    struct test_block_job *next;
} test_block_job;

typedef struct test_domain {
    /* The definition in force: the running one while active, else the
     * persistent config.  def->id mirrors id. */
    evirt_domain_def *def;
    /* The next-boot definition of a running persistent domain that was
     * redefined while running (is_updated), else NULL.  Becomes def when
     * the domain stops. */
    evirt_domain_def *new_def;
    int id;                      /* -1 when inactive */
    int state;                   /* evirt_domain_state */
    int reason;                  /* reason of that state (enums.h) */
    bool persistent;
    bool autostart;
    bool has_managed_save;
    test_block_job *block_jobs;
    unsigned long long cpu_time; /* ns, grows while running */
} test_domain;

/* Storage pools and volumes (test-storage.h). */
typedef struct test_storage test_storage;
/* Virtual networks (test-network.h). */
typedef struct test_networks test_networks;
/* Host interfaces (test-interface.h) and node devices (test-nodedev.h). */
typedef struct test_interfaces test_interfaces;
typedef struct test_nodedevs test_nodedevs;

/* The state of one test connection (conn->driver_data). */
typedef struct test_state {
    evirt_conn **conns;          /* attached connections (borrowed) */
    size_t nconns, aconns;
    bool shared;                 /* the process-wide test:///default */
    char *config_dir;            /* folder of the config file, or NULL */
    bool is_default;             /* test:///default */

    evirt_node_info node;        /* model, memory, cpus, mhz, topology */
    test_cell cells[TEST_MAX_CELLS];
    int ncells;

    /* node_{get,set}_memory_parameters (libvirt's shm_* names). */
    unsigned int shm_pages_to_scan;
    unsigned int shm_sleep_millisecs;
    unsigned int shm_merge_across_nodes;

    test_domain **domains;       /* in the order they were added */
    struct test_index *by_name;  /* name -> test_domain */
    struct test_index *by_uuid;  /* uuid -> test_domain */
    size_t ndomains, adomains;
    int next_id;                 /* id the next started domain gets */

    test_storage *storage;       /* pools and volumes, or NULL */
    test_networks *networks;     /* virtual networks, or NULL */
    test_interfaces *ifaces;     /* host interfaces, or NULL */
    test_nodedevs *nodedevs;     /* node devices, or NULL */
} test_state;

/* ---------------------------------------------------------- the state */

/* An empty state with conn attached (no domains, next_id 1, no host
 * facts); NULL when out of memory. */
test_state *test_state_new(evirt_conn *conn);
/* Attaches one more connection to st: -1 when out of memory. */
int test_state_attach(test_state *st, evirt_conn *conn);
/* Detaches conn; returns the number of connections still attached. */
size_t test_state_detach(test_state *st, evirt_conn *conn);
/* Frees the state and every domain in it; NULL is fine. */
void test_state_free(test_state *st);
/* The state of a test connection. */
test_state *test_state_of(evirt_conn *conn);

/* Lookups; NULL when no domain matches.  by_id finds active ones only. */
test_domain *test_state_find_by_name(test_state *st, const char *name);
test_domain *test_state_find_by_uuid(test_state *st, const unsigned char *uuid);
test_domain *test_state_find_by_id(test_state *st, int id);

/*
 * Adds a new domain made of def (taken on success; left to the caller on
 * failure): inactive (id -1, SHUTOFF/UNKNOWN), not persistent.  The
 * caller checks for name/uuid clashes first.  NULL when out of memory.
 */
test_domain *test_state_add_domain(test_state *st, evirt_domain_def *def);
/* Removes dom from the state and frees it. */
void test_state_remove_domain(test_state *st, test_domain *dom);

/* -------------------------------------------------- domain transitions */

static inline bool test_domain_is_active(const test_domain *dom)
{
    return dom->id >= 0;
}

/* The definition the domain boots with next (new_def if any, else def). */
static inline evirt_domain_def *test_domain_config_def(test_domain *dom)
{
    return dom->new_def ? dom->new_def : dom->def;
}

/*
 * Makes an inactive domain run: id = st->next_id++, state as given
 * (RUNNING or PAUSED) with reason.  No event (callers emit).
 */
void test_domain_start(test_state *st, test_domain *dom, int state, int reason);

/*
 * Makes an active domain inactive: SHUTOFF with reason, id -1, block
 * jobs dropped, new_def (if any) becomes def.  A transient domain is then
 * removed and freed: returns true when dom is gone.  Emit events BEFORE
 * calling (they need the domain's name/uuid).
 */
bool test_domain_stop(test_state *st, test_domain *dom, int reason);

/* Frees a block job list. */
void test_block_jobs_free(test_block_job *jobs);

/* ------------------------------------------------- handles and errors */

/*
 * A new handle for dom on conn (a reference the caller owns), with the
 * domain's current name, uuid and id.  NULL when out of memory.
 */
evirt_domain *test_domain_handle(evirt_conn *conn, test_domain *dom);

/*
 * The domain a handle names (found by uuid).  When it is gone, fails op
 * with EVIRT_ERR_NO_DOMAIN "no domain with matching uuid 'X' (name)" and
 * returns NULL: the caller just returns.
 */
test_domain *test_domain_from_handle(evirt_op *op, evirt_domain *d);

/*
 * The running domain a handle names: as test_domain_from_handle, and when
 * the domain is inactive, fails op with "domain is not running" and
 * returns NULL.
 */
test_domain *test_domain_running(evirt_op *op, evirt_domain *d);

/* Fails op with EVIRT_ERR_OPERATION_INVALID "domain is not running". */
void test_fail_not_running(evirt_op *op);
/* Fails op with EVIRT_ERR_OPERATION_INVALID "domain is already running". */
void test_fail_running(evirt_op *op);
/* Fails op with EVIRT_ERR_NO_MEMORY. */
void test_fail_oom(evirt_op *op);

/*
 * Emits an event (evirt_conn_emit_event's arguments) on every connection
 * attached to st, so each sees what any of them changed.
 */
void test_state_emit_event(test_state *st, int family, const char *name,
                           const unsigned char *uuid, int id, int event_id,
                           int a, int b);

/* Emits a LIFECYCLE event (event, detail: enums.h) for dom on st's conns. */
void test_emit_lifecycle(test_state *st, test_domain *dom, int event, int detail);

#endif
