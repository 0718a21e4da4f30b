#!/usr/bin/env bash
# Cross-builds volact.exe (x86_64-pc-windows-gnu, debug: fast to build, same code paths) and runs
# smoke tests under Wine (Debian's wine64, 64-bit loader called directly; see
# ../shared/domain/WINDOWS-UNDER-WINE.md). Installed by .ci/setup.d/30-windows.sh. Fails loudly when
# the toolchain or Wine is missing: the Windows checks are never skipped silently.
#
# Run alone (after the setup script): bash .ci/check.d/30-wine-smoke.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD
t0=$(date +%s)

win=x86_64-pc-windows-gnu
wine=/usr/lib/wine/wine64
die() { echo "ERROR (wine smoke): $*" >&2; exit 1; }
command -v x86_64-w64-mingw32-gcc >/dev/null || die "x86_64-w64-mingw32-gcc missing: run .ci/setup.d/30-windows.sh"
[ -x "$wine" ] || die "$wine missing: run .ci/setup.d/30-windows.sh (Debian package wine64)"
rustup target list --installed | grep -qx "$win" || die "Rust target $win missing: rustup target add $win"

echo "-- cross-building volact.exe ($win, debug)"
cargo build --locked -p volact --target "$win"
exe="$repo/target/$win/debug/volact.exe"
[ -f "$exe" ] || die "no $exe after the build"

work=$(mktemp -d "${TMPDIR:-/tmp}/volact-wine.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$exe" "$work/volact.exe"

# Wine 8 lacks bcryptprimitives.dll!ProcessPrng, which Rust's std imports; real Windows 10/11 has it.
# A tiny stand-in beside the exe fills the buffer from advapi32's RtlGenRandom (SystemFunction036).
cat > "$work/prng.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PUCHAR data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!SystemFunction036(data, n)) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}
C
x86_64-w64-mingw32-gcc -O2 -shared -Wl,--kill-at -o "$work/bcryptprimitives.dll" "$work/prng.c" -ladvapi32

export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all
# Wine links the prefix's Desktop and Documents into $HOME: give it a throw-away one.
mkdir -p "$work/home"
wine() { HOME="$work/home" "$wine" "$@"; }
unset DISPLAY WAYLAND_DISPLAY
# Clear what changes volact's language or colours, as the CLI tests do.
unset LANG LC_ALL LC_MESSAGES LANGUAGE VOLACT_LANG NO_COLOR CLICOLOR CLICOLOR_FORCE
export LANG=C

# vexe ARGS...: runs volact.exe under Wine from $work (a relative path there is Z:\...\work\...).
vexe() { (cd "$work" && wine "$work/volact.exe" "$@"); }
pass=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
expect_rc() { # expect_rc WANT GOT WHAT
  [ "$2" -eq "$1" ] || die "$3: exit code $2, expected $1"
}
utf8_only() { # the bytes are UTF-8 text: no NUL (UTF-16 would have them) and valid UTF-8
  python3 - "$1" <<'PY' || die "$2: stdout is not plain UTF-8"
import sys
b = open(sys.argv[1], 'rb').read()
assert b and b'\x00' not in b, 'NUL bytes (UTF-16?)'
b.decode('utf-8')
PY
}

echo "-- first start creates the Wine prefix (about 10 s)"
set +e
vexe --version > "$work/out" 2> "$work/err"; rc=$?
set -e
expect_rc 0 $rc "volact.exe --version ($(head -c 300 "$work/err"))"
grep -q "^volact " "$work/out" || die "--version printed: $(cat "$work/out")"
ok "volact.exe starts under Wine: $(cat "$work/out")"

python3 - "$exe" <<'PY' || die "volact.exe has no version information resource"
import sys
b = open(sys.argv[1], 'rb').read()
for s in ("FileVersion", "ProductVersion", "volact.exe"):
    assert s.encode("utf-16-le") in b, s
assert b"asInvoker" in b
PY
ok "version information and asInvoker manifest are embedded"

set +e
vexe explain 0xC004F074 > "$work/out"; rc=$?
set -e
expect_rc 0 $rc "explain (en)"
utf8_only "$work/out" "explain (en)"
grep -q "SL_E_VL_BINDING_SERVICE_UNAVAILABLE" "$work/out" || die "explain (en): name missing"
grep -q "KMS client" "$work/out" || die "explain (en): English text missing"
ok "explain in English (UTF-8 bytes on a pipe)"

set +e
vexe --lang zh-TW explain 0xC004F074 > "$work/out"; rc=$?
set -e
expect_rc 0 $rc "explain (zh-TW)"
utf8_only "$work/out" "explain (zh-TW)"
grep -qF "KMS 用戶端" "$work/out" || die "explain (zh-TW): Chinese text missing or mis-encoded: $(head -c 200 "$work/out" | od -c | head -5)"
ok "explain in Traditional Chinese (UTF-8 bytes, not the console code page)"

set +e
(cd "$work" && VOLACT_LANG=zh-TW wine "$work/volact.exe" explain 0xC004F06C) > "$work/out"; rc=$?
set -e
expect_rc 0 $rc "explain with VOLACT_LANG"
grep -qF "時鐘" "$work/out" || grep -qF "時間" "$work/out" || die "VOLACT_LANG=zh-TW not honoured under Wine"
ok "VOLACT_LANG reaches the Windows process"

# UTF-16LE with BOM on standard input, as PowerShell 5.1's pipeline writes it.
printf 'Error: 0x8007232B\r\n' | iconv -f UTF-8 -t UTF-16 > "$work/stdin16.txt"
set +e
vexe explain - < "$work/stdin16.txt" > "$work/out"; rc=$?
set -e
expect_rc 0 $rc "explain - (UTF-16 stdin)"
grep -q "0x8007232B" "$work/out" || die "explain - did not read UTF-16 stdin"
ok "UTF-16LE standard input"

set +e
vexe explain > /dev/null 2>&1; rc=$?
set -e
expect_rc 2 $rc "usage error"
ok "usage error exits 2"

# scan: a UTF-16LE file with CRLF line ends and a BOM, by relative path.
printf 'slmgr said:\r\nError: 0xC004F074 The Software Licensing Service reported that the computer could not be activated.\r\n' \
  | iconv -f UTF-8 -t UTF-16 > "$work/slmgr-utf16.txt"
set +e
vexe scan slmgr-utf16.txt > "$work/out" 2> "$work/err"; rc=$?
set -e
if [ $rc -le 1 ] && grep -q "0xC004F074" "$work/out"; then
  ok "scan of a UTF-16LE CRLF file (exit $rc)"
else
  die "scan of a UTF-16LE CRLF file: exit $rc: $(head -c 400 "$work/out") $(head -c 400 "$work/err")"
fi

# events: a real Application log from ../shared (relative to the repo root, forward slashes).
evtx_rel=../shared/data/evtx/Application_no_crc32.evtx
if [ -f "$repo/$evtx_rel" ]; then
  set +e
  (cd "$repo" && wine "$work/volact.exe" events --format json "$evtx_rel") > "$work/out" 2> "$work/err"; rc=$?
  set -e
  # The file has chunks with wrong checksums, so some attention (exit 1) is expected.
  if [ $rc -le 1 ] && python3 - "$work/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["inputs"][0]["kind"] == "evtx", r["inputs"]
assert r["stats"]["records_read"] > 0, r["stats"]
print("   records read:", r["stats"]["records_read"], "activation events:", r["stats"]["events_used"])
PY
  then
    ok "events on $evtx_rel (exit $rc)"
  else
    die "events on $evtx_rel: exit $rc: $(head -c 400 "$work/out") $(head -c 400 "$work/err")"
  fi
  # Windows reads a file's chunks at their offsets with seek_read: the same report as the Linux
  # build (read_at) on the same files, one of them of many chunks.
  linux="$repo/target/debug/volact"
  [ -x "$linux" ] || cargo build --locked -p volact
  for f in "$evtx_rel" ../shared/data/evtx/system.evtx; do
    [ -f "$repo/$f" ] || die "$repo/$f is missing"
    (cd "$repo" && wine "$work/volact.exe" events --format json "$f") > "$work/win.json" 2>/dev/null || true
    (cd "$repo" && "$linux" events --format json "$f") > "$work/linux.json" 2>/dev/null || true
    if python3 - "$work/win.json" "$work/linux.json" <<'PY'
import json, sys
w, l = (json.load(open(p)) for p in sys.argv[1:3])
assert w["stats"] == l["stats"], (w["stats"], l["stats"])
assert w["other_codes"] == l["other_codes"], (w["other_codes"], l["other_codes"])
assert w["stats"]["records_read"] > 0, w["stats"]
print("   records read:", w["stats"]["records_read"], "on both")
PY
    then
      ok "events on $f: the same report as the Linux build"
    else
      die "events on $f: volact.exe and the Linux build disagree"
    fi
  done
elif [ -n "${CI:-}" ]; then
  die "CI is set but $repo/$evtx_rel is missing"
else
  echo "skip events: $repo/$evtx_rel not found next to the checkout"
fi

# Seed the throw-away Wine prefix (never a real machine) with KMS client settings and a whole key in
# BackupProductKeyDefault, as real Windows keeps it, so the real registry collector is exercised.
spp='HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\SoftwareProtectionPlatform'
wine_key=NPPR9-FWDCX-D2C8J-H872K-2YT43
(cd "$work" && wine reg.exe add "$spp" /v KeyManagementServiceName /t REG_SZ /d kms01.wine.test /f \
  && wine reg.exe add "$spp" /v KeyManagementServicePort /t REG_SZ /d 1688 /f \
  && wine reg.exe add "$spp" /v BackupProductKeyDefault /t REG_SZ /d "$wine_key" /f) > /dev/null \
  || die "cannot seed the Wine registry"

# collect: the real collectors under Wine. Wine supports the registry, the environment and
# ipconfig; it has no slmgr.vbs, no Key Management Service log and no w32tm, so those steps fail
# and are recorded as failed (exit 1). The bundle must still be written and analysable.
set +e
vexe collect --out wine-bundle.zip > "$work/out" 2> "$work/err"; rc=$?
set -e
[ $rc -eq 0 ] || [ $rc -eq 1 ] || die "collect under Wine: exit $rc: $(cat "$work/err")"
[ -s "$work/wine-bundle.zip" ] || die "collect under Wine wrote no bundle: $(cat "$work/err")"
python3 - "$work/wine-bundle.zip" <<'PY' || die "the Wine bundle is not as expected"
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
m = json.loads(z.read("manifest.json"))
assert m["format"] == "volact-bundle" and m["source"] == "windows", m
steps = {s["id"]: s for s in m["steps"]}
for sid in ("system", "slmgr-dlv", "events-application", "events-kms", "registry", "dns", "w32tm-status", "ipconfig-all"):
    assert sid in steps, sid
assert steps["system"]["status"] == "ok", steps["system"]
assert steps["registry"]["status"] == "ok", steps["registry"]
system = json.loads(z.read("system.json"))
assert system.get("computer_name"), system
reg = json.loads(z.read("registry.json"))
spp = [k for k in reg["keys"] if k["path"].endswith("SoftwareProtectionPlatform") and k["view"] == "64"][0]
values = {v["name"]: v["data"] for v in spp["values"]}
assert values["KeyManagementServiceName"] == "kms01.wine.test", values
assert values["BackupProductKeyDefault"] == "*****-*****-*****-*****-2YT43", values
assert m["keys_redacted"] >= 1, m["keys_redacted"]
for name in z.namelist():
    data = z.read(name)
    assert b"NPPR9" not in data and "NPPR9".encode("utf-16-le") not in data, name
print("   steps:", ", ".join(f'{k}={v["status"]}' for k, v in steps.items()))
PY
ok "collect under Wine wrote a bundle; registry values read, the whole key masked (exit $rc: some steps cannot run under Wine)"

set +e
vexe analyze wine-bundle.zip > "$work/out" 2> "$work/err"; rc=$?
set -e
[ $rc -le 1 ] || die "analyze (Windows build) of the Wine bundle: exit $rc: $(cat "$work/err")"
grep -q "slmgr-dlv" "$work/out" || die "analyze output lacks the step list"
ok "analyze of that bundle by volact.exe (exit $rc)"
linux="$repo/target/debug/volact"
if [ -x "$linux" ]; then
  set +e
  "$linux" analyze --format json "$work/wine-bundle.zip" > "$work/out" 2> "$work/err"; rc=$?
  set -e
  [ $rc -le 1 ] || die "analyze (Linux build) of the Wine bundle: exit $rc: $(cat "$work/err")"
  python3 - "$work/out" <<'PY' || die "analyze (Linux build) did not read the Wine registry values"
import json, sys
a = json.load(open(sys.argv[1]))
assert a["settings"]["kms_name"] == "kms01.wine.test", a["settings"]
assert a["settings"]["kms_port"] == 1688, a["settings"]
assert "NPPR9" not in open(sys.argv[1]).read()
PY
  ok "analyze of that bundle by the Linux build (exit $rc)"
fi

# The core library's own tests, compiled for Windows and run under Wine through a cargo runner that
# puts the ProcessPrng stand-in beside each test executable. (volact-collect's pass too, but its
# dev-dependencies — tokio, hickory — double the build time; the collect steps above cover it.)
cat > "$work/runner.sh" <<SH
#!/bin/sh
d=\$(dirname "\$1")
[ -f "\$d/bcryptprimitives.dll" ] || cp "$work/bcryptprimitives.dll" "\$d/"
HOME="$work/home" exec "$wine" "\$@"
SH
chmod +x "$work/runner.sh"
t1=$(date +%s)
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$work/runner.sh" \
  cargo test --locked -p volact-core --target "$win" > "$work/wtest.log" 2>&1 \
  || { tail -40 "$work/wtest.log" >&2; die "cargo test of volact-core under Wine failed"; }
grep -E "^test result" "$work/wtest.log" | sed 's/^/   /'
ok "cargo test -p volact-core for $win under Wine ($(( $(date +%s) - t1 ))s)"

# volact.exe serve under Wine: Windows sockets, the tokio runtime and the embedded page. It binds
# 127.0.0.1:0 and says where it listens on stderr; curl asks for a code in both languages, the page
# and a pasted text analysis.
(cd "$work" && HOME="$work/home" exec "$wine" "$work/volact.exe" serve --listen 127.0.0.1:0) \
  > "$work/serve.out" 2> "$work/serve.err" &
serve_pid=$!
base=""
for _ in $(seq 300); do
  base=$(grep -aoE 'http://127\.0\.0\.1:[0-9]+' "$work/serve.err" | head -1 || true)
  [ -n "$base" ] && break
  kill -0 $serve_pid 2>/dev/null || break
  sleep 0.1
done
stop_serve() { kill $serve_pid 2>/dev/null || true; wait $serve_pid 2>/dev/null || true; }
[ -n "$base" ] || { stop_serve; die "volact.exe serve did not say where it listens: $(head -c 500 "$work/serve.err")"; }
curl -fsS "$base/api/v1/codes/0xC004F074?lang=en" > "$work/code-en.json" \
  && curl -fsS "$base/api/v1/codes/c004f074?lang=zh-TW" > "$work/code-zh.json" \
  && curl -fsS "$base/" > "$work/index.html" \
  && curl -fsS -H 'Content-Type: text/plain' --data-binary 'slui failed with 0xC004F074 <script>x</script>' \
       "$base/api/v1/analyze" > "$work/analyze.json" \
  || { stop_serve; die "volact.exe serve did not answer: $(head -c 500 "$work/serve.err")"; }
stop_serve
python3 - "$work" <<'PY' || die "volact.exe serve answered wrongly"
import json, sys
w = sys.argv[1]
en = json.load(open(f"{w}/code-en.json", encoding="utf-8"))
zh = json.load(open(f"{w}/code-zh.json", encoding="utf-8"))
assert "C004F074" in json.dumps(en).upper(), en
assert json.dumps(en) != json.dumps(zh), "the two languages gave the same answer"
assert any("\u4e00" <= ch <= "\u9fff" for ch in json.dumps(zh, ensure_ascii=False)), "no Chinese in zh-TW"
assert "<html" in open(f"{w}/index.html", encoding="utf-8").read().lower()
a = json.dumps(json.load(open(f"{w}/analyze.json", encoding="utf-8")))
assert "C004F074" in a.upper(), a[:300]
PY
ok "volact.exe serve under Wine answered a code lookup in both languages, the page and a paste analysis"

echo "-- wine smoke: $pass checks passed in $(( $(date +%s) - t0 ))s"
