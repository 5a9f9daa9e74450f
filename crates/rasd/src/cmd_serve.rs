//! `rasd serve`: the web UI and the HTTP JSON API over the store (see the `rasd-serve` crate).
//!
//! `POST /api/ingest` runs the same [`Pipeline`] as `rasd ingest`, opened on first use and
//! kept for the life of the server (one writer; readers are not blocked by it).

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use rasd_store::Store;
use rasd_types::RawPage;

use crate::ingest::ingest_pages;
use crate::pipeline::{Pipeline, Summary};
use crate::Ctx;

/// Arguments of `rasd serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on. The default is loopback only; any other address exposes the
    /// store to the network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Token that writes (`POST /api/ingest`) require as `Authorization: Bearer TOKEN`;
    /// without one, writes are refused.
    #[arg(long, env = "RASD_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Read-only store connections serving requests in parallel.
    #[arg(long, default_value_t = 4)]
    pub readers: usize,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 8 << 20)]
    pub max_body: usize,
    /// Print the listening address as one JSON object (`{"url", "addr", "db", "writes"}`).
    #[arg(long)]
    pub json: bool,
}

impl Args {
    /// The arguments `rasd serve` gets with no flags (used by `rasd demo --serve`).
    pub fn with_defaults() -> Args {
        Args {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: std::env::var("RASD_TOKEN").ok().filter(|t| !t.is_empty()),
            readers: 4,
            max_body: 8 << 20,
            json: false,
        }
    }
}

/// The ingest callback the server calls for `POST /api/ingest`: the real pipeline over
/// the store in `db`, opened on first use.
fn ingest_fn(db: std::path::PathBuf) -> rasd_serve::IngestFn {
    let pipeline: Arc<Mutex<Option<Pipeline>>> = Arc::new(Mutex::new(None));
    Arc::new(move |pages: Vec<RawPage>| {
        let mut guard = pipeline
            .lock()
            .map_err(|_| anyhow::anyhow!("the writer stopped after an earlier failure"))?;
        if guard.is_none() {
            let store = Store::open(&db)
                .with_context(|| format!("cannot open the store at {}", db.display()))?;
            *guard = Some(Pipeline::open(store)?);
        }
        let p = guard
            .as_mut()
            .ok_or_else(|| anyhow::anyhow!("the ingest pipeline is not open"))?;
        let mut summary = Summary::default();
        ingest_pages(p, pages, true, &mut summary)?;
        Ok(serde_json::to_value(&summary)?)
    })
}

/// Runs `rasd serve` until Ctrl-C.
pub fn run(args: &Args, ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    let mut config = rasd_serve::Config::new(&ctx.db);
    config.token = args.token.clone().filter(|t| !t.trim().is_empty());
    config.readers = args.readers.clamp(1, 64);
    config.max_body_bytes = args.max_body.max(1024);
    let writes = config.token.is_some();
    let app = rasd_serve::App::open(config, Some(ingest_fn(ctx.db.clone())))?;
    if !args.addr.ip().is_loopback() && !ctx.quiet {
        eprintln!(
            "rasd: warning: listening on {}, reachable from other machines",
            args.addr
        );
    }
    let db = ctx.db.display().to_string();
    rasd_serve::serve_blocking(args.addr, app, |addr| {
        let url = format!("http://{addr}/");
        if args.json {
            let v = serde_json::json!({"url": url, "addr": addr.to_string(), "db": db, "writes": writes});
            writeln!(out, "{v}")?;
        } else {
            writeln!(out, "rasd: serving {db} at {url} (Ctrl-C to stop)")?;
            if !writes && !ctx.quiet {
                writeln!(out, "rasd: writes are off (pass --token or set RASD_TOKEN to allow POST /api/ingest)")?;
            }
        }
        out.flush()
    })
    .with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}
