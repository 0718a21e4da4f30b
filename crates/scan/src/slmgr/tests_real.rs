//! The real captures in `../shared/data/real/` (each file's first line names its source).

use volact_core::ErrorCode;
use volact_core::finding::Kind;
use volact_testsupport::real_capture;

use super::*;

const ZH_CN: &str = "slmgr-dlv-ato-zh-CN-ltsc2019-kms-client-and-ospp-dstatus.txt";

#[test]
fn zh_cn_capture_gives_every_snapshot() {
    let Some(text) = real_capture(ZH_CN) else {
        return;
    };
    let s = parse(&text);
    for x in &s {
        eprintln!("{}", serde_json::to_string(x).unwrap());
    }
    // ospp /act, ospp /dstatus, slmgr /ato, slmgr /dlv.
    assert_eq!(s.len(), 4, "{s:#?}");
    let (act, dstatus, ato, dlv) = (&s[0], &s[1], &s[2], &s[3]);
    assert_eq!(act.product, Product::Office);
    assert_eq!(act.activation_succeeded, Some(true));
    assert_eq!(act.partial_product_key.as_deref(), Some("WFG99"));
    assert_eq!(dstatus.product, Product::Office);
    assert_eq!(dstatus.language, "en");
    assert_eq!(dstatus.license_state, Some(LicenseState::Licensed));
    assert_eq!(dstatus.channel.as_deref(), Some("VOLUME_KMSCLIENT"));
    assert_eq!(dstatus.expiration_minutes, Some(259_200));
    let c = dstatus.kms_client.as_ref().unwrap();
    assert_eq!(
        c.kms_name_from_dns.as_deref(),
        Some("kms.vircloud.net:1688")
    );
    assert_eq!(c.activation_interval_minutes, Some(120));
    assert_eq!(c.renewal_interval_minutes, Some(10080));
    assert_eq!(c.host_caching, Some(true));

    assert_eq!(ato.language, "zh-CN");
    assert_eq!(ato.product, Product::Windows);
    assert_eq!(ato.name.as_deref(), Some("Windows(R), EnterpriseS edition"));
    assert_eq!(ato.activation_succeeded, Some(true));

    assert_eq!(dlv.language, "zh-CN");
    assert_eq!(dlv.service_version.as_deref(), Some("10.0.17763.1039"));
    assert_eq!(dlv.name.as_deref(), Some("Windows(R), Enterprises edition"));
    // The author retyped `VOLUME-KMSCLIENT`; the reader takes the hyphen for the underscore.
    assert_eq!(dlv.channel.as_deref(), Some("VOLUME_KMSCLIENT"));
    assert_eq!(dlv.product_key_channel.as_deref(), Some("Volume:GVLK"));
    assert_eq!(dlv.partial_product_key.as_deref(), Some("J462D"));
    assert_eq!(dlv.license_status.as_deref(), Some("已授权"));
    assert_eq!(dlv.license_state, Some(LicenseState::Licensed));
    assert_eq!(dlv.expiration_minutes, Some(259_197));
    assert_eq!(dlv.rearm_count, Some(1001));
    assert_eq!(dlv.trusted_time.as_deref(), Some("2020/2/27 11:48:43"));
    assert_eq!(dlv.activation_type.as_deref(), Some("全部"));
    assert!(dlv.is_kms_client());
    let c = dlv.kms_client.as_ref().unwrap();
    // The author masked the CMID as `*-*-*-*-*`: read as printed.
    assert_eq!(c.cmid.as_deref(), Some("*-*-*-*-*"));
    assert_eq!(
        c.kms_name_from_dns.as_deref(),
        Some("kms.vircloud.net:1688")
    );
    assert_eq!(c.kms_ip.as_deref(), Some("192.168.100.1"));
    assert!(c.kms_extended_pid.is_some());
    assert_eq!(c.activation_interval_minutes, Some(120));
    assert_eq!(c.renewal_interval_minutes, Some(10080));
    assert_eq!(c.host_caching, Some(true));
    assert!(dlv.read_by_shape.is_empty(), "{:?}", dlv.read_by_shape);
    let d: Vec<_> = diagnose(dlv).iter().map(|f| f.kind.id()).collect();
    assert_eq!(d, ["licensed", "gvlk-installed"]);
    // The Activation ID is masked; J462D ends Microsoft's published key of the LTSC 2019 row
    // (shared with LTSC 2021 and 2024), so the edition comes from the key.
    let e = dlv.edition.unwrap();
    assert_eq!(e.named_by, NamedBy::GvlkTail);
    assert!(e.product.name.contains("Windows 10 Enterprise LTSC 2019"));
    assert_eq!(e.product.kms_count(), 25);
    let v = serde_json::to_value(dlv).unwrap();
    assert_eq!(v["edition"]["family"], "windows");
    assert_eq!(v["edition"]["kms_count"], 25);
    assert_eq!(v["edition"]["named_by"], "gvlk-tail");
    assert_eq!(v["gvlk_edition"], e.product.name);
    // Both Office snapshots: WFG99 is the published key of Office Professional Plus 2016.
    for o in [act, dstatus] {
        assert_eq!(o.gvlk_edition, Some("Office Professional Plus 2016"));
        let e = o.edition.unwrap().product;
        assert_eq!(
            (e.name, e.kms_count()),
            ("Office Professional Plus 2016", 5)
        );
    }
    let words = crate::phrases::diagnosis(&diagnose(dstatus)[1].kind, volact_core::Lang::En);
    assert_eq!(
        words,
        "KMS client setup key (GVLK) for Office Professional Plus 2016 installed."
    );
    // The Q&A line after the /dlv is not an activation attempt of that product.
    assert_eq!(dlv.error_code, None);
}

#[test]
fn english_kms_host_dlv() {
    let Some(text) = real_capture("event-12308-adba-success-and-kms-host-dlv-en.txt") else {
        return;
    };
    let s = parse(&text);
    assert!(!s.is_empty());
    let h = &s[0];
    assert_eq!(h.language, "en");
    assert_eq!(
        h.name.as_deref(),
        Some("Windows(R), ServerStandard edition")
    );
    assert_eq!(h.channel.as_deref(), Some("VOLUME_KMS_2012-R2_WIN10"));
    assert_eq!(h.product_key_channel.as_deref(), Some("Volume:CSVLK"));
    assert_eq!(h.license_state, Some(LicenseState::Licensed));
    // Both rearm lines set the one count; the SKU line comes last.
    assert_eq!(h.rearm_count, Some(1001));
    let k = h.kms_host.as_ref().unwrap();
    assert_eq!(k.current_count, Some(0));
    assert_eq!(k.listening_port, Some(1688));
    assert_eq!(k.dns_publishing, Some(true));
    assert_eq!(k.priority.as_deref(), Some("Normal"));
    assert_eq!(k.total_requests, Some(0));
    assert_eq!(k.failed_requests, Some(0));
    assert_eq!(k.requests_by_status.len(), 6);
    assert_eq!(
        k.requests_by_status[2],
        ("Initial grace period".to_owned(), 0)
    );
    let d: Vec<_> = diagnose(h).iter().map(|f| f.kind.id()).collect();
    assert_eq!(d, ["licensed", "kms-count-below-threshold"]);
    // The user masked the Activation ID and the partial key, and the Windows Server 2012 R2
    // host key for Windows 10 is not in Microsoft's current planning table: volact names no
    // host key rather than guess one from the channel.
    assert_eq!(h.host_key, None);
    assert_eq!(h.edition, None);
    assert_eq!(h.gvlk_edition, None);
}

#[test]
fn ospp_act_with_kb_notice() {
    let Some(text) = real_capture("ospp-act-0x8007000D-with-kb-notice.txt") else {
        return;
    };
    let s = parse(&text);
    assert_eq!(s.len(), 1, "{s:#?}");
    let o = &s[0];
    assert_eq!(o.product, Product::Office);
    assert_eq!(o.language, "en");
    assert_eq!(
        o.activation_id.as_deref(),
        Some("b322da9c-a2e2-4058-9e4e-f59a6970bd69")
    );
    assert_eq!(
        o.name.as_deref(),
        Some("Office 15, OfficeProPlusVL_KMS_Client edition")
    );
    assert_eq!(o.channel.as_deref(), Some("VOLUME_KMSCLIENT"));
    assert_eq!(o.partial_product_key.as_deref(), Some("GVGXT"));
    assert_eq!(o.error_code, Some(ErrorCode::new(0x8007_000D)));
    assert_eq!(o.kb_notice, Some(ErrorCode::new(0x8007_000D)));
    assert_eq!(o.activation_succeeded, Some(false));
    assert!(o.more_info.as_deref().unwrap().contains("kb/2870357"));
    assert!(
        o.error_description
            .as_deref()
            .unwrap()
            .contains("/ddescr:0x8007000D")
    );
    let d = diagnose(o);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].kind.id(), "activation-failed");
    // The SKU ID and the partial key both name Office Professional Plus 2013.
    let e = o.edition.unwrap();
    assert_eq!(e.named_by, NamedBy::ActivationId);
    assert_eq!(e.product.name, "Office Professional Plus 2013");
    assert_eq!(d[1].kind.id(), "gvlk-installed");
    assert_eq!(d[0].codes, vec![ErrorCode::new(0x8007_000D)]);
}

#[test]
fn markers_mark_every_snapshot_of_the_real_captures() {
    let m = markers();
    assert!(m.iter().all(|w| w.chars().count() >= 2));
    for name in [ZH_CN, "ospp-act-0x8007000D-with-kb-notice.txt"] {
        let Some(text) = real_capture(name) else {
            return;
        };
        for s in parse(&text) {
            let lines: Vec<&str> = text
                .lines()
                .skip(usize::try_from(s.line - 1).unwrap())
                .take(usize::try_from(s.end_line - s.line + 1).unwrap())
                .collect();
            let block = lines.join("\n");
            assert!(m.iter().any(|w| block.contains(w)), "{name}: {block}");
        }
    }
}
