// SPDX-License-Identifier: MIT
// Bad input never reaches embind unchecked, never crashes, and is counted and reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, errc, cxmError } from './helpers.mjs';

const { NpsTally, ScaleTally } = api;

test('NPS add: each bad answer throws its code, is counted, and leaves the counts alone', () => {
  const t = new NpsTally();
  t.add(9);
  t.add(0);
  const before = t.counts();
  const cases = [
    [11, errc.out_of_range], [-1, errc.out_of_range], [1e12, errc.out_of_range],
    [9.5, errc.not_integer], [0.1, errc.not_integer],
    // A fraction is not_integer off the scale too (the core's classify_answer: not_finite, then
    // not_integer, then out_of_range).
    [11.5, errc.not_integer], [-0.5, errc.not_integer],
    ['9', errc.wrong_type], [null, errc.wrong_type], [true, errc.wrong_type],
    [undefined, errc.wrong_type], [{ valueOf: () => 9 }, errc.wrong_type], [[9], errc.wrong_type], [9n, errc.wrong_type],
    [NaN, errc.not_finite], [Infinity, errc.not_finite], [-Infinity, errc.not_finite],
  ];
  for (const [answer, code] of cases)
    assert.throws(() => t.add(answer), cxmError(code), `add(${String(answer)})`);
  assert.deepEqual(t.counts(), before, 'counts unchanged');
  assert.equal(t.total(), 2);
  assert.deepEqual(t.rejectedCounts(), { out_of_range: 3, not_integer: 4, not_finite: 3, wrong_type: 7 });
  assert.equal(t.rejected('wrong_type'), 7);
  assert.equal(t.rejected(errc.not_integer), 4);
  assert.equal(t.rejectedTotal(), 17);
  // tryAdd reports without throwing.
  assert.equal(t.tryAdd(10), errc.ok);
  assert.equal(t.tryAdd('10'), errc.wrong_type);
  assert.equal(t.tryAdd(-0), errc.ok, '-0 is the answer 0');
  assert.equal(t.counts()[0], 2);
  assert.throws(() => t.rejected('nope'), cxmError(errc.invalid_argument));
  assert.throws(() => t.reject('parse_error'), cxmError(errc.invalid_argument));
  t.reject();
  assert.equal(t.rejected('wrong_type'), 9);
  t.dispose();
});

test('CxmError carries code, name, codeName and a message', () => {
  const t = new NpsTally();
  try {
    t.add(9.5);
    assert.fail('no throw');
  } catch (e) {
    assert.ok(e instanceof Error && e instanceof api.CxmError);
    assert.equal(e.name, 'CxmError');
    assert.equal(e.code, errc.not_integer);
    assert.equal(e.codeName, 'not_integer');
    assert.match(e.message, /9\.5/);
  }
  t.dispose();
});

test('CES and CSAT: answers outside the scale are out_of_range', () => {
  const ces = new ScaleTally('ces7');
  const csat = new ScaleTally('csat5');
  for (const [t, bad, good] of [[ces, [0, 8, -1], [1, 7]], [csat, [0, 6, 7], [1, 5]]]) {
    for (const x of good) t.add(x);
    for (const x of bad) assert.throws(() => t.add(x), cxmError(errc.out_of_range), `add(${x})`);
    assert.throws(() => t.add(4.5), cxmError(errc.not_integer));
    assert.throws(() => t.add(7.5), cxmError(errc.not_integer), 'a fraction off the scale is not_integer');
    assert.throws(() => t.add('4'), cxmError(errc.wrong_type));
    assert.throws(() => t.add(NaN), cxmError(errc.not_finite));
    assert.equal(t.total(), 2);
    assert.deepEqual(t.rejectedCounts(), { out_of_range: 3, not_integer: 2, not_finite: 1, wrong_type: 1 });
  }
  assert.deepEqual(ces.counts(), [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(csat.counts(), [1, 0, 0, 0, 1]);
  ces.dispose();
  csat.dispose();
});

test('invalid scales are rejected', () => {
  for (const s of [{ min: 1, max: 7, topBoxMin: 8 }, { min: 5, max: 1, topBoxMin: 3 }, { min: 0, max: 11, topBoxMin: 9 },
                   { min: 1.5, max: 7, topBoxMin: 5 }, { min: 1, max: 7 }, 'ces9', null, 7])
    assert.throws(() => new ScaleTally(s), cxmError(errc.invalid_argument), JSON.stringify(s));
  // The raw factory reports a code too.
  const r = api.module.ScaleTally.make(1, 7, 9);
  assert.equal(r.code, errc.invalid_argument);
  assert.equal(r.tally, undefined);
  const ok = new ScaleTally({ min: 0, max: 10, topBoxMin: 9 });
  assert.equal(ok.counts().length, 11);
  ok.dispose();
});

test('merging tallies of different scales throws incompatible and changes nothing', () => {
  const a = new ScaleTally('ces7');
  const b = new ScaleTally('ces5');
  a.add(5);
  b.add(5);
  assert.throws(() => a.merge(b), cxmError(errc.incompatible));
  assert.deepEqual(a.counts(), [0, 0, 0, 0, 1, 0, 0]);
  // ces5 and csat5 are the same 1-5 scale with top box 4-5: they merge.
  const c = new ScaleTally('csat5');
  c.merge(b);
  assert.equal(c.total(), 1);
  const n = new NpsTally();
  assert.throws(() => a.merge(n), cxmError(errc.incompatible));
  assert.throws(() => n.merge(a), cxmError(errc.incompatible));
  for (const t of [a, b, c, n]) t.dispose();
});

test('fromJson: hostile input gives the right codes', () => {
  const valid = new NpsTally().toJson();
  const cases = [
    ['{"format":"cxm.nps_tally","version":1,"counts":[1e309,0,0,0,0,0,0,0,0,0,0]}', errc.not_finite],
    ['{"format":"cxm.nps_tally","format":"cxm.nps_tally","version":1}', errc.duplicate_key],
    [valid + ' x', errc.parse_error],
    [valid + '}', errc.parse_error],
    ['', errc.parse_error],
    ['['.repeat(100000), errc.too_deep],
    ['{"a":'.repeat(1000) + '1' + '}'.repeat(1000), errc.too_deep],
    [' '.repeat((1 << 20) + 1), errc.too_large],
    [valid.replace('"version":1', '"version":2'), errc.unsupported_version],
    [valid.replace('cxm.nps_tally', 'cxm.scale_tally'), errc.incompatible],
    [valid.replace(/,"rejected":\{[^}]*\}/, ''), errc.missing_field],
    ['[]', errc.wrong_type],
    [valid.replace('[0,0,0,0,0,0,0,0,0,0,0]', '[0,0,0,0,0,0,0,0,0,0,-1]'), null],
    [valid.replace('[0,0,0,0,0,0,0,0,0,0,0]', '[0,0,0,0,0,0,0,0,0,0,0.5]'), null],
    [valid.replace('[0,0,0,0,0,0,0,0,0,0,0]', '[0,0,0,0,0,0,0,0,0,0]'), null],
  ];
  for (const [text, code] of cases) {
    const what = text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
    assert.throws(() => NpsTally.fromJson(text),
                  (e) => e instanceof api.CxmError && (code === null ? e.code !== errc.ok : e.code === code) &&
                         e.message.length > 0,
                  what);
  }
  // A >1 MiB string is refused in JS before it reaches wasm; so is a >1 MiB byte array.
  assert.throws(() => NpsTally.fromJson('x'.repeat(2 << 20)), cxmError(errc.too_large));
  assert.throws(() => NpsTally.fromJson(new Uint8Array((1 << 20) + 1)), cxmError(errc.too_large));
  // Under 1 MiB of UTF-16 units but over 1 MiB of UTF-8: the core refuses it.
  assert.throws(() => NpsTally.fromJson('"' + 'é'.repeat(600000) + '"'), cxmError(errc.too_large));
  // Not text at all.
  for (const x of [null, 42, {}, undefined]) assert.throws(() => NpsTally.fromJson(x), cxmError(errc.wrong_type));
  // Invalid UTF-8 cannot be made from a JS string (embind encodes lone surrogates into valid
  // code points), but fromJson takes raw bytes as a Uint8Array, and those reach the core.
  const bytes = new TextEncoder().encode(valid.replace('cxm.nps_tally', 'cxm.nps_tally\u00e9'));
  const at = bytes.indexOf(0xa9);
  bytes[at] = 0xff;
  assert.throws(() => NpsTally.fromJson(bytes), cxmError(errc.invalid_utf8));
  assert.throws(() => NpsTally.fromJson(new Uint8Array([0x22, 0xc0, 0xaf, 0x22])), cxmError(errc.invalid_utf8));
  // Valid bytes decode.
  const ok = NpsTally.fromJson(new TextEncoder().encode(valid));
  assert.equal(ok.total(), 0);
  ok.dispose();
  // The detail names the field.
  assert.throws(() => NpsTally.fromJson(cases[0][0]), /counts/);
});

test('ScaleTally.fromJson: hostile input gives the right codes', () => {
  const t = new ScaleTally('ces5');
  t.add(4);
  const valid = t.toJson();
  assert.throws(() => ScaleTally.fromJson(valid.replace('"version":1', '"version":7')), cxmError(errc.unsupported_version));
  assert.throws(() => ScaleTally.fromJson(new NpsTally().toJson()), cxmError(errc.incompatible));
  assert.throws(() => ScaleTally.fromJson(valid + 'garbage'), cxmError(errc.parse_error));
  assert.throws(() => ScaleTally.fromJson('['.repeat(100000)), cxmError(errc.too_deep));
  assert.throws(() => ScaleTally.fromJson(valid.replace('"min":1', '"min":1e309')), cxmError(errc.not_finite));
  assert.throws(() => ScaleTally.fromJson('x'.repeat((1 << 20) + 1)), cxmError(errc.too_large));
  t.dispose();
});

test('levels outside (0, 1) and unknown methods are rejected', () => {
  const t = new NpsTally();
  for (const x of [9, 10, 5, 7]) t.add(x);
  const s = new ScaleTally('csat5');
  for (const x of [5, 4, 2]) s.add(x);
  for (const level of [0, 1, -0.5, 1.5, NaN, Infinity, 'x', '0.95', null]) {
    assert.throws(() => t.confidenceInterval(level), cxmError(errc.invalid_argument), `level ${String(level)}`);
    assert.throws(() => s.meanInterval(level), cxmError(errc.invalid_argument), `level ${String(level)}`);
    assert.throws(() => s.topBoxInterval(level), cxmError(errc.invalid_argument), `level ${String(level)}`);
    assert.throws(() => api.compareNps(t, t, level), cxmError(errc.invalid_argument), `level ${String(level)}`);
  }
  // undefined means the default 0.95.
  assert.equal(t.confidenceInterval(undefined).level, 0.95);
  for (const m of ['bogus', 'student_t', 'wilson', 1, null])
    assert.throws(() => t.confidenceInterval(0.95, m), cxmError(errc.invalid_argument), `method ${String(m)}`);
  for (const m of ['bogus', 'adjusted_wald', 'wilson', 1, null])
    assert.throws(() => s.meanInterval(0.95, m), cxmError(errc.invalid_argument), `method ${String(m)}`);
  assert.equal(s._live().meanInterval(0.95, 'nope').code, errc.invalid_argument);
  assert.throws(() => api.compareNps(t, t, 0.95, 'score'), cxmError(errc.invalid_argument));
  // The raw module checks too (embind would pass NaN through as NaN).
  assert.equal(t._live().confidenceInterval(0, 'wald').code, errc.invalid_argument);
  assert.equal(api.module.compareNps(t._live(), t._live(), 0.9, 'nope').code, errc.invalid_argument);
  assert.throws(() => api.compareNps(t, s), cxmError(errc.invalid_argument));
  // Statistics of an empty tally.
  const e = new NpsTally();
  assert.throws(() => e.confidenceInterval(), cxmError(errc.empty));
  assert.throws(() => api.compareNps(t, e), cxmError(errc.empty));
  assert.equal(e.score(), 0);
  for (const x of [t, s, e]) x.dispose();
});

test('addBulk rejects what is not a Uint8Array; addBulkInPlace what is not wasm memory', () => {
  const t = new NpsTally();
  for (const x of [[9, 10], 'abc', null, new Uint16Array(3), new Int8Array(3)])
    assert.throws(() => t.addBulk(x), cxmError(errc.wrong_type));
  assert.throws(() => t.addBulkInPlace(new Uint8Array(4)), cxmError(errc.invalid_argument));
  // The raw binding checks the range itself.
  const h = t._live();
  assert.equal(h.addBulk(0, 10), -errc.invalid_argument);
  assert.equal(h.addBulk(api.module.HEAPU8.length - 4, 10), -errc.invalid_argument);
  assert.equal(h.addBulk(0, 0), 0);
  assert.equal(t.total(), 0);
  assert.throws(() => api.allocAnswers(-1), cxmError(errc.invalid_argument));
  assert.throws(() => api.allocAnswers(1.5), cxmError(errc.invalid_argument));
  t.dispose();
});
