//! Arabic text analysis for rasd: normalization with offset maps, tokenization, conservative clitic
//! segmentation, light stemming, spelling-variant keys, sentence splitting and stopwords.
//!
//! Every function is pure and never panics on any input. The usual pipeline for one word is
//! [`search_key`] → [`light_stem`] → [`fold_variant`] (or [`variant_key`] straight from the key);
//! [`analyze`] and [`for_each_term`] do it for a text. Word tables ship in `data/`: the MIT
//! stopword list (`LICENSE.mohataher`) and `lexicon.txt`, the known stems that guard clitic
//! splitting (بيروت، فلسطين، وزارة …).
//!
//! ```
//! use rasd_arabic::{light_stem, search_key, variant_key};
//! let key = search_key("والمحادثات");
//! assert_eq!(key, "والمحادثات");
//! assert_eq!(light_stem(&key), "محادث");
//! assert_eq!(variant_key(&search_key("الأميركيين")), variant_key(&search_key("أمريكي")));
//! ```

mod analyze;
mod clitics;
mod lexicon;
mod normalize;
mod sentences;
mod stem;
mod stopwords;
mod tokenize;
mod variant;

pub use analyze::*;
pub use clitics::*;
pub use normalize::*;
pub use sentences::*;
pub use stem::*;
pub use stopwords::*;
pub use tokenize::*;
pub use variant::*;
