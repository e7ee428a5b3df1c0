//! A deterministic synthetic news corpus, for benches and the comparison script.
//!
//! What it is like, and why:
//! - Words follow a Zipf law (s = 1) over a 40,000-word vocabulary: the head is the real words
//!   of the seeds and byline's common-word list, ranked by how often the seeds use them; the long
//!   tail is pronounceable made-up words, so the dictionary grows with the corpus as real news
//!   vocabularies do.
//! - Articles have 300–900 words in paragraphs of 2–5 sentences of 6–28 words. Sentences mention
//!   people (a pool of 3,000 names, some printed with a variant spelling), places and
//!   organisations (from byline's gazetteer), and, in about 2% of articles, the seeds' story with
//!   its real variant spellings (Araghchi/Arghachi, Iravani/Iravany, Qasem/Qassem).
//! - 50 outlets; dates over 2023–2024, one article in ten undated; about one article in ten is a
//!   syndicated near-copy of a recent one under another outlet; page furniture lines are added.
//! - The five seeds come first, with their own metadata.
//!
//! Output: `DIR/articles/` (one `.txt` per article and a `metadata.toml`) and `DIR/articles.ndjson`
//! (the same articles, one JSON record per line, byline's record schema). Everything comes from a
//! SplitMix64 generator seeded by `seed`, so the same `n` and `seed` give the same bytes.
//!
//! While writing, the generator counts the articles that contain [`TRACKED`] words and
//! [`PHRASES`], so benches assert exact hit counts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use byline::date::Date;

/// Words (case-insensitive, whole words) whose article counts the generator reports.
pub const TRACKED: &[&str] = &[
    "iravani",
    "iravany",
    "araghchi",
    "arghachi",
    "soleimani",
    "musk",
    "ambassador",
    "nuclear",
];

/// Phrases (exact substrings) whose article counts the generator reports.
pub const PHRASES: &[&str] = &["peace through strength"];

/// The default seed.
pub const SEED: u64 = 0x5eed;

/// Size of the vocabulary the Zipf law draws from.
const VOCABULARY: usize = 40_000;
/// Number of made-up people.
const PEOPLE: usize = 3_000;
/// Number of outlets.
const OUTLETS: usize = 50;
/// Syndicated copies are taken from this many most recent articles.
const RECENT: usize = 256;

/// What was generated.
pub struct Generated {
    /// Articles written (seeds included).
    pub articles: usize,
    /// For each word of [`TRACKED`] and phrase of [`PHRASES`], the articles containing it.
    pub containing: BTreeMap<&'static str, usize>,
    /// Per article: its date, outlet, and which tracked words and phrases it contains.
    pub docs: Vec<Doc>,
    /// Total bytes of article text.
    pub bytes: usize,
}

/// One generated article, as benches need to know it.
pub struct Doc {
    /// Publication date, if it has one.
    pub date: Option<Date>,
    /// Outlet name, if it has one.
    pub outlet: Option<String>,
    /// The [`TRACKED`] words and [`PHRASES`] it contains.
    pub holds: Vec<&'static str>,
    /// When it is a syndicated near-copy, the article it copies (an index into `docs`).
    pub copy_of: Option<usize>,
}

impl Generated {
    /// Articles that contain any of `words` (each from [`TRACKED`] or [`PHRASES`]).
    pub fn any_of(&self, words: &[&str]) -> usize {
        self.docs
            .iter()
            .filter(|d| d.holds.iter().any(|h| words.contains(h)))
            .count()
    }
}

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A Zipf law over ranks `0..n`, sampled by binary search of its cumulative weights.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Zipf(cumulative)
    }

    fn sample(&self, rng: &mut SplitMix) -> usize {
        let total = self.0[self.0.len() - 1];
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        self.0.partition_point(|&c| c < x).min(self.0.len() - 1)
    }
}

const FIRST: &[&str] = &[
    "Adam", "Leila", "Omar", "Sofia", "Daniel", "Maryam", "Yusuf", "Elena", "Tomas", "Aisha",
    "Viktor", "Nadia", "Rafael", "Ingrid", "Kwame", "Mei", "Hassan", "Clara", "Dmitri", "Amara",
    "Jonas", "Farah", "Luca", "Priya", "Mateo", "Zainab", "Henrik", "Olga", "Samuel", "Noura",
    "Pedro", "Hana", "Ibrahim", "Greta", "Arjun", "Lucia", "Karim", "Marta", "Kenji", "Rania",
    "Stefan", "Amina", "Diego", "Yara", "Felix", "Layla", "Anton", "Salma", "Oscar", "Dina",
];

const LAST: &[&str] = &[
    "Haddad",
    "Kowalski",
    "Moreno",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Rahimi",
    "Schneider",
    "Tanaka",
    "Varga",
    "Abbasi",
    "Lindqvist",
    "Mensah",
    "Novak",
    "Ortega",
    "Quraishi",
    "Rossi",
    "Sadeghi",
    "Takahashi",
    "Usmanov",
    "Vasquez",
    "Weber",
    "Yilmaz",
    "Zamani",
    "Barzani",
    "Castellano",
    "Dimitrov",
    "Eriksen",
    "Farouk",
    "Galloway",
    "Hosseini",
    "Ivanova",
    "Jovanovic",
    "Kamara",
    "Lombardi",
    "Mahmoudi",
    "Nieminen",
    "Oyelaran",
    "Pellegrini",
    "Rostami",
    "Santangelo",
    "Tehrani",
    "Umarov",
    "Valentini",
    "Wojcik",
    "Yamamoto",
    "Zhukov",
    "Achterberg",
    "Bengtsson",
    "Chaudhry",
    "Delacroix",
    "Esposito",
    "Fitzgerald",
    "Gutierrez",
    "Hakimi",
    "Iqbal",
    "Jafari",
    "Karimov",
    "Lazarev",
    "Marchetti",
];

const ROLES: &[&str] = &[
    "Foreign Minister",
    "Ambassador",
    "President",
    "spokesperson",
    "Prime Minister",
    "analyst",
    "Senator",
    "Defence Minister",
];

const FURNITURE: &[&str] = &[
    "Read more",
    "Share this article",
    "Follow us on X",
    "Click here to subscribe to our newsletter",
    "Advertisement",
];

/// The story sentences the seeds are about, with their variant spellings.
const STORY: &[&str] = &[
    "Elon Musk met Iran's ambassador to the United Nations, Amir Saeid Iravani, in New York.",
    "Ambassador Iravany said the meeting discussed ways to ease tensions.",
    "Foreign Minister Abbas Araghchi denied that any meeting took place.",
    "Iran's foreign minister, Abbas Arghachi, called the reports false.",
    "The strike that killed General Qasem Soleimani still shapes relations.",
    "Supporters of Qassem Soleimani gathered in Tehran on the anniversary.",
    "The president-elect has promised peace through strength in the region.",
    "Musk did not respond to a request for comment.",
];

/// The vocabulary, most frequent first: real words, then made-up ones.
fn vocabulary(seeds: &Path) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut names: Vec<_> = std::fs::read_dir(seeds)
        .expect("seeds folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    for path in names {
        let text = std::fs::read_to_string(&path).expect("seed text");
        for word in text.split(|c: char| !c.is_ascii_alphabetic()) {
            // Lower-case words only: capitalised ones are names, which come from the pools.
            if word.len() > 1 && word.chars().all(|c| c.is_ascii_lowercase()) {
                *counts.entry(word.to_string()).or_default() += 1;
            }
        }
    }
    let common = include_str!("../../src/common_words.txt");
    for word in common
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
    {
        counts.entry(word.to_string()).or_insert(1);
    }
    let mut words: Vec<(String, usize)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<String> = words.into_iter().map(|(w, _)| w).collect();
    let known: std::collections::HashSet<String> = out.iter().cloned().collect();
    const ONSET: &[&str] = &[
        "b", "br", "c", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pl", "r", "s",
        "st", "t", "tr", "v", "w",
    ];
    const VOWEL: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou"];
    const CODA: &[&str] = &["", "n", "r", "s", "t", "l", "nd", "st", "m"];
    let mut rng = SplitMix(0x0b1e);
    let mut made: std::collections::HashSet<String> = known;
    while out.len() < VOCABULARY {
        let mut w = String::new();
        for _ in 0..2 + rng.below(2) {
            w.push_str(rng.word(ONSET));
            w.push_str(rng.word(VOWEL));
        }
        w.push_str(rng.word(CODA));
        if made.insert(w.clone()) {
            out.push(w);
        }
    }
    out
}

/// A variant spelling of a name: a doubled consonant undone or done, or a vowel changed.
fn variant(name: &str, rng: &mut SplitMix) -> String {
    let chars: Vec<char> = name.chars().collect();
    let i = 1 + rng.below(chars.len() - 1);
    let mut out: String = chars[..i].iter().collect();
    match chars[i] {
        'a' => out.push('e'),
        'e' => out.push('a'),
        'i' => out.push('y'),
        c => {
            out.push(c);
            out.push(c);
        }
    }
    out.extend(&chars[i + 1..]);
    out
}

struct Pools {
    words: Vec<String>,
    zipf: Zipf,
    people: Vec<(String, String)>,
    people_zipf: Zipf,
    places: Vec<String>,
    orgs: Vec<String>,
    outlets: Vec<(String, String)>,
}

impl Pools {
    fn new(seeds: &Path) -> Pools {
        let words = vocabulary(seeds);
        let mut rng = SplitMix(0x9e09);
        let mut people = Vec::with_capacity(PEOPLE);
        let mut seen = std::collections::HashSet::new();
        while people.len() < PEOPLE {
            let first = rng.pick(FIRST);
            let last = rng.pick(LAST);
            let middle = if rng.chance(30) { rng.pick(FIRST) } else { "" };
            let name = if middle.is_empty() {
                format!("{first} {last}")
            } else {
                format!("{first} {middle} {last}")
            };
            if seen.insert(name.clone()) {
                let printed = format!("{first} {}", variant(last, &mut rng));
                people.push((name, printed));
            }
        }
        let gazetteer = include_str!("../../src/entities/gazetteer.tsv");
        let column = |kind: &str| -> Vec<String> {
            gazetteer
                .lines()
                .filter_map(|l| {
                    let mut cols = l.split('\t');
                    (cols.next() == Some(kind)).then(|| cols.next().unwrap_or("").to_string())
                })
                .filter(|n| !n.is_empty())
                .collect()
        };
        let outlets = (0..OUTLETS)
            .map(|i| {
                let city = rng.pick(LAST);
                let kind = rng.pick(&["Times", "Post", "Herald", "Tribune", "Daily", "Observer"]);
                let name = format!("The {city} {kind} {i}");
                let site = format!("{}{}{i}.example", city.to_lowercase(), kind.to_lowercase());
                (name, site)
            })
            .collect();
        Pools {
            zipf: Zipf::new(words.len()),
            words,
            people,
            people_zipf: Zipf::new(PEOPLE),
            places: column("place"),
            orgs: column("org"),
            outlets,
        }
    }

    fn sentence(&self, rng: &mut SplitMix, out: &mut String) {
        let len = 6 + rng.below(23);
        let mention = rng.below(len);
        for i in 0..len {
            if i > 0 {
                out.push(' ');
            }
            if i == mention && rng.chance(60) {
                match rng.below(4) {
                    0 | 1 => {
                        let (name, printed) = &self.people[self.people_zipf.sample(rng)];
                        if rng.chance(20) {
                            out.push_str(rng.word(ROLES));
                            out.push(' ');
                        }
                        out.push_str(if rng.chance(10) { printed } else { name });
                    }
                    2 => out.push_str(rng.pick(&self.places).as_str()),
                    _ => out.push_str(rng.pick(&self.orgs).as_str()),
                }
                continue;
            }
            let word = &self.words[self.zipf.sample(rng)];
            if i == 0 {
                let mut c = word.chars();
                if let Some(first) = c.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(c.as_str());
                }
            } else {
                out.push_str(word);
            }
        }
        out.push_str(if rng.chance(5) { "?" } else { "." });
    }

    fn article(&self, rng: &mut SplitMix) -> String {
        let target = 300 + rng.below(601);
        let story = rng.chance(2);
        let mut text = String::with_capacity(target * 7);
        let mut words = 0;
        while words < target {
            let before = text.len();
            for _ in 0..2 + rng.below(4) {
                if text.len() > before {
                    text.push(' ');
                }
                if story && rng.chance(25) {
                    text.push_str(rng.word(STORY));
                } else {
                    self.sentence(rng, &mut text);
                }
            }
            words += text[before..].split_whitespace().count();
            text.push_str("\n\n");
        }
        text
    }
}

fn furnish(text: &mut String, rng: &mut SplitMix) {
    if rng.chance(40) {
        text.push_str(rng.word(FURNITURE));
        text.push('\n');
    }
    if rng.chance(20) {
        text.insert_str(0, &format!("{}\n\n", rng.pick(FURNITURE)));
    }
}

#[derive(serde::Serialize)]
struct Record<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    text: &'a str,
}

fn holds(text: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let lower = word.to_lowercase();
        if let Some(t) = TRACKED.iter().find(|t| **t == lower) {
            if !out.contains(t) {
                out.push(t);
            }
        }
    }
    out.extend(PHRASES.iter().filter(|p| text.contains(*p)));
    out
}

/// Writes `n` articles (the five seeds first) into `dir`: see the module doc.
pub fn generate(seeds: &Path, n: usize, seed: u64, dir: &Path) -> Generated {
    let pools = Pools::new(seeds);
    let folder = dir.join("articles");
    std::fs::create_dir_all(&folder).expect("corpus folder");
    let mut ndjson = std::io::BufWriter::new(
        std::fs::File::create(dir.join("articles.ndjson")).expect("create articles.ndjson"),
    );
    let mut meta = String::from("# Generated by benches/common/corpus.rs\n");
    let seed_meta = byline::ingest::metadata::read_folder_metadata(&seeds.join("metadata.toml"));
    let mut seed_files: Vec<&String> = seed_meta.entries.keys().collect();
    seed_files.sort();
    let mut generated = Generated {
        articles: 0,
        containing: TRACKED.iter().chain(PHRASES).map(|p| (*p, 0)).collect(),
        docs: Vec::with_capacity(n),
        bytes: 0,
    };
    let mut recent: Vec<(usize, String, Option<Date>)> = Vec::with_capacity(RECENT);
    let mut rng = SplitMix(seed);
    for i in 0..n {
        let (id, text, outlet, site, date, title);
        let mut copy_of = None;
        if let Some(file) = seed_files.get(i) {
            let entry = &seed_meta.entries[*file];
            text = std::fs::read_to_string(seeds.join(file)).expect("seed text");
            id = file.trim_end_matches(".txt").to_string();
            outlet = entry.outlet.clone();
            site = entry.site.clone();
            date = entry.date;
            title = entry.title.clone();
        } else {
            id = format!("gen_{i:07}");
            let (o, s) = rng.pick(&pools.outlets).clone();
            outlet = Some(o);
            site = Some(s);
            let mut t = String::new();
            pools.sentence(&mut rng, &mut t);
            title = Some(t.trim_end_matches(['.', '?']).to_string());
            if !recent.is_empty() && rng.chance(10) {
                // A syndicated near-copy: another outlet's reprint with its own furniture and
                // one paragraph rewritten.
                let (source_no, source, source_date) = recent[rng.below(recent.len())].clone();
                copy_of = Some(source_no);
                let mut paragraphs: Vec<String> =
                    source.split("\n\n").map(str::to_string).collect();
                let k = rng.below(paragraphs.len().saturating_sub(1).max(1));
                let mut para = String::new();
                pools.sentence(&mut rng, &mut para);
                paragraphs[k] = para;
                let mut copy = paragraphs.join("\n\n");
                furnish(&mut copy, &mut rng);
                text = copy;
                date = source_date;
            } else {
                let mut t = pools.article(&mut rng);
                furnish(&mut t, &mut rng);
                text = t;
                date = rng.chance(90).then(|| {
                    let day = 19_358 + rng.below(731) as i64; // 2023-01-01 + up to two years
                    Date::from_days_since_epoch(day).expect("date in range")
                });
            }
            if recent.len() == RECENT {
                recent.remove(0);
            }
            recent.push((i, text.clone(), date));
        }
        let url = site.as_ref().map(|s| format!("{s}/news/{id}"));
        let file = format!("{id}.txt");
        std::fs::write(folder.join(&file), &text).expect("write article");
        let _ = write!(meta, "\n[[article]]\nfile = \"{file}\"\n");
        let quoted = |s: &str| serde_json::to_string(s).expect("string to JSON");
        for (key, value) in [
            ("outlet", &outlet),
            ("site", &site),
            ("url", &url),
            ("title", &title),
        ] {
            if let Some(v) = value {
                let _ = writeln!(meta, "{key} = {}", quoted(v));
            }
        }
        if let Some(d) = date {
            let _ = writeln!(meta, "date = \"{d}\"");
        }
        let record = Record {
            id: &id,
            outlet: outlet.as_deref(),
            site: site.as_deref(),
            url: url.as_deref(),
            date: date.map(|d| d.to_string()),
            title: title.as_deref(),
            text: &text,
        };
        serde_json::to_writer(&mut ndjson, &record).expect("write record");
        ndjson.write_all(b"\n").expect("write record");
        let held = holds(&text);
        for h in &held {
            *generated.containing.get_mut(h).expect("tracked word") += 1;
        }
        generated.bytes += text.len();
        generated.articles += 1;
        generated.docs.push(Doc {
            date,
            outlet,
            holds: held,
            copy_of,
        });
    }
    ndjson.flush().expect("write articles.ndjson");
    std::fs::write(folder.join("metadata.toml"), meta).expect("write metadata");
    generated
}
