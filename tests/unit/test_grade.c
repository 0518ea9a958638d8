/* test_grade.c - key-point grading: stems, windows, negation, lists. */
#include "grade/grade.h"

#include "base/err.h"
#include "t_content.h"
#include "test.h"

static struct content bank;
static struct grader *g;

static const struct content_question *q1(void)
{
	return content_find(&bank, "beta-one");
}

static void test_strong_answer_in_other_words(void)
{
	struct grade_result r;

	grade_answer(g, q1(),
	             "When the key is missing we read it from the DB, then store the value in "
	             "the cache. Subsequent reads are served from memory until the entry expires "
	             "once its TTL runs out.",
	             &r);
	CHECK_INT(r.verdict, GRADE_GRADED);
	CHECK_INT(r.covered, 0xf);
	CHECK_INT(r.score, 100);
	CHECK(!r.list_like);
}

static void test_partial_answer(void)
{
	struct grade_result r;

	grade_answer(g, q1(), "On a miss the app falls back to the database and that is it.", &r);
	CHECK_INT(r.covered, 0x1);
	CHECK_INT(r.score, 25);
}

static void test_buzzword_list_scores_low(void)
{
	struct grade_result r;

	grade_answer(g, q1(), "cache, database, miss, TTL, memory, load, expire, write, read", &r);
	CHECK(r.list_like);
	CHECK_INT(r.score, 0);
	grade_answer(g, q1(), "- cache miss\n- database\n- TTL\n- memory\n- populate", &r);
	CHECK(r.list_like);
	CHECK(r.score <= 25);
	/* Fragments that each match a point still make a list: capped, points kept. */
	grade_answer(
	    g, q1(),
	    "miss load database, fill cache, later read cache, expire ttl, populate cache, "
	    "serve memory, fall back database",
	    &r);
	CHECK(r.list_like);
	CHECK(r.covered != 0);
	CHECK_INT(r.score, GRADE_LIST_MAX);
}

static void test_negation_cancels(void)
{
	struct grade_result r;

	grade_answer(g, q1(), "On a miss we never read the database, we just return nothing.", &r);
	CHECK_INT(r.covered & 1, 0);
	grade_answer(g, q1(), "On a miss we don't read the database at all.", &r);
	CHECK_INT(r.covered & 1, 0);
	CHECK(grade_phrasing_matches(g, "not cache secrets", "we do not cache secrets"));
	CHECK(!grade_phrasing_matches(g, "cache secrets", "we do not cache secrets"));
	/* A typographic apostrophe (U+2019, as phones and word processors type
	 * it) negates as "'" does; a possessive with it is just a gap. */
	grade_answer(g, q1(), "On a miss we don\u2019t read the database at all.", &r);
	CHECK_INT(r.covered & 1, 0);
	CHECK(!grade_phrasing_matches(g, "cache secrets", "we don\u2019t cache secrets"));
	CHECK(grade_phrasing_matches(g, "app cache secrets", "the app\u2019s cache holds secrets"));
}

/*
 * Issue 20: a negation reaches to the end of its clause (at most four
 * words), and a phrasing's "not" must be about the word next to it.
 */
static void test_negation_scope(void)
{
	const char *prohibition = "not|never|avoid|don't hold|held|holding lock|locks "
	                          "user|external|network|call|request|api|input|think";

	/* The case: "never" belongs to "release", not to "hold". */
	CHECK(!grade_phrasing_matches(g, prohibition,
	                              "Hold the row lock while you call the payment service, and "
	                              "never release it until the call returns."));
	CHECK(grade_phrasing_matches(g, prohibition,
	                             "Never hold a row lock while you call another service."));
	CHECK(grade_phrasing_matches(g, prohibition,
	                             "You should never, ever hold locks across a network call."));
	CHECK(
	    grade_phrasing_matches(g, prohibition, "Avoid holding a lock while the user thinks."));
	/* Further than two words, within the clause. */
	CHECK(!grade_phrasing_matches(g, "hold lock", "it does not really ever hold the lock"));
	/* A comma or "but" ends the clause, and the scope with it. */
	CHECK(grade_phrasing_matches(g, "long run",
	                             "Make sure the generator isn't the bottleneck, run a long "
	                             "soak test."));
	CHECK(grade_phrasing_matches(g, "block writers",
	                             "It does not block readers but it blocks writers."));
	CHECK(!grade_phrasing_matches(g, "block readers",
	                              "It does not block readers but it blocks writers."));
	/* "not only" and "no matter" negate nothing. */
	CHECK(grade_phrasing_matches(g, "evict oldest", "It not only evicts the oldest entry."));
	CHECK(grade_phrasing_matches(g, "retry fail",
	                             "No matter how often it retries, a 400 will fail."));
	/* "non-" negates the one word it is joined to. */
	CHECK(!grade_phrasing_matches(g, "block io", "Use non-blocking IO."));
	CHECK(grade_phrasing_matches(g, "non-blocking io", "Use non-blocking IO."));
	CHECK(grade_phrasing_matches(g, "not block io", "Use non-blocking IO."));
	CHECK(grade_phrasing_matches(g, "overlap io", "Use non-blocking IO so requests overlap."));
	/* The negation may also be about the slot before it. */
	CHECK(grade_phrasing_matches(g, "bloom|filter not|cannot range|scan",
	                             "A range scan can't use ordinary Bloom filters."));
	CHECK(
	    !grade_phrasing_matches(g, "bloom|filter not|cannot range|scan",
	                            "A range scan uses the Bloom filters and cannot stop early."));
}

static void test_stems_and_plurals(void)
{
	CHECK(grade_phrasing_matches(g, "cache entry expire", "Cached entries expired."));
	CHECK(grade_phrasing_matches(g, "db|database index", "we add indexes to the databases"));
	CHECK(!grade_phrasing_matches(g, "write-through", "we write behind and go through it"));
	CHECK(grade_phrasing_matches(g, "write-through", "a write-through cache"));
}

static void test_window_and_sentences(void)
{
	/* The slots must be close, and in one sentence. */
	CHECK(!grade_phrasing_matches(g, "miss database",
	                              "A miss happens. Later, in another context, the database."));
	CHECK(!grade_phrasing_matches(
	    g, "miss database", "miss one two three four five six seven eight nine database"));
	CHECK(grade_phrasing_matches(g, "miss database", "miss one two three database"));
}

/*
 * Issue 20: the bank's synonyms.txt (here "database = system of record",
 * "expire = go stale") fills a slot that names its group another way, for
 * every question, without the phrasing listing it.
 */
static void test_synonyms_fill_slots(void)
{
	const char *answer = "On a miss we load the value from the system of record.";
	struct grade_result r;

	grade_answer(g, q1(), answer, &r);
	CHECK_INT(r.covered & 1, 1);
	/* The same phrasing without the table: no match, so the table earned it. */
	CHECK(!grade_phrasing_matches(g, q1()->points[0].phrasings[0], answer));
	/* Stem level ("records", "going"), in either direction of a group. */
	grade_answer(g, q1(), "On a miss we load the value from the systems of records.", &r);
	CHECK_INT(r.covered & 1, 1);
	grade_answer(g, q1(), "Entries are going stale once their TTL passes.", &r);
	CHECK_INT((r.covered >> 3) & 1, 1);
	/* A whole expression, not a part of it: "system" alone is no database. */
	grade_answer(g, q1(), "On a miss we load the value from the system.", &r);
	CHECK_INT(r.covered & 1, 0);
	/* A synonym is negated like any word. */
	grade_answer(g, q1(), "On a miss we never load from the system of record.", &r);
	CHECK_INT(r.covered & 1, 0);
	/* Follow-up rubrics read the table too. */
	grade_followup(g, &q1()->followups[0], "Both readers load it from the system of record.",
	               &r);
	CHECK_INT(r.covered & 1, 1);
}

static void test_empty_and_dont_know(void)
{
	struct grade_result r;

	grade_answer(g, q1(), "", &r);
	CHECK_INT(r.verdict, GRADE_EMPTY);
	grade_answer(g, q1(), "caching", &r);
	CHECK_INT(r.verdict, GRADE_EMPTY);
	grade_answer(g, q1(), "   \n\t ", &r);
	CHECK_INT(r.verdict, GRADE_EMPTY);
	grade_answer(g, q1(), "I don't know", &r);
	CHECK_INT(r.verdict, GRADE_DONT_KNOW);
	grade_answer(g, q1(), "  idk  ", &r);
	CHECK_INT(r.verdict, GRADE_DONT_KNOW);
	grade_answer(g, q1(), "?", &r);
	CHECK_INT(r.verdict, GRADE_DONT_KNOW);
	CHECK_INT(r.score, 0);
}

static void test_too_long_refused(void)
{
	struct grade_result r;
	char *big = xmalloc(GRADE_ANSWER_MAX + 2);

	memset(big, 'a', GRADE_ANSWER_MAX + 1);
	big[GRADE_ANSWER_MAX + 1] = '\0';
	grade_answer(g, q1(), big, &r);
	CHECK_INT(r.verdict, GRADE_TOO_LONG);
	big[GRADE_ANSWER_MAX] = '\0';
	grade_answer(g, q1(), big, &r);
	free(big);
	CHECK_INT(r.verdict, GRADE_EMPTY); /* one long word */
}

/* The text of point i's matched span, or "" when it has none. */
static const char *heard(const char *text, const struct grade_result *r, size_t i)
{
	static char out[256];
	const struct grade_span *sp = &r->matched[i];

	snprintf(out, sizeof(out), "%.*s", (int)(sp->end - sp->start), text + sp->start);
	return sp->end > 0 ? out : "";
}

/*
 * Issue 22: the grader says which words of the answer matched each
 * covered point, from the first to the last (multi-word alternatives
 * whole, "don't" as one word), and nothing for a missed or contradicted
 * point; the score rule is one function a regrade shares.
 */
static void test_matched_words(void)
{
	const char *a = "Honestly, on a miss the app falls back to the database. "
	                "Subsequent reads are served from memory!";
	const char *b = "A miss is an error the caller must handle. Or the app falls back to the "
	                "database.";
	const char *f = "Both readers load it from the system of record.";
	struct grade_result r;

	grade_answer(g, q1(), a, &r);
	CHECK_INT(r.covered, 0x5);
	CHECK_STR(heard(a, &r, 0), "falls back to the database");
	CHECK_STR(heard(a, &r, 2), "Subsequent reads are served from memory");
	CHECK_STR(heard(a, &r, 1), "");
	CHECK_INT(r.matched[3].end, 0);
	/* Point 0 is matched, then contradicted by the misconception. */
	grade_answer(g, q1(), b, &r);
	CHECK((r.heard & 1) != 0);
	CHECK_INT(r.covered & 0x1, 0);
	CHECK_STR(heard(b, &r, 0), "");
	/* A synonym of several words is quoted whole. */
	grade_followup(g, &q1()->followups[0], f, &r);
	CHECK_INT(r.covered & 1, 1);
	CHECK_STR(heard(f, &r, 0), "Both readers load it from the system of record");
	CHECK_INT(grade_score_of(0x5, 4, false), 50);
	CHECK_INT(grade_score_of(0x7, 4, true), GRADE_LIST_MAX);
	CHECK_INT(grade_score_of(0x7, 3, false), 100);
	CHECK_INT(grade_score_of(0, 0, false), 0);
}

int main(void)
{
	if (t_load_content("tests/fixtures/content/good", &bank) != 0)
		return 1;
	g = grade_new();
	T_RUN(test_strong_answer_in_other_words);
	T_RUN(test_partial_answer);
	T_RUN(test_buzzword_list_scores_low);
	T_RUN(test_negation_cancels);
	T_RUN(test_negation_scope);
	T_RUN(test_stems_and_plurals);
	T_RUN(test_window_and_sentences);
	T_RUN(test_synonyms_fill_slots);
	T_RUN(test_empty_and_dont_know);
	T_RUN(test_too_long_refused);
	T_RUN(test_matched_words);
	grade_free(g);
	content_cleanup(&bank);
	return t_done();
}
