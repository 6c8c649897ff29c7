#!/usr/bin/env python3
"""parse_bench.py: parses the benchmark corpus through wirewatch, sfeed and python3-feedparser in one run and prints ratios.

Each tool gets the same files and reports how many items it found; we time
the whole command (best of --repeat runs: the machines are shared, the best
run is the one least disturbed) and read its peak RSS from wait4().
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

FEEDPARSER_SNIPPET = r"""
import sys, feedparser
n = 0
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        n += len(feedparser.parse(f.read()).entries)
print(n)
"""


def run(argv, stdin_path=None):
    """Runs argv, returns (seconds, peak RSS in KiB, stdout).

    GNU time reports the peak RSS: a child forked from this Python process
    would inherit its high-water mark, so wait4() here would overstate it."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + argv,
                              stdin=stdin, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        rss = int(report.read().split()[-1])
    if stdin_path:
        stdin.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed with status {proc.returncode}")
    return seconds, rss, proc.stdout


def best_of(repeat, argv, stdin_path=None):
    results = [run(argv, stdin_path) for _ in range(repeat)]
    return min(results, key=lambda r: r[0])


def count_lines(out):
    return out.count(b"\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--corpus", default="bench/corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-feedparser", action="store_true")
    args = ap.parse_args()

    wirewatch = os.path.join(args.build, "wirewatch")
    big = os.path.join(args.corpus, "big", "aggregate-50k.rss.xml")
    feeds_dir = os.path.join(args.corpus, "feeds")
    feeds = sorted(os.path.join(feeds_dir, f) for f in os.listdir(feeds_dir))
    # sfeed reads one stream; the concatenated files are what it gets for
    # the many-feeds set, so it too parses them all in one process.
    concatenated = os.path.join(args.corpus, ".feeds-concatenated.xml")
    if not os.path.exists(concatenated):
        with open(concatenated, "wb") as out:
            for path in feeds:
                with open(path, "rb") as f:
                    out.write(f.read())

    sets = [("big: one 50,000-item feed", [big], big),
            (f"feeds: {len(feeds)} news feeds", feeds, concatenated)]
    python = "/usr/bin/python3"
    for title, files, stream in sets:
        size = sum(os.path.getsize(f) for f in files)
        print(f"== {title}, {size / 1e6:.1f} MB")
        rows = []
        t, rss, out = best_of(args.repeat, [wirewatch, "parse", "--count", "--max-items", "0"] + files)
        rows.append(("wirewatch", t, rss, int(out.strip() or 0)))
        t, rss, out = best_of(args.repeat, ["sfeed"], stream)
        rows.append(("sfeed", t, rss, count_lines(out)))
        if not args.skip_feedparser:
            t, rss, out = best_of(1, [python, "-c", FEEDPARSER_SNIPPET] + files)
            rows.append(("feedparser", t, rss, int(out.strip() or 0)))
        ours = rows[0]
        print(f"{'tool':<11} {'seconds':>8} {'items':>7} {'items/s':>10} {'MB/s':>7} {'RSS MB':>7} {'ours is':>9}")
        for name, t, rss, items in rows:
            ratio = (ours[3] / ours[1]) / (items / t) if items else float("nan")
            print(f"{name:<11} {t:8.3f} {items:7d} {items / t:10.0f} {size / 1e6 / t:7.1f} "
                  f"{rss / 1024:7.1f} {ratio:8.2f}x")
        print()


if __name__ == "__main__":
    sys.exit(main())
