# Shared helpers for .ci/run and the scripts in .ci/setup.d and .ci/check.d (sourced, not run).
# Every helper is idempotent: it installs only what is missing.

# step NAME: prints a heading with the disk space left where the build writes, so that a run that
# fills the disk says so (a linker killed by SIGBUS is what a full disk looks like otherwise).
step() {
  local free
  free=$(df -Pk . 2>/dev/null | awk 'NR==2 { printf "%.1f GiB free", $4 / 1048576 }')
  printf '\n== %s ==%s\n' "$*" "${free:+ ($free)}"
}

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
  # The downloaded .deb files are not needed once installed; keep the disk for the build.
  $sudo apt-get clean || true
}

# pip_install SPEC...: installs PyPI packages (pinned specs) for the current user's python3.
pip_install() {
  python3 -m pip install --quiet --disable-pip-version-check "$@" \
    || { echo "ERROR: pip cannot install $*" >&2; return 1; }
}
