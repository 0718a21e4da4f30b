#!/usr/bin/env bash
# Property-based fuzzing of every `volact serve` endpoint with schemathesis (PyPI), driven by the
# OpenAPI document the server itself serves at /api/openapi.json. Checks: no 5xx for any input, status
# codes, content types, headers and response bodies conform to the document, invalid input rejected,
# valid input accepted.
#
# Two phases:
#   1. every operation, server without --allow-doctor (the doctor endpoint answers 403);
#   2. POST /api/v1/doctor alone, server WITH --allow-doctor, both server and schemathesis inside a
#      fresh network namespace (`unshare -n`) that has only the loopback interface. Whatever targets,
#      domains or time servers the fuzzer invents, no packet can leave the machine: connections to
#      other addresses fail at once with "network unreachable", which the checks must report cleanly.
#      Phase 2 needs the right to create a network namespace (root or CAP_SYS_ADMIN). Without it the
#      phase fails when CI is set and is skipped with a message otherwise.
#
#   bash scripts/api-fuzz.sh                  # the CI budget: 100 examples per operation, fixed seed
#   MAX_EXAMPLES=500 bash scripts/api-fuzz.sh # longer local run
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v schemathesis >/dev/null || { echo "ERROR: schemathesis is missing (pip install schemathesis==4.32.5)" >&2; exit 1; }

# phase NAME [SERVER_ARGS...] -- [SCHEMATHESIS_ARGS...]: one server, one fuzzing run (retried once only
# for CPython's AST bug, see below); fails on any finding and on any 5xx in the server's access log.
phase() {
  local name=$1; shift
  local server_args=() st_args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do server_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  st_args=("$@")
  local tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/volact-api-fuzz.XXXXXX")
  target/debug/volact serve --listen 127.0.0.1:0 "${server_args[@]}" 2>"$tmp/server.log" &
  local server=$!
  # shellcheck disable=SC2064
  trap "kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf '$tmp'" RETURN
  local base=""
  for _ in $(seq 100); do
    base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$tmp/server.log" | head -1 || true)
    [ -n "$base" ] && break
    sleep 0.1
  done
  [ -n "$base" ] || { echo "ERROR: the server did not say where it listens: $(cat "$tmp/server.log")" >&2; return 1; }
  echo "== phase $name: $base ${server_args[*]}"

  fuzz() {
    (cd "$tmp" && schemathesis run "$base/api/openapi.json" --url "$base" \
      --checks all --exclude-checks "${exclude_checks:-ignored_auth}" \
      --max-examples "${MAX_EXAMPLES:-100}" --seed "${SEED:-20261124}" \
      --generation-database none --workers 1 --request-timeout 30 --no-color \
      --suppress-health-check too_slow,data_too_large,filter_too_much "${st_args[@]}") 2>&1 | tee "$tmp/st-$1.log"
    return "${PIPESTATUS[0]}"
  }
  local rc
  set +e
  fuzz 1; rc=$?
  # CPython 3.11.7 + hypothesis sometimes stop with an internal "SystemError: AST constructor
  # recursion depth mismatch" (a bug in the interpreter, not a finding about volact). Only that
  # error earns one retry with the same seed; any real failure fails at once.
  if [ $rc -ne 0 ] && grep -q "AST constructor recursion depth mismatch" "$tmp/st-1.log" \
     && ! grep -qE "^(_+ )?(Server error|Undocumented|Response violates|API accepted|API rejected)" "$tmp/st-1.log"; then
    echo "-- schemathesis hit CPython's AST recursion bug; retrying once"
    fuzz 2; rc=$?
  fi
  set -e
  local fivexx
  fivexx=$(awk '$4 ~ /^5[0-9][0-9]$/' "$tmp/server.log" | wc -l)
  echo "-- phase $name: server log $(wc -l <"$tmp/server.log") requests; 5xx answers: $fivexx"
  awk '$4 ~ /^5[0-9][0-9]$/' "$tmp/server.log" | head -5
  [ "$fivexx" -eq 0 ] || { echo "ERROR: the server answered $fivexx requests with 5xx" >&2; rc=1; }
  return $rc
}

if [ "${1:-}" = "--isolated-doctor-phase" ]; then
  # Inside the namespace made below: only loopback exists.
  ip link set lo up
  if ip -o addr show | grep -v ' lo ' | grep -q inet; then
    echo "ERROR: the namespace has interfaces besides loopback" >&2; exit 1
  fi
  # positive_data_acceptance is left out here only: a schema-valid body can still name a host that
  # is not a valid name, or a code whose entry has no doctor checks; those are 400 by design
  # (documented in the OpenAPI description). Every other check applies, the 5xx check included.
  exclude_checks=ignored_auth,positive_data_acceptance \
    phase doctor-isolated --allow-doctor -- --include-path /api/v1/doctor
  exit $?
fi

cargo build --quiet --locked -p volact
phase all-endpoints

if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
  unshare -n bash "$0" --isolated-doctor-phase
elif [ -n "${CI:-}" ]; then
  echo "ERROR: cannot create a network namespace (unshare -n) or 'ip' is missing; the doctor endpoint cannot be fuzzed safely" >&2
  exit 1
else
  echo "SKIPPED: phase doctor-isolated needs unshare -n (root or CAP_SYS_ADMIN) and iproute2"
fi
