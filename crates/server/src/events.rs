//! `POST /api/v1/events`: an uploaded event log through `volact-events`, as
//! `volact events --format json FILE`. The upload is read from memory and never written to disk.

use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use volact_core::Lang;
use volact_core::event::Timestamp;
use volact_events::analyze::{Analyzer, InputSummary, Options};
use volact_events::source::{self, Kind};

use crate::error::ApiError;
use crate::request::{
    CancelOnDrop, Cancellable, Query, check_length, media_type, read_body, require_body, short,
};
use crate::state::AppState;

/// The input name of a raw upload (or of a multipart file without a name).
pub const UPLOAD: &str = "upload";

/// What a `volact events` run needs besides the file.
#[derive(Debug, Clone, Default)]
pub struct EventsQuery {
    /// `--lang`.
    pub lang: Lang,
    /// `--since`.
    pub since: Option<Timestamp>,
    /// `--until` (a date alone means the end of that day).
    pub until: Option<Timestamp>,
    /// `--now`.
    pub now: Option<Timestamp>,
    /// `--client`.
    pub client: Option<String>,
}

fn parse_time(name: &str, s: &str) -> Result<Timestamp, ApiError> {
    Timestamp::parse(s).filter(|_| s.trim() == s).ok_or_else(|| {
        ApiError::bad(
            "bad_time",
            format!(
                "{name} {:?} is not a time (examples: 2026-11-24, 2026-11-24T14:00:00Z, 2026/11/24 14:00).",
                short(s)
            ),
        )
    })
}

fn parse_until(s: &str) -> Result<Timestamp, ApiError> {
    let t = parse_time("until", s)?;
    if s.contains(':') {
        Ok(t)
    } else {
        Ok(Timestamp::from_unix(t.unix() + 86_399, t.is_utc()))
    }
}

impl EventsQuery {
    fn parse(q: &Query) -> Result<Self, ApiError> {
        let opt = |n: &str| q.get(n).filter(|s| !s.is_empty());
        let client = opt("client").map(str::to_owned);
        if client.as_ref().is_some_and(|c| c.chars().count() > 256) {
            return Err(ApiError::bad(
                "bad_client",
                "client is longer than 256 characters.",
            ));
        }
        Ok(Self {
            lang: q.lang()?,
            since: opt("since").map(|s| parse_time("since", s)).transpose()?,
            until: opt("until").map(parse_until).transpose()?,
            now: opt("now").map(|s| parse_time("now", s)).transpose()?,
            client,
        })
    }
}

/// Analyses one in-memory file exactly as `volact events --format json` analyses a file called
/// `name`, and returns the JSON text and the input summary. Product keys are masked in every
/// string of the answer (also full-width ones, or ones with tabs or spaces around the dashes),
/// and the warnings and examples of unreadable data are in the report's language, as the CLI
/// writes them.
pub fn analyze_bytes(name: &str, data: &[u8], q: &EventsQuery) -> (String, InputSummary) {
    analyze_bytes_cancellable(name, data, q, Arc::new(AtomicBool::new(false)))
}

/// [`analyze_bytes`], stopping at its next read once `cancel` is set (what could be read by
/// then is reported, with the reader's error).
pub fn analyze_bytes_cancellable(
    name: &str,
    data: &[u8],
    q: &EventsQuery,
    cancel: Arc<AtomicBool>,
) -> (String, InputSummary) {
    let mut an = Analyzer::new(Options {
        since: q.since,
        until: q.until,
        now: q.now,
        client: q.client.clone(),
    });
    let head = &data[..data.len().min(source::HEAD)];
    let kind = source::sniff(head);
    let before = source::Counts::of(&an);
    let result = match kind {
        Kind::Evtx => volact_events::evtx::read_evtx(
            Cancellable::new(Cursor::new(data), cancel.clone()),
            name,
            &mut an,
        )
        .map(|_| volact_events::forms::Form::Evtx)
        .map_err(|e| {
            let why = e.message(q.lang);
            q.lang.pick(
                format!("{name} is not a readable .evtx file: {why}"),
                format!("{name} 不是可讀取的 .evtx 檔案：{why}"),
            )
        }),
        _ => source::read_sniffed(kind, name, Cancellable::new(data, cancel.clone()), &mut an)
            .map(|f| source::refine(f, head))
            .map_err(|e| e.message(name, q.lang)),
    };
    let summary = source::summary(name.to_owned(), &an, &before, result);
    let mut report = an.report(q.lang);
    report.inputs = vec![summary.clone()];
    translate(&mut report, q.lang);
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    (crate::redact::scrub_json(&s), summary)
}

/// The warnings and the examples of unreadable data in `lang` (the report keeps them in
/// English; the CLI's renderers translate them from their details, and so does the API).
fn translate(report: &mut volact_events::Report, lang: Lang) {
    if lang == Lang::En {
        return;
    }
    retell(&mut report.warnings, &report.warning_details, |w| {
        w.message(lang)
    });
    retell(&mut report.notes, &report.note_details, |n| n.message(lang));
    let st = &mut report.stats;
    retell(&mut st.bad_examples, &st.bad_example_details, |b| {
        b.message(lang)
    });
}

/// `texts` written again from their `details`, when there is one detail a text.
fn retell<T>(texts: &mut Vec<String>, details: &[T], message: impl Fn(&T) -> String) {
    if details.len() == texts.len() {
        *texts = details.iter().map(message).collect();
    }
}

/// The last path component of an uploaded file name, at most 255 characters, without control
/// characters; `upload` when nothing is left.
fn file_name(raw: Option<&str>) -> String {
    // Keys are masked in the whole name first: cutting the path could split one (a backslash
    // between its groups) and leave the rest unrecognisable.
    let raw = crate::redact::scrub(raw.unwrap_or(""));
    let base = raw
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(255)
        .collect::<String>();
    let base = base.trim().to_owned();
    if base.is_empty() || base == "." || base == ".." {
        UPLOAD.to_owned()
    } else {
        crate::redact::scrub(&base).into_owned()
    }
}

async fn multipart_file(
    parts: axum::http::request::Parts,
    bytes: Bytes,
    st: &AppState,
) -> Result<(String, Bytes), ApiError> {
    let bad = |m: &str| ApiError::bad("bad_multipart", m.to_owned());
    let req = Request::from_parts(parts, Body::from(bytes));
    let mut mp = Multipart::from_request(req, st)
        .await
        .map_err(|_| bad("The multipart/form-data body has no valid boundary."))?;
    let only_file = "The multipart/form-data body must hold exactly one field, named \"file\".";
    let field = mp
        .next_field()
        .await
        .map_err(|_| bad("The multipart/form-data body is malformed."))?
        .ok_or_else(|| bad(only_file))?;
    if field.name() != Some("file") {
        return Err(bad(only_file));
    }
    let name = file_name(field.file_name());
    let data = field
        .bytes()
        .await
        .map_err(|_| bad("The field \"file\" could not be read."))?;
    match mp.next_field().await {
        Ok(None) => Ok((name, data)),
        Ok(Some(_)) => Err(bad(only_file)),
        Err(_) => Err(bad("The multipart/form-data body is malformed.")),
    }
}

/// `POST /api/v1/events?lang=&since=&until=&now=&client=`.
pub(crate) async fn handler(
    State(st): State<Arc<AppState>>,
    req: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = req.into_parts();
    let q = EventsQuery::parse(&Query::parse(&parts.uri)?)?;
    let q_lang = q.lang;
    let declared = media_type(&parts.headers);
    let multipart = match declared.as_deref() {
        None
        | Some(
            "application/octet-stream"
            | "application/xml"
            | "text/xml"
            | "text/plain"
            | "application/vnd.ms-evtx",
        ) => false,
        Some("multipart/form-data") => true,
        Some(_) => {
            return Err(ApiError::unsupported_type(
                "the log file as application/octet-stream, application/xml or text/plain, or multipart/form-data with a field \"file\"",
            ));
        }
    };
    // The multipart framing adds a little to the file itself.
    let limit = if multipart {
        st.cfg.max_upload + 64 * 1024
    } else {
        st.cfg.max_upload
    };
    check_length(&parts.headers, limit)?;
    // The body first, the analysis slot only once it is complete: a client dripping its body
    // holds no slot.
    let received = read_body(body, limit, &st).await?;
    // No body and no content type: nothing was sent. An empty file that says what it is gets
    // the empty report, as `volact events` gives for an empty file.
    if declared.is_none() {
        require_body(&received.bytes)?;
    }
    let (name, data) = if multipart {
        let (name, data) = multipart_file(parts, received.bytes.clone(), &st).await?;
        if data.len() > st.cfg.max_upload {
            return Err(ApiError::too_large(st.cfg.max_upload));
        }
        (name, data)
    } else {
        (UPLOAD.to_owned(), received.bytes.clone())
    };
    let permit = st.heavy_permit().await?;
    let cancel = CancelOnDrop::new();
    let flag = cancel.flag();
    let (out, summary) = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let received = received;
        let r = analyze_bytes_cancellable(&name, &data, &q, flag);
        drop(data);
        drop(received);
        r
    })
    .await
    .map_err(|_| ApiError::internal("the analysis failed"))?;
    drop(cancel);
    if let Some(e) = &summary.error
        && summary.records_read == 0
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_log",
            match q_lang {
                Lang::En => format!("Nothing could be read from the upload: {e}."),
                Lang::ZhTw => format!("上傳的內容無法讀出任何記錄：{e}。"),
            },
        ));
    }
    crate::state::heavy_response(&st, out).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape the OpenAPI document's pattern for since/until/now allows is accepted.
    #[test]
    fn documented_time_shapes_parse() {
        for date in ["2000-01-01", "2026-11-24", "2099-12-28"] {
            for time in ["", "T00:00", "T23:59:59", " 14:00", " 14:00:00Z", "T14:00Z"] {
                let s = format!("{date}{time}");
                assert!(parse_time("since", &s).is_ok(), "{s}");
                assert!(parse_until(&s).is_ok(), "{s}");
            }
        }
        for bad in ["", " 2026-11-24", "2026-11-24 ", "yesterday", "2026-13-01"] {
            assert!(parse_time("since", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn uploaded_file_names_keep_only_their_last_component() {
        assert_eq!(file_name(Some("C:\\Logs\\kms.evtx")), "kms.evtx");
        assert_eq!(file_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(file_name(Some("a/..")), UPLOAD);
        assert_eq!(file_name(Some("")), UPLOAD);
        assert_eq!(file_name(None), UPLOAD);
        assert_eq!(file_name(Some("x\r\ny.evtx")), "x  y.evtx");
        assert_eq!(
            file_name(Some("BCDFG-HJKMN-PQRTV-WXY23\t-46789.evtx")),
            "*****-*****-*****-***** -46789.evtx"
        );
        assert_eq!(
            file_name(Some(
                "ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９.evtx"
            )),
            "*****－*****－*****－*****－４６７８９.evtx"
        );
        assert_eq!(
            file_name(Some("BCDFG-HJKMN-PQRTV-WXY23-46789.evtx")),
            "*****-*****-*****-*****-46789.evtx"
        );
        assert_eq!(file_name(Some(&"a".repeat(1000))).len(), 255);
    }
}
