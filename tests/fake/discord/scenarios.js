'use strict';
/*
 * scenarios.js - what drillbot must do against the fake Discord. Each
 * scenario gets a Harness `t` (harness.js): t.fake() starts a fake,
 * t.startBot() the bot, t.expect() waits (FAIL + abort on timeout),
 * t.check() asserts at once. Check names come out as
 * discord_<scenario>_<check>. Timeouts are for liveness only; the only
 * timings asserted are the protocol's own rules.
 */
const {messageText, findButton, findLinkButton, buttons, checks, CLOSE_CODES} = require('./fake');
const {sqlite} = require('./harness');
const path = require('path');

/* A two-sentence answer about cache-aside that covers its key points. */
const GOOD_ANSWER = 'Cache-aside means the application reads the cache first and, on a miss, ' +
                    'loads the row from the database and stores it in the cache with a TTL. ' +
                    'Writes go to the database and then invalidate the cached entry so the next ' +
                    'read loads fresh data.';

/* Every command in bot/engine/cmd.c (kind CMD_COMMAND). */
const COMMANDS = ['question', 'answer', 'stats', 'weak', 'leaderboard', 'topics', 'tips', 'settings',
                  'daily', 'review', 'reviewers', 'export-me', 'forget-me', 'help'];

/* A GUILD_CREATE for the fake's guild (gateway-events.mdx, Guild Create); `pad` members make it big. */
function guildCreate(fake, pad = 0) {
	const g = {
		id: fake.guildId,
		name: 'Backend Team',
		icon: null,
		owner_id: '80351110224678912',
		afk_channel_id: null,
		afk_timeout: 300,
		verification_level: 1,
		default_message_notifications: 1,
		explicit_content_filter: 0,
		roles: [{id: fake.guildId, name: '@everyone', color: 0, hoist: false, icon: null,
		         unicode_emoji: null, position: 0, permissions: '2248473465835073', managed: false,
		         mentionable: false, flags: 0}],
		emojis: [],
		features: [],
		mfa_level: 0,
		application_id: null,
		system_channel_id: fake.channelId,
		system_channel_flags: 0,
		rules_channel_id: null,
		vanity_url_code: null,
		description: null,
		banner: null,
		premium_tier: 0,
		preferred_locale: 'en-US',
		public_updates_channel_id: null,
		nsfw_level: 0,
		stickers: [],
		premium_progress_bar_enabled: false,
		joined_at: '2024-01-15T10:00:00.000000+00:00',
		large: pad > 0,
		unavailable: false,
		member_count: 2 + pad,
		voice_states: [],
		members: [],
		channels: [{id: fake.channelId, type: 0, name: 'general', position: 0, parent_id: null,
		            topic: null, nsfw: false, last_message_id: null, rate_limit_per_user: 0, flags: 0,
		            permission_overwrites: []}],
		threads: [],
		presences: [],
		stage_instances: [],
		guild_scheduled_events: [],
		soundboard_sounds: [],
	};
	for (let i = 0; i < pad; i++) {
		const id = String(300000000000000000n + BigInt(i));
		g.members.push({user: {id, username: `member${i}`, global_name: `Member ${i}`, discriminator: '0',
		                       avatar: null, public_flags: 0},
		                nick: null, avatar: null, roles: [], joined_at: '2024-02-01T12:00:00.000000+00:00',
		                premium_since: null, deaf: false, mute: false, flags: 0, pending: false});
	}
	return g;
}

/* A GUILD_CREATE of at least `bytes` of JSON. */
function bigGuildCreate(fake, bytes) {
	const one = JSON.stringify(guildCreate(fake, 1).members[0]).length + 1;
	const g = guildCreate(fake, Math.ceil(bytes / one) + 10);
	return g;
}

function labels(msg) {
	return buttons(msg).map((b) => `${b.label || '?'}(style ${b.style})`).join(', ') || 'none';
}

function exactButton(msg, label) {
	const want = label.toLowerCase();
	return buttons(msg).find((b) => typeof b.label === 'string' && b.label.trim().toLowerCase() === want) ||
	       findButton(msg, label);
}

/* The message the user sees for an interaction (waits for a deferred edit). */
async function reply(t, fake, d, check) {
	return t.expect(check, () => fake.replyMessage(d.id), 'the reply message (after a deferred callback, ' +
	                'PATCH @original)', 10000, {quiet: true});
}

function textInputs(modal) {
	const out = [];
	checks.walkComponents(modal && modal.components, (c) => {
		if (c.type === 4)
			out.push(c);
	});
	return out;
}

function resumeCheck(fake, conn, sid, seq) {
	const d = conn.resume || {};
	const problems = [];
	if (conn.kind !== 'resume')
		problems.push(`resumed on ${conn.url}, not on resume_gateway_url ${fake.resumeUrl}`);
	if (conn.query.v !== '10' || conn.query.encoding !== 'json')
		problems.push(`the resume URL ${conn.url} lacks ?v=10&encoding=json`);
	if (d.session_id !== sid)
		problems.push(`session_id ${d.session_id}, want ${sid}`);
	if (seq !== undefined && d.seq !== seq)
		problems.push(`seq ${d.seq}, want ${seq}`);
	return problems.join('; ');
}

/* ---- 1. identify and heartbeats ---- */

async function identify(t) {
	const interval = 1500;
	const fake = await t.fake({heartbeatInterval: interval});
	t.startBot(fake, ['run'], {appId: false});
	const conn = await t.ready('connects_and_identifies');
	const gb = fake.requests.find((r) => r.route === 'get_bot_gateway');
	t.check('get_gateway_bot', gb && gb.at <= conn.openedAt,
	        gb ? 'GET /gateway/bot came after the gateway connection' : 'no GET /gateway/bot');
	t.check('url_v10_json', conn.kind === 'gateway' && conn.query.v === '10' && conn.query.encoding === 'json',
	        `connected to ${conn.url}; want the URL from GET /gateway/bot with ?v=10&encoding=json`);
	const id = conn.identify;
	t.check('intents_guilds_only', id.intents === 1, `IDENTIFY intents ${id.intents}, want 1 (GUILDS)`);
	const p = id.properties || {};
	t.check('identify_properties', ['os', 'browser', 'device'].every((k) => typeof p[k] === 'string' && p[k]),
	        `properties ${JSON.stringify(p)}`);
	t.check('identify_shard', id.shard === undefined || (id.shard[0] === 0 && id.shard[1] === 1),
	        `shard ${JSON.stringify(id.shard)} while GET /gateway/bot said shards: 1`);

	const hb1 = await t.expect('first_heartbeat', () => conn.heartbeats[0], 'the first heartbeat',
	                           interval + 5000, {quiet: true});
	// gateway.mdx, Heartbeat Interval: first heartbeat after interval * jitter, jitter in [0, 1].
	t.check('first_heartbeat_within_interval', hb1.sinceHello >= 0 && hb1.sinceHello <= interval + 250,
	        `first heartbeat ${hb1.sinceHello} ms after HELLO; heartbeat_interval is ${interval}`,
	        `${hb1.sinceHello} ms after HELLO`);
	t.check('first_heartbeat_seq', hb1.d === null || hb1.d === hb1.lastSeqSent,
	        `first heartbeat d=${JSON.stringify(hb1.d)}; the last sequence sent was ${hb1.lastSeqSent}`);

	const seq = fake.sendDispatch('GUILD_CREATE', guildCreate(fake));
	const sentAt = fake.now();
	const hb = await t.expect('heartbeat_after_dispatch', () => conn.heartbeats.find((h) => h.at >= sentAt + 300),
	                          'a heartbeat after a dispatch', interval * 2 + 5000, {quiet: true});
	t.check('heartbeat_carries_last_seq', hb.d === seq, `heartbeat d=${JSON.stringify(hb.d)}, last seq ${seq}`);

	await t.expect('heartbeats_continue', () => conn.heartbeats.length >= 5, 'five heartbeats',
	               interval * 5 + 5000, {quiet: true});
	const gaps = conn.heartbeats.slice(1).map((h) => h.sincePrev);
	const longest = Math.max(...gaps);
	t.check('heartbeat_every_interval', longest <= interval + 250,
	        `${longest} ms between two heartbeats; heartbeat_interval is ${interval}`, `longest gap ${longest} ms`);

	// gateway.mdx, Heartbeat Requests: answer op 1 at once, without waiting for the interval.
	const n = conn.heartbeats.length;
	await t.expect('heartbeat_before_request', () => conn.heartbeats.length > n, 'a heartbeat',
	               interval + 5000, {quiet: true});
	await t.sleep(100);
	const askedAt = fake.now();
	fake.sendOp(1, null, conn);
	const answer = await t.expect('answers_heartbeat_request', () => conn.heartbeats.find((h) => h.at >= askedAt),
	                              'a heartbeat after the server sent op 1', 5000, {quiet: true});
	t.check('answers_heartbeat_request', answer.at - askedAt <= 500,
	        `op 1 answered after ${answer.at - askedAt} ms, about when the regular one was due`,
	        `${answer.at - askedAt} ms`);
	t.check('acks_kept_one_connection', fake.connections.length === 1,
	        `${fake.connections.length} gateway connections in a quiet session`);
}

/* ---- 2-5. /question, Answer, Reveal, autocomplete (and a DM) ---- */

async function question(t) {
	const fake = await t.fake();
	t.startBot(fake);
	await t.ready();
	let card = null;
	let qd = null;
	await t.section(async () => {
		qd = fake.slashCommand('question', {topic: 'caching'});
		const cb = await t.ask('question_answered', qd);
		await t.sleep(500);
		const attempts = fake.callbackAttempts(qd.id);
		t.check('question_one_callback', attempts.length === 1, `${attempts.length} callback requests`);
		t.check('question_callback_type4', cb.type === 4, `callback type ${cb.type}, want 4`);
		t.check('question_callback_valid', attempts.every((r) => r.status === 204 || r.status === 200),
		        'the fake refused a callback (see follows_protocol)');
		card = await reply(t, fake, qd, 'question_card');
		t.check('question_answer_button', (exactButton(card, 'Answer') || {}).custom_id,
		        `no "Answer" button with a custom_id; buttons: ${labels(card)}`);
		t.check('question_reveal_button', (exactButton(card, 'Reveal') || {}).custom_id,
		        `no "Reveal" button with a custom_id; buttons: ${labels(card)}`);
		const link = findLinkButton(card);
		t.check('question_link_button', link && typeof link.url === 'string' &&
		                                     link.url.startsWith('https://drill.example/q/'),
		        link ? `the link button goes to ${link.url}` : `no link button; buttons: ${labels(card)}`);
	});

	// 3. Answer -> modal -> submit -> graded.
	await t.section(async () => {
		const btn = card && exactButton(card, 'Answer');
		if (!btn || !btn.custom_id)
			return t.abort('answer_opens_modal', 'no Answer button to press');
		const press = fake.buttonPress(card, btn);
		const cb = await t.ask('answer_opens_modal', press, 'a callback for the Answer button', {quiet: true});
		t.check('answer_opens_modal', cb.type === 9, `callback type ${cb.type}, want 9 (MODAL)`);
		if (cb.type !== 9)
			return;
		const inputs = textInputs(cb.body.data);
		t.check('answer_modal_paragraph', inputs.some((i) => i.style === 2),
		        `text inputs: ${String(JSON.stringify(inputs)).slice(0, 300)}; want a paragraph (style 2) input`);
		const sub = fake.modalSubmit(press, GOOD_ANSWER);
		const cb2 = await t.ask('answer_submitted', sub);
		t.check('answer_reply_type4', cb2.type === 4 || cb2.type === 5,
		        `callback type ${cb2.type} for the modal submit, want 4 (or 5 then PATCH @original)`);
		const msg = await reply(t, fake, sub, 'answer_reply');
		const text = messageText(msg);
		t.check('answer_scored', text.includes('Score'), `the reply has no "Score": ${text.slice(0, 300)}`);
	});

	// 4. Reveal -> ephemeral model answer with the self-grade buttons.
	await t.section(async () => {
		const btn = card && exactButton(card, 'Reveal');
		if (!btn || !btn.custom_id)
			return t.abort('reveal_answered', 'no Reveal button to press');
		const press = fake.buttonPress(card, btn);
		await t.ask('reveal_answered', press);
		const msg = await reply(t, fake, press, 'reveal_reply');
		t.check('reveal_ephemeral', ((msg.flags || 0) & 64) !== 0, `message flags ${msg.flags}, want EPHEMERAL (64)`);
		const missing = ['Again', 'Hard', 'Good', 'Easy'].filter((l) => !(exactButton(msg, l) || {}).custom_id);
		t.check('reveal_self_grade_buttons', missing.length === 0,
		        `missing ${missing.join(', ')}; buttons: ${labels(msg)}`);
		const good = exactButton(msg, 'Good');
		if (good && good.custom_id)
			await t.ask('self_grade_answered', fake.buttonPress(msg, good));
	});

	// 5. Autocomplete on /question topic.
	await t.section(async () => {
		const ac = fake.autocomplete('question', {topic: 'cach'}, 'topic');
		const cb = await t.ask('autocomplete_answered', ac);
		t.check('autocomplete_type8', cb.type === 8, `callback type ${cb.type}, want 8`);
		const choices = (cb.body.data && cb.body.data.choices) || [];
		t.check('autocomplete_offers_caching', choices.some((c) => c && c.value === 'caching'),
		        `choices ${JSON.stringify(choices).slice(0, 300)}`);
	});

	// A DM: `user` instead of `member`, context 1.
	await t.section(async () => {
		const dm = fake.slashCommand('question', {topic: 'caching'},
		                             {dm: true, user: {id: '222222222222222222', username: 'bob', global_name: 'Bob'}});
		const cb = await t.ask('dm_question_answered', dm);
		t.check('dm_question_type4', cb.type === 4 || cb.type === 5, `callback type ${cb.type}`);
	});

	await t.section(async () => {
		await t.ask('stats_answered', fake.slashCommand('stats'));
	});
}

/* ---- 6. op 7 and op 9 ---- */

async function reconnect(t) {
	const fake = await t.fake();
	t.startBot(fake);
	const c1 = await t.ready();
	const sid = fake.activeSession.id;
	fake.sendDispatch('GUILD_CREATE', guildCreate(fake));
	await t.sleep(400);

	let c2 = null;
	await t.section(async () => {
		const seq = c1.lastSeqSent;
		fake.sendOp(7, null, c1);
		c2 = await t.expect('op7_resume', () => fake.connections.find((c) => c.id > c1.id && c.resume),
		                    'a RESUME after op 7 (Reconnect)', 10000, {quiet: true});
		const bad = resumeCheck(fake, c2, sid, seq);
		t.check('op7_resumes', !bad, bad);
		await t.expect('op7_old_connection_closed', () => c1.state === 'closed', 'the old connection to close', 5000,
		               {quiet: true});
		t.check('op7_old_connection_closed', !(c1.closedBy === 'client' && [1000, 1001].includes(c1.closeCode)),
		        `the client closed the old connection with ${c1.closeCode}, which invalidates the session`);
		await t.expect('op7_resumed', () => c2.sent.some((s) => s.t === 'RESUMED'), 'RESUMED', 5000);
		const resumedSeq = c2.sent.find((s) => s.t === 'RESUMED').s;
		const hb = await t.expect('op7_seq_after_resume', () => c2.heartbeats.find((h) => h.at > c2.openedAt + 300 &&
		                                                                                  h.settledSeq >= resumedSeq),
		                          'a heartbeat after RESUMED', 8000, {quiet: true});
		t.check('op7_seq_after_resume', hb.d === resumedSeq,
		        `heartbeat d=${hb.d} after RESUMED (seq ${resumedSeq})`);
	});

	await t.section(async () => {
		const c = fake.current;
		if (!c)
			return t.abort('op9_true_resumes', 'no open connection');
		const at = fake.now();
		fake.sendOp(9, true, c);
		const r = await t.expect('op9_true_resume', () => fake.payloadAfter(at, 6) || fake.payloadAfter(at, 2),
		                         'a RESUME after op 9 d=true', 15000, {quiet: true});
		t.check('op9_true_resumes', r.payload.op === 6 && r.payload.d.session_id === sid,
		        r.payload.op === 6 ? `RESUME with session_id ${r.payload.d.session_id}, want ${sid}`
		                           : 'sent IDENTIFY; op 9 with d=true means the session may be resumed',
		        `after ${r.at - at} ms`);
		if (r.payload.op === 6)
			await t.expect('op9_true_resumed', () => r.conn.sent.some((s) => s.t === 'RESUMED' && s.at >= r.at),
			               'RESUMED', 5000);
	});

	await t.section(async () => {
		const c = fake.current;
		if (!c)
			return t.abort('op9_false_identifies', 'no open connection');
		const at = fake.now();
		fake.sendOp(9, false, c);
		// Waiting out max_concurrency (1 identify per 5 s) may take a few seconds.
		const r = await t.expect('op9_false_identifies', () => fake.payloadAfter(at, 2), 'an IDENTIFY after op 9 d=false',
		                         20000, {extra: (v) => `after ${v.at - at} ms`});
		const resumed = fake.payloadAfter(at, 6);
		t.check('op9_false_no_resume', !resumed || resumed.at > r.at,
		        'sent RESUME after op 9 d=false; the session is gone, identify instead');
		t.check('op9_false_uses_gateway_url', r.conn.kind === 'gateway',
		        `identified on ${r.conn.url}; a new session uses the URL from GET /gateway/bot`);
		await t.expect('op9_false_ready', () => r.conn.sent.some((s) => s.t === 'READY'), 'READY', 10000, {quiet: true});
		await t.ask('op9_false_new_session_works', fake.slashCommand('help'));
	});
}

/* ---- 7. close codes ---- */

/* opcodes-and-status-codes.mdx, Gateway Close Event Codes: what each code asks of the client. */
const RESUME_CODES = [4000, 4001, 4002, 4005, 4008];
const NEW_SESSION_CODES = [4007, 4009]; // "Reconnect and start a new session" / "start a new one"
const EITHER_CODES = [4003]; // "...or this session has been invalidated": resume may fail, then identify
const FATAL_CODES = [4004, 4010, 4011, 4012, 4013, 4014];

function closeScenario(code) {
	return async (t) => {
		const fake = await t.fake();
		if (FATAL_CODES.includes(code)) {
			if (code === 4004) {
				// A token the gateway does not accept (REST still does): a natural 4004.
				fake.identifyTokenOverride = 'NOT.the.token';
				fake.expectBadIdentify = true;
			} else {
				fake.rejectNextIdentify(code);
			}
			const bot = t.startBot(fake);
			await t.expect('identifies', () => fake.connections[0] && fake.connections[0].identify,
			               'an IDENTIFY', 10000, {quiet: true});
			const ex = await bot.waitExit(10000);
			t.check('exits_nonzero', ex && ex.code !== 0 && ex.code !== null,
			        ex ? `the bot ${bot.describeExit()}` : `still running 10 s after close code ${code} ` +
			                                              '(which the docs mark as not reconnectable)');
			t.check('names_code', bot.stderr.includes(String(code)),
			        `stderr does not name ${code}${bot.stdout.includes(String(code)) ? ' (stdout does)' : ''}`);
			if (code === 4004)
				t.check('names_token_file', bot.stderr.includes('discord_token_file'),
				        'stderr does not name discord_token_file (where the token comes from)');
			t.check('no_reconnect', fake.connections.length === 1,
			        `${fake.connections.length} connections: it reconnected after ${code}`);
			return;
		}
		t.startBot(fake);
		const c1 = await t.ready();
		const sid = fake.activeSession.id;
		fake.sendDispatch('GUILD_CREATE', guildCreate(fake));
		await t.sleep(300);
		const seq = c1.lastSeqSent;
		const at = fake.now();
		fake.close(code, CLOSE_CODES[code].name, c1);
		const first = await t.expect('reconnects', () => {
			const r = fake.payloadAfter(at, 6);
			const i = fake.payloadAfter(at, 2);
			if (r && i)
				return r.at < i.at ? r : i;
			return r || i;
		}, `a reconnect after close code ${code}`, 20000, {extra: (v) => `${v.payload.op === 6 ? 'RESUME' : 'IDENTIFY'} ` +
		                                                               `after ${v.at - at} ms`});
		if (RESUME_CODES.includes(code)) {
			t.check('resumes', first.payload.op === 6 && !resumeCheck(fake, first.conn, sid, seq),
			        first.payload.op === 6 ? resumeCheck(fake, first.conn, sid, seq)
			                               : `sent IDENTIFY; close code ${code} allows a RESUME`);
			if (first.payload.op === 6)
				await t.expect('resumed', () => first.conn.sent.some((s) => s.t === 'RESUMED'), 'RESUMED', 5000);
		} else if (NEW_SESSION_CODES.includes(code)) {
			t.check('new_session', first.payload.op === 2,
			        `sent RESUME; close code ${code} says "Reconnect and start a new session"`);
			await t.expect('identified', () => fake.payloadAfter(at, 2), 'an IDENTIFY', 20000, {quiet: true});
			await t.expect('ready', () => fake.connections.some((c) => c.id > c1.id && c.sent.some((s) => s.t === 'READY')),
			               'READY on a new session', 10000);
		} else {
			await t.expect('session_back', () => fake.connections.some((c) => c.id > c1.id && c.state === 'open' &&
			                                                                  c.sent.some((s) => s.t === 'READY' ||
			                                                                                     s.t === 'RESUMED')),
			               'READY or RESUMED', 20000);
		}
		await t.ask('works_after', fake.slashCommand('help'));
	};
}

/* ---- 8. zombie connection ---- */

async function zombie(t) {
	const interval = 800;
	const fake = await t.fake({heartbeatInterval: interval});
	t.startBot(fake);
	const c1 = await t.ready();
	const sid = fake.activeSession.id;
	await t.expect('acked_heartbeat', () => c1.heartbeats.length >= 1, 'a heartbeat', interval + 5000, {quiet: true});
	const at = fake.now();
	fake.withholdAcks(true, c1);
	// gateway.mdx, Heartbeat Interval: no ACK between two heartbeats -> close (not 1000/1001), resume.
	await t.expect('closes_zombie', () => c1.state === 'closed', 'the bot to close the connection whose ACKs stopped',
	               interval * 4 + 5000, {extra: () => `after ${c1.closedAt - at} ms`});
	const unacked = c1.heartbeats.filter((h) => h.at >= at).length;
	t.check('waits_for_a_missing_ack', unacked >= 1, 'closed before any heartbeat went unacknowledged');
	t.check('close_code_not_1000', c1.closedBy === 'tcp' ||
	                               (c1.closedBy === 'client' && ![1000, 1001].includes(c1.closeCode)),
	        `closed by ${c1.closedBy} with code ${c1.closeCode}; 1000/1001 would invalidate the session`);
	const c2 = await t.expect('resume', () => fake.connections.find((c) => c.id > c1.id && (c.resume || c.identify)),
	                          'a reconnect', 10000, {quiet: true});
	const bad = c2.resume ? resumeCheck(fake, c2, sid) : 'sent IDENTIFY instead of RESUME';
	t.check('resumes', !bad, bad);
	await t.expect('resumed', () => c2.sent.some((s) => s.t === 'RESUMED'), 'RESUMED', 5000);
	await t.ask('works_after', fake.slashCommand('help'));
}

/* ---- 9. TCP drop ---- */

async function tcpDrop(t) {
	const fake = await t.fake();
	t.startBot(fake);
	const c1 = await t.ready();
	const sid = fake.activeSession.id;
	fake.sendDispatch('GUILD_CREATE', guildCreate(fake));
	await t.sleep(400);
	const seq = c1.lastSeqSent;
	fake.dropTcp(c1);
	// gateway.mdx, Resuming: "disconnected but doesn't receive any close code" -> resume.
	const c2 = await t.expect('reconnects', () => fake.connections.find((c) => c.id > c1.id && (c.resume || c.identify)),
	                          'a reconnect after the TCP connection dropped', 15000, {quiet: true});
	const bad = c2.resume ? resumeCheck(fake, c2, sid, seq) : 'sent IDENTIFY instead of RESUME';
	t.check('resumes', !bad, bad);
	await t.expect('resumed', () => c2.sent.some((s) => s.t === 'RESUMED'), 'RESUMED', 5000);
	await t.ask('works_after', fake.slashCommand('help'));
}

/* ---- 10. malformed and huge frames ---- */

async function badFrames(t) {
	const fake = await t.fake();
	t.startBot(fake);
	const c1 = await t.ready();
	await t.section(async () => {
		fake.sendRaw('{"op":0,"t":"GUILD_CREATE","s":', c1);
		fake.sendRaw('not json at all ][', c1);
		await t.sleep(700);
		t.check('survives_malformed_json', t.bot.running, `the bot ${t.bot.describeExit()} after a malformed frame`);
		await t.ask('answers_after_malformed_json', fake.slashCommand('help'));
	});
	await t.section(async () => {
		const big = bigGuildCreate(fake, 4 * 1024 * 1024);
		const s = fake.sendDispatch('GUILD_CREATE', big, {noClone: true});
		await t.sleep(1500);
		t.check('survives_4mib_frame', t.bot.running, `the bot ${t.bot.describeExit()} after a 4 MiB frame`);
		await t.ask('answers_after_4mib_frame', fake.slashCommand('help'));
		// The frame was read, not dropped: a later heartbeat or RESUME carries a seq at least its own.
		await t.expect('tracks_seq_past_4mib_frame', () => fake.connections.some((c) =>
			c.heartbeats.some((h) => h.d !== null && h.d >= s) || (c.resume && c.resume.seq >= s)),
		               `a heartbeat with d >= ${s}`, 8000);
	});
}

/* ---- 11. REST: 429 (user, shared, global), 5xx, 401 ---- */

function registerRetry(scope, status) {
	return async (t) => {
		const fake = await t.fake();
		const retry = 1.2;
		if (status === 429)
			fake.script('bulk_set_application_commands', [{status: 429, scope, retryAfter: retry}]);
		else
			fake.script('bulk_set_application_commands', [{status}]);
		const bot = await t.runBot(fake, ['register-commands']);
		const puts = fake.requestsTo('bulk_set_application_commands');
		t.check('retried', puts.length >= 2, `${puts.length} PUT /applications/{id}/commands; the first got ${status}`);
		if (status === 429) {
			// The fake records any request that came before retry_after elapsed.
			const early = fake.retryAfterViolations();
			t.check('waits_retry_after', early.length === 0 && puts.length >= 2,
			        early.length ? early[0].detail : 'no retry after the 429',
			        puts[1] ? `retried after ${puts[1].at - puts[0].doneAt} ms` : undefined);
		}
		t.check('succeeds', puts.some((r) => r.status === 200) && bot.exit && bot.exit.code === 0,
		        `PUT statuses ${puts.map((r) => r.status).join(',')}; register-commands ${bot.describeExit()}`);
	};
}

async function gatewayBot429(t) {
	const fake = await t.fake();
	fake.script('get_bot_gateway', [{status: 429, scope: 'user', retryAfter: 1.0}]);
	t.startBot(fake);
	await t.ready('connects_after_429', fake, 15000);
	const gets = fake.requestsTo('get_bot_gateway');
	const early = fake.retryAfterViolations();
	t.check('waits_retry_after', early.length === 0 && gets.length >= 2,
	        early.length ? early[0].detail : 'GET /gateway/bot was not retried after its 429',
	        gets[1] ? `retried after ${gets[1].at - gets[0].doneAt} ms` : undefined);
}

async function gatewayBot502(t) {
	const fake = await t.fake();
	fake.script('get_bot_gateway', [{status: 502}]);
	t.startBot(fake);
	await t.ready('connects_after_502', fake, 20000);
	t.check('retried', fake.requestsTo('get_bot_gateway').length >= 2, 'GET /gateway/bot was not retried');
}

async function callback429(t) {
	const fake = await t.fake();
	t.startBot(fake);
	await t.ready();
	fake.script('create_interaction_response', [{status: 429, scope: 'user', retryAfter: 0.5}]);
	const d = fake.slashCommand('help');
	await t.ask('answered_after_429', d);
	const a = fake.callbackAttempts(d.id);
	const early = fake.retryAfterViolations();
	t.check('waits_retry_after', early.length === 0 && a.length >= 2,
	        early.length ? early[0].detail : 'the callback was not retried after its 429',
	        a[1] ? `retried after ${a[1].at - a[0].doneAt} ms` : undefined);
}

async function unauthorized(t) {
	// The fake accepts a different token, so the bot's gets 401 from the first request.
	const fake = await t.fake({token: 'MTIz.the.real.one'});
	const bot = t.startBot(fake, ['run'], {token: t.token});
	const ex = await bot.waitExit(10000);
	if (!fake.requests.length)
		return t.abort('exits_nonzero', `the bot ${bot.describeExit()} without calling the API`);
	t.check('exits_nonzero', ex && ex.code !== 0 && ex.code !== null,
	        ex ? `the bot ${bot.describeExit()}` : 'still running 10 s after a 401');
	t.check('names_token_file', bot.stderr.includes('discord_token_file'),
	        'stderr does not name discord_token_file');
	const n401 = fake.requests.filter((r) => r.status === 401).length;
	t.check('no_retry_loop', n401 >= 1 && n401 <= 2, `${n401} requests answered 401`);
	t.check('no_gateway', fake.connections.length === 0, 'connected to the gateway after a 401');
	t.allow.add('rest-after-401'); // no_retry_loop reports it
}

/* ---- 12. one answer per interaction ---- */

async function dedupe(t) {
	const fake = await t.fake();
	const bot1 = t.startBot(fake);
	const c1 = await t.ready();
	const before = fake.activeSession.seq;
	const d = fake.slashCommand('question', {topic: 'caching'});
	await t.ask('answered', d);
	await t.sleep(300);
	fake.replayOnNextResumeFrom(before);
	fake.sendOp(7, null, c1);
	const c2 = await t.expect('resumed', () => fake.connections.find((c) => c.id > c1.id &&
	                                                                        c.sent.some((s) => s.t === 'RESUMED')),
	                          'a RESUME after op 7', 10000);
	t.check('replay_delivered', c2.sent.some((s) => s.t === 'INTERACTION_CREATE'),
	        'the fake did not replay the interaction (test problem)');
	await t.sleep(1500);
	const n = fake.callbackAttempts(d.id).length;
	t.check('replay_after_resume_answered_once', n === 1, `${n} callback requests for one interaction id`);

	const st = await bot1.stop();
	t.check('stops_on_sigterm_1', !st.timedOut && st.exit.code === 0, `after SIGTERM the bot ${bot1.describeExit()}`);
	// A new process cannot know when the old one identified; wait out max_concurrency.
	const last = fake.identifyTimes[fake.identifyTimes.length - 1] || 0;
	await t.sleep(Math.max(0, last + 5100 - fake.now()));
	t.startBot(fake);
	await t.ready('restarted');
	fake.dispatchInteraction(d);
	await t.expectNothing('replay_after_restart_not_answered', () => fake.callbackAttempts(d.id).length > 1,
	                      'a second callback', 3500,
	                      () => 'the restarted bot answered an interaction it had already answered');
	await t.ask('restarted_bot_answers', fake.slashCommand('help'));
}

/* ---- 13. SIGTERM right after a modal submit ---- */

async function sigterm(t) {
	const fake = await t.fake();
	const bot = t.startBot(fake);
	await t.ready();
	const q = fake.slashCommand('question', {topic: 'caching'});
	await t.ask('question_answered', q, undefined, {quiet: true});
	const card = await reply(t, fake, q, 'card');
	const btn = exactButton(card, 'Answer');
	if (!btn || !btn.custom_id)
		return t.abort('answer_button', `no Answer button; buttons: ${labels(card)}`);
	const press = fake.buttonPress(card, btn);
	const cb = await t.ask('modal_opened', press, undefined, {quiet: true});
	if (cb.type !== 9)
		return t.abort('modal_opened', `callback type ${cb.type}, want 9`);
	const sub = fake.modalSubmit(press, GOOD_ANSWER);
	fake.dispatchInteraction(sub);
	await t.sleep(20);
	const r = await bot.stop();
	t.check('exits_zero', !r.timedOut && r.exit.code === 0 && !r.exit.signal,
	        r.timedOut ? 'still running 10 s after SIGTERM' : `after SIGTERM the bot ${bot.describeExit()}`);
	const sent = fake.lastCallback(sub.id);
	const n = sqlite(path.join(t.tmp, 'drill.db'), 'SELECT count(*) FROM answers');
	t.check('answer_not_lost', sent || (n !== null && Number(n) >= 1),
	        `no callback for the modal submit and ${n === null ? 'no answers table (or no sqlite3 CLI)' : `${n} rows in answers`}`,
	        sent ? 'the callback was sent' : `answers has ${n} row(s)`);
}

/* ---- 13b. the daily drill's fan-out ---- */

/*
 * N channels whose daily post was due a minute ago (the bot was down), one
 * the bot may not post in and one that was deleted. On start every due
 * channel gets one message, within the global limit and with no 429; the
 * two bad channels are stopped with the reason kept; a second start posts
 * nothing again.
 */
async function dailyFanout(t) {
	const n = Number(process.env.DAILY_FANOUT_N || 500);
	const fake = await t.fake();
	const db = path.join(t.tmp, 'drill.db');
	await t.runBot(fake, ['console']); // makes the schema
	const due = new Date(Date.now() - 60 * 1000);
	const hhmm = `${String(due.getUTCHours()).padStart(2, '0')}:${String(due.getUTCMinutes()).padStart(2, '0')}`;
	const seeded = sqlite(db, `INSERT INTO teams(platform, ext_id, created_at) VALUES ('discord', '${fake.guildId}', 0);
		WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n + 2})
		INSERT INTO channels(team_id, ext_id, daily_enabled, daily_time, daily_tz, daily_days)
		SELECT 1, CAST(900000000000000000 + i AS TEXT), 1, '${hhmm}', 'UTC', 127 FROM c;
		SELECT count(*) FROM channels WHERE daily_enabled = 1;`);
	if (seeded !== String(n + 2))
		return t.abort('seeded', `could not seed ${n + 2} channels: ${seeded}`);
	fake.deniedChannels.add(String(900000000000000000n + BigInt(n + 1)));
	fake.deletedChannels.add(String(900000000000000000n + BigInt(n + 2)));
	const posts = () => fake.events.filter((e) => e.kind === 'channel-message');
	const bot = t.startBot(fake, ['run']);
	const started = Date.now();
	await t.expect('all_channels_posted', () => (posts().length >= n ? true : null),
	               `${n} channel messages`, (n / 50) * 1500 + 15000,
	               {extra: () => `${posts().length} posts`});
	const took = (Date.now() - started) / 1000;
	const channels = new Set(posts().map((e) => e.channel));
	t.check('one_post_per_channel', channels.size === posts().length && channels.size === n,
	        `${posts().length} posts to ${channels.size} channels`);
	const creates = fake.requests.filter((r) => r.route === 'create_message');
	const limited = creates.filter((r) => r.status === 429).length;
	t.check('no_429', limited === 0, `${limited} 429s on create_message`);
	t.check('every_post_has_a_nonce', posts().every((e) => typeof e.nonce === 'string' && e.nonce.length <= 25),
	        'a post without a nonce (or a longer one)');
	t.check('within_global_limit', !fake.violations.some((v) => v.rule === 'rest-global-limit'),
	        'more than 50 requests in a second');
	await t.expect('bad_channels_stopped', () => {
		const v = sqlite(db, "SELECT count(*) FROM channels WHERE daily_blocked != ''");
		return v === '2' ? v : null;
	}, 'the denied and the deleted channel marked', 5000);
	const why = sqlite(db, 'SELECT daily_blocked FROM channels WHERE daily_blocked != \'\' ORDER BY id') || '';
	t.check('why_names_the_fix', /View Channel and Send Messages/.test(why) && /does not exist/.test(why), why);
	await t.ready('ready');
	const st = fake.slashCommand('stats', {}, {admin: true});
	await t.ask('admin_command_answered', st, undefined, {quiet: true});
	const told = messageText(await reply(t, fake, st, 'admin_reply'));
	t.check('admin_told_why_and_fix', /daily drill stopped in channel/.test(told) && /\/daily on/.test(told),
	        `the admin's /stats reply says nothing of the stopped drill: ${told.slice(-300)}`);
	const st2 = fake.slashCommand('stats', {}, {admin: true});
	await t.ask('admin_command_again', st2, undefined, {quiet: true});
	const again = messageText(await reply(t, fake, st2, 'admin_reply_again'));
	t.check('admin_told_once_per_channel', (again.match(/daily drill stopped/g) || []).length <= 1 &&
	        !again.includes(told.match(/channel (\d+)/)[1]), 'the same stopped channel reported twice');
	const sent = sqlite(db, "SELECT count(*) FROM channel_posts WHERE state = 'sent' AND message_id IS NOT NULL");
	t.check('posts_recorded_sent', sent === String(n), `${sent} posts recorded as sent, want ${n}`);
	t.check('progress_logged', new RegExp(`daily posts: ${n + 2}/${n + 2}`).test(bot.stderr),
	        `no "daily posts: ${n + 2}/${n + 2}" line`);
	await bot.stop();
	const before = posts().length;
	t.startBot(fake, ['run']);
	await t.ready('ready_again');
	await t.expectNothing('restart_posts_nothing_again', () => (posts().length > before ? true : null),
	                      'another channel message', 3000, () => `${posts().length - before} more posts`);
	t.out(`    fan-out: ${n} channels in ${took.toFixed(1)} s; the bound N/50 is ${(n / 50).toFixed(1)} s`);
}

/*
 * kill -9 in the middle of a fan-out: the restarted bot posts in every
 * channel still owed, sends again what may not have gone out (the same
 * nonce, so Discord returns the first message), and never posts twice.
 */
async function dailyKill(t) {
	const n = 300;
	const fake = await t.fake();
	const db = path.join(t.tmp, 'drill.db');
	await t.runBot(fake, ['console']);
	const due = new Date(Date.now() - 60 * 1000);
	const hhmm = `${String(due.getUTCHours()).padStart(2, '0')}:${String(due.getUTCMinutes()).padStart(2, '0')}`;
	sqlite(db, `INSERT INTO teams(platform, ext_id, created_at) VALUES ('discord', '${fake.guildId}', 0);
		WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n})
		INSERT INTO channels(team_id, ext_id, daily_enabled, daily_time, daily_tz, daily_days)
		SELECT 1, CAST(900000000000000000 + i AS TEXT), 1, '${hhmm}', 'UTC', 127 FROM c;`);
	const posts = () => fake.events.filter((e) => e.kind === 'channel-message');
	const bot = t.startBot(fake, ['run']);
	await t.expect('fan_out_started', () => (posts().length >= 120 ? true : null), '120 posts', 20000,
	               {quiet: true});
	bot.signal('SIGKILL');
	await bot.waitExit(5000);
	const before = posts().length;
	// As config/drillbot.service restarts it (RestartSec=5s): IDENTIFY allows one per 5 s
	// (gateway.mdx, max_concurrency), and a new process cannot know its predecessor's.
	await t.sleep(5000);
	t.startBot(fake, ['run']);
	await t.expect('every_channel_posted_after_restart', () => {
		const c = new Set(posts().map((e) => e.channel));
		return c.size >= n ? true : null;
	}, `${n} channels posted`, 30000, {extra: () => `${before} before the kill`});
	await t.sleep(1500);
	const byChannel = new Map();
	for (const e of posts())
		byChannel.set(e.channel, (byChannel.get(e.channel) || 0) + 1);
	const twice = [...byChannel.values()].filter((v) => v > 1).length;
	t.check('no_channel_posted_twice', twice === 0, `${twice} channels got two messages`);
	const pending = sqlite(db, "SELECT count(*) FROM channel_posts WHERE state = 'pending'");
	t.check('nothing_left_pending', pending === '0', `${pending} posts still pending`);
	const hits = fake.events.filter((e) => e.kind === 'channel-message-nonce-hit').length;
	t.out(`    kill -9 after ${before} posts; ${hits} resent posts answered by their nonce`);
}

/* ---- 13c. answer first, see others after (issue 22) ---- */

/*
 * Its own words for caching-strategies: 100/100, 32% of it in the model
 * answer's words (a paste is 60%), so the reveal may quote it.
 */
const STRATEGIES_ANSWER = 'I would start with cache-aside: the application checks the cache, and on a miss ' +
	'it reads the database and stores the result in the cache itself. A read-through setup hides that: the ' +
	'service only asks the cache, and the cache library loads from the database. For writes, write-through ' +
	'writes to the cache and the database in one synchronous operation, so every write is slower. ' +
	'Write-behind replies as soon as the cache took the write and flushes it later, so a cache crash can ' +
	'lose writes. Which one depends on how read-heavy the workload is and how much stale data or loss we ' +
	'can tolerate.';

/*
 * A channel drilling caching at 09:00 Europe/Berlin with the reveal at
 * 17:00, whose other caching questions were all posted before (long ago),
 * so today's is caching-strategies. SQL for the sqlite3 CLI.
 */
function revealChannelSql(platform, team, channel) {
	const others = ['caching-eviction-policies', 'caching-metrics', 'caching-session-storage',
	                'caching-ttl-jitter', 'caching-what-not-to-cache', 'caching-bloom-filter',
	                'caching-cdn-headers', 'caching-etag-conditional-requests', 'caching-invalidation',
	                'caching-local-vs-shared', 'caching-negative-caching', 'caching-personalized-responses',
	                'caching-stale-while-revalidate', 'caching-warming', 'caching-consistent-hashing',
	                'caching-hot-keys', 'caching-redis-persistence', 'caching-stampede',
	                'caching-update-fill-race'];
	return `INSERT INTO teams(platform, ext_id, created_at) VALUES ('${platform}', '${team}', 0);
		INSERT INTO channels(team_id, ext_id, daily_enabled, daily_time, daily_tz, daily_days, daily_topics,
		                     daily_reveal) VALUES (1, '${channel}', 1, '09:00', 'Europe/Berlin', 127, 'caching', '17:00');
		${others.map((q, i) => `INSERT INTO channel_posts(channel_id, kind, question_id, local_day, posted_at)
		    VALUES (1, 'daily', '${q}', ${19000 + i}, ${(19000 + i) * 86400});`).join('\n')}
		SELECT count(*) FROM channel_posts;`;
}

/*
 * Berlin's fall-back day, 2026-10-25 (run --clock): the 09:00 CET post is
 * the question and its Answer button, nothing else; two members answer in
 * the modal and each gets their own grade at once, privately; the channel
 * gets nothing more. After a restart, at 17:00 CET (16:00 UTC), exactly one
 * reveal, a reply to the post: how many answered, the histogram, the quote
 * of the member who opted in (never the other's name or words) and the
 * model-answer link. A restart after the reveal posts nothing again.
 */
async function dailyReveal(t) {
	const fake = await t.fake();
	const db = path.join(t.tmp, 'drill.db');
	await t.runBot(fake, ['console']);
	const seeded = sqlite(db, revealChannelSql('discord', fake.guildId, fake.channelId));
	if (seeded !== '19')
		return t.abort('seeded', `could not seed the channel (${seeded})`);
	const posts = () => fake.events.filter((e) => e.kind === 'channel-message');
	const ann = {id: '333333333333333331', username: 'ann', global_name: 'Ann Quoted'};
	const bo = {id: '333333333333333332', username: 'bo', global_name: 'Bo Private'};
	const boSays = 'A cache keeps copies of rows in memory so that most reads skip the database.';
	let bot = t.startBot(fake, ['run', '--clock', '2026-10-25T08:59:57+01:00']);
	await t.ready();
	const first = await t.expect('posted_at_nine', () => posts()[0], 'the daily post', 15000);
	const post = fake.messages.get(first.id);
	const text = messageText(post);
	t.check('post_is_the_question', /caching-strategies/.test(text), text.slice(0, 300));
	t.check('post_only_answer_button', buttons(post).length === 1 && exactButton(post, 'Answer') &&
	        !findLinkButton(post), `buttons: ${labels(post)}`);
	t.check('post_no_model_answer_link', !/drill\.example\/q\//.test(JSON.stringify(post)),
	        'the post links the model answer');
	const quote = fake.slashCommand('settings', {quote: 'on'}, {user: ann});
	await t.ask('quote_on_answered', quote, undefined, {quiet: true});
	t.check('quote_on_private', ((fake.lastCallback(quote.id).body.data || {}).flags & 64) !== 0,
	        'the /settings reply is not ephemeral');
	for (const [who, says] of [[ann, STRATEGIES_ANSWER], [bo, boSays]]) {
		const name = who.username;
		const press = fake.buttonPress(post, exactButton(post, 'Answer'),
		                               {dm: false, guildId: fake.guildId, user: who});
		const cb = await t.ask(`${name}_modal_opened`, press, undefined, {quiet: true});
		if (cb.type !== 9)
			return t.abort(`${name}_modal_opened`, `callback type ${cb.type}, want 9`);
		const sub = fake.modalSubmit(press, says);
		await t.ask(`${name}_submitted`, sub, undefined, {quiet: true});
		const got = await reply(t, fake, sub, `${name}_graded`);
		t.check(`${name}_grade_private_at_once`, ((got.flags || 0) & 64) !== 0 && /Score: \d+\/100/.test(messageText(got)),
		        `flags ${got.flags}: ${messageText(got).slice(0, 200)}`);
	}
	t.check('nothing_in_channel_before_reveal', posts().length === 1,
	        `${posts().length} channel messages before the reveal`);
	await bot.stop();
	await t.sleep(5000); // IDENTIFY: one per 5 s (gateway.mdx, max_concurrency)
	bot = t.startBot(fake, ['run', '--clock', '2026-10-25T16:59:56+01:00']);
	await t.ready('ready_for_reveal');
	const rv = await t.expect('revealed_at_five', () => posts()[1], 'the reveal', 15000);
	const shown = messageText(fake.messages.get(rv.id));
	t.check('reveal_replies_to_post', rv.replyTo === first.id, `message_reference ${rv.replyTo}, post ${first.id}`);
	t.check('reveal_counts_two', /\*\*2 answered\*\*/.test(shown), shown.slice(0, 400));
	t.check('reveal_histogram', /`80-100` █+ 1/.test(shown) && /`  0-19` █+ 1/.test(shown), shown.slice(0, 600));
	t.check('reveal_quotes_who_opted_in', /Ann Quoted \(100\): `I would start with cache-aside/.test(shown),
	        shown.slice(0, 800));
	t.check('reveal_names_nobody_else', !/Bo Private \(|rows in memory/.test(shown), shown.slice(0, 800));
	t.check('reveal_links_model_answer', /https:\/\/drill\.example\/q\/caching-strategies/.test(shown) &&
	        findLinkButton(fake.messages.get(rv.id)), shown.slice(-300));
	await t.sleep(1500);
	t.check('one_reveal', posts().length === 2, `${posts().length} channel messages`);
	await bot.stop();
	await t.sleep(5000);
	t.startBot(fake, ['run', '--clock', '2026-10-25T17:00:40+01:00']);
	await t.ready('ready_after_reveal');
	await t.expectNothing('restart_reveals_nothing_again', () => (posts().length > 2 ? true : null),
	                      'another channel message', 3000, () => `${posts().length - 2} more messages`);
}

/* ---- 14. register-commands ---- */

async function register(t) {
	const fake = await t.fake();
	const b1 = await t.runBot(fake, ['register-commands']);
	t.check('exits_zero', b1.exit && b1.exit.code === 0, `register-commands ${b1.describeExit()}`);
	const puts = fake.requestsTo('bulk_set_application_commands');
	t.check('puts_global_commands', puts.length >= 1 &&
	                                puts[0].path === `/api/v10/applications/${fake.applicationId}/commands`,
	        puts.length ? `PUT ${puts[0].path}` : 'no PUT /applications/{id}/commands');
	t.check('body_valid', puts.length >= 1 && puts.every((r) => r.status === 200),
	        puts.length ? `answered ${puts.map((r) => `${r.status} ${r.status !== 200 ? JSON.stringify(r.response) : ''}`).join(', ')}`
	                    : 'no PUT');
	const got = fake.commands.global;
	const names = got.map((c) => c.name);
	const missing = COMMANDS.filter((n) => !names.includes(n));
	t.check('all_commands', missing.length === 0, `missing ${missing.join(', ')}; registered ${names.join(', ')}`);
	const q = got.find((c) => c.name === 'question');
	const topic = q && (q.options || []).find((o) => o.name === 'topic');
	t.check('question_options', q && ['topic', 'difficulty'].every((n) => (q.options || []).some((o) => o.name === n)),
	        `question options ${String(JSON.stringify(q && q.options)).slice(0, 300)}`);
	t.check('topic_autocomplete', topic && topic.type === 3 && topic.autocomplete === true,
	        `topic option ${JSON.stringify(topic)}; want a STRING (3) with autocomplete`);
	const lb = got.find((c) => c.name === 'leaderboard');
	const period = lb && (lb.options || []).find((o) => o.name === 'period');
	const values = ((period && period.choices) || []).map((c) => c.value);
	t.check('leaderboard_choices', ['week', 'month', 'all'].every((v) => values.includes(v)),
	        `period choices ${JSON.stringify(values)}`);
	const choicesOf = (cmd, opt) => {
		const c = got.find((x) => x.name === cmd);
		const o = c && (c.options || []).find((x) => x.name === opt);
		return ((o && o.choices) || []).map((x) => x.value);
	};
	const admin = choicesOf('leaderboard', 'action');
	t.check('leaderboard_admin_choices', ['off', 'on', 'reset'].every((v) => admin.includes(v)),
	        `leaderboard action choices ${JSON.stringify(admin)}`);
	const place = choicesOf('settings', 'leaderboard');
	t.check('settings_leaderboard_choices', ['hide', 'show'].every((v) => place.includes(v)),
	        `settings leaderboard choices ${JSON.stringify(place)}`);

	const b2 = await t.runBot(fake, ['register-commands']);
	t.check('second_run_exits_zero', b2.exit && b2.exit.code === 0, `register-commands ${b2.describeExit()}`);
	t.check('second_run_unchanged', /unchanged|no change/i.test(b2.stdout),
	        `stdout does not say unchanged / no change: ${JSON.stringify(b2.stdout.slice(-300))}`);

	const fake2 = await t.fake();
	const b3 = await t.runBot(fake2, ['register-commands'], {appId: false});
	t.check('without_app_id_exits_zero', b3.exit && b3.exit.code === 0, `register-commands ${b3.describeExit()}`);
	t.check('without_app_id_asks', fake2.requestsTo('get_my_application').some((r) => r.status === 200),
	        'no GET /applications/@me with DRILLBOT_DISCORD_APPLICATION_ID unset');
	t.check('without_app_id_puts', fake2.requestsTo('bulk_set_application_commands').some((r) => r.status === 200),
	        'no successful PUT /applications/{id}/commands');
}

/* ---- issue 22: a challenge of a grade, through real interactions ---- */

/*
 * A member answers, presses the private Challenge button and names a
 * missed point; a member who is no reviewer is refused /review; an admin
 * makes them a reviewer with /reviewers (a USER option, type 6, as
 * registered); the reviewer accepts in /review, and a second press
 * changes nothing; the member hears of it on their next private reply.
 * Every callback passes the strict schema (follows_protocol).
 */
async function challenge(t) {
	const fake = await t.fake();
	const ann = {id: '222222222222222222', username: 'ann', global_name: 'Ann'};
	const rev = {id: '333333333333333333', username: 'rev', global_name: 'Rev'};
	const boss = {id: '444444444444444444', username: 'boss', global_name: 'Boss'};
	const answer = 'Cache-aside: the application checks the cache first and on a miss loads the ' +
	               'row from the database, then keeps a copy of it around for the next reader.';
	const db = path.join(t.tmp, 'drill.db');
	await t.runBot(fake, ['register-commands']);
	const reg = fake.commands.global.find((c) => c.name === 'reviewers');
	const userOpt = reg && (reg.options || []).find((o) => o.name === 'user');
	t.check('reviewers_user_option', userOpt && userOpt.type === 6,
	        `the /reviewers user option is ${JSON.stringify(userOpt)}; want type 6 (USER)`);
	t.check('reviewers_admin_only', reg && reg.default_member_permissions === '32',
	        `default_member_permissions ${reg && reg.default_member_permissions}, want "32"`);
	t.startBot(fake);
	await t.ready();
	const ask = async (check, d) => {
		await t.ask(check, d, undefined, {quiet: true});
		return reply(t, fake, d, check);
	};
	const graded = await ask('answer_graded',
	                         fake.slashCommand('answer', {id: 'caching-strategies', text: answer}, {user: ann}));
	const text = messageText(graded);
	t.check('answer_quotes_heard_words', /— heard “[^”]*database/.test(text),
	        `no "— heard “…”" quote of the matched words: ${text.slice(0, 400)}`);
	const btn = exactButton(graded, 'Challenge');
	t.check('challenge_button', btn && /^1:challenge:\d+$/.test(btn.custom_id) && btn.custom_id.length <= 100,
	        `no Challenge button with a 1:challenge:<id> custom_id; buttons: ${labels(graded)}`);
	if (!btn)
		return;
	const pick = await ask('challenge_pressed', fake.buttonPress(graded, btn, {user: ann}));
	t.check('challenge_private', ((pick.flags || 0) & 64) !== 0, `flags ${pick.flags}, want EPHEMERAL`);
	const point = buttons(pick).find((b) => b.label === 'I covered point 3');
	t.check('one_button_per_missed_point',
	        point && buttons(pick).filter((b) => /^I covered point/.test(b.label)).length === 4,
	        `buttons: ${labels(pick)}; text: ${messageText(pick).slice(0, 600)}`);
	if (!point)
		return;
	const sent = await ask('challenge_sent', fake.buttonPress(pick, point, {user: ann}));
	t.check('challenge_recorded', /Challenge #1 sent/.test(messageText(sent)), messageText(sent).slice(0, 300));
	const refused = await ask('review_refused', fake.slashCommand('review', {}, {user: rev}));
	t.check('non_reviewer_refused', /Only the team's reviewers/.test(messageText(refused)),
	        messageText(refused).slice(0, 300));
	const added = await ask('reviewer_added',
	                        fake.slashCommand('reviewers', {action: 'add', user: rev.id}, {user: boss, admin: true}));
	t.check('reviewer_added_by_id', messageText(added).includes(`(\`${rev.id}\`) is now a reviewer`),
	        messageText(added).slice(0, 300));
	const queue = await ask('review_shown', fake.slashCommand('review', {}, {user: rev}));
	const qtext = messageText(queue);
	t.check('review_shows_challenge', /Challenge #1/.test(qtext) && qtext.includes('keeps a copy of it around') &&
	                                  /What the grader heard/.test(qtext), qtext.slice(0, 400));
	const accept = exactButton(queue, 'Accept #1');
	t.check('review_accept_button', accept && accept.custom_id === '1:rule:1:accept', `buttons: ${labels(queue)}`);
	if (!accept)
		return;
	const ruled = await ask('accepted', fake.buttonPress(queue, accept, {user: rev}));
	t.check('accepted_rescored', /now scores 40\/100 \(was 20\), \+20 points/.test(messageText(ruled)),
	        messageText(ruled).slice(0, 300));
	const again = await ask('accepted_again', fake.buttonPress(queue, accept, {user: rev}));
	t.check('second_press_changes_nothing', /was accepted already, by you/.test(messageText(again)),
	        messageText(again).slice(0, 300));
	const pts = sqlite(db, "SELECT a.score, a.points, s.points FROM answers a JOIN scores s ON" +
	                       " s.user_id = a.user_id AND s.period = 'all'");
	t.check('corrected_once', pts === null || pts === '40|40|40', `answer score, points, board: ${pts}`);
	const told = await ask('member_told', fake.slashCommand('stats', {}, {user: ann}));
	t.check('member_told_of_ruling', /A reviewer accepted your challenge/.test(messageText(told)),
	        messageText(told).slice(-300));
}

/* ---- sharding: every shard a session, identifies spaced by max_concurrency ---- */

async function shards(t) {
	const fake = await t.fake({shards: 3});
	t.startBot(fake);
	const readyConns = () => fake.connections.filter((c) => c.identified &&
	                                                    c.sent.some((m) => m.t === 'READY'));
	// gateway.mdx, Sharding: max_concurrency 1 means one IDENTIFY per 5 s, so three take ~10 s.
	await t.expect('three_shards_ready', () => readyConns().length >= 3 ? true : null,
	               'three shards READY', 30000);
	const ids = readyConns().map((c) => JSON.stringify(c.identify.shard)).sort();
	t.check('shard_ids', JSON.stringify(ids) === JSON.stringify(['[0,3]', '[1,3]', '[2,3]']),
	        `IDENTIFY shard arrays ${ids.join(' ')}, want [0,3] [1,3] [2,3]`);
	await t.ask('sharded_interaction_answered', fake.slashCommand('help'));
}

const SCENARIOS = [
	// solo: timing-sensitive (heartbeats) or heavy (a 4 MiB frame); run with nothing else.
	{name: 'identify', run: identify, solo: true},
	{name: 'interactions', run: question},
	{name: 'reconnect', run: reconnect},
	...[...RESUME_CODES, ...EITHER_CODES, ...NEW_SESSION_CODES, ...FATAL_CODES].sort()
	     .map((code) => ({name: `close_${code}`, run: closeScenario(code)})),
	{name: 'zombie', run: zombie, solo: true},
	{name: 'tcp_drop', run: tcpDrop},
	{name: 'bad_frames', run: badFrames, solo: true},
	{name: 'ratelimit_user', run: registerRetry('user', 429)},
	{name: 'ratelimit_shared', run: registerRetry('shared', 429)},
	{name: 'ratelimit_global', run: registerRetry('global', 429)},
	{name: 'rest_500', run: registerRetry(null, 500)},
	{name: 'ratelimit_gateway_bot', run: gatewayBot429},
	{name: 'rest_502_gateway_bot', run: gatewayBot502},
	{name: 'ratelimit_callback', run: callback429},
	{name: 'unauthorized', run: unauthorized},
	{name: 'dedupe', run: dedupe},
	{name: 'daily_fanout', run: dailyFanout},
	{name: 'daily_kill', run: dailyKill},
	{name: 'sigterm', run: sigterm},
	{name: 'register', run: register},
	{name: 'challenge', run: challenge},
	{name: 'shards', run: shards},
	// Last: it sleeps through restarts, and a bot starting beside a fan-out slows its loop.
	{name: 'daily_reveal', run: dailyReveal},
];

module.exports = {SCENARIOS, GOOD_ANSWER, STRATEGIES_ANSWER, revealChannelSql, guildCreate, bigGuildCreate};
