// The dashboard's style sheet. It is applied as a constructed style sheet (document.adoptedStyleSheets), which the
// webview's Content Security Policy allows without 'unsafe-inline' — no <style> element, no style attributes.
// Colours come from VS Code's theme variables, so light, dark and high-contrast themes all work; layout collapses
// to one column at narrow widths.

export const DASHBOARD_CSS = `
:root { --gap: 14px; --accent: var(--vscode-charts-blue, #3794ff); }
* { box-sizing: border-box; }
body { margin: 0; padding: 0 16px 32px; color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); line-height: 1.45; }
h1 { font-size: 1.35em; margin: 14px 0 4px; font-weight: 600; }
h2 { font-size: 1.1em; margin: 0 0 8px; font-weight: 600; }
h3 { font-size: 1em; margin: 12px 0 6px; font-weight: 600; }
p { margin: 4px 0; }
a { color: var(--vscode-textLink-foreground); }
a:focus-visible, [tabindex]:focus-visible, button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.muted { color: var(--vscode-descriptionForeground); }
.header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 6px 0 10px;
  border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); }
.header .title { flex: 1 1 260px; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.controls > label, .field { display: inline-flex; flex-direction: column; gap: 2px; font-size: 0.92em; }
nav.sections { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 6px 0; }
.notice { margin: 8px 0; padding: 6px 10px; font-weight: 600;
  background: var(--vscode-inputValidation-warningBackground, rgba(255, 200, 0, 0.15));
  border: 1px solid var(--vscode-inputValidation-warningBorder, #cca700); }
.problem { margin: 8px 0; padding: 6px 10px; border: 1px solid var(--vscode-inputValidation-errorBorder, #be1100);
  background: var(--vscode-inputValidation-errorBackground, rgba(190, 17, 0, 0.12)); }
.empty { padding: 24px 0; }
.grid { display: grid; gap: var(--gap); grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); margin-top: var(--gap); }
section.view { padding: 10px 12px; border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, rgba(128, 128, 128, 0.35)));
  border-radius: 4px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
.view-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 6px 12px; margin-bottom: 6px; }
.view-head h2 { margin: 0; }
.toolbar { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 6px 10px; }
.chart { width: 100%; min-height: 260px; }
.chart:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
.charts-2 { display: grid; gap: 8px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); }
.findings { margin: 6px 0 0; padding-left: 18px; }
.findings li { margin: 2px 0; }
.table-wrap { overflow: auto; max-height: 460px; border: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35)); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; text-align: left; white-space: nowrap; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128, 128, 128, 0.25)); }
td.num, th.num { text-align: right; }
thead th { position: sticky; top: 0; z-index: 1; background: var(--vscode-editor-background); }
th button.sort { all: unset; cursor: pointer; font-weight: 600; }
th button.sort:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
tbody tr.row { cursor: pointer; }
tbody tr.row:hover { background: var(--vscode-list-hoverBackground); }
tbody tr.row:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
tbody tr.row.selected { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
body.vscode-high-contrast tbody tr.row.selected { outline: 2px solid var(--vscode-contrastActiveBorder, var(--vscode-focusBorder)); }
.status-failed { color: var(--vscode-errorForeground); }
.status-running, .status-queued { color: var(--vscode-descriptionForeground); font-style: italic; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
.kv dt { color: var(--vscode-descriptionForeground); }
.kv dd { margin: 0; overflow-wrap: anywhere; }
.detail-cols { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); }
.advice { display: grid; gap: 10px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 240px), 1fr)); margin-top: 8px; }
.card { padding: 8px 10px; border: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35)); border-radius: 4px; }
.card.best { border-color: var(--vscode-focusBorder); }
.card .big { font-size: 1.25em; font-weight: 600; }
.verdict-ok { color: var(--vscode-testing-iconPassed, #73c991); font-weight: 600; }
.verdict-ns { color: var(--vscode-editorWarning-foreground, #cca700); font-weight: 600; }
.confusion td.count { text-align: right; min-width: 3em; }
${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `.heat-${i} { background: color-mix(in srgb, var(--accent) ${i * 9}%, transparent); }`).join('\n')}
.text-cell { white-space: normal; min-width: 240px; max-width: 640px; }
.status-line { font-size: 0.92em; }
.live-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--vscode-charts-green, #89d185); margin-right: 6px; }
.more { margin-top: 6px; }
@media (max-width: 520px) {
  body { padding: 0 8px 24px; }
  section.view { padding: 8px; }
  .chart { min-height: 220px; }
}
`;

export function applyStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(DASHBOARD_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
