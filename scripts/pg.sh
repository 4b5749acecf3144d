#!/bin/sh
# Start or stop a throw-away local PostgreSQL for the tests (RECIPES.md).
# Usage: scripts/pg.sh start|stop   ; prints the DATABASE_URL on start.
set -eu
PORT="${PG_TEST_PORT:-54329}"
DIR="${PG_TEST_DIR:-/tmp/pgci-cti}"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "PostgreSQL absent : apt-get install -y postgresql" >&2; exit 1; }
as_pg() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
case "${1:-start}" in
start)
  if as_pg "$PGBIN/pg_ctl -D $DIR/data status" >/dev/null 2>&1; then
    :
  else
    mkdir -p "$DIR"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR"
    as_pg "rm -rf $DIR/data && $PGBIN/initdb -D $DIR/data -U postgres -A trust -E UTF8 --no-sync >/dev/null"
    as_pg "$PGBIN/pg_ctl -D $DIR/data -l $DIR/pg.log -w -t 30 -o '-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200' start" >/dev/null
  fi
  as_pg "$PGBIN/psql -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='cti_test'\"" | grep -q 1 \
    || as_pg "$PGBIN/createdb -h 127.0.0.1 -p $PORT -U postgres cti_test"
  echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/cti_test"
  ;;
stop)
  as_pg "$PGBIN/pg_ctl -D $DIR/data -m fast stop" >/dev/null 2>&1 || true
  ;;
esac
