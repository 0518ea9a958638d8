/*
 * test.h - a minimal unit-test harness. Each tests/unit/test_<module>.c is
 * its own program: it lists its cases in main() with T_RUN and returns
 * t_done(). Every case prints one "PASS name" or "FAIL name: why" line;
 * tests/run counts them. A failed check prints both values and ends the case.
 */
#ifndef TEST_H
#define TEST_H

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed_now;
static int t_npass;
static int t_nfail;
static const char *t_case;

#define T_FAIL(...)                                                                                \
	do {                                                                                       \
		printf("FAIL %s: %s:%d: ", t_case, __FILE__, __LINE__);                            \
		printf(__VA_ARGS__);                                                               \
		printf("\n");                                                                      \
		t_failed_now = 1;                                                                  \
		return;                                                                            \
	} while (0)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			T_FAIL("check failed: %s", #cond);                                         \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ != b_)                                                                      \
			T_FAIL("%s == %s: got %lld, want %lld", #a, #b, a_, b_);                   \
	} while (0)

#define CHECK_NEAR(a, b, eps)                                                                      \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		if (!(fabs(a_ - b_) <= (eps)))                                                     \
			T_FAIL("%s == %s: got %.9f, want %.9f", #a, #b, a_, b_);                   \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                               \
			T_FAIL("%s == %s: got \"%s\", want \"%s\"", #a, #b, a_ ? a_ : "(null)",    \
			       b_ ? b_ : "(null)");                                                \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                                                \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		if (h_ == NULL || strstr(h_, n_) == NULL)                                          \
			T_FAIL("%s should contain \"%s\"; it is:\n%s", #hay, n_,                   \
			       h_ ? h_ : "(null)");                                                \
	} while (0)

#define CHECK_NOT_CONTAINS(hay, needle)                                                            \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		if (h_ != NULL && strstr(h_, n_) != NULL)                                          \
			T_FAIL("%s should not contain \"%s\"; it is:\n%s", #hay, n_, h_);          \
	} while (0)

#define T_RUN(fn)                                                                                  \
	do {                                                                                       \
		t_case = #fn;                                                                      \
		t_failed_now = 0;                                                                  \
		fn();                                                                              \
		if (t_failed_now)                                                                  \
			t_nfail++;                                                                 \
		else {                                                                             \
			t_npass++;                                                                 \
			printf("PASS %s\n", #fn);                                                  \
		}                                                                                  \
		fflush(stdout);                                                                    \
	} while (0)

static char t_dir[256];

static inline int t_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes the scratch directory and returns the exit status. */
static inline int t_done(void)
{
	if (t_dir[0] != '\0')
		nftw(t_dir, t_rm, 16, FTW_DEPTH | FTW_PHYS);
	return t_nfail == 0 ? 0 : 1;
}

/* The directory for scratch files of this test program (created). */
static inline const char *t_tmpdir(void)
{
	char *dir = t_dir;
	if (dir[0] == '\0') {
		const char *base = getenv("TMPDIR");
		snprintf(dir, sizeof(t_dir), "%s/drillbot-test-XXXXXX", base ? base : "/tmp");
		if (mkdtemp(dir) == NULL) {
			perror("mkdtemp");
			exit(2);
		}
	}
	return dir;
}

#endif
