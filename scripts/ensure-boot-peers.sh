#!/usr/bin/env bash
# Makes sure the real readers of the ISO images Ferrite writes are installed:
# xorriso (libisofs: listing, extraction and the El Torito boot catalog as a
# mastering tool reports it) and isoinfo (genisoimage: the plain ISO 9660 and
# Rock Ridge directory, a second opinion), which the ISO writer's tests
# (src/drivers/modules/iso) read its images with.
set -euo pipefail
LOG_NAME=ensure-boot-peers
# shellcheck source=lib/debian-packages.sh
source "$(dirname "$0")/lib/debian-packages.sh"

peers_present() {
  command -v xorriso >/dev/null 2>&1 && command -v isoinfo >/dev/null 2>&1
}

ensure_debian_packages "the ISO readers (xorriso, genisoimage)" peers_present \
  xorriso genisoimage
