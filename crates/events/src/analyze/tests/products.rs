//! Products in event reports: each host client row names its product from the Activation ID of
//! its 12290, the host view counts clients by product family, refusals for the product
//! (0xC004F042 / 0xC004F015) name the host key needed, and the ADBA and retail-channel codes
//! have findings of their own.

use volact_core::Lang;
use volact_core::event::{Event, Timestamp, parse_data, parse_info};
use volact_core::finding::Level;
use volact_core::products::Family;

use crate::analyze::*;
use crate::phrases::phrase;

const T: i64 = 1_795_000_000;
/// Windows 11 Enterprise / Windows 10 Enterprise.
const ENTERPRISE: &str = "73111121-5638-40f6-bc11-f1d7b0d64300";
/// Windows Server 2025 Standard.
const WS2025: &str = "7dc26449-db21-4e09-ba37-28f2958506a6";
/// No product row has it.
const UNKNOWN: &str = "0b9bc9e5-1111-4222-8333-944444444444";

fn host(pc: &str, code: &str, min: u32, id: &str) -> Event {
    let cmid = format!(
        "{:0>8}-0000-4000-8000-000000000000",
        pc.len() * 7 + pc.as_bytes()[2] as usize
    );
    let info = format!("{code}, {min}, {pc}, {cmid}, 2026/11/18 11:00, 0, 1, 0, {id}");
    let mut e = Event::new(12290, parse_info(12290, &info).unwrap());
    e.time = Some(Timestamp::from_unix(T, true));
    e
}

fn spp(id: u32, items: &[&str]) -> Event {
    let mut e = Event::new(id, parse_data(id, items).unwrap());
    e.provider = Some("Microsoft-Windows-Security-SPP".into());
    e.computer = Some("pc9".into());
    e.time = Some(Timestamp::from_unix(T, true));
    e
}

fn report(events: Vec<Event>, lang: Lang) -> Report {
    let mut an = Analyzer::new(Options::default());
    for e in events {
        an.read(1);
        an.event(e);
    }
    an.report(lang)
}

#[test]
fn host_rows_name_products_and_the_view_counts_families() {
    let r = report(
        vec![
            host("pc1", "0x0", 25, ENTERPRISE),
            host("pc2", "0xC004F042", 5, WS2025),
            host("pc3", "0xC004F015", 5, UNKNOWN),
            host("pc4", "0x0", 25, ENTERPRISE),
        ],
        Lang::En,
    );
    let h = r.host.as_ref().unwrap();
    let row = |n: &str| h.clients.iter().find(|c| c.name == n).unwrap();
    assert_eq!(
        row("pc1").product,
        Some("Windows 11 Enterprise / Windows 10 Enterprise")
    );
    assert_eq!(row("pc1").family, Some(Family::Windows));
    assert_eq!(row("pc2").family, Some(Family::Server));
    // Unknown: shown raw, never guessed.
    assert_eq!(row("pc3").product, None);
    assert_eq!(row("pc3").activation_id.as_deref(), Some(UNKNOWN));
    let fams: Vec<(Option<Family>, u64, Option<u32>)> = h
        .families
        .iter()
        .map(|f| (f.family, f.clients, f.threshold))
        .collect();
    assert_eq!(
        fams,
        [
            (Some(Family::Windows), 2, Some(25)),
            (Some(Family::Server), 1, Some(5)),
            (None, 1, None)
        ]
    );
    assert_eq!(h.families[2].products[0].activation_id, UNKNOWN);
    assert_eq!(h.families[2].products[0].refused, 1);
    // The count keeps its own rules.
    assert_eq!(h.count.as_ref().unwrap().distinct_cmids, 4);

    let f = r
        .findings
        .iter()
        .find(|f| f.id() == "host_key_cannot_serve")
        .unwrap();
    assert_eq!(f.level, Level::Error);
    let codes: Vec<u32> = f.codes.iter().map(|c| c.value()).collect();
    assert!(
        codes.contains(&0xC004_F042) && codes.contains(&0xC004_F015),
        "{codes:?}"
    );
    let ReportFinding::HostKeyCannotServe { clients, products } = &f.kind else {
        unreachable!()
    };
    assert_eq!(*clients, 2);
    let ws = products.iter().find(|p| p.activation_id == WS2025).unwrap();
    assert_eq!(ws.product, Some("Windows Server 2025 Standard"));
    assert_eq!(ws.host_key, Some("Volume License for Windows Server 2025"));
    assert!(
        ws.hosts.iter().any(|h| h.update == Some("KB5034765")),
        "{ws:?}"
    );
    let unknown = products
        .iter()
        .find(|p| p.activation_id == UNKNOWN)
        .unwrap();
    assert_eq!((unknown.product, unknown.host_key), (None, None));
    let en = phrase(&f.kind, Lang::En);
    assert!(en.contains("Windows Server 2025 Standard (1 client(s)): Volume License for Windows Server 2025, on Windows Server 2025, Windows Server 2022 + KB5034765"), "{en}");
    assert!(
        en.contains(&format!(
            "Activation ID {UNKNOWN} (1 client(s)): not in volact's products table"
        )),
        "{en}"
    );
    assert!(phrase(&f.kind, Lang::ZhTw).contains("主機金鑰"));

    // JSON additions, CSV and text columns at the end.
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["host"]["families"][0]["family"], "windows");
    assert_eq!(v["host"]["clients"][1]["family"], "server");
    let nd = crate::render::ndjson(&r);
    assert!(
        nd.lines()
            .any(|l| l.starts_with(r#"{"type":"family","family":"server","clients":1"#)),
        "{nd}"
    );
    let csv = crate::render::clients_csv(&r);
    assert!(
        csv.lines()
            .any(|l| l.ends_with(",Windows Server 2025 Standard,server")),
        "{csv}"
    );
    let text = crate::render::text(&r);
    assert!(text.contains("Clients by product family:"), "{text}");
    assert!(
        text.contains("Windows client: 2 (a host needs 25)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{UNKNOWN}  (1 refused: 0xC004F042/0xC004F015)")),
        "{text}"
    );
    let md = crate::render::markdown(&r);
    assert!(md.contains("| product | family |"), "{md}");
    let zh = crate::render::text(&report(
        vec![host("pc1", "0x0", 25, ENTERPRISE)],
        Lang::ZhTw,
    ));
    assert!(zh.contains("各產品系列的用戶端"), "{zh}");
}

/// No refusal: no host-key finding, however many products; a refusal whose request named no
/// Activation ID is still counted.
#[test]
fn no_refusal_no_host_key_finding() {
    let r = report(vec![host("pc1", "0xC004F038", 25, ENTERPRISE)], Lang::En);
    assert!(r.findings.iter().all(|f| f.id() != "host_key_cannot_serve"));
    let info =
        "0xC004F042, 5, pc2, 00000002-0000-4000-8000-000000000000, 2026/11/18 11:00, 0, 1, 0";
    let mut e = Event::new(12290, parse_info(12290, info).unwrap());
    e.time = Some(Timestamp::from_unix(T, true));
    let r = report(vec![e], Lang::En);
    assert_eq!(r.host.as_ref().unwrap().refused_unnamed, 1);
    let f = r
        .findings
        .iter()
        .find(|f| f.id() == "host_key_cannot_serve")
        .unwrap();
    assert_eq!(
        f.kind,
        ReportFinding::HostKeyCannotServe {
            clients: 1,
            products: Vec::new()
        }
    );
}

#[test]
fn retail_channel_names_the_gvlk_or_says_there_is_none() {
    let rule = |sku: &str| {
        format!(
            "RuleId=31e71c49-8da7-4a2f-ad92-45d98a1c79ba;Action=AutoActivate;SkuId={sku};Trigger=UserLogon"
        )
    };
    let r = report(
        vec![
            spp(8198, &["hr=0x8007007B", &rule(ENTERPRISE)]),
            spp(8198, &["hr=0x8007007B", &rule(UNKNOWN)]),
            spp(8198, &["hr=0x8007007B", &rule(ENTERPRISE)]),
        ],
        Lang::En,
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.id() == "retail_channel")
        .unwrap();
    assert_eq!(f.level, Level::Error);
    assert_eq!(f.codes[0].value(), 0x8007_007B);
    let ReportFinding::RetailChannel { failures, skus } = &f.kind else {
        unreachable!()
    };
    assert_eq!(*failures, 3);
    assert_eq!(skus.len(), 2);
    assert_eq!(skus[0].gvlk, Some("NPPR9-FWDCX-D2C8J-H872K-2YT43"));
    assert_eq!(skus[1].gvlk, None);
    let en = phrase(&f.kind, Lang::En);
    assert!(en.contains("GVLK NPPR9-FWDCX-D2C8J-H872K-2YT43"), "{en}");
    assert!(
        en.contains(&format!("SKU {UNKNOWN}: not a KMS client SKU")),
        "{en}"
    );
    assert!(
        f.commands
            .iter()
            .any(|c| c.ends_with("/ipk NPPR9-FWDCX-D2C8J-H872K-2YT43"))
    );
    assert!(phrase(&f.kind, Lang::ZhTw).contains("零售版"));
    // Another 8198 code: no such finding.
    let r = report(
        vec![spp(8198, &["hr=0x8007232B", &rule(ENTERPRISE)])],
        Lang::En,
    );
    assert!(r.findings.iter().all(|f| f.id() != "retail_channel"));
}

#[test]
fn ad_codes_have_findings_of_their_own() {
    const SKU: &str = ENTERPRISE;
    let r = report(
        vec![
            spp(8215, &["0xC004F081", SKU]),
            spp(8213, &["0x80072030", "kms-id"]),
            spp(8215, &["0xC004F083", SKU]),
        ],
        Lang::En,
    );
    let ids: Vec<&str> = r.findings.iter().map(|f| f.id()).collect();
    assert!(ids.contains(&"ad_activation_failed"), "{ids:?}");
    let nf = r
        .findings
        .iter()
        .find(|f| f.id() == "ad_object_not_found")
        .unwrap();
    assert_eq!(nf.kind, ReportFinding::AdObjectNotFound { failures: 1 });
    assert_eq!(nf.codes[0].value(), 0xC004_F081);
    let old = r
        .findings
        .iter()
        .find(|f| f.id() == "ad_schema_too_old")
        .unwrap();
    assert_eq!(old.kind, ReportFinding::AdSchemaTooOld { failures: 2 });
    assert!(phrase(&nf.kind, Lang::En).contains("no activation object"));
    assert!(phrase(&old.kind, Lang::En).contains("schema"));
    assert!(phrase(&old.kind, Lang::ZhTw).contains("結構描述"));
    assert!(old.commands[0].starts_with("Get-ADObject"));
    // Another code: only the general finding.
    let r = report(vec![spp(8215, &["0xC004F074", SKU])], Lang::En);
    let ids: Vec<&str> = r.findings.iter().map(|f| f.id()).collect();
    assert!(!ids.contains(&"ad_object_not_found") && !ids.contains(&"ad_schema_too_old"));
}
