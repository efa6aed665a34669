# somon: build, run and test.
#   make run     install missing packages, build, create somon.db if absent, show it
#   make check   install missing packages, build, run every test
#   make tsan    the HTTP tests under ThreadSanitizer (make check runs it too)
# The builds share the sources: build/rel (the program, build/somon, hardened with
# Debian's dpkg-buildflags), build/test (the same configuration with the test-only
# switches, for valgrind and the browser), build/asan (tests under AddressSanitizer
# + UndefinedBehaviorSanitizer), build/tsan (ThreadSanitizer) and build/fuzz
# (libFuzzer, clang). Before any somon is linked, tools/codecheck.c checks every
# buf_fmt call of src/ against the escaping rule (src/buf.h), and every message of
# src/ against the language rule (src/i18n.h: through the catalogue, with its Dutch in
# po/nl; docs/language.md), and stops the build on a violation.

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
# The sanitizer builds carry -g1: line tables and inlined frames, what their reports
# print (file:line of every frame, inlined ones too), without the descriptions of
# local variables, which compiling them took a sixth of the two builds' CPU (42 -> 36
# CPU-s); build/rel and build/test keep Debian's -g.
CFLAGS_ASAN := -O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -U_FORTIFY_SOURCE \
               -DSOMON_TESTING
CFLAGS_TSAN := -O1 -g1 -fno-omit-frame-pointer -fsanitize=thread -DSOMON_TESTING
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
# build/test differs from build/rel only where SOMON_TESTING is read: those files are
# compiled again, every other object of build/rel is linked as it is (when a header
# reads the switch, every file is compiled again).
TESTING_SRC := $(shell grep -l SOMON_TESTING $(SRC) $(HDR) 2>/dev/null)
ifneq ($(filter %.h,$(TESTING_SRC)),)
TEST_OBJ := $(patsubst build/rel/%,build/test/%,$(REL_OBJ))
else
TEST_OBJ := $(foreach o,$(REL_OBJ),$(if $(filter src/$(notdir $(o:.o=.c)),$(TESTING_SRC)),$(o:build/rel/%=build/test/%),$(o)))
endif
TSAN_OBJ := $(patsubst build/rel/%,build/tsan/%,$(REL_OBJ))
FUZZ_TARGETS := import target form sheet
# FUZZ_OPT: the fuzz build's optimisation, in a folder of its own per level (build/fuzz
# for -O1, build/fuzz-O0 for -O0); make check builds at -O0 (FUZZ_CHECK_OPT, below)
FUZZ_OPT  ?= -O1
FUZZ_DIR  := build/fuzz$(subst -O1,,$(FUZZ_OPT))
FUZZ_BIN  := $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_TARGETS))
FUZZ_RUNS := $(addprefix fuzz-,$(FUZZ_TARGETS))

.PHONY: all run check check-build check-stages deps deps-check codecheck unit cli http tsan hardening browser valgrind \
        fuzz $(FUZZ_RUNS) bench bench-http bench-indicators clean
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

# Files that do not meet the language rule of tools/codecheck.c yet (none should).
I18N_PENDING :=

# The escaping rule as a build failure: every somon below depends on this stamp.
build/codecheck.ok: build/tools/codecheck $(SRC) $(HDR)
	@echo "  CHECK   src/ (tools/codecheck.c)"
	@build/tools/codecheck $(addprefix --pending ,$(I18N_PENDING)) $(HDR) $(SRC)
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
# The command line's language (src/i18n.h, docs/language.md). xgettext extracts every
# message of src/ (its keywords below) into build/locale/somon.pot; the English
# catalogue is that template with msgen (msgstr = msgid); the Dutch one joins
# po/nl/*.po, one file per area, and msgfmt --check refuses a translation whose
# %-directives differ. build/i18n.ok (scripts/i18n-check.sh) stops the build when a
# message of src/ has no Dutch (missing, empty or fuzzy) or po/nl holds a message
# that src/ no longer has.
XGETTEXT_KEYS := --keyword=_ --keyword=N_ --keyword=NC_:1c,2 \
                 --flag=problem:3:c-format --flag=diag_add:2:c-format --flag=usage_error:1:c-format
POT       := build/locale/somon.pot
CATALOGUE := build/locale/nl/LC_MESSAGES/somon.mo build/locale/en/LC_MESSAGES/somon.mo
$(POT): $(SRC) $(HDR)
	@echo "  XGETTEXT $@"
	@mkdir -p $(@D)
	@xgettext --from-code=UTF-8 --language=C --package-name=somon --sort-by-file $(XGETTEXT_KEYS) \
	  -o $@.new $(SRC) && mv $@.new $@
build/locale/nl.po: $(wildcard po/nl/*.po)
	@mkdir -p $(@D)
	@msgcat --use-first -o $@ $^
build/locale/nl/LC_MESSAGES/somon.mo: build/locale/nl.po
	@echo "  MSGFMT  $@"
	@mkdir -p $(@D)
	@msgfmt --check -o $@ $<
build/locale/en/LC_MESSAGES/somon.mo: $(POT)
	@echo "  MSGFMT  $@"
	@mkdir -p $(@D)
	@msginit --no-translator --locale=en_GB.UTF-8 -i $< -o - 2>/dev/null | msgen - | msgfmt --check -o $@ -
build/i18n.ok: scripts/i18n-check.sh build/locale/nl.po $(POT)
	@echo "  CHECK   po/nl against src/ (scripts/i18n-check.sh)"
	@scripts/i18n-check.sh build/locale/nl.po $(POT)
	@touch $@
CATALOGUE += build/i18n.ok

build/somon: $(REL_OBJ) build/codecheck.ok $(CATALOGUE)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_REL) $(LDFLAGS_REL) $(filter %.o,$^) $(PKG_LIBS) -o $@
build/test/somon: $(TEST_OBJ) build/codecheck.ok $(CATALOGUE)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_TEST) $(LDFLAGS_REL) $(filter %.o,$^) $(PKG_LIBS) -o $@
# build/asan/somon is linked as a fixed-address executable (-no-pie): its 2.7 MB of
# UBSan check descriptors and ASan global records hold 100,000 addresses, which a
# position-independent somon relocated at every start; the CLI and HTTP tests start
# it about 3,800 times (27.2 -> 25.8 ms a run of `report coverage`, 3 x 100 runs).
build/asan/somon: $(ASAN_OBJ) build/codecheck.ok $(CATALOGUE)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ASAN) -no-pie $(filter %.o,$^) $(PKG_LIBS) -o $@
build/tsan/somon: $(TSAN_OBJ) build/codecheck.ok $(CATALOGUE)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_TSAN) $(filter %.o,$^) $(PKG_LIBS) -o $@

# Unit tests: cmocka, linked against every module but main, built twice so that
# they run under the sanitizers and under valgrind. The modules are an archive per
# build (build/asan/libsomon.a, build/rel/libsomon.a), so that each test links the
# modules it uses, not all of them: a quarter less CPU to build the 52 tests, and a
# test under valgrind reads only their debugging information at its start
# (test_date 8.7 MB -> 49 KB; 0.45 -> 0.3 CPU-s).
build/asan/libsomon.a: $(ASAN_LIB)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^
build/rel/libsomon.a: $(REL_LIB)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^
build/asan/test_%: tests/unit/test_%.c build/asan/libsomon.a $(HDR) $(wildcard tests/unit/*.h) | build/asan
	@echo "  TEST    $@"
	@$(CC) $(WARN) $(CFLAGS_ASAN) -Isrc $(PKG_CFLAGS) $< build/asan/libsomon.a $(PKG_LIBS) -lcmocka -o $@
build/rel/test_%: tests/unit/test_%.c build/rel/libsomon.a $(HDR) $(wildcard tests/unit/*.h) | build/rel
	@echo "  TEST    $@"
	@$(CC) $(WARN) $(CFLAGS_REL) $(LDFLAGS_REL) -Isrc $(PKG_CFLAGS) $< build/rel/libsomon.a $(PKG_LIBS) -lcmocka -o $@

build/rel build/test build/asan build/tsan $(FUZZ_DIR) build/gen build/tools:
	@mkdir -p $@

# Built under a temporary name so that a failed step leaves no half database.
# The seeds' agreements (data/demo/agreement*.json), then the register compiled from
# public sources (data/demo/publieke-bronnen/, made by data/demo/public_so.py: the
# notice, associations and outreach in JSON, the agreements as a sheet), then the
# synthetic indicators. tests/cli/test_demo_sources.sh runs these very lines.
$(DB): | build/somon
	@rm -f $@.new $@.new-wal $@.new-shm
	build/somon --db $@.new init
	build/somon --db $@.new --actor demo import data/demo/agreement*.json
	build/somon --db $@.new --actor demo import data/demo/publieke-bronnen/publieke-bronnen.json
	build/somon --db $@.new --actor demo import sheet data/demo/publieke-bronnen/publieke-bronnen.csv
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
	@echo "somon: open http://$(LISTEN)/ (a demo register compiled from public sources, partial;"
	@echo "       most agreements run until 31/12/2025: try http://$(LISTEN)/?date=2023-06-30"
	@echo "       and http://$(LISTEN)/agreements). Stop with Ctrl-C."
	@exec build/somon --db $(DB) serve --listen $(LISTEN)

# make check: every binary first, NPROC compilers at a time; then the stages,
# CHECK_JOBS at a time (the longest first), each stage's output printed whole when it
# ends (-Otarget); -k runs every stage even after one failed, and the status is then
# non-zero. The stages spread their own runs over the CPUs (valgrind, the CLI, HTTP
# and browser test files, the four fuzzers), so stages that wait on sleeps and
# timeouts (http, tsan, browser) fill the time others spend computing. CI fuzzes
# FUZZ_CHECK_SECONDS per target (the corpus and 10 s); `make fuzz` FUZZ_SECONDS.
NPROC      := $(shell nproc 2>/dev/null || echo 2)
# each stage ends with its wall time and the CPU time of everything it ran (the shell's
# `times`, written to a file: in a pipe it would count the subshell's children, none):
# "== make http: 93 s, CPU 120.5 s user + 20.1 s system"
TIMED = t0=$$(date +%s); trap 'times >build/.times-$@; awk -v n=$@ -v w=$$(($$(date +%s) - t0)) '\''NR == 2 { \
        split($$1, u, /[ms]/); split($$2, s, /[ms]/); printf "== make %s: %d s, CPU %.1f s user + %.1f s system\n", \
        n, w, u[1] * 60 + u[2], s[1] * 60 + s[2] }'\'' build/.times-$@' EXIT;
CHECK_JOBS ?= 4
FUZZ_CHECK_SECONDS ?= 10
# CI's fuzz build is unoptimised: it compiles in 9 CPU-seconds instead of 31 (-O1),
# for 0.4-0.85x the executions in its 10 s (measured per target; `make fuzz`: -O1)
FUZZ_CHECK_OPT ?= -O0
check: deps-check
	@$(MAKE) --no-print-directory -j$(NPROC) check-build FUZZ_OPT=$(FUZZ_CHECK_OPT)
	@$(MAKE) --no-print-directory -k -j$(CHECK_JOBS) -Otarget check-stages FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS) FUZZ_OPT=$(FUZZ_CHECK_OPT)
check-build: build/tools/codecheck build/i18n.ok build/somon build/test/somon build/asan/somon build/tsan/somon \
             $(addprefix build/asan/,$(TESTS)) $(addprefix build/rel/,$(TESTS)) $(FUZZ_BIN)
check-stages: tsan http valgrind browser cli fuzz unit hardening codecheck

# The checker refuses each kind of violation (tests/codecheck/bad_*.c, lang_bad_*.c)
# and accepts the good forms; then src/ passes it; po/nl matches src/ (build/i18n.ok).
codecheck: build/tools/codecheck build/i18n.ok
	@$(TIMED) tests/codecheck/run.sh build/tools/codecheck

# build/somon carries the hardening and none of the test-only switches.
hardening: build/somon build/test/somon
	@$(TIMED) tests/hardening.sh build/somon build/test/somon

unit: $(addprefix build/asan/,$(TESTS)) codecheck
	@$(TIMED) failed=; for t in $(filter build/%,$^); do echo "== $$t"; $$t || failed="$$failed $$t"; done; \
	  if [ -n "$$failed" ]; then echo "unit: FAILED:$$failed"; exit 1; fi

cli: build/asan/somon build/somon
	@$(TIMED) SOMON=$(CURDIR)/build/asan/somon SOMON_RELEASE=$(CURDIR)/build/somon tests/cli/run.sh

# HTTP integration tests and hostile clients against a running server (the
# sanitizer build), with Python's standard library as the client.
http: build/asan/somon build/somon
	@$(TIMED) SOMON=$(CURDIR)/build/asan/somon SOMON_RELEASE=$(CURDIR)/build/somon tests/http/run.sh

# The same suite under ThreadSanitizer: any data race report fails it.
# tests/tsan.supp lists the third-party false positives, each with its reason.
# The XSS sweep of test_http.py sends every 8th of its 8,000 requests here (still
# every route, 8 at a time), and the role matrix and CSRF test of test_accounts.py
# every permitted save but a quarter of their refusals (still every route and every
# login): races do not depend on the payload or on who is refused, and make http
# sends them all.
tsan: build/tsan/somon build/somon
	@$(TIMED) TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp $$TSAN_OPTIONS" \
	  SOMON=$(CURDIR)/build/tsan/somon SOMON_RELEASE=$(CURDIR)/build/somon SOMON_SWEEP_EVERY=8 SOMON_MATRIX_EVERY=4 \
	  tests/http/run.sh

# Browser tests: Debian's chromium (its headless shell) driven by npm's playwright-core.
# build/test/somon: the release configuration with the test-only switches
# (SOMON_TEST_FAST_HASH makes the accounts these tests create).
browser: build/test/somon
	@$(TIMED) SOMON=$(CURDIR)/build/test/somon tests/browser/run.sh

valgrind: $(addprefix build/rel/,$(TESTS)) build/test/somon
	@$(TIMED) SOMON=$(CURDIR)/build/test/somon tests/valgrind.sh $(addprefix build/rel/,$(TESTS))

# libFuzzer targets, clang: every module but main compiled once with the fuzzer's
# coverage and the sanitizers (build/fuzz/*.o), each target linked against them;
# FUZZ_SECONDS bounds each run.
FUZZ_SECONDS ?= 30
FUZZ_CFLAGS := -g $(FUZZ_OPT) -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -U_FORTIFY_SOURCE
FUZZ_OBJ := $(patsubst src/%.c,$(FUZZ_DIR)/%.o,$(filter-out src/main.c,$(SRC))) $(FUZZ_DIR)/asset_data.o $(FUZZ_DIR)/geometry.o
# kept: make would delete them as intermediates of the pattern rule below
.SECONDARY: $(FUZZ_OBJ)
$(FUZZ_DIR)/%.o: src/%.c $(HDR) | $(FUZZ_DIR)
	@echo "  CC      $@"
	@clang $(WARN) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(FUZZ_DIR)/%.o: build/gen/%.c $(HDR) | $(FUZZ_DIR)
	@echo "  CC      $@"
	@clang $(WARN) $(FUZZ_CFLAGS) -Isrc $(PKG_CFLAGS) -c $< -o $@
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) $(HDR) | $(FUZZ_DIR)
	@echo "  FUZZ    $@"
	@clang $(WARN) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc $(PKG_CFLAGS) $< $(FUZZ_OBJ) $(PKG_LIBS) -o $@
# Four targets: the somon/1 importer, the request target parser, the POST body
# parser and the spreadsheet reader, side by side, each for FUZZ_SECONDS
# (make check: FUZZ_CHECK_SECONDS).
fuzz: $(FUZZ_RUNS)
$(FUZZ_RUNS): fuzz-%: $(FUZZ_DIR)/fuzz_%
	@$(TIMED) tests/fuzz/run.sh $< tests/fuzz/$* $(FUZZ_SECONDS)

bench: build/somon
	@bench/run.sh
bench-http: build/somon
	@bench/http.sh
bench-indicators: build/somon
	@bench/indicators.sh

clean:
	rm -rf build
