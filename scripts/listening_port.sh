# scripts/listening_port.sh: how a script learns the port of a `somon serve
# --listen 127.0.0.1:0` it started; source it (bench/lib.sh, tests/http/run.sh,
# tests/browser/run.sh, tests/valgrind.sh).

# listening_port ERRFILE [PID [SECONDS]]: the port of the server (any address) whose standard
# error is ERRFILE, from its "listening on" line, waiting up to SECONDS (30 by
# default; less when PID ends first); prints nothing when it did not start.
listening_port() {
  local port= i tenths=$((${3:-30} * 10))
  for ((i = 0; i < tenths; i++)); do
    port=$(sed -n 's|^somon: listening on http://.*:\([0-9][0-9]*\)$|\1|p' "$1" 2>/dev/null)
    [[ -n $port ]] && break
    [[ -n ${2:-} ]] && ! kill -0 "$2" 2>/dev/null && break
    sleep 0.1
  done
  printf '%s' "$port"
}
