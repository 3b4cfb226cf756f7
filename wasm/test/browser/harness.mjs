// SPDX-License-Identifier: MIT
// The browser suite's harness: a test server on 127.0.0.1 (random port) that serves the wasm
// build output, the examples and the test pages, and records what its collector receives (and
// can be told to fail); Chromium through playwright-core on a fresh profile; console watching.
import http from 'node:http';
import { mkdtempSync, rmSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = process.env.CXM_REPO ?? path.resolve(here, '../../..');
export const wasmDir = process.env.CXM_WASM_DIR ?? path.join(repo, 'build/wasm/wasm');
export const artifacts = process.env.CXM_ARTIFACTS ?? path.join(path.dirname(wasmDir), 'test-artifacts');
export const pagesDir = path.join(here, 'pages');
export const sampleSurvey = path.join(repo, 'examples/web/surveys/after-onboarding.json');

const require = createRequire(path.join(repo, 'wasm/package.json'));
const { chromium } = require('playwright-core');

export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
export const WIDGET = '/build/wasm/wasm/widget/cxm-survey.js';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.md': 'text/plain; charset=utf-8', '.png': 'image/png',
};

/** Serves files under `root` for URL paths under `prefix`; null when the path is not there. */
function fileFor(root, prefix, urlPath) {
  if (!urlPath.startsWith(prefix)) return null;
  const rel = decodeURIComponent(urlPath.slice(prefix.length));
  const file = path.resolve(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    if (statSync(file).isFile()) return file;
  } catch {
    return null;
  }
  return null;
}

/**
 * The collector: POST /collect (and /cx/responses, the demo's) with {"responses":[...]}.
 * mode: 'ok' | 500 | 429 | 'drop' (destroy the connection) | 'offline' (same, for every request).
 * failNext(n, how) fails the next n requests, then mode applies again.
 */
class Collector {
  requests = [];          // {ids, status, start, end, beacon}
  delivered = new Map();  // id -> times answered 2xx
  records = new Map();    // id -> the last record received
  active = new Map();     // id -> requests in progress holding it
  concurrent = [];        // ids seen in two requests at once
  mode = 'ok';
  delayMs = 0;
  #fails = [];
  #waiters = [];

  failNext(n, how) {
    for (let i = 0; i < n; i++) this.#fails.push(how);
  }
  clearFailures() { this.#fails = []; }
  reset() {
    this.requests = [];
    this.delivered.clear();
    this.records.clear();
    this.concurrent = [];
    this.mode = 'ok';
    this.delayMs = 0;
    this.#fails = [];
  }
  uniqueIds() { return new Set(this.delivered.keys()); }
  duplicates() {
    let d = 0;
    for (const c of this.delivered.values()) d += c - 1;
    return d;
  }

  /** Resolves when pred(this) holds (checked after every request); rejects after timeoutMs. */
  waitFor(pred, timeoutMs = 20000, what = 'collector condition') {
    if (pred(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { pred, resolve, timer: null };
      w.timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; delivered ${this.delivered.size}, requests ${this.requests.length}`));
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }
  #wake() {
    for (const w of [...this.#waiters]) {
      if (w.pred(this)) {
        clearTimeout(w.timer);
        this.#waiters = this.#waiters.filter((x) => x !== w);
        w.resolve();
      }
    }
  }

  async handle(req, res) {
    const how = this.#fails.length ? this.#fails.shift() : this.mode;
    if (how === 'drop' || how === 'offline') {
      req.socket.destroy();
      this.requests.push({ ids: [], status: 'dropped', start: Date.now(), end: Date.now() });
      this.#wake();
      return;
    }
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const start = Date.now();
    let ids = [];
    let body = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      ids = body.responses.map((r) => r.id);
    } catch {
      this.requests.push({ ids, status: 400, start, end: Date.now() });
      res.writeHead(400).end();
      this.#wake();
      return;
    }
    const status = typeof how === 'number' ? how : 200;
    const entry = { ids, status, start, end: 0, beacon: body.via === 'beacon', page: req.headers['x-test-page'] ?? null };
    for (const id of ids) {
      const n = this.active.get(id) ?? [];
      if (n.length > 0) this.concurrent.push({ id, first: n[0], second: entry });
      n.push(entry);
      this.active.set(id, n);
    }
    this.requests.push(entry);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    entry.end = Date.now();
    if (status >= 200 && status < 300) {
      for (const r of body.responses) {
        this.delivered.set(r.id, (this.delivered.get(r.id) ?? 0) + 1);
        this.records.set(r.id, r);
      }
    }
    const headers = { 'Content-Type': 'application/json' };
    if (status === 429) headers['Retry-After'] = '0';
    res.writeHead(status, headers).end(JSON.stringify({ accepted: status < 300 ? ids.length : 0 }));
    for (const id of ids) {
      const n = this.active.get(id).filter((x) => x !== entry);
      this.active.set(id, n);
      if (n.length === 0) this.active.delete(id);
    }
    this.#wake();
  }
}

/** Starts the test server. Returns {url, collector, surveys (Map name -> JSON text), close()}. */
export async function startServer() {
  const collector = new Collector();
  const surveys = new Map();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      const p = url.pathname;
      if (p === '/collect' || p === '/cx/responses') {
        if (req.method !== 'POST') return res.writeHead(405).end();
        return await collector.handle(req, res);
      }
      if (p === '/favicon.ico') return res.writeHead(204).end();
      if (p.startsWith('/surveys/') && surveys.has(p.slice(9))) {
        return res.writeHead(200, { 'Content-Type': TYPES['.json'], 'Cache-Control': 'no-store' }).end(surveys.get(p.slice(9)));
      }
      const file = fileFor(path.resolve(wasmDir), '/build/wasm/wasm/', p) ??
                   fileFor(path.resolve(pagesDir), '/pages/', p) ??
                   fileFor(path.resolve(repo, 'examples'), '/examples/', p) ??
                   fileFor(path.resolve(repo, 'examples/web/surveys'), '/surveys/', p);
      if (!file) return res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      const headers = { 'Content-Type': type, 'Cache-Control': 'no-store' };
      // Every HTML page gets the strict policy of the issue (the widget must work under it),
      // unless the query says csp=0 (the XSS test: a payload must be inert without a CSP too).
      if (type.startsWith('text/html') && url.searchParams.get('csp') !== '0') headers['Content-Security-Policy'] = STRICT_CSP;
      res.writeHead(200, headers).end(readFileSync(file));
    } catch (e) {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    url: `http://127.0.0.1:${port}`,
    collector,
    surveys,
    close: () => new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

/**
 * Launches Debian's Chromium on a fresh profile. Returns {context, close()}. `options` are
 * context options that replace the defaults (a phone: viewport, isMobile, hasTouch, deviceScaleFactor).
 */
export async function launch(options = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cxm-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CXM_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 900, height: 900 },
    locale: 'en-US',
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Records console errors, uncaught exceptions and CSP violations of `page`. `allow(msg)` may
 * accept browser network logs that a test provokes on purpose (a collector told to answer 500
 * logs "Failed to load resource"); everything else counts.
 */
export function watch(page, { allow = () => false } = {}) {
  const errors = [];
  const allowed = [];
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'assert') return;
    const entry = { text: m.text(), url: m.location()?.url ?? '' };
    (allow(entry) ? allowed : errors).push(entry);
  });
  page.on('pageerror', (e) => errors.push({ text: `uncaught: ${e.message}`, url: '' }));
  return { errors, allowed };
}

/** A browser log line for a request to the collector (what a failing endpoint produces). */
export const collectorNetworkLog = (entry) =>
  /\/(collect|cx\/responses)\b/.test(entry.url + ' ' + entry.text) &&
  /Failed to load resource|net::ERR_|status of (500|429)/.test(entry.text);

export async function screenshot(page, name, options = {}) {
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  return file;
}

/** The URL of the test page with the widget configured by query parameters (see pages/widget-page.js). */
export function pageUrl(base, params = {}) {
  const q = new URLSearchParams({ src: '/surveys/after-onboarding.json', endpoint: '/collect', force: '1', ...params });
  for (const [k, v] of [...q]) if (v === 'undefined' || v === 'null') q.delete(k);
  return `${base}/pages/widget.html?${q}`;
}

/** Codes of cxm-error events that are reports, not failures to show the survey. */
const REPORTS = ['storage_unavailable', 'rejected', 'queue_overflow', 'expired', 'wasm_abort'];

/** Opens the page and waits until the widget rendered (cxm-ready); throws on a cxm-error that stops it. */
export async function openWidget(page, url) {
  await page.goto(url);
  await page.waitForFunction((reports) => window.cxmTest &&
    (window.cxmTest.ready || window.cxmTest.errors.some((e) => !reports.includes(e.code))), REPORTS);
  const errors = await page.evaluate((reports) => window.cxmTest.errors.filter((e) => !reports.includes(e.code)), REPORTS);
  if (errors.length) throw new Error(`widget error: ${JSON.stringify(errors)}`);
}

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sample definition as an object (to derive test variants from). */
export function sampleDefinition() {
  return JSON.parse(readFileSync(sampleSurvey, 'utf8'));
}
