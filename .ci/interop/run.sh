#!/usr/bin/env bash
# Starts `cassmodel serve --memory` on an ephemeral loopback port and runs smoke.py
# (cassandra-driver + cqlsh from PyPI, installed into a venv under target/).
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=.ci/interop
TARGET=${CARGO_TARGET_DIR:-target}
VENV=$TARGET/interop-venv

if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$HERE/requirements.txt" "$VENV/.requirements"; then
  rm -rf "$VENV"
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    # Debian's python3 ships venv separately.
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"
  cp "$HERE/requirements.txt" "$VENV/.requirements"
fi

# `cargo test --workspace` (the step before this one in .ci/run) already built the
# binary for cassmodel-migrate's end-to-end tests. Building it with `-p` alone would
# resolve dependency features differently and recompile half the graph, so ask for the
# same build instead: a no-op after the tests, a full build when run on its own.
cargo test -q --workspace --no-run
LOG=$(mktemp)
"$TARGET/debug/cassmodel" serve --memory --listen 127.0.0.1:0 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT

PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$LOG" | head -n 1)
  [ -n "$PORT" ] && break
  kill -0 $SERVER 2>/dev/null || { cat "$LOG"; echo "cassmodel serve exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$PORT" ] || { cat "$LOG"; echo "cassmodel serve did not report its port" >&2; exit 1; }

"$VENV/bin/python" "$HERE/smoke.py" 127.0.0.1 "$PORT"
