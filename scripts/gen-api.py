#!/usr/bin/env python3
"""Generates evirt's repetitive API layers from api/evirt.api.

    gen-api.py header  api/evirt.api > include/evirt/api.h
    gen-api.py source  api/evirt.api > api/api-gen.c
    gen-api.py driver  api/evirt.api > api/driver-gen.h

Read api/evirt.api first: it explains the line format.  This script has
three parts: parse() turns each line into an Op; the tables below say how
each argument and result type looks in C; and one emit function per
output writes the code.  Nothing else is hidden anywhere.
"""

import re
import sys
from dataclasses import dataclass, field

# ---------------------------------------------------------------- types

# Objects: every handle type.  An operation runs on one (its first
# argument, the "subject"), and may return one or a list of them.
# (name, error code for a NULL handle, error domain)
OBJECTS = [
    ('domain', 'EVIRT_ERR_INVALID_DOMAIN', 'EVIRT_FROM_DOM'),
    ('network', 'EVIRT_ERR_INVALID_NETWORK', 'EVIRT_FROM_NETWORK'),
    ('storage_pool', 'EVIRT_ERR_INVALID_STORAGE_POOL', 'EVIRT_FROM_STORAGE'),
    ('storage_vol', 'EVIRT_ERR_INVALID_STORAGE_VOL', 'EVIRT_FROM_STORAGE'),
    ('interface', 'EVIRT_ERR_INVALID_INTERFACE', 'EVIRT_FROM_INTERFACE'),
    ('nodedev', 'EVIRT_ERR_INVALID_NODE_DEVICE', 'EVIRT_FROM_NODEDEV'),
]

SUBJECTS = {
    'conn': dict(ctype='evirt_conn *', conn='{v}', ref='evirt_conn_ref({v})',
                 unref='evirt_conn_close({v})', invalid='EVIRT_ERR_INVALID_CONN',
                 frm='EVIRT_FROM_NONE'),
}
for _obj, _invalid, _frm in OBJECTS:
    SUBJECTS[_obj] = dict(ctype='evirt_%s *' % _obj,
                          conn='{v}->conn' if _obj == 'domain' else '{v}->h.conn',
                          ref='evirt_%s_ref({v})' % _obj,
                          unref='evirt_%s_unref({v})' % _obj,
                          invalid=_invalid, frm=_frm)

# Arguments: the public C parameters, how the op stores a copy, how it is
# freed, and how the stored copy is passed to the driver.
SCALARS = {'int': 'int', 'uint': 'unsigned int', 'long': 'long',
           'ulong': 'unsigned long', 'llong': 'long long',
           'ullong': 'unsigned long long'}


def arg_params(a):
    """The public C parameter list of one argument."""
    if a.type in SCALARS:
        return ['%s %s' % (SCALARS[a.type], a.name)]
    if a.type in ('string', 'ostring'):
        return ['const char *%s' % a.name]
    if a.type == 'uuid':
        return ['const unsigned char *%s' % a.name]
    if a.type == 'uint_array':
        return ['const unsigned int *%s' % a.name, 'int n_%s' % a.name]
    if a.type == 'params':
        return ['const evirt_typed_param *%s' % a.name, 'int n_%s' % a.name]
    if a.type in SUBJECTS and a.type != 'conn':
        return ['evirt_%s *%s' % (a.type, a.name)]
    raise SystemExit('unknown argument type %r' % a.type)


def arg_fields(a):
    """The members of the op's argument struct."""
    if a.type in SCALARS:
        return ['%s %s;' % (SCALARS[a.type], a.name)]
    if a.type in ('string', 'ostring'):
        return ['char *%s;' % a.name]
    if a.type == 'uuid':
        return ['unsigned char %s[16];' % a.name]
    if a.type == 'uint_array':
        return ['unsigned int *%s;' % a.name, 'int n_%s;' % a.name]
    if a.type == 'params':
        return ['evirt_typed_param *%s;' % a.name, 'int n_%s;' % a.name]
    return ['evirt_%s *%s;' % (a.type, a.name)]


def arg_store(a):
    """C statements copying the argument into a->NAME; they set oom=1 on failure."""
    n = a.name
    if a.type in SCALARS:
        return ['a->%s = %s;' % (n, n)]
    if a.type in ('string', 'ostring'):
        return ['if (%s && !(a->%s = strdup(%s))) oom = 1;' % (n, n, n)]
    if a.type == 'uuid':
        return ['if (%s) memcpy(a->%s, %s, 16);' % (n, n, n)]
    if a.type == 'uint_array':
        return ['a->n_%s = %s ? n_%s : 0;' % (n, n, n),
                'if (a->n_%s > 0 && !(a->%s = evirt_api_dup(%s, sizeof(*%s) * (size_t)n_%s))) oom = 1;'
                % (n, n, n, n, n)]
    if a.type == 'params':
        return ['a->n_%s = %s ? n_%s : 0;' % (n, n, n),
                'if (a->n_%s > 0 && !(a->%s = evirt_typed_params_copy(%s, n_%s))) oom = 1;'
                % (n, n, n, n)]
    return ['a->%s = %s;' % (n, SUBJECTS[a.type]['ref'].format(v=n))]


def arg_free(a):
    if a.type in ('string', 'ostring', 'uint_array'):
        return ['free(a->%s);' % a.name]
    if a.type == 'params':
        return ['evirt_typed_params_free(a->%s, a->n_%s);' % (a.name, a.name)]
    if a.type in SUBJECTS:
        return ['if (a->%s)' % a.name, '    %s;' % SUBJECTS[a.type]['unref'].format(v='a->' + a.name)]
    return []


def arg_pass(a):
    """How the stored copy is passed on to the driver entry."""
    if a.type in ('uint_array', 'params'):
        return ['a->%s' % a.name, 'a->n_%s' % a.name]
    return ['a->%s' % a.name]


def arg_checks(a):
    """(condition, message) pairs that fail the op with INVALID_ARG."""
    if a.type in ('string', 'uuid') or a.type in SUBJECTS:
        return [('!%s' % a.name, "argument '%s' must not be NULL" % a.name)]
    if a.type in ('uint_array', 'params'):
        return [('n_%s < 0' % a.name, "argument 'n_%s' must not be negative" % a.name),
                ('n_%s > 0 && !%s' % (a.name, a.name),
                 "argument '%s' must not be NULL" % a.name)]
    return []


# Results: (finish return type, out parameter or None, error value, body).
LIST_ELEMS = {'int': 'int', 'ullong': 'unsigned long long', 'string': 'char *',
              'params': 'evirt_typed_param'}
LIST_ELEMS.update({obj: 'evirt_%s *' % obj for obj, _, _ in OBJECTS})


def result_shape(r):
    """Returns (c_return_type, out_param_decl_or_None, error_value, body_lines)."""
    kind = r[0]
    if kind == 'void':
        return 'int', None, '-1', ['return 0;']
    if kind == 'int':
        return 'int', None, '-1', ['return (int)res->i;']
    if kind == 'string':
        return 'char *', None, 'NULL', ['char *s = res->p;', 'res->p = NULL;', 'return s;']
    if kind in SUBJECTS and kind != 'conn':
        return 'evirt_%s *' % kind, None, 'NULL', ['evirt_%s *obj = res->p;' % kind,
                                                  'res->p = NULL;', 'return obj;']
    if kind in ('uint', 'ulong', 'ullong'):
        return 'int', '%s *out' % SCALARS[kind], '-1', ['if (out) *out = (%s)res->u;' % SCALARS[kind],
                                                       'return 0;']
    if kind == 'struct':
        return 'int', 'evirt_%s *out' % r[1], '-1', ['if (out) memcpy(out, res->p, sizeof(*out));',
                                                     'return 0;']
    if kind == 'list':
        elem = 'evirt_%s' % r[2] if r[1] == 'struct' else LIST_ELEMS[r[1]]
        return 'int', '%s **out' % elem, '-1', ['if (out) {', '    *out = res->p;',
                                                '    res->p = NULL;', '}', 'return res->n;']
    raise SystemExit('unknown result %r' % (r,))


def family_domain(name):
    """The error domain of an operation's family, as libvirt reports
    refusals (read-only) from the API file of that family."""
    for prefix, dom in (('domain_', 'EVIRT_FROM_DOMAIN'), ('network_', 'EVIRT_FROM_NETWORK'),
                        ('storage_', 'EVIRT_FROM_STORAGE'), ('interface_', 'EVIRT_FROM_INTERFACE'),
                        ('nodedev_', 'EVIRT_FROM_NODEDEV')):
        if name.startswith(prefix):
            return dom
    return 'EVIRT_FROM_NONE'


# ---------------------------------------------------------------- parsing

@dataclass
class Arg:
    type: str
    name: str


@dataclass
class Op:
    name: str
    subject: str
    subject_name: str
    args: list
    result: list
    rw: bool
    errors: list = field(default_factory=list)
    doc: str = ''


LINE = re.compile(r'^(\w+)\((.*?)\)\s*->\s*([^!#]*?)\s*(?:!\s*([^#]*?))?\s*(?:#\s*(.*))?$')


def parse(path):
    ops = []
    for lineno, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        m = LINE.match(line)
        if not m:
            raise SystemExit('%s:%d: cannot parse: %s' % (path, lineno, line))
        name, args, result, errors, doc = m.groups()
        argv = [Arg(*x.split()) for x in args.split(',') if x.strip()]
        if not argv or argv[0].type not in SUBJECTS:
            raise SystemExit('%s:%d: first argument must be conn or an object' % (path, lineno))
        rtoks = result.split()
        rw = 'rw' in rtoks
        rtoks = [t for t in rtoks if t != 'rw']
        ops.append(Op(name, argv[0].type, argv[0].name, argv[1:], rtoks, rw,
                      (errors or '').split(), doc or ''))
    return ops


# ---------------------------------------------------------------- output

def params_of(op):
    ps = ['%s%s' % (SUBJECTS[op.subject]['ctype'], op.subject_name)]
    for a in op.args:
        ps += arg_params(a)
    return ps


def emit_header(ops):
    out = ['/* Generated by scripts/gen-api.py from api/evirt.api: do not edit. */',
           '/*',
           ' * evirt/api.h - every operation as _async, _finish and sync.',
           ' *',
           ' * The contract of all three is in evirt/op.h: the callback runs exactly',
           ' * once, never inside _async; _finish is called once; the sync form',
           ' * blocks (iterating the loop when called on its thread) and keeps its',
           ' * error in evirt_last_error().  Results returned through _finish or',
           ' * the sync form belong to the caller: free strings and arrays with',
           ' * free() (evirt_string_list_free, evirt_domain_list_free and the',
           ' * other evirt_*_list_free, evirt_typed_params_free for lists), drop',
           ' * handles with evirt_domain_unref() and the other evirt_*_unref().',
           ' */',
           '#ifndef EVIRT_API_H', '#define EVIRT_API_H', '',
           '#include <evirt/types.h>', '#include <evirt/op.h>', '',
           'EVIRT_BEGIN_DECLS', '']
    for op in ops:
        ret, outp, _, _ = result_shape(op.result)
        doc = op.doc or op.name.replace('_', ' ')
        errs = ' '.join('EVIRT_ERR_' + e for e in op.errors)
        out.append('/* %s%s%s */' % (doc, '; changes state (refused on read-only connections)'
                                     if op.rw else '', ('.\n * Errors: ' + errs) if errs else ''))
        ps = params_of(op)
        out.append('EVIRT_API evirt_op *evirt_%s_async(%s, evirt_callback cb, void *opaque);'
                   % (op.name, ', '.join(ps)))
        fin = ['evirt_op *op'] + ([outp] if outp else [])
        out.append('EVIRT_API %s evirt_%s_finish(%s);' % (ret, op.name, ', '.join(fin)))
        out.append('EVIRT_API %s evirt_%s(%s);' % (ret, op.name, ', '.join(ps + ([outp] if outp else []))))
        out.append('')
    out += ['EVIRT_END_DECLS', '', '#endif']
    return out


def emit_driver(ops):
    out = ['/* Generated by scripts/gen-api.py from api/evirt.api: do not edit. */',
           '#ifndef EVIRT_DRIVER_GEN_H', '#define EVIRT_DRIVER_GEN_H', '',
           '/* One async entry per operation; see api/driver.h for the rules. */',
           'typedef struct evirt_driver_ops {']
    for op in ops:
        out.append('    void (*%s)(evirt_op *op, %s);' % (op.name, ', '.join(params_of(op))))
    out += ['} evirt_driver_ops;', '', '#endif']
    return out


def emit_source(ops):
    out = ['/* Generated by scripts/gen-api.py from api/evirt.api: do not edit. */',
           '#include <config.h>', '#include <stdlib.h>', '#include <string.h>',
           '#include <evirt/evirt.h>', '#include "api/driver.h"',
           '#include "api/api-support.h"', '']
    for op in ops:
        s = SUBJECTS[op.subject]
        sv = op.subject_name
        ret, outp, errval, body = result_shape(op.result)
        ps = params_of(op)
        # argument struct
        out.append('struct %s_args {' % op.name)
        out.append('    %ssubject;' % s['ctype'])
        for a in op.args:
            out += ['    ' + f for f in arg_fields(a)]
        out.append('};')
        out.append('')
        out.append('static void %s_args_free(void *p)' % op.name)
        out.append('{')
        out.append('    struct %s_args *a = p;' % op.name)
        out.append('    if (a->subject)')
        out.append('        %s;' % s['unref'].format(v='a->subject'))
        for a in op.args:
            out += ['    ' + x for x in arg_free(a)]
        out.append('    free(a);')
        out.append('}')
        out.append('')
        # dispatch
        out.append('static void %s_dispatch(evirt_op *op)' % op.name)
        out.append('{')
        out.append('    struct %s_args *a = evirt_op_get_args(op);' % op.name)
        out.append('    const evirt_driver *drv = evirt_op_get_conn(op)->driver;')
        out.append('    if (!drv->ops.%s) {' % op.name)
        out.append('        evirt_api_fail_no_support(op);')
        out.append('        return;')
        out.append('    }')
        passed = ['a->subject'] + [x for a in op.args for x in arg_pass(a)]
        out.append('    drv->ops.%s(op, %s);' % (op.name, ', '.join(passed)))
        out.append('}')
        out.append('')
        # start
        out.append('static evirt_op *%s_start(%s, evirt_callback cb, void *opaque, int hold)'
                   % (op.name, ', '.join(ps)))
        out.append('{')
        out.append('    if (!%s) {' % sv)
        out.append('        evirt_error_report(%s, %s, "evirt_%s: %s is NULL");'
                   % (s['frm'], s['invalid'], op.name, op.subject_name))
        out.append('        return NULL;')
        out.append('    }')
        out.append('    evirt_op *op = evirt_api_op_begin(%s, "%s", %s, %d, cb, opaque, hold);'
                   % (s['conn'].format(v=sv), op.name, family_domain(op.name), int(op.rw)))
        out.append('    if (!op)')
        out.append('        return NULL;')
        out.append('    struct %s_args *a = calloc(1, sizeof(*a));' % op.name)
        out.append('    int oom = !a;')
        out.append('    if (a) {')
        out.append('        a->subject = %s;' % s['ref'].format(v=sv))
        for a in op.args:
            out += ['        ' + x for x in arg_store(a)]
        out.append('        evirt_op_set_args(op, a, %s_args_free);' % op.name)
        out.append('    }')
        out.append('    if (oom) {')
        out.append('        evirt_api_fail_oom(op);')
        out.append('        return op;')
        out.append('    }')
        for a in op.args:
            for cond, msg in arg_checks(a):
                out.append('    if (%s) {' % cond)
                out.append('        evirt_api_fail_arg(op, "evirt_%s: %s");' % (op.name, msg))
                out.append('        return op;')
                out.append('    }')
        out.append('    evirt_api_op_dispatch(op, %s_dispatch);' % op.name)
        out.append('    return op;')
        out.append('}')
        out.append('')
        # async
        names = [sv] + [p.split()[-1].lstrip('*') for a in op.args for p in arg_params(a)]
        out.append('evirt_op *evirt_%s_async(%s, evirt_callback cb, void *opaque)'
                   % (op.name, ', '.join(ps)))
        out.append('{')
        out.append('    return %s_start(%s, cb, opaque, 0);' % (op.name, ', '.join(names)))
        out.append('}')
        out.append('')
        # finish
        fin = ['evirt_op *op'] + ([outp] if outp else [])
        out.append('%s evirt_%s_finish(%s)' % (ret, op.name, ', '.join(fin)))
        out.append('{')
        out.append('    evirt_op_result *res;')
        out.append('    if (evirt_op_take_result(op, &res) < 0)')
        out.append('        return %s;' % errval)
        out += ['    ' + b for b in body]
        out.append('}')
        out.append('')
        # sync
        out.append('%s evirt_%s(%s)' % (ret, op.name, ', '.join(ps + ([outp] if outp else []))))
        out.append('{')
        out.append('    evirt_op *op = %s_start(%s, NULL, NULL, 1);' % (op.name, ', '.join(names)))
        out.append('    if (!op)')
        out.append('        return %s;' % errval)
        out.append('    evirt_op_sync_wait(op);')
        out.append('    %s ret = evirt_%s_finish(op%s);' % (ret, op.name, ', out' if outp else ''))
        out.append('    evirt_op_sync_end(op);')
        out.append('    return ret;')
        out.append('}')
        out.append('')
    return out


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ('header', 'source', 'driver'):
        raise SystemExit(__doc__)
    ops = parse(sys.argv[2])
    emit = {'header': emit_header, 'source': emit_source, 'driver': emit_driver}[sys.argv[1]]
    sys.stdout.write('\n'.join(emit(ops)) + '\n')


if __name__ == '__main__':
    main()
