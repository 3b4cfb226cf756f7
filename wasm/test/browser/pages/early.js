// SPDX-License-Identifier: MIT
// Loaded first (a classic script): records CSP violations and everything the widget emits.
window.cxmTest = { ready: false, events: [], errors: [], violations: [], submitted: [], delivered: [] };
document.addEventListener('securitypolicyviolation', (e) => {
  window.cxmTest.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});
for (const type of ['cxm-ready', 'cxm-answer', 'cxm-submit', 'cxm-delivered', 'cxm-skip', 'cxm-dismiss', 'cxm-error']) {
  document.addEventListener(type, (e) => {
    const t = window.cxmTest;
    t.events.push({ type, detail: JSON.parse(JSON.stringify(e.detail ?? null)) });
    if (type === 'cxm-ready') t.ready = true;
    if (type === 'cxm-error') t.errors.push(e.detail);
    if (type === 'cxm-submit') t.submitted.push(e.detail.id);
    if (type === 'cxm-delivered') t.delivered.push(...e.detail.ids);
  });
}
// Tag this document's requests to the collector, so the server can tell who sent what.
window.cxmTest.page = Math.random().toString(36).slice(2, 8);
const realFetch = window.fetch;
window.fetch = (input, init = {}) => {
  const headers = new Headers(init.headers || {});
  headers.set('X-Test-Page', window.cxmTest.page);
  return realFetch(input, { ...init, headers });
};
