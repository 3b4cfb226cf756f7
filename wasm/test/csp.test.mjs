// SPDX-License-Identifier: MIT
// Strict Content-Security-Policy: linked with -sDYNAMIC_EXECUTION=0, the glue creates no code
// from strings, so pages need no 'unsafe-eval' (only 'wasm-unsafe-eval').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { wasmDir } from './helpers.mjs';

// The glue and every module of the wrapper (cxm.mjs and the modules it loads).
const scripts = ['cxm_wasm.cjs', 'cxm_survey_wasm.cjs', ...readdirSync(wasmDir).filter((f) => f.endsWith('.mjs')).sort()];
for (const file of scripts) {
  test(`${file} has no eval( and no new Function(`, () => {
    const text = readFileSync(path.join(wasmDir, file), 'utf8');
    assert.equal(text.includes('new Function('), false, 'new Function(');
    assert.ok(!/\beval\s*\(/.test(text), 'eval(');
  });
}

test('the package folder is self-contained', () => {
  for (const f of ['cxm_wasm.cjs', 'cxm_wasm.wasm', 'cxm.mjs', 'cxm.d.ts', 'context.mjs', 'survey.mjs', 'constants.mjs',
                   'constants.d.ts'])
    assert.ok(readFileSync(path.join(wasmDir, f)).length > 0, f);
});
