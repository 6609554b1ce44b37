#!/usr/bin/env bash
# Makes sure the real Bare Metal command-line client is installed: Debian's
# python3-ironicclient (the `baremetal` command) and python3-openstackclient
# (`openstack baremetal ...`), and python3-openstacksdk, the library under
# them. test/api/baremetal-cli.test.ts and test/api/openstacksdk.test.ts
# drive a real `ferrite serve` with them.
#
# Idempotent and quick when both commands are there. Missing: install the
# Debian packages with apt-get as root (running `apt-get update` first when
# the install fails for lack of package lists). Not root: under CI=true that
# is an error; otherwise it says so and leaves the test to skip with a reason.
#
# The client runs under Debian's /usr/bin/python3, not whatever python3 is
# first on PATH, so the commands are checked (and called) by absolute path.
set -euo pipefail

BAREMETAL=/usr/bin/baremetal
OPENSTACK=/usr/bin/openstack
PACKAGES=(python3-ironicclient python3-openstackclient python3-openstacksdk)

log() { echo "ensure-openstack-client: $*"; }
fail() {
  echo "ensure-openstack-client: $*" >&2
  exit 1
}

installed() {
  [ -x "$BAREMETAL" ] && [ -x "$OPENSTACK" ] && /usr/bin/python3 -c 'import openstack' >/dev/null 2>&1
}

if installed; then
  log "the Bare Metal client is installed ($BAREMETAL, $OPENSTACK)."
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  message="the Bare Metal client ($BAREMETAL) is not installed and this is not root: install it (apt-get install ${PACKAGES[*]}) or run this script as root."
  [ "${CI:-}" = "true" ] && fail "$message"
  log "$message The tests that need it will skip."
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || fail "the Bare Metal client is not installed and apt-get is not available: install ${PACKAGES[*]} by hand."

export DEBIAN_FRONTEND=noninteractive
apt_install() { apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"; }

log "installing ${PACKAGES[*]} with apt-get."
if ! apt_install; then
  log "apt-get install failed: updating the package lists and trying again."
  apt-get update -q || fail "apt-get update failed."
  apt_install || fail "apt-get install ${PACKAGES[*]} failed."
fi

installed || fail "${PACKAGES[*]} are installed but $BAREMETAL, $OPENSTACK or the openstack module is missing."
"$BAREMETAL" --version >/dev/null 2>&1 || fail "$BAREMETAL is installed but does not run ('$BAREMETAL --version' failed)."
log "the Bare Metal client is installed ($BAREMETAL, $OPENSTACK)."
