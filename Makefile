# somon: build, run and test.
#   make run     install missing packages, build, create somon.db if absent, show it
#   make check   install missing packages, build, run every test
#   make tsan    the HTTP tests under ThreadSanitizer (make check runs it too)
# The builds share the sources: build/rel (the program, build/somon, hardened with
# Debian's dpkg-buildflags), build/test (the same configuration with the test-only
# switches, for valgrind and the browser), build/asan (tests under AddressSanitizer
# + UndefinedBehaviorSanitizer), build/tsan (ThreadSanitizer) and build/fuzz
# (libFuzzer, clang). Before any somon is linked, tools/codecheck.c checks every
# buf_fmt call of src/ against the escaping rule (src/buf.h) and stops the build on
# a violation.

CC      ?= cc
PKGS    := sqlite3 libmicrohttpd jansson xlsxwriter libsodium libzip expat
WARN    := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla \
           -DSOMON_DATADIR='"$(CURDIR)/data"' -DSOMON_LOCALEDIR='"$(CURDIR)/build/locale"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lcsv -lm -lpthread
# The release build takes Debian's hardening flags (dpkg-dev's dpkg-buildflags with
# hardening=+all: -fstack-protector-strong, _FORTIFY_SOURCE, -Werror=format-security,
# -z relro -z now, PIE), plus what Debian 12's dpkg does not add yet: stack clash
# protection and, on x86, control-flow protection. Without dpkg-buildflags (deps.sh
# installs dpkg-dev) the same flags are spelled out.
HARDEN      := DEB_BUILD_MAINT_OPTIONS=hardening=+all
cc_has       = $(shell $(CC) -Werror $(1) -x c -c -o /dev/null /dev/null 2>/dev/null && echo $(1))
DPKG_CFLAGS   := $(shell $(HARDEN) dpkg-buildflags --get CFLAGS 2>/dev/null || \
                   echo -g -O2 -fstack-protector-strong -Wformat -Werror=format-security)
DPKG_CPPFLAGS := $(shell $(HARDEN) dpkg-buildflags --get CPPFLAGS 2>/dev/null || echo -D_FORTIFY_SOURCE=2)
DPKG_LDFLAGS  := $(shell $(HARDEN) dpkg-buildflags --get LDFLAGS 2>/dev/null || echo -Wl,-z,relro -Wl,-z,now)
# (-ffile-prefix-map is left out: debuggers and sanitizer traces keep the real paths.)
CFLAGS_REL  := $(filter-out -ffile-prefix-map=%,$(DPKG_CFLAGS)) $(DPKG_CPPFLAGS) -fPIE \
               $(call cc_has,-fstack-clash-protection) $(call cc_has,-fcf-protection)
LDFLAGS_REL := $(DPKG_LDFLAGS) -pie
# Test-only switches (SOMON_TEST_FAST_HASH, SOMON_SCHEMA_TARGET) exist only with
# -DSOMON_TESTING: in build/test, build/asan, build/tsan, never in build/somon.
CFLAGS_TEST := $(CFLAGS_REL) -DSOMON_TESTING
CFLAGS_ASAN := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -U_FORTIFY_SOURCE \
               -DSOMON_TESTING
CFLAGS_TSAN := -O1 -g -fno-omit-frame-pointer -fsanitize=thread -DSOMON_TESTING
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
TEST_OBJ := $(patsubst build/rel/%,build/test/%,$(REL_OBJ))
TSAN_OBJ := $(patsubst build/rel/%,build/tsan/%,$(REL_OBJ))

.PHONY: all run check deps deps-check codecheck unit cli http tsan hardening browser valgrind fuzz bench bench-http \
        bench-indicators clean
all: build/somon

deps:
	@scripts/deps.sh build
deps-check:
	@scripts/deps.sh check

build/tools/%: tools/%.c | build/tools
	@echo "  TOOL    $@"
	@$(CC) $(WARN) -O2 $(DPKG_CPPFLAGS) $(PKG_CFLAGS) $< $(PKG_LIBS) -o $@
build/tools/codecheck: tools/codecheck.c | build/tools
	@echo "  TOOL    $@"
	@$(CC) $(WARN) -O2 $(DPKG_CPPFLAGS) $< -o $@

# The escaping rule as a build failure: every somon below depends on this stamp.
build/codecheck.ok: build/tools/codecheck $(SRC) $(HDR)
	@echo "  CHECK   src/ (tools/codecheck.c)"
	@build/tools/codecheck $(HDR) $(SRC)
	@touch $@
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
build/test/%.o: build/gen/%.c $(HDR) | build/test
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_TEST) -Isrc $(PKG_CFLAGS) -c $< -o $@
build/tsan/%.o: build/gen/%.c $(HDR) | build/tsan
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_TSAN) -Isrc $(PKG_CFLAGS) -c $< -o $@

build/rel/%.o: src/%.c $(HDR) | build/rel
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_REL) $(PKG_CFLAGS) -c $< -o $@
build/asan/%.o: src/%.c $(HDR) | build/asan
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_ASAN) $(PKG_CFLAGS) -c $< -o $@
build/test/%.o: src/%.c $(HDR) | build/test
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_TEST) $(PKG_CFLAGS) -c $< -o $@
build/tsan/%.o: src/%.c $(HDR) | build/tsan
	@echo "  CC      $@"
	@$(CC) $(WARN) $(CFLAGS_TSAN) $(PKG_CFLAGS) -c $< -o $@
# The command line's Dutch (src/i18n.h): one catalogue joined from po/nl/*.po, one
# file per area; msgfmt --check refuses a translation whose %-directives differ.
CATALOGUE := build/locale/nl/LC_MESSAGES/somon.mo
$(CATALOGUE): $(wildcard po/nl/*.po)
	@echo "  MSGFMT  $@"
	@mkdir -p $(@D)
	@msgcat --use-first $^ | msgfmt --check -o $@ -

build/somon: $(REL_OBJ) build/codecheck.ok $(CATALOGUE)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_REL) $(LDFLAGS_REL) $(filter %.o,$^) $(PKG_LIBS) -o $@
build/test/somon: $(TEST_OBJ) build/codecheck.ok $(CATALOGUE)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_TEST) $(LDFLAGS_REL) $(filter %.o,$^) $(PKG_LIBS) -o $@
build/asan/somon: $(ASAN_OBJ) build/codecheck.ok $(CATALOGUE)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ASAN) $(filter %.o,$^) $(PKG_LIBS) -o $@
build/tsan/somon: $(TSAN_OBJ) build/codecheck.ok $(CATALOGUE)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_TSAN) $(filter %.o,$^) $(PKG_LIBS) -o $@

# Unit tests: cmocka, linked against every module but main, built twice so that
# they run under the sanitizers and under valgrind.
build/asan/test_%: tests/unit/test_%.c $(ASAN_LIB) $(HDR) | build/asan
	@echo "  TEST    $@"
	@$(CC) $(WARN) $(CFLAGS_ASAN) -Isrc $(PKG_CFLAGS) $< $(ASAN_LIB) $(PKG_LIBS) -lcmocka -o $@
build/rel/test_%: tests/unit/test_%.c $(REL_LIB) $(HDR) | build/rel
	@echo "  TEST    $@"
	@$(CC) $(WARN) $(CFLAGS_REL) $(LDFLAGS_REL) -Isrc $(PKG_CFLAGS) $< $(REL_LIB) $(PKG_LIBS) -lcmocka -o $@

build/rel build/test build/asan build/tsan build/fuzz build/gen build/tools:
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
	@$(MAKE) --no-print-directory codecheck hardening unit cli http tsan browser valgrind fuzz

# The checker refuses each kind of violation (tests/codecheck/bad_*.c) and
# accepts the good forms; then src/ passes it.
codecheck: build/tools/codecheck
	@tests/codecheck/run.sh build/tools/codecheck

# build/somon carries the hardening and none of the test-only switches.
hardening: build/somon build/test/somon
	@tests/hardening.sh build/somon build/test/somon

unit: $(addprefix build/asan/,$(TESTS)) codecheck
	@for t in $(filter build/%,$^); do echo "== $$t"; $$t || exit 1; done

cli: build/asan/somon build/somon
	@SOMON=$(CURDIR)/build/asan/somon tests/cli/run.sh

# HTTP integration tests and hostile clients against a running server (the
# sanitizer build), with Python's standard library as the client.
http: build/asan/somon build/somon
	@SOMON=$(CURDIR)/build/asan/somon tests/http/run.sh

# The same suite under ThreadSanitizer: any data race report fails it.
# tests/tsan.supp lists the third-party false positives, each with its reason.
tsan: build/tsan/somon build/somon
	@TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp $$TSAN_OPTIONS" \
	  SOMON=$(CURDIR)/build/tsan/somon tests/http/run.sh

# Browser tests: Debian's chromium driven by npm's playwright-core.
# build/test/somon: the release configuration with the test-only switches
# (SOMON_TEST_FAST_HASH makes the accounts these tests create).
browser: build/test/somon
	@SOMON=$(CURDIR)/build/test/somon tests/browser/run.sh

valgrind: $(addprefix build/rel/,$(TESTS)) build/test/somon
	@SOMON=$(CURDIR)/build/test/somon tests/valgrind.sh $(addprefix build/rel/,$(TESTS))

# libFuzzer target for the somon/1 importer; FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 30
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(HDR) | build/fuzz
	@echo "  FUZZ    $@"
	@clang $(WARN) $(FUZZ_CFLAGS) -U_FORTIFY_SOURCE -Isrc $(PKG_CFLAGS) $< $(LIB_SRC) $(PKG_LIBS) -o $@
# Four targets: the somon/1 importer, the request target parser, the POST body
# parser and the spreadsheet reader, each for FUZZ_SECONDS (make check: 30 s each).
fuzz: build/fuzz/fuzz_import build/fuzz/fuzz_target build/fuzz/fuzz_form build/fuzz/fuzz_sheet
	@tests/fuzz/run.sh build/fuzz/fuzz_import tests/fuzz/import $(FUZZ_SECONDS)
	@tests/fuzz/run.sh build/fuzz/fuzz_target tests/fuzz/target $(FUZZ_SECONDS)
	@tests/fuzz/run.sh build/fuzz/fuzz_form tests/fuzz/form $(FUZZ_SECONDS)
	@tests/fuzz/run.sh build/fuzz/fuzz_sheet tests/fuzz/sheet $(FUZZ_SECONDS)

bench: build/somon
	@bench/run.sh
bench-http: build/somon
	@bench/http.sh
bench-indicators: build/somon
	@bench/indicators.sh

clean:
	rm -rf build
