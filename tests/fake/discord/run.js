#!/usr/bin/env node
'use strict';
/*
 * run.js - runs the Discord scenarios against $DRILLBOT_BIN (default
 * build/drillbot) and prints one line per check: PASS <name>, FAIL <name>:
 * <reason> or SKIP <name>: <reason>. It exits 0 even when checks fail (the
 * caller counts FAIL lines); only a crash of the runner itself is non-zero.
 *
 *   node tests/fake/discord/run.js [--list] [scenario-name-or-prefix ...]
 *
 * Environment: DRILLBOT_BIN (the binary), DISCORD_FAKE_JOBS (scenarios run
 * at once, default 2), DISCORD_FAKE_DEBUG=1 (log the fake's traffic to
 * stderr), DISCORD_FAKE_KEEP=1 (keep each scenario's temp dir).
 *
 * The contract assumed of the bot:
 *   `$DRILLBOT_BIN run` runs the Discord adapter, started from the repo root
 *   (so ./content is the bank), with only these DRILLBOT_ variables:
 *     DRILLBOT_CONFIG=<tmp>/bot.ini (empty)      DRILLBOT_DATABASE=<tmp>/drill.db
 *     DRILLBOT_DISCORD_TOKEN=<a fake token>      DRILLBOT_DISCORD_API_BASE=http://127.0.0.1:PORT/api/v10
 *     DRILLBOT_DISCORD_APPLICATION_ID=<id> (unset in some scenarios)
 *     DRILLBOT_PUBLIC_BASE_URL=https://drill.example
 *     DRILLBOT_WEB_LISTEN=off                    DRILLBOT_LOG_LEVEL=debug
 *   It finds the gateway with GET /gateway/bot (discord_gateway_url unset),
 *   stops with status 0 on SIGTERM, exits non-zero on a 401 or a
 *   non-reconnectable close code and says why on stderr (the code; for 4004
 *   and 401 the words discord_token_file), and never prints the token.
 *   `$DRILLBOT_BIN register-commands` (same environment) bulk-overwrites the
 *   global commands with PUT /applications/{id}/commands (asking GET
 *   /applications/@me when the id is unset), exits 0, and on a run that
 *   changes nothing prints "unchanged" or "no change" on stdout.
 */
const fs = require('fs');
const path = require('path');
const schemas = require('./schemas');
const {Harness, Abort, BIN, REPO_ROOT} = require('./harness');
const {SCENARIOS} = require('./scenarios');

async function main() {
	if (process.argv.includes('--list')) {
		for (const s of SCENARIOS)
			console.log(s.name);
		return;
	}
	const shared = path.resolve(REPO_ROOT, '..', 'shared');
	let validators = null;
	if (fs.existsSync(path.join(shared, 'discord', 'openapi.json'))) {
		validators = schemas.load(shared);
	}
	if (!validators)
		console.log('SKIP schema-validation: ../shared not found');

	const want = process.argv.slice(2);
	const list = SCENARIOS.filter((s) => want.length === 0 ||
	                                     want.some((w) => s.name === w || s.name.startsWith(w)));
	if (want.length && list.length === 0) {
		console.log(`FAIL discord_runner: no scenario matches ${want.join(' ')}; there are ` +
		            SCENARIOS.map((s) => s.name).join(' '));
		return;
	}
	if (!fs.existsSync(BIN))
		console.log(`    note: ${BIN} does not exist; every scenario will fail`);

	const jobs = Math.max(1, Number(process.env.DISCORD_FAKE_JOBS || 2));
	const buffered = jobs > 1;
	let next = 0;
	let running = 0;
	let soloRunning = false;
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
	const worker = async () => {
		while (next < list.length) {
			// A solo scenario waits for the others to finish and runs alone.
			while (soloRunning || (next < list.length && list[next].solo && running > 0))
				await sleep(50);
			if (next >= list.length)
				break;
			const sc = list[next++];
			running++;
			if (sc.solo)
				soloRunning = true;
			const lines = [];
			const out = buffered ? (l) => lines.push(l) : (l) => console.log(l);
			const h = new Harness(sc.name, out, validators);
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
				soloRunning = false;
		}
	};
	await Promise.all(Array.from({length: Math.min(jobs, list.length)}, worker));
}

main().then(() => process.exit(0), (e) => {
	console.error(`discord run.js crashed: ${e.stack || e}`);
	process.exit(2);
});
