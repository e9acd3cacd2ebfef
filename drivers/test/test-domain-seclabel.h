/*
 * drivers/test/test-domain-seclabel.h - the test driver's security label.
 */
#ifndef EVIRT_TEST_DOMAIN_SECLABEL_H
#define EVIRT_TEST_DOMAIN_SECLABEL_H

#include "api/driver.h"

void test_domain_get_security_label(evirt_op *op, evirt_domain *d);

#endif
