//! Arabic stopwords (the MIT-licensed list by Mohamed Taher Alrefaie, `data/LICENSE.mohataher`).

use std::sync::OnceLock;

use crate::lexicon::{parse_list, WordSet};

fn stopwords() -> &'static WordSet {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| {
        WordSet::from_set(parse_list(include_str!(
            "../data/arabic-stopwords-mohataher.txt"
        )))
    })
}

/// Whether `key` (a [`crate::search_key`] form) is a stopword.
///
/// ```
/// use rasd_arabic::{is_stopword, search_key};
/// assert!(is_stopword(&search_key("إلى")));
/// assert!(!is_stopword(&search_key("سوريا")));
/// ```
pub fn is_stopword(key: &str) -> bool {
    stopwords().contains(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search_key;

    #[test]
    fn table() {
        for w in [
            "في", "من", "على", "إلى", "التي", "الذي", "أن", "إن", "هذا", "كان", "عن", "مع",
        ] {
            assert!(is_stopword(&search_key(w)), "{w} should be a stopword");
        }
        for w in [
            "سوريا",
            "محادثات",
            "روسيا",
            "وزير",
            "الأردن",
            "reuters",
            "2017",
            "",
        ] {
            assert!(!is_stopword(&search_key(w)), "{w} should not be a stopword");
        }
    }

    #[test]
    fn list_is_loaded_and_folded() {
        assert!(stopwords().len() > 500);
        // Entries are stored in search-key form: no hamza seats, no diacritics.
        assert!(stopwords()
            .iter()
            .all(|w| !w.contains(['أ', 'إ', 'ى', 'ة', '\u{64E}'])));
    }
}
