# drillbot - plain, non-recursive Makefile.
#
#   make            build build/drillbot
#   make run        install missing Debian packages, build, run (console mode
#                   when no Discord/Slack credentials are configured)
#   make test       install missing packages, build with ASan+UBSan, run all tests
#   make bench      build optimised and print benchmark figures
#   make install    PREFIX=/usr/local DESTDIR=
#   SANITIZER=address|undefined|address,undefined   CI=1 adds -Werror

CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
PKGS := libcurl jansson libwebsockets sqlite3 libuv libcmark inih

WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wvla -Wimplicit-fallthrough
OPT ?= -O2 -g
CFLAGS ?= $(OPT)
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Ibot -MMD -MP
ifneq ($(CI),)
ALL_CFLAGS += -Werror
endif
ifneq ($(SANITIZER),)
ALL_CFLAGS += -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZER)
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS = $(PKG_LIBS) -lstemmer -lm

LIB_SRC := $(sort $(wildcard bot/base/*.c bot/core/*.c bot/net/*.c bot/console/*.c \
	bot/web/*.c bot/drill/*.c bot/discord/*.c bot/slack/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/bot/main.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all run test bench clean install deps check-deps lint-content
all: $(BUILD)/drillbot

deps:
	@.ci/deps

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/libdrillbot.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/drillbot: $(MAIN_OBJ) $(BUILD)/libdrillbot.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libdrillbot.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(BUILD)/libdrillbot.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/obj/tests/%.o: ALL_CFLAGS += -Itests/unit

run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/drillbot run

# Tests build in their own tree with both sanitizers, so a plain `make`
# build is never mixed with instrumented objects.
test: deps
	@$(MAKE) --no-print-directory BUILD=build/test SANITIZER=address,undefined OPT="-O1 -g" \
		build/test/drillbot $(UNIT_SRC:tests/unit/%.c=build/test/tests/%)
	@tests/run build/test

bench: deps
	@$(MAKE) --no-print-directory BUILD=build/bench-tree OPT="-O2 -DNDEBUG" \
		$(BENCH_SRC:tests/bench/%.c=build/bench-tree/bench/%)
	@for b in $(BENCH_SRC:tests/bench/%.c=build/bench-tree/bench/%); do echo "== $$b"; $$b || exit 1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/drillbot
	install -m 755 $(BUILD)/drillbot $(DESTDIR)$(PREFIX)/bin/drillbot
	cp -R content $(DESTDIR)$(PREFIX)/share/drillbot/
	install -m 644 config/drillbot.example.ini $(DESTDIR)$(PREFIX)/share/drillbot/

# ---- fuzz: libFuzzer targets (tests/fuzz/README.md); never part of `make test` ----
#   make fuzz [FUZZ_SECONDS=30] [FUZZ_TARGETS="fuzz_grade ..."]
# The library and the targets are compiled by clang in their own tree with
# fuzzer-no-link coverage plus ASan and UBSan; only the final link adds the
# libFuzzer runtime (and its main), which LDFLAGS must not bring into the
# library's other programs. New inputs go to $(FUZZ_OUT)/corpus/<target>, so
# the checked-in seeds in tests/fuzz/corpus/ stay small; crashes go to
# $(FUZZ_OUT)/artifacts/<target>/ and the full output to $(FUZZ_OUT)/<target>.log.
FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 30
FUZZ_TREE ?= build/fuzz-tree
FUZZ_OUT ?= build/fuzz
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_SRC:tests/fuzz/%.c=%)
.PHONY: fuzz fuzz-build
.PRECIOUS: $(FUZZ_TREE)/obj/tests/fuzz/%.o

$(FUZZ_OUT)/%: $(FUZZ_TREE)/obj/tests/fuzz/%.o $(FUZZ_TREE)/libdrillbot.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

fuzz-build: deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_TREE) CC=$(FUZZ_CC) OPT="-O1 -g" \
		SANITIZER=fuzzer-no-link,address,undefined $(FUZZ_TARGETS:%=$(FUZZ_OUT)/%)

fuzz: fuzz-build
	@failed=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_OUT)/corpus/$$t $(FUZZ_OUT)/artifacts/$$t; \
		$(FUZZ_OUT)/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$(FUZZ_OUT)/artifacts/$$t/ \
			$(FUZZ_OUT)/corpus/$$t tests/fuzz/corpus/$$t >$(FUZZ_OUT)/$$t.log 2>&1; \
		rc=$$?; stat=$$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' \
			$(FUZZ_OUT)/$$t.log | tail -n 1 | sed -E 's/^#([0-9]+)[^c]*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 runs, cov \2, ft \3, corpus \4/'); \
		if [ $$rc -eq 0 ]; then \
			echo "fuzz $$t: ok, $${stat:-no stats} in $(FUZZ_SECONDS)s"; \
		else \
			failed=1; \
			echo "fuzz $$t: FAILED (status $$rc): $$(grep -m1 -E 'ERROR: |runtime error:' \
				$(FUZZ_OUT)/$$t.log | sed 's/^==[0-9]*== *//')"; \
			echo "    $$(grep -m1 '^SUMMARY:' $(FUZZ_OUT)/$$t.log)"; \
			echo "    input: $$(sed -n 's/.*Test unit written to //p' $(FUZZ_OUT)/$$t.log | head -n 1)"; \
			echo "    log: $(FUZZ_OUT)/$$t.log"; \
		fi; \
	done; exit $$failed

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
