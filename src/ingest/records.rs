//! Record files: many articles in one file, as scrapers write them.
//!
//! Shapes: JSON Lines (`.jsonl`, `.ndjson`, `.jl`: one JSON object a line; LF, CRLF or CR
//! line ends), JSON (`.json`: an array of objects, read one element at a time, or a single
//! object), and any of them gzip-compressed (`.jsonl.gz`, `.ndjson.gz`, `.jl.gz`,
//! `.json.gz`), decompressed as a stream. A UTF-8 byte order mark is ignored.
//!
//! A record needs an id (`id`, `_id` or `guid`: a string kept exactly as written, or a
//! number kept as its JSON text; else the `url`) and a text (`text`, `content`, `body`,
//! `article_text` or `maintext`). Its metadata is read as a `metadata.toml` entry is
//! ([`Entry::from_fields`]): other names for each field, lenient values, unknown keys kept.
//! A record longer than the line limit is skipped whole, never held in memory.

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::Path;

use serde_json::value::RawValue;

use super::metadata::Entry;
use super::{RawArticle, Skip};

/// Keys a record's id is read from, first found wins; the address when none is there.
const ID_KEYS: &[&str] = &["id", "_id", "guid"];
/// Keys a record's text is read from, first found wins.
const TEXT_KEYS: &[&str] = &["text", "content", "body", "article_text", "maintext"];

/// How a record file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One record a line.
    Lines,
    /// A JSON array of records, or one record.
    Json,
}

/// The shape of a record file by its name (`a.jsonl`, `b.json.gz`), and whether it is
/// gzip-compressed; None for other files.
pub fn shape_of(name: &str) -> Option<(Shape, bool)> {
    let lower = name.to_ascii_lowercase();
    let (base, gz) = match lower.strip_suffix(".gz") {
        Some(b) => (b, true),
        None => (lower.as_str(), false),
    };
    let ext = base.rsplit_once('.')?.1;
    match ext {
        "jsonl" | "ndjson" | "jl" => Some((Shape::Lines, gz)),
        "json" => Some((Shape::Json, gz)),
        _ => None,
    }
}

/// Reads every record of a record file, giving each article or the reason it was skipped.
/// `max_record` bounds one record's bytes (a longer one is skipped, never held).
pub fn read(path: &Path, max_record: u64, f: &mut dyn FnMut(Result<RawArticle, Skip>)) {
    let shown = path.display().to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some((shape, gz)) = shape_of(&name) else {
        return f(Err(Skip::new(&shown, "not a record file")));
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return f(Err(Skip::new(&shown, format!("cannot read: {e}")))),
    };
    let reader: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let reader = std::io::BufReader::with_capacity(256 * 1024, reader);
    match shape {
        Shape::Lines => read_lines(reader, &shown, max_record, f),
        Shape::Json => read_json(reader, &shown, max_record, f),
    }
}

/// Reads every record from JSON Lines in `reader`; `shown` names the input in each record's
/// origin (`shown:line`). Records over [`DEFAULT_MAX_RECORD`] bytes are skipped.
pub fn read_from(reader: impl BufRead, shown: &str, f: &mut dyn FnMut(Result<RawArticle, Skip>)) {
    read_lines(reader, shown, DEFAULT_MAX_RECORD, f);
}

/// The default bound on one record's bytes (and on one article file's).
pub const DEFAULT_MAX_RECORD: u64 = 32 * 1024 * 1024;

fn read_lines(
    mut reader: impl BufRead,
    shown: &str,
    max_record: u64,
    f: &mut dyn FnMut(Result<RawArticle, Skip>),
) {
    let mut chunk = Vec::new();
    let mut number = 0usize;
    loop {
        chunk.clear();
        // Up to a newline, but never more than the limit: a longer line is skipped by
        // reading on to its end in bounded pieces.
        let read = (&mut reader)
            .take(max_record.saturating_add(1))
            .read_until(b'\n', &mut chunk);
        match read {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => {
                return f(Err(Skip::new(
                    format!("{shown}:{}", number + 1),
                    format!("cannot read: {e}"),
                )))
            }
        }
        if chunk.len() as u64 > max_record && chunk.last() != Some(&b'\n') {
            number += 1;
            f(Err(Skip::new(
                format!("{shown}:{number}"),
                format!("record longer than {max_record} bytes, skipped"),
            )));
            if let Err(e) = skip_line(&mut reader) {
                return f(Err(Skip::new(shown, format!("cannot read: {e}"))));
            }
            continue;
        }
        let body = chunk.strip_suffix(b"\n").unwrap_or(&chunk);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        // JSON text holds no raw CR, so a CR inside the line ends a record too (CR-only files).
        for part in body.split(|&b| b == b'\r') {
            number += 1;
            let part = if number == 1 {
                part.strip_prefix("\u{feff}".as_bytes()).unwrap_or(part)
            } else {
                part
            };
            if part.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            f(parse_line(part, format!("{shown}:{number}")));
        }
    }
}

fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// A `.json` file: an array of records read element by element, or one record object.
fn read_json(
    mut reader: impl BufRead,
    shown: &str,
    max_record: u64,
    f: &mut dyn FnMut(Result<RawArticle, Skip>),
) {
    // Past a byte order mark and whitespace to the first byte that says which shape.
    let first = loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) => return f(Err(Skip::new(shown, format!("cannot read: {e}")))),
        };
        if buf.is_empty() {
            return f(Err(Skip::new(shown, "empty file")));
        }
        if buf.starts_with("\u{feff}".as_bytes()) {
            reader.consume(3);
            continue;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => {
                let b = buf[at];
                reader.consume(at);
                break b;
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    match first {
        b'[' => {
            let mut de = serde_json::Deserializer::from_reader(reader);
            let mut seq = Elements {
                f,
                shown,
                max_record,
                count: 0,
            };
            if let Err(e) = serde::Deserializer::deserialize_seq(&mut de, &mut seq) {
                let at = seq.count + 1;
                f(Err(Skip::new(
                    format!("{shown}[{at}]"),
                    format!("malformed JSON, the rest of the file is not read: {e}"),
                )));
            }
        }
        b'{' => {
            let mut bytes = Vec::new();
            match reader
                .take(max_record.saturating_add(1))
                .read_to_end(&mut bytes)
            {
                Err(e) => f(Err(Skip::new(shown, format!("cannot read: {e}")))),
                Ok(n) if n as u64 > max_record => f(Err(Skip::new(
                    shown,
                    format!("record longer than {max_record} bytes, skipped"),
                ))),
                Ok(_) => f(parse_line(&bytes, shown.to_string())),
            }
        }
        other => f(Err(Skip::new(
            shown,
            format!(
                "not a JSON array or object of records (starts with {:?})",
                char::from(other)
            ),
        ))),
    }
}

/// Hands on each element of a JSON array as it is read.
struct Elements<'a, 'f> {
    f: &'a mut (dyn FnMut(Result<RawArticle, Skip>) + 'f),
    shown: &'a str,
    max_record: u64,
    count: usize,
}

impl<'de> serde::de::Visitor<'de> for &mut Elements<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            self.count += 1;
            let origin = format!("{}[{}]", self.shown, self.count);
            let bytes = raw.get().as_bytes();
            if bytes.len() as u64 > self.max_record {
                (self.f)(Err(Skip::new(
                    origin,
                    format!("record longer than {} bytes, skipped", self.max_record),
                )));
                continue;
            }
            (self.f)(parse_line(bytes, origin));
        }
        Ok(())
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
    let mut raw: HashMap<String, Box<RawValue>> = serde_json::from_str(text)
        .map_err(|e| Skip::new(&origin, format!("malformed JSON record: {e}")))?;
    let id = match ID_KEYS.iter().find_map(|k| raw.remove(*k)) {
        Some(v) => id_of(&v).map_err(|()| {
            Skip::new(
                &origin,
                format!("record's id {} is not a string or a number", v.get()),
            )
        })?,
        None => None,
    };
    let body = TEXT_KEYS.iter().find_map(|k| raw.remove(*k));
    let mut fields = serde_json::Map::new();
    for (key, value) in raw {
        let value: serde_json::Value = serde_json::from_str(value.get())
            .map_err(|e| Skip::new(&origin, format!("malformed JSON record: {e}")))?;
        fields.insert(key, value);
    }
    let entry = Entry::from_fields(fields);
    let id = match id.or_else(|| entry.url.clone()) {
        Some(id) if !id.is_empty() => id,
        _ => {
            return Err(Skip::new(
                &origin,
                "record has no \"id\" (a string or a number) and no \"url\"",
            ))
        }
    };
    let body = match body.map(|b| serde_json::from_str::<serde_json::Value>(b.get())) {
        Some(Ok(serde_json::Value::String(t))) if !t.trim().is_empty() => t,
        Some(Ok(serde_json::Value::String(_))) | None | Some(Ok(serde_json::Value::Null)) => {
            return Err(Skip::new(&origin, "record has no \"text\""))
        }
        _ => return Err(Skip::new(&origin, "record's \"text\" is not a string")),
    };
    let warnings = entry.warnings.clone();
    Ok(RawArticle {
        id,
        origin,
        source: std::path::PathBuf::new(),
        text: body,
        meta: entry.into_metadata(),
        warnings,
    })
}

/// An id as written: a string exactly (never trimmed), a number as its JSON text (so
/// `18446744073709551616` and `18446744073709551617` stay apart). None for null.
fn id_of(raw: &RawValue) -> Result<Option<String>, ()> {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(text)
            .map(Some)
            .map_err(|_| ()),
        Some(b'-' | b'0'..=b'9') => Ok(Some(text.to_string())),
        _ if text == "null" => Ok(None),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(content: &[u8]) -> Vec<Result<RawArticle, Skip>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        std::fs::write(&path, content).unwrap();
        let mut out = Vec::new();
        read(&path, DEFAULT_MAX_RECORD, &mut |r| out.push(r));
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
        assert_eq!(first.meta.extra["extra"], 1);
        assert_eq!(got[1].as_ref().unwrap().id, "7");
        // An unreadable date leaves the date unknown, with a warning; the record is read.
        let x4 = got[4].as_ref().unwrap();
        assert_eq!((x4.id.as_str(), x4.meta.date.as_ref()), ("x4", None));
        assert!(
            x4.warnings[0].starts_with("date \"Nov 15\" is not a date"),
            "{:?}",
            x4.warnings
        );
        let errs: Vec<_> = [&got[2], &got[3], &got[5]]
            .iter()
            .map(|r| r.as_ref().unwrap_err())
            .collect();
        assert!(
            errs[0].origin.ends_with("a.jsonl:4") && errs[0].reason.starts_with("malformed JSON"),
            "{:?}",
            errs[0]
        );
        assert!(errs[1].reason.contains("no \"text\""));
        assert!(errs[2].origin.ends_with(":7") && errs[2].reason.starts_with("not UTF-8"));
    }

    fn ids(got: &[Result<RawArticle, Skip>]) -> Vec<String> {
        got.iter()
            .map(|r| match r {
                Ok(a) => a.id.clone(),
                Err(s) => format!(
                    "skip {}: {}",
                    s.origin.rsplit('/').next().unwrap_or(""),
                    s.reason
                ),
            })
            .collect()
    }

    #[test]
    fn ids_keep_their_json_text_and_are_never_trimmed() {
        let got = read_str(
            b"{\"id\":18446744073709551616,\"text\":\"a\"}\n\
              {\"id\":18446744073709551617,\"text\":\"b\"}\n\
              {\"id\":\" padded \",\"text\":\"c\"}\n\
              {\"id\":1.50,\"text\":\"d\"}\n\
              {\"url\":\"https://x.org/a\",\"content\":\"e\"}\n\
              {\"id\":[1],\"text\":\"f\"}\n",
        );
        assert_eq!(
            ids(&got),
            [
                "18446744073709551616",
                "18446744073709551617",
                " padded ",
                "1.50",
                "https://x.org/a",
                "skip a.jsonl:6: record's id [1] is not a string or a number"
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_and_cr_or_crlf_line_ends_are_read_as_lines() {
        let bom =
            read_str(b"\xef\xbb\xbf{\"id\":\"1\",\"text\":\"a\"}\n{\"id\":\"2\",\"text\":\"b\"}\n");
        assert_eq!(ids(&bom), ["1", "2"]);
        let cr = read_str(b"{\"id\":\"1\",\"text\":\"a\"}\r{\"id\":\"2\",\"text\":\"b\"}\r{bad\r");
        assert_eq!(ids(&cr)[..2], ["1", "2"]);
        assert!(
            ids(&cr)[2].starts_with("skip a.jsonl:3: malformed JSON"),
            "{:?}",
            ids(&cr)
        );
        let crlf =
            read_str(b"{\"id\":\"1\",\"text\":\"a\"}\r\n{\"id\":\"2\",\"text\":\"b\"}\r\n{bad\r\n");
        assert!(
            ids(&crlf)[2].starts_with("skip a.jsonl:3: malformed JSON"),
            "{:?}",
            ids(&crlf)
        );
    }

    #[test]
    fn a_record_over_the_limit_is_skipped_and_the_next_read() {
        let mut content = b"{\"id\":\"big\",\"text\":\"".to_vec();
        content.extend(std::iter::repeat_n(b'a', 5000));
        content.extend(b"\"}\n{\"id\":\"small\",\"text\":\"b\"}\n");
        let mut out = Vec::new();
        read_lines(&content[..], "x.jsonl", 1000, &mut |r| out.push(r));
        assert_eq!(
            ids(&out),
            [
                "skip x.jsonl:1: record longer than 1000 bytes, skipped",
                "small"
            ]
        );
    }

    #[test]
    fn json_arrays_single_objects_and_gzip_are_read() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let array = dir.path().join("a.json");
        std::fs::write(&array, b"\xef\xbb\xbf [{\"id\":\"1\",\"text\":\"a\"}, {\"id\":\"2\"}, {\"id\":\"3\",\"body\":\"c\"}]").unwrap();
        let one = dir.path().join("b.json");
        std::fs::write(&one, b"{\"id\":\"4\",\"text\":\"d\"}").unwrap();
        let gz = dir.path().join("c.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"{\"id\":\"5\",\"text\":\"e\"}\n{\"id\":\"6\",\"text\":\"f\"}\n")
            .unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let broken = dir.path().join("d.json");
        std::fs::write(&broken, b"[{\"id\":\"7\",\"text\":\"g\"}, {oops").unwrap();
        let mut out = Vec::new();
        for p in [&array, &one, &gz, &broken] {
            read(p, DEFAULT_MAX_RECORD, &mut |r| out.push(r));
        }
        let got = ids(&out);
        assert_eq!(
            got[..2],
            [
                "1".to_string(),
                "skip a.json[2]: record has no \"text\"".to_string()
            ]
        );
        assert_eq!(got[2..6], ["3", "4", "5", "6"]);
        assert_eq!(got[6], "7");
        assert!(
            got[7].starts_with("skip d.json[2]: malformed JSON"),
            "{got:?}"
        );
        assert_eq!(shape_of("X.JL.GZ"), Some((Shape::Lines, true)));
        assert_eq!(shape_of("a.ndjson"), Some((Shape::Lines, false)));
        assert_eq!(shape_of("a.json.gz"), Some((Shape::Json, true)));
        assert_eq!(shape_of("a.txt.gz"), None);
    }
}
