//! The real collectors, for a live Windows machine. Each one only reads: `slmgr.vbs /dlv all`,
//! `wevtutil epl` into a private temporary folder (removed afterwards), registry reads with
//! `KEY_READ`, and `w32tm /query /status` and `ipconfig /all`, which report without changing
//! anything.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use winreg::RegKey;
use winreg::enums::{HKEY_LOCAL_MACHINE, HKEY_USERS, KEY_READ, KEY_WOW64_32KEY, KEY_WOW64_64KEY};

use crate::collector::{Captured, CapturedFile, Collector, Content};
use crate::manifest::{FileKind, StepStatus};
use crate::model::{Adapter, DnsConfig, RegKey as DumpKey, RegValue, RegistryDump, SystemInfo};
use crate::process;

const SPP: &str = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\SoftwareProtectionPlatform";
const TCPIP: &str = r"SYSTEM\CurrentControlSet\Services\Tcpip\Parameters";
const NETWORK_CLASS: &str =
    r"SYSTEM\CurrentControlSet\Control\Network\{4D36E972-E325-11CE-BFC1-08002BE10318}";
/// `ERROR_EVT_CHANNEL_NOT_FOUND`: the log does not exist (no KMS host role).
const CHANNEL_NOT_FOUND: i32 = 15007;

/// The collectors for this machine, in the order they run.
pub fn collectors() -> Vec<Box<dyn Collector>> {
    let oem = oem_code_page();
    vec![
        Box::new(System),
        Box::new(Slmgr { oem }),
        Box::new(EventLog {
            id: "events-application",
            channel: "Application",
            query: Some(
                "*[System[Provider[@Name='Microsoft-Windows-Security-SPP' or @Name='Microsoft-Windows-Security-Licensing-SLC']]]",
            ),
            file: "events/application-spp.evtx",
        }),
        Box::new(EventLog {
            id: "events-kms",
            channel: "Key Management Service",
            query: None,
            file: "events/key-management-service.evtx",
        }),
        Box::new(Registry),
        Box::new(Dns),
        Box::new(Tool {
            id: "w32tm-status",
            program: "w32tm.exe",
            args: &["/query", "/status"],
            file: "w32tm-status.txt",
            oem,
        }),
        Box::new(Tool {
            id: "ipconfig-all",
            program: "ipconfig.exe",
            args: &["/all"],
            file: "ipconfig-all.txt",
            oem,
        }),
    ]
}

fn system32() -> PathBuf {
    let root = std::env::var_os("SystemRoot")
        .or_else(|| std::env::var_os("windir"))
        .map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from);
    root.join("System32")
}

fn hklm(path: &str) -> std::io::Result<RegKey> {
    RegKey::predef(HKEY_LOCAL_MACHINE).open_subkey_with_flags(path, KEY_READ | KEY_WOW64_64KEY)
}

fn string(key: &RegKey, name: &str) -> Option<String> {
    key.get_value::<String, _>(name)
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn oem_code_page() -> Option<u32> {
    let k = hklm(r"SYSTEM\CurrentControlSet\Control\Nls\CodePage").ok()?;
    string(&k, "OEMCP")?.parse().ok()
}

fn json_file(name: &str, kind: FileKind, v: &impl serde::Serialize) -> CapturedFile {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    CapturedFile {
        name: name.to_owned(),
        kind,
        content: Content::Text(s, None),
    }
}

fn run_tool(
    cmd: Command,
    limit: Duration,
    oem: Option<u32>,
    name: &str,
    kind: FileKind,
) -> Captured {
    match process::run(cmd, limit) {
        Err(e) => Captured::failed(format!("cannot start: {e}")),
        Ok(o) => {
            let d = crate::text::decode(&o.stdout, oem.and_then(crate::text::code_page));
            let err = crate::text::decode(&o.stderr, oem.and_then(crate::text::code_page)).text;
            let mut c = Captured {
                exit_code: o.exit_code,
                stderr: Some(err.clone()),
                ..Captured::default()
            };
            if o.timed_out {
                c.status = Some(StepStatus::Failed);
                c.error = Some(format!("no answer within {} s; stopped", limit.as_secs()));
            } else if o.exit_code != Some(0) {
                c.status = Some(StepStatus::Failed);
                c.error = Some(exit_message(o.exit_code, &err));
            }
            if o.truncated {
                c.error = Some(format!(
                    "output longer than {} bytes was cut",
                    process::MAX_OUTPUT
                ));
            }
            if !d.text.trim().is_empty() {
                c.files.push(CapturedFile {
                    name: name.to_owned(),
                    kind,
                    content: Content::Text(d.text, Some(d.encoding)),
                });
            }
            c
        }
    }
}

/// `exit code N: <first line of standard error>`.
fn exit_message(code: Option<i32>, stderr: &str) -> String {
    let code = code.map_or_else(|| "none (killed)".to_owned(), |c| c.to_string());
    match stderr.lines().map(str::trim).find(|l| !l.is_empty()) {
        Some(line) => format!("exit code {code}: {line}"),
        None => format!("exit code {code}"),
    }
}

struct Slmgr {
    oem: Option<u32>,
}

impl Collector for Slmgr {
    fn id(&self) -> &str {
        "slmgr-dlv"
    }

    fn command(&self) -> String {
        r"cscript.exe //nologo //U %SystemRoot%\System32\slmgr.vbs /dlv all".into()
    }

    fn collect(&self) -> Captured {
        let dir = system32();
        let mut cmd = Command::new(dir.join("cscript.exe"));
        cmd.arg("//nologo")
            .arg("//U")
            .arg(dir.join("slmgr.vbs"))
            .args(["/dlv", "all"]);
        // `//U` makes cscript write UTF-16LE, so localised output survives any code page.
        run_tool(
            cmd,
            Duration::from_secs(300),
            self.oem,
            "slmgr-dlv.txt",
            FileKind::Slmgr,
        )
    }
}

struct Tool {
    id: &'static str,
    program: &'static str,
    args: &'static [&'static str],
    file: &'static str,
    oem: Option<u32>,
}

impl Collector for Tool {
    fn id(&self) -> &str {
        self.id
    }

    fn command(&self) -> String {
        format!("{} {}", self.program, self.args.join(" "))
    }

    fn collect(&self) -> Captured {
        let mut cmd = Command::new(system32().join(self.program));
        cmd.args(self.args);
        run_tool(
            cmd,
            Duration::from_secs(60),
            self.oem,
            self.file,
            FileKind::Text,
        )
    }
}

struct EventLog {
    id: &'static str,
    channel: &'static str,
    query: Option<&'static str>,
    file: &'static str,
}

impl Collector for EventLog {
    fn id(&self) -> &str {
        self.id
    }

    fn command(&self) -> String {
        match self.query {
            Some(q) => format!(
                "wevtutil.exe epl \"{}\" <temp>.evtx /q:\"{q}\"",
                self.channel
            ),
            None => format!("wevtutil.exe epl \"{}\" <temp>.evtx", self.channel),
        }
    }

    fn collect(&self) -> Captured {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("volact-collect-{}-{nanos}", std::process::id()));
        if let Err(e) = std::fs::create_dir(&dir) {
            return Captured::failed(format!("cannot create {}: {e}", dir.display()));
        }
        let target = dir.join("export.evtx");
        let mut cmd = Command::new(system32().join("wevtutil.exe"));
        cmd.arg("epl").arg(self.channel).arg(&target);
        if let Some(q) = self.query {
            cmd.arg(format!("/q:{q}"));
        }
        let mut c = match process::run(cmd, Duration::from_secs(300)) {
            Err(e) => Captured::failed(format!("cannot start wevtutil: {e}")),
            Ok(o) => {
                let stderr = crate::text::decode(&o.stderr, None).text;
                let mut c = Captured {
                    exit_code: o.exit_code,
                    stderr: Some(stderr),
                    ..Captured::default()
                };
                let missing = o.exit_code == Some(CHANNEL_NOT_FOUND)
                    || c.stderr.as_deref().is_some_and(|e| {
                        e.contains("15007") || e.contains("channel could not be found")
                    });
                if missing {
                    c.status = Some(StepStatus::NotApplicable);
                    c.error = Some(format!(
                        "no \"{}\" log on this machine (it exists on KMS hosts only)",
                        self.channel
                    ));
                } else if o.exit_code != Some(0) {
                    c.status = Some(StepStatus::Failed);
                    c.error = Some(format!(
                        "{} (exporting may need an elevated prompt)",
                        exit_message(o.exit_code, c.stderr.as_deref().unwrap_or(""))
                    ));
                } else {
                    match std::fs::read(&target) {
                        Ok(bytes) => c.files.push(CapturedFile {
                            name: self.file.to_owned(),
                            kind: FileKind::Evtx,
                            content: Content::Binary(bytes),
                        }),
                        Err(e) => {
                            c.status = Some(StepStatus::Failed);
                            c.error = Some(format!("wevtutil wrote no readable file: {e}"));
                        }
                    }
                }
                c
            }
        };
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            let note = format!(
                "could not remove the temporary folder {}: {e}",
                dir.display()
            );
            c.error = Some(c.error.map_or(note.clone(), |x| format!("{x}; {note}")));
        }
        c
    }
}

struct System;

impl Collector for System {
    fn id(&self) -> &str {
        "system"
    }

    fn command(&self) -> String {
        r"environment (COMPUTERNAME, USERDNSDOMAIN, USERDOMAIN); registry HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion".into()
    }

    fn collect(&self) -> Captured {
        let env = |n: &str| std::env::var(n).ok().filter(|s| !s.is_empty());
        let mut info = SystemInfo {
            computer_name: env("COMPUTERNAME"),
            user_dns_domain: env("USERDNSDOMAIN"),
            user_domain: env("USERDOMAIN"),
            oem_code_page: oem_code_page(),
            ..SystemInfo::default()
        };
        let mut error = None;
        match hklm(r"SOFTWARE\Microsoft\Windows NT\CurrentVersion") {
            Ok(k) => {
                info.product_name = string(&k, "ProductName");
                info.edition_id = string(&k, "EditionID");
                info.display_version = string(&k, "DisplayVersion");
                info.installation_type = string(&k, "InstallationType");
                let ubr = k.get_value::<u32, _>("UBR").ok();
                info.build = string(&k, "CurrentBuild")
                    .map(|b| ubr.map_or(b.clone(), |u| format!("{b}.{u}")));
            }
            Err(e) => error = Some(format!("CurrentVersion: {e}")),
        }
        Captured {
            files: vec![json_file("system.json", FileKind::System, &info)],
            error,
            ..Captured::default()
        }
    }
}

struct Registry;

/// Keys read: the SPP key in both views, its NetworkService copy, Windows Time.
const REGISTRY_KEYS: &[(&str, &str, &str)] = &[
    ("HKLM", SPP, "64"),
    ("HKLM", SPP, "32"),
    (
        "HKU",
        r"S-1-5-20\SOFTWARE\Microsoft\Windows NT\CurrentVersion\SoftwareProtectionPlatform",
        "default",
    ),
    (
        "HKLM",
        r"SOFTWARE\Policies\Microsoft\Windows NT\CurrentVersion\Software Protection Platform",
        "64",
    ),
    (
        "HKLM",
        r"SYSTEM\CurrentControlSet\Services\W32Time\Parameters",
        "64",
    ),
    (
        "HKLM",
        r"SYSTEM\CurrentControlSet\Services\W32Time\TimeProviders\NtpClient",
        "64",
    ),
];

impl Collector for Registry {
    fn id(&self) -> &str {
        "registry"
    }

    fn command(&self) -> String {
        let keys: Vec<String> = REGISTRY_KEYS
            .iter()
            .map(|(h, p, v)| format!("{h}\\{p} ({v})"))
            .collect();
        format!(
            "read (KEY_READ), with two levels of subkeys: {}",
            keys.join("; ")
        )
    }

    fn collect(&self) -> Captured {
        let mut dump = RegistryDump::default();
        for (hive, path, view) in REGISTRY_KEYS {
            let (root, flags) = match (*hive, *view) {
                ("HKU", _) => (RegKey::predef(HKEY_USERS), KEY_READ),
                (_, "32") => (
                    RegKey::predef(HKEY_LOCAL_MACHINE),
                    KEY_READ | KEY_WOW64_32KEY,
                ),
                _ => (
                    RegKey::predef(HKEY_LOCAL_MACHINE),
                    KEY_READ | KEY_WOW64_64KEY,
                ),
            };
            read_tree(&root, flags, hive, path, view, 0, &mut dump);
        }
        let refused: Vec<&str> = dump
            .keys
            .iter()
            .filter(|k| k.error.is_some())
            .map(|k| k.path.as_str())
            .collect();
        // The step still succeeded; the note tells the user what an elevated run would add.
        let error = (!refused.is_empty()).then(|| {
            format!(
                "could not read {} (usually access denied: run elevated to include them)",
                refused.join(", ")
            )
        });
        Captured {
            status: Some(StepStatus::Ok),
            files: vec![json_file("registry.json", FileKind::Registry, &dump)],
            error,
            ..Captured::default()
        }
    }
}

fn read_tree(
    root: &RegKey,
    flags: u32,
    hive: &str,
    path: &str,
    view: &str,
    depth: usize,
    dump: &mut RegistryDump,
) {
    if dump.keys.len() >= 500 {
        return;
    }
    let full = format!("{hive}\\{path}");
    match root.open_subkey_with_flags(path, flags) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => dump.keys.push(DumpKey {
            path: full,
            view: view.into(),
            exists: false,
            error: None,
            values: vec![],
        }),
        Err(e) => dump.keys.push(DumpKey {
            path: full,
            view: view.into(),
            exists: true,
            error: Some(e.to_string()),
            values: vec![],
        }),
        Ok(k) => {
            let values = k
                .enum_values()
                .filter_map(Result::ok)
                .map(|(name, v)| {
                    let (ty, data) = crate::regdata::convert(v.vtype as u32, &v.bytes);
                    RegValue { name, ty, data }
                })
                .collect();
            dump.keys.push(DumpKey {
                path: full,
                view: view.into(),
                exists: true,
                error: None,
                values,
            });
            if depth < 2 {
                let subs: Vec<String> = k.enum_keys().filter_map(Result::ok).collect();
                for s in subs {
                    read_tree(
                        root,
                        flags,
                        hive,
                        &format!("{path}\\{s}"),
                        view,
                        depth + 1,
                        dump,
                    );
                }
            }
        }
    }
}

struct Dns;

impl Collector for Dns {
    fn id(&self) -> &str {
        "dns"
    }

    fn command(&self) -> String {
        format!(
            r"registry HKLM\{TCPIP} (Domain, NV Domain, SearchList, Interfaces\*), HKLM\SOFTWARE\Policies\Microsoft\Windows NT\DNSClient (SearchList), HKLM\{NETWORK_CLASS}\*\Connection (Name)"
        )
    }

    fn collect(&self) -> Captured {
        let mut cfg = DnsConfig {
            search_list_source: "none".into(),
            ..DnsConfig::default()
        };
        let split = |s: String| -> Vec<String> {
            s.split([',', ' ', ';'])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let policy_primary = hklm(r"SOFTWARE\Policies\Microsoft\System\DNSClient")
            .ok()
            .and_then(|k| string(&k, "NV PrimaryDnsSuffix"));
        let policy_list = hklm(r"SOFTWARE\Policies\Microsoft\Windows NT\DNSClient")
            .ok()
            .and_then(|k| string(&k, "SearchList"))
            .map(split)
            .filter(|l| !l.is_empty());
        let mut error = None;
        match hklm(TCPIP) {
            Err(e) => error = Some(format!("{TCPIP}: {e}")),
            Ok(k) => {
                cfg.primary_suffix = policy_primary
                    .or_else(|| string(&k, "NV Domain"))
                    .or_else(|| string(&k, "Domain"));
                if let Some(l) = policy_list {
                    cfg.search_list = l;
                    cfg.search_list_source = "policy".into();
                } else if let Some(l) = string(&k, "SearchList")
                    .map(split)
                    .filter(|l| !l.is_empty())
                {
                    cfg.search_list = l;
                    cfg.search_list_source = "local".into();
                }
                if let Ok(ifs) = k.open_subkey_with_flags("Interfaces", KEY_READ) {
                    for id in ifs.enum_keys().filter_map(Result::ok).take(256) {
                        let Ok(i) = ifs.open_subkey_with_flags(&id, KEY_READ) else {
                            continue;
                        };
                        let fixed = string(&i, "NameServer").map(split).unwrap_or_default();
                        let dhcp = string(&i, "DhcpNameServer").map(split).unwrap_or_default();
                        let suffix = string(&i, "Domain").or_else(|| string(&i, "DhcpDomain"));
                        if fixed.is_empty() && dhcp.is_empty() && suffix.is_none() {
                            continue;
                        }
                        let name = hklm(&format!(r"{NETWORK_CLASS}\{id}\Connection"))
                            .ok()
                            .and_then(|c| string(&c, "Name"));
                        let from_dhcp = fixed.is_empty() && !dhcp.is_empty();
                        cfg.adapters.push(Adapter {
                            id,
                            name,
                            suffix,
                            dns_servers: if fixed.is_empty() { dhcp } else { fixed },
                            dhcp: from_dhcp,
                        });
                    }
                }
            }
        }
        Captured {
            files: vec![json_file("dns.json", FileKind::Dns, &cfg)],
            error,
            ..Captured::default()
        }
    }
}
