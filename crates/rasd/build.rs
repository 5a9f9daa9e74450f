//! Embeds the demo corpus (`demo/corpus/*` and `demo/manifest.tsv`) into the binary,
//! so `rasd demo` works from any directory without the repository.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo");
    let corpus = root.join("corpus");
    println!("cargo:rerun-if-changed={}", corpus.display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("manifest.tsv").display()
    );
    // A binary without its demo corpus would make `rasd demo` ingest nothing and report
    // success; fail the build instead, saying where the corpus was looked for.
    let mut files: Vec<_> = match std::fs::read_dir(&corpus) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
        Err(e) => panic!("cannot read the demo corpus at {}: {e}", corpus.display()),
    };
    assert!(
        !files.is_empty(),
        "the demo corpus at {} is empty",
        corpus.display()
    );
    files.sort();
    let mut out = String::from(
        "/// The demo corpus: (file name, bytes).\npub static DEMO_FILES: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let abs = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
        let _ = writeln!(
            out,
            "    ({name:?}, include_bytes!({:?})),",
            abs.display().to_string()
        );
    }
    out.push_str("];\n");
    let manifest = root.join("manifest.tsv");
    if manifest.is_file() {
        let abs = std::fs::canonicalize(&manifest).unwrap_or(manifest);
        let _ = writeln!(out, "/// The demo corpus manifest (TSV).\npub static DEMO_MANIFEST: &str = include_str!({:?});", abs.display().to_string());
    } else {
        out.push_str(
            "/// The demo corpus manifest (TSV).\npub static DEMO_MANIFEST: &str = \"\";\n",
        );
    }
    let dest =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("demo_corpus.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=could not write {}: {e}", dest.display());
    }
}
