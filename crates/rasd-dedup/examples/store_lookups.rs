//! Lookups per second of the on-disk duplicate index (`rasd_dedup::store`, SQLite) against the
//! in-memory [`DedupIndex`], on synthetic 250-word documents (a vocabulary of 20,000 words).
//!
//! ```text
//! cargo run --release -p rasd-dedup --example store_lookups [-- N_DOCS]
//! ```
//! Half of the queries are edited copies of stored documents (10 words replaced), half are new.

use std::time::Instant;

use rasd_dedup::{fingerprint, store, DedupConfig, DedupIndex, Fingerprint};

fn words(seed: u64, n: usize) -> Vec<String> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("w{}", state % 20_000)
        })
        .collect()
}

fn fp(t: &[String], cfg: &DedupConfig) -> Fingerprint {
    let r: Vec<&str> = t.iter().map(String::as_str).collect();
    fingerprint(&r, cfg)
}

fn main() -> rusqlite::Result<()> {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let cfg = DedupConfig::default();
    let dir = std::env::temp_dir().join(format!("rasd-store-lookups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok();
    let path = dir.join("bands.sqlite");
    let mut conn = rusqlite::Connection::open(&path)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
    conn.execute_batch(store::DDL)?;
    let mut index = DedupIndex::new(cfg.clone());
    let t = Instant::now();
    let tx = conn.transaction()?;
    for id in 0..n {
        let f = fp(&words(id, 250), &cfg);
        store::insert(&tx, id, &f, &cfg)?;
        index.insert(id, &f);
    }
    tx.commit()?;
    let insert_s = t.elapsed().as_secs_f64();
    let queries: Vec<Fingerprint> = (0..2_000u64)
        .map(|q| {
            if q % 2 == 0 {
                let mut t = words(q * 7 % n, 250);
                for i in 0..10 {
                    t[i * 25] = format!("edit{q}_{i}");
                }
                fp(&t, &cfg)
            } else {
                fp(&words(10_000_000 + q, 250), &cfg)
            }
        })
        .collect();
    let t = Instant::now();
    let mut hits = 0;
    for q in &queries {
        hits += usize::from(!store::find(&conn, q, &cfg)?.is_empty());
    }
    let disk_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut ram_hits = 0;
    for q in &queries {
        ram_hits += usize::from(index.find(q).is_some());
    }
    let ram_s = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.join("bands.sqlite-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "{n} docs stored in {insert_s:.1} s (SQLite + in-memory); database {:.0} MB ({:.0} bytes/doc)",
        size as f64 / 1e6,
        size as f64 / n as f64
    );
    println!(
        "SQLite store: {} lookups in {disk_s:.2} s = {:.0} lookups/s ({hits} found a duplicate)",
        queries.len(),
        queries.len() as f64 / disk_s
    );
    println!(
        "in-memory index: {:.0} lookups/s ({ram_hits} found a duplicate)",
        queries.len() as f64 / ram_s
    );
    drop(conn);
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
