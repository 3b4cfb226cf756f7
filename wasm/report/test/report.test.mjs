// SPDX-License-Identifier: MIT
// The report page's pure parts: the JSON escaping for the data block, the built template (its
// Content-Security-Policy hashes exactly its inline script and style, no external URL, one
// placeholder) and the page weight with each fixture (< 400 KB).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { escapeJsonForHtml, fillTemplate, PLACEHOLDER } from '../embed.mjs';
import { buildTemplate, buildDashboard } from '../build.mjs';
import { readFilters, pageQuery, analysisQuery, clock } from '../dashboard_query.mjs';
import * as f from '../format.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.join(here, 'fixtures');
const fixtures = readdirSync(fixturesDir).filter((n) => n.endsWith('.json')).map((n) => [n, readFileSync(path.join(fixturesDir, n), 'utf8')]);
const BUDGET = 400 * 1024;

let template;
before(async () => { template = await buildTemplate(); });

const sha = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
/** The inline elements of a page: [{tag, attrs, text}] (the page is ours: a regular expression is enough). */
const inline = (html, tag) => [...html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => ({ attrs: m[1] ?? '', text: m[2] }));

test('escapeJsonForHtml: < > & U+2028 U+2029 become \\u escapes, and the JSON means the same', () => {
  const value = { s: '</script><script>alert(1)</script>', c: '<!-- x -->', a: 'a & b > c', ls: 'x\u2028y\u2029z', he: 'סניף', q: '"\'\\' };
  const text = JSON.stringify(value);
  const out = escapeJsonForHtml(text);
  assert.deepEqual(JSON.parse(out), value);
  assert.doesNotMatch(out, /[<>&\u2028\u2029]/);
  assert.ok(out.includes('\\u003c/script\\u003e'));
  assert.ok(out.includes('\\u0026') && out.includes('\\u2028') && out.includes('\\u2029'));
  assert.ok(out.includes('סניף'), 'other characters stay as they are (UTF-8)');
  assert.equal(escapeJsonForHtml('{"a":1}'), '{"a":1}');
  for (const [name, json] of fixtures) assert.deepEqual(JSON.parse(escapeJsonForHtml(json)), JSON.parse(json), name);
});

test('the built template: one placeholder, in the data block, and a policy with exactly its hashes', () => {
  assert.equal(template.split(PLACEHOLDER).length, 2, 'the placeholder occurs once');
  assert.ok(template.includes(`<script type="application/json" id="cxm-report-data">${PLACEHOLDER}</script>`));
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(template);
  assert.ok(meta, 'a CSP meta element');
  assert.ok(template.indexOf(meta[0]) < template.indexOf('<style'), 'the policy comes before the style and scripts');
  const directives = Object.fromEntries(meta[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['img-src'], ['data:']);
  const scripts = inline(template, 'script').filter((s) => !/type="application\/json"/.test(s.attrs));
  const styles = inline(template, 'style');
  assert.equal(scripts.length, 1);
  assert.equal(styles.length, 1);
  assert.deepEqual(directives['script-src'], scripts.map((s) => sha(s.text)));
  assert.deepEqual(directives['style-src'], styles.map((s) => sha(s.text)));
  assert.doesNotMatch(meta[1], /unsafe|\*|https?:/);
});

test('the built template loads nothing from elsewhere', () => {
  // References that would load: attributes, CSS url()/@import, and script loaders.
  assert.doesNotMatch(template, /\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);
  assert.doesNotMatch(template, /url\(\s*["']?(https?:|\/\/)/i);
  assert.doesNotMatch(template, /@import/i);
  assert.doesNotMatch(template, /sourceMappingURL/);
  assert.doesNotMatch(template, /\bfetch\(|XMLHttpRequest|importScripts|\beval\(|new Function\(/);
  const links = [...template.matchAll(/<link[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(links, ['<link rel="icon" href="data:,">']);
});

test('page weight: every fixture makes a page under 400 KB', () => {
  for (const [name, json] of fixtures) {
    const page = fillTemplate(template, json);
    const bytes = Buffer.byteLength(page, 'utf8');
    assert.ok(bytes < BUDGET, `${name}: ${bytes} bytes`);
    console.log(`# ${name}: ${(bytes / 1024).toFixed(1)} KB (template ${(Buffer.byteLength(template) / 1024).toFixed(1)} KB)`);
  }
});

test('fillTemplate: hostile labels cannot close the data block', () => {
  const json = readFileSync(path.join(fixturesDir, 'full.json'), 'utf8');
  const page = fillTemplate(template, json);
  const block = /<script type="application\/json" id="cxm-report-data">([\s\S]*?)<\/script>/.exec(page)[1];
  assert.deepEqual(JSON.parse(block), JSON.parse(json));
  assert.equal(page.match(/<script/g).length, template.match(/<script/g).length, 'no element added');
  assert.throws(() => fillTemplate('no placeholder', '{}'), /exactly once/);
  assert.throws(() => fillTemplate(PLACEHOLDER + PLACEHOLDER, '{}'), /exactly once/);
  // The JSON is inserted once: a placeholder inside the data stays data.
  assert.equal(fillTemplate(`[${PLACEHOLDER}]`, `"${PLACEHOLDER}"`), `["${PLACEHOLDER}"]`);
});

test('formatting: signed points, shares, p-values, counts', () => {
  assert.equal(f.points(22.2), '+22.2');
  assert.equal(f.points(-8.3), '\u22128.3');
  assert.equal(f.points(0), '0.0');
  assert.equal(f.points(-0.04), '0.0');
  assert.equal(f.points(null), '\u2013');
  assert.equal(f.share(0.71), '71.0%');
  assert.equal(f.share(0.8333), '83.3%');
  assert.equal(f.mean(5.6), '5.60');
  assert.equal(f.meanDifference(-0.125), '\u22120.13');
  assert.equal(f.count(3027), '3,027');
  assert.equal(f.pValue(0.00002), '< 0.001');
  assert.equal(f.pValue(0.19), '0.19');
  assert.equal(f.pValue(0.0544), '0.054');
  assert.equal(f.interval(18.9, 25.4), '+18.9 to +25.4');
  assert.equal(f.level(0.95), '95%');
  assert.equal(f.level(0.9), '90%');
  assert.equal(f.adjustName('BH'), 'Benjamini\u2013Hochberg');
  assert.equal(f.isolate('ירושלים (מרכז) 2'), '\u2068ירושלים (מרכז) 2\u2069');
  assert.equal([...f.isolate('x'.repeat(50), 10)].length, 12);
  assert.equal(f.duration(850), '850 ms');
  assert.equal(f.duration(12345), '12.3 s');
  assert.equal(f.duration(270000), '4.5 min');
  assert.equal(f.duration(3 * 86400e3), '3.0 d');
  assert.equal(f.duration(null), '\u2013');
  assert.equal(f.durationBand({ lower_ms: null, upper_ms: 50500 }), '\u2264 50.5 s');
  assert.equal(f.durationBand({ lower_ms: 50500, upper_ms: 90000 }), '50.5 s \u2013 1.5 min');
  assert.equal(f.durationBand({ lower_ms: 90000, upper_ms: null }), '> 1.5 min');
});

test('the page code builds DOM only: no HTML parsing sinks, no code from strings', () => {
  for (const file of ['render.mjs', 'parts.mjs', 'journey.mjs', 'format.mjs', 'page.mjs', 'dashboard.mjs', 'dashboard_query.mjs']) {
    const src = readFileSync(path.join(here, '..', file), 'utf8');
    assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment|srcdoc|\beval\(|new Function|setAttribute\(\s*['"]style/, file);
  }
});

test('the dashboard: its filters from the URL, back to it, and to /v1/analysis', () => {
  const d = readFilters('?survey=a&period=week&by=channel,segment.age&by=step&tz=Europe/Berlin&refresh=10&p_adjust=holm');
  assert.deepEqual(d, { survey: 'a', period: 'week', by: ['channel', 'segment.age', 'step'], tz: 'Europe/Berlin', refresh: 10, extra: { p_adjust: 'holm' } });
  assert.equal(analysisQuery(d), 'survey=a&by=channel%2Csegment.age%2Cstep%2Cweek&tz=Europe%2FBerlin&p_adjust=holm');
  assert.deepEqual(readFilters(`?${pageQuery(d)}`), d, 'the page query round-trips');
  // A period inside `by` (as the API takes it), the form's segment names, bad values.
  assert.deepEqual(readFilters('?by=month,channel&segments=customer, segment.age&refresh=1&period=year'),
    { survey: '', period: 'month', by: ['channel', 'segment.customer', 'segment.age'], tz: '', refresh: 5, extra: {} });
  assert.equal(analysisQuery(readFilters('')), '');
  assert.equal(pageQuery(readFilters('?period=none&refresh=5')), '');
  assert.equal(clock(new Date(2026, 11, 3, 7, 5, 9)), '07:05:09');
});

test('the dashboard build: one script and one style sheet, loaded from /dashboard/, nothing inline', async () => {
  const files = await buildDashboard();
  const html = files['dashboard.html'];
  assert.deepEqual([...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1].trim()), ['src="/dashboard/dashboard.js" defer']);
  assert.deepEqual([...html.matchAll(/<link\b([^>]*)>/g)].map((m) => m[1].trim()), ['rel="stylesheet" href="/dashboard/dashboard.css"']);
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=|https?:/i);
  assert.match(files['dashboard.js'], /cxmDashboard/);
  assert.ok(files['dashboard.css'].startsWith(readFileSync(path.join(here, '..', 'report.css'), 'utf8')));
  assert.doesNotMatch(files['dashboard.css'], /url\(|@import/, 'the style sheet loads nothing');
});
