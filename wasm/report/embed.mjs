// SPDX-License-Identifier: MIT
// Putting a cxm.report JSON text into the built page (report_template.html): the rule the C++
// printer implements (docs/report.md, "HTML"), written in JS for the tests and for Node tools.

/** The one placeholder of the built page: the content of <script type="application/json" id="cxm-report-data">. */
export const PLACEHOLDER = '{{CXM_REPORT_JSON}}';

const ESCAPES = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * Escapes a JSON text for a <script> data block: < > & U+2028 U+2029 become \u003c \u003e
 * \u0026 \u2028 \u2029. These characters can only occur inside JSON strings, where the escape
 * means the same character, so JSON.parse gives the same value; and without "<" nothing can
 * close the element ("</script") or open a comment ("<!--").
 */
export function escapeJsonForHtml(jsonText) {
  return String(jsonText).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]);
}

/** The page for one report: the template with its placeholder replaced by the escaped JSON text. */
export function fillTemplate(template, jsonText) {
  const at = template.indexOf(PLACEHOLDER);
  if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0) throw new Error('report template: the placeholder must occur exactly once');
  return template.slice(0, at) + escapeJsonForHtml(jsonText) + template.slice(at + PLACEHOLDER.length);
}
