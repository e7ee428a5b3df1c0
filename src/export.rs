//! The formats of an export (`byline export`, HTTP `/export`): JSON Lines (the search's own
//! `hit` records, then its `summary`) or CSV (a header, then a row per passage, the
//! article's columns repeated), either cut to chosen fields.

use std::io::Write;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::search::{Hit, Summary};

/// Every field an export can write, in the order it writes them by default.
pub const FIELDS: &[&str] = &[
    "rank",
    "id",
    "score",
    "outlet",
    "site",
    "date",
    "lang",
    "url",
    "title",
    "author",
    "copies",
    "passage",
    "start",
    "end",
    "text",
    "matched_as",
];

/// The fields that belong to a passage rather than to its article.
const PASSAGE_FIELDS: &[&str] = &["passage", "start", "end", "text", "matched_as"];

/// An export's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// JSON Lines: `hit` records, then a `summary`.
    #[default]
    Jsonl,
    /// CSV: a header, then a row per passage.
    Csv,
}

impl Format {
    /// Reads `jsonl` (or `json`) or `csv`.
    pub fn parse(s: &str) -> Result<Format> {
        match s {
            "jsonl" | "json" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            _ => Err(Error::InvalidArgument(format!(
                "format must be jsonl or csv, not {s:?}"
            ))),
        }
    }

    /// The media type of its body.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jsonl => "application/x-ndjson; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// Reads a comma-separated list of [`FIELDS`], in the order given.
pub fn parse_fields(list: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !FIELDS.contains(&name) {
            return Err(Error::InvalidArgument(format!(
                "{name:?} is not an export field (fields: {})",
                FIELDS.join(",")
            )));
        }
        if !out.iter().any(|f| f == name) {
            out.push(name.to_string());
        }
    }
    if out.is_empty() {
        return Err(Error::InvalidArgument(format!(
            "no fields given (fields: {})",
            FIELDS.join(",")
        )));
    }
    Ok(out)
}

/// Writes an export's records to `W`.
pub struct Writer<W: Write> {
    fields: Option<Vec<String>>,
    out: Out<W>,
}

enum Out<W: Write> {
    Jsonl(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Writer<W> {
    /// A writer of `format`, cut to `fields` (all of them when None; JSON Lines then writes
    /// the search's records whole). A CSV writes its header at once.
    pub fn new(out: W, format: Format, fields: Option<Vec<String>>) -> Result<Writer<W>> {
        let out = match format {
            Format::Jsonl => Out::Jsonl(out),
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                let header: Vec<&str> = match &fields {
                    Some(f) => f.iter().map(String::as_str).collect(),
                    None => FIELDS.to_vec(),
                };
                w.write_record(&header).map_err(csv_error)?;
                Out::Csv(Box::new(w))
            }
        };
        Ok(Writer { fields, out })
    }

    /// Writes one article.
    pub fn hit(&mut self, hit: &Hit) -> Result<()> {
        match &mut self.out {
            Out::Jsonl(w) => {
                match &self.fields {
                    None => serde_json::to_writer(
                        &mut *w,
                        &Tagged {
                            r#type: "hit",
                            record: hit,
                        },
                    )?,
                    Some(fields) => {
                        let Value::Object(all) = serde_json::to_value(hit)? else {
                            return Ok(());
                        };
                        serde_json::to_writer(&mut *w, &cut(all, fields))?;
                    }
                }
                w.write_all(b"\n").map_err(Error::Output)?;
            }
            Out::Csv(w) => {
                let fields: Vec<&str> = match &self.fields {
                    Some(f) => f.iter().map(String::as_str).collect(),
                    None => FIELDS.to_vec(),
                };
                for p in 0..hit.passages.len().max(1) {
                    let row: Vec<String> = fields.iter().map(|f| cell(hit, p, f)).collect();
                    w.write_record(&row).map_err(csv_error)?;
                }
            }
        }
        Ok(())
    }

    /// Ends the export: JSON Lines write the summary; a CSV has none (its rows are the data).
    pub fn finish(self, summary: &Summary) -> Result<W> {
        match self.out {
            Out::Jsonl(mut w) => {
                serde_json::to_writer(
                    &mut w,
                    &Tagged {
                        r#type: "summary",
                        record: summary,
                    },
                )?;
                w.write_all(b"\n").map_err(Error::Output)?;
                w.flush().map_err(Error::Output)?;
                Ok(w)
            }
            Out::Csv(w) => w.into_inner().map_err(|e| Error::Output(e.into_error())),
        }
    }
}

/// A record with its `type` first, as search writes them.
#[derive(serde::Serialize)]
struct Tagged<'a, T: serde::Serialize> {
    r#type: &'static str,
    #[serde(flatten)]
    record: &'a T,
}

/// A JSON object whose keys keep the order they were put in.
struct Ordered(Vec<(String, Value)>);

impl serde::Serialize for Ordered {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The chosen fields of a hit record, in the order chosen: the article's as they are, the
/// passages' inside each passage.
fn cut(mut all: Map<String, Value>, fields: &[String]) -> Ordered {
    let mut record = vec![("type".to_string(), Value::from("hit"))];
    let passage_fields: Vec<&String> = fields
        .iter()
        .filter(|f| PASSAGE_FIELDS.contains(&f.as_str()))
        .collect();
    for f in fields {
        if !PASSAGE_FIELDS.contains(&f.as_str()) {
            record.push((f.clone(), all.remove(f).unwrap_or(Value::Null)));
        }
    }
    if !passage_fields.is_empty() {
        let passages = match all.remove("passages") {
            Some(Value::Array(ps)) => ps,
            _ => Vec::new(),
        };
        let cut: Vec<Value> = passages
            .into_iter()
            .map(|p| {
                let mut p = match p {
                    Value::Object(p) => p,
                    _ => Map::new(),
                };
                let kept: Vec<(String, Value)> = passage_fields
                    .iter()
                    .map(|f| ((*f).clone(), p.remove(f.as_str()).unwrap_or(Value::Null)))
                    .collect();
                serde_json::to_value(Ordered(kept)).unwrap_or(Value::Null)
            })
            .collect();
        record.push(("passages".into(), Value::Array(cut)));
    }
    Ordered(record)
}

/// One CSV cell: field `f` of passage `p` of the hit (or of its article).
fn cell(hit: &Hit, p: usize, f: &str) -> String {
    let a = &hit.article;
    let passage = hit.passages.get(p);
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    match f {
        "rank" => hit.rank.to_string(),
        "id" => a.id.clone(),
        "score" => format!("{:.4}", hit.score),
        "outlet" => opt(&a.outlet),
        "site" => opt(&a.site),
        "date" => a.date.map(|d| d.to_string()).unwrap_or_default(),
        "lang" => a.lang.clone(),
        "url" => opt(&a.url),
        "title" => opt(&a.title),
        "author" => a.author.join("; "),
        "copies" => hit.copies.to_string(),
        "passage" => passage.map(|p| p.passage.to_string()).unwrap_or_default(),
        "start" => passage.map(|p| p.start.to_string()).unwrap_or_default(),
        "end" => passage.map(|p| p.end.to_string()).unwrap_or_default(),
        "text" => passage.map(|p| p.text.clone()).unwrap_or_default(),
        "matched_as" => passage
            .map(|p| {
                p.matched_as
                    .iter()
                    .map(|m| format!("{}→{} ({})", m.word, m.form, m.how))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Output(io),
        other => Error::InvalidArgument(format!("CSV: {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_and_kept_in_the_order_given() {
        assert_eq!(
            parse_fields("id, text,id,rank").unwrap(),
            ["id", "text", "rank"]
        );
        let err = parse_fields("id,body").unwrap_err().to_string();
        assert!(
            err.starts_with("\"body\" is not an export field (fields: rank,id,"),
            "{err}"
        );
        assert!(parse_fields(" , ").is_err());
        assert_eq!(Format::parse("csv").unwrap(), Format::Csv);
        assert_eq!(
            Format::parse("xml").unwrap_err().to_string(),
            "format must be jsonl or csv, not \"xml\""
        );
    }
}
