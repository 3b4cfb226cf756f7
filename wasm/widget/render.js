// SPDX-License-Identifier: MIT
// The DOM of <cxm-survey>: question types (scales and single choices as WAI-ARIA radio groups,
// checkboxes, a textarea with a counter), navigation, dismiss button, messages, thank-you card.
// It only builds and updates elements; the state and the words come from the element through a
// `view` (renderForm), so the logic stays in cxm-survey.js. Text goes in as textContent, never HTML.

import { limits } from '../constants.mjs';

/** Longest text answer in UTF-16 units whatever the definition says: the core's longest
 * text answer (survey::max_text_length code points). */
export const MAX_TEXT_CHARS = limits.maxTextLength;

/** createElement with attributes; `text` sets textContent, false/null/undefined values are left out. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
}

/** Puts a word ({text, lang}, strings.js) into `e` as text; lang only when not the card's. */
export function say(e, word) {
  e.textContent = word.text;
  if (word.lang) e.setAttribute('lang', word.lang);
  else e.removeAttribute('lang');
  return e;
}

/**
 * The form. view: {uid, def, locale, dir, t(key, vars) -> word, text(id) -> survey.text,
 * answer(id), scaleDir, dismissible, onAnswer(id, value), onBack, onNext, onSubmit, onDismiss}.
 * Returns {form, nodes: Map(id -> {box, problem, focus(), sync()}), parts}.
 */
export function renderForm(view) {
  const { t } = view;
  const form = el('form', { class: 'card', part: 'card', dir: view.dir, lang: view.locale, novalidate: true });
  const title = t('title');
  const intro = t('intro');
  if (title.text) form.append(say(el('h2', { part: 'title', id: `${view.uid}-title` }), title));
  if (intro.text) form.append(say(el('p', { class: 'intro', part: 'intro' }), intro));
  const nodes = new Map();
  for (const q of view.def.questions) {
    const node = question(view, q);
    nodes.set(q.id, node);
    form.append(node.box);
  }
  const progress = el('span', { class: 'progress', part: 'progress', 'aria-live': 'polite' });
  const back = say(el('button', { type: 'button', class: 'secondary back', part: 'button back' }), t('back'));
  const next = say(el('button', { type: 'button', class: 'primary next', part: 'button next' }), t('next'));
  const send = say(el('button', { type: 'submit', class: 'primary submit', part: 'button submit' }), t('submit'));
  form.append(el('div', { class: 'nav' }, el('div', { class: 'row' }, back, progress, next, send)));
  back.addEventListener('click', () => view.onBack());
  next.addEventListener('click', () => view.onNext());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    view.onSubmit();
  });
  let dismiss = null;
  if (view.dismissible) {
    // Last in focus order, on a line of its own: not in the way of Next, for keys or thumbs.
    dismiss = say(el('button', { type: 'button', class: 'dismiss', part: 'button dismiss' }), t('dismiss'));
    dismiss.addEventListener('click', () => view.onDismiss());
    form.append(dismiss);
  }
  return { form, nodes, parts: { form, back, next, send, progress, dismiss } };
}

/** Mode 'one': the current question, Back/Next or Send, progress; 'all': every visible question, Send. */
export function showPage({ back, next, send, progress }, nodes, { one, visible, page, progressWord }) {
  const current = visible[page];
  for (const [id, n] of nodes) n.box.hidden = one ? id !== current : !visible.includes(id);
  const last = !one || page >= visible.length - 1;
  back.hidden = !one || page === 0;
  next.hidden = last;
  send.hidden = !last;
  say(progress, one ? progressWord : { text: '' });
}

/** Shows (a word) or clears (null) a question's problem; aria-invalid follows. */
export function showProblem(node, word) {
  say(node.problem, word ?? { text: '' });
  if (word?.text) node.box.setAttribute('aria-invalid', 'true');
  else node.box.removeAttribute('aria-invalid');
}

/** The card after Send: the thank-you word as a focusable status message. */
export function thanksCard(view, word) {
  const msg = say(el('p', { class: 'thanks', part: 'thanks', role: 'status', tabindex: '-1' }), word);
  return { card: el('div', { class: 'card', part: 'card', dir: view.dir, lang: view.locale }, msg), msg };
}

function question(view, q) {
  const text = view.text(q.id);
  const id = `${view.uid}-${q.id}`;
  // An untranslated question shows the default locale's text: say which language it is.
  const lang = text.locale && text.locale !== view.locale ? text.locale : undefined;
  const box = el('div', { class: 'q', part: 'question', 'data-question': q.id, dir: text.dir || undefined, lang });
  const prompt = el('div', { class: 'prompt', part: 'prompt', id: `${id}-prompt`, text: text.prompt });
  const problem = el('div', { class: 'problem', part: 'problem', id: `${id}-problem`, role: 'alert' });
  let node;
  if (q.type === 'nps' || q.type === 'ces' || q.type === 'csat') node = scale(view, q, text, id);
  else if ((q.type === 'choice' && !q.multiple) || q.type === 'emotion') node = single(view, q, text, id);
  else if (q.type === 'choice') node = multiple(view, q, text, id);
  else node = textAnswer(view, q, id);
  box.append(prompt, node.element, problem);
  return { box, problem, focus: node.focus, sync: node.sync };
}

/** A WAI-ARIA radio group: roving tabindex, arrows move focus, Space/Enter select. */
function radioGroup(view, q, id, options, { layout, describedBy, ends, dir }) {
  const group = el('div', {
    role: 'radiogroup', class: layout, part: layout.split(' ')[0], 'aria-labelledby': `${id}-prompt`,
    'aria-describedby': [describedBy, `${id}-problem`].filter(Boolean).join(' '),
    'aria-required': q.required ? 'true' : undefined, dir,
  });
  const select = (i) => view.onAnswer(q.id, options[i].value);
  const radios = options.map((o, i) => {
    const r = el('div', {
      role: 'radio', class: 'opt', part: 'option', tabindex: '-1', 'aria-checked': 'false',
      'data-value': String(o.value), 'aria-describedby': ends ? ends[i] : undefined, text: o.label,
    });
    r.addEventListener('click', () => {
      r.focus();
      select(i);
    });
    return r;
  });
  group.append(...radios);
  const current = () => radios.findIndex((r) => r.getAttribute('aria-checked') === 'true');
  const rove = (i) => radios.forEach((r, j) => r.setAttribute('tabindex', j === i ? '0' : '-1'));
  const sync = () => {
    const v = view.answer(q.id);
    radios.forEach((r, i) => r.setAttribute('aria-checked', String(options[i].value === v)));
    const c = current();
    // The tab stop is the checked radio (else the first), unless the focus is in the group.
    if (!radios.includes(group.getRootNode().activeElement)) rove(c >= 0 ? c : 0);
  };
  group.addEventListener('keydown', (e) => {
    const i = radios.indexOf(e.target);
    if (i < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    // Left/Right follow what the eye sees: in a mirrored (right-to-left) group the next
    // value is on the left. Up/Down always mean previous/next, on two rows too.
    const rtl = getComputedStyle(group).direction === 'rtl';
    const horizontal = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 };
    let to = null;
    if (e.key in horizontal) to = i + horizontal[e.key];
    else if (e.key === 'ArrowDown') to = i + 1;
    else if (e.key === 'ArrowUp') to = i - 1;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = radios.length - 1;
    else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      select(i);
      return;
    } else return;
    e.preventDefault();
    to = (to + radios.length) % radios.length;
    rove(to);
    radios[to].focus();
  });
  sync();
  const focus = () => {
    const c = current();
    radios[c >= 0 ? c : 0].focus();
  };
  return { element: group, sync, focus };
}

function scale(view, q, text, id) {
  const { min, max } = q.scale;
  const options = [];
  for (let v = min; v <= max; v++) options.push({ value: v, label: String(v) });
  const minId = text.minLabel ? `${id}-min` : null;
  const maxId = text.maxLabel ? `${id}-max` : null;
  const ends = options.map((_, i) => (i === 0 ? minId : i === options.length - 1 ? maxId : null) || undefined);
  // scale-dir="ltr" keeps the lowest value on the left in right-to-left locales; the default
  // ("auto") lays the scale out in the reading direction (mirrored in RTL).
  const dir = view.scaleDir;
  // Over 7 options (0-10) do not fit one row of comfortable targets on a phone: `long` scales
  // wrap to two rows there (styles.js), 0-5 above 6-10.
  const layout = options.length > 7 ? 'scale long' : 'scale';
  const g = radioGroup(view, q, id, options, {
    layout, describedBy: [minId, maxId].filter(Boolean).join(' ') || null, ends, dir,
  });
  const wrap = el('div', { class: 'scale-wrap' }, g.element);
  if (minId || maxId) {
    wrap.append(el('div', { class: 'ends', part: 'ends', dir, 'aria-hidden': 'true' },
      el('span', { id: minId || undefined, text: text.minLabel || '' }),
      el('span', { id: maxId || undefined, text: text.maxLabel || '' })));
  }
  return { element: wrap, sync: g.sync, focus: g.focus };
}

function single(view, q, text, id) {
  const options = (q.choices || []).map((c) => ({ value: c, label: text.choices?.[c] ?? c }));
  return radioGroup(view, q, id, options, { layout: q.type === 'emotion' ? 'chips' : 'choices' });
}

function multiple(view, q, text, id) {
  const group = el('div', { role: 'group', class: 'choices', part: 'choices', 'aria-labelledby': `${id}-prompt`,
                            'aria-describedby': `${id}-problem` });
  const inputs = (q.choices || []).map((c) => {
    const input = el('input', { type: 'checkbox', value: c, part: 'checkbox' });
    input.addEventListener('change', () => {
      view.onAnswer(q.id, inputs.filter((i) => i.checked).map((i) => i.value));
    });
    group.append(el('label', { class: 'check', part: 'check' }, input, el('span', { text: text.choices?.[c] ?? c })));
    return input;
  });
  const sync = () => {
    const v = view.answer(q.id) || [];
    for (const i of inputs) i.checked = v.includes(i.value);
  };
  sync();
  return { element: group, sync, focus: () => inputs[0]?.focus() };
}

function textAnswer(view, q, id) {
  const max = Math.min(q.maxLength || MAX_TEXT_CHARS, MAX_TEXT_CHARS);
  const area = el('textarea', { id: `${id}-input`, part: 'textarea', maxlength: String(max), 'aria-labelledby': `${id}-prompt`,
                                'aria-describedby': `${id}-count ${id}-problem`, 'aria-required': q.required ? 'true' : undefined });
  const count = el('div', { class: 'count', part: 'count', id: `${id}-count` });
  const showCount = () => say(count, view.t('characters', { n: area.value.length, m: max }));
  area.addEventListener('input', () => {
    showCount();
    view.onAnswer(q.id, area.value);
  });
  const sync = () => {
    const v = view.answer(q.id) ?? '';
    if (area.value !== v) area.value = v;
    showCount();
  };
  sync();
  return { element: el('div', {}, area, count), sync, focus: () => area.focus() };
}
