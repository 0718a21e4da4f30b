#!/usr/bin/env bash
# Benchmark of `volact scan` against the search a user would otherwise type,
# `rg -c -i '0x[0-9a-f]{8}'`, on two reproducible corpora of realistic logs.
#
#   bash bench/scan/run.sh [SIZE_MIB] [RUNS]     (default 256 MiB, 5 runs; needs python3, hyperfine, rg)
#
# gen.py writes both corpora into a temporary directory outside the repository (removed at the
# end): `sparse` (mostly noise, about one activation code per 2,000 lines, some slmgr and Event
# Viewer text, one file in eight UTF-16LE) and `dense` (the same, with a random `0x` + eight hex
# digits value on every noise line, as in servicing logs). For each corpus and for one thread and
# all threads, one hyperfine run lets the tools take turns, files in the page cache:
#   - volact scan -j N (text report)
#   - rg -c -j N -i '0x[0-9a-f]{8}'      (the command a user types; the reference)
#   - rg -c -j N with a pattern matching every candidate volact looks at (bare eight hex digits
#     and ten-digit decimals too), a secondary row for comparison with earlier figures
# Prints mean and median times, volact's time over rg's, and volact's peak memory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
size=${1:-256}
runs=${2:-5}
for tool in python3 hyperfine rg; do
    command -v "$tool" >/dev/null || { echo "bench/scan: $tool is needed (ripgrep: apt-get install ripgrep)" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/volact-scan-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 "$here/gen.py" "$work/sparse" "$size" sparse
python3 "$here/gen.py" "$work/dense" "$size" dense
cargo build --release --locked -p volact --manifest-path "$root/Cargo.toml" 2>&1 | tail -1
bin="$root/target/release/volact"
user='0x[0-9a-f]{8}'
wide='\b(0[xX])?[0-9A-Fa-f]{8}\b|\b[0-9]{10}\b'
threads=$(nproc)
echo "commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (with uncommitted changes)')"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rg --version | sed -n 1p), load average $(cut -d' ' -f1-3 /proc/loadavg)"

for corpus in sparse dense; do
    dir="$work/$corpus"
    cat "$dir"/* >/dev/null # warm the page cache
    echo "corpus $corpus: $(du -sh "$dir" | cut -f1) in $(ls "$dir" | wc -l) files"
    for j in 1 "$threads"; do
        hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$work/$corpus-j$j.json" \
            -n "volact scan -j $j" "$bin scan -j $j --format text $dir" \
            -n "rg -c -j $j -i '$user'" "rg -c -j $j -i '$user' $dir" \
            -n "rg -c -j $j (every candidate)" "rg -c -j $j -e '$wide' $dir" >/dev/null
        python3 - "$work/$corpus-j$j.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
v = r[0]
for x in r:
    ratio = "" if x is v else f"   volact/this = {v['mean'] / x['mean']:.2f} (mean), {v['median'] / x['median']:.2f} (median)"
    print(f"  {x['command']:<40} mean {x['mean']:6.3f} s  median {x['median']:6.3f} s  min {x['min']:6.3f} s{ratio}")
PY
    done
    if [ -x /usr/bin/time ]; then
        for j in 1 "$threads"; do
            # volact exits 1 here (the corpus holds codes that need attention): not a failure.
            kib=$( { /usr/bin/time -f '%M' "$bin" scan -j "$j" "$dir" >/dev/null || true; } 2>&1 | tail -1)
            echo "  peak memory, volact scan -j $j: $((kib / 1024)) MiB"
        done
    fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
