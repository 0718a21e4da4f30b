#!/usr/bin/env bash
# Load test of `volact serve` with wrk (Debian package `wrk`): code lookups per second and latency
# percentiles, then the same at 1,000 concurrent connections, where no request may fail.
#
#   bash bench/serve/run.sh            # full run: 3 x 15 s (16, 64, 1,000 connections), release build
#   CONNECTIONS='8 16 32' bash bench/serve/run.sh   # other keep-alive connection counts
#   bash bench/serve/run.sh --quick    # CI smoke: 3 s each, debug build is fine, only checks that
#                                      # no request fails at 1,000 connections
#
# Server and wrk share the machine (2 cores here): the figures include wrk's own CPU use.
# Only 127.0.0.1 is used. Target (issue 6): 50,000 lookups/s with p99 < 5 ms on two cores, and
# no failed request at 1,000 connections.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1
command -v wrk >/dev/null || { echo "ERROR: wrk is missing (apt-get install wrk)" >&2; exit 1; }

# wrk and the server each hold one descriptor per connection.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge 2100 ] || { echo "ERROR: ulimit -n is $(ulimit -n); 1,000 connections need about 2,100" >&2; exit 1; }

if [ $quick = 1 ]; then
  cargo build --quiet --locked -p volact
  volact=target/debug/volact dur=3s
else
  cargo build --quiet --locked --release -p volact
  volact=target/release/volact dur=${DURATION:-15s}
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/volact-bench-serve.XXXXXX")
"$volact" serve --listen 127.0.0.1:0 --quiet 2>"$tmp/server.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$tmp"' EXIT
base=""
for _ in $(seq 100); do
  base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$tmp/server.err" | head -1 || true)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { echo "ERROR: the server did not say where it listens: $(cat "$tmp/server.err")" >&2; exit 1; }
curl -fsS "$base/healthz" >/dev/null

echo "volact serve at $base ($volact), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"

# run NAME CONNECTIONS: one wrk run; prints the figures, fails on any error or non-2xx answer.
run() {
  local name=$1 conns=$2 out="$tmp/$1.txt"
  wrk -t2 -c"$conns" -d"$dur" --timeout 5s --latency -s bench/serve/lookup.lua "$base" >"$out"
  local rps p50 p99 errors non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
  p50=$(awk '/^ +50%/ {print $2}' "$out")
  p99=$(awk '/^ +99%/ {print $2}' "$out")
  errors=$(grep -E '^ +Socket errors' "$out" || true)
  non2xx=$(grep -E 'Non-2xx' "$out" || true)
  printf '%-22s %6d connections   %10.0f requests/s   p50 %8s   p99 %8s\n' "$name" "$conns" "$rps" "$p50" "$p99"
  if [ -n "$errors$non2xx" ]; then
    cat "$out" >&2
    echo "ERROR: $name: failed requests: ${errors}${non2xx}" >&2
    exit 1
  fi
}

if [ $quick = 0 ]; then
  wrk -t2 -c64 -d2s -s bench/serve/lookup.lua "$base" >/dev/null   # warm-up
  for c in ${CONNECTIONS:-16 64}; do run "lookup" "$c"; done
fi
run "lookup-1000-conns" 1000
echo "no failed request"
