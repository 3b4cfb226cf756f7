// SPDX-License-Identifier: MIT
// The arguments of the hostile-argument test (hostile.test.mjs): the bundled inputs, the hostile
// values (wrong types, extreme numbers, huge and ill-formed strings, deep JSON, detached buffers,
// throwing getters, Proxies, re-entrant callbacks), the seeded mutations of good inputs, and a
// plausible argument list per API entry. The test's driver and checks live in hostile.test.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { repo, errc, CxmError } from './helpers.mjs';

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

export {
  SEED,
  CALLS,
  read,
  surveyText,
  journeyText,
  eventsText,
  eventLines,
  CODES,
  detached,
  heap,
  boom,
  thrower,
  revokedProxy,
  trapAll,
  getters,
  HOSTILE,
  PLAUSIBLE,
};
