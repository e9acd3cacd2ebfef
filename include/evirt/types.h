/*
 * evirt/types.h - the objects and the plain result structs of the API.
 *
 * Objects are opaque and reference counted; every object holds a
 * reference on its connection.  Result structs are plain data filled by
 * the _finish functions; the caller owns them.
 */
#ifndef EVIRT_TYPES_H
#define EVIRT_TYPES_H

#include <evirt/common.h>
#include <evirt/enums.h>

EVIRT_BEGIN_DECLS

typedef struct evirt_conn evirt_conn;
typedef struct evirt_domain evirt_domain;
typedef struct evirt_network evirt_network;
typedef struct evirt_storage_pool evirt_storage_pool;
typedef struct evirt_storage_vol evirt_storage_vol;
typedef struct evirt_interface evirt_interface;
typedef struct evirt_nodedev evirt_nodedev;

/* Host facts (libvirt's virNodeInfo). */
typedef struct evirt_node_info {
    char model[32];          /* CPU model */
    unsigned long memory;    /* KiB */
    unsigned int cpus;       /* active CPUs */
    unsigned int mhz;
    unsigned int nodes;      /* NUMA cells */
    unsigned int sockets;    /* per node */
    unsigned int cores;      /* per socket */
    unsigned int threads;    /* per core */
} evirt_node_info;

typedef struct evirt_security_model {
    char model[257];
    char doi[257];
} evirt_security_model;

/* A domain's security label (libvirt's virSecurityLabel layout). */
typedef struct evirt_security_label {
    char label[4097];        /* "" when the domain has none */
    int enforcing;           /* 1: the label is enforced */
} evirt_security_label;

/* The host's CPUs: map has a bit per CPU, set when online. */
typedef struct evirt_node_cpu_map {
    int ncpus;
    unsigned int online;
    unsigned char map[128];
} evirt_node_cpu_map;

/* A typed parameter (libvirt's virTypedParameter): a named value. */
#define EVIRT_TYPED_PARAM_FIELD_LENGTH 80
typedef struct evirt_typed_param {
    char field[EVIRT_TYPED_PARAM_FIELD_LENGTH];
    int type; /* evirt_typed_parameter_type */
    union {
        int i;
        unsigned int ui;
        long long l;
        unsigned long long ul;
        double d;
        char b;
        char *s; /* owned by the array; evirt_typed_params_free frees it */
    } value;
} evirt_typed_param;

/* Frees an array of n typed params and the strings they hold. */
EVIRT_API void evirt_typed_params_free(evirt_typed_param *params, int n);
/* Frees an array of n strings and the array. */
EVIRT_API void evirt_string_list_free(char **list, int n);

/* Domain facts (libvirt's virDomainInfo). */
typedef struct evirt_domain_info {
    unsigned char state;     /* evirt_domain_state */
    unsigned long max_mem;   /* KiB */
    unsigned long memory;    /* KiB */
    unsigned short nr_virt_cpu;
    unsigned long long cpu_time; /* ns */
} evirt_domain_info;

typedef struct evirt_domain_state_info {
    int state;  /* evirt_domain_state */
    int reason; /* the evirt_domain_*_reason of that state */
} evirt_domain_state_info;

typedef struct evirt_domain_time {
    long long seconds;
    unsigned int nseconds;
} evirt_domain_time;

typedef struct evirt_vcpu_info {
    unsigned int number;
    int state;               /* evirt_vcpu_state */
    unsigned long long cpu_time; /* ns */
    int cpu;                 /* host CPU, -1 when offline */
} evirt_vcpu_info;

/* libvirt's virDomainBlockStatsStruct: -1 for what is not known. */
typedef struct evirt_block_stats {
    long long rd_req;
    long long rd_bytes;
    long long wr_req;
    long long wr_bytes;
    long long errs;
} evirt_block_stats;

/* libvirt's virDomainInterfaceStatsStruct. */
typedef struct evirt_interface_stats {
    long long rx_bytes;
    long long rx_packets;
    long long rx_errs;
    long long rx_drop;
    long long tx_bytes;
    long long tx_packets;
    long long tx_errs;
    long long tx_drop;
} evirt_interface_stats;

typedef struct evirt_domain_memory_stat {
    int tag; /* evirt_domain_memory_stat_tags */
    unsigned long long val;
} evirt_domain_memory_stat;

/* A block job (libvirt's virDomainBlockJobInfo); active is 0 when none. */
typedef struct evirt_domain_block_job_info {
    int active;
    int type; /* evirt_domain_block_job_type */
    unsigned long bandwidth; /* MiB/s */
    unsigned long long cur;
    unsigned long long end;
} evirt_domain_block_job_info;

/* A DHCP lease of a virtual network (libvirt's virNetworkDHCPLease). */
typedef struct evirt_network_dhcp_lease {
    char iface[64];
    long long expirytime;   /* seconds since the epoch */
    int type;               /* evirt_ip_addr_type */
    char mac[32];
    char iaid[64];          /* DHCPv6 only, else empty */
    char ipaddr[64];
    unsigned int prefix;
    char hostname[256];     /* may be empty */
    char clientid[256];     /* may be empty */
} evirt_network_dhcp_lease;

typedef struct evirt_storage_pool_info {
    int state;                    /* evirt_storage_pool_state */
    unsigned long long capacity;  /* bytes */
    unsigned long long allocation;
    unsigned long long available;
} evirt_storage_pool_info;

typedef struct evirt_storage_vol_info {
    int type;                     /* evirt_storage_vol_type */
    unsigned long long capacity;  /* bytes */
    unsigned long long allocation;
} evirt_storage_vol_info;

EVIRT_END_DECLS

#endif
