// SPDX-License-Identifier: MIT
// Writes constants.mjs and constants.d.ts, the enums, name lists and limits of the JS wrapper,
// from the C++ declarations of the core, so that JS never keeps a copy of its own: the enums'
// values (enum class declarations), the lists of errc values and strings the headers declare
// (a tally's rejection reasons, the emotion set) and the size and range limits (constexpr
// constants, and each document format's json_limits). CMake runs it at build time
// (wasm/CMakeLists.txt):
//
//   node wasm/tools/gen_constants.mjs <repo> <output folder>
//   node wasm/tools/gen_constants.mjs --inputs <repo>      (the files it reads, one a line)
//
// The JS names of an enum are its enumerator identifiers; test/constants.test.mjs checks them
// against the core's own name() tables as the wasm module reports them (constants()), so a
// name table that strays from its enum fails a test as well. Anything this script cannot find
// or read exactly as expected stops the build with the file and the name.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Enums: key in `enums`, header, C++ name, name of the .d.ts union. */
export const ENUMS = [
  { key: 'errc', header: 'sdk/include/cxm/core/status.hpp', name: 'errc', type: 'ErrcName' },
  { key: 'intervalMethod', header: 'sdk/include/cxm/stats/interval.hpp', name: 'interval_method', type: 'IntervalMethod' },
  { key: 'npsCategory', header: 'sdk/include/cxm/stats/nps_tally.hpp', name: 'nps_category', type: 'NpsCategory' },
  { key: 'questionType', header: 'sdk/include/cxm/survey/definition.hpp', name: 'question_type', type: 'QuestionType' },
  { key: 'textDirection', header: 'sdk/include/cxm/survey/definition.hpp', name: 'text_direction', type: 'TextDirection' },
  { key: 'uiString', header: 'sdk/include/cxm/survey/definition.hpp', name: 'ui_string', type: 'UiStringName' },
  { key: 'eligibilityReason', header: 'sdk/include/cxm/survey/definition.hpp', name: 'eligibility_reason', type: 'EligibilityReason' },
  { key: 'journeyEventType', header: 'sdk/include/cxm/journey/event.hpp', name: 'journey_event_type', type: 'JourneyEventType' },
  { key: 'journeyError', header: 'sdk/include/cxm/journey/report.hpp', name: 'journey_error', type: 'JourneyError' },
];

/**
 * Lists declared as std::array of errc values or of strings: key in `lists`, header, C++ name,
 * union; `doc` when the header's comment is about something else than the names.
 */
export const LISTS = [
  { key: 'tallyRejectionReasons', header: 'sdk/include/cxm/stats/nps_tally.hpp', name: 'rejected_reasons', of: 'errc',
    type: 'RejectionReason', doc: 'Why a tally rejected an answer: the four counters every tally keeps.' },
  { key: 'sketchRejectionReasons', header: 'sdk/include/cxm/sketch/duration_sketch.hpp', name: 'rejected_reasons', of: 'errc',
    type: 'SketchRejectionReason', doc: 'Why a duration sketch rejected a value: its two counters.' },
  { key: 'answerProblems', header: 'sdk/include/cxm/survey/question_tally.hpp', name: 'answer_problems', of: 'errc',
    type: 'AnswerProblemName' },
  { key: 'emotions', header: 'sdk/include/cxm/survey/definition.hpp', name: 'emotion_set', of: 'string', type: 'Emotion' },
];

/**
 * Limits: key in `limits`, the header that declares the constant, its name. A `json` entry is a
 * format's json_limits{max_bytes, max_depth} (core/limits.hpp): it gives <key>Bytes and <key>Depth.
 */
export const LIMITS = [
  { key: 'maxCount', file: 'sdk/include/cxm/core/limits.hpp', name: 'max_count' },
  { key: 'surveyBytes', file: 'sdk/include/cxm/survey/definition.hpp', name: 'max_bytes' },
  { key: 'surveyDepth', file: 'sdk/include/cxm/survey/definition.hpp', name: 'max_depth' },
  { key: 'maxTextLength', file: 'sdk/include/cxm/survey/definition.hpp', name: 'max_text_length' },
  { key: 'answersBytes', file: 'sdk/include/cxm/survey/answers.hpp', name: 'max_bytes' },
  { key: 'answersDepth', file: 'sdk/include/cxm/survey/answers.hpp', name: 'max_depth' },
  { key: 'eventLineBytes', file: 'sdk/include/cxm/journey/event_reader.hpp', name: 'max_line_bytes' },
  { key: 'responseLineBytes', file: 'sdk/include/cxm/survey/response_reader.hpp', name: 'max_line_bytes' },
  { key: 'sketchMinScale', file: 'sdk/include/cxm/sketch/log_mapping.hpp', name: 'min_scale' },
  { key: 'sketchMaxScale', file: 'sdk/include/cxm/sketch/log_mapping.hpp', name: 'max_scale' },
  { key: 'sketchDefaultScale', file: 'sdk/include/cxm/sketch/log_mapping.hpp', name: 'default_scale' },
  { key: 'sketchMinBuckets', file: 'sdk/include/cxm/sketch/dense_store.hpp', name: 'min_buckets' },
  { key: 'sketchMaxBuckets', file: 'sdk/include/cxm/sketch/dense_store.hpp', name: 'max_buckets_limit' },
  { key: 'sketchDefaultMaxBuckets', file: 'sdk/include/cxm/sketch/dense_store.hpp', name: 'default_max_buckets' },
  { key: 'tallyJson', file: 'sdk/include/cxm/stats/tally_json.hpp', name: 'tally_json_limits', json: true },
  { key: 'surveyTallyJson', file: 'sdk/include/cxm/survey/tally.hpp', name: 'survey_tally_json_limits', json: true },
  { key: 'sketchJson', file: 'sdk/include/cxm/sketch/duration_sketch_codec.hpp', name: 'duration_sketch_json_limits', json: true },
  { key: 'journeyDefinitionJson', file: 'sdk/include/cxm/journey/definition.hpp', name: 'journey_definition_json_limits',
    json: true },
  { key: 'journeyReportJson', file: 'sdk/include/cxm/journey/report.hpp', name: 'journey_report_json_limits', json: true },
];

class GenError extends Error {}
const fail = (file, what) => { throw new GenError(`gen_constants: ${file}: ${what}`); };

/** The leading /// block just above `at` in `text`, as one line. */
function docAbove(text, at) {
  const lines = text.slice(0, at).split('\n');
  lines.pop();  // the part of the declaration's own line before `at`
  const doc = [];
  while (lines.length > 0 && /^\s*\/\/\/(?!<)/.test(lines[lines.length - 1])) doc.unshift(lines.pop().replace(/^\s*\/\/\/\s?/, ''));
  return doc.join(' ').trim();
}

/** enum class `name` of `text`: [{ident, value, doc}], values 0, 1, 2... in order. */
export function parseEnum(text, file, name) {
  const head = new RegExp(String.raw`\benum\s+class\s+${name}\b[^{;]*\{`).exec(text);
  if (!head) fail(file, `no enum class ${name}`);
  const members = [];
  const bodyStart = head.index + head[0].length;
  const end = text.indexOf('};', bodyStart);
  if (end < 0) fail(file, `enum class ${name} is not closed`);
  // One enumerator per line ("ident = value,  ///< comment"); a line holding only "///<"
  // continues the previous comment. Single-line enums ("{ ltr = 0, rtl = 1 }") too.
  const body = text.slice(bodyStart, end);
  for (const raw of body.split('\n')) {
    const [code, comment = ''] = raw.split(/\/\/\/<\s?|\/\/\s?/, 2);
    const found = [...code.matchAll(/(\w+)\s*=\s*(\d+)\s*,?/g)];
    if (found.length === 0) {
      if (comment.trim() && members.length > 0) members[members.length - 1].doc += ` ${comment.trim()}`;
      else if (code.trim()) fail(file, `enum class ${name}: cannot read "${code.trim()}"`);
      continue;
    }
    for (const m of found) members.push({ ident: m[1], value: Number(m[2]), doc: comment.trim() });
  }
  members.forEach((m, i) => {
    if (m.value !== i) fail(file, `enum class ${name}: ${m.ident} is ${m.value}, expected ${i} (values run 0, 1, 2...)`);
  });
  if (members.length === 0) fail(file, `enum class ${name} is empty`);
  const count = new RegExp(String.raw`constexpr\s+[\w:]+\s+${name}_count\s*=\s*(\d+)\s*;`).exec(text);
  if (count && Number(count[1]) !== members.length)
    fail(file, `${name}_count is ${count[1]} but enum class ${name} has ${members.length} values`);
  return { members, doc: docAbove(text, head.index) };
}

/** std::array<errc, N> or std::array<std::string_view, N> `name`{...}: the names, in order. */
export function parseList(text, file, name, of) {
  const element = of === 'errc' ? 'errc' : 'std::string_view';
  const m = new RegExp(String.raw`std::array<${element},\s*(\d+)>\s+${name}\s*\{([^}]*)\}`).exec(text);
  if (!m) fail(file, `no std::array<${element}, N> ${name}{...}`);
  const items = of === 'errc' ? [...m[2].matchAll(/errc::(\w+)/g)].map((x) => x[1]) : [...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
  if (items.length !== Number(m[1])) fail(file, `${name} declares ${m[1]} entries but lists ${items.length}`);
  return { items, doc: docAbove(text, m.index) };
}

/** Evaluates the integer expressions of the limits: 64, -10, std::size_t{1} << 20, 1u << 24. */
export function evaluate(expr, file, name) {
  const tokens = expr.replace(/std::\w+\{\s*(\d+)\s*\}/g, '$1').replace(/\b(\d+)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU])\b/g, '$1')
    .match(/\d+|<<|[-+*()]|\S/g) ?? [];
  let at = 0;
  const bad = () => fail(file, `${name}: cannot evaluate "${expr.trim()}"`);
  const atom = () => {
    const t = tokens[at++];
    if (t === '-') return -atom();
    if (t === '(') { const v = shift(); if (tokens[at++] !== ')') bad(); return v; }
    if (!/^\d+$/.test(t ?? '')) bad();
    return BigInt(t);
  };
  const mul = () => { let v = atom(); while (tokens[at] === '*') { ++at; v *= atom(); } return v; };
  const add = () => {
    let v = mul();
    while (tokens[at] === '+' || tokens[at] === '-') v = tokens[at++] === '+' ? v + mul() : v - mul();
    return v;
  };
  const shift = () => { let v = add(); while (tokens[at] === '<<') { ++at; v <<= add(); } return v; };
  const v = shift();
  if (at !== tokens.length) bad();
  const n = Number(v);
  if (BigInt(n) !== v) fail(file, `${name} = ${v} is not exact as a JS number`);
  return n;
}

/** The value of the one declaration "type name = expression;" of `text`. */
export function parseLimit(text, file, name) {
  const found = [...text.matchAll(new RegExp(String.raw`^[ \t]*(?:(?:static|inline|constexpr)\s+)*[\w:]+\s+${name}\s*=\s*([^;]+);`, 'gm'))];
  if (found.length !== 1) fail(file, `expected one declaration of ${name}, found ${found.length}`);
  return evaluate(found[0][1], file, name);
}

/** [max_bytes, max_depth] of the one declaration "json_limits name{bytes, depth};" of `text`. */
export function parseJsonLimits(text, file, name) {
  const found = [...text.matchAll(new RegExp(String.raw`^[ \t]*(?:(?:static|inline|constexpr)\s+)*json_limits\s+${name}\s*\{`, 'gm'))];
  if (found.length !== 1) fail(file, `expected one json_limits ${name}{...}, found ${found.length}`);
  // The initializer holds braces of its own (std::size_t{1} << 20): split at its top-level commas.
  const parts = [''];
  let depth = 1;
  for (let i = found[0].index + found[0][0].length; depth > 0; ++i) {
    const c = text[i];
    if (c === undefined) fail(file, `json_limits ${name} is not closed`);
    if (c === '{') ++depth;
    if (c === '}' && --depth === 0) break;
    if (c === ',' && depth === 1) parts.push('');
    else parts[parts.length - 1] += c;
  }
  if (parts.length !== 2) fail(file, `json_limits ${name}: expected {max_bytes, max_depth}`);
  return parts.map((p) => evaluate(p, file, name));
}

/** Everything the generated files hold, read from the sources under `repo`. */
export function readConstants(repo) {
  const cache = new Map();
  const read = (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(path.join(repo, file), 'utf8'));
      } catch (e) {
        fail(file, `cannot read (${e.code ?? e.message})`);
      }
    }
    return cache.get(file);
  };
  const enums = ENUMS.map((e) => ({ ...e, ...parseEnum(read(e.header), e.header, e.name) }));
  const errcNames = enums.find((e) => e.key === 'errc').members.map((m) => m.ident);
  const lists = LISTS.map((l) => {
    const parsed = parseList(read(l.header), l.header, l.name, l.of);
    for (const item of parsed.items) {
      if (l.of === 'errc' && !errcNames.includes(item)) fail(l.header, `${l.name}: errc::${item} is not an errc`);
    }
    return { ...l, ...parsed, doc: l.doc ?? parsed.doc };
  });
  const limits = LIMITS.flatMap((l) => {
    if (!l.json) return [{ ...l, value: parseLimit(read(l.file), l.file, l.name) }];
    const [bytes, depth] = parseJsonLimits(read(l.file), l.file, l.name);
    return [{ ...l, key: `${l.key}Bytes`, name: `${l.name}.max_bytes`, value: bytes },
            { ...l, key: `${l.key}Depth`, name: `${l.name}.max_depth`, value: depth }];
  });
  return { enums, lists, limits };
}

// ---- output ------------------------------------------------------------------------------------

const quote = (s) => `'${s}'`;
const union = (names) => names.map(quote).join(' | ');
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const comment = (lines, indent = '') =>
  [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`.trimEnd()), `${indent} */`].join('\n');
/** Wraps `text` at about 100 columns for a comment. */
function wrap(text, width = 96) {
  const out = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > width) { out.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
const HEADER = [
  '// SPDX-License-Identifier: MIT',
  '// Generated at build time by wasm/tools/gen_constants.mjs from the C++ declarations named below:',
  '// do not edit. test/constants.test.mjs checks it against the wasm module (constants()).',
];

/** constants.mjs */
export function moduleText({ enums, lists, limits }) {
  const errc = enums.find((e) => e.key === 'errc');
  const out = [...HEADER, ''];
  out.push(`/** cxm error codes, name -> code (errc, ${errc.header}); append-only, never reused. */`);
  out.push('export const errc = Object.freeze({');
  for (const m of errc.members) out.push(`  ${m.ident}: ${m.value},`);
  out.push('});', '');
  out.push('/** The names of each enum\'s values, in value order (the value is the index). */');
  out.push('export const enums = Object.freeze({');
  for (const e of enums) out.push(`  ${e.key}: Object.freeze([${e.members.map((m) => quote(m.ident)).join(', ')}]),  // ${e.name}, ${e.header}`);
  out.push('});', '');
  out.push('/** Lists of names the core declares as arrays. */');
  out.push('export const lists = Object.freeze({');
  for (const l of lists) out.push(`  ${l.key}: Object.freeze([${l.items.map(quote).join(', ')}]),  // ${l.name}, ${l.header}`);
  out.push('});', '');
  out.push('/** Sizes (bytes) and ranges of the core. */');
  out.push('export const limits = Object.freeze({');
  // The exact integer (BigInt of an exact double), so that 2^62 reads as 4611686018427387904.
  for (const l of limits) out.push(`  ${l.key}: ${BigInt(l.value)},  // ${l.name}, ${l.file}`);
  out.push('});', '');
  return out.join('\n');
}

/** constants.d.ts */
export function typesText({ enums, lists, limits }) {
  const errc = enums.find((e) => e.key === 'errc');
  const out = [...HEADER, ''];
  out.push(comment(wrap(`Name -> code. ${errc.doc} (errc, ${errc.header})`)));
  out.push('export declare const errc: Readonly<{');
  for (const m of errc.members) out.push(...(m.doc ? [`  /** ${m.doc} */`] : []), `  ${m.ident}: ${m.value};`);
  out.push('}>;', '');
  out.push('export type ErrcCode = (typeof errc)[keyof typeof errc];', '');
  for (const e of enums) {
    const doc = [...wrap(`${e.doc} (${e.name}, ${e.header})`)];
    const described = e.members.filter((m) => m.doc);
    if (described.length > 0) {
      doc.push('');
      for (const m of e.members) doc.push(...wrap(`- \`${m.ident}\`${m.doc ? `: ${m.doc}` : ''}`).map((l, i) => (i ? `  ${l}` : l)));
    }
    out.push(comment(doc));
    out.push(`export type ${e.type} = ${union(e.members.map((m) => m.ident))};`, '');
  }
  for (const l of lists) {
    out.push(comment(wrap(`${l.doc} (${l.name}, ${l.header})`)));
    out.push(`export type ${l.type} = ${union(l.items)};`, '');
  }
  // The widget strings of a locale: ui_string's names in camelCase, each optional.
  const ui = enums.find((e) => e.key === 'uiString');
  out.push(comment(wrap(`The widget strings a definition may give per locale: the names of ui_string in camelCase (${ui.header}).`)));
  out.push('export interface SurveyUiText {');
  for (const m of ui.members) {
    if (m.doc) out.push(`  /** ${m.doc} */`);
    out.push(`  ${camel(m.ident)}?: string;`);
  }
  out.push('}', '');
  out.push('/** The names of each enum\'s values, in value order. */');
  out.push('export declare const enums: Readonly<{');
  for (const e of enums) out.push(`  ${e.key}: readonly ${e.type}[];`);
  out.push('}>;', '');
  out.push('export declare const lists: Readonly<{');
  for (const l of lists) out.push(`  ${l.key}: readonly ${l.type}[];`);
  out.push('}>;', '');
  out.push('/** Sizes (bytes) and ranges of the core. */');
  out.push('export declare const limits: Readonly<{');
  for (const l of limits) out.push(`  /** ${l.name} (${l.file}) */`, `  ${l.key}: number;`);
  out.push('}>;', '');
  return out.join('\n');
}

/** {'constants.mjs': text, 'constants.d.ts': text} for the sources under `repo`. */
export function generate(repo) {
  const data = readConstants(repo);
  return { 'constants.mjs': moduleText(data), 'constants.d.ts': typesText(data) };
}

/** The files the generated ones are read from (the build's dependencies), relative to the repository. */
export function inputs() {
  return [...new Set([...ENUMS.map((e) => e.header), ...LISTS.map((l) => l.header), ...LIMITS.map((l) => l.file)])];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--inputs' && args.length === 2) {
    console.log(inputs().map((f) => path.resolve(args[1], f)).join('\n'));
    process.exit(0);
  }
  if (args.length !== 2) {
    console.error('usage: node gen_constants.mjs <repo> <output folder>\n       node gen_constants.mjs --inputs <repo>');
    process.exit(2);
  }
  const [repo, outDir] = args;
  try {
    const files = generate(repo);
    mkdirSync(outDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(outDir, name), text);
  } catch (e) {
    console.error(e instanceof GenError ? e.message : e);
    process.exit(1);
  }
}
