//! The article as stored in the index: every document byline writes for an article, and
//! the reading of them back, in one place.
//!
//! An article is one **article document** (its id, content hash, original text and a
//! [`StoredArticle`] record as JSON) plus one **passage document** per passage (the indexed
//! text and copies of the article's filterable metadata). [`write()`] writes them, [`read`]
//! and [`load`] decode them, and [`field`] names every field where code must use a string
//! (fast-field columns, the schema builder).

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::indexer::UserOperation;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DateTime, IndexWriter, Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::copies;
use crate::entities::{Entity, Kind};
use crate::error::{Error, Result};
use crate::ingest::metadata::{Metadata, Source};
use crate::ingest::{Article, Furniture};
use crate::schema::{self, Fields, KeyMap, DATE_UNKNOWN, KIND_ARTICLE, KIND_PASSAGE};
use crate::store::Store;

/// The name of every field of the schema, for the places tantivy takes a name.
pub mod field {
    /// `article` or `passage`.
    pub const KIND: &str = "kind";
    /// The article's id.
    pub const ID: &str = "id";
    /// The key grouping an article's documents (fast, indexed).
    pub const ARTICLE_KEY: &str = "article_key";
    /// Passage text, stemmed.
    pub const TEXT: &str = "text";
    /// Passage text, exact forms.
    pub const TEXT_EXACT: &str = "text_exact";
    /// Names in the passage.
    pub const NAME: &str = "name";
    /// Transliteration keys of the names.
    pub const NAME_FOLD: &str = "name_fold";
    /// Cross-script keys of the names.
    pub const NAME_SCRIPT: &str = "name_script";
    /// Outlet facet.
    pub const OUTLET: &str = "outlet";
    /// Entities a passage mentions.
    pub const ENTITY: &str = "entity";
    /// An article's facets.
    pub const FACET: &str = "facet";
    /// The forms an article printed of each entity.
    pub const FORMS: &str = "forms";
    /// Lowercased outlet name and site (fast).
    pub const OUTLET_KEY: &str = "outlet_key";
    /// Language code.
    pub const LANG: &str = "lang";
    /// Author keys.
    pub const AUTHOR_KEY: &str = "author_key";
    /// Publication date (fast).
    pub const DATE: &str = "date";
    /// Where the date came from.
    pub const DATE_SOURCE: &str = "date_source";
    /// Hash of what was written for an article (fast; article documents only).
    pub const CONTENT_HASH: &str = "content_hash";
    /// Original text (stored).
    pub const BODY: &str = "body";
    /// The [`super::StoredArticle`] record as JSON (stored).
    pub const META: &str = "meta";
    /// Every document: the key of the article's copy cluster (fast).
    pub const COPY_CLUSTER: &str = "copy_cluster";
    /// Article documents: the key of the article's copy cluster (indexed).
    pub const COPY_MEMBER: &str = "copy_member";
    /// Article documents: how many anchor terms it has (fast).
    pub const COPY_ANCHORS: &str = "copy_anchors";
    /// See [`crate::schema::Fields::batch`].
    pub const BATCH: &str = "batch";
}

/// What an article document stores besides its text, as JSON in [`Fields::meta`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredArticle {
    /// Where the article was read from.
    pub origin: String,
    /// The file it was read from, as an absolute path (empty in indexes written before it
    /// was kept): what `index --prune` compares.
    #[serde(default)]
    pub source: PathBuf,
    /// Metadata with provenance.
    pub meta: Metadata,
    /// Number of passages.
    pub passages: u64,
    /// Each passage's UTF-8 byte range `[start, end)` in the text, by passage number.
    #[serde(default)]
    pub ranges: Vec<[usize; 2]>,
    /// What was removed as furniture.
    pub furniture: Vec<Furniture>,
    /// The article's entities, with the forms it printed.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// The key of its copy cluster ([`crate::copies::Clusterer`]).
    #[serde(default)]
    pub cluster: u64,
}

/// Replaces one article's documents (every document carrying its key), placing it among
/// copies with `clusterer`. Returns the number of passages written.
///
/// The article goes to the writer as one batch: its article document, then its passages in
/// order, contiguous in one segment; searches find a passage's article and number from its
/// address ([`crate::search`]'s layouts), so the order is part of the schema.
pub fn write(
    writer: &IndexWriter<TantivyDocument>,
    clusterer: &mut copies::Clusterer,
    article: &Article,
    entities: Vec<Entity>,
    names: bool,
    hash: u64,
    batch: u64,
) -> Result<u64> {
    let f = &clusterer.fields().clone();
    let key = schema::article_key(&article.id);
    // Every document of the article carries its key: this replaces all of them (a delete
    // applies to what came before it, not to the documents after it in the batch).
    let mut batch_ops = Vec::with_capacity(article.passages.len() + 2);
    batch_ops.push(UserOperation::Delete(Term::from_field_u64(
        f.article_key,
        key,
    )));
    let ranges = &article.passages;
    let mark = clusterer.assign(key, &article.shingles)?;
    let meta = &article.meta;
    // Fields every document of the article carries, for filters.
    let article_facets = article_facets(meta, &entities);
    let form_facets: Vec<Facet> = entities
        .iter()
        .flat_map(|e| {
            e.forms
                .iter()
                .map(|form| Facet::from_path([e.kind.name(), e.name.as_str(), form.as_str()]))
        })
        .collect();
    let common = Common::new(f, key, mark.cluster, meta, &article_facets);
    let stored = StoredArticle {
        origin: article.origin.clone(),
        source: article.source.clone(),
        meta: meta.clone(),
        passages: ranges.len() as u64,
        ranges: ranges.iter().map(|r| [r.start, r.end]).collect(),
        furniture: article.furniture.clone(),
        entities,
        cluster: mark.cluster,
    };
    let mut doc = common.doc(KIND_ARTICLE);
    for facet in form_facets {
        doc.add_facet(f.forms, facet);
    }
    doc.add_text(f.id, &article.id);
    doc.add_u64(f.copy_member, mark.cluster);
    doc.add_u64(f.copy_anchors, mark.anchors as u64);
    doc.add_u64(f.content_hash, hash);
    doc.add_u64(f.batch, batch);
    doc.add_text(f.body, &article.text);
    doc.add_text(
        f.meta,
        serde_json::to_string(&stored).map_err(|e| Error::InvalidArgument(e.to_string()))?,
    );
    batch_ops.push(UserOperation::Add(doc));
    for range in ranges {
        let mut doc = common.doc(KIND_PASSAGE);
        common.add_text(&mut doc, &article.text[range.clone()], names);
        let mut seen = HashSet::new();
        for m in article
            .mentions
            .iter()
            .filter(|m| m.range.start >= range.start && m.range.end <= range.end)
        {
            if seen.insert((m.kind, m.name.as_str())) {
                doc.add_facet(f.entity, entity_facet(m.kind, &m.name));
            }
        }
        batch_ops.push(UserOperation::Add(doc));
    }
    writer.run(batch_ops)?;
    Ok(ranges.len() as u64)
}

/// What every document of an article carries, for filters.
struct Common<'a> {
    f: &'a Fields,
    key: u64,
    cluster: u64,
    meta: &'a Metadata,
    lang: &'a str,
    author_keys: BTreeSet<String>,
    article_facets: &'a [Facet],
}

impl<'a> Common<'a> {
    fn new(
        f: &'a Fields,
        key: u64,
        cluster: u64,
        meta: &'a Metadata,
        article_facets: &'a [Facet],
    ) -> Common<'a> {
        Common {
            f,
            key,
            cluster,
            meta,
            lang: article_lang(meta),
            author_keys: author_keys(&meta.author),
            article_facets,
        }
    }

    /// A new document of `kind` with the article's filter fields.
    fn doc(&self, kind: &str) -> TantivyDocument {
        let (f, meta) = (self.f, self.meta);
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, kind);
        doc.add_u64(f.article_key, self.key);
        doc.add_u64(f.copy_cluster, self.cluster);
        doc.add_text(f.lang, self.lang);
        if let Some(outlet) = &meta.outlet {
            doc.add_facet(f.outlet, Facet::from_path([outlet.value.as_str()]));
            doc.add_text(f.outlet_key, outlet.value.to_lowercase());
        }
        if let Some(site) = &meta.site {
            doc.add_text(f.outlet_key, site.to_lowercase());
        }
        for key in &self.author_keys {
            doc.add_text(f.author_key, key);
        }
        match &meta.date {
            Some(d) => {
                doc.add_date(
                    f.date,
                    DateTime::from_timestamp_secs(d.value.timestamp_secs()),
                );
                doc.add_text(f.date_source, source_name(d.source));
            }
            None => doc.add_text(f.date_source, DATE_UNKNOWN),
        }
        if kind == KIND_ARTICLE {
            for facet in self.article_facets {
                doc.add_facet(f.facet, facet.clone());
            }
        }
        doc
    }

    /// A passage's text, in every analysed field (the name fields when `names`).
    fn add_text(&self, doc: &mut TantivyDocument, text: &str, names: bool) {
        let f = self.f;
        doc.add_text(f.text, analysis::stemmed_value(self.lang, text));
        doc.add_text(f.text_exact, text);
        if names {
            doc.add_text(f.name, text);
            doc.add_text(f.name_fold, text);
            doc.add_text(f.name_script, text);
        }
    }
}

/// What a copied passage holds ([`write_copy`]).
pub enum Copied {
    /// Nothing: it keeps its place, empty.
    Empty,
    /// Its text, mentioning these entities (`/KIND/NAME` facets).
    Mentioning(Vec<Facet>),
    /// Its text; its entities are those whose printed forms it holds (the record keeps
    /// forms, not where they stand).
    Guessed,
}

/// Writes a copy of an article read from elsewhere (a cluster's answer) as [`write()`]
/// would have: its article document and a document per passage, each as `passage` says.
pub fn write_copy(
    writer: &IndexWriter<TantivyDocument>,
    f: &Fields,
    read: &Read,
    passage: impl Fn(usize) -> Copied,
) -> Result<()> {
    let stored = &read.stored;
    let article_facets = article_facets(&stored.meta, &stored.entities);
    let common = Common::new(
        f,
        schema::article_key(&read.id),
        stored.cluster,
        &stored.meta,
        &article_facets,
    );
    let mut ops = Vec::with_capacity(stored.ranges.len() + 1);
    let mut doc = common.doc(KIND_ARTICLE);
    doc.add_text(f.id, &read.id);
    doc.add_u64(f.copy_member, stored.cluster);
    doc.add_text(f.body, &read.text);
    doc.add_text(
        f.meta,
        serde_json::to_string(stored).map_err(|e| Error::InvalidArgument(e.to_string()))?,
    );
    ops.push(UserOperation::Add(doc));
    for (n, &[start, end]) in stored.ranges.iter().enumerate() {
        let mut doc = common.doc(KIND_PASSAGE);
        let copied = passage(n);
        if !matches!(copied, Copied::Empty) {
            let text = read.text.get(start..end).unwrap_or_default();
            common.add_text(&mut doc, text, true);
            let entities = match copied {
                Copied::Mentioning(facets) => facets,
                _ => stored
                    .entities
                    .iter()
                    .filter(|e| e.forms.iter().any(|form| text.contains(form.as_str())))
                    .map(|e| entity_facet(e.kind, &e.name))
                    .collect(),
            };
            for facet in entities {
                doc.add_facet(f.entity, facet);
            }
        }
        ops.push(UserOperation::Add(doc));
    }
    writer.run(ops)?;
    Ok(())
}

/// The hash of everything [`write()`] writes for an article but its passages, which follow
/// from the text.
pub fn hash(article: &Article, entities: &[Entity]) -> u64 {
    let rest = serde_json::to_vec(&(
        &article.origin,
        &article.source,
        &article.meta,
        &article.furniture,
        entities,
    ))
    .unwrap_or_default();
    schema::content_hash(&[article.text.as_bytes(), &rest])
}

/// Each article's content hash, by key, as of the last commit.
pub fn known_hashes(store: &Store) -> Result<KeyMap<u64>> {
    let searcher = store.index().reader()?.searcher();
    let mut out = KeyMap::default();
    for reader in searcher.segment_readers() {
        let keys = reader.fast_fields().u64(field::ARTICLE_KEY)?;
        let hashes = reader.fast_fields().u64(field::CONTENT_HASH)?;
        let alive = reader.alive_bitset();
        for doc in 0..reader.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            // Only article documents carry a hash.
            if let (Some(hash), Some(key)) = (hashes.first(doc), keys.first(doc)) {
                out.insert(key, hash);
            }
        }
    }
    Ok(out)
}

/// The `author:` keys of an article's authors: each name whole and each of its words,
/// lowercased with accents folded ([`author_key`]).
pub(crate) fn author_keys(authors: &[String]) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for name in authors {
        let whole = author_key(name);
        keys.extend(
            whole
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
        keys.insert(whole);
    }
    keys.remove("");
    keys
}

/// A name as `author:` compares it: words of letters and digits, lowercased, accents
/// folded, one space between ("  Zoë  O'Brien " → "zoe o brien").
pub fn author_key(name: &str) -> String {
    let mut analyzer = analysis::exact();
    analysis::terms(&mut analyzer, name)
        .into_iter()
        .map(|(word, _)| word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// An article's language code: from its metadata or text, else `und`.
pub fn article_lang(meta: &Metadata) -> &str {
    meta.lang
        .as_ref()
        .map_or(crate::lang::UNKNOWN, |l| l.value.as_str())
}

/// An article's facets: outlet (or unknown), date (day, or unknown), language and entities.
pub fn article_facets(meta: &Metadata, entities: &[Entity]) -> Vec<Facet> {
    let mut out = Vec::new();
    // Unknown outlets and dates get a bucket, so facet counts always add up to the hits.
    let outlet = meta
        .outlet
        .as_ref()
        .map_or(DATE_UNKNOWN, |o| o.value.as_str());
    out.push(Facet::from_path(["outlet", outlet]));
    match &meta.date {
        Some(d) => {
            // "2024-11-15" → /date/2024/11/15; a month or a year is a shorter path.
            let s = d.value.to_string();
            let mut path = vec!["date"];
            path.extend(s.split('-'));
            out.push(Facet::from_path(path));
        }
        None => out.push(Facet::from_path(["date", DATE_UNKNOWN])),
    }
    out.push(Facet::from_path(["lang", article_lang(meta)]));
    for e in entities {
        out.push(entity_facet(e.kind, &e.name));
    }
    out
}

/// An entity as a facet, `/KIND/NAME`: on passage documents (`entity`) and article
/// documents (`facet`).
pub fn entity_facet(kind: Kind, name: &str) -> Facet {
    Facet::from_path([kind.name(), name])
}

pub(crate) fn source_name(source: Source) -> &'static str {
    match source {
        Source::Metadata => "metadata",
        Source::Text => "text",
        Source::Unknown => DATE_UNKNOWN,
    }
}

/// Articles and passages in the index, as of its last commit.
pub fn counts(store: &Store) -> Result<(u64, u64)> {
    counts_in(&store.index().reader()?.searcher(), store.fields())
}

/// Articles and passages a searcher sees.
pub fn counts_in(searcher: &Searcher, fields: &Fields) -> Result<(u64, u64)> {
    let count = |kind: &str| -> Result<u64> {
        let q = TermQuery::new(
            Term::from_field_text(fields.kind, kind),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&q, &Count)? as u64)
    };
    Ok((count(KIND_ARTICLE)?, count(KIND_PASSAGE)?))
}

/// An article document, decoded.
pub struct Read {
    /// The article's id.
    pub id: String,
    /// The original text.
    pub text: String,
    /// Everything else stored for it.
    pub stored: StoredArticle,
}

/// Decodes an article document.
pub fn read(f: &Fields, doc: &TantivyDocument) -> Result<Read> {
    let str_of = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    };
    let id = str_of(f.id).to_string();
    let stored: StoredArticle = serde_json::from_str(str_of(f.meta)).map_err(|e| {
        Error::InvalidArgument(format!(
            "article {id:?} has unreadable stored metadata ({e}); re-index it"
        ))
    })?;
    Ok(Read {
        text: str_of(f.body).to_string(),
        id,
        stored,
    })
}

/// The article document holding `term` (its id or its key); `shown` names it in errors.
pub fn load(searcher: &Searcher, f: &Fields, term: Term, shown: &str) -> Result<Read> {
    let q = BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                as Box<dyn tantivy::query::Query>,
        ),
        (Occur::Must, Box::new(articles_only(f))),
    ]);
    let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
    let (_, addr) = top
        .first()
        .ok_or_else(|| Error::ArticleNotFound(shown.to_string()))?;
    read(f, &searcher.doc(*addr)?)
}

/// Calls `each` with every article in index order, one at a time (so a pass over all of
/// them holds one article's text at a time).
pub fn each(searcher: &Searcher, f: &Fields, mut each: impl FnMut(Read)) -> Result<()> {
    each_at(searcher, f, |_, read| each(read))
}

/// [`each`], with each article document's address (its passages' documents follow it).
pub fn each_at(
    searcher: &Searcher,
    f: &Fields,
    mut each: impl FnMut(tantivy::DocAddress, Read),
) -> Result<()> {
    for addr in searcher.search(&articles_only(f), &DocSetCollector)? {
        each(addr, read(f, &searcher.doc(addr)?)?);
    }
    Ok(())
}

/// Matches the article documents.
fn articles_only(f: &Fields) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(f.kind, KIND_ARTICLE),
        IndexRecordOption::Basic,
    )
}
