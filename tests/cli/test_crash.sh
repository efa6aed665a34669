#!/usr/bin/env bash
# Crash safety: an import killed with SIGKILL at any moment leaves the database
# intact (PRAGMA integrity_check) and exactly as before (export byte-identical),
# unless it had already committed, in which case all of it is there.
#
# A large valid somon/1 document (3,000 agreements) is imported again and again
# and killed after a delay that ranges from a few milliseconds to a little more
# than the time a whole import takes, so that kills land during start-up and
# parsing, inside the write transaction, and after the commit. Whether the
# import held SQLite's WAL write lock when it was killed is read from
# /proc/locks, to count the kills that landed mid-transaction.
#
# Environment: SOMON (absolute path of the binary, required; SOMON_RELEASE, when
# set, is used instead: what is killed here is SQLite's transaction, which the
# sanitizers do not check, and under them the 24 large imports were a quarter of
# the CPU of make cli); CRASH_ITERATIONS
# (default 24, at least 20); CRASH_SEED (seeds the delays, printed).
set -u
: "${SOMON:?set SOMON to the absolute path of the somon binary}"
SOMON=${SOMON_RELEASE:-$SOMON}
ITERATIONS=${CRASH_ITERATIONS:-24}
((ITERATIONS >= 20)) || ITERATIONS=20
SEED=${CRASH_SEED:-$$}
RANDOM=$SEED
PY=python3
[[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/crash.db
BIG=$TMP/big.json
AGREEMENTS=3000
SOMON_EXE=$(readlink -f "$SOMON")

die() {
  echo "  FAIL: $*"
  exit 1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
changes() { sqlite3 "$DB" 'SELECT count(*) FROM change'; }
current_agreements() { sqlite3 "$DB" 'SELECT count(*) FROM agreement WHERE rec_until IS NULL'; }

# A database with the demo register and nothing else.
make_db() {
  rm -f "$1" "$1-wal" "$1-shm"
  "$SOMON" --db "$1" init >/dev/null || die "init of $1 failed"
  "$SOMON" --db "$1" --actor demo import data/demo/*.json >/dev/null || die "demo import into $1 failed"
}

# ---- the large document: agreements over real 2019-2024 NIS codes ----
$PY - "$AGREEMENTS" >"$BIG" <<'PYEOF' || die "cannot generate the large document"
import csv, json, sys
rows = [r for r in csv.DictReader(open("data/municipalities.csv", encoding="utf-8"))
        if r["valid_from"] <= "2019-01-01" and (not r["valid_to"] or r["valid_to"] >= "2024-12-31")]
by_province = {}
for r in rows:
    by_province.setdefault(r["province"], []).append(r["nis"])
provinces = sorted(by_province)
agreements = []
for i in range(int(sys.argv[1])):
    province = provinces[i % len(provinces)]
    codes = by_province[province]
    nis = sorted({codes[(i * 7 + k * 13) % len(codes)] for k in range(4)})
    parties = [{"organisation": "VDAB", "signatories": [{"name": "Directeur %d" % i, "function": "directeur"}]}]
    parties += [{"municipality": c, "signatories": [{"name": "Voorzitter %s" % c, "function": None}]} for c in nis]
    agreements.append({
        "id": "CRASH-%05d" % i, "title": "Samenwerking %d" % i, "vdab_directorate": province,
        "status": "signed", "start": "2021-01-01", "end": "2025-12-31", "parties": parties,
        "action_plan": [{"theme": "Meer mensen aan de slag", "domains": [{"number": "1", "title": "Domein",
            "actions": [{"number": "1.%d" % a, "title": "Actie %d" % a} for a in range(1, 4)]}]}],
        "governance": [{"body": "Stuurgroep", "min_meetings": 2, "per_years": 1}]})
json.dump({"format": "somon/1", "agreements": agreements}, sys.stdout, ensure_ascii=False)
PYEOF
echo "  large document: $AGREEMENTS agreements, $(wc -c <"$BIG") bytes"

# ---- the state every killed import must leave behind ----
make_db "$DB"
"$SOMON" --db "$DB" export >"$TMP/before.json" || die "export failed"
BASE_CHANGES=$(changes)
BASE_AGREEMENTS=$(current_agreements)

# ---- how long a whole import takes (on a scratch copy of the same state) ----
duration=0
for _ in 1 2; do
  make_db "$TMP/measure.db"
  start=$(now_ms)
  "$SOMON" --db "$TMP/measure.db" import "$BIG" >"$TMP/measure.out" 2>&1 ||
    { sed 's/^/    /' "$TMP/measure.out"; die "the large import fails without a kill"; }
  took=$(($(now_ms) - start))
  ((took > duration)) && duration=$took
done
grep -q "$AGREEMENTS agreement(s) new" "$TMP/measure.out" || die "the large import did not add $AGREEMENTS agreements"
rm -f "$TMP"/measure.db*
echo "  a whole import takes about ${duration} ms; $ITERATIONS kills, delays from 2 ms to $((duration * 11 / 10)) ms (seed $SEED)"

# True when process $1 holds SQLite's WAL write lock (byte 120 of the -shm
# file): it is inside its write transaction.
LOCKS_READABLE=false
[[ -r /proc/locks ]] && LOCKS_READABLE=true
in_transaction() {
  $LOCKS_READABLE && grep -Eq "^[0-9]+: +POSIX +ADVISORY +WRITE +$1 +[0-9a-f:]+ +120 +120\$" /proc/locks
}

before_commit=0 mid_transaction=0 committed=0 finished=0
# kill_import DELAY_MS: one import, killed after DELAY_MS, then every check.
kill_import() {
  local delay=$1 pid rc where
  "$SOMON" --db "$DB" import "$BIG" >"$TMP/import.out" 2>"$TMP/import.err" &
  pid=$!
  sleep "$(seconds "$delay")"
  where="before its transaction"
  in_transaction "$pid" && where="inside its transaction"
  # Only our import: a finished import's pid is not signalled.
  [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$SOMON_EXE" ]] && kill -9 "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null
  rc=$?
  if ((rc == 0)); then
    where="after it finished"
    finished=$((finished + 1))
  elif ((rc != 137)); then
    sed 's/^/    /' "$TMP/import.err" | head -20
    die "kill after ${delay} ms: the import exited with $rc instead of being killed or finishing"
  fi

  local integrity now
  integrity=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
  [[ "$integrity" == ok ]] || die "kill after ${delay} ms ($where): integrity_check says: $integrity"
  [[ -z "$(sqlite3 "$DB" 'PRAGMA foreign_key_check' 2>&1)" ]] ||
    die "kill after ${delay} ms ($where): foreign_key_check reports rows"
  now=$(changes)
  if ((now == BASE_CHANGES)); then
    ((rc == 0)) && die "kill after ${delay} ms: the import finished but recorded no change"
    "$SOMON" --db "$DB" export >"$TMP/after.json" 2>"$TMP/export.err" ||
      die "kill after ${delay} ms ($where): export fails: $(head -3 "$TMP/export.err")"
    cmp -s "$TMP/before.json" "$TMP/after.json" ||
      die "kill after ${delay} ms ($where): the export differs from before.json although nothing was committed:
$(diff "$TMP/before.json" "$TMP/after.json" | head -20)"
    before_commit=$((before_commit + 1))
    [[ $where == "inside its transaction" ]] && mid_transaction=$((mid_transaction + 1))
    printf '  kill after %5d ms: %-24s rolled back, export unchanged\n' "$delay" "$where"
  elif ((now == BASE_CHANGES + 1)); then
    # Committed (the kill came after the commit, or never came): all of it.
    local all
    all=$(current_agreements)
    ((all == BASE_AGREEMENTS + AGREEMENTS)) ||
      die "kill after ${delay} ms: a change was committed with $all agreements, expected $((BASE_AGREEMENTS + AGREEMENTS))"
    "$SOMON" --db "$DB" export >"$TMP/after.json" || die "export after a committed import fails"
    grep -q "\"CRASH-$(printf '%05d' $((AGREEMENTS - 1)))\"" "$TMP/after.json" ||
      die "kill after ${delay} ms: the committed import's last agreement is not in the export"
    committed=$((committed + 1))
    printf '  kill after %5d ms: %-24s committed in full (%d agreements); database re-created\n' \
      "$delay" "$([[ $rc == 0 ]] && echo "$where" || echo "after its commit")" "$all"
    make_db "$DB"
    if ! "$SOMON" --db "$DB" export >"$TMP/after.json" || ! cmp -s "$TMP/before.json" "$TMP/after.json"; then
      die "the re-created database does not export as before.json"
    fi
    ((BASE_CHANGES == $(changes))) || die "the re-created database has $(changes) changes, expected $BASE_CHANGES"
  else
    die "kill after ${delay} ms ($where): $now changes, expected $BASE_CHANGES or $((BASE_CHANGES + 1))"
  fi
}

span=$((duration * 11 / 10))
for ((i = 0; i < ITERATIONS; i++)); do
  # Evenly over [2 ms, 1.1 × duration], each step with some jitter.
  step=$((span / ITERATIONS + 1))
  kill_import $((2 + i * span / ITERATIONS + (i ? RANDOM % step : 0)))
done
# Make sure some kills landed inside the transaction (it is the middle part of
# an import, after parsing): aim more kills there if none did.
extra=0
while $LOCKS_READABLE && ((mid_transaction < 3 && extra < 20)); do
  kill_import $((duration * 4 / 10 + RANDOM % (duration / 2 + 1)))
  extra=$((extra + 1))
done

# After all that the database still takes the import.
"$SOMON" --db "$DB" import "$BIG" >"$TMP/import.out" 2>&1 ||
  { sed 's/^/    /' "$TMP/import.out"; die "the import fails after the kills"; }
[[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" == ok ]] || die "integrity_check fails after the final import"
(($(current_agreements) == BASE_AGREEMENTS + AGREEMENTS)) || die "the final import did not add every agreement"

total=$((ITERATIONS + extra))
echo "  $total imports: $before_commit killed mid-import (export unchanged), of which" \
  "$($LOCKS_READABLE && echo "$mid_transaction" || echo "an unknown number of") inside the write transaction;" \
  "$committed committed in full ($finished finished before the kill)"
if $LOCKS_READABLE && ((mid_transaction == 0)); then
  die "no kill landed inside the write transaction, so the test proved little; rerun it"
fi
((before_commit > 0)) || die "no kill landed before the commit; rerun it"
echo "  ok: every killed import left the database intact and unchanged"
