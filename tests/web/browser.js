#!/usr/bin/env node
// drillbot's pages in a real browser: Debian's Chromium, headless, driven
// by playwright-core (which downloads no browser of its own).
//
//   node tests/web/browser.js BASE_URL ME_PATH TEAM_PATH OUT_DIR
//
// BASE_URL is the bot's web server (http://127.0.0.1:<port>); ME_PATH and
// TEAM_PATH are private page paths from /stats and /leaderboard. Prints
// PASS/FAIL lines; screenshots (390 px phone, 1280 px desktop, light and
// dark) go to OUT_DIR. What a person would notice is what is checked: the
// answer stays hidden until they open it, with or without JavaScript; the
// search form works; nothing leaves the bot's own server; nothing is wider
// than a phone; the text has enough contrast in both colour schemes.
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const parsePrometheus = require('parse-prometheus-text-format');

const [base, mePath, teamPath, outDir] = process.argv.slice(2);
if (!base || !mePath || !teamPath || !outDir) {
	console.error('usage: browser.js BASE_URL ME_PATH TEAM_PATH OUT_DIR');
	process.exit(2);
}
const host = new URL(base).host;
let failed = 0;

function check(name, ok, why) {
	if (ok) {
		console.log(`PASS ${name}`);
	} else {
		failed++;
		console.log(`FAIL ${name}: ${why}`);
	}
}

// WCAG 2.x relative luminance and contrast ratio of two CSS rgb() colours.
function luminance(rgb) {
	const v = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
		c /= 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function contrast(a, b) {
	const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
	return (x + 0.05) / (y + 0.05);
}

// A page that records what a careful reviewer would look for in DevTools:
// console errors, script errors, and any request to another host.
async function open(ctx, urlPath) {
	const page = await ctx.newPage();
	const trouble = [];
	page.on('console', (m) => m.type() === 'error' && trouble.push(`console: ${m.text()}`));
	page.on('pageerror', (e) => trouble.push(`page error: ${e.message}`));
	page.on('response', (r) => r.status() >= 400 && trouble.push(`${r.status()} for ${r.url()}`));
	page.on('request', (r) => {
		const u = new URL(r.url());
		if (u.protocol !== 'data:' && u.host !== host) trouble.push(`request to ${r.url()}`);
	});
	const resp = await page.goto(base + urlPath, { waitUntil: 'load' });
	return { page, trouble, status: resp ? resp.status() : 0 };
}

async function colours(page) {
	return page.evaluate(() => {
		const s = getComputedStyle(document.body);
		const a = document.querySelector('main a, a');
		return { fg: s.color, bg: s.backgroundColor, link: a ? getComputedStyle(a).color : s.color };
	});
}

async function reveal(ctx, label) {
	const { page, trouble } = await open(ctx, '/q/caching-stampede');
	const details = page.locator('details', { has: page.locator('summary', { hasText: 'Model answer' }) });
	const closed = !(await details.evaluate((d) => d.open));
	const hiddenBefore = !(await details.locator('p').first().isVisible());
	await details.locator('summary').click();
	const openAfter = await details.evaluate((d) => d.open);
	const shownAfter = await details.locator('p').first().isVisible();
	check(`reveal_hidden_first ${label}`, closed && hiddenBefore, 'the model answer shows before it is opened');
	check(`reveal_opens_on_click ${label}`, openAfter && shownAfter, 'clicking "Model answer" did not show it');
	check(`question_clean ${label}`, trouble.length === 0, trouble.join('; '));
	await page.close();
}

async function search(ctx) {
	const { page, trouble } = await open(ctx, '/');
	await page.fill('input[name="q"]', 'cache stampede');
	await Promise.all([page.waitForURL(/\/search\?q=/), page.press('input[name="q"]', 'Enter')]);
	const first = page.locator('main a[href^="/q/"]').first();
	const href = await first.getAttribute('href');
	check('search_form_submits', /\/search\?q=cache\+stampede/.test(page.url()), page.url());
	check('search_ranks_stampede_first', href === '/q/caching-stampede', `first result ${href}`);
	await Promise.all([page.waitForURL(/\/q\//), first.click()]);
	check('search_result_opens', page.url().endsWith('/q/caching-stampede'), page.url());
	check('index_clean', trouble.length === 0, trouble.join('; '));
	await page.close();
}

async function layout(browser, scheme, width) {
	const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
	const shots = [
		['index', '/'],
		['question', '/q/caching-stampede'],
		['me', mePath],
		['team', teamPath],
	];
	const result = {};
	for (const [name, p] of shots) {
		const { page, trouble, status } = await open(ctx, p);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		const tag = `${name} ${scheme} ${width}px`;
		check(`page_200 ${tag}`, status === 200, `status ${status}`);
		check(`fits_width ${tag}`, overflow <= 0, `${overflow} px wider than the window`);
		check(`page_clean ${tag}`, trouble.length === 0, trouble.join('; '));
		const c = await colours(page);
		check(`text_contrast ${tag}`, contrast(c.fg, c.bg) >= 7, `${c.fg} on ${c.bg}: ${contrast(c.fg, c.bg).toFixed(2)}`);
		check(`link_contrast ${tag}`, contrast(c.link, c.bg) >= 4.5, `${c.link} on ${c.bg}: ${contrast(c.link, c.bg).toFixed(2)}`);
		result[name] = c;
		await page.screenshot({ path: path.join(outDir, `${name}-${scheme}-${width}.png`), fullPage: true });
		await page.close();
	}
	await ctx.close();
	return result;
}

async function pictures(ctx) {
	const { page } = await open(ctx, mePath);
	const svg = await page.evaluate(() =>
		[...document.querySelectorAll('svg')].map((s) => ({
			label: s.getAttribute('aria-label'),
			role: s.getAttribute('role'),
			rects: s.querySelectorAll('rect').length,
			titles: [...s.querySelectorAll('title')].map((t) => t.textContent),
			width: s.getBoundingClientRect().width,
		})),
	);
	const heat = svg.find((s) => /Answers per day/.test(s.label || ''));
	check('me_heatmap_drawn', heat && heat.rects >= 364, JSON.stringify(heat));
	check('me_heatmap_seeded_days', heat && heat.titles.filter((t) => /: [1-9]\d* answers?$/.test(t)).length >= 10,
		'fewer than 10 days with answers in the heatmap titles');
	check('me_pictures_labelled', svg.length >= 3 && svg.every((s) => s.label && s.role === 'img'),
		JSON.stringify(svg.map((s) => [s.label, s.role])));
	check('me_pictures_visible', svg.every((s) => s.width > 100), JSON.stringify(svg.map((s) => s.width)));
	await page.close();
}

async function metrics() {
	const text = await (await fetch(`${base}/metrics`)).text();
	let fams = [];
	try {
		fams = parsePrometheus(text);
	} catch (e) {
		check('metrics_parse', false, e.message);
		return;
	}
	check('metrics_parse', fams.length > 0, 'no metric family');
	const byName = Object.fromEntries(fams.map((f) => [f.name, f]));
	const http = byName.drillbot_http_responses_total;
	const ok = http && http.metrics.find((m) => m.labels && m.labels.code === '200');
	check('metrics_http_200_counted', ok && Number(ok.value) > 10, JSON.stringify(http));
	check('metrics_interactions_family', !!byName.drillbot_interactions_total, Object.keys(byName).join(' '));
}

(async () => {
	fs.mkdirSync(outDir, { recursive: true });
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
	});
	try {
		const ctx = await browser.newContext();
		await search(ctx);
		await reveal(ctx, 'javascript_on');
		await pictures(ctx);
		await ctx.close();
		const noJs = await browser.newContext({ javaScriptEnabled: false });
		await reveal(noJs, 'javascript_off');
		await noJs.close();
		const light = await layout(browser, 'light', 390);
		const dark = await layout(browser, 'dark', 390);
		await layout(browser, 'light', 1280);
		check('dark_scheme_differs', light.question.bg !== dark.question.bg,
			`background ${light.question.bg} in both schemes`);
		await metrics();
	} catch (e) {
		check('browser_run', false, e.stack.split('\n').slice(0, 3).join(' '));
	} finally {
		await browser.close();
	}
	process.exit(failed ? 1 : 0);
})();
