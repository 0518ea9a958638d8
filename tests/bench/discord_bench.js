#!/usr/bin/env node
/*
 * discord_bench.js - drillbot's Discord adapter under load on loopback, as
 * the issue asks: a lean gateway + REST endpoint (no schema checks, so the
 * bench measures the bot, not the fake) sends INTERACTION_CREATE and
 * times each until its callback arrives. Prints the figures; asserts
 * nothing about them (benchmarks print, tests assert).
 *
 *   node tests/bench/discord_bench.js BIN [N]
 */
'use strict';
const http = require('http');
const path = require('path');
const fs = require('fs');
const os = require('os');
const {spawn} = require('child_process');
const {WebSocketServer} = require(path.join(__dirname, '../fake/discord/node_modules/ws'));

const BIN = process.argv[2] || 'build/bench-tree/drillbot';
const N = Number(process.argv[3] || 20000);
const TOKEN = 'MTIz.bench.token-abc';
const APP = '111111111111111111';
const GUILD = '222222222222222222';

let seq = 0, conn = null, identifyAt = 0, ready = null;
const pending = new Map(); // interaction id -> {sent, resolve}
let next = 1n;

function snow() { return String(1300000000000000000n + (next++)); }

const server = http.createServer((req, res) => {
	let body = '';
	req.on('data', (c) => { body += c; });
	req.on('end', () => {
		const url = req.url;
		if (url === '/api/v10/gateway/bot') {
			res.writeHead(200, {'Content-Type': 'application/json'});
			return res.end(JSON.stringify({url: `ws://127.0.0.1:${server.address().port}/gw`, shards: 1,
			                               session_start_limit: {total: 1000, remaining: 999,
			                                                     reset_after: 86400000, max_concurrency: 1}}));
		}
		const m = url.match(/^\/api\/v10\/interactions\/(\d+)\/[^/]+\/callback/);
		if (m) {
			const p = pending.get(m[1]);
			res.writeHead(204);
			res.end();
			if (p) {
				pending.delete(m[1]);
				p.resolve(process.hrtime.bigint() - p.sent);
			}
			return;
		}
		res.writeHead(404, {'Content-Type': 'application/json'});
		res.end('{"message":"404: Not Found","code":0}');
	});
});

const wss = new WebSocketServer({server});
wss.on('connection', (ws) => {
	conn = ws;
	ws.send(JSON.stringify({op: 10, d: {heartbeat_interval: 41250}, s: null, t: null}));
	ws.on('message', (raw) => {
		const msg = JSON.parse(raw);
		if (msg.op === 1)
			ws.send(JSON.stringify({op: 11}));
		else if (msg.op === 2) {
			identifyAt = process.hrtime.bigint();
			ws.send(JSON.stringify({op: 0, s: ++seq, t: 'READY', d: {
				v: 10, user: {id: APP, username: 'drillbot', discriminator: '0', bot: true},
				guilds: [], session_id: 'bench', resume_gateway_url: `ws://127.0.0.1:${server.address().port}/gw`,
				application: {id: APP, flags: 0}}}));
			ready();
		}
	});
});

function interaction(user) {
	const id = snow();
	return {id, d: {
		id, application_id: APP, type: 2, token: 'tok' + id, version: 1,
		data: {id: '333333333333333333', name: 'topics', type: 1},
		guild_id: GUILD, channel_id: '444444444444444444', locale: 'en-US',
		member: {user: {id: String(500000000000000000n + BigInt(user)), username: 'u' + user,
		                discriminator: '0', global_name: null},
		         roles: [], permissions: '0', joined_at: '2026-01-01T00:00:00Z', nick: null},
		app_permissions: '0', entitlements: [], authorizing_integration_owners: {'0': GUILD}, context: 0}};
}

function send(user) {
	const it = interaction(user);
	return new Promise((resolve) => {
		pending.set(it.id, {sent: process.hrtime.bigint(), resolve});
		conn.send(JSON.stringify({op: 0, s: ++seq, t: 'INTERACTION_CREATE', d: it.d}));
	});
}

function ticks(pid) {
	const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(f[11]) + Number(f[12])) / 100; /* utime + stime, at USER_HZ 100 */
}
function hwm(pid) {
	const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
	return m ? Number(m[1]) / 1024 : NaN;
}
function pct(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]; }
const us = (ns) => (Number(ns) / 1000).toFixed(0);

async function main() {
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drillbot-bench-'));
	fs.writeFileSync(path.join(dir, 'bot.ini'), '');
	const readyP = new Promise((r) => { ready = r; });
	const t0 = process.hrtime.bigint();
	const bot = spawn(BIN, ['run'], {stdio: ['ignore', 'ignore', 'pipe'], env: {
		PATH: process.env.PATH, DRILLBOT_CONFIG: path.join(dir, 'bot.ini'),
		DRILLBOT_DATABASE: path.join(dir, 'drill.db'), DRILLBOT_DISCORD_TOKEN: TOKEN,
		DRILLBOT_DISCORD_APPLICATION_ID: APP, DRILLBOT_WEB_LISTEN: 'off', DRILLBOT_LOG_LEVEL: 'warn',
		DRILLBOT_DISCORD_API_BASE: `http://127.0.0.1:${server.address().port}/api/v10`}});
	let err = '';
	if (process.env.BENCH_PID_FILE)
		fs.writeFileSync(process.env.BENCH_PID_FILE, String(bot.pid));
	bot.stderr.on('data', (c) => { err += c; });
	await readyP;
	console.log(`start -> IDENTIFY: ${(Number(identifyAt - t0) / 1e6).toFixed(1)} ms`);
	// Warm up: every user exists once (the first interaction of a user creates its rows).
	for (let u = 0; u < 64; u++)
		await send(u);
	// One in flight: latency from INTERACTION_CREATE sent to callback received.
	const lat = [];
	for (let i = 0; i < Math.min(N, 5000); i++)
		lat.push(await send(i % 64));
	lat.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	console.log(`1 in flight: p50 ${us(pct(lat, 0.5))} us, p99 ${us(pct(lat, 0.99))} us (${lat.length} interactions)`);
	// 64 in flight: throughput.
	const c0 = ticks(bot.pid);
	const s0 = process.hrtime.bigint();
	let sent = 0, done = 0;
	await new Promise((resolve) => {
		const one = () => {
			if (sent >= N)
				return;
			const u = sent % 64;
			sent++;
			send(u).then(() => { if (++done === N) resolve(); else one(); });
		};
		for (let k = 0; k < 64; k++)
			one();
	});
	const secs = Number(process.hrtime.bigint() - s0) / 1e9;
	const c1 = ticks(bot.pid);
	console.log(`64 in flight: ${(N / secs).toFixed(0)} interactions/s (${N} in ${secs.toFixed(2)} s)`);
	console.log(`CPU: ${((c1 - c0) / (N / 1000)).toFixed(3)} s per 1,000 interactions`);
	console.log(`peak RSS: ${hwm(bot.pid).toFixed(1)} MB`);
	bot.kill('SIGTERM');
	await new Promise((r) => bot.on('exit', r));
	if (err.trim())
		console.log('bot stderr:\n' + err.split('\n').slice(-5).join('\n'));
	server.close();
	process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
