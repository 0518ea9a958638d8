/*
 * fuzz_console.c - libFuzzer target for the console adapter and,
 * through it, the whole engine: command parsing, option and topic lookup,
 * button numbers, answers typed into the answer box, actions, grading and
 * every store write they cause.
 *
 * Each input is a session: its lines are fed to console_line() in order.
 * Every input gets a fresh in-memory store, engine and console, so a crash
 * replays from its input alone; the test bank
 * (tests/fixtures/content/good, run from the repository root) is loaded
 * once. The clock is deterministic: it starts at a fixed instant and moves
 * on a little with every line, so streaks, spaced repetition and
 * day boundaries are reached without making runs differ.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "console/console.h"
#include "bank/content.h"
#include "engine/engine.h"
#include "store/store.h"

#define FIXTURE_DIR "tests/fixtures/content/good"
#define T0          1795000000 /* 2026-11-18 10:13 UTC, as in test_engine.c */
#define STEP        (97 * 60)  /* per line: ~15 lines cross a day boundary */
#define LINES_MAX   64         /* bounds the time one input can take */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct content bank;
static int bank_loaded;
static FILE *sink;

static int64_t fixed_clock(void *arg)
{
	int64_t *now = arg;

	*now += STEP;
	return *now;
}

static void setup(void)
{
	struct content_diag d;

	content_diag_init(&d);
	if (content_load(&bank, FIXTURE_DIR, &d) != BOT_OK) {
		fprintf(stderr, "fuzz_console: cannot load %s (run from the repository root):\n%s",
		        FIXTURE_DIR, buf_str(&d.text));
		abort();
	}
	content_diag_cleanup(&d);
	sink = fopen("/dev/null", "w");
	if (sink == NULL)
		abort();
	/* Store and engine warnings go through the logger; keep them quiet. */
	log_set_output(sink);
	bank_loaded = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_opts o = {"https://drill.example", "UTC", 42, 0.9, false, NULL};
	struct store *store = NULL;
	struct engine *eng = NULL;
	struct console *con = NULL;
	struct buf err;
	int64_t now = T0;
	char *copy, *line;
	int n = 0;

	if (!bank_loaded)
		setup();
	buf_init(&err, 1024);
	if (store_open(&store, ":memory:", &err) != BOT_OK) {
		fprintf(stderr, "fuzz_console: store_open: %s\n", buf_str(&err));
		abort();
	}
	eng = engine_new(&bank, store, &o);
	if (eng == NULL)
		abort();
	con = console_new(eng, sink, fixed_clock, &now);

	/* A NUL ends the session, as it would end a C string read from a terminal. */
	copy = xstrndup((const char *)data, size);
	for (line = copy; line != NULL && n < LINES_MAX; n++) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (!console_line(con, line))
			break;
		line = nl != NULL ? nl + 1 : NULL;
	}

	free(copy);
	console_free(con);
	engine_free(eng);
	store_close(store);
	buf_cleanup(&err);
	return 0;
}
