#!/usr/bin/env python3
"""Writes given_names.txt, the first names byline's entity rules know, from Jörg Michael's
nam_dict.txt (the first-name dictionary of the `gender` program, 48,000 names from 54
countries and languages, GNU Free Documentation License 1.2 or later).

The dictionary ships inside the `gender-guesser` package on PyPI:

    pip download gender-guesser==0.4.0 --no-deps -d /tmp/gg
    cd /tmp/gg && python3 -m zipfile -e gender_guesser-0.4.0-py2.py3-none-any.whl .
    python3 src/entities/given_names.py /tmp/gg/gender_guesser/data/nam_dict.txt

Kept: every name line (M, 1M, ?M, F, 1F, ?F, ?) given as more than rare (frequency 2 or
more of the dictionary's 1-13) in at least one country, once (the lines with a '+' in column 30
repeat a name with expanded umlauts), with its "+" spellings written out ("Jun+Wei" gives
"Jun Wei" as "Jun" and "Wei" are kept anyway, and "Junwei"). Left out: names of one or two
letters, and names that are English common words or other languages' function words
(src/common_words.txt, src/entities/function_words.txt), which open sentences more often
than they name anyone ("Will", "May", "Den").
"""

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def words(path):
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        out.update(w.lower() for w in line.split())
    return out


def main():
    source = pathlib.Path(sys.argv[1])
    skip = words(HERE.parent / "common_words.txt") | words(HERE / "function_words.txt")
    names = set()
    for raw in source.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip("\r$ ")
        if not line or line.startswith("#") or line.startswith("="):
            continue
        if len(line) > 29 and line[29] == "+":
            continue
        name = line[3:29].strip()
        frequency = max((int(c, 16) for c in line[30:] if c not in " $"), default=0)
        if frequency < 2:
            continue
        for form in {name.replace("+", ""), *name.split("+")} if "+" in name else {name}:
            for part in form.split():
                if len(part) > 2 and part.lower() not in skip and part[0].isupper():
                    names.add(part)
    header = [
        "# Given names byline's entity rules know: a capitalised run that begins with one is",
        "# a person's name. Derived from nam_dict.txt by Jörg Michael (2008), the first-name",
        "# dictionary of the `gender` program, as shipped in gender-guesser 0.4.0 on PyPI;",
        "# written by src/entities/given_names.py, which says what is kept. Like its source",
        "# this list is under the GNU Free Documentation License 1.2 or later.",
    ]
    body = sorted(names, key=lambda n: (n.lower(), n))
    (HERE / "given_names.txt").write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"{len(body)} names", file=sys.stderr)


if __name__ == "__main__":
    main()
