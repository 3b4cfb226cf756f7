// SPDX-License-Identifier: MIT
// Cross-check against the OpenTelemetry JS SDK (npm @opentelemetry/sdk-metrics and
// @opentelemetry/otlp-transformer, devDependencies: run `npm ci` in wasm/ first).
//
// 1. Bucket indices. For every value of a seeded set (>= 1 M values per scale: lognormal
//    durations, doubles uniform over the whole normal range, every power of two and its
//    neighbours, values a few ulps from bucket boundaries, the float limits and subnormals),
//    our index (DurationSketch.bucketIndices: the sketch's own log_mapping) must EQUAL the index
//    of the SDK's mapping (getMapping(scale): ExponentMapping for scale <= 0, LogarithmMapping
//    above; not exported by the package index, so imported from its build path) — with two
//    known, documented exceptions, each checked exactly rather than skipped:
//    a. Subnormal values (< 2^-1022): the JS SDK maps every one of them to the bucket of
//       2^-1022 (the spec allows it); we index them exactly. Checked: JS gives that bucket.
//    b. LogarithmMapping (scales > 0) computes floor(ln(v) * 2^s / ln 2) in doubles, which can
//       be off by one for values within rounding distance of a boundary (the spec allows it;
//       cxm's mapping is exact, see log_mapping.hpp). Checked: |difference| = 1, and the
//       boundary between the two indices lies within relative distance
//       eps = 4 * 2^-52 * max(1, |ln v|) of v (the error bound of ln(v) plus the product),
//       i.e. our exact index of v * (1 +- eps) is the JS index.
//    Anything else is a failure. Counts are printed as test diagnostics.
// 2. The same values recorded by the SDK's ExponentialHistogram aggregator (MeterProvider +
//    MetricReader) and by our sketch give the same scale, offset, bucket counts, count, sum,
//    min and max.
// 3. Our OTLP/JSON (toOtlpJson) is rebuilt as the SDK's ResourceMetrics and serialized again
//    by otlp-transformer's JsonMetricsSerializer: the result equals ours (OTel JS writes 64-bit
//    integers as JSON numbers, we write the canonical strings; both are valid proto3 JSON, so
//    they are compared as numbers), and equals the SDK's own export of the same histogram;
//    ProtobufMetricsSerializer encodes it too. (otlp-transformer 0.2xx ships hand-written
//    protobuf writers but no request decoder, so the protobuf check is that it encodes.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { api, mulberry32 } from './helpers.mjs';

const require = createRequire(import.meta.url);
const metrics = require('@opentelemetry/sdk-metrics');
const { getMapping } = require('@opentelemetry/sdk-metrics/build/src/aggregator/exponential-histogram/mapping/getMapping');
const { JsonMetricsSerializer, ProtobufMetricsSerializer } = require('@opentelemetry/otlp-transformer');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const { DurationSketch } = api;
const MIN_NORMAL = 2 ** -1022;
const SCALES = [-10, -2, -1, 0, 1, 3, 6, 10, 11, 14, 20];

// ---- bit-level helpers ----
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const fromBits = (b) => { u64[0] = b; return f64[0]; };
const toBits = (x) => { f64[0] = x; return u64[0]; };
const nextUp = (x, k = 1) => fromBits(toBits(x) + BigInt(k));
const nextDown = (x, k = 1) => fromBits(toBits(x) - BigInt(k));

/** The seeded values shared by all scales (about 1.1 M). */
function commonValues() {
  const rand = mulberry32(20260101);
  const out = [];
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  for (let i = 0; i < 400_000; ++i) out.push(2000 * Math.exp(1.2 * normal()));  // durations in ms
  for (let i = 0; i < 300_000; ++i) out.push(Math.exp(40 * normal()));             // e^±200 and beyond
  for (let i = 0; i < 400_000; ++i) {  // uniform over the bit patterns of positive normal doubles
    const exp = 1n + BigInt(Math.floor(rand() * 2046));
    const mant = (BigInt(Math.floor(rand() * 2 ** 26)) << 26n) | BigInt(Math.floor(rand() * 2 ** 26));
    out.push(fromBits((exp << 52n) | mant));
  }
  for (let e = -1074; e <= 1023; ++e) {  // every power of two and its neighbours
    const p = 2 ** e;
    out.push(p, nextUp(p));
    if (e > -1074) out.push(nextDown(p));
  }
  // the float limits
  for (let k = 0; k < 16; ++k) out.push(nextDown(Number.MAX_VALUE, k), nextUp(MIN_NORMAL, k), nextDown(MIN_NORMAL, k + 1));
  for (let k = 1; k <= 64; ++k) out.push(fromBits(BigInt(k)), fromBits(BigInt(rand() * 2 ** 52)));  // subnormals
  out.push(Number.MIN_VALUE, 1, 2, 0.5, 1000, 60000);
  return out;
}

/** Values within a few ulps of the bucket boundaries 2^(i/2^s) of scale s > 0 (20 k boundaries). */
function boundaryValues(scale, seed) {
  const rand = mulberry32(seed);
  const out = [];
  const perOctave = 2 ** scale;
  for (let k = 0; k < 20_000; ++k) {
    // half of them in a duration-like range, half anywhere in the normal range
    const octave = k % 2 === 0 ? Math.floor(rand() * 40) - 10 : Math.floor(rand() * 2044) - 1021;
    const i = octave * perOctave + Math.floor(rand() * perOctave);
    const b = 2 ** (i / perOctave);
    if (!(b > MIN_NORMAL && b < Number.MAX_VALUE / 2)) continue;
    for (let d = -3; d <= 3; ++d) out.push(d < 0 ? nextDown(b, -d) : nextUp(b, d));
  }
  return out;
}

const common = commonValues();

test('bucket indices equal OpenTelemetry JS for >= 1M seeded values at every scale tested', (t) => {
  let compared = 0;
  const report = [];
  for (const scale of SCALES) {
    const values = Float64Array.from(scale > 0 ? common.concat(boundaryValues(scale, 1000 + scale)) : common);
    const ours = DurationSketch.bucketIndices(values, scale);
    const mapping = getMapping(scale);
    const jsMinNormal = mapping.mapToIndex(MIN_NORMAL);
    assert.equal(jsMinNormal, DurationSketch.bucketIndex(MIN_NORMAL, scale), '2^-1022 itself agrees');
    let equal = 0, subnormal = 0, subnormalDiffer = 0, nearBoundary = 0, maxUlps = 0;
    const bad = [];
    for (let i = 0; i < values.length; ++i) {
      const v = values[i];
      const js = mapping.mapToIndex(v);
      if (v < MIN_NORMAL) {
        // (a) the JS SDK lumps subnormals into the bucket of 2^-1022
        ++subnormal;
        if (js !== jsMinNormal) bad.push(`subnormal ${v}: JS ${js}, expected the bucket of 2^-1022 ${jsMinNormal}`);
        if (js !== ours[i]) ++subnormalDiffer;
        continue;
      }
      if (js === ours[i]) { ++equal; continue; }
      // (b) the bare logarithm formula next to a boundary
      const eps = 4 * 2 ** -52 * Math.max(1, Math.abs(Math.log(v)));
      const probe = js > ours[i] ? v * (1 + eps) : v * (1 - eps);
      if (scale > 0 && Math.abs(js - ours[i]) === 1 && DurationSketch.bucketIndex(probe, scale) === js) {
        ++nearBoundary;
        // distance to the boundary in ulps: step until our index changes
        let k = 0, w = v;
        while (DurationSketch.bucketIndex(w, scale) === ours[i] && k < 100000) { w = js > ours[i] ? nextUp(w) : nextDown(w); ++k; }
        maxUlps = Math.max(maxUlps, k);
        continue;
      }
      bad.push(`scale ${scale}: value ${v} (bits ${toBits(v).toString(16)}): ours ${ours[i]}, OpenTelemetry JS ${js}`);
    }
    compared += values.length;
    report.push(`scale ${scale}: ${values.length} values, ${equal} equal, ${subnormal} subnormal (JS: all in the ` +
                `2^-1022 bucket; ${subnormalDiffer} differ from the exact index), ${nearBoundary} off by one next ` +
                `to a boundary (JS logarithm; at most ${maxUlps} ulps from it)`);
    assert.deepEqual(bad.slice(0, 10), [], `unexplained differences at scale ${scale} (${bad.length})`);
    if (scale <= 0) assert.equal(nearBoundary, 0, 'ExponentMapping is exact: no boundary differences');
    assert.ok(values.length >= 1_000_000);
  }
  for (const line of report) t.diagnostic(line);
  t.diagnostic(`${compared} (value, scale) pairs compared`);
});

/** Records `values` in the SDK's exponential histogram and returns the collected ResourceMetrics. */
async function otelHistogram(values, maxSize) {
  class Reader extends metrics.MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const reader = new Reader();
  const provider = new metrics.MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'cxm-crosscheck' }),
    readers: [reader],
    views: [{ instrumentName: 'duration', aggregation: {
      type: metrics.AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize, recordMinMax: true } } }],
  });
  const h = provider.getMeter('cxm').createHistogram('duration', { unit: 'ms' });
  for (const v of values) h.record(v, { step: 'card_ordered' });
  const { resourceMetrics, errors } = await reader.collect();
  assert.deepEqual(errors, []);
  await provider.shutdown();
  return resourceMetrics;
}

function lognormal(n, seed) {
  const rand = mulberry32(seed);
  return Float64Array.from({ length: n }, () =>
    2000 * Math.exp(1.2 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())));
}

test('the SDK aggregator and our sketch build the same histogram from the same values', async () => {
  const values = lognormal(200_000, 9);
  // The SDK has no scale option: it starts at scale 20 and halves the resolution until the
  // values fit in maxSize buckets. So does our sketch from scale 20 with that budget.
  for (const maxSize of [160, 1600, 4000, 65536]) {
    const rm = await otelHistogram(values, maxSize);
    const dp = rm.scopeMetrics[0].metrics[0].dataPoints[0].value;
    const s = new DurationSketch({ scale: 20, maxBuckets: maxSize });
    s.recordBulk(values);
    const b = s.buckets();
    assert.equal(dp.scale, s.scale(), `maxSize ${maxSize}`);
    assert.equal(dp.positive.offset, b.offset);
    assert.deepEqual(dp.positive.bucketCounts, b.counts);
    assert.deepEqual([dp.count, dp.sum, dp.min, dp.max, dp.zeroCount], [s.count(), s.sum(), s.min(), s.max(), s.zeroCount()]);
    s.dispose();
  }
});

/** Our OTLP/JSON point as the SDK's ResourceMetrics (what an exporter receives). */
function toResourceMetrics(req) {
  const rm = req.resourceMetrics[0];
  const sm = rm.scopeMetrics[0];
  const m = sm.metrics[0];
  const p = m.exponentialHistogram.dataPoints[0];
  const hr = (ns) => [Number(BigInt(ns) / 1000000000n), Number(BigInt(ns) % 1000000000n)];
  const attrValue = (v) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.doubleValue ?? v.boolValue);
  return {
    resource: resourceFromAttributes(Object.fromEntries(rm.resource.attributes.map((a) => [a.key, attrValue(a.value)]))),
    scopeMetrics: [{
      scope: sm.scope,
      metrics: [{
        descriptor: { name: m.name, description: m.description ?? '', unit: m.unit, valueType: 1 },
        aggregationTemporality: metrics.AggregationTemporality.CUMULATIVE,
        dataPointType: metrics.DataPointType.EXPONENTIAL_HISTOGRAM,
        dataPoints: [{
          attributes: Object.fromEntries(p.attributes.map((a) => [a.key, attrValue(a.value)])),
          startTime: hr(p.startTimeUnixNano),
          endTime: hr(p.timeUnixNano),
          value: {
            count: Number(p.count), sum: p.sum, min: p.min, max: p.max, scale: p.scale, zeroCount: Number(p.zeroCount),
            positive: { offset: p.positive.offset, bucketCounts: p.positive.bucketCounts.map(Number) },
            negative: { offset: 0, bucketCounts: [] },
          },
        }],
      }],
    }],
  };
}

/** proto3 JSON allows int64 as strings or numbers: compare numbers. Drops fields OTel JS adds with default values. */
function normalize(x) {
  if (Array.isArray(x)) return x.map(normalize);
  if (x && typeof x === 'object') {
    const o = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'negative' || k === 'droppedAttributesCount' || k === 'exemplars' || k === 'flags' ||
          k === 'schemaUrl' || k === 'zeroThreshold' || (k === 'description' && v === '')) continue;
      o[k] = normalize(v);
    }
    return o;
  }
  if (typeof x === 'string' && /^-?[0-9]+$/.test(x)) return Number(x);
  return x;
}

test('our OTLP/JSON survives a round trip through otlp-transformer and matches the SDK export', async () => {
  const values = lognormal(100_000, 11);
  const s = new DurationSketch({ scale: 20, maxBuckets: 1600 });
  s.recordBulk(values);
  s.record(0);
  const ours = JSON.parse(s.toOtlpJson({ name: 'duration', unit: 'ms', attributes: { step: 'card_ordered', attempt: 2 },
                                         startTime: 1700000000123456789n, time: '1700000060987654321' }));
  const rebuilt = toResourceMetrics(ours);
  const again = JSON.parse(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(rebuilt)));
  // The resource (we wrote none) and the scope version aside, the transformer writes our request back.
  const strip = (req) => { const r = normalize(req); delete r.resourceMetrics[0].resource; delete r.resourceMetrics[0].scopeMetrics[0].scope; return r; };
  assert.deepEqual(strip(again), strip(ours));
  const proto = ProtobufMetricsSerializer.serializeRequest(rebuilt);
  assert.ok(proto instanceof Uint8Array && proto.length > 1000, 'protobuf encoding');

  // The SDK's own export of the same values at the same scale: the same data point.
  const sdk = JSON.parse(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(
    await otelHistogram([...values, 0], 1600))));
  const a = normalize(sdk).resourceMetrics[0].scopeMetrics[0].metrics[0];
  const b = normalize(ours).resourceMetrics[0].scopeMetrics[0].metrics[0];
  const pa = a.exponentialHistogram.dataPoints[0], pb = b.exponentialHistogram.dataPoints[0];
  for (const k of ['count', 'sum', 'min', 'max', 'scale', 'zeroCount', 'positive']) assert.deepEqual(pa[k], pb[k], k);
  assert.equal(a.exponentialHistogram.aggregationTemporality, b.exponentialHistogram.aggregationTemporality);
  assert.deepEqual(Object.keys(pb).sort(), ['attributes', 'count', 'max', 'min', 'positive', 'scale', 'startTimeUnixNano',
                                           'sum', 'timeUnixNano', 'zeroCount']);
  for (const k of Object.keys(pb)) assert.ok(k in pa, `OTel JS writes ${k} too`);
  s.dispose();
});
