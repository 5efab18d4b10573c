# gridkit - build, test, install.  Plain GNU make; dependencies via pkg-config.
#
#   make            lib/libgrid.a and every program of cmd/ (into $(O)/)
#   make deps       install the Debian packages the project needs
#   make test       unit, CLI, fuzz smoke and example tests; "N passed, N failed"
#   make test-browser  the HTML report in headless Chromium (artefacts in $(O)/browser)
#   make asan       the same tests under AddressSanitizer and UBSan
#   make fuzz       the fuzz targets, longer (FUZZ_SECONDS each)
#   make example    run the bundled examples (xiangtan-2017: the 2017 report)
#   make install    programs, man pages and schemas under $(PREFIX)

VERSION   = 0.1.0
PREFIX   ?= /usr/local
O        ?= build
CC       ?= cc
FUZZCC   ?= clang
CFLAGS   ?= -O2 -g
WARN      = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 $(WERROR)
PKGS      = yaml-0.1 libcrypto geos xlsxwriter
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DGRID_VERSION='"$(VERSION)"' \
            -DGRID_SCHEMA_DIR='"$(PREFIX)/share/gridkit/schemas"' \
            -pthread -iquote lib -iquote cmd/common \
            $(shell pkg-config --cflags $(PKGS))
LDLIBS    = $(shell pkg-config --libs $(PKGS)) -lcsv -lm -pthread
TEST_LIBS = $(shell pkg-config --libs cmocka)
FUZZ_SECONDS ?= 60

DEBS = build-essential pkg-config clang libclang-rt-14-dev libyaml-dev \
       libcsv-dev libcmocka-dev libssl-dev libgeos-dev mandoc \
       mawk miller datamash parallel locales-all tzdata bsdextrautils \
       libxlsxwriter-dev xlsx2csv unzip chromium fonts-noto-cjk poppler-utils

LIB_SRC  = $(sort $(wildcard lib/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(O)/%.o)
LIB      = $(O)/lib/libgrid.a
CMDS     = $(patsubst cmd/%.c,$(O)/bin/%,$(sort $(wildcard cmd/*.c)))
UNITS    = $(patsubst tests/unit/%.c,$(O)/tests/%,$(sort $(wildcard tests/unit/test_*.c)))
FUZZERS  = $(patsubst tests/fuzz/%.c,$(O)/fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_OBJ = $(LIB_SRC:%.c=$(O)/fuzz/%.o)
# cmd/common: the part of every program's main() that prints and exits
# (usage, diagnostics, --stats), kept out of lib/, which never does.
CMN_SRC  = $(sort $(wildcard cmd/common/*.c))
CMN_OBJ  = $(CMN_SRC:%.c=$(O)/%.o)
CMN      = $(O)/cmd/libcommon.a

all: $(LIB) $(CMDS)

$(O)/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(O)/cmd/common/%.o: cmd/common/%.c $(wildcard cmd/common/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

$(CMN): $(CMN_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(CMN_OBJ)

$(O)/bin/%: cmd/%.c $(CMN) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(CMN) $(LIB) $(LDLIBS)

$(O)/tests/%: tests/unit/%.c $(CMN) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(CMN) $(LIB) $(LDLIBS) $(TEST_LIBS)

# Fuzz targets: the library rebuilt with clang's libFuzzer instrumentation.
$(O)/fuzz/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(FUZZCC) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

$(O)/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	$(FUZZCC) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

units: $(UNITS)
fuzzers: $(FUZZERS)

test: all units
	@if command -v $(FUZZCC) >/dev/null 2>&1; then $(MAKE) --no-print-directory fuzzers; fi
	@O=$(O) FUZZ_RUNS=$${FUZZ_RUNS:-2000} sh tests/run.sh

# The HTML report in headless Chromium: screenshot and PDF in $(O)/browser/.
test-browser: all
	@O=$(O) sh tests/browser/run.sh

asan:
	$(MAKE) --no-print-directory O=build-asan WERROR=$(WERROR) \
	    CFLAGS='-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer' \
	    LDFLAGS='-fsanitize=address,undefined' test

fuzz: fuzzers
	@for f in $(FUZZERS); do n=$${f##*/}; n=$${n#fuzz_}; \
	    mkdir -p $(O)/fuzz-work/$$n; \
	    echo "fuzz $$n ($(FUZZ_SECONDS)s)"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=tests/fuzz/regress/$$n/ \
	        $(O)/fuzz-work/$$n tests/fuzz/corpus/$$n tests/fuzz/regress/$$n || exit 1; \
	done

example: all
	$(MAKE) --no-print-directory -C examples/small BIN=$(CURDIR)/$(O)/bin
	$(MAKE) --no-print-directory -C examples/xiangtan-2017 BIN=$(CURDIR)/$(O)/bin

deps:
	@missing=; for p in $(DEBS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all installed"; exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	else \
	    echo "deps: missing:$$missing"; \
	    echo "deps: run: sudo apt-get install -y$$missing"; exit 1; \
	fi

lint-man:
	mandoc -T lint -W warning man/*.[0-9]

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7 \
	    $(DESTDIR)$(PREFIX)/share/gridkit/schemas
	cp $(CMDS) $(DESTDIR)$(PREFIX)/bin/
	for m in man/*.[157]; do s=$${m##*.}; cp $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done
	cp -R schemas/. $(DESTDIR)$(PREFIX)/share/gridkit/schemas/

clean:
	rm -rf build build-asan

.PHONY: all units fuzzers test test-browser asan fuzz example deps lint-man install clean
.SECONDARY:
