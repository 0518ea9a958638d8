/*
 * bench_engine.c - engine call latency on a synthetic store: N users in
 * 100 teams with 10 answers each (100k users = 1M answers), their
 * reviews, mastery, streaks and leaderboard rows. Prints p50/p99 per
 * engine call for /question, /answer, /stats and /leaderboard at 10k and
 * 100k users, so growth is visible. Figures only; nothing is asserted.
 *
 * The database lives in $BENCH_DIR (default /dev/shm when present): the
 * figures are the engine's cost, not the disk's fsync latency.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "bank/content.h"
#include "engine/engine.h"
#include "store/store.h"

#define TEAMS            100
#define ANSWERS_PER_USER 10
#define CALLS            2000
#define NOW              1795000000

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void ids(int u, char *team, char *user)
{
	snprintf(team, 32, "team%d", u % TEAMS);
	snprintf(user, 32, "user%d", u);
}

/* Fills the store through its own API, 10k users per transaction. */
static void populate(struct store *s, const struct content *c, int users)
{
	static const char *periods[] = {"all", "w:20405", "m:2026-11"};
	int u, i;

	for (u = 0; u < users; u++) {
		char team[32], user[32];
		struct store_user su;
		struct streak st;
		struct srs_state sr;
		if (u % 10000 == 0)
			store_begin(s);
		ids(u, team, user);
		store_user_ensure(s, "bench", team, user, user, NOW - 86400 * 30, &su);
		for (i = 0; i < ANSWERS_PER_USER; i++) {
			const struct content_question *q =
			    &c->questions[(size_t)(u * 7 + i * 13) % c->nquestions];
			struct store_answer a = {su.id,
			                         su.team_id,
			                         q->id,
			                         c->topics[q->topic].slug,
			                         "a synthetic answer about caches and databases",
			                         (u + i) % 101,
			                         3,
			                         NOW - 86400 * (i % 30),
			                         0,
			                         (u + i) % 101,
			                         0};
			store_answer_add(s, &a, NULL);
			for (size_t p = 0; p < 3; p++)
				store_score_add(s, su.team_id, periods[p], su.id, a.score,
				                a.created_at);
			store_covered_add(s, su.team_id, q->id, su.id);
			if (i < 3) {
				srs_init(&sr, NOW);
				sr.card.due = NOW + (i - 1) * 86400;
				store_srs_put(s, su.id, q->id, &sr);
			}
		}
		for (size_t t = 0; t < c->ntopics; t++) {
			struct store_topic_stat ts;
			memset(&ts, 0, sizeof(ts));
			snprintf(ts.topic, sizeof(ts.topic), "%s", c->topics[t].slug);
			ts.mastery = (double)((u + (int)t * 17) % 100);
			ts.answers = 2;
			store_topic_put(s, su.id, &ts, NOW);
		}
		streak_init(&st);
		st.current = u % 9;
		st.last_day = NOW / 86400 - 1;
		store_streak_put(s, su.id, &st);
		if (u % 10000 == 9999 || u == users - 1)
			store_commit(s);
	}
}

static void measure(struct engine *e, const char *label, const char *cmd, const char *args,
                    int users)
{
	static double t[CALLS];
	struct request req;
	int i;

	for (i = 0; i < CALLS; i++) {
		char team[32], user[32];
		struct reply r;
		double t0;
		ids((int)(((unsigned)i * 2654435761u) % (unsigned)users), team, user);
		memset(&req, 0, sizeof(req));
		req.platform = "bench";
		req.team = team;
		req.channel = "c";
		req.user = user;
		req.user_name = user;
		req.command = cmd;
		req.args = args;
		req.now = NOW + i;
		reply_init(&r);
		t0 = now_us();
		engine_handle(e, &req, &r);
		t[i] = now_us() - t0;
		reply_cleanup(&r);
	}
	qsort(t, CALLS, sizeof(t[0]), cmp_double);
	printf("  %-13s p50 %7.1f us   p99 %7.1f us   max %7.1f us\n", label, t[CALLS / 2],
	       t[CALLS * 99 / 100], t[CALLS - 1]);
}

static int run(const struct content *c, int users)
{
	const char *dir = getenv("BENCH_DIR");
	char path[512];
	struct buf err;
	struct store *s = NULL;
	struct engine *e;
	struct engine_opts o = {"http://localhost:8080", "UTC", 7, 0.9, false, NULL};
	double t0;

	if (dir == NULL)
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(path, sizeof(path), "%s/drillbot-bench-%d.db", dir, (int)getpid());
	unlink(path);
	buf_init(&err, 1024);
	if (store_open(&s, path, &err) != BOT_OK) {
		fprintf(stderr, "bench: %s\n", buf_str(&err));
		return 1;
	}
	buf_cleanup(&err);
	t0 = now_us();
	populate(s, c, users);
	printf("%d users, %d answers, %d teams (populated in %.1f s, db in %s)\n", users,
	       users * ANSWERS_PER_USER, TEAMS, (now_us() - t0) / 1e6, dir);
	e = engine_new(c, s, &o);
	measure(e, "/question", "question", "", users);
	measure(e, "/question api", "question", "api", users);
	measure(e, "/answer", "answer",
	        "The app checks the cache first and on a miss loads from the database, then "
	        "stores the value with a TTL so later reads are fast.",
	        users);
	measure(e, "/stats", "stats", "", users);
	measure(e, "/weak", "weak", "", users);
	measure(e, "/leaderboard", "leaderboard", "week", users);
	engine_free(e);
	store_close(s);
	unlink(path);
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "-wal");
	unlink(path);
	path[strlen(path) - 4] = '\0';
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "-shm");
	unlink(path);
	return 0;
}

int main(int argc, char **argv)
{
	struct content c;
	struct content_diag d;
	int rc = 0;

	log_set_level(LOG_WARN);
	content_diag_init(&d);
	if (content_load(&c, "content", &d) != BOT_OK) {
		fprintf(stderr, "%s", buf_str(&d.text));
		return 1;
	}
	content_diag_cleanup(&d);
	printf("engine call latency (%d calls each, random users)\n", CALLS);
	if (argc > 1) {
		rc = run(&c, atoi(argv[1]));
	} else {
		rc = run(&c, 10000);
		if (rc == 0)
			rc = run(&c, 100000);
	}
	content_cleanup(&c);
	return rc;
}
