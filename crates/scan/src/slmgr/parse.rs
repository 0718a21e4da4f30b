//! The reader of slmgr and ospp output: a small state machine fed one line at a time
//! ([`SlmgrParser::push_line`]), so it works on streams and on text mixed with other log lines.
//! Each line is first brought back to English when a label table knows it ([`super::labels`]),
//! then read by the English rows ([`super::rows`], [`super::ospp`]); a line no table knows is
//! still read for values with a language-free shape ([`super::shapes`]) inside a snapshot.
//! A snapshot starts at `Name:` (or the `Software licensing service version:` line that `/dlv`
//! prints first, or ospp's `PRODUCT ID:` / `LICENSE NAME:`, or `Activating …`) and collects the
//! labels that follow; a stretch of unrelated lines ends it.

use super::labels;
use super::model::{AdClient, KmsClient, KmsHost, Product, Snapshot};
use super::ospp;
use super::rows::{AD, CLIENT, HOST, PRODUCT, after, apply, is_strong, is_xpr, some, xpr_state};
use super::shapes;

/// Lines without any slmgr label after which an open snapshot is closed.
const MAX_GAP: u32 = 12;

/// Longer lines are not slmgr output (slmgr's longest line is well under 1 KiB); they count
/// as unrelated lines and are not read further.
pub(crate) const MAX_LINE: usize = 4096;

/// Reads slmgr output line by line.
#[derive(Debug, Default)]
pub struct SlmgrParser {
    pub(super) current: Option<Snapshot>,
    pub(super) section: Section,
    gap: u32,
    /// The line before, when it may be a product name printed by `/xpr` (`Windows(R), … edition:`).
    xpr_name: Option<String>,
    /// The line before, when it was not slmgr output a table knows (shapes may still read it).
    pub(super) previous: Option<String>,
    /// The current snapshot was opened by an activation attempt (`Activating …`, ospp `/act`):
    /// the `Error:` lines that follow belong to it.
    pub(super) attempt: bool,
    /// Labels read per language table for the current snapshot.
    votes: Vec<u32>,
    /// The language of the line being read, when its label belongs to one language only.
    pub(super) line_lang: Option<usize>,
    done: Vec<Snapshot>,
}

/// The part of slmgr's output a line is in.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    /// The product's own lines.
    #[default]
    Main,
    /// `Key Management Service client information`.
    Client,
    /// The KMS host lines.
    Host,
    /// `AD Activation client information`.
    Ad,
}

impl SlmgrParser {
    /// A new parser.
    pub fn new() -> Self {
        Self::default()
    }

    pub(super) fn close(&mut self) {
        if let Some(mut s) = self.current.take() {
            s.language = self.language().to_owned();
            if s.name.as_deref().is_some_and(|n| n.starts_with("Office")) {
                s.product = Product::Office;
            }
            if s.is_meaningful() {
                super::known::identify(&mut s);
                self.done.push(s);
            }
        }
        self.votes.clear();
        self.section = Section::Main;
        self.attempt = false;
        self.gap = 0;
    }

    /// The language most labels of the current snapshot were in (the first table wins a tie).
    fn language(&self) -> &'static str {
        let best = self
            .votes
            .iter()
            .enumerate()
            .filter(|(_, v)| **v > 0)
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)));
        best.map_or("unknown", |(l, _)| labels::tag(l))
    }

    pub(super) fn open(&mut self, line_no: u64) -> &mut Snapshot {
        self.current.get_or_insert_with(|| Snapshot {
            line: line_no,
            end_line: line_no,
            ..Snapshot::default()
        })
    }

    /// Whether every label read for the current snapshot so far was English only.
    pub(super) fn english_only(&self) -> bool {
        self.votes.first().is_some_and(|v| *v > 0) && self.votes.iter().skip(1).all(|v| *v == 0)
    }

    /// Counts the current line's language for the current snapshot.
    pub(super) fn vote(&mut self) {
        if let Some(l) = self.line_lang.take() {
            if self.votes.len() <= l {
                self.votes.resize(l + 1, 0);
            }
            self.votes[l] += 1;
        }
    }

    /// Feeds one line (with or without its line break).
    pub fn push_line(&mut self, line: &str, line_no: u64) {
        let t = line.trim();
        if t.is_empty() {
            return;
        }
        if t.len() > MAX_LINE {
            self.unrelated(None);
            return;
        }
        let printed = labels::normalise(t);
        let translated = labels::translate(&printed);
        self.line_lang = translated.as_ref().and_then(|x| x.lang);
        let english = translated.as_ref().map_or(&*printed, |x| &*x.line);
        let taken =
            self.take(english, &printed, line_no) || shapes::take(self, english, &printed, line_no);
        if taken {
            self.previous = None;
            self.vote();
            self.gap = 0;
            if let Some(s) = self.current.as_mut() {
                s.end_line = line_no;
            }
        } else {
            self.unrelated(Some(&printed));
        }
        self.line_lang = None;
    }

    /// A line that is not slmgr output: counts toward the gap that closes a snapshot.
    fn unrelated(&mut self, t: Option<&str>) {
        self.gap += 1;
        if self.gap > MAX_GAP {
            self.close();
        }
        // A possible /xpr product line: ends with ':' and names an edition.
        self.xpr_name = t
            .filter(|t| t.ends_with(':') && t.len() < 200)
            .map(|t| t[..t.len() - 1].to_owned());
        self.previous = t.filter(|t| t.len() < 200).map(str::to_owned);
    }

    /// Handles a line (`t` in English, `printed` as printed); returns whether it was slmgr output.
    fn take(&mut self, t: &str, printed: &str, n: u64) -> bool {
        if ospp::take(self, t, n)
            || self.take_start(t, n)
            || self.take_xpr(t, printed, n)
            || self.take_attempt(t, n)
            || self.take_activation_object(t, n)
        {
            return true;
        }
        if self.current.is_none() && !is_strong(t) {
            return false;
        }
        let section = self.section;
        let s = self.open(n);
        if apply(PRODUCT, s, t, printed) {
            true
        } else if t.starts_with("Key Management Service client information") {
            s.kms_client.get_or_insert_with(KmsClient::default);
            self.section = Section::Client;
            true
        } else if t.starts_with("Key Management Service is enabled on this machine")
            || t.starts_with("Key Management Service cumulative requests")
        {
            s.kms_host.get_or_insert_with(KmsHost::default);
            self.section = Section::Host;
            true
        } else if section == Section::Client || t.starts_with("Client Machine ID") {
            let c = s.kms_client.get_or_insert_with(KmsClient::default);
            let hit = apply(CLIENT, c, t, printed);
            if hit {
                self.section = Section::Client;
            }
            hit
        } else if t.starts_with("AD Activation client information") {
            s.ad_client.get_or_insert_with(AdClient::default);
            self.section = Section::Ad;
            true
        } else if section == Section::Host {
            let h = s.kms_host.get_or_insert_with(KmsHost::default);
            apply(HOST, h, t, printed)
        } else if section == Section::Ad {
            let a = s.ad_client.get_or_insert_with(AdClient::default);
            apply(AD, a, t, printed)
        } else {
            // Lines known to the tables that say nothing about the product.
            t.starts_with("Most recent activation information")
        }
    }

    /// The lines that start a snapshot: `Software licensing service version:` and `Name:`.
    fn take_start(&mut self, t: &str, n: u64) -> bool {
        if let Some(v) = after(t, "Software licensing service version:") {
            self.close();
            self.open(n).service_version = some(v);
            return true;
        }
        if let Some(v) = after(t, "Name:") {
            let keep = self.current.as_ref().is_some_and(|s| {
                s.name.is_none() && s.license_status.is_none() && s.product == Product::Windows
            });
            if !keep {
                self.close();
            }
            self.open(n).name = some(v);
            self.section = Section::Main;
            return true;
        }
        false
    }

    /// What `/xpr` prints: one snapshot of its own, named by the line before when it can be.
    fn take_xpr(&mut self, t: &str, printed: &str, n: u64) -> bool {
        let open = self
            .current
            .as_ref()
            .is_none_or(|s| s.license_status.is_some());
        if !(is_xpr(t) && open) {
            return false;
        }
        let name = self.xpr_name.take();
        self.close();
        let first = if name.is_some() {
            n.saturating_sub(1).max(1)
        } else {
            n
        };
        let s = self.open(first);
        s.name = name.as_deref().and_then(some);
        s.end_line = n;
        s.xpr = some(printed);
        if let Some(state) = xpr_state(t) {
            s.license_state = Some(state);
        }
        self.vote();
        self.close();
        true
    }

    /// What `slmgr /ato` prints: `Activating <product> (<id>) ...`, then success or an error line.
    fn take_attempt(&mut self, t: &str, n: u64) -> bool {
        if let Some(v) = t.strip_prefix("Activating ") {
            self.close();
            let name = v.trim_end_matches(['.', ' ']);
            let name = match name.rfind(" (") {
                Some(i) if name.ends_with(')') => &name[..i],
                _ => name,
            };
            self.open(n).name = some(name);
            self.attempt = true;
            return true;
        }
        if !self.attempt {
            return false;
        }
        let Some(s) = self.current.as_mut() else {
            return false;
        };
        if t.starts_with("Product activated successfully") {
            s.activation_succeeded = Some(true);
        } else if t.starts_with("Error: Product activation failed") {
            s.activation_succeeded = Some(false);
        } else if let Some(v) = after(t, "Error:") {
            let code = volact_core::find::find_codes(v)
                .first()
                .map(|f| (f.code, f.end));
            let Some((code, end)) = code else {
                return false;
            };
            s.error_code = Some(code);
            s.activation_succeeded = Some(false);
            s.error_description = v.get(end..).and_then(some);
        } else {
            return false;
        }
        true
    }

    /// `Activation Object name:`: the AD section of a product (`/dlv`), or one object of
    /// `/ao-list`, which becomes a snapshot of its own named after the object.
    fn take_activation_object(&mut self, t: &str, n: u64) -> bool {
        let Some(v) = after(t, "Activation Object name:") else {
            return false;
        };
        let named = |s: &Snapshot| s.ad_client.as_ref().is_some_and(|a| a.ao_name.is_some());
        if self.current.as_ref().is_some_and(named) {
            self.close();
        }
        let s = self.open(n);
        if s.name.is_none() && s.license_status.is_none() {
            s.name = some(v);
        }
        s.ad_client.get_or_insert_with(AdClient::default).ao_name = some(v);
        self.section = Section::Ad;
        true
    }

    /// Closes the snapshot being read (at the end of an input or a gap in it).
    pub fn flush(&mut self) {
        self.close();
        self.xpr_name = None;
    }

    /// Takes the snapshots completed so far.
    pub fn take_done(&mut self) -> Vec<Snapshot> {
        std::mem::take(&mut self.done)
    }

    /// Ends the input and returns every snapshot.
    pub fn finish(mut self) -> Vec<Snapshot> {
        self.flush();
        self.done
    }
}

/// Parses a whole text (convenience for tests and the HTTP server).
pub fn parse(text: &str) -> Vec<Snapshot> {
    let mut p = SlmgrParser::new();
    for (i, line) in text.lines().enumerate() {
        p.push_line(line, i as u64 + 1);
    }
    p.finish()
}
