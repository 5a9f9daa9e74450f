#![no_main]
//! WARC reading: any bytes, plain or gzip-compressed and cut anywhere, give pages and at most
//! one fatal error (then the stream ends); every page goes through extraction without a panic.

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use rasd_extract::extract_page;
use rasd_extract::warc::{looks_like_warc, WarcReader};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let input = if mode & 1 == 1 {
        // gzip the rest, then cut the compressed stream at a point chosen by `mode`.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        if enc.write_all(rest).is_err() {
            return;
        }
        let Ok(gz) = enc.finish() else { return };
        let keep = if mode & 2 == 2 {
            gz.len() * usize::from(mode >> 2) / 64
        } else {
            gz.len()
        };
        gz[..keep.min(gz.len())].to_vec()
    } else {
        rest.to_vec()
    };
    let _ = looks_like_warc(&input);
    let mut reader = WarcReader::new(std::io::Cursor::new(input));
    let mut fatal = 0;
    for item in reader.by_ref().take(10_000) {
        match item {
            Ok(page) => {
                let _ = extract_page(&page);
            }
            Err(e) => {
                assert_eq!(fatal, 0, "an item after a fatal error");
                if e.is_fatal() {
                    fatal += 1;
                }
            }
        }
    }
    assert!(
        reader.skipped() <= reader.records(),
        "more skipped than read"
    );
});
