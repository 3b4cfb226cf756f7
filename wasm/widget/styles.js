// SPDX-License-Identifier: MIT
// The look of <cxm-survey>: one constructable stylesheet adopted by each shadow root. Adopted
// sheets are not subject to style-src, and no <style> text or style attribute is written, so it
// runs under a strict CSP. Themed with --cxm-* properties and ::part() (README.md); default
// colours meet WCAG 2.1 AA. Narrow layouts follow the widget's width (container queries on
// elements inside the card, so a shrink-to-fit host still sizes to its text) and are the default,
// for browsers without container queries. No tap highlight: :active shows the press instead.

const CSS = `
:host{display:block;-webkit-tap-highlight-color:transparent;font:var(--cxm-font,16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Hebrew",Arial,sans-serif);color:var(--cxm-color,#1f2328);max-width:var(--cxm-max-width,40rem);overflow-wrap:break-word}
:host([hidden]){display:none}
*{box-sizing:border-box}
.card{background:var(--cxm-background,#fff);border:1px solid var(--cxm-border,#6e7781);border-radius:var(--cxm-radius,12px);padding:var(--cxm-padding,1.25rem)}
h2{font-size:1.25em;margin:0 0 .5rem}
.intro{margin:0 0 1rem;color:var(--cxm-muted,#57606a)}
.q{margin:0 0 1.25rem;border:0;padding:0}
.q[hidden]{display:none}
.prompt{font-weight:600;margin:0 0 .5rem;display:block}
.chips{display:flex;flex-wrap:wrap;gap:var(--cxm-gap,.375rem)}
.scale-wrap{container-type:inline-size}
.scale{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(0,1fr);gap:var(--cxm-gap,.375rem)}
.scale .opt{min-width:0;padding-inline:0}
.scale.long{grid-auto-flow:row;grid-template-columns:repeat(6,minmax(0,1fr))}
@container (min-width:28rem){.scale.long{grid-auto-flow:column;grid-template-columns:none}}
.choices{display:flex;flex-direction:column;gap:var(--cxm-gap,.375rem)}
.opt{display:inline-flex;align-items:center;justify-content:center;max-width:100%;min-width:var(--cxm-option-size,2.5rem);min-height:var(--cxm-option-size,2.5rem);padding:.25rem .625rem;border:1px solid var(--cxm-border,#6e7781);border-radius:var(--cxm-radius-option,8px);background:var(--cxm-background,#fff);color:var(--cxm-color,#1f2328);cursor:pointer;user-select:none;font:inherit}
.choices .opt{justify-content:flex-start}
.chips .opt{border-radius:999px;padding-inline:.875rem}
.opt:hover,.opt:active{background:var(--cxm-hover,#e7eefc)}
.opt[aria-checked=true]{background:var(--cxm-accent,#0b57d0);border-color:var(--cxm-accent,#0b57d0);color:var(--cxm-accent-contrast,#fff)}
.opt:focus{outline:none}
.opt:focus-visible,button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid var(--cxm-focus,#0b57d0);outline-offset:2px}
.opt[aria-checked=true]:focus-visible{outline-color:var(--cxm-focus,#0b57d0);box-shadow:0 0 0 2px var(--cxm-background,#fff) inset}
.ends{display:flex;justify-content:space-between;gap:1rem;font-size:.875em;color:var(--cxm-muted,#57606a);margin-top:.25rem}
.ends span:last-child{text-align:end}
.check{display:flex;gap:.5rem;align-items:center;min-height:var(--cxm-option-size,2.5rem);cursor:pointer}
.check input{flex:none;width:1.25rem;height:1.25rem;accent-color:var(--cxm-accent,#0b57d0);margin:0}
textarea{display:block;width:100%;min-height:5rem;font:inherit;color:var(--cxm-color,#1f2328);background:var(--cxm-background,#fff);border:1px solid var(--cxm-border,#6e7781);border-radius:var(--cxm-radius-option,8px);padding:.5rem}
.count{font-size:.875em;color:var(--cxm-muted,#57606a)}
.problem{color:var(--cxm-error,#b3261e);font-size:.875em;margin-top:.25rem}
.problem:empty{display:none}
.nav{container-type:inline-size;margin-top:.5rem}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.progress{flex:1 0 100%;order:-1;font-size:.875em;color:var(--cxm-muted,#57606a)}
.progress:empty{display:none}
@container (min-width:26rem){.progress{flex:1 1 0;order:0;text-align:center}}
.next,.submit{margin-inline-start:auto}
button{font:inherit;min-height:var(--cxm-option-size,2.5rem);border-radius:var(--cxm-radius-option,8px);padding:.5rem 1.25rem;cursor:pointer;border:1px solid var(--cxm-accent,#0b57d0)}
button.primary{background:var(--cxm-accent,#0b57d0);color:var(--cxm-accent-contrast,#fff)}
button.secondary{background:var(--cxm-background,#fff);color:var(--cxm-accent,#0b57d0)}
button.dismiss{display:block;margin:.5rem auto 0;padding-inline:.75rem;background:transparent;border-color:transparent;color:var(--cxm-accent,#0b57d0);text-decoration:underline;text-underline-offset:.2em}
button.dismiss:hover{background:var(--cxm-hover,#e7eefc)}
button[hidden]{display:none}
button:disabled{cursor:default;opacity:.7}
.thanks{font-size:1.125em;font-weight:600;margin:0}
.thanks:focus{outline:none}
`;

let sheet = null;

/** Gives `root` (a shadow root) the widget's stylesheet; one CSSStyleSheet object serves every element. */
export function adoptStyles(root) {
  // Constructable stylesheets: Chromium 73+, Firefox 101+, Safari 16.4+ (the supported baseline).
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  root.adoptedStyleSheets = [sheet];
}
