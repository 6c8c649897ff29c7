#!/bin/sh
# corpus.sh: generates the benchmark corpus (bench/corpus) if it is missing and prints its path.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
corpus="$top/bench/corpus"
if [ ! -f "$corpus/manifest.tsv" ]; then
	gen="$top/../shared/bench/gen_corpus.py"
	[ -f "$gen" ] || { echo "bench: $gen not found; it generates the corpus" >&2; exit 1; }
	# stdout carries the path alone, so the generator talks on stderr.
	/usr/bin/python3 "$gen" --out "$corpus" >&2
fi
echo "$corpus"
