//! End-to-end tests of the `rasd` binary: the demo corpus, bad input, idempotency,
//! crash safety, search, and the seeds (when `../shared` is beside the checkout).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn rasd(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rasd"))
        .arg("--db")
        .arg(db)
        .arg("--quiet")
        .args(args)
        .output()
        .expect("the rasd binary runs")
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Manifest rows: file (or URL) → (story, kind, duplicate_of).
fn manifest() -> HashMap<String, (String, String, String)> {
    let text = std::fs::read_to_string(repo_root().join("demo/manifest.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() >= 6).then(|| {
                (
                    c[0].to_string(),
                    (c[1].to_string(), c[4].to_string(), c[5].to_string()),
                )
            })
        })
        .collect()
}

fn manifest_key(source: &str) -> String {
    if source.starts_with("http") {
        source.to_string()
    } else {
        Path::new(source)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    }
}

/// One ingest of the demo corpus shared by the assertions below.
struct DemoStore {
    _dir: tempfile::TempDir,
    db: PathBuf,
    summary: Value,
    code: Option<i32>,
    docs: Vec<Value>,
}

fn demo_store() -> DemoStore {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let corpus = repo_root().join("demo/corpus");
    let out = rasd(&db, &["ingest", "--json", corpus.to_str().unwrap()]);
    let summary = json_lines(&out).remove(0);
    let docs = json_lines(&rasd(&db, &["docs", "--json"]));
    DemoStore {
        _dir: dir,
        db,
        summary,
        code: out.status.code(),
        docs,
    }
}

#[test]
fn demo_corpus_ingests_with_failures_reported_and_copies_found() {
    let s = demo_store();
    // Two inputs are broken on purpose: the run goes on, and the exit code says so.
    assert_eq!(s.code, Some(2), "{}", s.summary);
    let failures = s.summary["failures"].as_array().unwrap();
    let failed: Vec<String> = failures
        .iter()
        .map(|f| manifest_key(f["source"].as_str().unwrap()))
        .collect();
    assert!(failed.contains(&"p1-broken.html".to_string()), "{failed:?}");
    assert!(
        failed.contains(&"p2-truncated.jsonl.gz".to_string()),
        "{failed:?}"
    );
    for f in failures {
        assert!(!f["reason"].as_str().unwrap().is_empty());
    }

    let m = manifest();
    let by_key: HashMap<String, &Value> = s
        .docs
        .iter()
        .map(|d| (manifest_key(d["source"].as_str().unwrap()), d))
        .collect();
    // Every page of the manifest (but the broken ones) is stored.
    for (file, (story, _, _)) in &m {
        if story != "-" {
            assert!(by_key.contains_key(file), "{file} was not stored");
        }
    }
    let group = |d: &Value| {
        d["duplicate_of"]
            .as_str()
            .unwrap_or(d["id"].as_str().unwrap())
            .to_string()
    };
    // Every wire copy and identical copy falls in its original's group; nothing else is a copy.
    let mut copies = 0;
    for (file, (_, kind, dup_of)) in &m {
        let Some(d) = by_key.get(file) else { continue };
        if kind == "wire_copy" || kind == "identical_copy" {
            let orig = by_key[dup_of];
            assert_eq!(group(d), group(orig), "{file} should be a copy of {dup_of}");
            copies += 1;
        } else {
            // Originals (the earliest copy), rewrites and follow-ups are never folded as copies.
            assert!(
                d["duplicate_of"].is_null(),
                "{file} ({kind}) was folded as a copy: {d}"
            );
        }
    }
    assert!(copies >= 10, "{copies}");
    // Near copies with a changed number say what changed.
    assert!(
        s.docs
            .iter()
            .any(|d| d["edited"] == true
                && d["differences"].as_array().is_some_and(|a| !a.is_empty())),
        "no edited copy reported"
    );
}

#[test]
fn demo_corpus_stories_match_the_manifest() {
    let s = demo_store();
    let m = manifest();
    let (mut pred, mut gold) = (vec![], vec![]);
    for d in &s.docs {
        if let Some((story, _, _)) = m.get(&manifest_key(d["source"].as_str().unwrap())) {
            pred.push(d["story"].as_u64().unwrap());
            gold.push(story.clone());
        }
    }
    let (p, r, f) = rasd_stories::bcubed(&pred, &gold);
    eprintln!(
        "demo corpus BCubed: P {p:.3} R {r:.3} F1 {f:.3} over {} docs",
        pred.len()
    );
    // Measured 0.98 / 0.86 / 0.91 when written; the misses are undated pages and
    // next-day follow-ups opening their own story. Precision matters most: unrelated
    // events, and the same ministers in another event months later, must not merge.
    assert!(p >= 0.95, "BCubed precision {p:.3}");
    assert!(f >= 0.85, "BCubed F1 {f:.3}");

    let stories = json_lines(&rasd(&s.db, &["stories", "--json"]));
    assert!(stories.len() >= 11, "{}", stories.len());
    for st in &stories {
        for field in [
            "id",
            "title",
            "docs",
            "first_seen",
            "last_seen",
            "outlets",
            "key_terms",
        ] {
            assert!(st.get(field).is_some(), "story lacks {field}: {st}");
        }
        assert!(!st["docs"].as_array().unwrap().is_empty());
    }
    let one = &stories[0];
    let shown = json_lines(&rasd(&s.db, &["story", &one["id"].to_string(), "--json"]));
    assert_eq!(shown[0]["docs"], one["docs"]);
}

#[test]
fn documents_carry_the_promised_fields_and_decoded_text() {
    let s = demo_store();
    for d in &s.docs {
        for field in [
            "id",
            "source",
            "title",
            "published",
            "outlet",
            "body",
            "removed",
            "duplicate_of",
            "story",
        ] {
            assert!(d.get(field).is_some(), "document lacks {field}: {d}");
        }
        let body = d["body"].as_str().unwrap();
        assert!(
            body.chars()
                .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
                .count()
                > 100
        );
        assert!(
            !body.contains('\u{FFFD}'),
            "replacement characters in {}",
            d["source"]
        );
    }
    let encodings: HashSet<&str> = s
        .docs
        .iter()
        .map(|d| d["encoding"].as_str().unwrap())
        .collect();
    for e in ["UTF-8", "windows-1256", "UTF-16LE", "ISO-8859-6"] {
        assert!(
            encodings.contains(e),
            "no page decoded from {e}: {encodings:?}"
        );
    }
    // Boilerplate is kept aside, not lost.
    assert!(s
        .docs
        .iter()
        .any(|d| !d["removed"].as_array().unwrap().is_empty()));
    let one = json_lines(&rasd(
        &s.db,
        &["doc", s.docs[0]["id"].as_str().unwrap(), "--json"],
    ));
    assert_eq!(one[0], s.docs[0]);
    let export = rasd(&s.db, &["export", "--format", "jsonl"]);
    assert_eq!(json_lines(&export), s.docs);
}

#[test]
fn ingest_is_idempotent() {
    let s = demo_store();
    let corpus = repo_root().join("demo/corpus");
    let again = rasd(&s.db, &["ingest", "--json", corpus.to_str().unwrap()]);
    let summary = &json_lines(&again)[0];
    assert_eq!(summary["new"], 0, "{summary}");
    assert_eq!(summary["duplicates"], 0, "{summary}");
    assert_eq!(
        summary["already_stored"].as_u64().unwrap(),
        s.docs.len() as u64 + 1
    ); // + the truncated file's recovered line
    let docs = json_lines(&rasd(&s.db, &["docs", "--json"]));
    assert_eq!(docs.len(), s.docs.len());
    let status = &json_lines(&rasd(&s.db, &["status", "--json"]))[0];
    assert_eq!(status["indexed"], status["docs"]);
}

#[test]
fn search_is_arabic_aware() {
    let s = demo_store();
    let search = |q: &str| {
        json_lines(&rasd(
            &s.db,
            &["search", q, "--json", "--limit", "50", "--all"],
        ))
    };
    let body = |id: &str| {
        s.docs
            .iter()
            .find(|d| d["id"] == id)
            .map(|d| format!("{} {}", d["title"], d["body"]))
            .unwrap()
    };
    // A spelling the document never uses finds it.
    let hits = search("الأميركية");
    assert!(
        hits.iter().any(|h| {
            let b = body(h["id"].as_str().unwrap());
            b.contains("الأمريكية") && !b.contains("الأميركية")
        }),
        "الأميركية did not find a page that only writes الأمريكية"
    );
    // An inflection finds the other forms.
    let hits = search("مباحثات");
    assert!(hits
        .iter()
        .any(|h| body(h["id"].as_str().unwrap()).contains("المباحثات")));
    for h in &hits {
        for field in ["id", "title", "score", "snippet"] {
            assert!(h.get(field).is_some(), "hit lacks {field}");
        }
        assert!(h["snippet"].as_str().unwrap().contains("<mark>"), "{h}");
    }
    // Ranked: scores never increase.
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(search("كلمةلاوجودلها").is_empty());
    // Copies are folded by default.
    let folded = json_lines(&rasd(
        &s.db,
        &["search", "الزلزال", "--json", "--limit", "50"],
    ));
    assert!(folded.iter().all(|h| h["duplicate_of"].is_null()));
}

#[test]
fn bad_inputs_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let good = "محادثات سرية في عمان\n\nكشف مسؤولون عن عقد محادثات سرية في العاصمة الأردنية بهدف إقامة منطقة لتخفيف التوتر، وقالت المصادر إن الجولة الثالثة تأجلت لأسباب فنية.\n";
    std::fs::write(inputs.join("good.txt"), good).unwrap();
    std::fs::write(inputs.join("empty.txt"), "").unwrap();
    std::fs::write(
        inputs.join("junk.html"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0].repeat(50),
    )
    .unwrap();
    std::fs::write(
        inputs.join("bad.jsonl"),
        "{\"url\": \"https://x.example/1\", \"html\": \n",
    )
    .unwrap();
    let db = dir.path().join("db");
    let out = rasd(
        &db,
        &[
            "ingest",
            inputs.to_str().unwrap(),
            inputs.join("missing.txt").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["empty.txt", "junk.html", "bad.jsonl:1", "missing.txt"] {
        let line = stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not reported: {stderr}"));
        assert!(line.starts_with("failed: "), "{line}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    let docs = json_lines(&rasd(&db, &["docs", "--json"]));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["title"], "محادثات سرية في عمان");
    // A store that does not exist is an error with a hint, not an empty answer.
    let none = rasd(&dir.path().join("nowhere"), &["docs"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no store at"));
}

#[test]
fn a_killed_ingest_loses_nothing_and_a_rerun_completes_it() {
    // Many small pages in one JSONL file, so that the kill lands mid-ingest.
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    let mut lines = String::new();
    let n = 3000;
    for i in 0..n {
        let text = format!(
            "خبر رقم {i} عن اجتماع اللجنة {}\n\nقال مسؤول إن اللجنة رقم {i} ناقشت ملف المياه {} والطاقة في جلسة مطولة امتدت حتى المساء، وإن القرار النهائي سيعلن لاحقا بعد التشاور مع الأطراف.",
            i * 7,
            i % 13
        );
        lines.push_str(
            &serde_json::json!({"url": format!("https://x.example/{i}"), "text": text}).to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&feed, lines).unwrap();
    let db = dir.path().join("db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .arg("--db")
        .arg(&db)
        // Batches of 500 pages: the kill lands between commits.
        .args([
            "--quiet",
            "ingest",
            "--batch-pages",
            "500",
            feed.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    // Kill it as soon as a first batch has been committed (or give up waiting after a while).
    let sqlite = db.join("rasd.sqlite");
    let start = std::time::Instant::now();
    loop {
        let committed = committed_docs(&sqlite);
        if committed > 0 || start.elapsed().as_secs() > 60 {
            break;
        }
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    let before = committed_docs(&sqlite);
    eprintln!("killed with {before} of {n} documents committed");
    assert!(
        before < n as u64,
        "the kill came after the ingest had finished"
    );
    // The re-run completes the job.
    let out = rasd(&db, &["ingest", "--json", feed.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = &json_lines(&rasd(&db, &["status", "--json"]))[0];
    assert_eq!(status["docs"], n, "{status}");
    assert_eq!(status["indexed"], n, "{status}");
    let hits = json_lines(&rasd(&db, &["search", "اللجنة", "--json", "--limit", "5"]));
    assert_eq!(hits.len(), 5);
}

/// Committed documents, read through the CLI (0 while the store does not exist yet).
fn committed_docs(sqlite: &Path) -> u64 {
    if !sqlite.exists() {
        return 0;
    }
    let db = sqlite.parent().unwrap();
    let out = rasd(db, &["status", "--json"]);
    json_lines(&out)
        .first()
        .and_then(|v| v["docs"].as_u64())
        .unwrap_or(0)
}

#[test]
fn seeds_group_the_same_event_and_separate_the_others() {
    let seeds = repo_root().join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!(
            "skipping: {} is absent (it sits beside the checkout in CI)",
            seeds.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let out = rasd(&db, &["ingest", seeds.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let docs = json_lines(&rasd(&db, &["docs", "--json"]));
    let story = |prefix: &str| {
        docs.iter()
            .find(|d| manifest_key(d["source"].as_str().unwrap()).starts_with(prefix))
            .map(|d| d["story"].as_u64().unwrap())
            .unwrap_or_else(|| panic!("seed {prefix} not stored"))
    };
    assert_eq!(
        story("000"),
        story("001"),
        "000 and 001 report the same talks"
    );
    assert_ne!(story("003"), story("000"));
    assert_ne!(story("004"), story("000"));
    assert_ne!(story("003"), story("004"));
    // Text cleaning on real pages.
    let doc = |prefix: &str| {
        docs.iter()
            .find(|d| manifest_key(d["source"].as_str().unwrap()).starts_with(prefix))
            .unwrap()
            .clone()
    };
    assert_eq!(doc("000")["published"], "2017-06-10T10:57:00");
    assert_eq!(doc("000")["outlet"], "سيريانيوز");
    assert!(doc("001")["title"]
        .as_str()
        .unwrap()
        .starts_with("محادثات سرية أمريكية روسية"));
    assert!(!doc("001")["body"].as_str().unwrap().contains("اترك تعليقاً"));
    assert!(!doc("004")["title"].as_str().unwrap().contains("9000"));
    assert_eq!(doc("004")["original_source"], "الشرق الأوسط");
    assert!(!doc("004")["body"]
        .as_str()
        .unwrap()
        .contains("رأس النظام يلتقي"));
}

#[test]
fn documents_and_stories_carry_entities_and_dates() {
    let s = demo_store();
    // p2-mashriq-03 reports a cup final in Radès, Tunisia, "مساء اليوم الأحد", published 2023-06-11.
    let doc = s
        .docs
        .iter()
        .find(|d| manifest_key(d["source"].as_str().unwrap()) == "p2-mashriq-03.txt")
        .expect("the cup-final page is stored");
    let entities = doc["entities"].as_array().unwrap();
    let text = format!(
        "{}\n\n{}",
        doc["title"].as_str().unwrap(),
        doc["body"].as_str().unwrap()
    );
    for e in entities {
        let (start, end) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], e["text"].as_str().unwrap(), "{e}");
        assert!(["PER", "ORG", "LOC", "MISC"].contains(&e["type"].as_str().unwrap()));
        assert!(!e["canonical"].as_str().unwrap().is_empty());
    }
    let tunisia: Vec<&Value> = entities
        .iter()
        .filter(|e| e["text"] == "تونس" && e["type"] == "LOC")
        .collect();
    assert!(!tunisia.is_empty(), "تونس is a place: {entities:?}");
    let ids: HashSet<&str> = tunisia
        .iter()
        .map(|e| e["canonical"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "every تونس meets on one entity: {ids:?}");

    // "مساء اليوم الأحد" resolves against the stated date (Sunday 2023-06-11; TIMEX3 `TEV`, evening).
    let dates = doc["dates"].as_array().unwrap();
    let sunday = dates
        .iter()
        .find(|t| t["text"].as_str().unwrap().contains("الأحد"))
        .unwrap_or_else(|| panic!("الأحد is a date: {dates:?}"));
    assert!(
        sunday["value"].as_str().unwrap().starts_with("2023-06-11"),
        "{sunday}"
    );
    assert_eq!(sunday["anchor_kind"], "published");
    assert!(
        doc["date_estimate"].is_null(),
        "a dated page gets no estimate"
    );

    // The store lists the entity with its mentions, and the story shows it with a timeline.
    let tunisia_id = *ids.iter().next().unwrap();
    let listed = json_lines(&rasd(&s.db, &["entities", "--json", "--limit", "500"]));
    let row = listed
        .iter()
        .find(|e| e["id"] == tunisia_id)
        .unwrap_or_else(|| panic!("{tunisia_id} listed"));
    assert!(row["mentions"].as_u64().unwrap() >= tunisia.len() as u64);
    let story = doc["story"].as_u64().unwrap().to_string();
    let st = json_lines(&rasd(&s.db, &["story", &story, "--json"])).remove(0);
    assert!(
        st["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == tunisia_id),
        "{st}"
    );
    assert!(
        st["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["date"].as_str().unwrap().starts_with("2023-06-11")),
        "{st}"
    );
}
