//! Scan on a noisy log: a generated 20,000-line servicing log (CBS, CSI, setup and application
//! style lines with random handles, flags, cookies, time stamps and hashes) holding one known
//! activation code. The code comes first in every format, the random values are counted in one
//! line, `--all-codes` lists them last, and no cap lets them take the known code's place.

use volact_core::Lang;
use volact_scan::{Options, ScanReport, Verdict, render, scan_str};

/// The known code hidden in the noise, and where.
const CODE: &str = "0xC004F074";
const CODE_LINE: usize = 12_345;

/// A small, fixed pseudo-random generator (xorshift64*): the same log on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn hex(&mut self, digits: usize) -> String {
        (0..digits)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }

    fn guid(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(4),
            self.hex(4),
            self.hex(12)
        )
    }
}

/// One line of servicing-log noise, most with one or two random `0x` + eight hex values.
fn noise_line(r: &mut Rng, n: usize) -> String {
    let t = format!(
        "2026-11-24 {:02}:{:02}:{:02}",
        r.below(24),
        r.below(60),
        r.below(60)
    );
    match r.below(10) {
        0 => format!(
            "{t}, Info                  CBS    Session: {}_{} initialized by client WindowsUpdateAgent, handle 0x{}",
            r.below(99_999_999),
            r.below(999_999_999),
            r.hex(8)
        ),
        1 => format!(
            "{t}, Info                  CSI    {:08x}@2026/11/24:{:02}:00:00.{:03} CSI Transaction @0x{} initialized for deployment engine {{{}}} with flags 0x{}",
            n,
            r.below(24),
            r.below(1000),
            r.hex(12),
            r.guid(),
            r.hex(8)
        ),
        2 => format!(
            "{t}, Info                  CSI    {:08x} Hashes for file member [l:12]'ntdll.dll' do not match. Expected: {{l:32 b:{}}} cookie=0x{}",
            n,
            r.hex(64),
            r.hex(8)
        ),
        3 => format!(
            "{t}, Info                  CBS    Appl: detect Parent, Package: Package_for_KB50{}~31bf3856ad364e35~amd64~~19041.1880.1.0, object 0x{}",
            r.below(99_999),
            r.hex(8)
        ),
        4 => format!(
            "{t}, Info                  MIG    Context 0x{} state 0x{} session 0x{}",
            r.hex(8),
            r.hex(8),
            r.hex(8)
        ),
        5 => format!(
            "     sto: {{Copy: exit(0x{})}} [setupapi] ctx 0x{} 00:00:0{}.{:03}",
            r.hex(8),
            r.hex(8),
            r.below(10),
            r.below(1000)
        ),
        6 => format!(
            "Faulting application name: svchost.exe, version: 10.0.19041.{}, time stamp: 0x{}; Fault offset: 0x{}",
            r.below(5000),
            r.hex(8),
            r.hex(8)
        ),
        7 => format!(
            "{t}, Info                  CBS    Exec: Processing started. Client: WindowsUpdateAgent, Session: 0x{}, Package: {{{}}}",
            r.hex(8),
            r.guid()
        ),
        8 => format!(
            "{t}, Info                  DISM   PID={} TID={} [0x{}] loaded provider",
            r.below(65_535),
            r.below(65_535),
            r.hex(8)
        ),
        _ => format!(
            "{t}, Info                  CBS    Reboot mark refs: {}, pending {} sha1 {}",
            r.below(10),
            r.below(10),
            r.hex(40)
        ),
    }
}

/// The 20,000-line log, with the known code on line [`CODE_LINE`].
fn noisy_log() -> String {
    let mut r = Rng(0x5EED_2026_1124_0016);
    let mut s = String::new();
    for n in 1..=20_000 {
        if n == CODE_LINE {
            s.push_str(&format!(
                "2026-11-24 09:13:05, Error                 SPP    Activation failed: hr={CODE}\n"
            ));
        } else {
            s.push_str(&noise_line(&mut r, n));
            s.push('\n');
        }
    }
    s
}

fn report(opts: &Options) -> ScanReport {
    scan_str("CBS.log", &noisy_log(), opts).report(Lang::En)
}

#[test]
fn the_known_code_comes_first_and_the_rest_is_one_counted_line() {
    let r = report(&Options::default());
    assert_eq!(r.summary[0].code.to_string(), CODE);
    assert_eq!(r.matches[0].m.code.to_string(), CODE);
    assert_eq!(r.matches[0].m.place.line, CODE_LINE as u64);
    // Whatever else is listed was named by a table (none of the noise is in an error context).
    assert!(r.summary.len() < 5, "{:?}", r.summary.len());
    assert!(r.totals.other_values > 25_000, "{}", r.totals.other_values);
    assert!(r.totals.other_lines > 18_000 && r.totals.other_lines < 20_000);
    assert_eq!(r.inputs[0].other_values, r.totals.other_values);
    assert_eq!(r.verdict(), Verdict::Ok);

    // Text: the code is the first code shown, and the counted line follows the summary.
    let text = render::text(&r, false);
    let first = text.lines().find(|l| l.contains("0x")).expect("a code");
    assert!(first.contains(CODE), "{first}");
    assert!(text.lines().count() < 40, "{}", text.lines().count());
    let note = format!(
        "{} other hex value(s) on {} line(s)",
        r.totals.other_values, r.totals.other_lines
    );
    assert!(text.contains(&note), "{text}");
    assert!(text.contains("--all-codes lists them"));

    // JSON: the counted fields.
    let json: serde_json::Value = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(json["summary"][0]["code"], CODE);
    assert_eq!(json["summary"][0]["rank"], "known");
    assert_eq!(json["matches"][0]["code"], CODE);
    assert_eq!(json["totals"]["other_values"], r.totals.other_values);
    assert_eq!(json["totals"]["other_lines"], r.totals.other_lines);

    // NDJSON: the header carries the totals; the first code record is the known code.
    let nd = render::ndjson(&r);
    let records: Vec<serde_json::Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["totals"]["other_values"], r.totals.other_values);
    let code = records.iter().find(|x| x["type"] == "code").unwrap();
    assert_eq!(code["code"], CODE);
    let m = records.iter().find(|x| x["type"] == "match").unwrap();
    assert_eq!(m["code"], CODE);

    // CSV: the first row is the known code, and one row counts the rest.
    let csv = render::csv(&r);
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert!(
        rows[1].starts_with("match,CBS.log,12345,") && rows[1].contains(CODE),
        "{}",
        rows[1]
    );
    let other = rows
        .iter()
        .find(|x| x.starts_with("other-values,"))
        .unwrap();
    assert!(
        other.starts_with(&format!(
            "other-values,,{},{},",
            r.totals.other_lines, r.totals.other_values
        )),
        "{other}"
    );

    // Markdown: the first table row, and the sentence.
    let md = render::markdown(&r);
    let row = md.lines().find(|l| l.starts_with("| `0x")).unwrap();
    assert!(row.contains(CODE), "{row}");
    assert!(md.contains(&note));
}

#[test]
fn all_codes_lists_the_rest_last_without_crowding_out_the_known_code() {
    // A detail limit of one, and more than 10,000 distinct values before the code: the known code
    // keeps its place in the summary, the matches and the counts.
    let opts = Options {
        all_codes: true,
        max_matches: 1,
        ..Options::default()
    };
    let r = report(&opts);
    assert_eq!(r.summary[0].code.to_string(), CODE);
    assert_eq!(r.summary[0].count, 1);
    assert_eq!(r.matches.len(), 1);
    assert_eq!(r.matches[0].m.code.to_string(), CODE);
    assert!(r.matches_truncated);
    let others = r.summary.iter().filter(|c| !c.rank.listed()).count();
    assert!(others >= 10_000, "{others}");
    // Listed last, and listing them changes neither the count nor the verdict.
    let first_other = r.summary.iter().position(|c| !c.rank.listed()).unwrap();
    assert!(r.summary[first_other..].iter().all(|c| !c.rank.listed()));
    let plain = report(&Options::default());
    assert_eq!(r.totals.other_values, plain.totals.other_values);
    assert_eq!(r.verdict(), Verdict::Ok);
    let text = render::text(&r, false);
    assert!(
        text.contains("are listed last (--all-codes)"),
        "{}",
        &text[..400]
    );

    // Without a detail limit the values are listed up to 10,000 distinct ones (all are counted),
    // the known code first.
    let opts = Options {
        all_codes: true,
        max_matches: 0,
        ..Options::default()
    };
    let r = report(&opts);
    assert_eq!(r.matches[0].m.code.to_string(), CODE);
    let others = r.summary.iter().filter(|c| !c.rank.listed()).count();
    assert_eq!(others, 10_000);
    assert!(r.matches.len() as u64 > 10_000 && (r.matches.len() as u64) < r.totals.matches);
}

#[test]
fn an_unknown_failure_in_an_error_context_is_listed_after_named_codes() {
    let text = "handle 0x9ABC1234\nerror 0x9ABC5678\nflags 0x8007000E\nhr=0xC004F074\n";
    let r = scan_str("t", text, &Options::default()).report(Lang::En);
    let codes: Vec<String> = r.summary.iter().map(|c| c.code.to_string()).collect();
    assert_eq!(codes, ["0xC004F074", "0x8007000E", "0x9ABC5678"]);
    let lines: Vec<u64> = r.matches.iter().map(|m| m.m.place.line).collect();
    assert_eq!(lines, [4, 3, 2]);
    assert_eq!((r.totals.other_values, r.totals.other_lines), (1, 1));
    // In Chinese too.
    let zh = scan_str("t", text, &Options::default()).report(Lang::ZhTw);
    assert!(render::text(&zh, false).contains("--all-codes 即可列出"));
}
