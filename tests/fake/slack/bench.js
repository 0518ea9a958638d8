#!/usr/bin/env node
'use strict';
/*
 * bench.js - Socket Mode throughput of the bot as the fake sees it: 10,000
 * slash-command envelopes (at most --window unacknowledged at once), ack
 * latency from the envelope's write to its ack (p50, p99), envelopes per
 * second, and envelopes lost across --cycles refresh_requested disconnects
 * spread over the run. Prints its figures; never part of `make test`.
 *
 *   node tests/fake/slack/bench.js [--envelopes 10000] [--cycles 20] [--window 64] [--grace-ms 2000]
 *
 * The docs' grace before a refreshed socket closes is about 10 s; the bench
 * shortens it (--grace-ms) so 20 cycles fit a short run without nearing
 * the 10-connection limit.
 */
const {Harness, BIN} = require('./harness');
const {CONFIG} = require('./scenarios');

function arg(name, def) {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : def;
}
const pct = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;

async function main() {
	const N = arg('envelopes', 10000);
	const cycles = arg('cycles', 20);
	const window = arg('window', 64);
	const t = new Harness('bench', (l) => console.log(l));
	const fake = await t.fake({refreshGraceMs: arg('grace-ms', 2000), pingIntervalMs: 5000});
	console.log(`bench: ${BIN}, ${N} envelopes, window ${window}, ${cycles} refresh_requested cycles`);
	t.startBot(fake);
	try {
		await t.connected('connects', fake, 15000);
		let acked = 0;
		fake.on('ack', (a) => a.env.acks.length === 1 && acked++);
		const sent = [];
		let done = 0;
		const t0 = Date.now();
		while (sent.length < N && t.bot.running) {
			while (sent.length - acked < window && sent.length < N)
				sent.push(fake.slashCommand(CONFIG.commands.question, CONFIG.topic));
			if (done < cycles && acked >= ((done + 1) * N) / (cycles + 1) && fake.current &&
			    !fake.current.disconnect) {
				fake.disconnect('refresh_requested');
				done++;
			}
			await new Promise((r) => {
				const timer = setTimeout(r, 50);
				fake.once('ack', () => (clearTimeout(timer), r()));
			});
			if (Date.now() - t0 > 600000)
				break;
		}
		await fake.waitFor(() => acked >= sent.length, 10000, 'the last acks').catch(() => {});
		const secs = (Date.now() - t0) / 1000;
		await fake.waitFor(() => fake.connections.every((c) => !c.disconnect || c.state === 'closed'),
		                   fake.refreshGraceMs + 5000, 'refreshed sockets to close').catch(() => {});
		const lat = sent.filter((r) => r.acks.length).map((r) => r.acks[0].latencyMs).sort((a, b) => a - b);
		const lost = sent.filter((r) => !r.acks.length).length;
		const handovers = fake.connections.filter((c) => c.handover);
		const byRule = {};
		for (const v of fake.violations)
			byRule[v.rule] = (byRule[v.rule] || 0) + 1;
		console.log(`envelopes sent          ${sent.length}`);
		console.log(`envelopes acked         ${lat.length}`);
		console.log(`envelopes lost          ${lost} (across ${done} refresh_requested cycles)`);
		console.log(`envelopes/s             ${(lat.length / secs).toFixed(1)} over ${secs.toFixed(1)} s`);
		console.log(`ack latency ms          p50 ${pct(lat, 0.5).toFixed(2)}  p99 ${pct(lat, 0.99).toFixed(2)}  ` +
		            `max ${(lat[lat.length - 1] || NaN).toFixed(2)}`);
		console.log(`handovers (new hello before old closed)  ${handovers.filter((c) => c.handover.ok).length}/${handovers.length}`);
		console.log(`replies seen            ${fake.messages.length}`);
		console.log(`connections             ${fake.connections.length}`);
		console.log(`violations              ${JSON.stringify(byRule)}`);
	} catch (e) {
		console.log(`bench aborted: ${e.message}`);
	}
	await t.teardown();
	// The bot's own figure: from the frame received to the ack queued (logged at its shutdown).
	const line = t.bot && (t.bot.output.match(/envelopes acknowledged; ack latency[^\n]*/) || [])[0];
	console.log(`bot-side ack latency    ${line ? line.replace(/^.*?ack latency /, '') : 'not logged'}`);
}

main().then(() => process.exit(0), (e) => {
	console.error(`bench.js crashed: ${e.stack || e}`);
	process.exit(2);
});
