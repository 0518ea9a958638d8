/* test_slack_limit.c - Slack's per-method tiers, per-channel posts and Retry-After, clock given. */
#include "slack/slimit.h"

#include "test.h"

static void test_tier_burst_then_spread(void)
{
	struct slimit l;
	int i;

	slimit_init(&l);
	CHECK_INT(slimit_per_minute("views.open"), 100);
	for (i = 0; i < 100; i++)
		CHECK_INT(slimit_acquire(&l, "views.open", NULL, 1000), 0);
	/* The 101st in the same minute waits for one token: 60 s / 100. */
	CHECK(slimit_acquire(&l, "views.open", NULL, 1000) > 500);
	CHECK(slimit_acquire(&l, "views.open", NULL, 1000) <= 601);
	CHECK_INT(slimit_acquire(&l, "views.open", NULL, 1000 + 601), 0);
}

static void test_post_message_per_channel(void)
{
	struct slimit l;
	int i;

	slimit_init(&l);
	for (i = 0; i < 4; i++)
		CHECK_INT(slimit_acquire(&l, "chat.postMessage", "C1", 0), 0);
	CHECK(slimit_acquire(&l, "chat.postMessage", "C1", 0) > 0);
	CHECK_INT(slimit_acquire(&l, "chat.postMessage", "C2", 0), 0); /* another channel */
	CHECK_INT(slimit_acquire(&l, "chat.postMessage", "C1", 1001), 0);
}

static void test_retry_after(void)
{
	struct slimit l;

	slimit_init(&l);
	CHECK_INT(slimit_retry_after_ms("2"), 2000);
	CHECK_INT(slimit_retry_after_ms(NULL), 1000);
	CHECK_INT(slimit_retry_after_ms("soon"), 1000);
	CHECK_INT(slimit_retry_after_ms("0"), 1000);
	CHECK_INT(slimit_retry_after_ms("999999"), SLIMIT_RETRY_MAX_S * 1000);
	slimit_blocked(&l, "chat.postEphemeral", 2000, 5000);
	CHECK_INT(slimit_acquire(&l, "chat.postEphemeral", NULL, 5000), 2000);
	CHECK_INT(slimit_acquire(&l, "chat.postEphemeral", NULL, 6500), 500);
	CHECK_INT(slimit_acquire(&l, "chat.postEphemeral", NULL, 7000), 0);
	/* A method without a tier of its own is still held back by a 429. */
	slimit_blocked(&l, "chat.postMessage", 1000, 0);
	CHECK_INT(slimit_acquire(&l, "chat.postMessage", "C1", 0), 1000);
}

static void test_many_channels(void)
{
	struct slimit l;
	char ch[16];
	int i;

	slimit_init(&l);
	for (i = 0; i < 3 * SLIMIT_MAX_BUCKETS; i++) {
		snprintf(ch, sizeof(ch), "C%d", i);
		CHECK_INT(slimit_acquire(&l, "chat.postMessage", ch, (uint64_t)i), 0);
	}
	CHECK(l.n <= SLIMIT_MAX_BUCKETS);
	/* A 429 outlives the churn of channels: the method's slot is in use all along. */
	slimit_blocked(&l, "chat.postMessage", 5000, 1000);
	for (i = 0; i < 3 * SLIMIT_MAX_BUCKETS; i++) {
		snprintf(ch, sizeof(ch), "D%d", i);
		CHECK(slimit_acquire(&l, "chat.postMessage", ch, 1000) > 0);
	}
	CHECK_INT(slimit_acquire(&l, "chat.postMessage", "E1", 1000), 5000);
}

int main(void)
{
	T_RUN(test_tier_burst_then_spread);
	T_RUN(test_post_message_per_channel);
	T_RUN(test_retry_after);
	T_RUN(test_many_channels);
	return t_done();
}
