// SPDX-License-Identifier: MIT
// The entry of the self-contained report page (build.mjs bundles it with the Chart.js parts it
// uses): reads the report from its JSON data block and draws it.
import {
  Chart, BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, LogarithmicScale, Filler, Tooltip, Legend,
} from 'chart.js';
import { renderReport } from './render.mjs';

Chart.register(BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, LogarithmicScale, Filler, Tooltip, Legend);

function start() {
  const root = document.getElementById('cxm-report');
  let report;
  try {
    report = JSON.parse(document.getElementById('cxm-report-data').textContent);
  } catch (e) {
    root.textContent = `The report data cannot be read: ${e.message}`;
    return;
  }
  const dir = document.documentElement.getAttribute('dir') === 'rtl' ? 'rtl' : 'ltr';
  const view = renderReport(root, report, { dir, Chart });
  // Print: the numbers are printed under each chart, and the charts are redrawn at the paper's width.
  let opened = [];
  addEventListener('beforeprint', () => {
    opened = [...document.querySelectorAll('details.numbers:not([open])')];
    for (const d of opened) d.open = true;
    for (const c of view.charts) c.resize();
  });
  addEventListener('afterprint', () => {
    for (const d of opened) d.open = false;
    opened = [];
    for (const c of view.charts) c.resize();
  });
  globalThis.cxmReportView = view;
}
start();
