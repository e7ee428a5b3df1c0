//! Queries that say what they are, so that a compiled query can be written in a cluster's
//! query language ([`to_cluster`]): tantivy's boolean, term and all queries show their parts;
//! for the others (boosts, constant scores, phrases, ranges, exists) byline builds them
//! through [`Shaped`], which runs the tantivy query and keeps its shape beside it.

use std::collections::HashMap;

use serde_json::{json, Value};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, ExistsQuery, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery, Weight,
};
use tantivy::schema::Schema;
use tantivy::{DateTime, Term};

use crate::document::field;

/// What a [`Shaped`] query is.
#[derive(Debug)]
enum Shape {
    /// Its inner query's score times a factor.
    Boost(Box<dyn Query>, f32),
    /// Matches what its inner query matches, with one score.
    Constant(Box<dyn Query>, f32),
    /// Terms of one field in order, at most `slop` positions out.
    Phrase(Vec<Term>, u32),
    /// Documents with a date in a range of days (seconds since the epoch, both included).
    Days(Option<i64>, Option<i64>),
    /// Documents with a value in a field.
    Exists(&'static str),
}

impl Clone for Shape {
    fn clone(&self) -> Shape {
        match self {
            Shape::Boost(q, by) => Shape::Boost(q.box_clone(), *by),
            Shape::Constant(q, score) => Shape::Constant(q.box_clone(), *score),
            Shape::Phrase(terms, slop) => Shape::Phrase(terms.clone(), *slop),
            Shape::Days(first, last) => Shape::Days(*first, *last),
            Shape::Exists(name) => Shape::Exists(name),
        }
    }
}

/// A tantivy query with its shape kept beside it.
#[derive(Debug)]
pub struct Shaped {
    query: Box<dyn Query>,
    shape: Shape,
}

impl Clone for Shaped {
    fn clone(&self) -> Shaped {
        Shaped {
            query: self.query.box_clone(),
            shape: self.shape.clone(),
        }
    }
}

impl Query for Shaped {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        self.query.weight(enable_scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor)
    }
}

/// `query`'s score times `boost`.
pub fn boost(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(Shaped {
        query: Box::new(BoostQuery::new(query.box_clone(), boost)),
        shape: Shape::Boost(query, boost),
    })
}

/// What `query` matches, each with `score`.
pub fn constant(query: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(Shaped {
        query: Box::new(ConstScoreQuery::new(query.box_clone(), score)),
        shape: Shape::Constant(query, score),
    })
}

/// `terms` of one field in order, at most `slop` positions out of place.
pub fn phrase(terms: Vec<Term>, slop: u32) -> Box<dyn Query> {
    let mut query = PhraseQuery::new(terms.clone());
    query.set_slop(slop);
    Box::new(Shaped {
        query: Box::new(query),
        shape: Shape::Phrase(terms, slop),
    })
}

/// Documents whose date (`field`) lies from `first` to `last`, seconds since the epoch,
/// either bound open.
pub fn days(
    date_field: tantivy::schema::Field,
    first: Option<i64>,
    last: Option<i64>,
) -> Box<dyn Query> {
    let bound = |secs: Option<i64>| match secs {
        Some(s) => std::ops::Bound::Included(Term::from_field_date_for_search(
            date_field,
            DateTime::from_timestamp_secs(s),
        )),
        None => std::ops::Bound::Unbounded,
    };
    Box::new(Shaped {
        query: Box::new(RangeQuery::new(bound(first), bound(last))),
        shape: Shape::Days(first, last),
    })
}

/// Documents with a value in the fast field `name`.
pub fn exists(name: &'static str) -> Box<dyn Query> {
    Box::new(Shaped {
        query: Box::new(ExistsQuery::new(name.into(), false)),
        shape: Shape::Exists(name),
    })
}

/// `query` in OpenSearch's query language over the documents [`crate::cluster`] writes;
/// None when some part of it has no rendering.
///
/// Fields map to the cluster's: the analysed fields, `kind`, `lang`, `outlet_key`,
/// `author_key`, `date_source` by name; keys as twenty-digit strings; facets (`entity` on
/// passages, `facet` on articles, named `facets` there) as their paths.
///
/// A term in `idf_ratios` is boosted by its ratio, so that an engine scoring it with its own
/// document frequency scores it as byline does.
pub fn to_cluster(
    query: &dyn Query,
    schema: &Schema,
    idf_ratios: &HashMap<Term, f32>,
) -> Option<Value> {
    let render = |q: &dyn Query| to_cluster(q, schema, idf_ratios);
    if let Some(b) = query.downcast_ref::<BooleanQuery>() {
        let (mut must, mut should, mut must_not) = (Vec::new(), Vec::new(), Vec::new());
        for (occur, q) in b.clauses() {
            let rendered = render(q.as_ref())?;
            match occur {
                Occur::Must => must.push(rendered),
                Occur::Should => should.push(rendered),
                Occur::MustNot => must_not.push(rendered),
            }
        }
        let mut out = serde_json::Map::new();
        // tantivy: with no must clause, a should clause is needed; so is OpenSearch's
        // default. A set minimum is said.
        let minimum = b.get_minimum_number_should_match();
        if minimum > 0 {
            out.insert("minimum_should_match".into(), json!(minimum));
        } else if must.is_empty() && !should.is_empty() {
            out.insert("minimum_should_match".into(), json!(1));
        }
        for (name, list) in [("must", must), ("should", should), ("must_not", must_not)] {
            if !list.is_empty() {
                out.insert(name.into(), Value::Array(list));
            }
        }
        return Some(json!({ "bool": out }));
    }
    if let Some(t) = query.downcast_ref::<TermQuery>() {
        let (name, value) = term(t.term(), schema)?;
        return Some(match idf_ratios.get(t.term()) {
            Some(ratio) => json!({"term": {name: {"value": value, "boost": ratio}}}),
            None => json!({"term": {name: value}}),
        });
    }
    if query.downcast_ref::<AllQuery>().is_some() {
        return Some(json!({"match_all": {}}));
    }
    let shaped = query.downcast_ref::<Shaped>()?;
    Some(match &shaped.shape {
        Shape::Boost(inner, by) => {
            json!({"bool": {"must": [render(inner.as_ref())?], "boost": by}})
        }
        Shape::Constant(inner, score) => {
            json!({"constant_score": {"filter": render(inner.as_ref())?,
                                      "boost": score}})
        }
        Shape::Phrase(terms, slop) => {
            let mut name = None;
            let mut words = Vec::with_capacity(terms.len());
            for t in terms {
                let (n, v) = term(t, schema)?;
                name = Some(n);
                words.push(v.as_str()?.to_string());
            }
            // The field's analyzer reads the words back at consecutive positions.
            json!({"match_phrase": {name?: {"query": words.join(" "), "slop": slop}}})
        }
        Shape::Days(first, last) => {
            let day = |secs: i64| {
                crate::date::Date::from_days_since_epoch(secs.div_euclid(86_400))
                    .map(|d| d.to_string())
            };
            let mut range = serde_json::Map::new();
            if let Some(s) = first {
                range.insert("gte".into(), json!(day(*s)?));
            }
            if let Some(s) = last {
                range.insert("lte".into(), json!(day(*s)?));
            }
            json!({"range": {"date": range}})
        }
        Shape::Exists(name) => json!({"exists": {"field": name}}),
    })
}

/// A term as the cluster's field name and value.
fn term(t: &Term, schema: &Schema) -> Option<(String, Value)> {
    let name = schema.get_field_name(t.field());
    let value = t.value();
    Some(match name {
        field::ARTICLE_KEY | field::COPY_CLUSTER => {
            (name.to_string(), json!(format!("{:020}", value.as_u64()?)))
        }
        field::ENTITY => (name.to_string(), json!(value.as_facet()?.to_string())),
        field::FACET => ("facets".to_string(), json!(value.as_facet()?.to_string())),
        _ => (name.to_string(), json!(value.as_str()?)),
    })
}
