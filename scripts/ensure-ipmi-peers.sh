#!/usr/bin/env bash
# Makes sure the real IPMI peers are installed: OpenIPMI's BMC simulator
# (`ipmi_sim`, with `sdrcomp` for its sensor records) from `openipmi`, which
# Ferrite's IPMI client is tested against; `ipmitool` and FreeIPMI
# (`ipmipower`, `ipmi-sensors`, `ipmiconsole`), the clients Ferrite's BMC
# emulator is tested with and bench/ipmi compares against.
set -euo pipefail
LOG_NAME=ensure-ipmi-peers
# shellcheck source=lib/debian-packages.sh
source "$(dirname "$0")/lib/debian-packages.sh"

peers_present() {
  command -v ipmi_sim >/dev/null 2>&1 && command -v sdrcomp >/dev/null 2>&1 &&
    command -v ipmitool >/dev/null 2>&1 && [ -x /usr/sbin/ipmipower ]
}

ensure_debian_packages "the IPMI peers (ipmi_sim, sdrcomp, ipmitool, ipmipower)" peers_present \
  openipmi ipmitool freeipmi-tools
