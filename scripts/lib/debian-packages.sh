# Shared by the ensure-*.sh scripts: installs Debian packages a test peer
# needs, when a check says they are missing. Source it, set LOG_NAME, then
#
#   ensure_debian_packages "what it is" check_function package…
#
# Quick when the check passes. Otherwise, as root: apt-get install (running
# `apt-get update` first when the install fails for lack of package lists),
# then the check again. Not root: under CI=true that is an error; otherwise
# it says so and leaves the tests that need the peer to skip with a reason.

log() { echo "${LOG_NAME:-ensure}: $*"; }
fail() {
  echo "${LOG_NAME:-ensure}: $*" >&2
  exit 1
}

ensure_debian_packages() {
  local what=$1 check=$2
  shift 2
  local packages=("$@")
  if "$check"; then
    log "$what: installed."
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    local message="$what is not installed and this is not root: install it (apt-get install ${packages[*]}) or run this script as root."
    [ "${CI:-}" = "true" ] && fail "$message"
    log "$message The tests that need it will skip."
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || fail "$what is not installed and apt-get is not available: install ${packages[*]} by hand."
  export DEBIAN_FRONTEND=noninteractive
  log "installing ${packages[*]} with apt-get."
  if ! apt-get install -y -q --no-install-recommends "${packages[@]}"; then
    log "apt-get install failed: updating the package lists and trying again."
    apt-get update -q || fail "apt-get update failed."
    apt-get install -y -q --no-install-recommends "${packages[@]}" || fail "apt-get install ${packages[*]} failed."
  fi
  "$check" || fail "${packages[*]} are installed but $what still fails its check."
  log "$what: installed."
}
