#!/bin/sh
# Installs the Debian packages somon needs that are missing.
#   scripts/deps.sh build   what `make run` needs (compiler, libraries)
#   scripts/deps.sh check   that plus what `make check` needs (test tools)
# Runs apt-get as root, or through sudo when it is there; installs nothing
# when everything is present, so it is cheap to call before every build.
set -eu

# libexpat1-dev: the XML parser that reads .xlsx uploads (src/sheet.c).
# gettext: msgfmt builds the command line's Dutch catalogue (po/nl).
# dpkg-dev: dpkg-buildflags gives the release build Debian's hardening flags.
build="gcc make pkg-config dpkg-dev libsqlite3-dev sqlite3 libmicrohttpd-dev libjansson-dev libcsv-dev
libxlsxwriter-dev libsodium-dev libzip-dev libexpat1-dev gettext"
# libasan8 and libtsan2 (gcc's AddressSanitizer and ThreadSanitizer runtimes) come
# with gcc on Debian 12 but are named so that a trimmed image fails here, not in
# the middle of make check; binutils: readelf, nm and strings for tests/hardening.sh.
# python3-docx reads the answer's Word document back and libreoffice-writer-nogui
# converts it to PDF (tests/cli/test_answer.sh). chromium-headless-shell: Debian's
# chromium without its windows, for the browser tests (a fifth less CPU than chromium).
check="$build libasan8 libubsan1 libtsan2 binutils libcmocka-dev valgrind clang libclang-rt-14-dev python3 python3-openpyxl
python3-icalendar python3-docx libreoffice-writer-nogui chromium-headless-shell fonts-dejavu-core"

case "${1:-build}" in
  build) want=$build ;;
  check) want=$check ;;
  *) echo "usage: scripts/deps.sh build|check" >&2; exit 64 ;;
esac

missing=""
# Node.js may come from elsewhere than Debian; install Debian's only when there is none.
if [ "${1:-build}" = check ] && ! command -v node >/dev/null 2>&1; then want="$want nodejs npm"; fi
for p in $want; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  case "$status" in ii*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then run=""; elif command -v sudo >/dev/null; then run="sudo"; else
  echo "deps: missing Debian packages:$missing; install them as root (apt-get install$missing)" >&2
  exit 69
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$run apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || {
  $run apt-get update >/dev/null
  $run apt-get install -y --no-install-recommends $missing >/dev/null
}
