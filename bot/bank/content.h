/*
 * content.h - the question bank: topics (from topics.ini) and questions
 * (one Markdown file each, format in content/README.md), loaded once at
 * start-up and read-only afterwards.
 */
#ifndef BOT_CONTENT_H
#define BOT_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

#define CONTENT_FILE_MAX           (64 * 1024)
#define CONTENT_MAX_POINTS         16
#define CONTENT_MAX_MISCONCEPTIONS 8
#define CONTENT_MAX_FOLLOWUPS      8
#define CONTENT_MAX_RUBRIC         6
/* Ids travel in Discord's 100-character custom_id with a short action prefix. */
#define CONTENT_ID_MAX 64
/* Grading limits of one phrasing (see grade.c); lint enforces them. */
#define CONTENT_MAX_SLOTS 8
#define CONTENT_MAX_ALTS  16

/*
 * The synonym table (content/synonyms.txt): groups of expressions of one
 * to three words that mean the same to the grader. A phrasing's
 * alternative that is one expression of a group also accepts the others.
 * Shared by every question of a bank; read-only after loading.
 */
struct content_synonym_group {
	char **exprs; /* as written, lower-case */
	size_t n;
	int line;
};

struct content_synonyms {
	struct content_synonym_group *groups;
	size_t ngroups;
};

#define CONTENT_SYNONYM_WORDS 3 /* content words in one expression, at most */

struct content_point {
	char *text;       /* shown to the user as covered / missed */
	char **phrasings; /* grading phrasings, see content/README.md */
	size_t nphrasings;
	int line; /* where the point starts, for diagnostics */
};

/*
 * A wrong belief an interviewer hears: the belief as said, its correction,
 * the key point it contradicts, and phrasings that detect it.
 */
struct content_misconception {
	char *text;
	char *correction;   /* NULL when the file gave none (lint reports it) */
	size_t contradicts; /* index into points; (size_t)-1 when not given */
	char **phrasings;
	size_t nphrasings;
	int line;
};

/* A follow-up question and its small rubric (points may be empty). */
struct content_followup {
	char *text;
	const struct content_synonyms *synonyms; /* the bank's table, or NULL */
	struct content_point *points;
	size_t npoints;
	int line;
};

struct content_question {
	char *id;
	const struct content_synonyms *synonyms; /* the bank's table, or NULL: grading reads it */
	char *path;
	size_t topic; /* index into content.topics */
	int difficulty;
	char **sources;
	size_t nsources;
	char **related;
	size_t nrelated;
	int related_line;
	char *question;  /* Markdown */
	char *answer;    /* Markdown */
	int answer_line; /* lines of the section headings, for diagnostics */
	int points_line;
	int followups_line;
	struct content_point *points;
	size_t npoints;
	struct content_misconception *misconceptions;
	size_t nmisconceptions;
	struct content_followup *followups;
	size_t nfollowups;
};

struct content_topic {
	char *slug;
	char *name;
	char **aliases;
	size_t naliases;
	size_t max_answer_words; /* lint's cap on a model answer; design exercises run longer */
	size_t *questions;       /* indexes into content.questions, in id order */
	size_t nquestions;
};

struct content {
	struct content_topic *topics;
	size_t ntopics;
	struct content_question *questions; /* sorted by id */
	size_t nquestions;
	char *tips;                        /* Markdown, or NULL when tips.md is absent */
	struct content_synonyms *synonyms; /* heap (questions point at it), or NULL when
	                                      synonyms.txt is absent */
	char *contrasts;                   /* contrasts.txt as read, for lint; NULL when absent */
};

/*
 * Problems found while loading or linting, one "file:line: message" line
 * each. count is the number of problems.
 */
struct content_diag {
	struct buf text;
	int count;
};

void content_diag_init(struct content_diag *d);
void content_diag_cleanup(struct content_diag *d);

/*
 * Loads topics.ini, tips.md, synonyms.txt and every <topic>/<id>.md under
 * dir. Structural problems (unreadable files, missing sections or headers,
 * duplicate ids, unknown topics, a synonym line the grader cannot use) are
 * reported to diag and make the call
 * fail with BOT_EINVAL; c is then empty. On success c must be freed with
 * content_cleanup().
 */
int content_load(struct content *c, const char *dir, struct content_diag *diag);
void content_cleanup(struct content *c);

/*
 * The editorial rules on a loaded bank: model answers of 150-400 words,
 * at least 4 key points with 2 phrasings each, 2 follow-ups, related ids
 * that exist, phrasings of contrasting points that name their subject
 * (contrasts.txt), at least min_per_topic questions in every topic and
 * min_questions in all, and, in a bank of 40 questions or more, a spread
 * of difficulties within 10 points of 25/50/25. Returns the number of
 * problems added to diag.
 */
int content_lint(const struct content *c, size_t min_per_topic, size_t min_questions,
                 struct content_diag *diag);

/* The question with this id, or NULL. */
const struct content_question *content_find(const struct content *c, const char *id);
/* Index of q in c->questions. */
size_t content_index(const struct content *c, const struct content_question *q);

/*
 * Resolves a topic by slug, alias or unambiguous prefix of either,
 * ignoring case. Returns BOT_OK and *topic, BOT_EAMBIG when a prefix fits
 * several topics, or BOT_ENOENT. *closest (may be NULL) is set to the
 * topic whose slug or alias is nearest by edit distance, for suggestions.
 */
int content_topic_lookup(const struct content *c, const char *name, size_t *topic, size_t *closest);

/*
 * The topics whose slug or an alias starts with prefix (any case), in
 * table order, at most max of them into out. Returns how many match.
 */
size_t content_topic_matches(const struct content *c, const char *prefix, size_t *out, size_t max);

/* Words in a Markdown text (runs of letters or digits). */
size_t content_word_count(const char *text);

#endif
