#!/usr/bin/env bash
# Regiegebieden whose membership changes over time (SPEC §5, issue 9; seed 004:
# "Brecht heeft zich bij Kina aangesloten (mei 23)", "27 gemeenten zitten niet
# in een regiegebied"). A member is a NIS code (the whole period) or
# {"municipality", "from", "until"}; pages list the members on the date and
# /municipalities filters "in geen regiegebied" on a date.
source tests/cli/lib.sh
fresh_db
check_exit "import the fixture" 0 somon import "$FIX/regions_dated.json"

# ---- through the real dispatcher (somon test-http) -----------------------------
# get TARGET: the whole response in OUT, its body in BODY
get() {
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$1" >"$TMP/request"
  check_exit "GET $1" 0 somon test-http <"$TMP/request"
  BODY=$(sed '1,/^\r$/d' <<<"$OUT")
}
# The members listed under "Leden op" (before "Leden op andere dagen").
members_on() {
  get "/regiegebieden/$1?date=$2"
  sed -n '/<h2 id="members-h">/,/<\/ul>/p' <<<"$BODY" | grep -o '<li><a href="/municipalities/[0-9]*' | grep -o '[0-9]*$' | tr '\n' ' '
}

# RG-T-KINA: Essen 11016, Kalmthout 11022, Wuustwezel 11053 for its whole
# period (2020-2025); Brecht 11009 from 01/05/2023.
check_eq "Kina on 30/04/2023: without Brecht" "11016 11022 11053 " "$(members_on RG-T-KINA 2023-04-30)"
check_eq "Kina on 01/05/2023: Brecht has joined" "11016 11022 11053 11009 " "$(members_on RG-T-KINA 2023-05-01)"
get "/regiegebieden/RG-T-KINA?date=2023-04-30"
check_contains "Brecht shown among the members of other days, with its date" "Brecht</a> (lid vanaf 01/05/2023 tot en met 31/12/2025)" "$BODY"
# RG-T-RAND: Borsbeek 11007 (merged into Antwerpen on 1/1/2025) for the whole
# period; Boechout 11004 in 2020-2021 and again from 01/01/2023 to 30/04/2023.
check_eq "Rand on 30/04/2023: Boechout's second period" "11007 11004 " "$(members_on RG-T-RAND 2023-04-30)"
check_eq "Rand on 01/05/2023: Boechout has left" "11007 " "$(members_on RG-T-RAND 2023-05-01)"
check_eq "Rand on 30/06/2022: between Boechout's periods" "11007 " "$(members_on RG-T-RAND 2022-06-30)"
check_eq "Rand on 31/12/2021: Boechout's first period" "11007 11004 " "$(members_on RG-T-RAND 2021-12-31)"

# The list of regiegebieden counts the members on its date.
# (the pages' CSV is for people: ';' and Dutch headers, docs/downloads.md)
count() { get "/regiegebieden?date=$1&format=csv"; tr -d '\r' <<<"$BODY" | awk -F';' -v id="$2" '$1 == id {print $6}'; }
check_eq "Kina has 3 members on 30/04/2023" 3 "$(count 2023-04-30 RG-T-KINA)"
check_eq "and 4 on 01/05/2023" 4 "$(count 2023-05-01 RG-T-KINA)"
check_eq "Rand has 2 on 30/04/2023" 2 "$(count 2023-04-30 RG-T-RAND)"
check_eq "and 1 on 01/05/2023" 1 "$(count 2023-05-01 RG-T-RAND)"

# The municipality page names the regiegebied it is in on the date.
get "/municipalities/11009?date=2023-04-30"
check_contains "Brecht on 30/04/2023: none" "<dt>Regiegebied op 30/04/2023</dt><dd>geen</dd>" "$BODY"
get "/municipalities/11009?date=2023-05-01"
check_contains "Brecht on 01/05/2023: Kina" "<dt>Regiegebied op 01/05/2023</dt><dd><a href=\"/regiegebieden/RG-T-KINA" "$BODY"
# Antwerpen in 2025 holds former Borsbeek: through it, in RG-T-RAND.
get "/municipalities/11002?date=2025-06-30"
check_contains "Antwerpen in 2025 through Borsbeek" "<dt>Regiegebied op 30/06/2025</dt><dd><a href=\"/regiegebieden/RG-T-RAND" "$BODY"

# "In geen regiegebied" on a date, worked out by hand. Antwerpen has 69
# municipalities from 1/1/2019 to 31/12/2024, 67 from 1/1/2025; Flanders 300.
#   30/06/2022: Essen, Kalmthout, Wuustwezel, Borsbeek          4 in → 65 none
#   30/04/2023: those four and Boechout                          5 in → 64 none
#   01/05/2023: Boechout left, Brecht joined                     5 in → 64 none
#               (Flanders: 300 - 5 = 295)
#   30/06/2025: Essen, Kalmthout, Wuustwezel, Brecht, Antwerpen
#               (the 2025 Antwerpen holds former Borsbeek)       5 in → 62 none
#   01/01/2026: both regiegebieden ended                         0 in → 67 none
rows() { get "/municipalities?date=$1&province=Antwerpen&regiegebied=$2&format=csv"; echo $(($(wc -l <<<"$BODY") - 1)); }
check_eq "none 30/06/2022" 65 "$(rows 2022-06-30 none)"
check_eq "none 30/04/2023" 64 "$(rows 2023-04-30 none)"
check_eq "none 01/05/2023" 64 "$(rows 2023-05-01 none)"
check_eq "none 30/06/2025" 62 "$(rows 2025-06-30 none)"
check_eq "none 01/01/2026" 67 "$(rows 2026-01-01 none)"
check_eq "any 01/05/2023" 5 "$(rows 2023-05-01 any)"
get "/municipalities?date=2023-05-01&province=Antwerpen&regiegebied=any&format=csv"
check_eq "the CSV header has the regiegebieden column" $'\xef\xbb\xbfNIS;Gemeente;Provincie;Dekking;Overeenkomsten;Regiegebieden' \
  "$(head -1 <<<"$BODY" | tr -d '\r')"
check_eq "who is in one on 01/05/2023" "11007,RG-T-RAND 11009,RG-T-KINA 11016,RG-T-KINA 11022,RG-T-KINA 11053,RG-T-KINA" \
  "$(tail -n +2 <<<"$BODY" | tr -d '\r' | awk -F';' '{print $1 "," $NF}' | sort | tr '\n' ' ' | sed 's/ $//')"
get "/municipalities?date=2023-04-30&province=Antwerpen&regiegebied=none&format=csv"
check_contains "Brecht in none on 30/04/2023" "11009;Brecht" "$BODY"
check_not_contains "Boechout is in one on 30/04/2023" "11004;Boechout" "$BODY"
get "/municipalities?date=2023-05-01&province=Antwerpen&regiegebied=none&format=csv"
check_not_contains "Brecht is in one on 01/05/2023" "11009;Brecht" "$BODY"
check_contains "Boechout in none on 01/05/2023" "11004;Boechout" "$BODY"
get "/municipalities?date=2023-05-01&regiegebied=none&format=csv"
check_eq "Flanders none 01/05/2023" 295 "$(($(wc -l <<<"$BODY") - 1))"
get "/municipalities?date=2023-05-01&regiegebied=none"
check_contains "the page says the filter" "64 gemeenten in geen regiegebied" "$(get "/municipalities?date=2023-05-01&province=Antwerpen&regiegebied=none"; echo "$BODY")"
check_contains "the filter is in the form" '<option value="none" selected>in geen regiegebied</option>' "$BODY"
get "/municipalities?date=2023-05-01&regiegebied=maybe"
check_contains "a bad filter value is a 400" "HTTP/1.1 400" "$OUT"

# ---- the round trip: bare codes stay bare, dated members stay dated ----------------
check_exit "export" 0 somon export "$TMP/one.json"
check_contains "a member without dates stays a bare NIS code" '"members": [
        "11016",' "$(cat "$TMP/one.json")"
check_contains "a dated member keeps its dates" '{
          "municipality": "11009",
          "from": "2023-05-01",
          "until": null
        }' "$(cat "$TMP/one.json")"
DB="$TMP/two.db" fresh_db
check_exit "import the export into an empty database" 0 "$SOMON" --db "$TMP/two.db" import "$TMP/one.json"
check_exit "export again" 0 "$SOMON" --db "$TMP/two.db" export "$TMP/two.json"
check_exit "byte-identical" 0 cmp "$TMP/one.json" "$TMP/two.json"
check_exit "importing the export again changes nothing" 0 somon import "$TMP/one.json"
check_eq "no new change" 2 "$(changes)"

# ---- refusals: every problem with its path, nothing changed ------------------------
refuse() { # DESCRIPTION EXPECTED MEMBERS-JSON
  printf '{"format": "somon/1", "regiegebieden": [{"id": "RG-T-X", "name": "X", "province": "Antwerpen", "from": "2020-01-01", "until": "2025-12-31", "members": %s}]}' "$3" >"$TMP/bad.json"
  check_exit "$1: refused" 65 somon import "$TMP/bad.json"
  check_contains "$1" "$2" "$ERR"
}
refuse "a municipality that did not exist on the member's first day" \
  "regiegebieden[0].members[0].municipality: municipality 11007 (Borsbeek) did not exist on 2025-02-01, the member's from date" \
  '[{"municipality": "11007", "from": "2025-02-01"}]'
refuse "until before from" \
  "regiegebieden[0].members[0].until: before the member's first day (2023-05-01)" \
  '[{"municipality": "11009", "from": "2023-05-01", "until": "2023-04-01"}]'
refuse "until before the regiegebied's from, without from" \
  "regiegebieden[0].members[0].until: before the member's first day (2020-01-01)" \
  '[{"municipality": "11009", "until": "2019-04-01"}]'
refuse "from before the regiegebied's period" \
  "regiegebieden[0].members[0].from: before the regiegebied's from (2020-01-01)" \
  '[{"municipality": "11009", "from": "2019-06-01"}]'
refuse "from after the regiegebied's period" \
  "regiegebieden[0].members[0].from: after the regiegebied's until (2025-12-31)" \
  '[{"municipality": "11009", "from": "2026-02-01"}]'
refuse "until after the regiegebied's period" \
  "regiegebieden[0].members[0].until: after the regiegebied's until (2025-12-31)" \
  '[{"municipality": "11009", "until": "2026-03-01"}]'
refuse "overlapping periods of one municipality" \
  "regiegebieden[0].members[1]: 11009 is a member twice on the same days (also members[0])" \
  '["11009", {"municipality": "11009", "from": "2023-05-01"}]'
refuse "overlapping by one day" \
  "regiegebieden[0].members[1]: 11009 is a member twice on the same days (also members[0])" \
  '[{"municipality": "11009", "until": "2023-05-01"}, {"municipality": "11009", "from": "2023-05-01"}]'
refuse "an unknown NIS code" "regiegebieden[0].members[0].municipality: unknown NIS code 12345" \
  '[{"municipality": "12345", "from": "2023-05-01"}]'
refuse "a member without municipality" "regiegebieden[0].members[0].municipality: required" '[{"from": "2023-05-01"}]'
refuse "a misspelt field" "regiegebieden[0].members[0].form: unknown field; did you mean 'from'?" \
  '[{"municipality": "11009", "form": "2023-05-01"}]'
refuse "a number" "regiegebieden[0].members[0]: expected a NIS code as text" '[11009]'
check_eq "nothing changed by the refusals" 2 "$(changes)"
# Leaving and coming back, with a day between, is two periods: accepted.
printf '{"format": "somon/1", "regiegebieden": [{"id": "RG-T-X", "name": "X", "province": "Antwerpen", "from": "2020-01-01", "until": "2025-12-31", "members": [{"municipality": "11009", "until": "2023-04-30"}, {"municipality": "11009", "from": "2023-05-01"}]}]}' >"$TMP/ok.json"
check_exit "two periods that touch but do not overlap" 0 somon import "$TMP/ok.json"

finish
