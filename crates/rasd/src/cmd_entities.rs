//! `rasd entities` and `rasd entity ID`: named entities of texts, and the entities of the store.
//!
//! * `rasd entities FILE...` (or `-` for stdin): the entities of each text. `--json`: one object per
//!   input with `source` and `entities`, each with `text`, `start`, `end` (byte offsets into the
//!   decoded text), `type` (`PER`, `ORG`, `LOC`, `MISC`), `mention` (`name`, or `adjective` for a
//!   country adjective such as الأمريكي), `canonical` (the entity id) and `name` (its canonical name).
//! * `rasd entities --conll [FILE...|-]`: token-per-line input (first column the token, blank lines
//!   between sentences) → `token<TAB>BIO-tag` lines (tags `B-PER`…; `--pers` writes `B-PERS` as
//!   ANERcorp does), so conlleval-style scorers apply.
//! * `rasd entities` with no files: the store's entities by mentions (`--type`, `--limit`,
//!   `--offset`, `--json`: one object per entity with `id`, `type`, `name`, `aliases`,
//!   `geonames_id`, `lat`, `lon`, `mentions`, `docs`, `stories`, `first_seen`, `last_seen`).
//! * `rasd entity ID`: one entity of the store with mentions per day and per story (`--json`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use rasd_entities::Recognizer;
use rasd_store::{EntityQuery, Store};
use rasd_types::{EntityMention, EntityType};
use serde::Serialize;

use crate::Ctx;

/// Arguments of `rasd entities`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text files to tag; `-` reads stdin. Without files (and without --conll), lists the
    /// store's entities.
    pub files: Vec<PathBuf>,
    /// Read token-per-line input (first column the token) and write `token<TAB>BIO-tag`.
    #[arg(long)]
    pub conll: bool,
    /// With --conll: write person tags as `B-PERS`/`I-PERS` (ANERcorp's spelling).
    #[arg(long, requires = "conll")]
    pub pers: bool,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Store listing: only entities of this type.
    #[arg(long = "type", value_parser = parse_type)]
    pub kind: Option<EntityType>,
    /// Store listing: at most this many entities (most mentioned first).
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Store listing: skip this many first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
}

fn parse_type(s: &str) -> Result<EntityType, String> {
    match s.trim().to_ascii_uppercase().as_str() {
        "PER" | "PERS" => Ok(EntityType::Per),
        "ORG" => Ok(EntityType::Org),
        "LOC" => Ok(EntityType::Loc),
        "MISC" => Ok(EntityType::Misc),
        _ => Err(format!("'{s}' is not one of PER, ORG, LOC, MISC")),
    }
}

#[derive(Serialize)]
struct Tagged<'a> {
    source: &'a str,
    entities: &'a [EntityMention],
}

/// Runs `rasd entities`; exits 2 when an input could not be read or decoded.
pub fn run(args: &Args, ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    if args.files.is_empty() && !args.conll {
        return list(args, ctx, out);
    }
    let mut failed = 0usize;
    let r = Recognizer::new();
    for (source, text) in crate::stage::text_inputs(&args.files, &mut failed) {
        if args.conll {
            conll(&r, &text, args.pers, out)?;
            continue;
        }
        let mentions = r.mentions(&text);
        if args.json {
            serde_json::to_writer(
                &mut *out,
                &Tagged {
                    source: &source,
                    entities: &mentions,
                },
            )?;
            writeln!(out)?;
        } else {
            writeln!(out, "== {source}: {} entities", mentions.len())?;
            for m in &mentions {
                let adj = match m.mention {
                    rasd_types::MentionKind::Adjective => " (adjective)",
                    rasd_types::MentionKind::Name => "",
                };
                writeln!(
                    out,
                    "  {}-{}\t{}\t{}{adj}\t{}\t{}",
                    m.start,
                    m.end,
                    m.text,
                    m.kind.as_str(),
                    m.canonical,
                    m.name
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

/// Tags token-per-line text sentence by sentence (blank lines end sentences).
fn conll(r: &Recognizer, text: &str, pers: bool, out: &mut dyn Write) -> Result<()> {
    // The whole file is tagged as one text, so the document-level stage sees every sentence.
    let mut sentences: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines() {
        match line.split_whitespace().next() {
            Some(tok) => {
                if let Some(s) = sentences.last_mut() {
                    s.push(tok);
                }
            }
            None => {
                if sentences.last().is_some_and(|s| !s.is_empty()) {
                    sentences.push(Vec::new());
                }
            }
        }
    }
    sentences.retain(|s| !s.is_empty());
    for (sentence, tags) in sentences.iter().zip(r.tag_sentences(&sentences)) {
        for (tok, tag) in sentence.iter().zip(tags) {
            let tag = if pers {
                tag.replace("PER", "PERS")
            } else {
                tag
            };
            writeln!(out, "{tok}\t{tag}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn open_store(ctx: &Ctx) -> Result<Store> {
    if !ctx.db.join("rasd.sqlite").exists() {
        anyhow::bail!(
            "no store at {} (run `rasd ingest PATH...` or `rasd demo` first, or pass --db)",
            ctx.db.display()
        );
    }
    Store::open(&ctx.db).with_context(|| format!("cannot open the store at {}", ctx.db.display()))
}

fn list(args: &Args, ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    let store = open_store(ctx)?;
    let rows = store.entities(&EntityQuery {
        kind: args.kind,
        limit: args.limit,
        offset: args.offset,
    })?;
    for e in &rows {
        if args.json {
            serde_json::to_writer(&mut *out, e)?;
            writeln!(out)?;
        } else {
            let aliases = if e.entity.aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", e.entity.aliases.join("، "))
            };
            writeln!(
                out,
                "{}\t{}\t{} mentions\t{} docs\t{} stories\t{}{aliases}",
                e.entity.id,
                e.entity.kind.as_str(),
                e.mentions,
                e.docs,
                e.stories,
                e.entity.name
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `rasd entity ID`.
#[derive(Debug, clap::Args)]
pub struct EntityArgs {
    /// The entity id (as listed by `rasd entities`), e.g. `loc:geonames:163843`.
    pub id: String,
    /// One JSON object: the entity, counts, `by_day`, `stories`, `docs`.
    #[arg(long)]
    pub json: bool,
}

/// Runs `rasd entity ID`; exits 1 when the store does not mention it.
pub fn run_entity(args: &EntityArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    let store = open_store(ctx)?;
    let Some(d) = store.entity(&args.id)? else {
        eprintln!("rasd: entity {}: not mentioned in the store", args.id);
        return Ok(ExitCode::from(1));
    };
    if args.json {
        serde_json::to_writer(&mut *out, &d)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let e = &d.summary.entity;
    writeln!(out, "{}\t{}\t{}", e.id, e.kind.as_str(), e.name)?;
    if !e.aliases.is_empty() {
        writeln!(out, "aliases: {}", e.aliases.join("، "))?;
    }
    if let (Some(lat), Some(lon)) = (e.lat, e.lon) {
        let gid = e
            .geonames_id
            .map(|g| format!("GeoNames {g}, "))
            .unwrap_or_default();
        writeln!(out, "place: {gid}{lat:.4}, {lon:.4}")?;
    }
    writeln!(
        out,
        "{} mentions in {} documents, {} stories; first seen {}, last seen {}",
        d.summary.mentions,
        d.summary.docs,
        d.summary.stories,
        d.summary.first_seen.as_deref().unwrap_or("-"),
        d.summary.last_seen.as_deref().unwrap_or("-")
    )?;
    if !d.stories.is_empty() {
        writeln!(out, "stories (id: mentions):")?;
        for (s, n) in d.stories.iter().take(20) {
            writeln!(out, "  {s}: {n}")?;
        }
    }
    if !d.by_day.is_empty() {
        writeln!(out, "by day:")?;
        for (day, n) in &d.by_day {
            writeln!(out, "  {day}\t{n}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
