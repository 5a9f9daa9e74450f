//! `rasd dates`: the temporal expressions of texts (files, or stdin for `-` or nothing).
//!
//! With `--anchor YYYY-MM-DD`, relative expressions (أمس، الأسبوع الماضي، نيسان الماضي) resolve
//! against that day. Without it, each text is dated from its content (`rasd_time::estimate_date`)
//! and relative expressions resolve against the estimate, marked `anchor_kind: "estimated"`; when
//! the content bounds no date they stay unresolved (`value: null`).
//!
//! `--json`: one object per input: `source`, `anchor`, `anchor_kind`, `estimate` (null or
//! `date`, `earliest`, `latest`, `confidence`, `evidence`) and `expressions`, each with `text`,
//! `start`, `end` (byte offsets into the decoded text), `type` (`DATE`, `TIME`, `DURATION`, `SET`),
//! `value`, `granularity`, `anchor`, `anchor_kind`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use rasd_time::{AnchorKind, DateEstimate, TimeExpression};
use serde::Serialize;

use crate::Ctx;

/// Arguments of `rasd dates`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text files; `-` or nothing reads stdin.
    pub files: Vec<PathBuf>,
    /// The day relative expressions are resolved against (YYYY-MM-DD); without it, each text's
    /// date is estimated from its content.
    #[arg(long, value_parser = parse_day)]
    pub anchor: Option<NaiveDate>,
    /// One JSON object per input: source, anchor, anchor_kind, estimate, expressions.
    #[arg(long)]
    pub json: bool,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a day in the form YYYY-MM-DD"))
}

#[derive(Serialize)]
struct Line<'a> {
    source: &'a str,
    anchor: Option<String>,
    anchor_kind: AnchorKind,
    estimate: Option<&'a DateEstimate>,
    expressions: &'a [TimeExpression],
}

/// Runs `rasd dates`; exits 2 when an input could not be read or decoded.
pub fn run(args: &Args, _ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    let mut failed = 0usize;
    for (source, text) in crate::stage::text_inputs(&args.files, &mut failed) {
        let (anchor, kind, estimate) = match args.anchor {
            Some(a) => (Some(a), AnchorKind::Given, None),
            None => {
                let est = rasd_time::estimate_date(&text);
                let a = est.as_ref().and_then(|e| rasd_time::parse_anchor(&e.date));
                let kind = if a.is_some() {
                    AnchorKind::Estimated
                } else {
                    AnchorKind::None
                };
                (a, kind, est)
            }
        };
        let expressions = rasd_time::find_expressions(&text, anchor, kind);
        if args.json {
            serde_json::to_writer(
                &mut *out,
                &Line {
                    source: &source,
                    anchor: anchor.map(|a| a.format("%Y-%m-%d").to_string()),
                    anchor_kind: kind,
                    estimate: estimate.as_ref(),
                    expressions: &expressions,
                },
            )?;
            writeln!(out)?;
        } else {
            write!(out, "== {source}")?;
            match (&estimate, anchor) {
                (Some(e), _) => writeln!(
                    out,
                    " (estimated {} in [{}, {}], confidence {:.2}; not a stated date)",
                    e.date, e.earliest, e.latest, e.confidence
                )?,
                (None, Some(a)) => writeln!(out, " (anchor {a})")?,
                (None, None) => writeln!(out, " (no anchor: relative expressions unresolved)")?,
            }
            for e in &expressions {
                writeln!(
                    out,
                    "  {}-{}\t{}\t{}\t{}\t{}",
                    e.start,
                    e.end,
                    e.text,
                    serde_json::to_value(e.kind)?.as_str().unwrap_or("?"),
                    e.value.as_deref().unwrap_or("-"),
                    e.granularity
                )?;
            }
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx {
        Ctx {
            db: PathBuf::from("unused"),
            quiet: true,
        }
    }

    #[test]
    fn json_lists_expressions_with_stable_fields() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let path = dir.path().join("a.txt");
        std::fs::write(
            &path,
            "وصل الوفد أمس الثلاثاء، بعد اجتماع 4 مايو/ أيار الماضي.",
        )
        .unwrap_or_else(|e| panic!("write: {e}"));
        let args = Args {
            files: vec![path, dir.path().join("missing.txt")],
            anchor: NaiveDate::from_ymd_opt(2017, 6, 7),
            json: true,
        };
        let mut out = Vec::new();
        let code = run(&args, &ctx(), &mut out).unwrap_or_else(|e| panic!("run: {e}"));
        // The missing file is reported and makes the exit code 2; the other is still done.
        assert_eq!(code, ExitCode::from(2));
        let line: serde_json::Value =
            serde_json::from_slice(&out).unwrap_or_else(|e| panic!("json: {e}"));
        assert_eq!(line["anchor"], "2017-06-07");
        assert_eq!(line["anchor_kind"], "given");
        let e = &line["expressions"];
        assert_eq!(e[0]["text"], "أمس الثلاثاء");
        assert_eq!(e[0]["type"], "DATE");
        assert_eq!(e[0]["value"], "2017-06-06");
        assert_eq!(e[0]["anchor"], "2017-06-07");
        assert_eq!(e[1]["value"], "2017-05-04");
        assert!(e[1]["start"].as_u64().is_some() && e[1]["end"].as_u64().is_some());
    }

    #[test]
    fn without_anchor_the_content_estimate_is_used_and_marked() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let path = dir.path().join("b.txt");
        std::fs::write(
            &path,
            "عقد الاجتماع في 3 حزيران 2024، واستؤنف اليوم الأربعاء.",
        )
        .unwrap_or_else(|e| panic!("write: {e}"));
        let args = Args {
            files: vec![path],
            anchor: None,
            json: true,
        };
        let mut out = Vec::new();
        let code = run(&args, &ctx(), &mut out).unwrap_or_else(|e| panic!("run: {e}"));
        assert_eq!(code, ExitCode::SUCCESS);
        let line: serde_json::Value =
            serde_json::from_slice(&out).unwrap_or_else(|e| panic!("json: {e}"));
        assert_eq!(line["estimate"]["date"], "2024-06-05");
        assert_eq!(line["anchor_kind"], "estimated");
        assert_eq!(line["expressions"][1]["anchor_kind"], "estimated");
    }

    #[test]
    fn a_bad_anchor_is_refused_with_the_reason() {
        let err = parse_day("10/06/2017").err().unwrap_or_default();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
        assert_eq!(
            parse_day("2017-06-10"),
            Ok(NaiveDate::from_ymd_opt(2017, 6, 10).unwrap_or_default())
        );
    }
}
