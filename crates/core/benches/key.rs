//! Key redaction speed on the output path of `volact events --format json`: a 27 MB JSON report
//! (client names, CMIDs as GUIDs, times, codes) redacted line by line, as the CLI writes it.
//!
//! Run with `cargo bench -p volact-core --bench key`.

#![allow(missing_docs)]

use std::fmt::Write;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use volact_core::key;

/// About 27 MB of pretty-printed JSON shaped like the events report's client rows.
fn report() -> String {
    let mut s = String::from("{\n  \"schema_version\": 1,\n  \"clients\": [\n");
    let mut i: u64 = 0;
    while s.len() < 27_000_000 {
        let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let _ = write!(
            s,
            "    {{\n      \"name\": \"WS{i:06}.corp.example.com\",\n      \"cmid\": \"{:08x}-{:04x}-{:04x}-{:04x}-{:012x}\",\n      \
             \"first\": \"2026-11-{:02}T{:02}:{:02}:{:02}Z\",\n      \"last\": \"2026-11-24T14:00:00Z\",\n      \
             \"requests\": {},\n      \"failures\": {},\n      \"last_code\": \"0x{:08X}\",\n      \
             \"os\": \"Windows 11 Enterprise\",\n      \"note\": \"the client counts toward the threshold of 25\"\n    }},\n",
            h >> 32,
            (h >> 16) & 0xFFFF,
            h & 0xFFFF,
            (h >> 48) & 0xFFFF,
            h & 0xFFFF_FFFF_FFFF,
            1 + i % 28,
            i % 24,
            i % 60,
            (i * 7) % 60,
            i % 97,
            i % 3,
            if i.is_multiple_of(5) {
                0xC004F074u32
            } else {
                0
            },
        );
        i += 1;
    }
    s.push_str("  ]\n}\n");
    s
}

fn bench(c: &mut Criterion) {
    let json = report();
    let mut g = c.benchmark_group("key redaction");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.bench_function("events JSON report, line by line", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for line in black_box(&json).split_inclusive('\n') {
                n += key::redact_keys_in(line).len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
