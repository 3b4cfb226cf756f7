// SPDX-License-Identifier: MIT
// What a page downloads to show and score one NPS survey: <cxm-survey> (every JS module the
// widget's entry imports, found by following its static imports: the widget's parts, cxm.mjs and
// the modules cxm.mjs needs for the survey-only module; plus that module's Emscripten glue and
// .wasm; its CSS lives in the widget JS) against SurveyJS (survey-core +
// survey-js-ui, bundled and minified for one rating question, plus its stylesheet) and
// posthog-js (the slim bundle with the surveys extension, plus the surveys renderer it loads
// lazily), measured in the same run, raw and gzip -9 (node:zlib level 9). Prints a Markdown table.
//
//   node wasm/bench/size.mjs [--json]        (reads build/wasm/wasm, or CXM_WASM_DIR)
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmPkg = path.resolve(here, '..');
const repo = process.env.CXM_REPO ?? path.resolve(wasmPkg, '..');
const wasmDir = process.env.CXM_WASM_DIR ?? path.join(repo, 'build/wasm/wasm');
const require = createRequire(path.join(wasmPkg, 'package.json'));
const esbuild = require('esbuild');

const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const sizeOf = (name, buf) => ({ name, raw: buf.length, gzip: gz(Buffer.from(buf)) });
const version = (pkg) => JSON.parse(readFileSync(path.join(wasmPkg, 'node_modules', pkg, 'package.json'), 'utf8')).version;

async function bundle(contents, { format = 'esm' } = {}) {
  const r = await esbuild.build({
    stdin: { contents, resolveDir: wasmPkg, loader: 'js', sourcefile: 'entry.js' },
    bundle: true, minify: true, format, platform: 'browser', target: 'es2020', write: false,
    legalComments: 'none', logLevel: 'error',
  });
  return Buffer.from(r.outputFiles[0].contents);
}

async function minify(text, format) {
  const r = await esbuild.transform(text, { minify: true, format, target: 'es2020', legalComments: 'none' });
  return Buffer.from(r.code);
}

// --- ours -----------------------------------------------------------------------------------
const file = (rel) => readFileSync(path.join(wasmDir, rel));
// The modules a survey page loads: the static import graph of the widget's entry. The dynamic
// imports of cxm.mjs load the analysis classes of the full module, which the widget never asks
// for: left out (external), in the file list and in the bundle alike.
const surveyPageOnly = {
  name: 'survey-page-only',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};
const widgetBuild = await esbuild.build({
  entryPoints: ['widget/cxm-survey.js'], absWorkingDir: wasmDir, bundle: true, minify: true, format: 'esm',
  platform: 'browser', target: 'es2020', write: false, legalComments: 'none', logLevel: 'error', metafile: true,
  plugins: [surveyPageOnly],
});
const pageModules = Object.keys(widgetBuild.metafile.inputs).map((f) => f.split(path.sep).join('/'));
const byPlace = (a, b) => Number(b.startsWith('widget/')) - Number(a.startsWith('widget/')) || a.localeCompare(b);
pageModules.sort(byPlace);
// Every widget module of the package ships: one that nothing imports would be dead weight.
const unused = readdirSync(path.join(wasmDir, 'widget')).filter((f) => f.endsWith('.js') && !pageModules.includes(`widget/${f}`));
const shipped = [
  ...pageModules.map((rel) => sizeOf(rel, file(rel))),
  sizeOf('cxm_survey_wasm.cjs (glue)', file('cxm_survey_wasm.cjs')),
  sizeOf('cxm_survey_wasm.wasm', file('cxm_survey_wasm.wasm')),
];
// The same, minified: the ES modules bundled into one file, the glue minified alone.
const minified = [
  sizeOf(`widget + cxm.mjs (${pageModules.length} modules), bundled + minified`, Buffer.from(widgetBuild.outputFiles[0].contents)),
  sizeOf('cxm_survey_wasm.cjs, minified', await minify(file('cxm_survey_wasm.cjs').toString('utf8'), 'iife')),
  sizeOf('cxm_survey_wasm.wasm', file('cxm_survey_wasm.wasm')),
];
// For reference: the full module (tallies, statistics, sketches), which the widget does not load.
const fullModule = [sizeOf('cxm_wasm.cjs + cxm_wasm.wasm (full module, not loaded by the widget)',
  Buffer.concat([file('cxm_wasm.cjs'), file('cxm_wasm.wasm')]))];

// --- SurveyJS: one NPS question rendered with the default theme -------------------------------
const surveyJs = [
  sizeOf('survey-core + survey-js-ui (bundled, minified)', await bundle(`
    import { Model } from 'survey-core';
    import { renderSurvey } from 'survey-js-ui';
    const survey = new Model({ elements: [{ type: 'rating', name: 'nps', rateMin: 0, rateMax: 10,
      title: 'How likely are you to recommend us?', minRateDescription: 'Not likely', maxRateDescription: 'Very likely' }] });
    survey.onComplete.add((s) => console.log(s.data));
    renderSurvey(survey, document.getElementById('survey'));`)),
  sizeOf('survey-core.min.css', readFileSync(path.join(wasmPkg, 'node_modules/survey-core/survey-core.min.css'))),
];

// --- posthog-js: slim + the surveys extension, and the renderer it loads on demand -------------
const posthog = [
  sizeOf('posthog-js slim + SurveysExtensions (bundled, minified)', await bundle(`
    import { PostHog } from 'posthog-js/dist/module.slim';
    import { SurveysExtensions } from 'posthog-js/dist/extension-bundles';
    const ph = new PostHog();
    ph.init('phc_test', { api_host: '/ingest', __extensionClasses: { ...SurveysExtensions } });
    ph.getSurveys((s) => console.log(s));`)),
  sizeOf('posthog-js dist/surveys.js (lazy renderer)', readFileSync(path.join(wasmPkg, 'node_modules/posthog-js/dist/surveys.js'))),
];

const total = (rows) => rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });
const kb = (n) => (n / 1024).toFixed(1);
const ours = total(shipped);
const oursMin = total(minified);
const sj = total(surveyJs);
const ph = total(posthog);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ shipped, minified, surveyJs, posthog, unused, totals: { ours, oursMin, surveyJs: sj, posthog: ph } },
                             null, 2));
  process.exit(0);
}

const lines = [];
lines.push(`| what a page downloads for one NPS survey | raw KB | gzip -9 KB | gzip vs cxm (as shipped) |`);
lines.push('| --- | ---: | ---: | ---: |');
const row = (name, t) => lines.push(`| ${name} | ${kb(t.raw)} | ${kb(t.gzip)} | ${(t.gzip / ours.gzip).toFixed(2)}x |`);
row('**cxm `<cxm-survey>`, as shipped**', ours);
row('**cxm `<cxm-survey>`, JS minified**', oursMin);
row(`**SurveyJS** ${version('survey-core')} (survey-core + survey-js-ui + CSS)`, sj);
row(`**posthog-js** ${version('posthog-js')} (slim + surveys)`, ph);
lines.push('');
lines.push('| part | raw KB | gzip -9 KB |');
lines.push('| --- | ---: | ---: |');
for (const [group, rows] of [['cxm as shipped', shipped], ['cxm minified', minified], ['SurveyJS', surveyJs], ['posthog-js', posthog], ['reference', fullModule]]) {
  for (const r of rows) lines.push(`| ${group}: ${r.name} | ${kb(r.raw)} | ${kb(r.gzip)} |`);
}
lines.push('');
const budget = 100 * 1024;
lines.push(`cxm as shipped: ${kb(ours.gzip)} KB gzip -9 (budget 100 KB: ${ours.gzip <= budget ? 'within' : 'OVER'}); ` +
           `with minified JS: ${kb(oursMin.gzip)} KB. SurveyJS is ${(sj.gzip / ours.gzip).toFixed(1)}x, posthog-js ${(ph.gzip / ours.gzip).toFixed(1)}x.`);
if (unused.length > 0) lines.push(`\nwidget modules that nothing imports (not counted): ${unused.join(', ')}`);
console.log(lines.join('\n'));
