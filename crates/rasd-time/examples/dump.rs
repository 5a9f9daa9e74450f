//! Prints the expressions of stdin, one per line: `cargo run -p rasd-time --example dump -- [YYYY-MM-DD] < text`.
use std::io::Read;

fn main() {
    let anchor = std::env::args()
        .nth(1)
        .and_then(|a| rasd_time::parse_anchor(&a));
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        eprintln!("dump: stdin: not UTF-8 text");
        std::process::exit(2);
    }
    for e in rasd_time::find_expressions(&text, anchor, rasd_time::AnchorKind::Given) {
        println!(
            "{}\t{:?}\t{}\t{}",
            e.text,
            e.kind,
            e.value.unwrap_or_else(|| "-".into()),
            e.granularity
        );
    }
    if anchor.is_none() {
        println!("estimate: {:?}", rasd_time::estimate_date(&text));
    }
}
