'use strict';
/*
 * both.js - the scenario that needs the fake Discord too: drillbot with
 * Discord and Slack credentials runs both on one loop, with one store. A
 * Slack user's answer counts on the Slack workspace's leaderboard and not
 * on the Discord guild's. Skipped when tests/fake/discord has no
 * node_modules (tests/integration/slack.sh installs them).
 */
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const {messageText} = require('./fake');

function discordFake() {
	const dir = path.join(__dirname, '..', 'discord');
	if (!fs.existsSync(path.join(dir, 'node_modules')))
		return null;
	return require(path.join(dir, 'fake.js'));
}

async function withDiscord(t, CONFIG, ask) {
	const D = discordFake();
	if (!D)
		return t.skip('both', 'tests/fake/discord/node_modules is missing (npm ci there)');
	const token = `MTIz.fake.token-${crypto.randomBytes(9).toString('base64url')}`;
	const discord = new D.FakeDiscord({token, validators: null, heartbeatInterval: 1000, log: () => {}});
	await discord.start();
	try {
		const slack = await t.fake();
		t.startBot(slack, ['run'], {env: {DRILLBOT_DISCORD_TOKEN: token, DRILLBOT_DISCORD_API_BASE: discord.apiBase,
		                                  DRILLBOT_DISCORD_APPLICATION_ID: discord.applicationId}});
		await t.connected();
		await t.expect('discord_ready', () => {
			const c = discord.current;
			return c && c.identified && c.sent.some((s) => s.t === 'READY') ? c : null;
		}, 'the Discord gateway READY too', 15000, {fake: slack});
		await ask(t, 'question', CONFIG.topic);
		await ask(t, 'answer', CONFIG.goodAnswer, {command: CONFIG.commands.answer,
		                                           want: (m) => CONFIG.graded.test(messageText(m))});
		const {reply} = await ask(t, 'slack_board', 'all', {command: '/leaderboard'});
		// The board's coverage line counts questions answered in this team: one in caching.
		const covered = /Caching: 1\//;
		t.check('slack_board_counts_it', covered.test(messageText(reply)),
		        `the Slack board does not count the answer: ${JSON.stringify(messageText(reply)).slice(0, 400)}`);
		const d = discord.slashCommand('leaderboard', {period: 'all'});
		discord.dispatchInteraction(d);
		const cb = await t.expect('discord_board', () => discord.lastCallback(d.id), 'the Discord callback', 10000,
		                          {fake: slack});
		const text = D.messageText((cb.body && cb.body.data) || {});
		t.check('discord_board_without_it', /Caching: 0\//.test(text) && !covered.test(text),
		        `the Discord guild's board shows the Slack answer: ${JSON.stringify(text).slice(0, 400)}`);
		// Slack stops for good (link_disabled): Discord keeps answering, Slack does not reconnect.
		const at = slack.now();
		slack.disconnect('link_disabled');
		await t.sleep(1500);
		t.check('slack_stop_keeps_process', t.bot.running, `the bot ${t.bot.describeExit()} when only Slack stopped`);
		const d2 = discord.slashCommand('topics', {});
		discord.dispatchInteraction(d2);
		await t.expect('discord_after_slack_stopped', () => discord.lastCallback(d2.id),
		               'a Discord callback after Slack stopped', 10000, {fake: slack});
		t.check('slack_not_reopened', !slack.requestsTo('apps.connections.open').some((r) => r.at > at),
		        'apps.connections.open after link_disabled');
		t.check('discord_follows_docs', discord.violations.length === 0,
		        discord.violations.slice(0, 3).map((v) => `${v.rule}: ${v.detail}`).join(' || '));
	} finally {
		t.extraStop = () => discord.stop();
	}
}

/* Discord refused for good (close 4004 at IDENTIFY): Slack goes on in the same process. */
async function discordStops(t, CONFIG, ask) {
	const D = discordFake();
	if (!D)
		return t.skip('both', 'tests/fake/discord/node_modules is missing (npm ci there)');
	const token = `MTIz.fake.token-${crypto.randomBytes(9).toString('base64url')}`;
	const discord = new D.FakeDiscord({token, validators: null, heartbeatInterval: 1000, log: () => {}});
	await discord.start();
	discord.identifyTokenOverride = 'NOT.the.token';
	discord.expectBadIdentify = true;
	try {
		const slack = await t.fake();
		const bot = t.startBot(slack, ['run'], {env: {DRILLBOT_DISCORD_TOKEN: token,
		                                              DRILLBOT_DISCORD_API_BASE: discord.apiBase,
		                                              DRILLBOT_DISCORD_APPLICATION_ID: discord.applicationId}});
		await t.connected();
		await t.expect('discord_refused', () => /4004/.test(bot.stderr), 'the 4004 named on stderr', 15000,
		               {fake: slack});
		t.check('names_discord_token_file', bot.stderr.includes('discord_token_file'),
		        'stderr does not name discord_token_file');
		await t.sleep(1000);
		t.check('process_goes_on', bot.running, `the bot ${bot.describeExit()} when only Discord stopped`);
		await ask(t, 'slack_after', CONFIG.topic);
		t.check('discord_not_reconnected', discord.connections.length === 1,
		        `${discord.connections.length} gateway connections after 4004`);
	} finally {
		t.extraStop = () => discord.stop();
	}
}

module.exports = {withDiscord, discordStops};
