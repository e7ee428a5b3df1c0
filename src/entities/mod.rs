//! Entities: the people, organisations and places an article mentions.
//!
//! Found at index time by rules and a gazetteer shipped in the repo ([`extract`],
//! [`gazetteer`]), with no model and nothing downloaded. Mentions are merged into canonical
//! entities per indexing run ([`Registry`]): spellings that fold to the same key are one
//! entity named by its most frequent spelling (or the gazetteer's), a person's spellings and
//! case forms in other languages join it ([`across::spelling_key`]), and a lone surname
//! ("Musk") joins the one person of the run with that surname ("Elon Musk"). A run of
//! capitalised words is a person only if some mention of it shows it: a role before it or a
//! given name first ([`given`]).

pub mod across;
pub mod caseless;
pub mod extract;
pub mod gazetteer;
pub mod given;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::analysis::script;

use extract::{Class, Found};
pub use gazetteer::Gazetteer;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A person.
    Person,
    /// An organisation (including news outlets and government bodies).
    Org,
    /// A place (countries, cities, regions, landmarks).
    Place,
}

impl Kind {
    /// The facet root and query field name: `person`, `org`, `place`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Org => "org",
            Kind::Place => "place",
        }
    }

    /// Parses `person`, `org` or `place`.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "person" => Some(Kind::Person),
            "org" => Some(Kind::Org),
            "place" => Some(Kind::Place),
            _ => None,
        }
    }

    /// Parses a kind a user gave (a CLI flag, an HTTP parameter), with the error they read.
    pub fn from_user(s: &str) -> crate::Result<Kind> {
        Kind::parse(s.trim()).ok_or_else(|| {
            crate::Error::InvalidArgument(format!("{s:?} is not a kind: person, org or place"))
        })
    }
}

/// Parses an entity filter, `KIND:NAME` (`person:"Ali Khamenei"`; quotes around the name are
/// dropped), as the CLI's `--entity` and HTTP's `entity=` take it.
pub fn parse_filter(s: &str) -> crate::Result<(Kind, String)> {
    let (kind, name) = s.split_once(':').ok_or_else(|| {
        crate::Error::InvalidArgument(format!(
            "entity must be KIND:NAME, e.g. person:\"Ali Khamenei\", not {s:?}"
        ))
    })?;
    let kind = Kind::from_user(kind)?;
    let name = name.trim().trim_matches('"').trim();
    if name.is_empty() {
        return Err(crate::Error::InvalidArgument(format!(
            "{s:?}: the entity name is empty"
        )));
    }
    Ok((kind, name.to_string()))
}

/// An entity of an article, as stored: canonical name and the spellings it printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// person, org or place.
    pub kind: Kind,
    /// Canonical name.
    pub name: String,
    /// The forms the article printed.
    pub forms: Vec<String>,
}

/// An entity mention resolved to its canonical entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the article text.
    pub range: Range<usize>,
    /// person, org or place.
    pub kind: Kind,
    /// Canonical name.
    pub name: String,
    /// As printed.
    pub surface: String,
}

/// The corpus-level merge of mentions into canonical entities, built over one run.
#[derive(Debug, Default)]
pub struct Registry {
    /// (kind, fold key) → surface counts.
    clusters: HashMap<(Kind, String), BTreeMap<String, u32>>,
    /// fold key of a person's last word → the person clusters with that surname.
    surnames: HashMap<String, BTreeSet<String>>,
    /// Person clusters some mention showed to be a person (a role, a given name).
    confirmed: HashSet<String>,
    /// Canonical names decided by `finish`.
    names: HashMap<(Kind, String), String>,
    /// The people of the run and the gazetteer, for text without capitals.
    caseless_people: caseless::People,
}

fn cluster_key(normalized: &str) -> String {
    gazetteer::fold(normalized)
}

impl Registry {
    /// Records one article's mentions (first pass).
    pub fn add(&mut self, found: &[Found]) {
        for f in found {
            let (kind, sure) = match f.class {
                Class::Cued(kind) => (kind, true),
                Class::Unconfirmed => (Kind::Person, false),
                Class::Known(..) | Class::Single => continue,
            };
            if kind == Kind::Person && !f.normalized.contains(' ') {
                continue; // a lone surname names no cluster of its own
            }
            let key = cluster_key(&f.normalized);
            if kind == Kind::Person && sure {
                self.confirmed.insert(key.clone());
            }
            *self
                .clusters
                .entry((kind, key.clone()))
                .or_default()
                .entry(f.surface.clone())
                .or_default() += 1;
            if kind == Kind::Person {
                if let Some(last) = key.rsplit(' ').next() {
                    self.surnames
                        .entry(last.to_string())
                        .or_default()
                        .insert(key.clone());
                }
            }
        }
    }

    /// Decides each cluster's canonical name: its most frequent spelling (ties: alphabetical).
    /// Person clusters no mention confirmed are dropped, surnames included.
    pub fn finish(&mut self, gazetteer: &Gazetteer) {
        let confirmed = &self.confirmed;
        self.clusters
            .retain(|(kind, key), _| *kind != Kind::Person || confirmed.contains(key));
        for people in self.surnames.values_mut() {
            people.retain(|key| confirmed.contains(key));
        }
        self.surnames.retain(|_, people| !people.is_empty());
        for (key, surfaces) in &self.clusters {
            let best = surfaces
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(s, _)| s.clone());
            if let Some(best) = best {
                self.names.insert(key.clone(), best);
            }
        }
        // One person in every language's spelling and case: the clusters of a spelling key
        // take the spelling printed most among them.
        let mut people: HashMap<(String, String), Vec<&(Kind, String)>> = HashMap::new();
        for (cluster, name) in &self.names {
            if cluster.0 == Kind::Person {
                if let Some((first, surname)) = across::spelling_key(name) {
                    // With the first names agreeing, a surname's glide is spelling (Polish
                    // Nawalna, Russian Navalnaya), not another person.
                    let surname = surname.replace('y', "");
                    people.entry((first, surname)).or_default().push(cluster);
                }
            }
        }
        let mut renamed = Vec::new();
        for members in people.values() {
            let known = members.iter().find_map(|c| {
                let spelling = across::spelling_key(self.names.get(*c)?)?;
                gazetteer.person_by_spelling(&spelling)
            });
            if let Some(known) = known {
                renamed.extend(members.iter().map(|c| ((*c).clone(), known.to_string())));
                continue;
            }
            if members.len() < 2 {
                continue;
            }
            let mut printed: BTreeMap<&String, u32> = BTreeMap::new();
            for cluster in members {
                for (surface, n) in &self.clusters[*cluster] {
                    *printed.entry(surface).or_default() += n;
                }
            }
            let best = printed
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(s, _)| (*s).clone());
            if let Some(best) = best {
                renamed.extend(members.iter().map(|c| ((*c).clone(), best.clone())));
            }
        }
        self.names.extend(renamed);
        self.merge_initials(gazetteer);
        let mut people: Vec<&String> = gazetteer.people().iter().collect();
        people.extend(
            self.names
                .iter()
                .filter(|((kind, _), _)| *kind == Kind::Person)
                .map(|(_, name)| name),
        );
        people.sort();
        people.dedup();
        for name in people.into_iter().filter(|n| script::is_latin(n)) {
            self.caseless_people.add(name);
        }
    }

    /// Names printed with initials join the one full name with those initials and surname
    /// ("J. D. Vance" and "James David Vance" are the gazetteer's JD Vance); with two full
    /// names for the initials ("J. Smith": John, James), nothing is merged.
    fn merge_initials(&mut self, gazetteer: &Gazetteer) {
        let key = |name: &str| {
            let (initials, only) = across::initials(name)?;
            let (_, surname) = across::spelling_key(name)?;
            Some(((surname, initials), only))
        };
        // (surname, initials) → (full names, names printed with initials only).
        let mut groups: HashMap<(String, String), (BTreeSet<String>, BTreeSet<String>)> =
            HashMap::new();
        let names = self
            .names
            .iter()
            .filter(|((kind, _), _)| *kind == Kind::Person)
            .map(|(_, n)| n);
        for name in names.chain(gazetteer.people()) {
            if let Some((k, only)) = key(name) {
                let group = groups.entry(k).or_default();
                if only { &mut group.1 } else { &mut group.0 }.insert(name.clone());
            }
        }
        let mut target: HashMap<String, String> = HashMap::new();
        for (full, initials) in groups.values() {
            if initials.is_empty() || full.len() > 1 {
                continue;
            }
            let all: Vec<&String> = full.iter().chain(initials).collect();
            let known = all.iter().find(|n| gazetteer.people().contains(n)).copied();
            let Some(name) = known
                .or_else(|| full.iter().next())
                .or(all.first().copied())
            else {
                continue;
            };
            for n in &all {
                target.insert((*n).clone(), name.clone());
            }
        }
        for name in self.names.values_mut() {
            if let Some(t) = target.get(name) {
                *name = t.clone();
            }
        }
    }

    /// The mentions in an article's text in scripts without capitals (second pass), merged
    /// into the ones [`Registry::resolve`] gave, in text order.
    pub fn add_caseless(
        &self,
        text: &str,
        paragraphs: &[Range<usize>],
        gazetteer: &Gazetteer,
        mentions: &mut Vec<Mention>,
    ) {
        let found = caseless::mentions(
            text,
            paragraphs,
            gazetteer.caseless_forms(),
            &self.caseless_people,
        );
        if !found.is_empty() {
            mentions.extend(found);
            mentions.sort_by_key(|m| m.range.start);
        }
    }

    /// Resolves one article's mentions (second pass).
    pub fn resolve(&self, found: Vec<Found>, gazetteer: &Gazetteer) -> Vec<Mention> {
        let mut out = Vec::new();
        for f in found {
            let resolved = match &f.class {
                Class::Known(kind, name) => Some((*kind, name.clone())),
                // "Mr. Musk", "Ambassador Iravani": one word after a role is a surname.
                Class::Cued(Kind::Person) if !f.normalized.contains(' ') => self
                    .single(&f.normalized, gazetteer)
                    .or_else(|| {
                        gazetteer
                            .person_by_surname(&f.normalized)
                            .map(|n| (Kind::Person, n.to_string()))
                    })
                    .or_else(|| Some((Kind::Person, f.surface.clone()))),
                Class::Cued(kind) => {
                    let key = cluster_key(&f.normalized);
                    // A longer name of this run with the same surname and more words wins
                    // ("Saeid Iravani" → "Amir Saeid Iravani").
                    let name = self
                        .names
                        .get(&(*kind, key))
                        .cloned()
                        .unwrap_or_else(|| f.surface.clone());
                    Some((*kind, name))
                }
                Class::Unconfirmed => self
                    .names
                    .get(&(Kind::Person, cluster_key(&f.normalized)))
                    .map(|name| (Kind::Person, name.clone())),
                Class::Single => self.single(&f.normalized, gazetteer),
            };
            if let Some((kind, name)) = resolved {
                out.push(Mention {
                    range: f.range,
                    kind,
                    name,
                    surface: f.surface,
                });
            }
        }
        out
    }

    /// A lone word: the one person of the run with that surname, else the gazetteer.
    fn single(&self, normalized: &str, gazetteer: &Gazetteer) -> Option<(Kind, String)> {
        let key = cluster_key(normalized);
        if let Some(people) = self.surnames.get(&key) {
            // One person, however many spellings of the run were merged into it.
            let names: BTreeSet<&String> = people
                .iter()
                .filter_map(|p| self.names.get(&(Kind::Person, p.clone())))
                .collect();
            return match names.into_iter().collect::<Vec<_>>().as_slice() {
                [name] => Some((Kind::Person, (*name).clone())),
                _ => None,
            };
        }
        // A surname of a gazetteer person found elsewhere in this run as a full name, or a
        // known place in another case (Ukrainy, Украины).
        gazetteer
            .lookup(normalized)
            .or_else(|| gazetteer.inflected_place(normalized))
            .map(|(k, n)| (k, n.to_string()))
    }
}

/// The distinct entities of an article's mentions, with the forms printed, in first-seen order.
pub fn entities_of(mentions: &[Mention]) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::new();
    for m in mentions {
        match out
            .iter_mut()
            .find(|e| e.kind == m.kind && e.name == m.name)
        {
            Some(e) => {
                if !e.forms.contains(&m.surface) {
                    e.forms.push(m.surface.clone());
                }
            }
            None => out.push(Entity {
                kind: m.kind,
                name: m.name.clone(),
                forms: vec![m.surface.clone()],
            }),
        }
    }
    out
}
