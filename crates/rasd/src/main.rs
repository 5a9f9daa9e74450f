//! `rasd`: Arabic news pages in; clean, deduplicated, story-organised, searchable records out.
//!
//! The binary is a thin shell: argument parsing here, the ingest pipeline in [`pipeline`],
//! inputs in [`sources`], text output in [`render`]. Each stage lives in its own crate.

mod bench;
mod cmd_dates;
mod cmd_dedup;
mod cmd_entities;
mod cmd_serve;
mod dedup_state;
mod demo;
mod ingest;
mod pipeline;
mod render;
mod sources;
mod stage;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

/// The pipeline allocates many small strings (tokens, terms); mimalloc makes that about a
/// quarter of the ingest time cheaper than the system allocator (measured with `rasd bench`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// rasd (رصد): turns scraped Arabic news pages into clean, deduplicated,
/// story-organised, searchable records.
#[derive(Debug, Parser)]
#[command(name = "rasd", version, about, propagate_version = true)]
struct Cli {
    /// Store directory (SQLite records and the search index).
    #[arg(long, global = true, env = "RASD_DB", default_value = "./rasd-data")]
    db: PathBuf,
    /// No progress bars or notices on stderr (errors are still reported).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest files and folders: .txt, .html/.htm, .jsonl/.jsonl.gz, .warc/.warc.gz (recursively).
    Ingest {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Worker threads for extraction and analysis (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Documents the duplicate index keeps in memory: the most recent ones (older ones are
        /// looked up on disk; containment is found within this window).
        #[arg(long, default_value_t = crate::dedup_state::DEDUP_WINDOW_DOCS)]
        memory_docs: usize,
        /// Pages prepared in parallel and committed together, at most (a batch also ends at
        /// 64 MB of pages). Smaller batches hold less in memory and lose less to a crash; larger
        /// ones cost less per page.
        #[arg(long, default_value_t = crate::pipeline::BATCH_SIZE)]
        batch_pages: usize,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Totals of the store: documents, duplicates, stories, failed inputs, indexed documents.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// List stored documents.
    Docs {
        #[arg(long)]
        json: bool,
        /// Show at most N documents.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Show one document.
    Doc {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// List stories, most recent first.
    Stories {
        #[arg(long)]
        json: bool,
        /// Show at most N stories.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Show one story with its documents.
    Story {
        id: u64,
        #[arg(long)]
        json: bool,
    },
    /// Search documents (Arabic-aware: inflections and spelling variants match).
    Search {
        query: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Include documents that are copies of another (folded by default).
        #[arg(long)]
        all: bool,
    },
    /// Write every document with all its fields.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Write to this file instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Run text analysis alone: sentences and tokens of each input (files or - for stdin).
    Analyze {
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Run extraction alone: article text and metadata of each page (files, .warc/.warc.gz, or - for stdin).
    Extract {
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Ingest the bundled demo corpus into the store and print a report.
    Demo {
        /// Then serve the web UI over it (as `rasd serve` with its defaults).
        #[arg(long)]
        serve: bool,
    },
    /// Measure ingest throughput on a generated corpus (documents/s, MB/s; 1 core and all cores).
    Bench(bench::BenchArgs),
    /// Find and normalize dates and times in text (files or - for stdin).
    Dates(cmd_dates::Args),
    /// Run duplicate detection alone on JSONL documents (each with `id` and `text` or `html`).
    Dedup(cmd_dedup::Args),
    /// Named entities: tag text (files, - for stdin, or --conll), or list the store's entities.
    Entities(cmd_entities::Args),
    /// Show one entity of the store: aliases, mentions across stories and over time.
    Entity(cmd_entities::EntityArgs),
    /// Serve the web UI and the HTTP JSON API over the store.
    Serve(cmd_serve::Args),
}

/// What every command may need besides its own arguments.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The store directory (`--db`).
    pub db: PathBuf,
    /// `--quiet`: no progress bars or notices.
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    Jsonl,
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (rasd docs | head) is not an error worth a message.
            if e.chain().any(|c| {
                let pipe = std::io::ErrorKind::BrokenPipe;
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == pipe)
                    || c.downcast_ref::<serde_json::Error>()
                        .is_some_and(|j| j.io_error_kind() == Some(pipe))
            }) {
                return ExitCode::SUCCESS;
            }
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("rasd: error: {}", chain.join(": "));
            ExitCode::from(1)
        }
    }
}

fn open_store(cli: &Cli) -> Result<rasd_store::Store> {
    rasd_store::Store::open(&cli.db)
        .with_context(|| format!("cannot open the store at {}", cli.db.display()))
}

/// Opens an existing store for reading; a missing one is an error with a hint.
fn open_existing(cli: &Cli) -> Result<rasd_store::Store> {
    if !cli.db.join("rasd.sqlite").exists() {
        anyhow::bail!(
            "no store at {} (run `rasd ingest PATH...` or `rasd demo` first, or pass --db)",
            cli.db.display()
        );
    }
    open_store(cli)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match &cli.command {
        Command::Ingest {
            paths,
            threads,
            memory_docs,
            batch_pages,
            json,
        } => {
            if let Some(n) = threads {
                rayon::ThreadPoolBuilder::new()
                    .num_threads((*n).max(1))
                    .build_global()
                    .context("setting the thread count")?;
            }
            let store = open_store(&cli)?;
            let summary =
                ingest::ingest_paths(store, paths, *memory_docs, *batch_pages, cli.quiet)?;
            if *json {
                serde_json::to_writer(&mut out, &summary)?;
                writeln!(out)?;
            } else {
                render::summary(&mut std::io::stderr(), &summary)?;
            }
            out.flush()?;
            return Ok(if summary.failed > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            });
        }
        Command::Status { json } => {
            let store = open_existing(&cli)?;
            let c = store.counts()?;
            let indexed = store.indexed_docs();
            if *json {
                let v = serde_json::json!({
                    "db": cli.db.display().to_string(),
                    "docs": c.docs,
                    "duplicates": c.duplicates,
                    "stories": c.stories,
                    "failures": c.failures,
                    "indexed": indexed,
                });
                serde_json::to_writer(&mut out, &v)?;
                writeln!(out)?;
            } else {
                writeln!(out, "store:      {}", cli.db.display())?;
                writeln!(
                    out,
                    "documents:  {} ({} copies of another)",
                    c.docs, c.duplicates
                )?;
                writeln!(out, "stories:    {}", c.stories)?;
                writeln!(out, "failed inputs recorded: {}", c.failures)?;
                writeln!(out, "search index: {indexed} documents")?;
            }
        }
        Command::Docs { json, limit } => {
            let store = open_existing(&cli)?;
            let docs = store.docs()?;
            let n = limit.unwrap_or(usize::MAX);
            for d in docs.iter().take(n) {
                if *json {
                    serde_json::to_writer(&mut out, d)?;
                    writeln!(out)?;
                } else {
                    render::doc_line(&mut out, d)?;
                }
            }
        }
        Command::Doc { id, json } => {
            let store = open_existing(&cli)?;
            let Some(d) = store.doc(id)? else {
                anyhow::bail!("no document with id {id}");
            };
            if *json {
                serde_json::to_writer(&mut out, &d)?;
                writeln!(out)?;
            } else {
                render::doc(&mut out, &d)?;
            }
        }
        Command::Stories { json, limit } => {
            let store = open_existing(&cli)?;
            for s in store.stories()?.iter().take(limit.unwrap_or(usize::MAX)) {
                if *json {
                    let entities = store.story_entities(s.id, STORY_ENTITIES)?;
                    serde_json::to_writer(&mut out, &render::StoryOut::new(s, &entities, &[]))?;
                    writeln!(out)?;
                } else {
                    render::story_line(&mut out, s)?;
                }
            }
        }
        Command::Story { id, json } => {
            let store = open_existing(&cli)?;
            let Some(s) = store.story(*id)? else {
                anyhow::bail!("no story with id {id}");
            };
            let entities = store.story_entities(*id, STORY_ENTITIES)?;
            let docs = store.story_docs(*id)?;
            let timeline = render::timeline(&docs);
            if *json {
                serde_json::to_writer(&mut out, &render::StoryOut::new(&s, &entities, &timeline))?;
                writeln!(out)?;
            } else {
                render::story(&mut out, &s, &docs, &entities, &timeline)?;
            }
        }
        Command::Search {
            query,
            json,
            limit,
            all,
        } => {
            let store = open_existing(&cli)?;
            let hits = store.search(
                query,
                rasd_store::SearchOptions {
                    limit: *limit,
                    include_duplicates: *all,
                },
            )?;
            if hits.is_empty() && !*json && !cli.quiet {
                eprintln!("rasd: no document matches {query:?}");
            }
            for h in &hits {
                if *json {
                    serde_json::to_writer(&mut out, h)?;
                    writeln!(out)?;
                } else {
                    render::hit(&mut out, h)?;
                }
            }
        }
        Command::Export { format, output } => {
            let store = open_existing(&cli)?;
            let docs = store.docs()?;
            let mut sink: Box<dyn Write> = match output {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("cannot create {}", p.display()))?,
                )),
                None => Box::new(&mut out),
            };
            match format {
                ExportFormat::Jsonl => {
                    for d in &docs {
                        serde_json::to_writer(&mut sink, d)?;
                        writeln!(sink)?;
                    }
                }
                ExportFormat::Csv => render::csv(&mut sink, &docs)?,
            }
            sink.flush()?;
            drop(sink);
            if !cli.quiet {
                eprintln!("rasd: exported {} documents", docs.len());
            }
        }
        Command::Analyze { files, json } => {
            let failed = stage::analyze(files, *json, &mut out)?;
            out.flush()?;
            return Ok(exit_for(failed));
        }
        Command::Extract { files, json } => {
            let failed = stage::extract(files, *json, &mut out)?;
            out.flush()?;
            return Ok(exit_for(failed));
        }
        Command::Demo { serve } => {
            let store = open_store(&cli)?;
            demo::run(store, &cli.db, cli.quiet, &mut out)?;
            if *serve {
                out.flush()?;
                let args = cmd_serve::Args::with_defaults();
                return finish(cmd_serve::run(&args, &ctx(&cli), &mut out), out);
            }
        }
        Command::Bench(args) => {
            bench::run(args, &mut out)?;
        }
        Command::Dates(args) => return finish(cmd_dates::run(args, &ctx(&cli), &mut out), out),
        Command::Dedup(args) => return finish(cmd_dedup::run(args, &ctx(&cli), &mut out), out),
        Command::Entities(args) => {
            return finish(cmd_entities::run(args, &ctx(&cli), &mut out), out)
        }
        Command::Entity(args) => {
            return finish(cmd_entities::run_entity(args, &ctx(&cli), &mut out), out)
        }
        Command::Serve(args) => return finish(cmd_serve::run(args, &ctx(&cli), &mut out), out),
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// How many key entities `rasd story` and `rasd stories` show per story.
const STORY_ENTITIES: usize = 8;

fn ctx(cli: &Cli) -> Ctx {
    Ctx {
        db: cli.db.clone(),
        quiet: cli.quiet,
    }
}

/// Flushes stdout after a command module ran, keeping its exit code.
fn finish(result: Result<ExitCode>, mut out: impl Write) -> Result<ExitCode> {
    let code = result?;
    out.flush()?;
    Ok(code)
}

fn exit_for(failed: usize) -> ExitCode {
    if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
