//! The `byline` binary: parses arguments, calls the library, sets the exit code.
//!
//! Exit codes, like grep: 0 found (or indexed), 1 nothing found, 2 error; `index` exits 3
//! when it indexed everything it could but skipped some inputs.

mod cli;

use byline::terminal::line;

/// jemalloc, tuned by [`tune_allocator`]: under glibc's malloc the heap of `serve` grew
/// with the load and stayed (README, "Memory").
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Freed memory goes back to the system within a second, by jemalloc's own background
/// thread, instead of after ten seconds and only when the process allocates again. Measured
/// on 100,000 articles and 20,000 mixed requests: heap 85–111 MiB, flat, against 258 MiB and
/// growing under glibc (README, "Memory"). A failure here only costs memory.
fn tune_allocator() {
    use tikv_jemalloc_ctl::{Access, AsName};
    const DECAY_MS: isize = 1000;
    let _ = tikv_jemalloc_ctl::background_thread::write(true);
    let _ = b"arenas.dirty_decay_ms\0".name().write(DECAY_MS);
    let _ = b"arenas.muzzy_decay_ms\0".name().write(0isize);
    let arenas = tikv_jemalloc_ctl::arenas::narenas::read().unwrap_or(0);
    for i in 0..arenas {
        // Arenas not yet in use refuse: they are made with the defaults above.
        let _ = format!("arena.{i}.dirty_decay_ms\0")
            .as_bytes()
            .name()
            .write(DECAY_MS);
        let _ = format!("arena.{i}.muzzy_decay_ms\0")
            .as_bytes()
            .name()
            .write(0isize);
    }
}

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use byline::output::{self, BatchTag, Style};
use byline::{Engine, Error};
use cli::{Cli, Color, Command, ScreenFormat, SearchArgs};

const FOUND: u8 = 0;
const NOT_FOUND: u8 = 1;
const ERROR: u8 = 2;
const SKIPPED: u8 = 3;

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(FOUND),
        Err(e) => {
            eprintln!("byline: error: {}", line(&format!("{e:#}")));
            ExitCode::from(ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    // serde_json wraps the io::Error of a JSON writer without exposing it as a source.
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

fn run(cli: &Cli) -> anyhow::Result<u8> {
    let index_dir = cli.index_dir();
    match &cli.command {
        Command::Index(args) => {
            let mut options = args.options(true);
            options.check_inputs()?;
            // SIGINT and SIGTERM stop the run at the next article; what was written is
            // committed (a second signal ends the process at once).
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let again = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
                signal_hook::flag::register_conditional_shutdown(
                    signal,
                    128 + signal,
                    again.clone(),
                )?;
                signal_hook::flag::register(signal, again.clone())?;
                signal_hook::flag::register_usize(signal, stop.clone(), signal as usize)?;
            }
            options.stop = Some(stop);
            let store = byline::Store::open_or_create(&index_dir)?;
            let report = byline::index(&store, &options, &mut |s| {
                eprintln!("byline: skipped {}", line(&s.to_string()))
            })?;
            const SHOWN: usize = 50;
            for w in report.warnings.iter().take(SHOWN) {
                eprintln!("byline: warning: {}", line(w));
            }
            if report.warnings.len() > SHOWN {
                eprintln!(
                    "byline: … and {} more warnings (index --json lists them all)",
                    report.warnings.len() - SHOWN
                );
            }
            if !report.pruned.is_empty() {
                eprintln!(
                    "byline: pruned {}: {}",
                    report.pruned.len(),
                    line(&report.pruned.join(", "))
                );
            }
            for n in &report.notes {
                eprintln!("byline: note: {}", line(n));
            }
            if !report.extra_keys.is_empty() {
                let keys: Vec<String> = report
                    .extra_keys
                    .iter()
                    .map(|(k, n)| format!("{k} ({n})"))
                    .collect();
                eprintln!(
                    "byline: note: metadata keys kept as extra, not searched: {}",
                    line(&keys.join(", "))
                );
            }
            if !report.not_read.is_empty() {
                let files: Vec<String> = report
                    .not_read
                    .iter()
                    .map(|(ext, n)| format!("{n} {ext}"))
                    .collect();
                eprintln!("byline: note: not read: {}", line(&files.join(", ")));
            }
            if args.json {
                print_json(&report)?;
            }
            eprintln!(
                "byline: indexed {} articles, {} passages ({} furniture lines left out), {} unchanged, skipped {} in {:.2}s; index now holds {} articles, {} passages",
                report.articles, report.passages, report.furniture, report.unchanged, report.skipped.len(), report.elapsed.as_secs_f64(), report.index_articles, report.index_passages
            );
            if let Some(signal) = report.stopped {
                let name = if signal == signal_hook::consts::SIGTERM as usize {
                    "SIGTERM"
                } else {
                    "SIGINT"
                };
                eprintln!(
                    "byline: stopped by {name}: what was indexed is committed; run the same command again to go on (unchanged articles are skipped)"
                );
                return Ok(u8::try_from(128 + signal).unwrap_or(ERROR));
            }
            Ok(if report.skipped.is_empty() {
                FOUND
            } else {
                SKIPPED
            })
        }
        Command::Search(args) => {
            let engine = open_engine(cli, &index_dir)?;
            if args.batch {
                batch(&engine, args)
            } else {
                let query = args.query.as_deref().unwrap_or_default();
                search_one(&engine, args, query)
            }
        }
        Command::Eval(args) if args.copies => {
            let engine = open_engine(cli, &index_dir)?;
            let groups = byline::eval_copies::read_groups(&args.judgments)?;
            let report = byline::eval_copies::score(&engine.copy_pairs()?, &groups);
            let mut out = io::stdout().lock();
            if args.json {
                serde_json::to_writer(&mut out, &report)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "pairs detected {}, in a labelled group {}: precision {:.3}",
                    report.detected, report.right, report.precision
                )?;
                for (kind, k) in &report.kinds {
                    writeln!(
                        out,
                        "{kind}: {} of {} labelled pairs found, recall {:.3}",
                        k.found, k.pairs, k.recall
                    )?;
                }
            }
            out.flush()?;
            Ok(FOUND)
        }
        Command::Screen(args) => screen(&open_engine(cli, &index_dir)?, args),
        Command::Alerts(command) => alerts(&open_engine(cli, &index_dir)?, command),
        Command::Similar(args) => {
            let engine = open_engine(cli, &index_dir)?;
            let Some(found) = known(engine.similar(&args.id, args.limit))? else {
                return Ok(NOT_FOUND);
            };
            let mut out = io::BufWriter::new(io::stdout().lock());
            if args.json {
                output::write_similar_json(&mut out, &found)?;
            } else {
                output::write_similar_text(&mut out, &found)?;
            }
            out.flush()?;
            Ok(if found.similar.is_empty() {
                NOT_FOUND
            } else {
                FOUND
            })
        }
        Command::Timeline(args) => {
            let engine = open_engine(cli, &index_dir)?;
            let timeline = engine.timeline(&args.requests(), args.by)?;
            let format = if args.json {
                ScreenFormat::Json
            } else {
                args.format
            };
            let mut out = io::BufWriter::new(io::stdout().lock());
            match format {
                ScreenFormat::Text => output::write_timeline_text(&mut out, &timeline)?,
                ScreenFormat::Json => output::write_timeline_json(&mut out, &timeline)?,
                ScreenFormat::Csv => output::write_timeline_csv(&mut out, &timeline)?,
            }
            out.flush()?;
            for warning in &timeline.warnings {
                eprintln!("byline: warning: {}", line(warning));
            }
            Ok(if timeline.totals.iter().any(|&n| n > 0) {
                FOUND
            } else {
                NOT_FOUND
            })
        }
        Command::Export(args) if args.to.is_some() => {
            // Opening the engine builds the default index on first use, as search does.
            drop(open_engine(cli, &index_dir)?);
            let store = byline::Store::open(&index_dir)?;
            let dir = Path::new(&args.query);
            let layout = byline::cluster::Layout {
                shards: args.shards,
                replicas: args.replicas,
            };
            let report = byline::cluster::export(&store, dir, layout)?;
            eprintln!(
                "byline: wrote {} articles, {} passages in {} bulk files, index.json and load.sh to {}{}",
                report.articles,
                report.passages,
                report.files,
                dir.display(),
                if report.changed_terms > 0 {
                    format!(
                        " ({} terms held a space, | or _ alone and were changed)",
                        report.changed_terms
                    )
                } else {
                    String::new()
                }
            );
            Ok(if report.articles > 0 {
                FOUND
            } else {
                NOT_FOUND
            })
        }
        Command::Export(args) => {
            let engine = open_engine(cli, &index_dir)?;
            let out = io::BufWriter::new(io::stdout().lock());
            let fields = args
                .fields
                .as_deref()
                .map(byline::export::parse_fields)
                .transpose()?;
            let mut w = byline::export::Writer::new(out, args.format, fields)?;
            let summary = engine.export(&args.request(), &mut |hit, _| w.hit(&hit))?;
            w.finish(&summary)?.flush()?;
            for warning in &summary.warnings {
                eprintln!("byline: warning: {}", line(warning));
            }
            Ok(if summary.returned == 0 {
                NOT_FOUND
            } else {
                FOUND
            })
        }
        Command::Copies(args) => {
            let engine = open_engine(cli, &index_dir)?;
            let Some(group) = known(engine.copies(&args.id))? else {
                return Ok(NOT_FOUND);
            };
            let mut out = io::stdout().lock();
            if args.json {
                serde_json::to_writer(&mut out, &group)?;
                writeln!(out)?;
            } else {
                output::write_copies_text(&mut out, &group)?;
            }
            out.flush()?;
            Ok(if group.copies.is_empty() {
                NOT_FOUND
            } else {
                FOUND
            })
        }
        Command::Eval(args) => {
            let engine = open_engine(cli, &index_dir)?;
            let judged = byline::eval::read_judgments(&args.judgments)?;
            let (all, exact, collapse) = (args.all, args.exact, !args.no_collapse);
            let report = byline::eval::evaluate(&engine, &judged, &|r| {
                r.all_words = all;
                r.exact = exact;
                r.collapse = collapse;
            })?;
            let mut out = io::stdout().lock();
            if args.json {
                serde_json::to_writer(&mut out, &report)?;
                writeln!(out)?;
            } else {
                output::write_eval_text(&mut out, &report)?;
            }
            out.flush()?;
            Ok(FOUND)
        }
        Command::Facets(args) => {
            let engine = open_engine(cli, &index_dir)?;
            let dims = cli::dimensions(&args.facets);
            let mut req = byline::SearchRequest::new(args.query.clone().unwrap_or_default());
            req.filters = args.filters.filters();
            args.matching.apply(&mut req);
            let counts = match &args.engine {
                None => engine.facets(&req, &dims, args.facet_limit)?,
                Some(url) => {
                    byline::cluster::search::facets(&engine, &req, &dims, args.facet_limit, url)?
                }
            };
            for w in &counts.warnings {
                eprintln!("byline: warning: {}", line(w));
            }
            let query = args.query.as_deref().filter(|q| !q.trim().is_empty());
            let (articles, facets) = (counts.articles, counts.facets);
            let mut out = io::stdout().lock();
            if args.json {
                output::write_facets_json(&mut out, query, articles, &facets)?;
            } else {
                output::write_facets_text(&mut out, &facets)?;
            }
            out.flush()?;
            Ok(if articles > 0 { FOUND } else { NOT_FOUND })
        }
        Command::Entities(args) if args.with.is_some() => {
            let engine = open_engine(cli, &index_dir)?;
            let Some((kind, name)) = &args.with else {
                return Ok(ERROR);
            };
            let mut found = engine.co_mentioned(*kind, name, usize::MAX)?;
            found.with.retain(|c| args.kind.is_none_or(|k| k == c.kind));
            let mut out = io::stdout().lock();
            output::write_co_mentioned(&mut out, *kind, name, &found, args.json)?;
            out.flush()?;
            Ok(if found.with.is_empty() {
                NOT_FOUND
            } else {
                FOUND
            })
        }
        Command::Entities(args) => {
            let engine = open_engine(cli, &index_dir)?;
            let entities = engine.entities(args.kind, usize::MAX)?.entities;
            let mut out = io::stdout().lock();
            output::write_entities(&mut out, &entities, args.json)?;
            out.flush()?;
            Ok(if entities.is_empty() {
                NOT_FOUND
            } else {
                FOUND
            })
        }
        Command::Articles(args) => {
            let engine = open_engine(cli, &index_dir)?;
            let articles = engine.articles()?;
            let mut out = io::stdout().lock();
            output::write_articles(&mut out, &articles, args.json)?;
            out.flush()?;
            Ok(if articles.is_empty() {
                NOT_FOUND
            } else {
                FOUND
            })
        }
        Command::Push(args) => {
            drop(open_engine(cli, &index_dir)?);
            let store = byline::Store::open(&index_dir)?;
            let options = byline::cluster::push::PushOptions {
                url: args.engine.clone(),
                layout: byline::cluster::Layout {
                    shards: args.shards,
                    replicas: args.replicas,
                },
                force: args.force,
            };
            let report = byline::cluster::push::push(&store, &options)?;
            for (id, reason) in &report.failed {
                eprintln!("byline: refused: {}: {}", line(id), line(reason));
            }
            if args.json {
                print_json(&report)?;
            }
            eprintln!(
                "byline: pushed {} articles ({} passages), {} unchanged, {} deleted, in {} bulk requests ({} retried) in {:.1}s{}{}",
                report.sent,
                report.passages,
                report.unchanged,
                report.deleted,
                report.requests,
                report.retries,
                report.seconds,
                if report.created { "; made the index" } else { "" },
                if report.failed.is_empty() {
                    String::new()
                } else {
                    format!("; {} documents refused", report.failed.len())
                }
            );
            Ok(if report.failed.is_empty() {
                FOUND
            } else {
                ERROR
            })
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "byline", &mut io::stdout().lock());
            Ok(FOUND)
        }
        Command::Man { command } => {
            let top = <Cli as clap::CommandFactory>::command();
            let page = match command {
                None => top,
                Some(name) => {
                    let Some(sub) = top.find_subcommand(name) else {
                        anyhow::bail!(
                            "no command {name:?}: choose from {}",
                            top.get_subcommands()
                                .map(|c| c.get_name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                    };
                    // The page of `byline search` is byline-search(1).
                    sub.clone().name(format!("byline-{name}"))
                }
            };
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(page).render(&mut out)?;
            out.flush()?;
            Ok(FOUND)
        }
        Command::Serve(args) => {
            let mut engine = open_engine(cli, &index_dir)?;
            engine.keep_results(args.result_cache);
            let engine = std::sync::Arc::new(engine);
            let addr = std::net::SocketAddr::new(args.bind, args.port);
            // The first SIGTERM or SIGINT drains (the server's own handler); a second one
            // ends the process at once, whatever it is waiting for.
            let again = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
                signal_hook::flag::register_conditional_shutdown(
                    signal,
                    128 + signal,
                    again.clone(),
                )?;
                signal_hook::flag::register(signal, again.clone())?;
            }
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let served = runtime.block_on(byline::server::serve(engine, args.options(), addr));
            // A search still running past the drain is not waited for.
            runtime.shutdown_background();
            served?;
            Ok(FOUND)
        }
        Command::Delete(args) => {
            if !byline::Store::exists(&index_dir) {
                anyhow::bail!("no byline index at {}", index_dir.display());
            }
            let store = byline::Store::open(&index_dir)?;
            let report = byline::delete::delete_ids(&store, &args.ids)?;
            if args.json {
                print_json(&report)?;
            }
            if !report.unknown.is_empty() {
                eprintln!(
                    "byline: no article with id {}",
                    line(&report.unknown.join(", "))
                );
            }
            eprintln!("byline: deleted {} articles", report.deleted.len());
            Ok(if report.unknown.is_empty() {
                FOUND
            } else {
                NOT_FOUND
            })
        }
        Command::Show(args) => {
            let engine = open_engine(cli, &index_dir)?;
            let view = match args.query.as_deref().filter(|q| !q.trim().is_empty()) {
                Some(q) => engine.article_marked(&args.id, &byline::SearchRequest::new(q)),
                None => engine.article(&args.id),
            };
            let Some(view) = known(view)? else {
                return Ok(NOT_FOUND);
            };
            let mut out = io::stdout().lock();
            if args.json {
                output::write_article_json(&mut out, &view)?;
            } else {
                output::write_article_text(&mut out, &view)?;
            }
            out.flush()?;
            Ok(FOUND)
        }
    }
}

/// Opens the index; the default one is built from `seeds/` first when it is missing.
fn open_engine(cli: &Cli, index_dir: &Path) -> anyhow::Result<Engine> {
    if !byline::Store::exists(index_dir) && (cli.index.is_some() || !Path::new("seeds").is_dir()) {
        // Nothing to open and nothing to build it from: say where we looked, create nothing.
        anyhow::bail!(
            "no byline index at {}: build one with `byline index PATH` (run here, or with --index DIR), or point to one with --index DIR or BYLINE_INDEX",
            index_dir.display()
        );
    }
    if cli.index.is_none() && !byline::Store::exists(index_dir) {
        eprintln!(
            "byline: no index at {} yet: building it from seeds/",
            index_dir.display()
        );
        let report = byline::ensure_index(index_dir, Path::new("seeds"), &mut |s| {
            eprintln!("byline: skipped {}", line(&s.to_string()))
        })?;
        if let Some(r) = report {
            eprintln!(
                "byline: indexed {} articles, {} passages in {:.2}s",
                r.articles,
                r.passages,
                r.elapsed.as_secs_f64()
            );
        }
    }
    let aliases = match &cli.aliases {
        Some(path) => byline::alias::Aliases::with_file(path)?,
        None => byline::alias::Aliases::builtin(),
    };
    Engine::open_with(index_dir, aliases)
        .with_context(|| format!("cannot open the index at {}", index_dir.display()))
}

/// What a lookup by article id found; None, said on stderr, when no article has that id.
fn known<T>(found: Result<T, Error>) -> anyhow::Result<Option<T>> {
    match found {
        Ok(v) => Ok(Some(v)),
        Err(Error::ArticleNotFound(id)) => {
            eprintln!("byline: no article with id {}", line(&format!("{id:?}")));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

fn search_one(engine: &Engine, args: &SearchArgs, query: &str) -> anyhow::Result<u8> {
    if args.quiet {
        // As grep -q: nothing printed, the exit code says whether anything matched.
        let mut req = args.request(query);
        req.limit = 1;
        req.facets.clear();
        let results = engine.search(&req)?;
        return Ok(if results.hits.is_empty() {
            NOT_FOUND
        } else {
            FOUND
        });
    }
    let results = match &args.engine {
        Some(url) => byline::cluster::search::search(engine, &args.request(query), url)?,
        None => engine.search(&args.request(query))?,
    };
    for w in &results.summary.warnings {
        eprintln!("byline: warning: {}", line(w));
    }
    let mut out = io::stdout().lock();
    if args.json {
        output::write_json(&mut out, &results, None)?;
    } else {
        let color = match args.color {
            Color::Always => true,
            Color::Never => false,
            // NO_COLOR (no-color.org) and a dumb terminal turn colour off unless asked for.
            Color::Auto => {
                io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        };
        output::write_text(
            &mut out,
            &results,
            if color { Style::Color } else { Style::Plain },
        )?;
        if let Some(facets) = &results.summary.facets {
            output::write_facets_text(&mut out, facets)?;
        }
        eprintln!("byline: {}", output::summary_line(&results.summary));
        if let Some(Some(next)) = &results.summary.next_cursor {
            eprintln!("byline: next page: --cursor {next}");
        }
        if results.summary.exact {
            eprintln!("byline: --exact: spelling variants and aliases were off");
        }
    }
    out.flush()?;
    Ok(if results.hits.is_empty() {
        NOT_FOUND
    } else {
        FOUND
    })
}

/// Screens a watch-list: each entry searched as a query with every article it finds. Exit 2
/// if an entry failed (the others still run), else 0 if any found something, else 1.
fn screen(engine: &Engine, args: &cli::ScreenArgs) -> anyhow::Result<u8> {
    let entries = byline::screen::read_entries(&args.file)?;
    let format = if args.json {
        ScreenFormat::Json
    } else {
        args.format
    };
    let (exact, no_scripts) = (args.exact, args.no_scripts);
    let shape = move |r: &mut byline::SearchRequest| {
        r.exact = exact;
        r.no_scripts = no_scripts;
    };
    let extra: Vec<String> = {
        let mut keys: Vec<String> = entries
            .iter()
            .flat_map(|e| e.fields.keys().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    };
    let mut out = io::stdout().lock();
    if format == ScreenFormat::Csv {
        let mut header: Vec<String> = vec!["line".into(), "name".into()];
        header.extend(extra.iter().cloned());
        header.extend(output::SCREEN_CSV_COLUMNS.iter().map(|c| c.to_string()));
        let mut table = csv::Writer::from_writer(&mut out);
        table.write_record(&header)?;
        table.flush()?;
    }
    let (mut found, mut failed) = (false, false);
    let io = |e: io::Error| byline::Error::Output(e);
    for entry in &entries {
        // Rows go out as each article is read: one article in memory at a time.
        let mut each = |hit: byline::search::Hit, of: usize| -> byline::Result<()> {
            match format {
                ScreenFormat::Json => output::write_screen_match(&mut out, entry, &hit).map_err(io),
                ScreenFormat::Text => {
                    if hit.rank == 1 {
                        output::write_screen_head(&mut out, entry, of).map_err(io)?;
                    }
                    output::write_screen_hit(&mut out, &hit).map_err(io)
                }
                ScreenFormat::Csv => {
                    let mut table = csv::Writer::from_writer(&mut out);
                    output::write_screen_csv(&mut table, entry, &extra, of, Some(&hit))
                        .and_then(|()| Ok(table.flush()?))
                        .map_err(|e| byline::Error::Output(e.into()))
                }
            }
        };
        let n = match byline::screen::screen(engine, entry, &shape, &mut each) {
            Ok(n) => n,
            Err(e @ byline::Error::Output(_)) => return Err(e.into()),
            Err(e) => {
                failed = true;
                let tag = BatchTag {
                    line: entry.line,
                    query: &entry.name,
                };
                match format {
                    ScreenFormat::Json => output::write_json_error(&mut out, tag, &e.to_string())?,
                    _ => eprintln!(
                        "byline: line {}: {}: {}",
                        entry.line,
                        line(&entry.name),
                        line(&e.to_string())
                    ),
                }
                continue;
            }
        };
        found |= n > 0;
        match format {
            ScreenFormat::Json => output::write_screen_entry(&mut out, entry, n)?,
            ScreenFormat::Text if n == 0 => output::write_screen_head(&mut out, entry, 0)?,
            ScreenFormat::Text => {}
            ScreenFormat::Csv if n == 0 => {
                let mut table = csv::Writer::from_writer(&mut out);
                output::write_screen_csv(&mut table, entry, &extra, 0, None)?;
                table.flush()?;
            }
            ScreenFormat::Csv => {}
        }
    }
    out.flush()?;
    Ok(if failed {
        ERROR
    } else if found {
        FOUND
    } else {
        NOT_FOUND
    })
}

/// `byline alerts ...`. A run exits 2 if an alert failed (the others still run), else 0 if
/// any found a new article, else 1; list exits 1 when there are none.
fn alerts(engine: &Engine, command: &cli::AlertsCommand) -> anyhow::Result<u8> {
    use byline::alerts::{Alerts, Outcome};
    let stdout = |e| byline::Error::io("stdout", e);
    let alerts = Alerts::of(engine.store());
    let mut out = io::stdout().lock();
    match command {
        cli::AlertsCommand::Add(args) => {
            for w in alerts.add(engine, &args.name, &args.request())? {
                eprintln!("byline: warning: {}", line(&w));
            }
            eprintln!(
                "byline: alert {:?} saved; its first run sets its mark",
                line(args.name.trim())
            );
            Ok(FOUND)
        }
        cli::AlertsCommand::List { json } => {
            let all = alerts.list()?;
            output::write_alert_list(&mut out, &all, *json)?;
            Ok(if all.is_empty() { NOT_FOUND } else { FOUND })
        }
        cli::AlertsCommand::Remove { name } => {
            let gone = alerts.remove(name)?;
            eprintln!("byline: alert {:?} removed", line(&gone.name));
            Ok(FOUND)
        }
        cli::AlertsCommand::Run { names, json } => {
            let (mut found, mut failed) = (false, false);
            alerts.run(engine, names, &mut |outcome| {
                match outcome {
                    Outcome::Ran(run) => {
                        found |= !run.results.hits.is_empty();
                        for w in &run.results.summary.warnings {
                            eprintln!("byline: {}: warning: {}", line(&run.name), line(w));
                        }
                        if *json {
                            output::write_alert_json(&mut out, run).map_err(stdout)?;
                        } else {
                            output::write_alert_text(&mut out, run, Style::Plain)
                                .map_err(stdout)?;
                        }
                    }
                    Outcome::Failed { name, error } => {
                        failed = true;
                        let message = error.to_string();
                        if *json {
                            output::write_alert_error_json(&mut out, name, &message)
                                .map_err(stdout)?;
                        } else {
                            eprintln!("byline: alert {:?}: {}", line(name), line(&message));
                        }
                    }
                }
                // Delivered before the mark moves on.
                out.flush().map_err(stdout)
            })?;
            Ok(if failed {
                ERROR
            } else if found {
                FOUND
            } else {
                NOT_FOUND
            })
        }
    }
}

/// One query per stdin line; the index is opened once. Exit 2 if any query failed, else 0
/// if any query found something, else 1.
fn batch(engine: &Engine, args: &SearchArgs) -> anyhow::Result<u8> {
    let (mut found, mut failed) = (false, false);
    let mut out = io::stdout().lock();
    for (n, line) in io::stdin().lock().lines().enumerate() {
        let line = line.context("cannot read queries from stdin")?;
        let query = line.trim();
        if query.is_empty() {
            continue;
        }
        let tag = BatchTag { line: n + 1, query };
        match engine.search(&args.request(query)) {
            Ok(results) => {
                found |= !results.hits.is_empty();
                output::write_json(&mut out, &results, Some(tag))?;
            }
            Err(e) => {
                failed = true;
                output::write_json_error(&mut out, tag, &e.to_string())?;
            }
        }
    }
    out.flush()?;
    Ok(if failed {
        ERROR
    } else if found {
        FOUND
    } else {
        NOT_FOUND
    })
}

/// One JSON object on its own line on stdout (a command's `--json` report).
fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}
