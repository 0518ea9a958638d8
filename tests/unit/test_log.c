/* test_log.c - log lines and the redaction of tokens. */
#include "base/log.h"

#include "base/err.h"
#include "test.h"

static void redact(const char *in, char *out, size_t n)
{
	log_redact(in, out, n);
}

static void test_authorization_header(void)
{
	char out[256];

	redact("Authorization: Bot MTIzNDU2Nzg5.abcdef.ghijklmnop", out, sizeof(out));
	CHECK_STR(out, "Authorization: Bot [REDACTED]");
	redact("authorization: Bearer xyz123456789", out, sizeof(out));
	CHECK_STR(out, "authorization: Bearer [REDACTED]");
}

static void test_slack_tokens(void)
{
	char out[256];

	redact("connecting with xapp-1-A0123-456-abcdef and xoxb-123-456-xyz done", out,
	       sizeof(out));
	CHECK_STR(out, "connecting with [REDACTED] and [REDACTED] done");
}

static void test_plain_words_survive(void)
{
	char out[256];

	redact("the bot started; bearer of news; token=abc", out, sizeof(out));
	CHECK_STR(out, "the bot started; bearer of news; token=abc");
}

static void test_registered_secret(void)
{
	char out[256];

	log_add_secret("s3cr3t-value-123");
	redact("url?key=s3cr3t-value-123&x=1", out, sizeof(out));
	CHECK_STR(out, "url?key=[REDACTED]&x=1");
	log_clear_secrets();
	redact("url?key=s3cr3t-value-123", out, sizeof(out));
	CHECK_STR(out, "url?key=s3cr3t-value-123");
}

static void test_log_line_is_redacted(void)
{
	char path[512];
	char line[512] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/log.txt", t_tmpdir());
	f = fopen(path, "w+");
	CHECK(f != NULL);
	log_set_output(f);
	log_add_secret("MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.secretpart");
	LOG_I("gateway", "IDENTIFY token %s\nsecond line",
	      "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.secretpart");
	LOG_D("gateway", "debug is below the level");
	log_set_output(NULL);
	log_clear_secrets();
	rewind(f);
	CHECK(fgets(line, sizeof(line), f) != NULL);
	fclose(f);
	CHECK_CONTAINS(line, "INFO  gateway: IDENTIFY token [REDACTED] second line");
	CHECK_NOT_CONTAINS(line, "secretpart");
	CHECK(line[4] == '-' && line[10] == 'T'); /* ISO 8601 timestamp first */
}

static void test_level_parse(void)
{
	enum log_level l = LOG_INFO;
	CHECK_INT(log_level_parse("WARN", &l), BOT_OK);
	CHECK_INT(l, LOG_WARN);
	CHECK_INT(log_level_parse("loud", &l), BOT_EINVAL);
}

int main(void)
{
	T_RUN(test_authorization_header);
	T_RUN(test_slack_tokens);
	T_RUN(test_plain_words_survive);
	T_RUN(test_registered_secret);
	T_RUN(test_log_line_is_redacted);
	T_RUN(test_level_parse);
	return t_done();
}
