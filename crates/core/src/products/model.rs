//! The product list as every front end receives it: its serde form is the JSON of
//! `volact products --format json` and of `GET /api/v1/products`.

use serde::Serialize;

use super::{Family, Group, Product, Source};
use crate::Lang;

/// Version of the JSON document; raised when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// A list of products: all, one family, or the answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The language of the notes (`en`, `zh-TW`).
    pub lang: &'static str,
    /// The search, product keys in it redacted; `None` for a list.
    pub query: Option<String>,
    /// The family asked for, if any.
    pub family: Option<Family>,
    /// Whether the whole GVLKs are included.
    pub gvlk: bool,
    /// How many products follow.
    pub count: usize,
    /// The products, in the order of the table.
    pub products: Vec<ProductOut>,
    /// Every source the products above cite.
    pub sources: Vec<&'static Source>,
}

/// One product.
#[derive(Debug, Clone, Serialize)]
pub struct ProductOut {
    /// The name; editions sharing an Activation ID and a key are joined by ` / `.
    pub name: &'static str,
    /// `windows`, `server` or `office`.
    pub family: Family,
    /// The release (`Windows Server 2025`).
    pub release: &'static str,
    /// Lower-case Activation ID, when a source gives it.
    pub activation_id: Option<&'static str>,
    /// The tag of the source of the Activation ID.
    pub activation_id_source: Option<&'static str>,
    /// Whether the Activation ID comes only from third-party data.
    pub activation_id_third_party: bool,
    /// Always `kms-client`: the rows are KMS client editions.
    pub channel: &'static str,
    /// The count a KMS host must reach before it activates the product (25 or 5).
    pub kms_count: u32,
    /// The whole KMS client setup key, when asked for (it is public).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gvlk: Option<&'static str>,
    /// Its last five characters (what `slmgr /dli` shows).
    pub gvlk_tail: &'static str,
    /// The tag of the source of the GVLK.
    pub gvlk_source: &'static str,
    /// The host keys (CSVLK groups) that activate it; empty when no source says.
    pub host_keys: Vec<&'static Group>,
    /// A note, in the document's language.
    pub note: Option<&'static str>,
}

impl ProductOut {
    /// The wire form of `p`: the note in `lang`, the whole GVLK only when `gvlk`.
    pub fn new(p: &Product, lang: Lang, gvlk: bool) -> Self {
        ProductOut {
            name: p.name,
            family: p.family,
            release: p.release,
            activation_id: p.activation_id,
            activation_id_source: p.id_source.map(|s| s.tag),
            activation_id_third_party: p.id_third_party(),
            channel: p.channel(),
            kms_count: p.kms_count(),
            gvlk: gvlk.then_some(p.gvlk),
            gvlk_tail: p.gvlk_tail(),
            gvlk_source: p.gvlk_source.tag,
            host_keys: p.groups.to_vec(),
            note: p.note.map(|n| lang.pick(n.en, n.zh_tw)),
        }
    }
}

impl Doc {
    /// The document for `products`; `query` (a search) is stored with product keys redacted.
    pub fn new(
        products: &[&Product],
        lang: Lang,
        query: Option<&str>,
        family: Option<Family>,
        gvlk: bool,
    ) -> Self {
        let mut cited: Vec<&'static Source> = Vec::new();
        for p in products {
            let groups = p.groups.iter().flat_map(|g| g.sources.iter().copied());
            let hosts = p
                .groups
                .iter()
                .flat_map(|g| g.hosts.iter().map(|h| h.source));
            for s in p
                .id_source
                .into_iter()
                .chain([p.gvlk_source])
                .chain(groups)
                .chain(hosts)
            {
                if !cited.iter().any(|c| std::ptr::eq(*c, s)) {
                    cited.push(s);
                }
            }
        }
        // The order of the sources table.
        cited.sort_by_key(|s| super::SOURCES.iter().position(|t| std::ptr::eq(t, *s)));
        Doc {
            schema_version: SCHEMA_VERSION,
            lang: lang.tag(),
            query: query.map(|q| crate::key::redact_keys_in(q).into_owned()),
            family,
            gvlk,
            count: products.len(),
            products: products
                .iter()
                .map(|p| ProductOut::new(p, lang, gvlk))
                .collect(),
            sources: cited,
        }
    }
}
