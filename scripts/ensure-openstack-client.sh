#!/usr/bin/env bash
# Makes sure the real Bare Metal command-line client is installed: Debian's
# python3-ironicclient (the `baremetal` command) and python3-openstackclient
# (`openstack baremetal ...`), and python3-openstacksdk, the library under
# them. test/api/baremetal-cli.test.ts and test/api/openstacksdk.test.ts
# drive a real `ferrite serve` with them.
#
# The client runs under Debian's /usr/bin/python3, not whatever python3 is
# first on PATH, so the commands are checked (and called) by absolute path.
set -euo pipefail
LOG_NAME=ensure-openstack-client
# shellcheck source=lib/debian-packages.sh
source "$(dirname "$0")/lib/debian-packages.sh"

client_works() {
  [ -x /usr/bin/baremetal ] && [ -x /usr/bin/openstack ] &&
    /usr/bin/python3 -c 'import openstack' >/dev/null 2>&1 &&
    /usr/bin/baremetal --version >/dev/null 2>&1
}

ensure_debian_packages "the Bare Metal client (/usr/bin/baremetal, /usr/bin/openstack)" client_works \
  python3-ironicclient python3-openstackclient python3-openstacksdk
