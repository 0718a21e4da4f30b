//! Everything the CLI writes goes through here, with product keys redacted: standard output,
//! standard error, usage errors from clap, panic messages and files it writes reports to.
//!
//! A product key may come back from any input (a file name, a search query, a value clap
//! rejects, a field of an event log), so redaction is not left to each message: [`Redacting`]
//! wraps every stream, and `main.rs` replaces `println!`, `print!`, `eprintln!` and `eprint!` for
//! the whole crate with versions that write through it. Text is redacted after decoding escapes
//! and folding width ([`volact_core::key::redact_keys_in`]).
//!
//! Text is held until [`Write::flush`] (each message is written whole, then flushed) or until a
//! piece of about [`CHUNK`] bytes can be let go without cutting a key, so memory stays bounded
//! however large a report is. Small outputs are redacted as a whole (a key broken across lines is
//! found too); large ones line by line, which keeps `volact events --format json` on a 27 MB report
//! as fast as before.

use std::fmt;
use std::io::{self, Write};

use volact_core::key;

/// Bytes redacted and written at a time (plus the overlap a key needs).
const CHUNK: usize = 64 * 1024;

/// A writer that redacts product keys in the text written to it before passing it on.
pub(crate) struct Redacting<W: Write> {
    /// `None` only once [`Redacting::finish`] took it.
    inner: Option<W>,
    pending: Vec<u8>,
}

impl<W: Write> Redacting<W> {
    pub(crate) fn new(inner: W) -> Self {
        Redacting {
            inner: Some(inner),
            pending: Vec::new(),
        }
    }

    /// Writes `text` redacted: as a whole when it is small (a key broken across lines is still
    /// found), else line by line (most lines are then passed over at once, so a large report
    /// costs little more than before redaction).
    fn write_out(&mut self, text: &str) -> io::Result<()> {
        let Some(w) = &mut self.inner else {
            return Ok(());
        };
        if text.len() <= CHUNK + key::MAX_KEY_SPAN {
            return w.write_all(key::redact_keys_in(text).as_bytes());
        }
        for line in text.split_inclusive('\n') {
            w.write_all(key::redact_keys_in(line).as_bytes())?;
        }
        Ok(())
    }

    /// Redacts and writes out the start of the pending text: everything when `all`, else all but
    /// the last [`key::MAX_KEY_SPAN`] bytes, ending after a line break when there is one, and
    /// never inside a key or a character.
    fn drain(&mut self, all: bool) -> io::Result<()> {
        // Bytes that are not UTF-8 are read as a reader would see them (U+FFFD); a character cut
        // at the end waits for its other bytes.
        let valid = loop {
            match std::str::from_utf8(&self.pending) {
                Ok(s) => break s.len(),
                Err(e) => match e.error_len() {
                    Some(n) => {
                        let at = e.valid_up_to();
                        self.pending
                            .splice(at..at + n, "\u{FFFD}".bytes())
                            .for_each(drop);
                    }
                    None => break e.valid_up_to(),
                },
            }
        };
        if all && valid < self.pending.len() {
            // A cut character at the very end, written anyway.
            let text = String::from_utf8_lossy(&self.pending).into_owned();
            self.write_out(&text)?;
            self.pending.clear();
            return Ok(());
        }
        let Ok(text) = std::str::from_utf8(&self.pending[..valid]) else {
            return Ok(());
        };
        let mut cut = if all {
            valid
        } else {
            valid.saturating_sub(key::MAX_KEY_SPAN)
        };
        if cut == 0 {
            return Ok(());
        }
        if !all {
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            if let Some(nl) = text[..cut].rfind('\n') {
                cut = nl + 1;
            } else {
                // One long line: not inside a key (keys found in the whole text; a key of nine
                // groups is two keys that share one, hence the loop from the last).
                for span in key::find_keys(text).iter().rev() {
                    if span.start < cut && cut < span.end {
                        cut = span.start;
                    }
                }
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
            }
        }
        let text = text[..cut].to_owned();
        self.write_out(&text)?;
        self.pending.drain(..cut);
        Ok(())
    }

    /// Writes what is pending and gives back the inner writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.flush()?;
        self.inner
            .take()
            .ok_or_else(|| io::Error::other("writer already taken"))
    }
}

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // A piece at a time, so a large report is never held twice.
        for piece in buf.chunks(CHUNK) {
            self.pending.extend_from_slice(piece);
            while self.pending.len() >= CHUNK + key::MAX_KEY_SPAN {
                let before = self.pending.len();
                self.drain(false)?;
                if self.pending.len() == before {
                    break;
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        match &mut self.inner {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl<W: Write> Drop for Redacting<W> {
    fn drop(&mut self) {
        if self.inner.is_some() {
            let _ = self.flush();
        }
    }
}

/// Standard output, redacted.
#[allow(clippy::disallowed_methods)]
pub(crate) fn stdout() -> Redacting<io::StdoutLock<'static>> {
    Redacting::new(io::stdout().lock())
}

/// Standard error, redacted.
#[allow(clippy::disallowed_methods)]
pub(crate) fn stderr() -> Redacting<io::StderrLock<'static>> {
    Redacting::new(io::stderr().lock())
}

/// One message, written whole (and a line break when `newline`) and flushed; errors are ignored,
/// as by the standard macros' callers here (there is nowhere left to report them).
fn message(mut w: impl Write, args: fmt::Arguments<'_>, newline: bool) {
    let _ = w.write_fmt(args);
    if newline {
        let _ = w.write_all(b"\n");
    }
    let _ = w.flush();
}

/// What `eprint!` / `eprintln!` call.
pub(crate) fn err(args: fmt::Arguments<'_>, newline: bool) {
    message(stderr(), args, newline);
}

/// What `print!` / `println!` call (none is used today; the macros are there so that a new one is
/// redacted too).
#[allow(dead_code)]
pub(crate) fn out(args: fmt::Arguments<'_>, newline: bool) {
    message(stdout(), args, newline);
}

/// Prints a clap error (usage error, help, version) where clap would, redacted: clap repeats the
/// values it rejects.
pub(crate) fn clap_error(e: &clap::Error) {
    // Terminal colour sequences are invisible to the redaction, so a coloured key is found too.
    fn to<S: anstream::stream::RawStream + anstream::stream::AsLockedWrite>(
        stream: S,
        e: &clap::Error,
    ) {
        let choice = anstream::AutoStream::choice(&stream);
        let w = Redacting::new(anstream::AutoStream::new(stream, choice));
        message(w, format_args!("{}", e.render().ansi()), false);
    }
    if e.use_stderr() {
        to(io::stderr().lock(), e);
    } else {
        to(io::stdout().lock(), e);
    }
}

/// Panic messages go to standard error redacted too.
pub(crate) fn redact_panics() {
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("<unnamed>");
        err(format_args!("thread '{name}' {info}"), true);
    }));
}

/// What a progress bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // `Items` is for the next command that draws a bar (doctor's fleet).
pub(crate) enum Unit {
    /// Bytes read: shown as `1.2 MiB/3.4 GiB 56 MiB/s`.
    Bytes,
    /// Things done (files, hosts): shown as `12/340 5/s`.
    Items,
}

/// The one progress-bar style of the CLI (libraries report progress, only the CLI draws): a
/// 30-column bar, the count in `unit` against `total`, the rate, and a message the caller sets
/// (`{msg}`, e.g. "3/12 files"). Drawn on standard error, where indicatif draws nothing unless it
/// is a terminal; `set_length` follows a total that grows while walking.
pub(crate) fn progress_bar(total: u64, unit: Unit) -> indicatif::ProgressBar {
    let template = match unit {
        Unit::Bytes => "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} {msg}",
        Unit::Items => "{bar:30} {pos}/{len} {per_sec} {msg}",
    };
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "BCDFG-HJKMN-PQRTV-WXY23-46789";

    fn through(parts: &[&[u8]]) -> String {
        let mut w = Redacting::new(Vec::new());
        for p in parts {
            w.write_all(p).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn keys_are_redacted_whatever_the_writes() {
        let out = through(&[b"a BCDFG-HJK", b"MN-PQRTV-WXY23-46789 b\n"]);
        assert_eq!(out, "a *****-*****-*****-*****-46789 b\n");
        let out =
            through(&["ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９".as_bytes()]);
        assert!(!out.contains("ＰＱＲＴＶ"), "{out}");
    }

    #[test]
    fn large_output_is_cut_between_keys() {
        // Keys at every offset around the chunk size: none is cut in two.
        let mut text = String::new();
        let mut i = 0;
        while text.len() < 3 * CHUNK + 3 * key::MAX_KEY_SPAN {
            text.push_str(&"x".repeat(i % 7));
            text.push_str(KEY);
            // A full stop ends each key (a space or line break alone would let the last group
            // and the next key's first four be read as one more key).
            text.push_str(if i % 3 == 0 { ".\n" } else { ". " });
            i += 1;
        }
        let mut w = Redacting::new(Vec::new());
        for piece in text.as_bytes().chunks(1000) {
            w.write_all(piece).unwrap();
            assert!(w.pending.len() < CHUNK + key::MAX_KEY_SPAN + 1000);
        }
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(!out.contains("HJKMN"));
        assert_eq!(out.matches("*****-*****-*****-*****-46789").count(), i);
    }

    #[test]
    fn a_key_broken_across_lines_of_a_message_is_found() {
        let out = through(&[b"key: BCDFG-HJKMN-\n  PQRTV-WXY23-46789\n"]);
        assert!(!out.contains("HJKMN") && !out.contains("PQRTV"), "{out}");
    }

    #[test]
    fn a_long_line_is_cut_between_keys() {
        let mut text = String::new();
        let mut n = 0;
        while text.len() < 3 * CHUNK {
            text.push_str(&"y".repeat(n % 5));
            text.push_str(" BCDFG HJKMN PQRTV WXY23 46789,");
            n += 1;
        }
        let out = through(&[text.as_bytes()]);
        assert!(!out.contains("PQRTV"));
        assert_eq!(out.matches("***** ***** ***** ***** 46789").count(), n);
    }

    #[test]
    fn progress_bar_styles_are_valid() {
        for unit in [Unit::Bytes, Unit::Items] {
            let bar = progress_bar(10, unit);
            bar.set_position(5);
            assert_eq!(bar.length(), Some(10));
            bar.finish_and_clear();
        }
    }

    #[test]
    fn characters_are_not_cut() {
        let text = "金鑰 ".repeat(CHUNK);
        let out = through(&[text.as_bytes()]);
        assert_eq!(out, text);
    }
}
