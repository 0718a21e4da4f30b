# Windows cross-build and Wine (issue 7): mingw-w64 links volact.exe, Debian's wine64 runs it
# (python3 checks the smoke-test outputs).
# Sourced by .ci/run. Idempotent: a fast no-op when everything is installed; fails loudly when the
# Windows toolchain cannot be installed, because the Wine smoke tests must never be skipped silently.

volact_win_target=x86_64-pc-windows-gnu
apt_install gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 wine64 python3 \
  || { echo "ERROR: cannot install mingw-w64 and wine64; the Windows build and its Wine smoke tests cannot run" >&2; return 1; }
if ! rustup target list --installed | grep -qx "$volact_win_target"; then
  rustup target add "$volact_win_target" \
    || { echo "ERROR: cannot install the Rust target $volact_win_target; the Windows build cannot run" >&2; return 1; }
fi
for tool in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres; do
  command -v "$tool" >/dev/null \
    || { echo "ERROR: $tool is missing after installing mingw-w64" >&2; return 1; }
done
[ -x /usr/lib/wine/wine64 ] \
  || { echo "ERROR: /usr/lib/wine/wine64 is missing after installing wine64" >&2; return 1; }
