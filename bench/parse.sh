#!/bin/sh
# parse.sh: generates the benchmark corpus if missing, then runs the parser benchmark.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
corpus="$top/bench/corpus"
if [ ! -f "$corpus/manifest.tsv" ]; then
	gen="$top/../shared/bench/gen_corpus.py"
	[ -f "$gen" ] || { echo "bench: $gen not found; it generates the corpus" >&2; exit 1; }
	/usr/bin/python3 "$gen" --out "$corpus"
fi
python3 "$top/bench/parse_bench.py" --build "$build" --corpus "$corpus"
