use volact_core::event::Timestamp;

use super::chunk::*;
use super::lane::*;
use super::value::*;

/// The real Application log's classic Security-SPP events carry string arrays (type 0x81)
/// in their EventData: the fast path refuses such a chunk, so the renderer reads it and every
/// read mode gives one report (`robustness.rs::application_log_with_wrong_crcs_gives_its_spp_codes_and_a_warning`
/// checks what the renderer makes of it: 17 records, the 1003 codes).
#[test]
fn real_classic_events_with_string_arrays_go_to_the_renderer() {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/evtx/Application_no_crc32.evtx"
    );
    let p = std::env::var("VOLACT_SHARED_DATA")
        .map(|d| format!("{d}/evtx/Application_no_crc32.evtx"))
        .unwrap_or_else(|_| p.to_owned());
    let Ok(bytes) = std::fs::read(&p) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but {p} is missing"
        );
        eprintln!("skipping: {p} not found");
        return;
    };
    let chunk = &bytes[4096..4096 + 65_536];
    let free = u32::from_le_bytes(chunk[48..52].try_into().unwrap()) as usize;
    assert_eq!(
        read_chunk(chunk, free).err(),
        Some("value type not handled by the fast path")
    );
}

/// A KMS host log in every layout the writer knows: the chunk goes through the fast path, and
/// with the lane on, every 12290 in the layouts of separate items (10 items with the joined
/// list first, as a modern host writes them; 9 items; `0` and 9 items) is typed by the lane,
/// not the general way, exactly as the general way types it. The Info line alone (Vista era)
/// goes the general way.
#[test]
fn the_lane_types_every_layout_of_separate_items() {
    use volact_testsupport::evtx::kms::{HostLog, HostLogSpec, Layout};
    for layout in [
        Layout::Joined,
        Layout::Fields,
        Layout::LeadingZero,
        Layout::InfoOnly,
    ] {
        let spec = HostLogSpec {
            clients: 30,
            max_records: Some(200),
            layout,
            ..HostLogSpec::default()
        };
        let events: Vec<_> = HostLog::new(spec).map(|(e, _)| e).collect();
        if layout == Layout::Joined {
            assert_eq!(events[0].data.len(), 10);
            assert_eq!(events[0].data[0].split(',').count(), 9);
        }
        let bytes = volact_testsupport::evtx::to_bytes(&events);
        let (mut lane, mut general) = (Batch::default(), Batch::default());
        let mut hosts = 0;
        for chunk in bytes[4096..].chunks(65_536) {
            let free = u32::from_le_bytes(chunk[48..52].try_into().unwrap()) as usize;
            lane.clear();
            general.clear();
            read_chunk_items(chunk, free, &mut lane, true).expect("fast path");
            read_chunk_items(chunk, free, &mut general, false).expect("fast path");
            assert_eq!(lane.items.len(), general.items.len());
            for (l, g) in lane.items.iter().zip(&general.items) {
                let Item::Ev(g) = g else {
                    panic!("{layout:?}: the general way did not type a 12290")
                };
                let Ok(volact_core::event::Event {
                    data: volact_core::event::EventData::HostRequest(g),
                    time,
                    ..
                }) = g.as_ref()
                else {
                    panic!("{layout:?}: {g:?}")
                };
                match l {
                    Item::Host(h) => {
                        hosts += 1;
                        assert_eq!(
                            h.host_in(&lane.names),
                            crate::analyze::host::HostIn::of(*time, g),
                            "{layout:?}"
                        );
                    }
                    Item::Ev(e) => assert_eq!(
                        e.as_ref().as_ref().ok().map(|e| &e.data),
                        Some(&volact_core::event::EventData::HostRequest(g.clone())),
                        "{layout:?}"
                    ),
                    Item::Other => panic!("{layout:?}: a 12290 read as not activation"),
                }
            }
        }
        let want = if layout == Layout::InfoOnly { 0 } else { 200 };
        assert_eq!(hosts, want, "{layout:?}: records typed by the lane");
    }
}

/// A KMS host log as the EVTX writer lays it out goes through the fast path: every record is
/// a candidate activation record of the KMS provider.
#[test]
fn generated_host_records_use_the_fast_path() {
    use volact_testsupport::evtx::kms::{HostLog, HostLogSpec};
    let spec = HostLogSpec {
        clients: 5,
        max_records: Some(40),
        ..HostLogSpec::default()
    };
    let events: Vec<_> = HostLog::new(spec).map(|(e, _)| e).collect();
    let bytes = volact_testsupport::evtx::to_bytes(&events);
    let chunk = &bytes[4096..4096 + 65_536];
    let free = u32::from_le_bytes(chunk[48..52].try_into().unwrap()) as usize;
    let recs = read_chunk(chunk, free).expect("fast path reads the chunk");
    assert_eq!(recs.len(), 40);
    for r in &recs {
        let FastRecord::Raw(r) = r else {
            panic!("a 12290 record was not taken as a candidate")
        };
        assert_eq!(r.id, Some(HOST_REQUEST_ID));
        assert!(r.time.is_some());
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// What the general way makes of the items: `parse_data`, then the analyzer's view of it.
fn general(items: &[String]) -> Option<volact_core::event::HostRequest> {
    let strs: Vec<&str> = items.iter().map(String::as_str).collect();
    match volact_core::event::parse_data(HOST_REQUEST_ID, &strs) {
        Ok(volact_core::event::EventData::HostRequest(h)) => Some(h),
        _ => None,
    }
}

/// Runs the lane on `items` (as UTF-16LE values, each with `nuls` trailing NULs) and checks
/// it against `parse_data`: the lane either declines (`None`) or gives exactly the same
/// request. Returns whether the lane took the record.
fn check_lane(items: &[String], nuls: usize) -> bool {
    let raw: Vec<Vec<u8>> = items
        .iter()
        .map(|s| {
            let mut b = utf16le(s);
            b.extend(std::iter::repeat_n(0u8, 2 * nuls));
            b
        })
        .collect();
    let refs: Vec<&[u8]> = raw.iter().map(Vec::as_slice).collect();
    let mut names = b"earlier-name".to_vec();
    // Twice with one cache: the second time, remembered values (the date, the Activation
    // ID) are used, and must give the same answer.
    let mut cache = LaneCache::default();
    let first = lane_12290(1_795_000_000, &refs, false, &mut names, &mut cache);
    names.truncate("earlier-name".len());
    let lane = lane_12290(1_795_000_000, &refs, false, &mut names, &mut cache);
    assert_eq!(first.is_some(), lane.is_some(), "items {items:?}");
    let general = general(items);
    match (&lane, &general) {
        (None, _) => false,
        (Some(l), Some(g)) => {
            let t = Some(Timestamp::from_unix(1_795_000_000, true));
            assert_eq!(
                l.host_in(&names),
                crate::analyze::host::HostIn::of(t, g),
                "items {items:?}"
            );
            true
        }
        (Some(l), None) => panic!("lane took {items:?} as {l:?}, parse_data refused it"),
    }
}

fn guid_text(g: u128, upper: bool, braces: bool) -> String {
    let mut t = crate::guid::format_guid(g);
    if upper {
        t.make_ascii_uppercase();
    }
    if braces { format!("{{{t}}}") } else { t }
}

use proptest::prelude::*;

/// One valid 12290 as Windows (or an export) writes it, in the forms the lane takes.
fn valid_items() -> impl Strategy<Value = (Vec<String>, usize)> {
    let code = (any::<u32>(), any::<bool>(), 0usize..3, any::<bool>()).prop_map(
        |(c, upper, zeros, big_x)| {
            let x = if big_x { "0X" } else { "0x" };
            let digits = if upper {
                format!("{c:X}")
            } else {
                format!("{c:x}")
            };
            format!("{x}{}{digits}", "0".repeat(zeros))
        },
    );
    let num = |max: u64| {
        prop_oneof![
            Just(String::new()),
            (0..=max).prop_map(|n| n.to_string()),
            (0..=max).prop_map(|n| format!("00{n}")),
        ]
    };
    let guid = prop_oneof![
        Just(String::new()),
        (any::<u128>(), any::<bool>(), any::<bool>()).prop_map(|(g, u, b)| guid_text(g, u, b)),
    ];
    let time = prop_oneof![
        Just(String::new()),
        (
            1601i64..=9999,
            1u32..=12,
            1u32..=28,
            0u32..24,
            0u32..60,
            proptest::option::of(0u32..60)
        )
            .prop_map(|(y, m, d, h, mi, s)| match s {
                Some(s) => format!("{y}/{m}/{d} {h}:{mi:02}:{s:02}"),
                None => format!("{y}/{m}/{d} {h}:{mi:02}"),
            }),
    ];
    let name = "[A-Za-z0-9 .\\-_]{0,40}";
    let vm = prop_oneof![
        Just(String::new()),
        Just("0".to_owned()),
        Just("1".to_owned())
    ];
    let ws = prop_oneof![Just(""), Just(" "), Just("\t"), Just("  ")];
    (
        (code, num(u64::from(u32::MAX)), name, guid.clone(), time),
        (vm, num(u64::from(u32::MAX)), num(u64::MAX), guid),
        0u8..3,
        ws,
        0usize..2,
    )
        .prop_map(
            |((c, mc, n, cmid, t), (vm, st, min, aid), data0, ws, nuls)| {
                let fields: Vec<String> = [c, mc, n, cmid, t, vm, st, min, aid]
                    .into_iter()
                    .map(|f| format!("{ws}{f}{ws}"))
                    .collect();
                // No leading item, `0`, or the fields joined with `,` (a modern host).
                let lead = match data0 {
                    0 => None,
                    1 => Some("0".to_owned()),
                    _ => Some(fields.join(",")),
                };
                (lead.into_iter().chain(fields).collect(), nuls)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// On valid data the lane takes the record and types it exactly as `parse_data`.
    #[test]
    fn lane_agrees_with_parse_data_on_valid_data((items, nuls) in valid_items()) {
        prop_assert!(check_lane(&items, nuls), "lane declined {:?}", items);
    }

    /// On odd data (any text, commas, other forms, missing or extra fields) the lane either
    /// declines, so the record goes the general way, or agrees with `parse_data`.
    #[test]
    fn lane_declines_or_agrees_on_odd_data(
        items in proptest::collection::vec(
            prop_oneof![
                "\\PC{0,12}",
                "[0-9xXa-fA-F ,{}/:+-]{0,40}",
                Just("0x0".to_owned()),
                Just("hr=0xC004F038".to_owned()),
                Just("true".to_owned()),
                Just("+5".to_owned()),
                Just("2026-11-24 14:00".to_owned()),
                Just("2026/11/24".to_owned()),
                Just("2026/2/30 1:00".to_owned()),
                Just("{5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11".to_owned()),
            ],
            0..13,
        ),
        nuls in 0usize..2,
    ) {
        check_lane(&items, nuls);
    }

    /// GUIDs read from UTF-16 four digits at a time agree with the byte reader, and both
    /// read back what `format_guid` writes.
    #[test]
    fn guid_readers_agree(text in "[0-9a-fA-F\\-gG{}/:@`]{36}", g in any::<u128>()) {
        let units: [u8; 72] = utf16le(&text).try_into().unwrap();
        prop_assert_eq!(
            crate::guid::parse_guid_units(&units),
            crate::guid::parse_guid(text.as_bytes())
        );
        let f = crate::guid::format_guid(g);
        let units: [u8; 72] = utf16le(&f.to_uppercase()).try_into().unwrap();
        prop_assert_eq!(crate::guid::parse_guid(f.as_bytes()), Some(g));
        prop_assert_eq!(crate::guid::parse_guid_units(&units), Some(g));
    }
}

/// Decimal numbers read as `str::parse` reads digits-only text, on both sides of 19 digits.
#[test]
fn lane_numbers_read_as_parse_does() {
    for t in [
        "0",
        "42",
        "9999999999999999999",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999",
        "0000000000000000000000042",
        "12a",
        "-1",
        "",
    ] {
        let want = t
            .parse::<u64>()
            .ok()
            .filter(|_| t.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(lane_num(A(&utf16le(t)), u64::MAX), want, "{t}");
        assert_eq!(
            lane_num(A(&utf16le(t)), u64::from(u32::MAX)),
            want.filter(|v| *v <= u64::from(u32::MAX)),
            "{t}"
        );
    }
}

/// ASCII text narrowed four units at a time gives the same bytes at every length, appended
/// after what the buffer held.
#[test]
fn ascii_units_narrow_to_their_bytes() {
    let text = "PC-0042.corp.contoso.example-host-name-x";
    for n in 0..=text.len() {
        let units = utf16le(&text[..n]);
        let mut out = b"before:".to_vec();
        push_ascii_bytes(&mut out, A(&units));
        assert_eq!(out, format!("before:{}", &text[..n]).into_bytes(), "{n}");
    }
}

/// A unit outside ASCII whose low byte is a digit, a letter or a dash (`Ł` is U+0141, `ĭ`
/// U+012D) is not that character: the GUID is not read.
#[test]
fn guid_units_with_a_high_byte_are_not_digits() {
    let good = "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11";
    let units: [u8; 72] = utf16le(good).try_into().unwrap();
    assert!(crate::guid::parse_guid_units(&units).is_some());
    for (at, c) in [(0, 'Ł'), (35, 'Ł'), (8, 'ĭ'), (23, 'ĭ'), (20, '\u{0130}')] {
        let mut text: Vec<char> = good.chars().collect();
        text[at] = c;
        let text: String = text.into_iter().collect();
        let units: [u8; 72] = utf16le(&text).try_into().unwrap();
        assert_eq!(crate::guid::parse_guid_units(&units), None, "{text}");
    }
}

#[test]
fn remembered_dates_check_the_time_as_the_parser_does() {
    let mut cache = LaneCache::default();
    let units = |t: &str| utf16le(t);
    let read = |t: &str, cache: &mut LaneCache| lane_time(A(&units(t)), &mut cache.day);
    assert!(read("2026/11/24 9:30", &mut cache).is_some());
    for t in [
        "2026/11/24 0:00",
        "2026/11/24 23:59:59",
        "2026/11/24 23:59:60",
        "2026/11/24 24:00",
        "2026/11/24 12:60",
        "2026/11/24 12:00:61",
        "2026/11/25 1:02:03",
        "2026/2/29 1:00",
        "2028/2/29 1:00",
    ] {
        let want = Timestamp::parse(t);
        let cold = read(t, &mut LaneCache::default());
        let warm = read(t, &mut cache);
        assert_eq!(cold.map(Timestamp::unix), want.map(Timestamp::unix), "{t}");
        assert_eq!(warm.map(Timestamp::unix), want.map(Timestamp::unix), "{t}");
        // And again after a valid time of the same date.
        let _ = read("2026/11/24 9:30", &mut cache);
        let again = read(t, &mut cache);
        assert_eq!(again.map(Timestamp::unix), want.map(Timestamp::unix), "{t}");
    }
    // Texts that start like the remembered date but are not that date and a time in the
    // lane's form: the lane leaves them to the parser (`None`) or agrees with it.
    for t in [
        "2026/11/2 9:30",
        "2026/11/24  9:30",
        "2026/11/24 9:30 ",
        "2026/11/24 9:3x",
        "2026/11/240 9:30",
        "2026/11/24 ",
        "2026/11/24 12345:00",
        "2026/11/24 9:30:00:00",
    ] {
        let want = Timestamp::parse(t).map(Timestamp::unix);
        let _ = read("2026/11/24 9:30", &mut cache);
        for got in [read(t, &mut cache), read(t, &mut LaneCache::default())] {
            assert!(
                got.is_none() || got.map(Timestamp::unix) == want,
                "{t}: {got:?}"
            );
        }
    }
    assert_eq!(
        read("2026/11/24 10:45:07", &mut cache).map(Timestamp::unix),
        Timestamp::parse("2026/11/24 10:45:07").map(Timestamp::unix)
    );
}

/// Commas in any item, one or two, with and without `Data[0]` and extra items: whatever the
/// lane takes, it types as `parse_data` does (the leading item of a 10-item record may hold
/// commas: both read the nine items after it).
#[test]
fn lane_and_parse_data_agree_on_commas() {
    let base = [
        "0",
        "0x0",
        "25",
        "pc1.contoso.com",
        "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11",
        "2026/11/24 9:30",
        "0",
        "2",
        "100",
        "2ffd8952-423e-4903-b993-72a1aa44cf82",
    ];
    let (mut taken, mut taken_lead) = (0, 0);
    for skip_first in [false, true] {
        for extra in [0usize, 1, 2] {
            let mut items: Vec<String> = base[usize::from(skip_first)..]
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
            items.extend((0..extra).map(|k| format!("extra{k}")));
            for at in 0..items.len() {
                for commas in [",", ", x,", "0x0, 5, a"] {
                    let mut v = items.clone();
                    v[at].push_str(commas);
                    if check_lane(&v, 0) {
                        if !skip_first && extra == 0 && at == 0 {
                            taken_lead += 1;
                        } else {
                            taken += 1;
                        }
                    }
                }
            }
        }
    }
    // The lane leaves every record with a comma to the general way, but for a comma in the
    // leading item of ten (where a modern host writes the joined list).
    assert!(taken == 0, "the lane took {taken} records with commas");
    assert_eq!(taken_lead, 3);
    let plain: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
    assert!(check_lane(&plain, 0));
}

#[test]
fn lane_examples() {
    let items = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    // The nine fields after a leading item: the joined list (as a modern host logs them) or `0`.
    let fields = [
        "0xC004F038",
        "25",
        "pc1.contoso.com",
        "{5CD1D6D4-3D4B-4A65-9D1B-6F8E2F0C1A11}",
        "2026/11/24 9:30",
        "0",
        "2",
        "100",
        "2ffd8952-423e-4903-b993-72a1aa44cf82",
    ];
    for lead in [fields.join(","), "0".to_owned()] {
        let v: Vec<String> = std::iter::once(lead).chain(items(&fields)).collect();
        assert!(check_lane(&v, 0) && check_lane(&v, 1), "{v:?}");
    }
    // Other forms it takes.
    for v in [
        &["0x0", "5", "srv", "", "", "", "", "", ""][..],
        // A joined copy that differs from the items: the items win, on both ways; and any
        // other ASCII leading item.
        &["0x0,1,a,,,,,,", "0x0", "25", "pc1", "", "", "", "", "", ""],
        &["0x0,1,a", "0x0", "25", "pc1", "", "", "", "", "", ""],
        &["x,y", "0x0", "25", "pc1", "", "", "", "", "", ""],
    ] {
        assert!(check_lane(&items(v), 0), "{v:?}");
        assert!(check_lane(&items(v), 1), "{v:?}");
    }
    // Forms the lane leaves to the general way.
    for v in [
        &["0", "hr=0x0", "25", "pc1", "", "", "", "", "", ""][..],
        &["0x0", "+25", "pc1", "", "", "", "", "", ""],
        &["0x0", "25", "pc1", "not-a-guid", "", "", "", "", ""],
        &[
            "0x0",
            "25",
            "pc1",
            "",
            "11/24/2026 2:00:00 PM",
            "",
            "",
            "",
            "",
        ],
        &["0x0", "25", "pc1", "", "", "true", "", "", ""],
        &["0x0, 25, pc1, c1, , 0, 1, 0, a"],
        &["0x0", "25", "電腦", "", "", "", "", "", ""],
        // A leading item that is not ASCII.
        &[
            "0x0,1,電腦,,,,,,",
            "0x0",
            "25",
            "pc1",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        // The items after a leading item do not start with a code the lane reads.
        &["0x0,1,a,,,,,,", "5", "25", "pc1", "", "", "", "", "", ""],
    ] {
        assert!(!check_lane(&items(v), 0), "{v:?}");
    }
}

/// Names read from a chunk: the usual ones borrowed, every one equal to what `utf16_str`
/// reads (NUL-ended, line ends as XML reads them), and a skipped name reference ends where a
/// read one does, with the same errors.
#[test]
fn names_read_as_utf16_str_reads_them() {
    use super::binxml::{name_at, name_ref, skip_name_ref};
    for name in [
        "Data",
        "EventSourceName",
        "Dat",
        "Datas",
        "data",
        "Ev\0ent",
        "a\r\nb",
        "名前",
        "",
    ] {
        let units: Vec<u8> = utf16le(name);
        // A chunk: the reference at 0 points to the name entry at 4 (inline), then the same
        // entry referenced again from 40.
        let mut chunk = vec![0u8; 4];
        chunk[..4].copy_from_slice(&4u32.to_le_bytes());
        chunk.extend([0u8; 6]);
        chunk.extend(&(name.encode_utf16().count() as u16).to_le_bytes());
        chunk.extend(&units);
        chunk.extend([0u8; 2]);
        let (got, len) = name_at(&chunk, 4).unwrap();
        assert_eq!(got, utf16_str(&units), "{name:?}");
        assert_eq!(len, 8 + units.len() + 2);
        let borrowed = matches!(got, std::borrow::Cow::Borrowed(_));
        assert_eq!(
            borrowed,
            ["Data", "EventSourceName"].contains(&name),
            "{name:?}"
        );
        assert_eq!(
            name_ref(&chunk, 0).unwrap().1,
            skip_name_ref(&chunk, 0).unwrap()
        );
        let at = chunk.len();
        chunk.extend(&4u32.to_le_bytes());
        assert_eq!(
            name_ref(&chunk, at).unwrap().1,
            skip_name_ref(&chunk, at).unwrap()
        );
        // Out of bounds: both refuse.
        let cut = &chunk[..10];
        assert_eq!(name_ref(cut, 0).err(), skip_name_ref(cut, 0).err());
    }
}
