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
//! and each request is answered within [`ServerOptions::timeout`], waiting included (else 503); a URI over
//! [`MAX_URI_BYTES`] gets 414 and a request body over [`MAX_BODY_BYTES`] 413. Binding
//! anything but loopback requires an API key, checked in constant time on every route but
//! `/healthz` (`Authorization: Bearer KEY` or `X-API-Key: KEY`).

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::entities::Kind;
use crate::error::Error;
use crate::facets;
use crate::search::{Engine, SearchRequest};

mod errors;
mod metrics;
mod params;

pub use errors::ApiError;
use metrics::Metrics;
use params::{entity_param, params, Params};

/// Entities `/entities` lists by default, most mentioned first.
pub const ENTITIES_LIMIT: usize = 100;
/// Most entities `/entities` lists.
pub const MAX_ENTITIES_LIMIT: usize = 10_000;
/// Longest request URI accepted (414 beyond).
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest request body accepted (413 beyond); every route is a GET.
pub const MAX_BODY_BYTES: u64 = 64 * 1024;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Required on every route but `/healthz`, when set.
    pub api_key: Option<String>,
    /// Searches running at once (0 refuses all: a drain mode).
    pub max_concurrent: usize,
    /// Searches waiting for a free slot; beyond that a request gets 503 at once.
    pub max_queued: usize,
    /// Longest a search may take before the request gets 503.
    pub timeout: Duration,
    /// Send `Access-Control-Allow-Origin` with this value (no CORS when None).
    pub cors_origin: Option<String>,
    /// Longest a client may take to send a request's headers, from its first byte or from
    /// the end of its previous request on a kept-alive connection; then the connection is
    /// closed without an answer (a slow or idle client holds nothing longer).
    pub header_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            api_key: None,
            max_concurrent: 2 * std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_queued: 64,
            timeout: Duration::from_secs(10),
            cors_origin: None,
            header_timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Clone)]
struct AppState {
    engine: Arc<Engine>,
    options: Arc<ServerOptions>,
    searches: Arc<Semaphore>,
    waiting: Arc<std::sync::atomic::AtomicUsize>,
    metrics: Arc<Metrics>,
}

/// Builds the service: every route, the error fallbacks and the middleware.
pub fn router(engine: Arc<Engine>, options: ServerOptions) -> Router {
    let state = AppState {
        searches: Arc::new(Semaphore::new(options.max_concurrent)),
        waiting: Arc::new(std::sync::atomic::AtomicUsize::new(0)),
        engine,
        options: Arc::new(options),
        metrics: Arc::new(Metrics::default()),
    };
    Router::new()
        .route("/", get(page))
        .route("/search", get(search))
        .route("/articles/{id}", get(article))
        .route("/facets", get(facet_counts))
        .route("/entities", get(entities))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "only GET is served",
            )
        })
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Binds `addr` and serves until interrupted.
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
    eprintln!("byline: serving http://{local}/");
    let header_timeout = options.header_timeout;
    // The entity list reads every article's record: make it before the first request asks.
    let warm = engine.clone();
    tokio::task::spawn_blocking(move || warm.entities(None));
    let app = router(engine, options);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut interrupted = std::pin::pin!(tokio::signal::ctrl_c());
    loop {
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
            _ = &mut interrupted => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(
                hyper_util::rt::TokioIo::new(stream),
                hyper_util::service::TowerToHyperService::new(app.clone()),
            );
        let connection = graceful.watch(connection);
        // A connection's end, timed out or reset by its client, concerns that client only.
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    // Requests in flight finish (for as long as a search may take); new ones are not read.
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    Ok(())
}

/// How long an interrupted server waits for the requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Size limits, the API key, CORS and metrics, around every request.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_label(req.uri().path());
    let response = check(&state, &req).map_or_else(|| None, Some);
    let mut response = match response {
        Some(refused) => refused.into_response(),
        None => next.run(req).await,
    };
    if let Some(origin) = &state.options.cors_origin {
        if let Ok(v) = HeaderValue::from_str(origin) {
            response
                .headers_mut()
                .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
        }
    }
    state
        .metrics
        .record(route, response.status().as_u16(), started.elapsed());
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
    if req.uri().path() != "/healthz" {
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

fn route_label(path: &str) -> &'static str {
    match path {
        "/" => "/",
        "/search" => "/search",
        "/facets" => "/facets",
        "/entities" => "/entities",
        "/healthz" => "/healthz",
        "/metrics" => "/metrics",
        p if p.starts_with("/articles/") => "/articles/{id}",
        _ => "unmatched",
    }
}

/// Runs `f` on the blocking pool: waits for one of the `max_concurrent` slots (in a queue of
/// at most `max_queued`), and answers within the timeout, waiting included.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Engine) -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let overloaded = || {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "too many searches at once; try again",
        )
    };
    let timed_out = || {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "the search took too long",
        )
    };
    let deadline = tokio::time::Instant::now() + state.options.timeout;
    let permit = match state.searches.clone().try_acquire_owned() {
        Ok(p) => p,
        Err(_) if state.options.max_concurrent == 0 => return Err(overloaded()),
        Err(_) => {
            if state.waiting.fetch_add(1, Ordering::SeqCst) >= state.options.max_queued {
                state.waiting.fetch_sub(1, Ordering::SeqCst);
                return Err(overloaded());
            }
            let waited =
                tokio::time::timeout_at(deadline, state.searches.clone().acquire_owned()).await;
            state.waiting.fetch_sub(1, Ordering::SeqCst);
            match waited {
                Ok(Ok(p)) => p,
                Ok(Err(_)) => return Err(overloaded()),
                Err(_) => return Err(timed_out()),
            }
        }
    };
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

async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params(params(raw.as_deref())?);
    p.only(&[
        "q",
        "limit",
        "offset",
        "passages",
        "outlet",
        "since",
        "until",
        "undated",
        "entity",
        "lang",
        "facets",
        "facet_limit",
        "exact",
        "all",
    ])?;
    let q = p.one("q").unwrap_or("").to_string();
    if q.trim().is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_query",
            "the q parameter is required",
        ));
    }
    let mut req = SearchRequest::new(q);
    req.limit = p.number("limit", 10)?;
    req.offset = p.number("offset", 0)?;
    req.passages = p.number("passages", 1)?;
    req.filters.outlets = p.all("outlet");
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
        .map(|e| entity_param(e))
        .collect::<Result<_, _>>()?;
    req.facets = p.facets()?;
    req.facet_limit = p.number("facet_limit", facets::TOP_VALUES)?;
    req.exact = p.flag("exact")?;
    req.all_words = p.flag("all")?;
    let results = blocking(&state, move |engine| engine.search(&req)).await?;
    Ok(Json(results).into_response())
}

async fn article(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, ApiError> {
    // axum's own rejection is plain text; every error here is the JSON document.
    let Path(id) = id.map_err(|e| ApiError::bad(format!("article id: {}", e.body_text())))?;
    let view = blocking(&state, move |engine| engine.article(&id)).await?;
    Ok(Json(view).into_response())
}

#[derive(Serialize)]
struct FacetsBody {
    articles: u64,
    facets: std::collections::BTreeMap<String, Vec<facets::FacetValue>>,
}

async fn facet_counts(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params(params(raw.as_deref())?);
    p.only(&["q", "facets", "facet_limit"])?;
    let mut dims = p.facets()?;
    if dims.is_empty() {
        dims = facets::DIMENSIONS.iter().map(|d| d.to_string()).collect();
    }
    let limit = p.number("facet_limit", facets::TOP_VALUES)?;
    let q = p
        .one("q")
        .map(str::to_string)
        .filter(|q| !q.trim().is_empty());
    let body = blocking(&state, move |engine| {
        if !(1..=facets::MAX_VALUES).contains(&limit) {
            return Err(Error::InvalidArgument(format!(
                "facet_limit {limit} is out of range: 1 to {}",
                facets::MAX_VALUES
            )));
        }
        match q {
            Some(q) => {
                let mut req = SearchRequest::new(q);
                req.facets = dims;
                req.facet_limit = limit;
                let r = engine.search(&req)?;
                Ok(FacetsBody {
                    articles: r.summary.articles,
                    facets: r.summary.facets.unwrap_or_default(),
                })
            }
            None => Ok(FacetsBody {
                articles: engine.counts()?.0,
                facets: engine.facet_counts(&dims, limit)?,
            }),
        }
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

async fn entities(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params(params(raw.as_deref())?);
    p.only(&["kind", "limit"])?;
    let limit = p.number("limit", ENTITIES_LIMIT)?;
    if limit == 0 || limit > MAX_ENTITIES_LIMIT {
        return Err(ApiError::bad(format!(
            "limit {limit} is out of range: 1 to {MAX_ENTITIES_LIMIT}"
        )));
    }
    let kind =
        match p.one("kind") {
            None | Some("") => None,
            Some(k) => Some(Kind::parse(k).ok_or_else(|| {
                ApiError::bad(format!("{k:?} is not a kind: person, org or place"))
            })?),
        };
    let list = blocking(&state, move |engine| engine.entities(kind)).await?;
    Ok(Json(EntitiesBody {
        total: list.len(),
        entities: list.into_iter().take(limit).collect(),
    })
    .into_response())
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    articles: u64,
    passages: u64,
}

async fn healthz(State(state): State<AppState>) -> Result<Response, ApiError> {
    let (articles, passages) = blocking(&state, |engine| engine.counts()).await?;
    Ok(Json(Health {
        status: "ok",
        articles,
        passages,
    })
    .into_response())
}

async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let (articles, passages) = blocking(&state, |engine| engine.counts()).await?;
    let text = state.metrics.render(articles, passages);
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response())
}

async fn page() -> Html<&'static str> {
    Html(include_str!("page.html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_label_their_metrics() {
        assert_eq!(route_label("/articles/../../etc/passwd"), "/articles/{id}");
        assert_eq!(route_label("/nope"), "unmatched");
    }
}
