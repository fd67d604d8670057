#!/usr/bin/env bash
# Makes sure what the integration tests talk to is installed and running on this
# machine (a machine of the node-svc kind: Debian, root, services preinstalled):
# PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379, and the etcd binaries
# (raft-kv tests start their own etcd members; nothing runs here) and ripgrep
# (search compares its grep with rg). Idempotent;
# used by `npm test` and `.ci/run`.
set -euo pipefail

log() { printf '== %s\n' "$*"; }

wait_for() { # wait_for <what> <command...>
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "$what did not come up" >&2
  return 1
}

# The embedded PostgreSQL server (`npm start` without DATABASE_URL, and its tests)
# refuses to run as root and then runs as this unprivileged user.
if [ "$(id -u)" = 0 ] && ! id -u postgres >/dev/null 2>&1; then
  log "creating the unprivileged postgres user for the embedded PostgreSQL server"
  useradd --system --user-group --no-create-home postgres
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q
# Integration tests create (and drop) one database per test file on this server.
psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'nexus_test'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres nexus_test

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping
# BullMQ needs Redis never to evict keys.
redis-cli -h 127.0.0.1 -p 6379 config set maxmemory-policy noeviction >/dev/null

# raft-kv's cluster tests start etcd members of their own on free loopback ports.
if ! command -v etcd >/dev/null 2>&1; then
  log "installing etcd"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y etcd-server etcd-client \
    || { apt-get update && apt-get install -y etcd-server etcd-client; }
fi
command -v etcd >/dev/null

# Search's grep is tested (and benchmarked) against ripgrep on the same files.
if ! command -v rg >/dev/null 2>&1; then
  log "installing ripgrep"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y ripgrep || { apt-get update && apt-get install -y ripgrep; }
fi
command -v rg >/dev/null
