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
  id=$(sed -n "$n,\$p" "$file" | grep -m1 '^msgid ' )
  ctx=$(sed -n "$n,\$p" "$file" | sed -n '/^msgid /q;/^msgctxt /p')
  case "$line" in
    *'used but not defined'*) why="no Dutch in po/nl; add it to po/nl/<area>.po" ;;
    *untranslated*) why="empty msgstr in po/nl; write the Dutch" ;;
    *reviewed*) why="fuzzy in po/nl; check the Dutch and remove the fuzzy flag" ;;
    *'not used'*) why="stale: src/ no longer has this message; remove it from po/nl (or fix its msgid)" ;;
    *) why=$line ;;
  esac
  printf 'i18n: %s %s: %s\n' "$ctx" "$id" "$why"
done | sort -u >&2
echo "i18n: the Dutch catalogue does not match src/ (docs/language.md says how to fix it)" >&2
exit 1
