#!/usr/bin/env bash
# The socket-less transport (`somon test-http`, used by valgrind and the
# fuzzers) applies the framing rules of `somon serve` (issue 8, item 5): a
# second Host, Content-Length or Cookie, Content-Length with Transfer-Encoding,
# no Host on HTTP/1.1, a folded line, a NUL or a line without a colon is a 400
# with Connection: close, in Dutch on pages and in English under /api/; and
# --trusted-proxy takes only addresses.
source tests/cli/lib.sh
demo_db

# req NAME EXPECTED_STATUS BYTES (printf format) [keep]: a framing 400 closes, others need not
req() {
  printf "$3" >"$TMP/request"
  check_exit "$1" 0 somon test-http <"$TMP/request"
  check_contains "$1: status" "HTTP/1.1 $2 " "$(head -1 <<<"$OUT")"
  if [[ $2 == 400 && ${4:-} != keep ]]; then check_contains "$1: closes" "Connection: close" "$OUT"; fi
}
req "plain" 200 'GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n'
req "HTTP/1.0 without Host" 200 'GET /healthz HTTP/1.0\r\n\r\n'
req "no Host" 400 'GET /healthz HTTP/1.1\r\n\r\n'
check_contains "says why, in Dutch" "precies één Host-kop" "$OUT"
req "two Host" 400 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'
req "two Host under /api/" 400 'GET /api/v1/agreements HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'
check_contains "says why, in English" '"code": "bad_framing", "message": "An HTTP/1.1 request needs exactly one Host header."' "$OUT"
req "two Content-Length" 400 'POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\na=bc'
req "Content-Length and Transfer-Encoding" 400 \
  'POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
req "Transfer-Encoding gzip" 400 'POST /login HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n'
req "two Cookie" 400 'GET /healthz HTTP/1.1\r\nHost: a\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n'
req "two Content-Type" 400 'GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n\r\n'
req "folded" 400 'GET /healthz HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n'
req "NUL" 400 'GET /healthz HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n'
req "no colon" 400 'GET /healthz HTTP/1.1\r\nHost: a\r\nBad Header Line\r\n\r\n'
req "too many parameters" 400 "GET /?$(printf 'a&%.0s' $(seq 70)) HTTP/1.1\r\nHost: a\r\n\r\n" keep
check_contains "says the limit" "hoogstens 64" "$OUT"
req "date out of range" 400 'GET /governance?date=9999-12-31 HTTP/1.1\r\nHost: a\r\n\r\n' keep
check_contains "says the range" "ligt buiten 01/01/1983 .. 31/12/2100" "$OUT"

for bad in nonsense 10.0.0.0/8 1.2.3.4:80 ""; do
  check_exit "--trusted-proxy '$bad'" 64 somon serve --listen 127.0.0.1:0 --trusted-proxy "$bad"
  check_contains "names the option" "--trusted-proxy '$bad' is not an IPv4 or IPv6 address" "$ERR"
done
check_exit "--help" 0 "$SOMON" --help
check_contains "usage names --trusted-proxy" "[--trusted-proxy ADDR]" "$OUT$ERR"
finish
