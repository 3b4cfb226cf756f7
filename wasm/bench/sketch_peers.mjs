// SPDX-License-Identifier: MIT
// Side by side in one Node run, on the same seeded 1M lognormal durations (ms; median 2000,
// sigma 1.2; splitmix64 + Box-Muller, the same generator as bench/bm_sketch.cpp): cxm's wasm
// duration sketch (bulk, in place and per value) against @datadog/sketches-js (DDSketch, 1%
// relative accuracy), hdr-histogram-js (JS and WebAssembly, 3 significant digits), tdigest,
// and the OpenTelemetry JS SDK's exponential histogram at its default 160 buckets.
// Prints a markdown table: insert ns/value (best of --runs, default 5), relative error at
// p50/p90/p99/p99.9 against the exact sorted quantiles, serialized size, ratios to cxm.
//
//   cmake --preset wasm && cmake --build --preset wasm && (cd wasm && npm ci)
//   node wasm/bench/sketch_peers.mjs [--runs N] [--wasm-dir build/wasm/wasm]
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const runs = Number(arg('--runs', 5));
const wasmDir = path.resolve(arg('--wasm-dir', process.env.CXM_WASM_DIR ?? path.join(here, '../../build/wasm/wasm')));

const require = createRequire(import.meta.url);
const { loadCxm } = await import(pathToFileURL(path.join(wasmDir, 'cxm.mjs')).href);
const { DDSketch } = require('@datadog/sketches-js');
const hdr = require('hdr-histogram-js');
const { TDigest } = require('tdigest');
const otel = require('@opentelemetry/sdk-metrics');

const N = 1_000_000;
const QS = [0.5, 0.9, 0.99, 0.999];

function lognormalValues() {
  let state = 20260101n;
  const M = (1n << 64n) - 1n;
  const next = () => {
    state = (state + 0x9E3779B97F4A7C15n) & M;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & M;
    return z ^ (z >> 31n);
  };
  const out = new Float64Array(N);
  for (let i = 0; i < N; ++i) {
    const u1 = (Number(next() >> 11n) + 1) * 2 ** -53;
    const u2 = Number(next() >> 11n) * 2 ** -53;
    out[i] = 2000 * Math.exp(1.2 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
  }
  return out;
}

const values = lognormalValues();
const sorted = Float64Array.from(values).sort();
const exact = QS.map((q) => sorted[Math.floor(q * (N - 1))]);

/**
 * Times every contender: `runs` rounds, each running every contender once in turn (so a burst
 * of load on the shared machine hits all of them alike); the best round counts. Each entry:
 * {make, fill, dispose?}; returns [{nsPerValue, state}] with the state of the last round.
 */
function timeAll(contenders) {
  const out = contenders.map(() => ({ nsPerValue: Infinity, state: null }));
  for (let r = 0; r < runs; ++r) {
    contenders.forEach((c, k) => {
      if (out[k].state !== null && c.dispose) c.dispose(out[k].state);
      const s = c.make();
      const t0 = performance.now();
      c.fill(s);
      const t = performance.now() - t0;
      out[k].nsPerValue = Math.min(out[k].nsPerValue, (t * 1e6) / N);
      out[k].state = s;
    });
  }
  return out;
}

const rows = [];
function row(name, { nsPerValue, state }, quantile, bytes, note = '') {
  const errors = QS.map((q, i) => Math.abs(quantile(state, q) - exact[i]) / exact[i]);
  rows.push({ name, nsPerValue, errors, bytes: typeof bytes === 'function' ? bytes(state) : bytes, note });
  return state;
}

const cxm = await loadCxm();
await hdr.initWebAssembly();
const buf = cxm.allocDurations(N);
buf.view.set(values);
class Reader extends otel.MetricReader { async onForceFlush() {} async onShutdown() {} }
const sketch = { make: () => new cxm.DurationSketch(), dispose: (s) => s.dispose() };
const hdrOf = (useWebAssembly) => ({
  // HDR histograms store integers: record microseconds (so 3 significant digits apply to the value).
  make: () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 1e12, numberOfSignificantValueDigits: 3,
                          useWebAssembly }),
  fill: (h) => { for (let i = 0; i < N; ++i) h.recordValue(Math.round(values[i] * 1000)); },
  dispose: useWebAssembly ? (h) => h.destroy() : undefined,
});
const contenders = [
  { ...sketch, fill: (s) => s.recordBulk(values) },
  { ...sketch, fill: (s) => s.recordBulkInPlace(buf) },
  { ...sketch, fill: (s) => { for (let i = 0; i < N; ++i) s.record(values[i]); } },
  { make: () => new DDSketch({ relativeAccuracy: 0.01 }), fill: (s) => { for (let i = 0; i < N; ++i) s.accept(values[i]); } },
  hdrOf(false),
  hdrOf(true),
  { make: () => new TDigest(), fill: (t) => { for (let i = 0; i < N; ++i) t.push(values[i]); t.compress(); } },
  { make: () => {
      const reader = new Reader();
      const provider = new otel.MeterProvider({ readers: [reader], views: [{ instrumentName: 'd',
        aggregation: { type: otel.AggregationType.EXPONENTIAL_HISTOGRAM } }] });
      return { reader, h: provider.getMeter('m').createHistogram('d') };
    },
    fill: (o) => { for (let i = 0; i < N; ++i) o.h.record(values[i]); } },
];
const t = timeAll(contenders);
{
  const q = (s, p) => s.quantile(p);
  const size = (s) => s.encode().length;
  const bulk = row('cxm wasm sketch, recordBulk (copies a Float64Array in)', t[0], q, size);
  rows[rows.length - 1].note = `scale ${bulk.scale()}, ${bulk.buckets().counts.length} buckets, JSON ${bulk.toJson().length} B`;
  row('cxm wasm sketch, recordBulkInPlace (values already in wasm memory)', t[1], q, size);
  row('cxm wasm sketch, record(v) per value', t[2], q, size);
  buf.free();
}
row('@datadog/sketches-js DDSketch (1% accuracy)', t[3], (s, p) => s.getValueAtQuantile(p), (s) => s.toProto().length,
    'toProto()');
for (const [k, name] of [[4, 'JS'], [5, 'WebAssembly']])
  row(`hdr-histogram-js ${name} (3 digits, µs)`, t[k], (h, p) => h.getValueAtPercentile(p * 100) / 1000,
      (h) => Math.ceil(hdr.encodeIntoCompressedBase64(h).length * 3 / 4), 'compressed, base64-decoded size');
row('tdigest (default compression)', t[6], (d, p) => d.percentile(p), (d) => JSON.stringify(d.toArray()).length,
    'JSON of toArray()');
{
  const { resourceMetrics } = await t[7].state.reader.collect();
  const dp = resourceMetrics.scopeMetrics[0].metrics[0].dataPoints[0].value;
  const scale = dp.scale;
  // quantiles from the exported buckets, with the same estimator as cxm (2LU/(L+U) of the rank's bucket)
  const q = (_, p) => {
    const rank = Math.floor(p * (dp.count - 1));
    let seen = dp.zeroCount;
    const b = 2 ** (2 ** -scale);
    for (let i = 0; i < dp.positive.bucketCounts.length; ++i) {
      seen += dp.positive.bucketCounts[i];
      if (seen > rank) {
        const L = b ** (dp.positive.offset + i), U = L * b;
        return Math.min(dp.max, Math.max(dp.min, 2 * L * U / (L + U)));
      }
    }
    return dp.max;
  };
  row('OpenTelemetry JS ExponentialHistogram (default 160 buckets)', t[7], q,
      `${dp.positive.bucketCounts.length} buckets`, `ends at scale ${scale}; quantiles from its buckets`);
}

const base = rows[0];
const pct = (x) => `${(x * 100).toFixed(x < 0.001 ? 3 : 2)}%`;
console.log(`Node ${process.versions.node} (V8 ${process.versions.v8}), ${N.toLocaleString('en')} lognormal values, best of ${runs}\n`);
console.log('| code | insert ns/value | vs cxm bulk | p50 err | p90 err | p99 err | p99.9 err | max err | serialized | vs cxm | notes |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  const maxErr = Math.max(...r.errors);
  const bytes = typeof r.bytes === 'number' ? `${r.bytes} B` : r.bytes;
  const bytesRatio = typeof r.bytes === 'number' ? `${(r.bytes / base.bytes).toFixed(2)}x` : '';
  console.log(`| ${r.name} | ${r.nsPerValue.toFixed(2)} | ${(r.nsPerValue / base.nsPerValue).toFixed(2)}x | ` +
              `${r.errors.map(pct).join(' | ')} | ${pct(maxErr)} | ${bytes} | ${bytesRatio} | ${r.note} |`);
}
