//! HTML mode: content that the first pass misses (leads in their own wrapper, posts named like
//! comments, markup shipped in `<script type=text/template>`, invisible characters and ruby
//! annotations) and publication dates written as an element's text.

use rasd_extract::extract_html;

const S1: &str = "The committee met on Tuesday to discuss the new budget, which includes funds for schools, roads and the hospital.";
const S2: &str = "Several members said that the plan would raise taxes, while others argued that it was the only way to balance the books.";
const S3: &str = "A final vote is expected next month, after a public hearing in which residents will be able to put their questions.";
const LEAD: &str = "The town council is divided over a budget that would raise taxes for the first time in a decade, and the mayor wants a decision before the summer.";

fn page(body: &str) -> String {
    format!("<!DOCTYPE html><html lang=\"en\"><head><title>Budget</title></head><body>{body}</body></html>")
}

#[test]
fn soft_hyphens_and_ruby_annotations_are_not_text() {
    let html = page(&format!(
        "<article><p>The com&shy;mit&shy;tee met on Tues\u{ad}day. {S1}</p>\
         <p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもへの{S2}</p><p>{S3}</p></article>"
    ));
    let a = extract_html(&html, None);
    assert!(
        a.body.contains("The committee met on Tuesday."),
        "{}",
        a.body
    );
    assert!(a.body.contains("子どもへの"), "{}", a.body);
    assert!(!a.body.contains('\u{ad}') && !a.body.contains('こ') && !a.body.contains('('));
}

#[test]
fn lead_in_the_article_header_is_kept_and_link_teasers_are_not() {
    let cases = [
        // (header content, lead expected in body)
        (
            format!("<h1>Budget</h1><div class=\"intro\">{LEAD}</div>"),
            true,
        ),
        (
            format!("<h1>Budget</h1><p class=\"excerpt\">{LEAD}</p>"),
            true,
        ),
        // A teaser made of a link is navigation, not the lead.
        (
            format!("<h1>Budget</h1><p><a href=\"/x\">{LEAD}</a></p>"),
            false,
        ),
        // Too short to be prose.
        (
            "<h1>Budget</h1><div class=\"intro\">By the editors.</div>".to_string(),
            false,
        ),
    ];
    for (header, want) in cases {
        let html = page(&format!(
            "<nav><a href=\"/\">Home</a></nav><main><article><header>{header}</header>\
             <div class=\"entry-content\"><p>{S1}</p><p>{S2}</p><p>{S3}</p></div></article></main>"
        ));
        let a = extract_html(&html, None);
        assert!(
            a.body.contains(S1) && a.body.contains(S3),
            "{header}: {}",
            a.body
        );
        let first = a.paragraphs.first().map(String::as_str).unwrap_or("");
        assert_eq!(first == LEAD, want, "{header}: {:?}", a.paragraphs);
        if want {
            assert!(
                !a.removed.iter().any(|r| r.text == LEAD),
                "lead also listed as removed"
            );
        }
    }
}

#[test]
fn posts_named_like_comments_are_read_when_nothing_else_is() {
    let post = |who: &str, text: &str| {
        format!("<div class=\"comment\"><div class=\"comment-author\">{who}</div><div class=\"comment-text\">{text}</div></div>")
    };
    let html = page(&format!(
        "<form id=\"page\"><main>{}{}{}</main></form>",
        post("anna", S1),
        post("ben", S2),
        post("carl", S3)
    ));
    let a = extract_html(&html, None);
    for s in [S1, S2, S3] {
        assert!(a.body.contains(s), "{}", a.body);
    }
    // With an article beside them, comments stay out.
    let html = page(&format!(
        "<article><p>{S1}</p><p>{S2}</p><p>{S3}</p></article><div class=\"comments\">{}</div>",
        post("dora", LEAD)
    ));
    let a = extract_html(&html, None);
    assert!(a.body.contains(S1) && !a.body.contains(LEAD), "{}", a.body);
}

#[test]
fn story_inside_a_text_template_script() {
    let html = page(&format!(
        "<div class=\"post-body\"><script type='text/template'><span class=\"byline\">Posted by Ed</span>\
         <p>{S1}</p><p>{S2}</p><p>{S3}</p></script></div><div class=\"footer-links\"><a href=\"/\">Home</a></div>"
    ));
    let a = extract_html(&html, None);
    for s in [S1, S2, S3] {
        assert!(a.body.contains(s), "{}", a.body);
    }
    assert!(!a.body.contains("<p>"), "markup leaked: {}", a.body);
    // A template holding only placeholders changes nothing, and a page with its story in the
    // markup ignores templates.
    let html = page(&format!(
        "<article><p>{S1}</p><p>{S2}</p></article><script type=\"text/template\"><div>{{{{name}}}}</div></script>"
    ));
    let a = extract_html(&html, None);
    assert!(
        a.body.contains(S1) && !a.body.contains("{{name}}"),
        "{}",
        a.body
    );
}

#[test]
fn publication_date_from_an_element_named_as_a_date() {
    let cases: &[(&str, Option<&str>)] = &[
        (
            "<span class=\"post-date\">25.08.2015</span>",
            Some("2015-08-25"),
        ),
        (
            "<span class=\"itemPostDate\">am 25.08.2015 22:30</span>",
            Some("2015-08-25T22:30:00"),
        ),
        ("<time>31.03.2020</time>", Some("2020-03-31")),
        (
            "<div class=\"h-time\">2020-02-19 20:29:58</div>",
            Some("2020-02-19T20:29:58"),
        ),
        (
            "<span class=\"date\">June 10, 2017</span>",
            Some("2017-06-10"),
        ),
        // A modification date is not the publication date.
        ("<span class=\"date-updated\">25.08.2015</span>", None),
        // Dates in sidebars, navigation and lists of other posts belong to other pages.
        (
            "<aside><span class=\"date\">25.08.2015</span></aside>",
            None,
        ),
        (
            "<ul><li><span class=\"date\">25.08.2015</span></li></ul>",
            None,
        ),
        // A date inside prose, a date without a year, a relative date.
        (
            "<div class=\"date\">The meeting on 25.08.2015 was long and nobody came.</div>",
            None,
        ),
        ("<span class=\"date\">25. August</span>", None),
        ("<span class=\"date\">yesterday</span>", None),
        // Today's date in a calendar widget or the site's header is not the story's.
        ("<div id=\"date-widget\"><div id=\"month\">Feb.</div><div id=\"day\">19</div><div id=\"year\">2020</div></div>", None),
        ("<div class=\"today-date widget\">19.02.2020</div>", None),
        // An element that is not named as a date.
        ("<span class=\"info\">25.08.2015</span>", None),
    ];
    for (snippet, want) in cases {
        let html = page(&format!(
            "<article><h1>Budget</h1>{snippet}<p>{S1}</p><p>{S2}</p></article>"
        ));
        let a = extract_html(&html, None);
        assert_eq!(a.published.as_deref(), *want, "{snippet}");
        if want.is_some() {
            assert!(
                a.evidence.iter().any(|e| e.field == "published"),
                "{snippet}"
            );
        }
    }
}

#[test]
fn site_header_date_is_not_the_story_date() {
    let html = format!(
        "<html><body><header><span class=\"date\">19.02.2020</span></header>\
         <article><p>{S1}</p><p>{S2}</p></article></body></html>"
    );
    assert_eq!(extract_html(&html, None).published, None);
    // An article's own header holds its date.
    let html = format!(
        "<html><body><article><header><h1>Budget</h1><span class=\"date\">08.02.2019</span></header>\
         <p>{S1}</p><p>{S2}</p></article></body></html>"
    );
    assert_eq!(
        extract_html(&html, None).published.as_deref(),
        Some("2019-02-08")
    );
}

#[test]
fn date_markup_beats_element_text() {
    let html = page(&format!(
        "<article><span class=\"date\">01.01.2011</span><span property=\"schema:dateCreated\" \
         content=\"2020-04-21T14:40:07+02:00\"></span><p>{S1}</p></article>"
    ));
    let a = extract_html(&html, None);
    assert_eq!(a.published.as_deref(), Some("2020-04-21T14:40:07+02:00"));
}

#[test]
fn closing_calls_to_action_and_author_boxes_are_cut() {
    let cases = [
        ("<p>Subscribe to our newsletter to get the best stories every week.</p>", "call_to_action"),
        ("<p>Síguenos en Telegram, Instagram y Twitter para recibir todas las noticias.</p>", "call_to_action"),
        ("<p>Lust auf mehr? Melde dich hier für unseren Newsletter an.</p>", "call_to_action"),
        ("<div class=\"author-bio\"><p>Jane Doe is a reporter who covers the town hall and has written about budgets for ten years.</p></div>", "html_boilerplate"),
    ];
    for (tail, kind) in cases {
        let html = page(&format!(
            "<article><p>{S1}</p><p>{S2}</p><p>{S3}</p>{tail}</article>"
        ));
        let a = extract_html(&html, None);
        assert!(a.body.ends_with(S3), "{tail}: {}", a.body);
        assert!(
            a.removed.iter().any(|r| r.kind == kind),
            "{tail}: {:?}",
            a.removed
        );
    }
    // Mentions inside the story, or a long closing paragraph, stay.
    let keep = "The mayor said on Telegram that residents who subscribe to the town's bulletin will be told about the hearing, which starts at six in the evening at the old school on Main Street, and that everyone is welcome to come and speak.";
    let html = page(&format!(
        "<article><p>{S1}</p><p>{S2}</p><p>{keep}</p></article>"
    ));
    let a = extract_html(&html, None);
    assert!(a.body.ends_with(keep), "{}", a.body);
}
