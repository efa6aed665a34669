#!/usr/bin/env bash
# Runs every tests/cli/test_*.sh against $SOMON from the repository root,
# CLI_JOBS at a time (default: the number of CPUs); each test makes its own
# temporary folder and database (tests/cli/lib.sh) and serves on port 0, so they
# run side by side. Each test's output is kept and printed whole, in name order;
# a test fails when it exits non-zero.
set -u
cd "$(dirname "$0")/../.."
: "${SOMON:?set SOMON to the somon binary}"
export SOMON
# The tests read the English messages (the command line is Dutch by default;
# docs/language.md); test_language.sh sets its own language per command.
export LANGUAGE=en
JOBS=${CLI_JOBS:-$(nproc)}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/somon-cli.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
export OUT
started=$SECONDS
printf '%s\0' tests/cli/test_*.sh |
  xargs -0 -P "$JOBS" -n 1 bash -c 'n=${1##*/}; s=$SECONDS; bash "$1" >"$OUT/$n.log" 2>&1; echo "$? $((SECONDS - s))" >"$OUT/$n.status"
    times >"$OUT/$n.times"' _
failed=()
for t in tests/cli/test_*.sh; do
  n=${t##*/}
  read -r status took <"$OUT/$n.status" 2>/dev/null || status=missing took=?
  # the CPU-seconds (user + system) of the test and everything it ran
  cpu=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.1f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' \
    "$OUT/$n.times" 2>/dev/null)
  echo "== $t ($took s, ${cpu:-?} CPU-s)"
  cat "$OUT/$n.log" 2>/dev/null
  if [[ $status != 0 ]]; then failed+=("$t"); fi
done
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all CLI tests passed ($((SECONDS - started)) s, $JOBS at a time)"
