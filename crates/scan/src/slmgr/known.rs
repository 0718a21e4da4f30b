//! What volact's product table ([`volact_core::products`]) says about a snapshot: the edition its
//! Activation ID names (or, when the ID was not printed or was masked, the edition whose published
//! KMS client setup key ends with the partial key), whether the installed key is a published GVLK,
//! and, for a KMS host, its host key and the products that key activates. Filled in when a
//! snapshot is closed ([`identify`]); serialised as additions to the snapshot's JSON.

use serde::{Serialize, Serializer};
use volact_core::products::{self, Family, Group, Product};

use super::model::Snapshot;

/// How the edition was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NamedBy {
    /// The Activation ID (`/dlv` "Activation ID", ospp "SKU ID", `AO activation ID`).
    ActivationId,
    /// The partial product key: the last five characters of this edition's published GVLK.
    GvlkTail,
}

/// The edition a snapshot is about, from the product table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edition {
    /// The row of the table.
    pub product: &'static Product,
    /// How it was found.
    pub named_by: NamedBy,
}

impl Serialize for Edition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire {
            name: &'static str,
            family: Family,
            release: &'static str,
            kms_count: u32,
            activation_id: Option<&'static str>,
            named_by: NamedBy,
        }
        let p = self.product;
        Wire {
            name: p.name,
            family: p.family,
            release: p.release,
            kms_count: p.kms_count(),
            activation_id: p.activation_id,
            named_by: self.named_by,
        }
        .serialize(s)
    }
}

/// A KMS host key (CSVLK group) named by a host's Activation ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostKey(pub &'static Group);

impl HostKey {
    /// The products this host key activates, in table order.
    pub fn activates(self) -> Vec<&'static Product> {
        products::activated_by(self.0)
    }

    /// The newest host key of the same kind (Windows or Office), when it is not this one.
    pub fn newest(self) -> Option<&'static Group> {
        products::groups()
            .iter()
            .find(|g| g.office == self.0.office)
            .filter(|g| !std::ptr::eq(*g, self.0))
    }

    /// Releases the newer host keys of its kind activate that this one does not, newest first.
    pub fn cannot_serve(self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for g in products::groups() {
            if std::ptr::eq(g, self.0) {
                break;
            }
            if g.office != self.0.office {
                continue;
            }
            for p in products::activated_by(g) {
                let served = p.groups.iter().any(|x| std::ptr::eq(*x, self.0));
                if !served && !out.contains(&p.release) {
                    out.push(p.release);
                }
            }
        }
        out
    }
}

impl Serialize for HostKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire {
            group: &'static str,
            name: &'static str,
            office: bool,
            activates: Vec<&'static str>,
            cannot_serve: Vec<&'static str>,
        }
        Wire {
            group: self.0.id,
            name: self.0.name,
            office: self.0.office,
            activates: self.activates().iter().map(|p| p.name).collect(),
            cannot_serve: self.cannot_serve(),
        }
        .serialize(s)
    }
}

/// Fills in what the product table says about `s`.
pub(super) fn identify(s: &mut Snapshot) {
    let ids = [
        s.activation_id.as_deref(),
        s.ad_client
            .as_ref()
            .and_then(|a| a.ao_activation_id.as_deref()),
    ];
    let by_id = ids
        .into_iter()
        .flatten()
        .find_map(products::by_activation_id);
    // A partial key is read as a GVLK only where one can be installed: a KMS client channel, or
    // no channel printed (a host key or a retail, OEM or MAK channel only shares its last five
    // characters with a GVLK by chance).
    let tail = match s.channel.as_deref() {
        None | Some("VOLUME_KMSCLIENT") if s.kms_host.is_none() => {
            s.partial_product_key.as_deref().unwrap_or("")
        }
        _ => "",
    };
    let gvlk = match products::by_gvlk_tail(tail).as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    s.gvlk_edition = gvlk.map(|p| p.name);
    s.edition = match (by_id, gvlk) {
        (Some(product), _) => Some(Edition {
            product,
            named_by: NamedBy::ActivationId,
        }),
        (None, Some(product)) => Some(Edition {
            product,
            named_by: NamedBy::GvlkTail,
        }),
        _ => None,
    };
    if s.kms_host.is_some() {
        s.host_key = ids
            .into_iter()
            .flatten()
            .find_map(products::group_by_activation_id)
            .map(HostKey);
    }
}
