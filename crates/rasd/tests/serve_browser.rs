//! Browser test of `rasd serve`: builds the demo store, starts the server on a free loopback
//! port and drives headless Chromium through what an analyst does: open the home page,
//! search, open a story, open a document (and an entity when there is one), checking what
//! the page shows. Screenshots go to `$RASD_SCREENSHOTS`, else `$CARGO_TARGET_DIR/screenshots`,
//! else `target/screenshots/`.
//!
//! Skips (with a message) when Chromium is absent: `apt-get install -y chromium` (Debian),
//! or point `RASD_CHROMIUM` at a binary.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const RASD: &str = env!("CARGO_BIN_EXE_rasd");

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var("RASD_CHROMIUM").ok(),
        Some("/usr/bin/chromium".into()),
        Some("/usr/bin/chromium-browser".into()),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn screenshot_dir() -> PathBuf {
    if let Ok(d) = std::env::var("RASD_SCREENSHOTS") {
        return PathBuf::from(d);
    }
    if let Ok(d) = std::env::var("CARGO_TARGET_DIR") {
        return Path::new(&d).join("screenshots");
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
}

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Browser {
    bin: PathBuf,
    profile: tempfile::TempDir,
}

impl Browser {
    fn args(&self) -> Vec<String> {
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--hide-scrollbars",
            "--lang=ar",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("--user-data-dir={}", self.profile.path().display())])
        .collect()
    }

    /// The DOM after the page loaded and ran its scripts.
    fn dom(&self, url: &str) -> String {
        let out = Command::new(&self.bin)
            .args(self.args())
            .arg("--dump-dom")
            .arg(url)
            .stderr(Stdio::null())
            .output()
            .expect("running chromium");
        assert!(out.status.success(), "chromium --dump-dom {url} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screenshot(&self, url: &str, path: &Path) {
        let out = Command::new(&self.bin)
            .args(self.args())
            .arg(format!("--screenshot={}", path.display()))
            .arg("--window-size=1280,1600")
            .arg(url)
            .stderr(Stdio::null())
            .output()
            .expect("running chromium");
        assert!(out.status.success(), "chromium --screenshot {url} failed");
        let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        // A blank page compresses to a few KB; a page with text is much larger.
        assert!(len > 20_000, "{} is only {len} bytes", path.display());
    }
}

/// The first `href="PREFIX…"` in `html`, up to the closing quote.
fn first_link(html: &str, prefix: &str) -> Option<String> {
    let needle = format!("href=\"{prefix}");
    let start = html.find(&needle)? + "href=\"".len();
    let end = start + html.get(start..)?.find('"')?;
    Some(html.get(start..end)?.replace("&amp;", "&"))
}

/// What lies between the first `open` and the next `close` (empty when absent).
fn section<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let Some(i) = html.find(open) else { return "" };
    let rest = html.get(i + open.len()..).unwrap_or("");
    rest.get(..rest.find(close).unwrap_or(rest.len()))
        .unwrap_or("")
}

/// The text of the first `<h1>`.
fn h1(html: &str) -> String {
    let s = html.find("<h1").and_then(|i| html.get(i..)).unwrap_or("");
    let s = s.find('>').and_then(|i| s.get(i + 1..)).unwrap_or("");
    let e = s.find("</h1>").unwrap_or(s.len());
    s.get(..e).unwrap_or("").to_string()
}

#[test]
fn analyst_searches_opens_a_story_and_a_document() {
    let Some(bin) = chromium() else {
        eprintln!("skipping the browser test: no chromium (apt-get install -y chromium, or set RASD_CHROMIUM)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let demo = Command::new(RASD)
        .args(["--quiet", "--db"])
        .arg(&db)
        .arg("demo")
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "rasd demo: {}",
        String::from_utf8_lossy(&demo.stderr)
    );

    let mut child = Command::new(RASD)
        .args(["--quiet", "--db"])
        .arg(&db)
        .args(["serve", "--addr", "127.0.0.1:0", "--json"])
        .env_remove("RASD_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let ready: serde_json::Value =
        serde_json::from_str(&line).expect("serve --json prints its address");
    let base = ready["url"]
        .as_str()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(ready["writes"], false);

    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots).unwrap();
    let browser = Browser {
        bin,
        profile: tempfile::tempdir().unwrap(),
    };

    // Home: the latest stories.
    let home = browser.dom(&format!("{base}/"));
    assert!(home.contains("dir=\"rtl\""));
    assert!(home.contains("أحدث القصص"), "home page heading");
    let story_href = first_link(&home, "/stories/").expect("a story on the home page");
    browser.screenshot(&format!("{base}/"), &shots.join("home.png"));

    // Search for the longest word of the first story's representative text.
    let story = browser.dom(&format!("{base}{story_href}"));
    let rep = section(&story, "<section class=\"rep\">", "</section>");
    let text = section(rep, "<div class=\"text\">", "</div>");
    let word = text
        .split(|c: char| !c.is_alphabetic())
        .max_by_key(|w| w.chars().count())
        .unwrap_or("")
        .to_string();
    assert!(
        word.chars().count() >= 3,
        "a word to search for in {text:?}"
    );
    let search_url = format!("{base}/search?q={}", rasd_serve::html::pct(&word));
    let results = browser.dom(&search_url);
    assert!(
        results.contains("<mark>"),
        "highlighted snippets for {word}"
    );
    assert!(results.contains("نتيجة"), "a result count");
    assert!(results.contains("data-facet=\"outlet\""), "outlet facet");
    assert!(
        first_link(&results, "/docs/").is_some(),
        "results link to documents"
    );
    browser.screenshot(&search_url, &shots.join("search.png"));

    // The story: timeline, outlets, representative text.
    assert!(story.contains("الخط الزمني"), "story timeline");
    assert!(story.contains("النص الممثل"), "representative text");
    browser.screenshot(&format!("{base}{story_href}"), &shots.join("story.png"));

    // A document of the story: its text, and what was cut as boilerplate.
    let doc_href = first_link(&story, "/docs/").expect("a document in the story");
    let doc = browser.dom(&format!("{base}{doc_href}"));
    assert!(doc.contains("id=\"body\""), "document text");
    assert!(!h1(&doc).is_empty(), "document title");
    browser.screenshot(&format!("{base}{doc_href}"), &shots.join("document.png"));

    // An entity, when the pipeline tagged some.
    if let Some(ent_href) = first_link(&doc, "/entities/") {
        let ent = browser.dom(&format!("{base}{ent_href}"));
        assert!(ent.contains("الإشارات عبر الزمن"), "entity timeline");
        browser.screenshot(&format!("{base}{ent_href}"), &shots.join("entity.png"));
    } else {
        eprintln!("no entity links on {doc_href}: entity page not checked");
    }
    eprintln!("screenshots in {}", shots.display());
    drop(server);
}
