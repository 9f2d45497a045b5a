#!/usr/bin/env bash
# Runs the whole test suite: makes sure a local PostgreSQL is running (installing it with apt
# when missing), creates the test database, starts a transaction-pooling PgBouncer in front of
# it (installing it when missing), exports RATCHET_TEST_POSTGRES_URL and
# RATCHET_TEST_PGBOUNCER_URL and runs `mvn -B verify`. Set RATCHET_TEST_POSTGRES_URL (and
# RATCHET_TEST_PGBOUNCER_URL) yourself to use another server.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test.sh] %s\n' "$*" >&2; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    sudo -n -u postgres "$@"
  fi
}

# Installs Debian packages (the machine's package manager; needs root).
apt_install() {
  log "$1 is not installed; installing it with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null
  apt-get install -y -qq "$@" </dev/null
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p "${PGPORT:-5432}" 2>/dev/null; }

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! command -v pg_isready >/dev/null 2>&1; then
    apt_install postgresql
  fi
  if pg_ready; then
    return
  fi
  log "PostgreSQL is not running; starting it"
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then
    log "no cluster under /etc/postgresql; creating one"
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_createcluster "$version" main </dev/null
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start </dev/null || true
  for _ in $(seq 1 30); do
    pg_ready && return
    sleep 1
  done
  log "PostgreSQL did not start; see /var/log/postgresql/"
  exit 1
}

if [ -z "${RATCHET_TEST_POSTGRES_URL:-}" ]; then
  ensure_postgres
  db=ratchet_test
  # Trust auth on 127.0.0.1 for the postgres role is the machine's default; create the database once.
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" </dev/null | grep -q 1; then
    if ! psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db" </dev/null 2>/dev/null; then
      as_postgres psql -qc "CREATE DATABASE $db" </dev/null
    fi
  fi
  if ! psql -h 127.0.0.1 -U postgres -d "$db" -tAc 'SELECT 1' </dev/null >/dev/null 2>&1; then
    log "cannot connect as postgres to 127.0.0.1 without a password; allowing trust auth for local tests"
    hba=$(as_postgres psql -tAc 'SHOW hba_file' </dev/null)
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    as_postgres psql -qc 'SELECT pg_reload_conf()' </dev/null
  fi
  export RATCHET_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:${PGPORT:-5432}/$db?user=postgres"
fi
log "PostgreSQL for tests: ${RATCHET_TEST_POSTGRES_URL%%\?*}"

# A transaction-pooling PgBouncer in front of the local server, for the pooler tests
# (PgBouncerTest): Debian's pgbouncer, installed when missing, on 127.0.0.1:6433
# (RATCHET_TEST_PGBOUNCER_PORT to change it).
BOUNCER_PORT=${RATCHET_TEST_PGBOUNCER_PORT:-6433}
ensure_pgbouncer() {
  if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
    apt_install pgbouncer
  fi
  local bin dir
  bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
  dir=${TMPDIR:-/tmp}/ratchet-pgbouncer
  mkdir -p "$dir"
  if [ -f "$dir/pgbouncer.pid" ] && kill -0 "$(cat "$dir/pgbouncer.pid")" 2>/dev/null; then
    return
  fi
  cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=${PGPORT:-5432}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${BOUNCER_PORT}
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 500
server_reset_query =
ignore_startup_parameters = extra_float_digits,options,search_path
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
  echo '"postgres" ""' >"$dir/userlist.txt"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres "$dir"
    "$bin" -d -u postgres "$dir/pgbouncer.ini" </dev/null
  else
    "$bin" -d "$dir/pgbouncer.ini" </dev/null
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$BOUNCER_PORT" 2>/dev/null && return
    sleep 1
  done
  log "PgBouncer did not start; see $dir/pgbouncer.log"
  exit 1
}
if [ -z "${RATCHET_TEST_PGBOUNCER_URL:-}" ] && [[ "$RATCHET_TEST_POSTGRES_URL" == jdbc:postgresql://127.0.0.1:${PGPORT:-5432}/* ]]; then
  ensure_pgbouncer
  # prepareThreshold=0: PgBouncer 1.18 in transaction mode cannot keep server-side prepared statements.
  export RATCHET_TEST_PGBOUNCER_URL="jdbc:postgresql://127.0.0.1:$BOUNCER_PORT/ratchet_bouncer?user=postgres&prepareThreshold=0"
fi
log "PgBouncer for tests: ${RATCHET_TEST_PGBOUNCER_URL:-none (PgBouncerTest will fail and say how to provide one)}"

mvn -B -ntp verify "$@" </dev/null

# The README's first command, on a scratch copy of the example migrations.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && "$OLDPWD/ratchet" migrate --migrations "$OLDPWD/examples/quickstart" </dev/null)
(cd "$scratch" && "$OLDPWD/ratchet" status --migrations "$OLDPWD/examples/quickstart" </dev/null)
log "README commands: ok"
