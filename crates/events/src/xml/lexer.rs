//! The lexer between the input and the parser: passes well-formed XML through unchanged and,
//! in one pass, cuts what is over a limit, keeping every token well formed.

use std::io::{self, BufRead};

use super::limits::*;

/// Where the lexer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    /// Between tags.
    Text,
    /// After `<` (not yet passed on: what follows decides).
    Lt,
    /// After `<!`, until the prefix (`--`, `[CDATA[`, `DOCTYPE`) is known.
    Bang,
    /// `<!` followed by anything else, skipped up to the next `>`.
    Unknown,
    /// Inside `<!-…`.
    Comment,
    /// Inside `<![…`.
    Cdata,
    /// Inside `<!…` (DOCTYPE or other declarations).
    Doctype,
    /// Inside `<?…`.
    Pi,
    /// Inside `</…`.
    End,
    /// Inside a start tag.
    Start,
}

/// How often each [`CutWhat`] happened, and where first.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    count: u64,
    line: u64,
    offset: u64,
}

/// A streaming lexer between the input and the parser: it passes well-formed XML through
/// unchanged and makes hostile XML harmless in one pass, in constant memory. It tracks only what
/// it needs to find token boundaries (the same ones quick-xml finds: quotes in tags, `-->`,
/// `]]>`, `?>`, the `<`/`>` balance of a DOCTYPE) and, over a limit, drops the rest of a token
/// while keeping its end, so the parser still sees well-formed markup and every record after it.
#[derive(Debug)]
pub(super) struct Lexer {
    st: St,
    /// Open elements (as the lexer counts them, unbounded).
    depth: u64,
    /// Whether the current token is passed on (not inside a skipped element).
    emit: bool,
    /// Bytes of the current token passed on.
    len: usize,
    /// Whether the rest of the current token (or of the current attribute value) is dropped.
    cutting: bool,
    /// The last two bytes of the current token.
    tail: [u8; 2],
    /// Bytes of a comment after `<!`.
    seen: usize,
    /// The bytes after `<!` while its kind is not yet known.
    bang: [u8; 7],
    bang_len: usize,
    /// DOCTYPE: `<` minus `>` so far, and in what was passed on.
    balance: u64,
    passed_balance: u64,
    // Start tags.
    quote: u8,
    in_name: bool,
    space: bool,
    attributes: usize,
    value_len: usize,
    value_cut: bool,
    name_len: usize,
    name_cut: bool,
    last_sig: u8,
    local: [u8; 8],
    local_len: usize,
    /// Rest of the tag dropped (too many attributes or too long).
    dropping: bool,
    // Where.
    offset: u64,
    line: u64,
    token_offset: u64,
    token_line: u64,
    // What was done.
    tallies: [Tally; CutWhat::ALL.len()],
    pub(super) records_skipped: u64,
    pub(super) deepest: u64,
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

impl Lexer {
    pub(super) fn new() -> Self {
        Self {
            st: St::Text,
            depth: 0,
            emit: true,
            len: 0,
            cutting: false,
            tail: [0; 2],
            seen: 0,
            bang: [0; 7],
            bang_len: 0,
            balance: 0,
            passed_balance: 0,
            quote: 0,
            in_name: false,
            space: false,
            attributes: 0,
            value_len: 0,
            value_cut: false,
            name_len: 0,
            name_cut: false,
            last_sig: 0,
            local: [0; 8],
            local_len: 0,
            dropping: false,
            offset: 0,
            line: 1,
            token_offset: 0,
            token_line: 1,
            tallies: [Tally::default(); CutWhat::ALL.len()],
            records_skipped: 0,
            deepest: 0,
        }
    }

    fn cut(&mut self, what: CutWhat) {
        let Some(i) = CutWhat::ALL.iter().position(|w| *w == what) else {
            return;
        };
        let t = &mut self.tallies[i];
        if t.count == 0 {
            t.line = self.token_line;
            t.offset = self.token_offset;
        }
        t.count += 1;
    }

    pub(super) fn cuts(&self) -> Vec<XmlCut> {
        CutWhat::ALL
            .iter()
            .zip(&self.tallies)
            .filter(|(_, t)| t.count > 0)
            .map(|(w, t)| XmlCut {
                what: *w,
                limit: w.limit() as u64,
                count: t.count,
                line: t.line,
                offset: t.offset,
                records: if *w == CutWhat::Depth {
                    self.records_skipped
                } else {
                    0
                },
            })
            .collect()
    }

    /// Starts a text run (after a tag, or at the start).
    fn text_starts(&mut self) {
        self.st = St::Text;
        self.emit = self.depth <= MAX_DEPTH as u64;
        self.len = 0;
        self.cutting = false;
        self.token_offset = self.offset;
        self.token_line = self.line;
    }

    /// Passes `b` on as part of the current token.
    fn put(&mut self, out: &mut Vec<u8>, b: u8) {
        out.push(b);
        self.len += 1;
    }

    /// Passes on the bytes of `run` (text of the current token) that fit in `limit`, up to the
    /// end of the character at the limit; notes a cut of `what` if some do not.
    fn put_run(&mut self, out: &mut Vec<u8>, run: &[u8], limit: usize, what: CutWhat) {
        if !self.emit || self.cutting {
            return;
        }
        let room = limit.saturating_sub(self.len);
        if run.len() <= room {
            out.extend_from_slice(run);
            self.len += run.len();
            return;
        }
        let mut k = room;
        // A character is never split.
        while k < run.len() && is_continuation(run[k]) {
            k += 1;
        }
        out.extend_from_slice(&run[..k]);
        self.len += k;
        if k < run.len() {
            self.cutting = true;
            self.cut(what);
        }
    }

    /// Runs `input` through the lexer, appending what the parser gets to `out`.
    pub(super) fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let mut i = 0;
        while i < input.len() {
            if self.st == St::Text {
                let rest = &input[i..];
                let n = memchr::memchr(b'<', rest).unwrap_or(rest.len());
                let run = &rest[..n];
                self.put_run(out, run, MAX_TEXT, CutWhat::Text);
                self.line += memchr::memchr_iter(b'\n', run).count() as u64;
                self.offset += n as u64;
                i += n;
                if i < input.len() {
                    self.st = St::Lt;
                    self.token_offset = self.offset;
                    self.token_line = self.line;
                    self.offset += 1;
                    i += 1;
                }
                continue;
            }
            let b = input[i];
            self.step(b, out);
            if b == b'\n' {
                self.line += 1;
            }
            self.offset += 1;
            i += 1;
        }
    }

    /// The end of the input: a lone `<` or `<!…` is passed on (the parser reports it).
    pub(super) fn finish(&mut self, out: &mut Vec<u8>) {
        if self.st == St::Lt && self.depth <= MAX_DEPTH as u64 {
            out.push(b'<');
        }
        if self.st == St::Bang && self.emit {
            out.extend_from_slice(b"<!");
            out.extend_from_slice(&self.bang[..self.bang_len]);
        }
        self.st = St::Text;
    }

    fn step(&mut self, b: u8, out: &mut Vec<u8>) {
        match self.st {
            St::Text => {}
            St::Lt => self.after_lt(b, out),
            St::Bang => self.bang_byte(b, out),
            St::Unknown => {
                if b == b'>' {
                    self.text_starts();
                }
            }
            St::Comment | St::Cdata | St::Pi | St::Doctype => self.markup_byte(b, out),
            St::End => {
                if b == b'>' {
                    if self.emit {
                        out.push(b'>');
                    }
                    self.depth = self.depth.saturating_sub(1);
                    self.text_starts();
                } else if self.emit && !self.cutting {
                    if self.len < MAX_NAME + 2 || is_continuation(b) {
                        self.put(out, b);
                    } else {
                        self.cutting = true;
                        self.cut(CutWhat::Name);
                    }
                }
            }
            St::Start => self.tag_byte(b, out),
        }
    }

    /// The byte after `<` decides what the token is, and whether it is passed on.
    fn after_lt(&mut self, b: u8, out: &mut Vec<u8>) {
        self.len = 0;
        self.cutting = false;
        let inside = self.depth <= MAX_DEPTH as u64;
        match b {
            b'/' | b'!' | b'?' => {
                self.emit = inside;
                self.st = match b {
                    b'/' => St::End,
                    b'!' => St::Bang,
                    _ => St::Pi,
                };
                self.tail = [0, b];
                self.bang_len = 0;
                // `<!` waits for its prefix.
                if self.emit && b != b'!' {
                    self.put(out, b'<');
                    self.put(out, b);
                }
            }
            _ => {
                // A start tag: passed on only while the element fits in MAX_DEPTH levels.
                self.emit = self.depth < MAX_DEPTH as u64;
                if !self.emit && self.depth == MAX_DEPTH as u64 {
                    self.cut(CutWhat::Depth);
                }
                self.st = St::Start;
                self.quote = 0;
                self.in_name = true;
                self.space = false;
                self.attributes = 0;
                self.name_len = 0;
                self.name_cut = false;
                self.last_sig = 0;
                self.local_len = 0;
                self.dropping = false;
                if self.emit {
                    self.put(out, b'<');
                }
                self.tag_byte(b, out);
            }
        }
    }

    /// A byte of a comment, CDATA section, processing instruction or DOCTYPE.
    fn markup_byte(&mut self, b: u8, out: &mut Vec<u8>) {
        let ends = b == b'>'
            && match self.st {
                // `<!---->` at the shortest, as quick-xml reads it.
                St::Comment => self.seen >= 4 && self.tail == *b"--",
                St::Cdata => self.tail == *b"]]",
                St::Pi => self.tail[1] == b'?',
                _ => self.balance == 0,
            };
        if ends {
            if self.emit {
                if self.cutting {
                    match self.st {
                        St::Comment => out.extend_from_slice(b"--"),
                        St::Cdata => out.extend_from_slice(b"]]"),
                        St::Pi => out.push(b'?'),
                        _ => out.extend(std::iter::repeat_n(b'>', self.passed_balance as usize)),
                    }
                }
                out.push(b'>');
            }
            self.text_starts();
            return;
        }
        self.seen += 1;
        self.tail = [self.tail[1], b];
        if self.st == St::Doctype {
            match b {
                b'<' => self.balance += 1,
                b'>' => self.balance -= 1,
                _ => {}
            }
        }
        if !self.emit || self.cutting {
            return;
        }
        if self.len < MAX_MARKUP || is_continuation(b) {
            self.put(out, b);
            if self.st == St::Doctype {
                match b {
                    b'<' => self.passed_balance += 1,
                    b'>' => self.passed_balance = self.passed_balance.saturating_sub(1),
                    _ => {}
                }
            }
        } else {
            self.cutting = true;
            self.cut(match self.st {
                St::Comment => CutWhat::Comment,
                St::Cdata => CutWhat::Cdata,
                St::Pi => CutWhat::ProcessingInstruction,
                _ => CutWhat::Doctype,
            });
        }
    }

    /// A byte after `<!`: the token is passed on once its prefix is one quick-xml knows
    /// (`<!--`, `<![CDATA[`, `<!DOCTYPE`, any case for the last); anything else would stop the
    /// parser, so it is skipped up to the next `>`.
    fn bang_byte(&mut self, b: u8, out: &mut Vec<u8>) {
        let want: &[u8] = match self.bang.first().copied().filter(|_| self.bang_len > 0) {
            None => match b {
                b'-' => b"--",
                b'[' => b"[CDATA[",
                b'D' | b'd' => b"DOCTYPE",
                _ => b"",
            },
            Some(b'-') => b"--",
            Some(b'[') => b"[CDATA[",
            Some(_) => b"DOCTYPE",
        };
        let matches = want
            .get(self.bang_len)
            .is_some_and(|w| w.eq_ignore_ascii_case(&b));
        if !matches {
            if self.emit {
                self.cut(CutWhat::Markup);
            }
            self.st = St::Unknown;
            if b == b'>' {
                self.text_starts();
            }
            return;
        }
        self.bang[self.bang_len] = b;
        self.bang_len += 1;
        if self.bang_len < want.len() {
            return;
        }
        if self.emit {
            self.put(out, b'<');
            self.put(out, b'!');
            for i in 0..self.bang_len {
                self.put(out, self.bang[i]);
            }
        }
        self.seen = 1 + self.bang_len;
        self.tail = [self.bang[self.bang_len - 2], b];
        self.balance = 0;
        self.passed_balance = 0;
        self.st = match want[0] {
            b'-' => St::Comment,
            b'[' => St::Cdata,
            _ => St::Doctype,
        };
    }

    /// The element name ended: a skipped `<Event>` is counted.
    fn name_ends(&mut self) {
        self.in_name = false;
        if !self.emit && self.local_len == 5 && self.local[..5] == *b"Event" {
            self.records_skipped += 1;
        }
    }

    /// A byte of a start tag.
    fn tag_byte(&mut self, b: u8, out: &mut Vec<u8>) {
        let pass = self.emit && !self.dropping;
        if self.quote != 0 {
            if b == self.quote {
                self.quote = 0;
                self.last_sig = b;
                if pass {
                    self.put(out, b);
                }
            } else {
                self.value_len += 1;
                if pass && !self.value_cut {
                    if self.value_len <= MAX_ATTRIBUTE_VALUE || is_continuation(b) {
                        self.put(out, b);
                    } else {
                        self.value_cut = true;
                        self.cut(CutWhat::AttributeValue);
                    }
                }
            }
            return;
        }
        match b {
            b'>' => {
                if self.in_name {
                    self.name_ends();
                }
                let closed = self.last_sig == b'/';
                if self.emit {
                    if self.dropping && closed {
                        out.push(b'/');
                    }
                    out.push(b'>');
                }
                if !closed {
                    self.depth += 1;
                    if self.emit {
                        self.deepest = self.deepest.max(self.depth);
                    }
                }
                self.text_starts();
                return;
            }
            b'"' | b'\'' => {
                if self.in_name {
                    self.name_ends();
                }
                self.quote = b;
                self.value_len = 0;
                self.value_cut = false;
                self.last_sig = b;
                if pass {
                    self.put(out, b);
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                if self.in_name {
                    self.name_ends();
                }
                self.space = true;
                if pass {
                    self.put(out, b);
                }
            }
            _ => {
                if self.in_name {
                    self.name_len += 1;
                    if b == b':' {
                        self.local_len = 0;
                    } else {
                        if self.local_len < self.local.len() {
                            self.local[self.local_len] = b;
                        }
                        self.local_len = self.local_len.saturating_add(1);
                    }
                    if pass && !self.name_cut {
                        if self.name_len <= MAX_NAME || is_continuation(b) {
                            self.put(out, b);
                        } else {
                            self.name_cut = true;
                            self.cut(CutWhat::Name);
                        }
                    }
                } else {
                    if self.space && b != b'/' && b != b'=' {
                        self.attributes += 1;
                        if self.attributes > MAX_ATTRIBUTES && pass {
                            self.dropping = true;
                            self.cut(CutWhat::Attributes);
                        }
                    }
                    if self.emit && !self.dropping {
                        self.put(out, b);
                    }
                }
                self.space = false;
                self.last_sig = b;
            }
        }
        if self.emit && !self.dropping && self.quote == 0 && self.len > MAX_TAG {
            self.dropping = true;
            self.cut(CutWhat::Tag);
        }
    }
}

/// The input, through the [`Lexer`]: what quick-xml reads.
pub(super) struct Limited<R> {
    inner: R,
    pub(super) lexer: Lexer,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: BufRead> Limited<R> {
    pub(super) fn new(inner: R) -> Self {
        let mut lexer = Lexer::new();
        lexer.text_starts();
        Self {
            inner,
            lexer,
            out: Vec::new(),
            pos: 0,
            eof: false,
        }
    }
}

impl<R: BufRead> io::Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        volact_core::text::read_buffered(self, buf)
    }
}

impl<R: BufRead> BufRead for Limited<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        // Whole input blocks are lexed until some output comes (a skipped region gives none);
        // the output of one block is at most the block plus a few closing bytes.
        while self.pos >= self.out.len() && !self.eof {
            self.out.clear();
            self.pos = 0;
            let block = self.inner.fill_buf()?;
            if block.is_empty() {
                self.eof = true;
                self.lexer.finish(&mut self.out);
                break;
            }
            let n = block.len();
            self.lexer.feed(block, &mut self.out);
            self.inner.consume(n);
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}
