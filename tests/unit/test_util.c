/* test_util.c - the UTF-8 repair every adapter runs on what users type. */
#include "base/util.h"

#include "base/err.h"
#include "test.h"

static char *repair(const char *s, size_t n, size_t *fixed)
{
	struct buf b;

	buf_init(&b, 1024);
	*fixed = util_utf8_repair(s, n, &b);
	return buf_steal(&b);
}

static void test_valid_text_unchanged(void)
{
	const char *s = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd";
	size_t fixed;
	char *out = repair(s, strlen(s), &fixed);

	CHECK_INT(fixed, 0);
	CHECK_STR(out, s);
	free(out);
}

/* The Unicode standard's example (chapter 3, "U+FFFD substitution of maximal
 * subparts"): 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 gives a � � � b � c � � d. */
static void test_maximal_subparts(void)
{
	const char s[] = "\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64";
	size_t fixed;
	char *out = repair(s, sizeof(s) - 1, &fixed);

	CHECK_INT(fixed, 6);
	CHECK_STR(out, "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	               "b\xef\xbf\xbd"
	               "c\xef\xbf\xbd\xef\xbf\xbd"
	               "d");
	free(out);
}

static void test_overlong_surrogate_and_too_big(void)
{
	size_t fixed;
	char *out;

	/* Overlong "/" (C0 AF), a surrogate (ED A0 80), past U+10FFFF (F4 90 80 80). */
	out = repair("\xc0\xaf", 2, &fixed);
	CHECK_INT(fixed, 2);
	free(out);
	out = repair("x\xed\xa0\x80y", 5, &fixed);
	CHECK_INT(fixed, 3);
	CHECK_STR(out, "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy");
	free(out);
	out = repair("\xf4\x90\x80\x80", 4, &fixed);
	CHECK_INT(fixed, 4);
	free(out);
	/* A sequence cut by the end of the text is one error. */
	out = repair("ok\xe2\x82", 4, &fixed);
	CHECK_INT(fixed, 1);
	CHECK_STR(out, "ok\xef\xbf\xbd");
	free(out);
}

static void test_chars_count_code_points(void)
{
	CHECK_INT(util_utf8_chars("caf\xc3\xa9", 5), 4);
	CHECK_INT(util_utf8_chars("\xf0\x9f\x98\x80!", 5), 2);
	CHECK_INT(util_utf8_chars("", 0), 0);
}

/* buf_addf formats in place when there is room, grows when not, and
 * refuses past the cap leaving the buffer as it was. */
static void test_buf_addf_room_grow_cap(void)
{
	struct buf b;
	int i;

	buf_init(&b, 100);
	for (i = 0; i < 9; i++)
		CHECK_INT(buf_addf(&b, "%d-%s;", i, "abcdefg"), BOT_OK);
	CHECK_INT(b.len, 9 * 10);
	CHECK_STR(buf_str(&b) + 80, "8-abcdefg;");
	CHECK_INT(buf_addf(&b, "%s", "0123456789x"), BOT_ETOOBIG);
	CHECK_INT(b.len, 90);
	CHECK_STR(buf_str(&b) + 80, "8-abcdefg;");
	CHECK_INT(buf_addf(&b, "%s", "0123456789"), BOT_OK);
	CHECK_INT(b.len, 100);
	buf_cleanup(&b);
}

int main(void)
{
	T_RUN(test_buf_addf_room_grow_cap);
	T_RUN(test_valid_text_unchanged);
	T_RUN(test_maximal_subparts);
	T_RUN(test_overlong_surrogate_and_too_big);
	T_RUN(test_chars_count_code_points);
	return t_done();
}
