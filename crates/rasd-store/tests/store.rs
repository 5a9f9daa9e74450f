//! Store behaviour through its public API: writing, reading, searching, recovering.

use rasd_store::{DocRecord, NewDoc, SearchOptions, Store, StoryRecord, StoryRow};

fn doc(key: u64, id: &str, title: &str, body: &str) -> NewDoc {
    NewDoc {
        key,
        published_day: None,
        fingerprint: vec![1, 2, 3],
        views: None,
        entity_defs: Vec::new(),
        record: DocRecord {
            story: Some(1),
            ..DocRecord::new(
                id,
                rasd_types::Article {
                    source: format!("test/{id}.txt"),
                    url: None,
                    title: Some(title.to_string()),
                    published: Some("2017-06-10T10:57:00".into()),
                    modified: None,
                    author: None,
                    outlet: Some("سيريانيوز".into()),
                    original_source: None,
                    lang: Some("ar".into()),
                    encoding: "UTF-8".into(),
                    body: body.to_string(),
                    paragraphs: vec![body.to_string()],
                    removed: vec![rasd_types::Removed {
                        kind: "comment_form".into(),
                        text: "اترك تعليقاً".into(),
                    }],
                    evidence: vec![],
                },
                "2026-01-01T00:00:00Z",
            )
        },
    }
}

fn story(id: u64) -> StoryRow {
    StoryRow {
        record: StoryRecord {
            id,
            title: Some("محادثات".into()),
            rep_doc: Some("a".into()),
            docs: vec![],
            first_seen: Some("2017-06-10".into()),
            last_seen: Some("2017-06-11".into()),
            size: 2,
            outlets: vec!["سيريانيوز".into()],
            key_terms: vec!["محادث".into()],
        },
        rep_score: 0.5,
        state: b"{}".to_vec(),
    }
}

#[test]
fn written_documents_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let d = doc(
        1,
        "00000000000000aa",
        "محادثات سرية",
        "كشف مسؤولون عن محادثات أمريكية روسية",
    );
    s.write_batch(vec![d.clone()], &[story(1)], &[("محادث".into(), 1)])
        .unwrap();
    assert_eq!(s.doc("00000000000000aa").unwrap(), Some(d.record));
    assert!(s.contains("00000000000000aa").unwrap());
    assert!(!s.contains("ffffffffffffffff").unwrap());
    assert_eq!(s.next_key().unwrap(), 2);
    assert_eq!(s.next_story_id().unwrap(), 2);
    let st = s.story(1).unwrap().unwrap();
    assert_eq!(st.docs, vec!["00000000000000aa".to_string()]);
    assert_eq!(st.key_terms, vec!["محادث".to_string()]);
    assert_eq!(s.df().unwrap(), vec![("محادث".to_string(), 1)]);
    let c = s.counts().unwrap();
    assert_eq!((c.docs, c.stories, c.duplicates), (1, 1, 0));
}

#[test]
fn search_meets_spelling_variants_and_inflections() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    s.write_batch(
        vec![
            doc(
                1,
                "a1",
                "تقرير",
                "أكدت الخارجية الأمريكية أن المحادثات مستمرة",
            ),
            doc(2, "a2", "زلزال", "ضرب زلزال قوي المنطقة الجبلية فجر الجمعة"),
        ],
        &[],
        &[],
    )
    .unwrap();
    let hits = s.search("الأميركية", SearchOptions::default()).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, "a1");
    assert!(
        hits[0].snippet.contains("<mark>الأمريكية</mark>"),
        "{}",
        hits[0].snippet
    );
    let hits = s.search("محادثات", SearchOptions::default()).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["a1"]
    );
    // Every word must match when some document has them all…
    assert_eq!(
        s.search("زلزال المحادثات", SearchOptions::default())
            .unwrap()
            .len(),
        2
    );
    assert!(s
        .search("بركان", SearchOptions::default())
        .unwrap()
        .is_empty());
    assert!(s.search("", SearchOptions::default()).unwrap().is_empty());
}

#[test]
fn pre_analyzed_documents_are_found_like_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let mut d = doc(
        1,
        "a1",
        "تقرير",
        "أكدت الخارجية الأمريكية أن المحادثات مستمرة",
    );
    d.views = Some(rasd_store::analyzers::DocViews::of(
        "تقرير",
        &d.record.article.body,
    ));
    s.write_batch(vec![d], &[], &[]).unwrap();
    for q in ["الأميركية", "محادثات", "المحادثات مستمرة", "تقرير"]
    {
        let hits = s.search(q, SearchOptions::default()).unwrap();
        assert_eq!(hits.len(), 1, "{q}");
        assert!(
            hits[0].snippet.contains("<mark>") || q == "تقرير",
            "{q}: {}",
            hits[0].snippet
        );
    }
}

#[test]
fn duplicates_are_folded_from_search_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let a = doc(1, "a1", "تقرير", "أكدت الخارجية أن المحادثات مستمرة");
    let mut b = doc(2, "b2", "تقرير", "أكدت الخارجية أن المحادثات مستمرة");
    b.record.duplicate_of = Some("a1".into());
    s.write_batch(vec![a, b], &[], &[]).unwrap();
    assert_eq!(
        s.search("المحادثات", SearchOptions::default())
            .unwrap()
            .len(),
        1
    );
    let all = SearchOptions {
        include_duplicates: true,
        ..Default::default()
    };
    assert_eq!(s.search("المحادثات", all).unwrap().len(), 2);
}

#[test]
fn rewriting_the_same_id_does_not_duplicate_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let d = doc(1, "a1", "تقرير", "المحادثات مستمرة");
    s.write_batch(vec![d.clone()], &[story(1)], &[]).unwrap();
    s.write_batch(vec![d], &[story(1)], &[]).unwrap();
    assert_eq!(s.counts().unwrap().docs, 1);
    assert_eq!(s.indexed_docs(), 1);
}

#[test]
fn recovery_reindexes_what_the_index_lost() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = Store::open(dir.path()).unwrap();
        s.write_batch(
            vec![
                doc(1, "a1", "تقرير", "المحادثات مستمرة"),
                doc(2, "a2", "تقرير", "زلزال قوي"),
            ],
            &[],
            &[],
        )
        .unwrap();
    }
    // Simulate a crash between the SQLite commit and the index commit: the index lost
    // everything and the rows are still marked unindexed.
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("rasd.sqlite")).unwrap();
    conn.execute("UPDATE docs SET indexed = 0", []).unwrap();
    drop(conn);
    let mut s = Store::open(dir.path()).unwrap();
    assert_eq!(s.indexed_docs(), 0);
    assert_eq!(s.recover().unwrap(), 2);
    assert_eq!(s.indexed_docs(), 2);
    assert_eq!(
        s.search("زلزال", SearchOptions::default()).unwrap().len(),
        1
    );
    // A second recovery finds nothing to do, and an index that still had the documents
    // does not end up with two copies of them.
    assert_eq!(s.recover().unwrap(), 0);
    let conn = rusqlite::Connection::open(dir.path().join("rasd.sqlite")).unwrap();
    conn.execute("UPDATE docs SET indexed = 0", []).unwrap();
    drop(conn);
    assert_eq!(s.recover().unwrap(), 2);
    assert_eq!(s.indexed_docs(), 2);
}

#[test]
fn opening_an_unusable_directory_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    assert!(Store::open(&file).is_err());
}

#[test]
fn entities_are_counted_across_documents_days_and_stories() {
    use rasd_store::EntityQuery;
    use rasd_types::{Entity, EntityMention, EntityType, MentionKind};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let russia = Entity {
        id: "loc:russia".into(),
        kind: EntityType::Loc,
        name: "روسيا".into(),
        aliases: vec!["موسكو".into()],
        geonames_id: Some(2017370),
        lat: Some(60.0),
        lon: Some(100.0),
    };
    let mention = |text: &str, start: usize, kind: MentionKind| EntityMention {
        text: text.into(),
        start,
        end: start + text.len(),
        kind: EntityType::Loc,
        mention: kind,
        canonical: "loc:russia".into(),
        name: "روسيا".into(),
    };
    let mut a = doc(1, "a", "روسيا", "روسيا والأردن");
    a.published_day = Some(17327); // 2017-06-10
    a.record.entities = vec![mention("روسيا", 0, MentionKind::Name)];
    a.entity_defs = vec![russia.clone()];
    let mut b = doc(2, "b", "الروسية", "المحادثات الروسية");
    b.published_day = Some(17328);
    b.record.story = Some(2);
    b.record.entities = vec![
        mention("الروسية", 0, MentionKind::Adjective),
        mention("موسكو", 20, MentionKind::Name),
    ];
    b.entity_defs = vec![russia.clone()];
    store
        .write_batch(vec![a, b], &[story(1), story(2)], &[])
        .unwrap();

    let all = store.entities(&EntityQuery::default()).unwrap();
    assert_eq!(all.len(), 1);
    let s = &all[0];
    assert_eq!((s.mentions, s.docs, s.stories), (3, 2, 2));
    assert_eq!(s.first_seen.as_deref(), Some("2017-06-10"));
    assert_eq!(s.last_seen.as_deref(), Some("2017-06-11"));
    assert_eq!(s.entity.geonames_id, Some(2017370));
    let only_per = EntityQuery {
        kind: Some(EntityType::Per),
        ..Default::default()
    };
    assert!(store.entities(&only_per).unwrap().is_empty());

    let d = store.entity("loc:russia").unwrap().unwrap();
    assert_eq!(
        d.by_day,
        vec![("2017-06-10".to_string(), 1), ("2017-06-11".to_string(), 2)]
    );
    assert_eq!(d.stories, vec![(2, 2), (1, 1)]);
    assert_eq!(d.docs, vec!["a".to_string(), "b".to_string()]);
    assert!(d.summary.entity.aliases.contains(&"الروسية".to_string()));
    assert!(store.entity("loc:nowhere").unwrap().is_none());
    assert_eq!(store.story_entities(2, 5).unwrap()[0].mentions, 2);

    // The document carries its mentions; writing it again adds none.
    let back = store.doc("b").unwrap().unwrap();
    assert_eq!(back.entities.len(), 2);
    assert_eq!(back.entities[0].mention, MentionKind::Adjective);
    let mut again = doc(2, "b", "الروسية", "المحادثات الروسية");
    again.record.entities = back.entities.clone();
    store.write_batch(vec![again], &[], &[]).unwrap();
    assert_eq!(
        store
            .entity("loc:russia")
            .unwrap()
            .unwrap()
            .summary
            .mentions,
        3
    );
}

#[test]
fn a_new_store_uses_large_pages_and_an_old_one_keeps_its_own() {
    let page_size = |s: &Store| -> i64 {
        s.sqlite()
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(page_size(&s), 16_384);
    drop(s);

    // A database made with SQLite's default 4 KiB pages (as older versions of rasd made them)
    // opens, keeps them, and takes writes.
    let old = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(old.path().join("rasd.sqlite")).unwrap();
        conn.pragma_update(None, "page_size", 4096).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE made_before (x INTEGER)")
            .unwrap();
    }
    let mut s = Store::open(old.path()).unwrap();
    assert_eq!(page_size(&s), 4096);
    s.write_batch(
        vec![doc(1, "00000000000000bb", "عنوان", "نص قصير")],
        &[story(1)],
        &[],
    )
    .unwrap();
    assert!(s.contains("00000000000000bb").unwrap());
}
