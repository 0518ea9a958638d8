/*
 * fuzz_content.c - libFuzzer target for the question-file parser
 * (core/content.c): the input is one question file, loaded with
 * content_load and checked with content_lint.
 *
 * The loader only reads directories, so the target keeps one temporary
 * bank (a fixed topics.ini with the real six topics, a tips.md, one folder
 * per topic) and rewrites a single question file in it for every input.
 * The loader refuses a file whose name differs from its "id:" or whose
 * folder differs from its "topic:", and lint only runs on a bank that
 * loaded; so the file is named and placed after those header lines when
 * they are plausible, otherwise every input would stop at the name check.
 * An input that starts with "# synonyms" is written as the bank's
 * synonyms.txt instead (the bank then has no question), so the same target
 * fuzzes the synonym table's parser.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "bank/content.h"

#define NAME_MAX_LEN 64
#define PATH_CAP     512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same table as content/topics.ini, so real files are accepted as seeds. */
static const char TOPICS_INI[] = "[api]\nname = APIs and HTTP\naliases = rest, graphql, http\n"
                                 "[databases]\nname = Databases\naliases = db, sql\n"
                                 "[caching]\nname = Caching\naliases = cache, redis\n"
                                 "[security]\nname = Security\naliases = auth, jwt\n"
                                 "[architecture]\nname = Architecture\naliases = design, saga\n"
                                 "[messaging]\nname = Messaging\naliases = queue, kafka\n";

static const char *const TOPICS[] = {"api",      "databases",    "caching",
                                     "security", "architecture", "messaging"};

static char bank_dir[] = "/tmp/drillbot-fuzz-content-XXXXXX";
static char last_file[PATH_CAP]; /* the question written by the previous run, or "" */
static int ready;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_bank(void)
{
	nftw(bank_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int err = BOT_OK;

	if (f == NULL)
		return BOT_EIO;
	if (n > 0 && fwrite(p, 1, n, f) != n)
		err = BOT_EIO;
	if (fclose(f) != 0)
		err = BOT_EIO;
	return err;
}

static void setup(void)
{
	char path[PATH_CAP];
	size_t i;

	if (mkdtemp(bank_dir) == NULL) {
		perror("fuzz_content: mkdtemp");
		abort();
	}
	atexit(remove_bank);
	snprintf(path, sizeof(path), "%s/topics.ini", bank_dir);
	if (write_file(path, TOPICS_INI, sizeof(TOPICS_INI) - 1) != BOT_OK)
		abort();
	snprintf(path, sizeof(path), "%s/tips.md", bank_dir);
	if (write_file(path, "Answer out loud first.\n", 23) != BOT_OK)
		abort();
	for (i = 0; i < UTIL_ARRAY_LEN(TOPICS); i++) {
		snprintf(path, sizeof(path), "%s/%s", bank_dir, TOPICS[i]);
		if (mkdir(path, 0700) != 0)
			abort();
	}
	ready = 1;
}

/*
 * Copies the value of the first "key:" line of data into out when it is a
 * safe file name ([a-z0-9-], 1..NAME_MAX_LEN); leaves out alone otherwise.
 * Only a heuristic for naming the file: the parser itself decides.
 */
static void header_value(const uint8_t *data, size_t size, const char *key, char *out)
{
	size_t klen = strlen(key);
	size_t i = 0;

	while (i < size) {
		size_t end = i;
		while (end < size && data[end] != '\n')
			end++;
		if (end - i > klen && memcmp(data + i, key, klen) == 0) {
			size_t a = i + klen, b = end, n;
			while (a < b && (data[a] == ' ' || data[a] == '\t'))
				a++;
			while (b > a &&
			       (data[b - 1] == ' ' || data[b - 1] == '\t' || data[b - 1] == '\r'))
				b--;
			n = b - a;
			if (n == 0 || n > NAME_MAX_LEN)
				return;
			for (size_t j = a; j < b; j++) {
				uint8_t ch = data[j];
				if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
				      ch == '-'))
					return;
			}
			memcpy(out, data + a, n);
			out[n] = '\0';
			return;
		}
		i = end + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char id[NAME_MAX_LEN + 1] = "fuzz";
	char topic[NAME_MAX_LEN + 1] = "api";
	char path[PATH_CAP];
	struct content c;
	struct content_diag d;
	size_t i;
	int known = 0;

	if (!ready)
		setup();
	header_value(data, size, "id:", id);
	header_value(data, size, "topic:", topic);
	for (i = 0; i < UTIL_ARRAY_LEN(TOPICS); i++)
		known = known || strcmp(topic, TOPICS[i]) == 0;
	if (!known)
		snprintf(topic, sizeof(topic), "api");
	if (last_file[0] != '\0')
		unlink(last_file);
	if (size >= 10 && memcmp(data, "# synonyms", 10) == 0)
		snprintf(path, sizeof(path), "%s/synonyms.txt", bank_dir);
	else
		snprintf(path, sizeof(path), "%s/%s/%s.md", bank_dir, topic, id);
	snprintf(last_file, sizeof(last_file), "%s", path);
	if (write_file(path, data, size) != BOT_OK)
		abort();

	content_diag_init(&d);
	if (content_load(&c, bank_dir, &d) == BOT_OK) {
		const struct content_question *q;
		content_lint(&c, 1, 0, &d);
		q = c.nquestions > 0 ? content_find(&c, c.questions[0].id) : NULL;
		if (q != NULL && content_index(&c, q) != 0)
			abort(); /* a sorted bank of one must find its only question */
		content_cleanup(&c);
	} else if (c.nquestions != 0 || c.topics != NULL) {
		abort(); /* content_load promises an empty bank on failure */
	}
	content_diag_cleanup(&d);
	return 0;
}
