#!/usr/bin/env node
'use strict';
/*
 * selftest.js - tests the fake without the bot: a tiny scripted client (ws
 * and fetch) plays a correct bot against it and then wrong ones, and the
 * fake must record exactly the violations expected. Also checks that the
 * fake's envelopes have the shapes of ../shared/slack/socket-mode-samples.jsonl
 * (skipped with a message when ../shared is absent).
 *
 *   node tests/fake/slack/selftest.js      -> PASS/FAIL lines, then "N passed, N failed"
 */
const fs = require('fs');
const path = require('path');
const WebSocket = require('ws');
const {FakeSlack, findButton, textInputs} = require('./fake');

let passed = 0;
let failed = 0;
function check(name, ok, why) {
	if (ok)
		passed++;
	else
		failed++;
	console.log(ok ? `PASS selftest_${name}` : `FAIL selftest_${name}: ${why}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rules = (f) => f.violations.map((v) => v.rule).sort();

/* A scripted Socket Mode client: the smallest thing that talks to Slack. */
class Client {
	constructor(fake, handler) {
		this.fake = fake;
		this.handler = handler || (() => {});
		this.sockets = [];
	}

	async api(method, args = {}, {token = this.fake.botToken, form = false, retry = true} = {}) {
		for (;;) {
			const headers = {Authorization: `Bearer ${token}`};
			let body;
			if (form) {
				headers['Content-Type'] = 'application/x-www-form-urlencoded';
				body = new URLSearchParams(Object.entries(args).map(([k, v]) =>
					[k, typeof v === 'object' ? JSON.stringify(v) : String(v)])).toString();
			} else {
				headers['Content-Type'] = 'application/json; charset=utf-8';
				body = JSON.stringify(args);
			}
			const r = await fetch(`${this.fake.apiBase}/${method}`, {method: 'POST', headers, body});
			if (r.status === 429 && retry) {
				await sleep(Number(r.headers.get('retry-after')) * 1000);
				continue;
			}
			return r.json();
		}
	}

	async respond(url, body) {
		const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'},
		                            body: JSON.stringify(body)});
		return r.status;
	}

	/* apps.connections.open, connect, wait for hello: the socket. */
	async connect(url) {
		if (!url)
			url = (await this.api('apps.connections.open', {}, {token: this.fake.appToken})).url;
		const ws = new WebSocket(url);
		this.sockets.push(ws);
		ws.hello = await new Promise((resolve, reject) => {
			ws.once('error', reject);
			ws.on('message', (d) => {
				const f = JSON.parse(d);
				if (f.type === 'hello')
					return resolve(f);
				if (f.type === 'disconnect')
					return this.onDisconnect(ws, f);
				this.handler(ws, f);
			});
		});
		ws.url0 = url;
		return ws;
	}

	onDisconnect(ws, f) {
		this.lastDisconnect = f;
		if (f.reason !== 'link_disabled')
			this.connect().then((n) => (this.replacement = n));
	}

	ack(ws, env, payload) {
		ws.send(JSON.stringify(payload ? {envelope_id: env.envelope_id, payload} : {envelope_id: env.envelope_id}));
	}

	close() {
		for (const ws of this.sockets)
			ws.terminate();
	}
}

const CARD = [
	{type: 'section', text: {type: 'mrkdwn', text: '*What is cache-aside?* &lt;escaped&gt; &amp; safe'}},
	{type: 'actions', elements: [
		{type: 'button', text: {type: 'plain_text', text: 'Answer'}, action_id: 'answer', value: 'q1'},
		{type: 'button', text: {type: 'plain_text', text: 'Reveal'}, action_id: 'reveal', value: 'q1'},
	]},
];
const MODAL = {type: 'modal', callback_id: 'answer', title: {type: 'plain_text', text: 'Your answer'},
               submit: {type: 'plain_text', text: 'Submit'}, private_metadata: 'C0GENERAL1',
               blocks: [{type: 'input', block_id: 'a', label: {type: 'plain_text', text: 'Answer'},
                         element: {type: 'plain_text_input', action_id: 'text', multiline: true}}]};

/* A bot that follows the docs. */
async function goodBot() {
	const fake = new FakeSlack({pingIntervalMs: 200});
	await fake.start();
	const c = new Client(fake, async (ws, env) => {
		c.ack(ws, env);
		const p = env.payload;
		if (env.type === 'slash_commands')
			await c.api('chat.postMessage', {channel: p.channel_id, text: 'A question', blocks: CARD});
		else if (p.type === 'block_actions' && p.actions[0].action_id === 'answer')
			await c.api('views.open', {trigger_id: p.trigger_id, view: MODAL}, {form: true});
		else if (p.type === 'block_actions')
			await c.respond(p.response_url, {response_type: 'ephemeral', text: 'The model answer'});
		else if (p.type === 'view_submission')
			await c.api('chat.postEphemeral', {channel: p.view.private_metadata, user: p.user.id,
			                                   text: 'You covered 2 of 3 key points'});
	});
	try {
		const auth = await c.api('auth.test');
		check('good_auth_test', auth.ok && auth.user_id === fake.botUserId && auth.bot_id, JSON.stringify(auth));
		const ws = await c.connect();
		const h = ws.hello;
		check('good_hello', h.num_connections === 1 && h.debug_info && h.debug_info.host &&
		      h.debug_info.started && typeof h.debug_info.approximate_connection_time === 'number' &&
		      h.connection_info.app_id === fake.appId, JSON.stringify(h));
		check('good_ws_url', /^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[^&]+&app_id=A/.test(ws.url0), ws.url0);

		fake.rateLimit('chat.postMessage', 1, 1);
		const cmd = fake.slashCommand('/question', 'caching');
		await fake.waitFor(() => fake.messages.length === 1, 5000, 'the card');
		const card = fake.messages[0];
		check('good_card_after_429', fake.requestsTo('chat.postMessage').length === 2 &&
		      fake.repliesTo(cmd).length === 1, `${fake.requestsTo('chat.postMessage').length} posts`);
		check('good_ack_timed', cmd.acks.length === 1 && cmd.acks[0].latencyMs < 3000, JSON.stringify(cmd.acks));

		fake.blockAction(card, findButton(card, 'answer'));
		const v = await fake.waitFor(() => fake.views[0], 5000, 'a modal');
		check('good_modal', textInputs(v.view).length === 1 && v.channel === 'C0GENERAL1' && v.ageMs < 3000, JSON.stringify(v.view).slice(0, 200));
		fake.viewSubmission(v, 'Cache-aside reads the cache first.');
		await fake.waitFor(() => fake.messages.some((m) => m.via === 'chat.postEphemeral'), 5000, 'a grade');

		fake.blockAction(card, findButton(card, 'Reveal'));
		await fake.waitFor(() => fake.messages.some((m) => m.via === 'response_url'), 5000, 'a reveal');
		check('good_reveal_ephemeral', fake.messages.find((m) => m.via === 'response_url').ephemeral, 'not ephemeral');

		const old = fake.current;
		fake.disconnect('refresh_requested', {graceMs: 800});
		await fake.waitFor(() => old.state === 'closed', 5000, 'the old socket to close');
		check('good_handover', old.handover && old.handover.ok, JSON.stringify(old.handover));
		const cmd2 = fake.slashCommand('/question', 'caching');
		await fake.waitFor(() => fake.repliesTo(cmd2).length === 1, 5000, 'a card on the new socket');
		check('good_new_socket_used', cmd2.conn === old.id + 1, `envelope went to #${cmd2.conn}`);
		await sleep(600);
		check('good_server_pings_answered', fake.connections[1].pongs > 0, 'no pong to a server ping');
		check('good_no_violations', fake.violations.length === 0,
		      fake.violations.map((x) => `${x.rule}: ${x.detail}`).join(' | '));
	} finally {
		c.close();
		await fake.stop();
	}
}

/* The three mistakes of the brief: a late ack, an oversized section, a double ack. */
async function wrongBot() {
	const fake = new FakeSlack({pingIntervalMs: 0});
	await fake.start();
	const c = new Client(fake, (ws, env) => {
		if (env.payload.text === 'late')
			setTimeout(() => c.ack(ws, env), 3300);
		else if (env.payload.text === 'twice') {
			c.ack(ws, env);
			c.ack(ws, env);
		} else {
			c.ack(ws, env);
			c.api('chat.postMessage', {channel: env.payload.channel_id, text: 'long',
			                           blocks: [{type: 'section', text: {type: 'mrkdwn', text: 'x'.repeat(3001)}}]})
			 .then((r) => (c.bigReply = r));
		}
	});
	try {
		await c.connect();
		fake.slashCommand('/question', 'late');
		fake.slashCommand('/question', 'twice');
		fake.slashCommand('/question', 'big');
		await sleep(3600);
		check('wrong_exactly_three', JSON.stringify(rules(fake)) === JSON.stringify(['ack-duplicate', 'ack-late', 'block-kit']),
		      `got ${rules(fake).join(', ')}`);
		check('wrong_invalid_blocks', c.bigReply && c.bigReply.error === 'invalid_blocks' &&
		      /3000 characters \[json-pointer:\/blocks\/0\/text\/text\]/.test(c.bigReply.errors[0]), JSON.stringify(c.bigReply));
	} finally {
		c.close();
		await fake.stop();
	}
}

/* More mistakes: wrong token type, a reused ticket, a stale trigger, Retry-After ignored, an unknown ack. */
async function moreWrong() {
	const fake = new FakeSlack({pingIntervalMs: 0});
	await fake.start();
	const c = new Client(fake, (ws, env) => c.ack(ws, env));
	try {
		const r1 = await c.api('chat.postMessage', {channel: 'C0GENERAL1', text: 'hi'}, {token: fake.appToken});
		check('more_token_type', r1.error === 'not_allowed_token_type', JSON.stringify(r1));
		const r2 = await c.api('apps.connections.open', {}, {token: fake.botToken});
		check('more_bot_token_on_open', r2.error === 'not_allowed_token_type', JSON.stringify(r2));
		const ws = await c.connect();
		const again = await new Promise((resolve) => {
			const w = new WebSocket(ws.url0);
			w.on('unexpected-response', (req, res) => resolve(res.statusCode));
			w.on('open', () => resolve('opened'));
			w.on('error', () => {});
		});
		check('more_ticket_once', again === 401, `second use of a ticket: ${again}`);
		const cmd = fake.slashCommand('/question', 'x');
		await sleep(3100);
		const r3 = await c.api('views.open', {trigger_id: cmd.envelope.payload.trigger_id, view: MODAL});
		check('more_trigger_expired', r3.error === 'expired_trigger_id', JSON.stringify(r3));
		fake.rateLimit('users.info', 2, 1);
		await c.api('users.info', {user: 'U0ALICE001'}, {form: true, retry: false});
		const r4 = await c.api('users.info', {user: 'U0ALICE001'}, {form: true});
		check('more_users_info', r4.ok && r4.user.tz === 'Europe/Berlin' && r4.user.is_admin === false, JSON.stringify(r4));
		ws.send(JSON.stringify({envelope_id: 'not-a-real-one'}));
		await sleep(200);
		const want = ['ack-unknown', 'retry-after-ignored', 'ticket-reused', 'token-type', 'token-type', 'trigger-expired'];
		check('more_exact', JSON.stringify(rules(fake)) === JSON.stringify(want), `got ${rules(fake).join(', ')}`);
	} finally {
		c.close();
		await fake.stop();
	}
}

/* The fake's envelopes against socket-mode-samples.jsonl: same keys, same order, same types. */
function shape(v) {
	if (Array.isArray(v))
		return v.length ? [shape(v[0])] : [];
	if (v && typeof v === 'object')
		return Object.entries(v).map(([k, x]) => [k, shape(x)]);
	return v === null ? 'null' : typeof v;
}

async function samples() {
	const file = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'slack', 'socket-mode-samples.jsonl');
	if (!fs.existsSync(file)) {
		console.log('SKIP selftest_sample_shapes: ../shared/slack not found');
		return;
	}
	const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
	const fake = new FakeSlack({pingIntervalMs: 0});
	await fake.start();
	const c = new Client(fake);
	try {
		const ws = await c.connect();
		const helloShape = shape(ws.hello);
		helloShape[2][1] = helloShape[2][1].filter(([k]) => k !== 'started'); // the docs' hello adds started
		check('sample_hello', JSON.stringify(helloShape) === JSON.stringify(shape(lines[4])),
		      `${JSON.stringify(shape(ws.hello))} vs ${JSON.stringify(shape(lines[4]))}`);
		const cmd = fake.slashCommand('/hello-socket-mode', '');
		check('sample_slash_command', JSON.stringify(shape(cmd.envelope)) === JSON.stringify(shape(lines[0])),
		      `${JSON.stringify(shape(cmd.envelope))} vs ${JSON.stringify(shape(lines[0]))}`);
		const ev = fake.event({type: 'message', text: '<@U111> Hi here!', channel_type: 'channel'});
		check('sample_events_api', JSON.stringify(shape(ev.envelope)) === JSON.stringify(shape(lines[3])),
		      `${JSON.stringify(shape(ev.envelope))} vs ${JSON.stringify(shape(lines[3]))}`);
		const re = fake.redeliver(ev);
		check('sample_redelivery', re.envelope.retry_attempt === 1 && re.envelope.retry_reason === 'timeout' &&
		      re.id !== ev.id && JSON.stringify(re.envelope.payload) === JSON.stringify(ev.envelope.payload), 'redelivery');
	} finally {
		c.close();
		await fake.stop();
	}
}

(async () => {
	for (const t of [samples, goodBot, wrongBot, moreWrong]) {
		try {
			await t();
		} catch (e) {
			check(`${t.name}_crashed`, false, e.stack || e);
		}
	}
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
})();
