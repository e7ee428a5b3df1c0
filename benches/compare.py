#!/usr/bin/env python3
"""byline side by side with tantivy-cli and SQLite FTS5 on one generated corpus.

Run through benches/compare.sh, which builds the binaries and the corpus first:
    python3 benches/compare.py run --corpus DIR --byline BIN --tantivy BIN --out benches/results

For each engine, in one run on this machine:
  - index time: the whole indexing process, median of --runs (3) fresh builds;
  - index size: bytes on disk after the last build;
  - search as a new CLI process: every query of QUERIES --reps times; p50 and p95 of all runs;
  - HTTP (byline and tantivy-cli; FTS5 has no server): wrk, 2 threads, 8 keep-alive connections,
    --http-secs seconds on loopback, cycling through QUERIES; requests/s, p50, p99, errors.
It writes compare-N.json (raw figures) and compare-N.md (the table, the ratios against the
targets of issue 20 and the machine) into --out, and with --readme replaces the README's table.

Each engine is used as its users would: byline's defaults (passages, highlights, name
variants, entities and facets on; top 10 articles); tantivy-cli with its defaults (one indexing
thread; `search` prints every match, unranked; `serve` returns the top 10 documents); FTS5 with
the porter tokenizer, ranked by bm25 with a snippet, top 10, through the sqlite3 shell.

`fts5-index DB NDJSON` is the FTS5 indexing process this script times.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

# The fixed query set: names (one spelled as the corpus misspells it), common words, a phrase.
QUERIES = [
    "Iravani",
    "Araghchi",
    "Soleimani",
    "Musk",
    "Haddad",
    "Kowalski Tehran",
    "nuclear ambassador",
    '"peace through strength"',
    "sanctions",
    "United Nations",
    # Common words set the tail (issue 20): in the CLI table and the HTTP mix alike.
    "the",
    "president",
    "said",
]

TANTIVY_SCHEMA = [
    {"name": name, "type": "text", "options": {
        "indexing": {"record": record, "fieldnorms": record != "basic", "tokenizer": tokenizer},
        "stored": True, "fast": False}}
    for name, record, tokenizer in [
        ("id", "basic", "raw"),
        ("outlet", "basic", "raw"),
        ("date", "basic", "raw"),
        ("title", "position", "en_stem"),
        ("text", "position", "en_stem"),
    ]
]


def log(msg):
    print(f"compare: {msg}", file=sys.stderr, flush=True)


def du(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def timed(cmd, **kw):
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    return time.perf_counter() - start, proc


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# ---- engines ---------------------------------------------------------------------------------

class Byline:
    name = "byline"

    def __init__(self, binary, work):
        self.binary, self.dir = binary, os.path.join(work, "byline-index")
        self.cache = True  # serve's result cache (on by default)

    def build(self, ndjson):
        shutil.rmtree(self.dir, ignore_errors=True)
        return [self.binary, "index", "--index", self.dir, ndjson]

    def search(self, q):
        return [self.binary, "search", "--index", self.dir, q]

    def ok(self, proc):
        return proc.returncode in (0, 1)

    def serve(self, port):
        off = [] if self.cache else ["--result-cache", "0"]
        return [self.binary, "serve", "--index", self.dir, "--port", str(port)] + off

    def url(self, q):
        return f"/search?q={urllib.parse.quote(q)}&limit=10"

    ready_path = "/healthz"


class TantivyCli:
    name = "tantivy-cli"

    def __init__(self, binary, work):
        self.binary, self.dir = binary, os.path.join(work, "tantivy-index")

    def build(self, ndjson):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        meta = {"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
                "segments": [], "schema": TANTIVY_SCHEMA, "opstamp": 0}
        with open(os.path.join(self.dir, "meta.json"), "w") as f:
            json.dump(meta, f)
        return [self.binary, "index", "-i", self.dir, "-f", ndjson]

    def search(self, q):
        return [self.binary, "search", "-i", self.dir, "-q", q]

    def ok(self, proc):
        return proc.returncode == 0

    def serve(self, port):
        return [self.binary, "serve", "-i", self.dir, "--host", "127.0.0.1", "-p", str(port)]

    def url(self, q):
        return f"/api/?q={urllib.parse.quote(q)}&nhits=10"

    ready_path = "/api/?q=test&nhits=1"


class Fts5:
    name = "SQLite FTS5"

    def __init__(self, _binary, work):
        self.db = os.path.join(work, "fts5.db")

    def build(self, ndjson):
        for suffix in ("", "-journal", "-wal"):
            if os.path.exists(self.db + suffix):
                os.remove(self.db + suffix)
        return [sys.executable, os.path.abspath(__file__), "fts5-index", self.db, ndjson]

    @property
    def dir(self):
        return self.db

    def search(self, q):
        sql = ("SELECT id, snippet(articles, 4, '[', ']', '…', 16) FROM articles "
               f"WHERE articles MATCH '{fts5_query(q)}' ORDER BY rank LIMIT 10;")
        return ["sqlite3", self.db, sql]

    def ok(self, proc):
        return proc.returncode == 0


def fts5_query(q):
    """The query in FTS5 syntax: bare words ORed, as byline and tantivy-cli treat them."""
    if q.startswith('"'):
        return q.replace("'", "''")
    return " OR ".join(q.split()).replace("'", "''")


def fts5_index(db, ndjson):
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE articles USING fts5(id UNINDEXED, outlet UNINDEXED, "
                "date UNINDEXED, title, text, tokenize='porter unicode61')")

    def rows():
        with open(ndjson, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                yield (str(r["id"]), r.get("outlet"), r.get("date"), r.get("title"), r["text"])

    with con:
        con.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?)", rows())
    con.close()


# ---- measurements --------------------------------------------------------------------------

def measure_index(engine, ndjson, runs):
    times = []
    for i in range(runs):
        elapsed, proc = timed(engine.build(ndjson))
        if proc.returncode not in (0,):
            raise SystemExit(f"{engine.name} index failed ({proc.returncode}): "
                             f"{proc.stderr.decode(errors='replace')[-2000:]}")
        times.append(elapsed)
        log(f"{engine.name} index run {i + 1}: {elapsed:.1f} s")
    return {"index_s": statistics.median(times), "index_runs_s": times, "size": du(engine.dir)}


def measure_queries(engine, reps):
    samples, per_query = [], {}
    for q in QUERIES:
        timed(engine.search(q))  # warm the page cache for this query
        mine = []
        for _ in range(reps):
            elapsed, proc = timed(engine.search(q))
            if not engine.ok(proc):
                raise SystemExit(f"{engine.name} search {q!r} failed ({proc.returncode}): "
                                 f"{proc.stderr.decode(errors='replace')[-2000:]}")
            mine.append(elapsed * 1000)
        per_query[q] = {"p50_ms": statistics.median(mine),
                        "stdout_lines": proc.stdout.count(b"\n")}
        samples += mine
    return {"cli_p50_ms": percentile(samples, 50), "cli_p95_ms": percentile(samples, 95),
            "cli_samples": len(samples), "per_query": per_query}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk_script(engine, path):
    lines = ["local paths = {"]
    lines += [f'  "{engine.url(q)}",' for q in QUERIES]
    lines += ["}", "local i = 0", "request = function()", "  i = i + 1",
              '  return wrk.format("GET", paths[(i % #paths) + 1])', "end", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def parse_wrk(out):
    res = {"errors": 0}
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for line in out.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] in ("50%", "99%") and len(parts) == 2:
            v = parts[1]
            for u in ("us", "ms", "s"):
                if v.endswith(u):
                    res[f"http_p{parts[0][:-1]}_ms"] = float(v[: -len(u)]) * units[u]
                    break
        elif line.startswith("Requests/sec:"):
            res["http_rps"] = float(parts[1])
        elif line.strip().startswith("Non-2xx"):
            res["errors"] += int(parts[-1])
        elif line.strip().startswith("Socket errors"):
            res["errors"] += sum(int(x.strip(",")) for x in parts if x.strip(",").isdigit())
        elif "requests in" in line:
            res["http_requests"] = int(parts[0])
    return res


def rss_mb(pid, kind="VmRSS"):
    """The resident set of process `pid` in MB, or None once it is gone. `kind`: VmRSS (all),
    RssAnon (the process's own memory) or RssFile (mapped files: index pages the kernel
    may drop and read again)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(kind + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class RssSampler(threading.Thread):
    """Samples a process's resident set twice a second while a load runs against it."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.samples, self.done = pid, [], threading.Event()

    def run(self):
        start = time.perf_counter()
        while not self.done.wait(0.5):
            mb, anon = rss_mb(self.pid), rss_mb(self.pid, "RssAnon")
            if mb is not None and anon is not None:
                self.samples.append((time.perf_counter() - start, mb, anon))

    def summary(self, secs):
        """Peak RSS in the load's first and last 10 seconds, and after it (MB)."""
        first = [s for s in self.samples if s[0] <= 10]
        last = [s for s in self.samples if s[0] >= secs - 10]
        return {"rss_first10_mb": max((s[1] for s in first), default=None),
                "rss_last10_mb": max((s[1] for s in last), default=None),
                "anon_first10_mb": max((s[2] for s in first), default=None),
                "anon_last10_mb": max((s[2] for s in last), default=None),
                "rss_after_mb": rss_mb(self.pid),
                "anon_after_mb": rss_mb(self.pid, "RssAnon")}

    def peak_anon(self):
        return max((s[2] for s in self.samples), default=None)


def measure_http_both(engine, work, secs, conns):
    """byline's HTTP figures with its result cache (the default) and without it (every
    request searched), the latter as nocache_* keys."""
    res = measure_http(engine, work, secs, conns)
    engine.cache = False
    try:
        res.update({f"nocache_{k}": v for k, v in measure_http(engine, work, secs, conns).items()})
    finally:
        engine.cache = True
    return res


def measure_http(engine, work, secs, conns):
    port = free_port()
    logf = open(os.path.join(work, f"{engine.name}-serve.log"), "w")
    server = subprocess.Popen(engine.serve(port), stdout=logf, stderr=logf,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + engine.ready_path, timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"{engine.name} serve did not start; see {logf.name}")
        script = os.path.join(work, "queries.lua")
        wrk_script(engine, script)
        cmd = ["wrk", "-t2", f"-c{conns}", f"-d{secs}s", "--timeout", "10s", "--latency",
               "-s", script, base]
        sampler = RssSampler(server.pid)
        sampler.start()
        out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout.decode()
        sampler.done.set()
        sampler.join()
        res = parse_wrk(out)
        res.update(sampler.summary(secs))
        log(f"{engine.name} http: {res}")
        return res
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        logf.close()


# ---- report --------------------------------------------------------------------------------

def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    rustc = subprocess.run(["rustc", "--version"], stdout=subprocess.PIPE).stdout.decode().strip()
    return (f"{os.cpu_count()} cores ({cpu}){mem}; {platform.system()} {platform.release()}; "
            f"{rustc}; SQLite {sqlite3.sqlite_version}; Python {platform.python_version()}")


def fmt_mb(n):
    return f"{n / 1e6:,.0f} MB"


def ratio_line(label, value, target, ok):
    return f"| {label} | {value} | {target} | {'met' if ok else '**missed**'} |"


def report(res, prev):
    n, rows = res["articles"], res["engines"]
    b, t, f = rows["byline"], rows["tantivy-cli"], rows["SQLite FTS5"]
    input_size = res["input_bytes"]
    out = [f"### {n:,} generated articles ({fmt_mb(input_size)} of NDJSON), {res['date']}", "",
           f"Machine: {res['machine']}.", "",
           "| | byline | tantivy-cli | SQLite FTS5 |", "| --- | ---: | ---: | ---: |"]

    def row(label, key, fmt):
        cells = [fmt(r[key]) if r.get(key) is not None else "n/a" for r in (b, t, f)]
        out.append(f"| {label} | " + " | ".join(cells) + " |")

    row("index time (median of 3)", "index_s", lambda v: f"{v:.1f} s")
    row("index size", "size", lambda v: f"{fmt_mb(v)} ({v / input_size:.2f}× input)")
    row("search, new process, p50", "cli_p50_ms", lambda v: f"{v:.1f} ms")
    row("search, new process, p95", "cli_p95_ms", lambda v: f"{v:.1f} ms")
    row("HTTP req/s (8 keep-alive conns)", "http_rps", lambda v: f"{v:,.0f}")
    row("HTTP p50", "http_p50_ms", lambda v: f"{v:.2f} ms")
    row("HTTP p99", "http_p99_ms", lambda v: f"{v:.2f} ms")
    row("HTTP errors", "errors", lambda v: f"{v}")
    row("HTTP req/s, byline's result cache off", "nocache_http_rps", lambda v: f"{v:,.0f}")
    row("HTTP p50, result cache off", "nocache_http_p50_ms", lambda v: f"{v:.2f} ms")
    row("HTTP p99, result cache off", "nocache_http_p99_ms", lambda v: f"{v:.2f} ms")
    row("server RSS after the load", "rss_after_mb", lambda v: f"{v:,.0f} MB")
    out += ["", "What each returns: byline, the top 10 articles with their best passages, "
            "highlights and name variants; tantivy-cli `search`, every matching document, "
            "unranked, and `serve`, the top 10 documents; FTS5, the top 10 rows by bm25 with a "
            "snippet.", "",
            "| target (issue 20) | measured | target | |", "| --- | --- | --- | --- |"]
    fastest = min(t["index_s"], f["index_s"])
    out.append(ratio_line("index time vs the fastest peer", f"{b['index_s'] / fastest:.2f}×",
                          "≤ 1× (stretch 0.5×)", b["index_s"] <= fastest))
    out.append(ratio_line("index size vs input", f"{b['size'] / input_size:.2f}×", "≤ 1×",
                          b["size"] <= input_size))
    out.append(ratio_line("search p50, new process", f"{b['cli_p50_ms']:.1f} ms",
                          "below both peers",
                          b["cli_p50_ms"] < t["cli_p50_ms"] and b["cli_p50_ms"] < f["cli_p50_ms"]))
    out.append(ratio_line("HTTP p99 (8 connections, common words in the mix)",
                          f"{b['http_p99_ms']:.2f} ms", "≤ 10 ms", b["http_p99_ms"] <= 10))
    out.append(ratio_line("HTTP throughput vs tantivy serve",
                          f"{b['http_rps'] / t['http_rps']:.1f}×", "≥ 10×",
                          b["http_rps"] >= 10 * t["http_rps"]))
    if b.get("nocache_http_p99_ms") is not None:
        out.append(ratio_line("HTTP p99, result cache off",
                              f"{b['nocache_http_p99_ms']:.2f} ms", "≤ 10 ms",
                              b["nocache_http_p99_ms"] <= 10))
        out.append(ratio_line("HTTP throughput vs tantivy serve, result cache off",
                              f"{b['nocache_http_rps'] / t['http_rps']:.1f}×", "≥ 10×",
                              b["nocache_http_rps"] >= 10 * t["http_rps"]))
    if prev:
        pb = prev["engines"]["byline"]
        k = n / prev["articles"]
        g_index = b["index_s"] / pb["index_s"]
        g_query = b["cli_p50_ms"] / pb["cli_p50_ms"]
        out.append(ratio_line(f"index time growth, {prev['articles']:,} → {n:,}",
                              f"{g_index:.1f}×", f"≤ {1.1 * k:.0f}×", g_index <= 1.1 * k))
        out.append(ratio_line(f"search p50 growth, {prev['articles']:,} → {n:,}",
                              f"{g_query:.1f}×", "≤ 3×", g_query <= 3))
    out += ["", "Per query, search as a new process (p50, ms):", "",
            "| query | byline | tantivy-cli | SQLite FTS5 |", "| --- | ---: | ---: | ---: |"]
    for q in QUERIES:
        cells = [f"{r['per_query'][q]['p50_ms']:.1f}" for r in (b, t, f)]
        out.append(f"| `{q}` | " + " | ".join(cells) + " |")
    out += ["", f"Reproduce: `benches/compare.sh {n}`.", ""]
    return "\n".join(out)


def run(args):
    corpus = os.path.abspath(args.corpus)
    ndjson = os.path.join(corpus, "articles.ndjson")
    with open(os.path.join(corpus, "counts.json")) as fh:
        articles = json.load(fh)["articles"]
    work = tempfile.mkdtemp(prefix="byline-compare-", dir=args.work)
    engines = [Byline(args.byline, work), TantivyCli(args.tantivy, work), Fts5(None, work)]
    res = {"articles": articles, "input_bytes": os.path.getsize(ndjson),
           "date": datetime.date.today().isoformat(), "machine": machine(), "engines": {}}
    try:
        for e in engines:
            r = measure_index(e, ndjson, args.runs)
            r.update(measure_queries(e, args.reps))
            if isinstance(e, Byline):
                r.update(measure_http_both(e, work, args.http_secs, 8))
            elif hasattr(e, "serve"):
                r.update(measure_http(e, work, args.http_secs, 8))
            res["engines"][e.name] = r
            log(f"{e.name}: {json.dumps({k: v for k, v in r.items() if k != 'per_query'})}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(args.out, exist_ok=True)
    prev = None
    prev_n = 10_000 if articles == 100_000 else None
    prev_path = os.path.join(args.out, f"compare-{prev_n}.json") if prev_n else None
    if prev_path and os.path.exists(prev_path):
        with open(prev_path) as fh:
            prev = json.load(fh)
    with open(os.path.join(args.out, f"compare-{articles}.json"), "w") as fh:
        json.dump(res, fh, indent=1)
    table = report(res, prev)
    with open(os.path.join(args.out, f"compare-{articles}.md"), "w") as fh:
        fh.write("# byline, tantivy-cli and SQLite FTS5 side by side\n\n" + table)
    print(table)
    if args.readme:
        start, end = "<!-- compare:start -->", "<!-- compare:end -->"
        with open(args.readme) as fh:
            text = fh.read()
        if start in text and end in text:
            head, rest = text.split(start, 1)
            _, tail = rest.split(end, 1)
            with open(args.readme, "w") as fh:
                fh.write(f"{head}{start}\n{table}{end}{tail}")
            log(f"updated {args.readme}")


# ---- one machine's line: byline alone at growing sizes ------------------------------------

def timed_rusage(cmd):
    """Runs `cmd`; its wall time (s), exit status, peak RSS (MB) and the tail of its stderr."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        sampler = RssSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        err.seek(0)
        tail = err.read()[-2000:].decode(errors="replace")
    return (elapsed, os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024,
            sampler.peak_anon(), usage, tail)


def scale(args):
    corpus = os.path.abspath(args.corpus)
    ndjson = os.path.join(corpus, "articles.ndjson")
    with open(os.path.join(corpus, "counts.json")) as fh:
        articles = json.load(fh)["articles"]
    e = Byline(args.byline, args.work)
    e.dir = os.path.abspath(args.index)
    res = {"articles": articles, "input_bytes": os.path.getsize(ndjson),
           "date": datetime.date.today().isoformat(), "machine": machine()}
    shutil.rmtree(e.dir, ignore_errors=True)
    log(f"indexing {articles:,} articles into {e.dir}")
    elapsed, code, peak, anon, usage, tail = timed_rusage(e.build(ndjson))
    if code != 0:
        raise SystemExit(f"byline index failed ({code}): {tail}")
    res.update({"index_s": elapsed, "index_cpu_s": usage.ru_utime + usage.ru_stime,
                "index_rss_mb": peak, "index_anon_mb": anon, "size": du(e.dir)})
    log(f"index: {elapsed:.1f} s, peak RSS {peak:,.0f} MB, {fmt_mb(res['size'])}")
    res.update(measure_queries(e, args.reps))
    res.update(measure_http_both(e, args.work, args.http_secs, 8))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, f"scale-{articles}.json"), "w") as fh:
        json.dump(res, fh, indent=1)
    ref = None
    ref_path = os.path.join(args.out, f"scale-{args.ref}.json")
    if articles != args.ref and os.path.exists(ref_path):
        with open(ref_path) as fh:
            ref = json.load(fh)
    table = scale_report(res, ref)
    with open(os.path.join(args.out, f"scale-{articles}.md"), "w") as fh:
        fh.write("# byline at scale\n\n" + table)
    print(table)


def scale_report(res, ref):
    n, size = res["articles"], res["input_bytes"]
    out = [f"### {n:,} generated articles ({fmt_mb(size)} of NDJSON), {res['date']}", "",
           f"Machine: {res['machine']}.", "", "| | byline |", "| --- | ---: |",
           f"| index time (one run) | {res['index_s']:,.1f} s "
           f"({res['index_cpu_s'] / res['index_s']:.2f} cores busy) |",
           f"| index peak RSS (of which its own memory, not mapped files) | "
           f"{res['index_rss_mb']:,.0f} MB ({res['index_anon_mb']:,.0f} MB) |",
           f"| index size | {fmt_mb(res['size'])} ({res['size'] / size:.2f}× input) |",
           f"| search, new process, p50 / p95 | {res['cli_p50_ms']:.1f} / "
           f"{res['cli_p95_ms']:.1f} ms |",
           f"| HTTP req/s, p50, p99 (8 connections) | {res['http_rps']:,.0f}, "
           f"{res['http_p50_ms']:.1f} ms, {res['http_p99_ms']:.1f} ms |",
           f"| the same, result cache off (every request searched) | "
           f"{res['nocache_http_rps']:,.0f}, {res['nocache_http_p50_ms']:.1f} ms, "
           f"{res['nocache_http_p99_ms']:.1f} ms |",
           f"| serve RSS: peak in the load's first 10 s, last 10 s, after | "
           f"{res['rss_first10_mb']:,.0f} / {res['rss_last10_mb']:,.0f} / "
           f"{res['rss_after_mb']:,.0f} MB |",
           f"| serve's own memory (RssAnon, not mapped index files), same points | "
           f"{res['anon_first10_mb']:,.0f} / {res['anon_last10_mb']:,.0f} / "
           f"{res['anon_after_mb']:,.0f} MB |"]
    if ref:
        k = n / ref["articles"]
        g_index = res["index_s"] / ref["index_s"]
        g_query = res["cli_p50_ms"] / ref["cli_p50_ms"]
        out += ["", "| target (issue 20) | measured | target | |", "| --- | --- | --- | --- |",
                ratio_line(f"index time growth, {ref['articles']:,} → {n:,}",
                           f"{g_index:.1f}× ({ref['index_s']:.1f} → {res['index_s']:.1f} s)",
                           f"≤ {1.1 * k:.0f}×", g_index <= 1.1 * k),
                ratio_line(f"search p50 growth, {ref['articles']:,} → {n:,}",
                           f"{g_query:.1f}× ({ref['cli_p50_ms']:.1f} → "
                           f"{res['cli_p50_ms']:.1f} ms)", "≤ 3×", g_query <= 3)]
    out += ["", "Per query, search as a new process (p50, ms):", "", "| query | byline |",
            "| --- | ---: |"]
    out += [f"| `{q}` | {res['per_query'][q]['p50_ms']:.1f} |" for q in QUERIES]
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--corpus", required=True)
    r.add_argument("--byline", required=True)
    r.add_argument("--tantivy", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--work", default=None, help="folder for the scratch indexes")
    r.add_argument("--runs", type=int, default=3)
    r.add_argument("--reps", type=int, default=5)
    r.add_argument("--http-secs", type=int, default=10)
    r.add_argument("--readme", default=None)
    v = sub.add_parser("render", help="write the report of a saved compare-N.json again")
    v.add_argument("json")
    v.add_argument("--prev", default=None)
    c = sub.add_parser("scale", help="byline alone on one corpus: index, search, serve RSS")
    c.add_argument("--corpus", required=True)
    c.add_argument("--byline", required=True)
    c.add_argument("--index", required=True, help="where to build the index (kept)")
    c.add_argument("--out", required=True)
    c.add_argument("--work", default=None)
    c.add_argument("--reps", type=int, default=5)
    c.add_argument("--http-secs", type=int, default=60)
    c.add_argument("--ref", type=int, default=100_000,
                   help="the size whose scale-N.json growth is measured against")
    x = sub.add_parser("fts5-index")
    x.add_argument("db")
    x.add_argument("ndjson")
    args = p.parse_args()
    if args.cmd == "fts5-index":
        fts5_index(args.db, args.ndjson)
    elif args.cmd == "scale":
        args.work = tempfile.mkdtemp(prefix="byline-scale-", dir=args.work)
        try:
            scale(args)
        finally:
            shutil.rmtree(args.work, ignore_errors=True)
    elif args.cmd == "render":
        with open(args.json) as fh:
            res = json.load(fh)
        prev = None
        if args.prev:
            with open(args.prev) as fh:
                prev = json.load(fh)
        print("# byline, tantivy-cli and SQLite FTS5 side by side\n\n" + report(res, prev))
    else:
        run(args)


if __name__ == "__main__":
    main()
