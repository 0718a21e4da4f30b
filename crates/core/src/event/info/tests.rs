//! Tests of the Info and Data parsers.

use super::*;

const CMID: &str = "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11";
const ACT: &str = "2ffd8952-423e-4903-b993-72a1aa44cf82";

#[test]
fn client_request_full_and_short() {
    let info = format!(
        "0xC004F06C,  0x0, kms01.contoso.com:1688, {{{}}}, 2026/11/24 14:14, 0, 2, 43200, {ACT}, 25",
        CMID.to_uppercase()
    );
    let EventData::ClientRequest(r) = parse_info(12288, &info).unwrap() else {
        panic!()
    };
    assert_eq!(r.code, Some(ErrorCode::new(0xC004_F06C)));
    assert_eq!(r.status, Some(StatusFlags(0)));
    assert_eq!(
        r.kms.as_ref().unwrap().to_string(),
        "kms01.contoso.com:1688"
    );
    assert_eq!(r.cmid.as_deref(), Some(CMID));
    assert_eq!(r.client_time.unwrap().to_string(), "2026-11-24T14:14:00");
    assert_eq!(r.vm, Some(false));
    assert_eq!(r.license_state, Some(LicenseState::OobGrace));
    assert_eq!(r.minutes_to_expiry, Some(43200));
    assert_eq!(r.activation_id.as_deref(), Some(ACT));
    assert_eq!(r.min_count, Some(25));
    // The F06C sample ends with an empty field 9; shorter lists lose trailing fields only.
    let short = format!("0x0, 0x0, kms:1688, {CMID}, 2026/11/24 14:14, 0, 1, 259200, {ACT}, ");
    let EventData::ClientRequest(r) = parse_info(12288, &short).unwrap() else {
        panic!()
    };
    assert_eq!(
        (r.min_count, r.license_state),
        (None, Some(LicenseState::Licensed))
    );
    let EventData::ClientRequest(r) = parse_info(12288, "0x800706BA").unwrap() else {
        panic!()
    };
    assert_eq!((r.code.unwrap().value(), r.kms), (0x8007_06BA, None));
}

#[test]
fn client_response() {
    let EventData::ClientResponse(r) = parse_info(
        12289,
        " 0x0 , 0x4000008 , 0 , 0 , 3 , 120 , 10080 , 2026/11/24 14:14 ",
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(r.status.unwrap().names().len(), 2);
    assert_eq!(r.activated, Some(false));
    assert_eq!(r.current_count, Some(3));
    assert_eq!(
        (r.activation_interval, r.renewal_interval),
        (Some(120), Some(10080))
    );
}

#[test]
fn host_request_info_and_data() {
    let info = format!("0x0, 5, srv1.contoso.com, {CMID}, 2026/11/24 14:14, 1, 1, 259200, {ACT}");
    let a = parse_info(12290, &info).unwrap();
    let items: Vec<&str> = info.split(',').collect();
    assert_eq!(parse_data(12290, &items).unwrap(), a);
    let mut with0 = vec!["xyz"];
    with0.extend(&items);
    assert_eq!(parse_data(12290, &with0).unwrap(), a);
    assert_eq!(parse_data(12290, &["0", info.as_str()]).unwrap(), a);
    let EventData::HostRequest(h) = a else {
        panic!()
    };
    assert_eq!(h.vm, Some(true));
    assert_eq!(h.min_count, Some(5));
    assert_eq!(h.client.as_deref(), Some("srv1.contoso.com"));
    // Truncated items keep what is there.
    let EventData::HostRequest(h) = parse_data(12290, &["0xC004F038", "25", "pc"]).unwrap() else {
        panic!()
    };
    assert_eq!((h.client.as_deref(), h.cmid), (Some("pc"), None));
}

#[test]
fn errors_say_what_and_where() {
    assert_eq!(parse_info(12290, "  "), Err(InfoError::Empty { id: 12290 }));
    assert_eq!(
        parse_info(12288, ", 0x0, kms"),
        Err(InfoError::MissingCode { id: 12288 })
    );
    let e = parse_info(12290, "0x0, many, pc").unwrap_err();
    assert_eq!(
        e.to_string(),
        "event 12290: field 1 (minimum count) is not valid: \"many\""
    );
    assert!(matches!(
        parse_info(12288, "0xZZ"),
        Err(InfoError::BadField { index: 0, .. })
    ));
    assert!(matches!(
        parse_info(12289, "0x0,0x0,1,0,5,120,10080,yesterday"),
        Err(InfoError::BadField { index: 7, .. })
    ));
}

#[test]
fn dns_events() {
    assert_eq!(
        parse_info(12293, "0x8007232B, contoso.com").unwrap(),
        EventData::DnsPublishFailed(DnsPublish {
            code: Some(ErrorCode::new(0x8007_232B)),
            domain: Some("contoso.com".into())
        })
    );
    assert_eq!(
        parse_data(12293, &["x", "0x80072338", "corp.example"]).unwrap(),
        parse_info(12293, "0x80072338,corp.example").unwrap()
    );
    assert_eq!(
        parse_data(12294, &["contoso.com"]).unwrap(),
        EventData::DnsPublished(DnsPublish {
            code: None,
            domain: Some("contoso.com".into())
        })
    );
}

#[test]
fn slui_8198() {
    let items = [
        "hr=0xC004F074",
        "RuleId=eeba1977-569e-4571-b639-7623d8bfecc0;Action=AutoActivate;AppId=55c92734-d682-4d71-983e-d6ec3f16059f;SkuId=1cb6d605-11b3-4e14-bb30-da91c8e3983a;NotificationInterval=1440;Trigger=TimerEvent",
    ];
    let EventData::SluiFailed(s) = parse_data(8198, &items).unwrap() else {
        panic!()
    };
    assert_eq!(s.code, Some(ErrorCode::new(0xC004_F074)));
    assert_eq!(
        s.rule_id.as_deref(),
        Some("eeba1977-569e-4571-b639-7623d8bfecc0")
    );
    assert_eq!(s.action.as_deref(), Some("AutoActivate"));
    assert_eq!(
        s.sku_id.as_deref(),
        Some("1cb6d605-11b3-4e14-bb30-da91c8e3983a")
    );
    assert_eq!(s.trigger.as_deref(), Some("TimerEvent"));
    assert_eq!(
        parse_info(8198, "nothing here"),
        Err(InfoError::MissingCode { id: 8198 })
    );
}

#[test]
fn licensing_status_1003() {
    let text = "Application Id=55c92734-d682-4d71-983e-d6ec3f16059f\nLicensing Status=\n\
                1: 040fa323-92b1-4baf-97a2-5b67feaefddb, 1, 0 [(0 [0xC004F014, 0, 0], [(?)(?)(?)(?)(?)(?)])]\n\
                2: 0724cb7d-3437-4cb7-93cb-830375d0079d, 1, 0 [(0 [0xC004F014, 0, 0], [(?)(?)])]\n";
    let EventData::LicensingStatus(l) = parse_info(1003, text).unwrap() else {
        panic!()
    };
    assert_eq!(
        l.app_id.as_deref(),
        Some("55c92734-d682-4d71-983e-d6ec3f16059f")
    );
    assert_eq!(l.skus.len(), 2);
    assert_eq!(l.codes, [ErrorCode::new(0xC004_F014)]);
    // The XML form: the application ID is the first Data item; 0x00000000 is not a finding.
    let EventData::LicensingStatus(l) = parse_data(
        1003,
        &[
            "<string>55c92734-d682-4d71-983e-d6ec3f16059f</string>",
            "<string>1: 2b1f36bb-c1cd-4306-bf5c-a0367c2d97d8, 1, 1 [(2 [0xC004E003, 0, 0], [( 1 0xC004F034)])(3 [0x00000000, 0, 0])]</string>",
        ],
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(
        l.app_id.as_deref(),
        Some("55c92734-d682-4d71-983e-d6ec3f16059f")
    );
    assert_eq!(l.skus, ["2b1f36bb-c1cd-4306-bf5c-a0367c2d97d8"]);
    assert_eq!(
        l.codes,
        [ErrorCode::new(0xC004_E003), ErrorCode::new(0xC004_F034)]
    );
}

#[test]
fn other_ids_keep_codes() {
    assert_eq!(
        parse_data(16394, &["x 0xC004F034 y 0xC004F034", "0xC004E003"]).unwrap(),
        EventData::Other {
            codes: vec![ErrorCode::new(0xC004_F034), ErrorCode::new(0xC004_E003)]
        }
    );
}

#[test]
fn hresult_forms() {
    assert_eq!(hresult("0x0"), Some(ErrorCode::new(0)));
    assert_eq!(hresult("0x6BA"), Some(ErrorCode::new(0x6BA)));
    assert_eq!(hresult("hr=0xC004F074"), Some(ErrorCode::new(0xC004_F074)));
    assert_eq!(hresult("-1073418124"), Some(ErrorCode::new(0xC004_F074)));
    assert_eq!(hresult("0x1C004F074"), None);
    assert!(is_guid("{5CD1D6D4-3D4B-4A65-9D1B-6F8E2F0C1A11}"));
    assert!(!is_guid("5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a1"));
}

/// The nine fields of a 12290 as a modern host logs them (Microsoft's KB974998 sample, with a
/// client name in place of the redaction).
const HOST_FIELDS: [&str; 9] = [
    "0xC004F06C",
    "5",
    "pc7.contoso.test",
    "36f27b39-2fd5-440b-be67-a09996d27a38",
    "2010/9/29 21:46",
    "0",
    "2",
    "41520",
    "68531fb9-5511-4989-97be-d11a0f55633f",
];

/// Every layout of one event: the fields alone, after a leading item holding the list joined
/// with `sep` (or `"0"`), the list in one item, and each of these flattened with `", "`.
fn layouts(fields: &[&str], sep: &str) -> Vec<Vec<String>> {
    let list = fields.join(sep);
    let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let ten: Vec<String> = std::iter::once(list.clone()).chain(own(fields)).collect();
    let zero: Vec<String> = std::iter::once("0".to_owned()).chain(own(fields)).collect();
    let mut out = vec![own(fields), ten, zero, vec![list]];
    let flat: Vec<Vec<String>> = out.iter().map(|l| vec![l.join(", ")]).collect();
    out.extend(flat);
    out
}

fn parse_all(id: u32, all: &[Vec<String>]) -> Vec<Result<EventData, InfoError>> {
    all.iter()
        .map(|l| {
            let items: Vec<&str> = l.iter().map(String::as_str).collect();
            parse_data(id, &items)
        })
        .collect()
}

#[test]
fn host_request_every_layout_gives_one_record() {
    let all = layouts(&HOST_FIELDS, ",");
    let want = parse_info(12290, &HOST_FIELDS.join(",")).unwrap();
    for (l, got) in all.iter().zip(parse_all(12290, &all)) {
        assert_eq!(got.as_ref(), Ok(&want), "{l:?}");
    }
    let EventData::HostRequest(h) = want else {
        panic!()
    };
    assert_eq!(h.code, Some(ErrorCode::new(0xC004_F06C)));
    assert_eq!(h.min_count, Some(5));
    assert_eq!(h.client.as_deref(), Some("pc7.contoso.test"));
    assert_eq!(h.minutes_to_expiry, Some(41520));
    assert_eq!(h.client_time.unwrap().to_string(), "2010-09-29T21:46:00");
    // The flattened 10-item form is 18 comma fields: the nine, twice.
    let flat = layouts(&HOST_FIELDS, ",")[5].clone();
    assert_eq!(flat[0].split(',').count(), 18);
    // Where the joined copy and the separate items differ, the separate items win.
    let mut items: Vec<&str> = vec!["0xC004F06C,5,other,x,y,0,2,1,z"];
    items.extend(HOST_FIELDS);
    assert_eq!(
        parse_data(12290, &items).unwrap(),
        parse_data(12290, &HOST_FIELDS).unwrap()
    );
}

#[test]
fn client_events_every_layout_give_one_record() {
    let req = [
        "0xC004F06C",
        "0x00000000",
        "kms01.contoso.test:1688",
        "36f27b39-2fd5-440b-be67-a09996d27a38",
        "2010/09/29 17:52",
        "0",
        "2",
        "41760",
        "68531fb9-5511-4989-97be-d11a0f55633f",
        "5",
    ];
    let resp = [
        "0x0",
        "0x0",
        "1",
        "0",
        "37",
        "120",
        "10080",
        "2026/11/24 14:14",
    ];
    for (id, fields) in [(12288, &req[..]), (12289, &resp[..])] {
        for sep in [", ", ","] {
            let all = layouts(fields, sep);
            let want = parse_info(id, &fields.join(", ")).unwrap();
            for (l, got) in all.iter().zip(parse_all(id, &all)) {
                assert_eq!(got.as_ref(), Ok(&want), "{id} {l:?}");
            }
        }
    }
    // Microsoft's 12288 line reads in full.
    let EventData::ClientRequest(r) = parse_info(12288, &req.join(", ")).unwrap() else {
        panic!()
    };
    assert_eq!(r.min_count, Some(5));
    assert_eq!(r.kms.unwrap().to_string(), "kms01.contoso.test:1688");
}

#[test]
fn dns_publish_failed_layouts() {
    let want = EventData::DnsPublishFailed(DnsPublish {
        code: Some(ErrorCode::new(0x8007_232B)),
        domain: Some("contoso.com".into()),
    });
    for items in [
        &["0x8007232B", "contoso.com"][..],
        &["0x8007232B, contoso.com"],
        &["0x8007232B,contoso.com"],
        &["0", "0x8007232B", "contoso.com"],
        &["0, 0x8007232B, contoso.com"],
    ] {
        assert_eq!(parse_data(12293, items).as_ref(), Ok(&want), "{items:?}");
    }
    assert_eq!(
        parse_info(12293, "0x8007232B, contoso.com").as_ref(),
        Ok(&want)
    );
}

#[test]
fn repeated_fields_are_not_an_error() {
    // A flattened 12290 whose nine fields include empty ones still reads once.
    let mut f = HOST_FIELDS;
    f[2] = "";
    f[7] = "";
    let all = layouts(&f, ",");
    let want = parse_data(12290, &f).unwrap();
    for (l, got) in all.iter().zip(parse_all(12290, &all)) {
        assert_eq!(got.as_ref(), Ok(&want), "{l:?}");
    }
    // Long input: only the first fields are read, with no error for the rest.
    let long = format!("{},{}", HOST_FIELDS.join(","), "x,".repeat(200));
    assert_eq!(parse_info(12290, &long).unwrap(), want_full());
}

fn want_full() -> EventData {
    parse_data(12290, &HOST_FIELDS).unwrap()
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn guid() -> impl Strategy<Value = String> {
        any::<u128>().prop_map(|v| {
            let h = format!("{v:032x}");
            format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            )
        })
    }

    fn stamp() -> impl Strategy<Value = String> {
        (2000u32..2100, 1u32..13, 1u32..29, 0u32..24, 0u32..60)
            .prop_map(|(y, m, d, h, mi)| format!("{y}/{m}/{d} {h}:{mi:02}"))
    }

    fn opt(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
        prop_oneof![4 => s, 1 => Just(String::new())]
    }

    /// The fields 12288 and 12290 share, in order: CMID, client time, VM flag, license state,
    /// minutes to expiry, Activation ID.
    fn shared_fields() -> impl Strategy<Value = Vec<String>> {
        (
            opt(guid()),
            opt(stamp()),
            opt(prop_oneof![Just("0".to_owned()), Just("1".to_owned())]),
            opt((0u32..7).prop_map(|v| v.to_string())),
            opt(any::<u32>().prop_map(|v| v.to_string())),
            opt(guid()),
        )
            .prop_map(|(a, b, c, d, e, f)| vec![a, b, c, d, e, f])
    }

    fn host_fields() -> impl Strategy<Value = Vec<String>> {
        (
            any::<u32>(),
            opt((0u32..60).prop_map(|v| v.to_string())),
            opt("[a-z][a-z0-9-]{0,20}(\\.[a-z]{2,8}){0,2}"),
            shared_fields(),
        )
            .prop_map(|(code, min, name, rest)| {
                let mut f = vec![format!("0x{code:X}"), min, name];
                f.extend(rest);
                f
            })
    }

    fn request_fields() -> impl Strategy<Value = Vec<String>> {
        (
            any::<u32>(),
            any::<u32>(),
            opt("[a-z]{1,12}\\.[a-z]{2,6}:[0-9]{1,5}"),
            shared_fields(),
            opt((0u32..60).prop_map(|v| v.to_string())),
        )
            .prop_map(|(code, flags, kms, rest, min)| {
                let mut f = vec![format!("0x{code:08X}"), format!("0x{flags:X}"), kms];
                f.extend(rest);
                f.push(min);
                f
            })
    }

    proptest! {
        /// The 10-item, 9-item, single-item and flattened forms of one 12290 give one record.
        #[test]
        fn host_layouts_agree(f in host_fields()) {
            let fields: Vec<&str> = f.iter().map(String::as_str).collect();
            let all = layouts(&fields, ",");
            let want = parse_data(12290, &fields);
            prop_assert!(want.is_ok(), "{want:?}");
            for (l, got) in all.iter().zip(parse_all(12290, &all)) {
                prop_assert_eq!(&got, &want, "{:?}", l);
            }
        }

        /// The same for 12288, whose Info line uses ", ".
        #[test]
        fn request_layouts_agree(f in request_fields()) {
            let fields: Vec<&str> = f.iter().map(String::as_str).collect();
            let want = parse_data(12288, &fields);
            prop_assert!(want.is_ok(), "{want:?}");
            for sep in [", ", ","] {
                let all = layouts(&fields, sep);
                for (l, got) in all.iter().zip(parse_all(12288, &all)) {
                    prop_assert_eq!(&got, &want, "{:?}", l);
                }
            }
        }

        /// Any items: no panic, and the record never depends on items after the fields twice.
        #[test]
        fn any_items_no_panic(items in proptest::collection::vec(".{0,40}", 0..24)) {
            let items: Vec<&str> = items.iter().map(String::as_str).collect();
            for id in [12288, 12289, 12290, 12293] {
                let _ = parse_data(id, &items);
            }
        }
    }
}

#[test]
fn kms_providers_and_sources_are_activation_providers() {
    for p in [
        "Microsoft-Windows-Security-SPP",
        "Microsoft-Windows-Security-Licensing-SLC",
        "KmsRequests",
        "Software Protection Platform Service",
    ] {
        assert!(super::super::is_activation_provider(p), "{p}");
    }
}
