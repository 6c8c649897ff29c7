# Makefile: the README's entry points — set up, build, run, test, demo, bench — on top of CMake.
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWW_WERROR=ON

.PHONY: all deps build run test test-asan test-fuzz demo bench bench-parse bench-poll bench-story bench-pipeline bench-extract install clean format

all: build

deps:
	sh scripts/install-deps.sh

# Configuring every time is cheap, and applies CMAKE_FLAGS given on the
# command line (e.g. an install prefix) to an existing build directory.
build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

# Runs the daemon in the foreground on the sample configuration. State and
# the alert log go under ./run/ (systemd sets the same variables for the service).
run: build
	mkdir -p run/state run/log
	STATE_DIRECTORY=$(CURDIR)/run/state LOGS_DIRECTORY=$(CURDIR)/run/log \
		$(BUILD)/wirewatchd -c etc/wirewatch.conf

test: build test-asan test-fuzz
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The same suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DWW_WERROR=ON -DWW_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# The libFuzzer targets (clang), each run 50,000 times from the parser
# fixtures; the whole tree is built with clang too, for its warnings.
test-fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DWW_WERROR=ON -DWW_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	ctest --test-dir $(FUZZ_BUILD) --output-on-failure -j $(JOBS) -R '^fuzz/'

demo: build
	sh scripts/demo.sh $(BUILD)

bench: bench-parse bench-poll bench-story bench-pipeline bench-extract

bench-parse: build
	sh bench/parse.sh $(BUILD)

bench-poll: build
	sh bench/poll.sh $(BUILD)

# The near-duplicate index at 1,000,000 stories against a brute-force scan.
bench-story: build
	cmake --build $(BUILD) --target story_bench -j $(JOBS)
	$(BUILD)/bench/story_bench

# Items per second through language, tokens, signature, index and watches.
bench-pipeline: build
	cmake --build $(BUILD) --target pipeline_bench -j $(JOBS)
	$(BUILD)/bench/pipeline_bench "$$(sh bench/corpus.sh)"

# The extractor on public gold sets: UNER person names, OFAC aliases,
# Wikidata English-Russian names (../shared/corpus).
bench-extract: build
	cmake --build $(BUILD) --target extract_eval -j $(JOBS)
	$(BUILD)/bench/extract_eval ../shared/corpus

install: build
	cmake --install $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) run
