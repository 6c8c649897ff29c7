"""conformance_common.py: what the conformance tests share — the paths ctest gives, the wirewatch binary, its parse, HTML as text.

Not named test_*.py, so ctest does not run it as a test; the tests put
their own folder on sys.path and import it.
"""
import html.parser
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def paths():
    """(shared, build): $WW_SHARED and $WW_BUILD as ctest sets them, else
    ../shared and build beside the source tree, for a run by hand."""
    source = os.environ.get("WW_SOURCE") or os.path.join(HERE, "..", "..")
    shared = os.environ.get("WW_SHARED") or os.path.join(source, "..", "shared")
    build = os.environ.get("WW_BUILD") or os.path.join(source, "build")
    return shared, build


def skip(why):
    """Says the corpus is absent; the test then passes, as ../shared is optional."""
    print(f"skipped: ../shared not found ({why})")
    return 0


def find_binary(test, build):
    """The wirewatch binary in build, or None after saying so on stderr."""
    for rel in ("wirewatch", "cli/wirewatch"):
        path = os.path.join(build, rel)
        if os.access(path, os.X_OK):
            return path
    print(f"{test}: no wirewatch binary in {build}", file=sys.stderr)
    return None


def parse(binary, path, url, content_type=None):
    """`wirewatch parse --feed` of path as fetched from url, served with
    content_type when it is given: (the feed line, [the item lines]), each
    a dict; the feed is None when there is none."""
    args = [binary, "parse", "--feed", "--url", url]
    if content_type is not None:
        args += ["--content-type", content_type]
    proc = subprocess.run(args + [path],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          timeout=60)
    feed, items = None, []
    for raw in proc.stdout.splitlines():
        obj = json.loads(raw)
        if obj.get("type") == "feed":
            feed = obj
        elif obj.get("type") == "item":
            items.append(obj)
    return feed, items


class HtmlText(html.parser.HTMLParser):
    """Text of an HTML fragment, as wirewatch's parse_html_to_text gives it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def collapse(s):
    """s with runs of white space as one space, none at the ends."""
    return " ".join(s.split())


def html_to_text(s):
    """s read as HTML, as text with white space collapsed."""
    if "<" not in s and "&" not in s:
        return collapse(s)
    p = HtmlText()
    p.feed(s)
    p.close()
    return collapse("".join(p.parts))
