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
//! piece of [`CHUNK`] bytes can be let go without cutting a key, so memory stays bounded however
//! large a report is.

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

    fn write_out(&mut self, text: &str) -> io::Result<()> {
        match &mut self.inner {
            Some(w) => w.write_all(key::redact_keys_in(text).as_bytes()),
            None => Ok(()),
        }
    }

    /// Redacts and writes out the start of the pending text: everything when `all`, else all but
    /// the last [`key::MAX_KEY_SPAN`] bytes, never cutting a key or a character.
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
        let mut cut = if all {
            self.pending.len()
        } else {
            valid.saturating_sub(key::MAX_KEY_SPAN)
        };
        if cut == 0 {
            return Ok(());
        }
        if cut > valid {
            // A cut character at the very end, written anyway.
            let text = String::from_utf8_lossy(&self.pending).into_owned();
            self.write_out(&text)?;
            self.pending.clear();
            return Ok(());
        }
        // `pending[..valid]` is UTF-8.
        let text = std::str::from_utf8(&self.pending[..valid]).unwrap_or_default();
        if !all {
            // Not inside a key (keys found in the whole text; a key of nine groups is two keys
            // that share one, hence the loop from the last).
            for span in key::find_keys(text).iter().rev() {
                if span.start < cut && cut < span.end {
                    cut = span.start;
                }
            }
            while !text.is_char_boundary(cut) {
                cut -= 1;
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
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= CHUNK + key::MAX_KEY_SPAN {
            self.drain(false)?;
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

/// What `eprint!` / `eprintln!` call: one message, written whole and flushed.
pub(crate) fn err(args: fmt::Arguments<'_>, newline: bool) {
    let mut w = stderr();
    let _ = w.write_fmt(args);
    if newline {
        let _ = w.write_all(b"\n");
    }
    let _ = w.flush();
}

/// What `print!` / `println!` call: one message, written whole and flushed (none is used today;
/// the macros are there so that a new one is redacted too).
#[allow(dead_code)]
pub(crate) fn out(args: fmt::Arguments<'_>, newline: bool) {
    let mut w = stdout();
    let _ = w.write_fmt(args);
    if newline {
        let _ = w.write_all(b"\n");
    }
    let _ = w.flush();
}

/// Prints a clap error (usage error, help, version) where clap would, redacted: clap repeats the
/// values it rejects.
pub(crate) fn clap_error(e: &clap::Error) {
    let styled = e.render();
    // Terminal colour sequences are invisible to the redaction, so a coloured key is found too.
    if e.use_stderr() {
        let err = io::stderr();
        let choice = anstream::AutoStream::choice(&err);
        let mut w = Redacting::new(anstream::AutoStream::new(err.lock(), choice));
        let _ = write!(w, "{}", styled.ansi());
        let _ = w.flush();
    } else {
        let out = io::stdout();
        let choice = anstream::AutoStream::choice(&out);
        let mut w = Redacting::new(anstream::AutoStream::new(out.lock(), choice));
        let _ = write!(w, "{}", styled.ansi());
        let _ = w.flush();
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
    fn characters_are_not_cut() {
        let text = "金鑰 ".repeat(CHUNK);
        let out = through(&[text.as_bytes()]);
        assert_eq!(out, text);
    }
}
