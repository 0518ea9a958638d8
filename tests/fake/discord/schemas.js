'use strict';
/*
 * schemas.js - loads the two machine-readable sources of truth from
 * ../shared/discord and turns them into validators:
 *
 *   - gateway-send.schema.json (draft-07): every payload a client may send
 *     on the gateway;
 *   - openapi.json (OpenAPI 3.1 = JSON Schema 2020-12): the request bodies
 *     of the HTTP API, by operationId.
 *
 * The OpenAPI schemas are made STRICT before compiling: every object
 * schema that has `properties` but says nothing about extra properties
 * gets `additionalProperties: false`. Schemas that explicitly allow extra
 * properties (`additionalProperties: {...}`, e.g. localization maps) are
 * left as they are. The spec's own object unions (`allOf` of objects) only
 * occur in its error-response schemas, which the fake never validates
 * against, so closing every object does not break a composition.
 *
 * When ../shared is missing, load() returns null and the fake skips schema
 * validation (run.js prints `SKIP schema-validation: ../shared not found`).
 */
const fs = require('fs');
const path = require('path');
const Ajv07 = require('ajv').default;
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const OPENAPI_ID = 'https://fake.discord.invalid/openapi.json';

/* Adds additionalProperties:false to every object schema that lists properties. */
function strictify(node) {
	if (Array.isArray(node)) {
		node.forEach(strictify);
		return node;
	}
	if (node === null || typeof node !== 'object')
		return node;
	const t = node.type;
	const isObject = t === 'object' || (Array.isArray(t) && t.includes('object'));
	if ((isObject || node.properties) && node.properties && !('additionalProperties' in node) &&
	    !('patternProperties' in node) && !('allOf' in node))
		node.additionalProperties = false;
	for (const k of Object.keys(node))
		strictify(node[k]);
	return node;
}

/* OpenAPI's numeric formats are not JSON Schema formats; give them their meaning. */
function addOpenApiFormats(ajv) {
	ajv.addFormat('int32', {
		type: 'number',
		validate: (n) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647,
	});
	ajv.addFormat('int64', {type: 'number', validate: (n) => Number.isInteger(n)});
	ajv.addFormat('double', {type: 'number', validate: () => true});
	ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
	ajv.addFormat('nonce', {validate: () => true});
}

/* Turns Ajv's error list into a short human text and a Discord-style `errors` tree. */
function describeErrors(errors) {
	const lines = [];
	const tree = {};
	for (const e of errors || []) {
		// Skip the noise of oneOf/anyOf branches: keep the deepest, most specific errors.
		if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if')
			continue;
		// The `null` branch of a nullable oneOf only adds "must be null".
		if (e.keyword === 'type' && e.params && e.params.type === 'null')
			continue;
		let where = e.instancePath || '/';
		let msg = e.message;
		if (e.keyword === 'additionalProperties')
			msg = `has a property the spec does not allow: ${e.params.additionalProperty}`;
		lines.push(`${where} ${msg}`);
		const keys = where.split('/').filter(Boolean);
		let n = tree;
		for (const k of keys)
			n = n[k] = n[k] || {};
		n._errors = n._errors || [];
		n._errors.push({code: 'BASE_TYPE_INVALID', message: msg});
	}
	if (lines.length === 0 && errors && errors.length)
		lines.push(`${errors[0].instancePath || '/'} ${errors[0].message}`);
	return {text: [...new Set(lines)].slice(0, 8).join('; '), tree};
}

function load(sharedDir) {
	const dir = path.join(sharedDir, 'discord');
	const openapiFile = path.join(dir, 'openapi.json');
	const gatewayFile = path.join(dir, 'gateway-send.schema.json');
	if (!fs.existsSync(openapiFile) || !fs.existsSync(gatewayFile))
		return null;

	const gatewaySchema = JSON.parse(fs.readFileSync(gatewayFile, 'utf8'));
	const ajvGw = new Ajv07({allErrors: true, strict: false});
	const gatewayRoot = ajvGw.compile(gatewaySchema);
	// One validator per send opcode, so an error names what is wrong with that op.
	const gatewayByOp = new Map();
	for (const alt of gatewaySchema.definitions.GatewaySendPayload.anyOf) {
		const name = alt.$ref.split('/').pop();
		const op = gatewaySchema.definitions[name].properties.op.const;
		gatewayByOp.set(op, ajvGw.compile({
			$ref: `#/definitions/${name}`,
			definitions: gatewaySchema.definitions,
		}));
	}

	const spec = JSON.parse(fs.readFileSync(openapiFile, 'utf8'));
	const schemas = strictify(JSON.parse(JSON.stringify(spec.components.schemas)));
	/*
	 * The one place where the two sources disagree on a request field:
	 * application-commands.mdx (Application Command Structure, Bulk Overwrite
	 * JSON Params) types default_member_permissions as "?string" (a permission
	 * bit set as a string), while openapi.json says integer|null. Both are
	 * accepted; the string must be digits.
	 */
	for (const name of ['ApplicationCommandCreateRequest', 'ApplicationCommandUpdateRequest',
	                    'ApplicationCommandPatchRequestPartial']) {
		const props = schemas[name] && schemas[name].properties;
		if (props && props.default_member_permissions) {
			props.default_member_permissions = {
				oneOf: [props.default_member_permissions, {type: 'string', pattern: '^[0-9]{1,20}$'}],
			};
		}
	}
	const ajv = new Ajv2020({allErrors: true, strict: false, validateFormats: true});
	addFormats(ajv);
	addOpenApiFormats(ajv);
	ajv.addSchema({$id: OPENAPI_ID, components: {schemas}});

	// operationId -> { method, path, schema } from the spec's paths.
	const ops = new Map();
	for (const [p, item] of Object.entries(spec.paths)) {
		for (const [method, op] of Object.entries(item)) {
			if (!op || typeof op !== 'object' || !op.operationId)
				continue;
			const body = op.requestBody && op.requestBody.content &&
			             op.requestBody.content['application/json'];
			ops.set(op.operationId, {method: method.toUpperCase(), path: p,
			                         schema: body ? body.schema : null});
		}
	}

	const cache = new Map();
	/* Rewrites local refs to point into the registered document. */
	function rebase(node) {
		if (Array.isArray(node))
			return node.map(rebase);
		if (node === null || typeof node !== 'object')
			return node;
		const out = {};
		for (const [k, v] of Object.entries(node))
			out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? OPENAPI_ID + v
			                                                                     : rebase(v);
		return out;
	}
	function compiled(key, schema) {
		if (!cache.has(key))
			cache.set(key, ajv.compile(strictify(rebase(JSON.parse(JSON.stringify(schema))))));
		return cache.get(key);
	}

	/*
	 * Compiles every schema the fake validates against now, so the first
	 * request of a scenario does not stall the event loop (and with it the
	 * timestamps of concurrent heartbeats) for the compile.
	 */
	for (const name of ['PongInteractionCallbackRequest', 'CreateMessageInteractionCallbackRequest',
	                    'UpdateMessageInteractionCallbackRequest',
	                    'ApplicationCommandAutocompleteCallbackRequest', 'ModalInteractionCallbackRequest',
	                    'LaunchActivityInteractionCallbackRequest'])
		compiled('c:' + name, {$ref: `#/components/schemas/${name}`});
	for (const id of ['create_interaction_response', 'update_original_webhook_message', 'execute_webhook',
	                  'update_webhook_message', 'bulk_set_application_commands',
	                  'bulk_set_guild_application_commands', 'create_application_command',
	                  'create_guild_application_command', 'update_application_command',
	                  'update_guild_application_command', 'create_message', 'update_message']) {
		const op = ops.get(id);
		if (op && op.schema)
			compiled('op:' + id, op.schema);
	}

	return {
		/* Validates one gateway payload: {ok, unknownOp, error}. */
		gateway(payload) {
			const op = payload && typeof payload === 'object' ? payload.op : undefined;
			const v = gatewayByOp.get(op);
			if (!v) {
				return {ok: false, unknownOp: true,
				        error: `op ${JSON.stringify(op)} is not a gateway send opcode`};
			}
			if (v(payload) && gatewayRoot(payload))
				return {ok: true};
			return {ok: false, unknownOp: false, error: describeErrors(v.errors || gatewayRoot.errors).text};
		},
		/* Validates a JSON request body against an operation: {ok, error, tree}. */
		request(operationId, body) {
			const op = ops.get(operationId);
			if (!op || !op.schema)
				return {ok: true};
			const v = compiled('op:' + operationId, op.schema);
			if (v(body))
				return {ok: true};
			const d = describeErrors(v.errors);
			return {ok: false, error: d.text, tree: d.tree};
		},
		/* Validates against one named component schema (strict). */
		component(name, value) {
			const v = compiled('c:' + name, {$ref: `#/components/schemas/${name}`});
			if (v(value))
				return {ok: true};
			const d = describeErrors(v.errors);
			return {ok: false, error: d.text, tree: d.tree};
		},
		hasComponent(name) {
			return Object.prototype.hasOwnProperty.call(schemas, name);
		},
	};
}

module.exports = {load, strictify, describeErrors};
