//! The OpenAPI 3.1 document of the HTTP API, served at `/openapi.json`: every route, its
//! parameters, answers and errors. The parameter lists here are the ones the handlers hold
//! requests to (`Params::only`), so the document cannot name a parameter a route refuses or
//! miss one it takes; a test holds the routes equal to the router's, and schemathesis
//! (`tests/http/contract.sh`, run by `.ci/run`) checks real answers against the schemas.

use serde_json::{json, Map, Value};

/// The filters and matching options every search-like route takes.
pub(super) const REQUEST: &[&str] = &[
    "q",
    "outlet",
    "date",
    "since",
    "until",
    "undated",
    "entity",
    "person",
    "org",
    "place",
    "lang",
    "exact",
    "no_scripts",
    "all",
    "sort",
];
/// `/search`.
pub(super) const SEARCH: &[&str] = &[
    "q",
    "limit",
    "offset",
    "passages",
    "outlet",
    "date",
    "since",
    "until",
    "undated",
    "entity",
    "person",
    "org",
    "place",
    "lang",
    "facets",
    "facet_limit",
    "exact",
    "no_scripts",
    "all",
    "collapse",
    "sort",
    "cursor",
];
/// `/export`, besides [`REQUEST`].
pub(super) const EXPORT: &[&str] = &["passages", "collapse", "format", "fields"];
/// `/timeline`, besides [`REQUEST`].
pub(super) const TIMELINE: &[&str] = &["by"];
/// `/facets`, besides [`REQUEST`].
pub(super) const FACETS: &[&str] = &["facets", "facet_limit"];
/// `/entities`.
pub(super) const ENTITIES: &[&str] = &["kind", "limit", "with"];
/// `/articles/{id}`.
pub(super) const ARTICLE: &[&str] = &["q", "exact", "no_scripts"];
/// `/articles/{id}/similar`.
pub(super) const SIMILAR: &[&str] = &["limit"];
/// `POST /screen`.
pub(super) const SCREEN: &[&str] = &["exact", "no_scripts"];

/// One operation of the document.
struct Operation {
    path: &'static str,
    /// Takes GET, and POST with its parameters as a JSON object.
    post_too: bool,
    id: &'static str,
    summary: &'static str,
    params: Vec<&'static str>,
    required: &'static [&'static str],
    /// The 200 answer: content type and schema.
    answer: (&'static str, Value),
    /// Errors besides those of every route.
    errors: &'static [u16],
}

fn operations() -> Vec<Operation> {
    let with = |own: &[&'static str]| -> Vec<&'static str> {
        REQUEST.iter().chain(own).copied().collect()
    };
    let json_of = |name: &str| ("application/json", reference(name));
    vec![
        Operation {
            path: "/search",
            post_too: true,
            id: "search",
            summary: "Ranked passages grouped by article, with facets",
            params: SEARCH.to_vec(),
            required: &["q"],
            answer: json_of("SearchResults"),
            errors: &[400],
        },
        Operation {
            path: "/export",
            post_too: true,
            id: "export",
            summary: "Every article a query matches, streamed as JSON Lines or CSV",
            params: with(EXPORT),
            required: &["q"],
            answer: ("application/x-ndjson", json!({"type": "string"})),
            errors: &[400],
        },
        Operation {
            path: "/timeline",
            post_too: true,
            id: "timeline",
            summary: "Articles per day, week or month for each query",
            params: with(TIMELINE),
            required: &["q"],
            answer: json_of("Timeline"),
            errors: &[400],
        },
        Operation {
            path: "/facets",
            post_too: true,
            id: "facets",
            summary: "Article counts per facet value, over all articles or a search's",
            params: with(FACETS),
            required: &[],
            answer: json_of("FacetCounts"),
            errors: &[400],
        },
        Operation {
            path: "/entities",
            post_too: true,
            id: "entities",
            summary: "The people, organisations and places found, most mentioned first",
            params: ENTITIES.to_vec(),
            required: &[],
            answer: (
                "application/json",
                json!({"oneOf": [
                reference("EntityList"), reference("CoMentioned")]}),
            ),
            errors: &[400],
        },
        Operation {
            path: "/articles/{id}",
            post_too: true,
            id: "article",
            summary: "One article: text, metadata with provenance, entities, copies",
            params: ARTICLE.to_vec(),
            required: &[],
            answer: json_of("Article"),
            errors: &[400, 404],
        },
        Operation {
            path: "/articles/{id}/similar",
            post_too: true,
            id: "similar",
            summary: "The articles most like one, its copies apart",
            params: SIMILAR.to_vec(),
            required: &[],
            answer: json_of("Similar"),
            errors: &[400, 404],
        },
        Operation {
            path: "/screen",
            post_too: false,
            id: "screen",
            summary: "Screen a watch-list (the body: a name or query a line, or CSV)",
            params: SCREEN.to_vec(),
            required: &[],
            answer: ("application/x-ndjson", json!({"type": "string"})),
            errors: &[400],
        },
        Operation {
            path: "/healthz",
            post_too: false,
            id: "healthz",
            summary: "Liveness (never needs the key, never waits)",
            params: vec![],
            required: &[],
            answer: json_of("Health"),
            errors: &[],
        },
        Operation {
            path: "/readyz",
            post_too: false,
            id: "readyz",
            summary: "Readiness: 503 when every search slot is busy and the queue is full",
            params: vec![],
            required: &[],
            answer: json_of("Ready"),
            errors: &[],
        },
        Operation {
            path: "/metrics",
            post_too: false,
            id: "metrics",
            summary: "Prometheus metrics",
            params: vec![],
            required: &[],
            answer: ("text/plain", json!({"type": "string"})),
            errors: &[],
        },
        Operation {
            path: "/openapi.json",
            post_too: false,
            id: "openapi",
            summary: "This document",
            params: vec![],
            required: &[],
            answer: ("application/json", json!({"type": "object"})),
            errors: &[],
        },
    ]
}

/// Every route of the document, with its methods (for the test against the router).
pub fn routes() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = operations()
        .iter()
        .map(|o| {
            let methods = match (o.path, o.post_too) {
                ("/screen", _) => vec!["post"],
                (_, true) => vec!["get", "post"],
                (_, false) => vec!["get"],
            };
            (o.path, methods)
        })
        .collect();
    out.push(("/", vec!["get"]));
    out
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The schema and description of a parameter, as `route` takes it.
fn parameter(name: &str, route: &str) -> (Value, &'static str) {
    let list = |item: Value| json!({"type": "array", "items": item});
    let day = json!({"type": "string", "description": "YYYY-MM-DD, YYYY-MM or YYYY"});
    let flag = json!({"type": "boolean"});
    let n = |min: u64, max: u64| json!({"type": "integer", "minimum": min, "maximum": max});
    match name {
        "q" if route == "/timeline" => (
            list(json!({"type": "string", "minLength": 1})),
            "the queries (repeat for each)",
        ),
        "q" => (
            json!({"type": "string"}),
            "the query (tantivy syntax; at most 4,096 bytes and 256 words)",
        ),
        "limit" if route == "/entities" => (n(1, 10_000), "entities listed (100)"),
        "limit" => (n(1, 1000), "articles returned (10)"),
        "offset" => (n(0, 100_000), "articles skipped (0)"),
        "passages" if route == "/export" => (
            json!({"oneOf": [n(1, 1_000_000), {"type": "string", "enum": ["all"]}]}),
            "matching passages per article (1), or all",
        ),
        "passages" => (n(1, 50), "passages per article (1)"),
        "outlet" => (
            list(json!({"type": "string"})),
            "keep these outlets (name or site, any case; unknown: none); any of them",
        ),
        "date" => (
            list(json!({"type": "string"})),
            "keep these date buckets (YYYY-MM-DD, YYYY-MM, YYYY or unknown); any of them",
        ),
        "since" => (day, "keep articles dated on or after this day"),
        "until" => (day, "keep articles dated on or before this day"),
        "undated" => (flag, "with since or until, keep undated articles too"),
        "entity" => (
            list(json!({"type": "string"})),
            "keep articles mentioning every one of these (KIND:NAME, KIND person, org or place)",
        ),
        "person" => (
            list(json!({"type": "string"})),
            "keep articles mentioning any of these people",
        ),
        "org" => (
            list(json!({"type": "string"})),
            "keep articles mentioning any of these organisations",
        ),
        "place" => (
            list(json!({"type": "string"})),
            "keep articles mentioning any of these places",
        ),
        "lang" => (
            list(json!({"type": "string"})),
            "keep these languages (a code or a name; und: unknown)",
        ),
        "exact" => (
            flag,
            "exact and stemmed forms only (no variants or aliases)",
        ),
        "no_scripts" => (flag, "leave out forms printed in another script"),
        "all" => (flag, "require every word of the query"),
        "collapse" => (flag, "one hit per story (search: true; export: false)"),
        "sort" => (
            json!({"type": "string", "enum": ["relevance", "date", "-date"]}),
            "order: best first, oldest first or newest first",
        ),
        "cursor" => (
            json!({"type": "string"}),
            "* for the first page of cursor paging, then summary.next_cursor",
        ),
        "facets" => (
            json!({"type": "string"}),
            "dimensions to count, comma-separated: outlet, date, lang, person, org, place",
        ),
        "facet_limit" => (n(1, 1000), "values per dimension (20)"),
        "by" => (
            json!({"type": "string", "enum": ["day", "week", "month"]}),
            "bucket size (day)",
        ),
        "format" => (
            json!({"type": "string", "enum": ["jsonl", "csv"]}),
            "jsonl (default) or csv",
        ),
        "fields" => (json!({"type": "string"}), "CSV columns, comma-separated"),
        "kind" => (
            json!({"type": "string", "enum": ["person", "org", "place"]}),
            "entities of this kind only",
        ),
        "with" => (
            json!({"type": "string"}),
            "list what is mentioned in the same passages as this entity (KIND:NAME)",
        ),
        _ => (json!({"type": "string"}), ""),
    }
}

/// A parameter's schema as a member of a POST body: a list parameter also takes one value,
/// and null is a parameter left out. None for a parameter no route takes.
pub(super) fn body_schema(name: &str, route: &str) -> Option<Value> {
    let (schema, description) = parameter(name, route);
    if description.is_empty() {
        return None;
    }
    // null stands for a parameter left out.
    let mut schema = schema;
    match schema["type"].as_str() {
        Some("array") => {
            let item = schema["items"]["type"].clone();
            schema["type"] = json!([item, "array", "null"]);
        }
        Some(one) => {
            schema["type"] = json!([one, "null"]);
            if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
                values.push(Value::Null);
            }
        }
        None => schema = json!({"anyOf": [schema, {"type": "null"}]}),
    }
    Some(schema)
}

/// Whether a JSON value has the type `schema` asks (types, items, `oneOf` and `anyOf` only:
/// the handlers check values, with messages that say what a value may be).
pub(super) fn has_type(schema: &Value, value: &Value) -> bool {
    for any in ["oneOf", "anyOf"] {
        if let Some(options) = schema[any].as_array() {
            return options.iter().any(|o| has_type(o, value));
        }
    }
    let of_type = |name: &str| match name {
        "string" => value.is_string(),
        // JSON Schema's integers include 5.0.
        "integer" => value.as_f64().is_some_and(|n| n >= 0.0 && n.fract() == 0.0),
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "array" => value
            .as_array()
            .is_some_and(|items| items.iter().all(|i| has_type(&schema["items"], i))),
        _ => true,
    };
    match &schema["type"] {
        Value::String(name) => of_type(name),
        Value::Array(names) => names.iter().filter_map(Value::as_str).any(of_type),
        _ => true,
    }
}

/// The methods `path` takes, as an `Allow` header says them, when it is a route.
pub(super) fn allowed(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    routes().into_iter().find_map(|(route, methods)| {
        let pattern: Vec<&str> = route.split('/').collect();
        let fits = pattern.len() == segments.len()
            && pattern
                .iter()
                .zip(&segments)
                .all(|(p, s)| p == s || (*p == "{id}" && !s.is_empty()));
        fits.then(|| {
            methods
                .iter()
                .map(|m| m.to_uppercase())
                .collect::<Vec<_>>()
                .join(", ")
        })
    })
}

fn error(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": reference("Error")}}})
}

fn error_description(status: u16) -> &'static str {
    match status {
        400 => "a bad parameter, body or query (bad_request, bad_query)",
        401 => "an API key is required (unauthorized)",
        404 => "no such article (not_found)",
        405 => "the route does not take this method (method_not_allowed)",
        413 => "a body over 64 KiB (too_large)",
        414 => "a URI over 8 KiB (uri_too_long)",
        415 => "a POST body that is not JSON (unsupported_media_type)",
        502 => "the cluster searched (serve --engine) refused or did not answer (cluster)",
        503 => "overloaded or timed out (overloaded, timeout)",
        _ => "an error",
    }
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for op in operations() {
        let mut item = Map::new();
        let id_param = op.path.contains("{id}").then(|| {
            json!({"name": "id", "in": "path", "required": true,
                   "schema": {"type": "string", "minLength": 1}, "description": "the article's id"})
        });
        let query_params: Vec<Value> = id_param
            .iter()
            .cloned()
            .chain(op.params.iter().map(|name| {
                let (schema, description) = parameter(name, op.path);
                let mut p = json!({"name": name, "in": "query", "schema": schema,
                                   "required": op.required.contains(name)});
                if schema_is_array(&p["schema"]) {
                    p["style"] = json!("form");
                    p["explode"] = json!(true);
                }
                if !description.is_empty() {
                    p["description"] = json!(description);
                }
                p
            }))
            .collect();
        let mut responses = Map::new();
        let (content_type, schema) = &op.answer;
        let mut content = json!({*content_type: {"schema": schema}});
        if op.path == "/export" {
            content["text/csv"] = json!({"schema": {"type": "string"}});
        }
        responses.insert(
            "200".into(),
            json!({"description": "the answer", "content": content}),
        );
        let mut statuses: Vec<u16> = op.errors.to_vec();
        if op.path != "/healthz" && op.path != "/readyz" {
            statuses.push(401);
        }
        statuses.extend([405, 413, 414]);
        if op.path == "/readyz" || !op.errors.is_empty() {
            statuses.push(503);
        }
        if op.path == "/search" || op.path == "/facets" {
            statuses.push(502);
        }
        let mut get_responses = responses.clone();
        for status in &statuses {
            get_responses.insert(status.to_string(), error(error_description(*status)));
        }
        if op.path == "/readyz" {
            get_responses.insert(
                "503".into(),
                json!({"description": "overloaded: every slot busy and the queue full",
                       "content": {"application/json": {"schema": reference("Ready")}}}),
            );
        }
        let get = json!({
            "operationId": op.id,
            "summary": op.summary,
            "parameters": query_params,
            "responses": get_responses,
        });
        if op.path == "/screen" {
            let mut post = get;
            post["requestBody"] = json!({"required": true, "content": {
                "text/plain": {"schema": {"type": "string",
                    "description": "a name or query a line, # comments, or CSV with a name \
                        column; at most 64 KiB"}}}});
            post["responses"]["413"] = error(error_description(413));
            item.insert("post".into(), post);
        } else {
            item.insert("get".into(), get);
        }
        if op.post_too {
            let mut body = Map::new();
            for name in &op.params {
                if let Some(schema) = body_schema(name, op.path) {
                    body.insert(name.to_string(), schema);
                }
            }
            let required: Vec<&str> = op.required.to_vec();
            let mut post_responses = get_responses.clone();
            post_responses.insert("415".into(), error(error_description(415)));
            let post = json!({
                "operationId": format!("{}_post", op.id),
                "summary": format!("{} (parameters as a JSON object)", op.summary),
                "parameters": id_param.iter().cloned().collect::<Vec<_>>(),
                "requestBody": {"required": false, "content": {"application/json": {"schema": {
                    "type": "object", "properties": body, "required": required,
                    "additionalProperties": false}}}},
                "responses": post_responses,
            });
            item.insert("post".into(), post);
        }
        paths.insert(op.path.to_string(), Value::Object(item));
    }
    paths.insert(
        "/".into(),
        json!({"get": {"operationId": "page", "summary": "The search page (no key needed)",
            "responses": {"200": {"description": "the page",
                "content": {"text/html": {"schema": {"type": "string"}}}}}}}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "byline",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Full-text search over news articles: ranked passages grouped by \
                article, name variants across spellings and scripts, facets. Every error is \
                {\"error\": {\"code\", \"message\"}}.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
            "schemas": schemas(),
        },
        "security": [{}, {"apiKey": []}, {"bearer": []}],
        "paths": paths,
    })
}

fn schema_is_array(schema: &Value) -> bool {
    schema["type"] == "array"
}

/// The answers' schemas, as `crate::search::hit` writes them.
fn schemas() -> Value {
    let s = || json!({"type": "string"});
    let ns = || json!({"type": ["string", "null"]});
    let int = || json!({"type": "integer", "minimum": 0});
    let num = || json!({"type": "number"});
    let list = |item: Value| json!({"type": "array", "items": item});
    let source = || json!({"type": "string", "enum": ["metadata", "text", "unknown"]});
    let object = |props: Value| {
        let required: Vec<String> = props
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        json!({"type": "object", "properties": props, "required": required})
    };
    let article_fields = json!({
        "id": s(), "outlet": ns(), "outlet_source": source(), "site": ns(), "date": ns(),
        "date_source": source(), "url": ns(), "title": ns(), "author": list(s()), "lang": s(),
        "lang_source": source(), "origin": s(),
    });
    let with_article = |more: Value| {
        let mut props = article_fields.clone();
        if let (Some(p), Some(m)) = (props.as_object_mut(), more.as_object()) {
            p.extend(m.clone());
        }
        object(props)
    };
    let facets = json!({"type": "object", "additionalProperties": list(reference("FacetValue"))});
    let mut article = with_article(json!({
        "note": ns(), "extra": {"type": "object"}, "passages": int(),
        "furniture": list(reference("Furniture")), "entities": list(reference("Entity")),
        "text": s(), "original": s(), "copies": int(), "also_in": list(reference("AlsoIn")),
        "highlights": list(reference("Span")), "matched_as": list(reference("Matched")),
    }));
    // Marks only when asked with a query.
    if let Some(required) = article["required"].as_array_mut() {
        required.retain(|r| r != "highlights" && r != "matched_as");
    }
    let mut summary = object(json!({
        "query": s(), "articles": int(), "stories": int(), "collapse": {"type": "boolean"},
        "sort": {"type": "string", "enum": ["relevance", "date", "-date"]}, "passages": int(),
        "total_exact": {"type": "boolean"}, "returned": int(), "offset": int(), "limit": int(),
        "exact": {"type": "boolean"}, "elapsed_ms": num(), "warnings": list(s()),
        "facets": facets, "next_cursor": ns(),
    }));
    if let Some(required) = summary["required"].as_array_mut() {
        required.retain(|r| r != "facets" && r != "next_cursor");
    }
    let mut entities =
        object(json!({"kind": s(), "name": s(), "forms": list(s()), "articles": int()}));
    entities["properties"]["kind"] = json!({"type": "string", "enum": ["person", "org", "place"]});
    json!({
        "Error": object(json!({"error": object(json!({"code": s(), "message": s()}))})),
        "Span": object(json!({"start": int(), "end": int()})),
        "Matched": object(json!({"word": s(), "form": s(), "how": s()})),
        "FacetValue": object(json!({"value": s(), "count": int()})),
        "AlsoIn": object(json!({"id": s(), "outlet": ns(), "site": ns(), "date": ns()})),
        "Passage": object(json!({
            "passage": int(), "score": num(), "start": int(), "end": int(), "text": s(),
            "highlights": list(reference("Span")), "matched_as": list(reference("Matched")),
        })),
        "Hit": with_article(json!({
            "rank": int(), "score": num(), "headline": s(), "passages": list(reference("Passage")),
            "copies": int(), "also_in": list(reference("AlsoIn")),
        })),
        "Summary": summary,
        "SearchResults": object(json!({"hits": list(reference("Hit")), "summary": reference("Summary")})),
        "Furniture": object(json!({"start": int(), "end": int(), "reason": s()})),
        "Entity": object(json!({"kind": s(), "name": s(), "forms": list(s())})),
        "Article": article,
        "Similar": object(json!({
            "id": s(), "copies": list(s()),
            "similar": list(with_article(json!({"rank": int(), "score": num(), "headline": s()}))),
        })),
        "FacetCounts": object(json!({"articles": int(), "facets": facets})),
        "EntitySummary": entities,
        "EntityList": object(json!({"total": int(), "entities": list(reference("EntitySummary"))})),
        "CoMentioned": object(json!({
            "resolved": list(s()), "passages": int(),
            "with": list(object(json!({"kind": s(), "name": s(), "passages": int()}))),
        })),
        "Timeline": object(json!({
            "by": {"type": "string", "enum": ["day", "week", "month"]}, "queries": list(s()),
            "totals": list(int()), "warnings": list(s()),
            "buckets": list(object(json!({"bucket": s(), "articles": int(), "counts": list(int())}))),
        })),
        "Health": object(json!({"status": s(), "articles": int(), "passages": int()})),
        "Ready": object(json!({
            "status": {"type": "string", "enum": ["ready", "overloaded"]}, "articles": int(),
            "passages": int(), "running": int(), "waiting": int(), "max_concurrent": int(),
            "max_queued": int(),
        })),
    })
}
