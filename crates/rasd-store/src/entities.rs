//! Reading the entities of the store: lists with mention counts, one entity's mentions
//! over time and across stories, a story's key entities.
//!
//! Mentions are written by [`Store::write_batch`] from each document's
//! [`DocRecord::entities`](crate::DocRecord::entities); entity definitions from
//! [`NewDoc::entity_defs`](crate::NewDoc::entity_defs). Counts include copies of a document:
//! for a media monitor, a wire story re-posted by five outlets is five mentions.

use rasd_types::{Entity, EntityType};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::{day_to_iso, from_json, Result, Store};

/// Which entities [`Store::entities`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityQuery {
    /// Only this type, or all.
    pub kind: Option<EntityType>,
    /// At most this many (most mentioned first).
    pub limit: usize,
    /// Skip this many first (pagination).
    pub offset: usize,
}

impl Default for EntityQuery {
    fn default() -> Self {
        EntityQuery {
            kind: None,
            limit: 50,
            offset: 0,
        }
    }
}

/// An entity with how often the store mentions it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntitySummary {
    #[serde(flatten)]
    pub entity: Entity,
    /// Mentions in all documents (copies included).
    pub mentions: u64,
    /// Documents that mention it.
    pub docs: u64,
    /// Stories whose documents mention it.
    pub stories: u64,
    /// Publication day (ISO) of the earliest dated document that mentions it.
    pub first_seen: Option<String>,
    /// Publication day (ISO) of the latest dated document that mentions it.
    pub last_seen: Option<String>,
}

/// One entity in depth: its summary, mentions per day, per story, and the documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityDetail {
    pub summary: EntitySummary,
    /// `(day, mentions)` for dated documents, earliest first.
    pub by_day: Vec<(String, u64)>,
    /// `(story id, mentions)`, most mentions first.
    pub stories: Vec<(u64, u64)>,
    /// Ids of the documents that mention it, earliest first.
    pub docs: Vec<String>,
}

const SUMMARY_SELECT: &str =
    "SELECT e.id, e.type, e.name, e.aliases, e.geonames_id, e.lat, e.lon, \
     count(*), count(DISTINCT m.doc_id), count(DISTINCT m.story), min(m.day), max(m.day) \
     FROM mentions m JOIN entities e ON e.id = m.entity";

impl Store {
    /// Entities by number of mentions, most first.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = rasd_store::Store::open(dir.path()).unwrap();
    /// assert!(store.entities(&Default::default()).unwrap().is_empty());
    /// ```
    pub fn entities(&self, q: &EntityQuery) -> Result<Vec<EntitySummary>> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE (?1 IS NULL OR e.type = ?1) GROUP BY e.id \
             ORDER BY count(*) DESC, e.id LIMIT ?2 OFFSET ?3"
        );
        self.query_summaries(
            &sql,
            params![
                q.kind.map(|k| k.as_str()),
                q.limit.min(i64::MAX as usize) as i64,
                q.offset.min(i64::MAX as usize) as i64
            ],
        )
    }

    /// One entity with its mentions over time and across stories; `None` if unknown or
    /// never mentioned.
    pub fn entity(&self, id: &str) -> Result<Option<EntityDetail>> {
        let sql = format!("{SUMMARY_SELECT} WHERE e.id = ?1 GROUP BY e.id");
        let Some(mut summary) = self.query_summaries(&sql, params![id])?.into_iter().next() else {
            return Ok(None);
        };
        // Aliases: the names known for it plus every spelling seen in the documents.
        let mut st = self
            .conn
            .prepare_cached("SELECT DISTINCT text FROM mentions WHERE entity = ?1 ORDER BY text")?;
        for text in st.query_map([id], |r| r.get::<_, String>(0))? {
            let text = text?;
            if text != summary.entity.name && !summary.entity.aliases.contains(&text) {
                summary.entity.aliases.push(text);
            }
        }
        let mut st = self.conn.prepare_cached(
            "SELECT day, count(*) FROM mentions WHERE entity = ?1 AND day IS NOT NULL \
             GROUP BY day ORDER BY day",
        )?;
        let by_day = st
            .query_map([id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter_map(|(d, n)| Some((day_to_iso(i32::try_from(d).ok()?)?, n)))
            .collect();
        let mut st = self.conn.prepare_cached(
            "SELECT story, count(*) FROM mentions WHERE entity = ?1 AND story IS NOT NULL \
             GROUP BY story ORDER BY count(*) DESC, story",
        )?;
        let stories = st
            .query_map([id], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = self.conn.prepare_cached(
            "SELECT doc_id FROM mentions WHERE entity = ?1 GROUP BY doc_id \
             ORDER BY min(day) IS NULL, min(day), min(doc_key)",
        )?;
        let docs = st
            .query_map([id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(EntityDetail {
            summary,
            by_day,
            stories,
            docs,
        }))
    }

    /// The entities a story's documents mention most, with counts within the story.
    pub fn story_entities(&self, story: u64, limit: usize) -> Result<Vec<EntitySummary>> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE m.story = ?1 GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT ?2"
        );
        self.query_summaries(
            &sql,
            params![story as i64, limit.min(i64::MAX as usize) as i64],
        )
    }

    fn query_summaries<P: rusqlite::Params>(&self, sql: &str, p: P) -> Result<Vec<EntitySummary>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map(p, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<f64>>(5)?,
                r.get::<_, Option<f64>>(6)?,
                [
                    r.get::<_, i64>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, i64>(9)?,
                ],
                r.get::<_, Option<i64>>(10)?,
                r.get::<_, Option<i64>>(11)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, name, aliases, geonames_id, lat, lon, [mentions, docs, stories], lo, hi) =
                row?;
            let iso = |d: Option<i64>| d.and_then(|d| day_to_iso(i32::try_from(d).ok()?));
            out.push(EntitySummary {
                entity: Entity {
                    id,
                    kind: parse_type(&kind)?,
                    name,
                    aliases: from_json(&aliases, "entity aliases")?,
                    geonames_id: geonames_id.map(|g| g as u64),
                    lat,
                    lon,
                },
                mentions: mentions as u64,
                docs: docs as u64,
                stories: stories as u64,
                first_seen: iso(lo),
                last_seen: iso(hi),
            });
        }
        Ok(out)
    }
}

fn parse_type(s: &str) -> Result<EntityType> {
    Ok(match s {
        "PER" => EntityType::Per,
        "ORG" => EntityType::Org,
        "LOC" => EntityType::Loc,
        "MISC" => EntityType::Misc,
        other => return Err(crate::StoreError::Corrupt(format!("entity type {other:?}"))),
    })
}
