/*
 * content.c - loads and checks the question bank. Parsing is line based:
 * a "---" header of "key: value" lines, then four "## " sections. Every
 * problem is reported with the file and line it was found on, so an
 * author can fix the bank from the lint output alone.
 */
#include "bank/content.h"

#include <ctype.h>
#include <dirent.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/err.h"
#include "grade/words.h"

#define MAX_TOPICS         32
#define MAX_LIST           32
#define DIAG_CAP           (1024 * 1024)
#define MAX_SYNONYM_GROUPS 256

enum section {
	SEC_NONE,
	SEC_QUESTION,
	SEC_ANSWER,
	SEC_POINTS,
	SEC_MISCONCEPTIONS,
	SEC_FOLLOWUPS,
	SEC_COUNT
};

static const char *section_names[SEC_COUNT] = {
    [SEC_QUESTION] = "Question",    [SEC_ANSWER] = "Model answer",
    [SEC_POINTS] = "Key points",    [SEC_MISCONCEPTIONS] = "Misconceptions",
    [SEC_FOLLOWUPS] = "Follow-ups",
};

#define SECTION_ORDER "Question, Model answer, Key points, Misconceptions, Follow-ups"

/* Misconceptions is optional until every question has one (the grading issue). */
static bool section_optional(enum section s)
{
	return s == SEC_MISCONCEPTIONS;
}

void content_diag_init(struct content_diag *d)
{
	buf_init(&d->text, DIAG_CAP);
	d->count = 0;
}

void content_diag_cleanup(struct content_diag *d)
{
	buf_cleanup(&d->text);
}

static void diag(struct content_diag *d, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void diag(struct content_diag *d, const char *path, int line, const char *fmt, ...)
{
	va_list ap;

	d->count++;
	if (line > 0)
		buf_addf(&d->text, "%s:%d: ", path, line);
	else
		buf_addf(&d->text, "%s: ", path);
	va_start(ap, fmt);
	buf_vaddf(&d->text, fmt, ap);
	va_end(ap);
	buf_adds(&d->text, "\n");
}

static void free_list(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Splits "a, b ,c" into trimmed, non-empty strings. */
static size_t split_list(const char *s, char ***out)
{
	char *copy = xstrdup(s);
	char *p = copy;
	size_t n = 0;
	char **v = xcalloc(MAX_LIST, sizeof(*v));

	while (p != NULL && n < MAX_LIST) {
		char *comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		util_trim(p);
		if (*p != '\0')
			v[n++] = xstrdup(p);
		p = comma != NULL ? comma + 1 : NULL;
	}
	free(copy);
	*out = v;
	return n;
}

/* ---- topics.ini ---- */

struct topic_parse {
	struct content *c;
	struct content_diag *d;
	const char *path;
};

static struct content_topic *topic_get(struct content *c, const char *slug)
{
	size_t i;

	for (i = 0; i < c->ntopics; i++) {
		if (strcmp(c->topics[i].slug, slug) == 0)
			return &c->topics[i];
	}
	if (c->ntopics == MAX_TOPICS)
		return NULL;
	c->topics[c->ntopics].slug = xstrdup(slug);
	c->topics[c->ntopics].max_answer_words = 400;
	return &c->topics[c->ntopics++];
}

static int topic_handler(void *user, const char *section, const char *name, const char *value)
{
	struct topic_parse *tp = user;
	struct content_topic *t;

	if (*section == '\0')
		return 0;
	t = topic_get(tp->c, section);
	if (t == NULL)
		return 0;
	if (strcmp(name, "name") == 0 && t->name == NULL) {
		t->name = xstrdup(value);
	} else if (strcmp(name, "aliases") == 0 && t->aliases == NULL) {
		t->naliases = split_list(value, &t->aliases);
	} else if (strcmp(name, "max_answer_words") == 0) {
		long n;
		if (util_parse_long(value, 150, 1000, &n) != BOT_OK)
			return 0;
		t->max_answer_words = (size_t)n;
	} else {
		return 0;
	}
	return 1;
}

static int load_topics(struct content *c, const char *dir, struct content_diag *d)
{
	char *path = xasprintf("%s/topics.ini", dir);
	struct topic_parse tp = {c, d, path};
	int rc;
	size_t i;
	int err = BOT_OK;

	c->topics = xcalloc(MAX_TOPICS, sizeof(*c->topics));
	rc = ini_parse(path, topic_handler, &tp);
	if (rc < 0) {
		diag(d, path, 0, "cannot read the topic table; create it (see content/README.md)");
		err = BOT_EINVAL;
	} else if (rc > 0) {
		diag(d, path, rc,
		     "expected \"[slug]\", \"name = ...\" or \"aliases = a, b\" (once each per "
		     "topic)");
		err = BOT_EINVAL;
	}
	for (i = 0; err == BOT_OK && i < c->ntopics; i++) {
		if (c->topics[i].name == NULL) {
			diag(d, path, 0, "topic [%s] has no name; add \"name = ...\"",
			     c->topics[i].slug);
			err = BOT_EINVAL;
		}
	}
	if (err == BOT_OK && c->ntopics == 0) {
		diag(d, path, 0, "no topics defined");
		err = BOT_EINVAL;
	}
	free(path);
	return err;
}

/* ---- one question file ---- */

struct qparse {
	struct content_question *q;
	struct content_diag *d;
	const char *path;
	const struct content *c;
	const char *folder_topic;
	int line;
	enum section sec;
	bool seen[SEC_COUNT];
	struct buf text[SEC_COUNT];
	int bad;
	int last_line;
};

static void qerr(struct qparse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void qerr(struct qparse *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(p->d, p->path, p->line, "%s", msg);
	p->bad++;
}

static bool valid_id(const char *id)
{
	const char *s;

	if (*id == '\0' || !islower((unsigned char)*id))
		return false;
	for (s = id; *s != '\0'; s++) {
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return false;
	}
	return true;
}

static void header_line(struct qparse *p, char *line)
{
	struct content_question *q = p->q;
	char *colon = strchr(line, ':');
	char *key, *val;
	long n;

	if (colon == NULL) {
		qerr(p, "expected \"key: value\" in the header");
		return;
	}
	*colon = '\0';
	key = util_trim(line);
	val = util_trim(colon + 1);
	if (strcmp(key, "id") == 0 && q->id == NULL) {
		q->id = xstrdup(val);
		if (!valid_id(val))
			qerr(p, "id \"%s\" must be lower-case letters, digits and '-'", val);
	} else if (strcmp(key, "topic") == 0 && q->topic == (size_t)-1) {
		size_t i;
		for (i = 0; i < p->c->ntopics; i++) {
			if (strcmp(p->c->topics[i].slug, val) == 0)
				q->topic = i;
		}
		if (q->topic == (size_t)-1)
			qerr(p, "unknown topic \"%s\"; use a slug from topics.ini", val);
		else if (strcmp(val, p->folder_topic) != 0)
			qerr(p, "topic \"%s\" does not match the folder \"%s\"", val,
			     p->folder_topic);
	} else if (strcmp(key, "difficulty") == 0 && q->difficulty == 0) {
		if (util_parse_long(val, 1, 3, &n) != BOT_OK)
			qerr(p, "difficulty must be 1, 2 or 3, not \"%s\"", val);
		else
			q->difficulty = (int)n;
	} else if (strcmp(key, "sources") == 0 && q->sources == NULL) {
		q->nsources = split_list(val, &q->sources);
	} else if (strcmp(key, "related") == 0 && q->related == NULL) {
		q->nrelated = split_list(val, &q->related);
		q->related_line = p->line;
	} else {
		qerr(p,
		     "unknown or repeated header key \"%s\" (id, topic, difficulty, sources, "
		     "related)",
		     key);
	}
}

static enum section section_of(const char *name)
{
	int s;
	for (s = SEC_QUESTION; s < SEC_COUNT; s++) {
		if (strcmp(name, section_names[s]) == 0)
			return (enum section)s;
	}
	return SEC_NONE;
}

/* The section that must come next after cur, skipping optional ones up to s. */
static bool section_in_order(enum section cur, enum section s)
{
	enum section next = (enum section)(cur + 1);

	while (next < s && section_optional(next))
		next = (enum section)(next + 1);
	return s == next;
}

static void heading(struct qparse *p, const char *line)
{
	enum section s = section_of(line + 3);

	if (s == SEC_NONE) {
		qerr(p, "unknown section \"%s\" (" SECTION_ORDER ")", line + 3);
	} else if (p->seen[s]) {
		qerr(p, "section \"%s\" appears twice", section_names[s]);
	} else if (!section_in_order(p->sec, s)) {
		qerr(p, "section \"%s\" is out of order (" SECTION_ORDER ")", section_names[s]);
	}
	if (s != SEC_NONE) {
		p->seen[s] = true;
		p->sec = s;
		if (s == SEC_ANSWER)
			p->q->answer_line = p->line;
		if (s == SEC_POINTS)
			p->q->points_line = p->line;
		if (s == SEC_FOLLOWUPS)
			p->q->followups_line = p->line;
	}
}

/* Starts a point (key point or rubric point) in the array v of n entries. */
static void point_start(struct qparse *p, struct content_point *v, size_t *n, size_t max,
                        const char *text)
{
	struct content_point *pt;

	if (*n == max) {
		qerr(p, "more than %zu points here", max);
		return;
	}
	pt = &v[(*n)++];
	pt->text = util_trim(xstrdup(text));
	pt->phrasings = xcalloc(MAX_LIST, sizeof(char *));
	pt->line = p->line;
}

static void phrasing_add(struct qparse *p, char **v, size_t *n, const char *text)
{
	if (*n == MAX_LIST) {
		qerr(p, "more than %d phrasings", MAX_LIST);
		return;
	}
	v[(*n)++] = util_trim(xstrdup(text));
}

static void point_line(struct qparse *p, const char *line)
{
	struct content_question *q = p->q;

	if (strncmp(line, "- ", 2) == 0) {
		point_start(p, q->points, &q->npoints, CONTENT_MAX_POINTS, line + 2);
	} else if (strncmp(line, "  - ", 4) == 0) {
		struct content_point *pt;
		if (q->npoints == 0) {
			qerr(p, "a phrasing must follow a key point (\"- point\")");
			return;
		}
		pt = &q->points[q->npoints - 1];
		phrasing_add(p, pt->phrasings, &pt->nphrasings, line + 4);
	} else {
		qerr(p, "expected \"- key point\" or \"  - phrasing\" (two spaces)");
	}
}

/* "  - correction: ...", "  - contradicts: N" or a phrasing of a misconception. */
static void misconception_item(struct qparse *p, struct content_misconception *m, const char *item)
{
	long n;

	if (strncmp(item, "correction:", 11) == 0) {
		if (m->correction != NULL)
			qerr(p, "a second \"correction:\" for this misconception");
		else
			m->correction = util_trim(xstrdup(item + 11));
	} else if (strncmp(item, "contradicts:", 12) == 0) {
		char *v = util_trim(xstrdup(item + 12));
		if (util_parse_long(v, 1, CONTENT_MAX_POINTS, &n) != BOT_OK ||
		    (size_t)n > p->q->npoints)
			qerr(p, "contradicts: \"%s\" must be the number of a key point, 1 to %zu",
			     v, p->q->npoints);
		else
			m->contradicts = (size_t)n - 1;
		free(v);
	} else {
		phrasing_add(p, m->phrasings, &m->nphrasings, item);
	}
}

static void misconception_line(struct qparse *p, const char *line)
{
	struct content_question *q = p->q;
	struct content_misconception *m;

	if (strncmp(line, "- ", 2) == 0) {
		if (q->nmisconceptions == CONTENT_MAX_MISCONCEPTIONS) {
			qerr(p, "more than %d misconceptions", CONTENT_MAX_MISCONCEPTIONS);
			return;
		}
		m = &q->misconceptions[q->nmisconceptions++];
		m->text = util_trim(xstrdup(line + 2));
		m->contradicts = (size_t)-1;
		m->phrasings = xcalloc(MAX_LIST, sizeof(char *));
		m->line = p->line;
	} else if (strncmp(line, "  - ", 4) == 0 && q->nmisconceptions > 0) {
		misconception_item(p, &q->misconceptions[q->nmisconceptions - 1], line + 4);
	} else {
		qerr(p, "expected \"- misconception\", then \"  - correction: ...\", "
		        "\"  - contradicts: N\" and \"  - phrasing\" lines");
	}
}

static void followup_line(struct qparse *p, const char *line)
{
	struct content_question *q = p->q;
	struct content_followup *f = q->nfollowups > 0 ? &q->followups[q->nfollowups - 1] : NULL;

	if (strncmp(line, "- ", 2) == 0) {
		if (q->nfollowups == CONTENT_MAX_FOLLOWUPS) {
			qerr(p, "more than %d follow-ups", CONTENT_MAX_FOLLOWUPS);
			return;
		}
		f = &q->followups[q->nfollowups++];
		f->text = util_trim(xstrdup(line + 2));
		f->points = xcalloc(CONTENT_MAX_RUBRIC, sizeof(*f->points));
		f->line = p->line;
	} else if (f != NULL && strncmp(line, "  - ", 4) == 0) {
		point_start(p, f->points, &f->npoints, CONTENT_MAX_RUBRIC, line + 4);
	} else if (f != NULL && f->npoints > 0 && strncmp(line, "    - ", 6) == 0) {
		struct content_point *pt = &f->points[f->npoints - 1];
		phrasing_add(p, pt->phrasings, &pt->nphrasings, line + 6);
	} else if (f != NULL && f->npoints == 0 && strncmp(line, "  ", 2) == 0 && line[2] != ' ') {
		/* A follow-up question wrapped onto a second line. */
		char *joined = xasprintf("%s %s", f->text, line + 2);
		free(f->text);
		f->text = util_trim(joined);
	} else {
		qerr(p, "expected \"- follow-up\", \"  - rubric point\" (two spaces) or "
		        "\"    - phrasing\" (four spaces)");
	}
}

static void body_line(struct qparse *p, const char *line)
{
	bool blank = line[strspn(line, " \t")] == '\0';

	switch (p->sec) {
	case SEC_QUESTION:
	case SEC_ANSWER:
		buf_adds(&p->text[p->sec], line);
		buf_adds(&p->text[p->sec], "\n");
		break;
	case SEC_POINTS:
		if (!blank)
			point_line(p, line);
		break;
	case SEC_MISCONCEPTIONS:
		if (!blank)
			misconception_line(p, line);
		break;
	case SEC_FOLLOWUPS:
		if (!blank)
			followup_line(p, line);
		break;
	case SEC_NONE:
	case SEC_COUNT:
		if (!blank)
			qerr(p, "text before the first section; start with \"## Question\"");
		break;
	}
}

static void check_required(struct qparse *p)
{
	struct content_question *q = p->q;
	int s;

	p->line = 1;
	if (q->id == NULL)
		qerr(p, "the header has no \"id:\"");
	if (q->topic == (size_t)-1 && p->bad == 0)
		qerr(p, "the header has no \"topic:\"");
	if (q->difficulty == 0 && p->bad == 0)
		qerr(p, "the header has no \"difficulty:\" (1, 2 or 3)");
	/* Missing sections are reported at the end of the file, where they belong. */
	p->line = p->last_line;
	for (s = SEC_QUESTION; s < SEC_COUNT; s++) {
		if (!p->seen[s] && !section_optional((enum section)s))
			qerr(p, "missing section \"## %s\"", section_names[s]);
	}
	if (p->seen[SEC_QUESTION] && buf_str(&p->text[SEC_QUESTION])[0] == '\0')
		qerr(p, "the Question section is empty");
	if (p->seen[SEC_ANSWER] && content_word_count(buf_str(&p->text[SEC_ANSWER])) == 0)
		qerr(p, "the Model answer section is empty");
	if (p->seen[SEC_POINTS] && q->npoints == 0)
		qerr(p, "the Key points section has no points");
}

/* Splits the file into lines and feeds the header and section parsers. */
static void parse_lines(struct qparse *p, char *text)
{
	char *line = text;
	bool in_header = false;
	bool header_done = false;

	while (line != NULL) {
		char *nl = strchr(line, '\n');
		size_t len;
		if (nl != NULL)
			*nl = '\0';
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		p->line++;
		if (p->line == 1 && strcmp(line, "---") != 0) {
			qerr(p, "the file must start with a \"---\" header line");
			header_done = true;
		}
		if (p->line == 1 && strcmp(line, "---") == 0) {
			in_header = true;
		} else if (in_header) {
			if (strcmp(line, "---") == 0) {
				in_header = false;
				header_done = true;
			} else {
				header_line(p, line);
			}
		} else if (header_done && strncmp(line, "## ", 3) == 0) {
			heading(p, line);
		} else if (header_done) {
			body_line(p, line);
		}
		line = nl != NULL ? nl + 1 : NULL;
	}
	if (in_header)
		qerr(p, "the header is not closed with \"---\"");
	p->last_line = p->line;
}

/* n elements of size each at v, reallocated to exactly that (at least one). */
static void *fit(void *v, size_t n, size_t size)
{
	return v == NULL ? NULL : xrealloc(v, (n > 0 ? n : 1) * size);
}

static void points_fit(struct content_point *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i].phrasings = fit(v[i].phrasings, v[i].nphrasings, sizeof(char *));
}

/*
 * The parser fills arrays of the most a file may hold; a loaded bank keeps
 * only what each question uses (1.2 MB less for 365 questions).
 */
static void question_fit(struct content_question *q)
{
	size_t i;

	if (q->question != NULL)
		q->question = fit(q->question, strlen(q->question) + 1, 1);
	if (q->answer != NULL)
		q->answer = fit(q->answer, strlen(q->answer) + 1, 1);
	points_fit(q->points, q->npoints);
	q->points = fit(q->points, q->npoints, sizeof(*q->points));
	for (i = 0; i < q->nmisconceptions; i++)
		q->misconceptions[i].phrasings =
		    fit(q->misconceptions[i].phrasings, q->misconceptions[i].nphrasings,
		        sizeof(char *));
	q->misconceptions = fit(q->misconceptions, q->nmisconceptions, sizeof(*q->misconceptions));
	for (i = 0; i < q->nfollowups; i++) {
		struct content_followup *f = &q->followups[i];
		points_fit(f->points, f->npoints);
		f->points = fit(f->points, f->npoints, sizeof(*f->points));
	}
	q->followups = fit(q->followups, q->nfollowups, sizeof(*q->followups));
}

static int parse_question(struct content *c, const char *path, const char *folder_topic,
                          struct content_question *q, struct content_diag *d)
{
	struct qparse p;
	char *text = NULL;
	int err;
	int s;

	memset(&p, 0, sizeof(p));
	memset(q, 0, sizeof(*q));
	q->topic = (size_t)-1;
	q->path = xstrdup(path);
	q->points = xcalloc(CONTENT_MAX_POINTS, sizeof(*q->points));
	q->misconceptions = xcalloc(CONTENT_MAX_MISCONCEPTIONS, sizeof(*q->misconceptions));
	q->followups = xcalloc(CONTENT_MAX_FOLLOWUPS, sizeof(*q->followups));
	p.q = q;
	p.d = d;
	p.path = path;
	p.c = c;
	p.folder_topic = folder_topic;
	for (s = 0; s < SEC_COUNT; s++)
		buf_init(&p.text[s], CONTENT_FILE_MAX);

	err = util_read_file(path, CONTENT_FILE_MAX, &text, NULL);
	if (err != BOT_OK) {
		diag(d, path, 0, "cannot read: %s (limit %d bytes)", bot_strerror(err),
		     CONTENT_FILE_MAX);
		p.bad++;
		goto out;
	}
	parse_lines(&p, text);
	check_required(&p);
	q->question = util_trim(buf_steal(&p.text[SEC_QUESTION]));
	q->answer = util_trim(buf_steal(&p.text[SEC_ANSWER]));
	question_fit(q);
out:
	for (s = 0; s < SEC_COUNT; s++)
		buf_cleanup(&p.text[s]);
	free(text);
	return p.bad == 0 ? BOT_OK : BOT_EINVAL;
}

static void points_free(struct content_point *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		free_list(v[i].phrasings, v[i].nphrasings);
	}
	free(v);
}

static void question_cleanup(struct content_question *q)
{
	size_t i;

	free(q->id);
	free(q->path);
	free_list(q->sources, q->nsources);
	free_list(q->related, q->nrelated);
	free(q->question);
	free(q->answer);
	points_free(q->points, q->npoints);
	for (i = 0; i < q->nmisconceptions; i++) {
		free(q->misconceptions[i].text);
		free(q->misconceptions[i].correction);
		free_list(q->misconceptions[i].phrasings, q->misconceptions[i].nphrasings);
	}
	free(q->misconceptions);
	for (i = 0; i < q->nfollowups; i++) {
		free(q->followups[i].text);
		points_free(q->followups[i].points, q->followups[i].npoints);
	}
	free(q->followups);
	memset(q, 0, sizeof(*q));
}

/* ---- the bank ---- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_questions(const void *a, const void *b)
{
	const struct content_question *x = a, *y = b;
	return strcmp(x->id, y->id);
}

/* Lists the *.md files of one folder, sorted, so load order is stable. */
static size_t list_md(const char *dir, char ***out)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	size_t n = 0, alloc = 32;
	char **v;

	*out = NULL;
	if (dh == NULL)
		return 0;
	v = xcalloc(alloc, sizeof(*v));
	while ((e = readdir(dh)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 || e->d_name[0] == '.')
			continue;
		if (n == alloc) {
			alloc *= 2;
			v = xrealloc(v, alloc * sizeof(*v));
		}
		v[n++] = xstrdup(e->d_name);
	}
	closedir(dh);
	qsort(v, n, sizeof(*v), cmp_names);
	*out = v;
	return n;
}

static void add_question(struct content *c, size_t *alloc, struct content_question *q)
{
	if (c->nquestions == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		c->questions = xrealloc(c->questions, *alloc * sizeof(*c->questions));
	}
	c->questions[c->nquestions++] = *q;
}

static int load_folder(struct content *c, const char *dir, size_t t, size_t *alloc,
                       struct content_diag *d)
{
	char *folder = xasprintf("%s/%s", dir, c->topics[t].slug);
	char **names;
	size_t n = list_md(folder, &names);
	size_t i;
	int err = BOT_OK;

	for (i = 0; i < n; i++) {
		struct content_question q;
		char *path = xasprintf("%s/%s", folder, names[i]);
		int qerr_rc = parse_question(c, path, c->topics[t].slug, &q, d);
		if (qerr_rc == BOT_OK) {
			size_t stem = strlen(names[i]) - 3;
			if (strlen(q.id) != stem || strncmp(q.id, names[i], stem) != 0) {
				diag(d, path, 2, "id \"%s\" does not match the file name", q.id);
				qerr_rc = BOT_EINVAL;
			}
		}
		if (qerr_rc == BOT_OK)
			add_question(c, alloc, &q);
		else {
			question_cleanup(&q);
			err = BOT_EINVAL;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	free(folder);
	return err;
}

static int check_duplicates(struct content *c, struct content_diag *d)
{
	size_t i;
	int err = BOT_OK;

	for (i = 1; i < c->nquestions; i++) {
		if (strcmp(c->questions[i - 1].id, c->questions[i].id) == 0) {
			diag(d, c->questions[i].path, 2, "duplicate id \"%s\" (also in %s)",
			     c->questions[i].id, c->questions[i - 1].path);
			err = BOT_EINVAL;
		}
	}
	return err;
}

static int check_related(const struct content *c, struct content_diag *d)
{
	size_t i, j;
	int err = BOT_OK;

	for (i = 0; i < c->nquestions; i++) {
		const struct content_question *q = &c->questions[i];
		for (j = 0; j < q->nrelated; j++) {
			if (content_find(c, q->related[j]) == NULL) {
				diag(d, q->path, q->related_line,
				     "related id \"%s\" does not exist", q->related[j]);
				err = BOT_EINVAL;
			}
		}
	}
	return err;
}

static void index_topics(struct content *c)
{
	size_t i;

	for (i = 0; i < c->ntopics; i++)
		c->topics[i].questions = xcalloc(c->nquestions + 1, sizeof(size_t));
	for (i = 0; i < c->nquestions; i++) {
		struct content_topic *t = &c->topics[c->questions[i].topic];
		t->questions[t->nquestions++] = i;
	}
}

/* Folders that name no topic are almost always a typo; say so. */
static int check_folders(struct content *c, const char *dir, struct content_diag *d)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	int err = BOT_OK;

	if (dh == NULL) {
		diag(d, dir, 0, "cannot open the content directory");
		return BOT_EINVAL;
	}
	while ((e = readdir(dh)) != NULL) {
		char *path;
		struct stat st;
		size_t i;
		bool known = false;
		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		for (i = 0; i < c->ntopics; i++)
			known = known || strcmp(c->topics[i].slug, e->d_name) == 0;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && !known) {
			diag(d, path, 0, "folder is not a topic in topics.ini");
			err = BOT_EINVAL;
		}
		free(path);
	}
	closedir(dh);
	return err;
}

/* ---- synonyms.txt ---- */

/*
 * The stems of an expression's content words, space-separated, into key;
 * returns how many there are, or -1 (with why) when the expression holds
 * a character other than a letter, digit, space or '-', or a negation.
 */
static int expression_key(struct words *w, const char *expr, char *key, size_t size,
                          const char **why)
{
	char word[WORDS_MAX], stem[WORDS_MAX];
	size_t n = 0, len = 0;
	int count = 0;
	const char *p;

	key[0] = '\0';
	for (p = expr;; p++) {
		bool letter = isalnum((unsigned char)*p);
		if (*p != '\0' && !letter && *p != ' ' && *p != '-') {
			*why = "may hold only letters, digits, spaces and '-'";
			return -1;
		}
		if (letter) {
			if (n < sizeof(word) - 1)
				word[n++] = (char)tolower((unsigned char)*p);
			continue;
		}
		word[n] = '\0';
		if (n > 0 && (words_class(w, word) & WORDS_NEGATION)) {
			*why = "holds a negation, which the grader reads as \"not\"";
			return -1;
		}
		if (n > 0 && !(words_class(w, word) & WORDS_STOP)) {
			/* Only the first few are kept: more is an error anyway. */
			if (count < CONTENT_SYNONYM_WORDS && len < size) {
				words_stem(w, word, stem);
				len += (size_t)snprintf(key + len, size - len, "%s%s",
				                        count > 0 ? " " : "", stem);
			}
			count++;
		}
		n = 0;
		if (*p == '\0')
			break;
	}
	return count;
}

/* An expression already seen in the table: its key and line. */
struct seen_expr {
	char *key;
	int line;
};

static int synonym_line(struct content_synonyms *t, struct words *w, char *line, int lineno,
                        struct seen_expr *seen, size_t *nseen, const char *path,
                        struct content_diag *d)
{
	struct content_synonym_group *grp;
	char *p = line, *eq;
	int err = BOT_OK;

	if (t->ngroups == MAX_SYNONYM_GROUPS) {
		diag(d, path, lineno, "more than %d synonym groups; keep the table small",
		     MAX_SYNONYM_GROUPS);
		return BOT_EINVAL;
	}
	grp = &t->groups[t->ngroups];
	grp->exprs = xcalloc(MAX_LIST, sizeof(*grp->exprs));
	grp->line = lineno;
	t->ngroups++;
	for (; p != NULL; p = eq != NULL ? eq + 1 : NULL) {
		char key[3 * WORDS_MAX + 4];
		const char *why = NULL;
		char *e;
		int words;
		size_t i;
		eq = strchr(p, '=');
		if (eq != NULL)
			*eq = '\0';
		e = util_trim(p);
		for (i = 0; e[i] != '\0'; i++)
			e[i] = (char)tolower((unsigned char)e[i]);
		words = expression_key(w, e, key, sizeof(key), &why);
		if (words < 0) {
			diag(d, path, lineno, "synonym \"%s\" %s", e, why);
			err = BOT_EINVAL;
			continue;
		}
		if (words == 0 || words > CONTENT_SYNONYM_WORDS) {
			diag(d, path, lineno,
			     "synonym \"%s\" has %d content words; write 1 to %d (stop words "
			     "do not count)",
			     e, words, CONTENT_SYNONYM_WORDS);
			err = BOT_EINVAL;
			continue;
		}
		for (i = 0; i < *nseen; i++) {
			if (strcmp(seen[i].key, key) == 0) {
				diag(d, path, lineno,
				     "synonym \"%s\" is already in the group on line %d; an "
				     "expression belongs to one group",
				     e, seen[i].line);
				err = BOT_EINVAL;
				break;
			}
		}
		if (i < *nseen)
			continue;
		if (grp->n == MAX_LIST) {
			diag(d, path, lineno, "more than %d synonyms in one group", MAX_LIST);
			err = BOT_EINVAL;
			break;
		}
		seen[(*nseen)++] = (struct seen_expr){xstrdup(key), lineno};
		grp->exprs[grp->n++] = xstrdup(e);
	}
	if (err == BOT_OK && grp->n < 2) {
		diag(d, path, lineno,
		     "a synonym group needs at least 2 expressions joined by \" = \"");
		err = BOT_EINVAL;
	}
	return err;
}

static void synonyms_free(struct content_synonyms *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ngroups; i++)
		free_list(t->groups[i].exprs, t->groups[i].n);
	free(t->groups);
	free(t);
}

/*
 * synonyms.txt: one group a line, "evict = throw out = kick out"; '#'
 * starts a comment line. An absent file is an empty table.
 */
static int load_synonyms(struct content *c, const char *dir, struct content_diag *d)
{
	char *path = xasprintf("%s/synonyms.txt", dir);
	char *text = NULL, *line;
	struct seen_expr *seen = NULL;
	size_t nseen = 0, i;
	struct words *w = NULL;
	struct stat st;
	int err = BOT_OK, lineno = 0;

	if (stat(path, &st) != 0)
		goto out;
	if (util_read_file(path, CONTENT_FILE_MAX, &text, NULL) != BOT_OK) {
		diag(d, path, 0, "cannot read the synonym table");
		err = BOT_EINVAL;
		goto out;
	}
	w = words_new();
	if (w == NULL) {
		diag(d, path, 0, "libstemmer has no English stemmer; install libstemmer");
		err = BOT_EINVAL;
		goto out;
	}
	c->synonyms = xcalloc(1, sizeof(*c->synonyms));
	c->synonyms->groups = xcalloc(MAX_SYNONYM_GROUPS, sizeof(*c->synonyms->groups));
	seen = xcalloc((size_t)MAX_SYNONYM_GROUPS * MAX_LIST, sizeof(*seen));
	/* Lines counted by hand (strtok_r would skip empty ones and shift the numbers). */
	for (line = text; line != NULL && *line != '\0';) {
		char *nl = strchr(line, '\n');
		lineno++;
		if (nl != NULL)
			*nl = '\0';
		util_trim(line);
		if (line[0] != '\0' && line[0] != '#' &&
		    synonym_line(c->synonyms, w, line, lineno, seen, &nseen, path, d) != BOT_OK)
			err = BOT_EINVAL;
		line = nl != NULL ? nl + 1 : NULL;
	}
out:
	for (i = 0; i < nseen; i++)
		free(seen[i].key);
	free(seen);
	words_free(w);
	free(text);
	free(path);
	return err;
}

/* Every question and follow-up reads the bank's table when it is graded. */
static void attach_synonyms(struct content *c)
{
	size_t i, j;

	for (i = 0; i < c->nquestions; i++) {
		c->questions[i].synonyms = c->synonyms;
		for (j = 0; j < c->questions[i].nfollowups; j++)
			c->questions[i].followups[j].synonyms = c->synonyms;
	}
}

int content_load(struct content *c, const char *dir, struct content_diag *d)
{
	size_t alloc = 0;
	size_t t;
	int err;
	char *tips_path;

	memset(c, 0, sizeof(*c));
	err = load_topics(c, dir, d);
	if (err == BOT_OK)
		err = check_folders(c, dir, d);
	/* Every folder loads even after a failure, so one run reports every
	 * broken file. */
	for (t = 0; c->topics != NULL && t < c->ntopics; t++) {
		if (load_folder(c, dir, t, &alloc, d) != BOT_OK)
			err = BOT_EINVAL;
	}
	if (c->nquestions > 0) {
		qsort(c->questions, c->nquestions, sizeof(*c->questions), cmp_questions);
		if (check_duplicates(c, d) != BOT_OK)
			err = BOT_EINVAL;
	}
	if (load_synonyms(c, dir, d) != BOT_OK)
		err = BOT_EINVAL;
	if (err != BOT_OK) {
		content_cleanup(c);
		return BOT_EINVAL;
	}
	index_topics(c);
	attach_synonyms(c);
	tips_path = xasprintf("%s/tips.md", dir);
	if (util_read_file(tips_path, CONTENT_FILE_MAX, &c->tips, NULL) != BOT_OK)
		c->tips = NULL;
	free(tips_path);
	tips_path = xasprintf("%s/contrasts.txt", dir);
	if (util_read_file(tips_path, CONTENT_FILE_MAX, &c->contrasts, NULL) != BOT_OK)
		c->contrasts = NULL;
	free(tips_path);
	return BOT_OK;
}

void content_cleanup(struct content *c)
{
	size_t i;

	for (i = 0; i < c->nquestions; i++)
		question_cleanup(&c->questions[i]);
	free(c->questions);
	for (i = 0; c->topics != NULL && i < c->ntopics; i++) {
		free(c->topics[i].slug);
		free(c->topics[i].name);
		free_list(c->topics[i].aliases, c->topics[i].naliases);
		free(c->topics[i].questions);
	}
	free(c->topics);
	free(c->tips);
	free(c->contrasts);
	synonyms_free(c->synonyms);
	memset(c, 0, sizeof(*c));
}

/* ---- lint ---- */

/* A phrasing the grader would have to cut: too many slots or alternatives. */
static void lint_phrasing(const char *path, int line, const char *ph, struct content_diag *d)
{
	size_t slots = 0, alts = 1;
	bool in_word = false;
	const char *p;

	for (p = ph; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t') {
			in_word = false;
			continue;
		}
		if (!in_word) {
			slots++;
			alts = 1;
			in_word = true;
		}
		if (*p == '|' && ++alts > CONTENT_MAX_ALTS) {
			diag(d, path, line,
			     "phrasing \"%s\" has a slot with more than %d "
			     "alternatives; split it into two phrasings",
			     ph, CONTENT_MAX_ALTS);
			return;
		}
	}
	if (slots > CONTENT_MAX_SLOTS)
		diag(d, path, line, "phrasing \"%s\" has %zu words; keep it to %d", ph, slots,
		     CONTENT_MAX_SLOTS);
}

/* A key point or a rubric point: text and at least two valid phrasings. */
static void lint_point(const char *path, const struct content_point *pt, const char *what,
                       struct content_diag *d)
{
	size_t j;

	if (pt->text[0] == '\0')
		diag(d, path, pt->line, "empty %s", what);
	if (pt->nphrasings < 2)
		diag(d, path, pt->line, "%s has %zu phrasings; give at least 2", what,
		     pt->nphrasings);
	for (j = 0; j < pt->nphrasings; j++)
		lint_phrasing(path, pt->line, pt->phrasings[j], d);
}

static void lint_misconception(const struct content_question *q,
                               const struct content_misconception *m, struct content_diag *d)
{
	size_t j;

	if (m->text[0] == '\0')
		diag(d, q->path, m->line, "empty misconception");
	if (m->correction == NULL || m->correction[0] == '\0')
		diag(d, q->path, m->line, "misconception has no \"  - correction: ...\" line");
	if (m->contradicts == (size_t)-1)
		diag(d, q->path, m->line,
		     "misconception names no key point; add \"  - contradicts: N\"");
	if (m->nphrasings < 2)
		diag(d, q->path, m->line, "misconception has %zu phrasings; give at least 2",
		     m->nphrasings);
	for (j = 0; j < m->nphrasings; j++)
		lint_phrasing(q->path, m->line, m->phrasings[j], d);
}

/* Every follow-up carries a rubric of 2 or 3 points, so the bot can grade it. */
static void lint_followup(const struct content_question *q, const struct content_followup *f,
                          struct content_diag *d)
{
	size_t i;

	if (f->text[0] == '\0')
		diag(d, q->path, f->line, "empty follow-up");
	if (f->npoints == 0)
		diag(d, q->path, f->line,
		     "follow-up has no rubric; add 2 or 3 points (two-space bullets), each with "
		     "phrasings (four-space bullets)");
	else if (f->npoints == 1 || f->npoints > 3)
		diag(d, q->path, f->line, "follow-up rubric has %zu points; write 2 or 3",
		     f->npoints);
	for (i = 0; i < f->npoints; i++)
		lint_point(q->path, &f->points[i], "rubric point", d);
}

/* ---- contrasts.txt: a point that contrasts two things names its subject ---- */

#define MAX_CONTRASTS        128
#define MAX_CONTRAST_MEMBERS 6
#define CONTRAST_KEY         (3 * WORDS_MAX + 4)

struct contrast {
	char member[MAX_CONTRAST_MEMBERS][CONTRAST_KEY]; /* " stem stem " */
	size_t n;
	int line;
	char written[160]; /* the line, for the message */
};

struct contrasts {
	struct words *w;
	struct contrast v[MAX_CONTRASTS];
	size_t n;
};

/* key of expr padded with spaces, so containment is on word boundaries; false if none. */
static bool padded_key(struct words *w, const char *expr, char *out, size_t size)
{
	char lower[256], key[CONTRAST_KEY - 2];
	const char *why = NULL;
	size_t i;

	for (i = 0; expr[i] != '\0' && i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)expr[i]);
	lower[i] = '\0';
	if (expression_key(w, lower, key, sizeof(key), &why) <= 0)
		return false;
	snprintf(out, size, " %s ", key);
	return true;
}

/* "optimistic / pessimistic": one contrast a line, '#' starts a comment. */
static void contrasts_parse(struct contrasts *t, const char *text, struct content_diag *d)
{
	char *copy = xstrdup(text), *line, *next;
	int lineno = 0;

	for (line = copy; line != NULL && *line != '\0'; line = next) {
		struct contrast *k = &t->v[t->n];
		char *member, *save = NULL;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		line = util_trim(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (t->n == MAX_CONTRASTS) {
			diag(d, "contrasts.txt", lineno, "more than %d contrasts", MAX_CONTRASTS);
			break;
		}
		memset(k, 0, sizeof(*k));
		k->line = lineno;
		snprintf(k->written, sizeof(k->written), "%s", line);
		for (member = strtok_r(line, "/", &save); member != NULL;
		     member = strtok_r(NULL, "/", &save)) {
			if (k->n == MAX_CONTRAST_MEMBERS ||
			    !padded_key(t->w, util_trim(member), k->member[k->n], CONTRAST_KEY)) {
				diag(d, "contrasts.txt", lineno,
				     "\"%s\": write 2 to %d expressions of letters, digits and '-' "
				     "joined by \" / \"",
				     util_trim(member), MAX_CONTRAST_MEMBERS);
				break;
			}
			k->n++;
		}
		if (k->n >= 2)
			t->n++;
		else if (member == NULL)
			diag(d, "contrasts.txt", lineno,
			     "a contrast needs 2 expressions joined by \" / \"");
	}
	free(copy);
}

/* The stems of a point's text, padded: " pessimist fit frequent conflict ... ". */
static void text_key(struct words *w, const char *text, char *out, size_t size)
{
	char word[WORDS_MAX], stem[WORDS_MAX];
	size_t n = 0, len = 1;
	const char *p;

	snprintf(out, size, " ");
	for (p = text;; p++) {
		if (isalnum((unsigned char)*p)) {
			if (n < sizeof(word) - 1)
				word[n++] = (char)tolower((unsigned char)*p);
			continue;
		}
		word[n] = '\0';
		if (n > 0 && !(words_class(w, word) & WORDS_STOP) && len + n + 2 < size) {
			words_stem(w, word, stem);
			len += (size_t)snprintf(out + len, size - len, "%s ", stem);
		}
		n = 0;
		if (*p == '\0')
			break;
	}
}

/* Whether every word of member (" a b ") is among the phrasing's words (" x a y b "). */
static bool words_within(const char *member, const char *words)
{
	char one[WORDS_MAX + 2];
	const char *p = member + 1;

	while (*p != '\0') {
		size_t n = strcspn(p, " ");
		if (n == 0 || n + 2 >= sizeof(one))
			break;
		snprintf(one, sizeof(one), " %.*s ", (int)n, p);
		if (strstr(words, one) == NULL)
			return false;
		p += n + 1;
	}
	return true;
}

/* Whether the phrasing names a member of k: its words among the alternatives' words. */
static bool phrasing_names(struct words *w, const char *ph, const struct contrast *k)
{
	char *copy = xstrdup(ph), *alt, *save = NULL;
	char words[2048] = " ";
	size_t len = 1, m;
	bool found = false;

	for (alt = strtok_r(copy, " \t|", &save); alt != NULL;
	     alt = strtok_r(NULL, " \t|", &save)) {
		char key[CONTRAST_KEY];
		if (padded_key(w, alt, key, sizeof(key)) && len + strlen(key) < sizeof(words))
			len += (size_t)snprintf(words + len, sizeof(words) - len, "%s", key + 1);
	}
	for (m = 0; m < k->n && !found; m++)
		found = words_within(k->member[m], words);
	free(copy);
	return found;
}

static void lint_contrast_point(struct contrasts *t, const char *path,
                                const struct content_point *pt, struct content_diag *d)
{
	char text[4096];
	size_t i, j, m;

	text_key(t->w, pt->text, text, sizeof(text));
	for (i = 0; i < t->n; i++) {
		const struct contrast *k = &t->v[i];
		size_t named = 0;
		for (m = 0; m < k->n; m++)
			named += strstr(text, k->member[m]) != NULL;
		if (named < 2)
			continue;
		for (j = 0; j < pt->nphrasings; j++) {
			if (phrasing_names(t->w, pt->phrasings[j], k))
				continue;
			diag(d, path, pt->line,
			     "the point contrasts %s (contrasts.txt:%d), but phrasing \"%s\" names "
			     "none of them, so the inverse claim would match too; add the subject "
			     "as a slot",
			     k->written, k->line, pt->phrasings[j]);
		}
	}
}

static void lint_contrasts(struct contrasts *t, const struct content_question *q,
                           struct content_diag *d)
{
	size_t i, j;

	for (i = 0; i < q->npoints; i++)
		lint_contrast_point(t, q->path, &q->points[i], d);
	for (i = 0; i < q->nfollowups; i++)
		for (j = 0; j < q->followups[i].npoints; j++)
			lint_contrast_point(t, q->path, &q->followups[i].points[j], d);
}

static int lint_question(const struct content *c, const struct content_question *q,
                         struct content_diag *d)
{
	size_t words = content_word_count(q->answer);
	size_t max_words = c->topics[q->topic].max_answer_words;
	size_t i;
	int before = d->count;

	if (strlen(q->id) > CONTENT_ID_MAX)
		diag(d, q->path, 1,
		     "id is %zu characters; keep it to %d (it travels in button ids)",
		     strlen(q->id), CONTENT_ID_MAX);
	if (words < 150 || words > max_words)
		diag(d, q->path, q->answer_line, "model answer has %zu words; write 150 to %zu",
		     words, max_words);
	if (q->npoints < 4)
		diag(d, q->path, q->points_line, "%zu key points; write at least 4", q->npoints);
	for (i = 0; i < q->npoints; i++)
		lint_point(q->path, &q->points[i], "key point", d);
	for (i = 0; i < q->nmisconceptions; i++)
		lint_misconception(q, &q->misconceptions[i], d);
	if (q->nmisconceptions == 0)
		diag(
		    d, q->path, q->points_line,
		    "no ## Misconceptions section; name 1 to 3 wrong beliefs with a correction and "
		    "phrasings");
	if (q->nfollowups < 2)
		diag(d, q->path, q->followups_line, "%zu follow-ups; write at least 2",
		     q->nfollowups);
	for (i = 0; i < q->nfollowups; i++)
		lint_followup(q, &q->followups[i], d);
	return d->count - before;
}

/* Warm-up, standard and senior questions near 25/50/25, so every level has enough to serve. */
static void lint_spread(const struct content *c, struct content_diag *d)
{
	static const int want[3] = {25, 50, 25};
	size_t n[3] = {0, 0, 0}, i;
	int k;

	if (c->nquestions < 40)
		return;
	for (i = 0; i < c->nquestions; i++)
		if (c->questions[i].difficulty >= 1 && c->questions[i].difficulty <= 3)
			n[c->questions[i].difficulty - 1]++;
	for (k = 0; k < 3; k++) {
		int share = (int)((n[k] * 100 + c->nquestions / 2) / c->nquestions);
		if (share < want[k] - 10 || share > want[k] + 10)
			diag(d, "bank", 0,
			     "%zu questions (%d%%) have difficulty %d; keep the spread near "
			     "25/50/25 (within 10 points)",
			     n[k], share, k + 1);
	}
}

int content_lint(const struct content *c, size_t min_per_topic, size_t min_questions,
                 struct content_diag *d)
{
	struct contrasts *t = xcalloc(1, sizeof(*t));
	size_t i;
	int before = d->count;

	t->w = words_new();
	if (t->w != NULL && c->contrasts != NULL)
		contrasts_parse(t, c->contrasts, d);
	for (i = 0; i < c->nquestions; i++) {
		lint_question(c, &c->questions[i], d);
		if (t->n > 0)
			lint_contrasts(t, &c->questions[i], d);
	}
	words_free(t->w);
	free(t);
	if (c->nquestions < min_questions)
		diag(d, "bank", 0, "%zu questions; the bank needs %zu", c->nquestions,
		     min_questions);
	lint_spread(c, d);
	check_related(c, d);
	for (i = 0; i < c->ntopics; i++) {
		if (c->topics[i].nquestions < min_per_topic)
			diag(d, c->topics[i].slug, 0, "topic has %zu questions; the bank needs %zu",
			     c->topics[i].nquestions, min_per_topic);
	}
	return d->count - before;
}

/* ---- lookups ---- */

const struct content_question *content_find(const struct content *c, const char *id)
{
	size_t lo = 0, hi = c->nquestions;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(id, c->questions[mid].id);
		if (r == 0)
			return &c->questions[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t content_index(const struct content *c, const struct content_question *q)
{
	return (size_t)(q - c->questions);
}

static void consider(const char *cand, const char *name, size_t t, size_t *best, size_t *bestd)
{
	size_t dist = util_edit_distance(name, cand);
	if (dist < *bestd) {
		*bestd = dist;
		*best = t;
	}
}

int content_topic_lookup(const struct content *c, const char *name, size_t *topic, size_t *closest)
{
	size_t t, a;
	size_t found = (size_t)-1;
	size_t best = 0, bestd = (size_t)-1;
	int matches = 0;

	for (t = 0; t < c->ntopics; t++) {
		const struct content_topic *tp = &c->topics[t];
		bool exact = strcasecmp(tp->slug, name) == 0;
		bool prefix = util_has_prefix_ci(tp->slug, name);
		consider(tp->slug, name, t, &best, &bestd);
		for (a = 0; a < tp->naliases; a++) {
			exact = exact || strcasecmp(tp->aliases[a], name) == 0;
			prefix = prefix || util_has_prefix_ci(tp->aliases[a], name);
			consider(tp->aliases[a], name, t, &best, &bestd);
		}
		if (exact) {
			*topic = t;
			return BOT_OK;
		}
		if (prefix && *name != '\0' && found != t) {
			found = t;
			matches++;
		}
	}
	if (closest != NULL)
		*closest = best;
	if (matches == 1) {
		*topic = found;
		return BOT_OK;
	}
	return matches > 1 ? BOT_EAMBIG : BOT_ENOENT;
}

size_t content_topic_matches(const struct content *c, const char *prefix, size_t *out, size_t max)
{
	size_t t, a, n = 0;

	for (t = 0; t < c->ntopics; t++) {
		const struct content_topic *tp = &c->topics[t];
		bool hit = util_has_prefix_ci(tp->slug, prefix);
		for (a = 0; a < tp->naliases && !hit; a++)
			hit = util_has_prefix_ci(tp->aliases[a], prefix);
		if (hit && n < max)
			out[n] = t;
		n += hit;
	}
	return n;
}

size_t content_word_count(const char *text)
{
	size_t n = 0;
	bool in = false;

	for (; text != NULL && *text != '\0'; text++) {
		bool w = isalnum((unsigned char)*text) || (unsigned char)*text >= 0x80;
		if (w && !in)
			n++;
		in = w || (in && (*text == '\'' || *text == '-'));
	}
	return n;
}
