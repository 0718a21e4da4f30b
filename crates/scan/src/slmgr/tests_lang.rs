//! The label tables: each reads, and output rendered from each gives the snapshot the English
//! output gives. The sources of each language's labels are in its table
//! (`crates/scan/labels/<lang>.tsv`); the real captures are tested in `tests_real.rs`.

use proptest::prelude::*;
use volact_core::ErrorCode;
use volact_core::finding::Kind as _;

use super::labels::{KEYS, Kind, Row, TABLES, key_index, read_table};
use super::*;

/// The text of `key` in table `lang` (its first row), or the English one for optional keys.
fn label(lang: usize, key: &str) -> String {
    let k = key_index(key).unwrap_or_else(|| panic!("unknown key {key}"));
    let first = |rows: Vec<Row>| rows.into_iter().find(|r| r.key == k).map(|r| r.text);
    first(read_table(lang).unwrap())
        .or_else(|| first(read_table(0).unwrap()))
        .unwrap()
}

/// One line: a label and its value (French puts a space before the colon), a whole line, or a
/// template filled with `value`.
fn line(lang: usize, key: &str, value: &str) -> String {
    let text = label(lang, key);
    let kind = KEYS[key_index(key).unwrap()].1;
    match kind {
        Kind::Label if TABLES[lang].0 == "fr" => format!("{text} : {value}"),
        Kind::Label => format!("{text}: {value}"),
        Kind::Template => text.replacen("{}", value, 1),
        Kind::Line | Kind::Value => text,
    }
}

/// Minutes and days as `/dlv` prints them.
fn minutes(lang: usize, m: u64) -> String {
    let (mu, du) = (label(lang, "unit_minutes"), label(lang, "unit_days"));
    format!("{m} {mu} ({} {du})", m / 1440)
}

/// A KMS client's `/dlv`, a KMS host's `/dlv` and an unactivated client's `/dli`, in one language.
fn render(lang: usize) -> String {
    let l = |k: &str, v: &str| line(lang, k, v);
    let state = |k: &str| label(lang, k);
    let interval = |m: u64| format!("{m} {}", label(lang, "unit_minutes"));
    let client = [
        l("service_version", "10.0.19041.3636"),
        String::new(),
        l("name", "Windows(R), Enterprise edition"),
        l(
            "description",
            "Windows(R) Operating System, VOLUME_KMSCLIENT channel",
        ),
        l("activation_id", "73111121-5638-40f6-bc11-f1d7b0d64300"),
        l("application_id", "55c92734-d682-4d71-983e-d6ec3f16059f"),
        l(
            "extended_pid",
            "03612-03048-000-000000-03-1033-19041.0000-1012024",
        ),
        l("product_key_channel", "Volume:GVLK"),
        l("installation_id", "123456789012345678901234567890"),
        l("partial_product_key", "2YT43"),
        l("license_status", &state("state_licensed")),
        l("volume_expiration", &minutes(lang, 259_185)),
        l("windows_rearm", "1001"),
        l("sku_rearm", "1001"),
        l("trusted_time", "11/24/2026 9:12:44 AM"),
        l("activation_type", "All"),
        String::new(),
        l("latest_activation", ""),
        l("client_section", ""),
        format!("    {}", l("cmid", "6c1c9d2e-5a7e-4d1c-9b3c-0f2d3e4a5b6c")),
        format!("    {}", l("kms_name_from_dns", "kms01.corp.example:1688")),
        format!("    {}", l("kms_ip", "10.0.0.15")),
        format!(
            "    {}",
            l(
                "kms_extended_pid",
                "06401-00206-557-123456-03-1033-17763.0000-2142024"
            )
        ),
        format!("    {}", l("activation_interval", &interval(120))),
        format!("    {}", l("renewal_interval", &interval(10080))),
        format!("    {}", l("host_caching_on", "")),
    ];
    let mut host = vec![
        String::new(),
        l("name", "Windows(R), ServerStandard edition"),
        l(
            "description",
            "Windows(R) Operating System, VOLUME_KMS_C channel",
        ),
        l("partial_product_key", "8XDDG"),
        l("license_status", &state("state_licensed")),
        String::new(),
        l("host_section", ""),
        format!("    {}", l("current_count", "12")),
        format!("    {}", l("listening_port", "1688")),
        format!("    {}", l("dns_publishing_off", "")),
        format!("    {}", l("priority", "Normal")),
        String::new(),
        l("requests_section", ""),
        format!("    {}", l("total_requests", "140")),
        format!("    {}", l("failed_requests", "31")),
    ];
    let requests = [
        "req_unlicensed",
        "req_licensed",
        "req_oob",
        "req_oot",
        "req_non_genuine",
        "req_notification",
    ];
    for (i, k) in requests.iter().enumerate() {
        host.push(format!("    {}", l(k, &(i * 7).to_string())));
    }
    let unactivated = [
        String::new(),
        l("name", "Windows(R), Professional edition"),
        l(
            "description",
            "Windows(R) Operating System, VOLUME_KMSCLIENT channel",
        ),
        l("partial_product_key", "T83GX"),
        l("license_status", &state("state_notification")),
        l("notification_reason", "0xC004F056."),
        l("time_remaining", &minutes(lang, 43_200)),
        l("client_section", ""),
        format!("    {}", l("cmid", "0b9c1e7d-2f3a-4c5b-8d6e-7f8091a2b3c4")),
        format!("    {}", l("dns_discovery_failed", "")),
        format!("    {}", l("host_caching_off", "")),
    ];
    client
        .iter()
        .chain(&host)
        .chain(&unactivated)
        .map(|s| s.trim_end().to_owned() + "\n")
        .collect()
}

/// The snapshot without what is kept as printed (and so differs by language).
fn comparable(mut s: Snapshot) -> Snapshot {
    s.language.clear();
    s.license_status = None;
    s.expiration = None;
    s.time_remaining = None;
    s
}

/// Output rendered from table `lang` gives the English snapshots, in that language.
fn same_as_english(lang: usize) {
    let en: Vec<Snapshot> = parse(&render(0)).into_iter().map(comparable).collect();
    assert_eq!(en.len(), 3);
    assert!(en[0].kms_client.is_some() && en[1].kms_host.is_some());
    let text = render(lang);
    let got = parse(&text);
    for s in &got {
        assert_eq!(s.language, TABLES[lang].0, "{text}");
        assert!(s.license_status.is_some(), "{s:#?}");
        assert!(s.read_by_shape.is_empty(), "{s:#?}");
    }
    let got: Vec<Snapshot> = got.into_iter().map(comparable).collect();
    assert_eq!(got, en, "{}:\n{text}", TABLES[lang].0);
    let ids = |s: &Snapshot| -> Vec<&str> { diagnose(s).iter().map(|f| f.kind.id()).collect() };
    assert_eq!(
        ids(&got[2]),
        ["notification", "kms-host-not-found", "gvlk-installed"]
    );
}

/// `/xpr` and `/ato` in table `lang`: the state and the attempt's result are read.
fn xpr_and_ato(lang: usize) {
    let l = |k: &str, v: &str| line(lang, k, v);
    let xpr = format!(
        "Windows(R), Enterprise edition:\n    {}\n",
        l("xpr_volume", "5/23/2027 9:12:44 AM")
    );
    let s = parse(&xpr);
    assert_eq!(s.len(), 1, "{xpr}");
    assert_eq!(s[0].license_state, Some(LicenseState::Licensed), "{xpr}");
    assert_eq!(s[0].name.as_deref(), Some("Windows(R), Enterprise edition"));
    let perm = format!(
        "Windows(R), Professional edition:\n{}.\n",
        l("xpr_permanent", "")
    );
    assert_eq!(
        parse(&perm)[0].license_state,
        Some(LicenseState::Licensed),
        "{perm}"
    );
    let ato = format!(
        "{} ...\n{}: 0xC004F074 ...\n",
        l(
            "ato_activating",
            "Windows(R), Enterprise edition (73111121-5638-40f6-bc11-f1d7b0d64300)"
        ),
        label(lang, "error")
    );
    let s = parse(&ato);
    assert_eq!(s.len(), 1, "{ato}");
    assert_eq!(s[0].name.as_deref(), Some("Windows(R), Enterprise edition"));
    assert_eq!(s[0].error_code, Some(ErrorCode::new(0xC004_F074)));
    assert_eq!(diagnose(&s[0])[0].kind.id(), "kms-unreachable");
    let ok = format!(
        "{}\n{}\n",
        l("ato_activating", "Windows(R), Enterprise edition (x) ..."),
        l("ato_success", "")
    );
    assert_eq!(parse(&ok)[0].activation_succeeded, Some(true), "{ok}");
}

/// One test per language; the comment names where its labels come from.
macro_rules! language {
    ($name:ident, $tag:literal) => {
        #[test]
        fn $name() {
            let lang = TABLES.iter().position(|t| t.0 == $tag).unwrap();
            same_as_english(lang);
            xpr_and_ato(lang);
        }
    };
}

// slmgr.vbs's English constants; a real English KMS host /dlv (tests_real.rs).
language!(english, "en");
// Microsoft's zh-TW doc terms for some labels; the rest unverified.
language!(traditional_chinese, "zh-TW");
// A real zh-CN /dlv and /ato capture for most labels (tests_real.rs); the rest unverified.
language!(simplified_chinese, "zh-CN");
// The license status line seen in a real capture quoted by scripts; the rest unverified.
language!(japanese, "ja");
// Unverified.
language!(korean, "ko");
// The license status line seen in a real capture quoted by scripts; the rest unverified.
language!(german, "de");
// Unverified.
language!(french, "fr");
// Unverified.
language!(spanish, "es");
// Unverified.
language!(italian, "it");
// Unverified.
language!(portuguese, "pt-BR");
// Unverified.
language!(russian, "ru");

#[test]
fn every_table_reads_and_names_its_sources() {
    assert_eq!(TABLES[0].0, "en");
    // Languages with some label backed by a real capture (`real:`) or Microsoft's docs (`doc:`).
    let backed = ["en", "zh-CN", "zh-TW", "ja", "de"];
    for (lang, (tag, _)) in TABLES.iter().enumerate() {
        let rows = read_table(lang).unwrap_or_else(|e| panic!("{e}"));
        assert!(rows.iter().all(|r| !r.source.is_empty()));
        let real = rows
            .iter()
            .filter(|r| r.source.starts_with("real:") || r.source.starts_with("doc:"))
            .count();
        assert_eq!(
            real > 0,
            backed.contains(tag),
            "{tag}: {real} backed labels"
        );
        if *tag != "en" {
            // The rest is marked as such.
            assert!(rows.iter().all(|r| r.source == "unverified"
                || r.source.starts_with("real:")
                || r.source.starts_with("doc:")));
        }
    }
    assert_eq!(languages().count(), 11);
}

#[test]
fn a_table_with_a_bad_row_is_refused() {
    use super::labels::TableError;
    assert!(matches!(
        super::labels::read_table_text("xx", "@source unverified\nno_such_key\tX\n"),
        Err(TableError::UnknownKey { .. })
    ));
    assert!(matches!(
        super::labels::read_table_text("xx", "name\tX\n"),
        Err(TableError::NoSource { .. })
    ));
    assert!(matches!(
        super::labels::read_table_text("xx", "@source unverified\nname X\n"),
        Err(TableError::Shape { .. })
    ));
}

#[test]
fn unknown_language_reads_values_by_their_shape() {
    // Polish labels (no table): what has a language-free shape is still read.
    let text = "\
Nazwa: Windows(R), Enterprise edition
Opis: Windows(R) Operating System, VOLUME_KMSCLIENT channel
Identyfikator aktywacji: 73111121-5638-40f6-bc11-f1d7b0d64300
Identyfikator aplikacji: 55c92734-d682-4d71-983e-d6ec3f16059f
Częściowy klucz produktu: 2YT43
Stan licencji: Powiadomienie
Przyczyna powiadomienia: 0xC004F056.
Pozostały czas: 43200 minut (30 dni)
Informacje o kliencie usługi zarządzania kluczami
    Client Machine ID (CMID): 6c1c9d2e-5a7e-4d1c-9b3c-0f2d3e4a5b6c
    Nazwa komputera KMS z DNS: kms01.corp.example:1688
    Adres IP komputera KMS: 10.0.0.15
";
    let s = parse(text);
    assert_eq!(s.len(), 1, "{s:#?}");
    let s = &s[0];
    assert_eq!(s.language, "en"); // only the CMID label is known (English)
    assert_eq!(s.name.as_deref(), Some("Windows(R), Enterprise edition"));
    assert_eq!(s.channel.as_deref(), Some("VOLUME_KMSCLIENT"));
    assert_eq!(
        s.activation_id.as_deref(),
        Some("73111121-5638-40f6-bc11-f1d7b0d64300")
    );
    assert_eq!(
        s.application_id.as_deref(),
        Some("55c92734-d682-4d71-983e-d6ec3f16059f")
    );
    assert_eq!(s.partial_product_key.as_deref(), Some("2YT43"));
    assert!(s.read_by_shape.contains(&"partial_product_key"));
    let c = s.kms_client.as_ref().unwrap();
    assert_eq!(
        c.kms_name_from_dns.as_deref(),
        Some("kms01.corp.example:1688")
    );
    assert_eq!(c.kms_ip.as_deref(), Some("10.0.0.15"));
}

#[test]
fn no_label_known_reports_unknown_language() {
    let text = "\
Nazwa: Windows(R), Enterprise edition
Opis: Windows(R) Operating System, VOLUME_MAK channel
Częściowy klucz produktu: 2YT43
";
    let s = parse(text);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].language, "unknown");
    assert_eq!(s[0].channel.as_deref(), Some("VOLUME_MAK"));
    assert_eq!(s[0].partial_product_key.as_deref(), Some("2YT43"));
}

#[test]
fn office_grace_kms_client_with_0xc004f074_is_kms_unreachable() {
    let text = "\
---Processing--------------------------
---------------------------------------
PRODUCT ID: 00339-10000-00000-AA680
SKU ID: d450596f-894d-49e0-966a-fd39ed4c4c64
LICENSE NAME: Office 16, Office16ProPlusVL_KMS_Client edition
LICENSE DESCRIPTION: Office 16, VOLUME_KMSCLIENT channel
BETA EXPIRATION: 01/01/1601
LICENSE STATUS:  ---OOB_GRACE---
ERROR CODE: 0xC004F074
ERROR DESCRIPTION: The Software Licensing Service reported that the product could not be activated.
REMAINING GRACE: 4 days  (5760 minute(s) before expiring)
Last 5 characters of installed product key: WFG99
Activation Type Configuration: ALL
\tDNS auto-discovery: KMS name not available
\tKMS machine registry override defined: kms.corp.example:1688
\tActivation Interval: 120 minutes
\tRenewal Interval: 10080 minutes
\tKMS host caching: Disabled
---------------------------------------
---------------------------------------
---Exiting-----------------------------
";
    let s = parse(text);
    assert_eq!(s.len(), 1, "{s:#?}");
    let o = &s[0];
    assert_eq!(o.product, Product::Office);
    assert_eq!(o.license_state, Some(LicenseState::OobGrace));
    assert_eq!(o.time_remaining_minutes, Some(5760));
    let c = o.kms_client.as_ref().unwrap();
    assert_eq!(
        c.registered_kms_name.as_deref(),
        Some("kms.corp.example:1688")
    );
    assert!(c.dns_discovery_failed);
    assert_eq!(c.host_caching, Some(false));
    let d: Vec<_> = diagnose(o).iter().map(|f| f.kind.id()).collect();
    assert_eq!(d, ["grace-period", "kms-unreachable", "gvlk-installed"]);
    let v = serde_json::to_value(o).unwrap();
    assert_eq!(v["product"], "office");
    assert_eq!(v["error_code"], "0xC004F074");
}

#[test]
fn ospp_status_codes_that_are_not_failures() {
    let text = "LICENSE NAME: Office 16, Office16ProPlusVL_KMS_Client edition\nLICENSE DESCRIPTION: Office 16, VOLUME_KMSCLIENT channel\nLICENSE STATUS:  ---OOB_GRACE---\nERROR CODE: 0x4004F00C\n";
    let s = parse(text);
    assert_eq!(s[0].license_state, Some(LicenseState::OobGrace));
    assert_eq!(s[0].error_code, Some(ErrorCode::new(0x4004_F00C)));
    assert_eq!(s[0].activation_succeeded, None);
    let d: Vec<_> = diagnose(&s[0]).iter().map(|f| f.kind.id()).collect();
    assert_eq!(d, ["grace-period", "kms-client-not-activated"]);
}

#[test]
fn ospp_notification_code_is_the_reason() {
    let text = "LICENSE NAME: Office 16, Office16ProPlusVL_KMS_Client edition\nLICENSE STATUS:  ---NOTIFICATIONS---\nERROR CODE: 0xC004F009\n";
    let s = parse(text);
    assert_eq!(s[0].license_state, Some(LicenseState::Notification));
    assert_eq!(s[0].notification_reason, Some(ErrorCode::new(0xC004_F009)));
    let d = diagnose(&s[0]);
    assert_eq!(d[0].kind.id(), "notification");
    assert_eq!(d[0].codes, [ErrorCode::new(0xC004_F009)]);
    assert!(d.iter().all(|f| f.kind.id() != "activation-failed"));
}

#[test]
fn mixed_languages_take_the_majority() {
    let zh = TABLES.iter().position(|t| t.0 == "zh-CN").unwrap();
    let de = TABLES.iter().position(|t| t.0 == "de").unwrap();
    let text = format!(
        "{}\n{}\n{}\n{}\n",
        line(zh, "name", "Windows(R), Enterprise edition"),
        line(zh, "partial_product_key", "2YT43"),
        line(de, "license_status", "Lizenziert"),
        line(zh, "trusted_time", "2020/2/27 11:48:43"),
    );
    let s = parse(&text);
    assert_eq!(s.len(), 1, "{text}");
    assert_eq!(s[0].language, "zh-CN");
    assert_eq!(s[0].license_state, Some(LicenseState::Licensed));
}

#[test]
fn huge_lines_and_half_snapshots_do_not_panic() {
    let huge = format!("许可证状态: {}\n", "已".repeat(1 << 20));
    assert!(parse(&huge).is_empty());
    let long_value = format!("Name: {}\nLicense Status: Licensed\n", "x".repeat(3000));
    assert_eq!(parse(&long_value).len(), 1);
    for text in [
        "许可证状态",
        "许可证状态:",
        "：",
        "Activating ",
        "Error:",
        "错误: 0x",
        "LICENSE STATUS:",
        "REMAINING GRACE: (",
        "SKU ID:",
        "{} wird aktiviert",
        " wird aktiviert",
        "Opis: VOLUME_ channel",
        "部分产品密钥: J462D\n客户端计算机 ID (CMID):",
    ] {
        let _ = parse(text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_mix_of_lines_reads_without_panic(lines in proptest::collection::vec(
        prop_oneof![
            Just("许可证状态: 已授权".to_owned()),
            Just("LICENSE STATUS:  ---OOB_GRACE---".to_owned()),
            Just("ERROR CODE: 0xC004F074".to_owned()),
            Just("Activating Windows(R) (x) ...".to_owned()),
            Just("Opis: Windows(R) Operating System, RETAIL channel".to_owned()),
            Just("Aktuelle Anzahl: 3".to_owned()),
            Just("Key Management Service is enabled on this machine".to_owned()),
            "\\PC{0,60}",
        ],
        0..40,
    )) {
        let text = lines.join("\n");
        for s in parse(&text) {
            prop_assert!(s.line <= s.end_line);
            prop_assert!(!s.language.is_empty());
        }
    }
}

#[test]
fn host_counters_without_labels_are_read_in_slmgr_order() {
    // A German host section whose counter labels no table has: the counters come in the order
    // slmgr prints them.
    let text = "\
Name: Windows(R), ServerStandard edition
Lizenzstatus: Lizenziert
Der Schlüsselverwaltungsdienst ist auf diesem Computer aktiviert
    Zähler: 3
    Port: 1688
    Gesamt: 140
    Fehlgeschlagen: 31
    Status A: 5
";
    let s = parse(text);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].language, "de");
    let h = s[0].kms_host.as_ref().unwrap();
    assert_eq!(h.current_count, Some(3));
    assert_eq!(h.listening_port, Some(1688));
    assert_eq!(h.total_requests, Some(140));
    assert_eq!(h.failed_requests, Some(31));
    assert_eq!(h.requests_by_status, [("Status A".to_owned(), 5)]);
    let d: Vec<_> = diagnose(&s[0]).iter().map(|f| f.kind.id()).collect();
    assert_eq!(
        d,
        [
            "licensed",
            "kms-count-below-threshold",
            "kms-failed-requests"
        ]
    );
}

#[test]
fn keys_in_localised_values_are_redacted() {
    let text =
        "名称: Windows\n描述：key BCDFG-HJKMP-QRTVW-XY234-6789B pasted\n许可证状态: 已授权\n";
    let s = parse(text);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].language, "zh-CN");
    let d = s[0].description.as_deref().unwrap();
    assert!(!d.contains("BCDFG") && d.contains("6789B"), "{d}");
}
