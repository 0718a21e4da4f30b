//! Product keys in the names a bundle brings (member names, the manifest's strings, the bundle's
//! own path, the reading warnings) are redacted before the analysis is built from them.

use std::borrow::Cow;

use volact_core::Lang;
use volact_core::key::redact_keys_in;

use crate::bundle::{Bundle, BundleWarning};

/// `bundle` with product keys redacted in every name and manifest string (a copy only when one
/// held a key).
pub(super) fn with_names_redacted(bundle: &Bundle) -> Cow<'_, Bundle> {
    let r = |s: &str| redact_keys_in(s).into_owned();
    fn redact_json(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let Cow::Owned(o) = redact_keys_in(s) {
                    *s = o;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(redact_json),
            serde_json::Value::Object(o) => o.values_mut().for_each(redact_json),
            _ => {}
        }
    }
    let manifest = serde_json::to_value(&bundle.manifest)
        .ok()
        .and_then(|mut v| {
            let before = v.clone();
            redact_json(&mut v);
            (v != before)
                .then(|| serde_json::from_value(v).ok())
                .flatten()
        });
    let path = bundle.path.to_string_lossy();
    let names_hold_keys = manifest.is_some()
        || redact_keys_in(&path) != path
        || bundle
            .files
            .iter()
            .any(|f| redact_keys_in(&f.name) != f.name)
        || bundle.warnings.iter().any(|w| redact_keys_in(w) != *w)
        || bundle
            .warning_details
            .iter()
            .any(|w| redact_keys_in(&w.message(Lang::En)) != w.message(Lang::En));
    if !names_hold_keys {
        return Cow::Borrowed(bundle);
    }
    let mut b = bundle.clone();
    if let Some(m) = manifest {
        b.manifest = m;
    }
    b.path = r(&path).into();
    for f in &mut b.files {
        f.name = r(&f.name);
    }
    for w in &mut b.warnings {
        *w = r(w);
    }
    for w in &mut b.warning_details {
        match w {
            BundleWarning::KeysMasked { file, .. }
            | BundleWarning::NotJson { file }
            | BundleWarning::Refused { file, .. } => {
                *file = r(file);
            }
            BundleWarning::Missing { file, step } => {
                *file = r(file);
                *step = r(step);
            }
            BundleWarning::Skipped { file, error } => {
                *file = r(file);
                *error = r(error);
            }
            BundleWarning::TooManyFiles { .. } => {}
        }
    }
    Cow::Owned(b)
}
