/*
 * rpc/message.c - packet framing, header and payload coding, libvirt's
 * error struct, and the stream reassembler.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "rpc/message.h"
#include "api/error-private.h"
#include "api/log-private.h"

#define EVIRT_LOG_CATEGORY "evirt.rpc.message"

/* A reader keeps at most this much storage between packets; bigger
 * buffers (up to 16 MiB) are given back once their packet is handled. */
#define READER_KEEP 65536u

/* ---- buffers -------------------------------------------------------- */

void
evirt_rpc_buf_init(evirt_rpc_buf *b)
{
    memset(b, 0, sizeof(*b));
}

void
evirt_rpc_buf_clear(evirt_rpc_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

int
evirt_rpc_buf_reserve(evirt_rpc_buf *b, size_t cap)
{
    char *p;

    if (cap <= b->cap)
        return 0;
    if (!(p = realloc(b->data, cap)))
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

char *
evirt_rpc_buf_steal(evirt_rpc_buf *b, size_t *len)
{
    char *p = b->data;

    if (len)
        *len = b->len;
    memset(b, 0, sizeof(*b));
    return p;
}

/* ---- header --------------------------------------------------------- */

static void
put_u32(char *p, uint32_t v)
{
    p[0] = (char)(v >> 24);
    p[1] = (char)(v >> 16);
    p[2] = (char)(v >> 8);
    p[3] = (char)v;
}

static uint32_t
get_u32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) |
           ((uint32_t)u[2] << 8) | (uint32_t)u[3];
}

static void
put_header(char *p, size_t total, const evirt_rpc_header *hdr)
{
    put_u32(p, (uint32_t)total);
    put_u32(p + 4, hdr->prog);
    put_u32(p + 8, hdr->vers);
    put_u32(p + 12, (uint32_t)hdr->proc);
    put_u32(p + 16, (uint32_t)hdr->type);
    put_u32(p + 20, hdr->serial);
    put_u32(p + 24, (uint32_t)hdr->status);
}

int
evirt_rpc_message_check_length(uint32_t len, evirt_error *err)
{
    if (len < EVIRT_RPC_MIN_PACKET) {
        EVIRT_WARN("packet length %u is below the minimum of %u", len,
                   EVIRT_RPC_MIN_PACKET);
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "packet %u bytes received from peer too small, want %u",
                        len, EVIRT_RPC_MIN_PACKET);
        return -1;
    }
    if (len > EVIRT_RPC_MAX_PACKET) {
        EVIRT_WARN("packet length %u is above the maximum of %u", len,
                   EVIRT_RPC_MAX_PACKET);
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "packet %u bytes received from peer too large, want %u",
                        len, EVIRT_RPC_MAX_PACKET);
        return -1;
    }
    return 0;
}

int
evirt_rpc_message_decode_header(const void *packet, size_t len,
                                 evirt_rpc_header *hdr, evirt_error *err)
{
    const char *p = packet;

    if (len < EVIRT_RPC_MIN_PACKET || len > EVIRT_RPC_MAX_PACKET ||
        get_u32(p) != len) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "Unable to decode message header");
        return -1;
    }
    hdr->prog = get_u32(p + 4);
    hdr->vers = get_u32(p + 8);
    hdr->proc = (int32_t)get_u32(p + 12);
    hdr->type = (int32_t)get_u32(p + 16);
    hdr->serial = get_u32(p + 20);
    hdr->status = (int32_t)get_u32(p + 24);
    return 0;
}

/* ---- encoding ------------------------------------------------------- */

static int
encode_with(evirt_rpc_buf *buf, const evirt_rpc_header *hdr, xdrproc_t proc,
            const void *payload, int status, evirt_error *err)
{
    evirt_rpc_header h = *hdr;
    size_t size = 0, total;
    XDR xdrs;

    buf->len = 0;
    if (proc)
        size = xdr_sizeof(proc, (void *)payload);
    if (size > EVIRT_RPC_MAX_PAYLOAD) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "message payload of %zu bytes exceeds the limit of %u",
                        size, EVIRT_RPC_MAX_PAYLOAD);
        return -1;
    }
    total = EVIRT_RPC_MIN_PACKET + size;
    if (evirt_rpc_buf_reserve(buf, total) < 0) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    if (status >= 0)
        h.status = status;
    put_header(buf->data, total, &h);
    if (proc) {
        xdrmem_create(&xdrs, buf->data + EVIRT_RPC_MIN_PACKET, (u_int)size,
                      XDR_ENCODE);
        if (!proc(&xdrs, (void *)payload) || xdr_getpos(&xdrs) != size) {
            xdr_destroy(&xdrs);
            evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                            "Unable to encode message payload");
            return -1;
        }
        xdr_destroy(&xdrs);
    }
    buf->len = total;
    return 0;
}

int
evirt_rpc_message_encode(evirt_rpc_buf *buf, const evirt_rpc_header *hdr,
                         xdrproc_t proc, const void *payload, evirt_error *err)
{
    return encode_with(buf, hdr, proc, payload, -1, err);
}

int
evirt_rpc_message_encode_raw(evirt_rpc_buf *buf, const evirt_rpc_header *hdr,
                             const void *data, size_t len, evirt_error *err)
{
    size_t total;

    buf->len = 0;
    if (len > EVIRT_RPC_MAX_PAYLOAD) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "message payload of %zu bytes exceeds the limit of %u",
                        len, EVIRT_RPC_MAX_PAYLOAD);
        return -1;
    }
    total = EVIRT_RPC_MIN_PACKET + len;
    if (evirt_rpc_buf_reserve(buf, total) < 0) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    put_header(buf->data, total, hdr);
    if (len)
        memcpy(buf->data + EVIRT_RPC_MIN_PACKET, data, len);
    buf->len = total;
    return 0;
}

int
evirt_rpc_message_encode_error(evirt_rpc_buf *buf, const evirt_rpc_header *hdr,
                               const evirt_error *e, evirt_error *err)
{
    return encode_with(buf, hdr, (xdrproc_t)evirt_rpc_xdr_error, e,
                       EVIRT_RPC_STATUS_ERROR, err);
}

/* ---- decoding ------------------------------------------------------- */

int
evirt_rpc_message_decode_payload(const void *payload, size_t len,
                                 xdrproc_t proc, void *out, evirt_error *err)
{
    XDR xdrs;
    bool_t ok;

    if (len > EVIRT_RPC_MAX_PAYLOAD) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "Unable to decode message payload");
        return -1;
    }
    xdrmem_create(&xdrs, (char *)payload, (u_int)len, XDR_DECODE);
    ok = proc(&xdrs, out);
    xdr_destroy(&xdrs);
    if (!ok) {
        /* Pointers not reached yet are still NULL, so this frees exactly
         * what was decoded. */
        xdr_free(proc, out);
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "Unable to decode message payload");
        return -1;
    }
    return 0;
}

/* ---- libvirt's error struct ----------------------------------------- */

static bool_t
xdr_opt_string(XDR *xdrs, char **s)
{
    uint32_t present = *s != NULL;

    if (!xdr_uint32_t(xdrs, &present))
        return FALSE;
    if (xdrs->x_op == XDR_DECODE) {
        *s = NULL;
        if (present > 1)
            return FALSE;
    }
    if (!present)
        return TRUE;
    return xdr_string(xdrs, s, EVIRT_RPC_MAX_STRING);
}

/* The legacy dom / net members: we never send them and discard them when
 * a peer does.  with_id: a domain (name, uuid, id), else a network. */
static bool_t
xdr_skip_handle(XDR *xdrs, int with_id)
{
    uint32_t present = 0;
    char *name = NULL;
    char uuid[16];
    int id;
    bool_t ok;

    if (!xdr_uint32_t(xdrs, &present))
        return FALSE;
    if (xdrs->x_op != XDR_DECODE || !present)
        return TRUE;
    if (present > 1)
        return FALSE;
    ok = xdr_string(xdrs, &name, EVIRT_RPC_MAX_STRING) &&
         xdr_opaque(xdrs, uuid, sizeof(uuid)) &&
         (!with_id || xdr_int(xdrs, &id));
    free(name);
    return ok;
}

bool_t
evirt_rpc_xdr_error(XDR *xdrs, evirt_error *e)
{
    if (xdrs->x_op == XDR_FREE) {
        evirt_error_reset(e);
        return TRUE;
    }
    return xdr_int(xdrs, &e->code) &&
           xdr_int(xdrs, &e->domain) &&
           xdr_opt_string(xdrs, &e->message) &&
           xdr_int(xdrs, &e->level) &&
           xdr_skip_handle(xdrs, 1) &&
           xdr_opt_string(xdrs, &e->str1) &&
           xdr_opt_string(xdrs, &e->str2) &&
           xdr_opt_string(xdrs, &e->str3) &&
           xdr_int(xdrs, &e->int1) &&
           xdr_int(xdrs, &e->int2) &&
           xdr_skip_handle(xdrs, 0);
}

int
evirt_rpc_error_decode(const void *payload, size_t len, evirt_error *out)
{
    evirt_error tmp = { 0 };

    evirt_error_reset(out);
    if (evirt_rpc_message_decode_payload(payload, len,
                                         (xdrproc_t)evirt_rpc_xdr_error,
                                         &tmp, out) < 0)
        return -1;
    /* A server that lacks a procedure says "unknown procedure"; callers
     * (and libvirt's client) treat that as plain "not supported". */
    if (tmp.code == EVIRT_ERR_RPC && tmp.level == EVIRT_ERR_ERROR &&
        (tmp.domain == EVIRT_FROM_RPC || tmp.domain == EVIRT_FROM_REMOTE) &&
        tmp.message && strncmp(tmp.message, "unknown procedure", 17) == 0)
        tmp.code = EVIRT_ERR_NO_SUPPORT;
    if (!tmp.message) {
        /* Callers print message; never leave them nothing to print. */
        tmp.message = strdup(evirt_error_code_name(tmp.code));
    }
    *out = tmp;
    return 0;
}

/* ---- reassembly ------------------------------------------------------ */

void
evirt_rpc_reader_init(evirt_rpc_reader *r)
{
    memset(r, 0, sizeof(*r));
}

void
evirt_rpc_reader_clear(evirt_rpc_reader *r)
{
    evirt_rpc_buf_clear(&r->buf);
    memset(r, 0, sizeof(*r));
}

int
evirt_rpc_reader_feed(evirt_rpc_reader *r, const char *data, size_t len,
                      size_t *used, evirt_error *err)
{
    size_t off = 0, n;

    *used = 0;
    if (r->need && r->buf.len == r->need)
        return 1;               /* the caller has not taken the last one */
    while (off < len) {
        if (!r->need) {
            n = sizeof(r->lenbuf) - r->lenhave;
            if (n > len - off)
                n = len - off;
            memcpy(r->lenbuf + r->lenhave, data + off, n);
            r->lenhave += n;
            off += n;
            if (r->lenhave < sizeof(r->lenbuf))
                break;
            /* Validate before allocating: a hostile length word must not
             * make us reserve 4 GiB. */
            if (evirt_rpc_message_check_length(get_u32(r->lenbuf), err) < 0) {
                *used = off;
                return -1;
            }
            r->need = get_u32(r->lenbuf);
            if (evirt_rpc_buf_reserve(&r->buf, r->need) < 0) {
                evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
                *used = off;
                return -1;
            }
            memcpy(r->buf.data, r->lenbuf, sizeof(r->lenbuf));
            r->buf.len = sizeof(r->lenbuf);
        }
        n = r->need - r->buf.len;
        if (n > len - off)
            n = len - off;
        memcpy(r->buf.data + r->buf.len, data + off, n);
        r->buf.len += n;
        off += n;
        if (r->buf.len == r->need) {
            *used = off;
            return 1;
        }
    }
    *used = off;
    return 0;
}

void
evirt_rpc_reader_next(evirt_rpc_reader *r)
{
    if (r->buf.cap > READER_KEEP)
        evirt_rpc_buf_clear(&r->buf);
    r->buf.len = 0;
    r->need = 0;
    r->lenhave = 0;
}
