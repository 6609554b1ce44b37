#!/usr/bin/env bash
# Makes sure the agent's real peers are installed: `qemu-img` from
# `qemu-utils`, which the image writer runs to convert qcow2 images onto the
# disk and which its tests use to make qcow2 images from raw ones.
set -euo pipefail
LOG_NAME=ensure-agent-peers
# shellcheck source=lib/debian-packages.sh
source "$(dirname "$0")/lib/debian-packages.sh"

peers_present() {
  command -v qemu-img >/dev/null 2>&1
}

ensure_debian_packages "the agent's peers (qemu-img)" peers_present qemu-utils
