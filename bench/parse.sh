#!/bin/sh
# parse.sh: generates the benchmark corpus if missing, then runs the parser benchmark.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(sh "$top/bench/corpus.sh")
python3 "$top/bench/parse_bench.py" --build "$build" --corpus "$corpus"
