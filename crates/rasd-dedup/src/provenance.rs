//! Provenance chains: who a copy says it took the text from (`المصدر: X`, `نقلاً عن X`), followed
//! through the members of its duplicate group.

use serde::Serialize;

/// What a group member says about itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceInfo<'a> {
    /// The outlet that published it.
    pub outlet: Option<&'a str>,
    /// The outlet it says it republishes (`rasd_types::Article::original_source`).
    pub original_source: Option<&'a str>,
}

/// One step of a provenance chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvenanceStep {
    /// The outlet named at this step.
    pub outlet: String,
    /// The group member published by that outlet, when the group has one.
    pub doc: Option<usize>,
}

/// Outlet names compared loosely: letters folded (أ/إ/آ→ا, ى→ي, ة→ه), case, spaces and
/// punctuation ignored, a leading "صحيفة"/"جريدة"/"وكالة"/"موقع"/"قناة" dropped.
fn outlet_key(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| crate::diff::norm(&w.to_lowercase()))
        .collect();
    let skip = usize::from(
        words.len() > 1 && ["صحيفه", "جريده", "وكاله", "موقع", "قناه"].contains(&words[0].as_str()),
    );
    words.get(skip..).unwrap_or_default().concat()
}

/// The provenance chain of group member `start`: its own outlet (if known), then the outlet it
/// says it copies, then the outlet *that* outlet's member says it copies, and so on, resolving
/// each name to the group member published by that outlet where there is one. Stops at a name
/// with no member, at a member that names no source, or at a loop.
///
/// ```
/// use rasd_dedup::{provenance_chain, SourceInfo};
/// let members = [
///     SourceInfo { outlet: Some("الشرق الأوسط"), original_source: Some("رويترز") },
///     SourceInfo { outlet: Some("بلدي نيوز"), original_source: Some("صحيفة الشرق الاوسط") },
/// ];
/// let chain = provenance_chain(&members, 1);
/// let outlets: Vec<_> = chain.iter().map(|s| (s.outlet.as_str(), s.doc)).collect();
/// assert_eq!(outlets, [("بلدي نيوز", Some(1)), ("صحيفة الشرق الاوسط", Some(0)), ("رويترز", None)]);
/// ```
pub fn provenance_chain(members: &[SourceInfo<'_>], start: usize) -> Vec<ProvenanceStep> {
    let Some(first) = members.get(start) else {
        return Vec::new();
    };
    let mut chain = Vec::new();
    let mut seen_keys: Vec<String> = Vec::new();
    if let Some(o) = first.outlet.filter(|o| !o.trim().is_empty()) {
        seen_keys.push(outlet_key(o));
        chain.push(ProvenanceStep {
            outlet: o.trim().to_string(),
            doc: Some(start),
        });
    }
    let mut next = first.original_source;
    while let Some(name) = next.map(str::trim).filter(|n| !n.is_empty()) {
        let key = outlet_key(name);
        if key.is_empty() || seen_keys.contains(&key) || chain.len() > members.len() {
            break;
        }
        seen_keys.push(key.clone());
        let doc = members
            .iter()
            .position(|m| m.outlet.is_some_and(|o| outlet_key(o) == key));
        chain.push(ProvenanceStep {
            outlet: name.to_string(),
            doc,
        });
        next = doc
            .and_then(|d| members.get(d))
            .and_then(|m| m.original_source);
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn si<'a>(outlet: Option<&'a str>, source: Option<&'a str>) -> SourceInfo<'a> {
        SourceInfo {
            outlet,
            original_source: source,
        }
    }

    #[test]
    fn chains_table() {
        let members = [
            si(Some("وكالة الأناضول"), None),
            si(Some("عربي 21"), Some("الاناضول")),
            si(Some("موقع الخليج"), Some("عربي21")),
            si(Some("الوطن"), Some("رويترز")), // no member from Reuters: the chain ends there
            si(Some("أ"), Some("ب")),
            si(Some("ب"), Some("أ")), // a loop
            si(None, Some("عربي 21")),
            si(Some("   "), None),
        ];
        type Chain<'a> = &'a [(&'a str, Option<usize>)];
        let cases: &[(usize, Chain)] = &[
            (0, &[("وكالة الأناضول", Some(0))]),
            (1, &[("عربي 21", Some(1)), ("الاناضول", Some(0))]),
            (
                2,
                &[
                    ("موقع الخليج", Some(2)),
                    ("عربي21", Some(1)),
                    ("الاناضول", Some(0)),
                ],
            ),
            (3, &[("الوطن", Some(3)), ("رويترز", None)]),
            (4, &[("أ", Some(4)), ("ب", Some(5))]),
            (6, &[("عربي 21", Some(1)), ("الاناضول", Some(0))]),
            (7, &[]),
            (99, &[]),
        ];
        for (start, want) in cases {
            let got: Vec<(String, Option<usize>)> = provenance_chain(&members, *start)
                .into_iter()
                .map(|s| (s.outlet, s.doc))
                .collect();
            let want: Vec<(String, Option<usize>)> =
                want.iter().map(|(o, d)| (o.to_string(), *d)).collect();
            assert_eq!(got, want, "start {start}");
        }
    }
}
