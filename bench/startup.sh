#!/usr/bin/env bash
# Process start-up benchmark (issue #2): `volact explain 0xC004F074` as a whole process should take
# at most 2x the start-up time of a trivial Rust binary (bench/hello, built with the same profile).
#
# Usage (from anywhere in a clone):  bench/startup.sh
# Environment knobs (optional):
#   RUNS=300 WARMUP=20      number of timed / warm-up runs per command
#   STARTUP_NO_HYPERFINE=1  force the bash fallback loop even if hyperfine is installed
#   STARTUP_NO_INSTALL=1    never try to install hyperfine with apt-get
# Results (hyperfine JSON/CSV, or the fallback's figures) go to target/bench-startup/.
# Exit status: non-zero only on real errors (build failure, a command failing); missing the
# target is reported ("TARGET MISSED ...") but is not an error.
set -euo pipefail

TARGET_RATIO=2.0
RUNS=${RUNS:-300}
WARMUP=${WARMUP:-20}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# Reproducibility: a fixed locale, and no language override from the caller's environment.
export LANG=C
unset VOLACT_LANG LC_ALL LC_MESSAGES
export NO_COLOR=1

out=target/bench-startup
mkdir -p "$out"

echo "== building (release)"
cargo build --release --quiet -p volact
cargo build --release --quiet --manifest-path bench/hello/Cargo.toml --target-dir target/bench-hello

volact=$root/target/release/volact
hello=$root/target/bench-hello/release/hello
[[ -x $volact ]] || { echo "error: $volact not found after build" >&2; exit 1; }
[[ -x $hello ]] || { echo "error: $hello not found after build" >&2; exit 1; }

# Benchmarked commands: "label|program|arguments" (arguments split on spaces, no shell involved).
cases=(
  "hello|$hello|"
  "volact explain|$volact|explain 0xC004F074"
  "volact --lang zh-TW explain|$volact|--lang zh-TW explain 0xC004F074"
  "volact explain -f json|$volact|explain -f json 0xC004F074"
)
# case_argv CASE: sets the array `argv` to the command line of CASE.
case_argv() {
  local rest=${1#*|}
  local -a a=()
  read -r -a a <<<"${rest#*|}" || true
  argv=("${rest%%|*}" "${a[@]}")
}
# case_cmd CASE: the command line as one string, quoted for hyperfine -N (shell-words parsing).
case_cmd() {
  case_argv "$1"
  printf '%q ' "${argv[@]}"
}

# Each command must succeed before we time it (a failing command is a real error).
for c in "${cases[@]}"; do
  case_argv "$c"
  if ! "${argv[@]}" >/dev/null; then
    echo "error: '${argv[*]}' failed" >&2
    exit 1
  fi
done

echo "== binaries"
ls -l "$volact" "$hello" | awk '{printf "  %10d bytes  %s\n", $5, $NF}'

# hyperfine: use it if present; if missing and root, try to install it (Debian package `hyperfine`).
have_hyperfine() { command -v hyperfine >/dev/null 2>&1; }
if [[ -z ${STARTUP_NO_HYPERFINE:-} && -z ${STARTUP_NO_INSTALL:-} ]] && ! have_hyperfine \
  && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "== hyperfine not found; trying apt-get install -y hyperfine"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
  fi
  have_hyperfine || echo "   (install failed; using the bash fallback loop)"
fi

declare -A mean_ns     # label -> mean wall time per run, in nanoseconds
declare -A median_ns   # label -> median wall time per run, in nanoseconds (hyperfine only)

if [[ -z ${STARTUP_NO_HYPERFINE:-} ]] && have_hyperfine; then
  method="hyperfine $(hyperfine --version | awk '{print $2}') (--warmup $WARMUP --runs $RUNS -N)"
  echo "== $method"
  args=(--warmup "$WARMUP" --runs "$RUNS" -N --style basic
        --export-json "$out/hyperfine.json" --export-csv "$out/hyperfine.csv")
  for c in "${cases[@]}"; do
    args+=(--command-name "${c%%|*}" "$(case_cmd "$c")")
  done
  hyperfine "${args[@]}"
  # CSV columns: command,mean,stddev,median,user,system,min,max (seconds).
  while IFS=, read -r name mean _ median _; do
    [[ $name == command ]] && continue
    mean_ns[$name]=$(awk -v m="$mean" 'BEGIN { printf "%.0f", m * 1e9 }')
    median_ns[$name]=$(awk -v m="$median" 'BEGIN { printf "%.0f", m * 1e9 }')
  done <"$out/hyperfine.csv"
else
  method="bash fallback loop, date +%s%N (warm-up $WARMUP, $RUNS runs; includes bash fork/exec cost)"
  echo "== $method"
  : >"$out/fallback.txt"
  for c in "${cases[@]}"; do
    name=${c%%|*}
    case_argv "$c"
    for ((i = 0; i < WARMUP; i++)); do "${argv[@]}" >/dev/null; done
    start=$(date +%s%N)
    for ((i = 0; i < RUNS; i++)); do "${argv[@]}" >/dev/null; done
    end=$(date +%s%N)
    mean_ns[$name]=$(( (end - start) / RUNS ))
    printf '%s,%s\n' "$name" "${mean_ns[$name]}" >>"$out/fallback.txt"
    printf '  %-30s %10.1f us\n' "$name" "$(awk -v n="${mean_ns[$name]}" 'BEGIN { print n / 1000 }')"
  done
fi

echo
echo "== results ($method)"
base=${mean_ns[hello]}
us() { awk -v n="$1" 'BEGIN { printf "%.1f us", n / 1000 }'; }
printf '  %-30s %12s %12s %8s\n' command mean median "x hello"
verdict=""
for c in "${cases[@]}"; do
  name=${c%%|*}
  ratio=$(awk -v a="${mean_ns[$name]}" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
  median=-
  [[ -n ${median_ns[$name]:-} ]] && median=$(us "${median_ns[$name]}")
  printf '  %-30s %12s %12s %8s\n' "$name" "$(us "${mean_ns[$name]}")" "$median" "$ratio"
  if [[ $name == "volact explain" ]]; then
    if awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { exit !(r <= t) }'; then
      verdict="TARGET MET (ratio $ratio, target $TARGET_RATIO)"
    else
      verdict="TARGET MISSED (ratio $ratio, target $TARGET_RATIO)"
    fi
  fi
done
echo
echo "(x hello = mean / mean of hello)"
echo "volact explain 0xC004F074 vs hello: $verdict"
