"""Runs each search of a queries file (label|query|extra arguments) on the local index and on
a cluster (`--engine URL`) and compares what a user gets: the page's articles in order, their
scores (to 4 places), passages, offsets and highlights, the totals, and the facet counts.
Prints one line per search and, for a search whose page differs, where and by how much:
two articles of the local page swapped by the cluster are reported with the local scores'
relative gap (a near-tie), an article missing from the cluster's page with its local rank.

    python3 same_page.py BYLINE INDEX URL QUERIES [--limit N]

Exit 0; the last line is a JSON summary (same pages, same totals, same facets, and each
difference) for the caller to check.
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
        same_totals = totals(sa) == totals(sb)
        same_facets = sa.get("facets") == sb.get("facets")
        out["same_page"] += same_page
        out["same_totals"] += same_totals
        out["same_facets"] += same_facets
        notes = []
        if not same_page:
            ids_a = [h["id"] for h in a]
            ids_b = [h["id"] for h in b]
            score = {h["id"]: h["score"] for h in a}
            missing = [(ids_a.index(i) + 1, i) for i in ids_a if i not in ids_b]
            extra_ids = [i for i in ids_b if i not in ids_a]
            swaps = []
            for i, (x, y) in enumerate(zip(ids_a, ids_b)):
                if x != y and y in score:
                    gap = abs(score[x] - score[y]) / max(score[x], 1e-9)
                    swaps.append((i + 1, round(gap, 4)))
            scored = [
                i + 1 for i, (x, y) in enumerate(zip(page(a), page(b))) if x[0] == y[0] and x != y
            ]
            notes = {"missing": missing, "extra": extra_ids, "swaps": swaps, "same_article_other_detail": scored}
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
