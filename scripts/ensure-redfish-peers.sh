#!/usr/bin/env bash
# Makes sure the real Redfish peers are installed: sushy (`python3-sushy`),
# the Redfish library Ironic uses, and DMTF's `redfishtool`, the clients
# Ferrite's Redfish BMC emulator (src/lab/redfish) is tested with.
set -euo pipefail
LOG_NAME=ensure-redfish-peers
# shellcheck source=lib/debian-packages.sh
source "$(dirname "$0")/lib/debian-packages.sh"

peers_present() {
  /usr/bin/python3 -c 'import sushy' >/dev/null 2>&1 && command -v redfishtool >/dev/null 2>&1
}

ensure_debian_packages "the Redfish peers (python3-sushy, redfishtool)" peers_present \
  python3-sushy redfishtool
