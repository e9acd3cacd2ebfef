#!/usr/bin/env python3
"""Generates the remote glue from api/evirt.api, rpc/protocol/remote.x and
rpc/remote-procs.table.

    gen-remote.py stubs    API X TABLE > drivers/remote/remote-stubs.c
    gen-remote.py dispatch API X TABLE > daemon/remote-dispatch.c

stubs: one evirt_driver_ops entry per operation that has a procedure:
build the call's struct from the op's arguments, send it with
evirt_rpc_client_call(), turn the reply into evirt_op_return_*.
dispatch: the evirt_rpc_proc table of evirtd: each handler turns the wire
arguments into evirt values, calls the public evirt_X_async() on the
client's connection, and its callback turns the result into the reply.

Read rpc/remote-procs.table first.  This script has three parts: reading
the three inputs, the per-type conversion snippets (C text), and the two
emitters.  Data conversions themselves are plain C in rpc/remote-conv.c.
"""

import importlib.util
import os
import re
import sys
from dataclasses import dataclass, field

_spec = importlib.util.spec_from_file_location(
    'gen_api', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gen-api.py'))
gen_api = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_api)

# ---------------------------------------------------------------- inputs

# Wire handle structs and the evirt object each one stands for.
HANDLES = {'dom': 'domain', 'net': 'network', 'pool': 'storage_pool',
           'vol': 'storage_vol', 'iface': 'interface', 'nodedev': 'nodedev'}
KIND_OF = {obj: k for k, obj in HANDLES.items()}
SCALAR_WIRE = {'int', 'unsigned int', 'hyper', 'unsigned hyper', 'char',
               'unsigned char', 'unsigned short', 'double'}
PREFIX = 'evirt_remote_'


@dataclass
class WField:
    name: str
    type: str      # the .x type without the evirt_remote_ prefix
    kind: str      # scalar str ostr uuid handle array fixed struct ohandle
    limit: str = ''


def parse_x(path):
    """struct name (without prefix) -> [WField]."""
    text = re.sub(r'/\*.*?\*/', '', open(path).read(), flags=re.S)
    structs = {}
    for name, body in re.findall(r'struct\s+' + PREFIX + r'(\w+)\s*\{(.*?)\};', text, re.S):
        fields = []
        for decl in body.split(';'):
            decl = ' '.join(decl.split())
            if not decl:
                continue
            m = re.match(r'(.+?)\s+(\w+)\s*(?:<(\w*)>|\[(\w+)\])?$', decl)
            if not m:
                raise SystemExit('remote.x: cannot read %r in %s' % (decl, name))
            typ, fname, vlimit, flimit = m.groups()
            typ = typ.replace(PREFIX, '')
            if vlimit is not None:
                kind, limit = 'array', vlimit
            elif flimit is not None:
                kind, limit = 'fixed', flimit
            elif typ in SCALAR_WIRE:
                kind, limit = 'scalar', ''
            elif typ in ('str', 'ostr', 'uuid'):
                kind, limit = typ, ''
            elif typ in HANDLES:
                kind, limit = 'handle', ''
            elif typ.startswith('o') and typ[1:] in HANDLES:
                kind, limit = 'ohandle', ''
            else:
                kind, limit = 'struct', ''
            fields.append(WField(fname, typ, kind, limit))
        structs[name] = fields
    return structs


@dataclass
class Row:
    op: object           # gen_api.Op
    proc: str
    args: str            # '' = none
    ret: str             # '' = none
    consts: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)
    client_only: bool = False
    echo: bool = False
    post: str = ''


def parse_table(path, ops):
    by_name = {op.name: op for op in ops}
    rows = []
    for lineno, line in enumerate(open(path), 1):
        line = line.split('#', 1)[0].split()
        if not line:
            continue
        if len(line) < 4 or line[0] not in by_name:
            raise SystemExit('%s:%d: expected OP PROC ARGS RET [OPTIONS]' % (path, lineno))
        row = Row(by_name[line[0]], line[1], '' if line[2] == '-' else line[2],
                  '' if line[3] == '-' else line[3])
        for opt in line[4:]:
            if opt == 'client-only':
                row.client_only = True
            elif opt == 'echo':
                row.echo = True
            elif opt.startswith('post='):
                row.post = opt[5:]
            elif opt.startswith('check='):
                arg, limit = opt[6:].split('<=')
                row.checks.append((arg, limit))
            elif '=' in opt:
                k, v = opt.split('=', 1)
                row.consts[k] = v
            else:
                raise SystemExit('%s:%d: unknown option %s' % (path, lineno, opt))
        rows.append(row)
    return rows


def args_pairs(row, structs):
    """(WField, gen_api.Arg or None) for every field of the call's struct;
    None marks a field the client fills with a constant from the table."""
    op = row.op
    params = ([] if op.subject == 'conn' else [gen_api.Arg(op.subject, op.subject_name)]) + op.args
    fields = structs[row.args] if row.args else []
    free = [f for f in fields if f.name not in row.consts]
    if len(free) != len(params):
        raise SystemExit('%s: %s has %d free fields for %d arguments'
                         % (op.name, row.args, len(free), len(params)))
    it = iter(params)
    return [(f, None if f.name in row.consts else next(it)) for f in fields]


def xdr(name):
    return '(xdrproc_t)xdr_%s%s' % (PREFIX, name) if name else '(xdrproc_t)remote_xdr_void'


def ctype(name):
    return PREFIX + name


def list_elem(op):
    """(C element type, freer) of a 'list' result."""
    r = op.result
    if r[1] == 'struct':
        return 'evirt_%s' % r[2], 'evirt_remote_free_plain'
    elem = gen_api.LIST_ELEMS[r[1]]
    if r[1] in KIND_OF:
        return elem, 'evirt_remote_free_%s_list' % r[1]
    return elem, {'string': 'evirt_remote_free_strings',
                  'params': 'evirt_remote_free_params'}.get(r[1], 'evirt_remote_free_plain')


def array_field(fields):
    return next(f for f in fields if f.kind == 'array')


def elem_in(f, dst, src):
    """C condition that converts one wire element and is true on failure."""
    if f.type in SCALAR_WIRE:
        return '(%s = %s, 0)' % (dst, src)
    if f.type in HANDLES:
        return '!(%s = evirt_remote_%s_in(conn, &%s))' % (dst, f.type, src)
    if f.type in ('typed_param', 'node_stat'):
        return 'evirt_remote_%s_in(&%s, &%s, &err) < 0' % (f.type, dst, src)
    return 'evirt_remote_%s_in(&%s, &%s) < 0' % (f.type, dst, src)


def elem_out(f, dst, src):
    if f.type in SCALAR_WIRE:
        return '(%s = %s, 0)' % (dst, src)
    if f.type in HANDLES:
        return 'evirt_remote_%s_out(&%s, %s, 1) < 0' % (f.type, dst, src)
    if f.type in ('typed_param', 'node_stat'):
        return 'evirt_remote_%s_out(&%s, &%s, &err) < 0' % (f.type, dst, src)
    return 'evirt_remote_%s_out(&%s, &%s) < 0' % (f.type, dst, src)


# ---------------------------------------------------------------- stubs

STUBS_PROLOGUE = r'''/* Generated by scripts/gen-remote.py from api/evirt.api,
 * rpc/protocol/remote.x and rpc/remote-procs.table: do not edit. */
#include <config.h>
#include <stdlib.h>
#include <string.h>

#include "api/driver.h"
#include "api/error-private.h"
#include "rpc/client.h"
#include "rpc/remote-conv.h"
#include "drivers/remote/remote-stubs.h"

/* Needed by *_lookup_by_uuid_string (conf/domain_conf.h). */
int evirt_uuid_parse(const char *str, unsigned char uuid[16]);

/* An empty body (libtirpc's xdr_void has no parameters to cast from). */
static bool_t remote_xdr_void(XDR *xdrs, void *p)
{
    (void)xdrs;
    (void)p;
    return TRUE;
}

/* One call in flight for one op. */
typedef struct remote_call remote_call;
typedef int (*remote_finish_fn)(remote_call *rc);
struct remote_call {
    evirt_op *op;              /* referenced until the call is over */
    evirt_rpc_client *client;
    int proc;
    xdrproc_t args_proc;
    void *args;                /* a copy, for calls asked twice (nparams) */
    xdrproc_t ret_proc;
    void *ret;                 /* zeroed, filled by the client */
    size_t ret_size;
    remote_finish_fn finish;   /* turns ret into the op's result */
    int round;
    uint32_t serial;
};

static void remote_call_free(remote_call *rc)
{
    if (rc->ret) {
        xdr_free(rc->ret_proc, rc->ret);
        free(rc->ret);
    }
    free(rc->args);
    evirt_op_unref(rc->op);
    free(rc);
}

static void remote_fail(evirt_op *op, evirt_error *err)
{
    if (err && err->code)
        evirt_op_fail_error(op, err);
    else
        evirt_op_fail(op, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, NULL);
}

/* Cancel and timeout: forget the serial; its done(ABORTED) frees rc. */
static void remote_call_cancel(evirt_op *op, void *data)
{
    remote_call *rc = data;
    (void)op;
    evirt_rpc_client_cancel(rc->client, rc->serial);
}

static void remote_call_done(void *opaque, evirt_error *err)
{
    remote_call *rc = opaque;
    if (err)
        evirt_op_fail_error(rc->op, err);
    else if (rc->finish(rc) > 0)
        return;                 /* asked again: still in flight */
    evirt_op_set_cancel_hook(rc->op, NULL, NULL);
    remote_call_free(rc);
}

static int remote_call_send(remote_call *rc, const void *args)
{
    if (evirt_rpc_client_call(rc->client, EVIRT_REMOTE_PROGRAM,
                              EVIRT_REMOTE_PROTOCOL_VERSION, rc->proc,
                              rc->args_proc, args, rc->ret_proc, rc->ret,
                              remote_call_done, rc, &rc->serial) < 0)
        return -1;
    evirt_op_set_cancel_hook(rc->op, remote_call_cancel, rc);
    return 0;
}

/* Sends the kept args again (second round of an nparams call): 1, or 0
 * after failing the op. */
static int remote_call_again(remote_call *rc)
{
    xdr_free(rc->ret_proc, rc->ret);
    memset(rc->ret, 0, rc->ret_size ? rc->ret_size : 1);
    rc->round++;
    if (remote_call_send(rc, rc->args) < 0) {
        remote_fail(rc->op, NULL);
        return 0;
    }
    return 1;
}

static void remote_call_start(evirt_op *op, int proc, xdrproc_t args_proc,
                              const void *args, size_t keep_args,
                              xdrproc_t ret_proc, size_t ret_size,
                              remote_finish_fn finish)
{
    evirt_rpc_client *client = evirt_remote_conn_client(evirt_op_get_conn(op));
    remote_call *rc;

    if (!client) {
        evirt_op_fail(op, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                      "client socket is closed");
        return;
    }
    if (!(rc = calloc(1, sizeof(*rc))))
        goto oom;
    rc->op = evirt_op_ref(op);
    rc->client = client;
    rc->proc = proc;
    rc->args_proc = args_proc;
    rc->ret_proc = ret_proc;
    rc->finish = finish;
    rc->ret_size = ret_size;
    if (!(rc->ret = calloc(1, ret_size ? ret_size : 1)))
        goto oom;
    if (keep_args) {
        if (!(rc->args = malloc(keep_args)))
            goto oom;
        memcpy(rc->args, args, keep_args);
    }
    if (remote_call_send(rc, args) < 0)
        goto oom;
    return;

 oom:
    if (rc)
        remote_call_free(rc);
    remote_fail(op, NULL);
}
'''


# The error domain of a malformed UUID string: libvirt checks it in its
# public API, before any driver, so the family's domain - not REMOTE's.
UUID_ERROR_DOMAINS = (('domain_', 'DOMAIN'), ('network_', 'NETWORK'),
                      ('storage_', 'STORAGE'))


def uuid_error_domain(op_name):
    for prefix, dom in UUID_ERROR_DOMAINS:
        if op_name.startswith(prefix):
            return 'EVIRT_FROM_' + dom
    raise SystemExit('%s: which error domain for a bad UUID?' % op_name)


def stub_arg(f, a, lines, after, op_name):
    """Fills args.FIELD from the op argument a (client side)."""
    dst = 'args.' + f.name
    t, n = a.type, a.name
    if f.kind == 'handle':
        lines.append('evirt_remote_%s_out(&%s, %s, 0);' % (f.type, dst, n))
    elif t == 'nodedev' and f.kind == 'str':
        lines.append('%s = %s->h.name;' % (dst, n))
    elif t == 'string' and f.kind == 'uuid':
        lines += ['if (evirt_uuid_parse(%s, (unsigned char *)%s) < 0) {' % (n, dst),
                  '    evirt_op_fail(op, %s, EVIRT_ERR_INVALID_ARG,'
                  % uuid_error_domain(op_name),
                  '                  "invalid UUID \'%%s\'", %s);' % n,
                  '    return;', '}']
    elif f.kind == 'str':
        lines.append('%s = (char *)%s;' % (dst, n))
    elif f.kind == 'ostr':
        lines.append('%s = %s ? (char **)&%s : NULL;' % (dst, n, n))
    elif f.kind == 'uuid':
        lines.append('memcpy(%s, %s, 16);' % (dst, n))
    elif f.kind == 'scalar':
        lines.append('%s = %s;' % (dst, n))
    elif f.kind == 'array' and t in ('uint_array', 'params'):
        lines += ['if (n_%s > %s) {' % (n, f.limit),
                  '    evirt_op_fail(op, EVIRT_FROM_REMOTE, EVIRT_ERR_RPC,',
                  '                  "too many %s: %%d > %%d", n_%s, %s);' % (f.name, n, f.limit),
                  '    return;', '}']
        if t == 'uint_array':
            lines += ['%s.%s_len = (u_int)n_%s;' % (dst, f.name, n),
                      '%s.%s_val = (u_int *)%s;' % (dst, f.name, n)]
        else:
            lines += ['if (evirt_remote_typed_params_out(&%s.%s_val, &%s.%s_len, %s, n_%s, &err) < 0) {'
                      % (dst, f.name, dst, f.name, n, n),
                      '    remote_fail(op, &err);', '    return;', '}']
            after.append('evirt_remote_typed_params_free(%s.%s_val, %s.%s_len);'
                         % (dst, f.name, dst, f.name))
    else:
        raise SystemExit('no conversion from %s to %s %s' % (t, f.type, f.name))


def stub_finish(row, structs):
    """Body of the finish function: ret -> evirt_op_return_*."""
    op, r = row.op, row.op.result
    kind = r[0]
    fields = structs[row.ret] if row.ret else []
    out = []
    if kind == 'void':
        return ['evirt_op_return_void(rc->op);']
    if kind == 'int':
        return ['evirt_op_return_int(rc->op, ret->%s);' % fields[0].name]
    if kind in ('uint', 'ulong', 'ullong'):
        return ['evirt_op_return_uint(rc->op, ret->%s);' % fields[0].name]
    if kind == 'string':
        f = fields[0]
        if f.kind == 'ostr':
            return ['if (!ret->%s) {' % f.name,
                    '    evirt_op_return_ptr(rc->op, NULL, 0, NULL);',
                    '} else {',
                    '    evirt_op_return_string(rc->op, *ret->%s);' % f.name,
                    '    *ret->%s = NULL;' % f.name, '}']
        return ['evirt_op_return_string(rc->op, ret->%s);' % f.name,
                'ret->%s = NULL;' % f.name]
    if kind in KIND_OF:
        f = fields[0]
        return ['evirt_%s *obj = evirt_remote_%s_in(evirt_op_get_conn(rc->op), &ret->%s);'
                % (kind, f.type, f.name),
                'if (!obj)', '    remote_fail(rc->op, NULL);', 'else',
                '    evirt_op_return_ptr(rc->op, obj, 0, evirt_remote_free_%s);' % kind]
    if kind == 'struct':
        return ['evirt_%s out;' % r[1], 'memset(&out, 0, sizeof(out));',
                'evirt_remote_%s_in(&out, ret);' % r[1],
                'evirt_op_return_struct(rc->op, &out, sizeof(out));']
    # lists
    f = array_field(fields)
    elem, freer = list_elem(op)
    if 'nparams' in row.consts:
        out += ['if (rc->round == 0 && ret->nparams > 0) {',
                '    ((%s *)rc->args)->nparams = ret->nparams;' % ctype(row.args),
                '    return remote_call_again(rc);', '}']
    val = 'ret->%s.%s_val' % (f.name, f.name)
    out += ['evirt_conn *conn = evirt_op_get_conn(rc->op);',
            'evirt_error err = { 0 };',
            'int n = (int)ret->%s.%s_len, i;' % (f.name, f.name),
            '%s *list = calloc((size_t)n + 1, sizeof(*list));' % elem,
            '(void)conn;',
            'if (!list) {', '    remote_fail(rc->op, NULL);', '    return 0;', '}',
            'for (i = 0; i < n; i++) {',
            '    if (%s) {' % elem_in(f, 'list[i]', '%s[i]' % val),
            '        %s(list, i);' % freer,
            '        remote_fail(rc->op, &err);', '        return 0;', '    }', '}',
            'evirt_op_return_ptr(rc->op, list, n, %s);' % freer]
    return out


def emit_stubs(rows, structs):
    out = [STUBS_PROLOGUE]
    fill = []
    for row in rows:
        op = row.op
        ret_t = ctype(row.ret) if row.ret else 'char'
        out.append('/* %s: %s */' % (op.name, row.proc))
        out.append('static int %s_finish(remote_call *rc)' % op.name)
        out.append('{')
        if row.ret:
            out.append('    %s *ret = rc->ret;' % ret_t)
            if op.result[0] == 'void':
                out.append('    (void)ret;')
        out += ['    ' + x for x in stub_finish(row, structs)]
        out.append('    return 0;')
        out.append('}')
        out.append('')
        ps = gen_api.params_of(op)
        out.append('static void remote_%s(evirt_op *op, %s)' % (op.name, ', '.join(ps)))
        out.append('{')
        body, after = [], []
        if row.args:
            body.append('%s args;' % ctype(row.args))
            if any(a.type == 'params' for a in op.args):
                body.append('evirt_error err = { 0 };')
            body.append('memset(&args, 0, sizeof(args));')
            for arg, limit in row.checks:
                body += ['if (%s > %s) {' % (arg, limit),
                         '    evirt_op_fail(op, EVIRT_FROM_REMOTE, EVIRT_ERR_RPC,',
                         '                  "too many %s: %%d > %%d", (int)%s, %s);'
                         % (arg, arg, limit),
                         '    return;', '}']
            for f, a in args_pairs(row, structs):
                if a is None:
                    body.append('args.%s = %s;' % (f.name, row.consts[f.name]))
                else:
                    stub_arg(f, a, body, after, op.name)
        elif op.subject != 'conn':
            body.append('(void)%s;' % op.subject_name)
        keep = 'sizeof(args)' if 'nparams' in row.consts else '0'
        body.append('remote_call_start(op, EVIRT_REMOTE_PROC_%s, %s, %s, %s,'
                    % (row.proc, xdr(row.args), '&args' if row.args else 'NULL', keep))
        body.append('                  %s, %s, %s_finish);'
                    % (xdr(row.ret), 'sizeof(%s)' % ret_t if row.ret else '0', op.name))
        body += after
        out += ['    ' + x for x in body]
        out.append('}')
        out.append('')
        fill.append('    ops->%s = remote_%s;' % (op.name, op.name))
    out.append('void evirt_remote_stubs_fill(evirt_driver_ops *ops)')
    out.append('{')
    out += fill
    out.append('}')
    return out


# ---------------------------------------------------------------- dispatch

DISPATCH_PROLOGUE = r'''/* Generated by scripts/gen-remote.py from api/evirt.api,
 * rpc/protocol/remote.x and rpc/remote-procs.table: do not edit. */
#include <config.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <evirt/evirt.h>
#include "api/error-private.h"
#include "api/object-private.h"
#include "api/handles-private.h"
#include "rpc/server.h"
#include "rpc/remote-conv.h"
#include "daemon/remote-dispatch.h"

/* An empty body (libtirpc's xdr_void has no parameters to cast from). */
static bool_t remote_xdr_void(XDR *xdrs, void *p)
{
    (void)xdrs;
    (void)p;
    return TRUE;
}

/* What a completion needs: the call to answer and its decoded args
 * (the server keeps them until the call is answered). */
typedef struct dispatch_ctx {
    evirt_rpc_call *call;
    void *args;
} dispatch_ctx;

static void dispatch_fail(evirt_rpc_call *call, int domain, int code, const char *fmt, ...)
    EVIRT_PRINTF(4, 5);
static void dispatch_fail(evirt_rpc_call *call, int domain, int code, const char *fmt, ...)
{
    evirt_error err = { 0 };
    va_list ap;
    va_start(ap, fmt);
    evirt_error_setv(&err, domain, code, fmt, ap);
    va_end(ap);
    evirt_rpc_call_reply_error(call, &err);
    evirt_error_reset(&err);
}

static void dispatch_oom(evirt_rpc_call *call)
{
    dispatch_fail(call, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
}

static void dispatch_error(evirt_rpc_call *call, evirt_error *err)
{
    if (err && err->code)
        evirt_rpc_call_reply_error(call, err);
    else
        dispatch_oom(call);
    if (err)
        evirt_error_reset(err);
}

/* The op failed: its error goes to the client as it is. */
static void dispatch_op_failed(evirt_rpc_call *call, evirt_op *op)
{
    evirt_rpc_call_reply_error(call, evirt_op_error(op));
}

/* The client's open connection, or NULL after answering the call. */
static evirt_conn *dispatch_conn(evirt_rpc_call *call)
{
    evirt_conn *conn = evirt_daemon_call_conn(call);
    if (!conn)
        dispatch_fail(call, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                      "hypervisor connection not open");
    return conn;
}

static dispatch_ctx *dispatch_ctx_new(evirt_rpc_call *call, void *args)
{
    dispatch_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx) {
        ctx->call = call;
        ctx->args = args;
    }
    return ctx;
}

/* Wire typed params to evirt's (freed by the caller). */
static int dispatch_params_in(evirt_typed_param **out, int *n,
                              const evirt_remote_typed_param *val, u_int len,
                              evirt_error *err)
{
    *out = calloc((size_t)len + 1, sizeof(**out));
    *n = 0;
    if (!*out)
        return -1;
    for (u_int i = 0; i < len; i++) {
        if (evirt_remote_typed_param_in(&(*out)[i], &val[i], err) < 0) {
            evirt_typed_params_free(*out, *n);
            *out = NULL;
            return -1;
        }
        (*n)++;
    }
    return 0;
}

static int dispatch_dom_copy(evirt_remote_dom *dst, const evirt_remote_dom *src)
{
    memcpy(dst->uuid, src->uuid, 16);
    dst->id = src->id;
    dst->name = strdup(src->name);
    return dst->name ? 0 : -1;
}
'''


def dispatch_arg(f, a, pre, call_args, cleanup):
    """Turns args->FIELD into the op argument a (daemon side)."""
    src = 'args->' + f.name
    t, n = a.type, a.name
    if t in KIND_OF:
        conv = ('evirt_remote_nodedev_name_in(conn, %s)' % src if f.kind == 'str'
                else 'evirt_remote_%s_in(conn, &%s)' % (f.type, src))
        pre += ['evirt_%s *%s = %s;' % (t, n, conv),
                'if (!%s) {' % n, '    dispatch_oom(call);', '    return;', '}']
        cleanup.append('evirt_%s_unref(%s);' % (t, n))
        call_args.append(n)
    elif f.kind == 'str':
        call_args.append(src)
    elif f.kind == 'ostr':
        call_args.append('%s ? *%s : NULL' % (src, src))
    elif f.kind == 'uuid':
        call_args.append('(const unsigned char *)%s' % src)
    elif f.kind == 'scalar':
        call_args.append(src)
    elif t == 'uint_array':
        call_args += ['%s.%s_val' % (src, f.name), '(int)%s.%s_len' % (src, f.name)]
    elif t == 'params':
        pre += ['evirt_typed_param *%s = NULL;' % n, 'int n_%s = 0;' % n,
                'evirt_error err = { 0 };',
                'if (dispatch_params_in(&%s, &n_%s, %s.%s_val, %s.%s_len, &err) < 0) {'
                % (n, n, src, f.name, src, f.name),
                '    dispatch_error(call, &err);', '    return;', '}']
        cleanup.append('evirt_typed_params_free(%s, n_%s);' % (n, n))
        call_args += [n, 'n_%s' % n]
    else:
        raise SystemExit('no conversion from %s %s to %s' % (f.type, f.name, t))


def dispatch_done(row, structs):
    """Body of the completion: finish, build ret, reply."""
    op, r = row.op, row.op.result
    kind = r[0]
    fields = structs[row.ret] if row.ret else []
    ret_t = ctype(row.ret) if row.ret else None
    fin = 'evirt_%s_finish' % op.name
    out = []
    if row.args:
        out += ['%s *args = ctx->args;' % ctype(row.args), '(void)args;']
    if ret_t:
        out += ['%s ret;' % ret_t, 'memset(&ret, 0, sizeof(ret));']
    fail = ['    dispatch_error(call, &err);', '    goto out;']
    out.append('evirt_error err = { 0 };')
    if kind == 'void':
        out += ['if (%s(op) < 0) {' % fin, '    dispatch_op_failed(call, op);', '    goto out;', '}']
        if row.echo:
            out += ['if (dispatch_dom_copy(&ret.%s, &args->dom) < 0) {' % fields[0].name] + fail + ['}']
    elif kind == 'int':
        out += ['int v = %s(op);' % fin,
                'if (v < 0) {', '    dispatch_op_failed(call, op);', '    goto out;', '}',
                'ret.%s = v;' % fields[0].name]
    elif kind in ('uint', 'ulong', 'ullong'):
        out += ['%s v;' % gen_api.SCALARS[kind],
                'if (%s(op, &v) < 0) {' % fin, '    dispatch_op_failed(call, op);', '    goto out;', '}',
                'ret.%s = v;' % fields[0].name]
    elif kind == 'string':
        f = fields[0]
        out += ['char *s = %s(op);' % fin]
        if f.kind == 'ostr':
            out += ['if (!s && evirt_op_error(op)) {', '    dispatch_op_failed(call, op);', '    goto out;', '}',
                    'if (s && !(ret.%s = malloc(sizeof(*ret.%s)))) {' % (f.name, f.name),
                    '    free(s);'] + fail + ['}',
                    'if (s)', '    *ret.%s = s;' % f.name]
        else:
            out += ['if (!s) {', '    dispatch_op_failed(call, op);', '    goto out;', '}',
                    'ret.%s = s;' % f.name]
    elif kind in KIND_OF:
        f = fields[0]
        out += ['evirt_%s *obj = %s(op);' % (kind, fin),
                'if (!obj) {', '    dispatch_op_failed(call, op);', '    goto out;', '}',
                'int rc = evirt_remote_%s_out(&ret.%s, obj, 1);' % (f.type, f.name),
                'evirt_%s_unref(obj);' % kind,
                'if (rc < 0) {'] + fail + ['}']
    elif kind == 'struct':
        out += ['evirt_%s v;' % r[1], 'memset(&v, 0, sizeof(v));',
                'if (%s(op, &v) < 0) {' % fin, '    dispatch_op_failed(call, op);', '    goto out;', '}',
                'if (evirt_remote_%s_out(&ret, &v) < 0) {' % r[1]] + fail + ['}']
    else:
        f = array_field(fields)
        elem, freer = list_elem(op)
        arr = 'ret.%s.%s' % (f.name, f.name)
        out += ['%s *list = NULL;' % elem,
                'int n = %s(op, &list), keep, i;' % fin,
                'if (n < 0) {', '    dispatch_op_failed(call, op);', '    goto out;', '}',
                'keep = n;']
        for cap in ('maxnames', 'maxids', 'maxinfo'):
            if cap in row.consts:
                out += ['if (args->%s > %s) {' % (cap, f.limit),
                        '    evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC, "%s > %%d", %s);'
                        % (cap, f.limit),
                        '    %s(list, n);' % freer] + fail + ['}',
                        'if (keep > args->%s)' % cap, '    keep = args->%s < 0 ? 0 : args->%s;' % (cap, cap)]
        if 'nparams' in row.consts:
            # libvirtd: the count only answers the first round (nparams 0)
            out += ['if (args->nparams <= 0)', '    ret.nparams = n;',
                    'keep = args->nparams <= 0 ? 0 : (n < args->nparams ? n : args->nparams);']
        if 'need_results' in row.consts:
            out += ['ret.ret = n;', 'if (!args->need_results)', '    keep = 0;']
        out += ['if (keep > %s) {' % f.limit,
                '    evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,',
                '                    "Too many %s \'%%d\' for limit \'%%d\'", keep, %s);'
                % (f.name, f.limit),
                '    %s(list, n);' % freer] + fail + ['}',
                'if (keep > 0 && !(%s_val = calloc((size_t)keep, sizeof(*%s_val)))) {' % (arr, arr),
                '    %s(list, n);' % freer] + fail + ['}',
                'for (i = 0; i < keep; i++) {',
                '    if (%s) {' % elem_out(f, '%s_val[i]' % arr, 'list[i]'),
                '        %s(list, n);' % freer,
                '        dispatch_error(call, &err);', '        goto out;', '    }',
                '    %s_len++;' % arr, '}',
                '%s(list, n);' % freer]
    if row.post:
        out += ['if (%s(args, &ret) < 0) {' % row.post,
                '    evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC, "cannot build the reply");'] + fail + ['}']
    out.append('evirt_rpc_call_reply(call, %s);' % ('&ret' if ret_t else 'NULL'))
    out.append('')
    return out, ret_t


def emit_dispatch(rows, structs):
    out = [DISPATCH_PROLOGUE]
    table = []
    for row in rows:
        if row.client_only:
            continue
        op = row.op
        out.append('/* %s: %s */' % (op.name, row.proc))
        out.append('static void %s_done(evirt_op *op, void *opaque)' % op.name)
        out.append('{')
        out.append('    dispatch_ctx *ctx = opaque;')
        out.append('    evirt_rpc_call *call = ctx->call;')
        body, ret_t = dispatch_done(row, structs)
        out += ['    ' + x if x else '' for x in body]
        out.append(' out:')
        if ret_t:
            out.append('    xdr_free(%s, (char *)&ret);' % xdr(row.ret))
        out.append('    evirt_error_reset(&err);')
        out.append('    free(ctx);')
        out.append('}')
        out.append('')
        out.append('static void dispatch_%s(evirt_rpc_call *call, void *argp)' % op.name)
        out.append('{')
        pre, call_args, cleanup = [], [], []
        if row.args:
            pre += ['%s *args = argp;' % ctype(row.args), '(void)args;']
        else:
            pre.append('(void)argp;')
        pre += ['evirt_conn *conn = dispatch_conn(call);', 'if (!conn)', '    return;']
        if op.subject == 'conn':
            call_args.append('conn')
        for f, a in args_pairs(row, structs):
            if a is not None:
                dispatch_arg(f, a, pre, call_args, cleanup)
        pre += ['dispatch_ctx *ctx = dispatch_ctx_new(call, argp);',
                'evirt_op *op = ctx ? evirt_%s_async(%s, %s_done, ctx) : NULL;'
                % (op.name, ', '.join(call_args), op.name)]
        pre += cleanup
        pre += ['if (!op) {', '    free(ctx);', '    dispatch_oom(call);', '}']
        out += ['    ' + x for x in pre]
        out.append('}')
        out.append('')
        table.append('    { EVIRT_REMOTE_PROC_%s, %s, %s, %s, %s, dispatch_%s, 0 },'
                     % (row.proc, xdr(row.args),
                        'sizeof(%s)' % ctype(row.args) if row.args else '0',
                        xdr(row.ret), 'sizeof(%s)' % ctype(row.ret) if row.ret else '0',
                        op.name))
    out.append('const evirt_rpc_proc evirt_remote_dispatch_procs[] = {')
    out += table
    out.append('};')
    out.append('const size_t evirt_remote_dispatch_nprocs =')
    out.append('    sizeof(evirt_remote_dispatch_procs) / sizeof(evirt_remote_dispatch_procs[0]);')
    return out


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ('stubs', 'dispatch'):
        raise SystemExit(__doc__)
    ops = gen_api.parse(sys.argv[2])
    structs = parse_x(sys.argv[3])
    rows = parse_table(sys.argv[4], ops)
    for row in rows:
        for s in (row.args, row.ret):
            if s and s not in structs:
                raise SystemExit('%s: no struct %s%s in remote.x' % (row.op.name, PREFIX, s))
    emit = emit_stubs if sys.argv[1] == 'stubs' else emit_dispatch
    sys.stdout.write('\n'.join(emit(rows, structs)) + '\n')


if __name__ == '__main__':
    main()
