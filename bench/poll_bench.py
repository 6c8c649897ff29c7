#!/usr/bin/env python3
"""poll_bench.py: polls the 2,000-feed set over loopback with wirewatchd --once, curl --parallel and newsboat, and prints ratios.

Round 1 starts from empty state (every item parsed and stored); round 2
polls again with every feed unchanged, which conditional GET turns into
304s. The feeds are served by the project's test feed server on 127.0.0.1.
Times are best of --repeat; peak RSS comes from wait4().
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time


def run(argv, env=None, cwd=None):
    """Runs argv, returns (seconds, peak RSS in MB) — the RSS from GNU time,
    as a child forked from this process would inherit Python's own."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + argv,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=env, cwd=cwd)
        seconds = time.perf_counter() - start
        rss = int(report.read().split()[-1]) / 1024
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode(errors="replace")[-2000:])
        raise SystemExit(f"{argv[0]} failed with status {proc.returncode}")
    return seconds, rss


def start_server(build, root, work):
    port_file = os.path.join(work, "port")
    server = subprocess.Popen([os.path.join(build, "tests", "feedserver"), "--root", root,
                               "--port", "0", "--port-file", port_file])
    for _ in range(200):
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            with open(port_file) as f:
                return server, int(f.read().strip())
        time.sleep(0.05)
    server.kill()
    raise SystemExit("feed server did not start")


def feed_urls(port, files, count):
    """count URLs over the corpus files; beyond the corpus size a query
    string makes each URL a distinct feed with the same content."""
    urls = []
    for i in range(count):
        name = files[i % len(files)]
        copy = i // len(files)
        urls.append(f"http://127.0.0.1:{port}/{name}" + (f"?copy={copy}" if copy else ""))
    return urls


def bench_wirewatch(build, work, urls, per_host, repeat):
    conf = os.path.join(work, "wirewatch.conf")
    with open(conf, "w") as f:
        f.write(f"[daemon]\nstate_dir = {work}/ww-state\nalert_log = {work}/alerts.jsonl\n"
                f"concurrency = 16\nper_host = {per_host}\nhost_delay = 0\n\n")
        for i, url in enumerate(urls):
            f.write(f'[feed "f{i:05d}"]\nurl = {url}\n\n')
    argv = [os.path.join(build, "wirewatchd"), "-c", conf, "--once"]
    round1 = []
    round2 = []
    for _ in range(repeat):
        shutil.rmtree(os.path.join(work, "ww-state"), ignore_errors=True)
        round1.append(run(argv))
        round2.append(run(argv))
    items = subprocess.run(["sqlite3", os.path.join(work, "ww-state", "wirewatch.db"),
                            "SELECT count(*) FROM items"], capture_output=True, text=True)
    return min(round1), min(round2), items.stdout.strip()


def bench_curl(work, urls, repeat):
    conf = os.path.join(work, "curl.conf")
    with open(conf, "w") as f:
        for url in urls:
            f.write(f'url = "{url}"\noutput = "/dev/null"\n')
    return min(run(["curl", "--silent", "--parallel", "--parallel-max", "16", "--config", conf])
               for _ in range(repeat))


def bench_newsboat(work, urls):
    home = os.path.join(work, "newsboat-home")
    os.makedirs(home, exist_ok=True)
    with open(os.path.join(home, "urls"), "w") as f:
        f.write("\n".join(urls) + "\n")
    with open(os.path.join(home, "config"), "w") as f:
        f.write("reload-threads 16\n")
    env = dict(os.environ, HOME=home, LANG="C.UTF-8")
    argv = ["newsboat", "-u", os.path.join(home, "urls"), "-c", os.path.join(home, "cache.db"),
            "-C", os.path.join(home, "config"), "-x", "reload"]
    first = run(argv, env=env)
    second = run(argv, env=env)
    return first, second


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--corpus", default="bench/corpus")
    ap.add_argument("--feeds", type=int, nargs="+", default=[2000, 10000])
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-newsboat", action="store_true")
    args = ap.parse_args()

    root = os.path.join(args.corpus, "poll")
    files = sorted(os.listdir(root))
    work = tempfile.mkdtemp(prefix="wirewatch-pollbench.")
    server, port = start_server(args.build, root, work)
    try:
        for count in args.feeds:
            urls = feed_urls(port, files, count)
            print(f"== {count} feeds on 127.0.0.1 (per_host = {args.per_host})")
            r1, r2, items = bench_wirewatch(args.build, work, urls, args.per_host, args.repeat)
            curl = bench_curl(work, urls, args.repeat)
            print(f"{'run':<34} {'seconds':>8} {'peak RSS MB':>12}")
            print(f"{'curl --parallel (transport floor)':<34} {curl[0]:8.3f} {curl[1]:12.1f}")
            print(f"{'wirewatchd --once round 1':<34} {r1[0]:8.3f} {r1[1]:12.1f}   items stored: {items}")
            print(f"{'wirewatchd --once round 2 (304s)':<34} {r2[0]:8.3f} {r2[1]:12.1f}")
            if not args.skip_newsboat and count <= 2000:
                nb1, nb2 = bench_newsboat(work, urls)
                print(f"{'newsboat -x reload round 1':<34} {nb1[0]:8.3f} {nb1[1]:12.1f}")
                print(f"{'newsboat -x reload round 2':<34} {nb2[0]:8.3f} {nb2[1]:12.1f}")
                print(f"round 1: wirewatch is {nb1[0] / r1[0]:.1f}x faster than newsboat")
            print(f"round 2: wirewatch takes {r2[0] / curl[0]:.2f}x the time of curl --parallel")
            print()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
