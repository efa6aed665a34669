#!/usr/bin/env bash
# Runs every tests/cli/test_*.sh against $SOMON from the repository root.
# Each test prints its checks; a test fails when it exits non-zero.
set -u
cd "$(dirname "$0")/../.."
: "${SOMON:?set SOMON to the somon binary}"
export SOMON
# The tests read the English messages (the command line is Dutch by default;
# docs/language.md); test_language.sh sets its own language per command.
export LANGUAGE=en
failed=()
for t in tests/cli/test_*.sh; do
  echo "== $t"
  if ! bash "$t"; then failed+=("$t"); fi
done
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all CLI tests passed"
