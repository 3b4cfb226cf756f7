// SPDX-License-Identifier: MIT
// The live dashboard of cxm serve (/dashboard/; build.mjs bundles it with render.mjs and the
// Chart.js parts into dashboard.js). It polls GET /v1/analysis (a cxm.report v1 document,
// docs/report.md) every few seconds and draws it with the same renderReport as the file report.
// Polling rather than server-sent events: each answer is the whole report recomputed by the
// server, so a push would save nothing but the request, and polling survives proxies, restarts
// and sleeping laptops without reconnection logic. The filters live in the URL's query
// (dashboard_query.mjs). Nothing from the server is parsed as HTML: render.mjs builds DOM, and
// this file sets only textContent and form values.
import {
  Chart, BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, LogarithmicScale, Filler, Tooltip, Legend,
} from 'chart.js';
import { renderReport } from './render.mjs';
import { count } from './format.mjs';
import { readFilters, pageQuery, analysisQuery, clock } from './dashboard_query.mjs';

Chart.register(BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, LogarithmicScale, Filler, Tooltip, Legend);

const FORM_DIMENSIONS = ['channel', 'step', 'journey_id'];
const REQUEST_TIMEOUT_MS = 15000;
const $ = (id) => document.getElementById(id);

const state = {
  filters: readFilters(location.search),
  surveys: null,       // [{id, versions, latest, title}] from /v1/surveys, null until known
  view: null,          // what renderReport returned for the drawn report
  drawnKey: null,      // the analysis query of the drawn report
  drawnText: null,     // its JSON text: an unchanged answer is not redrawn
  lastOk: null,        // Date of the last good answer
  timer: 0,
  inFlight: null,      // AbortController of the request in progress
  polls: 0, draws: 0,
};

/** A bearer token for /v1/ when the URL's fragment holds #token=... (never sent in a URL or Referer). */
function authHeaders() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  return m ? { Authorization: `Bearer ${decodeURIComponent(m[1])}` } : {};
}

/** The reason of a refusal ({"error":{"reason":...}}) or the status line. */
function reasonOf(res, text) {
  try {
    const r = JSON.parse(text)?.error?.reason;
    if (typeof r === 'string' && r) return `HTTP ${res.status}: ${r}`;
  } catch { /* not JSON */ }
  return `HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`;
}

function setStatus(kind, text) {
  const s = $('dash-status');
  s.dataset.state = kind;           // ok | stale | error | loading
  $('dash-status-text').textContent = text;
  document.body.classList.toggle('is-stale', kind === 'stale');
}

function setAlert(text) {
  const a = $('dash-alert');
  if (a.textContent !== (text ?? '')) a.textContent = text ?? '';
  a.hidden = !text;
}

/** The open "Numbers" tables, by figure position, so a redraw keeps them open. */
function openTables(root) {
  return new Set([...root.querySelectorAll('details.numbers')].map((d, i) => (d.open ? i : -1)).filter((i) => i >= 0));
}

/** Draws a report in place: old charts destroyed, height and scroll kept, open tables kept open. */
function draw(report, key, text) {
  const root = $('cxm-report');
  const open = key === state.drawnKey ? openTables(root) : new Set();
  const scroll = window.scrollY;
  root.style.minHeight = `${root.offsetHeight}px`;   // no collapse (and no scroll jump) while it is rebuilt
  state.view?.destroy();
  state.view = renderReport(root, report, { Chart });
  [...root.querySelectorAll('details.numbers')].forEach((d, i) => { if (open.has(i)) d.open = true; });
  root.style.minHeight = '';
  if (window.scrollY !== scroll) window.scrollTo(0, scroll);
  state.drawnKey = key;
  state.drawnText = text;
  state.draws++;
}

/** No numbers to show (a refused filter): the old ones are for other filters. */
function clear(message) {
  state.view?.destroy();
  state.view = null;
  state.drawnKey = null;
  state.drawnText = null;
  const p = document.createElement('p');
  p.className = 'loading';
  p.textContent = message;
  $('cxm-report').replaceChildren(p);
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = setTimeout(poll, state.filters.refresh * 1000);
}

const every = () => `every ${state.filters.refresh} s`;

/** One request for the current filters; the next one is scheduled when it ends. */
async function poll() {
  clearTimeout(state.timer);
  state.inFlight?.abort();
  const ctrl = new AbortController();
  state.inFlight = ctrl;
  const key = analysisQuery(state.filters);
  const timeout = setTimeout(() => ctrl.abort(), REQUEST_TIMEOUT_MS);
  state.polls++;
  if (!state.surveys) loadSurveys();
  try {
    const res = await fetch(`/v1/analysis${key ? '?' + key : ''}`, {
      headers: { Accept: 'application/json', ...authHeaders() }, cache: 'no-store', signal: ctrl.signal,
    });
    const text = await res.text();
    if (ctrl !== state.inFlight) return;
    if (res.ok) {
      let report;
      try {
        report = JSON.parse(text);
      } catch (e) {
        throw Object.assign(new Error(`the answer is not JSON (${e.message})`), { reason: true });
      }
      if (text !== state.drawnText || key !== state.drawnKey) draw(report, key, text);
      state.lastOk = new Date();
      setAlert(null);
      const n = report?.input?.responses;
      const responses = n === 0 ? 'no responses yet' : typeof n === 'number' ? `${count(n)} response${n === 1 ? '' : 's'}` : null;
      setStatus('ok', [`Updated ${clock(state.lastOk)}`, responses, every()].filter(Boolean).join(' \u00b7 '));
    } else if (res.status >= 500 || res.status === 429) {
      stale(reasonOf(res, text));
    } else {
      // The server refused these filters (400, 404) or the token (401, 403): say why; numbers
      // drawn for these same filters stay (marked stale), numbers of other filters go.
      const reason = reasonOf(res, text);
      if (state.drawnKey === key) stale(reason);
      else {
        clear('No numbers for these filters.');
        setStatus('error', `Not updated \u00b7 ${every()}`);
      }
      setAlert(res.status === 401 || res.status === 403
        ? `Not allowed: ${reason}. With report tokens set, open this page as /dashboard/#token=<token>.`
        : `The server refused these filters: ${reason}`);
    }
  } catch (e) {
    if (ctrl !== state.inFlight) return;
    stale(ctrl.signal.aborted ? 'no answer within 15 s' : e?.reason ? e.message : 'the server cannot be reached');
  } finally {
    clearTimeout(timeout);
    if (ctrl === state.inFlight) {
      state.inFlight = null;
      schedule();
    }
  }
}

/** The server is down or failing: the last numbers stay, marked stale. */
function stale(reason) {
  if (state.lastOk && state.drawnText) {
    const other = state.drawnKey !== analysisQuery(state.filters) ? ' (the previous filters)' : '';
    setStatus('stale', `Stale since ${clock(state.lastOk)}${other}: ${reason}. Retrying ${every()}`);
  } else {
    setStatus('error', `No data yet: ${reason}. Retrying ${every()}`);
  }
}

/** Fills the survey filter from /v1/surveys (once it answers). */
async function loadSurveys() {
  state.surveys = [];   // one request at a time; set back to null on failure
  try {
    const res = await fetch('/v1/surveys', { headers: { Accept: 'application/json', ...authHeaders() }, cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const list = (await res.json())?.surveys;
    state.surveys = Array.isArray(list) ? list.filter((s) => typeof s?.id === 'string') : [];
  } catch {
    state.surveys = null;
    return;
  }
  if (!state.filters.survey && state.surveys.length > 1) {
    // Several surveys and none chosen: the first, so the server knows which.
    state.filters.survey = state.surveys[0].id;
    history.replaceState(null, '', `?${pageQuery(state.filters)}${location.hash}`);
    fillForm();
    poll();
    return;
  }
  fillForm();
}

/** The form shows the current filters. */
function fillForm() {
  const f = state.filters;
  const select = $('dash-survey');
  const options = (state.surveys ?? []).map((s) => {
    const o = document.createElement('option');
    o.value = s.id;
    o.textContent = s.title ? `${s.title} (${s.id} v${s.latest})` : `${s.id} v${s.latest}`;
    return o;
  });
  if (f.survey && !options.some((o) => o.value === f.survey)) {
    const o = document.createElement('option');
    o.value = f.survey;
    o.textContent = f.survey;
    options.push(o);
  }
  if (!options.length) {
    const o = document.createElement('option');
    o.value = '';
    o.textContent = '(the only one)';
    options.push(o);
  }
  select.replaceChildren(...options);
  select.value = f.survey || options[0].value;
  const chosen = (state.surveys ?? []).find((s) => s.id === select.value);
  $('dash-name').textContent = chosen?.title || chosen?.id || f.survey || 'Customer experience';
  $('dash-period').value = f.period;
  for (const box of document.querySelectorAll('#dash-by input[type=checkbox]')) box.checked = f.by.includes(box.value);
  $('dash-segments').value = f.by.filter((d) => d.startsWith('segment.')).map((d) => d.slice(8)).join(', ');
  $('dash-tz').value = f.tz;
  // The phone's filter button says what is chosen.
  const summary = [f.period === 'none' ? 'no period' : `by ${f.period}`, f.by.length ? f.by.join(', ') : 'no breakdown', f.tz || 'UTC'];
  $('dash-toggle').textContent = `Filters: ${summary.join(' \u00b7 ')}`;
}

/** The filters the form shows, over the current ones (dimensions the form has no box for stay). */
function readForm() {
  const form = new FormData($('dash-filters'));
  const by = form.getAll('by').map(String);
  for (const s of String(form.get('segments') ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const d = `segment.${s.replace(/^segment\./, '')}`;
    if (!by.includes(d)) by.push(d);
  }
  const kept = state.filters.by.filter((d) => !FORM_DIMENSIONS.includes(d) && !d.startsWith('segment.'));
  return {
    ...state.filters,
    survey: String(form.get('survey') ?? ''),
    period: String(form.get('period') ?? 'none'),
    by: [...by, ...kept.filter((d) => !by.includes(d))],
    tz: String(form.get('tz') ?? '').trim(),
  };
}

function apply() {
  state.filters = readFilters(`?${pageQuery(readForm())}`);
  const search = `?${pageQuery(state.filters)}`;
  if (search !== location.search && !(search === '?' && !location.search)) history.pushState(null, '', `${search}${location.hash}`);
  fillForm();
  setStatus('loading', 'Loading\u2026');
  poll();
}

function start() {
  const form = $('dash-filters');
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  $('dash-toggle').addEventListener('click', (e) => {
    const open = document.querySelector('.dash-bar').classList.toggle('filters-open');
    e.currentTarget.setAttribute('aria-expanded', String(open));
  });
  form.addEventListener('change', (e) => { if (e.target.matches('select, input[type=checkbox]')) apply(); });
  addEventListener('popstate', () => {
    state.filters = readFilters(location.search);
    fillForm();
    poll();
  });
  // Back on screen after a sleep: fresh numbers now rather than at the next tick.
  document.addEventListener('visibilitychange', () => { if (!document.hidden && !state.inFlight) poll(); });
  fillForm();
  setStatus('loading', 'Loading\u2026');
  poll();
  globalThis.cxmDashboard = { state, Chart, charts: () => state.view?.charts ?? [], poll };
}
start();
