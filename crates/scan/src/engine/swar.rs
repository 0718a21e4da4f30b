//! Finding candidates: runs of ASCII hex digits (64 bytes per step, classified by a loop the
//! compiler vectorises; eight bytes per step with SWAR range checks in the tail), the lead bytes
//! of full-width forms, and line feeds.

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

/// One bit per byte of `b[p..p + 64]`: set where the byte is an ASCII hex digit. Written so that
/// the compiler vectorises the classification (16 or 32 bytes per instruction); the 0/1 bytes
/// are then gathered eight at a time by one multiplication.
fn hex_mask64(b: &[u8], p: usize) -> u64 {
    let chunk: &[u8; 64] = b[p..p + 64].try_into().expect("64 bytes");
    let mut t = [0u8; 64];
    for (d, x) in t.iter_mut().zip(chunk) {
        *d = u8::from(x.wrapping_sub(b'0') < 10) | u8::from((x | 0x20).wrapping_sub(b'a') < 6);
    }
    let mut m = 0u64;
    for (k, w) in t.chunks_exact(8).enumerate() {
        let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        m |= (w.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
    }
    m
}

/// Start of the first run of at least eight ASCII hex digits that starts at or after `i`.
pub(super) fn next_hex_run(b: &[u8], i: usize) -> Option<usize> {
    let n = b.len();
    let mut run = 0usize;
    let mut p = i;
    while p + 64 <= n {
        let m = hex_mask64(b, p);
        // A run carried over from the previous chunk, completed at the start of this one.
        if run > 0 && (!m).trailing_zeros() as usize >= 8 - run {
            return Some(p - run);
        }
        // Bit j: bytes j..j + 8 are all hex digits.
        let mut r = m;
        r &= r >> 1;
        r &= r >> 2;
        r &= r >> 4;
        if r != 0 {
            return Some(p + r.trailing_zeros() as usize);
        }
        // Fewer than eight (else `r` had a bit).
        run = (!m).leading_zeros() as usize;
        p += 64;
    }
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

/// End of the run of ASCII hex digits starting at `c`, eight bytes per step.
pub(super) fn hex_run_end(b: &[u8], mut c: usize) -> usize {
    while c + 8 <= b.len() {
        let w = u64::from_le_bytes(b[c..c + 8].try_into().expect("eight bytes"));
        let not_hex = !hex_lanes(w) & HIGH;
        if not_hex != 0 {
            return c + (not_hex.trailing_zeros() / 8) as usize;
        }
        c += 8;
    }
    c + b[c..].iter().take_while(|x| HEX[**x as usize]).count()
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
