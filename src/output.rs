//! Rendering results: human text, and JSON Lines records for scripts.
//!
//! The JSON Lines records are the types of [`crate::search::hit`], which holds their one
//! description; this module adds `type` (and, in batch mode, `line` and `query`) and writes
//! them.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use crate::ingest::metadata::Source;
use std::collections::BTreeMap;

use crate::facets::FacetValue;
use crate::search::similar::Similar;
use crate::search::timeline::Timeline;
use crate::search::{ArticleInfo, ArticleView, EntitySummary, Hit, SearchResults, Summary};
use crate::terminal;

/// Which query of a batch a record answers.
#[derive(Debug, Clone, Copy)]
pub struct BatchTag<'a> {
    /// 1-based line number in the batch input.
    pub line: usize,
    /// The query text.
    pub query: &'a str,
}

#[derive(Serialize)]
struct HitRecord<'a> {
    r#type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    #[serde(flatten)]
    hit: &'a Hit,
}

#[derive(Serialize)]
struct SummaryRecord<'a> {
    r#type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(flatten)]
    summary: &'a Summary,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    r#type: &'static str,
    line: usize,
    query: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct ArticleRecord<'a> {
    r#type: &'static str,
    #[serde(flatten)]
    article: &'a ArticleView,
}

fn json_line<W: Write, T: Serialize>(w: &mut W, value: &T) -> io::Result<()> {
    // Keep the io error's kind (a closed pipe must stay recognisable as one).
    serde_json::to_writer(&mut *w, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    })?;
    w.write_all(b"\n")
}

/// Writes a search's hits and summary as JSON Lines.
pub fn write_json<W: Write>(
    w: &mut W,
    results: &SearchResults,
    batch: Option<BatchTag<'_>>,
) -> io::Result<()> {
    for hit in &results.hits {
        json_line(
            w,
            &HitRecord {
                r#type: "hit",
                line: batch.map(|b| b.line),
                query: batch.map(|b| b.query),
                hit,
            },
        )?;
    }
    json_line(
        w,
        &SummaryRecord {
            r#type: "summary",
            line: batch.map(|b| b.line),
            summary: &results.summary,
        },
    )
}

/// Writes a batch query's failure as a JSON Lines `error` record.
pub fn write_json_error<W: Write>(w: &mut W, tag: BatchTag<'_>, message: &str) -> io::Result<()> {
    json_line(
        w,
        &ErrorRecord {
            r#type: "error",
            line: tag.line,
            query: tag.query,
            message,
        },
    )
}

/// Writes an article as one JSON `article` record.
pub fn write_article_json<W: Write>(w: &mut W, article: &ArticleView) -> io::Result<()> {
    json_line(
        w,
        &ArticleRecord {
            r#type: "article",
            article,
        },
    )
}

/// Terminal styling for matched words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// No escape codes.
    Plain,
    /// Bold red matches, dim metadata.
    Color,
}

impl Style {
    fn wrap<W: Write>(self, w: &mut W, code: &str, text: &str) -> io::Result<()> {
        let text = terminal::block(text);
        match self {
            Style::Plain => w.write_all(text.as_bytes()),
            Style::Color => write!(w, "\x1b[{code}m{text}\x1b[0m"),
        }
    }
}

/// The article's outlet, date, authors, language and address, on one line (neutralised:
/// every part but the date comes from input).
fn describe(a: &ArticleInfo) -> String {
    terminal::line(&describe_raw(a)).into_owned()
}

fn describe_raw(a: &ArticleInfo) -> String {
    let sourced = |v: Option<String>, s: Source, what: &str| match v {
        Some(v) if s == Source::Text => format!("{v} (from text)"),
        Some(v) => v,
        None => format!("{what} unknown"),
    };
    let mut parts = vec![
        sourced(a.outlet.clone(), a.outlet_source, "outlet"),
        sourced(a.date.map(|d| d.to_string()), a.date_source, "date"),
    ];
    if !a.author.is_empty() {
        parts.push(format!("by {}", a.author.join(", ")));
    }
    // The language is said where it is not English (most archives are mostly English, and
    // every hit saying so would be noise); JSON always has it.
    if a.lang != "en" {
        parts.push(crate::lang::name(&a.lang).to_string());
    }
    if let Some(url) = &a.url {
        parts.push(url.clone());
    }
    parts.join(" · ")
}

/// Writes a search's hits for people. The summary goes to stderr, not here.
pub fn write_text<W: Write>(w: &mut W, results: &SearchResults, style: Style) -> io::Result<()> {
    for hit in &results.hits {
        let a = &hit.article;
        write!(w, "{}. ", hit.rank)?;
        style.wrap(w, "1", &terminal::line(&a.id))?;
        writeln!(w, "  {}  score {:.2}", describe(a), hit.score)?;
        if let Some(title) = &a.title {
            writeln!(w, "   {}", terminal::line(title))?;
        }
        for p in &hit.passages {
            write!(
                w,
                "   [passage {}, bytes {}..{}] ",
                p.passage, p.start, p.end
            )?;
            let mut at = 0;
            for s in &p.highlights {
                // Each piece neutralised alone: the offsets are of the stored text.
                w.write_all(terminal::block(&p.text[at..s.start]).as_bytes())?;
                style.wrap(w, "1;31", &p.text[s.start..s.end])?;
                at = s.end;
            }
            writeln!(w, "{}", terminal::block(&p.text[at..]))?;
            if !p.matched_as.is_empty() {
                let how: Vec<String> = p.matched_as.iter().map(describe_match).collect();
                writeln!(w, "   matched: {}", how.join("; "))?;
            }
        }
        if hit.copies > 0 {
            writeln!(w, "   {}", also_in_line(hit.copies, &hit.also_in))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// "also in 3: AP 2024-02-16, Reuters 2024-02-16, d017 (date unknown)", with "and N more"
/// past the listed ones.
fn also_in_line(total: usize, listed: &[crate::search::AlsoIn]) -> String {
    let each: Vec<String> = listed
        .iter()
        .map(|c| {
            let who = c.outlet.clone().or_else(|| c.site.clone());
            let who = who.unwrap_or_else(|| c.id.clone());
            let when = c
                .date
                .map_or_else(|| "date unknown".to_string(), |d| d.to_string());
            format!("{} ({when})", terminal::line(&who))
        })
        .collect();
    let more = total.saturating_sub(listed.len());
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("also in {total}: {}{tail}", each.join(", "))
}

fn describe_match(m: &crate::highlight::Matched) -> String {
    let (word, form) = (terminal::line(&m.word), terminal::line(&m.form));
    if word == form {
        format!("{word} ({})", m.how)
    } else {
        format!("{word} → {form} ({})", m.how)
    }
}

/// The one-line summary of a search, for stderr.
pub fn summary_line(s: &Summary) -> String {
    let page = if s.returned == 0 {
        String::new()
    } else {
        format!("; showing {}-{}", s.offset + 1, s.offset + s.returned)
    };
    // Past the exact-count limit the totals are lower bounds.
    let more = if s.total_exact { "" } else { "+" };
    let stories = if s.stories < s.articles {
        let shown = if s.collapse { ", one hit each" } else { "" };
        format!(" ({}{more} stories{shown})", s.stories)
    } else {
        String::new()
    };
    format!(
        "{}{more} articles{stories}, {}{more} passages matched{page} ({:.1} ms)",
        s.articles, s.passages, s.elapsed_ms
    )
}

/// Writes an article for people: metadata lines, then the original text.
pub fn write_article_text<W: Write>(w: &mut W, v: &ArticleView) -> io::Result<()> {
    let a = &v.article;
    let line = terminal::line;
    writeln!(w, "id:      {}", line(&a.id))?;
    writeln!(w, "outlet:  {}", describe(a))?;
    if let Some(site) = &a.site {
        writeln!(w, "site:    {}", line(site))?;
    }
    if let Some(title) = &a.title {
        writeln!(w, "title:   {}", line(title))?;
    }
    if let Some(note) = &v.note {
        writeln!(w, "note:    {}", line(note))?;
    }
    for (key, value) in &v.extra {
        writeln!(w, "extra:   {} = {}", line(key), line(&value.to_string()))?;
    }
    writeln!(w, "origin:  {}", line(&a.origin))?;
    if v.copies > 0 {
        let original = if v.original == a.id {
            "this is the original".to_string()
        } else {
            format!("the original is {}", line(&v.original))
        };
        writeln!(
            w,
            "copies:  {}; {original}",
            also_in_line(v.copies, &v.also_in)
        )?;
    }
    writeln!(
        w,
        "passages: {}, furniture removed: {}",
        v.passages,
        v.furniture.len()
    )?;
    if let (Some(spans), Some(matched)) = (&v.highlights, &v.matched_as) {
        let forms: Vec<String> = matched
            .iter()
            .map(|m| format!("{} → {} ({})", m.word, m.form, m.how))
            .collect();
        writeln!(
            w,
            "matches: {}{}",
            spans.len(),
            if forms.is_empty() {
                String::new()
            } else {
                format!(": {}", line(&forms.join("; ")))
            }
        )?;
    }
    writeln!(w)?;
    writeln!(w, "{}", terminal::block(&v.text))
}

/// Writes an article's copies: the original, then one line per copy, earliest first.
pub fn write_copies_text<W: Write>(w: &mut W, g: &crate::search::CopyGroup) -> io::Result<()> {
    let line = terminal::line;
    if g.copies.is_empty() {
        return writeln!(w, "{}: no other article prints its text", line(&g.id));
    }
    writeln!(
        w,
        "{}: {} other articles print its text; the original is {}",
        line(&g.id),
        g.copies.len(),
        line(&g.original)
    )?;
    for c in &g.copies {
        writeln!(
            w,
            "  {}  {}  containment {:.2}, jaccard {:.2}",
            line(&c.article.id),
            describe(&c.article),
            c.containment,
            c.jaccard
        )?;
    }
    Ok(())
}

/// Writes an evaluation as a table: one row per query, then the means.
pub fn write_eval_text<W: Write>(w: &mut W, r: &crate::eval::EvalReport) -> io::Result<()> {
    writeln!(
        w,
        "{:<44} {:>7} {:>9} {:>6}",
        "query", "nDCG@10", "recall@10", "RR"
    )?;
    for q in &r.queries {
        writeln!(
            w,
            "{:<44} {:>7.3} {:>9.3} {:>6.3}",
            q.query, q.ndcg, q.recall, q.rr
        )?;
    }
    writeln!(
        w,
        "{:<44} {:>7.3} {:>9.3} {:>6.3}",
        format!("mean of {} queries", r.queries.len()),
        r.ndcg,
        r.recall,
        r.mrr
    )
}

#[derive(Serialize)]
struct FacetsRecord<'a> {
    r#type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    articles: u64,
    facets: &'a BTreeMap<String, Vec<FacetValue>>,
}

/// Writes facet counts as one JSON `facets` record.
pub fn write_facets_json<W: Write>(
    w: &mut W,
    query: Option<&str>,
    articles: u64,
    facets: &BTreeMap<String, Vec<FacetValue>>,
) -> io::Result<()> {
    json_line(
        w,
        &FacetsRecord {
            r#type: "facets",
            query,
            articles,
            facets,
        },
    )
}

/// Writes facet counts for people: one block per dimension, `count  value` lines.
pub fn write_facets_text<W: Write>(
    w: &mut W,
    facets: &BTreeMap<String, Vec<FacetValue>>,
) -> io::Result<()> {
    for (dim, values) in facets {
        writeln!(w, "{dim}:")?;
        for v in values {
            writeln!(w, "  {:>6}  {}", v.count, terminal::line(&v.value))?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct EntityRecord<'a> {
    r#type: &'static str,
    #[serde(flatten)]
    entity: &'a EntitySummary,
}

/// Writes the index's entities: a table for people, `entity` JSON Lines for scripts.
pub fn write_entities<W: Write>(
    w: &mut W,
    entities: &[EntitySummary],
    json: bool,
) -> io::Result<()> {
    for e in entities {
        if json {
            json_line(
                w,
                &EntityRecord {
                    r#type: "entity",
                    entity: e,
                },
            )?;
        } else {
            let forms: Vec<Cow<str>> = e
                .forms
                .iter()
                .filter(|f| **f != e.name)
                .map(|f| terminal::line(f))
                .collect();
            let also = if forms.is_empty() {
                String::new()
            } else {
                format!("  (printed: {})", forms.join(", "))
            };
            writeln!(
                w,
                "{:>5}  {:<6} {}{also}",
                e.articles,
                e.kind.name(),
                terminal::line(&e.name)
            )?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct ArticleListRecord<'a> {
    r#type: &'static str,
    #[serde(flatten)]
    article: &'a ArticleInfo,
    passages: u64,
    original: &'a str,
    copies: usize,
}

/// Writes the article list: one line each for people, `article` JSON Lines (no text) for scripts.
pub fn write_articles<W: Write>(w: &mut W, articles: &[ArticleView], json: bool) -> io::Result<()> {
    for v in articles {
        if json {
            json_line(
                w,
                &ArticleListRecord {
                    r#type: "article",
                    article: &v.article,
                    passages: v.passages,
                    original: &v.original,
                    copies: v.copies,
                },
            )?;
        } else {
            let title = v.article.title.as_deref().unwrap_or("");
            writeln!(
                w,
                "{}  {}  {}",
                terminal::line(&v.article.id),
                describe(&v.article),
                terminal::line(title)
            )?;
        }
    }
    Ok(())
}

/// Which entry of a watch-list a record answers.
#[derive(Serialize)]
struct EntryTag<'a> {
    line: usize,
    name: &'a str,
    fields: &'a BTreeMap<String, String>,
}

impl<'a> EntryTag<'a> {
    fn of(entry: &'a crate::screen::Entry) -> Self {
        EntryTag {
            line: entry.line,
            name: &entry.name,
            fields: &entry.fields,
        }
    }
}

#[derive(Serialize)]
struct ScreenMatch<'a> {
    r#type: &'static str,
    #[serde(flatten)]
    entry: EntryTag<'a>,
    #[serde(flatten)]
    hit: &'a Hit,
}

#[derive(Serialize)]
struct ScreenEntry<'a> {
    r#type: &'static str,
    #[serde(flatten)]
    entry: EntryTag<'a>,
    articles: usize,
}

/// Writes one article a screened entry found as a JSON Lines `match` record (the `hit`
/// fields with the entry's `line`, `name` and `fields`).
pub fn write_screen_match<W: Write>(
    w: &mut W,
    entry: &crate::screen::Entry,
    hit: &Hit,
) -> io::Result<()> {
    json_line(
        w,
        &ScreenMatch {
            r#type: "match",
            entry: EntryTag::of(entry),
            hit,
        },
    )
}

/// Writes the `entry` record that closes a screened entry's matches, with its count.
pub fn write_screen_entry<W: Write>(
    w: &mut W,
    entry: &crate::screen::Entry,
    articles: usize,
) -> io::Result<()> {
    json_line(
        w,
        &ScreenEntry {
            r#type: "entry",
            entry: EntryTag::of(entry),
            articles,
        },
    )
}

/// Writes a screened entry's head line for people: its name, line and count.
pub fn write_screen_head<W: Write>(
    w: &mut W,
    entry: &crate::screen::Entry,
    articles: usize,
) -> io::Result<()> {
    let noun = if articles == 1 { "article" } else { "articles" };
    writeln!(
        w,
        "{} (line {}): {articles} {noun}",
        terminal::line(&entry.name),
        entry.line
    )
}

/// Writes one article a screened entry found, for people, with what matched.
pub fn write_screen_hit<W: Write>(w: &mut W, hit: &Hit) -> io::Result<()> {
    let how: Vec<String> = hit
        .passages
        .iter()
        .flat_map(|p| p.matched_as.iter().map(describe_match))
        .collect();
    writeln!(
        w,
        "  {}  {}  score {:.2}  matched: {}",
        terminal::line(&hit.article.id),
        describe(&hit.article),
        hit.score,
        how.join("; ")
    )
}

/// The columns of `byline screen --format csv` after the entry's own.
pub const SCREEN_CSV_COLUMNS: &[&str] = &[
    "articles",
    "article",
    "outlet",
    "site",
    "date",
    "url",
    "title",
    "score",
    "matched_as",
    "passage_start",
    "passage_end",
    "passage",
];

/// Writes one CSV row of a screened entry (`line`, `name`, the list's own columns named in
/// `extra`, then [`SCREEN_CSV_COLUMNS`]): an article it found, or, with `hit` None, the one
/// row of an entry that found none.
pub fn write_screen_csv<W: Write>(
    w: &mut csv::Writer<W>,
    entry: &crate::screen::Entry,
    extra: &[String],
    articles: usize,
    hit: Option<&Hit>,
) -> csv::Result<()> {
    let mut row = vec![entry.line.to_string(), entry.name.clone()];
    row.extend(
        extra
            .iter()
            .map(|k| entry.fields.get(k).cloned().unwrap_or_default()),
    );
    row.push(articles.to_string());
    let Some(hit) = hit else {
        row.extend(std::iter::repeat_n(
            String::new(),
            SCREEN_CSV_COLUMNS.len() - 1,
        ));
        return w.write_record(&row);
    };
    let a = &hit.article;
    let best = hit.passages.first();
    let how: Vec<String> = hit
        .passages
        .iter()
        .flat_map(|p| {
            p.matched_as
                .iter()
                .map(|m| format!("{}→{} ({})", m.word, m.form, m.how))
        })
        .collect();
    row.extend([
        a.id.clone(),
        a.outlet.clone().unwrap_or_default(),
        a.site.clone().unwrap_or_default(),
        a.date.map(|d| d.to_string()).unwrap_or_default(),
        a.url.clone().unwrap_or_default(),
        a.title.clone().unwrap_or_default(),
        format!("{:.4}", hit.score),
        how.join("; "),
        best.map(|p| p.start.to_string()).unwrap_or_default(),
        best.map(|p| p.end.to_string()).unwrap_or_default(),
        best.map(|p| p.text.clone()).unwrap_or_default(),
    ]);
    w.write_record(&row)
}

#[derive(Serialize)]
struct WithRecord<'a> {
    r#type: &'static str,
    #[serde(flatten)]
    with: &'a crate::search::CoMention,
}

/// Writes what is mentioned alongside an entity: for people a header line (the names it
/// resolved to, how many passages) and a line per entity; for scripts one `with` record each
/// (`kind`, `name`, `passages`).
pub fn write_co_mentioned<W: Write>(
    w: &mut W,
    kind: crate::entities::Kind,
    name: &str,
    found: &crate::search::CoMentioned,
    json: bool,
) -> io::Result<()> {
    if json {
        for with in &found.with {
            json_line(
                w,
                &WithRecord {
                    r#type: "with",
                    with,
                },
            )?;
        }
        return Ok(());
    }
    if found.resolved.is_empty() {
        return writeln!(
            w,
            "no {} named {} in the index",
            kind.name(),
            terminal::line(name)
        );
    }
    writeln!(
        w,
        "{} ({}): {} passages; mentioned with:",
        terminal::line(&found.resolved.join(", ")),
        kind.name(),
        found.passages
    )?;
    for c in &found.with {
        let unit = if c.passages == 1 {
            "passage"
        } else {
            "passages"
        };
        writeln!(
            w,
            "  {:<7} {:<40} {} {unit}",
            c.kind.name(),
            terminal::line(&c.name),
            c.passages
        )?;
    }
    Ok(())
}

/// A timeline as a table: a row per bucket, the bucket's articles, then each query's count and
/// its share of them.
pub fn write_timeline_text<W: Write>(w: &mut W, t: &Timeline) -> io::Result<()> {
    let cell = |n: u64, of: u64| {
        if of == 0 {
            n.to_string()
        } else {
            format!("{n} ({:.1}%)", 100.0 * n as f64 / of as f64)
        }
    };
    let mut rows: Vec<Vec<String>> = vec![std::iter::once("bucket".to_string())
        .chain(std::iter::once("articles".to_string()))
        .chain(t.queries.iter().cloned())
        .collect()];
    for b in &t.buckets {
        let mut row = vec![b.bucket.clone(), b.articles.to_string()];
        row.extend(b.counts.iter().map(|&n| cell(n, b.articles)));
        rows.push(row);
    }
    let mut total = vec![
        "all".to_string(),
        t.buckets
            .iter()
            .map(|b| b.articles)
            .sum::<u64>()
            .to_string(),
    ];
    total.extend(t.totals.iter().map(u64::to_string));
    rows.push(total);
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths[i].saturating_sub(c.chars().count());
                if i == 0 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect();
        writeln!(w, "{}", terminal::line(&line.join("  ")))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct TimelineCount<'a> {
    query: &'a str,
    articles: u64,
    share: f64,
}

#[derive(Serialize)]
struct BucketRecord<'a> {
    r#type: &'static str,
    bucket: &'a str,
    articles: u64,
    counts: Vec<TimelineCount<'a>>,
}

#[derive(Serialize)]
struct TimelineRecord<'a> {
    r#type: &'static str,
    by: crate::search::timeline::By,
    queries: &'a [String],
    totals: &'a [u64],
    warnings: &'a [String],
}

/// A timeline as JSON Lines: a `bucket` record each (with each query's count and share),
/// then a `timeline` record (the bucket size, the queries, each one's total).
pub fn write_timeline_json<W: Write>(w: &mut W, t: &Timeline) -> io::Result<()> {
    for b in &t.buckets {
        let counts = t
            .queries
            .iter()
            .zip(&b.counts)
            .map(|(q, &n)| TimelineCount {
                query: q,
                articles: n,
                share: share(n, b.articles),
            })
            .collect();
        json_line(
            w,
            &BucketRecord {
                r#type: "bucket",
                bucket: &b.bucket,
                articles: b.articles,
                counts,
            },
        )?;
    }
    json_line(
        w,
        &TimelineRecord {
            r#type: "timeline",
            by: t.by,
            queries: &t.queries,
            totals: &t.totals,
            warnings: &t.warnings,
        },
    )
}

/// A timeline as CSV: `bucket,articles`, then each query's count and `share` columns.
pub fn write_timeline_csv<W: Write>(w: &mut W, t: &Timeline) -> io::Result<()> {
    let mut table = csv::Writer::from_writer(w);
    let mut header = vec!["bucket".to_string(), "articles".to_string()];
    for q in &t.queries {
        header.push(q.clone());
        header.push(format!("{q} share"));
    }
    table.write_record(&header)?;
    for b in &t.buckets {
        let mut row = vec![b.bucket.clone(), b.articles.to_string()];
        for &n in &b.counts {
            row.push(n.to_string());
            row.push(format!("{:.4}", share(n, b.articles)));
        }
        table.write_record(&row)?;
    }
    table.flush()
}

/// `n` of `of`, 0 when `of` is 0.
fn share(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        n as f64 / of as f64
    }
}

#[derive(Serialize)]
struct SourceRecord<'a> {
    r#type: &'static str,
    id: &'a str,
    copies: &'a [String],
}

/// Similar articles as JSON Lines: a `similar` record each (rank, score and the article's
/// fields), then a `source` record: the article asked about and its copies.
pub fn write_similar_json<W: Write>(w: &mut W, s: &Similar) -> io::Result<()> {
    for a in &s.similar {
        json_line(
            w,
            &Tagged {
                r#type: "similar",
                record: a,
            },
        )?;
    }
    json_line(
        w,
        &SourceRecord {
            r#type: "source",
            id: &s.id,
            copies: &s.copies,
        },
    )
}

/// Similar articles as text: a line each, then the article's copies.
pub fn write_similar_text<W: Write>(w: &mut W, s: &Similar) -> io::Result<()> {
    for a in &s.similar {
        let i = &a.article;
        writeln!(
            w,
            "{:>3}. {:>7.2}  {}  {} · {}  {}",
            a.rank,
            a.score,
            terminal::line(&i.id),
            terminal::line(
                i.outlet
                    .as_deref()
                    .or(i.site.as_deref())
                    .unwrap_or("outlet unknown")
            ),
            i.date.map_or("date unknown".to_string(), |d| d.to_string()),
            terminal::line(i.title.as_deref().unwrap_or("")),
        )?;
    }
    if s.similar.is_empty() {
        writeln!(w, "nothing like {}", terminal::line(&s.id))?;
    }
    if !s.copies.is_empty() {
        let ids: Vec<Cow<'_, str>> = s.copies.iter().map(|c| terminal::line(c)).collect();
        writeln!(
            w,
            "copies of {} (not ranked): {}",
            terminal::line(&s.id),
            ids.join(", ")
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    r#type: &'static str,
    #[serde(flatten)]
    record: &'a T,
}

#[derive(Serialize)]
struct AlertHit<'a> {
    r#type: &'static str,
    alert: &'a str,
    #[serde(flatten)]
    hit: &'a Hit,
}

#[derive(Serialize)]
struct AlertRecord<'a> {
    r#type: &'static str,
    name: &'a str,
    query: &'a str,
    first_run: bool,
    previous_run: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matching_now: Option<u64>,
    articles: usize,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct AlertError<'a> {
    r#type: &'static str,
    alert: &'a str,
    message: &'a str,
}

/// Writes one alert's run as JSON Lines: a `hit` record per new article (with the alert's
/// name as `alert`), then an `alert` record.
pub fn write_alert_json<W: Write>(w: &mut W, run: &crate::alerts::Run) -> io::Result<()> {
    for hit in &run.results.hits {
        json_line(
            w,
            &AlertHit {
                r#type: "hit",
                alert: &run.name,
                hit,
            },
        )?;
    }
    json_line(
        w,
        &AlertRecord {
            r#type: "alert",
            name: &run.name,
            query: &run.query,
            first_run: run.first_run,
            previous_run: run.previous_run.as_deref(),
            matching_now: run.matching_now,
            articles: run.results.hits.len(),
            warnings: &run.results.summary.warnings,
        },
    )
}

/// Writes an alert that could not run as a JSON Lines `error` record.
pub fn write_alert_error_json<W: Write>(w: &mut W, name: &str, message: &str) -> io::Result<()> {
    json_line(
        w,
        &AlertError {
            r#type: "error",
            alert: name,
            message,
        },
    )
}

/// Writes one alert's run for people (or a mail): a line saying what it is and what is
/// new, then the new articles as search lists them.
pub fn write_alert_text<W: Write>(
    w: &mut W,
    run: &crate::alerts::Run,
    style: Style,
) -> io::Result<()> {
    let (name, query) = (terminal::line(&run.name), terminal::line(&run.query));
    if run.first_run {
        let now = run.matching_now.unwrap_or(0);
        let articles = if now == 1 {
            "article matches"
        } else {
            "articles match"
        };
        return writeln!(
            w,
            "alert {name:?} ({query}): first run, mark set; {now} {articles} now; \
             later runs report the articles indexed after this one\n"
        );
    }
    let n = run.results.hits.len();
    let articles = if n == 1 {
        "new article"
    } else {
        "new articles"
    };
    let since = run
        .previous_run
        .as_deref()
        .map_or(String::new(), |at| format!(" since {at}"));
    writeln!(w, "alert {name:?} ({query}): {n} {articles}{since}\n")?;
    write_text(w, &run.results, style)
}

/// Writes the saved alerts: as a line each for people, or `alert_def` records.
pub fn write_alert_list<W: Write>(
    w: &mut W,
    alerts: &[crate::alerts::Alert],
    json: bool,
) -> io::Result<()> {
    for a in alerts {
        if json {
            json_line(
                w,
                &Tagged {
                    r#type: "alert_def",
                    record: a,
                },
            )?;
            continue;
        }
        let last = a
            .last_run
            .as_ref()
            .map_or("never run".to_string(), |m| format!("last run {}", m.at));
        let s = &a.search;
        let mut options: Vec<String> = Vec::new();
        let mut flag = |name: &str, values: &[String]| {
            for v in values {
                options.push(format!("--{name} {}", terminal::line(v)));
            }
        };
        flag("outlet", &s.outlets);
        flag("date", &s.dates);
        flag("since", s.since.as_slice());
        flag("until", s.until.as_slice());
        flag("entity", &s.entities);
        flag("lang", &s.langs);
        flag("sort", s.sort.as_slice());
        for (on, name) in [
            (s.undated, "--undated"),
            (s.all, "--all"),
            (s.exact, "--exact"),
            (s.no_scripts, "--no-scripts"),
            (s.no_collapse, "--no-collapse"),
        ] {
            if on {
                options.push(name.to_string());
            }
        }
        let options = if options.is_empty() {
            String::new()
        } else {
            format!("  {}", options.join(" "))
        };
        writeln!(
            w,
            "{}  {:?}{options}  added {}, {last}",
            terminal::line(&a.name),
            terminal::line(&s.query),
            a.added
        )?;
    }
    Ok(())
}
