#!/usr/bin/env bash
# The database of test_demo.mjs: the demo register exactly as `make run` builds
# it (the lines of the Makefile's $(DB) rule, with $SOMON for build/somon).
# Usage (by tests/browser/run.sh): SOMON=… tests/browser/test_demo.setup.sh DB
set -euo pipefail
: "${SOMON:?set SOMON}"
db=$1
recipe=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -n -o build/somon DB="$db" "$db")
[[ $recipe == *"import sheet"* ]] || { echo "test_demo.setup.sh: the recipe imports no sheet" >&2; exit 1; }
bash -euc "${recipe//build\/somon/\"\$SOMON\"}"
