//! Page chrome that survives as paragraphs of the chosen content in HTML mode: reader widgets
//! (print, font size, listen, share, save, reading time, "was this helpful", rating stubs),
//! stand-alone date lines (a time or a labelled date on its own line, a date line above the
//! story) and photo credits. These are controls and stamps of the page, not sentences of the
//! story.

use crate::clean::char_len;
use crate::date::parse_arabic_date;
use crate::fold::fold;

/// Words of reader controls (folded, see `fold`): the verbs and nouns of print, share, save,
/// listen, zoom and font-size buttons, in the languages of the pages rasd reads.
const WIDGET: &[&str] = &[
    // print
    "print",
    "drucken",
    "ausdrucken",
    "imprimir",
    "imprimer",
    "stampa",
    "طباعه",
    "اطبع",
    "للطباعه",
    // share / send
    "share",
    "teilen",
    "compartir",
    "partager",
    "condividi",
    "شارك",
    "مشاركه",
    "ارسل",
    "email",
    "mail",
    "e",
    // save / bookmark / like
    "save",
    "speichern",
    "merken",
    "guardar",
    "حفظ",
    "bookmark",
    "favorisieren",
    // font size
    "font",
    "size",
    "schrift",
    "schriftgroße",
    "schriftgröße",
    "حجم",
    "الخط",
    "تكبير",
    "تصغير",
    "a",
    "aa",
    // listen / zoom / show
    "listen",
    "anhören",
    "vorlesen",
    "استمع",
    "zoom",
    "vergrößern",
];

/// Words that may stand beside widget words on a control line (`Rezept drucken`, `Teilen bei
/// Facebook`, `شارك الخبر`, `تكبير الخط`): what is printed or shared, prepositions, networks.
const WIDGET_FILLER: &[&str] = &[
    "this",
    "the",
    "article",
    "post",
    "story",
    "page",
    "text",
    "on",
    "via",
    "to",
    "and",
    "or",
    "artikel",
    "beitrag",
    "seite",
    "rezept",
    "bei",
    "auf",
    "per",
    "und",
    "oder",
    "الخبر",
    "المقال",
    "الصفحه",
    "عبر",
    "علي",
    "الي",
    "للخبر",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "linkedin",
    "pinterest",
    "x",
    "فيسبوك",
    "تويتر",
    "واتساب",
];

/// Whole lines (folded) of feedback, rating and like widgets.
const WIDGET_LINES: &[&str] = &[
    "was this article helpful",
    "was this helpful",
    "was this page helpful",
    "war der artikel nützlich",
    "war dieser artikel hilfreich",
    "war dieser beitrag hilfreich",
    "möchten sie den artikel teilen",
    "هل كان هذا المقال مفيدا",
    "هل كان هذا الخبر مفيدا",
    "هل كان المقال مفيدا",
    "هل كان الخبر مفيدا",
    "noch keine bewertungen",
    "no ratings yet",
    "like this",
    "gefällt mir",
    "gefällt mir wird geladen",
    "like loading",
    "قيم هذا المقال",
    "قيم هذا الخبر",
];

/// Reading-time labels (folded).
const READING: &[&str] = &[
    "lesezeit",
    "read",
    "reading time",
    "read time",
    "min read",
    "minute read",
    "minutes read",
    "مده القراءه",
    "وقت القراءه",
    "زمن القراءه",
    "قراءه",
    "للقراءه",
];

/// Units of a reading time (folded).
const MINUTES: &[&str] = &[
    "min",
    "mins",
    "minute",
    "minutes",
    "minuten",
    "دقيقه",
    "دقائق",
    "دقيقتان",
    "دقيقتين",
];

/// `4 Min Read`, `Lesezeit: 2 Minuten`, `مدة القراءة: 3 دقائق`: a number of minutes and a
/// reading label, nothing else.
fn reading_time(f: &str) -> bool {
    let toks: Vec<&str> = f.split(' ').collect();
    let Some(n) = toks
        .iter()
        .position(|t| t.bytes().all(|b| b.is_ascii_digit()))
    else {
        return false;
    };
    let Some(unit) = toks.get(n + 1).filter(|u| MINUTES.contains(u)) else {
        return false;
    };
    let label = |parts: &[&str]| {
        let s = parts.join(" ");
        s.is_empty() || READING.contains(&s.as_str())
    };
    let before = toks.get(..n).unwrap_or(&[]);
    let after = toks.get(n + 2..).unwrap_or(&[]);
    !unit.is_empty() && label(before) && label(after) && !(before.is_empty() && after.is_empty())
}

/// A line that is a reader control or widget, not text: all its words are widget words (at
/// least one a control, not only filler), a feedback or rating prompt, or a reading time.
pub(crate) fn is_reader_widget(line: &str) -> bool {
    if char_len(line) > 60 {
        return false;
    }
    let f = fold(line);
    if f.is_empty() {
        return false;
    }
    if WIDGET_LINES.contains(&f.as_str()) || reading_time(&f) {
        return true;
    }
    let mut control = false;
    for t in f.split(' ') {
        if WIDGET.contains(&t) {
            // A lone letter is a font-size button only beside another control (`A A`, `A+ A-`).
            control |= t != "a" && t != "e";
        } else if !WIDGET_FILLER.contains(&t) {
            return false;
        }
    }
    control || f.split(' ').filter(|t| *t == "a").count() >= 2
}

/// A time of day alone: `19:49`, `3:59 PM`, `10:57 م`.
fn time_only(line: &str) -> bool {
    let t = line.trim();
    let (clock, rest) = t.split_at(
        t.find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .unwrap_or(t.len()),
    );
    let mut parts = clock.split(':');
    let (Some(h), Some(m), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let ok_num =
        |s: &str, max: u32| (1..=2).contains(&s.len()) && s.parse::<u32>().is_ok_and(|v| v <= max);
    if !ok_num(h, 23) || m.len() != 2 || !ok_num(m, 59) {
        return false;
    }
    let rest = fold(rest);
    matches!(
        rest.as_str(),
        "" | "am" | "pm" | "a m" | "p m" | "uhr" | "h" | "ص" | "م" | "صباحا" | "مساء"
    )
}

/// A date standing as a line of its own: a time alone, a labelled date (`Aktualisiert:
/// 11.04.2020, 10:27`, `آخر تحديث: 12 مارس 2020`), or, at the top of the text (`top`), a date
/// with at most three other words (`02.02.2022 A-Frauen`, `2021-10-16 | Botschaft`).
pub(crate) fn is_date_line(line: &str, top: bool) -> bool {
    if char_len(line) > 60 {
        return false;
    }
    if time_only(line) {
        return true;
    }
    // `Label: date`, the label one to three words without digits.
    if let Some((label, rest)) = line.split_once([':', '：']) {
        let words = label.split_whitespace().count();
        if (1..=3).contains(&words)
            && !label.chars().any(|c| c.is_numeric())
            && parse_arabic_date(rest.trim().trim_end_matches('.')).is_some()
        {
            return true;
        }
    }
    if !top {
        return false;
    }
    if parse_arabic_date(line).is_some() {
        return true;
    }
    // A date among a few words: try each run of one to three tokens as the date.
    let toks: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '·' | '•'))
        .map(|t| t.trim_matches(|c: char| matches!(c, ',' | '،' | '-' | '–' | '—')))
        .filter(|t| !t.is_empty())
        .collect();
    for len in 1..=3 {
        for start in 0..toks.len().saturating_sub(len - 1) {
            let Some(run) = toks.get(start..start + len) else {
                continue;
            };
            if !run.iter().any(|t| t.chars().any(|c| c.is_numeric())) {
                continue;
            }
            if toks.len() - len <= 3 && parse_arabic_date(&run.join(" ")).is_some() {
                return true;
            }
        }
    }
    false
}

/// Labels that open a photo credit (folded).
const CREDIT: &[&str] = &[
    "foto",
    "fotos",
    "photo",
    "photos",
    "bild",
    "titelbild",
    "beitragsbild",
    "bildquelle",
    "fotocredit",
    "credit",
    "credits",
    "image",
    "image credit",
    "photo credit",
    "crédito",
    "crédit",
    "crédit photo",
    "صوره",
    "الصوره",
    "تصوير",
    "عدسه",
];

/// A line that credits a picture, not a sentence of the story: a credit label and a colon
/// opening it (`Foto: Kay Nietfeld`, `(Credit: Clayton Aldern / Grist)`, `تصوير: محمد علي`,
/// `(الصورة: رويترز)`), short.
pub(crate) fn is_photo_credit(line: &str) -> bool {
    if char_len(line) > 100 {
        return false;
    }
    let t = line.trim_start().trim_start_matches(['(', '[']);
    let Some((label, rest)) = t.split_once([':', '：']) else {
        return false;
    };
    let label = fold(label);
    CREDIT.contains(&label.as_str()) && !rest.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widgets() {
        for yes in [
            "طباعة",
            "تكبير الخط تصغير الخط",
            "A A A",
            "A+ A-",
            "حجم الخط",
            "شارك الخبر عبر واتساب",
            "Rezept drucken Bei Pinterest speichern",
            "Print this article",
            "4 Min Read",
            "Lesezeit: 2 Minuten",
            "مدة القراءة: 3 دقائق",
            "War der Artikel nützlich?",
            "هل كان هذا الخبر مفيداً؟",
            "(Noch keine Bewertungen)",
        ] {
            assert!(is_reader_widget(yes), "{yes}");
        }
        for no in [
            "الخط الأحمر",
            "a",
            "Share Mac applications with Windows",
            "5 Minuten",
            "Im Ofen in 15 Minuten backen.",
            "قال الوزير إن طباعة الكتب المدرسية ستبدأ الأسبوع المقبل.",
        ] {
            assert!(!is_reader_widget(no), "{no}");
        }
    }

    #[test]
    fn photo_credits() {
        for yes in [
            "تصوير: محمد علي",
            "(الصورة: رويترز)",
            "Foto: Kay Nietfeld",
            "(Credit: Clayton Aldern / Grist)",
            "Titelbild: Geyres Christophe/ABACA/picture-alliance",
        ] {
            assert!(is_photo_credit(yes), "{yes}");
        }
        for no in [
            "صورة: ",
            "Foto:",
            "المصدر: وكالة الأنباء",
            "Primary Funding Source: National Science Foundation",
            "صورة قاتمة: قال التقرير إن الأوضاع الإنسانية في المخيمات تدهورت بشكل كبير خلال الشتاء الماضي.",
        ] {
            assert!(!is_photo_credit(no), "{no}");
        }
    }

    #[test]
    fn date_lines() {
        for (line, top) in [
            ("19:49", false),
            ("3:59 PM", false),
            ("10:57 م", false),
            ("Aktualisiert: 11.04.2020, 10:27", false),
            ("آخر تحديث: 12 مارس 2020", false),
            ("تاريخ النشر: 2020-03-12", false),
            ("23.10.2018", true),
            ("02.02.2022 A-Frauen", true),
            ("2021-10-16 | Botschaft", true),
            ("الأحد 12 آذار/مارس 2017", true),
        ] {
            assert!(is_date_line(line, top), "{line}");
        }
        for (line, top) in [
            ("23.10.2018", false),
            ("02.02.2022 A-Frauen", false),
            ("25:99", false),
            ("1:2", false),
            ("Zubereitungszeit: 25 Minuten", false),
            ("وقعت الحادثة في 12 مارس 2020 قرب الحدود مع تركيا", true),
            ("Am 12.03.2020 begann in vielen Ländern der Lockdown", true),
        ] {
            assert!(!is_date_line(line, top), "{line}");
        }
    }
}
