//! Article metadata and where each fact came from: the metadata file, the text, or unknown.
//!
//! Rules, in order, per field (the first that knows wins; nothing is guessed):
//! 1. the folder's `metadata.toml` entry for the file, or a JSON Lines record's own fields;
//! 2. the text itself: a leading `date YYYY-MM-DD` (the scraper's date line) gives the date;
//!    an outlet's own sign-off, "Get the NAME app on your smartphone:", gives the outlet;
//! 3. otherwise the field is unknown.

use std::collections::HashMap;
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
}

/// One entry of `metadata.toml`, or the metadata fields of a JSON Lines record.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The article file's name, relative to the metadata file's folder.
    #[serde(default)]
    pub file: Option<String>,
    /// Outlet name.
    pub outlet: Option<String>,
    /// Outlet site.
    pub site: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<Date>,
    /// Headline.
    pub title: Option<String>,
    /// Free note.
    pub note: Option<String>,
    /// Language: a code ("de", "deu") or an English name ("German").
    #[serde(default, deserialize_with = "lang_code")]
    pub lang: Option<String>,
}

/// A language field, as its code; a name byline does not know is an error.
fn lang_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let given: Option<String> = Option::deserialize(d)?;
    match given.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(None),
        Some(l) => crate::lang::code(l).map(|c| Some(c.to_string())).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown language {l:?} (a code such as \"de\" or \"deu\", or a name such as \"German\")"
            ))
        }),
    }
}

impl Entry {
    /// The entry as metadata whose every field is sourced from the metadata.
    pub fn into_metadata(self) -> Metadata {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Metadata {
            outlet: Known::from_metadata(clean(self.outlet)),
            site: clean(self.site),
            url: Known::from_metadata(clean(self.url)),
            date: Known::from_metadata(self.date),
            title: Known::from_metadata(clean(self.title)),
            note: clean(self.note),
            lang: Known::from_metadata(self.lang),
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetadataFile {
    #[serde(default)]
    article: Vec<toml::Value>,
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
    let file: MetadataFile = match toml::from_str(&text) {
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
    for (n, value) in file.article.into_iter().enumerate() {
        let at = format!("{shown}: [[article]] #{}", n + 1);
        match value.try_into::<Entry>() {
            Ok(entry) => match entry.file.clone() {
                Some(name) if !name.trim().is_empty() => {
                    if out.entries.insert(name.clone(), entry).is_some() {
                        out.problems.push((
                            at,
                            format!("second entry for {name:?}; the later one is used"),
                        ));
                    }
                }
                _ => out
                    .problems
                    .push((at, "entry has no `file`, ignored".into())),
            },
            Err(e) => out
                .problems
                .push((at, format!("malformed entry, ignored: {}", e.message()))),
        }
    }
    out
}

/// The path of the metadata file for a folder.
pub fn metadata_path(folder: &Path) -> PathBuf {
    folder.join(METADATA_FILE)
}

/// A leading scraper date line: optional whitespace, `date`, a space, `YYYY-MM-DD`, then
/// whitespace or the end. Returns the date and the byte range of the prefix (with the
/// whitespace after it), which is not article content.
pub fn leading_date(text: &str) -> Option<(Date, Range<usize>)> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let after_word = rest
        .strip_prefix("date ")
        .or_else(|| rest.strip_prefix("Date "))?;
    let date = Date::parse(after_word.get(..10)?)?;
    let tail = &after_word[10..];
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
    fn metadata_file_problems_are_reported_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(METADATA_FILE);
        std::fs::write(
            &path,
            "[[article]]\nfile = \"a.txt\"\noutlet = \"Ynetnews\"\ndate = \"2024-11-15\"\n\n\
             [[article]]\nfile = \"b.txt\"\noutlt = \"typo\"\n\n\
             [[article]]\nfile = \"c.txt\"\ndate = \"15 Nov 2024\"\n",
        )
        .unwrap();
        let m = read_folder_metadata(&path);
        assert_eq!(m.entries.len(), 1);
        let a = m.entries["a.txt"].clone().into_metadata();
        assert_eq!(a.outlet.unwrap().value, "Ynetnews");
        assert_eq!(
            a.date.unwrap(),
            Known {
                value: Date::parse("2024-11-15").unwrap(),
                source: Source::Metadata
            }
        );
        assert_eq!(m.problems.len(), 2);
        assert!(
            m.problems[0].0.ends_with("#2") && m.problems[0].1.contains("outlt"),
            "{:?}",
            m.problems
        );
        assert!(m.problems[1].1.contains("15 Nov 2024"), "{:?}", m.problems);
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
