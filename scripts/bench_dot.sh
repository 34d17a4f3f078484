#!/usr/bin/env bash
# Benchmark of `polegraph dot` over the graph of the bench tables (a script,
# not a timed test: machines are noisy, so read its figures, do not assert
# them).
#
#   scripts/bench_dot.sh [N]          N rows per table, default 100000
#
# Environment: BIN (a polegraph binary to time instead of building one),
# RUNS (runs per case, best kept; default 3), GEN (the
# generator; default ../shared/bench/gen_synthetic.py next to the clone),
# CARGO_TARGET_DIR (default ./target), KEEP=1 keeps the work folder.
#
# It builds polegraph in release mode, generates the tables
# (gen_synthetic.py DIR -n N), then times `polegraph dot --data DIR`
# (wall clock and peak memory, whole process: loading and checking the
# CSV tables, mapping, selecting, writing DOT to a file):
#
#   floor      --focus organization:1 --depth 0   load + map + one node
#   focused    --focus organization:1 --depth 2   organisation 1 is a
#                                                 ministry, the largest hub
#   unfocused  --all                              every record
#
# and checks that Graphviz accepts the focused diagram when `dot` is
# installed. The target (issue 3) is under 2 s for a 100k-node graph.
set -euo pipefail

N=${1:-100000}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GEN=${GEN:-$ROOT/../shared/bench/gen_synthetic.py}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# BIN: the binary to time (another build, to compare two in one session);
# without it the script builds polegraph in release mode and times that.
BIN=${BIN:-}

if [ ! -f "$GEN" ]; then
    echo "bench_dot: generator not found at $GEN (set GEN=path/to/gen_synthetic.py)" >&2
    exit 2
fi
if [ ! -x /usr/bin/time ]; then
    echo "bench_dot: /usr/bin/time is needed (apt-get install time)" >&2
    exit 2
fi

if [ -z "$BIN" ]; then
    cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
    BIN=$CARGO_TARGET_DIR/release/polegraph
fi

WORK=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then
    echo "work folder: $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi
python3 "$GEN" "$WORK/data" -n "$N" >/dev/null

echo "polegraph dot, N = $N ($(wc -l <"$WORK/data/organizations.csv") organisation rows), best of $RUNS runs"
echo "machine: $(nproc) cores, $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-10s %9s %10s %10s %10s %12s\n' case seconds "peak MiB" nodes edges "DOT bytes"

# Runs `polegraph dot --data DIR -o OUT ARGS…` RUNS times and prints the
# best wall time, with the peak memory of that run and the size of the
# diagram.
bench() {
    local name=$1
    shift
    local out="$WORK/$name.dot" best="" memory=""
    for _ in $(seq "$RUNS"); do
        # A new file each run: polegraph syncs a file it replaces to disk
        # before renaming, which would time the disk, not the diagram.
        rm -f "$out"
        /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" dot --data "$WORK/data" -o "$out" "$@"
        read -r seconds kib <"$WORK/time"
        if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$seconds
            memory=$((kib / 1024))
        fi
    done
    # Nodes and edges of the diagram itself (legend samples left out).
    local nodes edges
    nodes=$(grep -c '^ *"[^"]*" \[label=' "$out" | tr -d ' ' || true)
    nodes=$((nodes - $(grep -c '^ *"polegraph:legend/[0-9]*" \[' "$out" || true)))
    edges=$(grep -c '" -> "[^"]*" \[label=' "$out" || true)
    printf '%-10s %9s %10s %10s %10s %12s\n' "$name" "$best" "$memory" "$nodes" "$edges" "$(wc -c <"$out")"
}

bench floor --focus organization:1 --depth 0
bench focused --focus organization:1 --depth 2
bench unfocused --all

if command -v dot >/dev/null; then
    if dot -Tsvg "$WORK/focused.dot" -o "$WORK/focused.svg" 2>"$WORK/dot.err" && [ ! -s "$WORK/dot.err" ]; then
        echo "Graphviz: the focused diagram renders without a warning"
    else
        echo "Graphviz: the focused diagram gave warnings or errors:"
        cat "$WORK/dot.err"
    fi
fi
