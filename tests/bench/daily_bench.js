#!/usr/bin/env node
/*
 * daily_bench.js - the daily drill's figures for `make bench`:
 *
 * 1. Fan-out: N channels due at once (seeded into a fresh store) against a
 *    lean fake Discord that enforces 50 requests/s in fixed 1-second
 *    windows (429 with X-RateLimit-Global past it). Prints the time from
 *    the first post to the last as a ratio to the bound N/50 s, the 429s
 *    and the duplicates.
 * 2. Idle: 100,000 channels with the drill on, none due: the bot's RSS
 *    against an empty store, and its CPU over 10 s of waiting.
 *
 * Prints figures; asserts nothing about them (benchmarks print, tests assert).
 *   node tests/bench/daily_bench.js BIN [N ...]     (default N: 500 10000)
 */
'use strict';
const http = require('http');
const path = require('path');
const fs = require('fs');
const os = require('os');
const {spawn, spawnSync} = require('child_process');
const {WebSocketServer} = require(path.join(__dirname, '../fake/discord/node_modules/ws'));

const BIN = process.argv[2] || 'build/bench-tree/drillbot';
const SIZES = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [500, 10000];
const TOKEN = 'MTIz.bench.token-abc';
const APP = '111111111111111111';
const GUILD = '222222222222222222';

function sqlite(db, sql) {
	const r = spawnSync('sqlite3', [db], {input: sql, encoding: 'utf8'});
	if (r.status !== 0)
		throw new Error(`sqlite3: ${r.stderr}`);
	return r.stdout.trim();
}
function ticks(pid) {
	const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(f[11]) + Number(f[12])) / 100; /* utime + stime, at USER_HZ 100 */
}
function rss(pid) {
	const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
	return m ? Number(m[1]) / 1024 : NaN;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A lean Discord: gateway HELLO/READY, GET /gateway/bot, and channel messages. */
function fakeDiscord() {
	const f = {posts: [], limited: 0, channels: new Set(), dupes: 0, window: -1, count: 0};
	f.server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => { body += c; });
		req.on('end', () => {
			if (req.url === '/api/v10/gateway/bot') {
				res.writeHead(200, {'Content-Type': 'application/json'});
				return res.end(JSON.stringify({url: `ws://127.0.0.1:${f.server.address().port}/gw`,
				                               shards: 1, session_start_limit: {total: 1000,
				                               remaining: 999, reset_after: 86400000, max_concurrency: 1}}));
			}
			const m = req.url.match(/^\/api\/v10\/channels\/(\d+)\/messages$/);
			if (!m || req.method !== 'POST') {
				res.writeHead(404, {'Content-Type': 'application/json'});
				return res.end('{"message":"404: Not Found","code":0}');
			}
			// rate-limits.mdx: 50 requests per second, counted here in fixed windows.
			const now = Date.now(), w = Math.floor(now / 1000);
			if (w !== f.window) {
				f.window = w;
				f.count = 0;
			}
			if (++f.count > 50) {
				f.limited++;
				const retry = (1000 - (now % 1000)) / 1000;
				res.writeHead(429, {'Content-Type': 'application/json', 'Retry-After': String(Math.ceil(retry)),
				                    'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global'});
				return res.end(JSON.stringify({message: 'You are being rate limited.', retry_after: retry,
				                               global: true}));
			}
			if (f.channels.has(m[1]))
				f.dupes++;
			f.channels.add(m[1]);
			f.posts.push(now);
			res.writeHead(200, {'Content-Type': 'application/json', 'X-RateLimit-Limit': '5',
			                    'X-RateLimit-Remaining': '4', 'X-RateLimit-Reset-After': '5.000',
			                    'X-RateLimit-Bucket': `b${m[1]}`});
			res.end(JSON.stringify({id: String(1300000000000000000n + BigInt(f.posts.length)), channel_id: m[1],
			                        type: 0, content: ''}));
		});
	});
	const wss = new WebSocketServer({server: f.server});
	wss.on('connection', (ws) => {
		ws.send(JSON.stringify({op: 10, d: {heartbeat_interval: 41250}, s: null, t: null}));
		ws.on('message', (raw) => {
			const msg = JSON.parse(raw);
			if (msg.op === 1)
				ws.send(JSON.stringify({op: 11}));
			else if (msg.op === 2)
				ws.send(JSON.stringify({op: 0, s: 1, t: 'READY', d: {v: 10, session_id: 'bench',
				        user: {id: APP, username: 'drillbot', discriminator: '0', bot: true}, guilds: [],
				        resume_gateway_url: `ws://127.0.0.1:${f.server.address().port}/gw`,
				        application: {id: APP, flags: 0}}}));
		});
	});
	return f;
}

/* A store with the schema and n channels of one team, the drill due at `hhmm` UTC (or spread). */
function seed(dir, n, hhmm) {
	const db = path.join(dir, 'drill.db');
	spawnSync(BIN, ['console'], {stdio: ['ignore', 'ignore', 'ignore'], env: env(dir, {})});
	const time = hhmm ? `'${hhmm}'` : "printf('%02d:%02d', i % 24, (i * 7) % 60)";
	sqlite(db, `INSERT INTO teams(platform, ext_id, created_at) VALUES ('discord', '${GUILD}', 0);
		WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n})
		INSERT INTO channels(team_id, ext_id, daily_enabled, daily_time, daily_tz, daily_days)
		SELECT 1, CAST(900000000000000000 + i AS TEXT), 1, ${time}, 'UTC', 127 FROM c;`);
	return db;
}

function env(dir, extra) {
	fs.writeFileSync(path.join(dir, 'bot.ini'), '');
	return Object.assign({PATH: process.env.PATH, DRILLBOT_CONFIG: path.join(dir, 'bot.ini'),
	                      DRILLBOT_DATABASE: path.join(dir, 'drill.db'), DRILLBOT_WEB_LISTEN: 'off',
	                      DRILLBOT_LOG_LEVEL: 'warn'}, extra);
}

async function fanout(n) {
	const f = fakeDiscord();
	await new Promise((r) => f.server.listen(0, '127.0.0.1', r));
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drillbot-daily-bench-'));
	const due = new Date(Date.now() - 60 * 1000);
	seed(dir, n, `${String(due.getUTCHours()).padStart(2, '0')}:${String(due.getUTCMinutes()).padStart(2, '0')}`);
	const started = Date.now();
	const bot = spawn(BIN, ['run'], {stdio: ['ignore', 'ignore', 'pipe'], env: env(dir, {
		DRILLBOT_DISCORD_TOKEN: TOKEN, DRILLBOT_DISCORD_APPLICATION_ID: APP,
		DRILLBOT_DISCORD_API_BASE: `http://127.0.0.1:${f.server.address().port}/api/v10`})});
	let err = '';
	bot.stderr.on('data', (c) => { err += c; });
	const limit = Date.now() + (n / 50) * 3000 + 30000;
	while (f.channels.size < n && Date.now() < limit && bot.exitCode === null)
		await sleep(50);
	const first = f.posts[0], last = f.posts[f.posts.length - 1];
	if (process.env.DAILY_BENCH_TRACE) { /* arrivals per 100 ms from the first */
		const b = {};
		for (const p of f.posts)
			b[Math.floor((p - first) / 100)] = (b[Math.floor((p - first) / 100)] || 0) + 1;
		console.log(JSON.stringify(b));
	}
	const bound = n / 50;
	console.log(`fan-out ${n} channels: ${f.channels.size} posted, first post ${((first - started) / 1000).toFixed(2)} s ` +
	            `after start, first to last ${((last - first) / 1000).toFixed(2)} s = ` +
	            `${((last - first) / 1000 / bound).toFixed(3)} of N/50 (${bound.toFixed(0)} s), ` +
	            `${f.limited} 429s, ${f.dupes} duplicates, bot peak RSS ${hwmOf(bot.pid).toFixed(1)} MB`);
	if (f.channels.size < n)
		console.log(`  (incomplete; the bot said: ${err.split('\n').slice(-4).join(' | ')})`);
	bot.kill('SIGTERM');
	await new Promise((r) => bot.on('exit', r));
	f.server.close();
	fs.rmSync(dir, {recursive: true, force: true});
}

function hwmOf(pid) {
	try {
		const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
		return m ? Number(m[1]) / 1024 : NaN;
	} catch (e) {
		return NaN;
	}
}

/* The console with n channels scheduled: RSS once loaded, CPU over `secs` of waiting. */
async function idle(n, secs) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drillbot-daily-idle-'));
	if (n > 0)
		seed(dir, n, null);
	else
		spawnSync(BIN, ['console'], {stdio: ['ignore', 'ignore', 'ignore'], env: env(dir, {})});
	const t0 = Date.now();
	const bot = spawn(BIN, ['console'], {stdio: ['pipe', 'ignore', 'pipe'], env: env(dir, {DRILLBOT_LOG_LEVEL: 'info'})});
	let err = '';
	bot.stderr.on('data', (c) => { err += c; });
	while (!/daily drill: \d+ channels? scheduled/.test(err) && Date.now() - t0 < 60000)
		await sleep(20);
	const loaded = Date.now() - t0;
	// The first run (1.1 s after start) looks back a day for missed posts; idle is after it.
	await sleep(2500);
	const r = rss(bot.pid), c0 = ticks(bot.pid);
	await sleep(secs * 1000);
	const cpu = ticks(bot.pid) - c0;
	bot.stdin.end();
	await new Promise((res) => bot.on('exit', res));
	fs.rmSync(dir, {recursive: true, force: true});
	return {r, cpu, loaded};
}

async function main() {
	for (const n of SIZES)
		await fanout(n);
	const empty = await idle(0, 10);
	const full = await idle(100000, 10);
	console.log(`idle: 100,000 channels scheduled in ${full.loaded} ms from start; RSS ${full.r.toFixed(1)} MB ` +
	            `(${(full.r - empty.r).toFixed(1)} MB over an empty store's ${empty.r.toFixed(1)} MB); ` +
	            `CPU over 10 s of waiting ${(full.cpu * 1000).toFixed(0)} ms (empty store: ${(empty.cpu * 1000).toFixed(0)} ms)`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
