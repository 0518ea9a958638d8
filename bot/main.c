/*
 * main.c - the drillbot command line: picks a subcommand and wires the
 * modules together. Nothing here knows a wire format or SQL.
 */
#include <errno.h>
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libwebsockets.h>
#include <sqlite3.h>
#include <uv.h>

#include "app/app_config.h"
#include "base/config.h"
#include "discord/discord_config.h"
#include "slack/slack_config.h"
#include "base/err.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/util.h"
#include "console/console.h"
#include "discord/discord.h"
#include "drill/drill.h"
#include "base/tz.h"
#include "slack/slack.h"
#include "net/rest.h"
#include "net/ws.h"
#include "web/web.h"
#include "bank/content.h"
#include "engine/engine.h"
#include "grade/grade.h"
#include "store/store.h"

#define EXIT_REFUSED     78 /* EX_CONFIG: restarting cannot help */
#define MOD              "main"
#define DRILLBOT_VERSION "0.4.0-dev"
#define DEFAULT_CONFIG   "config/drillbot.ini"

#define DEFAULT_CONTENT_DIR "content"

/* Where `make install` put the bank; the Makefile passes $(PREFIX)/share/drillbot. */
#ifndef DRILLBOT_DATADIR
#define DRILLBOT_DATADIR "/usr/local/share/drillbot"
#endif

static bool has_bank(const char *dir)
{
	char path[4200];
	struct stat sb;

	if ((size_t)snprintf(path, sizeof(path), "%s/topics.ini", dir) >= sizeof(path))
		return false;
	return stat(path, &sb) == 0;
}

/*
 * The bank to load: content_dir when it was set to anything but its
 * default; else ./content when there is one (a checkout); else the
 * installed copy. NULL, after saying so, when there is none at all.
 */
static const char *bank_dir(const char *configured, char *buf, size_t size)
{
	if (strcmp(configured, "./content") != 0 || has_bank(configured))
		return configured;
	snprintf(buf, size, "%s/content", DRILLBOT_DATADIR);
	if (has_bank(buf))
		return buf;
	fprintf(stderr,
	        "drillbot: no question bank found: content_dir is not set, ./content has no "
	        "topics.ini, and the installed bank %s is missing. Set content_dir to a bank "
	        "directory, or install drillbot again (make install)\n",
	        buf);
	return NULL;
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

/* A count option's value ("--min-questions 365"); false, said, when it is not a number. */
static bool count_option(const char *name, const char *value, long example, long *out)
{
	if (util_parse_long(value, 0, 1000000, out) == BOT_OK)
		return true;
	fprintf(stderr, "drillbot: %s takes a number, not \"%s\": %s %ld\n", name, value, name,
	        example);
	return false;
}

static int cmd_content_lint(int argc, char **argv)
{
	const char *dir = DEFAULT_CONTENT_DIR;
	long min = 20, total = 365;
	struct content c;
	struct content_diag d;
	int i, problems;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--min-per-topic") == 0 && i + 1 < argc) {
			if (!count_option(argv[i], argv[i + 1], 20, &min))
				return 2;
			i++;
		} else if (strcmp(argv[i], "--min-questions") == 0 && i + 1 < argc) {
			if (!count_option(argv[i], argv[i + 1], 365, &total))
				return 2;
			i++;
		} else {
			dir = argv[i];
		}
	}
	if (load_bank(dir, &c) != BOT_OK)
		return 1;
	content_diag_init(&d);
	problems = content_lint(&c, (size_t)min, (size_t)total, &d);
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

/* Text of a user's answer for a terminal: controls but newlines shown as ^X, lines indented. */
static void print_answer_text(const char *text, const char *indent)
{
	const unsigned char *p = (const unsigned char *)text;

	fputs(indent, stdout);
	for (; *p != '\0'; p++) {
		if (*p == '\n')
			printf("\n%s", indent);
		else if (*p < 0x20 || *p == 0x7f)
			printf("^%c", *p == 0x7f ? '?' : *p + '@');
		else
			putchar(*p);
	}
	putchar('\n');
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
	       r.verdict == GRADE_EMPTY       ? " (nothing to grade)"
	       : r.verdict == GRADE_DONT_KNOW ? " (\"don't know\")"
	       : r.verdict == GRADE_TOO_LONG  ? " (over the length limit)"
	                                      : "");
	for (i = 0; i < q->npoints; i++) {
		const struct grade_span *sp = &r.matched[i < CONTENT_MAX_POINTS ? i : 0];
		printf("  [%s] %s\n", (r.covered >> i) & 1 ? "x" : " ", q->points[i].text);
		/* What the grader heard: the words to compare with the point's phrasings. */
		if ((r.covered >> i) & 1 && i < CONTENT_MAX_POINTS && sp->end > sp->start) {
			char *heard = xstrndup(text + sp->start, sp->end - sp->start);
			print_answer_text(heard, "      heard: ");
			free(heard);
		}
	}
	for (i = 0; i < q->nmisconceptions; i++) {
		if ((r.heard >> i) & 1)
			printf("  misconception heard: %s\n", q->misconceptions[i].text);
	}
	printf("copied from the model answer and key points: %d%%\n", r.copied);
	rc = 0;
out:
	grade_free(g);
	free(text);
	content_cleanup(&c);
	return rc;
}

/* Everything a running bot holds, so shutdown frees it in one place. */
/*
 * The bank loads on a thread of its own while the main thread opens the
 * store and the network clients (about 13 ms of a 65 ms start). It shares
 * nothing while it runs: content_load() reads files into its own struct
 * and prints nothing; the main thread waits for it (bank_wait) before
 * anything reads the bank, so from then on one thread owns everything.
 */
struct bank_load {
	uv_thread_t thread;
	bool started, running;
	char dir[4200];
	struct content_diag diag;
	int rc;
};

struct app {
	struct config cfg;
	struct content content;
	bool content_loaded;
	struct bank_load bank;
	struct store *store;
	struct engine *engine;
	struct loop loop;
	bool loop_ready;
	struct console *console;
	struct web *web;          /* the web pages, or NULL with web_listen = off */
	struct metrics *metrics;  /* what /metrics shows */
	struct discord *discord;  /* while Discord runs, for /healthz */
	struct drill *drill;      /* the daily drill's scheduler */
	int64_t clock_offset;     /* console --clock: seconds added to the wall clock */
	const char *console_user; /* console --user, or NULL for the admin "local" */
	struct slack *slack;      /* while Slack runs, for /healthz */
};

/* The clock requests and the daily drill read: the wall clock, moved by --clock. */
static int64_t wall_clock(void *arg)
{
	const struct app *a = arg;

	return (int64_t)time(NULL) + (a != NULL ? a->clock_offset : 0);
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
	app_config_init(cfg);
	if (path == NULL)
		path = getenv("DRILLBOT_CONFIG");
	explicit_path = explicit_path || path != NULL;
	if (path == NULL)
		path = DEFAULT_CONFIG;
	rc = config_load_file(cfg, path, &err);
	if (rc == BOT_ENOENT && !explicit_path)
		rc = BOT_OK;
	if (rc != BOT_OK)
		goto out;
	rc = config_load_env(cfg, NULL, &err);
	if (rc != BOT_OK)
		goto out;
	rc = config_load_tokens(cfg, &err);
	if (rc != BOT_OK)
		goto out;
	log_set_level(app_config(cfg)->log_level);
out:
	if (rc != BOT_OK)
		fprintf(stderr, "drillbot: %s\n", err.len > 0 ? buf_str(&err) : bot_strerror(rc));
	buf_cleanup(&err);
	return rc;
}

/* Loads config, bank, store and engine. */
static void bank_thread(void *arg)
{
	struct app *a = arg;

	a->bank.rc = content_load(&a->content, a->bank.dir, &a->bank.diag);
}

/* Starts loading the bank in dir (here and now if no thread can start). */
static void bank_start(struct app *a, const char *dir)
{
	snprintf(a->bank.dir, sizeof(a->bank.dir), "%s", dir);
	content_diag_init(&a->bank.diag);
	a->bank.started = true;
	a->bank.running = uv_thread_create(&a->bank.thread, bank_thread, a) == 0;
	if (!a->bank.running)
		bank_thread(a);
}

/*
 * Waits for the bank: BOT_OK once it is a->content, else BOT_EINVAL. With
 * say, its problems or its size are told; a start that failed already
 * only waits, so the thread writes nothing after the app is freed.
 */
static int bank_wait(struct app *a, bool say)
{
	int rc;

	if (!a->bank.started)
		return a->content_loaded ? BOT_OK : BOT_EINVAL;
	if (a->bank.running)
		uv_thread_join(&a->bank.thread);
	a->bank.running = a->bank.started = false;
	rc = a->bank.rc;
	a->content_loaded = rc == BOT_OK;
	if (say && rc != BOT_OK) {
		fputs(buf_str(&a->bank.diag.text), stderr);
		fprintf(stderr,
		        "drillbot: the question bank in %s has errors (above); fix them or "
		        "set content_dir\n",
		        a->bank.dir);
	} else if (say) {
		LOG_I("main", "question bank: %s (%zu questions)", a->bank.dir,
		      a->content.nquestions);
	}
	content_diag_cleanup(&a->bank.diag);
	return rc == BOT_OK ? BOT_OK : BOT_EINVAL;
}

/*
 * Loading the bank frees its files' text and the parser's buffers, which
 * leave holes in the heap that malloc keeps; hand those pages back, once.
 */
static void release_start_memory(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/*
 * Loads config and opens the store while the bank loads beside it;
 * app_engine() then waits for the bank and makes the engine.
 */
static int open_app(struct app *a, const char *config_path)
{
	char where[4200];
	const char *bank;
	struct buf err;
	int rc;

	memset(a, 0, sizeof(*a));
	if (load_config(&a->cfg, config_path) != BOT_OK)
		return BOT_ECONFIG;
	bank = bank_dir(app_config(&a->cfg)->content_dir, where, sizeof(where));
	if (bank == NULL)
		return BOT_EINVAL;
	bank_start(a, bank);
	make_parent_dir(app_config(&a->cfg)->database);
	buf_init(&err, 4096);
	rc = store_open(&a->store, app_config(&a->cfg)->database, &err);
	if (rc != BOT_OK)
		fprintf(stderr, "drillbot: %s\n", buf_str(&err));
	buf_cleanup(&err);
	return rc;
}

/* Waits for the bank and makes the engine over it and the store. */
static int app_engine(struct app *a)
{
	struct engine_opts eo;

	if (a->engine != NULL)
		return BOT_OK;
	if (bank_wait(a, true) != BOT_OK)
		return BOT_EINVAL;
	release_start_memory();
	a->metrics = xmalloc(sizeof(*a->metrics));
	metrics_init(a->metrics);
	memset(&eo, 0, sizeof(eo));
	eo.metrics = a->metrics;
	eo.public_base_url = app_config(&a->cfg)->public_base_url;
	eo.default_tz = app_config(&a->cfg)->default_timezone;
	eo.rng_seed = app_config(&a->cfg)->rng_seed;
	eo.srs_retention = app_config(&a->cfg)->srs_retention;
	/* Each question's grading compiles on its first answer (a third of a
	 * millisecond), not at start: the start and the first replies are not
	 * held up, and memory holds only the questions people answer. */
	eo.prepare_later = true;
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
	if (a->bank.started)
		bank_wait(a,
		          false); /* a failed start: the thread may still write into a->content */
	if (a->engine != NULL)
		engine_on_daily(a->engine, NULL, NULL);
	drill_free(a->drill);
	console_free(a->console);
	web_free(a->web);
	if (a->loop_ready)
		loop_cleanup(&a->loop);
	engine_free(a->engine);
	free(a->metrics);
	store_close(a->store);
	if (a->content_loaded)
		content_cleanup(&a->content);
	config_cleanup(&a->cfg);
	log_clear_secrets();
}

/*
 * With public_base_url left at its default, links follow where the pages
 * really are (web_listen = 127.0.0.1:0 in tests, another port on a laptop),
 * so a link in a reply opens; behind a proxy public_base_url is set anyway.
 */
static void follow_web_address(struct app *a, const char *host, int port)
{
	const char *shown = host;
	char url[300];

	if (strcmp(app_config(&a->cfg)->public_base_url, DEFAULT_PUBLIC_BASE_URL) != 0)
		return;
	if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0 ||
	    strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0)
		shown = "localhost";
	snprintf(url, sizeof(url), strchr(shown, ':') != NULL ? "http://[%s]:%d" : "http://%s:%d",
	         shown, port);
	if (strcmp(url, DEFAULT_PUBLIC_BASE_URL) != 0)
		engine_set_base_url(a->engine, url);
}

/* /healthz: the console, or each Discord shard and the Slack connection. */
static void health(void *arg, struct buf *json, bool *healthy)
{
	struct app *a = arg;

	if (a->discord != NULL)
		discord_health(a->discord, json, healthy);
	if (a->slack != NULL) {
		if (a->discord != NULL)
			buf_adds(json, ",");
		slack_health(a->slack, json, healthy);
	}
	if (a->discord == NULL && a->slack == NULL && a->console != NULL)
		buf_adds(json, "{\"name\":\"console\",\"state\":\"up\"}");
}

/* The web pages on the loop, unless web_listen = off. A port in use is a refusal. */
static int start_web(struct app *a)
{
	const struct app_settings *s = app_config(&a->cfg);
	struct web_deps deps;
	struct buf err;
	int rc;

	if (s->web_host == NULL)
		return BOT_OK;
	memset(&deps, 0, sizeof(deps));
	deps.loop = &a->loop;
	deps.content = &a->content;
	deps.store = a->store;
	deps.default_tz = s->default_timezone;
	deps.metrics = a->metrics;
	deps.health = health;
	deps.health_arg = a;
	buf_init(&err, 1024);
	rc = web_start(&a->web, &deps, s->web_host, s->web_port, &err);
	if (rc == BOT_OK)
		follow_web_address(a, s->web_host, web_port(a->web));
	if (rc != BOT_OK) {
		fprintf(stderr, "drillbot: %s\n", buf_str(&err));
		rc = BOT_ECONFIG;
	}
	buf_cleanup(&err);
	return rc;
}

/* The console's sink: the daily post is printed like any reply, at once. */
static void console_send(void *arg, const struct reply *r, const char *nonce, drill_done_fn done,
                         void *done_arg)
{
	struct app *a = arg;

	(void)nonce;
	console_post(a->console, r);
	done(done_arg, BOT_OK, "", NULL);
}

/* Discord's sink: a channel message through the REST rate limiter. */
static void discord_sink(void *arg, const struct reply *r, const char *nonce, drill_done_fn done,
                         void *done_arg)
{
	struct app *a = arg;

	discord_send(a->discord, r, nonce, done, done_arg);
}

/* Slack's sink: chat.postMessage within its per-channel limit. */
static void slack_sink(void *arg, const struct reply *r, const char *nonce, drill_done_fn done,
                       void *done_arg)
{
	struct app *a = arg;

	slack_send(a->slack, r, nonce, done, done_arg);
}

/* The daily drill's scheduler on the loop, hearing /daily's changes. */
static int start_drill(struct app *a)
{
	const struct app_settings *s = app_config(&a->cfg);
	struct drill_deps deps = {&a->loop, a->engine,           a->store,         wall_clock,
	                          a,        s->default_timezone, s->daily_catch_up};
	struct drill_sink console = {"console", console_send, a},
	                  discord = {"discord", discord_sink, a}, slack = {"slack", slack_sink, a};
	int rc = drill_new(&deps, &a->drill);

	if (rc == BOT_OK) {
		if (a->console != NULL)
			drill_add_sink(a->drill, &console);
		if (a->discord != NULL)
			drill_add_sink(a->drill, &discord);
		if (a->slack != NULL)
			drill_add_sink(a->drill, &slack);
		engine_on_daily(a->engine, drill_changed, a->drill);
		rc = drill_start(a->drill);
	}
	if (rc != BOT_OK)
		fprintf(stderr, "drillbot: cannot read the daily drill's channels: %s\n",
		        bot_strerror(rc));
	return rc;
}

static int run_console(struct app *a)
{
	int rc = loop_init(&a->loop);

	if (rc != BOT_OK) {
		fprintf(stderr, "drillbot: cannot start the event loop: %s\n", bot_strerror(rc));
		return rc;
	}
	a->loop_ready = true;
	if ((rc = start_web(a)) != BOT_OK)
		return rc;
	a->console = console_new(a->engine, stdout, wall_clock, a);
	if (a->console_user != NULL)
		console_set_user(a->console, a->console_user);
	/* Before the greeting, so its log line never lands after the prompt. */
	if ((rc = start_drill(a)) != BOT_OK)
		return rc;
	console_greet(a->console);
	rc = console_attach(a->console, &a->loop);
	if (rc != BOT_OK) {
		fprintf(stderr, "drillbot: cannot read standard input: %s\n", bot_strerror(rc));
		return rc;
	}
	return loop_run(&a->loop);
}

/* Slack stopped for good: the process ends with it unless Discord is still serving. */
static void on_slack_stop(void *arg)
{
	struct app *a = arg;

	if (a->discord != NULL && discord_status(a->discord) == BOT_OK)
		LOG_W(MOD, "Slack has stopped (above); Discord keeps running");
	else
		loop_stop(&a->loop);
}

/* Discord stopped for good: the process ends with it unless Slack is still serving. */
static void on_discord_stop(void *arg)
{
	struct app *a = arg;

	if (a->slack != NULL && slack_status(a->slack) == BOT_OK)
		LOG_W(MOD, "Discord has stopped (above); Slack keeps running");
	else
		loop_stop(&a->loop);
}

static struct slack *new_slack(struct app *a, struct rest *rest, struct ws_lib *ws)
{
	struct slack_deps deps;

	memset(&deps, 0, sizeof(deps));
	deps.loop = &a->loop;
	deps.rest = rest;
	deps.ws = ws;
	deps.engine = a->engine;
	deps.content = &a->content;
	deps.store = a->store;
	deps.cfg = slack_config(&a->cfg);
	deps.metrics = a->metrics;
	deps.on_stop = on_slack_stop;
	deps.stop_arg = a;
	deps.now = wall_clock;
	deps.now_arg = a;
	return slack_new(&deps);
}

static struct discord *new_discord(struct app *a, struct rest *rest, struct ws_lib *ws)
{
	struct discord_deps deps;

	memset(&deps, 0, sizeof(deps));
	deps.loop = &a->loop;
	deps.rest = rest;
	deps.ws = ws;
	deps.engine = a->engine;
	deps.content = &a->content;
	deps.store = a->store;
	deps.cfg = discord_config(&a->cfg);
	deps.metrics = a->metrics;
	deps.on_stop = on_discord_stop;
	deps.stop_arg = a;
	deps.now = wall_clock;
	deps.now_arg = a;
	return discord_new(&deps);
}

/*
 * The chat platforms on the one loop: Discord (the gateway and
 * interactions) and Slack (Socket Mode), whichever have credentials; or
 * (register not NULL) Discord's command registration alone, which needs
 * no gateway.
 */
static int run_platforms(struct app *a, const char *const *register_guild)
{
	struct ws_lib *ws = NULL;
	struct rest rest;
	bool with_discord = register_guild != NULL || discord_config_present(&a->cfg);
	bool with_slack = register_guild == NULL && slack_config_present(&a->cfg);
	bool serving;
	int ds, ss, rc = loop_init(&a->loop);

	if (rc != BOT_OK) {
		fprintf(stderr, "drillbot: cannot start the event loop: %s\n", bot_strerror(rc));
		return rc;
	}
	a->loop_ready = true;
	if ((rc = rest_init(&rest, &a->loop)) != BOT_OK) {
		fprintf(stderr, "drillbot: cannot start the HTTP client: %s\n", bot_strerror(rc));
		return rc;
	}
	if (register_guild == NULL && (rc = ws_lib_new(&ws, &a->loop)) != BOT_OK) {
		rest_cleanup(&rest);
		return rc;
	}
	/* The bank has loaded beside the clients' set-up (the CA bundle's ~20 ms). */
	if ((rc = app_engine(a)) != BOT_OK ||
	    (register_guild == NULL && (rc = start_web(a)) != BOT_OK)) {
		rest_cleanup(&rest);
		ws_lib_free(ws);
		return rc;
	}
	if (with_discord)
		a->discord = new_discord(a, &rest, ws);
	if (with_slack)
		a->slack = new_slack(a, &rest, ws);
	if (register_guild != NULL) {
		discord_register(a->discord, *register_guild);
	} else if ((rc = start_drill(a)) == BOT_OK) {
		LOG_I(MOD, "%s mode on %s",
		      with_discord && with_slack ? "Discord and Slack"
		      : with_discord             ? "Discord"
		                                 : "Slack",
		      app_config(&a->cfg)->database);
		if (a->discord != NULL)
			discord_start(a->discord);
		if (a->slack != NULL)
			slack_start(a->slack);
	}
	if (rc == BOT_OK) {
		loop_run(&a->loop);
		/* A platform still serving at the end makes it a clean stop; else the first
		 * refusal. */
		ds = a->discord != NULL ? discord_status(a->discord) : BOT_OK;
		ss = a->slack != NULL ? slack_status(a->slack) : BOT_OK;
		serving =
		    (a->discord != NULL && ds == BOT_OK) || (a->slack != NULL && ss == BOT_OK);
		rc = serving ? BOT_OK : ds != BOT_OK ? ds : ss;
	}
	rest_cleanup(&rest);
	discord_free(a->discord);
	a->discord = NULL;
	slack_free(a->slack);
	a->slack = NULL;
	ws_lib_free(ws);
	return rc;
}

/* "run" and "console". */
/* Which platform credentials are set, in words, or NULL for none. */
static const char *credentials_found(const struct config *cfg)
{
	bool d = discord_config_present(cfg), sl = slack_config_present(cfg);

	if (d && sl)
		return "Discord & Slack credentials are";
	if (d)
		return "a Discord token is";
	return sl ? "Slack tokens are" : NULL;
}

/*
 * The process's exit status: 0, 1 for a failure a restart may cure, and
 * 78 (EX_CONFIG of sysexits.h) for a refusal it cannot: a config error,
 * a bad bank, a damaged, foreign, newer or unwritable database. The
 * systemd unit stays down on 78 instead of restarting in a loop.
 */
static int exit_status(int rc)
{
	switch (rc) {
	case BOT_OK:
		return 0;
	case BOT_ECONFIG:
	case BOT_EINVAL:
	case BOT_ECORRUPT:
	case BOT_EPERM:
	case BOT_EVERSION:
		return EXIT_REFUSED;
	default:
		return 1;
	}
}

/* One Slack token without the other: says which is missing. */
static bool slack_half_set(const struct config *cfg)
{
	struct buf why;
	bool half;

	buf_init(&why, 1024);
	half = slack_config_half(cfg, &why);
	if (half)
		fprintf(stderr, "drillbot: %s\n", buf_str(&why));
	buf_cleanup(&why);
	return half;
}

static int run_bot(const char *config_path, bool force_console, int64_t clock_offset,
                   const char *console_user)
{
	const char *found;
	struct app a;
	int rc;

	rc = open_app(&a, config_path);
	if (rc != BOT_OK)
		goto out;
	a.clock_offset = clock_offset;
	a.console_user = console_user;
	found = credentials_found(&a.cfg);
	if (!force_console && slack_half_set(&a.cfg)) {
		rc = BOT_ECONFIG;
		goto out;
	}
	if (!force_console && found != NULL) {
		rc = run_platforms(&a, NULL);
		goto out;
	}
	if (found != NULL)
		LOG_I(MOD, "console mode on %s (%s set; `drillbot run` would use it)",
		      app_config(&a.cfg)->database, found);
	else
		LOG_I(MOD, "no Discord or Slack credentials: console mode on %s",
		      app_config(&a.cfg)->database);
	rc = app_engine(&a);
	if (rc == BOT_OK)
		rc = run_console(&a);
out:
	close_app(&a);
	return exit_status(rc);
}

/* ---- the subcommand table ---- */

/* What every subcommand may be given, before or after its name. */
struct globals {
	const char *config_path; /* -c, --config */
};

struct subcmd {
	const char *name; /* one or two words */
	const char *args; /* as shown in the usage */
	const char *help;
	int (*fn)(const struct globals *g, int argc, char **argv);
	int maxargs; /* positional arguments it takes; more is a usage error */
};

/*
 * [--clock 2026-03-29T08:59:50+02:00]: the clock of requests and of the
 * daily drill starts there and runs; *offset is what it adds to the wall
 * clock. -1 (after saying why) for anything else.
 */
static int clock_arg(const char *sub, int argc, char **argv, int64_t *offset)
{
	const char *clock = NULL;
	int64_t at = 0;

	*offset = 0;
	if (argc == 2 && strcmp(argv[0], "--clock") == 0)
		clock = argv[1];
	else if (argc == 1 && strncmp(argv[0], "--clock=", 8) == 0)
		clock = argv[0] + 8;
	else if (argc != 0)
		clock = "";
	if (clock != NULL && tz_parse_instant(clock, &at) != BOT_OK) {
		fprintf(stderr,
		        "drillbot: %s takes --clock with an RFC 3339 time, e.g. drillbot %s "
		        "--clock 2026-03-29T08:59:50+02:00\n",
		        sub, sub);
		return -1;
	}
	if (clock != NULL)
		*offset = at - (int64_t)time(NULL);
	return 0;
}

/* run [--clock TIME]: a moved clock is for trying the drill against the test fakes. */
static int sub_run(const struct globals *g, int argc, char **argv)
{
	int64_t offset;

	if (clock_arg("run", argc, argv, &offset) != 0)
		return 2;
	return run_bot(g->config_path, false, offset, NULL);
}

/* "--name value" or "--name=value" at argv[*i]: the value (and *i past it), or NULL. */
static const char *flag_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
		return argv[++*i];
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return NULL;
}

/* A console user name: what a platform's user id may be, e.g. alice. */
static bool console_user_ok(const char *u)
{
	size_t n = u != NULL ? strlen(u) : 0;

	return n > 0 && n < 64 &&
	       strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/*
 * console [--clock 2026-03-29T08:59:50+02:00] [--user alice]: the clock
 * starts there and runs; alice, a member who is not the admin, types.
 */
static int sub_console(const struct globals *g, int argc, char **argv)
{
	const char *user = NULL;
	bool user_given = false;
	int64_t offset;
	int i, n = 0;

	/* --user comes out first; what is left is the clock's. */
	for (i = 0; i < argc; i++) {
		const char *u = flag_value(argc, argv, &i, "--user");
		if (u != NULL || strcmp(argv[i], "--user") == 0) {
			user = u;
			user_given = true;
		} else {
			argv[n++] = argv[i];
		}
	}
	if (clock_arg("console", n, argv, &offset) != 0)
		return 2;
	if (user_given && !console_user_ok(user)) {
		fprintf(stderr, "drillbot: --user wants a name of letters, digits, '.', '_' or '-' "
		                "(up to 63), e.g. drillbot console --user alice\n");
		return 2;
	}
	return run_bot(g->config_path, true, offset, user);
}

/* register-commands [--guild ID] */
static int sub_register(const struct globals *g, int argc, char **argv)
{
	const char *guild = NULL;
	struct app a;
	int rc;

	if (argc == 2 && strcmp(argv[0], "--guild") == 0) {
		guild = argv[1];
	} else if (argc == 1 && strncmp(argv[0], "--guild=", 8) == 0) {
		guild = argv[0] + 8;
	} else if (argc != 0) {
		fprintf(stderr, "drillbot: register-commands takes only --guild ID: drillbot "
		                "register-commands --guild 123456789012345678\n");
		return 2;
	}
	if (guild != NULL && (strlen(guild) == 0 || strspn(guild, "0123456789") != strlen(guild))) {
		fprintf(stderr, "drillbot: --guild wants the server's ID, digits only (right-click "
		                "the server > Copy Server ID)\n");
		return 2;
	}
	rc = open_app(&a, g->config_path);
	if (rc == BOT_OK && !discord_config_present(&a.cfg)) {
		fprintf(stderr, "drillbot: register-commands needs the Discord token: set "
		                "discord_token_file or DRILLBOT_DISCORD_TOKEN\n");
		rc = BOT_ECONFIG;
	}
	if (rc == BOT_OK)
		rc = run_platforms(&a, &guild);
	close_app(&a);
	return exit_status(rc);
}

/* slack-manifest: the app manifest from the command table (and slack_command_prefix). */
static int sub_slack_manifest(const struct globals *g, int argc, char **argv)
{
	struct config cfg;
	char *text;

	(void)argc;
	(void)argv;
	if (load_config(&cfg, g->config_path) != BOT_OK)
		return EXIT_REFUSED;
	text = slack_manifest(slack_config_prefix(slack_config(&cfg)));
	fputs(text, stdout);
	free(text);
	config_cleanup(&cfg);
	return 0;
}

static int sub_lint(const struct globals *g, int argc, char **argv)
{
	(void)g;
	return cmd_content_lint(argc, argv);
}

static int sub_grade(const struct globals *g, int argc, char **argv)
{
	(void)g;
	if (argc < 1) {
		fprintf(stderr, "drillbot: content grade needs a question id: drillbot content "
		                "grade caching-strategies < answer.txt\n");
		return 2;
	}
	return cmd_content_grade(argc, argv);
}

struct accepted_list {
	char qid[STORE_ID_MAX];
	int point;
	size_t challenges, points;
};

static void print_accepted(const struct store_challenge *c, const char *text, void *arg)
{
	struct accepted_list *l = arg;
	time_t t = (time_t)c->ruled_at;
	struct tm tm;
	char day[16] = "?";

	if (strcmp(l->qid, c->question_id) != 0 || l->point != c->point) {
		printf("%s%s, key point %d: %s\n", l->challenges > 0 ? "\n" : "", c->question_id,
		       c->point + 1, c->point_text);
		snprintf(l->qid, sizeof(l->qid), "%s", c->question_id);
		l->point = c->point;
		l->points++;
	}
	if (gmtime_r(&t, &tm) != NULL)
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	printf("  challenge #%lld, accepted %s (score %d -> %d):\n", (long long)c->id, day,
	       c->score_before, c->score_after);
	print_answer_text(text, "    ");
	l->challenges++;
}

/*
 * content challenges [--db PATH]: the accepted challenges per question and
 * key point with the answers' words, so an author can add the phrasing the
 * grader missed (content/README.md), then check it with content grade.
 */
static int sub_content_challenges(const struct globals *g, int argc, char **argv)
{
	struct accepted_list l = {"", -1, 0, 0};
	const char *path = NULL;
	struct config cfg;
	struct store *s = NULL;
	struct buf err;
	bool cfg_loaded = false;
	int rc, i;

	for (i = 0; i < argc; i++) {
		const char *v = flag_value(argc, argv, &i, "--db");
		if (v == NULL) {
			fprintf(stderr,
			        "drillbot: content challenges takes only --db PATH, not `%s`: "
			        "drillbot content challenges --db /var/lib/drillbot/drillbot.db\n",
			        argv[i]);
			return 2;
		}
		path = v;
	}
	if (path == NULL) {
		if (load_config(&cfg, g->config_path) != BOT_OK)
			return EXIT_REFUSED;
		cfg_loaded = true;
		path = app_config(&cfg)->database;
	}
	buf_init(&err, 1024);
	/* A mistyped path must not leave a new empty database behind. */
	rc = access(path, F_OK) == 0 ? BOT_OK : BOT_ENOENT;
	if (rc != BOT_OK)
		buf_addf(&err,
		         "there is no database at %s; give drillbot's (its `database` setting)",
		         path);
	if (rc == BOT_OK)
		rc = store_open(&s, path, &err);
	if (rc == BOT_OK)
		rc = store_challenge_each_accepted(s, print_accepted, &l);
	if (rc == BOT_OK && l.challenges == 0)
		printf("%s: no accepted challenges yet\n", path);
	else if (rc == BOT_OK)
		printf(
		    "\n%zu accepted challenge%s of %zu key point%s. Add the words each answer used "
		    "to its point's phrasings (content/README.md), then check with `drillbot "
		    "content grade <id> < answer.txt`.\n",
		    l.challenges, l.challenges == 1 ? "" : "s", l.points, l.points == 1 ? "" : "s");
	else
		fprintf(stderr, "drillbot: %s\n",
		        err.len > 0 ? buf_str(&err) : "cannot read the challenges (see the log)");
	store_close(s);
	buf_cleanup(&err);
	if (cfg_loaded)
		config_cleanup(&cfg);
	return rc == BOT_OK ? 0 : 1;
}

static int sub_config_example(const struct globals *g, int argc, char **argv)
{
	struct config c;
	struct buf out;

	(void)g;
	(void)argc;
	(void)argv;
	app_config_init(&c);
	buf_init(&out, 1 << 20);
	config_example(&c, &out);
	fputs(buf_str(&out), stdout);
	buf_cleanup(&out);
	config_cleanup(&c);
	return 0;
}

/* export-site <dir>: the public pages as static files, from the configured bank. */
static int sub_export_site(const struct globals *g, int argc, char **argv)
{
	char where[4200];
	struct config cfg;
	struct content c;
	struct buf err;
	const char *bank;
	size_t files = 0;
	int rc;

	if (argc < 1) {
		fprintf(stderr,
		        "drillbot: export-site needs a folder to write: drillbot export-site "
		        "./site\n");
		return 2;
	}
	if (load_config(&cfg, g->config_path) != BOT_OK)
		return EXIT_REFUSED;
	bank = bank_dir(app_config(&cfg)->content_dir, where, sizeof(where));
	if (bank == NULL || load_bank(bank, &c) != BOT_OK) {
		config_cleanup(&cfg);
		return EXIT_REFUSED;
	}
	buf_init(&err, 1024);
	rc = web_export_site(&c, argv[0], &files, &err);
	if (rc == BOT_OK)
		printf("wrote %zu files to %s; open %s/index.html, or serve the folder from any "
		       "static host\n",
		       files, argv[0], argv[0]);
	else
		fprintf(stderr, "drillbot: %s\n", buf_str(&err));
	buf_cleanup(&err);
	content_cleanup(&c);
	config_cleanup(&cfg);
	return rc == BOT_OK ? 0 : 1;
}

static int sub_db_check(const struct globals *g, int argc, char **argv)
{
	struct config cfg;
	struct buf report;
	const char *path;
	int rc;

	(void)argc;
	(void)argv;
	if (load_config(&cfg, g->config_path) != BOT_OK)
		return 1;
	path = app_config(&cfg)->database;
	buf_init(&report, 4096);
	rc = store_check_file(path, &report);
	if (rc == BOT_OK)
		printf("%s: ok (integrity_check found no damage)\n", path);
	else if (rc == BOT_ECORRUPT)
		fprintf(stderr,
		        "%s is damaged:\n%sStop every drillbot using it, keep a copy of the file, "
		        "then restore the latest backup (README, \"Data and safety\").\n",
		        path, buf_str(&report));
	else
		fprintf(stderr, "drillbot: %s\n", buf_str(&report));
	buf_cleanup(&report);
	config_cleanup(&cfg);
	return rc == BOT_OK ? 0 : 1;
}

static int sub_db_backup(const struct globals *g, int argc, char **argv)
{
	struct config cfg;
	struct store *s = NULL;
	struct buf err;
	int rc;

	if (argc < 1) {
		fprintf(stderr, "drillbot: db backup needs a file to write: drillbot db backup "
		                "/var/backups/drillbot-2026-12-04.db\n");
		return 2;
	}
	if (load_config(&cfg, g->config_path) != BOT_OK)
		return 1;
	buf_init(&err, 1024);
	rc = store_open(&s, app_config(&cfg)->database, &err);
	if (rc == BOT_OK)
		rc = store_backup(s, argv[0], &err);
	if (rc == BOT_OK)
		printf("backed up %s to %s\n", app_config(&cfg)->database, argv[0]);
	else
		fprintf(stderr, "drillbot: %s\n", buf_str(&err));
	store_close(s);
	buf_cleanup(&err);
	config_cleanup(&cfg);
	return rc == BOT_OK ? 0 : 1;
}

static const struct subcmd subcmds[] = {
    {"run", "[--clock TIME]",
     "run the bot; console mode when no Discord or Slack credentials are set; --clock as "
     "console's (for tests)",
     sub_run, 2},
    {"console", "[--clock TIME] [--user NAME]",
     "play in the terminal, whatever the credentials; --clock starts the clock at TIME (RFC "
     "3339), --user plays as member NAME, not the admin",
     sub_console, 4},
    {"register-commands", "[--guild ID]",
     "register the slash commands with Discord (globally, or for one server)", sub_register, 2},
    {"slack-manifest", "",
     "print the Slack app manifest (JSON) to create the app from, at api.slack.com/apps",
     sub_slack_manifest, 0},
    {"content lint", "[dir] [--min-per-topic N] [--min-questions N]", "check the question bank",
     sub_lint, 5},
    {"content grade", "<question-id> [dir] < answer.txt",
     "show how an answer grades, point by point", sub_grade, 2},
    {"content challenges", "[--db PATH]",
     "the accepted challenges of grades, per question and key point, with the answers",
     sub_content_challenges, 2},
    {"config example", "", "print the example config file, every key with its default",
     sub_config_example, 0},
    {"export-site", "<dir>", "write the public pages as static files for any static host",
     sub_export_site, 1},
    {"db check", "", "run SQLite's full integrity check on the database (read-only)", sub_db_check,
     0},
    {"db backup", "<new-file>", "copy the database safely, even while the bot runs", sub_db_backup,
     1},
};

static int usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: drillbot [-c|--config FILE] [subcommand] [arguments]\n\n");
	for (i = 0; i < UTIL_ARRAY_LEN(subcmds); i++) {
		char left[64];
		snprintf(left, sizeof(left), "%s %s", subcmds[i].name, subcmds[i].args);
		fprintf(f, "  %-44s %s\n", left, subcmds[i].help);
	}
	fprintf(f,
	        "\n  -c, --config FILE   the INI file (default: $DRILLBOT_CONFIG, else "
	        "%s when present)\n"
	        "  -h, --help          this text\n"
	        "      --version       drillbot's version and its libraries'\n",
	        DEFAULT_CONFIG);
	return f == stderr ? 2 : 0;
}

static int version(void)
{
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
	char lws[64];
	size_t n;

	/* Debian's build reports "4.1.6-" with an empty git hash; show the number. */
	snprintf(lws, sizeof(lws), "%s", lws_get_library_version());
	n = strcspn(lws, " ");
	while (n > 0 && lws[n - 1] == '-')
		n--;
	lws[n] = '\0';
	printf("drillbot %s (libwebsockets %s, libcurl %s, jansson %s, SQLite %s, libuv %s)\n",
	       DRILLBOT_VERSION, lws, cv->version, jansson_version_str(), sqlite3_libversion(),
	       uv_version_string());
	return 0;
}

/* The subcommand named by the first one or two words, or NULL; *words says how many. */
static const struct subcmd *find_subcmd(int argc, char **argv, int *words)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(subcmds); i++) {
		const char *n = subcmds[i].name, *sp = strchr(n, ' ');
		if (sp == NULL && argc >= 1 && strcmp(argv[0], n) == 0) {
			*words = 1;
			return &subcmds[i];
		}
		if (sp != NULL && argc >= 2 && strncmp(argv[0], n, (size_t)(sp - n)) == 0 &&
		    argv[0][sp - n] == '\0' && strcmp(argv[1], sp + 1) == 0) {
			*words = 2;
			return &subcmds[i];
		}
	}
	return NULL;
}

static int unknown_subcmd(int argc, char **argv)
{
	char given[128];
	const char *best = NULL;
	size_t i, best_d = 3;

	snprintf(given, sizeof(given), "%s%s%s", argv[0], argc > 1 ? " " : "",
	         argc > 1 ? argv[1] : "");
	for (i = 0; i < UTIL_ARRAY_LEN(subcmds); i++) {
		size_t d = util_edit_distance(argv[0], subcmds[i].name);
		size_t d2 = util_edit_distance(given, subcmds[i].name);
		if (d2 < d)
			d = d2;
		if (d < best_d) {
			best_d = d;
			best = subcmds[i].name;
		}
	}
	/* "content lnt": name both words, since the first one was right. */
	for (i = 0; i < UTIL_ARRAY_LEN(subcmds); i++) {
		const char *sp = strchr(subcmds[i].name, ' ');
		if (sp != NULL &&
		    strncmp(argv[0], subcmds[i].name, (size_t)(sp - subcmds[i].name)) == 0 &&
		    argv[0][sp - subcmds[i].name] == '\0')
			argv[0] = given;
	}
	fprintf(stderr, "drillbot: unknown subcommand `%s`", argv[0]);
	if (best != NULL)
		fprintf(stderr, "; did you mean `drillbot %s`?", best);
	fprintf(stderr, "\nrun `drillbot --help` for the list\n");
	return 2;
}

/* Takes the global options out of argv wherever they stand; returns the new argc. */
static int take_globals(int argc, char **argv, struct globals *g, int *early)
{
	int i, n = 0;

	*early = -1;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr,
				        "drillbot: %s needs a file: drillbot -c "
				        "/etc/drillbot/drillbot.ini run\n",
				        argv[i]);
				*early = 2;
				return 0;
			}
			g->config_path = argv[++i];
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			g->config_path = argv[i] + 9;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			*early = usage(stdout);
		} else if (strcmp(argv[i], "--version") == 0) {
			*early = version();
		} else {
			argv[n++] = argv[i];
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	struct globals g = {NULL};
	const struct subcmd *sc;
	int early, words = 0, n;

	n = take_globals(argc - 1, argv + 1, &g, &early);
	if (early >= 0)
		return early;
	argv++;
	if (n == 0)
		return sub_run(&g, 0, argv);
	if (strcmp(argv[0], "help") == 0)
		return usage(stdout);
	sc = find_subcmd(n, argv, &words);
	if (sc == NULL)
		return unknown_subcmd(n, argv);
	if (n - words > sc->maxargs) {
		fprintf(stderr, "drillbot: `%s` takes %s%s; got `%s`\n", sc->name,
		        sc->args[0] != '\0' ? sc->args : "no arguments", "", argv[words]);
		return 2;
	}
	return sc->fn(&g, n - words, argv + words);
}
