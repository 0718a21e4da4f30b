//! `cargo run -p xtask -- names [--check]`: the error-name tables in `crates/core/data/names/`.
//!
//! The tables are generated from the source text of windows-sys (the exact version pinned in
//! `xtask/Cargo.toml`), which `cargo metadata` locates in the local cargo registry. Nothing is
//! compiled against windows-sys: its constants are feature-gated, and reading the text keeps the
//! generator independent of the host platform.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

use anyhow::{Context as _, Result, bail, ensure};

use crate::parse::{Constant, bits32, parse_line};

/// The windows-sys version the tables are generated from; must match `xtask/Cargo.toml`.
const WINDOWS_SYS_VERSION: &str = "0.61.2";

/// Where the tables live, relative to the workspace root.
const NAMES_DIR: &str = "crates/core/data/names";

/// The command that regenerates the tables, quoted in headers and messages.
const REGENERATE: &str = "cargo run -p xtask -- names";

/// Name prefixes of the Software Licensing (SPP) codes that go to `licensing.tsv`.
const LICENSING_PREFIXES: [&str; 3] = ["SL_E_", "SL_I_", "SL_REMAPPING_"];

/// Name prefixes of WinInet's plain-`u32` error numbers that go to `win32.tsv`.
const WININET_PREFIXES: [&str; 4] = [
    "ERROR_INTERNET_",
    "ERROR_HTTP_",
    "ERROR_FTP_",
    "ERROR_GOPHER_",
];

/// Name prefixes of Win32 error numbers that windows-sys types as plain `i32` in
/// `Win32::Foundation` (e.g. `RPC_X_BAD_STUB_DATA`, `DNS_INFO_NO_RECORDS`, `OR_INVALID_OXID`, all
/// from winerror.h) rather than as `WIN32_ERROR`; they go to `win32.tsv` too.
const FOUNDATION_I32_WIN32_PREFIXES: [&str; 3] = ["DNS_", "OR_", "RPC_X_"];

/// The module windows-sys puts the WinInet constants in.
const WININET_MODULE: &str = "Win32::Networking::WinInet";

/// The module windows-sys puts `WIN32_ERROR`, `NTSTATUS` and most `HRESULT` constants in.
const FOUNDATION_MODULE: &str = "Win32::Foundation";

/// Runs the `names` task: writes the tables, or with `check` compares them with the committed ones.
pub(crate) fn run(workspace_root: &Path, check: bool) -> Result<()> {
    let windows_dir = locate_windows_sys(workspace_root)?;
    let constants = scan(&windows_dir)?;
    let tables = build_tables(&constants)?;
    let out_dir = workspace_root.join(NAMES_DIR);

    if check {
        let mut stale = Vec::new();
        for table in &tables {
            let path = out_dir.join(table.file);
            let rendered = table.render();
            let status = match fs::read_to_string(&path) {
                Ok(committed) if committed == rendered => "up to date",
                Ok(_) => {
                    stale.push(format!("{NAMES_DIR}/{} differs", table.file));
                    "DIFFERS"
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    stale.push(format!("{NAMES_DIR}/{} is missing", table.file));
                    "MISSING"
                }
                Err(err) => {
                    return Err(err).with_context(|| format!("reading {}", path.display()));
                }
            };
            println!("{}: {} rows, {status}", table.file, table.rows.len());
        }
        if !stale.is_empty() {
            bail!(
                "the name tables are out of date with windows-sys {WINDOWS_SYS_VERSION}:\n  {}\n\
                 regenerate them with `{REGENERATE}` and commit the result",
                stale.join("\n  ")
            );
        }
    } else {
        fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
        for table in &tables {
            let path = out_dir.join(table.file);
            fs::write(&path, table.render())
                .with_context(|| format!("writing {}", path.display()))?;
            println!(
                "{}: {} rows written to {NAMES_DIR}/{}",
                table.file,
                table.rows.len(),
                table.file
            );
        }
    }
    Ok(())
}

/// Finds `src/Windows` of windows-sys [`WINDOWS_SYS_VERSION`] through `cargo metadata`.
fn locate_windows_sys(workspace_root: &Path) -> Result<PathBuf> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(workspace_root)
        .output()
        .with_context(|| {
            format!(
                "running `{} metadata --format-version 1` in {}",
                cargo.to_string_lossy(),
                workspace_root.display()
            )
        })?;
    if !output.status.success() {
        bail!(
            "`cargo metadata --format-version 1` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("parsing the output of `cargo metadata`")?;
    let packages = metadata["packages"]
        .as_array()
        .context("`cargo metadata` output has no `packages` array")?;

    let mut other_versions = BTreeSet::new();
    let mut manifest_path = None;
    for package in packages.iter().filter(|p| p["name"] == "windows-sys") {
        let version = package["version"].as_str().unwrap_or("?");
        if version == WINDOWS_SYS_VERSION {
            manifest_path = Some(
                package["manifest_path"]
                    .as_str()
                    .context("windows-sys package in `cargo metadata` has no `manifest_path`")?,
            );
        } else {
            other_versions.insert(version);
        }
    }
    let Some(manifest_path) = manifest_path else {
        bail!(
            "windows-sys {WINDOWS_SYS_VERSION} not found in `cargo metadata` (other versions seen: {}); \
             it must stay a dependency of xtask (`windows-sys = {{ version = \"={WINDOWS_SYS_VERSION}\" }}` \
             in xtask/Cargo.toml)",
            if other_versions.is_empty() {
                "none".to_owned()
            } else {
                other_versions.into_iter().collect::<Vec<_>>().join(", ")
            }
        );
    };
    let crate_dir = Path::new(manifest_path)
        .parent()
        .with_context(|| format!("manifest path {manifest_path} has no parent directory"))?;
    let windows_dir = crate_dir.join("src").join("Windows");
    ensure!(
        windows_dir.join("Win32").is_dir(),
        "windows-sys {WINDOWS_SYS_VERSION} source at {} has no src/Windows/Win32 directory \
         (is the registry copy incomplete? try `cargo fetch`)",
        crate_dir.display()
    );
    Ok(windows_dir)
}

/// An integer constant together with the module it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    /// Path below `src/Windows/`, e.g. `Win32::Foundation`.
    module: String,
    /// Identifier of the constant.
    name: String,
    /// Last segment of the declared type, e.g. `HRESULT`, `WIN32_ERROR`, `u32`.
    type_name: String,
    /// Value of the literal.
    value: i128,
}

impl Found {
    fn new(module: &str, constant: &Constant<'_>) -> Self {
        Self {
            module: module.to_owned(),
            name: constant.name.to_owned(),
            type_name: constant.type_name().to_owned(),
            value: constant.value,
        }
    }
}

/// Reads every `.rs` file below `windows_dir/Win32` and keeps the integer constants that may end
/// up in a table (the rest is discarded early to keep memory small).
fn scan(windows_dir: &Path) -> Result<Vec<Found>> {
    let mut files = Vec::new();
    collect_rs_files(&windows_dir.join("Win32"), &mut files)?;
    files.sort();
    let mut found = Vec::new();
    for file in &files {
        let module = module_path(windows_dir, file)?;
        let text =
            fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        for constant in text.lines().filter_map(parse_line) {
            if category(&module, &constant).is_some() {
                found.push(Found::new(&module, &constant));
            }
        }
    }
    ensure!(
        !found.is_empty(),
        "no error constants found below {} (has the windows-sys source layout changed?)",
        windows_dir.display()
    );
    Ok(found)
}

/// Appends every `.rs` file below `dir` (recursively) to `out`.
fn collect_rs_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        let path = entry.path();
        let file_type = entry
            .file_type()
            .with_context(|| format!("inspecting {}", path.display()))?;
        if file_type.is_dir() {
            collect_rs_files(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// `src/Windows/Win32/Foundation/mod.rs` → `Win32::Foundation` (a non-`mod.rs` file adds its stem).
fn module_path(windows_dir: &Path, file: &Path) -> Result<String> {
    let relative = file
        .strip_prefix(windows_dir)
        .with_context(|| format!("{} is not below {}", file.display(), windows_dir.display()))?;
    let mut parts: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if relative.file_name().is_some_and(|n| n != "mod.rs")
        && let Some(stem) = relative.file_stem()
    {
        parts.push(stem.to_string_lossy().into_owned());
    }
    Ok(parts.join("::"))
}

/// Which table a constant belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    /// `SL_E_*`, `SL_I_*`, `SL_REMAPPING_*` typed `HRESULT`, any module.
    Licensing,
    /// A Win32 error number (`WIN32_ERROR`, `WSA_ERROR`, `RPC_STATUS`, WinInet `u32` errors,
    /// Foundation's `i32` `RPC_X_*`, `DNS_*`, `OR_*`).
    Win32,
    /// Any other `HRESULT` of `Win32::Foundation`.
    Hresult,
    /// `NTSTATUS` of `Win32::Foundation`.
    Ntstatus,
    /// `FACILITY_CODE` (HRESULT facilities).
    FacilityHresult,
    /// `NTSTATUS_FACILITY_CODE`.
    FacilityNtstatus,
}

/// Classifies a constant, or `None` when no table wants it.
fn category(module: &str, constant: &Constant<'_>) -> Option<Category> {
    let name = constant.name;
    match constant.type_name() {
        "HRESULT" if LICENSING_PREFIXES.iter().any(|p| name.starts_with(p)) => {
            Some(Category::Licensing)
        }
        "HRESULT" if module == FOUNDATION_MODULE => Some(Category::Hresult),
        "WIN32_ERROR" | "WSA_ERROR" | "RPC_STATUS" => Some(Category::Win32),
        "u32"
            if module == WININET_MODULE && WININET_PREFIXES.iter().any(|p| name.starts_with(p)) =>
        {
            Some(Category::Win32)
        }
        "i32"
            if module == FOUNDATION_MODULE
                && FOUNDATION_I32_WIN32_PREFIXES
                    .iter()
                    .any(|p| name.starts_with(p)) =>
        {
            Some(Category::Win32)
        }
        "NTSTATUS" if module == FOUNDATION_MODULE => Some(Category::Ntstatus),
        "FACILITY_CODE" => Some(Category::FacilityHresult),
        "NTSTATUS_FACILITY_CODE" => Some(Category::FacilityNtstatus),
        _ => None,
    }
}

/// One output row: sort keys plus the cells as written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    /// Leading text sort key (the `kind` of `facility.tsv`, empty elsewhere).
    group: &'static str,
    /// Numeric sort key (the unsigned 32-bit pattern for hex tables).
    value: i128,
    /// Constant name, second sort key and deduplication key.
    name: String,
    /// Module, kept for the first (alphabetically) module defining `name` = `value`.
    module: String,
    /// Tab-separated cells.
    cells: Vec<String>,
}

/// One output file.
#[derive(Debug)]
struct Table {
    /// File name inside [`NAMES_DIR`].
    file: &'static str,
    /// Column names.
    columns: &'static [&'static str],
    /// Rows, sorted and deduplicated by [`Table::finish`].
    rows: Vec<Row>,
}

impl Table {
    fn new(file: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            file,
            columns,
            rows: Vec::new(),
        }
    }

    /// Sorts by group, value, name (then module) and drops repeated name + value pairs.
    fn finish(mut self) -> Result<Self> {
        self.rows.sort_by(|a, b| {
            (a.group, a.value, &a.name, &a.module).cmp(&(b.group, b.value, &b.name, &b.module))
        });
        self.rows
            .dedup_by(|b, a| a.group == b.group && a.value == b.value && a.name == b.name);
        ensure!(
            !self.rows.is_empty(),
            "{} would be empty; has windows-sys changed?",
            self.file
        );
        Ok(self)
    }

    /// The file's text: header comments, then one line per row, LF line ends.
    fn render(&self) -> String {
        let modules: BTreeSet<&str> = self.rows.iter().map(|r| r.module.as_str()).collect();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# generated by `{REGENERATE}` from windows-sys {WINDOWS_SYS_VERSION} ({}); do not edit",
            modules.into_iter().collect::<Vec<_>>().join(", ")
        );
        let _ = writeln!(out, "# columns: {}", self.columns.join("\t"));
        for row in &self.rows {
            out.push_str(&row.cells.join("\t"));
            out.push('\n');
        }
        out
    }
}

/// Formats a 32-bit code as `0x%08X`, failing for values that are not 32-bit.
fn hex_row(c: &Found) -> Result<Row> {
    let bits = bits32(c.value).with_context(|| {
        format!(
            "{} in {} has value {}, which is not 32-bit",
            c.name, c.module, c.value
        )
    })?;
    Ok(Row {
        group: "",
        value: i128::from(bits),
        name: c.name.clone(),
        module: c.module.clone(),
        cells: vec![format!("0x{bits:08X}"), c.name.clone(), c.module.clone()],
    })
}

/// Splits the constants into the five tables.
fn build_tables(constants: &[Found]) -> Result<Vec<Table>> {
    const VALUE_NAME_MODULE: &[&str] = &["value", "name", "module"];
    let mut licensing = Table::new("licensing.tsv", VALUE_NAME_MODULE);
    let mut win32 = Table::new("win32.tsv", VALUE_NAME_MODULE);
    let mut hresult = Table::new("hresult.tsv", VALUE_NAME_MODULE);
    let mut ntstatus = Table::new("ntstatus.tsv", VALUE_NAME_MODULE);
    let mut facility = Table::new("facility.tsv", &["kind", "value", "name"]);

    for c in constants {
        let constant = Constant {
            name: &c.name,
            ty: &c.type_name,
            value: c.value,
        };
        let Some(category) = category(&c.module, &constant) else {
            continue;
        };
        match category {
            Category::Licensing => licensing.rows.push(hex_row(c)?),
            Category::Hresult => hresult.rows.push(hex_row(c)?),
            Category::Ntstatus => ntstatus.rows.push(hex_row(c)?),
            Category::Win32 => {
                if (0..=65535).contains(&c.value) {
                    win32.rows.push(Row {
                        group: "",
                        value: c.value,
                        name: c.name.clone(),
                        module: c.module.clone(),
                        cells: vec![c.value.to_string(), c.name.clone(), c.module.clone()],
                    });
                }
            }
            Category::FacilityHresult | Category::FacilityNtstatus => {
                let kind = if category == Category::FacilityHresult {
                    "hresult"
                } else {
                    "ntstatus"
                };
                facility.rows.push(Row {
                    group: kind,
                    value: c.value,
                    name: c.name.clone(),
                    module: c.module.clone(),
                    cells: vec![kind.to_owned(), c.value.to_string(), c.name.clone()],
                });
            }
        }
    }

    let licensing = licensing.finish()?;
    let in_licensing: HashSet<(&str, i128)> = licensing
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.value))
        .collect();
    hresult
        .rows
        .retain(|r| !in_licensing.contains(&(r.name.as_str(), r.value)));

    Ok(vec![
        licensing,
        win32.finish()?,
        hresult.finish()?,
        ntstatus.finish()?,
        facility.finish()?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(module: &str, line: &str) -> Found {
        Found::new(module, &parse_line(line).expect(line))
    }

    #[test]
    fn tables_are_classified_sorted_and_deduplicated() {
        let constants = [
            found(
                "Win32::Security::Authentication::Identity",
                "pub const SL_E_VL_BINDING_SERVICE_UNAVAILABLE: windows_sys::core::HRESULT = 0xC004F074_u32 as _;",
            ),
            found(
                "Win32::Security::Authentication::Identity",
                "pub const SL_I_OOB_GRACE_PERIOD: windows_sys::core::HRESULT = 0x4004F00C_u32 as _;",
            ),
            found(
                FOUNDATION_MODULE,
                "pub const E_FAIL: windows_sys::core::HRESULT = 0x80004005_u32 as _;",
            ),
            found(
                FOUNDATION_MODULE,
                "pub const RPC_S_SERVER_UNAVAILABLE: WIN32_ERROR = 1722u32;",
            ),
            found(
                "Win32::System::Rpc",
                "pub const RPC_S_SERVER_UNAVAILABLE: RPC_STATUS = 1722i32;",
            ),
            found(
                FOUNDATION_MODULE,
                "pub const ERROR_ACCESS_DENIED: WIN32_ERROR = 5u32;",
            ),
            found(
                FOUNDATION_MODULE,
                "pub const RPC_X_BAD_STUB_DATA: i32 = 1783i32;",
            ),
            found(
                FOUNDATION_MODULE,
                "pub const RPC_X_NO_MEMORY: i32 = -1073741801i32;",
            ),
            found(
                FOUNDATION_MODULE,
                "pub const PEERDIST_ERROR_MISSING_DATA: i32 = 4050i32;",
            ),
            found(
                WININET_MODULE,
                "pub const INTERNET_DEFAULT_PORT: u32 = 0u32;",
            ),
            found(
                FOUNDATION_MODULE,
                "pub const ERROR_BAD_SECTION_NAME_LINE: WIN32_ERROR = 3758096385u32;",
            ),
            found(
                WININET_MODULE,
                "pub const ERROR_INTERNET_NAME_NOT_RESOLVED: u32 = 12007u32;",
            ),
            found(
                FOUNDATION_MODULE,
                "pub const RPC_NT_SERVER_UNAVAILABLE: NTSTATUS = 0xC0020017_u32 as _;",
            ),
            found(
                FOUNDATION_MODULE,
                "pub const FACILITY_WIN32K_NTGDI: NTSTATUS_FACILITY_CODE = 63u32;",
            ),
            found(
                "Win32::System::Diagnostics::Debug",
                "pub const FACILITY_WIN32: FACILITY_CODE = 7u32;",
            ),
        ];
        let tables = build_tables(&constants).unwrap();
        let text: Vec<String> = tables.iter().map(Table::render).collect();
        assert_eq!(
            text[0],
            "# generated by `cargo run -p xtask -- names` from windows-sys 0.61.2 \
             (Win32::Security::Authentication::Identity); do not edit\n\
             # columns: value\tname\tmodule\n\
             0x4004F00C\tSL_I_OOB_GRACE_PERIOD\tWin32::Security::Authentication::Identity\n\
             0xC004F074\tSL_E_VL_BINDING_SERVICE_UNAVAILABLE\tWin32::Security::Authentication::Identity\n"
        );
        assert!(text[1].contains("(Win32::Foundation, Win32::Networking::WinInet); do not edit\n"));
        assert_eq!(text[1].lines().count(), 2 + 4);
        assert!(text[1].ends_with(
            "5\tERROR_ACCESS_DENIED\tWin32::Foundation\n\
             1722\tRPC_S_SERVER_UNAVAILABLE\tWin32::Foundation\n\
             1783\tRPC_X_BAD_STUB_DATA\tWin32::Foundation\n\
             12007\tERROR_INTERNET_NAME_NOT_RESOLVED\tWin32::Networking::WinInet\n"
        ));
        assert!(text[2].ends_with("\n0x80004005\tE_FAIL\tWin32::Foundation\n"));
        assert!(text[3].ends_with("\n0xC0020017\tRPC_NT_SERVER_UNAVAILABLE\tWin32::Foundation\n"));
        assert!(text[4].ends_with(
            "# columns: kind\tvalue\tname\nhresult\t7\tFACILITY_WIN32\nntstatus\t63\tFACILITY_WIN32K_NTGDI\n"
        ));
    }

    #[test]
    fn module_paths() {
        let root = Path::new("/x/src/Windows");
        assert_eq!(
            module_path(root, Path::new("/x/src/Windows/Win32/Foundation/mod.rs")).unwrap(),
            "Win32::Foundation"
        );
        assert_eq!(
            module_path(root, Path::new("/x/src/Windows/Win32/System/Rpc/extra.rs")).unwrap(),
            "Win32::System::Rpc::extra"
        );
    }
}
