#!/usr/bin/env bash
# Makes sure the PostgreSQL the tests use is up: a server on 127.0.0.1:5432
# that trusts user postgres from 127.0.0.1 and has a database `test`
# (test/support/databases.ts creates and drops its databases from there).
#
# Idempotent. Already accepting connections: nothing to do. A cluster under
# /etc/postgresql: start it. None: install PostgreSQL (root, apt-get) and
# start its cluster. Says what it does; exits non-zero, with the reason,
# when it cannot.
set -euo pipefail

HOST=127.0.0.1
PORT=5432

log() { echo "ensure-postgres: $*"; }
fail() {
  echo "ensure-postgres: $*" >&2
  exit 1
}

ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$HOST" -p "$PORT"; }

if ready; then
  log "PostgreSQL is accepting connections on $HOST:$PORT."
  exit 0
fi

as_root() { [ "$(id -u)" -eq 0 ]; }

# The newest installed major version, e.g. 15.
newest_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(newest_version)" ]; then
  as_root || fail "PostgreSQL is not installed and this is not root: install it (apt-get install postgresql) or run this script as root."
  command -v apt-get >/dev/null 2>&1 || fail "PostgreSQL is not installed and apt-get is not available: install PostgreSQL by hand."
  log "PostgreSQL is not installed: installing it with apt-get."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update || fail "apt-get update failed."
  apt-get install -y postgresql || fail "apt-get install postgresql failed."
fi

VERSION="$(newest_version)"
[ -n "$VERSION" ] || fail "no PostgreSQL version found under /etc/postgresql after installing."
CONF_DIR="/etc/postgresql/$VERSION/main"
if [ ! -d "$CONF_DIR" ]; then
  as_root || fail "PostgreSQL $VERSION has no cluster 'main' and this is not root to create it."
  log "creating cluster $VERSION/main."
  pg_createcluster "$VERSION" main || fail "pg_createcluster $VERSION main failed."
fi

# Trust user postgres over TCP from 127.0.0.1. The first matching line of
# pg_hba.conf wins, so the rule goes first.
HBA="$CONF_DIR/pg_hba.conf"
TRUST_RULE="host all postgres $HOST/32 trust"
if [ -f "$HBA" ] && ! grep -Eq "^host[[:space:]]+all[[:space:]]+(all|postgres)[[:space:]]+$HOST/32[[:space:]]+trust" "$HBA"; then
  [ -w "$HBA" ] || fail "$HBA does not trust user postgres from $HOST and is not writable: add '$TRUST_RULE' at its top."
  log "adding '$TRUST_RULE' at the top of $HBA."
  { echo "$TRUST_RULE"; cat "$HBA"; } >"$HBA.ferrite-tmp"
  cat "$HBA.ferrite-tmp" >"$HBA" # keeps the file's owner and mode
  rm -f "$HBA.ferrite-tmp"
fi

log "starting cluster $VERSION/main."
# Status 2: the cluster already runs (then it may only need the new pg_hba.conf).
status=0
pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start || status=$?
if [ "$status" -eq 2 ]; then
  log "cluster $VERSION/main was already running: reloading its configuration."
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" main reload || fail "could not reload cluster $VERSION/main."
elif [ "$status" -ne 0 ]; then
  fail "pg_ctlcluster $VERSION main start failed (status $status); see /var/log/postgresql/."
fi

for _ in $(seq 1 30); do
  ready && break
  sleep 1
done
ready || fail "PostgreSQL $VERSION/main started but does not accept connections on $HOST:$PORT (check port and listen_addresses in $CONF_DIR/postgresql.conf)."

psql_postgres() { psql -h "$HOST" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -tAc "$1"; }
psql_postgres 'select 1' >/dev/null || fail "cannot connect as user postgres to $HOST:$PORT: is trust auth in effect?"
if [ "$(psql_postgres "select 1 from pg_database where datname = 'test'")" != "1" ]; then
  log "creating database test."
  psql_postgres 'create database test' >/dev/null || fail "could not create database test."
fi

log "PostgreSQL $VERSION is accepting connections on $HOST:$PORT."
