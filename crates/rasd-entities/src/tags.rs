//! The BIO tag set: `O` and `B-`/`I-` for PER, ORG, LOC, MISC.

use rasd_types::EntityType;

/// Number of tags.
pub const NTAGS: usize = 9;

/// Index of `O`.
pub const O: u8 = 0;

/// Tag names as written by [`tag_name`] (`PER`, as in [`EntityType::as_str`]).
const NAMES: [&str; NTAGS] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

const TYPES: [EntityType; 4] = [
    EntityType::Per,
    EntityType::Org,
    EntityType::Loc,
    EntityType::Misc,
];

/// Parses a BIO tag (`B-PER`, `B-PERS` as ANERcorp writes it, `I-LOC`, `O`); anything else is `O`.
pub fn parse_tag(tag: &str) -> u8 {
    let tag = tag.trim_matches(|c: char| c.is_whitespace() || c == '\u{200f}' || c == '\u{200e}');
    let (bi, ty) = match tag.split_once('-') {
        Some((b, t)) => (b, t),
        None => return O,
    };
    let t = match ty {
        "PER" | "PERS" => 0,
        "ORG" => 1,
        "LOC" => 2,
        "MISC" => 3,
        _ => return O,
    };
    match bi {
        "B" => 1 + 2 * t,
        "I" => 2 + 2 * t,
        _ => O,
    }
}

/// The name of tag index `t` (`O` for anything out of range).
pub fn tag_name(t: u8) -> &'static str {
    NAMES.get(usize::from(t)).copied().unwrap_or("O")
}

/// The entity type of a non-`O` tag.
pub fn tag_type(t: u8) -> Option<EntityType> {
    if t == O {
        return None;
    }
    TYPES.get(usize::from((t - 1) / 2)).copied()
}

/// Whether `t` is an `I-` tag.
pub fn is_inside(t: u8) -> bool {
    t != O && (t - 1) % 2 == 1
}

/// Whether tag `cur` may follow tag `prev` (`None`: sentence start) in well-formed BIO.
pub fn allowed(prev: Option<u8>, cur: u8) -> bool {
    if !is_inside(cur) {
        return true;
    }
    match prev {
        Some(p) => p != O && tag_type(p) == tag_type(cur),
        None => false,
    }
}

/// Entity spans `(first, last_exclusive, type)` of a BIO sequence, conlleval style: an `I-` tag
/// whose type differs from the open entity starts a new one.
pub fn spans(tags: &[u8]) -> Vec<(usize, usize, EntityType)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let ty = tag_type(t);
        let continues = is_inside(t) && open.map(|(_, o)| Some(o) == ty).unwrap_or(false);
        if continues {
            continue;
        }
        if let Some((s, o)) = open.take() {
            out.push((s, i, o));
        }
        if let Some(ty) = ty {
            open = Some((i, ty));
        }
    }
    if let Some((s, o)) = open {
        out.push((s, tags.len(), o));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_name_round_trip() {
        for t in 0..NTAGS as u8 {
            assert_eq!(parse_tag(tag_name(t)), t);
        }
        assert_eq!(parse_tag("B-PERS"), 1);
        assert_eq!(parse_tag("I-LOC\u{200f}"), 6);
        assert_eq!(parse_tag("X-LOC"), O);
        assert_eq!(parse_tag("B-FOO"), O);
        assert_eq!(parse_tag(""), O);
    }

    #[test]
    fn spans_follow_conlleval() {
        let t = |s: &str| s.split(' ').map(parse_tag).collect::<Vec<_>>();
        assert_eq!(
            spans(&t("B-PER I-PER O B-LOC")),
            vec![(0, 2, EntityType::Per), (3, 4, EntityType::Loc)]
        );
        // An I- without B- starts an entity; a type change splits.
        assert_eq!(
            spans(&t("I-ORG I-ORG I-LOC")),
            vec![(0, 2, EntityType::Org), (2, 3, EntityType::Loc)]
        );
        assert!(spans(&t("O O")).is_empty());
        assert!(!allowed(None, parse_tag("I-PER")));
        assert!(!allowed(Some(O), parse_tag("I-PER")));
        assert!(allowed(Some(parse_tag("B-PER")), parse_tag("I-PER")));
        assert!(!allowed(Some(parse_tag("B-LOC")), parse_tag("I-PER")));
    }
}
