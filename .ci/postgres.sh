#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the game store's tests (tests/test_game_store.py).
#
#   source .ci/postgres.sh        start it, export RETENTION_LAB_TEST_POSTGRES, stop it when the
#                                 sourcing shell exits (what .ci/run does)
#   .ci/postgres.sh               check: start it, run one query, stop it
#   .ci/postgres.sh start         start it and print the export line (stop it with `stop`)
#   .ci/postgres.sh stop          stop the server `start` left running
#
# Installs Debian's postgresql package when no /usr/lib/postgresql/*/bin/initdb is there (root
# only), makes a cluster in a temporary folder owned by the postgres user (the server refuses to
# run as root), listens on 127.0.0.1 only, on the first free port from 55432, with trust
# authentication (local connections only), and creates the role and database `retention`.
# If RETENTION_LAB_TEST_POSTGRES is already set, that server is used and nothing is started.

_retention_pg_state="/tmp/retention-lab-postgres.$(id -u).state"  # for `start` / `stop` only

_retention_pg_say() { echo "[postgres] $*" >&2; }

_retention_pg_install() {
  if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" != "0" ]; then
    _retention_pg_say "!!! PostgreSQL is not installed and this is not root: apt-get install postgresql"
    return 1
  fi
  _retention_pg_say "Installing Debian's PostgreSQL for the game store's tests..."
  # No default cluster on port 5432: the tests make their own.
  mkdir -p /etc/postgresql-common
  [ -e /etc/postgresql-common/createcluster.conf ] || echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || {
    _retention_pg_say "!!! Could not install postgresql: the PostgreSQL tests of the game store will fail in CI."
    return 1
  }
}

_retention_pg_free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Run a PostgreSQL program as the postgres user when root, as oneself otherwise.
_retention_pg_as() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

retention_pg_start() {
  if [ -n "${RETENTION_LAB_TEST_POSTGRES:-}" ]; then
    _retention_pg_say "using RETENTION_LAB_TEST_POSTGRES as set"
    return 0
  fi
  _retention_pg_install || return 1
  local bin port dir
  bin="$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1)"
  port="$(_retention_pg_free_port)" || { _retention_pg_say "!!! no free port in 55432-55532"; return 1; }
  dir="$(mktemp -d /tmp/retention-pg.XXXXXX)"
  [ "$(id -u)" = "0" ] && chown postgres: "$dir"
  if ! _retention_pg_as "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
    _retention_pg_say "!!! initdb failed:"; cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1
  fi
  # Loopback TCP only, the socket in the temporary folder; fsync off: a test server need not
  # survive a power cut (a killed client is what the tests check, and that does not need fsync).
  if ! _retention_pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" \
      start >/dev/null; then
    _retention_pg_say "!!! the server did not start:"; cat "$dir/server.log" >&2; rm -rf "$dir"; return 1
  fi
  if ! "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE retention LOGIN PASSWORD 'retention'" -c "CREATE DATABASE retention OWNER retention" >/dev/null; then
    _retention_pg_say "!!! could not create the role and database retention"
    _retention_pg_as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"; return 1
  fi
  _retention_pg_bin="$bin"
  _retention_pg_dir="$dir"
  export RETENTION_LAB_TEST_POSTGRES="postgresql://retention:retention@127.0.0.1:$port/retention"
  _retention_pg_started=1
  _retention_pg_say "PostgreSQL $("$bin/postgres" -V | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
}

retention_pg_stop() {
  local bin="${_retention_pg_bin:-}" dir="${_retention_pg_dir:-}"
  if [ -z "$dir" ] && [ -f "$_retention_pg_state" ]; then
    { read -r bin; read -r dir; } <"$_retention_pg_state"
  fi
  [ -n "$dir" ] || return 0
  _retention_pg_as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 \
    || _retention_pg_as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  [ -n "${_retention_pg_dir:-}" ] || rm -f "$_retention_pg_state"
  _retention_pg_bin="" _retention_pg_dir=""
  _retention_pg_say "stopped"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced (by .ci/run): start now, stop when that shell exits.
  if retention_pg_start && [ -n "${_retention_pg_started:-}" ]; then
    trap retention_pg_stop EXIT
  fi
else
  set -euo pipefail
  case "${1:-check}" in
    start)
      retention_pg_start
      [ -z "${_retention_pg_dir:-}" ] || printf '%s\n%s\n' "$_retention_pg_bin" "$_retention_pg_dir" >"$_retention_pg_state"
      echo "export RETENTION_LAB_TEST_POSTGRES=$RETENTION_LAB_TEST_POSTGRES"
      ;;
    stop)
      retention_pg_stop
      ;;
    check)
      unset RETENTION_LAB_TEST_POSTGRES
      retention_pg_start
      trap retention_pg_stop EXIT
      "$_retention_pg_bin/psql" -X -At "$RETENTION_LAB_TEST_POSTGRES" -c "SELECT current_user || ' @ ' || version()"
      ;;
    *)
      echo "usage: $0 [check|start|stop]" >&2
      exit 2
      ;;
  esac
fi
