'use strict';
/*
 * fake.js - a fake Slack for testing a bot: one HTTP server on 127.0.0.1
 * (port 0) serving the Web API under /api/<method>, response_url endpoints
 * under /response/<id>, and Socket Mode WebSockets at the URL that
 * apps.connections.open hands out (/link/?ticket=...&app_id=..., one-time
 * tickets).
 *
 * Every rule it enforces comes from Slack's documentation; the constant or
 * check names the page (the full list, with URLs, is in README.md). It
 * records what the client did (requests, messages, response_url posts,
 * views, acknowledgements, connections) and every rule the client broke
 * ("violations"); scenarios drive it with the controls (slashCommand,
 * blockAction, viewSubmission, event, redeliver, disconnect, silence,
 * dropTcp, sendRaw, rateLimit, failNext, setUser, ...) and read the
 * records back with waitFor.
 *
 * Envelopes, hello and disconnect frames have the shapes (and key order) of
 * ../shared/slack/socket-mode-samples.jsonl and of the Socket Mode page.
 */
const http = require('http');
const crypto = require('crypto');
const {performance} = require('perf_hooks');
const {EventEmitter} = require('events');
const {WebSocketServer} = require('ws');
const schemas = require('./schemas');

const DOC = {
	socket: 'https://docs.slack.dev/apis/events-api/using-socket-mode',
	interact: 'https://docs.slack.dev/interactivity/handling-user-interaction',
	slash: 'https://docs.slack.dev/interactivity/implementing-slash-commands',
	webapi: 'https://docs.slack.dev/apis/web-api',
	rate: 'https://docs.slack.dev/apis/web-api/rate-limits',
	open: 'https://docs.slack.dev/reference/methods/apps.connections.open',
	query: 'https://docs.slack.dev/changelog/2020-11-no-more-tokens-in-querystrings-for-newly-created-apps',
	json: 'https://docs.slack.dev/changelog/2017-10-keeping-up-with-the-jsons',
	views: 'https://docs.slack.dev/reference/methods/views.open',
	blocks: 'https://docs.slack.dev/reference/block-kit/blocks',
};

/* handling-user-interaction: acknowledge "within 3 seconds"; triggers "expire in three seconds". */
const ACK_DEADLINE_MS = 3000;
const TRIGGER_TTL_MS = 3000;
/* using-socket-mode, 3. Handle disconnects: a warning "about 10 seconds before the disconnect". */
const REFRESH_GRACE_MS = 10000;
/* using-socket-mode, Using multiple connections: "up to 10 open WebSocket connections". */
const MAX_CONNECTIONS = 10;
/* handling-user-interaction / implementing-slash-commands: "up to 5 times within 30 minutes". */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
/* views.open errors: view_too_large, "greater than 250kb". */
const VIEW_MAX_BYTES = 250 * 1024;
const BODY_CAP = 1024 * 1024;

/*
 * The methods served: which token types each takes (app-level tokens only
 * for apps.connections.open; auth.test takes both, per its page), the
 * scope it needs, whether it reads JSON bodies (users.info: form only), and
 * apps.connections.open's "POST, token in the Authorization header".
 */
const METHODS = {
	'auth.test': {tokens: ['bot', 'app'], scope: null, json: true},
	'apps.connections.open': {tokens: ['app'], scope: 'connections:write', json: true, post: true,
	                          headerOnly: true},
	'chat.postMessage': {tokens: ['bot'], scope: 'chat:write', json: true},
	'chat.postEphemeral': {tokens: ['bot'], scope: 'chat:write', json: true},
	'views.open': {tokens: ['bot'], scope: null, json: true},
	'users.info': {tokens: ['bot'], scope: 'users:read', json: false},
};
const JSON_ARGS = ['blocks', 'attachments', 'view', 'metadata'];

const uuid = () => crypto.randomUUID();
const hex = (n) => crypto.randomBytes(n).toString('hex');
const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
/* Links between records stay out of JSON.stringify (they are circular). */
function hide(obj, ...keys) {
	for (const k of keys)
		Object.defineProperty(obj, k, {value: obj[k], enumerable: false, writable: true});
	return obj;
}

/* Every text object and string in a block list, depth first: [{type, text}]. */
function blockTexts(blocks, out = []) {
	const visit = (n) => {
		if (Array.isArray(n))
			return n.forEach(visit);
		if (!n || typeof n !== 'object')
			return;
		if ((n.type === 'mrkdwn' || n.type === 'plain_text') && typeof n.text === 'string')
			out.push({type: n.type, text: n.text});
		for (const [k, v] of Object.entries(n))
			if (k !== 'text' || typeof v === 'object')
				visit(v);
	};
	visit(blocks);
	return out;
}

/* A message's whole visible text (top-level text and every block text). */
function messageText(m) {
	return [m && m.text || '', ...blockTexts(m && m.blocks).map((t) => t.text)].join('\n');
}

/* The buttons of a block list: [{button, block}]. */
function buttons(blocks) {
	const out = [];
	for (const b of blocks || []) {
		for (const e of b.type === 'actions' ? b.elements || [] : [])
			if (e.type === 'button')
				out.push({button: e, block: b});
		if (b.accessory && b.accessory.type === 'button')
			out.push({button: b.accessory, block: b});
	}
	return out;
}

/* The button whose text is `label` (case and spaces ignored), else one that starts with it. */
function findButton(m, label) {
	const want = label.trim().toLowerCase();
	const all = buttons(m && m.blocks);
	const name = (x) => (x.button.text && x.button.text.text || '').replace(/:[a-z0-9_+-]+:/g, '').trim().toLowerCase();
	return all.find((x) => name(x) === want) || all.find((x) => name(x).startsWith(want)) || null;
}

/* The plain_text_input elements of a view: [{block, element}]. */
function textInputs(view) {
	return ((view && view.blocks) || []).filter((b) => b.type === 'input' && b.element &&
	                                                   b.element.type === 'plain_text_input')
	                                    .map((b) => ({block: b, element: b.element}));
}

class FakeSlack extends EventEmitter {
	/*
	 * opts: botToken, appToken (the two tokens accepted), validators (from
	 * schemas.load()), ackDeadlineMs, triggerTtlMs, refreshGraceMs,
	 * pingIntervalMs (server pings; 0 = none), botScopes, log.
	 */
	constructor(opts = {}) {
		super();
		this.botToken = opts.botToken || `xoxb-1-2-${hex(12)}`;
		this.appToken = opts.appToken || `xapp-1-A0FAKEAPP1-3-${hex(16)}`;
		this.validators = opts.validators || schemas.load();
		this.ackDeadlineMs = opts.ackDeadlineMs || ACK_DEADLINE_MS;
		this.triggerTtlMs = opts.triggerTtlMs || TRIGGER_TTL_MS;
		this.refreshGraceMs = opts.refreshGraceMs || REFRESH_GRACE_MS;
		this.pingIntervalMs = opts.pingIntervalMs === undefined ? 5000 : opts.pingIntervalMs;
		this.log = opts.log || (() => {});
		this.appId = 'A0FAKEAPP1';
		this.teamId = 'T0FAKETEAM';
		this.teamDomain = 'fake-team';
		this.botUserId = 'U0FAKEBOT1';
		this.botId = 'B0FAKEBOT1';
		this.verificationToken = 'fake-verification-token';
		this.scopes = {bot: new Set(opts.botScopes || ['chat:write', 'commands', 'users:read']),
		               app: new Set(['connections:write'])};
		this.users = new Map();
		this.setUser('U0ALICE001', {name: 'alice', real_name: 'Alice Example', tz: 'Europe/Berlin',
		                            tz_label: 'Central European Time', tz_offset: 3600});
		this.setUser('U0ADMIN001', {name: 'ada', real_name: 'Ada Admin', tz: 'America/New_York',
		                            tz_label: 'Eastern Standard Time', tz_offset: -18000, is_admin: true,
		                            is_owner: true});
		this.defaultUser = 'U0ALICE001';
		this.channels = new Map();
		this.addChannel('C0GENERAL1', {name: 'general'});
		this.addChannel('C0NOTIN001', {name: 'random', member: false});
		this.defaultChannel = 'C0GENERAL1';

		this.t0 = Date.now();
		this.violations = [];
		this.notes = [];
		this.requests = [];
		this.messages = [];
		this.responsePosts = [];
		this.views = [];
		this.acks = [];
		this.connections = [];
		this.envelopes = new Map();
		this.envelopeList = [];
		this.pending = [];
		this.tickets = new Map();
		this.triggers = new Map();
		this.responseUrls = new Map();
		this.limits = new Map();
		this.failures = new Map();
		this.revoked = {bot: null, app: null};
		this.linkDisabled = false;
		this.timers = new Set();
		this.seq = 0;
		this.port = 0;
	}

	/* ---- lifecycle ---- */

	start() {
		this.server = http.createServer((req, res) => this._onHttp(req, res));
		this.server.keepAliveTimeout = 120000;
		this.wss = new WebSocketServer({noServer: true, autoPong: false, perMessageDeflate: false,
		                                maxPayload: 16 * 1024 * 1024});
		this.server.on('upgrade', (req, socket, head) => this._onUpgrade(req, socket, head));
		this.sockets = new Set();
		this.server.on('connection', (s) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(0, '127.0.0.1', () => {
				this.port = this.server.address().port;
				resolve(this);
			});
		});
	}

	async stop() {
		for (const t of this.timers)
			clearTimeout(t);
		for (const c of this.connections) {
			clearInterval(c._pinger);
			if (c.state === 'open')
				c._ws.terminate();
		}
		for (const s of this.sockets || [])
			s.destroy();
		if (this.wss)
			this.wss.close();
		if (this.server)
			await new Promise((r) => this.server.close(() => r()));
	}

	get apiBase() {
		return `http://127.0.0.1:${this.port}/api`;
	}

	later(ms, fn) {
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, ms);
		this.timers.add(t);
		return t;
	}

	now() {
		return Date.now() - this.t0;
	}

	/* A rule of the docs the client broke. */
	violation(rule, detail, doc) {
		const v = {at: this.now(), rule, detail, doc};
		this.violations.push(v);
		this.log(`VIOLATION ${rule}: ${detail}`);
		return v;
	}

	note(text) {
		this.notes.push({at: this.now(), text});
		this.log(`NOTE ${text}`);
	}

	/* Polls pred() every 20 ms until truthy (resolves) or timeoutMs (rejects); opts.abort names a reason to stop. */
	waitFor(pred, timeoutMs = 10000, what = 'the condition', opts = {}) {
		const deadline = Date.now() + timeoutMs;
		return new Promise((resolve, reject) => {
			const tick = () => {
				let v;
				try {
					v = pred();
				} catch (e) {
					return reject(e);
				}
				if (v)
					return resolve(v);
				const why = opts.abort && opts.abort();
				if (why)
					return reject(new Error(`${why} while waiting for ${what}`));
				if (Date.now() >= deadline)
					return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
				setTimeout(tick, 20);
			};
			tick();
		});
	}

	/* ---- world ---- */

	setUser(id, fields = {}) {
		const u = Object.assign({id, name: id.toLowerCase(), real_name: id, tz: 'UTC',
		                         tz_label: 'Coordinated Universal Time', tz_offset: 0, is_admin: false,
		                         is_owner: false, is_bot: false}, this.users.get(id) || {}, fields);
		this.users.set(id, u);
		return u;
	}

	addChannel(id, {name, member = true} = {}) {
		if (!this.channels.has(id))
			this.channels.set(id, {id, name: name || id.toLowerCase(), member});
		return this.channels.get(id);
	}

	_userObject(u, locale) {
		const o = {id: u.id, team_id: this.teamId, name: u.name, deleted: false, color: '9f69e7',
		           real_name: u.real_name, tz: u.tz, tz_label: u.tz_label, tz_offset: u.tz_offset,
		           profile: {real_name: u.real_name, display_name: u.name, real_name_normalized: u.real_name,
		                     display_name_normalized: u.name, team: this.teamId},
		           is_admin: u.is_admin, is_owner: u.is_owner, is_primary_owner: !!u.is_owner,
		           is_restricted: false, is_ultra_restricted: false, is_bot: u.is_bot, is_app_user: false,
		           updated: Math.floor(this.t0 / 1000), has_2fa: false};
		if (locale)
			o.locale = 'en-US';
		return o;
	}

	_ts() {
		this.seq++;
		return `${Math.floor(Date.now() / 1000)}.${String(this.seq % 1000000).padStart(6, '0')}`;
	}

	/* Slack gives every block (and element) an id when the app sends none. */
	_assignIds(blocks) {
		for (const b of blocks || []) {
			if (b && typeof b === 'object') {
				if (b.block_id === undefined)
					b.block_id = hex(3);
				for (const e of [...(b.elements || []), b.accessory, b.element])
					if (e && typeof e === 'object' && ['button', 'plain_text_input'].includes(e.type) &&
					    e.action_id === undefined)
						e.action_id = hex(3);
			}
		}
		return blocks;
	}

	_trigger(user) {
		const id = `${Date.now() % 100000000}.${Math.floor(Math.random() * 1e9)}.${hex(16)}`;
		const t = {id, user, createdAt: Date.now(), used: false, env: null};
		this.triggers.set(id, t);
		return t;
	}

	_responseUrl(fields) {
		const r = Object.assign({id: hex(12), createdAt: Date.now(), uses: 0, env: null}, fields);
		r.url = `http://127.0.0.1:${this.port}/response/${r.id}`;
		this.responseUrls.set(r.id, r);
		return r;
	}

	/* The envelope a reply posted to `channel` now answers: the newest written there. */
	_envFor(channel) {
		for (let i = this.envelopeList.length - 1; i >= 0; i--) {
			const e = this.envelopeList[i];
			if (e.channel === channel && e.writtenAt !== null)
				return e.root;
		}
		return null;
	}

	_store(m) {
		m.at = this.now();
		m.ts = m.ts || this._ts();
		hide(m, 'env');
		this.messages.push(m);
		this.emit('message', m);
		return m;
	}

	/* ---- Web API ---- */

	_onHttp(req, res) {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size <= BODY_CAP)
				chunks.push(c);
		});
		req.on('end', () => {
			const url = new URL(req.url, 'http://127.0.0.1');
			const raw = Buffer.concat(chunks).toString('utf8');
			if (size > BODY_CAP) {
				this.violation('body-too-large', `${size} bytes to ${url.pathname}`, DOC.webapi);
				return this._send(res, 413, {ok: false, error: 'request_too_large'});
			}
			let m = /^\/api\/([A-Za-z.]+)$/.exec(url.pathname);
			if (m)
				return this._api(req, res, m[1], raw, url);
			m = /^\/response\/([0-9a-f]+)$/.exec(url.pathname);
			if (m)
				return this._response(req, res, m[1], raw);
			this.violation('unknown-path', `${req.method} ${url.pathname}`, DOC.webapi);
			this._send(res, 404, {ok: false, error: 'unknown_method'});
		});
	}

	_send(res, status, body, headers = {}) {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, Object.assign({'Content-Type': typeof body === 'string' ? 'text/plain'
		                                                     : 'application/json; charset=utf-8'}, headers));
		res.end(text);
	}

	_api(req, res, method, raw, url) {
		const rec = {at: this.now(), method, http: req.method, contentType: req.headers['content-type'] || null,
		             args: {}, tokenKind: null, status: 200, response: null};
		this.requests.push(rec);
		const done = (body, status = 200, headers = {}) => {
			rec.status = status;
			rec.response = body;
			this.emit('request', rec);
			this._send(res, status, body, headers);
		};
		const spec = METHODS[method];
		if (!spec) {
			this.violation('unknown-method', `${method} is not a method the fake serves`, DOC.webapi);
			return done({ok: false, error: 'unknown_method'});
		}
		// Arguments: query string, form body or JSON body (web-api, POST bodies).
		const args = {};
		let queryToken = null;
		for (const [k, v] of url.searchParams)
			if (k === 'token')
				queryToken = v;
			else
				args[k] = v;
		if (queryToken !== null)
			this.violation('token-in-query', `${method}: token passed in the query string`, DOC.query);
		let formToken = null;
		let warning = null;
		const ct = (rec.contentType || '').toLowerCase();
		if (req.method === 'POST' && raw.length) {
			if (ct.startsWith('application/json')) {
				if (!spec.json) {
					this.violation('json-not-accepted', `${method} does not accept application/json`,
					               `https://docs.slack.dev/reference/methods/${method}`);
					return done({ok: false, error: 'invalid_arguments'});
				}
				let body;
				try {
					body = JSON.parse(raw);
				} catch (e) {
					this.violation('json-invalid', `${method}: body is not JSON (${e.message})`, DOC.webapi);
					return done({ok: false, error: 'invalid_arguments'});
				}
				if (!body || typeof body !== 'object' || Array.isArray(body)) {
					this.violation('json-invalid', `${method}: JSON body is not an object`, DOC.webapi);
					return done({ok: false, error: 'invalid_arguments'});
				}
				if ('token' in body) {
					this.violation('token-in-json', `${method}: a JSON body cannot carry the token; use ` +
					               'the Authorization header', DOC.json);
					delete body.token;
				}
				if (!/charset=/.test(ct))
					warning = 'missing_charset';
				rec.json = true;
				Object.assign(args, body);
			} else if (ct.startsWith('application/x-www-form-urlencoded')) {
				for (const [k, v] of new URLSearchParams(raw))
					if (k === 'token')
						formToken = v;
					else
						args[k] = v;
				for (const k of JSON_ARGS)
					if (typeof args[k] === 'string')
						try {
							args[k] = JSON.parse(args[k]);
						} catch (e) {
							rec.badJsonArg = k;
						}
				for (const [k, v] of Object.entries(args))
					if (v === 'true' || v === 'false')
						args[k] = v === 'true';
			} else if (!ct) {
				this.violation('missing-post-type', `${method}: POST body without a Content-Type`,
				               `https://docs.slack.dev/reference/methods/${method}`);
				return done({ok: false, error: 'missing_post_type'});
			} else {
				this.violation('invalid-post-type', `${method}: Content-Type ${ct}`,
				               `https://docs.slack.dev/reference/methods/${method}`);
				return done({ok: false, error: 'invalid_post_type'});
			}
		}
		rec.args = args;
		if (spec.post && req.method !== 'POST') {
			this.violation('not-post', `${method} called with ${req.method}`, DOC.open);
			return done({ok: false, error: 'invalid_arguments'});
		}
		// Authentication: Authorization: Bearer (or a POST parameter, except for app-level tokens).
		const m = /^Bearer\s+(\S+)$/.exec(req.headers.authorization || '');
		let token = m ? m[1] : formToken;
		if (!m && formToken && spec.headerOnly) {
			this.violation('token-not-in-header', `${method}: the app-level token must be sent in the ` +
			               'Authorization header, not as a POST parameter', DOC.open);
			return done({ok: false, error: 'invalid_auth'});
		}
		if (!token) {
			this.violation('not-authed', `${method} called without a token`, DOC.webapi);
			return done({ok: false, error: 'not_authed'});
		}
		const kind = token === this.botToken ? 'bot' : token === this.appToken ? 'app' : null;
		if (!kind) {
			this.note(`${method}: a token the fake does not know`);
			return done({ok: false, error: 'invalid_auth'});
		}
		rec.tokenKind = kind;
		if (this.revoked[kind])
			return done({ok: false, error: this.revoked[kind]});
		if (!spec.tokens.includes(kind)) {
			this.violation('token-type', `${method} called with the ${kind === 'app' ? 'app-level (xapp-)' : 'bot (xoxb-)'} ` +
			               'token', method === 'apps.connections.open' ? DOC.open
			                                                           : 'https://docs.slack.dev/authentication/tokens');
			return done({ok: false, error: 'not_allowed_token_type'});
		}
		// Rate limits: 429 with Retry-After; the next call must wait that long (rate-limits).
		const rl = this.limits.get(method);
		if (rl && rl.lastAt !== null) {
			rec.waitedMs = Date.now() - rl.lastAt;
			if (rec.waitedMs < rl.retryAfter * 1000 - 100)
				this.violation('retry-after-ignored', `${method} called again ${rec.waitedMs} ms after a 429 ` +
				               `with Retry-After: ${rl.retryAfter}`, DOC.rate);
			rl.lastAt = null;
		}
		if (rl && rl.remaining > 0) {
			rl.remaining--;
			rl.lastAt = Date.now();
			rec.limited = true;
			return done({ok: false, error: 'ratelimited'}, 429, {'Retry-After': String(rl.retryAfter)});
		}
		const fails = this.failures.get(method);
		if (fails && fails.length)
			return done(fails.shift());
		if (spec.scope && !this.scopes[kind].has(spec.scope)) {
			this.note(`${method}: missing_scope ${spec.scope}`);
			return done({ok: false, error: 'missing_scope', needed: spec.scope,
			             provided: [...this.scopes[kind]].join(',')});
		}
		if (rec.badJsonArg) {
			this.violation('json-arg-invalid', `${method}: ${rec.badJsonArg} is not valid JSON`, DOC.webapi);
			return done({ok: false, error: rec.badJsonArg === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments'});
		}
		const problems = this.validators.methodArgs(method, args);
		if (problems.length) {
			this.violation('arguments', `${method}: ${problems.join('; ')}`,
			               `https://docs.slack.dev/reference/methods/${method}`);
			return done({ok: false, error: 'invalid_arguments', response_metadata: {messages: problems.map((p) => `[ERROR] ${p}`)}});
		}
		const out = this[`_m_${method.replaceAll('.', '_')}`](rec, args);
		if (warning && out.ok) {
			out.warning = warning;
			out.response_metadata = {warnings: [warning]};
		}
		done(out);
	}

	_m_auth_test(rec) {
		const o = {ok: true, url: `https://${this.teamDomain}.slack.com/`, team: 'Fake Team', user: 'drillbot',
		           team_id: this.teamId, user_id: this.botUserId};
		if (rec.tokenKind === 'bot')
			o.bot_id = this.botId;
		else
			o.app_id = this.appId;
		o.is_enterprise_install = false;
		return o;
	}

	_m_apps_connections_open() {
		if (this.linkDisabled)
			this.note('apps.connections.open after a link_disabled disconnect');
		const ticket = uuid();
		this.tickets.set(ticket, {issuedAt: Date.now(), used: false});
		return {ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}&app_id=${this.appId}`};
	}

	_channel(id) {
		if (typeof id === 'string' && /^[UW]/.test(id) && this.users.has(id))
			return this.addChannel(`D${id.slice(1)}`, {name: `dm-${id}`});
		const c = this.channels.get(id) || [...this.channels.values()].find((x) => `#${x.name}` === id);
		if (!c)
			return {error: 'channel_not_found'};
		return c.member ? c : {error: 'not_in_channel'};
	}

	/* The content rules shared by chat.postMessage and chat.postEphemeral. */
	_content(method, a) {
		if (a.markdown_text !== undefined && (a.text !== undefined || a.blocks !== undefined))
			return {ok: false, error: 'markdown_text_conflict'};
		if (!a.text && !a.blocks && !a.attachments && !a.markdown_text)
			return {ok: false, error: 'no_text'};
		if (a.blocks !== undefined) {
			const problems = this.validators.blocks(a.blocks, 'message');
			if (problems.length) {
				this.violation('block-kit', `${method}: ${problems.join('; ')}`, DOC.blocks);
				return {ok: false, error: 'invalid_blocks', errors: problems,
				        response_metadata: {messages: problems.map((p) => `[ERROR] ${p}`)}};
			}
			if (!a.text)
				this.note(`${method} with blocks but no top-level text (the notification fallback)`);
		}
		if (typeof a.text === 'string' && a.text.length > 40000)
			this.note(`${method}: text of ${a.text.length} characters will be truncated`);
		return null;
	}

	_m_chat_postMessage(rec, a) {
		const ch = this._channel(a.channel);
		if (ch.error)
			return {ok: false, error: ch.error};
		const bad = this._content('chat.postMessage', a);
		if (bad)
			return bad;
		const m = this._store({via: 'chat.postMessage', channel: ch.id, ephemeral: false, text: a.text || '',
		                       blocks: this._assignIds(clone(a.blocks)), thread_ts: a.thread_ts,
		                       env: this._envFor(ch.id)});
		return {ok: true, channel: ch.id, ts: m.ts,
		        message: {user: this.botUserId, type: 'message', ts: m.ts, bot_id: this.botId,
		                  app_id: this.appId, text: m.text, team: this.teamId, blocks: m.blocks}};
	}

	_m_chat_postEphemeral(rec, a) {
		const ch = this._channel(a.channel);
		if (ch.error)
			return {ok: false, error: ch.error};
		if (!this.users.has(a.user))
			return {ok: false, error: 'user_not_in_channel'};
		const bad = this._content('chat.postEphemeral', a);
		if (bad)
			return bad;
		const m = this._store({via: 'chat.postEphemeral', channel: ch.id, user: a.user, ephemeral: true,
		                       text: a.text || '', blocks: this._assignIds(clone(a.blocks)),
		                       thread_ts: a.thread_ts, env: this._envFor(ch.id)});
		return {ok: true, message_ts: m.ts};
	}

	_m_views_open(rec, a) {
		let view = a.view;
		if (typeof view === 'string') {
			try {
				view = JSON.parse(view);
			} catch (e) {
				this.violation('view-json', 'views.open: view is not valid JSON', DOC.views);
				return {ok: false, error: 'invalid_arguments'};
			}
		}
		if (!a.trigger_id && !a.interactivity_pointer) {
			this.violation('trigger-missing', 'views.open without trigger_id or interactivity_pointer', DOC.views);
			return {ok: false, error: 'invalid_arguments'};
		}
		const t = this.triggers.get(a.trigger_id);
		if (!t) {
			this.violation('trigger-invalid', `views.open with a trigger_id the fake never sent`, DOC.interact);
			return {ok: false, error: 'invalid_trigger_id'};
		}
		if (t.used) {
			this.violation('trigger-reused', 'views.open with a trigger_id already exchanged', DOC.interact);
			return {ok: false, error: 'exchanged_trigger_id'};
		}
		const age = Date.now() - t.createdAt;
		t.used = true;
		if (age > this.triggerTtlMs) {
			this.violation('trigger-expired', `views.open ${age} ms after the trigger was sent (they expire ` +
			               `in ${this.triggerTtlMs} ms)`, DOC.interact);
			return {ok: false, error: 'expired_trigger_id'};
		}
		if (Buffer.byteLength(JSON.stringify(view)) > VIEW_MAX_BYTES)
			return {ok: false, error: 'view_too_large'};
		const problems = this.validators.modal(view);
		if (problems.length) {
			this.violation('block-kit', `views.open: ${problems.join('; ')}`, 'https://docs.slack.dev/reference/views/modal-views');
			return {ok: false, error: 'invalid_arguments', response_metadata: {messages: problems.map((p) => `[ERROR] ${p}`)}};
		}
		const id = `V${hex(5).toUpperCase()}`;
		const full = {id, team_id: this.teamId, type: 'modal', blocks: this._assignIds(clone(view.blocks)),
		              private_metadata: view.private_metadata || '', callback_id: view.callback_id || '',
		              state: {values: {}}, hash: `${Math.floor(Date.now() / 1000)}.${hex(4)}`, title: view.title,
		              clear_on_close: !!view.clear_on_close, notify_on_close: !!view.notify_on_close,
		              close: view.close || null, submit: view.submit || null, previous_view_id: null,
		              root_view_id: id, app_id: this.appId, external_id: view.external_id || '',
		              app_installed_team_id: this.teamId, bot_id: this.botId};
		const v = {at: this.now(), trigger_id: a.trigger_id, user: t.user, ageMs: age, view: full,
		           env: t.env ? t.env.root : null, channel: t.env ? t.env.channel : null};
		hide(v, 'env');
		this.views.push(v);
		this.emit('view', v);
		return {ok: true, view: full};
	}

	_m_users_info(rec, a) {
		const u = this.users.get(a.user);
		return u ? {ok: true, user: this._userObject(u, a.include_locale === true)}
		         : {ok: false, error: 'user_not_found'};
	}

	/* ---- response_url (handling-user-interaction, Message responses) ---- */

	_response(req, res, id, raw) {
		const rec = {at: this.now(), id, status: 200, body: null, problem: null};
		this.responsePosts.push(rec);
		const fail = (status, text, rule, detail) => {
			rec.status = status;
			rec.problem = rule;
			this.violation(rule, detail, DOC.interact);
			this._send(res, status, text);
		};
		const r = this.responseUrls.get(id);
		if (!r)
			return fail(404, 'invalid_url', 'response-url-unknown', `POST to a response_url the fake never sent`);
		rec.env = r.env;
		hide(rec, 'env');
		if (req.method !== 'POST')
			return fail(405, 'invalid_method', 'response-url-method', `${req.method} to a response_url`);
		if (!(req.headers['content-type'] || '').toLowerCase().startsWith('application/json'))
			return fail(400, 'invalid_payload', 'response-url-json', 'a response_url takes a JSON body');
		try {
			rec.body = JSON.parse(raw);
		} catch (e) {
			return fail(400, 'invalid_payload', 'response-url-json', `body is not JSON (${e.message})`);
		}
		r.uses++;
		if (r.uses > RESPONSE_URL_USES)
			return fail(404, 'used_url', 'response-url-overused', `response_url used ${r.uses} times (at most 5)`);
		if (Date.now() - r.createdAt > RESPONSE_URL_TTL_MS)
			return fail(404, 'expired_url', 'response-url-expired', 'response_url used after 30 minutes');
		const b = rec.body;
		const problems = this.validators.responseBody(b);
		if (problems.length)
			return fail(400, 'invalid_blocks', 'block-kit', `response_url: ${problems.join('; ')}`);
		if (!b.text && !b.blocks && !b.delete_original)
			return fail(400, 'no_text', 'response-url-empty', 'response_url body without text or blocks');
		const source = r.sourceTs ? this.messages.find((m) => m.ts === r.sourceTs) : null;
		if (b.delete_original) {
			if (source)
				source.deleted = true;
		} else if (b.replace_original === true && source) {
			source.text = b.text || '';
			source.blocks = this._assignIds(clone(b.blocks));
			source.replacedAt = this.now();
			rec.replaced = source;
		} else {
			this._store({via: 'response_url', channel: r.channel, user: r.user,
			             ephemeral: b.response_type !== 'in_channel', text: b.text || '',
			             blocks: this._assignIds(clone(b.blocks)), env: r.env ? r.env.root : null});
		}
		this._send(res, 200, {ok: true});
	}

	/* ---- Socket Mode ---- */

	_onUpgrade(req, socket, head) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const refuse = (rule, detail) => {
			this.violation(rule, detail, DOC.socket);
			socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
		};
		if (!/^\/link\/?$/.test(url.pathname))
			return refuse('socket-url', `WebSocket on ${url.pathname}, not the URL apps.connections.open gave`);
		const ticket = url.searchParams.get('ticket');
		const t = this.tickets.get(ticket);
		if (!t)
			return refuse('ticket-unknown', 'WebSocket with a ticket apps.connections.open never issued');
		if (t.used)
			return refuse('ticket-reused', 'WebSocket with a ticket already used: call apps.connections.open ' +
			              'for each connection');
		t.used = true;
		if (url.searchParams.get('debug_reconnects') === 'true')
			this.note('debug_reconnects=true');
		this.wss.handleUpgrade(req, socket, head, (ws) => this._onConnection(ws, ticket));
	}

	/* Open connections (a socket in its closing handshake no longer counts). */
	get open() {
		return this.connections.filter((c) => c.state === 'open' && c._ws.readyState === 1);
	}

	/* The newest open connection that got its hello. */
	get current() {
		const o = this.open.filter((c) => c.helloAt !== null);
		return o[o.length - 1] || null;
	}

	_onConnection(ws, ticket) {
		const conn = {id: this.connections.length + 1, ticket, openedAt: this.now(), helloAt: null,
		              closedAt: null, closedBy: null, closeCode: null, state: 'open', silent: false,
		              disconnect: null, handover: null, sent: 0, received: 0, dropped: 0, pings: 0, pongs: 0};
		Object.defineProperty(conn, '_ws', {value: ws, enumerable: false});
		this.connections.push(conn);
		this.log(`socket #${conn.id} open`);
		ws.on('message', (data, isBinary) => this._onFrame(conn, data, isBinary));
		ws.on('ping', (d) => {
			if (!conn.silent && conn.state === 'open')
				ws.pong(d);
		});
		ws.on('pong', () => conn.pongs++);
		ws.on('close', (code) => this._onClose(conn, code));
		ws.on('error', (e) => this.log(`socket #${conn.id} error ${e.message}`));
		const host = `applink-fake-${conn.id}`;
		if (this.open.length > MAX_CONNECTIONS) {
			this.violation('too-many-websockets', `${this.open.length} Socket Mode connections open (at most 10)`,
			               DOC.socket);
			this._sendFrame(conn, {type: 'disconnect', reason: 'too_many_websockets',
			                       num_connections: this.open.length - 1, debug_info: {host},
			                       connection_info: {app_id: this.appId}});
			this.later(100, () => this._serverClose(conn));
			return;
		}
		const started = new Date().toISOString().replace('T', ' ').replace('Z', '');
		this._sendFrame(conn, {type: 'hello', num_connections: this.open.length,
		                       debug_info: {host, build_number: 1, approximate_connection_time: 18060, started},
		                       connection_info: {app_id: this.appId}});
		conn.helloAt = this.now();
		if (this.pingIntervalMs)
			Object.defineProperty(conn, '_pinger', {value: setInterval(() => {
				if (conn.state === 'open' && !conn.silent) {
					conn.pings++;
					ws.ping();
				}
			}, this.pingIntervalMs), enumerable: false});
		const queued = this.pending.splice(0);
		for (const rec of queued)
			this._write(this._target(), rec);
	}

	_sendFrame(conn, obj) {
		if (conn.state !== 'open' || conn.silent || conn._ws.readyState !== 1)
			return false;
		conn._ws.send(JSON.stringify(obj));
		conn.sent++;
		return true;
	}

	/* Where a new envelope goes: the newest helloed, non-silent connection not told to go. */
	_target() {
		const live = this.open.filter((c) => c.helloAt !== null && !c.silent);
		const fresh = live.filter((c) => !c.disconnect);
		return fresh[fresh.length - 1] || live[live.length - 1] || null;
	}

	_dispatch(envelope, fields = {}) {
		const rec = Object.assign({id: envelope.envelope_id, type: envelope.type, envelope, conn: null,
		                           createdAt: this.now(), writtenAt: null, writtenHr: null, acks: [],
		                           channel: null, responseId: null, retryOf: null}, fields);
		rec.root = rec.retryOf ? rec.retryOf.root : rec;
		hide(rec, 'root', 'retryOf', 'connection');
		this.envelopes.set(rec.id, rec);
		this.envelopeList.push(rec);
		const c = fields.connection || this._target();
		if (c)
			this._write(c, rec);
		else
			this.pending.push(rec);
		return rec;
	}

	_write(conn, rec) {
		rec.conn = conn.id;
		rec.writtenAt = this.now();
		rec.writtenHr = performance.now();
		this._sendFrame(conn, rec.envelope);
		this.later(this.ackDeadlineMs + 20, () => this._deadline(rec, conn));
	}

	_deadline(rec, conn) {
		if (rec.acks.length)
			return;
		if (conn.closedBy && conn.closedBy !== 'client' && conn.closedAt <= rec.writtenAt + this.ackDeadlineMs) {
			this.note(`envelope ${rec.id} lost with connection #${conn.id} (closed by ${conn.closedBy})`);
			return;
		}
		if (conn.silent)
			return;
		rec.missed = this.violation('ack-missing', `envelope ${rec.id} (${rec.type}) not acknowledged within ` +
		                            `${this.ackDeadlineMs} ms`, DOC.interact);
	}

	_onFrame(conn, data, isBinary) {
		if (conn.silent) {
			conn.dropped++;
			return;
		}
		conn.received++;
		if (isBinary)
			return this.violation('binary-frame', `connection #${conn.id}: a binary frame`, DOC.socket);
		let frame;
		try {
			frame = JSON.parse(data.toString('utf8'));
		} catch (e) {
			return this.violation('frame-not-json', `connection #${conn.id}: ${String(data).slice(0, 80)}`, DOC.socket);
		}
		const problems = this.validators.ack(frame);
		if (problems.length) {
			if (!frame || typeof frame !== 'object' || typeof frame.envelope_id !== 'string')
				return this.violation('frame-unknown', `connection #${conn.id} sent something that is not an ` +
				                      `acknowledgement: ${JSON.stringify(frame).slice(0, 120)}`, DOC.socket);
			this.violation('ack-shape', `connection #${conn.id}: ${problems.join('; ')}`, DOC.socket);
		}
		this._onAck(conn, frame);
	}

	_onAck(conn, frame) {
		const rec = this.envelopes.get(frame.envelope_id);
		if (!rec || rec.writtenAt === null)
			return this.violation('ack-unknown', `ack for envelope ${frame.envelope_id}, never sent`, DOC.socket);
		if (rec.conn !== conn.id)
			this.violation('ack-wrong-connection', `ack for envelope ${rec.id} on connection #${conn.id}; it was ` +
			               `sent on #${rec.conn}`, DOC.socket);
		const a = {at: this.now(), conn: conn.id, envelope_id: rec.id, latencyMs: performance.now() - rec.writtenHr,
		           payload: frame.payload, env: rec};
		hide(a, 'env');
		rec.acks.push(a);
		this.acks.push(a);
		if (rec.acks.length > 1)
			this.violation('ack-duplicate', `envelope ${rec.id} acknowledged ${rec.acks.length} times`, DOC.socket);
		else if (a.latencyMs > this.ackDeadlineMs) {
			const detail = `envelope ${rec.id} (${rec.type}) acknowledged after ${Math.round(a.latencyMs)} ms ` +
			               `(deadline ${this.ackDeadlineMs} ms)`;
			if (rec.missed)
				Object.assign(rec.missed, {rule: 'ack-late', detail});
			else
				this.violation('ack-late', detail, DOC.interact);
		}
		if (frame.payload !== undefined && rec.acks.length === 1)
			this._ackPayload(rec, frame.payload);
		this.emit('ack', a);
	}

	_ackPayload(rec, p) {
		if (!rec.envelope.accepts_response_payload)
			return this.violation('ack-payload-not-accepted', `payload in the ack of ${rec.id}, whose envelope ` +
			                      'has accepts_response_payload false', DOC.socket);
		const kind = rec.type === 'interactive' ? rec.envelope.payload.type : rec.type;
		if (kind === 'view_submission') {
			const problems = this.validators.viewAck(p);
			if (p && p.view)
				problems.push(...this.validators.modal(p.view));
			if (problems.length)
				return this.violation('block-kit', `view_submission ack: ${problems.join('; ')}`,
				                      'https://docs.slack.dev/surfaces/modals');
			rec.viewAck = p;
		} else if (kind === 'slash_commands') {
			const problems = this.validators.responseBody(p);
			if (problems.length)
				return this.violation('block-kit', `slash command ack: ${problems.join('; ')}`, DOC.slash);
			if (p.text || p.blocks)
				this._store({via: 'ack', channel: rec.channel, user: rec.envelope.payload.user_id,
				             ephemeral: p.response_type !== 'in_channel', text: p.text || '',
				             blocks: this._assignIds(clone(p.blocks)), env: rec.root});
		} else {
			this.note(`ack payload for a ${kind} envelope: ${JSON.stringify(p).slice(0, 100)}`);
		}
	}

	_onClose(conn, code) {
		clearInterval(conn._pinger);
		conn.state = 'closed';
		conn.closedAt = this.now();
		if (!conn.closedBy)
			conn.closedBy = conn._ws._closeFrameReceived ? 'client' : 'tcp';
		conn.closeCode = code;
		this.log(`socket #${conn.id} closed by ${conn.closedBy} (${code})`);
		if (conn.disconnect && ['warning', 'refresh_requested'].includes(conn.disconnect.reason)) {
			const next = this.connections.find((c) => c.id > conn.id && c.helloAt !== null &&
			                                          c.openedAt >= conn.disconnect.at && c.helloAt <= conn.closedAt);
			conn.handover = {ok: !!next, newConn: next ? next.id : null, closedAt: conn.closedAt,
			                 helloAt: next ? next.helloAt : null};
		}
		this.emit('close', conn);
	}

	_serverClose(conn, code = 1000) {
		if (conn.state !== 'open')
			return;
		conn.closedBy = conn.closedBy || 'server';
		try {
			conn._ws.close(code);
		} catch (e) {
			conn._ws.terminate();
		}
		this.later(2000, () => conn.state === 'open' && conn._ws.terminate());
	}

	/* ---- controls ---- */

	_need(conn) {
		const c = conn || this.current;
		if (!c)
			throw new Error('no open Socket Mode connection');
		return c;
	}

	/*
	 * Sends {type: 'disconnect', reason} (using-socket-mode, 3). For warning and
	 * refresh_requested the socket stays open graceMs (10 s) and is then
	 * closed; for link_disabled it closes at once and the link stays disabled.
	 */
	disconnect(reason, opts = {}) {
		const c = this._need(opts.conn);
		c.disconnect = {reason, at: this.now()};
		this._sendFrame(c, {type: 'disconnect', reason, debug_info: {host: `applink-fake-${c.id}`}});
		if (reason === 'link_disabled')
			this.linkDisabled = true;
		const grace = ['warning', 'refresh_requested'].includes(reason) ? opts.graceMs || this.refreshGraceMs : 100;
		this.later(grace, () => this._serverClose(c));
		return c;
	}

	/* The connection goes half-open: no pings, no pongs, nothing sent, frames ignored. */
	silence(conn) {
		const c = this._need(conn);
		c.silent = true;
		c.silentAt = this.now();
		return c;
	}

	dropTcp(conn) {
		const c = this._need(conn);
		c.closedBy = 'tcp-drop';
		c._ws._socket.destroy();
		return c;
	}

	sendRaw(data, opts = {}) {
		const c = this._need(opts.conn);
		c._ws.send(data, {binary: !!opts.binary});
		return c;
	}

	/* The next `count` calls of method get 429 with Retry-After: seconds. */
	rateLimit(method, seconds, count = 1) {
		this.limits.set(method, {retryAfter: seconds, remaining: count, lastAt: null});
	}

	/* The next `count` calls of method answer {ok: false, error, ...extra}. */
	failNext(method, error, extra = {}, count = 1) {
		const list = this.failures.get(method) || [];
		for (let i = 0; i < count; i++)
			list.push(Object.assign({ok: false, error}, extra));
		this.failures.set(method, list);
	}

	revoke(kind, error = 'token_revoked') {
		this.revoked[kind] = error;
	}

	/* A slash_commands envelope, shaped as socket-mode-samples.jsonl line 1. */
	slashCommand(command, text = '', opts = {}) {
		const user = this.users.get(opts.user || this.defaultUser);
		const ch = this.addChannel(opts.channel || this.defaultChannel);
		const trig = this._trigger(user.id);
		const r = this._responseUrl({channel: ch.id, user: user.id, kind: 'command'});
		const envelope = {
			envelope_id: uuid(),
			payload: {token: this.verificationToken, team_id: this.teamId, team_domain: this.teamDomain,
			          channel_id: ch.id, channel_name: ch.name, user_id: user.id, user_name: user.name, command,
			          text, api_app_id: this.appId, response_url: r.url, trigger_id: trig.id},
			type: 'slash_commands',
			accepts_response_payload: true,
		};
		const rec = this._dispatch(envelope, {channel: ch.id, responseId: r.id, connection: opts.conn});
		r.env = trig.env = rec;
		return rec;
	}

	/* A block_actions envelope for a click on `button` (from findButton) of message `m`. */
	blockAction(m, found, opts = {}) {
		const user = this.users.get(opts.user || m.user || this.defaultUser);
		const ch = this.channels.get(m.channel) || this.addChannel(m.channel);
		const trig = this._trigger(user.id);
		const r = this._responseUrl({channel: ch.id, user: user.id, kind: 'action', sourceTs: m.ts});
		const b = found.button;
		const payload = {
			type: 'block_actions', team: {id: this.teamId, domain: this.teamDomain},
			user: {id: user.id, username: user.name, name: user.name, team_id: this.teamId},
			api_app_id: this.appId, token: this.verificationToken,
			container: {type: 'message', message_ts: m.ts, channel_id: ch.id, is_ephemeral: !!m.ephemeral},
			trigger_id: trig.id, channel: {id: ch.id, name: ch.name},
		};
		if (!m.ephemeral)
			payload.message = {bot_id: this.botId, type: 'message', text: m.text, user: this.botUserId, ts: m.ts,
			                   app_id: this.appId, blocks: m.blocks, team: this.teamId};
		payload.state = {values: {}};
		payload.response_url = r.url;
		payload.actions = [{action_id: b.action_id, block_id: found.block.block_id, text: b.text,
		                    value: b.value, type: 'button', action_ts: `${(Date.now() / 1000).toFixed(6)}`}];
		if (b.value === undefined)
			delete payload.actions[0].value;
		const envelope = {envelope_id: uuid(), payload, type: 'interactive', accepts_response_payload: true};
		const rec = this._dispatch(envelope, {channel: ch.id, responseId: r.id});
		r.env = trig.env = rec;
		return rec;
	}

	/*
	 * A view_submission for a view record (from fake.views): `values` is a
	 * string (into the first plain_text_input) or {action_id: value}.
	 */
	viewSubmission(v, values, opts = {}) {
		const user = this.users.get(opts.user || v.user || this.defaultUser);
		const state = {values: {}};
		textInputs(v.view).forEach(({block, element}, i) => {
			const val = typeof values === 'string' ? (i === 0 ? values : '') : values[element.action_id] || '';
			state.values[block.block_id] = {[element.action_id]: {type: 'plain_text_input', value: val || null}};
		});
		const trig = this._trigger(user.id);
		const view = Object.assign(clone(v.view), {state});
		const payload = {type: 'view_submission', team: {id: this.teamId, domain: this.teamDomain},
		                 user: {id: user.id, username: user.name, name: user.name, team_id: this.teamId},
		                 api_app_id: this.appId, token: this.verificationToken, trigger_id: trig.id, view,
		                 response_urls: [], is_enterprise_install: false, enterprise: null};
		const envelope = {envelope_id: uuid(), payload, type: 'interactive', accepts_response_payload: true};
		const rec = this._dispatch(envelope, {channel: v.channel});
		trig.env = rec;
		return rec;
	}

	/* An events_api envelope, shaped as socket-mode-samples.jsonl lines 2 and 4. */
	event(event, opts = {}) {
		const ch = event.channel || this.defaultChannel;
		const ts = this._ts();
		const ev = Object.assign({client_msg_id: uuid(), type: 'message', text: '', user: this.defaultUser, ts,
		                          team: this.teamId, channel: ch, event_ts: ts}, event);
		const envelope = {
			envelope_id: uuid(),
			payload: {token: this.verificationToken, team_id: this.teamId, api_app_id: this.appId, event: ev,
			          type: 'event_callback', event_id: `Ev${hex(5).toUpperCase()}`,
			          event_time: Math.floor(Date.now() / 1000),
			          authorizations: [{enterprise_id: null, team_id: this.teamId, user_id: this.botUserId,
			                            is_bot: true, is_enterprise_install: false}],
			          is_ext_shared_channel: false, event_context: `1-${ev.type}-${this.teamId}-${ch}`},
			type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '',
		};
		return this._dispatch(envelope, {channel: ch, connection: opts.conn});
	}

	/* Sends an envelope again, as Slack does when it saw no ack: a new envelope_id, the same payload. */
	redeliver(rec, {attempt = 1, reason = 'timeout'} = {}) {
		const envelope = Object.assign(clone(rec.envelope), {envelope_id: uuid(), retry_attempt: attempt,
		                                                     retry_reason: reason});
		return this._dispatch(envelope, {channel: rec.channel, responseId: rec.responseId, retryOf: rec});
	}

	/* ---- accessors ---- */

	/* Everything the user saw in answer to an envelope (and its redeliveries). */
	repliesTo(rec) {
		return this.messages.filter((m) => m.env && m.env === rec.root);
	}

	messagesIn(channel, {ephemeral} = {}) {
		return this.messages.filter((m) => m.channel === channel && (ephemeral === undefined || m.ephemeral === ephemeral));
	}

	requestsTo(method) {
		return this.requests.filter((r) => r.method === method);
	}

	opensSince(at = 0) {
		return this.requestsTo('apps.connections.open').filter((r) => r.at >= at && r.response && r.response.ok);
	}
}

module.exports = {FakeSlack, messageText, blockTexts, buttons, findButton, textInputs, ACK_DEADLINE_MS,
                  TRIGGER_TTL_MS, REFRESH_GRACE_MS, DOC};
