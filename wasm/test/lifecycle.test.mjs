// SPDX-License-Identifier: MIT
// Ownership: dispose frees the wasm object; use after dispose throws a clear error, never crashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, cxm, errc, cxmError } from './helpers.mjs';

const { NpsTally, ScaleTally } = api;

test('dispose frees; any later call throws CxmError naming dispose()', () => {
  for (const t of [new NpsTally(), new ScaleTally(), NpsTally.fromJson(new NpsTally().toJson())]) {
    assert.equal(t.disposed, false);
    t.add(5);
    t.dispose();
    assert.equal(t.disposed, true);
    t.dispose();  // idempotent
    for (const call of [() => t.add(5), () => t.counts(), () => t.total(), () => t.toJson(), () => t.tryAdd(1),
                        () => t.reject()]) {
      assert.throws(call, (e) => cxmError(errc.invalid_argument)(e) && /dispose\(\)/.test(e.message));
    }
  }
  const live = new NpsTally();
  const dead = new NpsTally();
  dead.dispose();
  assert.throws(() => live.merge(dead), /dispose\(\)/);
  assert.throws(() => api.compareNps(live, dead), /dispose\(\)/);
  live.add(9);
  assert.equal(live.total(), 1, 'the module still works');
  live.dispose();
});

test('Symbol.dispose frees too, where the runtime has it', (t) => {
  // Skip reason: `using`/Symbol.dispose is recent (Node >= 20.4 has it, so CI runs this); on an
  // older runtime there is nothing to test, and dispose()/FinalizationRegistry are tested above.
  if (typeof Symbol.dispose !== 'symbol') return t.skip('no Symbol.dispose in this runtime');
  const tally = new NpsTally();
  tally[Symbol.dispose]();
  assert.equal(tally.disposed, true);
});

test('no leak: creating and disposing many tallies leaves the wasm heap as it was', () => {
  const m = api.module;
  const round = () => {
    for (let i = 0; i < 2000; ++i) {
      const t = new NpsTally();
      t.add(i % 11);
      const j = NpsTally.fromJson(t.toJson());
      try { NpsTally.fromJson('{"bad":'); } catch { /* a failed decode must not leak either */ }
      const s = new ScaleTally({ min: 1, max: 5, topBoxMin: 4 });
      s.add(1 + (i % 5));
      s.add(5);
      s.meanInterval();
      t.dispose();
      j.dispose();
      s.dispose();
    }
  };
  // dlmalloc is deterministic: if every round frees all it allocates, the next allocation
  // lands where it did before; a leak moves it.
  const probe = () => { const p = m._malloc(4096); m._free(p); return p; };
  round();
  const [heap, at, handles] = [m.HEAPU8.length, probe(), m.count_emval_handles()];
  for (let k = 0; k < 5; ++k) round();
  assert.equal(m.HEAPU8.length, heap);
  assert.equal(probe(), at);
  assert.equal(m.count_emval_handles(), handles);
});

test('AnswerBuffer: free, and views detached by memory growth are refused', () => {
  const buf = api.allocAnswers(64);
  const oldView = buf.view;
  oldView.fill(10);
  // Force the memory to grow: the old view is detached (length 0) or stale.
  const big = api.allocAnswers(api.module.HEAPU8.length);
  const t = new NpsTally();
  assert.notEqual(oldView.buffer, api.module.HEAPU8.buffer);
  assert.throws(() => t.addBulkInPlace(oldView), cxmError(errc.invalid_argument));
  assert.equal(t.addBulkInPlace(buf.view), 64, 'a fresh view works');
  assert.equal(t.addBulkInPlace(buf), 64);
  big.free();
  buf.free();
  buf.free();  // idempotent
  assert.throws(() => buf.view, cxmError(errc.invalid_argument));
  assert.throws(() => t.addBulkInPlace(buf), cxmError(errc.invalid_argument));
  t.dispose();
});

test('two module instances are independent; objects do not cross', async () => {
  const other = await cxm.loadCxm();
  const a = new api.NpsTally();
  const b = new other.NpsTally();
  assert.throws(() => a.merge(b), cxmError(errc.incompatible));
  a.dispose();
  b.dispose();
});

test('loadCxm takes an explicit factory (the browser path)', async () => {
  const { createRequire } = await import('node:module');
  const { wasmDir } = await import('./helpers.mjs');
  const factory = createRequire(`${wasmDir}/`)('./cxm_wasm.cjs');
  const viaFactory = await cxm.loadCxm({ factory });
  const t = new viaFactory.NpsTally();
  t.add(10);
  assert.equal(t.score(), 100);
  t.dispose();
  await assert.rejects(cxm.loadCxm({ factory: 'nope' }), cxmError(errc.invalid_argument));
});
