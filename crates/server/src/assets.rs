//! The help-desk page: four files embedded in the binary, served with an ETag and
//! `Cache-Control: no-cache` (the browser revalidates; an unchanged file costs a 304).

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One embedded file.
pub(crate) struct Asset {
    pub(crate) bytes: &'static [u8],
    pub(crate) content_type: &'static str,
}

pub(crate) const INDEX: Asset = Asset {
    bytes: include_bytes!("../assets/index.html"),
    content_type: "text/html; charset=utf-8",
};
pub(crate) const APP_JS: Asset = Asset {
    bytes: include_bytes!("../assets/app.js"),
    content_type: "text/javascript; charset=utf-8",
};
pub(crate) const APP_CSS: Asset = Asset {
    bytes: include_bytes!("../assets/app.css"),
    content_type: "text/css; charset=utf-8",
};
pub(crate) const FAVICON: Asset = Asset {
    bytes: include_bytes!("../assets/favicon.svg"),
    content_type: "image/svg+xml",
};

/// FNV-1a, 64 bits: enough to tell versions of a file apart.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// ETags of INDEX, APP_JS, APP_CSS, FAVICON, computed once.
static ETAGS: LazyLock<[String; 4]> =
    LazyLock::new(|| [&INDEX, &APP_JS, &APP_CSS, &FAVICON].map(|a| a.etag()));

impl Asset {
    pub(crate) fn etag(&self) -> String {
        format!("\"{:016x}\"", fnv(self.bytes))
    }

    fn respond(&self, etag: &str, headers: &HeaderMap) -> Response {
        let matches = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
        let mut r = if matches {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut r = self.bytes.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(self.content_type),
            );
            r
        };
        let h = r.headers_mut();
        if let Ok(v) = HeaderValue::from_str(etag) {
            h.insert(header::ETAG, v);
        }
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        r
    }
}

/// `GET /` and `GET /code/{code}`: the page (it routes by its own URL).
pub(crate) async fn index(headers: HeaderMap) -> Response {
    INDEX.respond(&ETAGS[0], &headers)
}

/// `GET /assets/app.js`.
pub(crate) async fn app_js(headers: HeaderMap) -> Response {
    APP_JS.respond(&ETAGS[1], &headers)
}

/// `GET /assets/app.css`.
pub(crate) async fn app_css(headers: HeaderMap) -> Response {
    APP_CSS.respond(&ETAGS[2], &headers)
}

/// `GET /favicon.svg`.
pub(crate) async fn favicon(headers: HeaderMap) -> Response {
    FAVICON.respond(&ETAGS[3], &headers)
}
