'use strict';
/*
 * schemas.js - what the fake accepts from a client, as strict JSON Schemas
 * (every object closed with additionalProperties: false), compiled with Ajv.
 * Slack publishes no machine-readable schema for Block Kit or the Web API
 * arguments, so these are written from the reference pages; each limit
 * names its page (the URLs are listed in README.md):
 *
 *   BLOCKS   https://docs.slack.dev/reference/block-kit/blocks (50 in a message, 100 in a modal)
 *   SECTION  .../block-kit/blocks/section-block   (text 3000, fields 10 x 2000, block_id 255)
 *   ACTIONS  .../block-kit/blocks/actions-block   (25 elements)
 *   CONTEXT  .../block-kit/blocks/context-block   (10 elements)
 *   HEADER   .../block-kit/blocks/header-block    (plain_text 150)
 *   INPUT    .../block-kit/blocks/input-block     (label 2000, hint 2000)
 *   IMAGE    .../block-kit/blocks/image-block     (image_url 3000, alt_text 2000)
 *   BUTTON   .../block-kit/block-elements/button-element (text 75, action_id 255, value 2000, url 3000)
 *   PTI      .../block-kit/block-elements/plain-text-input-element (action_id 255, 0..3000, placeholder 150)
 *   TEXT     .../block-kit/composition-objects/text-object (emoji: plain_text only, verbatim: mrkdwn only)
 *   MODAL    https://docs.slack.dev/reference/views/modal-views (title/submit/close 24, blocks 100,
 *            private_metadata 3000, callback_id 255)
 *   METHODS  .../reference/methods/<name> (the arguments each method takes)
 *   SOCKET   https://docs.slack.dev/apis/events-api/using-socket-mode (the acknowledgement)
 *
 * Block types the fake does not model (rich_text, markdown, selects, ...)
 * are reported as "not modelled by the fake": extend this file when the bot
 * starts to use one.
 */
const Ajv = require('ajv').default;

function text(max, only) {
	const types = only ? [only] : ['plain_text', 'mrkdwn'];
	return {
		type: 'object', additionalProperties: false, required: ['type', 'text'],
		properties: {
			type: {enum: types},
			text: {type: 'string', minLength: 1, maxLength: max},
			emoji: {type: 'boolean'},
			verbatim: {type: 'boolean'},
		},
		// TEXT: emoji only for plain_text, verbatim only for mrkdwn.
		allOf: [
			{if: {properties: {type: {const: 'mrkdwn'}}}, then: {not: {required: ['emoji']}}},
			{if: {properties: {type: {const: 'plain_text'}}}, then: {not: {required: ['verbatim']}}},
		],
	};
}

const blockId = {type: 'string', minLength: 1, maxLength: 255};
const actionId = {type: 'string', minLength: 1, maxLength: 255};

const confirm = {
	type: 'object', additionalProperties: false, required: ['title', 'text', 'confirm', 'deny'],
	properties: {title: text(100, 'plain_text'), text: text(300, 'plain_text'),
	             confirm: text(30, 'plain_text'), deny: text(30, 'plain_text'),
	             style: {enum: ['primary', 'danger']}},
};

const button = {
	type: 'object', additionalProperties: false, required: ['type', 'text'],
	properties: {
		type: {const: 'button'}, text: text(75, 'plain_text'), action_id: actionId,
		url: {type: 'string', minLength: 1, maxLength: 3000}, value: {type: 'string', maxLength: 2000},
		style: {enum: ['primary', 'danger']}, confirm, accessibility_label: {type: 'string', maxLength: 75},
	},
};

const imageElement = {
	type: 'object', additionalProperties: false, required: ['type', 'image_url', 'alt_text'],
	properties: {type: {const: 'image'}, image_url: {type: 'string', maxLength: 3000},
	             alt_text: {type: 'string', maxLength: 2000}},
};

const plainTextInput = {
	type: 'object', additionalProperties: false, required: ['type'],
	properties: {
		type: {const: 'plain_text_input'}, action_id: actionId, initial_value: {type: 'string'},
		multiline: {type: 'boolean'}, min_length: {type: 'integer', minimum: 0, maximum: 3000},
		max_length: {type: 'integer', minimum: 1, maximum: 3000}, placeholder: text(150, 'plain_text'),
		focus_on_load: {type: 'boolean'},
		dispatch_action_config: {
			type: 'object', additionalProperties: false,
			properties: {trigger_actions_on: {type: 'array', items: {enum: ['on_enter_pressed',
			                                                              'on_character_entered']}}},
		},
	},
};

/* One schema per block type, so an error names what is wrong with that block. */
const BLOCKS = {
	section: {
		type: 'object', additionalProperties: false, required: ['type'],
		anyOf: [{required: ['text']}, {required: ['fields']}],
		properties: {
			type: {const: 'section'}, text: text(3000), block_id: blockId,
			fields: {type: 'array', minItems: 1, maxItems: 10, items: text(2000)},
			accessory: {oneOf: [button, imageElement]}, expand: {type: 'boolean'},
		},
	},
	actions: {
		type: 'object', additionalProperties: false, required: ['type', 'elements'],
		properties: {type: {const: 'actions'}, block_id: blockId,
		             elements: {type: 'array', minItems: 1, maxItems: 25, items: button}},
	},
	context: {
		type: 'object', additionalProperties: false, required: ['type', 'elements'],
		properties: {type: {const: 'context'}, block_id: blockId,
		             elements: {type: 'array', minItems: 1, maxItems: 10,
		                        items: {oneOf: [text(3000), imageElement]}}},
	},
	divider: {type: 'object', additionalProperties: false, required: ['type'],
	          properties: {type: {const: 'divider'}, block_id: blockId}},
	header: {type: 'object', additionalProperties: false, required: ['type', 'text'],
	         properties: {type: {const: 'header'}, text: text(150, 'plain_text'), block_id: blockId}},
	image: {
		type: 'object', additionalProperties: false, required: ['type', 'image_url', 'alt_text'],
		properties: {type: {const: 'image'}, image_url: {type: 'string', maxLength: 3000},
		             alt_text: {type: 'string', maxLength: 2000}, title: text(2000, 'plain_text'),
		             block_id: blockId},
	},
	input: {
		type: 'object', additionalProperties: false, required: ['type', 'label', 'element'],
		properties: {type: {const: 'input'}, label: text(2000, 'plain_text'), element: plainTextInput,
		             dispatch_action: {type: 'boolean'}, block_id: blockId,
		             hint: text(2000, 'plain_text'), optional: {type: 'boolean'}},
	},
};

const msgArgs = {
	text: {type: 'string'}, blocks: {type: 'array'}, attachments: {type: 'array'},
	thread_ts: {type: 'string'}, mrkdwn: {type: 'boolean'}, parse: {enum: ['none', 'full']},
	link_names: {type: 'boolean'}, username: {type: 'string'}, icon_emoji: {type: 'string'},
	icon_url: {type: 'string'}, as_user: {type: 'boolean'}, markdown_text: {type: 'string', maxLength: 12000},
};

/* METHODS: the JSON-body arguments of each method (the token is never one: it goes in the header). */
const METHOD_ARGS = {
	'chat.postMessage': {
		type: 'object', additionalProperties: false, required: ['channel'],
		properties: Object.assign({channel: {type: 'string', minLength: 1}, reply_broadcast: {type: 'boolean'},
		                           unfurl_links: {type: 'boolean'}, unfurl_media: {type: 'boolean'},
		                           metadata: {type: 'object'}}, msgArgs),
	},
	'chat.postEphemeral': {
		type: 'object', additionalProperties: false, required: ['channel', 'user'],
		properties: Object.assign({channel: {type: 'string', minLength: 1}, user: {type: 'string', minLength: 1}},
		                          msgArgs),
	},
	'views.open': {
		type: 'object', additionalProperties: false, required: ['view'],
		properties: {trigger_id: {type: 'string'}, interactivity_pointer: {type: 'string'},
		             view: {type: ['object', 'string']}},
	},
	'users.info': {type: 'object', additionalProperties: false, required: ['user'],
	               properties: {user: {type: 'string'}, include_locale: {type: ['boolean', 'string']}}},
	'auth.test': {type: 'object', additionalProperties: false, properties: {}},
	'apps.connections.open': {type: 'object', additionalProperties: false, properties: {}},
};

const MODAL = {
	type: 'object', additionalProperties: false, required: ['type', 'title', 'blocks'],
	properties: {
		type: {const: 'modal'}, title: text(24, 'plain_text'), blocks: {type: 'array', maxItems: 100},
		close: text(24, 'plain_text'), submit: text(24, 'plain_text'),
		private_metadata: {type: 'string', maxLength: 3000}, callback_id: {type: 'string', maxLength: 255},
		clear_on_close: {type: 'boolean'}, notify_on_close: {type: 'boolean'},
		external_id: {type: 'string', maxLength: 255}, submit_disabled: {type: 'boolean'},
	},
};

/* handling-user-interaction (Message responses): what a response_url (or a slash-command ack) takes. */
const RESPONSE_BODY = {
	type: 'object', additionalProperties: false,
	properties: Object.assign({response_type: {enum: ['ephemeral', 'in_channel']},
	                           replace_original: {type: 'boolean'}, delete_original: {type: 'boolean'},
	                           unfurl_links: {type: 'boolean'}, unfurl_media: {type: 'boolean'}}, msgArgs),
};

/* SOCKET, 5. Acknowledge events: {"envelope_id": ..., "payload": ... (optional)}. */
const ACK = {
	type: 'object', additionalProperties: false, required: ['envelope_id'],
	properties: {envelope_id: {type: 'string', minLength: 1}, payload: {type: 'object'}},
};

/* Modals (view_submission responses): response_action errors | update | push | clear. */
const VIEW_ACK = {
	type: 'object', additionalProperties: false, required: ['response_action'],
	properties: {response_action: {enum: ['errors', 'update', 'push', 'clear']},
	             errors: {type: 'object', additionalProperties: {type: 'string'}}, view: {type: 'object'}},
};

function describe(errors, prefix) {
	const out = [];
	for (const e of errors || []) {
		if (['anyOf', 'oneOf', 'if', 'allOf'].includes(e.keyword))
			continue;
		let msg = e.message;
		if (e.keyword === 'additionalProperties')
			msg = `has a property Slack does not define here: ${e.params.additionalProperty}`;
		else if (e.keyword === 'maxLength')
			msg = `must be at most ${e.params.limit} characters`;
		else if (e.keyword === 'maxItems')
			msg = `must have at most ${e.params.limit} items`;
		out.push(`${msg} [json-pointer:${prefix}${e.instancePath}]`);
	}
	if (!out.length && errors && errors.length)
		out.push(`${errors[0].message} [json-pointer:${prefix}${errors[0].instancePath}]`);
	return [...new Set(out)].slice(0, 8);
}

function load() {
	const ajv = new Ajv({allErrors: true, strict: false});
	const blockV = {};
	for (const [k, s] of Object.entries(BLOCKS))
		blockV[k] = ajv.compile(s);
	const methodV = {};
	for (const [k, s] of Object.entries(METHOD_ARGS))
		methodV[k] = ajv.compile(s);
	const modalV = ajv.compile(MODAL);
	const responseV = ajv.compile(RESPONSE_BODY);
	const ackV = ajv.compile(ACK);
	const viewAckV = ajv.compile(VIEW_ACK);
	const run = (v, value, prefix) => (v(value) ? [] : describe(v.errors, prefix));

	/* Validates a blocks array for a surface ('message' or 'modal'): a list of problems. */
	function blocks(list, surface, prefix = '/blocks') {
		const max = surface === 'modal' ? 100 : 50;
		if (!Array.isArray(list))
			return [`must be an array [json-pointer:${prefix}]`];
		const out = [];
		if (list.length > max)
			out.push(`must have at most ${max} items (${list.length} in a ${surface}) [json-pointer:${prefix}]`);
		const ids = new Set();
		list.forEach((b, i) => {
			const at = `${prefix}/${i}`;
			const t = b && typeof b === 'object' ? b.type : undefined;
			if (!blockV[t]) {
				out.push(`block type ${JSON.stringify(t)} is not modelled by the fake [json-pointer:${at}/type]`);
				return;
			}
			out.push(...run(blockV[t], b, at));
			// SECTION: block_id unique for each message; ACTIONS/BUTTON: action_id unique in its block.
			if (b.block_id !== undefined) {
				if (ids.has(b.block_id))
					out.push(`block_id ${JSON.stringify(b.block_id)} is used twice [json-pointer:${at}/block_id]`);
				ids.add(b.block_id);
			}
			const aids = (b.elements || []).map((e) => e && e.action_id).filter((a) => a !== undefined);
			if (new Set(aids).size !== aids.length)
				out.push(`two elements share an action_id [json-pointer:${at}/elements]`);
		});
		return out;
	}

	return {
		blocks,
		methodArgs: (method, body) => (methodV[method] ? run(methodV[method], body, '') : []),
		modal(view) {
			const out = run(modalV, view, '/view');
			out.push(...blocks(view && view.blocks, 'modal', '/view/blocks'));
			// MODAL: submit is required when an input block is within the blocks array.
			if (view && Array.isArray(view.blocks) && view.blocks.some((b) => b && b.type === 'input') &&
			    !view.submit)
				out.push('submit is required when an input block is within the blocks array [json-pointer:/view]');
			return out;
		},
		responseBody(body) {
			const out = run(responseV, body, '');
			if (body && body.blocks !== undefined)
				out.push(...blocks(body.blocks, 'message'));
			return out;
		},
		ack: (frame) => run(ackV, frame, ''),
		viewAck: (payload) => run(viewAckV, payload, '/payload'),
	};
}

module.exports = {load, describe};
