//! Linking a tagged span to its canonical entity.

use rasd_arabic::{fold_variant, search_key, variant_key};
use rasd_types::{EntityMention, EntityType, MentionKind};

use crate::gazetteer::{name_words, strip_particles, Gazetteer, Known};

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
    /// Words dropped from the start of the span (a word the tagger took into a known person's
    /// name: `بحضور لافروف`).
    pub skip: usize,
    /// Bytes cut from the start of the span's first word kept (conjunctions and prepositions).
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

/// Letters of the conjunctions and prepositions written onto a word.
const PARTICLE_LETTERS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// Times a word must be recorded in `persons.tsv` to be read as a first name after و or ف
/// written onto it; after ب, ل or ك, which stand before names less often, [`NAME_AFTER_RARE`].
const NAME_AFTER_CONJUNCTION: u32 = 10;
const NAME_AFTER_RARE: u32 = 50;

/// The first word of a person's name as the person-name table reads it: the word itself when it
/// is a name (`وسام`, `وليد`), or without one leading و/ف/ب/ل/ك when the rest is a frequent one
/// (`وجواد` → `جواد`, but not `كارا` → `ارا`); `None` when the table says neither.
fn person_head(gaz: &Gazetteer, head: &str) -> Option<String> {
    if is_person_word(gaz, head) {
        return Some(head.to_string());
    }
    let rest = head
        .strip_prefix(PARTICLE_LETTERS)
        .filter(|r| r.chars().count() >= 3)?;
    let min = if head.starts_with(['و', 'ف']) {
        NAME_AFTER_CONJUNCTION
    } else {
        NAME_AFTER_RARE
    };
    (person_count(gaz, rest) >= min).then(|| rest.to_string())
}

/// Times the search key `word` is recorded as a given name or surname in `persons.tsv`.
fn person_count(gaz: &Gazetteer, word: &str) -> u32 {
    gaz.persons
        .get(word)
        .map_or(0, |p| p.given.saturating_add(p.surname))
}

/// A word's part of an id built from a mention's words: the variant key of its search key `key`
/// (folded without stemming unless `stem`), or the key itself when that is empty.
fn id_word(key: &str, stem: bool) -> String {
    let v = if stem {
        variant_key(key)
    } else {
        fold_variant(key)
    };
    if v.is_empty() {
        key.to_string()
    } else {
        v
    }
}

/// Whether the search key `word` is recorded as a person's name more than twice in `persons.tsv`.
fn is_person_word(gaz: &Gazetteer, word: &str) -> bool {
    person_count(gaz, word) > 2
}

/// Links the words of a span (as written) tagged `kind`.
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
    // Such a name is folded without stemming only when frequent enough to be found again after
    // a conjunction (وX → X), so that X and وX get one id.
    let whole_first_name = person_head.as_deref().is_some_and(|h| {
        h.starts_with(PARTICLE_LETTERS) && person_count(gaz, h) >= NAME_AFTER_CONJUNCTION
    });
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
    let mut skip = 0;
    if known.is_none() && kind == EntityType::Per && keys.len() >= 2 && keys.len() == words.len() {
        // A word before a known person that is not a name itself (بحضور لافروف): the
        // tagger took it in; the person is the rest. (A whole first name is a name.)
        let head_is_name = keys.first().is_some_and(|k| is_person_word(gaz, k));
        if let (false, Some(k)) = (head_is_name, keys.get(1..).and_then(&find)) {
            known = Some(k);
            skip = 1;
            cut = words
                .get(1)
                .map(|w| particle_cut(w, &search_key(w)))
                .unwrap_or(0);
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
            skip,
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
        id.push_str(&id_word(k, !(i == 0 && whole_first_name)));
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
        skip: 0,
        cut,
    })
}

/// Links a person named by the last word(s) of a fuller name in the same text to that name:
/// after `جون كيربي`, a later (or earlier) `كيربي` or `لكيربي` is the same person. Only mentions
/// whose id was built from their own words are moved (the alias table and the gazetteers
/// stand), and only when one person of the text ends that way (`الأسد` stays alone when both
/// `بشار الأسد` and `حافظ الأسد` are named). A conjunction or preposition left on the first word
/// (`لكيربي`) is cut from the span when the rest is what links.
pub(crate) fn link_partial_names(gaz: &Gazetteer, mentions: &mut [EntityMention]) {
    let is_person = |m: &EntityMention| m.kind == EntityType::Per && m.mention == MentionKind::Name;
    let word_keys = |text: &str| -> Vec<String> {
        name_words(text)
            .iter()
            .filter(|k| !k.is_empty())
            .map(|k| id_word(k, true))
            .collect()
    };
    // The id words of every person mention, once.
    let keys: Vec<Option<Vec<String>>> = mentions
        .iter()
        .map(|m| is_person(m).then(|| word_keys(&m.text)))
        .collect();
    let full: Vec<(&[String], String, String)> = mentions
        .iter()
        .zip(&keys)
        .filter_map(|(m, k)| Some((k.as_deref()?, m.canonical.clone(), m.name.clone())))
        .filter(|(k, _, _)| k.len() >= 2)
        .collect();
    if full.is_empty() {
        return;
    }
    // The one person of the text whose name ends in `keys` (and is longer).
    let owner = |keys: &[String]| -> Option<(String, String)> {
        let mut found: Option<&(&[String], String, String)> = None;
        for f in &full {
            if f.0.len() > keys.len() && f.0.ends_with(keys) {
                match found {
                    Some(g) if g.1 != f.1 => return None,
                    _ => found = Some(f),
                }
            }
        }
        found.map(|f| (f.1.clone(), f.2.clone()))
    };
    for (m, keys) in mentions.iter_mut().zip(&keys) {
        let Some(keys) = keys.as_deref() else {
            continue;
        };
        if keys.is_empty() || gaz.by_id(&m.canonical).is_some() {
            continue;
        }
        if let Some((id, name)) = owner(keys) {
            m.canonical = id;
            m.name = name;
            continue;
        }
        // `لكيربي`: one letter of a particle that the segmenter kept on an unknown word.
        let Some(rest) = m.text.strip_prefix(PARTICLE_LETTERS) else {
            continue;
        };
        let alt = word_keys(rest);
        if alt.len() != keys.len() || alt.first().is_none_or(|k| k.chars().count() < 3) {
            continue;
        }
        if let Some((id, name)) = owner(&alt) {
            m.start += m.text.len() - rest.len();
            m.text = rest.to_string();
            m.canonical = id;
            m.name = name;
        }
    }
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
        // A first name that keeps its first letter gets the same id with و written on.
        for w in ["بنيامين", "لطفي", "كمال"] {
            let plain = per(&[w, "حداد"]).map(|r| r.id);
            let with_waw = per(&[&format!("و{w}"), "حداد"]).map(|r| r.id);
            assert!(plain.is_some());
            assert_eq!(plain, with_waw, "{w}");
        }
        // A rare name after ك is not cut (كارا is not ك + ارا).
        assert_eq!(per(&["كارا", "كينيدي"]).map(|r| r.cut), Some(0));
        // Only for people: an organisation keeps its word.
        let org = resolve(
            &g,
            &["وجواد", "للتجارة"],
            EntityType::Org,
            Context::default(),
        );
        assert_eq!(org.map(|r| r.cut), Some(0));
    }

    fn person(text: &str, start: usize, gaz: &Gazetteer) -> EntityMention {
        let words: Vec<&str> = text.split(' ').collect();
        let r = resolve(gaz, &words, EntityType::Per, Context::default());
        let (id, name) = r.map(|r| (r.id, r.name)).unwrap_or_default();
        EntityMention {
            text: text.to_string(),
            start,
            end: start + text.len(),
            kind: EntityType::Per,
            mention: MentionKind::Name,
            canonical: id,
            name,
        }
    }

    #[test]
    fn a_surname_alone_links_to_the_one_full_name_of_the_text() {
        let g = Gazetteer::load();
        let mut ms = vec![
            person("جون كيربي", 0, &g),
            person("كيربي", 100, &g),
            person("لكيربي", 200, &g),
            person("ماجد الزعبي", 300, &g),
            person("الزعبي", 400, &g),
            person("كيري", 500, &g),
        ];
        let kirby = ms[0].canonical.clone();
        assert_ne!(ms[1].canonical, kirby, "linked before the pass");
        let kerry = ms[5].canonical.clone();
        link_partial_names(&g, &mut ms);
        assert_eq!(ms[1].canonical, kirby);
        assert_eq!(ms[1].name, "جون كيربي");
        // The particle is cut from the span of لكيربي.
        assert_eq!(ms[2].canonical, kirby);
        assert_eq!(
            (ms[2].text.as_str(), ms[2].start),
            ("كيربي", 200 + "ل".len())
        );
        assert_eq!(ms[4].canonical, ms[3].canonical);
        // An alias-table id stands (كيري is John Kerry, not Kirby).
        assert_eq!(ms[5].canonical, kerry);
    }

    #[test]
    fn a_word_the_tagger_took_in_before_a_known_person_is_dropped() {
        let g = Gazetteer::load();
        let per = |w: &[&str]| resolve(&g, w, EntityType::Per, Context::default());
        let lavrov = per(&["لافروف"]).map(|r| r.id);
        assert!(lavrov.is_some());
        let r = per(&["بحضور", "لافروف"]);
        assert_eq!(r.as_ref().map(|r| r.id.clone()), lavrov);
        assert_eq!(r.map(|r| (r.skip, r.cut)), Some((1, 0)));
        // A first name stays part of the name; an unknown rest links nothing.
        assert_eq!(per(&["سيرغي", "لافروف"]).map(|r| r.skip), Some(0));
        assert_eq!(per(&["بحضور", "كيربي"]).map(|r| r.skip), Some(0));
    }

    #[test]
    fn a_surname_shared_by_two_people_of_the_text_stays_alone() {
        let g = Gazetteer::load();
        let mut ms = vec![
            person("ماجد الزعبي", 0, &g),
            person("سامي الزعبي", 50, &g),
            person("الزعبي", 100, &g),
        ];
        let before = ms[2].canonical.clone();
        link_partial_names(&g, &mut ms);
        assert_eq!(ms[2].canonical, before);
        assert_ne!(ms[2].canonical, ms[0].canonical);
        assert_ne!(ms[2].canonical, ms[1].canonical);
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
