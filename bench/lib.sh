# bench/lib.sh: what the benchmark scripts share; source it.

# listening_port ERRFILE [PID]: the port of the server whose standard error is
# ERRFILE, from its "listening on" line, waiting up to 30 s (less when PID
# ends first); prints nothing when it did not start.
listening_port() {
  local port= i
  for ((i = 0; i < 300; i++)); do
    port=$(sed -n 's|^somon: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$1")
    [[ -n $port ]] && break
    [[ -n ${2:-} ]] && ! kill -0 "$2" 2>/dev/null && break
    sleep 0.1
  done
  printf '%s' "$port"
}
