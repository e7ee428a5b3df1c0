//! Copies: articles that print the same text (agency copy run by many outlets, mirrors,
//! teasers, light rewrites), found by a standard near-duplicate method.
//!
//! - **Shingles**: every run of [`SHINGLE`] consecutive words of the article's passages
//!   (furniture is never in a passage), the words as the exact analyzer gives them
//!   (lowercased, accents folded; Han, kana and Hangul as overlapping pairs of characters,
//!   of which a shingle spans twice as many), each run hashed to 64 bits. Shingles never
//!   cross a passage's end.
//! - **Signature**: a MinHash of the shingle set by one-permutation hashing: the hash space
//!   cut into [`BINS`] bins, the smallest hash of each bin kept, an empty bin filled from the
//!   next full one (rotation densification, Shrivastava and Li 2014). Two signatures agree
//!   in a bin with probability the Jaccard similarity of the two sets. One hash per shingle.
//! - **Bands** (locality-sensitive hashing): the signature cut into [`BANDS`] bands of
//!   [`ROWS`] bins, each band hashed to one indexed term. Articles sharing a band term are
//!   candidates: with two rows a band, a pair of Jaccard 0.2 shares one with probability
//!   0.73, of 0.5 with probability 1 − 10⁻⁹, and unrelated news shares none.
//! - **Verification**: a candidate pair is a copy when the actual shingle sets, recomputed
//!   from both texts, overlap enough: [`is_copy`]. Containment (the share of the shorter
//!   text's shingles the longer one prints) finds teasers and excerpts of a longer text,
//!   which Jaccard alone would call unrelated.
//! - **Clusters** ([`Clusterer`]): at index time each article joins the cluster of the first
//!   earlier article it verifies against, or starts its own; every document of the article
//!   carries the cluster's key, which search collapses on.
//! - **Candidate terms** (bands and anchors) are not tantivy terms: those written since the
//!   last commit are looked up in memory, committed ones in sorted run files beside the
//!   index ([`terms`]).

use std::ops::Range;

use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, TantivyError, Term, TERMINATED};

use crate::analysis;
use crate::document::{self, field, Read};
use crate::error::Result;
use crate::schema::{Fields, KeyMap};
use crate::store::Store;

pub mod terms;

/// Words a shingle spans.
pub const SHINGLE: usize = 3;

/// Bins of a signature.
pub const BINS: usize = 64;

/// Bins a band spans.
pub const ROWS: usize = 2;

/// Bands of a signature.
pub const BANDS: usize = BINS / ROWS;

/// The fewest shingles a text needs to be compared: shorter texts (a headline, a caption)
/// share their few shingles with anything on the same story.
pub const MIN_SHINGLES: usize = 12;

/// How much of the shorter text's shingles the longer one must print for the two to be
/// copies: chosen on the labelled pairs of the development corpus (see the README).
pub const MIN_CONTAINMENT: f64 = 0.3;

/// An article's shingle hashes, by passage (distinct and sorted within each). 32 bits a
/// shingle: two articles of a thousand shingles each share one by chance once in four
/// thousand pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shingles {
    passages: Vec<Vec<u32>>,
}

impl Shingles {
    /// Every shingle of the article, distinct, sorted.
    pub fn all(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self.passages.concat();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// The shingles of an article's passages.
pub fn shingles(text: &str, passages: &[Range<usize>]) -> Shingles {
    thread_local! {
        static EXACT: std::cell::RefCell<analysis::TextAnalyzer> =
            std::cell::RefCell::new(analysis::exact());
    }
    let mut out = Shingles::default();
    EXACT.with(|a| {
        let mut a = a.borrow_mut();
        for range in passages {
            let Some(passage) = text.get(range.clone()) else {
                continue;
            };
            let mut set = Vec::new();
            let mut words: Vec<(u64, bool)> = Vec::new();
            let mut stream = a.token_stream(passage);
            while stream.advance() {
                let t = &stream.token().text;
                let cjk = t.chars().next().is_some_and(analysis::is_cjk);
                words.push((crate::fnv::hash(t.as_bytes()), cjk));
            }
            for (i, (_, cjk)) in words.iter().enumerate() {
                // A pair of Han, kana or Hangul characters is less than a word: a shingle of
                // them spans twice as many.
                let width = if *cjk { 2 * SHINGLE } else { SHINGLE };
                let Some(window) = words.get(i..i + width) else {
                    break;
                };
                let mut h = 0xcbf2_9ce4_8422_2325_u64;
                for (x, _) in window {
                    h = mix(h ^ x);
                }
                set.push((h >> 32) as u32);
            }
            set.sort_unstable();
            set.dedup();
            out.passages.push(set);
        }
    });
    out
}

/// splitmix64's finaliser: spreads a hash's bits over all 64.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The MinHash signature of an article's shingles; `None` below [`MIN_SHINGLES`] distinct
/// ones. (A minimum does not care for repeats: the passages' lists need no merging.)
pub fn signature(shingles: &Shingles) -> Option<[u32; BINS]> {
    let total: usize = shingles.passages.iter().map(Vec::len).sum();
    if total < MIN_SHINGLES || (total < 2 * MIN_SHINGLES && shingles.all().len() < MIN_SHINGLES) {
        return None;
    }
    let bits = BINS.trailing_zeros();
    let mut bins = [u32::MAX; BINS];
    let mut full = [false; BINS];
    for &s in shingles.passages.iter().flatten() {
        let h = mix(u64::from(s));
        let bin = (h >> (64 - bits)) as usize;
        let value = (h >> 8) as u32;
        if value <= bins[bin] {
            bins[bin] = value;
            full[bin] = true;
        }
    }
    // Rotation densification: an empty bin takes the next full bin's value, shifted by the
    // distance, so two sets agree in it only where they agree in that full bin.
    let filled = bins;
    for i in 0..BINS {
        if full[i] {
            continue;
        }
        if let Some(d) = (1..BINS).find(|d| full[(i + d) % BINS]) {
            bins[i] = mix(u64::from(filled[(i + d) % BINS]) ^ d as u64) as u32;
        }
    }
    Some(bins)
}

/// The band terms of a signature: each the hash of its band's number and bins.
pub fn bands(signature: &[u32; BINS]) -> Vec<u64> {
    signature
        .chunks(ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let mut h = mix(band as u64);
            for r in rows {
                h = mix(h ^ u64::from(*r));
            }
            h
        })
        .collect()
}

/// What two articles share of each other's candidate terms.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Evidence {
    bands: usize,
    anchors: usize,
}

impl Evidence {
    /// Candidates are verified most evidence first: a band counts for two anchors.
    fn weight(&self) -> usize {
        2 * self.bands + self.anchors
    }

    /// Whether a pair is worth verifying (reading the other text back and analysing it): one
    /// shared band, or at least two shared anchors that are as large a share of the fewer
    /// anchors as half [`MIN_CONTAINMENT`] (the share of anchors shared estimates the share of
    /// shingles; two anchors shared among forty is two stories quoting the same phrases).
    fn worth_verifying(&self, mine: usize, theirs: usize) -> bool {
        let fewer = mine.min(theirs).max(1) as f64;
        self.bands > 0
            || (self.anchors >= 2 && self.anchors as f64 >= fewer * MIN_CONTAINMENT / 2.0)
    }
}

/// One shingle in this many is an anchor ([`anchors`]).
pub const ANCHOR_EVERY: u64 = 32;

/// An anchor printed by more articles than this is common wording ("according to the"),
/// not a sign of a copy: it is not followed.
const MAX_ANCHOR_ARTICLES: usize = 200;

/// The anchor terms of an article: its shingles whose hash is a multiple of
/// [`ANCHOR_EVERY`] (Manber's and Broder's "mod m" sampling), as terms apart from the bands'.
/// The choice depends on the shingle alone, so a text inside another has its every anchor in
/// the other: anchors find a teaser in a long article and a rewrite that keeps a third of the
/// wording, which the bands (which estimate Jaccard similarity) miss.
pub fn anchors(shingles: &Shingles) -> Vec<u64> {
    let mut out: Vec<u64> = shingles
        .passages
        .iter()
        .flatten()
        .filter(|&&s| mix(u64::from(s)).is_multiple_of(ANCHOR_EVERY))
        .map(|&s| mix(u64::from(s) ^ 0xa5a5_a5a5_0000_0000))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The share of bins two signatures agree in: an estimate of their Jaccard similarity.
pub fn estimate(a: &[u32; BINS], b: &[u32; BINS]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / BINS as f64
}

/// How two texts' shingle sets overlap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overlap {
    /// Shared shingles over all shingles (Jaccard similarity).
    pub jaccard: f64,
    /// Shared shingles over the smaller set's (containment of the shorter text).
    pub containment: f64,
}

/// The actual overlap of two sorted, distinct shingle sets.
pub fn overlap(a: &[u32], b: &[u32]) -> Overlap {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    let smaller = a.len().min(b.len());
    Overlap {
        jaccard: if union == 0 {
            0.0
        } else {
            shared as f64 / union as f64
        },
        containment: if smaller == 0 {
            0.0
        } else {
            shared as f64 / smaller as f64
        },
    }
}

/// Whether two articles' shingles make them copies of one text: the longer prints at least
/// [`MIN_CONTAINMENT`] of the shorter's shingles, and not all in one passage ([`spread`]).
pub fn is_copy(a: &Shingles, b: &Shingles) -> Option<Overlap> {
    let (all_a, all_b) = (a.all(), b.all());
    if all_a.len() < MIN_SHINGLES || all_b.len() < MIN_SHINGLES {
        return None;
    }
    let o = overlap(&all_a, &all_b);
    if o.containment < MIN_CONTAINMENT {
        return None;
    }
    let (shorter, longer) = if all_a.len() <= all_b.len() {
        (a, &all_b)
    } else {
        (b, &all_a)
    };
    spread(shorter, longer).then_some(o)
}

/// Whether the text `shorter` shares with `longer` is more than one of its passages: leaving
/// out the passage that shares the most, the rest still share half of [`MIN_CONTAINMENT`].
/// A site's boilerplate line ("summarised from Yonhap by our extraction technology…") or one
/// quoted statement makes two short articles share a third of their text and nothing else;
/// a text of one passage (a teaser) is judged by containment alone.
fn spread(shorter: &Shingles, longer: &[u32]) -> bool {
    let each: Vec<(usize, usize)> = shorter
        .passages
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| {
            let shared = p.iter().filter(|s| longer.binary_search(s).is_ok()).count();
            (shared, p.len())
        })
        .collect();
    let Some(best) = (0..each.len()).max_by_key(|&i| (each[i].0, std::cmp::Reverse(i))) else {
        return false;
    };
    let (shared, len) = each
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .fold((0, 0), |(s, l), (_, &(ps, pl))| (s + ps, l + pl));
    len == 0 || shared as f64 / len as f64 >= MIN_CONTAINMENT / 2.0
}

/// Candidates an article is verified against, most shared terms first: the first that
/// verifies gives the cluster, so a story run by thousands of outlets costs a few checks.
const MAX_VERIFY: usize = 6;

/// Where an article stands among copies, as [`Clusterer::assign`] decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The cluster: the key of its first-indexed member (the article's own key when it copies
    /// nothing indexed before it).
    pub cluster: u64,
    /// How many anchor terms it has (none for a text too short to judge).
    pub anchors: usize,
}

/// An article written since the last commit, which the committed index cannot show yet.
struct Recent {
    key: u64,
    cluster: u64,
    anchors: usize,
    shingles: Shingles,
}

/// Assigns articles to copy clusters as they are indexed. An article joins the cluster of
/// the first candidate (an article sharing a band of its signature, indexed before it, in
/// the committed index or written since) whose text verifies as a copy ([`is_copy`]);
/// otherwise it starts a cluster of its own. Clusters only grow: deleting a member leaves the
/// others' cluster as it was, and a search reads the members alive. Cost per article: one
/// lookup of its bands and at most [`MAX_VERIFY`] verifications, whatever the index size.
pub struct Clusterer {
    fields: Fields,
    committed: Searcher,
    /// The candidate terms of the committed articles.
    files: terms::Terms,
    /// (term, key) of every article written since the last commit, for `files`.
    pending: Vec<(u64, u64)>,
    /// Term → the last of the articles written since the last commit that carry it (an
    /// index into `links`) and how many do.
    terms: KeyMap<(u32, u32)>,
    /// Lists of articles by band: (index into `recent`, the next link or `u32::MAX`).
    links: Vec<(u32, u32)>,
    recent: Vec<Recent>,
}

impl Clusterer {
    /// A clusterer over what `store` has committed.
    pub fn new(store: &Store) -> Result<Clusterer> {
        Ok(Clusterer {
            fields: store.fields().clone(),
            committed: store.index().reader()?.searcher(),
            files: terms::Terms::open(store.path())?,
            pending: Vec::new(),
            terms: KeyMap::default(),
            links: Vec::new(),
            recent: Vec::new(),
        })
    }

    /// The index's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Before a commit: writes the candidate terms of the articles written since the last
    /// one (durably: a commit never publishes articles whose terms are lost; terms of
    /// articles a failed commit left out name keys that resolve to nothing).
    pub fn flush(&mut self) -> Result<()> {
        self.files.add(std::mem::take(&mut self.pending))
    }

    /// After a commit: what was written since the last one is now in the index.
    pub fn committed(&mut self, store: &Store) -> Result<()> {
        self.committed = store.index().reader()?.searcher();
        self.terms.clear();
        self.links.clear();
        self.recent.clear();
        Ok(())
    }

    /// The cluster and band terms of the article `key` with these shingles.
    pub fn assign(&mut self, key: u64, shingles: &Shingles) -> Result<Mark> {
        let mine = shingles.clone();
        let Some(signature) = signature(&mine) else {
            return Ok(Mark {
                cluster: key,
                anchors: 0,
            });
        };
        let bands = bands(&signature);
        let anchors = anchors(&mine);
        let cluster = match self.recent_copy(key, &mine, &bands, &anchors) {
            Some(c) => c,
            None => self
                .committed_copy(key, &mine, &bands, &anchors)?
                .unwrap_or(key),
        };
        let at = self.recent.len() as u32;
        let anchor_count = anchors.len();
        for term in bands.iter().chain(&anchors) {
            self.pending.push((*term, key));
            let link = self.links.len() as u32;
            let (next, count) = self.terms.get(term).copied().unwrap_or((u32::MAX, 0));
            self.terms.insert(*term, (link, count + 1));
            self.links.push((at, next));
        }
        self.recent.push(Recent {
            key,
            cluster,
            anchors: anchor_count,
            shingles: mine,
        });
        Ok(Mark {
            cluster,
            anchors: anchor_count,
        })
    }

    /// The cluster of a copy among the articles written since the last commit.
    fn recent_copy(
        &self,
        key: u64,
        mine: &Shingles,
        bands: &[u64],
        anchors: &[u64],
    ) -> Option<u64> {
        let mut shared: KeyMap<Evidence> = KeyMap::default();
        let is_band = bands.iter().map(|t| (t, true));
        for (term, band) in is_band.chain(anchors.iter().map(|t| (t, false))) {
            let Some(&(mut link, count)) = self.terms.get(term) else {
                continue;
            };
            if !band && count as usize > MAX_ANCHOR_ARTICLES {
                continue;
            }
            while let Some(&(i, next)) = self.links.get(link as usize) {
                let e = shared.entry(u64::from(i)).or_default();
                if band {
                    e.bands += 1;
                } else {
                    e.anchors += 1;
                }
                link = next;
            }
        }
        let mut candidates: Vec<(u64, Evidence)> = shared
            .into_iter()
            .filter(|(i, e)| e.worth_verifying(anchors.len(), self.recent[*i as usize].anchors))
            .collect();
        candidates.sort_by_key(|&(i, e)| (std::cmp::Reverse(e.weight()), i));
        candidates
            .into_iter()
            .map(|(i, _)| &self.recent[i as usize])
            .filter(|r| r.key != key)
            .take(MAX_VERIFY)
            .find(|r| is_copy(mine, &r.shingles).is_some())
            .map(|r| r.cluster)
    }

    /// The cluster of a copy in the committed index.
    fn committed_copy(
        &self,
        key: u64,
        mine: &Shingles,
        bands: &[u64],
        anchors: &[u64],
    ) -> Result<Option<u64>> {
        if self.files.is_empty() {
            return Ok(None);
        }
        let mut shared: KeyMap<Evidence> = KeyMap::default();
        let mut keys = Vec::new();
        let is_band = bands.iter().map(|t| (t, true));
        for (term, band) in is_band.chain(anchors.iter().map(|t| (t, false))) {
            keys.clear();
            self.files.keys(*term, &mut keys);
            // An anchor this common is wording, not a copy.
            if !band && keys.len() > MAX_ANCHOR_ARTICLES {
                continue;
            }
            for k in keys.iter().filter(|&&k| k != key) {
                let e = shared.entry(*k).or_default();
                if band {
                    e.bands += 1;
                } else {
                    e.anchors += 1;
                }
            }
        }
        let mut candidates: Vec<(u64, Evidence)> = shared
            .into_iter()
            .filter(|(_, e)| e.bands > 0 || e.anchors >= 2)
            .collect();
        candidates.sort_by_key(|&(k, e)| (std::cmp::Reverse(e.weight()), k));
        let f = &self.fields;
        let mut verified = 0;
        // Keys whose article is gone (deleted, or replaced under another key) are passed over.
        for (theirs, e) in candidates.into_iter().take(4 * MAX_VERIFY) {
            let Some((address, their_anchors)) = self.article_doc(theirs)? else {
                continue;
            };
            if !e.worth_verifying(anchors.len(), their_anchors) {
                continue;
            }
            let read = document::read(f, &self.committed.doc(address)?)?;
            if is_copy(mine, &shingles_of(&read)).is_some() {
                return Ok(Some(read.stored.cluster));
            }
            verified += 1;
            if verified == MAX_VERIFY {
                break;
            }
        }
        Ok(None)
    }

    /// The committed article document of `key`, alive, and its count of anchors.
    fn article_doc(&self, key: u64) -> Result<Option<(DocAddress, usize)>> {
        let term = Term::from_field_u64(self.fields.article_key, key);
        for (ord, reader) in self.committed.segment_readers().iter().enumerate() {
            let inverted = reader.inverted_index(self.fields.article_key)?;
            let Some(mut postings) = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(TantivyError::from)?
            else {
                continue;
            };
            // Only an article's own document carries its anchor count.
            let counts = reader.fast_fields().u64(field::COPY_ANCHORS)?;
            let alive = reader.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    if let Some(n) = counts.first(doc) {
                        return Ok(Some((DocAddress::new(ord as u32, doc), n as usize)));
                    }
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }
}

/// The shingles of an article read back from the index, over its stored passages.
pub fn shingles_of(read: &Read) -> Shingles {
    let passages: Vec<Range<usize>> = read.stored.ranges.iter().map(|[a, b]| *a..*b).collect();
    shingles(&read.text, &passages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Shingles {
        shingles(text, std::slice::from_ref(&(0..text.len())))
    }

    const STORY: &str =
        "Iran's ambassador to the United Nations met Elon Musk in New York on Monday, \
        two Iranian officials said, in a meeting that discussed how to defuse tensions between \
        Tehran and Washington. The officials described the meeting as positive and said it lasted \
        more than an hour at a secret location.";

    #[test]
    fn a_copy_with_a_new_opening_is_a_copy_and_another_story_is_not() {
        let a = whole(STORY);
        let b = whole(&format!("NEW YORK (AP) — {STORY} Read more on our site."));
        let c = whole(
            "The central bank raised interest rates by a quarter point on Wednesday, \
            citing persistent inflation in services and a tight labour market, and signalled that \
            more increases could follow before the end of the year if prices keep rising.",
        );
        let copy = is_copy(&a, &b).expect("a copy");
        assert!(copy.containment > 0.95 && copy.jaccard > 0.8, "{copy:?}");
        assert_eq!(is_copy(&a, &c), None);
        let (sa, sb, sc) = (
            signature(&a).unwrap(),
            signature(&b).unwrap(),
            signature(&c).unwrap(),
        );
        assert!(estimate(&sa, &sb) > 0.6, "{}", estimate(&sa, &sb));
        assert!(estimate(&sa, &sc) < 0.1, "{}", estimate(&sa, &sc));
        // A copy shares a band term; the other story none.
        let shared = |x: &[u32; BINS], y: &[u32; BINS]| {
            let bx = bands(x);
            bands(y).iter().filter(|t| bx.contains(t)).count()
        };
        assert!(shared(&sa, &sb) > 0);
        assert_eq!(shared(&sa, &sc), 0);
    }

    #[test]
    fn a_teaser_is_contained_in_the_full_text() {
        let teaser: String = STORY.split(". ").next().unwrap().to_string();
        let t = whole(&teaser);
        let full = whole(STORY);
        let o = is_copy(&t, &full).expect("contained");
        assert!(o.containment > 0.99 && o.jaccard < 0.7, "{o:?}");
    }

    #[test]
    fn a_text_inside_another_has_every_anchor_of_its_own_in_the_other() {
        let long: String = (0..40)
            .map(|i| format!("{STORY} Paragraph {i}. "))
            .collect();
        let inside = whole(&long[..long.len() / 3]);
        let (mine, theirs) = (anchors(&inside), anchors(&whole(&long)));
        assert!(mine.len() >= 2, "{mine:?}");
        assert!(mine.iter().all(|a| theirs.contains(a)));
        // Anchors are terms apart from the bands': no anchor equals a band.
        let b = bands(&signature(&inside).unwrap());
        assert!(mine.iter().all(|a| !b.contains(a)));
    }

    #[test]
    fn texts_too_short_to_judge_are_never_copies() {
        let a = whole("Musk met the envoy.");
        assert!(a.all().len() < MIN_SHINGLES);
        assert_eq!(signature(&a), None);
        assert_eq!(is_copy(&a, &a), None);
    }

    /// Paragraphs as passages, one per line.
    fn paragraphs(text: &str) -> Shingles {
        let mut at = 0;
        let ranges: Vec<Range<usize>> = text
            .split('\n')
            .map(|line| {
                let r = at..at + line.len();
                at += line.len() + 1;
                r
            })
            .collect();
        shingles(text, &ranges)
    }

    #[test]
    fn a_shared_boilerplate_paragraph_alone_is_not_a_copy() {
        let boilerplate = "This summary was made by our extraction technology from an \
            agency report; some content may be missing, so please read the full article.";
        let a = paragraphs(&format!("{STORY}\n{boilerplate}"));
        let b = paragraphs(&format!(
            "The central bank raised interest rates by a quarter point on Wednesday, citing \
            persistent inflation.\n{boilerplate}"
        ));
        let all = |s: &Shingles| s.all();
        // A third of the shorter text is shared: by containment alone, a copy.
        assert!(overlap(&all(&a), &all(&b)).containment > MIN_CONTAINMENT);
        assert_eq!(is_copy(&a, &b), None);
        // The same story with the boilerplate is still a copy of the story.
        let c = paragraphs(&format!("NEW YORK (AP) — {STORY}\n{boilerplate}"));
        assert!(is_copy(&a, &c).is_some());
    }
}
