/* cmd.c - the command table. Order here is the order of /help. */
#include "engine/cmd.h"

#include <strings.h>

#include "base/util.h"

static const struct cmd_entry table[] = {
    {"question",
     "[topic] [difficulty]",
     "Get a question: on a topic (name, alias or prefix), or what you most need to practise",
     {{"topic", "Topic slug, alias or prefix, e.g. caching", CMD_OPT_STRING, false, {NULL}, 0, 0},
      {"difficulty", "1 (warm-up) to 3 (senior)", CMD_OPT_INTEGER, false, {NULL}, 1, 3}},
     2,
     false,
     cmd_question},
    {"answer",
     "[id:<question-id>] <your answer>",
     "Answer your open question in free text; you get the key points you covered and missed",
     {{"text", "Your answer (up to 4000 characters)", CMD_OPT_TEXT, true, {NULL}, 0, 0}},
     1,
     false,
     cmd_answer},
    {"stats",
     "",
     "Your streak, freezes, answers this week and mastery per topic",
     {{0}},
     0,
     false,
     cmd_stats},
    {"weak", "", "Your topics, weakest first", {{0}}, 0, false, cmd_weak},
    {"leaderboard",
     "[week|month|all]",
     "The team's top 10, your rank and the team's coverage",
     {{"period", "Which period", CMD_OPT_STRING, false, {"week", "month", "all", NULL}, 0, 0}},
     1,
     false,
     cmd_leaderboard},
    {"topics", "", "The topics and how many questions each has", {{0}}, 0, false, cmd_topics},
    {"tips", "", "How to prepare for a backend interview", {{0}}, 0, false, cmd_tips},
    {"settings",
     "timezone <IANA zone>",
     "Set your time zone (streak days follow it)",
     {{"timezone", "e.g. Europe/Berlin", CMD_OPT_STRING, true, {NULL}, 0, 0}},
     1,
     false,
     cmd_settings},
    {"forget-me",
     "",
     "Delete everything drillbot stores about you (asks first)",
     {{0}},
     0,
     false,
     cmd_forget_me},
    {"help", "", "List the commands", {{0}}, 0, false, cmd_help},
};

const struct cmd_entry *cmd_table(size_t *n)
{
	*n = UTIL_ARRAY_LEN(table);
	return table;
}

const struct cmd_entry *cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(table); i++) {
		if (strcasecmp(table[i].name, name) == 0)
			return &table[i];
	}
	return NULL;
}
