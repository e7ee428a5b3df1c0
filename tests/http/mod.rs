//! The HTTP service, tested through its router without a socket (tower `oneshot`), plus one
//! test on a real loopback socket.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use byline::server::{router, ServerOptions};
use byline::Engine;

use crate::util::{seed, seeds_engine, shared_seeds, TestIndex, S000, S001, S002, S003};

fn app(idx: &TestIndex, options: ServerOptions) -> axum::Router {
    router(Arc::new(Engine::open(idx.path()).unwrap()), options)
}

/// The service on the shared seeds index.
fn seeds_app(options: ServerOptions) -> axum::Router {
    router(Arc::new(seeds_engine().clone()), options)
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let response = app.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let (status, body) = call(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (
        status,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    )
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn search_over_http_returns_what_the_cli_returns() {
    let idx = shared_seeds();
    let app = seeds_app(ServerOptions::default());
    let (status, body) = get(&app, "/search?q=Iravani&passages=3").await;
    assert_eq!(status, StatusCode::OK);
    let cli = idx.search("Iravani", &["--passages", "3"]).records();
    let http_hits = body["hits"].as_array().unwrap();
    let cli_hits: Vec<&Value> = cli.iter().filter(|r| r["type"] == "hit").collect();
    assert_eq!(http_hits.len(), 4);
    for (h, c) in http_hits.iter().zip(&cli_hits) {
        assert_eq!((&h["id"], &h["passages"]), (&c["id"], &c["passages"]));
    }
    assert_eq!(body["summary"]["articles"], 4);
    let (_, f) = get(
        &app,
        "/search?q=sanctions&facets=outlet,person&entity=person:Pezeshkian",
    )
    .await;
    let ids: Vec<&str> = f["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(f["summary"]["facets"]["outlet"].is_array());
}

#[tokio::test]
async fn every_bad_input_gets_its_status_and_a_json_error() {
    let app = seeds_app(ServerOptions::default());
    let deep = format!("/search?q={}Musk{}", "%28".repeat(2000), "%29".repeat(500));
    let long = format!("/search?q={}", "x".repeat(9000));
    let long_query = format!("/search?q={}", "x".repeat(5000));
    let cases: Vec<(String, StatusCode, &str, &str)> = vec![
        (
            "/search?q=AND+OR+(%22".into(),
            StatusCode::BAD_REQUEST,
            "bad_query",
            "nothing in",
        ),
        (
            "/search".into(),
            StatusCode::BAD_REQUEST,
            "bad_query",
            "q parameter is required",
        ),
        (
            deep,
            StatusCode::BAD_REQUEST,
            "bad_query",
            "brackets nest 2000 deep",
        ),
        (
            "/search?q=Musk&limit=10000000000".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "limit 10000000000 is out of range",
        ),
        (
            "/search?q=Musk&limit=ten".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "limit must be a whole number",
        ),
        (
            "/search?q=Musk&offset=99999999999".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "offset",
        ),
        (
            "/search?q=Musk&since=15-11-2024".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "since must be a date",
        ),
        (
            "/search?q=Musk&entity=colour:red".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "not a kind",
        ),
        (
            "/search?q=Musk&facets=colour".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "unknown facet",
        ),
        (
            "/search?q=Musk&exact=maybe".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "exact must be true or false",
        ),
        (
            "/search?q=%FF%FE".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "not valid UTF-8",
        ),
        (
            "/entities?kind=animal".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "not a kind",
        ),
        (
            "/search?q=Musk&lmit=3".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "unknown parameter \"lmit\"; this route takes q, limit, offset",
        ),
        (
            "/search?q=Musk&lang=klingon".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "lang \"klingon\" is not a language byline knows",
        ),
        (
            "/entities?limit=0".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "limit 0 is out of range: 1 to 10000",
        ),
        (
            "/facets?facet_limit=0".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "facet_limit 0 is out of range",
        ),
        (
            "/articles/nope".into(),
            StatusCode::NOT_FOUND,
            "not_found",
            "no article with id \"nope\"",
        ),
        (
            "/articles/..%2F..%2Fetc%2Fpasswd".into(),
            StatusCode::NOT_FOUND,
            "not_found",
            "no article with id",
        ),
        (
            // Found by the http_query fuzzer: axum answered this in plain text.
            "/articles/%ff".into(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            "article id: Invalid URL: Invalid UTF-8 in `id`",
        ),
        (
            "/no/such/route".into(),
            StatusCode::NOT_FOUND,
            "not_found",
            "no such route",
        ),
        (
            long,
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            "the limit is 8192",
        ),
        (
            long_query,
            StatusCode::BAD_REQUEST,
            "bad_query",
            "query is 5000 bytes long; the limit is 4096",
        ),
    ];
    for (uri, status, code, message) in cases {
        let (got, body) = get(&app, &uri).await;
        assert_eq!(
            (got, error_code(&body)),
            (status, code),
            "{}: {body}",
            &uri[..uri.len().min(60)]
        );
        assert!(
            body["error"]["message"].as_str().unwrap().contains(message),
            "{body}"
        );
    }
    for (method, uri) in [
        ("PUT", "/search?q=Musk"),
        ("POST", "/healthz"),
        ("GET", "/screen"),
    ] {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let (status, body) = call(&app, req).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
        assert!(body.contains("method_not_allowed"), "{body}");
    }
    let big = Request::get("/search?q=Musk")
        .header("content-length", "100000")
        .body(Body::empty())
        .unwrap();
    let (status, body) = call(&app, big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
}

#[tokio::test]
async fn overload_and_timeout_are_503() {
    let drained = seeds_app(ServerOptions {
        max_concurrent: 0,
        ..ServerOptions::default()
    });
    let (status, body) = get(&drained, "/search?q=Musk").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::SERVICE_UNAVAILABLE, "overloaded")
    );
    let hasty = seeds_app(ServerOptions {
        timeout: Duration::ZERO,
        ..ServerOptions::default()
    });
    let (status, body) = get(&hasty, "/search?q=Musk").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::SERVICE_UNAVAILABLE, "timeout")
    );
}

#[tokio::test]
async fn the_api_key_guards_every_route_but_the_page_and_probes() {
    let app = seeds_app(ServerOptions {
        api_key: Some("s3cret".into()),
        ..ServerOptions::default()
    });
    let with = |name: &str, value: &str| {
        Request::get("/search?q=Musk")
            .header(name, value)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        get(&app, "/search?q=Musk").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(get(&app, "/metrics").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&app, "/facets").await.0, StatusCode::UNAUTHORIZED);
    // The page loads without one: it asks for the key and sends it as a header.
    let (status, page) = call(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("sessionStorage")
            && page.contains(r#"<meta name="byline-key" content="required">"#)
    );
    let post = Request::post("/search")
        .header("x-api-key", "s3cret")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"q": "Musk"}"#))
        .unwrap();
    assert_eq!(call(&app, post).await.0, StatusCode::OK);
    assert_eq!(
        call(&app, with("authorization", "Bearer s3cret")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        call(&app, with("x-api-key", "s3cret")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        call(&app, with("x-api-key", "s3cre")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(&app, with("authorization", "s3cret")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = get(&app, "/healthz").await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
}

#[tokio::test]
async fn articles_facets_entities_health_metrics_and_page() {
    let app = seeds_app(ServerOptions::default());
    let (status, a) = get(&app, &format!("/articles/{S000}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        a["text"].as_str().unwrap().as_bytes(),
        seed(&format!("{S000}.txt"))
    );
    let (_, f) = get(&app, "/facets?facets=person&q=Iravani").await;
    assert_eq!(f["articles"], 4);
    assert!(f["facets"]["person"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["value"] == "Amir Saeid Iravani" && v["count"] == 4));
    let (_, all) = get(&app, "/facets").await;
    assert_eq!(all["articles"], 5);
    let (_, e) = get(&app, "/entities?kind=person").await;
    let people = e["entities"].as_array().unwrap();
    assert!(people.iter().all(|x| x["kind"] == "person"));
    assert_eq!(e["total"].as_u64(), Some(people.len() as u64));
    // Most mentioned first; `limit` cuts the list, `total` still counts them all.
    let counts: Vec<u64> = people
        .iter()
        .map(|x| x["articles"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let (_, two) = get(&app, "/entities?kind=person&limit=2").await;
    assert_eq!(two["entities"].as_array().unwrap().len(), 2);
    assert_eq!(two["total"], e["total"]);
    assert_eq!(two["entities"][1], people[1]);
    let (_, h) = get(&app, "/healthz").await;
    assert_eq!(
        (h["articles"].as_u64(), h["passages"].as_u64()),
        (Some(5), Some(54))
    );
    let (status, m) = get(&app, "/metrics").await;
    let m = m.as_str().unwrap().to_string();
    assert_eq!(status, StatusCode::OK);
    assert!(
        m.contains("byline_requests_total{route=\"/articles/{id}\",status=\"200\"} 1"),
        "{m}"
    );
    assert!(
        m.contains("byline_index_articles 5")
            && m.contains("byline_request_duration_seconds_bucket{le=\"+Inf\"}"),
        "{m}"
    );
    let (status, page) = call(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<form id=\"form\" role=\"search\">")
            && page.contains(r#"<meta name="byline-key" content="none">"#)
            && !page.contains("http://")
            && !page.contains("https://")
    );
}

#[tokio::test]
async fn a_running_server_sees_later_commits() {
    let idx = TestIndex::seeds();
    let app = app(&idx, ServerOptions::default());
    assert_eq!(get(&app, "/healthz").await.1["articles"], 5);
    let dir = crate::util::folder(&[("late.txt", b"A late article about Iravani.")]);
    assert_eq!(idx.index(&[dir.path().to_path_buf()]).code, 0);
    // The reader reloads shortly after the commit: polled for up to a minute.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut seen = 0;
    while seen != 6 && std::time::Instant::now() < deadline {
        seen = get(&app, "/healthz").await.1["articles"].as_u64().unwrap();
        if seen != 6 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert_eq!(seen, 6);
    let (_, body) = get(&app, "/search?q=Iravani&limit=10").await;
    assert_eq!(body["summary"]["articles"], 5);
}

#[tokio::test]
async fn a_real_socket_on_loopback() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let idx = shared_seeds();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = seeds_app(ServerOptions::default());
    let server = tokio::spawn(async move { axum::serve(listener, service).await });
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"GET /search?q=Iravani HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    for id in [S000, S001, S002, S003] {
        assert!(response.contains(id));
    }
    server.abort();
    // Binding beyond loopback without a key is refused before anything listens.
    let engine = Arc::new(Engine::open(idx.path()).unwrap());
    let err = byline::server::serve(
        engine,
        ServerOptions::default(),
        "0.0.0.0:0".parse().unwrap(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("requires an API key"), "{err}");
}

/// Polls `/readyz` until `done` holds for its body, for at most a minute: the last body.
async fn until_ready(app: &axum::Router, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (_, body) = get(app, "/readyz").await;
        if done(&body) {
            return body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {body} after a minute"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// With one search slot taken, the other searches wait in the queue (seen waiting in
/// `/readyz` and `/metrics`, none answered), and each is answered once the slot is free.
#[test]
fn searches_beyond_the_concurrency_limit_wait_their_turn() {
    // A runtime with one blocking thread, which the test holds: the first search takes the
    // slot and its task queues behind the holder, so the slot stays taken until the test
    // lets go, however fast the machine.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let app = seeds_app(ServerOptions {
            max_concurrent: 1,
            max_queued: 64,
            timeout: Duration::from_secs(600),
            ..ServerOptions::default()
        });
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (holding, taken) = tokio::sync::oneshot::channel::<()>();
        let holder = tokio::task::spawn_blocking(move || {
            holding.send(()).unwrap();
            held.recv().unwrap();
        });
        taken.await.unwrap();
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move { get(&app, "/search?q=Iravani+Musk&passages=5").await.0 })
            })
            .collect();
        let busy = until_ready(&app, |r| r["waiting"] == 7).await;
        assert_eq!(
            busy,
            serde_json::json!({"status": "ready", "articles": 5, "passages": 54,
                "running": 1, "waiting": 7, "max_concurrent": 1, "max_queued": 64})
        );
        let (status, metrics) =
            call(&app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            metrics.contains("byline_searches_running 1\n")
                && metrics.contains("byline_searches_waiting 7\n"),
            "{metrics}"
        );
        assert!(
            calls.iter().all(|c| !c.is_finished()),
            "answered while the slot was taken"
        );
        release.send(()).unwrap();
        holder.await.unwrap();
        for call in calls {
            assert_eq!(call.await.unwrap(), StatusCode::OK);
        }
        let idle = until_ready(&app, |r| r["running"] == 0).await;
        assert_eq!(
            (&idle["running"], &idle["waiting"]),
            (&Value::from(0), &Value::from(0))
        );
    });
}

/// The answer's status and CORS headers.
async fn cors_headers(
    app: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, Vec<(String, String)>) {
    let r = app.clone().oneshot(req).await.unwrap();
    let mut headers: Vec<(String, String)> = r
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str().starts_with("access-control-"))
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    headers.sort();
    (r.status(), headers)
}

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method("OPTIONS")
        .uri("/search")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "x-api-key, content-type")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn cors_answers_preflights_for_the_named_origins_only() {
    let header = |k: &str, v: &str| (k.to_string(), v.to_string());
    let from = |origin: &str| {
        Request::get("/healthz")
            .header("origin", origin)
            .body(Body::empty())
            .unwrap()
    };
    // No origins named: no CORS headers, and a preflight is a method this API does not take.
    let plain = seeds_app(ServerOptions::default());
    assert_eq!(
        cors_headers(&plain, from("https://desk.example")).await,
        (StatusCode::OK, vec![])
    );
    assert_eq!(
        cors_headers(&plain, preflight("https://desk.example")).await,
        (StatusCode::METHOD_NOT_ALLOWED, vec![])
    );
    // One origin named, behind a key: preflights need no key (browsers never send one).
    let asked = seeds_app(ServerOptions {
        cors_origins: vec!["https://desk.example".into()],
        api_key: Some("s3cret".into()),
        ..ServerOptions::default()
    });
    let allowed = vec![
        header(
            "access-control-allow-headers",
            "authorization,content-type,x-api-key",
        ),
        header("access-control-allow-methods", "GET,POST"),
        header("access-control-allow-origin", "https://desk.example"),
        header("access-control-max-age", "600"),
    ];
    assert_eq!(
        cors_headers(&asked, preflight("https://desk.example")).await,
        (StatusCode::NO_CONTENT, allowed)
    );
    // Another origin's preflight gets no permission to read.
    let (status, headers) = cors_headers(&asked, preflight("https://evil.example")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        !headers
            .iter()
            .any(|(k, _)| k == "access-control-allow-origin"),
        "{headers:?}"
    );
    // The request itself still needs the key; its answer names the origin.
    let search = |key: Option<&str>| {
        let mut r = Request::post("/search")
            .header("origin", "https://desk.example")
            .header("content-type", "application/json");
        if let Some(k) = key {
            r = r.header("x-api-key", k);
        }
        r.body(Body::from(r#"{"q": "Iravani"}"#)).unwrap()
    };
    let origin = header("access-control-allow-origin", "https://desk.example");
    let (status, headers) = cors_headers(&asked, search(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.contains(&origin), "{headers:?}");
    let (status, headers) = cors_headers(&asked, search(Some("s3cret"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.contains(&origin), "{headers:?}");
    // "*" lets any origin in.
    let any = seeds_app(ServerOptions {
        cors_origins: vec!["*".into()],
        ..ServerOptions::default()
    });
    let (_, headers) = cors_headers(&any, from("https://elsewhere.example")).await;
    assert_eq!(headers, [header("access-control-allow-origin", "*")]);
}

#[tokio::test]
async fn post_with_a_json_body_answers_as_get_with_a_query_string() {
    let app = seeds_app(ServerOptions::default());
    let post = |uri: &str, body: &str| {
        Request::post(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let pairs = [
        (
            "/search?q=sanctions&limit=2&passages=2&entity=person%3APezeshkian&facets=outlet",
            "/search",
            r#"{"q": "sanctions", "limit": 2, "passages": 2, "entity": ["person:Pezeshkian"],
                "facets": "outlet"}"#,
        ),
        (
            "/facets?q=Iravani&facets=person,outlet&facet_limit=3",
            "/facets",
            r#"{"q": "Iravani", "facets": "person,outlet", "facet_limit": 3}"#,
        ),
        (
            "/timeline?q=Iravani&q=Musk&by=month",
            "/timeline",
            r#"{"q": ["Iravani", "Musk"], "by": "month"}"#,
        ),
        (
            "/entities?kind=person&limit=3",
            "/entities",
            r#"{"kind": "person", "limit": 3}"#,
        ),
        (
            &format!("/articles/{S000}"),
            &format!("/articles/{S000}"),
            "",
        ),
    ];
    for (get_uri, post_uri, body) in pairs {
        let (gs, g) = call(&app, Request::get(get_uri).body(Body::empty()).unwrap()).await;
        let (ps, p) = call(&app, post(post_uri, body)).await;
        assert_eq!(gs, StatusCode::OK, "{get_uri}: {g}");
        let took = |s: &str| {
            let mut v: Value = serde_json::from_str(s).unwrap();
            // Timings differ from one run to the next.
            if let Some(summary) = v.get_mut("summary").and_then(Value::as_object_mut) {
                summary.remove("elapsed_ms");
            }
            v
        };
        assert_eq!((ps, took(&p)), (gs, took(&g)), "{post_uri} {body}");
    }
    // A body that is not a JSON object of parameters, or not JSON at all.
    let text = Request::post("/search")
        .header("content-type", "text/plain")
        .body(Body::from("q=Musk"))
        .unwrap();
    let (status, body) = call(&app, text).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert!(body.contains("\"unsupported_media_type\""), "{body}");
    for (body, message) in [
        ("[\"Musk\"]", "the body must be a JSON object of parameters"),
        ("{\"q\": ", "the body is not JSON"),
        ("{\"q\": {\"a\": 1}}", "parameter \"q\" must be a string"),
        (
            "{\"q\": \"Musk\", \"lmit\": 3}",
            "unknown parameter \"lmit\"",
        ),
        ("{}", "the q parameter is required"),
    ] {
        let (status, answer) = call(&app, post("/search", body)).await;
        let answer: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        let got = answer["error"]["message"].as_str().unwrap();
        assert!(got.starts_with(message), "{body}: {got}");
    }
}

#[tokio::test]
async fn health_readiness_and_metrics_never_wait_for_a_search_slot() {
    // No search slot at all (a drain mode): searches are refused, health still answers.
    let drained = seeds_app(ServerOptions {
        max_concurrent: 0,
        api_key: Some("k".into()),
        ..ServerOptions::default()
    });
    assert_eq!(
        get(&drained, "/search?q=Musk").await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, h) = get(&drained, "/healthz").await;
    assert_eq!(
        (status, h["status"].as_str(), h["articles"].as_u64()),
        (StatusCode::OK, Some("ok"), Some(5))
    );
    // Readiness needs no key either (load balancers probe it), and says why it is not ready.
    let (status, r) = get(&drained, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        r,
        serde_json::json!({"status": "overloaded", "articles": 5, "passages": 54,
            "running": 0, "waiting": 0, "max_concurrent": 0, "max_queued": 64})
    );
    let ready = seeds_app(ServerOptions::default());
    let (status, r) = get(&ready, "/readyz").await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("ready"))
    );
    let metrics = call(
        &drained,
        Request::get("/metrics")
            .header("x-api-key", "k")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(metrics.0, StatusCode::OK);
    assert!(
        metrics.1.contains("byline_index_articles 5\n")
            && metrics.1.contains("byline_searches_running 0\n")
            && metrics.1.contains("byline_searches_waiting 0\n"),
        "{}",
        metrics.1
    );
}

#[tokio::test]
async fn facet_values_filter_over_http_as_returned() {
    let dir = crate::util::folder(&[(
        "a.jsonl",
        br#"{"id":"ap","text":"Iravani at the council.","outlet":"AP/Reuters","date":"2024-11-15"}
{"id":"nobody","text":"Iravani again, no outlet.","date":"2024-12-02"}
{"id":"undated","text":"Iravani undated.","outlet":"AP/Reuters"}
"#,
    )]);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    let app = app(&idx, ServerOptions::default());
    let (_, body) = get(&app, "/search?q=Iravani&facets=outlet,date").await;
    let values = |dim: &str| -> Vec<String> {
        body["summary"]["facets"][dim]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(values("outlet"), ["AP/Reuters", "unknown"]);
    assert_eq!(values("date"), ["2024-11-15", "2024-12-02", "unknown"]);
    let ids = |body: &Value| -> Vec<String> {
        let mut v: Vec<String> = body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let (_, b) = get(&app, "/search?q=Iravani&outlet=AP%2FReuters").await;
    assert_eq!(ids(&b), ["ap", "undated"]);
    let (_, b) = get(&app, "/search?q=Iravani&outlet=unknown").await;
    assert_eq!(ids(&b), ["nobody"]);
    let (_, b) = get(&app, "/search?q=Iravani&date=unknown&date=2024-11-15").await;
    assert_eq!(ids(&b), ["ap", "undated"]);
    // /facets takes the search's filters, with or without a query.
    let (_, f) = get(&app, "/facets?outlet=AP%2FReuters&facets=date,outlet").await;
    assert_eq!(f["articles"], 2, "{f}");
    assert_eq!(
        f["facets"]["date"],
        serde_json::json!([
        {"value": "2024-11-15", "count": 1}, {"value": "unknown", "count": 1}])
    );
    let (_, f) = get(&app, "/facets?q=again&date=2024-12-02&facets=outlet").await;
    assert_eq!(f["articles"], 1, "{f}");
    assert_eq!(
        f["facets"]["outlet"],
        serde_json::json!([{"value": "unknown", "count": 1}])
    );
    let (_, f) = get(&app, "/facets?since=2024-12-01&facets=date&facet_limit=1").await;
    assert_eq!(
        f["facets"]["date"],
        serde_json::json!([{"value": "2024-12-02", "count": 1}])
    );
    let (status, b) = get(&app, "/search?q=Iravani&date=yesterday").await;
    assert_eq!(
        (status, error_code(&b)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
}

#[tokio::test]
async fn the_openapi_document_names_every_route_with_its_methods() {
    let app = seeds_app(ServerOptions {
        api_key: Some("k".into()),
        ..ServerOptions::default()
    });
    // Served without the key, as the page is.
    let (status, doc) = get(&app, "/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let routes = byline::server::openapi::routes();
    let mut documented: Vec<&str> = paths.keys().map(String::as_str).collect();
    let mut listed: Vec<&str> = routes.iter().map(|(p, _)| *p).collect();
    documented.sort_unstable();
    listed.sort_unstable();
    assert_eq!(documented, listed);
    for (path, methods) in &routes {
        let mut in_doc: Vec<&str> = paths[*path]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        in_doc.sort_unstable();
        assert_eq!(&in_doc, methods, "{path}");
        // Each documented method reaches a handler (not the 404 or 405 fallbacks); the
        // others are refused with 405.
        let uri = path.replace("{id}", S000);
        for method in ["GET", "POST", "PUT", "DELETE"] {
            let req = Request::builder()
                .method(method)
                .uri(&uri)
                .header("x-api-key", "k")
                .header("content-type", "application/json")
                .body(Body::from(if *path == "/screen" { "Iravani" } else { "" }))
                .unwrap();
            let (status, body) = call(&app, req).await;
            let documented = methods.contains(&method.to_lowercase().as_str());
            assert_eq!(
                status == StatusCode::METHOD_NOT_ALLOWED,
                !documented,
                "{method} {uri}: {status} {body}"
            );
            assert!(!body.contains("no such route"), "{method} {uri}: {body}");
        }
    }
    // A 405 says what the route takes.
    for (uri, allow) in [
        ("/search", "GET, POST"),
        (&format!("/articles/{S000}/similar") as &str, "GET, POST"),
        ("/screen", "POST"),
        ("/healthz", "GET"),
    ] {
        let req = Request::builder()
            .method("DELETE")
            .uri(uri)
            .header("x-api-key", "k")
            .body(Body::empty())
            .unwrap();
        let r = app.clone().oneshot(req).await.unwrap();
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(r.headers()["allow"], allow, "{uri}");
    }
    // Every parameter the search route takes is documented with a schema.
    let params: Vec<&str> = paths["/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(params.contains(&"person") && params.contains(&"cursor") && params.len() == 22);
}
