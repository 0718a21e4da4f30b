//! The evidence in the bundle's files: `volact scan` over the text files and every distinct error
//! code with where it was seen.

use volact_core::{ErrorCode, Lang, explain, find};

use crate::analysis::CodeSeen;
use crate::bundle::Bundle;
use crate::manifest::FileKind;

/// Runs `volact scan` over the text files of the bundle (not the event exports: `volact events`
/// reads those).
pub(super) fn scan(bundle: &Bundle, lang: Lang) -> volact_scan::ScanReport {
    let opts = volact_scan::Options {
        threads: 1,
        ..volact_scan::Options::default()
    };
    let mut all: Option<volact_scan::Scan> = None;
    for f in bundle
        .files
        .iter()
        .filter(|f| f.kind.is_text() && f.kind != FileKind::EventXml)
    {
        let one = volact_scan::scan_bytes(&f.name, &f.data, &opts);
        match &mut all {
            Some(a) => a.extend(one),
            None => all = Some(one),
        }
    }
    all.unwrap_or_else(|| volact_scan::scan_bytes("-", b"", &opts))
        .report(lang)
}

pub(super) fn codes_in(
    bundle: &Bundle,
    event_codes: &[(String, ErrorCode, u64)],
    lang: Lang,
) -> Vec<CodeSeen> {
    let mut out: Vec<CodeSeen> = Vec::new();
    let mut add = |code: ErrorCode, form: volact_core::Form, n: usize, file: &str| {
        if let Some(c) = out.iter_mut().find(|c| c.code == code) {
            c.count += n;
            if !c.files.iter().any(|x| x == file) {
                c.files.push(file.to_owned());
            }
        } else if out.len() < 1000 {
            let e = explain::explain(code, form, lang);
            out.push(CodeSeen {
                code,
                name: e.name,
                known: e.known,
                summary: e.summary,
                files: vec![file.to_owned()],
                count: n,
            });
        }
    };
    for f in &bundle.files {
        match f.kind {
            FileKind::Evtx | FileKind::EventXml => {
                for (file, code, n) in event_codes.iter().filter(|x| x.0 == f.name) {
                    add(
                        *code,
                        volact_core::Form::PrefixedHex,
                        usize::try_from(*n).unwrap_or(usize::MAX),
                        file,
                    );
                }
            }
            _ => {
                // The JSON dumps carry the collector's own error messages ("Access is denied.
                // (os error 5)"): small decimal Win32 numbers there are about collecting, not
                // activation.
                let json = matches!(
                    f.kind,
                    FileKind::Registry | FileKind::Dns | FileKind::System
                );
                // Streamed: a file full of codes does not become a list of all of them.
                find::find_codes_with(&f.text(), |found| {
                    if json && found.form == volact_core::Form::Win32Decimal {
                        return true;
                    }
                    // Success values that no table names are numbers that merely look like
                    // codes (w32tm's `ReferenceId: 0x0A14000A`, flags fields).
                    let success = found.code.value() & 0x8000_0000 == 0;
                    if found.code.value() != 0 && (!success || find::is_recognised(found.code)) {
                        add(found.code, found.form, 1, &f.name);
                    }
                    true
                });
            }
        }
    }
    out
}
