//! Bilingual wording of findings, and the next commands to run.

use volact_core::Lang;

use crate::model::NextCommand;
use crate::target::Target;

/// Picks the text for the language.
pub(crate) fn tr(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_owned(),
        Lang::ZhTw => zh.to_owned(),
    }
}

const SLMGR: &str = r"cscript //nologo %windir%\system32\slmgr.vbs";

fn cmd(on: &'static str, run: String, lang: Lang, en: &str, zh: &str) -> NextCommand {
    NextCommand {
        on,
        run,
        purpose: tr(lang, en, zh),
    }
}

/// Point the client at a host explicitly.
pub(crate) fn skms(target: &str, lang: Lang) -> NextCommand {
    cmd(
        "client",
        format!("{SLMGR} /skms {target}"),
        lang,
        "Point this client at the KMS host explicitly (skips DNS discovery).",
        "直接指定此用戶端使用的 KMS 主機（不經 DNS 自動探索）。",
    )
}

/// Activate after fixing.
pub(crate) fn ato(lang: Lang) -> NextCommand {
    cmd(
        "client",
        format!("{SLMGR} /ato"),
        lang,
        "Try activation again once the finding is fixed.",
        "修正問題後，再次嘗試啟用。",
    )
}

/// Look the SRV record up the way Windows does.
pub(crate) fn nslookup_srv(domain: &str, dns_server: Option<&str>, lang: Lang) -> NextCommand {
    let run = match dns_server {
        Some(s) => format!("nslookup -type=srv _vlmcs._tcp.{domain} {s}"),
        None => format!("nslookup -type=srv _vlmcs._tcp.{domain}"),
    };
    cmd(
        "client",
        run,
        lang,
        "Look up the KMS SRV record from the client, as discovery does.",
        "在用戶端查詢 KMS 的 SRV 記錄，與自動探索的查詢相同。",
    )
}

/// Force the SRV lookup domain.
pub(crate) fn skms_domain(domain: &str, lang: Lang) -> NextCommand {
    cmd(
        "client",
        format!("{SLMGR} /skms-domain {domain}"),
        lang,
        "Make the client search this domain for KMS SRV records.",
        "讓用戶端在這個網域搜尋 KMS 的 SRV 記錄。",
    )
}

/// The client's DNS configuration.
pub(crate) fn ipconfig(lang: Lang) -> NextCommand {
    cmd(
        "client",
        "ipconfig /all".into(),
        lang,
        "Show the DNS servers and suffix search list the client uses.",
        "顯示用戶端使用的 DNS 伺服器與尾碼搜尋清單。",
    )
}

/// Check the DNS server is reachable.
pub(crate) fn dns_port(server: &str, lang: Lang) -> NextCommand {
    cmd(
        "client",
        format!("Test-NetConnection {server} -Port 53"),
        lang,
        "PowerShell: check that the DNS server answers on port 53.",
        "PowerShell：確認 DNS 伺服器的 53 埠可以連線。",
    )
}

/// Check the host publishes its record.
pub(crate) fn host_publishing(lang: Lang) -> NextCommand {
    cmd(
        "kms-host",
        r#"reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\SoftwareProtectionPlatform" /v DisableDnsPublishing"#.into(),
        lang,
        "On the KMS host: check that DNS publishing of the SRV record is not turned off.",
        "在 KMS 主機上：確認沒有關閉 SRV 記錄的 DNS 發佈。",
    )
}

/// Test the port from the client.
pub(crate) fn test_port(host: &str, port: u16, lang: Lang) -> NextCommand {
    cmd(
        "client",
        format!("Test-NetConnection {host} -Port {port}"),
        lang,
        "PowerShell: check the KMS port from the client; look at TcpTestSucceeded.",
        "PowerShell：從用戶端測試 KMS 連接埠；查看 TcpTestSucceeded。",
    )
}

/// Open the firewall on the host.
pub(crate) fn firewall(lang: Lang) -> NextCommand {
    cmd(
        "kms-host",
        r#"netsh advfirewall firewall set rule name="Key Management Service (TCP-In)" new enable=yes"#
            .into(),
        lang,
        "On the KMS host: enable the firewall exception for the Key Management Service.",
        "在 KMS 主機上：啟用金鑰管理服務的防火牆例外。",
    )
}

/// Who listens on the port.
pub(crate) fn netstat(port: u16, lang: Lang) -> NextCommand {
    cmd(
        "kms-host",
        format!("netstat -ano | findstr :{port}"),
        lang,
        "On the host: see which process listens on the port.",
        "在主機上：查看哪個處理程序在這個連接埠接聽。",
    )
}

/// KMS host status.
pub(crate) fn dlv(lang: Lang) -> NextCommand {
    cmd(
        "kms-host",
        format!("{SLMGR} /dlv"),
        lang,
        "On the KMS host: confirm the KMS service is installed and listening, and on which port.",
        "在 KMS 主機上：確認 KMS 服務已安裝、正在接聽，以及使用的連接埠。",
    )
}

/// Clock status.
pub(crate) fn w32tm_status(lang: Lang) -> NextCommand {
    cmd(
        "client",
        "w32tm /query /status /verbose".into(),
        lang,
        "Show where the client takes its time from and how far off it is.",
        "顯示用戶端的時間來源與目前偏差。",
    )
}

/// Resynchronise the clock.
pub(crate) fn w32tm_resync(lang: Lang) -> NextCommand {
    cmd(
        "client",
        "w32tm /resync".into(),
        lang,
        "Resynchronise the client's clock now (run it on the KMS host too if its clock is off).",
        "立即重新同步用戶端時鐘（若 KMS 主機的時鐘不準，也在主機上執行）。",
    )
}

/// A next command for one host, rendered once the host is known.
pub(crate) enum HostCmd {
    /// `nslookup HOST`.
    NslookupHost,
    /// `ipconfig /all`.
    Ipconfig,
    /// `Test-NetConnection HOST -Port PORT`.
    TestPort,
    /// Enable the KMS firewall rule on the host.
    Firewall,
    /// `slmgr /dlv` on the host.
    Dlv,
    /// `netstat` on the host.
    Netstat,
    /// `slmgr /skms <kms-host>:1688`.
    Skms,
    /// `w32tm` status and resync.
    W32tm,
}

impl HostCmd {
    /// The command lines for host `t`.
    pub(crate) fn render(&self, t: &Target, lang: Lang) -> Vec<NextCommand> {
        match self {
            HostCmd::NslookupHost => vec![cmd(
                "client",
                format!("nslookup {}", t.host),
                lang,
                "Check that the host name resolves from the client.",
                "確認用戶端能解析這個主機名稱。",
            )],
            HostCmd::Ipconfig => vec![ipconfig(lang)],
            HostCmd::TestPort => vec![test_port(&t.host, t.port, lang)],
            HostCmd::Firewall => vec![firewall(lang)],
            HostCmd::Dlv => vec![dlv(lang)],
            HostCmd::Netstat => vec![netstat(t.port, lang)],
            HostCmd::Skms => vec![skms("<kms-host>:1688", lang)],
            HostCmd::W32tm => vec![w32tm_status(lang), w32tm_resync(lang)],
        }
    }
}
