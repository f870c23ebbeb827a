# Signpost. `make` builds build/signpost; `make run` installs what is missing,
# builds, creates and seeds data/signpost.db if needed, and serves on
# http://127.0.0.1:8080; `make test` runs every test (also under ASan+UBSan).

CC       ?= cc
OPT      ?= -O2
WARN     ?= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Werror
SANITIZE ?=
PKGS      = libmicrohttpd sqlite3 zlib libcmark jansson libsodium libqrencode
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)

ifeq ($(SANITIZE),)
BUILD    ?= build
SANFLAGS  =
else
BUILD    ?= build-san
SANFLAGS  = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT       = -O1
endif

CFLAGS   += -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) $(SANFLAGS) -MMD -MP \
            -Iserver -DSIGNPOST_VERSION='"$(VERSION)"' \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDFLAGS  += $(SANFLAGS)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lmicrohttpd -lsqlite3 -lz -lcmark -ljansson -lsodium -lqrencode) -lpthread -lm

# Files compiled into the binary.
ASSETS    = $(sort $(wildcard db/0*.sql)) db/seed.sql db/lexicon.sql db/common-passwords.txt $(wildcard api-spec/*.yaml api-spec/*.json) \
            $(wildcard server/templates/*.html server/templates/console/*.html) $(wildcard server/static/*)

# Every module of every folder under server/ (main.c apart) goes into the
# library that the binary, the unit tests and the benchmarks link.
LIB_SRC   = $(sort $(wildcard server/*/*.c))
LIB_OBJ   = $(LIB_SRC:server/%.c=$(BUILD)/%.o) $(BUILD)/assets.o
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
# The black-box suites under tests/, each a folder of Node test files.
SUITES    = http oruk embed curation site ops browser
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Debian packages: to build, to test, to benchmark.
DEB_BUILD = gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev \
            zlib1g-dev libcmark-dev libsodium-dev libqrencode-dev sqlite3
DEB_TEST  = chromium chromium-driver nginx-light valgrind
DEB_BENCH = wrk nginx-light
DEB_FUZZ  = clang libfuzzer-14-dev
# To build and try the container image (`make image-test`); docker.io is
# added only when there is no Docker already (see image-test below).
DEB_IMAGE = debootstrap curl
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all run test unit suites $(SUITES) lint layout relevance test-san fuzz memcheck soak image-test deps deps-test deps-bench bench clean

all: $(BUILD)/signpost

$(BUILD)/signpost: $(BUILD)/main.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: server/%.c | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/assets.c: $(BUILD)/embed-assets $(ASSETS)
	$(BUILD)/embed-assets $@ $(ASSETS)

$(BUILD)/assets.o: $(BUILD)/assets.c
	$(CC) $(CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/embed-assets: tools/embed.c | $(BUILD)
	$(CC) -O1 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LDLIBS)

$(BUILD):
	mkdir -p $(BUILD)

# ---- setup ------------------------------------------------------------------
# Installs the Debian packages named as arguments that are not installed yet.
APT_INSTALL = sh -c 'missing=""; for p in "$$@"; do dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; done; \
  [ -z "$$missing" ] || { echo "Installing Debian packages:$$missing"; \
  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; }' apt_install

deps:
	@$(APT_INSTALL) $(DEB_BUILD)

# Node.js and Java may come from elsewhere on a developer's machine: only
# install Debian's when there is none.
deps-test: deps
	@$(APT_INSTALL) $(DEB_TEST)
	@command -v node >/dev/null && command -v npm >/dev/null || $(APT_INSTALL) nodejs npm
	@command -v java >/dev/null || $(APT_INSTALL) default-jre-headless
	cd tests && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

deps-bench: deps
	@$(APT_INSTALL) $(DEB_BENCH)

run: deps
	$(MAKE) all
	@mkdir -p data
	$(BUILD)/signpost serve --db data/signpost.db

# ---- tests ------------------------------------------------------------------
# Every suite, then every suite again against an AddressSanitizer +
# UndefinedBehaviorSanitizer build.
test: deps-test
	$(MAKE) all
	$(MAKE) unit lint layout suites
	$(MAKE) relevance RELEVANCE_FLAGS=--floors
	$(MAKE) test-san

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

lint:
	cd tests && npx --no-install redocly lint --format=stylish ../api-spec/openapi.yaml
	tests/oruk/lint.sh
	cd tests && npx --no-install spectral lint --ruleset spectral/ruleset.yaml \
	  --resolver spectral/resolver.cjs --fail-severity warn \
	  ../api-spec/openapi.yaml ../api-spec/openreferral.json

# The shape of the house: no include cycles, nothing including up the
# request flow, no long file without a reason (tests/layout/check.sh).
layout:
	tests/layout/selftest.sh
	tests/layout/check.sh

# The graded relevance suite (tests/relevance/): success@1, success@3, MRR,
# nDCG@5 and the zero-result rate by audience; `make test` holds the floors.
RELEVANCE_FLAGS ?=
relevance: $(BUILD)/signpost
	SIGNPOST_BINARY=$(abspath $(BUILD)/signpost) node tests/relevance/run.mjs $(RELEVANCE_FLAGS)

# The black-box suites (Node's test runner), against $(BUILD)/signpost.
suites: $(BUILD)/signpost
	cd tests && SIGNPOST_BINARY=$(abspath $(BUILD)/signpost) node --test $(SUITES:%=%/)

$(SUITES): $(BUILD)/signpost
	cd tests && SIGNPOST_BINARY=$(abspath $(BUILD)/signpost) node --test $@/

test-san:
	$(MAKE) SANITIZE=address,undefined all unit suites

# The HTTP suite with the server under valgrind memcheck: no errors, no
# bytes definitely lost.
memcheck: all
	tests/ops/memcheck.sh $(BUILD)/signpost

# Not in CI: a minute of load, slow-client attacks and sqlmap.
soak: deps-bench all
	tests/ops/soak.sh $(BUILD)/signpost

# libFuzzer harnesses, each for FUZZ_SECONDS (CI runs them for 60 s each).
FUZZ_SECONDS ?= 60
fuzz: deps
	@$(APT_INSTALL) $(DEB_FUZZ)
	tests/fuzz/run.sh $(FUZZ_SECONDS)

# Builds the Dockerfile's image and tries it for real (tests/image/run.sh):
# health, pages, the non-root user, a token and a write that survives a
# restart, a clean stop. Starts dockerd if none answers, and makes the
# debian:bookworm-slim base from the apt mirror if it is missing. Docker's
# own docker-ce, where installed, is used as it is: docker.io would replace it.
image-test:
	@$(APT_INSTALL) $(DEB_IMAGE)
	@command -v dockerd >/dev/null || docker info >/dev/null 2>&1 || $(APT_INSTALL) docker.io
	VERSION="$(VERSION)" tests/image/run.sh

bench: deps-bench all
	tests/bench/run.sh $(BUILD)/signpost

clean:
	rm -rf build build-san build-fuzz

-include $(wildcard $(BUILD)/*.d $(BUILD)/*/*.d $(BUILD)/tests/*.d)
