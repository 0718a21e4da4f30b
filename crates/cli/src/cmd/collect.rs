//! `volact collect` (Windows: gather this machine's activation evidence into a zip bundle, changing
//! nothing) and `volact analyze` (any OS: the combined report of a bundle).

use std::path::{Path, PathBuf};

use volact_collect::{Bundle, BundleError, Collector, Progress, StepStatus, render};
use volact_core::Lang;

use crate::Ctx;
use crate::args::{AnalyzeArgs, CollectArgs, Format as ReportFormat};
use crate::exit::{Exit, Failure};

fn status_word(lang: Lang, s: StepStatus) -> &'static str {
    match s {
        StepStatus::Ok => lang.pick("ok", "完成"),
        StepStatus::Failed => lang.pick("FAILED", "失敗"),
        StepStatus::NotApplicable => lang.pick("n/a", "不適用"),
    }
}

#[cfg(windows)]
fn live_collectors(_lang: Lang) -> anyhow::Result<(String, Vec<Box<dyn Collector>>)> {
    Ok(("windows".to_owned(), volact_collect::windows_collectors()))
}

#[cfg(not(windows))]
fn live_collectors(lang: Lang) -> anyhow::Result<(String, Vec<Box<dyn Collector>>)> {
    let msg = lang.pick(
        "volact collect reads a live Windows machine and runs only on Windows. Run it there (volact.exe collect), copy the bundle here and run `volact analyze <bundle.zip>`; or rebuild a bundle from saved outputs with --replay DIR.",
        "volact collect 讀取的是執行中的 Windows 電腦，只能在 Windows 上執行。請在該電腦執行 volact.exe collect，把資料包複製到這裡後執行 `volact analyze <bundle.zip>`；或以 --replay DIR 從已儲存的輸出重建資料包。",
    );
    Err(Failure(Exit::Usage, msg.to_owned()).into())
}

/// The default bundle: `volact-<COMPUTERNAME>-<yyyymmdd-hhmmss>.zip` (UTC) in the current folder,
/// unless that is inside the Windows folder (an elevated prompt starts in `C:\Windows\System32`):
/// then on the user's desktop, or in the temporary folder.
fn default_out() -> PathBuf {
    let computer: String = std::env::var("COMPUTERNAME")
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let computer = if computer.is_empty() {
        "machine".to_owned()
    } else {
        computer
    };
    let name = format!(
        "volact-{computer}-{}.zip",
        volact_collect::file_stamp(std::time::SystemTime::now())
    );
    let cwd = std::env::current_dir().unwrap_or_default();
    let in_windows_folder = std::env::var_os("SystemRoot").is_some_and(|root| {
        let root = root.to_string_lossy().to_ascii_lowercase();
        !root.is_empty()
            && cwd
                .to_string_lossy()
                .to_ascii_lowercase()
                .starts_with(&root)
    });
    if !in_windows_folder {
        return PathBuf::from(name);
    }
    let desktop = std::env::var_os("USERPROFILE")
        .map(|p| PathBuf::from(p).join("Desktop"))
        .filter(|d| d.is_dir());
    desktop.unwrap_or_else(std::env::temp_dir).join(name)
}

/// Runs `volact collect`.
pub(crate) fn collect(ctx: &Ctx, args: CollectArgs) -> anyhow::Result<Exit> {
    let lang = ctx.lang;
    let (source, collectors) = match &args.replay {
        Some(dir) => volact_collect::recorded(dir).map_err(|e| Failure(Exit::Io, e.to_string()))?,
        None => live_collectors(lang)?,
    };
    let out = args.out.unwrap_or_else(default_out);
    let shown = out.display();
    eprintln!(
        "{}",
        lang.pick(
            format!("volact: collecting into {shown} (read-only; nothing is changed)"),
            format!("volact：正在收集到 {shown}（唯讀，不會變更任何設定）"),
        )
    );
    let mut on_step = |p: Progress<'_>| match p {
        Progress::Starting { index, total, id } => {
            eprint!("  [{}/{total}] {id:<20} ", index + 1);
        }
        Progress::Done(r) => {
            let mut line = format!(
                "{:<8} {:>7.1} s",
                status_word(lang, r.status),
                r.duration_ms as f64 / 1000.0
            );
            if r.status == StepStatus::Failed
                && let Some(e) = &r.error
            {
                line.push_str(&format!("  {e}"));
            }
            eprintln!("{line}");
        }
    };
    let manifest = volact_collect::collect_to_file(&collectors, &source, &out, &mut on_step)
        .map_err(|e| Failure(Exit::Io, bundle_error(lang, &e)))?;
    let failed = manifest
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Failed)
        .count();
    let (shown, steps, keys) = (out.display(), manifest.steps.len(), manifest.keys_redacted);
    let mut summary = lang.pick(
        format!(
            "Bundle written: {shown}\n{steps} steps, {failed} failed; {keys} product key(s) masked.\nNext: volact analyze \"{shown}\"\n"
        ),
        format!(
            "資料包已寫入：{shown}\n共 {steps} 個步驟，{failed} 個失敗；已遮蔽 {keys} 組產品金鑰。\n下一步：volact analyze \"{shown}\"\n"
        ),
    );
    if manifest.steps.iter().any(|s| {
        s.error
            .as_deref()
            .is_some_and(|e| e.contains("denied") || e.contains("elevated"))
    }) {
        summary.push_str(lang.pick(
            "Some steps were refused: run again from an elevated prompt (Run as administrator) to include them.\n",
            "部分步驟遭拒：請以系統管理員身分開啟命令提示字元或 PowerShell 後重新執行，以納入這些資料。\n",
        ));
    }
    super::print(ctx, &summary)?;
    Ok(if failed > 0 {
        Exit::Attention
    } else {
        Exit::Ok
    })
}

fn bundle_error(lang: Lang, e: &BundleError) -> String {
    lang.pick(
        format!("cannot write or read the bundle: {e}"),
        format!("無法寫入或讀取資料包：{e}"),
    )
}

/// Runs `volact analyze`.
pub(crate) fn analyze(ctx: &Ctx, args: AnalyzeArgs) -> anyhow::Result<Exit> {
    let bundle = open(ctx.lang, &args.bundle)?;
    let a = volact_collect::analyze(&bundle, ctx.lang);
    match args.format {
        ReportFormat::Text => super::print(ctx, &render::text(&a, ctx.color))?,
        ReportFormat::Json => super::print(ctx, &render::json(&a))?,
        ReportFormat::Ndjson => super::print(ctx, &render::ndjson(&a))?,
        ReportFormat::Csv => super::print(ctx, &render::csv(&a))?,
        ReportFormat::Markdown => super::print(ctx, &render::markdown(&a))?,
    }
    if bundle.files.is_empty() {
        let msg = ctx.lang.pick(
            "the bundle holds no evidence files",
            "資料包中沒有任何證據檔案",
        );
        return Err(Failure(Exit::NothingFound, msg.to_owned()).into());
    }
    Ok(if a.needs_attention() {
        Exit::Attention
    } else {
        Exit::Ok
    })
}

fn open(lang: Lang, path: &Path) -> anyhow::Result<Bundle> {
    Bundle::open(path).map_err(|e| {
        let msg = lang.pick(
            format!("cannot read the bundle: {e}"),
            format!("無法讀取資料包：{e}"),
        );
        Failure(Exit::Io, msg).into()
    })
}
