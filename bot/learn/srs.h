/*
 * srs.h - spaced repetition with FSRS-6 (the Free Spaced Repetition
 * Scheduler of open-spaced-repetition, as Anki ships it): each card has a
 * memory state, stability S (days until recall falls to 90%) and
 * difficulty D (1..10); a review with one of four ratings updates both and
 * schedules the next review where recall is predicted to fall to the
 * desired retention. Long-term mode only (no same-day learning steps, no
 * interval fuzz), so a schedule is a pure function of the ratings and the
 * clock, which is an argument.
 */
#ifndef BOT_SRS_H
#define BOT_SRS_H

#include <stdbool.h>
#include <stdint.h>

enum srs_grade { SRS_AGAIN, SRS_HARD, SRS_GOOD, SRS_EASY, SRS_NGRADES };

#define SRS_DAY          86400
#define SRS_NWEIGHTS     21
#define SRS_RETENTION    0.9
#define SRS_MAX_INTERVAL 36500
/* A self-grade this soon after the latest review replaces that review. */
#define SRS_REGRADE_WINDOW (12 * 3600)

struct srs_params {
	double w[SRS_NWEIGHTS];
	double retention; /* desired probability of recall at the due date */
	int max_interval; /* days */
};

/* One card's memory. reps == 0 is a card never reviewed. */
struct srs_card {
	double stability;    /* days */
	double difficulty;   /* 1..10 */
	int reps;            /* reviews so far */
	int lapses;          /* Again on a card already learned */
	int interval;        /* days from last_review to due */
	int64_t last_review; /* unix time */
	int64_t due;         /* unix time */
};

/* The card now and as it was before its latest review, so a self-grade
 * given right after a scored answer can replace that answer's rating
 * instead of counting as a second review on the same day. */
struct srs_state {
	struct srs_card card;
	struct srs_card prev;
	bool has_prev;
};

/* FSRS-6's published default weights; retention r (0.7..0.97, else 0.9). */
void srs_params_default(struct srs_params *p, double retention);
/* A card never reviewed, due now. */
void srs_init(struct srs_state *s, int64_t now);
/* Applies one review with rating g at time now. */
void srs_review(const struct srs_params *p, struct srs_state *s, enum srs_grade g, int64_t now);
/* A self-grade: within SRS_REGRADE_WINDOW of the latest review it replaces
 * that review (applied at that review's time); otherwise a new review.
 * Returns true when it replaced. */
bool srs_regrade(const struct srs_params *p, struct srs_state *s, enum srs_grade g, int64_t now);
/* The rating a free-text answer's score (0..100) stands for. */
enum srs_grade srs_rating_from_score(int score);
/* An SM-2 card (ease >= 1.3, interval in days, due) as an FSRS card. */
void srs_from_sm2(const struct srs_params *p, double ease, double interval, int reps, int lapses,
                  int64_t due, struct srs_card *c);
/* "again", "hard", "good", "easy" (any case); BOT_EINVAL otherwise. */
int srs_grade_parse(const char *s, enum srs_grade *g);
/* The grade's display name: "Again", "Hard", "Good", "Easy". */
const char *srs_grade_name(enum srs_grade g);
/* How a self-grade counts towards topic mastery, 0..100. */
int srs_grade_score(enum srs_grade g);

#endif
