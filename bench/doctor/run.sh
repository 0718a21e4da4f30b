#!/usr/bin/env bash
# `volact doctor` fleet benchmark (issue 5): a hosts file of 1,000 loopback endpoints — healthy
# DCE/RPC responders (bind accepted), silent listeners (accept, never answer: each costs one full
# timeout) and refused ports — probed with the TCP and RPC stages (`--explain 0xC004F039`).
# Records wall time and peak memory of the volact process with /usr/bin/time -v.
#
# Usage (from anywhere in a clone):  bench/doctor/run.sh
# Knobs: HEALTHY=334 SILENT=333 REFUSED=333 TIMEOUT=2s CONCURRENCY="1024 256"
# Everything listens on 127.0.0.1 only. Temporary files go to a mktemp directory outside the repo.
set -euo pipefail

HEALTHY=${HEALTHY:-334}
SILENT=${SILENT:-333}
REFUSED=${REFUSED:-333}
TIMEOUT=${TIMEOUT:-2s}
CONCURRENCY=${CONCURRENCY:-"1024 256"}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export LANG=C NO_COLOR=1
unset VOLACT_LANG LC_ALL LC_MESSAGES

[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is missing (Debian: apt-get install time)" >&2; exit 1; }

echo "== building (release)"
cargo build --release --quiet -p volact
cargo build --release --quiet -p volact-netdiag --example fleet_peers
volact=$root/target/release/volact
peers=$root/target/release/examples/fleet_peers

tmp=$(mktemp -d)
peer_pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  if [[ -n $peer_pid ]]; then kill "$peer_pid" 2>/dev/null || true; wait "$peer_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# The peers serve until their standard input closes: hold a FIFO open on fd 3.
mkfifo "$tmp/hold"
exec 3<>"$tmp/hold"
"$peers" "$tmp/hosts.txt" "$HEALTHY" "$SILENT" "$REFUSED" <"$tmp/hold" 2>"$tmp/peers.log" 3>&- &
peer_pid=$!
for _ in $(seq 1 100); do [[ -s $tmp/hosts.txt ]] && break; sleep 0.1; done
[[ -s $tmp/hosts.txt ]] || { echo "error: the peers did not start:" >&2; cat "$tmp/peers.log" >&2; exit 1; }
total=$(grep -vc '^#' "$tmp/hosts.txt")
echo "== $total endpoints on 127.0.0.1: $HEALTHY healthy, $SILENT silent, $REFUSED refused; timeout $TIMEOUT"
echo "   machine: $(nproc) cores, $(uname -sr); figures are noisy on a shared machine"

for c in $CONCURRENCY; do
  status=0
  /usr/bin/time -v "$volact" doctor --hosts-file "$tmp/hosts.txt" --explain 0xC004F039 \
    --timeout "$TIMEOUT" --concurrency "$c" --format json >"$tmp/report.json" 2>"$tmp/time.txt" || status=$?
  # Exit 1 is expected: silent and refused hosts fail their stage.
  if [[ $status -ne 0 && $status -ne 1 ]]; then
    echo "error: volact exited with $status" >&2; cat "$tmp/time.txt" >&2; exit 1
  fi
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
  counts=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("{} hosts: {} pass, {} fail".format(s["hosts"], s["pass"], s["fail"]))' "$tmp/report.json" 2>/dev/null || echo "(python3 missing: counts not shown)")
  secs=$(awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }' <<<"$wall")
  tsecs=$(awk '{ v=$1; if (v ~ /ms$/) { sub(/ms$/,"",v); print v/1000 } else if (v ~ /m$/) { sub(/m$/,"",v); print v*60 } else { sub(/s$/,"",v); print v } }' <<<"$TIMEOUT")
  ratio=$(awk -v a="$secs" -v b="$tsecs" 'BEGIN { printf "%.2f", a/b }')
  printf '  concurrency %-5s wall %ss (%s x timeout)  peak RSS %s KiB  %s\n' "$c" "$secs" "$ratio" "$rss" "$counts"
done
exec 3>&-
for _ in $(seq 1 50); do kill -0 "$peer_pid" 2>/dev/null || break; sleep 0.1; done
kill "$peer_pid" 2>/dev/null || true
wait "$peer_pid" 2>/dev/null || true
peer_pid=""
echo "== peers: $(tail -n 1 "$tmp/peers.log")"
