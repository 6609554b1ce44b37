#!/usr/bin/env bash
# Makes sure Ironic's own Python library is installed (`python3-ironic`):
# its AgentClient, the code an Ironic conductor drives a ramdisk agent with,
# is the peer test/agent/ironic-agent-client.test.ts checks `ferrite agent`
# against.
set -euo pipefail
LOG_NAME=ensure-ironic-peer
# shellcheck source=lib/debian-packages.sh
source "$(dirname "$0")/lib/debian-packages.sh"

peer_present() {
  /usr/bin/python3 -c 'import ironic.drivers.modules.agent_client' >/dev/null 2>&1
}

ensure_debian_packages "Ironic's agent client (python3-ironic)" peer_present python3-ironic
