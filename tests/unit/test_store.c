/* test_store.c - the SQLite store: migrations, refusals, and each table. */
#include "store/store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"
#include "test.h"

static char *tmp_path(const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", t_tmpdir(), name);
	unlink(path);
	return path;
}

static void write_file(const char *path, const char *content, size_t n)
{
	FILE *f = fopen(path, "wb");
	fwrite(content, 1, n, f);
	fclose(f);
}

static size_t file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return (size_t)n;
}

static void test_migrate_empty(void)
{
	struct store *s = NULL;
	struct buf err;
	int v = 0;

	buf_init(&err, 1024);
	CHECK_INT(store_open(&s, tmp_path("empty.db"), &err), BOT_OK);
	CHECK_INT(store_version(s, &v), BOT_OK);
	CHECK_INT(v, STORE_SCHEMA_VERSION);
	store_close(s);
	buf_cleanup(&err);
}

static void test_migrate_from_previous_version(void)
{
	const char *path = tmp_path("v1.db");
	struct store *s = NULL;
	struct store_user u, again;
	struct streak st;
	struct buf err;
	int v = 0;

	buf_init(&err, 1024);
	CHECK_INT(store_open_at(&s, path, 1, &err), BOT_OK);
	CHECK_INT(store_version(s, &v), BOT_OK);
	CHECK_INT(v, 1);
	CHECK_INT(store_user_ensure(s, "discord", "g1", "u1", "Ada", 100, &u), BOT_OK);
	store_close(s);

	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	CHECK_INT(store_version(s, &v), BOT_OK);
	CHECK_INT(v, STORE_SCHEMA_VERSION);
	/* Version 1 rows survive, and later tables work. */
	CHECK_INT(store_user_ensure(s, "discord", "g1", "u1", "Ada", 200, &again), BOT_OK);
	CHECK_INT(again.id, u.id);
	CHECK_STR(again.name, "Ada");
	streak_init(&st);
	st.current = 3;
	CHECK_INT(store_streak_put(s, u.id, &st), BOT_OK);
	{
		struct store_channel ch, again_ch;
		bool claimed = false;
		CHECK_INT(store_channel_ensure(s, "discord", "g1", "c1", 300, &ch), BOT_OK);
		CHECK_INT(ch.team_id, u.team_id);
		CHECK_INT(ch.daily.days, 31); /* Monday to Friday */
		CHECK_INT(store_channel_post_claim(s, ch.id, "daily", "q1", 10, 300, &claimed),
		          BOT_OK);
		CHECK(claimed);
		CHECK_INT(store_channel_post_claim(s, ch.id, "daily", "q2", 10, 301, &claimed),
		          BOT_OK);
		CHECK(!claimed);
		ch.daily.enabled = true;
		snprintf(ch.daily.time, sizeof(ch.daily.time), "09:30");
		CHECK_INT(store_channel_set_daily(s, ch.id, &ch.daily), BOT_OK);
		CHECK_INT(store_channel_ensure(s, "discord", "g1", "c1", 400, &again_ch), BOT_OK);
		CHECK_INT(again_ch.id, ch.id);
		CHECK(again_ch.daily.enabled);
		CHECK_STR(again_ch.daily.time, "09:30");
	}
	store_close(s);
	buf_cleanup(&err);
}

static struct store *mem_store(void);

static void count_qid(const char *qid, void *arg)
{
	(void)qid;
	++*(int *)arg;
}

static int sql_exec(const char *path, const char *text)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, text, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/*
 * A version 3 database, written by the SM-2 build: its cards keep their
 * due dates as FSRS cards, its answers keep the points they earned (so
 * totals stand and the 30-day rule sees them), and its coverage becomes
 * per user, so forgetting the user removes it.
 */
static void test_migrate_v3_to_fsrs(void)
{
	const char *path = tmp_path("v3.db");
	struct store *s = NULL;
	struct store_user u;
	struct store_history h;
	struct srs_state st;
	struct buf err;
	int64_t pts = 0;
	int rank = 0, covered = 0;

	buf_init(&err, 1024);
	CHECK_INT(store_open_at(&s, path, 3, &err), BOT_OK);
	CHECK_INT(store_user_ensure(s, "console", "local", "local", "", 1, &u), BOT_OK);
	store_close(s);
	CHECK_INT(
	    sql_exec(path,
	             "INSERT INTO srs VALUES (1, 'caching-ttl', 2.8, 10, 3, 0, 8640000);"
	             "INSERT INTO srs VALUES (1, 'api-cors', 1.3, 10, 2, 3, 8640000);"
	             "INSERT INTO answers(user_id, team_id, question_id, topic, text, score,"
	             " covered, created_at, local_day) VALUES (1, 1, 'caching-ttl', 'caching',"
	             " 'old', 80, 3, 5000, 0), (1, 1, 'api-cors', 'api', 'old', 0, 0, 6000, 0);"
	             "INSERT INTO scores VALUES (1, 'all', 1, 80, 5000);"
	             "INSERT INTO team_covered VALUES (1, 'caching-ttl'), (1, 'api-cors');"),
	    SQLITE_OK);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	CHECK_INT(store_srs_get(s, u.id, "caching-ttl", &st), BOT_OK);
	CHECK_INT(st.card.due, 8640000);
	CHECK_INT(st.card.interval, 10);
	CHECK_NEAR(st.card.stability, 10, 1e-9);
	CHECK_INT(st.card.reps, 3);
	CHECK(!st.has_prev);
	double easy = st.card.difficulty;
	CHECK_INT(store_srs_get(s, u.id, "api-cors", &st), BOT_OK);
	CHECK(st.card.difficulty > easy);
	CHECK_INT(st.card.lapses, 3);
	CHECK_INT(store_answer_history(s, u.id, "caching-ttl", &h), BOT_OK);
	CHECK_INT(h.last_answer, 5000);
	CHECK_INT(h.last_points, 5000);
	CHECK_INT(h.last_reveal, 0);
	CHECK_INT(store_answer_history(s, u.id, "api-cors", &h), BOT_OK);
	CHECK_INT(h.last_points, 0); /* it scored 0, so it earned nothing */
	CHECK_INT(store_score_rank(s, u.team_id, "all", u.id, &rank, &pts), BOT_OK);
	CHECK_INT(pts, 80);
	CHECK_INT(store_covered_each(s, u.team_id, count_qid, &covered), BOT_OK);
	CHECK_INT(covered, 2);
	CHECK_INT(store_user_forget(s, u.id), BOT_OK);
	covered = 0;
	CHECK_INT(store_covered_each(s, u.team_id, count_qid, &covered), BOT_OK);
	CHECK_INT(covered, 0);
	store_close(s);
	buf_cleanup(&err);
}

/* An answer, then its coverage, as the engine records them. */
static int add_answer(struct store *s, const struct store_user *u, const char *qid)
{
	struct store_answer a = {.user_id = u->id,
	                         .team_id = u->team_id,
	                         .question_id = qid,
	                         .topic = "t",
	                         .text = "x",
	                         .score = 50};
	int rc = store_answer_add(s, &a, NULL);

	return rc == BOT_OK ? store_covered_add(s, u->team_id, qid, u->id) : rc;
}

/* Two users cover one question; the team keeps it until both are forgotten. */
static void test_covered_per_user(void)
{
	struct store *s = mem_store();
	struct store_user a, b;
	struct store_history h;
	int n = 0;

	CHECK_INT(store_user_ensure(s, "console", "local", "a", "", 1, &a), BOT_OK);
	CHECK_INT(store_user_ensure(s, "console", "local", "b", "", 1, &b), BOT_OK);
	CHECK_INT(add_answer(s, &a, "q1"), BOT_OK);
	CHECK_INT(add_answer(s, &a, "q1"), BOT_OK); /* a second answer counts once */
	CHECK_INT(add_answer(s, &b, "q1"), BOT_OK);
	CHECK_INT(add_answer(s, &a, "q2"), BOT_OK);
	CHECK_INT(store_covered_each(s, a.team_id, count_qid, &n), BOT_OK);
	CHECK_INT(n, 2); /* distinct questions */
	CHECK_INT(store_user_forget(s, a.id), BOT_OK);
	n = 0;
	CHECK_INT(store_covered_each(s, a.team_id, count_qid, &n), BOT_OK);
	CHECK_INT(n, 1);
	CHECK_INT(store_user_forget(s, b.id), BOT_OK);
	n = 0;
	CHECK_INT(store_covered_each(s, a.team_id, count_qid, &n), BOT_OK);
	CHECK_INT(n, 0);
	CHECK_INT(store_user_ensure(s, "console", "local", "b", "", 1, &b), BOT_OK);
	CHECK_INT(store_reveal_add(s, b.id, "q1", 700), BOT_OK);
	CHECK_INT(store_reveal_add(s, b.id, "q1", 900), BOT_OK);
	CHECK_INT(store_answer_history(s, b.id, "q1", &h), BOT_OK);
	CHECK_INT(h.last_reveal, 900);
	CHECK_INT(h.last_answer, 0);
	store_close(s);
}

/* Issue 15: two processes starting together on a new file both start; the
 * schema is created once. They are released together through a pipe. */
static void test_concurrent_first_start(void)
{
	int round, failed = 0;

	for (round = 0; round < 10; round++) {
		char name[32];
		const char *path;
		pid_t kids[3];
		int go[2], k, status;

		snprintf(name, sizeof(name), "race%d.db", round);
		path = tmp_path(name);
		if (pipe(go) != 0)
			T_FAIL("pipe");
		for (k = 0; k < 3; k++) {
			kids[k] = fork();
			if (kids[k] == 0) {
				struct store *s = NULL;
				struct buf err;
				char c;
				close(go[1]);
				if (read(go[0], &c, 1) < 0)
					_exit(3);
				buf_init(&err, 256);
				int rc = store_open(&s, path, &err);
				if (rc != BOT_OK)
					fprintf(stderr, "race: %s\n", buf_str(&err));
				store_close(s);
				_exit(rc == BOT_OK ? 0 : 1);
			}
		}
		close(go[0]);
		close(go[1]); /* EOF releases all three at once */
		for (k = 0; k < 3; k++) {
			waitpid(kids[k], &status, 0);
			failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
	}
	CHECK_INT(failed, 0);
}

static char *slurp(const char *path, size_t *n)
{
	char *text = NULL;
	return util_read_file(path, 1 << 24, &text, n) == BOT_OK ? text : NULL;
}

/* Issue 15: a real database with one 4 KiB block overwritten past the
 * header was opened and written to. It is refused, and left as it was. */
static void test_damaged_file_refused_untouched(void)
{
	static const size_t offsets[] = {45056, 61440, 77824};
	const char *path = tmp_path("damaged.db");
	struct store *s = NULL;
	struct store_user u;
	struct buf err;
	char text[600];
	size_t k;

	buf_init(&err, 1024);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	CHECK_INT(store_user_ensure(s, "console", "local", "local", "", 1, &u), BOT_OK);
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	for (int i = 0; i < 400; i++) {
		struct store_answer a = {.user_id = u.id,
		                         .team_id = u.team_id,
		                         .question_id = "caching-ttl",
		                         .topic = "caching",
		                         .text = text,
		                         .created_at = i};
		CHECK_INT(store_answer_add(s, &a, NULL), BOT_OK);
	}
	store_close(s);
	for (k = 0; k < UTIL_ARRAY_LEN(offsets); k++) {
		char junk[4096], copy[600];
		size_t before_n = 0, after_n = 0;
		char *before, *after;

		snprintf(copy, sizeof(copy), "%s.%zu", path, k);
		before = slurp(path, &before_n);
		CHECK(before != NULL && before_n > offsets[k] + sizeof(junk));
		memset(junk, 0xa5, sizeof(junk));
		memcpy(before + offsets[k], junk, sizeof(junk));
		write_file(copy, before, before_n);
		buf_reset(&err);
		CHECK_INT(store_open(&s, copy, &err), BOT_ECORRUPT);
		CHECK(s == NULL);
		CHECK_CONTAINS(buf_str(&err), "is damaged");
		CHECK_CONTAINS(buf_str(&err), "left untouched");
		CHECK_NOT_CONTAINS(buf_str(&err), "try again");
		after = slurp(copy, &after_n);
		CHECK(after != NULL && after_n == before_n && memcmp(after, before, before_n) == 0);
		free(before);
		free(after);
	}
	buf_cleanup(&err);
}

/* Opens path as this process, or as user nobody when root (root may write
 * anything); 0 when the refusal is BOT_EPERM and its message holds want. */
static int refused_as_user(const char *path, const char *want)
{
	int status = 0;
	pid_t kid = fork();

	if (kid == 0) {
		struct store *s = NULL;
		struct buf err;
		int bad;
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(99);
		buf_init(&err, 1024);
		bad = store_open(&s, path, &err) != BOT_EPERM;
		bad +=
		    strstr(buf_str(&err), want) == NULL || strstr(buf_str(&err), "chown") == NULL;
		bad += strstr(buf_str(&err), "is damaged") != NULL;
		if (bad != 0)
			printf("    refusal: [%s]\n", buf_str(&err));
		fflush(stdout);
		_exit(bad);
	}
	waitpid(kid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

/*
 * A folder or file drillbot may not write is a permission problem, told
 * as one with the fix, never as damage.
 */
static void test_read_only_is_not_damage(void)
{
	const char *path = tmp_path("ro/drill.db");
	char dir[512];
	struct store *s = NULL;
	struct buf err;
	int folder, file;

	snprintf(dir, sizeof(dir), "%s/ro", t_tmpdir());
	mkdir(dir, 0777);
	chmod(t_tmpdir(), 0711);
	buf_init(&err, 1024);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	store_close(s);
	buf_cleanup(&err);
	chmod(path, 0666);
	chmod(dir, 0555);
	folder = refused_as_user(path, "the folder");
	chmod(dir, 0777);
	chmod(path, 0444);
	file = refused_as_user(path, "The data is not damaged");
	chmod(dir, 0755);
	chmod(path, 0644);
	CHECK_INT(folder, 0);
	CHECK_INT(file, 0);
}

static void test_reopen_keeps_data(void)
{
	const char *path = tmp_path("reopen.db");
	struct store *s = NULL;
	struct store_user u;
	struct store_answer a;
	struct buf err;
	int n = 0;

	buf_init(&err, 1024);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	CHECK_INT(store_user_ensure(s, "slack", "T1", "U1", "Bo", 10, &u), BOT_OK);
	memset(&a, 0, sizeof(a));
	a.user_id = u.id;
	a.team_id = u.team_id;
	a.question_id = "caching-strategies";
	a.topic = "caching";
	a.text = "an answer with 'quotes' and \"doubles\"; DROP TABLE answers; --";
	a.score = 75;
	a.covered = 5;
	a.created_at = 1000;
	a.local_day = 1;
	CHECK_INT(store_answer_add(s, &a, NULL), BOT_OK);
	store_close(s);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	CHECK_INT(store_user_ensure(s, "slack", "T1", "U1", "Bo", 20, &u), BOT_OK);
	CHECK_INT(store_answer_count_since(s, u.id, 0, &n), BOT_OK);
	CHECK_INT(n, 1);
	store_close(s);
	buf_cleanup(&err);
}

static void test_refuses_foreign_file(void)
{
	const char *path = tmp_path("notes.db");
	const char *text = "these are my notes, not a database\n";
	struct store *s = NULL;
	struct buf err;

	buf_init(&err, 1024);
	write_file(path, text, strlen(text));
	CHECK_INT(store_open(&s, path, &err), BOT_ECORRUPT);
	CHECK(s == NULL);
	CHECK_CONTAINS(buf_str(&err), "is not a SQLite database; it was left untouched");
	CHECK_INT(file_size(path), strlen(text));
	buf_cleanup(&err);
}

static void test_refuses_other_sqlite_app(void)
{
	const char *path = tmp_path("other.db");
	struct store *s = NULL;
	struct buf err;
	sqlite3 *db;
	size_t before;

	buf_init(&err, 1024);
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "CREATE TABLE invoices(id INTEGER)", NULL, NULL, NULL),
	          SQLITE_OK);
	sqlite3_close(db);
	before = file_size(path);
	CHECK_INT(store_open(&s, path, &err), BOT_ECORRUPT);
	CHECK_CONTAINS(buf_str(&err), "another application");
	CHECK_INT(file_size(path), before);
	buf_cleanup(&err);
}

static void test_refuses_corrupt_and_newer(void)
{
	const char *path = tmp_path("corrupt.db");
	struct store *s = NULL;
	struct buf err;
	char page[4096];
	sqlite3 *db;

	buf_init(&err, 1024);
	/* The right magic, then garbage: SQLite cannot read its header. */
	memset(page, 0x5a, sizeof(page));
	memcpy(page, "SQLite format 3", 16);
	write_file(path, page, sizeof(page));
	CHECK_INT(store_open(&s, path, &err), BOT_ECORRUPT);
	CHECK_CONTAINS(buf_str(&err), "is damaged");

	path = tmp_path("newer.db");
	buf_reset(&err);
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "PRAGMA application_id = 1146244162; PRAGMA user_version = 99;",
	                       NULL, NULL, NULL),
	          SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(store_open(&s, path, &err), BOT_EVERSION);
	CHECK_CONTAINS(buf_str(&err), "newer than this drillbot");
	buf_cleanup(&err);
}

static struct store *mem_store(void)
{
	struct store *s = NULL;
	struct buf err;
	buf_init(&err, 1024);
	if (store_open(&s, ":memory:", &err) != BOT_OK)
		printf("open: %s\n", buf_str(&err));
	buf_cleanup(&err);
	return s;
}

static void test_users_and_teams(void)
{
	struct store *s = mem_store();
	struct store_user a, b, a2;

	CHECK(s != NULL);
	CHECK_INT(store_user_ensure(s, "discord", "g1", "u1", "Ada", 1, &a), BOT_OK);
	CHECK_INT(store_user_ensure(s, "discord", "g2", "u1", "Ada", 1, &b), BOT_OK);
	CHECK(a.id != b.id);
	CHECK(a.team_id != b.team_id);
	CHECK_INT(store_user_set_tz(s, a.id, "Europe/Berlin"), BOT_OK);
	CHECK_INT(store_user_set_open(s, a.id, "api-idempotency"), BOT_OK);
	CHECK_INT(store_user_ensure(s, "discord", "g1", "u1", "Ada L.", 2, &a2), BOT_OK);
	CHECK_INT(a2.id, a.id);
	CHECK_STR(a2.tz, "Europe/Berlin");
	CHECK_STR(a2.open_qid, "api-idempotency");
	CHECK_STR(a2.name, "Ada L.");
	store_close(s);
}

/*
 * Several processes meeting the same new users at once agree on their ids:
 * the insert-or-get upsert, not a read then an insert, decides.
 */
static void test_user_ensure_across_processes(void)
{
	const char *path = tmp_path("race.db");
	struct store *s;
	struct buf err;
	int fds[4][2], k, u;
	int64_t ids[4][40];
	int bad = 0, rows = -1;

	buf_init(&err, 1024);
	CHECK_INT(store_open(&s, path, &err), BOT_OK); /* migrated once, before the race */
	store_close(s);
	for (k = 0; k < 4; k++) {
		CHECK_INT(pipe(fds[k]), 0);
		if (fork() == 0) {
			struct store_user su;
			int64_t mine[40];
			struct store *cs = NULL;
			close(fds[k][0]);
			if (store_open(&cs, path, &err) != BOT_OK)
				_exit(1);
			for (u = 0; u < 40; u++) {
				char name[16];
				snprintf(name, sizeof(name), "u%d", u);
				mine[u] = store_user_ensure(cs, "slack", "T1", name, name, 1,
				                            &su) == BOT_OK
				              ? su.id
				              : -1;
			}
			store_close(cs);
			_exit(write(fds[k][1], mine, sizeof(mine)) == (ssize_t)sizeof(mine) ? 0
			                                                                    : 1);
		}
		close(fds[k][1]);
	}
	for (k = 0; k < 4; k++) {
		int status = 0;
		if (read(fds[k][0], ids[k], sizeof(ids[k])) != (ssize_t)sizeof(ids[k]))
			bad++;
		close(fds[k][0]);
		wait(&status);
	}
	for (k = 1; k < 4; k++)
		for (u = 0; u < 40; u++)
			bad += ids[k][u] != ids[0][u] || ids[k][u] < 0;
	CHECK_INT(bad, 0);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	{
		sqlite3 *db;
		sqlite3_stmt *st;
		sqlite3_open(path, &db);
		sqlite3_prepare_v2(db, "SELECT count(*) FROM users", -1, &st, NULL);
		if (sqlite3_step(st) == SQLITE_ROW)
			rows = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	CHECK_INT(rows, 40);
	store_close(s);
	buf_cleanup(&err);
}

static void test_srs_and_topics(void)
{
	struct store *s = mem_store();
	struct store_user u;
	struct srs_state st, got;
	struct store_topic_stat ts, list[8];
	char qid[STORE_ID_MAX];
	size_t n = 0;

	CHECK_INT(store_user_ensure(s, "console", "local", "local", "", 1, &u), BOT_OK);
	CHECK_INT(store_srs_due(s, u.id, 1000, qid), BOT_ENOENT);
	srs_init(&st, 0);
	st.card.due = 500;
	CHECK_INT(store_srs_put(s, u.id, "q-late", &st), BOT_OK);
	st.card.due = 400;
	CHECK_INT(store_srs_put(s, u.id, "q-early", &st), BOT_OK);
	st.card.due = 5000;
	st.card.stability = 3.25;
	st.card.interval = 3;
	st.has_prev = true;
	st.prev.stability = 1.5;
	st.prev.reps = 1;
	CHECK_INT(store_srs_put(s, u.id, "q-future", &st), BOT_OK);
	CHECK_INT(store_srs_due(s, u.id, 1000, qid), BOT_OK);
	CHECK_STR(qid, "q-early");
	CHECK_INT(store_srs_get(s, u.id, "q-future", &got), BOT_OK);
	CHECK_INT(got.card.due, 5000);
	CHECK_NEAR(got.card.stability, 3.25, 1e-12);
	CHECK_INT(got.card.interval, 3);
	CHECK(got.has_prev);
	CHECK_NEAR(got.prev.stability, 1.5, 1e-12);
	CHECK_INT(got.prev.reps, 1);
	st.has_prev = false;
	CHECK_INT(store_srs_put(s, u.id, "q-future", &st), BOT_OK);
	CHECK_INT(store_srs_get(s, u.id, "q-future", &got), BOT_OK);
	CHECK(!got.has_prev);

	memset(&ts, 0, sizeof(ts));
	snprintf(ts.topic, sizeof(ts.topic), "caching");
	ts.mastery = 80;
	ts.answers = 2;
	CHECK_INT(store_topic_put(s, u.id, &ts, 1), BOT_OK);
	snprintf(ts.topic, sizeof(ts.topic), "api");
	ts.mastery = 20;
	CHECK_INT(store_topic_put(s, u.id, &ts, 1), BOT_OK);
	CHECK_INT(store_topic_list(s, u.id, list, 8, &n), BOT_OK);
	CHECK_INT(n, 2);
	CHECK_STR(list[0].topic, "api"); /* weakest first */
	CHECK_INT(store_topic_get(s, u.id, "security", &ts), BOT_ENOENT);
	store_close(s);
}

static void test_leaderboard_ties_and_rank(void)
{
	struct store *s = mem_store();
	struct store_user a, b, c;
	struct store_rank_row rows[10];
	size_t n = 0;
	int rank = 0;
	int64_t pts = 0;

	CHECK_INT(store_user_ensure(s, "slack", "T", "A", "Ann", 1, &a), BOT_OK);
	CHECK_INT(store_user_ensure(s, "slack", "T", "B", "Ben", 1, &b), BOT_OK);
	CHECK_INT(store_user_ensure(s, "slack", "T", "C", "Cy", 1, &c), BOT_OK);
	/* Ben reaches 100 first, Ann later: Ben ranks above Ann. */
	CHECK_INT(store_score_add(s, a.team_id, "all", b.id, 100, 10), BOT_OK);
	CHECK_INT(store_score_add(s, a.team_id, "all", a.id, 60, 11), BOT_OK);
	CHECK_INT(store_score_add(s, a.team_id, "all", a.id, 40, 20), BOT_OK);
	CHECK_INT(store_score_add(s, a.team_id, "all", c.id, 150, 30), BOT_OK);
	CHECK_INT(store_score_top(s, a.team_id, "all", rows, 10, &n), BOT_OK);
	CHECK_INT(n, 3);
	CHECK_STR(rows[0].name, "Cy");
	CHECK_STR(rows[1].name, "Ben");
	CHECK_STR(rows[2].name, "Ann");
	CHECK_INT(rows[2].points, 100);
	CHECK_INT(store_score_rank(s, a.team_id, "all", a.id, &rank, &pts), BOT_OK);
	CHECK_INT(rank, 3);
	CHECK_INT(store_score_rank(s, a.team_id, "all", b.id, &rank, &pts), BOT_OK);
	CHECK_INT(rank, 2);
	CHECK_INT(store_score_rank(s, a.team_id, "w:1", b.id, &rank, &pts), BOT_ENOENT);
	store_close(s);
}

/* Migration 6: the N+1 question's new id reaches every stored reference. */
static void test_migrate_renamed_question(void)
{
	const char *path = tmp_path("rename.db");
	struct store *s = NULL;
	struct store_user u;
	struct buf err;
	bool exists = false;

	buf_init(&err, 512);
	CHECK_INT(store_open_at(&s, path, 5, &err), BOT_OK);
	CHECK_INT(store_user_ensure(s, "console", "local", "local", "", 1, &u), BOT_OK);
	store_close(s);
	/* Rows as a version 5 build wrote them (today's store_answer_add writes later columns). */
	CHECK_INT(sql_exec(path, "INSERT INTO answers(user_id, team_id, question_id, topic, text,"
	                         " score, covered, created_at, local_day) VALUES"
	                         " (1, 1, 'databases-n-plus-one', 'databases', 'batch the loads',"
	                         " 50, 0, 10, 0), (1, 1, 'databases-n-plus-one/f1', 'databases',"
	                         " 'batch the loads', 50, 0, 10, 0);"),
	          SQLITE_OK);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	CHECK_INT(store_answer_exists(s, u.id, "api-n-plus-one-queries", &exists), BOT_OK);
	CHECK(exists);
	CHECK_INT(store_answer_exists(s, u.id, "api-n-plus-one-queries/f1", &exists), BOT_OK);
	CHECK(exists);
	CHECK_INT(store_answer_exists(s, u.id, "databases-n-plus-one", &exists), BOT_OK);
	CHECK(!exists);
	store_close(s);
	buf_cleanup(&err);
}

/* Handled events: claimed once, recorded in a batch, seen after a reopen. */
static void test_handled_events(void)
{
	const char *path = tmp_path("handled.db");
	const char *ids[] = {"111", "222", "111"};
	struct store *s = NULL;
	struct buf err;
	bool seen = true;

	buf_init(&err, 512);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	CHECK_INT(store_handled_claim(s, "discord", "1", 100), BOT_OK);
	CHECK_INT(store_handled_claim(s, "discord", "1", 101), BOT_EEXIST);
	CHECK_INT(store_handled_claim(s, "slack", "1", 101), BOT_OK); /* per platform */
	CHECK_INT(store_handled_add_all(s, "discord", ids, 3, 200), BOT_OK);
	CHECK_INT(store_handled_seen(s, "discord", "333", &seen), BOT_OK);
	CHECK(!seen);
	store_close(s);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	CHECK_INT(store_handled_seen(s, "discord", "222", &seen), BOT_OK);
	CHECK(seen);
	CHECK_INT(store_handled_claim(s, "discord", "111", 300), BOT_EEXIST);
	CHECK_INT(store_handled_prune(s, 150), BOT_OK); /* "1" goes, 111 and 222 stay */
	CHECK_INT(store_handled_claim(s, "discord", "1", 300), BOT_OK);
	CHECK_INT(store_handled_seen(s, "discord", "111", &seen), BOT_OK);
	CHECK(seen);
	store_close(s);
	buf_cleanup(&err);
}

static void test_forget_cascades(void)
{
	struct store *s = mem_store();
	struct store_user u, again;
	struct streak st;
	struct srs_state ss;
	int n = 5;

	CHECK_INT(store_user_ensure(s, "console", "local", "local", "", 1, &u), BOT_OK);
	streak_init(&st);
	st.current = 4;
	CHECK_INT(store_streak_put(s, u.id, &st), BOT_OK);
	srs_init(&ss, 0);
	CHECK_INT(store_srs_put(s, u.id, "q", &ss), BOT_OK);
	CHECK_INT(store_score_add(s, u.team_id, "all", u.id, 10, 1), BOT_OK);
	CHECK_INT(store_user_forget(s, u.id), BOT_OK);
	CHECK_INT(store_user_ensure(s, "console", "local", "local", "", 2, &again), BOT_OK);
	CHECK_INT(store_streak_get(s, again.id, &st), BOT_ENOENT);
	CHECK_INT(store_srs_get(s, u.id, "q", &ss), BOT_ENOENT);
	CHECK_INT(store_answer_count_since(s, u.id, 0, &n), BOT_OK);
	CHECK_INT(n, 0);
	store_close(s);
}

static void add_first(struct store *s, const struct store_user *u, int score, int copied,
                      int64_t at, const char *text)
{
	struct store_answer a = {.user_id = u->id,
	                         .team_id = u->team_id,
	                         .question_id = "q1",
	                         .topic = "t",
	                         .text = text,
	                         .score = score,
	                         .created_at = at,
	                         .copied = copied};

	store_answer_add(s, &a, NULL);
}

/*
 * Issue 22, what a daily reveal reads: the channel's reveal time, who
 * opted in to be quoted, each person's first answer between the post and
 * the reveal (the spread), the quotable ones (no pastes), and the post's
 * message id to reply to.
 */
static void test_reveal_reads(void)
{
	struct store *s = mem_store();
	struct store_user ann, bo, cy, dan;
	struct store_channel ch, again;
	struct store_quote q[4];
	struct store_post p;
	int counts[STORE_SCORES], answered = -1;
	bool on = true, claimed = false, revealed = false;
	size_t n = 9;

	CHECK_INT(store_user_ensure(s, "discord", "g1", "ann", "ann", 1, &ann), BOT_OK);
	CHECK_INT(store_user_ensure(s, "discord", "g1", "bo", "bo", 1, &bo), BOT_OK);
	CHECK_INT(store_user_ensure(s, "discord", "g1", "cy", "cy", 1, &cy), BOT_OK);
	CHECK_INT(store_user_ensure(s, "discord", "g1", "dan", "dan", 1, &dan), BOT_OK);
	CHECK_INT(store_channel_ensure(s, "discord", "g1", "c1", 1, &ch), BOT_OK);
	CHECK_STR(ch.daily.reveal, "");
	snprintf(ch.daily.reveal, sizeof(ch.daily.reveal), "17:00");
	CHECK_INT(store_channel_set_daily(s, ch.id, &ch.daily), BOT_OK);
	CHECK_INT(store_channel_ensure(s, "discord", "g1", "c1", 2, &again), BOT_OK);
	CHECK_STR(again.daily.reveal, "17:00");

	CHECK_INT(store_user_quote(s, ann.id, &on), BOT_OK);
	CHECK(!on); /* off until asked */
	CHECK_INT(store_user_set_quote(s, ann.id, true), BOT_OK);
	CHECK_INT(store_user_set_quote(s, cy.id, true), BOT_OK);
	CHECK_INT(store_user_quote(s, ann.id, &on), BOT_OK);
	CHECK(on);

	add_first(s, &bo, 10, 0, 50, "before the post");
	add_first(s, &ann, 40, 0, 100, "ann first");
	add_first(s, &bo, 70, 0, 150, "bo first in the window");
	add_first(s, &cy, 100, 80, 160, "cy pasted");
	add_first(s, &ann, 90, 0, 200, "ann again, coached");
	add_first(s, &dan, 60, 0, 1000, "after the reveal");
	CHECK_INT(store_question_firsts(s, ann.team_id, "q1", 100, 500, counts, &answered), BOT_OK);
	CHECK_INT(answered, 3);
	CHECK_INT(counts[40], 1);
	CHECK_INT(counts[70], 1);
	CHECK_INT(counts[100], 1);
	CHECK_INT(counts[90] + counts[10] + counts[60], 0);

	CHECK_INT(store_question_quotes(s, ann.team_id, "q1", 100, 500, 0, 60, q, 4, &n), BOT_OK);
	CHECK_INT((int)n, 1); /* cy pasted, bo did not opt in */
	CHECK_STR(q[0].name, "ann");
	CHECK_INT(q[0].score, 40);
	CHECK_STR(q[0].text, "ann first");
	CHECK_INT(store_user_set_quote(s, bo.id, true), BOT_OK);
	CHECK_INT(store_question_quotes(s, ann.team_id, "q1", 100, 500, 0, 60, q, 4, &n), BOT_OK);
	CHECK_INT((int)n, 2);
	CHECK_STR(q[0].name, "bo"); /* best first */
	CHECK_INT(store_question_quotes(s, ann.team_id, "q1", 100, 500, 0, 60, q, 1, &n), BOT_OK);
	CHECK_INT((int)n, 1);
	CHECK_INT(store_question_quotes(s, ann.team_id, "q1", 100, 500, 50, 60, q, 4, &n), BOT_OK);
	CHECK_INT((int)n, 1); /* ann's 40 is not among the best */
	CHECK_STR(q[0].name, "bo");

	CHECK_INT(store_channel_post_day(s, ch.id, "daily", 10, &p), BOT_ENOENT);
	CHECK_INT(store_channel_post_claim(s, ch.id, "daily", "q1", 10, 100, &claimed), BOT_OK);
	CHECK_INT(store_channel_post_sent(s, ch.id, "daily", 10, "1234567890123456789"), BOT_OK);
	CHECK_INT(store_channel_post_day(s, ch.id, "daily", 10, &p), BOT_OK);
	CHECK_STR(p.question_id, "q1");
	CHECK_STR(p.message_id, "1234567890123456789");
	CHECK_INT(p.posted_at, 100);
	CHECK_INT(store_channel_post_claim(s, ch.id, "reveal", "q1", 10, 500, &claimed), BOT_OK);
	CHECK(claimed);
	CHECK_INT(store_channel_posted(s, ch.id, "reveal", 10, &revealed), BOT_OK);
	CHECK(revealed);
	store_close(s);
}

/* The last accepted challenge seen, and its answer's text. */
struct accepted {
	struct store_challenge c;
	char text[64];
};

static void last_accepted(const struct store_challenge *c, const char *text, void *arg)
{
	struct accepted *last = arg;

	last->c = *c;
	snprintf(last->text, sizeof(last->text), "%s", text);
}

/*
 * Issue 22: a challenge of one missed key point; its ruling is written
 * once however often it is asked for; the user hears it once; reviewers
 * are per team; a forgotten user takes their challenges along.
 */
static void test_challenges(void)
{
	struct store *s = mem_store();
	struct store_user ann, rev, other;
	struct store_answer a = {.question_id = "q1",
	                         .topic = "t",
	                         .text = "On a miss we read the db.",
	                         .score = 25,
	                         .covered = 1,
	                         .created_at = 100,
	                         .points = 25,
	                         .matched = "0:3-24"};
	struct store_answer_row *row = xcalloc(1, sizeof(*row));
	struct store_challenge c, got, q[4];
	struct accepted last;
	struct store_member m[4];
	struct store_history h;
	bool done = false, any = true;
	size_t n = 0;
	int open = -1;
	int64_t aid = 0;

	CHECK_INT(store_user_ensure(s, "console", "local", "ann", "Ann", 1, &ann), BOT_OK);
	CHECK_INT(store_user_ensure(s, "console", "local", "rev", "Rev", 1, &rev), BOT_OK);
	CHECK_INT(store_user_ensure(s, "console", "other", "ann", "Ann2", 1, &other), BOT_OK);
	a.user_id = ann.id;
	a.team_id = ann.team_id;
	CHECK_INT(store_answer_add(s, &a, &aid), BOT_OK);
	CHECK(aid > 0);
	CHECK_INT(store_answer_get(s, aid, row), BOT_OK);
	CHECK_STR(row->text, "On a miss we read the db.");
	CHECK_STR(row->matched, "0:3-24");
	CHECK_STR(row->question_id, "q1");
	CHECK_INT(row->user_id, ann.id);
	CHECK_INT(row->covered, 1);
	CHECK_INT(row->points, 25);
	CHECK_INT(store_answer_get(s, aid + 99, row), BOT_ENOENT);

	memset(&c, 0, sizeof(c));
	c.answer_id = aid;
	c.team_id = ann.team_id;
	c.user_id = ann.id;
	snprintf(c.question_id, sizeof(c.question_id), "q1");
	c.point = 1;
	snprintf(c.point_text, sizeof(c.point_text), "The value is written into the cache");
	c.npoints = 4;
	c.created_at = 150;
	CHECK_INT(store_challenge_add(s, &c), BOT_OK);
	CHECK(c.id > 0);
	CHECK_INT(store_challenge_add(s, &c), BOT_EEXIST); /* once per point */
	CHECK_INT(store_challenge_open_count(s, ann.id, &open), BOT_OK);
	CHECK_INT(open, 1);
	CHECK_INT(store_challenge_find(s, aid, 1, &got), BOT_OK);
	CHECK_INT(got.id, c.id);
	CHECK_INT(store_challenge_find(s, aid, 2, &got), BOT_ENOENT);
	CHECK_INT(store_challenge_queue(s, ann.team_id, rev.id, q, 4, &n), BOT_OK);
	CHECK_INT(n, 1);
	CHECK_STR(q[0].user_name, "Ann");
	CHECK_INT(q[0].status, STORE_OPEN);
	CHECK_INT(store_challenge_queue(s, ann.team_id, ann.id, q, 4, &n), BOT_OK);
	CHECK_INT(n, 0); /* nobody rules on their own */
	CHECK_INT(store_challenge_queue(s, other.team_id, 0, q, 4, &n), BOT_OK);
	CHECK_INT(n, 0); /* another team's queue */
	CHECK_INT(store_challenge_open_total(s, ann.team_id, &open), BOT_OK);
	CHECK_INT(open, 1);

	got = c;
	got.status = STORE_ACCEPTED;
	got.reviewer_id = rev.id;
	got.ruled_at = 200;
	got.score_before = 25;
	got.score_after = 50;
	got.points_delta = 25;
	CHECK_INT(store_challenge_rule(s, &got, &done), BOT_OK);
	CHECK(done);
	got.status = STORE_REJECTED;
	CHECK_INT(store_challenge_rule(s, &got, &done), BOT_OK);
	CHECK(!done); /* ruled already: nothing written */
	CHECK_INT(store_challenge_get(s, c.id, &got), BOT_OK);
	CHECK_INT(got.status, STORE_ACCEPTED);
	CHECK_INT(got.ruled_at, 200);
	CHECK_INT(got.points_delta, 25);
	CHECK_STR(got.reviewer_name, "Rev");
	CHECK_INT(store_challenge_open_count(s, ann.id, &open), BOT_OK);
	CHECK_INT(open, 0);

	CHECK_INT(store_challenge_untold(s, ann.id, q, 4, &n), BOT_OK);
	CHECK_INT(n, 1);
	CHECK_INT(store_challenge_told(s, q[0].id), BOT_OK);
	CHECK_INT(store_challenge_untold(s, ann.id, q, 4, &n), BOT_OK);
	CHECK_INT(n, 0);
	memset(&last, 0, sizeof(last));
	CHECK_INT(store_challenge_each_accepted(s, last_accepted, &last), BOT_OK);
	CHECK_INT(last.c.id, c.id);
	CHECK_STR(last.c.point_text, "The value is written into the cache");
	CHECK_STR(last.text, "On a miss we read the db.");

	CHECK_INT(store_answer_regrade(s, aid, 50, 3, 50), BOT_OK);
	CHECK_INT(store_answer_get(s, aid, row), BOT_OK);
	CHECK_INT(row->score, 50);
	CHECK_INT(row->covered, 3);
	CHECK_INT(row->points, 50);
	/* What the answer's user had done with q1 before it, and after it. */
	CHECK_INT(store_reveal_add(s, ann.id, "q1", 90), BOT_OK);
	CHECK_INT(store_answer_history_before(s, row, &h), BOT_OK);
	CHECK_INT(h.last_answer, 0);
	CHECK_INT(h.last_reveal, 90);
	CHECK_INT(store_answer_points_after(s, row, 1000, &any), BOT_OK);
	CHECK(!any);
	a.created_at = 500;
	CHECK_INT(store_answer_add(s, &a, NULL), BOT_OK);
	CHECK_INT(store_answer_points_after(s, row, 1000, &any), BOT_OK);
	CHECK(any);
	CHECK_INT(store_answer_points_after(s, row, 300, &any), BOT_OK);
	CHECK(!any); /* outside the window */

	CHECK_INT(store_reviewer_add(s, rev.team_id, rev.id, 300, &done), BOT_OK);
	CHECK(done);
	CHECK_INT(store_reviewer_add(s, rev.team_id, rev.id, 301, &done), BOT_OK);
	CHECK(!done);
	CHECK_INT(store_reviewer_is(s, rev.team_id, rev.id, &done), BOT_OK);
	CHECK(done);
	CHECK_INT(store_reviewer_is(s, other.team_id, rev.id, &done), BOT_OK);
	CHECK(!done);
	CHECK_INT(store_reviewer_list(s, rev.team_id, m, 4, &n), BOT_OK);
	CHECK_INT(n, 1);
	CHECK_STR(m[0].name, "Rev");
	CHECK_STR(m[0].ext, "rev");
	CHECK_INT(store_reviewer_remove(s, rev.team_id, rev.id, &done), BOT_OK);
	CHECK(done);
	CHECK_INT(store_reviewer_remove(s, rev.team_id, rev.id, &done), BOT_OK);
	CHECK(!done);

	CHECK_INT(store_user_forget(s, ann.id), BOT_OK);
	CHECK_INT(store_challenge_get(s, c.id, &got), BOT_ENOENT);
	free(row);
	store_close(s);
}

/* Issue 22: a hidden user is on no board or recap list, and nobody's rank gives them away. */
static void test_hidden_on_no_board(void)
{
	struct store *s = mem_store();
	struct store_user a, b, c, d;
	struct store_rank_row rows[10];
	struct store_name_num names[5];
	struct store_answer ans = {
	    .question_id = "q1", .topic = "t", .text = "x", .created_at = 50};
	struct streak st;
	size_t n = 0;
	int rank = 0, hidden = -1;
	int64_t pts = 0;
	bool h = true;

	CHECK_INT(store_user_ensure(s, "slack", "T", "A", "Ann", 1, &a), BOT_OK);
	CHECK_INT(store_user_ensure(s, "slack", "T", "B", "Ben", 1, &b), BOT_OK);
	CHECK_INT(store_user_ensure(s, "slack", "T", "C", "Cy", 1, &c), BOT_OK);
	CHECK_INT(store_user_ensure(s, "slack", "T", "D", "Dee", 1, &d), BOT_OK);
	CHECK_INT(store_user_hidden(s, b.id, &h), BOT_OK);
	CHECK(!h);
	/* Ben 150; Dee reaches 100 first, then Ann, then Cy. */
	CHECK_INT(store_score_add(s, a.team_id, "all", b.id, 150, 8), BOT_OK);
	CHECK_INT(store_score_add(s, a.team_id, "all", d.id, 100, 9), BOT_OK);
	CHECK_INT(store_score_add(s, a.team_id, "all", a.id, 100, 11), BOT_OK);
	CHECK_INT(store_score_add(s, a.team_id, "all", c.id, 100, 12), BOT_OK);
	CHECK_INT(store_score_rank(s, a.team_id, "all", a.id, &rank, &pts), BOT_OK);
	CHECK_INT(rank, 3);
	CHECK_INT(store_user_set_hidden(s, b.id, true), BOT_OK);
	CHECK_INT(store_user_set_hidden(s, d.id, true), BOT_OK);
	CHECK_INT(store_user_hidden(s, b.id, &h), BOT_OK);
	CHECK(h);
	CHECK_INT(store_score_top(s, a.team_id, "all", rows, 10, &n), BOT_OK);
	CHECK_INT(n, 2);
	CHECK_STR(rows[0].name, "Ann");
	CHECK_STR(rows[1].name, "Cy");
	CHECK_INT(store_score_hidden(s, a.team_id, "all", &hidden), BOT_OK);
	CHECK_INT(hidden, 2);
	CHECK_INT(store_score_hidden(s, a.team_id, "w:1", &hidden), BOT_OK);
	CHECK_INT(hidden, 0);
	/* Ranks count the board ahead: Ann is first, not third behind Ben and Dee. */
	CHECK_INT(store_score_rank(s, a.team_id, "all", a.id, &rank, &pts), BOT_OK);
	CHECK_INT(rank, 1);
	CHECK_INT(store_score_rank(s, a.team_id, "all", c.id, &rank, &pts), BOT_OK);
	CHECK_INT(rank, 2);
	/* A hidden user's own rank is where they would stand, with their points. */
	CHECK_INT(store_score_rank(s, a.team_id, "all", b.id, &rank, &pts), BOT_OK);
	CHECK_INT(rank, 1);
	CHECK_INT(pts, 150);
	CHECK_INT(store_score_rank(s, a.team_id, "all", d.id, &rank, &pts), BOT_OK);
	CHECK_INT(rank, 1); /* Dee reached 100 before Ann */
	/* The recap's lists leave them out too. */
	ans.team_id = a.team_id;
	ans.user_id = a.id;
	ans.score = 80;
	CHECK_INT(store_answer_add(s, &ans, NULL), BOT_OK);
	ans.user_id = b.id;
	ans.score = 90;
	CHECK_INT(store_answer_add(s, &ans, NULL), BOT_OK);
	CHECK_INT(store_question_best(s, a.team_id, "q1", 0, names, 5, &n), BOT_OK);
	CHECK_INT(n, 1);
	CHECK_STR(names[0].name, "Ann");
	streak_init(&st);
	st.current = 5;
	CHECK_INT(store_streak_put(s, b.id, &st), BOT_OK);
	st.current = 3;
	CHECK_INT(store_streak_put(s, a.id, &st), BOT_OK);
	CHECK_INT(store_streak_leaders(s, a.team_id, names, 5, &n), BOT_OK);
	CHECK_INT(n, 1);
	CHECK_STR(names[0].name, "Ann");
	/* Shown again: back on every list. */
	CHECK_INT(store_user_set_hidden(s, b.id, false), BOT_OK);
	CHECK_INT(store_score_top(s, a.team_id, "all", rows, 10, &n), BOT_OK);
	CHECK_INT(n, 3);
	CHECK_STR(rows[0].name, "Ben");
	CHECK_INT(store_score_hidden(s, a.team_id, "all", &hidden), BOT_OK);
	CHECK_INT(hidden, 1);
	CHECK_INT(store_question_best(s, a.team_id, "q1", 0, names, 5, &n), BOT_OK);
	CHECK_INT(n, 2);
	CHECK_STR(names[0].name, "Ben");
	CHECK_INT(store_streak_leaders(s, a.team_id, names, 5, &n), BOT_OK);
	CHECK_STR(names[0].name, "Ben");
	store_close(s);
}

struct score_rows {
	struct store_score_row v[8];
	size_t n;
};

static void keep_score(const struct store_score_row *r, void *arg)
{
	struct score_rows *l = arg;

	if (l->n < 8)
		l->v[l->n++] = *r;
}

/* The board off and on; a new season counts only what comes after it and keeps the old. */
static void test_board_off_and_seasons(void)
{
	struct store *s = mem_store();
	struct store_user a;
	struct store_team t;
	struct store_rank_row rows[10];
	struct score_rows l = {.n = 0};
	size_t n = 0;
	int rank = 0;
	int64_t pts = 0;
	bool started = true;

	CHECK_INT(store_user_ensure(s, "slack", "T", "A", "Ann", 1, &a), BOT_OK);
	CHECK_INT(store_team_get(s, a.team_id, &t), BOT_OK);
	CHECK(!t.board_off);
	CHECK_INT(t.season, 0);
	CHECK_INT(t.season_start, 0);
	CHECK_INT(store_team_set_board(s, a.team_id, true), BOT_OK);
	CHECK_INT(store_team_get(s, a.team_id, &t), BOT_OK);
	CHECK(t.board_off);
	CHECK_INT(store_team_set_board(s, a.team_id, false), BOT_OK);
	CHECK_INT(store_team_get(s, a.team_id, &t), BOT_OK);
	CHECK(!t.board_off);
	CHECK_INT(store_score_add(s, a.team_id, "all", a.id, 100, 10), BOT_OK);
	/* Asked about another season than the team's: nothing starts. */
	CHECK_INT(store_team_season_start(s, a.team_id, 1, 400, &started), BOT_OK);
	CHECK(!started);
	CHECK_INT(store_team_season_start(s, a.team_id, 0, 500, &started), BOT_OK);
	CHECK(started);
	CHECK_INT(store_team_season_start(s, a.team_id, 0, 501, &started), BOT_OK);
	CHECK(!started); /* a second confirm of the same question */
	CHECK_INT(store_team_get(s, a.team_id, &t), BOT_OK);
	CHECK_INT(t.season, 1);
	CHECK_INT(t.season_start, 500);
	CHECK_INT(store_score_top(s, a.team_id, "all", rows, 10, &n), BOT_OK);
	CHECK_INT(n, 0);
	CHECK_INT(store_score_rank(s, a.team_id, "all", a.id, &rank, &pts), BOT_ENOENT);
	CHECK_INT(store_score_add(s, a.team_id, "all", a.id, 30, 600), BOT_OK);
	CHECK_INT(store_score_top(s, a.team_id, "all", rows, 10, &n), BOT_OK);
	CHECK_INT(n, 1);
	CHECK_INT(rows[0].points, 30);
	CHECK_INT(store_score_rank(s, a.team_id, "all", a.id, &rank, &pts), BOT_OK);
	CHECK_INT(pts, 30);
	CHECK_INT(store_score_each(s, a.id, keep_score, &l), BOT_OK);
	CHECK_INT(l.n, 2);
	CHECK_INT(l.v[0].season, 0);
	CHECK_INT(l.v[0].points, 100);
	CHECK_INT(l.v[1].season, 1);
	CHECK_STR(l.v[1].period, "all");
	CHECK_INT(l.v[1].points, 30);
	CHECK_INT(l.v[1].reached_at, 600);
	CHECK_INT(store_user_forget(s, a.id), BOT_OK);
	l.n = 0;
	CHECK_INT(store_score_each(s, a.id, keep_score, &l), BOT_OK);
	CHECK_INT(l.n, 0);
	store_close(s);
}

/* What the export reads: every row keyed to the user, as it was stored. */
struct user_rows {
	struct store_user_answer answers[4];
	char answer_text[4][64];
	size_t nanswers, ncards, nreveals, nserved;
	char card_qid[64];
	struct srs_state card;
	char reveal_qid[64], served_qid[64], served_why[64];
	int64_t reveal_at, served_at;
};

static void keep_answer(const struct store_user_answer *r, void *arg)
{
	struct user_rows *u = arg;

	if (u->nanswers < 4) {
		snprintf(u->answer_text[u->nanswers], 64, "%s", r->a.text);
		u->answers[u->nanswers++] = *r;
	}
}

static void keep_card(const char *qid, const struct srs_state *st, void *arg)
{
	struct user_rows *u = arg;

	u->ncards++;
	snprintf(u->card_qid, sizeof(u->card_qid), "%s", qid);
	u->card = *st;
}

static void keep_reveal(const char *qid, int64_t at, void *arg)
{
	struct user_rows *u = arg;

	u->nreveals++;
	snprintf(u->reveal_qid, sizeof(u->reveal_qid), "%s", qid);
	u->reveal_at = at;
}

static void keep_served(const char *qid, const char *reason, int64_t at, void *arg)
{
	struct user_rows *u = arg;

	u->nserved++;
	snprintf(u->served_qid, sizeof(u->served_qid), "%s", qid);
	snprintf(u->served_why, sizeof(u->served_why), "%s", reason);
	u->served_at = at;
}

static void test_user_rows_for_export(void)
{
	struct store *s = mem_store();
	struct store_user u, other;
	struct store_answer a = {.question_id = "q1",
	                         .topic = "t1",
	                         .text = "first",
	                         .score = 70,
	                         .covered = 5,
	                         .created_at = 100,
	                         .local_day = 3,
	                         .points = 80,
	                         .copied = 12};
	struct srs_state st;
	struct user_rows rows;
	int64_t id1 = 0, id2 = 0;

	memset(&rows, 0, sizeof(rows));
	CHECK_INT(store_user_ensure(s, "console", "local", "u", "U", 1, &u), BOT_OK);
	CHECK_INT(store_user_ensure(s, "console", "local", "o", "O", 1, &other), BOT_OK);
	a.user_id = u.id;
	a.team_id = u.team_id;
	CHECK_INT(store_answer_add(s, &a, &id1), BOT_OK);
	CHECK_INT(store_answer_self_grade(s, u.id, "q1", SRS_GOOD), BOT_OK);
	a.question_id = "q2";
	a.text = "second";
	a.created_at = 200;
	CHECK_INT(store_answer_add(s, &a, &id2), BOT_OK);
	a.user_id = other.id; /* someone else's rows never show */
	CHECK_INT(store_answer_add(s, &a, NULL), BOT_OK);
	CHECK_INT(store_reveal_add(s, other.id, "q1", 5), BOT_OK);
	srs_init(&st, 1000);
	st.card.stability = 3.25;
	st.card.reps = 2;
	CHECK_INT(store_srs_put(s, u.id, "q1", &st), BOT_OK);
	CHECK_INT(store_reveal_add(s, u.id, "q1", 300), BOT_OK);
	CHECK_INT(store_served_add(s, u.id, "q2", "review", 400), BOT_OK);
	CHECK_INT(store_answer_each(s, u.id, keep_answer, &rows), BOT_OK);
	CHECK_INT(store_srs_each(s, u.id, keep_card, &rows), BOT_OK);
	CHECK_INT(store_reveal_each(s, u.id, keep_reveal, &rows), BOT_OK);
	CHECK_INT(store_served_each(s, u.id, keep_served, &rows), BOT_OK);
	CHECK_INT(rows.nanswers, 2);
	CHECK_INT(rows.answers[0].id, id1);
	CHECK_STR(rows.answer_text[0], "first");
	CHECK_INT(rows.answers[0].self_grade, SRS_GOOD);
	CHECK_INT(rows.answers[0].a.score, 70);
	CHECK_INT(rows.answers[0].a.covered, 5);
	CHECK_INT(rows.answers[0].a.created_at, 100);
	CHECK_INT(rows.answers[0].a.local_day, 3);
	CHECK_INT(rows.answers[0].a.points, 80);
	CHECK_INT(rows.answers[0].a.copied, 12);
	CHECK_INT(rows.answers[0].a.team_id, u.team_id);
	CHECK_INT(rows.answers[1].id, id2);
	CHECK_STR(rows.answer_text[1], "second");
	CHECK_INT(rows.answers[1].self_grade, -1);
	CHECK_INT(rows.ncards, 1);
	CHECK_STR(rows.card_qid, "q1");
	CHECK_NEAR(rows.card.card.stability, 3.25, 0);
	CHECK_INT(rows.card.card.reps, 2);
	CHECK_INT(rows.card.card.due, st.card.due);
	CHECK_INT(rows.nreveals, 1);
	CHECK_STR(rows.reveal_qid, "q1");
	CHECK_INT(rows.reveal_at, 300);
	CHECK_INT(rows.nserved, 1);
	CHECK_STR(rows.served_qid, "q2");
	CHECK_STR(rows.served_why, "review");
	CHECK_INT(rows.served_at, 400);
	store_close(s);
}

/* Migration 11: scores of every period move to season 0 and still rank; nobody is hidden. */
static void test_migrate_board_privacy(void)
{
	const char *path = tmp_path("v10.db");
	struct store *s = NULL;
	struct store_user u;
	struct store_team t;
	struct buf err;
	int64_t pts = 0;
	int rank = 0;
	bool hidden = true;

	buf_init(&err, 512);
	CHECK_INT(store_open_at(&s, path, 10, &err), BOT_OK);
	CHECK_INT(store_user_ensure(s, "discord", "g1", "u1", "Ada", 1, &u), BOT_OK);
	store_close(s);
	CHECK_INT(sql_exec(path, "INSERT INTO scores VALUES (1, 'all', 1, 80, 5000),"
	                         " (1, 'w:20000', 1, 30, 5000);"),
	          SQLITE_OK);
	CHECK_INT(store_open(&s, path, &err), BOT_OK);
	CHECK_INT(store_score_rank(s, u.team_id, "w:20000", u.id, &rank, &pts), BOT_OK);
	CHECK_INT(pts, 30);
	CHECK_INT(rank, 1);
	CHECK_INT(store_score_add(s, u.team_id, "all", u.id, 5, 6000), BOT_OK);
	CHECK_INT(store_score_rank(s, u.team_id, "all", u.id, &rank, &pts), BOT_OK);
	CHECK_INT(pts, 85);
	CHECK_INT(store_team_get(s, u.team_id, &t), BOT_OK);
	CHECK_INT(t.season, 0);
	CHECK(!t.board_off);
	CHECK_INT(store_user_hidden(s, u.id, &hidden), BOT_OK);
	CHECK(!hidden);
	store_close(s);
	buf_cleanup(&err);
}

int main(void)
{
	T_RUN(test_migrate_empty);
	T_RUN(test_user_ensure_across_processes);
	T_RUN(test_migrate_from_previous_version);
	T_RUN(test_migrate_v3_to_fsrs);
	T_RUN(test_covered_per_user);
	T_RUN(test_concurrent_first_start);
	T_RUN(test_handled_events);
	T_RUN(test_migrate_renamed_question);
	T_RUN(test_damaged_file_refused_untouched);
	T_RUN(test_read_only_is_not_damage);
	T_RUN(test_reopen_keeps_data);
	T_RUN(test_refuses_foreign_file);
	T_RUN(test_refuses_other_sqlite_app);
	T_RUN(test_refuses_corrupt_and_newer);
	T_RUN(test_users_and_teams);
	T_RUN(test_srs_and_topics);
	T_RUN(test_leaderboard_ties_and_rank);
	T_RUN(test_forget_cascades);
	T_RUN(test_reveal_reads);
	T_RUN(test_challenges);
	T_RUN(test_hidden_on_no_board);
	T_RUN(test_board_off_and_seasons);
	T_RUN(test_user_rows_for_export);
	T_RUN(test_migrate_board_privacy);
	return t_done();
}
