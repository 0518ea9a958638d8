/*
 * grade.c - key-point coverage by stemmed phrasing match. See grade.h for
 * the rules. An answer is tokenised once; each phrasing is then matched by
 * marking the answer positions that fill one of its slots and sliding a
 * window over the marked positions, so grading stays linear in the answer.
 */
#include "grade/grade.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "grade/words.h"

#define WORD_MAX      WORDS_MAX
#define MAX_SLOTS     CONTENT_MAX_SLOTS
#define MAX_ALTS      CONTENT_MAX_ALTS
#define MAX_ALT_WORDS 3
#define MAX_SLOT_ALTS 48 /* written alternatives plus their synonyms */
#define NOT_HASH_WORD "not"
#define NON_HASH_WORD "non"
/*
 * How far a negation reaches: to the end of its clause, and at most this
 * many content words. NegEx (Chapman et al., 2001) found a short window
 * closed by clause boundaries ("but", "which", a comma) the best simple
 * rule for English; the corpus in tests/fixtures/grading chose the length.
 */
#define NEG_SCOPE_MAX 4

struct token {
	char stem[WORD_MAX];
	uint64_t hash;       /* of the stem: 64 bits, so a phrasing keeps no copy of its words */
	int sentence;        /* index of the sentence it stands in */
	int fragment;        /* index of the comma-separated fragment */
	int clause;          /* index of the clause: fragments, cut again at "but", "which" ... */
	uint8_t neg_reach;   /* a negation: the words it reaches (NEG_SCOPE_MAX, or 1 for "non-") */
	bool negated;        /* inside a negation's scope (mark_negations) */
	uint32_t start, end; /* the word's bytes in the text */
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

/*
 * One alternative of a slot: up to three stems, as their 64-bit hashes.
 * With some 50,000 distinct stems in the bank and its answers the chance
 * of any collision is about 1e-10, so no stem is kept to compare; that
 * makes the compiled bank a fifth of the size.
 */
struct alt {
	uint64_t hash[MAX_ALT_WORDS];
	int n;
};

struct slot {
	struct alt *alts; /* heap: each '|' alternative that has a content word, then the
	                     synonyms of those alternatives */
	int nalts;
	bool neg; /* it had a bare negation: met where a neighbouring slot's word is
	             negated ("not hold": "never hold", not "never release") */
};

struct phrasing {
	struct slot slots[MAX_SLOTS];
	int nslots;
	bool has_not;
};

static void phrasing_cleanup(struct phrasing *ph);

/*
 * A list of points' phrasings, compiled once: group i owns ph[first[i] ..
 * first[i+1]). A question's groups are its key points, then its
 * misconceptions; a follow-up's are its rubric points. For a question,
 * shingles holds the sorted hashes of the word triples of what Reveal
 * shows (model answer and key points), to recognise a paste of them.
 */
struct compiled {
	const void *key;
	struct phrasing *ph;
	size_t *first;
	size_t ngroups;
	uint32_t *shingles;
	size_t nshingles;
};

/*
 * The bank's synonym table, stemmed: group i owns expr[first[i] ..
 * first[i+1]), and index holds every expression's key sorted, to find an
 * alternative's group by bsearch.
 */
struct syn_key {
	uint64_t key;
	size_t group;
};

struct synonyms {
	const struct content_synonyms *src; /* what it was compiled from */
	struct alt *expr;
	size_t *first;
	size_t ngroups;
	struct syn_key *index;
	size_t nindex;
};

struct grader {
	struct words *words;
	struct tokens scratch;  /* compiling reuses one buffer for every alternative */
	struct compiled *cache; /* open addressing on the question's address */
	size_t ncache;
	size_t cap; /* a power of two, or 0 */
	struct synonyms syn;
};

static const char *dont_know[] = {
    "i don t know",   "i dont know",   "don t know",   "dont know", "idk",  "no idea",
    "i have no idea", "not sure",      "i m not sure", "dunno",     "pass", "skip",
    "no clue",        "i do not know", "do not know",  "?",
};

/* FNV-1a, 64 bits. */
static uint64_t hash_word(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct grader *grade_new(void)
{
	struct grader *g = xcalloc(1, sizeof(*g));

	g->words = words_new();
	if (g->words == NULL) {
		free(g);
		return NULL;
	}
	return g;
}

static void synonyms_cleanup(struct synonyms *t)
{
	free(t->expr);
	free(t->first);
	free(t->index);
	memset(t, 0, sizeof(*t));
}

static void compiled_cleanup(struct compiled *c)
{
	size_t i;

	for (i = 0; i < c->first[c->ngroups]; i++)
		phrasing_cleanup(&c->ph[i]);
	free(c->ph);
	free(c->first);
	free(c->shingles);
}

void grade_free(struct grader *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->cap; i++) {
		if (g->cache[i].key != NULL)
			compiled_cleanup(&g->cache[i]);
	}
	free(g->cache);
	synonyms_cleanup(&g->syn);
	free(g->scratch.v);
	words_free(g->words);
	free(g);
}

/* ---- tokenising ---- */

static bool word_byte(unsigned char ch)
{
	return isalnum(ch) || ch >= 0x80;
}

/* Abbreviations whose final dot ends no sentence ("e.g. prefetch=1", "LRU vs. LFU"). */
static const char *abbreviations[] = {"aka", "approx", "cf",   "e.g",  "eg",  "esp", "etc",
                                      "i.e", "ie",     "incl", "resp", "viz", "vs"};

/* Whether the dot at p closes one of the abbreviations (start bounds the look back). */
static bool after_abbreviation(const char *start, const char *p)
{
	const char *b = p;
	char word[8];
	size_t i, n;

	while (b > start && (word_byte((unsigned char)b[-1]) || b[-1] == '.') && p - b < 7)
		b--;
	n = (size_t)(p - b);
	if (n == 0 || n >= sizeof(word))
		return false;
	for (i = 0; i < n; i++)
		word[i] = (char)tolower((unsigned char)b[i]);
	word[n] = '\0';
	for (i = 0; i < UTIL_ARRAY_LEN(abbreviations); i++)
		if (strcmp(word, abbreviations[i]) == 0)
			return true;
	return false;
}

static bool sentence_end(const char *start, const char *p)
{
	if (*p == '\n' || *p == '!' || *p == '?' || *p == ';')
		return true;
	/* "3.5", "e.g." and "node.js" keep their dot inside the sentence. */
	return *p == '.' && !word_byte((unsigned char)p[1]) && !after_abbreviation(start, p);
}

/* A semicolon ends a sentence here too: the bank's misconceptions are tuned so. */
static bool fragment_end(const char *start, const char *p)
{
	return sentence_end(start, p) || strchr(",:()/[]*", *p) != NULL;
}

static bool curly_apostrophe(const char *p)
{
	return (unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
	       (unsigned char)p[2] == 0x99;
}

/* Length of "'t" / "’t" at p when it closes a word like "don't"; else 0. */
static size_t apostrophe_t(const char *p)
{
	size_t n = 0;
	if (*p == '\'')
		n = 1;
	else if (curly_apostrophe(p))
		n = 3;
	if (n == 0 || tolower((unsigned char)p[n]) != 't' || word_byte((unsigned char)p[n + 1]))
		return 0;
	return n + 1;
}

static struct token *push(struct tokens *t, const char *stem, int sentence, int fragment,
                          int clause)
{
	struct token *k;
	size_t n;

	if (t->n == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 64;
		t->v = xrealloc(t->v, (size_t)t->alloc * sizeof(*t->v));
	}
	k = &t->v[t->n++];
	n = strlen(stem);
	if (n >= WORD_MAX)
		n = WORD_MAX - 1;
	memcpy(k->stem, stem, n);
	k->stem[n] = '\0';
	k->hash = hash_word(k->stem);
	k->sentence = sentence;
	k->fragment = fragment;
	k->clause = clause;
	k->neg_reach = 0;
	k->negated = false;
	return k;
}

struct cursor {
	int sentence;
	int fragment;
	int clause;
	int frag_words;
	unsigned after; /* WORDS_PSEUDO_NOT after "not", _NO after "no": what undoes the
	                   negation the previous word pushed; 0 when it pushed none */
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
	c->clause++;
}

static void add_word(struct grader *g, struct tokens *t, struct cursor *c, const char *w)
{
	unsigned bits = words_class(g->words, w);
	unsigned after = c->after;
	char stem[WORD_MAX];

	t->raw_words++;
	c->frag_words++;
	c->after = 0;
	if (bits & after) {
		/* "not only", "no matter": a pseudo negation. The previous word pushed the
		 * negation, the last token; take it back and drop this word. */
		t->n--;
		return;
	}
	if (bits & (WORDS_NEGATION | WORDS_PREFIX_NOT)) {
		bool prefix = (bits & WORDS_PREFIX_NOT) != 0;
		struct token *k = push(t, prefix ? NON_HASH_WORD : NOT_HASH_WORD, c->sentence,
		                       c->fragment, c->clause);
		k->neg_reach = prefix ? 1 : NEG_SCOPE_MAX;
		if (!prefix)
			c->after = strcmp(w, "no") == 0 ? WORDS_PSEUDO_NO : WORDS_PSEUDO_NOT;
		return;
	}
	if (bits & WORDS_OPENER)
		c->clause++;
	if (bits & WORDS_STOP) {
		t->stop_words++;
		return;
	}
	words_stem(g->words, w, stem);
	push(t, stem, c->sentence, c->fragment, c->clause);
}

static void tokenise(struct grader *g, const char *text, struct tokens *t)
{
	struct cursor c = {0, 0, 0, 0, 0};
	const char *p = text;

	{
		struct token *v = t->v;
		int alloc = t->alloc;
		memset(t, 0, sizeof(*t));
		t->v = v; /* a buffer the caller passes in is reused */
		t->alloc = alloc;
	}
	while (*p != '\0') {
		char w[WORD_MAX];
		size_t n = 0, tail;
		const char *start;
		int first;
		if (curly_apostrophe(p)) {
			p += 3; /* a possessive or a contraction other than n't: a gap */
			continue;
		}
		if (!word_byte((unsigned char)*p)) {
			if (fragment_end(text, p))
				close_fragment(t, &c);
			if (sentence_end(text, p))
				c.sentence++;
			p++;
			continue;
		}
		/* A curly apostrophe (U+2019) ends the word as "'" does, so
		 * "doesn’t" negates like "doesn't". */
		start = p;
		first = t->n;
		while (word_byte((unsigned char)*p) && !curly_apostrophe(p)) {
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
		} else {
			add_word(g, t, &c, w);
		}
		/* Where the tokens of this word stand in the text, for a quote of what matched. */
		for (; first < t->n; first++) {
			t->v[first].start = (uint32_t)(start - text);
			t->v[first].end = (uint32_t)(p - text);
		}
	}
	close_fragment(t, &c);
}

/*
 * Marks every word inside a negation's scope: from the negation to the end
 * of its clause, at most NEG_SCOPE_MAX words ("non-" reaches one word). A
 * boundary right after the negation does not close it: "never, ever hold".
 */
static void mark_negations(struct tokens *t)
{
	int i, j;

	for (i = 0; i < t->n; i++) {
		const struct token *n = &t->v[i];
		int clause = n->clause, taken = 0;
		for (j = i + 1; j < t->n && taken < n->neg_reach; j++) {
			struct token *w = &t->v[j];
			if (w->sentence != n->sentence)
				break;
			if (w->clause != clause && taken > 0)
				break;
			clause = w->clause;
			if (w->neg_reach == 0) {
				w->negated = true;
				taken++;
			}
		}
	}
}

/* ---- phrasings ---- */

/* The stems of word (an alternative or a synonym) into a; true if one is a negation. */
static bool alt_from(struct grader *g, const char *word, struct alt *a)
{
	struct tokens *t = &g->scratch;
	bool has_not = false;
	int i;

	tokenise(g, word, t);
	a->n = 0;
	for (i = 0; i < t->n && a->n < MAX_ALT_WORDS; i++) {
		a->hash[a->n] = t->v[i].hash;
		if (strcmp(t->v[i].stem, NOT_HASH_WORD) == 0)
			has_not = true;
		a->n++;
	}
	return has_not;
}

static bool alt_equal(const struct alt *a, const struct alt *b)
{
	return a->n == b->n && memcmp(a->hash, b->hash, (size_t)a->n * sizeof(a->hash[0])) == 0;
}

static uint64_t alt_key(const struct alt *a)
{
	uint64_t k = 14695981039346656037ull ^ (uint64_t)a->n;
	int i;

	for (i = 0; i < a->n; i++)
		k = (k ^ a->hash[i]) * 1099511628211ull;
	return k;
}

static int cmp_syn_key(const void *a, const void *b)
{
	uint64_t x = ((const struct syn_key *)a)->key, y = ((const struct syn_key *)b)->key;
	return (x > y) - (x < y);
}

/*
 * The grader's stemmed copy of src, made on first use and again only if
 * another bank's table comes (one grader serves one bank).
 */
static const struct synonyms *synonyms_for(struct grader *g, const struct content_synonyms *src)
{
	struct synonyms *t = &g->syn;
	size_t i, j, n = 0;

	if (src == NULL || t->src == src)
		return src == NULL ? NULL : t;
	synonyms_cleanup(t);
	t->src = src;
	for (i = 0; i < src->ngroups; i++)
		n += src->groups[i].n;
	t->expr = xcalloc(n ? n : 1, sizeof(*t->expr));
	t->index = xcalloc(n ? n : 1, sizeof(*t->index));
	t->first = xcalloc(src->ngroups + 1, sizeof(*t->first));
	t->ngroups = src->ngroups;
	for (i = 0, n = 0; i < src->ngroups; i++) {
		t->first[i] = n;
		for (j = 0; j < src->groups[i].n; j++) {
			struct alt *a = &t->expr[n];
			/* Lint refuses negations and empty expressions; skip them if present. */
			if (alt_from(g, src->groups[i].exprs[j], a) || a->n == 0)
				continue;
			t->index[t->nindex++] = (struct syn_key){alt_key(a), i};
			n++;
		}
	}
	t->first[src->ngroups] = n;
	qsort(t->index, t->nindex, sizeof(*t->index), cmp_syn_key);
	return t;
}

/* Appends a to the slot unless it is there already. */
static void slot_add(struct alt *v, int *n, int max, const struct alt *a)
{
	int i;

	for (i = 0; i < *n; i++)
		if (alt_equal(&v[i], a))
			return;
	if (*n < max)
		v[(*n)++] = *a;
}

/*
 * Adds to the slot's alternatives every expression of the synonym groups
 * that one of its written alternatives belongs to (the whole alternative,
 * stem by stem: "evict" brings "throw out", "write-ahead" nothing).
 */
static void expand_slot(const struct synonyms *syn, struct alt *v, int *n, int max)
{
	int written = *n, i;

	for (i = 0; syn != NULL && i < written; i++) {
		struct syn_key probe = {alt_key(&v[i]), 0};
		struct syn_key *hit =
		    bsearch(&probe, syn->index, syn->nindex, sizeof(probe), cmp_syn_key);
		size_t j;
		if (hit == NULL)
			continue;
		while (hit > syn->index && hit[-1].key == probe.key)
			hit--;
		for (; hit < syn->index + syn->nindex && hit->key == probe.key; hit++)
			for (j = syn->first[hit->group]; j < syn->first[hit->group + 1]; j++)
				slot_add(v, n, max, &syn->expr[j]);
	}
}

static uint64_t not_hash(void)
{
	static uint64_t h;
	if (h == 0)
		h = hash_word(NOT_HASH_WORD);
	return h;
}

static bool alt_is_bare_not(const struct alt *a)
{
	return a->n == 1 && a->hash[0] == not_hash();
}

static bool slot_has_bare_not(const struct alt *v, int n)
{
	int i;
	for (i = 0; i < n; i++)
		if (alt_is_bare_not(&v[i]))
			return true;
	return false;
}

/*
 * In a phrasing of two slots or more, a slot's bare negation becomes its
 * neg flag: slots_at() fills it where a negated word fills a neighbour, not
 * where a "not" merely stands. A lone "not" slot keeps its alternative.
 */
static void pair_negations(struct phrasing *ph)
{
	int s, a, n;

	for (s = 0; s < ph->nslots; s++) {
		struct slot *sl = &ph->slots[s];
		sl->neg = ph->nslots > 1 && slot_has_bare_not(sl->alts, sl->nalts);
		if (!sl->neg)
			continue;
		for (a = n = 0; a < sl->nalts; a++)
			if (!alt_is_bare_not(&sl->alts[a]))
				sl->alts[n++] = sl->alts[a];
		sl->nalts = n;
	}
}

static void compile(struct grader *g, const char *text, const struct synonyms *syn,
                    struct phrasing *ph)
{
	struct alt tmp[MAX_SLOT_ALTS];
	char *copy = xstrdup(text);
	char *save = NULL;
	char *word;

	memset(ph, 0, sizeof(*ph));
	for (word = strtok_r(copy, " \t", &save); word != NULL && ph->nslots < MAX_SLOTS;
	     word = strtok_r(NULL, " \t", &save)) {
		struct slot *s = &ph->slots[ph->nslots];
		char *save2 = NULL;
		char *alt;
		int n = 0;
		for (alt = strtok_r(word, "|", &save2); alt != NULL && n < MAX_ALTS;
		     alt = strtok_r(NULL, "|", &save2)) {
			struct alt a;
			if (alt_from(g, alt, &a))
				ph->has_not = true;
			if (a.n > 0)
				slot_add(tmp, &n, MAX_ALTS, &a);
		}
		/* A slot of stop words only ("the") asks nothing; drop it. */
		if (n == 0)
			continue;
		expand_slot(syn, tmp, &n, MAX_SLOT_ALTS);
		s->alts = xcalloc((size_t)n, sizeof(*s->alts));
		memcpy(s->alts, tmp, (size_t)n * sizeof(*tmp));
		s->nalts = n;
		ph->nslots++;
	}
	free(copy);
	pair_negations(ph);
}

static void phrasing_cleanup(struct phrasing *ph)
{
	int i;
	for (i = 0; i < ph->nslots; i++)
		free(ph->slots[i].alts);
}

static bool is_negator_hash(uint64_t h)
{
	static uint64_t non;
	if (non == 0)
		non = hash_word(NON_HASH_WORD);
	return h == not_hash() || h == non;
}

static bool alt_at(const struct alt *a, const struct tokens *t, int pos, bool check_neg)
{
	int k;

	if (pos + a->n > t->n)
		return false;
	for (k = 0; k < a->n; k++) {
		const struct token *tk = &t->v[pos + k];
		if (tk->hash != a->hash[k])
			return false;
		/* A word the alternative itself negates ("not-hold", "non-blocking") may be. */
		if (check_neg && tk->negated && !(k > 0 && is_negator_hash(a->hash[k - 1])))
			return false;
		if (k > 0 && tk->sentence != t->v[pos].sentence)
			return false;
	}
	return true;
}

static bool slot_at(const struct slot *sl, const struct tokens *t, int pos, bool check_neg)
{
	int a;

	for (a = 0; a < sl->nalts; a++) {
		if (alt_at(&sl->alts[a], t, pos, check_neg))
			return true;
	}
	return false;
}

/*
 * Bit s of the result: the token at pos fills slot s. A negation slot is
 * filled where a negated word fills a neighbouring slot, so the negation
 * must be about that word: "never hold a lock" meets "not hold lock",
 * "hold the lock and never release it" does not.
 */
static uint32_t slots_at(const struct phrasing *ph, const struct tokens *t, int pos)
{
	uint32_t m = 0;
	int s;

	for (s = 0; s < ph->nslots; s++) {
		const struct slot *sl = &ph->slots[s];
		if (slot_at(sl, t, pos, !ph->has_not))
			m |= 1u << s;
		else if (sl->neg && t->v[pos].negated &&
		         ((s + 1 < ph->nslots && slot_at(&sl[1], t, pos, false)) ||
		          (s > 0 && slot_at(&sl[-1], t, pos, false))))
			m |= 1u << s;
	}
	return m;
}

/*
 * The last token of the longest alternative whose words stand at pos, for
 * the end of a quote. It reads the words only, and alt_at() stays with its
 * one caller in the hot loop (a second caller cost it its inlining: +40%).
 */
static int alt_last(const struct phrasing *ph, const struct tokens *t, int pos)
{
	int s, a, k, last = pos;

	for (s = 0; s < ph->nslots; s++) {
		for (a = 0; a < ph->slots[s].nalts; a++) {
			const struct alt *al = &ph->slots[s].alts[a];
			if (al->n < 2 || pos + al->n - 1 <= last || pos + al->n > t->n)
				continue;
			for (k = 0; k < al->n && t->v[pos + k].hash == al->hash[k] &&
			            t->v[pos + k].sentence == t->v[pos].sentence;
			     k++)
				;
			if (k == al->n)
				last = pos + al->n - 1;
		}
	}
	return last;
}

/* Whether ph matches; *span (may be NULL) is then the text from its first word to its last. */
static bool phrasing_matches(const struct phrasing *ph, const struct tokens *t, bool by_fragment,
                             struct grade_span *span)
{
	uint32_t full = (1u << ph->nslots) - 1;
	int window = 3 * ph->nslots + 1;
	uint32_t *hit;
	int i, j = 0;
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
		for (j = i; j < t->n && j < i + window && !ok; j++) {
			int a = by_fragment ? t->v[i].fragment : t->v[i].sentence;
			int b = by_fragment ? t->v[j].fragment : t->v[j].sentence;
			if (a != b)
				break;
			m |= hit[j];
			ok = (m & full) == full;
		}
	}
	/* The loops stepped past the window's first word (i) and its last (j). */
	if (ok && span != NULL) {
		span->start = t->v[i - 1].start;
		span->end = t->v[alt_last(ph, t, j - 1)].end;
	}
	free(hit);
	return ok;
}

/* ---- the compiled-phrasing cache ---- */

static size_t slot_of(const struct grader *g, const void *key)
{
	size_t h = (size_t)(uintptr_t)key;
	size_t i;

	h ^= h >> 17;
	h *= (size_t)0x9e3779b97f4a7c15ull;
	for (i = h & (g->cap - 1); g->cache[i].key != NULL && g->cache[i].key != key;
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
		if (old[i].key != NULL)
			g->cache[slot_of(g, old[i].key)] = old[i];
	}
	free(old);
}

/* The group's phrasings, by index: a point or a misconception. */
struct group_src {
	char **(*phrasings)(const void *list, size_t i, size_t *n);
	const void *list;
	size_t n;
};

static char **point_phrasings(const void *list, size_t i, size_t *n)
{
	const struct content_point *p = (const struct content_point *)list + i;
	*n = p->nphrasings;
	return p->phrasings;
}

static char **misconception_phrasings(const void *list, size_t i, size_t *n)
{
	const struct content_misconception *m = (const struct content_misconception *)list + i;
	*n = m->nphrasings;
	return m->phrasings;
}

/*
 * The phrasings of the groups, stemmed and split into slots on first use
 * and kept under key: grading an answer then costs tokenising it only.
 */
static struct compiled *compiled_for(struct grader *g, const void *key, const struct group_src *src,
                                     size_t nsrc, const struct content_synonyms *table)
{
	const struct synonyms *syn;
	struct compiled *c;
	size_t i, j, k, n = 0, grp = 0;

	if (2 * (g->ncache + 1) > g->cap)
		cache_grow(g);
	c = &g->cache[slot_of(g, key)];
	if (c->key == key)
		return c;
	memset(c, 0, sizeof(*c));
	c->key = key;
	syn = synonyms_for(g, table);
	for (k = 0; k < nsrc; k++) {
		c->ngroups += src[k].n;
		for (i = 0; i < src[k].n; i++) {
			size_t np;
			src[k].phrasings(src[k].list, i, &np);
			n += np;
		}
	}
	c->first = xcalloc(c->ngroups + 1, sizeof(*c->first));
	c->ph = xcalloc(n ? n : 1, sizeof(*c->ph));
	for (k = 0, n = 0; k < nsrc; k++) {
		for (i = 0; i < src[k].n; i++, grp++) {
			size_t np;
			char **ph = src[k].phrasings(src[k].list, i, &np);
			c->first[grp] = n;
			for (j = 0; j < np; j++)
				compile(g, ph[j], syn, &c->ph[n++]);
		}
	}
	c->first[c->ngroups] = n;
	g->ncache++;
	return c;
}

/* ---- shingles: word triples, to recognise a paste ---- */

static uint32_t triple_hash(const struct tokens *t, int i)
{
	uint32_t h = (uint32_t)t->v[i].hash;
	h = (h ^ (h >> 15)) * 0x2c1b3c6du + (uint32_t)t->v[i + 1].hash;
	h = (h ^ (h >> 12)) * 0x297a2d39u + (uint32_t)t->v[i + 2].hash;
	return h ^ (h >> 15);
}

static bool triple_at(const struct tokens *t, int i)
{
	return i + 2 < t->n && t->v[i].sentence == t->v[i + 2].sentence;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void shingles_add(struct grader *g, struct compiled *c, size_t *cap, const char *text)
{
	struct tokens t = {0};
	int i;

	tokenise(g, text, &t);
	for (i = 0; i < t.n; i++) {
		if (!triple_at(&t, i))
			continue;
		if (c->nshingles == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			c->shingles = xrealloc(c->shingles, *cap * sizeof(*c->shingles));
		}
		c->shingles[c->nshingles++] = triple_hash(&t, i);
	}
	free(t.v);
}

static void shingles_build(struct grader *g, struct compiled *c, const struct content_question *q)
{
	size_t cap = 0, i;

	shingles_add(g, c, &cap, q->answer);
	for (i = 0; i < q->npoints; i++)
		shingles_add(g, c, &cap, q->points[i].text);
	if (c->nshingles > 0)
		qsort(c->shingles, c->nshingles, sizeof(*c->shingles), cmp_u32);
}

/* The share (0..100) of the answer's word triples found in what Reveal shows. */
static int copied_share(const struct compiled *c, const struct tokens *t)
{
	int i, total = 0, found = 0;

	for (i = 0; i < t->n; i++) {
		uint32_t h;
		if (!triple_at(t, i))
			continue;
		h = triple_hash(t, i);
		total++;
		found += bsearch(&h, c->shingles, c->nshingles, sizeof(h), cmp_u32) != NULL;
	}
	return total < GRADE_COPY_MIN_TRIPLES ? 0 : (found * 100 + total / 2) / total;
}

static struct compiled *compiled_question(struct grader *g, const struct content_question *q)
{
	struct group_src src[2] = {
	    {point_phrasings, q->points, q->npoints},
	    {misconception_phrasings, q->misconceptions, q->nmisconceptions}};
	struct compiled *c = compiled_for(g, q, src, 2, q->synonyms);

	if (c->shingles == NULL && c->nshingles == 0 && q->answer != NULL) {
		shingles_build(g, c, q);
		if (c->shingles == NULL)
			c->shingles = xcalloc(1, sizeof(*c->shingles));
	}
	return c;
}

void grade_prepare_question(struct grader *g, const struct content_question *q)
{
	struct group_src src;
	size_t j;

	compiled_question(g, q);
	for (j = 0; j < q->nfollowups; j++) {
		src = (struct group_src){point_phrasings, q->followups[j].points,
		                         q->followups[j].npoints};
		compiled_for(g, &q->followups[j], &src, 1, q->followups[j].synonyms);
	}
}

void grade_prepare(struct grader *g, const struct content *content)
{
	size_t i;

	for (i = 0; i < content->nquestions; i++)
		grade_prepare_question(g, &content->questions[i]);
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

/* Bit i: group first + i has a phrasing that matches (spans[i], unless NULL: where). */
static uint32_t match_groups(const struct compiled *c, size_t first, size_t n,
                             const struct tokens *t, bool by_fragment, struct grade_span *spans)
{
	uint32_t m = 0;
	size_t i, j;

	for (i = 0; i < n && i < 32; i++) {
		for (j = c->first[first + i]; j < c->first[first + i + 1]; j++) {
			if (phrasing_matches(&c->ph[j], t, by_fragment,
			                     spans != NULL && i < CONTENT_MAX_POINTS ? &spans[i]
			                                                             : NULL)) {
				m |= 1u << i;
				break;
			}
		}
	}
	return m;
}

static int popcount32(uint32_t m)
{
	int n = 0;
	for (; m != 0; m &= m - 1)
		n++;
	return n;
}

/*
 * Tokenises text and settles the verdicts that need no points: too long,
 * empty, "I don't know". Returns true when there is something to grade.
 */
static bool grade_start(struct grader *g, const char *text, size_t npoints, struct tokens *t,
                        struct grade_result *out)
{
	memset(out, 0, sizeof(*out));
	memset(t, 0, sizeof(*t));
	out->npoints = (int)npoints;
	if (grade_length(text) > GRADE_ANSWER_MAX) {
		out->verdict = GRADE_TOO_LONG;
		return false;
	}
	if (is_dont_know(text)) {
		out->verdict = GRADE_DONT_KNOW;
		return false;
	}
	tokenise(g, text, t);
	if (t->raw_words <= 1) {
		out->verdict = GRADE_EMPTY;
		return false;
	}
	mark_negations(t);
	out->list_like = list_like(t);
	out->verdict = GRADE_GRADED;
	return true;
}

int grade_score_of(uint32_t covered, size_t npoints, bool list_like)
{
	int n = popcount32(covered);
	int score = npoints > 0 ? (int)((n * 100 + (int)npoints / 2) / (int)npoints) : 0;

	/* Naming the right terms is worth a little, never a pass: a list that
	 * still matches by fragments keeps its covered points but scores low. */
	return list_like && score > GRADE_LIST_MAX ? GRADE_LIST_MAX : score;
}

static void grade_score(struct grade_result *out, size_t npoints)
{
	size_t i;

	out->score = grade_score_of(out->covered, npoints, out->list_like);
	for (i = 0; i < CONTENT_MAX_POINTS; i++)
		if (!((out->covered >> i) & 1))
			out->matched[i] = (struct grade_span){0, 0};
}

/*
 * The key points that the heard misconceptions contradict: an interviewer
 * who hears "Bloom filters delete by clearing bits" does not credit the
 * point about deletion, whatever else was said about it.
 */
static uint32_t contradicted(const struct content_question *q, uint32_t heard)
{
	uint32_t bits = 0;
	size_t i;

	for (i = 0; i < q->nmisconceptions && i < 32; i++) {
		size_t p = q->misconceptions[i].contradicts;
		if ((heard >> i) & 1 && p < q->npoints && p < 32)
			bits |= 1u << p;
	}
	return bits;
}

void grade_answer(struct grader *g, const struct content_question *q, const char *text,
                  struct grade_result *out)
{
	const struct compiled *c;
	struct tokens t = {0};

	if (grade_start(g, text, q->npoints, &t, out)) {
		c = compiled_question(g, q);
		out->covered = match_groups(c, 0, q->npoints, &t, out->list_like, out->matched);
		/* A wrong belief is heard in a sentence, never pieced from list fragments. */
		out->heard = match_groups(c, q->npoints, q->nmisconceptions, &t, false, NULL);
		out->covered &= ~contradicted(q, out->heard);
		out->copied = copied_share(c, &t);
		grade_score(out, q->npoints);
	}
	free(t.v);
}

void grade_followup(struct grader *g, const struct content_followup *f, const char *text,
                    struct grade_result *out)
{
	struct group_src src = {point_phrasings, f->points, f->npoints};
	const struct compiled *c;
	struct tokens t = {0};

	if (grade_start(g, text, f->npoints, &t, out)) {
		c = compiled_for(g, f, &src, 1, f->synonyms);
		out->covered = match_groups(c, 0, f->npoints, &t, out->list_like, out->matched);
		grade_score(out, f->npoints);
	}
	free(t.v);
}

bool grade_phrasing_matches(struct grader *g, const char *phrasing, const char *text)
{
	struct tokens t = {0};
	struct phrasing ph;
	bool ok;

	tokenise(g, text, &t);
	mark_negations(&t);
	compile(g, phrasing, NULL, &ph);
	ok = phrasing_matches(&ph, &t, list_like(&t), NULL);
	phrasing_cleanup(&ph);
	free(t.v);
	return ok;
}
