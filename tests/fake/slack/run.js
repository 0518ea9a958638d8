#!/usr/bin/env node
'use strict';
/*
 * run.js - runs the Slack scenarios against $DRILLBOT_BIN (default
 * build/drillbot) and prints one line per check: PASS <name>, FAIL <name>:
 * <reason> or SKIP <name>: <reason>. It exits 0 even when checks fail (the
 * caller counts FAIL lines); only a crash of the runner itself is non-zero.
 *
 *   node tests/fake/slack/run.js [--list] [scenario-name-or-prefix ...]
 *
 * Environment: DRILLBOT_BIN, SLACK_FAKE_JOBS (scenarios at once, default 2),
 * SLACK_FAKE_DEBUG=1 (the fake's traffic on stderr), SLACK_FAKE_KEEP=1
 * (keep each scenario's temp dir).
 *
 * The contract assumed of the bot:
 *   `$DRILLBOT_BIN run`, started from the repo root (./content is the bank),
 *   with only these DRILLBOT_ variables:
 *     DRILLBOT_CONFIG=<tmp>/bot.ini (empty)     DRILLBOT_DATABASE=<tmp>/bot.db
 *     DRILLBOT_WEB_LISTEN=off                   DRILLBOT_PUBLIC_BASE_URL=https://drill.example
 *     DRILLBOT_LOG_LEVEL=debug                  DRILLBOT_SLACK_API_BASE=http://127.0.0.1:PORT/api
 *     DRILLBOT_SLACK_BOT_TOKEN=xoxb-...         DRILLBOT_SLACK_APP_TOKEN=xapp-...
 *   (one of the two tokens left out in one_token). It calls
 *   $DRILLBOT_SLACK_API_BASE/<method> (auth.test, apps.connections.open,
 *   chat.postMessage, chat.postEphemeral, views.open, users.info), connects
 *   to the URL apps.connections.open returns, stops with status 0 on
 *   SIGTERM, exits non-zero naming slack_bot_token_file when auth.test says
 *   invalid_auth, and never prints either token.
 */
const fs = require('fs');
const {Harness, Abort, BIN} = require('./harness');
const {SCENARIOS} = require('./scenarios');

async function main() {
	if (process.argv.includes('--list')) {
		for (const s of SCENARIOS)
			console.log(s.name);
		return;
	}
	const want = process.argv.slice(2);
	const list = SCENARIOS.filter((s) => !want.length || want.some((w) => s.name === w || s.name.startsWith(w)));
	if (want.length && !list.length) {
		console.log(`FAIL slack_runner: no scenario matches ${want.join(' ')}; there are ` +
		            SCENARIOS.map((s) => s.name).join(' '));
		return;
	}
	if (!fs.existsSync(BIN))
		console.log(`    note: ${BIN} does not exist; every scenario will fail`);
	const jobs = Math.max(1, Number(process.env.SLACK_FAKE_JOBS || 2));
	const buffered = jobs > 1;
	let next = 0;
	let running = 0;
	let solo = false;
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
	const worker = async () => {
		while (next < list.length) {
			// A solo scenario (timing-heavy) waits for the others and runs alone.
			while (solo || (next < list.length && list[next].solo && running > 0))
				await sleep(50);
			if (next >= list.length)
				break;
			const sc = list[next++];
			running++;
			solo = !!sc.solo;
			const lines = [];
			const h = new Harness(sc.name, buffered ? (l) => lines.push(l) : (l) => console.log(l));
			try {
				await sc.run(h);
			} catch (e) {
				if (!(e instanceof Abort))
					h.fail('scenario', `the scenario crashed: ${e.stack || e}`);
			}
			try {
				await h.teardown(sc.teardown || {});
			} catch (e) {
				h.fail('teardown', `teardown crashed: ${e.stack || e}`);
			}
			if (buffered)
				console.log(lines.join('\n'));
			running--;
			if (sc.solo)
				solo = false;
		}
	};
	await Promise.all(Array.from({length: Math.min(jobs, list.length)}, worker));
}

main().then(() => process.exit(0), (e) => {
	console.error(`slack run.js crashed: ${e.stack || e}`);
	process.exit(2);
});
