// SPDX-License-Identifier: MIT
// Builds the test page's <cxm-survey> from the query string: src, endpoint, lang, mode,
// scale-dir, dismissible, respondent, force, nonce, and the delivery timings retry / poll / lease (ms).
import { configureDelivery, cxmApi, deliveryQueue } from '/cxm/widget/cxm-survey.js';

const q = new URLSearchParams(location.search);
const num = (k) => (q.has(k) ? Number(q.get(k)) : undefined);
const options = {};
if (q.has('retry')) { options.retryBaseMs = num('retry'); options.retryMaxMs = num('retry') * 8; }
if (q.has('poll')) options.pollMs = num('poll');
if (q.has('lease')) options.leaseMs = num('lease');
if (q.has('timeout')) options.timeoutMs = num('timeout');
configureDelivery(options);

const survey = document.createElement('cxm-survey');
for (const a of ['src', 'endpoint', 'lang', 'mode', 'scale-dir', 'dismissible', 'respondent', 'nonce']) {
  if (q.has(a)) survey.setAttribute(a, q.get(a));
}
if (q.get('force') === '1') survey.setAttribute('force', '');
if (q.has('page-lang')) document.documentElement.lang = q.get('page-lang');
document.getElementById('host').append(survey);

// Handles for the tests (page.evaluate): the element, the shared API, the queue.
window.cxmTest.survey = survey;
window.cxmTest.api = cxmApi;
window.cxmTest.queue = () => (q.has('endpoint') ? deliveryQueue(q.get('endpoint')) : null);
