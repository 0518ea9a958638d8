'use strict';
/*
 * checks.js - the rules of the prose docs that the OpenAPI schema cannot
 * express. Each function returns a list of problems, each one sentence
 * that names the doc file and section it comes from. An empty list means
 * the payload follows the docs.
 */

const FLAG_SUPPRESS_EMBEDS = 1 << 2;
const FLAG_EPHEMERAL = 1 << 6;
const FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12;
const FLAG_IS_VOICE_MESSAGE = 1 << 13;
const FLAG_IS_COMPONENTS_V2 = 1 << 15;

/* receiving-and-responding.mdx, Interaction Callback Type. */
const CALLBACK = {
	PONG: 1,
	CHANNEL_MESSAGE_WITH_SOURCE: 4,
	DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: 5,
	DEFERRED_UPDATE_MESSAGE: 6,
	UPDATE_MESSAGE: 7,
	APPLICATION_COMMAND_AUTOCOMPLETE_RESULT: 8,
	MODAL: 9,
	PREMIUM_REQUIRED: 10,
	LAUNCH_ACTIVITY: 12,
};

/* receiving-and-responding.mdx, Interaction Type. */
const INTERACTION = {PING: 1, APPLICATION_COMMAND: 2, MESSAGE_COMPONENT: 3, AUTOCOMPLETE: 4,
                     MODAL_SUBMIT: 5};

/* reference.mdx, Component Types: which may appear where. */
const MESSAGE_ONLY_V2 = new Set([9, 10, 11, 12, 13, 14, 17]); // layout/content components
const SELECTS = new Set([3, 5, 6, 7, 8]);
const MODAL_ONLY = new Set([4, 18, 19, 21, 22, 23]);

function isBlank(v) {
	return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || v === '';
}

/* Walks every component (depth first), calling fn(component, parent). */
function walkComponents(list, fn, parent = null) {
	for (const c of list || []) {
		if (!c || typeof c !== 'object')
			continue;
		fn(c, parent);
		if (Array.isArray(c.components))
			walkComponents(c.components, fn, c);
		if (c.accessory)
			walkComponents([c.accessory], fn, c);
		if (c.component)
			walkComponents([c.component], fn, c);
	}
}

/*
 * Message components in a message body (callback data, webhook, create message).
 * reference.mdx: Anatomy of a Component (custom_id unique), Action Row, Button.
 * using-message-components.mdx: IS_COMPONENTS_V2.
 */
function checkMessageComponents(body, existingFlags = 0) {
	const out = [];
	// An edit keeps the message's IS_COMPONENTS_V2: the flag cannot be removed once set.
	const v2 = (((body.flags || 0) | (existingFlags || 0)) & FLAG_IS_COMPONENTS_V2) !== 0;
	const ids = new Map();
	for (const top of body.components || []) {
		if (!top || typeof top !== 'object')
			continue;
		if (!v2 && top.type !== 1)
			out.push(`top-level component type ${top.type} needs the IS_COMPONENTS_V2 flag; ` +
			         'without it only Action Rows may be sent (using-message-components.mdx, ' +
			         'Sending a Message with a Component)');
	}
	walkComponents(body.components, (c, parent) => {
		if (MODAL_ONLY.has(c.type))
			out.push(`component type ${c.type} is for modals only (reference.mdx, Component Types)`);
		if (typeof c.custom_id === 'string') {
			if (ids.has(c.custom_id))
				out.push(`custom_id "${c.custom_id}" is used twice in one message ` +
				         '(reference.mdx, Anatomy of a Component: Custom ID)');
			ids.set(c.custom_id, true);
		}
		if (c.type === 1) {
			const kids = c.components || [];
			const buttons = kids.filter((k) => k && k.type === 2).length;
			const selects = kids.filter((k) => k && SELECTS.has(k.type)).length;
			if (selects > 0 && (selects > 1 || buttons > 0))
				out.push('an Action Row holds up to 5 buttons or a single select, not both ' +
				         '(reference.mdx, Action Row)');
		}
		if (c.type === 2) {
			if (!(parent && (parent.type === 1 || parent.type === 9)))
				out.push('a Button must be inside an Action Row or a Section accessory ' +
				         '(reference.mdx, Button)');
			const style = c.style;
			const label = JSON.stringify(c.label || c.custom_id || c.url || '');
			if (style === 5) {
				if (isBlank(c.url))
					out.push(`link button ${label} must have a url (reference.mdx, Button)`);
				if (!isBlank(c.custom_id))
					out.push(`link button ${label} cannot have a custom_id (reference.mdx, Button)`);
			} else if (style === 6) {
				if (isBlank(c.sku_id))
					out.push('premium button must have a sku_id (reference.mdx, Button)');
				for (const f of ['custom_id', 'label', 'url', 'emoji'])
					if (!isBlank(c[f]))
						out.push(`premium button cannot have ${f} (reference.mdx, Button)`);
			} else {
				if (isBlank(c.custom_id))
					out.push(`button ${label} (style ${style}) must have a custom_id ` +
					         '(reference.mdx, Button)');
				if (!isBlank(c.url) || !isBlank(c.sku_id))
					out.push(`button ${label} (style ${style}) cannot have a url or sku_id ` +
					         '(reference.mdx, Button)');
			}
		}
	});
	if (v2 && (!isBlank(body.content) || !isBlank(body.embeds)))
		out.push('IS_COMPONENTS_V2 disables content and embeds; send them as components ' +
		         '(using-message-components.mdx, Sending a Message with a Component)');
	return out;
}

/* A message must have something in it (opcodes-and-status-codes.mdx, JSON error 50006). */
function isEmptyMessage(body) {
	return isBlank(body.content) && isBlank(body.embeds) && isBlank(body.components) &&
	       isBlank(body.attachments) && isBlank(body.poll) && isBlank(body.sticker_ids);
}

/*
 * An interaction callback body against the interaction it answers.
 * receiving-and-responding.mdx: Interaction Callback Type (and its notes),
 * Interaction Callback Data Structure (Messages, Autocomplete, Modal).
 */
function checkCallback(body, interaction) {
	const out = [];
	const it = interaction ? interaction.type : null;
	const ct = body.type;
	const data = body.data || {};
	const fromComponent = it === INTERACTION.MESSAGE_COMPONENT ||
	                      (it === INTERACTION.MODAL_SUBMIT && interaction.message);
	if (ct === CALLBACK.PONG && it !== INTERACTION.PING)
		out.push('PONG (1) only answers a PING (receiving-and-responding.mdx, Interaction Callback Type)');
	if (it === INTERACTION.AUTOCOMPLETE && ct !== CALLBACK.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT)
		out.push(`an autocomplete interaction is answered with type 8, not ${ct} ` +
		         '(receiving-and-responding.mdx, Interaction Callback Type)');
	if (ct === CALLBACK.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT && it !== INTERACTION.AUTOCOMPLETE)
		out.push('APPLICATION_COMMAND_AUTOCOMPLETE_RESULT (8) only answers an autocomplete ' +
		         'interaction (receiving-and-responding.mdx, Interaction Callback Type)');
	if ((ct === CALLBACK.DEFERRED_UPDATE_MESSAGE || ct === CALLBACK.UPDATE_MESSAGE) && !fromComponent)
		out.push(`callback type ${ct} is only valid for component-based interactions ` +
		         '(receiving-and-responding.mdx, Interaction Callback Type)');
	if (ct === CALLBACK.MODAL && (it === INTERACTION.MODAL_SUBMIT || it === INTERACTION.PING ||
	                              it === INTERACTION.AUTOCOMPLETE))
		out.push('MODAL (9) is not available for MODAL_SUBMIT, PING or autocomplete interactions ' +
		         '(receiving-and-responding.mdx, Interaction Callback Type)');
	if (ct === CALLBACK.PREMIUM_REQUIRED || ct === CALLBACK.LAUNCH_ACTIVITY)
		out.push(`callback type ${ct} needs monetization or Activities, which this app has not ` +
		         '(receiving-and-responding.mdx, Interaction Callback Type)');

	if (ct === CALLBACK.CHANNEL_MESSAGE_WITH_SOURCE || ct === CALLBACK.UPDATE_MESSAGE) {
		const allowed = FLAG_SUPPRESS_EMBEDS | FLAG_EPHEMERAL | FLAG_IS_COMPONENTS_V2 |
		                FLAG_IS_VOICE_MESSAGE | FLAG_SUPPRESS_NOTIFICATIONS;
		if (data.flags && (data.flags & ~allowed))
			out.push(`message flags ${data.flags} set a flag other than SUPPRESS_EMBEDS, EPHEMERAL, ` +
			         'IS_COMPONENTS_V2, IS_VOICE_MESSAGE and SUPPRESS_NOTIFICATIONS ' +
			         '(receiving-and-responding.mdx, Messages)');
		const existing = ct === CALLBACK.UPDATE_MESSAGE && interaction && interaction.message
		                         ? interaction.message.flags : 0;
		out.push(...checkMessageComponents(data, existing));
		if (ct === CALLBACK.CHANNEL_MESSAGE_WITH_SOURCE && isEmptyMessage(data))
			out.push('the message is empty: no content, embeds, components, attachments or poll ' +
			         '(opcodes-and-status-codes.mdx, JSON error 50006)');
	}
	if (ct === CALLBACK.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE && data.flags &&
	    (data.flags & ~FLAG_EPHEMERAL))
		out.push('with DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE the only valid flag is EPHEMERAL ' +
		         '(receiving-and-responding.mdx, Messages, note *)');
	if (ct === CALLBACK.MODAL)
		out.push(...checkModal(data));
	if (ct === CALLBACK.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT)
		out.push(...checkAutocomplete(data, interaction));
	return out;
}

/* receiving-and-responding.mdx, Modal; reference.mdx, Label and Text Input. */
function checkModal(data) {
	const out = [];
	const comps = data.components || [];
	if (comps.length < 1 || comps.length > 5)
		out.push(`a modal has between 1 and 5 components, not ${comps.length} ` +
		         '(receiving-and-responding.mdx, Modal)');
	const ids = new Set();
	walkComponents(comps, (c) => {
		if (c.type === 2 || (c.type === 1 && (c.components || []).some((k) => k && k.type !== 4)))
			out.push('a modal holds no buttons; an Action Row in a modal holds only Text Inputs ' +
			         '(reference.mdx, Component Types)');
		if (typeof c.custom_id === 'string') {
			if (ids.has(c.custom_id))
				out.push(`custom_id "${c.custom_id}" is used twice in the modal ` +
				         '(reference.mdx, Anatomy of a Component: Custom ID)');
			ids.add(c.custom_id);
		}
		if (c.type === 4 && c.min_length != null && c.max_length != null && c.min_length > c.max_length)
			out.push('text input min_length is larger than max_length (reference.mdx, Text Input)');
	});
	return out;
}

/* receiving-and-responding.mdx, Autocomplete; application-commands.mdx, Option Choice. */
function checkAutocomplete(data, interaction) {
	const out = [];
	const choices = data.choices || [];
	if (choices.length > 25)
		out.push('autocomplete returns at most 25 choices (receiving-and-responding.mdx, Autocomplete)');
	const focused = findFocused(interaction && interaction.data && interaction.data.options);
	if (focused) {
		const want = focused.type === 3 ? 'string' : 'number';
		for (const c of choices) {
			if (c && typeof c.value !== want)
				out.push(`choice value ${JSON.stringify(c.value)} does not fit the focused option's ` +
				         `type ${focused.type} (application-commands.mdx, Option Choice Structure)`);
			if (c && focused.type === 4 && !Number.isInteger(c.value))
				out.push(`choice value ${c.value} is not an integer (application-commands.mdx)`);
		}
	}
	return out;
}

function findFocused(options) {
	for (const o of options || []) {
		if (o.focused)
			return o;
		const inner = findFocused(o.options);
		if (inner)
			return inner;
	}
	return null;
}

/* application-commands.mdx: Application Command Naming, Structure, Option Structure, Slash Commands. */
const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkCommandName(name, what) {
	if (typeof name !== 'string' || !NAME_RE.test(name))
		return [`${what} name ${JSON.stringify(name)} does not match the naming regex ` +
		        '(application-commands.mdx, Application Command Naming)'];
	if (name !== name.toLowerCase())
		return [`${what} name ${JSON.stringify(name)} must use the lowercase variant of its letters ` +
		        '(application-commands.mdx, Application Command Naming)'];
	return [];
}

function checkOptions(options, where, out, depth) {
	const names = new Set();
	let seenOptional = false;
	if ((options || []).length > 25)
		out.push(`${where} has more than 25 options (application-commands.mdx)`);
	for (const o of options || []) {
		if (!o || typeof o !== 'object')
			continue;
		out.push(...checkCommandName(o.name, `${where} option`));
		if (names.has(o.name))
			out.push(`${where} has two options named ${o.name} (application-commands.mdx, ` +
			         'Application Command Option Structure)');
		names.add(o.name);
		if (typeof o.description !== 'string' || o.description.length < 1 || o.description.length > 100)
			out.push(`${where} option ${o.name} needs a 1-100 character description ` +
			         '(application-commands.mdx, Application Command Option Structure)');
		const sub = o.type === 1 || o.type === 2;
		if (!sub) {
			if (o.required && seenOptional)
				out.push(`${where}: required option ${o.name} comes after an optional one ` +
				         '(application-commands.mdx, Application Command Option Structure)');
			if (!o.required)
				seenOptional = true;
		}
		if (o.autocomplete && Array.isArray(o.choices) && o.choices.length > 0)
			out.push(`${where} option ${o.name}: autocomplete may not be true when choices are present ` +
			         '(application-commands.mdx, Application Command Option Structure)');
		if (o.choices && ![3, 4, 10].includes(o.type))
			out.push(`${where} option ${o.name}: choices are only for STRING, INTEGER and NUMBER ` +
			         '(application-commands.mdx)');
		if (o.autocomplete && ![3, 4, 10].includes(o.type))
			out.push(`${where} option ${o.name}: autocomplete is only for STRING, INTEGER and NUMBER ` +
			         '(application-commands.mdx)');
		for (const c of o.choices || []) {
			if (c && o.type === 3 && typeof c.value === 'string' && c.value.length > 100)
				out.push(`${where} option ${o.name}: a string choice value is up to 100 characters ` +
				         '(application-commands.mdx, Option Choice Structure)');
			if (c && o.type === 3 && typeof c.value !== 'string')
				out.push(`${where} option ${o.name}: choice ${JSON.stringify(c.name)} needs a string ` +
				         'value (application-commands.mdx, Option Choice Structure)');
			if (c && (o.type === 4 || o.type === 10) && typeof c.value !== 'number')
				out.push(`${where} option ${o.name}: choice ${JSON.stringify(c.name)} needs a number ` +
				         'value (application-commands.mdx, Option Choice Structure)');
		}
		if (sub) {
			if (depth >= 2 || (o.type === 2 && depth >= 1))
				out.push(`${where}: subcommands nest at most two levels (application-commands.mdx)`);
			checkOptions(o.options, `${where} ${o.name}`, out, depth + 1);
		} else if (o.options) {
			out.push(`${where} option ${o.name}: only subcommands and groups have options ` +
			         '(application-commands.mdx, Application Command Option Structure)');
		}
	}
}

/* The combined name/description/value size (application-commands.mdx, Slash Commands warning). */
function commandSize(cmd) {
	let n = 0;
	const add = (s) => {
		if (typeof s === 'string')
			n += s.length;
	};
	const addLoc = (base, loc) => {
		let longest = typeof base === 'string' ? base.length : 0;
		for (const v of Object.values(loc || {}))
			if (typeof v === 'string' && v.length > longest)
				longest = v.length;
		n += longest;
	};
	addLoc(cmd.name, cmd.name_localizations);
	addLoc(cmd.description, cmd.description_localizations);
	const walk = (opts) => {
		for (const o of opts || []) {
			addLoc(o.name, o.name_localizations);
			addLoc(o.description, o.description_localizations);
			for (const c of o.choices || []) {
				addLoc(c.name, c.name_localizations);
				add(typeof c.value === 'string' ? c.value : String(c.value));
			}
			walk(o.options);
		}
	};
	walk(cmd.options);
	return n;
}

function checkCommands(list) {
	const out = [];
	const seen = new Set();
	for (const cmd of list || []) {
		if (!cmd || typeof cmd !== 'object')
			continue;
		const type = cmd.type == null ? 1 : cmd.type;
		const where = `command ${JSON.stringify(cmd.name)}`;
		const key = `${type}:${cmd.name}`;
		if (seen.has(key))
			out.push(`two commands of type ${type} are named ${cmd.name} (application-commands.mdx)`);
		seen.add(key);
		if (type === 1) {
			out.push(...checkCommandName(cmd.name, 'command'));
			if (typeof cmd.description !== 'string' || cmd.description.length < 1 ||
			    cmd.description.length > 100)
				out.push(`${where} needs a 1-100 character description for CHAT_INPUT ` +
				         '(application-commands.mdx, Application Command Structure)');
			checkOptions(cmd.options, where, out, 0);
			const size = commandSize(cmd);
			if (size > 8000)
				out.push(`${where} has ${size} characters of names, descriptions and values; the ` +
				         'limit is 8000 (application-commands.mdx, Slash Commands)');
		} else if (cmd.options && cmd.options.length) {
			out.push(`${where}: options can only be set for CHAT_INPUT commands ` +
			         '(application-commands.mdx, Application Command Structure)');
		}
	}
	return out;
}

/* Every piece of human-readable text in a message (content, embeds, text displays). */
function messageText(msg) {
	if (!msg)
		return '';
	const parts = [];
	if (typeof msg.content === 'string')
		parts.push(msg.content);
	for (const e of msg.embeds || []) {
		if (!e)
			continue;
		for (const k of ['title', 'description'])
			if (typeof e[k] === 'string')
				parts.push(e[k]);
		if (e.author && e.author.name)
			parts.push(e.author.name);
		for (const f of e.fields || [])
			parts.push(`${f.name}\n${f.value}`);
		if (e.footer && e.footer.text)
			parts.push(e.footer.text);
	}
	walkComponents(msg.components, (c) => {
		if (c.type === 10 && typeof c.content === 'string')
			parts.push(c.content);
	});
	return parts.join('\n');
}

/* All buttons of a message, in order. */
function buttons(msg) {
	const out = [];
	walkComponents(msg && msg.components, (c) => {
		if (c.type === 2)
			out.push(c);
	});
	return out;
}

function findButton(msg, label) {
	const want = String(label).toLowerCase();
	return buttons(msg).find((b) => typeof b.label === 'string' &&
	                                b.label.toLowerCase().includes(want)) || null;
}

function findLinkButton(msg) {
	return buttons(msg).find((b) => b.style === 5) || null;
}

module.exports = {
	CALLBACK,
	INTERACTION,
	FLAG_EPHEMERAL,
	FLAG_IS_COMPONENTS_V2,
	checkCallback,
	checkMessageComponents,
	checkModal,
	checkCommands,
	isEmptyMessage,
	walkComponents,
	messageText,
	buttons,
	findButton,
	findLinkButton,
};
