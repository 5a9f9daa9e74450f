#![no_main]
//! HTML (and sniffed) extraction: `extract_page` never panics, and its article is consistent:
//! `body` is the paragraphs joined by blank lines, no paragraph is empty, dates are ISO 8601.

use libfuzzer_sys::fuzz_target;
use rasd_extract::{extract_page, looks_like_html};
use rasd_types::{PageFormat, RawPage};

fn iso(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

fuzz_target!(|data: &[u8]| {
    let _ = looks_like_html(&String::from_utf8_lossy(data));
    for format in [PageFormat::Html, PageFormat::Auto] {
        let mut page = RawPage::new("fuzz.html", data.to_vec(), format);
        page.declared_charset = Some("windows-1256".to_string()).filter(|_| data.len() % 3 == 0);
        let Ok(a) = extract_page(&page) else { continue };
        assert_eq!(
            a.body,
            a.paragraphs.join("\n\n"),
            "body != paragraphs joined"
        );
        assert!(
            a.paragraphs.iter().all(|p| !p.trim().is_empty()),
            "empty paragraph"
        );
        for d in [&a.published, &a.modified].into_iter().flatten() {
            assert!(iso(d), "date not ISO 8601: {d:?}");
        }
    }
});
