#!/usr/bin/env bash
# run.sh BINARY CORPUS SECONDS: runs a libFuzzer binary for SECONDS.
#
# The fuzzer works on a copy of CORPUS in a temporary folder, so the checked-in
# seeds stay as they are; inputs it finds interesting are dropped with that
# folder (set FUZZ_KEEP=1 to keep it and print where it is). Crash, leak,
# timeout and out-of-memory inputs go to tests/fuzz/artifacts/ (git-ignored).
# Exits non-zero when the fuzzer reports any of them.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 BINARY CORPUS SECONDS" >&2
    exit 64
fi
binary=$1 corpus=$2 seconds=$3
here=$(cd "$(dirname "$0")" && pwd)
# the dictionary named after the corpus folder (target.dict for tests/fuzz/target), else somon/1's
dict=$here/$(basename "$corpus").dict
[ -f "$dict" ] || dict=$here/somon1.dict
artifacts=$here/artifacts

[ -x "$binary" ] || { echo "$0: $binary is not an executable; build it with 'make $binary'" >&2; exit 66; }
[ -d "$corpus" ] || { echo "$0: no corpus folder $corpus" >&2; exit 66; }
[ -f "$dict" ] || { echo "$0: no dictionary $dict" >&2; exit 66; }
case $seconds in
'' | *[!0-9]*) echo "$0: SECONDS must be a whole number, not '$seconds'" >&2; exit 64 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/somon-fuzz.XXXXXX")
cleanup() {
    if [ "${FUZZ_KEEP:-0}" = 1 ]; then
        echo "fuzz: work folder kept: $work (corpus/ and fuzz.log)"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
mkdir -p "$work/corpus" "$artifacts"
cp -- "$corpus"/* "$work/corpus/" 2>/dev/null || true
seeds=$(find "$work/corpus" -type f | wc -l)

echo "fuzz: $binary for ${seconds}s on $seeds seeds from $corpus (work folder $work)"
status=0
# The fuzzer's own log goes to fuzz.log; it is shown in full when something is found.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$binary" "$work/corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
    -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    >"$work/fuzz.log" 2>&1 || status=$?

found=$(grep -E '^(==[0-9]+==ERROR|SUMMARY:|.*runtime error:)|ALARM: working on the last Unit for|out-of-memory|Test unit written to' "$work/fuzz.log" || true)
if [ "$status" -ne 0 ] || [ -n "$found" ]; then
    cat "$work/fuzz.log" >&2
    echo "fuzz: FAILED (exit $status); the input is in $artifacts/ (see 'Test unit written to' above)" >&2
    echo "fuzz: reproduce with: $binary ARTIFACT" >&2
    exit $((status ? status : 1))
fi
# A summary of the run: the last status line and the final statistics.
grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$work/fuzz.log" | tail -1
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$work/fuzz.log"
added=$(($(find "$work/corpus" -type f | wc -l) - seeds))
echo "fuzz: OK, no crash or leak in ${seconds}s; the fuzzer added $added inputs to its copy of the corpus"
