//! Copy detection scored against labelled copy groups: pair precision and recall.
//!
//! A groups file is tab-separated `group⇥kind⇥ids` lines, ids separated by spaces (`#` starts
//! a comment): `c01⇥verbatim⇥d052 d054 d056`. Every two members of a group are a labelled
//! pair of its kind (verbatim, rewrite, translation, or any word). A detected pair is right
//! when some group holds both; recall is per kind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

/// One labelled group.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Its name.
    pub name: String,
    /// verbatim, rewrite, translation…
    pub kind: String,
    /// Article ids.
    pub members: Vec<String>,
}

/// Reads a groups file.
pub fn read_groups(path: &Path) -> Result<Vec<Group>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [name, kind, ids] = cols[..] else {
            return Err(Error::InvalidArgument(format!(
                "{}:{}: expected group, kind and ids, tab-separated",
                path.display(),
                n + 1
            )));
        };
        out.push(Group {
            name: name.trim().to_string(),
            kind: kind.trim().to_string(),
            members: ids.split_whitespace().map(str::to_string).collect(),
        });
    }
    Ok(out)
}

/// Pair precision and recall.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CopyReport {
    /// Pairs detected.
    pub detected: usize,
    /// Detected pairs some group holds.
    pub right: usize,
    /// right / detected.
    pub precision: f64,
    /// Per kind: (labelled pairs, detected among them, recall).
    pub kinds: BTreeMap<String, KindScore>,
    /// Detected pairs no group holds, for reading.
    pub unlabelled: Vec<(String, String)>,
}

/// Recall for one kind of copy.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KindScore {
    /// Labelled pairs of this kind.
    pub pairs: usize,
    /// Of those, detected.
    pub found: usize,
    /// found / pairs.
    pub recall: f64,
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Scores detected pairs (`a < b`) against groups.
pub fn score(detected: &BTreeSet<(String, String)>, groups: &[Group]) -> CopyReport {
    let mut labelled: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for g in groups {
        let set = labelled.entry(g.kind.clone()).or_default();
        for (i, a) in g.members.iter().enumerate() {
            for b in &g.members[i + 1..] {
                if a != b {
                    set.insert(pair(a, b));
                }
            }
        }
    }
    let any: BTreeSet<&(String, String)> = labelled.values().flatten().collect();
    let right = detected.iter().filter(|p| any.contains(p)).count();
    let kinds = labelled
        .iter()
        .map(|(kind, pairs)| {
            let found = pairs.iter().filter(|p| detected.contains(*p)).count();
            let recall = if pairs.is_empty() {
                0.0
            } else {
                found as f64 / pairs.len() as f64
            };
            (
                kind.clone(),
                KindScore {
                    pairs: pairs.len(),
                    found,
                    recall,
                },
            )
        })
        .collect();
    CopyReport {
        detected: detected.len(),
        right,
        precision: if detected.is_empty() {
            0.0
        } else {
            right as f64 / detected.len() as f64
        },
        kinds,
        unlabelled: detected
            .iter()
            .filter(|p| !any.contains(p))
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_scored_per_kind() {
        let groups = vec![
            Group {
                name: "c1".into(),
                kind: "verbatim".into(),
                members: vec!["a".into(), "b".into(), "c".into()],
            },
            Group {
                name: "c2".into(),
                kind: "rewrite".into(),
                members: vec!["d".into(), "e".into()],
            },
        ];
        let detected: BTreeSet<(String, String)> = [pair("a", "b"), pair("b", "c"), pair("x", "y")]
            .into_iter()
            .collect();
        let r = score(&detected, &groups);
        assert_eq!((r.detected, r.right), (3, 2));
        assert_eq!(r.kinds["verbatim"].found, 2);
        assert_eq!(r.kinds["verbatim"].pairs, 3);
        assert_eq!(r.kinds["rewrite"].found, 0);
        assert_eq!(r.unlabelled, [pair("x", "y")]);
    }
}
