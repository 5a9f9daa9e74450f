//! Linking a tagged span to its canonical entity.

use rasd_arabic::{fold_variant, search_key, variant_key};
use rasd_types::EntityType;

use crate::gazetteer::{strip_particles, Gazetteer, Known};

/// The words around a span (normalized keys), for telling a capital that stands for its state.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context<'a> {
    pub prev: Option<&'a str>,
    pub next: Option<&'a str>,
    pub next2: Option<&'a str>,
}

/// What a span links to.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub id: String,
    pub name: String,
    pub kind: EntityType,
    /// Bytes cut from the start of the span (conjunctions and prepositions).
    pub cut: usize,
}

/// Verbs (search keys, feminine: a capital standing for its state is grammatically feminine)
/// after which a capital is taken to mean its government: `قالت موسكو`, `موسكو ترفض`.
const STATE_VERBS: &[&str] = &[
    "قالت",
    "اعلنت",
    "اكدت",
    "ترفض",
    "رفضت",
    "تتهم",
    "اتهمت",
    "ردت",
    "ترد",
    "حذرت",
    "تحذر",
    "طالبت",
    "تطالب",
    "نفت",
    "تنفي",
    "دعت",
    "تدعو",
    "وافقت",
    "توافق",
    "هددت",
    "تهدد",
    "ابلغت",
    "تريد",
    "تسعي",
    "سعت",
    "تعتبر",
    "اعتبرت",
    "ترحب",
    "رحبت",
    "ادانت",
    "تدين",
    "فرضت",
    "تفرض",
    "اتفقت",
    "تتفق",
    "ارسلت",
    "ترسل",
    "تعهدت",
    "قررت",
    "تؤكد",
    "تعلن",
    "اعربت",
    "طلبت",
];

/// Words before a capital that make it a party (`بين موسكو وواشنطن`, `علاقات ... مع`).
const STATE_BEFORE: &[&str] = &["بين", "مع", "وبين", "ومع", "حكومه", "ادارة", "اداره"];

/// Bytes of the conjunctions/prepositions written onto `token` (original text) whose search key is
/// `key`: the letters that `strip_particles` removes, when what is left is a tail of the key.
pub(crate) fn particle_cut(token: &str, key: &str) -> usize {
    cut_to(token, key, &strip_particles(key))
}

/// Bytes of `token` (whose search key is `key`) before the part whose key is `bare`, a tail of `key`.
fn cut_to(token: &str, key: &str, bare: &str) -> usize {
    if bare.len() >= key.len() || !key.ends_with(bare) {
        return 0;
    }
    let letters = key.chars().count() - bare.chars().count();
    let mut seen = 0;
    for (i, c) in token.char_indices() {
        let is_mark = ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}' || c == '\u{0640}';
        if is_mark {
            continue;
        }
        if seen == letters {
            return i;
        }
        seen += 1;
    }
    0
}

fn prefix(kind: EntityType) -> &'static str {
    match kind {
        EntityType::Per => "per",
        EntityType::Org => "org",
        EntityType::Loc => "loc",
        EntityType::Misc => "misc",
    }
}

/// Whether a known entity may stand for a span tagged `kind`.
fn compatible(k: &Known, kind: EntityType) -> bool {
    if k.geonames_id.is_none() {
        // Alias-table names are distinctive: trust them over the tagger's type.
        return true;
    }
    match kind {
        EntityType::Loc => true,
        // A country or capital tagged as an organisation is its government.
        EntityType::Org => k.country.is_some() || k.capital_of.is_some(),
        EntityType::Per | EntityType::Misc => false,
    }
}

fn stands_for_state(kind: EntityType, ctx: Context<'_>) -> bool {
    if kind == EntityType::Org {
        return true;
    }
    let verb = |w: Option<&str>| {
        w.is_some_and(|w| {
            let bare = strip_particles(w);
            STATE_VERBS.contains(&bare.as_str())
        })
    };
    verb(ctx.next)
        || verb(ctx.prev)
        || ctx.prev.is_some_and(|p| STATE_BEFORE.contains(&p))
        || (ctx.next.is_some_and(|n| n == "و" || n.starts_with('و')) && verb(ctx.next2))
}

/// The gazetteer entries a place name (as written) may stand for, most likely first.
pub(crate) fn place_candidates<'g>(gaz: &'g Gazetteer, words: &[&str]) -> Vec<&'g Known> {
    let mut keys: Vec<String> = words.iter().map(|w| search_key(w)).collect();
    if let Some(k) = keys.first_mut() {
        *k = strip_particles(k);
    }
    keys.retain(|k| !k.is_empty());
    if keys.is_empty() {
        return Vec::new();
    }
    gaz.lookup(&keys)
        .iter()
        .filter_map(|&i| gaz.known.get(i as usize))
        .filter(|k| compatible(k, EntityType::Loc))
        .collect()
}

/// Links the words of a span (as written) tagged `kind`.
/// Letters of the conjunctions and prepositions written onto a word.
const PARTICLE_LETTERS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// Times a word must be recorded as a given name in `persons.tsv` to count as one when a
/// conjunction or preposition is cut from it.
const GIVEN_NAME_MIN: u32 = 10;

/// The first word of a person's name as the person-name table reads it: the word itself when it
/// is a name (`وسام`, `وليد`), or without one leading و/ف/ب/ل/ك when the rest is a common given
/// name (`وجواد` → `جواد`); `None` when the table says neither.
fn person_head(gaz: &Gazetteer, head: &str) -> Option<String> {
    if is_person_word(gaz, head) {
        return Some(head.to_string());
    }
    let rest = head
        .strip_prefix(PARTICLE_LETTERS)
        .filter(|r| r.chars().count() >= 3)?;
    let given = gaz.persons.get(rest).map(|p| p.given).unwrap_or(0);
    (given >= GIVEN_NAME_MIN).then(|| rest.to_string())
}

/// Whether the search key `word` is recorded as a person's name more than twice in `persons.tsv`.
fn is_person_word(gaz: &Gazetteer, word: &str) -> bool {
    gaz.persons
        .get(word)
        .is_some_and(|p| p.given.saturating_add(p.surname) > 2)
}

pub(crate) fn resolve(
    gaz: &Gazetteer,
    words: &[&str],
    kind: EntityType,
    ctx: Context<'_>,
) -> Option<Resolved> {
    let first = words.first()?;
    let first_key = search_key(first);
    // A person's first name is read against the person-name table instead: وسام and وليد are
    // names (not و + سام), وجواد is و + جواد.
    let person_head = match kind {
        EntityType::Per => person_head(gaz, &first_key),
        _ => None,
    };
    let mut cut = match &person_head {
        Some(h) => cut_to(first, &first_key, h),
        None => particle_cut(first, &first_key),
    };
    let whole_first_name = person_head
        .as_deref()
        .is_some_and(|h| h.starts_with(PARTICLE_LETTERS) && is_person_word(gaz, h));
    let mut keys: Vec<String> = words.iter().map(|w| search_key(w)).collect();
    if let Some(k) = keys.first_mut() {
        *k = person_head.unwrap_or_else(|| strip_particles(k));
    }
    keys.retain(|k| !k.is_empty());
    if keys.is_empty() {
        return None;
    }
    let find = |keys: &[String]| {
        gaz.lookup(keys)
            .iter()
            .filter_map(|&i| gaz.known.get(i as usize))
            .find(|k| compatible(k, kind))
    };
    let mut known = find(&keys);
    if known.is_none() {
        // The segmenter keeps a single و/ب/ل/ف/ك before words it does not know (وداعش, بغزة);
        // cut it when what is left is a known name.
        let head = keys.first().map(String::as_str).unwrap_or("");
        let rest = head
            .strip_prefix(PARTICLE_LETTERS)
            .filter(|r| r.chars().count() >= 3);
        if let Some(rest) = rest {
            let mut alt = keys.clone();
            if let Some(k) = alt.first_mut() {
                *k = strip_particles(rest);
            }
            if let Some(k) = find(&alt) {
                known = Some(k);
                cut = alt
                    .first()
                    .map(|b| cut_to(first, &first_key, b))
                    .unwrap_or(cut);
            }
        }
    }
    if let Some(k) = known {
        let k = match (&k.capital_of, stands_for_state(kind, ctx)) {
            (Some(iso), true) => gaz.country(iso).unwrap_or(k),
            _ => k,
        };
        return Some(Resolved {
            id: k.id.clone(),
            name: k.name.clone(),
            kind: k.kind,
            cut,
        });
    }
    let mut id = String::from(prefix(kind));
    id.push(':');
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            id.push('-');
        }
        // A first name that starts with a particle's letter is folded but not stemmed: وليد is
        // not و + ليد.
        let v = if i == 0 && whole_first_name {
            fold_variant(k)
        } else {
            variant_key(k)
        };
        id.push_str(if v.is_empty() { k } else { &v });
    }
    let display: Vec<&str> = words
        .iter()
        .enumerate()
        .map(|(i, w)| if i == 0 { w.get(cut..).unwrap_or(w) } else { w })
        .collect();
    Some(Resolved {
        id,
        name: display.join(" "),
        kind,
        cut,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particle_cut_keeps_the_article() {
        let cut = |w: &str| particle_cut(w, &search_key(w));
        assert_eq!(&"وبالرياض"[cut("وبالرياض")..], "الرياض");
        assert_eq!(&"لروسيا"[cut("لروسيا")..], "روسيا");
        assert_eq!(cut("للولايات"), 0);
        assert_eq!(cut("موسكو"), 0);
        assert_eq!(cut(""), 0);
    }

    #[test]
    fn capitals_stand_for_states_in_context() {
        let g = Gazetteer::load();
        let r = |kind, prev, next| {
            resolve(
                &g,
                &["موسكو"],
                kind,
                Context {
                    prev,
                    next,
                    next2: None,
                },
            )
            .map(|r| r.id)
        };
        let moscow = r(EntityType::Loc, Some("في"), Some("امس"));
        let russia = Some("loc:geonames:2017370".to_string());
        assert_eq!(moscow, Some("loc:geonames:524901".to_string()));
        assert_eq!(r(EntityType::Loc, None, Some("ترفض")), russia);
        assert_eq!(r(EntityType::Org, Some("في"), None), russia);
        assert_eq!(r(EntityType::Loc, Some("بين"), None), russia);
    }

    #[test]
    fn a_conjunction_on_a_given_name_is_cut_but_names_starting_with_its_letter_stay() {
        let g = Gazetteer::load();
        let per = |w: &[&str]| resolve(&g, w, EntityType::Per, Context::default());
        let a = per(&["وجواد", "ظريف"]);
        let b = per(&["جواد", "ظريف"]);
        assert_eq!(a.as_ref().map(|r| &r.id), b.as_ref().map(|r| &r.id));
        assert_eq!(a.as_ref().map(|r| r.name.as_str()), Some("جواد ظريف"));
        assert_eq!(a.map(|r| r.cut), Some("و".len()));
        // وسام and وليد are names themselves (سام, ليد are not what is meant).
        for w in ["وسام", "وليد"] {
            let r = per(&[w, "حداد"]);
            assert_eq!(r.as_ref().map(|r| r.cut), Some(0), "{w}");
            assert!(r.map(|r| r.name.starts_with(w)).unwrap_or(false), "{w}");
        }
        // Only for people: an organisation keeps its word.
        let org = resolve(
            &g,
            &["وجواد", "للتجارة"],
            EntityType::Org,
            Context::default(),
        );
        assert_eq!(org.map(|r| r.cut), Some(0));
    }

    #[test]
    fn unknown_names_get_variant_ids() {
        let g = Gazetteer::load();
        let a = resolve(
            &g,
            &["وماريا", "زاخاروفا"],
            EntityType::Per,
            Context::default(),
        );
        let b = resolve(
            &g,
            &["ماريا", "زخاروفا"],
            EntityType::Per,
            Context::default(),
        );
        assert_eq!(a.as_ref().map(|r| r.id.clone()), b.map(|r| r.id));
        assert_eq!(a.map(|r| r.name), Some("ماريا زاخاروفا".to_string()));
        assert!(resolve(&g, &[], EntityType::Per, Context::default()).is_none());
    }
}
