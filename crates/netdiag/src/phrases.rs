//! Every sentence of `volact doctor`, in both languages: stage outcomes ([`outcome`]), the
//! verdicts over discovery, each domain, the clock and the hosts not probed ([`verdict`]),
//! next-command purposes and the labels of the text report. They are called when the report is
//! assembled (`assemble.rs`) and by the renderers; the walk (`check/`) is language-free.
//!
//! Each function takes typed facts and a [`Lang`]; each arm is one English / Traditional
//! Chinese pair ([`Lang::pick`]). A new outcome adds one arm to [`outcome`], a new verdict one
//! arm to [`verdict`].

use std::net::IpAddr;

use volact_core::Lang;
use volact_core::clock::{self, Party};
use volact_core::commands::RunsOn;
use volact_core::kms::{self, Stage};

use crate::advice::Cmd;
use crate::azure::{self, AzureCloud, AzureFailure};
use crate::finding::{Outcome, Verdict};
use crate::model::{
    DomainSource, LookupOutcome, NextCommand, Origin, Relation, SrvFlag, Status, Summary,
};
use crate::sntp::Unusable;

/// Joins a list the way the language does (`, ` or `、`).
pub(crate) fn list(items: &[&str], lang: Lang) -> String {
    items.join(lang.pick(", ", "、"))
}

fn addresses(a: &[IpAddr], lang: Lang) -> String {
    let a: Vec<String> = a.iter().map(ToString::to_string).collect();
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    list(&a, lang)
}

/// One stage's summary line.
pub(crate) fn outcome(o: &Outcome, lang: Lang) -> String {
    match o {
        Outcome::AddressGiven => lang
            .pick(
                "An IP address was given; no name to resolve.",
                "給的是 IP 位址，不需解析名稱。",
            )
            .into(),
        Outcome::Resolved { host, addresses: a } | Outcome::SrvTargetResolved { host, addresses: a } => {
            let a = addresses(a, lang);
            lang.pick(
                format!("{host} resolves to {a}."),
                format!("{host} 解析為 {a}。"),
            )
        }
        Outcome::NoAddress { host, lookup } => {
            let why = lookup_text(*lookup, lang);
            lang.pick(
                format!("{host} has no address: {why}."),
                format!("{host} 沒有位址：{why}。"),
            )
        }
        Outcome::Connected { address } => lang.pick(
            format!("Connected to {address}."),
            format!("已連線到 {address}。"),
        ),
        Outcome::TimedOut { address } => lang.pick(
            format!("{address}: no answer within the timeout (filtered, or the host is down)."),
            format!("{address}：逾時沒有回應（被過濾，或主機已關機）。"),
        ),
        Outcome::Refused { address } => lang.pick(
            format!("{address}: connection refused: nothing listens on the port, or a firewall rejects it."),
            format!("{address}：連線被拒：這個連接埠沒有程式接聽，或被防火牆拒絕。"),
        ),
        Outcome::Unreachable { address } => lang.pick(
            format!("{address}: the connection failed."),
            format!("{address}：連線失敗。"),
        ),
        Outcome::Accepted => lang
            .pick(
                "The KMS RPC interface is present: the bind was accepted.",
                "KMS 的 RPC 介面存在：繫結已被接受。",
            )
            .into(),
        Outcome::Rejected { result, reason } => lang.pick(
            format!(
                "An RPC server answered but rejected the KMS interface (result {result}, reason {reason}): this is not a KMS host."
            ),
            format!(
                "有 RPC 伺服器回應，但拒絕了 KMS 介面（result {result}，reason {reason}）：這不是 KMS 主機。"
            ),
        ),
        Outcome::BindNak { reason } => lang.pick(
            format!(
                "An RPC server refused the bind (bind_nak{}): an RPC endpoint, but not serving KMS.",
                reason.map(|r| format!(", reason {r}")).unwrap_or_default()
            ),
            format!(
                "RPC 伺服器拒絕了繫結（bind_nak{}）：是 RPC 端點，但沒有提供 KMS。",
                reason.map(|r| format!("，reason {r}")).unwrap_or_default()
            ),
        ),
        Outcome::UnexpectedPdu { ptype } => lang.pick(
            format!("A DCE/RPC peer answered with packet type {ptype} instead of a bind reply."),
            format!("DCE/RPC 對端回覆了封包類型 {ptype}，而不是繫結回覆。"),
        ),
        Outcome::NotDceRpc { why } => lang.pick(
            format!("Something else listens on this port: the reply is not DCE/RPC ({why})."),
            format!("這個連接埠上是別的服務：回覆不是 DCE/RPC（{why}）。"),
        ),
        Outcome::Closed => lang
            .pick(
                "The peer closed the connection without answering the bind: not a KMS host.",
                "對端沒有回覆繫結就關閉了連線：不是 KMS 主機。",
            )
            .into(),
        Outcome::NoReply { bytes } => lang.pick(
            format!("No complete reply to the bind within the timeout ({bytes} bytes arrived)."),
            format!("逾時內沒有收到完整的繫結回覆（收到 {bytes} 位元組）。"),
        ),
        Outcome::RpcIoError { error } => lang.pick(
            format!("The connection failed during the bind: {error}."),
            format!("繫結期間連線失敗：{error}。"),
        ),
        Outcome::OffsetOk { server, offset_s } => {
            let said = offset_sentence(*offset_s, server, server, lang);
            lang.pick(format!("{said}."), format!("{said}。"))
        }
        Outcome::OffsetWarn {
            server,
            offset_s,
            warn_s,
        } => {
            let said = offset_sentence(*offset_s, server, server, lang);
            let level = clock::magnitude(*warn_s, lang);
            lang.pick(
                format!("{said}: under the 4-hour KMS limit, but above the {level} warning level."),
                format!("{said}：未超過 KMS 的 4 小時上限，但超過 {level}的警告門檻。"),
            )
        }
        Outcome::OffsetFail { server, offset_s } => {
            let said = offset_sentence(*offset_s, server, server, lang);
            lang.pick(
                format!("{said}: more than 4 hours apart, KMS refuses the client."),
                format!("{said}：相差超過 4 小時，KMS 會拒絕用戶端。"),
            )
        }
        Outcome::NoAnswer { server } => lang.pick(
            format!("{server} did not answer SNTP; the clock could not be compared with it."),
            format!("{server} 沒有回應 SNTP，無法比對時鐘。"),
        ),
        Outcome::NoUsableTime {
            server,
            reason,
            detail,
        } => {
            let text = unusable_text(*reason, detail, lang);
            lang.pick(
                format!("{server}: {text}; the clock was not compared with it."),
                format!("{server}：{text}；未與它比對時鐘。"),
            )
        }
        Outcome::ClockIoError { server, error } => lang.pick(
            format!("{server}: SNTP query failed ({error})."),
            format!("{server}：SNTP 查詢失敗（{error}）。"),
        ),
        Outcome::Skipped { .. } => lang
            .pick(
                "Not run: an earlier stage failed.",
                "未執行：前一個階段已失敗。",
            )
            .into(),
    }
}

/// What a SRV (or address) lookup gave, in words.
pub(crate) fn lookup_text(o: LookupOutcome, lang: Lang) -> &'static str {
    match o {
        LookupOutcome::Found => lang.pick("records found", "找到記錄"),
        LookupOutcome::NameNotFound => lang.pick(
            "the name does not exist (NXDOMAIN)",
            "名稱不存在（NXDOMAIN）",
        ),
        LookupOutcome::NoRecords => lang.pick(
            "the name has no SRV records (NODATA)",
            "名稱沒有 SRV 記錄（NODATA）",
        ),
        LookupOutcome::ServerFailure => lang.pick(
            "the DNS server failed or did not answer",
            "DNS 伺服器失敗或沒有回應",
        ),
        LookupOutcome::Refused => {
            lang.pick("the DNS server refused the query", "DNS 伺服器拒絕了查詢")
        }
        LookupOutcome::NoDnsServer => lang.pick(
            "no DNS server is configured on this machine",
            "這台電腦沒有設定 DNS 伺服器",
        ),
        LookupOutcome::BadName => lang.pick("not a valid domain name", "不是有效的網域名稱"),
        LookupOutcome::NoService => lang.pick(
            "the domain publishes no KMS service (its SRV target is \".\", meaning \"no service here\"), so a client finds no KMS host",
            "此網域聲明不提供 KMS 服務（SRV 目標為「.」，表示「這裡沒有此服務」），用戶端因此找不到 KMS 主機",
        ),
        LookupOutcome::Error => lang.pick("the lookup failed", "查詢失敗"),
    }
}

/// `_vlmcs._tcp.contoso.com.: the name does not exist (NXDOMAIN)`.
fn lookup_summary(o: LookupOutcome, query: &str, lang: Lang) -> String {
    let text = lookup_text(o, lang);
    lang.pick(format!("{query}: {text}"), format!("{query}：{text}"))
}

/// A found domain: `_vlmcs._tcp.contoso.com.: 2 record(s)`.
fn domain_records(query: &str, n: usize, flagged: bool, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{query}: {n} record(s){}",
            if flagged { ", some need attention" } else { "" }
        ),
        Lang::ZhTw => format!(
            "{query}：{n} 筆記錄{}",
            if flagged {
                "，其中有需要注意的記錄"
            } else {
                ""
            }
        ),
    }
}

/// The sentence of a verdict beyond one host's stages: discovery, a domain's lookup, the clock,
/// the hosts not probed.
pub(crate) fn verdict(v: &Verdict, lang: Lang) -> String {
    match v {
        Verdict::NoDomain => lang
            .pick(
                "No domain to search: give --domain (the system has no DNS suffix search list).",
                "沒有可搜尋的網域：請用 --domain 指定（系統沒有 DNS 尾碼搜尋清單）。",
            )
            .into(),
        Verdict::Discovered { hosts_found, tried } => discovery(false, *hosts_found, tried, lang),
        Verdict::DiscoveryFailed { tried } => discovery(true, 0, tried, lang),
        Verdict::LookupFailed { query, outcome } => lookup_summary(*outcome, query, lang),
        Verdict::NoService { query } => lookup_summary(LookupOutcome::NoService, query, lang),
        Verdict::Records {
            query,
            count,
            flagged,
        } => domain_records(query, *count, *flagged, lang),
        Verdict::NoTime {
            asked,
            more,
            unusable,
            hint,
        } => no_time(asked, *more, unusable.as_ref(), *hint, lang),
        Verdict::ClockOffset {
            status,
            role,
            server,
            offset_s,
            warn_s,
        } => clock_offset(*status, role, server, *offset_s, *warn_s, lang),
        Verdict::NotProbed {
            over_limit,
            max,
            keys,
        } => not_probed(*over_limit, *max, *keys, lang),
    }
}

/// The discovery verdict over the domains `tried`.
fn discovery(failed: bool, hosts_found: usize, tried: &[String], lang: Lang) -> String {
    let tried: Vec<&str> = tried.iter().map(String::as_str).collect();
    let tried = list(&tried, lang);
    let prefix = kms::SRV_PREFIX;
    match (failed, lang) {
        (true, Lang::En) => {
            format!("KMS discovery failed: no usable {prefix} record (tried {tried}).")
        }
        (true, Lang::ZhTw) => {
            format!("KMS 自動探索失敗：找不到可用的 {prefix} 記錄（已嘗試 {tried}）。")
        }
        (false, Lang::En) => format!("KMS discovery found {hosts_found} host(s) (tried {tried})."),
        (false, Lang::ZhTw) => format!("KMS 自動探索找到 {hosts_found} 部主機（已嘗試 {tried}）。"),
    }
}

/// Why hosts were not probed: `over_limit` over the host limit `max`, `keys` shaped like
/// product keys.
fn not_probed(over_limit: usize, max: usize, keys: usize, lang: Lang) -> String {
    let mut parts = Vec::new();
    if over_limit > 0 {
        let n = over_limit;
        parts.push(lang.pick(
            format!(
                "{n} host(s) not probed: one run probes at most {max} hosts (given and discovered together)"
            ),
            format!("{n} 部主機未檢查：每次執行最多檢查 {max} 部主機（指定的與自動探索到的合計）"),
        ));
    }
    if keys > 0 {
        let n = keys;
        parts.push(lang.pick(
            format!(
                "{n} host(s) not probed: they look like product keys, which are never sent over the network"
            ),
            format!("{n} 部主機未檢查：看起來是產品金鑰，金鑰絕不會送上網路"),
        ));
    }
    parts.join(lang.pick("; ", "；")) + lang.pick(".", "。")
}

impl Unusable {
    /// The reason in words.
    pub fn describe(self, lang: Lang) -> &'static str {
        unusable(self, lang)
    }
}

/// Why an SNTP reply gives no usable time.
pub(crate) fn unusable(u: Unusable, lang: Lang) -> &'static str {
    match u {
        Unusable::KissOfDeath => lang.pick(
            "the server refused to give the time (kiss-o'-death)",
            "伺服器拒絕提供時間（kiss-o'-death 拒絕封包）",
        ),
        Unusable::Unsynchronised => lang.pick(
            "the server's own clock is not synchronised",
            "伺服器自己的時鐘尚未同步",
        ),
        Unusable::TooUncertain => lang.pick(
            "the server's time is too uncertain (root distance of 16 s or more)",
            "伺服器的時間誤差太大（根距離達 16 秒以上）",
        ),
        Unusable::TooShort => lang.pick(
            "the reply is too short to be an NTP packet",
            "回覆太短，不是 NTP 封包",
        ),
        Unusable::NotAServerReply => lang.pick(
            "the reply is not an NTP server answer",
            "回覆不是 NTP 伺服器的應答",
        ),
        Unusable::ZeroTimestamp => lang.pick(
            "the reply carries a timestamp of zero (never set)",
            "回覆中有值為零的時間戳記（從未設定）",
        ),
        Unusable::Inconsistent => lang.pick(
            "the reply's timestamps contradict each other",
            "回覆中的時間戳記互相矛盾",
        ),
    }
}

/// "no usable time from this source: the server's own clock is not synchronised (stratum=16)".
pub(crate) fn unusable_text(reason: Unusable, detail: &str, lang: Lang) -> String {
    let why = unusable(reason, lang);
    lang.pick(
        format!("no usable time from this source: {why} ({detail})"),
        format!("此來源沒有可用的時間：{why}（{detail}）"),
    )
}

/// "This machine is 2 h 00 min behind `reference`", in volact's one convention.
fn offset_sentence(offset_s: f64, en: &str, zh: &str, lang: Lang) -> String {
    clock::capitalized(&clock::describe(
        offset_s,
        Party::ThisMachine,
        Party::Named { en, zh },
        lang,
    ))
}

/// The clock verdict: the largest offset, from `server` in role `role`, judged `status`.
fn clock_offset(
    status: Status,
    role: &str,
    server: &str,
    offset_s: f64,
    warn_s: f64,
    lang: Lang,
) -> String {
    let (en, zh) = match role {
        "kms-host" => (
            format!("the KMS host's time ({server})"),
            format!("KMS 主機（{server}）的時間"),
        ),
        "domain" => (
            format!("the domain's time source ({server})"),
            format!("網域的時間來源（{server}）"),
        ),
        _ => (
            format!("the time source ({server})"),
            format!("時間來源（{server}）"),
        ),
    };
    let said = offset_sentence(offset_s, &en, &zh, lang);
    let level = clock::magnitude(warn_s, lang);
    match status {
        Status::Fail => lang.pick(
            format!("{said}: more than 4 hours apart, KMS activation fails with 0xC004F06C."),
            format!("{said}：相差超過 4 小時，KMS 啟用會以 0xC004F06C 失敗。"),
        ),
        Status::Warn => lang.pick(
            format!(
                "{said}: within the 4-hour KMS limit, but above the {level} warning level (Kerberos allows 5 minutes)."
            ),
            format!(
                "{said}：在 KMS 的 4 小時上限內，但超過 {level}的警告門檻（Kerberos 只容許 5 分鐘）。"
            ),
        ),
        _ => lang.pick(format!("{said}: fine."), format!("{said}：正常。")),
    }
}

/// No source gave a usable time.
fn no_time(
    asked: &[String],
    more: usize,
    unusable: Option<&(String, Unusable, String)>,
    hint: bool,
    lang: Lang,
) -> String {
    let mut asked: Vec<&str> = asked.iter().map(String::as_str).collect();
    let more_text = lang.pick(format!("and {more} more"), format!("及另外 {more} 個"));
    if more > 0 {
        asked.push(&more_text);
    }
    let asked = if asked.is_empty() {
        lang.pick("none could be asked", "沒有可詢問的來源")
            .to_owned()
    } else {
        list(&asked, lang)
    };
    let hint = if hint {
        lang.pick(
            " Give --time-server (for example a domain controller).",
            "請用 --time-server 指定時間來源（例如網域控制站）。",
        )
    } else {
        ""
    };
    match unusable {
        Some((server, reason, detail)) => {
            let text = unusable_text(*reason, detail, lang);
            lang.pick(
                format!(
                    "No time source gave a usable time (asked: {asked}); the clock was NOT checked. {server}: {text}.{hint}"
                ),
                format!(
                    "沒有任何時間來源提供可用的時間（已詢問：{asked}）；時鐘並未檢查。{server}：{text}。{hint}"
                ),
            )
        }
        None => lang.pick(
            format!("No time source answered (asked: {asked}); the clock was NOT checked.{hint}"),
            format!("沒有任何時間來源回應（已詢問：{asked}）；時鐘並未檢查。{hint}"),
        ),
    }
}

impl Cmd {
    /// The command with its purpose in `lang`.
    pub(crate) fn next(&self, lang: Lang) -> NextCommand {
        let run = self.run();
        // Every command doctor writes is in the table (tested for every variant); a row that
        // went missing would show the command unmarked rather than fail the report.
        let (elevated, runs_on) = self
            .mark()
            .map_or((false, RunsOn::Any), |m| (m.elevated, m.runs_on));
        NextCommand {
            on: self.on(),
            run,
            purpose: purpose(self, lang),
            elevated,
            runs_on,
        }
    }
}

/// What a next command shows or does.
pub(crate) fn purpose(c: &Cmd, lang: Lang) -> String {
    match c {
        Cmd::Skms { .. } => lang.pick(
            "Point this client at the KMS host explicitly (skips DNS discovery).",
            "直接指定此用戶端使用的 KMS 主機（不經 DNS 自動探索）。",
        ),
        Cmd::Ato => lang.pick(
            "Try activation again once the finding is fixed.",
            "修正問題後，再次嘗試啟用。",
        ),
        Cmd::NslookupSrv { .. } => lang.pick(
            "Look up the KMS SRV record from the client, as discovery does.",
            "在用戶端查詢 KMS 的 SRV 記錄，與自動探索的查詢相同。",
        ),
        Cmd::SkmsDomain { .. } => lang.pick(
            "Make the client search this domain for KMS SRV records.",
            "讓用戶端在這個網域搜尋 KMS 的 SRV 記錄。",
        ),
        Cmd::Ipconfig => lang.pick(
            "Show the DNS servers and suffix search list the client uses.",
            "顯示用戶端使用的 DNS 伺服器與尾碼搜尋清單。",
        ),
        Cmd::DnsPort { .. } => lang.pick(
            "PowerShell: check that the DNS server answers on port 53.",
            "PowerShell：確認 DNS 伺服器的 53 埠可以連線。",
        ),
        Cmd::HostPublishing => lang.pick(
            "On the KMS host: check that DNS publishing of the SRV record is not turned off.",
            "在 KMS 主機上：確認沒有關閉 SRV 記錄的 DNS 發佈。",
        ),
        Cmd::NslookupHost { .. } => lang.pick(
            "Check that the host name resolves from the client.",
            "確認用戶端能解析這個主機名稱。",
        ),
        Cmd::TestPort { .. } => lang.pick(
            "PowerShell: check the KMS port from the client; look at TcpTestSucceeded.",
            "PowerShell：從用戶端測試 KMS 連接埠；查看 TcpTestSucceeded。",
        ),
        Cmd::Firewall => lang.pick(
            "On the KMS host: enable the firewall exception for the Key Management Service.",
            "在 KMS 主機上：啟用金鑰管理服務的防火牆例外。",
        ),
        Cmd::Netstat { .. } => lang.pick(
            "On the host: see which process listens on the port.",
            "在主機上：查看哪個處理程序在這個連接埠接聽。",
        ),
        Cmd::Dlv => lang.pick(
            "On the KMS host: confirm the KMS service is installed and listening, and on which port.",
            "在 KMS 主機上：確認 KMS 服務已安裝、正在接聽，以及使用的連接埠。",
        ),
        Cmd::W32tmStatus => lang.pick(
            "Show where the client takes its time from and how far off it is.",
            "顯示用戶端的時間來源與目前偏差。",
        ),
        Cmd::W32tmResync => lang.pick(
            "Resynchronise the client's clock now (run it on the KMS host too if its clock is off).",
            "立即重新同步用戶端時鐘（若 KMS 主機的時鐘不準，也在主機上執行）。",
        ),
    }
    .to_owned()
}

/// The fixed words of the text report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    /// Before the list of checks in the title.
    Checks,
    /// Before the timeout in the title.
    Timeout,
    /// Before the code `--explain` chose the checks by.
    ChecksNamedBy,
    /// The discovery section's title.
    DnsDiscovery,
    /// No DNS server.
    NoneConfigured,
    /// The DNS servers come from the system.
    SystemSettings,
    /// Before the DNS servers.
    DnsServers,
    /// An empty search list.
    EmptyList,
    /// Before the search list.
    SearchList,
    /// Before an SRV record's fields.
    SrvRecord,
    /// The compact hosts section's title.
    Hosts,
    /// Before a host.
    Host,
    /// Before a host's first failing stage.
    FirstFailingStage,
    /// Before a host's codes.
    Codes,
    /// The clock section's title.
    Clock,
    /// A time source that did not answer.
    NoAnswer,
    /// Before a time source's error.
    Error,
    /// Where a command runs, or a time source's role: the KMS host.
    KmsHost,
    /// Where a command runs: the client.
    Client,
    /// A time source's role: the domain.
    Domain,
    /// The colon after a label.
    Colon,
    /// Before the verdict.
    Verdict,
    /// No host to check after discovery failed.
    NoHostToCheck,
    /// Before the next commands.
    NextCommands,
    /// Before what an Azure KMS endpoint's failure means.
    Azure,
}

/// A fixed word or sentence of the text report.
pub(crate) fn label(l: Label, lang: Lang) -> &'static str {
    match l {
        Label::Checks => lang.pick("checks:", "檢查項目："),
        Label::Azure => lang.pick("Azure:", "Azure："),
        Label::Timeout => lang.pick("timeout", "逾時"),
        Label::ChecksNamedBy => lang.pick("Checks named by", "依照此代碼的檢查項目："),
        Label::DnsDiscovery => lang.pick("DNS discovery", "DNS 自動探索"),
        Label::NoneConfigured => lang.pick("none configured", "未設定"),
        Label::SystemSettings => lang.pick("system settings", "系統設定"),
        Label::DnsServers => lang.pick("DNS servers:", "DNS 伺服器："),
        Label::EmptyList => lang.pick("(empty)", "（空白）"),
        Label::SearchList => lang.pick("Search list:", "搜尋清單："),
        Label::SrvRecord => lang.pick("priority/weight/port/target:", "優先順序/權重/連接埠/目標："),
        Label::Hosts => lang.pick("Hosts:", "主機："),
        Label::Host => lang.pick("Host", "主機"),
        Label::FirstFailingStage => lang.pick("First failing stage:", "第一個失敗的階段："),
        Label::Codes => lang.pick("Codes:", "相關代碼："),
        Label::Clock => lang.pick("Clock", "時鐘"),
        Label::NoAnswer => lang.pick("no answer", "沒有回應"),
        Label::Error => lang.pick("error", "錯誤"),
        Label::KmsHost => lang.pick("KMS host", "KMS 主機"),
        Label::Client => lang.pick("client", "用戶端"),
        Label::Domain => lang.pick("domain", "網域"),
        Label::Colon => lang.pick(":", "："),
        Label::Verdict => lang.pick("Verdict:", "結論："),
        Label::NoHostToCheck => lang.pick(
            "No KMS host to check: discovery found none. Give --kms HOST[:PORT] to check one directly.",
            "沒有可檢查的 KMS 主機：自動探索沒有找到。可用 --kms HOST[:PORT] 直接檢查。",
        ),
        Label::NextCommands => lang.pick("Next commands:", "接下來可執行的命令："),
    }
}

/// `PASS`, `FAIL`, ...
pub(crate) fn status_word(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Pass => lang.pick("PASS", "通過"),
        Status::Skip => lang.pick("SKIP", "略過"),
        Status::Warn => lang.pick("WARN", "警告"),
        Status::Unknown => lang.pick("UNKNOWN", "無法判定"),
        Status::Fail => lang.pick("FAIL", "失敗"),
    }
}

/// A stage's name in the text report.
pub(crate) fn stage_name(s: Stage, lang: Lang) -> &'static str {
    match s {
        Stage::Dns => lang.pick("dns", "dns 名稱解析"),
        Stage::Tcp => lang.pick("tcp", "tcp 連線"),
        Stage::Rpc => lang.pick("rpc", "rpc 繫結"),
        Stage::Clock => lang.pick("clock", "clock 時鐘"),
    }
}

/// How a code relates to a finding.
pub(crate) fn relation(r: Relation, lang: Lang) -> &'static str {
    match r {
        Relation::Explains => lang.pick("explains", "說明"),
        Relation::Predicts => lang.pick("predicts", "預測"),
    }
}

/// What looks wrong with an SRV record.
pub(crate) fn flag(f: SrvFlag, lang: Lang) -> String {
    let port = kms::PORT;
    match f {
        SrvFlag::NoAddress => lang.pick("target has no address", "目標沒有位址").into(),
        SrvFlag::NonDefaultPort => {
            lang.pick(format!("port is not {port}"), format!("連接埠不是 {port}"))
        }
        SrvFlag::NoService => lang
            .pick(
                "target \".\": the domain says it offers no KMS service here; nothing probed",
                "目標為「.」：網域聲明這裡沒有 KMS 服務；未檢查",
            )
            .into(),
        SrvFlag::BadTarget => lang
            .pick(
                "target is not a host name; nothing probed",
                "目標不是主機名稱；未檢查",
            )
            .into(),
        SrvFlag::NotProbed => lang
            .pick(
                "not checked: the run's host limit was reached",
                "未檢查：已達本次執行的主機數上限",
            )
            .into(),
    }
}

/// Where a domain came from.
pub(crate) fn source(s: DomainSource, lang: Lang) -> &'static str {
    match s {
        DomainSource::Argument => "--domain",
        DomainSource::SearchList => lang.pick("search list", "搜尋清單"),
    }
}

/// Where a host came from.
pub(crate) fn origin(o: &Origin, lang: Lang) -> String {
    match o {
        Origin::Argument => "--kms".into(),
        Origin::HostsFile { line } => lang.pick(
            format!("hosts file line {line}"),
            format!("主機清單第 {line} 行"),
        ),
        Origin::Srv { domain } => {
            lang.pick(format!("SRV of {domain}"), format!("{domain} 的 SRV 記錄"))
        }
    }
}

/// SRV records not listed in text.
pub(crate) fn more_records(hidden: usize, lang: Lang) -> String {
    lang.pick(
        format!("… {hidden} more records (all in --format json)"),
        format!("… 另有 {hidden} 筆記錄（完整清單見 --format json）"),
    )
}

/// One time source's answer: "this machine is 3 s ahead of this source (stratum 2)".
pub(crate) fn source_answer(offset_s: f64, stratum: u8, lang: Lang) -> String {
    let said = clock::describe(
        offset_s,
        Party::ThisMachine,
        Party::Named {
            en: "this source",
            zh: "此來源",
        },
        lang,
    );
    lang.pick(
        format!("{said} (stratum {stratum})"),
        format!("{said}（層級 {stratum}）"),
    )
}

/// The hosts file's counts.
pub(crate) fn hosts_file(lines: usize, used: usize, skipped: usize, lang: Lang) -> String {
    lang.pick(
        format!("Hosts file: {lines} lines read, {used} hosts used, {skipped} lines skipped."),
        format!("主機清單：讀取 {lines} 行，使用 {used} 部主機，略過 {skipped} 行。"),
    )
}

/// Hosts not probed beyond those listed.
pub(crate) fn more_hosts(n: usize, lang: Lang) -> String {
    lang.pick(format!("… and {n} more"), format!("… 另有 {n} 部"))
}

/// After the verdict: the first failing stage.
pub(crate) fn first_failing(stage: Stage, lang: Lang) -> String {
    let id = stage.id();
    lang.pick(
        format!(" (first failing stage: {id})"),
        format!("（第一個失敗的階段：{id}）"),
    )
}

/// The verdict's host counts.
pub(crate) fn host_counts(s: &Summary, lang: Lang) -> String {
    let Summary {
        hosts,
        pass,
        warn,
        fail,
        unknown,
        ..
    } = s;
    lang.pick(
        format!("{hosts} host(s): {pass} pass, {warn} warn, {fail} fail, {unknown} unknown."),
        format!("{hosts} 部主機：{pass} 通過、{warn} 警告、{fail} 失敗、{unknown} 無法判定。"),
    )
}

/// The name of an Azure cloud.
pub(crate) fn azure_cloud(c: AzureCloud, lang: Lang) -> &'static str {
    match c {
        AzureCloud::Global => lang.pick("global Azure", "Azure 全球雲端"),
        AzureCloud::China => lang.pick("Azure operated by 21Vianet", "由世紀互聯營運的 Azure"),
        AzureCloud::UsGovernment => {
            lang.pick("Azure Government (US)", "Azure Government（美國政府雲端）")
        }
        AzureCloud::GermanyLegacy => lang.pick(
            "Azure Germany, a closed national cloud",
            "Azure 德國（已關閉的國家雲端）",
        ),
    }
}

/// Why one of Azure's KMS endpoints could not be resolved or reached from an Azure virtual
/// machine, as Microsoft's Azure activation articles explain it.
pub(crate) fn azure(c: AzureCloud, f: AzureFailure, port: u16, lang: Lang) -> String {
    let cloud = azure_cloud(c, lang);
    let host = c.endpoint();
    let first = match f {
        AzureFailure::Dns => lang.pick(
            format!("{host} is the KMS endpoint of {cloud} and its name did not resolve. A virtual machine that uses custom DNS servers needs them to resolve Azure's KMS name (or to forward it to Azure's DNS)."),
            format!("{host} 是{cloud}的 KMS 端點，但名稱無法解析。使用自訂 DNS 伺服器的虛擬機器，其 DNS 必須能解析 Azure 的 KMS 名稱（或轉送給 Azure 的 DNS）。"),
        ),
        AzureFailure::Tcp => lang.pick(
            format!("{host} is the KMS endpoint of {cloud} and TCP {port} could not be reached. Microsoft names these causes for Azure virtual machines: forced tunnelling or a user-defined route that sends the traffic to an on-premises network or a virtual appliance instead of the Internet; a network security group or firewall that blocks outbound TCP {port}; custom DNS servers that cannot resolve the name."),
            format!("{host} 是{cloud}的 KMS 端點，但無法連到 TCP {port}。Microsoft 對 Azure 虛擬機器列出的原因：強制通道或使用者定義的路由把流量送往內部部署網路或虛擬設備，而不是網際網路；網路安全性群組或防火牆封鎖了輸出的 TCP {port}；自訂 DNS 伺服器無法解析此名稱。"),
        ),
    };
    let route = if c == AzureCloud::Global {
        lang.pick(
            format!(" With forced tunnelling, add routes with next hop Internet for the addresses Microsoft publishes ({}).", list(&azure::GLOBAL_ADDRESSES, lang)),
            format!("若使用強制通道，請為 Microsoft 公布的位址（{}）新增下一個躍點為網際網路的路由。", list(&azure::GLOBAL_ADDRESSES, lang)),
        )
    } else {
        lang.pick(
            " With forced tunnelling, add routes with next hop Internet for the KMS addresses Microsoft publishes for this cloud.".to_owned(),
            "若使用強制通道，請為 Microsoft 公布的此雲端 KMS 位址新增下一個躍點為網際網路的路由。".to_owned(),
        )
    };
    let codes = lang.pick(
        " Windows then reports 0x800705B4 (the request timed out) or 0xC004F074.",
        "此時 Windows 會回報 0x800705B4（要求逾時）或 0xC004F074。",
    );
    format!("{first}{route}{codes}")
}
