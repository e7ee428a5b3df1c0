//! The copy terms of committed articles (each article's bands and anchors, with its key),
//! kept beside the index in `copies/` rather than as tantivy terms. Every one of these terms
//! is an article's own (a band of its signature, a phrase few others print): as indexed
//! terms they doubled the term dictionary, and writing, merging and looking them up cost
//! a fifth of indexing time at 100,000 articles. Here they are sorted runs of fixed-size
//! records, written once at each commit.
//!
//! - A run file, `terms-LO-HI.bin` (it holds the records of commits LO to HI): 8 bytes of
//!   magic, then records of (term, article key), both u64 little-endian, sorted.
//! - Runs merge like a binary counter: a new run merges with the one before it while it is
//!   at least as large, so n records make at most log₂ of the number of commits runs, and
//!   each record is rewritten that many times. A merge streams (constant memory) and
//!   replaces its inputs by rename; a run that another covers (a merge cut off before it
//!   deleted its inputs) is removed on open.
//! - Terms are hashes, uniform over u64: a lookup starts where the term would sit if the
//!   records were evenly spread and gallops from there, one or two pages a lookup.
//! - Records of deleted or re-indexed articles stay: the key they name no longer resolves
//!   to an article (or to the new text, which verification reads), so they cost disk only.
//! - Most lookups find nothing (an article's bands and anchors are its own), and a miss
//!   still touched a page of every run: at 1,000,000 articles that was an eighth of indexing
//!   time. A [`Filter`] over the terms of every run, held in memory and built on open, says
//!   "certainly absent" for all but about one miss in a hundred without touching a run.

use std::io::Write;
use std::path::{Path, PathBuf};

use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};

use crate::error::{Error, Result};

/// The folder inside the index that holds the runs.
pub const FOLDER: &str = "copies";

const MAGIC: &[u8; 8] = b"BYLCT001";
const RECORD: usize = 16;

/// Every committed article's copy terms.
pub struct Terms {
    dir: PathBuf,
    runs: Vec<Run>,
    filter: Filter,
}

struct Run {
    lo: u64,
    hi: u64,
    bytes: OwnedBytes,
}

impl Run {
    fn len(&self) -> usize {
        (self.bytes.len() - MAGIC.len()) / RECORD
    }

    fn record(&self, i: usize) -> (u64, u64) {
        let at = MAGIC.len() + i * RECORD;
        (u64_at(&self.bytes, at), u64_at(&self.bytes, at + 8))
    }

    fn term(&self, i: usize) -> u64 {
        u64_at(&self.bytes, MAGIC.len() + i * RECORD)
    }

    /// The first record whose term is at least `t`.
    fn lower_bound(&self, t: u64) -> usize {
        let n = self.len();
        if n == 0 {
            return 0;
        }
        let guess = ((u128::from(t) * n as u128) >> 64) as usize;
        // Gallop from the guess to a range that holds the answer: [lo, hi], where hi is n or
        // a record at least t.
        let (mut lo, mut hi) = if self.term(guess) < t {
            let (mut lo, mut step) = (guess + 1, 1);
            let hi = loop {
                let at = lo + step - 1;
                if at >= n {
                    break n;
                }
                if self.term(at) >= t {
                    break at;
                }
                lo = at + 1;
                step *= 2;
            };
            (lo, hi)
        } else {
            let (mut hi, mut step) = (guess, 1);
            let lo = loop {
                if hi == 0 {
                    break 0;
                }
                let at = hi.saturating_sub(step);
                if self.term(at) < t {
                    break at + 1;
                }
                hi = at;
                step *= 2;
            };
            (lo, hi)
        };
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.term(mid) < t {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    if let Some(s) = bytes.get(at..at + 8) {
        x.copy_from_slice(s);
    }
    u64::from_le_bytes(x)
}

/// The commits a run file covers, from its name.
fn covers(name: &str) -> Option<(u64, u64)> {
    let (lo, hi) = name
        .strip_prefix("terms-")?
        .strip_suffix(".bin")?
        .split_once('-')?;
    Some((lo.parse().ok()?, hi.parse().ok()?))
}

fn name(lo: u64, hi: u64) -> String {
    format!("terms-{lo:010}-{hi:010}.bin")
}

impl Terms {
    /// The runs under the index folder `index` (none yet: an empty set).
    pub fn open(index: &Path) -> Result<Terms> {
        let dir = index.join(FOLDER);
        let mut terms = Terms {
            dir: dir.clone(),
            runs: Vec::new(),
            filter: Filter::with_capacity(0),
        };
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(terms),
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut found: Vec<(u64, u64, String)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            let file = entry.file_name().to_string_lossy().into_owned();
            if let Some((lo, hi)) = covers(&file) {
                found.push((lo, hi, file));
            }
        }
        let directory = terms.directory()?;
        found.sort();
        for (lo, hi, file) in &found {
            let covered = found
                .iter()
                .any(|(l, h, f)| f != file && l <= lo && hi <= h && (l, h) != (lo, hi));
            if covered {
                let _ = std::fs::remove_file(dir.join(file));
                continue;
            }
            terms.runs.push(Run {
                lo: *lo,
                hi: *hi,
                bytes: read(&directory, &dir, file)?,
            });
        }
        terms.refilter(0);
        Ok(terms)
    }

    /// Rebuilds the filter from every run, with room for `more` records besides.
    fn refilter(&mut self, more: usize) {
        // A quarter to spare: commits add records, and outgrowing it means a rebuild.
        let wanted = self.len() + more;
        self.filter = Filter::with_capacity(wanted + wanted / 4);
        for run in &self.runs {
            for i in 0..run.len() {
                self.filter.insert(run.term(i));
            }
        }
    }

    /// Appends to `out` the key of every record of `term`, in every run.
    pub fn keys(&self, term: u64, out: &mut Vec<u64>) {
        if !self.filter.may_hold(term) {
            return;
        }
        for run in &self.runs {
            let mut i = run.lower_bound(term);
            while i < run.len() {
                let (t, key) = run.record(i);
                if t != term {
                    break;
                }
                out.push(key);
                i += 1;
            }
        }
    }

    /// How many records the runs hold.
    pub fn len(&self) -> usize {
        self.runs.iter().map(Run::len).sum()
    }

    /// Whether there is no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes `records` (term, key) as a new run, durably, then merges runs as the binary
    /// counter says. Nothing to write writes nothing.
    pub fn add(&mut self, mut records: Vec<(u64, u64)>) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        records.sort_unstable();
        records.dedup();
        if self.len() + records.len() > self.filter.capacity {
            self.refilter(records.len());
        }
        for &(term, _) in &records {
            self.filter.insert(term);
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let seq = self.runs.last().map_or(0, |r| r.hi + 1);
        self.write(seq, seq, records.into_iter())?;
        while let [.., before, last] = self.runs.as_slice() {
            if last.len() < before.len() {
                break;
            }
            let (lo, hi) = (before.lo, last.hi);
            let merged = Merged {
                a: before,
                b: last,
                i: 0,
                j: 0,
            };
            let old = [name(before.lo, before.hi), name(last.lo, last.hi)];
            let run = self.write_run(lo, hi, merged)?;
            self.runs.truncate(self.runs.len() - 2);
            self.runs.push(run);
            for file in old {
                std::fs::remove_file(self.dir.join(&file))
                    .map_err(|e| Error::io(self.dir.join(&file), e))?;
            }
            sync(&self.dir)?;
        }
        Ok(())
    }

    fn write(&mut self, lo: u64, hi: u64, records: impl Iterator<Item = (u64, u64)>) -> Result<()> {
        let run = self.write_run(lo, hi, records)?;
        self.runs.push(run);
        Ok(())
    }

    /// Writes a run file through a temporary name and opens it.
    fn write_run(
        &self,
        lo: u64,
        hi: u64,
        records: impl Iterator<Item = (u64, u64)>,
    ) -> Result<Run> {
        let file = name(lo, hi);
        let path = self.dir.join(&file);
        let tmp = self.dir.join(format!("{file}.tmp"));
        let fail = |e| Error::io(&tmp, e);
        let out = std::fs::File::create(&tmp).map_err(fail)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
        w.write_all(MAGIC).map_err(fail)?;
        for (term, key) in records {
            w.write_all(&term.to_le_bytes()).map_err(fail)?;
            w.write_all(&key.to_le_bytes()).map_err(fail)?;
        }
        let out = w.into_inner().map_err(|e| fail(e.into_error()))?;
        out.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        sync(&self.dir)?;
        Ok(Run {
            lo,
            hi,
            bytes: read(&self.directory()?, &self.dir, &file)?,
        })
    }

    fn directory(&self) -> Result<MmapDirectory> {
        MmapDirectory::open(&self.dir)
            .map_err(|e| Error::InvalidArgument(format!("{}: {e}", self.dir.display())))
    }
}

/// A run's bytes, mapped, after checking its magic and length.
fn read(directory: &MmapDirectory, dir: &Path, file: &str) -> Result<OwnedBytes> {
    let path = dir.join(file);
    let damaged = |why: &str| {
        Error::InvalidArgument(format!(
            "{} is damaged ({why}); rebuild the index with `byline index --force`",
            path.display()
        ))
    };
    let bytes = directory
        .open_read(Path::new(file))
        .map_err(|e| damaged(&e.to_string()))?
        .read_bytes()
        .map_err(|e| Error::io(&path, e))?;
    if bytes.len() < MAGIC.len() || &bytes.as_slice()[..MAGIC.len()] != MAGIC {
        return Err(damaged("not a copy-terms file"));
    }
    if !(bytes.len() - MAGIC.len()).is_multiple_of(RECORD) {
        return Err(damaged("cut short"));
    }
    Ok(bytes)
}

fn sync(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))
}

/// A blocked Bloom filter over terms: each term sets [`Filter::PROBES`] bits of one 512-bit
/// block (one cache line), so asking costs one memory access. At 14 bits a term (full) it
/// answers "maybe" for under 1% of the terms it never saw (a "maybe" costs what every lookup
/// cost before: a look in each run), and never "no" for one it saw. At 1,000,000 articles
/// (48 million records, a quarter to spare) that is about 105 MB.
struct Filter {
    blocks: Vec<[u64; 8]>,
    /// How many terms it was sized for; more raise the false "maybe"s.
    capacity: usize,
}

impl Filter {
    const PROBES: u32 = 7;
    const BITS_PER_TERM: usize = 14;

    fn with_capacity(terms: usize) -> Filter {
        let terms = terms.max(1 << 16);
        let blocks = (terms * Self::BITS_PER_TERM).div_ceil(512);
        Filter {
            blocks: vec![[0; 8]; blocks],
            capacity: terms,
        }
    }

    /// The block and the bits of `term` in it. Terms are hashes already; a multiply mixes
    /// in case some are not.
    fn place(&self, term: u64) -> (usize, impl Iterator<Item = (usize, u64)>) {
        let h = term.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (term >> 29);
        // The high half of h, scaled to the block count (no power of two needed).
        let block = (((h >> 32) * self.blocks.len() as u64) >> 32) as usize;
        // Bits from a second mix, so they do not follow from the block.
        let g = (h ^ (h >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let bits = (0..Self::PROBES).map(move |p| {
            let bit = (g.rotate_left(p * 9) & 511) as usize;
            (bit / 64, 1u64 << (bit % 64))
        });
        (block, bits)
    }

    fn insert(&mut self, term: u64) {
        let (block, bits) = self.place(term);
        let words = &mut self.blocks[block];
        for (w, mask) in bits {
            words[w] |= mask;
        }
    }

    fn may_hold(&self, term: u64) -> bool {
        let (block, mut bits) = self.place(term);
        let words = &self.blocks[block];
        bits.all(|(w, mask)| words[w] & mask != 0)
    }
}

/// Two runs' records in order, for a merge.
struct Merged<'a> {
    a: &'a Run,
    b: &'a Run,
    i: usize,
    j: usize,
}

impl Iterator for Merged<'_> {
    type Item = (u64, u64);

    fn next(&mut self) -> Option<(u64, u64)> {
        let a = (self.i < self.a.len()).then(|| self.a.record(self.i));
        let b = (self.j < self.b.len()).then(|| self.b.record(self.j));
        match (a, b) {
            (Some(x), Some(y)) if x <= y => {
                self.i += 1;
                if x == y {
                    self.j += 1;
                }
                Some(x)
            }
            (_, Some(y)) => {
                self.j += 1;
                Some(y)
            }
            (Some(x), None) => {
                self.i += 1;
                Some(x)
            }
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(t: &Terms, term: u64) -> Vec<u64> {
        let mut out = Vec::new();
        t.keys(term, &mut out);
        out.sort_unstable();
        out
    }

    #[test]
    fn records_are_found_after_merges_and_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Terms::open(dir.path()).unwrap();
        assert!(t.is_empty());
        // Five commits: runs of 3, 3 → merged 6; 3; 3 → 6 → 12; 1.
        let spread = |i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for commit in 0..5u64 {
            let n = if commit == 4 { 1 } else { 3 };
            let records = (0..n)
                .map(|i| (spread(commit * 10 + i), commit * 10 + i))
                .collect();
            t.add(records).unwrap();
        }
        assert_eq!(t.len(), 13);
        let files: Vec<String> = std::fs::read_dir(dir.path().join(FOLDER))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(
            files,
            [
                "terms-0000000000-0000000003.bin",
                "terms-0000000004-0000000004.bin"
            ]
        );
        let t = Terms::open(dir.path()).unwrap();
        for commit in 0..5u64 {
            assert_eq!(keys(&t, spread(commit * 10)), [commit * 10]);
        }
        assert_eq!(keys(&t, spread(42)), Vec::<u64>::new());
    }

    #[test]
    fn a_term_of_many_articles_gives_every_key_and_extremes_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Terms::open(dir.path()).unwrap();
        let mut records: Vec<(u64, u64)> = (0..1000).map(|i| ((i * 7919) << 40, i)).collect();
        records.extend((0..50).map(|k| (123, 5000 + k)));
        records.push((0, 1));
        records.push((u64::MAX, 2));
        t.add(records).unwrap();
        assert_eq!(keys(&t, 123), (5000..5050).collect::<Vec<_>>());
        assert_eq!(keys(&t, 0), [0, 1]);
        assert_eq!(keys(&t, u64::MAX), [2]);
        assert_eq!(keys(&t, (999 * 7919) << 40), [999]);
        assert_eq!(keys(&t, 124), Vec::<u64>::new());
    }

    #[test]
    fn the_filter_holds_every_term_it_was_given_and_few_others() {
        let mut f = Filter::with_capacity(100_000);
        let spread = |i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17);
        for i in 0..100_000 {
            f.insert(spread(i));
        }
        assert!((0..100_000).all(|i| f.may_hold(spread(i))));
        // Terms that are not hashes (small integers, shifted ones) spread as well.
        let others = (100_000..1_100_000)
            .filter(|&i| f.may_hold(spread(i)))
            .count();
        let small = (1..1_000_001u64).filter(|&i| f.may_hold(i)).count();
        let shifted = (1..1_000_001u64).filter(|&i| f.may_hold(i << 40)).count();
        assert!(
            others < 10_000,
            "{others} of 1,000,000 absent terms said maybe"
        );
        assert!(small < 10_000, "{small}");
        assert!(shifted < 10_000, "{shifted}");
        // Sized to the terms, not to a power of two: 14 bits a term.
        assert_eq!(f.blocks.len(), (100_000usize * 14).div_ceil(512));
    }

    #[test]
    fn a_filter_outgrown_by_commits_is_rebuilt_and_still_finds_every_term() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Terms::open(dir.path()).unwrap();
        let first = t.filter.capacity;
        let spread = |i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for commit in 0..5u64 {
            let records = (0..first as u64 / 2)
                .map(|i| (spread(commit << 32 | i), commit))
                .collect();
            t.add(records).unwrap();
        }
        assert!(t.filter.capacity > first);
        for commit in 0..5u64 {
            assert_eq!(keys(&t, spread(commit << 32 | 7)), [commit]);
        }
        assert_eq!(keys(&t, spread(9 << 32)), Vec::<u64>::new());
    }

    #[test]
    fn a_run_covered_by_a_merge_is_dropped_and_a_damaged_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Terms::open(dir.path()).unwrap();
        t.add(vec![(1, 10)]).unwrap();
        t.add(vec![(2, 20)]).unwrap();
        // A merge cut off after writing its output but before deleting an input.
        let folder = dir.path().join(FOLDER);
        std::fs::write(folder.join(name(1, 1)), MAGIC).unwrap();
        let t = Terms::open(dir.path()).unwrap();
        assert_eq!(t.len(), 2);
        assert!(!folder.join(name(1, 1)).exists());

        std::fs::write(folder.join(name(2, 2)), b"BYLCT001xyz").unwrap();
        let err = Terms::open(dir.path()).err().unwrap().to_string();
        assert!(
            err.contains("terms-0000000002-0000000002.bin is damaged (cut short)"),
            "{err}"
        );
    }
}
