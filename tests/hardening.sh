#!/bin/sh
# The production binary is hardened and carries no test-only switch.
#   tests/hardening.sh build/somon build/test/somon     (make hardening)
# Checks with binutils: PIE (ELF type DYN), full RELRO (a GNU_RELRO segment and
# BIND_NOW), the stack protector and _FORTIFY_SOURCE in use (__stack_chk_fail,
# *_chk functions imported); then that build/somon knows neither
# SOMON_TEST_FAST_HASH nor SOMON_SCHEMA_TARGET, and that with
# SOMON_TEST_FAST_HASH set it still hashes a password at full Argon2id cost,
# while the test build (the control) does know the switch.
set -u
# it reads the English confirmations of init (the command line is Dutch by default)
export LANGUAGE=en
rel=${1:?usage: tests/hardening.sh build/somon build/test/somon}
test_bin=${2:?usage: tests/hardening.sh build/somon build/test/somon}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # name, command...
  name=$1; shift
  if "$@" >/dev/null 2>&1; then ok; else bad "$name"; fi
}

check "PIE: ELF type DYN" sh -c 'readelf -h "$0" | grep -Eq "Type:[[:space:]]+DYN"' "$rel"
check "RELRO: a GNU_RELRO segment" sh -c 'readelf -lW "$0" | grep -q GNU_RELRO' "$rel"
check "now: BIND_NOW" sh -c 'readelf -dW "$0" | grep -Eq "BIND_NOW|FLAGS_1.*NOW"' "$rel"
check "stack protector: __stack_chk_fail" sh -c 'nm -D "$0" | grep -q __stack_chk_fail' "$rel"
check "_FORTIFY_SOURCE: checked libc calls" sh -c 'nm -D "$0" | grep -Eq "__(memcpy|snprintf|vsnprintf|fprintf|read|strcpy|memmove)_chk"' "$rel"
check "no executable stack" sh -c 'readelf -lW "$0" | grep GNU_STACK | grep -qv RWE' "$rel"

for s in SOMON_TEST_FAST_HASH SOMON_SCHEMA_TARGET; do
  if strings "$rel" | grep -q "$s"; then bad "$rel contains $s"; else ok; fi
  if strings "$test_bin" | grep -q "$s"; then ok; else bad "the control $test_bin lacks $s"; fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# An Argon2id hash names its cost: m=65536 (64 MiB, libsodium's interactive
# limit) at full cost; the test cost is m=8.
hash_of() { # binary, db
  "$1" --db "$2" init >/dev/null 2>&1 &&
  printf 'een lang genoeg wachtwoord\n' | SOMON_TEST_FAST_HASH=1 "$1" --db "$2" user add hardening.test --role viewer \
    >/dev/null 2>"$tmp/err" && sqlite3 "$2" "SELECT password_hash FROM account WHERE login = 'hardening.test'"
}
h=$(hash_of "$rel" "$tmp/rel.db")
case "$h" in
  '$argon2id$'*'m=65536,'*) ok ;;
  *) bad "build/somon with SOMON_TEST_FAST_HASH=1: want a full-cost Argon2id hash (m=65536), got '$h'" ;;
esac
if grep -q SOMON_TEST_FAST_HASH "$tmp/err"; then bad "build/somon warns about SOMON_TEST_FAST_HASH"; else ok; fi
h=$(hash_of "$test_bin" "$tmp/test.db")
case "$h" in
  '$argon2id$'*) case "$h" in *'m=65536,'*) bad "the control $test_bin ignored SOMON_TEST_FAST_HASH" ;; *) ok ;; esac ;;
  *) bad "the control $test_bin made no Argon2id hash: '$h'" ;;
esac
# The schema target: build/somon ignores it and builds the current schema.
rm -f "$tmp/s.db"
SOMON_SCHEMA_TARGET=1 "$rel" --db "$tmp/s.db" init >"$tmp/out" 2>&1
cur=$("$rel" --db "$tmp/rel.db" init 2>/dev/null | sed -n 's/.*schema \([0-9]*\) is current.*/\1/p')
if grep -q "created (schema $cur)" "$tmp/out" && [ -n "$cur" ] && [ "$cur" != 1 ]; then ok; else
  bad "build/somon with SOMON_SCHEMA_TARGET=1: want schema $cur, got: $(cat "$tmp/out")"; fi

echo "hardening: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
