/* test_content.c - the question-bank loader, lint and topic lookups. */
#include "bank/content.h"

#include "base/err.h"
#include "test.h"

#define GOOD "tests/fixtures/content/good"
#define BAD  "tests/fixtures/content/bad"
#define LINT "tests/fixtures/content/lint"

static void test_load_good(void)
{
	struct content c;
	struct content_diag d;
	const struct content_question *q;

	content_diag_init(&d);
	CHECK_INT(content_load(&c, GOOD, &d), BOT_OK);
	CHECK_INT(d.count, 0);
	CHECK_INT(c.ntopics, 2);
	CHECK_INT(c.nquestions, 3);
	CHECK_STR(c.topics[0].slug, "alpha");
	CHECK_STR(c.topics[0].name, "Alpha Things");
	CHECK_INT(c.topics[0].nquestions, 2);
	CHECK_INT(c.topics[1].nquestions, 1);
	q = content_find(&c, "beta-one");
	CHECK(q != NULL);
	CHECK_INT(q->difficulty, 2);
	CHECK_INT(q->topic, 1);
	CHECK_INT(q->npoints, 4);
	CHECK_INT(q->points[0].nphrasings, 2);
	CHECK_STR(q->points[0].phrasings[0], "miss load|read database|db");
	CHECK_INT(q->nfollowups, 2);
	CHECK_STR(q->followups[0].text, "What happens when two readers miss at once?");
	CHECK_INT(q->followups[0].npoints, 2);
	CHECK_STR(q->followups[0].points[1].text, "Only one of them should write the cache");
	CHECK_INT(q->followups[0].points[1].nphrasings, 2);
	CHECK_STR(q->followups[0].points[1].phrasings[1], "lock|lease fill cache");
	CHECK_INT(q->followups[1].npoints, 2);
	CHECK_INT(q->nmisconceptions, 1);
	CHECK_STR(q->misconceptions[0].text, "A cache miss is an error the caller must handle");
	CHECK_CONTAINS(q->misconceptions[0].correction, "a miss is normal");
	CHECK_INT(q->misconceptions[0].contradicts, 0);
	CHECK_INT(q->misconceptions[0].nphrasings, 2);
	CHECK_INT(q->nrelated, 2);
	CHECK_STR(q->related[1], "alpha-two");
	CHECK_INT(q->nsources, 1);
	CHECK_STR(q->sources[0], "000#1");
	CHECK_CONTAINS(q->question, "cache do on a miss");
	CHECK(content_find(&c, "nope") == NULL);
	CHECK(c.tips != NULL);
	CHECK(c.synonyms != NULL);
	CHECK_INT(c.synonyms->ngroups, 2);
	CHECK_INT(c.synonyms->groups[0].n, 2);
	CHECK_STR(c.synonyms->groups[0].exprs[1], "system of record");
	CHECK_INT(c.synonyms->groups[1].line, 3);
	CHECK(q->synonyms == c.synonyms);
	CHECK(q->followups[1].synonyms == c.synonyms);
	CHECK_INT(content_lint(&c, 1, 0, &d), 0);
	content_cleanup(&c);
	content_diag_cleanup(&d);
}

static void test_load_bad_reports_every_file(void)
{
	struct content c;
	struct content_diag d;
	const char *t;

	content_diag_init(&d);
	CHECK_INT(content_load(&c, BAD, &d), BOT_EINVAL);
	t = buf_str(&d.text);
	CHECK_CONTAINS(t, BAD "/gamma: folder is not a topic in topics.ini");
	CHECK_CONTAINS(t, BAD "/alpha/alpha-one.md:32: missing section \"## Follow-ups\"");
	CHECK_CONTAINS(t, BAD "/alpha/alpha-two.md:4: difficulty must be 1, 2 or 3, not \"7\"");
	CHECK_CONTAINS(t, BAD "/beta/beta-one.md:3: unknown topic \"gamma\"");
	CHECK_CONTAINS(t, BAD "/beta/beta-two.md:24: expected \"- key point\"");
	CHECK_CONTAINS(t, "duplicate id \"alpha-three\"");
	/* One problem per broken line of synonyms.txt; line 2 is sound. */
	CHECK_CONTAINS(t, BAD "/synonyms.txt:3: a synonym group needs at least 2 expressions");
	CHECK_CONTAINS(t, BAD "/synonyms.txt:4: synonym \"do not retry\" holds a negation");
	CHECK_CONTAINS(t, BAD "/synonyms.txt:5: synonym \"the least recently used entry of the "
	                      "cache\" has 5 content words; write 1 to 3");
	CHECK_CONTAINS(t, BAD "/synonyms.txt:6: synonym \"throw out\" is already in the group on "
	                      "line 2");
	CHECK_CONTAINS(t, BAD "/synonyms.txt:7: synonym \"time (to) live\" may hold only letters");
	CHECK_INT(d.count, 11);
	CHECK_INT(c.nquestions, 0);
	content_cleanup(&c);
	content_diag_cleanup(&d);
}

static void test_lint_rules(void)
{
	struct content c;
	struct content_diag d;
	const char *t;

	content_diag_init(&d);
	CHECK_INT(content_load(&c, LINT, &d), BOT_OK);
	CHECK_INT(content_lint(&c, 2, 3, &d), 16);
	t = buf_str(&d.text);
	CHECK_CONTAINS(t,
	               LINT "/alpha/alpha-one.md:13: model answer has 4 words; write 150 to 400");
	CHECK_CONTAINS(t, LINT "/beta/beta-one.md:28: key point has 1 phrasings");
	CHECK_CONTAINS(t, LINT "/beta/beta-one.md:33: misconception has no \"  - correction");
	CHECK_CONTAINS(t, LINT "/beta/beta-one.md:33: misconception has 1 phrasings");
	CHECK_CONTAINS(t, LINT "/beta/beta-one.md:37: 1 follow-ups");
	CHECK_CONTAINS(t, LINT "/beta/beta-one.md:39: follow-up rubric has 1 points");
	CHECK_CONTAINS(t, LINT "/beta/beta-one.md:40: rubric point has 1 phrasings");
	CHECK_CONTAINS(t, "related id \"no-such-id\" does not exist");
	CHECK_CONTAINS(t, LINT "/alpha/alpha-one.md:16: no ## Misconceptions section");
	CHECK_CONTAINS(t,
	               LINT "/alpha/alpha-one.md:33: follow-up has no rubric; add 2 or 3 points");
	CHECK_CONTAINS(t, "alpha: topic has 1 questions; the bank needs 2");
	/* Issue 20: a point that contrasts two things names its subject in every phrasing. */
	CHECK_CONTAINS(t, LINT "/beta/beta-one.md:19: the point contrasts miss / hit "
	                       "(contrasts.txt:2), but phrasing \"fall back database\" names none");
	CHECK_CONTAINS(t, "contrasts.txt:3: a contrast needs 2 expressions");
	CHECK_CONTAINS(t, "bank: 2 questions; the bank needs 3");
	content_cleanup(&c);
	content_diag_cleanup(&d);
}

static void test_missing_dir(void)
{
	struct content c;
	struct content_diag d;

	content_diag_init(&d);
	CHECK_INT(content_load(&c, "tests/fixtures/content/none", &d), BOT_EINVAL);
	CHECK_CONTAINS(buf_str(&d.text), "topics.ini: cannot read the topic table");
	content_diag_cleanup(&d);
}

static void test_topic_lookup(void)
{
	struct content c;
	struct content_diag d;
	size_t t = 99, closest = 99;

	content_diag_init(&d);
	CHECK_INT(content_load(&c, GOOD, &d), BOT_OK);
	CHECK_INT(content_topic_lookup(&c, "beta", &t, NULL), BOT_OK);
	CHECK_INT(t, 1);
	CHECK_INT(content_topic_lookup(&c, "CACHE", &t, NULL), BOT_OK); /* alias, any case */
	CHECK_INT(t, 1);
	CHECK_INT(content_topic_lookup(&c, "alp", &t, NULL), BOT_OK); /* prefix */
	CHECK_INT(t, 0);
	CHECK_INT(content_topic_lookup(&c, "sec", &t, NULL), BOT_OK); /* prefix of an alias */
	CHECK_INT(t, 1);
	CHECK_INT(content_topic_lookup(&c, "a", &t, NULL), BOT_OK); /* alpha, a1: one topic */
	CHECK_INT(t, 0);
	CHECK_INT(content_topic_lookup(&c, "shared", &t, NULL), BOT_EAMBIG);
	CHECK_INT(content_topic_lookup(&c, "shared-b", &t, NULL), BOT_OK);
	CHECK_INT(t, 1);
	CHECK_INT(content_topic_lookup(&c, "", &t, NULL), BOT_ENOENT);
	CHECK_INT(content_topic_lookup(&c, "betx", &t, &closest), BOT_ENOENT);
	CHECK_INT(closest, 1);
	content_cleanup(&c);
	content_diag_cleanup(&d);
}

static void test_word_count(void)
{
	CHECK_INT(content_word_count("Don't split write-through, OK? 3.5 x"), 7);
	CHECK_INT(content_word_count(""), 0);
	CHECK_INT(content_word_count("**bold** `code`"), 2);
}

int main(void)
{
	T_RUN(test_load_good);
	T_RUN(test_load_bad_reports_every_file);
	T_RUN(test_lint_rules);
	T_RUN(test_missing_dir);
	T_RUN(test_topic_lookup);
	T_RUN(test_word_count);
	return t_done();
}
