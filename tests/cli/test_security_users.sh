#!/usr/bin/env bash
# somon user under attack (issue 8, item 8): the command line never leaves
# the register without an active administrator, nobody disables their own
# account (the actor is --actor, or the user running somon), and a login
# given on the command line is shown escaped in messages (no terminal
# control characters reach the terminal).
source tests/cli/lib.sh

PW='een lang genoeg wachtwoord'
add() { printf '%s\n' "$PW" | SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" --actor setup user add "$@" >/dev/null; }
state() { sqlite3 "$DB" "SELECT role || ' ' || disabled FROM account WHERE login = '$1'"; }
attacks=0
hostile() { attacks=$((attacks + 1)); }

demo_db
add root.admin --role admin 2>/dev/null
add lezer --role viewer 2>/dev/null

# ---- no account without an administrator ------------------------------------
changes_before=$(changes)
check_exit "disabling the only active administrator is refused" 65 somon --actor someone user disable root.admin
hostile
check_contains "says why and what to do instead" \
  "root.admin is the last active administrator; add another first (somon user add LOGIN --role admin), then disable this one" "$ERR"
check_eq "it stays active" "admin 0" "$(state root.admin)"
check_eq "no change is recorded" "$changes_before" "$(changes)"

check_exit "a viewer may be disabled while there is an administrator" 0 somon --actor root.admin user disable lezer
check_eq "the viewer is disabled" "viewer 1" "$(state lezer)"

add second.admin --role admin 2>/dev/null
check_exit "with a second administrator, one may go" 0 somon --actor second.admin user disable root.admin
check_eq "root.admin is disabled" "admin 1" "$(state root.admin)"
changes_before=$(changes)
check_exit "then the other is the last one" 65 somon --actor someone user disable second.admin
hostile
check_contains "and says so" "second.admin is the last active administrator" "$ERR"
check_eq "second.admin stays active" "admin 0" "$(state second.admin)"
check_eq "no change is recorded" "$changes_before" "$(changes)"

# ---- not your own account -------------------------------------------------------
add third.admin --role admin 2>/dev/null
changes_before=$(changes)
check_exit "disabling your own account is refused, even with another administrator" 65 \
  somon --actor third.admin user disable third.admin
hostile
check_contains "says why and what to do instead" \
  "you cannot disable your own account (third.admin); ask another administrator to do it" "$ERR"
check_eq "third.admin stays active" "admin 0" "$(state third.admin)"
check_eq "no change is recorded" "$changes_before" "$(changes)"
check_exit "another administrator may" 0 somon --actor second.admin user disable third.admin

# An empty database has no administrator to keep: the rule only guards the last one.
fresh_db
add lezer --role viewer 2>/dev/null
check_exit "without any administrator a viewer can still be disabled" 0 somon --actor setup user disable lezer

# ---- logins with control characters are shown escaped ------------------------------
for bad in $'evil\e[2J\e[31m' $'two\nsomon: lines' $'bell\a' $'del\x7f' $'cr\rsomon: ok' 'quote"back\slash'; do
  hostile
  check_exit "disable of a login with control characters" 65 somon user disable "$bad"
  check_contains "names it and points to the list" "there is no login " "$ERR"
  if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' <<<"$ERR" || [[ $(wc -l <<<"$ERR") != 1 ]]; then
    fail "a control character or an extra line reached the terminal: $(cat -v <<<"$ERR")"
  else ok; fi
  hostile
  check_exit "add of a login with control characters" 64 add "$bad" --role viewer
  check_exit "add shows it escaped" 64 \
    env SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" user add "$bad" --role viewer </dev/null
  check_contains "says what a login is" "is not a login; use 1 to 64 of a-z 0-9 . _ @ -" "$ERR"
  if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' <<<"$ERR" || [[ $(wc -l <<<"$ERR") != 1 ]]; then
    fail "a control character or an extra line reached the terminal: $(cat -v <<<"$ERR")"
  else ok; fi
done
check_exit "passwd of a login with control characters" 65 \
  sh -c 'printf "%s\n" "een lang wachtwoord" | "$0" --db "$1" user passwd "$2"' "$SOMON" "$DB" $'x\e]0;title\a'
hostile
check_contains "is shown escaped" "there is no login x\\x1b]0;title\\x07; see 'somon user list'" "$ERR"

echo "  $attacks hostile inputs"
finish
