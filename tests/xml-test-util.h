/*
 * tests/xml-test-util.h - helpers the XML model tests (tests/test-*-xml.c)
 * share: reading a sample from tests/data and comparing texts.  Each
 * fails the running cmocka test itself.
 */
#ifndef EVIRT_TESTS_XML_TEST_UTIL_H
#define EVIRT_TESTS_XML_TEST_UTIL_H

#include <evirt/error.h>

/* The whole of TEST_DATA_DIR/<dir>/<name><ext> as a malloc'ed string the
 * caller frees. */
char *xml_test_read(const char *dir, const char *name, const char *ext);

/* needle occurs in haystack. */
void assert_contains(const char *haystack, const char *needle);

/* got equals want; what names the comparison in the failure. */
void assert_text(const char *got, const char *want, const char *what);

/* An input a parser must refuse, and the error it must give. */
typedef struct {
    const char *xml;
    int code;
    int domain;
    const char *message; /* a part of the message */
} bad_case;

/*
 * The parser refused c->xml (accepted is 0) and set err to c's code and
 * domain with a message containing c's.  Resets err.
 */
void check_refused(const bad_case *c, int accepted, evirt_error *err);

#endif /* EVIRT_TESTS_XML_TEST_UTIL_H */
