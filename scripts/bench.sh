#!/usr/bin/env bash
# CSV -> N-Triples benchmark: polegraph's streaming export against Morph-KGC
# (the RML peer) on the same generated tables, in one run, as ratios.
#
#   scripts/bench.sh [N ...]            # default: 10000 100000 1000000
#
# Set-up (once):
#   cargo build --release
#   python3 -m venv /tmp/morphvenv && /tmp/morphvenv/bin/pip install morph-kgc pyoxigraph
# Env:
#   BENCH_DIR     the peers' folder with gen_synthetic.py, mapping.ttl, morph_baseline.sh
#                 (default: ../shared/bench next to the clone)
#   MORPH_PYTHON  a python with morph-kgc (default /tmp/morphvenv/bin/python; skipped if absent)
#   WORK          scratch folder (default /tmp/polegraph-bench)
#   STORE_BIN     a polegraph built with `--features rocksdb`: also times `build --store`
#                 and a transitive query on the store
#   RUNS          runs of each comparison (polegraph, Morph-KGC, pyoxigraph alike;
#                 default 1): the median wall time is printed, with that run's memory.
#                 The store build and its query run once.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-$ROOT/../shared/bench}
MORPH_PYTHON=${MORPH_PYTHON:-/tmp/morphvenv/bin/python}
WORK=${WORK:-/tmp/polegraph-bench}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
POLEGRAPH=$TARGET/release/polegraph
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000 1000000)
[ -x "$POLEGRAPH" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
mkdir -p "$WORK"

# measure LABEL CMD... -> "wall_seconds peak_MiB"
measure() {
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  rm -f "$log"
  echo "$wall $rss"
}

# measure_median OUT CMD... -> "wall_seconds peak_MiB" of the median of RUNS
# runs, OUT (if not empty) removed before each (new files each run, for both tools:
# polegraph syncs a file it replaces to disk before renaming it, which
# would time the disk).
RUNS=${RUNS:-1}
measure_median() {
  local out=$1; shift
  local results=()
  for _ in $(seq "$RUNS"); do
    [ -z "$out" ] || rm -f "$out"
    results+=("$(measure "$@")")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

printf '%-9s %-10s %9s %9s %12s %12s\n' N tool wall_s peak_MiB triples triples/s
for n in "${SIZES[@]}"; do
  data=$WORK/n$n
  [ -f "$data/talks.csv" ] || python3 "$BENCH_DIR/gen_synthetic.py" "$data" -n "$n" > /dev/null
  read -r pg_wall pg_rss < <(measure_median "$WORK/polegraph-$n.nt" "$POLEGRAPH" export --data "$data" --format nt -o "$WORK/polegraph-$n.nt")
  pg_triples=$(wc -l < "$WORK/polegraph-$n.nt")
  printf '%-9s %-10s %9.2f %9s %12s %12.0f\n' "$n" polegraph "$pg_wall" "$pg_rss" "$pg_triples" "$(echo "$pg_triples / $pg_wall" | bc -l)"
  if [ -x "$MORPH_PYTHON" ] && "$MORPH_PYTHON" -c 'import morph_kgc' 2>/dev/null; then
    read -r mk_wall mk_rss < <(PYTHON=$MORPH_PYTHON measure_median "$WORK/morph-$n.nt" "$BENCH_DIR/morph_baseline.sh" "$data" "$WORK/morph-$n.nt")
    mk_triples=$(wc -l < "$WORK/morph-$n.nt")
    printf '%-9s %-10s %9.2f %9s %12s %12.0f\n' "$n" morph-kgc "$mk_wall" "$mk_rss" "$mk_triples" "$(echo "$mk_triples / $mk_wall" | bc -l)"
    printf '%-9s %-10s %9.1fx %8.1fx %12s %11.1fx\n' "$n" "ratio" "$(echo "$mk_wall / $pg_wall" | bc -l)" "$(echo "$mk_rss / $pg_rss" | bc -l)" "" \
      "$(echo "($pg_triples / $pg_wall) / ($mk_triples / $mk_wall)" | bc -l)"
  else
    echo "($n: Morph-KGC skipped: no morph_kgc in $MORPH_PYTHON)"
  fi
  read -r mem_wall mem_rss < <(measure_median "" "$POLEGRAPH" build --data "$data" --quiet)
  printf '%-9s %-10s %9.2f %9s %12s %12.0f   (CSV -> in-memory store, with VoID)\n' "$n" pg-memory "$mem_wall" "$mem_rss" "$pg_triples" "$(echo "$pg_triples / $mem_wall" | bc -l)"
  if [ -x "$MORPH_PYTHON" ] && "$MORPH_PYTHON" -c 'import pyoxigraph' 2>/dev/null; then
    # polegraph wrote its file around the page cache: read it once, so that
    # pyoxigraph reads it from memory as it would right after an ordinary write.
    cat "$WORK/polegraph-$n.nt" > /dev/null
    read -r ox_wall ox_rss < <(measure_median "" "$MORPH_PYTHON" -c "import pyoxigraph,sys; s=pyoxigraph.Store(); s.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES)" "$WORK/polegraph-$n.nt")
    printf '%-9s %-10s %9.2f %9s %12s %12.0f   (bulk load of polegraph output, in memory)\n' "$n" pyoxigraph "$ox_wall" "$ox_rss" "$pg_triples" "$(echo "$pg_triples / $ox_wall" | bc -l)"
    printf '%-9s %-10s %9.2fx %8.2fx   (pg-memory / pyoxigraph: time, memory)\n' "$n" ratio "$(echo "$mem_wall / $ox_wall" | bc -l)" "$(echo "$mem_rss / $ox_rss" | bc -l)"
  fi
  if [ -n "${STORE_BIN:-}" ]; then
    rm -rf "$WORK/store-$n"
    read -r st_wall st_rss < <(measure "$STORE_BIN" build --data "$data" --store "$WORK/store-$n" --quiet)
    printf '%-9s %-10s %9.2f %9s   (build --store, RocksDB)\n' "$n" pg-store "$st_wall" "$st_rss"
    query='SELECT (COUNT(?o) AS ?n) WHERE { ?o org:subOrganizationOf+ organization:1 }'
    read -r q_wall q_rss < <(measure "$STORE_BIN" query --store "$WORK/store-$n" --format csv "$query")
    answer=$("$STORE_BIN" query --store "$WORK/store-$n" --format csv "$query" | tail -n 1 | tr -d '\r')
    printf '%-9s %-10s %9.2f %9s   (organisations under ministry 1, transitively: %s)\n' "$n" pg-query "$q_wall" "$q_rss" "$answer"
  fi
done
echo "ratio row: Morph-KGC time / polegraph time, Morph-KGC memory / polegraph memory, polegraph rate / Morph-KGC rate"
