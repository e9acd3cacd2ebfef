/*
 * rpc/remote-conv.h - moving values between evirt's types and the wire
 * structs of rpc/protocol/remote.x.
 *
 * The generated glue (drivers/remote/remote-stubs.c, daemon/remote-dispatch.c)
 * only knows shapes; every conversion of data lives here, in plain C.
 *
 * Naming: evirt_remote_K_in() makes the evirt value from the wire one,
 * evirt_remote_K_out() fills the wire value from the evirt one.  _out with
 * copy 0 borrows the evirt object's strings (for call arguments, encoded
 * at once and never freed); copy 1 makes owned copies that xdr_free()
 * releases (for replies).  Functions returning int give 0, or -1 when
 * memory runs out or the value does not fit (then err, when given, says
 * why).  No function here touches the loop: any thread.
 */
#ifndef EVIRT_RPC_REMOTE_CONV_H
#define EVIRT_RPC_REMOTE_CONV_H

#include <evirt/evirt.h>
#include "rpc/remote-xdr.h"

/* ---- object handles: _in returns a new reference, NULL on OOM ---- */
evirt_domain *evirt_remote_dom_in(evirt_conn *conn, const evirt_remote_dom *w);
evirt_network *evirt_remote_net_in(evirt_conn *conn, const evirt_remote_net *w);
evirt_storage_pool *evirt_remote_pool_in(evirt_conn *conn, const evirt_remote_pool *w);
evirt_storage_vol *evirt_remote_vol_in(evirt_conn *conn, const evirt_remote_vol *w);
evirt_interface *evirt_remote_iface_in(evirt_conn *conn, const evirt_remote_iface *w);
evirt_nodedev *evirt_remote_nodedev_in(evirt_conn *conn, const evirt_remote_nodedev *w);
/* Node devices travel by name alone in most calls. */
evirt_nodedev *evirt_remote_nodedev_name_in(evirt_conn *conn, const char *name);

int evirt_remote_dom_out(evirt_remote_dom *w, evirt_domain *d, int copy);
int evirt_remote_net_out(evirt_remote_net *w, evirt_network *n, int copy);
int evirt_remote_pool_out(evirt_remote_pool *w, evirt_storage_pool *p, int copy);
int evirt_remote_vol_out(evirt_remote_vol *w, evirt_storage_vol *v, int copy);
int evirt_remote_iface_out(evirt_remote_iface *w, evirt_interface *i, int copy);
int evirt_remote_nodedev_out(evirt_remote_nodedev *w, evirt_nodedev *d, int copy);

/* ---- list elements (always owned copies) ---- */
int evirt_remote_str_in(char **out, char *const *w);
int evirt_remote_str_out(char **w, char *const *in);
int evirt_remote_typed_param_in(evirt_typed_param *out, const evirt_remote_typed_param *w,
                                evirt_error *err);
int evirt_remote_typed_param_out(evirt_remote_typed_param *w, const evirt_typed_param *in,
                                 evirt_error *err);
/* Node CPU / memory statistics are name + u64 on the wire, ULLONG params here. */
int evirt_remote_node_stat_in(evirt_typed_param *out, const evirt_remote_node_stat *w,
                              evirt_error *err);
int evirt_remote_node_stat_out(evirt_remote_node_stat *w, const evirt_typed_param *in,
                               evirt_error *err);
int evirt_remote_vcpu_info_in(evirt_vcpu_info *out, const evirt_remote_vcpu_info *w);
int evirt_remote_vcpu_info_out(evirt_remote_vcpu_info *w, const evirt_vcpu_info *in);
int evirt_remote_domain_memory_stat_in(evirt_domain_memory_stat *out,
                                       const evirt_remote_domain_memory_stat *w);
int evirt_remote_domain_memory_stat_out(evirt_remote_domain_memory_stat *w,
                                        const evirt_domain_memory_stat *in);
int evirt_remote_network_dhcp_lease_in(evirt_network_dhcp_lease *out,
                                       const evirt_remote_network_dhcp_lease *w);
int evirt_remote_network_dhcp_lease_out(evirt_remote_network_dhcp_lease *w,
                                        const evirt_network_dhcp_lease *in);

/* A whole typed parameter array to the wire (owned; free with xdr_free
 * of the enclosing struct or evirt_remote_typed_params_free). */
int evirt_remote_typed_params_out(evirt_remote_typed_param **val, u_int *len,
                                  const evirt_typed_param *params, int n,
                                  evirt_error *err);
void evirt_remote_typed_params_free(evirt_remote_typed_param *val, u_int len);

/* ---- result structs: wire reply <-> evirt struct ---- */
void evirt_remote_node_info_in(evirt_node_info *out, const evirt_remote_node_get_info_ret *w);
int evirt_remote_node_info_out(evirt_remote_node_get_info_ret *w, const evirt_node_info *in);
void evirt_remote_security_model_in(evirt_security_model *out,
                                    const evirt_remote_node_get_security_model_ret *w);
int evirt_remote_security_model_out(evirt_remote_node_get_security_model_ret *w,
                                    const evirt_security_model *in);
void evirt_remote_security_label_in(evirt_security_label *out,
                                    const evirt_remote_domain_get_security_label_ret *w);
int evirt_remote_security_label_out(evirt_remote_domain_get_security_label_ret *w,
                                    const evirt_security_label *in);
void evirt_remote_node_cpu_map_in(evirt_node_cpu_map *out,
                                  const evirt_remote_node_get_cpu_map_ret *w);
int evirt_remote_node_cpu_map_out(evirt_remote_node_get_cpu_map_ret *w,
                                  const evirt_node_cpu_map *in);
void evirt_remote_domain_info_in(evirt_domain_info *out, const evirt_remote_domain_get_info_ret *w);
int evirt_remote_domain_info_out(evirt_remote_domain_get_info_ret *w, const evirt_domain_info *in);
void evirt_remote_domain_state_info_in(evirt_domain_state_info *out,
                                       const evirt_remote_domain_get_state_ret *w);
int evirt_remote_domain_state_info_out(evirt_remote_domain_get_state_ret *w,
                                       const evirt_domain_state_info *in);
void evirt_remote_domain_time_in(evirt_domain_time *out, const evirt_remote_domain_get_time_ret *w);
int evirt_remote_domain_time_out(evirt_remote_domain_get_time_ret *w, const evirt_domain_time *in);
void evirt_remote_block_stats_in(evirt_block_stats *out,
                                 const evirt_remote_domain_block_stats_ret *w);
int evirt_remote_block_stats_out(evirt_remote_domain_block_stats_ret *w,
                                 const evirt_block_stats *in);
void evirt_remote_interface_stats_in(evirt_interface_stats *out,
                                     const evirt_remote_domain_interface_stats_ret *w);
int evirt_remote_interface_stats_out(evirt_remote_domain_interface_stats_ret *w,
                                     const evirt_interface_stats *in);
void evirt_remote_domain_block_job_info_in(evirt_domain_block_job_info *out,
                                           const evirt_remote_domain_get_block_job_info_ret *w);
int evirt_remote_domain_block_job_info_out(evirt_remote_domain_get_block_job_info_ret *w,
                                           const evirt_domain_block_job_info *in);
void evirt_remote_storage_pool_info_in(evirt_storage_pool_info *out,
                                       const evirt_remote_storage_pool_get_info_ret *w);
int evirt_remote_storage_pool_info_out(evirt_remote_storage_pool_get_info_ret *w,
                                       const evirt_storage_pool_info *in);
void evirt_remote_storage_vol_info_in(evirt_storage_vol_info *out,
                                      const evirt_remote_storage_vol_get_info_ret *w);
int evirt_remote_storage_vol_info_out(evirt_remote_storage_vol_get_info_ret *w,
                                      const evirt_storage_vol_info *in);

/*
 * GET_VCPUS: the reply also carries maxinfo * maplen bytes of CPU maps.
 * evirt does not track pinning, so every vCPU may run on every host CPU
 * the map has room for (all bits set), as an unpinned guest would report.
 */
int evirt_remote_domain_get_vcpus_post(const evirt_remote_domain_get_vcpus_args *args,
                                       evirt_remote_domain_get_vcpus_ret *ret);

/* ---- op result freers (evirt_op_result_free_fn) ---- */
void evirt_remote_free_plain(void *p, int n);
void evirt_remote_free_strings(void *p, int n);
void evirt_remote_free_params(void *p, int n);
void evirt_remote_free_domain(void *p, int n);       /* one handle */
void evirt_remote_free_network(void *p, int n);
void evirt_remote_free_storage_pool(void *p, int n);
void evirt_remote_free_storage_vol(void *p, int n);
void evirt_remote_free_interface(void *p, int n);
void evirt_remote_free_nodedev(void *p, int n);
void evirt_remote_free_domain_list(void *p, int n);  /* arrays of handles */
void evirt_remote_free_network_list(void *p, int n);
void evirt_remote_free_storage_pool_list(void *p, int n);
void evirt_remote_free_storage_vol_list(void *p, int n);
void evirt_remote_free_interface_list(void *p, int n);
void evirt_remote_free_nodedev_list(void *p, int n);

#endif
