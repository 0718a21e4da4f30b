# python-evtx (pure Python, PyPI python-evtx==0.8.1): an EVTX reader independent of the Rust `evtx`
# crate. The volact-testsupport writer tests (issue 4) check that it reads every file the writer
# produces; with CI set they fail when it is missing. Sourced by .ci/run. Idempotent: a fast no-op
# when the pinned version is already importable; fails loudly when it cannot be installed.

if ! python3 -c 'import importlib.metadata as m, sys; sys.exit(m.version("python-evtx") != "0.8.1")' 2>/dev/null; then
  pip_install 'python-evtx==0.8.1' \
    || { echo "ERROR: cannot install python-evtx 0.8.1; the EVTX writer cross-check cannot run" >&2; return 1; }
fi
python3 -c 'import Evtx.Evtx' \
  || { echo "ERROR: python-evtx is installed but 'import Evtx.Evtx' fails" >&2; return 1; }
