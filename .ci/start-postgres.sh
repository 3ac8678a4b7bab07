#!/usr/bin/env bash
# Starts a throw-away PostgreSQL for src/sql/postgres.integration.test.ts and prints the
# PG_TEST_URL to export. Run as root on Debian; installs Debian's postgresql when missing.
# Idempotent: a cluster already running here is reused, a stopped one is started again.
#
#   eval "$(bash .ci/start-postgres.sh | grep '^export ')"
#
# The server listens on 127.0.0.1 only (port $PG_TEST_PORT, default 5433; socket in /tmp),
# with trust authentication for local connections: it holds nothing but test fixtures.
set -euo pipefail

PORT="${PG_TEST_PORT:-5433}"
DATA="${PG_TEST_DATA:-/var/lib/postgresql/sessionizer-test}"
LOG="$DATA.log"
DB=sessionizer_test

fail() { echo "start-postgres: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it installs packages and runs the server as the postgres user)"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(bindir)" ]; then
  echo "start-postgres: installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null || fail "apt-get install postgresql failed"
fi
BIN="$(bindir)"
[ -x "$BIN/initdb" ] || fail "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"
id postgres >/dev/null 2>&1 || fail "the postgres user does not exist (the postgresql package creates it)"

as_postgres() { su postgres -s /bin/sh -c "$*"; }

if [ ! -s "$DATA/PG_VERSION" ]; then
  echo "start-postgres: initdb $DATA" >&2
  mkdir -p "$DATA"
  chown postgres:postgres "$DATA"
  chmod 700 "$DATA"
  as_postgres "'$BIN/initdb' -D '$DATA' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >/dev/null \
    || fail "initdb failed"
fi

if as_postgres "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
  echo "start-postgres: already running ($DATA)" >&2
else
  touch "$LOG" && chown postgres:postgres "$LOG"
  as_postgres "'$BIN/pg_ctl' -D '$DATA' -l '$LOG' -w -t 60 -o \"-k /tmp -h 127.0.0.1 -p $PORT\" start" >/dev/null \
    || { tail -n 20 "$LOG" >&2; fail "pg_ctl start failed (log above, from $LOG)"; }
fi

"$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -t 30 >/dev/null \
  || { tail -n 20 "$LOG" >&2; fail "the server does not answer on 127.0.0.1:$PORT"; }

exists="$(as_postgres "'$BIN/psql' -h 127.0.0.1 -p $PORT -U postgres -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"")" \
  || fail "psql could not connect to 127.0.0.1:$PORT"
if [ "$exists" != 1 ]; then
  as_postgres "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres $DB" || fail "createdb $DB failed"
fi

echo "start-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, database $DB" >&2
echo "export PG_TEST_URL=postgres://postgres@127.0.0.1:$PORT/$DB"
