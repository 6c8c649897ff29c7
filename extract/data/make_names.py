#!/usr/bin/env python3
"""extract/data/make_names.py: derives given-names.txt and surnames.txt from the CC0 Wikidata name
pairs and the public-domain OFAC SDN list in ../shared/corpus. Run by hand, not at build:

    python3 extract/data/make_names.py ../shared/corpus extract/data

Only derived word lists are written (tokens and their frequencies decide what stays); no corpus
file is copied. /usr/share/dict/words (Debian's wamerican, SCOWL) is read, when present, to leave
out of the surname list the rare surnames that are also common English words ("Gas", "Street").
"""
import collections
import csv
import os
import re
import sys

# Tokens that lead or end a Wikidata label without being a name.
NOT_NAMES = set("""
sir saint st lord lady king queen prince princess pope duke earl count baron emperor empress
sultan sheikh shaykh dr mr mrs ms jr sr the of von van de der den la le el al bin ibn abu
i ii iii iv v vi vii viii ix x xi xii xiii xiv xv great elder younger junior senior
""".split())

WORD = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-žȘ-ț][A-Za-zÀ-ÖØ-öø-ÿĀ-žȘ-ț'\-]*$")
CYRILLIC = re.compile(r"^[а-яё\-]+$")


def read_wikidata(corpus):
    """First and last tokens of the English full names (wd_hebrew)."""
    first, last = collections.Counter(), collections.Counter()
    with open(os.path.join(corpus, "wikidata-name-translit", "wd_hebrew"),
              encoding="utf-8") as f:
        for line in f:
            label = line.split("\t", 1)[0]
            # "Anne of Denmark", "Alexander the Great": no surname.
            if " of " in label or " the " in label:
                continue
            english = label.split()
            english = [t for t in english if t.lower().strip(".,") not in NOT_NAMES]
            if len(english) < 2:
                continue
            a, b = english[0], english[-1]
            if WORD.match(a) and len(a) >= 2 and not a.endswith("."):
                first[a] += 1
            if WORD.match(b) and len(b) >= 3:
                last[b] += 1
    return first, last


def read_ofac(corpus):
    """Given names and surnames of the individuals of the SDN list and its aliases."""
    first, last = collections.Counter(), collections.Counter()
    base = os.path.join(corpus, "ofac-sdn-watchman")
    individuals = set()
    names = []
    with open(os.path.join(base, "sdn.csv"), encoding="latin-1") as f:
        for row in csv.reader(f):
            if len(row) > 2 and row[2].strip() == "individual":
                individuals.add(row[0])
                names.append(row[1])
    with open(os.path.join(base, "alt.csv"), encoding="latin-1") as f:
        for row in csv.reader(f):
            if len(row) > 3 and row[0] in individuals:
                names.append(row[3])
    for name in names:
        if "," not in name:
            continue
        surname, given = name.split(",", 1)
        given = [t for t in given.split() if t.lower().strip(".") not in NOT_NAMES]
        if given and WORD.match(given[0]) and len(given[0]) >= 3:
            first[given[0].title()] += 1
        words = [t for t in re.split(r"[\s\-]+", surname)
                 if t.lower() not in NOT_NAMES]
        if words and WORD.match(words[-1]) and len(words[-1]) >= 3:
            last[words[-1].title()] += 1
    return first, last


def read_russian(corpus, latin):
    """Cyrillic forms of the given Latin tokens (wd_russian_20 token pairs)."""
    out = collections.Counter()
    lower = {w.lower() for w in latin}
    with open(os.path.join(corpus, "wikidata-name-translit", "wd_russian_20"),
              encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            word = parts[1].replace(" ", "")
            if parts[0] in lower and CYRILLIC.match(word) and int(parts[2]) >= 2:
                out[word.capitalize()] += int(parts[2])
    return out


def common_words():
    try:
        with open("/usr/share/dict/words", encoding="utf-8") as f:
            return {w.strip() for w in f if w.strip().islower()}
    except OSError:
        return set()


def write(path, header, words):
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        for w in sorted(words):
            f.write(w + "\n")


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    common = common_words()
    wd_first, wd_last = read_wikidata(corpus)
    of_first, of_last = read_ofac(corpus)

    # Given names: frequent first tokens (a name borne by two or more
    # people is a given name, not a one-off); a common English word is kept
    # only when it is a frequent given name ("Mark", "Will").
    given = set()
    for counter, least in ((wd_first, 2), (of_first, 2)):
        for w, n in counter.items():
            if n < least or w.lower() in NOT_NAMES:
                continue
            if w.lower() in common and n < 20:
                continue
            given.add(w)
    given_cyr = read_russian(corpus, given)

    # Surnames: every last token (famous people are in Wikidata once), less
    # the rare ones that are common words, and less the given names that
    # are rarely surnames (a lone "John" is no surname).
    surnames = set()
    for counter in (wd_last, of_last):
        for w, n in counter.items():
            # A lone capitalised word of three letters or fewer is too often
            # no name ("Gas", "Fed"); hyphenated surnames never stand alone.
            if w.lower() in NOT_NAMES or len(w) < 4 or len(w) > 16 or \
                    "-" in w or "'" in w:
                continue
            if w.lower() in common and n < 3:
                continue
            if w in given and wd_first[w] > 4 * max(n, 1):
                continue
            surnames.add(w)

    write(os.path.join(out, "given-names.txt"),
          "# Given names, Latin and Cyrillic: derived by make_names.py (see README.md).\n"
          "[given]\n",
          given | set(given_cyr))
    # The surnames that are also common English words ("Young", "Price"):
    # at a sentence's start they need more than the list to be a name.
    both = sorted(w.lower() for w in surnames if w.lower() in common)
    write(os.path.join(out, "surnames.txt"),
          "# Surnames (Latin; other scripts are matched through their name key):"
          " derived by make_names.py (see README.md).\n[surnames]\n",
          surnames)
    with open(os.path.join(out, "surnames.txt"), "a", encoding="utf-8") as f:
        f.write("[common-words]\n")
        for w in both:
            f.write(w + "\n")


if __name__ == "__main__":
    main()
