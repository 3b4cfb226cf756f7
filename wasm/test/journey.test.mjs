// SPDX-License-Identifier: MIT
// The journey tracker from JavaScript: the same numbers as native (the hand-traced golden file
// of tests/unit/journey_tracker_test.cpp, and examples/data against the native report written
// by tests/unit/journey_examples_test.cpp), bad input, merge of two halves, lifecycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { api, repo, errc, cxmError } from './helpers.mjs';

const { JourneyDefinition, JourneyTracker, JourneyReport, DurationSketch } = api;
const read = (p) => fs.readFileSync(path.join(repo, p), 'utf8');
const small = { definition: read('tests/data/journeys/definition.json'), events: read('tests/data/journeys/events.jsonl') };
const ex = {
  definition: read('examples/data/journey.json'),
  events: read('examples/data/events.jsonl'),
  responses: read('examples/data/responses.jsonl'),
  report: read('tests/data/journeys/examples_report.json').trim(),
  summary: JSON.parse(read('tests/data/journeys/examples_summary.json')),
};

/** events, finish(), then responses: the order of journey_examples_test.cpp. */
function run(definitionText, events, responses) {
  const def = JourneyDefinition.parse(definitionText);
  const t = new JourneyTracker(def);
  const ev = t.addEventsJsonl(events);
  t.finish();
  const rs = responses === undefined ? null : t.attachResponsesJsonl(responses);
  const report = t.report();
  t.dispose();
  def.dispose();
  return { report, ev, rs };
}

test('the small golden file gives the hand-traced numbers of the native test', () => {
  const { report, ev } = run(small.definition, small.events);
  assert.equal(ev.lines, 37);
  assert.equal(ev.rejectedLines, 2);
  assert.deepEqual(ev.errors.map((e) => [e.line, e.codeName, e.path]), [[36, 'parse_error', ''], [37, 'missing_field', 'duration_ms']]);
  assert.deepEqual(ev.trackerErrors, [{ line: 29, reason: 'clock_backwards' }, { line: 31, reason: 'unknown_journey' },
                                      { line: 32, reason: 'unknown_step' }]);
  const s = report.toJSON();
  assert.deepEqual(s.rejected, { unknown_step: 1, unknown_journey: 1, unknown_touchpoint: 0, begin_twice: 1,
                                 end_without_begin: 1, double_end: 1, clock_backwards: 1, duration_over_year: 1,
                                 journey_closed: 1, invalid_event: 0, duplicate_response: 0 });
  assert.deepEqual(s.events, { accepted: 32, applied: 27 });
  assert.deepEqual(s.funnel, [
    { step: 'application', reached: 4, ended: 3, conversionToNext: 0.5, dropped: 2 },
    { step: 'identity_check', reached: 2, ended: 1, conversionToNext: 0.5, dropped: 1 },
    { step: 'card_ordered', reached: 1, ended: 1, conversionToNext: 0, dropped: 0 }]);
  const app = s.steps.find((x) => x.name === 'application').duration;
  assert.deepEqual([app.count, app.sum, app.min, app.max], [3, 11000, 2000, 5000]);
  assert.equal(s.segments['age=young,customer=private'].effort.index, 4);
  assert.equal(s.segments['age=old,customer=business'].effort.index, 3);
  assert.deepEqual(s.outcomes, { started: 4, completed: 1, abandoned: 1, abandonedTimeout: 0, evicted: 0, unfinished: 2 });
  assert.equal(s.timeToComplete.max, 12000);
  report.dispose();
});

test('examples/data in wasm serializes byte for byte as the native report', () => {
  const { report, ev, rs } = run(ex.definition, ex.events, ex.responses);
  assert.equal(ev.rejected, 0);
  assert.equal(rs.attached, ex.summary.surveyAttached);
  assert.equal(report.toJson(), ex.report);
  const native = JourneyReport.fromJson(ex.report);
  assert.ok(report.equals(native));
  native.dispose();

  const s = report.toJSON();
  assert.deepEqual(s.funnel, ex.summary.funnel);
  for (const want of ex.summary.steps) {
    const got = s.steps.find((x) => x.name === want.name).duration;
    assert.deepEqual({ name: want.name, count: got.count, p50: got.p50, p90: got.p90, p99: got.p99 }, want);
  }
  assert.deepEqual({ started: s.outcomes.started, completed: s.outcomes.completed, abandoned: s.outcomes.abandoned,
                     unfinished: s.outcomes.unfinished }, ex.summary.outcomes);
  assert.equal(s.effort.index, ex.summary.effortIndex);
  assert.deepEqual(s.consistency.quotes.filter((q) => q.inconsistent).map((q) => q.key), ex.summary.inconsistentQuotes);
  assert.equal(s.survey.attached, ex.summary.surveyAttached);
  // A step's sketch round-trips into a DurationSketch with the same quantiles.
  const sk = DurationSketch.fromJson(report.stepSketchJson('card_delivered'));
  assert.equal(sk.quantile(0.9), ex.summary.steps.find((x) => x.name === 'card_delivered').p90);
  sk.dispose();
  // toJson -> fromJson -> toJson is the identity.
  const again = JourneyReport.fromJson(report.toJson());
  assert.equal(again.toJson(), ex.report);
  again.dispose();
  report.dispose();
});

test('merging the reports of two halves (split by journey id) equals the report of the whole', () => {
  const half = (k) => (line) => {
    const m = /"journey_id":"j-(\d+)"/.exec(line);
    return m !== null && Number(m[1]) % 2 === k;
  };
  const lines = (text) => text.split('\n').filter((l) => l.length > 0);
  const ev = lines(ex.events), rs = lines(ex.responses);
  const a = run(ex.definition, ev.filter(half(0)).join('\n'), rs.filter(half(0)).join('\n')).report;
  const b = run(ex.definition, ev.filter(half(1)).join('\n'), rs.filter(half(1)).join('\n')).report;
  assert.notEqual(a.toJson(), ex.report);
  a.merge(b);
  assert.equal(a.toJson(), ex.report);
  // merge is commutative too
  const a2 = run(ex.definition, ev.filter(half(0)).join('\n'), rs.filter(half(0)).join('\n')).report;
  b.merge(a2);
  assert.equal(b.toJson(), ex.report);
  for (const r of [a, b, a2]) r.dispose();
});

test('addEvent / attachResponse one object at a time equal the JSON Lines path', () => {
  const def = JourneyDefinition.parse(small.definition);
  const t = new JourneyTracker(def);
  let thrown = 0;
  for (const line of small.events.split('\n').filter(Boolean)) {
    let obj;
    try { obj = JSON.parse(line); } catch { continue; }  // the malformed line 36
    try { t.addEvent(obj); } catch (e) { assert.ok(e instanceof api.CxmError); ++thrown; }
  }
  assert.equal(thrown, 4);  // missing duration_ms + three rejected on arrival
  t.finish();
  const one = t.report();
  const { report: all } = run(small.definition, small.events);
  assert.deepEqual(one.toJSON(), all.toJSON());
  // a response for the completed j1
  assert.equal(t.attachResponse({ id: 'r1', survey_id: 's', timestamp: '2026-01-01T00:00:00Z', journey_id: 'j1',
                                  step: 'identity_check', answers: { nps: 9 } }), 'none');
  assert.equal(t.attachResponse({ id: 'r2', survey_id: 's', timestamp: 1000, answers: { nps: 9 } }), 'unknown_step');
  const withSurvey = t.report().toJSON();
  assert.equal(withSurvey.survey.attached, 1);
  assert.equal(withSurvey.survey.steps.find((x) => x.step === 'identity_check').nps, 100);
  // Dates are accepted as timestamps; advance() abandons inactive journeys.
  t.addEvent({ journey_id: 'late', type: 'step_begin', step: 'application', timestamp: new Date(5_000_000) });
  assert.equal(t.openJourneys, 1);
  t.advance(new Date(5_000_000 + 86_400_000 + 1));
  assert.equal(t.openJourneys, 0);
  assert.equal(t.report().toJSON().outcomes.abandonedTimeout, 1);
  for (const o of [one, all, t, def]) o.dispose();
});

test('responses delivered in two calls, or twice in one, attach once', () => {
  const def = JourneyDefinition.parse(ex.definition);
  const t = new JourneyTracker(def);
  t.addEventsJsonl(ex.events);
  t.finish();
  const lines = ex.responses.split('\n').filter(Boolean);
  const first = t.attachResponsesJsonl(lines.slice(0, 100).join('\n'));
  const again = t.attachResponsesJsonl(lines.slice(50, 150).join('\n'));
  assert.equal(again.responses, 100);
  assert.equal(again.notAttached.duplicate_response, 50);
  const inOne = t.attachResponsesJsonl([lines[200], lines[200]].join('\n'));
  assert.equal(inOne.notAttached.duplicate_response, 1);
  assert.equal(t.attachResponse(JSON.parse(lines[0])), 'duplicate_response');
  const r = t.report();
  assert.equal(r.toJSON().survey.duplicate, 50 + 1 + 1);
  const once = run(ex.definition, ex.events, lines.slice(0, 150).concat(lines[200]).join('\n')).report;
  assert.deepEqual({ ...r.toJSON().survey, duplicate: 0 }, once.toJSON().survey);
  assert.equal(first.attached + again.attached + inOne.attached, r.toJSON().survey.attached);
  for (const o of [r, once, t, def]) o.dispose();
});

test('bad input: CxmError before or from the core, never a crash', () => {
  assert.throws(() => JourneyDefinition.parse(42), cxmError(errc.wrong_type));
  assert.throws(() => JourneyDefinition.parse('x'.repeat((1 << 20) + 1)), cxmError(errc.too_large));
  assert.throws(() => JourneyDefinition.parse('{"format":"cxm.journey"'), cxmError(errc.parse_error));
  const wrongVersion = small.definition.replace('"version":1', '"version":2');
  assert.throws(() => JourneyDefinition.parse(wrongVersion), cxmError(errc.unsupported_version));
  const badChannel = small.definition.replace('"channel":"web"', '"channel":7');
  assert.throws(() => JourneyDefinition.parse(badChannel), (e) => e instanceof api.CxmError && /channel/.test(e.message));
  assert.throws(() => new JourneyDefinition(), cxmError(errc.invalid_argument));
  assert.throws(() => new JourneyTracker({}), cxmError(errc.invalid_argument));

  const def = JourneyDefinition.parse(small.definition);
  const t = new JourneyTracker(def);
  for (const bad of [null, 5, 'text', [], new Map()]) assert.throws(() => t.addEvent(bad), cxmError(errc.wrong_type));
  assert.throws(() => t.addEvent({ type: 'step_begin', timestamp: 1 }), cxmError(errc.missing_field));
  assert.throws(() => t.addEvent({ journey_id: 'j', type: 'teleport', timestamp: 1 }), cxmError(errc.invalid_argument));
  assert.throws(() => t.addEvent({ journey_id: 'j', type: 'step_begin', step: 'application', timestamp: 1.5 }),
                cxmError(errc.invalid_argument));
  assert.throws(() => t.addEvent({ journey_id: 'j', type: 'step_begin', step: 'application', timestamp: NaN }),
                cxmError(errc.invalid_argument));
  assert.throws(() => t.addEvent({ journey_id: 'j', type: 'wait', timestamp: 1, duration_ms: 10n }),
                cxmError(errc.wrong_type));
  assert.throws(() => t.addEvent({ journey_id: 'j', type: 'wait', timestamp: 1 }), cxmError(errc.missing_field));
  assert.throws(() => t.addEvent({ journey_id: 'j', type: 'step_begin', step: 'teleport', timestamp: 1 }),
                (e) => e instanceof api.CxmError && /unknown_step/.test(e.message));
  assert.throws(() => t.addEvent({ journey_id: 'j', type: 'step_begin', step: 'application', timestamp: 1, x: 'y'.repeat(70000) }),
                cxmError(errc.too_large));
  assert.throws(() => t.addEventsJsonl(5), cxmError(errc.wrong_type));
  assert.throws(() => t.attachResponsesJsonl(null), cxmError(errc.wrong_type));
  assert.throws(() => t.attachResponse({ id: 'r' }), cxmError(errc.missing_field));
  assert.throws(() => t.advance(1.5), cxmError(errc.invalid_argument));
  assert.throws(() => t.advance('1000'), cxmError(errc.invalid_argument));
  assert.throws(() => t.advance(Infinity), cxmError(errc.invalid_argument));
  const r = t.addEventsJsonl('{"journey_id":"j","type":"step_begin","step":"application","timestamp":1}\nnot json\n\n');
  assert.deepEqual([r.lines, r.events, r.accepted, r.rejectedLines], [3, 1, 1, 1]);

  // Reports: strict decoding, incompatible merges leave the report unchanged.
  assert.throws(() => JourneyReport.fromJson('{}'), (e) => e instanceof api.CxmError);
  assert.throws(() => JourneyReport.fromJson(ex.report.replace('"version":2', '"version":9')),
                cxmError(errc.unsupported_version));
  assert.throws(() => JourneyReport.fromJson(7), cxmError(errc.wrong_type));
  const mine = t.report();
  const other = JourneyReport.fromJson(ex.report);
  const before = mine.toJson();
  assert.throws(() => mine.merge(other), cxmError(errc.incompatible));
  assert.equal(mine.toJson(), before);
  assert.throws(() => mine.merge({}), cxmError(errc.incompatible));
  assert.throws(() => mine.stepSketchJson('teleport'), cxmError(errc.invalid_argument));

  // Lifecycle: dispose is idempotent, later use throws.
  for (const o of [mine, other, t, def]) { o.dispose(); o.dispose(); assert.ok(o.disposed); }
  assert.throws(() => mine.toJson(), cxmError(errc.invalid_argument));
  assert.throws(() => t.addEvent({ journey_id: 'j', type: 'complete', timestamp: 1 }), cxmError(errc.invalid_argument));
  assert.throws(() => new JourneyTracker(def), cxmError(errc.invalid_argument));
});
