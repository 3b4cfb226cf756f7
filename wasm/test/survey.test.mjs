// SPDX-License-Identifier: MIT
// Survey definitions, responses and tallies through the JS API, against the same shared
// tables the native GoogleTest reads (tests/data/surveys/): the same errors with the same
// paths, the same visible questions, problems and scores, the same sampling hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api, cxm, repo, errc, CxmError, cxmError, mulberry32 } from './helpers.mjs';

const { Survey, SurveyTally } = api;
const data = (name) => readFileSync(path.join(repo, 'tests/data/surveys', name), 'utf8');
const sampleText = readFileSync(path.join(repo, 'examples/web/surveys/after-onboarding.json'), 'utf8');
const conditionsText = data('conditions.json');

function withSurvey(text, fn) {
  const s = Survey.parse(text);
  try {
    return fn(s);
  } finally {
    s.dispose();
  }
}

// The patch operations of invalid_definitions.json (as survey_test_support.hpp applies them).
function caseText(c) {
  if (c.text !== undefined) return c.text;
  const doc = JSON.parse(conditionsText);
  for (const op of c.ops) {
    let at = doc;
    for (const k of op.path.slice(0, -1)) at = at[k];
    const last = op.path.at(-1);
    if (op.op === 'remove') {
      if (Array.isArray(at)) at.splice(last, 1);
      else delete at[last];
    } else {
      at[last] = op.value;
    }
  }
  return JSON.stringify(doc);
}

test('the sample survey parses; toJSON is the normalized definition', () => {
  withSurvey(sampleText, (s) => {
    assert.equal(s.id, 'after-onboarding');
    assert.equal(s.surveyVersion, 3);
    assert.equal(s.defaultLocale, 'en');
    assert.deepEqual(s.locales, ['en', 'he']);
    const info = s.toJSON();
    assert.deepEqual(info.targeting, { sampleRate: 0.5, cooldownDays: 30, globalCooldownDays: 7 });
    assert.equal(info.locales.he.dir, 'rtl');
    assert.equal(info.locales.en.dir, 'ltr');
    assert.equal(info.locales.he.ui.submit, 'שליחה');
    assert.deepEqual(info.questions, [
      { id: 'nps', type: 'nps', required: true, scale: { min: 0, max: 10, topBoxMin: 9 }, conditional: false },
      { id: 'what_went_wrong', type: 'text', required: false, maxLength: 500, conditional: true },
      { id: 'ces', type: 'ces', required: false, scale: { min: 1, max: 7, topBoxMin: 5 }, conditional: false },
      { id: 'csat', type: 'csat', required: false, scale: { min: 1, max: 5, topBoxMin: 4 }, conditional: false },
      { id: 'feeling', type: 'emotion', required: false, conditional: false,
        choices: ['excited', 'happy', 'indifferent', 'bored', 'impatient', 'embarrassed', 'confused', 'angry'] },
      { id: 'channels', type: 'choice', required: false, multiple: true, choices: ['web', 'app', 'phone', 'branch'],
        conditional: false },
    ]);
    info.questions.length = 0;  // a fresh object each call
    assert.equal(s.toJSON().questions.length, 6);
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s.toJSON());
    const again = Survey.parse(s.canonicalJson());
    assert.equal(again.canonicalJson(), s.canonicalJson());
    again.dispose();
  });
});

test('a Survey reads its description once: the getters and toJSON() neither ask wasm nor parse again', () => {
  const parse = JSON.parse;
  let parses = 0;
  withSurvey(sampleText, (s) => {
    const first = { id: s.id, surveyVersion: s.surveyVersion, defaultLocale: s.defaultLocale, locales: s.locales, info: s.toJSON() };
    JSON.parse = (...args) => { ++parses; return parse(...args); };
    try {
      for (let i = 0; i < 100; ++i) {
        assert.equal(s.id, first.id);
        assert.equal(s.surveyVersion, first.surveyVersion);
        assert.equal(s.defaultLocale, first.defaultLocale);
        assert.deepEqual(s.locales, first.locales);
        assert.deepEqual(s.toJSON(), first.info);
      }
    } finally {
      JSON.parse = parse;
    }
    assert.equal(parses, 0, 'no getter parsed the description again');
    // What a getter hands out is the caller's: changing it changes nothing the survey says.
    s.locales.push('fr');
    const info = s.toJSON();
    info.id = 'changed';
    info.locales.en.dir = 'rtl';
    assert.deepEqual([s.id, s.locales, s.toJSON().locales.en.dir], ['after-onboarding', ['en', 'he'], 'ltr']);
    assert.notEqual(s.toJSON(), s.toJSON(), 'a fresh object each call');
  });
});

test('every invalid definition of the shared table fails with the native code and path', () => {
  const { cases } = JSON.parse(data('invalid_definitions.json'));
  assert.ok(cases.length >= 70);
  for (const c of cases) {
    assert.throws(() => Survey.parse(caseText(c)), (e) => {
      assert.ok(e instanceof CxmError, c.name);
      assert.equal(e.codeName, c.code, `${c.name}: ${e.message}`);
      if (c.detail !== undefined) assert.equal(e.message, c.detail, c.name);
      if (c.contains !== undefined) assert.ok(e.message.includes(c.contains), `${c.name}: ${e.message}`);
      return true;
    }, c.name);
  }
});

test('definitions over 256 KiB are refused in JS, before wasm sees them', () => {
  const raw = api.module.Survey;
  const parse = raw.parse;
  let calls = 0;
  raw.parse = (...a) => { ++calls; return parse.apply(raw, a); };
  try {
    assert.equal(cxm.MAX_SURVEY_BYTES, 256 * 1024);
    const padded = sampleText + ' '.repeat(cxm.MAX_SURVEY_BYTES - Buffer.byteLength(sampleText) + 1);
    assert.throws(() => Survey.parse(padded), cxmError(errc.too_large));
    // Fewer UTF-16 units than the limit, more UTF-8 bytes: still refused in JS.
    const hebrew = sampleText.replace('"What went wrong?"', `"${'ש'.repeat(130 * 1024)}"`);
    assert.ok(hebrew.length < cxm.MAX_SURVEY_BYTES);
    assert.throws(() => Survey.parse(hebrew), cxmError(errc.too_large));
    assert.throws(() => Survey.parse(new Uint8Array(cxm.MAX_SURVEY_BYTES + 1)), cxmError(errc.too_large));
    assert.equal(calls, 0);
    // At the limit exactly: accepted.
    const fits = sampleText + ' '.repeat(cxm.MAX_SURVEY_BYTES - Buffer.byteLength(sampleText));
    Survey.parse(fits).dispose();
    Survey.parse(new TextEncoder().encode(sampleText)).dispose();
    assert.equal(calls, 2);
  } finally {
    raw.parse = parse;
  }
  for (const bad of [undefined, null, 42, {}, ['{}']])
    assert.throws(() => Survey.parse(bad), cxmError(errc.wrong_type));
  assert.throws(() => new Survey(), cxmError(errc.invalid_argument));
});

test('the shared answer sets give the native visible questions, problems and scores', () => {
  const { cases } = JSON.parse(data('answers.json'));
  assert.ok(cases.length >= 40);
  withSurvey(conditionsText, (s) => {
    for (const c of cases) {
      assert.deepEqual(s.visibleQuestions(c.answers), c.visible, c.name);
      const v = s.validate(c.answers);
      assert.equal(v.ok, c.ok, c.name);
      assert.deepEqual(v.problems.map((p) => ({ question: p.question, code: p.codeName })), c.problems, c.name);
      for (const p of v.problems) {
        assert.equal(p.code, errc[p.codeName], c.name);
        assert.ok(p.reason.length > 0, c.name);
      }
      const score = s.score(c.answers);
      assert.equal(score.ok, c.ok, c.name);
      assert.deepEqual(score.problems, v.problems, c.name);
      const questions = structuredClone(score.questions);
      for (const [id, q] of Object.entries(questions)) {
        if (q.type === 'text') {
          assert.equal(q.length, [...q.value].length, `${c.name}: ${id} length in code points`);
          delete q.length;
        }
      }
      assert.deepEqual(questions, c.scores, c.name);
    }
  });
});

test('answers are checked in JS before they reach wasm', () => {
  withSurvey(conditionsText, (s) => {
    for (const bad of [null, undefined, 5, 'nps', [9]])
      assert.throws(() => s.validate(bad), cxmError(errc.wrong_type), String(bad));
    assert.throws(() => s.validate({ nps: NaN }), cxmError(errc.not_finite));
    assert.throws(() => s.score({ nps: Infinity }), cxmError(errc.not_finite));
    assert.throws(() => s.validate({ nps: 9n }), cxmError(errc.wrong_type));
    assert.throws(() => s.validate({ nps: () => 9 }), cxmError(errc.wrong_type));
    // undefined means not answered; objects and odd array items are reported, not walked.
    assert.deepEqual(s.validate({ nps: 9, why_low: undefined }), { ok: true, problems: [] });
    const cyclic = {};
    cyclic.self = cyclic;
    const v = s.validate({ nps: 9, ces: cyclic, channels: ['web', cyclic] });
    assert.deepEqual(v.problems.map((p) => [p.question, p.codeName, p.reason]), [
      ['ces', 'wrong_type', 'expected an integer 1-7, got an object'],
      ['channels', 'wrong_type', 'expected an array of choice ids, got an array of non-strings'],
    ]);
    // A lone surrogate in a text answer is made well-formed, not a parse error.
    const lone = s.score({ nps: 2, why_low: 'ok\uD800' });
    assert.equal(lone.questions.why_low.value, 'ok\uFFFD');
    // Keys that are Object.prototype names are plain question ids.
    const proto = JSON.parse('{"nps":9,"__proto__":1,"constructor":2}');
    assert.deepEqual(s.validate(proto).problems.map((p) => p.question), ['__proto__', 'constructor']);
  });
});

test('texts: locale fallback, direction, and markup returned verbatim as data', () => {
  withSurvey(conditionsText, (s) => {
    assert.deepEqual(s.text('nps', 'he'), {
      prompt: 'תמליצו עלינו?', minLabel: 'לא סביר', maxLabel: 'סביר מאוד', dir: 'rtl', locale: 'he' });
    assert.equal(s.text('nps', 'HE-il').locale, 'he');
    assert.deepEqual(s.text('why_mid', 'he'), { prompt: 'What would make it a 10?', dir: 'ltr', locale: 'en' });
    assert.deepEqual(s.text('channels', 'fr').choices, { web: 'Web', app: 'App', phone: 'Phone', branch: 'Branch' });
    assert.equal(s.text('channels').locale, 'en');
    assert.equal(s.resolveLocale('he-IL'), 'he');
    assert.equal(s.resolveLocale('de'), 'en');
    assert.deepEqual(s.uiText('he'), { submit: 'שליחה', dir: 'rtl', locale: 'he' });
    assert.throws(() => s.text('nope', 'en'), (e) => cxmError(errc.invalid_argument)(e) && /unknown question "nope"/.test(e.message));
    assert.throws(() => s.text(7, 'en'), cxmError(errc.invalid_argument));
  });
  const xss = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=1</script>&lt;\u202e';
  // The choice id "__proto__" and markup in every kind of text.
  const withLabels = sampleText.replaceAll('"web"', '"__proto__"')
    .replace('"עד כמה סביר שתמליצו עלינו לחבר או לעמית?"', JSON.stringify(xss))
    .replace('"Not at all likely"', JSON.stringify(xss))
    .replace('"Website"', JSON.stringify(xss));
  withSurvey(withLabels, (s) => {
    assert.equal(s.text('nps', 'he').prompt, xss);
    assert.equal(s.text('nps', 'en').minLabel, xss);
    const choices = s.text('channels', 'en').choices;
    assert.ok(Object.hasOwn(choices, '__proto__'), 'an own property, not the prototype');
    assert.equal(choices.__proto__, xss);  // eslint-disable-line no-proto
    assert.equal(Object.getPrototypeOf(choices), Object.prototype);
    assert.deepEqual(s.toJSON().questions[5].choices, ['__proto__', 'app', 'phone', 'branch']);
    assert.equal(s.score({ nps: 9, channels: ['__proto__'] }).questions.channels.value[0], '__proto__');
    assert.equal(globalThis.pwned, undefined);
  });
});

test('the sampling hash matches the independent golden values', () => {
  const { points } = JSON.parse(data('sampling.json'));
  let checked = 0;
  for (const p of points) {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(p.survey_id) || p.respondent_id === '') continue;
    const def = JSON.parse(sampleText);
    def.id = p.survey_id;
    withSurvey(JSON.stringify(def), (s) => {
      const point = s.samplingPoint(p.respondent_id);
      assert.equal(point, p.bits / 2 ** 53, `${p.survey_id} / ${p.respondent_id}`);
      assert.deepEqual(s.sample(p.respondent_id), { included: point < 0.5, probability: 0.5 });
    });
    ++checked;
  }
  assert.ok(checked >= 5);
});

test('sampling is stable and meets the rate over 100k ids', () => {
  withSurvey(sampleText, (s) => {
    let included = 0;
    const n = 100000;
    for (let i = 0; i < n; ++i) included += s.sample(`user-${i}`).included ? 1 : 0;
    const sd = Math.sqrt(n * 0.25);
    assert.ok(Math.abs(included - n / 2) < 5 * sd, `${included} of ${n}`);
    assert.equal(s.sample('respondent-1').included, s.sample('respondent-1').included);
    for (const bad of ['', undefined, 7, null])
      assert.throws(() => s.sample(bad), cxmError(errc.invalid_argument));
  });
});

test('eligible: sampled out, then this survey\'s cooldown, then the global one', () => {
  const def = JSON.parse(sampleText);
  def.targeting.sample_rate = 1;
  const day = 86400000;
  const now = 1_790_000_000_000;
  withSurvey(JSON.stringify(def), (s) => {
    assert.deepEqual(s.eligible('r', now, -1, -1), { eligible: true, reason: 'ok' });
    assert.deepEqual(s.eligible('r', now), { eligible: true, reason: 'ok' });
    assert.deepEqual(s.eligible('r', now, null, null), { eligible: true, reason: 'ok' });
    assert.deepEqual(s.eligible('r', now, now - 30 * day, -1), { eligible: true, reason: 'ok' });
    assert.deepEqual(s.eligible('r', now, now - 30 * day + 1, -1), { eligible: false, reason: 'cooldown' });
    assert.deepEqual(s.eligible('r', now, -1, now - 7 * day + 1), { eligible: false, reason: 'global_cooldown' });
    assert.deepEqual(s.eligible('r', now, now - day, now - day), { eligible: false, reason: 'cooldown' });
    assert.deepEqual(s.eligible('r', now, now + 5, -1), { eligible: false, reason: 'cooldown' });
    for (const [a, b, c] of [[NaN, -1, -1], [1.5, -1, -1], ['1', -1, -1], [-1, -1, -1], [now, -2, -1], [now, 0.5, -1],
                             [now, -1, 2 ** 60], [now, -1, Infinity]])
      assert.throws(() => s.eligible('r', a, b, c), cxmError(errc.invalid_argument), `${a} ${b} ${c}`);
  });
  def.targeting.sample_rate = 0;
  withSurvey(JSON.stringify(def), (s) => {
    assert.deepEqual(s.eligible('r', now, -1, -1), { eligible: false, reason: 'sampled_out' });
  });
});

test('SurveyTally: the denominators follow the shared expectations', () => {
  const { cases } = JSON.parse(data('answers.json'));
  withSurvey(conditionsText, (s) => {
    const tally = new SurveyTally(s);
    for (const c of cases) {
      const r = tally.add(c.answers);
      assert.equal(r.ok, c.ok, c.name);
      assert.equal(r.problems.length, c.problems.length, c.name);
    }
    const valid = cases.filter((c) => c.ok);
    const json = tally.toJSON();
    assert.equal(json.format, 'cxm.survey_tally');
    assert.equal(json.survey_id, 'conditions');
    assert.equal(json.survey_version, 2);
    assert.equal(json.responses, valid.length);
    assert.equal(json.rejected, cases.length - valid.length);
    assert.equal(tally.responses(), valid.length);
    assert.equal(tally.rejected(), cases.length - valid.length);
    assert.equal(json.version, 2);
    for (const q of json.questions) {
      assert.equal(q.shown, valid.filter((c) => c.visible.includes(q.id)).length, `${q.id} shown`);
      assert.equal(q.answered, valid.filter((c) => q.id in c.scores).length, `${q.id} answered`);
      assert.equal(q.invalid, 0, `${q.id}: a survey tally holds valid responses only`);
      assert.ok(!('problems' in q), `${q.id}: no problems while invalid is 0`);
      // The same counts, and skipped, from question().
      assert.deepEqual(tally.question(q.id), { id: q.id, type: q.type, shown: q.shown, answered: q.answered, invalid: 0,
                                               skipped: q.shown - q.answered, problems: {} }, q.id);
    }
    assert.throws(() => tally.question('nope'), (e) => cxmError(errc.invalid_argument)(e) && /no question "nope"/.test(e.message));
    assert.throws(() => tally.question(7), cxmError(errc.invalid_argument));
    const nps = json.questions.find((q) => q.id === 'nps');
    const expected = Array(11).fill(0);
    for (const c of valid) expected[c.scores.nps.value] += 1;
    assert.deepEqual(nps.counts, expected);
    const channels = json.questions.find((q) => q.id === 'channels');
    const perChoice = channels.choices.map((id) => valid.filter((c) => c.scores.channels?.value.includes(id)).length);
    assert.deepEqual(channels.counts, perChoice);

    const n = tally.npsTally('nps');
    assert.deepEqual(n.counts(), expected);
    n.dispose();
    const ces = tally.scaleTally('ces');
    assert.equal(ces.total(), valid.filter((c) => 'ces' in c.scores).length);
    assert.deepEqual(ces.scale(), { min: 1, max: 7, topBoxMin: 5 });
    ces.dispose();
    assert.throws(() => tally.npsTally('ces'), cxmError(errc.invalid_argument));
    assert.throws(() => tally.scaleTally('nps'), cxmError(errc.invalid_argument));
    tally.dispose();
  });
});

test('SurveyTally: merge laws, JSON round trip, incompatibility', () => {
  const rng = mulberry32(42);
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  const randomAnswers = () => {
    const a = { nps: Math.floor(rng() * 11) };
    if (rng() < 0.7) a.ces = 1 + Math.floor(rng() * 7);
    if (rng() < 0.7) a.csat = 1 + Math.floor(rng() * 5);
    if (rng() < 0.5) a.channels = ['web', 'app'].filter(() => rng() < 0.7);
    if (rng() < 0.5) a.feeling = pick(['happy', 'angry', 'confused', 'sad']);
    if (a.nps <= 6 && rng() < 0.5) a.why_low = 'slow';
    return a;
  };
  withSurvey(conditionsText, (s) => {
    const batches = [[], [], []];
    for (const b of batches) for (let i = 0; i < 40; ++i) b.push(randomAnswers());
    const tallyOf = (...bs) => {
      const t = new SurveyTally(s);
      for (const b of bs) for (const a of b) t.add(a);
      return t;
    };
    const [a, b, c] = batches.map((x) => tallyOf(x));
    const ab = tallyOf(batches[0]);
    ab.merge(b);
    const ba = tallyOf(batches[1]);
    ba.merge(a);
    assert.equal(ab.toJson(), ba.toJson());
    ab.merge(c);
    const all = tallyOf(...batches);
    assert.equal(ab.toJson(), all.toJson());
    assert.ok(all.rejected() > 0, 'some random responses are invalid');

    const decoded = SurveyTally.fromJson(all.toJson());
    assert.equal(decoded.toJson(), all.toJson());
    assert.deepEqual(JSON.parse(JSON.stringify(decoded)), all.toJSON());
    assert.throws(() => decoded.add({ nps: 9 }), cxmError(errc.invalid_argument));
    decoded.merge(a);
    const attached = SurveyTally.fromJson(all.toJson(), s);
    assert.deepEqual(attached.add({ nps: 9 }), { ok: true, problems: [] });

    withSurvey(sampleText, (other) => {
      const t = new SurveyTally(other);
      assert.throws(() => t.merge(all), cxmError(errc.incompatible));
      assert.throws(() => SurveyTally.fromJson(all.toJson(), other), cxmError(errc.incompatible));
      t.dispose();
    });
    assert.throws(() => all.merge({}), cxmError(errc.incompatible));
    assert.throws(() => new SurveyTally({}), cxmError(errc.invalid_argument));
    assert.throws(() => SurveyTally.fromJson('{"format":"cxm.survey_tally","version":9}'), cxmError(errc.unsupported_version));
    // Version 1 is no longer read.
    const v1 = all.toJson().replace('"version":2', '"version":1');
    assert.throws(() => SurveyTally.fromJson(v1), (e) => cxmError(errc.unsupported_version)(e) && /reads version 2/.test(e.message));
    for (const t of [a, b, c, ab, ba, all, decoded, attached]) t.dispose();
  });
});

test('dispose frees; later calls throw; parsing and disposing leaks nothing', () => {
  const s = Survey.parse(sampleText);
  const t = new SurveyTally(s);
  s.dispose();
  s.dispose();
  for (const call of [() => s.validate({}), () => s.text('nps'), () => s.sample('r'), () => s.toJSON(),
                      () => new SurveyTally(s)])
    assert.throws(call, (e) => cxmError(errc.invalid_argument)(e) && /dispose\(\)/.test(e.message));
  t.add({ nps: 9 });  // the tally keeps its own copy of the definition
  assert.equal(t.responses(), 1);
  t.dispose();

  const m = api.module;
  const round = () => {
    for (let i = 0; i < 200; ++i) {
      const x = Survey.parse(conditionsText);
      x.score({ nps: i % 11, why_low: 'x', channels: ['web'] });
      x.visibleQuestions({ nps: 3 });
      x.text('channels', 'he');
      try { Survey.parse('{"format":"cxm.survey","version":1,"id":"a b"}'); } catch { /* must not leak either */ }
      const y = new SurveyTally(x);
      y.add({ nps: 5 });
      const z = SurveyTally.fromJson(y.toJson(), x);
      z.dispose();
      y.dispose();
      x.dispose();
    }
  };
  const probe = () => { const p = m._malloc(4096); m._free(p); return p; };
  round();
  const [heap, at, handles] = [m.HEAPU8.length, probe(), m.count_emval_handles()];
  for (let k = 0; k < 3; ++k) round();
  assert.equal(m.HEAPU8.length, heap);
  assert.equal(probe(), at);
  assert.equal(m.count_emval_handles(), handles);
});

test('the survey-only module (the widget\'s) gives the same results and holds only Survey', async () => {
  const slim = await cxm.loadCxm({ variant: 'survey' });
  assert.deepEqual(Object.keys(slim).sort(), ['CxmError', 'Survey', 'errc', 'errorMessage', 'errorName', 'module']);
  assert.equal(slim.errorMessage(errc.out_of_range), 'out of range');
  const { cases } = JSON.parse(data('answers.json'));
  const full = Survey.parse(conditionsText);
  const s = slim.Survey.parse(conditionsText);
  assert.deepEqual(s.toJSON(), full.toJSON());
  for (const c of cases) {
    assert.deepEqual(s.visibleQuestions(c.answers), c.visible, c.name);
    assert.deepEqual(s.score(c.answers), full.score(c.answers), c.name);
  }
  for (let i = 0; i < 100; ++i) assert.equal(s.samplingPoint(`r${i}`), full.samplingPoint(`r${i}`));
  assert.deepEqual(s.text('channels', 'he'), full.text('channels', 'he'));
  assert.throws(() => s.canonicalJson(), cxmError(errc.invalid_argument));
  assert.throws(() => slim.Survey.parse('{"format":"cxm.survey","version":1,"id":"x y"}'),
                (e) => e instanceof slim.CxmError && e.codeName === 'invalid_argument' && e.message.startsWith('id: '));
  await assert.rejects(cxm.loadCxm({ variant: 'tiny' }), cxmError(errc.invalid_argument));
  s.dispose();
  full.dispose();
});

test('SurveyTally: the version 2 form, written by hand from the format', () => {
  const def = JSON.stringify({
    format: 'cxm.survey', version: 1, id: 'f', survey_version: 7, default_locale: 'en', locales: { en: { dir: 'ltr' } },
    questions: [
      { id: 'n', type: 'nps', required: true, text: { en: { prompt: '?' } } },
      { id: 'w', type: 'text', show_if: { question: 'n', category: ['detractor'] }, text: { en: { prompt: '?' } } },
      { id: 'c', type: 'ces', scale: 5, text: { en: { prompt: '?' } } },
      { id: 'm', type: 'choice', multiple: true, choices: ['x', 'y'], text: { en: { prompt: '?', choices: { x: 'X', y: 'Y' } } } },
    ] });
  withSurvey(def, (s) => {
    const t = new SurveyTally(s);
    assert.deepEqual(t.add({ n: 0, w: 'bad', c: 4, m: ['x', 'y'] }), { ok: true, problems: [] });
    assert.deepEqual(t.add({ n: 10, m: ['y'] }), { ok: true, problems: [] });
    const bad = t.add({ n: 11.5, c: 'x' });
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.problems.map((p) => [p.question, p.codeName, p.reason]), [
      ['n', 'not_integer', 'expected an integer 0-10, got 11.5'],
      ['c', 'wrong_type', 'expected an integer 1-5, got a string'],
    ]);
    const expected = {
      format: 'cxm.survey_tally', version: 2, survey_id: 'f', survey_version: 7, responses: 2, rejected: 1,
      questions: [
        { id: 'n', type: 'nps', shown: 2, answered: 2, invalid: 0, counts: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] },
        { id: 'w', type: 'text', shown: 1, answered: 1, invalid: 0 },
        { id: 'c', type: 'ces', scale: { min: 1, max: 5, top_box_min: 4 }, shown: 2, answered: 1, invalid: 0, counts: [0, 0, 0, 1, 0] },
        { id: 'm', type: 'choice', multiple: true, choices: ['x', 'y'], shown: 2, answered: 2, invalid: 0, counts: [1, 2] },
      ] };
    assert.equal(t.toJson(), JSON.stringify(expected));
    assert.deepEqual(t.toJSON(), expected);
    assert.deepEqual(t.question('c'), { id: 'c', type: 'ces', shown: 2, answered: 1, invalid: 0, skipped: 1, problems: {} });
    assert.deepEqual(t.question('w'), { id: 'w', type: 'text', shown: 1, answered: 1, invalid: 0, skipped: 0, problems: {} });
    t.dispose();
  });
});
