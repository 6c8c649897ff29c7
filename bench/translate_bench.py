#!/usr/bin/env python3
"""translate_bench.py: what translation costs wirewatchd on a heavily syndicated feed set — characters sent per unique story, and time with the cache cold and warm.

Spanish stories are made from the English NTREX documents in ../shared/corpus
(their first lines, turned into Spanish by Apertium's eng-spa pair once, up
front, untimed). Five outlets carry every story: the first as written, the
others re-headlined, with a "Relacionado:" line, or with the last paragraph
cut. wirewatchd --once (translate = all, so every story's title and text
are translated) polls them from the loopback feed server through a real
Apertium APY server:

- cold: an empty state; every unique text goes to APY once;
- warm: the same stories again in a fresh state holding only the cold run's
  translation cache; nothing should be sent.

Prints the characters sent against the characters of the unique stories
(the goal is at most 1.05x) and the times.
"""
import argparse, os, shutil, sqlite3, subprocess, sys, tempfile, time
from xml.sax.saxutils import escape

def spanish(texts):
    """Translates English texts into Spanish with apertium (one run)."""
    out = subprocess.run(["apertium", "-u", "eng-spa"], input="\n\n".join(texts),
                         capture_output=True, text=True, check=True).stdout
    parts = [p.strip() for p in out.split("\n\n")]
    if len(parts) != len(texts):
        sys.exit(f"apertium gave {len(parts)} texts for {len(texts)}")
    return parts

def stories(shared, count):
    ntrex = os.path.join(shared, "corpus", "ntrex", "NTREX-128")
    lines = open(os.path.join(ntrex, "newstest2019-src.eng.txt"), encoding="utf-8").read().split("\n")
    ids = open(os.path.join(shared, "corpus", "ntrex", "DOCUMENT_IDS.tsv")).read().split("\n")
    docs, order = {}, []
    for doc, line in zip(ids, lines):
        if doc not in docs:
            docs[doc] = []
            order.append(doc)
        docs[doc].append(line)
    picked = [docs[d] for d in order if len(docs[d]) >= 5][:count]
    flat = []
    for d in picked:
        flat += [d[0], d[1] + " " + d[2], d[3] + " " + d[4]]
    es = spanish(flat)
    return [(es[3 * i], [es[3 * i + 1], es[3 * i + 2]]) for i in range(len(picked))]

def write_feeds(root, items, outlets):
    for o in range(outlets):
        out = []
        for i, (title, paras) in enumerate(items):
            t, p = title, list(paras)
            if o % 4 == 1:
                t = "Última hora: " + title
            elif o % 4 == 2:
                p.append("Relacionado: más noticias de la región")
            elif o % 4 == 3:
                p = p[:1]
            body = "".join(f"<p>{escape(x)}</p>" for x in p)
            out.append(f"<item><title>{escape(t)}</title><guid>o{o}-s{i}</guid>"
                       f"<link>http://o{o}.example/{i}</link>"
                       f"<description><![CDATA[{body}]]></description></item>")
        with open(os.path.join(root, f"o{o}.xml"), "w", encoding="utf-8") as f:
            f.write("<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
                    f"<title>o{o}</title><language>es</language>" + "".join(out) + "</channel></rss>")

def run_once(build, conf):
    t = time.monotonic()
    subprocess.run([os.path.join(build, "wirewatchd"), "-c", conf, "--once"],
                   check=True, stderr=subprocess.DEVNULL)
    return time.monotonic() - t

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--stories", type=int, default=60)
    ap.add_argument("--outlets", type=int, default=5)
    args = ap.parse_args()
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    work = tempfile.mkdtemp(prefix="wirewatch-translatebench.")
    procs = []
    try:
        items = stories(args.shared, args.stories)
        os.mkdir(os.path.join(work, "www"))
        write_feeds(os.path.join(work, "www"), items, args.outlets)
        apy = subprocess.run(["sh", os.path.join(top, "scripts", "apy.sh"), "start", os.path.join(work, "apy")],
                             capture_output=True, text=True, check=True).stdout.strip()
        server = subprocess.Popen([os.path.join(args.build, "tests", "feedserver"), "--root",
                                   os.path.join(work, "www"), "--port-file", os.path.join(work, "port")])
        procs.append(server)
        while not os.path.exists(os.path.join(work, "port")) or not open(os.path.join(work, "port")).read().strip():
            time.sleep(0.05)
        port = open(os.path.join(work, "port")).read().strip()
        conf = os.path.join(work, "wirewatch.conf")
        with open(conf, "w") as f:
            f.write(f"[daemon]\nstate_dir = {work}/state\nalert_log = {work}/alerts.jsonl\nhost_delay = 0\nper_host = 4\n\n"
                    f"[translate]\nbackend = apertium\nurl = {apy}\ntranslate = all\nconcurrency = 4\n\n")
            for o in range(args.outlets):
                f.write(f'[feed "o{o}"]\nurl = http://127.0.0.1:{port}/o{o}.xml\nlanguage = es\n\n')
        cold = run_once(args.build, conf)
        db = sqlite3.connect(os.path.join(work, "state", "wirewatch.db"))
        sent, requests = db.execute("SELECT chars, requests FROM translate_stats").fetchone()
        nstories, unique, waiting = db.execute(
            "SELECT count(*), sum(length(coalesce(title_original, title)) + length(coalesce(text_original, text))),"
            " sum(translation != 'done') FROM stories").fetchone()
        nitems = db.execute("SELECT count(*) FROM items").fetchone()[0]
        db.close()
        # Warm: a fresh state that keeps only the translation cache.
        os.rename(os.path.join(work, "state"), os.path.join(work, "cold"))
        shutil.copytree(os.path.join(work, "cold"), os.path.join(work, "state"))
        db = sqlite3.connect(os.path.join(work, "state", "wirewatch.db"))
        db.executescript("DELETE FROM story_watches; DELETE FROM alerts; DELETE FROM sinks;"
                         " UPDATE items SET story_id = NULL; DELETE FROM stories; DELETE FROM items;"
                         " DELETE FROM feeds; DELETE FROM translate_stats;")
        db.commit()
        db.close()
        os.remove(os.path.join(work, "alerts.jsonl")) if os.path.exists(os.path.join(work, "alerts.jsonl")) else None
        warm = run_once(args.build, conf)
        db = sqlite3.connect(os.path.join(work, "state", "wirewatch.db"))
        wsent, whits = db.execute("SELECT chars, cache_hits FROM translate_stats").fetchone()
        db.close()
        print(f"{nitems} items from {args.outlets} outlets -> {nstories} stories ({waiting} not translated)")
        print(f"cold: {cold:.2f} s, {sent} characters sent in {requests} requests; unique story text {unique} characters:"
              f" {sent / unique:.3f}x (goal <= 1.05x); {sent / nstories:.0f} characters a story")
        print(f"warm: {warm:.2f} s, {wsent} characters sent, {whits} texts from the cache;"
              f" {cold / warm:.1f}x faster than cold")
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        subprocess.run(["sh", os.path.join(top, "scripts", "apy.sh"), "stop", os.path.join(work, "apy")])
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
