#!/usr/bin/env bash
# Benchmark of `volact events` against `evtx_dump -o json` (the evtx crate's own CLI) on the same
# synthetic KMS host log ("Key Management Service" channel, every record a 12290), and on the
# shared real logs. Prints wall time (best and median of $RUNS runs, default 3), CPU time and peak
# memory (GNU time) and the ratios.
# Before timing, it checks that `evtx_dump -o json` exits 0 and prints every record, and that
# volact reports "records read" equal to the records written (else it stops with an error).
#
#   bash bench/events/run.sh [RECORDS]        # default 1000000
#
# Inputs are generated into a temporary directory outside the repository (removed at the end).
# evtx_dump is $EVTX_DUMP if set, else installed once with `cargo install evtx --locked` into
# ${VOLACT_BENCH_TOOLS:-$HOME/.cache/volact-bench} (never into the repository). PATH is not used:
# python-evtx installs an unrelated `evtx_dump` script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

records=${1:-1000000}
runs=${RUNS:-3}
tools=${VOLACT_BENCH_TOOLS:-$HOME/.cache/volact-bench}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/volact-bench-events.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

[ -x /usr/bin/time ] || { echo "ERROR: /usr/bin/time (GNU time) is needed for peak memory" >&2; exit 1; }

if [ -n "${EVTX_DUMP:-}" ]; then
  dump=$EVTX_DUMP
elif [ -x "$tools/bin/evtx_dump" ]; then
  dump=$tools/bin/evtx_dump
else
  echo "installing evtx_dump (cargo install evtx --locked) into $tools"
  cargo install evtx --locked --version 0.12.3 --root "$tools" >/dev/null
  dump=$tools/bin/evtx_dump
fi

"$dump" --version | grep -qi 'evtx parser' || { echo "ERROR: $dump is not the Rust evtx_dump" >&2; exit 1; }

# Two invocations: with `--example`, cargo builds only examples, not the volact binary.
cargo build --release --locked -p volact >/dev/null
cargo build --release --locked -p volact-testsupport --example gen_kms_log >/dev/null
volact=target/release/volact
gen=target/release/examples/gen_kms_log

log=$tmp/kms.evtx
"$gen" "$log" "$records"
size=$(stat -c %s "$log")
echo "input: $records records, $((size / 1048576)) MiB, $(nproc) cores: $(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"

# measure NAME CMD...: best of $runs; prints "NAME wall_s cpu_s peak_kib".
measure() {
  local name=$1; shift
  local best="" line t0 t1 walls=""
  for _ in $(seq "$runs"); do
    # Wall time from the shell's microsecond clock (GNU time's %e has 10 ms steps, too coarse
    # for runs of 0.2 s); CPU and peak memory from GNU time.
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%U %S %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" \
      || grep -Eq 'status (1|3)$' "$tmp/t" \
      || { echo "ERROR: $name failed: $(head -c 300 "$tmp/err")" >&2; exit 1; }
    t1=$EPOCHREALTIME
    line="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}') $(tail -1 "$tmp/t")"
    walls="$walls ${line%% *}"
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$line; fi
  done
  read -r wall user sys rss <<<"$best"
  local median
  median=$(printf '%s\n' $walls | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  printf '%-34s wall %6.3f s (median %6.3f)   cpu %6.2f s   peak %7d KiB\n' "$name" "$wall" "$median" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "$rss"
  echo "$wall" >"$tmp/$name.wall"
  echo "$median" >"$tmp/$name.median"
}

cat "$log" >/dev/null   # warm the page cache for both tools

# Check (untimed) that both tools really read every record, so the timings compare the same work:
# evtx_dump must exit 0 and print one "Record N" header per record; volact must report
# "records read: N" equal to the records written.
dump_status=0
"$dump" -o json "$log" 2>"$tmp/dump.err" | grep -c '^Record ' >"$tmp/dump.count" || dump_status=$?
dump_count=$(cat "$tmp/dump.count")
if [ "$dump_status" -ne 0 ] || [ "$dump_count" -ne "$records" ]; then
  echo "ERROR: evtx_dump printed $dump_count of $records records (status $dump_status): $(head -c 300 "$tmp/dump.err")" >&2
  exit 1
fi
echo "check: evtx_dump -o json printed $dump_count records, exit 0, $(wc -l <"$tmp/dump.err") stderr lines"
v_status=0
"$volact" events "$log" >"$tmp/volact.out" 2>"$tmp/volact.err" || v_status=$?
if [ "$v_status" -ne 0 ] && [ "$v_status" -ne 1 ]; then
  echo "ERROR: volact events failed (status $v_status): $(head -c 300 "$tmp/volact.err")" >&2
  exit 1
fi
v_read=$(sed -n 's/^records read: \([0-9]*\).*/\1/p' "$tmp/volact.out" | head -1)
if [ "$v_read" != "$records" ]; then
  echo "ERROR: volact events reported 'records read: ${v_read:-?}', expected $records" >&2
  exit 1
fi
echo "check: volact events: $(head -1 "$tmp/volact.out")"
measure volact-text "$volact" events "$log"
measure volact-json "$volact" events -f json "$log"
measure evtx_dump-json "$dump" -o json "$log"
ratio=$(awk -v a="$(cat "$tmp/evtx_dump-json.wall")" -v b="$(cat "$tmp/volact-text.wall")" 'BEGIN{printf "%.2f", a/b}')
ratio_median=$(awk -v a="$(cat "$tmp/evtx_dump-json.median")" -v b="$(cat "$tmp/volact-text.median")" 'BEGIN{printf "%.2f", a/b}')
echo "ratio evtx_dump / volact (text report): ${ratio}x best of $runs, ${ratio_median}x median  (target: >= 2x)"

# Real logs without activation events: chunks are skipped before any record is parsed.
shared=../shared/data/evtx
if [ -d "$shared" ]; then
  for f in security.evtx system.evtx; do
    # 50 copies, so the figures are above the timer's resolution.
    cat "$shared/$f" >/dev/null
    measure "volact $f x50" bash -c "for i in \$(seq 50); do $volact events $shared/$f >/dev/null; done"
    measure "evtx_dump $f x50" bash -c "for i in \$(seq 50); do $dump -o json $shared/$f >/dev/null; done"
    r=$(awk -v a="$(cat "$tmp/evtx_dump $f x50.wall")" -v b="$(cat "$tmp/volact $f x50.wall")" 'BEGIN{printf "%.2f", a/b}')
    echo "ratio on $f: ${r}x"
  done
fi
