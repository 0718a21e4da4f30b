#!/usr/bin/env bash
# Fuzzes every `volact serve` endpoint from its OpenAPI document (schemathesis); see scripts/api-fuzz.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/api-fuzz.sh
