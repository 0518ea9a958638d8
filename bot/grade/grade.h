/*
 * grade.h - grades a free-text answer against a question's key points.
 *
 * Text is lower-cased, split into words, stripped of stop words and
 * stemmed with Snowball English (libstemmer). A key point is covered when
 * one of its phrasings matches: every slot of the phrasing occurs within
 * a small window of one sentence, none of them inside a negation's scope
 * (to the clause's end, at most NEG_SCOPE_MAX words; content/README.md)
 * unless the phrasing itself says "not", and then its "not" must be about
 * the word of the slot beside it. An alternative that is an
 * expression of the bank's synonym table (q->synonyms) also accepts the
 * other expressions of its group. Answers that read as a
 * bare list of terms are matched fragment by fragment, so naming concepts
 * without connecting them covers little, and score at most GRADE_LIST_MAX.
 */
#ifndef BOT_GRADE_H
#define BOT_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bank/content.h"

/* The most a bare list of terms scores, however many points its fragments match. */
#define GRADE_LIST_MAX 25

#define GRADE_ANSWER_MAX 4000 /* characters; longer answers are refused */

struct grader;

/* Fewer word triples than this are too short to call a copy. */
#define GRADE_COPY_MIN_TRIPLES 6

enum grade_verdict {
	GRADE_GRADED,    /* score is the share of key points covered */
	GRADE_EMPTY,     /* nothing to grade: empty, blank or a single word */
	GRADE_DONT_KNOW, /* "I don't know", "pass", "?": an honest blank */
	GRADE_TOO_LONG   /* over GRADE_ANSWER_MAX; nothing was graded */
};

/* Where the words that matched a key point stand in the answer: bytes [start, end). */
struct grade_span {
	uint32_t start;
	uint32_t end; /* 0: not matched */
};

struct grade_result {
	enum grade_verdict verdict;
	int score;        /* 0..100 */
	uint32_t covered; /* bit i set: key point i covered */
	int npoints;
	bool list_like; /* the answer reads as a list of terms */
	uint32_t heard; /* bit i set: misconception i was stated; the point it contradicts is not
	                   covered */
	int copied;     /* 0..100: share of the answer's word triples found in the
	                   model answer and key points (0 for short answers) */
	/* Key point i covered: from the first to the last word of the text that matched
	 * its phrasing, so a reply can quote what the grader heard. */
	struct grade_span matched[CONTENT_MAX_POINTS];
};

/* Creates a grader (owns a stemmer). Returns NULL only if the stemmer is missing. */
struct grader *grade_new(void);
void grade_free(struct grader *g);

/*
 * Grades text (any length; the cap is checked here) against q. The grader
 * compiles q's phrasings on first use and keeps them keyed by q's address,
 * so q must not move or change while the grader lives (the bank is
 * read-only after loading).
 */
void grade_answer(struct grader *g, const struct content_question *q, const char *text,
                  struct grade_result *out);

/*
 * Compiles every question and follow-up of the bank now, so that no
 * answer pays for it (a question's first grading costs ~0.7 ms compiled
 * lazily, which was most of /answer's p99). Optional: grading compiles
 * what is missing.
 */
void grade_prepare(struct grader *g, const struct content *content);
/* grade_prepare() for one question and its follow-ups, for a start that spreads the work. */
void grade_prepare_question(struct grader *g, const struct content_question *q);

/* Grades text against a follow-up's rubric points (heard and copied stay 0). */
void grade_followup(struct grader *g, const struct content_followup *f, const char *text,
                    struct grade_result *out);

/*
 * The score of covering the points of covered out of npoints: their share,
 * 0..100, at most GRADE_LIST_MAX for a bare list of terms. Grading scores
 * so; a reviewer's credit of a missed point rescores with it.
 */
int grade_score_of(uint32_t covered, size_t npoints, bool list_like);

/* Length of UTF-8 text in characters (code points), as the limit counts it. */
size_t grade_length(const char *text);

/* True when the phrasing matches text, without synonyms; for tests and fuzzing. */
bool grade_phrasing_matches(struct grader *g, const char *phrasing, const char *text);

#endif
