# bench/lib.sh: what the benchmark scripts share; source it.

# listening_port ERRFILE [PID [SECONDS]] (scripts/listening_port.sh)
source scripts/listening_port.sh
