#!/usr/bin/env bash
# Runs the unit tests and the main commands under valgrind (the release
# build: valgrind and AddressSanitizer do not mix). Any error or leak fails.
# usage: SOMON=build/somon tests/valgrind.sh build/rel/test_*
set -u
: "${SOMON:?set SOMON to the release binary}"
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0
run() {
  local desc=$1
  shift
  "${VG[@]}" --log-file="$TMP/vg.log" "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  if [[ $rc == 99 ]] || grep -q "ERROR SUMMARY: [1-9]\|definitely lost\|indirectly lost\|possibly lost" "$TMP/vg.log"; then
    echo "  FAIL (valgrind): $desc"
    sed 's/^/    /' "$TMP/vg.log" | head -40
    failed=1
  else
    echo "  ok: $desc (exit $rc)"
  fi
}
echo "== valgrind: unit tests"
for t in "$@"; do run "$t" "$t"; done
echo "== valgrind: commands"
DB="$TMP/v.db"
run "init" "$SOMON" --db "$DB" init
run "import demo" "$SOMON" --db "$DB" import data/demo/*.json tests/cli/fixtures/rules.json
for f in text csv json md html; do
  run "report coverage $f" "$SOMON" --db "$DB" report coverage --date 2025-06-30 --prognosis 2025-12-31 --format $f
  run "report annex $f" "$SOMON" --db "$DB" report annex --date 2025-06-30 --format $f
done
run "report coverage xlsx" "$SOMON" --db "$DB" report coverage --date 2023-06-30 --format xlsx --output "$TMP/c.xlsx"
run "report annex xlsx" "$SOMON" --db "$DB" report annex --date 2023-06-30 --format xlsx --output "$TMP/a.xlsx"
run "export" "$SOMON" --db "$DB" export "$TMP/e.json"
run "export as known at" "$SOMON" --db "$DB" export --as-known-at 2001-01-01T00:00:00Z
run "import unchanged" "$SOMON" --db "$DB" import "$TMP/e.json"
printf '{"format": "somon/1", "agreements": [{"id": "X", "parties": [{"municipality": "99999"}], "extra": 1}]}' >"$TMP/bad.json"
run "import refused" "$SOMON" --db "$DB" import "$TMP/bad.json"
head -c 3000 data/demo/agreement-mechelen.json >"$TMP/trunc.json"
run "import truncated" "$SOMON" --db "$DB" import "$TMP/trunc.json"
run "usage error" "$SOMON" --db "$DB" report coverage --date nope
run "not a database" "$SOMON" --db "$TMP/bad.json" report coverage --date 2023-06-30
echo "== valgrind: every route through the HTTP dispatcher (somon test-http)"
for target in "/?date=2023-06-30&prognosis=2023-12-31" "/?date=2025-06-30&format=csv" "/?date=2023-06-30&format=xlsx" \
  "/agreements?sort=end&order=desc&q=sterk" "/agreements?format=csv" "/agreements/SO-MECHELEN-2021" \
  "/agreements/SO-SCHELDELAND-2021?as_known_at=2001-01-01T00:00:00Z" "/agreements/NOPE" \
  "/municipalities?date=2025-06-30&province=Oost-Vlaanderen&state=partial" "/municipalities/44088?date=2025-06-30" \
  "/municipalities/11002" "/provinces/Antwerpen?date=2025-01-01" "/regiegebieden?date=2023-06-30" \
  "/regiegebieden/RG-T-WVL" "/annex?date=2025-06-30&province=Antwerpen" "/annex?date=2023-06-30&format=xlsx" \
  "/static/somon.css" "/healthz" "/api/v1/coverage?date=2023-06-30&prognosis=2023-12-31" \
  "/api/v1/coverage?date=2023-06-30&format=csv" "/api/v1/agreements" "/api/v1/agreements/SO-T-LATE" \
  "/api/v1/municipalities?date=2025-01-01" "/api/v1/municipalities/46029" "/api/v1/regiegebieden" \
  "/api/v1/openapi.json" "/api/v1/coverage?date=bad" "/%zz" "/?date=%3Cscript%3E"; do
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$target" >"$TMP/request"
  run "GET $target" sh -c '"$0" --db "$1" test-http <"$2"' "$SOMON" "$DB" "$TMP/request"
done
printf 'POST /agreements HTTP/1.1\r\nHost: localhost\r\n\r\n' >"$TMP/request"
run "POST /agreements" sh -c '"$0" --db "$1" test-http <"$2"' "$SOMON" "$DB" "$TMP/request"
exit $failed
