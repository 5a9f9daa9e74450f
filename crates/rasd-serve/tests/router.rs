//! The router through `tower::ServiceExt::oneshot`: API shapes, status codes, JSON errors,
//! the write token, size limits, path traversal, and escaping of hostile page text.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use rasd_serve::{App, Config, IngestFn};
use rasd_store::{DocRecord, NewDoc, Store, StoryRecord, StoryRow};
use rasd_types::{
    Article, Entity, EntityMention, EntityType, MentionKind, RawPage, Removed, TimeExpression,
    TimexType,
};
use serde_json::Value;
use tower::ServiceExt;

const HOSTILE: &str = "<script>alert(\"x\")</script>\" onmouseover=\"alert(1)";
const ENTITY_ID: &str = "per:بيسكوف-دميتري";

fn article(title: &str, body: &str, outlet: &str, published: &str) -> Article {
    Article {
        source: format!("test/{outlet}.txt"),
        url: Some("javascript:alert(1)".into()),
        title: Some(title.to_string()),
        published: Some(published.to_string()),
        modified: None,
        author: None,
        outlet: Some(outlet.to_string()),
        original_source: None,
        lang: Some("ar".into()),
        encoding: "UTF-8".into(),
        body: body.to_string(),
        paragraphs: vec![body.to_string()],
        removed: vec![Removed {
            kind: "comment_form".into(),
            text: format!("اترك تعليقاً {HOSTILE}"),
        }],
        evidence: vec![],
    }
}

/// A mention of `needle` in `body` with offsets into `title + "\n\n" + body`.
fn mention(title: &str, body: &str, needle: &str) -> EntityMention {
    let start = title.len() + 2 + body.find(needle).unwrap();
    EntityMention {
        text: needle.to_string(),
        start,
        end: start + needle.len(),
        kind: EntityType::Per,
        mention: MentionKind::Name,
        canonical: ENTITY_ID.to_string(),
        name: format!("بيسكوف {HOSTILE}"),
    }
}

fn new_doc(key: u64, id: &str, a: Article, day: i32, story: u64) -> NewDoc {
    let mut record = DocRecord::new(id, a, "2026-01-01T00:00:00Z");
    record.story = Some(story);
    NewDoc {
        key,
        record,
        published_day: Some(day),
        fingerprint: vec![1],
        views: None,
        entity_defs: Vec::new(),
    }
}

/// A store with three documents in one story (one a copy), a hostile title and outlet.
fn build_store(dir: &std::path::Path) {
    let mut store = Store::open(dir).unwrap();
    let t1 = format!("محادثات أستانا {HOSTILE}");
    let b1 = format!("قال دميتري بيسكوف إن المحادثات في أستانا يوم 10 يونيو كانت مفيدة. {HOSTILE}");
    let mut d1 = new_doc(
        1,
        "00000000000000a1",
        article(&t1, &b1, "وكالة <b>\"أ\"</b>", "2017-06-10T10:57:00"),
        17327,
        1,
    );
    d1.record.entities = vec![mention(&t1, &b1, "دميتري بيسكوف")];
    let ds = t1.len() + 2 + b1.find("يوم 10 يونيو").unwrap();
    d1.record.dates = vec![TimeExpression {
        text: "يوم 10 يونيو".into(),
        start: ds,
        end: ds + "يوم 10 يونيو".len(),
        kind: TimexType::Date,
        value: Some("2017-06-10\"><script>x</script>".into()),
        granularity: "day".into(),
        anchor: None,
        anchor_kind: Default::default(),
    }];
    d1.entity_defs = vec![Entity {
        id: ENTITY_ID.into(),
        kind: EntityType::Per,
        name: format!("بيسكوف {HOSTILE}"),
        aliases: vec!["ديمتري بيسكوف".into()],
        geonames_id: None,
        lat: None,
        lon: None,
    }];
    let t2 = "روسيا وأمريكا تبحثان المحادثات السورية".to_string();
    let b2 = "بحث الجانبان المحادثات السورية في جنيف.".to_string();
    let d2 = new_doc(
        2,
        "00000000000000a2",
        article(&t2, &b2, "صحيفة ب", "2017-07-02T09:00:00"),
        17349,
        1,
    );
    let mut d3 = new_doc(
        3,
        "00000000000000a3",
        article(&t1, &b1, "موقع ج", "2017-06-11T08:00:00"),
        17328,
        1,
    );
    d3.record.duplicate_of = Some("00000000000000a1".into());
    d3.record.duplicate_kind = Some("near".into());
    d3.record.similarity = Some(0.93);
    d3.record.edited = true;
    d3.record.differences = vec![format!("10 → 11 {HOSTILE}")];
    let story = StoryRow {
        record: StoryRecord {
            id: 1,
            title: Some(t1.clone()),
            rep_doc: Some("00000000000000a1".into()),
            docs: vec![],
            first_seen: Some("2017-06-10".into()),
            last_seen: Some("2017-07-02".into()),
            size: 3,
            outlets: vec![format!("وكالة {HOSTILE}"), "صحيفة ب".into()],
            key_terms: vec!["محادث".into()],
        },
        rep_score: 0.5,
        state: vec![],
    };
    store.write_batch(vec![d1, d2, d3], &[story], &[]).unwrap();
}

struct Fixture {
    _dir: tempfile::TempDir,
    router: Router,
    ingested: Arc<Mutex<Vec<RawPage>>>,
}

fn fixture(token: Option<&str>, max_body: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    build_store(dir.path());
    let ingested: Arc<Mutex<Vec<RawPage>>> = Arc::default();
    let seen = ingested.clone();
    let ingest: IngestFn = Arc::new(move |pages: Vec<RawPage>| {
        let n = pages.len();
        seen.lock().unwrap().extend(pages);
        Ok(serde_json::json!({"new": n}))
    });
    let mut config = Config::new(dir.path());
    config.token = token.map(str::to_string);
    config.readers = 2;
    config.max_body_bytes = max_body;
    let app = App::open(config, Some(ingest)).unwrap();
    Fixture {
        _dir: dir,
        router: rasd_serve::router(app),
        ingested,
    }
}

async fn get(r: &Router, uri: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    send(r, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn send(r: &Router, req: Request<Body>) -> (StatusCode, String, axum::http::HeaderMap) {
    let resp = r.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        headers,
    )
}

async fn get_json(r: &Router, uri: &str) -> (StatusCode, Value) {
    let (s, body, h) = get(r, uri).await;
    assert_eq!(
        h.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "{uri}: {body}"
    );
    (s, serde_json::from_str(&body).unwrap())
}

fn enc(s: &str) -> String {
    rasd_serve::html::pct(s)
}

#[tokio::test]
async fn api_lists_documents_and_stories_with_pagination() {
    let f = fixture(None, 1 << 20);
    let (s, v) = get_json(&f.router, "/api/docs?limit=2").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["total"], 3);
    assert_eq!(v["docs"].as_array().unwrap().len(), 2);
    // Most recent first.
    assert_eq!(v["docs"][0]["id"], "00000000000000a2");
    let (_, v) = get_json(&f.router, "/api/docs?limit=2&offset=2").await;
    assert_eq!(v["docs"].as_array().unwrap().len(), 1);

    let (s, v) = get_json(&f.router, "/api/docs/00000000000000a1").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["entities"][0]["canonical"], ENTITY_ID);

    let (s, v) = get_json(&f.router, "/api/stories").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["total"], 1);
    let (s, v) = get_json(&f.router, "/api/stories/1").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["story"]["id"], 1);
    assert_eq!(v["documents"].as_array().unwrap().len(), 3);
    assert_eq!(v["entities"][0]["id"], ENTITY_ID);
}

#[tokio::test]
async fn api_errors_are_json_with_the_right_status() {
    let f = fixture(None, 1 << 20);
    for (uri, status) in [
        ("/api/docs/0000000000000000", StatusCode::NOT_FOUND),
        ("/api/stories/999", StatusCode::NOT_FOUND),
        ("/api/stories/abc", StatusCode::BAD_REQUEST),
        ("/api/docs?limit=many", StatusCode::BAD_REQUEST),
        ("/api/search", StatusCode::BAD_REQUEST),
        (
            "/api/search?q=%D8%A3&from=2017-13-40",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/search?q=x&story=seven", StatusCode::BAD_REQUEST),
        ("/api/entities?type=BOGUS", StatusCode::BAD_REQUEST),
        ("/api/entities/nobody", StatusCode::NOT_FOUND),
        ("/api/nothing-here", StatusCode::NOT_FOUND),
    ] {
        let (s, v) = get_json(&f.router, uri).await;
        assert_eq!(s, status, "{uri}: {v}");
        assert_eq!(v["status"], status.as_u16(), "{uri}");
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{uri}");
    }
}

#[tokio::test]
async fn api_search_filters_paginates_and_counts_facets() {
    let f = fixture(None, 1 << 20);
    let q = enc("المحادثات");
    let (s, v) = get_json(&f.router, &format!("/api/search?q={q}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"], 2, "{v}"); // the copy is folded
    assert!(v["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"));
    let outlets: Vec<&str> = v["facets"]["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    assert_eq!(outlets.len(), 2, "{outlets:?}");
    assert_eq!(v["facets"]["entities"][0]["value"], ENTITY_ID);
    assert_eq!(v["facets"]["months"][0]["value"], "2017-06");

    let (_, v) = get_json(&f.router, &format!("/api/search?q={q}&all=1")).await;
    assert_eq!(v["total"], 3);
    let (_, v) = get_json(
        &f.router,
        &format!("/api/search?q={q}&outlet={}", enc("صحيفة ب")),
    )
    .await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["id"], "00000000000000a2");
    let (_, v) = get_json(
        &f.router,
        &format!("/api/search?q={q}&from=2017-07-01&to=2017-07-31"),
    )
    .await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["id"], "00000000000000a2");
    let (_, v) = get_json(
        &f.router,
        &format!("/api/search?q={q}&entity={}", enc(ENTITY_ID)),
    )
    .await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["id"], "00000000000000a1");
    let (_, v) = get_json(&f.router, &format!("/api/search?q={q}&story=2")).await;
    assert_eq!(v["total"], 0);
    let (_, v) = get_json(&f.router, &format!("/api/search?q={q}&limit=1&offset=1")).await;
    assert_eq!(v["hits"].as_array().unwrap().len(), 1);
    assert_eq!(v["total"], 2);
}

#[tokio::test]
async fn api_entities_list_and_detail() {
    let f = fixture(None, 1 << 20);
    let (s, v) = get_json(&f.router, "/api/entities?type=per").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["entities"][0]["id"], ENTITY_ID);
    let (_, v) = get_json(&f.router, "/api/entities?type=LOC").await;
    assert!(v["entities"].as_array().unwrap().is_empty());
    let (s, v) = get_json(&f.router, &format!("/api/entities/{}", enc(ENTITY_ID))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["summary"]["mentions"], 1);
    assert_eq!(v["by_day"][0][0], "2017-06-10");
}

fn post(uri: &str, token: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::post(uri).header("content-type", "application/json");
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(body.into()).unwrap()
}

#[tokio::test]
async fn ingest_needs_the_token_and_refuses_writes_without_one() {
    let page = r#"{"text": "نص خبر جديد عن المحادثات", "outlet": "وكالة"}"#;
    // No token configured: every write refused.
    let f = fixture(None, 1 << 20);
    let (s, body, _) = send(&f.router, post("/api/ingest", Some("anything"), page)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(f.ingested.lock().unwrap().is_empty());

    let f = fixture(Some("s3cret"), 4096);
    for token in [None, Some("wrong"), Some("s3cre"), Some("s3cret2")] {
        let (s, body, _) = send(&f.router, post("/api/ingest", token, page)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{token:?}: {body}");
    }
    assert!(f.ingested.lock().unwrap().is_empty());
    for (bad, want) in [
        ("{not json", StatusCode::BAD_REQUEST),
        ("[]", StatusCode::BAD_REQUEST),
        ("42", StatusCode::BAD_REQUEST),
        (r#"{"url": "https://x"}"#, StatusCode::BAD_REQUEST),
        (r#"[{"text": "x", "outlet": 5}]"#, StatusCode::BAD_REQUEST),
    ] {
        let (s, body, _) = send(&f.router, post("/api/ingest", Some("s3cret"), bad)).await;
        assert_eq!(s, want, "{bad}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["status"], want.as_u16());
    }
    // Over the size limit: 413, as JSON.
    let big = format!(r#"{{"text": "{}"}}"#, "ا".repeat(5000));
    let (s, body, _) = send(&f.router, post("/api/ingest", Some("s3cret"), big)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["status"], 413);
    assert!(f.ingested.lock().unwrap().is_empty());

    let batch = format!("[{page}, {{\"html\": \"<p>خبر</p>\", \"url\": \"https://x.test/1\"}}]");
    let (s, body, _) = send(&f.router, post("/api/ingest", Some("s3cret"), batch)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["pages"], 2);
    assert_eq!(v["summary"]["new"], 2);
    let seen = f.ingested.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].outlet.as_deref(), Some("وكالة"));
    assert_eq!(seen[1].url.as_deref(), Some("https://x.test/1"));
}

#[tokio::test]
async fn path_traversal_finds_nothing() {
    let f = fixture(None, 1 << 20);
    for uri in [
        "/docs/..%2F..%2Fetc%2Fpasswd",
        "/docs/../../etc/passwd",
        "/static/..%2F..%2FCargo.toml",
        "/static/../../../../etc/passwd",
        "/entities/..%2F..%2Fetc%2Fpasswd",
        "/api/docs/..%2F..%2Fetc%2Fpasswd",
        "/stories/..%2F1",
    ] {
        let (s, body, _) = get(&f.router, uri).await;
        assert!(
            s == StatusCode::NOT_FOUND || s == StatusCode::BAD_REQUEST,
            "{uri}: {s}"
        );
        assert!(!body.contains("root:"), "{uri}");
        assert!(!body.contains("[workspace]"), "{uri}");
    }
}

#[tokio::test]
async fn hostile_text_is_escaped_on_every_page() {
    let f = fixture(None, 1 << 20);
    let pages = [
        "/".to_string(),
        "/stories/1".to_string(),
        "/docs/00000000000000a1".to_string(),
        "/docs/00000000000000a3".to_string(),
        format!("/search?q={}&all=1", enc("المحادثات")),
        format!("/search?q={}", enc(HOSTILE)),
        "/entities".to_string(),
        format!("/entities/{}", enc(ENTITY_ID)),
        format!("/nowhere/{}", enc(HOSTILE)),
    ];
    for uri in pages {
        let (s, body, h) = get(&f.router, &uri).await;
        assert!(
            s == StatusCode::OK || s == StatusCode::NOT_FOUND,
            "{uri}: {s}"
        );
        assert!(body.contains("dir=\"rtl\""), "{uri}");
        assert!(!body.contains("<script>alert"), "{uri}: raw script tag");
        assert!(
            !body.contains("\" onmouseover=\""),
            "{uri}: attribute broken out of"
        );
        assert!(!body.contains("<b>\""), "{uri}: raw markup from an outlet");
        assert!(!body.contains("href=\"javascript:"), "{uri}");
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{uri}");
    }
}

#[tokio::test]
async fn pages_show_what_an_analyst_needs() {
    let f = fixture(None, 1 << 20);
    let (_, home, _) = get(&f.router, "/").await;
    assert!(home.contains("href=\"/stories/1\""));
    assert!(home.contains("<time>2017-06-10</time> – <time>2017-07-02</time>"));
    assert!(home.contains("3 وثيقة"));
    assert!(home.contains(&format!("href=\"/entities/{}\"", enc(ENTITY_ID))));

    let (_, story, _) = get(&f.router, "/stories/1").await;
    assert!(story.contains("الخط الزمني"));
    assert!(
        story.contains("1 نسخة مكررة"),
        "copy folded under its original"
    );
    assert!(story.contains("10 → 11"), "what differs");
    assert!(story.contains("عُدّلت وقائع"));
    assert!(story.contains("النص الممثل"));

    let (_, doc, _) = get(&f.router, "/docs/00000000000000a1").await;
    assert!(doc.contains(&format!(
        "class=\"ent ent-per\" href=\"/entities/{}\"",
        enc(ENTITY_ID)
    )));
    assert!(doc.contains(">دميتري بيسكوف</a>"));
    assert!(doc.contains("<time class=\"timex\""));
    assert!(doc.contains(">يوم 10 يونيو</time>"));
    assert!(doc.contains("<details class=\"removed\">"));
    assert!(doc.contains("<del>اترك تعليقاً"));

    let (_, search, _) = get(&f.router, &format!("/search?q={}", enc("المحادثات"))).await;
    assert!(search.contains("<mark>"));
    assert!(search.contains("data-facet=\"outlet\""));
    assert!(search.contains("data-facet=\"month\""));
    assert!(search.contains("2 نتيجة"));

    let (_, ent, _) = get(&f.router, &format!("/entities/{}", enc(ENTITY_ID))).await;
    assert!(ent.contains("<svg class=\"chart\""));
    assert!(ent.contains("ديمتري بيسكوف"), "aliases");
    assert!(ent.contains("href=\"/stories/1\""));
}
