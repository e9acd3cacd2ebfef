/*
 * rpc/remote-conv.c - evirt values <-> remote.x wire structs.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/remote-conv.h"
#include "api/object-private.h"
#include "api/handles-private.h"
#include "api/error-private.h"

/* ------------------------------------------------------------ handles */

evirt_domain *evirt_remote_dom_in(evirt_conn *conn, const evirt_remote_dom *w)
{
    return evirt_domain_new_handle(conn, w->name, (const unsigned char *)w->uuid, w->id);
}

evirt_network *evirt_remote_net_in(evirt_conn *conn, const evirt_remote_net *w)
{
    return evirt_network_new_handle(conn, w->name, (const unsigned char *)w->uuid,
                                    NULL, NULL);
}

evirt_storage_pool *evirt_remote_pool_in(evirt_conn *conn, const evirt_remote_pool *w)
{
    return evirt_storage_pool_new_handle(conn, w->name, (const unsigned char *)w->uuid,
                                         NULL, NULL);
}

evirt_storage_vol *evirt_remote_vol_in(evirt_conn *conn, const evirt_remote_vol *w)
{
    return evirt_storage_vol_new_handle(conn, w->name, NULL, w->key, w->pool);
}

evirt_interface *evirt_remote_iface_in(evirt_conn *conn, const evirt_remote_iface *w)
{
    return evirt_interface_new_handle(conn, w->name, NULL, w->mac, NULL);
}

evirt_nodedev *evirt_remote_nodedev_in(evirt_conn *conn, const evirt_remote_nodedev *w)
{
    return evirt_nodedev_new_handle(conn, w->name, NULL, NULL, NULL);
}

evirt_nodedev *evirt_remote_nodedev_name_in(evirt_conn *conn, const char *name)
{
    return evirt_nodedev_new_handle(conn, name, NULL, NULL, NULL);
}

/* Borrows s (copy 0) or duplicates it; a NULL string goes out as "". */
static int str_set(char **dst, const char *s, int copy)
{
    if (!s)
        s = "";
    if (!copy) {
        *dst = (char *)s;
        return 0;
    }
    *dst = strdup(s);
    return *dst ? 0 : -1;
}

int evirt_remote_dom_out(evirt_remote_dom *w, evirt_domain *d, int copy)
{
    memcpy(w->uuid, d->uuid, 16);
    w->id = d->id;
    return str_set(&w->name, d->name, copy);
}

static int handle_out(char **name, char *uuid, const evirt_handle *h, int copy)
{
    if (uuid)
        memcpy(uuid, h->uuid, 16);
    return str_set(name, h->name, copy);
}

int evirt_remote_net_out(evirt_remote_net *w, evirt_network *n, int copy)
{
    return handle_out(&w->name, w->uuid, &n->h, copy);
}

int evirt_remote_pool_out(evirt_remote_pool *w, evirt_storage_pool *p, int copy)
{
    return handle_out(&w->name, w->uuid, &p->h, copy);
}

int evirt_remote_vol_out(evirt_remote_vol *w, evirt_storage_vol *v, int copy)
{
    if (handle_out(&w->name, NULL, &v->h, copy) < 0 ||
        str_set(&w->key, v->h.extra1, copy) < 0 ||
        str_set(&w->pool, v->h.extra2, copy) < 0)
        return -1;
    return 0;
}

int evirt_remote_iface_out(evirt_remote_iface *w, evirt_interface *i, int copy)
{
    if (handle_out(&w->name, NULL, &i->h, copy) < 0 ||
        str_set(&w->mac, i->h.extra1, copy) < 0)
        return -1;
    return 0;
}

int evirt_remote_nodedev_out(evirt_remote_nodedev *w, evirt_nodedev *d, int copy)
{
    return handle_out(&w->name, NULL, &d->h, copy);
}

/* ------------------------------------------------------- list elements */

int evirt_remote_str_in(char **out, char *const *w)
{
    *out = strdup(*w ? *w : "");
    return *out ? 0 : -1;
}

int evirt_remote_str_out(char **w, char *const *in)
{
    return str_set(w, *in, 1);
}

int evirt_remote_typed_param_in(evirt_typed_param *out, const evirt_remote_typed_param *w,
                                evirt_error *err)
{
    const evirt_remote_typed_param_value *v = &w->value;

    memset(out, 0, sizeof(*out));
    if (strlen(w->field) >= EVIRT_TYPED_PARAM_FIELD_LENGTH) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                        "parameter %s too big for destination", w->field);
        return -1;
    }
    strcpy(out->field, w->field);
    out->type = v->type;
    switch (v->type) {
    case EVIRT_TYPED_PARAM_INT:
        out->value.i = v->evirt_remote_typed_param_value_u.i;
        break;
    case EVIRT_TYPED_PARAM_UINT:
        out->value.ui = v->evirt_remote_typed_param_value_u.ui;
        break;
    case EVIRT_TYPED_PARAM_LLONG:
        out->value.l = v->evirt_remote_typed_param_value_u.l;
        break;
    case EVIRT_TYPED_PARAM_ULLONG:
        out->value.ul = v->evirt_remote_typed_param_value_u.ul;
        break;
    case EVIRT_TYPED_PARAM_DOUBLE:
        out->value.d = v->evirt_remote_typed_param_value_u.d;
        break;
    case EVIRT_TYPED_PARAM_BOOLEAN:
        out->value.b = v->evirt_remote_typed_param_value_u.b != 0;
        break;
    case EVIRT_TYPED_PARAM_STRING:
        if (!(out->value.s = strdup(v->evirt_remote_typed_param_value_u.s))) {
            evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
            return -1;
        }
        break;
    default:
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "unknown parameter type: %d", v->type);
        return -1;
    }
    return 0;
}

int evirt_remote_typed_param_out(evirt_remote_typed_param *w, const evirt_typed_param *in,
                                 evirt_error *err)
{
    evirt_remote_typed_param_value *v = &w->value;

    memset(w, 0, sizeof(*w));
    v->type = in->type;
    switch (in->type) {
    case EVIRT_TYPED_PARAM_INT:
        v->evirt_remote_typed_param_value_u.i = in->value.i;
        break;
    case EVIRT_TYPED_PARAM_UINT:
        v->evirt_remote_typed_param_value_u.ui = in->value.ui;
        break;
    case EVIRT_TYPED_PARAM_LLONG:
        v->evirt_remote_typed_param_value_u.l = in->value.l;
        break;
    case EVIRT_TYPED_PARAM_ULLONG:
        v->evirt_remote_typed_param_value_u.ul = in->value.ul;
        break;
    case EVIRT_TYPED_PARAM_DOUBLE:
        v->evirt_remote_typed_param_value_u.d = in->value.d;
        break;
    case EVIRT_TYPED_PARAM_BOOLEAN:
        v->evirt_remote_typed_param_value_u.b = in->value.b != 0;
        break;
    case EVIRT_TYPED_PARAM_STRING:
        if (!(v->evirt_remote_typed_param_value_u.s = strdup(in->value.s ? in->value.s : "")))
            goto oom;
        break;
    default:
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "unknown parameter type: %d", in->type);
        return -1;
    }
    if (!(w->field = strndup(in->field, EVIRT_TYPED_PARAM_FIELD_LENGTH - 1)))
        goto oom;
    return 0;

 oom:
    xdr_free((xdrproc_t)xdr_evirt_remote_typed_param, (char *)w);
    memset(w, 0, sizeof(*w));
    evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
    return -1;
}

int evirt_remote_node_stat_in(evirt_typed_param *out, const evirt_remote_node_stat *w,
                              evirt_error *err)
{
    memset(out, 0, sizeof(*out));
    if (strlen(w->field) >= EVIRT_TYPED_PARAM_FIELD_LENGTH) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                        "Stats %s too big for destination", w->field);
        return -1;
    }
    strcpy(out->field, w->field);
    out->type = EVIRT_TYPED_PARAM_ULLONG;
    out->value.ul = w->value;
    return 0;
}

int evirt_remote_node_stat_out(evirt_remote_node_stat *w, const evirt_typed_param *in,
                               evirt_error *err)
{
    switch (in->type) {
    case EVIRT_TYPED_PARAM_INT: w->value = (u_quad_t)in->value.i; break;
    case EVIRT_TYPED_PARAM_UINT: w->value = in->value.ui; break;
    case EVIRT_TYPED_PARAM_LLONG: w->value = (u_quad_t)in->value.l; break;
    case EVIRT_TYPED_PARAM_ULLONG: w->value = in->value.ul; break;
    default:
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "statistic %s is not an integer", in->field);
        return -1;
    }
    if (!(w->field = strndup(in->field, EVIRT_TYPED_PARAM_FIELD_LENGTH - 1))) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    return 0;
}

int evirt_remote_vcpu_info_in(evirt_vcpu_info *out, const evirt_remote_vcpu_info *w)
{
    out->number = w->number;
    out->state = w->state;
    out->cpu_time = w->cpu_time;
    out->cpu = w->cpu;
    return 0;
}

int evirt_remote_vcpu_info_out(evirt_remote_vcpu_info *w, const evirt_vcpu_info *in)
{
    w->number = in->number;
    w->state = in->state;
    w->cpu_time = in->cpu_time;
    w->cpu = in->cpu;
    return 0;
}

int evirt_remote_domain_memory_stat_in(evirt_domain_memory_stat *out,
                                       const evirt_remote_domain_memory_stat *w)
{
    out->tag = w->tag;
    out->val = w->val;
    return 0;
}

int evirt_remote_domain_memory_stat_out(evirt_remote_domain_memory_stat *w,
                                        const evirt_domain_memory_stat *in)
{
    w->tag = in->tag;
    w->val = in->val;
    return 0;
}

/* Copies a string into a fixed buffer, truncating; NULL gives "". */
static void str_to_buf(char *buf, size_t size, const char *s)
{
    size_t n;

    if (!s)
        s = "";
    n = strlen(s);
    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

/* An owned optional wire string from a buffer; empty means absent. */
static int buf_to_ostr(evirt_remote_ostr *w, const char *buf)
{
    *w = NULL;
    if (!buf[0])
        return 0;
    if (!(*w = malloc(sizeof(**w))))
        return -1;
    if (!(**w = strdup(buf))) {
        free(*w);
        *w = NULL;
        return -1;
    }
    return 0;
}

int evirt_remote_network_dhcp_lease_in(evirt_network_dhcp_lease *out,
                                       const evirt_remote_network_dhcp_lease *w)
{
#define OSTR(x) ((x) ? *(x) : NULL)
    memset(out, 0, sizeof(*out));
    str_to_buf(out->iface, sizeof(out->iface), w->iface);
    out->expirytime = w->expirytime;
    out->type = w->type;
    str_to_buf(out->mac, sizeof(out->mac), OSTR(w->mac));
    str_to_buf(out->iaid, sizeof(out->iaid), OSTR(w->iaid));
    str_to_buf(out->ipaddr, sizeof(out->ipaddr), w->ipaddr);
    out->prefix = w->prefix;
    str_to_buf(out->hostname, sizeof(out->hostname), OSTR(w->hostname));
    str_to_buf(out->clientid, sizeof(out->clientid), OSTR(w->clientid));
#undef OSTR
    return 0;
}

int evirt_remote_network_dhcp_lease_out(evirt_remote_network_dhcp_lease *w,
                                        const evirt_network_dhcp_lease *in)
{
    memset(w, 0, sizeof(*w));
    w->expirytime = in->expirytime;
    w->type = in->type;
    w->prefix = in->prefix;
    if (!(w->iface = strdup(in->iface)) || !(w->ipaddr = strdup(in->ipaddr)) ||
        buf_to_ostr(&w->mac, in->mac) < 0 || buf_to_ostr(&w->iaid, in->iaid) < 0 ||
        buf_to_ostr(&w->hostname, in->hostname) < 0 ||
        buf_to_ostr(&w->clientid, in->clientid) < 0) {
        xdr_free((xdrproc_t)xdr_evirt_remote_network_dhcp_lease, (char *)w);
        memset(w, 0, sizeof(*w));
        return -1;
    }
    return 0;
}

int evirt_remote_typed_params_out(evirt_remote_typed_param **val, u_int *len,
                                  const evirt_typed_param *params, int n,
                                  evirt_error *err)
{
    *val = NULL;
    *len = 0;
    if (n <= 0)
        return 0;
    if (!(*val = calloc((size_t)n, sizeof(**val)))) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (evirt_remote_typed_param_out(&(*val)[i], &params[i], err) < 0) {
            evirt_remote_typed_params_free(*val, *len);
            *val = NULL;
            *len = 0;
            return -1;
        }
        (*len)++;
    }
    return 0;
}

void evirt_remote_typed_params_free(evirt_remote_typed_param *val, u_int len)
{
    for (u_int i = 0; i < len; i++)
        xdr_free((xdrproc_t)xdr_evirt_remote_typed_param, (char *)&val[i]);
    free(val);
}

/* ------------------------------------------------------ result structs */

void evirt_remote_node_info_in(evirt_node_info *out, const evirt_remote_node_get_info_ret *w)
{
    memcpy(out->model, w->model, sizeof(out->model));
    out->model[sizeof(out->model) - 1] = '\0';
    out->memory = (unsigned long)w->memory;
    out->cpus = (unsigned int)w->cpus;
    out->mhz = (unsigned int)w->mhz;
    out->nodes = (unsigned int)w->nodes;
    out->sockets = (unsigned int)w->sockets;
    out->cores = (unsigned int)w->cores;
    out->threads = (unsigned int)w->threads;
}

int evirt_remote_node_info_out(evirt_remote_node_get_info_ret *w, const evirt_node_info *in)
{
    memcpy(w->model, in->model, sizeof(w->model));
    w->memory = in->memory;
    w->cpus = (int)in->cpus;
    w->mhz = (int)in->mhz;
    w->nodes = (int)in->nodes;
    w->sockets = (int)in->sockets;
    w->cores = (int)in->cores;
    w->threads = (int)in->threads;
    return 0;
}

/* A char<N> wire array (NUL counted) into a fixed C string buffer. */
static void chars_to_buf(char *buf, size_t size, const char *val, u_int len)
{
    size_t n = len;
    if (n >= size)
        n = size - 1;
    memcpy(buf, val, n);
    buf[n] = '\0';
}

/* A C string into an owned char<N> wire array whose count includes the NUL. */
static int buf_to_chars(char **val, u_int *len, const char *buf, size_t size)
{
    size_t n = strnlen(buf, size - 1);
    if (!(*val = malloc(n + 1)))
        return -1;
    memcpy(*val, buf, n);
    (*val)[n] = '\0';
    *len = (u_int)n + 1;
    return 0;
}

void evirt_remote_security_model_in(evirt_security_model *out,
                                    const evirt_remote_node_get_security_model_ret *w)
{
    chars_to_buf(out->model, sizeof(out->model), w->model.model_val, w->model.model_len);
    chars_to_buf(out->doi, sizeof(out->doi), w->doi.doi_val, w->doi.doi_len);
}

int evirt_remote_security_model_out(evirt_remote_node_get_security_model_ret *w,
                                    const evirt_security_model *in)
{
    if (buf_to_chars(&w->model.model_val, &w->model.model_len, in->model,
                     sizeof(in->model)) < 0 ||
        buf_to_chars(&w->doi.doi_val, &w->doi.doi_len, in->doi, sizeof(in->doi)) < 0)
        return -1;
    return 0;
}

void evirt_remote_security_label_in(evirt_security_label *out,
                                    const evirt_remote_domain_get_security_label_ret *w)
{
    chars_to_buf(out->label, sizeof(out->label), w->label.label_val, w->label.label_len);
    out->enforcing = w->enforcing;
}

int evirt_remote_security_label_out(evirt_remote_domain_get_security_label_ret *w,
                                    const evirt_security_label *in)
{
    if (buf_to_chars(&w->label.label_val, &w->label.label_len, in->label,
                     sizeof(in->label)) < 0)
        return -1;
    w->enforcing = in->enforcing;
    return 0;
}

void evirt_remote_node_cpu_map_in(evirt_node_cpu_map *out,
                                  const evirt_remote_node_get_cpu_map_ret *w)
{
    size_t n = w->cpumap.cpumap_len;
    if (n > sizeof(out->map))
        n = sizeof(out->map);
    memset(out, 0, sizeof(*out));
    out->ncpus = w->ret;
    out->online = w->online;
    memcpy(out->map, w->cpumap.cpumap_val, n);
}

int evirt_remote_node_cpu_map_out(evirt_remote_node_get_cpu_map_ret *w,
                                  const evirt_node_cpu_map *in)
{
    size_t n = in->ncpus > 0 ? ((size_t)in->ncpus + 7) / 8 : 0;
    if (n > sizeof(in->map))
        n = sizeof(in->map);
    w->ret = in->ncpus;
    w->online = in->online;
    w->cpumap.cpumap_len = (u_int)n;
    if (!n)
        return 0;
    if (!(w->cpumap.cpumap_val = malloc(n)))
        return -1;
    memcpy(w->cpumap.cpumap_val, in->map, n);
    return 0;
}

void evirt_remote_domain_info_in(evirt_domain_info *out, const evirt_remote_domain_get_info_ret *w)
{
    out->state = w->state;
    out->max_mem = (unsigned long)w->maxMem;
    out->memory = (unsigned long)w->memory;
    out->nr_virt_cpu = w->nrVirtCpu;
    out->cpu_time = w->cpuTime;
}

int evirt_remote_domain_info_out(evirt_remote_domain_get_info_ret *w, const evirt_domain_info *in)
{
    w->state = in->state;
    w->maxMem = in->max_mem;
    w->memory = in->memory;
    w->nrVirtCpu = in->nr_virt_cpu;
    w->cpuTime = in->cpu_time;
    return 0;
}

void evirt_remote_domain_state_info_in(evirt_domain_state_info *out,
                                       const evirt_remote_domain_get_state_ret *w)
{
    out->state = w->state;
    out->reason = w->reason;
}

int evirt_remote_domain_state_info_out(evirt_remote_domain_get_state_ret *w,
                                       const evirt_domain_state_info *in)
{
    w->state = in->state;
    w->reason = in->reason;
    return 0;
}

void evirt_remote_domain_time_in(evirt_domain_time *out, const evirt_remote_domain_get_time_ret *w)
{
    out->seconds = w->seconds;
    out->nseconds = w->nseconds;
}

int evirt_remote_domain_time_out(evirt_remote_domain_get_time_ret *w, const evirt_domain_time *in)
{
    w->seconds = in->seconds;
    w->nseconds = in->nseconds;
    return 0;
}

void evirt_remote_block_stats_in(evirt_block_stats *out,
                                 const evirt_remote_domain_block_stats_ret *w)
{
    out->rd_req = w->rd_req;
    out->rd_bytes = w->rd_bytes;
    out->wr_req = w->wr_req;
    out->wr_bytes = w->wr_bytes;
    out->errs = w->errs;
}

int evirt_remote_block_stats_out(evirt_remote_domain_block_stats_ret *w,
                                 const evirt_block_stats *in)
{
    w->rd_req = in->rd_req;
    w->rd_bytes = in->rd_bytes;
    w->wr_req = in->wr_req;
    w->wr_bytes = in->wr_bytes;
    w->errs = in->errs;
    return 0;
}

void evirt_remote_interface_stats_in(evirt_interface_stats *out,
                                     const evirt_remote_domain_interface_stats_ret *w)
{
    out->rx_bytes = w->rx_bytes;
    out->rx_packets = w->rx_packets;
    out->rx_errs = w->rx_errs;
    out->rx_drop = w->rx_drop;
    out->tx_bytes = w->tx_bytes;
    out->tx_packets = w->tx_packets;
    out->tx_errs = w->tx_errs;
    out->tx_drop = w->tx_drop;
}

int evirt_remote_interface_stats_out(evirt_remote_domain_interface_stats_ret *w,
                                     const evirt_interface_stats *in)
{
    w->rx_bytes = in->rx_bytes;
    w->rx_packets = in->rx_packets;
    w->rx_errs = in->rx_errs;
    w->rx_drop = in->rx_drop;
    w->tx_bytes = in->tx_bytes;
    w->tx_packets = in->tx_packets;
    w->tx_errs = in->tx_errs;
    w->tx_drop = in->tx_drop;
    return 0;
}

void evirt_remote_domain_block_job_info_in(evirt_domain_block_job_info *out,
                                           const evirt_remote_domain_get_block_job_info_ret *w)
{
    memset(out, 0, sizeof(*out));
    out->active = w->found;
    if (!w->found)
        return;
    out->type = w->type;
    out->bandwidth = (unsigned long)w->bandwidth;
    out->cur = w->cur;
    out->end = w->end;
}

int evirt_remote_domain_block_job_info_out(evirt_remote_domain_get_block_job_info_ret *w,
                                           const evirt_domain_block_job_info *in)
{
    w->found = in->active != 0;
    w->type = in->type;
    w->bandwidth = in->bandwidth;
    w->cur = in->cur;
    w->end = in->end;
    return 0;
}

void evirt_remote_storage_pool_info_in(evirt_storage_pool_info *out,
                                       const evirt_remote_storage_pool_get_info_ret *w)
{
    out->state = w->state;
    out->capacity = w->capacity;
    out->allocation = w->allocation;
    out->available = w->available;
}

int evirt_remote_storage_pool_info_out(evirt_remote_storage_pool_get_info_ret *w,
                                       const evirt_storage_pool_info *in)
{
    w->state = (u_char)in->state;
    w->capacity = in->capacity;
    w->allocation = in->allocation;
    w->available = in->available;
    return 0;
}

void evirt_remote_storage_vol_info_in(evirt_storage_vol_info *out,
                                      const evirt_remote_storage_vol_get_info_ret *w)
{
    out->type = w->type;
    out->capacity = w->capacity;
    out->allocation = w->allocation;
}

int evirt_remote_storage_vol_info_out(evirt_remote_storage_vol_get_info_ret *w,
                                      const evirt_storage_vol_info *in)
{
    w->type = (char)in->type;
    w->capacity = in->capacity;
    w->allocation = in->allocation;
    return 0;
}

int evirt_remote_domain_get_vcpus_post(const evirt_remote_domain_get_vcpus_args *args,
                                       evirt_remote_domain_get_vcpus_ret *ret)
{
    size_t n;

    if (args->maplen <= 0 || ret->info.info_len == 0)
        return 0;
    n = (size_t)ret->info.info_len * (size_t)args->maplen;
    if (n > EVIRT_REMOTE_CPUMAPS_MAX)
        return -1;
    if (!(ret->cpumaps.cpumaps_val = malloc(n)))
        return -1;
    memset(ret->cpumaps.cpumaps_val, 0xff, n);
    ret->cpumaps.cpumaps_len = (u_int)n;
    return 0;
}

/* -------------------------------------------------------------- freers */

void evirt_remote_free_plain(void *p, int n)
{
    (void)n;
    free(p);
}

void evirt_remote_free_strings(void *p, int n)
{
    evirt_string_list_free(p, n);
}

void evirt_remote_free_params(void *p, int n)
{
    evirt_typed_params_free(p, n);
}

#define FREERS(type)                                          \
    void evirt_remote_free_##type(void *p, int n)             \
    {                                                         \
        (void)n;                                              \
        evirt_##type##_unref(p);                              \
    }                                                         \
    void evirt_remote_free_##type##_list(void *p, int n)      \
    {                                                         \
        evirt_##type##_list_free(p, n);                       \
    }

FREERS(domain)
FREERS(network)
FREERS(storage_pool)
FREERS(storage_vol)
FREERS(interface)
FREERS(nodedev)
