// SPDX-License-Identifier: MIT
// The duration sketch from JavaScript: the native golden files give the same numbers, bad input
// is rejected before or by the core with clear errors, merge laws hold, OTLP export, lifecycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { api, repo, errc, cxmError, mulberry32 } from './helpers.mjs';

const { DurationSketch } = api;
const dataDir = path.join(repo, 'tests/data/sketch');
const goldenJson = fs.readFileSync(path.join(dataDir, 'duration_sketch_v1.json'), 'utf8').trim();
const goldenBytes = Uint8Array.from(
  fs.readFileSync(path.join(dataDir, 'duration_sketch_v1.hex'), 'utf8').split(/\s+/).filter(Boolean),
  (h) => parseInt(h, 16));

/** The golden example (tests/data/sketch/README.md), recorded from JS. */
function goldenSketch() {
  const s = new DurationSketch({ scale: 2, maxBuckets: 160 });
  for (const v of [0, 1.5, 2.5, 3, 4, 10]) s.record(v);
  assert.equal(s.tryRecord(-1), errc.out_of_range);
  assert.equal(s.tryRecord(NaN), errc.not_finite);
  return s;
}

/** Seeded lognormal durations in ms (Box-Muller on mulberry32). */
function lognormal(n, seed, median = 2000, sigma = 1.2) {
  const rand = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    const u = 1 - rand();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    out[i] = median * Math.exp(sigma * z);
  }
  return out;
}

test('recording the golden example in JS writes the native golden JSON and binary byte for byte', () => {
  const s = goldenSketch();
  assert.equal(s.toJson(), goldenJson);
  assert.deepEqual(s.encode(), goldenBytes);
  assert.deepEqual(s.buckets(), { offset: 2, counts: [1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1] });
  assert.deepEqual([s.count(), s.sum(), s.min(), s.max(), s.zeroCount(), s.scale()], [6, 21, 0, 10, 1, 2]);
  assert.deepEqual(s.rejectedCounts(), { out_of_range: 1, not_finite: 1 });
  s.dispose();
});

test('the golden files decode to the golden sketch, with the quantiles of the documented formula', () => {
  const a = DurationSketch.fromJson(goldenJson);
  const b = DurationSketch.decode(goldenBytes);
  const c = DurationSketch.fromJson(new TextEncoder().encode(goldenJson));
  const g = goldenSketch();
  for (const s of [a, b, c]) assert.ok(s.equals(g));
  // Ranks 0..5 hold 0, 1.5, 2.5, 3, 4, 10; the estimate is 2LU/(L+U) of the rank's bucket
  // (L = 2^(i/4), U = 2^((i+1)/4)) clamped to [min, max]; the zero bucket gives 0.
  const est = (i) => { const L = 2 ** (i / 4), U = 2 ** ((i + 1) / 4); return 2 * L * U / (L + U); };
  const expected = [[0, 0], [0.2, 0.2 * 5], [0.4, 0.4 * 5], [0.5, 0.5 * 5], [0.6, 0.6 * 5], [0.8, 0.8 * 5], [1, 5]];
  const bucketOfRank = [null, 2, 5, 6, 7, 13];
  for (const [q] of expected) {
    const rank = Math.floor(q * 5 + 1e-12);
    let want = rank === 0 ? 0 : Math.min(10, Math.max(0, est(bucketOfRank[rank])));
    if (q === 1) want = 10;
    assert.ok(Math.abs(a.quantile(q) - want) <= 1e-12 * want, `q=${q}: ${a.quantile(q)} vs ${want}`);
  }
  for (const s of [a, b, c, g]) s.dispose();
});

test('1M lognormal durations: quantiles within the bound, bulk = per value = in place, compact encodings', () => {
  const values = lognormal(1_000_000, 42);
  const bulk = new DurationSketch();
  assert.equal(bulk.recordBulk(values), values.length);
  const one = new DurationSketch();
  for (let i = 0; i < 100_000; ++i) one.record(values[i]);
  const partBulk = new DurationSketch();
  partBulk.recordBulk(values.subarray(0, 100_000));
  assert.ok(one.equals(partBulk), 'record() and recordBulk() give the same sketch');

  const buf = api.allocDurations(values.length);
  buf.view.set(values);
  const inPlace = new DurationSketch();
  assert.equal(inPlace.recordBulkInPlace(buf), values.length);
  buf.free();
  assert.ok(inPlace.equals(bulk));

  const sorted = Float64Array.from(values).sort();
  const alpha = bulk.relativeError();
  assert.ok(alpha < 0.0055 && bulk.scale() === 6, `scale ${bulk.scale()}`);
  for (const q of [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1]) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))];
    const got = bulk.quantile(q);
    assert.ok(Math.abs(got - exact) <= alpha * exact * (1 + 1e-12), `q=${q}: ${got} vs ${exact}`);
  }
  assert.equal(bulk.count(), 1_000_000);
  assert.equal(bulk.min(), sorted[0]);
  assert.equal(bulk.max(), sorted[sorted.length - 1]);
  const bytes = bulk.encode();
  assert.ok(bytes.length <= 3 * 1024, `binary ${bytes.length} bytes`);
  assert.ok(DurationSketch.decode(bytes).equals(bulk));
  assert.ok(DurationSketch.fromJson(bulk.toJson()).equals(bulk));
  for (const s of [bulk, one, partBulk, inPlace]) s.dispose();
});

test('merge laws: commutative, associative, identity, equals recording the union, across scales', () => {
  const xs = lognormal(30_000, 1), ys = lognormal(20_000, 2, 50, 2), zs = lognormal(10_000, 3, 1e5, 0.5);
  const mk = (vals, opts) => { const s = new DurationSketch(opts); s.recordBulk(vals); return s; };
  const merged = (...parts) => { const s = new DurationSketch(); for (const p of parts) s.merge(p); return s; };
  const a = mk(xs), b = mk(ys, { scale: 3 }), c = mk(zs, { scale: 8 });
  // The sum is a floating-point sum, so it can differ in the last bits with the order; every
  // other field must be equal (whole-millisecond values below make the sum exact too).
  const same = (x, y, what) => {
    const jx = x.toJSON(), jy = y.toJSON();
    assert.ok(Math.abs(jx.sum - jy.sum) <= 1e-12 * jy.sum, `${what}: sum`);
    delete jx.sum; delete jy.sum;
    assert.deepEqual(jx, jy, what);
  };
  const ab = merged(a, b), ba = merged(b, a);
  same(ab, ba, 'a+b = b+a');
  const abc1 = merged(ab, c);
  const bc = merged(b, c);
  const abc2 = merged(a, bc);
  same(abc1, abc2, '(a+b)+c = a+(b+c)');
  assert.equal(abc1.scale(), 3, 'the coarsest scale wins');
  const union = mk([...xs, ...ys, ...zs], { scale: 3 });
  same(abc1, union, 'merge = recording the union');
  const e = new DurationSketch();
  const ae = merged(a); ae.merge(e);
  assert.ok(ae.equals(merged(a)), 'empty is the identity');
  // Whole milliseconds: every field is equal, the sum included, whatever the order.
  const ints = [xs, ys, zs].map((v) => Float64Array.from(v, (x) => Math.round(x) + 1));
  const [i1, i2, i3] = [mk(ints[0]), mk(ints[1], { scale: 4 }), mk(ints[2], { scale: 9 })];
  const l = merged(merged(i1, i2), i3), r = merged(i3, merged(i2, i1));
  assert.ok(l.equals(r));
  assert.ok(l.equals(mk(Float64Array.from([...ints[0], ...ints[1], ...ints[2]]), { scale: 4 })));
  const other = new DurationSketch({ zeroThreshold: 0.5 });
  assert.throws(() => a.merge(other), cxmError(errc.incompatible));
  assert.throws(() => a.merge(new api.NpsTally()), cxmError(errc.incompatible));
});

test('bad input: JS validation before embind, rejections counted by the core, sketch untouched', () => {
  const s = new DurationSketch();
  s.record(5);
  const before = s.toJson();
  for (const v of ['5', null, undefined, true, {}, 5n])
    assert.throws(() => s.record(v), cxmError(errc.wrong_type));
  assert.equal(s.toJson(), before, 'non-numbers leave no trace');
  assert.throws(() => s.record(-1), cxmError(errc.out_of_range));
  assert.throws(() => s.record(NaN), cxmError(errc.not_finite));
  assert.throws(() => s.record(Infinity), cxmError(errc.not_finite));
  assert.throws(() => s.record(-Infinity), cxmError(errc.not_finite));
  assert.deepEqual(s.rejectedCounts(), { out_of_range: 1, not_finite: 3 });
  assert.equal(s.count(), 1);
  for (const n of [-1, 1.5, NaN, '2', 2 ** 53 + 2, null])
    assert.throws(() => s.record(1, n), cxmError(errc.invalid_argument));
  s.record(0);
  assert.equal(s.zeroCount(), 1);
  s.record(365 * 24 * 3600 * 1000 * 10);  // ten years in ms: fine
  s.record(3, 0);
  assert.equal(s.count(), 3);
  assert.equal(s.recordBulk(new Float64Array([1, -2, NaN, 3])), 2);
  assert.deepEqual(s.rejectedCounts(), { out_of_range: 2, not_finite: 4 });
  assert.throws(() => s.recordBulk([1, '2']), cxmError(errc.wrong_type));
  assert.throws(() => s.recordBulk('x'), cxmError(errc.wrong_type));
  assert.throws(() => s.recordBulkInPlace(new Float64Array(4)), cxmError(errc.invalid_argument));
  for (const q of [-0.1, 1.1, NaN]) assert.throws(() => s.quantile(q), cxmError(errc.invalid_argument));
  assert.throws(() => s.quantile('0.5'), cxmError(errc.invalid_argument));
  assert.throws(() => new DurationSketch().quantile(0.5), cxmError(errc.empty));
  for (const o of [{ scale: 21 }, { scale: -11 }, { scale: 2.5 }, { scale: '6' }, { maxBuckets: 1 }, { maxBuckets: -5 },
                   { zeroThreshold: -1 }, { zeroThreshold: NaN }, null, 7])
    assert.throws(() => new DurationSketch(o), cxmError(errc.invalid_argument), JSON.stringify(o));
  assert.throws(() => DurationSketch.fromJson(goldenJson.replace('"version":1', '"version":2')),
                cxmError(errc.unsupported_version));
  assert.throws(() => DurationSketch.fromJson(goldenJson.replace('cxm.duration_sketch', 'cxm.nps_tally')),
                cxmError(errc.incompatible));
  assert.throws(() => DurationSketch.fromJson(goldenJson.replace('"count":6', '"count":7')),
                (e) => e.code > 0 && /count/.test(e.message));
  assert.throws(() => DurationSketch.fromJson('{"format":'), cxmError(errc.parse_error));
  assert.throws(() => DurationSketch.fromJson(42), cxmError(errc.wrong_type));
  assert.throws(() => DurationSketch.fromJson('x'.repeat((8 << 20) + 1)), cxmError(errc.too_large));
  assert.throws(() => DurationSketch.decode('d1'), cxmError(errc.wrong_type));
  // Every truncation of the binary golden, and seeded garbage, is an error, never a crash.
  for (let n = 0; n < goldenBytes.length; ++n)
    assert.throws(() => DurationSketch.decode(goldenBytes.subarray(0, n)), (e) => e.code > 0);
  const rand = mulberry32(7);
  for (let k = 0; k < 2000; ++k) {
    const junk = Uint8Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
    if (k % 2 === 0) junk[0] = 0xd1;
    try { DurationSketch.decode(junk).dispose(); } catch (e) { assert.ok(e.code > 0); }
  }
  assert.equal(s.count(), 5);
  s.dispose();
});

test('toOtlpJson: an OTLP ExponentialHistogram point holding the same buckets', () => {
  const s = goldenSketch();
  const text = s.toOtlpJson({ name: 'journey.step.duration', attributes: { step: 'card_ordered', channel: 'web', attempt: 2, weight: 0.5, controlled: true },
                              startTime: 1700000000000000001n, time: '1700000060000000000' });
  const req = JSON.parse(text);
  const m = req.resourceMetrics[0].scopeMetrics[0].metrics[0];
  assert.equal(m.name, 'journey.step.duration');
  assert.equal(m.unit, 'ms');
  const p = m.exponentialHistogram.dataPoints[0];
  assert.equal(m.exponentialHistogram.aggregationTemporality, 2);
  assert.equal(p.startTimeUnixNano, '1700000000000000001');
  assert.equal(p.timeUnixNano, '1700000060000000000');
  assert.deepEqual([p.count, p.sum, p.min, p.max, p.scale, p.zeroCount], ['6', 21, 0, 10, 2, '1']);
  assert.deepEqual(p.positive, { offset: 2, bucketCounts: ['1', '0', '0', '1', '1', '1', '0', '0', '0', '0', '0', '1'] });
  assert.deepEqual(p.attributes, [
    { key: 'step', value: { stringValue: 'card_ordered' } }, { key: 'channel', value: { stringValue: 'web' } },
    { key: 'attempt', value: { intValue: '2' } }, { key: 'weight', value: { doubleValue: 0.5 } },
    { key: 'controlled', value: { boolValue: true } }]);
  const d = JSON.parse(s.toOtlpJson({ name: 'x', startTime: new Date(1000), time: new Date(2000) }));
  assert.equal(d.resourceMetrics[0].scopeMetrics[0].metrics[0].exponentialHistogram.dataPoints[0].timeUnixNano, '2000000000');
  const ok = { name: 'x', startTime: 1n, time: 2n };
  for (const bad of [undefined, {}, { ...ok, name: '' }, { ...ok, name: 3 }, { ...ok, time: 1.5 }, { ...ok, time: -1n },
                     { ...ok, time: 2n ** 64n }, { ...ok, startTime: 3n }, { ...ok, attributes: { a: NaN } },
                     { ...ok, attributes: { a: null } }, { ...ok, attributes: [] }, { ...ok, unit: 5 }])
    assert.throws(() => s.toOtlpJson(bad), (e) => e instanceof api.CxmError && e.code > 0, JSON.stringify(bad, (k, v) => typeof v === 'bigint' ? `${v}n` : v));
  s.dispose();
});

test('lifecycle: dispose frees, use after dispose throws, no leak over many sketches', () => {
  const s = new DurationSketch();
  s.dispose();
  s.dispose();
  assert.equal(s.disposed, true);
  for (const call of [() => s.record(1), () => s.count(), () => s.toJson(), () => s.quantile(0.5), () => s.encode()])
    assert.throws(call, (e) => cxmError(errc.invalid_argument)(e) && /dispose\(\)/.test(e.message));
  const live = new DurationSketch();
  assert.throws(() => live.merge(s), /dispose\(\)/);
  const m = api.module;
  const round = () => {
    for (let i = 0; i < 200; ++i) {
      const t = new DurationSketch({ maxBuckets: 4096 });
      t.recordBulk([1, 2, 3]);
      DurationSketch.decode(t.encode()).dispose();
      DurationSketch.fromJson(t.toJson()).dispose();
      t.dispose();
    }
  };
  round();
  const heap = m.HEAPU8.length;
  for (let k = 0; k < 5; ++k) round();
  assert.equal(m.HEAPU8.length, heap, 'the heap did not grow');
  live.dispose();
});

test('bucketIndex: the exact OpenTelemetry index (powers of two go to the bucket below)', () => {
  assert.equal(DurationSketch.bucketIndex(4, 2), 7);
  assert.equal(DurationSketch.bucketIndex(10, 2), 13);
  assert.equal(DurationSketch.bucketIndex(1, 0), -1);
  assert.equal(DurationSketch.bucketIndex(Number.MAX_VALUE, 20), 1024 * 2 ** 20 - 1);
  assert.equal(DurationSketch.bucketIndex(5e-324, 0), -1075);
  assert.throws(() => DurationSketch.bucketIndex(0, 0), cxmError(errc.out_of_range));
  assert.throws(() => DurationSketch.bucketIndex(1, 21), cxmError(errc.invalid_argument));
});
