"""Runs each search of a queries file (label|query|extra arguments) on the local index and on
a cluster (`--engine URL`) and compares what a user gets: the page's articles in order, their
scores (to 4 places), passages, offsets and highlights, the totals, and the facet counts.
Prints one line per search and, for a search whose page differs, where and by how much: the
articles missing and extra, and the largest relative gap, rank by rank, between the local
page's scores and the cluster's (which byline computes, so a small gap is a near-tie the
cluster's window cut differently).

    python3 same_page.py BYLINE INDEX URL QUERIES [--limit N]

Exit 0; the last line is a JSON summary (same pages, same totals, same facets, each
difference, the largest score gap) for the caller to check.
"""

import json
import shlex
import subprocess
import sys


def run(byline, index, query, extra, engine=None):
    args = [byline, "--index", index, "search", query, "--json", *extra]
    if engine:
        args += ["--engine", engine]
    done = subprocess.run(args, capture_output=True, text=True)
    records = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    hits = [r for r in records if r["type"] == "hit"]
    summary = next((r for r in records if r["type"] == "summary"), {})
    error = done.stderr.strip().splitlines()[-1] if done.returncode > 1 else None
    return hits, summary, error


def page(hits):
    return [
        (
            h["id"],
            round(h["score"], 4),
            [(p["passage"], p["start"], p["end"], [(m["start"], m["end"]) for m in p["highlights"]]) for p in h["passages"]],
        )
        for h in hits
    ]


def main():
    byline, index, url, path = sys.argv[1:5]
    limit = sys.argv[sys.argv.index("--limit") + 1] if "--limit" in sys.argv else "10"
    out = {"searches": 0, "same_page": 0, "same_totals": 0, "same_facets": 0, "differences": []}
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        label, query, extra = line.rstrip("\n").split("|", 2)
        extra = shlex.split(extra)
        if "--limit" not in extra:
            extra += ["--limit", limit]
        out["searches"] += 1
        a, sa, ea = run(byline, index, query, extra)
        b, sb, eb = run(byline, index, query, extra, url)
        if ea or eb:
            same = ea == eb
            print(f"{'same' if same else 'DIFF'} {label}: local {ea!r}, cluster {eb!r}")
            out["same_page"] += same
            out["same_totals"] += same
            out["same_facets"] += same
            if not same:
                out["differences"].append({"label": label, "local_error": ea, "cluster_error": eb})
            continue
        same_page = page(a) == page(b)
        totals = lambda s: (s.get("articles"), s.get("stories"), s.get("passages"))
        # A local count that stopped at its bound (total_exact false) is a lower bound.
        same_totals = totals(sa) == totals(sb) or (
            sa.get("total_exact") is False
            and all(x is not None and y is not None and x <= y for x, y in zip(totals(sa), totals(sb)))
        )
        same_facets = sa.get("facets") == sb.get("facets")
        out["same_page"] += same_page
        out["same_totals"] += same_totals
        out["same_facets"] += same_facets
        notes = []
        if not same_page:
            ids_a = [h["id"] for h in a]
            ids_b = [h["id"] for h in b]
            # The cluster's scores are byline's (its page is ranked locally), so rank by rank
            # the gap between the two pages' scores says how near a tie each difference is.
            gap = max(
                (abs(x["score"] - y["score"]) / max(x["score"], 1e-9) for x, y in zip(a, b)),
                default=0.0,
            )
            notes = {
                "missing": [(ids_a.index(i) + 1, i) for i in ids_a if i not in ids_b],
                "extra": [i for i in ids_b if i not in ids_a],
                "moved": sum(1 for x, y in zip(ids_a, ids_b) if x != y),
                "score_gap": round(gap, 4),
            }
            out["max_score_gap"] = max(out.get("max_score_gap", 0.0), round(gap, 4))
        if not same_totals:
            notes = notes or {}
            notes["totals"] = [totals(sa), totals(sb)]
        if not same_facets:
            notes = notes or {}
            notes["facets"] = "differ"
        status = "same" if same_page and same_totals and same_facets else "DIFF"
        print(f"{status} {label}: {len(a)} hits{'' if not notes else ' ' + json.dumps(notes)}")
        if notes:
            out["differences"].append({"label": label, **notes})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
