#!/usr/bin/env python3
"""test_feed_goldens.py: compares wirewatch's parse of real feeds with the expected parses that feed-rs and rss-parser ship.

$WW_SHARED/corpus/feed-rs/fixture holds NAME.xml with NAME.serde.json (feed-rs's
model) and $WW_SHARED/corpus/rss-parser/test holds input/NAME with
output/NAME.json (rss-parser's). Both models differ from ours, so values
are compared, not shapes: the feed title, and per item (in document order)
the title, link, id and date. Text is compared with white space collapsed,
as it is or, when the expected value is HTML, as text; dates as instants.
A link the other parser left relative (neither resolves against the feed
URL) agrees when ours ends with it. Ids feed-rs invents (an MD5 when the
feed has none, or a random UUID) and rss-parser outputs that are not
UTF-8 are skipped. Known disagreements where the golden is wrong: rss-parser's
uolNoticias.json holds U+FFFD for the feed's Latin-1 letters, and its
GB2312 dates ("2018-09-18 14:38:10", no zone) were read in the test
machine's time zone.

Prints "feed-rs goldens: P of N values agree" (and the same for
rss-parser) and exits non-zero when a count falls below its FLOOR.
"""
import calendar
import json
import os
import re
import sys

# The shared module sits beside this file; no .pyc lands in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance_common import (collapse, find_binary, html_to_text,  # noqa: E402
                                parse, paths, skip)

# Measured when the test was written; raise them as the parser improves.
FLOOR = {"feed-rs": 382, "rss-parser": 705}
BASE_URL = "http://goldens.invalid/feed.xml"


def same_text(ours, expected):
    if expected is None:
        return None
    ours = collapse(ours or "")
    return ours == collapse(expected) or ours == html_to_text(expected)


def same_link(ours, expected):
    if not expected:
        return None
    expected = expected.strip()
    if ours == expected:
        return True
    # Scheme and host are case-blind; feed-rs lowers them.
    host = re.match(r"^[a-z][a-z0-9+.-]*://[^/?#]*", expected, re.I)
    if host and ours and ours[:host.end()].lower() == host.group(0).lower() \
            and ours[host.end():] == expected[host.end():]:
        return True
    return (not re.match(r"^[a-z][a-z0-9+.-]*:", expected, re.I) and
            ours is not None and ours.endswith(expected.lstrip(".")))


def instant(text):
    """Seconds since the epoch of an RFC 3339 string, or None."""
    if not text:
        return None
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?"
                 r"(Z|[+-]\d\d:\d\d)$", text)
    if not m:
        return None
    t = calendar.timegm(tuple(int(m.group(i)) for i in range(1, 7)) +
                        (0, 0, 0))
    if m.group(8) != "Z":
        sign = 1 if m.group(8)[0] == "+" else -1
        t -= sign * (int(m.group(8)[1:3]) * 3600 + int(m.group(8)[4:6]) * 60)
    return t


def same_date(ours, expected):
    want = instant(expected)
    if want is None:
        return None
    return instant(ours) == want


def text_of(construct):
    """feed-rs's Text ({content_type, content}) as a string, HTML as text."""
    if not construct:
        return None
    return construct.get("content")


def cases_feed_rs(corpus):
    """Yields (name, input, [(what, check(feed, items))...])."""
    root = os.path.join(corpus, "feed-rs", "fixture")
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith(".serde.json"):
                continue
            base = name[:-len(".serde.json")]
            inputs = [f for f in files if f.startswith(base + ".") and f != name]
            if not inputs or not re.search(r"\.(xml|rss|atom|rdf)$", inputs[0]):
                continue
            with open(os.path.join(dirpath, name), "rb") as f:
                want = json.loads(f.read().decode("utf-8"))
            checks = [("feed title", lambda fd, it, w=want:
                       same_text(fd and fd.get("title"), text_of(w.get("title"))))]
            for i, e in enumerate(want.get("entries", [])):
                links = [l for l in e.get("links", [])
                         if l.get("rel") in (None, "alternate")]
                eid = e.get("id")
                if eid and re.fullmatch(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-"
                                        r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", eid):
                    eid = None
                checks += [
                    (f"item {i} title", lambda fd, it, i=i, e=e:
                     same_text(it[i]["title"] if i < len(it) else None,
                               text_of(e.get("title")))),
                    (f"item {i} link", lambda fd, it, i=i, links=links:
                     same_link(it[i]["url"] if i < len(it) else None,
                               links[0]["href"] if links else None)),
                    (f"item {i} id", lambda fd, it, i=i, eid=eid:
                     None if eid is None else
                     (i < len(it) and it[i]["id"] == eid)),
                    (f"item {i} date", lambda fd, it, i=i, e=e:
                     same_date((it[i]["published"] or it[i]["updated"])
                               if i < len(it) else None,
                               e.get("published") or e.get("updated"))),
                ]
            yield os.path.join(dirpath, base), os.path.join(dirpath, inputs[0]), checks


def cases_rss_parser(corpus):
    root = os.path.join(corpus, "rss-parser", "test")
    outdir = os.path.join(root, "output")
    if not os.path.isdir(outdir):
        return
    for name in sorted(os.listdir(outdir)):
        base = name[:-len(".json")]
        inputs = [f for f in os.listdir(os.path.join(root, "input"))
                  if f.rsplit(".", 1)[0] == base]
        if not inputs:
            continue
        with open(os.path.join(outdir, name), "rb") as f:
            raw = f.read()
        try:
            want = json.loads(raw.decode("utf-8"))["feed"]
        except (UnicodeDecodeError, ValueError, KeyError):
            yield base, None, None
            continue
        checks = [("feed title", lambda fd, it, w=want:
                   same_text(fd and fd.get("title"), w.get("title")))]
        for i, e in enumerate(want.get("items", [])):
            checks += [
                (f"item {i} title", lambda fd, it, i=i, e=e:
                 same_text(it[i]["title"] if i < len(it) else None,
                           e.get("title"))),
                (f"item {i} link", lambda fd, it, i=i, e=e:
                 same_link(it[i]["url"] if i < len(it) else None,
                           e.get("link"))),
                (f"item {i} id", lambda fd, it, i=i, e=e:
                 None if not (e.get("guid") or e.get("id")) else
                 (i < len(it) and it[i]["id"] == (e.get("guid") or e.get("id")).strip())),
                (f"item {i} date", lambda fd, it, i=i, e=e:
                 same_date((it[i]["published"] or it[i]["updated"])
                           if i < len(it) else None,
                           (e.get("isoDate") or "").replace(".000Z", "Z"))),
            ]
        yield base, os.path.join(root, "input", inputs[0]), checks


def main():
    shared, build = paths()
    corpus = os.path.join(shared, "corpus")
    if not os.path.isdir(os.path.join(corpus, "feed-rs")) and \
            not os.path.isdir(os.path.join(corpus, "rss-parser")):
        return skip(f"{corpus} has no feed-rs or rss-parser")
    binary = find_binary("test_feed_goldens", build)
    if binary is None:
        return 1
    verbose = "-v" in sys.argv
    status = 0
    for label, cases in (("feed-rs", cases_feed_rs(corpus)),
                         ("rss-parser", cases_rss_parser(corpus))):
        agree = total = files = skipped = 0
        for name, path, checks in cases:
            if path is None:
                skipped += 1
                continue
            files += 1
            feed, items = parse(binary, path, BASE_URL)
            for what, check in checks:
                try:
                    ok = check(feed, items)
                except (KeyError, IndexError, TypeError):
                    ok = False
                if ok is None:
                    continue
                total += 1
                agree += bool(ok)
                if not ok and verbose:
                    print(f"DIFF {name}: {what}")
        print(f"{label} goldens: {agree} of {total} values agree "
              f"({files} files, {skipped} expected outputs not UTF-8, skipped)")
        if agree < FLOOR[label]:
            print(f"test_feed_goldens: {label}: {agree} is below the floor of "
                  f"{FLOOR[label]}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
