#!/usr/bin/env bash
# The screenshots of docs/serve.md: headless Chromium on the home page, a
# record page and the query page with a CONSTRUCT, served from the built-in
# data.
#
#   scripts/screenshots.sh            # writes docs/serve-{home,record,query}.png
#
# Env: BIN (default $CARGO_TARGET_DIR/release/polegraph), PORT (default 17878)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/polegraph}
PORT=${PORT:-17878}
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v chromium > /dev/null || { echo "needs chromium" >&2; exit 1; }
"$BIN" serve --bind "127.0.0.1:$PORT" 2> /dev/null &
SERVER=$!
PROFILE=$(mktemp -d)
trap 'kill $SERVER 2> /dev/null; rm -rf "$PROFILE"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/query" > /dev/null && break; sleep 0.1; done
QUERY=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("CONSTRUCT { ?s org:subOrganizationOf ?o } WHERE { ?s org:subOrganizationOf ?o }"))')
shoot() { # NAME PATH HEIGHT
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$PROFILE" --window-size="1280,$3" \
    --screenshot="$ROOT/docs/serve-$1.png" "http://127.0.0.1:$PORT$2" 2> /dev/null
}
shoot home / 1000
shoot record /organization/dge 900
shoot query "/?query=$QUERY" 1000
ls -l "$ROOT"/docs/serve-*.png
