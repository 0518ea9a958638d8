'use strict';
/*
 * fake.js - a fake Discord for testing a bot: one HTTP server on 127.0.0.1
 * serving the v10 REST API under /api/v10 and the gateway WebSocket on
 * /gateway (and, distinct, /resume: the resume_gateway_url READY hands out,
 * so a test can see that the client resumed where the docs say it must).
 *
 * Everything it does is built from the docs in ../shared/discord (cited by
 * file and section next to the rule) and checked against its two schemas.
 * It records every connection, payload, heartbeat, request and every rule a
 * client broke ("violations"); a test drives it with the scenario controls
 * (sendDispatch, sendOp, close, dropTcp, withholdAcks, sendRaw, script,
 * setBucket, ...) and reads the records back (waitFor, callbacks, ...).
 *
 * Usage:
 *   const {FakeDiscord} = require('./fake');
 *   const fake = new FakeDiscord({token: 'MTIz.fake.token-abc'});
 *   await fake.start();            // fake.apiBase, fake.gatewayUrl
 *   ... start the bot with DRILLBOT_DISCORD_API_BASE=fake.apiBase ...
 *   const d = fake.slashCommand('question', {topic: 'caching'});
 *   fake.dispatchInteraction(d);
 *   const cb = await fake.waitFor(() => fake.lastCallback(d.id), 10000, 'a callback');
 *   await fake.stop();
 */
const http = require('http');
const crypto = require('crypto');
const {EventEmitter} = require('events');
const {WebSocketServer} = require('ws');
const checks = require('./checks');

const API_PREFIX = '/api/v10';
const DISCORD_EPOCH = 1420070400000n;

/* gateway.mdx, Sending Events: "Must not exceed 4096 bytes" (else close 4002). */
const MAX_CLIENT_PAYLOAD = 4096;
/* gateway.mdx, Rate Limiting: 120 gateway events per connection every 60 seconds. */
const GATEWAY_SEND_LIMIT = 120;
const GATEWAY_SEND_WINDOW_MS = 60000;
/* receiving-and-responding.mdx, Interaction Callback: initial response within 3 seconds. */
const INTERACTION_DEADLINE_MS = 3000;
/* receiving-and-responding.mdx: interaction tokens are valid for 15 minutes. */
const INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;
/*
 * gateway.mdx, Session Start Limit Object: max_concurrency identifies per
 * 5 seconds. The fake times receipt, not sending, so it allows 250 ms of
 * scheduling noise before it counts an IDENTIFY as too early.
 */
const IDENTIFY_WINDOW_MS = 5000;
const IDENTIFY_SLACK_MS = 250;

/* gateway.mdx, List of Intents: the bits that exist; privileged ones (Privileged Intents). */
const VALID_INTENTS = (() => {
	let m = 0;
	for (const b of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 21, 24, 25])
		m |= 2 ** b;
	return m;
})();
const PRIVILEGED_INTENTS = {GUILD_MEMBERS: 1 << 1, GUILD_PRESENCES: 1 << 8, MESSAGE_CONTENT: 1 << 15};

/* opcodes-and-status-codes.mdx, Gateway Opcodes. */
const OP = {DISPATCH: 0, HEARTBEAT: 1, IDENTIFY: 2, PRESENCE_UPDATE: 3, VOICE_STATE_UPDATE: 4,
            RESUME: 6, RECONNECT: 7, REQUEST_GUILD_MEMBERS: 8, INVALID_SESSION: 9, HELLO: 10,
            HEARTBEAT_ACK: 11, REQUEST_SOUNDBOARD_SOUNDS: 31, REQUEST_CHANNEL_INFO: 43};
const SEND_OPS = new Set([1, 2, 3, 4, 6, 8, 31, 43]);

/* opcodes-and-status-codes.mdx, Gateway Close Event Codes (Reconnect column). */
const CLOSE_CODES = {
	4000: {name: 'Unknown error', reconnect: true},
	4001: {name: 'Unknown opcode', reconnect: true},
	4002: {name: 'Decode error', reconnect: true},
	4003: {name: 'Not authenticated', reconnect: true},
	4004: {name: 'Authentication failed', reconnect: false},
	4005: {name: 'Already authenticated', reconnect: true},
	4007: {name: 'Invalid seq', reconnect: true},
	4008: {name: 'Rate limited', reconnect: true},
	4009: {name: 'Session timed out', reconnect: true},
	4010: {name: 'Invalid shard', reconnect: false},
	4011: {name: 'Sharding required', reconnect: false},
	4012: {name: 'Invalid API version', reconnect: false},
	4013: {name: 'Invalid intent(s)', reconnect: false},
	4014: {name: 'Disallowed intent(s)', reconnect: false},
};

/* permissions.mdx, Bitwise Permission Flags (the ones a plain member and the bot get). */
const PERM = {
	ADMINISTRATOR: 1n << 3n, ADD_REACTIONS: 1n << 6n, VIEW_CHANNEL: 1n << 10n,
	SEND_MESSAGES: 1n << 11n, EMBED_LINKS: 1n << 14n, ATTACH_FILES: 1n << 15n,
	READ_MESSAGE_HISTORY: 1n << 16n, MENTION_EVERYONE: 1n << 17n, USE_EXTERNAL_EMOJIS: 1n << 18n,
	USE_APPLICATION_COMMANDS: 1n << 31n, SEND_MESSAGES_IN_THREADS: 1n << 38n,
};
const MEMBER_PERMS = PERM.ADD_REACTIONS | PERM.VIEW_CHANNEL | PERM.SEND_MESSAGES | PERM.EMBED_LINKS |
                     PERM.ATTACH_FILES | PERM.READ_MESSAGE_HISTORY | PERM.USE_EXTERNAL_EMOJIS |
                     PERM.USE_APPLICATION_COMMANDS | PERM.SEND_MESSAGES_IN_THREADS;
const ALL_PERMS = (1n << 51n) - 1n;
/* receiving-and-responding.mdx, Interaction Structure note ***: app_permissions in DMs. */
const DM_APP_PERMS = PERM.VIEW_CHANNEL | PERM.SEND_MESSAGES | PERM.READ_MESSAGE_HISTORY |
                     PERM.ADD_REACTIONS | PERM.ATTACH_FILES | PERM.EMBED_LINKS |
                     PERM.MENTION_EVERYONE | PERM.USE_EXTERNAL_EMOJIS | PERM.USE_APPLICATION_COMMANDS;

let snowflakeCounter = 0n;
/* A snowflake as Discord makes them: ms since the Discord epoch << 22 | an increment. */
function snowflake() {
	snowflakeCounter = (snowflakeCounter + 1n) & 0xfffn;
	return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeCounter).toString();
}

function randomToken(bytes) {
	return crypto.randomBytes(bytes).toString('base64url');
}

function isoNow() {
	return new Date().toISOString().replace('Z', '+00:00');
}

/* reference boolean query strings: True/true/1 and False/false/0. */
function queryBool(v) {
	if (v === null || v === undefined)
		return undefined;
	if (['true', 'True', '1'].includes(v))
		return true;
	if (['false', 'False', '0'].includes(v))
		return false;
	return undefined;
}

function clone(v) {
	return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/* The REST routes the fake serves, by the spec's operationId. */
const ROUTES = [
	['GET', /^\/gateway$/, 'get_gateway', {auth: 'optional'}],
	['GET', /^\/gateway\/bot$/, 'get_bot_gateway', {auth: 'required'}],
	['GET', /^\/applications\/@me$/, 'get_my_application', {auth: 'required'}],
	['GET', /^\/users\/@me$/, 'get_my_user', {auth: 'required'}],
	['POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, 'create_interaction_response',
	 {auth: 'optional', interaction: true, top: (m) => `interaction:${m[1]}`}],
	['GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, 'get_original_webhook_message',
	 {auth: 'optional', interaction: true, top: (m) => `webhook:${m[1]}:${m[2]}`}],
	['PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, 'update_original_webhook_message',
	 {auth: 'optional', interaction: true, top: (m) => `webhook:${m[1]}:${m[2]}`}],
	['DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, 'delete_original_webhook_message',
	 {auth: 'optional', interaction: true, top: (m) => `webhook:${m[1]}:${m[2]}`}],
	['GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/, 'get_webhook_message',
	 {auth: 'optional', interaction: true, top: (m) => `webhook:${m[1]}:${m[2]}`}],
	['PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/, 'update_webhook_message',
	 {auth: 'optional', interaction: true, top: (m) => `webhook:${m[1]}:${m[2]}`}],
	['DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/, 'delete_webhook_message',
	 {auth: 'optional', interaction: true, top: (m) => `webhook:${m[1]}:${m[2]}`}],
	['POST', /^\/webhooks\/(\d+)\/([^/]+)$/, 'execute_webhook',
	 {auth: 'optional', interaction: true, top: (m) => `webhook:${m[1]}:${m[2]}`}],
	['GET', /^\/applications\/(\d+)\/commands$/, 'list_application_commands', {auth: 'required'}],
	['PUT', /^\/applications\/(\d+)\/commands$/, 'bulk_set_application_commands', {auth: 'required'}],
	['POST', /^\/applications\/(\d+)\/commands$/, 'create_application_command', {auth: 'required'}],
	['GET', /^\/applications\/(\d+)\/commands\/(\d+)$/, 'get_application_command', {auth: 'required'}],
	['PATCH', /^\/applications\/(\d+)\/commands\/(\d+)$/, 'update_application_command',
	 {auth: 'required'}],
	['DELETE', /^\/applications\/(\d+)\/commands\/(\d+)$/, 'delete_application_command',
	 {auth: 'required'}],
	['GET', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, 'list_guild_application_commands',
	 {auth: 'required', top: (m) => `guild:${m[2]}`}],
	['PUT', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, 'bulk_set_guild_application_commands',
	 {auth: 'required', top: (m) => `guild:${m[2]}`}],
	['POST', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, 'create_guild_application_command',
	 {auth: 'required', top: (m) => `guild:${m[2]}`}],
	['PATCH', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands\/(\d+)$/,
	 'update_guild_application_command', {auth: 'required', top: (m) => `guild:${m[2]}`}],
	['DELETE', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands\/(\d+)$/,
	 'delete_guild_application_command', {auth: 'required', top: (m) => `guild:${m[2]}`}],
	['POST', /^\/channels\/(\d+)\/messages$/, 'create_message',
	 {auth: 'required', top: (m) => `channel:${m[1]}`}],
	['PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, 'update_message',
	 {auth: 'required', top: (m) => `channel:${m[1]}`}],
];

class FakeDiscord extends EventEmitter {
	/*
	 * opts:
	 *   token               the bot token the fake accepts (REST and IDENTIFY)
	 *   applicationId       the application's (and bot user's) id
	 *   heartbeatInterval   ms, sent in HELLO (default 1000)
	 *   heartbeatGraceMs    lateness tolerated before a heartbeat counts as late
	 *   closeOnLateHeartbeat  close code to use when a heartbeat is late (default: none)
	 *   shards              GET /gateway/bot `shards` (default 1)
	 *   sessionStartLimit   GET /gateway/bot session_start_limit
	 *   privilegedIntents   bits of privileged intents the app has enabled (default 0)
	 *   guilds              READY guilds (default [])
	 *   validators          from schemas.load(), or null to skip schema validation
	 *   defaultBucket       {limit, windowMs} of every route's rate-limit bucket
	 *   log                 function(line) for debug output
	 */
	constructor(opts = {}) {
		super();
		this.token = opts.token || 'MTIz.fake.token-abc';
		this.applicationId = opts.applicationId || snowflake();
		this.botUser = Object.assign({
			id: this.applicationId, username: 'drillbot', discriminator: '0', global_name: null,
			avatar: null, bot: true, public_flags: 0, flags: 0, primary_guild: null, verified: true,
			mfa_enabled: false, email: null,
		}, opts.botUser || {});
		this.heartbeatInterval = opts.heartbeatInterval || 1000;
		// gateway.mdx, Heartbeat Interval: "There is already tolerance in the
		// heartbeat_interval"; the fake allows half an interval (at least 500 ms).
		this.heartbeatGraceMs = opts.heartbeatGraceMs != null ? opts.heartbeatGraceMs
		                                                       : Math.max(500, this.heartbeatInterval * 0.5);
		this.closeOnLateHeartbeat = opts.closeOnLateHeartbeat || null;
		this.shards = opts.shards || 1;
		this.sessionStartLimit = Object.assign({total: 1000, remaining: 999, reset_after: 14400000,
		                                        max_concurrency: 1}, opts.sessionStartLimit || {});
		this.privilegedIntents = opts.privilegedIntents || 0;
		this.guilds = opts.guilds || [];
		this.validators = opts.validators || null;
		this.defaultBucket = Object.assign({limit: 5, windowMs: 2000}, opts.defaultBucket || {});
		this.globalLimitPerSecond = opts.globalLimitPerSecond || 50;
		this.log = opts.log || (() => {});
		this.appFlags = opts.appFlags || 0;
		this.guildId = opts.guildId || snowflake();
		this.channelId = opts.channelId || snowflake();
		this.defaultUser = Object.assign({id: snowflake(), username: 'alice', global_name: 'Alice'},
		                                 opts.user || {});

		this.t0 = Date.now();
		this.events = [];
		this.violations = [];
		this.notes = [];
		this.requests = [];
		this.connections = [];
		this.sessions = new Map();
		this.activeSession = null;
		this.interactions = new Map(); // id -> record
		this.byToken = new Map(); // interaction token -> record
		this.messages = new Map(); // message id -> message object
		this.commands = {global: [], guilds: new Map()};
		this.buckets = new Map(); // bucket key -> state
		this.bucketConfig = new Map(); // operationId -> {limit, windowMs}
		this.scripts = new Map(); // operationId -> [responses]
		this.blocks = []; // {scope, key, until, route, at}
		this.globalWindow = [];
		// Channels the bot may not post in (403 Missing Access) or that are gone (404).
		this.deniedChannels = new Set();
		this.deletedChannels = new Set();
		this.nonces = new Map();
		this.identifyTimes = [];
		this.unauthorizedAt = null;
		this.nextIdentifyReject = null;
		this.nextResumeReplayFrom = null;
		this.identifyTokenOverride = opts.identifyToken || null;
		this.port = 0;
	}

	/* ---- lifecycle ---- */

	start() {
		this.server = http.createServer((req, res) => this._onHttp(req, res));
		// Keep idle connections as long as a real API front does, so a client
		// reusing one never races the fake closing it.
		this.server.keepAliveTimeout = 120000;
		this.server.headersTimeout = 125000;
		this.wss = new WebSocketServer({noServer: true, maxPayload: 64 * 1024 * 1024,
		                                perMessageDeflate: false});
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
		for (const c of this.connections) {
			clearTimeout(c._watchdog);
			if (c._ws && c.state === 'open')
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
		return `http://127.0.0.1:${this.port}${API_PREFIX}`;
	}

	get gatewayUrl() {
		return `ws://127.0.0.1:${this.port}/gateway`;
	}

	get resumeUrl() {
		return `ws://127.0.0.1:${this.port}/resume`;
	}

	/* ---- records ---- */

	now() {
		return Date.now() - this.t0;
	}

	record(kind, fields) {
		const e = Object.assign({at: this.now(), kind}, fields);
		this.events.push(e);
		this.emit('event', e);
		return e;
	}

	/* A rule of the docs the client broke. */
	violation(rule, detail) {
		const v = {at: this.now(), rule, detail};
		this.violations.push(v);
		this.log(`VIOLATION ${rule}: ${detail}`);
		this.record('violation', v);
		return v;
	}

	/* Something worth knowing that breaks no rule (deprecated use, and the like). */
	note(text) {
		this.notes.push({at: this.now(), text});
		this.log(`NOTE ${text}`);
	}

	/*
	 * Polls pred() every 20 ms until it returns a truthy value (resolved) or
	 * timeoutMs passes (rejected with an Error naming `what`). opts.abort is
	 * an optional function returning a reason string to stop early.
	 */
	waitFor(pred, timeoutMs = 10000, what = 'the condition', opts = {}) {
		const deadline = Date.now() + timeoutMs;
		return new Promise((resolve, reject) => {
			const tick = () => {
				let v;
				try {
					v = pred();
				} catch (e) {
					reject(e);
					return;
				}
				if (v) {
					resolve(v);
					return;
				}
				const why = opts.abort && opts.abort();
				if (why) {
					reject(new Error(`${why} while waiting for ${what}`));
					return;
				}
				if (Date.now() >= deadline) {
					reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
					return;
				}
				setTimeout(tick, 20);
			};
			tick();
		});
	}

	/* The newest connection that is still open. */
	get current() {
		for (let i = this.connections.length - 1; i >= 0; i--)
			if (this.connections[i].state === 'open')
				return this.connections[i];
		return null;
	}

	/* ---- gateway ---- */

	_onUpgrade(req, socket, head) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const p = url.pathname.replace(/\/+$/, '') || '/';
		if (p !== '/gateway' && p !== '/resume') {
			this.violation('gateway-url', `WebSocket upgrade on unknown path ${req.url}`);
			socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		this.wss.handleUpgrade(req, socket, head, (ws) => this._onConnection(ws, req, url, p));
	}

	_onConnection(ws, req, url, p) {
		const conn = {
			id: this.connections.length + 1,
			url: req.url,
			kind: p === '/resume' ? 'resume' : 'gateway',
			query: Object.fromEntries(url.searchParams),
			openedAt: this.now(),
			helloAt: null,
			state: 'open',
			identified: false,
			resumed: false,
			identify: null,
			resume: null,
			session: null,
			heartbeats: [],
			received: [],
			sent: [],
			sendTimes: [],
			acksWithheld: false,
			lastSeqSent: null,
			closedBy: null,
			closeCode: null,
			closeReason: null,
			serverCloseCode: null,
			closedAt: null,
			userAgent: req.headers['user-agent'] || null,
		};
		Object.defineProperty(conn, '_ws', {value: ws, enumerable: false});
		Object.defineProperty(conn, '_watchdog', {value: null, enumerable: false, writable: true});
		this.connections.push(conn);
		this.record('ws-open', {conn: conn.id, url: req.url});
		this.log(`gateway #${conn.id} open ${req.url}`);

		ws.on('message', (data, isBinary) => this._onFrame(conn, data, isBinary));
		ws.on('close', (code, reason) => this._onClose(conn, code, reason));
		ws.on('error', (e) => this.log(`gateway #${conn.id} error ${e.message}`));

		/*
		 * gateway.mdx, Connecting: the URL carries v and encoding. Version
		 * other than 10 -> 4012 Invalid API version (opcodes-and-status-codes.mdx);
		 * an encoding other than json -> 4002 Decode error (this fake speaks JSON only).
		 */
		if (conn.query.v !== '10') {
			this.violation('gateway-version', `connected without v=10: ${req.url}`);
			this._serverClose(conn, 4012, 'Invalid API version');
			return;
		}
		if (conn.query.encoding !== 'json') {
			this.violation('gateway-encoding', `connected without encoding=json: ${req.url}`);
			this._serverClose(conn, 4002, 'Decode error');
			return;
		}
		if (conn.query.compress !== undefined) {
			this.violation('gateway-compress',
			               `asked for transport compression ${conn.query.compress}, which drillbot ` +
			               'does not need and this fake does not speak');
			this._serverClose(conn, 4002, 'Decode error');
			return;
		}
		// gateway-events.mdx, Hello: sent on connection.
		conn.helloAt = this.now();
		this._send(conn, {op: OP.HELLO, d: {heartbeat_interval: this.heartbeatInterval}, s: null, t: null});
		this._armWatchdog(conn, this.heartbeatInterval);
	}

	/*
	 * gateway.mdx, Heartbeat Interval: the first heartbeat comes after
	 * interval * jitter, then one every interval; a client that fails to send
	 * one in time has its connection closed. The grace covers scheduling.
	 */
	_armWatchdog(conn, dueInMs) {
		clearTimeout(conn._watchdog);
		const limit = dueInMs + this.heartbeatGraceMs;
		conn._watchdog = setTimeout(() => {
			if (conn.state !== 'open')
				return;
			conn.lateHeartbeat = true;
			this.violation('heartbeat-late',
			               `connection #${conn.id}: no heartbeat within ${Math.round(limit)} ms ` +
			               `(interval ${this.heartbeatInterval} ms)`);
			if (this.closeOnLateHeartbeat)
				this._serverClose(conn, this.closeOnLateHeartbeat, 'Heartbeat missed');
		}, limit);
	}

	_send(conn, payload) {
		if (conn.state !== 'open')
			return false;
		const text = JSON.stringify(payload);
		conn._ws.send(text);
		conn.sent.push({at: this.now(), op: payload.op, t: payload.t || null, s: payload.s == null
		                                                                        ? null : payload.s});
		if (payload.op === OP.DISPATCH && payload.s != null)
			conn.lastSeqSent = payload.s;
		this.record('ws-out', {conn: conn.id, op: payload.op, t: payload.t || null, s: payload.s,
		                       bytes: text.length});
		return true;
	}

	_serverClose(conn, code, reason) {
		if (conn.state !== 'open')
			return;
		conn.serverCloseCode = code;
		conn.closedBy = conn.closedBy || 'server';
		this.record('ws-server-close', {conn: conn.id, code, reason});
		this.log(`gateway #${conn.id} server closes ${code} ${reason || ''}`);
		// gateway.mdx, Disconnecting: a close with 4007/4009 means a new session.
		if ((code === 4007 || code === 4009 || code === 4003) && conn.session) {
			const s = this.sessions.get(conn.session);
			if (s)
				s.invalid = true;
		}
		try {
			conn._ws.close(code, reason || CLOSE_CODES[code] && CLOSE_CODES[code].name || '');
		} catch (e) {
			conn._ws.terminate();
		}
		// A client that never answers the close frame is cut after 2 s.
		setTimeout(() => {
			if (conn.state === 'open')
				conn._ws.terminate();
		}, 2000).unref();
	}

	_onClose(conn, code, reason) {
		clearTimeout(conn._watchdog);
		conn.state = 'closed';
		conn.closedAt = this.now();
		const gotFrame = conn._ws._closeFrameReceived;
		if (!conn.closedBy)
			conn.closedBy = gotFrame ? 'client' : 'tcp';
		if (gotFrame)
			conn.closeCode = code;
		conn.closeReason = reason ? reason.toString() : '';
		this.record('ws-close', {conn: conn.id, code, closedBy: conn.closedBy, gotFrame});
		this.log(`gateway #${conn.id} closed by ${conn.closedBy} code ${code}`);
		/*
		 * gateway.mdx, Initiating a Disconnect: closing with 1000 or 1001
		 * invalidates the session; any other code (or a bare TCP close) keeps
		 * it resumable for a while.
		 */
		if (conn.closedBy === 'client' && (code === 1000 || code === 1001) && conn.session) {
			const s = this.sessions.get(conn.session);
			if (s)
				s.invalid = true;
		}
	}

	_onFrame(conn, data, isBinary) {
		const at = this.now();
		conn.sendTimes.push(at);
		while (conn.sendTimes.length && conn.sendTimes[0] <= at - GATEWAY_SEND_WINDOW_MS)
			conn.sendTimes.shift();
		// gateway.mdx, Rate Limiting: more than 120 events in 60 s disconnects (4008).
		if (conn.sendTimes.length > GATEWAY_SEND_LIMIT) {
			this.violation('gateway-rate-limit',
			               `connection #${conn.id} sent ${conn.sendTimes.length} payloads in 60 s`);
			this._serverClose(conn, 4008, 'Rate limited');
			return;
		}
		if (isBinary) {
			this.violation('gateway-decode', `connection #${conn.id} sent a binary frame with encoding=json`);
			this._serverClose(conn, 4002, 'Decode error');
			return;
		}
		// gateway.mdx, Sending Events: payloads must not exceed 4096 bytes (4002).
		if (data.length > MAX_CLIENT_PAYLOAD) {
			this.violation('gateway-payload-size',
			               `connection #${conn.id} sent ${data.length} bytes (limit 4096)`);
			this._serverClose(conn, 4002, 'Decode error');
			return;
		}
		let payload;
		try {
			payload = JSON.parse(data.toString('utf8'));
		} catch (e) {
			this.violation('gateway-decode', `connection #${conn.id} sent invalid JSON: ${e.message}`);
			this._serverClose(conn, 4002, 'Decode error');
			return;
		}
		conn.received.push({at, op: payload && payload.op, payload});
		this.record('ws-in', {conn: conn.id, op: payload && payload.op, payload});
		if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
			this.violation('gateway-decode', `connection #${conn.id} sent a non-object payload`);
			this._serverClose(conn, 4002, 'Decode error');
			return;
		}
		// gateway-send.schema.json: what a client may send, op by op.
		if (this.validators) {
			const r = this.validators.gateway(payload);
			if (!r.ok) {
				this.violation(r.unknownOp ? 'gateway-unknown-opcode' : 'gateway-schema',
				               `connection #${conn.id} op ${payload.op}: ${r.error}`);
				// opcodes-and-status-codes.mdx: 4001 "an invalid opcode or an invalid payload for an opcode".
				this._serverClose(conn, 4001, 'Unknown opcode');
				return;
			}
		} else if (!SEND_OPS.has(payload.op)) {
			this.violation('gateway-unknown-opcode', `connection #${conn.id} sent op ${payload.op}`);
			this._serverClose(conn, 4001, 'Unknown opcode');
			return;
		}
		switch (payload.op) {
		case OP.HEARTBEAT:
			return this._onHeartbeat(conn, payload);
		case OP.IDENTIFY:
			return this._onIdentify(conn, payload.d);
		case OP.RESUME:
			return this._onResume(conn, payload.d);
		default:
			// opcodes-and-status-codes.mdx, 4003: a payload before identifying.
			if (!conn.identified && !conn.resumed) {
				this.violation('gateway-not-authenticated',
				               `connection #${conn.id} sent op ${payload.op} before IDENTIFY`);
				this._serverClose(conn, 4003, 'Not authenticated');
			}
		}
	}

	_onHeartbeat(conn, payload) {
		const at = this.now();
		const prev = conn.heartbeats.length ? conn.heartbeats[conn.heartbeats.length - 1].at
		                                    : conn.helloAt;
		// The newest seq the client had surely seen: the last one sent >= 250 ms before.
		let settled = null;
		for (const s of conn.sent)
			if (s.op === OP.DISPATCH && s.s != null && s.at <= at - 250)
				settled = s.s;
		const hb = {at, d: payload.d, sincePrev: at - prev, sinceHello: at - conn.helloAt,
		            lastSeqSent: conn.lastSeqSent, settledSeq: settled,
		            requested: conn.pendingHeartbeatRequest || null};
		conn.pendingHeartbeatRequest = null;
		conn.heartbeats.push(hb);
		this.record('heartbeat', {conn: conn.id, d: payload.d});
		/*
		 * gateway-events.mdx, Heartbeat: d is the last sequence number received,
		 * so it can never be ahead of what this connection sent. (Checked only
		 * once a dispatch has settled, so a heartbeat composed before READY on a
		 * new session, with the old session's seq, is not counted.)
		 */
		if (payload.d != null && settled !== null && payload.d > conn.lastSeqSent)
			this.violation('heartbeat-seq',
			               `connection #${conn.id} heartbeat d=${payload.d} is beyond the last ` +
			               `sequence sent (${conn.lastSeqSent})`);
		this._armWatchdog(conn, this.heartbeatInterval);
		if (!conn.acksWithheld)
			this._send(conn, {op: OP.HEARTBEAT_ACK, d: null, s: null, t: null});
	}

	_identifyRejectCode(conn, d) {
		if (this.nextIdentifyReject) {
			const code = this.nextIdentifyReject;
			this.nextIdentifyReject = null;
			return code;
		}
		const want = this.identifyTokenOverride || this.token;
		if (d.token !== want)
			return 4004;
		// gateway.mdx, Gateway Intents: invalid bits -> 4013, privileged not enabled -> 4014.
		if (!Number.isInteger(d.intents) || d.intents < 0 || (d.intents & ~VALID_INTENTS) !== 0)
			return 4013;
		for (const bit of Object.values(PRIVILEGED_INTENTS))
			if ((d.intents & bit) && !(this.privilegedIntents & bit))
				return 4014;
		// gateway.mdx, Sharding: shard = [shard_id, num_shards], 0 <= shard_id < num_shards.
		if (d.shard !== undefined) {
			const [id, n] = d.shard;
			if (!Number.isInteger(id) || !Number.isInteger(n) || n < 1 || id < 0 || id >= n)
				return 4010;
		}
		return 0;
	}

	_onIdentify(conn, d) {
		// opcodes-and-status-codes.mdx, 4005: more than one identify payload.
		if (conn.identified || conn.resumed) {
			this.violation('gateway-already-authenticated', `connection #${conn.id} sent a second IDENTIFY`);
			this._serverClose(conn, 4005, 'Already authenticated');
			return;
		}
		conn.identify = clone(d);
		if (conn.kind === 'resume')
			this.violation('gateway-identify-url',
			               `connection #${conn.id} identified on the resume URL; a new session opens ` +
			               'a connection to the cached URL from Get Gateway Bot (gateway.mdx, Handling a Disconnect)');
		const code = this._identifyRejectCode(conn, d);
		if (code) {
			if (code === 4004 && !this.expectBadIdentify)
				this.violation('gateway-auth', `connection #${conn.id} identified with a wrong token`);
			this._serverClose(conn, code, CLOSE_CODES[code].name);
			return;
		}
		/*
		 * gateway.mdx, Identifying and Rate Limiting: max_concurrency identifies
		 * per 5 seconds; over that the gateway answers Invalid Session (op 9).
		 */
		const at = this.now();
		this.identifyTimes = this.identifyTimes.filter((t) => t > at - IDENTIFY_WINDOW_MS + IDENTIFY_SLACK_MS);
		if (this.identifyTimes.length >= this.sessionStartLimit.max_concurrency) {
			this.violation('identify-concurrency',
			               `connection #${conn.id} identified ${at - this.identifyTimes[this.identifyTimes.length - 1]} ms ` +
			               `after the previous IDENTIFY; max_concurrency ${this.sessionStartLimit.max_concurrency} ` +
			               'allows that many per 5 s');
			this._send(conn, {op: OP.INVALID_SESSION, d: false, s: null, t: null});
			return;
		}
		this.identifyTimes.push(at);
		if (this.sessionStartLimit.remaining > 0)
			this.sessionStartLimit.remaining--;
		conn.identified = true;
		const session = {id: crypto.randomBytes(16).toString('hex'), seq: 0, log: [], invalid: false,
		                 conn: conn.id, identify: clone(d), createdAt: at};
		this.sessions.set(session.id, session);
		this.activeSession = session;
		conn.session = session.id;
		// gateway-events.mdx, Ready Event Fields.
		const ready = {
			v: 10,
			user: clone(this.botUser),
			guilds: clone(this.guilds.map((g) => ({id: g.id, unavailable: true}))),
			session_id: session.id,
			resume_gateway_url: this.resumeUrl,
			application: {id: this.applicationId, flags: this.appFlags},
		};
		if (d.shard !== undefined)
			ready.shard = clone(d.shard);
		this._dispatch(session, 'READY', ready);
		for (const g of this.guilds)
			this._dispatch(session, 'GUILD_CREATE', Object.assign({unavailable: false}, clone(g)));
	}

	_onResume(conn, d) {
		if (conn.identified || conn.resumed) {
			this.violation('gateway-already-authenticated', `connection #${conn.id} sent RESUME after authenticating`);
			this._serverClose(conn, 4005, 'Already authenticated');
			return;
		}
		conn.resume = clone(d);
		if (conn.kind !== 'resume')
			this.violation('gateway-resume-url',
			               `connection #${conn.id} resumed on ${conn.url}, not on resume_gateway_url ` +
			               '(gateway.mdx, Preparing to Resume)');
		if (d.token !== this.token) {
			this._serverClose(conn, 4004, 'Authentication failed');
			return;
		}
		const session = this.sessions.get(d.session_id);
		// gateway.mdx, Preparing to Resume: too late or unknown -> Invalid Session, d false.
		if (!session || session.invalid) {
			this.record('resume-refused', {conn: conn.id, session: d.session_id});
			this._send(conn, {op: OP.INVALID_SESSION, d: false, s: null, t: null});
			return;
		}
		// opcodes-and-status-codes.mdx, 4007 Invalid seq.
		if (!Number.isInteger(d.seq) || d.seq > session.seq || d.seq < 0) {
			this.violation('resume-seq', `RESUME seq ${d.seq}, session is at ${session.seq}`);
			session.invalid = true;
			this._serverClose(conn, 4007, 'Invalid seq');
			return;
		}
		// The session moves to this connection; a still-open old one is cut.
		const old = this.connections.find((c) => c.id === session.conn);
		if (old && old !== conn && old.state === 'open')
			old._ws.terminate();
		session.conn = conn.id;
		conn.session = session.id;
		conn.resumed = true;
		this.activeSession = session;
		let from = d.seq;
		if (this.nextResumeReplayFrom != null) {
			from = Math.min(from, this.nextResumeReplayFrom);
			this.nextResumeReplayFrom = null;
		}
		// gateway.mdx, Resuming: the missed events in order, then RESUMED.
		for (const e of session.log)
			if (e.s > from)
				this._send(conn, {op: OP.DISPATCH, d: e.d, s: e.s, t: e.t});
		this._dispatch(session, 'RESUMED', null);
		this.record('resumed', {conn: conn.id, session: session.id, seq: d.seq});
	}

	/* Adds a dispatch to a session's log and sends it when its connection is open. */
	_dispatch(session, t, d) {
		session.seq += 1;
		const e = {s: session.seq, t, d, at: this.now()};
		session.log.push(e);
		const conn = this.connections.find((c) => c.id === session.conn);
		if (conn && conn.state === 'open' && (conn.identified || conn.resumed))
			this._send(conn, {op: OP.DISPATCH, d, s: e.s, t});
		return e.s;
	}

	/* ---- gateway scenario controls ---- */

	_need(conn) {
		const c = conn || this.current;
		if (!c)
			throw new Error('no open gateway connection');
		return c;
	}

	/*
	 * Sends a dispatch on the active session (queued for replay when
	 * disconnected). opts.noClone skips the defensive copy (huge payloads).
	 */
	sendDispatch(t, d, opts = {}) {
		if (!this.activeSession)
			throw new Error('no session yet');
		return this._dispatch(this.activeSession, t, opts.noClone ? d : clone(d));
	}

	/*
	 * Sends a non-dispatch opcode: 1 (heartbeat request), 7 (reconnect),
	 * 9 (invalid session; d true = resumable, false = not).
	 */
	sendOp(op, d = null, conn) {
		const c = this._need(conn);
		if (op === OP.HEARTBEAT)
			c.pendingHeartbeatRequest = this.now();
		if (op === OP.INVALID_SESSION) {
			// gateway-events.mdx, Invalid Session: d says whether the session may be resumed.
			const s = this.sessions.get(c.session);
			if (s && d === false)
				s.invalid = true;
			c.identified = false;
			c.resumed = false;
		}
		this.record('op-sent', {conn: c.id, op, d});
		return this._send(c, {op, d, s: null, t: null});
	}

	close(code, reason, conn) {
		this._serverClose(this._need(conn), code, reason);
	}

	/* Destroys the TCP socket without a close frame. */
	dropTcp(conn) {
		const c = this._need(conn);
		c.closedBy = 'server-tcp';
		this.record('ws-drop', {conn: c.id});
		c._ws.terminate();
	}

	/* Stops (or resumes) answering heartbeats on the current connection. */
	withholdAcks(on = true, conn) {
		this._need(conn).acksWithheld = !!on;
	}

	/* Sends a text frame exactly as given (malformed JSON, a huge frame). */
	sendRaw(text, conn) {
		const c = this._need(conn);
		c._ws.send(text);
		this.record('ws-raw', {conn: c.id, bytes: text.length});
	}

	/* The next IDENTIFY is refused with this close code. */
	rejectNextIdentify(code) {
		this.nextIdentifyReject = code;
	}

	/* The next RESUME replays from this seq even if the client saw more (duplicates). */
	replayOnNextResumeFrom(seq) {
		this.nextResumeReplayFrom = seq;
	}

	/* The first client payload with this op received at or after `at`: {conn, payload, at}. */
	payloadAfter(at, op) {
		let best = null;
		for (const c of this.connections)
			for (const r of c.received)
				if (r.at >= at && r.op === op && (!best || r.at < best.at))
					best = {conn: c, payload: r.payload, at: r.at};
		return best;
	}

	/* Identify/resume payloads and timings, for checks. */
	identifies() {
		return this.connections.filter((c) => c.identify).map((c) => ({conn: c, d: c.identify}));
	}

	resumes() {
		return this.connections.filter((c) => c.resume).map((c) => ({conn: c, d: c.resume}));
	}

	/* ---- REST ---- */

	/* Sets the rate-limit bucket of a route (operationId): {limit, windowMs}. */
	setBucket(route, cfg) {
		this.bucketConfig.set(route, Object.assign({}, this.defaultBucket, cfg));
	}

	/*
	 * Scripts the next responses of a route (operationId), in order:
	 *   {status: 429, scope: 'user'|'global'|'shared', retryAfter: seconds}
	 *   {status: 500} / {status: 502} / {status, body}
	 */
	script(route, responses) {
		const q = this.scripts.get(route) || [];
		q.push(...responses);
		this.scripts.set(route, q);
	}

	requestsTo(route) {
		return this.requests.filter((r) => r.route === route);
	}

	_onHttp(req, res) {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size <= 32 * 1024 * 1024)
				chunks.push(c);
		});
		req.on('end', () => {
			try {
				this._handle(req, res, Buffer.concat(chunks));
			} catch (e) {
				this.log(`fake REST handler crashed: ${e.stack}`);
				this._reply(res, null, 500, {message: '500: Internal Server Error', code: 0});
			}
		});
	}

	_reply(res, rec, status, body, headers = {}) {
		const h = Object.assign({}, headers);
		let text = '';
		if (body !== undefined && body !== null && status !== 204) {
			text = JSON.stringify(body);
			h['Content-Type'] = 'application/json';
		}
		h['Content-Length'] = Buffer.byteLength(text);
		res.writeHead(status, h);
		res.end(text);
		if (rec) {
			rec.status = status;
			rec.response = body;
			rec.responseHeaders = h;
			rec.doneAt = this.now();
			this.emit('request', rec);
		}
	}

	_error(res, rec, status, code, message, extra = {}) {
		this._reply(res, rec, status, Object.assign({message, code}, extra), rec && rec._rl || {});
	}

	_handle(req, res, raw) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const rec = {
			id: this.requests.length + 1,
			at: this.now(),
			method: req.method,
			url: req.url,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: clone(req.headers),
			raw: raw.toString('utf8'),
			body: undefined,
			route: null,
			status: null,
		};
		this.requests.push(rec);
		this.record('http', {req: rec.id, method: rec.method, path: rec.path});
		this.log(`REST ${req.method} ${req.url}`);

		if (!url.pathname.startsWith(API_PREFIX + '/')) {
			this.violation('rest-path', `${req.method} ${req.url} is not under ${API_PREFIX}`);
			return this._error(res, rec, 404, 0, '404: Not Found');
		}
		const p = url.pathname.slice(API_PREFIX.length);

		// Every request names the library: User-Agent "DiscordBot ($url, $versionNumber)".
		const ua = req.headers['user-agent'] || '';
		if (!/^DiscordBot \([^,()\s][^,()]*, [^,()\s][^,()]*\)/.test(ua))
			this.violation('rest-user-agent',
			               `${req.method} ${p}: User-Agent ${JSON.stringify(ua)} is not ` +
			               '"DiscordBot ($url, $versionNumber)"');

		let route = null;
		let m = null;
		let pathKnown = false;
		for (const [method, re, name, meta] of ROUTES) {
			const mm = re.exec(p);
			if (!mm)
				continue;
			pathKnown = true;
			if (method === req.method) {
				route = {name, meta};
				m = mm;
				break;
			}
		}
		if (!route) {
			if (pathKnown)
				return this._error(res, rec, 405, 0, '405: Method Not Allowed');
			this.violation('rest-unknown-route', `${req.method} ${p} is not a route this fake serves`);
			return this._error(res, rec, 404, 0, '404: Not Found');
		}
		rec.route = route.name;

		/*
		 * Authorization: "Bot <token>". A wrong one is 401; rate-limits.mdx
		 * (Invalid Request Limit) asks a client to stop after a 401.
		 */
		const auth = req.headers.authorization;
		const good = auth === `Bot ${this.token}`;
		if (this.unauthorizedAt !== null && !good)
			this.violation('rest-after-401', `${req.method} ${p} sent again after a 401`);
		if ((route.meta.auth === 'required' && !good) || (auth !== undefined && !good)) {
			this.unauthorizedAt = this.now();
			return this._reply(res, rec, 401, {message: '401: Unauthorized', code: 0});
		}

		// Rate limits (rate-limits.mdx).
		const rl = this._rateLimit(req.method, route, m, rec);
		if (rl.blocked)
			return this._reply(res, rec, 429, rl.body, rl.headers);
		rec._rl = rl.headers;

		// Scripted faults.
		const q = this.scripts.get(route.name);
		if (q && q.length) {
			const s = q.shift();
			rec.scripted = s;
			if (s.status === 429)
				return this._reply429(res, rec, route, m, s);
			return this._reply(res, rec, s.status, s.body || {
				message: `${s.status}: ${http.STATUS_CODES[s.status] || 'Error'}`, code: 0}, rl.headers);
		}

		// Body.
		if (['POST', 'PUT', 'PATCH'].includes(req.method)) {
			const ct = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
			if (ct !== 'application/json') {
				this.violation('rest-content-type', `${req.method} ${p}: Content-Type ${JSON.stringify(ct)}`);
				return this._error(res, rec, 400, 50035, 'Invalid Form Body',
				                   {errors: {_errors: [{code: 'CONTENT_TYPE_INVALID',
				                                        message: 'Expected "Content-Type" header to be one of {\'application/json\', ...}.'}]}});
			}
			try {
				rec.body = rec.raw.length ? JSON.parse(rec.raw) : undefined;
			} catch (e) {
				this.violation('rest-json', `${req.method} ${p}: body is not JSON: ${e.message}`);
				return this._error(res, rec, 400, 50109, 'The request body contains invalid JSON.');
			}
		}
		const handler = this['_route_' + route.name];
		if (!handler) {
			this.violation('rest-unknown-route', `${req.method} ${p} (${route.name}) has no handler`);
			return this._error(res, rec, 404, 0, '404: Not Found');
		}
		return handler.call(this, req, res, rec, m, rl.headers);
	}

	/* Validates a body against the spec and the docs; answers 400 itself and returns false. */
	_validate(res, rec, operationId, body, extraProblems = [], component = null) {
		if (this.validators) {
			const r = component ? this.validators.component(component, body)
			                    : this.validators.request(operationId, body);
			if (!r.ok) {
				this.violation('rest-schema', `${rec.method} ${rec.path}: ${r.error}`);
				this._error(res, rec, 400, 50035, 'Invalid Form Body', {errors: r.tree});
				return false;
			}
		}
		if (extraProblems.length) {
			for (const p of extraProblems)
				this.violation('rest-doc-rule', `${rec.method} ${rec.path}: ${p}`);
			const empty = extraProblems.find((p) => p.includes('50006'));
			if (empty)
				this._error(res, rec, 400, 50006, 'Cannot send an empty message');
			else
				this._error(res, rec, 400, 50035, 'Invalid Form Body',
				            {errors: {_errors: extraProblems.map((p) => ({code: 'DOC_RULE', message: p}))}});
			return false;
		}
		return true;
	}

	/*
	 * Per-route buckets, the global limit and the retry_after of earlier 429s.
	 * rate-limits.mdx, Header Format and Exceeding A Rate Limit.
	 */
	_rateLimit(method, route, m, rec) {
		const now = Date.now();
		const top = route.meta.top ? route.meta.top(m) : '';
		const bucketName = `${method} ${route.name}`;
		const key = `${bucketName}|${top}`;
		const cfg = this.bucketConfig.get(route.name) || this.defaultBucket;
		rec.bucketKey = key;

		// A 429 told the client to wait: no request to that bucket (or, when
		// global, to any route but the interaction endpoints) before retry_after.
		for (const b of this.blocks) {
			if (now >= b.until)
				continue;
			const applies = b.scope === 'global' ? !route.meta.interaction : b.key === key;
			if (!applies)
				continue;
			const early = b.until - now;
			// 10 ms for timestamp granularity on both sides.
			if (early > 10) {
				this.violation('rest-retry-after',
				               `${method} ${rec.path} came ${early} ms before the retry_after of the ` +
				               `${b.scope} 429 on ${b.route} had elapsed`);
				rec.early = true;
				b.violated = true;
			}
		}

		// rate-limits.mdx, Global Rate Limit: 50 requests per second (interaction endpoints exempt).
		if (!route.meta.interaction) {
			this.globalWindow = this.globalWindow.filter((t) => t > now - 1000);
			this.globalWindow.push(now);
			if (this.globalWindow.length > this.globalLimitPerSecond) {
				this.violation('rest-global-limit', `more than ${this.globalLimitPerSecond} requests in 1 s`);
				const retry = 1;
				this.blocks.push({scope: 'global', key: '*', until: now + retry * 1000, route: route.name, at: now});
				return {blocked: true,
				        headers: {'Retry-After': String(retry), 'X-RateLimit-Global': 'true',
				                  'X-RateLimit-Scope': 'global'},
				        body: {message: 'You are being rate limited.', retry_after: retry, global: true}};
			}
		}

		let b = this.buckets.get(key);
		if (!b || now >= b.resetAt) {
			b = {limit: cfg.limit, remaining: cfg.limit, resetAt: now + cfg.windowMs,
			     hash: crypto.createHash('sha1').update(bucketName).digest('hex').slice(0, 32)};
			this.buckets.set(key, b);
		}
		const headers = (remaining) => ({
			'X-RateLimit-Limit': String(b.limit),
			'X-RateLimit-Remaining': String(remaining),
			'X-RateLimit-Reset': ((b.resetAt) / 1000).toFixed(3),
			'X-RateLimit-Reset-After': (Math.max(0, b.resetAt - now) / 1000).toFixed(3),
			'X-RateLimit-Bucket': b.hash,
		});
		if (b.remaining <= 0) {
			// rate-limits.mdx, Invalid Request Limit: do not make requests on exhausted buckets.
			this.violation('rest-bucket-exhausted',
			               `${method} ${rec.path} on an exhausted bucket (X-RateLimit-Remaining was 0, ` +
			               `resets in ${b.resetAt - now} ms)`);
			const retry = Math.max(0.001, (b.resetAt - now) / 1000);
			const h = headers(0);
			h['Retry-After'] = String(Math.ceil(retry));
			h['X-RateLimit-Scope'] = 'user';
			this.blocks.push({scope: 'user', key, until: b.resetAt, route: route.name, at: now});
			return {blocked: true, headers: h,
			        body: {message: 'You are being rate limited.', retry_after: Number(retry.toFixed(3)),
			               global: false}};
		}
		b.remaining -= 1;
		return {blocked: false, headers: headers(b.remaining)};
	}

	_reply429(res, rec, route, m, s) {
		const now = Date.now();
		const retry = s.retryAfter != null ? s.retryAfter : 1;
		const scope = s.scope || 'user';
		const top = route.meta.top ? route.meta.top(m) : '';
		const key = `${rec.method} ${route.name}|${top}`;
		const b = this.buckets.get(key);
		let headers;
		let body;
		if (scope === 'global') {
			// rate-limits.mdx, Example Exceeded Global Rate Limit Response.
			headers = {'Retry-After': String(Math.ceil(retry)), 'X-RateLimit-Global': 'true',
			           'X-RateLimit-Scope': 'global'};
			body = {message: 'You are being rate limited.', retry_after: retry, global: true};
		} else {
			// rate-limits.mdx, Example Exceeded User / Resource Rate Limit Response.
			headers = {
				'Retry-After': String(Math.ceil(retry)),
				'X-RateLimit-Limit': String(b ? b.limit : 10),
				'X-RateLimit-Remaining': scope === 'shared' ? String(b ? b.remaining : 9) : '0',
				'X-RateLimit-Reset': ((now + retry * 1000) / 1000).toFixed(3),
				'X-RateLimit-Reset-After': retry.toFixed(3),
				'X-RateLimit-Bucket': b ? b.hash : 'abcd1234',
				'X-RateLimit-Scope': scope,
			};
			body = {message: scope === 'shared' ? 'The resource is being rate limited.'
			                                    : 'You are being rate limited.',
			        retry_after: retry, global: false};
		}
		this.blocks.push({scope, key, until: now + retry * 1000, route: route.name, at: now});
		this.record('rate-limited', {req: rec.id, scope, retry});
		this._reply(res, rec, 429, body, headers);
	}

	/* Whether some request came before a 429's retry_after (on its route, or any route if global). */
	retryAfterViolations() {
		return this.violations.filter((v) => v.rule === 'rest-retry-after');
	}

	/* ---- REST handlers ---- */

	_route_get_gateway(req, res, rec, m, rl) {
		this._reply(res, rec, 200, {url: this.gatewayUrl}, rl);
	}

	/* gateway.mdx, Get Gateway Bot. */
	_route_get_bot_gateway(req, res, rec, m, rl) {
		this._reply(res, rec, 200, {url: this.gatewayUrl, shards: this.shards,
		                            session_start_limit: clone(this.sessionStartLimit)}, rl);
	}

	_application() {
		// The shape of the spec's PrivateApplicationResponse (GET /applications/@me).
		const bot = clone(this.botUser);
		delete bot.verified;
		delete bot.mfa_enabled;
		delete bot.email;
		return {
			id: this.applicationId, name: this.botUser.username, icon: null, description: '',
			type: null, bot_public: true, bot_require_code_grant: false,
			verify_key: crypto.createHash('sha256').update(this.applicationId).digest('hex'),
			flags: this.appFlags, flags_new: String(this.appFlags), bot, redirect_uris: [],
			interactions_endpoint_url: null, role_connections_verification_url: null, team: null,
			owner: {id: '80351110224678912', username: 'owner', discriminator: '0', global_name: 'Owner',
			        avatar: null, public_flags: 0, flags: 0, primary_guild: null},
			approximate_guild_count: 1, approximate_user_install_count: 0,
			approximate_user_authorization_count: 0, explicit_content_filter: 0,
			eligible_oauth2_scopes: [], integration_types_config: {0: {}},
		};
	}

	_route_get_my_application(req, res, rec, m, rl) {
		this._reply(res, rec, 200, this._application(), rl);
	}

	_route_get_my_user(req, res, rec, m, rl) {
		this._reply(res, rec, 200, clone(this.botUser), rl);
	}

	/* receiving-and-responding.mdx, Create Interaction Response. */
	_route_create_interaction_response(req, res, rec, m, rl) {
		const [, id, token] = m;
		const it = this.interactions.get(id);
		if (!it || it.token !== token) {
			this.violation('callback-unknown', `callback for unknown interaction ${id}`);
			return this._error(res, rec, 404, 10062, 'Unknown interaction');
		}
		const body = rec.body;
		const age = Date.now() - it.createdAtMs;
		// A second response: 40060 (opcodes-and-status-codes.mdx, JSON error codes).
		if (it.acknowledged) {
			this.violation('callback-twice', `a second callback for interaction ${id}`);
			return this._error(res, rec, 400, 40060, 'Interaction has already been acknowledged.');
		}
		// "you must send an initial response within 3 seconds of receiving the event".
		if (age > INTERACTION_DEADLINE_MS) {
			this.violation('callback-late', `callback for interaction ${id} came ${age} ms after dispatch`);
			it.expired = true;
			return this._error(res, rec, 404, 10062, 'Unknown interaction');
		}
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			this.violation('rest-schema', `callback for ${id}: the body is not an object`);
			return this._error(res, rec, 400, 50035, 'Invalid Form Body');
		}
		// Validate against the one spec branch whose `type` enum holds the body's type.
		const branch = {1: 'PongInteractionCallbackRequest', 4: 'CreateMessageInteractionCallbackRequest',
		                5: 'CreateMessageInteractionCallbackRequest', 6: 'UpdateMessageInteractionCallbackRequest',
		                7: 'UpdateMessageInteractionCallbackRequest', 8: 'ApplicationCommandAutocompleteCallbackRequest',
		                9: 'ModalInteractionCallbackRequest', 12: 'LaunchActivityInteractionCallbackRequest'}[body.type];
		if (!branch) {
			this.violation('rest-schema', `callback for ${id}: unknown callback type ${JSON.stringify(body.type)}`);
			return this._error(res, rec, 400, 50035, 'Invalid Form Body',
			                   {errors: {type: {_errors: [{code: 'BASE_TYPE_CHOICES',
			                                               message: 'Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.'}]}}});
		}
		const problems = checks.checkCallback(body, it.payload);
		if (!this._validate(res, rec, 'create_interaction_response', body, problems, branch))
			return;
		it.acknowledged = true;
		const cb = {at: this.now(), ageMs: age, type: body.type, body: clone(body), req: rec.id};
		it.callbacks.push(cb);
		this.record('callback', {interaction: id, type: body.type});
		const data = body.data || {};
		let message = null;
		switch (body.type) {
		case 4:
			message = this._storeMessage(this._newMessage(data, it), it);
			it.original = message;
			break;
		case 5:
			// A loading message (message flag LOADING, 1 << 7), edited later with PATCH @original.
			message = this._storeMessage(this._newMessage({content: '', flags: (data.flags || 0) | 128}, it), it);
			it.original = message;
			it.deferred = true;
			break;
		case 6:
			// DEFERRED_UPDATE_MESSAGE: the component's message is edited later (PATCH @original).
			it.deferredUpdate = true;
			it.deferred = true;
			if (it.payload.message)
				it.original = this.messages.get(it.payload.message.id) || clone(it.payload.message);
			break;
		case 7:
			if (it.payload.message) {
				const target = this.messages.get(it.payload.message.id) || clone(it.payload.message);
				message = this._applyEdit(target, data);
				this.messages.set(message.id, message);
				it.original = message;
			}
			break;
		case 8:
			it.choices = clone(data.choices || []);
			break;
		case 9:
			it.modal = clone(data);
			break;
		default:
			break;
		}
		cb.message = message;
		// Query string with_response (reference: boolean query strings).
		if (queryBool(rec.query.with_response)) {
			const out = {interaction: {id, type: it.payload.type}};
			if (message) {
				out.interaction.response_message_id = message.id;
				out.interaction.response_message_loading = body.type === 5;
				out.interaction.response_message_ephemeral = ((message.flags || 0) & 64) !== 0;
				out.resource = {type: body.type, message: clone(message)};
			} else {
				out.resource = {type: body.type};
			}
			return this._reply(res, rec, 200, out, rl);
		}
		this._reply(res, rec, 204, null, rl);
	}

	/* The interaction behind a webhook token (receiving-and-responding.mdx, Followup Messages). */
	_webhookInteraction(res, rec, appId, token) {
		const it = this.byToken.get(token);
		if (appId !== this.applicationId || !it) {
			this.violation('webhook-unknown', `${rec.method} ${rec.path}: unknown webhook`);
			this._error(res, rec, 404, 10015, 'Unknown Webhook');
			return null;
		}
		if (Date.now() - it.createdAtMs > INTERACTION_TOKEN_TTL_MS || it.expired ||
		    (!it.acknowledged && Date.now() - it.createdAtMs > INTERACTION_DEADLINE_MS)) {
			this.violation('webhook-expired', `${rec.method} ${rec.path}: the interaction token is no longer valid`);
			this._error(res, rec, 404, 10015, 'Unknown Webhook');
			return null;
		}
		it.webhookRequests.push(rec);
		return it;
	}

	/* using-message-components.mdx, Overview: webhook components need ?with_components=true. */
	_webhookComponents(rec, body) {
		if (body && Array.isArray(body.components) && body.components.length &&
		    !queryBool(rec.query.with_components)) {
			this.violation('webhook-components',
			               `${rec.method} ${rec.path}: components sent without ?with_components=true are ` +
			               'ignored (using-message-components.mdx, Overview)');
			const b = clone(body);
			delete b.components;
			return b;
		}
		return body;
	}

	_route_get_original_webhook_message(req, res, rec, m, rl) {
		const it = this._webhookInteraction(res, rec, m[1], m[2]);
		if (!it)
			return;
		if (!it.original)
			return this._error(res, rec, 404, 10008, 'Unknown Message');
		this._reply(res, rec, 200, clone(it.original), rl);
	}

	_route_update_original_webhook_message(req, res, rec, m, rl) {
		const it = this._webhookInteraction(res, rec, m[1], m[2]);
		if (!it)
			return;
		const body = rec.body || {};
		const problems = checks.checkMessageComponents(body, it.original && it.original.flags);
		if (!this._validate(res, rec, 'update_original_webhook_message', body, problems))
			return;
		if (!it.original)
			return this._error(res, rec, 404, 10008, 'Unknown Message');
		const edited = this._applyEdit(it.original, this._webhookComponents(rec, body));
		edited.flags = (edited.flags || 0) & ~128;
		it.original = edited;
		this.messages.set(edited.id, edited);
		it.edits.push({at: this.now(), body: clone(body), req: rec.id});
		this.record('edit-original', {interaction: it.id});
		this._reply(res, rec, 200, clone(edited), rl);
	}

	_route_delete_original_webhook_message(req, res, rec, m, rl) {
		const it = this._webhookInteraction(res, rec, m[1], m[2]);
		if (!it)
			return;
		if (!it.original)
			return this._error(res, rec, 404, 10008, 'Unknown Message');
		this.messages.delete(it.original.id);
		it.original = null;
		this._reply(res, rec, 204, null, rl);
	}

	/* receiving-and-responding.mdx, Create Followup Message. */
	_route_execute_webhook(req, res, rec, m, rl) {
		const it = this._webhookInteraction(res, rec, m[1], m[2]);
		if (!it)
			return;
		const body = rec.body || {};
		const problems = checks.checkMessageComponents(body);
		for (const f of ['thread_id', 'avatar_url', 'username'])
			if (body[f] !== undefined || (f === 'thread_id' && rec.query.thread_id !== undefined))
				problems.push(`${f} is not supported for interaction followups ` +
				              '(receiving-and-responding.mdx, Create Followup Message)');
		if (checks.isEmptyMessage(body))
			problems.push('the message is empty (opcodes-and-status-codes.mdx, JSON error 50006)');
		if (!this._validate(res, rec, 'execute_webhook', body, problems))
			return;
		if (!it.acknowledged) {
			this.violation('followup-before-ack', `followup for interaction ${it.id} before any callback`);
			return this._error(res, rec, 404, 10015, 'Unknown Webhook');
		}
		const msg = this._storeMessage(this._newMessage(this._webhookComponents(rec, body), it), it);
		it.followups.push({at: this.now(), body: clone(body), message: msg, req: rec.id});
		this.record('followup', {interaction: it.id});
		this._reply(res, rec, 200, clone(msg), rl);
	}

	_route_get_webhook_message(req, res, rec, m, rl) {
		const it = this._webhookInteraction(res, rec, m[1], m[2]);
		if (!it)
			return;
		const msg = this.messages.get(m[3]);
		if (!msg)
			return this._error(res, rec, 404, 10008, 'Unknown Message');
		this._reply(res, rec, 200, clone(msg), rl);
	}

	_route_update_webhook_message(req, res, rec, m, rl) {
		const it = this._webhookInteraction(res, rec, m[1], m[2]);
		if (!it)
			return;
		const body = rec.body || {};
		const msg = this.messages.get(m[3]);
		if (!this._validate(res, rec, 'update_webhook_message', body,
		                    checks.checkMessageComponents(body, msg && msg.flags)))
			return;
		if (!msg)
			return this._error(res, rec, 404, 10008, 'Unknown Message');
		const edited = this._applyEdit(msg, this._webhookComponents(rec, body));
		this.messages.set(edited.id, edited);
		this._reply(res, rec, 200, clone(edited), rl);
	}

	_route_delete_webhook_message(req, res, rec, m, rl) {
		const it = this._webhookInteraction(res, rec, m[1], m[2]);
		if (!it)
			return;
		if (!this.messages.delete(m[3]))
			return this._error(res, rec, 404, 10008, 'Unknown Message');
		this._reply(res, rec, 204, null, rl);
	}

	_checkApp(res, rec, appId) {
		if (appId !== this.applicationId) {
			this.violation('rest-application-id', `${rec.method} ${rec.path}: application ${appId} is not ` +
			               `this bot's (${this.applicationId})`);
			this._error(res, rec, 403, 50001, 'Missing Access');
			return false;
		}
		return true;
	}

	_commandList(guildId) {
		if (!guildId)
			return this.commands.global;
		if (!this.commands.guilds.has(guildId))
			this.commands.guilds.set(guildId, []);
		return this.commands.guilds.get(guildId);
	}

	/* The stored form of a command (application-commands.mdx, Application Command Structure). */
	_storeCommand(list, input, guildId) {
		const type = input.type == null ? 1 : input.type;
		const old = list.find((c) => (input.id && c.id === input.id) ||
		                             (c.type === type && c.name === input.name));
		const out = {
			id: old ? old.id : snowflake(),
			type,
			application_id: this.applicationId,
			name: input.name,
			name_localizations: input.name_localizations || null,
			description: input.description == null ? '' : input.description,
			description_localizations: input.description_localizations || null,
			default_member_permissions: input.default_member_permissions == null ? null
			                                                                      : String(input.default_member_permissions),
			nsfw: !!input.nsfw,
			version: snowflake(),
		};
		if (guildId)
			out.guild_id = guildId;
		else {
			out.contexts = input.contexts === undefined ? null : clone(input.contexts);
			out.integration_types = clone(input.integration_types || [0]);
			if (input.dm_permission != null)
				out.dm_permission = input.dm_permission;
		}
		if (input.options)
			out.options = clone(input.options);
		if (old) {
			const same = JSON.stringify(Object.assign({}, old, {version: 0})) ===
			             JSON.stringify(Object.assign({}, out, {version: 0}));
			if (same)
				out.version = old.version;
		}
		return out;
	}

	_bulkSet(res, rec, appId, guildId, rl, operationId) {
		if (!this._checkApp(res, rec, appId))
			return;
		const body = rec.body;
		if (!this._validate(res, rec, operationId, body, checks.checkCommands(body || [])))
			return;
		const list = this._commandList(guildId);
		const next = (body || []).map((c) => this._storeCommand(list, c, guildId));
		list.length = 0;
		list.push(...next);
		this.record('commands-set', {guild: guildId || null, n: next.length});
		this._reply(res, rec, 200, clone(next), rl);
	}

	_route_bulk_set_application_commands(req, res, rec, m, rl) {
		this._bulkSet(res, rec, m[1], null, rl, 'bulk_set_application_commands');
	}

	_route_bulk_set_guild_application_commands(req, res, rec, m, rl) {
		this._bulkSet(res, rec, m[1], m[2], rl, 'bulk_set_guild_application_commands');
	}

	_route_list_application_commands(req, res, rec, m, rl) {
		if (this._checkApp(res, rec, m[1]))
			this._reply(res, rec, 200, clone(this.commands.global), rl);
	}

	_route_list_guild_application_commands(req, res, rec, m, rl) {
		if (this._checkApp(res, rec, m[1]))
			this._reply(res, rec, 200, clone(this._commandList(m[2])), rl);
	}

	_createOne(res, rec, appId, guildId, rl, operationId) {
		if (!this._checkApp(res, rec, appId))
			return;
		const body = rec.body;
		if (!this._validate(res, rec, operationId, body, checks.checkCommands([body])))
			return;
		const list = this._commandList(guildId);
		const existed = list.some((c) => c.name === body.name && c.type === (body.type || 1));
		const cmd = this._storeCommand(list, body, guildId);
		const i = list.findIndex((c) => c.id === cmd.id);
		if (i >= 0)
			list[i] = cmd;
		else
			list.push(cmd);
		this._reply(res, rec, existed ? 200 : 201, clone(cmd), rl);
	}

	_route_create_application_command(req, res, rec, m, rl) {
		this._createOne(res, rec, m[1], null, rl, 'create_application_command');
	}

	_route_create_guild_application_command(req, res, rec, m, rl) {
		this._createOne(res, rec, m[1], m[2], rl, 'create_guild_application_command');
	}

	_route_get_application_command(req, res, rec, m, rl) {
		const c = this.commands.global.find((x) => x.id === m[2]);
		if (!c)
			return this._error(res, rec, 404, 10063, 'Unknown application command');
		this._reply(res, rec, 200, clone(c), rl);
	}

	_patchOne(res, rec, appId, guildId, cmdId, rl, operationId) {
		if (!this._checkApp(res, rec, appId))
			return;
		const list = this._commandList(guildId);
		const c = list.find((x) => x.id === cmdId);
		if (!c)
			return this._error(res, rec, 404, 10063, 'Unknown application command');
		const merged = Object.assign({}, c, rec.body || {});
		if (!this._validate(res, rec, operationId, rec.body || {}, checks.checkCommands([merged])))
			return;
		const cmd = this._storeCommand(list, Object.assign(merged, {id: c.id}), guildId);
		list[list.indexOf(c)] = cmd;
		this._reply(res, rec, 200, clone(cmd), rl);
	}

	_route_update_application_command(req, res, rec, m, rl) {
		this._patchOne(res, rec, m[1], null, m[2], rl, 'update_application_command');
	}

	_route_update_guild_application_command(req, res, rec, m, rl) {
		this._patchOne(res, rec, m[1], m[2], m[3], rl, 'update_guild_application_command');
	}

	_deleteOne(res, rec, appId, guildId, cmdId, rl) {
		if (!this._checkApp(res, rec, appId))
			return;
		const list = this._commandList(guildId);
		const i = list.findIndex((x) => x.id === cmdId);
		if (i < 0)
			return this._error(res, rec, 404, 10063, 'Unknown application command');
		list.splice(i, 1);
		this._reply(res, rec, 204, null, rl);
	}

	_route_delete_application_command(req, res, rec, m, rl) {
		this._deleteOne(res, rec, m[1], null, m[2], rl);
	}

	_route_delete_guild_application_command(req, res, rec, m, rl) {
		this._deleteOne(res, rec, m[1], m[2], m[3], rl);
	}

	_route_create_message(req, res, rec, m, rl) {
		const body = rec.body || {};
		const problems = checks.checkMessageComponents(body);
		// opcodes-and-status-codes.mdx, JSON error codes: 10003 Unknown Channel, 50001 Missing Access.
		if (this.deletedChannels.has(m[1]))
			return this._error(res, rec, 404, 10003, 'Unknown Channel');
		if (this.deniedChannels.has(m[1]))
			return this._error(res, rec, 403, 50001, 'Missing Access');
		if (checks.isEmptyMessage(body))
			problems.push('the message is empty (opcodes-and-status-codes.mdx, JSON error 50006)');
		if (body.nonce !== undefined && String(body.nonce).length > 25)
			problems.push('nonce is over 25 characters (message.mdx, Create Message)');
		if (!this._validate(res, rec, 'create_message', body, problems))
			return;
		// message.mdx, Create Message: with enforce_nonce, a nonce seen from the same
		// author within the past few minutes returns that message and creates none.
		const key = body.nonce !== undefined && body.enforce_nonce ? `${m[1]}|${body.nonce}` : null;
		const seen = key && this.nonces.get(key);
		if (seen && this.now() - seen.at < 5 * 60 * 1000) {
			this.record('channel-message-nonce-hit', {channel: m[1], id: seen.msg.id});
			return this._reply(res, rec, 200, clone(seen.msg), rl);
		}
		// message.mdx, Message Reference: a reply (type 0, DEFAULT) to a message of the
		// channel; with fail_if_not_exists (default true) a missing one is an error.
		const ref = body.message_reference;
		const target = ref && this.messages.get(ref.message_id);
		if (ref && (!target || target.channel_id !== m[1]) && ref.fail_if_not_exists !== false)
			return this._error(res, rec, 400, 50035, 'Invalid Form Body (message_reference: Unknown message)');
		const msg = this._newMessage(body, null, m[1]);
		msg.type = ref && target ? 19 : 0; // REPLY when it references a message that exists
		if (ref && target)
			msg.message_reference = {type: 0, message_id: target.id, channel_id: m[1], guild_id: this.guildId};
		if (body.nonce !== undefined)
			msg.nonce = body.nonce;
		this.messages.set(msg.id, msg);
		if (key)
			this.nonces.set(key, {at: this.now(), msg});
		this.record('channel-message', {channel: m[1], id: msg.id, nonce: body.nonce,
		                                replyTo: ref && target ? target.id : null});
		this._reply(res, rec, 200, clone(msg), rl);
	}

	_route_update_message(req, res, rec, m, rl) {
		const msg = this.messages.get(m[2]);
		if (!msg)
			return this._error(res, rec, 404, 10008, 'Unknown Message');
		const body = rec.body || {};
		if (!this._validate(res, rec, 'update_message', body, checks.checkMessageComponents(body, msg.flags)))
			return;
		const edited = this._applyEdit(msg, body);
		this.messages.set(edited.id, edited);
		this._reply(res, rec, 200, clone(edited), rl);
	}

	/* ---- messages ---- */

	/* Gives every component an `id` as the API does (reference.mdx, Anatomy of a Component). */
	_assignIds(components) {
		const list = clone(components || []);
		const used = new Set();
		checks.walkComponents(list, (c) => {
			if (Number.isInteger(c.id) && c.id > 0)
				used.add(c.id);
		});
		let next = 1;
		checks.walkComponents(list, (c) => {
			if (!(Number.isInteger(c.id) && c.id > 0)) {
				while (used.has(next))
					next++;
				c.id = next;
				used.add(next);
			}
		});
		return list;
	}

	/* A message object as the API returns it, from a request body. */
	_newMessage(body, it, channelId) {
		const p = it ? it.payload : null;
		const msg = {
			id: snowflake(),
			type: p ? (p.type === 2 ? 20 : 19) : 0,
			channel_id: channelId || (p && p.channel_id) || this.channelId,
			author: {id: this.botUser.id, username: this.botUser.username, discriminator: '0',
			         global_name: null, avatar: null, bot: true, public_flags: 0, flags: 0,
			         primary_guild: null},
			content: body.content || '',
			timestamp: isoNow(),
			edited_timestamp: null,
			tts: !!body.tts,
			mention_everyone: false,
			mentions: [],
			mention_roles: [],
			attachments: [],
			embeds: clone(body.embeds || []),
			pinned: false,
			flags: body.flags || 0,
			components: this._assignIds(body.components),
			application_id: this.applicationId,
			webhook_id: p ? this.applicationId : undefined,
		};
		if (p) {
			msg.interaction_metadata = this._interactionMetadata(p);
			if (p.message)
				msg.message_reference = {type: 0, message_id: p.message.id, channel_id: p.message.channel_id,
				                         guild_id: p.guild_id};
		}
		if (msg.webhook_id === undefined)
			delete msg.webhook_id;
		return msg;
	}

	/* MessageResponse.interaction_metadata, by interaction type (as the spec has it). */
	_interactionMetadata(p) {
		const user = p.member ? p.member.user : p.user;
		const md = {id: p.id, type: p.type, user: clone(user),
		            authorizing_integration_owners: clone(p.authorizing_integration_owners)};
		if (p.type === 3)
			md.interacted_message_id = p.message ? p.message.id : null;
		if (p.type === 5) {
			const src = p.message && p.message.interaction_metadata;
			md.triggering_interaction_metadata = src ? clone(src)
			                                         : {id: p.id, type: 2, user: clone(user),
			                                            authorizing_integration_owners: clone(p.authorizing_integration_owners)};
		}
		return md;
	}

	_storeMessage(msg) {
		this.messages.set(msg.id, msg);
		return msg;
	}

	_applyEdit(msg, body) {
		const out = clone(msg);
		for (const k of ['content', 'embeds', 'flags', 'attachments', 'allowed_mentions'])
			if (body[k] !== undefined)
				out[k] = body[k] === null ? (k === 'content' ? '' : k === 'flags' ? 0 : []) : clone(body[k]);
		if (body.components !== undefined)
			out.components = this._assignIds(body.components || []);
		delete out.allowed_mentions;
		out.edited_timestamp = isoNow();
		return out;
	}

	/* ---- interactions ---- */

	/*
	 * The common fields of an interaction (receiving-and-responding.mdx,
	 * Interaction Structure). opts: user {id, username, global_name}, dm,
	 * guildId, channelId, admin, locale, nick, roles.
	 */
	_interactionBase(type, data, opts = {}) {
		const user = Object.assign({}, this.defaultUser, opts.user || {});
		const u = {id: user.id, username: user.username, global_name: user.global_name || null,
		           discriminator: '0', avatar: null, public_flags: 0, flags: 0, primary_guild: null};
		const locale = opts.locale || 'en-US';
		const d = {
			id: snowflake(),
			application_id: this.applicationId,
			type,
			data,
			token: 'aW50ZXJhY3Rpb246' + randomToken(100),
			version: 1,
			app_permissions: null,
			locale,
			entitlements: [],
			authorizing_integration_owners: null,
			context: 0,
			attachment_size_limit: 26214400,
		};
		if (opts.dm) {
			// A DM with the bot: `user`, no member; context BOT_DM (1); GUILD_INSTALL owner "0".
			const channelId = opts.channelId || this.dmChannelFor(u.id);
			d.channel_id = channelId;
			d.channel = {id: channelId, type: 1, last_message_id: null, flags: 0,
			             recipients: [clone(u)]};
			d.user = u;
			d.app_permissions = DM_APP_PERMS.toString();
			d.authorizing_integration_owners = {0: '0'};
			d.context = 1;
		} else {
			const guildId = opts.guildId || this.guildId;
			const channelId = opts.channelId || this.channelId;
			const perms = opts.admin ? ALL_PERMS : MEMBER_PERMS;
			d.guild = {id: guildId, locale: opts.guildLocale || 'en-US', features: []};
			d.guild_id = guildId;
			d.channel_id = channelId;
			d.channel = {id: channelId, type: 0, guild_id: guildId, name: opts.channelName || 'general',
			             position: 0, parent_id: null, topic: null, nsfw: false, last_message_id: null,
			             rate_limit_per_user: 0, flags: 0, permissions: perms.toString()};
			d.member = {
				user: u,
				nick: opts.nick || null,
				avatar: null,
				banner: null,
				roles: clone(opts.roles || []),
				permissions: perms.toString(),
				joined_at: '2024-01-15T10:00:00.000000+00:00',
				premium_since: null,
				deaf: false,
				mute: false,
				flags: 0,
				pending: false,
				communication_disabled_until: null,
			};
			d.guild_locale = opts.guildLocale || 'en-US';
			d.app_permissions = (MEMBER_PERMS | PERM.MENTION_EVERYONE).toString();
			d.authorizing_integration_owners = {0: guildId};
			d.context = 0;
		}
		return d;
	}

	dmChannelFor(userId) {
		if (!this._dmChannels)
			this._dmChannels = new Map();
		if (!this._dmChannels.has(userId))
			this._dmChannels.set(userId, snowflake());
		return this._dmChannels.get(userId);
	}

	_findCommand(name, guildId) {
		const lists = [this.commands.global];
		if (guildId && this.commands.guilds.has(guildId))
			lists.unshift(this.commands.guilds.get(guildId));
		for (const l of lists) {
			const c = l.find((x) => x.name === name && x.type === 1);
			if (c)
				return c;
		}
		return null;
	}

	/* Option values as the interaction carries them, typed by the registered command if known. */
	_options(cmd, values, focused) {
		const out = [];
		for (const [name, value] of Object.entries(values || {})) {
			if (value === undefined)
				continue;
			let type;
			const reg = cmd && (cmd.options || []).find((o) => o.name === name);
			if (cmd && !reg)
				throw new Error(`command /${cmd.name} has no option "${name}"`);
			if (reg)
				type = reg.type;
			else if (typeof value === 'boolean')
				type = 5;
			else if (Number.isInteger(value))
				type = 4;
			else if (typeof value === 'number')
				type = 10;
			else
				type = 3;
			let v = value;
			if ((type === 4 || type === 10) && typeof v === 'string' && name !== focused)
				v = Number(v);
			// Autocomplete sends partial input: a string even for the focused numeric option.
			const o = {type, name, value: v};
			if (name === focused)
				o.focused = true;
			out.push(o);
		}
		return out;
	}

	/*
	 * An APPLICATION_COMMAND interaction for a slash command
	 * (application-commands.mdx, Slash Commands: Example Interaction).
	 */
	slashCommand(name, values = {}, opts = {}) {
		const guildId = opts.dm ? null : (opts.guildId || this.guildId);
		const cmd = this._findCommand(name, guildId);
		const data = {id: cmd ? cmd.id : this._commandId(name), name, type: 1};
		const options = this._options(cmd, values, null);
		if (options.length)
			data.options = options;
		// A USER option carries the id; the user object comes in data.resolved (interactions
		// receiving-and-responding.mdx, Resolved Data Structure).
		const users = options.filter((o) => o.type === 6);
		if (users.length) {
			data.resolved = {users: {}};
			for (const o of users)
				data.resolved.users[o.value] = {id: o.value, username: `user${o.value.slice(-4)}`,
				                                global_name: null, discriminator: '0', avatar: null,
				                                public_flags: 0};
		}
		if (cmd && cmd.guild_id)
			data.guild_id = cmd.guild_id;
		return this._interactionBase(2, data, opts);
	}

	/* An APPLICATION_COMMAND_AUTOCOMPLETE interaction (application-commands.mdx, Autocomplete). */
	autocomplete(name, values, focusedName, opts = {}) {
		const guildId = opts.dm ? null : (opts.guildId || this.guildId);
		const cmd = this._findCommand(name, guildId);
		const data = {id: cmd ? cmd.id : this._commandId(name), name, type: 1,
		              options: this._options(cmd, values, focusedName)};
		if (cmd)
			data.version = cmd.version;
		return this._interactionBase(4, data, opts);
	}

	_commandId(name) {
		if (!this._cmdIds)
			this._cmdIds = new Map();
		if (!this._cmdIds.has(name))
			this._cmdIds.set(name, snowflake());
		return this._cmdIds.get(name);
	}

	/*
	 * A MESSAGE_COMPONENT interaction for a button press on a message the bot
	 * sent (reference.mdx, Button: Message Interaction Response Example).
	 * `button` is a component object or a custom_id; opts as for slashCommand.
	 */
	buttonPress(message, button, opts = {}) {
		// The message as it is now (the bot may have edited it since).
		const msg = typeof message === 'string' ? this.messages.get(message)
		                                        : (message && this.messages.get(message.id)) || message;
		if (!msg)
			throw new Error('buttonPress: no such message');
		const b = checks.buttons(msg).find((x) => x.custom_id === (typeof button === 'string' ? button
		                                                                                       : button && button.custom_id));
		if (!b || !b.custom_id)
			throw new Error('buttonPress: the message has no such button (or it is a link button)');
		if (b.disabled)
			throw new Error('buttonPress: that button is disabled');
		const data = {custom_id: b.custom_id, component_type: 2};
		if (Number.isInteger(b.id))
			data.id = b.id;
		// A message an interaction made carries no guild_id; it is where that interaction was.
		const md = msg.interaction_metadata;
		const origin = md && this.interactions.get(md.id);
		const guildId = msg.guild_id || (origin && origin.payload.guild_id);
		const where = {};
		if (guildId)
			where.guildId = guildId;
		else
			where.dm = true;
		where.channelId = msg.channel_id;
		const d = this._interactionBase(3, data, Object.assign(where, opts));
		d.message = clone(this.messages.get(msg.id) || msg);
		return d;
	}

	/*
	 * A MODAL_SUBMIT interaction for a modal the bot opened with callback
	 * type 9. `values` maps text input custom_id -> typed text (a string
	 * fills the first text input). The components echo the modal's layout:
	 * Label -> {type 18, id, component: {type 4, id, custom_id, value}}
	 * (reference.mdx, Text Input: Modal Submit Interaction Data Example);
	 * the deprecated Action Row -> {type 1, id, components: [{type 4, ...}]};
	 * Text Display -> {type 10, id}.
	 */
	modalSubmit(fromInteraction, values, opts = {}) {
		const src = typeof fromInteraction === 'string' ? this.interactions.get(fromInteraction)
		                                                : this.interactions.get(fromInteraction.id);
		if (!src || !src.modal)
			throw new Error('modalSubmit: that interaction was not answered with a modal');
		const modal = src.modal;
		const inputs = [];
		checks.walkComponents(modal.components, (c) => {
			if (c.type === 4)
				inputs.push(c.custom_id);
		});
		const vals = typeof values === 'string' ? {[inputs[0]]: values} : values;
		let nextId = 1;
		const idOf = (c) => (Number.isInteger(c.id) && c.id > 0 ? c.id : nextId++);
		const echo = (c) => {
			if (c.type === 4)
				return {type: 4, id: idOf(c), custom_id: c.custom_id,
				        value: vals[c.custom_id] != null ? String(vals[c.custom_id]) : (c.value || '')};
			if (c.type === 18) {
				const id = idOf(c);
				return {type: 18, id, component: echo(c.component)};
			}
			if (c.type === 1) {
				const id = idOf(c);
				return {type: 1, id, components: (c.components || []).map(echo)};
			}
			if (c.type === 10)
				return {type: 10, id: idOf(c)};
			return {type: c.type, id: idOf(c), custom_id: c.custom_id, values: []};
		};
		for (const k of Object.keys(vals))
			if (!inputs.includes(k))
				throw new Error(`modalSubmit: the modal has no text input "${k}"`);
		const data = {custom_id: modal.custom_id, components: modal.components.map(echo)};
		const p = src.payload;
		const where = p.guild_id ? {guildId: p.guild_id, channelId: p.channel_id}
		                         : {dm: true, channelId: p.channel_id};
		const u = p.member ? p.member.user : p.user;
		const d = this._interactionBase(5, data, Object.assign(where, {user: u}, opts));
		if (p.message)
			d.message = clone(this.messages.get(p.message.id) || p.message);
		return d;
	}

	/* Registers an interaction and sends it as INTERACTION_CREATE (gateway-events.mdx). */
	dispatchInteraction(d) {
		if (!this.interactions.has(d.id)) {
			const rec = {id: d.id, token: d.token, payload: clone(d), createdAtMs: Date.now(),
			             createdAt: this.now(), acknowledged: false, callbacks: [],
			             webhookRequests: [], edits: [], followups: [],
			             original: null, modal: null, choices: null, dispatches: 0};
			this.interactions.set(d.id, rec);
			this.byToken.set(d.token, rec);
		}
		this.interactions.get(d.id).dispatches++;
		return this.sendDispatch('INTERACTION_CREATE', d);
	}

	interaction(id) {
		return this.interactions.get(typeof id === 'string' ? id : id.id) || null;
	}

	/* Every accepted callback of an interaction. */
	callbacks(id) {
		const it = this.interaction(id);
		return it ? it.callbacks : [];
	}

	lastCallback(id) {
		const cbs = this.callbacks(id);
		return cbs.length ? cbs[cbs.length - 1] : null;
	}

	/* Every callback POST for an interaction, accepted, refused or rate limited. */
	callbackAttempts(id) {
		const iid = typeof id === 'string' ? id : id.id;
		return this.requests.filter((r) => r.route === 'create_interaction_response' &&
		                                   r.path.startsWith(`${API_PREFIX}/interactions/${iid}/`));
	}

	/*
	 * The message the user ends up seeing for an interaction: the callback's
	 * message (type 4/7), or, after a deferred callback (5), the edited original.
	 */
	replyMessage(id) {
		const it = this.interaction(id);
		if (!it || !it.callbacks.length)
			return null;
		if (it.deferred && !it.edits.length)
			return null;
		return it.original ? this.messages.get(it.original.id) || it.original : null;
	}
}

module.exports = {
	FakeDiscord,
	CLOSE_CODES,
	OP,
	snowflake,
	checks,
	messageText: checks.messageText,
	findButton: checks.findButton,
	findLinkButton: checks.findLinkButton,
	buttons: checks.buttons,
};
