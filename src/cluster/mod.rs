//! byline's index on an OpenSearch cluster (Elasticsearch takes the same bodies): the index's
//! settings and mappings, and every article and passage as bulk documents that carry
//! byline's own analysis, so that matching on the cluster is byline's and not the engine's
//! guess at it.
//!
//! **The encoding.** Each analysed field is written as the terms byline's analyzer gave
//! ([`crate::analysis::registered`], the same analyzers indexing runs), one token per
//! position, separated by spaces: terms that share a position joined by `|`, a position
//! with no term written `_`. The index's `byline_terms` analyzer reads that back: the
//! whitespace tokenizer, analysis-common's `pattern_capture` (every `|`-separated term at the
//! position of the token) and a `stop` filter that drops `_` and keeps its place. So a term,
//! its position and its alternatives are what the local index holds (`tests/opensearch/
//! smoke.sh` checks the encoding on a real cluster). A term holding a space, `|` or being
//! `_` (no analyzer of byline makes one) would be changed: such characters become U+FFFD,
//! and [`Report::changed_terms`] counts them.
//!
//! **The documents**, as locally: an article document (`kind: article`, its text and stored
//! record, not indexed) and a document per passage (`kind: passage`), each with the
//! article's filterable metadata, a passage also with the entities it mentions. Passages
//! are the article's children (a `join` field, every document routed by the article's id),
//! so a search ranks and counts articles by their best passage (`has_child`) and facets
//! count articles exactly. Keys are strings of twenty digits (byline's keys are unsigned
//! 64-bit, past what a `long` holds; so padded, they sort as numbers).
//! Scores: BM25 with k1 1.2 and b 0.75 as tantivy's, counting every term of a position
//! (`discount_overlaps: false`, as tantivy's field norms do).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::analysis;
use crate::document::{self, Read};
use crate::error::{Error, Result};
use crate::schema;
use crate::store::Store;

pub mod push;
pub mod search;

/// The index's name on the cluster.
pub const INDEX: &str = "byline";
/// The analyzer that reads byline's encoded terms.
pub const ANALYZER: &str = "byline_terms";
/// The version of the index's layout (mappings and documents), in its mappings' `_meta`: an
/// index of another layout is refused, not half-filled.
pub const LAYOUT_VERSION: u32 = 3;
/// Most articles (with their passages) in one bulk file.
pub const ARTICLES_PER_BULK: usize = 500;

/// Shards and replicas of the index made on a cluster.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Primary shards.
    pub shards: u32,
    /// Copies of each.
    pub replicas: u32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            shards: 1,
            replicas: 0,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Report {
    /// Articles written.
    pub articles: u64,
    /// Passages written.
    pub passages: u64,
    /// Bulk files written.
    pub files: u64,
    /// Terms that held a character the encoding reserves (a space, `|`, or `_` alone).
    pub changed_terms: u64,
}

/// The body that creates the index: settings (shards, replicas, the analyzer, the
/// similarity) and mappings (strict: every field named).
pub fn index_body(layout: Layout) -> Value {
    let terms = |positions: bool| {
        json!({"type": "text", "analyzer": ANALYZER, "similarity": "byline_bm25",
               "index_options": if positions { "positions" } else { "freqs" }})
    };
    let keyword = || json!({"type": "keyword"});
    json!({
        "settings": {
            "number_of_shards": layout.shards,
            "number_of_replicas": layout.replicas,
            "similarity": {"byline_bm25": {"type": "BM25", "k1": 1.2, "b": 0.75,
                                           "discount_overlaps": false}},
            "analysis": {
                "filter": {
                    "byline_alternatives": {"type": "pattern_capture", "preserve_original": false,
                                            "patterns": ["([^|]+)"]},
                    "byline_gaps": {"type": "stop", "stopwords": ["_"]},
                },
                "analyzer": {ANALYZER: {"type": "custom", "tokenizer": "whitespace",
                                        "filter": ["byline_alternatives", "byline_gaps"]}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"byline": LAYOUT_VERSION},
            "properties": {
                "relation": {"type": "join", "relations": {"article": "passage"}},
                "kind": keyword(),
                "article": keyword(),
                "article_key": keyword(),
                "copy_cluster": keyword(),
                "passage": {"type": "integer"},
                "start": {"type": "integer"},
                "end": {"type": "integer"},
                "text": terms(true),
                "text_exact": terms(false),
                "name": terms(false),
                "name_fold": terms(false),
                "name_script": terms(false),
                "lang": keyword(),
                "outlet": keyword(),
                "outlet_key": keyword(),
                "author_key": keyword(),
                "date": {"type": "date", "format": "yyyy-MM-dd||yyyy-MM||yyyy"},
                "date_source": keyword(),
                "facets": keyword(),
                "entity": keyword(),
                "forms": keyword(),
                "batch": {"type": "long"},
                "body": {"type": "text", "index": false},
                "record": {"type": "object", "enabled": false},
            },
        },
    })
}

/// Writes byline's terms for the analysed `tokens` (term, position) as the encoding says.
/// Returns the encoded field and how many terms had to be changed.
pub fn encode(tokens: &[(String, usize)]) -> (String, u64) {
    let mut at: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut changed = 0;
    for (term, position) in tokens {
        let clean: String = term
            .chars()
            .map(|c| {
                if c.is_whitespace() || c == '|' {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect();
        let clean = if clean == "_" {
            "\u{fffd}".to_string()
        } else {
            clean
        };
        if clean != *term {
            changed += 1;
        }
        if clean.is_empty() {
            continue;
        }
        let here = at.entry(*position).or_default();
        if !here.contains(&clean) {
            here.push(clean);
        }
    }
    let Some(&last) = at.keys().next_back() else {
        return (String::new(), changed);
    };
    let mut out = String::new();
    for position in 0..=last {
        if position > 0 {
            out.push(' ');
        }
        match at.get(&position) {
            Some(terms) => out.push_str(&terms.join("|")),
            None => out.push('_'),
        }
    }
    (out, changed)
}

/// The analysers of the passage fields, by field name, as indexing runs them.
pub(crate) struct Analysers(Vec<(&'static str, tantivy::tokenizer::TextAnalyzer)>);

impl Analysers {
    pub(crate) fn new() -> Analysers {
        let by_name: BTreeMap<&str, tantivy::tokenizer::TextAnalyzer> =
            analysis::registered().into_iter().collect();
        Analysers(
            analysis::FIELD_ANALYZERS
                .iter()
                .filter_map(|(field, name)| by_name.get(name).map(|a| (*field, a.clone())))
                .collect(),
        )
    }

    /// Every analysed field of a passage, encoded, and the terms changed.
    fn fields(&mut self, lang: &str, text: &str) -> (Vec<(&'static str, String)>, u64) {
        let mut out = Vec::with_capacity(self.0.len());
        let mut changed = 0;
        for (field, analyzer) in &mut self.0 {
            let value = if *field == document::field::TEXT {
                analysis::stemmed_value(lang, text)
            } else {
                text.to_string()
            };
            let mut tokens = Vec::new();
            let mut stream = analyzer.token_stream(&value);
            while let Some(token) = stream.next() {
                tokens.push((token.text.clone(), token.position));
            }
            let (encoded, n) = encode(&tokens);
            changed += n;
            out.push((*field, encoded));
        }
        (out, changed)
    }
}

/// The documents of one article: its own, then one per passage, each with its `_id`.
pub(crate) fn documents(
    read: &Read,
    entities: &[Vec<tantivy::schema::Facet>],
    analysers: &mut Analysers,
    report: &mut Report,
) -> Vec<(String, Value)> {
    let meta = &read.stored.meta;
    let lang = document::article_lang(meta);
    // Twenty digits: as strings, keys sort as the numbers do, so articles of equal score
    // come in the local order (the key breaks ties there too).
    let key = format!("{:020}", schema::article_key(&read.id));
    let facets: Vec<String> = document::article_facets(meta, &read.stored.entities)
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut outlet_key = Vec::new();
    if let Some(o) = &meta.outlet {
        outlet_key.push(o.value.to_lowercase());
    }
    if let Some(site) = &meta.site {
        outlet_key.push(site.to_lowercase());
    }
    let common = json!({
        "article": read.id,
        "article_key": key,
        "copy_cluster": format!("{:020}", read.stored.cluster),
        "lang": lang,
        "outlet": meta.outlet.as_ref().map(|o| o.value.clone()),
        "outlet_key": outlet_key,
        "author_key": document::author_keys(&meta.author).into_iter().collect::<Vec<_>>(),
        "date": meta.date.as_ref().map(|d| d.value.to_string()),
        "date_source": meta.date.as_ref().map_or(schema::DATE_UNKNOWN, |d| {
            document::source_name(d.source)
        }),
        "facets": facets,
    });
    let with = |mut doc: Value, more: Value| {
        if let (Some(d), Some(m)) = (doc.as_object_mut(), more.as_object()) {
            d.extend(m.clone());
        }
        doc
    };
    let forms: Vec<String> = read
        .stored
        .entities
        .iter()
        .flat_map(|e| {
            e.forms
                .iter()
                .map(move |f| format!("/{}/{}/{}", e.kind.name(), e.name, f))
        })
        .collect();
    let mut out = vec![(
        read.id.clone(),
        with(
            common.clone(),
            json!({"kind": schema::KIND_ARTICLE, "relation": "article",
                   "body": read.text, "forms": forms,
                   "record": serde_json::to_value(&read.stored).unwrap_or(Value::Null)}),
        ),
    )];
    for (n, &[start, end]) in read.stored.ranges.iter().enumerate() {
        let text = read.text.get(start..end).unwrap_or_default();
        let (fields, changed) = analysers.fields(lang, text);
        report.changed_terms += changed;
        let mut doc = with(
            common.clone(),
            json!({"kind": schema::KIND_PASSAGE, "passage": n, "start": start, "end": end,
            "relation": {"name": "passage", "parent": read.id},
            "entity": entities.get(n).map_or_else(Vec::new, |list| {
                list.iter().map(ToString::to_string).collect::<Vec<_>>()
            })}),
        );
        if let Some(d) = doc.as_object_mut() {
            for (field, encoded) in fields {
                d.insert(field.to_string(), Value::String(encoded));
            }
        }
        out.push((passage_id(&read.id, n), doc));
        report.passages += 1;
    }
    report.articles += 1;
    out
}

/// The entities each passage of an article mentions, as the local index holds them (the
/// `entity` facets of the passage documents that follow the article's document), read with
/// one facet column per segment.
pub struct PassageEntities<'s> {
    searcher: &'s tantivy::Searcher,
    readers: HashMap<u32, tantivy::fastfield::FacetReader>,
}

impl<'s> PassageEntities<'s> {
    /// Reads from `searcher`'s segments.
    pub fn new(searcher: &'s tantivy::Searcher) -> PassageEntities<'s> {
        PassageEntities {
            searcher,
            readers: HashMap::new(),
        }
    }

    /// The entity facets of each of the `passages` passages of the article whose document
    /// is at `article`.
    pub fn of(
        &mut self,
        article: tantivy::DocAddress,
        passages: usize,
    ) -> Result<Vec<Vec<tantivy::schema::Facet>>> {
        let reader = match self.readers.entry(article.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                self.searcher
                    .segment_reader(article.segment_ord)
                    .facet_reader(document::field::ENTITY)?,
            ),
        };
        let mut out = Vec::with_capacity(passages);
        for n in 1..=passages as u32 {
            let mut facets = Vec::new();
            for ord in reader.facet_ords(article.doc_id + n) {
                let mut facet = tantivy::schema::Facet::root();
                reader.facet_from_ord(ord, &mut facet)?;
                facets.push(facet);
            }
            out.push(facets);
        }
        Ok(out)
    }
}

/// A bulk action (`index` or `delete`) on document `id` of `article`: every document of an
/// article is routed by the article's id, so its passages (children of the article
/// document) live on its shard.
pub(crate) fn action(kind: &str, id: &str, article: &str) -> Value {
    json!({kind: {"_index": INDEX, "_id": id, "routing": article}})
}

/// The cluster id of passage `n` of article `id`.
pub fn passage_id(id: &str, n: usize) -> String {
    format!("{id}#{n}")
}

/// Writes what a cluster needs to hold this index into `dir`: `index.json` (the body that
/// creates the index), `bulk-NNNNN.ndjson` (bulk requests of at most
/// [`ARTICLES_PER_BULK`] articles each, articles in id order) and `load.sh URL` (creates the
/// index and sends the files, stopping at the first error).
pub fn export(store: &Store, dir: &Path, layout: Layout) -> Result<Report> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let body = serde_json::to_string_pretty(&index_body(layout))
        .map_err(|e| Error::InvalidArgument(e.to_string()))?;
    write_file(&dir.join("index.json"), body.as_bytes())?;
    write_file(&dir.join("load.sh"), LOAD_SCRIPT.as_bytes())?;
    let searcher = store.index().reader()?.searcher();
    let mut reads = Vec::new();
    document::each_at(&searcher, store.fields(), |at, read| reads.push((at, read)))?;
    reads.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    let mut entities = PassageEntities::new(&searcher);
    let mut report = Report::default();
    let mut analysers = Analysers::new();
    for chunk in reads.chunks(ARTICLES_PER_BULK) {
        report.files += 1;
        let path: PathBuf = dir.join(format!("bulk-{:05}.ndjson", report.files));
        let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        let mut w = std::io::BufWriter::new(file);
        for (at, read) in chunk {
            let mentioned = entities.of(*at, read.stored.ranges.len())?;
            for (id, doc) in documents(read, &mentioned, &mut analysers, &mut report) {
                let action = action("index", &id, &read.id);
                writeln!(w, "{action}\n{doc}").map_err(|e| Error::io(&path, e))?;
            }
        }
        w.flush().map_err(|e| Error::io(&path, e))?;
    }
    Ok(report)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// `load.sh URL`, written beside the bulk files.
const LOAD_SCRIPT: &str = r#"#!/bin/sh
# Loads byline's export into an OpenSearch (or Elasticsearch) cluster: creates the index
# from index.json, then sends each bulk file, stopping at the first refused document.
#   sh load.sh URL          e.g. sh load.sh http://127.0.0.1:9200
# Credentials: put them in the URL (https://user:pass@host:9200) or in ~/.netrc.
set -eu
url=${1:?usage: load.sh URL}
url=${url%/}
cd "$(dirname "$0")"
curl -fsS --netrc-optional -XPUT "$url/byline" -H 'Content-Type: application/json' \
  --data-binary @index.json >/dev/null
for f in bulk-*.ndjson; do
  answer=$(curl -fsS --netrc-optional -XPOST "$url/_bulk" \
    -H 'Content-Type: application/x-ndjson' --data-binary @"$f")
  case "$answer" in
    *'"errors":false'*) echo "$f: loaded" ;;
    *) echo "$f: some documents were refused:" >&2; echo "$answer" | head -c 2000 >&2; exit 1 ;;
  esac
done
curl -fsS --netrc-optional -XPOST "$url/byline/_refresh" >/dev/null
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(list: &[(&str, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|(t, p)| (t.to_string(), *p)).collect()
    }

    #[test]
    fn terms_are_written_by_position_with_alternatives_and_gaps() {
        let (s, changed) = encode(&tokens(&[
            ("en:ambassador", 0),
            ("en:ambassadors", 0),
            ("en:iravani", 1),
            ("en:met", 3),
            ("en:iravani", 1),
        ]));
        assert_eq!(
            (s.as_str(), changed),
            ("en:ambassador|en:ambassadors en:iravani _ en:met", 0)
        );
        assert_eq!(encode(&[]), (String::new(), 0));
        let (s, changed) = encode(&tokens(&[("a b", 0), ("x|y", 1), ("_", 2)]));
        assert_eq!((s.as_str(), changed), ("a\u{fffd}b x\u{fffd}y \u{fffd}", 3));
    }

    #[test]
    fn a_passage_carries_the_terms_the_local_analyzers_give() {
        let mut a = Analysers::new();
        let (fields, changed) = a.fields("en", "Ambassador Iravani met Musk.");
        let field = |name: &str| {
            fields
                .iter()
                .find(|(f, _)| *f == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(changed, 0);
        assert!(
            field("text")
                .split(' ')
                .any(|t| t.split('|').any(|a| a == "en:iravani")),
            "{}",
            field("text")
        );
        assert!(
            field("text_exact").contains("iravani"),
            "{}",
            field("text_exact")
        );
        assert_eq!(field("text").split(' ').count(), 4, "{}", field("text"));
        let names: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            names,
            ["text", "text_exact", "name", "name_fold", "name_script"]
        );
    }
}
