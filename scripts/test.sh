#!/bin/sh
# Run the whole suite: start a local PostgreSQL so the database tests run on it too.
set -eu
cd "$(dirname "$0")/.."
PG_URL=$(scripts/pg.sh start)
trap 'scripts/pg.sh stop' EXIT
export CTI_TEST_PG_URL="$PG_URL"
export CTI_REQUIRE_PG=1
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
