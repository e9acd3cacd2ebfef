#!/bin/sh
# Installs the Debian packages evirt needs to build and test, when missing.
# Run as root (or with sudo available).  Prints nothing when all is there.
set -e

PACKAGES="build-essential autoconf automake libtool pkg-config python3
libevent-dev libxml2-dev libxml2-utils libcmocka-dev libglib2.0-dev
libvirt-dev libvirt-clients libvirt-daemon python3-libvirt
libtirpc-dev rpcsvc-proto valgrind"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Debian's libvirt-daemon would start services; a test machine wants none.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
