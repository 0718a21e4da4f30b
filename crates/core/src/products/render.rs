//! The product list as text, Markdown, CSV and NDJSON, rendered from [`Doc`] (the JSON form is
//! `Doc` itself). Column names and NDJSON fields are stable English identifiers; the words of text
//! and Markdown are in the language given.

use serde::Serialize;

use super::Group;
use super::model::{Doc, ProductOut};
use crate::Lang;
use crate::out::{self, Style};

/// Words of the text and Markdown forms.
struct Words {
    id: &'static str,
    id_third: &'static str,
    id_none: &'static str,
    count: &'static str,
    channel: &'static str,
    client: &'static str,
    gvlk: &'static str,
    tail: &'static str,
    hosts: &'static str,
    hosts_none: &'static str,
    needs: &'static str,
    needs_kb: &'static str,
    open: &'static str,
    close: &'static str,
    sep: &'static str,
    title: &'static str,
    note: &'static str,
    sources: &'static str,
    third: &'static str,
    product: &'static str,
}

fn words(lang: Lang) -> Words {
    lang.pick(
        Words {
            id: "Activation ID",
            id_third: "third-party data only (py-kms), not a Microsoft table",
            id_none: "not given by any source volact uses",
            count: "KMS count needed",
            channel: "Channel",
            client: "KMS client (Volume:GVLK)",
            gvlk: "KMS client setup key (GVLK)",
            tail: "GVLK ends in",
            hosts: "Host keys that activate it",
            hosts_none: "no source names one",
            needs: "needs",
            needs_kb: "or a later update",
            open: " (",
            close: ")",
            sep: "; ",
            title: "Volume products",
            note: "Note",
            sources: "Sources",
            third: "third-party",
            product: "Product",
        },
        Words {
            id: "啟用識別碼（Activation ID）",
            id_third: "僅見於第三方資料（py-kms），非 Microsoft 的表格",
            id_none: "volact 採用的資料來源都沒有列出",
            count: "KMS 主機所需計數",
            channel: "通道",
            client: "KMS 用戶端（Volume:GVLK）",
            gvlk: "KMS 用戶端安裝金鑰（GVLK）",
            tail: "GVLK 結尾",
            hosts: "可啟用它的主機金鑰",
            hosts_none: "資料來源沒有列出",
            needs: "需先安裝",
            needs_kb: "或之後的累積更新",
            open: "（",
            close: "）",
            sep: "；",
            title: "大量授權產品",
            note: "附註",
            sources: "來源",
            third: "第三方",
            product: "產品",
        },
    )
}

/// One host key in words: its name, then where it can be installed (and the update needed).
fn group_line(g: &Group, w: &Words, lang: Lang) -> String {
    let hosts: Vec<String> = g
        .hosts
        .iter()
        .map(|h| match h.update {
            Some(u) if u.starts_with("KB") => {
                format!(
                    "{}{}{} {u} {}{}",
                    h.os, w.open, w.needs, w.needs_kb, w.close
                )
            }
            Some(u) => format!("{}{}{} {u}{}", h.os, w.open, w.needs, w.close),
            None => h.os.to_owned(),
        })
        .collect();
    if hosts.is_empty() {
        g.name.to_owned()
    } else {
        format!("{}{}{}", g.name, lang.pick(": ", "："), hosts.join(w.sep))
    }
}

fn id_text(p: &ProductOut, w: &Words) -> String {
    match p.activation_id {
        Some(id) if p.activation_id_third_party => {
            format!("{id}{}{}{}", w.open, w.id_third, w.close)
        }
        Some(id) => id.to_owned(),
        None => w.id_none.to_owned(),
    }
}

/// Releases in table order, each with its products.
fn by_release(doc: &Doc) -> Vec<(&'static str, Vec<&ProductOut>)> {
    let mut out: Vec<(&'static str, Vec<&ProductOut>)> = Vec::new();
    for p in &doc.products {
        match out.last_mut() {
            Some((r, v)) if *r == p.release => v.push(p),
            _ => out.push((p.release, vec![p])),
        }
    }
    out
}

fn summary(doc: &Doc, lang: Lang) -> String {
    let n = out::fmt::count(doc.count as u64);
    lang.pick(
        format!("{n} product{}", if doc.count == 1 { "" } else { "s" }),
        format!("共 {n} 個產品"),
    )
}

fn sources(d: &mut out::Doc<String>, doc: &Doc, w: &Words) {
    if doc.sources.is_empty() {
        return;
    }
    d.heading(2, w.sources);
    for s in &doc.sources {
        let third = if s.third_party {
            format!("{}{}{}", w.open, w.third, w.close)
        } else {
            String::new()
        };
        let url = s.url.map(|u| format!(", {u}")).unwrap_or_default();
        d.item(&format!(
            "[{}] {}, {} ({}){third}{url}",
            s.tag, s.title, s.publisher, s.date
        ));
    }
}

/// Plain text: one block per product under its release.
pub fn text(doc: &Doc, lang: Lang) -> String {
    let w = words(lang);
    let mut d = out::Doc::new(String::new(), Style::Text, lang);
    d.line(summary(doc, lang));
    for (release, products) in by_release(doc) {
        d.heading(2, release);
        for p in products {
            d.line(format_args!("{}", p.name));
            d.kv(&format!("  {}", w.id), &id_text(p, &w));
            d.kv(&format!("  {}", w.count), &p.kms_count.to_string());
            d.kv(&format!("  {}", w.channel), w.client);
            match p.gvlk {
                Some(k) => d.kv(&format!("  {}", w.gvlk), k),
                None => d.kv(&format!("  {}", w.tail), p.gvlk_tail),
            }
            if p.host_keys.is_empty() {
                d.kv(&format!("  {}", w.hosts), w.hosts_none);
            } else {
                d.line(format_args!("    {}{}", w.hosts, lang.pick(":", "：")));
                for g in &p.host_keys {
                    d.line(format_args!("      - {}", group_line(g, &w, lang)));
                }
            }
            if let Some(n) = p.note {
                d.kv(&format!("  {}", w.note), n);
            }
        }
    }
    sources(&mut d, doc, &w);
    d.finish()
}

/// Markdown: one table per release, then the host keys and sources.
pub fn markdown(doc: &Doc, lang: Lang) -> String {
    let w = words(lang);
    let mut d = out::Doc::new(String::new(), Style::Markdown, lang);
    d.heading(1, w.title);
    d.line(summary(doc, lang));
    let key_col = if doc.gvlk { w.gvlk } else { w.tail };
    for (release, products) in by_release(doc) {
        d.heading(2, release);
        d.table_head(&[w.product, w.id, w.count, key_col, w.hosts, w.note]);
        for p in products {
            let hosts: Vec<&str> = p.host_keys.iter().map(|g| g.name).collect();
            let hosts = if hosts.is_empty() {
                w.hosts_none.to_owned()
            } else {
                hosts.join(w.sep)
            };
            d.row(&[
                p.name.to_owned(),
                id_text(p, &w),
                p.kms_count.to_string(),
                p.gvlk.unwrap_or(p.gvlk_tail).to_owned(),
                hosts,
                p.note.unwrap_or("").to_owned(),
            ]);
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    let groups: Vec<&Group> = doc
        .products
        .iter()
        .flat_map(|p| p.host_keys.iter().copied())
        .filter(|g| {
            let new = !seen.contains(&g.id);
            seen.push(g.id);
            new
        })
        .collect();
    if !groups.is_empty() {
        d.heading(2, w.hosts);
        for g in groups {
            d.item(&d.esc(&group_line(g, &w, lang)));
        }
    }
    sources(&mut d, doc, &w);
    d.finish()
}

/// CSV, one row per product, English column names.
pub fn csv(doc: &Doc) -> String {
    let mut head = vec![
        "name",
        "family",
        "release",
        "activation_id",
        "activation_id_source",
        "channel",
        "kms_count",
        "gvlk_tail",
    ];
    if doc.gvlk {
        head.push("gvlk");
    }
    head.extend(["gvlk_source", "host_keys", "host_updates"]);
    let mut s = out::csv::record(&head);
    for p in &doc.products {
        let mut row = vec![
            p.name.to_owned(),
            p.family.id().to_owned(),
            p.release.to_owned(),
            p.activation_id.unwrap_or("").to_owned(),
            p.activation_id_source.unwrap_or("").to_owned(),
            p.channel.to_owned(),
            p.kms_count.to_string(),
            p.gvlk_tail.to_owned(),
        ];
        if let Some(k) = p.gvlk {
            row.push(k.to_owned());
        }
        let groups: Vec<&str> = p.host_keys.iter().map(|g| g.id).collect();
        let updates: Vec<String> = p
            .host_keys
            .iter()
            .flat_map(|g| {
                g.hosts
                    .iter()
                    .filter_map(move |h| h.update.map(|u| format!("{}@{}={u}", g.id, h.os)))
            })
            .collect();
        row.extend([
            p.gvlk_source.to_owned(),
            groups.join(";"),
            updates.join(";"),
        ]);
        s.push_str(&out::csv::record(&row));
    }
    s
}

#[derive(Serialize)]
struct Line<'a> {
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(flatten)]
    product: &'a ProductOut,
}

/// NDJSON: one `{"type": "product", ...}` object per product.
pub fn ndjson(doc: &Doc) -> String {
    out::ndjson::to_string(doc.products.iter().map(|p| Line {
        ty: "product",
        product: p,
    }))
}
