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
PKGS := libcurl jansson libwebsockets sqlite3 libuv libcmark inih libedit libcrypto

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

# Four archives, one per layer. Dependencies point one way:
#   adapters (console, web, drill, discord, slack) -> core -> base, adapters -> net -> base.
# `depcheck` links each layer with only what it may use, so a call from core
# into net (or into curl, lws or uv) fails the link, not a code review.
BASE_SRC := $(sort $(wildcard bot/base/*.c))
CORE_SRC := $(sort $(wildcard bot/bank/*.c bot/grade/*.c bot/learn/*.c bot/store/*.c \
	bot/link/*.c bot/engine/*.c))
NET_SRC := $(sort $(wildcard bot/net/*.c))
ADAPTER_SRC := $(sort $(wildcard bot/app/*.c bot/console/*.c bot/web/*.c bot/drill/*.c bot/discord/*.c \
	bot/slack/*.c))
LAYERS := adapters core net base
ARCHIVES := $(LAYERS:%=$(BUILD)/lib%.a)
MAIN_OBJ := $(BUILD)/obj/bot/main.o
BASE_LIBS := $(shell pkg-config --libs libuv inih 2>/dev/null) -lm
CORE_LIBS := $(shell pkg-config --libs sqlite3 libcrypto 2>/dev/null) -lstemmer $(BASE_LIBS)
NET_LIBS := $(shell pkg-config --libs libcurl libwebsockets 2>/dev/null) $(BASE_LIBS)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all run test bench clean install deps check-deps lint-content format format-check
FORMAT_SRC = $(shell find bot tests -name '*.[ch]' | sort)
all: $(BUILD)/drillbot

deps:
	@.ci/deps

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# An archive is rebuilt when its list of members changes too (a file removed),
# through a .members file rewritten only when the list differs.
obj = $(1:%.c=$(BUILD)/obj/%.o)
members = @mkdir -p $(BUILD); echo '$(1)' | cmp -s - $@ || echo '$(1)' >$@
$(BUILD)/base.members: FORCE ; $(call members,$(BASE_SRC))
$(BUILD)/core.members: FORCE ; $(call members,$(CORE_SRC))
$(BUILD)/net.members: FORCE ; $(call members,$(NET_SRC))
$(BUILD)/adapters.members: FORCE ; $(call members,$(ADAPTER_SRC))
$(BUILD)/libbase.a: $(call obj,$(BASE_SRC)) $(BUILD)/base.members
$(BUILD)/libcore.a: $(call obj,$(CORE_SRC)) $(BUILD)/core.members
$(BUILD)/libnet.a: $(call obj,$(NET_SRC)) $(BUILD)/net.members
$(BUILD)/libadapters.a: $(call obj,$(ADAPTER_SRC)) $(BUILD)/adapters.members
$(ARCHIVES):
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $(filter %.o,$^)
.PHONY: FORCE

# The installed bank's place, for a binary run outside the checkout.
$(MAIN_OBJ): ALL_CFLAGS += -DDRILLBOT_DATADIR='"$(PREFIX)/share/drillbot"'
$(BUILD)/drillbot: $(MAIN_OBJ) $(ARCHIVES)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Each layer linked whole with only the layers and libraries below it.
DEPCHECK_MAIN := $(BUILD)/obj/depcheck_main.o
$(DEPCHECK_MAIN):
	@mkdir -p $(dir $@)
	@printf 'int main(void);\nint main(void) { return 0; }\n' | $(CC) $(ALL_CFLAGS) -x c -c -o $@ -
depcheck = $(CC) $(LDFLAGS) -o $(BUILD)/depcheck-$(1) $(DEPCHECK_MAIN) -Wl,--whole-archive \
	$(BUILD)/lib$(1).a -Wl,--no-whole-archive $(2) || { \
	echo "depcheck: the $(1) layer calls something it may not (see DESIGN.md's layers)"; exit 1; }
.PHONY: depcheck
depcheck: $(DEPCHECK_MAIN) $(ARCHIVES)
	@$(call depcheck,base,$(BASE_LIBS))
	@$(call depcheck,core,$(BUILD)/libbase.a $(CORE_LIBS))
	@$(call depcheck,net,$(BUILD)/libbase.a $(NET_LIBS))
	@echo "depcheck: base, core and net link on their own"

$(BUILD)/obj/tests/%.o: ALL_CFLAGS += -Itests/unit

run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/drillbot run

format:
	@clang-format -i $(FORMAT_SRC)

# Part of `make test`: a file that `make format` would change fails it.
format-check:
	@bad=$$(for f in $(FORMAT_SRC); do clang-format --dry-run -Werror $$f >/dev/null 2>&1 || \
		echo $$f; done); if [ -n "$$bad" ]; then echo "format: run 'make format'; these \
	files differ from .clang-format:"; echo "$$bad" | sed 's/^/  /'; exit 1; fi

# Tests build in their own tree with both sanitizers, so a plain `make`
# build is never mixed with instrumented objects.
test: deps format-check
	@$(MAKE) --no-print-directory BUILD=build/test SANITIZER=address,undefined OPT="-O1 -g" \
		build/test/drillbot $(UNIT_SRC:tests/unit/%.c=build/test/tests/%) depcheck
	@tests/run build/test

bench: deps
	@$(MAKE) --no-print-directory BUILD=build/bench-tree OPT="-O2 -DNDEBUG" \
		$(BENCH_SRC:tests/bench/%.c=build/bench-tree/bench/%)
	@for b in $(BENCH_SRC:tests/bench/%.c=build/bench-tree/bench/%); do echo "== $$b"; $$b || exit 1; done
	@$(MAKE) --no-print-directory BUILD=build/bench-tree OPT="-O2 -DNDEBUG" build/bench-tree/drillbot \
		build/bench-tree/bench/web_load
	@echo "== web server on loopback (tests/bench/web_load.c)"
	@build/bench-tree/bench/web_load build/bench-tree/drillbot
	@echo "== Discord adapter on loopback (tests/bench/discord_bench.js)"
	@if command -v node >/dev/null && [ -d tests/fake/discord/node_modules ] || \
		(cd tests/fake/discord && npm ci --silent --no-audit --no-fund >/dev/null 2>&1); then \
		node tests/bench/discord_bench.js build/bench-tree/drillbot 20000 && \
		echo "== the daily drill: fan-out and 100,000 idle channels (tests/bench/daily_bench.js)" && \
		node tests/bench/daily_bench.js build/bench-tree/drillbot 500 10000; \
	else echo "skipped: node and npm are needed (apt-get install nodejs npm)"; fi
	@echo "== Slack adapter on loopback (tests/fake/slack/bench.js: 10,000 envelopes, 20 refreshes)"
	@if command -v node >/dev/null && [ -d tests/fake/slack/node_modules ] || \
		(cd tests/fake/slack && npm ci --silent --no-audit --no-fund >/dev/null 2>&1); then \
		DRILLBOT_BIN=build/bench-tree/drillbot node tests/fake/slack/bench.js --envelopes 10000 \
			--cycles 20; \
	else echo "skipped: node and npm are needed (apt-get install nodejs npm)"; fi

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/drillbot
	install -m 755 $(BUILD)/drillbot $(DESTDIR)$(PREFIX)/bin/drillbot
	cp -R content $(DESTDIR)$(PREFIX)/share/drillbot/
	install -m 644 config/drillbot.example.ini $(DESTDIR)$(PREFIX)/share/drillbot/
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/share/doc/drillbot
	sed -e 's|/usr/local/|$(PREFIX)/|g' config/drillbot.service \
		>$(DESTDIR)$(PREFIX)/lib/systemd/system/drillbot.service
	chmod 644 $(DESTDIR)$(PREFIX)/lib/systemd/system/drillbot.service
	install -m 644 README.md $(DESTDIR)$(PREFIX)/share/doc/drillbot/

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

$(FUZZ_OUT)/%: $(FUZZ_TREE)/obj/tests/fuzz/%.o $(LAYERS:%=$(FUZZ_TREE)/lib%.a)
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
