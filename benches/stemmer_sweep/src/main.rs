//! Stemmer sweep: stems every word of real word lists with rust-stemmers (the version byline
//! uses) and lists every word that makes a stemmer panic.
//!
//! Usage:
//!   stemmer_sweep [--tsv FILE] [--threads N] [--stall SECS] (LANG FILE | DIR)...
//!
//! `LANG FILE` pairs name a word list of a language (ISO 639-1 code, one of the 18 below); a
//! language may have several lists. A DIR holds lists named `LANG.whatever` (`de.wngerman.txt`).
//! Lists are UTF-8, one word a line (invalid lines are skipped and counted); a line with
//! spaces is several words. A raw hunspell `.dic` file is read as one: its count line skipped,
//! each entry cut at its `/FLAGS` and at its morphological fields.
//!
//! Each distinct word is stemmed as given, lowercase, UPPERCASE, Titlecase, and as byline
//! would: cut into tokens as byline's WordTokenizer cuts them, each NFKC-normalised and
//! lowercased with byline's letter-form mappings (a copy of `normalize` in
//! `src/analysis/normalize.rs`).
//! Every call runs inside `catch_unwind` with a silent panic hook that keeps the message.
//!
//! Prints a markdown table (and a list of the panicking words) to stdout; writes every
//! distinct panicking (language, word) to the TSV file.

use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The languages byline stems, in byline's order.
const LANGS: [(&str, &str, Algorithm); 18] = [
    ("ar", "Arabic", Algorithm::Arabic),
    ("da", "Danish", Algorithm::Danish),
    ("de", "German", Algorithm::German),
    ("el", "Greek", Algorithm::Greek),
    ("en", "English", Algorithm::English),
    ("es", "Spanish", Algorithm::Spanish),
    ("fi", "Finnish", Algorithm::Finnish),
    ("fr", "French", Algorithm::French),
    ("hu", "Hungarian", Algorithm::Hungarian),
    ("it", "Italian", Algorithm::Italian),
    ("nl", "Dutch", Algorithm::Dutch),
    ("no", "Norwegian", Algorithm::Norwegian),
    ("pt", "Portuguese", Algorithm::Portuguese),
    ("ro", "Romanian", Algorithm::Romanian),
    ("ru", "Russian", Algorithm::Russian),
    ("sv", "Swedish", Algorithm::Swedish),
    ("ta", "Tamil", Algorithm::Tamil),
    ("tr", "Turkish", Algorithm::Turkish),
];

thread_local! {
    /// The message and place of this thread's last panic, kept by the silent hook.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
    /// Whether the hook should find the panic's place in the stemmer (a backtrace: slow).
    static WANT_BACKTRACE: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Where in rust-stemmers a panic happened, from a backtrace: the innermost algorithm
/// function and the snowball_env function it called (`r_steps3 greek.rs:1585 > slice_from
/// snowball_env.rs:90`). Inlined frames print a name without an `at` line.
fn stemmer_frame(bt: &std::backtrace::Backtrace) -> Option<String> {
    let text = bt.to_string();
    if std::env::var_os("SWEEP_DEBUG_BT").is_some() {
        eprintln!("{text}");
    }
    // (name, location) of each frame.
    let mut frames: Vec<(String, String)> = Vec::new();
    for l in text.lines() {
        let t = l.trim();
        if let Some(at) = t.strip_prefix("at ") {
            if let Some(f) = frames.last_mut() {
                f.1 = at.to_string();
            }
        } else if let Some((_, name)) = t.split_once(": ") {
            frames.push((name.to_string(), String::new()));
        }
    }
    let short = |at: &str| at.rsplit_once("/src/snowball/").map_or(at.to_string(), |(_, f)| f.to_string());
    let short = |at: &str| short(at).rsplit_once(':').map_or(short(at), |(f, _col)| f.to_string());
    let i = frames.iter().position(|f| f.1.contains("/src/snowball/algorithms/"))?;
    let mut place = format!("{} {}", frames[i].0, short(&frames[i].1));
    if let Some(env) = frames[..i].iter().rev().find(|f| f.1.contains("/src/snowball/snowball_env.rs")) {
        place.push_str(&format!(" > {} {}", env.0, short(&env.1)));
    }
    Some(place)
}

fn install_silent_hook() {
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = if let Some(s) = payload.downcast_ref::<&str>() {
            s.to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "(non-string panic payload)".to_string()
        };
        let loc = info
            .location()
            .map(|l| {
                // Keep the path from the crate's own folder on: the registry prefix is noise.
                let file = l.file();
                let file = file.find("rust-stemmers").map_or(file, |i| &file[i..]);
                format!("{file}:{}", l.line())
            })
            .unwrap_or_default();
        let place = if WANT_BACKTRACE.with(|w| w.get()) {
            stemmer_frame(&std::backtrace::Backtrace::force_capture())
        } else {
            None
        };
        let text = match place {
            Some(p) => format!("{msg} in {p}"),
            None => format!("{msg} @ {loc}"),
        }
        .replace(['\t', '\n'], " ");
        LAST_PANIC.with(|p| *p.borrow_mut() = text);
    }));
}

/// Stems `word`; on a panic, its message.
fn try_stem(stemmer: &Stemmer, word: &str) -> Result<(), String> {
    match panic::catch_unwind(AssertUnwindSafe(|| std::hint::black_box(stemmer.stem(word).len()))) {
        Ok(_) => Ok(()),
        Err(_) => Err(LAST_PANIC.with(|p| std::mem::take(&mut *p.borrow_mut()))),
    }
}

// ---- byline's normalisation (copied from src/analysis/normalize.rs; Han conversion left out) ----

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2a6df}')
}

fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c, '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' | '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{ff66}'..='\u{ff9f}')
}

fn continues_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (c.is_alphanumeric() && !is_cjk(c))
        || unicode_normalization::char::is_combining_mark(c)
        || matches!(c, '\u{200c}' | '\u{200d}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// byline's `normalize`: NFKC, Unicode lowercase, Arabic/Persian letter forms, marks removed.
fn normalize(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(word.len());
    for c in word.nfkc().flat_map(char::to_lowercase) {
        let mapped = match c {
            '\u{307}' if out.ends_with(['i', 'j']) => continue,
            '\u{64a}' | '\u{6cc}' | '\u{649}' | '\u{626}' => '\u{64a}',
            '\u{643}' | '\u{6a9}' => '\u{643}',
            '\u{622}' | '\u{623}' | '\u{625}' | '\u{671}' => '\u{627}',
            '\u{629}' | '\u{6c0}' | '\u{6c1}' => '\u{647}',
            '\u{624}' => '\u{648}',
            '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '\u{6f0}'..='\u{6f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
            '\u{640}' | '\u{64b}'..='\u{65f}' | '\u{670}' | '\u{591}'..='\u{5c7}' | '\u{200c}' | '\u{200d}' => continue,
            c => c,
        };
        out.push(mapped);
    }
    out
}

/// What byline's stemmer would read for `word`: its runs of word characters (and, for a
/// hyphenated word, its parts joined), each normalised; empty ones dropped.
fn byline_forms(word: &str) -> Vec<String> {
    let mut runs: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut joined = String::new();
    let mut hyphen_joined = false;
    for c in word.chars() {
        if continues_word(c) {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                joined.push_str(&cur);
                runs.push(std::mem::take(&mut cur));
            }
            hyphen_joined |= is_hyphen(c) && !runs.is_empty();
        }
    }
    if !cur.is_empty() {
        joined.push_str(&cur);
        runs.push(cur);
    }
    if hyphen_joined && runs.len() > 1 {
        runs.push(joined);
    }
    runs.into_iter().map(|r| normalize(&r)).filter(|n| !n.is_empty()).collect()
}

fn titlecase(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

// ---- reading word lists ----

/// Calls `each` with every word of `files`, in order (repeats included); returns the count of
/// invalid (non-UTF-8) lines.
fn for_each_word(files: &[PathBuf], mut each: impl FnMut(&str)) -> usize {
    use std::io::BufRead;
    let mut invalid = 0;
    let mut entry = String::new();
    for path in files {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("warning: cannot read {}: {e}", path.display());
                continue;
            }
        };
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        let is_dic = path.extension().is_some_and(|e| e == "dic");
        let mut buf = Vec::new();
        let mut first = true;
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    eprintln!("warning: error reading {}: {e}", path.display());
                    break;
                }
            }
            let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let Ok(line) = std::str::from_utf8(line) else {
                invalid += 1;
                continue;
            };
            let was_first = std::mem::replace(&mut first, false);
            if is_dic {
                let line = line.trim_start_matches('\u{feff}');
                if was_first && line.trim().chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                // The entry ends at its first unescaped '/', or at a tab or space (fields).
                entry.clear();
                let mut chars = line.trim_start().chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' if chars.peek() == Some(&'/') => {
                            entry.push('/');
                            chars.next();
                        }
                        '/' | '\t' | ' ' => break,
                        c => entry.push(c),
                    }
                }
                if !entry.is_empty() {
                    each(&entry);
                }
            } else {
                for w in line.trim_start_matches('\u{feff}').split_whitespace() {
                    each(w);
                }
            }
        }
    }
    invalid
}

/// A 64-bit hash of a string (SipHash with fixed keys: the same in every run).
fn hash64(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Hasher for keys that are already hashes.
#[derive(Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of string hashes: 64 bits a string instead of the string, so a language of a
/// hundred million inflected forms fits in memory (a collision, ~1e-3 chance at 2e8 strings,
/// would at worst skip one string).
type HashedSet = HashSet<u64, std::hash::BuildHasherDefault<PassThrough>>;

// ---- the sweep ----

struct Job {
    code: &'static str,
    name: &'static str,
    algorithm: Algorithm,
    files: Vec<PathBuf>,
}

/// A distinct string that panicked.
struct Found {
    /// Which variants gave it (given, lower, upper, title, byline).
    kinds: BTreeSet<&'static str>,
    /// The first list word it came from.
    source: String,
    message: String,
    /// What byline would stem for it, and whether that panics too.
    byline: Vec<String>,
    byline_panics: bool,
}

#[derive(Default)]
struct Outcome {
    /// Distinct list words.
    words: u64,
    invalid_lines: usize,
    /// Distinct strings stemmed (each list word and its variants; each string once).
    calls: u64,
    /// Calls that panicked: distinct panicking strings.
    panics: u64,
    /// List words with at least one panicking variant.
    panicking_words: u64,
    /// List words that byline itself would panic on (a byline form of them panics).
    byline_words: u64,
    found: BTreeMap<String, Found>,
    secs: f64,
}

/// Progress of a worker, for the stall watchdog.
struct Progress {
    calls: AtomicU64,
    /// Language and string being stemmed, written before each call.
    current: Mutex<(String, String)>,
    busy: AtomicBool,
}

/// Keep the panic's place (a backtrace, slow) for this many panics a language, then only its
/// message: a language where thousands of words panic stays fast.
const BACKTRACES: usize = 2000;

fn sweep(job: &Job, progress: &Progress) -> Outcome {
    let start = Instant::now();
    let stemmer = Stemmer::create(job.algorithm);
    let mut out = Outcome::default();
    let mut words = HashedSet::default();
    let mut seen = HashedSet::default();
    let mut variants: Vec<(String, &'static str)> = Vec::with_capacity(8);
    let mut n = 0u64;
    out.invalid_lines = for_each_word(&job.files, |word| {
        if !words.insert(hash64(word)) {
            return;
        }
        out.words += 1;
        variants.clear();
        variants.push((word.to_string(), "given"));
        variants.push((word.to_lowercase(), "lower"));
        variants.push((word.to_uppercase(), "upper"));
        variants.push((titlecase(word), "title"));
        for f in byline_forms(word) {
            variants.push((f, "byline"));
        }
        let (mut any, mut byline_any) = (false, false);
        for (v, kind) in &variants {
            let panicked = if seen.insert(hash64(v)) {
                n += 1;
                progress.calls.store(n, Ordering::Relaxed);
                {
                    let mut cur = progress.current.lock().unwrap();
                    cur.1.clear();
                    cur.1.push_str(v);
                }
                out.calls += 1;
                WANT_BACKTRACE.with(|w| w.set(out.found.len() < BACKTRACES));
                match try_stem(&stemmer, v) {
                    Ok(()) => false,
                    Err(message) => {
                        out.panics += 1;
                        let byline = byline_forms(v);
                        let byline_panics = byline.iter().any(|b| try_stem(&stemmer, b).is_err());
                        out.found.insert(
                            v.clone(),
                            Found { kinds: BTreeSet::new(), source: word.to_string(), message, byline, byline_panics },
                        );
                        true
                    }
                }
            } else {
                out.found.contains_key(v)
            };
            if panicked {
                if let Some(f) = out.found.get_mut(v) {
                    f.kinds.insert(kind);
                }
                any = true;
                byline_any |= *kind == "byline";
            }
        }
        out.panicking_words += u64::from(any);
        out.byline_words += u64::from(byline_any);
    });
    progress.calls.store(n, Ordering::Relaxed);
    out.secs = start.elapsed().as_secs_f64();
    out
}

/// Whether byline could hand `s` itself to a stemmer (it is its own byline form).
fn byline_reachable(s: &str) -> bool {
    let forms = byline_forms(s);
    forms.len() == 1 && forms[0] == s
}

fn usage() -> ! {
    eprintln!("usage: stemmer_sweep [--tsv FILE] [--threads N] [--stall SECS] (LANG FILE | DIR)...");
    eprintln!("LANG: one of {}", LANGS.map(|l| l.0).join(" "));
    std::process::exit(2);
}

fn lang_of(code: &str) -> Option<usize> {
    LANGS.iter().position(|l| l.0 == code)
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut tsv = PathBuf::from("stemmer_sweep_panics.tsv");
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut stall = 120u64;
    let mut files: Vec<Vec<PathBuf>> = vec![Vec::new(); LANGS.len()];
    while let Some(a) = args.next() {
        match a.as_str() {
            "--tsv" => tsv = args.next().unwrap_or_else(|| usage()).into(),
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage()),
            "--stall" => stall = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage()),
            "-h" | "--help" => usage(),
            _ => {
                if let Some(l) = lang_of(&a) {
                    let f = args.next().unwrap_or_else(|| usage());
                    files[l].push(f.into());
                } else if std::path::Path::new(&a).is_dir() {
                    let mut entries: Vec<PathBuf> = std::fs::read_dir(&a)
                        .unwrap_or_else(|e| panic!("cannot list {a}: {e}"))
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.is_file())
                        .collect();
                    entries.sort();
                    for p in entries {
                        let name = p.file_name().unwrap().to_string_lossy().into_owned();
                        let code = name.split('.').next().unwrap_or("");
                        match lang_of(code) {
                            Some(l) => files[l].push(p),
                            None => eprintln!("note: skipping {} (no language code prefix)", p.display()),
                        }
                    }
                } else {
                    eprintln!("not a language code nor a folder: {a}");
                    usage();
                }
            }
        }
    }
    install_silent_hook();

    // The known panicking word must panic here, or catching is broken.
    let greek = Stemmer::create(Algorithm::Greek);
    match try_stem(&greek, "ισαισα") {
        Err(m) => eprintln!("self-check: Greek 'ισαισα' panics as expected ({m})"),
        Ok(()) => eprintln!("self-check: WARNING: Greek 'ισαισα' did not panic with this rust-stemmers"),
    }

    let jobs: Vec<Job> = LANGS
        .iter()
        .zip(files)
        .filter(|(_, f)| !f.is_empty())
        .map(|(&(code, name, algorithm), files)| Job { code, name, algorithm, files })
        .collect();
    if jobs.is_empty() {
        usage();
    }
    // Biggest lists first, so the workers finish together.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    let size = |j: &Job| j.files.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum::<u64>();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&jobs[i])));

    let total_start = Instant::now();
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Outcome>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    let threads = threads.clamp(1, jobs.len());
    let progress: Vec<Progress> = (0..threads)
        .map(|_| Progress {
            calls: AtomicU64::new(0),
            current: Mutex::new((String::new(), String::new())),
            busy: AtomicBool::new(false),
        })
        .collect();
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let mut handles = Vec::new();
        for p in &progress {
            let (next, order, jobs, results) = (&next, &order, &jobs, &results);
            handles.push(s.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&i) = order.get(k) else { break };
                p.current.lock().unwrap().0 = jobs[i].code.to_string();
                p.busy.store(true, Ordering::Relaxed);
                let o = sweep(&jobs[i], p);
                p.busy.store(false, Ordering::Relaxed);
                eprintln!(
                    "{}: {} words, {} calls, {} panics, {:.1} s",
                    jobs[i].code, o.words, o.calls, o.panics, o.secs
                );
                *results[i].lock().unwrap() = Some(o);
            }));
        }
        // Watchdog: a stemmer that loops forever on a word never returns to catch_unwind.
        let (done, progress) = (&done, &progress);
        s.spawn(move || {
            let mut last: Vec<(u64, Instant)> = progress.iter().map(|_| (0, Instant::now())).collect();
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(500));
                for (p, l) in progress.iter().zip(last.iter_mut()) {
                    let c = p.calls.load(Ordering::Relaxed);
                    if c != l.0 || !p.busy.load(Ordering::Relaxed) {
                        *l = (c, Instant::now());
                    } else if l.1.elapsed() > Duration::from_secs(stall) {
                        let cur = p.current.lock().unwrap();
                        eprintln!("HANG: {} stemmer stuck for {stall} s on {:?}; giving up", cur.0, cur.1);
                        std::process::exit(3);
                    }
                }
            }
        });
        for h in handles {
            h.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    let total = total_start.elapsed().as_secs_f64();
    let outcomes: Vec<Outcome> = results.into_iter().map(|m| m.into_inner().unwrap().unwrap()).collect();

    // TSV of every distinct panicking string.
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(&tsv).unwrap_or_else(|e| panic!("cannot write {}: {e}", tsv.display())),
    );
    writeln!(f, "lang\tword\tvariants\tlist_word\tbyline_form\tbyline_form_panics\tbyline_reachable\tpanic").unwrap();
    for (job, o) in jobs.iter().zip(&outcomes) {
        for (w, fd) in &o.found {
            writeln!(
                f,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                job.code,
                w,
                fd.kinds.iter().copied().collect::<Vec<_>>().join(","),
                fd.source,
                fd.byline.join(" "),
                if fd.byline_panics { "yes" } else { "no" },
                if byline_reachable(w) { "yes" } else { "no" },
                fd.message
            )
            .unwrap();
        }
    }
    f.flush().unwrap();

    // The table.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "| language | words | stem calls | panics | distinct panicking words | of them panicking after lowercasing | seconds |"
    );
    let _ = writeln!(stdout, "|---|---:|---:|---:|---:|---:|---:|");
    let (mut tw, mut tc, mut tp, mut td, mut tl) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for (job, o) in jobs.iter().zip(&outcomes) {
        let _ = writeln!(
            stdout,
            "| {} {} | {} | {} | {} | {} | {} | {:.1} |",
            job.code, job.name, o.words, o.calls, o.panics, o.panicking_words, o.byline_words, o.secs
        );
        tw += o.words;
        tc += o.calls;
        tp += o.panics;
        td += o.panicking_words;
        tl += o.byline_words;
    }
    let _ = writeln!(stdout, "| **total** | {tw} | {tc} | {tp} | {td} | {tl} | {total:.1} (wall, {threads} threads) |");
    let _ = writeln!(
        stdout,
        "\nwords: distinct list words. stem calls: distinct strings stemmed (each word as given, \
         lowercase, UPPERCASE, Titlecase and as byline tokenizes and normalises it — NFKC, Unicode \
         lowercase — each string once). panics: stem calls that panicked. distinct panicking words: \
         list words with a panicking variant. of them panicking after lowercasing: list words \
         whose byline form (what byline's stemmer reads) panics."
    );
    let missing: Vec<&str> = LANGS
        .iter()
        .filter(|l| !jobs.iter().any(|j| j.code == l.0))
        .map(|l| l.0)
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(stdout, "\nNo word list given for: {}", missing.join(" "));
    }
    let invalid: usize = outcomes.iter().map(|o| o.invalid_lines).sum();
    if invalid > 0 {
        let _ = writeln!(stdout, "\nSkipped {invalid} invalid UTF-8 lines.");
    }

    // Panicking words byline could meet: lowercased, normalised ones.
    let _ = writeln!(stdout, "\n### Panicking words byline can meet (its own normalised form panics)\n");
    for (job, o) in jobs.iter().zip(&outcomes) {
        let hit: Vec<&String> = o.found.keys().filter(|w| byline_reachable(w)).collect();
        if hit.is_empty() {
            continue;
        }
        let shown: Vec<String> = hit.iter().take(50).map(|w| format!("`{w}`")).collect();
        let more = if hit.len() > 50 { format!(" … and {} more (see TSV)", hit.len() - 50) } else { String::new() };
        let msgs: BTreeSet<&str> = o
            .found
            .iter()
            .filter(|(w, _)| byline_reachable(w))
            .map(|(_, f)| f.message.as_str())
            .collect();
        let _ = writeln!(stdout, "- **{} {}** ({}): {}{}", job.code, job.name, hit.len(), shown.join(" "), more);
        for m in msgs.iter().take(5) {
            let _ = writeln!(stdout, "  - panic: `{m}`");
        }
    }
    let _ = writeln!(stdout, "\nTSV: {}", tsv.display());
}
