#!/usr/bin/env bash
# `volact serve` under 1,000 concurrent connections (wrk, 3 s, loopback): no request may fail. The
# throughput figures are a benchmark (bench/serve/run.sh, BENCHMARKS.md), not checked here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash bench/serve/run.sh --quick
