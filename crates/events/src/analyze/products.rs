//! The host view's clients by product: each client's Activation ID (the last field of its 12290)
//! named from the products table ([`volact_core::products`]), the clients grouped by product
//! family, and the clients the host refused because its key does not cover their product
//! (0xC004F042, 0xC004F015). An Activation ID the table does not know is shown as logged and
//! counted, never guessed.
//!
//! This is a breakdown beside the count; the count itself keeps the host's rules (the minimum
//! count each request carries).

use std::collections::HashMap;

use serde::Serialize;
use volact_core::products::{self, Family, Product};

use super::report::ProductNeed;
use super::store::ClientAgg;
use crate::guid::{FxBuild, GuidRef, format_guid};

/// The codes of a host whose key does not cover the client's product: "this KMS cannot be used
/// for this product" (0xC004F042) and "no license for the product" (0xC004F015).
pub(super) const REFUSED: [u32; 2] = [0xC004_F042, 0xC004_F015];
/// Distinct Activation IDs tallied at most (a hostile log cannot grow the map without bound);
/// clients with further IDs are counted in `products_omitted`.
const MAX_PRODUCTS: usize = 500;
/// Products listed in a finding at most.
const MAX_NEEDS: usize = 20;

/// Clients of one product family (or of none the table names).
#[derive(Debug, Clone, Serialize)]
pub struct FamilyCount {
    /// `windows`, `server`, `office`, or null for Activation IDs the products table does not
    /// know and clients whose requests named none.
    pub family: Option<Family>,
    /// Clients (name and CMID pairs).
    pub clients: u64,
    /// The count a host needs before it activates this family (25 or 5); null when unknown.
    pub threshold: Option<u32>,
    /// Its products, most clients first.
    pub products: Vec<ProductCount>,
}

/// Clients of one Activation ID.
#[derive(Debug, Clone, Serialize)]
pub struct ProductCount {
    /// The Activation ID, as logged.
    pub activation_id: String,
    /// The product's name, when the products table knows the ID.
    pub product: Option<&'static str>,
    /// Clients.
    pub clients: u64,
    /// Of which the host refused with 0xC004F042 or 0xC004F015.
    pub refused: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Guid(u128),
    Text(String),
}

/// Clients per Activation ID, as the rows are walked (bounded by [`MAX_PRODUCTS`]).
#[derive(Default)]
pub(super) struct Tally {
    per: HashMap<Key, (u64, u64), FxBuild>,
    no_id: u64,
    omitted: u64,
    /// Refused clients without an Activation ID, or beyond the bound.
    unnamed_refused: u64,
}

impl Tally {
    /// One client row.
    pub(super) fn add(&mut self, a: &ClientAgg) {
        let refused = u64::from(a.codes.iter().any(|(c, _)| REFUSED.contains(&c.value())));
        let key = match a.activation_id() {
            None => {
                self.no_id += 1;
                self.unnamed_refused += refused;
                return;
            }
            Some(GuidRef::Guid(g)) => Key::Guid(g),
            Some(GuidRef::Text(t)) => Key::Text(t.to_owned()),
        };
        if !self.per.contains_key(&key) && self.per.len() >= MAX_PRODUCTS {
            self.omitted += 1;
            self.unnamed_refused += refused;
            return;
        }
        let e = self.per.entry(key).or_default();
        e.0 += 1;
        e.1 += refused;
    }

    /// The families (Windows, server, Office, then unknown), each with its products; the
    /// clients whose Activation ID was beyond the bound; the refused clients without a product
    /// in the lists.
    pub(super) fn families(self) -> (Vec<FamilyCount>, u64, u64) {
        let mut fams: Vec<FamilyCount> = Family::ALL
            .iter()
            .map(|f| Some(*f))
            .chain([None])
            .map(|family| FamilyCount {
                family,
                clients: 0,
                threshold: family.map(threshold),
                products: Vec::new(),
            })
            .collect();
        for (k, (clients, refused)) in self.per {
            let id = match k {
                Key::Guid(g) => format_guid(g),
                Key::Text(t) => t,
            };
            let p = products::by_activation_id(&id);
            let f = fams
                .iter_mut()
                .find(|f| f.family == p.map(|p| p.family))
                .expect("every family and none are listed");
            f.clients += clients;
            f.products.push(ProductCount {
                activation_id: id,
                product: p.map(|p| p.name),
                clients,
                refused,
            });
        }
        if let Some(unknown) = fams.last_mut() {
            unknown.clients += self.no_id + self.omitted;
        }
        for f in &mut fams {
            f.products.sort_by(|a, b| {
                b.clients
                    .cmp(&a.clients)
                    .then_with(|| a.activation_id.cmp(&b.activation_id))
            });
        }
        fams.retain(|f| f.clients > 0);
        (fams, self.omitted, self.unnamed_refused)
    }
}

/// The count a host needs for a family (the products table's rule).
fn threshold(f: Family) -> u32 {
    products::all()
        .iter()
        .find(|p| p.family == f)
        .map_or(volact_core::kms::SERVER_THRESHOLD, Product::kms_count)
}

/// The products the host refused, most refused clients first (up to [`MAX_NEEDS`]), each with
/// the host key that covers it; and how many clients were refused in all (those whose requests
/// named no product too).
pub(super) fn refused(h: &super::report::HostView) -> (u64, Vec<ProductNeed>) {
    let mut all: Vec<&ProductCount> = h
        .families
        .iter()
        .flat_map(|f| &f.products)
        .filter(|p| p.refused > 0)
        .collect();
    all.sort_by(|a, b| {
        b.refused
            .cmp(&a.refused)
            .then_with(|| a.activation_id.cmp(&b.activation_id))
    });
    let total = all.iter().map(|p| p.refused).sum::<u64>() + h.refused_unnamed;
    let needs = all
        .iter()
        .take(MAX_NEEDS)
        .map(|p| ProductNeed::new(&p.activation_id, p.refused))
        .collect();
    (total, needs)
}

/// The name of the product `id`, when the products table knows it.
pub(super) fn product_name(id: &str) -> Option<&'static str> {
    products::by_activation_id(id).map(|p| p.name)
}

/// The name and family of the product `id`, for a client row.
pub(super) fn name_of(id: &str) -> (Option<&'static str>, Option<Family>) {
    let p = products::by_activation_id(id);
    (p.map(|p| p.name), p.map(|p| p.family))
}
