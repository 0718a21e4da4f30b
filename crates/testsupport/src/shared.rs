//! The real captures and sample logs in `../shared/data` (beside the checkout).

use std::path::PathBuf;

/// A file of `../shared/data` (or of `$VOLACT_SHARED_DATA`, for checkouts elsewhere), for
/// example `shared_data("real/ospp-act-0x8007000D-with-kb-notice.txt")`.
///
/// Returns `None` (after printing why) when the file is absent and `CI` is not set, so that a
/// developer without `../shared` can still run the tests; **panics** when `CI` is set, so that
/// CI never passes a test that silently skipped its real fixture.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let base = std::env::var_os("VOLACT_SHARED_DATA").map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/data/"
            ))
        },
        PathBuf::from,
    );
    let p = base.join(rel);
    if p.exists() {
        Some(p)
    } else if std::env::var_os("CI").is_some() {
        panic!("CI is set but {} is missing", p.display());
    } else {
        eprintln!(
            "skipping: {} not found (../shared next to the checkout)",
            p.display()
        );
        None
    }
}

/// The text of a file of `../shared/data/real` with its first `# source:` line removed, or
/// `None` as [`shared_data`] says.
pub fn real_capture(name: &str) -> Option<String> {
    let p = shared_data(&format!("real/{name}"))?;
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Some(match text.strip_prefix("# source:") {
        Some(rest) => rest
            .split_once('\n')
            .map_or("", |(_, body)| body)
            .to_owned(),
        None => text,
    })
}
