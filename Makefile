# The contract: `make deps`, `make build`, `make run`, `make test`, `make bench`.
# Everything else is detail. Builds use both cores of a small machine; override with JOBS=N.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_DIR := build
ASAN_DIR := build-asan

.PHONY: all deps build build-tests run console test test-fast test-asan bench format format-check clean

all: build

deps:
	./scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake --preset default

build: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

# What the tests run: the sakaibot binary and every test binary (the CMake target sakaibot_tests),
# not the benchmarks (`make bench` builds those).
build-tests: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS) --target sakaibot_tests

# Starts SakaiBot on Telegram; the first time, the setup wizard and the login come first.
run: deps build
	./$(BUILD_DIR)/sakaibot run

console: build
	./$(BUILD_DIR)/sakaibot console

# The whole suite: formatting, the normal build with every test, then the sanitizer build (one
# configure and one build of build-asan per run; its preset leaves the benchmarks out).
test: deps format-check build-tests
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)
	$(MAKE) test-asan

test-fast: build-tests
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

test-asan:
	cmake --preset asan
	cmake --build $(ASAN_DIR) -j$(JOBS) --target sakaibot_tests
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j$(JOBS)

INGEST_FILE := $(BUILD_DIR)/bench-updates.jsonl

bench: build
	./$(BUILD_DIR)/bench_router --benchmark_min_time=0.5
	test -f $(INGEST_FILE) || ./$(BUILD_DIR)/bench_ingest --generate 200000 $(INGEST_FILE)
	./$(BUILD_DIR)/bench_ingest $(INGEST_FILE)
	./$(BUILD_DIR)/bench_memory

FORMAT_FILES = $(shell git ls-files '*.cpp' '*.h' 2>/dev/null)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format-check: clean"

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)
