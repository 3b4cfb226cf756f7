// SPDX-License-Identifier: MIT
// Build step (wasm/widget/CMakeLists.txt): writes a widget module into the build output without
// its comments, except the ones before the first line of code (the SPDX line and what the file
// is for). The sources keep their comments for people; pages download a quarter less (gzip).
// Comments are found by acorn, a complete ES parser (Debian's node-acorn, which emscripten
// depends on), so strings, template literals and regular expressions are never touched. The
// result is checked: the same tokens, with a line break between two tokens exactly where the
// source had one (automatic semicolon insertion reads it the same), or the build fails.
//
//   node strip-comments.mjs <source.js> <output.js>
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const acorn = (() => {
  for (const where of ['/usr/share/nodejs/acorn', 'acorn']) {
    try {
      return require(where);
    } catch { /* try the next one */ }
  }
  throw new Error('strip-comments: acorn not found (Debian: apt-get install node-acorn, an emscripten dependency)');
})();

const OPTIONS = { ecmaVersion: 'latest', sourceType: 'module' };
const BREAK = /[\n\r\u2028\u2029]/;

/** Tokens of `text` with, for each, whether a line break separates it from the one before. */
function tokens(text) {
  const out = [];
  let end = 0;
  for (const t of acorn.tokenizer(text, OPTIONS)) {
    out.push({ type: t.type.label, value: String(t.value), broken: BREAK.test(text.slice(end, t.start)) });
    end = t.end;
  }
  return out;
}

export function stripComments(text) {
  const comments = [];
  acorn.parse(text, { ...OPTIONS, onComment: (block, _, start, end) => comments.push({ block, start, end }) });
  const firstToken = acorn.tokenizer(text, OPTIONS).getToken().start;
  let out = '';
  let pos = 0;
  for (const { block, start, end } of comments) {
    if (end <= firstToken) continue;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const alone = /^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t]*(\r?\n|$)/.test(text.slice(end));
    if (alone && lineStart >= pos) {
      // A comment on lines of its own: drop those lines.
      out += text.slice(pos, lineStart);
      pos = end + (text.slice(end).match(/^[ \t]*(\r?\n)?/)[0].length);
    } else {
      // Beside code: drop it and the spaces before it; a block spanning lines leaves a break.
      out += text.slice(pos, start).replace(/[ \t]+$/, '');
      if (block) out += BREAK.test(text.slice(start, end)) ? '\n' : /^\s/.test(text.slice(end, end + 1)) ? '' : ' ';
      pos = end;
    }
  }
  out += text.slice(pos);
  const a = tokens(text);
  const b = tokens(out);
  const same = a.length === b.length && a.every((t, i) => t.type === b[i].type && t.value === b[i].value && t.broken === b[i].broken);
  if (!same) throw new Error('strip-comments: the code changed, not only its comments');
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [source, output] = process.argv.slice(2);
  const result = stripComments(readFileSync(source, 'utf8'));
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, result);
}
