// SPDX-License-Identifier: MIT
// Loaded first (a classic script): records CSP violations and everything the widget emits.
window.cxmTest = { ready: false, events: [], errors: [], violations: [], submitted: [], delivered: [] };
document.addEventListener('securitypolicyviolation', (e) => {
  window.cxmTest.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});
for (const type of ['cxm-ready', 'cxm-answer', 'cxm-submit', 'cxm-delivered', 'cxm-skip', 'cxm-error']) {
  document.addEventListener(type, (e) => {
    const t = window.cxmTest;
    t.events.push({ type, detail: JSON.parse(JSON.stringify(e.detail ?? null)) });
    if (type === 'cxm-ready') t.ready = true;
    if (type === 'cxm-error') t.errors.push(e.detail);
    if (type === 'cxm-submit') t.submitted.push(e.detail.id);
    if (type === 'cxm-delivered') t.delivered.push(...e.detail.ids);
  });
}
