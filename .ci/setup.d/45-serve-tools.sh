# Tools for `volact serve`'s checks (issue 6), sourced by .ci/run. Idempotent; fails loudly.
# - schemathesis (PyPI, pinned): fuzzes every endpoint from the served OpenAPI document
#   (.ci/check.d/40-api-fuzz.sh -> scripts/api-fuzz.sh).
# - wrk (Debian): the load check at 1,000 connections (.ci/check.d/45-serve-load.sh) and the
#   benchmark bench/serve/run.sh.
# Chromium and ChromeDriver for the browser test come from 50-chromium.sh.
apt_install wrk curl || { echo "ERROR: cannot install wrk/curl; the serve load check cannot run" >&2; return 1; }
if ! python3 -c 'import importlib.metadata as m, sys; sys.exit(m.version("schemathesis") != "4.32.5")' 2>/dev/null; then
  pip_install 'schemathesis==4.32.5' \
    || { echo "ERROR: cannot install schemathesis 4.32.5; the API fuzzing cannot run" >&2; return 1; }
fi
command -v schemathesis >/dev/null || { echo "ERROR: schemathesis is installed but not on PATH" >&2; return 1; }
