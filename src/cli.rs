//! Command-line arguments: clap types stop here and become the library's own options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use byline::date::Date;
use byline::entities::Kind;
use byline::query::DateBucket;
use byline::store::{DEFAULT_INDEX_DIR, INDEX_ENV};
use byline::{Filters, IndexOptions, SearchRequest};

/// Full-text search for collections of news articles: ranked passages, facets, names.
#[derive(Parser, Debug)]
#[command(name = "byline", version = env!("BYLINE_VERSION"), about)]
pub struct Cli {
    /// Index folder [default: index/, built from seeds/ on first search].
    #[arg(long, global = true, env = INDEX_ENV, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// An alias file to add to the built-in aliases (one group per line: A = B = C).
    #[arg(long, global = true, env = "BYLINE_ALIASES", value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The index folder to use.
    pub fn index_dir(&self) -> PathBuf {
        self.index
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX_DIR))
    }
}

/// byline's commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Index folders of articles (.txt with metadata.toml, .jsonl/.ndjson records).
    Index(IndexArgs),
    /// Search the index; ranked passages grouped by article.
    Search(SearchArgs),
    /// The articles that print the same text as one article (copies, mirrors, rewrites)
    Copies(CopiesArgs),
    /// Screen a watch-list: the articles that mention each name or query of a file.
    Screen(ScreenArgs),
    /// Every article a query matches (no page limit), streamed as JSON Lines or CSV.
    Export(ExportArgs),
    /// Articles per day, week or month for each query, beside all the index holds then.
    Timeline(TimelineArgs),
    /// The articles most like one (its significant terms and entities); its copies apart.
    Similar(SimilarArgs),
    /// Saved searches: add, list, remove, and run them for what was indexed since.
    #[command(subcommand)]
    Alerts(AlertsCommand),
    /// Print one article with its metadata.
    Show(ShowArgs),
    /// Remove articles from the index by id.
    Delete(DeleteArgs),
    /// Score rankings against a judgments file: nDCG@10, recall@10, MRR.
    Eval(EvalArgs),
    /// Article counts by outlet, date and entity, for all articles or those a query matches.
    Facets(FacetsArgs),
    /// The people, organisations and places found, with their spellings and article counts.
    Entities(EntitiesArgs),
    /// Every article: id, outlet, date (with where each came from), title.
    Articles(ListArgs),
    /// Serve searches over HTTP (and a search page at /), on 127.0.0.1 by default.
    Serve(ServeArgs),
    /// Make an OpenSearch cluster's `byline` index hold what this index holds (only what
    /// changed since the last push to it).
    Push(PushArgs),
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of byline, or of one of its commands.
    Man {
        /// A command (`search`, `index`, …); none: byline itself.
        command: Option<String>,
    },
}

/// `byline serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to bind. Anything but loopback requires --api-key.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// API key required on every route but /healthz.
    #[arg(long, env = "BYLINE_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// Searches running at once (default: twice the cores); others wait their turn.
    #[arg(long)]
    pub max_concurrent: Option<usize>,
    /// Searches waiting for a slot; beyond that requests get 503 at once.
    #[arg(long, default_value_t = 64)]
    pub max_queued: usize,
    /// Longest a search may take, in milliseconds, before the request gets 503.
    #[arg(long, default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// Let a browser app on this origin call the API (https://app.example, or * for any;
    /// repeatable): preflights answered, no credentials mode. No CORS otherwise.
    #[arg(long, value_name = "ORIGIN", value_parser = parse_origin)]
    pub cors_origin: Vec<String>,
    /// Longest a client may take to send a request's headers (and longest a kept-alive
    /// connection may stay idle), in milliseconds; then the connection is closed.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_ms: u64,
    /// Searches whose results are kept (until the index changes) to answer the same request
    /// again without searching; 0 keeps none.
    #[arg(long, value_name = "N", default_value_t = byline::search::cache::DEFAULT_ENTRIES)]
    pub result_cache: usize,
    /// Answer /search and /facets from this OpenSearch cluster (its `byline` index, filled
    /// by `byline push`), planned and ranked by the local index; other routes read the
    /// local index. Results are not kept (--result-cache) for the cluster's answers.
    #[arg(long, value_name = "URL")]
    pub engine: Option<String>,
}

impl ServeArgs {
    /// The library's options.
    pub fn options(&self) -> byline::server::ServerOptions {
        let defaults = byline::server::ServerOptions::default();
        byline::server::ServerOptions {
            api_key: self.api_key.clone().filter(|k| !k.is_empty()),
            max_concurrent: self.max_concurrent.unwrap_or(defaults.max_concurrent),
            max_queued: self.max_queued,
            timeout: std::time::Duration::from_millis(self.timeout_ms),
            cors_origins: self.cors_origin.clone(),
            header_timeout: std::time::Duration::from_millis(self.header_timeout_ms),
            engine: self.engine.clone(),
        }
    }
}

/// `byline push`.
#[derive(Args, Debug)]
pub struct PushArgs {
    /// The cluster, http(s)://host:port (credentials in it, or in BYLINE_ENGINE_USER and
    /// BYLINE_ENGINE_PASSWORD).
    #[arg(long, env = "BYLINE_ENGINE", value_name = "URL")]
    pub engine: String,
    /// Primary shards, when the index is made.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub shards: u32,
    /// Copies of each shard, when the index is made.
    #[arg(long, default_value_t = 0)]
    pub replicas: u32,
    /// Send every article, whatever the last push sent.
    #[arg(long)]
    pub force: bool,
    /// Print the run's report as one JSON object on stdout.
    #[arg(short, long)]
    pub json: bool,
}

/// `byline facets`.
#[derive(Args, Debug)]
pub struct FacetsArgs {
    /// Count over the articles this query matches (default: all articles).
    pub query: Option<String>,
    /// Dimensions to count.
    #[arg(long, default_value = "outlet,date,lang,person,org,place", value_parser = parse_facets)]
    pub facets: String,
    /// Values listed per dimension (1 to 1000).
    #[arg(long, default_value_t = byline::facets::TOP_VALUES, value_parser = parse_facet_limit)]
    pub facet_limit: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub matching: MatchArgs,
    /// One JSON object.
    #[arg(short, long)]
    pub json: bool,
    /// Count on this OpenSearch cluster (its `byline` index, filled by `byline push`), the
    /// query planned by the local index; same output.
    #[arg(long, value_name = "URL")]
    pub engine: Option<String>,
}

/// `byline entities`.
#[derive(Args, Debug)]
pub struct EntitiesArgs {
    /// Only this kind: person, org or place.
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<Kind>,
    /// The entities mentioned in the same passages as this one, KIND:NAME (resolved as
    /// --entity resolves it), most passages first.
    #[arg(long, value_parser = parse_entity, value_name = "KIND:NAME")]
    pub with: Option<(Kind, String)>,
    /// JSON Lines, one `entity` record each.
    #[arg(short, long)]
    pub json: bool,
}

/// `byline articles`.
#[derive(Args, Debug)]
pub struct ListArgs {
    /// JSON Lines, one `article` record each (without the text).
    #[arg(short, long)]
    pub json: bool,
}

/// Checks a `--facets` list; [`dimensions`] splits it.
fn parse_facets(s: &str) -> Result<String, String> {
    byline::facets::parse_dimensions(s)
        .map(|_| s.to_string())
        .map_err(|e| e.to_string())
}

/// The dimensions of a `--facets` list already checked by clap.
pub fn dimensions(list: &str) -> Vec<String> {
    byline::facets::parse_dimensions(list).unwrap_or_default()
}

/// An origin as browsers send it: `*`, or a scheme, a host and perhaps a port, nothing more.
fn parse_origin(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    if s == "*" {
        return Ok(s.to_string());
    }
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("{s:?} is not an origin: it starts with http:// or https://"))?;
    let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if rest.is_empty() || !rest.chars().all(fine) {
        return Err(format!(
            "{s:?} is not an origin: a scheme, a host and a port only (https://app.example:8443)"
        ));
    }
    Ok(s.to_string())
}

fn parse_facet_limit(s: &str) -> Result<usize, String> {
    let n = s.parse::<usize>().map_err(|_| {
        format!(
            "{s:?} is not a number from 1 to {}",
            byline::facets::MAX_VALUES
        )
    })?;
    byline::facets::check_limit(n).map_err(|e| e.to_string())
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::from_user(s).map_err(|e| e.to_string())
}

fn parse_entity(s: &str) -> Result<(Kind, String), String> {
    byline::entities::parse_filter(s).map_err(|e| e.to_string())
}

/// `byline eval`.
#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Tab-separated `query, article id, grade` lines.
    #[arg(default_value = "seeds/judgments.tsv")]
    pub judgments: PathBuf,
    /// Require every word of each query (to compare with the default).
    #[arg(long)]
    pub all: bool,
    /// No spelling variants or aliases (to compare with the default).
    #[arg(long)]
    pub exact: bool,
    /// Every article ranked, copies of a higher one included (judgments that grade each
    /// copy relevant reward showing them; to compare ranking without collapse).
    #[arg(long)]
    pub no_collapse: bool,
    /// One JSON object instead of a table.
    #[arg(short, long)]
    pub json: bool,
    /// Score copy detection instead: the file holds labelled copy groups
    /// (`group⇥kind⇥id id …` lines), scored by pair precision and recall.
    #[arg(long)]
    pub copies: bool,
}

/// `byline index`.
#[derive(Args, Debug)]
pub struct IndexArgs {
    /// Folders or files to index.
    #[arg(default_value = "seeds")]
    pub paths: Vec<PathBuf>,
    /// Indexing memory budget in MiB, shared by the writer threads.
    #[arg(long, default_value_t = byline::indexer::DEFAULT_MEMORY_MIB, value_name = "MIB")]
    pub memory: usize,
    /// Writer threads (0: one per core, at most 8).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Articles per commit: an interrupted run loses at most this many articles' work.
    #[arg(long, default_value_t = byline::indexer::COMMIT_EVERY, value_parser = clap::value_parser!(u64).range(1..))]
    pub commit_every: u64,
    /// Print the run's report as one JSON object on stdout.
    #[arg(short, long)]
    pub json: bool,
    /// Leave out the name fields: a smaller, faster index where spelling variants never match.
    #[arg(long)]
    pub no_variants: bool,
    /// Do not look for entities (no person/org/place facets).
    #[arg(long, conflicts_with = "entities")]
    pub no_entities: bool,
    /// A gazetteer file to add to the built-in one (kind, name, other forms; tab-separated).
    #[arg(long, value_name = "FILE")]
    pub entities: Option<PathBuf>,
    /// Rewrite every article, even those the index already holds unchanged.
    #[arg(long)]
    pub force: bool,
    /// The language of every article whose metadata names none, instead of detecting it
    /// from the text: a code ("en", "deu") or a name ("English").
    #[arg(long, value_parser = parse_lang, value_name = "LANG")]
    pub lang: Option<String>,
    /// Also remove from the index every article that came from under these paths and was
    /// not read now (its file, or its record, is gone). When the run skips an input, only
    /// articles whose file is gone are removed.
    #[arg(long)]
    pub prune: bool,
    /// The largest article file, or single record, read (MiB); larger ones are skipped.
    #[arg(long, default_value_t = byline::indexer::DEFAULT_MAX_FILE_MIB, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_mib: u64,
}

impl IndexArgs {
    /// The library's options.
    pub fn options(&self, progress: bool) -> IndexOptions {
        IndexOptions {
            paths: self.paths.clone(),
            memory_mib: self.memory,
            threads: self.threads,
            progress,
            names: !self.no_variants,
            entities: !self.no_entities,
            gazetteer: self.entities.clone(),
            force: self.force,
            commit_every: self.commit_every,
            lang: self.lang.clone(),
            max_file_bytes: self.max_file_mib.saturating_mul(1024 * 1024),
            prune: self.prune,
            stop: None,
        }
    }
}

/// When to colour matches.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// On a terminal only.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `byline search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The query (tantivy syntax: AND OR NOT + - "phrase" "phrase"~N field:term).
    #[arg(required_unless_present = "batch")]
    pub query: Option<String>,
    /// Read one query per line from stdin; write JSON Lines tagged with each line.
    #[arg(long, conflicts_with = "query")]
    pub batch: bool,
    /// JSON Lines output: `hit` records, then a `summary`.
    #[arg(short, long)]
    pub json: bool,
    /// Run the search on this OpenSearch cluster (its `byline` index, filled by `byline
    /// push`): the cluster finds the best articles, byline ranks them with the local
    /// index's plan and statistics; same output. Pages by offset (no cursors yet).
    #[arg(long, value_name = "URL", conflicts_with = "batch")]
    pub engine: Option<String>,
    /// Print nothing: the exit code says whether anything matched (0) or not (1), as grep -q.
    #[arg(short, long, conflicts_with_all = ["json", "batch"])]
    pub quiet: bool,
    /// Articles to return.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Articles to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Page by cursor instead of offset: `*` for the first page, then the summary's
    /// next_cursor for each next one (no depth limit).
    #[arg(long, value_parser = parse_cursor, value_name = "CURSOR")]
    pub cursor: Option<byline::search::cursor::Cursor>,
    /// Passages per article.
    #[arg(long, default_value_t = 1)]
    pub passages: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Count matching articles by these facets: outlet,date,lang,person,org,place.
    #[arg(long, value_parser = parse_facets, value_name = "LIST")]
    pub facets: Option<String>,
    /// Values listed per facet dimension (1 to 1000).
    #[arg(long, default_value_t = byline::facets::TOP_VALUES, value_parser = parse_facet_limit)]
    pub facet_limit: usize,
    /// Require every word of the query (by default every word counts, none is required).
    #[arg(long)]
    pub all: bool,
    /// Exact and stemmed forms only: no spelling variants, no aliases, no other scripts.
    #[arg(long)]
    pub exact: bool,
    /// Keep spelling variants and aliases but leave out forms printed in another script
    /// (Navalny finds Navalnyy but not Навальный).
    #[arg(long)]
    pub no_scripts: bool,
    /// Show every article: by default a story printed by several outlets (agency copy,
    /// reposts, light rewrites) is one hit, which says where else it ran.
    #[arg(long)]
    pub no_collapse: bool,
    /// Order: relevance (best first), date (oldest first) or -date (newest first); undated
    /// articles come last, and relevance breaks ties.
    #[arg(long, default_value = "relevance", value_parser = parse_sort, allow_hyphen_values = true)]
    pub sort: byline::search::Sort,
    /// Colour matches.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

impl SearchArgs {
    /// The library's request for one query.
    pub fn request(&self, query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            filters: self.filters.filters(),
            limit: self.limit,
            offset: self.offset,
            passages: self.passages,
            all_words: self.all,
            exact: self.exact,
            no_scripts: self.no_scripts,
            facets: self.facets.as_deref().map(dimensions).unwrap_or_default(),
            facet_limit: self.facet_limit,
            collapse: !self.no_collapse,
            sort: self.sort,
            cursor: self.cursor,
        }
    }
}

fn parse_cursor(s: &str) -> Result<byline::search::cursor::Cursor, String> {
    byline::search::cursor::Cursor::parse(s).map_err(|e| e.to_string())
}

/// The filters search and export share.
#[derive(Args, Debug)]
pub struct FilterArgs {
    /// Keep only this outlet (name or site; repeatable: any of them); `unknown` keeps the
    /// articles without an outlet.
    #[arg(long, value_name = "NAME")]
    pub outlet: Vec<String>,
    /// Keep only articles in this date bucket, as the date facet lists them: YYYY-MM-DD,
    /// YYYY-MM, YYYY, or `unknown` (repeatable: any of them).
    #[arg(long, value_parser = parse_date_bucket, value_name = "DATE")]
    pub date: Vec<DateBucket>,
    /// Keep articles dated on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub since: Option<Date>,
    /// Keep articles dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub until: Option<Date>,
    /// With --since/--until, also keep articles whose date is unknown.
    #[arg(long)]
    pub undated: bool,
    /// Keep only articles that mention this entity, KIND:NAME (repeatable: all of them).
    #[arg(long, value_parser = parse_entity, value_name = "KIND:NAME")]
    pub entity: Vec<(Kind, String)>,
    /// Keep only articles that mention this person (repeatable: any of them; with --org or
    /// --place, one of each).
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Keep only articles that mention this organisation (repeatable: any of them).
    #[arg(long, value_name = "NAME")]
    pub org: Vec<String>,
    /// Keep only articles that mention this place (repeatable: any of them).
    #[arg(long, value_name = "NAME")]
    pub place: Vec<String>,
    /// Keep only articles in this language, and analyse the query for it alone: a code
    /// ("de", "deu") or a name ("German"); `und` is articles of unknown language (repeatable).
    #[arg(long, value_parser = parse_lang, value_name = "LANG")]
    pub lang: Vec<String>,
}

impl FilterArgs {
    /// The library's filters.
    pub fn filters(&self) -> Filters {
        Filters {
            outlets: self.outlet.clone(),
            dates: self.date.clone(),
            since: self.since,
            until: self.until,
            undated: self.undated,
            entities: self.entity.clone(),
            any_of: [
                (Kind::Person, &self.person),
                (Kind::Org, &self.org),
                (Kind::Place, &self.place),
            ]
            .into_iter()
            .flat_map(|(kind, names)| names.iter().map(move |n| (kind, n.clone())))
            .collect(),
            langs: self.lang.clone(),
            batches: None,
        }
    }
}

/// How the words of a query match, as export and timeline take it.
#[derive(Args, Debug)]
pub struct MatchArgs {
    /// Require every word of the query.
    #[arg(long)]
    pub all: bool,
    /// Exact and stemmed forms only.
    #[arg(long)]
    pub exact: bool,
    /// Leave out forms printed in another script.
    #[arg(long)]
    pub no_scripts: bool,
}

impl MatchArgs {
    /// Sets these on a request.
    pub fn apply(&self, req: &mut SearchRequest) {
        req.all_words = self.all;
        req.exact = self.exact;
        req.no_scripts = self.no_scripts;
    }
}

/// `byline export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The query (as for search); with --to, the folder to write.
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// Instead of hits, write the whole index for a search engine to load into the folder
    /// given as QUERY: `opensearch` (settings and mappings, bulk files carrying byline's
    /// analysis, and load.sh; Elasticsearch takes them too).
    #[arg(long, value_name = "ENGINE", value_parser = ["opensearch"])]
    pub to: Option<String>,
    /// With --to: the index's primary shards.
    #[arg(long, default_value_t = 1, requires = "to", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub shards: u32,
    /// With --to: copies of each shard.
    #[arg(long, default_value_t = 0, requires = "to")]
    pub replicas: u32,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// jsonl (the search's hit records, then a summary) or csv (a header, then a row per
    /// passage).
    #[arg(long, default_value = "jsonl", value_parser = parse_export_format)]
    pub format: byline::export::Format,
    /// The fields to write, in order (default all): rank,id,score,outlet,site,date,lang,url,
    /// title,author,copies,passage,start,end,text,matched_as.
    #[arg(long, value_parser = parse_export_fields, value_name = "LIST")]
    pub fields: Option<String>,
    /// Passages per article: a number, or `all`.
    #[arg(long, default_value = "1", value_parser = parse_passages)]
    pub passages: usize,
    #[command(flatten)]
    pub matching: MatchArgs,
    /// One article per story (copies collapsed); by default every matching article.
    #[arg(long)]
    pub collapse: bool,
    /// Order: relevance, date (oldest first) or -date (newest first).
    #[arg(long, default_value = "relevance", value_parser = parse_sort, allow_hyphen_values = true)]
    pub sort: byline::search::Sort,
}

impl ExportArgs {
    /// The library's request.
    pub fn request(&self) -> SearchRequest {
        let mut req = SearchRequest::new(&self.query);
        req.filters = self.filters.filters();
        req.passages = self.passages;
        self.matching.apply(&mut req);
        req.collapse = self.collapse;
        req.sort = self.sort;
        req
    }
}

/// `byline alerts`.
#[derive(Subcommand, Debug)]
pub enum AlertsCommand {
    /// Save a search under a name; its first run sets its mark.
    Add(Box<AlertAddArgs>),
    /// The saved searches, with their last runs.
    List {
        /// JSON Lines, an `alert_def` record each.
        #[arg(long)]
        json: bool,
    },
    /// Remove a saved search.
    Remove {
        /// Its name.
        name: String,
    },
    /// Run saved searches (all, or those named): the matching articles indexed since each
    /// last ran. Exit 0 when any found one, 1 when none did, 2 on an error.
    Run {
        /// Alerts to run (default: every one).
        names: Vec<String>,
        /// JSON Lines: `hit` records with the alert's name, then an `alert` record per alert.
        #[arg(long)]
        json: bool,
    },
}

/// `byline alerts add`.
#[derive(Args, Debug)]
pub struct AlertAddArgs {
    /// A name for it (unique in this index, any case).
    pub name: String,
    /// The query (as for search).
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub matching: MatchArgs,
    /// Every copy of a story (by default one hit each, as search).
    #[arg(long)]
    pub no_collapse: bool,
    /// Order of each run's hits: relevance, date (oldest first) or -date (newest first).
    #[arg(long, default_value = "relevance", value_parser = parse_sort, allow_hyphen_values = true)]
    pub sort: byline::search::Sort,
}

impl AlertAddArgs {
    /// The library's request.
    pub fn request(&self) -> SearchRequest {
        let mut req = SearchRequest::new(&self.query);
        req.filters = self.filters.filters();
        self.matching.apply(&mut req);
        req.collapse = !self.no_collapse;
        req.sort = self.sort;
        req
    }
}

fn parse_export_format(s: &str) -> Result<byline::export::Format, String> {
    byline::export::Format::parse(s).map_err(|e| e.to_string())
}

fn parse_export_fields(s: &str) -> Result<String, String> {
    byline::export::parse_fields(s)
        .map(|_| s.to_string())
        .map_err(|e| e.to_string())
}

fn parse_passages(s: &str) -> Result<usize, String> {
    match s {
        "all" => Ok(usize::MAX),
        n => n
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("{s:?} is not a number of passages (1 or more, or all)")),
    }
}

fn parse_sort(s: &str) -> Result<byline::search::Sort, String> {
    byline::search::Sort::parse(s).map_err(|e| e.to_string())
}

fn parse_lang(s: &str) -> Result<String, String> {
    byline::lang::code(s)
        .map(str::to_string)
        .ok_or_else(|| format!("{s:?} is not a language byline knows (a code such as \"de\" or \"deu\", or a name such as \"German\")"))
}

fn parse_date_bucket(s: &str) -> Result<DateBucket, String> {
    DateBucket::parse(s)
        .ok_or_else(|| format!("{s:?} is not a date bucket (YYYY-MM-DD, YYYY-MM, YYYY or unknown)"))
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"))
}

/// `byline delete`.
#[derive(Args, Debug)]
pub struct DeleteArgs {
    /// Ids of the articles to remove.
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// Print what was done as one JSON object (`deleted`, `unknown`).
    #[arg(short, long)]
    pub json: bool,
}

/// `byline copies`.
#[derive(Args, Debug)]
pub struct CopiesArgs {
    /// The article's id (file stem or record id).
    pub id: String,
    /// One JSON `copies` record.
    #[arg(short, long)]
    pub json: bool,
}

/// `byline screen`.
#[derive(Args, Debug)]
pub struct ScreenArgs {
    /// The watch-list: one name or query per line (`#` comments), or CSV with a `name`
    /// column (its other columns are carried to the output).
    pub file: PathBuf,
    /// text (a block per entry), json (JSON Lines `match` and `entry` records) or csv (a
    /// row per article found, and one for an entry that found none).
    #[arg(long, value_enum, default_value_t = ScreenFormat::Text)]
    pub format: ScreenFormat,
    /// Same as --format json.
    #[arg(short, long)]
    pub json: bool,
    /// Exact and stemmed forms only: no spelling variants, no aliases, no other scripts.
    #[arg(long)]
    pub exact: bool,
    /// Keep spelling variants and aliases but leave out forms printed in another script.
    #[arg(long)]
    pub no_scripts: bool,
}

/// `byline similar`.
#[derive(Args, Debug)]
pub struct SimilarArgs {
    /// The article's id.
    pub id: String,
    /// Articles to list.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// JSON Lines: a `similar` record each, then a `source` record (the id and its copies).
    #[arg(short, long)]
    pub json: bool,
}

/// `byline timeline`.
#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// The queries: a column each.
    #[arg(required = true)]
    pub queries: Vec<String>,
    /// Bucket size: day, week (ISO, `2024-W46`) or month.
    #[arg(long, default_value = "day", value_parser = parse_by)]
    pub by: byline::search::timeline::By,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub matching: MatchArgs,
    /// JSON Lines (same as --format json).
    #[arg(short, long)]
    pub json: bool,
    /// text (a table), json (a `bucket` record each, then a `timeline` summary) or csv.
    #[arg(long, value_enum, default_value_t = ScreenFormat::Text)]
    pub format: ScreenFormat,
}

impl TimelineArgs {
    /// The library's request for each query.
    pub fn requests(&self) -> Vec<SearchRequest> {
        self.queries
            .iter()
            .map(|q| {
                let mut req = SearchRequest::new(q);
                req.filters = self.filters.filters();
                self.matching.apply(&mut req);
                req
            })
            .collect()
    }
}

fn parse_by(s: &str) -> Result<byline::search::timeline::By, String> {
    byline::search::timeline::By::parse(s).map_err(|e| e.to_string())
}

/// How `byline screen` and `byline timeline` write.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenFormat {
    Text,
    Json,
    Csv,
}

/// `byline show`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The article's id (file stem or record id).
    pub id: String,
    /// Mark where this query matches in the text (JSON: `highlights`, `matched_as`).
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// One JSON `article` record.
    #[arg(short, long)]
    pub json: bool,
}
