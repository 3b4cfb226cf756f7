#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Builds report_template.html: template.html with report.css and one script (page.mjs,
// render.mjs, format.mjs and the Chart.js parts they use, bundled and minified by esbuild)
// inlined, and a Content-Security-Policy that allows exactly that script and that style by
// their SHA-256 hashes. The report JSON goes where {{CXM_REPORT_JSON}} stands (embed.mjs).
// With --dashboard DIR it also writes cxm serve's live dashboard there: dashboard.html, one
// script dashboard.js (dashboard.mjs, render.mjs, format.mjs and Chart.js) and one style sheet
// dashboard.css (report.css, then dashboard.css), files that run under the server's own CSP.
//
//   node build.mjs [--out report_template.html] [--report report.json --html report.html] [--dashboard DIR]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLACEHOLDER, fillTemplate } from './embed.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));

/** 'sha256-<base64>' of a text as UTF-8, the form CSP hash sources take. */
export const cspHash = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The policy for one inline script and one inline style. */
export const policy = (script, style) =>
  `default-src 'none'; script-src ${cspHash(script)}; style-src ${cspHash(style)}; img-src data:; base-uri 'none'; form-action 'none'`;

/** Text that would end or confuse the element it is inlined into. */
function checkInline(what, text, end) {
  if (new RegExp(`</${end}`, 'i').test(text) || /<!--/.test(text)) throw new Error(`report build: ${what} holds </${end} or <!--`);
  if (text.includes(PLACEHOLDER)) throw new Error(`report build: ${what} holds the placeholder`);
}

/** One entry point bundled with Chart.js into one minified IIFE script; returns its text. */
async function bundle(entry) {
  let esbuild;
  try {
    esbuild = require('esbuild');
    require.resolve('chart.js');
  } catch {
    throw new Error('report build: esbuild and chart.js are missing; run `npm ci` in wasm/ (scripts/install-deps.sh web)');
  }
  const out = await esbuild.build({
    entryPoints: [path.join(here, entry)], bundle: true, minify: true, format: 'iife', target: 'es2020',
    legalComments: 'inline', write: false, charset: 'utf8', nodePaths: [path.join(here, '..', 'node_modules')],
  });
  return out.outputFiles[0].text.replace(/\n$/, '');
}

/** Returns the built template's text. */
export async function buildTemplate() {
  const script = await bundle('page.mjs');
  const css = readFileSync(path.join(here, 'report.css'), 'utf8');
  checkInline('the script', script, 'script');
  checkInline('the style', css, 'style');
  const template = readFileSync(path.join(here, 'template.html'), 'utf8');
  const parts = { '{{CSP}}': policy(script, css), '{{CSS}}': css, '{{SCRIPT}}': script };
  // One pass, so nothing inserted is searched again.
  return template.replace(/\{\{(CSP|CSS|SCRIPT)\}\}/g, (m) => parts[m]);
}

/** The dashboard's three files: {'dashboard.html', 'dashboard.js', 'dashboard.css'} -> text. */
export async function buildDashboard() {
  const css = ['report.css', 'dashboard.css'].map((n) => readFileSync(path.join(here, n), 'utf8')).join('\n');
  return {
    'dashboard.html': readFileSync(path.join(here, 'dashboard.html'), 'utf8'),
    'dashboard.js': await bundle('dashboard.mjs'),
    'dashboard.css': css,
  };
}

async function main(argv) {
  const arg = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const out = arg('--out') ?? 'report_template.html';
  const template = await buildTemplate();
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeFileSync(out, template);
  const report = arg('--report');
  if (report) writeFileSync(arg('--html') ?? 'report.html', fillTemplate(template, readFileSync(report, 'utf8')));
  const dashboard = arg('--dashboard');
  if (dashboard) {
    mkdirSync(dashboard, { recursive: true });
    for (const [name, text] of Object.entries(await buildDashboard())) writeFileSync(path.join(dashboard, name), text);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => { console.error(e.message); process.exit(1); });
}
