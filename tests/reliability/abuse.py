#!/usr/bin/env python3
"""The server under hostile clients: a reproducible load-and-abuse run of `byline serve`.

Starts the release binary on an index (loopback only, a free port), runs each check, prints one
line per check with what it measured, and exits 1 if any check fails. Bounded in time: every
socket has a timeout and every check a fixed amount of traffic.

    tests/reliability/abuse.py --index DIR [--bin PATH] [CHECK ...]

Checks (all by default):
  abandon   300 clients ask for a search and hang up while queued (--max-concurrent 1); then
            12 concurrent searches must all get 200.
  health    100 connections flood /entities?limit=1 and searches; /healthz, polled meanwhile,
            must answer 200 within 50 ms every time; /readyz must say how busy the server is.
  sigterm   SIGTERM with 6 searches in flight: all 6 answered 200, the server logs its drain
            and exits 0; a second signal during a drain exits at once.
  headers   hostile requests (a 1 MB header, 200 headers, a 70 KB URI, a bad request line,
            NUL bytes, conflicting lengths): every answer is a JSON error with the right status.
  memory    RSS of `serve` at start, after 1,000 and after 20,000 mixed requests (8 clients).

The index can be any byline index; the numbers in the README come from generated corpora
(`cargo run --release --example gen_corpus -- N DIR`, then `byline index DIR/articles.ndjson`).
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 15.0


class Server:
    """`byline serve --port 0` in the background; its port is read from its first log line."""

    def __init__(self, binary, index, *args):
        self.log_path = f"/tmp/byline-abuse-{os.getpid()}-{time.monotonic_ns()}.log"
        self.log = open(self.log_path, "w+")
        self.proc = subprocess.Popen(
            [binary, "--index", index, "serve", "--port", "0", *args],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self.port = None
        deadline = time.time() + 30
        while time.time() < deadline and self.port is None:
            time.sleep(0.05)
            for line in open(self.log_path):
                if line.startswith("byline: serving http://"):
                    self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
            if self.proc.poll() is not None:
                break
        if self.port is None:
            raise SystemExit("the server did not start:\n" + open(self.log_path).read())

    def rss(self):
        """Resident memory: "TOTAL MiB (heap A, index files F)" from /proc (RssAnon, RssFile)."""
        kib = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "RssAnon", "RssFile"):
                    kib[key] = int(value.split()[0])
        return f"{kib['VmRSS'] / 1024:.0f} MiB (heap {kib['RssAnon'] / 1024:.0f}, index files {kib['RssFile'] / 1024:.0f})"

    def log_text(self):
        return open(self.log_path).read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        os.unlink(self.log_path)


def request(port, path, timeout=TIMEOUT):
    """One GET on its own connection: (status, body bytes, seconds)."""
    return raw(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode(), timeout)


def raw(port, data, timeout=TIMEOUT):
    """Sends raw bytes, reads the answer to EOF: (status, body, seconds); status 0 if none."""
    started = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    out = b""
    try:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may answer and close before reading it all
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    finally:
        s.close()
    took = time.monotonic() - started
    if not out.startswith(b"HTTP/1."):
        return 0, out, took
    head, _, body = out.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body, took


class Keepalive:
    """One kept-alive connection for many requests (as a load balancer or a browser)."""

    def __init__(self, port):
        self.port = port
        self.s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.buf = b""

    def get(self, path):
        self.s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        while b"\r\n\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise OSError("closed")
            self.buf += chunk
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v.strip())
        while len(rest) < length:
            chunk = self.s.recv(65536)
            if not chunk:
                raise OSError("closed")
            rest += chunk
        self.buf = rest[length:]
        return int(head.split(b" ", 2)[1]), rest[:length]

    def close(self):
        self.s.close()


# Searches slow enough to queue behind each other on a 20,000-article index: common words,
# every facet, many passages.
SLOW = "/search?q=the+of+and+to+in+said&passages=20&limit=100&facets=outlet,date,person,org,place"


def check_abandon(args, results):
    srv = Server(args.bin, args.index, "--max-concurrent", "1", "--max-queued", "64")
    try:
        def abandon(_):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT)
            s.sendall(f"GET {SLOW} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            time.sleep(0.3)
            s.close()  # hangs up while its search waits for a slot

        with ThreadPoolExecutor(100) as pool:
            list(pool.map(abandon, range(300)))
        time.sleep(2)  # the searches already running finish
        with ThreadPoolExecutor(12) as pool:
            statuses = list(pool.map(lambda _: request(srv.port, "/search?q=Iravani")[0], range(12)))
        _, ready, _ = request(srv.port, "/readyz")
        ok = statuses.count(200) == 12
        results.append((ok, "abandon", f"after 300 abandoned queued requests: {statuses.count(200)} of 12 concurrent searches got 200 ({sorted(set(statuses))}); /readyz {ready.decode(errors='replace')}"))
    finally:
        srv.stop()


def check_health(args, results):
    srv = Server(args.bin, args.index)
    stop = threading.Event()
    flood_status = {}
    lock = threading.Lock()

    def flood(i):
        path = "/entities?limit=1" if i % 2 else SLOW
        while not stop.is_set():
            try:
                c = Keepalive(srv.port)
                while not stop.is_set():
                    st, _ = c.get(path)
                    with lock:
                        flood_status[st] = flood_status.get(st, 0) + 1
                c.close()
            except OSError:
                time.sleep(0.01)

    threads = [threading.Thread(target=flood, args=(i,), daemon=True) for i in range(100)]
    try:
        for t in threads:
            t.start()
        time.sleep(1.0)
        polls = []
        for _ in range(40):
            st, body, took = request(srv.port, "/healthz")
            polls.append((st, took))
            time.sleep(0.05)
        st_ready, ready, _ = request(srv.port, "/readyz")
        st_metrics, _, took_metrics = request(srv.port, "/metrics")
        stop.set()
        for t in threads:
            t.join(TIMEOUT)
        worst = max(t for _, t in polls) * 1000
        good = sum(1 for s, t in polls if s == 200 and t <= 0.05)
        # Under this flood every slot is busy and the queue full: readiness says so (503).
        ok = good == len(polls) and st_metrics == 200 and st_ready in (200, 503) and b'"waiting"' in ready
        results.append((ok, "health", f"100-connection flood ({dict(sorted(flood_status.items()))}): /healthz 200 within 50 ms {good} of {len(polls)} times, slowest {worst:.1f} ms; /metrics {st_metrics} in {took_metrics * 1000:.1f} ms; /readyz {st_ready} {ready.decode(errors='replace')}"))
    finally:
        stop.set()
        srv.stop()


def check_sigterm(args, results):
    srv = Server(args.bin, args.index)
    try:
        with ThreadPoolExecutor(6) as pool:
            futures = [pool.submit(request, srv.port, SLOW) for _ in range(6)]
            time.sleep(0.05)
            srv.proc.send_signal(signal.SIGTERM)
            statuses = [f.result()[0] for f in futures]
        code = srv.proc.wait(30)
        log = srv.log_text().strip().splitlines()
        ok = statuses.count(200) == 6 and code == 0
        results.append((ok, "sigterm", f"SIGTERM with 6 searches in flight: {statuses.count(200)} of 6 answered 200, exit {code}; log: {' | '.join(log)}"))
    finally:
        srv.stop()
    # A second signal during the drain: exit at once (the drain waits for a slow client).
    srv = Server(args.bin, args.index, "--max-concurrent", "1")
    try:
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(request, srv.port, SLOW) for _ in range(8)]
            time.sleep(0.05)
            srv.proc.send_signal(signal.SIGTERM)
            time.sleep(0.05)
            started = time.monotonic()
            srv.proc.send_signal(signal.SIGTERM)
            code = srv.proc.wait(30)
            took = time.monotonic() - started
            for f in futures:
                f.result()
        ok = code != 0 and took < 1.0
        results.append((ok, "sigterm", f"a second SIGTERM during the drain: exit {code} after {took * 1000:.0f} ms"))
    finally:
        srv.stop()


def check_headers(args, results):
    srv = Server(args.bin, args.index)
    cases = [
        ("a 1 MB header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n", 431),
        ("200 headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(200)) + b"\r\n", 431),
        ("a 70 KB URI", b"GET /search?q=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("a 9 KB URI", b"GET /search?q=" + b"a" * 9_000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 414),
        ("a bad request line", b"GARBAGE\r\n\r\n", 400),
        ("a space in the path", b"GET /he lthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("a NUL byte in a header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400),
        ("two Content-Lengths", b"GET /search?q=a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
        ("a header without a colon", b"GET /healthz HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n", 400),
        ("a 1 MB body", b"GET /search?q=a HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n", 413),
    ]
    try:
        for label, data, want in cases:
            st, body, _ = raw(srv.port, data)
            try:
                code = json.loads(body)["error"]["code"]
            except (ValueError, KeyError, TypeError):
                code = None
            ok = st == want and code is not None
            results.append((ok, "headers", f"{label}: {st} {code or repr(body[:60])}"))
    finally:
        srv.stop()


def mixed_paths(port, n, seed):
    """n requests of the kind a newsroom sends: names, words, phrases, filters, facets, lookups."""
    # The entity list is built once at start (seconds on 100,000 articles): wait for it.
    deadline = time.time() + 300
    status, body, _ = request(port, "/entities?limit=400", timeout=60)
    while status != 200 and time.time() < deadline:
        time.sleep(1)
        status, body, _ = request(port, "/entities?limit=400", timeout=60)
    names = [e["name"] for e in json.loads(body)["entities"]] or ["Iravani"]
    _, body, _ = request(port, "/search?q=the&limit=50")
    ids = [h["id"] for h in json.loads(body)["hits"]] or ["x"]
    words = ["nuclear", "ambassador", "minister", "president", "election", "sanctions", "talks",
             "said", "the", "report", "security", "council", "court", "market", "oil"]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        r = rng.random()
        name = rng.choice(names).replace(" ", "+")
        if r < 0.35:
            out.append(f"/search?q={name}")
        elif r < 0.55:
            out.append(f"/search?q={rng.choice(words)}+{rng.choice(words)}&passages=3")
        elif r < 0.65:
            out.append(f"/search?q=%22{rng.choice(words)}+{rng.choice(words)}%22&facets=outlet,date,person")
        elif r < 0.75:
            out.append(f"/search?q={name}&since=2024-01-01&limit={rng.choice([5, 10, 50])}")
        elif r < 0.82:
            out.append(f"/facets?q={rng.choice(words)}")
        elif r < 0.88:
            out.append(f"/entities?kind={rng.choice(['person', 'org', 'place'])}&limit={rng.choice([1, 20, 100])}")
        elif r < 0.96:
            out.append(f"/articles/{rng.choice(ids)}")
        else:
            out.append("/healthz")
    return out


def check_memory(args, results):
    srv = Server(args.bin, args.index)
    try:
        paths = mixed_paths(srv.port, 20_000, 15)  # waits for the entity list
        start = srv.rss()
        statuses = {}
        lock = threading.Lock()
        marks = {}

        def client(chunk):
            c = Keepalive(srv.port)
            for p in chunk:
                st, _ = c.get(p)
                with lock:
                    statuses[st] = statuses.get(st, 0) + 1
            c.close()

        for label, part in (("1,000", paths[:1000]), ("20,000", paths[1000:])):
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(client, [part[i::8] for i in range(8)]))
            marks[label] = srv.rss()
        errors = sum(n for s, n in statuses.items() if s >= 500)
        results.append((errors == 0, "memory", f"RSS at start {start}, after 1,000 requests {marks['1,000']}, after 20,000 {marks['20,000']}; statuses {dict(sorted(statuses.items()))}"))
    finally:
        srv.stop()


CHECKS = {
    "abandon": check_abandon,
    "health": check_health,
    "sigterm": check_sigterm,
    "headers": check_headers,
    "memory": check_memory,
}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index", required=True)
    p.add_argument("--bin", default=os.path.join(ROOT, "target/release/byline"))
    p.add_argument("checks", nargs="*", metavar="CHECK", help=", ".join(CHECKS))
    args = p.parse_args()
    unknown = [c for c in args.checks if c not in CHECKS]
    if unknown:
        p.error(f"unknown check {unknown[0]!r}: choose from {', '.join(CHECKS)}")
    results = []
    for name in args.checks or CHECKS:
        CHECKS[name](args, results)
    failed = 0
    for ok, check, line in results:
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {check:8} {line}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
