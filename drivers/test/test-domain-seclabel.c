/*
 * drivers/test/test-domain-seclabel.c - the security label of a test
 * domain.
 *
 * The test host reports the security model "testSecurity" (test-host.c);
 * like libvirt's test driver (checked against libvirtd 9.0), a running
 * domain has the enforced label "libvirt-test" and an inactive one has
 * none (an empty label, not enforcing), so `virsh dominfo` prints the
 * label line only for running domains.
 */
#include <config.h>

#include <string.h>

#include "drivers/test/test-domain-seclabel.h"
#include "drivers/test/test-state.h"

void test_domain_get_security_label(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    evirt_security_label l;
    memset(&l, 0, sizeof(l));
    if (test_domain_is_active(dom)) {
        strcpy(l.label, "libvirt-test");
        l.enforcing = 1;
    }
    evirt_op_return_struct(op, &l, sizeof(l));
}
