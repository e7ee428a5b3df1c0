//! Request parameters: from the query string (GET) or a JSON object (POST), decoded once,
//! each read as the type it must be, unknown ones refused.

use axum::extract::{FromRequest, Request};
use axum::http::{header, Method, StatusCode};

use crate::date::Date;
use crate::facets;

use super::error::ApiError;
use super::MAX_BODY_BYTES;

/// A read route's parameters: the query string, and with `POST` the members of a JSON
/// object in the body, which are the same parameters (`{"q": "Musk", "outlet": ["a", "b"],
/// "limit": 5}` is `?q=Musk&outlet=a&outlet=b&limit=5`). Where both give one, the body's
/// wins.
pub(super) struct Input(pub(super) Params);

impl<S: Send + Sync> FromRequest<S> for Input {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Input, ApiError> {
        let mut pairs = params(req.uri().query())?;
        if req.method() == Method::POST {
            let json = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_none_or(|v| {
                    let v = v.trim_start().to_ascii_lowercase();
                    v.starts_with("application/json")
                });
            if !json {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "a POST body must be a JSON object (Content-Type: application/json)",
                ));
            }
            let route = req
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .map_or_else(String::new, |m| m.as_str().to_string());
            let body = axum::body::Bytes::from_request(req, state)
                .await
                .map_err(body_error)?;
            pairs.extend(json_params(&body, &route)?);
        }
        Ok(Input(Params(pairs)))
    }
}

/// The error for a body that could not be read: too large, or cut off.
pub(super) fn body_error(e: axum::extract::rejection::BytesRejection) -> ApiError {
    match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            e.status(),
            "too_large",
            format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
        ),
        status => ApiError::new(status, "bad_request", e.body_text()),
    }
}

/// A JSON object's members as parameters of `route`: each of the type the route's OpenAPI
/// document gives it (a string, a whole number, true or false; a list parameter one value
/// or a list, the parameter repeated); null as absent. An empty body is no parameter.
fn json_params(body: &[u8], route: &str) -> Result<Vec<(String, String)>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad(format!("the body is not JSON: {e}")))?;
    let serde_json::Value::Object(members) = value else {
        return Err(ApiError::bad(
            "the body must be a JSON object of parameters, such as {\"q\": \"Navalny\"}",
        ));
    };
    let mut out = Vec::new();
    for (key, value) in members {
        // A parameter no route takes is refused by name, later (even as null).
        let schema = super::openapi::body_schema(&key, route);
        if value.is_null() {
            if schema.is_none() {
                out.push((key, String::new()));
            }
            continue;
        }
        if let Some(schema) = schema.filter(|s| !super::openapi::has_type(s, &value)) {
            let wanted = match schema["type"][0].as_str() {
                Some("integer") => "a whole number",
                Some("boolean") => "true or false",
                Some("string") if schema["type"][1] == "array" => "a string or a list of strings",
                Some("string") => "a string",
                _ => "a whole number or \"all\"",
            };
            return Err(ApiError::bad(format!("parameter {key:?} must be {wanted}")));
        }
        let one = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Ok(Some(s.clone())),
            // 5.0 is 5 (JSON Schema's integers include it).
            serde_json::Value::Number(n) => Ok(Some(match n.as_f64() {
                Some(f) if f.fract() == 0.0 && (0.0..1e15).contains(&f) => format!("{}", f as u64),
                _ => n.to_string(),
            })),
            serde_json::Value::Bool(b) => Ok(Some(b.to_string())),
            serde_json::Value::Null => Ok(None),
            _ => Err(ApiError::bad(format!(
                "parameter {key:?} must be a string, a number, true or false, or a list of them"
            ))),
        };
        match &value {
            serde_json::Value::Array(items) => {
                for item in items {
                    if let Some(v) = one(item)? {
                        out.push((key.clone(), v));
                    }
                }
            }
            v => {
                if let Some(v) = one(v)? {
                    out.push((key.clone(), v));
                }
            }
        }
    }
    Ok(out)
}

/// Query-string pairs, percent-decoded; invalid encoding or UTF-8 is a 400.
pub(super) fn params(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| -> Result<String, ApiError> {
            let plus = s.replace('+', " ");
            percent_encoding::percent_decode_str(&plus)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| {
                    ApiError::bad(format!("parameter {k:?} is not valid UTF-8 once decoded"))
                })
        };
        out.push((decode(k)?, decode(v)?));
    }
    Ok(out)
}

pub(super) struct Params(pub(super) Vec<(String, String)>);

impl Params {
    /// Refuses a parameter the route does not take: a typo ("lmit") would otherwise be
    /// ignored without a word.
    pub(super) fn only(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            None => Ok(()),
            Some((k, _)) => Err(ApiError::bad(format!(
                "unknown parameter {k:?}; this route takes {}",
                known.join(", ")
            ))),
        }
    }

    pub(super) fn one(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated parameter, blank ones left out (`outlet=` is no filter).
    pub(super) fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A whole number, `default` when absent (a blank value is not a number).
    pub(super) fn number(&self, key: &str, default: usize) -> Result<usize, ApiError> {
        match self.one(key) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| ApiError::bad(format!("{key} must be a whole number, not {v:?}"))),
        }
    }

    pub(super) fn flag(&self, key: &str) -> Result<bool, ApiError> {
        self.flag_or(key, false)
    }

    /// A true/false parameter that is `default` when absent (a blank value is neither).
    pub(super) fn flag_or(&self, key: &str, default: bool) -> Result<bool, ApiError> {
        match self.one(key) {
            None => Ok(default),
            Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(v) => Err(ApiError::bad(format!(
                "{key} must be true or false, not {v:?}"
            ))),
        }
    }

    pub(super) fn date(&self, key: &str) -> Result<Option<Date>, ApiError> {
        match self.one(key) {
            None | Some("") => Ok(None),
            Some(v) => Date::parse(v).map(Some).ok_or_else(|| {
                ApiError::bad(format!(
                    "{key} must be a date (YYYY-MM-DD, YYYY-MM or YYYY), not {v:?}"
                ))
            }),
        }
    }

    pub(super) fn facets(&self) -> Result<Vec<String>, ApiError> {
        self.one("facets").map_or(Ok(Vec::new()), |list| {
            facets::parse_dimensions(list).map_err(ApiError::from)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn query_strings_decode_and_refuse_bad_utf8() {
        let p = params(Some("q=Qasem+Soleimani&outlet=a&outlet=b%20c&x")).unwrap();
        assert_eq!(p[0], ("q".to_string(), "Qasem Soleimani".to_string()));
        assert_eq!(Params(p.clone()).all("outlet"), ["a", "b c"]);
        assert_eq!(p[3], ("x".to_string(), String::new()));
        let err = params(Some("q=%ff%fe")).unwrap_err();
        assert_eq!(
            (err.status, err.code),
            (StatusCode::BAD_REQUEST, "bad_request")
        );
    }

    #[test]
    fn a_json_body_gives_the_same_pairs_as_a_query_string() {
        let body = br#"{"q": "Qasem Soleimani", "outlet": ["a", "b c"], "limit": 5,
                        "exact": true, "since": null}"#;
        let pairs = json_params(body, "/search").unwrap();
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            pairs,
            // Members come in key order.
            [
                pair("exact", "true"),
                pair("limit", "5"),
                pair("outlet", "a"),
                pair("outlet", "b c"),
                pair("q", "Qasem Soleimani"),
            ]
        );
        assert_eq!(json_params(b" \n", "/search").unwrap(), []);
        let err = |body: &[u8]| json_params(body, "/search").unwrap_err().message;
        assert!(err(b"[1]").starts_with("the body must be a JSON object"));
        assert!(err(b"{\"q\": ").starts_with("the body is not JSON: EOF"));
        assert_eq!(
            err(br#"{"outlet": {"a": 1}}"#),
            "parameter \"outlet\" must be a string or a list of strings"
        );
        assert_eq!(
            err(br#"{"limit": "5"}"#),
            "parameter \"limit\" must be a whole number"
        );
        assert_eq!(
            err(br#"{"exact": 1}"#),
            "parameter \"exact\" must be true or false"
        );
        assert_eq!(err(br#"{"q": 7}"#), "parameter \"q\" must be a string");
        assert_eq!(json_params(br#"{"lmit": 3}"#, "/search").unwrap()[0].1, "3");
        assert_eq!(
            json_params(br#"{"limit": 5.0}"#, "/search").unwrap()[0].1,
            "5"
        );
        assert_eq!(
            err(br#"{"limit": 5.5}"#),
            "parameter \"limit\" must be a whole number"
        );
        assert_eq!(
            json_params(br#"{"passages": "all"}"#, "/export")
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            json_params(br#"{"q": ["a", "b"]}"#, "/timeline")
                .unwrap()
                .len(),
            2
        );
    }
}
