/*
 * tests/test-rpc-message.c - packet framing, size limits, payload coding
 * and libvirt's error struct, checked against bytes libvirtd really sent.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rpc/message.h"
#include "api/error-private.h"

/* rpc-captures/18-hex-dumps.txt: libvirtd's REPLY/ERROR to DOMAIN_RESUME
 * of a running domain (also decoded in 04b-virsh-resume-error.txt). */
static const char resume_error_hex[] =
    "000000a820008086000000010000001c000000010000000700000001000000010000000c"
    "0000000100000028696e7465726e616c206572726f723a20646f6d61696e202774657374"
    "27206e6f742070617573656400000002000000000000000100000012696e7465726e616c"
    "206572726f723a20257300000000000100000018646f6d61696e20277465737427206e6f"
    "742070617573656400000000ffffffffffffffff00000000";

static size_t
unhex(const char *hex, unsigned char *out)
{
    size_t n = 0;

    for (; hex[0] && hex[1]; hex += 2) {
        unsigned v;

        sscanf(hex, "%2x", &v);
        out[n++] = (unsigned char)v;
    }
    return n;
}

static void
test_error_encode_matches_libvirtd(void **state)
{
    unsigned char want[256];
    size_t nwant = unhex(resume_error_hex, want);
    evirt_error e = {
        .code = 1, .domain = 12, .level = 2, .int1 = -1, .int2 = -1,
        .message = (char *)"internal error: domain 'test' not paused",
        .str1 = (char *)"internal error: %s",
        .str2 = (char *)"domain 'test' not paused",
    };
    evirt_rpc_header hdr = { 0x20008086, 1, 28, EVIRT_RPC_REPLY, 7,
                             EVIRT_RPC_STATUS_OK };
    evirt_rpc_buf buf = { 0 };
    evirt_error err = { 0 };

    (void)state;
    assert_int_equal(nwant, 168);
    assert_int_equal(evirt_rpc_message_encode_error(&buf, &hdr, &e, &err), 0);
    assert_int_equal(buf.len, nwant);
    assert_memory_equal(buf.data, want, nwant);
    evirt_rpc_buf_clear(&buf);
}

static void
test_error_decode_libvirtd_bytes(void **state)
{
    unsigned char pkt[256];
    size_t n = unhex(resume_error_hex, pkt);
    evirt_rpc_header hdr;
    evirt_error err = { 0 }, out = { 0 };

    (void)state;
    assert_int_equal(evirt_rpc_message_decode_header(pkt, n, &hdr, &err), 0);
    assert_int_equal(hdr.prog, 0x20008086);
    assert_int_equal(hdr.proc, 28);
    assert_int_equal(hdr.type, EVIRT_RPC_REPLY);
    assert_int_equal(hdr.serial, 7);
    assert_int_equal(hdr.status, EVIRT_RPC_STATUS_ERROR);
    assert_int_equal(evirt_rpc_error_decode(evirt_rpc_message_payload(pkt),
                                            evirt_rpc_message_payload_len(n),
                                            &out), 0);
    assert_int_equal(out.code, EVIRT_ERR_INTERNAL_ERROR);
    assert_int_equal(out.domain, 12);
    assert_int_equal(out.level, EVIRT_ERR_ERROR);
    assert_string_equal(out.message, "internal error: domain 'test' not paused");
    assert_string_equal(out.str1, "internal error: %s");
    assert_string_equal(out.str2, "domain 'test' not paused");
    assert_null(out.str3);
    assert_int_equal(out.int1, -1);
    assert_int_equal(out.int2, -1);
    evirt_error_reset(&out);
}

/* A peer may fill the legacy dom/net members: they are skipped, and what
 * follows them still decodes. */
static void
test_error_decode_skips_dom_and_net(void **state)
{
    char payload[512];
    XDR x;
    int code = 42, domain = 12, level = 2, one = 1, id = 3, m1 = -1;
    char *msg = (char *)"Domain not found", *name = (char *)"vm1";
    char uuid[16] = { 1, 2, 3 };
    evirt_error out = { 0 };
    u_int zero = 0;

    (void)state;
    xdrmem_create(&x, payload, sizeof(payload), XDR_ENCODE);
    assert_true(xdr_int(&x, &code) && xdr_int(&x, &domain));
    assert_true(xdr_int(&x, &one) && xdr_string(&x, &msg, 100));
    assert_true(xdr_int(&x, &level));
    assert_true(xdr_int(&x, &one) && xdr_string(&x, &name, 100) &&
                xdr_opaque(&x, uuid, 16) && xdr_int(&x, &id));       /* dom */
    assert_true(xdr_u_int(&x, &zero) && xdr_u_int(&x, &zero) &&
                xdr_int(&x, &one) && xdr_string(&x, &name, 100));    /* str1-3 */
    assert_true(xdr_int(&x, &m1) && xdr_int(&x, &id));
    assert_true(xdr_int(&x, &one) && xdr_string(&x, &name, 100) &&
                xdr_opaque(&x, uuid, 16));                           /* net */
    assert_int_equal(evirt_rpc_error_decode(payload, xdr_getpos(&x), &out), 0);
    assert_int_equal(out.code, 42);
    assert_string_equal(out.message, "Domain not found");
    assert_null(out.str1);
    assert_string_equal(out.str3, "vm1");
    assert_int_equal(out.int1, -1);
    assert_int_equal(out.int2, 3);
    evirt_error_reset(&out);

    /* cut short: an error saying so, no leak */
    assert_int_equal(evirt_rpc_error_decode(payload, 30, &out), -1);
    assert_int_equal(out.code, EVIRT_ERR_RPC);
    evirt_error_reset(&out);
}

static void
test_unknown_procedure_becomes_no_support(void **state)
{
    evirt_error e = { .code = EVIRT_ERR_RPC, .domain = EVIRT_FROM_RPC,
                      .level = EVIRT_ERR_ERROR,
                      .message = (char *)"unknown procedure: 999" };
    evirt_rpc_header hdr = { 0x20008086, 1, 999, EVIRT_RPC_REPLY, 0, 0 };
    evirt_rpc_buf buf = { 0 };
    evirt_error out = { 0 }, err = { 0 };

    (void)state;
    assert_int_equal(evirt_rpc_message_encode_error(&buf, &hdr, &e, &err), 0);
    assert_int_equal(evirt_rpc_error_decode(evirt_rpc_message_payload(buf.data),
                                            evirt_rpc_message_payload_len(buf.len),
                                            &out), 0);
    assert_int_equal(out.code, EVIRT_ERR_NO_SUPPORT);
    assert_string_equal(out.message, "unknown procedure: 999");
    evirt_error_reset(&out);
    evirt_rpc_buf_clear(&buf);
}

static void
test_length_limits(void **state)
{
    evirt_error err = { 0 };

    (void)state;
    assert_int_equal(evirt_rpc_message_check_length(27, &err), -1);
    assert_int_equal(err.code, EVIRT_ERR_RPC);
    assert_int_equal(err.domain, EVIRT_FROM_RPC);
    assert_non_null(strstr(err.message, "too small"));
    assert_int_equal(evirt_rpc_message_check_length(28, &err), 0);
    assert_int_equal(evirt_rpc_message_check_length(16777216 + 4, &err), 0);
    assert_int_equal(evirt_rpc_message_check_length(16777216 + 5, &err), -1);
    assert_non_null(strstr(err.message, "too large"));
    evirt_error_reset(&err);
}

/* A hostile length word is refused before anything is allocated. */
static void
test_reader_rejects_before_allocating(void **state)
{
    static const char huge[4] = { (char)0xff, (char)0xff, (char)0xff, (char)0xff };
    static const char tiny[4] = { 0, 0, 0, 27 };
    evirt_rpc_reader r;
    evirt_error err = { 0 };
    size_t used;

    (void)state;
    evirt_rpc_reader_init(&r);
    assert_int_equal(evirt_rpc_reader_feed(&r, huge, 4, &used, &err), -1);
    assert_int_equal(r.buf.cap, 0);
    assert_int_equal(err.code, EVIRT_ERR_RPC);
    evirt_rpc_reader_clear(&r);

    evirt_rpc_reader_init(&r);
    assert_int_equal(evirt_rpc_reader_feed(&r, tiny, 4, &used, &err), -1);
    assert_int_equal(r.buf.cap, 0);
    evirt_rpc_reader_clear(&r);
    evirt_error_reset(&err);
}

static void
test_encode_decode_payload_and_reassembly(void **state)
{
    evirt_rpc_header hdr = { 0x20008086, 1, 60, EVIRT_RPC_CALL, 5, 0 }, got;
    evirt_rpc_buf a = { 0 }, b = { 0 };
    evirt_error err = { 0 };
    char stream[128];
    evirt_rpc_reader r;
    size_t used, off, i, npk = 0;
    u_int v = 10, out = 0;

    (void)state;
    assert_int_equal(evirt_rpc_message_encode(&a, &hdr, (xdrproc_t)xdr_u_int, &v,
                                              &err), 0);
    assert_int_equal(a.len, 32);
    /* same bytes virsh sends for CONNECT_SUPPORTS_FEATURE(10) */
    assert_memory_equal(a.data, "\0\0\0\x20\x20\0\x80\x86\0\0\0\1\0\0\0\x3c"
                        "\0\0\0\0\0\0\0\5\0\0\0\0\0\0\0\x0a", 32);
    hdr.serial = 6;
    assert_int_equal(evirt_rpc_message_encode(&b, &hdr, NULL, NULL, &err), 0);
    assert_int_equal(b.len, 28);

    memcpy(stream, a.data, a.len);
    memcpy(stream + a.len, b.data, b.len);
    /* one byte at a time, then everything at once: same two packets */
    evirt_rpc_reader_init(&r);
    for (off = 0; off < a.len + b.len; off += used) {
        int rc = evirt_rpc_reader_feed(&r, stream + off, 1, &used, &err);

        assert_int_not_equal(rc, -1);
        if (rc == 1) {
            assert_int_equal(evirt_rpc_message_decode_header(r.buf.data, r.buf.len,
                                                             &got, &err), 0);
            assert_int_equal(got.serial, npk ? 6 : 5);
            npk++;
            evirt_rpc_reader_next(&r);
        }
    }
    assert_int_equal(npk, 2);
    for (off = 0, i = 0; off < a.len + b.len; off += used) {
        if (evirt_rpc_reader_feed(&r, stream + off, a.len + b.len - off, &used,
                                  &err) == 1) {
            if (i++ == 0) {
                assert_int_equal(r.buf.len, 32);
                assert_int_equal(evirt_rpc_message_decode_payload(
                                     evirt_rpc_message_payload(r.buf.data), 4,
                                     (xdrproc_t)xdr_u_int, &out, &err), 0);
                assert_int_equal(out, 10);
            }
            evirt_rpc_reader_next(&r);
        }
    }
    assert_int_equal(i, 2);
    evirt_rpc_reader_clear(&r);

    /* a short payload is an RPC error, not garbage */
    assert_int_equal(evirt_rpc_message_decode_payload(stream, 2,
                                                      (xdrproc_t)xdr_u_int, &out,
                                                      &err), -1);
    assert_int_equal(err.code, EVIRT_ERR_RPC);
    assert_non_null(strstr(err.message, "Unable to decode message payload"));

    /* over the payload limit: refused when encoding */
    assert_int_equal(evirt_rpc_message_encode_raw(&b, &hdr, stream,
                                                  EVIRT_RPC_MAX_PAYLOAD + 1, &err),
                     -1);
    assert_int_equal(err.code, EVIRT_ERR_RPC);
    evirt_error_reset(&err);
    evirt_rpc_buf_clear(&a);
    evirt_rpc_buf_clear(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_encode_matches_libvirtd),
        cmocka_unit_test(test_error_decode_libvirtd_bytes),
        cmocka_unit_test(test_error_decode_skips_dom_and_net),
        cmocka_unit_test(test_unknown_procedure_becomes_no_support),
        cmocka_unit_test(test_length_limits),
        cmocka_unit_test(test_reader_rejects_before_allocating),
        cmocka_unit_test(test_encode_decode_payload_and_reassembly),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
