#!/bin/sh
# tools/codecheck must accept the good forms and refuse each kind of
# violation with FILE:LINE and a fix, exiting non-zero.
#   tests/codecheck/run.sh CODECHECK
set -u
cc=${1:?usage: tests/codecheck/run.sh build/tools/codecheck}
dir=$(dirname "$0")
pass=0 fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

for f in good.c page_good.c; do
  if "$cc" "$dir/$f" >"$out" 2>&1; then ok; else bad "$f refused:"; cat "$out"; fi
done

# file, line, a piece of the message
while IFS='|' read -r f line what; do
  [ -n "$f" ] || continue
  "$cc" "$dir/$f" >"$out" 2>&1
  rc=$?
  if [ "$rc" -ne 1 ]; then bad "$f: exit $rc, want 1"; cat "$out"; continue; fi
  if grep -F "$dir/$f:$line: " "$out" | grep -qF "$what"; then ok; else bad "$f: want '$f:$line: $what' in:"; cat "$out"; fi
  grep -q '; ' "$out" || bad "$f: the message names no fix"
done <<'CASES'
bad_nonliteral_s.c|3|argument of conversion 1 (%s) is not a string literal
bad_ternary_s.c|3|argument of conversion 1 (%s) is not a string literal
bad_format.c|3|format of buf_fmt is not a string literal
bad_format_ternary.c|3|format of buf_fmt is not a string literal
bad_too_few.c|3|2 conversion(s) but the call passes 1 argument(s)
bad_too_many.c|3|1 conversion(s) but the call passes 2 argument(s)
bad_unknown.c|3|buf_fmt has no conversion %u
bad_unknown_printf.c|3|buf_fmt has no conversion %.
bad_number_literal.c|3|conversion 1 (%d) takes a number but gets a string literal
bad_multiline.c|6|argument of conversion 2 (%s) is not a string literal
bad_escaped_percent.c|3|a percent sign written as an escape
page_bad_printf.c|3|buf_printf: the argument of conversion 2 (%s) is not a string literal
page_bad_printf.c|4|conversion 1 (%c) is not a character literal
CASES

# Several files: every violation is reported, not only the first.
"$cc" "$dir"/bad_*.c >"$out" 2>&1
n=$(grep -c ': .*; ' "$out")
if [ "$n" -ge 10 ]; then ok; else bad "all bad files together: $n messages, want 10 or more"; cat "$out"; fi
# The sources of somon pass.
if "$cc" "$dir"/../../src/*.c >"$out" 2>&1; then ok; else bad "src/ refused:"; cat "$out"; fi

echo "codecheck: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
