//! The inputs of a scan: paths expanded (directories walked, filtered with globs), then each
//! input opened (gzip told by its magic number), decoded and handed to the engine, in parallel,
//! results in input order.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use volact_core::text::Pieces;

use crate::engine::FileScan;
use crate::options::{Options, Progress, ScanError, Source};
use crate::report::{InputReport, InputResult, Scan, SkipReason, Status};

enum Item {
    File(PathBuf, String),
    Stdin,
    Failed(String, String),
    Skipped(String, SkipReason),
}

struct Globs {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Globs {
    fn new(patterns: &[String]) -> Result<Globs, ScanError> {
        let mut inc = GlobSetBuilder::new();
        let mut exc = GlobSetBuilder::new();
        let (mut ni, mut ne) = (0, 0);
        for p in patterns {
            let (set, pat) = match p.strip_prefix('!') {
                Some(rest) => {
                    ne += 1;
                    (&mut exc, rest)
                }
                None => {
                    ni += 1;
                    (&mut inc, p.as_str())
                }
            };
            let g = Glob::new(pat).map_err(|source| ScanError::Glob {
                glob: p.clone(),
                source,
            })?;
            set.add(g);
        }
        let build = |b: GlobSetBuilder, n: usize, p: &str| -> Result<Option<GlobSet>, ScanError> {
            if n == 0 {
                return Ok(None);
            }
            b.build().map(Some).map_err(|source| ScanError::Glob {
                glob: p.to_owned(),
                source,
            })
        };
        let all = patterns.join(" ");
        Ok(Globs {
            include: build(inc, ni, &all)?,
            exclude: build(exc, ne, &all)?,
        })
    }

    fn wants(&self, rel: &Path) -> bool {
        let name = rel.file_name().map(Path::new).unwrap_or(rel);
        let hit = |s: &GlobSet| s.is_match(rel) || s.is_match(name);
        self.include.as_ref().is_none_or(hit) && !self.exclude.as_ref().is_some_and(hit)
    }
}

fn expand(sources: &[Source], globs: &Globs, progress: Option<&Progress>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut stdin = false;
    for s in sources {
        match s {
            Source::Stdin => {
                if !stdin {
                    stdin = true;
                    items.push(Item::Stdin);
                }
            }
            Source::Path(p) => {
                let shown = p.display().to_string();
                match std::fs::metadata(p) {
                    Err(e) => items.push(Item::Failed(shown, e.to_string())),
                    Ok(m) if m.is_dir() => {
                        let walk = walkdir::WalkDir::new(p)
                            .follow_links(false)
                            .sort_by_file_name();
                        for entry in walk {
                            match entry {
                                Err(e) => {
                                    let at = e
                                        .path()
                                        .map_or_else(|| shown.clone(), |x| x.display().to_string());
                                    items.push(Item::Failed(at, e.to_string()));
                                }
                                Ok(e) if e.file_type().is_file() => {
                                    let rel = e.path().strip_prefix(p).unwrap_or(e.path());
                                    if globs.wants(rel) {
                                        if let (Some(pr), Ok(m)) = (progress, e.metadata()) {
                                            pr.total_bytes.fetch_add(m.len(), Ordering::Relaxed);
                                        }
                                        items.push(Item::File(
                                            e.path().to_path_buf(),
                                            e.path().display().to_string(),
                                        ));
                                    }
                                }
                                // Sockets, FIFOs and devices inside a directory are not read;
                                // symbolic links are not followed (and not listed).
                                Ok(e) if !e.file_type().is_dir() && !e.file_type().is_symlink() => {
                                    items.push(Item::Skipped(
                                        e.path().display().to_string(),
                                        SkipReason::NotAFile,
                                    ));
                                }
                                Ok(_) => {}
                            }
                        }
                    }
                    Ok(m) if m.is_file() => {
                        if let Some(pr) = progress {
                            pr.total_bytes.fetch_add(m.len(), Ordering::Relaxed);
                        }
                        items.push(Item::File(p.clone(), shown));
                    }
                    // A FIFO or device given by name (`<(cmd)`, /dev/stdin) is read as a stream.
                    Ok(_) => items.push(Item::File(p.clone(), shown)),
                }
            }
        }
    }
    items
}

/// Scans files, directories and standard input. Inputs that cannot be read are reported in the
/// result (status `error`), never abort the scan.
pub fn scan(
    sources: &[Source],
    opts: &Options,
    progress: Option<&Progress>,
) -> Result<Scan, ScanError> {
    let globs = Globs::new(&opts.globs)?;
    let items = expand(sources, &globs, progress);
    if let Some(p) = progress {
        p.total_files.store(items.len() as u64, Ordering::Relaxed);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()?;
    let inputs: Vec<InputResult> = pool.install(|| {
        items
            .par_iter()
            .map(|item| {
                let r = scan_item(item, opts, progress);
                if let Some(p) = progress {
                    p.files.fetch_add(1, Ordering::Relaxed);
                }
                r
            })
            .collect()
    });
    Ok(Scan {
        inputs,
        max_matches: opts.max_matches,
    })
}

fn scan_item(item: &Item, opts: &Options, progress: Option<&Progress>) -> InputResult {
    match item {
        Item::Stdin => scan_reader("<stdin>", io::stdin().lock(), opts, progress),
        Item::Failed(path, err) => failed(path, err),
        Item::Skipped(path, why) => InputResult {
            input: input_report(path, Status::Skipped, Some(*why)),
            found: Default::default(),
        },
        Item::File(path, shown) => match std::fs::File::open(path) {
            Ok(f) => scan_reader(shown, f, opts, progress),
            Err(e) => failed(shown, &e.to_string()),
        },
    }
}

fn input_report(path: &str, status: Status, skip: Option<SkipReason>) -> InputReport {
    InputReport {
        path: volact_core::key::redact_keys_in(path).into_owned(),
        status,
        skip_reason: skip,
        error: None,
        bytes: 0,
        encoding: None,
        gzip: false,
        lines: 0,
        matches: 0,
        replaced: false,
        other_values: 0,
    }
}

fn failed(path: &str, err: &str) -> InputResult {
    let mut input = input_report(path, Status::Error, None);
    input.error = Some(err.to_owned());
    InputResult {
        input,
        found: Default::default(),
    }
}

struct Counting<'p, R> {
    inner: R,
    progress: Option<&'p Progress>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = self.progress {
            p.bytes.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// The first bytes of a Windows event log file (`.evtx`).
const EVTX_MAGIC: &[u8; 8] = b"ElfFile\0";

/// How an input starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Head {
    Gzip,
    Evtx,
    Other,
}

/// Reads the first bytes to tell gzip and event logs by their magic numbers, then chains them
/// back.
fn open_stream<'r, R: Read + 'r>(mut r: R) -> io::Result<(Box<dyn Read + 'r>, Head)> {
    let mut head = [0u8; 8];
    let n = volact_core::text::read_full(&mut r, &mut head)?;
    let kind = if n >= 2 && head[..2] == [0x1f, 0x8b] {
        Head::Gzip
    } else if n == 8 && &head == EVTX_MAGIC {
        Head::Evtx
    } else {
        Head::Other
    };
    let chained = io::Cursor::new(head[..n].to_vec()).chain(r);
    if kind == Head::Gzip {
        Ok((Box::new(flate2::read::MultiGzDecoder::new(chained)), kind))
    } else {
        Ok((Box::new(chained), kind))
    }
}

fn scan_reader(
    path: &str,
    reader: impl Read,
    opts: &Options,
    progress: Option<&Progress>,
) -> InputResult {
    let shown = volact_core::key::redact_keys_in(path).into_owned();
    let mut input = input_report(path, Status::Read, None);
    let counting = Counting {
        inner: reader,
        progress,
    };
    let (stream, head) = match open_stream(counting) {
        Ok(x) => x,
        Err(e) => return failed(path, &e.to_string()),
    };
    let gz = head == Head::Gzip;
    input.gzip = gz;
    let mut blocks = match Pieces::new(stream) {
        Ok(b) => b,
        Err(e) => {
            let mut r = failed(path, &e.to_string());
            r.input.gzip = gz;
            return r;
        }
    };
    input.encoding = Some(blocks.encoding().name());
    if blocks.binary && !opts.binary {
        input.status = Status::Skipped;
        // An event log, told by its magic number or (when damaged) by its name.
        let evtx = head == Head::Evtx
            || Path::new(path)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("evtx"));
        input.skip_reason = Some(if evtx {
            SkipReason::Evtx
        } else {
            SkipReason::Binary
        });
        input.bytes = blocks.bytes;
        return InputResult {
            input,
            found: Default::default(),
        };
    }
    let mut scan = FileScan::new(opts, &shown);
    let mut error = None;
    loop {
        match blocks.next_piece() {
            Ok(Some((b, cut))) => scan.block(b, cut),
            Ok(None) => break,
            Err(e) => {
                if error.is_none() {
                    error = Some(e.to_string());
                }
            }
        }
    }
    let found = scan.finish();
    input.bytes = blocks.bytes;
    input.replaced = blocks.replaced || found.invalid_utf8_lines > 0;
    input.lines = found.lines;
    input.matches = found.matches_total;
    input.other_values = found.other_values;
    if let Some(e) = error {
        input.status = Status::Error;
        input.error = Some(e);
    }
    InputResult { input, found }
}

/// Scans bytes held in memory (any supported encoding, gzip included), as if they were a file
/// called `name`.
pub fn scan_bytes(name: &str, data: &[u8], opts: &Options) -> Scan {
    Scan {
        inputs: vec![scan_reader(name, data, opts, None)],
        max_matches: opts.max_matches,
    }
}

/// Scans text held in memory: what the HTTP server's `POST /api/v1/analyze` receives.
pub fn scan_str(name: &str, text: &str, opts: &Options) -> Scan {
    scan_bytes(name, text.as_bytes(), opts)
}

/// Scans any reader (a pipe, a socket), as if it were a file called `name`.
pub fn scan_read(name: &str, reader: impl Read, opts: &Options) -> Scan {
    Scan {
        inputs: vec![scan_reader(name, reader, opts, None)],
        max_matches: opts.max_matches,
    }
}
