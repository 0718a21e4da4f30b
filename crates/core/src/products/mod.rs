//! Windows and Office volume products: the KMS client editions from Windows 7 / Windows Server
//! 2008 to Windows 11, Windows Server 2025 and LTSC 2024, and Office 2010 to LTSC 2024 with Project
//! and Visio. Each row names the edition, its Activation ID, its family (and so its KMS count
//! policy: 25 for Windows client, 5 for server and Office), its KMS client setup key (GVLK) and
//! the host-key (CSVLK) groups that can activate it, with the updates a host needs.
//!
//! The data is `data/products/*.tsv`, checked and compiled in by `build.rs`
//! (`build_support/products.rs`): Activation IDs are GUIDs and unique, GVLKs have the 5×5 shape,
//! every group and source exists. Microsoft's tables are the source of the GVLKs (Office 2010 and
//! 2013: third-party data) and of the groups and updates; Microsoft publishes no table of KMS
//! client Activation IDs, so they come from the third-party py-kms database (public domain), and
//! each row says so through [`Product::id_source`].
//!
//! GVLKs are public (Microsoft publishes them for KMS clients), so they are the one kind of key
//! volact shows whole, and only in this table; everything else stays redacted.
//!
//! ```
//! use volact_core::products;
//!
//! let p = products::by_activation_id("2D5A5A60-3040-48BF-BEB0-FCD770C20CE0").unwrap();
//! assert_eq!(p.name, "Windows 10 Enterprise LTSB 2016");
//! assert_eq!(p.kms_count(), 25);
//! assert_eq!(products::by_gvlk_tail("t83gx")[0].name, "Windows 11 Pro / Windows 10 Pro");
//! assert!(products::search("LTSC 2019").iter().any(|p| p.gvlk == "M7XTQ-FN8P6-TTKYV-9D4CC-J462D"));
//! ```

mod model;
mod render;

use serde::Serialize;

use crate::kms::{CLIENT_THRESHOLD, SERVER_THRESHOLD};
use crate::{ErrorCode, Lang};

pub use model::{Doc, ProductOut, SCHEMA_VERSION};
pub use render::{csv, markdown, ndjson, text};

/// Which kind of product: it decides the KMS count a host needs before it activates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Windows client editions (the host needs a count of 25).
    Windows,
    /// Windows Server editions (count 5).
    Server,
    /// Office, Project and Visio (count 5).
    Office,
}

impl Family {
    /// Every family, in the order of the table.
    pub const ALL: [Family; 3] = [Family::Windows, Family::Server, Family::Office];

    /// Its stable identifier: `windows`, `server`, `office`.
    pub const fn id(self) -> &'static str {
        match self {
            Family::Windows => "windows",
            Family::Server => "server",
            Family::Office => "office",
        }
    }
}

impl std::str::FromStr for Family {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Family::ALL
            .into_iter()
            .find(|f| f.id().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown product family {s:?} (windows, server, office)"))
    }
}

/// A document the tables cite (in JSON as it is here).
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Short tag (`ms-gvlk`, `py-kms`).
    pub tag: &'static str,
    /// Third-party data (not Microsoft's).
    pub third_party: bool,
    /// Who publishes it.
    pub publisher: &'static str,
    /// The date of the version used (`YYYY-MM-DD`).
    pub date: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Repository and path of the copy read.
    pub location: &'static str,
    /// Where to read it.
    pub url: Option<&'static str>,
}

/// A sentence some rows carry, in both languages.
#[derive(Debug, PartialEq, Eq)]
pub struct Note {
    /// Stable identifier.
    pub id: &'static str,
    /// English.
    pub en: &'static str,
    /// Traditional Chinese.
    pub zh_tw: &'static str,
}

/// A machine a host key can be installed on, and the update it needs first (in JSON without its
/// source).
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Host {
    /// The host's operating system (`Windows Server 2019`).
    pub os: &'static str,
    /// The update it needs first (`KB5034768`, an Office volume license pack), if any.
    pub update: Option<&'static str>,
    /// Where this is written.
    #[serde(skip)]
    pub source: &'static Source,
}

/// A host-key (CSVLK) group: one KMS host key and the machines it can be installed on (in JSON
/// without its sources, which the document lists once).
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Group {
    /// Stable identifier (`ws2025`, `office2024`).
    pub id: &'static str,
    /// An Office host key (else Windows).
    pub office: bool,
    /// Its name (`Volume License for Windows Server 2025`).
    pub name: &'static str,
    /// The host key's Activation ID, when a source gives it.
    pub activation_id: Option<&'static str>,
    /// Where that Activation ID comes from.
    #[serde(skip)]
    pub id_source: Option<&'static Source>,
    /// Where it can be installed.
    pub hosts: &'static [Host],
    /// Where the group is described.
    #[serde(skip)]
    pub sources: &'static [&'static Source],
}

/// One KMS client edition.
#[derive(Debug, PartialEq, Eq)]
pub struct Product {
    /// Its Activation ID (lower case), when a source gives it.
    pub activation_id: Option<&'static str>,
    /// Windows client, Windows Server or Office.
    pub family: Family,
    /// The release it belongs to (`Windows Server 2025`, `Office LTSC 2024`).
    pub release: &'static str,
    /// The product name; editions that share an Activation ID and a key are joined by ` / `.
    pub name: &'static str,
    /// The KMS client setup key, published by Microsoft (or, for Office 2010 and 2013, by the
    /// third-party source).
    pub gvlk: &'static str,
    /// The host-key groups that activate it (empty: no source says).
    pub groups: &'static [&'static Group],
    /// Where the Activation ID comes from.
    pub id_source: Option<&'static Source>,
    /// Where the GVLK comes from.
    pub gvlk_source: &'static Source,
    /// A note on the row.
    pub note: Option<&'static Note>,
}

impl Product {
    /// The count a KMS host must reach before it activates this product.
    pub const fn kms_count(&self) -> u32 {
        match self.family {
            Family::Windows => CLIENT_THRESHOLD,
            Family::Server | Family::Office => SERVER_THRESHOLD,
        }
    }

    /// The channel of the key in the table: always the KMS client channel (`Volume:GVLK`).
    pub const fn channel(&self) -> &'static str {
        "kms-client"
    }

    /// The last five characters of the GVLK (what `slmgr /dli` shows of an installed key).
    pub fn gvlk_tail(&self) -> &'static str {
        &self.gvlk[self.gvlk.len() - 5..]
    }

    /// Whether the Activation ID comes only from third-party data.
    pub fn id_third_party(&self) -> bool {
        self.id_source.is_some_and(|s| s.third_party)
    }
}

include!(concat!(env!("OUT_DIR"), "/products_data.rs"));

/// Every product, in the order of the table (newest Windows Server first, then Windows client,
/// then Office).
pub fn all() -> &'static [Product] {
    PRODUCTS
}

/// Every host-key group.
pub fn groups() -> &'static [Group] {
    GROUPS
}

/// Every source the tables cite.
pub fn sources() -> &'static [Source] {
    SOURCES
}

/// The products of one family, or all.
pub fn list(family: Option<Family>) -> Vec<&'static Product> {
    PRODUCTS
        .iter()
        .filter(|p| family.is_none_or(|f| p.family == f))
        .collect()
}

/// `s` as a lower-case GUID (braces and surrounding spaces allowed), if it is one.
pub fn normalize_guid(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(s);
    let ok = s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    ok.then(|| s.to_ascii_lowercase())
}

/// The product with this Activation ID (any case, braces allowed).
pub fn by_activation_id(id: &str) -> Option<&'static Product> {
    let id = normalize_guid(id)?;
    BY_ID
        .binary_search_by(|(k, _)| (*k).cmp(id.as_str()))
        .ok()
        .map(|i| &PRODUCTS[usize::from(BY_ID[i].1)])
}

/// The host-key group whose host key has this Activation ID (any case, braces allowed).
pub fn group_by_activation_id(id: &str) -> Option<&'static Group> {
    let id = normalize_guid(id)?;
    GROUPS.iter().find(|g| g.activation_id == Some(id.as_str()))
}

/// The products whose GVLK ends with these five characters (any case): how a partial key that
/// `slmgr /dli` shows is recognised as a published GVLK. Empty when none does.
pub fn by_gvlk_tail(tail: &str) -> Vec<&'static Product> {
    let tail = tail.trim().to_ascii_uppercase();
    if tail.len() != 5 {
        return Vec::new();
    }
    let start = BY_TAIL.partition_point(|(k, _)| *k < tail.as_str());
    BY_TAIL[start..]
        .iter()
        .take_while(|(k, _)| *k == tail)
        .map(|(_, i)| &PRODUCTS[usize::from(*i)])
        .collect()
}

/// The product whose GVLK is `key` (any case; spaces around it ignored).
pub fn by_gvlk(key: &str) -> Option<&'static Product> {
    let key = key.trim().to_ascii_uppercase();
    PRODUCTS.iter().find(|p| p.gvlk == key)
}

/// What `volact products [QUERY] [--family F]` lists: [`search`] for a query (blank: every
/// product), kept to one family when given.
pub fn find(query: &str, family: Option<Family>) -> Vec<&'static Product> {
    let in_family = |p: &&Product| family.is_none_or(|f| p.family == f);
    if query.trim().is_empty() {
        return PRODUCTS.iter().filter(in_family).collect();
    }
    search(query).into_iter().filter(in_family).collect()
}

/// Lower-case words of `s`: runs of letters and digits.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The products a host key activates, in table order.
pub fn activated_by(group: &Group) -> Vec<&'static Product> {
    PRODUCTS
        .iter()
        .filter(|p| p.groups.iter().any(|g| std::ptr::eq(*g, group)))
        .collect()
}

/// Products matching `query`: an Activation ID (of a product, or of a host key: the products it
/// activates), a whole GVLK, the last five characters of a GVLK,
/// or words that must all occur (case-insensitive, whole words) in the product's name or release.
/// Table order; empty for an empty query.
pub fn search(query: &str) -> Vec<&'static Product> {
    let q = query.trim();
    if let Some(p) = by_activation_id(q) {
        return vec![p];
    }
    if let Some(g) = group_by_activation_id(q) {
        return activated_by(g);
    }
    if normalize_guid(q).is_some() {
        return Vec::new();
    }
    if let Some(p) = by_gvlk(q) {
        return vec![p];
    }
    let tail = by_gvlk_tail(q);
    if !tail.is_empty() {
        return tail;
    }
    let wanted: Vec<String> = words(q).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    PRODUCTS
        .iter()
        .filter(|p| {
            let have: Vec<String> = words(p.name).chain(words(p.release)).collect();
            wanted.iter().all(|w| have.contains(w))
        })
        .collect()
}

/// Codes about product keys, editions and SKUs, for which the product table is the next thing to
/// read: a GVLK on the wrong product (0xC004F069), a host key that does not cover the client
/// (0xC004F015, 0xC004F042), a key that is not valid for this edition (0xC004F050, 0xC004E016, ...).
pub const KEY_CODES: &[u32] = &[
    0xC004C004, // SL_E_CHPA_INVALID_PRODUCT_KEY
    0xC004C007, // SL_E_CHPA_UNSUPPORTED_PRODUCT_KEY
    0xC004C401, // SL_E_INVALID_OS_FOR_PRODUCT_KEY
    0xC004E016, // SL_E_PKEY_INVALID_CONFIG
    0xC004F014, // SL_E_PKEY_NOT_INSTALLED
    0xC004F015, // SL_E_PRODUCT_SKU_NOT_INSTALLED
    0xC004F042, // SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH
    0xC004F050, // SL_E_INVALID_PRODUCT_KEY
    0xC004F069, // SL_E_MISMATCHED_PRODUCT_SKU
    0xC004F210, // SL_E_EDITION_MISMATCHED
    0xC004F212, // SL_E_OEM_KEY_EDITION_MISMATCH
    0xC004F213, // SL_E_NO_PRODUCT_KEY_FOUND
];

/// Whether the product table helps with `code` (see [`KEY_CODES`]).
pub fn concerns_products(code: ErrorCode) -> bool {
    KEY_CODES.contains(&code.value())
}

/// The line that points from such a code to `volact products`.
pub fn pointer(lang: Lang) -> &'static str {
    lang.pick(
        "Product keys and editions: `volact products` gives each edition's KMS client setup key (GVLK, whole with --gvlk), its Activation ID and the host keys that activate it, with the updates a host needs.",
        "產品金鑰與版本：`volact products` 列出每個版本的 KMS 用戶端安裝金鑰（GVLK；加上 --gvlk 顯示完整金鑰）、啟用識別碼（Activation ID），以及可啟用它的主機金鑰與主機需先安裝的更新。",
    )
}

#[cfg(test)]
mod tests;
