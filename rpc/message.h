/*
 * rpc/message.h - libvirt RPC packets: framing, header, payload encoding,
 * and the error struct carried by failed replies.
 *
 * A packet on the wire is a 4-byte big-endian length word (counting
 * itself), a 24-byte header, and an XDR payload.  Everything here works
 * on whole packets in memory; reading them off a byte stream is done by
 * evirt_rpc_reader.  No function here touches the loop: any thread.
 */
#ifndef EVIRT_RPC_MESSAGE_H
#define EVIRT_RPC_MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include <rpc/types.h>
#include <rpc/xdr.h>
#include <evirt/error.h>

/* Sizes (libvirt's limits; rpc-facts 1.2, 1.6). */
#define EVIRT_RPC_LEN_SIZE        4u
#define EVIRT_RPC_HEADER_SIZE     24u
#define EVIRT_RPC_MIN_PACKET      (EVIRT_RPC_LEN_SIZE + EVIRT_RPC_HEADER_SIZE)
/* header + payload, i.e. the length word minus 4 */
#define EVIRT_RPC_MAX_MESSAGE     16777216u
#define EVIRT_RPC_MAX_PACKET      (EVIRT_RPC_MAX_MESSAGE + EVIRT_RPC_LEN_SIZE)
#define EVIRT_RPC_MAX_PAYLOAD     (EVIRT_RPC_MAX_MESSAGE - EVIRT_RPC_HEADER_SIZE)
/* old peers' payload limit; still the stream chunk size */
#define EVIRT_RPC_LEGACY_PAYLOAD  262144u
#define EVIRT_RPC_MAX_STRING      4194304u
#define EVIRT_RPC_MAX_FDS         32u

/* The keepalive program (rpc-facts 6): MESSAGE packets, empty payloads. */
#define EVIRT_RPC_KEEPALIVE_PROGRAM 0x6b656570u
#define EVIRT_RPC_KEEPALIVE_VERSION 1u
#define EVIRT_RPC_KEEPALIVE_PING    1
#define EVIRT_RPC_KEEPALIVE_PONG    2

/* Packet type (libvirt's virNetMessageType). */
typedef enum {
    EVIRT_RPC_CALL           = 0,
    EVIRT_RPC_REPLY          = 1,
    EVIRT_RPC_MESSAGE        = 2,
    EVIRT_RPC_STREAM         = 3,
    EVIRT_RPC_CALL_WITH_FDS  = 4,
    EVIRT_RPC_REPLY_WITH_FDS = 5,
    EVIRT_RPC_STREAM_HOLE    = 6,
} evirt_rpc_type;

/* Packet status (libvirt's virNetMessageStatus). */
typedef enum {
    EVIRT_RPC_STATUS_OK       = 0,
    EVIRT_RPC_STATUS_ERROR    = 1,
    EVIRT_RPC_STATUS_CONTINUE = 2,
} evirt_rpc_status;

/* The 24-byte header, host byte order. */
typedef struct evirt_rpc_header {
    uint32_t prog;
    uint32_t vers;
    int32_t  proc;
    int32_t  type;    /* evirt_rpc_type */
    uint32_t serial;
    int32_t  status;  /* evirt_rpc_status */
} evirt_rpc_header;

/* A growable byte buffer.  Zero-initialised is valid and empty. */
typedef struct evirt_rpc_buf {
    char  *data;
    size_t len;   /* bytes used */
    size_t cap;   /* bytes allocated */
} evirt_rpc_buf;

void evirt_rpc_buf_init(evirt_rpc_buf *b);
/* Frees the storage and zeroes b. */
void evirt_rpc_buf_clear(evirt_rpc_buf *b);
/* Makes room for at least cap bytes in total.  0, or -1 (no memory). */
int evirt_rpc_buf_reserve(evirt_rpc_buf *b, size_t cap);
/* Hands the storage to the caller (free() it) and zeroes b. */
char *evirt_rpc_buf_steal(evirt_rpc_buf *b, size_t *len);

/*
 * Encodes a whole packet into buf (its old contents are dropped): length
 * word, hdr, then payload through proc (NULL proc or payload = empty).
 * The packet may not exceed EVIRT_RPC_MAX_PACKET.  0, or -1 with err set
 * (EVIRT_ERR_RPC, "Unable to encode message payload" or too large).
 */
int evirt_rpc_message_encode(evirt_rpc_buf *buf, const evirt_rpc_header *hdr,
                             xdrproc_t proc, const void *payload,
                             evirt_error *err);
/* Same with raw payload bytes (STREAM data is not XDR). */
int evirt_rpc_message_encode_raw(evirt_rpc_buf *buf, const evirt_rpc_header *hdr,
                                 const void *data, size_t len, evirt_error *err);
/*
 * Encodes a status-ERROR packet whose payload is e in libvirt's error
 * layout (hdr->status is forced to ERROR).  0, or -1 with err set.
 */
int evirt_rpc_message_encode_error(evirt_rpc_buf *buf, const evirt_rpc_header *hdr,
                                   const evirt_error *e, evirt_error *err);

/*
 * Validates a received length word (the full packet size, length word
 * included): 28 <= len <= EVIRT_RPC_MAX_PACKET.  0, or -1 with err set
 * (EVIRT_ERR_RPC / EVIRT_FROM_RPC) and the reason logged.
 */
int evirt_rpc_message_check_length(uint32_t len, evirt_error *err);

/*
 * Decodes the header of a complete packet (packet points at the length
 * word, len is its full size).  0, or -1 with err set.
 */
int evirt_rpc_message_decode_header(const void *packet, size_t len,
                                    evirt_rpc_header *hdr, evirt_error *err);

/* The payload of a complete packet: pointer and size (after the header). */
static inline const char *evirt_rpc_message_payload(const void *packet)
{
    return (const char *)packet + EVIRT_RPC_MIN_PACKET;
}
static inline size_t evirt_rpc_message_payload_len(size_t packet_len)
{
    return packet_len > EVIRT_RPC_MIN_PACKET ? packet_len - EVIRT_RPC_MIN_PACKET : 0;
}

/*
 * Decodes a payload with proc into out, which the caller zeroed.  On
 * success out owns memory (xdr_free(proc, out) releases it).  On failure
 * whatever was decoded is freed, out is zeroed again, and err says
 * "Unable to decode message payload" (EVIRT_ERR_RPC / EVIRT_FROM_RPC).
 * Trailing bytes after the payload are accepted, as libvirt does.
 */
int evirt_rpc_message_decode_payload(const void *payload, size_t len,
                                     xdrproc_t proc, void *out, evirt_error *err);

/*
 * XDR routine for libvirt's error struct (rpc-facts 2) straight from/to
 * an evirt_error: code, domain, message?, level, dom? (never sent,
 * skipped when received), str1-3?, int1, int2, net? (same as dom).
 * Usable as an xdrproc_t: XDR_FREE resets the evirt_error.
 */
bool_t evirt_rpc_xdr_error(XDR *xdrs, evirt_error *e);

/*
 * Decodes an error payload into out (reset first).  A server error that
 * libvirt's client rewrites is rewritten the same way: code RPC, domain
 * RPC/REMOTE, level ERROR, message "unknown procedure..." becomes
 * EVIRT_ERR_NO_SUPPORT.  If the payload is undecodable out describes
 * that instead.  Always leaves out filled; returns 0, or -1 if undecodable.
 */
int evirt_rpc_error_decode(const void *payload, size_t len, evirt_error *out);

/*
 * Reassembles packets from a byte stream.  Feed it what was read; when a
 * whole packet is there it is in r->buf (data/len, length word included)
 * until evirt_rpc_reader_next().  The length word is checked before the
 * body is allocated.
 */
typedef struct evirt_rpc_reader {
    evirt_rpc_buf buf;
    size_t need;        /* size of the current packet; 0 = length unknown */
    char lenbuf[4];     /* the length word as it trickles in */
    size_t lenhave;     /* bytes of lenbuf filled */
} evirt_rpc_reader;

void evirt_rpc_reader_init(evirt_rpc_reader *r);
void evirt_rpc_reader_clear(evirt_rpc_reader *r);
/*
 * Consumes bytes from data (at most len; *used says how many).  Returns 1
 * when a packet is complete (stop feeding, handle it, call _next), 0 when
 * all of data was taken and more is needed, -1 on a bad length word
 * (err set; the stream is unusable).
 */
int evirt_rpc_reader_feed(evirt_rpc_reader *r, const char *data, size_t len,
                          size_t *used, evirt_error *err);
/* Forgets the completed packet; ready for the next one. */
void evirt_rpc_reader_next(evirt_rpc_reader *r);

#endif
