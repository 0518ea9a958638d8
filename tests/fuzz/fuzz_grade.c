/*
 * fuzz_grade.c - libFuzzer target for the grader (core/grade.c): the
 * tokeniser, stemming, negation marking, list detection and phrasing
 * compiler and matcher, on arbitrary bytes.
 *
 * Each input is graded as an answer against every question of the test
 * bank in tests/fixtures/content/good (loaded once; run from the
 * repository root), and is also split in two halves used as a phrasing
 * and a text for grade_phrasing_matches, so the phrasing compiler sees
 * hostile input too (lint keeps real phrasings small; nothing else does).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "bank/content.h"
#include "grade/grade.h"

#define FIXTURE_DIR "tests/fixtures/content/good"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct content bank;
static struct grader *grader;

static void setup(void)
{
	struct content_diag d;

	content_diag_init(&d);
	if (content_load(&bank, FIXTURE_DIR, &d) != BOT_OK || bank.nquestions == 0) {
		fprintf(stderr, "fuzz_grade: cannot load %s (run from the repository root):\n%s",
		        FIXTURE_DIR, buf_str(&d.text));
		abort();
	}
	content_diag_cleanup(&d);
	grader = grade_new();
	if (grader == NULL) {
		fprintf(stderr, "fuzz_grade: the Snowball English stemmer is missing\n");
		abort();
	}
}

/* The invariants grade.h promises, checked so a violation is a crash. */
static void check_result(const struct content_question *q, const struct grade_result *r,
                         const char *text)
{
	uint32_t allowed = q->npoints >= 32 ? UINT32_MAX : (1u << q->npoints) - 1;
	size_t len = strlen(text), i;

	if (r->score < 0 || r->score > 100 || r->npoints != (int)q->npoints ||
	    (r->covered & ~allowed) != 0)
		abort();
	if (r->verdict != GRADE_GRADED && (r->score != 0 || r->covered != 0))
		abort();
	if (r->verdict == GRADE_TOO_LONG && r->list_like)
		abort();
	/* A covered point's matched words lie in the text; a missed one has none. */
	for (i = 0; i < CONTENT_MAX_POINTS; i++) {
		const struct grade_span *sp = &r->matched[i];
		bool covered = (r->covered >> i) & 1;
		if (covered != (sp->end > 0) || sp->start > sp->end || sp->end > len)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *phrasing, *rest;
	size_t half = size / 2, i;

	if (grader == NULL)
		setup();
	/* Inputs may hold NUL bytes; the API takes C strings, so they end early. */
	text = xstrndup((const char *)data, size);
	for (i = 0; i < bank.nquestions; i++) {
		struct grade_result r;
		grade_answer(grader, &bank.questions[i], text, &r);
		check_result(&bank.questions[i], &r, text);
	}
	(void)grade_length(text);

	phrasing = xstrndup((const char *)data, half);
	rest = xstrndup((const char *)data + half, size - half);
	(void)grade_phrasing_matches(grader, phrasing, rest);

	free(rest);
	free(phrasing);
	free(text);
	return 0;
}
