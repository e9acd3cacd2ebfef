# tools/: evirt, the command-line client (a plain user of libevirt).
bin_PROGRAMS += tools/evirt
tools_evirt_SOURCES = \
	tools/evirt.c \
	tools/vsh.h \
	tools/vsh-strings.c \
	tools/vsh-table.c \
	tools/vsh-table.h \
	tools/vsh-util.c \
	tools/vsh-util.h \
	tools/cmd-domain.c \
	tools/cmd-host.c \
	tools/cmd-event.c \
	tools/cmd-network.c \
	tools/cmd-storage.c \
	tools/cmd-interface.c \
	tools/cmd-nodedev.c
tools_evirt_LDADD = libevirt.la

# Shell tests that run the real binary (they find it through the
# top_builddir exported by AM_TESTS_ENVIRONMENT).
TESTS += tests/test-cli.sh tests/test-virsh-parity.sh
EXTRA_DIST += tests/test-cli.sh tests/test-virsh-parity.sh
