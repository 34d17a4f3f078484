#!/usr/bin/env bash
# Push benchmark: `polegraph push` of the generated CSV tables into a
# private Virtuoso 7 on loopback, against Virtuoso's own bulk loader
# (ld_dir + rdf_loader_run + checkpoint) of polegraph's N-Quads of the same
# tables, in one run, each into a fresh database. Prints time, peak memory
# and the triple count Virtuoso reports after each.
#
#   scripts/bench_push.sh [N ...]        # default: 100000 1000000
#
# Env:
#   BIN        the polegraph to time (default $CARGO_TARGET_DIR/release/polegraph)
#   PUSH_ARGS  extra arguments of push (default: --jobs 2)
#   WORK       scratch folder (default /tmp/polegraph-bench); the tables are
#              generated in $WORK/nN by ../shared/bench/gen_synthetic.py if missing
#   HTTP_PORT, SQL_PORT  Virtuoso's loopback ports (default 18890, 11111)
#   VIRTUOSO_TXN_LIMIT   TransactionAfterImageLimit in bytes (default 2e9): the
#              MOVE that swaps a staged graph in is one transaction, and
#              Virtuoso's default (50 MB) aborts it past ~200,000 triples
#   VIRTUOSO_MAX_EXEC    MaxQueryExecutionTime of [SPARQL] in seconds (default
#              60, the package's; 0: no limit), for the MOVEs of REPLACE=1
#   REPLACE=1  after the push into the empty store, push again into the store
#              that now holds every graph: the graphs of several requests go
#              through staging graphs and MOVE (row push-replace)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/polegraph-bench}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${BIN:-$TARGET/release/polegraph}
PUSH_ARGS=${PUSH_ARGS:---jobs 2}
HTTP_PORT=${HTTP_PORT:-18890}
SQL_PORT=${SQL_PORT:-11111}
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
command -v isql-vt > /dev/null || { echo "needs isql-vt (apt-get install virtuoso-opensource)" >&2; exit 1; }
VDIR=$WORK/virtuoso
PID=

# measure CMD... -> "wall_seconds peak_MiB"
measure() {
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" > "$log.out" 2> "$log" || { cat "$log" "$log.out" >&2; rm -f "$log" "$log.out"; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  rm -f "$log" "$log.out"
  echo "$wall $rss"
}

isql() { isql-vt "127.0.0.1:$SQL_PORT" dba dba "exec=$1" | grep -v '^$'; }

# A fresh database on loopback (as ../shared/bench/virtuoso_local.sh does).
start() {
  stop
  rm -rf "$VDIR"; mkdir -p "$VDIR/db" "$VDIR/data"
  sed -e "s#/var/lib/virtuoso-opensource-7/db/#$VDIR/db/#" \
      -e "/^\[Parameters\]/,/^\[/ s#^ServerPort *= *1111#ServerPort = 127.0.0.1:$SQL_PORT#" \
      -e "/^\[HTTPServer\]/,/^\[/ s#^ServerPort *= *8890#ServerPort = 127.0.0.1:$HTTP_PORT#" \
      -e "s#^DirsAllowed .*#DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, $VDIR/data#" \
      -e "s#^NumberOfBuffers .*#NumberOfBuffers = ${VIRTUOSO_BUFFERS:-170000}#" \
      -e "s#^MaxDirtyBuffers .*#MaxDirtyBuffers = ${VIRTUOSO_DIRTY:-130000}#" \
      -e "/^\[Parameters\]/a TransactionAfterImageLimit = ${VIRTUOSO_TXN_LIMIT:-2000000000}" \
      -e "s#^MaxQueryExecutionTime .*#MaxQueryExecutionTime = ${VIRTUOSO_MAX_EXEC:-60}#" \
      /etc/virtuoso-opensource-7/virtuoso.ini > "$VDIR/virtuoso.ini"
  (cd "$VDIR" && nohup /usr/bin/virtuoso-t +foreground +configfile "$VDIR/virtuoso.ini" > "$VDIR/server.log" 2>&1 &)
  for _ in $(seq 1 120); do
    PID=$(sed -n 's/.*Server online at .*(pid \([0-9]*\)).*/\1/p' "$VDIR/server.log" | tail -1)
    [ -z "$PID" ] || return 0
    sleep 1
  done
  echo "Virtuoso did not come up: $VDIR/server.log" >&2; exit 1
}

stop() {
  [ -n "$PID" ] || return 0
  kill -TERM "$PID" 2> /dev/null || true
  for _ in $(seq 1 60); do kill -0 "$PID" 2> /dev/null || break; sleep 1; done
  PID=
}
trap stop EXIT

count() { isql "SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://example.org/polegraph/')) };" | grep -E '^[0-9]+$' | tail -1; }

printf '%-9s %-13s %9s %9s %12s\n' N path wall_s peak_MiB virtuoso_count
for n in "${SIZES[@]}"; do
  data=$WORK/n$n
  [ -f "$data/talks.csv" ] || python3 "$BENCH_DIR/gen_synthetic.py" "$data" -n "$n" > /dev/null
  start
  # shellcheck disable=SC2086
  read -r p_wall p_rss < <(measure "$BIN" push --data "$data" \
    --endpoint "http://127.0.0.1:$HTTP_PORT/sparql-graph-crud-auth" \
    --update "http://127.0.0.1:$HTTP_PORT/sparql-auth" \
    --verify "http://127.0.0.1:$HTTP_PORT/sparql" --user dba --password dba $PUSH_ARGS || echo "failed -")
  printf '%-9s %-13s %9s %9s %12s\n' "$n" push "$p_wall" "$p_rss" "$(count)"
  if [ "${REPLACE:-0}" = 1 ] && [ "$p_wall" != failed ]; then
    # shellcheck disable=SC2086
    read -r r_wall r_rss < <(measure "$BIN" push --data "$data" \
      --endpoint "http://127.0.0.1:$HTTP_PORT/sparql-graph-crud-auth" \
      --update "http://127.0.0.1:$HTTP_PORT/sparql-auth" \
      --verify "http://127.0.0.1:$HTTP_PORT/sparql" --user dba --password dba $PUSH_ARGS || echo "failed -")
    printf '%-9s %-13s %9s %9s %12s\n' "$n" push-replace "$r_wall" "$r_rss" "$(count)"
  fi
  start
  "$BIN" export --data "$data" --quiet -o "$VDIR/data/polegraph.nq"
  cat > "$VDIR/load.sh" << EOF
isql-vt 127.0.0.1:$SQL_PORT dba dba "exec=ld_dir('$VDIR/data', 'polegraph.nq', 'https://example.org/polegraph/default'); rdf_loader_run(); checkpoint;"
EOF
  read -r b_wall b_rss < <(measure sh "$VDIR/load.sh")
  printf '%-9s %-13s %9.2f %9s %12s   (server side, not measured)\n' "$n" bulk-loader "$b_wall" "-" "$(count)"
  [ "$p_wall" = failed ] || printf '%-9s %-13s %9.2fx\n' "$n" push/bulk "$(echo "$p_wall / $b_wall" | bc -l)"
  rm -f "$VDIR/data/polegraph.nq"
done
