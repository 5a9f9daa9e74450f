//! A bounded load test of a running `rasd serve`, loopback only: requests/s and p50/p99
//! latency for search (API and page) and for story pages.
//!
//! ```text
//! rasd bench --docs 100000 --text ../shared/data/anercorp/ANERCorp_original_full.txt --write-jsonl /tmp/load.jsonl
//! rasd --db /work/loadstore ingest /tmp/load.jsonl
//! rasd --db /work/loadstore serve --addr 127.0.0.1:8089 &
//! cargo run --release -p rasd-serve --example load -- --addr 127.0.0.1:8089 --concurrency 8 --seconds 20
//! ```
//!
//! Each phase runs `--seconds` with `--concurrency` keep-alive connections, each sending
//! its next request as soon as the last answer is read. Queries are common news words
//! (`--queries FILE`, one per line, replaces them); story ids come from `/api/stories`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

const DEFAULT_QUERIES: &[&str] = &[
    "المحادثات",
    "روسيا",
    "الولايات المتحدة",
    "سوريا",
    "وزير الخارجية",
    "الحكومة",
    "الانتخابات",
    "الاقتصاد",
    "النفط",
    "الأمم المتحدة",
    "مجلس الأمن",
    "الرئيس",
    "وقف إطلاق النار",
    "اللاجئين",
    "البرلمان",
    "الجيش",
    "المفاوضات",
    "العقوبات",
    "الأسعار",
    "المعارضة",
    "دمشق",
    "القاهرة",
    "بغداد",
    "الرياض",
    "اتفاق",
    "هجوم",
    "مؤتمر صحفي",
    "البنك المركزي",
    "التعليم",
    "الصحة",
];

struct Opts {
    addr: SocketAddr,
    concurrency: usize,
    seconds: u64,
    queries: Vec<String>,
}

fn parse_args() -> Result<Opts, String> {
    let mut addr = None;
    let mut concurrency = 8;
    let mut seconds = 20;
    let mut queries: Vec<String> = DEFAULT_QUERIES.iter().map(|s| s.to_string()).collect();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--addr" => addr = Some(val()?.parse::<SocketAddr>().map_err(|e| e.to_string())?),
            "--concurrency" => {
                concurrency = val()?.parse().map_err(|e| format!("--concurrency: {e}"))?
            }
            "--seconds" => seconds = val()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--queries" => {
                let path = val()?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                queries = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect();
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let addr = addr.ok_or("--addr HOST:PORT is required")?;
    if !addr.ip().is_loopback() {
        return Err(format!(
            "{addr} is not a loopback address; this load test only targets 127.0.0.1/::1"
        ));
    }
    if queries.is_empty() {
        return Err("no queries".into());
    }
    Ok(Opts {
        addr,
        concurrency: concurrency.clamp(1, 256),
        seconds: seconds.clamp(1, 600),
        queries,
    })
}

/// A keep-alive HTTP/1.1 connection that reads `Content-Length` and chunked bodies.
struct Conn {
    addr: SocketAddr,
    reader: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        if self.reader.is_none() {
            let s = TcpStream::connect(self.addr)?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            self.reader = Some(BufReader::new(s));
        }
        let result = self.exchange(path);
        if result.is_err() {
            self.reader = None;
        }
        result
    }

    fn exchange(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
        let r = self.reader.as_mut().ok_or_else(|| bad("no connection"))?;
        write!(
            r.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: keep-alive\r\n\r\n",
            self.addr
        )?;
        let mut line = String::new();
        r.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("status line"))?;
        let (mut len, mut chunked) = (None, false);
        loop {
            line.clear();
            if r.read_line(&mut line)? == 0 {
                return Err(bad("headers cut"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
                if k == "content-length" {
                    len = v.parse::<usize>().ok();
                } else if k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked") {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                r.read_line(&mut line)?;
                let n = usize::from_str_radix(line.trim(), 16).map_err(|_| bad("chunk size"))?;
                let mut chunk = vec![0; n + 2];
                r.read_exact(&mut chunk)?;
                chunk.truncate(n);
                body.extend_from_slice(&chunk);
                if n == 0 {
                    break;
                }
            }
        } else {
            body.resize(len.ok_or_else(|| bad("no length"))?, 0);
            r.read_exact(&mut body)?;
        }
        Ok((status, body))
    }
}

fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

struct Report {
    name: String,
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

fn run_phase(o: &Opts, name: &str, paths: &[String]) -> Report {
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let start = Instant::now();
    let handles: Vec<_> = (0..o.concurrency)
        .map(|w| {
            let paths = paths.to_vec();
            let addr = o.addr;
            std::thread::spawn(move || {
                let mut conn = Conn { addr, reader: None };
                let (mut lat, mut errors, mut i) = (Vec::new(), 0usize, w * 7919);
                while Instant::now() < deadline {
                    let Some(p) = paths.get(i % paths.len().max(1)) else {
                        break;
                    };
                    i += 1;
                    let t = Instant::now();
                    match conn.get(p) {
                        Ok((200, _)) => lat.push(t.elapsed()),
                        _ => errors += 1,
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for h in handles {
        if let Ok((l, e)) = h.join() {
            latencies.extend(l);
            errors += e;
        }
    }
    latencies.sort();
    Report {
        name: name.to_string(),
        latencies,
        errors,
        elapsed: start.elapsed(),
    }
}

fn pctl(v: &[Duration], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i.min(v.len() - 1))
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    let mut conn = Conn {
        addr: o.addr,
        reader: None,
    };
    let status = match conn.get("/api/status") {
        Ok((200, b)) => String::from_utf8_lossy(&b).into_owned(),
        other => {
            eprintln!(
                "load: {} did not answer /api/status: {:?}",
                o.addr,
                other.map(|r| r.0)
            );
            std::process::exit(1);
        }
    };
    let stories: Vec<u64> = match conn.get("/api/stories?limit=200") {
        Ok((200, b)) => serde_json::from_slice::<serde_json::Value>(&b)
            .ok()
            .and_then(|v| {
                v["stories"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|s| s["id"].as_u64()).collect())
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    println!("store: {status}");
    println!(
        "concurrency {} · {} s per phase · {} queries · {} stories",
        o.concurrency,
        o.seconds,
        o.queries.len(),
        stories.len()
    );
    let search_api: Vec<String> = o
        .queries
        .iter()
        .map(|q| format!("/api/search?q={}", pct(q)))
        .collect();
    let search_page: Vec<String> = o
        .queries
        .iter()
        .map(|q| format!("/search?q={}", pct(q)))
        .collect();
    let story_pages: Vec<String> = stories.iter().map(|s| format!("/stories/{s}")).collect();
    let mut reports = vec![
        run_phase(&o, "search (api)", &search_api),
        run_phase(&o, "search (page)", &search_page),
    ];
    if !story_pages.is_empty() {
        reports.push(run_phase(&o, "story page", &story_pages));
    }
    println!(
        "{:<14} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "phase", "requests", "req/s", "p50 ms", "p99 ms", "errors"
    );
    for r in &reports {
        println!(
            "{:<14} {:>9} {:>9.1} {:>9.2} {:>9.2} {:>7}",
            r.name,
            r.latencies.len(),
            r.latencies.len() as f64 / r.elapsed.as_secs_f64(),
            pctl(&r.latencies, 0.5),
            pctl(&r.latencies, 0.99),
            r.errors
        );
    }
}
