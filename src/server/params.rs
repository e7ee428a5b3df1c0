//! Query-string parameters: decoded once, each read as the type it must be, unknown ones refused.

use crate::date::Date;
use crate::facets;

use super::error::ApiError;

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

    pub(super) fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub(super) fn number(&self, key: &str, default: usize) -> Result<usize, ApiError> {
        match self.one(key) {
            None | Some("") => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| ApiError::bad(format!("{key} must be a whole number, not {v:?}"))),
        }
    }

    pub(super) fn flag(&self, key: &str) -> Result<bool, ApiError> {
        self.flag_or(key, false)
    }

    /// A true/false parameter that is `default` when absent or empty.
    pub(super) fn flag_or(&self, key: &str, default: bool) -> Result<bool, ApiError> {
        match self.one(key) {
            None | Some("") => Ok(default),
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
}
