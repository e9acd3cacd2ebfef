# rpc/: libvirt's RPC protocol: messages, transports, client and server cores.
# --- rpcclient: messages, transports, client core (libevirt_rpc.la) ---
noinst_LTLIBRARIES += libevirt_rpc.la
EVIRT_LAYERS += libevirt_rpc.la
libevirt_rpc_la_SOURCES = \
	rpc/message.c rpc/message.h \
	rpc/transport.c rpc/transport.h rpc/transport-private.h \
	rpc/transport-socket.c rpc/transport-resolve.c rpc/transport-reap.c \
	rpc/client.c rpc/client.h
libevirt_rpc_la_CFLAGS = $(LAYER_CFLAGS) $(TIRPC_CFLAGS)
# The layers leave $(TIRPC_LIBS) to the programs and libevirt.la that
# link them: it may name libtirpc.a, which belongs in one final link only.

if HAVE_CMOCKA
check_PROGRAMS += tests/test-rpc-message tests/test-rpc-client
TESTS += tests/test-rpc-message tests/test-rpc-client
RPC_TEST_LDADD = libevirt_rpc.la libevirt_loop.la libevirt_base.la \
	$(TIRPC_LIBS) $(CMOCKA_LIBS) $(LIBEVENT_LIBS) $(LIBXML_LIBS) $(PTHREAD_LIBS)
tests_test_rpc_message_SOURCES = tests/test-rpc-message.c
tests_test_rpc_message_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(TIRPC_CFLAGS)
tests_test_rpc_message_LDADD = $(RPC_TEST_LDADD)
tests_test_rpc_client_SOURCES = tests/test-rpc-client.c
tests_test_rpc_client_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(TIRPC_CFLAGS)
tests_test_rpc_client_LDADD = $(RPC_TEST_LDADD)
endif
# --- end rpcclient ---
# --- rpcserver: server core (libevirt_rpc_server.la, daemon-only) ---
# Not in EVIRT_LAYERS: libevirt.so has no use for the server; evirtd and
# the tests link it next to libevirt_internal.la.
noinst_LTLIBRARIES += libevirt_rpc_server.la
libevirt_rpc_server_la_SOURCES = \
	rpc/server.c rpc/server.h rpc/server-private.h \
	rpc/server-client.c
libevirt_rpc_server_la_CFLAGS = $(LAYER_CFLAGS) $(TIRPC_CFLAGS)

if HAVE_CMOCKA
check_PROGRAMS += tests/test-rpc-server
TESTS += tests/test-rpc-server
tests_test_rpc_server_SOURCES = tests/test-rpc-server.c tests/rpc-raw.c \
	tests/rpc-raw.h
tests_test_rpc_server_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(TIRPC_CFLAGS)
tests_test_rpc_server_LDADD = libevirt_rpc_server.la $(RPC_TEST_LDADD)
endif
# --- end rpcserver ---

# --- rpcproto: protocol (.x -> rpcgen), conversions, generated glue ---
RPCGEN = rpcgen
GEN_REMOTE = $(PYTHON) $(top_srcdir)/scripts/gen-remote.py
REMOTE_GEN_INPUTS = $(top_srcdir)/api/evirt.api $(top_srcdir)/rpc/protocol/remote.x \
	$(top_srcdir)/rpc/remote-procs.table $(top_srcdir)/scripts/gen-remote.py \
	$(top_srcdir)/scripts/gen-api.py

# rpcgen names the header it includes after its input; point it at ours.
rpc/remote-xdr.h: $(top_srcdir)/rpc/protocol/remote.x
	$(AM_V_GEN)$(MKDIR_P) rpc && $(RPCGEN) -h $(top_srcdir)/rpc/protocol/remote.x > $@-t && mv $@-t $@
rpc/remote-xdr.c: $(top_srcdir)/rpc/protocol/remote.x
	$(AM_V_GEN)$(MKDIR_P) rpc && $(RPCGEN) -c $(top_srcdir)/rpc/protocol/remote.x \
		| sed -e 's|^#include ".*"|#include "rpc/remote-xdr.h"|' > $@-t && mv $@-t $@
rpc/keepalive-xdr.h: $(top_srcdir)/rpc/protocol/keepalive.x
	$(AM_V_GEN)$(MKDIR_P) rpc && $(RPCGEN) -h $(top_srcdir)/rpc/protocol/keepalive.x > $@-t && mv $@-t $@
rpc/keepalive-xdr.c: $(top_srcdir)/rpc/protocol/keepalive.x
	$(AM_V_GEN)$(MKDIR_P) rpc && $(RPCGEN) -c $(top_srcdir)/rpc/protocol/keepalive.x \
		| sed -e 's|^#include ".*"|#include "rpc/keepalive-xdr.h"|' > $@-t && mv $@-t $@
drivers/remote/remote-stubs.c: $(REMOTE_GEN_INPUTS)
	$(AM_V_GEN)$(MKDIR_P) drivers/remote && $(GEN_REMOTE) stubs $(API_DESC) \
		$(top_srcdir)/rpc/protocol/remote.x $(top_srcdir)/rpc/remote-procs.table > $@-t && mv $@-t $@
daemon/remote-dispatch.c: $(REMOTE_GEN_INPUTS)
	$(AM_V_GEN)$(MKDIR_P) daemon && $(GEN_REMOTE) dispatch $(API_DESC) \
		$(top_srcdir)/rpc/protocol/remote.x $(top_srcdir)/rpc/remote-procs.table > $@-t && mv $@-t $@

RPC_PROTO_GENERATED = rpc/remote-xdr.c rpc/remote-xdr.h rpc/keepalive-xdr.c rpc/keepalive-xdr.h
REMOTE_GLUE_GENERATED = drivers/remote/remote-stubs.c daemon/remote-dispatch.c
BUILT_SOURCES += $(RPC_PROTO_GENERATED)
CLEANFILES += $(RPC_PROTO_GENERATED) $(REMOTE_GLUE_GENERATED)
EXTRA_DIST += rpc/protocol/remote.x rpc/protocol/keepalive.x rpc/remote-procs.table \
	scripts/gen-remote.py

# rpcgen's C is not clean under our warnings: it gets its own, relaxed flags.
noinst_LTLIBRARIES += libevirt_rpc_xdr.la
nodist_libevirt_rpc_xdr_la_SOURCES = $(RPC_PROTO_GENERATED)
libevirt_rpc_xdr_la_CFLAGS = $(LAYER_CFLAGS) $(TIRPC_CFLAGS) \
	-Wno-unused-variable -Wno-cast-function-type -Wno-missing-prototypes

noinst_LTLIBRARIES += libevirt_rpc_proto.la
EVIRT_LAYERS += libevirt_rpc_proto.la
libevirt_rpc_proto_la_SOURCES = rpc/remote-conv.c rpc/remote-conv.h
libevirt_rpc_proto_la_CFLAGS = $(LAYER_CFLAGS) $(TIRPC_CFLAGS)
libevirt_rpc_proto_la_LIBADD = libevirt_rpc_xdr.la

# The generated glue.  Its two halves call hooks of the remote driver
# (evirt_remote_conn_client) and of evirtd (evirt_daemon_call_conn), so
# each is its own library for those to link: drivers/remote adds
# libevirt_remote_stubs.la to EVIRT_LAYERS, evirtd links
# libevirt_remote_dispatch.la.  Until then they are only compiled.
noinst_LTLIBRARIES += libevirt_remote_stubs.la libevirt_remote_dispatch.la
nodist_libevirt_remote_stubs_la_SOURCES = drivers/remote/remote-stubs.c
libevirt_remote_stubs_la_SOURCES = drivers/remote/remote-stubs.h
libevirt_remote_stubs_la_CFLAGS = $(LAYER_CFLAGS) $(TIRPC_CFLAGS)
nodist_libevirt_remote_dispatch_la_SOURCES = daemon/remote-dispatch.c
libevirt_remote_dispatch_la_SOURCES = daemon/remote-dispatch.h
libevirt_remote_dispatch_la_CFLAGS = $(AM_CFLAGS) $(TIRPC_CFLAGS)

if HAVE_CMOCKA
check_PROGRAMS += tests/test-rpc-xdr
TESTS += tests/test-rpc-xdr
tests_test_rpc_xdr_SOURCES = tests/test-rpc-xdr.c
tests_test_rpc_xdr_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(TIRPC_CFLAGS)
tests_test_rpc_xdr_LDADD = $(EVIRT_TEST_LIBS)
endif
# --- end rpcproto ---
