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

for f in good.c page_good.c lang_good.c; do
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
lang_bad_fprintf.c|3|fprintf: the message "somon: cannot read %s\n" is not translated
lang_bad_ternary.c|3|diag_add: the message "two words" is not translated
lang_bad_multiline.c|4|problem: the message "give a text" is not translated
lang_bad_multiline.c|5|usage_error: the message "unknown command '%s'" is not translated
lang_bad_puts.c|3|puts: the message "no accounts yet" is not translated
lang_bad_puts.c|4|fputs: the message "somon: out of memory\n" is not translated
CASES

# A file the Makefile lists in I18N_PENDING is spared the language rule, not the escaping rule.
if "$cc" --pending "$dir/lang_bad_puts.c" "$dir/lang_bad_puts.c" >"$out" 2>&1; then ok; else bad "--pending refused:"; cat "$out"; fi
if ! "$cc" --pending "$dir/bad_format.c" "$dir/bad_format.c" >"$out" 2>&1; then ok; else bad "--pending spared the escaping rule"; fi

# Several files: every violation is reported, not only the first.
"$cc" "$dir"/bad_*.c >"$out" 2>&1
n=$(grep -c ': .*; ' "$out")
if [ "$n" -ge 10 ]; then ok; else bad "all bad files together: $n messages, want 10 or more"; cat "$out"; fi
# scripts/i18n-check.sh: po/nl must translate every message of src/ (the template),
# none fuzzy, none stale (tests/codecheck/i18n/*.po against ref.pot).
check_po="$dir/../../scripts/i18n-check.sh"
if "$check_po" "$dir/i18n/ok.po" "$dir/i18n/ref.pot" >"$out" 2>&1; then ok; else bad "i18n ok.po refused:"; cat "$out"; fi
while IFS='|' read -r f what; do
  [ -n "$f" ] || continue
  if "$check_po" "$dir/i18n/$f" "$dir/i18n/ref.pot" >"$out" 2>&1; then bad "i18n $f accepted"; continue; fi
  if grep -qF "$what" "$out"; then ok; else bad "i18n $f: want '$what' in:"; cat "$out"; fi
done <<'CASES'
missing.po|msgctxt "form" msgid "required; give a text": no Dutch in po/nl
fuzzy.po|msgid "unknown command '%s'": fuzzy in po/nl
stale.po|msgid "a message src/ no longer has": stale
CASES

# The pages of the web are written in Dutch (SPEC): the language rule spares them.
if "$cc" "$dir/page_good.c" >"$out" 2>&1; then ok; else bad "page_good.c refused:"; cat "$out"; fi
# The sources of somon pass.
if "$cc" "$dir"/../../src/*.c >"$out" 2>&1; then ok; else bad "src/ refused:"; cat "$out"; fi

echo "codecheck: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
