#!/usr/bin/env bash
# Load benchmark of `polegraph serve` against Virtuoso 7 on loopback, in one
# run: the ten competency queries (queries/cq*.rq) as a mix, with 1, 16 and
# 256 concurrent clients, then 16 clients while 2,000 slow clients hold
# connections (each sends half a request head and nothing more, and opens a
# new one when the server closes it). Prints req/s, p50/p99 latency, errors
# and the server's peak memory (VmHWM) and open descriptors at the end of
# each phase for both, and the ratios.
#
#   scripts/bench_serve.sh
#
# Set-up (once; nothing is installed into the clone):
#   cargo build --release
#   cargo install oha --locked --no-default-features --features native-tls \
#       --root ~/.cache/bench-tools        # the load generator (crates.io)
#   apt-get install virtuoso-opensource    # virtuoso-t; the script starts its own
#                                          # server on loopback, database in $WORK
# Env:
#   OHA        the oha binary (default ~/.cache/bench-tools/bin/oha, then PATH)
#   DURATION   seconds per phase (default 10)
#   SLOW       slow clients held in the last phase (default 2000)
#   WORK       scratch folder (default /tmp/polegraph-bench-serve)
#   VIRTUOSO   virtuoso-t (default /usr/bin/virtuoso-t; skipped if absent)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
POLEGRAPH=$TARGET/release/polegraph
OHA=${OHA:-$HOME/.cache/bench-tools/bin/oha}
[ -x "$OHA" ] || OHA=$(command -v oha || true)
DURATION=${DURATION:-10}
SLOW=${SLOW:-2000}
WORK=${WORK:-/tmp/polegraph-bench-serve}
VIRTUOSO=${VIRTUOSO:-/usr/bin/virtuoso-t}
[ -x "$POLEGRAPH" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -n "$OHA" ] && [ -x "$OHA" ] || { echo "needs oha: see the set-up in $0" >&2; exit 1; }
mkdir -p "$WORK"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# urls BASE -> one URL per competency query, in $WORK/urls-NAME.txt
urls() {
  python3 - "$1" "$ROOT"/queries/cq*.rq <<'EOF'
import sys, urllib.parse
base = sys.argv[1]
for path in sys.argv[2:]:
    print(base + "?query=" + urllib.parse.quote(open(path, encoding="utf-8").read(), safe=""))
EOF
}

# The slow clients: hold N connections with half a request head each,
# reconnecting when the server closes one; stops when its parent shell ends
# or after an hour, whichever comes first.
slow_clients() {
  python3 - "$1" "$2" > "$WORK/slow.log" 2>&1 <<'EOF' &
import os, selectors, socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
count, parent, stop = int(sys.argv[2]), os.getppid(), time.time() + 3600
sel = selectors.DefaultSelector()
def open_one():
    try:
        s = socket.create_connection((host, int(port)), timeout=5)
        s.sendall(b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: slow\r\n")
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    except OSError:
        time.sleep(0.01)
for _ in range(count):
    open_one()
while time.time() < stop and os.getppid() == parent:
    for key, _ in sel.select(timeout=0.5):
        try:
            key.fileobj.recv(65536)
        except OSError:
            pass
        sel.unregister(key.fileobj)
        key.fileobj.close()
        open_one()
    while len(sel.get_map()) < count:
        open_one()
EOF
  echo $!
}

peak_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# run NAME URLS CLIENTS -> "req/s p50_ms p99_ms max_ms errors": answers (2xx) per
# second; latency percentiles of all requests (nan when none finished);
# errors are non-2xx answers and failed requests (requests still in flight
# when the phase ends are not errors)
run() {
  "$OHA" --no-tui --output-format json -z "${DURATION}s" -c "$3" -t 10s \
    -H 'Accept: application/sparql-results+json' --urls-from-file "$2" > "$WORK/$1.json"
  python3 - "$WORK/$1.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
errors = sum(n for e, n in r.get("errorDistribution", {}).items() if e != "aborted due to deadline") + sum(n for c, n in codes.items() if not c.startswith("2"))
ok = sum(n for c, n in codes.items() if c.startswith("2"))
ms = lambda v: f"{v*1000:.1f}" if v is not None else "nan"
print(f'{ok / s["total"]:.0f} {ms(p["p50"])} {ms(p["p99"])} {ms(s["slowest"])} {errors}')
EOF
}

# bench LABEL ADDRESS URLS PID: the four phases, one line each
bench() {
  local label=$1 address=$2 urls=$3 pid=$4 c line slow
  for c in 1 16 256; do
    line=$(run "$label-c$c" "$urls" "$c")
    echo "$label c=$c $line $(peak_mib "$pid") $(ls "/proc/$pid/fd" | wc -l)"
  done
  slow=$(slow_clients "$address" "$SLOW")
  sleep 3
  line=$(run "$label-c16-slow" "$urls" 16)
  echo "$label c=16+${SLOW}slow $line $(peak_mib "$pid") $(ls "/proc/$pid/fd" | wc -l)"
  kill "$slow" 2>/dev/null || true
  wait "$slow" 2>/dev/null || true
}

echo "# polegraph serve: $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, ${DURATION}s per phase" >&2
PORT=$(free_port)
"$POLEGRAPH" serve --bind "127.0.0.1:$PORT" 2> "$WORK/polegraph.log" &
PG=$!; PIDS+=("$PG")
for _ in $(seq 1 100); do grep -q "serving" "$WORK/polegraph.log" 2>/dev/null && break; sleep 0.2; done
urls "http://127.0.0.1:$PORT/sparql" > "$WORK/urls-polegraph.txt"
"$OHA" --no-tui -n 1 "http://127.0.0.1:$PORT/" > /dev/null
RESULTS=$(bench polegraph "127.0.0.1:$PORT" "$WORK/urls-polegraph.txt" "$PG")
kill "$PG"; wait "$PG" 2>/dev/null || true

if [ -x "$VIRTUOSO" ]; then
  VDIR=$WORK/virtuoso; rm -rf "$VDIR"; mkdir -p "$VDIR/db"
  SQL_PORT=$(free_port); HTTP_PORT=$(free_port)
  sed -e "s#/var/lib/virtuoso-opensource-7/db/#$VDIR/db/#" \
      -e "/^\[Parameters\]/,/^\[/ s#^ServerPort *= *1111#ServerPort = 127.0.0.1:$SQL_PORT#" \
      -e "/^\[HTTPServer\]/,/^\[/ s#^ServerPort *= *8890#ServerPort = 127.0.0.1:$HTTP_PORT#" \
      /etc/virtuoso-opensource-7/virtuoso.ini > "$VDIR/virtuoso.ini"
  # virtuoso-t forks once even with +foreground: its pid is in the log
  (cd "$VDIR" && "$VIRTUOSO" +foreground +configfile "$VDIR/virtuoso.ini" > "$VDIR/server.log" 2>&1 &)
  VPID=
  for _ in $(seq 1 120); do
    VPID=$(sed -n 's/.*Server online at .*(pid \([0-9]*\)).*/\1/p' "$VDIR/server.log" | tail -1)
    [ -n "$VPID" ] && break; sleep 1
  done
  [ -n "$VPID" ] || { echo "Virtuoso did not start: $VDIR/server.log" >&2; exit 1; }
  PIDS+=("$VPID")
  (cd "$ROOT" && POLEGRAPH_PUSH_USER=dba POLEGRAPH_PUSH_PASSWORD=dba "$POLEGRAPH" push \
     --endpoint "http://127.0.0.1:$HTTP_PORT/sparql-graph-crud-auth" \
     --verify "http://127.0.0.1:$HTTP_PORT/sparql" > "$WORK/push.log")
  urls "http://127.0.0.1:$HTTP_PORT/sparql" > "$WORK/urls-virtuoso.txt"
  RESULTS+=$'\n'$(bench virtuoso "127.0.0.1:$HTTP_PORT" "$WORK/urls-virtuoso.txt" "$VPID")
fi

python3 - <<EOF
rows = {}
for line in """$RESULTS""".strip().splitlines():
    server, phase, rps, p50, p99, top, errors, mib, fds = line.split()
    rows[(server, phase)] = (float(rps), float(p50), float(p99), float(top), int(errors), int(mib), int(fds))
print(f"{'server':<10} {'phase':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7} {'peak MiB':>9} {'open fds':>9}")
for (server, phase), (rps, p50, p99, top, errors, mib, fds) in rows.items():
    print(f"{server:<10} {phase:<16} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f} {top:>8.1f} {errors:>7} {mib:>9} {fds:>9}")
phases = [p for s, p in rows if s == "polegraph"]
if any(s == "virtuoso" for s, _ in rows):
    print()
    print("polegraph / virtuoso: throughput ratio, p99 ratio")
    for phase in phases:
        a, b = rows[("polegraph", phase)], rows.get(("virtuoso", phase))
        if b:
            tput = a[0] / b[0] if b[0] else float("inf")  # inf: Virtuoso answered none
            print(f"  {phase:<16} {tput:6.2f}x req/s   p99 {a[2]:.1f} vs {b[2]:.1f} ms")
EOF
