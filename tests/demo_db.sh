#!/usr/bin/env bash
# The demo register exactly as `make run` builds it: the lines of the Makefile's
# $(DB) rule, with $SOMON instead of build/somon. Shared by
# tests/cli/test_demo_sources.sh, tests/http/test_demo_register.py and
# tests/browser/test_demo.setup.sh.
#   SOMON=… tests/demo_db.sh DB            builds DB (which must not exist)
#   tests/demo_db.sh --recipe DB           prints the lines it would run
set -euo pipefail
cd "$(dirname "$0")/.."
show=false
[[ ${1:-} == --recipe ]] && { show=true; shift; }
db=${1:?usage: tests/demo_db.sh [--recipe] DB}
recipe=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -n -o build/somon DB="$db" "$db")
if $show; then
  printf '%s\n' "$recipe"
  exit 0
fi
: "${SOMON:?set SOMON to the somon binary}"
[[ $recipe == *"import sheet"* ]] || { echo "tests/demo_db.sh: the recipe imports no sheet" >&2; exit 1; }
bash -euc "${recipe//build\/somon/\"\$SOMON\"}"
