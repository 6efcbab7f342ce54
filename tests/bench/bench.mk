# bench.mk: fragment of Makefile.am.  `make bench` (never part of make
# check): build synthetic stores once (tests/bench/gen-store, cached under
# $BENCH_CACHE or bench-cache/) and time classify, scan, the TUI's first
# screen and tagging on them; prints a table and writes bench.json.
#   make bench SIZES="10000 100000"    per-message cost across sizes
#   make bench BENCH_REPS=5            more repetitions (median)
#   make bench BENCH_ONLY=scan,tag     a subset (classify,scan,tui,tag)
#   make bench-clean                   drop the cached stores
# See tests/bench/README.md.

EXTRA_DIST += tests/bench/README.md tests/bench/gen-store tests/bench/run-bench \
	tests/bench/bt-ptytime.c tests/bench/bt-gmime-floor.c

SIZES = 100000
BENCH_REPS = 3
BENCH_COLD_REPS = 2
BENCH_ONLY = classify,scan,tui,tag

# The pseudo-terminal timer needs libvterm; without it the TUI is skipped.
EXTRA_PROGRAMS = tests/bench/bt-ptytime
tests_bench_bt_ptytime_SOURCES = tests/bench/bt-ptytime.c
tests_bench_bt_ptytime_CFLAGS = $(AM_CFLAGS) $(VTERM_CFLAGS)
tests_bench_bt_ptytime_LDADD = $(VTERM_LIBS) -lutil
CLEANFILES += tests/bench/bt-ptytime$(EXEEXT) bench.json

# GMime's share of classify (read, parse, free; nothing of ours), timed
# beside it.
EXTRA_PROGRAMS += tests/bench/bt-gmime-floor
tests_bench_bt_gmime_floor_SOURCES = tests/bench/bt-gmime-floor.c
tests_bench_bt_gmime_floor_LDADD = $(CORE_LIBS) $(JEMALLOC_LIBS)
CLEANFILES += tests/bench/bt-gmime-floor$(EXEEXT)
if HAVE_VTERM
BENCH_PTY = tests/bench/bt-ptytime$(EXEEXT)
else
BENCH_PTY =
endif

bench: tui/bouncetriage$(EXEEXT) tests/bench/bt-gmime-floor$(EXEEXT) $(BENCH_PTY)
	@cache="$${BENCH_CACHE:-$(abs_top_builddir)/bench-cache}"; \
	python3 $(abs_top_srcdir)/tests/bench/run-bench \
		--srcdir '$(abs_top_srcdir)' --builddir '$(abs_top_builddir)' \
		--cache "$$cache" --sizes '$(SIZES)' --reps '$(BENCH_REPS)' \
		--cold-reps '$(BENCH_COLD_REPS)' --only '$(BENCH_ONLY)' \
		--json '$(abs_top_builddir)/bench.json'

bench-clean:
	rm -rf "$${BENCH_CACHE:-$(abs_top_builddir)/bench-cache}"

.PHONY: bench bench-clean
