// SPDX-License-Identifier: MIT
// Hostile arguments against the whole JS surface: every constructor, method, getter, static and
// function of the API object (cxm.mjs with sketch.mjs and journey.mjs, and the survey-only
// module) is called with seeded hostile arguments: wrong types, extreme numbers, BigInt, huge and
// ill-formed strings (lone surrogates, NUL, 10 MB, 100k-deep JSON), sparse and huge arrays,
// typed arrays and detached buffers, throwing getters / valueOf / toString / toPrimitive,
// Proxies (revoked too), objects of the wrong class, of another module or already disposed, and
// callbacks that re-enter the API (dispose the receiver, call its other methods).
//
// Every call must return or throw a CxmError whose code is an errc value: never a TypeError,
// RangeError, an embind BindingError or a wasm abort. After each batch (one API entry) the
// module must still score a known NPS, and every object that survived must be intact (its
// serialization round-trips, its counts add up).
//
// CXM_HOSTILE_SEED (default 1) and CXM_HOSTILE_CALLS (calls per entry, default 300) reproduce or
// lengthen a run; a failure names the entry, the arguments and the seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { api, cxm, repo, errc, CxmError, mulberry32 } from './helpers.mjs';

const SEED = Number(process.env.CXM_HOSTILE_SEED ?? 1);
const CALLS = Number(process.env.CXM_HOSTILE_CALLS ?? 300);
const read = (p) => fs.readFileSync(path.join(repo, p), 'utf8');

const surveyText = read('examples/web/surveys/after-onboarding.json');
const journeyText = read('tests/data/journeys/definition.json');
const eventsText = read('tests/data/journeys/events.jsonl');
const eventLines = eventsText.split('\n').filter(Boolean);
const parses = (line) => { try { JSON.parse(line); return true; } catch { return false; } };
const recordLines = eventLines.filter(parses);  // the golden file has malformed lines on purpose
const responseLines = read('examples/data/responses.jsonl').split('\n').slice(0, 20);
const responsesText = responseLines.join('\n');

const CODES = new Map(Object.entries(errc).map(([k, v]) => [v, k]));

// ---- the shared hostile values -----------------------------------------------------------------

const MiB = 1 << 20;
const HUGE = 'x'.repeat(10 * MiB);                       // 10 MB of ASCII
const HUGE_WIDE = '\u05d0'.repeat(5 * MiB);              // 10 MB of UTF-8 in 5 Mi characters
const HUGE_SURROGATES = '\uD800'.repeat(MiB);            // a million lone high surrogates
const DEEP_ARRAY_JSON = '['.repeat(100000) + ']'.repeat(100000);
const DEEP_OBJECT_JSON = '{"a":'.repeat(100000) + '1' + '}'.repeat(100000);
const DEEP_JSONL = `${'['.repeat(30000)}${']'.repeat(30000)}\n`.repeat(3);
const deepArray = (() => { let d = []; for (let i = 0; i < 100000; ++i) d = [d]; return d; })();
const deepObject = (() => { let d = {}; for (let i = 0; i < 100000; ++i) d = { d }; return d; })();
const circular = (() => { const o = { journey_id: 'j1', type: 'step_begin', timestamp: 1, step: 'application' }; o.self = o; return o; })();
const sparseHuge = (() => { const a = []; a.length = 2 ** 32 - 1; return a; })();
const bigArray = new Array(1 << 20).fill(5);
const manyKeys = Object.fromEntries(Array.from({ length: 100000 }, (_, i) => [`k${i}`, i]));
const hasTransfer = typeof ArrayBuffer.prototype.transfer === 'function';

function detached(kind = Uint8Array, n = 16) {
  const buf = new ArrayBuffer(n * kind.BYTES_PER_ELEMENT);
  const view = new kind(buf);
  if (hasTransfer) buf.transfer();
  else structuredClone(buf, { transfer: [buf] });
  return view;
}
function detachedBuffer() {
  const buf = new ArrayBuffer(16);
  structuredClone(buf, { transfer: [buf] });
  return buf;
}
/** The wasm memory of the module under test (the survey-only module may not export it). */
function heap(c) { return c.A.module?.HEAPU8?.buffer ?? new ArrayBuffer(4096); }
function boom() { throw new Error('hostile callback threw'); }
function thrower(what) { return () => { throw what; }; }
const { proxy: revokedProxy, revoke } = Proxy.revocable({}, {});
revoke();

// Numbers that sit on the edges of the core's integer and double handling.
const EDGE_NUMBERS = ['-1', '0', '-0', '0.5', '1e308', '1e309', '-1e309', '1e-400', '4294967296', '2147483648', '9007199254740993',
  '4611686018427387904', '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616',
  '1' + '0'.repeat(400), '"9"', 'null', 'true', '[]', '{}'];

/** `text` with one to three random edits: a number swapped for an edge one, a cut, a splice. */
function mutate(c, text) {
  if (typeof text !== 'string') return text;
  let t = text;
  for (let k = 1 + Math.floor(c.rand() * 3); k > 0; --k) {
    const r = c.rand();
    const at = Math.floor(c.rand() * t.length);
    if (r < 0.5) {
      const numbers = [...t.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
      if (numbers.length === 0) continue;
      const m = numbers[Math.floor(c.rand() * numbers.length)];
      t = t.slice(0, m.index) + EDGE_NUMBERS[Math.floor(c.rand() * EDGE_NUMBERS.length)] + t.slice(m.index + m[0].length);
    } else if (r < 0.65) {
      t = t.slice(0, at);
    } else if (r < 0.8) {
      t = t.slice(0, at) + t.slice(at + 1 + Math.floor(c.rand() * 8));
    } else {
      const from = Math.floor(c.rand() * t.length);
      t = t.slice(0, at) + t.slice(from, from + 1 + Math.floor(c.rand() * 40)) + t.slice(at);
    }
  }
  return t;
}
/** A parsed JSON record with one of its values (numbers first) swapped for an edge value. */
function mutateRecord(c, text) {
  const record = JSON.parse(text);
  const slots = [];
  (function walk(o) {
    for (const k of Object.keys(o)) {
      if (o[k] !== null && typeof o[k] === 'object') walk(o[k]);
      else slots.push([o, k]);
    }
  })(record);
  const numeric = slots.filter(([o, k]) => typeof o[k] === 'number');
  const pool = numeric.length > 0 && c.rand() < 0.7 ? numeric : slots;
  const [o, k] = pool[Math.floor(c.rand() * pool.length)];
  o[k] = [-1, -0, 0.5, 1e308, -1e308, 2 ** 31, 2 ** 32, 2 ** 53 + 2, 2 ** 62, 2 ** 63, 2 ** 64, 5e-324, '9', '', null, true, [], {},
          '\uD800', 'x'.repeat(70000)][Math.floor(c.rand() * 20)];
  return record;
}
/** `bytes` with a few bytes overwritten, cut or duplicated. */
function mutateBytes(c, bytes) {
  if (!(bytes instanceof Uint8Array)) return bytes;
  let b = Uint8Array.from(bytes);
  for (let k = 1 + Math.floor(c.rand() * 3); k > 0; --k) {
    const r = c.rand();
    const at = Math.floor(c.rand() * b.length);
    if (r < 0.6) b[at] = [0, 1, 0x7f, 0x80, 0xff][Math.floor(c.rand() * 5)];
    else if (r < 0.8) b = b.subarray(0, at);
    else b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at - 8 < 0 ? 0 : at - 8)]);
  }
  return b;
}

/** A Proxy on `target` whose every trap first runs `hook` (which may throw or re-enter). */
function trapAll(target, hook) {
  const handler = {};
  for (const trap of Object.getOwnPropertyNames(Reflect)) {
    handler[trap] = (...a) => { hook(trap); return Reflect[trap](...a); };
  }
  return new Proxy(target, handler);
}

// Property names the wrappers may read from option objects, records and answers.
const KEYS = ['min', 'max', 'topBoxMin', 'scale', 'maxBuckets', 'zeroThreshold', 'name', 'unit', 'attributes',
  'startTime', 'time', 'journey_id', 'type', 'timestamp', 'step', 'id', 'survey_id', 'answers', 'nps', 'ces', 'csat',
  'length', 'ptr', 'buffer', 'byteOffset', 'view', 'variant', 'factory', 'locateFile', 'wasmBinary', 'toJSON', 'then'];
const PLAUSIBLE_FIELD = { min: 1, max: 5, topBoxMin: 4, scale: 6, maxBuckets: 160, zeroThreshold: 0, name: 'n', unit: 'ms',
  attributes: {}, startTime: 1n, time: 2n, journey_id: 'j1', type: 'step_begin', timestamp: 5000, step: 'application',
  id: 'r1', survey_id: 'after-onboarding', answers: { nps: 9 }, nps: 9, ces: 5, csat: 4, length: 4 };

/** An object whose getters (every KEYS name) run `hook`, then return a plausible value. */
function getters(hook) {
  const o = {};
  for (const k of KEYS) Object.defineProperty(o, k, { enumerable: true, get() { hook(k); return PLAUSIBLE_FIELD[k]; } });
  return o;
}

/** Re-entry from a callback: dispose (or free) the victim, or call one of its methods. */
function reenter(ctx, how) {
  const v = ctx.victim;
  if (v === undefined || v === null) return;
  try {
    if (how === 'dispose') {
      if (typeof v.dispose === 'function') v.dispose();
      else if (typeof v.free === 'function') v.free();
    } else {
      for (const m of ['toJson', 'total', 'count', 'score', 'report', 'finish', 'clear', 'counts', 'responses', 'add']) {
        if (typeof v[m] === 'function') { const r = v[m](9); if (r && typeof r.dispose === 'function') r.dispose(); break; }
      }
    }
  } catch (e) {
    if (!(e instanceof CxmError)) throw e;  // re-entering a disposed object throws CxmError; anything else is a bug
  }
}

/**
 * The catalog: [label, (ctx) => value]. ctx = {A (the API), self, victim, live(cls), dead(cls),
 * anyLive(), foreign()}. Factories make fresh values (detached buffers, re-entrant objects).
 */
const HOSTILE = [
  // numbers
  ['undefined', () => undefined], ['null', () => null], ['NaN', () => NaN], ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity], ['-0', () => -0], ['0', () => 0], ['1', () => 1], ['9', () => 9], ['10', () => 10],
  ['11', () => 11], ['0.5', () => 0.5], ['9.5', () => 9.5], ['-1', () => -1], ['-2**31', () => -(2 ** 31)], ['2**31', () => 2 ** 31],
  ['2**32', () => 2 ** 32], ['1e308', () => 1e308], ['-1e308', () => -1e308], ['2**53+1', () => 2 ** 53 + 1],
  ['2**53-1', () => 2 ** 53 - 1], ['2**64', () => 2 ** 64], ['5e-324', () => 5e-324], ['1.7e12 ms', () => 1.7e12],
  ['true', () => true], ['false', () => false],
  // BigInt
  ['0n', () => 0n], ['9n', () => 9n], ['-1n', () => -1n], ['2n**64n', () => 2n ** 64n], ['2n**70n', () => 2n ** 70n],
  // strings
  ["''", () => ''], ["'9'", () => '9'], ["'wald'", () => 'wald'], ["'score'", () => 'score'], ["'ces7'", () => 'ces7'],
  ["'wrong_type'", () => 'wrong_type'], ["'nps'", () => 'nps'], ["'application'", () => 'application'],
  ['10 MB string', () => HUGE], ['10 MB UTF-8 string', () => HUGE_WIDE], ['1 Mi lone surrogates', () => HUGE_SURROGATES],
  ["'\\uD800'", () => '\uD800'], ["'\\uDC00x'", () => '\uDC00x'], ["'nps\\uD800'", () => 'nps\uD800'],
  ["'a\\0b'", () => 'a\u0000b'], ["'\\0'", () => '\u0000'], ["'{\"format\":'", () => '{"format":'],
  ["'1e309'", () => '1e309'], ["'-1'", () => '-1'], ["'18446744073709551616'", () => '18446744073709551616'],
  ['100k-deep JSON array', () => DEEP_ARRAY_JSON], ['100k-deep JSON object', () => DEEP_OBJECT_JSON],
  ['deep JSON lines', () => DEEP_JSONL], ["'9'.repeat(400)", () => '9'.repeat(400)], ["'{}'", () => '{}'],
  ['JSON with a lone surrogate', () => '{"format":"cxm.nps_tally\uD800","version":1}'],
  ['nps JSON, version 2', (c) => c.json.nps.replace('"version":1', '"version":2')],
  ['nps JSON, count 2^64', (c) => c.json.nps.replace(/"counts":\[\d+/, '"counts":[18446744073709551616')],
  ['nps JSON, count 2^63', (c) => c.json.nps.replace(/"counts":\[\d+/, '"counts":[9223372036854775808')],
  ['sketch JSON', (c) => c.json.sketch], ['survey JSON', () => surveyText], ['journey JSON', () => journeyText],
  ['report JSON', (c) => c.json.report], ['survey tally JSON', (c) => c.json.surveyTally],
  ['events JSONL', () => eventsText], ['responses JSONL', () => responsesText],
  ['garbage JSONL', () => '{"journey_id":\n\u0000\n{}\n[1,2]\n"x"\n' + '{"a":1}'.repeat(20000)],
  ['mutated nps JSON', (c) => mutate(c, c.json.nps)], ['mutated scale JSON', (c) => mutate(c, c.json.scale)],
  ['mutated sketch JSON', (c) => mutate(c, c.json.sketch)], ['mutated report JSON', (c) => mutate(c, c.json.report)],
  ['mutated survey tally JSON', (c) => mutate(c, c.json.surveyTally)], ['mutated survey JSON', (c) => mutate(c, surveyText)],
  ['mutated journey JSON', (c) => mutate(c, journeyText)], ['mutated events JSONL', (c) => mutate(c, eventsText)],
  ['mutated responses JSONL', (c) => mutate(c, responsesText)],
  ['mutated sketch bytes', (c) => mutateBytes(c, c.bytes.sketch)],
  ['mutated event', (c) => mutateRecord(c, recordLines[Math.floor(c.rand() * recordLines.length)])],
  ['mutated response', (c) => mutateRecord(c, responseLines[Math.floor(c.rand() * responseLines.length)])],
  // arrays
  ['[]', () => []], ['[9, 10]', () => [9, 10]], ['[1.5, NaN, -1]', () => [1.5, NaN, -1]], ["['web', 'app']", () => ['web', 'app']],
  ['sparse [,,1]', () => [, , 1]], ['sparse length 2**32-1', () => sparseHuge], ['1 Mi numbers', () => bigArray],
  ['100k-deep array', () => deepArray], ['[Symbol()]', () => [Symbol('s')]], ['[9n]', () => [9n]],
  ['array with a throwing element getter', () => { const a = [1, 2, 3]; Object.defineProperty(a, 1, { get: boom }); return a; }],
  // typed arrays and buffers
  ['Uint8Array 0..10', () => Uint8Array.from({ length: 11 }, (_, i) => i)], ['Uint8Array [11, 255]', () => new Uint8Array([11, 255])],
  ['Uint8Array 3 MiB', () => new Uint8Array(3 * MiB).fill(10)], ['Uint8Array(0)', () => new Uint8Array(0)],
  ['Uint8Array JSON bytes', (c) => new TextEncoder().encode(c.json.nps)], ['Uint8Array invalid UTF-8', () => new Uint8Array([0x22, 0xff, 0xfe, 0x22])],
  ['Uint8Array subarray', () => new Uint8Array(64).fill(7).subarray(3, 40)],
  ['Float64Array values', () => new Float64Array([1, 2.5, 1e308, 5e-324, 0, -0])],
  ['Float64Array bad values', () => new Float64Array([NaN, -1, Infinity, -Infinity])],
  ['Float64Array(0)', () => new Float64Array(0)], ['Float64Array 1 Mi', () => new Float64Array(MiB).fill(3)],
  ['Int8Array', () => new Int8Array([9, -1])], ['Uint8ClampedArray', () => new Uint8ClampedArray([9, 10])],
  ['Int32Array', () => new Int32Array([9, 10])], ['BigInt64Array', () => new BigInt64Array([9n])],
  ['DataView', () => new DataView(new ArrayBuffer(8))], ['ArrayBuffer', () => new ArrayBuffer(16)],
  ['SharedArrayBuffer view', () => new Uint8Array(new SharedArrayBuffer(16)).fill(9)],
  ['resizable ArrayBuffer view', () => new Uint8Array(new ArrayBuffer(8, { maxByteLength: 64 })).fill(9)],
  ['detached Uint8Array', () => detached(Uint8Array)], ['detached Float64Array', () => detached(Float64Array)],
  ['detached ArrayBuffer', () => detachedBuffer()],
  ['Uint8Array with a throwing length', () => { const u = new Uint8Array([9, 9]); Object.defineProperty(u, 'length', { get: boom }); return u; }],
  ['Uint8Array with a lying length', () => { const u = new Uint8Array([9, 9]); Object.defineProperty(u, 'length', { value: 2 ** 31 }); return u; }],
  ['Uint8Array spoofing wasm memory', (c) => {
    const u = new Uint8Array(16);
    Object.defineProperty(u, 'buffer', { value: heap(c) });
    Object.defineProperty(u, 'byteOffset', { value: 2 ** 31 - 8 });
    return u;
  }],
  ['Float64Array subclass', () => new (class extends Float64Array { get length() { return 1e9; } })([1, 2])],
  ['view on wasm memory', (c) => new Uint8Array(heap(c), 1024, 64)],
  ['Float64Array on wasm memory', (c) => new Float64Array(heap(c), 1024, 8)],
  ['view at wasm address 0', (c) => new Uint8Array(heap(c), 0, 8)],
  ['stale view on old wasm memory', (c) => c.staleView],
  // objects
  ['{}', () => ({})], ['Object.create(null)', () => Object.create(null)], ['circular object', () => circular],
  ['100k-deep object', () => deepObject], ['100k keys', () => manyKeys],
  ['{min,max,topBoxMin}', () => ({ min: 1, max: 5, topBoxMin: 4 })], ['{min: 0, max: 1e6}', () => ({ min: 0, max: 1e6, topBoxMin: 1 })],
  ['sketch options, bad', () => ({ scale: 21, maxBuckets: 2 ** 53, zeroThreshold: -1 })],
  ['sketch options, NaN', () => ({ scale: NaN, maxBuckets: NaN, zeroThreshold: NaN })],
  ['sketch options, huge budget', () => ({ maxBuckets: 2 ** 32 + 8, zeroThreshold: 1e308 })],
  ['event, bad timestamp', () => ({ journey_id: 'j9', type: 'step_begin', timestamp: 'yesterday', step: 'application' })],
  ['event, fine', () => ({ journey_id: 'j9', type: 'step_begin', timestamp: 5000, step: 'application' })],
  ['answers, bad', () => ({ nps: 11, ces: '5', unknown: [1], channels: [1, {}, 'web'], feeling: null })],
  ['answers with a huge text', () => ({ nps: 1, what_went_wrong: HUGE })],
  ['answers with a sparse array', () => ({ nps: 9, channels: sparseHuge })],
  ['answers with NaN', () => ({ nps: NaN })], ['answers with a bigint', () => ({ nps: 9n })],
  ["{'__proto__': 9}", () => JSON.parse('{"__proto__": 9, "nps": 9}')],
  ['otlp options, bad times', () => ({ name: 'x', startTime: -1n, time: '99999999999999999999' })],
  ['otlp options, odd attributes', () => ({ name: '\uD800', unit: 'a\u0000', attributes: { ['k\uDC00']: '\uD800', n: 2 ** 60, d: NaN }, startTime: new Date(NaN), time: 1n })],
  ['Date', () => new Date(0)], ['invalid Date', () => new Date(NaN)], ['far Date', () => new Date(8.64e15)],
  ['fake Date', () => Object.create(Date.prototype)],
  ['Map', () => new Map([['nps', 9]])], ['Promise', () => Promise.resolve(9)], ['Error', () => new Error('e')], ['RegExp', () => /x/],
  ['WeakRef', () => new WeakRef({})],
  // throwing callbacks
  ['throwing valueOf', () => ({ valueOf: boom })], ['throwing toString', () => ({ toString: boom })],
  ['throwing toPrimitive', () => ({ [Symbol.toPrimitive]: boom })], ['throwing toJSON', () => ({ journey_id: 'j', toJSON: boom })],
  ['throwing getters', () => getters(boom)], ['Proxy with throwing traps', () => trapAll({}, boom)],
  ['array Proxy with throwing traps', () => trapAll([1, 2, 3], boom)], ['revoked Proxy', () => revokedProxy],
  ['getter throwing a revoked Proxy', () => getters(thrower(revokedProxy))],
  ['getter throwing 42', () => getters(thrower(42))],
  ['function with a throwing toString', () => { const f = () => {}; f.toString = boom; return f; }],
  // functions and symbols
  ['() => {}', () => () => {}], ['class {}', () => class {}], ['async function', () => async () => {}],
  ['Symbol()', () => Symbol('hostile')], ['Symbol.iterator', () => Symbol.iterator],
  // objects of the API: wrong class, disposed, foreign, spoofed, proxied
  ['a live object of any class', (c) => c.anyLive()], ['a live object of any class', (c) => c.anyLive()],
  ['the receiver itself', (c) => c.self], ['a disposed object', (c) => c.anyDead()],
  ['an object of another module', (c) => c.foreign()],
  ['Object.create(Class.prototype)', (c) => Object.create(c.randomClass().prototype)],
  ['Proxy of a live object', (c) => new Proxy(c.anyLive(), {})],
  ['an API class', (c) => c.randomClass()], ['the API object', (c) => c.A],
  // re-entrant callbacks
  ['valueOf disposes the receiver', (c) => ({ valueOf() { reenter(c, 'dispose'); return 9; } })],
  ['toString disposes the receiver', (c) => ({ toString() { reenter(c, 'dispose'); return 'wald'; } })],
  ['toPrimitive calls a method', (c) => ({ [Symbol.toPrimitive]() { reenter(c, 'call'); return 1; } })],
  ['getters dispose the receiver', (c) => getters(() => reenter(c, 'dispose'))],
  ['getters call a method', (c) => getters(() => reenter(c, 'call'))],
  ['Proxy traps dispose the receiver', (c) => trapAll({ ...PLAUSIBLE_FIELD }, () => reenter(c, 'dispose'))],
  ['array Proxy disposes the receiver', (c) => trapAll([1, 2, 3], () => reenter(c, 'dispose'))],
  ['array getter disposes the receiver', (c) => { const a = [1, 2, 3]; Object.defineProperty(a, 2, { get() { reenter(c, 'dispose'); return 3; } }); return a; }],
  ['Uint8Array length getter disposes the receiver', (c) => { const u = new Uint8Array([9, 9]); Object.defineProperty(u, 'length', { get() { reenter(c, 'dispose'); return 2; } }); return u; }],
  ['Uint8Array subarray disposes the receiver', (c) => { const u = new Uint8Array([9, 9]); u.subarray = function (...a) { reenter(c, 'dispose'); return Uint8Array.prototype.subarray.apply(this, a); }; return u; }],
  ['Date getTime disposes the receiver', (c) => new (class extends Date { getTime() { reenter(c, 'dispose'); return super.getTime(); } })(0)],
  ['event toJSON disposes the receiver', (c) => ({ journey_id: 'j1', type: 'step_end', timestamp: 9000, step: 'application', toJSON() { reenter(c, 'dispose'); return { journey_id: 'j1', type: 'step_end', timestamp: 9000, step: 'application' }; } })],
  ['answers getter disposes the receiver', (c) => ({ get nps() { reenter(c, 'dispose'); return 9; }, channels: ['web'] })],
  ['answers array element disposes the receiver', (c) => { const a = ['web']; Object.defineProperty(a, 0, { get() { reenter(c, 'dispose'); return 'web'; } }); return { nps: 9, channels: a }; }],
  ['attributes getter disposes the receiver', (c) => ({ name: 'd', startTime: 1n, time: 2n, attributes: { get step() { reenter(c, 'dispose'); return 's'; } } })],
  ['scale getter disposes the receiver', (c) => ({ get min() { reenter(c, 'dispose'); return 1; }, max: 5, topBoxMin: 4 })],
  ['getter returns a number, then a Symbol', () => { let n = 0; return { get min() { return n++ ? Symbol('late') : 1; }, max: 5, topBoxMin: 4, get scale() { return n++ ? Symbol('late') : 6; } }; }],
];

// ---- plausible arguments, so that a single hostile argument reaches the deeper checks ----------

/** 'Class#method' / 'Class.static' / 'new Class' / 'function' -> (ctx) => [args]. */
const PLAUSIBLE = {
  'new NpsTally': () => [],
  'NpsTally#add': () => [9], 'NpsTally#tryAdd': () => [10], 'NpsTally#addBulk': () => [new Uint8Array([9, 10, 3])],
  'NpsTally#addBulkInPlace': (c) => [c.live('AnswerBuffer')], 'NpsTally#reject': () => ['not_integer'],
  'NpsTally#merge': (c) => [c.live('NpsTally')], 'NpsTally#rejected': () => ['not_finite'],
  'NpsTally#confidenceInterval': () => [0.9, 'score'], 'NpsTally.fromJson': (c) => [c.json.nps],
  'new ScaleTally': () => [{ min: 1, max: 5, topBoxMin: 4 }], 'ScaleTally#add': () => [5], 'ScaleTally#tryAdd': () => [3],
  'ScaleTally#reject': () => ['wrong_type'], 'ScaleTally#merge': (c) => [c.live('ScaleTally')],
  'ScaleTally#rejected': () => ['out_of_range'], 'ScaleTally#meanInterval': () => [0.9],
  'ScaleTally#topBoxInterval': () => [0.8], 'ScaleTally.fromJson': (c) => [c.json.scale],
  'new AnswerBuffer': () => [16], 'allocAnswers': () => [16],
  'compareNps': (c) => [c.live('NpsTally'), c.live('NpsTally'), 0.9, 'wald'],
  'errorName': () => [5], 'errorMessage': () => [5],
  'new DurationSketch': () => [{ scale: 3, maxBuckets: 160, zeroThreshold: 1 }],
  'DurationSketch#record': () => [1830, 2], 'DurationSketch#tryRecord': () => [5, 1],
  'DurationSketch#recordBulk': () => [new Float64Array([950, 2100])], 'DurationSketch#recordBulkInPlace': (c) => [c.live('DurationBuffer')],
  'DurationSketch#quantile': () => [0.9], 'DurationSketch#merge': (c) => [c.live('DurationSketch')],
  'DurationSketch#rejected': () => ['not_finite'], 'DurationSketch#equals': (c) => [c.live('DurationSketch')],
  'DurationSketch#toOtlpJson': () => [{ name: 'journey.step.duration', unit: 'ms', attributes: { step: 'a', n: 3, x: 1.5, b: true }, startTime: 1n, time: new Date(1000) }],
  'DurationSketch.fromJson': (c) => [c.json.sketch], 'DurationSketch.decode': (c) => [c.bytes.sketch],
  'DurationSketch.bucketIndices': () => [new Float64Array([1, 2.5, 1e300]), 6], 'DurationSketch.bucketIndex': () => [3.2, 0],
  'new DurationBuffer': () => [16], 'allocDurations': () => [16],
  'Survey.parse': () => [surveyText], 'Survey#resolveLocale': () => ['he-IL'], 'Survey#text': () => ['nps', 'he'],
  'Survey#uiText': () => ['he'], 'Survey#visibleQuestions': () => [{ nps: 3 }], 'Survey#validate': () => [{ nps: 3, ces: 5 }],
  'Survey#score': () => [{ nps: 9, channels: ['web'], feeling: 'happy' }], 'Survey#sample': () => ['resp-1'],
  'Survey#samplingPoint': () => ['resp-1'], 'Survey#eligible': () => ['resp-1', 1.7e12, -1, null],
  'new SurveyTally': (c) => [c.live('Survey')], 'SurveyTally#add': () => [{ nps: 9, ces: 6 }],
  'SurveyTally#merge': (c) => [c.live('SurveyTally')], 'SurveyTally#npsTally': () => ['nps'], 'SurveyTally#scaleTally': () => ['ces'],
  'SurveyTally#question': () => ['nps'],
  'SurveyTally.fromJson': (c) => [c.json.surveyTally, c.live('Survey')],
  'JourneyDefinition.parse': () => [journeyText], 'new JourneyTracker': (c) => [c.live('JourneyDefinition')],
  'JourneyTracker#addEventsJsonl': () => [eventsText],
  'JourneyTracker#addEvent': () => [{ journey_id: 'j7', type: 'step_begin', step: 'application', timestamp: 7000 }],
  'JourneyTracker#attachResponse': () => [JSON.parse(responseLines[0])], 'JourneyTracker#attachResponsesJsonl': () => [responsesText],
  'JourneyTracker#advance': () => [1.7e12], 'JourneyReport#stepSketchJson': () => ['application'],
  'JourneyReport#merge': (c) => [c.live('JourneyReport')], 'JourneyReport#equals': (c) => [c.live('JourneyReport')],
  'JourneyReport.fromJson': (c) => [c.json.report],
};

// ---- the harness -------------------------------------------------------------------------------

/** A CxmError with a documented code (safe on anything thrown, a revoked Proxy included). */
function isCxmError(e) {
  try {
    return e instanceof CxmError && typeof e.code === 'number' && CODES.has(e.code) && e.code !== 0 &&
           e.codeName === CODES.get(e.code);
  } catch {
    return false;
  }
}

function isClass(f) {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

/** Every public entry of an API object: constructors, statics, instance methods and getters, functions. */
function enumerate(A) {
  const entries = [];
  for (const [name, v] of Object.entries(A)) {
    if (name === 'module' || name === 'CxmError' || typeof v !== 'function') continue;  // raw embind; the error type
    if (!isClass(v)) {
      entries.push({ id: name, kind: 'function', fn: v, arity: v.length });
      continue;
    }
    entries.push({ id: `new ${name}`, kind: 'new', cls: name, fn: v, arity: v.length });
    for (const key of Object.getOwnPropertyNames(v)) {
      if (['length', 'name', 'prototype'].includes(key) || typeof v[key] !== 'function') continue;
      entries.push({ id: `${name}.${key}`, kind: 'static', cls: name, fn: v[key], arity: v[key].length });
    }
    const seen = new Set();
    for (let p = v.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const key of Reflect.ownKeys(p)) {
        if (key === 'constructor' || seen.has(key)) continue;
        seen.add(key);
        const d = Object.getOwnPropertyDescriptor(p, key);
        const label = typeof key === 'symbol' ? `[${key.description}]` : key;
        if (d.get) entries.push({ id: `${name}#${label}`, kind: 'getter', cls: name, key });
        else if (typeof d.value === 'function') entries.push({ id: `${name}#${label}`, kind: 'method', cls: name, key, arity: d.value.length });
      }
    }
  }
  return entries;
}

/** Fixtures and the object pools of one API object. */
function makeWorld(A, other) {
  const has = (n) => typeof A[n] === 'function';
  const fill = (t, xs) => { for (const x of xs) t.add(x); return t; };
  const makers = {
    Survey: () => A.Survey.parse(surveyText),
  };
  if (has('NpsTally')) {
    Object.assign(makers, {
      NpsTally: () => fill(new A.NpsTally(), [10, 9, 7, 3, 0]),
      ScaleTally: () => fill(new A.ScaleTally('csat5'), [5, 4, 1]),
      AnswerBuffer: () => { const b = A.allocAnswers(32); b.view.fill(9); return b; },
      DurationSketch: () => { const s = new A.DurationSketch(); s.recordBulk([950, 2100, 4300, 0]); return s; },
      DurationBuffer: () => { const b = A.allocDurations(8); b.view.fill(12.5); return b; },
      SurveyTally: () => { const t = new A.SurveyTally(world.live('Survey')); t.add({ nps: 9, ces: 6 }); return t; },
      JourneyDefinition: () => A.JourneyDefinition.parse(journeyText),
      JourneyTracker: () => { const t = new A.JourneyTracker(world.live('JourneyDefinition')); t.addEventsJsonl(eventLines.slice(0, 12).join('\n')); return t; },
      JourneyReport: () => {
        const t = new A.JourneyTracker(world.live('JourneyDefinition'));
        t.addEventsJsonl(eventsText);
        t.finish();
        const r = t.report();
        t.dispose();
        return r;
      },
    });
  }
  const pools = Object.fromEntries(Object.keys(makers).map((k) => [k, { live: [], dead: [] }]));
  const isDead = (x) => {
    if (typeof x.disposed === 'boolean') return x.disposed;
    try { return x.ptr === 0; } catch { return true; }  // AnswerBuffer / DurationBuffer after free()
  };
  const kill = (x) => { if (typeof x.dispose === 'function') x.dispose(); else x.free(); };
  let rand = mulberry32(SEED);
  const world = {
    A,
    makers,
    setRand(r) { rand = r; },
    pick: (xs) => xs[Math.floor(rand() * xs.length)],
    /** Moves objects disposed behind our back (re-entrant callbacks) to the dead list. */
    sweep() {
      for (const p of Object.values(pools)) {
        for (let i = p.live.length - 1; i >= 0; --i) {
          if (isDead(p.live[i])) p.dead.push(...p.live.splice(i, 1));
        }
        if (p.dead.length > 4) p.dead.splice(0, p.dead.length - 4);
      }
    },
    live(cls) {
      const p = pools[cls];
      this.sweep();
      if (p.live.length < 3 && (p.live.length === 0 || rand() < 0.3)) p.live.push(makers[cls]());
      return world.pick(p.live);
    },
    dead(cls) {
      const p = pools[cls];
      if (p.dead.length === 0) { const x = makers[cls](); kill(x); p.dead.push(x); }
      return world.pick(p.dead);
    },
    adopt(x) {
      for (const [cls, p] of Object.entries(pools)) {
        if (x instanceof A[cls] && !isDead(x)) {
          if (p.live.length < 4) p.live.push(x); else kill(x);
          return;
        }
      }
    },
    randomClass: () => A[world.pick(Object.keys(makers))],
    anyLive: () => world.live(world.pick(Object.keys(makers))),
    anyDead: () => world.dead(world.pick(Object.keys(makers))),
    foreign: () => world.pick(other),
    /** Frees everything (the end of a test). */
    clear() {
      for (const p of Object.values(pools)) { for (const x of p.live) kill(x); p.live.length = 0; p.dead.length = 0; }
    },
    /** Every surviving object is intact: its counts add up and its serialization round-trips. */
    checkIntact() {
      this.sweep();
      for (const [cls, p] of Object.entries(pools)) for (const x of p.live) intact(A, cls, x);
    },
  };
  return world;
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

function intact(A, cls, x) {
  switch (cls) {
    case 'NpsTally': {
      // Counts cross as numbers, exact up to 2^53 (documented): add them up only below that.
      if (Number.isSafeInteger(sum(x.counts()))) {
        assert.equal(sum(x.counts()), x.total(), 'NpsTally counts add up');
        assert.equal(x.promoters() + x.passives() + x.detractors(), x.total());
      }
      const back = A.NpsTally.fromJson(x.toJson());
      assert.equal(back.toJson(), x.toJson());
      back.dispose();
      break;
    }
    case 'ScaleTally': {
      if (Number.isSafeInteger(sum(x.counts()))) assert.equal(sum(x.counts()), x.total(), 'ScaleTally counts add up');
      const back = A.ScaleTally.fromJson(x.toJson());
      assert.equal(back.toJson(), x.toJson());
      back.dispose();
      break;
    }
    case 'DurationSketch': {
      const n = sum(x.buckets().counts) + x.zeroCount();
      if (Number.isSafeInteger(n)) assert.equal(n, x.count(), 'DurationSketch buckets add up');
      const back = A.DurationSketch.fromJson(x.toJson());
      assert.ok(back.equals(x), 'DurationSketch JSON round trip');
      const decoded = A.DurationSketch.decode(x.encode());
      assert.ok(decoded.equals(x), 'DurationSketch binary round trip');
      back.dispose();
      decoded.dispose();
      break;
    }
    case 'Survey':
      assert.equal(x.toJSON().id, 'after-onboarding');
      assert.deepEqual(x.visibleQuestions({ nps: 3 }).slice(0, 2), ['nps', 'what_went_wrong']);
      break;
    case 'SurveyTally': {
      const back = A.SurveyTally.fromJson(x.toJson());
      assert.equal(back.toJson(), x.toJson());
      back.dispose();
      break;
    }
    case 'JourneyDefinition':
      assert.equal(JSON.parse(x.toJson()).id, 'test-switch');
      break;
    case 'JourneyTracker': {
      assert.ok(Number.isSafeInteger(x.openJourneys));
      x.report().dispose();
      break;
    }
    case 'JourneyReport': {
      const back = A.JourneyReport.fromJson(x.toJson());
      assert.ok(back.equals(x), 'JourneyReport round trip');
      back.dispose();
      assert.equal(x.toJSON().journey.id, 'test-switch');
      break;
    }
    default:
      break;
  }
}

/** The module still computes: a fresh NPS tally of known answers, its score and its JSON. */
function checkAlive(A, expected) {
  if (typeof A.NpsTally === 'function') {
    const t = new A.NpsTally();
    for (const x of [10, 9, 8, 7, 6, 0, 10]) t.add(x);
    assert.equal(t.total(), 7);
    assert.ok(Math.abs(t.score() - 100 / 7) < 1e-12, `score ${t.score()}`);
    assert.equal(t.toJson(), expected.npsJson);
    const back = A.NpsTally.fromJson(t.toJson());
    assert.deepEqual(back.counts(), [1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2]);
    back.dispose();
    t.dispose();
  }
  const s = A.Survey.parse(surveyText);
  assert.deepEqual(s.score({ nps: 10, ces: 6 }).questions.nps, { type: 'nps', value: 10, category: 'promoter' });
  s.dispose();
}

/** Runs one API entry CALLS times with hostile arguments, counting the outcomes in `stats`. */
function runEntry(world, entry, stats, rand) {
  const { A } = world;
  for (let i = 0; i < CALLS; ++i) {
    // The receiver: mostly live, sometimes disposed; for statics and functions a random victim.
    let self;
    if (entry.kind === 'method' || entry.kind === 'getter') self = rand() < 0.85 ? world.live(entry.cls) : world.dead(entry.cls);
    const victim = self ?? (rand() < 0.5 ? world.anyLive() : undefined);
    const ctx = { A, self, victim, rand, json: world.json, bytes: world.bytes, staleView: world.staleView,
                  live: (c) => world.live(c), anyLive: world.anyLive, anyDead: world.anyDead, foreign: world.foreign,
                  randomClass: world.randomClass };
    // The arguments: all hostile, or the plausible ones with one replaced.
    const plausible = PLAUSIBLE[entry.id];
    let args;
    let labels;
    if (plausible && rand() < 0.6) {
      args = plausible(ctx);
      labels = args.map(() => 'plausible');
      const at = Math.floor(rand() * Math.max(1, args.length + (rand() < 0.2 ? 1 : 0)));
      const [label, make] = HOSTILE[Math.floor(rand() * HOSTILE.length)];
      args[at] = make(ctx);
      labels[at] = label;
    } else {
      const n = Math.floor(rand() * (Math.max(entry.arity ?? 0, plausible ? plausible(ctx).length : 0, 1) + 2));
      args = [];
      labels = [];
      for (let k = 0; k < n; ++k) {
        const [label, make] = HOSTILE[Math.floor(rand() * HOSTILE.length)];
        args.push(make(ctx));
        labels.push(label);
      }
    }
    const what = `${entry.id}(${labels.join(', ')})${self && self.disposed === true ? ' on a disposed receiver' : ''}`;
    stats.calls++;
    let result;
    try {
      switch (entry.kind) {
        case 'function': result = entry.fn(...args); break;
        case 'static': result = entry.fn.apply(A[entry.cls], args); break;
        case 'new': result = new entry.fn(...args); break;
        case 'method': result = self[entry.key](...args); break;
        case 'getter': result = self[entry.key]; break;
        default: throw new Error(`unknown entry kind ${entry.kind}`);
      }
      stats.ok++;
    } catch (e) {
      if (isCxmError(e)) {
        stats.byCode[e.codeName] = (stats.byCode[e.codeName] ?? 0) + 1;
      } else {
        let text;
        try { text = `${e?.constructor?.name || typeof e}: ${String(e?.message ?? e).slice(0, 160)}`; } catch { text = 'an unprintable exception'; }
        stats.failures.push(`${what} threw ${text}`);
      }
    }
    // Objects the call made join the pools (or are freed), so that later calls use them.
    if (result !== null && typeof result === 'object' && (typeof result.dispose === 'function' || typeof result.free === 'function')) {
      world.adopt(result);
    }
  }
}

/** Runs every entry of `A`, checking after each batch that the module is alive and the survivors intact. */
function runAll(t, A, world, expected) {
  const entries = enumerate(A);
  const stats = { calls: 0, ok: 0, byCode: {}, failures: [], entries: entries.length };
  const started = performance.now();
  for (const entry of entries) {
    const rand = mulberry32(SEED ^ hash(entry.id));
    world.setRand(rand);
    runEntry(world, entry, stats, rand);
    try {
      checkAlive(A, expected);
    } catch (e) {
      stats.failures.push(`the module is gone after the batch of ${entry.id}: ${e?.constructor?.name}: ${String(e?.message).slice(0, 300)}`);
      break;  // later batches would only repeat it
    }
    try {
      world.checkIntact();
    } catch (e) {
      stats.failures.push(`an object is damaged after the batch of ${entry.id}: ${e?.constructor?.name}: ${String(e?.message).slice(0, 300)}`);
      world.clear();  // start the next batch from fresh objects
    }
  }
  stats.seconds = (performance.now() - started) / 1000;
  const codes = Object.entries(stats.byCode).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  t.diagnostic(`${stats.entries} entries, ${stats.calls} calls in ${stats.seconds.toFixed(1)} s (seed ${SEED}): ` +
               `${stats.ok} returned, CxmError ${sum(Object.values(stats.byCode))}: ${codes}`);
  return { entries, stats };
}

function hash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; ++i) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function report(stats) {
  const unique = [...new Set(stats.failures)];
  assert.equal(unique.length, 0,
               `${stats.failures.length} calls broke the contract (seed ${SEED}); first ${Math.min(40, unique.length)} distinct:\n` +
               unique.slice(0, 40).join('\n'));
}

function fixtures(A) {
  const json = {};
  const bytes = {};
  const t = new A.NpsTally();
  for (const x of [10, 9, 8, 7, 6, 0, 10]) t.add(x);
  json.nps = t.toJson();
  t.dispose();
  if (typeof A.ScaleTally === 'function') {
    const s = new A.ScaleTally('ces7');
    s.add(5);
    json.scale = s.toJson();
    s.dispose();
    const k = new A.DurationSketch();
    k.recordBulk([950, 2100, 4300]);
    json.sketch = k.toJson();
    bytes.sketch = k.encode();
    k.dispose();
    const d = A.JourneyDefinition.parse(journeyText);
    const tr = new A.JourneyTracker(d);
    tr.addEventsJsonl(eventsText);
    tr.finish();
    const r = tr.report();
    json.report = r.toJson();
    r.dispose();
    tr.dispose();
    d.dispose();
    const sv = A.Survey.parse(surveyText);
    const st = new A.SurveyTally(sv);
    st.add({ nps: 9, ces: 6 });
    json.surveyTally = st.toJson();
    st.dispose();
    sv.dispose();
  }
  return { json, bytes };
}

test('every entry of the full API: returns or throws CxmError; the module stays alive', async (t) => {
  const other = await cxm.loadCxm();
  const foreign = [new other.NpsTally(), new other.DurationSketch(), other.Survey.parse(surveyText), other.allocAnswers(4)];
  const world = makeWorld(api, foreign);
  const { json, bytes } = fixtures(api);
  Object.assign(world, { json, bytes });
  // A view taken now is detached once memory grows (a 10 MB string is enough).
  world.staleView = new Uint8Array(api.module.HEAPU8.buffer, 1024, 16);
  const expected = { npsJson: json.nps };
  const handles = api.module.count_emval_handles();

  const { entries, stats } = runAll(t, api, world, expected);

  // The enumeration found the documented surface (and the plausible table names no stale entry).
  const ids = new Set(entries.map((e) => e.id));
  for (const id of ['new NpsTally', 'NpsTally#add', 'NpsTally.fromJson', 'ScaleTally#meanInterval', 'DurationSketch.decode',
                    'DurationSketch#toOtlpJson', 'Survey.parse', 'Survey#eligible', 'SurveyTally.fromJson', 'JourneyDefinition.parse',
                    'JourneyTracker#addEvent', 'JourneyReport.fromJson', 'NpsTally#dispose', 'Survey#id', 'compareNps', 'allocDurations'])
    assert.ok(ids.has(id), `enumerated ${id}`);
  for (const id of Object.keys(PLAUSIBLE)) assert.ok(ids.has(id), `PLAUSIBLE names ${id}, which the API does not have`);
  report(stats);
  assert.ok(stats.calls >= entries.length * CALLS);

  world.clear();
  for (const x of foreign) (x.dispose ?? x.free).call(x);
  assert.equal(api.module.count_emval_handles(), handles, 'no embind handle leaked');
});

test('every entry of the survey-only module: returns or throws CxmError; the module stays alive', async (t) => {
  const S = await cxm.loadCxm({ variant: 'survey' });
  const foreign = [api.Survey.parse(surveyText)];
  const world = makeWorld(S, foreign);
  Object.assign(world, { json: { nps: '{}' }, bytes: {} });
  world.staleView = new Uint8Array(0);
  const { entries, stats } = runAll(t, S, world, {});
  assert.ok(entries.some((e) => e.id === 'Survey#score'));
  report(stats);
  world.clear();
  foreign[0].dispose();
});

test('loadCxm with hostile options resolves or rejects with CxmError', async (t) => {
  // Emscripten prints "failed to asynchronously prepare wasm" / "Aborted(...)" on stderr for the
  // broken binaries and paths below: expected; what matters is how loadCxm rejects.
  const options = [
    ['null', null], ['0', 0], ["'full'", 'full'], ['[]', []], ['a function', () => {}], ['Symbol', Symbol('o')],
    ['revoked Proxy', revokedProxy], ['Proxy with throwing traps', trapAll({}, boom)], ['throwing getters', getters(boom)],
    ["variant 'nope'", { variant: 'nope' }], ['variant Symbol', { variant: Symbol('v') }], ['variant null', { variant: null }],
    ['factory 5', { factory: 5 }], ['factory returning undefined', { factory: () => undefined }],
    ['factory returning 5', { factory: async () => 5 }], ['factory throwing', { factory: boom }],
    ['factory rejecting', { factory: async () => { throw new Error('no'); } }],
    ['factory throwing a revoked Proxy', { factory: thrower(revokedProxy) }],
    ['locateFile 5', { locateFile: 5 }], ['locateFile throwing', { locateFile: boom }],
    ['locateFile to nowhere', { locateFile: () => '/nonexistent/cxm_wasm.wasm' }],
    ['wasmBinary string', { wasmBinary: 'abc' }], ['wasmBinary garbage', { wasmBinary: new Uint8Array(8) }],
    ['wasmBinary detached', { wasmBinary: detached() }], ['survey, wasmBinary garbage', { variant: 'survey', wasmBinary: new ArrayBuffer(8) }],
  ];
  const failures = [];
  let ok = 0;
  const byCode = {};
  for (const [label, o] of options) {
    let A;
    try {
      A = await cxm.loadCxm(o);
      ok++;
    } catch (e) {
      if (isCxmError(e)) byCode[e.codeName] = (byCode[e.codeName] ?? 0) + 1;
      else {
        let text;
        try { text = `${e?.constructor?.name}: ${String(e?.message ?? e).slice(0, 160)}`; } catch { text = 'an unprintable exception'; }
        failures.push(`loadCxm(${label}) threw ${text}`);
      }
    }
    if (A !== undefined) {
      try {
        checkAlive(A, { npsJson: fixtures(api).json.nps });
      } catch (e) {
        failures.push(`loadCxm(${label}) resolved to a module that does not work: ${e?.message}`);
      }
    }
  }
  t.diagnostic(`loadCxm: ${options.length} calls, ${ok} resolved, CxmError ${JSON.stringify(byCode)}`);
  assert.deepEqual(failures, []);
  checkAlive(api, { npsJson: fixtures(api).json.nps });
});

// ---- the defects the hostile run found, pinned down -----------------------------------------

test('views on wasm memory survive the memory growth of a bulk copy', async () => {
  const A = await cxm.loadCxm();  // a fresh module: its memory has not grown yet
  // Fill the heap to near its end, so that the first copy-buffer malloc has to grow memory.
  const answers = A.allocAnswers(A.module.HEAPU8.length - (256 << 10));
  answers.view.fill(9);
  const t = new A.NpsTally();
  assert.equal(t.addBulk(answers.view), answers.length, 'scored in place, not read from a detached view');
  const durations = A.allocDurations(1 << 20);
  durations.view.fill(5);
  const grow = A.allocAnswers(A.module.HEAPU8.length);  // the next views are on the grown memory
  const s = new A.DurationSketch();
  assert.equal(s.recordBulk(durations.view), 1 << 20);
  assert.deepEqual(A.DurationSketch.bucketIndices(durations.view.subarray(0, 3), 0), new Int32Array([2, 2, 2]));
  for (const x of [answers, durations, grow]) x.free();
  t.dispose();
  s.dispose();
});

test('a callback that disposes the receiver makes the call throw invalid_argument, never reach freed memory', () => {
  const survey = api.Survey.parse(surveyText);
  assert.throws(() => survey.score({ get nps() { survey.dispose(); return 9; } }),
                (e) => isCxmError(e) && e.code === errc.invalid_argument && /dispose\(\)/.test(e.message));
  assert.throws(() => survey.id, (e) => isCxmError(e) && e.code === errc.invalid_argument, 'getters too');
  const sketch = new api.DurationSketch();
  assert.throws(() => sketch.recordBulk([1, { valueOf: () => 2 }]), (e) => isCxmError(e) && e.code === errc.wrong_type);
  const values = [1, 2, 3];
  Object.defineProperty(values, 2, { get() { sketch.dispose(); return 3; } });
  assert.throws(() => sketch.recordBulk(values), (e) => isCxmError(e) && e.code === errc.invalid_argument);
  const tally = new api.ScaleTally();
  const cause = new Error('mine');
  assert.throws(() => new api.ScaleTally({ get min() { throw cause; }, max: 5, topBoxMin: 4 }),
                (e) => isCxmError(e) && e.code === errc.invalid_argument && e.cause === cause);
  assert.throws(() => tally.merge(new Proxy(tally, {})), (e) => isCxmError(e) && e.code === errc.incompatible);
  assert.throws(() => tally.merge(Object.create(api.ScaleTally.prototype)), (e) => isCxmError(e) && e.code === errc.incompatible);
  tally.dispose();
});

test('lone surrogates cross as U+FFFD and never swallow the next character', () => {
  const s = new api.DurationSketch();
  s.record(5);
  const otlp = JSON.parse(s.toOtlpJson({ name: 'step\uD800x', startTime: 1n, time: 2n }));
  assert.equal(otlp.resourceMetrics[0].scopeMetrics[0].metrics[0].name, 'step\uFFFDx');
  s.dispose();
  const d = api.JourneyDefinition.parse(journeyText);
  const tracker = new api.JourneyTracker(d);
  const r = tracker.addEventsJsonl('{"journey_id":"j\uD800","type":"step_begin","step":"application","timestamp":1}');
  assert.deepEqual([r.accepted, r.errors], [1, []], 'the closing quote survives');
  tracker.dispose();
  d.dispose();
});

test('the JS size limits are the core constants', () => {
  const { limits } = JSON.parse(api.module.constants());
  assert.equal(cxm.MAX_SURVEY_BYTES, limits.surveyBytes);
  assert.equal(cxm.MAX_JSON_BYTES, limits.tallyJsonBytes);
  assert.equal(limits.eventLineBytes, 64 << 10);
  assert.equal(limits.responseLineBytes, 1 << 20);
});

test('the exports of the modules are all covered above', async () => {
  // loadCxm has its own test; errc, CxmError and the limits are data. The class modules export
  // only the hooks cxm.mjs calls with a module's context (not API: not in the .d.ts), and the
  // helpers the classes share; their classes are members of the API object, called above.
  assert.deepEqual(Object.keys(cxm).sort(), ['CxmError', 'MAX_JSON_BYTES', 'MAX_SURVEY_BYTES', 'errc', 'loadCxm']);
  const { wasmDir } = await import('./helpers.mjs');
  const { pathToFileURL } = await import('node:url');
  const exportsOf = async (file) => Object.keys(await import(pathToFileURL(path.join(wasmDir, file)).href)).sort();
  assert.deepEqual(await exportsOf('sketch.mjs'), ['attachSketch']);
  assert.deepEqual(await exportsOf('journey.mjs'), ['attachJourney']);
  for (const [file, hook] of [['nps_tally.mjs', 'defineNpsTally'], ['scale_tally.mjs', 'defineScaleTally'],
                              ['survey_tally.mjs', 'defineSurveyTally'], ['duration_sketch.mjs', 'defineDurationSketch'],
                              ['duration_buffer.mjs', 'defineDurationBuffer'], ['journey_definition.mjs', 'defineJourneyDefinition'],
                              ['journey_tracker.mjs', 'defineJourneyTracker'], ['journey_report.mjs', 'defineJourneyReport']])
    assert.deepEqual(await exportsOf(file), [hook], file);
  assert.deepEqual(await exportsOf('answer_buffer.mjs'), ['defineAnswerBuffer', 'inPlaceRange']);
  assert.deepEqual(await exportsOf('survey.mjs'), ['answersText', 'checkQuestion', 'defineSurvey']);
});
