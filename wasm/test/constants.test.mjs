// SPDX-License-Identifier: MIT
// The bindings only translate: every enum, name list and limit of the JS API is declared once, in
// C++. constants.mjs and constants.d.ts are generated from those declarations at build time
// (tools/gen_constants.mjs); these tests fail when they drift from the headers (a stale build),
// from the names and limits the wasm modules report (constants(), built from the core's own
// name() tables and constants), or when a hand-written file of the wrapper spells a list out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { api, cxm, repo, wasmDir, errc, cxmError } from './helpers.mjs';

const gen = await import(pathToFileURL(path.join(repo, 'wasm/tools/gen_constants.mjs')).href);
const generated = await import(pathToFileURL(path.join(wasmDir, 'constants.mjs')).href);
const reported = JSON.parse(api.module.constants());
const GROUPS = ['enums', 'lists', 'limits'];

test('constants.mjs and constants.d.ts are what the C++ declarations give now (the build is not stale)', () => {
  for (const [file, text] of Object.entries(gen.generate(repo)))
    assert.equal(readFileSync(path.join(wasmDir, file), 'utf8'), text, `${file}: rebuild (cmake --build)`);
});

test('constants.mjs holds exactly what the full module reports', () => {
  for (const group of GROUPS) {
    assert.deepEqual(Object.keys(reported[group]).sort(), Object.keys(generated[group]).sort(), `${group}: the same keys`);
    for (const [key, value] of Object.entries(reported[group]))
      assert.deepEqual(generated[group][key], value, `${group}.${key}`);
  }
  // errc by name: the index of each name is its code.
  assert.deepEqual({ ...generated.errc }, Object.fromEntries(reported.enums.errc.map((n, i) => [n, i])));
  assert.equal(cxm.errc, generated.errc, 'cxm.mjs exports the generated errc');
  assert.equal(cxm.MAX_JSON_BYTES, reported.limits.tallyJsonBytes);
  assert.equal(cxm.MAX_SURVEY_BYTES, reported.limits.surveyBytes);
  assert.equal(reported.limits.maxCount, 2 ** 62, 'integers cross exactly');
});

test('the survey-only module reports the survey part, and it agrees', async () => {
  const slim = await cxm.loadCxm({ variant: 'survey' });
  const small = JSON.parse(slim.module.constants());
  for (const key of ['errc', 'questionType', 'npsCategory', 'textDirection', 'uiString', 'eligibilityReason'])
    assert.deepEqual(small.enums[key], generated.enums[key], key);
  for (const key of ['surveyBytes', 'answersBytes']) assert.equal(small.limits[key], generated.limits[key], key);
  assert.equal(small.enums.journeyError, undefined, 'only what the module binds');
  assert.equal(cxm.errc, slim.errc);
});

test('the name tables of the core give each enumerator its identifier, in value order', () => {
  // The names reported come from the core's name() functions: the same as the enum declarations
  // the generator read means that no name table strays from its enum.
  const data = gen.readConstants(repo);
  for (const e of data.enums) assert.deepEqual(reported.enums[e.key], e.members.map((m) => m.ident), e.name);
  for (const l of data.lists) assert.deepEqual(reported.lists[l.key], l.items, l.name);
  for (const [name, code] of Object.entries(errc)) assert.equal(api.module.errorName(code), name);
});

/** `export type Name = 'a' | 'b' | ...;` of a .d.ts: {Name: ['a', 'b', ...]}. */
function unionsOf(text) {
  const out = {};
  for (const m of text.matchAll(/export type (\w+) = ((?:'[^']*'\s*\|?\s*)+);/g)) out[m[1]] = [...m[2].matchAll(/'([^']*)'/g)].map((x) => x[1]);
  return out;
}

test('constants.d.ts declares the unions of the names the module reports', () => {
  const dts = readFileSync(path.join(wasmDir, 'constants.d.ts'), 'utf8');
  const unions = unionsOf(dts);
  for (const e of gen.ENUMS) assert.deepEqual(unions[e.type], reported.enums[e.key], `${e.type} (${e.name})`);
  for (const l of gen.LISTS) assert.deepEqual(unions[l.type], reported.lists[l.key], `${l.type} (${l.name})`);
  const errcBody = dts.slice(dts.indexOf('export declare const errc'), dts.indexOf('}>;', dts.indexOf('export declare const errc')));
  assert.deepEqual(Object.fromEntries([...errcBody.matchAll(/^\s*(\w+): (\d+);/gm)].map((m) => [m[1], Number(m[2])])),
                   { ...errc });
  // SurveyUiText: ui_string's names in camelCase, as bindings_survey.cpp writes them.
  const ui = dts.slice(dts.indexOf('export interface SurveyUiText'), dts.indexOf('\n}\n', dts.indexOf('export interface SurveyUiText')));
  assert.deepEqual([...ui.matchAll(/^\s*(\w+)\?: string;/gm)].map((m) => m[1]),
                   reported.enums.uiString.map((s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())));
});

test('loadCxm refuses a module built from other sources than constants.mjs (incompatible)', async () => {
  const factory = createRequire(`${wasmDir}/`)('./cxm_wasm.cjs');
  const tampered = (change) => async (arg) => {
    const m = await factory(arg);
    const real = m.constants;
    m.constants = () => { const c = JSON.parse(real()); change(c); return JSON.stringify(c); };
    return m;
  };
  await assert.rejects(cxm.loadCxm({ factory: tampered((c) => c.enums.errc.push('brand_new')) }), cxmError(errc.incompatible));
  await assert.rejects(cxm.loadCxm({ factory: tampered((c) => { c.limits.surveyBytes *= 2; }) }), cxmError(errc.incompatible));
  await assert.rejects(cxm.loadCxm({ factory: tampered((c) => c.lists.tallyRejectionReasons.reverse()) }),
                       cxmError(errc.incompatible));
  const fine = await cxm.loadCxm({ factory: tampered(() => {}) });
  assert.equal(typeof fine.NpsTally, 'function');
});

/** The text of a source file without its comments (strings holding // or /* are rare here and harmless). */
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
}

test('no hand-written file of the wrapper spells out a list of the core', () => {
  // Every list of names the generator knows: a hand-written array or union whose members all
  // belong to one of them copies it (or part of it) instead of importing it from constants.mjs.
  const known = [...Object.entries(generated.enums), ...Object.entries(generated.lists)];
  const owner = (names) => known.find(([, list]) => names.every((n) => list.includes(n)))?.[0];
  const files = [
    ...readdirSync(path.join(repo, 'wasm/js')).map((f) => `wasm/js/${f}`),
    ...readdirSync(path.join(repo, 'wasm/widget')).filter((f) => f.endsWith('.js')).map((f) => `wasm/widget/${f}`),
  ];
  const copies = [];
  for (const file of files) {
    const text = code(readFileSync(path.join(repo, file), 'utf8'));
    const q = String.raw`(['"])([a-z_]+)\1`;
    // Arrays of two or more strings, and unions of two or more string literals (not inside
    // Extract<...>/Exclude<...>, which narrow a generated union by name).
    for (const m of text.matchAll(new RegExp(String.raw`\[\s*${q}(?:\s*,\s*${q})+\s*,?\s*\]`, 'g'))) {
      const names = [...m[0].matchAll(/['"]([a-z_]+)['"]/g)].map((x) => x[1]);
      if (owner(names)) copies.push(`${file}: ${m[0]} copies ${owner(names)}`);
    }
    for (const m of text.matchAll(new RegExp(String.raw`${q}(?:\s*\|\s*${q})+`, 'g'))) {
      const before = text.slice(Math.max(0, m.index - 40), m.index);
      if (/(Extract|Exclude)<\s*\w+\s*,\s*$/.test(before)) continue;
      const names = [...m[0].matchAll(/['"]([a-z_]+)['"]/g)].map((x) => x[1]);
      if (owner(names)) copies.push(`${file}: ${m[0].replace(/\s+/g, ' ')} copies ${owner(names)}`);
    }
    // The error codes by number.
    if (/invalid_argument\s*:\s*1\b/.test(text)) copies.push(`${file}: an errc map`);
  }
  assert.deepEqual(copies, []);
});

test('the generator stops on declarations it cannot read exactly', () => {
  const header = 'enum class kind : std::int32_t {\n  a = 0,  ///< the first\n  b = 1,\n};\ninline constexpr std::size_t kind_count = 2;\n';
  assert.deepEqual(gen.parseEnum(header, 'h', 'kind').members.map((m) => [m.ident, m.value, m.doc]), [['a', 0, 'the first'], ['b', 1, '']]);
  assert.throws(() => gen.parseEnum(header.replace('b = 1', 'b = 2'), 'h', 'kind'), /expected 1/);
  assert.throws(() => gen.parseEnum(header.replace('kind_count = 2', 'kind_count = 3'), 'h', 'kind'), /kind_count is 3/);
  assert.throws(() => gen.parseEnum(header, 'h', 'other'), /no enum class other/);
  assert.throws(() => gen.parseList('std::array<errc, 3> r{errc::a, errc::b};', 'h', 'r', 'errc'), /declares 3/);
  assert.equal(gen.parseLimit('  static constexpr std::size_t max_bytes = std::size_t{256} << 10;', 'h', 'max_bytes'), 262144);
  assert.equal(gen.parseLimit('static constexpr int min_scale = -10;', 'h', 'min_scale'), -10);
  assert.throws(() => gen.parseLimit('constexpr int n = f(3);', 'h', 'n'), /cannot evaluate/);
  assert.throws(() => gen.parseLimit('constexpr int n = 1;\nconstexpr int n = 2;', 'h', 'n'), /found 2/);
  assert.deepEqual(gen.parseJsonLimits('inline constexpr json_limits j{std::size_t{64} << 20, 16};', 'h', 'j'), [64 << 20, 16]);
  assert.throws(() => gen.evaluate('(std::uint64_t{1} << 60) + 1', 'h', 'x'), /not exact/);
});
