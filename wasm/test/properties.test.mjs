// SPDX-License-Identifier: MIT
// Properties on seeded random data: merge is associative and commutative and equals the
// union; addBulk equals adding one by one; JSON round-trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, mulberry32 } from './helpers.mjs';

const { NpsTally, ScaleTally } = api;
const SEEDS = [1, 7, 42, 2024, 0xc0ffee];

// Random answers with some bad ones mixed in (counted as rejections).
function randomAnswers(rand, n, min, max) {
  const out = [];
  for (let i = 0; i < n; ++i) {
    const r = rand();
    if (r < 0.03) out.push([max + 1, 9.5, '9', null, NaN][Math.floor(rand() * 5)]);
    else out.push(min + Math.floor(rand() * (max - min + 1)));
  }
  return out;
}

function tallyOf(make, answers) {
  const t = make();
  for (const x of answers) t.tryAdd(x);
  return t;
}

function merged(make, ...tallies) {
  const t = make();
  for (const x of tallies) t.merge(x);
  return t;
}

for (const [kind, make, min, max] of [['NpsTally', () => new NpsTally(), 0, 10],
                                      ['ScaleTally', () => new ScaleTally('ces7'), 1, 7]]) {
  test(`${kind}: merge is associative, commutative and equals the union`, () => {
    for (const seed of SEEDS) {
      const rand = mulberry32(seed);
      const [xa, xb, xc] = [0, 1, 2].map(() => randomAnswers(rand, Math.floor(rand() * 400), min, max));
      const [a, b, c] = [xa, xb, xc].map((x) => tallyOf(make, x));
      const ab = merged(make, a, b);
      const ba = merged(make, b, a);
      const abC = merged(make, ab, c);
      const bc = merged(make, b, c);
      const aBC = merged(make, a, bc);
      const union = tallyOf(make, [...xa, ...xb, ...xc]);
      assert.equal(ab.toJson(), ba.toJson(), `commutative, seed ${seed}`);
      assert.equal(abC.toJson(), aBC.toJson(), `associative, seed ${seed}`);
      assert.equal(abC.toJson(), union.toJson(), `union, seed ${seed}`);
      assert.deepEqual(abC.counts(), union.counts());
      assert.deepEqual(abC.rejectedCounts(), union.rejectedCounts());
      // An empty tally is the identity.
      const e = make();
      assert.equal(merged(make, a, e).toJson(), a.toJson());
      for (const t of [a, b, c, ab, ba, abC, bc, aBC, union, e]) t.dispose();
    }
  });

  test(`${kind}: JSON round trip`, () => {
    for (const seed of SEEDS) {
      const rand = mulberry32(seed ^ 0x5eed);
      const t = tallyOf(make, randomAnswers(rand, 1 + Math.floor(rand() * 2000), min, max));
      const text = t.toJson();
      const back = t.constructor.fromJson(text);
      assert.equal(back.toJson(), text, `seed ${seed}`);
      assert.deepEqual(back.counts(), t.counts());
      assert.deepEqual(back.rejectedCounts(), t.rejectedCounts());
      assert.equal(back.total(), t.total());
      t.dispose();
      back.dispose();
    }
  });
}

test('ScaleTally: JSON round trip keeps the scale', () => {
  for (const s of ['ces5', 'csat5', { min: 0, max: 10, topBoxMin: 9 }, { min: -3, max: 3, topBoxMin: 1 }]) {
    const t = new ScaleTally(s);
    const { min, max } = t.scale();
    for (let x = min; x <= max; ++x) t.add(x);
    const back = ScaleTally.fromJson(t.toJson());
    assert.deepEqual(back.scale(), t.scale());
    assert.deepEqual(back.counts(), t.counts());
    t.dispose();
    back.dispose();
  }
});

test('NpsTally: large counts survive JSON and cross as exact numbers', () => {
  const big = 2 ** 53 - 1;
  const text = `{"format":"cxm.nps_tally","version":1,"counts":[${big},0,0,0,0,0,0,0,0,0,3],` +
               '"rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0}}';
  const t = NpsTally.fromJson(text);
  assert.equal(t.counts()[0], big);
  assert.equal(typeof t.total(), 'number');
  assert.equal(t.toJson(), text);
  t.dispose();
});

test('addBulk equals add one by one (random bytes, chunk boundaries, in place)', () => {
  for (const seed of SEEDS) {
    const rand = mulberry32(seed);
    for (const n of [0, 1, 15, 16, 17, 255, 1000 + Math.floor(rand() * 5000)]) {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; ++i) bytes[i] = rand() < 0.05 ? Math.floor(rand() * 256) : Math.floor(rand() * 11);
      const bulk = new NpsTally();
      const one = new NpsTally();
      const accepted = bulk.addBulk(bytes);
      let ok = 0;
      for (const b of bytes) ok += one.tryAdd(b) === 0 ? 1 : 0;
      assert.equal(accepted, ok, `seed ${seed} n ${n}`);
      assert.equal(bulk.toJson(), one.toJson(), `seed ${seed} n ${n}`);
      bulk.dispose();
      one.dispose();
    }
  }
  // Over several 1 MiB copy chunks, against a histogram computed in JS and the in-place path.
  const rand = mulberry32(99);
  const n = (5 << 19) + 13;  // 2.5 MiB + 13
  const bytes = new Uint8Array(n);
  const expected = new Array(11).fill(0);
  let over = 0;
  for (let i = 0; i < n; ++i) {
    const b = rand() < 0.01 ? 11 + Math.floor(rand() * 245) : Math.floor(rand() * 11);
    bytes[i] = b;
    if (b <= 10) ++expected[b]; else ++over;
  }
  const copied = new NpsTally();
  assert.equal(copied.addBulk(bytes), n - over);
  assert.deepEqual(copied.counts(), expected);
  assert.equal(copied.rejected('out_of_range'), over);
  const buf = api.allocAnswers(n);
  buf.view.set(bytes);
  const inPlace = new NpsTally();
  assert.equal(inPlace.addBulkInPlace(buf), n - over);
  // A subarray of the view works too.
  assert.equal(inPlace.addBulkInPlace(buf.view.subarray(0, 1000)),
               [...bytes.subarray(0, 1000)].filter((b) => b <= 10).length);
  const firstK = new NpsTally();
  firstK.addBulk(bytes.subarray(0, 1000));
  firstK.addBulk(bytes);
  assert.equal(inPlace.toJson(), firstK.toJson());
  // The benchmark's read baseline (bench/bulk.mjs), a member of the raw module and not of the API:
  // module.sumBytes(ptr, size) sums little-endian 64-bit words, then the tail bytes.
  assert.equal(api.sumBytes, undefined, 'not part of the API object');
  const words = new DataView(bytes.buffer);
  let sum = 0n;
  let i = 0;
  for (; i + 8 <= n; i += 8) sum += words.getBigUint64(i, true);
  for (; i < n; ++i) sum += BigInt(bytes[i]);
  assert.equal(api.module.sumBytes(buf.ptr, n), Number(BigInt.asUintN(64, sum)));
  buf.free();
  for (const t of [copied, inPlace, firstK]) t.dispose();
});
