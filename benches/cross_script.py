#!/usr/bin/env python3
"""Names across scripts on the development corpus (../shared/devcorpus), with a built index.

For each person of labels.json `names`: a Latin query (the surname as an English reader types
it) at --limit 300: the share of the articles that print the person only in other scripts that
it returns, and its top-10 precision (hits naming the person in any script). Then, for each
labelled one-word form in another script, the share of the Latin-only articles it returns, and
its top-10 precision.

  python3 benches/cross_script.py --byline target/release/byline --index DIR [--labels FILE]
        [--extra "--no-scripts"]
"""
import argparse
import json
import subprocess
import unicodedata


def latin(form):
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def search(args, query):
    cmd = [args.byline, "--index", args.index, "search", "--json", "--limit", "300", query]
    cmd += args.extra.split()
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    return [json.loads(l)["id"] for l in out.splitlines() if '"type":"hit"' in l]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--byline", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--labels", default="../shared/devcorpus/labels.json")
    ap.add_argument("--extra", default="")
    args = ap.parse_args()
    names = json.load(open(args.labels))["names"]
    # Per measure: [found, wanted]; strays: hits naming the person in no script.
    totals = {k: [0, 0] for k in ("fwd", "rev", "same")}
    strays = {"fwd": 0, "rev": 0}

    def measure(kind, query, wanted, everyone):
        """Runs one query; adds what it found of `wanted` to the totals. Returns the hits,
        how many of `wanted` they hold, and their top-10 precision."""
        hits = search(args, query)
        got = len(wanted & set(hits))
        totals[kind][0] += got
        totals[kind][1] += len(wanted)
        strays[kind] += sum(h not in everyone for h in hits)
        p10 = sum(h in everyone for h in hits[:10]) / max(1, min(10, len(hits)))
        return hits, got, p10

    for person, forms in names.items():
        everyone = set().union(*forms.values())
        with_latin = set().union(*[set(a) for f, a in forms.items() if latin(f)] or [set()])
        with_other = set().union(*[set(a) for f, a in forms.items() if not latin(f)] or [set()])
        other_only, latin_only = with_other - with_latin, with_latin - with_other
        surname = person.split()[-1]
        hits, got, p10 = measure("fwd", surname, other_only, everyone)
        stray = sum(h not in everyone for h in hits)
        print(f"{person}: '{surname}' returns {got}/{len(other_only)} other-script-only articles"
              f" ({got / max(1, len(other_only)):.2f}), top-10 precision {p10:.2f};"
              f" {stray} of its {len(hits)} hits name the person in no script")
        for form in sorted(forms, key=lambda f: -len(forms[f])):
            if latin(form) or " " in form or "·" in form or "・" in form or len(forms[form]) < 3:
                continue
            hits, got, p10 = measure("rev", form, latin_only, everyone)
            others = with_other - set(forms[form])
            got_other = len(others & set(hits))
            totals["same"][0] += got_other
            totals["same"][1] += len(others)
            stray = sum(h not in everyone for h in hits)
            print(f"    '{form}' ({len(forms[form])} articles) returns {got}/{len(latin_only)}"
                  f" Latin-only articles ({got / max(1, len(latin_only)):.2f}), top-10 precision {p10:.2f};"
                  f" {stray} of {len(hits)} hits name the person in no script;"
                  f" {got_other}/{len(others)} other-script articles printing other forms")
    print(f"hits naming the person in no script: Latin queries {strays['fwd']},"
          f" other-script queries {strays['rev']}")
    for k, label in (("same", "other-script forms → other-script articles printing other forms"),
                     ("fwd", "Latin → other scripts"), ("rev", "other scripts → Latin")):
        a, b = totals[k]
        print(f"{label}: {a}/{b} = {a / max(1, b):.3f}")

if __name__ == "__main__":
    main()
