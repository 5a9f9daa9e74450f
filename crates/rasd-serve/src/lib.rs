//! `rasd serve`: the HTTP JSON API and the Arabic-first web UI over a rasd store.
//!
//! Reads go through a small pool of read-only [`Store`]s (SQLite in WAL mode lets them read
//! while the one writer commits; each reloads its search index when a write has happened).
//! Writes (`POST /api/ingest`) go through an [`IngestFn`] the binary supplies, so the real
//! pipeline runs; they need the token, and without one configured they are refused.
//!
//! Pages are rendered on the server; every piece of stored text is HTML-escaped
//! ([`html::esc`]). A little CSS and JS is embedded in the binary, so nothing is fetched
//! from the network and no front-end build is needed.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let app = rasd_serve::App::open(rasd_serve::Config::new("./rasd-data"), None)?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! rasd_serve::serve(listener, app).await?;
//! # Ok(()) }
//! ```

mod api;
pub mod html;
mod pages;
mod pool;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use rasd_store::Store;
use rasd_types::RawPage;

pub use api::{parse_pages, ApiError};

/// Runs the real ingest pipeline over a batch of pages and returns its summary as JSON.
/// Calls are serialised by the server (one writer at a time).
pub type IngestFn = Arc<dyn Fn(Vec<RawPage>) -> anyhow::Result<serde_json::Value> + Send + Sync>;

/// Settings of the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The store directory.
    pub db: PathBuf,
    /// The token writes need (`Authorization: Bearer TOKEN`); `None` refuses all writes.
    pub token: Option<String>,
    /// Read-only stores in the pool (each holds a SQLite connection and an index reader).
    pub readers: usize,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The most pages one `POST /api/ingest` may carry.
    pub max_batch: usize,
}

impl Config {
    /// Defaults: no token (read-only), 4 readers, 8 MiB bodies, 1,000 pages a batch.
    pub fn new(db: impl Into<PathBuf>) -> Config {
        Config {
            db: db.into(),
            token: None,
            readers: 4,
            max_body_bytes: 8 << 20,
            max_batch: 1000,
        }
    }
}

/// The shared state of the server: settings, the reader pool and the writer.
#[derive(Clone)]
pub struct App {
    inner: Arc<AppInner>,
}

struct AppInner {
    config: Config,
    pool: pool::ReaderPool,
    ingest: Option<IngestFn>,
    /// One writer at a time.
    write_lock: tokio::sync::Mutex<()>,
}

impl App {
    /// Opens the reader pool over an existing store. `ingest` runs the pipeline for
    /// `POST /api/ingest`; without it writes answer 501 even with the token.
    pub fn open(config: Config, ingest: Option<IngestFn>) -> anyhow::Result<App> {
        if !config.db.join("rasd.sqlite").exists() {
            anyhow::bail!(
                "no store at {} (run `rasd ingest PATH...` or `rasd demo` first, or pass --db)",
                config.db.display()
            );
        }
        let mut stores = Vec::new();
        for _ in 0..config.readers.clamp(1, 64) {
            stores.push(Store::open(&config.db).map_err(|e| {
                anyhow::anyhow!("cannot open the store at {}: {e}", config.db.display())
            })?);
        }
        Ok(App {
            inner: Arc::new(AppInner {
                pool: pool::ReaderPool::new(stores),
                config,
                ingest,
                write_lock: tokio::sync::Mutex::new(()),
            }),
        })
    }

    fn config(&self) -> &Config {
        &self.inner.config
    }
}

/// The routes: the JSON API under `/api`, the pages, and the embedded assets.
pub fn router(app: App) -> Router {
    let limit = app.config().max_body_bytes;
    Router::new()
        .route("/api/docs", get(api::docs))
        .route("/api/docs/{id}", get(api::doc))
        .route("/api/stories", get(api::stories))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/search", get(api::search))
        .route("/api/entities", get(api::entities))
        .route("/api/entities/{id}", get(api::entity))
        .route("/api/ingest", post(api::ingest))
        .route("/api/status", get(api::status))
        .route("/", get(pages::home))
        .route("/stories/{id}", get(pages::story))
        .route("/docs/{id}", get(pages::doc))
        .route("/search", get(pages::search))
        .route("/entities", get(pages::entities))
        .route("/entities/{id}", get(pages::entity))
        .route("/static/style.css", get(pages::style))
        .route("/static/app.js", get(pages::script))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(app)
}

/// Serves `app` on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, app: App) -> std::io::Result<()> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(async {
            // If the signal cannot be installed, serve until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
}

/// Binds `addr`, calls `ready` with the address bound (port 0 picks a free one), and serves
/// `app` until Ctrl-C on a runtime of its own: for callers that are not async.
pub fn serve_blocking(
    addr: std::net::SocketAddr,
    app: App,
    ready: impl FnOnce(std::net::SocketAddr) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(2, 8),
        )
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        ready(listener.local_addr()?)?;
        serve(listener, app).await?;
        Ok(())
    })
}
