'use strict';
/*
 * harness.js - runs one scenario: a temp dir, a fake Discord, the bot as a
 * child process, and the PASS/FAIL/SKIP lines. A scenario is straight-line
 * code; `expect` waits for something and, when it does not come, prints a
 * FAIL and aborts the scenario (or only its current section). Whatever
 * happens, teardown checks that the token never reached the bot's output,
 * that the fake saw no protocol violation and that SIGTERM stops the bot
 * with status 0.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const {spawn, spawnSync} = require('child_process');
const {FakeDiscord} = require('./fake');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = process.env.DRILLBOT_BIN ? path.resolve(REPO_ROOT, process.env.DRILLBOT_BIN)
                                     : path.join(REPO_ROOT, 'build', 'drillbot');
const LIVENESS_MS = 10000;
const STOP_MS = 10000;

class Abort extends Error {}

/* The bot as a child process: output captured, stopped only by its own pid. */
class Bot {
	constructor(h, args, env, label) {
		this.h = h;
		this.args = args;
		this.env = env;
		this.label = label;
		this.stdout = '';
		this.stderr = '';
		this.exit = null;
		this.startedAt = Date.now();
		this.proc = spawn(BIN, args, {cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe']});
		this.proc.stdout.on('data', (b) => {
			this.stdout += b.toString();
		});
		this.proc.stderr.on('data', (b) => {
			this.stderr += b.toString();
		});
		this.exited = new Promise((resolve) => {
			this.proc.on('error', (e) => {
				this.stderr += `\n[harness] cannot run ${BIN}: ${e.message}\n`;
				if (!this.exit)
					this.exit = {code: null, signal: null, error: e.message, at: Date.now()};
				resolve(this.exit);
			});
			this.proc.on('exit', (code, signal) => {
				if (!this.exit)
					this.exit = {code, signal, at: Date.now()};
				resolve(this.exit);
			});
		});
		// A close event comes after the pipes drain: wait for it before reading output.
		this.closed = new Promise((resolve) => this.proc.on('close', resolve));
	}

	get running() {
		return this.exit === null;
	}

	describeExit() {
		if (!this.exit)
			return 'running';
		if (this.exit.error)
			return `could not start (${this.exit.error})`;
		return this.exit.signal ? `killed by ${this.exit.signal}` : `exited with status ${this.exit.code}`;
	}

	/* Resolves to the exit record, or null if it is still running after ms. */
	async waitExit(ms) {
		let timer;
		const r = await Promise.race([this.exited,
		                              new Promise((res) => (timer = setTimeout(() => res(null), ms)))]);
		clearTimeout(timer);
		if (r)
			await Promise.race([this.closed, new Promise((res) => setTimeout(res, 1000))]);
		return r;
	}

	signal(sig) {
		if (this.running && this.proc.pid)
			try {
				process.kill(this.proc.pid, sig);
			} catch (e) {
				/* already gone */
			}
	}

	/* SIGTERM, then SIGKILL after ms: {exit, timedOut}. */
	async stop(ms = STOP_MS) {
		if (!this.running)
			return {exit: this.exit, timedOut: false, already: true};
		this.signal('SIGTERM');
		const r = await this.waitExit(ms);
		if (r)
			return {exit: r, timedOut: false};
		this.signal('SIGKILL');
		await this.waitExit(5000);
		return {exit: this.exit, timedOut: true};
	}

	tail(n = 15) {
		const lines = (this.stderr + (this.stdout ? '\n[stdout]\n' + this.stdout : '')).trimEnd().split('\n');
		return lines.slice(-n);
	}
}

class Harness {
	/*
	 * name: the scenario's short name (check names are discord_<name>_<check>);
	 * out: function(line); validators: from schemas.load() or null.
	 */
	constructor(name, out, validators) {
		this.name = name;
		this.out = out;
		this.validators = validators;
		this.bots = [];
		this.fakes = [];
		this.allow = new Set();
		this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `drillbot-discord-${name}-`));
		this.token = `MTIz.fake.token-${crypto.randomBytes(9).toString('base64url')}`;
		this.printedTail = false;
		this.debug = !!process.env.DISCORD_FAKE_DEBUG;
		this.counts = {pass: 0, fail: 0, skip: 0};
	}

	id(check) {
		return `discord_${this.name}_${check}`;
	}

	pass(check, extra) {
		this.counts.pass++;
		this.out(`PASS ${this.id(check)}${extra ? ` (${extra})` : ''}`);
	}

	fail(check, reason) {
		this.counts.fail++;
		this.out(`FAIL ${this.id(check)}: ${String(reason).replace(/\s*\n\s*/g, ' | ')}`);
		this.printTail();
	}

	skip(check, reason) {
		this.counts.skip++;
		this.out(`SKIP ${this.id(check)}: ${reason}`);
	}

	/* Context for the first failure: the bot's last lines and the fake's violations. */
	printTail() {
		if (this.printedTail)
			return;
		this.printedTail = true;
		const bot = this.bots[this.bots.length - 1];
		if (bot) {
			this.out(`    bot ${bot.label}: ${bot.describeExit()}; last output:`);
			for (const l of bot.tail(12))
				this.out(`    | ${l.slice(0, 300)}`);
		}
		const fake = this.fakes[this.fakes.length - 1];
		if (fake)
			for (const v of fake.violations.slice(0, 5))
				this.out(`    fake: ${v.rule}: ${v.detail.slice(0, 300)}`);
	}

	check(check, ok, reason, extra) {
		if (ok)
			this.pass(check, extra);
		else
			this.fail(check, reason || 'check failed');
		return !!ok;
	}

	/* Starts a fake Discord for this scenario. */
	async fake(opts = {}) {
		const f = new FakeDiscord(Object.assign({
			token: this.token,
			validators: this.validators,
			heartbeatInterval: 1000,
			log: this.debug ? (l) => process.stderr.write(`[${this.name} ${Date.now() % 100000}] ${l}\n`)
			                : () => {},
		}, opts));
		await f.start();
		this.fakes.push(f);
		this.current = f;
		return f;
	}

	/* The environment of the bot (the contract is in run.js's header). */
	botEnv(fake, opts = {}) {
		const env = {};
		for (const [k, v] of Object.entries(process.env))
			if (!k.startsWith('DRILLBOT_') || k === 'DRILLBOT_BIN')
				env[k] = v;
		const ini = path.join(this.tmp, 'bot.ini');
		if (!fs.existsSync(ini))
			fs.writeFileSync(ini, '');
		Object.assign(env, {
			DRILLBOT_CONFIG: ini,
			DRILLBOT_DATABASE: path.join(this.tmp, 'drill.db'),
			DRILLBOT_DISCORD_TOKEN: opts.token || this.token,
			DRILLBOT_DISCORD_API_BASE: fake.apiBase,
			DRILLBOT_PUBLIC_BASE_URL: 'https://drill.example',
			DRILLBOT_WEB_LISTEN: 'off',
			DRILLBOT_LOG_LEVEL: 'debug',
		});
		if (opts.appId !== false)
			env.DRILLBOT_DISCORD_APPLICATION_ID = fake.applicationId;
		Object.assign(env, opts.env || {});
		return env;
	}

	/* Spawns `$DRILLBOT_BIN <args>` against the fake. */
	startBot(fake, args = ['run'], opts = {}) {
		const bot = new Bot(this, args, this.botEnv(fake, opts), `${args.join(' ')}#${this.bots.length + 1}`);
		this.bots.push(bot);
		this.bot = bot;
		return bot;
	}

	/* Runs a command of the bot to completion (register-commands): the Bot, exited. */
	async runBot(fake, args, opts = {}) {
		const bot = this.startBot(fake, args, opts);
		const r = await bot.waitExit(opts.timeout || 30000);
		if (!r)
			await bot.stop(2000);
		return bot;
	}

	/*
	 * Waits for pred() (via the fake's poller); on timeout, or when the bot
	 * exits while it waits, prints FAIL <check> and aborts. PASS is printed
	 * unless opts.quiet. Returns pred's value.
	 */
	async expect(check, pred, what, timeout = LIVENESS_MS, opts = {}) {
		const fake = opts.fake || this.current;
		const bot = opts.bot === undefined ? this.bot : opts.bot;
		try {
			const v = await fake.waitFor(pred, timeout, what, {
				abort: () => (bot && !bot.running && !opts.exitOk ? `the bot ${bot.describeExit()}` : null),
			});
			if (!opts.quiet)
				this.pass(check, typeof opts.extra === 'function' ? opts.extra(v) : opts.extra);
			return v;
		} catch (e) {
			this.fail(check, e.message);
			throw new Abort(e.message);
		}
	}

	/* Like expect, but a timeout is the good outcome (for "nothing happens" checks). */
	async expectNothing(check, pred, what, ms, reason) {
		const fake = this.current;
		try {
			const v = await fake.waitFor(pred, ms, what);
			this.fail(check, reason(v));
			return false;
		} catch (e) {
			if (!/timed out/.test(e.message)) {
				this.fail(check, e.message);
				return false;
			}
			this.pass(check);
			return true;
		}
	}

	/* Fails a check and aborts the scenario (or section). */
	abort(check, reason) {
		this.fail(check, reason);
		throw new Abort(reason);
	}

	/* Runs part of a scenario; an abort (or an error) inside ends only that part. */
	async section(fn) {
		try {
			await fn();
			return true;
		} catch (e) {
			if (!(e instanceof Abort)) {
				this.sectionErrors = (this.sectionErrors || 0) + 1;
				this.fail(`section_error_${this.sectionErrors}`, e.message);
			}
			return false;
		}
	}

	sleep(ms) {
		return new Promise((r) => setTimeout(r, ms));
	}

	/* The gateway connection that IDENTIFYed or RESUMEd and got READY/RESUMED. */
	async ready(check = 'ready', fake = this.current, timeout = LIVENESS_MS) {
		return this.expect(check, () => {
			const c = fake.current;
			return c && (c.identified || c.resumed) && c.sent.some((s) => s.t === 'READY' || s.t === 'RESUMED')
			                   ? c : null;
		}, 'the bot to IDENTIFY and get READY', timeout, {fake});
	}

	/*
	 * Sends an interaction and waits for its first accepted callback: the
	 * callback record. A refused callback (a 4xx other than 429 and no retry
	 * within 1 s) fails at once, with the fake's answer in the reason.
	 */
	async ask(check, d, what, opts = {}) {
		const fake = this.current;
		const bot = this.bot;
		fake.dispatchInteraction(d);
		const refused = () => fake.callbackAttempts(d.id).filter((r) => r.status >= 400);
		const describe = () => refused().map((r) => `${r.status} ${JSON.stringify(r.response)}`)
		                                .join(', ').slice(0, 600);
		try {
			const cb = await fake.waitFor(() => fake.lastCallback(d.id), opts.timeout || LIVENESS_MS,
			                              what || 'a callback', {
				                              abort: () => {
					                              if (bot && !bot.running)
						                              return `the bot ${bot.describeExit()}`;
					                              const a = fake.callbackAttempts(d.id);
					                              const last = a[a.length - 1];
					                              if (last && last.status >= 400 && last.status !== 429 &&
					                                  last.doneAt < fake.now() - 1000)
						                              return `the callback was refused (${describe()})`;
					                              return null;
				                              },
			                              });
			if (!opts.quiet)
				this.pass(check);
			return cb;
		} catch (e) {
			this.abort(check, e.message);
		}
	}

	/* Scenario-end checks, always run. */
	async teardown(opts = {}) {
		for (const bot of this.bots) {
			if (bot.running) {
				const r = await bot.stop();
				if (opts.stopCheck !== false) {
					const suffix = this.bots.length > 1 ? `_${this.bots.indexOf(bot) + 1}` : '';
					if (r.timedOut)
						this.fail(`stops_on_sigterm${suffix}`, `still running ${STOP_MS} ms after SIGTERM (killed)`);
					else
						this.check(`stops_on_sigterm${suffix}`, r.exit.code === 0 && !r.exit.signal,
						           `after SIGTERM the bot ${bot.describeExit()}, expected status 0`);
				}
			} else {
				await bot.waitExit(1000);
			}
		}
		const leaked = this.bots.filter((b) => (b.stdout + b.stderr).includes(this.token));
		// A bot that never reached the fake proves nothing about tokens or the protocol.
		const talked = this.fakes.some((f) => f.requests.length || f.connections.length);
		if (this.bots.length && !talked) {
			this.skip('token_not_logged', 'the bot never talked to the fake');
			this.skip('follows_protocol', 'the bot never talked to the fake');
		} else if (this.bots.length)
			this.check('token_not_logged', leaked.length === 0,
			           `the token appears in the output of ${leaked.map((b) => b.label).join(', ')}`);
		const violations = [];
		for (const f of this.fakes)
			for (const v of f.violations)
				if (!this.allow.has(v.rule))
					violations.push(v);
		if (this.fakes.length && (talked || !this.bots.length))
			this.check('follows_protocol', violations.length === 0,
			           `${violations.length} violation(s): ` +
			           violations.slice(0, 4).map((v) => `${v.rule}: ${v.detail}`).join(' || '));
		for (const f of this.fakes)
			await f.stop();
		if (!process.env.DISCORD_FAKE_KEEP)
			fs.rmSync(this.tmp, {recursive: true, force: true});
		else
			this.out(`    kept ${this.tmp}`);
	}
}

/* `sqlite3 DB "SQL"` -> trimmed stdout, or null without the CLI. */
function sqlite(db, sql) {
	const r = spawnSync('sqlite3', [db, sql], {encoding: 'utf8', timeout: 10000});
	if (r.error || r.status !== 0)
		return null;
	return r.stdout.trim();
}

module.exports = {Harness, Bot, Abort, BIN, REPO_ROOT, LIVENESS_MS, sqlite};
