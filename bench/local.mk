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
