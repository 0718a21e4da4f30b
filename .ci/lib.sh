# Shared helpers for .ci/run and the scripts in .ci/setup.d and .ci/check.d (sourced, not run).
# Every helper is idempotent: it installs only what is missing.

step() { printf '\n== %s ==\n' "$*"; }

# apt_install PKG...: installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "${VOLACT_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq || { echo "ERROR: apt-get update failed" >&2; return 1; }
    export VOLACT_APT_UPDATED=1
  fi
  echo "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || { echo "ERROR: cannot install ${missing[*]}" >&2; return 1; }
}

# pip_install SPEC...: installs PyPI packages (pinned specs) for the current user's python3.
pip_install() {
  python3 -m pip install --quiet --disable-pip-version-check "$@" \
    || { echo "ERROR: pip cannot install $*" >&2; return 1; }
}
