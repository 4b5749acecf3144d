#!/bin/sh
# Install the system packages the app and its tests need (Debian). As root this runs apt-get;
# otherwise it names what is missing and how to install it, and fails.
# Usage: scripts/system-deps.sh run|test
set -eu
MODE="${1:-run}"
need=""
have() { command -v "$1" >/dev/null 2>&1; }
python3 -c "import ensurepip, venv" 2>/dev/null || need="$need python3-venv"
# WeasyPrint needs pango; the PDF and Arabic reports need fonts with Arabic glyphs.
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need="$need libpango-1.0-0 libpangoft2-1.0-0"
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need="$need libharfbuzz-subset0"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need="$need fonts-dejavu-core"
[ -d /usr/share/fonts/truetype/noto ] || need="$need fonts-noto-core"
have chromium || need="$need chromium"
if [ "$MODE" = "test" ]; then
  have chromedriver || need="$need chromium-driver"
  have pdftoppm || need="$need poppler-utils"
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need="$need postgresql"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && have apt-get; then
  echo "Installation des paquets système :$need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >/dev/null
  # A freshly installed postgresql may start a cluster of its own; the tests start their own.
  exit 0
fi
echo "Paquets système manquants :$need" >&2
echo "Installez-les : sudo apt-get install -y$need" >&2
exit 1
