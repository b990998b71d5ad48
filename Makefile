# convoy's benchmarks against the tools users would otherwise pick (issue 6; see BENCHMARKS.md).
# Not part of the test command; not run in CI.
#   make bench                      # default sizes, 3 repetitions
#   make bench BENCH_ARGS="--reps 5 --only where,geodesic"
PYTHON ?= python3
BENCH_ARGS ?=

.PHONY: help bench

help:
	@echo "make bench   build convoy (release), set up Benchmarks/.venv with the peers, run every"
	@echo "             workload for convoy and its peer, print the table (BENCH_ARGS=\"--help\" for options)"

bench:
	$(PYTHON) Benchmarks/bench.py $(BENCH_ARGS)
