//! The knowledge base as a catalogue: the JSON model of `volact list`, `volact search` and
//! `GET /api/v1/codes` (one model, so the command line and the API cannot drift apart).

use serde::Serialize;

use crate::Lang;
use crate::kb::{self, ActivationType, Entry};

/// One catalogue row.
#[derive(Clone, Debug, Serialize)]
pub struct CatalogRow {
    /// The code, `0xC004F074`.
    pub code: String,
    /// Its symbolic name, when it has one.
    pub name: Option<&'static str>,
    /// Activation types (`mak`, `kms-client`, `kms-host`).
    pub activation_types: Vec<&'static str>,
    /// The message, in the catalogue's language.
    pub message: &'static str,
    /// Whether the seed page lists it.
    pub seed: bool,
    /// Search score (search only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
}

impl CatalogRow {
    /// The row of `e` in `lang`.
    pub fn new(e: &Entry, lang: Lang, score: Option<u32>) -> Self {
        Self {
            code: e.code.to_string(),
            name: e.name,
            activation_types: e.types.iter().map(|t| t.id()).collect(),
            message: e.text(lang).message,
            seed: e.seed,
            score,
        }
    }
}

/// A list or a search result.
#[derive(Clone, Debug, Serialize)]
pub struct Catalog {
    /// [`crate::explain::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Language of the messages.
    pub lang: Lang,
    /// The search words, for a search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The activation type the rows were filtered by, if any.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<&'static str>,
    /// Number of rows.
    pub total: usize,
    /// The rows: by code for a list, best first for a search.
    pub results: Vec<CatalogRow>,
}

impl Catalog {
    fn new(
        lang: Lang,
        query: Option<&str>,
        ty: Option<ActivationType>,
        results: Vec<CatalogRow>,
    ) -> Self {
        Self {
            schema_version: crate::explain::SCHEMA_VERSION,
            lang,
            query: query.map(str::to_owned),
            ty: ty.map(ActivationType::id),
            total: results.len(),
            results,
        }
    }
}

/// The knowledge base, optionally only one activation type, in code order.
pub fn list(lang: Lang, ty: Option<ActivationType>) -> Catalog {
    let rows = kb::list(ty)
        .iter()
        .map(|e| CatalogRow::new(e, lang, None))
        .collect();
    Catalog::new(lang, None, ty, rows)
}

/// Entries matching every word of `query` (either language), best first, optionally only one
/// activation type.
pub fn search(lang: Lang, query: &str, ty: Option<ActivationType>) -> Catalog {
    let rows = kb::search(query)
        .into_iter()
        .filter(|h| ty.is_none_or(|t| h.entry.types.contains(&t)))
        .map(|h| CatalogRow::new(h.entry, lang, Some(h.score)))
        .collect();
    Catalog::new(lang, Some(query), ty, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filters_by_type_and_counts() {
        let all = list(Lang::En, None);
        let host = list(Lang::En, Some(ActivationType::KmsHost));
        assert_eq!(all.total, all.results.len());
        assert!(host.total > 0 && host.total < all.total);
        assert!(
            host.results
                .iter()
                .all(|r| r.activation_types.contains(&"kms-host"))
        );
        assert_eq!(host.ty, Some("kms-host"));
    }

    #[test]
    fn search_scores_and_language() {
        let en = search(Lang::En, "DNS", None);
        let zh = search(Lang::ZhTw, "DNS", None);
        assert!(en.total > 0);
        assert_eq!(en.total, zh.total);
        assert!(en.results.iter().all(|r| r.score.is_some()));
        assert_ne!(en.results[0].message, zh.results[0].message);
        assert_eq!(en.query.as_deref(), Some("DNS"));
        let json = serde_json::to_value(&en).unwrap();
        assert_eq!(json["results"][0]["code"], en.results[0].code.as_str());
        assert!(json.get("type").is_none());
    }
}
