# tests/interop-daemons.sh - sourced by the interop tests: starts a private
# evirtd and a private libvirtd side by side, each in its own temporary
# folder with its own config file, and stops both on exit.
#
# Nothing touches the system's daemons: the sockets, pid files and logs
# live in the temporary folders, libvirtd gets an empty driver-module
# folder (LIBVIRT_DRIVER_DIR: only the test and remote drivers built into
# libvirt remain, so no hypervisor driver creates state under /run or
# /var) and XDG folders there too (for when it runs unprivileged).
#
# After interop_start:
#   EV_SOCK, EV_SOCK_RO   evirtd's read-write and read-only sockets
#   LV_SOCK, LV_SOCK_RO   libvirtd's; LV_SOCK_RO is empty when libvirtd
#                         runs unprivileged (then it has no read-only
#                         socket: use a read-only open of LV_SOCK instead)
#   EV_TCP_PORT           evirtd's plain TCP port on 127.0.0.1 (auth none)
#   EV_URI, LV_URI        test+unix:///default?socket=... (read-write)
#   interop_tmp           a scratch folder removed on exit
# interop_stop_evirtd     stops evirtd; fails (1) when it exited badly
#                         (a sanitizer report, a crash): call it last.
#
# Needs: $EVIRTD (default $top_builddir/daemon/evirtd), $LIBVIRTD
# (default /usr/sbin/libvirtd).  interop_require_libvirtd exits 77 when
# libvirtd is absent.

top_builddir=${top_builddir:-.}
EVIRTD=${EVIRTD:-$top_builddir/daemon/evirtd}
LIBVIRTD=${LIBVIRTD:-/usr/sbin/libvirtd}

interop_require_libvirtd() {
    if [ ! -x "$LIBVIRTD" ]; then
        echo "SKIP: libvirtd not found at $LIBVIRTD"
        exit 77
    fi
    if [ ! -x "$EVIRTD" ]; then
        echo "FAIL: no evirtd binary at $EVIRTD"
        exit 1
    fi
}

interop_cleanup() {
    for pidvar in ev_pid lv_pid; do
        eval "p=\$$pidvar"
        if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
            kill -TERM "$p" 2>/dev/null
            i=0
            while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
                sleep 0.1
                i=$((i + 1))
            done
            kill -KILL "$p" 2>/dev/null
        fi
    done
    [ -n "$ev_dir" ] && rm -rf "$ev_dir"
    [ -n "$lv_dir" ] && rm -rf "$lv_dir"
    [ -n "$interop_tmp" ] && rm -rf "$interop_tmp"
}

# wait_socket PATH PID: 0 once PATH is a socket, 1 if PID died or 10 s passed.
wait_socket() {
    i=0
    while [ $i -lt 100 ]; do
        [ -S "$1" ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# A loopback TCP port nobody listens on (best effort: evirtd is retried).
pick_port() {
    echo $((20000 + ($$ * 7 + $1 * 131) % 40000))
}

start_evirtd() {
    ev_dir=$(mktemp -d "${TMPDIR:-/tmp}/evirtd.XXXXXX") || return 1
    try=0
    while [ $try -lt 5 ]; do
        EV_TCP_PORT=$(pick_port $try)
        cat >"$ev_dir/evirtd.conf" <<EOF
unix_sock_dir = "$ev_dir"
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$EV_TCP_PORT"
auth_tcp = "none"
log_outputs = "3:stderr"
EOF
        "$EVIRTD" --config "$ev_dir/evirtd.conf" --listen \
            --pid-file "$ev_dir/evirtd.pid" 2>"$ev_dir/evirtd.log" &
        ev_pid=$!
        if wait_socket "$ev_dir/libvirt-sock" "$ev_pid"; then
            EV_SOCK=$ev_dir/libvirt-sock
            EV_SOCK_RO=$ev_dir/libvirt-sock-ro
            EV_URI="test+unix:///default?socket=$EV_SOCK"
            return 0
        fi
        wait "$ev_pid" 2>/dev/null
        ev_pid=
        try=$((try + 1))
    done
    echo "FAIL: evirtd did not start:"
    sed 's/^/    | /' "$ev_dir/evirtd.log"
    return 1
}

start_libvirtd() {
    lv_dir=$(mktemp -d "${TMPDIR:-/tmp}/libvirtd.XXXXXX") || return 1
    mkdir "$lv_dir/modules" "$lv_dir/xdg"
    cat >"$lv_dir/libvirtd.conf" <<EOF
unix_sock_dir = "$lv_dir"
listen_tcp = 0
listen_tls = 0
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0700"
log_outputs = "3:file:$lv_dir/libvirtd.log"
EOF
    (
        cd "$lv_dir" || exit 1
        LIBVIRT_DRIVER_DIR=$lv_dir/modules \
        XDG_RUNTIME_DIR=$lv_dir/xdg XDG_CONFIG_HOME=$lv_dir/xdg \
        XDG_CACHE_HOME=$lv_dir/xdg XDG_DATA_HOME=$lv_dir/xdg \
            exec "$LIBVIRTD" --config "$lv_dir/libvirtd.conf" \
            --pid-file "$lv_dir/libvirtd.pid" --timeout 120 \
            >"$lv_dir/stdout.log" 2>&1
    ) &
    lv_pid=$!
    if ! wait_socket "$lv_dir/libvirt-sock" "$lv_pid"; then
        echo "FAIL: libvirtd did not start:"
        cat "$lv_dir/stdout.log" "$lv_dir/libvirtd.log" 2>/dev/null | sed 's/^/    | /'
        return 1
    fi
    LV_SOCK=$lv_dir/libvirt-sock
    LV_SOCK_RO=
    [ -S "$lv_dir/libvirt-sock-ro" ] && LV_SOCK_RO=$lv_dir/libvirt-sock-ro
    LV_URI="test+unix:///default?socket=$LV_SOCK"
}

interop_start() {
    ev_pid= lv_pid= ev_dir= lv_dir=
    unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI EVIRT_DEFAULT_URI
    interop_tmp=$(mktemp -d "${TMPDIR:-/tmp}/interop.XXXXXX") || exit 1
    trap interop_cleanup EXIT
    trap 'exit 1' INT TERM HUP
    start_libvirtd || exit 1
    start_evirtd || exit 1
}

interop_stop_evirtd() {
    [ -n "$ev_pid" ] || return 0
    kill -TERM "$ev_pid" 2>/dev/null
    wait "$ev_pid"
    rc=$?
    ev_pid=
    if [ "$rc" -ne 0 ] ||
       grep -q -e 'runtime error:' -e 'Sanitizer' "$ev_dir/evirtd.log"; then
        echo "FAIL: evirtd exited with status $rc:"
        sed 's/^/    | /' "$ev_dir/evirtd.log"
        return 1
    fi
    echo "PASS: evirtd stopped cleanly"
    return 0
}
