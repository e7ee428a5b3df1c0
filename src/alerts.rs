//! Saved searches and alerts: named queries with their filters, kept in the index folder
//! (`alerts.json`), and runs that report the articles indexed since an alert last ran.
//!
//! "Since" is exact. Each indexing commit numbers the articles it writes
//! ([`Store::batch`]); a run reads the number of the last commit, reports the matching
//! articles written after the commit its previous run saw, and keeps the new number. A commit
//! that lands during a run is left whole to the next run, and an article re-indexed because it
//! changed counts as new. The first run of an alert only sets its mark, and says so.
//!
//! The file is rewritten whole (written aside, synced, renamed into place) under a lock, so
//! two runs at once neither lose an alert nor report an article twice.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::entities::Kind;
use crate::error::{Error, Result};
use crate::query::DateBucket;
use crate::search::{Engine, SearchRequest, SearchResults, Sort};
use crate::store::Store;

/// The alerts' file in the index folder.
pub const FILE: &str = "alerts.json";
/// Held while the file is read and rewritten.
const LOCK: &str = "alerts.lock";
/// The longest alert name, in characters.
const MAX_NAME: usize = 100;

/// A saved search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Its name, unique in the index (compared without case).
    pub name: String,
    /// What it searches.
    pub search: SavedSearch,
    /// When it was added (UTC, RFC 3339).
    pub added: String,
    /// Its last run, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run: Option<Mark>,
}

/// Where an alert's last run stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    /// When it ran (UTC, RFC 3339).
    pub at: String,
    /// The last commit it saw ([`Store::batch`]).
    pub batch: u64,
}

/// A search as saved: the query and every option that changes what it matches, written as
/// the CLI takes them, so the file reads like the command that made it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedSearch {
    /// The query text.
    pub query: String,
    /// `--outlet` values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outlets: Vec<String>,
    /// `--date` buckets (`2024-11-15`, `2024-11`, `2024`, `unknown`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<String>,
    /// `--since` day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// `--until` day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// `--undated`.
    #[serde(skip_serializing_if = "is_false")]
    pub undated: bool,
    /// `--entity` values (`person:Ali Khamenei`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<String>,
    /// `--lang` codes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub langs: Vec<String>,
    /// `--all`: every word required.
    #[serde(skip_serializing_if = "is_false")]
    pub all: bool,
    /// `--exact`.
    #[serde(skip_serializing_if = "is_false")]
    pub exact: bool,
    /// `--no-scripts`.
    #[serde(skip_serializing_if = "is_false")]
    pub no_scripts: bool,
    /// `--no-collapse`: every copy of a story, not one hit each.
    #[serde(skip_serializing_if = "is_false")]
    pub no_collapse: bool,
    /// `--sort` (`relevance`, `date`, `-date`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !b
}

impl SavedSearch {
    /// The saved form of a request's query, filters and matching options.
    pub fn of(req: &SearchRequest) -> SavedSearch {
        let f = &req.filters;
        SavedSearch {
            query: req.query.clone(),
            outlets: f.outlets.clone(),
            dates: f
                .dates
                .iter()
                .map(|d| match d {
                    DateBucket::Within(d) => d.to_string(),
                    DateBucket::Unknown => crate::schema::DATE_UNKNOWN.to_string(),
                })
                .collect(),
            since: f.since.map(|d| d.to_string()),
            until: f.until.map(|d| d.to_string()),
            undated: f.undated,
            entities: f
                .entities
                .iter()
                .map(|(kind, name)| format!("{}:{name}", kind.name()))
                .collect(),
            langs: f.langs.clone(),
            all: req.all_words,
            exact: req.exact,
            no_scripts: req.no_scripts,
            no_collapse: !req.collapse,
            sort: match req.sort {
                Sort::Relevance => None,
                Sort::Date => Some("date".into()),
                Sort::NewestFirst => Some("-date".into()),
            },
        }
    }

    /// The request it saved (the file may have been edited by hand: every value is checked).
    pub fn request(&self) -> Result<SearchRequest> {
        let bad = |what: &str, value: &str| {
            Error::InvalidArgument(format!("{FILE}: {value:?} is not a valid {what}"))
        };
        let day = |s: &Option<String>, what: &str| -> Result<Option<Date>> {
            s.as_deref()
                .map(|v| Date::parse(v).ok_or_else(|| bad(what, v)))
                .transpose()
        };
        let mut req = SearchRequest::new(self.query.clone());
        let f = &mut req.filters;
        f.outlets = self.outlets.clone();
        for d in &self.dates {
            f.dates
                .push(DateBucket::parse(d).ok_or_else(|| bad("date bucket", d))?);
        }
        f.since = day(&self.since, "since date")?;
        f.until = day(&self.until, "until date")?;
        f.undated = self.undated;
        for e in &self.entities {
            let (kind, name) = e.split_once(':').ok_or_else(|| bad("entity", e))?;
            let kind = Kind::parse(kind).ok_or_else(|| bad("entity", e))?;
            f.entities.push((kind, name.to_string()));
        }
        for l in &self.langs {
            let code = crate::lang::code(l).ok_or_else(|| bad("language", l))?;
            f.langs.push(code.to_string());
        }
        req.all_words = self.all;
        req.exact = self.exact;
        req.no_scripts = self.no_scripts;
        req.collapse = !self.no_collapse;
        if let Some(sort) = &self.sort {
            req.sort = Sort::parse(sort)?;
        }
        Ok(req)
    }
}

/// What one run of an alert found.
#[derive(Debug, Clone)]
pub struct Run {
    /// The alert's name.
    pub name: String,
    /// Its query.
    pub query: String,
    /// Its first run: the mark is set, nothing is reported.
    pub first_run: bool,
    /// When it last ran before this run (none on the first).
    pub previous_run: Option<String>,
    /// On a first run, how many articles match today (what later runs do not report).
    pub matching_now: Option<u64>,
    /// The articles indexed since the previous run that match, as an export lists them
    /// (every one, each with its best passage).
    pub results: SearchResults,
}

/// How one alert of a run went.
#[derive(Debug)]
pub enum Outcome<'a> {
    /// It ran.
    Ran(&'a Run),
    /// It could not run (its old mark is kept).
    Failed {
        /// The alert's name.
        name: &'a str,
        /// Why.
        error: &'a Error,
    },
}

/// The alerts of one index: its `alerts.json`.
pub struct Alerts {
    dir: PathBuf,
}

#[derive(Default, Serialize, Deserialize)]
struct Saved {
    alerts: Vec<Alert>,
}

impl Alerts {
    /// The alerts of the index in `store`.
    pub fn of(store: &Store) -> Alerts {
        Alerts {
            dir: store.path().to_path_buf(),
        }
    }

    /// Every alert, in the order added.
    pub fn list(&self) -> Result<Vec<Alert>> {
        Ok(self.read()?.alerts)
    }

    /// Saves `req` as an alert named `name`; its first run will set its mark. The query is
    /// checked first (a search with it must compile); its warnings are returned.
    pub fn add(&self, engine: &Engine, name: &str, req: &SearchRequest) -> Result<Vec<String>> {
        let name = check_name(name)?;
        let mut probe = req.clone();
        (probe.limit, probe.offset, probe.passages) = (1, 0, 1);
        let warnings = engine.search(&probe)?.summary.warnings;
        self.locked(|saved| {
            if let Some(at) = find(saved, &name) {
                let have = &saved.alerts[at].name;
                return Err(Error::InvalidArgument(format!(
                    "an alert named {have:?} exists: remove it first (byline alerts remove {have:?})"
                )));
            }
            saved.alerts.push(Alert {
                name: name.clone(),
                search: SavedSearch::of(req),
                added: utc_now(),
                last_run: None,
            });
            Ok(())
        })?;
        Ok(warnings)
    }

    /// Removes the alert named `name` (any case).
    pub fn remove(&self, name: &str) -> Result<Alert> {
        self.locked(|saved| {
            let at = find(saved, name).ok_or_else(|| unknown(name, saved))?;
            Ok(saved.alerts.remove(at))
        })
    }

    /// Runs the alerts named (every alert when `names` is empty), each reporting the
    /// matching articles indexed since it last ran, and keeps the new marks. An unknown name
    /// is an error before anything runs. `report` gets each outcome as it is done: an alert
    /// that fails (a hand-edited query that no longer reads) keeps its old mark and the others
    /// go on; if `report` fails (the output is gone), the alerts reported so far keep their
    /// new marks and the rest keep their old ones, so nothing is skipped unseen.
    pub fn run(
        &self,
        engine: &Engine,
        names: &[String],
        report: &mut dyn FnMut(Outcome<'_>) -> Result<()>,
    ) -> Result<()> {
        let _lock = self.lock()?;
        let mut saved = self.read()?;
        let chosen: Vec<usize> = if names.is_empty() {
            (0..saved.alerts.len()).collect()
        } else {
            names
                .iter()
                .map(|n| find(&saved, n).ok_or_else(|| unknown(n, &saved)))
                .collect::<Result<_>>()?
        };
        // The last commit, then a reader that sees at least it: articles of later commits
        // are left whole to the next run.
        let batch = engine.store().batch()?;
        engine.refresh()?;
        let now = utc_now();
        let mut delivered = Ok(());
        for i in chosen {
            let alert = &mut saved.alerts[i];
            let outcome = run_one(engine, alert, batch);
            delivered = match &outcome {
                Ok(run) => report(Outcome::Ran(run)),
                Err(error) => report(Outcome::Failed {
                    name: &alert.name,
                    error,
                }),
            };
            if delivered.is_err() {
                break;
            }
            if outcome.is_ok() {
                alert.last_run = Some(Mark {
                    at: now.clone(),
                    batch,
                });
            }
        }
        self.write(&saved)?;
        delivered
    }

    fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    fn read(&self) -> Result<Saved> {
        let path = self.path();
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::InvalidArgument(format!("{}: not an alerts file: {e}", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Saved::default()),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// The alerts' lock, held until dropped.
    fn lock(&self) -> Result<File> {
        let path = self.dir.join(LOCK);
        let lock = File::create(&path).map_err(|e| Error::io(&path, e))?;
        lock.lock().map_err(|e| Error::io(&path, e))?;
        Ok(lock)
    }

    /// Reads the file under the lock, lets `change` work on it, and writes it back if
    /// `change` succeeded.
    fn locked<T>(&self, change: impl FnOnce(&mut Saved) -> Result<T>) -> Result<T> {
        let _lock = self.lock()?;
        let mut saved = self.read()?;
        let out = change(&mut saved)?;
        self.write(&saved)?;
        Ok(out)
    }

    fn write(&self, saved: &Saved) -> Result<()> {
        let path = self.path();
        let tmp = self.dir.join(format!("{FILE}.tmp"));
        let mut json = serde_json::to_vec_pretty(saved)
            .map_err(|e| Error::InvalidArgument(format!("{}: {e}", path.display())))?;
        json.push(b'\n');
        File::create(&tmp)
            .and_then(|mut f| f.write_all(&json).and_then(|()| f.sync_all()))
            .and_then(|()| std::fs::rename(&tmp, &path))
            .and_then(|()| File::open(&self.dir).and_then(|d| d.sync_all()))
            .map_err(|e| Error::io(&path, e))
    }
}

fn run_one(engine: &Engine, alert: &Alert, batch: u64) -> Result<Run> {
    let mut req = alert.search.request()?;
    let previous = alert.last_run.as_ref();
    // No mark yet, or one past the index's last commit (an index rebuilt from scratch whose
    // alerts file was kept): this run sets the mark.
    let since = previous.map(|m| m.batch).filter(|&b| b <= batch);
    let (first_run, matching_now, results) = match since {
        None => {
            req.limit = 1;
            let mut now = engine.search(&req)?;
            let matching = if req.collapse {
                now.summary.stories
            } else {
                now.summary.articles
            };
            now.hits.clear();
            (now.summary.returned, now.summary.limit) = (0, 0);
            (true, Some(matching), now)
        }
        Some(since) => {
            // Nothing committed since: the range is empty and matches nothing.
            req.filters.batches = Some(since + 1..=batch);
            let mut hits = Vec::new();
            let summary = engine.export(&req, &mut |hit, _| {
                hits.push(hit);
                Ok(())
            })?;
            (false, None, SearchResults { hits, summary })
        }
    };
    Ok(Run {
        name: alert.name.clone(),
        query: alert.search.query.clone(),
        first_run,
        previous_run: previous.map(|m| m.at.clone()),
        matching_now,
        results,
    })
}

fn find(saved: &Saved, name: &str) -> Option<usize> {
    let name = name.trim();
    saved
        .alerts
        .iter()
        .position(|a| a.name.to_lowercase() == name.to_lowercase())
}

fn unknown(name: &str, saved: &Saved) -> Error {
    let known: Vec<&str> = saved.alerts.iter().map(|a| a.name.as_str()).collect();
    let have = if known.is_empty() {
        "there are none (byline alerts add NAME QUERY)".to_string()
    } else {
        format!("there are: {}", known.join(", "))
    };
    Error::InvalidArgument(format!("no alert named {name:?}; {have}"))
}

/// A name is one line of at most [`MAX_NAME`] characters, without control characters.
fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(Error::InvalidArgument(format!(
            "an alert name is 1 to {MAX_NAME} characters without control characters, not {name:?}"
        )));
    }
    Ok(name.to_string())
}

/// Now, as UTC RFC 3339 to the second.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    rfc3339(secs)
}

fn rfc3339(secs: i64) -> String {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let day =
        Date::from_days_since_epoch(days).map_or_else(|| "1970-01-01".into(), |d| d.to_string());
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // 2024-11-15 13:05:09 UTC.
        assert_eq!(rfc3339(1_731_675_909), "2024-11-15T13:05:09Z");
    }

    #[test]
    fn a_saved_search_gives_back_its_request() {
        let mut req = SearchRequest::new("Iravani meeting");
        req.filters.outlets = vec!["Reuters".into()];
        req.filters.dates = vec![DateBucket::parse("2024-11").unwrap(), DateBucket::Unknown];
        req.filters.since = Date::parse("2024-11-01");
        req.filters.undated = true;
        req.filters.entities = vec![(Kind::Person, "Elon Musk".into())];
        req.filters.langs = vec!["en".into()];
        req.all_words = true;
        req.collapse = false;
        req.sort = Sort::NewestFirst;
        let saved = SavedSearch::of(&req);
        assert_eq!(saved.dates, ["2024-11", "unknown"]);
        assert_eq!(saved.entities, ["person:Elon Musk"]);
        assert_eq!(saved.sort.as_deref(), Some("-date"));
        let json = serde_json::to_string(&saved).unwrap();
        let back: SavedSearch = serde_json::from_str(&json).unwrap();
        assert_eq!(back, saved);
        let again = back.request().unwrap();
        assert_eq!(SavedSearch::of(&again), saved);
        // Only what was set is written.
        let plain = serde_json::to_string(&SavedSearch::of(&SearchRequest::new("x"))).unwrap();
        assert_eq!(plain, r#"{"query":"x"}"#);
    }

    #[test]
    fn a_hand_edited_value_is_named() {
        let saved = SavedSearch {
            query: "x".into(),
            since: Some("last week".into()),
            ..SavedSearch::default()
        };
        let err = saved.request().unwrap_err().to_string();
        assert!(
            err.contains("\"last week\" is not a valid since date"),
            "{err}"
        );
        let saved = SavedSearch {
            query: "x".into(),
            entities: vec!["ghost:Casper".into()],
            ..SavedSearch::default()
        };
        let err = saved.request().unwrap_err().to_string();
        assert!(
            err.contains("\"ghost:Casper\" is not a valid entity"),
            "{err}"
        );
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name("  iran talks ").unwrap(), "iran talks");
        assert!(check_name("").is_err());
        assert!(check_name("a\nb").is_err());
        assert!(check_name(&"x".repeat(101)).is_err());
    }
}
