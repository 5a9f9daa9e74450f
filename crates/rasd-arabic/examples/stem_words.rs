//! Word-list filter for peer comparisons: reads one word per line on stdin and writes
//! `word<TAB>search_key<TAB>light_stem<TAB>variant_key` per line on stdout.
//!
//! Run: `cargo run --release -p rasd-arabic --example stem_words < words.txt`

use std::io::{BufRead, BufWriter, Write};

use rasd_arabic::{light_stem, search_key, variant_key};

fn main() {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = Vec::with_capacity(256);
    let mut input = stdin.lock();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("stem_words: read error: {e}");
                break;
            }
        }
        let text = String::from_utf8_lossy(&line);
        let word = text.trim_end_matches(['\n', '\r']);
        // Tabs inside a word would break the column format.
        let word = word.replace('\t', " ");
        let key = search_key(&word);
        let stem = light_stem(&key);
        let var = variant_key(&key);
        if writeln!(out, "{word}\t{key}\t{stem}\t{var}").is_err() {
            return; // downstream closed the pipe
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("stem_words: write error: {e}");
    }
}
