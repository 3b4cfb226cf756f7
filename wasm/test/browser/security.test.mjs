// SPDX-License-Identifier: MIT
// Definition text is data: an XSS payload shows as literal text and runs nothing (even without a
// CSP); the strict CSP page works with no violation; a bad definition is a cxm-error naming the
// JSON path; the widget sources use no HTML sinks and no code from strings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, launch, watch, screenshot, pageUrl, openWidget, sampleDefinition, wasmDir, repo, STRICT_CSP } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const PAYLOADS = {
  title: '<img src=x onerror="window.__xss=\'title\'">',
  prompt: '<script>window.__xss=\'prompt\'</script><img src=x onerror="window.__xss=\'prompt-img\'">',
  minLabel: '<b onmouseover="window.__xss=\'label\'">bold</b>',
  choice: '<svg onload="window.__xss=\'choice\'"></svg>&lt;',
  thanks: '<iframe src="javascript:window.parent.__xss=\'thanks\'"></iframe>',
};

test('an XSS payload in the definition is inert and shows as literal text (no CSP on this page)', async () => {
  const d = sampleDefinition();
  d.locales.en.ui.title = PAYLOADS.title;
  d.locales.en.ui.thank_you = PAYLOADS.thanks;
  d.questions[0].text.en.prompt = PAYLOADS.prompt;
  d.questions[0].text.en.min_label = PAYLOADS.minLabel;
  d.questions.find((q) => q.id === 'channels').text.en.choices.web = PAYLOADS.choice;
  server.surveys.set('xss.json', JSON.stringify(d));
  const page = await browser.context.newPage();
  const log = watch(page);
  const response = await page.goto(pageUrl(server.url, { src: '/surveys/xss.json', mode: 'all', csp: '0' }));
  assert.equal(response.headers()['content-security-policy'], undefined, 'no CSP: only the widget stands between the payload and the page');
  await page.waitForFunction(() => window.cxmTest.ready || window.cxmTest.errors.length);
  const s = await page.evaluate(() => {
    const root = document.querySelector('cxm-survey').shadowRoot;
    return {
      title: root.querySelector('h2').textContent,
      prompt: root.querySelector('[data-question=nps] .prompt').textContent,
      minLabel: root.querySelector('[data-question=nps] .ends span').textContent,
      choice: root.querySelector('[data-question=channels] .check span').textContent,
      injected: root.querySelectorAll('img, script, svg, b, iframe').length + document.querySelectorAll('img, iframe, svg').length,
      xss: window.__xss ?? null,
    };
  });
  assert.deepEqual(s, { title: PAYLOADS.title, prompt: PAYLOADS.prompt, minLabel: PAYLOADS.minLabel, choice: PAYLOADS.choice, injected: 0, xss: null });
  await page.locator('cxm-survey [data-question=nps] .ends span').first().hover();
  await page.locator('cxm-survey [data-question=nps] [role=radio][data-value="9"]').click();
  await page.evaluate(() => document.querySelector('cxm-survey').submit());
  await page.waitForFunction(() => window.cxmTest.submitted.length === 1);
  const thanks = await page.evaluate(() => ({
    text: document.querySelector('cxm-survey').shadowRoot.querySelector('.thanks').textContent,
    frames: document.querySelector('cxm-survey').shadowRoot.querySelectorAll('iframe').length, xss: window.__xss ?? null }));
  assert.deepEqual(thanks, { text: PAYLOADS.thanks, frames: 0, xss: null });
  await screenshot(page, 'xss-inert');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the strict CSP page: works end to end, no violation, no console error', async () => {
  server.collector.reset();
  const page = await browser.context.newPage();
  const log = watch(page);
  const url = pageUrl(server.url, { mode: 'all', lang: 'en' });
  const response = await page.goto(url);
  assert.equal(response.headers()['content-security-policy'], STRICT_CSP);
  await page.waitForFunction(() => window.cxmTest.ready || window.cxmTest.errors.length);
  await page.locator('cxm-survey [data-question=nps] [data-value="5"]').click();
  await page.locator('cxm-survey [data-question=what_went_wrong] textarea').fill('Too many forms');
  await page.locator('cxm-survey [data-question=feeling] [data-value="confused"]').click();
  await page.locator('cxm-survey button[type=submit]').click();
  await server.collector.waitFor((c) => c.delivered.size === 1);
  const t = await page.evaluate(() => ({ violations: window.cxmTest.violations, errors: window.cxmTest.errors }));
  assert.deepEqual(t, { violations: [], errors: [] });
  assert.deepEqual(log.errors, []);
  // The check can fail: an inline script on this page is a violation the listener sees.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
  });
  await page.waitForFunction(() => window.cxmTest.violations.length > 0);
  assert.equal(await page.evaluate(() => window.__inline ?? null), null);
  await page.close();
});

test('a definition with a bad reference is reported as cxm-error naming the JSON path', async () => {
  const d = sampleDefinition();
  d.questions[1].show_if.question = 'npss';
  server.surveys.set('bad.json', JSON.stringify(d));
  const page = await browser.context.newPage();
  const log = watch(page);
  await page.goto(pageUrl(server.url, { src: '/surveys/bad.json' }));
  await page.waitForFunction(() => window.cxmTest.errors.length > 0);
  const [e] = await page.evaluate(() => window.cxmTest.errors);
  assert.equal(e.code, 'definition_invalid');
  assert.match(e.message, /questions\[1\]\.show_if\.question/);
  assert.equal(await page.evaluate(() => document.querySelector('cxm-survey').shadowRoot.childElementCount), 0, 'nothing rendered');
  server.surveys.set('notjson.json', '{"format": "cxm.survey",');
  await page.goto(pageUrl(server.url, { src: '/surveys/notjson.json' }));
  await page.waitForFunction(() => window.cxmTest.errors.length > 0);
  assert.equal((await page.evaluate(() => window.cxmTest.errors))[0].code, 'definition_invalid');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('widget sources: no HTML sinks, no code from strings, no inline styles', () => {
  // Every module of the widget as built (the element and the parts it imports).
  const files = readdirSync(path.join(wasmDir, 'widget')).filter((f) => f.endsWith('.js')).map((f) => `widget/${f}`);
  assert.ok(files.length >= 6 && files.includes('widget/cxm-survey.js') && files.includes('widget/render.js'), files.join(' '));
  for (const f of files) {
    const text = readFileSync(path.join(wasmDir, f), 'utf8');
    for (const bad of [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/, /new Function\s*\(/,
                       /setAttribute\(\s*['"]style/, /\.style\./, /createElement\(\s*['"]style/, /setTimeout\(\s*['"`]/]) {
      assert.ok(!bad.test(text), `${f} matches ${bad}`);
    }
  }
});

test('the built widget modules are their sources without comments, and the stripping leaves code alone', async () => {
  const { stripComments } = await import(pathToFileURL(path.join(repo, 'wasm/widget/strip-comments.mjs')).href);
  const files = readdirSync(path.join(wasmDir, 'widget')).filter((f) => f.endsWith('.js'));
  for (const f of files) {
    const source = readFileSync(path.join(repo, 'wasm/widget', f), 'utf8');
    const built = readFileSync(path.join(wasmDir, 'widget', f), 'utf8');
    assert.equal(built, stripComments(source), `${f} is not its source without comments (rebuild?)`);
    assert.ok(built.startsWith('// SPDX-License-Identifier: MIT\n'), `${f} keeps its SPDX header`);
  }
  // Comment-like text in strings, templates and regular expressions stays; line breaks that
  // end statements (automatic semicolon insertion) stay.
  const tricky = [
    '// SPDX-License-Identifier: MIT',
    '// what the file is for',
    'const a = "/* not a comment */"; // gone',
    "const b = `// kept ${'/*'} */`;",
    'const c = /\\/\*x/g; /* gone */ const d = 1',
    'let e = a /* spans',
    'lines */ ++d',
    '/** gone',
    ' * entirely */',
    'export { a, b, c, d, e };',
    '',
  ].join('\n');
  assert.equal(stripComments(tricky), [
    '// SPDX-License-Identifier: MIT',
    '// what the file is for',
    'const a = "/* not a comment */";',
    "const b = `// kept ${'/*'} */`;",
    'const c = /\\/\*x/g; const d = 1',
    'let e = a',
    ' ++d',
    'export { a, b, c, d, e };',
    '',
  ].join('\n'));
});
