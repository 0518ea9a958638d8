'use strict';
/*
 * harness.js - runs one scenario: a temp dir, a fake Slack, the bot as a
 * child process, and the PASS/FAIL/SKIP lines (check names are
 * slack_<scenario>_<check>). `expect` waits for something and, when it does
 * not come, prints FAIL and aborts the scenario (or only its section).
 * Whatever happens, teardown checks that neither token reached the bot's
 * output, that the fake saw no violation, and that SIGTERM stops a running
 * bot with status 0.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const {spawn} = require('child_process');
const {FakeSlack} = require('./fake');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = process.env.DRILLBOT_BIN ? path.resolve(REPO_ROOT, process.env.DRILLBOT_BIN)
                                     : path.join(REPO_ROOT, 'build', 'drillbot');
const LIVENESS_MS = 10000;
const STOP_MS = 10000;

class Abort extends Error {}

/* The bot as a child process: output captured, stopped only by its own pid. */
class Bot {
	constructor(args, env, label) {
		this.label = label;
		this.stdout = '';
		this.stderr = '';
		this.exit = null;
		this.proc = spawn(BIN, args, {cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe']});
		this.proc.stdout.on('data', (b) => (this.stdout += b));
		this.proc.stderr.on('data', (b) => (this.stderr += b));
		this.exited = new Promise((resolve) => {
			this.proc.on('error', (e) => {
				this.stderr += `\n[harness] cannot run ${BIN}: ${e.message}\n`;
				this.exit = this.exit || {code: null, signal: null, error: e.message, at: Date.now()};
				resolve(this.exit);
			});
			this.proc.on('exit', (code, signal) => {
				this.exit = this.exit || {code, signal, at: Date.now()};
				resolve(this.exit);
			});
		});
		this.closed = new Promise((resolve) => this.proc.on('close', resolve));
	}

	get running() {
		return this.exit === null;
	}

	get output() {
		return this.stderr + this.stdout;
	}

	describeExit() {
		if (!this.exit)
			return 'running';
		if (this.exit.error)
			return `could not start (${this.exit.error})`;
		return this.exit.signal ? `killed by ${this.exit.signal}` : `exited with status ${this.exit.code}`;
	}

	/* The exit record, or null if still running after ms. */
	async waitExit(ms) {
		let timer;
		const r = await Promise.race([this.exited, new Promise((res) => (timer = setTimeout(() => res(null), ms)))]);
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
			return {exit: this.exit, timedOut: false};
		this.signal('SIGTERM');
		const r = await this.waitExit(ms);
		if (r)
			return {exit: r, timedOut: false};
		this.signal('SIGKILL');
		await this.waitExit(5000);
		return {exit: this.exit, timedOut: true};
	}

	tail(n = 12) {
		return (this.stderr + (this.stdout ? `\n[stdout]\n${this.stdout}` : '')).trimEnd().split('\n').slice(-n);
	}
}

class Harness {
	constructor(name, out) {
		this.name = name;
		this.out = out;
		this.bots = [];
		this.fakes = [];
		this.allow = new Set();
		this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `drillbot-slack-${name}-`));
		const r = () => crypto.randomBytes(12).toString('hex');
		this.botToken = `xoxb-100000000001-200000000002-${r()}`;
		this.appToken = `xapp-1-A0FAKEAPP1-300000000003-${r()}${r()}`;
		this.printedTail = false;
		this.debug = !!process.env.SLACK_FAKE_DEBUG;
		this.counts = {pass: 0, fail: 0, skip: 0};
	}

	id(check) {
		return `slack_${this.name}_${check}`;
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

	/* Context for the first failure: the bot's last lines and the fake's first violations. */
	printTail() {
		if (this.printedTail)
			return;
		this.printedTail = true;
		const bot = this.bots[this.bots.length - 1];
		if (bot) {
			this.out(`    bot ${bot.label}: ${bot.describeExit()}; last output:`);
			for (const l of bot.tail())
				this.out(`    | ${this.redact(l).slice(0, 300)}`);
		}
		for (const f of this.fakes)
			for (const v of f.violations.slice(0, 5))
				this.out(`    fake: ${v.rule}: ${v.detail.slice(0, 300)}`);
	}

	redact(s) {
		return s.split(this.botToken).join('<bot token>').split(this.appToken).join('<app token>');
	}

	check(check, ok, reason, extra) {
		if (ok)
			this.pass(check, extra);
		else
			this.fail(check, reason || 'check failed');
		return !!ok;
	}

	async fake(opts = {}) {
		const f = new FakeSlack(Object.assign({
			botToken: this.botToken, appToken: this.appToken,
			log: this.debug ? (l) => process.stderr.write(`[${this.name} ${Date.now() % 100000}] ${l}\n`) : () => {},
		}, opts));
		await f.start();
		this.fakes.push(f);
		this.current = f;
		return f;
	}

	/*
	 * The bot's environment: only these DRILLBOT_ variables (the contract is
	 * in run.js's header). opts.bot / opts.app: false leaves that token out.
	 */
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
			DRILLBOT_DATABASE: path.join(this.tmp, 'bot.db'),
			DRILLBOT_WEB_LISTEN: 'off',
			DRILLBOT_PUBLIC_BASE_URL: 'https://drill.example',
			DRILLBOT_LOG_LEVEL: 'debug',
			DRILLBOT_SLACK_API_BASE: fake.apiBase,
		});
		if (opts.bot !== false)
			env.DRILLBOT_SLACK_BOT_TOKEN = this.botToken;
		if (opts.app !== false)
			env.DRILLBOT_SLACK_APP_TOKEN = this.appToken;
		return Object.assign(env, opts.env || {});
	}

	startBot(fake, args = ['run'], opts = {}) {
		const bot = new Bot(args, this.botEnv(fake, opts), `${args.join(' ')}#${this.bots.length + 1}`);
		this.bots.push(bot);
		this.bot = bot;
		return bot;
	}

	/*
	 * Waits for pred() (via the fake's poller); on timeout, or when the bot
	 * exits meanwhile, prints FAIL and aborts. PASS unless opts.quiet.
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

	/* PASS when pred() stays false for ms; FAIL with reason(v) otherwise. */
	async expectNothing(check, pred, what, ms, reason) {
		try {
			const v = await this.current.waitFor(pred, ms, what);
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

	abort(check, reason) {
		this.fail(check, reason);
		throw new Abort(reason);
	}

	/* Runs part of a scenario; an abort inside ends only that part. */
	async section(fn) {
		try {
			await fn();
			return true;
		} catch (e) {
			if (!(e instanceof Abort)) {
				this.sectionErrors = (this.sectionErrors || 0) + 1;
				this.fail(`section_error_${this.sectionErrors}`, e.stack || e.message);
			}
			return false;
		}
	}

	sleep(ms) {
		return new Promise((r) => setTimeout(r, ms));
	}

	/* The connection that got its hello, after auth.test and apps.connections.open. */
	async connected(check = 'connects', fake = this.current, timeout = LIVENESS_MS) {
		return this.expect(check, () => fake.current, 'apps.connections.open and a Socket Mode hello',
		                   timeout, {fake});
	}

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
		const leaked = this.bots.filter((b) => b.output.includes(this.botToken) || b.output.includes(this.appToken));
		const talked = this.fakes.some((f) => f.requests.length || f.connections.length);
		if (this.bots.length && !talked) {
			this.skip('tokens_not_logged', 'the bot never talked to the fake');
			this.skip('follows_docs', 'the bot never talked to the fake');
		} else {
			if (this.bots.length)
				this.check('tokens_not_logged', leaked.length === 0,
				           `a token appears in the output of ${leaked.map((b) => b.label).join(', ')}`);
			const v = [];
			for (const f of this.fakes)
				v.push(...f.violations.filter((x) => !this.allow.has(x.rule)));
			this.check('follows_docs', v.length === 0, `${v.length} violation(s): ` +
			           v.slice(0, 4).map((x) => `${x.rule}: ${x.detail} (${x.doc})`).join(' || '));
		}
		for (const f of this.fakes)
			await f.stop();
		if (this.extraStop)
			await this.extraStop();
		if (!process.env.SLACK_FAKE_KEEP)
			fs.rmSync(this.tmp, {recursive: true, force: true});
		else
			this.out(`    kept ${this.tmp}`);
	}
}

module.exports = {Harness, Bot, Abort, BIN, REPO_ROOT, LIVENESS_MS};
