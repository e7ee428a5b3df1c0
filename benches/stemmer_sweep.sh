#!/usr/bin/env bash
# Stemmer sweep: stems every word of real word lists, in each of byline's 18 stemmer
# languages, with rust-stemmers 1.2.0 (as byline does) and lists every word that panics.
# The sweep itself is the standalone crate benches/stemmer_sweep/ (its own workspace).
#
# Usage: benches/stemmer_sweep.sh            (re-runnable: word lists already made are kept)
#   SWEEP_OUT=DIR    where word lists, table and TSV go (default /tmp/stemmer_sweep)
#   FORCE=1          remake the word lists
#   CHECKED=1        also sweep with overflow checks on (as byline's debug build and tests)
#   THREADS=N        worker threads (default: the cores)
# Needs root or sudo (apt-get), python3, cargo. Disk: ~6 GB of word lists; memory: ~10 GB.
#
# Debian packages installed, and what each language's words come from:
#   tools: hunspell-tools (unmunch), aspell, python3 (hunspell_expand.py), iconv (libc-bin)
#   ar Arabic     hunspell-ar (expanded by stemmer_sweep/hunspell_expand.py: unmunch cannot read
#                 its long flags and aliases), aspell-ar (full forms), aspell-ar-large (aspell expand)
#   da Danish     wdanish; hunspell-da (unmunch)
#   de German     wngerman; hunspell-de-de (unmunch)
#   el Greek      hunspell-el (full forms, ISO-8859-7); aspell-el (full forms)
#   en English    wamerican-insane, wbritish-insane; hunspell-en-us (unmunch)
#   es Spanish    wspanish; hunspell-es (unmunch)
#   fi Finnish    no Debian word list, aspell or hunspell dictionary (voikko-fi is a binary
#                 morphology with no generator): the headwords of the 15 dict-freedict-fin-*
#                 dictionaries (mostly base forms, no inflection)
#   fr French     wfrench; hunspell-fr-comprehensive (unmunch)
#   hu Hungarian  hunspell-hu: every root bare, every 30th root with its one-suffix forms
#                 (hunspell_expand.py; full expansion is billions of forms, and aspell-hu's
#                 `aspell expand` wrote 43 GB without finishing); aspell-hu roots (dump)
#   it Italian    witalian; hunspell-it (unmunch: 36 M forms, elided articles included)
#   nl Dutch      wdutch; hunspell-nl (unmunch)
#   no Norwegian  wnorwegian (bokmål, nynorsk; ISO-8859-1); hunspell-no nb/nn (unmunch)
#   pt Portuguese wportuguese, wbrazilian; hunspell-pt-pt, hunspell-pt-br (unmunch: 83 M forms
#                 with clitics)
#   ro Romanian   hunspell-ro (unmunch); aspell-ro (full forms)
#   ru Russian    hunspell-ru (unmunch); aspell-ru (aspell expand)
#   sv Swedish    wswedish (ISO-8859-1); hunspell-sv (unmunch)
#   ta Tamil      aspell-ta (full forms; only ~14 k words: the only Tamil list Debian has)
#   tr Turkish    hunspell-tr (hunspell_expand.py: unmunch segfaults on its numeric flags)
# Every language has a list; Finnish and Tamil are thin (no inflection tool exists for them).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
crate=$here/stemmer_sweep
OUT=${SWEEP_OUT:-/tmp/stemmer_sweep}
LISTS=$OUT/wordlists
THREADS=${THREADS:-$(nproc)}
mkdir -p "$LISTS"

FREEDICT_FIN=(
  dict-freedict-fin-bul dict-freedict-fin-deu dict-freedict-fin-ell dict-freedict-fin-eng
  dict-freedict-fin-fra dict-freedict-fin-ind dict-freedict-fin-ita dict-freedict-fin-jpn
  dict-freedict-fin-lat dict-freedict-fin-lit dict-freedict-fin-nld dict-freedict-fin-nor
  dict-freedict-fin-pol dict-freedict-fin-por dict-freedict-fin-swe
)
PACKAGES=(
  hunspell-tools aspell python3
  hunspell-ar aspell-ar aspell-ar-large
  wdanish hunspell-da
  wngerman hunspell-de-de
  hunspell-el aspell-el
  wamerican-insane wbritish-insane hunspell-en-us
  wspanish hunspell-es
  "${FREEDICT_FIN[@]}"
  wfrench hunspell-fr-comprehensive
  hunspell-hu aspell-hu
  witalian hunspell-it
  wdutch hunspell-nl
  wnorwegian hunspell-no
  wportuguese wbrazilian hunspell-pt-pt hunspell-pt-br
  hunspell-ro aspell-ro
  hunspell-ru aspell-ru
  wswedish hunspell-sv
  aspell-ta
  hunspell-tr
)

# ---- install ----
SUDO=
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else echo "need root or sudo for apt-get" >&2; exit 1; fi
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
dpkg-query -W -f '${Package} ${Version}\n' "${PACKAGES[@]}" > "$OUT/packages.txt"

# ---- word lists: $LISTS/LANG.SOURCE.txt, UTF-8 ----
H=/usr/share/hunspell
D=/usr/share/dict
EXPAND="python3 $crate/hunspell_expand.py"

# make NAME COMMAND...: runs COMMAND into $LISTS/NAME unless that list exists already.
make_list() {
  local name=$1; shift
  local dest=$LISTS/$name
  if [ -s "$dest" ] && [ -z "${FORCE:-}" ]; then return; fi
  local t0=$SECONDS
  "$@" > "$dest.tmp"
  mv "$dest.tmp" "$dest"
  echo "  $name: $(wc -l < "$dest") lines, $((SECONDS - t0)) s" >&2
}
# unmunch's output, cleaned: morphological fields (po:, is:, [CAT=...]) and flags unmunch
# could not parse (long flags) cut off.
unmunch_clean() { # DIC AFF [ENCODING]
  unmunch "$1" "$2" 2>/dev/null | { iconv -c -f "${3:-UTF-8}" -t UTF-8 || true; } |
    sed -E 's/\t.*//; s/ [a-z][a-z]:.*$//; s/\[CAT=[^]]*\]//g; s@([^\\])/[^ ]*$@\1@'
}
latin1() { iconv -c -f ISO-8859-1 -t UTF-8 "$1" || true; }  # -c: exit 1 on a dropped char
aspell_full() { aspell -d "$1" dump master; }
aspell_expand() { aspell -d "$1" dump master | aspell -l "$1" expand; }
# Finnish words of the FreeDict dictionaries: the headwords of the fin-* ones (the *-fin ones'
# entries mix Finnish translations with English or German glosses, so they are left out).
freedict_fin() {
  local f
  for f in /usr/share/dictd/freedict-fin-*.index; do
    grep -v '^00database' "$f" | cut -f1 | tr ' ' '\n'
  done | sort -u
}

echo "word lists in $LISTS" >&2
make_list ar.hunspell-ar.txt           $EXPAND $H/ar.dic $H/ar.aff
make_list ar.aspell-ar.txt             aspell_full ar
make_list ar.aspell-ar-large.txt       aspell_expand ar-large
make_list da.wdanish.txt               cat $D/danish
make_list da.hunspell-da.txt           unmunch_clean $H/da_DK.dic $H/da_DK.aff
make_list de.wngerman.txt              cat $D/ngerman
make_list de.hunspell-de-de.txt        unmunch_clean $H/de_DE.dic $H/de_DE.aff
make_list el.hunspell-el.txt           unmunch_clean $H/el_GR.dic $H/el_GR.aff ISO-8859-7
make_list el.aspell-el.txt             aspell_full el
make_list en.wamerican-insane.txt      cat $D/american-english-insane
make_list en.wbritish-insane.txt       cat $D/british-english-insane
make_list en.hunspell-en-us.txt        unmunch_clean $H/en_US.dic $H/en_US.aff
make_list es.wspanish.txt              cat $D/spanish
make_list es.hunspell-es.txt           unmunch_clean $H/es_ES.dic $H/es_ES.aff
make_list fi.freedict.txt              freedict_fin
make_list fr.wfrench.txt               cat $D/french
make_list fr.hunspell-fr.txt           unmunch_clean $H/fr.dic $H/fr.aff
make_list hu.hunspell-hu.txt           $EXPAND --no-twofold --every 30 $H/hu_HU.dic $H/hu_HU.aff
make_list hu.aspell-hu-roots.txt       bash -c 'aspell -d hu dump master | sed "s@/.*@@"'
make_list it.witalian.txt              cat $D/italian
make_list it.hunspell-it.txt           unmunch_clean $H/it_IT.dic $H/it_IT.aff
make_list nl.wdutch.txt                cat $D/dutch
make_list nl.hunspell-nl.txt           unmunch_clean $H/nl.dic $H/nl.aff
make_list no.wnorwegian-bokmaal.txt    latin1 $D/bokmaal
make_list no.wnorwegian-nynorsk.txt    latin1 $D/nynorsk
make_list no.hunspell-no-nb.txt        unmunch_clean $H/nb_NO.dic $H/nb_NO.aff ISO-8859-1
make_list no.hunspell-no-nn.txt        unmunch_clean $H/nn_NO.dic $H/nn_NO.aff ISO-8859-1
make_list pt.wportuguese.txt           cat $D/portuguese
make_list pt.wbrazilian.txt            cat $D/brazilian
make_list pt.hunspell-pt-pt.txt        unmunch_clean $H/pt_PT.dic $H/pt_PT.aff
make_list pt.hunspell-pt-br.txt        unmunch_clean $H/pt_BR.dic $H/pt_BR.aff
make_list ro.hunspell-ro.txt           unmunch_clean $H/ro_RO.dic $H/ro_RO.aff
make_list ro.aspell-ro.txt             aspell_full ro
make_list ru.hunspell-ru.txt           unmunch_clean $H/ru_RU.dic $H/ru_RU.aff
make_list ru.aspell-ru.txt             aspell_expand ru
make_list sv.wswedish.txt              latin1 $D/swedish
make_list sv.hunspell-sv.txt           unmunch_clean $H/sv_SE.dic $H/sv_SE.aff
make_list ta.aspell-ta.txt             aspell_full ta
make_list tr.hunspell-tr.txt           $EXPAND $H/tr_TR.dic $H/tr_TR.aff

# ---- build and sweep ----
echo "building $crate" >&2
cargo build --quiet --release --manifest-path "$crate/Cargo.toml"
run() { # PROFILE_DIR TSV TABLE
  local t0=$SECONDS
  "$crate/target/$1/stemmer_sweep" --threads "$THREADS" --tsv "$2" "$LISTS" > "$3"
  echo "sweep ($1): $((SECONDS - t0)) s" >&2
}
run release "$OUT/panics.tsv" "$OUT/table.md"
if [ -n "${CHECKED:-}" ]; then
  cargo build --quiet --profile checked --manifest-path "$crate/Cargo.toml"
  run checked "$OUT/panics-checked.tsv" "$OUT/table-checked.md"
fi
cat "$OUT/table.md"
echo
echo "packages: $OUT/packages.txt; panicking words: $OUT/panics.tsv"
