//! The embedded gazetteers: GeoNames places, person names, the alias table and country adjectives
//! (see `data/SOURCES.md`). Everything is keyed by search-normalized words.

use std::collections::HashMap;

use rasd_arabic::{search_key, segment, tokenize, variant_key};
use rasd_types::EntityType;

const PLACES: &str = include_str!("../data/places.tsv");
const PERSONS: &str = include_str!("../data/persons.tsv");
const ALIASES: &str = include_str!("../data/aliases.tsv");
const NISBA: &str = include_str!("../data/nisba.tsv");

/// Longest multiword name looked for, in words.
pub(crate) const MAX_NAME_WORDS: usize = 6;

/// A known entity: a GeoNames place or an alias-table entry.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    pub id: String,
    pub kind: EntityType,
    pub name: String,
    pub aliases: Vec<String>,
    pub geonames_id: Option<u64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// ISO code of a country, for countries.
    pub country: Option<String>,
    /// ISO code of the country whose capital this is.
    pub capital_of: Option<String>,
    /// Ranking among places of the same name: alias entries, countries, capitals, then population.
    pub rank: u64,
}

/// Person-name statistics of one normalized word.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PersonWord {
    pub given: u32,
    pub surname: u32,
}

/// All the tables, loaded once.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    pub known: Vec<Known>,
    by_id: HashMap<String, u32>,
    /// Normalized name (words joined by a space) → known entities, best first.
    by_name: HashMap<String, Vec<u32>>,
    /// Variant key of the name → known entities, best first.
    by_variant: HashMap<String, Vec<u32>>,
    /// First normalized word of any name → the most words a name starting with it has.
    first_words: HashMap<String, u8>,
    pub persons: HashMap<String, PersonWord>,
    /// Normalized adjective form (no article) → ISO code of its country.
    nisba: HashMap<String, String>,
    country_by_iso: HashMap<String, u32>,
}

/// Search-normalized words of a name.
pub(crate) fn name_words(name: &str) -> Vec<String> {
    tokenize(name).map(|t| search_key(t.text)).collect()
}

/// Variant key of normalized words.
pub(crate) fn variant_of(words: &[String]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&variant_key(w));
    }
    out
}

/// A normalized word without the conjunctions and prepositions before it (the article is kept):
/// `وبالرياض` → `الرياض`, `لروسيا` → `روسيا`.
pub(crate) fn strip_particles(key: &str) -> String {
    let seg = segment(key);
    if seg.proclitics.contains(&"ال") {
        // With the article no enclitic is cut, so the stem is the key's tail (لل folds ل + ال).
        let tail = key
            .get(key.len().saturating_sub(seg.stem.len())..)
            .unwrap_or(key);
        return format!("ال{tail}");
    }
    let cut: usize = seg.proclitics.iter().map(|p| p.len()).sum();
    key.get(cut..).unwrap_or(key).to_string()
}

fn parse_f64(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn kind_of(s: &str) -> Option<EntityType> {
    match s.trim() {
        "PER" => Some(EntityType::Per),
        "ORG" => Some(EntityType::Org),
        "LOC" => Some(EntityType::Loc),
        "MISC" => Some(EntityType::Misc),
        _ => None,
    }
}

fn data_lines(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

impl Gazetteer {
    /// Loads the embedded tables.
    pub fn load() -> Gazetteer {
        let mut g = Gazetteer::default();
        // Alias entries first: they rank above everything else of the same name.
        let mut alias_rows = Vec::new();
        for f in data_lines(ALIASES) {
            let (Some(id), Some(kind), Some(name)) = (f.first(), f.get(1), f.get(2)) else {
                continue;
            };
            let Some(kind) = kind_of(kind) else { continue };
            let aliases: Vec<String> = f
                .get(3)
                .map(|a| {
                    a.split('|')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            alias_rows.push((
                id.trim().to_string(),
                kind,
                name.trim().to_string(),
                aliases,
            ));
        }
        for f in data_lines(PLACES) {
            let Some(gid) = f.first().and_then(|s| s.trim().parse::<u64>().ok()) else {
                continue;
            };
            let is_country = f.get(1).map(|s| s.trim()) == Some("country");
            let iso = f.get(2).map(|s| s.trim().to_string()).unwrap_or_default();
            let population = f
                .get(5)
                .and_then(|s| s.trim().parse::<u64>().ok())
                .unwrap_or(0);
            let capital_of = f
                .get(6)
                .map(|s| s.trim())
                .filter(|s| !s.is_empty() && *s != "-")
                .map(String::from);
            let names: Vec<String> = f
                .get(7)
                .map(|s| {
                    s.split('|')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            // The canonical name: fewest words first (سوريا before الجمهورية العربية السورية),
            // then the spelling most other names agree with once diacritics are folded (عمان,
            // which عمّان and عَمّان also write, before a transliteration such as ئاممان), then
            // the file's order (القاهرة before قاهره).
            let keys: Vec<String> = names.iter().map(|n| rasd_arabic::search_key(n)).collect();
            let mut ranked: Vec<(usize, std::cmp::Reverse<usize>, usize, String)> = names
                .into_iter()
                .zip(&keys)
                .enumerate()
                .map(|(i, (n, k))| {
                    let support = keys.iter().filter(|o| *o == k).count();
                    (
                        n.split_whitespace().count(),
                        std::cmp::Reverse(support),
                        i,
                        n,
                    )
                })
                .collect();
            ranked.sort();
            let names: Vec<String> = ranked.into_iter().map(|(_, _, _, n)| n).collect();
            let rank = if is_country {
                1 << 40
            } else if capital_of.is_some() {
                1 << 39
            } else {
                population.min((1 << 39) - 1)
            };
            let name = names.first().cloned().unwrap_or_default();
            let aliases = names.iter().skip(1).cloned().collect();
            g.push(Known {
                id: format!("loc:geonames:{gid}"),
                kind: EntityType::Loc,
                name,
                aliases,
                geonames_id: Some(gid),
                lat: f.get(3).and_then(|s| parse_f64(s)),
                lon: f.get(4).and_then(|s| parse_f64(s)),
                country: is_country.then(|| iso.clone()),
                capital_of,
                rank,
            });
        }
        for (id, kind, name, aliases) in alias_rows {
            if let Some(&i) = g.by_id.get(&id) {
                // Extra names of a GeoNames place; the alias table's name becomes canonical.
                if let Some(k) = g.known.get_mut(i as usize) {
                    let old = std::mem::replace(&mut k.name, name.clone());
                    for a in std::iter::once(old).chain(aliases) {
                        if a != k.name && !a.is_empty() && !k.aliases.contains(&a) {
                            k.aliases.push(a);
                        }
                    }
                    k.rank = 1 << 41;
                }
            } else {
                let geonames_id = id
                    .strip_prefix("loc:geonames:")
                    .and_then(|s| s.parse::<u64>().ok());
                g.push(Known {
                    id,
                    kind,
                    name,
                    aliases,
                    geonames_id,
                    lat: None,
                    lon: None,
                    country: None,
                    capital_of: None,
                    rank: 1 << 41,
                });
            }
        }
        g.index_names();
        for f in data_lines(PERSONS) {
            let (Some(name), Some(given), Some(surname)) = (f.first(), f.get(1), f.get(2)) else {
                continue;
            };
            let key = search_key(name.trim());
            if key.is_empty() {
                continue;
            }
            let e = g.persons.entry(key).or_default();
            e.given = e
                .given
                .saturating_add(given.trim().parse::<u32>().unwrap_or(0));
            e.surname = e
                .surname
                .saturating_add(surname.trim().parse::<u32>().unwrap_or(0));
        }
        for f in data_lines(NISBA) {
            let Some(iso) = f.first().map(|s| s.trim().to_string()) else {
                continue;
            };
            for base in f.get(1).into_iter().flat_map(|s| s.split('|')) {
                let k = search_key(base.trim());
                if k.is_empty() || k.contains(' ') {
                    continue;
                }
                for suffix in ["", "ه", "ين", "ون", "ان", "تين", "تان", "ات"] {
                    g.nisba.insert(format!("{k}{suffix}"), iso.clone());
                }
            }
            for plural in f.get(2).into_iter().flat_map(|s| s.split('|')) {
                let k = search_key(plural.trim());
                if !k.is_empty() && !k.contains(' ') {
                    g.nisba.insert(k, iso.clone());
                }
            }
        }
        g
    }

    fn push(&mut self, k: Known) {
        let i = self.known.len() as u32;
        if let Some(c) = &k.country {
            self.country_by_iso.insert(c.clone(), i);
        }
        self.by_id.insert(k.id.clone(), i);
        self.known.push(k);
    }

    fn index_names(&mut self) {
        for (i, k) in self.known.iter().enumerate() {
            let i = i as u32;
            for n in std::iter::once(&k.name).chain(k.aliases.iter()) {
                let words = name_words(n);
                if words.is_empty() || words.len() > MAX_NAME_WORDS {
                    continue;
                }
                let v = variant_of(&words);
                if let Some(first) = words.first() {
                    let e = self.first_words.entry(first.clone()).or_insert(0);
                    *e = (*e).max(words.len() as u8);
                }
                self.by_name.entry(words.join(" ")).or_default().push(i);
                self.by_variant.entry(v).or_default().push(i);
            }
        }
        let known = &self.known;
        let order = |v: &mut Vec<u32>| {
            v.sort_by_key(|&i| {
                (
                    std::cmp::Reverse(known.get(i as usize).map(|k| k.rank).unwrap_or(0)),
                    i,
                )
            });
            v.dedup();
        };
        self.by_name.values_mut().for_each(order);
        self.by_variant.values_mut().for_each(order);
    }

    /// The known entity with this id.
    pub fn by_id(&self, id: &str) -> Option<&Known> {
        self.by_id.get(id).and_then(|&i| self.known.get(i as usize))
    }

    /// Known entities named exactly `words` (normalized), else by variant key; best first.
    pub fn lookup(&self, words: &[String]) -> &[u32] {
        if let Some(v) = self.by_name.get(&words.join(" ")) {
            return v;
        }
        self.by_variant
            .get(&variant_of(words))
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// Known entities named exactly `words` (normalized), best first.
    pub fn lookup_exact(&self, words: &[String]) -> &[u32] {
        self.by_name
            .get(&words.join(" "))
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// Whether a one-word place name has this variant key.
    pub fn has_place_variant(&self, vkey: &str) -> bool {
        self.by_variant.get(vkey).is_some_and(|v| {
            v.iter().any(|&i| {
                self.known
                    .get(i as usize)
                    .is_some_and(|k| k.kind == EntityType::Loc)
            })
        })
    }

    /// The most words a name starting with this normalized word has (0: none).
    pub fn starts_name(&self, word: &str) -> usize {
        self.first_words
            .get(word)
            .map(|&n| usize::from(n))
            .unwrap_or(0)
    }

    /// The country (its known entity) of an adjective such as `الأمريكية` (normalized key).
    pub fn nisba(&self, key: &str) -> Option<&Known> {
        let seg = segment(key);
        let stem_with_suffix = strip_particles(key);
        let bare = stem_with_suffix
            .strip_prefix("ال")
            .filter(|_| seg.proclitics.contains(&"ال"))
            .unwrap_or(&stem_with_suffix);
        let iso = self.nisba.get(bare)?;
        self.country_by_iso
            .get(iso)
            .and_then(|&i| self.known.get(i as usize))
    }

    /// The country whose ISO code is `iso`.
    pub fn country(&self, iso: &str) -> Option<&Known> {
        self.country_by_iso
            .get(iso)
            .and_then(|&i| self.known.get(i as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_places_aliases_and_persons() {
        let g = Gazetteer::load();
        assert!(g.known.len() > 5000);
        let w = |s: &str| name_words(s);
        let us = g.lookup(&w("أمريكا"));
        let first = us.first().and_then(|&i| g.known.get(i as usize));
        assert_eq!(first.map(|k| k.id.as_str()), Some("loc:geonames:6252001"));
        let dam = g
            .lookup(&w("دمشق"))
            .first()
            .and_then(|&i| g.known.get(i as usize));
        assert_eq!(dam.and_then(|k| k.capital_of.as_deref()), Some("SY"));
        assert!(dam.and_then(|k| k.lat).is_some());
        assert!(g.lookup(&w("كلمةغيرموجودة")).is_empty());
        assert!(
            g.persons
                .get(&search_key("محمد"))
                .map(|p| p.given)
                .unwrap_or(0)
                > 0
        );
    }

    #[test]
    fn particles_are_cut_but_the_article_stays() {
        assert_eq!(strip_particles(&search_key("وبالرياض")), "الرياض");
        assert_eq!(strip_particles(&search_key("لروسيا")), "روسيا");
        assert_eq!(strip_particles(&search_key("الرياض")), "الرياض");
    }

    #[test]
    fn adjectives_point_to_countries() {
        let g = Gazetteer::load();
        for (adj, iso) in [
            ("الأمريكي", "US"),
            ("الأميركية", "US"),
            ("الروسية", "RU"),
            ("الأردنيين", "JO"),
            ("والسوريون", "SY"),
            ("الأتراك", "TR"),
        ] {
            let c = g.nisba(&search_key(adj)).and_then(|k| k.country.clone());
            assert_eq!(c.as_deref(), Some(iso), "{adj}");
        }
        for not in ["روسيا", "ترك", "الرئيس", "أمريكا"] {
            assert!(g.nisba(&search_key(not)).is_none(), "{not}");
        }
    }
}
