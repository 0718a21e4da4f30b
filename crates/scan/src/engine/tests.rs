use super::context::{context, redact};
use super::swar::{HEX, count_nl, hex_lanes, next_hex_run};
use super::*;

#[test]
fn hex_run_skip_search() {
    assert_eq!(
        next_hex_run(b"xx 0xC004F074 yy", 0).map(|i| i <= 5),
        Some(true)
    );
    assert_eq!(next_hex_run(b"no codes here at all, only words", 0), None);
    assert_eq!(next_hex_run(b"1234567", 0), None);
    assert!(next_hex_run(b"12345678", 0).is_some());
    assert!(next_hex_run(b"zzzzzzzzzzzzzzzzz12345678", 0).is_some());
    // Every position of a run is found from any start before it.
    let s = b"a deadbee cafe 0x8007232B.";
    let r = next_hex_run(s, 0).unwrap();
    assert!(
        r <= 17
            && s[r..]
                .windows(8)
                .any(|w| w.iter().all(u8::is_ascii_hexdigit))
    );
}

#[test]
fn hex_lanes_match_the_table() {
    for v in 0..=255u8 {
        for lane in 0..8 {
            let mut bytes = [b'z'; 8];
            bytes[lane] = v;
            let m = hex_lanes(u64::from_le_bytes(bytes));
            assert_eq!(m != 0, HEX[v as usize], "{v:#x} in lane {lane}");
        }
    }
    // Runs across word boundaries and in the tail.
    for len in 0..40 {
        for at in 0..20 {
            let mut s = vec![b'.'; 64];
            for x in &mut s[at..(at + len).min(64)] {
                *x = b'a';
            }
            let want = (len >= 8 && at + 8 <= 64).then_some(at);
            assert_eq!(next_hex_run(&s, 0), want, "len {len} at {at}");
        }
    }
}

#[test]
fn count_lines() {
    assert_eq!(count_nl(b"a\nb\n\nc"), 3);
    assert_eq!(count_nl(b""), 0);
}

#[test]
fn context_keeps_keys_redacted_and_whole() {
    let line = format!(
        "{} ABCDE-FGHIJ-KLMNO-PQRST-VWXY2 error 0xC004F074 after",
        "x".repeat(300)
    );
    let at = line.find("0xC004F074").unwrap();
    let c = context(&line, at, at + 10, 30);
    assert!(c.contains("VWXY2"), "{c}");
    assert!(!c.contains("ABCDE") && !c.contains("PQRST"), "{c}");
    let c = context(&line, at, at + 10, 10);
    assert!(!c.contains("PQRST"), "{c}");
}

#[test]
fn context_never_cuts_glued_or_spaced_keys() {
    for key in [
        "xBCDFG-HJKMN-PQRTV-WXY23-46789foo",
        "BCDFG HJKMN PQRTV WXY23 46789",
        "BCDFG - HJKMN - PQRTV - WXY23 - 46789",
        "ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９",
    ] {
        for pad in 0..40 {
            let line = format!("{} {key} error 0xC004F074 {key} after", "y".repeat(pad));
            let at = line.find("0xC004F074").unwrap();
            for width in [5, 10, 20, 30, 45, 80] {
                let c = context(&line, at, at + 10, width);
                for group in ["HJKMN", "PQRTV", "ＨＪＫＭＮ", "ＰＱＲＴＶ"] {
                    assert!(!c.contains(group), "{key} {width}: {c}");
                }
                assert!(c.contains("0xC004F074"), "{key} {width}: {c}");
            }
        }
    }
}

#[test]
fn lines_fed_to_parsers_are_redacted() {
    for line in [
        "Description: key 12BCDFG-HJKMN-PQRTV-WXY23-46789x",
        "Description: key BCDFG HJKMN PQRTV WXY23 46789",
    ] {
        assert!(!redact(line).contains("PQRTV"), "{line}");
    }
}

#[test]
fn zero_only_in_result_fields() {
    let opts = Options::default();
    let mut s = FileScan::new(&opts, "t");
    s.block(b"ptr 0x00000000 flags\nhr=0x00000000\n", false);
    let out = s.finish();
    assert_eq!(out.matches.len(), 1);
    assert_eq!((out.other_values, out.other_lines), (1, 1));
    assert_eq!(out.matches[0].1.place.line, 2);
}

#[test]
fn lines_and_columns() {
    let opts = Options::default();
    let mut s = FileScan::new(&opts, "t");
    s.block("a\r\n錯誤：0xC004F074 x 0x8007232B\r\n".as_bytes(), false);
    s.block(b"\nlast 0xC004F074", false);
    let out = s.finish();
    let places: Vec<(u64, u64)> = out
        .matches
        .iter()
        .map(|(_, m)| (m.place.line, m.place.column))
        .collect();
    assert_eq!(places, [(2, 4), (2, 17), (4, 6)]);
    assert_eq!(out.lines, 4);
    assert_eq!(out.codes.len(), 2);
    assert_eq!(out.codes[0].count, 2);
    assert_eq!(out.codes[0].last, (4, 6));
}

#[test]
fn cut_lines_keep_counting_columns() {
    let opts = Options::default();
    let mut s = FileScan::new(&opts, "t");
    s.block(b"abc ", true);
    s.block(b"0xC004F074\n", false);
    let out = s.finish();
    assert_eq!(
        (out.matches[0].1.place.line, out.matches[0].1.place.column),
        (1, 5)
    );
}

#[test]
fn parsers_see_regions_around_keywords_anywhere_in_a_block() {
    const HOST: &str = include_str!("../../tests/data/slmgr-host-dli.txt");
    const EVENTS: &str = include_str!("../../tests/data/event-viewer-12288.txt");
    const INFO: &str = "0xC004F074, 0x0, kms01.contoso.com:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 14:20, 0, 2, 43200, 2ffd8952-423e-4903-b993-72a1aa44cf82, 25\n";
    let filler = |n: usize| "a quiet line of a servicing log\n".repeat(n);
    let lines = |s: &str| s.matches('\n').count() as u64;
    // One block: quiet, a snapshot, quiet, a bare Info line, quiet, event text, then a snapshot
    // that the block's end cuts in two (its region runs on into the next block).
    let host_lines: Vec<&str> = HOST.lines().collect();
    let (head, tail) = host_lines.split_at(4);
    let block1 = format!(
        "{}{HOST}{}{INFO}{}{EVENTS}{}{}\n",
        filler(2000),
        filler(2000),
        filler(2000),
        filler(2000),
        head.join("\n")
    );
    let block2 = format!("{}\n{}", tail.join("\n"), filler(3000));
    let opts = Options::default();
    let mut s = FileScan::new(&opts, "t");
    s.block(block1.as_bytes(), false);
    s.block(block2.as_bytes(), false);
    let out = s.finish();
    let snap_lines: Vec<u64> = out.snapshots.iter().map(|x| x.line).collect();
    let second = lines(&block1) - 4 + 1;
    assert_eq!(snap_lines, [2001, second]);
    assert_eq!(
        out.snapshots[1].kms_host.as_ref().unwrap().failed_requests,
        Some(31)
    );
    let info_line = 2000 + lines(HOST) + 2000 + 1;
    let event_lines: Vec<u64> = out.events.iter().map(|e| e.line).collect();
    assert_eq!(event_lines[0], info_line);
    assert_eq!(event_lines[1], info_line + 2000 + 1);
    assert!(event_lines.len() >= 3, "{event_lines:?}");
}

#[test]
fn hex_runs_match_a_plain_search() {
    // The 64-byte and 8-byte steps and the tail agree with a byte-by-byte search, for runs of
    // every length at every offset, from every start.
    let slow = |b: &[u8], i: usize| -> Option<usize> {
        let mut run = 0;
        for (p, x) in b.iter().enumerate().skip(i) {
            run = if HEX[*x as usize] { run + 1 } else { 0 };
            if run == 8 {
                return Some(p + 1 - 8);
            }
        }
        None
    };
    let mut seed = 0x1234_5678_9abc_def0u64;
    for len in [0usize, 7, 8, 63, 64, 65, 127, 128, 200] {
        for _ in 0..200 {
            let b: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Mostly hex digits, so that runs of every length occur.
                    b"0123456789abcdefABCDEF-xg \xc3"[(seed % 27) as usize]
                })
                .collect();
            for i in 0..=len.min(70) {
                assert_eq!(next_hex_run(&b, i), slow(&b, i), "{b:?} from {i}");
            }
            for c in 0..len {
                let end = c + b[c..].iter().take_while(|x| HEX[**x as usize]).count();
                assert_eq!(super::swar::hex_run_end(&b, c), end);
            }
        }
    }
}

#[test]
fn the_block_filter_knows_localised_slmgr_and_ospp() {
    // The packed searcher takes its fastest form (Slim Teddy) for at most 32 words.
    let n = super::filter::keyword_count();
    assert!(n <= 32, "{n} keywords");
    for text in [
        "许可证状态: 已授权",
        "ライセンスの状態: ライセンスされています",
        "Lizenzstatus: Lizenziert",
        "LICENSE STATUS:  ---LICENSED---",
    ] {
        let padded = format!("{}\n{text}\n", "x".repeat(300));
        assert_eq!(
            super::filter::next_keyword(padded.as_bytes()),
            Some(301),
            "{text}"
        );
    }
}
