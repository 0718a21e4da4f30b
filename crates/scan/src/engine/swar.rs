//! Finding candidates eight bytes at a time: runs of ASCII hex digits (SWAR range checks), the
//! lead bytes of full-width forms, and line feeds.

pub(super) static HEX: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_hexdigit();
        i += 1;
    }
    t
};

const LANES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// For eight bytes read as a little-endian word, the high bit of each byte lane whose byte is an
/// ASCII hex digit (SWAR range checks; no lane can carry into the next).
pub(super) fn hex_lanes(w: u64) -> u64 {
    let ascii = !w & HIGH;
    let x = w & !HIGH;
    let digit = (x + LANES * (0x80 - 0x30)) & !(x + LANES * (0x7F - 0x39));
    let y = x | (LANES * 0x20);
    let alpha = (y + LANES * (0x80 - 0x61)) & !(y + LANES * (0x7F - 0x66));
    (digit | alpha) & ascii & HIGH
}

/// Start of the first run of at least eight ASCII hex digits that starts at or after `i`,
/// looking at eight bytes per step.
pub(super) fn next_hex_run(b: &[u8], i: usize) -> Option<usize> {
    let n = b.len();
    let mut run = 0usize;
    let mut p = i;
    while p + 8 <= n {
        let w = u64::from_le_bytes(b[p..p + 8].try_into().expect("eight bytes"));
        let not_hex = !hex_lanes(w) & HIGH;
        if not_hex == 0 {
            return Some(p - run);
        }
        let lead = (not_hex.trailing_zeros() / 8) as usize;
        if run + lead >= 8 {
            return Some(p - run);
        }
        run = (not_hex.leading_zeros() / 8) as usize;
        p += 8;
    }
    while p < n {
        if HEX[b[p] as usize] {
            run += 1;
            if run == 8 {
                return Some(p + 1 - run);
            }
        } else {
            run = 0;
        }
        p += 1;
    }
    None
}

pub(super) fn next_fullwidth(b: &[u8], mut i: usize) -> Option<usize> {
    while let Some(j) = memchr::memchr(0xEF, &b[i..]) {
        let p = i + j;
        if p + 1 < b.len() && matches!(b[p + 1], 0xBC | 0xBD) {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// Counts line feeds; written so that the compiler vectorises it (byte counters over runs of
/// at most 255 bytes).
pub(super) fn count_nl(b: &[u8]) -> u64 {
    let mut n = 0u64;
    for chunk in b.chunks(255) {
        let c = chunk
            .iter()
            .fold(0u8, |a, &x| a.wrapping_add(u8::from(x == b'\n')));
        n += u64::from(c);
    }
    n
}
