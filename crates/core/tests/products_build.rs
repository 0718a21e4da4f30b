//! The product tables' build-time checks (`build_support/products.rs`, run by `build.rs`): the
//! real tables pass, and each kind of broken table is refused with a message naming the problem.

#[path = "../build_support/products.rs"]
#[allow(dead_code)]
mod products;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/products/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).unwrap()
}

struct Tables {
    sources: String,
    groups: String,
    hosts: String,
    notes: String,
    products: String,
}

fn real() -> Tables {
    Tables {
        sources: read("sources.tsv"),
        groups: read("groups.tsv"),
        hosts: read("hosts.tsv"),
        notes: read("notes.tsv"),
        products: read("products.tsv"),
    }
}

fn build(t: &Tables) -> Result<String, Vec<String>> {
    products::build(&products::Files {
        sources: &t.sources,
        groups: &t.groups,
        hosts: &t.hosts,
        notes: &t.notes,
        products: &t.products,
    })
}

/// The real tables changed by `edit` must be refused with a message containing `expect`.
fn refused(edit: impl FnOnce(&mut Tables), expect: &str) {
    let mut t = real();
    edit(&mut t);
    let Err(errors) = build(&t) else {
        panic!("a table that should fail with {expect:?} was accepted");
    };
    assert!(
        errors.iter().any(|e| e.contains(expect)),
        "expected {expect:?} in {errors:#?}"
    );
}

fn replace(s: &mut String, from: &str, to: &str) {
    assert!(s.contains(from), "{from}");
    *s = s.replacen(from, to, 1);
}

#[test]
fn the_real_tables_pass() {
    let src = build(&real()).unwrap();
    assert!(src.contains("pub(super) static PRODUCTS"));
    assert!(src.contains("\"W269N-WFGWX-YVC9B-4J6C9-T83GX\""));
}

/// `(table, text, replacement, expected message)`: the real tables with the first `text` of
/// `table` replaced must be refused with a message containing the last cell.
const BROKEN: &[(&str, &str, &str, &str)] = &[
    // Activation IDs: GUIDs, lower case, unique across products and host keys, with a source.
    (
        "products",
        "fcd770c20ce0",
        "fcd770c20ceX",
        "is not a lower-case GUID",
    ),
    (
        "products",
        "2d5a5a60-3040-48bf",
        "2D5A5A60-3040-48BF",
        "is not a lower-case GUID",
    ),
    (
        "products",
        "9f776d83-7156-45b2-8a5c-359b9c9f22a3",
        "2d5a5a60-3040-48bf-beb0-fcd770c20ce0",
        "is also used by",
    ),
    (
        "groups",
        "84e331f6-4279-48c4-ab10-b75139181351",
        "2d5a5a60-3040-48bf-beb0-fcd770c20ce0",
        "is also used by",
    ),
    ("products", "\tpy-kms\t", "\t-\t", "go together"),
    // GVLKs: five groups of five key characters, unique.
    (
        "products",
        "W269N-WFGWX-YVC9B-4J6C9-T83GX",
        "W269N-WFGWX-YVC9B-4J6C9-T83G",
        "is not five groups of five key characters",
    ),
    (
        "products",
        "W269N-WFGWX-YVC9B-4J6C9-T83GX",
        "W269N-WFGWX-YVC9B-4J6C9-T83GXX",
        "is not five groups of five key characters",
    ),
    (
        "products",
        "W269N-WFGWX-YVC9B-4J6C9-T83GX",
        "w269n-WFGWX-YVC9B-4J6C9-T83GX",
        "is not five groups of five key characters",
    ),
    (
        "products",
        "W269N-WFGWX-YVC9B-4J6C9-T83GX",
        "W269N-WFGWX-YVC9B-4J6C9-T83G0",
        "is not five groups of five key characters",
    ),
    (
        "products",
        "W269N-WFGWX-YVC9B-4J6C9-T83GX",
        "W269NWFGWXYVC9B4J6C9T83GX",
        "is not five groups of five key characters",
    ),
    (
        "products",
        "MH37W-N47XK-V7XM9-C7227-GCQG9",
        "W269N-WFGWX-YVC9B-4J6C9-T83GX",
        "GVLK also on line",
    ),
    // Every group, source and note named exists, and groups belong to the product's family.
    (
        "products",
        "\tws2025\t",
        "\tws2030\t",
        "group \"ws2030\" is not in groups.tsv",
    ),
    (
        "products",
        "\toffice2024\t",
        "\tws2025\t",
        "is for another family",
    ),
    (
        "products",
        "\tms-gvlk\t",
        "\tms-unknown\t",
        "GVLK source \"ms-unknown\" is not in sources.tsv",
    ),
    (
        "products",
        "\tpy-kms\t",
        "\tpykms\t",
        "source \"pykms\" is not in sources.tsv",
    ),
    (
        "products",
        "\tazure\n",
        "\tazur\n",
        "note \"azur\" is not in notes.tsv",
    ),
    (
        "hosts",
        "ws2025\t",
        "ws1999\t",
        "group \"ws1999\" is not in groups.tsv",
    ),
    ("hosts", "KB5034765", "KB50347x5", "is not KB and digits"),
    (
        "groups",
        "ws2022\t",
        "ws2025\t",
        "\"ws2025\" is defined twice",
    ),
    // Row shapes, families, and the words of the notes.
    (
        "products",
        "\tserver\t",
        "\t server\t",
        "has spaces around it",
    ),
    (
        "products",
        "\tserver\t",
        "\tlinux\t",
        "family must be windows, server or office",
    ),
    (
        "products",
        "\tWindows Server 2025 Standard\t",
        "\t",
        "expected 9 tab-separated columns, found 8",
    ),
    (
        "notes",
        "Azure Edition 由 Azure 啟用，不能作為 KMS 主機。\n",
        "Azure Edition is activated by Azure.\n",
        "is not in Chinese",
    ),
    (
        "notes",
        "cannot be a KMS host.",
        "cannot be a KMS host (TODO).",
        "internal word",
    ),
];

#[test]
fn every_kind_of_broken_table_is_refused() {
    for (table, from, to, expect) in BROKEN {
        refused(
            |t| {
                let s = match *table {
                    "products" => &mut t.products,
                    "groups" => &mut t.groups,
                    "hosts" => &mut t.hosts,
                    _ => &mut t.notes,
                };
                replace(s, from, to);
            },
            expect,
        );
    }
    refused(
        |t| t.products = "# empty\n".to_owned(),
        "products.tsv: the table is empty",
    );
}
