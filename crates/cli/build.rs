//! Windows resources for `volact.exe`: version information (what Explorer's Details tab and
//! `(Get-Item volact.exe).VersionInfo` show) and an application manifest that asks for no
//! elevation (`asInvoker`) and declares Windows 10/11 support and long paths.
//!
//! Only when the *target* is Windows with the GNU toolchain: the resource script is generated into
//! `OUT_DIR` with the crate version and compiled by mingw-w64's `windres` into a COFF object that
//! is linked into the binary. On every other target this script does nothing. Without `windres`
//! the build still succeeds, with a warning, and the exe simply has no version information.
//! `VOLACT_WINDRES` overrides the windres program.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=VOLACT_WINDRES");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "windows" {
        return;
    }
    if env != "gnu" {
        println!(
            "cargo:warning=volact.exe version information is built only for *-windows-gnu targets"
        );
        return;
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_else(|_| "0.0.0".into());
    let mut nums: Vec<u16> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    nums.resize(4, 0);
    let commas = format!("{},{},{},{}", nums[0], nums[1], nums[2], nums[3]);
    let description = std::env::var("CARGO_PKG_DESCRIPTION").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let manifest_arch = match arch.as_str() {
        "x86" => "x86",
        "aarch64" => "arm64",
        _ => "amd64",
    };
    let manifest = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="volact" version="{dotted}" processorArchitecture="{manifest_arch}"/>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security><requestedPrivileges><requestedExecutionLevel level="asInvoker" uiAccess="false"/></requestedPrivileges></security>
  </trustInfo>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application><supportedOS Id="{{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}}"/></application>
  </compatibility>
  <application xmlns="urn:schemas-microsoft-com:asm.v3">
    <windowsSettings><longPathAware xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">true</longPathAware></windowsSettings>
  </application>
</assembly>
"#,
        dotted = commas.replace(',', "."),
    );
    let manifest_path = out.join("volact.exe.manifest");
    std::fs::write(&manifest_path, manifest).expect("write the manifest into OUT_DIR");
    let rc = format!(
        r#"#pragma code_page(65001)
1 VERSIONINFO
FILEVERSION {commas}
PRODUCTVERSION {commas}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "CompanyName", "volact"
      VALUE "FileDescription", "{description}"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "volact"
      VALUE "LegalCopyright", "MIT OR Apache-2.0"
      VALUE "OriginalFilename", "volact.exe"
      VALUE "ProductName", "volact"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
1 24 "{manifest}"
"#,
        description = description.replace('"', "'"),
        manifest = manifest_path.display().to_string().replace('\\', "/"),
    );
    let rc_path = out.join("volact.rc");
    std::fs::write(&rc_path, rc).expect("write the resource script into OUT_DIR");
    let windres = std::env::var("VOLACT_WINDRES").unwrap_or_else(|_| {
        let prefix = match arch.as_str() {
            "x86" => "i686",
            a => a,
        };
        format!("{prefix}-w64-mingw32-windres")
    });
    let obj = out.join("volact-resources.o");
    let status = Command::new(&windres)
        .arg("--input")
        .arg(&rc_path)
        .arg("--output-format=coff")
        .arg("--output")
        .arg(&obj)
        .status();
    match status {
        Ok(s) if s.success() => {
            println!("cargo:rustc-link-arg-bins={}", obj.display());
        }
        Ok(s) => println!(
            "cargo:warning={windres} failed ({s}); volact.exe is built without version information"
        ),
        Err(e) => println!(
            "cargo:warning=cannot run {windres} ({e}); volact.exe is built without version information (install mingw-w64)"
        ),
    }
}
