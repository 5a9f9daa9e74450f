//! Print the article extracted from each file given on the command line, as JSON.
//!
//! `cargo run -p rasd-extract --example show -- FILE...`
use rasd_extract::extract_page;
use rasd_types::{PageFormat, RawPage};

fn main() {
    for path in std::env::args().skip(1) {
        match std::fs::read(&path) {
            Ok(bytes) => match extract_page(&RawPage::new(path.clone(), bytes, PageFormat::Auto)) {
                Ok(a) => match serde_json::to_string_pretty(&a) {
                    Ok(s) => println!("{s}"),
                    Err(e) => eprintln!("{path}: {e}"),
                },
                Err(e) => eprintln!("{path}: {e}"),
            },
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
