/* test_ratelimit.c - Discord's REST limits with the clock passed in: buckets, global, 429 scopes.
 */
#include "discord/ratelimit.h"

#include "discord/gateway.h"
#include "test.h"

static struct rl_info info(long status, const char *bucket, const char *remaining,
                           const char *reset_after)
{
	struct rl_info in;

	memset(&in, 0, sizeof(in));
	in.status = status;
	in.bucket = bucket;
	in.remaining = remaining;
	in.reset_after = reset_after;
	in.retry_after_body = -1;
	return in;
}

static void test_empty_bucket_waits_for_reset(void)
{
	static struct rl r;
	struct rl_info in = info(200, "abc", "0", "2.5");

	rl_init(&r);
	CHECK_INT(rl_acquire(&r, "PUT /applications/1/commands", false, 1000), 0);
	rl_update(&r, "PUT /applications/1/commands", &in, 1000);
	CHECK_INT(rl_acquire(&r, "PUT /applications/1/commands", false, 1100), 2400);
	CHECK_INT(rl_acquire(&r, "PUT /applications/1/commands", false, 3500), 0);
}

static void test_routes_share_a_bucket_by_header(void)
{
	static struct rl r;
	struct rl_info in = info(200, "shared-bucket", "0", "1");

	rl_init(&r);
	rl_update(&r, "GET /a", &in, 0);
	rl_update(&r, "GET /b", &in, 0);
	CHECK_INT(rl_acquire(&r, "GET /b", false, 10), 990);
	CHECK_INT(rl_acquire(&r, "GET /c", false, 10), 0); /* another route, unknown bucket */
}

static void test_global_50_per_second(void)
{
	static struct rl r;
	int i;

	rl_init(&r);
	for (i = 0; i < RL_GLOBAL_PER_S; i++)
		CHECK_INT(rl_acquire(&r, "GET /x", false, 5000), 0);
	/* All 50 in flight: wait for a response. */
	CHECK(rl_acquire(&r, "GET /x", false, 5200) > 0);
	for (i = 0; i < RL_GLOBAL_PER_S; i++)
		rl_finished(&r, false, 5100);
	/* Answered at 5100: the places are free a second after (plus the slack), not sooner. */
	CHECK_INT(rl_acquire(&r, "GET /x", false, 5200), 1000 - 100 + RL_GLOBAL_SLACK_MS);
	/* Interaction callbacks are exempt (rate-limits.mdx). */
	CHECK_INT(rl_acquire(&r, "POST /interactions/1/t/callback", true, 5200), 0);
	CHECK_INT(rl_acquire(&r, "GET /x", false, 6100 + RL_GLOBAL_SLACK_MS), 0);
	/* 49 answered a second ago and one in flight: the next waits. */
	rl_init(&r);
	for (i = 0; i < RL_GLOBAL_PER_S; i++)
		CHECK_INT(rl_acquire(&r, "GET /x", false, 1000), 0);
	for (i = 0; i < RL_GLOBAL_PER_S - 1; i++)
		rl_finished(&r, false, 1500);
	CHECK(rl_acquire(&r, "GET /x", false, 2000) > 0);
	rl_finished(&r, false, 2000);
	CHECK_INT(rl_acquire(&r, "GET /x", false, 2500 + RL_GLOBAL_SLACK_MS), 0);
}

static void test_429_scopes(void)
{
	static struct rl r;
	struct rl_info in = info(429, "b1", "0", "0");

	rl_init(&r);
	in.scope = "user";
	in.retry_after_body = 1.25;
	rl_update(&r, "GET /a", &in, 0);
	CHECK_INT(rl_acquire(&r, "GET /a", false, 0), 1250);
	CHECK_INT(rl_acquire(&r, "GET /other", false, 0), 0);
	in.scope = "global";
	in.global = "true";
	in.retry_after_body = 3;
	rl_update(&r, "GET /other", &in, 100);
	CHECK_INT(rl_acquire(&r, "GET /third", false, 100), 3000);
	CHECK_INT(rl_acquire(&r, "POST /interactions/2/t/callback", true, 100), 0);
	/* A shared limit blocks its bucket for retry_after too. */
	rl_init(&r);
	in = info(429, "b2", NULL, NULL);
	in.scope = "shared";
	in.retry_after_header = "4";
	rl_update(&r, "PATCH /channels/9", &in, 0);
	CHECK_INT(rl_acquire(&r, "PATCH /channels/9", false, 1000), 3000);
}

/* rate-limits.mdx, Invalid Request Limit: 401/403/429 count, a shared 429 does not;
 * at half the budget the bot waits out the window. */
static void test_invalid_request_budget(void)
{
	static struct rl r;
	struct rl_info bad = info(403, NULL, NULL, NULL);
	struct rl_info shared = info(429, NULL, NULL, NULL);
	int i;

	rl_init(&r);
	shared.scope = "shared";
	rl_update(&r, "GET /x", &shared, 1000);
	CHECK_INT(rl_invalid(&r, 1000), 0);
	for (i = 0; i < RL_INVALID_BUDGET - 1; i++)
		rl_update(&r, "GET /x", &bad, 1000);
	CHECK_INT(rl_acquire(&r, "POST /interactions/1/t/callback", true, 2000), 0);
	rl_update(&r, "GET /x", &bad, 1000);
	CHECK_INT(rl_acquire(&r, "POST /interactions/1/t/callback", true, 2000),
	          RL_INVALID_WINDOW_MS - 1000);
	CHECK_INT(rl_acquire(&r, "GET /y", false, 1000 + RL_INVALID_WINDOW_MS), 0);
}

static void test_route_keys(void)
{
	char k[RL_ROUTE_MAX];

	rl_route(k, sizeof(k), "GET", "/channels/123/messages/456");
	CHECK_STR(k, "GET /channels/123/messages/:id");
	rl_route(k, sizeof(k), "PATCH", "/webhooks/1/tok/messages/@original");
	CHECK_STR(k, "PATCH /webhooks/1/tok/messages/@original");
	rl_route(k, sizeof(k), "PUT", "/applications/77/guilds/88/commands");
	CHECK_STR(k, "PUT /applications/:id/guilds/88/commands");
}

/* opcodes-and-status-codes.mdx, Gateway Close Event Codes. */
static void test_close_code_table(void)
{
	static const int resume[] = {4000, 4001, 4002, 4005, 4008, 1006, 1000};
	static const int fresh[] = {4003, 4007, 4009};
	static const int fatal[] = {4004, 4010, 4011, 4012, 4013, 4014};
	size_t i;

	for (i = 0; i < sizeof(resume) / sizeof(resume[0]); i++)
		CHECK_INT(gw_close_action(resume[i]), GW_RESUME);
	for (i = 0; i < sizeof(fresh) / sizeof(fresh[0]); i++)
		CHECK_INT(gw_close_action(fresh[i]), GW_NEW_SESSION);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		CHECK_INT(gw_close_action(fatal[i]), GW_FATAL);
		CHECK(gw_close_fix(fatal[i])[0] != '\0');
	}
	CHECK_CONTAINS(gw_close_fix(4004), "discord_token_file");
}

int main(void)
{
	T_RUN(test_empty_bucket_waits_for_reset);
	T_RUN(test_routes_share_a_bucket_by_header);
	T_RUN(test_global_50_per_second);
	T_RUN(test_429_scopes);
	T_RUN(test_invalid_request_budget);
	T_RUN(test_route_keys);
	T_RUN(test_close_code_table);
	return t_done();
}
