#!/bin/sh
# Run the whole suite, then the database, service and web tests again on PostgreSQL.
# A local throw-away PostgreSQL is started for both runs (tests that use `any_engine` run on
# both backends in the first run already).
set -eu
cd "$(dirname "$0")/.."
PG_URL=$(scripts/pg.sh start)
trap 'scripts/pg.sh stop' EXIT
export CTI_TEST_PG_URL="$PG_URL"
export CTI_REQUIRE_PG=1
echo "== Suite complète (SQLite, et PostgreSQL pour les tests any_engine)"
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2 "$@"
echo "== Tests base de données, services et web sur PostgreSQL"
CTI_TEST_BACKEND=postgresql .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 \
  tests/db tests/web tests/unit/services "$@"
