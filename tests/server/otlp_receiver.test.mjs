// SPDX-License-Identifier: MIT
// cxm serve's OTLP push (--otlp-endpoint) against a receiver on loopback that decodes each
// request with the OpenTelemetry JS packages (the ExportMetricsServiceRequest protobuf code
// that @opentelemetry/otlp-transformer 0.200 generated: fromObject over the JSON, then encode
// and decode, so every field is the proto's), and checks the pushed numbers against cxm's own:
// GET /v1/report's merged snapshot sketches and answer tallies. The receiver first answers 503
// with Retry-After (the push must wait that long), then 200. At SIGTERM a last push arrives.
// Run by CTest (default preset) with CXM_BIN, the cxm tool.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(repo, 'wasm/package.json'));
const root = require('@opentelemetry/otlp-request-decoder/build/src/generated/root.js');
const Request = root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
const bin = process.env.CXM_BIN;

// The names the push uses (docs/scale.md): the Prometheus family names with '_' as '.', the
// unit suffix and '_total' taken off, the unit in `unit`.
const DURATION = 'cxm.step.duration';
const NPS = 'cxm.nps.answers';

/** Decodes a request body as an OTLP receiver would, through the OpenTelemetry proto code. */
function decode(json) {
  const err = checkKnownFields(json);
  assert.equal(err, null, err ?? '');
  const message = Request.fromObject(json);
  const again = Request.decode(Request.encode(message).finish());
  return Request.toObject(again, { longs: String, enums: Number, defaults: false, arrays: true });
}

/** Every key of the JSON is a field of the proto (fromObject would drop unknown ones silently). */
function checkKnownFields(json) {
  const known = Request.toObject(Request.fromObject(json), { longs: String, enums: Number, defaults: true, arrays: true });
  const walk = (a, b, where) => {
    if (Array.isArray(a)) {
      for (let i = 0; i < a.length; ++i) { const e = walk(a[i], b?.[i], `${where}[${i}]`); if (e) return e; }
      return null;
    }
    if (a && typeof a === 'object') {
      for (const k of Object.keys(a)) {
        if (!b || !(k in b)) return `${where}.${k} is not a field of ExportMetricsServiceRequest`;
        const e = walk(a[k], b[k], `${where}.${k}`);
        if (e) return e;
      }
    }
    return null;
  };
  return walk(json, known, 'request');
}

/** The receiver: scripted replies (then 200), every request decoded and kept with its time. */
function receiver(script) {
  const got = [];
  const waiters = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let raw = Buffer.concat(chunks);
      const entry = { at: Date.now(), headers: req.headers, url: req.url };
      try {
        if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        entry.json = JSON.parse(raw.toString('utf8'));
        entry.decoded = decode(entry.json);
      } catch (e) {
        entry.error = String(e?.message ?? e);
      }
      got.push(entry);
      const reply = script.shift() ?? { status: 200, body: '{}' };
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...(reply.headers ?? {}) });
      res.end(reply.body ?? '{}');
      for (const w of waiters.splice(0)) w();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    server, got, port: server.address().port,
    /** Resolves with the first request for which pred is true (waiting up to ms). */
    async until(pred, ms = 20000) {
      const end = Date.now() + ms;
      for (;;) {
        const hit = got.find(pred);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no matching push in ${ms} ms (${got.length} received)`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 200); });
      }
    },
  })));
}

/** Starts cxm serve; resolves with {proc, port, stop()}. */
function serve(args) {
  const proc = spawn(bin, ['serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`cxm serve did not start: ${out}${err}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) { clearTimeout(t); resolve({ proc, port: Number(m[1]), stderr: () => err }); }
    });
    proc.on('exit', (code) => reject(new Error(`cxm serve exited ${code}: ${out}${err}`)));
  });
}

async function post(port, target, body) {
  const r = await fetch(`http://127.0.0.1:${port}${target}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text);
}

// Durations at scale 0 (bucket i is (2^i, 2^(i+1)] ms), so the expected buckets are plain.
function sketch(values) {
  const counts = new Map();
  let sum = 0;
  for (const v of values) { const i = Math.ceil(Math.log2(v)) - 1; counts.set(i, (counts.get(i) ?? 0) + 1); sum += v; }
  const lo = Math.min(...counts.keys());
  const hi = Math.max(...counts.keys());
  return {
    format: 'cxm.duration_sketch', version: 1, scale: 0, max_buckets: 160, zero_threshold: 0,
    count: values.length, sum, min: Math.min(...values), max: Math.max(...values), zero_count: 0,
    positive: { offset: lo, counts: Array.from({ length: hi - lo + 1 }, (_, k) => counts.get(lo + k) ?? 0) },
    rejected: { out_of_range: 0, not_finite: 0 },
  };
}
const snapshot = (steps) => ({ format: 'cxm.recorder_snapshot', version: 1,
  metrics: Object.entries(steps).map(([name, values]) => ({ name, kind: 'duration', value: sketch(values) })) });
const batch = (source, aggregates) => JSON.stringify({ format: 'cxm.batch', version: 1, batch: `b-${source}`, source,
  sent_at: '2026-12-03T10:00:00.000Z', aggregates });
const response = (id, nps, channel) => ({ id, survey_id: 'after-onboarding', survey_version: 3, channel,
  timestamp: '2026-12-03T10:00:00Z', answers: { nps } });

let dir;
let rx;
let cxm;
before(async () => {
  assert.ok(bin, 'CXM_BIN names the cxm tool');
  dir = mkdtempSync(path.join(tmpdir(), 'cxm-otlp-'));
  mkdirSync(path.join(dir, 'surveys'));
  copyFileSync(path.join(repo, 'examples/web/surveys/after-onboarding.json'), path.join(dir, 'surveys/after-onboarding.json'));
  rx = await receiver([{ status: 503, headers: { 'Retry-After': '1' }, body: '{"code":14,"message":"busy"}' }]);
  cxm = await serve(['--surveys', path.join(dir, 'surveys'), '--store', `sqlite:${path.join(dir, 'cxm.db')}`,
    '--listen', '127.0.0.1:0', '--access-log', path.join(dir, 'log.jsonl'),
    '--otlp-endpoint', `http://127.0.0.1:${rx.port}/v1/metrics`, '--otlp-interval', '0.2',
    '--otlp-header', 'Authorization=Bearer otlp-test-token']);
});
after(async () => {
  if (cxm && cxm.proc.exitCode === null) cxm.proc.kill('SIGKILL');
  await new Promise((r) => rx?.server.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the push carries cxm\'s numbers, decoded by the OpenTelemetry proto code', async () => {
  const a = { card_delivery: [3, 5, 6, 100], kyc: [1500, 2500] };
  const b = { card_delivery: [7, 900, 1000], kyc: [40000] };
  await post(cxm.port, '/v1/aggregates', batch('app-1', [{ id: 's1', captured_at: '2026-12-03T10:00:00.000Z', snapshot: snapshot(a) }]));
  await post(cxm.port, '/v1/aggregates', batch('app-2', [{ id: 's1', captured_at: '2026-12-03T10:00:01.000Z', snapshot: snapshot(b) }]));
  const body = JSON.stringify({ responses: [response('r1', 10, 'web'), response('r2', 3, 'web'), response('r3', 9, 'app'), response('r4', 9, 'app')] });
  await post(cxm.port, '/v1/responses', body);

  // cxm's own numbers: the merged sketches and the answer tallies of GET /v1/report.
  const report = await (await fetch(`http://127.0.0.1:${cxm.port}/v1/report?by=channel`)).json();
  const merged = Object.fromEntries(report.aggregates.metrics.map((m) => [m.name, m.value]));
  assert.equal(merged.card_delivery.count, 7);

  const countOf = (req, step) => req.decoded?.resourceMetrics?.flatMap((r) => r.scopeMetrics).flatMap((s) => s.metrics)
    .find((m) => m.name === DURATION)?.exponentialHistogram?.dataPoints
    .find((p) => p.attributes.some((kv) => kv.key === 'step' && kv.value.stringValue === step))?.count;
  const push = await rx.until((r) => countOf(r, 'card_delivery') === '7' && countOf(r, 'kyc') === '3');
  assert.equal(push.error, undefined, push.error);
  assert.equal(push.url, '/v1/metrics');
  assert.equal(push.headers['content-type'], 'application/json');
  assert.equal(push.headers['content-encoding'], 'gzip');
  assert.equal(push.headers.authorization, 'Bearer otlp-test-token');

  const rm = push.decoded.resourceMetrics;
  assert.equal(rm.length, 1);
  const resource = Object.fromEntries(rm[0].resource.attributes.map((kv) => [kv.key, kv.value.stringValue]));
  assert.equal(resource['service.name'], 'cxm-serve');
  assert.ok(resource['service.instance.id'], 'each instance names itself');
  const metrics = rm[0].scopeMetrics.flatMap((s) => s.metrics);
  const durations = metrics.find((m) => m.name === DURATION);
  assert.equal(durations.unit, 'ms');
  assert.equal(durations.exponentialHistogram.aggregationTemporality, 2, 'cumulative');
  for (const [step, want] of Object.entries(merged)) {
    const p = durations.exponentialHistogram.dataPoints.find((d) => d.attributes.some((kv) => kv.key === 'step' && kv.value.stringValue === step));
    assert.ok(p, step);
    assert.equal(Number(p.count), want.count, step);
    assert.equal(p.sum, want.sum, step);
    assert.equal(p.scale, want.scale, step);
    assert.equal(Number(p.zeroCount ?? 0), want.zero_count, step);
    // The sketch's buckets, as they are: same offset, same counts (trailing zeros aside).
    const counts = (p.positive?.bucketCounts ?? []).map(Number);
    const trim = (xs) => { const c = [...xs]; while (c.length && c[c.length - 1] === 0) c.pop(); return c; };
    assert.equal(p.positive.offset ?? 0, want.positive.offset, step);
    assert.deepEqual(trim(counts), trim(want.positive.counts), step);
    assert.ok(BigInt(p.startTimeUnixNano) <= BigInt(p.timeUnixNano));
  }

  // NPS answer counts: by value, summing per category to the report's promoters and detractors.
  const nps = metrics.find((m) => m.name === NPS);
  assert.ok(nps.sum.isMonotonic);
  assert.equal(nps.sum.aggregationTemporality, 2);
  const byValue = {};
  for (const p of nps.sum.dataPoints) {
    const attrs = Object.fromEntries(p.attributes.map((kv) => [kv.key, kv.value.stringValue ?? kv.value.intValue]));
    assert.equal(attrs.survey, 'after-onboarding');
    byValue[attrs.value] = (byValue[attrs.value] ?? 0) + Number(p.asInt);
  }
  const q = report.questions.find((x) => x.id === 'nps');
  const sum = (vals) => vals.reduce((s, v) => s + (byValue[v] ?? 0), 0);
  assert.equal(sum(['9', '10']), q.promoters);
  assert.equal(sum(['7', '8']), q.passives);
  assert.equal(sum(['0', '1', '2', '3', '4', '5', '6']), q.detractors);
});

test('a 503 with Retry-After is waited out, then the push goes on at its interval', async () => {
  await rx.until(() => rx.got.length >= 2);
  const [first, second] = rx.got;
  assert.ok(second.at - first.at >= 950, `retried after ${second.at - first.at} ms, asked 1000`);
  // The receiver records a request before it answers: the pusher counts the answer just after.
  let health;
  for (const end = Date.now() + 10000; Date.now() < end;) {
    health = await (await fetch(`http://127.0.0.1:${cxm.port}/healthz`)).json();
    if (health.otlp.delivered >= 1) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(health.otlp.delivered >= 1, JSON.stringify(health.otlp));
  assert.ok(health.otlp.retries >= 1);
  assert.equal(health.otlp.dropped, 0);
});

test('SIGTERM sends the last state once more and exits 0', async () => {
  const before = rx.got.length;
  const exited = new Promise((r) => cxm.proc.on('exit', (code) => r(code)));
  cxm.proc.kill('SIGTERM');
  assert.equal(await exited, 0, cxm.stderr());
  assert.ok(rx.got.length > before, 'a push at shutdown');
  assert.equal(rx.got[rx.got.length - 1].error, undefined);
});
