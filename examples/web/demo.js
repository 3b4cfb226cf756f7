// SPDX-License-Identifier: MIT
// Lists what the widgets emit (cxm-ready, cxm-answer, cxm-submit with the local score,
// cxm-delivered, cxm-dismiss, cxm-error), as text.
const log = document.getElementById('log');
function line(text) {
  const li = document.createElement('li');
  li.textContent = text;
  log.prepend(li);
}
for (const type of ['cxm-ready', 'cxm-answer', 'cxm-submit', 'cxm-delivered', 'cxm-skip', 'cxm-dismiss', 'cxm-error']) {
  document.addEventListener(type, (e) => {
    const lang = e.target.getAttribute?.('lang') ?? '';
    const d = e.detail ?? {};
    let text;
    if (type === 'cxm-answer') text = `${d.question} = ${JSON.stringify(d.value)}; shown: ${d.visible.join(', ')}`;
    else if (type === 'cxm-submit') text = `response ${d.id} queued; local score ${JSON.stringify(d.score)}`;
    else if (type === 'cxm-delivered') text = `delivered ${d.ids.length} response(s)`;
    else if (type === 'cxm-dismiss') text = `closed with "Not now" after ${d.answered} answer(s); nothing sent`;
    else text = JSON.stringify(d);
    line(`[${lang}] ${type}: ${text}`);
  });
}
