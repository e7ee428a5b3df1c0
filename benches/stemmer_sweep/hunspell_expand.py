#!/usr/bin/env python3
"""Expands a hunspell dictionary (.dic + .aff) into its word forms, one a line, in UTF-8.

For dictionaries hunspell-tools' `unmunch` cannot read: numeric (`FLAG num`) or long flags
with `AF` flag aliases (hunspell-tr segfaults unmunch; hunspell-ar's aliases give no forms).
Handles PFX/SFX with strip, add, condition and cross product, and one level of continuation
flags on an affix (a suffix's suffix: two-fold suffixes), enough for real inflected forms.
Compounding is not expanded.

Usage: hunspell_expand.py [--no-twofold] [--max-forms N] DIC AFF > words.txt
  --no-twofold   apply no continuation flags (only one affix of each side)
  --max-forms N  keep at most N forms a root, evenly spread over its sorted forms (for
                 Hungarian, whose two-fold suffixes give a root tens of thousands of forms)
  --every K      expand only every K-th root (the others are kept bare): a bounded sample
"""
import re
import sys


def read_lines(path, encoding):
    with open(path, "rb") as f:
        for raw in f:
            yield raw.decode(encoding, errors="replace").rstrip("\r\n")


def main():
    args = sys.argv[1:]
    twofold, max_forms, every = True, 0, 1
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--no-twofold":
            twofold = False
        elif opt == "--every":
            every = int(args.pop(0))
        elif opt == "--max-forms":
            max_forms = int(args.pop(0))
        else:
            sys.exit(__doc__)
    if len(args) != 2:
        sys.exit(__doc__)
    dic, aff = args
    encoding = "utf-8"
    for line in read_lines(aff, "latin-1"):
        if line.startswith("SET "):
            encoding = line.split()[1].lower().replace("microsoft-", "")
            encoding = {"iso8859-7": "iso8859_7", "iso8859-1": "latin-1"}.get(encoding, encoding)
    flag_type = "char"
    aliases = []  # AF: index (1-based) -> flags
    affixes = {}  # flag -> (kind, cross, [(strip, add, contflags, cond_regex)])
    needaffix = None

    def parse_flags(s):
        if not s:
            return []
        if flag_type == "num":
            return [f for f in s.split(",") if f]
        if flag_type == "long":
            return [s[i : i + 2] for i in range(0, len(s), 2)]
        return list(s)

    def flags_of(s):
        if aliases and s.isdigit():
            i = int(s)
            return aliases[i - 1] if 0 < i <= len(aliases) else []
        return parse_flags(s)

    for line in read_lines(aff, encoding):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        key = parts[0]
        if key == "FLAG" and len(parts) > 1:
            flag_type = {"num": "num", "long": "long"}.get(parts[1], "char")
        elif key == "AF" and len(parts) > 1 and not parts[1].isdigit():
            aliases.append(parse_flags(parts[1]))
        elif key == "NEEDAFFIX" and len(parts) > 1:
            needaffix = parts[1]
        elif key in ("PFX", "SFX") and len(parts) >= 4:
            flag = parts[1]
            if flag not in affixes and parts[2] in ("Y", "N") and parts[3].isdigit():
                affixes[flag] = (key, parts[2] == "Y", [])
                continue
            if flag not in affixes or len(parts) < 4:
                continue
            strip = "" if parts[2] == "0" else parts[2]
            add, _, cont = parts[3].partition("/")
            add = "" if add == "0" else add
            cond = parts[4] if len(parts) > 4 else "."
            try:
                regex = re.compile(("^" + cond) if key == "PFX" else (cond + "$"))
            except re.error:
                regex = re.compile(".")
            affixes[flag][2].append((strip, add, flags_of(cont) if cont else [], regex))

    def apply(word, flag):
        """The forms one affix flag gives a word: (form, kind, cross, contflags)."""
        a = affixes.get(flag)
        if not a:
            return
        kind, cross, rules = a
        for strip, add, cont, regex in rules:
            if not regex.search(word):
                continue
            if kind == "SFX":
                if strip and not word.endswith(strip):
                    continue
                yield (word[: len(word) - len(strip)] if strip else word) + add, kind, cross, cont
            else:
                if strip and not word.startswith(strip):
                    continue
                yield add + (word[len(strip) :] if strip else word), kind, cross, cont

    out = sys.stdout
    first = True
    n = 0
    for line in read_lines(dic, encoding):
        if first:
            first = False
            if line.strip().lstrip("\ufeff").isdigit():
                continue
        line = line.lstrip("\ufeff")
        if not line.strip() or line.startswith(("\t", "#")):
            continue
        head = re.split(r"[\t ]", line, maxsplit=1)[0]
        m = re.match(r"^((?:[^/\\]|\\.)*)(?:/(.*))?$", head)
        word = m.group(1).replace("\\/", "/")
        flags = flags_of(m.group(2) or "")
        n += 1
        if n % every:
            out.write(word + "\n")
            continue
        forms = set()
        if needaffix not in flags:
            forms.add(word)
        suffixed = []
        for f in flags:
            for form, kind, cross, cont in apply(word, f):
                if kind == "SFX" and needaffix not in cont:
                    forms.add(form)
                elif kind == "PFX":
                    forms.add(form)
                for c in cont if twofold else ():  # two-fold: the affix's own continuation affixes
                    for form2, _, _, _ in apply(form, c):
                        forms.add(form2)
                if kind == "SFX" and cross:
                    suffixed.append(form)
        # Cross products: prefixes on suffixed forms.
        for f in flags:
            a = affixes.get(f)
            if a and a[0] == "PFX" and a[1]:
                for s in suffixed:
                    for form, _, _, _ in apply(s, f):
                        forms.add(form)
        if max_forms and len(forms) > max_forms:
            ordered = sorted(forms)
            forms = [ordered[i * len(ordered) // max_forms] for i in range(max_forms)]
        if forms:
            out.write("\n".join(forms))
            out.write("\n")


if __name__ == "__main__":
    main()
