#!/usr/bin/env bash
# Benchmark of `volact events` against `evtx_dump -o json` (the evtx crate's own CLI) on the same
# synthetic KMS host log ("Key Management Service" channel, every record a 12290 in the layout a
# modern Windows writes: 10 Data items, the joined list first), on a client's Application log
# (12288/12289/8198 among other providers' events, $APP_RECORDS records, default 200000), and on
# the shared real logs. The tools run in turn, round after round ($RUNS rounds, default 3), so that
# both meet the same state of the machine. Prints wall time (best and median), CPU time and peak
# memory (GNU time), and the ratios: best against best, median against median, and the median of
# each round's own ratio.
# Before timing, it checks that `evtx_dump -o json` exits 0 and prints every record, and that
# volact reports "records read" equal to the records written (else it stops with an error).
#
#   bash bench/events/run.sh [RECORDS]        # default 1000000
#   LAYOUT=fields bash bench/events/run.sh    # another 12290 layout (joined|fields|info|zero)
#
# Inputs are generated into a temporary directory outside the repository (removed at the end).
# evtx_dump is $EVTX_DUMP if set, else installed once with `cargo install evtx --locked` into
# ${VOLACT_BENCH_TOOLS:-$HOME/.cache/volact-bench} (never into the repository). PATH is not used:
# python-evtx installs an unrelated `evtx_dump` script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

records=${1:-1000000}
app_records=${APP_RECORDS:-200000}
layout=${LAYOUT:-joined}
runs=${RUNS:-3}
tools=${VOLACT_BENCH_TOOLS:-$HOME/.cache/volact-bench}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/volact-bench-events.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

[ -x /usr/bin/time ] || { echo "ERROR: /usr/bin/time (GNU time) is needed for peak memory" >&2; exit 1; }

if [ -n "${EVTX_DUMP:-}" ]; then
  dump=$EVTX_DUMP
else
  # The peer's current release (the brief: compare against what a user installs today).
  want=0.15.1
  if ! "$tools/bin/evtx_dump" --version 2>/dev/null | grep -q "$want"; then
    echo "installing evtx_dump $want (cargo install evtx --locked) into $tools"
    cargo install evtx --locked --version "$want" --root "$tools" >/dev/null
  fi
  dump=$tools/bin/evtx_dump
fi

"$dump" --version | grep -qi 'evtx parser' || { echo "ERROR: $dump is not the Rust evtx_dump" >&2; exit 1; }
echo "peer: $("$dump" --version | head -n 1)"

# Two invocations: with `--example`, cargo builds only examples, not the volact binary.
cargo build --release --locked -p volact >/dev/null
cargo build --release --locked -p volact-testsupport --example gen_kms_log >/dev/null
volact=target/release/volact
gen=target/release/examples/gen_kms_log

log=$tmp/kms.evtx
app=$tmp/application.evtx
"$gen" --layout "$layout" "$log" "$records"
"$gen" --app --layout "$layout" "$app" "$app_records"
size=$(stat -c %s "$log")
app_size=$(stat -c %s "$app")
echo "input: $records records ($layout layout), $((size / 1048576)) MiB; Application log: $app_records records, $((app_size / 1048576)) MiB; $(nproc) cores: $(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "load before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"

# once NAME CMD...: runs CMD once; appends "wall_s user_s sys_s peak_kib" to $tmp/NAME.runs.
# Wall time from the shell's microsecond clock (GNU time's %e has 10 ms steps, too coarse for
# runs of 0.2 s); CPU and peak memory from GNU time.
once() {
  local name=$1; shift
  local t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%U %S %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" \
    || grep -Eq 'status (1|3)$' "$tmp/t" \
    || { echo "ERROR: $name failed: $(head -c 300 "$tmp/err")" >&2; exit 1; }
  t1=$EPOCHREALTIME
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}') $(tail -1 "$tmp/t")" >>"$tmp/$name.runs"
}

# rounds NAME=CMD...: $runs rounds, each running every command once in turn, so that the tools
# compared meet the same state of this shared machine (its speed drifts within minutes).
rounds() {
  local i spec
  for i in $(seq "$runs"); do
    for spec in "$@"; do
      # shellcheck disable=SC2086  # the command is split into words on purpose
      once "${spec%%=*}" ${spec#*=}
    done
  done
}

# report NAME: best and median wall of its runs, the CPU and peak of the best run.
report() {
  local name=$1 wall user sys rss median
  read -r wall user sys rss < <(sort -n "$tmp/$name.runs" | head -1)
  median=$(awk '{print $1}' "$tmp/$name.runs" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  printf '%-34s wall %6.3f s (median %6.3f)   cpu %6.2f s   peak %7d KiB\n' "$name" "$wall" "$median" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "$rss"
  echo "$wall" >"$tmp/$name.wall"
  echo "$median" >"$tmp/$name.median"
}

# paired A B: the median over the rounds of (B's wall / A's wall) in the same round.
paired() {
  paste -d' ' <(awk '{print $1}' "$tmp/$1.runs") <(awk '{print $1}' "$tmp/$2.runs") \
    | awk '{print $2 / $1}' | sort -n | awk '{a[NR]=$1} END{printf "%.2f", a[int((NR+1)/2)]}'
}

# The commands are given to `rounds` as text split at blanks.
for p in "$volact" "$dump" "$log" "$app" "$PWD"; do
  case "$p" in *[[:space:]]*) echo "ERROR: a path with blanks is not supported here: $p" >&2; exit 1 ;; esac
done
cat "$log" "$app" >/dev/null   # warm the page cache for both tools

# check FILE RECORDS: (untimed) both tools really read every record, so the timings compare the
# same work: evtx_dump must exit 0 and print one "Record N" header per record; volact must report
# "records read: N" equal to the records written.
check() {
  local file=$1 want=$2 dump_status=0 v_status=0 dump_count v_read
  "$dump" -o json "$file" 2>"$tmp/dump.err" | grep -c '^Record ' >"$tmp/dump.count" || dump_status=$?
  dump_count=$(cat "$tmp/dump.count")
  if [ "$dump_status" -ne 0 ] || [ "$dump_count" -ne "$want" ]; then
    echo "ERROR: evtx_dump printed $dump_count of $want records of $file (status $dump_status): $(head -c 300 "$tmp/dump.err")" >&2
    exit 1
  fi
  echo "check: evtx_dump -o json printed $dump_count records, exit 0, $(wc -l <"$tmp/dump.err") stderr lines"
  "$volact" events "$file" >"$tmp/volact.out" 2>"$tmp/volact.err" || v_status=$?
  if [ "$v_status" -ne 0 ] && [ "$v_status" -ne 1 ]; then
    echo "ERROR: volact events failed on $file (status $v_status): $(head -c 300 "$tmp/volact.err")" >&2
    exit 1
  fi
  v_read=$(sed -n 's/^records read: \([0-9]*\).*/\1/p' "$tmp/volact.out" | head -1)
  if [ "$v_read" != "$want" ]; then
    echo "ERROR: volact events reported 'records read: ${v_read:-?}' for $file, expected $want" >&2
    exit 1
  fi
  echo "check: volact events: $(head -1 "$tmp/volact.out")"
}

# ratio NAME_VOLACT NAME_DUMP LABEL: the three ratios and the peak memory against the targets.
ratio() {
  local best median peak
  best=$(awk -v a="$(cat "$tmp/$2.wall")" -v b="$(cat "$tmp/$1.wall")" 'BEGIN{printf "%.2f", a/b}')
  median=$(awk -v a="$(cat "$tmp/$2.median")" -v b="$(cat "$tmp/$1.median")" 'BEGIN{printf "%.2f", a/b}')
  peak=$(awk '{print $4}' "$tmp/$1.runs" | sort -n | tail -1)
  echo "ratio evtx_dump / volact ($3): ${best}x best of $runs, ${median}x median, $(paired "$1" "$2")x median of the $runs rounds' own ratios  (target: >= 2x); volact peak $((peak / 1024)) MiB over all runs (target: < 64 MiB)"
}

check "$log" "$records"
check "$app" "$app_records"
rounds "volact-text=$volact events $log" "volact-json=$volact events -f json $log" \
  "evtx_dump-json=$dump -o json $log"
report volact-text
report volact-json
report evtx_dump-json
ratio volact-text evtx_dump-json "host log, text report"
rounds "volact-app-text=$volact events $app" "volact-app-json=$volact events -f json $app" \
  "evtx_dump-app-json=$dump -o json $app"
report volact-app-text
report volact-app-json
report evtx_dump-app-json
ratio volact-app-text evtx_dump-app-json "Application log, text report"
echo "load after the runs: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"

# Real logs without activation events: chunks are skipped before any record is parsed.
shared=../shared/data/evtx
if [ -d "$shared" ]; then
  for f in security.evtx system.evtx; do
    cat "$shared/$f" >/dev/null
    # 50 runs in a row per timing, so the figures are above the timer's resolution.
    loop_v=$tmp/loop-volact.sh loop_d=$tmp/loop-dump.sh
    echo "for i in \$(seq 50); do $volact events $shared/$f >/dev/null; done" >"$loop_v"
    echo "for i in \$(seq 50); do $dump -o json $shared/$f >/dev/null; done" >"$loop_d"
    rounds "volact-$f-x50=bash $loop_v" "evtx_dump-$f-x50=bash $loop_d"
    report "volact-$f-x50"
    report "evtx_dump-$f-x50"
    r=$(awk -v a="$(cat "$tmp/evtx_dump-$f-x50.wall")" -v b="$(cat "$tmp/volact-$f-x50.wall")" 'BEGIN{printf "%.2f", a/b}')
    echo "ratio on $f: ${r}x"
  done
fi
