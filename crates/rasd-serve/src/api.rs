//! The JSON API: `/api/...`. Errors are `{"error": REASON, "status": CODE}` with that status.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rasd_store::{DocRecord, EntityQuery, SearchRequest, Store};
use rasd_types::{EntityType, PageFormat, RawPage};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::App;

/// An API error: an HTTP status and a one-line reason, sent as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub reason: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, reason: impl Into<String>) -> ApiError {
        ApiError {
            status,
            reason: reason.into(),
        }
    }
    pub(crate) fn not_found(what: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, format!("no {what}"))
    }
    pub(crate) fn internal(e: impl std::fmt::Display) -> ApiError {
        eprintln!("rasd serve: {e}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("store error: {e}"),
        )
    }
    pub(crate) fn query(e: QueryRejection) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("bad query: {}", e.body_text()),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.reason, "status": self.status.as_u16()});
        (self.status, Json(body)).into_response()
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

/// Runs `f` with a pooled reader on a blocking thread.
pub(crate) async fn read<T, F>(app: &App, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&Store) -> rasd_store::Result<T> + Send + 'static,
    T: Send + 'static,
{
    let app = app.clone();
    match tokio::task::spawn_blocking(move || app.inner.pool.with(f)).await {
        Ok(Ok(Ok(v))) => Ok(v),
        Ok(Ok(Err(e))) | Ok(Err(e)) => Err(ApiError::internal(e)),
        Err(e) => Err(ApiError::internal(format!("worker failed: {e}"))),
    }
}

fn to_value<T: Serialize>(v: &T) -> ApiResult {
    serde_json::to_value(v)
        .map(Json)
        .map_err(|e| ApiError::internal(format!("serializing: {e}")))
}

/// `limit` and `offset` of a listing.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub(crate) struct Page {
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

impl Page {
    pub(crate) fn limit(&self, default: usize) -> usize {
        self.limit.unwrap_or(default).clamp(1, 200)
    }
    pub(crate) fn offset(&self) -> usize {
        self.offset.unwrap_or(0).min(1_000_000_000)
    }
}

pub(crate) async fn status(State(app): State<App>) -> ApiResult {
    let (c, indexed) = read(&app, |s| Ok((s.counts()?, s.indexed_docs()))).await?;
    Ok(Json(json!({
        "docs": c.docs, "duplicates": c.duplicates, "stories": c.stories,
        "failures": c.failures, "indexed": indexed,
        "writes": app.config().token.is_some(),
    })))
}

pub(crate) async fn docs(
    State(app): State<App>,
    q: Result<Query<Page>, QueryRejection>,
) -> ApiResult {
    let Query(p) = q.map_err(ApiError::query)?;
    let (limit, offset) = (p.limit(20), p.offset());
    let (docs, total) = read(&app, move |s| {
        Ok((s.docs_page(limit, offset)?, s.counts()?.docs))
    })
    .await?;
    Ok(Json(
        json!({"docs": docs, "limit": limit, "offset": offset, "total": total}),
    ))
}

pub(crate) async fn doc(State(app): State<App>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    match read(&app, move |s| s.doc(&key)).await? {
        Some(d) => to_value(&d),
        None => Err(ApiError::not_found(format!("document with id {id:?}"))),
    }
}

pub(crate) async fn stories(
    State(app): State<App>,
    q: Result<Query<Page>, QueryRejection>,
) -> ApiResult {
    let Query(p) = q.map_err(ApiError::query)?;
    let (limit, offset) = (p.limit(20), p.offset());
    let (stories, total) = read(&app, move |s| {
        Ok((s.stories_page(limit, offset)?, s.counts()?.stories))
    })
    .await?;
    Ok(Json(
        json!({"stories": stories, "limit": limit, "offset": offset, "total": total}),
    ))
}

/// A document as listed in a story: what a timeline needs, without the text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocBrief {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub duplicate_of: Option<String>,
    pub duplicate_kind: Option<String>,
    pub similarity: Option<f64>,
    pub edited: bool,
    pub differences: Vec<String>,
}

impl From<&DocRecord> for DocBrief {
    fn from(d: &DocRecord) -> DocBrief {
        DocBrief {
            id: d.id.clone(),
            title: d.article.title.clone(),
            published: d.article.published.clone(),
            outlet: d.article.outlet.clone(),
            duplicate_of: d.duplicate_of.clone(),
            duplicate_kind: d.duplicate_kind.clone(),
            similarity: d.similarity,
            edited: d.edited,
            differences: d.differences.clone(),
        }
    }
}

pub(crate) async fn story(State(app): State<App>, Path(id): Path<String>) -> ApiResult {
    let Ok(n) = id.parse::<u64>() else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("story id {id:?} is not a number"),
        ));
    };
    let found = read(&app, move |s| {
        let Some(story) = s.story(n)? else {
            return Ok(None);
        };
        let docs: Vec<DocBrief> = s.story_docs(n)?.iter().map(DocBrief::from).collect();
        Ok(Some((story, docs, s.story_entities(n, 20)?)))
    })
    .await?;
    match found {
        Some((story, docs, entities)) => Ok(Json(
            json!({"story": story, "documents": docs, "entities": entities}),
        )),
        None => Err(ApiError::not_found(format!("story with id {n}"))),
    }
}

/// Query parameters of a search (the page and the API share them).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SearchParams {
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outlet: Option<String>,
    pub entity: Option<String>,
    pub story: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub all: Option<String>,
}

impl SearchParams {
    /// The store request; empty fields mean no filter. A bad date or story is an error.
    pub(crate) fn request(&self) -> Result<SearchRequest, String> {
        let some = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let day = |v: &Option<String>, name: &str| -> Result<Option<String>, String> {
            match some(v) {
                Some(d) if rasd_store::day_number(&d).is_none() || d.len() != 10 => {
                    Err(format!("{name} must be a day as YYYY-MM-DD, not {d:?}"))
                }
                other => Ok(other),
            }
        };
        let story = match some(&self.story) {
            Some(s) => Some(
                s.parse::<u64>()
                    .map_err(|_| format!("story must be a story id, not {s:?}"))?,
            ),
            None => None,
        };
        Ok(SearchRequest {
            q: self.q.clone().unwrap_or_default(),
            limit: self.limit.unwrap_or(10).clamp(1, SearchRequest::MAX_LIMIT),
            offset: self.offset.unwrap_or(0),
            include_duplicates: matches!(self.all.as_deref(), Some("1" | "true" | "on")),
            from: day(&self.from, "from")?,
            to: day(&self.to, "to")?,
            outlet: some(&self.outlet),
            entity: some(&self.entity),
            story,
        })
    }
}

pub(crate) async fn search(
    State(app): State<App>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult {
    let Query(p) = q.map_err(ApiError::query)?;
    let req = p
        .request()
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e))?;
    if req.q.trim().is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "missing query: pass ?q=WORDS",
        ));
    }
    let page = read(&app, move |s| s.search_page(&req)).await?;
    to_value(&page)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct EntityParams {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// An entity type from its tag (`PER`, `org`, …).
pub(crate) fn entity_type(tag: &str) -> Option<EntityType> {
    match tag.to_ascii_uppercase().as_str() {
        "PER" => Some(EntityType::Per),
        "ORG" => Some(EntityType::Org),
        "LOC" => Some(EntityType::Loc),
        "MISC" => Some(EntityType::Misc),
        _ => None,
    }
}

pub(crate) fn entity_query(p: &EntityParams) -> Result<EntityQuery, ApiError> {
    let kind = match p.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(t) => Some(entity_type(t).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("type must be PER, ORG, LOC or MISC, not {t:?}"),
            )
        })?),
        None => None,
    };
    Ok(EntityQuery {
        kind,
        limit: p.limit.unwrap_or(50).clamp(1, 200),
        offset: p.offset.unwrap_or(0).min(1_000_000_000),
    })
}

pub(crate) async fn entities(
    State(app): State<App>,
    q: Result<Query<EntityParams>, QueryRejection>,
) -> ApiResult {
    let Query(p) = q.map_err(ApiError::query)?;
    let eq = entity_query(&p)?;
    let list = read(&app, move |s| s.entities(&eq)).await?;
    Ok(Json(
        json!({"entities": list, "limit": eq.limit, "offset": eq.offset}),
    ))
}

pub(crate) async fn entity(State(app): State<App>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    match read(&app, move |s| s.entity(&key)).await? {
        Some(e) => to_value(&e),
        None => Err(ApiError::not_found(format!("entity with id {id:?}"))),
    }
}

/// Whether the request carries the configured token (`Authorization: Bearer T` or
/// `X-Rasd-Token: T`), compared in constant time.
fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| headers.get("x-rasd-token").and_then(|v| v.to_str().ok()));
    match given {
        Some(g) => {
            let (a, b) = (g.trim().as_bytes(), token.as_bytes());
            a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
        }
        None => false,
    }
}

/// Pages from a `POST /api/ingest` body: one JSON object or an array of them, each
/// `{"html" | "text", "url"?, "published"?, "outlet"?, "source"?}` (the JSONL input format).
///
/// ```
/// let v = serde_json::json!([{"text": "نص الخبر", "outlet": "وكالة"}]);
/// let pages = rasd_serve::parse_pages(&v, 10).unwrap();
/// assert_eq!(pages[0].outlet.as_deref(), Some("وكالة"));
/// assert!(rasd_serve::parse_pages(&serde_json::json!({"url": "x"}), 10).is_err());
/// ```
pub fn parse_pages(body: &Value, max: usize) -> Result<Vec<RawPage>, String> {
    let items: Vec<&Value> = match body {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![body],
        _ => return Err("the body must be a JSON page object or an array of them".into()),
    };
    if items.is_empty() {
        return Err("the batch is empty".into());
    }
    if items.len() > max {
        return Err(format!(
            "the batch holds {} pages; at most {max} are accepted",
            items.len()
        ));
    }
    let mut pages = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Some(obj) = item.as_object() else {
            return Err(format!("page {i}: not a JSON object"));
        };
        let field = |k: &str| -> Result<Option<String>, String> {
            match obj.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
                Some(_) => Err(format!("page {i}: {k:?} must be a string")),
            }
        };
        let (content, format) = match (obj.get("html"), obj.get("text")) {
            (Some(Value::String(h)), _) => (h, PageFormat::Html),
            (_, Some(Value::String(t))) => (t, PageFormat::Text),
            _ => return Err(format!("page {i}: no \"html\" or \"text\" string")),
        };
        let url = field("url")?;
        let source = field("source")?
            .or_else(|| url.clone())
            .unwrap_or_else(|| "api/ingest".to_string());
        let mut page = RawPage::new(source, content.as_bytes().to_vec(), format);
        page.declared_charset = Some("utf-8".to_string());
        page.url = url;
        page.published = field("published")?;
        page.outlet = field("outlet")?;
        pages.push(page);
    }
    Ok(pages)
}

pub(crate) async fn ingest(
    State(app): State<App>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let Some(token) = app.config().token.as_deref() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writes are disabled: start rasd serve with --token or RASD_TOKEN",
        ));
    };
    if !authorized(&headers, token) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or wrong token: send Authorization: Bearer TOKEN",
        ));
    }
    let body = body.map_err(|e| {
        ApiError::new(
            e.status(),
            format!("cannot read the body: {}", e.body_text()),
        )
    })?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("malformed JSON: {e}")))?;
    let pages = parse_pages(&value, app.config().max_batch)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e))?;
    let Some(run) = app.inner.ingest.clone() else {
        return Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "this server has no ingest pipeline",
        ));
    };
    let n = pages.len();
    let _writer = app.inner.write_lock.lock().await;
    let result = tokio::task::spawn_blocking(move || run(pages)).await;
    app.inner.pool.bump();
    match result {
        Ok(Ok(summary)) => Ok(Json(json!({"pages": n, "summary": summary}))),
        Ok(Err(e)) => Err(ApiError::internal(format!("ingest failed: {e:#}"))),
        Err(e) => Err(ApiError::internal(format!("ingest worker failed: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_params_become_requests_or_one_line_errors() {
        let p = SearchParams {
            q: Some("محادثات".into()),
            from: Some("2017-06-01".into()),
            to: Some(" ".into()),
            story: Some("12".into()),
            limit: Some(10_000),
            all: Some("1".into()),
            ..Default::default()
        };
        let r = p.request().unwrap();
        assert_eq!(r.from.as_deref(), Some("2017-06-01"));
        assert_eq!(r.to, None);
        assert_eq!(r.story, Some(12));
        assert_eq!(r.limit, SearchRequest::MAX_LIMIT);
        assert!(r.include_duplicates);
        for bad in [
            SearchParams {
                from: Some("2017-6-1".into()),
                ..Default::default()
            },
            SearchParams {
                to: Some("yesterday".into()),
                ..Default::default()
            },
            SearchParams {
                to: Some("2017-02-30x".into()),
                ..Default::default()
            },
            SearchParams {
                story: Some("-1".into()),
                ..Default::default()
            },
        ] {
            let e = p_err(&bad);
            assert!(!e.contains('\n') && !e.is_empty(), "{e}");
        }
    }

    fn p_err(p: &SearchParams) -> String {
        p.request().err().unwrap_or_default()
    }

    #[test]
    fn token_check_needs_the_exact_token() {
        let mut h = HeaderMap::new();
        assert!(!authorized(&h, "t0k"));
        h.insert("authorization", "Bearer t0k".parse().unwrap());
        assert!(authorized(&h, "t0k"));
        assert!(!authorized(&h, "t0"));
        assert!(!authorized(&h, "t0kk"));
        let mut h = HeaderMap::new();
        h.insert("authorization", "Basic t0k".parse().unwrap());
        assert!(!authorized(&h, "t0k"));
        let mut h = HeaderMap::new();
        h.insert("x-rasd-token", "t0k".parse().unwrap());
        assert!(authorized(&h, "t0k"));
    }

    #[test]
    fn pages_parse_like_jsonl_lines() {
        let v = serde_json::json!([
            {"html": "<p>x</p>", "url": " https://a.test/1 ", "published": "2017-06-10"},
            {"text": "نص", "source": "feed:7", "outlet": ""},
        ]);
        let p = parse_pages(&v, 5).unwrap();
        assert_eq!(p[0].format, PageFormat::Html);
        assert_eq!(p[0].source, "https://a.test/1");
        assert_eq!(p[0].published.as_deref(), Some("2017-06-10"));
        assert_eq!(p[1].format, PageFormat::Text);
        assert_eq!(p[1].source, "feed:7");
        assert_eq!(p[1].outlet, None);
        assert!(parse_pages(&v, 1).unwrap_err().contains("at most 1"));
        for bad in [
            serde_json::json!("text"),
            serde_json::json!([1]),
            serde_json::json!({"text": 3}),
            serde_json::json!({"text": "x", "url": ["a"]}),
        ] {
            assert!(parse_pages(&bad, 5).is_err(), "{bad}");
        }
    }
}
