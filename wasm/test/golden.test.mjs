// SPDX-License-Identifier: MIT
// Golden values (tests/data/golden.json, computed independently with mpmath) through the JS
// API, to the native GoogleTest golden test's tolerance: the same numbers as native.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api, repo, errc, cxmError } from './helpers.mjs';

const golden = JSON.parse(readFileSync(path.join(repo, 'tests/data/golden.json'), 'utf8'));
const tolerance = 1e-9;

function near(actual, expected, what, tol = tolerance) {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs golden ${expected}`);
}

function npsTally(counts) {
  const t = new api.NpsTally();
  counts.forEach((c, answer) => { for (let i = 0; i < c; ++i) t.add(answer); });
  return t;
}

test('golden: NPS scores, standard errors and intervals', () => {
  let checked = 0;
  for (const c of golden.nps) {
    const t = npsTally(c.counts);
    assert.deepEqual(t.counts(), c.counts, c.name);
    assert.equal(t.promoters(), c.promoters, c.name);
    assert.equal(t.passives(), c.passives, c.name);
    assert.equal(t.detractors(), c.detractors, c.name);
    assert.equal(t.total(), c.n, c.name);
    near(t.score(), c.score, `${c.name} score`);
    near(t.standardError(), c.wald_se, `${c.name} wald se`);
    near(t.adjustedScore(), c.adjusted_score, `${c.name} adjusted score`);
    near(t.adjustedStandardError(), c.adjusted_se, `${c.name} adjusted se`);
    for (const iv of c.intervals) {
      const what = `${c.name} ${iv.method} @${iv.level}`;
      const ci = t.confidenceInterval(iv.level, iv.method);
      near(ci.lower, iv.lower, `${what} lower`);
      near(ci.upper, iv.upper, `${what} upper`);
      assert.equal(ci.n, c.n, what);
      assert.equal(ci.level, iv.level, what);
      assert.equal(ci.method, iv.method, what);
      assert.equal(ci.smallSample, c.n < 30, what);
      near(ci.point, c.score, `${what} point`);
      near(ci.center, iv.method === 'adjusted_wald' ? c.adjusted_score : c.score, `${what} center`);
      assert.equal(ci.pointInside, ci.lower <= ci.point && ci.point <= ci.upper, what);
      ++checked;
    }
    t.dispose();
  }
  assert.ok(checked >= 90, `only ${checked} intervals checked`);
});

test('golden: NPS differences', () => {
  let checked = 0;
  for (const c of golden.nps_difference) {
    const a = npsTally(c.a);
    const b = npsTally(c.b);
    const what = `${c.name} ${c.method} @${c.level}`;
    const d = api.compareNps(a, b, c.level, c.method);
    near(d.difference, c.difference, `${what} difference`);
    near(d.standardError, c.se, `${what} se`);
    near(d.lower, c.lower, `${what} lower`);
    near(d.upper, c.upper, `${what} upper`);
    near(d.pValue, c.p_value, `${what} p`, 1e-12);
    assert.equal(d.level, c.level, what);
    assert.equal(d.method, c.method, what);
    assert.equal(d.nA, a.total(), what);
    assert.equal(d.nB, b.total(), what);
    a.dispose();
    b.dispose();
    ++checked;
  }
  assert.ok(checked >= 16, `only ${checked} differences checked`);
});

test('golden: CES and CSAT scale tallies', () => {
  let checked = 0;
  for (const c of golden.scale) {
    const t = new api.ScaleTally({ min: c.scale.min, max: c.scale.max, topBoxMin: c.scale.top_box_min });
    assert.deepEqual(t.scale(), { min: c.scale.min, max: c.scale.max, topBoxMin: c.scale.top_box_min });
    c.counts.forEach((n, i) => { for (let k = 0; k < n; ++k) t.add(c.scale.min + i); });
    assert.deepEqual(t.counts(), c.counts, c.name);
    assert.equal(t.total(), c.n, c.name);
    near(t.mean(), c.mean, `${c.name} mean`);
    near(t.topBoxShare(), c.top_box, `${c.name} top box`);
    if (c.sd === null) {
      assert.throws(() => t.meanInterval(), cxmError(errc.empty), c.name);
    } else {
      near(t.standardDeviation(), c.sd, `${c.name} sd`);
    }
    for (const iv of c.mean_intervals) {
      const ci = t.meanInterval(iv.level, 'student_t');  // this section is Student's; Hall's: scale_mean
      near(ci.lower, iv.lower, `${c.name} mean @${iv.level} lower`);
      near(ci.upper, iv.upper, `${c.name} mean @${iv.level} upper`);
      assert.equal(ci.method, 'student_t');
      assert.equal(ci.n, c.n);
      ++checked;
    }
    for (const iv of c.top_box_intervals) {
      const ci = t.topBoxInterval(iv.level);
      near(ci.lower, iv.lower, `${c.name} top box @${iv.level} lower`);
      near(ci.upper, iv.upper, `${c.name} top box @${iv.level} upper`);
      assert.equal(ci.method, 'wilson');
      ++checked;
    }
    t.dispose();
  }
  assert.ok(checked >= 20, `only ${checked} scale intervals checked`);
});

test('golden: scale mean intervals by method (mean_interval_golden.py); hall_t is the default', () => {
  let checked = 0;
  for (const c of golden.scale_mean) {
    const t = new api.ScaleTally({ min: c.scale.min, max: c.scale.max, topBoxMin: c.scale.max });
    c.counts.forEach((n, i) => { for (let k = 0; k < n; ++k) t.add(c.scale.min + i); });
    for (const iv of c.intervals) {
      const ci = t.meanInterval(iv.level, iv.method);
      near(ci.lower, iv.lower, `${c.name} ${iv.method} @${iv.level} lower`);
      near(ci.upper, iv.upper, `${c.name} ${iv.method} @${iv.level} upper`);
      assert.equal(ci.method, iv.method);
      if (iv.method === 'hall_t') assert.deepEqual(t.meanInterval(iv.level), ci);
      ++checked;
    }
    assert.throws(() => t.meanInterval(0.95, 'wilson'), cxmError(errc.invalid_argument), c.name);
    t.dispose();
  }
  assert.ok(checked >= 60, `only ${checked} mean intervals checked`);
});

test('golden: the JS errc map matches sdk/include/cxm/core/status.hpp', () => {
  const header = readFileSync(path.join(repo, 'sdk/include/cxm/core/status.hpp'), 'utf8');
  const body = header.slice(header.indexOf('enum class errc'), header.indexOf('};', header.indexOf('enum class errc')));
  const native = Object.fromEntries([...body.matchAll(/^\s*(\w+)\s*=\s*(\d+)\s*,/gm)].map((m) => [m[1], Number(m[2])]));
  assert.deepEqual({ ...errc }, native);
  assert.ok(Object.isFrozen(errc));
  for (const [name, code] of Object.entries(errc)) {
    assert.equal(api.errorName(code), name);
    assert.equal(api.module.errorName(code), name, 'the JS names match the wasm ones');
    assert.equal(typeof api.errorMessage(code), 'string');
  }
  assert.equal(api.errorName(999), 'unknown');
});
