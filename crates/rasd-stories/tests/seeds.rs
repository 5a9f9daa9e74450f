//! The five scraped seed articles (US–Russian talks on Syria, 2016–2019), read raw, fed in order into a
//! fresh index with the default configuration and no dates: the two reports of the June 2017 secret talks in
//! Amman (000, 001) form one story; the July 2016 Kerry–Putin talks (003) and the 2019 understanding on Iran
//! and al-Qaeda (004) each stand apart, from those and from each other. Skipped when `shared/` is absent.

use std::path::PathBuf;

use rasd_stories::{doc_features, similarity, StoryConfig, StoryIndex};

fn seeds_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    dir.is_dir().then_some(dir)
}

fn read_seed(dir: &std::path::Path, prefix: &str) -> Option<String> {
    let entry = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))?;
    Some(String::from_utf8_lossy(&std::fs::read(entry.path()).ok()?).into_owned())
}

#[test]
fn seeds_cluster_by_event_not_by_actors() {
    let Some(dir) = seeds_dir() else {
        eprintln!("skipping: ../../../shared/seeds not found beside the checkout");
        return;
    };
    let mut feats = Vec::new();
    for prefix in ["000_", "001_", "002_", "003_", "004_"] {
        let Some(text) = read_seed(&dir, prefix) else {
            eprintln!("skipping: seed {prefix} missing");
            return;
        };
        // The first line short enough to be a headline is the title (001 opens with a navigation strip of
        // concatenated headlines, 148 words on one line); the whole raw text is the body.
        let title = text.lines().map(str::trim).find(|l| {
            !l.is_empty() && l.split_whitespace().count() <= rasd_stories::MAX_TITLE_WORDS
        });
        feats.push(doc_features(title, &text, None));
    }
    let mut index = StoryIndex::new(StoryConfig::default());
    for i in 0..feats.len() {
        for j in i + 1..feats.len() {
            eprintln!(
                "sim {i} {j} = {:.3}",
                similarity(&index, &feats[i], &feats[j])
            );
        }
    }
    let stories: Vec<u64> = feats
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let a = index.assign(f, 100 + i as u64);
            eprintln!(
                "seed {i}: story {} sim {:.3} new {}",
                a.story, a.similarity, a.is_new
            );
            a.story
        })
        .collect();
    assert_eq!(stories[0], stories[1], "000 and 001 report the same talks");
    assert_ne!(stories[3], stories[0], "003 is another event");
    assert_ne!(stories[4], stories[0], "004 is another event");
    assert_ne!(stories[3], stories[4], "003 and 004 are different events");
    let key = index.key_terms(stories[0], 8);
    eprintln!("key terms of the 2017 story: {key:?}");
    assert_eq!(key.len(), 8);
}
