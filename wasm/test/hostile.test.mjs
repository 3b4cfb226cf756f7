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
import path from 'node:path';
import { api, cxm, errc, CxmError, mulberry32 } from './helpers.mjs';
import {
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
} from './hostile_values.mjs';

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
