//! Article metadata and where each fact came from: the metadata file, the text, or unknown.
//!
//! Rules, in order, per field (the first that knows wins; nothing is guessed):
//! 1. the folder's `metadata.toml` entry for the file, or a JSON Lines record's own fields;
//! 2. the text itself: a leading `date YYYY-MM-DD` (the scraper's date line) gives the date;
//!    an outlet's own sign-off, "Get the NAME app on your smartphone:", gives the outlet;
//! 3. otherwise the field is unknown.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// File name of the per-folder metadata file.
pub const METADATA_FILE: &str = "metadata.toml";

/// Where a metadata value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The metadata file or the JSON Lines record.
    Metadata,
    /// Read from the article's own text.
    Text,
    /// Not known.
    Unknown,
}

/// A metadata value with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub source: Source,
}

impl<T> Known<T> {
    fn from_metadata(value: Option<T>) -> Option<Known<T>> {
        value.map(|value| Known {
            value,
            source: Source::Metadata,
        })
    }
}

/// What is known of one article besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Outlet name, e.g. "Ynetnews".
    pub outlet: Option<Known<String>>,
    /// The outlet's site, e.g. "ynetnews.com" (metadata only).
    pub site: Option<String>,
    /// The article's address.
    pub url: Option<Known<String>>,
    /// Publication date.
    pub date: Option<Known<Date>>,
    /// Headline.
    pub title: Option<Known<String>>,
    /// A free note from the metadata file ("republishing an RT article").
    pub note: Option<String>,
    /// Language code ([`crate::lang`]): from the metadata, else detected from the text
    /// (source `text`); None when neither tells.
    #[serde(default)]
    pub lang: Option<Known<String>>,
    /// Authors, as the metadata names them (metadata only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<String>,
    /// Keys of the metadata entry or record that byline does not read, with their values
    /// as given: kept and shown, never searched.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// One entry of `metadata.toml`, or the metadata fields of a record, as read leniently: a
/// value that cannot be read leaves its field unknown and adds a warning; keys byline does
/// not read are kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// The article file's name, relative to the metadata file's folder.
    pub file: Option<String>,
    /// Outlet name.
    pub outlet: Option<String>,
    /// Outlet site.
    pub site: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// Publication date ([`Date::parse_scraped`]).
    pub date: Option<Date>,
    /// Headline.
    pub title: Option<String>,
    /// Free note.
    pub note: Option<String>,
    /// Language code ([`crate::lang::code`]).
    pub lang: Option<String>,
    /// Authors.
    pub author: Vec<String>,
    /// Keys not read, with their values.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// What could not be read, one line each ("date \"Nov 15\" is not a date …").
    pub warnings: Vec<String>,
}

/// The keys each field is read from, first found wins: byline's own name, then what common
/// scrapers and feeds call it (Scrapy items, news-please, newspaper3k, RSS/JSON Feed).
/// A second key for a field already read is kept in `extra`.
const KEYS: &[(Field, &[&str])] = &[
    (Field::File, &["file"]),
    (
        Field::Outlet,
        &["outlet", "publisher", "source_name", "source"],
    ),
    (
        Field::Site,
        &["site", "domain", "source_domain", "hostname"],
    ),
    (Field::Url, &["url", "link", "canonical_url"]),
    (
        Field::Date,
        &[
            "date",
            "published",
            "published_at",
            "publish_date",
            "date_published",
            "datePublished",
            "pubDate",
            "pubdate",
        ],
    ),
    (Field::Title, &["title", "headline"]),
    (Field::Note, &["note"]),
    (Field::Lang, &["lang", "language", "inLanguage"]),
    (Field::Author, &["author", "authors", "byline", "creator"]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    File,
    Outlet,
    Site,
    Url,
    Date,
    Title,
    Note,
    Lang,
    Author,
}

impl Entry {
    /// Reads an entry from its keys and JSON values (a record less its `id` and `text`, or
    /// a `metadata.toml` entry converted by [`toml_to_json`]).
    pub fn from_fields(fields: serde_json::Map<String, serde_json::Value>) -> Entry {
        let mut entry = Entry::default();
        let mut fields = fields;
        for (field, keys) in KEYS {
            let Some(key) = keys.iter().find(|k| fields.contains_key(**k)) else {
                continue;
            };
            let Some(value) = fields.remove(*key) else {
                continue;
            };
            entry.read(*field, key, value);
        }
        entry.extra = fields.into_iter().collect();
        entry
    }

    fn read(&mut self, field: Field, key: &str, value: serde_json::Value) {
        use serde_json::Value;
        if field == Field::Author {
            let names: Vec<Value> = match value {
                Value::Array(items) => items,
                one => vec![one],
            };
            for name in names {
                match text_of(&name) {
                    Some(n) => self.author.push(n),
                    None if is_blank(&name) => {}
                    None => self.warnings.push(format!(
                        "{key} {name} is not a name (text, or a list of them); left out"
                    )),
                }
            }
            return;
        }
        if field == Field::Date {
            if let Some(secs) = value.as_i64().or_else(|| value.as_f64().map(|f| f as i64)) {
                // A number is a Unix time: seconds, or milliseconds when that large.
                let secs = if secs.abs() > 100_000_000_000 {
                    secs / 1000
                } else {
                    secs
                };
                self.date = Date::from_days_since_epoch(secs.div_euclid(86_400));
                return;
            }
        }
        let Some(text) = text_of(&value) else {
            if !is_blank(&value) {
                self.warnings.push(format!(
                    "{key} {value} is not text; {} left unknown",
                    field_name(field)
                ));
            }
            return;
        };
        match field {
            Field::Date => match Date::parse_scraped(&text) {
                Some(d) => self.date = Some(d),
                None => self.warnings.push(format!(
                    "{key} {text:?} is not a date byline reads (ISO 8601, RFC 2822, YYYY-MM-DD HH:MM, YYYY-MM, YYYY); date left unknown"
                )),
            },
            Field::Lang => match crate::lang::code(&text) {
                Some(code) => self.lang = Some(code.to_string()),
                None => self.warnings.push(format!(
                    "{key} {text:?} is not a language byline knows; language detected from the text"
                )),
            },
            Field::File => self.file = Some(text),
            Field::Outlet => self.outlet = Some(text),
            Field::Site => self.site = Some(text),
            Field::Url => self.url = Some(text),
            Field::Title => self.title = Some(text),
            Field::Note => self.note = Some(text),
            Field::Author => {}
        }
    }

    /// The entry as metadata whose every field is sourced from the metadata.
    pub fn into_metadata(self) -> Metadata {
        Metadata {
            outlet: Known::from_metadata(self.outlet),
            site: self.site,
            url: Known::from_metadata(self.url),
            date: Known::from_metadata(self.date),
            title: Known::from_metadata(self.title),
            note: self.note,
            lang: Known::from_metadata(self.lang),
            author: self.author,
            extra: self.extra,
        }
    }
}

fn field_name(field: Field) -> &'static str {
    KEYS.iter()
        .find(|(f, _)| *f == field)
        .map_or("field", |(_, keys)| keys[0])
}

/// Null or blank text: a field left empty, as scrapers write one they did not find.
fn is_blank(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A value as trimmed text: a string, a number as written, or an object's `name` (a feed's
/// `{"name": "Reuters"}`); None for anything else and for blank text.
fn text_of(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Object(o) => return o.get("name").and_then(text_of),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A TOML value as JSON; TOML's own dates and times become their text (`2024-11-15`).
pub fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// The entries of one folder's `metadata.toml`, by file name, plus what was wrong in it.
#[derive(Debug, Default)]
pub struct FolderMetadata {
    /// Entries by file name.
    pub entries: HashMap<String, Entry>,
    /// Problems: `(where, reason)`. A broken entry is left out; the rest is used.
    pub problems: Vec<(String, String)>,
    /// What was read but not used, one line each (unknown top-level keys).
    pub notes: Vec<String>,
}

/// Reads a folder's `metadata.toml`. A file that does not parse yields one problem and no
/// entries; an entry that does not parse yields a problem and is left out.
pub fn read_folder_metadata(path: &Path) -> FolderMetadata {
    let shown = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => parse_folder_metadata(bytes, &shown),
        Err(e) => FolderMetadata {
            problems: vec![(shown, format!("cannot read metadata file: {e}"))],
            ..FolderMetadata::default()
        },
    }
}

/// Parses the bytes of a `metadata.toml` (`shown` names it in problems), as
/// [`read_folder_metadata`] does.
pub fn parse_folder_metadata(bytes: Vec<u8>, shown: &str) -> FolderMetadata {
    let mut out = FolderMetadata::default();
    let shown = shown.to_string();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            out.problems
                .push((shown, format!("metadata file is not UTF-8 text ({e})")));
            return out;
        }
    };
    let mut file: toml::Table = match toml::from_str(&text) {
        Ok(f) => f,
        Err(e) => {
            let msg = e.message().to_string();
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            let at = line.map_or(shown.clone(), |l| format!("{shown}:{l}"));
            out.problems
                .push((at, format!("malformed metadata file, ignored: {msg}")));
            return out;
        }
    };
    let articles = match file.remove("article") {
        Some(toml::Value::Array(items)) => items,
        None => Vec::new(),
        Some(_) => {
            out.problems.push((
                shown,
                "`article` is not a list of [[article]] tables; file ignored".into(),
            ));
            return out;
        }
    };
    if !file.is_empty() {
        let keys: Vec<&str> = file.keys().map(String::as_str).collect();
        out.notes.push(format!(
            "{shown}: top-level keys {} are not read (entries are [[article]] tables)",
            keys.join(", ")
        ));
    }
    for (n, value) in articles.into_iter().enumerate() {
        let at = format!("{shown}: [[article]] #{}", n + 1);
        let serde_json::Value::Object(fields) = toml_to_json(value) else {
            out.problems
                .push((at, "entry is not a table of keys, ignored".into()));
            continue;
        };
        let entry = Entry::from_fields(fields);
        let Some(name) = entry.file.clone() else {
            out.problems
                .push((at, "entry has no `file`, ignored".into()));
            continue;
        };
        if !is_plain_file_name(&name) {
            out.problems.push((
                at,
                format!("`file` {name:?} is not a plain file name in this folder, ignored"),
            ));
            continue;
        }
        let mut entry = entry;
        for w in &mut entry.warnings {
            *w = format!("{at}: {w}");
        }
        if out.entries.insert(name.clone(), entry).is_some() {
            out.problems.push((
                at,
                format!("second entry for {name:?}; the later one is used"),
            ));
        }
    }
    out
}

/// A name of a file directly in the metadata file's folder: no separator, not `.` or `..`.
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// The path of the metadata file for a folder.
pub fn metadata_path(folder: &Path) -> PathBuf {
    folder.join(METADATA_FILE)
}

/// A leading scraper date line: optional whitespace (and a byte order mark), `date`, a
/// space, `YYYY-MM-DD` or `YYYY-MM` (a month only, kept as such), then whitespace or the end.
/// Returns the date and the byte range of the prefix (with the whitespace after it), which
/// is not article content.
pub fn leading_date(text: &str) -> Option<(Date, Range<usize>)> {
    let rest = text.trim_start_matches('\u{feff}').trim_start();
    let after_word = rest
        .strip_prefix("date ")
        .or_else(|| rest.strip_prefix("Date "))?;
    let len = match after_word.as_bytes().get(7) {
        Some(b'-') => 10,
        _ => 7,
    };
    let date = Date::parse(after_word.get(..len)?)?;
    let tail = &after_word[len..];
    if !(tail.is_empty() || tail.starts_with(char::is_whitespace)) {
        return None;
    }
    let end = text.len() - tail.trim_start().len();
    Some((date, 0..end))
}

/// The outlet named by an outlet's own app sign-off line: "Get the Ynetnews app on your
/// smartphone:" → "Ynetnews".
pub fn sign_off_outlet(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix("Get the ")?;
    let (name, tail) = rest.split_once(" app")?;
    let tail = tail.trim_start_matches(['s', ' ']);
    let looks_like_promo = tail.starts_with("on your")
        || tail.starts_with("for your")
        || tail.is_empty()
        || tail == ":";
    let name = name.trim();
    (looks_like_promo && !name.is_empty() && name.split_whitespace().count() <= 4).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_date_line_of_seed_002() {
        let text = " date 2024-11-15 Elon Musk, who was named";
        let (date, range) = leading_date(text).unwrap();
        assert_eq!(date.to_string(), "2024-11-15");
        assert_eq!(&text[range.end..range.end + 4], "Elon");
        assert_eq!(range, 0..17);
    }

    #[test]
    fn a_date_elsewhere_or_malformed_is_not_a_date_line() {
        assert_eq!(leading_date("Elon Musk date 2024-11-15"), None);
        assert_eq!(leading_date(" date 2024-13-15 x"), None);
        assert_eq!(leading_date("date 2024-11-15x"), None);
        assert_eq!(leading_date("dated 2024-11-15"), None);
    }

    #[test]
    fn sign_off_names_the_outlet() {
        assert_eq!(
            sign_off_outlet("Get the Ynetnews app on your smartphone:"),
            Some("Ynetnews")
        );
        assert_eq!(sign_off_outlet("Get the news you need, every day"), None);
        assert_eq!(
            sign_off_outlet(
                "Get the full story of how the app on your phone was built by many people"
            ),
            None
        );
    }

    #[test]
    fn metadata_entries_are_read_leniently_and_unknown_keys_kept() {
        let m = parse_folder_metadata(
            b"[[article]]\nfile = \"a.txt\"\noutlet = \"Ynetnews\"\ndate = \"2024-11-15\"\n\n\
              [[article]]\nfile = \"b.txt\"\noutlt = \"typo\"\nauthor = \"Staff\"\ndate = 2024-11-16\n\n\
              [[article]]\nfile = \"c.txt\"\ndate = \"15 Nov 2024\"\nlang = \"Farsi\"\n\n\
              [[article]]\nfile = \"d.txt\"\ndate = \"Nov 15\"\nlang = \"Klingon\"\noutlet = \"AP\"\n\n\
              [[article]]\nfile = \"../../etc/passwd\"\n\n[[article]]\nfile = \"./e.txt\"\n"
                .to_vec(),
            "m.toml",
        );
        let a = m.entries["a.txt"].clone().into_metadata();
        assert_eq!(a.outlet.unwrap().value, "Ynetnews");
        assert_eq!(
            a.date.unwrap(),
            Known {
                value: Date::parse("2024-11-15").unwrap(),
                source: Source::Metadata
            }
        );
        let b = m.entries["b.txt"].clone().into_metadata();
        assert_eq!(b.author, ["Staff"]);
        assert_eq!(b.date.unwrap().value.to_string(), "2024-11-16");
        assert_eq!(b.extra["outlt"], "typo");
        let c = m.entries["c.txt"].clone();
        assert_eq!(
            (c.date.unwrap().to_string(), c.lang.as_deref()),
            ("2024-11-15".into(), Some("fa"))
        );
        let d = m.entries["d.txt"].clone();
        assert_eq!(
            (d.date, d.lang.as_deref(), d.outlet.as_deref()),
            (None, None, Some("AP"))
        );
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
        assert!(
            d.warnings[0].starts_with("m.toml: [[article]] #4: date \"Nov 15\" is not a date"),
            "{:?}",
            d.warnings
        );
        assert!(
            d.warnings[1].contains("lang \"Klingon\" is not a language"),
            "{:?}",
            d.warnings
        );
        let problems: Vec<&str> = m.problems.iter().map(|(_, why)| why.as_str()).collect();
        assert_eq!(
            problems,
            [
                "`file` \"../../etc/passwd\" is not a plain file name in this folder, ignored",
                "`file` \"./e.txt\" is not a plain file name in this folder, ignored"
            ]
        );
    }

    #[test]
    fn unparsable_metadata_file_is_one_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(METADATA_FILE);
        std::fs::write(&path, "[[article]\nfile = ").unwrap();
        let m = read_folder_metadata(&path);
        assert!(m.entries.is_empty());
        assert_eq!(m.problems.len(), 1);
        assert!(
            m.problems[0].1.starts_with("malformed metadata file"),
            "{:?}",
            m.problems
        );
    }
}
