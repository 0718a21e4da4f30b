#!/usr/bin/env bash
# Property-based fuzzing of every `volact serve` endpoint with schemathesis (PyPI), driven by the
# OpenAPI document the server itself serves at /api/openapi.json. Checks: no 5xx for any input, status
# codes, content types, headers and response bodies conform to the document, invalid input rejected,
# valid input accepted. The server runs on 127.0.0.1 without --allow-doctor (so the doctor endpoint is
# exercised only for its 403 answer and nothing leaves the machine).
#
#   bash scripts/api-fuzz.sh                  # the CI budget: 100 examples per operation, fixed seed
#   MAX_EXAMPLES=500 bash scripts/api-fuzz.sh # longer local run
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v schemathesis >/dev/null || { echo "ERROR: schemathesis is missing (pip install schemathesis==4.32.5)" >&2; exit 1; }
cargo build --quiet --locked -p volact
tmp=$(mktemp -d "${TMPDIR:-/tmp}/volact-api-fuzz.XXXXXX")
target/debug/volact serve --listen 127.0.0.1:0 2>"$tmp/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$tmp"' EXIT
base=""
for _ in $(seq 100); do
  base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$tmp/server.log" | head -1 || true)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { echo "ERROR: the server did not say where it listens: $(cat "$tmp/server.log")" >&2; exit 1; }

# fuzz ATTEMPT: one schemathesis run, its output also kept for the retry rule below.
fuzz() {
  (cd "$tmp" && schemathesis run "$base/api/openapi.json" --url "$base" \
    --checks all --exclude-checks ignored_auth \
    --max-examples "${MAX_EXAMPLES:-100}" --seed "${SEED:-20261124}" \
    --generation-database none --workers 1 --request-timeout 20 --no-color \
    --suppress-health-check too_slow,data_too_large,filter_too_much) 2>&1 | tee "$tmp/st-$1.log"
  return "${PIPESTATUS[0]}"
}
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
fivexx=$(awk '$4 ~ /^5[0-9][0-9]$/' "$tmp/server.log" | wc -l)
echo "-- server log: $(wc -l <"$tmp/server.log") requests; 5xx answers: $fivexx"
awk '$4 ~ /^5[0-9][0-9]$/' "$tmp/server.log" | head -5
[ "$fivexx" -eq 0 ] || { echo "ERROR: the server answered $fivexx requests with 5xx" >&2; rc=1; }
exit $rc
