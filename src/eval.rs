//! Relevance evaluation: how well searches rank the articles a judgments file names.
//!
//! A judgments file is tab-separated `query⇥article id⇥grade` lines (`#` starts a comment;
//! grade 0 or more, higher is better; unlisted articles are grade 0). Each query is run with
//! the given options and scored at rank 10 by nDCG (gain `2^grade - 1`, log2 discount),
//! recall (share of graded articles found) and reciprocal rank (of the first graded article).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::search::{Engine, SearchRequest};

/// Results are cut at this rank.
pub const CUTOFF: usize = 10;

/// One query's judged articles: id → grade.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// The query.
    pub query: String,
    /// Grades by article id.
    pub grades: BTreeMap<String, u32>,
}

/// Reads a judgments file, keeping the order in which queries first appear.
pub fn read_judgments(path: &Path) -> Result<Vec<Judged>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out: Vec<Judged> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad =
            |why: &str| Error::InvalidArgument(format!("{}:{}: {why}", path.display(), n + 1));
        let cols: Vec<&str> = line.split('\t').collect();
        let [query, id, grade] = cols[..] else {
            return Err(bad(
                "expected query, article id and grade separated by tabs",
            ));
        };
        let grade: u32 = grade
            .trim()
            .parse()
            .map_err(|_| bad("the grade is not a whole number"))?;
        let (query, id) = (query.trim(), id.trim());
        match out.iter_mut().find(|j| j.query == query) {
            Some(j) => {
                j.grades.insert(id.to_string(), grade);
            }
            None => out.push(Judged {
                query: query.to_string(),
                grades: BTreeMap::from([(id.to_string(), grade)]),
            }),
        }
    }
    Ok(out)
}

/// Scores of one query.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QueryScore {
    /// The query.
    pub query: String,
    /// nDCG at [`CUTOFF`].
    pub ndcg: f64,
    /// Recall at [`CUTOFF`].
    pub recall: f64,
    /// Reciprocal rank of the first graded article (0 when none is found).
    pub rr: f64,
    /// Article ids returned, in rank order.
    pub ranked: Vec<String>,
}

/// Scores of every query and their means.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvalReport {
    /// Per query, in file order.
    pub queries: Vec<QueryScore>,
    /// Mean nDCG@10.
    pub ndcg: f64,
    /// Mean recall@10.
    pub recall: f64,
    /// Mean reciprocal rank.
    pub mrr: f64,
}

/// Runs every judged query through `engine`, shaping each request with `shape`.
pub fn evaluate(
    engine: &Engine,
    judged: &[Judged],
    shape: &dyn Fn(&mut SearchRequest),
) -> Result<EvalReport> {
    let mut queries = Vec::new();
    for j in judged {
        let mut req = SearchRequest::new(&j.query);
        req.limit = CUTOFF;
        shape(&mut req);
        let ranked: Vec<String> = engine
            .search(&req)?
            .hits
            .into_iter()
            .map(|h| h.article.id)
            .collect();
        queries.push(score(j, ranked));
    }
    let mean = |f: fn(&QueryScore) -> f64| {
        if queries.is_empty() {
            0.0
        } else {
            queries.iter().map(f).sum::<f64>() / queries.len() as f64
        }
    };
    Ok(EvalReport {
        ndcg: mean(|q| q.ndcg),
        recall: mean(|q| q.recall),
        mrr: mean(|q| q.rr),
        queries,
    })
}

/// Scores one ranking against its judgments.
pub fn score(j: &Judged, ranked: Vec<String>) -> QueryScore {
    let gain = |g: u32| f64::from((1u32 << g.min(16)) - 1);
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let grade = |id: &str| j.grades.get(id).copied().unwrap_or(0);
    let dcg: f64 = ranked
        .iter()
        .take(CUTOFF)
        .enumerate()
        .map(|(i, id)| gain(grade(id)) * discount(i))
        .sum();
    let mut ideal: Vec<u32> = j.grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(CUTOFF)
        .enumerate()
        .map(|(i, &g)| gain(g) * discount(i))
        .sum();
    let relevant = j.grades.values().filter(|&&g| g > 0).count();
    let found = ranked
        .iter()
        .take(CUTOFF)
        .filter(|id| grade(id) > 0)
        .count();
    let rr = ranked
        .iter()
        .take(CUTOFF)
        .position(|id| grade(id) > 0)
        .map_or(0.0, |p| 1.0 / (p + 1) as f64);
    QueryScore {
        query: j.query.clone(),
        ndcg: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        recall: if relevant > 0 {
            found as f64 / relevant as f64
        } else {
            0.0
        },
        rr,
        ranked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u32)]) -> Judged {
        Judged {
            query: "q".into(),
            grades: pairs.iter().map(|(id, g)| (id.to_string(), *g)).collect(),
        }
    }

    #[test]
    fn perfect_ranking_scores_one() {
        let s = score(
            &judged(&[("a", 2), ("b", 1)]),
            vec!["a".into(), "b".into(), "x".into()],
        );
        assert_eq!((s.ndcg, s.recall, s.rr), (1.0, 1.0, 1.0));
    }

    #[test]
    fn swapped_and_missing_results_score_less() {
        let s = score(&judged(&[("a", 2), ("b", 1)]), vec!["x".into(), "b".into()]);
        assert_eq!((s.recall, s.rr), (0.5, 0.5));
        // dcg = 1/log2(3); idcg = 3 + 1/log2(3)
        let expect = (1.0 / 3f64.log2()) / (3.0 + 1.0 / 3f64.log2());
        assert!((s.ndcg - expect).abs() < 1e-12);
        let none = score(&judged(&[("a", 2)]), vec![]);
        assert_eq!((none.ndcg, none.recall, none.rr), (0.0, 0.0, 0.0));
    }

    #[test]
    fn judgments_file_groups_by_query_and_reports_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.tsv");
        std::fs::write(&p, "# c\nIravani\ta\t2\nMusk\tb\t1\nIravani\tc\t1\n").unwrap();
        let j = read_judgments(&p).unwrap();
        assert_eq!(j.len(), 2);
        assert_eq!(
            j[0].grades,
            BTreeMap::from([("a".to_string(), 2), ("c".to_string(), 1)])
        );
        std::fs::write(&p, "Iravani\ta\ttwo\n").unwrap();
        let err = read_judgments(&p).unwrap_err().to_string();
        assert!(
            err.ends_with("j.tsv:1: the grade is not a whole number"),
            "{err}"
        );
    }
}
