#!/bin/sh
# Every message of src/ has its Dutch, and po/nl has nothing src/ no longer says.
#   scripts/i18n-check.sh NL.po TEMPLATE.pot
# NL.po is po/nl/*.po joined (msgcat); TEMPLATE.pot is what xgettext extracts from
# src/ (Makefile, XGETTEXT_KEYS). msgcmp refuses a message of the template that NL.po
# lacks, leaves empty or marks fuzzy, and warns about an entry of NL.po that the
# template does not have (stale): both stop the build.
set -u
nl=${1:?usage: scripts/i18n-check.sh NL.po TEMPLATE.pot}
pot=${2:?usage: scripts/i18n-check.sh NL.po TEMPLATE.pot}
out=$(msgcmp "$nl" "$pot" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && ! printf '%s\n' "$out" | grep -q 'this message is not used'; then
  exit 0
fi
# Show each problem with its msgid, so that it can be found in po/nl/*.po and src/.
printf '%s\n' "$out" | grep -v '^msgcmp: found\|this definition is similar' | while IFS= read -r line; do
  file=${line%%:*}
  rest=${line#*:}
  n=${rest%%:*}
  case "$n" in *[!0-9]*|'') printf '%s\n' "$line"; continue ;; esac
  # msgcmp names a line of the entry (its msgstr): the entry's msgctxt and msgid lie before it
  entry=$(awk -v n="$n" 'NR > n { exit } /^$/ { c = ""; i = ""; more = 0 }
      /^msgctxt / { c = "msgctxt " substr($0, 9) " " }
      /^msgid / { i = $0; more = ($0 == "msgid \"\"") ; next }
      more && /^"/ { i = i " " $0; more = 0 }
      END { print c i }' "$file")
  case "$line" in
    *'used but not defined'*) why="no Dutch in po/nl; add it to po/nl/<area>.po" ;;
    *untranslated*) why="empty msgstr in po/nl; write the Dutch" ;;
    *reviewed*) why="fuzzy in po/nl; check the Dutch and remove the fuzzy flag" ;;
    *'not used'*)
      # msgcmp calls a fuzzy or empty entry unused too: it is reported as such above
      if printf '%s\n' "$out" | grep -q "^$file:$n: this message \(needs to be reviewed\|is untranslated\)"; then continue; fi
      why="stale: src/ no longer has this message; remove it from po/nl (or fix its msgid)" ;;
    *) why=$line ;;
  esac
  printf 'i18n: %s: %s\n' "$entry" "$why"
done | sort -u >&2
echo "i18n: the Dutch catalogue does not match src/ (docs/language.md says how to fix it)" >&2
exit 1
