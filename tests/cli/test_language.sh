#!/usr/bin/env bash
# The command line's language (issue 11, docs/language.md): Dutch by default, also
# under an empty environment and LANG=C; English when LANGUAGE or LANG start with
# "en". Help, an import problem, a usage error, a date error and a confirmation are
# checked both ways. The command line also takes the web's words: 30/06/2023 for a
# date, a province in any case, and the Dutch status words the web shows
# ("ondertekend", "lopend") in a somon/1 import, stored as their codes.
source "$(dirname "$0")/lib.sh"
echo "test_language"

# in_env VAR=VALUE... -- COMMAND: the command in an environment of only PATH and VARs
in_env() {
  local vars=()
  while [[ $1 != -- ]]; do vars+=("$1"); shift; done
  shift
  env -i PATH="$PATH" "${vars[@]}" "$@"
}
dutch() { in_env -- "$SOMON" --db "$DB" "$@"; }
english() { in_env LANG=en_US.UTF-8 -- "$SOMON" --db "$DB" "$@"; }

# ---- help ----
for lang in "" "LANG=C" "LANG=C.UTF-8" "LANG=nl_BE.UTF-8" "LANGUAGE=nl" "LC_ALL=fr_BE.UTF-8"; do
  out=$(in_env $lang -- "$SOMON" --help)
  check_contains "--help is Dutch under '${lang:-an empty environment}'" "gebruik: somon [--db PAD]" "$out"
  check_contains "--help under '${lang:-an empty environment}' keeps the command names" "report coverage --date D" "$out"
  check_not_contains "--help under '${lang:-an empty environment}' has no English" "create or upgrade the database" "$out"
done
for lang in "LANG=en_GB.UTF-8" "LANGUAGE=en" "LC_ALL=en_US.UTF-8" "LANGUAGE=en_GB:nl LANG=nl_BE.UTF-8" "LANG=en"; do
  out=$(in_env $lang -- "$SOMON" --help)
  check_contains "--help is English under '$lang'" "usage: somon [--db PATH]" "$out"
  check_contains "--help under '$lang' describes in English" "create or upgrade the database" "$out"
done

# ---- a confirmation ----
rm -f "$DB"
check_exit "init in Dutch" 0 dutch init
check_contains "init confirms in Dutch" "aangemaakt (schema" "$OUT"
check_contains "init says the reference data is loaded" "referentiegegevens uit" "$OUT"
check_exit "init again in English" 0 english init
check_contains "init confirms in English" "is current" "$OUT"

# ---- a usage error ----
check_exit "an unknown command in Dutch" 64 dutch bogus
check_contains "names it in Dutch" "somon: onbekende opdracht 'bogus'" "$ERR"
check_contains "and shows the Dutch help" "gebruik: somon" "$ERR"
check_exit "an unknown command in English" 64 english bogus
check_contains "names it in English" "somon: unknown command 'bogus'" "$ERR"

# ---- a date error ----
check_exit "a date that does not exist, in Dutch" 64 dutch report coverage --date 31/02/2023
check_contains "says so in Dutch, with the fix" "--date '31/02/2023' is geen datum; schrijf DD/MM/JJJJ" "$ERR"
check_exit "the same in English" 64 english report coverage --date 31/02/2023
check_contains "says so in English" "--date '31/02/2023' is not a date; write YYYY-MM-DD or DD/MM/YYYY" "$ERR"

# ---- an import problem, and an import that goes in ----
somon --actor test import "$FIX/leaving.json" >/dev/null || fail "the leaving fixture imports"
$PY - "$FIX/leaving.json" "$TMP/bad.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
d["agreements"][0]["statuss"] = "signed"
d["agreements"][0]["start"] = "2023-02-30"
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"))
EOF
before=$(changes)
check_exit "a bad import in Dutch" 65 dutch import "$TMP/bad.json"
check_contains "an unknown field, in Dutch" "agreements[0].statuss: onbekend veld; bedoelde u 'status'?" "$ERR"
check_contains "a bad date, in Dutch" "agreements[0].start: '2023-02-30' is geen datum" "$ERR"
check_contains "nothing changed, in Dutch" "somon: import geweigerd: 2 problemen; er is niets gewijzigd" "$ERR"
check_exit "the bad import in English" 65 english import "$TMP/bad.json"
check_contains "an unknown field, in English" "agreements[0].statuss: unknown field; did you mean 'status'?" "$ERR"
check_contains "nothing changed, in English" "somon: import refused: 2 problems; nothing was changed" "$ERR"
check_eq "nothing was written" "$before" "$(changes)"

# ---- the web's words ----
$PY - "$FIX/followup.json" "$TMP/dutch-words.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for a in d["agreements"]:
    if a["id"] == "SO-T-FOLLOWUP":
        a["status"] = "Ondertekend"
        action = a["action_plan"][0]["domains"][0]["actions"][0]
        action["status"] = "lopend"
        action["evaluations"][0]["status"] = "gerealiseerd"
        action["evaluations"][1]["status"] = "niet gestart"
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
check_exit "an import with the web's Dutch status words" 0 english import "$TMP/dutch-words.json"
somon export "$TMP/out.json" || fail "export"
got=$($PY - "$TMP/out.json" <<'EOF'
import json, sys
for a in json.load(open(sys.argv[1], encoding="utf-8"))["agreements"]:
    if a["id"] == "SO-T-FOLLOWUP":
        action = a["action_plan"][0]["domains"][0]["actions"][0]
        print(a["status"], action["status"], *sorted(e["status"] for e in action["evaluations"]))
EOF
)
check_eq "stored as the codes of somon/1" "signed ongoing achieved not_started" "$got"
sed 's/"Ondertekend"/"half getekend"/' "$TMP/dutch-words.json" >"$TMP/bad-word.json"
check_exit "a word that is no status" 65 dutch import "$TMP/bad-word.json"
check_contains "is refused with the choices" "'half getekend' is niet een status; geef een van" "$ERR"

check_exit "a Dutch date and a province in lower case" 0 dutch report annex --date 30/06/2023 --province antwerpen --format csv
check_exit "alerts take them too" 0 dutch alerts --date 30/06/2023 --province LIMBURG

finish
