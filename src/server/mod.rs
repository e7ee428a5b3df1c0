//! The HTTP endpoint: the same searches as the CLI, over HTTP, safe by default.
//!
//! [`router`] builds the whole service (tested without a socket); [`serve`] binds it. Every
//! answer is JSON built from the library's own types (`/search` returns the CLI's `hit` and
//! `summary` objects as `{"hits": [...], "summary": {...}}`), and every error is a status with
//! `{"error": {"code", "message"}}`; a 500 says nothing of the cause (which goes to stderr).
//!
//! Safety: queries and windows are checked against [`crate::query::Limits`] before they reach
//! tantivy; searches run on the blocking pool, at most [`ServerOptions::max_concurrent`] at a
//! time, the rest waiting in a queue of at most [`ServerOptions::max_queued`] (beyond it, 503),
//! and each request is answered within [`ServerOptions::timeout`], waiting included (else 503);
//! a place in the queue is given back however the wait ends ([`admission`]). A URI over
//! [`MAX_URI_BYTES`] gets 414 and a request body over [`MAX_BODY_BYTES`] 413; requests hyper
//! cannot parse get their JSON error too ([`wire`]). `/healthz` (liveness), `/readyz`
//! (readiness) and `/metrics` never wait behind searches. Binding anything but loopback
//! requires an API key, checked in constant time on every route but the page (`/`, which asks
//! for the key and sends it with each request), `/healthz` and `/readyz` (`Authorization:
//! Bearer KEY` or `X-API-Key: KEY`). Read routes take their parameters as a query string
//! (GET) or as a JSON object (POST); CORS is off unless origins are named
//! ([`ServerOptions::cors_origins`]). SIGTERM or SIGINT stops accepting and
//! drains the requests in flight ([`serve`]).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Path, RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tokio::signal::unix::{signal, Signal, SignalKind};

use crate::entities::Kind;
use crate::error::Error;
use crate::facets;
use crate::query::DateBucket;
use crate::search::{Engine, SearchRequest};

mod admission;
mod error;
mod metrics;
pub mod openapi;
mod params;
mod stream;
mod wire;

use admission::{Admission, Busy, Refused};
pub use error::ApiError;
use metrics::Metrics;
use params::{params, Input, Params};

/// Entities `/entities` lists by default, most mentioned first.
pub const ENTITIES_LIMIT: usize = 100;
/// Most entities `/entities` lists.
pub const MAX_ENTITIES_LIMIT: usize = 10_000;
/// Longest request URI accepted (414 beyond).
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest request body accepted (413 beyond).
pub const MAX_BODY_BYTES: u64 = 64 * 1024;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Required on every route but `/`, `/healthz` and `/readyz`, when set.
    pub api_key: Option<String>,
    /// Searches running at once (0 refuses all: a drain mode).
    pub max_concurrent: usize,
    /// Searches waiting for a free slot; beyond that a request gets 503 at once.
    pub max_queued: usize,
    /// Longest a search may take before the request gets 503.
    pub timeout: Duration,
    /// Origins a browser app may call the API from (`https://app.example`, or `*` for
    /// any): preflights are answered (204) with the methods and headers the API takes,
    /// answers carry `Access-Control-Allow-Origin`; no credentials mode. None: no CORS.
    pub cors_origins: Vec<String>,
    /// Longest a client may take to send a request's headers, from its first byte or from
    /// the end of its previous request on a kept-alive connection; then the connection is
    /// closed without an answer (a slow or idle client holds nothing longer).
    pub header_timeout: Duration,
    /// Answer `/search` and `/facets` from this OpenSearch cluster (its `byline` index,
    /// filled by `byline push`), planned and ranked by the local index; the other routes
    /// read the local index.
    pub engine: Option<String>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            api_key: None,
            max_concurrent: 2 * std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_queued: 64,
            timeout: Duration::from_secs(10),
            cors_origins: Vec::new(),
            header_timeout: Duration::from_secs(10),
            engine: None,
        }
    }
}

#[derive(Clone)]
struct AppState {
    engine: Arc<Engine>,
    options: Arc<ServerOptions>,
    admission: Arc<Admission>,
    metrics: Arc<Metrics>,
}

impl AppState {
    fn new(engine: Arc<Engine>, options: ServerOptions) -> AppState {
        AppState {
            admission: Arc::new(Admission::new(options.max_concurrent, options.max_queued)),
            engine,
            options: Arc::new(options),
            metrics: Arc::new(Metrics::default()),
        }
    }
}

/// Builds the service: every route, the error fallbacks and the middleware.
pub fn router(engine: Arc<Engine>, options: ServerOptions) -> Router {
    app(AppState::new(engine, options))
}

fn app(state: AppState) -> Router {
    let cors = cors(&state.options.cors_origins);
    let router = Router::new()
        .route("/", get(page))
        .route("/search", get(search).post(search))
        .route("/export", get(export).post(export))
        .route("/timeline", get(timeline).post(timeline))
        .route("/screen", axum::routing::post(screen))
        .route("/articles/{id}", get(article).post(article))
        .route("/articles/{id}/similar", get(similar).post(similar))
        .route("/facets", get(facet_counts).post(facet_counts))
        .route("/entities", get(entities).post(entities))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi_document))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .method_not_allowed_fallback(|uri: axum::http::Uri| async move {
            let takes = openapi::allowed(uri.path()).unwrap_or_else(|| "GET".into());
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("method not allowed: {} takes {takes}", uri.path()),
            )
        })
        .layer(axum::extract::DefaultBodyLimit::max(
            MAX_BODY_BYTES as usize,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state);
    // CORS goes outside the guard: a preflight carries no key (browsers never send one),
    // and is answered before the guard asks for it.
    match cors {
        Some(cors) => router
            .layer(cors)
            .layer(middleware::from_fn(preflight_no_content)),
        None => router,
    }
}

/// The CORS rules for `origins` (None when there is none): the API's methods and the
/// headers that carry a key or a JSON body; answers may be kept ten minutes.
fn cors(origins: &[String]) -> Option<tower_http::cors::CorsLayer> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::HeaderName::from_static("x-api-key"),
            ])
            .max_age(Duration::from_secs(600)),
    )
}

/// Preflights answered by the CORS layer get 204 No Content (it says 200 with no body).
async fn preflight_no_content(req: Request, next: Next) -> Response {
    let preflight = req.method() == axum::http::Method::OPTIONS;
    let mut response = next.run(req).await;
    if preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}

/// Binds `addr` and serves until SIGTERM or SIGINT; then stops accepting, lets the requests
/// in flight finish for at most the search timeout and a second, and returns. Logs one line
/// on start, on the signal and on stop (stderr). (The binary exits at once on a second
/// signal.)
pub async fn serve(
    engine: Arc<Engine>,
    options: ServerOptions,
    addr: SocketAddr,
) -> crate::Result<()> {
    if !addr.ip().is_loopback() && options.api_key.is_none() {
        return Err(Error::InvalidArgument(format!(
            "binding {addr} (not loopback) requires an API key: --api-key or BYLINE_API_KEY"
        )));
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::io(addr.to_string(), e))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::io(addr.to_string(), e))?;
    let signals = |kind: SignalKind| signal(kind).map_err(|e| Error::io("signal handler", e));
    let (mut term, mut int) = (
        signals(SignalKind::terminate())?,
        signals(SignalKind::interrupt())?,
    );
    eprintln!("byline: serving http://{local}/");
    let header_timeout = options.header_timeout;
    let grace = options.timeout + Duration::from_secs(1);
    // The articles' columns are kept in memory for every search to read (keep_layouts), and
    // the entity list is a pass over every article's facets: make it before the first
    // request asks, on a thread of its own at the lowest priority, so that searches arriving
    // meanwhile go first. (It read every article's record until schema 14: 6.6 s at 100k
    // articles, and the whole document store mapped into the server's memory.)
    let warm = engine.clone();
    std::thread::Builder::new()
        .name("byline-warm".into())
        .spawn(move || {
            // Linux keeps a nice value per thread: this one alone yields.
            #[cfg(unix)]
            let _ = rustix::process::setpriority_process(None, 19);
            if let Err(e) = warm.keep_layouts() {
                eprintln!("byline: warning: articles' columns not kept in memory: {e}");
            }
            let _ = warm.entities(None, 0);
        })
        .map_err(|e| Error::io("the entity warm-up thread", e))?;
    let state = AppState::new(engine, options);
    let (metrics, admission) = (state.metrics.clone(), state.admission.clone());
    let app = app(state);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let name = loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, say: the connection is lost, the server is not.
                Err(e) => {
                    eprintln!("byline: accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            name = next_signal(&mut term, &mut int) => break name,
        };
        let _ = stream.set_nodelay(true);
        let io = wire::JsonErrors::new(hyper_util::rt::TokioIo::new(stream), metrics.clone());
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(header_timeout)
            .max_headers(wire::MAX_HEADERS)
            .max_buf_size(wire::MAX_HEAD_BYTES)
            .serve_connection(
                io,
                hyper_util::service::TowerToHyperService::new(app.clone()),
            );
        let connection = graceful.watch(connection);
        // A connection's end, timed out or reset by its client, concerns that client only.
        tokio::spawn(async move {
            let _ = connection.await;
        });
    };
    drop(listener); // new connections are refused from here
    let open = graceful.count();
    let Busy {
        running, waiting, ..
    } = admission.busy();
    eprintln!(
        "byline: {name}: no longer accepting; draining {open} connection{} ({running} searches running, {waiting} waiting) for at most {} s; a second signal stops at once",
        if open == 1 { "" } else { "s" },
        grace.as_secs()
    );
    let started = Instant::now();
    let drained = tokio::time::timeout(grace, graceful.shutdown()).await;
    match drained {
        Ok(()) => eprintln!(
            "byline: stopped: drained in {:.2} s",
            started.elapsed().as_secs_f64()
        ),
        Err(_) => eprintln!(
            "byline: stopped: connections still open after {} s were cut",
            grace.as_secs()
        ),
    }
    Ok(())
}

/// The name of the next stop signal received.
async fn next_signal(term: &mut Signal, int: &mut Signal) -> &'static str {
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    }
}

/// Size limits, the API key and metrics, around every request.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    // The router's own table names the route (axum sets the pattern it matched); anything
    // that reached no route is "unmatched".
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let response = check(&state, &req).map_or_else(|| None, Some);
    let path = req.uri().path().to_string();
    let mut response = match response {
        Some(refused) => refused.into_response(),
        None => next.run(req).await,
    };
    // A 405 says which methods the route takes.
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        if let Some(v) = openapi::allowed(&path).and_then(|a| HeaderValue::from_str(&a).ok()) {
            response.headers_mut().insert(header::ALLOW, v);
        }
    }
    state
        .metrics
        .record(&route, response.status().as_u16(), started.elapsed());
    response
}

/// The reason to refuse a request before it reaches its handler, if any.
fn check(state: &AppState, req: &Request) -> Option<ApiError> {
    let uri_len = req.uri().path().len() + req.uri().query().map_or(0, |q| q.len() + 1);
    if uri_len > MAX_URI_BYTES {
        return Some(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the URI is {uri_len} bytes; the limit is {MAX_URI_BYTES}"),
        ));
    }
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Some(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
        ));
    }
    // The page loads without a key (it asks for one and sends it with each request), and
    // so do the probes; a preflight without CORS rules is a 405 with or without one.
    let open = matches!(
        req.uri().path(),
        "/" | "/openapi.json" | "/healthz" | "/readyz"
    ) || req.method() == axum::http::Method::OPTIONS;
    if !open {
        if let Some(key) = &state.options.api_key {
            if !authorized(req, key) {
                return Some(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "an API key is required: Authorization: Bearer KEY or X-API-Key: KEY",
                ));
            }
        }
    }
    None
}

fn authorized(req: &Request, key: &str) -> bool {
    use subtle::ConstantTimeEq;
    let h = req.headers();
    let given = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| h.get("x-api-key").and_then(|v| v.to_str().ok()));
    given.is_some_and(|g| bool::from(g.as_bytes().ct_eq(key.as_bytes())))
}

/// The answer to a search that ran (or waited) past the timeout.
fn timed_out() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        "the search took too long",
    )
}

/// One of the `max_concurrent` search slots, waiting in the queue until `deadline` at most.
async fn admit(
    state: &AppState,
    deadline: tokio::time::Instant,
) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
    match state.admission.enter(deadline).await {
        Ok(permit) => Ok(permit),
        Err(Refused::Overloaded) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "too many searches at once; try again",
        )),
        Err(Refused::TimedOut) => Err(timed_out()),
    }
}

/// Runs `f` on the blocking pool: waits for one of the `max_concurrent` slots (in a queue of
/// at most `max_queued`), and answers within the timeout, waiting included.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Engine) -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let deadline = tokio::time::Instant::now() + state.options.timeout;
    let permit = admit(state, deadline).await?;
    if tokio::time::Instant::now() >= deadline {
        return Err(timed_out());
    }
    let engine = state.engine.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit; // held until the search ends, even past the timeout
        f(&engine)
    });
    match tokio::time::timeout_at(deadline, task).await {
        Ok(Ok(result)) => result.map_err(ApiError::from),
        Ok(Err(join)) => {
            eprintln!("byline serve: internal error: search task failed: {join}");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            ))
        }
        Err(_) => Err(timed_out()),
    }
}

/// The request [`openapi::REQUEST`] describes: the query, its filters, how words match and
/// the order (the parameters the search-like routes share).
fn request_of(p: &Params) -> Result<SearchRequest, ApiError> {
    let q = p.one("q").unwrap_or("").to_string();
    if q.trim().is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_query",
            "the q parameter is required",
        ));
    }
    filters_of(p, q)
}

/// The request `openapi::REQUEST` describe, for the query `q` (which may be blank).
fn filters_of(p: &Params, q: String) -> Result<SearchRequest, ApiError> {
    let mut req = SearchRequest::new(q);
    req.filters.outlets = p.all("outlet");
    req.filters.dates = p
        .all("date")
        .iter()
        .map(|d| {
            DateBucket::parse(d).ok_or_else(|| {
                ApiError::bad(format!(
                    "date must be a date bucket (YYYY-MM-DD, YYYY-MM, YYYY or unknown), not {d:?}"
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    req.filters.since = p.date("since")?;
    req.filters.until = p.date("until")?;
    req.filters.undated = p.flag("undated")?;
    req.filters.langs = p
        .all("lang")
        .iter()
        .map(|l| {
            crate::lang::code(l)
                .map(str::to_string)
                .ok_or_else(|| ApiError::bad(format!("lang {l:?} is not a language byline knows")))
        })
        .collect::<Result<_, _>>()?;
    req.filters.entities = p
        .all("entity")
        .iter()
        .map(|e| crate::entities::parse_filter(e).map_err(ApiError::from))
        .collect::<Result<_, _>>()?;
    for kind in [Kind::Person, Kind::Org, Kind::Place] {
        let names = p
            .all(kind.name())
            .into_iter()
            .filter(|n| !n.trim().is_empty());
        req.filters.any_of.extend(names.map(|n| (kind, n)));
    }
    req.exact = p.flag("exact")?;
    req.no_scripts = p.flag("no_scripts")?;
    req.all_words = p.flag("all")?;
    if let Some(sort) = p.one("sort") {
        req.sort = crate::search::Sort::parse(sort).map_err(ApiError::from)?;
    }
    Ok(req)
}

async fn search(State(state): State<AppState>, Input(p): Input) -> Result<Response, ApiError> {
    p.only(openapi::SEARCH)?;
    let mut req = request_of(&p)?;
    req.limit = p.number("limit", 10)?;
    req.cursor = p
        .one("cursor")
        .filter(|c| !c.is_empty())
        .map(crate::search::cursor::Cursor::parse)
        .transpose()
        .map_err(ApiError::from)?;
    req.offset = p.number("offset", 0)?;
    req.passages = p.number("passages", 1)?;
    req.facets = p.facets()?;
    req.facet_limit = p.number("facet_limit", facets::TOP_VALUES)?;
    req.collapse = p.flag_or("collapse", true)?;
    let cluster = state.options.engine.clone();
    let results = blocking(&state, move |engine| match &cluster {
        Some(url) => crate::cluster::search::search(engine, &req, url),
        None => engine.search(&req),
    })
    .await?;
    Ok(Json(results).into_response())
}

/// `/timeline?q=A&q=B&by=day`: articles per bucket for each query (repeated `q`), beside
/// every article the index holds in the bucket.
async fn timeline(State(state): State<AppState>, Input(p): Input) -> Result<Response, ApiError> {
    p.only(&[openapi::REQUEST, openapi::TIMELINE].concat())?;
    let base = request_of(&p)?;
    let by = match p.one("by") {
        Some(by) => crate::search::timeline::By::parse(by)?,
        None => crate::search::timeline::By::Day,
    };
    let requests: Vec<SearchRequest> = p
        .all("q")
        .into_iter()
        .filter(|q| !q.trim().is_empty())
        .map(|q| {
            let mut req = base.clone();
            req.query = q;
            req
        })
        .collect();
    let result = blocking(&state, move |engine| engine.timeline(&requests, by)).await?;
    Ok(Json(result).into_response())
}

/// `POST /screen`: the body is a watch-list (one name or query a line, or CSV with a `name`
/// column), answered as `byline screen --json` writes it: an `entry` record each (with the
/// list's own columns) and a `match` record per article; an entry that fails is an `error`
/// record with its line, and the rest go on. The body's size is capped by the server's
/// request limit; the whole list runs in one search slot, within the timeout.
async fn screen(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    // A body sent in chunks, without a length the guard could check, meets the same limit.
    let body = body.map_err(params::body_error)?;
    let p = Params(params(raw.as_deref())?);
    p.only(openapi::SCREEN)?;
    let (exact, no_scripts) = (p.flag("exact")?, p.flag("no_scripts")?);
    let entries = crate::screen::parse_entries(&body, std::path::Path::new("the request body"))?;
    if entries.is_empty() {
        return Err(ApiError::bad(
            "the watch-list in the request body has no entry",
        ));
    }
    let out = blocking(&state, move |engine| {
        let shape = move |r: &mut SearchRequest| {
            r.exact = exact;
            r.no_scripts = no_scripts;
        };
        let mut out = Vec::new();
        for entry in &entries {
            let mut each = |hit: crate::search::Hit, _| {
                crate::output::write_screen_match(&mut out, entry, &hit).map_err(Error::Output)
            };
            match crate::screen::screen(engine, entry, &shape, &mut each) {
                Ok(n) => crate::output::write_screen_entry(&mut out, entry, n),
                Err(e) => crate::output::write_json_error(
                    &mut out,
                    crate::output::BatchTag {
                        line: entry.line,
                        query: &entry.name,
                    },
                    &e.to_string(),
                ),
            }
            .map_err(Error::Output)?;
        }
        Ok(out)
    })
    .await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-ndjson; charset=utf-8"),
        )],
        out,
    )
        .into_response())
}

/// `/articles/{id}/similar?limit=`: the articles most like one, its copies apart.
async fn similar(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    Input(p): Input,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::bad(format!("article id: {}", e.body_text())))?;
    p.only(openapi::SIMILAR)?;
    let limit = p.number("limit", 10)?;
    let found = blocking(&state, move |engine| engine.similar(&id, limit)).await?;
    Ok(Json(found).into_response())
}

/// `/export`: every article a query matches, streamed as JSON Lines or CSV (see
/// [`crate::export`]). It holds one search slot for as long as it streams, and is not held to
/// the search timeout. An error before the first byte is the usual JSON error; a failure
/// later cuts the stream (a JSON Lines export then lacks its closing summary).
async fn export(State(state): State<AppState>, Input(p): Input) -> Result<Response, ApiError> {
    p.only(&[openapi::REQUEST, openapi::EXPORT].concat())?;
    let mut req = request_of(&p)?;
    req.collapse = p.flag_or("collapse", false)?;
    req.passages = match p.one("passages") {
        Some("all") => usize::MAX,
        _ => p.number("passages", 1)?,
    };
    if req.passages == 0 {
        return Err(ApiError::bad("passages must be 1 or more, or all"));
    }
    let format = match p.one("format") {
        Some(f) => crate::export::Format::parse(f)?,
        None => crate::export::Format::Jsonl,
    };
    let fields = p
        .one("fields")
        .filter(|s| !s.is_empty())
        .map(crate::export::parse_fields)
        .transpose()?;
    let permit = admit(&state, tokio::time::Instant::now() + state.options.timeout).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, Error>>(8);
    let engine = state.engine.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let sink = stream::Sink::new(tx.clone());
        let run = (|| {
            let mut w = crate::export::Writer::new(sink, format, fields)?;
            let summary = engine.export(&req, &mut |hit, _| w.hit(&hit))?;
            w.finish(&summary)?.send()
        })();
        if let Err(e) = run {
            let _ = tx.blocking_send(Err(e));
        }
    });
    // The first message says whether the export started.
    let first = match rx.recv().await {
        Some(Ok(bytes)) => bytes,
        Some(Err(e)) => return Err(e.into()),
        None => Vec::new(),
    };
    let body = axum::body::Body::from_stream(stream::chunks(first, rx));
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(format.content_type()),
        )],
        body,
    )
        .into_response())
}

async fn article(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    Input(p): Input,
) -> Result<Response, ApiError> {
    // axum's own rejection is plain text; every error here is the JSON document.
    let Path(id) = id.map_err(|e| ApiError::bad(format!("article id: {}", e.body_text())))?;
    p.only(openapi::ARTICLE)?;
    let (exact, no_scripts) = (p.flag("exact")?, p.flag("no_scripts")?);
    // With a query, every match in the text is marked, as in a hit's passages.
    let marked = p.one("q").filter(|q| !q.trim().is_empty()).map(|q| {
        let mut req = SearchRequest::new(q);
        req.exact = exact;
        req.no_scripts = no_scripts;
        req
    });
    let view = blocking(&state, move |engine| match &marked {
        Some(req) => engine.article_marked(&id, req),
        None => engine.article(&id),
    })
    .await?;
    Ok(Json(view).into_response())
}

/// `/facets`: article counts per facet value, over every article or those the query and
/// filters (the search's own parameters) keep.
async fn facet_counts(
    State(state): State<AppState>,
    Input(p): Input,
) -> Result<Response, ApiError> {
    p.only(&[openapi::REQUEST, openapi::FACETS].concat())?;
    let mut dims = p.facets()?;
    if dims.is_empty() {
        dims = facets::DIMENSIONS.iter().map(|d| d.to_string()).collect();
    }
    let limit = p.number("facet_limit", facets::TOP_VALUES)?;
    let req = filters_of(&p, p.one("q").unwrap_or("").to_string())?;
    let cluster = state.options.engine.clone();
    let body = blocking(&state, move |engine| match &cluster {
        Some(url) => crate::cluster::search::facets(engine, &req, &dims, limit, url),
        None => engine.facets(&req, &dims, limit),
    })
    .await?;
    Ok(Json(body).into_response())
}

#[derive(Serialize)]
struct EntitiesBody {
    /// Entities in the index (of the kind asked), of which the first `limit` are listed.
    total: usize,
    entities: Vec<crate::search::EntitySummary>,
}

async fn entities(State(state): State<AppState>, Input(p): Input) -> Result<Response, ApiError> {
    p.only(openapi::ENTITIES)?;
    let limit = p.number("limit", ENTITIES_LIMIT)?;
    if limit == 0 || limit > MAX_ENTITIES_LIMIT {
        return Err(ApiError::bad(format!(
            "limit {limit} is out of range: 1 to {MAX_ENTITIES_LIMIT}"
        )));
    }
    if let Some(with) = p.one("with").filter(|w| !w.is_empty()) {
        // What is mentioned alongside one entity, as `byline entities --with`.
        let (kind, name) = crate::entities::parse_filter(with)?;
        let found = blocking(&state, move |engine| {
            engine.co_mentioned(kind, &name, limit)
        })
        .await?;
        return Ok(Json(found).into_response());
    }
    let kind = match p.one("kind") {
        None => None,
        Some(k) => Some(Kind::from_user(k)?),
    };
    let page = blocking(&state, move |engine| engine.entities(kind, limit)).await?;
    Ok(Json(EntitiesBody {
        total: page.total,
        entities: page.entities,
    })
    .into_response())
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    articles: u64,
    passages: u64,
}

/// Liveness: the process answers. Never waits for a search slot (a busy server is alive);
/// the counts are cached once per commit.
async fn healthz(State(state): State<AppState>) -> Result<Response, ApiError> {
    let (articles, passages) = state.engine.counts()?;
    Ok(Json(Health {
        status: "ok",
        articles,
        passages,
    })
    .into_response())
}

#[derive(Serialize)]
struct Ready {
    /// `ready`, or `overloaded` when every slot is busy and the queue is full (or the server
    /// takes no searches: `--max-concurrent 0`).
    status: &'static str,
    articles: u64,
    passages: u64,
    #[serde(flatten)]
    busy: Busy,
}

/// Readiness: the index is open and a search would be admitted now (200), or not (503).
async fn readyz(State(state): State<AppState>) -> Result<Response, ApiError> {
    let (articles, passages) = state.engine.counts()?;
    let busy = state.admission.busy();
    let full = busy.max_concurrent == 0
        || (busy.running >= busy.max_concurrent && busy.waiting >= busy.max_queued);
    let status = if full {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let body = Ready {
        status: if full { "overloaded" } else { "ready" },
        articles,
        passages,
        busy,
    };
    Ok((status, Json(body)).into_response())
}

async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let (articles, passages) = state.engine.counts()?;
    let text = state
        .metrics
        .render(articles, passages, state.admission.busy());
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response())
}

/// `/openapi.json`: the API described (built once).
async fn openapi_document() -> Response {
    static DOCUMENT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    Json(DOCUMENT.get_or_init(openapi::document)).into_response()
}

/// The search page; behind an API key it says so, and asks for the key before searching.
async fn page(State(state): State<AppState>) -> Html<&'static str> {
    static KEYED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    const PAGE: &str = include_str!("page.html");
    if state.options.api_key.is_none() {
        return Html(PAGE);
    }
    Html(KEYED.get_or_init(|| {
        PAGE.replace(
            r#"<meta name="byline-key" content="none">"#,
            r#"<meta name="byline-key" content="required">"#,
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    use axum::body::Body;
    use tower::ServiceExt;

    /// The metric label is the route pattern the router matched, from its one table.
    #[tokio::test]
    async fn routes_label_their_metrics_with_the_routers_own_patterns() {
        let dir = tempfile::tempdir().unwrap();
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        crate::ensure_index(dir.path(), &seeds, &mut |_| {}).unwrap();
        let engine = Arc::new(Engine::open(dir.path()).unwrap());
        let app = router(engine, ServerOptions::default());
        for uri in [
            "/search?q=Iravani",
            "/articles/nope",
            "/nope",
            "/articles/../../etc",
        ] {
            let req = Request::get(uri).body(Body::empty()).unwrap();
            app.clone().oneshot(req).await.unwrap();
        }
        let req = Request::get("/metrics").body(Body::empty()).unwrap();
        let body = app.oneshot(req).await.unwrap().into_body();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("byline_requests_total{"))
            .collect();
        assert_eq!(
            lines,
            [
                r#"byline_requests_total{route="/articles/{id}",status="404"} 1"#,
                r#"byline_requests_total{route="/search",status="200"} 1"#,
                r#"byline_requests_total{route="unmatched",status="404"} 2"#,
            ]
        );
    }
}
