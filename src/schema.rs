//! The tantivy schema: which fields an index holds and what each is for.
//!
//! One index holds two kinds of documents. An **article** document stores the article's
//! original text and metadata once (for `byline show` and for cutting passage text). A
//! **passage** document is what a search matches: its indexed text and copies of the
//! article's filterable metadata; it stores nothing. An article's documents are contiguous
//! in one segment, the article's first and its passages after it in order, so a passage's
//! number in its article is its distance from the article document. Its byte
//! range is in the article's stored record, and hits slice the passage out of the article's
//! stored text, so every offset points into what the user gave, and the text is stored once.

use tantivy::schema::{
    DateOptions, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
    FAST, INDEXED, STORED, STRING,
};

use crate::analysis;
use crate::document::field;

/// The schema's version, written into every commit's payload and checked on open.
/// Bump it whenever a field or an analyzer changes meaning.
pub const SCHEMA_VERSION: &str = "byline-schema-14";

/// Value of [`Fields::kind`] on article documents.
pub const KIND_ARTICLE: &str = "article";
/// Value of [`Fields::kind`] on passage documents.
pub const KIND_PASSAGE: &str = "passage";
/// Value of [`Fields::date_source`] when an article's date is not known.
pub const DATE_UNKNOWN: &str = "unknown";

/// Handles to every field of byline's schema.
#[derive(Clone, Debug)]
pub struct Fields {
    /// `article` or `passage`.
    pub kind: Field,
    /// The article's id (file stem or record id): indexed and stored on article documents.
    pub id: Field,
    /// 64-bit hash of the id: a fast field to group passages by article, and indexed to
    /// fetch the passages of chosen articles.
    pub article_key: Field,
    /// Passage text, stemmed in the article's language (`de:treff`, see
    /// [`analysis::Stems`]), with positions.
    pub text: Field,
    /// Passage text, unstemmed, with frequencies: exact forms rank above stems. (No
    /// positions: phrases match on the stemmed field, and exact forms add score.)
    pub text_exact: Field,
    /// Names in the passage (capitalised, uncommon words), for edit-distance variants.
    pub name: Field,
    /// Transliteration keys of the names, for spelling variants.
    pub name_fold: Field,
    /// Cross-script keys of the names and of other-script words ([`analysis::script`]), for
    /// names printed in another script.
    pub name_script: Field,
    /// Outlet as a facet (`/Ynetnews`), for counts.
    pub outlet: Field,
    /// Passage documents: the entities the passage mentions (`/person/Elon Musk`).
    pub entity: Field,
    /// Article documents: the article's facets, for entity filters and article counts:
    /// `/outlet/NAME`, `/date/YYYY/MM/DD` or `/date/unknown`, `/lang/CODE`, `/person/…`,
    /// `/org/…`, `/place/…`.
    /// (Only on the article document: copying them onto every passage tripled indexing time.)
    pub facet: Field,
    /// Article documents: each entity's forms the article printed, `/KIND/NAME/FORM`: the
    /// entity list (`byline entities`, `/entities`) is counted from these facets and the
    /// entity facets, without reading any article.
    pub forms: Field,
    /// Lowercased outlet name and site, for `--outlet` filters (fast: for aggregations).
    pub outlet_key: Field,
    /// The article's authors, for `author:` terms: each name lowercased and folded, whole
    /// and word by word ("John Smith" → `john smith`, `john`, `smith`), on every document.
    pub author_key: Field,
    /// The article's language code, or `und` ([`crate::lang`]), on every document: for
    /// `--lang` filters.
    pub lang: Field,
    /// Publication date (midnight UTC), absent when unknown.
    pub date: Field,
    /// Article documents: a hash of everything written for the article (text, metadata,
    /// furniture, entities, origin), so a later run skips articles that have not changed.
    pub content_hash: Field,
    /// Where the date came from: `metadata`, `text` or `unknown`.
    pub date_source: Field,
    /// Article documents: the original text, byte for byte.
    pub body: Field,
    /// Article documents: metadata, provenance and removed furniture, as JSON.
    pub meta: Field,
    /// Every document: the key of the article's copy cluster ([`crate::copies::Clusterer`]),
    /// read by search to collapse copies.
    pub copy_cluster: Field,
    /// Article documents: the same key, indexed, to list a cluster's members.
    pub copy_member: Field,
    /// Article documents: how many anchor terms it has ([`crate::copies::anchors`]).
    pub copy_anchors: Field,
    /// Article documents: the number of the commit that wrote the article
    /// ([`crate::store::Store::batch`]), so alerts can ask for what came since a run.
    pub batch: Field,
}

impl Fields {
    /// Builds the schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text_options = |analyzer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let names = |analyzer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        let fields = Fields {
            kind: b.add_text_field(field::KIND, STRING),
            id: b.add_text_field(field::ID, STRING | STORED),
            article_key: b.add_u64_field(field::ARTICLE_KEY, FAST | INDEXED),
            text: b.add_text_field(field::TEXT, text_options(analysis::STEMMED)),
            text_exact: b.add_text_field(field::TEXT_EXACT, names(analysis::EXACT)),
            name: b.add_text_field(field::NAME, names(analysis::NAME)),
            name_fold: b.add_text_field(field::NAME_FOLD, names(analysis::NAME_FOLD)),
            name_script: b.add_text_field(field::NAME_SCRIPT, names(analysis::NAME_SCRIPT)),
            outlet: b.add_facet_field(field::OUTLET, FacetOptions::default()),
            entity: b.add_facet_field(field::ENTITY, FacetOptions::default()),
            facet: b.add_facet_field(field::FACET, FacetOptions::default()),
            forms: b.add_facet_field(field::FORMS, FacetOptions::default()),
            outlet_key: b.add_text_field(field::OUTLET_KEY, STRING | FAST),
            lang: b.add_text_field(field::LANG, STRING),
            author_key: b.add_text_field(field::AUTHOR_KEY, STRING),
            date: b.add_date_field(field::DATE, DateOptions::default().set_indexed().set_fast()),
            date_source: b.add_text_field(field::DATE_SOURCE, STRING),
            content_hash: b.add_u64_field(field::CONTENT_HASH, FAST),
            body: b.add_text_field(field::BODY, STORED),
            meta: b.add_text_field(field::META, STORED),
            copy_cluster: b.add_u64_field(field::COPY_CLUSTER, FAST),
            copy_member: b.add_u64_field(field::COPY_MEMBER, INDEXED),
            copy_anchors: b.add_u64_field(field::COPY_ANCHORS, FAST),
            batch: b.add_u64_field(field::BATCH, INDEXED | FAST),
        };
        (b.build(), fields)
    }
}

/// The key that groups an article's passages: FNV-1a of the id (stable across runs and builds).
pub fn article_key(id: &str) -> u64 {
    crate::fnv::hash(id.as_bytes())
}

/// FNV-1a over byte strings, each followed by a 0xff separator (which UTF-8 never holds):
/// stable across runs, builds and Rust versions, as a hash stored in an index must be.
pub fn content_hash(parts: &[&[u8]]) -> u64 {
    crate::fnv::hash_parts(parts)
}

/// Hashes an article key as itself: keys are already FNV hashes, so maps and sets keyed by
/// them skip SipHash (a tenth of a broad search's time).
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not used for u64 keys; kept correct for anything else.
        for &b in bytes {
            self.0 = crate::fnv::step(self.0, b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by article key.
pub type KeyMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;
/// A set of article keys.
pub type KeySet = std::collections::HashSet<u64, std::hash::BuildHasherDefault<KeyHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_key_is_stable() {
        // Pinned: changing the hash silently breaks grouping in existing indexes.
        assert_eq!(article_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(article_key("a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(
            article_key("000_11313b6d5c106fd1"),
            article_key("001_220633d67de26689")
        );
    }
}
