//! Hostile bundles: zip bombs, huge directories, archives inside the archive, lying headers,
//! hostile XML. Reading must stay bounded (checked with the reader's own counters, not timing),
//! skip what breaks a limit with the reason, and still analyse the rest.

use std::io::Cursor;
use std::path::Path;

use flate2::{Compress, Compression, FlushCompress};
use volact_collect::{
    Bundle, BundleWarning, MAX_ENTRIES, MAX_FILE, MAX_TEXT_FILE, MAX_TOTAL, Refusal, analyze,
};
use volact_core::Lang;

const MIB: u64 = 1024 * 1024;

/// One member of a hand-built zip: what its headers say and the bytes stored.
struct Member {
    name: String,
    /// 0 stored, 8 deflate.
    method: u16,
    stored: Vec<u8>,
    crc: u32,
    /// The uncompressed size the headers claim (may lie).
    claimed: u32,
}

impl Member {
    /// A member stored as is, with honest headers.
    fn plain(name: &str, data: &[u8]) -> Member {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        Member {
            name: name.to_owned(),
            method: 0,
            stored: data.to_vec(),
            crc: crc.sum(),
            claimed: u32::try_from(data.len()).unwrap(),
        }
    }

    /// A deflated member that expands to `mib` MiB made of `unit` repeated (its length must
    /// divide 1 MiB), built without compressing all of it: one MiB is compressed with a sync
    /// flush and the result repeated (back references only ever see copies of the same unit).
    /// The CRC is not computed (a bounded reader never reaches the end of such a member);
    /// `claimed` is what the headers say.
    fn bomb(name: &str, unit: &[u8], mib: usize, claimed: u32) -> Member {
        Self::bomb_crc(name, unit, mib, claimed, false)
    }

    /// Like [`Member::bomb`], with the right CRC (for members read to their end).
    fn bomb_crc(name: &str, unit: &[u8], mib: usize, claimed: u32, with_crc: bool) -> Member {
        assert_eq!((1 << 20) % unit.len(), 0);
        let one: Vec<u8> = unit.iter().copied().cycle().take(1 << 20).collect();
        let mut crc = flate2::Crc::new();
        if with_crc {
            for _ in 0..mib {
                crc.update(&one);
            }
        }
        let mut c = Compress::new(Compression::best(), false);
        let mut block = Vec::with_capacity(1 << 20);
        c.compress_vec(&one, &mut block, FlushCompress::Sync)
            .unwrap();
        assert_eq!(c.total_in(), 1 << 20);
        let mut stored = Vec::with_capacity(block.len() * mib + 2);
        for _ in 0..mib {
            stored.extend_from_slice(&block);
        }
        stored.extend_from_slice(&[0x03, 0x00]); // an empty final block
        Member {
            name: name.to_owned(),
            method: 8,
            stored,
            crc: crc.sum(),
            claimed,
        }
    }
}

/// Writes a zip (no data descriptors, no ZIP64).
fn zip_of(members: &[Member]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for m in members {
        let offset = u32::try_from(out.len()).unwrap();
        let name = m.name.as_bytes();
        let csize = u32::try_from(m.stored.len()).unwrap();
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&m.method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]); // time, date (1980-01-01)
        out.extend_from_slice(&m.crc.to_le_bytes());
        out.extend_from_slice(&csize.to_le_bytes());
        out.extend_from_slice(&m.claimed.to_le_bytes());
        out.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(&m.stored);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&m.method.to_le_bytes());
        central.extend_from_slice(&[0, 0, 0x21, 0]);
        central.extend_from_slice(&m.crc.to_le_bytes());
        central.extend_from_slice(&csize.to_le_bytes());
        central.extend_from_slice(&m.claimed.to_le_bytes());
        central.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
        central.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = u32::try_from(out.len()).unwrap();
    out.extend_from_slice(&central);
    end_record(&mut out, members.len(), central.len(), cd_offset);
    out
}

fn end_record(out: &mut Vec<u8>, entries: usize, cd_len: usize, cd_offset: u32) {
    let n = u16::try_from(entries.min(0xFFFF)).unwrap();
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&u32::try_from(cd_len).unwrap().to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
}

/// A manifest listing `files` as (name, kind) in one step.
fn manifest(files: &[(&str, &str)]) -> Vec<u8> {
    let files: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, kind)| {
            serde_json::json!({"name": name, "kind": kind, "bytes": 0, "source_encoding": null})
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "format": "volact-bundle",
        "format_version": 1,
        "volact_version": "test",
        "created_utc": "2026-12-01T10:00:00Z",
        "source": "recorded: hostile test",
        "keys_redacted_before_writing": true,
        "keys_redacted": 0,
        "steps": [{
            "id": "slmgr-dlv",
            "command": "test",
            "status": "ok",
            "exit_code": 0,
            "started_utc": "2026-12-01T10:00:00Z",
            "duration_ms": 1,
            "files": files,
            "error": null,
            "stderr": null,
            "keys_redacted": 0
        }]
    }))
    .unwrap()
}

/// `text` padded with spaces to 1 KiB (a period long enough that deflate gets only about 200:1).
fn unit(text: &str) -> Vec<u8> {
    let mut u = text.as_bytes().to_vec();
    u.resize(1024, b' ');
    u
}

const SLMGR: &str = "Name: Windows(R), Enterprise edition\r\n\
Description: Windows(R) Operating System, VOLUME_KMSCLIENT channel\r\n\
Partial Product Key: 2YT43\r\n\
License Status: Notification\r\n\
Notification Reason: 0xC004F056.\r\n";

fn read(zip: Vec<u8>) -> Bundle {
    Bundle::read(Cursor::new(zip), Path::new("hostile.zip")).expect("the bundle itself is readable")
}

fn refusal(b: &Bundle, file: &str) -> Refusal {
    b.warning_details
        .iter()
        .find_map(|w| match w {
            BundleWarning::Refused { file: f, why } if f == file => Some(*why),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{file} not refused: {:?}", b.warnings))
}

/// The 324 KB zip of the issue expanded to 726 MB resident: members of hundreds of MiB. Each is
/// refused at its limit (from its header, or while streaming once it expands more than real data
/// does, or, when its header lies, where the zip library finds the lie); the slmgr output is
/// analysed.
#[test]
fn zip_bombs_are_skipped_at_their_limit_and_the_rest_is_analysed() {
    let zeros = [0u8; 64];
    let zip = zip_of(&[
        Member::plain(
            "manifest.json",
            &manifest(&[
                ("slmgr-dlv.txt", "slmgr"),
                ("events/application-spp.evtx", "evtx"),
                ("events/key-management-service.evtx", "evtx"),
                ("w32tm-status.txt", "text"),
                ("ipconfig-all.txt", "text"),
                ("registry.json", "registry"),
            ]),
        ),
        Member::plain("slmgr-dlv.txt", SLMGR.as_bytes()),
        // 300 MiB, refused from its header before anything is decompressed.
        Member::bomb("events/application-spp.evtx", &zeros, 300, 300 << 20),
        // 30 MiB of zeros, under the per-file limit: refused while streaming, for its ratio.
        Member::bomb("events/key-management-service.evtx", &zeros, 30, 30 << 20),
        // 200 MiB of text that compresses about 200:1 (under the ratio limit): the size stops it.
        Member::bomb(
            "w32tm-status.txt",
            &unit("Source: Local CMOS Clock\r\n"),
            200,
            200 << 20,
        ),
        // 15 MiB of zeros, under the text limit: the ratio stops it.
        Member::bomb("ipconfig-all.txt", &zeros, 15, 15 << 20),
        // A header that lies ("100 bytes", really 300 MiB).
        Member::bomb("registry.json", &zeros, 300, 100),
    ]);
    assert!(zip.len() < 2 * MIB as usize, "{} bytes", zip.len());
    let b = read(zip);
    assert_eq!(b.stats.files_listed, 6);
    assert_eq!(b.stats.files_read, 1);
    assert_eq!(b.stats.files_skipped, 5);
    assert_eq!(b.files.len(), 1);
    assert_eq!(
        refusal(&b, "events/application-spp.evtx"),
        Refusal::FileLimit { limit: MAX_FILE }
    );
    assert!(matches!(
        refusal(&b, "events/key-management-service.evtx"),
        Refusal::Ratio { .. }
    ));
    assert_eq!(
        refusal(&b, "w32tm-status.txt"),
        Refusal::FileLimit {
            limit: MAX_TEXT_FILE
        }
    );
    assert!(matches!(
        refusal(&b, "ipconfig-all.txt"),
        Refusal::Ratio { .. }
    ));
    assert!(b.warning_details.iter().any(|w| matches!(
        w,
        BundleWarning::Skipped { file, .. } if file == "registry.json"
    )));
    // Bounded: what was decompressed and held, by the reader's own count.
    // (The 30 MiB of zeros are caught at 400 times their compressed size, about 12 MiB.)
    assert!(b.stats.bytes_decompressed <= 32 * MIB, "{:?}", b.stats);
    assert!(b.stats.peak_buffered < 32 * MIB, "{:?}", b.stats);
    // The messages name the member and the limit, in both languages.
    let en = b
        .warning_details
        .iter()
        .map(|w| w.message(Lang::En))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        en.contains("events/application-spp.evtx: skipped: it expands to more than 32 MiB, the limit for one file"),
        "{en}"
    );
    assert!(
        en.contains("w32tm-status.txt: skipped: it expands to more than 16 MiB"),
        "{en}"
    );
    assert!(
        en.contains(
            "ipconfig-all.txt: skipped: it expands more than 400 times its compressed size"
        ),
        "{en}"
    );
    let zh = b
        .warning_details
        .iter()
        .map(|w| w.message(Lang::ZhTw))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        zh.contains("events/application-spp.evtx：已略過（解壓縮後超過單一檔案的上限 32 MiB"),
        "{zh}"
    );
    assert!(zh.contains("疑似壓縮炸彈"), "{zh}");
    // The rest is analysed, and the analysis says what was skipped.
    let a = analyze(&b, Lang::En);
    assert_eq!(a.products.len(), 1);
    assert!(a.codes.iter().any(|c| c.code.to_string() == "0xC004F056"));
    assert_eq!(a.bundle.read.files_skipped, 5);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["bundle"]["read"]["files_read"], 1);
    assert_eq!(
        json["bundle"]["warning_details"][0]["kind"],
        serde_json::json!("refused")
    );
    assert_eq!(
        json["bundle"]["warning_details"][0]["reason"],
        serde_json::json!("file_limit")
    );
}

/// Members each under the per-file limit whose sum passes the bundle's limit: those that fit
/// are read, the next is refused (before or while decompressing), and the total stays bounded.
#[test]
fn the_total_of_all_members_is_bounded() {
    // About 200:1, under the ratio limit: only the sizes stop these.
    let unit = unit("<Event><System><EventID>12290</EventID></System></Event>\n");
    let names = ["a.xml", "b.xml", "c.xml", "d.xml"];
    let mut members = vec![Member::plain(
        "manifest.json",
        &manifest(&names.map(|n| (n, "event-xml"))),
    )];
    members.push(Member::bomb_crc("a.xml", &unit, 30, 30 << 20, true));
    members.push(Member::bomb_crc("b.xml", &unit, 30, 30 << 20, true));
    members.push(Member::bomb("c.xml", &unit, 30, 30 << 20));
    members.push(Member::bomb("d.xml", &unit, 5, 5 << 20));
    let b = read(zip_of(&members));
    assert_eq!(b.stats.files_read, 2, "{:?}", b.warnings);
    assert_eq!(b.stats.files_skipped, 2);
    assert_eq!(
        refusal(&b, "c.xml"),
        Refusal::TotalLimit { limit: MAX_TOTAL }
    );
    assert_eq!(
        refusal(&b, "d.xml"),
        Refusal::TotalLimit { limit: MAX_TOTAL }
    );
    assert_eq!(b.files[1].data.len() as u64, 30 * MIB);
    assert!(b.stats.bytes_decompressed <= MAX_TOTAL + 1, "{:?}", b.stats);
    assert!(
        b.stats.peak_buffered <= MAX_TOTAL + MAX_TOTAL / 4 + 2 * MIB,
        "{:?}",
        b.stats
    );
}

/// A zip whose directory lists more entries than a bundle may hold is refused before the zip
/// library builds its list (which costs memory in proportion), also when ZIP64 records claim it.
#[test]
fn huge_directories_are_refused_before_they_are_parsed() {
    let many: Vec<Member> = (0..20_000)
        .map(|i| Member::plain(&format!("f{i}"), b""))
        .collect();
    let e = Bundle::read(Cursor::new(zip_of(&many)), Path::new("many.zip")).unwrap_err();
    assert!(
        e.to_string().contains("20000 entries (more than 1000)"),
        "{e}"
    );

    // ZIP64: the classic record says "see ZIP64"; the ZIP64 record claims 2^40 entries.
    let mut z = zip_of(&[Member::plain("manifest.json", b"{}")]);
    let eocd = z.len() - 22;
    z.truncate(eocd);
    let zip64_at = z.len() as u64;
    z.extend_from_slice(b"PK\x06\x06");
    z.extend_from_slice(&44u64.to_le_bytes());
    z.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&(1u64 << 40).to_le_bytes());
    z.extend_from_slice(&(1u64 << 40).to_le_bytes());
    z.extend_from_slice(&(1u64 << 46).to_le_bytes());
    z.extend_from_slice(&0u64.to_le_bytes());
    z.extend_from_slice(b"PK\x06\x07");
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(&zip64_at.to_le_bytes());
    z.extend_from_slice(&1u32.to_le_bytes());
    end_record(&mut z, 0xFFFF, 0xFFFF_FFFF, 0xFFFF_FFFF);
    let e = Bundle::read(Cursor::new(z), Path::new("zip64.zip")).unwrap_err();
    assert!(e.to_string().contains("1099511627776 entries"), "{e}");
    const _: () = assert!(MAX_ENTRIES == 1000);
}

/// Archives inside the bundle (a zip, a gzip bomb) are not opened; a file listed twice is read
/// once; the rest is analysed.
#[test]
fn nested_archives_and_duplicates_are_skipped_with_reasons() {
    let inner = zip_of(&[Member::plain("slmgr-dlv.txt", SLMGR.as_bytes())]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), Compression::best());
    std::io::Write::write_all(&mut gz, &vec![b'0'; 4 << 20]).unwrap();
    let gz = gz.finish().unwrap();
    let zip = zip_of(&[
        Member::plain(
            "manifest.json",
            &manifest(&[
                ("slmgr-dlv.txt", "slmgr"),
                ("nested.zip", "text"),
                ("w32tm-status.txt", "text"),
                ("slmgr-dlv.txt", "slmgr"),
            ]),
        ),
        Member::plain("slmgr-dlv.txt", SLMGR.as_bytes()),
        Member::plain("nested.zip", &inner),
        Member::plain("w32tm-status.txt", &gz),
    ]);
    let b = read(zip);
    assert_eq!(b.stats.files_read, 1);
    assert_eq!(b.stats.files_skipped, 3);
    assert_eq!(
        refusal(&b, "nested.zip"),
        Refusal::NestedArchive { format: "zip" }
    );
    assert_eq!(
        refusal(&b, "w32tm-status.txt"),
        Refusal::NestedArchive { format: "gzip" }
    );
    assert_eq!(refusal(&b, "slmgr-dlv.txt"), Refusal::Duplicate);
    let a = analyze(&b, Lang::ZhTw);
    assert_eq!(a.products.len(), 1);
    assert!(
        a.bundle
            .warning_details
            .iter()
            .any(|w| w.message(Lang::ZhTw).contains("套件內的封存檔不會被開啟")),
        "{:?}",
        a.bundle.warnings
    );
}

/// Hostile XML in an event member: a huge one is refused at the limit (with a lying header);
/// a small one with many attributes and unclosed nesting is read and the analysis finishes,
/// counting the file.
#[test]
fn hostile_xml_members_are_bounded() {
    let mut small = String::from("<Events><Event><System a0='x'");
    for i in 1..2_000 {
        small.push_str(&format!(" a{i}='x'"));
    }
    small.push('>');
    small.push_str(&"<x>".repeat(50_000));
    let zip = zip_of(&[
        Member::plain(
            "manifest.json",
            &manifest(&[
                ("slmgr-dlv.txt", "slmgr"),
                ("events/application-spp.xml", "event-xml"),
                ("events/key-management-service.xml", "event-xml"),
            ]),
        ),
        Member::plain("slmgr-dlv.txt", SLMGR.as_bytes()),
        Member::plain("events/application-spp.xml", small.as_bytes()),
        Member::bomb(
            "events/key-management-service.xml",
            &unit("<a b='>'><!-- > --><![CDATA[ > ]]>"),
            100,
            100 << 20,
        ),
    ]);
    let b = read(zip);
    assert_eq!(b.stats.files_read, 2);
    assert_eq!(
        refusal(&b, "events/key-management-service.xml"),
        Refusal::FileLimit { limit: MAX_FILE }
    );
    let a = analyze(&b, Lang::En);
    assert_eq!(a.event_logs.len(), 1);
    assert_eq!(a.event_logs[0].file, "events/application-spp.xml");
    assert_eq!(a.products.len(), 1);
}
