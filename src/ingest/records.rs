//! JSON Lines input: one article per line.
//!
//! Schema of a record (a JSON object per line; `.jsonl` or `.ndjson`):
//! `{"id": "…", "text": "…", "url": "…", "outlet": "…", "site": "…", "date": "YYYY-MM-DD",
//! "title": "…", "note": "…"}`. `id` (string or integer) and `text` are required; the others
//! are optional metadata. Other fields are ignored, so a scraper's extra fields do no harm.

use std::io::BufRead;
use std::path::Path;

use serde::Deserialize;

use super::metadata::Entry;
use super::{RawArticle, Skip};
use crate::date::Date;

#[derive(Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    text: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
    site: Option<String>,
    date: Option<String>,
    title: Option<String>,
    note: Option<String>,
    lang: Option<String>,
}

/// Reads every record of a JSON Lines file, giving each article or the reason it was skipped.
pub fn read(path: &Path, f: &mut dyn FnMut(Result<RawArticle, Skip>)) {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return f(Err(Skip::new(path.display(), format!("cannot read: {e}")))),
    };
    read_from(
        std::io::BufReader::new(file),
        &path.display().to_string(),
        f,
    );
}

/// Reads every record from `reader`, as [`read`] does for a file; `shown` names the input in
/// each record's origin (`shown:line`).
pub fn read_from(
    mut reader: impl BufRead,
    shown: &str,
    f: &mut dyn FnMut(Result<RawArticle, Skip>),
) {
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        number += 1;
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => {
                return f(Err(Skip::new(
                    format!("{shown}:{number}"),
                    format!("cannot read: {e}"),
                )))
            }
        }
        let origin = format!("{shown}:{number}");
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        f(parse_line(&line, origin));
    }
}

fn parse_line(line: &[u8], origin: String) -> Result<RawArticle, Skip> {
    let text = std::str::from_utf8(line).map_err(|e| {
        Skip::new(
            &origin,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })?;
    let record: Record = serde_json::from_str(text)
        .map_err(|e| Skip::new(&origin, format!("malformed JSON record: {e}")))?;
    let id = match record.id {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => {
            return Err(Skip::new(
                &origin,
                "record has no \"id\" (a string or an integer)",
            ))
        }
    };
    let body = match record.text {
        Some(t) if !t.trim().is_empty() => t,
        _ => return Err(Skip::new(&origin, "record has no \"text\"")),
    };
    let date = match record
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(d) => Some(Date::parse(d).ok_or_else(|| {
            Skip::new(
                &origin,
                format!("record's date {d:?} is not of the form YYYY-MM-DD"),
            )
        })?),
    };
    let lang = match record
        .lang
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        None => None,
        Some(l) => Some(crate::lang::code(l).map(str::to_string).ok_or_else(|| {
            Skip::new(
                &origin,
                format!(
                    "record's lang {l:?} is not a language byline knows (a code such as \"de\")"
                ),
            )
        })?),
    };
    let entry = Entry {
        file: None,
        outlet: record.outlet,
        site: record.site,
        url: record.url,
        date,
        title: record.title,
        note: record.note,
        lang,
    };
    Ok(RawArticle {
        id,
        origin,
        text: body,
        meta: entry.into_metadata(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(content: &[u8]) -> Vec<Result<RawArticle, Skip>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        std::fs::write(&path, content).unwrap();
        let mut out = Vec::new();
        read(&path, &mut |r| out.push(r));
        out
    }

    #[test]
    fn good_and_bad_lines() {
        let got = read_str(
            b"{\"id\":\"x1\",\"text\":\"Iravani met Musk.\",\"date\":\"2024-11-15\",\"outlet\":\"AP\",\"extra\":1}\n\
              \n\
              {\"id\":7,\"text\":\"Second.\"}\n\
              {not json\n\
              {\"id\":\"x3\"}\n\
              {\"id\":\"x4\",\"text\":\"t\",\"date\":\"Nov 15\"}\n\
              \xff\xfe\n",
        );
        assert_eq!(got.len(), 6);
        let first = got[0].as_ref().unwrap();
        assert_eq!(first.id, "x1");
        assert_eq!(
            first.meta.date.as_ref().unwrap().value.to_string(),
            "2024-11-15"
        );
        assert_eq!(first.meta.outlet.as_ref().unwrap().value, "AP");
        assert_eq!(got[1].as_ref().unwrap().id, "7");
        let errs: Vec<_> = got[2..].iter().map(|r| r.as_ref().unwrap_err()).collect();
        assert!(
            errs[0].origin.ends_with("a.jsonl:4") && errs[0].reason.starts_with("malformed JSON"),
            "{:?}",
            errs[0]
        );
        assert!(errs[1].reason.contains("no \"text\""));
        assert!(errs[2].reason.contains("Nov 15"));
        assert!(errs[3].origin.ends_with(":7") && errs[3].reason.starts_with("not UTF-8"));
    }
}
