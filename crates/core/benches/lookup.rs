//! Parsing and lookup speed. Target (issue #2): a known-code lookup under 100 ns.
//!
//! Run with `cargo bench -p volact-core --bench lookup`.

#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use volact_core::{ErrorCode, Form, Lang, explain, find, kb, names};

fn bench(c: &mut Criterion) {
    let code = ErrorCode::new(0xC004F074);
    c.bench_function("kb::lookup known code", |b| {
        b.iter(|| kb::lookup(black_box(code)))
    });
    c.bench_function("kb::lookup unknown code", |b| {
        b.iter(|| kb::lookup(black_box(ErrorCode::new(0x8ABC1234))))
    });
    c.bench_function("names::win32", |b| b.iter(|| names::win32(black_box(1722))));
    for input in ["0xC004F074", "c004f074", "-1073418124", "3221549172"] {
        c.bench_function(&format!("ErrorCode::parse {input}"), |b| {
            b.iter(|| ErrorCode::parse(black_box(input)))
        });
    }
    c.bench_function("parse + lookup 0xC004F074", |b| {
        b.iter(|| kb::lookup(ErrorCode::parse(black_box("0xC004F074")).unwrap()))
    });
    c.bench_function("explain 0xC004F074 (model)", |b| {
        b.iter(|| explain::explain(black_box(code), Form::PrefixedHex, Lang::ZhTw))
    });
    let dialog = "Windows Script Host\r\n\r\nError: 0xC004F074 The Software Licensing Service reported \
                  that the computer could not be activated. No Key Management Service (KMS) could be \
                  contacted. Please see the Application Event Log for additional information.\r\n";
    c.bench_function("find_codes in a pasted dialog", |b| {
        b.iter(|| find::find_codes(black_box(dialog)))
    });
    let noise: String = (0..16_384)
        .map(|i| {
            format!(
                "2026-11-24 13:{:02}:{:02} INFO worker {i} processed item 0x{i:x} ok\n",
                i % 60,
                i % 60
            )
        })
        .collect();
    let mut group = c.benchmark_group("throughput");
    group.throughput(criterion::Throughput::Bytes(noise.len() as u64));
    group.bench_function("find_codes in 1 MB of log noise", |b| {
        b.iter(|| find::find_codes(black_box(&noise)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
