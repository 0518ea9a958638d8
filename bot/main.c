/*
 * main.c - the drillbot command line: picks a subcommand and wires the
 * modules together. Nothing here knows a wire format or SQL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/util.h"
#include "console/console.h"
#include "bank/content.h"
#include "engine/engine.h"
#include "grade/grade.h"
#include "store/store.h"

#define MOD            "main"
#define DEFAULT_CONFIG "config/drillbot.ini"

#define DEFAULT_CONTENT_DIR "content"

static int usage(FILE *f)
{
	fprintf(f, "usage: drillbot [run] [-c config.ini]   run the bot (console mode without "
	           "Discord/Slack credentials)\n"
	           "       drillbot console [-c config.ini] play in the terminal\n"
	           "       drillbot content lint [dir] [--min-per-topic N]\n"
	           "       drillbot content grade <question-id> [dir] < answer.txt\n");
	return f == stderr ? 2 : 0;
}

static int load_bank(const char *dir, struct content *c)
{
	struct content_diag d;
	int err;

	content_diag_init(&d);
	err = content_load(c, dir, &d);
	if (err != BOT_OK)
		fputs(buf_str(&d.text), stderr);
	content_diag_cleanup(&d);
	return err;
}

static int cmd_content_lint(int argc, char **argv)
{
	const char *dir = DEFAULT_CONTENT_DIR;
	long min = 20;
	struct content c;
	struct content_diag d;
	int i, problems;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--min-per-topic") == 0 && i + 1 < argc) {
			if (util_parse_long(argv[++i], 0, 100000, &min) != BOT_OK)
				return usage(stderr);
		} else {
			dir = argv[i];
		}
	}
	if (load_bank(dir, &c) != BOT_OK)
		return 1;
	content_diag_init(&d);
	problems = content_lint(&c, (size_t)min, &d);
	fputs(buf_str(&d.text), stderr);
	if (problems == 0)
		printf("%s: %zu questions in %zu topics, no problems\n", dir, c.nquestions,
		       c.ntopics);
	else
		fprintf(stderr, "%s: %d problems\n", dir, problems);
	content_diag_cleanup(&d);
	content_cleanup(&c);
	return problems == 0 ? 0 : 1;
}

static int cmd_content_grade(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : DEFAULT_CONTENT_DIR;
	struct content c;
	const struct content_question *q;
	struct grader *g = NULL;
	struct grade_result r;
	char *text = NULL;
	int rc = 1;
	size_t i;

	if (argc < 1)
		return usage(stderr);
	if (load_bank(dir, &c) != BOT_OK)
		return 1;
	q = content_find(&c, argv[0]);
	if (q == NULL) {
		fprintf(stderr, "no question \"%s\" in %s\n", argv[0], dir);
		goto out;
	}
	if (util_read_file("/dev/stdin", 1 << 20, &text, NULL) != BOT_OK) {
		fprintf(stderr, "cannot read the answer from standard input\n");
		goto out;
	}
	g = grade_new();
	grade_answer(g, q, text, &r);
	printf("score %d/100%s%s\n", r.score, r.list_like ? " (reads as a list of terms)" : "",
	       r.verdict == GRADE_EMPTY      ? " (empty or \"don't know\")"
	       : r.verdict == GRADE_TOO_LONG ? " (over the length limit)"
	                                     : "");
	for (i = 0; i < q->npoints; i++)
		printf("  [%s] %s\n", (r.covered >> i) & 1 ? "x" : " ", q->points[i].text);
	rc = 0;
out:
	grade_free(g);
	free(text);
	content_cleanup(&c);
	return rc;
}

/* Everything a running bot holds, so shutdown frees it in one place. */
struct app {
	struct config cfg;
	struct content content;
	bool content_loaded;
	struct store *store;
	struct engine *engine;
	struct loop loop;
	bool loop_ready;
	struct console *console;
};

static int64_t wall_clock(void *arg)
{
	(void)arg;
	return (int64_t)time(NULL);
}

/* Creates the directory that will hold the database file, if missing. */
static void make_parent_dir(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			LOG_W(MOD, "cannot create %s: %s", dir, strerror(errno));
	}
	free(dir);
}

/*
 * Loads configuration: defaults, then the file (-c, DRILLBOT_CONFIG, or
 * config/drillbot.ini when present), then the environment, then tokens.
 */
static int load_config(struct config *cfg, const char *path)
{
	struct buf err;
	int rc = BOT_OK;
	bool explicit_path = path != NULL;

	buf_init(&err, 4096);
	config_init(cfg);
	if (path == NULL)
		path = getenv("DRILLBOT_CONFIG");
	explicit_path = explicit_path || path != NULL;
	if (path == NULL)
		path = DEFAULT_CONFIG;
	rc = config_load_file(cfg, path, &err);
	if (rc == BOT_ENOENT && !explicit_path)
		rc = BOT_OK;
	if (rc == BOT_OK)
		rc = config_load_env(cfg, NULL, &err);
	if (rc == BOT_OK)
		rc = config_load_tokens(cfg, &err);
	if (rc != BOT_OK)
		fprintf(stderr, "drillbot: %s\n", err.len > 0 ? buf_str(&err) : bot_strerror(rc));
	else
		log_set_level(cfg->log_level);
	buf_cleanup(&err);
	return rc;
}

static int open_app(struct app *a, const char *config_path)
{
	struct engine_opts eo;
	struct buf err;
	int rc;

	memset(a, 0, sizeof(*a));
	if (load_config(&a->cfg, config_path) != BOT_OK)
		return BOT_ECONFIG;
	if (load_bank(a->cfg.content_dir, &a->content) != BOT_OK) {
		fprintf(stderr,
		        "drillbot: the question bank in %s has errors (above); fix them or "
		        "set content_dir\n",
		        a->cfg.content_dir);
		return BOT_EINVAL;
	}
	a->content_loaded = true;
	make_parent_dir(a->cfg.database);
	buf_init(&err, 4096);
	rc = store_open(&a->store, a->cfg.database, &err);
	if (rc != BOT_OK)
		fprintf(stderr, "drillbot: %s\n", buf_str(&err));
	buf_cleanup(&err);
	if (rc != BOT_OK)
		return rc;
	memset(&eo, 0, sizeof(eo));
	eo.public_base_url = a->cfg.public_base_url;
	eo.default_tz = a->cfg.default_timezone;
	eo.rng_seed = a->cfg.rng_seed;
	a->engine = engine_new(&a->content, a->store, &eo);
	if (a->engine == NULL) {
		fprintf(stderr, "drillbot: the Snowball English stemmer is missing; install "
		                "libstemmer0d\n");
		return BOT_EINVAL;
	}
	return BOT_OK;
}

static void close_app(struct app *a)
{
	console_free(a->console);
	if (a->loop_ready)
		loop_cleanup(&a->loop);
	engine_free(a->engine);
	store_close(a->store);
	if (a->content_loaded)
		content_cleanup(&a->content);
	config_cleanup(&a->cfg);
	log_clear_secrets();
}

static int run_console(struct app *a)
{
	int rc = loop_init(&a->loop);

	if (rc != BOT_OK) {
		fprintf(stderr, "drillbot: cannot start the event loop: %s\n", bot_strerror(rc));
		return rc;
	}
	a->loop_ready = true;
	a->console = console_new(a->engine, stdout, wall_clock, NULL);
	console_greet(a->console);
	rc = console_attach(a->console, &a->loop);
	if (rc != BOT_OK) {
		fprintf(stderr, "drillbot: cannot read standard input: %s\n", bot_strerror(rc));
		return rc;
	}
	return loop_run(&a->loop);
}

/* "run" and "console": [-c config.ini]. */
static int cmd_run(int argc, char **argv, bool force_console)
{
	const char *config_path = NULL;
	struct app a;
	int rc;
	int i;

	for (i = 0; i < argc; i++) {
		if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) &&
		    i + 1 < argc)
			config_path = argv[++i];
		else
			return usage(stderr);
	}
	rc = open_app(&a, config_path);
	if (rc == BOT_OK && !force_console &&
	    (config_has_discord(&a.cfg) || config_has_slack(&a.cfg))) {
		fprintf(stderr, "drillbot: Discord and Slack credentials are set, but this build "
		                "has no Discord or Slack adapter yet; unset them (or run "
		                "`drillbot console`) to play in the terminal\n");
		rc = BOT_ECONFIG;
	}
	if (rc == BOT_OK) {
		LOG_I(MOD, "no Discord or Slack credentials: console mode on %s", a.cfg.database);
		rc = run_console(&a);
	}
	close_app(&a);
	return rc == BOT_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-')
		return argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		           ? usage(stdout)
		           : cmd_run(argc - 1, argv + 1, false);
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 2, argv + 2, false);
	if (strcmp(argv[1], "console") == 0)
		return cmd_run(argc - 2, argv + 2, true);
	if (argc >= 3 && strcmp(argv[1], "content") == 0) {
		if (strcmp(argv[2], "lint") == 0)
			return cmd_content_lint(argc - 3, argv + 3);
		if (strcmp(argv[2], "grade") == 0)
			return cmd_content_grade(argc - 3, argv + 3);
	}
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	                  strcmp(argv[1], "help") == 0))
		return usage(stdout);
	return usage(stderr);
}
