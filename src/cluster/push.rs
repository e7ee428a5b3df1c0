//! `byline push`: makes an OpenSearch cluster's `byline` index hold what the local index
//! holds, sending only what changed since the last push to that cluster.
//!
//! - The index is created when the cluster lacks it ([`super::index_body`]).
//! - Each article goes as its article document and its passages (upserts by id); an article
//!   that now has fewer passages has the others deleted; an article gone from the local
//!   index (`byline delete`, `index --prune`) is deleted with its passages.
//! - Bulk requests hold at most [`MAX_ACTIONS`] actions and about [`MAX_BYTES`]; a request
//!   answered 429 or 503, or a document refused with 429, is sent again after 0.5, 1, 2, 4
//!   and 8 s; a document refused otherwise is reported by id with the cluster's reason, and
//!   the run exits non-zero.
//! - The state record (`push-state.json` in the local index folder, by cluster address and
//!   index) keeps each article's content hash and passage count as the cluster acknowledged
//!   them, so a re-run sends only what changed. An index the cluster lost (made again here)
//!   starts the record afresh.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{documents, passage_id, Analysers, Layout, Report, INDEX};
use crate::document;
use crate::error::{Error, Result};
use crate::schema;
use crate::store::Store;

/// Most actions in one bulk request.
pub const MAX_ACTIONS: usize = 1000;
/// About the most bytes in one bulk request.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Waits before each retry of a request or document the cluster was too busy for.
const BACKOFF_MS: [u64; 5] = [500, 1000, 2000, 4000, 8000];
/// The state record, in the local index folder.
pub const STATE_FILE: &str = "push-state.json";

/// Where and how to push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The cluster's address, `http(s)://host:port` (credentials in it, or in
    /// `BYLINE_ENGINE_USER` and `BYLINE_ENGINE_PASSWORD`).
    pub url: String,
    /// Shards and replicas, when the index is made.
    pub layout: Layout,
    /// Send every article, whatever the state record says.
    pub force: bool,
}

/// What a push did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct PushReport {
    /// Whether the index was made by this run.
    pub created: bool,
    /// Articles sent (new or changed).
    pub sent: u64,
    /// Passages sent.
    pub passages: u64,
    /// Articles the cluster already held as they are.
    pub unchanged: u64,
    /// Articles deleted from the cluster (gone from the local index).
    pub deleted: u64,
    /// Bulk requests sent (retries included).
    pub requests: u64,
    /// Requests or documents sent again after a 429 or 503.
    pub retries: u64,
    /// Documents the cluster refused: `(id, reason)`.
    pub failed: Vec<(String, String)>,
    /// Seconds taken.
    pub seconds: f64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    /// By `URL INDEX`: article id → what the cluster holds of it.
    #[serde(default)]
    clusters: BTreeMap<String, BTreeMap<String, Held>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Held {
    hash: u64,
    passages: usize,
}

/// The cluster: an HTTP agent and its address.
pub(crate) struct Cluster {
    agent: ureq::Agent,
    base: String,
    /// The address as shown in messages (no credentials).
    shown: String,
    auth: Option<String>,
}

impl Cluster {
    pub(crate) fn new(url: &str) -> Result<Cluster> {
        let url = url.trim().trim_end_matches('/');
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            Error::InvalidArgument(format!(
                "--engine {url:?} is not an address: give http://host:port or https://host:port"
            ))
        })?;
        if scheme != "http" && scheme != "https" {
            return Err(Error::InvalidArgument(format!(
                "--engine {url:?}: only http:// and https:// addresses are taken"
            )));
        }
        // Credentials in the address, else from the environment; never shown.
        let (userinfo, host) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u.to_string()), h),
            None => (None, rest),
        };
        let userinfo = userinfo.or_else(|| {
            let user = std::env::var("BYLINE_ENGINE_USER").ok()?;
            let password = std::env::var("BYLINE_ENGINE_PASSWORD").unwrap_or_default();
            Some(format!("{user}:{password}"))
        });
        let auth = userinfo.map(|u| {
            let decoded = percent_encoding::percent_decode_str(&u).decode_utf8_lossy();
            format!("Basic {}", base64(decoded.as_bytes()))
        });
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Ok(Cluster {
            agent,
            base: format!("{scheme}://{host}"),
            shown: format!("{scheme}://{host}"),
            auth,
        })
    }

    pub(crate) fn fail(&self, reason: impl Into<String>) -> Error {
        Error::Cluster {
            url: self.shown.clone(),
            reason: reason.into(),
        }
    }

    /// Sends a request; returns the status and the body.
    pub(crate) fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<(u16, String)> {
        let url = format!("{}/{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.with_auth(self.agent.get(&url)).call(),
            ("HEAD", _) => self.with_auth(self.agent.head(&url)).call(),
            ("DELETE", _) => self.with_auth(self.agent.delete(&url)).call(),
            ("PUT", Some((kind, bytes))) => self
                .with_auth(self.agent.put(&url))
                .content_type(kind)
                .send(bytes),
            (_, Some((kind, bytes))) => self
                .with_auth(self.agent.post(&url))
                .content_type(kind)
                .send(bytes),
            (_, None) => self.with_auth(self.agent.post(&url)).send_empty(),
        };
        let mut response = response.map_err(|e| self.fail(e.to_string()))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| self.fail(format!("reading the answer: {e}")))?;
        Ok((status, text))
    }

    /// Sends a JSON body and reads a JSON answer; any status but 200 is an error naming
    /// `what` was asked.
    pub(crate) fn json(&self, method: &str, path: &str, body: &Value, what: &str) -> Result<Value> {
        let (status, text) = self.send(
            method,
            path,
            Some(("application/json", serde_json::to_vec(body)?)),
        )?;
        if status != 200 {
            return Err(self.fail(format!("{what} refused ({status}): {}", short(&text))));
        }
        serde_json::from_str(&text)
            .map_err(|e| self.fail(format!("{what}: the answer is not JSON: {e}")))
    }

    /// The request with the cluster's credentials, when it has some.
    fn with_auth<B>(&self, r: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.auth {
            Some(a) => r.header("Authorization", a),
            None => r,
        }
    }
}

/// Standard base64, for a basic-auth header.
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// One bulk action: its line(s) and the article it belongs to.
struct Action {
    article: String,
    id: String,
    lines: String,
}

/// Pushes the local index to the cluster.
pub fn push(store: &Store, options: &PushOptions) -> Result<PushReport> {
    let started = std::time::Instant::now();
    let cluster = Cluster::new(&options.url)?;
    let mut report = PushReport::default();
    let (status, body) = cluster.send("GET", INDEX, None)?;
    match status {
        200 => {
            let found: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let layout = &found[INDEX]["mappings"]["_meta"]["byline"];
            if layout != &json!(super::LAYOUT_VERSION) {
                return Err(cluster.fail(format!(
                    "its index {INDEX:?} was made by another byline (layout {layout}, this one \
                     writes {}): delete it (curl -X DELETE {}/{INDEX}) and push again",
                    super::LAYOUT_VERSION,
                    cluster.shown
                )));
            }
        }
        404 => {
            let made = serde_json::to_vec(&super::index_body(options.layout))?;
            let (status, body) = cluster.send("PUT", INDEX, Some(("application/json", made)))?;
            if status != 200 {
                return Err(cluster.fail(format!(
                    "making the index was refused ({status}): {}",
                    short(&body)
                )));
            }
            report.created = true;
        }
        401 | 403 => {
            return Err(cluster.fail(format!(
                "not allowed ({status}): give credentials in the address or in \
                 BYLINE_ENGINE_USER and BYLINE_ENGINE_PASSWORD"
            )))
        }
        _ => return Err(cluster.fail(format!("{status}: {}", short(&body)))),
    }
    let state_path = store.path().join(STATE_FILE);
    let mut state: State = std::fs::read(&state_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let key = format!("{} {INDEX}", cluster.shown);
    let held = if report.created || options.force {
        BTreeMap::new()
    } else {
        state.clusters.remove(&key).unwrap_or_default()
    };
    let hashes = document::known_hashes(store)?;
    let searcher = store.index().reader()?.searcher();
    let mut analysers = Analysers::new();
    let mut sender = Sender::new(&cluster);
    let mut now: BTreeMap<String, Held> = BTreeMap::new();
    let mut counted = Report::default();
    let mut seen = std::collections::HashSet::new();
    let mut failure: Option<Error> = None;
    let mut entities = super::PassageEntities::new(&searcher);
    document::each_at(&searcher, store.fields(), |at, read| {
        if failure.is_some() {
            return;
        }
        seen.insert(read.id.clone());
        let hash = hashes
            .get(&schema::article_key(&read.id))
            .copied()
            .unwrap_or(0);
        let passages = read.stored.ranges.len();
        let this = Held { hash, passages };
        if held.get(&read.id) == Some(&this) {
            report.unchanged += 1;
            now.insert(read.id.clone(), this);
            return;
        }
        let before = held.get(&read.id).map_or(0, |h| h.passages);
        let mut actions = Vec::with_capacity(passages + 1);
        let mentioned = match entities.of(at, passages) {
            Ok(m) => m,
            Err(e) => {
                failure = Some(e);
                return;
            }
        };
        for (id, doc) in documents(&read, &mentioned, &mut analysers, &mut counted) {
            let action = super::action("index", &id, &read.id);
            actions.push(Action {
                article: read.id.clone(),
                id,
                lines: format!("{action}\n{doc}\n"),
            });
        }
        for n in passages..before {
            actions.push(delete(&read.id, passage_id(&read.id, n)));
        }
        for action in actions {
            if let Err(e) = sender.add(action, &mut report) {
                failure = Some(e);
                return;
            }
        }
        report.sent += 1;
        report.passages += passages as u64;
        now.insert(read.id.clone(), this);
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    for (id, gone) in held.iter().filter(|(id, _)| !seen.contains(*id)) {
        sender.add(delete(id, id.clone()), &mut report)?;
        for n in 0..gone.passages {
            sender.add(delete(id, passage_id(id, n)), &mut report)?;
        }
        report.deleted += 1;
    }
    let failed_articles = sender.finish(&mut report)?;
    // The record keeps what the cluster acknowledged: a failed article is sent again.
    for article in &failed_articles {
        match held.get(article) {
            Some(old) => now.insert(article.clone(), *old),
            None => now.remove(article),
        };
    }
    state.clusters.insert(key, now);
    let bytes = serde_json::to_vec(&state)?;
    std::fs::write(&state_path, bytes).map_err(|e| Error::io(&state_path, e))?;
    let (status, body) = cluster.send("POST", &format!("{INDEX}/_refresh"), None)?;
    if status != 200 {
        return Err(cluster.fail(format!("refresh refused ({status}): {}", short(&body))));
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn delete(article: &str, id: String) -> Action {
    let action = super::action("delete", &id, article);
    Action {
        article: article.to_string(),
        id,
        lines: format!("{action}\n"),
    }
}

/// Sends actions in bounded bulk requests as they come (so a push holds one request's
/// worth of documents at a time), retrying what the cluster was too busy for.
struct Sender<'c> {
    cluster: &'c Cluster,
    batch: Vec<Action>,
    bytes: usize,
    /// Articles with a refused document.
    failed_articles: Vec<String>,
}

impl<'c> Sender<'c> {
    fn new(cluster: &'c Cluster) -> Sender<'c> {
        Sender {
            cluster,
            batch: Vec::new(),
            bytes: 0,
            failed_articles: Vec::new(),
        }
    }

    fn add(&mut self, action: Action, report: &mut PushReport) -> Result<()> {
        if !self.batch.is_empty()
            && (self.batch.len() >= MAX_ACTIONS || self.bytes + action.lines.len() > MAX_BYTES)
        {
            self.flush(report)?;
        }
        self.bytes += action.lines.len();
        self.batch.push(action);
        Ok(())
    }

    /// Sends what is waiting; returns the articles with a refused document, in all.
    fn finish(mut self, report: &mut PushReport) -> Result<Vec<String>> {
        self.flush(report)?;
        self.failed_articles.dedup();
        Ok(self.failed_articles)
    }

    fn flush(&mut self, report: &mut PushReport) -> Result<()> {
        let mut pending = std::mem::take(&mut self.batch);
        self.bytes = 0;
        let mut attempt = 0;
        while !pending.is_empty() {
            let body: String = pending.iter().map(|a| a.lines.as_str()).collect();
            report.requests += 1;
            let (status, text) = self.cluster.send(
                "POST",
                "_bulk",
                Some(("application/x-ndjson", body.into_bytes())),
            )?;
            if matches!(status, 429 | 503) && attempt < BACKOFF_MS.len() {
                std::thread::sleep(Duration::from_millis(BACKOFF_MS[attempt]));
                attempt += 1;
                report.retries += 1;
                continue;
            }
            if status != 200 {
                return Err(self
                    .cluster
                    .fail(format!("bulk request refused ({status}): {}", short(&text))));
            }
            let answer: Value = serde_json::from_str(&text)
                .map_err(|e| self.cluster.fail(format!("bulk answer is not JSON: {e}")))?;
            let items = answer["items"].as_array().cloned().unwrap_or_default();
            let mut again = Vec::new();
            for (action, item) in pending.into_iter().zip(items.iter()) {
                let result = item
                    .as_object()
                    .and_then(|o| o.values().next())
                    .cloned()
                    .unwrap_or(Value::Null);
                let code = result["status"].as_u64().unwrap_or(0);
                // Deleting what is not there (a passage never acknowledged) is done.
                let done =
                    (200..300).contains(&code) || (code == 404 && item.get("delete").is_some());
                if done {
                    continue;
                }
                if code == 429 && attempt < BACKOFF_MS.len() {
                    again.push(action);
                    continue;
                }
                let reason = result["error"]["reason"]
                    .as_str()
                    .map_or_else(|| format!("status {code}"), str::to_string);
                self.failed_articles.push(action.article.clone());
                report.failed.push((action.id, reason));
            }
            if !again.is_empty() {
                std::thread::sleep(Duration::from_millis(BACKOFF_MS[attempt]));
                attempt += 1;
                report.retries += again.len() as u64;
            }
            pending = again;
        }
        Ok(())
    }
}

/// At most 300 characters of a cluster's answer, for a message.
pub(crate) fn short(text: &str) -> String {
    let t: String = text.chars().take(300).collect();
    if t.len() < text.len() {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_standard_base64() {
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn an_address_keeps_its_credentials_out_of_sight() {
        let c = Cluster::new("https://elastic:s%40cret@search.example:9200/").unwrap();
        assert_eq!(c.shown, "https://search.example:9200");
        assert_eq!(c.auth.as_deref(), Some("Basic ZWxhc3RpYzpzQGNyZXQ="));
        let err = Cluster::new("search.example:9200")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("is not an address"), "{err}");
        let err = Cluster::new("ftp://x").err().unwrap().to_string();
        assert!(err.contains("only http:// and https://"), "{err}");
    }
}
