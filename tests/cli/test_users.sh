#!/usr/bin/env bash
# somon user add|passwd|list|disable (issue 4): passwords from a terminal
# without echo or from standard input, at least 12 characters, stored only as
# Argon2id hashes; roles and scopes; and the accounts really sign in to
# `somon serve` (and stop signing in once disabled or re-passworded).
source tests/cli/lib.sh

server_pid=
stop_server() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid"
    SERVER_RC=$?
  fi
  server_pid=
}
trap 'stop_server; rm -rf "$TMP"' EXIT

# Each password a distinct string, so finding one anywhere in the database is telling.
PW_ALICE='correct horse battery staple'
PW_ALICE2='Nieuw-Paswoord-2024!'
PW_UTF8='éàèüöçïëâêîô'   # 12 characters, 24 bytes
PW_UTF8_11='éàèüöçïëâêî' # 11 characters, 22 bytes
PW_TTY='getypt maar niet getoond 7'

# Adds an account with a password on standard input (fast test hashing).
add() { # PASSWORD LOGIN ARGS...
  local pw=$1
  shift
  printf '%s\n' "$pw" | SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" user add "$@"
}
hash_of() { sqlite3 "$DB" "SELECT password_hash FROM account WHERE login = '$1'"; }
accounts() { sqlite3 "$DB" 'SELECT count(*) FROM account'; }
# The line of a login in `somon user list`, its runs of spaces squeezed.
list_line() { somon user list | tr -s ' ' | grep "^$1 "; }

# ---- after init: no account, no default password ---------------------------
demo_db
check_eq "no account after init" 0 "$(accounts)"
check_exit "user list on a fresh database" 0 somon user list
check_contains "user list says there is none and how to make one" \
  "no accounts yet; add the first administrator with: somon user add LOGIN --role admin" "$OUT"
check_eq "no password hash stored by init" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM account WHERE password_hash IS NOT NULL')"

# ---- add: the real Argon2id parameters ---------------------------------------
# Without SOMON_TEST_FAST_HASH: libsodium's interactive limits (64 MiB, 2 passes).
check_exit "add an administrator (real hashing)" 0 \
  env -u SOMON_TEST_FAST_HASH "$SOMON" --db "$DB" --actor root.admin user add alice --role admin <<<"$PW_ALICE"
check_eq "add says what was added" "alice: admin added" "$OUT"
check_not_contains "no test-hash warning without SOMON_TEST_FAST_HASH" "SOMON_TEST_FAST_HASH" "$ERR"
check_not_contains "no prompt when the password comes from standard input" "wachtwoord" "$ERR"
h=$(hash_of alice)
check_eq "alice's hash is Argon2id v1.3 with m=65536 (64 MiB), t=2, p=1" \
  '$argon2id$v=19$m=65536,t=2,p=1$' "$(sed -E 's/^(\$argon2id\$v=19\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$).*/\1/' <<<"$h")"
check_eq "the hash has a 16-byte salt and a 32-byte digest" 1 \
  "$(grep -cE '^\$argon2id\$v=19\$m=65536,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$' <<<"$h")"
check_eq "alice is in the list, active, without scope" "alice admin active" "$(list_line alice | sed 's/ $//')"
check_eq "the change names the actor and the account, not the password" "root.admin|account|add alice as admin" \
  "$(sqlite3 "$DB" "SELECT actor, action, detail FROM change ORDER BY id DESC LIMIT 1")"

# With SOMON_TEST_FAST_HASH: still Argon2id, the smallest cost, and a warning.
check_exit "add with test hashing (12 accented characters, 24 bytes)" 0 add "$PW_UTF8" bob --role viewer
check_contains "test hashing warns" "SOMON_TEST_FAST_HASH is set" "$ERR"
check_eq "a test hash is still Argon2id (m=8, t=1)" '$argon2id$v=19$m=8,t=1,p=1$' \
  "$(sed -E 's/^(\$argon2id\$v=19\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$).*/\1/' <<<"$(hash_of bob)")"

# ---- password length: characters, not bytes ---------------------------------
check_eq "bob (12 accented characters) was added" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM account WHERE login = 'bob'")"
check_exit "11 accented characters (22 bytes) are refused" 65 add "$PW_UTF8_11" carol --role viewer
check_contains "and the message gives the minimum" "minstens 12 tekens" "$ERR"
check_exit "11 ASCII characters are refused" 65 add 'abcdefghijk' carol --role viewer
check_contains "and the message gives the minimum" "minstens 12 tekens" "$ERR"
check_exit "12 ASCII characters are enough" 0 add 'abcdefghijkl' carol --role viewer
check_exit "an empty password is refused" 65 add '' dave --role viewer
check_exit "more than 1024 bytes is refused" 65 add "$(printf 'x%.0s' {1..1025})" dave --role viewer
check_contains "and the message gives the maximum" "hoogstens 1024 tekens" "$ERR"
check_exit "no password at all (empty standard input)" 65 \
  env SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" user add dave --role viewer </dev/null
check_contains "says how to give one" "pipe it on standard input" "$ERR"
check_eq "none of the refused accounts exists" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM account WHERE login = 'dave'")"
check_eq "carol has the 12-character password only" "alice bob carol" "$(sqlite3 "$DB" "SELECT group_concat(login, ' ') FROM account")"

# ---- roles and scopes ----------------------------------------------------------
check_exit "vdab with provinces" 0 add "$PW_ALICE" an.peeters --role vdab --scope 'Antwerpen, Limburg'
check_eq "the scope is stored in canonical form" "an.peeters vdab active Antwerpen,Limburg" "$(list_line an.peeters)"
check_exit "vdab for all" 0 add "$PW_ALICE" vdab.all --role vdab --scope all
check_eq "vdab all listed" "vdab.all vdab active all" "$(list_line vdab.all)"
check_exit "local with a NIS code and an organisation id" 0 add "$PW_ALICE" gent@example.be --role local --scope 44021,IVSES
check_eq "local listed with its scope" "gent@example.be local active 44021,IVSES" "$(list_line gent@example.be)"
check_exit "viewer" 0 add "$PW_ALICE" lezer_1 --role viewer
check_eq "viewer listed" "lezer_1 viewer active" "$(list_line lezer_1 | sed 's/ $//')"

before=$(accounts)
check_exit "vdab with a bad province" 64 add "$PW_ALICE" v2 --role vdab --scope 'Antwerpen,Brabant'
check_contains "names the item and the provinces to use" "'Brabant' is not a province; give West-Vlaanderen, Oost-Vlaanderen, Antwerpen, Vlaams-Brabant, Limburg or all" "$ERR"
check_exit "vdab with a province in the wrong case" 64 add "$PW_ALICE" v2 --role vdab --scope antwerpen
check_contains "names the item" "'antwerpen' is not a province" "$ERR"
check_exit "vdab without scope" 64 add "$PW_ALICE" v2 --role vdab
check_contains "says a scope is needed" "the role vdab needs a scope: provinces (e.g. Antwerpen) or all" "$ERR"
check_exit "vdab with an empty scope" 64 add "$PW_ALICE" v2 --role vdab --scope ' , '
check_contains "says a scope is needed" "the role vdab needs a scope" "$ERR"
check_exit "local with an unknown NIS code" 64 add "$PW_ALICE" l2 --role local --scope '44021, 99999'
check_contains "names the item" "'99999' is neither the NIS code of a municipality nor an organisation id" "$ERR"
check_contains "and the fix" "give the five-digit NIS code of a municipality (e.g. 44021 for Gent) or the id of an organisation" "$ERR"
check_exit "local with an unknown organisation" 64 add "$PW_ALICE" l2 --role local --scope NOPE
check_contains "names the item" "'NOPE' is neither" "$ERR"
check_exit "local without scope" 64 add "$PW_ALICE" l2 --role local
check_contains "says a scope is needed" "the role local needs a scope: organisation ids or NIS codes" "$ERR"
check_exit "admin with a scope" 64 add "$PW_ALICE" a2 --role admin --scope Antwerpen
check_contains "says to leave it out" "the role admin takes no scope; leave --scope out" "$ERR"
check_exit "viewer with a scope" 64 add "$PW_ALICE" a2 --role viewer --scope 44021
check_contains "says to leave it out" "the role viewer takes no scope" "$ERR"
check_exit "an unknown role" 64 add "$PW_ALICE" a2 --role root
check_contains "lists the roles" "give --role admin, vdab, local or viewer" "$ERR"
check_exit "no role" 64 add "$PW_ALICE" a2
check_exit "a login with capitals" 64 add "$PW_ALICE" Alice2 --role viewer
check_contains "says what a login is" "'Alice2' is not a login; use 1 to 64 of a-z 0-9 . _ @ -" "$ERR"
check_exit "a login with a space" 64 add "$PW_ALICE" 'a b' --role viewer
check_exit "a 65-character login" 64 add "$PW_ALICE" "$(printf 'a%.0s' {1..65})" --role viewer
check_exit "an unknown option" 64 add "$PW_ALICE" a2 --role viewer --admin
check_contains "shows the usage" "usage: somon user add LOGIN" "$ERR"
check_eq "no account added by a refused add" "$before" "$(accounts)"

# ---- duplicates and unknown logins --------------------------------------------
h_before=$(hash_of alice)
check_exit "a duplicate login" 65 add "$PW_ALICE2" alice --role viewer
check_contains "says it exists and how to change the password" \
  "the login alice exists already; change its password with 'somon user passwd alice'" "$ERR"
check_eq "the existing account is unchanged" "alice admin active|$h_before" "$(list_line alice | sed 's/ $//')|$(hash_of alice)"
check_exit "passwd of an unknown login" 65 sh -c 'printf "%s\n" "een lang wachtwoord" | "$0" --db "$1" user passwd nobody' "$SOMON" "$DB"
check_contains "names it and points to the list" "there is no login nobody; see 'somon user list'" "$ERR"
check_exit "disable an unknown login" 65 somon user disable nobody
check_contains "names it and points to the list" "there is no login nobody" "$ERR"
check_eq "no account appeared" "$before" "$(accounts)"

# ---- usage ----------------------------------------------------------------------
check_exit "user without subcommand" 64 somon user
check_contains "shows the usage" "usage: somon user add" "$ERR"
check_exit "an unknown subcommand" 64 somon user remove alice
check_exit "passwd without login" 64 somon user passwd
check_exit "disable without login" 64 somon user disable
check_exit "list takes no arguments" 64 somon user list alice

# ---- no plain password anywhere ----------------------------------------------------
check_eq "every stored password is an Argon2id hash" 0 \
  "$(sqlite3 "$DB" "SELECT count(*) FROM account WHERE password_hash NOT LIKE '\$argon2id\$v=19\$m=%'")"
# With Python's sqlite3 module as well: every text value of every table.
plain=$("$PY" - "$DB" "$PW_ALICE" "$PW_UTF8" 'abcdefghijkl' <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
found = []
for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
    for row in db.execute(f'SELECT * FROM "{table}"'):
        for value in row:
            if isinstance(value, (str, bytes)):
                text = value if isinstance(value, str) else value.decode("utf-8", "replace")
                found += [f"{table}: {pw}" for pw in sys.argv[2:] if pw in text]
print("\n".join(found))
EOF
)
check_eq "no plain password in any table (python sqlite3)" "" "$plain"
for pw in "$PW_ALICE" "$PW_UTF8" abcdefghijkl; do
  if cat "$DB"* | grep -aqF -- "$pw"; then fail "the password '$pw' is in the database files"; else ok; fi
done

# ---- a terminal: prompts, no echo, asked twice ---------------------------------------
# drive_tty.py PROMPT ANSWER [PROMPT ANSWER…] -- COMMAND…: runs the command on a
# pseudo-terminal (echo on, as a terminal is), types each answer once its prompt
# has appeared, prints everything the terminal showed and exits with the
# command's status (124 when it hangs).
cat >"$TMP/drive_tty.py" <<'EOF'
import os, pty, select, sys, time
args = sys.argv[1:]
cut = args.index("--")
pairs, argv = args[:cut], args[cut + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
seen = b""
deadline = time.time() + 60
def more():
    global seen
    r, _, _ = select.select([fd], [], [], 0.1)
    if not r:
        return True
    try:
        data = os.read(fd, 4096)
    except OSError:
        return False
    seen += data
    return bool(data)
pos, alive = 0, True
for i in range(0, len(pairs), 2):
    prompt, answer = pairs[i].encode(), pairs[i + 1].encode()
    while alive and seen.find(prompt, pos) < 0 and time.time() < deadline:
        alive = more()
    if seen.find(prompt, pos) >= 0:
        pos = seen.find(prompt, pos) + len(prompt)
    if not alive or time.time() >= deadline:
        break
    os.write(fd, answer + b"\r")
while alive and time.time() < deadline:
    alive = more()
if alive:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.stdout.write(seen.decode("utf-8", "replace") + "\n[timed out]\n")
    sys.exit(124)
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
P1='Nieuw wachtwoord (minstens 12 tekens): '
P2='Nog eens: '
# The command runs under bash so that the terminal's echo can be checked afterwards.
on_tty() { # PROMPT/ANSWER pairs -- somon arguments
  local pairs=()
  while [[ $1 != -- ]]; do pairs+=("$1"); shift; done
  shift
  "$PY" "$TMP/drive_tty.py" "${pairs[@]}" -- bash -c \
    '"$@"; rc=$?; echo "[echo after: $(stty -a | tr -s " ;" "\n\n" | grep -xE -- "-?echo")]"; exit $rc' \
    bash env SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" "$@"
}
check_exit "add on a terminal" 0 on_tty "$P1" "$PW_TTY" "$P2" "$PW_TTY" -- user add tty.user --role viewer
check_contains "the first prompt appears" "$P1" "$OUT"
check_contains "the second prompt appears" "$P2" "$OUT"
check_not_contains "the typed password is not echoed" "$PW_TTY" "$OUT"
check_not_contains "not even a part of it" "getypt" "$OUT"
check_contains "the account is added" "tty.user: viewer added" "$OUT"
check_contains "the terminal echoes again afterwards" "[echo after: echo]" "$OUT"
check_eq "tty.user exists" "tty.user viewer active" "$(list_line tty.user | sed 's/ $//')"
h_tty=$(hash_of tty.user)
check_exit "two different passwords on a terminal" 65 \
  on_tty "$P1" "$PW_TTY" "$P2" "iets heel anders 99" -- user passwd tty.user
check_contains "says they differ" "the two passwords differ; nothing was changed" "$OUT"
check_not_contains "neither is echoed" "iets heel anders" "$OUT"
check_contains "the terminal echoes again afterwards" "[echo after: echo]" "$OUT"
check_eq "the password is unchanged" "$h_tty" "$(hash_of tty.user)"
check_exit "a short password on a terminal" 65 on_tty "$P1" "kort" -- user passwd tty.user
check_contains "is refused at once" "minstens 12 tekens" "$OUT"
check_not_contains "and not asked again" "$P2" "$OUT"
check_eq "the password is still unchanged" "$h_tty" "$(hash_of tty.user)"

# ---- signing in to the web application ------------------------------------------------
# The server runs on the same database while the accounts change under it.
"$SOMON" --db "$DB" serve --listen 127.0.0.1:0 >"$TMP/access.log" 2>"$TMP/server.err" &
server_pid=$!
port=$(listening_port "$TMP/server.err" "$server_pid")
if [[ -z $port ]]; then
  fail "the server did not announce its port"
  sed 's/^/    /' "$TMP/server.err"
  finish
  exit 1
fi
URL=http://127.0.0.1:$port
session_cookie=$(sed -n 's/^#define WEB_SESSION_COOKIE "\(.*\)"$/\1/p' src/web.h)
check_eq "the session cookie is somon_session (src/web.h)" somon_session "$session_cookie"

# login LOGIN PASSWORD: GETs the form (token in the page and in the cookie
# somon_login), POSTs it; sets STATUS, HEADERS, BODY and SESSION (the new cookie).
login() {
  local jar=$TMP/jar token
  rm -f "$jar"
  token=$(curl -s -c "$jar" "$URL/login" | sed -n 's/.*name="login_token" value="\([^"]*\)".*/\1/p')
  [[ -n $token ]] || fail "no login_token in GET /login"
  STATUS=$(curl -s -b "$jar" -D "$TMP/headers" -o "$TMP/body" -w '%{http_code}' \
    --data-urlencode "login_token=$token" --data-urlencode "login=$1" --data-urlencode "password=$2" \
    --data-urlencode "next=/" "$URL/login")
  HEADERS=$(tr -d '\r' <"$TMP/headers")
  BODY=$(cat "$TMP/body")
  SESSION=$(sed -n "s/^Set-Cookie: $session_cookie=\([^;][^;]*\);.*/\1/p" <<<"$HEADERS")
}
# signed_in SESSION: does GET /login with this session say we are signed in?
signed_in() {
  if curl -s -b "$session_cookie=$1" "$URL/login" | grep -q "U bent aangemeld"; then echo yes; else echo no; fi
}

login admin admin
check_eq "no default account: admin/admin is refused" 403 "$STATUS"
check_contains "with the one message for every failure" "Verkeerde login of wachtwoord" "$BODY"

login alice "$PW_ALICE"
check_eq "alice signs in with her password (real hash)" 303 "$STATUS"
check_contains "and gets a session cookie" "Set-Cookie: $session_cookie=" "$HEADERS"
check_eq "the session token is 43 URL-safe characters" 1 "$(grep -cE '^[A-Za-z0-9_-]{43}$' <<<"$SESSION")"
alice_session=$SESSION
check_eq "the session works" yes "$(signed_in "$alice_session")"

login alice "$PW_ALICE2"
check_eq "a wrong password is refused" 403 "$STATUS"
check_contains "with Verkeerde login of wachtwoord" "Verkeerde login of wachtwoord" "$BODY"
check_not_contains "and no session" "Set-Cookie: $session_cookie=" "$HEADERS"

login bob "$PW_UTF8"
check_eq "bob signs in with the 12 accented characters" 303 "$STATUS"
login tty.user "$PW_TTY"
check_eq "the account made on a terminal signs in" 303 "$STATUS"

# passwd from standard input: the new password works, the old one and the old sessions end.
check_exit "passwd from standard input" 0 \
  sh -c 'printf "%s\n" "$2" | SOMON_TEST_FAST_HASH=1 "$0" --db "$1" user passwd alice' "$SOMON" "$DB" "$PW_ALICE2"
check_eq "passwd says so" "alice: password changed; its sessions are ended" "$OUT"
check_eq "the new hash is Argon2id" '$argon2id$' "$(hash_of alice | cut -c1-10)"
check_eq "the old session has ended" no "$(signed_in "$alice_session")"
login alice "$PW_ALICE"
check_eq "the old password no longer works" 403 "$STATUS"
login alice "$PW_ALICE2"
check_eq "the new password works" 303 "$STATUS"
check_contains "with a session cookie" "Set-Cookie: $session_cookie=" "$HEADERS"
alice_session=$SESSION

# passwd on a terminal.
check_exit "passwd on a terminal" 0 on_tty "$P1" "$PW_TTY-2" "$P2" "$PW_TTY-2" -- user passwd tty.user
check_not_contains "the new password is not echoed" "$PW_TTY" "$OUT"
login tty.user "$PW_TTY-2"
check_eq "the password typed on the terminal works" 303 "$STATUS"

# disable: listed as disabled, cannot sign in, its sessions end. alice is the
# only administrator: another one first (the last one cannot be disabled).
check_exit "a second administrator" 0 add "$PW_ALICE" root.admin --role admin
check_exit "disable" 0 somon --actor root.admin user disable alice
check_eq "disable says so" "alice: disabled; its sessions are ended" "$OUT"
check_eq "alice is listed as disabled" "alice admin disabled" "$(list_line alice | sed 's/ $//')"
check_eq "the others stay active" "active" "$(list_line bob | cut -d' ' -f3)"
check_eq "the session of a disabled account has ended" no "$(signed_in "$alice_session")"
login alice "$PW_ALICE2"
check_eq "a disabled account cannot sign in with its right password" 403 "$STATUS"
check_contains "and hears only Verkeerde login of wachtwoord" "Verkeerde login of wachtwoord" "$BODY"
check_not_contains "no session for a disabled account" "Set-Cookie: $session_cookie=" "$HEADERS"
check_eq "the change is recorded with its actor" "root.admin" \
  "$(sqlite3 "$DB" "SELECT actor FROM change ORDER BY id DESC LIMIT 1")"

stop_server
check_eq "the server stops cleanly on SIGTERM" 0 "${SERVER_RC:-unset}"
if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$TMP/server.err"; then
  fail "the server reported a sanitizer error"
  grep -E -A5 'Sanitizer|runtime error' "$TMP/server.err" | head -20 | sed 's/^/    /'
else
  ok
fi

# Nothing of what was typed or piped is in the database, whichever way it came.
for pw in "$PW_ALICE2" "$PW_TTY" "$PW_UTF8"; do
  if cat "$DB"* | grep -aqF -- "$pw"; then fail "the password '$pw' is in the database files"; else ok; fi
done

finish
