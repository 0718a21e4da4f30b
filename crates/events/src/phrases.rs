//! Every sentence of the events crate, in both languages, in one place: the findings of a
//! report (the analysis returns language-free [`Finding`](volact_core::finding::Finding)s and
//! [`phrase`] words them at report time), the labels of skip reasons and outcomes, and the
//! messages of warnings and of inputs that could not be read (each type keeps its facts; its
//! `message`/`label` is written here).
//!
//! Adding a finding to the host report: one [`ReportFinding`] variant (with its facts) in
//! `analyze/report.rs`, the rule that finds it in `analyze/findings.rs`, its next commands (rows
//! of `volact_core::commands`) in `analyze/advice.rs`, one arm in [`phrase`], one sample in
//! `analyze/tests/commands.rs` (the list every finding test walks) and one test of its rule.

use volact_core::Lang;

use volact_core::out::fmt::count as grouped;

use crate::analyze::{Outcome, ReportFinding, SkipReason};
use crate::evtx::{FILE_HEADER, ReadError};
use crate::source::{InputError, MAX_DEPTH, NotRead};
use crate::warning::{BadExample, Warning, WarningKind};
use crate::xml::{CutWhat, XmlCut};

/// The sentence of a finding in `lang`.
pub fn phrase(kind: &ReportFinding, lang: Lang) -> String {
    match kind {
        ReportFinding::ClientFailures { .. } => lang.pick(
            "activation attempts failed (see the codes below)",
            "有啟用嘗試失敗（代碼見下方）",
        ).to_owned(),
        ReportFinding::NoResponse { .. } => lang.pick(
            "requests got no response (12288 without 12289): host unreachable, port 1688 blocked, or the answer was lost",
            "有要求沒有收到回應（只有 12288 沒有 12289）：主機無法連線、連接埠 1688 被封鎖，或回應遺失",
        ).to_owned(),
        ReportFinding::HostErrors { .. } => lang.pick(
            "the KMS host returned error codes to clients",
            "KMS 主機曾傳回錯誤代碼給用戶端",
        ).to_owned(),
        ReportFinding::ClockSkew { limit_secs, .. } => {
            let hours = limit_secs / 3600;
            lang.pick(
                format!("client clocks differ from the host by more than {hours} hours (0xC004F06C)"),
                format!("有用戶端時鐘與主機相差超過 {hours} 小時（0xC004F06C）"),
            )
        }
        ReportFinding::ClonedCmids { .. } => lang.pick(
            "several client names share one CMID (images cloned without sysprep): the count does not grow",
            "多個用戶端名稱共用同一個 CMID（映像未經 sysprep 即複製）：計數不會增加",
        ).to_owned(),
        ReportFinding::CountBelowClientThreshold { threshold, .. } => lang.pick(
            format!("the count is below {threshold}: client operating systems do not activate"),
            format!("計數低於 {threshold}：用戶端作業系統無法啟用"),
        ),
        ReportFinding::CountBelowServerThreshold { threshold, .. } => lang.pick(
            format!("the count is below {threshold}: server operating systems do not activate"),
            format!("計數低於 {threshold}：伺服器作業系統無法啟用"),
        ),
        ReportFinding::ClientsOutsideWindow { clients, window_days } => lang.pick(
            format!("{clients} client(s) last asked more than {window_days} days ago: the host no longer counts them"),
            format!("有 {clients} 個用戶端最後一次要求已超過 {window_days} 天：主機不再將它們計入計數"),
        ),
        ReportFinding::DnsPublishingFailed { .. } => lang.pick(
            "the host could not publish its SRV record in DNS (12293)",
            "主機無法在 DNS 發佈 SRV 記錄（12293）",
        ).to_owned(),
        ReportFinding::DamagedInput { .. } => lang.pick(
            "some input was damaged or unreadable (see the warnings)",
            "部分輸入已損毀或無法讀取（見警告）",
        ).to_owned(),
        // The Software Protection findings (8198 and the events of SPP_IDS).
        ReportFinding::SluiFailures { failures } => lang.pick(
            format!("License Activation (slui.exe) failed {failures} time(s) (8198) and no successful activation followed: see the codes"),
            format!("授權啟用（slui.exe）失敗 {failures} 次（8198），之後沒有成功的啟用：請看代碼"),
        ),
        ReportFinding::SluiTransient { failures, clients, span_secs, .. } => {
            let span = span_secs
                .filter(|s| *s > 0)
                .map(|s| volact_core::clock::magnitude(s as f64, lang));
            lang.pick(
                format!("{failures} slui.exe failure(s) (8198) on {clients} client(s) were followed by a successful activation{}: transient (often at logon, before the network is up), nothing to do",
                    span.as_deref().map_or(String::new(), |s| format!(" (over {s})"))),
                format!("{clients} 台用戶端上的 {failures} 次 slui.exe 失敗（8198）之後都已成功啟用{}：屬暫時性（常見於登入時網路尚未就緒），無須處理",
                    span.as_deref().map_or(String::new(), |s| format!("（期間 {s}）"))),
            )
        }
        ReportFinding::AutoActivationFailed { failures, transient } => lang.pick(
            format!("the activation scheduler could not activate automatically {failures} time(s) (8196); {transient} of them were followed by a successful activation"),
            format!("啟用排程器有 {failures} 次無法自動啟用（8196）；其中 {transient} 次之後已成功啟用"),
        ),
        ReportFinding::VlActivationFailed { failures, transient, office } => lang.pick(
            format!("{failures} volume activation attempt(s) failed (8233, {office} of them Office's); {transient} were followed by a successful activation: see the reason codes"),
            format!("有 {failures} 次大量授權啟用嘗試失敗（8233，其中 Office {office} 次）；其中 {transient} 次之後已成功啟用：請看原因代碼"),
        ),
        ReportFinding::AdActivationFailed { failures, transient, clients } => lang.pick(
            format!("Active Directory-based activation failed {failures} time(s) (8213/8214/8215); {clients} client(s) did not activate afterwards: check the activation objects (slmgr /ao-list) and the codes"),
            format!("Active Directory 型啟用失敗 {failures} 次（8213/8214/8215），其中 {transient} 次之後已成功啟用；{clients} 台用戶端之後仍未啟用：請檢查啟用物件（slmgr /ao-list）與代碼"),
        ),
        ReportFinding::AdObjectNotFound { failures } => lang.pick(
            format!("{failures} AD-based activation failure(s) with 0xC004F081: the directory holds no activation object for this product (or none valid for it); add the host key of a group that covers the product as an activation object (Volume Activation Tools or slmgr /ad-activation-online), then list the objects with slmgr /ao-list"),
            format!("有 {failures} 次 AD 型啟用失敗的代碼為 0xC004F081：目錄中沒有適用於此產品的啟用物件（或沒有有效的）；請把涵蓋此產品之群組的主機金鑰加入為啟用物件（大量啟用工具或 slmgr /ad-activation-online），再以 slmgr /ao-list 列出物件確認"),
        ),
        ReportFinding::AdSchemaTooOld { failures } => lang.pick(
            format!("{failures} AD-based activation failure(s) with 0xC004F083 or 0x80072030: the forest's schema has no activation objects container, so AD-based activation cannot work until the schema is extended to at least the Windows Server 2012 level (adprep); clients fall back to KMS meanwhile"),
            format!("有 {failures} 次 AD 型啟用失敗的代碼為 0xC004F083 或 0x80072030：樹系的結構描述中沒有啟用物件容器，必須先把結構描述擴充到至少 Windows Server 2012 的層級（adprep），AD 型啟用才能運作；在此之前用戶端會改用 KMS"),
        ),
        ReportFinding::RetailChannel { failures, skus } => {
            let named = retail_skus(skus, lang);
            lang.pick(
                format!("{failures} slui.exe failure(s) (8198) with 0x8007007B and no successful activation afterwards: the machine was most likely installed from retail media, so it has no KMS client setup key (GVLK) and neither AD-based nor KMS activation can apply; install the GVLK of its edition (slmgr /ipk), then activate (slmgr /ato){named}"),
                format!("有 {failures} 次 slui.exe 失敗（8198）的代碼為 0x8007007B，之後也沒有成功啟用：這台電腦很可能是用零售版媒體安裝的，沒有 KMS 用戶端安裝金鑰（GVLK），因此 AD 型啟用與 KMS 啟用都不適用；請安裝該版本的 GVLK（slmgr /ipk）後再啟用（slmgr /ato）{named}"),
            )
        }
        ReportFinding::HostKeyCannotServe { clients, products } => {
            let named = host_needs(products, lang);
            lang.pick(
                format!("the KMS host refused {clients} client(s) with 0xC004F042 or 0xC004F015: its host key does not cover their products; install a host key of a group that does (after the update the host needs){named}"),
                format!("KMS 主機以 0xC004F042 或 0xC004F015 拒絕了 {clients} 台用戶端：它的主機金鑰不涵蓋這些產品；請安裝涵蓋它們之群組的主機金鑰（並先安裝主機需要的更新）{named}"),
            )
        }
        ReportFinding::AdActivated { activations, clients } => lang.pick(
            format!("{clients} client(s) activated through Active Directory ({activations} × 12308): they never ask a KMS host, so a KMS count that does not grow is expected"),
            format!("{clients} 台用戶端透過 Active Directory 啟用（12308 共 {activations} 次）：它們不會向 KMS 主機要求，因此 KMS 計數不增加是正常的"),
        ),
        ReportFinding::AvmaResults { activated, failed } => lang.pick(
            format!("Automatic VM Activation (12309/12310): {activated} succeeded, {failed} failed"),
            format!("自動虛擬機器啟用（12309/12310）：{activated} 次成功、{failed} 次失敗"),
        ),
        ReportFinding::TokenActivated { activations } => lang.pick(
            format!("token-based activation succeeded {activations} time(s) (12320)"),
            format!("權杖型啟用成功 {activations} 次（12320）"),
        ),
        ReportFinding::AcpiKeyWarnings { warnings } => lang.pick(
            format!("the product key in the firmware (ACPI) was not installed {warnings} time(s) (1058): usually harmless on an OEM machine that is activated"),
            format!("韌體（ACPI）中的產品金鑰有 {warnings} 次未能安裝（1058）：在已啟用的 OEM 電腦上通常無害"),
        ),
        ReportFinding::RoutineEvents { restarts_scheduled, schedule_rechecks } => lang.pick(
            format!("routine Software Protection events: {restarts_scheduled} scheduled service restart(s) (16384), {schedule_rechecks} schedule re-check(s) (8230); nothing to do"),
            format!("軟體保護的例行事件：排定服務重新啟動 {restarts_scheduled} 次（16384）、重新評估排程 {schedule_rechecks} 次（8230）；無須處理"),
        ),
    }
}

/// The SKUs of a retail-channel finding: each with its GVLK, or said not to be a KMS client SKU
/// (an unknown SKU is shown as logged, never guessed).
fn retail_skus(skus: &[crate::analyze::SkuKey], lang: Lang) -> String {
    let each: Vec<String> = skus
        .iter()
        .map(|k| match (k.product, k.gvlk) {
            (Some(p), Some(g)) => lang.pick(
                format!(
                    "{p} ({0}): GVLK {g} (where keys are masked, volact products {0} --gvlk shows it whole)",
                    k.sku_id
                ),
                format!(
                    "{p}（{0}）：GVLK {g}（金鑰被遮蔽時，可用 volact products {0} --gvlk 查看完整金鑰）",
                    k.sku_id
                ),
            ),
            _ => lang.pick(
                format!(
                    "SKU {}: not a KMS client SKU volact knows, so no GVLK applies",
                    k.sku_id
                ),
                format!(
                    "SKU {}：不是 volact 已知的 KMS 用戶端 SKU，因此沒有適用的 GVLK",
                    k.sku_id
                ),
            ),
        })
        .collect();
    if each.is_empty() {
        return String::new();
    }
    lang.pick(
        format!(". SKUs: {}", each.join("; ")),
        format!("。SKU：{}", each.join("；")),
    )
}

/// The products a host refused, each with the host key that covers it and the host updates.
fn host_needs(products: &[crate::analyze::ProductNeed], lang: Lang) -> String {
    let each: Vec<String> = products
        .iter()
        .map(|p| {
            let name = p.product.unwrap_or(&p.activation_id);
            let hosts: Vec<String> = p
                .hosts
                .iter()
                .map(|h| match h.update {
                    Some(u) => format!("{} + {u}", h.os),
                    None => h.os.to_owned(),
                })
                .collect();
            match (p.product, p.host_key) {
                (Some(_), Some(k)) => lang.pick(
                    format!(
                        "{name} ({} client(s)): {k}, on {}",
                        p.clients,
                        hosts.join(", ")
                    ),
                    format!(
                        "{name}（{} 台）：{k}，可裝在 {}",
                        p.clients,
                        hosts.join("、")
                    ),
                ),
                (Some(_), None) => lang.pick(
                    format!(
                        "{name} ({} client(s)): no source names its host key",
                        p.clients
                    ),
                    format!("{name}（{} 台）：沒有來源說明其主機金鑰", p.clients),
                ),
                (None, _) => lang.pick(
                    format!(
                        "Activation ID {name} ({} client(s)): not in volact's products table",
                        p.clients
                    ),
                    format!(
                        "Activation ID {name}（{} 台）：不在 volact 的產品表中",
                        p.clients
                    ),
                ),
            }
        })
        .collect();
    if each.is_empty() {
        return String::new();
    }
    lang.pick(
        format!(". {}", each.join("; ")),
        format!("。{}", each.join("；")),
    )
}

impl SkipReason {
    /// Label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SkipReason::OtherEvent => lang.pick("not an activation event", "非啟用相關事件"),
            SkipReason::NoEventId => lang.pick("no event ID", "沒有事件識別碼"),
            SkipReason::BadData => lang.pick(
                "activation event with unreadable data",
                "啟用事件的資料無法解讀",
            ),
            SkipReason::CorruptRecord => lang.pick("damaged record", "損毀的記錄"),
            SkipReason::OutsideTimeRange => {
                lang.pick("outside --since/--until", "不在 --since/--until 範圍內")
            }
            SkipReason::NoTime => lang.pick(
                "no time, but --since/--until given",
                "沒有時間，但指定了 --since/--until",
            ),
            SkipReason::OtherClient => {
                lang.pick("another client than --client", "不是 --client 指定的用戶端")
            }
            SkipReason::Limit => lang.pick("over the memory limit", "超過記憶體上限"),
        }
    }
}

impl Outcome {
    /// Label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Outcome::Activated => lang.pick("activated", "已啟用"),
            Outcome::NotActivated => lang.pick("answered, not activated", "有回應但未啟用"),
            Outcome::Failed => lang.pick("failed", "失敗"),
            Outcome::NoResponse => lang.pick("no response", "沒有回應"),
        }
    }
}

impl Warning {
    /// The warning as a sentence in `lang`, starting with the file name.
    pub fn message(&self, lang: Lang) -> String {
        let f = &self.file;
        match lang {
            Lang::En => self.english(),
            Lang::ZhTw => match &self.kind {
                WarningKind::Truncated { bytes } => {
                    format!(
                        "{f}：檔案在某個區塊的第 {bytes} 位元組處結束（可能被截斷）：截斷點之後的內容已遺失，之前完整的記錄仍已讀取"
                    )
                }
                WarningKind::BadChecksums { chunks } => {
                    format!("{f}：{chunks} 個區塊的 CRC32 總和檢查碼錯誤；其中的記錄仍已讀取")
                }
                WarningKind::ChunkNotParsed { chunk, error } => {
                    format!("{f}：區塊 {chunk} 無法剖析，已略過（讀取器訊息：{error}）")
                }
                WarningKind::RecordUnreadable { chunk, error } => {
                    format!("{f}：區塊 {chunk}：有一筆記錄無法讀取（讀取器訊息：{error}）")
                }
                WarningKind::TooManyDamagedRecords { chunk } => {
                    format!("{f}：區塊 {chunk}：損毀的記錄太多，已略過該區塊的其餘部分")
                }
                WarningKind::RecordNotRendered { record, error } => {
                    format!("{f}：記錄 {record} 無法轉成 XML（讀取器訊息：{error}）")
                }
                WarningKind::RecordBadXml { record, error } => {
                    format!("{f}：記錄 {record} 的 XML 無法讀取（讀取器訊息：{error}）")
                }
                WarningKind::ChunksSkipped { count: 1, error } => {
                    format!("{f}：有一個區塊無法讀取，已略過（讀取器訊息：{error}）")
                }
                WarningKind::ChunksSkipped { count, error } => format!(
                    "{f}：連續 {count} 個區塊無法讀取，已略過（第一個的讀取器訊息：{error}）"
                ),
                WarningKind::XmlRestUnread { error } => {
                    format!("{f}：XML 無法繼續讀取，檔案其餘部分未讀取（讀取器訊息：{error}）")
                }
                WarningKind::LinesCut { count, max } => {
                    format!("{f}：有 {count} 行超過 {max} 位元組，已截斷")
                }
                WarningKind::BytesReplaced => format!("{f}：無效的位元組序列已被取代"),
                WarningKind::RecordsMissing {
                    chunk,
                    listed,
                    read,
                } => format!(
                    "{f}：區塊 {chunk} 的標頭列出 {listed} 筆記錄，只讀到 {read} 筆；其餘 {} 筆遺失或損毀（被截斷、清為零或毀損），無法讀取",
                    listed - read
                ),
                WarningKind::RecordsAbsent { first, last } => format!(
                    "{f}：記錄編號 {}–{} 不在此檔案中（共 {} 筆；並非損毀，例如已被清除或覆寫）",
                    grouped(*first),
                    grouped(*last),
                    grouped(last - first + 1)
                ),
                WarningKind::FileUnreadable { error } => {
                    format!("{f}：無法讀取此檔案（{error}）")
                }
                WarningKind::XmlCut(cut) => format!("{f}：{}", cut.message(lang)),
                WarningKind::RecordsUnread(u) => format!("{f}：{}", u.message(lang)),
            },
        }
    }

    fn english(&self) -> String {
        let f = &self.file;
        match &self.kind {
            WarningKind::Truncated { bytes } => format!(
                "{f}: the file ends {bytes} bytes into a chunk (truncated?): what the chunk held after \
                 that is missing; the whole records before it were read"
            ),
            WarningKind::BadChecksums { chunks } => format!(
                "{f}: {chunks} chunk(s) have wrong CRC32 checksums; their records were read anyway"
            ),
            WarningKind::ChunkNotParsed { chunk, error } => {
                format!("{f}: chunk {chunk} cannot be parsed and was skipped: {error}")
            }
            WarningKind::RecordUnreadable { chunk, error } => {
                format!("{f}: chunk {chunk}: a record cannot be read: {error}")
            }
            WarningKind::TooManyDamagedRecords { chunk } => format!(
                "{f}: chunk {chunk}: too many damaged records, the rest of the chunk was skipped"
            ),
            WarningKind::RecordNotRendered { record, error } => {
                format!("{f}: record {record} cannot be rendered: {error}")
            }
            WarningKind::RecordBadXml { record, error } => {
                format!("{f}: record {record}: {error}")
            }
            WarningKind::ChunksSkipped { count: 1, error } => {
                format!("{f}: a chunk cannot be read and was skipped: {error}")
            }
            WarningKind::ChunksSkipped { count, error } => format!(
                "{f}: {count} consecutive chunks cannot be read and were skipped (the first: {error})"
            ),
            WarningKind::XmlRestUnread { error } => {
                format!("{f}: {error}; the rest of the file was not read")
            }
            WarningKind::LinesCut { count, max } => {
                format!("{f}: {count} line(s) longer than {max} bytes were cut")
            }
            WarningKind::BytesReplaced => format!("{f}: invalid byte sequences were replaced"),
            WarningKind::RecordsMissing {
                chunk,
                listed,
                read,
            } => format!(
                "{f}: chunk {chunk}: its header lists {listed} records but {read} could be read; \
                 the other {} are missing (cut off, zeroed or damaged)",
                listed - read
            ),
            WarningKind::RecordsAbsent { first, last } => format!(
                "{f}: records {}–{} are not in the file ({} records; not damage: cleared or \
                 overwritten, for example)",
                grouped(*first),
                grouped(*last),
                grouped(last - first + 1)
            ),
            WarningKind::FileUnreadable { error } => error.clone(),
            WarningKind::XmlCut(cut) => format!("{f}: {}", cut.message(Lang::En)),
            WarningKind::RecordsUnread(u) => format!("{f}: {}", u.message(Lang::En)),
        }
    }
}

impl BadExample {
    /// The problem as a sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let m = self.kind.message(self.id, lang);
        match (&self.location, lang) {
            (Some(l), Lang::En) => format!("{l}: {m}"),
            (Some(l), Lang::ZhTw) => format!("{l}：{m}"),
            (None, _) => m,
        }
    }
}

impl XmlCut {
    /// The sentence (without the file name) in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (n, limit, line, at) = (self.count, self.limit, self.line, self.offset);
        match lang {
            Lang::En => {
                let what = match self.what {
                    CutWhat::Text => {
                        format!("{n} text run(s) longer than {limit} bytes were cut to that length")
                    }
                    CutWhat::AttributeValue => {
                        format!("{n} attribute value(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Attributes => format!(
                        "{n} element(s) have more than {limit} attributes; the attributes after the first {limit} were ignored"
                    ),
                    CutWhat::Tag => format!(
                        "{n} tag(s) longer than {limit} bytes; the rest of each tag was ignored"
                    ),
                    CutWhat::Name => {
                        format!("{n} element name(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Comment => {
                        format!("{n} comment(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Cdata => {
                        format!("{n} CDATA section(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::ProcessingInstruction => {
                        format!("{n} processing instruction(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Doctype => {
                        format!("{n} DOCTYPE declaration(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Depth if self.records > 0 => format!(
                        "{n} element(s) nested deeper than {limit} levels were skipped with everything inside them, including {} <Event> record(s) (counted as skipped)",
                        self.records
                    ),
                    CutWhat::Depth => format!(
                        "{n} element(s) nested deeper than {limit} levels were skipped with everything inside them"
                    ),
                    CutWhat::Markup => format!(
                        "{n} unknown markup part(s) starting with <! (not a comment, CDATA or DOCTYPE) were skipped up to their >"
                    ),
                };
                format!("XML: {what} (the first at line {line}, byte {at})")
            }
            Lang::ZhTw => {
                let what = match self.what {
                    CutWhat::Text => {
                        format!("有 {n} 段文字超過 {limit} 位元組，已截短為此長度")
                    }
                    CutWhat::AttributeValue => {
                        format!("有 {n} 個屬性值超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Attributes => {
                        format!("有 {n} 個元素的屬性多於 {limit} 個，前 {limit} 個之後的屬性已忽略")
                    }
                    CutWhat::Tag => {
                        format!("有 {n} 個標籤超過 {limit} 位元組，各標籤其餘部分已忽略")
                    }
                    CutWhat::Name => {
                        format!("有 {n} 個元素名稱超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Comment => format!("有 {n} 個註解超過 {limit} 位元組，已截短"),
                    CutWhat::Cdata => {
                        format!("有 {n} 個 CDATA 區段超過 {limit} 位元組，已截短")
                    }
                    CutWhat::ProcessingInstruction => {
                        format!("有 {n} 個處理指示超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Doctype => {
                        format!("有 {n} 個 DOCTYPE 宣告超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Depth if self.records > 0 => format!(
                        "有 {n} 個元素的巢狀層數超過 {limit} 層，已連同其內容一併略過，其中包含 {} 筆 <Event> 記錄（計為略過）",
                        self.records
                    ),
                    CutWhat::Depth => {
                        format!("有 {n} 個元素的巢狀層數超過 {limit} 層，已連同其內容一併略過")
                    }
                    CutWhat::Markup => format!(
                        "有 {n} 處以 <! 開頭、但不是註解、CDATA 或 DOCTYPE 的未知標記，已略過至其 >"
                    ),
                };
                format!("XML：{what}（第一處在第 {line} 行，第 {at} 位元組）")
            }
        }
    }
}

impl ReadError {
    /// The problem as a sentence in `lang` (without the file name).
    pub fn message(&self, lang: volact_core::Lang) -> String {
        use volact_core::Lang;
        let head = grouped(FILE_HEADER);
        match (self, lang) {
            (ReadError::HeaderCut { len }, Lang::En) => format!(
                "the file header of a .evtx file is {head} bytes, but this input ends at byte {} \
                 (cut short?): no record can be read",
                grouped(*len)
            ),
            (ReadError::HeaderCut { len }, Lang::ZhTw) => format!(
                ".evtx 檔案的檔頭有 {head} 位元組，但此輸入在第 {} 位元組就結束了（可能被截斷）：無法讀取任何記錄",
                grouped(*len)
            ),
            (ReadError::NotEvtx, Lang::En) => {
                "it does not start with the .evtx signature \"ElfFile\"".to_owned()
            }
            (ReadError::NotEvtx, Lang::ZhTw) => "開頭不是 .evtx 檔案的識別字「ElfFile」".to_owned(),
            (ReadError::Io { at, error }, Lang::En) => format!(
                "reading failed at byte {} of the {head}-byte file header: {error}",
                grouped(*at)
            ),
            (ReadError::Io { at, error }, Lang::ZhTw) => format!(
                "讀取 {head} 位元組的檔頭時，在第 {} 位元組失敗：{error}",
                grouped(*at)
            ),
        }
    }
}

impl NotRead {
    /// The reason as a sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (NotRead::Unlisted(e), Lang::En) => format!("the folder cannot be listed: {e}"),
            (NotRead::Unlisted(e), Lang::ZhTw) => format!("無法列出此資料夾的內容：{e}"),
            (NotRead::TooDeep, Lang::En) => format!("deeper than {MAX_DEPTH} levels, not read"),
            (NotRead::TooDeep, Lang::ZhTw) => format!("超過 {MAX_DEPTH} 層資料夾，未讀取"),
            (NotRead::Loop { first }, Lang::En) => format!(
                "a link back to {} (a folder already read): not read again, so a loop of links \
                 cannot make reading endless",
                first.display()
            ),
            (NotRead::Loop { first }, Lang::ZhTw) => format!(
                "此連結指回已讀取過的資料夾 {}：不再重複讀取，以免連結形成的迴圈讓讀取永不結束",
                first.display()
            ),
            (NotRead::SameFile { first }, Lang::En) => format!(
                "the same file as {} (reached through a link): read once",
                first.display()
            ),
            (NotRead::SameFile { first }, Lang::ZhTw) => {
                format!(
                    "與 {} 是同一個檔案（經由連結到達）：只讀取一次",
                    first.display()
                )
            }
            (NotRead::Special, Lang::En) => "not a regular file (a FIFO, socket or device) \
                inside a folder: skipped, as it may never end; give its path on its own to read \
                it as a stream"
                .to_owned(),
            (NotRead::Special, Lang::ZhTw) => "資料夾中的這個項目不是一般檔案（而是 FIFO、socket \
                或裝置），可能永遠讀不完，因此略過；若要以串流讀取，請單獨指定它的路徑"
                .to_owned(),
            (NotRead::Unreachable(e), Lang::En) => {
                format!("cannot be reached (a broken link?): {e}")
            }
            (NotRead::Unreachable(e), Lang::ZhTw) => {
                format!("無法存取（連結可能已失效）：{e}")
            }
        }
    }
}

impl InputError {
    /// The problem as a sentence in `lang`, naming the input `name`.
    pub fn message(&self, name: &str, lang: Lang) -> String {
        match (self, lang) {
            (InputError::Open(e), Lang::En) => format!("cannot open {name}: {e}"),
            (InputError::Open(e), Lang::ZhTw) => format!("無法開啟 {name}：{e}"),
            (InputError::Read(e), Lang::En) => format!("cannot read {name}: {e}"),
            (InputError::Read(e), Lang::ZhTw) => format!("無法讀取 {name}：{e}"),
            (InputError::Evtx(e), Lang::En) => {
                format!("{name} is not a readable .evtx file: {}", e.message(lang))
            }
            (InputError::Evtx(e), Lang::ZhTw) => {
                format!("{name} 不是可讀取的 .evtx 檔案：{}", e.message(lang))
            }
        }
    }
}

/// The label of records used with fields hidden in the way `how`.
pub fn partial_label(how: volact_core::event::text::Redaction, lang: Lang) -> &'static str {
    use volact_core::event::text::Redaction;
    match how {
        Redaction::Placeholder => lang.pick(
            "read in part: placeholders such as <CMID> stood for some fields (read as absent)",
            "僅部分可讀：有些欄位是 <CMID> 之類的預留字（視為缺少）",
        ),
        Redaction::Masked => lang.pick(
            "read in part: some fields were masked with xxxx or *** (read as absent)",
            "僅部分可讀：有些欄位被 xxxx 或 *** 遮蔽（視為缺少）",
        ),
    }
}

impl crate::analyze::NothingUsed {
    /// Why an input gave no activation event, in `lang`, after the form it was read as.
    pub fn message(&self, form: &str, lang: Lang) -> String {
        use crate::analyze::NothingUsed as N;
        match (self, lang) {
            (N::NoRecords, Lang::En) => {
                format!("read as {form}; no event record found in it")
            }
            (N::NoRecords, Lang::ZhTw) => format!("以 {form} 格式讀取；其中找不到事件記錄"),
            (N::NoActivationEvents { records }, Lang::En) => format!(
                "read as {form}; none of its {records} records is an activation event \
                 (Security-SPP, KMS or Security-Licensing-SLC)"
            ),
            (N::NoActivationEvents { records }, Lang::ZhTw) => format!(
                "以 {form} 格式讀取；其中 {records} 筆記錄都不是啟用事件\
                 （Security-SPP、KMS 或 Security-Licensing-SLC）"
            ),
            (N::NoEventIds { records }, Lang::En) => format!(
                "read as {form}; its {records} records have no event ID (event data without the \
                 System part, as some converters cut it down): nothing says which event they are"
            ),
            (N::NoEventIds { records }, Lang::ZhTw) => format!(
                "以 {form} 格式讀取；其中 {records} 筆記錄沒有事件識別碼（只有事件資料、\
                 缺少 System 部分，部分轉換工具會這樣截取），無法得知是哪個事件"
            ),
            (N::Unreadable { records }, Lang::En) => format!(
                "read as {form}; {records} activation records had data that could not be read \
                 (see the examples of unreadable data)"
            ),
            (N::Unreadable { records }, Lang::ZhTw) => {
                format!(
                    "以 {form} 格式讀取；{records} 筆啟用記錄的資料無法解讀（見無法解讀資料的範例）"
                )
            }
            (N::Filtered { records }, Lang::En) => format!(
                "read as {form}; its {records} activation records were left out by \
                 --since/--until/--client"
            ),
            (N::Filtered { records }, Lang::ZhTw) => format!(
                "以 {form} 格式讀取；其中 {records} 筆啟用記錄被 --since/--until/--client 排除"
            ),
            (N::Damaged { records }, Lang::En) => format!(
                "read as {form}; {records} records were damaged or over a limit (see the warnings)"
            ),
            (N::Damaged { records }, Lang::ZhTw) => {
                format!("以 {form} 格式讀取；{records} 筆記錄損毀或超過上限（見警告）")
            }
        }
    }
}

impl crate::forms::Unread {
    /// What could not be read, in `lang` (after the file name).
    pub fn message(&self, lang: Lang) -> String {
        use crate::forms::UnreadWhy as W;
        let (n, at) = (self.count, self.first_at);
        let why = match (&self.why, lang) {
            (W::NotJson(e), Lang::En) => format!("not valid JSON ({e})"),
            (W::NotJson(e), Lang::ZhTw) => format!("不是有效的 JSON（{e}）"),
            (W::TooLarge { max }, Lang::En) => format!("larger than {max} bytes"),
            (W::TooLarge { max }, Lang::ZhTw) => format!("超過 {max} 位元組"),
            (W::TooDeep { max }, Lang::En) => format!("nested deeper than {max} levels"),
            (W::TooDeep { max }, Lang::ZhTw) => format!("巢狀層數超過 {max} 層"),
            (W::CutOff, Lang::En) => "cut off: the input ends inside it".to_owned(),
            (W::CutOff, Lang::ZhTw) => "被截斷：輸入在其中途結束".to_owned(),
            (W::BadRow, Lang::En) => "a CSV row without the columns of the header".to_owned(),
            (W::BadRow, Lang::ZhTw) => "CSV 資料列與標題列的欄位不符".to_owned(),
        };
        match lang {
            Lang::En => format!(
                "{n} record(s) could not be read and were skipped; the first, at byte {at}: {why}"
            ),
            Lang::ZhTw => {
                format!("{n} 筆記錄無法讀取，已略過；第一筆位於第 {at} 位元組：{why}")
            }
        }
    }
}
