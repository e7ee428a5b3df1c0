//! Aliases: groups of names that mean the same ("U.N." = "UN" = "United Nations").
//!
//! Each line of an alias file is one group, its forms separated by `=`; `#` starts a comment.
//! byline ships a default (`src/aliases.txt`, built into the binary); a user file adds groups.
//! Forms are compared as the exact analyzer cuts them, so "U.S." and "US" are one form.

use std::path::Path;

use crate::analysis;
use crate::error::{Error, Result};

/// A form: its words as the exact analyzer cuts them, and as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// Exact-analyzed words.
    pub words: Vec<String>,
    /// As written.
    pub text: String,
}

/// Groups of forms that mean the same.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    groups: Vec<Vec<Form>>,
}

impl Aliases {
    /// The shipped default groups.
    pub fn builtin() -> Aliases {
        let mut a = Aliases::default();
        // The built-in file is part of the binary and tested; it always parses.
        let _ = a.add_text(include_str!("aliases.txt"), "built-in aliases");
        a
    }

    /// The default groups plus those of a user file.
    pub fn with_file(path: &Path) -> Result<Aliases> {
        let mut a = Aliases::builtin();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        a.add_text(&text, &path.display().to_string())?;
        Ok(a)
    }

    /// Adds the groups of an alias file's text.
    pub fn add_text(&mut self, text: &str, origin: &str) -> Result<()> {
        let mut analyzer = analysis::exact();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let forms: Vec<Form> = line
                .split('=')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(|f| Form {
                    words: analysis::terms(&mut analyzer, f)
                        .into_iter()
                        .map(|(t, _)| t)
                        .collect(),
                    text: f.to_string(),
                })
                .filter(|f| !f.words.is_empty())
                .collect();
            if forms.len() < 2 {
                return Err(Error::InvalidArgument(format!(
                    "{origin}:{}: an alias group needs two forms or more, separated by '='",
                    n + 1
                )));
            }
            self.groups.push(forms);
        }
        Ok(())
    }

    /// The other forms of every group that has `words` as a form.
    pub fn others(&self, words: &[String]) -> Vec<Form> {
        let mut out: Vec<Form> = Vec::new();
        for group in &self.groups {
            if group.iter().any(|f| f.words == words) {
                for f in group {
                    if f.words != words && !out.iter().any(|o| o.words == f.words) {
                        out.push(f.clone());
                    }
                }
            }
        }
        out
    }

    /// The longest form length in words (bounds the n-grams worth looking up).
    pub fn longest(&self) -> usize {
        self.groups
            .iter()
            .flatten()
            .map(|f| f.words.len())
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn builtin_groups_join_acronyms_and_names() {
        let a = Aliases::builtin();
        let others: Vec<String> = a
            .others(&words(&["un"]))
            .into_iter()
            .map(|f| f.text)
            .collect();
        assert_eq!(others, ["United Nations"]);
        let us: Vec<Vec<String>> = a
            .others(&words(&["united", "states"]))
            .into_iter()
            .map(|f| f.words)
            .collect();
        assert_eq!(
            us,
            [
                words(&["us"]),
                words(&["united", "states", "of", "america"]),
                words(&["usa"])
            ]
        );
        assert!(a.others(&words(&["iran"])).is_empty());
        assert_eq!(a.longest(), 4);
    }

    #[test]
    fn a_group_of_one_form_is_an_error_with_its_line() {
        let mut a = Aliases::default();
        let err = a
            .add_text("A = B\n# c\nlonely\n", "mine.txt")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("mine.txt:3:"), "{err}");
    }
}
