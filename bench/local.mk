# bench/: benchmarks, side by side with libvirt.  Built by `make` (they are
# noinst programs) but never run by `make check`: figures are printed,
# never judged.  bench/run.sh builds and runs them and prints one table.
noinst_PROGRAMS += bench/bench-inproc
bench_bench_inproc_SOURCES = bench/bench-inproc.c bench/bench-util.c \
	bench/bench-util.h
bench_bench_inproc_LDADD = libevirt.la

if HAVE_LIBVIRT
noinst_PROGRAMS += bench/bench-libvirt
bench_bench_libvirt_SOURCES = bench/bench-libvirt.c bench/bench-util.c \
	bench/bench-util.h
bench_bench_libvirt_CFLAGS = $(AM_CFLAGS) $(LIBVIRT_CFLAGS)
bench_bench_libvirt_LDADD = $(LIBVIRT_LIBS)
endif

EXTRA_DIST += bench/run.sh bench/README.md

# Over the wire (bench/run-rpc.sh starts a private evirtd and libvirtd).
noinst_PROGRAMS += bench/bench-rpc
bench_bench_rpc_SOURCES = bench/bench-rpc.c bench/bench-rpc-util.c \
	bench/bench-rpc-util.h bench/bench-util.c bench/bench-util.h
bench_bench_rpc_LDADD = libevirt.la

if HAVE_LIBVIRT
noinst_PROGRAMS += bench/bench-rpc-libvirt
bench_bench_rpc_libvirt_SOURCES = bench/bench-rpc-libvirt.c \
	bench/bench-rpc-util.c bench/bench-rpc-util.h bench/bench-util.c \
	bench/bench-util.h
bench_bench_rpc_libvirt_CFLAGS = $(AM_CFLAGS) $(LIBVIRT_CFLAGS)
bench_bench_rpc_libvirt_LDADD = $(LIBVIRT_LIBS)
endif

# The kernel's price of a request and a reply (bench/run-rpc.sh's floor).
noinst_PROGRAMS += bench/bench-floor
bench_bench_floor_SOURCES = bench/bench-floor.c bench/bench-util.c \
	bench/bench-util.h

EXTRA_DIST += bench/run-rpc.sh
