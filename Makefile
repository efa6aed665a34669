# somon: build, run and test.
#   make run     install missing packages, build, create somon.db if absent, show it
#   make check   install missing packages, build, run every test
# Three builds share the sources: build/rel (the program), build/asan (tests under
# AddressSanitizer + UndefinedBehaviorSanitizer) and build/fuzz (libFuzzer, clang).

CC      ?= cc
PKGS    := sqlite3 libmicrohttpd jansson xlsxwriter libsodium
WARN    := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla -D_FORTIFY_SOURCE=2 \
           -DSOMON_DATADIR='"$(CURDIR)/data"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lcsv -lm -lpthread
CFLAGS_REL  := -O2 -g
CFLAGS_ASAN := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -U_FORTIFY_SOURCE
DB ?= somon.db

SRC      := $(sort $(wildcard src/*.c))
# Generated at build time: the assets (CSS, JavaScript) and the map geometry.
GEN      := build/gen/asset_data.c build/gen/geometry.c
LIB_SRC  := $(filter-out src/main.c,$(SRC)) $(GEN)
HDR      := $(wildcard src/*.h)
TESTS    := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
ASSETS   := $(sort $(wildcard assets/*))
BOUNDARIES := $(wildcard data/boundaries/*.geojson)

REL_OBJ  := $(patsubst src/%.c,build/rel/%.o,$(SRC)) build/rel/asset_data.o build/rel/geometry.o
ASAN_OBJ := $(patsubst src/%.c,build/asan/%.o,$(SRC)) build/asan/asset_data.o build/asan/geometry.o
ASAN_LIB := $(filter-out build/asan/main.o,$(ASAN_OBJ))
REL_LIB  := $(filter-out build/rel/main.o,$(REL_OBJ))

.PHONY: all run check deps deps-check unit cli http browser valgrind fuzz bench bench-http bench-indicators clean
all: build/somon

deps:
	@scripts/deps.sh build
deps-check:
	@scripts/deps.sh check

build/tools/%: tools/%.c | build/tools
	@echo "  TOOL    $@"
	@$(CC) $(WARN) -O2 $(PKG_CFLAGS) $< $(PKG_LIBS) -o $@
build/gen/asset_data.c: build/tools/embed $(ASSETS) | build/gen
	@echo "  GEN     $@"
	@build/tools/embed $@ $(ASSETS)
build/gen/geometry.c: build/tools/mapgen $(BOUNDARIES) | build/gen
	@echo "  GEN     $@"
	@build/tools/mapgen $@ data/boundaries
build/rel/%.o: build/gen/%.c $(HDR) | build/rel
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_REL) -Isrc $(PKG_CFLAGS) -c $< -o $@
build/asan/%.o: build/gen/%.c $(HDR) | build/asan
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_ASAN) -Isrc $(PKG_CFLAGS) -c $< -o $@

build/rel/%.o: src/%.c $(HDR) | build/rel
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_REL) $(PKG_CFLAGS) -c $< -o $@
build/asan/%.o: src/%.c $(HDR) | build/asan
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_ASAN) $(PKG_CFLAGS) -c $< -o $@
build/somon: $(REL_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_REL) $^ $(PKG_LIBS) -o $@
build/asan/somon: $(ASAN_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ASAN) $^ $(PKG_LIBS) -o $@

# Unit tests: cmocka, linked against every module but main, built twice so that
# they run under the sanitizers and under valgrind.
build/asan/test_%: tests/unit/test_%.c $(ASAN_LIB) $(HDR) | build/asan
	@echo "  TEST    $@"
	@$(CC) $(WARN) $(CFLAGS_ASAN) -Isrc $(PKG_CFLAGS) $< $(ASAN_LIB) $(PKG_LIBS) -lcmocka -o $@
build/rel/test_%: tests/unit/test_%.c $(REL_LIB) $(HDR) | build/rel
	@echo "  TEST    $@"
	@$(CC) $(WARN) $(CFLAGS_REL) -Isrc $(PKG_CFLAGS) $< $(REL_LIB) $(PKG_LIBS) -lcmocka -o $@

build/rel build/asan build/fuzz build/gen build/tools:
	@mkdir -p $@

# Built under a temporary name so that a failed step leaves no half database.
$(DB): | build/somon
	@rm -f $@.new $@.new-wal $@.new-shm
	build/somon --db $@.new init
	build/somon --db $@.new --actor demo import data/demo/*.json
	build/somon --db $@.new --actor demo import indicators --synthetic data/demo/indicators-synthetic.csv
	@mv $@.new $@

LISTEN ?= 127.0.0.1:8080
run: deps
	@$(MAKE) --no-print-directory build/somon
	@$(MAKE) --no-print-directory $(DB)
	@build/somon --db $(DB) init >/dev/null   # upgrades a database made by an older somon
	@build/somon --db $(DB) user list | grep -q ' admin ' || { \
	  echo "somon: there is no administrator yet, and no default password. Create one (it asks for a password):"; \
	  echo "         build/somon --db $(DB) user add LOGIN --role admin"; \
	  echo "       then sign in at http://$(LISTEN)/login (the server need not restart)."; }
	@echo "somon: open http://$(LISTEN)/ (the demo agreements run until 31/12/2025:"
	@echo "       try http://$(LISTEN)/?date=2023-06-30). Stop with Ctrl-C."
	@exec build/somon --db $(DB) serve --listen $(LISTEN)

check: deps-check
	@$(MAKE) --no-print-directory unit cli http browser valgrind fuzz

unit: $(addprefix build/asan/,$(TESTS))
	@for t in $^; do echo "== $$t"; $$t || exit 1; done

cli: build/asan/somon build/somon
	@SOMON=$(CURDIR)/build/asan/somon tests/cli/run.sh

# HTTP integration tests and hostile clients against a running server (the
# sanitizer build), with Python's standard library as the client.
http: build/asan/somon build/somon
	@SOMON=$(CURDIR)/build/asan/somon tests/http/run.sh

# Browser tests: Debian's chromium driven by npm's playwright-core.
browser: build/somon
	@SOMON=$(CURDIR)/build/somon tests/browser/run.sh

valgrind: $(addprefix build/rel/,$(TESTS)) build/somon
	@SOMON=$(CURDIR)/build/somon tests/valgrind.sh $(addprefix build/rel/,$(TESTS))

# libFuzzer target for the somon/1 importer; FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 30
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(HDR) | build/fuzz
	@echo "  FUZZ    $@"
	@clang $(WARN) $(FUZZ_CFLAGS) -U_FORTIFY_SOURCE -Isrc $(PKG_CFLAGS) $< $(LIB_SRC) $(PKG_LIBS) -o $@
# Three targets: the somon/1 importer, the request target parser and the
# POST body parser, each for FUZZ_SECONDS (make check: 30 s each).
fuzz: build/fuzz/fuzz_import build/fuzz/fuzz_target build/fuzz/fuzz_form
	@tests/fuzz/run.sh build/fuzz/fuzz_import tests/fuzz/import $(FUZZ_SECONDS)
	@tests/fuzz/run.sh build/fuzz/fuzz_target tests/fuzz/target $(FUZZ_SECONDS)
	@tests/fuzz/run.sh build/fuzz/fuzz_form tests/fuzz/form $(FUZZ_SECONDS)

bench: build/somon
	@bench/run.sh
bench-http: build/somon
	@bench/http.sh
bench-indicators: build/somon
	@bench/indicators.sh

clean:
	rm -rf build
