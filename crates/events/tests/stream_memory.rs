//! A .evtx stream (standard input, a pipe) is read chunk by chunk: memory stays bounded whatever
//! its length (it used to be buffered whole, up to 4 GiB). Measured as the process's peak resident
//! memory (Linux), in a test binary of its own so that no other test's memory counts.

use std::io::Read;

use volact_core::Lang;
use volact_events::analyze::{Analyzer, Options};
use volact_testsupport::evtx::kms::{HostLog, HostLogSpec};
use volact_testsupport::evtx::{CHUNK_SIZE, EvtxEvent, FILE_HEADER_SIZE, to_bytes};

/// The process's peak resident memory so far (Linux), in bytes.
fn peak_resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// A stream that cannot seek: `head`, then `body` over and over until `len` bytes.
struct Repeat {
    head: Vec<u8>,
    body: Vec<u8>,
    pos: u64,
    len: u64,
}

impl Read for Repeat {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.len {
            return Ok(0);
        }
        let h = self.head.len() as u64;
        let (src, at) = if self.pos < h {
            (&self.head, self.pos as usize)
        } else {
            (
                &self.body,
                ((self.pos - h) % self.body.len() as u64) as usize,
            )
        };
        let n = buf
            .len()
            .min(src.len() - at)
            .min((self.len - self.pos) as usize);
        buf[..n].copy_from_slice(&src[at..at + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

#[test]
fn a_long_evtx_stream_is_read_in_bounded_memory() {
    // A KMS host log (activation events, read by the fast path) ...
    let spec = HostLogSpec {
        clients: 40,
        max_records: Some(600),
        ..HostLogSpec::default()
    };
    let kms = to_bytes(&HostLog::new(spec).map(|(e, _)| e).collect::<Vec<_>>());
    // ... followed by a chunk of other events repeated to 272 MiB.
    let other: Vec<EvtxEvent> = (0..150)
        .map(|i| {
            EvtxEvent::new(
                "Microsoft-Windows-Kernel-General",
                "System",
                12,
                1_790_000_000 + i,
                "srv01",
                vec![format!("value {i}")],
            )
        })
        .collect();
    let other = to_bytes(&other);
    assert_eq!(other.len(), FILE_HEADER_SIZE + CHUNK_SIZE);
    let body = other[FILE_HEADER_SIZE..].to_vec();
    let len: u64 = 272 << 20;
    let repeats = (len - kms.len() as u64) / CHUNK_SIZE as u64;
    let len = kms.len() as u64 + repeats * CHUNK_SIZE as u64;
    let stream = Repeat {
        head: kms,
        body,
        pos: 0,
        len,
    };
    if peak_resident().is_none() {
        eprintln!("skipping the memory check: no /proc/self/status here (not Linux)");
    }
    let mut an = Analyzer::new(Options::default());
    let kind = volact_events::source::read_stream("-", stream, &mut an).unwrap();
    let peak = peak_resident();
    eprintln!("peak resident memory: {:?} MiB", peak.map(|p| p >> 20));
    assert_eq!(kind.id(), "evtx");
    let r = an.report(Lang::En);
    assert_eq!(r.stats.records_read, 600 + repeats * 150);
    assert_eq!(r.stats.events_used, 600);
    assert_eq!(r.warnings_total, 0, "{:?}", r.warnings);
    // At most WINDOW × GROUP chunks (8 MiB) in flight, the reused buffers, the analyzer, the
    // test program itself; the stream is 272 MiB.
    if let Some(peak) = peak {
        assert!(
            peak < 128 << 20,
            "peak resident memory {} MiB while reading a {} MiB stream",
            peak >> 20,
            len >> 20
        );
    }
}
