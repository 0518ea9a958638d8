/*
 * grade.c - key-point coverage by stemmed phrasing match. See grade.h for
 * the rules. An answer is tokenised once; each phrasing is then matched by
 * marking the answer positions that fill one of its slots and sliding a
 * window over the marked positions, so grading stays linear in the answer.
 */
#include "grade/grade.h"

#include <ctype.h>
#include <libstemmer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define WORD_MAX      48
#define MAX_SLOTS     CONTENT_MAX_SLOTS
#define MAX_ALTS      CONTENT_MAX_ALTS
#define MAX_ALT_WORDS 3
#define NOT_HASH_WORD "not"

struct token {
	char stem[WORD_MAX];
	uint32_t hash;
	int sentence; /* index of the sentence it stands in */
	int fragment; /* index of the comma-separated fragment */
	bool negated; /* a "not" stands one or two words before it */
};

struct tokens {
	struct token *v;
	int n;
	int alloc;
	int raw_words; /* words including stop words */
	int stop_words;
	int fragments;
	int short_fragments; /* fragments of at most three words */
};

struct alt {
	uint32_t hash[MAX_ALT_WORDS];
	char stem[MAX_ALT_WORDS][WORD_MAX];
	int n;
};

struct slot {
	struct alt *alts; /* heap, one per '|' alternative that has a content word */
	int nalts;
};

struct phrasing {
	struct slot slots[MAX_SLOTS];
	int nslots;
	bool has_not;
};

static void phrasing_cleanup(struct phrasing *ph);

/* A question's phrasings, compiled once: point i owns ph[first[i] .. first[i+1]). */
struct compiled {
	const struct content_question *q;
	struct phrasing *ph;
	size_t *first;
};

struct grader {
	struct sb_stemmer *stemmer;
	struct compiled *cache; /* open addressing on the question's address */
	size_t ncache;
	size_t cap; /* a power of two, or 0 */
};

/* Sorted for bsearch. Negations are not here: they become "not". */
static const char *stop_words[] = {
    "a",       "about",  "all",  "also",  "am",    "an",    "and",   "any",   "are",   "aren",
    "as",      "at",     "be",   "been",  "being", "but",   "by",    "ca",    "can",   "could",
    "couldn",  "did",    "didn", "do",    "does",  "doesn", "doing", "don",   "each",  "eg",
    "etc",     "for",    "from", "had",   "hadn",  "has",   "hasn",  "have",  "haven", "having",
    "he",      "her",    "here", "his",   "i",     "ie",    "if",    "in",    "into",  "is",
    "isn",     "it",     "its",  "just",  "let",   "lets",  "me",    "might", "must",  "my",
    "of",      "on",     "onto", "or",    "our",   "ours",  "s",     "shall", "she",   "should",
    "shouldn", "so",     "some", "such",  "than",  "that",  "the",   "their", "them",  "then",
    "there",   "these",  "they", "this",  "those", "to",    "too",   "us",    "very",  "was",
    "wasn",    "we",     "were", "weren", "what",  "which", "who",   "whom",  "will",  "wo",
    "would",   "wouldn", "you",  "your",
};

static const char *negations[] = {"cannot", "neither", "never", "no", "nor", "not", "without"};

static const char *dont_know[] = {
    "i don t know",   "i dont know",   "don t know",   "dont know", "idk",  "no idea",
    "i have no idea", "not sure",      "i m not sure", "dunno",     "pass", "skip",
    "no clue",        "i do not know", "do not know",  "?",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool in_list(const char *w, const char **list, size_t n)
{
	return bsearch(&w, list, n, sizeof(*list), cmp_str) != NULL;
}

static uint32_t hash_word(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct grader *grade_new(void)
{
	struct grader *g = xcalloc(1, sizeof(*g));

	g->stemmer = sb_stemmer_new("english", NULL);
	if (g->stemmer == NULL) {
		free(g);
		return NULL;
	}
	return g;
}

static void compiled_cleanup(struct compiled *c)
{
	size_t i;

	for (i = 0; i < c->first[c->q->npoints]; i++)
		phrasing_cleanup(&c->ph[i]);
	free(c->ph);
	free(c->first);
}

void grade_free(struct grader *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->cap; i++) {
		if (g->cache[i].q != NULL)
			compiled_cleanup(&g->cache[i]);
	}
	free(g->cache);
	sb_stemmer_delete(g->stemmer);
	free(g);
}

static void stem_into(struct grader *g, const char *word, char out[WORD_MAX])
{
	const sb_symbol *s =
	    sb_stemmer_stem(g->stemmer, (const sb_symbol *)word, (int)strlen(word));
	int len = sb_stemmer_length(g->stemmer);

	if (s == NULL || len <= 0 || len >= WORD_MAX) {
		snprintf(out, WORD_MAX, "%s", word);
		return;
	}
	memcpy(out, s, (size_t)len);
	out[len] = '\0';
}

/* ---- tokenising ---- */

static bool word_byte(unsigned char ch)
{
	return isalnum(ch) || ch >= 0x80;
}

static bool sentence_end(const char *p)
{
	if (*p == '\n' || *p == '!' || *p == '?' || *p == ';')
		return true;
	/* "3.5", "e.g." and "node.js" keep their dot inside the sentence. */
	return *p == '.' && !word_byte((unsigned char)p[1]);
}

static bool fragment_end(const char *p)
{
	return sentence_end(p) || strchr(",:()/[]*", *p) != NULL;
}

/* Length of "'t" / "’t" at p when it closes a word like "don't"; else 0. */
static size_t apostrophe_t(const char *p)
{
	size_t n = 0;
	if (*p == '\'')
		n = 1;
	else if ((unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
	         (unsigned char)p[2] == 0x99)
		n = 3;
	if (n == 0 || tolower((unsigned char)p[n]) != 't' || word_byte((unsigned char)p[n + 1]))
		return 0;
	return n + 1;
}

static void push(struct tokens *t, const char *stem, int sentence, int fragment)
{
	struct token *k;

	if (t->n == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 64;
		t->v = xrealloc(t->v, (size_t)t->alloc * sizeof(*t->v));
	}
	k = &t->v[t->n++];
	snprintf(k->stem, WORD_MAX, "%s", stem);
	k->hash = hash_word(k->stem);
	k->sentence = sentence;
	k->fragment = fragment;
	k->negated = false;
}

struct cursor {
	int sentence;
	int fragment;
	int frag_words;
};

static void close_fragment(struct tokens *t, struct cursor *c)
{
	if (c->frag_words > 0) {
		t->fragments++;
		if (c->frag_words <= 3)
			t->short_fragments++;
	}
	c->frag_words = 0;
	c->fragment++;
}

static void add_word(struct grader *g, struct tokens *t, struct cursor *c, const char *w)
{
	char stem[WORD_MAX];

	t->raw_words++;
	c->frag_words++;
	if (in_list(w, negations, UTIL_ARRAY_LEN(negations))) {
		push(t, NOT_HASH_WORD, c->sentence, c->fragment);
		return;
	}
	if (in_list(w, stop_words, UTIL_ARRAY_LEN(stop_words))) {
		t->stop_words++;
		return;
	}
	stem_into(g, w, stem);
	push(t, stem, c->sentence, c->fragment);
}

static void tokenise(struct grader *g, const char *text, struct tokens *t)
{
	struct cursor c = {0, 0, 0};
	const char *p = text;

	memset(t, 0, sizeof(*t));
	while (*p != '\0') {
		char w[WORD_MAX];
		size_t n = 0, tail;
		if (!word_byte((unsigned char)*p)) {
			if (fragment_end(p))
				close_fragment(t, &c);
			if (sentence_end(p))
				c.sentence++;
			p++;
			continue;
		}
		while (word_byte((unsigned char)*p)) {
			if (n < WORD_MAX - 1)
				w[n++] = (char)tolower((unsigned char)*p);
			p++;
		}
		w[n] = '\0';
		tail = apostrophe_t(p);
		if (tail > 0 && n > 1 && w[n - 1] == 'n') {
			/* "don't" -> "do" + "not"; "can't" -> "ca" + "not". */
			w[n - 1] = '\0';
			add_word(g, t, &c, w);
			add_word(g, t, &c, "not");
			p += tail;
			continue;
		}
		add_word(g, t, &c, w);
	}
	close_fragment(t, &c);
}

static void mark_negations(struct tokens *t)
{
	int i;
	for (i = 0; i < t->n; i++) {
		int back;
		for (back = 1; back <= 2 && i - back >= 0; back++) {
			const struct token *b = &t->v[i - back];
			if (b->sentence == t->v[i].sentence && strcmp(b->stem, NOT_HASH_WORD) == 0)
				t->v[i].negated = true;
		}
	}
}

/* ---- phrasings ---- */

static void compile_alt(struct grader *g, const char *word, struct phrasing *ph, struct alt *a)
{
	struct tokens t;
	int i;

	tokenise(g, word, &t);
	a->n = 0;
	for (i = 0; i < t.n && a->n < MAX_ALT_WORDS; i++) {
		snprintf(a->stem[a->n], WORD_MAX, "%s", t.v[i].stem);
		a->hash[a->n] = t.v[i].hash;
		if (strcmp(t.v[i].stem, NOT_HASH_WORD) == 0)
			ph->has_not = true;
		a->n++;
	}
	free(t.v);
}

static void compile(struct grader *g, const char *text, struct phrasing *ph)
{
	char *copy = xstrdup(text);
	char *save = NULL;
	char *word;

	memset(ph, 0, sizeof(*ph));
	for (word = strtok_r(copy, " \t", &save); word != NULL && ph->nslots < MAX_SLOTS;
	     word = strtok_r(NULL, " \t", &save)) {
		struct slot *s = &ph->slots[ph->nslots];
		char *save2 = NULL;
		char *alt;
		size_t bars = 0;
		for (alt = word; *alt != '\0'; alt++)
			bars += *alt == '|';
		s->alts = xcalloc(bars + 1 < MAX_ALTS ? bars + 1 : MAX_ALTS, sizeof(*s->alts));
		s->nalts = 0;
		for (alt = strtok_r(word, "|", &save2); alt != NULL && s->nalts < MAX_ALTS;
		     alt = strtok_r(NULL, "|", &save2)) {
			compile_alt(g, alt, ph, &s->alts[s->nalts]);
			if (s->alts[s->nalts].n > 0)
				s->nalts++;
		}
		/* A slot of stop words only ("the") asks nothing; drop it. */
		if (s->nalts > 0)
			ph->nslots++;
		else
			free(s->alts);
	}
	free(copy);
}

static void phrasing_cleanup(struct phrasing *ph)
{
	int i;
	for (i = 0; i < ph->nslots; i++)
		free(ph->slots[i].alts);
}

static bool alt_at(const struct alt *a, const struct tokens *t, int pos, bool check_neg)
{
	int k;

	if (pos + a->n > t->n)
		return false;
	for (k = 0; k < a->n; k++) {
		const struct token *tk = &t->v[pos + k];
		if (tk->hash != a->hash[k] || strcmp(tk->stem, a->stem[k]) != 0)
			return false;
		if (check_neg && tk->negated)
			return false;
		if (k > 0 && tk->sentence != t->v[pos].sentence)
			return false;
	}
	return true;
}

/* Bit s of the result: the token at pos fills slot s. */
static uint32_t slots_at(const struct phrasing *ph, const struct tokens *t, int pos)
{
	uint32_t m = 0;
	int s, a;

	for (s = 0; s < ph->nslots; s++) {
		for (a = 0; a < ph->slots[s].nalts; a++) {
			if (alt_at(&ph->slots[s].alts[a], t, pos, !ph->has_not)) {
				m |= 1u << s;
				break;
			}
		}
	}
	return m;
}

static bool phrasing_matches(const struct phrasing *ph, const struct tokens *t, bool by_fragment)
{
	uint32_t full = (1u << ph->nslots) - 1;
	int window = 3 * ph->nslots + 1;
	uint32_t *hit;
	int i, j;
	bool ok = false;

	if (ph->nslots == 0 || t->n == 0)
		return false;
	hit = xcalloc((size_t)t->n, sizeof(*hit));
	for (i = 0; i < t->n; i++)
		hit[i] = slots_at(ph, t, i);
	for (i = 0; i < t->n && !ok; i++) {
		uint32_t m = 0;
		if (hit[i] == 0)
			continue;
		for (j = i; j < t->n && j < i + window; j++) {
			int a = by_fragment ? t->v[i].fragment : t->v[i].sentence;
			int b = by_fragment ? t->v[j].fragment : t->v[j].sentence;
			if (a != b)
				break;
			m |= hit[j];
		}
		ok = (m & full) == full;
	}
	free(hit);
	return ok;
}

/* ---- the compiled-phrasing cache ---- */

static size_t slot_of(const struct grader *g, const struct content_question *q)
{
	size_t h = (size_t)(uintptr_t)q;
	size_t i;

	h ^= h >> 17;
	h *= (size_t)0x9e3779b97f4a7c15ull;
	for (i = h & (g->cap - 1); g->cache[i].q != NULL && g->cache[i].q != q;
	     i = (i + 1) & (g->cap - 1))
		;
	return i;
}

static void cache_grow(struct grader *g)
{
	struct compiled *old = g->cache;
	size_t oldcap = g->cap, i;

	g->cap = oldcap ? oldcap * 2 : 64;
	g->cache = xcalloc(g->cap, sizeof(*g->cache));
	for (i = 0; i < oldcap; i++) {
		if (old[i].q != NULL)
			g->cache[slot_of(g, old[i].q)] = old[i];
	}
	free(old);
}

/*
 * The question's phrasings, stemmed and split into slots on first use and
 * kept: grading an answer then costs tokenising the answer only.
 */
static const struct compiled *compiled_for(struct grader *g, const struct content_question *q)
{
	struct compiled *c;
	size_t i, j, n = 0;

	if (2 * (g->ncache + 1) > g->cap)
		cache_grow(g);
	c = &g->cache[slot_of(g, q)];
	if (c->q == q)
		return c;
	c->q = q;
	c->first = xcalloc(q->npoints + 1, sizeof(*c->first));
	for (i = 0; i < q->npoints; i++)
		n += q->points[i].nphrasings;
	c->ph = xcalloc(n, sizeof(*c->ph));
	for (i = 0, n = 0; i < q->npoints; i++) {
		c->first[i] = n;
		for (j = 0; j < q->points[i].nphrasings; j++)
			compile(g, q->points[i].phrasings[j], &c->ph[n++]);
	}
	c->first[q->npoints] = n;
	g->ncache++;
	return c;
}

/* ---- answers ---- */

size_t grade_length(const char *text)
{
	size_t n = 0;
	/* UTF-8: count every byte that does not continue a sequence. */
	for (; *text != '\0'; text++)
		n += ((unsigned char)*text & 0xc0) != 0x80;
	return n;
}

static bool is_dont_know(const char *text)
{
	char norm[64];
	size_t n = 0;
	bool space = true;
	const char *p;

	for (p = text; *p != '\0'; p++) {
		char ch = (char)tolower((unsigned char)*p);
		bool alnum = isalnum((unsigned char)ch) || ch == '?';
		if (!alnum) {
			if (!space && n < sizeof(norm) - 1)
				norm[n++] = ' ';
			space = true;
			continue;
		}
		if (n >= sizeof(norm) - 1)
			return false;
		norm[n++] = ch;
		space = false;
	}
	while (n > 0 && norm[n - 1] == ' ')
		n--;
	norm[n] = '\0';
	for (size_t i = 0; i < UTIL_ARRAY_LEN(dont_know); i++) {
		if (strcmp(norm, dont_know[i]) == 0)
			return true;
	}
	return false;
}

/*
 * A bare list of terms: many fragments, most of three words or fewer, and
 * almost no function words. Prose has a stop word in every fourth word.
 */
static bool list_like(const struct tokens *t)
{
	if (t->fragments < 4)
		return false;
	if (t->short_fragments * 10 < t->fragments * 7)
		return false;
	return t->stop_words * 5 < t->raw_words;
}

void grade_answer(struct grader *g, const struct content_question *q, const char *text,
                  struct grade_result *out)
{
	const struct compiled *cq;
	struct tokens t;
	size_t i, j;
	int covered = 0;

	memset(out, 0, sizeof(*out));
	out->npoints = (int)q->npoints;
	if (grade_length(text) > GRADE_ANSWER_MAX) {
		out->verdict = GRADE_TOO_LONG;
		return;
	}
	tokenise(g, text, &t);
	if (t.raw_words <= 1 || is_dont_know(text)) {
		out->verdict = GRADE_EMPTY;
		free(t.v);
		return;
	}
	mark_negations(&t);
	out->list_like = list_like(&t);
	cq = compiled_for(g, q);
	for (i = 0; i < q->npoints && i < 32; i++) {
		for (j = cq->first[i]; j < cq->first[i + 1]; j++) {
			if (phrasing_matches(&cq->ph[j], &t, out->list_like)) {
				out->covered |= 1u << i;
				covered++;
				break;
			}
		}
	}
	out->verdict = GRADE_GRADED;
	out->score =
	    q->npoints > 0 ? (int)((covered * 100 + (int)q->npoints / 2) / (int)q->npoints) : 0;
	/* Naming the right terms is worth a little, never a pass: a list that
	 * still matches by fragments keeps its covered points but scores low. */
	if (out->list_like && out->score > GRADE_LIST_MAX)
		out->score = GRADE_LIST_MAX;
	free(t.v);
}

bool grade_phrasing_matches(struct grader *g, const char *phrasing, const char *text)
{
	struct tokens t;
	struct phrasing ph;
	bool ok;

	tokenise(g, text, &t);
	mark_negations(&t);
	compile(g, phrasing, &ph);
	ok = phrasing_matches(&ph, &t, list_like(&t));
	phrasing_cleanup(&ph);
	free(t.v);
	return ok;
}
