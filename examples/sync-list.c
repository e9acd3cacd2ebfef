/*
 * sync-list: the synchronous API in thirty lines.  Opens a connection,
 * lists every domain with its state and memory, closes.
 *   ./sync-list [URI]        (default: $EVIRT_DEFAULT_URI or test:///default)
 */
#include <stdio.h>
#include <stdlib.h>
#include <evirt/evirt.h>

int main(int argc, char **argv)
{
    evirt_conn *conn = evirt_conn_open(argc > 1 ? argv[1] : NULL);
    if (!conn) {
        fprintf(stderr, "open: %s\n", evirt_last_error()->message);
        return 1;
    }
    evirt_domain **doms;
    int n = evirt_conn_list_all_domains(conn, 0, &doms);
    if (n < 0) {
        fprintf(stderr, "list: %s\n", evirt_last_error()->message);
        evirt_conn_close(conn);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        evirt_domain_info info;
        if (evirt_domain_get_info(doms[i], &info) == 0)
            printf("%-20s state=%d vcpus=%u memory=%lu KiB\n",
                   evirt_domain_get_name(doms[i]), info.state,
                   info.nr_virt_cpu, info.memory);
    }
    evirt_domain_list_free(doms, n);
    evirt_conn_close(conn);
    return 0;
}
