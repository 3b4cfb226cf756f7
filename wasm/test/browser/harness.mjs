// SPDX-License-Identifier: MIT
// The browser suite's harness: a test server on 127.0.0.1 (random port) that serves the wasm
// build output, the examples and the test pages, and records what its collector receives (and
// can be told to fail); a real `cxm serve` process, and a proxy in front of it that can be told
// to fail the same way; Chromium through playwright-core on a fresh profile; console watching.
import http from 'node:http';
import { mkdtempSync, rmSync, mkdirSync, readFileSync, statSync, existsSync, copyFileSync, writeFileSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
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
// The widget's URL, the same on the test server and on `cxm serve` (the wasm build under /cxm/).
export const WIDGET = '/cxm/widget/cxm-survey.js';

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
 * The collector: POST /collect (and /v1/responses, the demo's, as on `cxm serve`) with {"responses":[...]}.
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
      if (p === '/collect' || p === '/v1/responses') {
        if (req.method !== 'POST') return res.writeHead(405).end();
        return await collector.handle(req, res);
      }
      if (p === '/favicon.ico') return res.writeHead(204).end();
      if (p.startsWith('/surveys/') && surveys.has(p.slice(9))) {
        return res.writeHead(200, { 'Content-Type': TYPES['.json'], 'Cache-Control': 'no-store' }).end(surveys.get(p.slice(9)));
      }
      // The demo page (examples/web/index.html) loads the widget from /cxm/, as `cxm serve` maps it.
      const file = fileFor(path.resolve(wasmDir), '/cxm/', p) ??
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

// --- a real `cxm serve` ---------------------------------------------------------------------

export const serveBin = process.env.CXM_SERVE_BIN ?? path.join(repo, 'build/default/examples/cxm');
const running = new Set();
process.on('exit', () => { for (const p of running) p.kill('SIGKILL'); });

/**
 * The test pages (pages/) as a `cxm serve --demo` directory: widget.html is also index.html
 * (the server wants one), so the page is /widget.html and /. A fresh temp dir; rm when done.
 */
export function servePages() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cxm-pages-'));
  for (const f of readdirSync(pagesDir)) copyFileSync(path.join(pagesDir, f), path.join(dir, f));
  copyFileSync(path.join(pagesDir, 'widget.html'), path.join(dir, 'index.html'));
  return dir;
}

/**
 * Starts `cxm serve` (CXM_SERVE_BIN, else build/default/examples/cxm) on 127.0.0.1, port 0, with
 * the sample surveys, the wasm build under /cxm/, `demo` at / (default examples/web) and a
 * SQLite store in a fresh temp dir; `config` (an object) is written as its --config file.
 * Resolves once it printed "listening on". Returns {url, dir, accessLog, health(), report(query),
 * stop(), kill()}. Fails when the binary is missing: these tests never skip.
 */
export async function startCxmServe({ demo = path.join(repo, 'examples/web'), config = null, args = [] } = {}) {
  if (!existsSync(serveBin)) {
    throw new Error(`cxm serve: no binary at ${serveBin}; build it with ` +
                    '`cmake --preset default && cmake --build --preset default --target cxm_cli` or set CXM_SERVE_BIN');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cxm-serve-'));
  const accessLog = path.join(dir, 'access.log');
  const argv = ['serve', '--listen', '127.0.0.1:0', '--surveys', path.join(repo, 'examples/web/surveys'),
    '--widget', wasmDir, '--demo', demo, '--store', `sqlite:${path.join(dir, 'cxm.db')}`, '--access-log', accessLog, ...args];
  if (config) {
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    argv.push('--config', path.join(dir, 'config.json'));
  }
  const proc = spawn(serveBin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => { running.delete(proc); resolve({ code, signal }); }));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('cxm serve: no "listening on" line within 15 s')), 15e3);
    const fail = (e) => { clearTimeout(timer); proc.kill('SIGKILL'); reject(new Error(`${e.message}\nstdout: ${out}\nstderr: ${err}`)); };
    proc.on('error', fail);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code, signal }) => fail(new Error(`cxm serve exited (${code ?? signal}) before listening`)));
  });
  const getJson = async (p) => {
    const res = await fetch(url + p);
    const body = await res.text();
    if (!res.ok) throw new Error(`GET ${p}: HTTP ${res.status} ${body}`);
    return JSON.parse(body);
  };
  let stopped = null;
  return {
    url, dir, accessLog, process: proc,
    stderr: () => err,
    health: () => getJson('/healthz'),
    report: (query = 'survey=after-onboarding') => getJson(`/v1/report?${query}`),
    /** SIGTERM and wait (15 s, then SIGKILL and reject); rejects unless it exits with status 0. */
    stop() {
      stopped ??= (async () => {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15e3);
        const { code, signal } = await exited;
        clearTimeout(timer);
        if (code !== 0) throw new Error(`cxm serve stopped with ${code ?? signal}; stderr: ${err}`);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
    /** SIGKILL (a failed test: no graceful stop needed); keeps the temp dir for a look. */
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * A proxy on 127.0.0.1 in front of `upstream` (a `cxm serve` URL) that passes everything through
 * (the Host header too, so the server's same-origin check sees the page's origin) and can fail
 * POST /v1/responses as the test collector does: mode and failNext(n, how) with how = 500 | 429
 * (answered by the proxy, Retry-After: 0) | 'drop' (connection closed, nothing forwarded) |
 * 'lost' (forwarded and stored, then the connection closed before the answer: a duplicate
 * later). It records each POST ({ids, how, status, start, end}), the server's verdicts per id
 * (`verdicts`: id -> ['accepted', 'duplicate', ...]) and ids seen in two requests at once.
 */
export async function startFaultProxy(upstream) {
  const target = new URL(upstream);
  const state = {
    requests: [], verdicts: new Map(), concurrent: [], mode: 'ok', delayMs: 0, fails: [],
    failNext(n, how) { for (let i = 0; i < n; i++) this.fails.push(how); },
    clearFailures() { this.fails = []; },
    count(verdict) { let n = 0; for (const v of this.verdicts.values()) n += v.filter((x) => x === verdict).length; return n; },
  };
  const active = new Map();
  const forward = (req, body) => new Promise((resolve, reject) => {
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
    up.on('error', reject);
    up.end(body);
  });
  const server = http.createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks);
      if (req.method !== 'POST' || new URL(req.url, 'http://x').pathname !== '/v1/responses') {
        const r = await forward(req, body);
        return res.writeHead(r.status, r.headers).end(r.body);
      }
      const how = state.fails.length ? state.fails.shift() : state.mode;
      let ids = [];
      try { ids = JSON.parse(body.toString('utf8')).responses.map((x) => x.id); } catch { /* the server says why */ }
      const entry = { ids, how, status: how, start: Date.now(), end: 0 };
      state.requests.push(entry);
      if (how === 'drop') return req.socket.destroy();
      for (const id of ids) {
        const n = active.get(id) ?? [];
        if (n.length > 0) state.concurrent.push({ id, first: n[0], second: entry });
        active.set(id, [...n, entry]);
      }
      try {
        if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
        if (typeof how === 'number') {
          entry.status = how;
          return res.writeHead(how, { 'Content-Type': 'application/json', 'Retry-After': '0' }).end('{}');
        }
        const r = await forward(req, body);
        entry.status = r.status;
        if (r.status === 200) {
          for (const v of JSON.parse(r.body.toString('utf8')).records) {
            state.verdicts.set(v.id, [...(state.verdicts.get(v.id) ?? []), v.verdict]);
          }
        }
        if (how === 'lost') return req.socket.destroy();
        res.writeHead(r.status, r.headers).end(r.body);
      } finally {
        entry.end = Date.now();
        for (const id of ids) {
          const n = active.get(id).filter((x) => x !== entry);
          if (n.length) active.set(id, n); else active.delete(id);
        }
      }
    } catch (e) {
      if (!res.headersSent) res.writeHead(502).end(String(e));
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    state,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** Polls fn() (async) until pred(value) holds; returns the value, or throws after timeoutMs with the last one. */
export async function pollUntil(fn, pred, { timeoutMs = 20e3, everyMs = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (pred(last)) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
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
/** Before any script of the page runs: CSP violations gather in window.__violations and
 * alert() calls (an injected script's usual proof) in window.__alerts. */
export async function recordViolations(page) {
  await page.addInitScript(() => {
    window.__violations = [];
    window.__alerts = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.alert = (x) => window.__alerts.push(String(x));
  });
}

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
  /\/(collect|v1\/responses)\b/.test(entry.url + ' ' + entry.text) &&
  /Failed to load resource|net::ERR_|status of (500|429)/.test(entry.text);

/**
 * Chromium asks every origin for /favicon.ico; `cxm serve` has none and answers 404, which the
 * browser logs as an error. Pages served by it may allow that one line (the strict CSP refuses a
 * data: icon, and the demo directory serves only .html, .css and .js).
 */
export const faviconNotFound = (entry) => /\/favicon\.ico$/.test(entry.url) && /status of 404/.test(entry.text);

export async function screenshot(page, name, options = {}) {
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  return file;
}

/**
 * The URL of the test page with the widget configured by query parameters (see pages/widget-page.js).
 * `page`: where the server serves widget.html (`cxm serve` with servePages(): /widget.html).
 */
export function pageUrl(base, params = {}, page = '/pages/widget.html') {
  const q = new URLSearchParams({ src: '/surveys/after-onboarding.json', endpoint: '/collect', force: '1', ...params });
  for (const [k, v] of [...q]) if (v === 'undefined' || v === 'null') q.delete(k);
  return `${base}${page}?${q}`;
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
