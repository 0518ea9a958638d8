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

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
