/*
 * drivers/test/test-domain-seclabel.c - the security label of a test
 * domain.
 *
 * The test host reports the security model "testSecurity" (test-host.c);
 * libvirt's test driver gives every domain the same enforced label,
 * "libvirt-test", running or not, and `virsh dominfo` prints it.  We
 * answer the same so that output matches.
 */
#include <config.h>

#include <string.h>

#include "drivers/test/test-domain-seclabel.h"
#include "drivers/test/test-state.h"

void test_domain_get_security_label(evirt_op *op, evirt_domain *d)
{
    if (!test_domain_from_handle(op, d))
        return;
    evirt_security_label l;
    memset(&l, 0, sizeof(l));
    strcpy(l.label, "libvirt-test");
    l.enforcing = 1;
    evirt_op_return_struct(op, &l, sizeof(l));
}
