// SPDX-License-Identifier: MIT
// Bulk NPS scoring in wasm: 100 million answers stored one byte each, placed in wasm memory
// once (allocAnswers) and scored in place (addBulkInPlace, the core's SIMD128 kernel), for
// three answer mixes, against a plain sequential read of the same wasm buffer in the same
// module (sumBytes: a sum of 64-bit words). Best of 5 runs; prints a markdown table.
//
// sumBytes exists only for this comparison: it is a member of the raw module (api.module), not
// of the API object, and takes the buffer's address and length unchecked.
//
//   node wasm/bench/bulk.mjs            (after cmake --build --preset wasm)
//   CXM_WASM_DIR=<output folder> BULK_ANSWERS=10000000 node wasm/bench/bulk.mjs
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = process.env.CXM_REPO ?? path.resolve(here, '../..');
const wasmDir = process.env.CXM_WASM_DIR ?? path.join(repo, 'build/wasm/wasm');
const { loadCxm } = await import(pathToFileURL(path.join(wasmDir, 'cxm.mjs')).href);

const N = Number(process.env.BULK_ANSWERS ?? 100_000_000);
const RUNS = 5;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

// A 65536-entry table mapping a 16-bit random number to an answer with the given weights.
function answerTable(weights) {
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Uint8Array(65536);
  let at = 0;
  let cumulative = 0;
  weights.forEach((w, answer) => {
    cumulative += w;
    const end = answer === weights.length - 1 ? 65536 : Math.round((cumulative / total) * 65536);
    table.fill(answer, at, end);
    at = end;
  });
  return table;
}

// Detractors 30% (0-6 evenly), passives 25% (7-8), promoters 45% (9-10).
const realistic = [...Array(7).fill(30 / 7), 12.5, 12.5, 22.5, 22.5];
const mixes = [
  { name: 'realistic NPS (30% 0-6, 25% 7-8, 45% 9-10)', table: answerTable(realistic), seed: 1 },
  { name: 'uniform 0-10', table: answerTable(Array(11).fill(1)), seed: 2 },
  { name: 'all equal (every answer 9)', constant: 9 },
];

function fill(view, mix, histogram) {
  if (mix.constant !== undefined) {
    view.fill(mix.constant);
    histogram[mix.constant] = view.length;
    return;
  }
  const rand = mulberry32(mix.seed);
  const table = mix.table;
  const n = view.length;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const r = rand();
    view[i] = table[r & 0xffff];
    view[i + 1] = table[r >>> 16];
  }
  if (i < n) view[i] = table[rand() & 0xffff];
  for (let k = 0; k < n; ++k) ++histogram[view[k]];
}

function best(fn) {
  fn();  // warm up
  let min = Infinity;
  for (let r = 0; r < RUNS; ++r) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min / 1000;
}

const api = await loadCxm();
const buffer = api.allocAnswers(N);
const started = performance.now();
const rows = [];
let baseline = Infinity;
let sink = 0;
for (const mix of mixes) {
  const histogram = new Array(11).fill(0);
  fill(buffer.view, mix, histogram);
  let last = null;
  const seconds = best(() => {
    if (last) last.dispose();
    last = new api.NpsTally();
    if (last.addBulkInPlace(buffer) !== N) throw new Error('answers rejected');
  });
  if (JSON.stringify(last.counts()) !== JSON.stringify(histogram)) throw new Error(`${mix.name}: wrong counts`);
  last.dispose();
  baseline = Math.min(baseline, best(() => { sink += api.module.sumBytes(buffer.ptr, N); }));
  rows.push({ name: mix.name, seconds });
}
buffer.free();

const fmt = (x, d) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const line = (name, s) => `| ${name} | ${fmt(N / s / 1e6, 0)} M | ${fmt(N / s / 1e9, 2)} | ${fmt(baseline / s, 2)} |`;
console.log(`Bulk NPS scoring in wasm: ${fmt(N / 1e6, 0)} M answers (1 byte each) in wasm memory, best of ${RUNS}; ` +
            `Node ${process.versions.node}, V8 ${process.versions.v8}.\n`);
console.log('| mix | answers/s | GB/s | vs read baseline |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(line(r.name, r.seconds));
console.log(line('read baseline (sumBytes: sequential 64-bit sum)', baseline));
console.log(`\n(total ${fmt((performance.now() - started) / 1000, 1)} s; checksum ${sink % 1000})`);
