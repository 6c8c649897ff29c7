#!/bin/sh
# poll.sh: generates the benchmark corpus if missing, then runs the polling benchmark over loopback.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(sh "$top/bench/corpus.sh")
python3 "$top/bench/poll_bench.py" --build "$build" --corpus "$corpus"
